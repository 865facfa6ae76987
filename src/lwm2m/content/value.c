#include "lwm2m/content/value.h"

#include "common/base64.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- content-format names ---- */

const char *content_format_name(int cf)
{
    switch (cf) {
    case CF_TEXT:
    case CF_TEXT_LEGACY: return "text/plain";
    case CF_LINK_FORMAT: return "application/link-format";
    case CF_OPAQUE: return "application/octet-stream";
    case CF_CBOR: return "application/cbor";
    case CF_SENML_JSON: return "application/senml+json";
    case CF_SENML_CBOR: return "application/senml+cbor";
    case CF_TLV:
    case CF_TLV_LEGACY: return "application/vnd.oma.lwm2m+tlv";
    case CF_OMA_JSON:
    case CF_JSON_LEGACY: return "application/vnd.oma.lwm2m+json";
    case CF_LWM2M_CBOR: return "application/vnd.oma.lwm2m+cbor";
    default: return "unknown";
    }
}

static const struct {
    const char *name;
    int cf;
} cf_aliases[] = {
    {"text", CF_TEXT},
    {"text/plain", CF_TEXT},
    {"link", CF_LINK_FORMAT},
    {"link-format", CF_LINK_FORMAT},
    {"application/link-format", CF_LINK_FORMAT},
    {"opaque", CF_OPAQUE},
    {"octet-stream", CF_OPAQUE},
    {"application/octet-stream", CF_OPAQUE},
    {"cbor", CF_CBOR},
    {"application/cbor", CF_CBOR},
    {"senml-json", CF_SENML_JSON},
    {"application/senml+json", CF_SENML_JSON},
    {"senml-cbor", CF_SENML_CBOR},
    {"application/senml+cbor", CF_SENML_CBOR},
    {"tlv", CF_TLV},
    {"application/vnd.oma.lwm2m+tlv", CF_TLV},
    {"json", CF_OMA_JSON},
    {"oma-json", CF_OMA_JSON},
    {"application/vnd.oma.lwm2m+json", CF_OMA_JSON},
    {"lwm2m-cbor", CF_LWM2M_CBOR},
    {"application/vnd.oma.lwm2m+cbor", CF_LWM2M_CBOR},
};

int content_format_from_name(const char *name)
{
    if (!name || !*name)
        return CF_NONE;
    for (size_t i = 0; i < sizeof cf_aliases / sizeof cf_aliases[0]; i++)
        if (strcmp(name, cf_aliases[i].name) == 0)
            return cf_aliases[i].cf;
    /* A CoAP Content-Format is a 16-bit unsigned number. */
    long v = 0;
    for (const char *c = name; *c; c++) {
        if (*c < '0' || *c > '9')
            return CF_NONE;
        v = v * 10 + (*c - '0');
        if (v > 65535)
            return CF_NONE;
    }
    return (int)v;
}

/* ---- types ---- */

static const char *const type_names[] = {
    [LV_NONE] = "none",       [LV_INTEGER] = "integer", [LV_UNSIGNED] = "unsigned",
    [LV_FLOAT] = "float",     [LV_BOOLEAN] = "boolean", [LV_STRING] = "string",
    [LV_OPAQUE] = "opaque",   [LV_TIME] = "time",       [LV_OBJLNK] = "objlnk",
};

const char *lwm2m_type_name(lwm2m_type t)
{
    if ((int)t < 0 || (size_t)t >= sizeof type_names / sizeof type_names[0])
        return "none";
    return type_names[t];
}

lwm2m_type lwm2m_type_from_name(const char *name)
{
    if (!name)
        return LV_NONE;
    for (size_t i = 1; i < sizeof type_names / sizeof type_names[0]; i++)
        if (strcmp(name, type_names[i]) == 0)
            return (lwm2m_type)i;
    if (strcmp(name, "unsigned integer") == 0)
        return LV_UNSIGNED;
    return LV_NONE;
}

/* ---- records ---- */

void records_init(lwm2m_records *r)
{
    r->items = NULL;
    r->count = 0;
    r->cap = 0;
}

void records_truncate(lwm2m_records *r, size_t count)
{
    for (size_t i = count; i < r->count; i++)
        free(r->items[i].bytes);
    if (count < r->count)
        r->count = count;
}

void records_free(lwm2m_records *r)
{
    records_truncate(r, 0);
    free(r->items);
    records_init(r);
}

/* Appends a zeroed record at p and returns it, or NULL when out of memory. */
static lwm2m_record *records_push(lwm2m_records *r, const lwm2m_path *p, lwm2m_type t)
{
    if (r->count == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 8;
        lwm2m_record *n = realloc(r->items, ncap * sizeof *n);
        if (!n)
            return NULL;
        r->items = n;
        r->cap = ncap;
    }
    lwm2m_record *rec = &r->items[r->count++];
    memset(rec, 0, sizeof *rec);
    rec->path = *p;
    rec->type = t;
    return rec;
}

/* Copies n bytes plus a NUL terminator so strings can be used as C strings directly. */
static int records_add_bytes(lwm2m_records *r, const lwm2m_path *p, lwm2m_type t,
                             const void *b, size_t n)
{
    uint8_t *copy = malloc(n + 1);
    if (!copy)
        return LC_ENOMEM;
    if (n)
        memcpy(copy, b, n);
    copy[n] = 0;
    lwm2m_record *rec = records_push(r, p, t);
    if (!rec) {
        free(copy);
        return LC_ENOMEM;
    }
    rec->bytes = copy;
    rec->len = n;
    return 0;
}

int records_add_int(lwm2m_records *r, const lwm2m_path *p, int64_t v)
{
    lwm2m_record *rec = records_push(r, p, LV_INTEGER);
    if (!rec)
        return LC_ENOMEM;
    rec->i = v;
    return 0;
}

int records_add_unsigned(lwm2m_records *r, const lwm2m_path *p, uint64_t v)
{
    if (v > (uint64_t)INT64_MAX)
        return LC_EINVAL;
    lwm2m_record *rec = records_push(r, p, LV_UNSIGNED);
    if (!rec)
        return LC_ENOMEM;
    rec->i = (int64_t)v;
    return 0;
}

int records_add_time(lwm2m_records *r, const lwm2m_path *p, int64_t t)
{
    lwm2m_record *rec = records_push(r, p, LV_TIME);
    if (!rec)
        return LC_ENOMEM;
    rec->i = t;
    return 0;
}

int records_add_float(lwm2m_records *r, const lwm2m_path *p, double v)
{
    lwm2m_record *rec = records_push(r, p, LV_FLOAT);
    if (!rec)
        return LC_ENOMEM;
    rec->f = v;
    return 0;
}

int records_add_bool(lwm2m_records *r, const lwm2m_path *p, bool v)
{
    lwm2m_record *rec = records_push(r, p, LV_BOOLEAN);
    if (!rec)
        return LC_ENOMEM;
    rec->b = v;
    return 0;
}

int records_add_string(lwm2m_records *r, const lwm2m_path *p, const char *s)
{
    return records_add_bytes(r, p, LV_STRING, s, strlen(s));
}

int records_add_string_n(lwm2m_records *r, const lwm2m_path *p, const char *s, size_t n)
{
    return records_add_bytes(r, p, LV_STRING, s, n);
}

int records_add_opaque(lwm2m_records *r, const lwm2m_path *p, const uint8_t *b, size_t n)
{
    return records_add_bytes(r, p, LV_OPAQUE, b, n);
}

int records_add_objlnk(lwm2m_records *r, const lwm2m_path *p, uint16_t obj, uint16_t inst)
{
    lwm2m_record *rec = records_push(r, p, LV_OBJLNK);
    if (!rec)
        return LC_ENOMEM;
    rec->objlnk[0] = obj;
    rec->objlnk[1] = inst;
    return 0;
}

int records_add_copy(lwm2m_records *r, const lwm2m_record *src)
{
    if (src->type == LV_STRING || src->type == LV_OPAQUE) {
        int rc = records_add_bytes(r, &src->path, src->type, src->bytes, src->len);
        if (rc == 0) {
            r->items[r->count - 1].has_time = src->has_time;
            r->items[r->count - 1].time = src->time;
        }
        return rc;
    }
    lwm2m_record *rec = records_push(r, &src->path, src->type);
    if (!rec)
        return LC_ENOMEM;
    *rec = *src;
    rec->bytes = NULL;
    rec->len = 0;
    return 0;
}

const lwm2m_record *records_find(const lwm2m_records *r, const lwm2m_path *p)
{
    for (size_t i = 0; i < r->count; i++)
        if (lwm2m_path_equal(&r->items[i].path, p))
            return &r->items[i];
    return NULL;
}

bool record_value_equal(const lwm2m_record *a, const lwm2m_record *b)
{
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case LV_INTEGER:
    case LV_UNSIGNED:
    case LV_TIME: return a->i == b->i;
    case LV_FLOAT: return a->f == b->f;
    case LV_BOOLEAN: return a->b == b->b;
    case LV_STRING:
    case LV_OPAQUE:
        return a->len == b->len && (a->len == 0 || memcmp(a->bytes, b->bytes, a->len) == 0);
    case LV_OBJLNK: return a->objlnk[0] == b->objlnk[0] && a->objlnk[1] == b->objlnk[1];
    case LV_NONE: return true;
    }
    return false;
}

/* ---- Base64 ---- */



int value_base64_encode(const uint8_t *in, size_t n, char *buf, size_t cap)
{
    size_t total = base64_encode(in, n, buf, cap);
    return total > INT32_MAX ? -1 : (int)total;
}

int value_base64_decode(const char *in, size_t n, uint8_t **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    uint8_t *res = malloc(n / 4 * 3 + 1);
    if (!res)
        return LC_ENOMEM;
    if (base64_decode(in, n, res, n / 4 * 3 + 1, out_len, true, NULL, 0) < 0) {
        free(res);
        *out_len = 0;
        return LC_EINVAL;
    }
    *out = res;
    return 0;
}

/* ---- text representation ---- */

int value_float_precision(double v)
{
    char tmp[40];
    if (!isfinite(v))
        return 1;
    int prec = 1;
    for (; prec < 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    /* %g switches to an exponent once the exponent reaches the precision: 100 at
     * precision 1 prints "1e+02". Up to 17 integer digits, widen to print them plainly. */
    snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
    const char *e = strchr(tmp, 'e');
    int exp10 = e ? atoi(e + 1) : 0;
    if (exp10 >= prec && exp10 < 17)
        prec = exp10 + 1;
    return prec;
}

static int float_text(double v, char *buf, size_t cap)
{
    if (!isfinite(v))
        return snprintf(buf, cap, "%s", isnan(v) ? "nan" : (v < 0 ? "-inf" : "inf"));
    return snprintf(buf, cap, "%.*g", value_float_precision(v), v);
}

int record_value_text(const lwm2m_record *rec, char *buf, size_t cap)
{
    switch (rec->type) {
    case LV_INTEGER:
    case LV_UNSIGNED:
    case LV_TIME: return snprintf(buf, cap, "%" PRId64, rec->i);
    case LV_FLOAT: return float_text(rec->f, buf, cap);
    case LV_BOOLEAN: return snprintf(buf, cap, "%s", rec->b ? "1" : "0");
    case LV_STRING: return snprintf(buf, cap, "%s", rec->bytes ? (const char *)rec->bytes : "");
    case LV_OPAQUE: return value_base64_encode(rec->bytes, rec->len, buf, cap);
    case LV_OBJLNK:
        return snprintf(buf, cap, "%u:%u", (unsigned)rec->objlnk[0], (unsigned)rec->objlnk[1]);
    case LV_NONE: break;
    }
    if (cap)
        buf[0] = '\0';
    return LC_EINVAL;
}

/* ---- parsing text ---- */

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Decimal digits into a uint64_t, refusing overflow. */
static bool parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    if (!all_digits(s, n))
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

static bool parse_i64(const char *s, size_t n, int64_t *out)
{
    bool neg = n > 0 && s[0] == '-';
    uint64_t mag;
    if (!parse_u64(s + neg, n - neg, neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, &mag))
        return false;
    /* -INT64_MIN is not representable, so negate in unsigned arithmetic. */
    *out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return true;
}

/* A finite decimal: -?digits[.digits]([eE][+-]?digits)? (also ".5" and "5."), so strtod's
 * extras (hex floats, "inf", "nan", leading spaces) are refused. */
static bool parse_float(const char *s, size_t n, double *out)
{
    size_t i = 0, digits = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        i++;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, digits++;
    }
    if (digits == 0)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        size_t exp_digits = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, exp_digits++;
        if (exp_digits == 0)
            return false;
    }
    if (i != n || n >= 256)
        return false;
    char tmp[256];
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    errno = 0;
    double v = strtod(tmp, NULL);
    if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1.0))
        return false;
    *out = v;
    return true;
}

static int parse_text(lwm2m_records *r, const lwm2m_path *p, lwm2m_type t, const char *text,
                      size_t len, lc_error *err)
{
    char where[32];
    lwm2m_path_format(p, where, sizeof where);
    /* Enough of the text to recognise it in a message. */
    int shown = len > 64 ? 64 : (int)len;
    const char *more = len > 64 ? "..." : "";

    switch (t) {
    case LV_INTEGER:
    case LV_TIME: {
        int64_t v;
        if (!parse_i64(text, len, &v))
            return lc_error_set(err, LC_EINVAL,
                                "%s: \"%.*s%s\" is not a valid %s (a decimal integer between "
                                "-9223372036854775808 and 9223372036854775807 is expected)",
                                where, shown, text, more, lwm2m_type_name(t));
        return t == LV_TIME ? records_add_time(r, p, v) : records_add_int(r, p, v);
    }
    case LV_UNSIGNED: {
        uint64_t v;
        if (!parse_u64(text, len, (uint64_t)INT64_MAX, &v))
            return lc_error_set(err, LC_EINVAL,
                                "%s: \"%.*s%s\" is not a valid unsigned integer (decimal "
                                "digits up to 9223372036854775807 are expected)",
                                where, shown, text, more);
        return records_add_unsigned(r, p, v);
    }
    case LV_FLOAT: {
        double v;
        if (!parse_float(text, len, &v))
            return lc_error_set(err, LC_EINVAL,
                                "%s: \"%.*s%s\" is not a valid float (a finite decimal number "
                                "such as 1.5 or -2e3 is expected)",
                                where, shown, text, more);
        return records_add_float(r, p, v);
    }
    case LV_BOOLEAN:
        if (len != 1 || (text[0] != '0' && text[0] != '1'))
            return lc_error_set(err, LC_EINVAL,
                                "%s: \"%.*s%s\" is not a valid boolean (\"1\" or \"0\" is "
                                "expected)",
                                where, shown, text, more);
        return records_add_bool(r, p, text[0] == '1');
    case LV_OBJLNK: {
        const char *colon = memchr(text, ':', len);
        uint64_t obj, inst;
        if (!colon || !parse_u64(text, (size_t)(colon - text), 65535, &obj) ||
            !parse_u64(colon + 1, len - (size_t)(colon - text) - 1, 65535, &inst))
            return lc_error_set(err, LC_EINVAL,
                                "%s: \"%.*s%s\" is not a valid objlnk (\"object:instance\" "
                                "with ids 0..65535 is expected)",
                                where, shown, text, more);
        return records_add_objlnk(r, p, (uint16_t)obj, (uint16_t)inst);
    }
    case LV_OPAQUE: {
        uint8_t *bytes;
        size_t n;
        int rc = value_base64_decode(text, len, &bytes, &n);
        if (rc == LC_ENOMEM)
            return lc_error_set(err, rc, "%s: out of memory", where);
        if (rc)
            return lc_error_set(err, LC_EINVAL,
                                "%s: \"%.*s%s\" is not valid Base64 (RFC 4648 with '=' "
                                "padding is expected for an opaque value)",
                                where, shown, text, more);
        rc = records_add_opaque(r, p, bytes, n);
        free(bytes);
        return rc;
    }
    case LV_STRING: {
        const char *nul = memchr(text, '\0', len);
        if (nul)
            return lc_error_set(err, LC_EINVAL, "%s: the string contains a NUL byte at offset %zu",
                                where, (size_t)(nul - text));
        return records_add_string_n(r, p, text, len);
    }
    case LV_NONE: break;
    }
    return lc_error_set(err, LC_EINVAL, "%s: no type to parse \"%.*s%s\" as", where, shown,
                        text, more);
}

int records_add_from_text(lwm2m_records *r, const lwm2m_path *p, lwm2m_type t,
                          const char *text, size_t len, lc_error *err)
{
    if (!text) {
        text = "";
        len = 0;
    }
    int rc = parse_text(r, p, t, text, len, err);
    if (rc == LC_ENOMEM)
        lc_error_set(err, rc, "out of memory while storing a %s value", lwm2m_type_name(t));
    return rc;
}
