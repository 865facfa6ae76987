/* Execute arguments (LwM2M 1.0 §5.4.5): the tool's formatter and the simulator's parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lwm2m/execargs.h"

static void test_format(void **state)
{
    (void)state;
    tc_kv args[3] = {{"0", "abc"}, {"1", NULL}, {"7", ""}};
    size_t len = 0;
    uint8_t *p = execargs_format(args, 3, &len);
    assert_non_null(p);
    assert_int_equal(len, strlen("0='abc',1,7=''"));
    assert_memory_equal(p, "0='abc',1,7=''", len);
    free(p);
    p = execargs_format(args, 0, &len);
    assert_int_equal(len, 0);
    free(p);
}

static void test_parse(void **state)
{
    (void)state;
    execargs a;
    lc_error err = {0};
    const char *ok = "0='abc',1,7=''";
    assert_int_equal(execargs_parse((const uint8_t *)ok, strlen(ok), &a, &err), 0);
    assert_int_equal(a.count, 3);
    assert_int_equal(a.arg[0].id, 0);
    assert_string_equal(a.arg[0].value, "abc");
    assert_true(a.arg[0].has_value);
    assert_int_equal(a.arg[1].id, 1);
    assert_false(a.arg[1].has_value);
    assert_int_equal(a.arg[2].id, 7);
    assert_true(a.arg[2].has_value);
    assert_int_equal(execargs_parse(NULL, 0, &a, &err), 0);
    assert_int_equal(a.count, 0);
    static const char *const bad[] = {"a", "0=abc", "0='a", "0,", "0,0", "0='a b'", "12", "0;1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (execargs_parse((const uint8_t *)bad[i], strlen(bad[i]), &a, &err) != LC_EINVAL)
            fail_msg("'%s' was accepted", bad[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
