/* The composite operations as the simulated device answers them (LwM2M 1.1 §5.4.4
 * Read-Composite, §5.4.6 Write-Composite, §5.5.1 Observe-Composite; RFC 8132):
 *   FETCH /   body: a SenML path list (110 or 112): every path read as a Read would read
 *             it (Access Control, readable resources, the read faults), a path that does
 *             not exist or cannot be read left out (best effort, not atomic); the root "/"
 *             reads every object it implements except Security (0), OSCORE (21) and COSE
 *             (23). Answered 2.05 in the Accept (SenML JSON or CBOR; the body's format
 *             without one), values named from the root. With Observe 0 the client keeps a
 *             composite observation (sim/observe) of the paths.
 *   iPATCH /  body: SenML records: each resource must exist and be writable (else 4.04 /
 *             4.05, nothing stored), then all are stored, 2.04.
 * Faults: composite-unsupported, composite-extra, composite-all-or-nothing,
 * composite-root-security, write-composite-partial, composite-stale-notify (sim/faults.c).
 * No sockets here. */
#ifndef LC_SIM_COMPOSITE_H
#define LC_SIM_COMPOSITE_H

#include "sim/observe.h"
#include "sim/ops.h"

/* Answers a FETCH or iPATCH on the root from server ssid. With a FETCH carrying Observe 0
 * that succeeds, resp->fx holds the observation's paths (observe_paths). */
void sim_composite_handle(sim_device *d, int ssid, const sim_request *req, sim_response *resp);

/* Reads paths as one composite answer in accept (CF_NONE: SenML CBOR). */
void sim_composite_read(sim_device *d, int ssid, const lwm2m_path *paths, size_t count,
                        int accept, sim_response *resp);

/* What a notification of o carries now: a Read of its path, or of its paths when it is a
 * composite observation. */
void sim_composite_notify_read(sim_device *d, const sim_observation *o, sim_response *resp);

/* Gives a new observation what its Observe carried beyond the path: a composite one's
 * paths and format, an Observe's Uri-Query attributes (fx from the answer). */
void sim_composite_observation(sim_observation *o, const sim_effects *fx);
/* The attributes that time observation o for its server: a plain observation's path's (its
 * server's defaults filling pmin/pmax, then the Observe's own parameters, LwM2M 1.2); for a
 * composite one, its paths' together, the strictest of each: the highest pmin (the lowest
 * with --composite-min-pmin, as Zephyr) and the lowest pmax any path that holds something has (int-310: /3?pmax=5 times the observation
 * of /1/0/1 and /3/0; int-308: /16/1 counts once it is created, not before). */
void sim_composite_effective(const sim_device *d, const sim_observation *o, int64_t def_pmin,
                             int64_t def_pmax, sim_attr_set *eff);
/* Keeps the first answer of a new composite observation for the fault
 * composite-stale-notify, which resends it in every notification (int-308 F, int-309 G);
 * does nothing without the fault. */
void sim_composite_remember_first(const sim_device *d, sim_observation *o,
                                  const sim_response *resp);

/* Lets an observation's own attributes (its Observe's Uri-Query) override eff. */
void sim_composite_observe_params(const sim_observation *o, sim_attr_set *eff);

#endif
