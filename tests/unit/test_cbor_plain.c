/* application/cbor (60, LwM2M 1.1 §7.4.3): one value as one CBOR item; every type both
 * ways, the bytes for a few, and what is refused. */
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
#define bad(b, x, w) vec_bad(CF_CBOR, b, x, w)

static void test_every_type_roundtrip(void **state)
{
    (void)state;
    lwm2m_records r;
    vec_every_type(&r);
    vec_roundtrip_each(CF_CBOR, &r);
    records_free(&r);
}

static void expect_bytes(const char *path, lwm2m_records *r, const char *hex)
{
    lwm2m_path p = P(path);
    uint8_t *out;
    size_t len, n;
    assert_int_equal(content_encode(CF_CBOR, &p, r, &out, &len, NULL), 0);
    uint8_t *want = vec_hex(hex, &n);
    assert_int_equal(len, n);
    assert_memory_equal(out, want, n);
    free(want);
    free(out);
    records_free(r);
}

static void test_bytes(void **state)
{
    (void)state;
    lwm2m_records r;
    lwm2m_path p = P("/1/0/1");
    records_init(&r);
    records_add_int(&r, &p, 86400);
    expect_bytes("/1/0/1", &r, "1a 00015180");
    p = P("/1/0/6");
    records_init(&r);
    records_add_bool(&r, &p, false);
    expect_bytes("/1/0/6", &r, "f4");
    p = P("/99/0/3");
    records_init(&r);
    records_add_float(&r, &p, 1.5);
    expect_bytes("/99/0/3", &r, "fa 3fc00000");
}

static void test_refused(void **state)
{
    (void)state;
    bad("/3/0/9", "", "CBOR: the payload ends at byte 0");
    bad("/3/0/9", "01 02", "CBOR: 1 bytes after the value, from byte 1");
    bad("/3/0", "01", "CBOR carries a single resource value; /3/0 is not a resource");
    bad("/3/0/9", "f6", "CBOR: /3/0/9: null is not a value");
    bad("/3/0/9", "f9 3e00", "CBOR: /3/0/9: the value is 1.5, not an integer (64 bits)");
    bad("/99/0/8", "63 333a78", "CBOR: /99/0/8: \"3:x\" is not a valid objlnk");
    lwm2m_records r;
    records_init(&r);
    lwm2m_path p = P("/3/0/9");
    uint8_t *out;
    size_t len;
    lc_error err = {0};
    assert_int_equal(content_encode(CF_CBOR, &p, &r, &out, &len, &err), LC_EINVAL);
    assert_string_equal(err.msg, "CBOR carries exactly one value, at /3/0/9");
    /* A string that is not UTF-8 cannot be a CBOR text string, in any CBOR format. */
    p = P("/3/0/0");
    records_add_string_n(&r, &p, "\xff\xfe", 2);
    static const int cfs[] = {CF_CBOR, CF_SENML_CBOR, CF_LWM2M_CBOR};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(content_encode(cfs[i], &p, &r, &out, &len, &err), LC_EINVAL);
        assert_non_null(strstr(err.msg, "/3/0/0: the string is not valid UTF-8 (send it as opaque)"));
    }
    records_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type_roundtrip),
        cmocka_unit_test(test_bytes),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
