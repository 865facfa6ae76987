/* The server's Send resource (LwM2M 1.1 §6.4.4, "Information Reporting: Send"): the
 * device's POST /dp on a server endpoint is answered 2.04 Changed and becomes a NET_EV_SEND
 * event carrying the message (values, Content-Format) and its arrival time on the tool's
 * clock, for an expect-send step to take. Other methods on /dp are answered 4.05; a Send
 * on the bootstrap server 4.04. The registry's /rd and this /dp share the endpoints. */
#ifndef LC_LWM2M_SENDSINK_H
#define LC_LWM2M_SENDSINK_H

#include "common/err.h"
#include "net/endpoint.h"

/* Routes /dp of n to the sink. Returns 0, or LC_EINVAL with err set. Nothing to free:
 * the sink keeps no state beyond the events it queues in n. */
int sendsink_attach(net_ctx *n, lc_error *err);

#endif
