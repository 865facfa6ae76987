/* common/base64: RFC 4648 §10 vectors, strict and lenient decoding, and errors that never
 * quote the input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/base64.h"
#include "common/err.h"

static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
static const char *const coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};

static void test_rfc4648_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < 7; i++) {
        char out[16];
        size_t n = base64_encode((const uint8_t *)plain[i], strlen(plain[i]), out, sizeof out);
        assert_int_equal(n, strlen(coded[i]));
        assert_string_equal(out, coded[i]);
        uint8_t back[16];
        size_t len = 99;
        assert_int_equal(base64_decode(coded[i], strlen(coded[i]), back, sizeof back, &len, true, NULL, 0), 0);
        assert_int_equal(len, strlen(plain[i]));
        assert_memory_equal(back, plain[i], len);
    }
}

static void test_sizing_and_truncation(void **state)
{
    (void)state;
    assert_int_equal(base64_encode((const uint8_t *)"foobar", 6, NULL, 0), 8);
    char small[5];
    base64_encode((const uint8_t *)"foobar", 6, small, sizeof small);
    assert_string_equal(small, "Zm9v");
}

static void test_padding_rules(void **state)
{
    (void)state;
    uint8_t out[8];
    size_t len = 0;
    /* lenient: padding may be missing (keys pasted from tools that drop it) */
    assert_int_equal(base64_decode("Zm8", 3, out, sizeof out, &len, false, NULL, 0), 0);
    assert_int_equal(len, 2);
    assert_memory_equal(out, "fo", 2);
    /* strict: whole quads only, canonical bits */
    assert_int_equal(base64_decode("Zm8", 3, out, sizeof out, &len, true, NULL, 0), LC_EINVAL);
    assert_int_equal(base64_decode("Zm9=", 4, out, sizeof out, &len, true, NULL, 0), LC_EINVAL);
    assert_int_equal(base64_decode("Zm9=", 4, out, sizeof out, &len, false, NULL, 0), 0);
}

static void test_errors_do_not_quote_input(void **state)
{
    (void)state;
    uint8_t out[4];
    char why[128];
    assert_int_equal(base64_decode("c2VjcmV0!", 9, out, sizeof out, NULL, false, why, sizeof why), LC_EINVAL);
    assert_non_null(strstr(why, "character 9"));
    assert_null(strstr(why, "c2VjcmV0"));
    assert_int_equal(base64_decode("Zm9vYmFy", 8, out, sizeof out, NULL, false, why, sizeof why), LC_EINVAL);
    assert_non_null(strstr(why, "6 bytes, more than the limit of 4"));
    assert_int_equal(base64_decode("Z", 1, out, sizeof out, NULL, false, why, sizeof why), LC_EINVAL);
    assert_non_null(strstr(why, "truncated"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4648_vectors),
        cmocka_unit_test(test_sizing_and_truncation),
        cmocka_unit_test(test_padding_rules),
        cmocka_unit_test(test_errors_do_not_quote_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
