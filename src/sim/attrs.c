#include "sim/attrs.h"

#include "common/strbuf.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct attr_entry {
    int ssid; /* 0 for every entry of a shared table */
    lwm2m_path path;
    sim_attr_set set;
} attr_entry;

struct sim_attrs {
    bool shared;
    attr_entry *items;
    size_t count, cap;
};

sim_attrs *sim_attrs_new(bool shared)
{
    sim_attrs *a = calloc(1, sizeof *a);
    if (a)
        a->shared = shared;
    return a;
}

void sim_attrs_free(sim_attrs *a)
{
    if (!a)
        return;
    free(a->items);
    free(a);
}

static int key_ssid(const sim_attrs *a, int ssid)
{
    return a->shared ? 0 : ssid;
}

static attr_entry *find(const sim_attrs *a, int ssid, const lwm2m_path *path)
{
    int k = key_ssid(a, ssid);
    for (size_t i = 0; i < a->count; i++)
        if (a->items[i].ssid == k && lwm2m_path_equal(&a->items[i].path, path))
            return &a->items[i];
    return NULL;
}

static bool set_empty(const sim_attr_set *s)
{
    return !s->has_pmin && !s->has_pmax && !s->has_gt && !s->has_lt && !s->has_st;
}

const sim_attr_set *sim_attrs_get(const sim_attrs *a, int ssid, const lwm2m_path *path)
{
    const attr_entry *e = find(a, ssid, path);
    return e && !set_empty(&e->set) ? &e->set : NULL;
}

void sim_attrs_each(const sim_attrs *a, sim_attrs_visit_fn fn, void *arg)
{
    for (size_t i = 0; i < a->count; i++)
        if (!set_empty(&a->items[i].set))
            fn(arg, a->items[i].ssid, &a->items[i].path, &a->items[i].set);
}

static bool parse_int(const char *s, int64_t *out)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < 0)
        return false;
    *out = v;
    return true;
}

static bool parse_num(const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

int sim_attrs_write(sim_attrs *a, int ssid, const lwm2m_path *path, const char *const *queries,
                    size_t count, lc_error *err)
{
    if (path->depth < 1)
        return lc_error_set(err, LC_EINVAL, "Write-Attributes needs an object, instance or resource");
    const attr_entry *old = find(a, ssid, path);
    sim_attr_set s = old ? old->set : (sim_attr_set){0};
    for (size_t i = 0; i < count; i++) {
        const char *q = queries[i];
        const char *eq = strchr(q, '=');
        size_t nlen = eq ? (size_t)(eq - q) : strlen(q);
        const char *val = eq ? eq + 1 : NULL;
        if (val && !*val)
            return lc_error_set(err, LC_EINVAL, "%s: empty value (write the name alone to clear it)", q);
        bool numeric_level = path->depth >= 3;
        if (nlen == 4 && strncmp(q, "pmin", 4) == 0) {
            if (val && !parse_int(val, &s.pmin))
                return lc_error_set(err, LC_EINVAL, "%s: pmin must be a non-negative integer", q);
            s.has_pmin = val != NULL;
        } else if (nlen == 4 && strncmp(q, "pmax", 4) == 0) {
            if (val && !parse_int(val, &s.pmax))
                return lc_error_set(err, LC_EINVAL, "%s: pmax must be a non-negative integer", q);
            s.has_pmax = val != NULL;
        } else if (nlen == 2 && (strncmp(q, "gt", 2) == 0 || strncmp(q, "lt", 2) == 0 ||
                                 strncmp(q, "st", 2) == 0)) {
            if (!numeric_level)
                return lc_error_set(err, LC_EINVAL, "%s: gt, lt and st apply to resources only", q);
            double v = 0;
            if (val && !parse_num(val, &v))
                return lc_error_set(err, LC_EINVAL, "%s: not a number", q);
            if (q[0] == 'g') {
                s.gt = v;
                s.has_gt = val != NULL;
            } else if (q[0] == 'l') {
                s.lt = v;
                s.has_lt = val != NULL;
            } else {
                if (val && v < 0)
                    return lc_error_set(err, LC_EINVAL, "%s: st must not be negative", q);
                s.st = v;
                s.has_st = val != NULL;
            }
        } else {
            return lc_error_set(err, LC_EINVAL, "%.*s: unknown attribute (pmin, pmax, gt, lt, st)",
                                (int)nlen, q);
        }
    }
    if (s.has_pmin && s.has_pmax && s.pmin > s.pmax)
        return lc_error_set(err, LC_EINVAL, "pmin=%lld is greater than pmax=%lld",
                            (long long)s.pmin, (long long)s.pmax);
    if (s.has_gt && s.has_lt) {
        double step = s.has_st ? s.st : 0;
        if (s.lt + 2 * step >= s.gt)
            return lc_error_set(err, LC_EINVAL, "lt + 2*st must be less than gt (lt=%g, st=%g, gt=%g)",
                                s.lt, step, s.gt);
    }

    attr_entry *e = find(a, ssid, path);
    if (!e) {
        if (set_empty(&s))
            return 0;
        if (a->count == a->cap) {
            size_t cap = a->cap ? a->cap * 2 : 16;
            attr_entry *n = realloc(a->items, cap * sizeof *n);
            if (!n)
                return lc_error_set(err, LC_ENOMEM, "out of memory");
            a->items = n;
            a->cap = cap;
        }
        e = &a->items[a->count++];
        e->ssid = key_ssid(a, ssid);
        e->path = *path;
    }
    e->set = s;
    if (set_empty(&s)) {
        *e = a->items[--a->count];
    }
    return 0;
}

void sim_attrs_remove_under(sim_attrs *a, const lwm2m_path *path)
{
    for (size_t i = 0; i < a->count;) {
        if (lwm2m_path_is_under(&a->items[i].path, path))
            a->items[i] = a->items[--a->count];
        else
            i++;
    }
}

static void merge(sim_attr_set *dst, const sim_attr_set *src)
{
    if (!src)
        return;
    if (src->has_pmin) {
        dst->has_pmin = true;
        dst->pmin = src->pmin;
    }
    if (src->has_pmax) {
        dst->has_pmax = true;
        dst->pmax = src->pmax;
    }
    if (src->has_gt) {
        dst->has_gt = true;
        dst->gt = src->gt;
    }
    if (src->has_lt) {
        dst->has_lt = true;
        dst->lt = src->lt;
    }
    if (src->has_st) {
        dst->has_st = true;
        dst->st = src->st;
    }
}

void sim_attrs_effective(const sim_attrs *a, int ssid, const lwm2m_path *path, int64_t def_pmin,
                         int64_t def_pmax, sim_attr_set *out)
{
    *out = (sim_attr_set){0};
    if (def_pmin >= 0) {
        out->has_pmin = true;
        out->pmin = def_pmin;
    }
    if (def_pmax >= 0) {
        out->has_pmax = true;
        out->pmax = def_pmax;
    }
    for (int d = 1; d <= path->depth; d++) {
        lwm2m_path p = *path;
        p.depth = d;
        for (int k = d; k < 4; k++)
            p.ids[k] = LWM2M_ID_NONE;
        merge(out, sim_attrs_get(a, ssid, &p));
    }
}

int sim_attrs_format(const sim_attr_set *s, char *buf, size_t cap)
{
    size_t used = 0;
    if (cap)
        buf[0] = '\0';
    if (s->has_pmin)
        bufprintf(buf, cap, &used, ";pmin=%lld", (long long)s->pmin);
    if (s->has_pmax)
        bufprintf(buf, cap, &used, ";pmax=%lld", (long long)s->pmax);
    if (s->has_gt)
        bufprintf(buf, cap, &used, ";gt=%g", s->gt);
    if (s->has_lt)
        bufprintf(buf, cap, &used, ";lt=%g", s->lt);
    if (s->has_st)
        bufprintf(buf, cap, &used, ";st=%g", s->st);
    return (int)used;
}
