/* sim/regretry: the simulated device's registration retry from /1/x/16-20 (LwM2M 1.1
 * §6.2.1.1): the 1.1 defaults where absent, the written values otherwise, and the schedule
 * (the timer doubled within a sequence, the sequence delay between sequences, then give up). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim/regretry.h"

static void test_schedule(void **state)
{
    (void)state;
    /* the 1.1 defaults: 5 Registers, 60 s doubling, one sequence: 60+120+240+480 s, then
     * give up (some 900 s: why int-7 writes short ones) */
    sim_regretry d = {true, 5, 60, 86400, 1};
    assert_int_equal(sim_regretry_next_ms(&d, 1), 60000);
    assert_int_equal(sim_regretry_next_ms(&d, 2), 120000);
    assert_int_equal(sim_regretry_next_ms(&d, 3), 240000);
    assert_int_equal(sim_regretry_next_ms(&d, 4), 480000);
    assert_int_equal(sim_regretry_next_ms(&d, 5), -1);
    /* int-7's set-up: 2 Registers 10 s apart, one sequence */
    sim_regretry w = {true, 2, 10, 30, 1};
    assert_int_equal(sim_regretry_next_ms(&w, 1), 10000);
    assert_int_equal(sim_regretry_next_ms(&w, 2), -1);
    /* two sequences: the sequence delay between them */
    w.sequence_count = 2;
    assert_int_equal(sim_regretry_next_ms(&w, 2), 30000);
    assert_int_equal(sim_regretry_next_ms(&w, 3), 10000);
    assert_int_equal(sim_regretry_next_ms(&w, 4), -1);
}

static void test_read_from_store(void **state)
{
    (void)state;
    sim_store *st = sim_store_new();
    assert_non_null(st);
    sim_regretry r;
    sim_regretry_read(st, 0, false, &r); /* nothing written: the defaults */
    assert_true(r.bootstrap_on_failure);
    assert_int_equal(r.retry_count, 5);
    assert_int_equal(r.retry_timer_s, 60);
    assert_int_equal(r.sequence_count, 1);
    assert_int_equal(sim_store_add_instance(st, 1, 0), 0);
    assert_int_equal(sim_store_set_int(st, 1, 0, 17, 2), 0);
    assert_int_equal(sim_store_set_int(st, 1, 0, 18, 10), 0);
    sim_regretry_read(st, 0, false, &r);
    assert_int_equal(r.retry_count, 2);
    assert_int_equal(r.retry_timer_s, 10);
    sim_regretry_read(st, 0, true, &r); /* ignore-retry-timers */
    assert_int_equal(r.retry_count, 5);
    assert_int_equal(r.retry_timer_s, 60);
    sim_store_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule),
        cmocka_unit_test(test_read_from_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
