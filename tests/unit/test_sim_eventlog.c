/* The simulated device's Event Log (src/sim/eventlog.c): LogStart and LogStop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim/eventlog.h"
#include "sim/store.h"
#include "unit/fixture.h"

static void test_start_and_stop(void **state)
{
    (void)state;
    sim_store *st = sim_store_new();
    assert_int_equal(sim_store_set_int(st, 20, 0, 4013, 3), 0); /* stopped, valid data (C.16) */
    assert_int_equal(sim_store_set_opaque(st, 20, 0, 4014, (const uint8_t *)"log", 3), 0);
    lwm2m_path start = fx_path("/20/0/4011"), stop = fx_path("/20/0/4012");
    assert_true(sim_eventlog_execute(st, &start));
    int64_t status = -1;
    assert_true(sim_store_get_int(st, 20, 0, 4013, &status));
    assert_int_equal(status, 0); /* running, the collection emptied */
    lwm2m_path data = fx_path("/20/0/4014");
    const lwm2m_record *r = sim_store_get(st, &data);
    assert_non_null(r);
    assert_int_equal(r->len, 0);
    assert_true(sim_eventlog_execute(st, &stop));
    assert_true(sim_store_get_int(st, 20, 0, 4013, &status));
    assert_int_equal(status, 1); /* stopped */
    sim_store_free(st);
}

static void test_other_paths_are_not_its(void **state)
{
    (void)state;
    sim_store *st = sim_store_new();
    lwm2m_path p7 = fx_path("/7/0/6"), status = fx_path("/20/0/4013"), inst = fx_path("/20/0");
    assert_false(sim_eventlog_execute(st, &p7));
    assert_false(sim_eventlog_execute(st, &status));
    assert_false(sim_eventlog_execute(st, &inst));
    sim_store_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_start_and_stop),
        cmocka_unit_test(test_other_paths_are_not_its),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
