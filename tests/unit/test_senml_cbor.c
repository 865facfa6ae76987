/* SenML CBOR (112): vectors from RFC 8428 §6 and the LwM2M 1.1 core (§7.4.5), written out
 * here in hex, exact encodings, round trips for every type, and each malformed shape
 * refused with a message naming the record and the field. */
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
#define ok(b, x, r) vec_ok(CF_SENML_CBOR, b, x, r)
#define bad(b, x, w) vec_bad(CF_SENML_CBOR, b, x, w)
#define at vec_at
#define roundtrip(b, r) vec_roundtrip(CF_SENML_CBOR, b, r)

/* Issue 9's Bootstrap-Read of /1 in the CBOR labels of LwM2M 1.1 §7.4.5 / RFC 8428 §6:
 * [{-2:"/1/", 0:"0/0", 2:1}, {0:"0/1", 2:86400}, {0:"0/6", 4:false}, {0:"0/7", 3:"U"}] */
static const char BOOTSTRAP_READ_1[] =
    "84"
    "a3 21 63 2f312f 00 63 302f30 02 01"
    "a2 00 63 302f31 02 1a 00015180"
    "a2 00 63 302f36 04 f4"
    "a2 00 63 302f37 03 61 55";

static void test_bootstrap_read_server(void **state)
{
    (void)state;
    lwm2m_records r;
    ok("/1", BOOTSTRAP_READ_1, &r);
    assert_int_equal(r.count, 4);
    assert_int_equal(at(&r, "/1/0/0")->i, 1);
    assert_int_equal(at(&r, "/1/0/1")->i, 86400);
    assert_int_equal(at(&r, "/1/0/6")->type, LV_BOOLEAN);
    assert_false(at(&r, "/1/0/6")->b);
    assert_string_equal((const char *)at(&r, "/1/0/7")->bytes, "U");

    /* The encoder writes exactly these bytes for these values. */
    lwm2m_path b = P("/1");
    uint8_t *out;
    size_t len, want_len;
    assert_int_equal(content_encode(CF_SENML_CBOR, &b, &r, &out, &len, NULL), 0);
    uint8_t *want = vec_hex(BOOTSTRAP_READ_1, &want_len);
    assert_int_equal(len, want_len);
    assert_memory_equal(out, want, len);
    free(want);
    free(out);
    records_free(&r);
}

/* LwM2M 1.1 §7.4.5: part of the Device /3/0 Read of §7.4.4 in SenML CBOR, the time resource
 * as a 32-bit unsigned integer. */
static void test_lwm2m11_device_read(void **state)
{
    (void)state;
    lwm2m_records r;
    ok("/3/0",
       "83"
       "a3 21 65 2f332f302f 00 61 30 03 74 4f70656e204d6f62696c6520416c6c69616e6365"
       "a2 00 63 362f30 02 01"
       "a2 00 62 3133 02 1a 5182428f",
       &r);
    assert_int_equal(r.count, 3);
    assert_string_equal((const char *)at(&r, "/3/0/0")->bytes, "Open Mobile Alliance");
    assert_int_equal(at(&r, "/3/0/6/0")->i, 1);
    assert_int_equal(at(&r, "/3/0/13")->type, LV_TIME);
    assert_int_equal(at(&r, "/3/0/13")->i, 1367491215);
    records_free(&r);
}

/* RFC 8428 §6 (the CBOR form of the §5.1.2 pack: bver, bn, bt, bu, then records named by
 * bn alone with relative times), in LwM2M names; values as half, single and double floats. */
static void test_rfc8428_cbor_pack(void **state)
{
    (void)state;
    lwm2m_records r;
    ok("/3303/0",
       "83"
       "a6 20 0a 21 6c 2f333330332f302f35373030 22 1a 4eaea188 23 63 43656c 02 f9 4da0 06 24"
       "a2 02 fa 41b80000 06 23"
       "a1 02 fb 403719999999999a",
       &r);
    assert_int_equal(r.count, 3);
    assert_true(r.items[0].type == LV_FLOAT && r.items[0].f == 22.5);
    assert_true(r.items[1].f == 23.0 && r.items[2].f == 23.1);
    assert_true(r.items[0].has_time && r.items[0].time == 1320067459.0);
    assert_true(r.items[1].time == 1320067460.0);
    assert_true(r.items[2].time == 1320067464.0);
    for (size_t i = 0; i < 3; i++)
        assert_true(lwm2m_path_equal(&r.items[i].path, &(lwm2m_path){{3303, 0, 5700, -1}, 3}));
    records_free(&r);
}

/* "vlo" is a text label; vd a byte string; indefinite-length arrays, maps and strings are
 * read;
 * a tag (epoch time, tag 1) is read through; unknown labels are skipped whatever they hold. */
static void test_vlo_vd_indefinite_tags(void **state)
{
    (void)state;
    lwm2m_records r;
    ok("/99/0",
       "9f"
       "bf 21 67 2f39392f302f38 63 766c6f 63 333a30 ff"
       "a2 21 67 2f39392f302f36 08 43 0001ff"
       "a3 21 67 2f39392f302f37 02 c1 1a 6553f100 18 63 82 01 a1 01 02"
       "ff",
       &r);
    assert_int_equal(r.count, 3);
    assert_int_equal(r.items[0].type, LV_OBJLNK);
    assert_int_equal(r.items[0].objlnk[0], 3);
    assert_int_equal(r.items[1].type, LV_OPAQUE);
    assert_int_equal(r.items[1].len, 3);
    assert_memory_equal(r.items[1].bytes, "\x00\x01\xff", 3);
    assert_int_equal(r.items[2].type, LV_TIME);
    assert_int_equal(r.items[2].i, 1700000000);
    records_free(&r);

    /* Indefinite-length strings (as Jackson's CBOR writer sends long ones) are joined. */
    ok("/3/0",
       "81 a2 21 7f 63 2f332f 63 302f30 ff 03 7f 64 4f70656e 60 64 204d6f62 ff", &r);
    assert_int_equal(r.count, 1);
    assert_string_equal((const char *)r.items[0].bytes, "Open Mob");
    records_free(&r);
    ok("/99/0", "81 a2 21 67 2f39392f302f36 08 5f 42 0001 41 ff ff", &r);
    assert_int_equal(r.items[0].len, 3);
    assert_memory_equal(r.items[0].bytes, "\x00\x01\xff", 3);
    records_free(&r);

    ok("/3/0", "80", &r);
    assert_int_equal(r.count, 0);
    records_free(&r);
    ok("/3/0", "9f ff", &r);
    assert_int_equal(r.count, 0);
    records_free(&r);
}

static void test_roundtrip_every_type(void **state)
{
    (void)state;
    lwm2m_records r;
    vec_every_type(&r);
    r.items[0].has_time = true;
    r.items[0].time = 1700000000;
    r.items[2].has_time = true;
    r.items[2].time = -2.5;
    roundtrip("/", &r);
    roundtrip("/99", &r);
    roundtrip("/99/0", &r);
    vec_roundtrip_each(CF_SENML_CBOR, &r);
    records_free(&r);
    /* Floats: exact in single precision go out in 4 bytes, others in 8; extremes of the
     * integers survive. */
    lwm2m_path p;
    records_init(&r);
    records_add_float(&r, (p = P("/99/0/3"), &p), 0.1);
    records_add_float(&r, (p = P("/99/1/3"), &p), 1.5);
    records_add_int(&r, (p = P("/99/0/1"), &p), INT64_MIN);
    records_add_int(&r, (p = P("/99/1/1"), &p), INT64_MAX);
    roundtrip("/99", &r);
    records_free(&r);
}

static void test_malformed(void **state)
{
    (void)state;
    bad("/3/0", "", "SenML CBOR: the payload is empty");
    bad("/3/0", "a0", "SenML CBOR: the payload is a map, not an array of records");
    bad("/3/0", "81 01", "SenML CBOR: record 0: is an unsigned integer at byte 1, not a map");
    bad("/3/0", "81 ff", "SenML CBOR: record 0: is a break at byte 1, not a map");
    bad("/3/0", "81 a1 21 66 2f332f302f",
        "SenML CBOR: record 0: the item at byte 3 runs past the end of the payload (9 bytes)");
    bad("/3/0", "82 a2 21 66 2f332f302f30 03 61 61 a1 03 05",
        "SenML CBOR: record 1: \"vs\" (label 3) must be a text string, not an unsigned integer "
        "at byte 15");
    bad("/3/0", "81 a2 21 66 2f332f302f30 04 01",
        "record 0: \"vb\" (label 4) must be true or false, not an unsigned integer");
    bad("/99/0", "81 a2 21 67 2f39392f302f36 08 61 41",
        "record 0: \"vd\" (label 8) must be a byte string, not a text string");
    bad("/99/0", "81 a2 21 67 2f39392f302f38 63 766c6f 01",
        "record 0: \"vlo\" must be a text string, not an unsigned integer");
    bad("/3/0", "81 a2 21 66 2f332f302f39 02 61 31",
        "record 0: \"v\" (label 2) must be a number, not a text string");
    bad("/3/0", "81 a3 21 66 2f332f302f39 02 01 21 61 2f",
        "record 0: label \"bn\" appears twice (byte 12)");
    bad("/3/0", "81 a3 21 66 2f332f302f30 03 61 61 02 01",
        "record 0: has both \"vs\" and \"v\"; a record carries one value");
    bad("/3/0", "81 a3 21 66 2f332f302f30 03 61 61 62 785f 01",
        "record 0: label \"x_\" must be understood");
    bad("/3/0", "81 a2 21 66 2f332f302f30 f6 01",
        "record 0: a label is null at byte 10 (integer or text expected)");
    bad("/3/0", "81 a1 21 65 2f332f302f", "record 0: the name \"/3/0/\" (bn + n) is not an absolute");
    bad("/3/0", "81 a1 21 66 2f332f302f30", "record 0: /3/0/0 has no value");
    bad("/3/0", "81 a2 21 66 2f332f302f39 02 f9 3e00",
        "record 0: /3/0/9: \"v\" is 1.5, not an integer (64 bits)");
    bad("/3/0", "80 00", "SenML CBOR: 1 bytes after the pack, from byte 1");
    bad("/3/0", "81 a2 21 7f 61 2f 41 33 ff 03 61 61",
        "record 0: the indefinite-length string at byte 3 holds a byte string at byte 6");
    bad("/3/0", "81 a2 21 7f 61 2f 7f ff ff 03 61 61",
        "record 0: the indefinite-length string at byte 3 holds another indefinite string at "
        "byte 6");
    bad("/3/0", "81 a2 21 7f 61 2f", "record 0: the payload ends at byte 6");
    bad("/3/0", "81 a2 21 7f 61 c3 61 28 ff 03 61 61",
        "record 0: the text string at byte 3 is not valid UTF-8"); /* split across chunks */
    bad("/3/0", "81 a2 21 66 2f332f302f30 03 62 c3 28",
        "record 0: the text string at byte 11 is not valid UTF-8");
    bad("/3/0", "81 a2 21 66 2f332f302f30 03 62 c0 80", "is not valid UTF-8"); /* overlong */
    bad("/3/0", "81 a2 21 66 2f332f302f30 03 63 ed a0 80", "is not valid UTF-8"); /* surrogate */
    /* Declared lengths far beyond the payload cost nothing and are refused. */
    bad("/3/0", "9b ffffffffffffffff", "SenML CBOR: record 0: the payload ends at byte 9");
    bad("/3/0", "81 a1 21 7b ffffffffffffffff", "record 0: the item at byte 3 runs past the end");
    bad("/3/0", "81 bb ffffffffffffffff 21", "record 0: the payload ends at byte 11");
    /* An unknown label's value nested 17 deep. */
    bad("/3/0",
        "81 a3 21 66 2f332f302f30 03 61 61 18 63 8181818181818181 8181818181818181 81 00",
        "record 0: containers nested more than 16 deep");
    /* The second record is bad: the first is not kept. */
    bad("/3/0", "82 a2 21 66 2f332f302f30 03 61 61 a1 00 61 31", "record 1: /3/0/1 has no value");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bootstrap_read_server),
        cmocka_unit_test(test_lwm2m11_device_read),
        cmocka_unit_test(test_rfc8428_cbor_pack),
        cmocka_unit_test(test_vlo_vd_indefinite_tags),
        cmocka_unit_test(test_roundtrip_every_type),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
