/* Diagnostics of test definitions: a list of problems, each with file, line, column and the
 * JSON Pointer of the offending value, formatted the way a compiler prints them:
 *   testcases/x.json:14:13: /steps/1/op: unknown operation 'discoverr' (expected one of: …)
 * Also the helpers that make a message actionable ("did you mean …?", "one of: …").
 * Knows nothing of JSON or of the case model. */
#ifndef LC_TC_DIAG_H
#define LC_TC_DIAG_H

#include <stdarg.h>
#include <stddef.h>

#include "common/err.h"

/* One problem in one definition. All strings owned by the tc_diags list. */
typedef struct tc_diag {
    char *file;      /* as given to the loader */
    int line;        /* 1-based; 0 when the problem concerns the whole file */
    int column;      /* 1-based; 0 with line 0 */
    char *json_path; /* JSON Pointer ("/steps/1/op", indices from 0); NULL for the file */
    char *message;
} tc_diag;

typedef struct tc_diags {
    tc_diag *items;
    size_t count, cap;
} tc_diags;

void tc_diags_init(tc_diags *d);
/* Frees the entries and leaves an empty list. */
void tc_diags_free(tc_diags *d);
/* Appends a copy. json_path may be NULL. Returns 0 or LC_ENOMEM. */
int tc_diags_add(tc_diags *d, const char *file, int line, int column, const char *json_path,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int tc_diags_addv(tc_diags *d, const char *file, int line, int column, const char *json_path,
                  const char *fmt, va_list ap);
/* Appends src's entries to dst (which may be NULL: they are dropped) and leaves src empty.
 * Returns 0 or LC_ENOMEM. */
int tc_diags_move(tc_diags *dst, tc_diags *src);
/* Stable sort by line and column (equal positions keep their report order). */
void tc_diags_sort(tc_diags *d);
/* For callers that show one message: err (may be NULL) gets prefix, the entry at first
 * formatted, and "(and N more problems)" when more follow. Returns code. */
int tc_diags_to_error(const tc_diags *d, size_t first, lc_error *err, int code,
                      const char *prefix);
/* "FILE:LINE:COLUMN: PATH: MESSAGE" (parts that are unknown left out).
 * Returns snprintf semantics. */
int tc_diag_format(const tc_diag *d, char *buf, size_t cap);

/* The NULL-terminated list joined with ", " into buf (truncated to cap). */
void tc_diag_join(const char *const *list, char *buf, size_t cap);
/* Levenshtein distance; 99 for strings longer than 40 characters. */
size_t tc_diag_edit_distance(const char *a, const char *b);
/* The entry of the NULL-terminated list within two edits of s (a likely typo), or NULL. */
const char *tc_diag_suggest(const char *const *list, const char *s);

#endif
