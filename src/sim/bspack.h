/* The client side of the Bootstrap-Pack (LwM2M 1.2 §6.1.3): what the simulated device does
 * with the 2.05 that answers its GET /bspack. Each object the pack holds is replaced, as a
 * Bootstrap-Delete of the object (sparing the bootstrap account's Security instance and
 * the Device instance) then a Bootstrap-Write of its instances; then the configuration
 * must be consistent (a complete server account), as at Bootstrap-Finish. Keys in the pack
 * are secrets: they reach the store, never a log. */
#ifndef LC_SIM_BSPACK_H
#define LC_SIM_BSPACK_H

#include <stddef.h>
#include <stdint.h>

#include "sim/device.h"

/* Applies the pack (payload of content format cf). Returns 0 when the device now holds a
 * consistent configuration and leaves bootstrap; else -1 with why (cap bytes): a pack it
 * cannot decode, an inconsistent result, or the bspack-ignored fault. */
int sim_bspack_apply(sim_device *d, int cf, const uint8_t *payload, size_t len, char *why,
                     size_t cap);

#endif
