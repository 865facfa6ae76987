/* How the simulated device times a composite observation (src/sim/composite.c): by all its
 * paths' attributes together, the highest pmin and the lowest pmax (int-308, int-310), and
 * by the first path's only under the fault composite-first-path-timing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sim/composite.h"
#include "unit/sim_fixture.h"

static void attrs(sim_device *d, const char *path, const char *q1, const char *q2)
{
    const char *q[2] = {q1, q2};
    lwm2m_path p = fx_path(path);
    lc_error err = {0};
    assert_int_equal(sim_attrs_write(d->attrs, 1, &p, q, q2 ? 2 : 1, &err), 0);
}

static sim_observation composite(const char *a, const char *b)
{
    sim_observation o;
    memset(&o, 0, sizeof o);
    o.ssid = 1;
    o.path = fx_path(a);
    o.paths[0] = o.path;
    o.paths[1] = fx_path(b);
    o.path_count = 2;
    return o;
}

static void test_pmax_of_another_path_times_it(void **state)
{
    (void)state;
    sim_device *d = fx_sim("fixtures/c3.json", NULL, 1);
    attrs(d, "/3", "pmax=5", NULL); /* int-310: /1/0/1 has none of its own (no defaults passed) */
    sim_observation o = composite("/1/0/1", "/3/0");
    sim_attr_set eff;
    sim_composite_effective(d, &o, -1, -1, &eff);
    assert_true(eff.has_pmax);
    assert_int_equal(eff.pmax, 5);
    fx_sim_free(d);
}

static void test_strictest_of_both(void **state)
{
    (void)state;
    sim_device *d = fx_sim("fixtures/c3.json", NULL, 1);
    attrs(d, "/3/0/11", "pmin=2", "pmax=20");
    attrs(d, "/3/0/16", "pmin=4", "pmax=10");
    sim_observation o = composite("/3/0/11", "/3/0/16");
    sim_attr_set eff;
    sim_composite_effective(d, &o, -1, -1, &eff);
    assert_int_equal(eff.pmin, 4);
    assert_int_equal(eff.pmax, 10);
    fx_sim_free(d);
}

static void test_fault_first_path_only(void **state)
{
    (void)state;
    sim_faults f = {0};
    assert_int_equal(sim_faults_add(&f, "composite-first-path-timing", NULL), 0);
    sim_device *d = fx_sim("fixtures/c3.json", &f, 1);
    attrs(d, "/3", "pmax=5", NULL);
    sim_observation o = composite("/1/0/1", "/3/0");
    sim_attr_set eff;
    sim_composite_effective(d, &o, -1, -1, &eff);
    assert_false(eff.has_pmax && eff.pmax == 5);
    fx_sim_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pmax_of_another_path_times_it),
        cmocka_unit_test(test_strictest_of_both),
        cmocka_unit_test(test_fault_first_path_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
