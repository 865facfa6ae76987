/* The CBOR reader and writer of cbor.h, over libcbor's streaming decoder and encoders. */
#include "lwm2m/content/cbor.h"

#include <cbor.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/content/content.h"
#include "lwm2m/content/senml.h"

#include <stdio.h>

/* ---- reading ---- */

/* libcbor calls one of these per item head; each fills the cb_item in the context. */
typedef struct cb_ctx {
    cb_item *it;
    int indef; /* an indefinite-length string starts: CB_BYTES or CB_TEXT, else -1 */
    bool tag;
} cb_ctx;

#define IT(c) (((cb_ctx *)(c))->it)

static void on_uint8(void *c, uint8_t v) { IT(c)->kind = CB_UINT, IT(c)->u = v; }
static void on_uint16(void *c, uint16_t v) { IT(c)->kind = CB_UINT, IT(c)->u = v; }
static void on_uint32(void *c, uint32_t v) { IT(c)->kind = CB_UINT, IT(c)->u = v; }
static void on_uint64(void *c, uint64_t v) { IT(c)->kind = CB_UINT, IT(c)->u = v; }
static void on_neg8(void *c, uint8_t v) { IT(c)->kind = CB_NEGINT, IT(c)->u = v; }
static void on_neg16(void *c, uint16_t v) { IT(c)->kind = CB_NEGINT, IT(c)->u = v; }
static void on_neg32(void *c, uint32_t v) { IT(c)->kind = CB_NEGINT, IT(c)->u = v; }
static void on_neg64(void *c, uint64_t v) { IT(c)->kind = CB_NEGINT, IT(c)->u = v; }
static void on_bytes(void *c, cbor_data d, size_t n)
{
    IT(c)->kind = CB_BYTES, IT(c)->data = d, IT(c)->len = n;
}
static void on_text(void *c, cbor_data d, size_t n)
{
    IT(c)->kind = CB_TEXT, IT(c)->data = d, IT(c)->len = n;
}
static void on_indef_bytes(void *c) { ((cb_ctx *)c)->indef = CB_BYTES; }
static void on_indef_text(void *c) { ((cb_ctx *)c)->indef = CB_TEXT; }
static void on_array(void *c, size_t n) { IT(c)->kind = CB_ARRAY, IT(c)->u = n; }
static void on_indef_array(void *c) { IT(c)->kind = CB_ARRAY, IT(c)->indefinite = true; }
static void on_map(void *c, size_t n) { IT(c)->kind = CB_MAP, IT(c)->u = n; }
static void on_indef_map(void *c) { IT(c)->kind = CB_MAP, IT(c)->indefinite = true; }
static void on_tag(void *c, uint64_t t) { (void)t, ((cb_ctx *)c)->tag = true; }
static void on_float(void *c, float f) { IT(c)->kind = CB_FLOAT, IT(c)->f = f; }
static void on_double(void *c, double f) { IT(c)->kind = CB_FLOAT, IT(c)->f = f; }
static void on_null(void *c) { IT(c)->kind = CB_NULL; }
static void on_undef(void *c) { IT(c)->kind = CB_UNDEF; }
static void on_bool(void *c, bool b) { IT(c)->kind = CB_BOOL, IT(c)->b = b; }
static void on_break(void *c) { IT(c)->kind = CB_BREAK; }

static const struct cbor_callbacks callbacks = {
    .uint8 = on_uint8,
    .uint16 = on_uint16,
    .uint32 = on_uint32,
    .uint64 = on_uint64,
    .negint8 = on_neg8,
    .negint16 = on_neg16,
    .negint32 = on_neg32,
    .negint64 = on_neg64,
    .byte_string_start = on_indef_bytes,
    .byte_string = on_bytes,
    .string_start = on_indef_text,
    .string = on_text,
    .indef_array_start = on_indef_array,
    .array_start = on_array,
    .indef_map_start = on_indef_map,
    .map_start = on_map,
    .tag = on_tag,
    .float2 = on_float,
    .float4 = on_float,
    .float8 = on_double,
    .undefined = on_undef,
    .null = on_null,
    .boolean = on_bool,
    .indef_break = on_break,
};

/* Well-formed UTF-8 (RFC 3629): no overlong forms, surrogates or code points past U+10FFFF. */
bool cb_utf8_valid(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint8_t c = s[i];
        size_t len;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xE0) == 0xC0)
            len = 2, cp = c & 0x1Fu, min = 0x80;
        else if ((c & 0xF0) == 0xE0)
            len = 3, cp = c & 0x0Fu, min = 0x800;
        else if ((c & 0xF8) == 0xF0)
            len = 4, cp = c & 0x07u, min = 0x10000;
        else
            return false;
        if (n - i < len)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

void cb_reader_init(cb_reader *r, const char *fmt, const uint8_t *p, size_t len, lc_error *err)
{
    memset(r, 0, sizeof *r);
    r->p = p;
    r->len = len;
    r->fmt = fmt;
    r->err = err;
}

void cb_reader_release(cb_reader *r, size_t keep)
{
    while (r->nbufs > keep)
        free(r->bufs[--r->nbufs]);
}

void cb_reader_free(cb_reader *r)
{
    cb_reader_release(r, 0);
    free(r->bufs);
    r->bufs = NULL;
}

/* One head at r->off through libcbor; advances past it. */
static int decode_head(cb_reader *r, cb_item *it, cb_ctx *ctx)
{
    memset(it, 0, sizeof *it);
    it->offset = r->off;
    it->kind = (cb_kind)-1;
    ctx->it = it;
    ctx->indef = -1;
    ctx->tag = false;
    if (r->off >= r->len)
        return lc_error_set(r->err, LC_EINVAL,
                            "%s: the payload ends at byte %zu where an item was expected",
                            r->fmt, r->off);
    struct cbor_decoder_result res =
        cbor_stream_decode(r->p + r->off, r->len - r->off, &callbacks, ctx);
    if (res.status == CBOR_DECODER_NEDATA)
        return lc_error_set(r->err, LC_EINVAL,
                            "%s: the item at byte %zu runs past the end of the payload "
                            "(%zu bytes)",
                            r->fmt, r->off, r->len);
    if (res.status != CBOR_DECODER_FINISHED || res.read == 0)
        return lc_error_set(r->err, LC_EINVAL, "%s: malformed CBOR at byte %zu (0x%02x)",
                            r->fmt, r->off, r->p[r->off]);
    if ((int)it->kind == -1 && !ctx->tag && ctx->indef < 0)
        return lc_error_set(r->err, LC_EINVAL, "%s: unsupported simple value at byte %zu",
                            r->fmt, r->off);
    r->off += res.read;
    return 0;
}

/* The chunks of an indefinite-length string (RFC 8949 §3.2.3), definite strings of its
 * own major type up to a break, joined into a buffer the reader keeps until
 * cb_reader_free. Their total is bounded by the payload. */
static int join_chunks(cb_reader *r, cb_item *it, cb_kind kind)
{
    size_t start = it->offset, cap = 16, n = 0;
    uint8_t *buf = malloc(cap);
    uint8_t **bufs = buf ? realloc(r->bufs, (r->nbufs + 1) * sizeof *bufs) : NULL;
    if (!bufs) {
        free(buf);
        return lc_error_set(r->err, LC_ENOMEM, "%s: out of memory", r->fmt);
    }
    r->bufs = bufs;
    r->bufs[r->nbufs++] = buf;
    for (;;) {
        cb_item c;
        cb_ctx ctx;
        int rc = decode_head(r, &c, &ctx);
        if (rc)
            return rc;
        if (c.kind == CB_BREAK)
            break;
        if (c.kind != kind || ctx.tag || ctx.indef >= 0)
            return lc_error_set(r->err, LC_EINVAL,
                                "%s: the indefinite-length string at byte %zu holds %s at byte "
                                "%zu (only definite chunks of its own type may)",
                                r->fmt, start, ctx.indef >= 0 ? "another indefinite string"
                                               : ctx.tag      ? "a tag"
                                                              : cb_kind_name(c.kind),
                                c.offset);
        if (c.len > cap - n) {
            while (c.len > cap - n)
                cap *= 2;
            uint8_t *nb = realloc(buf, cap);
            if (!nb)
                return lc_error_set(r->err, LC_ENOMEM, "%s: out of memory", r->fmt);
            buf = nb;
            r->bufs[r->nbufs - 1] = buf;
        }
        if (c.len)
            memcpy(buf + n, c.data, c.len);
        n += c.len;
    }
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->offset = start;
    it->data = buf;
    it->len = n;
    return 0;
}

int cb_next(cb_reader *r, cb_item *it)
{
    /* Tags carry no LwM2M meaning here: read through them (each is at least a byte). */
    for (;;) {
        cb_ctx ctx;
        int rc = decode_head(r, it, &ctx);
        if (rc)
            return rc;
        if (ctx.tag)
            continue;
        if (ctx.indef >= 0 && (rc = join_chunks(r, it, (cb_kind)ctx.indef)))
            return rc;
        if (it->kind == CB_TEXT && !cb_utf8_valid(it->data, it->len))
            return lc_error_set(r->err, LC_EINVAL,
                                "%s: the text string at byte %zu is not valid UTF-8 (RFC 8949 "
                                "§3.1; send bytes as a byte string)",
                                r->fmt, it->offset);
        return 0;
    }
}

int cb_more(cb_reader *r, const cb_item *c, uint64_t *left)
{
    if (!c->indefinite) {
        if (*left == 0)
            return 0;
        (*left)--;
        return 1;
    }
    size_t at = r->off;
    cb_item it;
    int rc = cb_next(r, &it);
    if (rc)
        return rc;
    if (it.kind == CB_BREAK)
        return 0;
    r->off = at;
    return 1;
}

int cb_skip(cb_reader *r, const cb_item *first)
{
    /* Entries still to read per open container (maps count keys and values). */
    struct {
        uint64_t left;
        bool indefinite;
    } stack[CONTENT_MAX_NESTING];
    int depth = 0;
    cb_item it = *first;
    for (;;) {
        if (it.kind == CB_ARRAY || it.kind == CB_MAP) {
            if (depth == CONTENT_MAX_NESTING)
                return lc_error_set(r->err, LC_EINVAL,
                                    "%s: containers nested more than %d deep at byte %zu",
                                    r->fmt, CONTENT_MAX_NESTING, it.offset);
            stack[depth].indefinite = it.indefinite;
            stack[depth].left = it.kind == CB_MAP && !it.indefinite
                                    ? (it.u > UINT64_MAX / 2 ? UINT64_MAX : it.u * 2)
                                    : it.u;
            depth++;
        } else if (it.kind == CB_BREAK) {
            if (depth == 0 || !stack[depth - 1].indefinite)
                return lc_error_set(r->err, LC_EINVAL, "%s: unexpected break at byte %zu",
                                    r->fmt, it.offset);
            depth--;
        }
        /* Close every definite container that is complete. */
        while (depth > 0 && !stack[depth - 1].indefinite && stack[depth - 1].left == 0)
            depth--;
        if (depth == 0)
            return 0;
        if (!stack[depth - 1].indefinite)
            stack[depth - 1].left--;
        size_t mark = r->nbufs;
        int rc = cb_next(r, &it);
        cb_reader_release(r, mark); /* a skipped string is not kept */
        if (rc)
            return rc;
    }
}

const char *cb_kind_name(cb_kind k)
{
    switch (k) {
    case CB_UINT: return "an unsigned integer";
    case CB_NEGINT: return "a negative integer";
    case CB_BYTES: return "a byte string";
    case CB_TEXT: return "a text string";
    case CB_ARRAY: return "an array";
    case CB_MAP: return "a map";
    case CB_FLOAT: return "a float";
    case CB_BOOL: return "a boolean";
    case CB_NULL: return "null";
    case CB_UNDEF: return "undefined";
    case CB_BREAK: return "a break";
    }
    return "an unknown item";
}

/* ---- writing ---- */

/* Room for n more bytes; false (and w->oom) when memory runs out. */
static bool reserve(cb_writer *w, size_t n)
{
    if (w->oom)
        return false;
    if (n <= w->cap - w->len)
        return true;
    size_t ncap = w->cap ? w->cap : 64;
    while (ncap - w->len < n)
        ncap *= 2;
    uint8_t *p = realloc(w->p, ncap);
    if (!p) {
        w->oom = true;
        return false;
    }
    w->p = p;
    w->cap = ncap;
    return true;
}

/* Every head fits in 9 bytes; the encoders write into the reserved room. */
#define ROOM(w) (w)->p + (w)->len, (w)->cap - (w)->len

void cb_uint(cb_writer *w, uint64_t v)
{
    if (reserve(w, 9))
        w->len += cbor_encode_uint(v, ROOM(w));
}

void cb_int(cb_writer *w, int64_t v)
{
    if (v >= 0)
        cb_uint(w, (uint64_t)v);
    else if (reserve(w, 9))
        w->len += cbor_encode_negint((uint64_t)(-(v + 1)), ROOM(w)); /* -1 - v, safe at INT64_MIN */
}

void cb_float(cb_writer *w, double v)
{
    float s = (float)v;
    if (!reserve(w, 9))
        return;
    if ((double)s == v || v != v)
        w->len += cbor_encode_single(s, ROOM(w));
    else
        w->len += cbor_encode_double(v, ROOM(w));
}

void cb_bool(cb_writer *w, bool v)
{
    if (reserve(w, 9))
        w->len += cbor_encode_bool(v, ROOM(w));
}

static void string(cb_writer *w, bool text, const void *s, size_t n)
{
    if (n > SIZE_MAX - 9 || !reserve(w, 9 + n))
        return;
    w->len += text ? cbor_encode_string_start(n, ROOM(w)) : cbor_encode_bytestring_start(n, ROOM(w));
    if (n)
        memcpy(w->p + w->len, s, n);
    w->len += n;
}

void cb_text(cb_writer *w, const char *s, size_t n) { string(w, true, s, n); }
void cb_bytes(cb_writer *w, const uint8_t *b, size_t n) { string(w, false, b, n); }

void cb_array(cb_writer *w, size_t n)
{
    if (reserve(w, 9))
        w->len += cbor_encode_array_start(n, ROOM(w));
}

void cb_map(cb_writer *w, size_t n)
{
    if (reserve(w, 9))
        w->len += cbor_encode_map_start(n, ROOM(w));
}

/* ---- LwM2M values ---- */

int cb_put_value(cb_writer *w, const lwm2m_record *rec, const char *fmt, lc_error *err)
{
    char t[32];
    switch (rec->type) {
    case LV_INTEGER:
    case LV_TIME: cb_int(w, rec->i); return 0;
    case LV_UNSIGNED: cb_uint(w, (uint64_t)rec->i); return 0;
    case LV_FLOAT: cb_float(w, rec->f); return 0;
    case LV_BOOLEAN: cb_bool(w, rec->b); return 0;
    case LV_STRING:
        if (!cb_utf8_valid(rec->bytes, rec->len))
            break;
        cb_text(w, (const char *)rec->bytes, rec->len);
        return 0;
    case LV_OPAQUE: cb_bytes(w, rec->bytes, rec->len); return 0;
    case LV_OBJLNK:
        cb_text(w, t, (size_t)snprintf(t, sizeof t, "%u:%u", (unsigned)rec->objlnk[0],
                                       (unsigned)rec->objlnk[1]));
        return 0;
    case LV_NONE: break;
    }
    lwm2m_path_format(&rec->path, t, sizeof t);
    if (rec->type == LV_STRING)
        return lc_error_set(err, LC_EINVAL,
                            "%s: %s: the string is not valid UTF-8 (send it as opaque)", fmt, t);
    return lc_error_set(err, LC_EINVAL, "%s: %s has no value type", fmt, t);
}

int cb_add_value(lwm2m_records *out, const lwm2m_path *p, int t, const cb_item *v, char *why,
                 size_t cap)
{
    senml_num num = {0};
    int rc;
    switch (v->kind) {
    case CB_UINT:
    case CB_NEGINT:
        if (v->u <= (uint64_t)INT64_MAX) {
            num.kind = SENML_INT;
            num.i = v->kind == CB_UINT ? (int64_t)v->u : -1 - (int64_t)v->u;
        } else if (v->kind == CB_UINT) {
            num.kind = SENML_UINT;
            num.u = v->u;
        } else {
            num.kind = SENML_FLOAT; /* below INT64_MIN: only a float holds it */
            num.f = -1.0 - (double)v->u;
        }
        break;
    case CB_FLOAT:
        num.kind = SENML_FLOAT;
        num.f = v->f;
        break;
    case CB_TEXT:
        if (t == LV_OBJLNK) {
            lc_error e;
            rc = records_add_from_text(out, p, LV_OBJLNK, (const char *)v->data, v->len, &e);
            if (rc == LC_EINVAL) {
                const char *m = strstr(e.msg, ": "); /* after the path the message starts with */
                snprintf(why, cap, "%s", m ? m + 2 : e.msg);
            }
            return rc;
        }
        return records_add_string_n(out, p, (const char *)v->data, v->len);
    case CB_BYTES: return records_add_opaque(out, p, v->data, v->len);
    case CB_BOOL: return records_add_bool(out, p, v->b);
    default:
        snprintf(why, cap, "%s is not a value (integer, float, boolean, text or byte string)",
                 cb_kind_name(v->kind));
        return LC_EINVAL;
    }
    char nwhy[160];
    rc = senml_add_number(out, p, (lwm2m_type)t, &num, nwhy, sizeof nwhy);
    if (rc == LC_EINVAL)
        snprintf(why, cap, "the value %s", nwhy);
    return rc;
}
