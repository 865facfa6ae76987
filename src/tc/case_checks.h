/* The rules a definition obeys as a whole, once its steps and criteria are loaded
 * (docs/testcase-format.md, "Checking a definition"):
 *   - every step is judged by some criterion, or says in "unjudged" why not (a set-up or
 *     clean-up step the draft gives no criterion); a "wait" has nothing to judge;
 *   - every wait for a message the device initiates is bounded: expect-register, -update,
 *     -deregister and -bootstrap-request carry "after_step" (tc/load_steps.c refuses them
 *     without); expect-notification and reset-notification follow the case's own Observe of
 *     that path (or Observe-Composite of the same paths), so nothing from an earlier case's
 *     observation counts; expect-send counts only Sends after its after_step, else after
 *     the case's first step (tc/rules.c: optional);
 *   - every timing criterion (a notifications check with a count or pmin/pmax) states its
 *     tolerance, and its min_count is no more than a device notifying at the slowest the
 *     tolerance allows (one every pmax + tolerance seconds) sends in the window. */
#ifndef LC_TC_CASE_CHECKS_H
#define LC_TC_CASE_CHECKS_H

#include "tc/fields.h"

/* Checks c (loaded from its JSON by the loader); problems go to x. */
void tc_check_case(tcf_ctx *x, const tc_case *c);

#endif
