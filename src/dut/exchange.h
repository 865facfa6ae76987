/* One request to the device and its response, as a step outcome: the one place the
 * runner's steps and the bootstrap server turn "send, then wait with a deadline" into
 * OK / TIMEOUT / NO_ANSWER / NOT_RUN / TOOL_ERROR with a reason a user can read. */
#ifndef LC_DUT_EXCHANGE_H
#define LC_DUT_EXCHANGE_H

#include <stdint.h>

#include "net/endpoint.h"
#include "dut/outcome.h"

/* Sends spec on session and waits until deadline. Replaces o's request (as sent; the
 * payload only when spec is not confidential) and response. Returns the exchange id, 0
 * when nothing was sent. */
uint64_t exchange_run(net_ctx *n, coap_session_t *session, int endpoint,
                      const net_request_spec *spec, uint64_t deadline, step_outcome *o);

#endif
