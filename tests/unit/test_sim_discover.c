/* Discover payloads of the simulated device (src/sim/discover.c) on configuration C.14:
 * each server sees its own attributes only (int-951), and the discover faults. Payloads
 * are compared as parsed link sets (src/lwm2m/linkformat.h), plus exact text where the
 * text itself is the point (the malformed fault). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lwm2m/linkformat.h"
#include "sim/discover.h"
#include "unit/sim_fixture.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The int-951 steps 1 and 2. */
static void write_951_attributes(sim_device *d)
{
    lwm2m_path dev = fx_path("/3/0");
    const char *q1[] = {"pmin=2", "pmax=10"}, *q2[] = {"pmin=15", "pmax=50"};
    assert_int_equal(sim_attrs_write(d->attrs, 1, &dev, q1, N(q1), NULL), 0);
    assert_int_equal(sim_attrs_write(d->attrs, 2, &dev, q2, N(q2), NULL), 0);
}

/* C.14 with one fault, after int-951's steps 1 and 2 */
static sim_device *load_faulty_951(const char *fault)
{
    sim_faults f = {0};
    assert_int_equal(sim_faults_add(&f, fault, NULL), 0);
    sim_device *d = fx_sim("fixtures/c14.json", &f, 0);
    write_951_attributes(d);
    return d;
}

static char *discover(sim_device *d, int ssid, const char *path)
{
    lwm2m_path p = fx_path(path);
    char *out = NULL;
    size_t len = 0;
    lc_error err = {0};
    if (sim_discover(d, ssid, &p, &out, &len, &err) != 0)
        fail_msg("discover %s: %s", path, err.msg);
    assert_int_equal(len, strlen(out));
    return out;
}

static void assert_links(const char *observed, const char *expected, lf_match_mode mode)
{
    lf_set o, e;
    lc_error err = {0};
    if (linkformat_parse(observed, strlen(observed), &o, &err) != 0)
        fail_msg("observed payload does not parse: %s: %s", err.msg, observed);
    assert_int_equal(linkformat_parse(expected, strlen(expected), &e, NULL), 0);
    lf_compare_options opt = {.mode = mode, .ignore_attrs = NULL};
    char why[512] = "";
    bool ok = linkformat_compare(&e, &o, &opt, why, sizeof why);
    linkformat_free(&o);
    linkformat_free(&e);
    if (!ok)
        fail_msg("%s\n  observed: %s", why, observed);
}

/* What the device exposes on /3/0: C.14's resources plus Reboot and Current Time. */
#define DEVICE_RESOURCES \
    "</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/4>,</3/0/11>;dim=1,</3/0/13>,</3/0/16>"

static void test_each_server_sees_its_own(void **state)
{
    (void)state;
    sim_device *d = fx_sim("fixtures/c14.json", NULL, 0);
    write_951_attributes(d);
    char *s1 = discover(d, 1, "/3/0"), *s2 = discover(d, 2, "/3/0");
    assert_links(s1, "</3/0>;pmin=2;pmax=10," DEVICE_RESOURCES, LF_MATCH_EXACT);
    assert_links(s2, "</3/0>;pmin=15;pmax=50," DEVICE_RESOURCES, LF_MATCH_EXACT);
    /* the change request's expected payloads are contained as written */
    assert_links(s1, "</3/0>;pmin=2;pmax=10,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/11>,</3/0/16>",
                 LF_MATCH_CONTAINS);
    assert_links(s2, "</3/0>;pmin=15;pmax=50,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/11>,</3/0/16>",
                 LF_MATCH_CONTAINS);
    /* deterministic text: the instance first, resources in id order */
    assert_string_equal(s1, "</3/0>;pmin=2;pmax=10," DEVICE_RESOURCES);
    free(s1);
    free(s2);
    char *s3 = discover(d, 3, "/3/0");
    assert_links(s3, "</3/0>," DEVICE_RESOURCES, LF_MATCH_EXACT);
    free(s3);
    fx_sim_free(d);
}

static void test_levels(void **state)
{
    (void)state;
    sim_device *d = fx_sim("fixtures/c14.json", NULL, 0);
    write_951_attributes(d);
    lwm2m_path obj = fx_path("/3"), r11 = fx_path("/3/0/11");
    const char *qo[] = {"pmax=300"}, *qr[] = {"pmin=7"};
    assert_int_equal(sim_attrs_write(d->attrs, 1, &obj, qo, 1, NULL), 0);
    assert_int_equal(sim_attrs_write(d->attrs, 1, &r11, qr, 1, NULL), 0);
    /* object level: each link with the attributes of its own level */
    char *o = discover(d, 1, "/3");
    assert_links(o,
                 "</3>;pmax=300,</3/0>;pmin=2;pmax=10,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,"
                 "</3/0/4>,</3/0/11>;dim=1;pmin=7,</3/0/13>,</3/0/16>",
                 LF_MATCH_EXACT);
    free(o);
    /* resource level: inherited from object and instance, overridden by its own */
    char *r = discover(d, 1, "/3/0/11");
    assert_links(r, "</3/0/11>;pmin=7;pmax=10", LF_MATCH_EXACT);
    free(r);
    r = discover(d, 2, "/3/0/11");
    assert_links(r, "</3/0/11>;pmin=15;pmax=50", LF_MATCH_EXACT);
    free(r);
    fx_sim_free(d);
}

static void test_lwm2m_11_dim(void **state)
{
    (void)state;
    sim_device *d = fx_sim("fixtures/c14.json", NULL, 1);
    char *s = discover(d, 1, "/3/0");
    assert_links(s,
                 "</3/0>,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/4>,</3/0/11>;dim=1,</3/0/13>,"
                 "</3/0/16>",
                 LF_MATCH_EXACT);
    free(s);
    fx_sim_free(d);
}

static void test_not_found_and_bad_depth(void **state)
{
    (void)state;
    sim_device *d = fx_sim("fixtures/c14.json", NULL, 0);
    char *out = NULL;
    lwm2m_path p = fx_path("/3/1");
    assert_int_equal(sim_discover(d, 1, &p, &out, NULL, NULL), LC_ENOTFOUND);
    p = fx_path("/5");
    assert_int_equal(sim_discover(d, 1, &p, &out, NULL, NULL), LC_ENOTFOUND);
    p = fx_path("/3/0/9");
    assert_int_equal(sim_discover(d, 1, &p, &out, NULL, NULL), LC_ENOTFOUND);
    p = fx_path("/3/0/11/0");
    assert_int_equal(sim_discover(d, 1, &p, &out, NULL, NULL), LC_EINVAL);
    assert_null(out);
    fx_sim_free(d);
}

static void test_fault_missing_resource(void **state)
{
    (void)state;
    sim_device *d = load_faulty_951("discover-missing-resource");
    char *s = discover(d, 1, "/3/0");
    assert_links(s,
                 "</3/0>;pmin=2;pmax=10,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/4>,</3/0/11>,"
                 "</3/0/13>",
                 LF_MATCH_EXACT);
    assert_null(strstr(s, "/3/0/16"));
    free(s);
    fx_sim_free(d);
}

static void test_fault_malformed(void **state)
{
    (void)state;
    sim_device *d = load_faulty_951("discover-malformed");
    char *s = discover(d, 1, "/3/0");
    assert_string_equal(s, "</3/0;pmin=2;pmax=10,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/4>,"
                           "</3/0/11>;dim=1,</3/0/13>,</3/0/16>");
    lf_set set;
    assert_int_not_equal(linkformat_parse(s, strlen(s), &set, NULL), 0);
    free(s);
    fx_sim_free(d);
}

static void test_fault_shared_attributes(void **state)
{
    (void)state;
    sim_device *d = load_faulty_951("shared-attributes");
    char *s1 = discover(d, 1, "/3/0");
    /* server #1 sees what server #2 wrote last */
    assert_links(s1, "</3/0>;pmin=15;pmax=50," DEVICE_RESOURCES, LF_MATCH_EXACT);
    free(s1);
    fx_sim_free(d);
}

/* int-260's faults: a resource's Discover without what it inherits, and object or instance
 * Discovers that repeat the inherited attributes on every resource link. */
static void test_fault_inheritance(void **state)
{
    (void)state;
    sim_device *d = load_faulty_951("discover-no-inherit");
    lwm2m_path r11 = fx_path("/3/0/11");
    const char *qr[] = {"gt=6", "lt=1"};
    assert_int_equal(sim_attrs_write(d->attrs, 1, &r11, qr, 2, NULL), 0);
    char *r = discover(d, 1, "/3/0/11");
    assert_links(r, "</3/0/11>;gt=6;lt=1", LF_MATCH_EXACT);
    free(r);
    fx_sim_free(d);

    d = load_faulty_951("discover-inherited-everywhere");
    assert_int_equal(sim_attrs_write(d->attrs, 1, &r11, qr, 2, NULL), 0);
    char *o = discover(d, 1, "/3/0");
    assert_links(o,
                 "</3/0>;pmin=2;pmax=10,</3/0/0>;pmin=2;pmax=10,</3/0/1>;pmin=2;pmax=10,"
                 "</3/0/2>;pmin=2;pmax=10,</3/0/3>;pmin=2;pmax=10,</3/0/4>;pmin=2;pmax=10,"
                 "</3/0/11>;pmin=2;pmax=10;gt=6;lt=1,</3/0/13>;pmin=2;pmax=10,"
                 "</3/0/16>;pmin=2;pmax=10",
                 LF_MATCH_EXACT);
    free(o);
    /* the resource's own Discover is right either way */
    r = discover(d, 1, "/3/0/11");
    assert_links(r, "</3/0/11>;pmin=2;pmax=10;gt=6;lt=1", LF_MATCH_EXACT);
    free(r);
    fx_sim_free(d);
}

static void test_bootstrap_discover(void **state)
{
    (void)state;
    sim_device *d = fx_sim("fixtures/c14.json", NULL, 0);
    lwm2m_path root = {.ids = {-1, -1, -1, -1}, .depth = 0};
    char *out = NULL;
    assert_int_equal(sim_bootstrap_discover(d, &root, &out, NULL, NULL), 0);
    assert_string_equal(out, "lwm2m=\"1.0\",</0/0>;ssid=1,</0/1>,</0/2>;ssid=2,</1/0>;ssid=1,"
                             "</1/1>;ssid=2,</2/0>,</2/1>,</2/2>,</3/0>");
    free(out);
    lwm2m_path one = fx_path("/1");
    assert_int_equal(sim_bootstrap_discover(d, &one, &out, NULL, NULL), 0);
    assert_string_equal(out, "</1/0>;ssid=1,</1/1>;ssid=2");
    free(out);
    fx_sim_free(d);

    d = fx_sim("fixtures/c14.json", NULL, 1);
    assert_int_equal(sim_bootstrap_discover(d, &root, &out, NULL, NULL), 0);
    assert_non_null(strstr(out, "lwm2m=\"1.1\""));
    assert_non_null(strstr(out, "</0/0>;ssid=1;uri=\"coaps://127.0.0.1:5684\""));
    assert_non_null(strstr(out, "</0/1>;uri=\"coaps://127.0.0.1:5784\""));
    free(out);
    fx_sim_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_server_sees_its_own),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_lwm2m_11_dim),
        cmocka_unit_test(test_not_found_and_bad_depth),
        cmocka_unit_test(test_fault_missing_resource),
        cmocka_unit_test(test_fault_malformed),
        cmocka_unit_test(test_fault_shared_attributes),
        cmocka_unit_test(test_fault_inheritance),
        cmocka_unit_test(test_bootstrap_discover),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
