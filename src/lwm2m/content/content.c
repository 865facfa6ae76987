#include "lwm2m/content/content.h"

/* Formats LwM2M knows that this tool does not encode or decode (yet): the message says so
 * plainly instead of failing on the payload. */
static int unsupported(int cf, lc_error *err)
{
    switch (cf) {
    case CF_LINK_FORMAT:
        return lc_error_set(err, LC_EUNSUPPORTED,
                            "application/link-format carries links, not values; parse it with "
                            "the link-format module");
    case CF_SENML_JSON:
    case CF_SENML_CBOR:
    case CF_CBOR:
        return lc_error_set(err, LC_EUNSUPPORTED, "%s is not supported yet",
                            content_format_name(cf));
    default:
        return lc_error_set(err, LC_EUNSUPPORTED,
                            "content format %d is not an LwM2M value format this tool knows", cf);
    }
}

int content_encode(int cf, const lwm2m_path *base, const lwm2m_records *in, uint8_t **out,
                   size_t *out_len, lc_error *err)
{
    *out = NULL;
    *out_len = 0;
    switch (cf) {
    case CF_TEXT: return text_encode(base, in, out, out_len, err);
    case CF_OPAQUE: return opaque_encode(base, in, out, out_len, err);
    case CF_TLV:
    case CF_TLV_LEGACY: return tlv_encode(base, in, out, out_len, err);
    case CF_OMA_JSON:
    case CF_JSON_LEGACY: return omajson_encode(base, in, out, out_len, err);
    default: return unsupported(cf, err);
    }
}

int content_decode(int cf, const lwm2m_path *base, const uint8_t *in, size_t in_len,
                   lwm2m_type_hint hint, void *hint_arg, lwm2m_records *out, lc_error *err)
{
    switch (cf) {
    case CF_TEXT: return text_decode(base, in, in_len, hint, hint_arg, out, err);
    case CF_OPAQUE: return opaque_decode(base, in, in_len, hint, hint_arg, out, err);
    case CF_TLV:
    case CF_TLV_LEGACY: return tlv_decode(base, in, in_len, hint, hint_arg, out, err);
    case CF_OMA_JSON:
    case CF_JSON_LEGACY: return omajson_decode(base, in, in_len, hint, hint_arg, out, err);
    default: return unsupported(cf, err);
    }
}
