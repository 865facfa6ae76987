/* OMA LwM2M JSON (application/vnd.oma.lwm2m+json, LwM2M 1.0 §6.4.4):
 *   {"bn":"/3/0/","e":[{"n":"0","sv":"Open Mobile Alliance"},{"n":"6/0","v":1}]}
 * Each entry's full name is bn followed literally by n. Values: "v" number (integer, time,
 * float), "sv" string (opaque as Base64), "bv" boolean, "ov" object link "obj:inst".
 *
 * Encoding: bn is the request path with a trailing '/' and every entry has a relative "n";
 * when the single value sits at the request path itself (a Read of /3/0/0 or of a resource
 * instance) bn is the parent ("/3/0/") and n the last id ("0"), so no entry ever has an
 * empty name. Floats are written with the fewest digits that read back exactly.
 *
 * Decoding: bn + n must name a resource or resource instance under the request path. A
 * payload without "bn" is accepted: an n starting with '/' is absolute, otherwise it is
 * taken relative to the request path. "t"/"bt" (times) and unknown keys are ignored. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/content/content.h"

#define PATH_TEXT 32

/* ---- encoding ---- */

static int encode_value(const lwm2m_record *rec, const char **key, json_t **out,
                        const char *where, lc_error *err)
{
    json_t *v = NULL;
    switch (rec->type) {
    case LV_INTEGER:
    case LV_UNSIGNED:
    case LV_TIME:
        *key = "v";
        v = json_integer(rec->i);
        break;
    case LV_FLOAT:
        *key = "v";
        if (!isfinite(rec->f))
            return lc_error_set(err, LC_EINVAL, "OMA JSON: %s: %s cannot be carried in JSON",
                                where, isnan(rec->f) ? "NaN" : "an infinite float");
        v = json_real(rec->f);
        break;
    case LV_BOOLEAN:
        *key = "bv";
        v = json_boolean(rec->b);
        break;
    case LV_STRING:
        *key = "sv";
        /* jansson refuses invalid UTF-8; that is the only failure besides memory. */
        v = json_stringn((const char *)rec->bytes, rec->len);
        if (!v)
            return lc_error_set(err, LC_EINVAL,
                                "OMA JSON: %s: the string is not valid UTF-8 (send it as opaque)",
                                where);
        break;
    case LV_OPAQUE: {
        *key = "sv";
        int n = value_base64_encode(rec->bytes, rec->len, NULL, 0);
        char *b64 = n < 0 ? NULL : malloc((size_t)n + 1);
        if (b64) {
            value_base64_encode(rec->bytes, rec->len, b64, (size_t)n + 1);
            v = json_string(b64);
            free(b64);
        }
        break;
    }
    case LV_OBJLNK: {
        char t[16];
        *key = "ov";
        snprintf(t, sizeof t, "%u:%u", (unsigned)rec->objlnk[0], (unsigned)rec->objlnk[1]);
        v = json_string(t);
        break;
    }
    case LV_NONE:
        return lc_error_set(err, LC_EINVAL, "OMA JSON: %s: the record has no value type", where);
    }
    if (!v)
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    *out = v;
    return 0;
}

/* The name of p relative to prefix ("11/0" for /3/0/11/0 under /3/0). */
static void relative_name(const lwm2m_path *p, int prefix_depth, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = prefix_depth; i < p->depth && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, i > prefix_depth ? "/%d" : "%d",
                              (int)p->ids[i]);
}

static int encode_validate(const lwm2m_path *base, const lwm2m_records *in, lc_error *err)
{
    char b[PATH_TEXT], p[PATH_TEXT];
    lwm2m_path_format(base, b, sizeof b);
    for (size_t i = 0; i < in->count; i++) {
        const lwm2m_path *rp = &in->items[i].path;
        lwm2m_path_format(rp, p, sizeof p);
        if (rp->depth < 3)
            return lc_error_set(err, LC_EINVAL,
                                "OMA JSON: record %s is not a resource or a resource instance",
                                p);
        if (!lwm2m_path_is_under(rp, base))
            return lc_error_set(err, LC_EINVAL,
                                "OMA JSON: record %s is not under the request path %s", p, b);
        for (size_t j = 0; j < i; j++)
            if (lwm2m_path_equal(rp, &in->items[j].path))
                return lc_error_set(err, LC_EINVAL, "OMA JSON: two records for %s", p);
    }
    return 0;
}

int omajson_encode(const lwm2m_path *base, const lwm2m_records *in, uint8_t **out,
                   size_t *len, lc_error *err)
{
    *out = NULL;
    *len = 0;
    int rc = encode_validate(base, in, err);
    if (rc)
        return rc;

    /* The name prefix: the request path, or its parent when a value sits on it. */
    lwm2m_path prefix = *base;
    if (records_find(in, base))
        prefix.ids[--prefix.depth] = LWM2M_ID_NONE;
    char bn[PATH_TEXT + 1];
    lwm2m_path_format(&prefix, bn, sizeof bn - 1);
    if (prefix.depth > 0)
        strcat(bn, "/");

    json_t *root = json_object(), *e = json_array();
    if (!root || !e || json_object_set_new(root, "bn", json_string(bn)) ||
        json_object_set(root, "e", e)) {
        rc = lc_error_set(err, LC_ENOMEM, "out of memory");
        goto done;
    }
    int digits = 1;
    for (size_t i = 0; i < in->count; i++) {
        const lwm2m_record *rec = &in->items[i];
        char where[PATH_TEXT], name[PATH_TEXT];
        lwm2m_path_format(&rec->path, where, sizeof where);
        relative_name(&rec->path, prefix.depth, name, sizeof name);
        const char *key = NULL;
        json_t *v = NULL;
        rc = encode_value(rec, &key, &v, where, err);
        if (rc)
            goto done;
        if (rec->type == LV_FLOAT) {
            int d = value_float_precision(rec->f);
            digits = d > digits ? d : digits;
        }
        /* The _new setters take their value's reference even when they fail. */
        json_t *entry = json_object();
        if (!entry || json_object_set_new(entry, "n", json_string(name))) {
            json_decref(v);
            json_decref(entry);
            rc = lc_error_set(err, LC_ENOMEM, "out of memory");
            goto done;
        }
        if (json_object_set_new(entry, key, v)) {
            json_decref(entry);
            rc = lc_error_set(err, LC_ENOMEM, "out of memory");
            goto done;
        }
        if (json_array_append_new(e, entry)) {
            rc = lc_error_set(err, LC_ENOMEM, "out of memory");
            goto done;
        }
    }
    char *text = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(digits));
    if (!text) {
        rc = lc_error_set(err, LC_ENOMEM, "out of memory");
        goto done;
    }
    *out = (uint8_t *)text;
    *len = strlen(text);
done:
    json_decref(e);
    json_decref(root);
    return rc;
}

/* ---- decoding ---- */

typedef struct jdec {
    const lwm2m_path *base;
    lwm2m_type_hint hint;
    void *arg;
    lwm2m_records *out;
    lc_error *err;
} jdec;

static int decode_number(jdec *d, size_t idx, const lwm2m_path *p, const char *where,
                         json_t *v)
{
    if (!json_is_number(v))
        return lc_error_set(d->err, LC_EINVAL, "OMA JSON: e[%zu] (%s): \"v\" must be a number",
                            idx, where);
    lwm2m_type t = d->hint ? d->hint(p, d->arg) : LV_NONE;
    if (t == LV_FLOAT)
        return records_add_float(d->out, p, json_number_value(v));
    if (t != LV_INTEGER && t != LV_TIME && t != LV_UNSIGNED) {
        /* No numeric hint: the JSON number's own form decides. */
        if (json_is_integer(v))
            return records_add_int(d->out, p, json_integer_value(v));
        return records_add_float(d->out, p, json_real_value(v));
    }
    int64_t i;
    if (json_is_integer(v)) {
        i = json_integer_value(v);
    } else {
        double f = json_real_value(v);
        /* 3800.0 is still an integer; 2^63 is the first double out of int64_t range. */
        if (!(f == floor(f) && f >= -9223372036854775808.0 && f < 9223372036854775808.0))
            return lc_error_set(d->err, LC_EINVAL,
                                "OMA JSON: e[%zu] (%s): %.17g is not an %s", idx, where, f,
                                lwm2m_type_name(t));
        i = (int64_t)f;
    }
    if (t == LV_UNSIGNED) {
        if (i < 0)
            return lc_error_set(d->err, LC_EINVAL,
                                "OMA JSON: e[%zu] (%s): %lld is not an unsigned integer", idx,
                                where, (long long)i);
        return records_add_unsigned(d->out, p, (uint64_t)i);
    }
    return t == LV_TIME ? records_add_time(d->out, p, i) : records_add_int(d->out, p, i);
}

/* Resolves bn + n of entry idx into an absolute path under the request path. */
static int resolve_name(jdec *d, size_t idx, const char *bn, const char *n, lwm2m_path *p)
{
    char full[128], b[PATH_TEXT];
    int flen;
    lwm2m_path_format(d->base, b, sizeof b);
    if (bn)
        flen = snprintf(full, sizeof full, "%s%s", bn, n);
    else if (n[0] == '/')
        flen = snprintf(full, sizeof full, "%s", n);
    else
        flen = snprintf(full, sizeof full, "%s%s%s", b, d->base->depth > 0 && n[0] ? "/" : "", n);
    if (flen < 0 || (size_t)flen >= sizeof full || lwm2m_path_parse(full, p) != 0)
        return lc_error_set(d->err, LC_EINVAL,
                            "OMA JSON: e[%zu]: name \"%.64s\" (bn + n) is not a valid LwM2M path",
                            idx, full);
    if (p->depth < 3)
        return lc_error_set(d->err, LC_EINVAL,
                            "OMA JSON: e[%zu]: name \"%s\" is not a resource or resource "
                            "instance",
                            idx, full);
    if (!lwm2m_path_is_under(p, d->base))
        return lc_error_set(d->err, LC_EINVAL,
                            "OMA JSON: e[%zu]: %s is not under the request path %s", idx, full,
                            b);
    return 0;
}

static int decode_entry(jdec *d, size_t idx, const char *bn, json_t *entry)
{
    if (!json_is_object(entry))
        return lc_error_set(d->err, LC_EINVAL, "OMA JSON: e[%zu] is not an object", idx);
    json_t *jn = json_object_get(entry, "n");
    if (jn && !json_is_string(jn))
        return lc_error_set(d->err, LC_EINVAL, "OMA JSON: e[%zu]: \"n\" must be a string", idx);
    lwm2m_path p;
    int rc = resolve_name(d, idx, bn, jn ? json_string_value(jn) : "", &p);
    if (rc)
        return rc;
    char where[PATH_TEXT];
    lwm2m_path_format(&p, where, sizeof where);

    static const char *const keys[] = {"v", "sv", "bv", "ov"};
    json_t *val = NULL;
    int which = -1;
    for (int k = 0; k < 4; k++) {
        json_t *x = json_object_get(entry, keys[k]);
        if (!x)
            continue;
        if (val)
            return lc_error_set(d->err, LC_EINVAL,
                                "OMA JSON: e[%zu] (%s) has both \"%s\" and \"%s\"; one value "
                                "per entry",
                                idx, where, keys[which], keys[k]);
        val = x;
        which = k;
    }
    switch (which) {
    case 0: rc = decode_number(d, idx, &p, where, val); break;
    case 1: {
        if (!json_is_string(val))
            return lc_error_set(d->err, LC_EINVAL,
                                "OMA JSON: e[%zu] (%s): \"sv\" must be a string", idx, where);
        const char *s = json_string_value(val);
        size_t n = json_string_length(val);
        lwm2m_type t = d->hint ? d->hint(&p, d->arg) : LV_NONE;
        if (t == LV_OPAQUE) {
            rc = records_add_from_text(d->out, &p, LV_OPAQUE, s, n, d->err);
            if (rc && rc != LC_ENOMEM)
                return lc_error_prefix(d->err, "OMA JSON: e[%zu]: ", idx);
        } else {
            rc = records_add_string_n(d->out, &p, s, n);
        }
        break;
    }
    case 2:
        if (!json_is_boolean(val))
            return lc_error_set(d->err, LC_EINVAL,
                                "OMA JSON: e[%zu] (%s): \"bv\" must be true or false", idx,
                                where);
        rc = records_add_bool(d->out, &p, json_is_true(val));
        break;
    case 3:
        if (!json_is_string(val))
            return lc_error_set(d->err, LC_EINVAL,
                                "OMA JSON: e[%zu] (%s): \"ov\" must be a string \"obj:inst\"",
                                idx, where);
        rc = records_add_from_text(d->out, &p, LV_OBJLNK, json_string_value(val),
                                   json_string_length(val), d->err);
        if (rc && rc != LC_ENOMEM)
            return lc_error_prefix(d->err, "OMA JSON: e[%zu]: ", idx);
        break;
    default:
        return lc_error_set(d->err, LC_EINVAL,
                            "OMA JSON: e[%zu] (%s) has no value (\"v\", \"sv\", \"bv\" or "
                            "\"ov\")",
                            idx, where);
    }
    if (rc == LC_ENOMEM)
        return lc_error_set(d->err, rc, "out of memory");
    return rc;
}

int omajson_decode(const lwm2m_path *base, const uint8_t *in, size_t len, lwm2m_type_hint hint,
                   void *arg, lwm2m_records *out, lc_error *err)
{
    json_error_t jerr;
    json_t *root = json_loadb((const char *)in, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return lc_error_set(err, LC_EINVAL, "OMA JSON: line %d column %d (byte %d): %s",
                            jerr.line, jerr.column, jerr.position, jerr.text);
    int rc = 0;
    size_t before = out->count;
    json_t *jbn = json_object_get(root, "bn"), *e = json_object_get(root, "e");
    if (!json_is_object(root)) {
        rc = lc_error_set(err, LC_EINVAL, "OMA JSON: the payload is not a JSON object");
    } else if (jbn && !json_is_string(jbn)) {
        rc = lc_error_set(err, LC_EINVAL, "OMA JSON: \"bn\" must be a string");
    } else if (!json_is_array(e)) {
        rc = lc_error_set(err, LC_EINVAL, "OMA JSON: the payload has no \"e\" array");
    } else {
        jdec d = {base, hint, arg, out, err};
        const char *bn = jbn ? json_string_value(jbn) : NULL;
        for (size_t i = 0; i < json_array_size(e) && !rc; i++)
            rc = decode_entry(&d, i, bn, json_array_get(e, i));
    }
    if (rc)
        records_truncate(out, before);
    json_decref(root);
    return rc;
}

const content_codec omajson_codec = {CF_OMA_JSON, "json", false, omajson_encode, omajson_decode};
