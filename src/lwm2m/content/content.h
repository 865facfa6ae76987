/* One entry point for every content format. Each format is its own module (text.c,
 * opaque.c, cbor_plain.c, tlv.c, omajson.c, senml_json.c, senml_cbor.c, lwm2m_cbor.c) that
 * exports one content_codec descriptor; content.c holds the table from CoAP Content-Format numbers
 * (legacy numbers included) to descriptors. A new format is a new file and a table row.
 *
 * Every decoder is safe on any bytes: it either appends records or returns an error with
 * nothing appended, and its memory is bounded by the payload size and the caps below. */
#ifndef LC_CONTENT_H
#define LC_CONTENT_H

#include "lwm2m/content/value.h"

/* Caps every decoder enforces whatever a peer sends: records in one payload, and nesting
 * of containers inside a CBOR item. */
#define CONTENT_MAX_RECORDS 16384
#define CONTENT_MAX_NESTING 16

typedef int (*content_encode_fn)(const lwm2m_path *base, const lwm2m_records *in,
                                 uint8_t **out, size_t *len, lc_error *err);
typedef int (*content_decode_fn)(const lwm2m_path *base, const uint8_t *in, size_t len,
                                 lwm2m_type_hint hint, void *arg, lwm2m_records *out,
                                 lc_error *err);

/* One value format. */
typedef struct content_codec {
    int cf;                  /* its current Content-Format number */
    const char *short_name;  /* "tlv", "senml-json": as test definitions spell it */
    bool single_value;       /* carries exactly one value at the request path (text, opaque) */
    content_encode_fn encode;
    content_decode_fn decode;
} content_codec;

extern const content_codec text_codec, opaque_codec, tlv_codec, omajson_codec,
    cbor_plain_codec, senml_json_codec, senml_cbor_codec, lwm2m_cbor_codec;

/* The codec for cf (1541/1542/1543 give text/TLV/OMA JSON), or NULL when the tool has none
 * for it. */
const content_codec *content_codec_find(int cf);
/* The current number for a legacy one (1541 → 0, 1542 → 11542, 1543 → 11543); other
 * numbers come back unchanged. */
int content_format_canonical(int cf);
/* Every codec once, in Content-Format order (for fuzz targets and docs): i from 0 while
 * the result is not NULL. */
const content_codec *content_codec_at(size_t i);

/* Encodes records as content-format cf, relative to base (the request's path: a resource,
 * an instance or an object). *out is malloc'd; the caller frees it.
 * text/opaque accept exactly one record at base. Returns 0, LC_EINVAL, LC_EUNSUPPORTED. */
int content_encode(int cf, const lwm2m_path *base, const lwm2m_records *in, uint8_t **out,
                   size_t *out_len, lc_error *err);

/* Decodes a payload of content-format cf received for base. hint (may be NULL) types
 * values for formats that carry none, and refines numbers in those that do (SenML "v" is
 * an integer, unsigned, time or float by the resource's type). Appends to out; on error
 * appends nothing. Errors say what was malformed and where (byte offset, or the record
 * index and field). */
int content_decode(int cf, const lwm2m_path *base, const uint8_t *in, size_t in_len,
                   lwm2m_type_hint hint, void *hint_arg, lwm2m_records *out, lc_error *err);

/* Per-format entry points, same contracts. */
int text_encode(const lwm2m_path *base, const lwm2m_records *in, uint8_t **out, size_t *len, lc_error *err);
int text_decode(const lwm2m_path *base, const uint8_t *in, size_t len, lwm2m_type_hint hint, void *arg, lwm2m_records *out, lc_error *err);
int opaque_encode(const lwm2m_path *base, const lwm2m_records *in, uint8_t **out, size_t *len, lc_error *err);
int opaque_decode(const lwm2m_path *base, const uint8_t *in, size_t len, lwm2m_type_hint hint, void *arg, lwm2m_records *out, lc_error *err);
int tlv_encode(const lwm2m_path *base, const lwm2m_records *in, uint8_t **out, size_t *len, lc_error *err);
int tlv_decode(const lwm2m_path *base, const uint8_t *in, size_t len, lwm2m_type_hint hint, void *arg, lwm2m_records *out, lc_error *err);
int omajson_encode(const lwm2m_path *base, const lwm2m_records *in, uint8_t **out, size_t *len, lc_error *err);
int omajson_decode(const lwm2m_path *base, const uint8_t *in, size_t len, lwm2m_type_hint hint, void *arg, lwm2m_records *out, lc_error *err);
int cbor_plain_encode(const lwm2m_path *base, const lwm2m_records *in, uint8_t **out, size_t *len, lc_error *err);
int cbor_plain_decode(const lwm2m_path *base, const uint8_t *in, size_t len, lwm2m_type_hint hint, void *arg, lwm2m_records *out, lc_error *err);
int senml_json_encode(const lwm2m_path *base, const lwm2m_records *in, uint8_t **out, size_t *len, lc_error *err);
int senml_json_decode(const lwm2m_path *base, const uint8_t *in, size_t len, lwm2m_type_hint hint, void *arg, lwm2m_records *out, lc_error *err);
int senml_cbor_encode(const lwm2m_path *base, const lwm2m_records *in, uint8_t **out, size_t *len, lc_error *err);
int senml_cbor_decode(const lwm2m_path *base, const uint8_t *in, size_t len, lwm2m_type_hint hint, void *arg, lwm2m_records *out, lc_error *err);
int lwm2m_cbor_encode(const lwm2m_path *base, const lwm2m_records *in, uint8_t **out, size_t *len, lc_error *err);
int lwm2m_cbor_decode(const lwm2m_path *base, const uint8_t *in, size_t len, lwm2m_type_hint hint, void *arg, lwm2m_records *out, lc_error *err);

#endif
