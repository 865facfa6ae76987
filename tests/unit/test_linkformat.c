#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lwm2m/linkformat.h"

/* int-951 pass criterion C, verbatim. */
static const char INT951_S1[] =
    "</3/0>;pmin=2;pmax=10,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/11>,</3/0/16>";

static lf_set parse_ok(const char *s)
{
    lf_set set = {NULL, 0};
    lc_error err = {0};
    int rc = linkformat_parse(s, strlen(s), &set, &err);
    if (rc != 0)
        fail_msg("parse of '%s' failed: %s", s, err.msg);
    return set;
}

static bool compare(const char *expected, const char *observed, lf_match_mode mode, char *why,
                    size_t cap)
{
    lf_set e = parse_ok(expected), o = parse_ok(observed);
    lf_compare_options opt = {.mode = mode};
    bool r = linkformat_compare(&e, &o, &opt, why, cap);
    linkformat_free(&e);
    linkformat_free(&o);
    return r;
}

static void test_parse_int951(void **state)
{
    (void)state;
    lf_set s = parse_ok(INT951_S1);
    assert_int_equal(s.count, 7);
    assert_string_equal(s.links[0].uri, "/3/0");
    assert_int_equal(s.links[0].attr_count, 2);
    assert_string_equal(s.links[0].attrs[0].name, "pmin");
    assert_string_equal(s.links[0].attrs[0].value, "2");
    assert_true(s.links[0].attrs[0].has_value);
    assert_false(s.links[0].attrs[0].quoted);
    assert_string_equal(s.links[0].attrs[1].name, "pmax");
    assert_string_equal(s.links[0].attrs[1].value, "10");
    assert_string_equal(s.links[6].uri, "/3/0/16");
    assert_int_equal(s.links[6].attr_count, 0);

    const lf_link *l = linkformat_find(&s, "/3/0/11");
    assert_ptr_equal(l, &s.links[5]);
    assert_null(linkformat_find(&s, "/3/0/13"));
    assert_null(linkformat_find(&s, "/3/0/1/"));
    const lf_attr *a = linkformat_attr(&s.links[0], "pmax");
    assert_non_null(a);
    assert_string_equal(a->value, "10");
    assert_null(linkformat_attr(&s.links[0], "gt"));
    assert_null(linkformat_attr(&s.links[1], "pmin"));
    linkformat_free(&s);
    assert_null(s.links);
    assert_int_equal(s.count, 0);
    linkformat_free(&s); /* twice is harmless */
}

static void test_parse_registration_payload(void **state)
{
    (void)state;
    lf_set s = parse_ok("</>;rt=\"oma.lwm2m\";ct=11543,</1/0>,</3/0>");
    assert_int_equal(s.count, 3);
    assert_string_equal(s.links[0].uri, "/");
    const lf_attr *rt = linkformat_attr(&s.links[0], "rt");
    assert_non_null(rt);
    assert_string_equal(rt->value, "oma.lwm2m");
    assert_true(rt->quoted);
    const lf_attr *ct = linkformat_attr(&s.links[0], "ct");
    assert_non_null(ct);
    assert_string_equal(ct->value, "11543");
    assert_false(ct->quoted);
    assert_string_equal(s.links[2].uri, "/3/0");
    linkformat_free(&s);

    /* LwM2M 1.1: ver on object links, the root with a base URI */
    s = parse_ok("</lwm2m>;rt=\"oma.lwm2m\";ct=\"60 110 112 11542 11543\","
                 "</lwm2m/1/0>,</lwm2m/3>;ver=1.1,</lwm2m/3/0>");
    assert_int_equal(s.count, 4);
    assert_string_equal(linkformat_attr(&s.links[0], "ct")->value, "60 110 112 11542 11543");
    assert_string_equal(linkformat_attr(&s.links[2], "ver")->value, "1.1");
    linkformat_free(&s);
}

static void test_parse_quoted_and_flags(void **state)
{
    (void)state;
    lf_set s = parse_ok("</a>;title=\"say \\\"hi\\\" \\\\ there\";obs;if=\"\",</b>;x=a");
    assert_int_equal(s.count, 2);
    const lf_link *a = &s.links[0];
    assert_int_equal(a->attr_count, 3);
    assert_string_equal(a->attrs[0].value, "say \"hi\" \\ there");
    assert_true(a->attrs[0].quoted);
    assert_string_equal(a->attrs[1].name, "obs");
    assert_false(a->attrs[1].has_value);
    assert_string_equal(a->attrs[2].name, "if");
    assert_true(a->attrs[2].has_value);
    assert_string_equal(a->attrs[2].value, "");

    char buf[256];
    int n = linkformat_format(&s, buf, sizeof buf);
    assert_string_equal(buf, "</a>;title=\"say \\\"hi\\\" \\\\ there\";obs;if=\"\",</b>;x=a");
    assert_int_equal(n, (int)strlen(buf));

    /* round trip */
    lf_set again = parse_ok(buf);
    lf_compare_options opt = {.mode = LF_MATCH_EXACT};
    char why[256];
    assert_true(linkformat_compare(&s, &again, &opt, why, sizeof why));
    assert_string_equal(why, "");
    assert_string_equal(again.links[0].attrs[0].value, "say \"hi\" \\ there");
    linkformat_free(&again);
    linkformat_free(&s);
}

static void test_parse_whitespace_and_empty(void **state)
{
    (void)state;
    lf_set s = parse_ok("  </3/0> ; pmin = 2 ;pmax=10 ,\r\n </3/0/0>\t,</3/0/1>  \n");
    assert_int_equal(s.count, 3);
    assert_string_equal(s.links[0].attrs[0].name, "pmin");
    assert_string_equal(s.links[0].attrs[0].value, "2");
    assert_string_equal(s.links[0].attrs[1].value, "10");
    assert_string_equal(s.links[2].uri, "/3/0/1");
    linkformat_free(&s);

    s = parse_ok("");
    assert_int_equal(s.count, 0);
    assert_null(s.links);
    linkformat_free(&s);
    s = parse_ok(" \r\n\t ");
    assert_int_equal(s.count, 0);
    linkformat_free(&s);

    lf_set t = {NULL, 0};
    assert_int_equal(linkformat_parse(NULL, 0, &t, NULL), 0);
    assert_int_equal(t.count, 0);
}

static void expect_error(const char *in, size_t len, const char *msg)
{
    lf_set s = {(lf_link *)(uintptr_t)0x1, 42}; /* must stay untouched */
    lc_error err = {0};
    assert_int_equal(linkformat_parse(in, len, &s, &err), LC_EINVAL);
    assert_int_equal(err.code, LC_EINVAL);
    assert_string_equal(err.msg, msg);
    assert_ptr_equal(s.links, (lf_link *)(uintptr_t)0x1);
    assert_int_equal(s.count, 42);
}

static void test_parse_errors_with_offsets(void **state)
{
    (void)state;
    expect_error("</3/0/0", 7, "expected '>' at offset 7 (found end of input)");
    expect_error("</3 0>", 6, "expected '>' at offset 3 (found ' ')");
    expect_error("/3/0", 4, "expected '<' at offset 0 (found '/')");
    expect_error("</3/0>,", 7, "expected '<' at offset 7 (found end of input)");
    expect_error("</3/0>,,</1/0>", 14, "expected '<' at offset 7 (found ',')");
    expect_error("</3/0> </1/0>", 13, "expected ';', ',' or end of input at offset 7 (found '<')");
    expect_error("</3/0>;", 7, "expected an attribute name at offset 7 (found end of input)");
    expect_error("</3/0>;=2", 9, "expected an attribute name at offset 7 (found '=')");
    expect_error("</3/0>;pmin=", 12, "expected a value after '=' at offset 12 (found end of input)");
    expect_error("</3/0>;pmin=,</1/0>", 19, "expected a value after '=' at offset 12 (found ',')");
    expect_error("</>;rt=\"oma.lwm2m", 17, "expected '\"' at offset 17 (found end of input)");
    expect_error("</>;rt=\"oma\x01\"", 13, "expected '\"' at offset 11 (found byte 0x01)");
    expect_error("</>;rt=\"a\\", 10, "expected an escaped character at offset 10 (found end of input)");
    expect_error("</>;rt=\"a\\\n\"", 12, "expected an escaped character at offset 10 (found byte 0x0a)");
    expect_error("</3/0>;pmin=2x\"", 15, "expected ';', ',' or end of input at offset 14 (found '\"')");
    expect_error(",", 1, "expected '<' at offset 0 (found ',')");
    /* an embedded NUL is data, not the end of the input */
    expect_error("</3/0>\0,</1/0>", 14, "expected ';', ',' or end of input at offset 6 (found byte 0x00)");
}

static void test_parse_limits(void **state)
{
    (void)state;
    char buf[4096];
    strcpy(buf, "</");
    memset(buf + 2, 'a', 200);
    strcpy(buf + 202, ">");
    expect_error(buf, strlen(buf), "URI longer than 127 bytes at offset 1");

    strcpy(buf, "</x>;");
    memset(buf + 5, 'n', 40);
    strcpy(buf + 45, "=1");
    expect_error(buf, strlen(buf), "attribute name longer than 31 bytes at offset 5");

    strcpy(buf, "</x>;t=");
    memset(buf + 7, 'v', 200);
    buf[207] = '\0';
    expect_error(buf, strlen(buf), "value of 't' longer than 127 bytes at offset 7");

    strcpy(buf, "</x>");
    for (int i = 0; i < LF_MAX_ATTRS; i++)
        strcat(buf, ";a");
    lf_set s = parse_ok(buf);
    assert_int_equal(s.links[0].attr_count, LF_MAX_ATTRS);
    linkformat_free(&s);
    strcat(buf, ";b");
    expect_error(buf, strlen(buf), "more than 16 attributes on </x> at offset 37");
}

static void test_too_many_links(void **state)
{
    (void)state;
    size_t n = LF_MAX_LINKS + 1;
    char *buf = malloc(n * 4 + 1);
    assert_non_null(buf);
    for (size_t i = 0; i < n; i++)
        memcpy(buf + i * 4, "<x>,", 4);
    lf_set s = {NULL, 0};
    lc_error err = {0};
    assert_int_equal(linkformat_parse(buf, n * 4 - 5, &s, &err), 0); /* 4096 links */
    assert_int_equal(s.count, LF_MAX_LINKS);
    linkformat_free(&s);
    assert_int_equal(linkformat_parse(buf, n * 4 - 1, &s, &err), LC_EINVAL);
    assert_string_equal(err.msg, "more than 4096 links at offset 16384");
    free(buf);
}

static void test_format(void **state)
{
    (void)state;
    lf_set s = parse_ok("</>;rt=\"oma.lwm2m\";ct=11543, </1/0>,</3/0>;pmin=2");
    const char *want = "</>;rt=\"oma.lwm2m\";ct=11543,</1/0>,</3/0>;pmin=2";
    char buf[128];
    int n = linkformat_format(&s, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, 48);
    assert_int_equal(n, (int)strlen(want));

    /* snprintf semantics: truncated but terminated, needed length returned */
    char small[10];
    assert_int_equal(linkformat_format(&s, small, sizeof small), 48);
    assert_string_equal(small, "</>;rt=\"o");
    assert_int_equal(linkformat_format(&s, NULL, 0), 48);

    /* a value set by code that is not a valid ptoken gets quotes */
    s.links[1].attr_count = 1;
    strcpy(s.links[1].attrs[0].name, "title");
    strcpy(s.links[1].attrs[0].value, "a,b");
    s.links[1].attrs[0].has_value = true;
    s.links[1].attrs[0].quoted = false;
    linkformat_format(&s, buf, sizeof buf);
    assert_string_equal(buf, "</>;rt=\"oma.lwm2m\";ct=11543,</1/0>;title=\"a,b\",</3/0>;pmin=2");
    linkformat_free(&s);

    lf_set empty = {NULL, 0};
    assert_int_equal(linkformat_format(&empty, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
}

static void test_value_equal(void **state)
{
    (void)state;
    assert_true(linkformat_value_equal("1", "1.0"));
    assert_true(linkformat_value_equal("1e1", "10"));
    assert_true(linkformat_value_equal("10.00", "1E+1"));
    assert_true(linkformat_value_equal("0.5", ".5"));
    assert_true(linkformat_value_equal("5e-1", "0.50"));
    assert_true(linkformat_value_equal("-0", "0"));
    assert_true(linkformat_value_equal("+2", "2"));
    assert_true(linkformat_value_equal("007", "7"));
    assert_true(linkformat_value_equal("9007199254740993", "9007199254740993"));
    assert_false(linkformat_value_equal("9007199254740993", "9007199254740992"));
    assert_false(linkformat_value_equal("1", "2"));
    assert_false(linkformat_value_equal("10", "1"));
    assert_false(linkformat_value_equal("-1", "1"));
    assert_false(linkformat_value_equal("0.1", "1"));
    /* not numbers: compared as strings */
    assert_true(linkformat_value_equal("oma.lwm2m", "oma.lwm2m"));
    assert_false(linkformat_value_equal("oma.lwm2m", "OMA.LWM2M"));
    assert_false(linkformat_value_equal("0x10", "16"));
    assert_false(linkformat_value_equal("1e", "1"));
    assert_false(linkformat_value_equal("1.2.3", "1.2"));
    assert_true(linkformat_value_equal("1.2.3", "1.2.3"));
    assert_false(linkformat_value_equal("inf", "infinity"));
    assert_false(linkformat_value_equal("", "0"));
    assert_false(linkformat_value_equal(".", "0"));
    assert_true(linkformat_value_equal("", ""));
    assert_false(linkformat_value_equal(NULL, ""));
}

static void test_compare_int951_reordered(void **state)
{
    (void)state;
    char why[512];
    assert_true(compare(INT951_S1,
                        "</3/0/16>,</3/0/0>,</3/0>;pmax=10;pmin=2,</3/0/11>,</3/0/3>,"
                        "</3/0/2>,</3/0/1>",
                        LF_MATCH_EXACT, why, sizeof why));
    assert_string_equal(why, "");
    /* numerically equal attribute values */
    assert_true(compare(INT951_S1,
                        "</3/0>;pmin=2.0;pmax=1e1,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/11>,"
                        "</3/0/16>",
                        LF_MATCH_EXACT, why, sizeof why));
    /* quoted and unquoted values with equal contents */
    assert_true(compare("</3/0>;pmin=2", "</3/0>;pmin=\"2\"", LF_MATCH_EXACT, why, sizeof why));
}

static void test_compare_dim_tolerated(void **state)
{
    (void)state;
    char why[512];
    assert_true(compare(INT951_S1,
                        "</3/0>;pmin=2;pmax=10,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,"
                        "</3/0/11>;dim=1,</3/0/16>",
                        LF_MATCH_EXACT, why, sizeof why));
    assert_string_equal(why, "");

    /* when the expected link names dim, it is compared */
    assert_false(compare("</3/0/11>;dim=2", "</3/0/11>;dim=1", LF_MATCH_EXACT, why, sizeof why));
    assert_string_equal(why, "</3/0/11> has dim=1, expected dim=2");
    assert_false(compare("</3/0/11>;dim=1", "</3/0/11>", LF_MATCH_EXACT, why, sizeof why));
    assert_string_equal(why, "</3/0/11> lacks dim, expected dim=1");

    /* an explicit ignore list replaces the default: dim is no longer ignored */
    const char *const none[] = {NULL};
    const char *const gt_only[] = {"gt", NULL};
    lf_set e = parse_ok("</3/0/11>"), o = parse_ok("</3/0/11>;dim=1;gt=5");
    lf_compare_options opt = {.mode = LF_MATCH_EXACT, .ignore_attrs = none};
    assert_false(linkformat_compare(&e, &o, &opt, why, sizeof why));
    assert_string_equal(why, "</3/0/11> has unexpected dim=1; </3/0/11> has unexpected gt=5");
    opt.ignore_attrs = gt_only;
    assert_false(linkformat_compare(&e, &o, &opt, why, sizeof why));
    assert_string_equal(why, "</3/0/11> has unexpected dim=1");
    /* opt NULL: exact with the default ignore list (dim) */
    assert_false(linkformat_compare(&e, &o, NULL, why, sizeof why));
    assert_string_equal(why, "</3/0/11> has unexpected gt=5");
    linkformat_free(&e);
    linkformat_free(&o);
}

/* ETS int-260 criterion E, read with LwM2M 1.0 §5.4.2: a Discover of /3 may leave the
 * instance's and resources' attributes out, but must not report other values. */
static void test_compare_optional_attributes(void **state)
{
    (void)state;
    char why[512];
    const char *const optional[] = {"dim", "pmin", "pmax", "lt", "gt", "st", NULL};
    lf_set e = parse_ok("</3>,</3/0>;pmin=10;pmax=200,</3/0/6>;dim=2,"
                        "</3/0/7>;dim=2;lt=1;gt=6;st=1,</3/0/16>");
    lf_compare_options opt = {.mode = LF_MATCH_CONTAINS, .optional_attrs = optional};
    const struct {
        const char *observed, *why;
    } rows[] = {
        /* the draft's form and the core specification's example form both pass */
        {"</3>,</3/0>;pmin=10;pmax=200,</3/0/6>;dim=2,</3/0/7>;dim=2;lt=1;gt=6;st=1,</3/0/16>",
         ""},
        {"</3>,</3/0>,</3/0/6>,</3/0/7>,</3/0/16>,</3/0/20>", ""},
        {"</3>,</3/0>;pmax=200,</3/0/6>;dim=2,</3/0/7>;st=1,</3/0/16>", ""},
        /* a value that is there must be the expected one */
        {"</3>,</3/0>;pmin=15,</3/0/6>;dim=1,</3/0/7>,</3/0/16>",
         "</3/0> has pmin=15, expected pmin=10; </3/0/6> has dim=1, expected dim=2"},
        /* an attribute the expected link does not name is still unexpected */
        {"</3>;pmin=10,</3/0>,</3/0/6>,</3/0/7>,</3/0/16>;pmin=10",
         "</3> has unexpected pmin=10; </3/0/16> has unexpected pmin=10"},
        /* optional attributes do not make a link optional */
        {"</3>,</3/0/6>,</3/0/7>,</3/0/16>", "missing </3/0>;pmin=10;pmax=200"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        lf_set o = parse_ok(rows[i].observed);
        bool ok = linkformat_compare(&e, &o, &opt, why, sizeof why);
        linkformat_free(&o);
        if (ok != (rows[i].why[0] == '\0') || strcmp(why, rows[i].why) != 0)
            fail_msg("row %zu: %s: got %s (\"%s\"), expected \"%s\"", i, rows[i].observed,
                     ok ? "match" : "mismatch", why, rows[i].why);
    }
    /* NULL optional_attrs: every named attribute is required, as before */
    opt.optional_attrs = NULL;
    lf_set o = parse_ok("</3>,</3/0>,</3/0/6>,</3/0/7>,</3/0/16>");
    assert_false(linkformat_compare(&e, &o, &opt, why, sizeof why));
    assert_non_null(strstr(why, "</3/0> lacks pmin, expected pmin=10"));
    linkformat_free(&o);
    linkformat_free(&e);
}

static void test_compare_wrong_pmin(void **state)
{
    (void)state;
    char why[512];
    /* server #2's attributes leaking into server #1's Discover */
    assert_false(compare(INT951_S1,
                         "</3/0>;pmin=15;pmax=10,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/11>,"
                         "</3/0/16>",
                         LF_MATCH_EXACT, why, sizeof why));
    assert_string_equal(why, "</3/0> has pmin=15, expected pmin=2");
    assert_non_null(strstr(why, "pmin"));

    /* the same in contains mode: attributes must still be the same */
    assert_false(compare("</3/0>;pmin=2;pmax=10",
                         "</3/0>;pmin=15;pmax=50,</3/0/0>", LF_MATCH_CONTAINS, why, sizeof why));
    assert_string_equal(why, "</3/0> has pmin=15, expected pmin=2; "
                             "</3/0> has pmax=50, expected pmax=10");

    /* attributes where none are expected, and a missing one */
    assert_false(compare("</3/0>;pmin=2;pmax=10,</3/0/0>", "</3/0>;pmin=2,</3/0/0>;pmin=15",
                         LF_MATCH_EXACT, why, sizeof why));
    assert_string_equal(why, "</3/0> lacks pmax, expected pmax=10; "
                             "</3/0/0> has unexpected pmin=15");

    /* a second, different value of an expected attribute */
    assert_false(compare("</3/0>;pmin=2", "</3/0>;pmin=2;pmin=15", LF_MATCH_EXACT, why,
                         sizeof why));
    assert_string_equal(why, "</3/0> has unexpected pmin=15");

    /* flag vs. valued attribute */
    assert_false(compare("</3/0>;obs", "</3/0>;obs=1", LF_MATCH_EXACT, why, sizeof why));
    assert_string_equal(why, "</3/0> has obs=1, expected obs");
}

static void test_compare_extra_resource(void **state)
{
    (void)state;
    const char *observed =
        "</3/0>;pmin=2;pmax=10,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/11>,</3/0/13>,"
        "</3/0/16>";
    char why[512];
    assert_true(compare(INT951_S1, observed, LF_MATCH_CONTAINS, why, sizeof why));
    assert_string_equal(why, "");
    assert_false(compare(INT951_S1, observed, LF_MATCH_EXACT, why, sizeof why));
    assert_string_equal(why, "unexpected </3/0/13>");
}

static void test_compare_missing_lists_everything(void **state)
{
    (void)state;
    char why[512];
    assert_false(compare(INT951_S1,
                         "</3/0>;pmin=15;pmax=50,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/13>;x",
                         LF_MATCH_EXACT, why, sizeof why));
    assert_string_equal(why, "</3/0> has pmin=15, expected pmin=2; "
                             "</3/0> has pmax=50, expected pmax=10; "
                             "missing </3/0/11>; missing </3/0/16>; unexpected </3/0/13>;x");
    /* contains: missing links still fail */
    assert_false(compare("</3/0/16>,</3/0>;pmin=2", "</3/0/0>", LF_MATCH_CONTAINS, why,
                         sizeof why));
    assert_string_equal(why, "missing </3/0/16>; missing </3/0>;pmin=2");
    /* empty observed set */
    assert_false(compare("</1/0>", "", LF_MATCH_CONTAINS, why, sizeof why));
    assert_string_equal(why, "missing </1/0>");
    /* empty expected set: contains passes, exact lists the extras */
    assert_true(compare("", "</1/0>", LF_MATCH_CONTAINS, why, sizeof why));
    assert_false(compare("", "</1/0>", LF_MATCH_EXACT, why, sizeof why));
    assert_string_equal(why, "unexpected </1/0>");
}

static void test_compare_duplicates(void **state)
{
    (void)state;
    char why[512];
    assert_false(compare("</3/0>,</1/0>", "</3/0>,</1/0>,</3/0>", LF_MATCH_EXACT, why,
                         sizeof why));
    assert_string_equal(why, "</3/0> appears 2 times");
    assert_true(compare("</3/0>,</1/0>", "</3/0>,</1/0>,</3/0>", LF_MATCH_CONTAINS, why,
                        sizeof why));
    /* contains: any observed duplicate with the right attributes satisfies the link */
    assert_true(compare("</3/0>;pmin=2", "</3/0>;pmin=15,</3/0>;pmin=2", LF_MATCH_CONTAINS, why,
                        sizeof why));
}

static void test_compare_excludes(void **state)
{
    (void)state;
    char why[512];
    /* by URI */
    assert_true(compare("</3/0/13>,</0/0>", INT951_S1, LF_MATCH_EXCLUDES, why, sizeof why));
    assert_string_equal(why, "");
    assert_false(compare("</3/0/13>,</3/0/11>,</3/0/16>", INT951_S1, LF_MATCH_EXCLUDES, why,
                         sizeof why));
    assert_string_equal(why, "excluded </3/0/11> is present; excluded </3/0/16> is present");
    /* with attributes: server #2's values must not show on server #1's link */
    assert_true(compare("</3/0>;pmin=15;pmax=50", INT951_S1, LF_MATCH_EXCLUDES, why, sizeof why));
    assert_false(compare("</3/0>;pmin=15;pmax=50", "</3/0>;pmin=15;pmax=10", LF_MATCH_EXCLUDES,
                         why, sizeof why));
    assert_string_equal(why, "excluded </3/0>;pmin=15;pmax=50 is present: </3/0> has pmin=15");
    assert_false(compare("</3/0>;pmin=15;pmax=50", "</3/0>;pmax=5e1;pmin=15.0",
                         LF_MATCH_EXCLUDES, why, sizeof why));
    assert_string_equal(why, "excluded </3/0>;pmin=15;pmax=50 is present: </3/0> has pmin=15, "
                             "pmax=50");
}

static void test_compare_why_truncated(void **state)
{
    (void)state;
    char why[24];
    assert_false(compare("</1>,</2>,</3>,</4>,</5>,</6>", "", LF_MATCH_EXACT, why, sizeof why));
    assert_string_equal(why, "missing </1>; missin...");
    assert_int_equal(strlen(why), sizeof why - 1);
    /* why may be NULL */
    lf_set e = parse_ok("</1>"), o = parse_ok("");
    assert_false(linkformat_compare(&e, &o, NULL, NULL, 0));
    assert_true(linkformat_compare(&e, &e, NULL, NULL, 0));
    linkformat_free(&e);
    linkformat_free(&o);
}

/* Truncate valid payloads at every length, flip bytes, feed random bytes: parse must
 * return 0 or LC_EINVAL and never read outside the buffer (ASan/valgrind watch that). */
static void test_fuzzish(void **state)
{
    (void)state;
    static const char *const valid[] = {
        INT951_S1,
        "</>;rt=\"oma.lwm2m\";ct=11543,</1/0>,</3/0>",
        "</a>;title=\"say \\\"hi\\\"\";obs;if=\"\" , </b>;x=a",
    };
    lc_error err;
    for (size_t v = 0; v < sizeof valid / sizeof valid[0]; v++) {
        size_t len = strlen(valid[v]);
        for (size_t cut = 0; cut <= len; cut++) {
            /* exact-size heap copy so an overread past cut is caught */
            char *copy = malloc(cut ? cut : 1);
            assert_non_null(copy);
            memcpy(copy, valid[v], cut);
            lf_set s = {NULL, 0};
            int rc = linkformat_parse(copy, cut, &s, &err);
            assert_true(rc == 0 || rc == LC_EINVAL);
            if (rc == 0) {
                char out[512];
                assert_true(linkformat_format(&s, out, sizeof out) >= 0);
                linkformat_free(&s);
            }
            free(copy);
        }
    }
    uint32_t seed = 0x951u;
    const char alphabet[] = "<>;,=\"\\/ 0123abc\t\x01\xff";
    for (int round = 0; round < 20000; round++) {
        size_t len = 0;
        seed = seed * 1103515245u + 12345u;
        len = (seed >> 16) % 64;
        char *buf = malloc(len ? len : 1);
        assert_non_null(buf);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 16;
            buf[i] = round % 2 ? (char)(r & 0xff) : alphabet[r % (sizeof alphabet - 1)];
        }
        lf_set s = {NULL, 0};
        int rc = linkformat_parse(buf, len, &s, &err);
        assert_true(rc == 0 || rc == LC_EINVAL);
        if (rc == 0) {
            /* whatever parsed must format into something that parses to the same set */
            char out[8192];
            int n = linkformat_format(&s, out, sizeof out);
            assert_true(n >= 0 && (size_t)n < sizeof out);
            lf_set again = {NULL, 0};
            assert_int_equal(linkformat_parse(out, (size_t)n, &again, &err), 0);
            lf_compare_options opt = {.mode = LF_MATCH_EXACT, .ignore_attrs = (const char *const[]){NULL}};
            assert_true(linkformat_compare(&s, &again, &opt, NULL, 0));
            linkformat_free(&again);
            linkformat_free(&s);
        }
        free(buf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_int951),
        cmocka_unit_test(test_parse_registration_payload),
        cmocka_unit_test(test_parse_quoted_and_flags),
        cmocka_unit_test(test_parse_whitespace_and_empty),
        cmocka_unit_test(test_parse_errors_with_offsets),
        cmocka_unit_test(test_parse_limits),
        cmocka_unit_test(test_too_many_links),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_value_equal),
        cmocka_unit_test(test_compare_int951_reordered),
        cmocka_unit_test(test_compare_dim_tolerated),
        cmocka_unit_test(test_compare_wrong_pmin),
        cmocka_unit_test(test_compare_extra_resource),
        cmocka_unit_test(test_compare_missing_lists_everything),
        cmocka_unit_test(test_compare_duplicates),
        cmocka_unit_test(test_compare_optional_attributes),
        cmocka_unit_test(test_compare_excludes),
        cmocka_unit_test(test_compare_why_truncated),
        cmocka_unit_test(test_fuzzish),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
