/* Reading one definition's JSON: the loading context (the file's text, its problems so
 * far) and the typed field readers every part of the loader uses. A reader takes the JSON
 * Pointer of the value it reads, and on a wrong value records a diagnostic at that
 * value's line and column (tc/diag.h) and returns "nothing", so loading goes on and every
 * problem of a file is reported at once. Only the loader's modules include this header. */
#ifndef LC_TC_FIELDS_H
#define LC_TC_FIELDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tc/diag.h"
#include "tc/model.h"

/* One file being loaded. text is borrowed; diags owned (moved to the caller at the end). */
typedef struct tcf_ctx {
    const char *file;
    const char *text;
    size_t len;
    tc_diags diags; /* this file's problems */
    bool oom;
    bool lwm2m11; /* the case requires "lwm2m-1.1" */
    const tc_kv *case_vars; /* the case's "variables" (read before the steps) */
    size_t case_var_count;
} tcf_ctx;

/* Reports a problem with the value at ptr (at its key when at_key). A missing value is
 * reported at the nearest enclosing value that exists. */
void tcf_report(tcf_ctx *x, const char *ptr, bool at_key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The line and column of the value at ptr (or of the nearest enclosing value). */
void tcf_pos_of(const tcf_ctx *x, const char *ptr, int *line, int *column);

/* base + "/" + key, with '~' and '/' escaped as RFC 6901 asks. */
void tcf_ptr_key(char *out, size_t cap, const char *base, const char *key);

/* base + "/" + idx. */
void tcf_ptr_idx(char *out, size_t cap, const char *base, size_t idx);

/* strdup/calloc that mark x out of memory on failure (s NULL or n 0: NULL, no mark). */
char *tcf_strdup(tcf_ctx *x, const char *s);

void *tcf_calloc(tcf_ctx *x, size_t n, size_t size);

/* "an object", "a string", … for messages. */
const char *tcf_jtype(const json_t *v);

/* Typos must not pass silently: every key of obj must be one the format knows. */
void tcf_check_keys(tcf_ctx *x, const json_t *obj, const char *base, const char *const *allowed);

/* The member key of obj, or NULL. Reports a missing required key at obj. */
json_t *tcf_member(tcf_ctx *x, const json_t *obj, const char *base, const char *key, bool required);

/* A string member, copied; NULL when absent or wrong (reported). */
char *tcf_take_string(tcf_ctx *x, const json_t *obj, const char *base, const char *key,
                      bool required);

/* Reports unknown variables and unterminated "${" in s (the value at ptr). */
void tcf_check_vars(tcf_ctx *x, const char *ptr, const char *s);

/* An integer in [min, max]; false (reported) otherwise. */
bool tcf_take_int(tcf_ctx *x, const json_t *v, const char *ptr, const char *what, json_int_t min,
                  json_int_t max, json_int_t *out);

/* Seconds (integer or fraction) -> milliseconds. */
bool tcf_take_seconds(tcf_ctx *x, const json_t *v, const char *ptr, const char *key,
                      bool allow_zero, int64_t *ms);

/* A scalar as the text the runner sends or compares: strings as they are, integers in
 * decimal, other numbers with up to 15 significant digits, booleans as true/false. */
char *tcf_scalar_text(tcf_ctx *x, const json_t *v);

/* A content format given by name or number; -1 (reported) when unknown. */
int tcf_take_content_format(tcf_ctx *x, const json_t *v, const char *ptr, const char *key);

/* An array of non-empty strings; count 0 and NULL when absent or wrong. pos (may be NULL)
 * receives each entry's position. */
char **tcf_take_string_array(tcf_ctx *x, const json_t *obj, const char *base, const char *key,
                             size_t *count, tc_pos **pos);

/* s is an absolute LwM2M path with at least min_depth ids. */
bool tcf_valid_path(const char *s, int min_depth);

/* The "path" member of obj, copied: NULL when absent (reported when required). A path
 * that is not /object[/instance[/resource[/resource-instance]]] with at least min_depth
 * levels (3: a resource) is reported with what was expected, and still returned. */
char *tcf_take_path(tcf_ctx *x, const json_t *obj, const char *base, int min_depth,
                    bool required);

#endif
