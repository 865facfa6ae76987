/* SenML JSON (110): vectors from RFC 8428 and the LwM2M 1.1 core, exact encodings, round
 * trips for every type, and each malformed shape refused with a message naming the record
 * and the field. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unit/senml_vectors.h"

#define P vec_path
#define ok(b, x, r) vec_ok(CF_SENML_JSON, b, x, r)
#define bad(b, x, w) vec_bad(CF_SENML_JSON, b, x, w)
#define at vec_at

/* LwM2M 1.1 core §7.4.4 (SenML JSON), the Read of Device object instance /3/0 example,
 * written out here: bn once, n relative, multiple-instance resources as "6/0". */
static void test_lwm2m11_device_read(void **state)
{
    (void)state;
    lwm2m_records r;
    ok("/3/0",
       "[{\"bn\":\"/3/0/\",\"n\":\"0\",\"vs\":\"Open Mobile Alliance\"},"
       "{\"n\":\"1\",\"vs\":\"Lightweight M2M Client\"},{\"n\":\"2\",\"vs\":\"345000123\"},"
       "{\"n\":\"3\",\"vs\":\"1.0\"},{\"n\":\"6/0\",\"v\":1},{\"n\":\"6/1\",\"v\":5},"
       "{\"n\":\"7/0\",\"v\":3800},{\"n\":\"7/1\",\"v\":5000},{\"n\":\"8/0\",\"v\":125},"
       "{\"n\":\"8/1\",\"v\":900},{\"n\":\"9\",\"v\":100},{\"n\":\"10\",\"v\":15},"
       "{\"n\":\"11/0\",\"v\":0},{\"n\":\"13\",\"v\":1367491215},{\"n\":\"14\",\"vs\":\"+02:00\"},"
       "{\"n\":\"16\",\"vs\":\"U\"}]",
       &r);
    assert_int_equal(r.count, 16);
    assert_string_equal((const char *)at(&r, "/3/0/0")->bytes, "Open Mobile Alliance");
    assert_int_equal(at(&r, "/3/0/6/1")->type, LV_INTEGER);
    assert_int_equal(at(&r, "/3/0/7/0")->i, 3800);
    assert_int_equal(at(&r, "/3/0/13")->type, LV_TIME);
    assert_int_equal(at(&r, "/3/0/13")->i, 1367491215);
    assert_string_equal((const char *)at(&r, "/3/0/16")->bytes, "U");
    assert_false(at(&r, "/3/0/0")->has_time);
    records_free(&r);
}

/* A 1.1 client's Bootstrap-Read of /1 (issue 9, seen from a real client): booleans with
 * "vb", the binding as "vs", numbers typed by the Server object. */
static void test_bootstrap_read_server(void **state)
{
    (void)state;
    lwm2m_records r;
    ok("/1",
       "[{\"bn\":\"/1/\",\"n\":\"0/0\",\"v\":1},{\"n\":\"0/1\",\"v\":86400},"
       "{\"n\":\"0/6\",\"vb\":false},{\"n\":\"0/7\",\"vs\":\"U\"}]",
       &r);
    assert_int_equal(r.count, 4);
    assert_int_equal(at(&r, "/1/0/0")->i, 1);
    assert_int_equal(at(&r, "/1/0/1")->i, 86400);
    assert_int_equal(at(&r, "/1/0/6")->type, LV_BOOLEAN);
    assert_false(at(&r, "/1/0/6")->b);
    assert_int_equal(at(&r, "/1/0/7")->type, LV_STRING);
    records_free(&r);
}

/* RFC 8428 §5.1.2 (multiple data points with base name and base time), in LwM2M names as
 * LwM2M 1.1 §7.4.4 shows a Notify with historical values: a record without bn and n takes
 * the base name; its time is bt + t. */
static void test_rfc8428_base_time(void **state)
{
    (void)state;
    lwm2m_records r;
    ok("/3303/0/5700",
       "[{\"bn\":\"/3303/0/5700\",\"bt\":1.320067464e+09,\"v\":22.4,\"t\":-5},"
       "{\"v\":22.9,\"t\":-4},{\"v\":23.1}]",
       &r);
    assert_int_equal(r.count, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_true(lwm2m_path_equal(&r.items[i].path, &(lwm2m_path){{3303, 0, 5700, -1}, 3}));
        assert_int_equal(r.items[i].type, LV_FLOAT);
        assert_true(r.items[i].has_time);
    }
    assert_true(r.items[0].f == 22.4 && r.items[0].time == 1320067459.0);
    assert_true(r.items[1].f == 22.9 && r.items[1].time == 1320067460.0);
    assert_true(r.items[2].f == 23.1 && r.items[2].time == 1320067464.0);
    records_free(&r);
}

/* RFC 8428 §4.5.3: v is bv + v; bn, bv persist to later records; bver, u, bu, s, ut and
 * unknown labels are accepted and do not change the value. */
static void test_rfc8428_base_value_and_extra_labels(void **state)
{
    (void)state;
    lwm2m_records r;
    ok("/3/0",
       "[{\"bver\":10,\"bn\":\"/3/0/\",\"bu\":\"%EL\",\"bv\":10,\"n\":\"9\",\"v\":90,\"u\":\"%\"},"
       "{\"n\":\"10\",\"v\":5,\"ut\":60,\"s\":1,\"xyz\":[1,2]}]",
       &r);
    assert_int_equal(r.count, 2);
    assert_int_equal(at(&r, "/3/0/9")->i, 100);
    assert_int_equal(at(&r, "/3/0/10")->i, 15);
    records_free(&r);
}

/* LwM2M 1.1 §7.4.4: a single resource read is one record named by bn alone; opaque is "vd"
 * in base64url (RFC 8428 §4.3), padded or not; an object link is "vlo". */
static void test_single_record_vd_vlo(void **state)
{
    (void)state;
    lwm2m_records r;
    ok("/3/0/0", "[{\"bn\":\"/3/0/0\",\"vs\":\"Open Mobile Alliance\"}]", &r);
    assert_int_equal(r.count, 1);
    assert_string_equal((const char *)r.items[0].bytes, "Open Mobile Alliance");
    records_free(&r);

    ok("/99/0", "[{\"bn\":\"/99/0/6\",\"vd\":\"AAH_-w\"},{\"n\":\"\",\"vd\":\"AAH_-w==\"}]", &r);
    assert_int_equal(r.count, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(r.items[i].type, LV_OPAQUE);
        assert_int_equal(r.items[i].len, 4);
        assert_memory_equal(r.items[i].bytes, "\x00\x01\xff\xfb", 4);
    }
    records_free(&r);

    ok("/99/0/8", "[{\"bn\":\"/99/0/8\",\"vlo\":\"65535:7\"}]", &r);
    assert_int_equal(r.items[0].type, LV_OBJLNK);
    assert_int_equal(r.items[0].objlnk[0], 65535);
    assert_int_equal(r.items[0].objlnk[1], 7);
    records_free(&r);

    /* An empty pack: zero records, no error. */
    ok("/3/0", "[]", &r);
    assert_int_equal(r.count, 0);
    records_free(&r);
}

/* Numbers follow the resource's type: 3800.0 is still an integer, an unknown resource keeps
 * the number's own form. */
static void test_number_typing(void **state)
{
    (void)state;
    lwm2m_records r;
    ok("/99/0",
       "[{\"bn\":\"/99/0/\",\"n\":\"1\",\"v\":3800.0},{\"n\":\"2\",\"v\":4000000000},"
       "{\"n\":\"3\",\"v\":2},{\"n\":\"7\",\"v\":1700000000},{\"n\":\"9\",\"v\":1.5},"
       "{\"n\":\"10\",\"v\":-2}]",
       &r);
    assert_int_equal(at(&r, "/99/0/1")->type, LV_INTEGER);
    assert_int_equal(at(&r, "/99/0/1")->i, 3800);
    assert_int_equal(at(&r, "/99/0/2")->type, LV_UNSIGNED);
    assert_int_equal(at(&r, "/99/0/3")->type, LV_FLOAT);
    assert_true(at(&r, "/99/0/3")->f == 2.0);
    assert_int_equal(at(&r, "/99/0/7")->type, LV_TIME);
    assert_int_equal(at(&r, "/99/0/9")->type, LV_FLOAT);
    assert_int_equal(at(&r, "/99/0/10")->type, LV_INTEGER);
    records_free(&r);
}

static char *encode(const char *base, const lwm2m_records *r)
{
    lwm2m_path b = P(base);
    uint8_t *out;
    size_t len;
    lc_error err = {0};
    if (content_encode(CF_SENML_JSON, &b, r, &out, &len, &err))
        fail_msg("encode: %s", err.msg);
    assert_int_equal(len, strlen((const char *)out));
    return (char *)out;
}

static void test_encode_exact(void **state)
{
    (void)state;
    lwm2m_records r;
    vec_every_type(&r);
    char *s = encode("/99/0", &r);
    assert_string_equal(s, "[{\"bn\":\"/99/0/\",\"n\":\"1\",\"v\":-70000},{\"n\":\"2\",\"v\":4000000000},"
                           "{\"n\":\"3\",\"v\":-0.3},{\"n\":\"4\",\"vb\":true},"
                           "{\"n\":\"5\",\"vs\":\"caf\xc3\xa9 \\\"q\\\"\"},{\"n\":\"6\",\"vd\":\"AAH_\"},"
                           "{\"n\":\"7\",\"v\":1700000000},{\"n\":\"8\",\"vlo\":\"3:0\"}]");
    free(s);
    /* From the root every name is relative to "/". */
    s = encode("/", &r);
    assert_non_null(strstr(s, "[{\"bn\":\"/\",\"n\":\"99/0/1\",\"v\":-70000},"));
    free(s);
    records_free(&r);

    /* One value at the request path: named by bn alone. A time goes out as "t". */
    lwm2m_path p = P("/3/0/9");
    records_init(&r);
    records_add_int(&r, &p, 100);
    r.items[0].has_time = true;
    r.items[0].time = 1700000000;
    s = encode("/3/0/9", &r);
    assert_string_equal(s, "[{\"bn\":\"/3/0/9\",\"v\":100,\"t\":1700000000}]");
    free(s);
    records_free(&r);

    records_init(&r);
    s = encode("/3/0", &r);
    assert_string_equal(s, "[]");
    free(s);
}

/* Every type survives encode → decode, at every base depth. */
static void test_roundtrip_every_type(void **state)
{
    (void)state;
    lwm2m_records r;
    vec_every_type(&r);
    r.items[2].has_time = true;
    r.items[2].time = -2.5;
    vec_roundtrip(CF_SENML_JSON, "/", &r);
    vec_roundtrip(CF_SENML_JSON, "/99", &r);
    vec_roundtrip(CF_SENML_JSON, "/99/0", &r);
    vec_roundtrip_each(CF_SENML_JSON, &r);
    records_free(&r);
}

static void test_malformed(void **state)
{
    (void)state;
    bad("/3/0", "", "SenML JSON: the payload is empty");
    bad("/3/0", "[{\"bn\":", "SenML JSON: line 1 column");
    bad("/3/0", "{\"bn\":\"/3/0/\"}", "not a JSON array of records");
    bad("/3/0", "[{\"bn\":\"/3/0/\",\"n\":\"0\",\"vs\":\"a\"},7]", "record 1: is not a JSON object");
    bad("/3/0", "[{\"bn\":\"/3/0/0\"}]", "record 0: /3/0/0 has no value (\"v\", \"vs\"");
    bad("/3/0", "[{\"bn\":\"/3/0/\",\"n\":\"0\",\"v\":1,\"vs\":\"x\"}]",
        "record 0: has both \"v\" and \"vs\"; a record carries one value");
    bad("/3/0", "[{\"bn\":\"/3/0/\",\"n\":\"0\",\"vs\":1}]", "record 0: \"vs\" must be a string");
    bad("/3/0", "[{\"bn\":\"/3/0/\",\"n\":\"9\",\"v\":\"1\"}]", "record 0: \"v\" must be a number");
    bad("/3/0", "[{\"bn\":\"/3/0/\",\"n\":\"9\",\"vb\":1}]", "record 0: \"vb\" must be true or false");
    bad("/3/0", "[{\"bn\":7,\"n\":\"9\",\"v\":1}]", "record 0: \"bn\" must be a string");
    bad("/3/0", "[{\"bn\":\"/3/0/\",\"n\":\"0\",\"vs\":\"a\"},{\"n\":\"x\",\"vs\":\"a\"}]",
        "record 1: the name \"/3/0/x\" (bn + n) is not an absolute LwM2M path");
    bad("/3/0", "[{\"bn\":\"3/0/\",\"n\":\"0\",\"vs\":\"a\"}]",
        "record 0: the name \"3/0/0\" (bn + n) is not an absolute LwM2M path");
    bad("/3/0", "[{\"n\":\"0\",\"vs\":\"a\"}]", "record 0: the name \"0\" (bn + n)");
    bad("/3/0", "[{\"vs\":\"a\"}]", "record 0: no name");
    bad("/3", "[{\"bn\":\"/3/\",\"n\":\"0\",\"vs\":\"a\"}]",
        "record 0: the name \"/3/0\" (bn + n) is an object or object instance");
    bad("/3", "[{\"bn\":\"/1/0/\",\"n\":\"1\",\"v\":1}]",
        "record 0: /1/0/1 (bn + n) is not under the request path /3");
    bad("/3/0", "[{\"bn\":\"/3/0/\",\"n\":\"9\",\"v\":1.5}]",
        "record 0: /3/0/9: \"v\" is 1.5, not an integer");
    bad("/99/0", "[{\"bn\":\"/99/0/\",\"n\":\"2\",\"v\":-1}]",
        "record 0: /99/0/2: \"v\" is -1, not an unsigned integer");
    bad("/3/0", "[{\"bn\":\"/3/0/\",\"n\":\"0\",\"vs\":\"a\",\"x_\":1}]",
        "record 0: label \"x_\" must be understood");
    bad("/99/0", "[{\"bn\":\"/99/0/6\",\"vd\":\"AAH/\"}]", "record 0: \"vd\" is not base64url");
    bad("/99/0", "[{\"bn\":\"/99/0/6\",\"vd\":\"A\"}]", "record 0: \"vd\" is not base64url");
    bad("/99/0", "[{\"bn\":\"/99/0/8\",\"vlo\":\"3\"}]", "record 0: \"vlo\": /99/0/8: \"3\" is not a valid objlnk");
    bad("/3/0", "[{\"bn\":\"/3/0/\",\"n\":\"0\",\"vs\":\"a\",\"vs\":\"b\"}]", "duplicate object key");
    bad("/3/0",
        "[{\"bn\":\"/3/0/0123456789012345678901234567890123456789012345678901234567890123456789\","
        "\"vs\":\"a\"}]",
        "record 0: \"bn\" is not an LwM2M name");
    bad("/3/0", "[{\"bn\":\"/3/0/\",\"n\":\"9\",\"bv\":9223372036854775807,\"v\":1}]",
        "record 0: bv + v overflows");
    /* The third record is bad: the two good ones before it are not kept. */
    bad("/3/0", "[{\"bn\":\"/3/0/\",\"n\":\"0\",\"vs\":\"a\"},{\"n\":\"1\",\"vs\":\"b\"},{\"n\":\"9\"}]",
        "record 2: /3/0/9 has no value");
}

/* Memory stays bounded: a pack with more records than CONTENT_MAX_RECORDS is refused. */
static void test_record_cap(void **state)
{
    (void)state;
    size_t n = CONTENT_MAX_RECORDS + 1, cap = n * 12 + 64, len = 0;
    char *s = malloc(cap);
    len += (size_t)snprintf(s + len, cap - len, "[{\"bn\":\"/3/0/9\",\"v\":1}");
    for (size_t i = 1; i < n; i++)
        len += (size_t)snprintf(s + len, cap - len, ",{\"v\":%zu}", i % 10);
    snprintf(s + len, cap - len, "]");
    char want[64];
    snprintf(want, sizeof want, "record %d: more than %d records", CONTENT_MAX_RECORDS,
             CONTENT_MAX_RECORDS);
    bad("/3/0", s, want);
    free(s);
    /* Braces inside strings are not records; a flood of labels in few records is refused. */
    lwm2m_records r;
    ok("/3/0", "[{\"bn\":\"/3/0/0\",\"vs\":\"{{{[[\\\"{\"}]", &r);
    assert_string_equal((const char *)r.items[0].bytes, "{{{[[\"{");
    records_free(&r);
    size_t m = 8 * (size_t)CONTENT_MAX_RECORDS + 1;
    cap = m * 16 + 64;
    len = 0;
    s = malloc(cap);
    len += (size_t)snprintf(s + len, cap - len, "[{\"bn\":\"/3/0/9\",\"v\":1");
    for (size_t i = 0; i < m; i++)
        len += (size_t)snprintf(s + len, cap - len, ",\"x%zu\":1", i);
    snprintf(s + len, cap - len, "}]");
    bad("/3/0", s, "SenML JSON: more than 131072 labels in one payload");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lwm2m11_device_read),
        cmocka_unit_test(test_bootstrap_read_server),
        cmocka_unit_test(test_rfc8428_base_time),
        cmocka_unit_test(test_rfc8428_base_value_and_extra_labels),
        cmocka_unit_test(test_single_record_vd_vlo),
        cmocka_unit_test(test_number_typing),
        cmocka_unit_test(test_encode_exact),
        cmocka_unit_test(test_roundtrip_every_type),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_record_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
