/* The JUnit XML reporter, for CI systems (Jenkins, GitLab, GitHub test annotations).
 *
 * One <testsuites> holding one <testsuite>; one <testcase> per case, named
 * "<OMA id> <title>" with classname "lwm2m.<area>". FAIL becomes one <failure> (its
 * message the first failing criterion, its text every failing criterion with expected,
 * observed, request, response and time); ERROR and INCONCLUSIVE become <error> with
 * type "ERROR" / "INCONCLUSIVE"; SKIPPED becomes <skipped>. The case's trace goes to
 * <system-out>. The dialect is described by tests/junit.xsd.
 *
 * Every string is escaped; characters XML 1.0 cannot carry (control characters other than
 * tab, newline and carriage return, U+FFFE, U+FFFF) and bytes that are not valid UTF-8 are
 * replaced with U+FFFD, so the file always parses. */
#ifndef LC_REPORT_JUNIT_H
#define LC_REPORT_JUNIT_H

#include "common/err.h"
#include "report/result.h"

/* Writes r to path atomically (a temporary file in the same directory, fsync'ed, then
 * renamed), so a reader never sees half a report and a failed write leaves the old file.
 * Returns 0, LC_EINVAL for a NULL argument, LC_ENOMEM, or LC_EIO with a message naming
 * path and the system error. */
int junit_write(const char *path, const run_result *r, lc_error *err);

/* The same document as a new NUL-terminated string (the caller frees), or NULL when out
 * of memory. */
char *junit_format(const run_result *r);

#endif
