/* SenML (RFC 8428) as LwM2M 1.1 uses it (core §7.4.4 JSON, §7.4.5 CBOR): the part both
 * syntaxes share. The JSON and CBOR modules turn their bytes into senml_field values, one
 * record at a time; this module resolves names, base fields and values into lwm2m_records,
 * and plans the names an encoder writes.
 *
 * Decoding rules (RFC 8428 §4.5, LwM2M 1.1 §7.4.4):
 *   - bn, bt and bv apply to their record and every later one until replaced;
 *   - a record's name is bn followed literally by n and must be an absolute LwM2M path to a
 *     resource (/o/i/r) or a resource instance (/o/i/r/ri) under the request path;
 *   - exactly one of v, vs, vb, vd, vlo; v is bv + v, typed by the resource (integer,
 *     unsigned, time, float; by its own form when the resource is unknown); vs a string,
 *     vb a boolean, vd opaque, vlo an object link "obj:inst";
 *   - the time is bt + t when either is given (kept in the record, not interpreted);
 *   - labels ending in '_' must be understood: refused; other unknown labels are ignored;
 *     s and bs (sums) and the unit fields are checked for type and ignored.
 * Errors name the record by its index in the pack and the field. */
#ifndef LC_SENML_H
#define LC_SENML_H

#include "lwm2m/content/content.h"

/* Longest name (bn + n) accepted: "/65535/65535/65535/65535" is 24 characters. */
#define SENML_NAME_MAX 64

/* A number as the syntax carried it. */
typedef struct senml_num {
    enum { SENML_INT, SENML_UINT, SENML_FLOAT } kind;
    int64_t i;  /* SENML_INT */
    uint64_t u; /* SENML_UINT (beyond INT64_MAX only) */
    double f;   /* SENML_FLOAT */
} senml_num;

typedef enum {
    SENML_V_NONE = 0,
    SENML_V_NUM,   /* v */
    SENML_V_STR,   /* vs */
    SENML_V_BOOL,  /* vb */
    SENML_V_DATA,  /* vd (bytes, already decoded from base64url in JSON) */
    SENML_V_LINK,  /* vlo */
} senml_vkind;

/* One record's fields, pointing into the payload (or a syntax module's buffers). */
typedef struct senml_fields {
    const char *bn, *n;
    size_t bn_len, n_len;
    bool has_bn, has_n, has_bt, has_bv, has_t;
    senml_num bt, bv, t;
    senml_vkind vkind;
    const char *vfield; /* the label the value came in, for messages ("v", "vs", …) */
    senml_num v;
    bool vb;
    const uint8_t *vbytes; /* vs, vd, vlo */
    size_t vlen;
} senml_fields;

/* Decoder state across the records of one pack. */
typedef struct senml_dec {
    const char *fmt; /* "SenML JSON" / "SenML CBOR", the messages' prefix */
    const lwm2m_path *base;
    lwm2m_type_hint hint;
    void *arg;
    lwm2m_records *out;
    lc_error *err;
    char bn[SENML_NAME_MAX + 1];
    size_t bn_len;
    bool has_bt, has_bv;
    senml_num bt, bv;
} senml_dec;

void senml_dec_init(senml_dec *d, const char *fmt, const lwm2m_path *base, lwm2m_type_hint hint,
                    void *arg, lwm2m_records *out, lc_error *err);
/* Resolves record idx and appends it to d->out. Returns 0, LC_EINVAL (message in d->err)
 * or LC_ENOMEM. */
int senml_dec_record(senml_dec *d, size_t idx, const senml_fields *f);

/* Sets a "<fmt>: record <idx>: <message>" error and returns LC_EINVAL. */
int senml_fail(const senml_dec *d, size_t idx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends the number v at p, typed by the resource's type t: integer, time and unsigned
 * need a whole number in range (3800.0 is one), float takes any, other types keep the
 * number's own form (integer or float). Returns 0, LC_ENOMEM, or LC_EINVAL with why set
 * ("is 1.5, not an integer (64 bits)"). Shared with LwM2M CBOR. */
int senml_add_number(lwm2m_records *out, const lwm2m_path *p, lwm2m_type t, const senml_num *v,
                     char *why, size_t cap);

/* ---- encoding ---- */

/* How an encoder names records: the first carries bn, every record carries n (the path
 * relative to bn), except a lone record at the request path, named by bn alone. Checks
 * that every record is a resource or resource instance under base with a value type. */
typedef struct senml_names {
    char bn[SENML_NAME_MAX];
    int prefix_depth; /* ids of a record's path that bn already names */
    bool bn_only;     /* one record, named by bn alone */
} senml_names;

int senml_plan_names(const char *fmt, const lwm2m_path *base, const lwm2m_records *in,
                     senml_names *names, lc_error *err);
/* The n of rec under the plan ("" when bn_only). */
void senml_record_name(const senml_names *names, const lwm2m_record *rec, char *buf, size_t cap);

/* base64url without padding (RFC 4648 §5), the JSON form of vd (RFC 8428 §4.3). Encode
 * returns a malloc'd NUL-terminated string or NULL when out of memory. Decode accepts the
 * URL-safe alphabet with or without '=' padding; *out is malloc'd. Returns 0, LC_EINVAL,
 * LC_ENOMEM. */
char *senml_base64url_encode(const uint8_t *in, size_t n);
int senml_base64url_decode(const char *in, size_t n, uint8_t **out, size_t *out_len);

#endif
