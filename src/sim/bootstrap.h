/* The client side of the Bootstrap interface (LwM2M 1.0 §5.2.7, 1.1 §6.1.7): what the
 * device answers to the bootstrap server between its Bootstrap-Request and the
 * Bootstrap-Finish. Keys written here are secrets: they reach the store, never a log. */
#ifndef LC_SIM_BOOTSTRAP_H
#define LC_SIM_BOOTSTRAP_H

#include "sim/device.h"
#include "sim/ops.h"

/* Answers one request from the bootstrap server:
 *   DELETE / or /<obj>[/<inst>]  Bootstrap-Delete -> 2.02 (the bootstrap account's
 *                                Security instance and the Device instance survive)
 *   PUT /<obj>[/<inst>[/<res>]]  Bootstrap-Write (TLV, OMA JSON, text, opaque) -> 2.04
 *   GET Accept 40 on / or /<obj> Bootstrap-Discover -> 2.05
 *   GET (LwM2M 1.1 only)         Bootstrap-Read of Server and Access Control -> 2.05
 *   POST /bs                     Bootstrap-Finish -> 2.04 (fx.bootstrap_finish); in
 *                                LwM2M 1.1 4.06 when no complete server account exists
 * Always fills resp. The bootstrap-write-error fault answers every Bootstrap-Write 4.00. */
void sim_bootstrap_handle(sim_device *d, const sim_request *req, sim_response *resp);

/* True when the store holds at least one complete server account (a Security instance
 * with a Short Server ID and its Server instance), i.e. Bootstrap-Finish is consistent. */
bool sim_bootstrap_consistent(const sim_device *d);

#endif
