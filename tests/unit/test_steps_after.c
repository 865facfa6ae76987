/* run/steps: since when an "after_step" wait counts (steps_provoked_at: a step that ends a
 * bootstrap session provokes from its Bootstrap-Finish, int-6 C and int-7 A), and the
 * deadline of a case's first wait after the device was reset or restarted
 * (steps_deadline: --reboot-timeout, as a Register after a Reboot). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/mono.h"
#include "run/steps.h"

static void start(step_context *sc, int number, tc_op op, uint64_t at, uint64_t provoked)
{
    sc->started[sc->started_count].number = number;
    sc->started[sc->started_count].op = (int)op;
    sc->started[sc->started_count].at = at;
    sc->started[sc->started_count++].provoked = provoked;
}

static void test_after_a_bootstrap_step_counts_from_its_finish(void **state)
{
    (void)state;
    step_context sc;
    memset(&sc, 0, sizeof sc);
    /* int-7 step 1: the Bootstrap-Request taken at 100, Writes sent at 200..400, the
     * Finish sent at 500; step 2 waits "after_step": 1 */
    start(&sc, 1, TC_OP_EXPECT_BOOTSTRAP_REQUEST, 90, 100);
    start(&sc, 1, TC_OP_BOOTSTRAP_WRITE, 190, 200);
    start(&sc, 1, TC_OP_BOOTSTRAP_WRITE, 290, 300);
    start(&sc, 1, TC_OP_BOOTSTRAP_WRITE, 390, 400);
    start(&sc, 1, TC_OP_BOOTSTRAP_FINISH, 490, 500);
    /* a Bootstrap-Request sent during the Writes (at 250) is not what the Finish provoked */
    assert_int_equal(steps_provoked_at(&sc, 1), 500);
    /* a step without a Finish: from its first request, as before (int-109's Write and the
     * Update it provokes, in the same step) */
    start(&sc, 2, TC_OP_WRITE, 600, 610);
    start(&sc, 2, TC_OP_EXPECT_UPDATE, 620, 0);
    assert_int_equal(steps_provoked_at(&sc, 2), 610);
    /* a Finish that was never sent (the step failed before it): when it began */
    start(&sc, 3, TC_OP_BOOTSTRAP_WRITE, 700, 710);
    start(&sc, 3, TC_OP_BOOTSTRAP_FINISH, 800, 0);
    assert_int_equal(steps_provoked_at(&sc, 3), 800);
    assert_int_equal(steps_provoked_at(&sc, 9), 0);
}

static void test_first_wait_after_a_reset_gets_the_reboot_timeout(void **state)
{
    (void)state;
    tc_step steps[2];
    memset(steps, 0, sizeof steps);
    steps[0].number = 1;
    steps[0].op = TC_OP_EXPECT_BOOTSTRAP_REQUEST;
    steps[1].number = 2;
    steps[1].op = TC_OP_EXPECT_BOOTSTRAP_REQUEST;
    tc_case c;
    memset(&c, 0, sizeof c);
    c.steps = steps;
    c.step_count = 2;
    step_context sc;
    memset(&sc, 0, sizeof sc);
    sc.c = &c;
    sc.default_timeout_ms = 30000;
    sc.timing_scale = 1.0;
    sc.var_timeout_ms = sc.var_duration_ms = -1;
    steps_set_reboot_timeout(&sc, 120000);
    uint64_t now = mono_ms();
    /* without a reset: the step timeout */
    uint64_t d = steps_deadline(&sc, &steps[0]) - now;
    assert_true(d >= 30000 && d < 31000);
    /* after one: the reboot timeout, for the first step only */
    sc.after_reset = true;
    d = steps_deadline(&sc, &steps[0]) - now;
    assert_true(d >= 120000 && d < 121000);
    d = steps_deadline(&sc, &steps[1]) - now;
    assert_true(d >= 30000 && d < 31000);
    /* a first step with a longer deadline of its own keeps it */
    steps[0].timeout_ms = 300000;
    d = steps_deadline(&sc, &steps[0]) - now;
    assert_true(d >= 300000 && d < 301000);
    /* and one that is not a wait for the device's message is not stretched */
    steps[0].timeout_ms = 0;
    steps[0].op = TC_OP_READ;
    d = steps_deadline(&sc, &steps[0]) - now;
    assert_true(d >= 30000 && d < 31000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_after_a_bootstrap_step_counts_from_its_finish),
        cmocka_unit_test(test_first_wait_after_a_reset_gets_the_reboot_timeout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
