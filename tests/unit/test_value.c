/* Records, their text form, Base64, content-format and type names. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lwm2m/content/value.h"
#include "unit/fixture.h"

static void test_records_grow_copy_find(void **state)
{
    (void)state;
    lwm2m_records r;
    records_init(&r);
    assert_int_equal(r.count, 0);
    char name[32];
    char s[16];
    /* Past several reallocations; every string is a copy, NUL-terminated. */
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "/3/0/%d", i);
        snprintf(s, sizeof s, "v%d", i);
        lwm2m_path p = fx_path(name);
        assert_int_equal(records_add_string(&r, &p, s), 0);
        memset(s, 'X', sizeof s - 1);
    }
    assert_int_equal(r.count, 100);
    assert_true(r.cap >= 100);
    lwm2m_path p = fx_path("/3/0/57");
    const lwm2m_record *rec = records_find(&r, &p);
    assert_non_null(rec);
    assert_int_equal(rec->type, LV_STRING);
    assert_int_equal(rec->len, 3);
    assert_string_equal((const char *)rec->bytes, "v57");
    p = fx_path("/3/0/100");
    assert_null(records_find(&r, &p));
    p = fx_path("/3/0");
    assert_null(records_find(&r, &p));

    records_truncate(&r, 10);
    assert_int_equal(r.count, 10);
    p = fx_path("/3/0/57");
    assert_null(records_find(&r, &p));
    records_truncate(&r, 20); /* no-op */
    assert_int_equal(r.count, 10);
    records_free(&r);
    assert_int_equal(r.count, 0);
    assert_null(r.items);
    records_free(&r); /* twice is harmless */
}

static void test_records_each_type(void **state)
{
    (void)state;
    lwm2m_records r;
    records_init(&r);
    lwm2m_path p = fx_path("/9/0/1");
    static const uint8_t raw[] = {0, 1, 2};
    assert_int_equal(records_add_int(&r, &p, -1), 0);
    assert_int_equal(records_add_unsigned(&r, &p, 18446744073709551615u), LC_EINVAL);
    assert_int_equal(records_add_unsigned(&r, &p, 9223372036854775807u), 0);
    assert_int_equal(records_add_float(&r, &p, 2.5), 0);
    assert_int_equal(records_add_bool(&r, &p, true), 0);
    assert_int_equal(records_add_string_n(&r, &p, "abcdef", 3), 0);
    assert_int_equal(records_add_opaque(&r, &p, raw, sizeof raw), 0);
    assert_int_equal(records_add_objlnk(&r, &p, 3, 1), 0);
    assert_int_equal(records_add_time(&r, &p, 1367491215), 0);
    assert_int_equal(records_add_opaque(&r, &p, NULL, 0), 0);
    assert_int_equal(r.count, 9);
    const lwm2m_record *it = r.items;
    assert_int_equal(it[0].type, LV_INTEGER);
    assert_true(it[0].i == -1);
    assert_int_equal(it[1].type, LV_UNSIGNED);
    assert_true(it[1].i == INT64_MAX);
    assert_int_equal(it[2].type, LV_FLOAT);
    assert_int_equal(it[3].type, LV_BOOLEAN);
    assert_int_equal(it[4].type, LV_STRING);
    assert_string_equal((const char *)it[4].bytes, "abc");
    assert_int_equal(it[5].type, LV_OPAQUE);
    assert_memory_equal(it[5].bytes, raw, 3);
    assert_int_equal(it[6].objlnk[1], 1);
    assert_int_equal(it[7].type, LV_TIME);
    assert_non_null(it[8].bytes);
    assert_int_equal(it[8].len, 0);

    /* A copy is deep and equal; changing the copy leaves the original. */
    lwm2m_records c;
    records_init(&c);
    for (size_t i = 0; i < r.count; i++) {
        assert_int_equal(records_add_copy(&c, &r.items[i]), 0);
        assert_true(record_value_equal(&r.items[i], &c.items[i]));
        assert_true(lwm2m_path_equal(&r.items[i].path, &c.items[i].path));
    }
    assert_ptr_not_equal(c.items[4].bytes, r.items[4].bytes);
    c.items[4].bytes[0] = 'z';
    assert_false(record_value_equal(&r.items[4], &c.items[4]));
    assert_false(record_value_equal(&r.items[0], &r.items[1])); /* types differ */
    records_free(&c);
    records_free(&r);
}

static void expect_value_text(const lwm2m_record *rec, const char *want)
{
    char buf[128];
    int n = record_value_text(rec, buf, sizeof buf);
    assert_int_equal(n, (int)strlen(want));
    assert_string_equal(buf, want);
}

static void test_value_text(void **state)
{
    (void)state;
    lwm2m_records r;
    records_init(&r);
    lwm2m_path p = fx_path("/1/0/1");
    records_add_int(&r, &p, 86400);
    records_add_int(&r, &p, INT64_MIN);
    records_add_float(&r, &p, 0.1);
    records_add_float(&r, &p, 1.0 / 3);
    records_add_float(&r, &p, 100.0);
    records_add_float(&r, &p, 1e300);
    records_add_float(&r, &p, -2.5e-7);
    records_add_bool(&r, &p, true);
    records_add_bool(&r, &p, false);
    records_add_string(&r, &p, "U");
    records_add_opaque(&r, &p, (const uint8_t *)"foobar", 6);
    records_add_objlnk(&r, &p, 3, 0);
    records_add_time(&r, &p, 1367491215);
    records_add_unsigned(&r, &p, 4000000000u);
    records_add_float(&r, &p, NAN);
    const char *want[] = {"86400", "-9223372036854775808", "0.1", "0.3333333333333333",
                          "100", "1e+300", "-2.5e-07", "1", "0", "U", "Zm9vYmFy", "3:0",
                          "1367491215", "4000000000", "nan"};
    for (size_t i = 0; i < r.count; i++)
        expect_value_text(&r.items[i], want[i]);

    /* snprintf semantics: the full length back, a truncated NUL-terminated text written. */
    char small[4];
    assert_int_equal(record_value_text(&r.items[0], small, sizeof small), 5);
    assert_string_equal(small, "864");
    assert_int_equal(record_value_text(&r.items[10], small, sizeof small), 8);
    assert_string_equal(small, "Zm9");
    assert_int_equal(record_value_text(&r.items[10], NULL, 0), 8);

    lwm2m_record none = {.type = LV_NONE};
    assert_int_equal(record_value_text(&none, small, sizeof small), LC_EINVAL);
    assert_string_equal(small, "");
    records_free(&r);
}

static void test_base64(void **state)
{
    (void)state;
    /* RFC 4648 §10 test vectors. */
    static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const enc[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
                                      "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        char buf[16];
        int n = value_base64_encode((const uint8_t *)plain[i], strlen(plain[i]), buf, sizeof buf);
        assert_int_equal(n, (int)strlen(enc[i]));
        assert_string_equal(buf, enc[i]);
        uint8_t *out;
        size_t len;
        assert_int_equal(value_base64_decode(enc[i], strlen(enc[i]), &out, &len), 0);
        assert_non_null(out);
        assert_int_equal(len, strlen(plain[i]));
        assert_memory_equal(out, plain[i], len);
        free(out);
    }
    /* Every byte value through the whole alphabet. */
    uint8_t all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (uint8_t)i;
    char b64[400];
    assert_int_equal(value_base64_encode(all, 256, b64, sizeof b64), 344);
    uint8_t *out;
    size_t len;
    assert_int_equal(value_base64_decode(b64, 344, &out, &len), 0);
    assert_int_equal(len, 256);
    assert_memory_equal(out, all, 256);
    free(out);

    static const char *const bad[] = {"Zg=",  "Zg",   "Z===", "Zh==", "Zm9=", "Zg==Zg==",
                                      "Zm 9", "Zm9-", "=Zm9", "Zm=v", "Zm9v\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        out = (uint8_t *)"x";
        if (value_base64_decode(bad[i], strlen(bad[i]), &out, &len) != LC_EINVAL)
            fail_msg("\"%s\" was accepted", bad[i]);
        assert_null(out);
    }
}

static void test_from_text(void **state)
{
    (void)state;
    lwm2m_records r;
    records_init(&r);
    lwm2m_path p = fx_path("/0/0/5");
    lc_error err = {0};
    assert_int_equal(records_add_from_text(&r, &p, LV_OPAQUE, "AAH/", 4, &err), 0);
    assert_int_equal(r.items[0].len, 3);
    assert_memory_equal(r.items[0].bytes, "\x00\x01\xff", 3);
    assert_int_equal(records_add_from_text(&r, &p, LV_OPAQUE, "AAH", 3, &err), LC_EINVAL);
    assert_string_equal(err.msg, "/0/0/5: \"AAH\" is not valid Base64 (RFC 4648 with '=' "
                                 "padding is expected for an opaque value)");
    assert_int_equal(records_add_from_text(&r, &p, LV_NONE, "1", 1, &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "no type"));
    assert_int_equal(records_add_from_text(&r, &p, LV_UNSIGNED, "9223372036854775807", 19, &err),
                     0);
    assert_int_equal(records_add_from_text(&r, &p, LV_UNSIGNED, "9223372036854775808", 19, &err),
                     LC_EINVAL);
    /* Text is taken by length, not up to a NUL. */
    assert_int_equal(records_add_from_text(&r, &p, LV_INTEGER, "123456", 3, &err), 0);
    assert_true(r.items[2].i == 123);
    assert_int_equal(r.count, 3);

    /* The inverse of record_value_text for every type. */
    lwm2m_records src;
    records_init(&src);
    records_add_int(&src, &p, -42);
    records_add_unsigned(&src, &p, 7);
    records_add_float(&src, &p, 6.02214076e23);
    records_add_bool(&src, &p, true);
    records_add_string(&src, &p, "x y");
    records_add_opaque(&src, &p, (const uint8_t *)"\xde\xad", 2);
    records_add_time(&src, &p, -1);
    records_add_objlnk(&src, &p, 1, 2);
    for (size_t i = 0; i < src.count; i++) {
        char buf[64];
        int n = record_value_text(&src.items[i], buf, sizeof buf);
        lwm2m_records back;
        records_init(&back);
        assert_int_equal(records_add_from_text(&back, &p, src.items[i].type, buf, (size_t)n, &err),
                         0);
        assert_true(record_value_equal(&back.items[0], &src.items[i]));
        records_free(&back);
    }
    records_free(&src);
    records_free(&r);
}

static void test_content_format_names(void **state)
{
    (void)state;
    assert_string_equal(content_format_name(CF_TEXT), "text/plain");
    assert_string_equal(content_format_name(CF_LINK_FORMAT), "application/link-format");
    assert_string_equal(content_format_name(CF_OPAQUE), "application/octet-stream");
    assert_string_equal(content_format_name(CF_TLV), "application/vnd.oma.lwm2m+tlv");
    assert_string_equal(content_format_name(CF_TLV_LEGACY), "application/vnd.oma.lwm2m+tlv");
    assert_string_equal(content_format_name(CF_OMA_JSON), "application/vnd.oma.lwm2m+json");
    assert_string_equal(content_format_name(CF_SENML_JSON), "application/senml+json");
    assert_string_equal(content_format_name(CF_SENML_CBOR), "application/senml+cbor");
    assert_string_equal(content_format_name(CF_CBOR), "application/cbor");
    assert_string_equal(content_format_name(12345), "unknown");
    assert_string_equal(content_format_name(CF_NONE), "unknown");

    assert_int_equal(content_format_from_name("text"), 0);
    assert_int_equal(content_format_from_name("link"), 40);
    assert_int_equal(content_format_from_name("opaque"), 42);
    assert_int_equal(content_format_from_name("tlv"), 11542);
    assert_int_equal(content_format_from_name("json"), 11543);
    assert_int_equal(content_format_from_name("oma-json"), 11543);
    assert_int_equal(content_format_from_name("senml-json"), 110);
    assert_int_equal(content_format_from_name("senml-cbor"), 112);
    assert_int_equal(content_format_from_name("cbor"), 60);
    assert_int_equal(content_format_from_name("application/vnd.oma.lwm2m+tlv"), 11542);
    assert_int_equal(content_format_from_name("1542"), 1542);
    assert_int_equal(content_format_from_name("0"), 0);
    assert_int_equal(content_format_from_name("65535"), 65535);
    assert_int_equal(content_format_from_name("65536"), CF_NONE);
    assert_int_equal(content_format_from_name("-1"), CF_NONE);
    assert_int_equal(content_format_from_name("11542x"), CF_NONE);
    assert_int_equal(content_format_from_name("TLV"), CF_NONE);
    assert_int_equal(content_format_from_name(""), CF_NONE);
    assert_int_equal(content_format_from_name(NULL), CF_NONE);
}

static void test_type_names(void **state)
{
    (void)state;
    static const char *const names[] = {"none",   "integer", "unsigned", "float", "boolean",
                                        "string", "opaque",  "time",     "objlnk"};
    for (int t = LV_NONE; t <= LV_OBJLNK; t++) {
        assert_string_equal(lwm2m_type_name((lwm2m_type)t), names[t]);
        if (t != LV_NONE)
            assert_int_equal(lwm2m_type_from_name(names[t]), t);
    }
    assert_string_equal(lwm2m_type_name((lwm2m_type)99), "none");
    assert_int_equal(lwm2m_type_from_name("none"), LV_NONE);
    assert_int_equal(lwm2m_type_from_name("Integer"), LV_NONE);
    assert_int_equal(lwm2m_type_from_name(NULL), LV_NONE);
    assert_int_equal(lwm2m_type_from_name("unsigned integer"), LV_UNSIGNED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_grow_copy_find),
        cmocka_unit_test(test_records_each_type),
        cmocka_unit_test(test_value_text),
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_from_text),
        cmocka_unit_test(test_content_format_names),
        cmocka_unit_test(test_type_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
