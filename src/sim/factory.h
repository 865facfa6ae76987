/* The simulated device's factory configuration, arranged as a real device might keep it.
 * Real clients keep their factory bootstrap account in a Security instance of their own
 * choosing (/0/0 is common), not where C.14 has it (/0/1). */
#ifndef LC_SIM_FACTORY_H
#define LC_SIM_FACTORY_H

#include "common/err.h"
#include "lwm2m/config.h"

/* Moves c's bootstrap account to Security instance iid (0..65534). An account already at
 * iid takes the bootstrap account's old instance (the two swap: a Security instance pairs
 * with its Server instance by Short Server ID, not by instance id). Returns 0, or
 * LC_EINVAL (no bootstrap account, iid out of range). */
int sim_factory_place_bootstrap(config *c, int iid, lc_error *err);

#endif
