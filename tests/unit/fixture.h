/* What the unit tests share: a configuration fixture that loads or fails the test, and an
 * LwM2M path the test knows to be valid. Header-only (every unit test is one program of
 * its own); include it after <cmocka.h>. The simulated device on a fixture is in
 * sim_fixture.h. */
#ifndef TESTS_UNIT_FIXTURE_H
#define TESTS_UNIT_FIXTURE_H

#include <stdlib.h>

#include "lwm2m/config.h"
#include "lwm2m/path.h"

/* A fixture file (e.g. "fixtures/c14.json") in a fresh configuration: free() it. A file
 * that does not load fails the test with the loader's message. */
static inline config *fx_config(const char *file)
{
    config *c = calloc(1, sizeof *c);
    assert_non_null(c);
    lc_error err = {0};
    if (config_load_file(file, c, &err) != 0)
        fail_msg("%s: %s", file, err.msg);
    return c;
}

/* "/3/0/1" as a path; text that does not parse fails the test. */
static inline lwm2m_path fx_path(const char *s)
{
    lwm2m_path p;
    assert_int_equal(lwm2m_path_parse(s, &p), 0);
    return p;
}

#endif
