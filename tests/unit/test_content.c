/* content_encode / content_decode dispatch by content format. */
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

/* Each data format round-trips a value through the dispatcher and produces what the
 * format's own entry point produces. */
static void test_dispatch_roundtrip(void **state)
{
    (void)state;
    static const int formats[] = {CF_TEXT,     CF_TEXT_LEGACY, CF_TLV,       CF_TLV_LEGACY,
                                  CF_OMA_JSON, CF_JSON_LEGACY, CF_SENML_JSON, CF_SENML_CBOR,
                                  CF_LWM2M_CBOR, CF_CBOR};
    lwm2m_path p = fx_path("/1/0/1");
    lwm2m_records r;
    records_init(&r);
    records_add_int(&r, &p, 86400);
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        uint8_t *out;
        size_t len;
        lc_error err = {0};
        if (content_encode(formats[i], &p, &r, &out, &len, &err))
            fail_msg("%d: %s", formats[i], err.msg);
        lwm2m_records got;
        records_init(&got);
        if (content_decode(formats[i], &p, out, len, objects_type_of, NULL, &got, &err))
            fail_msg("%d: %s", formats[i], err.msg);
        assert_int_equal(got.count, 1);
        assert_true(record_value_equal(&got.items[0], &r.items[0]));
        records_free(&got);
        free(out);
    }
    /* The bytes really are the format's: text "86400", TLV C4 01 00 01 51 80. */
    uint8_t *out;
    size_t len;
    assert_int_equal(content_encode(CF_TEXT, &p, &r, &out, &len, NULL), 0);
    assert_int_equal(len, 5);
    assert_memory_equal(out, "86400", 5);
    free(out);
    assert_int_equal(content_encode(CF_TLV, &p, &r, &out, &len, NULL), 0);
    assert_int_equal(len, 6);
    assert_memory_equal(out, ((const uint8_t[]){0xC4, 0x01, 0x00, 0x01, 0x51, 0x80}), 6);
    free(out);
    records_free(&r);

    records_init(&r);
    p = fx_path("/0/0/5");
    records_add_opaque(&r, &p, (const uint8_t *)"\x01\x02", 2);
    assert_int_equal(content_encode(CF_OPAQUE, &p, &r, &out, &len, NULL), 0);
    assert_int_equal(len, 2);
    lwm2m_records got;
    records_init(&got);
    assert_int_equal(content_decode(CF_OPAQUE, &p, out, len, NULL, NULL, &got, NULL), 0);
    assert_true(record_value_equal(&got.items[0], &r.items[0]));
    free(out);
    records_free(&got);
    records_free(&r);
}

static void test_unsupported(void **state)
{
    (void)state;
    lwm2m_path p = fx_path("/3/0");
    lwm2m_records r, got;
    records_init(&r);
    records_init(&got);
    uint8_t *out = (uint8_t *)"x";
    size_t len = 1;
    lc_error err = {0};

    assert_int_equal(content_encode(CF_LINK_FORMAT, &p, &r, &out, &len, &err), LC_EUNSUPPORTED);
    assert_null(out);
    assert_int_equal(len, 0);
    assert_int_equal(content_decode(CF_LINK_FORMAT, &p, NULL, 0, NULL, NULL, &got, &err),
                     LC_EUNSUPPORTED);
    assert_non_null(strstr(err.msg, "carries links, not values"));
    assert_int_equal(content_encode(999, &p, &r, &out, &len, &err), LC_EUNSUPPORTED);
    assert_string_equal(err.msg,
                        "content format 999 is not an LwM2M value format this tool knows");
    assert_int_equal(content_decode(CF_NONE, &p, NULL, 0, NULL, NULL, &got, NULL),
                     LC_EUNSUPPORTED);
    assert_int_equal(got.count, 0);
}

/* Errors from the formats come through with their messages. */
static void test_errors_pass_through(void **state)
{
    (void)state;
    lwm2m_path p = fx_path("/3/0");
    lwm2m_records got;
    records_init(&got);
    lc_error err = {0};
    static const uint8_t bad[] = {0xC8, 0x00, 0x10, 0x41};
    assert_int_equal(content_decode(CF_TLV, &p, bad, sizeof bad, NULL, NULL, &got, &err),
                     LC_EINVAL);
    assert_string_equal(err.msg, "TLV: length 16 at offset 0 runs past the end (4 bytes)");
    p = fx_path("/3/0/9");
    assert_int_equal(content_decode(CF_TEXT, &p, (const uint8_t *)"x", 1, objects_type_of, NULL,
                                    &got, &err),
                     LC_EINVAL);
    assert_non_null(strstr(err.msg, "is not a valid integer"));
    assert_int_equal(got.count, 0);
}

/* The table: legacy numbers reach the current codecs, each codec is listed once, in
 * Content-Format order, under its own number. */
static void test_codec_table(void **state)
{
    (void)state;
    assert_ptr_equal(content_codec_find(CF_TEXT_LEGACY), &text_codec);
    assert_ptr_equal(content_codec_find(CF_TLV_LEGACY), &tlv_codec);
    assert_ptr_equal(content_codec_find(CF_JSON_LEGACY), &omajson_codec);
    assert_int_equal(content_format_canonical(1541), CF_TEXT);
    assert_int_equal(content_format_canonical(1542), CF_TLV);
    assert_int_equal(content_format_canonical(1543), CF_OMA_JSON);
    assert_int_equal(content_format_canonical(CF_SENML_JSON), CF_SENML_JSON);
    assert_int_equal(content_format_canonical(CF_LINK_FORMAT), CF_LINK_FORMAT);
    assert_null(content_codec_find(CF_LINK_FORMAT));
    assert_string_equal(content_format_name(CF_TEXT_LEGACY), "text/plain");
    assert_string_equal(content_format_name(CF_LWM2M_CBOR), "application/vnd.oma.lwm2m+cbor");
    assert_int_equal(content_format_from_name("lwm2m-cbor"), CF_LWM2M_CBOR);
    int last = -1;
    size_t i = 0;
    for (const content_codec *c; (c = content_codec_at(i)) != NULL; i++) {
        assert_true(c->cf > last);
        assert_ptr_equal(content_codec_find(c->cf), c);
        assert_int_equal(content_format_from_name(c->short_name), c->cf);
        last = c->cf;
    }
    assert_true(i >= 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codec_table),
        cmocka_unit_test(test_dispatch_roundtrip),
        cmocka_unit_test(test_unsupported),
        cmocka_unit_test(test_errors_pass_through),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
