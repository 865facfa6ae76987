/* The terminal reporter: one line per case as it finishes, then a summary that counts the
 * verdicts and repeats every case that did not pass, h2spec style:
 *
 *   PASS  int-950  Multi-Servers Registration  (0.41 s)
 *   FAIL  int-951  Multi-Servers & Attributes  (3.20 s)
 *
 *   2 cases: 1 passed, 1 failed, 0 inconclusive, 0 skipped, 0 errors in 3.61 s
 *
 *   FAIL int-951 criterion C (step 3)
 *     <criterion text>
 *     expected: …
 *     observed: …
 *
 * Strings from the device are shown safely: control characters (C0, DEL, C1) and bytes
 * that are not valid UTF-8 are written as \xNN, so a payload cannot drive the terminal.
 * Nothing is redacted here: the runner hands over traces already scrubbed of keys.
 * Write errors on out are not reported (out is the caller's stream to check). */
#ifndef LC_REPORT_TEXT_H
#define LC_REPORT_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "report/result.h"

/* One line for a finished case: verdict, short id, title, elapsed time. With color the
 * verdict is coloured (green PASS, red FAIL, yellow INCONCLUSIVE/SKIPPED, magenta ERROR).
 * With verbose, one indented line per step (verdict, summary, time, reason) and per
 * criterion (label, verdict, text), and the case's reason when it did not pass. */
void text_report_case(FILE *out, const case_result *c, bool color, bool verbose);

/* The counts line, a note when the run was interrupted (how many cases were not run),
 * then each case that did not pass: a FAIL once per failing criterion with its text,
 * expected, observed, request, response and elapsed time; ERROR, INCONCLUSIVE and
 * SKIPPED with their reason. Cases not run because of the interrupt are only counted. */
void text_report_summary(FILE *out, const run_result *r, bool color);

#endif
