/* OMA-TLV (application/vnd.oma.lwm2m+tlv, LwM2M 1.0 §6.4.3).
 *
 * Type byte: bits 7-6 what the identifier names (00 object instance, 01 resource instance,
 * 10 multiple resource, 11 resource with value); bit 5 identifier width (0: 8 bits,
 * 1: 16 bits); bits 4-3 length field width (00: none, the length is in bits 2-0; 01/10/11:
 * 8/16/24 bits); then the identifier and the length, big-endian, then the value.
 *
 * Encoding choices (a decoder must accept every valid variant; these are ours):
 *   - identifiers and lengths use the shortest form;
 *   - integers and time: the shortest of 1, 2, 4, 8 bytes in two's complement;
 *     unsigned integers the shortest of 1, 2, 4, 8 bytes unsigned;
 *   - floats: 4 bytes when the value is exactly representable as an IEEE 754 single
 *     (1.5, 0.25, 3.0), 8 bytes otherwise (0.1);
 *   - booleans 1 byte, objlnk 4 bytes (object, instance), strings and opaque raw;
 *   - resources and instances in the order of their first record.
 *
 * Every TLV addresses one level of the path: object instance (ids[1]), resource
 * (ids[2], with value or multiple), resource instance (ids[3]). A TLV nests only in the
 * TLV one level above it, which bounds the nesting at three. At the top of a payload a TLV
 * is either one level below the request path or (tolerated, since clients wrap their
 * answer this way) at the level of the request path itself with the same id: a Read of
 * /3/0 may answer with resource TLVs or with one object-instance TLV 0. */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/content/content.h"

enum { TLV_OBJECT_INSTANCE = 0, TLV_RESOURCE_INSTANCE = 1, TLV_MULTIPLE = 2, TLV_RESOURCE = 3 };

#define TLV_MAX_LENGTH 0xffffffu /* 24-bit length field */

static const char *const kind_names[] = {"an object instance", "a resource instance",
                                         "a multiple resource", "a resource"};

/* The path depth a TLV kind addresses. */
static int kind_level(int kind)
{
    switch (kind) {
    case TLV_OBJECT_INSTANCE: return 2;
    case TLV_MULTIPLE:
    case TLV_RESOURCE: return 3;
    default: return 4;
    }
}

/* ---- growable output buffer ---- */

typedef struct tbuf {
    uint8_t *p;
    size_t len, cap;
} tbuf;

static int tbuf_put(tbuf *b, const void *data, size_t n)
{
    if (n > b->cap - b->len) {
        size_t ncap = b->cap ? b->cap : 64;
        while (ncap - b->len < n)
            ncap *= 2;
        uint8_t *np = realloc(b->p, ncap);
        if (!np)
            return LC_ENOMEM;
        b->p = np;
        b->cap = ncap;
    }
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    return 0;
}

/* ---- encoding ---- */

static int put_tlv(tbuf *out, int kind, int32_t id, const uint8_t *value, size_t vlen,
                   lc_error *err)
{
    uint8_t h[6];
    size_t n = 1;
    h[0] = (uint8_t)(kind << 6);
    if (id > 255) {
        h[0] |= 0x20;
        h[n++] = (uint8_t)(id >> 8);
    }
    h[n++] = (uint8_t)id;
    if (vlen < 8) {
        h[0] |= (uint8_t)vlen;
    } else if (vlen <= 0xff) {
        h[0] |= 0x08;
        h[n++] = (uint8_t)vlen;
    } else if (vlen <= 0xffff) {
        h[0] |= 0x10;
        h[n++] = (uint8_t)(vlen >> 8);
        h[n++] = (uint8_t)vlen;
    } else if (vlen <= TLV_MAX_LENGTH) {
        h[0] |= 0x18;
        h[n++] = (uint8_t)(vlen >> 16);
        h[n++] = (uint8_t)(vlen >> 8);
        h[n++] = (uint8_t)vlen;
    } else {
        return lc_error_set(err, LC_EINVAL,
                            "TLV: %s of %zu bytes exceeds the 24-bit TLV length limit",
                            kind_names[kind], vlen);
    }
    if (tbuf_put(out, h, n) || tbuf_put(out, value, vlen))
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    return 0;
}

static void put_be(uint8_t *dst, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

/* The value bytes of rec into tmp (numbers) or pointing at rec's own bytes. */
static int value_bytes(const lwm2m_record *rec, uint8_t tmp[8], const uint8_t **data,
                       size_t *n, lc_error *err)
{
    *data = tmp;
    switch (rec->type) {
    case LV_INTEGER:
    case LV_TIME: {
        int64_t v = rec->i;
        *n = (v >= INT8_MIN && v <= INT8_MAX)     ? 1
             : (v >= INT16_MIN && v <= INT16_MAX) ? 2
             : (v >= INT32_MIN && v <= INT32_MAX) ? 4
                                                  : 8;
        put_be(tmp, (uint64_t)v, *n);
        return 0;
    }
    case LV_UNSIGNED: {
        uint64_t v = (uint64_t)rec->i;
        *n = v <= UINT8_MAX ? 1 : v <= UINT16_MAX ? 2 : v <= UINT32_MAX ? 4 : 8;
        put_be(tmp, v, *n);
        return 0;
    }
    case LV_FLOAT: {
        double d = rec->f;
        /* Converting an out-of-range double to float is undefined, so range-check first. */
        if (isinf(d) || (isfinite(d) && fabs(d) <= FLT_MAX && (double)(float)d == d)) {
            float f = (float)d;
            uint32_t bits;
            memcpy(&bits, &f, 4);
            put_be(tmp, bits, 4);
            *n = 4;
        } else {
            uint64_t bits;
            memcpy(&bits, &d, 8);
            put_be(tmp, bits, 8);
            *n = 8;
        }
        return 0;
    }
    case LV_BOOLEAN:
        tmp[0] = rec->b ? 1 : 0;
        *n = 1;
        return 0;
    case LV_OBJLNK:
        put_be(tmp, rec->objlnk[0], 2);
        put_be(tmp + 2, rec->objlnk[1], 2);
        *n = 4;
        return 0;
    case LV_STRING:
    case LV_OPAQUE:
        *data = rec->bytes;
        *n = rec->len;
        return 0;
    case LV_NONE: break;
    }
    char p[32];
    lwm2m_path_format(&rec->path, p, sizeof p);
    return lc_error_set(err, LC_EINVAL, "TLV: the record for %s has no value type", p);
}

static int put_value_tlv(tbuf *out, int kind, int32_t id, const lwm2m_record *rec,
                         lc_error *err)
{
    uint8_t tmp[8];
    const uint8_t *data = NULL;
    size_t n = 0;
    int rc = value_bytes(rec, tmp, &data, &n, err);
    return rc ? rc : put_tlv(out, kind, id, data, n, err);
}

typedef struct enc {
    const lwm2m_records *in;
    bool *used; /* one per record: already written */
    lc_error *err;
} enc;

/* The resource at res (depth 3): a resource TLV when a record is at res itself, otherwise
 * a multiple-resource TLV of its resource instances. Validation already refused a resource
 * with both. */
static int encode_resource(enc *e, tbuf *out, const lwm2m_path *res)
{
    const lwm2m_records *in = e->in;
    for (size_t i = 0; i < in->count; i++) {
        if (!e->used[i] && lwm2m_path_equal(&in->items[i].path, res)) {
            e->used[i] = true;
            return put_value_tlv(out, TLV_RESOURCE, res->ids[2], &in->items[i], e->err);
        }
    }
    tbuf inner = {0};
    int rc = 0;
    for (size_t i = 0; i < in->count && !rc; i++) {
        const lwm2m_record *rec = &in->items[i];
        if (e->used[i] || rec->path.depth != 4 || !lwm2m_path_is_under(&rec->path, res))
            continue;
        e->used[i] = true;
        rc = put_value_tlv(&inner, TLV_RESOURCE_INSTANCE, rec->path.ids[3], rec, e->err);
    }
    if (!rc)
        rc = put_tlv(out, TLV_MULTIPLE, res->ids[2], inner.p, inner.len, e->err);
    free(inner.p);
    return rc;
}

/* The resources of the instance at inst (depth 2), in the order of their first record. */
static int encode_instance_content(enc *e, tbuf *out, const lwm2m_path *inst)
{
    const lwm2m_records *in = e->in;
    for (size_t i = 0; i < in->count; i++) {
        if (e->used[i] || !lwm2m_path_is_under(&in->items[i].path, inst))
            continue;
        lwm2m_path res = in->items[i].path;
        res.depth = 3;
        res.ids[3] = LWM2M_ID_NONE;
        int rc = encode_resource(e, out, &res);
        if (rc)
            return rc;
    }
    return 0;
}

/* Every record must name a resource or resource instance under base, once. */
static int encode_validate(const lwm2m_path *base, const lwm2m_records *in, lc_error *err)
{
    char b[32], p[32], q[32];
    lwm2m_path_format(base, b, sizeof b);
    if (base->depth < 1)
        return lc_error_set(err, LC_EINVAL,
                            "TLV cannot encode values for the root path: it has no object-level "
                            "TLV (encode each object separately)");
    for (size_t i = 0; i < in->count; i++) {
        const lwm2m_path *rp = &in->items[i].path;
        lwm2m_path_format(rp, p, sizeof p);
        if (rp->depth < 3)
            return lc_error_set(err, LC_EINVAL,
                                "TLV: record %s is not a resource or a resource instance", p);
        if (!lwm2m_path_is_under(rp, base))
            return lc_error_set(err, LC_EINVAL,
                                "TLV: record %s is not under the request path %s", p, b);
        for (size_t j = 0; j < i; j++) {
            const lwm2m_path *op = &in->items[j].path;
            if (lwm2m_path_equal(rp, op))
                return lc_error_set(err, LC_EINVAL, "TLV: two records for %s", p);
            if (lwm2m_path_is_under(rp, op) || lwm2m_path_is_under(op, rp)) {
                lwm2m_path_format(op, q, sizeof q);
                return lc_error_set(err, LC_EINVAL,
                                    "TLV: records for both %s and %s: a resource is either "
                                    "single (a value) or multiple (instances)",
                                    q, p);
            }
        }
    }
    if (base->depth == 4 && in->count != 1)
        return lc_error_set(err, LC_EINVAL,
                            "TLV: a resource instance %s carries exactly one value, %zu given",
                            b, in->count);
    return 0;
}

int tlv_encode(const lwm2m_path *base, const lwm2m_records *in, uint8_t **out, size_t *len,
               lc_error *err)
{
    *out = NULL;
    *len = 0;
    int rc = encode_validate(base, in, err);
    if (rc)
        return rc;
    enc e = {in, calloc(in->count + 1, sizeof(bool)), err};
    if (!e.used)
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    tbuf buf = {0};
    switch (base->depth) {
    case 1:
        for (size_t i = 0; i < in->count && !rc; i++) {
            if (e.used[i])
                continue;
            lwm2m_path inst = in->items[i].path;
            inst.depth = 2;
            inst.ids[2] = inst.ids[3] = LWM2M_ID_NONE;
            tbuf inner = {0};
            rc = encode_instance_content(&e, &inner, &inst);
            if (!rc)
                rc = put_tlv(&buf, TLV_OBJECT_INSTANCE, inst.ids[1], inner.p, inner.len, err);
            free(inner.p);
        }
        break;
    case 2: rc = encode_instance_content(&e, &buf, base); break;
    case 3:
        /* No record: nothing to say (an empty multiple resource has no record to carry). */
        if (in->count)
            rc = encode_resource(&e, &buf, base);
        break;
    default: rc = put_value_tlv(&buf, TLV_RESOURCE_INSTANCE, base->ids[3], &in->items[0], err);
    }
    free(e.used);
    /* An empty payload is still a buffer, so callers need not special-case NULL. */
    if (!rc && !buf.p && !(buf.p = malloc(1)))
        rc = lc_error_set(err, LC_ENOMEM, "out of memory");
    if (rc) {
        free(buf.p);
        return rc;
    }
    *out = buf.p;
    *len = buf.len;
    return 0;
}

/* ---- decoding ---- */

typedef struct dec {
    const uint8_t *in;
    size_t len;
    lwm2m_path base;
    lwm2m_type_hint hint;
    void *arg;
    lwm2m_records *out;
    lc_error *err;
} dec;

typedef struct tlv_item {
    int kind;
    int32_t id;
    size_t off;     /* of the type byte */
    size_t value;   /* offset of the value */
    size_t vlen;
} tlv_item;

/* Reads the header at off; the whole TLV must end by end (its parent's end). */
static int read_header(dec *d, size_t off, size_t end, tlv_item *it)
{
    const uint8_t *p = d->in;
    uint8_t t = p[off];
    size_t idlen = (t & 0x20) ? 2 : 1;
    size_t lenlen = (t >> 3) & 3;
    size_t hdr = 1 + idlen + lenlen;
    if (hdr > end - off) {
        if (end == d->len)
            return lc_error_set(d->err, LC_EINVAL,
                                "TLV: header of %zu bytes at offset %zu runs past the end (%zu "
                                "bytes)",
                                hdr, off, d->len);
        return lc_error_set(d->err, LC_EINVAL,
                            "TLV: header of %zu bytes at offset %zu runs past the end of its "
                            "enclosing TLV (offset %zu)",
                            hdr, off, end);
    }
    it->kind = t >> 6;
    it->off = off;
    it->id = idlen == 2 ? (int32_t)(p[off + 1] << 8 | p[off + 2]) : (int32_t)p[off + 1];
    size_t vlen = 0;
    if (lenlen == 0)
        vlen = t & 7;
    for (size_t i = 0; i < lenlen; i++)
        vlen = vlen << 8 | p[off + 1 + idlen + i];
    it->value = off + hdr;
    it->vlen = vlen;
    if (vlen > end - it->value) {
        if (end == d->len)
            return lc_error_set(d->err, LC_EINVAL,
                                "TLV: length %zu at offset %zu runs past the end (%zu bytes)",
                                vlen, off, d->len);
        return lc_error_set(d->err, LC_EINVAL,
                            "TLV: length %zu at offset %zu runs past the end of its enclosing "
                            "TLV (offset %zu)",
                            vlen, off, end);
    }
    return 0;
}

static uint64_t get_be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* Types the value of it at path with the hint and appends the record. */
static int decode_value(dec *d, const tlv_item *it, const lwm2m_path *path)
{
    const uint8_t *v = d->in + it->value;
    size_t n = it->vlen;
    char where[32];
    lwm2m_path_format(path, where, sizeof where);
    lwm2m_type t = d->hint ? d->hint(path, d->arg) : LV_NONE;
    int rc;
    switch (t) {
    case LV_INTEGER:
    case LV_TIME: {
        if (n != 1 && n != 2 && n != 4 && n != 8)
            return lc_error_set(d->err, LC_EINVAL,
                                "TLV: %s at offset %zu: %s value has 1, 2, 4 or 8 bytes, not %zu",
                                where, it->off, t == LV_TIME ? "a time" : "an integer", n);
        uint64_t u = get_be(v, n);
        if (n < 8 && (v[0] & 0x80))
            u |= ~UINT64_C(0) << (8 * n); /* sign-extend */
        int64_t s = (int64_t)u;
        rc = t == LV_TIME ? records_add_time(d->out, path, s) : records_add_int(d->out, path, s);
        break;
    }
    case LV_UNSIGNED: {
        if (n != 1 && n != 2 && n != 4 && n != 8)
            return lc_error_set(d->err, LC_EINVAL,
                                "TLV: %s at offset %zu: an unsigned value has 1, 2, 4 or 8 "
                                "bytes, not %zu",
                                where, it->off, n);
        uint64_t u = get_be(v, n);
        if (u > (uint64_t)INT64_MAX)
            return lc_error_set(d->err, LC_EUNSUPPORTED,
                                "TLV: %s at offset %zu: unsigned value %" PRIu64
                                " is above the supported maximum 9223372036854775807",
                                where, it->off, u);
        rc = records_add_unsigned(d->out, path, u);
        break;
    }
    case LV_FLOAT:
        if (n == 4) {
            uint32_t bits = (uint32_t)get_be(v, 4);
            float f;
            memcpy(&f, &bits, 4);
            rc = records_add_float(d->out, path, f);
        } else if (n == 8) {
            uint64_t bits = get_be(v, 8);
            double f;
            memcpy(&f, &bits, 8);
            rc = records_add_float(d->out, path, f);
        } else {
            return lc_error_set(d->err, LC_EINVAL,
                                "TLV: %s at offset %zu: a float value has 4 or 8 bytes, not %zu",
                                where, it->off, n);
        }
        break;
    case LV_BOOLEAN:
        if (n != 1 || v[0] > 1)
            return lc_error_set(d->err, LC_EINVAL,
                                "TLV: %s at offset %zu: a boolean value is one byte 0 or 1 (got "
                                "%zu bytes%s)",
                                where, it->off, n, n == 1 ? " with another value" : "");
        rc = records_add_bool(d->out, path, v[0] == 1);
        break;
    case LV_OBJLNK:
        if (n != 4)
            return lc_error_set(d->err, LC_EINVAL,
                                "TLV: %s at offset %zu: an objlnk value has 4 bytes, not %zu",
                                where, it->off, n);
        rc = records_add_objlnk(d->out, path, (uint16_t)get_be(v, 2),
                                (uint16_t)get_be(v + 2, 2));
        break;
    case LV_STRING: rc = records_add_string_n(d->out, path, (const char *)v, n); break;
    default: rc = records_add_opaque(d->out, path, v, n); break;
    }
    return rc ? lc_error_set(d->err, LC_ENOMEM, "out of memory") : 0;
}

/* Decodes the TLVs in [off, end) whose container is at path parent (depth = its level). */
static int decode_range(dec *d, size_t off, size_t end, const lwm2m_path *parent, bool top)
{
    while (off < end) {
        tlv_item it = {0};
        int rc = read_header(d, off, end, &it);
        if (rc)
            return rc;
        int level = kind_level(it.kind);
        lwm2m_path path = *parent;
        if (level == parent->depth + 1) {
            path.ids[parent->depth] = it.id;
            path.depth = level;
        } else if (!(top && level == parent->depth && parent->ids[level - 1] == it.id)) {
            char p[32];
            lwm2m_path_format(parent, p, sizeof p);
            return lc_error_set(d->err, LC_EINVAL,
                                "TLV: %s TLV (id %d) at offset %zu cannot appear %s %s",
                                kind_names[it.kind], (int)it.id, off,
                                top ? "in a payload for" : "inside", p);
        }
        if (it.kind == TLV_OBJECT_INSTANCE || it.kind == TLV_MULTIPLE)
            rc = decode_range(d, it.value, it.value + it.vlen, &path, false);
        else
            rc = decode_value(d, &it, &path);
        if (rc)
            return rc;
        off = it.value + it.vlen;
    }
    return 0;
}

int tlv_decode(const lwm2m_path *base, const uint8_t *in, size_t len, lwm2m_type_hint hint,
               void *arg, lwm2m_records *out, lc_error *err)
{
    if (base->depth < 1) {
        return lc_error_set(err, LC_EINVAL,
                            "TLV: a payload for the root path cannot be decoded (TLV has no "
                            "object level)");
    }
    dec d = {in, len, *base, hint, arg, out, err};
    size_t before = out->count;
    int rc = decode_range(&d, 0, len, base, true);
    if (rc)
        records_truncate(out, before);
    return rc;
}

const content_codec tlv_codec = {CF_TLV, "tlv", false, tlv_encode, tlv_decode};
