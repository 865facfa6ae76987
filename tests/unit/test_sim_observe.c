/* Observation bookkeeping and notification timing of the simulated device
 * (src/sim/observe.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lwm2m/content/value.h"
#include "sim/observe.h"
#include "unit/fixture.h"

static const uint8_t T1[] = {1, 2, 3, 4}, T2[] = {9, 9};
static int S1, S2; /* two distinct session handles */

static void test_add_replace_remove(void **state)
{
    (void)state;
    sim_observe_list l;
    sim_observe_init(&l);
    lwm2m_path a = fx_path("/3/0"), b = fx_path("/3/0/13");
    sim_observation *o = sim_observe_add(&l, 1, &S1, T1, sizeof T1, &a, CF_NONE, 1000);
    assert_non_null(o);
    assert_int_equal(o->last_mid, -1);
    assert_non_null(sim_observe_add(&l, 1, &S1, T2, sizeof T2, &b, CF_TEXT, 1000));
    assert_non_null(sim_observe_add(&l, 2, &S2, T1, sizeof T1, &a, CF_TLV, 1000));
    assert_int_equal(l.count, 3);
    /* same session and token: a re-registration replaces */
    o = sim_observe_add(&l, 1, &S1, T1, sizeof T1, &b, CF_TEXT, 2000);
    assert_int_equal(l.count, 3);
    assert_true(lwm2m_path_equal(&o->path, &b));
    assert_int_equal(o->last_ms, 2000);
    uint8_t long_token[9] = {0};
    assert_null(sim_observe_add(&l, 1, &S1, long_token, sizeof long_token, &a, CF_NONE, 0));

    assert_true(sim_observe_remove_token(&l, &S1, T1, sizeof T1));
    assert_false(sim_observe_remove_token(&l, &S1, T1, sizeof T1));
    assert_int_equal(l.count, 2);
    /* left: server 1's T2 and server 2's T1; a RST names the notification's mid */
    for (size_t k = 0; k < l.count; k++)
        if (l.items[k].session == (void *)&S2)
            l.items[k].last_mid = 77;
    assert_false(sim_observe_remove_mid(&l, &S1, 77));
    assert_true(sim_observe_remove_mid(&l, &S2, 77));
    assert_false(sim_observe_remove_mid(&l, &S1, -1));
    assert_int_equal(l.count, 1);
    assert_int_equal(sim_observe_remove_session(&l, &S2), 0);
    assert_int_equal(sim_observe_remove_session(&l, &S1), 1);
    assert_int_equal(l.count, 0);
    sim_observe_free(&l);
    assert_int_equal(l.count, 0);
}

static void test_remove_by_path_and_under(void **state)
{
    (void)state;
    sim_observe_list l;
    sim_observe_init(&l);
    lwm2m_path i = fx_path("/1/0"), r = fx_path("/1/0/1"), other = fx_path("/1/1");
    sim_observe_add(&l, 1, &S1, T1, sizeof T1, &r, CF_NONE, 0);
    sim_observe_add(&l, 1, &S1, T2, sizeof T2, &other, CF_NONE, 0);
    sim_observe_add(&l, 2, &S2, T1, sizeof T1, &r, CF_NONE, 0);
    assert_int_equal(sim_observe_remove_path(&l, &S1, &r), 1);
    assert_int_equal(l.count, 2);
    assert_int_equal(sim_observe_remove_under(&l, &i), 1); /* S2's /1/0/1 */
    assert_int_equal(l.count, 1);
    assert_true(lwm2m_path_equal(&l.items[0].path, &other));
    sim_observe_free(&l);
}

static void test_mark_changed(void **state)
{
    (void)state;
    sim_observe_list l;
    sim_observe_init(&l);
    lwm2m_path inst = fx_path("/3/0"), res = fx_path("/3/0/13"), srv = fx_path("/1/0");
    sim_observe_add(&l, 1, &S1, T1, sizeof T1, &inst, CF_NONE, 0);
    sim_observe_add(&l, 1, &S1, T2, sizeof T2, &res, CF_NONE, 0);
    sim_observe_add(&l, 2, &S2, T1, sizeof T1, &srv, CF_NONE, 0);
    lwm2m_path w = fx_path("/3/0/13");
    sim_observe_mark_changed(&l, &w); /* below /3/0, equal to /3/0/13 */
    assert_true(l.items[0].dirty);
    assert_true(l.items[1].dirty);
    assert_false(l.items[2].dirty);
    l.items[0].dirty = l.items[1].dirty = false;
    lwm2m_path obj = fx_path("/3");
    sim_observe_mark_changed(&l, &obj); /* above both */
    assert_true(l.items[0].dirty && l.items[1].dirty);
    sim_observe_free(&l);
}

static void test_due(void **state)
{
    (void)state;
    sim_observation o = {.last_ms = 10000, .last_mid = -1};
    sim_attr_set a = {.has_pmin = true, .pmin = 2, .has_pmax = true, .pmax = 10};
    assert_int_equal(sim_observe_due(&o, &a), 20000); /* pmax */
    o.dirty = true;
    assert_int_equal(sim_observe_due(&o, &a), 12000); /* change, not before pmin */
    a.has_pmin = false;
    assert_int_equal(sim_observe_due(&o, &a), 10000); /* at once */
    o.dirty = false;
    a.has_pmax = false;
    assert_int_equal(sim_observe_due(&o, &a), SIM_OBSERVE_NEVER);
    /* pmax below pmin is ignored */
    a = (sim_attr_set){.has_pmin = true, .pmin = 30, .has_pmax = true, .pmax = 10};
    assert_int_equal(sim_observe_due(&o, &a), SIM_OBSERVE_NEVER);
    o.dirty = true;
    assert_int_equal(sim_observe_due(&o, &a), 40000);
    assert_int_equal(sim_observe_due(&o, NULL), 10000);
}

static void test_change_qualifies(void **state)
{
    (void)state;
    sim_attr_set none = {0};
    assert_true(sim_observe_change_qualifies(&none, true, 1, 2));
    sim_attr_set gt = {.has_gt = true, .gt = 6};
    assert_false(sim_observe_change_qualifies(&gt, true, 1, 5));
    assert_true(sim_observe_change_qualifies(&gt, true, 5, 7));  /* crossed upwards */
    assert_true(sim_observe_change_qualifies(&gt, true, 7, 5));  /* and back */
    assert_true(sim_observe_change_qualifies(&gt, false, 0, 1)); /* nothing notified yet */
    sim_attr_set lt = {.has_lt = true, .lt = 1};
    assert_true(sim_observe_change_qualifies(&lt, true, 2, 0.5));
    assert_false(sim_observe_change_qualifies(&lt, true, 2, 3));
    sim_attr_set st = {.has_st = true, .st = 2};
    assert_false(sim_observe_change_qualifies(&st, true, 10, 11.5));
    assert_true(sim_observe_change_qualifies(&st, true, 10, 12));
    assert_true(sim_observe_change_qualifies(&st, true, 10, 7));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_replace_remove),
        cmocka_unit_test(test_remove_by_path_and_under),
        cmocka_unit_test(test_mark_changed),
        cmocka_unit_test(test_due),
        cmocka_unit_test(test_change_qualifies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
