/* JSON syntax errors a user can act on: jansson's "'}' expected near '"b"'" becomes
 * "FILE:LINE:COLUMN: expected ',' or '}', found '"b"'", with a hint for the usual traps
 * (comments, typographic quotes, placeholders, trailing commas). The configuration and the
 * device description loaders share it. */
#ifndef LC_JSONERR_H
#define LC_JSONERR_H

#include <jansson.h>

#include "common/err.h"

/* Sets err (LC_EINVAL) from jansson's error for the file name; what_object names the
 * top-level value in "expected '{' (WHAT is a JSON object)", e.g. "a configuration".
 * Returns LC_EINVAL. */
int jsonerr_syntax(const json_error_t *je, const char *name, const char *what_object,
                   lc_error *err);

#endif
