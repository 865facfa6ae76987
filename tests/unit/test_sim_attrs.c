/* Per-server <NOTIFICATION> attributes of the simulated device (src/sim/attrs.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sim/attrs.h"
#include "unit/fixture.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int setup_private(void **state)
{
    *state = sim_attrs_new(false);
    return *state ? 0 : -1;
}

static int setup_shared(void **state)
{
    *state = sim_attrs_new(true);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    sim_attrs_free(*state);
    return 0;
}

static void test_per_server(void **state)
{
    sim_attrs *a = *state;
    lwm2m_path dev = fx_path("/3/0");
    const char *q1[] = {"pmin=2", "pmax=10"}, *q2[] = {"pmin=15", "pmax=50"};
    assert_int_equal(sim_attrs_write(a, 1, &dev, q1, N(q1), NULL), 0);
    assert_int_equal(sim_attrs_write(a, 2, &dev, q2, N(q2), NULL), 0);
    const sim_attr_set *s1 = sim_attrs_get(a, 1, &dev), *s2 = sim_attrs_get(a, 2, &dev);
    assert_non_null(s1);
    assert_non_null(s2);
    assert_true(s1->has_pmin && s1->has_pmax);
    assert_int_equal(s1->pmin, 2);
    assert_int_equal(s1->pmax, 10);
    assert_int_equal(s2->pmin, 15);
    assert_int_equal(s2->pmax, 50);
    assert_false(s1->has_gt || s1->has_lt || s1->has_st);
    assert_null(sim_attrs_get(a, 3, &dev));
    /* attached to the instance, not to its resources or object */
    lwm2m_path res = fx_path("/3/0/1"), obj = fx_path("/3");
    assert_null(sim_attrs_get(a, 1, &res));
    assert_null(sim_attrs_get(a, 1, &obj));
}

static void test_format(void **state)
{
    sim_attrs *a = *state;
    lwm2m_path r = fx_path("/3/0/7");
    const char *q[] = {"st=1", "gt=6", "lt=1", "pmax=200", "pmin=10"};
    assert_int_equal(sim_attrs_write(a, 1, &r, q, N(q), NULL), 0);
    char buf[128];
    int n = sim_attrs_format(sim_attrs_get(a, 1, &r), buf, sizeof buf);
    assert_string_equal(buf, ";pmin=10;pmax=200;gt=6;lt=1;st=1");
    assert_int_equal(n, (int)strlen(buf));
    char small[8];
    assert_int_equal(sim_attrs_format(sim_attrs_get(a, 1, &r), small, sizeof small), n);
    assert_int_equal(strlen(small), sizeof small - 1);
}

static void test_update_keeps_others_and_clears(void **state)
{
    sim_attrs *a = *state;
    lwm2m_path dev = fx_path("/3/0");
    const char *q1[] = {"pmin=2", "pmax=10"}, *q2[] = {"pmax=20"}, *q3[] = {"pmin"};
    assert_int_equal(sim_attrs_write(a, 1, &dev, q1, N(q1), NULL), 0);
    assert_int_equal(sim_attrs_write(a, 1, &dev, q2, N(q2), NULL), 0);
    const sim_attr_set *s = sim_attrs_get(a, 1, &dev);
    assert_int_equal(s->pmin, 2);
    assert_int_equal(s->pmax, 20);
    /* a name without value clears that attribute only */
    assert_int_equal(sim_attrs_write(a, 1, &dev, q3, N(q3), NULL), 0);
    s = sim_attrs_get(a, 1, &dev);
    assert_false(s->has_pmin);
    assert_true(s->has_pmax);
    const char *q4[] = {"pmax"};
    assert_int_equal(sim_attrs_write(a, 1, &dev, q4, N(q4), NULL), 0);
    assert_null(sim_attrs_get(a, 1, &dev));
}

static void expect_rejected(sim_attrs *a, const char *path, const char *const *q, size_t n,
                            const char *why)
{
    lwm2m_path p = fx_path(path);
    lc_error err = {0};
    assert_int_equal(sim_attrs_write(a, 1, &p, q, n, &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, why));
}

static void test_validation(void **state)
{
    sim_attrs *a = *state;
    const char *unknown[] = {"pmin=1", "hqmax=2"};
    expect_rejected(a, "/3/0", unknown, N(unknown), "unknown attribute");
    const char *order[] = {"pmin=20", "pmax=10"};
    expect_rejected(a, "/3/0", order, N(order), "greater than pmax");
    const char *neg[] = {"pmin=-1"};
    expect_rejected(a, "/3/0", neg, N(neg), "non-negative integer");
    const char *frac[] = {"pmax=1.5"};
    expect_rejected(a, "/3/0", frac, N(frac), "non-negative integer");
    const char *empty[] = {"pmin="};
    expect_rejected(a, "/3/0", empty, N(empty), "empty value");
    const char *level[] = {"gt=5"};
    expect_rejected(a, "/3/0", level, N(level), "resources only");
    const char *nan[] = {"lt=abc"};
    expect_rejected(a, "/3/0/7", nan, N(nan), "not a number");
    const char *ltgt[] = {"lt=6", "gt=6"};
    expect_rejected(a, "/3/0/7", ltgt, N(ltgt), "lt + 2*st");
    const char *step[] = {"lt=1", "gt=6", "st=3"}; /* 1 + 2*3 >= 6 */
    expect_rejected(a, "/3/0/7", step, N(step), "lt + 2*st");
    const char *negst[] = {"st=-1"};
    expect_rejected(a, "/3/0/7", negst, N(negst), "st must not be negative");
    lwm2m_path dev = fx_path("/3/0"), r7 = fx_path("/3/0/7");
    assert_null(sim_attrs_get(a, 1, &dev));
    assert_null(sim_attrs_get(a, 1, &r7));
    const char *ok[] = {"lt=1", "gt=6", "st=2"}; /* 1 + 4 < 6 */
    assert_int_equal(sim_attrs_write(a, 1, &r7, ok, N(ok), NULL), 0);
}

static void test_rejection_is_all_or_nothing(void **state)
{
    sim_attrs *a = *state;
    lwm2m_path dev = fx_path("/3/0");
    const char *q1[] = {"pmin=2", "pmax=10"}, *bad[] = {"pmax=30", "pmin=40"};
    assert_int_equal(sim_attrs_write(a, 1, &dev, q1, N(q1), NULL), 0);
    /* pmin > pmax after the update: nothing of it is kept */
    assert_int_equal(sim_attrs_write(a, 1, &dev, bad, N(bad), NULL), LC_EINVAL);
    const sim_attr_set *s = sim_attrs_get(a, 1, &dev);
    assert_int_equal(s->pmin, 2);
    assert_int_equal(s->pmax, 10);
    /* raising pmin above the stored pmax is caught against the merged set */
    const char *up[] = {"pmin=11"};
    assert_int_equal(sim_attrs_write(a, 1, &dev, up, N(up), NULL), LC_EINVAL);
}

static void test_effective_inheritance(void **state)
{
    sim_attrs *a = *state;
    lwm2m_path obj = fx_path("/3"), inst = fx_path("/3/0"), res = fx_path("/3/0/7");
    const char *qo[] = {"pmin=5", "pmax=100"}, *qi[] = {"pmax=60"}, *qr[] = {"gt=6"};
    assert_int_equal(sim_attrs_write(a, 1, &obj, qo, N(qo), NULL), 0);
    assert_int_equal(sim_attrs_write(a, 1, &inst, qi, N(qi), NULL), 0);
    assert_int_equal(sim_attrs_write(a, 1, &res, qr, N(qr), NULL), 0);
    sim_attr_set e;
    sim_attrs_effective(a, 1, &res, 1, 10, &e);
    assert_int_equal(e.pmin, 5);
    assert_int_equal(e.pmax, 60);
    assert_true(e.has_gt);
    assert_true(e.gt == 6.0);
    /* another server sees only its Server object's defaults */
    sim_attrs_effective(a, 2, &res, 1, 10, &e);
    assert_int_equal(e.pmin, 1);
    assert_int_equal(e.pmax, 10);
    assert_false(e.has_gt);
    sim_attrs_effective(a, 2, &res, -1, -1, &e);
    assert_false(e.has_pmin || e.has_pmax);
}

static void test_remove_under(void **state)
{
    sim_attrs *a = *state;
    lwm2m_path i0 = fx_path("/1/0"), r = fx_path("/1/0/1"), i1 = fx_path("/1/1");
    const char *q[] = {"pmax=9"};
    assert_int_equal(sim_attrs_write(a, 1, &i0, q, 1, NULL), 0);
    assert_int_equal(sim_attrs_write(a, 2, &r, q, 1, NULL), 0);
    assert_int_equal(sim_attrs_write(a, 1, &i1, q, 1, NULL), 0);
    sim_attrs_remove_under(a, &i0);
    assert_null(sim_attrs_get(a, 1, &i0));
    assert_null(sim_attrs_get(a, 2, &r));
    assert_non_null(sim_attrs_get(a, 1, &i1));
}

/* The shared-attributes fault: one table for all servers, as a buggy client has it. */
static void test_shared_fault(void **state)
{
    sim_attrs *a = *state;
    lwm2m_path dev = fx_path("/3/0");
    const char *q1[] = {"pmin=2", "pmax=10"}, *q2[] = {"pmin=15", "pmax=50"};
    assert_int_equal(sim_attrs_write(a, 1, &dev, q1, N(q1), NULL), 0);
    assert_int_equal(sim_attrs_write(a, 2, &dev, q2, N(q2), NULL), 0);
    const sim_attr_set *s1 = sim_attrs_get(a, 1, &dev);
    assert_non_null(s1);
    assert_int_equal(s1->pmin, 15); /* server #1 sees server #2's values: int-951 C fails */
    assert_int_equal(s1->pmax, 50);
    assert_ptr_equal(s1, sim_attrs_get(a, 2, &dev));
    assert_non_null(sim_attrs_get(a, 7, &dev));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_per_server, setup_private, teardown),
        cmocka_unit_test_setup_teardown(test_format, setup_private, teardown),
        cmocka_unit_test_setup_teardown(test_update_keeps_others_and_clears, setup_private, teardown),
        cmocka_unit_test_setup_teardown(test_validation, setup_private, teardown),
        cmocka_unit_test_setup_teardown(test_rejection_is_all_or_nothing, setup_private, teardown),
        cmocka_unit_test_setup_teardown(test_effective_inheritance, setup_private, teardown),
        cmocka_unit_test_setup_teardown(test_remove_under, setup_private, teardown),
        cmocka_unit_test_setup_teardown(test_shared_fault, setup_shared, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
