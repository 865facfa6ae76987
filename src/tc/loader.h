/* Test definitions (testcases/<id>.json, format in docs/testcase-format.md) -> the model of
 * tc/model.h.
 *
 * The loader reports every problem it finds, not just the first, each as a tc_diag with
 * file, line, column and the JSON Pointer of the offending value, so `validate` can list
 * them all the way a compiler does:
 *   testcases/x.json:14:13: /steps/1/op: unknown operation 'discoverr' (expected one of: …)
 * It and the modules it is built from (tc/fields: the JSON field readers, tc/load_steps,
 * tc/load_criteria; tc/rules: the format's field rules; tc/suite: dependency order;
 * tc/diag: the problem list) are the only ones that see the definition format; only
 * tc/fields, tc/load_* and this file see JSON. */
#ifndef LC_TC_LOADER_H
#define LC_TC_LOADER_H

#include <stddef.h>

#include "common/err.h"
#include "tc/diag.h"
#include "tc/model.h"

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
 * success out holds the cases in dependency order (tc_suite_order, tc/suite.h) and 0 is
 * returned; the caller frees it with tc_suite_free. On error out is left empty, every problem of
 * every file is in diags (may be NULL), err (may be NULL) holds a summary with the first
 * problem, and LC_EINVAL, LC_EIO (dir or a file unreadable) or LC_ENOTFOUND (no *.json
 * in dir) is returned. */
int tc_load_dir(const char *dir, tc_suite *out, tc_diags *diags, lc_error *err);

/* The same for several directories read as one suite (testcases/ and testcases/readings/):
 * the definitions of all of them, in file-name order across them, then checked and
 * ordered together. Messages name the first directory where they concern no file. */
int tc_load_dirs(const char *const *dirs, size_t dir_count, tc_suite *out, tc_diags *diags,
                 lc_error *err);

#endif
