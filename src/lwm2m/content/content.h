/* One entry point for every content format; each format is its own module
 * (text.c, opaque.c, tlv.c, omajson.c) behind this table. */
#ifndef LC_CONTENT_H
#define LC_CONTENT_H

#include "lwm2m/content/value.h"

/* Encodes records as content-format cf, relative to base (the request's path: a resource,
 * an instance or an object). *out is malloc'd; the caller frees it.
 * text/opaque accept exactly one record at base. Returns 0, LC_EINVAL, LC_EUNSUPPORTED. */
int content_encode(int cf, const lwm2m_path *base, const lwm2m_records *in, uint8_t **out,
                   size_t *out_len, lc_error *err);

/* Decodes a payload of content-format cf received for base. hint (may be NULL) types
 * values for formats that carry none. Appends to out. Errors say what was malformed and at
 * which byte offset. */
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

#endif
