/* text/plain (LwM2M 1.0 §6.4.1, Appendix C) and application/octet-stream (§6.4.2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lwm2m/content/content.h"
#include "lwm2m/objects.h"
#include "unit/fixture.h"

static lwm2m_type fixed_type(const lwm2m_path *p, void *arg)
{
    (void)p;
    return *(lwm2m_type *)arg;
}

/* Encodes the single record and checks the text. */
static void expect_text(const lwm2m_records *r, const char *base, const char *want)
{
    lwm2m_path b = fx_path(base);
    uint8_t *out;
    size_t len;
    lc_error err = {0};
    if (text_encode(&b, r, &out, &len, &err))
        fail_msg("text_encode: %s", err.msg);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(out, want, len);
    free(out);
}

static void test_encode_each_type(void **state)
{
    (void)state;
    lwm2m_path p = fx_path("/1/0/1");
    lwm2m_records r;
#define ONE(add, want)                                                                        \
    do {                                                                                      \
        records_init(&r);                                                                     \
        add;                                                                                  \
        expect_text(&r, "/1/0/1", want);                                                      \
        records_free(&r);                                                                     \
    } while (0)
    ONE(records_add_int(&r, &p, 86400), "86400");
    ONE(records_add_int(&r, &p, -5), "-5");
    ONE(records_add_int(&r, &p, INT64_MIN), "-9223372036854775808");
    ONE(records_add_unsigned(&r, &p, 4000000000u), "4000000000");
    ONE(records_add_float(&r, &p, 0.1), "0.1");
    ONE(records_add_float(&r, &p, -2.5), "-2.5");
    ONE(records_add_float(&r, &p, 3.0), "3");
    ONE(records_add_bool(&r, &p, true), "1");
    ONE(records_add_bool(&r, &p, false), "0");
    ONE(records_add_string(&r, &p, "Open Mobile Alliance"), "Open Mobile Alliance");
    ONE(records_add_string(&r, &p, ""), "");
    ONE(records_add_time(&r, &p, 1367491215), "1367491215");
    ONE(records_add_objlnk(&r, &p, 3, 0), "3:0");
#undef ONE
    /* A string decoded from TLV may hold a NUL: text keeps every byte. */
    records_init(&r);
    records_add_string_n(&r, &p, "a\0b", 3);
    uint8_t *out;
    size_t len;
    assert_int_equal(text_encode(&p, &r, &out, &len, NULL), 0);
    assert_int_equal(len, 3);
    assert_memory_equal(out, "a\0b", 3);
    free(out);
    records_free(&r);
}

static void expect_encode_error(const lwm2m_records *r, const char *base, const char *part)
{
    lwm2m_path b = fx_path(base);
    uint8_t *out = (uint8_t *)"x";
    size_t len = 1;
    lc_error err = {0};
    assert_int_equal(text_encode(&b, r, &out, &len, &err), LC_EINVAL);
    assert_null(out);
    assert_int_equal(len, 0);
    if (!strstr(err.msg, part))
        fail_msg("error \"%s\" lacks \"%s\"", err.msg, part);
}

static void test_encode_errors(void **state)
{
    (void)state;
    lwm2m_records r;
    lwm2m_path p = fx_path("/0/0/3");
    records_init(&r);
    records_add_opaque(&r, &p, (const uint8_t *)"\x01\x02", 2);
    expect_encode_error(&r, "/0/0/3", "text/plain cannot carry opaque values");
    records_free(&r);

    records_init(&r);
    expect_encode_error(&r, "/3/0/0", "exactly one value for /3/0/0, 0 given");
    p = fx_path("/3/0/0");
    records_add_string(&r, &p, "a");
    expect_encode_error(&r, "/3/0", "/3/0 is not a resource");
    expect_encode_error(&r, "/3/0/1", "the value is for /3/0/0, not for the request path /3/0/1");
    records_add_string(&r, &p, "b");
    expect_encode_error(&r, "/3/0/0", "exactly one value for /3/0/0, 2 given");
    records_free(&r);
}

/* Decodes text at base typed t; returns rc and leaves the record in *got. */
static int decode(const char *base, lwm2m_type t, const char *text, lwm2m_records *got,
                  lc_error *err)
{
    lwm2m_path b = fx_path(base);
    return text_decode(&b, (const uint8_t *)text, strlen(text), fixed_type, &t, got, err);
}

static void test_decode_typed(void **state)
{
    (void)state;
    lwm2m_records got;
    records_init(&got);
    assert_int_equal(decode("/1/0/1", LV_INTEGER, "86400", &got, NULL), 0);
    assert_int_equal(decode("/1/0/1", LV_INTEGER, "-9223372036854775808", &got, NULL), 0);
    assert_int_equal(decode("/1/0/1", LV_INTEGER, "9223372036854775807", &got, NULL), 0);
    assert_int_equal(decode("/1/0/1", LV_FLOAT, "1.5", &got, NULL), 0);
    assert_int_equal(decode("/1/0/1", LV_FLOAT, "-2e3", &got, NULL), 0);
    assert_int_equal(decode("/1/0/1", LV_FLOAT, "7", &got, NULL), 0);
    assert_int_equal(decode("/1/0/1", LV_BOOLEAN, "1", &got, NULL), 0);
    assert_int_equal(decode("/1/0/1", LV_BOOLEAN, "0", &got, NULL), 0);
    assert_int_equal(decode("/1/0/1", LV_STRING, "U", &got, NULL), 0);
    assert_int_equal(decode("/1/0/1", LV_TIME, "1367491215", &got, NULL), 0);
    assert_int_equal(decode("/1/0/1", LV_OBJLNK, "3:65535", &got, NULL), 0);
    assert_int_equal(decode("/1/0/1", LV_UNSIGNED, "4000000000", &got, NULL), 0);
    assert_int_equal(decode("/3/0/6/1", LV_INTEGER, "5", &got, NULL), 0);
    assert_int_equal(got.count, 13);

    const lwm2m_record *it = got.items;
    assert_int_equal(it[0].type, LV_INTEGER);
    assert_true(it[0].i == 86400);
    assert_true(it[1].i == INT64_MIN);
    assert_true(it[2].i == INT64_MAX);
    assert_int_equal(it[3].type, LV_FLOAT);
    assert_true(it[3].f == 1.5);
    assert_true(it[4].f == -2000.0);
    assert_true(it[5].f == 7.0);
    assert_int_equal(it[6].type, LV_BOOLEAN);
    assert_true(it[6].b);
    assert_false(it[7].b);
    assert_int_equal(it[8].type, LV_STRING);
    assert_string_equal((const char *)it[8].bytes, "U");
    assert_int_equal(it[9].type, LV_TIME);
    assert_true(it[9].i == 1367491215);
    assert_int_equal(it[10].type, LV_OBJLNK);
    assert_int_equal(it[10].objlnk[0], 3);
    assert_int_equal(it[10].objlnk[1], 65535);
    assert_int_equal(it[11].type, LV_UNSIGNED);
    assert_true(it[11].i == 4000000000LL);
    char s[32];
    lwm2m_path_format(&it[12].path, s, sizeof s);
    assert_string_equal(s, "/3/0/6/1");
    records_free(&got);
}

/* Without a hint (or one that does not know the resource) the text stays a string. */
static void test_decode_without_hint(void **state)
{
    (void)state;
    lwm2m_records got;
    records_init(&got);
    lwm2m_path b = fx_path("/3/0/0");
    assert_int_equal(text_decode(&b, (const uint8_t *)"42", 2, NULL, NULL, &got, NULL), 0);
    b = fx_path("/99/0/0");
    assert_int_equal(text_decode(&b, (const uint8_t *)"", 0, objects_type_of, NULL, &got, NULL),
                     0);
    /* With the object model: Current Time is a time. */
    b = fx_path("/3/0/13");
    assert_int_equal(
        text_decode(&b, (const uint8_t *)"1367491215", 10, objects_type_of, NULL, &got, NULL), 0);
    assert_int_equal(got.count, 3);
    assert_int_equal(got.items[0].type, LV_STRING);
    assert_string_equal((const char *)got.items[0].bytes, "42");
    assert_int_equal(got.items[1].type, LV_STRING);
    assert_int_equal(got.items[1].len, 0);
    assert_int_equal(got.items[2].type, LV_TIME);
    records_free(&got);
}

static void expect_decode_error(lwm2m_type t, const char *text, const char *want)
{
    lwm2m_records got;
    records_init(&got);
    lc_error err = {0};
    assert_int_equal(decode("/1/0/1", t, text, &got, &err), LC_EINVAL);
    assert_int_equal(got.count, 0);
    if (!strstr(err.msg, want))
        fail_msg("error \"%s\" lacks \"%s\"", err.msg, want);
}

static void test_decode_invalid_text(void **state)
{
    (void)state;
    expect_decode_error(LV_INTEGER, "abc",
                        "text/plain: /1/0/1: \"abc\" is not a valid integer");
    expect_decode_error(LV_INTEGER, "", "\"\" is not a valid integer");
    expect_decode_error(LV_INTEGER, "1.5", "is not a valid integer");
    expect_decode_error(LV_INTEGER, " 1", "is not a valid integer");
    expect_decode_error(LV_INTEGER, "+1", "is not a valid integer");
    expect_decode_error(LV_INTEGER, "-", "is not a valid integer");
    expect_decode_error(LV_INTEGER, "9223372036854775808", "is not a valid integer");
    expect_decode_error(LV_INTEGER, "-9223372036854775809", "is not a valid integer");
    expect_decode_error(LV_TIME, "2017-05-02", "is not a valid time");
    expect_decode_error(LV_UNSIGNED, "-1", "is not a valid unsigned integer");
    expect_decode_error(LV_FLOAT, "inf", "is not a valid float");
    expect_decode_error(LV_FLOAT, "nan", "is not a valid float");
    expect_decode_error(LV_FLOAT, "0x10", "is not a valid float");
    expect_decode_error(LV_FLOAT, "1e", "is not a valid float");
    expect_decode_error(LV_FLOAT, ".", "is not a valid float");
    expect_decode_error(LV_FLOAT, "1e999", "is not a valid float");
    expect_decode_error(LV_BOOLEAN, "true", "\"true\" is not a valid boolean (\"1\" or \"0\"");
    expect_decode_error(LV_BOOLEAN, "2", "is not a valid boolean");
    expect_decode_error(LV_BOOLEAN, "", "is not a valid boolean");
    expect_decode_error(LV_OBJLNK, "3", "is not a valid objlnk");
    expect_decode_error(LV_OBJLNK, "3:", "is not a valid objlnk");
    expect_decode_error(LV_OBJLNK, "70000:0", "is not a valid objlnk");
    expect_decode_error(LV_OBJLNK, "3:0:1", "is not a valid objlnk");
    expect_decode_error(LV_OBJLNK, "-3:0", "is not a valid objlnk");
    /* A long payload is quoted only in part. */
    char big[200];
    memset(big, '7', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    expect_decode_error(LV_INTEGER, big, "777...\" is not a valid integer");
}

static void test_decode_opaque_and_structure_errors(void **state)
{
    (void)state;
    lwm2m_records got;
    records_init(&got);
    lc_error err = {0};
    lwm2m_path b = fx_path("/0/0/3");
    /* LwM2M 1.1 §7.4.1: an opaque value in text/plain is Base64 */
    assert_int_equal(text_decode(&b, (const uint8_t *)"AQI=", 4, objects_type_of, NULL, &got,
                                 &err),
                     0);
    assert_int_equal(got.count, 1);
    assert_int_equal(got.items[0].type, LV_OPAQUE);
    assert_int_equal(got.items[0].len, 2);
    assert_memory_equal(got.items[0].bytes, "\x01\x02", 2);
    records_free(&got);
    records_init(&got);
    assert_int_equal(text_decode(&b, (const uint8_t *)"not base64!", 11, objects_type_of, NULL,
                                 &got, &err),
                     LC_EINVAL);
    assert_non_null(strstr(err.msg, "text/plain: /0/0/3 is an opaque resource, and its value is "
                                    "not Base64"));
    b = fx_path("/3/0");
    assert_int_equal(text_decode(&b, (const uint8_t *)"1", 1, NULL, NULL, &got, &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "/3/0 is not a resource"));
    /* NUL inside a string payload. */
    b = fx_path("/3/0/0");
    assert_int_equal(text_decode(&b, (const uint8_t *)"a\0b", 3, NULL, NULL, &got, &err),
                     LC_EINVAL);
    assert_non_null(strstr(err.msg, "NUL byte at offset 1"));
    assert_int_equal(got.count, 0);
}

static void test_roundtrip_text(void **state)
{
    (void)state;
    static const double floats[] = {0.1, 1.0 / 3, -1e-300, 1e300, 6.02214076e23, 0.0, -0.0};
    for (size_t i = 0; i < sizeof floats / sizeof floats[0]; i++) {
        lwm2m_records r, got;
        records_init(&r);
        records_init(&got);
        lwm2m_path p = fx_path("/9/0/1");
        records_add_float(&r, &p, floats[i]);
        uint8_t *out;
        size_t len;
        assert_int_equal(text_encode(&p, &r, &out, &len, NULL), 0);
        lwm2m_type t = LV_FLOAT;
        assert_int_equal(text_decode(&p, out, len, fixed_type, &t, &got, NULL), 0);
        assert_true(record_value_equal(&r.items[0], &got.items[0]));
        free(out);
        records_free(&r);
        records_free(&got);
    }
}

/* application/octet-stream lives beside text: same single-value rules, raw bytes. */
static void test_opaque_format(void **state)
{
    (void)state;
    lwm2m_records r, got;
    records_init(&r);
    records_init(&got);
    lwm2m_path p = fx_path("/0/0/5");
    static const uint8_t key[] = {0x00, 0xFF, 0x10, 0x00};
    records_add_opaque(&r, &p, key, sizeof key);
    uint8_t *out;
    size_t len;
    assert_int_equal(opaque_encode(&p, &r, &out, &len, NULL), 0);
    assert_int_equal(len, sizeof key);
    assert_memory_equal(out, key, sizeof key);
    /* The hint does not matter: the payload is opaque. */
    assert_int_equal(opaque_decode(&p, out, len, objects_type_of, NULL, &got, NULL), 0);
    assert_int_equal(got.count, 1);
    assert_true(record_value_equal(&r.items[0], &got.items[0]));
    free(out);
    records_free(&got);

    lc_error err = {0};
    lwm2m_path inst = fx_path("/0/0");
    assert_int_equal(opaque_decode(&inst, key, sizeof key, NULL, NULL, &got, &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "/0/0 is not a resource"));
    assert_int_equal(opaque_encode(&inst, &r, &out, &len, &err), LC_EINVAL);
    records_free(&r);

    records_init(&r);
    records_add_string(&r, &p, "text");
    assert_int_equal(opaque_encode(&p, &r, &out, &len, &err), LC_EINVAL);
    assert_string_equal(err.msg, "application/octet-stream carries opaque values only, not "
                                 "string (use text/plain or TLV)");
    records_free(&r);

    /* Empty opaque value. */
    assert_int_equal(opaque_decode(&p, NULL, 0, NULL, NULL, &got, NULL), 0);
    assert_int_equal(got.items[0].len, 0);
    records_free(&got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_each_type),
        cmocka_unit_test(test_encode_errors),
        cmocka_unit_test(test_decode_typed),
        cmocka_unit_test(test_decode_without_hint),
        cmocka_unit_test(test_decode_invalid_text),
        cmocka_unit_test(test_decode_opaque_and_structure_errors),
        cmocka_unit_test(test_roundtrip_text),
        cmocka_unit_test(test_opaque_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
