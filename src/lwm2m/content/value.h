/* Decoded LwM2M values: what every content format decodes to and encodes from.
 * A payload is a flat list of records, each a full path (down to resource or resource
 * instance) with a typed value, as SenML and OMA JSON already present it. */
#ifndef LC_VALUE_H
#define LC_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "lwm2m/path.h"

/* CoAP Content-Format numbers LwM2M uses. */
enum {
    CF_NONE = -1,
    CF_TEXT = 0,
    CF_LINK_FORMAT = 40,
    CF_OPAQUE = 42,
    CF_CBOR = 60,
    CF_SENML_JSON = 110,
    CF_SENML_CBOR = 112,
    CF_TEXT_LEGACY = 1541, /* LwM2M 1.0 drafts: text, TLV, JSON */
    CF_TLV_LEGACY = 1542,
    CF_JSON_LEGACY = 1543,
    CF_TLV = 11542,
    CF_OMA_JSON = 11543,
    CF_LWM2M_CBOR = 11544, /* LwM2M 1.2 */
};

/* "text/plain", "application/vnd.oma.lwm2m+tlv", … ; "unknown" for others. */
const char *content_format_name(int cf);
/* Accepts short names used in definitions ("text", "opaque", "tlv", "json", "senml-json",
 * "senml-cbor", "lwm2m-cbor", "link") and numbers as strings. Returns CF_NONE when unknown. */
int content_format_from_name(const char *name);

typedef enum {
    LV_NONE = 0,
    LV_INTEGER,
    LV_UNSIGNED,
    LV_FLOAT,
    LV_BOOLEAN,
    LV_STRING,
    LV_OPAQUE,
    LV_TIME,
    LV_OBJLNK,
} lwm2m_type;

const char *lwm2m_type_name(lwm2m_type t);

typedef struct lwm2m_record {
    lwm2m_path path;
    lwm2m_type type;
    int64_t i;        /* INTEGER, TIME, UNSIGNED (as non-negative) */
    double f;         /* FLOAT */
    bool b;           /* BOOLEAN */
    uint8_t *bytes;   /* STRING (NUL-terminated, len excludes it), OPAQUE; owned */
    size_t len;
    uint16_t objlnk[2]; /* OBJLNK object, instance */
    bool has_time;      /* SenML: the record's resolved time (bt + t) was given */
    double time;        /* seconds; as sent (absolute, or relative to now when < 2^28) */
} lwm2m_record;

typedef struct lwm2m_records {
    lwm2m_record *items; /* owned */
    size_t count, cap;
} lwm2m_records;

void records_init(lwm2m_records *r);
void records_free(lwm2m_records *r);
/* Each add copies its input. Return 0 or LC_ENOMEM. */
int records_add_int(lwm2m_records *r, const lwm2m_path *p, int64_t v);
int records_add_float(lwm2m_records *r, const lwm2m_path *p, double v);
int records_add_bool(lwm2m_records *r, const lwm2m_path *p, bool v);
int records_add_string(lwm2m_records *r, const lwm2m_path *p, const char *s);
int records_add_opaque(lwm2m_records *r, const lwm2m_path *p, const uint8_t *b, size_t n);
int records_add_objlnk(lwm2m_records *r, const lwm2m_path *p, uint16_t obj, uint16_t inst);
int records_add_time(lwm2m_records *r, const lwm2m_path *p, int64_t t);
const lwm2m_record *records_find(const lwm2m_records *r, const lwm2m_path *p);

/* The value as text the way text/plain would carry it ("86400", "true"→"1", Base64 for
 * opaque). Returns snprintf semantics. */
int record_value_text(const lwm2m_record *rec, char *buf, size_t cap);

/* A decoder's hint for formats that do not carry types (TLV, text): the type of the
 * resource at path, or LV_NONE to keep raw bytes (LV_OPAQUE). */
typedef lwm2m_type (*lwm2m_type_hint)(const lwm2m_path *path, void *arg);

/* --- Additions (value.c) --- */

/* "integer", "unsigned", "float", "boolean", "string", "opaque", "time", "objlnk" (the names
 * lwm2m_type_name returns and test definitions use); LV_NONE when unknown or NULL. */
lwm2m_type lwm2m_type_from_name(const char *name);

/* A string of n bytes that need not be NUL-terminated (TLV and text payloads); stored
 * NUL-terminated with len = n. Returns 0 or LC_ENOMEM. */
int records_add_string_n(lwm2m_records *r, const lwm2m_path *p, const char *s, size_t n);
/* Returns 0, LC_ENOMEM, or LC_EINVAL when v does not fit the int64_t the record keeps. */
int records_add_unsigned(lwm2m_records *r, const lwm2m_path *p, uint64_t v);
/* Deep copy of rec (bytes included). Returns 0 or LC_ENOMEM. */
int records_add_copy(lwm2m_records *r, const lwm2m_record *rec);
/* Parses text as a value of type t, the inverse of record_value_text: integer/time as a
 * decimal int64 ("-5"), unsigned as decimal digits, float as a finite decimal ("1.5",
 * "2e3"), boolean "1"/"0" only, objlnk "obj:inst", opaque as Base64 (RFC 4648, padded),
 * string as is (len bytes, NULs refused). Returns 0, LC_ENOMEM, or LC_EINVAL with a message
 * naming the path, the type and the offending text. */
int records_add_from_text(lwm2m_records *r, const lwm2m_path *p, lwm2m_type t,
                          const char *text, size_t len, lc_error *err);
/* Frees the records from index count on (a decoder's rollback after an error). */
void records_truncate(lwm2m_records *r, size_t count);
/* Same type and same value (paths are not compared). Floats compare with ==, so NaN
 * never equals. */
bool record_value_equal(const lwm2m_record *a, const lwm2m_record *b);

/* The %g precision (1..17) that prints v with the fewest digits that still read back as
 * exactly v, widened so integral values up to 17 digits print without an exponent
 * (0.1 → 1 "0.1", 100 → 3 "100", 1e300 → 1 "1e+300"). */
int value_float_precision(double v);

/* Base64 (RFC 4648 §4, with padding). Encode has snprintf semantics (returns the length
 * of the full encoding, writes at most cap-1 characters and a NUL). Decode accepts only
 * canonical padded input, no whitespace; *out is malloc'd (the caller frees it; never
 * NULL on success, even for empty input). Returns 0, LC_EINVAL or LC_ENOMEM. */
int value_base64_encode(const uint8_t *in, size_t n, char *buf, size_t cap);
int value_base64_decode(const char *in, size_t n, uint8_t **out, size_t *out_len);

#endif
