/* SenML records to and from LwM2M values, shared by senml_json.c and senml_cbor.c (the
 * rules are in senml.h). */
#include "lwm2m/content/senml.h"

#include "common/base64.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_TEXT 32

void senml_dec_init(senml_dec *d, const char *fmt, const lwm2m_path *base, lwm2m_type_hint hint,
                    void *arg, lwm2m_records *out, lc_error *err)
{
    memset(d, 0, sizeof *d);
    d->fmt = fmt;
    d->base = base;
    d->hint = hint;
    d->arg = arg;
    d->out = out;
    d->err = err;
}

int senml_fail(const senml_dec *d, size_t idx, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return lc_error_set(d->err, LC_EINVAL, "%s: record %zu: %s", d->fmt, idx, msg);
}

/* ---- numbers ---- */

static double num_double(const senml_num *n)
{
    switch (n->kind) {
    case SENML_INT: return (double)n->i;
    case SENML_UINT: return (double)n->u;
    case SENML_FLOAT: break;
    }
    return n->f;
}

static void num_text(const senml_num *n, char *buf, size_t cap)
{
    switch (n->kind) {
    case SENML_INT: snprintf(buf, cap, "%" PRId64, n->i); return;
    case SENML_UINT: snprintf(buf, cap, "%" PRIu64, n->u); return;
    case SENML_FLOAT: snprintf(buf, cap, "%.17g", n->f); return;
    }
}

/* v + bv (RFC 8428 §4.5.3), exact while both are integers. */
static int num_add(const senml_dec *d, size_t idx, const senml_num *a, const senml_num *b,
                   senml_num *out)
{
    if (a->kind == SENML_INT && b->kind == SENML_INT) {
        int64_t r;
        if (__builtin_add_overflow(a->i, b->i, &r))
            return senml_fail(d, idx, "bv + v overflows a 64-bit integer");
        out->kind = SENML_INT;
        out->i = r;
        return 0;
    }
    out->kind = SENML_FLOAT;
    out->f = num_double(a) + num_double(b);
    return 0;
}

/* The number as an int64_t when it is one exactly (3800.0 is). */
static bool num_int64(const senml_num *n, int64_t *out)
{
    switch (n->kind) {
    case SENML_INT: *out = n->i; return true;
    case SENML_UINT:
        if (n->u > (uint64_t)INT64_MAX)
            return false;
        *out = (int64_t)n->u;
        return true;
    case SENML_FLOAT:
        /* 2^63 is the first double out of int64_t range. */
        if (!(n->f == floor(n->f) && n->f >= -9223372036854775808.0 &&
              n->f < 9223372036854775808.0))
            return false;
        *out = (int64_t)n->f;
        return true;
    }
    return false;
}

int senml_add_number(lwm2m_records *out, const lwm2m_path *p, lwm2m_type t,
                     const senml_num *v, char *why, size_t cap)
{
    char text[40];
    int64_t i;
    num_text(v, text, sizeof text);
    if (t == LV_FLOAT)
        return records_add_float(out, p, num_double(v));
    if (t == LV_INTEGER || t == LV_TIME || t == LV_UNSIGNED) {
        if (!num_int64(v, &i)) {
            snprintf(why, cap, "is %s, not %s", text,
                     t == LV_TIME       ? "a time (whole seconds in 64 bits)"
                     : t == LV_UNSIGNED ? "an unsigned integer (64 bits)"
                                        : "an integer (64 bits)");
            return LC_EINVAL;
        }
        if (t == LV_UNSIGNED) {
            if (i < 0) {
                snprintf(why, cap, "is %s, not an unsigned integer", text);
                return LC_EINVAL;
            }
            return records_add_unsigned(out, p, (uint64_t)i);
        }
        return t == LV_TIME ? records_add_time(out, p, i) : records_add_int(out, p, i);
    }
    /* The resource's type is not a number or not known: the number's own form decides. */
    switch (v->kind) {
    case SENML_INT: return records_add_int(out, p, v->i);
    case SENML_UINT:
        snprintf(why, cap, "is %s, beyond the 64-bit integers LwM2M carries", text);
        return LC_EINVAL;
    case SENML_FLOAT: break;
    }
    if (!isfinite(v->f)) {
        snprintf(why, cap, "is not a finite number");
        return LC_EINVAL;
    }
    return records_add_float(out, p, v->f);
}

static int add_number(senml_dec *d, size_t idx, const lwm2m_path *p, const char *where,
                      const senml_num *v)
{
    char why[160];
    lwm2m_type t = d->hint ? d->hint(p, d->arg) : LV_NONE;
    int rc = senml_add_number(d->out, p, t, v, why, sizeof why);
    if (rc == LC_EINVAL)
        return senml_fail(d, idx, "%s: \"v\" %s", where, why);
    return rc;
}

/* ---- records ---- */

static int resolve_name(senml_dec *d, size_t idx, const senml_fields *f, lwm2m_path *p,
                        char *where, size_t where_cap)
{
    char name[2 * SENML_NAME_MAX + 1];
    size_t n_len = f->has_n ? f->n_len : 0;
    if (f->has_n && (f->n_len > SENML_NAME_MAX || memchr(f->n, '\0', f->n_len)))
        return senml_fail(d, idx, "\"n\" is not an LwM2M name (%zu bytes)", f->n_len);
    memcpy(name, d->bn, d->bn_len);
    if (n_len)
        memcpy(name + d->bn_len, f->n, n_len);
    name[d->bn_len + n_len] = '\0';
    if (name[0] == '\0')
        return senml_fail(d, idx, "no name: neither \"bn\" (in this or an earlier record) nor "
                                  "\"n\" is given");
    if (name[0] != '/' || lwm2m_path_parse(name, p) != 0)
        return senml_fail(d, idx,
                          "the name \"%s\" (bn + n) is not an absolute LwM2M path such as "
                          "/3/0/1",
                          name);
    if (p->depth < 3)
        return senml_fail(d, idx,
                          "the name \"%s\" (bn + n) is an object or object instance; a record "
                          "names a resource or resource instance",
                          name);
    lwm2m_path_format(p, where, where_cap);
    if (!lwm2m_path_is_under(p, d->base)) {
        char b[PATH_TEXT];
        lwm2m_path_format(d->base, b, sizeof b);
        return senml_fail(d, idx, "%s (bn + n) is not under the request path %s", where, b);
    }
    return 0;
}

static int add_value(senml_dec *d, size_t idx, const lwm2m_path *p, const char *where,
                     const senml_fields *f)
{
    switch (f->vkind) {
    case SENML_V_NONE:
        return senml_fail(d, idx, "%s has no value (\"v\", \"vs\", \"vb\", \"vd\" or \"vlo\")",
                          where);
    case SENML_V_NUM: {
        senml_num v = f->v;
        if (d->has_bv) {
            int rc = num_add(d, idx, &d->bv, &f->v, &v);
            if (rc)
                return rc;
        }
        return add_number(d, idx, p, where, &v);
    }
    case SENML_V_STR: return records_add_string_n(d->out, p, (const char *)f->vbytes, f->vlen);
    case SENML_V_BOOL: return records_add_bool(d->out, p, f->vb);
    case SENML_V_DATA: return records_add_opaque(d->out, p, f->vbytes, f->vlen);
    case SENML_V_LINK: {
        int rc = records_add_from_text(d->out, p, LV_OBJLNK, (const char *)f->vbytes, f->vlen,
                                       d->err);
        if (rc && rc != LC_ENOMEM)
            return lc_error_prefix(d->err, "%s: record %zu: \"vlo\": ", d->fmt, idx);
        return rc;
    }
    }
    return senml_fail(d, idx, "%s: unknown value kind", where);
}

int senml_dec_record(senml_dec *d, size_t idx, const senml_fields *f)
{
    if (idx >= CONTENT_MAX_RECORDS)
        return senml_fail(d, idx, "more than %d records in one payload", CONTENT_MAX_RECORDS);
    if (f->has_bn) {
        if (f->bn_len > SENML_NAME_MAX || memchr(f->bn, '\0', f->bn_len))
            return senml_fail(d, idx, "\"bn\" is not an LwM2M name (%zu bytes)", f->bn_len);
        memcpy(d->bn, f->bn, f->bn_len);
        d->bn[f->bn_len] = '\0';
        d->bn_len = f->bn_len;
    }
    if (f->has_bt) {
        d->bt = f->bt;
        d->has_bt = true;
    }
    if (f->has_bv) {
        d->bv = f->bv;
        d->has_bv = true;
    }
    lwm2m_path p;
    char where[PATH_TEXT];
    int rc = resolve_name(d, idx, f, &p, where, sizeof where);
    if (rc)
        return rc;
    rc = add_value(d, idx, &p, where, f);
    if (rc == LC_ENOMEM)
        return lc_error_set(d->err, rc, "%s: out of memory", d->fmt);
    if (rc)
        return rc;
    if (f->has_t || d->has_bt) {
        lwm2m_record *rec = &d->out->items[d->out->count - 1];
        rec->has_time = true;
        rec->time = (d->has_bt ? num_double(&d->bt) : 0) + (f->has_t ? num_double(&f->t) : 0);
    }
    return 0;
}

/* ---- encoding ---- */

int senml_plan_names(const char *fmt, const lwm2m_path *base, const lwm2m_records *in,
                     senml_names *names, lc_error *err)
{
    char b[PATH_TEXT], p[PATH_TEXT];
    lwm2m_path_format(base, b, sizeof b);
    for (size_t i = 0; i < in->count; i++) {
        const lwm2m_record *rec = &in->items[i];
        lwm2m_path_format(&rec->path, p, sizeof p);
        if (rec->path.depth < 3)
            return lc_error_set(err, LC_EINVAL,
                                "%s: record %s is not a resource or a resource instance", fmt,
                                p);
        if (!lwm2m_path_is_under(&rec->path, base))
            return lc_error_set(err, LC_EINVAL, "%s: record %s is not under the request path %s",
                                fmt, p, b);
        if (rec->type == LV_NONE || (int)rec->type > LV_OBJLNK)
            return lc_error_set(err, LC_EINVAL, "%s: record %s has no value type", fmt, p);
    }
    memset(names, 0, sizeof *names);
    if (in->count == 1 && lwm2m_path_equal(&in->items[0].path, base)) {
        names->bn_only = true;
        names->prefix_depth = base->depth;
        lwm2m_path_format(base, names->bn, sizeof names->bn);
        return 0;
    }
    /* A record at the request path among others: name it from the parent. */
    lwm2m_path prefix = *base;
    if (records_find(in, base))
        prefix.ids[--prefix.depth] = LWM2M_ID_NONE;
    names->prefix_depth = prefix.depth;
    lwm2m_path_format(&prefix, names->bn, sizeof names->bn - 1);
    if (prefix.depth > 0)
        strcat(names->bn, "/");
    return 0;
}

void senml_record_name(const senml_names *names, const lwm2m_record *rec, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    if (names->bn_only)
        return;
    for (int i = names->prefix_depth; i < rec->path.depth && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, i > names->prefix_depth ? "/%d" : "%d",
                              (int)rec->path.ids[i]);
}

/* ---- base64url ---- */

char *senml_base64url_encode(const uint8_t *in, size_t n)
{
    size_t len = base64_encode(in, n, NULL, 0);
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    base64_encode(in, n, s, len + 1);
    while (len > 0 && s[len - 1] == '=')
        s[--len] = '\0';
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '+')
            s[i] = '-';
        else if (s[i] == '/')
            s[i] = '_';
    }
    return s;
}

int senml_base64url_decode(const char *in, size_t n, uint8_t **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    /* Padding is optional: drop it, then check what is left is the URL-safe alphabet. */
    size_t pad = 0;
    while (n > 0 && pad < 2 && in[n - 1] == '=')
        n--, pad++;
    if (pad && (n + pad) % 4 != 0)
        return LC_EINVAL;
    if (n % 4 == 1)
        return LC_EINVAL;
    char *std = malloc(n + 4);
    uint8_t *res = malloc(n / 4 * 3 + 3);
    if (!std || !res) {
        free(std);
        free(res);
        return LC_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (c == '-')
            c = '+';
        else if (c == '_')
            c = '/';
        else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            free(std);
            free(res);
            return LC_EINVAL;
        }
        std[i] = c;
    }
    size_t m = n;
    while (m % 4)
        std[m++] = '=';
    int rc = base64_decode(std, m, res, n / 4 * 3 + 3, out_len, false, NULL, 0);
    free(std);
    if (rc < 0) {
        free(res);
        *out_len = 0;
        return LC_EINVAL;
    }
    *out = res;
    return 0;
}
