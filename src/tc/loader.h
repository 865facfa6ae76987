/* Test definitions (testcases/<id>.json, format in docs/testcase-format.md) -> the model of
 * tc/model.h.
 *
 * The loader reports every problem it finds, not just the first, each as a tc_diag with
 * file, line, column and the JSON Pointer of the offending value, so `validate` can list
 * them all the way a compiler does:
 *   testcases/x.json:14:13: /steps/1/op: unknown operation 'discoverr' (expected one of: …)
 * It is the only module that sees JSON. */
#ifndef LC_TC_LOADER_H
#define LC_TC_LOADER_H

#include <stddef.h>

#include "common/err.h"
#include "tc/model.h"

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
/* "FILE:LINE:COLUMN: PATH: MESSAGE" (parts that are unknown left out).
 * Returns snprintf semantics. */
int tc_diag_format(const tc_diag *d, char *buf, size_t cap);

/* Parses and checks one definition held in memory; name is used in messages and stored
 * as the case's file. On success *out is a new case (free with tc_case_free) and 0 is
 * returned. Otherwise *out is NULL, every problem is appended to diags (may be NULL) and
 * LC_EINVAL (or LC_ENOMEM) is returned. */
int tc_load_string(const char *text, size_t len, const char *name, tc_case **out,
                   tc_diags *diags);

/* The same for a file; LC_EIO when it cannot be read (also recorded in diags). */
int tc_load_file_diags(const char *path, tc_case **out, tc_diags *diags);

/* One file, one message: on error err holds the first problem formatted as above, followed
 * by "(and N more problems)" when there are more. */
int tc_load_file(const char *path, tc_case **out, lc_error *err);

/* Loads every *.json in dir (in name order, not recursing), then checks the suite as a
 * whole: two files with one id, a depends_on naming no case, a dependency cycle. On
 * success out holds the cases in dependency order (see tc_suite_order) and 0 is returned;
 * the caller frees it with tc_suite_free. On error out is left empty, every problem of
 * every file is in diags (may be NULL), err (may be NULL) holds a summary with the first
 * problem, and LC_EINVAL, LC_EIO (dir or a file unreadable) or LC_ENOTFOUND (no *.json
 * in dir) is returned. */
int tc_load_dir(const char *dir, tc_suite *out, tc_diags *diags, lc_error *err);

/* Orders s->cases so every case comes after the cases it depends on; otherwise the
 * existing order is kept (a stable topological sort). Errors, each added to diags
 * (may be NULL) at the depends_on entry when its position is known:
 *   - two cases with one id;
 *   - a dependency on an id no case has ("depends on 'int-949', which is not in the suite");
 *   - a cycle, named in order ("dependency cycle: int-950 -> int-951 -> int-950").
 * On error the order is unchanged, err gets the first problem, and LC_EINVAL is returned. */
int tc_suite_order(tc_suite *s, tc_diags *diags, lc_error *err);

/* The content-format names definitions accept ("text", "link", "opaque", "tlv", "json",
 * "senml-json", "senml-cbor", "cbor") -> CoAP Content-Format number; -1 when unknown. */
int tc_content_format_from_name(const char *name);

#endif
