/* text/plain (LwM2M 1.0 §6.4.1, 1.1 TS Core §7.4.1): the value of one resource or resource
 * instance, in the textual form of Appendix C. LwM2M 1.0 carries no opaque values in
 * text/plain (they go as application/octet-stream, opaque.c); LwM2M 1.1 carries them
 * Base64-encoded, which the decoder reads (a 1.1+ client answers an opaque Read or Observe
 * in text/plain so: Anjay's /10/0/8). The encoder never writes them. */
#include <stdlib.h>
#include <string.h>

#include "lwm2m/content/content.h"

/* The one record text/plain carries: at base, base being a resource or a resource
 * instance. */
static int single_record(const char *fmt, const lwm2m_path *base, const lwm2m_records *in,
                         const lwm2m_record **out, lc_error *err)
{
    char b[32];
    lwm2m_path_format(base, b, sizeof b);
    if (base->depth < 3)
        return lc_error_set(err, LC_EINVAL,
                            "%s carries a single resource value; %s is not a resource "
                            "(use TLV or JSON for objects and instances)",
                            fmt, b);
    if (in->count != 1)
        return lc_error_set(err, LC_EINVAL, "%s carries exactly one value for %s, %zu given",
                            fmt, b, in->count);
    if (!lwm2m_path_equal(&in->items[0].path, base)) {
        char p[32];
        lwm2m_path_format(&in->items[0].path, p, sizeof p);
        return lc_error_set(err, LC_EINVAL, "%s: the value is for %s, not for the request path %s",
                            fmt, p, b);
    }
    *out = &in->items[0];
    return 0;
}

int text_encode(const lwm2m_path *base, const lwm2m_records *in, uint8_t **out, size_t *len,
                lc_error *err)
{
    const lwm2m_record *rec = NULL;
    *out = NULL;
    *len = 0;
    int rc = single_record("text/plain", base, in, &rec, err);
    if (rc)
        return rc;
    if (rec->type == LV_OPAQUE || rec->type == LV_NONE)
        return lc_error_set(err, LC_EINVAL,
                            "text/plain cannot carry %s values; use application/octet-stream "
                            "for opaque resources",
                            lwm2m_type_name(rec->type));
    if (rec->type == LV_STRING) {
        /* Copied as bytes: a string decoded from TLV may hold a NUL that %s would cut. */
        char *s = malloc(rec->len + 1);
        if (!s)
            return lc_error_set(err, LC_ENOMEM, "out of memory");
        if (rec->len)
            memcpy(s, rec->bytes, rec->len);
        s[rec->len] = '\0';
        *out = (uint8_t *)s;
        *len = rec->len;
        return 0;
    }
    int n = record_value_text(rec, NULL, 0);
    if (n < 0)
        return lc_error_set(err, LC_EINVAL, "text/plain: the value cannot be formatted");
    char *buf = malloc((size_t)n + 1);
    if (!buf)
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    record_value_text(rec, buf, (size_t)n + 1);
    *out = (uint8_t *)buf;
    *len = (size_t)n;
    return 0;
}

int text_decode(const lwm2m_path *base, const uint8_t *in, size_t len, lwm2m_type_hint hint,
                void *arg, lwm2m_records *out, lc_error *err)
{
    char b[32];
    lwm2m_path_format(base, b, sizeof b);
    if (base->depth < 3)
        return lc_error_set(err, LC_EINVAL,
                            "text/plain carries a single resource value, but %s is not a "
                            "resource",
                            b);
    lwm2m_type t = hint ? hint(base, arg) : LV_NONE;
    if (t == LV_NONE)
        t = LV_STRING;
    if (t == LV_OPAQUE) {
        uint8_t *bytes = NULL;
        size_t n = 0;
        int rc = value_base64_decode((const char *)in, len, &bytes, &n);
        if (rc == LC_ENOMEM)
            return lc_error_set(err, LC_ENOMEM, "out of memory");
        if (rc)
            return lc_error_set(err, LC_EINVAL,
                                "text/plain: %s is an opaque resource, and its value is not "
                                "Base64 (LwM2M 1.1 §7.4.1; in LwM2M 1.0 opaque values are not "
                                "carried in text/plain: application/octet-stream is expected)",
                                b);
        rc = records_add_opaque(out, base, bytes, n);
        free(bytes);
        return rc == LC_ENOMEM ? lc_error_set(err, LC_ENOMEM, "out of memory") : rc;
    }
    int rc = records_add_from_text(out, base, t, (const char *)in, len, err);
    if (rc && rc != LC_ENOMEM)
        lc_error_prefix(err, "text/plain: ");
    return rc;
}

const content_codec text_codec = {CF_TEXT, "text", true, text_encode, text_decode};
