/* OMA-TLV: known answers derived by hand from LwM2M 1.0 §6.4.3, round trips for every type
 * and every base depth, and malformed input (truncation, bad lengths, random bytes). */
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

/* Encodes at base and checks the exact bytes. */
static void expect_encoding(const char *base, const lwm2m_records *r, const uint8_t *want,
                            size_t want_len)
{
    lwm2m_path b = fx_path(base);
    uint8_t *out = NULL;
    size_t len = 0;
    lc_error err = {0};
    int rc = tlv_encode(&b, r, &out, &len, &err);
    if (rc)
        fail_msg("tlv_encode(%s): %s", base, err.msg);
    assert_non_null(out);
    assert_int_equal(len, want_len);
    assert_memory_equal(out, want, want_len);
    free(out);
}

static void assert_records_equal(const lwm2m_records *a, const lwm2m_records *b)
{
    assert_int_equal(a->count, b->count);
    for (size_t i = 0; i < a->count; i++) {
        char pa[32], pb[32];
        lwm2m_path_format(&a->items[i].path, pa, sizeof pa);
        lwm2m_path_format(&b->items[i].path, pb, sizeof pb);
        assert_string_equal(pa, pb);
        assert_int_equal(a->items[i].type, b->items[i].type);
        if (!record_value_equal(&a->items[i], &b->items[i]))
            fail_msg("value of %s differs", pa);
    }
}

/* The Device object instance of LwM2M 1.0 §6.4.3.1 (Read /3/0). */
static void device_records(lwm2m_records *r)
{
    records_init(r);
    lwm2m_path p;
    records_add_string(r, (p = fx_path("/3/0/0"), &p), "Open Mobile Alliance");
    records_add_string(r, (p = fx_path("/3/0/1"), &p), "Lightweight M2M Client");
    records_add_string(r, (p = fx_path("/3/0/2"), &p), "345000123");
    records_add_string(r, (p = fx_path("/3/0/3"), &p), "1.0");
    records_add_int(r, (p = fx_path("/3/0/6/0"), &p), 1);
    records_add_int(r, (p = fx_path("/3/0/6/1"), &p), 5);
    records_add_int(r, (p = fx_path("/3/0/7/0"), &p), 3800);
    records_add_int(r, (p = fx_path("/3/0/7/1"), &p), 5000);
    records_add_int(r, (p = fx_path("/3/0/8/0"), &p), 125);
    records_add_int(r, (p = fx_path("/3/0/8/1"), &p), 900);
    records_add_int(r, (p = fx_path("/3/0/9"), &p), 100);
    records_add_int(r, (p = fx_path("/3/0/10"), &p), 15);
    records_add_int(r, (p = fx_path("/3/0/11/0"), &p), 0);
    records_add_time(r, (p = fx_path("/3/0/13"), &p), 1367491215);
    records_add_string(r, (p = fx_path("/3/0/14"), &p), "+02:00");
    records_add_string(r, (p = fx_path("/3/0/16"), &p), "U");
}

/* Derived per §6.4.3: type byte = kind<<6 | id16<<5 | lenfield<<3 | short length. */
static const uint8_t device_tlv[] = {
    /* 11 0 01 000: resource, 8-bit id 0, 8-bit length 0x14 = 20 */
    0xC8, 0x00, 0x14, 0x4F, 0x70, 0x65, 0x6E, 0x20, 0x4D, 0x6F, 0x62, 0x69, 0x6C, 0x65, 0x20,
    0x41, 0x6C, 0x6C, 0x69, 0x61, 0x6E, 0x63, 0x65,
    /* id 1, length 0x16 = 22 */
    0xC8, 0x01, 0x16, 0x4C, 0x69, 0x67, 0x68, 0x74, 0x77, 0x65, 0x69, 0x67, 0x68, 0x74, 0x20,
    0x4D, 0x32, 0x4D, 0x20, 0x43, 0x6C, 0x69, 0x65, 0x6E, 0x74,
    /* id 2, length 9 */
    0xC8, 0x02, 0x09, 0x33, 0x34, 0x35, 0x30, 0x30, 0x30, 0x31, 0x32, 0x33,
    /* 11 0 00 011: id 3, length 3 in the type byte */
    0xC3, 0x03, 0x31, 0x2E, 0x30,
    /* 10 0 00 110: multiple resource 6, 6 bytes of resource instances 01 0 00 001 */
    0x86, 0x06, 0x41, 0x00, 0x01, 0x41, 0x01, 0x05,
    /* 10 0 01 000: multiple resource 7, 8-bit length 8; 3800 = 0x0ED8, 5000 = 0x1388 */
    0x88, 0x07, 0x08, 0x42, 0x00, 0x0E, 0xD8, 0x42, 0x01, 0x13, 0x88,
    /* multiple resource 8, length 7: 125 = 0x7D, 900 = 0x0384 */
    0x87, 0x08, 0x41, 0x00, 0x7D, 0x42, 0x01, 0x03, 0x84,
    /* battery level 100, memory free 15 */
    0xC1, 0x09, 0x64, 0xC1, 0x0A, 0x0F,
    /* error code: one instance 0 = 0 */
    0x83, 0x0B, 0x41, 0x00, 0x00,
    /* current time 1367491215 = 0x5182428F (4 bytes) */
    0xC4, 0x0D, 0x51, 0x82, 0x42, 0x8F,
    /* UTC offset "+02:00" */
    0xC6, 0x0E, 0x2B, 0x30, 0x32, 0x3A, 0x30, 0x30,
    /* supported binding "U" */
    0xC1, 0x10, 0x55,
};

static void test_device_instance_known_answer(void **state)
{
    (void)state;
    lwm2m_records r;
    device_records(&r);
    expect_encoding("/3/0", &r, device_tlv, sizeof device_tlv);

    lwm2m_records got;
    records_init(&got);
    lwm2m_path base = fx_path("/3/0");
    lc_error err = {0};
    assert_int_equal(tlv_decode(&base, device_tlv, sizeof device_tlv, objects_type_of, NULL,
                                &got, &err),
                     0);
    assert_records_equal(&got, &r);
    records_free(&got);
    records_free(&r);
}

/* The same instance read as /3 (object level): one object-instance TLV 0 around it. */
static void test_device_object_level(void **state)
{
    (void)state;
    lwm2m_records r;
    device_records(&r);
    size_t n = sizeof device_tlv, h = 3;
    assert_int_equal(n, 121);
    uint8_t *want = malloc(n + h);
    /* 00 0 01 000: object instance, 8-bit id 0, 8-bit length 121 = 0x79 */
    want[0] = 0x08;
    want[1] = 0x00;
    want[2] = 0x79;
    memcpy(want + h, device_tlv, n);
    expect_encoding("/3", &r, want, n + h);

    lwm2m_records got;
    records_init(&got);
    lwm2m_path base = fx_path("/3");
    assert_int_equal(tlv_decode(&base, want, n + h, objects_type_of, NULL, &got, NULL), 0);
    assert_records_equal(&got, &r);
    records_free(&got);
    records_free(&r);
    free(want);
}

/* LwM2M 1.0 §6.4.3.2: Read /2 with Access Control instances 0 and 2. */
static void test_access_control_known_answer(void **state)
{
    (void)state;
    static const uint8_t want[] = {
        /* 00 0 01 000: object instance 0, 8-bit length 14 */
        0x08, 0x00, 0x0E, 0xC1, 0x00, 0x01, 0xC1, 0x01, 0x00,
        /* multiple resource 2 (length 3): instance 127 = 7 */
        0x83, 0x02, 0x41, 0x7F, 0x07, 0xC1, 0x03, 0x7F,
        /* object instance 2, length 18 */
        0x08, 0x02, 0x12, 0xC1, 0x00, 0x03, 0xC1, 0x01, 0x00,
        /* multiple resource 2 (length 7): 127 = 7; 01 1 00 001: 16-bit id 310 = 0x0136 */
        0x87, 0x02, 0x41, 0x7F, 0x07, 0x61, 0x01, 0x36, 0x01, 0xC1, 0x03, 0x7F,
    };
    lwm2m_records r;
    records_init(&r);
    lwm2m_path p;
    records_add_int(&r, (p = fx_path("/2/0/0"), &p), 1);
    records_add_int(&r, (p = fx_path("/2/0/1"), &p), 0);
    records_add_int(&r, (p = fx_path("/2/0/2/127"), &p), 7);
    records_add_int(&r, (p = fx_path("/2/0/3"), &p), 127);
    records_add_int(&r, (p = fx_path("/2/2/0"), &p), 3);
    records_add_int(&r, (p = fx_path("/2/2/1"), &p), 0);
    records_add_int(&r, (p = fx_path("/2/2/2/127"), &p), 7);
    records_add_int(&r, (p = fx_path("/2/2/2/310"), &p), 1);
    records_add_int(&r, (p = fx_path("/2/2/3"), &p), 127);
    expect_encoding("/2", &r, want, sizeof want);

    lwm2m_records got;
    records_init(&got);
    lwm2m_path base = fx_path("/2");
    assert_int_equal(tlv_decode(&base, want, sizeof want, objects_type_of, NULL, &got, NULL),
                     0);
    assert_records_equal(&got, &r);
    records_free(&got);
    records_free(&r);
}

static void test_resource_and_instance_bases(void **state)
{
    (void)state;
    lwm2m_records r;
    lwm2m_path p;

    records_init(&r);
    records_add_string(&r, (p = fx_path("/3/0/3"), &p), "1.0");
    expect_encoding("/3/0/3", &r, (const uint8_t[]){0xC3, 0x03, 0x31, 0x2E, 0x30}, 5);
    records_free(&r);

    records_init(&r);
    records_add_int(&r, (p = fx_path("/3/0/6/0"), &p), 1);
    records_add_int(&r, (p = fx_path("/3/0/6/1"), &p), 5);
    expect_encoding("/3/0/6", &r,
                    (const uint8_t[]){0x86, 0x06, 0x41, 0x00, 0x01, 0x41, 0x01, 0x05}, 8);
    records_free(&r);

    records_init(&r);
    records_add_int(&r, (p = fx_path("/3/0/6/1"), &p), 5);
    expect_encoding("/3/0/6/1", &r, (const uint8_t[]){0x41, 0x01, 0x05}, 3);
    records_free(&r);

    /* No record: an empty payload, still a buffer. */
    records_init(&r);
    expect_encoding("/3/0", &r, (const uint8_t[]){0}, 0);
    expect_encoding("/3", &r, (const uint8_t[]){0}, 0);
}

/* Integers take the shortest of 1, 2, 4, 8 bytes, two's complement. */
static void test_integer_widths(void **state)
{
    (void)state;
    static const struct {
        int64_t v;
        uint8_t bytes[9];
        size_t n;
    } cases[] = {
        {0, {0x00}, 1},
        {127, {0x7F}, 1},
        {128, {0x00, 0x80}, 2},
        {-1, {0xFF}, 1},
        {-128, {0x80}, 1},
        {-129, {0xFF, 0x7F}, 2},
        {32767, {0x7F, 0xFF}, 2},
        {32768, {0x00, 0x00, 0x80, 0x00}, 4},
        {-32769, {0xFF, 0xFF, 0x7F, 0xFF}, 4},
        {2147483647, {0x7F, 0xFF, 0xFF, 0xFF}, 4},
        {2147483648LL, {0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00}, 8},
        {INT64_MIN, {0x80, 0, 0, 0, 0, 0, 0, 0}, 8},
        {INT64_MAX, {0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, 8},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lwm2m_records r;
        records_init(&r);
        lwm2m_path p = fx_path("/1/0/1");
        records_add_int(&r, &p, cases[i].v);
        /* Up to 7 bytes the length sits in the type byte; 8 needs the 8-bit field. */
        uint8_t want[16] = {(uint8_t)(0xC0 | cases[i].n), 0x01, 0x08};
        size_t h = 2;
        if (cases[i].n == 8) {
            want[0] = 0xC8;
            h = 3;
        }
        memcpy(want + h, cases[i].bytes, cases[i].n);
        expect_encoding("/1/0/1", &r, want, cases[i].n + h);

        lwm2m_records got;
        records_init(&got);
        assert_int_equal(tlv_decode(&p, want, cases[i].n + h, objects_type_of, NULL, &got, NULL),
                         0);
        assert_int_equal(got.count, 1);
        assert_int_equal(got.items[0].type, LV_INTEGER);
        assert_true(got.items[0].i == cases[i].v);
        records_free(&got);
        records_free(&r);
    }
}

static lwm2m_type fixed_type(const lwm2m_path *p, void *arg)
{
    (void)p;
    return *(lwm2m_type *)arg;
}

/* Decodes a resource-with-value TLV carrying value bytes v typed as t. */
static int decode_as(lwm2m_type t, const uint8_t *v, size_t n, lwm2m_records *out,
                     lc_error *err)
{
    uint8_t buf[32] = {(uint8_t)(0xC0 | n), 0x05};
    assert_true(n < 8);
    memcpy(buf + 2, v, n);
    lwm2m_path p = fx_path("/9/0/5");
    return tlv_decode(&p, buf, n + 2, fixed_type, &t, out, err);
}

static void test_floats(void **state)
{
    (void)state;
    lwm2m_records r;
    lwm2m_path p = fx_path("/9/0/5");
    /* 1.5 is exact in single precision: 4 bytes 3FC00000. */
    records_init(&r);
    records_add_float(&r, &p, 1.5);
    expect_encoding("/9/0/5", &r, (const uint8_t[]){0xC4, 0x05, 0x3F, 0xC0, 0x00, 0x00}, 6);
    records_free(&r);
    /* 0.1 is not: 8 bytes, 3FB999999999999A. */
    records_init(&r);
    records_add_float(&r, &p, 0.1);
    expect_encoding("/9/0/5", &r,
                    (const uint8_t[]){0xC8, 0x05, 0x08, 0x3F, 0xB9, 0x99, 0x99, 0x99, 0x99,
                                      0x99, 0x9A},
                    11);
    records_free(&r);
    /* Larger than any float: 8 bytes (and no undefined conversion). */
    records_init(&r);
    records_add_float(&r, &p, 1e300);
    uint8_t *out;
    size_t len;
    assert_int_equal(tlv_encode(&p, &r, &out, &len, NULL), 0);
    assert_int_equal(len, 11);
    free(out);
    records_free(&r);

    /* Decode both widths. */
    lwm2m_records got;
    records_init(&got);
    assert_int_equal(decode_as(LV_FLOAT, (const uint8_t[]){0xC0, 0x20, 0x00, 0x00}, 4, &got,
                               NULL),
                     0);
    assert_true(got.items[0].f == -2.5);
    records_free(&got);
    lc_error err = {0};
    assert_int_equal(decode_as(LV_FLOAT, (const uint8_t[]){1, 2, 3}, 3, &got, &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "a float value has 4 or 8 bytes, not 3"));
    assert_int_equal(got.count, 0);
}

static void test_other_types_decode(void **state)
{
    (void)state;
    lwm2m_records got;
    lc_error err = {0};
    records_init(&got);

    assert_int_equal(decode_as(LV_BOOLEAN, (const uint8_t[]){1}, 1, &got, NULL), 0);
    assert_int_equal(got.items[0].type, LV_BOOLEAN);
    assert_true(got.items[0].b);
    records_free(&got);
    assert_int_equal(decode_as(LV_BOOLEAN, (const uint8_t[]){2}, 1, &got, &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "boolean"));
    assert_int_equal(decode_as(LV_BOOLEAN, (const uint8_t[]){0, 1}, 2, &got, &err), LC_EINVAL);

    assert_int_equal(decode_as(LV_OBJLNK, (const uint8_t[]){0x00, 0x03, 0x01, 0x02}, 4, &got,
                               NULL),
                     0);
    assert_int_equal(got.items[0].objlnk[0], 3);
    assert_int_equal(got.items[0].objlnk[1], 0x0102);
    records_free(&got);
    assert_int_equal(decode_as(LV_OBJLNK, (const uint8_t[]){0, 3, 0}, 3, &got, &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "objlnk value has 4 bytes, not 3"));

    assert_int_equal(decode_as(LV_INTEGER, (const uint8_t[]){0, 1, 2}, 3, &got, &err),
                     LC_EINVAL);
    assert_string_equal(err.msg,
                        "TLV: /9/0/5 at offset 0: an integer value has 1, 2, 4 or 8 bytes, not 3");

    assert_int_equal(decode_as(LV_TIME, (const uint8_t[]){0x80, 0, 0, 0}, 4, &got, NULL), 0);
    assert_int_equal(got.items[0].type, LV_TIME);
    assert_true(got.items[0].i == INT32_MIN);
    records_free(&got);

    /* Unsigned: the top bit is magnitude, not sign. */
    assert_int_equal(decode_as(LV_UNSIGNED, (const uint8_t[]){0xFF}, 1, &got, NULL), 0);
    assert_int_equal(got.items[0].type, LV_UNSIGNED);
    assert_true(got.items[0].i == 255);
    records_free(&got);

    /* No hint: raw bytes as opaque. */
    assert_int_equal(tlv_decode(&(lwm2m_path){{9, 0, 5, -1}, 3},
                                (const uint8_t[]){0xC2, 0x05, 0xAB, 0xCD}, 4, NULL, NULL, &got,
                                NULL),
                     0);
    assert_int_equal(got.items[0].type, LV_OPAQUE);
    assert_int_equal(got.items[0].len, 2);
    assert_memory_equal(got.items[0].bytes, ((const uint8_t[]){0xAB, 0xCD}), 2);
    records_free(&got);

    /* Strings keep their bytes and gain a NUL terminator. */
    assert_int_equal(decode_as(LV_STRING, (const uint8_t[]){'a', 'b'}, 2, &got, NULL), 0);
    assert_int_equal(got.items[0].len, 2);
    assert_string_equal((const char *)got.items[0].bytes, "ab");
    records_free(&got);
}

/* Lengths in the type byte up to 7, then 8-, 16- and 24-bit length fields; 16-bit ids. */
static void test_length_and_id_widths(void **state)
{
    (void)state;
    static const struct {
        size_t n;
        uint8_t hdr[6];
        size_t hn;
    } cases[] = {
        {0, {0xC0, 0x01}, 2},
        {7, {0xC7, 0x01}, 2},
        {8, {0xC8, 0x01, 0x08}, 3},
        {255, {0xC8, 0x01, 0xFF}, 3},
        {256, {0xD0, 0x01, 0x01, 0x00}, 4},
        {65535, {0xD0, 0x01, 0xFF, 0xFF}, 4},
        {65536, {0xD8, 0x01, 0x01, 0x00, 0x00}, 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = cases[i].n;
        uint8_t *data = malloc(n + 1);
        for (size_t k = 0; k < n; k++)
            data[k] = (uint8_t)(k * 7);
        lwm2m_records r;
        records_init(&r);
        lwm2m_path p = fx_path("/0/0/1");
        records_add_opaque(&r, &p, data, n);
        uint8_t *want = malloc(n + cases[i].hn);
        memcpy(want, cases[i].hdr, cases[i].hn);
        if (n)
            memcpy(want + cases[i].hn, data, n);
        expect_encoding("/0/0/1", &r, want, n + cases[i].hn);

        lwm2m_records got;
        records_init(&got);
        assert_int_equal(tlv_decode(&p, want, n + cases[i].hn, NULL, NULL, &got, NULL), 0);
        assert_int_equal(got.count, 1);
        assert_int_equal(got.items[0].len, n);
        if (n)
            assert_memory_equal(got.items[0].bytes, data, n);
        records_free(&got);
        records_free(&r);
        free(want);
        free(data);
    }

    /* Resource 300 and object instance 1000 need 16-bit identifiers (bit 5). */
    lwm2m_records r;
    records_init(&r);
    lwm2m_path p = fx_path("/9/1000/300");
    records_add_bool(&r, &p, true);
    expect_encoding("/9", &r,
                    (const uint8_t[]){0x24, 0x03, 0xE8, 0xE1, 0x01, 0x2C, 0x01}, 7);
    records_free(&r);
}

/* A non-shortest but valid encoding (16-bit length field for 2 bytes) is accepted. */
static void test_decode_accepts_long_forms(void **state)
{
    (void)state;
    lwm2m_records got;
    records_init(&got);
    lwm2m_path p = fx_path("/1/0");
    static const uint8_t in[] = {0xD0, 0x01, 0x00, 0x02, 0x01, 0x2C, /* lifetime 300 */
                                 0xE8, 0x00, 0x00, 0x01, 0x01};     /* 16-bit id 0 */
    assert_int_equal(tlv_decode(&p, in, sizeof in, objects_type_of, NULL, &got, NULL), 0);
    assert_int_equal(got.count, 2);
    assert_true(got.items[0].i == 300);
    assert_int_equal(got.items[1].path.ids[2], 0);
    assert_true(got.items[1].i == 1);
    records_free(&got);
}

/* Every type through every base depth, encode then decode. */
static void add_all_types(lwm2m_records *r, int inst)
{
    char s[32];
    lwm2m_path p;
#define AT(fmt) (snprintf(s, sizeof s, fmt, inst), p = fx_path(s), &p)
    records_add_int(r, AT("/9/%d/0"), -70000);
    records_add_unsigned(r, AT("/9/%d/1"), 4000000000u);
    records_add_float(r, AT("/9/%d/2"), -0.3);
    records_add_bool(r, AT("/9/%d/3"), false);
    records_add_string(r, AT("/9/%d/4"), "caf\xc3\xa9");
    records_add_opaque(r, AT("/9/%d/5"), (const uint8_t *)"\x00\x01\xff", 3);
    records_add_time(r, AT("/9/%d/6"), 1700000000);
    records_add_objlnk(r, AT("/9/%d/7"), 3, 0);
    records_add_int(r, AT("/9/%d/8/0"), 1);
    records_add_int(r, AT("/9/%d/8/300"), -1);
    records_add_objlnk(r, AT("/9/%d/9/1"), 65535, 65535);
#undef AT
}

static lwm2m_type all_types_hint(const lwm2m_path *p, void *arg)
{
    (void)arg;
    static const lwm2m_type t[] = {LV_INTEGER, LV_UNSIGNED, LV_FLOAT, LV_BOOLEAN, LV_STRING,
                                   LV_OPAQUE,  LV_TIME,     LV_OBJLNK, LV_INTEGER, LV_OBJLNK};
    return p->depth >= 3 && p->ids[2] < 10 ? t[p->ids[2]] : LV_NONE;
}

static void roundtrip(const char *base, const lwm2m_records *in)
{
    lwm2m_path b = fx_path(base);
    uint8_t *out;
    size_t len;
    lc_error err = {0};
    if (tlv_encode(&b, in, &out, &len, &err))
        fail_msg("encode %s: %s", base, err.msg);
    lwm2m_records got;
    records_init(&got);
    if (tlv_decode(&b, out, len, all_types_hint, NULL, &got, &err))
        fail_msg("decode %s: %s", base, err.msg);
    assert_records_equal(&got, in);
    records_free(&got);
    free(out);
}

static void test_roundtrip_every_depth(void **state)
{
    (void)state;
    lwm2m_records r;
    records_init(&r);
    add_all_types(&r, 0);
    add_all_types(&r, 7);
    roundtrip("/9", &r);
    records_free(&r);

    records_init(&r);
    add_all_types(&r, 1);
    roundtrip("/9/1", &r);
    /* Each resource alone at depth 3, each resource instance alone at depth 4. */
    for (size_t i = 0; i < r.count; i++) {
        lwm2m_records one;
        records_init(&one);
        char b[32];
        lwm2m_path_format(&r.items[i].path, b, sizeof b);
        for (size_t j = 0; j < r.count; j++) {
            lwm2m_path res = r.items[j].path;
            res.depth = 3;
            lwm2m_path mine = r.items[i].path;
            mine.depth = 3;
            if (lwm2m_path_equal(&res, &mine))
                records_add_copy(&one, &r.items[j]);
        }
        lwm2m_path rp = r.items[i].path;
        rp.depth = 3;
        char rb[32];
        lwm2m_path_format(&rp, rb, sizeof rb);
        roundtrip(rb, &one);
        records_free(&one);

        records_init(&one);
        records_add_copy(&one, &r.items[i]);
        roundtrip(b, &one);
        records_free(&one);
    }
    records_free(&r);
}

/* Clients may wrap an instance answer in its object-instance TLV; the id must match. */
static void test_decode_wrapper_tolerated(void **state)
{
    (void)state;
    static const uint8_t wrapped[] = {0x03, 0x01, 0xC1, 0x00, 0x02};
    lwm2m_records got;
    records_init(&got);
    lwm2m_path p = fx_path("/1/1");
    assert_int_equal(tlv_decode(&p, wrapped, sizeof wrapped, objects_type_of, NULL, &got, NULL),
                     0);
    assert_int_equal(got.count, 1);
    char s[32];
    lwm2m_path_format(&got.items[0].path, s, sizeof s);
    assert_string_equal(s, "/1/1/0");
    records_free(&got);

    lc_error err = {0};
    p = fx_path("/1/0");
    assert_int_equal(tlv_decode(&p, wrapped, sizeof wrapped, objects_type_of, NULL, &got, &err),
                     LC_EINVAL);
    assert_string_equal(err.msg, "TLV: an object instance TLV (id 1) at offset 0 cannot appear "
                                 "in a payload for /1/0");
    assert_int_equal(got.count, 0);

    /* A resource-instance TLV alone is fine for a resource base (one level below). */
    p = fx_path("/3/0/6");
    assert_int_equal(tlv_decode(&p, (const uint8_t[]){0x41, 0x01, 0x05}, 3, objects_type_of,
                                NULL, &got, NULL),
                     0);
    lwm2m_path_format(&got.items[0].path, s, sizeof s);
    assert_string_equal(s, "/3/0/6/1");
    records_free(&got);
}

static void expect_decode_error(const char *base, const uint8_t *in, size_t n,
                                const char *msg_part)
{
    lwm2m_records got;
    records_init(&got);
    lwm2m_path p = fx_path("/5/5/5"); /* a record already present must survive the failure */
    records_add_int(&got, &p, 42);
    lwm2m_path b = fx_path(base);
    lc_error err = {0};
    assert_int_equal(tlv_decode(&b, in, n, objects_type_of, NULL, &got, &err), LC_EINVAL);
    if (!strstr(err.msg, msg_part))
        fail_msg("error \"%s\" lacks \"%s\"", err.msg, msg_part);
    assert_int_equal(got.count, 1);
    assert_true(got.items[0].i == 42);
    records_free(&got);
}

static void test_decode_errors(void **state)
{
    (void)state;
    /* Resource 0 (2 bytes), then a resource claiming 12 bytes where 1 is left. */
    static const uint8_t past_end[] = {0xC2, 0x00, 0x00, 0x05, 0xC8, 0x01, 0x0C, 0x41};
    expect_decode_error("/3/0", past_end, sizeof past_end,
                        "TLV: length 12 at offset 4 runs past the end (8 bytes)");
    /* Header cut inside the 16-bit length field. */
    expect_decode_error("/3/0", (const uint8_t[]){0xD0, 0x01, 0x00}, 3,
                        "TLV: header of 4 bytes at offset 0 runs past the end (3 bytes)");
    /* 16-bit id cut. */
    expect_decode_error("/3/0", (const uint8_t[]){0xE1, 0x01}, 2, "header of 3 bytes");
    /* A child running past its parent's end, though not past the payload. */
    static const uint8_t child_past[] = {0x08, 0x00, 0x03, 0xC2, 0x00, 0x00, 0x00, 0x00};
    expect_decode_error("/3", child_past, sizeof child_past,
                        "TLV: length 2 at offset 3 runs past the end of its enclosing TLV "
                        "(offset 6)");
    /* Resource instance directly inside an object instance. */
    expect_decode_error("/3", (const uint8_t[]){0x03, 0x00, 0x41, 0x00, 0x01}, 5,
                        "a resource instance TLV (id 0) at offset 2 cannot appear inside /3/0");
    /* Object instance nested inside an object instance. */
    expect_decode_error("/3", (const uint8_t[]){0x02, 0x00, 0x00, 0x01}, 4,
                        "an object instance TLV (id 1) at offset 2 cannot appear inside /3/0");
    /* Resource directly under an object. */
    expect_decode_error("/3", (const uint8_t[]){0xC1, 0x09, 0x64}, 3,
                        "a resource TLV (id 9) at offset 0 cannot appear in a payload for /3");
    /* A value nested in a multiple resource must be a resource instance. */
    expect_decode_error("/3/0", (const uint8_t[]){0x83, 0x06, 0xC1, 0x00, 0x01}, 5,
                        "cannot appear inside /3/0/6");
    /* Another resource than requested. */
    expect_decode_error("/3/0/9", (const uint8_t[]){0xC1, 0x0A, 0x0F}, 3,
                        "cannot appear in a payload for /3/0/9");
    /* Typed value errors name the path. */
    expect_decode_error("/3/0", (const uint8_t[]){0xC3, 0x09, 0x00, 0x00, 0x64}, 5,
                        "/3/0/9 at offset 0: an integer value has 1, 2, 4 or 8 bytes, not 3");
    /* Any error in a later instance rolls back the earlier ones. */
    static const uint8_t later[] = {0x03, 0x00, 0xC1, 0x09, 0x64, 0x03, 0x01, 0xC1, 0x09};
    expect_decode_error("/3", later, sizeof later, "runs past the end");

    lc_error err = {0};
    lwm2m_records got;
    records_init(&got);
    lwm2m_path root = fx_path("/");
    assert_int_equal(tlv_decode(&root, (const uint8_t[]){0xC1, 0, 0}, 3, NULL, NULL, &got, &err),
                     LC_EINVAL);
    assert_non_null(strstr(err.msg, "root"));
    /* Empty payload: no records, no error. */
    lwm2m_path b = fx_path("/3/0");
    assert_int_equal(tlv_decode(&b, NULL, 0, NULL, NULL, &got, NULL), 0);
    assert_int_equal(got.count, 0);
}

static void expect_encode_error(const char *base, const lwm2m_records *r, const char *msg_part)
{
    lwm2m_path b = fx_path(base);
    uint8_t *out = (uint8_t *)"sentinel";
    size_t len = 99;
    lc_error err = {0};
    assert_int_equal(tlv_encode(&b, r, &out, &len, &err), LC_EINVAL);
    assert_null(out);
    assert_int_equal(len, 0);
    if (!strstr(err.msg, msg_part))
        fail_msg("error \"%s\" lacks \"%s\"", err.msg, msg_part);
}

static void test_encode_errors(void **state)
{
    (void)state;
    lwm2m_records r;
    lwm2m_path p;

    records_init(&r);
    records_add_int(&r, (p = fx_path("/4/0/1"), &p), 1);
    expect_encode_error("/3/0", &r, "TLV: record /4/0/1 is not under the request path /3/0");
    records_free(&r);

    records_init(&r);
    records_add_int(&r, (p = fx_path("/3/0"), &p), 1);
    expect_encode_error("/3", &r, "TLV: record /3/0 is not a resource or a resource instance");
    records_free(&r);

    records_init(&r);
    records_add_int(&r, (p = fx_path("/3/0/6"), &p), 1);
    records_add_int(&r, (p = fx_path("/3/0/6/0"), &p), 1);
    expect_encode_error("/3/0", &r, "records for both /3/0/6 and /3/0/6/0");
    records_free(&r);

    records_init(&r);
    records_add_int(&r, (p = fx_path("/3/0/9"), &p), 1);
    records_add_int(&r, (p = fx_path("/3/0/9"), &p), 2);
    expect_encode_error("/3/0", &r, "two records for /3/0/9");
    expect_encode_error("/", &r, "root path");
    records_free(&r);

    records_init(&r);
    records_add_int(&r, (p = fx_path("/3/0/6/0"), &p), 1);
    records_add_int(&r, (p = fx_path("/3/0/6/1"), &p), 1);
    expect_encode_error("/3/0/6/0", &r, "not under the request path");
    records_free(&r);

    records_init(&r);
    records_add_int(&r, (p = fx_path("/3/0/9"), &p), 1);
    r.items[0].type = LV_NONE;
    expect_encode_error("/3/0", &r, "no value type");
    records_free(&r);
}

/* Tiny deterministic generator: the loop must be reproducible. */
static uint32_t next_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void check_decoded(const lwm2m_path *base, int rc, const lwm2m_records *got)
{
    if (rc == 0) {
        for (size_t k = 0; k < got->count; k++) {
            assert_true(lwm2m_path_is_under(&got->items[k].path, base));
            assert_true(got->items[k].path.depth >= 3);
        }
    } else {
        assert_int_equal(rc, LC_EINVAL);
        assert_int_equal(got->count, 0);
    }
}

/* Every prefix of a valid payload and many random buffers: no crash, no out-of-bounds read
 * (ASan and valgrind watch), either records under base or a clean error. The buffers are
 * heap copies of exactly the tested length so any overread is caught. */
static void test_truncation_and_random_bytes(void **state)
{
    (void)state;
    lwm2m_records r;
    records_init(&r);
    add_all_types(&r, 0);
    add_all_types(&r, 300);
    lwm2m_path obj = fx_path("/9");
    uint8_t *full;
    size_t full_len;
    assert_int_equal(tlv_encode(&obj, &r, &full, &full_len, NULL), 0);
    records_free(&r);

    size_t ok = 0;
    for (size_t n = 0; n <= full_len; n++) {
        uint8_t *cut = malloc(n ? n : 1);
        memcpy(cut, full, n);
        lwm2m_records got;
        records_init(&got);
        int rc = tlv_decode(&obj, cut, n, all_types_hint, NULL, &got, NULL);
        check_decoded(&obj, rc, &got);
        ok += rc == 0;
        records_free(&got);
        free(cut);
    }
    /* Only the empty prefix, the one ending after the first instance and the whole. */
    assert_int_equal(ok, 3);
    free(full);

    static const char *const bases[] = {"/3", "/3/0", "/3/0/6", "/3/0/6/0", "/9"};
    uint32_t seed = 0x1234567u;
    for (int iter = 0; iter < 20000; iter++) {
        size_t n = next_rand(&seed) % 48;
        uint8_t *buf = malloc(n ? n : 1);
        for (size_t k = 0; k < n; k++)
            buf[k] = (uint8_t)next_rand(&seed);
        /* Bias the first byte towards plausible types so nesting gets exercised. */
        if (n && (iter & 1))
            buf[0] = (uint8_t)((buf[0] & 0xC7) | ((n - 3) < 8 ? 0 : 0x08));
        lwm2m_path b = fx_path(bases[iter % 5]);
        lwm2m_records got;
        records_init(&got);
        int rc = tlv_decode(&b, buf, n, iter % 3 ? objects_type_of : NULL, NULL, &got, NULL);
        check_decoded(&b, rc, &got);
        records_free(&got);
        free(buf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_device_instance_known_answer),
        cmocka_unit_test(test_device_object_level),
        cmocka_unit_test(test_access_control_known_answer),
        cmocka_unit_test(test_resource_and_instance_bases),
        cmocka_unit_test(test_integer_widths),
        cmocka_unit_test(test_floats),
        cmocka_unit_test(test_other_types_decode),
        cmocka_unit_test(test_length_and_id_widths),
        cmocka_unit_test(test_decode_accepts_long_forms),
        cmocka_unit_test(test_roundtrip_every_depth),
        cmocka_unit_test(test_decode_wrapper_tolerated),
        cmocka_unit_test(test_decode_errors),
        cmocka_unit_test(test_encode_errors),
        cmocka_unit_test(test_truncation_and_random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
