/* ${variables} in test definitions: tc_vars_check and tc_vars_expand. Most tests build a
 * configuration by hand, so each value is known and distinct; one loads fixtures/c14.json
 * and expands what the seed definitions use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lwm2m/config.h"
#include "tc/vars.h"
#include "unit/fixture.h"

static config_value *add_value(config *c, const char *path)
{
    config_value *v = &c->values[c->value_count++];
    memset(v, 0, sizeof *v);
    strcpy(v->path, path);
    return v;
}

static void add_string(config *c, const char *path, const char *s)
{
    config_value *v = add_value(c, path);
    v->kind = CONFIG_VALUE_STRING;
    strcpy(v->string, s);
}

/* Bootstrap account + servers 1 and 2 with different lifetimes, periods and bindings, and
 * the Device strings. */
static config *make_config(void)
{
    config *c = calloc(1, sizeof *c);
    strcpy(c->source, "hand-made.json");
    config_account *bs = &c->accounts[c->account_count++];
    bs->security_instance = 1;
    bs->server_instance = -1;
    bs->bootstrap = true;
    strcpy(bs->uri, "coaps://127.0.0.1:5784");

    config_account *s1 = &c->accounts[c->account_count++];
    s1->security_instance = 0;
    s1->server_instance = 0;
    s1->short_server_id = 1;
    strcpy(s1->uri, "coaps://127.0.0.1:5684");
    s1->lifetime = 86400;
    s1->default_pmin = 1;
    s1->default_pmax = 10;
    strcpy(s1->binding, "U");

    config_account *s2 = &c->accounts[c->account_count++];
    s2->security_instance = 2;
    s2->server_instance = 1;
    s2->short_server_id = 2;
    strcpy(s2->uri, "coaps://[::1]:5686");
    s2->lifetime = 300;
    s2->default_pmin = 5;
    s2->default_pmax = 60;
    strcpy(s2->binding, "UQ");

    add_string(c, "/3/0/0", "ACME Corp.");
    add_string(c, "/3/0/1", "Widget 9");
    add_string(c, "/3/0/2", "SN-42");
    add_string(c, "/3/0/3", "2.1.0");
    add_string(c, "/3/0/16", "U");
    return c;
}

static void expect_expand(const config *cfg, const char *endpoint, const char *in,
                          const char *want)
{
    char *out = NULL;
    lc_error err = {0};
    int rc = tc_vars_expand(in, cfg, endpoint, &out, &err);
    if (rc != 0)
        fail_msg("expanding '%s': %d %s", in, rc, err.msg);
    assert_non_null(out);
    assert_string_equal(out, want);
    free(out);
}

static void expect_expand_error(const config *cfg, const char *endpoint, const char *in,
                                int code, const char *fragment)
{
    char *out = (char *)1;
    lc_error err = {0};
    assert_int_equal(tc_vars_expand(in, cfg, endpoint, &out, &err), code);
    assert_null(out);
    assert_int_equal(err.code, code);
    if (!strstr(err.msg, fragment))
        fail_msg("message '%s' lacks '%s'", err.msg, fragment);
    /* err may be NULL: the code alone still tells. */
    out = (char *)1;
    assert_int_equal(tc_vars_expand(in, cfg, endpoint, &out, NULL), code);
    assert_null(out);
}

static void test_check_accepts_known_names(void **state)
{
    (void)state;
    static const char *const ok[] = {
        NULL,
        "",
        "plain text, $ signs, {braces} and $ {spaced}",
        "${server[1].lifetime}",
        "${server[2].binding}${server[12].short_server_id}",
        "pmin=${server[1].default_pmin}&pmax=${server[65534].default_pmax}",
        "${server[1].uri} ${bootstrap.uri}",
        "${device.manufacturer}/${device.model_number}/${device.serial_number}",
        "${device.firmware_version} ${device.supported_binding}",
        "ep=${endpoint}",
        "$${endpoint}}",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char bad[64] = "untouched";
        if (tc_vars_check(ok[i], bad, sizeof bad) != 0)
            fail_msg("'%s' rejected (bad: %s)", ok[i], bad);
        assert_string_equal(bad, "");
    }
    assert_int_equal(tc_vars_check("${endpoint}", NULL, 0), 0);
}

static void test_check_rejects_unknown_names(void **state)
{
    (void)state;
    static const struct {
        const char *in, *bad;
    } cases[] = {
        {"${server[1].lifetim}", "${server[1].lifetim}"},
        {"x ${endpoint} ${bogus} ${server[1].uri}", "${bogus}"},
        {"${server[0].uri}", "${server[0].uri}"},       /* SSIDs start at 1 */
        {"${server[01].uri}", "${server[01].uri}"},     /* no leading zero */
        {"${server[65535].uri}", "${server[65535].uri}"}, /* 65535 is reserved */
        {"${server[].uri}", "${server[].uri}"},
        {"${server[1]}", "${server[1]}"},
        {"${server.lifetime}", "${server.lifetime}"},
        {"${device.imei}", "${device.imei}"},
        {"${device.}", "${device.}"},
        {"${bootstrap.lifetime}", "${bootstrap.lifetime}"},
        {"${Endpoint}", "${Endpoint}"},
        {"${ endpoint}", "${ endpoint}"},
        {"${}", "${}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char bad[64] = "";
        int rc = tc_vars_check(cases[i].in, bad, sizeof bad);
        if (rc != LC_ENOTFOUND)
            fail_msg("'%s': rc %d, expected LC_ENOTFOUND", cases[i].in, rc);
        assert_string_equal(bad, cases[i].bad);
    }
}

static void test_check_rejects_unterminated(void **state)
{
    (void)state;
    char bad[64];
    assert_int_equal(tc_vars_check("lt=${server[1].lifetime", bad, sizeof bad), LC_EINVAL);
    assert_string_equal(bad, "${server[1].lifetime");
    assert_int_equal(tc_vars_check("${endpoint} then ${", bad, sizeof bad), LC_EINVAL);
    assert_string_equal(bad, "${");
    /* The offending text is cut to fit. */
    assert_int_equal(tc_vars_check("${server[1].lifetim}", bad, 8), LC_ENOTFOUND);
    assert_string_equal(bad, "${serve");
    assert_int_equal(tc_vars_check("${x", NULL, 0), LC_EINVAL);
}

static void test_expand_every_variable(void **state)
{
    (void)state;
    config *c = make_config();
    expect_expand(c, NULL, "no variables here", "no variables here");
    expect_expand(c, NULL, "", "");
    expect_expand(c, NULL, "${server[1].lifetime}", "86400");
    expect_expand(c, NULL, "${server[2].lifetime}", "300");
    expect_expand(c, NULL, "b=${server[1].binding};b=${server[2].binding}", "b=U;b=UQ");
    expect_expand(c, NULL, "${server[2].short_server_id}", "2");
    expect_expand(c, NULL, "${server[1].default_pmin}/${server[1].default_pmax}", "1/10");
    expect_expand(c, NULL, "${server[2].default_pmin}/${server[2].default_pmax}", "5/60");
    expect_expand(c, NULL, "${server[1].uri}", "coaps://127.0.0.1:5684");
    expect_expand(c, NULL, "${server[2].uri}", "coaps://[::1]:5686");
    expect_expand(c, NULL, "${bootstrap.uri}", "coaps://127.0.0.1:5784");
    expect_expand(c, NULL, "${device.manufacturer}", "ACME Corp.");
    expect_expand(c, NULL, "${device.model_number}", "Widget 9");
    expect_expand(c, NULL, "${device.serial_number}", "SN-42");
    expect_expand(c, NULL, "${device.firmware_version}", "2.1.0");
    expect_expand(c, NULL, "${device.supported_binding}", "U");
    expect_expand(c, "urn:dev:1", "ep=${endpoint}&lt=${server[1].lifetime}",
                  "ep=urn:dev:1&lt=86400");
    /* A value is never expanded again, even when it looks like a variable. */
    expect_expand(c, "${server[1].uri}", "${endpoint}", "${server[1].uri}");
    free(c);
}

static void test_expand_number_formatting(void **state)
{
    (void)state;
    config *c = make_config();
    /* Device values written as numbers or booleans in a configuration. */
    config_value *v = (config_value *)config_find(c, "/3/0/1");
    v->kind = CONFIG_VALUE_NUMBER;
    v->number = 42.0;
    v = (config_value *)config_find(c, "/3/0/2");
    v->kind = CONFIG_VALUE_NUMBER;
    v->number = 1.5;
    v = (config_value *)config_find(c, "/3/0/3");
    v->kind = CONFIG_VALUE_BOOL;
    v->boolean = true;
    v = (config_value *)config_find(c, "/3/0/0");
    v->kind = CONFIG_VALUE_NUMBER;
    v->number = -7.0;
    expect_expand(c, NULL, "${device.model_number}", "42");
    expect_expand(c, NULL, "${device.serial_number}", "1.5");
    expect_expand(c, NULL, "${device.firmware_version}", "1");
    expect_expand(c, NULL, "${device.manufacturer}", "-7");
    free(c);
}

static void test_expand_errors(void **state)
{
    (void)state;
    config *c = make_config();
    expect_expand_error(c, NULL, "${server[1].lifetim}", LC_EINVAL,
                        "unknown variable ${server[1].lifetim}");
    expect_expand_error(c, NULL, "a ${server[1].lifetime", LC_EINVAL, "without its closing");
    expect_expand_error(c, NULL, "${server[3].lifetime}", LC_ENOTFOUND,
                        "no server account with Short Server ID 3");
    expect_expand_error(c, NULL, "${server[3].lifetime}", LC_ENOTFOUND, "hand-made.json");
    expect_expand_error(c, NULL, "ep=${endpoint}", LC_ENOTFOUND, "endpoint name is not known");
    expect_expand_error(NULL, NULL, "${server[1].uri}", LC_ENOTFOUND, "no device configuration");

    /* What the configuration lacks is named. */
    c->value_count--; /* drop /3/0/16 */
    expect_expand_error(c, NULL, "${device.supported_binding}", LC_ENOTFOUND, "/3/0/16");
    c->accounts[0].bootstrap = false;
    c->accounts[0].short_server_id = 9;
    expect_expand_error(c, NULL, "${bootstrap.uri}", LC_ENOTFOUND, "no bootstrap account");
    /* Text without variables needs no configuration at all. */
    expect_expand(NULL, NULL, "plain", "plain");

    char *out = (char *)1;
    assert_int_equal(tc_vars_expand(NULL, c, NULL, &out, NULL), LC_EINVAL);
    free(c);
}

/* ${var.NAME}: any lower-case name passes the check (the loader then requires it to be
 * declared); the case's value expands, an undeclared one is an error. */
static void test_case_variables(void **state)
{
    (void)state;
    assert_int_equal(tc_vars_check("${var.lifetime}", NULL, 0), 0);
    assert_int_equal(tc_vars_check("${var.Lifetime}", NULL, 0), LC_ENOTFOUND);
    assert_int_equal(tc_vars_check("${var.}", NULL, 0), LC_ENOTFOUND);
    tc_kv vars[2] = {{"lifetime", "20"}, {"lifetime", "4"}};
    tc_vars_env env = {.case_vars = vars, .case_var_count = 2};
    char *out = NULL;
    lc_error err = {0};
    assert_int_equal(tc_vars_expand_env("lt=${var.lifetime}", &env, &out, &err), 0);
    assert_string_equal(out, "lt=4"); /* the later entry (the run's --var) wins */
    free(out);
    assert_true(tc_vars_expand_env("${var.other}", &env, &out, &err) < 0);
    assert_non_null(strstr(err.msg, "declares no such variable"));
}

static void test_known_list_names_every_variable(void **state)
{
    (void)state;
    /* The list in messages is what the loader shows users; each entry must check as known. */
    const char *known = tc_vars_known();
    char copy[1024];
    strcpy(copy, known);
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        char var[128];
        const char *nn = strstr(tok, "[N]");
        const char *np = strstr(tok, "[PATH]");
        if (np)
            snprintf(var, sizeof var, "${%.*s[/4/0/0]}", (int)(np - tok), tok);
        else if (nn)
            snprintf(var, sizeof var, "${%.*s[17]%s}", (int)(nn - tok), tok, nn + 3);
        else
            snprintf(var, sizeof var, "${%s}", tok);
        if (tc_vars_check(var, NULL, 0) != 0)
            fail_msg("listed variable %s is not accepted", var);
        n++;
    }
    assert_int_equal(n, 20);
}

/* ${device[PATH]} (and its older spelling ${config[PATH]}): the description's value; a
 * volatile one and one it does not give resolve to nothing, and say why; the test's own
 * objects are the configuration's. */
static void test_config_path(void **state)
{
    (void)state;
    config *c = fx_config("fixtures/c5.json");
    description *desc = malloc(sizeof *desc);
    assert_non_null(desc);
    lc_error err = {0};
    assert_int_equal(description_load_string(
                         "{\"values\": {\"/4/0/0\": 6, \"/4/0/4/0\": \"192.0.2.10\", \"/4/0/8\": 26881},"
                         " \"volatile\": [\"/4/0/8\"]}", "d.json", desc, &err), 0);
    tc_vars_env env = {.cfg = c, .desc = desc};
    char *out = NULL;
    assert_int_equal(tc_vars_expand_env("${config[/4/0/0]} ${device[/4/0/4/0]} ${device[/1/0/1]}",
                                        &env, &out, &err), 0);
    assert_string_equal(out, "6 192.0.2.10 86400");
    free(out);
    assert_int_equal(tc_vars_expand_env("${device[/4/0/99]}", &env, &out, &err), LC_ENOTFOUND);
    assert_non_null(strstr(err.msg, "d.json gives no value for /4/0/99"));
    char why[256];
    assert_true(tc_vars_undescribed("${device[/4/0/8]}", &env, why, sizeof why));
    assert_non_null(strstr(why, "changes by itself"));
    assert_true(tc_vars_undescribed("x ${device[/4/0/99]}", &env, why, sizeof why));
    assert_false(tc_vars_undescribed("${device[/4/0/0]} ${server[1].lifetime}", &env, why, sizeof why));
    env.desc = NULL; /* without a description, nothing of the device's is known */
    assert_true(tc_vars_undescribed("${device.manufacturer}", &env, why, sizeof why));
    assert_non_null(strstr(why, "--description"));
    free(desc);
    assert_int_equal(tc_vars_check("${config[/4/0]}", NULL, 0), LC_ENOTFOUND); /* not a resource */
    assert_int_equal(tc_vars_check("${config[4/0/0}", NULL, 0), LC_ENOTFOUND);
    free(c);
}

/* The variables the seed definitions use, against the real C.14 fixture. */
static void test_expand_against_c14_fixture(void **state)
{
    (void)state;
    config *c = fx_config("fixtures/c14.json");
    expect_expand(c, NULL, "${server[1].lifetime}", "86400");
    expect_expand(c, NULL, "${server[2].lifetime}", "86400");
    expect_expand(c, NULL, "${server[1].binding}", "U");
    expect_expand(c, NULL, "${server[2].binding}", "U");
    expect_expand(c, NULL, "${server[1].default_pmin}-${server[1].default_pmax}", "1-10");
    expect_expand(c, NULL, "${server[2].short_server_id}", "2");
    expect_expand_error(c, NULL, "${device.manufacturer}", LC_ENOTFOUND, "no device description");
    expect_expand(c, NULL, "${bootstrap.uri}", "coaps://127.0.0.1:5784");
    /* without a map, instance ids are C.14's own */
    expect_expand(c, NULL, "</0/${server[1].security_instance}>,</0/${bootstrap.security_instance}>",
                  "</0/0>,</0/1>");
    expect_expand(c, NULL, "${server[2].server_instance}", "1");
    free(c);
}

/* Instance ids follow where the tool placed the configuration on the device. */
static void test_expand_instances_follow_the_map(void **state)
{
    (void)state;
    config *c = make_config(); /* bootstrap /0/1, server 1 /0/0 + /1/0, server 2 /0/2 + /1/1 */
    instmap m;
    instmap_init(&m);
    instmap_set(&m, 0, 0, 1);
    instmap_set(&m, 0, 1, 0);
    instmap_set(&m, 1, 1, 7);
    m.bootstrap_iid = 0;
    tc_vars_env env = {.cfg = c, .instances = &m};
    char *out = NULL;
    assert_int_equal(tc_vars_expand_env("</0/${server[1].security_instance}>;ssid=1,"
                                        "</0/${bootstrap.security_instance}>,"
                                        "</0/${server[2].security_instance}>;ssid=2,"
                                        "</1/${server[1].server_instance}>,"
                                        "</1/${server[2].server_instance}>", &env, &out, NULL), 0);
    assert_string_equal(out, "</0/1>;ssid=1,</0/0>,</0/2>;ssid=2,</1/0>,</1/7>");
    free(out);
    /* a server account without a Server instance has no server_instance */
    c->accounts[2].server_instance = -1;
    lc_error err = {0};
    assert_int_equal(tc_vars_expand_env("${server[2].server_instance}", &env, &out, &err),
                     LC_ENOTFOUND);
    assert_non_null(strstr(err.msg, "${server[2].server_instance}"));
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_accepts_known_names),
        cmocka_unit_test(test_check_rejects_unknown_names),
        cmocka_unit_test(test_check_rejects_unterminated),
        cmocka_unit_test(test_expand_every_variable),
        cmocka_unit_test(test_expand_number_formatting),
        cmocka_unit_test(test_expand_errors),
        cmocka_unit_test(test_known_list_names_every_variable),
        cmocka_unit_test(test_config_path),
        cmocka_unit_test(test_case_variables),
        cmocka_unit_test(test_expand_against_c14_fixture),
        cmocka_unit_test(test_expand_instances_follow_the_map),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
