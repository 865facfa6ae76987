/* CoRE Link Format (RFC 6690) as LwM2M uses it: parse, format, and compare link sets.
 *
 * Comparison is on parsed sets, never on strings: link order is not significant, attribute
 * order is not significant, numeric attribute values compare as numbers (lt=1 equals
 * lt=1.0), quoted and unquoted values compare equal when their contents are equal. */
#ifndef LC_LINKFORMAT_H
#define LC_LINKFORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"

#define LF_MAX_ATTRS 16
/* A payload with more links than this is rejected rather than allocated. */
#define LF_MAX_LINKS 4096

typedef struct lf_attr {
    char name[32];
    char value[128]; /* unquoted, unescaped */
    bool has_value;  /* "obs" alone has none */
    bool quoted;
} lf_attr;

typedef struct lf_link {
    char uri[128]; /* between < and >, e.g. "/3/0/16" */
    lf_attr attrs[LF_MAX_ATTRS];
    size_t attr_count;
} lf_link;

typedef struct lf_set {
    lf_link *links; /* owned; free with linkformat_free */
    size_t count;
} lf_set;

/* Parses an RFC 6690 link-value-list. Tolerates surrounding whitespace and an empty
 * payload (zero links). Errors say what was expected and at which byte offset:
 * "expected '<' at offset 12". out is untouched on error. */
int linkformat_parse(const char *buf, size_t len, lf_set *out, lc_error *err);
void linkformat_free(lf_set *set);

/* Writes "</3/0>;pmin=2,</3/0/0>" (quoted values re-quoted). Returns the length that was
 * needed (snprintf semantics). */
int linkformat_format(const lf_set *set, char *buf, size_t cap);

const lf_link *linkformat_find(const lf_set *set, const char *uri);
const lf_attr *linkformat_attr(const lf_link *link, const char *name);

/* Attribute values compared as numbers when both parse fully as numbers, else as strings. */
bool linkformat_value_equal(const char *a, const char *b);

typedef enum {
    LF_MATCH_EXACT,    /* same set of links, each with the same attributes */
    LF_MATCH_CONTAINS, /* every expected link is present with the same attributes; more links allowed */
    LF_MATCH_EXCLUDES, /* no expected link is present (by URI; with attributes when the expected link has some) */
} lf_match_mode;
/* In EXACT and CONTAINS an observed link must carry exactly the expected link's attributes
 * (extra ones fail, ignore_attrs aside): int-951 fails when server #2's pmin shows up on
 * server #1's link. In EXCLUDES an expected link with attributes fails as soon as any one
 * of them is observed with that value on the link (a partial leak is still a leak). */

typedef struct lf_compare_options {
    lf_match_mode mode;
    /* Attribute names ignored on observed links unless the expected link names them
     * (LwM2M 1.1 "dim" by default when this is NULL). NULL-terminated. */
    const char *const *ignore_attrs;
    /* EXACT and CONTAINS: attribute names an observed link may leave out although the
     * expected link names them; when the observed link carries one, its value must still be
     * the expected one (LwM2M 1.0 §5.4.2 leaves instance and resource attributes out of a
     * Discover of an object, the ETS lists them: int-260). NULL-terminated; NULL for none. */
    const char *const *optional_attrs;
} lf_compare_options;

/* Compares expected against observed. Returns true on match. On mismatch writes a
 * readable explanation into why ("missing </3/0/16>; </3/0> has pmin=15, expected pmin=2;
 * unexpected </3/0/13>"), every difference, "; "-separated, truncated with "..." to fit;
 * on match why is "". opt NULL means EXACT with the default ignore_attrs. why may be NULL
 * when why_cap is 0. */
bool linkformat_compare(const lf_set *expected, const lf_set *observed,
                        const lf_compare_options *opt, char *why, size_t why_cap);

#endif
