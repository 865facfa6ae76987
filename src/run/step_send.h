/* expect-send: waits for the device's Send (POST /dp, LwM2M 1.1 §6.4.4) on the acting
 * server, as lwm2m/sendsink answered it (2.04). Only a Send that arrived after the step
 * named by "after_step" began (the step that provoked it), else after the case's first
 * step began, counts: a periodic Send left from an earlier case never does. The wait is
 * the step's timeout; none arriving is a TIMEOUT, which a "no_response" criterion turns
 * into a pass (int-307: no Send while muted).
 * The outcome's request is the device's POST; its response is the Send itself as the
 * criteria judge it: code = the tool's answer (2.04), Content-Format and payload = the
 * Send's, so values and content_format checks read the values sent. */
#ifndef LC_RUN_STEP_SEND_H
#define LC_RUN_STEP_SEND_H

#include "run/steps.h"

void step_expect_send(step_context *sc, step_outcome *o);

#endif
