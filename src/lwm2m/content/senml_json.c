/* SenML JSON (application/senml+json, 110; RFC 8428 §5, LwM2M 1.1 §7.4.4):
 *   [{"bn":"/3/0/","n":"0","vs":"Open Mobile Alliance"},{"n":"6/0","v":1},…]
 * The naming and value rules shared with SenML CBOR are in senml.h.
 *
 * Encoding: one record per value, bn on the first record only (see senml_plan_names), then
 * "n", then the value: "v" for integer, unsigned, time and float (the fewest digits that
 * read back exactly), "vb", "vs", "vd" (base64url without padding), "vlo" ("obj:inst"),
 * and "t" when the record has a time. Non-finite floats and strings that are not UTF-8
 * cannot be carried in JSON and are refused.
 *
 * Decoding: the payload is one JSON array of objects (an empty pack "[]" is zero records;
 * an empty payload is refused). Duplicate keys in an object are refused. Before jansson
 * parses anything, a scan of the bytes refuses packs over the record cap or over eight
 * labels per record on average, so a flood costs neither time nor memory. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/content/senml.h"

static const char FMT[] = "SenML JSON";

/* ---- encoding ---- */

static json_t *number_json(const lwm2m_record *rec)
{
    if (rec->type == LV_FLOAT)
        return json_real(rec->f);
    return json_integer(rec->i);
}

static int value_json(const lwm2m_record *rec, const char *where, const char **key, json_t **v,
                      lc_error *err)
{
    *v = NULL;
    switch (rec->type) {
    case LV_INTEGER:
    case LV_UNSIGNED:
    case LV_TIME:
    case LV_FLOAT:
        if (rec->type == LV_FLOAT && !isfinite(rec->f))
            return lc_error_set(err, LC_EINVAL, "%s: %s: %s cannot be carried in JSON", FMT,
                                where, isnan(rec->f) ? "NaN" : "an infinite float");
        *key = "v";
        *v = number_json(rec);
        break;
    case LV_BOOLEAN:
        *key = "vb";
        *v = json_boolean(rec->b);
        break;
    case LV_STRING:
        *key = "vs";
        *v = json_stringn((const char *)rec->bytes, rec->len);
        if (!*v)
            return lc_error_set(err, LC_EINVAL,
                                "%s: %s: the string is not valid UTF-8 (send it as opaque)", FMT,
                                where);
        break;
    case LV_OPAQUE: {
        *key = "vd";
        char *s = senml_base64url_encode(rec->bytes, rec->len);
        if (s)
            *v = json_string(s);
        free(s);
        break;
    }
    case LV_OBJLNK: {
        char t[16];
        *key = "vlo";
        snprintf(t, sizeof t, "%u:%u", (unsigned)rec->objlnk[0], (unsigned)rec->objlnk[1]);
        *v = json_string(t);
        break;
    }
    case LV_NONE: return lc_error_set(err, LC_EINVAL, "%s: %s has no value type", FMT, where);
    }
    if (!*v)
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    return 0;
}

/* Adds key: v to obj, taking v's reference whatever happens. */
static int set_new(json_t *obj, const char *key, json_t *v, lc_error *err)
{
    if (!v || json_object_set_new(obj, key, v))
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    return 0;
}

static int encode_record(json_t *arr, const senml_names *names, const lwm2m_record *rec,
                         bool first, int *digits, lc_error *err)
{
    char where[32], n[32];
    lwm2m_path_format(&rec->path, where, sizeof where);
    json_t *o = json_object();
    if (!o || json_array_append_new(arr, o))
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    int rc = 0;
    if (first)
        rc = set_new(o, "bn", json_string(names->bn), err);
    senml_record_name(names, rec, n, sizeof n);
    if (!rc && n[0])
        rc = set_new(o, "n", json_string(n), err);
    const char *key = NULL;
    json_t *v = NULL;
    if (!rc)
        rc = value_json(rec, where, &key, &v, err);
    if (!rc)
        rc = set_new(o, key, v, err);
    if (rc)
        return rc;
    if (rec->type == LV_FLOAT) {
        int d = value_float_precision(rec->f);
        *digits = d > *digits ? d : *digits;
    }
    if (rec->has_time) {
        if (!isfinite(rec->time))
            return lc_error_set(err, LC_EINVAL, "%s: %s: the time is not a finite number", FMT,
                                where);
        json_t *t;
        if (rec->time == floor(rec->time) && fabs(rec->time) < 9007199254740992.0) {
            t = json_integer((json_int_t)rec->time);
        } else {
            int d = value_float_precision(rec->time);
            *digits = d > *digits ? d : *digits;
            t = json_real(rec->time);
        }
        return set_new(o, "t", t, err);
    }
    return 0;
}

int senml_json_encode(const lwm2m_path *base, const lwm2m_records *in, uint8_t **out,
                      size_t *len, lc_error *err)
{
    *out = NULL;
    *len = 0;
    senml_names names;
    int rc = senml_plan_names(FMT, base, in, &names, err);
    if (rc)
        return rc;
    json_t *arr = json_array();
    if (!arr)
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    int digits = 1;
    for (size_t i = 0; i < in->count && !rc; i++)
        rc = encode_record(arr, &names, &in->items[i], i == 0, &digits, err);
    if (!rc) {
        char *text = json_dumps(arr, JSON_COMPACT | JSON_REAL_PRECISION(digits));
        if (!text) {
            rc = lc_error_set(err, LC_ENOMEM, "out of memory");
        } else {
            *out = (uint8_t *)text;
            *len = strlen(text);
        }
    }
    json_decref(arr);
    return rc;
}

/* ---- decoding ---- */

static int need(senml_dec *d, size_t idx, const char *key, json_t *v, int want)
{
    static const char *const what[] = {[JSON_STRING] = "a string",
                                       [JSON_REAL] = "a number",
                                       [JSON_TRUE] = "true or false"};
    bool ok = want == JSON_STRING ? json_is_string(v)
            : want == JSON_REAL   ? json_is_number(v)
                                  : json_is_boolean(v);
    if (ok)
        return 0;
    return senml_fail(d, idx, "\"%s\" must be %s", key, what[want]);
}

static senml_num json_num(json_t *v)
{
    senml_num n = {0};
    if (json_is_integer(v)) {
        n.kind = SENML_INT;
        n.i = json_integer_value(v);
    } else {
        n.kind = SENML_FLOAT;
        n.f = json_real_value(v);
    }
    return n;
}

/* The labels of RFC 8428 §4.3 plus LwM2M's "vlo"; kind: the JSON type each must have. */
enum { K_BN, K_BT, K_BU, K_BV, K_BS, K_BVER, K_N, K_U, K_V, K_VS, K_VB, K_VD, K_VLO, K_S, K_T, K_UT };
static const struct {
    const char *key;
    int type;
} labels[] = {
    [K_BN] = {"bn", JSON_STRING}, [K_BT] = {"bt", JSON_REAL},   [K_BU] = {"bu", JSON_STRING},
    [K_BV] = {"bv", JSON_REAL},   [K_BS] = {"bs", JSON_REAL},   [K_BVER] = {"bver", JSON_REAL},
    [K_N] = {"n", JSON_STRING},   [K_U] = {"u", JSON_STRING},   [K_V] = {"v", JSON_REAL},
    [K_VS] = {"vs", JSON_STRING}, [K_VB] = {"vb", JSON_TRUE},   [K_VD] = {"vd", JSON_STRING},
    [K_VLO] = {"vlo", JSON_STRING}, [K_S] = {"s", JSON_REAL},   [K_T] = {"t", JSON_REAL},
    [K_UT] = {"ut", JSON_REAL},
};

static int set_value(senml_dec *d, size_t idx, senml_fields *f, senml_vkind kind,
                     const char *key)
{
    if (f->vkind != SENML_V_NONE)
        return senml_fail(d, idx, "has both \"%s\" and \"%s\"; a record carries one value",
                          f->vfield, key);
    f->vkind = kind;
    f->vfield = key;
    return 0;
}

static int decode_record(senml_dec *d, size_t idx, json_t *rec)
{
    if (!json_is_object(rec))
        return senml_fail(d, idx, "is not a JSON object");
    senml_fields f = {0};
    uint8_t *data = NULL;
    const char *key;
    json_t *v;
    int rc = 0;
    json_object_foreach(rec, key, v) {
        size_t k = 0, klen = strlen(key);
        while (k < sizeof labels / sizeof labels[0] && strcmp(key, labels[k].key) != 0)
            k++;
        if (k == sizeof labels / sizeof labels[0]) {
            if (klen > 0 && key[klen - 1] == '_') {
                rc = senml_fail(d, idx,
                                "label \"%.32s\" must be understood (it ends in '_') and is not",
                                key);
                break;
            }
            continue; /* unknown labels are ignored (RFC 8428 §4.4) */
        }
        if ((rc = need(d, idx, key, v, labels[k].type)))
            break;
        switch (k) {
        case K_BN:
            f.has_bn = true;
            f.bn = json_string_value(v);
            f.bn_len = json_string_length(v);
            break;
        case K_N:
            f.has_n = true;
            f.n = json_string_value(v);
            f.n_len = json_string_length(v);
            break;
        case K_BT: f.has_bt = true, f.bt = json_num(v); break;
        case K_BV: f.has_bv = true, f.bv = json_num(v); break;
        case K_T: f.has_t = true, f.t = json_num(v); break;
        case K_V:
            if (!(rc = set_value(d, idx, &f, SENML_V_NUM, "v")))
                f.v = json_num(v);
            break;
        case K_VB:
            if (!(rc = set_value(d, idx, &f, SENML_V_BOOL, "vb")))
                f.vb = json_is_true(v);
            break;
        case K_VS:
        case K_VLO:
            if (!(rc = set_value(d, idx, &f, k == K_VS ? SENML_V_STR : SENML_V_LINK,
                                 labels[k].key))) {
                f.vbytes = (const uint8_t *)json_string_value(v);
                f.vlen = json_string_length(v);
            }
            break;
        case K_VD:
            if ((rc = set_value(d, idx, &f, SENML_V_DATA, "vd")))
                break;
            rc = senml_base64url_decode(json_string_value(v), json_string_length(v), &data,
                                        &f.vlen);
            if (rc == LC_ENOMEM)
                rc = lc_error_set(d->err, rc, "%s: out of memory", FMT);
            else if (rc)
                rc = senml_fail(d, idx,
                                "\"vd\" is not base64url (RFC 4648 §5: A-Z a-z 0-9 - _, padding "
                                "optional)");
            f.vbytes = data;
            break;
        default: break; /* bu, bs, bver, u, s, ut: checked for type, not used */
        }
        if (rc)
            break;
    }
    if (!rc)
        rc = senml_dec_record(d, idx, &f);
    free(data);
    return rc;
}

/* Members (key: value pairs) a pack may hold in all: eight per record on average. */
#define MAX_MEMBERS (8 * (size_t)CONTENT_MAX_RECORDS)

/* What jansson would build, counted without building it: records (objects directly in the
 * top array) and members, outside strings. A pack over the caps is refused before parsing,
 * so jansson's tree (tens of bytes per member) stays bounded too. */
static int prescan(const uint8_t *in, size_t len, lc_error *err)
{
    size_t records = 0, members = 0;
    int depth = 0;
    bool str = false, esc = false;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = in[i];
        if (str) {
            if (esc)
                esc = false;
            else if (c == '\\')
                esc = true;
            else if (c == '"')
                str = false;
            continue;
        }
        switch (c) {
        case '"': str = true; break;
        case '{':
            if (depth == 1 && ++records > CONTENT_MAX_RECORDS)
                return lc_error_set(err, LC_EINVAL,
                                    "%s: record %d: more than %d records in one payload (byte "
                                    "%zu)",
                                    FMT, CONTENT_MAX_RECORDS, CONTENT_MAX_RECORDS, i);
            depth++;
            break;
        case '[': depth++; break;
        case '}':
        case ']': depth--; break;
        case ':':
            if (++members > MAX_MEMBERS)
                return lc_error_set(err, LC_EINVAL,
                                    "%s: more than %zu labels in one payload (byte %zu)", FMT,
                                    MAX_MEMBERS, i);
            break;
        default: break;
        }
    }
    return 0;
}

int senml_json_decode(const lwm2m_path *base, const uint8_t *in, size_t len,
                      lwm2m_type_hint hint, void *arg, lwm2m_records *out, lc_error *err)
{
    if (len == 0)
        return lc_error_set(err, LC_EINVAL,
                            "%s: the payload is empty (a SenML pack is a JSON array; an empty "
                            "one is [])",
                            FMT);
    int rc = prescan(in, len, err);
    if (rc)
        return rc;
    json_error_t jerr;
    json_t *root = json_loadb((const char *)in, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return lc_error_set(err, LC_EINVAL, "%s: line %d column %d (byte %d): %s", FMT,
                            jerr.line, jerr.column, jerr.position, jerr.text);
    size_t before = out->count;
    if (!json_is_array(root)) {
        rc = lc_error_set(err, LC_EINVAL, "%s: the payload is not a JSON array of records", FMT);
    } else {
        senml_dec d;
        senml_dec_init(&d, FMT, base, hint, arg, out, err);
        for (size_t i = 0; i < json_array_size(root) && !rc; i++)
            rc = decode_record(&d, i, json_array_get(root, i));
    }
    if (rc)
        records_truncate(out, before);
    json_decref(root);
    return rc;
}

const content_codec senml_json_codec = {CF_SENML_JSON, "senml-json", false, senml_json_encode,
                                        senml_json_decode};
