#include "lwm2m/content/guess.h"

int content_decode_guess(const lwm2m_path *base, int accept, const uint8_t *in, size_t in_len,
                         lwm2m_type_hint hint, void *hint_arg, lwm2m_records *out,
                         content_guess *how, lc_error *err)
{
    how->cf = CF_NONE;
    how->by_accept = false;
    if (accept >= 0) {
        how->by_accept = true;
        how->cf = accept;
        return content_decode(accept, base, in, in_len, hint, hint_arg, out, err);
    }
    int candidates[6];
    size_t n = 0;
    if (in_len && in[0] == '[') {
        candidates[n++] = CF_SENML_JSON;
    } else if (in_len && in[0] == '{') {
        candidates[n++] = CF_OMA_JSON;
    } else {
        candidates[n++] = CF_TLV;
        candidates[n++] = CF_SENML_CBOR;
        candidates[n++] = CF_LWM2M_CBOR;
    }
    if (base->depth >= 3)
        candidates[n++] = CF_TEXT;
    for (size_t i = 0; i < n; i++) {
        if (!content_codec_find(candidates[i]))
            continue;
        size_t before = out->count;
        lc_error ignored = {0};
        if (content_decode(candidates[i], base, in, in_len, hint, hint_arg, out, &ignored) == 0 &&
            (out->count > before || in_len == 0)) {
            how->cf = candidates[i];
            return 0;
        }
        records_truncate(out, before);
    }
    return lc_error_set(err, LC_EINVAL, "no LwM2M value format the tool knows reads this "
                        "payload (it came without a Content-Format option)");
}
