/* Values the simulated device changes on its own, as a real one's radio, GPS and traffic
 * counters do: Radio Signal Strength /4/0/2 and Link Quality /4/0/3 drift around their
 * configured values, the Location /6/0 moves and its Timestamp follows the clock, and the
 * Connectivity Statistics /7/0 counters grow while a collection runs (Start /7/0/6 resets
 * and starts it, Stop /7/0/7 or the Collection Period /7/0/8 ends it).
 *
 * Only objects the configuration gave the device change. The client calls sim_live_tick
 * from its loop and marks the observations of every changed path, so a server observing
 * /4/0 with pmin=2 gets a notification after 2 s, not only at pmax. */
#ifndef LC_SIM_LIVE_H
#define LC_SIM_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lwm2m/path.h"
#include "sim/device.h"

#define SIM_LIVE_PERIOD_MS 1000

/* Advances the values when a period has passed since the last tick. Writes up to cap
 * changed instance paths (/4/0, /6/0, /7/0) to changed and returns how many; 0 when
 * nothing changed. *next_ms receives when the next tick is due. */
size_t sim_live_tick(sim_device *d, uint64_t now_ms, lwm2m_path *changed, size_t cap,
                     uint64_t *next_ms);

/* An Execute the live values own (Start and Stop of /7/x). Returns true when path is one
 * (the caller answers 2.04). */
bool sim_live_execute(sim_device *d, const lwm2m_path *path, uint64_t now_ms);

#endif
