/* The test-case model's functions: operation names, ids, look-ups, freeing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tc/model.h"

static void test_op_names_round_trip(void **state)
{
    (void)state;
    for (int i = 0; i < TC_OP__COUNT; i++) {
        const char *n = tc_op_name((tc_op)i);
        assert_non_null(n);
        assert_int_equal(tc_op_from_name(n), i);
    }
    assert_string_equal(tc_op_name(TC_OP_WRITE_ATTRIBUTES), "write-attributes");
    assert_string_equal(tc_op_name(TC_OP_BOOTSTRAP_PROVISION), "bootstrap-provision");
    assert_null(tc_op_name(TC_OP__COUNT));
    assert_null(tc_op_name((tc_op)-1));
    assert_int_equal(tc_op_from_name("discoverr"), -1);
    assert_int_equal(tc_op_from_name("Discover"), -1);
    assert_int_equal(tc_op_from_name(""), -1);
    assert_int_equal(tc_op_from_name(NULL), -1);
    assert_true(tc_op_is_bootstrap(TC_OP_EXPECT_BOOTSTRAP_REQUEST));
    assert_true(tc_op_is_bootstrap(TC_OP_BOOTSTRAP_FINISH));
    assert_false(tc_op_is_bootstrap(TC_OP_WAIT));
    assert_false(tc_op_is_bootstrap(TC_OP_EXPECT_REGISTER));
}

static void test_short_id(void **state)
{
    (void)state;
    assert_string_equal(tc_short_id("LightweightM2M-1.0-int-951"), "int-951");
    assert_string_equal(tc_short_id("LightweightM2M-1.1-int-1401"), "int-1401");
    assert_string_equal(tc_short_id("int-951"), "int-951");
    assert_string_equal(tc_short_id("LightweightM2M-1.0"), "LightweightM2M-1.0");
    assert_string_equal(tc_short_id("LightweightM2M-1.0-"), "LightweightM2M-1.0-");
    assert_null(tc_short_id(NULL));
}

static tc_case *make_case(const char *id, bool with_short)
{
    tc_case *c = calloc(1, sizeof *c);
    c->id = strdup(id);
    if (with_short)
        c->short_id = strdup(tc_short_id(id));
    c->steps = calloc(2, sizeof *c->steps);
    c->step_count = 2;
    c->steps[0].number = 1;
    c->steps[1].number = 3;
    c->steps[1].path = strdup("/3/0");
    c->steps[1].attributes = calloc(1, sizeof *c->steps[1].attributes);
    c->steps[1].attribute_count = 1;
    c->steps[1].attributes[0].name = strdup("pmin");
    c->criteria = calloc(2, sizeof *c->criteria);
    c->criterion_count = 2;
    c->criteria[0].letter = 'A';
    c->criteria[1].letter = 'B';
    c->criteria[1].checks = calloc(1, sizeof *c->criteria[1].checks);
    c->criteria[1].check_count = 1;
    c->criteria[1].checks[0].code = strdup("2.05");
    return c;
}

static void test_matches_and_lookups(void **state)
{
    (void)state;
    tc_case *a = make_case("LightweightM2M-1.0-int-950", true);
    tc_case *b = make_case("LightweightM2M-1.0-int-951", false); /* short id computed */
    assert_true(tc_case_matches(a, "LightweightM2M-1.0-int-950"));
    assert_true(tc_case_matches(a, "int-950"));
    assert_false(tc_case_matches(a, "int-95"));
    assert_false(tc_case_matches(a, "int-951"));
    assert_false(tc_case_matches(a, NULL));
    assert_true(tc_case_matches(b, "int-951"));

    tc_suite s = {calloc(2, sizeof(tc_case *)), 2};
    s.cases[0] = a;
    s.cases[1] = b;
    assert_ptr_equal(tc_suite_find(&s, "int-951"), b);
    assert_ptr_equal(tc_suite_find(&s, "LightweightM2M-1.0-int-950"), a);
    assert_null(tc_suite_find(&s, "int-952"));
    assert_null(tc_suite_find(NULL, "int-950"));

    assert_ptr_equal(tc_case_step(a, 3), &a->steps[1]);
    assert_null(tc_case_step(a, 2));
    assert_null(tc_case_step(NULL, 1));
    assert_ptr_equal(tc_case_criterion(a, 'B'), &a->criteria[1]);
    assert_null(tc_case_criterion(a, 'C'));

    tc_suite_free(&s); /* frees both cases, every nested allocation (valgrind checks) */
    assert_null(s.cases);
    assert_int_equal(s.count, 0);
    tc_suite_free(NULL);
    tc_case_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_op_names_round_trip),
        cmocka_unit_test(test_short_id),
        cmocka_unit_test(test_matches_and_lookups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
