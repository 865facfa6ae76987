/* The client side of the Bootstrap interface (LwM2M 1.0 §5.2.7, 1.1 §6.1.7): what the
 * device answers to the bootstrap server between its Bootstrap-Request and the
 * Bootstrap-Finish. Keys written here are secrets: they reach the store, never a log. */
#ifndef LC_SIM_BOOTSTRAP_H
#define LC_SIM_BOOTSTRAP_H

#include "sim/device.h"
#include "sim/ops.h"

/* The most Uri-Query options a Bootstrap-Request carries, and the room for each. */
#define SIM_BS_REQUEST_QUERIES 2
#define SIM_BS_QUERY_MAX 300

/* Fills q with the Uri-Query options of the Bootstrap-Request (POST /bs) of endpoint:
 * "ep=<endpoint>", and for LwM2M 1.1+ "pct=<n>" (sim_formats_pct: 11543 for 1.1, 112 for
 * 1.2, or --pct). The bootstrap-request-no-ep fault leaves ep out, and so does endpoint
 * NULL (--omit-ep: the PSK identity names the device, LwM2M 1.1 §7.3.1).
 * Returns how many options were filled (0 to SIM_BS_REQUEST_QUERIES). */
size_t sim_bootstrap_request_queries(const sim_device *d, const char *endpoint,
                                     char q[SIM_BS_REQUEST_QUERIES][SIM_BS_QUERY_MAX]);

/* Answers one request from the bootstrap server:
 *   DELETE / or /<obj>[/<inst>]  Bootstrap-Delete -> 2.02 (the bootstrap account's
 *                                Security instance and the Device instance survive)
 *   PUT /<obj>[/<inst>[/<res>]]  Bootstrap-Write (any format the codecs know) -> 2.04
 *   GET Accept 40 on / or /<obj> Bootstrap-Discover -> 2.05 (LwM2M 1.0 in the form of the
 *                                1.0 example, lwm2m="1.0",</0/0>;ssid=1,…; 1.1 with the
 *                                version on the link </>: </>;lwm2m="1.1",</0/0>;…)
 *   GET (LwM2M 1.1 only)         Bootstrap-Read of Server and Access Control -> 2.05
 *   POST /bs                     Bootstrap-Finish -> 2.04 (fx.bootstrap_finish), or 4.06
 *                                when no complete server account exists (the consistency
 *                                check ETS int-0 criterion E and int-9 rely on; the device
 *                                then stays in bootstrap)
 * Always fills resp. Faults acting here: bootstrap-write-error (every Bootstrap-Write
 * 4.00), pct-unsupported (4.15 for a Bootstrap-Write in the format its pct asked for), bootstrap-delete-error (every Bootstrap-Delete 4.00), bootstrap-delete-ignored
 * (2.02, nothing deleted), bootstrap-delete-all (the bootstrap account is deleted too),
 * bootstrap-read-error (Bootstrap-Read 4.05 in 1.1), bootstrap-accept-inconsistent
 * (Bootstrap-Finish 2.04 without the consistency check); bootstrap-discover-no-ssid acts in
 * sim_bootstrap_discover. */
void sim_bootstrap_handle(sim_device *d, const sim_request *req, sim_response *resp);

/* Brings the store to the state a Bootstrap-Delete of "/" leaves: the bootstrap account's
 * Security instance and the Device instance, nothing else (a device that starts in
 * bootstrap mode has only its bootstrap account). No fault changes this factory state. */
void sim_bootstrap_clear(sim_device *d);

/* True when the store holds at least one complete server account (a Security instance
 * with a Short Server ID and its Server instance), i.e. Bootstrap-Finish is consistent. */
bool sim_bootstrap_consistent(const sim_device *d);

#endif
