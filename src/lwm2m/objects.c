#include "lwm2m/objects.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/datadir.h"
#include "lwm2m/ddf.h"
#include "lwm2m/path.h"

/* The process's model: read-only once loaded (see the header for why it is process
 * state). Sorted by object id. */
static struct {
    lwm2m_object_def **v;
    size_t n;
    bool loaded;
} model;

void objects_unload(void)
{
    for (size_t i = 0; i < model.n; i++)
        ddf_object_free(model.v[i]);
    free(model.v);
    model.v = NULL;
    model.n = 0;
    model.loaded = false;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *objects_default_dir(void)
{
    static char found[PATH_MAX];
    const char *env = getenv("LWM2M_CONFORM_OBJECTS");
    if (env && *env) {
        snprintf(found, sizeof found, "%s", env);
        return is_dir(found) ? found : NULL;
    }
    char data[PATH_MAX];
    if (datadir_find(data, sizeof data, NULL) < 0)
        return NULL;
    if (snprintf(found, sizeof found, "%s/fixtures/objects", data) >= (int)sizeof found)
        return NULL;
    return is_dir(found) ? found : NULL;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int by_object_id(const void *a, const void *b)
{
    return (*(lwm2m_object_def *const *)a)->id - (*(lwm2m_object_def *const *)b)->id;
}

/* Puts o in the model, replacing an object of the same id (read from an earlier
 * directory). Takes o either way. */
static int put_object(lwm2m_object_def *o, lc_error *err)
{
    for (size_t i = 0; i < model.n; i++)
        if (model.v[i]->id == o->id) {
            ddf_object_free(model.v[i]);
            model.v[i] = o;
            return 0;
        }
    lwm2m_object_def **nv = realloc(model.v, (model.n + 1) * sizeof *nv);
    if (!nv) {
        ddf_object_free(o);
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    }
    model.v = nv;
    model.v[model.n++] = o;
    return 0;
}

static int load_dir(const char *dir, lc_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return lc_error_set(err, errno == ENOENT ? LC_ENOTFOUND : LC_EIO,
                            "object definitions: %s: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0;
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".xml") != 0 || e->d_name[0] == '.')
            continue;
        char **nn = realloc(names, (n + 1) * sizeof *nn);
        if (!nn || !(nn[n] = malloc(strlen(dir) + l + 2))) {
            names = nn ? nn : names;
            rc = lc_error_set(err, LC_ENOMEM, "out of memory");
            break;
        }
        names = nn;
        sprintf(names[n++], "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    /* The directory's objects first, so that two files defining one object are caught
     * before either replaces a shipped definition. */
    lwm2m_object_def **mine = NULL;
    size_t nmine = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        lwm2m_object_def **objs = NULL;
        size_t count = 0;
        rc = ddf_load_file(names[i], &objs, &count, err);
        lwm2m_object_def **nm = rc == 0 ? realloc(mine, (nmine + count + 1) * sizeof *nm) : NULL;
        if (rc == 0 && !nm)
            rc = lc_error_set(err, LC_ENOMEM, "out of memory");
        if (nm)
            mine = nm;
        for (size_t k = 0; k < count; k++) {
            for (size_t j = 0; rc == 0 && j < nmine; j++)
                if (mine[j]->id == objs[k]->id)
                    rc = lc_error_set(err, LC_EINVAL, "%s: object %d is also defined at %s",
                                      objs[k]->source, objs[k]->id, mine[j]->source);
            if (rc == 0)
                mine[nmine++] = objs[k];
            else
                ddf_object_free(objs[k]);
        }
        free(objs);
    }
    for (size_t i = 0; i < nmine; i++) {
        if (rc == 0)
            rc = put_object(mine[i], err);
        else
            ddf_object_free(mine[i]);
    }
    free(mine);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int objects_load(const char *const *dirs, size_t ndirs, lc_error *err)
{
    objects_unload();
    model.loaded = true; /* even when it fails: one failed attempt, not one per lookup */
    const char *shipped = objects_default_dir();
    int rc;
    if (!shipped) {
        char data[PATH_MAX];
        lc_error why = {0};
        rc = datadir_find(data, sizeof data, &why) < 0
                 ? lc_error_set(err, LC_ENOTFOUND, "the shipped object definitions: %s", why.msg)
                 : lc_error_set(err, LC_ENOTFOUND, "the shipped object definitions are not in "
                                "%s/fixtures/objects; set LWM2M_CONFORM_OBJECTS to their "
                                "directory", data);
    }
    else
        rc = load_dir(shipped, err);
    for (size_t i = 0; rc == 0 && i < ndirs; i++)
        rc = load_dir(dirs[i], err);
    if (rc != 0) {
        objects_unload();
        model.loaded = true;
        return rc;
    }
    if (model.n)
        qsort(model.v, model.n, sizeof *model.v, by_object_id);
    return 0;
}

static void ensure_loaded(void)
{
    if (!model.loaded)
        objects_load(NULL, 0, NULL);
}

size_t objects_count(void)
{
    ensure_loaded();
    return model.n;
}

const lwm2m_object_def *objects_at(size_t i)
{
    ensure_loaded();
    return i < model.n ? model.v[i] : NULL;
}

const lwm2m_object_def *objects_find(int object_id)
{
    ensure_loaded();
    size_t lo = 0, hi = model.n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (model.v[mid]->id == object_id)
            return model.v[mid];
        if (model.v[mid]->id < object_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const lwm2m_resource_def *objects_resource(int object_id, int resource_id)
{
    const lwm2m_object_def *o = objects_find(object_id);
    if (!o)
        return NULL;
    for (int i = 0; i < o->resource_count; i++)
        if (o->resources[i].id == resource_id)
            return &o->resources[i];
    return NULL;
}

lwm2m_type objects_type_of(const lwm2m_path *path, void *unused)
{
    (void)unused;
    if (!path || path->depth < 3)
        return LV_NONE;
    const lwm2m_resource_def *r = objects_resource(path->ids[0], path->ids[2]);
    return r ? r->type : LV_NONE;
}
