/* net/suites: --ciphersuites names in, suite numbers out. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "net/suites.h"

static void test_normalize(void **state)
{
    (void)state;
    char out[256];
    lc_error err = {0};
    assert_int_equal(net_suites_normalize("TLS_PSK_WITH_AES_128_CCM_8,TLS-ECDHE-PSK-WITH-AES-128-CBC-SHA256",
                                          out, sizeof out, &err), 0);
    assert_string_equal(out, "TLS-PSK-WITH-AES-128-CCM-8,TLS-ECDHE-PSK-WITH-AES-128-CBC-SHA256");
    assert_int_equal(net_suites_normalize("TLS_PSK_WITH_AES_128_CCM_8,NOPE", out, sizeof out, &err),
                     LC_EINVAL);
    assert_non_null(strstr(err.msg, "unknown cipher suite 'NOPE'"));
    assert_int_equal(net_suites_normalize("", out, sizeof out, &err), LC_EINVAL);
    assert_int_equal(net_suites_normalize("TLS_PSK_WITH_AES_128_CCM_8,,", out, sizeof out, &err),
                     LC_EINVAL);
    assert_int_equal(net_suites_normalize("TLS_PSK_WITH_AES_128_CCM_8", out, 8, &err), LC_EINVAL);
}

static void test_format_and_match(void **state)
{
    (void)state;
    /* CCM_8 (0xc0a8), the renegotiation SCSV (0x00ff, left out), an unknown number */
    const uint16_t ids[] = {0xc0a8, 0x00ff, 0xfefe};
    char buf[256];
    net_suites_format(ids, 3, buf, sizeof buf);
    assert_string_equal(buf, "TLS-PSK-WITH-AES-128-CCM-8, 0xfefe");
    assert_true(net_suites_any_in("TLS-PSK-WITH-AES-256-CCM,TLS-PSK-WITH-AES-128-CCM-8", ids, 3));
    assert_false(net_suites_any_in("TLS-PSK-WITH-AES-256-CCM", ids, 3));
    char known[4096];
    net_suites_list_psk(known, sizeof known);
    assert_non_null(strstr(known, NET_SUITE_LWM2M_MANDATORY));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_format_and_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
