/* expect-registered: the device stays registered with the acting server for a window —
 * the step's "duration" exactly (int-104 E: the initial lifetime, which a registration the
 * triggered Update refreshed outlives without another Update), else one lifetime of the
 * registration as it stands when the step starts plus the expiry tolerance
 * (STEPS_EXPIRY_TOLERANCE_MS, scaled by --timing-tolerance). Not a sleep:
 * the loop keeps serving the device (its Updates refresh the registration) and watches
 * the tool's registration database; the step fails at once on a De-register, a new
 * Register (the registration was replaced) or an expiry on the tool's clock (no Update
 * within lifetime + the expiry tolerance). */
#ifndef LC_RUN_STEP_REGISTERED_H
#define LC_RUN_STEP_REGISTERED_H

#include "run/steps.h"

void step_expect_registered(step_context *sc, step_outcome *o);

#endif
