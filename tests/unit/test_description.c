/* lwm2m/description (the device description loader and writer), lwm2m/objlinks (a
 * Register's object list) and lwm2m/configset (each case's configuration and its
 * provisioning group). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lwm2m/configset.h"
#include "lwm2m/description.h"
#include "run/describe.h"
#include "lwm2m/objlinks.h"
#include "unit/fixture.h"

static description *load_ok(const char *json)
{
    description *d = malloc(sizeof *d);
    assert_non_null(d);
    lc_error err = {0};
    if (description_load_string(json, "d.json", d, &err) != 0)
        fail_msg("%s", err.msg);
    return d;
}

static void expect_error(const char *json, const char *fragment)
{
    description *d = malloc(sizeof *d);
    assert_non_null(d);
    lc_error err = {0};
    assert_int_equal(description_load_string(json, "d.json", d, &err), LC_EINVAL);
    if (!strstr(err.msg, fragment))
        fail_msg("'%s' does not say '%s'", err.msg, fragment);
    free(d);
}

/* The simulated device's own description loads, and says what the cases need. */
static void test_simdev_fixture(void **state)
{
    (void)state;
    description *d = malloc(sizeof *d);
    assert_non_null(d);
    lc_error err = {0};
    assert_int_equal(description_load_file("fixtures/simdev.json", d, &err), 0);
    const config_value *v = description_value(d, "/3/0/0");
    assert_non_null(v);
    assert_int_equal(v->kind, CONFIG_VALUE_STRING);
    assert_string_equal(v->string, "lwm2m-conform");
    for (int obj = 3; obj <= 16; obj++) {
        bool known = false;
        bool has = description_has_object(d, obj, &known);
        assert_true(known);
        assert_int_equal(has, obj <= 7 || obj == 10 || obj == 16);
    }
    /* a value that changes by itself is known to exist, never given to compare */
    assert_true(description_is_volatile(d, "/4/0/2"));
    assert_null(description_value(d, "/4/0/2"));
    assert_true(description_knows(d, "/4/0/2"));
    assert_non_null(description_value(d, "3/0/6/1")); /* any spelling of the path */
    assert_false(description_knows(d, "/3/0/99"));
    free(d);
}

static void test_keys(void **state)
{
    (void)state;
    description *d = load_ok(
        "{\"comment\": \"c\", \"endpoint\": \"dev-1\", \"lwm2m\": \"1.1\", \"binding\": \"UQ\","
        " \"persistent\": false, \"content_formats\": [\"text\", \"tlv\", 112, \"link\"],"
        " \"objects\": {\"3\": {\"0\": [16, 0, 1]}, \"5\": {}, \"10\": {\"1\": [], \"0\": []}},"
        " \"values\": {\"/3/0/0\": \"ACME\", \"/3/0/11/0\": 0, \"/3/0/9\": 87.5, \"/5/0/1\": true},"
        " \"volatile\": [\"/3/0/9\", \"/10\"]}");
    assert_string_equal(d->lwm2m, "1.1");
    assert_string_equal(d->binding, "UQ");
    assert_string_equal(d->endpoint, "dev-1");
    assert_int_equal(d->persistent, 0);
    assert_true(description_has_format(d, 11542));
    assert_true(description_has_format(d, 1542)); /* the legacy number is TLV too */
    assert_false(description_has_format(d, 11543));
    assert_int_equal(d->object_count, 3);
    assert_int_equal(d->objects[2], 10);
    assert_int_equal(d->instance_count, 3);
    assert_int_equal(d->instances[0].resource_count, 3);
    assert_int_equal(d->instances[0].resources[2], 16); /* sorted */
    assert_int_equal(d->instances[2].instance, 1);      /* sorted by object, instance */
    assert_true(description_knows(d, "/3/0/16"));
    /* the values of /3/0/11 are all its instances: /3/0/11/1 is not there (one power
     * source on a real device: int-266/312/313 need a second one and are SKIPPED) */
    assert_true(description_knows(d, "/3/0/11/0"));
    assert_false(description_knows(d, "/3/0/11/1"));
    assert_true(description_has_object(d, 5, NULL));
    assert_false(description_has_object(d, 4, NULL));
    /* instances: object 5 is listed without any, 10 with 0 and 1 */
    bool listed = false;
    assert_false(description_has_instance(d, 5, 0, &listed));
    assert_true(listed);
    assert_true(description_has_instance(d, 10, 1, &listed));
    assert_false(description_has_instance(d, 19, 1, &listed)); /* no object 19 at all */
    assert_null(description_value(d, "/3/0/9"));     /* volatile */
    assert_null(description_value(d, "/10/0/1"));    /* under a volatile object */
    assert_int_equal(description_value(d, "/5/0/1")->kind, CONFIG_VALUE_BOOL);
    free(d);
    /* without objects nothing is known of them: every object may be there */
    d = load_ok("{}");
    bool known = true;
    assert_true(description_has_object(d, 4, &known));
    assert_false(known);
    assert_int_equal(d->persistent, -1);
    assert_true(description_has_format(d, 11543));
    free(d);
}

/* A readable multiple resource listed without instance values, in an instance read whole,
 * has none (Anjay's </10/0/11>;dim=0): int-1200 does not require /10/0/11/0 of it. */
static void test_empty_multiple(void **state)
{
    (void)state;
    description *d = load_ok("{\"objects\": {\"10\": {\"0\": [4, 11]}, \"4\": {\"0\": [1]}},"
                             " \"values\": {\"/10/0/4\": 600}}");
    assert_true(description_knows(d, "/10/0/11"));
    assert_false(description_knows(d, "/10/0/11/0"));
    assert_true(description_lists_resources(d, "/10/0/11/0"));
    /* an instance with no value given at all: its resource instances are not known absent */
    assert_true(description_knows(d, "/4/0/1/0"));
    free(d);
}

/* What describe marks as changing by itself: the core table and IPSO measured values
 * (Anjay's demo has a temperature sensor 3303 and an accelerometer 3313). */
static void test_describe_volatile(void **state)
{
    (void)state;
    assert_true(describe_is_volatile(3, 13));
    assert_true(describe_is_volatile(4, 4));
    assert_false(describe_is_volatile(3, 0));
    assert_true(describe_is_volatile(3303, 5700));
    assert_true(describe_is_volatile(3313, 5702));
    assert_false(describe_is_volatile(3303, 5701)); /* Sensor Units: a fact */
    assert_false(describe_is_volatile(3, 5700));    /* not an IPSO object */
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("[1]", "d.json: a device description is a JSON object");
    expect_error("{\"lwm2m\": \"2.0\"}", "\"lwm2m\" must be \"1.0\", \"1.1\" or \"1.2\"");
    expect_error("{\"binding\": \"UX\"}", "\"binding\" must combine the letters U, S, Q, T, N");
    expect_error("{\"colour\": 1}", "unknown key \"colour\"");
    expect_error("{\"values\": {\"/3/0\": 1}}", "values: \"/3/0\" is not a resource path");
    expect_error("{\"values\": {\"/3/0/0\": null}}", "values: /3/0/0: expected a string, a number");
    expect_error("{\"values\": {\"/3/0/0\": \"a\", \"3/0/0\": \"b\"}}", "/3/0/0 is given twice");
    expect_error("{\"objects\": {\"3\": {\"0\": []}}, \"values\": {\"/4/0/0\": 6}}",
                 "values: /4/0/0: its object is not in \"objects\"");
    expect_error("{\"objects\": {\"x\": {}}}", "objects: \"x\" is not an object id");
    expect_error("{\"objects\": {\"3\": {\"0\": [\"a\"]}}}", "each entry is a resource id");
    expect_error("{\"volatile\": [\"/a\"]}", "volatile: \"/a\" is not an LwM2M path");
    expect_error("{\"content_formats\": [\"yaml\"]}", "content_formats: unknown content format");
    expect_error("{\"persistent\": 1}", "\"persistent\" must be true or false");
    /* JSON syntax: file:line:column, as the configuration's */
    expect_error("{\n  \"lwm2m\": \"1.0\",\n}", "d.json:3:1: expected a quoted key or '}'");
    expect_error("", "d.json");
    lc_error err = {0};
    description *d = malloc(sizeof *d);
    assert_int_equal(description_load_file("/nonexistent/d.json", d, &err), LC_EIO);
    assert_non_null(strstr(err.msg, "cannot open the device description"));
    free(d);
}

/* What describe builds is written and loads back the same. */
static void test_write_round_trip(void **state)
{
    (void)state;
    description *d = malloc(sizeof *d), *again = malloc(sizeof *again);
    assert_non_null(d);
    assert_non_null(again);
    description_init(d, "built");
    snprintf(d->lwm2m, sizeof d->lwm2m, "1.2");
    snprintf(d->binding, sizeof d->binding, "UQ");
    snprintf(d->comment, sizeof d->comment, "a \"quoted\" comment");
    assert_int_equal(description_add_resource(d, 3, 0, 0), 0);
    assert_int_equal(description_add_resource(d, 3, 0, 13), 0);
    assert_int_equal(description_add_object(d, 5), 0);
    assert_int_equal(description_add_instance(d, 1, 0), 0);
    config_value v = {.kind = CONFIG_VALUE_STRING};
    snprintf(v.path, sizeof v.path, "3/0/0");
    snprintf(v.string, sizeof v.string, "ACME");
    assert_int_equal(description_set_value(d, &v), 0);
    v.kind = CONFIG_VALUE_NUMBER;
    v.number = 1796540205;
    snprintf(v.path, sizeof v.path, "/3/0/13");
    assert_int_equal(description_set_value(d, &v), 0);
    v.number = 0.25;
    snprintf(v.path, sizeof v.path, "/3/0/9");
    assert_int_equal(description_set_value(d, &v), 0);
    assert_int_equal(description_add_volatile(d, "/3/0/13"), 0);
    assert_int_equal(description_add_volatile(d, "/3/0/13"), 0); /* once */
    assert_int_equal(description_add_volatile(d, "/3/x"), LC_EINVAL);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    lc_error err = {0};
    assert_int_equal(description_write(d, f, &err), 0);
    fclose(f);
    assert_non_null(strstr(buf, "\"/3/0/13\": 1796540205")); /* an integer stays one */
    assert_non_null(strstr(buf, "\"/3/0/9\": 0.25"));
    assert_non_null(strstr(buf, "\"3\": {\"0\": [0, 13]}"));
    if (description_load_string(buf, "again", again, &err) != 0)
        fail_msg("%s\n%s", err.msg, buf);
    assert_string_equal(again->comment, "a \"quoted\" comment");
    assert_string_equal(again->lwm2m, "1.2");
    assert_int_equal(again->value_count, 3);
    assert_int_equal(again->volatile_count, 1);
    assert_int_equal(again->object_count, 3);
    assert_null(description_value(again, "/3/0/13"));
    assert_string_equal(description_value(again, "/3/0/0")->string, "ACME");
    free(buf);
    free(d);
    free(again);
}

static void test_objlinks(void **state)
{
    (void)state;
    objlinks *l = malloc(sizeof *l);
    assert_non_null(l);
    lc_error err = {0};
    assert_int_equal(objlinks_parse("</>;rt=\"oma.lwm2m\";ct=110,</1/0>,</3/0>,</5>;ver=1.1,</3/0/1>",
                                    l, &err), 0);
    assert_int_equal(l->count, 3); /* the root and the resource link are not objects */
    assert_int_equal(l->items[2].object, 5);
    assert_int_equal(l->items[2].instance, -1);
    assert_string_equal(l->items[2].ver, "1.1");
    assert_true(objlinks_has_object(l, 3));
    assert_false(objlinks_has_object(l, 4));
    /* an alternate root path is taken off */
    assert_int_equal(objlinks_parse("</lwm2m>;rt=\"oma.lwm2m\",</lwm2m/4/0>,</lwm2m/10/1>", l, &err), 0);
    assert_int_equal(l->count, 2);
    assert_int_equal(l->items[1].object, 10);
    assert_int_equal(l->items[1].instance, 1);
    assert_int_equal(objlinks_parse("not links", l, &err), LC_EINVAL);
    free(l);
}

/* The shipped configurations: C.14 (two servers, access control) is one group, C.1 and
 * C.3 (one server) another, C.5 (one server, pmax 60) a third; a name with no file runs in the main configuration. */
static void test_configset(void **state)
{
    (void)state;
    config *main = fx_config("fixtures/c14.json");
    configset cs;
    const char *names[] = {"C.1", "C.3", "C.5", "C.14", "C.99", "X.1", "C.3"};
    configset_keys keys = {.bootstrap = true, .provision = true};
    lc_error err = {0};
    if (configset_load(&cs, main, "fixtures", names, 7, &keys, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(cs.count, 4);
    int g1, g3, g5, g14, g99;
    const config *c1 = configset_for(&cs, "C.1", &g1);
    configset_for(&cs, "C.3", &g3);
    configset_for(&cs, "C.5", &g5);
    assert_ptr_equal(configset_for(&cs, "C.14", &g14), main);
    assert_ptr_equal(configset_for(&cs, "C.99", &g99), main);
    assert_int_equal(g14, 0);
    assert_int_equal(g99, 0);
    assert_true(g1 > 0);
    assert_int_equal(g1, g3);
    /* C.5's Default Maximum Period is 60 (int-710/910 show ignored Write-Attributes), not
     * C.1's 10: a provisioning of its own */
    assert_true(g5 > 0);
    assert_int_not_equal(g1, g5);
    assert_int_equal(c1->account_count, 2); /* bootstrap and server 1 */
    assert_false(configset_same_provisioning(c1, main));
    char file[32];
    assert_true(configset_file_name("C.14", file, sizeof file));
    assert_string_equal(file, "c14.json");
    assert_false(configset_file_name("C.x", file, sizeof file));
    configset_free(&cs);
    /* a configuration whose server account the run does not listen for is refused */
    config *one = fx_config("fixtures/c1.json");
    const char *c14[] = {"C.14"};
    assert_int_equal(configset_load(&cs, one, "fixtures", c14, 1, &keys, &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "server account SSID 2 is not in the run's configuration"));
    free(one);
    free(main);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simdev_fixture),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_empty_multiple),
        cmocka_unit_test(test_describe_volatile),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_write_round_trip),
        cmocka_unit_test(test_objlinks),
        cmocka_unit_test(test_configset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
