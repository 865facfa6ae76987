/* The "steps" of a definition: each step's number, acting server and operation, and the
 * keys that operation takes (tc/rules.h), with write values checked against their types
 * and attributes against the LwM2M version. */
#ifndef LC_TC_LOAD_STEPS_H
#define LC_TC_LOAD_STEPS_H

#include "tc/fields.h"

/* Loads arr into c (appending to c's steps); problems go to x. */
void tc_load_steps(tcf_ctx *x, const json_t *arr, tc_case *c);

#endif
