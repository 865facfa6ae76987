/* CBOR (RFC 8949) for the content formats, through libcbor: a pull reader over libcbor's
 * streaming decoder and a growable writer over its encoders. The reader never builds a
 * tree and never allocates: an item is its head plus, for strings, a pointer into the
 * payload, so a peer's declared lengths cost nothing until the bytes are really there.
 * Tags are skipped (an epoch-time tag 1 on an integer reads as the integer). Text strings
 * must be valid UTF-8. Indefinite-length strings are joined into buffers the reader owns
 * (bounded by the payload); indefinite arrays and maps are read as they come. */
#ifndef LC_CBOR_H
#define LC_CBOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

typedef enum {
    CB_UINT,   /* u */
    CB_NEGINT, /* the value is -1 - u */
    CB_BYTES,  /* data, len */
    CB_TEXT,   /* data, len */
    CB_ARRAY,  /* u entries, or indefinite */
    CB_MAP,    /* u pairs, or indefinite */
    CB_FLOAT,  /* f (half, single and double) */
    CB_BOOL,   /* b */
    CB_NULL,
    CB_UNDEF,
    CB_BREAK,  /* the end of an indefinite array or map */
} cb_kind;

typedef struct cb_item {
    cb_kind kind;
    uint64_t u;
    bool indefinite;
    double f;
    bool b;
    const uint8_t *data;
    size_t len;
    size_t offset; /* where the item's head starts in the payload */
} cb_item;

typedef struct cb_reader {
    const uint8_t *p;
    size_t len, off;
    const char *fmt; /* the messages' prefix: "SenML CBOR" */
    lc_error *err;
    uint8_t **bufs; /* joined indefinite-length strings; owned */
    size_t nbufs;
} cb_reader;

void cb_reader_init(cb_reader *r, const char *fmt, const uint8_t *p, size_t len, lc_error *err);
/* Frees the joined strings: items read from r point into them until then. */
void cb_reader_free(cb_reader *r);
/* Frees the joined strings read after r->nbufs was keep (a decoder's per-record mark). */
void cb_reader_release(cb_reader *r, size_t keep);
/* Reads the next item's head (and a string's bytes). Returns 0, LC_ENOMEM, or LC_EINVAL
 * with "<fmt>: <what> at byte <offset>". */
int cb_next(cb_reader *r, cb_item *it);
/* Before each entry of the container it: 1 when one follows, 0 at its end (a break is
 * consumed), LC_EINVAL when the payload ends first. *left counts a definite container. */
int cb_more(cb_reader *r, const cb_item *container, uint64_t *left);
/* Skips the rest of the item whose head is it (the contents of an array or map), nested at
 * most CONTENT_MAX_NESTING deep. Returns 0 or LC_EINVAL. */
int cb_skip(cb_reader *r, const cb_item *it);
/* Well-formed UTF-8 (RFC 3629), as CBOR text strings must be. */
bool cb_utf8_valid(const uint8_t *s, size_t n);
/* "an unsigned integer", "a text string", … for messages. */
const char *cb_kind_name(cb_kind k);

typedef struct cb_writer {
    uint8_t *p; /* malloc'd; the caller takes it */
    size_t len, cap;
    bool oom;   /* a write failed for memory: the buffer is incomplete */
} cb_writer;

void cb_uint(cb_writer *w, uint64_t v);
void cb_int(cb_writer *w, int64_t v);
/* The smallest of single and double precision that holds v exactly. */
void cb_float(cb_writer *w, double v);
void cb_bool(cb_writer *w, bool v);
void cb_text(cb_writer *w, const char *s, size_t n);
void cb_bytes(cb_writer *w, const uint8_t *b, size_t n);
void cb_array(cb_writer *w, size_t n);
void cb_map(cb_writer *w, size_t n);

/* ---- LwM2M values as single CBOR items (LwM2M CBOR leaves, plain CBOR) ---- */

struct lwm2m_record;
struct lwm2m_records;
struct lwm2m_path;

/* Writes rec's value as one item: integer/time (major 0/1), unsigned (major 0), float,
 * boolean, string (text), opaque (bytes), objlnk (text "obj:inst"). Returns 0 or LC_EINVAL
 * ("<fmt>: <path> has no value type", or a string that is not UTF-8). */
int cb_put_value(cb_writer *w, const struct lwm2m_record *rec, const char *fmt, lc_error *err);
/* Appends the value item v at p, typed by the resource's type t: numbers as
 * senml_add_number, text as an object link when t is objlnk and a string otherwise, bytes
 * as opaque, booleans. Returns 0, LC_ENOMEM, or LC_EINVAL with why set ("null is not a
 * value (…)", "the value is 1.5, not an integer (64 bits)"). */
int cb_add_value(struct lwm2m_records *out, const struct lwm2m_path *p, int t, const cb_item *v,
                 char *why, size_t cap);

#endif
