/* Describing a device from what it says about itself: the object list of its Register and
 * a Read of each instance of its own objects (3 and above; Security, Server and Access
 * Control are the test's), into a device description (lwm2m/description) the user
 * reviews. Its LwM2M version, binding and endpoint name come from the Register. Resources
 * whose values change by themselves (a clock, a battery, radio and cell values, counters,
 * a location) are marked volatile: by a table of the core objects' such resources, and
 * by the object definitions (a read-only Time: a clock or a timestamp). */
#ifndef LC_RUN_DESCRIBE_H
#define LC_RUN_DESCRIBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dut/dut.h"
#include "lwm2m/description.h"

typedef struct describe_options {
    uint64_t timeout_ms;     /* for the Register and for each Read */
    int short_server_id;     /* the server to read through (0: the first registered) */
} describe_options;

/* Waits (up to timeout_ms) for the device's registration, then reads it into out (which
 * describe_device initialises). notes (cap bytes, may be NULL) receives one line per Read
 * that did not answer 2.05 and what was done. Returns 0, LC_ETIMEDOUT (no registration),
 * LC_EINTR, or another LC_E* with err set. */
int describe_device(dut *d, const describe_options *opt, description *out, char *notes,
                    size_t cap, lc_error *err);

/* Whether the resource (object obj, resource res) changes by itself, as describe marks
 * it: the table, then the object definition. */
bool describe_is_volatile(int obj, int res);

#endif
