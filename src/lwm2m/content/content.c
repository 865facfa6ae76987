/* The table from Content-Format numbers to codecs, and the dispatch through it. */
#include "lwm2m/content/content.h"

static const struct {
    int cf;
    const content_codec *codec;
} table[] = {
    {CF_TEXT, &text_codec},
    {CF_OPAQUE, &opaque_codec},
    {CF_CBOR, &cbor_plain_codec},
    {CF_SENML_JSON, &senml_json_codec},
    {CF_SENML_CBOR, &senml_cbor_codec},
    {CF_TEXT_LEGACY, &text_codec},
    {CF_TLV_LEGACY, &tlv_codec},
    {CF_JSON_LEGACY, &omajson_codec},
    {CF_TLV, &tlv_codec},
    {CF_OMA_JSON, &omajson_codec},
    {CF_LWM2M_CBOR, &lwm2m_cbor_codec},
};

#define TABLE_LEN (sizeof table / sizeof table[0])

const content_codec *content_codec_find(int cf)
{
    for (size_t i = 0; i < TABLE_LEN; i++)
        if (table[i].cf == cf)
            return table[i].codec;
    return NULL;
}

int content_format_canonical(int cf)
{
    const content_codec *c = content_codec_find(cf);
    return c ? c->cf : cf;
}

const content_codec *content_codec_at(size_t i)
{
    /* Rows whose number is the codec's own, in table order. */
    for (size_t k = 0; k < TABLE_LEN; k++)
        if (table[k].cf == table[k].codec->cf && i-- == 0)
            return table[k].codec;
    return NULL;
}

/* A number without a codec: the message says so plainly instead of failing on the
 * payload. */
static int unsupported(int cf, lc_error *err)
{
    if (cf == CF_LINK_FORMAT)
        return lc_error_set(err, LC_EUNSUPPORTED,
                            "application/link-format carries links, not values; parse it with "
                            "the link-format module");
    return lc_error_set(err, LC_EUNSUPPORTED,
                        "content format %d is not an LwM2M value format this tool knows", cf);
}

int content_encode(int cf, const lwm2m_path *base, const lwm2m_records *in, uint8_t **out,
                   size_t *out_len, lc_error *err)
{
    *out = NULL;
    *out_len = 0;
    const content_codec *c = content_codec_find(cf);
    if (!c)
        return unsupported(cf, err);
    return c->encode(base, in, out, out_len, err);
}

int content_decode(int cf, const lwm2m_path *base, const uint8_t *in, size_t in_len,
                   lwm2m_type_hint hint, void *hint_arg, lwm2m_records *out, lc_error *err)
{
    const content_codec *c = content_codec_find(cf);
    if (!c)
        return unsupported(cf, err);
    return c->decode(base, in, in_len, hint, hint_arg, out, err);
}
