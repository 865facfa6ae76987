#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lwm2m/regquery.h"
#include "net/epfilter.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_register_all_known(void **state)
{
    (void)state;
    const char *qs[] = {"ep=urn:dev:simdev-c14", "lt=86400", "lwm2m=1.1", "b=UQ",
                        "sms=+4915112345678", "Q"};
    reg_query q;
    lc_error err = {0};
    assert_int_equal(regquery_parse(qs, N(qs), REGQUERY_REGISTER, &q, &err), 0);
    assert_true(q.has_endpoint_name);
    assert_string_equal(q.endpoint_name, "urn:dev:simdev-c14");
    assert_true(q.has_lifetime);
    assert_int_equal(q.lifetime, 86400);
    assert_true(q.has_lwm2m_version);
    assert_string_equal(q.lwm2m_version, "1.1");
    assert_true(q.has_binding);
    assert_string_equal(q.binding, "UQ");
    assert_true(q.has_sms_number);
    assert_string_equal(q.sms_number, "+4915112345678");
    assert_true(q.queue_mode);
    assert_int_equal(q.param_count, 6);
    assert_string_equal(q.params[0].name, "ep");
    assert_string_equal(q.params[5].name, "Q");
    assert_false(q.params[5].has_value);
}

static void test_register_minimal_defaults(void **state)
{
    (void)state;
    const char *qs[] = {"ep=dev1"};
    reg_query q;
    assert_int_equal(regquery_parse(qs, 1, REGQUERY_REGISTER, &q, NULL), 0);
    assert_string_equal(q.endpoint_name, "dev1");
    assert_false(q.has_lifetime);
    assert_false(q.has_lwm2m_version);
    assert_false(q.has_binding);
    assert_false(q.has_sms_number);
    assert_false(q.queue_mode);
    assert_int_equal(q.param_count, 1);
}

static void test_register_requires_ep(void **state)
{
    (void)state;
    const char *qs[] = {"lt=300", "b=U"};
    reg_query q;
    lc_error err = {0};
    assert_int_equal(regquery_parse(qs, N(qs), REGQUERY_REGISTER, &q, &err), LC_EINVAL);
    assert_int_equal(err.code, LC_EINVAL);
    assert_non_null(strstr(err.msg, "ep"));
    assert_int_equal(strncmp(err.msg, "ep: missing", 11), 0);

    /* no parameters at all */
    assert_int_equal(regquery_parse(NULL, 0, REGQUERY_REGISTER, &q, &err), LC_EINVAL);

    /* an empty endpoint name is no endpoint name */
    const char *empty[] = {"ep="};
    assert_int_equal(regquery_parse(empty, 1, REGQUERY_REGISTER, &q, &err), LC_EINVAL);
    assert_string_equal(err.msg, "ep: endpoint name is empty");
    const char *bare[] = {"ep"};
    assert_int_equal(regquery_parse(bare, 1, REGQUERY_REGISTER, &q, &err), LC_EINVAL);
}

/* LwM2M 1.1 §7.3.1: a 1.1+ Client may leave ep out when its security protocol names it (a
 * DTLS-PSK identity identical to its endpoint name); 1.0 and NoSec still need ep. */
static void test_register_ep_from_identity(void **state)
{
    (void)state;
    reg_query q;
    lc_error err = {0};
    const char *v11[] = {"lt=300", "lwm2m=1.1", "b=U"};
    assert_int_equal(regquery_parse(v11, N(v11), REGQUERY_REGISTER, &q, &err), 0);
    assert_false(q.has_endpoint_name);
    assert_true(regquery_may_omit_ep(&q));
    /* NoSec: nothing names the Client */
    assert_int_equal(regquery_endpoint_from_identity(&q, "", &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "NoSec"));
    assert_false(q.has_endpoint_name);
    assert_int_equal(regquery_endpoint_from_identity(&q, "dev-7", &err), 0);
    assert_true(q.has_endpoint_name);
    assert_true(q.endpoint_from_identity);
    assert_string_equal(q.endpoint_name, "dev-7");
    /* ep given: the identity changes nothing */
    const char *given[] = {"ep=dev-1", "lwm2m=1.2"};
    assert_int_equal(regquery_parse(given, N(given), REGQUERY_REGISTER, &q, &err), 0);
    assert_int_equal(regquery_endpoint_from_identity(&q, "other", &err), 0);
    assert_string_equal(q.endpoint_name, "dev-1");
    assert_false(q.endpoint_from_identity);
    /* a 1.0 Register (lwm2m=1.0, or none) must carry ep */
    const char *v10[] = {"lwm2m=1.0", "lt=300"};
    assert_int_equal(regquery_parse(v10, N(v10), REGQUERY_REGISTER, &q, &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "LwM2M 1.0 Register must carry"));
}

/* The identity must be the device under test's endpoint name, where the run knows it. */
static void test_epfilter_identity(void **state)
{
    (void)state;
    char why[400] = "";
    epfilter f;
    epfilter_init(&f, NULL, NULL);
    assert_true(epfilter_identity_names(&f, "anything", why, sizeof why)); /* nothing known */
    epfilter_set_hint(&f, "lwm2m-simdev");
    assert_true(epfilter_identity_names(&f, "lwm2m-simdev", why, sizeof why));
    assert_false(epfilter_identity_names(&f, "lwm2m-conform-1", why, sizeof why));
    assert_non_null(strstr(why, "\"lwm2m-conform-1\" is not the endpoint name of the device "
                               "under test (\"lwm2m-simdev\")"));
    epfilter_init(&f, "dev-1", NULL); /* a name given wins over the hint */
    epfilter_set_hint(&f, "lwm2m-simdev");
    assert_true(epfilter_identity_names(&f, "dev-1", why, sizeof why));
    assert_true(epfilter_identity_names(NULL, "x", why, sizeof why));
}

static void test_update_without_ep(void **state)
{
    (void)state;
    const char *qs[] = {"lt=120"};
    reg_query q;
    assert_int_equal(regquery_parse(qs, 1, REGQUERY_UPDATE, &q, NULL), 0);
    assert_false(q.has_endpoint_name);
    assert_true(q.has_lifetime);
    assert_int_equal(q.lifetime, 120);

    /* an Update with no query at all is legal (only the payload or nothing changed) */
    assert_int_equal(regquery_parse(NULL, 0, REGQUERY_UPDATE, &q, NULL), 0);
    assert_int_equal(q.param_count, 0);
}

static void test_lifetime_values(void **state)
{
    (void)state;
    reg_query q;
    lc_error err = {0};
    const char *zero[] = {"ep=d", "lt=0"};
    assert_int_equal(regquery_parse(zero, 2, REGQUERY_REGISTER, &q, &err), 0);
    assert_int_equal(q.lifetime, 0);
    const char *big[] = {"ep=d", "lt=9223372036854775807"};
    assert_int_equal(regquery_parse(big, 2, REGQUERY_REGISTER, &q, &err), 0);
    assert_true(q.lifetime == INT64_MAX);

    const char *bad[] = {"abc", "-1", "12x", "", "+5", " 5", "1.5", "9223372036854775808"};
    for (size_t i = 0; i < N(bad); i++) {
        char lt[64];
        snprintf(lt, sizeof lt, "lt=%s", bad[i]);
        const char *qs[] = {"ep=d", lt};
        memset(&err, 0, sizeof err);
        assert_int_equal(regquery_parse(qs, 2, REGQUERY_REGISTER, &q, &err), LC_EINVAL);
        char want[128];
        snprintf(want, sizeof want, "lt=%s: lifetime is not a non-negative integer", bad[i]);
        assert_string_equal(err.msg, want);
    }
    const char *novalue[] = {"ep=d", "lt"};
    assert_int_equal(regquery_parse(novalue, 2, REGQUERY_REGISTER, &q, &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "lifetime"));
}

static void test_lwm2m_versions(void **state)
{
    (void)state;
    const char *versions[] = {"1.0", "1.1", "1.2"};
    for (size_t i = 0; i < N(versions); i++) {
        char v[32];
        snprintf(v, sizeof v, "lwm2m=%s", versions[i]);
        const char *qs[] = {"ep=d", v};
        reg_query q;
        assert_int_equal(regquery_parse(qs, 2, REGQUERY_REGISTER, &q, NULL), 0);
        assert_true(q.has_lwm2m_version);
        assert_string_equal(q.lwm2m_version, versions[i]);
    }
    const char *bad[] = {"lwm2m=abc", "lwm2m=1.", "lwm2m=1", "lwm2m=", "lwm2m=1.0.1x"};
    for (size_t i = 0; i < N(bad); i++) {
        const char *qs[] = {"ep=d", bad[i]};
        reg_query q;
        lc_error err = {0};
        assert_int_equal(regquery_parse(qs, 2, REGQUERY_REGISTER, &q, &err), LC_EINVAL);
        assert_int_equal(strncmp(err.msg, "lwm2m", 5), 0);
    }
}

static void test_binding_modes(void **state)
{
    (void)state;
    const char *good[] = {"U", "UQ", "S", "SQ", "US", "UQS", "T", "N", "UT", "UN",
                          "TQ", "UST", "NQ", "QU", "USQTN"};
    for (size_t i = 0; i < N(good); i++) {
        assert_true(regquery_binding_valid(good[i]));
        char b[32];
        snprintf(b, sizeof b, "b=%s", good[i]);
        const char *qs[] = {"ep=d", b};
        reg_query q;
        lc_error err = {0};
        assert_int_equal(regquery_parse(qs, 2, REGQUERY_REGISTER, &q, &err), 0);
        assert_string_equal(q.binding, good[i]);
    }
    const char *bad[] = {"", "X", "UU", "u", "UQQ", "U Q", "UX", "USQTNU"};
    for (size_t i = 0; i < N(bad); i++) {
        assert_false(regquery_binding_valid(bad[i]));
        char b[32];
        snprintf(b, sizeof b, "b=%s", bad[i]);
        const char *qs[] = {"ep=d", b};
        reg_query q;
        lc_error err = {0};
        assert_int_equal(regquery_parse(qs, 2, REGQUERY_REGISTER, &q, &err), LC_EINVAL);
        assert_int_equal(strncmp(err.msg, "b", 1), 0);
    }
    assert_false(regquery_binding_valid(NULL));

    lc_error err = {0};
    reg_query q;
    const char *x[] = {"ep=d", "b=UX"};
    assert_int_equal(regquery_parse(x, 2, REGQUERY_REGISTER, &q, &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "b=UX: binding mode"));
}

static void test_queue_flag(void **state)
{
    (void)state;
    reg_query q;
    lc_error err = {0};
    const char *with_value[] = {"ep=d", "Q=1"};
    assert_int_equal(regquery_parse(with_value, 2, REGQUERY_REGISTER, &q, &err), LC_EINVAL);
    assert_string_equal(err.msg, "Q=1: the queue mode flag takes no value");
    const char *twice[] = {"ep=d", "Q", "Q"};
    assert_int_equal(regquery_parse(twice, 3, REGQUERY_REGISTER, &q, &err), LC_EINVAL);
    assert_string_equal(err.msg, "Q: given twice");
}

static void test_unknown_params_kept_in_order(void **state)
{
    (void)state;
    const char *qs[] = {"foo=bar", "ep=d", "flag", "foo=baz", "apn=internet", "x="};
    reg_query q;
    assert_int_equal(regquery_parse(qs, N(qs), REGQUERY_REGISTER, &q, NULL), 0);
    assert_int_equal(q.param_count, 6);
    assert_string_equal(q.params[0].name, "foo");
    assert_string_equal(q.params[0].value, "bar");
    assert_true(q.params[0].has_value);
    assert_string_equal(q.params[1].name, "ep");
    assert_string_equal(q.params[2].name, "flag");
    assert_false(q.params[2].has_value);
    assert_string_equal(q.params[3].value, "baz");
    assert_string_equal(q.params[4].name, "apn");
    assert_string_equal(q.params[5].name, "x");
    assert_true(q.params[5].has_value);
    assert_string_equal(q.params[5].value, "");

    const reg_param *p = regquery_find(&q, "foo");
    assert_non_null(p);
    assert_string_equal(p->value, "bar"); /* the first one */
    assert_ptr_equal(regquery_find(&q, "ep"), &q.params[1]);
    assert_null(regquery_find(&q, "lt"));
    assert_null(regquery_find(NULL, "ep"));
}

static void test_duplicate_known_param(void **state)
{
    (void)state;
    const char *dups[][3] = {
        {"ep=a", "ep=b", "ep: given twice"},
        {"lt=1", "lt=1", "lt: given twice"},
        {"b=U", "b=UQ", "b: given twice"},
        {"lwm2m=1.0", "lwm2m=1.1", "lwm2m: given twice"},
        {"sms=1", "sms=2", "sms: given twice"},
    };
    for (size_t i = 0; i < N(dups); i++) {
        const char *qs[] = {"ep=d", dups[i][0], dups[i][1]};
        /* the first ep is the "ep=d" itself for the ep row */
        const char *const *use = qs;
        size_t n = 3;
        if (strncmp(dups[i][0], "ep=", 3) == 0) {
            use = qs + 1;
            n = 2;
        }
        reg_query q;
        lc_error err = {0};
        assert_int_equal(regquery_parse(use, n, REGQUERY_REGISTER, &q, &err), LC_EINVAL);
        assert_string_equal(err.msg, dups[i][2]);
    }
}

static void test_value_too_long(void **state)
{
    (void)state;
    char ep[300 + 4] = "ep=";
    memset(ep + 3, 'e', 300);
    ep[303] = '\0';
    const char *qs[] = {ep};
    reg_query q;
    lc_error err = {0};
    assert_int_equal(regquery_parse(qs, 1, REGQUERY_REGISTER, &q, &err), LC_EINVAL);
    assert_string_equal(err.msg, "ep: value of 300 bytes is longer than 255 bytes");

    /* fits a reg_param (255) but not the endpoint field? both are 255: exactly 255 fits */
    ep[3 + 255] = '\0';
    assert_int_equal(regquery_parse(qs, 1, REGQUERY_REGISTER, &q, &err), 0);
    assert_int_equal(strlen(q.endpoint_name), 255);

    char sms[80] = "sms=";
    memset(sms + 4, '1', 64);
    sms[68] = '\0';
    const char *qs2[] = {"ep=d", sms};
    assert_int_equal(regquery_parse(qs2, 2, REGQUERY_REGISTER, &q, &err), LC_EINVAL);
    assert_string_equal(err.msg, "sms: value of 64 bytes is longer than 63 bytes");

    const char *qs3[] = {"ep=d", "lwm2m=1.0000000000000000"};
    assert_int_equal(regquery_parse(qs3, 2, REGQUERY_REGISTER, &q, &err), LC_EINVAL);
    assert_int_equal(strncmp(err.msg, "lwm2m: value of", 15), 0);

    char name[64];
    memset(name, 'n', 40);
    strcpy(name + 40, "=1");
    const char *qs4[] = {"ep=d", name};
    assert_int_equal(regquery_parse(qs4, 2, REGQUERY_REGISTER, &q, &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "longer than 31 bytes"));
}

static void test_malformed_params(void **state)
{
    (void)state;
    reg_query q;
    lc_error err = {0};
    const char *noname[] = {"ep=d", "=x"};
    assert_int_equal(regquery_parse(noname, 2, REGQUERY_REGISTER, &q, &err), LC_EINVAL);
    assert_string_equal(err.msg, "query parameter 2 ('=x') has no name");
    const char *empty[] = {"ep=d", ""};
    assert_int_equal(regquery_parse(empty, 2, REGQUERY_REGISTER, &q, &err), LC_EINVAL);

    const char *many[REGQUERY_MAX_PARAMS + 1];
    many[0] = "ep=d";
    for (size_t i = 1; i < N(many); i++)
        many[i] = "x=1";
    assert_int_equal(regquery_parse(many, REGQUERY_MAX_PARAMS, REGQUERY_REGISTER, &q, &err), 0);
    assert_int_equal(q.param_count, REGQUERY_MAX_PARAMS);
    assert_int_equal(regquery_parse(many, N(many), REGQUERY_REGISTER, &q, &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "at most 24"));
}

static void test_out_untouched_on_error(void **state)
{
    (void)state;
    reg_query q;
    memset(&q, 0x5a, sizeof q);
    const char *qs[] = {"ep=d", "lt=1", "lt=x"};
    assert_int_equal(regquery_parse(qs, 3, REGQUERY_REGISTER, &q, NULL), LC_EINVAL);
    reg_query sentinel;
    memset(&sentinel, 0x5a, sizeof sentinel);
    assert_memory_equal(&q, &sentinel, sizeof q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_register_all_known),
        cmocka_unit_test(test_register_minimal_defaults),
        cmocka_unit_test(test_register_requires_ep),
        cmocka_unit_test(test_register_ep_from_identity),
        cmocka_unit_test(test_epfilter_identity),
        cmocka_unit_test(test_update_without_ep),
        cmocka_unit_test(test_lifetime_values),
        cmocka_unit_test(test_lwm2m_versions),
        cmocka_unit_test(test_binding_modes),
        cmocka_unit_test(test_queue_flag),
        cmocka_unit_test(test_unknown_params_kept_in_order),
        cmocka_unit_test(test_duplicate_known_param),
        cmocka_unit_test(test_value_too_long),
        cmocka_unit_test(test_malformed_params),
        cmocka_unit_test(test_out_untouched_on_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
