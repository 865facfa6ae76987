/* Coverage of an ETS document (tc/etsdoc.h): every test case id it lists, and for each
 * whether the suite implements it or why not. The ids and reasons come from a data file
 * beside the cases (testcases/ets-1.0.1.tsv, testcases/ets-1.2.tsv); whether an id is
 * implemented comes from the loaded suite (a case's id in that document: its own, or an
 * "also_in" one), so a new case needs only its definition file.
 *
 * The data file: '#' comment lines and blank lines, then one line per id with four
 * tab-separated fields: section ("6.1.2.1"), full id ("LightweightM2M-1.0-int-101"),
 * title, and why it is not implemented (empty only when a case file implements it). A
 * reason starting "no procedure" (a placeholder heading, a case delegated to another) marks
 * an id without a procedure; every other id has one. */
#ifndef LC_TC_COVERAGE_H
#define LC_TC_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"
#include "tc/model.h"

typedef struct tc_coverage_entry {
    char *section;
    char *id;       /* full id */
    char *title;
    char *reason;   /* why not implemented; "" when none is given */
    const tc_case *implemented_by; /* the suite's ETS case with this id; NULL when none */
} tc_coverage_entry;

typedef struct tc_coverage {
    tc_coverage_entry *entries; /* in the file's (the draft's) order */
    size_t count;
    size_t implemented;         /* entries with implemented_by set */
    size_t procedures;          /* entries with a procedure (reason not "no procedure…") */
    size_t procedures_implemented;
    /* The suite's tool readings (advisory; not ids of the draft), in suite order. */
    const tc_case **readings;
    size_t reading_count;
} tc_coverage;

/* Reads the data file at path, the list of the document with key document ("1.2"), and
 * matches it against suite (which must outlive the result). Errors, with the file and
 * line: a malformed line, an id listed twice, an unimplemented id without a reason; and
 * for the suite: a case whose id in this document the file does not list, whose source
 * names another section than the file, or an id two cases implement. Returns 0, or LC_EIO
 * (unreadable), LC_EINVAL (with err) or LC_ENOMEM; on error out is left empty. Free with
 * tc_coverage_free. */
int tc_coverage_load(const char *path, const char *document, const tc_suite *suite,
                     tc_coverage *out, lc_error *err);
/* True for a reason that says the id has no procedure ("no procedure: placeholder"). */
bool tc_coverage_no_procedure(const char *reason);
void tc_coverage_free(tc_coverage *cov);

/* The section an ETS source names ("OMA-ETS-LightweightM2M-V1_0_1 §6.1.1.1" -> "6.1.1.1"),
 * copied into buf; false when it names none. */
bool tc_source_section(const char *source, char *buf, size_t cap);

#endif
