/* SenML CBOR (application/senml+cbor, 112; RFC 8428 §6, LwM2M 1.1 §7.4.5): the SenML JSON
 * pack with integer labels (bver -1, bn -2, bt -3, bu -4, bv -5, bs -6, n 0, u 1, v 2,
 * vs 3, vb 4, s 5, t 6, ut 7, vd 8) and LwM2M's text label "vlo". vd is a byte string.
 * Naming and value rules are shared with SenML JSON (senml.h); bytes go through cbor.h.
 *
 * Encoding: a definite-length array of definite-length maps; keys in the order bn, n,
 * value, t; integers in their shortest form, floats as single precision when exact,
 * otherwise double.
 *
 * Decoding: one array (definite or indefinite) of maps and nothing after it. A label that
 * appears twice, a text label ending in '_', a value of the wrong CBOR type, or a second
 * value field is refused; unknown labels are skipped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/content/cbor.h"
#include "lwm2m/content/senml.h"

static const char FMT[] = "SenML CBOR";

enum {
    L_BVER = -1,
    L_BN = -2,
    L_BT = -3,
    L_BU = -4,
    L_BV = -5,
    L_BS = -6,
    L_N = 0,
    L_U = 1,
    L_V = 2,
    L_VS = 3,
    L_VB = 4,
    L_S = 5,
    L_T = 6,
    L_UT = 7,
    L_VD = 8,
    L_VLO = 100, /* not a CBOR label: the text label "vlo" */
};

/* ---- encoding ---- */

static int encode_record(cb_writer *w, const senml_names *names, const lwm2m_record *rec,
                         bool first, lc_error *err)
{
    char n[32], where[32];
    senml_record_name(names, rec, n, sizeof n);
    cb_map(w, (first ? 1u : 0u) + (n[0] ? 1u : 0u) + 1u + (rec->has_time ? 1u : 0u));
    if (first) {
        cb_int(w, L_BN);
        cb_text(w, names->bn, strlen(names->bn));
    }
    if (n[0]) {
        cb_int(w, L_N);
        cb_text(w, n, strlen(n));
    }
    switch (rec->type) {
    case LV_INTEGER:
    case LV_UNSIGNED:
    case LV_TIME:
        cb_int(w, L_V);
        cb_int(w, rec->i);
        break;
    case LV_FLOAT:
        cb_int(w, L_V);
        cb_float(w, rec->f);
        break;
    case LV_BOOLEAN:
        cb_int(w, L_VB);
        cb_bool(w, rec->b);
        break;
    case LV_STRING:
        if (!cb_utf8_valid(rec->bytes, rec->len)) {
            lwm2m_path_format(&rec->path, where, sizeof where);
            return lc_error_set(err, LC_EINVAL,
                                "%s: %s: the string is not valid UTF-8 (send it as opaque)", FMT,
                                where);
        }
        cb_int(w, L_VS);
        cb_text(w, (const char *)rec->bytes, rec->len);
        break;
    case LV_OPAQUE:
        cb_int(w, L_VD);
        cb_bytes(w, rec->bytes, rec->len);
        break;
    case LV_OBJLNK: {
        char t[16];
        int tl = snprintf(t, sizeof t, "%u:%u", (unsigned)rec->objlnk[0],
                          (unsigned)rec->objlnk[1]);
        cb_text(w, "vlo", 3);
        cb_text(w, t, (size_t)tl);
        break;
    }
    case LV_NONE:
        lwm2m_path_format(&rec->path, where, sizeof where);
        return lc_error_set(err, LC_EINVAL, "%s: %s has no value type", FMT, where);
    }
    if (rec->has_time) {
        cb_int(w, L_T);
        if (rec->time == (double)(int64_t)rec->time)
            cb_int(w, (int64_t)rec->time);
        else
            cb_float(w, rec->time);
    }
    return 0;
}

int senml_cbor_encode(const lwm2m_path *base, const lwm2m_records *in, uint8_t **out,
                      size_t *len, lc_error *err)
{
    *out = NULL;
    *len = 0;
    senml_names names;
    int rc = senml_plan_names(FMT, base, in, &names, err);
    if (rc)
        return rc;
    cb_writer w = {0};
    cb_array(&w, in->count);
    for (size_t i = 0; i < in->count && !rc; i++)
        rc = encode_record(&w, &names, &in->items[i], i == 0, err);
    if (!rc && w.oom)
        rc = lc_error_set(err, LC_ENOMEM, "out of memory");
    if (rc) {
        free(w.p);
        return rc;
    }
    *out = w.p;
    *len = w.len;
    return 0;
}

/* ---- decoding ---- */

static const char *label_name(int l)
{
    static const char *const neg[] = {"", "bver", "bn", "bt", "bu", "bv", "bs"};
    static const char *const pos[] = {"n", "u", "v", "vs", "vb", "s", "t", "ut", "vd"};
    if (l == L_VLO)
        return "vlo";
    return l < 0 ? neg[-l] : pos[l];
}

static bool num_of(const cb_item *it, senml_num *n)
{
    memset(n, 0, sizeof *n);
    switch (it->kind) {
    case CB_UINT:
        if (it->u <= (uint64_t)INT64_MAX) {
            n->kind = SENML_INT;
            n->i = (int64_t)it->u;
        } else {
            n->kind = SENML_UINT;
            n->u = it->u;
        }
        return true;
    case CB_NEGINT:
        if (it->u <= (uint64_t)INT64_MAX) {
            n->kind = SENML_INT;
            n->i = -1 - (int64_t)it->u;
        } else {
            n->kind = SENML_FLOAT; /* below INT64_MIN: only a float can hold it */
            n->f = -1.0 - (double)it->u;
        }
        return true;
    case CB_FLOAT:
        n->kind = SENML_FLOAT;
        n->f = it->f;
        return true;
    default: return false;
    }
}

/* Reads one label's value into f. */
static int read_field(senml_dec *d, cb_reader *r, size_t idx, int label, senml_fields *f)
{
    cb_item v;
    int rc = cb_next(r, &v);
    if (rc)
        return rc;
    const char *name = label_name(label);
    char desc[24];
    if (label == L_VLO)
        snprintf(desc, sizeof desc, "\"vlo\"");
    else
        snprintf(desc, sizeof desc, "\"%s\" (label %d)", name, label);
    senml_num num;
    bool is_num = num_of(&v, &num);
    bool is_text = v.kind == CB_TEXT;
    switch (label) {
    case L_BN:
    case L_N:
    case L_BU:
    case L_U:
    case L_VS:
    case L_VLO:
        if (!is_text)
            return senml_fail(d, idx, "%s must be a text string, not %s at byte %zu", desc,
                              cb_kind_name(v.kind), v.offset);
        break;
    case L_VB:
        if (v.kind != CB_BOOL)
            return senml_fail(d, idx, "\"vb\" (label 4) must be true or false, not %s at byte %zu",
                              cb_kind_name(v.kind), v.offset);
        break;
    case L_VD:
        if (v.kind != CB_BYTES)
            return senml_fail(d, idx, "\"vd\" (label 8) must be a byte string, not %s at byte %zu",
                              cb_kind_name(v.kind), v.offset);
        break;
    default:
        if (!is_num)
            return senml_fail(d, idx, "%s must be a number, not %s at byte %zu", desc,
                              cb_kind_name(v.kind), v.offset);
        break;
    }
    senml_vkind vk = SENML_V_NONE;
    switch (label) {
    case L_BN: f->has_bn = true, f->bn = (const char *)v.data, f->bn_len = v.len; break;
    case L_N: f->has_n = true, f->n = (const char *)v.data, f->n_len = v.len; break;
    case L_BT: f->has_bt = true, f->bt = num; break;
    case L_BV: f->has_bv = true, f->bv = num; break;
    case L_T: f->has_t = true, f->t = num; break;
    case L_V: vk = SENML_V_NUM, f->v = num; break;
    case L_VB: vk = SENML_V_BOOL, f->vb = v.b; break;
    case L_VS: vk = SENML_V_STR; break;
    case L_VD: vk = SENML_V_DATA; break;
    case L_VLO: vk = SENML_V_LINK; break;
    default: break; /* bver, bu, bs, u, s, ut: checked for type, not used */
    }
    if (vk != SENML_V_NONE) {
        if (f->vkind != SENML_V_NONE)
            return senml_fail(d, idx, "has both \"%s\" and \"%s\"; a record carries one value",
                              f->vfield, name);
        f->vkind = vk;
        f->vfield = name;
        if (vk == SENML_V_STR || vk == SENML_V_DATA || vk == SENML_V_LINK) {
            f->vbytes = v.data;
            f->vlen = v.len;
        }
    }
    return 0;
}

static int decode_record(senml_dec *d, cb_reader *r, size_t idx)
{
    cb_item m;
    int rc = cb_next(r, &m);
    if (rc)
        return rc;
    if (m.kind != CB_MAP)
        return senml_fail(d, idx, "is %s at byte %zu, not a map", cb_kind_name(m.kind),
                          m.offset);
    senml_fields f = {0};
    uint32_t seen = 0; /* bit (label + 6) for the known labels, bit 31 for "vlo" */
    uint64_t left = m.u;
    while ((rc = cb_more(r, &m, &left)) == 1) {
        cb_item k;
        if ((rc = cb_next(r, &k)))
            return rc;
        int label;
        if (k.kind == CB_UINT && k.u <= 8) {
            label = (int)k.u;
        } else if (k.kind == CB_NEGINT && k.u <= 5) {
            label = -1 - (int)k.u;
        } else if (k.kind == CB_TEXT && k.len == 3 && memcmp(k.data, "vlo", 3) == 0) {
            label = L_VLO;
        } else if (k.kind == CB_TEXT && k.len > 0 && k.data[k.len - 1] == '_') {
            return senml_fail(d, idx,
                              "label \"%.*s\" must be understood (it ends in '_') and is not",
                              k.len > 32 ? 32 : (int)k.len, (const char *)k.data);
        } else if (k.kind == CB_UINT || k.kind == CB_NEGINT || k.kind == CB_TEXT) {
            /* An unknown label: its value is skipped (RFC 8428 §4.4). */
            cb_item v;
            if ((rc = cb_next(r, &v)) || (rc = cb_skip(r, &v)))
                return rc;
            continue;
        } else {
            return senml_fail(d, idx, "a label is %s at byte %zu (integer or text expected)",
                              cb_kind_name(k.kind), k.offset);
        }
        uint32_t bit = label == L_VLO ? 1u << 31 : 1u << (label + 6);
        if (seen & bit)
            return senml_fail(d, idx, "label \"%s\" appears twice (byte %zu)", label_name(label),
                              k.offset);
        seen |= bit;
        if ((rc = read_field(d, r, idx, label, &f)))
            return rc;
    }
    if (rc < 0)
        return rc;
    return senml_dec_record(d, idx, &f);
}

int senml_cbor_decode(const lwm2m_path *base, const uint8_t *in, size_t len,
                      lwm2m_type_hint hint, void *arg, lwm2m_records *out, lc_error *err)
{
    if (len == 0)
        return lc_error_set(err, LC_EINVAL,
                            "%s: the payload is empty (a SenML pack is a CBOR array; an empty "
                            "one is 0x80)",
                            FMT);
    cb_reader r;
    cb_reader_init(&r, FMT, in, len, err);
    senml_dec d;
    senml_dec_init(&d, FMT, base, hint, arg, out, err);
    size_t before = out->count;
    cb_item a;
    int rc = cb_next(&r, &a);
    if (!rc && a.kind != CB_ARRAY)
        rc = lc_error_set(err, LC_EINVAL, "%s: the payload is %s, not an array of records", FMT,
                          cb_kind_name(a.kind));
    uint64_t left = a.u;
    char where[48]; /* reader messages inside a record name it: "SenML CBOR: record 3" */
    for (size_t i = 0; !rc; i++) {
        int more = cb_more(&r, &a, &left);
        if (more <= 0) {
            rc = more;
            break;
        }
        snprintf(where, sizeof where, "%s: record %zu", FMT, i);
        r.fmt = where;
        rc = decode_record(&d, &r, i);
        r.fmt = FMT;
        cb_reader_release(&r, 0); /* the record's strings are copied by now */
    }
    if (!rc && r.off != len)
        rc = lc_error_set(err, LC_EINVAL, "%s: %zu bytes after the pack, from byte %zu", FMT,
                          len - r.off, r.off);
    if (rc)
        records_truncate(out, before);
    cb_reader_free(&r);
    return rc;
}

const content_codec senml_cbor_codec = {CF_SENML_CBOR, "senml-cbor", false, senml_cbor_encode,
                                        senml_cbor_decode};
