#include "sim/discover.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/objects.h"

#define MAX_IDS 1024

typedef struct sbuf {
    char *s;
    size_t len, cap;
    int rc;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    if (b->rc)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->rc = LC_EINVAL;
            return;
        }
        if (b->s && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->rc = LC_ENOMEM;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
}

static int sb_finish(sbuf *b, char **out, size_t *len, lc_error *err)
{
    if (!b->rc && !b->s)
        sb_printf(b, "%s", "");
    if (b->rc) {
        free(b->s);
        return lc_error_set(err, b->rc, "cannot build the link-format payload");
    }
    *out = b->s;
    if (len)
        *len = b->len;
    return 0;
}

static lwm2m_path mkpath(int depth, int o, int i, int r)
{
    lwm2m_path p = {.ids = {o, i, r, LWM2M_ID_NONE}, .depth = depth};
    for (int k = depth; k < 4; k++)
        p.ids[k] = LWM2M_ID_NONE;
    return p;
}

/* One link: "</3/0>" + attributes. The malformed fault drops the first link's '>'. */
static void link_open(sbuf *b, const sim_device *d, bool *first, const lwm2m_path *p)
{
    char uri[64];
    lwm2m_path_format(p, uri, sizeof uri);
    bool malformed = *first && sim_fault_on(&d->faults, SIM_FAULT_DISCOVER_MALFORMED);
    sb_printf(b, "%s<%s%s", *first ? "" : ",", uri, malformed ? "" : ">");
    *first = false;
}

static void attrs_out(sbuf *b, const sim_attr_set *s)
{
    if (!s)
        return;
    char tmp[256];
    sim_attrs_format(s, tmp, sizeof tmp);
    sb_printf(b, "%s", tmp);
}

static bool left_out(const sim_device *d, int obj, int res)
{
    return sim_fault_on(&d->faults, SIM_FAULT_DISCOVER_MISSING_RESOURCE) && obj == 3 && res == 16;
}

/* dim on a multiple resource: LwM2M 1.0 already defines it (§5.1.2, "Dimension",
 * reported by Discover), and 1.0 clients send it (Wakaama); ETS int-1630 expects it. */
static void dim_out(sbuf *b, const sim_device *d, int obj, int inst, int res)
{
    const lwm2m_resource_def *def = objects_resource(obj, res);
    if (!def || !def->multiple || sim_fault_on(&d->faults, SIM_FAULT_NO_DIM))
        return;
    size_t n = sim_store_resource_instances(d->store, obj, inst, res, NULL, 0);
    sb_printf(b, ";dim=%zu", n);
}

static void resources_out(sbuf *b, const sim_device *d, int ssid, int obj, int inst, bool *first)
{
    uint16_t res[MAX_IDS];
    size_t n = sim_store_resources(d->store, obj, inst, res, MAX_IDS);
    for (size_t k = 0; k < n && k < MAX_IDS; k++) {
        if (left_out(d, obj, res[k]))
            continue;
        lwm2m_path rp = mkpath(3, obj, inst, res[k]);
        link_open(b, d, first, &rp);
        dim_out(b, d, obj, inst, res[k]);
        if (sim_fault_on(&d->faults, SIM_FAULT_DISCOVER_INHERITED_EVERYWHERE)) {
            sim_attr_set eff;
            sim_attrs_effective(d->attrs, ssid, &rp, -1, -1, &eff);
            attrs_out(b, &eff);
        } else {
            attrs_out(b, sim_attrs_get(d->attrs, ssid, &rp));
        }
    }
}

int sim_discover(const sim_device *d, int ssid, const lwm2m_path *path, char **out,
                 size_t *len, lc_error *err)
{
    if (path->depth < 1 || path->depth > 3)
        return lc_error_set(err, LC_EINVAL, "Discover targets an object, instance or resource");
    int obj = path->ids[0];
    /* an object it implements is there even with no instance left (ETS int-1635) */
    bool object_there = path->depth == 1 && sim_device_supports(d, obj);
    if (!object_there && !sim_store_exists(d->store, path))
        return lc_error_set(err, LC_ENOTFOUND, "nothing at that path");
    sbuf b = {0};
    bool first = true;
    if (path->depth == 1) {
        if (!sim_fault_on(&d->faults, SIM_FAULT_DISCOVER_NO_OBJECT_LINK)) {
            link_open(&b, d, &first, path);
            /* an object version other than 1.0 goes with the object's link, as in the
             * Register payload (LwM2M 1.0 §5.3.1) */
            const lwm2m_object_def *od = objects_find(obj);
            if (od && strcmp(od->version, "1.0") != 0 &&
                !sim_fault_on(&d->faults, SIM_FAULT_NO_OBJECT_VERSION))
                sb_printf(&b, ";ver=%s", od->version);
            attrs_out(&b, sim_attrs_get(d->attrs, ssid, path));
        }
        uint16_t inst[MAX_IDS];
        size_t n = sim_store_instances(d->store, obj, inst, MAX_IDS);
        for (size_t k = 0; k < n && k < MAX_IDS; k++) {
            lwm2m_path ip = mkpath(2, obj, inst[k], 0);
            link_open(&b, d, &first, &ip);
            attrs_out(&b, sim_attrs_get(d->attrs, ssid, &ip));
            resources_out(&b, d, ssid, obj, inst[k], &first);
        }
    } else if (path->depth == 2) {
        link_open(&b, d, &first, path);
        attrs_out(&b, sim_attrs_get(d->attrs, ssid, path));
        resources_out(&b, d, ssid, obj, path->ids[1], &first);
    } else if (!left_out(d, obj, path->ids[2])) {
        /* a resource's link carries what it inherits from its instance and object too
         * (LwM2M 1.0 §5.4.2: </3/0/7>;dim=8;gt=50;lt=42.2;pmin=10;pmax=60) */
        sim_attr_set eff;
        sim_attrs_effective(d->attrs, ssid, path, -1, -1, &eff);
        link_open(&b, d, &first, path);
        dim_out(&b, d, obj, path->ids[1], path->ids[2]);
        attrs_out(&b, sim_fault_on(&d->faults, SIM_FAULT_DISCOVER_NO_INHERIT)
                          ? sim_attrs_get(d->attrs, ssid, path)
                          : &eff);
    }
    return sb_finish(&b, out, len, err);
}

static void bs_instance_out(sbuf *b, const sim_device *d, int obj, int inst, bool *first)
{
    lwm2m_path ip = mkpath(2, obj, inst, 0);
    char uri[32];
    lwm2m_path_format(&ip, uri, sizeof uri);
    sb_printf(b, "%s<%s>", *first ? "" : ",", uri);
    *first = false;
    int64_t v = 0;
    bool ssid = !sim_fault_on(&d->faults, SIM_FAULT_BOOTSTRAP_DISCOVER_NO_SSID);
    if (obj == 0) {
        int64_t bs = 0;
        sim_store_get_int(d->store, 0, inst, 1, &bs);
        if (ssid && !bs && sim_store_get_int(d->store, 0, inst, 10, &v))
            sb_printf(b, ";ssid=%lld", (long long)v);
        const char *u = sim_store_get_string(d->store, 0, inst, 0);
        if (d->lwm2m_minor >= 1 && u)
            sb_printf(b, ";uri=\"%s\"", u);
    } else if (ssid && obj == 1 && sim_store_get_int(d->store, 1, inst, 0, &v)) {
        sb_printf(b, ";ssid=%lld", (long long)v);
    }
}

int sim_bootstrap_discover(const sim_device *d, const lwm2m_path *path, char **out,
                           size_t *len, lc_error *err)
{
    if (path->depth > 1)
        return lc_error_set(err, LC_EINVAL, "Bootstrap-Discover targets / or an object");
    sbuf b = {0};
    bool first = true;
    uint16_t objs[MAX_IDS];
    size_t nobj;
    if (path->depth == 0) {
        if (!sim_fault_on(&d->faults, SIM_FAULT_BOOTSTRAP_DISCOVER_NO_VERSION)) {
            sb_printf(&b, "lwm2m=\"%s\"", sim_device_version(d));
            first = false;
        }
        nobj = sim_store_objects(d->store, objs, MAX_IDS);
    } else {
        objs[0] = (uint16_t)path->ids[0];
        nobj = 1;
    }
    for (size_t o = 0; o < nobj && o < MAX_IDS; o++) {
        uint16_t inst[MAX_IDS];
        size_t n = sim_store_instances(d->store, objs[o], inst, MAX_IDS);
        if (n == 0) {
            lwm2m_path op = mkpath(1, objs[o], 0, 0);
            char uri[16];
            lwm2m_path_format(&op, uri, sizeof uri);
            sb_printf(&b, "%s<%s>", first ? "" : ",", uri);
            first = false;
        }
        for (size_t k = 0; k < n && k < MAX_IDS; k++)
            bs_instance_out(&b, d, objs[o], inst[k], &first);
    }
    return sb_finish(&b, out, len, err);
}

int sim_discover_content_format(const sim_faults *f)
{
    if (sim_fault_on(f, SIM_FAULT_DISCOVER_NO_CONTENT_FORMAT))
        return CF_NONE;
    if (sim_fault_on(f, SIM_FAULT_DISCOVER_WRONG_CONTENT_FORMAT))
        return 0; /* text/plain */
    return CF_LINK_FORMAT;
}
