/* The simulated device's fault table and --fault parsing (src/sim/faults.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sim/faults.h"

static void test_table_complete(void **state)
{
    (void)state;
    size_t n = 0;
    const sim_fault_info *t = sim_fault_table(&n);
    assert_int_equal(n, SIM_FAULT_COUNT);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(t[i].id, (sim_fault_id)i); /* table order is the enum order */
        assert_non_null(t[i].name);
        assert_true(strlen(t[i].description) > 10);
        assert_true(strlen(t[i].breaks) > 3);
        assert_ptr_equal(sim_fault_find(t[i].name), &t[i]);
    }
    assert_string_equal(sim_fault_find("shared-attributes")->breaks, "int-951 C");
    assert_string_equal(sim_fault_find("bootstrap-discover-no-ssid")->breaks, "int-0 D, int-1 D");
    assert_int_equal(sim_fault_find("bootstrap-read-error")->id, SIM_FAULT_BOOTSTRAP_READ_ERROR);
    assert_int_equal(sim_fault_find("no-bootstrap-fallback")->id, SIM_FAULT_NO_BOOTSTRAP_FALLBACK);
    assert_int_equal(sim_fault_find("ignore-retry-timers")->id, SIM_FAULT_IGNORE_RETRY_TIMERS);
    assert_null(sim_fault_find("bootstrap-request-no-ep")->argument);
    assert_null(sim_fault_find("nope"));
    assert_string_equal(sim_fault_find("observe-refused")->argument, "PATH");
    assert_null(sim_fault_find("single-observation")->argument);
}

static void test_add(void **state)
{
    (void)state;
    sim_faults f = {0};
    lc_error err = {0};
    assert_int_equal(sim_faults_add(&f, "skip-second-server", &err), 0);
    assert_true(sim_fault_on(&f, SIM_FAULT_SKIP_SECOND_SERVER));
    assert_false(sim_fault_on(&f, SIM_FAULT_WRONG_LIFETIME));
    assert_false(sim_fault_on(NULL, SIM_FAULT_WRONG_LIFETIME));
    assert_int_equal(sim_faults_add(&f, "late-response=1500", &err), 0);
    assert_int_equal(f.late_response_ms, 1500);
    assert_int_equal(sim_faults_add(&f, "no-response=/3/0", &err), 0);
    assert_int_equal(sim_faults_add(&f, "no-response=1/1", &err), 0);
    assert_int_equal(f.no_response_count, 2);
    lwm2m_path p;
    lwm2m_path_parse("/3/0/1", &p);
    assert_true(sim_faults_no_response(&f, &p));
    lwm2m_path_parse("/3", &p);
    assert_false(sim_faults_no_response(&f, &p));
    lwm2m_path_parse("/1/1", &p);
    assert_true(sim_faults_no_response(&f, &p));
    sim_faults none = {0};
    assert_false(sim_faults_no_response(&none, &p));
}

static void test_add_errors(void **state)
{
    (void)state;
    sim_faults f = {0};
    lc_error err = {0};
    assert_int_equal(sim_faults_add(&f, "bogus", &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "unknown fault 'bogus'"));
    assert_non_null(strstr(err.msg, "wrong-identity"));
    assert_int_equal(sim_faults_add(&f, "late-response", &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "late-response=MS"));
    assert_int_equal(sim_faults_add(&f, "late-response=abc", &err), LC_EINVAL);
    assert_int_equal(sim_faults_add(&f, "late-response=0", &err), LC_EINVAL);
    assert_int_equal(sim_faults_add(&f, "no-response=/x", &err), LC_EINVAL);
    assert_int_equal(sim_faults_add(&f, "wrong-lifetime=3", &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "takes no argument"));
    assert_int_equal(sim_faults_add(&f, "bootstrap-delete-all=/0/1", &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "'bootstrap-delete-all' takes no argument"));
    assert_int_equal(sim_faults_add(&f, "", &err), LC_EINVAL);
    for (int i = 0; i < SIM_FAULT_COUNT; i++)
        assert_false(f.on[i]);
    for (int i = 0; i < SIM_FAULT_MAX_PATHS; i++)
        assert_int_equal(sim_faults_add(&f, "no-response=/3/0", &err), 0);
    assert_int_equal(sim_faults_add(&f, "no-response=/3/0", &err), LC_EINVAL);
}

static void test_format_table(void **state)
{
    (void)state;
    int n = sim_faults_format_table(NULL, 0);
    assert_true(n > 100);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(sim_faults_format_table(buf, (size_t)n + 1), n);
    assert_int_equal(strlen(buf), (size_t)n);
    assert_non_null(strstr(buf, "late-response=MS"));
    assert_non_null(strstr(buf, "breaks: int-950 A"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_complete),
        cmocka_unit_test(test_add),
        cmocka_unit_test(test_add_errors),
        cmocka_unit_test(test_format_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
