/* The server forgetting a registration (ETS INT 1.2 int-105, "Discarded Register Update"):
 *   forget-registration      the tool removes the device's active registration on the
 *                            acting server from its database and does not tell the device
 *                            (the ETS: expected lifetime run out, or the location deleted);
 *   expect-discarded-update  waits for the device's next Update of that registration, which
 *                            the tool answers 4.04 Not Found (any Update of an unknown
 *                            registration is); an Update to another location does not count.
 * The removed id is kept in the step context between the two. */
#ifndef LC_RUN_STEP_FORGET_H
#define LC_RUN_STEP_FORGET_H

#include "run/steps.h"

void step_forget_registration(step_context *sc, step_outcome *o);
void step_expect_discarded_update(step_context *sc, step_outcome *o);

#endif
