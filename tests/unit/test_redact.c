/* Secrets never show in part: a message summary redacts the whole payload before it cuts
 * it, and every spelling of a key is redacted (raw, spaced, hex, spaced hex, Base64,
 * Base64url). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "net/endpoint.h"

static const uint8_t key[] = "Printable-PSK-key!"; /* 18 bytes + NUL */
#define KEY_LEN 18

static void test_key_straddling_the_cut(void **state)
{
    (void)state;
    logger *lg = logger_new(stdout, stderr, LOG_LVL_ERROR);
    assert_non_null(lg);
    logger_add_secret(lg, key, KEY_LEN);
    uint8_t payload[400];
    memset(payload, 'a', sizeof payload);
    memcpy(payload + 190, key, KEY_LEN); /* the cut at 200 falls inside the key */
    net_message m = {.code = 0x45, .content_format = 0, .accept = -1, .observe = -1,
                     .payload = payload, .payload_len = sizeof payload};
    char out[1024];
    net_message_summary(&m, false, 200, out, sizeof out);
    assert_non_null(strstr(out, "Printable")); /* unredacted: the first 10 bytes show */
    net_message_summary_redacted(&m, false, 200, lg, out, sizeof out);
    assert_null(strstr(out, "Printable"));
    assert_null(strstr(out, "Printab"));
    logger_free(lg);
}

static void test_every_spelling(void **state)
{
    (void)state;
    logger *lg = logger_new(stdout, stderr, LOG_LVL_ERROR);
    assert_non_null(lg);
    logger_add_secret(lg, key, KEY_LEN);
    const char *spellings[] = {
        "Printable-PSK-key!",
        "P r i n t a b l e - P S K - k e y !",
        "5072696e7461626c652d50534b2d6b657921",
        "5072696E7461626C652D50534B2D6B657921",
        "50 72 69 6e 74 61 62 6c 65 2d 50 53 4b 2d 6b 65 79 21",
        "50 72 69 6E 74 61 62 6C 65 2D 50 53 4B 2D 6B 65 79 21",
        "UHJpbnRhYmxlLVBTSy1rZXkh",
    };
    for (size_t i = 0; i < sizeof spellings / sizeof *spellings; i++) {
        char line[256];
        snprintf(line, sizeof line, "before %s after", spellings[i]);
        logger_redact(lg, line, sizeof line);
        assert_string_equal(line, "before [redacted] after");
    }
    /* a key whose Base64 has '+' and '/': Base64url spells them '-' and '_' */
    const uint8_t bin[] = {0xfb, 0xff, 0xbf, 0xfb, 0xef, 0xfe};
    logger_add_secret(lg, bin, sizeof bin);
    char line[128] = "x -_-_--_- y"; /* base64url of bin; Base64 is "+/+/++/+" */
    logger_redact(lg, line, sizeof line);
    assert_string_equal(line, "x [redacted] y");
    logger_free(lg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_straddling_the_cut),
        cmocka_unit_test(test_every_spelling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
