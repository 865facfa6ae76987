#include "sim/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/objects.h"

typedef struct sim_inst {
    uint16_t obj, inst;
} sim_inst;

struct sim_store {
    lwm2m_record *vals; /* sorted by path, see path_cmp */
    size_t nvals, capvals;
    sim_inst *insts; /* sorted by (obj, inst) */
    size_t ninsts, capinsts;
};

/* Orders by ids with "absent" before 0, so a resource sorts right before its instances. */
static int path_cmp(const lwm2m_path *a, const lwm2m_path *b)
{
    for (int i = 0; i < 4; i++) {
        int32_t x = i < a->depth ? a->ids[i] : -1;
        int32_t y = i < b->depth ? b->ids[i] : -1;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

static lwm2m_path mkpath(int depth, int o, int i, int r, int ri)
{
    lwm2m_path p = {.ids = {o, i, r, ri}, .depth = depth};
    for (int k = depth; k < 4; k++)
        p.ids[k] = LWM2M_ID_NONE;
    return p;
}

static void rec_clear(lwm2m_record *r)
{
    free(r->bytes);
    r->bytes = NULL;
    r->len = 0;
}

static int rec_copy(lwm2m_record *dst, const lwm2m_record *src)
{
    *dst = *src;
    dst->bytes = NULL;
    if (src->type == LV_STRING || src->type == LV_OPAQUE) {
        dst->bytes = malloc(src->len + 1);
        if (!dst->bytes)
            return LC_ENOMEM;
        if (src->len)
            memcpy(dst->bytes, src->bytes, src->len);
        dst->bytes[src->len] = '\0';
    }
    return 0;
}

sim_store *sim_store_new(void)
{
    return calloc(1, sizeof(sim_store));
}

void sim_store_free(sim_store *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->nvals; i++)
        rec_clear(&st->vals[i]);
    free(st->vals);
    free(st->insts);
    free(st);
}

/* ---- instances ---- */

static size_t inst_lower_bound(const sim_store *st, int obj, int inst)
{
    size_t lo = 0, hi = st->ninsts;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const sim_inst *m = &st->insts[mid];
        if (m->obj < obj || (m->obj == obj && m->inst < inst))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool sim_store_has_instance(const sim_store *st, int obj, int inst)
{
    size_t k = inst_lower_bound(st, obj, inst);
    return k < st->ninsts && st->insts[k].obj == obj && st->insts[k].inst == inst;
}

bool sim_store_has_object(const sim_store *st, int obj)
{
    size_t k = inst_lower_bound(st, obj, 0);
    return k < st->ninsts && st->insts[k].obj == obj;
}

int sim_store_add_instance(sim_store *st, int obj, int inst)
{
    if (obj < 0 || obj > 65535 || inst < 0 || inst > 65534)
        return LC_EINVAL;
    size_t k = inst_lower_bound(st, obj, inst);
    if (k < st->ninsts && st->insts[k].obj == obj && st->insts[k].inst == inst)
        return 0;
    if (st->ninsts == st->capinsts) {
        size_t cap = st->capinsts ? st->capinsts * 2 : 16;
        sim_inst *n = realloc(st->insts, cap * sizeof *n);
        if (!n)
            return LC_ENOMEM;
        st->insts = n;
        st->capinsts = cap;
    }
    memmove(&st->insts[k + 1], &st->insts[k], (st->ninsts - k) * sizeof *st->insts);
    st->insts[k] = (sim_inst){(uint16_t)obj, (uint16_t)inst};
    st->ninsts++;
    return 0;
}

/* ---- values ---- */

static size_t val_lower_bound(const sim_store *st, const lwm2m_path *p)
{
    size_t lo = 0, hi = st->nvals;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (path_cmp(&st->vals[mid].path, p) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Removes values in [from, to). */
static void val_erase(sim_store *st, size_t from, size_t to)
{
    if (to <= from)
        return;
    for (size_t i = from; i < to; i++)
        rec_clear(&st->vals[i]);
    memmove(&st->vals[from], &st->vals[to], (st->nvals - to) * sizeof *st->vals);
    st->nvals -= to - from;
}

/* Index range of the values at or below prefix. */
static void val_range(const sim_store *st, const lwm2m_path *prefix, size_t *from, size_t *to)
{
    size_t i = val_lower_bound(st, prefix);
    *from = i;
    while (i < st->nvals && lwm2m_path_is_under(&st->vals[i].path, prefix))
        i++;
    *to = i;
}

void sim_store_delete_instance(sim_store *st, int obj, int inst)
{
    lwm2m_path p = mkpath(2, obj, inst, 0, 0);
    size_t from, to;
    val_range(st, &p, &from, &to);
    val_erase(st, from, to);
    size_t k = inst_lower_bound(st, obj, inst);
    if (k < st->ninsts && st->insts[k].obj == obj && st->insts[k].inst == inst) {
        memmove(&st->insts[k], &st->insts[k + 1], (st->ninsts - k - 1) * sizeof *st->insts);
        st->ninsts--;
    }
}

int sim_store_free_instance_id(const sim_store *st, int obj)
{
    int id = 0;
    for (size_t k = inst_lower_bound(st, obj, 0); k < st->ninsts && st->insts[k].obj == obj;
         k++) {
        if (st->insts[k].inst != id)
            break;
        id++;
    }
    return id;
}

size_t sim_store_objects(const sim_store *st, uint16_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t k = 0; k < st->ninsts; k++) {
        if (k > 0 && st->insts[k].obj == st->insts[k - 1].obj)
            continue;
        if (n < cap)
            out[n] = st->insts[k].obj;
        n++;
    }
    return n;
}

size_t sim_store_instances(const sim_store *st, int obj, uint16_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t k = inst_lower_bound(st, obj, 0); k < st->ninsts && st->insts[k].obj == obj;
         k++) {
        if (n < cap)
            out[n] = st->insts[k].inst;
        n++;
    }
    return n;
}

size_t sim_store_resources(const sim_store *st, int obj, int inst, uint16_t *out, size_t cap)
{
    lwm2m_path p = mkpath(2, obj, inst, 0, 0);
    size_t from, to, n = 0;
    val_range(st, &p, &from, &to);
    for (size_t i = from; i < to; i++) {
        int32_t r = st->vals[i].path.ids[2];
        if (i > from && st->vals[i - 1].path.ids[2] == r)
            continue;
        if (n < cap)
            out[n] = (uint16_t)r;
        n++;
    }
    return n;
}

size_t sim_store_resource_instances(const sim_store *st, int obj, int inst, int res,
                                    uint16_t *out, size_t cap)
{
    lwm2m_path p = mkpath(3, obj, inst, res, 0);
    size_t from, to, n = 0;
    val_range(st, &p, &from, &to);
    for (size_t i = from; i < to; i++) {
        if (st->vals[i].path.depth != 4)
            continue;
        if (n < cap)
            out[n] = (uint16_t)st->vals[i].path.ids[3];
        n++;
    }
    return n;
}

bool sim_store_exists(const sim_store *st, const lwm2m_path *p)
{
    if (p->depth < 3)
        return p->depth == 2 ? sim_store_has_instance(st, p->ids[0], p->ids[1])
               : p->depth == 1 ? sim_store_has_object(st, p->ids[0])
                               : true;
    size_t from, to;
    val_range(st, p, &from, &to);
    return to > from;
}

const lwm2m_record *sim_store_get(const sim_store *st, const lwm2m_path *p)
{
    size_t k = val_lower_bound(st, p);
    if (k < st->nvals && path_cmp(&st->vals[k].path, p) == 0)
        return &st->vals[k];
    return NULL;
}

bool sim_store_get_int(const sim_store *st, int obj, int inst, int res, int64_t *out)
{
    lwm2m_path p = mkpath(3, obj, inst, res, 0);
    const lwm2m_record *r = sim_store_get(st, &p);
    if (!r)
        return false;
    switch (r->type) {
    case LV_INTEGER:
    case LV_UNSIGNED:
    case LV_TIME: *out = r->i; return true;
    case LV_BOOLEAN: *out = r->b; return true;
    case LV_FLOAT: *out = (int64_t)r->f; return true;
    default: return false;
    }
}

const char *sim_store_get_string(const sim_store *st, int obj, int inst, int res)
{
    lwm2m_path p = mkpath(3, obj, inst, res, 0);
    const lwm2m_record *r = sim_store_get(st, &p);
    return r && r->type == LV_STRING ? (const char *)r->bytes : NULL;
}

int sim_store_set(sim_store *st, const lwm2m_record *rec)
{
    const lwm2m_path *p = &rec->path;
    if (p->depth < 3 || p->depth > 4)
        return LC_EINVAL;
    int rc = sim_store_add_instance(st, p->ids[0], p->ids[1]);
    if (rc)
        return rc;
    lwm2m_record copy;
    rc = rec_copy(&copy, rec);
    if (rc)
        return rc;
    if (p->depth == 3) {
        /* a single value replaces every instance of the resource */
        size_t from, to;
        val_range(st, p, &from, &to);
        val_erase(st, from, to);
    } else {
        lwm2m_path parent = *p;
        parent.depth = 3;
        parent.ids[3] = LWM2M_ID_NONE;
        size_t k = val_lower_bound(st, &parent);
        if (k < st->nvals && path_cmp(&st->vals[k].path, &parent) == 0)
            val_erase(st, k, k + 1);
        k = val_lower_bound(st, p);
        if (k < st->nvals && path_cmp(&st->vals[k].path, p) == 0)
            val_erase(st, k, k + 1);
    }
    if (st->nvals == st->capvals) {
        size_t cap = st->capvals ? st->capvals * 2 : 64;
        lwm2m_record *n = realloc(st->vals, cap * sizeof *n);
        if (!n) {
            rec_clear(&copy);
            return LC_ENOMEM;
        }
        st->vals = n;
        st->capvals = cap;
    }
    size_t k = val_lower_bound(st, p);
    memmove(&st->vals[k + 1], &st->vals[k], (st->nvals - k) * sizeof *st->vals);
    st->vals[k] = copy;
    st->nvals++;
    return 0;
}

int sim_store_set_int(sim_store *st, int obj, int inst, int res, int64_t v)
{
    lwm2m_record r = {.path = mkpath(3, obj, inst, res, 0), .type = LV_INTEGER, .i = v};
    return sim_store_set(st, &r);
}

int sim_store_set_string(sim_store *st, int obj, int inst, int res, const char *s)
{
    lwm2m_record r = {.path = mkpath(3, obj, inst, res, 0), .type = LV_STRING,
                      .bytes = (uint8_t *)s, .len = strlen(s)};
    return sim_store_set(st, &r);
}

int sim_store_set_opaque(sim_store *st, int obj, int inst, int res, const uint8_t *b, size_t n)
{
    lwm2m_record r = {.path = mkpath(3, obj, inst, res, 0), .type = LV_OPAQUE,
                      .bytes = (uint8_t *)b, .len = n};
    return sim_store_set(st, &r);
}

int sim_store_set_executable(sim_store *st, int obj, int inst, int res)
{
    lwm2m_record r = {.path = mkpath(3, obj, inst, res, 0), .type = LV_NONE};
    return sim_store_set(st, &r);
}

void sim_store_clear_resource(sim_store *st, int obj, int inst, int res)
{
    lwm2m_path p = mkpath(3, obj, inst, res, 0);
    size_t from, to;
    val_range(st, &p, &from, &to);
    val_erase(st, from, to);
}

static int add_copy(lwm2m_records *out, const lwm2m_record *v)
{
    int rc;
    switch (v->type) {
    case LV_INTEGER: rc = records_add_int(out, &v->path, v->i); break;
    case LV_UNSIGNED:
        rc = records_add_int(out, &v->path, v->i);
        if (rc == 0)
            out->items[out->count - 1].type = LV_UNSIGNED;
        break;
    case LV_TIME: rc = records_add_time(out, &v->path, v->i); break;
    case LV_FLOAT: rc = records_add_float(out, &v->path, v->f); break;
    case LV_BOOLEAN: rc = records_add_bool(out, &v->path, v->b); break;
    case LV_STRING: rc = records_add_string(out, &v->path, (const char *)v->bytes); break;
    case LV_OPAQUE: rc = records_add_opaque(out, &v->path, v->bytes, v->len); break;
    case LV_OBJLNK: rc = records_add_objlnk(out, &v->path, v->objlnk[0], v->objlnk[1]); break;
    default: rc = 0; break;
    }
    return rc ? LC_ENOMEM : 0;
}

int sim_store_collect(const sim_store *st, const lwm2m_path *base, lwm2m_records *out)
{
    size_t from, to;
    val_range(st, base, &from, &to);
    for (size_t i = from; i < to; i++) {
        int rc = add_copy(out, &st->vals[i]);
        if (rc)
            return rc;
    }
    return 0;
}

sim_store *sim_store_clone(const sim_store *st)
{
    sim_store *c = sim_store_new();
    if (!c)
        return NULL;
    c->insts = malloc((st->ninsts ? st->ninsts : 1) * sizeof *c->insts);
    c->vals = calloc(st->nvals ? st->nvals : 1, sizeof *c->vals);
    if (!c->insts || !c->vals) {
        sim_store_free(c);
        return NULL;
    }
    memcpy(c->insts, st->insts, st->ninsts * sizeof *c->insts);
    c->ninsts = st->ninsts;
    c->capinsts = st->ninsts ? st->ninsts : 1;
    c->capvals = st->nvals ? st->nvals : 1;
    for (size_t i = 0; i < st->nvals; i++) {
        if (rec_copy(&c->vals[i], &st->vals[i]) != 0) {
            sim_store_free(c);
            return NULL;
        }
        c->nvals++;
    }
    return c;
}

/* ---- configuration ---- */

static int set_from_config(sim_store *st, const config_value *v, lc_error *err)
{
    lwm2m_path p;
    if (lwm2m_path_parse(v->path, &p) != 0 || p.depth < 3)
        return lc_error_set(err, LC_EINVAL, "%s: not a resource path", v->path);
    lwm2m_type t = objects_type_of(&p, NULL);
    lwm2m_record r = {.path = p};
    if (t == LV_NONE) /* an object the model does not know: keep the file's own type */
        t = v->kind == CONFIG_VALUE_STRING ? LV_STRING
            : v->kind == CONFIG_VALUE_BOOL ? LV_BOOLEAN
            : (v->number == floor(v->number) ? LV_INTEGER : LV_FLOAT);
    r.type = t;
    uint8_t opaque[1024];
    switch (t) {
    case LV_INTEGER:
    case LV_UNSIGNED:
    case LV_TIME:
        if (v->kind == CONFIG_VALUE_BOOL)
            r.i = v->boolean;
        else if (v->kind == CONFIG_VALUE_NUMBER)
            r.i = (int64_t)v->number;
        else
            return lc_error_set(err, LC_EINVAL, "%s: expected a number (\"v\")", v->path);
        break;
    case LV_FLOAT:
        if (v->kind != CONFIG_VALUE_NUMBER)
            return lc_error_set(err, LC_EINVAL, "%s: expected a number (\"v\")", v->path);
        r.f = v->number;
        break;
    case LV_BOOLEAN:
        r.b = v->kind == CONFIG_VALUE_BOOL ? v->boolean
              : v->kind == CONFIG_VALUE_NUMBER ? v->number != 0
                                               : strcmp(v->string, "true") == 0;
        break;
    case LV_STRING:
        if (v->kind != CONFIG_VALUE_STRING)
            return lc_error_set(err, LC_EINVAL, "%s: expected a string (\"sv\")", v->path);
        r.bytes = (uint8_t *)v->string;
        r.len = strlen(v->string);
        break;
    case LV_OPAQUE: {
        size_t n = 0;
        if (v->kind != CONFIG_VALUE_STRING ||
            (v->string[0] && config_base64_decode(v->string, opaque, sizeof opaque, &n) != 0))
            return lc_error_set(err, LC_EINVAL, "%s: expected Base64 in \"sv\"", v->path);
        r.bytes = opaque;
        r.len = n;
        break;
    }
    case LV_OBJLNK: {
        unsigned o = 0, i = 0;
        if (v->kind != CONFIG_VALUE_STRING || sscanf(v->string, "%u:%u", &o, &i) != 2 ||
            o > 65535 || i > 65535)
            return lc_error_set(err, LC_EINVAL, "%s: expected \"object:instance\"", v->path);
        r.objlnk[0] = (uint16_t)o;
        r.objlnk[1] = (uint16_t)i;
        break;
    }
    default: return lc_error_set(err, LC_EINVAL, "%s: unsupported type", v->path);
    }
    int rc = sim_store_set(st, &r);
    if (rc)
        return lc_error_set(err, rc, "%s: %s", v->path, lc_strerror(rc));
    return 0;
}

int sim_store_add_device_resources(sim_store *st)
{
    uint16_t ids[64];
    int rc = 0;
    if (sim_store_has_instance(st, 3, 0)) {
        lwm2m_path reboot = mkpath(3, 3, 0, 4, 0), now = mkpath(3, 3, 0, 13, 0);
        if (!sim_store_exists(st, &reboot))
            rc = rc ? rc : sim_store_set_executable(st, 3, 0, 4);
        if (!sim_store_exists(st, &now)) {
            lwm2m_record r = {.path = now, .type = LV_TIME, .i = 0};
            rc = rc ? rc : sim_store_set(st, &r);
        }
    }
    size_t n = sim_store_instances(st, 1, ids, 64);
    for (size_t k = 0; k < n && k < 64 && !rc; k++) {
        lwm2m_path dis = mkpath(3, 1, ids[k], 4, 0), trig = mkpath(3, 1, ids[k], 8, 0);
        if (!sim_store_exists(st, &dis))
            rc = sim_store_set_executable(st, 1, ids[k], 4);
        if (!rc && !sim_store_exists(st, &trig))
            rc = sim_store_set_executable(st, 1, ids[k], 8);
    }
    /* Beyond the core objects the device implements every executable resource the object
     * model defines (Start/Stop of Connectivity Statistics, Update of Firmware Update). */
    uint16_t objs[64];
    size_t no = sim_store_objects(st, objs, 64);
    for (size_t o = 0; o < no && o < 64 && !rc; o++) {
        const lwm2m_object_def *od = objs[o] > 3 ? objects_find(objs[o]) : NULL;
        if (!od)
            continue;
        n = sim_store_instances(st, objs[o], ids, 64);
        for (size_t k = 0; k < n && k < 64 && !rc; k++)
            for (int r = 0; r < od->resource_count && !rc; r++) {
                lwm2m_path p = mkpath(3, objs[o], ids[k], od->resources[r].id, 0);
                if (od->resources[r].operations == LWM2M_OP_E && !sim_store_exists(st, &p))
                    rc = sim_store_set_executable(st, objs[o], ids[k], od->resources[r].id);
            }
    }
    return rc;
}

int sim_store_load_description(sim_store *st, const description *desc, lc_error *err)
{
    for (size_t i = 0; i < desc->instance_count; i++) {
        int rc = sim_store_add_instance(st, desc->instances[i].object, desc->instances[i].instance);
        if (rc)
            return lc_error_set(err, rc, "%s: /%u/%u: %s", desc->source, desc->instances[i].object,
                                desc->instances[i].instance, lc_strerror(rc));
    }
    for (size_t i = 0; i < desc->value_count; i++) {
        int rc = set_from_config(st, &desc->values[i], err);
        if (rc)
            return lc_error_prefix(err, "%s: ", desc->source);
    }
    int rc = sim_store_add_device_resources(st);
    if (rc)
        return lc_error_set(err, rc, "device resources: %s", lc_strerror(rc));
    return 0;
}

int sim_store_load_config(sim_store *st, const config *c, lc_error *err)
{
    for (size_t i = 0; i < c->value_count; i++) {
        int rc = set_from_config(st, &c->values[i], err);
        if (rc)
            return lc_error_prefix(err, "%s: ", c->source);
    }
    for (size_t i = 0; i < c->account_count; i++) {
        const config_account *a = &c->accounts[i];
        int x = a->security_instance;
        if (x < 0)
            continue;
        int rc = sim_store_set_string(st, 0, x, 0, a->uri);
        if (!rc)
            rc = sim_store_set_opaque(st, 0, x, 3, a->psk_identity, a->psk_identity_len);
        if (!rc)
            rc = sim_store_set_opaque(st, 0, x, 5, a->psk_key, a->psk_key_len);
        if (rc)
            return lc_error_set(err, rc, "/0/%d: %s", x, lc_strerror(rc));
    }
    int rc = sim_store_add_device_resources(st);
    if (rc)
        return lc_error_set(err, rc, "device resources: %s", lc_strerror(rc));
    return 0;
}
