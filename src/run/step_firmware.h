/* The firmware update operations (ETS 6.1.6.6, object 5), with the delivery of fw/:
 *   firmware-reset    the initial state: '\0' to /5/0/0 (push) or "" to /5/0/1 (pull)
 *   firmware-deliver  the package by push (Block1 Write of /5/0/0) or pull (a URI the
 *                     tool serves written to /5/0/1), as /5/0/9 and /5/0/8 allow
 *   firmware-wait     polls /5/0 every --firmware-poll until the phase ends
 * Each first reads /5/0 once per case for Protocol Support (8) and Delivery Method (9); a
 * way the device does not declare ends the case as SKIPPED with the reason, as does a
 * package the run was not given. */
#ifndef LC_RUN_STEP_FIRMWARE_H
#define LC_RUN_STEP_FIRMWARE_H

#include "run/steps.h"

void step_firmware_reset(step_context *sc, step_outcome *o);
void step_firmware_deliver(step_context *sc, step_outcome *o);
void step_firmware_wait(step_context *sc, step_outcome *o);

#endif
