/* LwM2M CBOR (11544, LwM2M 1.2): vectors in the shapes of LwM2M 1.2 core §7.4.6 (nested
 * maps, and keys that are arrays of ids), written out here in hex; exact encodings; round
 * trips for every type; each malformed shape refused with a message naming the path or
 * the key and the byte. */
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
#define ok(b, x, r) vec_ok(CF_LWM2M_CBOR, b, x, r)
#define bad(b, x, w) vec_bad(CF_LWM2M_CBOR, b, x, w)
#define at vec_at
#define roundtrip(b, r) vec_roundtrip(CF_LWM2M_CBOR, b, r)

static void expect_encoding(const char *base, const lwm2m_records *r, const char *hex)
{
    lwm2m_path b = P(base);
    uint8_t *out;
    size_t len, want_len;
    lc_error err = {0};
    if (content_encode(CF_LWM2M_CBOR, &b, r, &out, &len, &err))
        fail_msg("encode %s: %s", base, err.msg);
    uint8_t *want = vec_hex(hex, &want_len);
    assert_int_equal(len, want_len);
    assert_memory_equal(out, want, len);
    free(want);
    free(out);
}

/* LwM2M 1.2 §7.4.6, the Device /3/0 Read in both shapes the section allows: one map per
 * level, {3: {0: {0: "Open Mobile Alliance", 6: {0: 1, 1: 5}, 13: 1367491215}}}, and with
 * arrays of ids as keys, {[3, 0]: {0: "Open Mobile Alliance", [6, 0]: 1, [6, 1]: 5,
 * 13: 1367491215}}. Both decode to the same records. */
static const char DEVICE_NESTED[] = "a1 03 a1 00 a3"
                                    " 00 74 4f70656e204d6f62696c6520416c6c69616e6365"
                                    " 06 a2 00 01 01 05"
                                    " 0d 1a 5182428f";
static const char DEVICE_ARRAY_KEYS[] = "a1 82 03 00 a4"
                                        " 00 74 4f70656e204d6f62696c6520416c6c69616e6365"
                                        " 82 06 00 01 82 06 01 05"
                                        " 0d 1a 5182428f";

static void test_lwm2m12_device_read(void **state)
{
    (void)state;
    const char *const shapes[] = {DEVICE_NESTED, DEVICE_ARRAY_KEYS};
    for (size_t s = 0; s < 2; s++) {
        lwm2m_records r;
        ok("/3/0", shapes[s], &r);
        assert_int_equal(r.count, 4);
        assert_string_equal((const char *)at(&r, "/3/0/0")->bytes, "Open Mobile Alliance");
        assert_int_equal(at(&r, "/3/0/6/0")->i, 1);
        assert_int_equal(at(&r, "/3/0/6/1")->i, 5);
        assert_int_equal(at(&r, "/3/0/13")->type, LV_TIME);
        assert_int_equal(at(&r, "/3/0/13")->i, 1367491215);
        records_free(&r);
    }
    /* Indefinite maps (as Anjay writes them) and strings (as Jackson writes long ones). */
    lwm2m_records ind;
    ok("/3/0", "bf 82 03 00 bf 00 7f 63 4f7065 61 6e ff ff ff", &ind);
    assert_int_equal(ind.count, 1);
    assert_string_equal((const char *)ind.items[0].bytes, "Open");
    records_free(&ind);
    /* Read from the root: the same payload names full paths. */
    lwm2m_records r;
    ok("/", DEVICE_NESTED, &r);
    assert_int_equal(r.count, 4);
    records_free(&r);
}

/* Issue 9's Bootstrap-Read of /1 in LwM2M CBOR, as this encoder writes it: the request
 * path as the root key, one map per level below. */
static void test_bootstrap_read_server(void **state)
{
    (void)state;
    static const char BS[] = "a1 01 a1 00 a4 00 01 01 1a 00015180 06 f4 07 61 55";
    lwm2m_records r;
    ok("/1", BS, &r);
    assert_int_equal(r.count, 4);
    assert_int_equal(at(&r, "/1/0/1")->i, 86400);
    assert_int_equal(at(&r, "/1/0/6")->type, LV_BOOLEAN);
    assert_string_equal((const char *)at(&r, "/1/0/7")->bytes, "U");
    expect_encoding("/1", &r, BS);
    records_free(&r);
}

static void test_encode_exact(void **state)
{
    (void)state;
    lwm2m_records r;
    lwm2m_path p;
    /* A single resource read: the whole path as an array key. */
    records_init(&r);
    records_add_string(&r, (p = P("/3/0/0"), &p), "Open Mobile Alliance");
    expect_encoding("/3/0/0", &r, "a1 83 03 00 00 74 4f70656e204d6f62696c6520416c6c69616e6365");
    records_free(&r);
    /* Out of order records come out in id order; the root map from "/". */
    records_init(&r);
    records_add_int(&r, (p = P("/3/0/6/1"), &p), 5);
    records_add_int(&r, (p = P("/3/0/6/0"), &p), 1);
    expect_encoding("/3/0/6", &r, "a1 83 03 00 06 a2 00 01 01 05");
    expect_encoding("/", &r, "a1 03 a1 00 a1 06 a2 00 01 01 05");
    records_free(&r);
    /* Every type's leaf. */
    vec_every_type(&r);
    expect_encoding("/99/0", &r,
                    "a1 82 18 63 00 a8"
                    " 01 3a 0001116f"          /* -70000 */
                    " 02 1a ee6b2800"          /* 4000000000 */
                    " 03 fb bfd3333333333333"  /* -0.3 */
                    " 04 f5"
                    " 05 69 636166c3a9202271 22"
                    " 06 43 0001ff"
                    " 07 1a 6553f100"
                    " 08 63 333a30");
    records_free(&r);
    records_init(&r);
    expect_encoding("/3/0", &r, "a0");
    records_free(&r);

    /* Two values for one path cannot be written. */
    lc_error err = {0};
    uint8_t *out;
    size_t len;
    records_init(&r);
    records_add_int(&r, (p = P("/3/0/9"), &p), 1);
    records_add_int(&r, (p = P("/3/0/9"), &p), 2);
    lwm2m_path b = P("/3/0");
    assert_int_equal(content_encode(CF_LWM2M_CBOR, &b, &r, &out, &len, &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "LwM2M CBOR: /3/0/9 has two values"));
    records_free(&r);
}

static void test_roundtrip_every_type(void **state)
{
    (void)state;
    lwm2m_records r;
    vec_every_type(&r);
    roundtrip("/", &r);
    roundtrip("/99", &r);
    roundtrip("/99/0", &r);
    vec_roundtrip_each(CF_LWM2M_CBOR, &r);
    records_free(&r);
    lwm2m_path p;
    records_init(&r);
    records_add_int(&r, (p = P("/99/0/1"), &p), INT64_MIN);
    records_add_int(&r, (p = P("/99/1/1"), &p), INT64_MAX);
    records_add_float(&r, (p = P("/99/1/3"), &p), 1.5);
    records_add_int(&r, (p = P("/3/0/7/0"), &p), 3800);
    records_add_int(&r, (p = P("/3/0/7/1"), &p), 5000);
    roundtrip("/", &r);
    records_free(&r);
}

static void test_malformed(void **state)
{
    (void)state;
    bad("/3/0", "", "LwM2M CBOR: the payload is empty");
    bad("/3/0", "80", "LwM2M CBOR: the payload is an array, not a map");
    bad("/3/0", "a1 61 33 01", "LwM2M CBOR: under /, the key at byte 1 is a text string");
    bad("/3/0", "a1 03 a1 1a 00010000 01",
        "LwM2M CBOR: under /3, the key at byte 3: an unsigned integer at byte 3 is not a path id");
    bad("/3/0", "a1 82 03 20 01", "the key at byte 1: a negative integer at byte 3 is not a path id");
    bad("/3/0", "a1 80 01", "LwM2M CBOR: under /, the key at byte 1 is an empty array");
    bad("/3/0", "a1 85 03 00 06 00 01 01", "LwM2M CBOR: the key at byte 1 goes below /3/0/6/0");
    bad("/3/0", "a1 84 03 00 06 00 a1 00 01",
        "LwM2M CBOR: a map at byte 6 below the resource instance /3/0/6/0");
    bad("/3", "a1 03 a1 00 01",
        "LwM2M CBOR: /3/0 (byte 4) is an object or object instance, given a value");
    bad("/3/0", "a1 83 01 00 01 01", "LwM2M CBOR: /1/0/1 (byte 5) is not under the request path /3/0");
    bad("/3/0", "a1 83 03 00 09 f9 3e00",
        "LwM2M CBOR: /3/0/9 (byte 5): the value is 1.5, not an integer (64 bits)");
    bad("/3/0", "a1 83 03 00 00 f6", "LwM2M CBOR: /3/0/0 (byte 5): null is not a value");
    bad("/3/0", "a1 83 03 00 00 80", "LwM2M CBOR: /3/0/0 (byte 5): an array is not a value");
    bad("/99/0", "a1 83 18 63 00 08 61 33", "LwM2M CBOR: /99/0/8 (byte 6): \"3\" is not a valid objlnk");
    bad("/3/0", "a0 00", "LwM2M CBOR: 1 bytes after the root map, from byte 1");
    bad("/3/0", "a1 83 03 00 00 74 4f70", "LwM2M CBOR: the item at byte 5 runs past the end");
    bad("/3/0", "bf 83 03 00 00 01", "LwM2M CBOR: the payload ends at byte 6");
    bad("/3/0", "bb ffffffffffffffff 83 03 00 00 01", "the payload ends at byte 14");
    bad("/3/0", "a1 83 03 00 00 7f 61 61", "LwM2M CBOR: the payload ends at byte 8");
    /* The second value is bad: the first is not kept. */
    bad("/3/0", "a1 82 03 00 a2 00 61 61 09 f9 3e00", "/3/0/9 (byte 9): the value is 1.5");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lwm2m12_device_read),
        cmocka_unit_test(test_bootstrap_read_server),
        cmocka_unit_test(test_encode_exact),
        cmocka_unit_test(test_roundtrip_every_type),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
