/* OMA LwM2M JSON (LwM2M 1.0 §6.4.4): exact encodings, decoding with and without hints,
 * round trips at every base depth, and malformed payloads. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lwm2m/content/content.h"
#include "lwm2m/objects.h"
#include "unit/fixture.h"

static void expect_json(const char *base, const lwm2m_records *r, const char *want)
{
    lwm2m_path b = fx_path(base);
    uint8_t *out;
    size_t len;
    lc_error err = {0};
    if (omajson_encode(&b, r, &out, &len, &err))
        fail_msg("omajson_encode(%s): %s", base, err.msg);
    assert_int_equal(len, strlen((const char *)out));
    assert_string_equal((const char *)out, want);
    free(out);
}

static void device_subset(lwm2m_records *r)
{
    lwm2m_path p;
    records_init(r);
    records_add_string(r, (p = fx_path("/3/0/0"), &p), "Open Mobile Alliance");
    records_add_int(r, (p = fx_path("/3/0/6/0"), &p), 1);
    records_add_int(r, (p = fx_path("/3/0/6/1"), &p), 5);
    records_add_time(r, (p = fx_path("/3/0/13"), &p), 1367491215);
}

static void test_encode_relative_to_base(void **state)
{
    (void)state;
    lwm2m_records r;
    device_subset(&r);
    expect_json("/3/0", &r,
                "{\"bn\":\"/3/0/\",\"e\":[{\"n\":\"0\",\"sv\":\"Open Mobile Alliance\"},"
                "{\"n\":\"6/0\",\"v\":1},{\"n\":\"6/1\",\"v\":5},{\"n\":\"13\",\"v\":1367491215}]}");
    expect_json("/3", &r,
                "{\"bn\":\"/3/\",\"e\":[{\"n\":\"0/0\",\"sv\":\"Open Mobile Alliance\"},"
                "{\"n\":\"0/6/0\",\"v\":1},{\"n\":\"0/6/1\",\"v\":5},"
                "{\"n\":\"0/13\",\"v\":1367491215}]}");
    expect_json("/", &r,
                "{\"bn\":\"/\",\"e\":[{\"n\":\"3/0/0\",\"sv\":\"Open Mobile Alliance\"},"
                "{\"n\":\"3/0/6/0\",\"v\":1},{\"n\":\"3/0/6/1\",\"v\":5},"
                "{\"n\":\"3/0/13\",\"v\":1367491215}]}");
    records_free(&r);

    lwm2m_path p;
    records_init(&r);
    records_add_int(&r, (p = fx_path("/3/0/6/0"), &p), 1);
    records_add_int(&r, (p = fx_path("/3/0/6/1"), &p), 5);
    expect_json("/3/0/6", &r, "{\"bn\":\"/3/0/6/\",\"e\":[{\"n\":\"0\",\"v\":1},{\"n\":\"1\",\"v\":5}]}");
    records_free(&r);

    /* A value at the request path itself: bn is the parent, so n is never empty. */
    records_init(&r);
    records_add_string(&r, (p = fx_path("/3/0/0"), &p), "Open Mobile Alliance");
    expect_json("/3/0/0", &r,
                "{\"bn\":\"/3/0/\",\"e\":[{\"n\":\"0\",\"sv\":\"Open Mobile Alliance\"}]}");
    records_free(&r);
    records_init(&r);
    records_add_int(&r, (p = fx_path("/3/0/6/1"), &p), 5);
    expect_json("/3/0/6/1", &r, "{\"bn\":\"/3/0/6/\",\"e\":[{\"n\":\"1\",\"v\":5}]}");
    records_free(&r);

    records_init(&r);
    expect_json("/3/0", &r, "{\"bn\":\"/3/0/\",\"e\":[]}");
}

static void test_encode_each_type(void **state)
{
    (void)state;
    lwm2m_records r;
    lwm2m_path p;
    records_init(&r);
    records_add_int(&r, (p = fx_path("/9/0/0"), &p), -70000);
    records_add_unsigned(&r, (p = fx_path("/9/0/1"), &p), 4000000000u);
    records_add_float(&r, (p = fx_path("/9/0/2"), &p), -0.3);
    records_add_float(&r, (p = fx_path("/9/0/3"), &p), 2.0);
    records_add_bool(&r, (p = fx_path("/9/0/4"), &p), true);
    records_add_string(&r, (p = fx_path("/9/0/5"), &p), "caf\xc3\xa9 \"q\"");
    records_add_opaque(&r, (p = fx_path("/9/0/6"), &p), (const uint8_t *)"\x00\x01\xff", 3);
    records_add_time(&r, (p = fx_path("/9/0/7"), &p), 1700000000);
    records_add_objlnk(&r, (p = fx_path("/9/0/8"), &p), 3, 0);
    /* Floats use the fewest digits that read back: -0.3 not -0.29999999999999999, and an
     * integral float keeps its ".0" so it reads back as a float. */
    expect_json("/9/0", &r,
                "{\"bn\":\"/9/0/\",\"e\":[{\"n\":\"0\",\"v\":-70000},{\"n\":\"1\",\"v\":4000000000},"
                "{\"n\":\"2\",\"v\":-0.3},{\"n\":\"3\",\"v\":2.0},{\"n\":\"4\",\"bv\":true},"
                "{\"n\":\"5\",\"sv\":\"caf\xc3\xa9 \\\"q\\\"\"},{\"n\":\"6\",\"sv\":\"AAH/\"},"
                "{\"n\":\"7\",\"v\":1700000000},{\"n\":\"8\",\"ov\":\"3:0\"}]}");
    records_free(&r);
}

static void expect_encode_error(const char *base, const lwm2m_records *r, const char *part)
{
    lwm2m_path b = fx_path(base);
    uint8_t *out = (uint8_t *)"x";
    size_t len = 1;
    lc_error err = {0};
    assert_int_equal(omajson_encode(&b, r, &out, &len, &err), LC_EINVAL);
    assert_null(out);
    assert_int_equal(len, 0);
    if (!strstr(err.msg, part))
        fail_msg("error \"%s\" lacks \"%s\"", err.msg, part);
}

static void test_encode_errors(void **state)
{
    (void)state;
    lwm2m_records r;
    lwm2m_path p;
    records_init(&r);
    records_add_float(&r, (p = fx_path("/9/0/2"), &p), NAN);
    expect_encode_error("/9/0", &r, "OMA JSON: /9/0/2: NaN cannot be carried in JSON");
    records_free(&r);
    records_init(&r);
    records_add_float(&r, (p = fx_path("/9/0/2"), &p), -INFINITY);
    expect_encode_error("/9/0", &r, "an infinite float");
    records_free(&r);
    records_init(&r);
    records_add_string(&r, (p = fx_path("/9/0/5"), &p), "\xff\xfe");
    expect_encode_error("/9/0", &r, "/9/0/5: the string is not valid UTF-8");
    records_free(&r);
    records_init(&r);
    records_add_int(&r, (p = fx_path("/4/0/1"), &p), 1);
    expect_encode_error("/3/0", &r, "record /4/0/1 is not under the request path /3/0");
    records_free(&r);
    records_init(&r);
    records_add_int(&r, (p = fx_path("/3/0/1"), &p), 1);
    records_add_int(&r, (p = fx_path("/3/0/1"), &p), 1);
    expect_encode_error("/3/0", &r, "two records for /3/0/1");
    records_free(&r);
    records_init(&r);
    records_add_int(&r, (p = fx_path("/3/0"), &p), 1);
    expect_encode_error("/3", &r, "not a resource or a resource instance");
    records_free(&r);
    records_init(&r);
    records_add_int(&r, (p = fx_path("/3/0/1"), &p), 1);
    r.items[0].type = LV_NONE;
    expect_encode_error("/3/0", &r, "no value type");
    records_free(&r);
}

static int decode(const char *base, const char *json, lwm2m_type_hint hint, lwm2m_records *got,
                  lc_error *err)
{
    lwm2m_path b = fx_path(base);
    return omajson_decode(&b, (const uint8_t *)json, strlen(json), hint, NULL, got, err);
}

static const char *path_of(const lwm2m_record *rec, char *buf)
{
    lwm2m_path_format(&rec->path, buf, 32);
    return buf;
}

/* The shape of LwM2M 1.0 §6.4.4's Device example, decoded with the object model. */
static void test_decode_device_example(void **state)
{
    (void)state;
    static const char json[] =
        "{\"bn\":\"/3/0/\",\n\"e\":[\n"
        "{\"n\":\"0\",\"sv\":\"Open Mobile Alliance\"},\n"
        "{\"n\":\"1\",\"sv\":\"Lightweight M2M Client\"},\n"
        "{\"n\":\"2\",\"sv\":\"345000123\"},\n"
        "{\"n\":\"3\",\"sv\":\"1.0\"},\n"
        "{\"n\":\"6/0\",\"v\":1},\n{\"n\":\"6/1\",\"v\":5},\n"
        "{\"n\":\"7/0\",\"v\":3800},\n{\"n\":\"7/1\",\"v\":5000},\n"
        "{\"n\":\"8/0\",\"v\":125},\n{\"n\":\"8/1\",\"v\":900},\n"
        "{\"n\":\"9\",\"v\":100},\n{\"n\":\"10\",\"v\":15},\n{\"n\":\"11/0\",\"v\":0},\n"
        "{\"n\":\"13\",\"v\":1367491215},\n{\"n\":\"14\",\"sv\":\"+02:00\"},\n"
        "{\"n\":\"16\",\"sv\":\"U\"}]\n}";
    lwm2m_records got;
    records_init(&got);
    lc_error err = {0};
    if (decode("/3/0", json, objects_type_of, &got, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(got.count, 16);
    char s[32];
    assert_string_equal(path_of(&got.items[0], s), "/3/0/0");
    assert_int_equal(got.items[0].type, LV_STRING);
    assert_string_equal((const char *)got.items[0].bytes, "Open Mobile Alliance");
    assert_string_equal(path_of(&got.items[5], s), "/3/0/6/1");
    assert_int_equal(got.items[5].type, LV_INTEGER);
    assert_true(got.items[5].i == 5);
    assert_string_equal(path_of(&got.items[12], s), "/3/0/11/0");
    assert_string_equal(path_of(&got.items[13], s), "/3/0/13");
    assert_int_equal(got.items[13].type, LV_TIME);
    assert_true(got.items[13].i == 1367491215);
    lwm2m_path q = fx_path("/3/0/16");
    const lwm2m_record *b = records_find(&got, &q);
    assert_non_null(b);
    assert_string_equal((const char *)b->bytes, "U");
    records_free(&got);
}

static lwm2m_type all_types_hint(const lwm2m_path *p, void *arg)
{
    (void)arg;
    static const lwm2m_type t[] = {LV_INTEGER, LV_UNSIGNED, LV_FLOAT, LV_BOOLEAN, LV_STRING,
                                   LV_OPAQUE,  LV_TIME,     LV_OBJLNK, LV_INTEGER};
    return p->depth >= 3 && p->ids[2] < 9 ? t[p->ids[2]] : LV_NONE;
}

static void test_decode_numbers_by_hint(void **state)
{
    (void)state;
    lwm2m_records got;
    records_init(&got);
    /* Integer hint: 3800.0 is an integer; float hint: 3 is a float. */
    assert_int_equal(decode("/9/0",
                            "{\"bn\":\"/9/0/\",\"e\":[{\"n\":\"0\",\"v\":3800.0},"
                            "{\"n\":\"2\",\"v\":3},{\"n\":\"6\",\"v\":-5},{\"n\":\"1\",\"v\":7}]}",
                            all_types_hint, &got, NULL),
                     0);
    assert_int_equal(got.items[0].type, LV_INTEGER);
    assert_true(got.items[0].i == 3800);
    assert_int_equal(got.items[1].type, LV_FLOAT);
    assert_true(got.items[1].f == 3.0);
    assert_int_equal(got.items[2].type, LV_TIME);
    assert_true(got.items[2].i == -5);
    assert_int_equal(got.items[3].type, LV_UNSIGNED);
    records_free(&got);

    /* No hint: the JSON number's form decides. */
    assert_int_equal(decode("/9/0", "{\"bn\":\"/9/0/\",\"e\":[{\"n\":\"0\",\"v\":1},{\"n\":\"1\",\"v\":1.5}]}",
                            NULL, &got, NULL),
                     0);
    assert_int_equal(got.items[0].type, LV_INTEGER);
    assert_int_equal(got.items[1].type, LV_FLOAT);
    assert_true(got.items[1].f == 1.5);
    records_free(&got);
}

static void test_decode_strings_opaque_bool_objlnk(void **state)
{
    (void)state;
    lwm2m_records got;
    records_init(&got);
    assert_int_equal(decode("/9/0",
                            "{\"bn\":\"/9/0/\",\"e\":[{\"n\":\"5\",\"sv\":\"AAH/\"},"
                            "{\"n\":\"4\",\"sv\":\"AAH/\"},{\"n\":\"3\",\"bv\":false},"
                            "{\"n\":\"7\",\"ov\":\"65535:1\"}]}",
                            all_types_hint, &got, NULL),
                     0);
    assert_int_equal(got.items[0].type, LV_OPAQUE);
    assert_int_equal(got.items[0].len, 3);
    assert_memory_equal(got.items[0].bytes, "\x00\x01\xff", 3);
    assert_int_equal(got.items[1].type, LV_STRING);
    assert_string_equal((const char *)got.items[1].bytes, "AAH/");
    assert_int_equal(got.items[2].type, LV_BOOLEAN);
    assert_false(got.items[2].b);
    assert_int_equal(got.items[3].type, LV_OBJLNK);
    assert_int_equal(got.items[3].objlnk[0], 65535);
    assert_int_equal(got.items[3].objlnk[1], 1);
    records_free(&got);
}

/* Without "bn": an absolute n stands alone, a relative one hangs off the request path. */
static void test_decode_without_bn(void **state)
{
    (void)state;
    lwm2m_records got;
    records_init(&got);
    char s[32];
    assert_int_equal(decode("/3/0", "{\"e\":[{\"n\":\"/3/0/1\",\"sv\":\"m\"},{\"n\":\"2\",\"sv\":\"s\"}]}",
                            NULL, &got, NULL),
                     0);
    assert_string_equal(path_of(&got.items[0], s), "/3/0/1");
    assert_string_equal(path_of(&got.items[1], s), "/3/0/2");
    records_free(&got);
    /* A bn that names the resource itself, no n. */
    assert_int_equal(decode("/3/0/1", "{\"bn\":\"/3/0/1\",\"e\":[{\"sv\":\"m\"}]}", NULL, &got, NULL),
                     0);
    assert_string_equal(path_of(&got.items[0], s), "/3/0/1");
    records_free(&got);
    /* Times are ignored. */
    assert_int_equal(decode("/3/0", "{\"bn\":\"/3/0/\",\"bt\":1,\"e\":[{\"n\":\"9\",\"v\":5,\"t\":-3}]}",
                            objects_type_of, &got, NULL),
                     0);
    assert_int_equal(got.count, 1);
    records_free(&got);
}

static void expect_decode_error(const char *base, const char *json, const char *part)
{
    lwm2m_records got;
    records_init(&got);
    lwm2m_path p = fx_path("/5/5/5");
    records_add_int(&got, &p, 42);
    lc_error err = {0};
    assert_int_equal(decode(base, json, all_types_hint, &got, &err), LC_EINVAL);
    if (!strstr(err.msg, part))
        fail_msg("error \"%s\" lacks \"%s\"", err.msg, part);
    assert_int_equal(got.count, 1);
    records_free(&got);
}

static void test_decode_errors(void **state)
{
    (void)state;
    expect_decode_error("/9/0", "{\"bn\":\"/9/0/\",\n\"e\":[}", "OMA JSON: line 2 column");
    expect_decode_error("/9/0", "", "OMA JSON: line");
    expect_decode_error("/9/0", "[1]", "the payload is not a JSON object");
    expect_decode_error("/9/0", "{\"bn\":\"/9/0/\"}", "the payload has no \"e\" array");
    expect_decode_error("/9/0", "{\"bn\":5,\"e\":[]}", "\"bn\" must be a string");
    expect_decode_error("/9/0", "{\"bn\":\"/9/0/\",\"e\":[1]}", "e[0] is not an object");
    expect_decode_error("/9/0", "{\"bn\":\"/9/0/\",\"e\":[{\"n\":0,\"v\":1}]}",
                        "e[0]: \"n\" must be a string");
    expect_decode_error("/9/0", "{\"bn\":\"/9/0/\",\"e\":[{\"n\":\"0\",\"v\":1,\"sv\":\"1\"}]}",
                        "e[0] (/9/0/0) has both \"v\" and \"sv\"");
    expect_decode_error("/9/0", "{\"bn\":\"/9/0/\",\"e\":[{\"n\":\"0\"}]}",
                        "e[0] (/9/0/0) has no value");
    expect_decode_error("/9/0", "{\"bn\":\"/9/0/\",\"e\":[{\"n\":\"0\",\"v\":1},{\"n\":\"0\",\"v\":9.5}]}",
                        "e[1] (/9/0/0): 9.5 is not an integer");
    expect_decode_error("/9/0", "{\"bn\":\"/9/0/\",\"e\":[{\"n\":\"1\",\"v\":-1}]}",
                        "-1 is not an unsigned integer");
    expect_decode_error("/9/0", "{\"bn\":\"/9/0/\",\"e\":[{\"n\":\"0\",\"v\":\"1\"}]}",
                        "\"v\" must be a number");
    expect_decode_error("/9/0", "{\"bn\":\"/9/0/\",\"e\":[{\"n\":\"0\",\"v\":1e30}]}",
                        "is not an integer");
    expect_decode_error("/9/0", "{\"bn\":\"/9/0/\",\"e\":[{\"n\":\"3\",\"bv\":1}]}",
                        "\"bv\" must be true or false");
    expect_decode_error("/9/0", "{\"bn\":\"/9/0/\",\"e\":[{\"n\":\"4\",\"sv\":1}]}",
                        "\"sv\" must be a string");
    expect_decode_error("/9/0", "{\"bn\":\"/9/0/\",\"e\":[{\"n\":\"5\",\"sv\":\"AAH\"}]}",
                        "OMA JSON: e[0]: /9/0/5: \"AAH\" is not valid Base64");
    expect_decode_error("/9/0", "{\"bn\":\"/9/0/\",\"e\":[{\"n\":\"7\",\"ov\":\"3\"}]}",
                        "\"3\" is not a valid objlnk");
    expect_decode_error("/9/0", "{\"bn\":\"/9/0/\",\"e\":[{\"n\":\"7\",\"ov\":3}]}",
                        "\"ov\" must be a string");
    expect_decode_error("/9/0", "{\"bn\":\"/4/0/\",\"e\":[{\"n\":\"0\",\"v\":1}]}",
                        "e[0]: /4/0/0 is not under the request path /9/0");
    expect_decode_error("/9/0", "{\"bn\":\"/9/\",\"e\":[{\"n\":\"0\",\"v\":1}]}",
                        "name \"/9/0\" is not a resource or resource instance");
    expect_decode_error("/9/0", "{\"bn\":\"/9/0\",\"e\":[{\"n\":\"1\",\"v\":1}]}",
                        "name \"/9/01\" is not a resource"); /* bn + n literally */
    expect_decode_error("/9/0", "{\"bn\":\"/9/0/\",\"e\":[{\"n\":\"x\",\"v\":1}]}",
                        "name \"/9/0/x\" (bn + n) is not a valid LwM2M path");
    expect_decode_error("/9/0", "{\"bn\":\"/9/0/\",\"e\":[{\"n\":\"1/2/3\",\"v\":1}]}",
                        "is not a valid LwM2M path");
    expect_decode_error("/9/0", "{\"bn\":\"/9/0/\",\"e\":[{\"n\":\"0\",\"v\":1},{\"n\":\"0\",\"v\":1}],\"e\":[]}",
                        "duplicate object key");
}

static void roundtrip(const char *base, const lwm2m_records *in)
{
    lwm2m_path b = fx_path(base);
    uint8_t *out;
    size_t len;
    lc_error err = {0};
    if (omajson_encode(&b, in, &out, &len, &err))
        fail_msg("encode %s: %s", base, err.msg);
    lwm2m_records got;
    records_init(&got);
    if (omajson_decode(&b, out, len, all_types_hint, NULL, &got, &err))
        fail_msg("decode %s: %s (%s)", base, err.msg, (const char *)out);
    assert_int_equal(got.count, in->count);
    for (size_t i = 0; i < in->count; i++) {
        assert_true(lwm2m_path_equal(&got.items[i].path, &in->items[i].path));
        if (!record_value_equal(&got.items[i], &in->items[i]))
            fail_msg("%s: value of entry %zu differs: %s", base, i, (const char *)out);
    }
    records_free(&got);
    free(out);
}

static void test_roundtrip_every_depth(void **state)
{
    (void)state;
    lwm2m_records r;
    lwm2m_path p;
    records_init(&r);
    records_add_int(&r, (p = fx_path("/9/0/0"), &p), INT64_MIN);
    records_add_unsigned(&r, (p = fx_path("/9/0/1"), &p), INT64_MAX);
    records_add_float(&r, (p = fx_path("/9/0/2"), &p), 1.0 / 3);
    records_add_bool(&r, (p = fx_path("/9/0/3"), &p), true);
    records_add_string(&r, (p = fx_path("/9/0/4"), &p), "");
    records_add_opaque(&r, (p = fx_path("/9/0/5"), &p), (const uint8_t *)"\x00", 1);
    records_add_time(&r, (p = fx_path("/9/0/6"), &p), 0);
    records_add_objlnk(&r, (p = fx_path("/9/0/7"), &p), 65535, 65535);
    records_add_int(&r, (p = fx_path("/9/0/8/0"), &p), 1);
    records_add_int(&r, (p = fx_path("/9/0/8/65535"), &p), -1);
    records_add_float(&r, (p = fx_path("/9/1/2"), &p), 0.1);
    roundtrip("/", &r);
    roundtrip("/9", &r);
    records_truncate(&r, 10);
    roundtrip("/9/0", &r);
    for (size_t i = 0; i < r.count; i++) {
        lwm2m_records one;
        records_init(&one);
        records_add_copy(&one, &r.items[i]);
        char b[32];
        lwm2m_path_format(&r.items[i].path, b, sizeof b);
        roundtrip(b, &one);
        records_free(&one);
    }
    records_truncate(&r, 8);
    records_free(&r);
    records_init(&r);
    records_add_int(&r, (p = fx_path("/9/0/8/0"), &p), 1);
    records_add_int(&r, (p = fx_path("/9/0/8/65535"), &p), -1);
    roundtrip("/9/0/8", &r);
    records_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_relative_to_base),
        cmocka_unit_test(test_encode_each_type),
        cmocka_unit_test(test_encode_errors),
        cmocka_unit_test(test_decode_device_example),
        cmocka_unit_test(test_decode_numbers_by_hint),
        cmocka_unit_test(test_decode_strings_opaque_bool_objlnk),
        cmocka_unit_test(test_decode_without_bn),
        cmocka_unit_test(test_decode_errors),
        cmocka_unit_test(test_roundtrip_every_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
