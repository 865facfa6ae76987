/* What a case's steps say beyond its criteria (issue 20): an error answer to a step no
 * criterion judges ("unjudged") is a note in the report, and an answer a step names in
 * "not_applicable_if" makes the case SKIPPED, not applicable, with the case's reason. */
#ifndef LC_RUN_STEPNOTES_H
#define LC_RUN_STEPNOTES_H

#include "dut/outcome.h"
#include "report/result.h"
#include "tc/model.h"

/* Adds a run-level note for every unjudged step of c the device answered with 4.xx/5.xx
 * (outcomes: one per step of c). */
void stepnotes_unjudged_errors(const tc_case *c, const step_outcome *outcomes, run_result *res);

/* Marks cr, and each of its criteria, SKIPPED: "not applicable: BECAUSE (step N answered
 * CODE)", na being the step whose answer said so. */
void stepnotes_not_applicable(case_result *cr, const tc_step *na);

#endif
