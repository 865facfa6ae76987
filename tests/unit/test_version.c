/* lwm2m/version: parsing, ordering and the version hold's decision. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "lwm2m/version.h"

static void test_parse(void **state)
{
    (void)state;
    lwm2m_version v;
    assert_int_equal(lwm2m_version_parse("1.1", &v), 0);
    assert_int_equal(v.major, 1);
    assert_int_equal(v.minor, 1);
    assert_int_equal(lwm2m_version_parse("1.12", &v), 0);
    assert_int_equal(v.minor, 12);
    assert_int_equal(lwm2m_version_parse(NULL, &v), 0); /* no lwm2m= is 1.0 */
    assert_int_equal(v.major * 10 + v.minor, 10);
    const char *bad[] = {"", "1", "1.", ".1", "1.1.1", "a.b", "1.x", "1.1 ", "1000.0", "-1.0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(lwm2m_version_parse(bad[i], &v), LC_EINVAL);

    lc_error err = {0};
    assert_int_equal(lwm2m_version_parse_known("1.2", &v, &err), 0);
    assert_int_equal(lwm2m_version_parse_known("1.3", &v, &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "give 1.0, 1.1 or 1.2"));
    assert_int_equal(lwm2m_version_parse_known("2.0", &v, &err), LC_EINVAL);
    char buf[16];
    assert_string_equal(lwm2m_version_text((lwm2m_version){1, 2}, buf, sizeof buf), "1.2");
}

static void test_order_and_hold(void **state)
{
    (void)state;
    lwm2m_version v10 = {1, 0}, v11 = {1, 1}, v12 = {1, 2}, v20 = {2, 0};
    assert_true(lwm2m_version_cmp(v10, v11) < 0);
    assert_true(lwm2m_version_cmp(v12, v11) > 0);
    assert_true(lwm2m_version_cmp(v11, v11) == 0);
    assert_true(lwm2m_version_cmp(v20, v12) > 0);
    /* a Register newer than the hold is refused; the same or older, or none, is not */
    assert_true(lwm2m_version_exceeds("1.2", v10));
    assert_true(lwm2m_version_exceeds("1.1", v10));
    assert_true(lwm2m_version_exceeds("1.2", v11));
    assert_false(lwm2m_version_exceeds("1.1", v11));
    assert_false(lwm2m_version_exceeds("1.0", v11));
    assert_false(lwm2m_version_exceeds(NULL, v10));
    assert_false(lwm2m_version_exceeds("garbage", v10)); /* left to the Register's checks */
    assert_true(lwm2m_version_exceeds("1.10", v12));    /* numbers, not strings */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_order_and_hold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
