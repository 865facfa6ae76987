/* Where a value is in JSON text, by JSON Pointer (RFC 6901: "/steps/2/op", array indices
 * from 0, "~1" for '/' and "~0" for '~' inside a key).
 *
 * jansson reports positions only for syntax errors; the loader uses this to report
 * semantic errors as FILE:LINE:COLUMN too. The scanner works on the raw text and keeps no
 * state between calls. */
#ifndef LC_TC_JSONPOS_H
#define LC_TC_JSONPOS_H

#include <stddef.h>

typedef struct jsonpos {
    int line, column;         /* 1-based, of the value's first character */
    int key_line, key_column; /* of the member's key (its opening quote) when the last
                                 token names an object member; else 0 */
    size_t offset;            /* byte offset of the value */
} jsonpos;

/* Finds the value at pointer ("" is the whole document). Returns 0 when found;
 * LC_ENOTFOUND when the path does not exist, with out set to the deepest value on the path
 * that does (so a missing key is reported at its object); LC_EINVAL when the text is not
 * well-formed enough to follow the path (out then holds the last position reached). */
int jsonpos_find(const char *text, size_t len, const char *pointer, jsonpos *out);

/* Line and column (1-based) of a byte offset. Columns count characters: a multi-byte
 * UTF-8 sequence is one column, as in jansson's messages. offset past len is clamped. */
void jsonpos_line_col(const char *text, size_t len, size_t offset, int *line, int *column);

#endif
