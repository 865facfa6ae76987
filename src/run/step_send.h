/* expect-send: waits for the device's Send (POST /dp, LwM2M 1.1 §6.4.4) on the acting
 * server, as lwm2m/sendsink answered it (2.04). Only a Send that arrived after the step
 * named by "after_step" began (the step that provoked it), else after the case's first
 * step began, counts: a periodic Send left from an earlier case never does. The wait is
 * the step's timeout; none arriving is a TIMEOUT, which a "no_response" criterion turns
 * into a pass (int-307: no Send while muted) — unless the trigger-send before it found no
 * way to make the device Send and the device has sent nothing on its own in this case: then
 * nothing arriving says nothing about the device and the step is a TOOL_ERROR (the case an
 * ERROR naming --send-cmd).
 * The outcome's request is the device's POST; its response is the Send itself as the
 * criteria judge it: code = the tool's answer (2.04), Content-Format and payload = the
 * Send's, so values and content_format checks read the values sent. */
#ifndef LC_RUN_STEP_SEND_H
#define LC_RUN_STEP_SEND_H

#include "run/steps.h"

void step_expect_send(step_context *sc, step_outcome *o);

/* trigger-send: makes the device Send now by the run's means (sc->trigger_send: SIGUSR1 to
 * the simulated device, --send-cmd for another). The LwM2M way to cause a Send is on the
 * device; a run without one says so and the following expect-send waits for the device's
 * own Send ("wait for, or force", ETS int-306). OK unless the command failed (ERROR: the
 * tool's means, not the device). */
void step_trigger_send(step_context *sc, step_outcome *o);

#endif
