/* application/cbor (60; LwM2M 1.1 core §7.4.3): the value of one resource or resource
 * instance as a single CBOR item, like text/plain carries it as text. Values as in
 * cb_put_value / cb_add_value (cbor.h): integers, floats, booleans, text strings (an
 * object link "obj:inst" when the resource is one), byte strings for opaque. */
#include <stdlib.h>

#include "lwm2m/content/cbor.h"
#include "lwm2m/content/content.h"

static const char FMT[] = "CBOR";

static int check_base(const lwm2m_path *base, char *b, size_t cap, lc_error *err)
{
    lwm2m_path_format(base, b, cap);
    if (base->depth < 3)
        return lc_error_set(err, LC_EINVAL,
                            "%s carries a single resource value; %s is not a resource (use "
                            "SenML CBOR or LwM2M CBOR for objects and instances)",
                            FMT, b);
    return 0;
}

int cbor_plain_encode(const lwm2m_path *base, const lwm2m_records *in, uint8_t **out,
                      size_t *len, lc_error *err)
{
    char b[32];
    *out = NULL;
    *len = 0;
    int rc = check_base(base, b, sizeof b, err);
    if (rc)
        return rc;
    if (in->count != 1 || !lwm2m_path_equal(&in->items[0].path, base))
        return lc_error_set(err, LC_EINVAL, "%s carries exactly one value, at %s", FMT, b);
    cb_writer w = {0};
    rc = cb_put_value(&w, &in->items[0], FMT, err);
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

int cbor_plain_decode(const lwm2m_path *base, const uint8_t *in, size_t len,
                      lwm2m_type_hint hint, void *arg, lwm2m_records *out, lc_error *err)
{
    char b[32], why[200];
    int rc = check_base(base, b, sizeof b, err);
    if (rc)
        return rc;
    cb_reader r;
    cb_reader_init(&r, FMT, in, len, err);
    cb_item v;
    rc = cb_next(&r, &v);
    if (!rc && r.off != len)
        rc = lc_error_set(err, LC_EINVAL, "%s: %zu bytes after the value, from byte %zu", FMT,
                          len - r.off, r.off);
    if (!rc) {
        lwm2m_type t = hint ? hint(base, arg) : LV_NONE;
        rc = cb_add_value(out, base, t, &v, why, sizeof why);
        if (rc == LC_EINVAL)
            lc_error_set(err, rc, "%s: %s: %s", FMT, b, why);
        else if (rc == LC_ENOMEM)
            lc_error_set(err, rc, "%s: out of memory", FMT);
    }
    cb_reader_free(&r);
    return rc;
}

const content_codec cbor_plain_codec = {CF_CBOR, "cbor", true, cbor_plain_encode,
                                        cbor_plain_decode};
