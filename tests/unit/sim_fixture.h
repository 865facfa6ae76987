/* The simulated device on a configuration fixture, for the simulator's unit tests.
 * Header-only; include it after <cmocka.h>. */
#ifndef TESTS_UNIT_SIM_FIXTURE_H
#define TESTS_UNIT_SIM_FIXTURE_H

#include "sim/device.h"
#include "unit/fixture.h"

/* A device initialised from a fixture file with these faults (NULL: none) speaking LwM2M
 * 1.minor; release it with fx_sim_free. A device that does not start fails the test. */
static inline sim_device *fx_sim(const char *file, const sim_faults *f, int minor)
{
    config *c = fx_config(file);
    sim_device *d = calloc(1, sizeof *d);
    assert_non_null(d);
    lc_error err = {0};
    if (sim_device_init(d, c, f, minor, &err) != 0)
        fail_msg("%s: the simulated device does not start: %s", file, err.msg);
    free(c);
    return d;
}

static inline void fx_sim_free(sim_device *d)
{
    sim_device_cleanup(d);
    free(d);
}

#endif
