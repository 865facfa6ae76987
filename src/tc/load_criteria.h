/* The "pass_criteria" of a definition: letters A, B, … in order, each judging an existing
 * step, with its "expect" checks (code, content format, registration, links, values,
 * answered, no_response) loaded in a fixed order. Steps must be loaded first. */
#ifndef LC_TC_LOAD_CRITERIA_H
#define LC_TC_LOAD_CRITERIA_H

#include "tc/fields.h"

/* Loads arr into c (appending to c's criteria); problems go to x. */
void tc_load_criteria(tcf_ctx *x, const json_t *arr, tc_case *c);

#endif
