#include "sim/persist.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "common/base64.h"
#include "sim/simlog.h"

#define STATE_FORMAT "lwm2m-simdev-state"
#define STATE_VERSION 1
#define MAX_IDS 1024
#define MAX_BYTES 65536

/* ---- saving ---- */

static const char *const type_names[] = {
    [LV_NONE] = "exec",      [LV_INTEGER] = "integer", [LV_UNSIGNED] = "unsigned",
    [LV_FLOAT] = "float",    [LV_BOOLEAN] = "boolean", [LV_STRING] = "string",
    [LV_OPAQUE] = "opaque",  [LV_TIME] = "time",       [LV_OBJLNK] = "objlnk",
};

static json_t *value_json(const lwm2m_record *r)
{
    char path[48];
    lwm2m_path_format(&r->path, path, sizeof path);
    json_t *o = json_pack("{s:s, s:s}", "p", path, "t", type_names[r->type]);
    if (!o)
        return NULL;
    json_t *v = NULL;
    switch (r->type) {
    case LV_NONE: return o;
    case LV_INTEGER:
    case LV_UNSIGNED:
    case LV_TIME: v = json_integer(r->i); break;
    case LV_FLOAT: v = json_real(r->f); break;
    case LV_BOOLEAN: v = json_boolean(r->b); break;
    case LV_STRING: v = json_stringn((const char *)r->bytes, r->len); break;
    case LV_OPAQUE: {
        size_t n = base64_encode(r->bytes, r->len, NULL, 0);
        char *b = malloc(n + 1);
        if (b) {
            base64_encode(r->bytes, r->len, b, n + 1);
            v = json_string(b);
            free(b);
        }
        break;
    }
    case LV_OBJLNK: {
        char l[16];
        snprintf(l, sizeof l, "%u:%u", r->objlnk[0], r->objlnk[1]);
        v = json_string(l);
        break;
    }
    }
    if (!v || json_object_set_new(o, "v", v) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static int add_record(json_t *values, const sim_store *st, const lwm2m_path *p)
{
    const lwm2m_record *r = sim_store_get(st, p);
    if (!r)
        return 0;
    json_t *v = value_json(r);
    return v && json_array_append_new(values, v) == 0 ? 0 : LC_ENOMEM;
}

static int store_json(const sim_store *st, json_t *instances, json_t *values)
{
    uint16_t objs[MAX_IDS], insts[MAX_IDS], res[MAX_IDS], ris[MAX_IDS];
    size_t no = sim_store_objects(st, objs, MAX_IDS);
    for (size_t o = 0; o < no && o < MAX_IDS; o++) {
        size_t ni = sim_store_instances(st, objs[o], insts, MAX_IDS);
        for (size_t i = 0; i < ni && i < MAX_IDS; i++) {
            char path[32];
            snprintf(path, sizeof path, "/%u/%u", objs[o], insts[i]);
            if (json_array_append_new(instances, json_string(path)) != 0)
                return LC_ENOMEM;
            size_t nr = sim_store_resources(st, objs[o], insts[i], res, MAX_IDS);
            for (size_t r = 0; r < nr && r < MAX_IDS; r++) {
                lwm2m_path p = {.ids = {objs[o], insts[i], res[r], LWM2M_ID_NONE}, .depth = 3};
                if (add_record(values, st, &p) != 0)
                    return LC_ENOMEM;
                size_t nri = sim_store_resource_instances(st, objs[o], insts[i], res[r], ris,
                                                          MAX_IDS);
                for (size_t k = 0; k < nri && k < MAX_IDS; k++) {
                    p.ids[3] = ris[k];
                    p.depth = 4;
                    if (add_record(values, st, &p) != 0)
                        return LC_ENOMEM;
                }
            }
        }
    }
    return 0;
}

typedef struct attrs_out {
    json_t *list;
    int rc;
} attrs_out;

static void attr_json(void *arg, int ssid, const lwm2m_path *path, const sim_attr_set *set)
{
    attrs_out *out = arg;
    char p[48], text[256];
    lwm2m_path_format(path, p, sizeof p);
    sim_attrs_format(set, text, sizeof text); /* ";pmin=2;pmax=10" */
    json_t *q = json_array();
    for (char *save = NULL, *t = strtok_r(text, ";", &save); t && q; t = strtok_r(NULL, ";", &save))
        json_array_append_new(q, json_string(t));
    json_t *o = q ? json_pack("{s:i, s:s, s:o}", "ssid", ssid, "p", p, "q", q) : NULL;
    if (!o || json_array_append_new(out->list, o) != 0)
        out->rc = LC_ENOMEM;
}

int sim_persist_save(const sim_device *d, const char *path, lc_error *err)
{
    json_t *instances = json_array(), *values = json_array(), *attrs = json_array();
    json_t *root = json_object();
    int rc = !instances || !values || !attrs || !root ? LC_ENOMEM : 0;
    if (!rc)
        rc = store_json(d->store, instances, values);
    attrs_out ao = {attrs, 0};
    if (!rc) {
        sim_attrs_each(d->attrs, attr_json, &ao);
        rc = ao.rc;
    }
    char *text = NULL;
    if (!rc && (json_object_set_new(root, "format", json_string(STATE_FORMAT)) ||
                json_object_set_new(root, "version", json_integer(STATE_VERSION)) ||
                json_object_set(root, "instances", instances) ||
                json_object_set(root, "values", values) ||
                json_object_set(root, "attributes", attrs)))
        rc = LC_ENOMEM;
    if (!rc && !(text = json_dumps(root, JSON_INDENT(1))))
        rc = LC_ENOMEM;
    json_decref(instances);
    json_decref(values);
    json_decref(attrs);
    json_decref(root);
    if (rc)
        return lc_error_set(err, rc, "%s: out of memory", path);

    /* whole or not at all: a temporary file beside it, 0600 from the start, renamed over */
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp) {
        free(text);
        return lc_error_set(err, LC_EINVAL, "%s: path too long", path);
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        free(text);
        return lc_error_set(err, LC_EIO, "%s: %s", tmp, strerror(errno));
    }
    size_t len = strlen(text), off = 0;
    bool ok = fchmod(fd, 0600) == 0;
    while (ok && off < len) {
        ssize_t n = write(fd, text + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        off += n > 0 ? (size_t)n : 0;
    }
    ok = ok && write(fd, "\n", 1) == 1;
    int saved = errno;
    free(text);
    if (close(fd) != 0)
        ok = false;
    if (!ok) {
        unlink(tmp);
        return lc_error_set(err, LC_EIO, "%s: %s", tmp, strerror(saved));
    }
    if (rename(tmp, path) != 0) {
        saved = errno;
        unlink(tmp);
        return lc_error_set(err, LC_EIO, "%s: %s", path, strerror(saved));
    }
    return 0;
}

/* ---- loading ---- */

static int bad(lc_error *err, const char *path, const char *what, size_t i)
{
    return lc_error_set(err, LC_EINVAL, "%s: not a lwm2m-simdev state file: %s #%zu is "
                        "malformed (delete the file to start from the configuration)",
                        path, what, i + 1);
}

static int type_of(const char *name)
{
    for (size_t t = 0; t < sizeof type_names / sizeof type_names[0]; t++)
        if (type_names[t] && strcmp(type_names[t], name) == 0)
            return (int)t;
    return -1;
}

/* One "values" entry into st; returns false when it is malformed. */
static bool load_value(sim_store *st, json_t *e)
{
    const char *p = NULL, *t = NULL;
    json_t *v = NULL;
    lwm2m_path path;
    if (json_unpack(e, "{s:s, s:s, s?o}", "p", &p, "t", &t, "v", &v) != 0 ||
        lwm2m_path_parse(p, &path) != 0 || path.depth < 3)
        return false;
    int type = type_of(t);
    if (type < 0 || (type != LV_NONE && !v))
        return false;
    lwm2m_record r;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.type = (lwm2m_type)type;
    uint8_t *buf = NULL;
    switch (r.type) {
    case LV_NONE:
        return path.depth == 3 &&
               sim_store_set_executable(st, path.ids[0], path.ids[1], path.ids[2]) == 0;
    case LV_INTEGER:
    case LV_UNSIGNED:
    case LV_TIME:
        if (!json_is_integer(v))
            return false;
        r.i = json_integer_value(v);
        break;
    case LV_FLOAT:
        if (!json_is_number(v))
            return false;
        r.f = json_number_value(v);
        break;
    case LV_BOOLEAN:
        if (!json_is_boolean(v))
            return false;
        r.b = json_is_true(v);
        break;
    case LV_STRING:
        if (!json_is_string(v))
            return false;
        r.bytes = (uint8_t *)json_string_value(v);
        r.len = json_string_length(v);
        break;
    case LV_OPAQUE: {
        if (!json_is_string(v) || !(buf = malloc(MAX_BYTES)))
            return false;
        if (base64_decode(json_string_value(v), json_string_length(v), buf, MAX_BYTES, &r.len,
                          false, NULL, 0) != 0) {
            free(buf);
            return false;
        }
        r.bytes = buf;
        break;
    }
    case LV_OBJLNK: {
        unsigned o, i;
        char tail;
        if (!json_is_string(v) ||
            sscanf(json_string_value(v), "%u:%u%c", &o, &i, &tail) != 2 || o > 65535 || i > 65535)
            return false;
        r.objlnk[0] = (uint16_t)o;
        r.objlnk[1] = (uint16_t)i;
        break;
    }
    }
    int rc = sim_store_set(st, &r);
    free(buf);
    return rc == 0;
}

static bool load_attr(sim_attrs *a, json_t *e)
{
    int ssid = 0;
    const char *p = NULL;
    json_t *q = NULL;
    lwm2m_path path;
    if (json_unpack(e, "{s:i, s:s, s:o}", "ssid", &ssid, "p", &p, "q", &q) != 0 ||
        !json_is_array(q) || json_array_size(q) > 8 || lwm2m_path_parse(p, &path) != 0)
        return false;
    const char *queries[8];
    for (size_t i = 0; i < json_array_size(q); i++)
        if (!(queries[i] = json_string_value(json_array_get(q, i))))
            return false;
    lc_error ignored = {0};
    return sim_attrs_write(a, ssid, &path, queries, json_array_size(q), &ignored) == 0;
}

int sim_persist_load(sim_device *d, const char *path, bool *loaded, lc_error *err)
{
    *loaded = false;
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return 0;
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root)
        return lc_error_set(err, LC_EINVAL, "%s: line %d: %s (delete the file to start from "
                            "the configuration)", path, jerr.line, jerr.text);
    const char *format = NULL;
    int version = 0;
    json_t *instances = NULL, *values = NULL, *attributes = NULL;
    if (json_unpack(root, "{s:s, s:i, s:o, s:o, s:o}", "format", &format, "version", &version,
                    "instances", &instances, "values", &values, "attributes", &attributes) != 0 ||
        strcmp(format, STATE_FORMAT) != 0 || !json_is_array(instances) ||
        !json_is_array(values) || !json_is_array(attributes)) {
        json_decref(root);
        return lc_error_set(err, LC_EINVAL, "%s: not a lwm2m-simdev state file (delete it to "
                            "start from the configuration)", path);
    }
    if (version != STATE_VERSION) {
        json_decref(root);
        return lc_error_set(err, LC_EINVAL, "%s: state file version %d, this simulator reads "
                            "version %d", path, version, STATE_VERSION);
    }
    sim_store *st = sim_store_new();
    sim_attrs *at = sim_attrs_new(sim_fault_on(&d->faults, SIM_FAULT_SHARED_ATTRIBUTES));
    int rc = !st || !at ? lc_error_set(err, LC_ENOMEM, "out of memory") : 0;
    size_t i;
    json_t *e;
    json_array_foreach(instances, i, e) {
        lwm2m_path p;
        if (rc)
            break;
        if (!json_is_string(e) || lwm2m_path_parse(json_string_value(e), &p) != 0 ||
            p.depth != 2 || sim_store_add_instance(st, p.ids[0], p.ids[1]) != 0)
            rc = bad(err, path, "instance", i);
    }
    json_array_foreach(values, i, e) {
        if (rc)
            break;
        if (!load_value(st, e))
            rc = bad(err, path, "value", i);
    }
    json_array_foreach(attributes, i, e) {
        if (rc)
            break;
        if (!load_attr(at, e))
            rc = bad(err, path, "attribute entry", i);
    }
    json_decref(root);
    if (rc) {
        sim_store_free(st);
        sim_attrs_free(at);
        return rc;
    }
    sim_store_free(d->store);
    sim_attrs_free(d->attrs);
    d->store = st;
    d->attrs = at;
    *loaded = true;
    return 0;
}

bool sim_persist_has_server_account(const sim_device *d)
{
    uint16_t ids[MAX_IDS];
    size_t n = sim_store_instances(d->store, 1, ids, MAX_IDS);
    for (size_t k = 0; k < n && k < MAX_IDS; k++) {
        int64_t ssid;
        if (sim_store_get_int(d->store, 1, ids[k], 0, &ssid) &&
            sim_device_security_instance(d->store, (int)ssid) >= 0)
            return true;
    }
    return false;
}

void sim_persist_forget(const char *path, logger *lg)
{
    if (unlink(path) != 0 && errno != ENOENT)
        sim_logf(lg, LOG_LVL_WARN, "%s: cannot remove the state file: %s", path, strerror(errno));
    else
        sim_logf(lg, LOG_LVL_INFO, "factory reset: state file %s removed", path);
}
