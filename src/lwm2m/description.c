#include "lwm2m/description.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonerr.h"
#include "lwm2m/content/content.h"
#include "lwm2m/objects.h"
#include "lwm2m/path.h"

/* A description is a few kilobytes; anything this large is the wrong file. */
#define DESC_FILE_MAX (1024 * 1024)

void description_init(description *d, const char *source)
{
    memset(d, 0, sizeof *d);
    d->persistent = -1;
    snprintf(d->source, sizeof d->source, "%s", source ? source : "");
}

int description_format_from_name(const char *name)
{
    if (!name || !*name)
        return -1;
    if (strcmp(name, "link") == 0)
        return 40;
    if (strcmp(name, "json") == 0)
        return 11543;
    for (size_t i = 0; content_codec_at(i); i++)
        if (content_codec_at(i)->short_name && strcmp(content_codec_at(i)->short_name, name) == 0)
            return content_codec_at(i)->cf;
    char *end;
    long v = strtol(name, &end, 10);
    if (*end == '\0' && name[0] >= '0' && name[0] <= '9' && v <= 65535)
        return (int)v;
    return -1;
}

static const char *format_name(int cf, char *buf, size_t cap)
{
    if (cf == 40)
        return "link";
    const content_codec *c = content_codec_find(cf);
    if (c && c->cf == cf && c->short_name)
        return c->short_name;
    snprintf(buf, cap, "%d", cf);
    return buf;
}

/* ---- building ---- */

static int u16_insert(uint16_t *arr, size_t *n, size_t cap, int v)
{
    if (v < 0 || v > 65535)
        return LC_EINVAL;
    size_t i = 0;
    while (i < *n && arr[i] < v)
        i++;
    if (i < *n && arr[i] == v)
        return 0;
    if (*n == cap)
        return LC_ENOMEM;
    memmove(arr + i + 1, arr + i, (*n - i) * sizeof *arr);
    arr[i] = (uint16_t)v;
    (*n)++;
    return 0;
}

int description_add_object(description *d, int obj)
{
    d->has_objects = true;
    return u16_insert(d->objects, &d->object_count, DESC_MAX_OBJECTS, obj);
}

static description_instance *find_instance(const description *d, int obj, int inst)
{
    for (size_t i = 0; i < d->instance_count; i++)
        if (d->instances[i].object == obj && d->instances[i].instance == inst)
            return (description_instance *)&d->instances[i];
    return NULL;
}

int description_add_instance(description *d, int obj, int inst)
{
    if (inst < 0 || inst > 65535)
        return LC_EINVAL;
    int rc = description_add_object(d, obj);
    if (rc || find_instance(d, obj, inst))
        return rc;
    if (d->instance_count == DESC_MAX_INSTANCES)
        return LC_ENOMEM;
    size_t i = 0;
    while (i < d->instance_count &&
           (d->instances[i].object < obj ||
            (d->instances[i].object == obj && d->instances[i].instance < inst)))
        i++;
    memmove(d->instances + i + 1, d->instances + i,
            (d->instance_count - i) * sizeof *d->instances);
    memset(&d->instances[i], 0, sizeof d->instances[i]);
    d->instances[i].object = (uint16_t)obj;
    d->instances[i].instance = (uint16_t)inst;
    d->instance_count++;
    return 0;
}

int description_add_resource(description *d, int obj, int inst, int res)
{
    int rc = description_add_instance(d, obj, inst);
    if (rc)
        return rc;
    description_instance *di = find_instance(d, obj, inst);
    return u16_insert(di->resources, &di->resource_count, DESC_MAX_RESOURCES, res);
}

static int canonical(const char *path, char *out, size_t cap, int min_depth)
{
    lwm2m_path p;
    if (!path || lwm2m_path_parse(path, &p) < 0 || p.depth < min_depth)
        return LC_EINVAL;
    lwm2m_path_format(&p, out, cap);
    return 0;
}

int description_set_value(description *d, const config_value *v)
{
    char path[32];
    if (canonical(v->path, path, sizeof path, 3) < 0)
        return LC_EINVAL;
    for (size_t i = 0; i < d->value_count; i++)
        if (strcmp(d->values[i].path, path) == 0) {
            d->values[i] = *v;
            snprintf(d->values[i].path, sizeof d->values[i].path, "%s", path);
            return 0;
        }
    if (d->value_count == DESC_MAX_VALUES)
        return LC_ENOMEM;
    d->values[d->value_count] = *v;
    snprintf(d->values[d->value_count].path, sizeof d->values[0].path, "%s", path);
    d->value_count++;
    return 0;
}

int description_add_volatile(description *d, const char *path)
{
    char p[32];
    if (canonical(path, p, sizeof p, 1) < 0)
        return LC_EINVAL;
    for (size_t i = 0; i < d->volatile_count; i++)
        if (strcmp(d->volatiles[i], p) == 0)
            return 0;
    if (d->volatile_count == DESC_MAX_VOLATILE)
        return LC_ENOMEM;
    snprintf(d->volatiles[d->volatile_count++], sizeof d->volatiles[0], "%s", p);
    return 0;
}

/* ---- lookups ---- */

bool description_has_object(const description *d, int obj, bool *known)
{
    if (known)
        *known = d && d->has_objects;
    if (!d || !d->has_objects)
        return true;
    for (size_t i = 0; i < d->object_count; i++)
        if (d->objects[i] == obj)
            return true;
    return false;
}

bool description_has_instance(const description *d, int obj, int inst, bool *known)
{
    bool listed = false;
    bool has = description_has_object(d, obj, &listed);
    if (known)
        *known = listed && has;
    if (!listed || !has)
        return has;
    return find_instance(d, obj, inst) != NULL;
}

bool description_is_volatile(const description *d, const char *path)
{
    lwm2m_path p, v;
    if (!d || lwm2m_path_parse(path, &p) < 0)
        return false;
    for (size_t i = 0; i < d->volatile_count; i++)
        if (lwm2m_path_parse(d->volatiles[i], &v) == 0 && lwm2m_path_is_under(&p, &v))
            return true;
    return false;
}

const config_value *description_value(const description *d, const char *path)
{
    char p[32];
    if (!d || canonical(path, p, sizeof p, 3) < 0 || description_is_volatile(d, p))
        return NULL;
    for (size_t i = 0; i < d->value_count; i++)
        if (strcmp(d->values[i].path, p) == 0)
            return &d->values[i];
    return NULL;
}

bool description_has_value_at(const description *d, const char *path)
{
    char p[32];
    if (!d || canonical(path, p, sizeof p, 3) < 0)
        return false;
    for (size_t i = 0; i < d->value_count; i++)
        if (strcmp(d->values[i].path, p) == 0)
            return true;
    return false;
}

bool description_knows(const description *d, const char *path)
{
    char p[32];
    lwm2m_path lp;
    if (!d || canonical(path, p, sizeof p, 3) < 0)
        return false;
    for (size_t i = 0; i < d->value_count; i++)
        if (strcmp(d->values[i].path, p) == 0)
            return true;
    lwm2m_path_parse(p, &lp);
    const description_instance *di = find_instance(d, lp.ids[0], lp.ids[1]);
    /* A resource instance: when the description gives values of other instances of the
     * same resource (/3/0/7/0 and no /3/0/7/1: one power source), those are all it has;
     * when it gives none of a readable multiple resource it lists, in an instance whose
     * other values it gives (describe read it whole: </10/0/11>;dim=0), it has none. */
    if (lp.depth == 4) {
        char res[32], inst[32];
        size_t n = (size_t)snprintf(res, sizeof res, "/%d/%d/%d/", lp.ids[0], lp.ids[1],
                                    lp.ids[2]);
        size_t ni = (size_t)snprintf(inst, sizeof inst, "/%d/%d/", lp.ids[0], lp.ids[1]);
        bool instance_read = false;
        for (size_t i = 0; i < d->value_count; i++) {
            if (strncmp(d->values[i].path, res, n) == 0)
                return false;
            instance_read |= strncmp(d->values[i].path, inst, ni) == 0;
        }
        const lwm2m_resource_def *rd = objects_resource(lp.ids[0], lp.ids[2]);
        if (instance_read && rd && rd->multiple && (rd->operations & LWM2M_OP_R))
            return false;
    }
    for (size_t r = 0; di && r < di->resource_count; r++)
        if (di->resources[r] == lp.ids[2])
            return true;
    return false;
}

bool description_lists_resources(const description *d, const char *path)
{
    lwm2m_path lp;
    if (!d || !path || lwm2m_path_parse(path, &lp) < 0 || lp.depth < 2)
        return false;
    const description_instance *di = find_instance(d, lp.ids[0], lp.ids[1]);
    return di && di->resource_count > 0;
}

bool description_has_format(const description *d, int cf)
{
    if (!d || !d->has_formats)
        return true;
    cf = content_format_canonical(cf);
    for (size_t i = 0; i < d->format_count; i++)
        if (content_format_canonical(d->formats[i]) == cf)
            return true;
    return false;
}

/* ---- loading ---- */

typedef struct loader {
    description *d;
    const char *name;
    lc_error *err;
} loader;

static int bad(loader *ld, const char *fmt, const char *a, const char *b)
{
    char what[256];
    snprintf(what, sizeof what, fmt, a ? a : "", b ? b : "");
    return lc_error_set(ld->err, LC_EINVAL, "%s: %s", ld->name, what);
}

static int parse_id(const char *s, int *out)
{
    size_t n = strspn(s, "0123456789");
    if (n == 0 || n > 5 || s[n] != '\0' || (n > 1 && s[0] == '0'))
        return LC_EINVAL;
    long v = strtol(s, NULL, 10);
    if (v > 65535)
        return LC_EINVAL;
    *out = (int)v;
    return 0;
}

static int read_string(loader *ld, json_t *v, const char *key, char *out, size_t cap)
{
    if (!json_is_string(v))
        return bad(ld, "\"%s\" must be a string", key, NULL);
    if (json_string_length(v) >= cap)
        return bad(ld, "\"%s\" is too long", key, NULL);
    snprintf(out, cap, "%s", json_string_value(v));
    return 0;
}

static int read_objects(loader *ld, json_t *v)
{
    description *d = ld->d;
    if (!json_is_object(v))
        return bad(ld, "\"objects\" must be an object {\"3\": {\"0\": [0, 1, …]}, …}", NULL, NULL);
    d->has_objects = true;
    const char *ok, *ik;
    json_t *ov, *iv;
    json_object_foreach(v, ok, ov) {
        int obj, inst, rc;
        if (parse_id(ok, &obj) < 0)
            return bad(ld, "objects: \"%s\" is not an object id 0..65535", ok, NULL);
        if (!json_is_object(ov))
            return bad(ld, "objects: \"%s\": expected an object of instances {\"0\": [resource ids]}",
                       ok, NULL);
        if ((rc = description_add_object(d, obj)) < 0)
            return bad(ld, "objects: \"%s\": too many objects", ok, NULL);
        json_object_foreach(ov, ik, iv) {
            if (parse_id(ik, &inst) < 0)
                return bad(ld, "objects: \"%s\": \"%s\" is not an instance id 0..65535", ok, ik);
            if (!json_is_array(iv))
                return bad(ld, "objects: /%s/%s: expected an array of resource ids ([] when not listed)",
                           ok, ik);
            if (description_add_instance(d, obj, inst) < 0)
                return bad(ld, "objects: /%s/%s: too many instances", ok, ik);
            size_t i;
            json_t *r;
            json_array_foreach(iv, i, r) {
                if (!json_is_integer(r) || json_integer_value(r) < 0 ||
                    json_integer_value(r) > 65535)
                    return bad(ld, "objects: /%s/%s: each entry is a resource id 0..65535", ok, ik);
                if (description_add_resource(d, obj, inst, (int)json_integer_value(r)) < 0)
                    return bad(ld, "objects: /%s/%s: too many resources", ok, ik);
            }
        }
    }
    return 0;
}

static int read_values(loader *ld, json_t *v)
{
    if (!json_is_object(v))
        return bad(ld, "\"values\" must be an object {\"/3/0/0\": \"ACME\", …}", NULL, NULL);
    const char *key;
    json_t *jv;
    json_object_foreach(v, key, jv) {
        config_value cv;
        memset(&cv, 0, sizeof cv);
        if (canonical(key, cv.path, sizeof cv.path, 3) < 0)
            return bad(ld, "values: \"%.64s\" is not a resource path (/object/instance/resource[/instance])",
                       key, NULL);
        if (json_is_string(jv)) {
            if (json_string_length(jv) >= sizeof cv.string)
                return bad(ld, "values: %s: a string longer than 255 bytes", cv.path, NULL);
            cv.kind = CONFIG_VALUE_STRING;
            snprintf(cv.string, sizeof cv.string, "%s", json_string_value(jv));
        } else if (json_is_number(jv)) {
            cv.kind = CONFIG_VALUE_NUMBER;
            cv.number = json_number_value(jv);
        } else if (json_is_boolean(jv)) {
            cv.kind = CONFIG_VALUE_BOOL;
            cv.boolean = json_is_true(jv);
        } else {
            return bad(ld, "values: %s: expected a string, a number or true/false", cv.path, NULL);
        }
        for (size_t i = 0; i < ld->d->value_count; i++)
            if (strcmp(ld->d->values[i].path, cv.path) == 0)
                return bad(ld, "values: %s is given twice (as \"%.64s\" too)", cv.path, key);
        if (description_set_value(ld->d, &cv) < 0)
            return bad(ld, "values: more than 512 values", NULL, NULL);
    }
    return 0;
}

static int read_volatile(loader *ld, json_t *v)
{
    size_t i;
    json_t *e;
    if (!json_is_array(v))
        return bad(ld, "\"volatile\" must be an array of paths [\"/3/0/13\", …]", NULL, NULL);
    json_array_foreach(v, i, e) {
        const char *s = json_string_value(e);
        int rc = s ? description_add_volatile(ld->d, s) : LC_EINVAL;
        if (rc == LC_ENOMEM)
            return bad(ld, "volatile: more than 128 paths", NULL, NULL);
        if (rc < 0)
            return bad(ld, "volatile: \"%.64s\" is not an LwM2M path", s ? s : "(not a string)",
                       NULL);
    }
    return 0;
}

static int read_formats(loader *ld, json_t *v)
{
    description *d = ld->d;
    size_t i;
    json_t *e;
    if (!json_is_array(v) || json_array_size(v) > DESC_MAX_FORMATS)
        return bad(ld, "\"content_formats\" must be an array of names or numbers (at most 16)",
                   NULL, NULL);
    d->has_formats = true;
    json_array_foreach(v, i, e) {
        int cf = json_is_integer(e) ? (int)json_integer_value(e)
                                    : description_format_from_name(json_string_value(e));
        if (cf < 0 || cf > 65535 || (json_is_integer(e) && json_integer_value(e) > 65535))
            return bad(ld, "content_formats: unknown content format (names: text, link, opaque, "
                       "cbor, senml-json, senml-cbor, tlv, json, lwm2m-cbor, or a number)",
                       NULL, NULL);
        d->formats[d->format_count++] = cf;
    }
    return 0;
}

static int read_root(loader *ld, json_t *root)
{
    description *d = ld->d;
    if (!json_is_object(root))
        return bad(ld, "a device description is a JSON object {\"lwm2m\", \"objects\", \"values\", …}",
                   NULL, NULL);
    const char *key;
    json_t *v;
    int rc = 0;
    json_object_foreach(root, key, v) {
        if (!strcmp(key, "comment"))
            rc = json_is_string(v) ? (snprintf(d->comment, sizeof d->comment, "%s",
                                               json_string_value(v)), 0)
                                   : bad(ld, "\"comment\" must be a string", NULL, NULL);
        else if (!strcmp(key, "endpoint"))
            rc = read_string(ld, v, key, d->endpoint, sizeof d->endpoint);
        else if (!strcmp(key, "lwm2m")) {
            const char *s = json_string_value(v);
            if (!s || (strcmp(s, "1.0") && strcmp(s, "1.1") && strcmp(s, "1.2")))
                rc = bad(ld, "\"lwm2m\" must be \"1.0\", \"1.1\" or \"1.2\"", NULL, NULL);
            else
                snprintf(d->lwm2m, sizeof d->lwm2m, "%s", s);
        } else if (!strcmp(key, "binding")) {
            const char *s = json_string_value(v);
            if (!s || !*s || strlen(s) >= sizeof d->binding || strspn(s, "USQTN") != strlen(s))
                rc = bad(ld, "\"binding\" must combine the letters U, S, Q, T, N, e.g. \"UQ\"",
                         NULL, NULL);
            else
                snprintf(d->binding, sizeof d->binding, "%s", s);
        } else if (!strcmp(key, "persistent")) {
            if (!json_is_boolean(v))
                rc = bad(ld, "\"persistent\" must be true or false (does the device keep its "
                         "state across a reboot?)", NULL, NULL);
            else
                d->persistent = json_is_true(v);
        } else if (!strcmp(key, "content_formats"))
            rc = read_formats(ld, v);
        else if (!strcmp(key, "objects"))
            rc = read_objects(ld, v);
        else if (!strcmp(key, "values"))
            rc = read_values(ld, v);
        else if (!strcmp(key, "volatile"))
            rc = read_volatile(ld, v);
        else
            rc = bad(ld, "unknown key \"%.32s\" (a description has comment, endpoint, lwm2m, "
                     "binding, persistent, content_formats, objects, values, volatile)", key, NULL);
        if (rc)
            return rc;
    }
    /* a value of an object the description lists must be of a listed instance */
    for (size_t i = 0; d->has_objects && i < d->value_count; i++) {
        lwm2m_path p;
        lwm2m_path_parse(d->values[i].path, &p);
        if (!description_has_object(d, p.ids[0], NULL))
            return bad(ld, "values: %s: its object is not in \"objects\" (list it there, or "
                       "leave \"objects\" out)", d->values[i].path, NULL);
    }
    return 0;
}

static int load_buffer(const char *buf, size_t len, const char *name, description *out,
                       lc_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return jsonerr_syntax(&je, name, "a device description", err);
    description *d = malloc(sizeof *d);
    if (!d) {
        json_decref(root);
        return lc_error_set(err, LC_ENOMEM, "%s: out of memory", name);
    }
    description_init(d, name);
    loader ld = {d, name, err};
    int rc = read_root(&ld, root);
    json_decref(root);
    if (rc == 0)
        *out = *d;
    free(d);
    return rc;
}

int description_load_string(const char *json, const char *name, description *out,
                            lc_error *err)
{
    if (!name)
        name = "<string>";
    if (!json || !out)
        return lc_error_set(err, LC_EINVAL, "%s: no description text", name);
    return load_buffer(json, strlen(json), name, out, err);
}

int description_load_file(const char *path, description *out, lc_error *err)
{
    if (!path || !out)
        return lc_error_set(err, LC_EINVAL, "no device description file given");
    FILE *f = fopen(path, "rb");
    if (!f)
        return lc_error_set(err, LC_EIO, "%s: cannot open the device description: %s", path,
                            strerror(errno));
    char *buf = malloc(DESC_FILE_MAX + 1);
    if (!buf) {
        fclose(f);
        return lc_error_set(err, LC_ENOMEM, "%s: out of memory", path);
    }
    size_t len = fread(buf, 1, DESC_FILE_MAX + 1, f);
    int rc;
    if (ferror(f))
        rc = lc_error_set(err, LC_EIO, "%s: cannot read: %s", path, strerror(errno));
    else if (len > DESC_FILE_MAX)
        rc = lc_error_set(err, LC_EINVAL, "%s: larger than %d bytes; not a device description?",
                          path, DESC_FILE_MAX);
    else
        rc = load_buffer(buf, len, path, out, err);
    fclose(f);
    free(buf);
    return rc;
}

/* ---- writing ---- */

static json_t *value_json(const config_value *v)
{
    switch (v->kind) {
    case CONFIG_VALUE_STRING: return json_string(v->string);
    case CONFIG_VALUE_BOOL: return json_boolean(v->boolean);
    case CONFIG_VALUE_NUMBER:
        /* range first: the cast is only defined for values that fit */
        if (fabs(v->number) < 9.0e15 && v->number == (double)(json_int_t)v->number)
            return json_integer((json_int_t)v->number);
        return json_real(v->number);
    }
    return json_null();
}

/* One key per line, each object's members on that line: a diff of two descriptions reads
 * like a diff of two devices. */
int description_write(const description *d, FILE *f, lc_error *err)
{
    char buf[16];
    fprintf(f, "{\n");
    json_t *s = json_string(d->comment[0] ? d->comment : "");
    char *t = json_dumps(s, JSON_ENCODE_ANY);
    fprintf(f, "  \"comment\": %s", t ? t : "\"\"");
    free(t);
    json_decref(s);
    if (d->endpoint[0]) {
        s = json_string(d->endpoint);
        t = json_dumps(s, JSON_ENCODE_ANY);
        fprintf(f, ",\n  \"endpoint\": %s", t ? t : "\"\"");
        free(t);
        json_decref(s);
    }
    if (d->lwm2m[0])
        fprintf(f, ",\n  \"lwm2m\": \"%s\"", d->lwm2m);
    if (d->binding[0])
        fprintf(f, ",\n  \"binding\": \"%s\"", d->binding);
    if (d->persistent >= 0)
        fprintf(f, ",\n  \"persistent\": %s", d->persistent ? "true" : "false");
    if (d->has_formats) {
        fprintf(f, ",\n  \"content_formats\": [");
        for (size_t i = 0; i < d->format_count; i++)
            fprintf(f, "%s\"%s\"", i ? ", " : "", format_name(d->formats[i], buf, sizeof buf));
        fprintf(f, "]");
    }
    if (d->has_objects) {
        fprintf(f, ",\n  \"objects\": {");
        for (size_t o = 0; o < d->object_count; o++) {
            fprintf(f, "%s\n    \"%u\": {", o ? "," : "", d->objects[o]);
            bool first = true;
            for (size_t i = 0; i < d->instance_count; i++) {
                const description_instance *di = &d->instances[i];
                if (di->object != d->objects[o])
                    continue;
                fprintf(f, "%s\"%u\": [", first ? "" : ", ", di->instance);
                for (size_t r = 0; r < di->resource_count; r++)
                    fprintf(f, "%s%u", r ? ", " : "", di->resources[r]);
                fprintf(f, "]");
                first = false;
            }
            fprintf(f, "}");
        }
        fprintf(f, "\n  }");
    }
    fprintf(f, ",\n  \"values\": {");
    for (size_t i = 0; i < d->value_count; i++) {
        json_t *jv = value_json(&d->values[i]);
        t = json_dumps(jv, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
        fprintf(f, "%s\n    \"%s\": %s", i ? "," : "", d->values[i].path, t ? t : "null");
        free(t);
        json_decref(jv);
    }
    fprintf(f, "%s}", d->value_count ? "\n  " : "");
    fprintf(f, ",\n  \"volatile\": [");
    for (size_t i = 0; i < d->volatile_count; i++)
        fprintf(f, "%s\"%s\"", i ? ", " : "", d->volatiles[i]);
    fprintf(f, "]\n}\n");
    if (ferror(f))
        return lc_error_set(err, LC_EIO, "cannot write the device description");
    return 0;
}

int description_write_file(const description *d, const char *path, lc_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return lc_error_set(err, LC_EIO, "%s: cannot create: %s", path, strerror(errno));
    int rc = description_write(d, f, err);
    if (fclose(f) != 0 && rc == 0)
        rc = lc_error_set(err, LC_EIO, "%s: cannot write: %s", path, strerror(errno));
    if (rc)
        lc_error_prefix(err, "%s: ", path);
    return rc;
}
