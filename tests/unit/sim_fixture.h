/* The simulated device on a configuration fixture, for the simulator's unit tests.
 * Header-only; include it after <cmocka.h>. */
#ifndef TESTS_UNIT_SIM_FIXTURE_H
#define TESTS_UNIT_SIM_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "sim/device.h"
#include "unit/fixture.h"

/* A device initialised from a fixture file with these faults (NULL: none) speaking LwM2M
 * 1.minor; release it with fx_sim_free. A device that does not start fails the test.
 * What the device is comes from tests/data/devices/<the fixture's name>: the device values
 * each configuration fixture held before descriptions (lwm2m-simdev itself is what
 * fixtures/simdev.json says, every object at once). */
static inline sim_device *fx_sim(const char *file, const sim_faults *f, int minor)
{
    config *c = fx_config(file);
    description *desc = malloc(sizeof *desc);
    assert_non_null(desc);
    lc_error err = {0};
    const char *base = strrchr(file, '/');
    char dpath[256];
    snprintf(dpath, sizeof dpath, "tests/data/devices/%s", base ? base + 1 : file);
    if (description_load_file(dpath, desc, &err) != 0)
        fail_msg("%s: %s", dpath, err.msg);
    sim_device *d = calloc(1, sizeof *d);
    assert_non_null(d);
    if (sim_device_init(d, c, desc, f, minor, &err) != 0)
        fail_msg("%s: the simulated device does not start: %s", file, err.msg);
    free(c);
    free(desc);
    return d;
}

static inline void fx_sim_free(sim_device *d)
{
    sim_device_cleanup(d);
    free(d);
}

#endif
