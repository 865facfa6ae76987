/* The JSON Pointer position finder the loader uses for FILE:LINE:COLUMN. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/err.h"
#include "tc/jsonpos.h"

static const char doc[] =
    "{\n"                                              /* 1 */
    "  \"id\": \"x\",\n"                               /* 2 */
    "  \"a/b\": {\"~k\": 1},\n"                        /* 3 */
    "  \"s\\\"q\": \"v}]\",\n"                         /* 4: key s"q, a value with brackets */
    "  \"steps\": [\n"                                 /* 5 */
    "    {\"step\": 1, \"op\": \"read\"},\n"           /* 6 */
    "    {\"step\": 2, \"op\": \"discoverr\", \"n\": [[1, 2], {\"x\": [3]}]},\n" /* 7 */
    "    {\"t\": \"\xc3\xa9t\xc3\xa9\", \"op\": null}\n" /* 8: two 2-byte characters */
    "  ],\n"                                           /* 9 */
    "  \"\\u00e9\": true\n"                            /* 10: key é, escaped */
    "}\n";

static void expect_at(const char *ptr, int rc, int line, int col, int key_line, int key_col)
{
    jsonpos p;
    int got = jsonpos_find(doc, strlen(doc), ptr, &p);
    if (got != rc || p.line != line || p.column != col || p.key_line != key_line ||
        p.key_column != key_col)
        fail_msg("%s: rc %d at %d:%d key %d:%d; expected rc %d at %d:%d key %d:%d", ptr, got,
                 p.line, p.column, p.key_line, p.key_column, rc, line, col, key_line, key_col);
}

static void test_found(void **state)
{
    (void)state;
    expect_at("", 0, 1, 1, 0, 0);
    expect_at("/id", 0, 2, 9, 2, 3);
    expect_at("/a~1b", 0, 3, 10, 3, 3);
    expect_at("/a~1b/~0k", 0, 3, 17, 3, 11);
    expect_at("/s\"q", 0, 4, 11, 4, 3);
    expect_at("/steps", 0, 5, 12, 5, 3);
    expect_at("/steps/0", 0, 6, 5, 0, 0);
    expect_at("/steps/1/op", 0, 7, 23, 7, 17);
    expect_at("/steps/1/n/1/x/0", 0, 7, 57, 0, 0);
    /* Columns count characters, not bytes. */
    expect_at("/steps/2/op", 0, 8, 24, 8, 18);
    expect_at("/\xc3\xa9", 0, 10, 13, 10, 3);
}

static void test_not_found_gives_nearest(void **state)
{
    (void)state;
    /* A missing key is reported at the object that should hold it. */
    expect_at("/title", LC_ENOTFOUND, 1, 1, 0, 0);
    expect_at("/steps/0/path", LC_ENOTFOUND, 6, 5, 0, 0);
    expect_at("/steps/3", LC_ENOTFOUND, 5, 12, 5, 3);
    expect_at("/steps/x", LC_ENOTFOUND, 5, 12, 5, 3);
    expect_at("/steps/01", LC_ENOTFOUND, 5, 12, 5, 3);
    expect_at("/id/deeper", LC_ENOTFOUND, 2, 9, 2, 3);
    jsonpos p;
    assert_int_equal(jsonpos_find(doc, strlen(doc), "no-slash", &p), LC_EINVAL);
    assert_int_equal(jsonpos_find(doc, strlen(doc), "/bad~2escape", &p), LC_EINVAL);
    assert_int_equal(jsonpos_find(doc, strlen(doc), NULL, &p), LC_EINVAL);
}

static void test_malformed_text(void **state)
{
    (void)state;
    static const char bad[] = "{\"a\": [1, 2";
    jsonpos p;
    assert_int_equal(jsonpos_find(bad, strlen(bad), "/a/5", &p), LC_EINVAL);
    assert_int_equal(jsonpos_find(bad, strlen(bad), "/b", &p), LC_EINVAL);
    assert_int_equal(jsonpos_find("", 0, "/a", &p), LC_EINVAL);
    assert_int_equal(jsonpos_find("{\"a\" 1}", 7, "/a", &p), LC_EINVAL);
    /* len bounds the scan: text past it is not seen. */
    assert_int_equal(jsonpos_find("{\"a\": 1}", 4, "/a", &p), LC_EINVAL);
}

static void test_line_col(void **state)
{
    (void)state;
    int l, c;
    jsonpos_line_col("ab\ncd", 5, 0, &l, &c);
    assert_int_equal(l, 1);
    assert_int_equal(c, 1);
    jsonpos_line_col("ab\ncd", 5, 4, &l, &c);
    assert_int_equal(l, 2);
    assert_int_equal(c, 2);
    jsonpos_line_col("ab\ncd", 5, 99, &l, &c); /* clamped to the end */
    assert_int_equal(l, 2);
    assert_int_equal(c, 3);
    jsonpos_line_col("\xc3\xa9x", 3, 2, &l, &c);
    assert_int_equal(c, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found),
        cmocka_unit_test(test_not_found_gives_nearest),
        cmocka_unit_test(test_malformed_text),
        cmocka_unit_test(test_line_col),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
