/* The JSON reporter: the whole result model, for tools that post-process a run.
 *
 * {"format_version": 1, "suite_name", "device", "config", "started_at", "hostname",
 *  "elapsed_ms", "interrupted", "counts": {total, pass, fail, inconclusive, skipped,
 *  error, not_run}, "cases": [{id, short_id, title, area, verdict, reason, elapsed_ms,
 *  not_run, steps: [{number, summary, verdict, reason, elapsed_ms}], criteria: [{letter,
 *  step, text, verdict, expected, observed, request, response, elapsed_ms}], trace}]}
 *
 * Field names are those of report/result.h; absent strings are null; verdicts are
 * verdict_name() strings. Bytes that are not valid UTF-8 are replaced with U+FFFD (JSON
 * text must be Unicode); control characters survive as \u escapes. */
#ifndef LC_REPORT_JSON_H
#define LC_REPORT_JSON_H

#include "common/err.h"
#include "report/result.h"

/* Writes r to path atomically (temporary file in the same directory, fsync'ed, renamed).
 * Returns 0, LC_EINVAL for a NULL argument, LC_ENOMEM, or LC_EIO with a message naming
 * path and the system error. */
int json_report_write(const char *path, const run_result *r, lc_error *err);

/* The same document as a new NUL-terminated string ending in a newline (the caller
 * frees), or NULL when out of memory. */
char *json_report_format(const run_result *r);

#endif
