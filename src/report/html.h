/* The HTML reporter: one self-contained page for CI artifact pages and test labs.
 *
 * Everything is inline (style, a small script); the page loads nothing (a Content-Security-
 * Policy forbids it). It shows the device under test, the summary counts, the run's notes,
 * then every case, failures first (FAIL, ERROR, INCONCLUSIVE, SKIPPED, PASS; the run's
 * order within each): its verdict, reason, source, each criterion with expected vs.
 * observed, request and response, the steps, the message ladder (the case's trace as a
 * table: time, the tool's endpoint, direction, the message) and the device log excerpt.
 * Cases that did not pass are open; the others fold. Without JavaScript all of it is
 * there; the script adds a filter by verdict (checkboxes) and nothing else.
 *
 * Every string is escaped for HTML; bytes that are not valid UTF-8 and control characters
 * other than tab and newline become U+FFFD. Nothing is redacted here: the runner hands
 * over traces already scrubbed of keys. Golden-tested like the other reporters. */
#ifndef LC_REPORT_HTML_H
#define LC_REPORT_HTML_H

#include "common/err.h"
#include "report/result.h"

/* Writes r to path atomically (as junit_write). Returns 0, LC_EINVAL, LC_ENOMEM or LC_EIO
 * with a message naming path. */
int html_report_write(const char *path, const run_result *r, lc_error *err);

/* The same page as a new NUL-terminated string (the caller frees), or NULL when out of
 * memory. */
char *html_report_format(const run_result *r);

#endif
