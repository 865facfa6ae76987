/* application/octet-stream (LwM2M 1.0 §6.4.2): the raw bytes of one opaque resource or
 * resource instance. */
#include <stdlib.h>
#include <string.h>

#include "lwm2m/content/content.h"

static const char opaque_fmt[] = "application/octet-stream";

static int check_base(const lwm2m_path *base, char *b, size_t cap, lc_error *err)
{
    lwm2m_path_format(base, b, cap);
    if (base->depth < 3)
        return lc_error_set(err, LC_EINVAL,
                            "%s carries a single opaque resource; %s is not a resource", opaque_fmt,
                            b);
    return 0;
}

int opaque_encode(const lwm2m_path *base, const lwm2m_records *in, uint8_t **out, size_t *len,
                  lc_error *err)
{
    char b[32];
    *out = NULL;
    *len = 0;
    int rc = check_base(base, b, sizeof b, err);
    if (rc)
        return rc;
    if (in->count != 1)
        return lc_error_set(err, LC_EINVAL, "%s carries exactly one value for %s, %zu given",
                            opaque_fmt, b, in->count);
    const lwm2m_record *rec = &in->items[0];
    if (!lwm2m_path_equal(&rec->path, base)) {
        char p[32];
        lwm2m_path_format(&rec->path, p, sizeof p);
        return lc_error_set(err, LC_EINVAL, "%s: the value is for %s, not for the request path %s",
                            opaque_fmt, p, b);
    }
    if (rec->type != LV_OPAQUE)
        return lc_error_set(err, LC_EINVAL,
                            "%s carries opaque values only, not %s (use text/plain or TLV)",
                            opaque_fmt, lwm2m_type_name(rec->type));
    uint8_t *buf = malloc(rec->len + 1);
    if (!buf)
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    if (rec->len)
        memcpy(buf, rec->bytes, rec->len);
    *out = buf;
    *len = rec->len;
    return 0;
}

/* The payload is opaque whatever the hint says: a device that answers a string resource
 * with octet-stream is judged by the matcher (type differs), not refused here. */
int opaque_decode(const lwm2m_path *base, const uint8_t *in, size_t len, lwm2m_type_hint hint,
                  void *arg, lwm2m_records *out, lc_error *err)
{
    char b[32];
    (void)hint;
    (void)arg;
    int rc = check_base(base, b, sizeof b, err);
    if (rc)
        return rc;
    if (records_add_opaque(out, base, in, len))
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    return 0;
}

const content_codec opaque_codec = {CF_OPAQUE, "opaque", true, opaque_encode, opaque_decode};
