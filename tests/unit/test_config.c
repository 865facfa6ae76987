#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lwm2m/config.h"

#define C14 "fixtures/c14.json"
#define DATA "tests/data/config/"

/* A config is ~90 kB: keep it off the stack, one per test. */
static int setup(void **state)
{
    *state = calloc(1, sizeof(config));
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = calloc(1, 64 * 1024);
    assert_non_null(buf);
    size_t n = fread(buf, 1, 64 * 1024 - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Replaces every occurrence of from with to in text (at least one must exist). */
static char *replace(char *text, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to), count = 0;
    for (const char *p = strstr(text, from); p; p = strstr(p + fl, from))
        count++;
    if (count == 0)
        fail_msg("'%s' not in the fixture", from);
    char *out = calloc(1, strlen(text) + count * (tl > fl ? tl - fl : 0) + 1);
    assert_non_null(out);
    char *o = out;
    const char *p = text, *hit;
    while ((hit = strstr(p, from))) {
        memcpy(o, p, (size_t)(hit - p));
        o += hit - p;
        memcpy(o, to, tl);
        o += tl;
        p = hit + fl;
    }
    strcpy(o, p);
    free(text);
    return out;
}

/* Loads C.14 with edits given as NULL-terminated (from, to) pairs; returns the rc. */
static int load_c14_edited(config *c, lc_error *err, ...)
{
    char *text = read_text(C14);
    va_list ap;
    va_start(ap, err);
    const char *from;
    while ((from = va_arg(ap, const char *))) {
        const char *to = va_arg(ap, const char *);
        text = replace(text, from, to);
    }
    va_end(ap);
    memset(err, 0, sizeof *err);
    int rc = config_load_string(text, "c14-mod.json", c, err);
    free(text);
    return rc;
}

static void expect_c14_error(config *c, const char *msg, const char *from, const char *to)
{
    lc_error err;
    assert_int_equal(load_c14_edited(c, &err, from, to, NULL), LC_EINVAL);
    assert_int_equal(err.code, LC_EINVAL);
    assert_string_equal(err.msg, msg);
}

static void test_c14_loads(void **state)
{
    config *c = *state;
    lc_error err = {0};
    assert_int_equal(config_load_file(C14, c, &err), 0);
    assert_string_equal(c->source, C14);
    assert_int_equal(c->account_count, 3);

    /* file order of the Security instances: /0/1, /0/0, /0/2 */
    const config_account *bs = config_bootstrap(c);
    assert_ptr_equal(bs, &c->accounts[0]);
    assert_true(bs->bootstrap);
    assert_int_equal(bs->security_instance, 1);
    assert_int_equal(bs->server_instance, -1);
    assert_int_equal(bs->short_server_id, 0);
    assert_string_equal(bs->uri, "coaps://127.0.0.1:5784");
    assert_int_equal(bs->mode, SECURITY_MODE_PSK);
    assert_int_equal(bs->psk_identity_len, 16);
    assert_memory_equal(bs->psk_identity, "lwm2m-conform-bs", 16);
    static const uint8_t bs_key[] = {0xb5, 0xa1, 0xc0, 0xff, 0xee, 0x01, 0x02, 0x03,
                                     0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b};
    assert_int_equal(bs->psk_key_len, sizeof bs_key);
    assert_memory_equal(bs->psk_key, bs_key, sizeof bs_key);

    const config_account *s1 = config_server(c, 1);
    assert_ptr_equal(s1, &c->accounts[1]);
    assert_false(s1->bootstrap);
    assert_int_equal(s1->security_instance, 0);
    assert_int_equal(s1->server_instance, 0);
    assert_int_equal(s1->short_server_id, 1);
    assert_string_equal(s1->uri, "coaps://127.0.0.1:5684");
    assert_int_equal(s1->psk_identity_len, 15);
    assert_memory_equal(s1->psk_identity, "lwm2m-conform-1", 15);
    static const uint8_t s1_key[] = {0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f, 0x70, 0x81,
                                     0x92, 0xa3, 0xb4, 0xc5, 0xd6, 0xe7, 0xf8, 0x01};
    assert_int_equal(s1->psk_key_len, 16);
    assert_memory_equal(s1->psk_key, s1_key, 16);
    assert_int_equal(s1->lifetime, 86400);
    assert_int_equal(s1->default_pmin, 1);
    assert_int_equal(s1->default_pmax, 10);
    assert_int_equal(s1->disable_timeout, 86400);
    assert_false(s1->notification_storing);
    assert_string_equal(s1->binding, "U");

    const config_account *s2 = config_server(c, 2);
    assert_ptr_equal(s2, &c->accounts[2]);
    assert_int_equal(s2->security_instance, 2);
    assert_int_equal(s2->server_instance, 1);
    assert_string_equal(s2->uri, "coaps://127.0.0.1:5686");
    assert_memory_equal(s2->psk_identity, "lwm2m-conform-2", 15);
    assert_int_equal(s2->lifetime, 86400);
    assert_int_equal(s2->default_pmin, 1);
    assert_int_equal(s2->default_pmax, 10);
    assert_string_equal(s2->binding, "U");

    assert_null(config_server(c, 0));
    assert_null(config_server(c, 3));
    assert_ptr_equal(config_server_mut(c, 2), &c->accounts[2]);

    /* Access Control with the Annex's errata corrected */
    assert_int_equal(c->access_control_count, 3);
    const config_access_control *ac = c->access_control;
    assert_int_equal(ac[0].instance, 0);
    assert_int_equal(ac[0].object_id, 1);
    assert_int_equal(ac[0].object_instance, 0);
    assert_int_equal(ac[0].acl_count, 1);
    assert_int_equal(ac[0].acl[0].short_server_id, 1);
    assert_int_equal(ac[0].acl[0].rights, 15);
    assert_int_equal(ac[0].owner, 1);
    assert_int_equal(ac[1].instance, 1);
    assert_int_equal(ac[1].object_id, 1);
    assert_int_equal(ac[1].object_instance, 1);
    assert_int_equal(ac[1].acl_count, 1);
    assert_int_equal(ac[1].acl[0].short_server_id, 2);
    assert_int_equal(ac[1].acl[0].rights, 15);
    assert_int_equal(ac[1].owner, 2);
    assert_int_equal(ac[2].instance, 2);
    assert_int_equal(ac[2].object_id, 3);
    assert_int_equal(ac[2].object_instance, 0);
    assert_int_equal(ac[2].acl_count, 2);
    assert_int_equal(ac[2].acl[0].short_server_id, 1);
    assert_int_equal(ac[2].acl[0].rights, 15);
    assert_int_equal(ac[2].acl[1].short_server_id, 2);
    assert_int_equal(ac[2].acl[1].rights, 15);
    assert_int_equal(ac[2].owner, CONFIG_ACL_OWNER_MAX_ID);

    /* every value, in file order; what the device is (/3/0) is in no configuration: it is
     * the device description's (fixtures/simdev.json for the simulated device) */
    assert_int_equal(c->value_count, 47);
    assert_string_equal(c->values[0].path, "/0/1/0");
    assert_string_equal(c->values[46].path, "/2/2/3");
    const config_value *v = config_find(c, "/1/1/7");
    assert_int_equal(v->kind, CONFIG_VALUE_STRING);
    assert_string_equal(v->string, "U");
    v = config_find(c, "1/1/7");
    assert_non_null(v);
    assert_null(config_find(c, "/3/0/0"));
    v = config_find(c, "/2/2/2/1");
    assert_non_null(v);
    assert_int_equal(v->kind, CONFIG_VALUE_NUMBER);
    assert_true(v->number == 15.0);
    v = config_find(c, "/0/1/1");
    assert_int_equal(v->kind, CONFIG_VALUE_BOOL);
    assert_true(v->boolean);
    v = config_find(c, "/1/0/1");
    assert_true(v->number == 86400.0);
    assert_null(config_find(c, "/3/0/13"));
    assert_null(config_find(c, "/3/0"));
    assert_null(config_find(c, "garbage"));

    assert_true(config_value_is_secret(config_find(c, "/0/0/5")));
    assert_true(config_value_is_secret(config_find(c, "/0/1/5")));
    assert_false(config_value_is_secret(config_find(c, "/0/0/3")));
    assert_false(config_value_is_secret(config_find(c, "/3/0/0")));
    assert_false(config_value_is_secret(NULL));
}

static void test_bn_joining(void **state)
{
    config *c = *state;
    lc_error err = {0};
    assert_int_equal(config_load_string("{\"bn\":\"/3/0/\",\"e\":[{\"n\":\"0\",\"sv\":\"a\"},"
                                        "{\"n\":\"11/0\",\"v\":0}]}",
                                        "x.json", c, &err),
                     0);
    assert_int_equal(c->value_count, 2);
    assert_string_equal(c->values[0].path, "/3/0/0");
    assert_string_equal(c->values[1].path, "/3/0/11/0");
    /* bn without the trailing slash, n with a leading one, n absent, bn absent */
    assert_int_equal(config_load_string("{\"bn\":\"/3/0\",\"e\":[{\"n\":\"1\",\"sv\":\"b\"}]}",
                                        "x.json", c, &err),
                     0);
    assert_string_equal(c->values[0].path, "/3/0/1");
    assert_int_equal(config_load_string("{\"bn\":\"/\",\"e\":[{\"n\":\"/3/0/2\",\"sv\":\"b\"}]}",
                                        "x.json", c, &err),
                     0);
    assert_string_equal(c->values[0].path, "/3/0/2");
    assert_int_equal(config_load_string("{\"bn\":\"/3/0/3\",\"e\":[{\"sv\":\"c\"}]}", "x.json",
                                        c, &err),
                     0);
    assert_string_equal(c->values[0].path, "/3/0/3");
    assert_int_equal(config_load_string("{\"e\":[{\"n\":\"3/0/4\",\"sv\":\"c\"}]}", "x.json", c,
                                        &err),
                     0);
    assert_string_equal(c->values[0].path, "/3/0/4");
    assert_int_equal(c->account_count, 0);
    assert_null(config_bootstrap(c));
}

static void expect_file_error(config *c, const char *file, const char *msg)
{
    lc_error err = {0};
    memset(c, 0x5a, sizeof *c);
    assert_int_equal(config_load_file(file, c, &err), LC_EINVAL);
    assert_string_equal(err.msg, msg);
    /* out untouched */
    const unsigned char *p = (const unsigned char *)c;
    for (size_t i = 0; i < sizeof *c; i++)
        if (p[i] != 0x5a)
            fail_msg("config changed at byte %zu after a failed load", i);
}

static void test_syntax_errors(void **state)
{
    config *c = *state;
    expect_file_error(c, DATA "trailing_comma.json",
                      DATA "trailing_comma.json:5:2: expected a value, found ']' (a trailing comma?)");
    expect_file_error(c, DATA "comment.json",
                      DATA "comment.json:5:1: expected a value (a string, number, object, array, "
                           "true, false or null), found '/' (JSON has no comments)");
    expect_file_error(c, DATA "typographic_quote.json",
                      DATA "typographic_quote.json:1:2: expected a quoted key or '}', found "
                           "'\xe2\x80\x9c' (a typographic quote: JSON needs a plain \")");
    expect_file_error(c, DATA "placeholder.json",
                      DATA "placeholder.json:3:24: expected a value (a string, number, object, "
                           "array, true, false or null), found '<' (a placeholder? put the real "
                           "value there)");

    lc_error err = {0};
    assert_int_equal(config_load_string("{\"bn\":\"/\",\n \"e\":[{\"n\":\"3/0/0\" \"sv\":\"a\"}]}",
                                        "s.json", c, &err),
                     LC_EINVAL);
    assert_string_equal(err.msg, "s.json:2:20: expected ',' or '}', found '\"sv\"'");
    assert_int_equal(config_load_string("{\"e\":[{\"n\":\"3/0/0\",\"sv\":\"a\",\"sv\":\"b\"}]}",
                                        "s.json", c, &err),
                     LC_EINVAL);
    assert_string_equal(err.msg,
                        "s.json:1:29: expected each key once per object, found '\"sv\"'");
    assert_int_equal(config_load_string("{\"e\":[", "s.json", c, &err), LC_EINVAL);
    assert_string_equal(err.msg, "s.json:1:6: expected ']' to close the array, found the end of the input");
    assert_int_equal(config_load_string("{\"e\":[]", "s.json", c, &err), LC_EINVAL);
    assert_string_equal(err.msg, "s.json:1:7: expected '}' to close the object, found the end "
                                 "of the input");
    assert_int_equal(config_load_string("", "s.json", c, &err), LC_EINVAL);
    assert_string_equal(err.msg, "s.json:1:1: expected '{' (a configuration is a JSON object), "
                                 "found the end of the input");
    assert_int_equal(config_load_string("{\"e\":[]} x", "s.json", c, &err), LC_EINVAL);
    assert_string_equal(err.msg, "s.json:1:10: expected the end of the input, found 'x'");
    assert_int_equal(config_load_string("{'e':[]}", "s.json", c, &err), LC_EINVAL);
    assert_string_equal(err.msg, "s.json:1:2: expected a quoted key or '}', found ''' "
                                 "(JSON strings need \", not ')");
}

static void expect_string_error(config *c, const char *json, const char *msg)
{
    lc_error err = {0};
    assert_int_equal(config_load_string(json, "e.json", c, &err), LC_EINVAL);
    assert_string_equal(err.msg, msg);
}

static void test_entry_errors(void **state)
{
    config *c = *state;
    expect_string_error(c, "[]",
                        "e.json: expected a JSON object {\"bn\": ..., \"e\": [...]} at the top level");
    expect_string_error(c, "{\"bn\":\"/\"}", "e.json: expected an array \"e\" of entries");
    expect_string_error(c, "{\"bn\":\"/\",\"bt\":0,\"e\":[]}",
                        "e.json: unknown top-level key \"bt\" (expected \"bn\" and \"e\")");
    expect_string_error(c, "{\"bn\":1,\"e\":[]}", "e.json: \"bn\" must be a string such as \"/\"");
    expect_string_error(c, "{\"bn\":\"/\",\"e\":[{\"n\":\"3/0/0\",\"sv\":\"a\"},{\"n\":\"3/0/1\","
                           "\"sv\":\"b\",\"t\":5}]}",
                        "e.json: e[1] /3/0/1: unknown key \"t\" (an entry has \"n\" and one of "
                        "\"v\", \"sv\", \"bv\")");
    expect_string_error(c, "{\"bn\":\"/\",\"e\":[{\"n\":\"3/0/1\"}]}",
                        "e.json: e[0] /3/0/1: no value; an entry needs exactly one of \"v\", "
                        "\"sv\", \"bv\"");
    expect_string_error(c, "{\"bn\":\"/\",\"e\":[{\"n\":\"3/0/1\",\"v\":1,\"sv\":\"1\"}]}",
                        "e.json: e[0] /3/0/1: has both \"v\" and \"sv\"; an entry needs exactly "
                        "one of \"v\", \"sv\", \"bv\"");
    expect_string_error(c, "{\"bn\":\"/\",\"e\":[{\"n\":\"3/0/1\",\"v\":\"1\"}]}",
                        "e.json: e[0] /3/0/1: \"v\" must be a number");
    expect_string_error(c, "{\"bn\":\"/\",\"e\":[{\"n\":\"3/0/1\",\"bv\":1}]}",
                        "e.json: e[0] /3/0/1: \"bv\" must be true or false");
    expect_string_error(c, "{\"bn\":\"/\",\"e\":[{\"n\":\"3/0/1\",\"sv\":false}]}",
                        "e.json: e[0] /3/0/1: \"sv\" must be a string");
    expect_string_error(c, "{\"bn\":\"/\",\"e\":[{\"n\":3,\"v\":1}]}",
                        "e.json: e[0]: \"n\" must be a string");
    expect_string_error(c, "{\"bn\":\"/\",\"e\":[5]}",
                        "e.json: e[0]: expected an object {\"n\": ..., \"v\"|\"sv\"|\"bv\": ...}");
    expect_string_error(c, "{\"bn\":\"/\",\"e\":[{\"n\":\"0/x/1\",\"v\":1}]}",
                        "e.json: e[0]: \"n\": \"0/x/1\" with \"bn\": \"/\" is not an LwM2M path "
                        "(/object/instance/resource[/instance], ids 0..65535)");
    expect_string_error(c, "{\"bn\":\"/\",\"e\":[{\"n\":\"3/0/70000\",\"v\":1}]}",
                        "e.json: e[0]: \"n\": \"3/0/70000\" with \"bn\": \"/\" is not an LwM2M "
                        "path (/object/instance/resource[/instance], ids 0..65535)");
    expect_string_error(c, "{\"bn\":\"/\",\"e\":[{\"n\":\"3/0\",\"v\":1}]}",
                        "e.json: e[0] /3/0: a value needs a resource path "
                        "(/object/instance/resource[/instance])");

    /* the Annex as written: three Access Control instances all numbered 2/0 */
    lc_error err;
    assert_int_equal(load_c14_edited(c, &err, "\"2/1/", "\"2/0/", NULL), LC_EINVAL);
    assert_string_equal(err.msg, "c14-mod.json: e[38] /2/0/0: already set by e[34]");

    char big[400];
    snprintf(big, sizeof big, "{\"e\":[{\"n\":\"3/0/0\",\"sv\":\"%0300d\"}]}", 7);
    expect_string_error(c, big, "e.json: e[0] /3/0/0: string of 300 bytes is longer than 255");

    /* more entries than CONFIG_MAX_VALUES */
    char *many = malloc(40 * (CONFIG_MAX_VALUES + 1) + 32);
    assert_non_null(many);
    strcpy(many, "{\"bn\":\"/\",\"e\":[");
    for (int i = 0; i <= CONFIG_MAX_VALUES; i++)
        sprintf(many + strlen(many), "%s{\"n\":\"4/0/%d\",\"v\":1}", i ? "," : "", i);
    strcat(many, "]}");
    expect_string_error(c, many, "e.json: e[256]: more than 256 entries");
    free(many);
}

static void test_semantic_errors(void **state)
{
    config *c = *state;
    expect_c14_error(c,
                     "c14-mod.json: /0/2/10: missing: a server account needs a Short Server ID "
                     "1..65534",
                     "  {\"n\": \"0/2/10\", \"v\": 2},\n", "");
    expect_c14_error(c,
                     "c14-mod.json: /0/2/10: the Short Server ID must be an integer 1..65534, "
                     "found 65535",
                     "\"0/2/10\", \"v\": 2", "\"0/2/10\", \"v\": 65535");
    expect_c14_error(c,
                     "c14-mod.json: /0/2/10: the Short Server ID must be an integer 1..65534, "
                     "found 1.5",
                     "\"0/2/10\", \"v\": 2", "\"0/2/10\", \"v\": 1.5");
    expect_c14_error(c,
                     "c14-mod.json: /0/2/10: the Short Server ID must be a number (\"v\"), found "
                     "a string (\"sv\")",
                     "\"0/2/10\", \"v\": 2", "\"0/2/10\", \"sv\": \"2\"");
    expect_c14_error(c, "c14-mod.json: /0/2/10: Short Server ID 1 is already used by /0/0",
                     "\"0/2/10\", \"v\": 2", "\"0/2/10\", \"v\": 1");
    expect_c14_error(c, "c14-mod.json: /1/1/0: Short Server ID 1 is already used by /1/0",
                     "\"1/1/0\", \"v\": 2", "\"1/1/0\", \"v\": 1");
    expect_c14_error(c,
                     "c14-mod.json: /0/2/10: no Server instance has /1/y/0 = 3; server account "
                     "/0/2 needs one (lifetime, binding)",
                     "\"0/2/10\", \"v\": 2", "\"0/2/10\", \"v\": 3");
    expect_c14_error(c,
                     "c14-mod.json: /1/1/0: no server account (Security instance with /0/x/10 = "
                     "2) for this Server instance",
                     "\"0/2/", "\"4/2/");
    expect_c14_error(c,
                     "c14-mod.json: /0/2/1: a second bootstrap account (the first is /0/1); at "
                     "most one is allowed",
                     "\"0/2/1\", \"bv\": false", "\"0/2/1\", \"bv\": true");
    expect_c14_error(c, "c14-mod.json: /1/1/1: missing: the Server instance needs a lifetime in "
                        "seconds",
                     "  {\"n\": \"1/1/1\", \"v\": 86400},\n", "");
    expect_c14_error(c,
                     "c14-mod.json: /1/1/7: binding 'X' must combine the letters U, S, Q, T, N "
                     "(each at most once), e.g. U or UQ",
                     "\"1/1/7\", \"sv\": \"U\"", "\"1/1/7\", \"sv\": \"X\"");
    expect_c14_error(c, "c14-mod.json: /1/1/2: default pmin 60 is greater than default pmax 10",
                     "\"1/1/2\", \"v\": 1", "\"1/1/2\", \"v\": 60");
    expect_c14_error(c,
                     "c14-mod.json: /1/1/6: notification storing must be a boolean (\"bv\"), "
                     "found a number (\"v\")",
                     "\"1/1/6\", \"bv\": false", "\"1/1/6\", \"v\": 0");
    expect_c14_error(c, "c14-mod.json: /0/0/10/0: /0/x/10 is a single-instance resource: write "
                        "/0/0/10",
                     "\"0/0/10\"", "\"0/0/10/0\"");

    /* security */
    expect_c14_error(c,
                     "c14-mod.json: /0/2/2: security mode 1 is not supported by this tool: use 0 "
                     "(PSK) or 3 (NoSec)",
                     "\"0/2/2\", \"v\": 0", "\"0/2/2\", \"v\": 1");
    expect_c14_error(c,
                     "c14-mod.json: /0/2/2: security mode 0 (PSK) needs a coaps:// URI, but "
                     "/0/2/0 is coap://127.0.0.1:5686",
                     "coaps://127.0.0.1:5686", "coap://127.0.0.1:5686");
    expect_c14_error(c, "c14-mod.json: /0/2/2: missing: the security mode (0 PSK, 3 NoSec)",
                     "  {\"n\": \"0/2/2\", \"v\": 0},\n", "");
    expect_c14_error(c,
                     "c14-mod.json: /0/2/3: PSK mode (/0/2/2 = 0) needs a PSK identity (Base64)",
                     "\"bHdtMm0tY29uZm9ybS0y\"", "\"\"");
    expect_c14_error(c, "c14-mod.json: /0/2/0: missing: a Security instance needs its server URI",
                     "  {\"n\": \"0/2/0\", \"sv\": \"coaps://127.0.0.1:5686\"},\n", "");

    /* URI */
    expect_c14_error(c,
                     "c14-mod.json: /0/2/0: URI 'coaps//127.0.0.1:5686' has no scheme: expected "
                     "coap://host[:port] or coaps://host[:port]",
                     "coaps://127.0.0.1:5686", "coaps//127.0.0.1:5686");
    expect_c14_error(c, "c14-mod.json: /0/2/0: URI 'coaps://127.0.0.1:99999': port is not in "
                        "1..65535",
                     "coaps://127.0.0.1:5686", "coaps://127.0.0.1:99999");

    /* Access Control */
    expect_c14_error(c,
                     "c14-mod.json: /2/1/1: /2/1 guards /1/0 like /2/0 does; one Access Control "
                     "instance per object instance",
                     "\"2/1/1\", \"v\": 1", "\"2/1/1\", \"v\": 0");
    expect_c14_error(c, "c14-mod.json: /2/0/2: ACL rights are written per server: /2/0/2/<ssid>",
                     "\"2/0/2/1\"", "\"2/0/2\"");
    expect_c14_error(c,
                     "c14-mod.json: /2/0/2/1: the access rights must be an integer 0..31, found 32",
                     "\"2/0/2/1\", \"v\": 15", "\"2/0/2/1\", \"v\": 32");
    expect_c14_error(c, "c14-mod.json: /2/2/3: missing: an Access Control instance needs its "
                        "owner (an SSID)",
                     ",\n  {\"n\": \"2/2/3\", \"v\": 65535}", "");
}

static void test_bad_base64_never_echoes_key(void **state)
{
    config *c = *state;
    lc_error err;
    const char *bad = "Gis8TV5vcIGSo7T!1uf4AQ==";
    assert_int_equal(load_c14_edited(c, &err, "Gis8TV5vcIGSo7TF1uf4AQ==", bad, NULL), LC_EINVAL);
    assert_string_equal(err.msg, "c14-mod.json: /0/0/5: the secret key is not valid Base64: "
                                 "character 16 is not in the Base64 alphabet");
    assert_null(strstr(err.msg, "Gis8"));
    assert_null(strstr(err.msg, bad));

    assert_int_equal(load_c14_edited(c, &err, "Gis8TV5vcIGSo7TF1uf4AQ==", "Gis8TV5vcIGSo7TF1", NULL),
                     LC_EINVAL);
    assert_string_equal(err.msg, "c14-mod.json: /0/0/5: the secret key is not valid Base64: 17 "
                                 "characters cannot be Base64 (truncated?)");

    char longkey[256];
    memset(longkey, 'A', 200);
    longkey[200] = '\0';
    assert_int_equal(load_c14_edited(c, &err, "Gis8TV5vcIGSo7TF1uf4AQ==", longkey, NULL),
                     LC_EINVAL);
    assert_string_equal(err.msg, "c14-mod.json: /0/0/5: the secret key is not valid Base64: it "
                                 "decodes to 150 bytes, more than the limit of 128");

    assert_int_equal(load_c14_edited(c, &err, "bHdtMm0tY29uZm9ybS0y", "bHdtMm0t Y29u", NULL),
                     LC_EINVAL);
    assert_string_equal(err.msg, "c14-mod.json: /0/2/3: the PSK identity is not valid Base64: "
                                 "character 9 is not in the Base64 alphabet");
}

static void test_nosec_account(void **state)
{
    config *c = *state;
    lc_error err;
    assert_int_equal(load_c14_edited(c, &err, "\"0/2/2\", \"v\": 0", "\"0/2/2\", \"v\": 3",
                                     "coaps://127.0.0.1:5686", "coap://127.0.0.1:5686", NULL),
                     0);
    const config_account *s2 = config_server(c, 2);
    assert_non_null(s2);
    assert_int_equal(s2->mode, SECURITY_MODE_NOSEC);
    assert_string_equal(s2->uri, "coap://127.0.0.1:5686");
    /* NoSec with a coaps:// URI is a contradiction */
    expect_c14_error(c,
                     "c14-mod.json: /0/2/2: security mode 3 (NoSec) needs a coap:// URI, but "
                     "/0/2/0 is coaps://127.0.0.1:5686",
                     "\"0/2/2\", \"v\": 0", "\"0/2/2\", \"v\": 3");
    /* optional Server resources take their defaults */
    assert_int_equal(load_c14_edited(c, &err, "  {\"n\": \"1/1/2\", \"v\": 1},\n", "",
                                     "  {\"n\": \"1/1/3\", \"v\": 10},\n", "",
                                     "  {\"n\": \"1/1/5\", \"v\": 86400},\n", "",
                                     "  {\"n\": \"1/1/6\", \"bv\": false},\n", "",
                                     "  {\"n\": \"1/1/7\", \"sv\": \"U\"},\n", "", NULL),
                     0);
    s2 = config_server(c, 2);
    assert_int_equal(s2->default_pmin, 0);
    assert_int_equal(s2->default_pmax, 0);
    assert_int_equal(s2->disable_timeout, 86400);
    assert_false(s2->notification_storing);
    assert_string_equal(s2->binding, "U");
}

static void test_parse_uri(void **state)
{
    (void)state;
    char scheme[8], host[64];
    uint16_t port = 0;
    lc_error err = {0};
    struct {
        const char *uri, *scheme, *host;
        uint16_t port;
    } good[] = {
        {"coaps://127.0.0.1:5684", "coaps", "127.0.0.1", 5684},
        {"coap://127.0.0.1:40000", "coap", "127.0.0.1", 40000},
        {"coap://localhost", "coap", "localhost", 5683},
        {"coaps://lwm2m.example.com", "coaps", "lwm2m.example.com", 5684},
        {"coaps://[::1]:5784", "coaps", "::1", 5784},
        {"coap://[::1]", "coap", "::1", 5683},
        {"coaps://[fe80::1:2]", "coaps", "fe80::1:2", 5684},
        {"coap://[::ffff:127.0.0.1]:1", "coap", "::ffff:127.0.0.1", 1},
        {"COAPS://Host-1:65535/", "coaps", "Host-1", 65535},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        memset(host, 0, sizeof host);
        if (config_parse_uri(good[i].uri, scheme, sizeof scheme, host, sizeof host, &port, &err))
            fail_msg("%s: %s", good[i].uri, err.msg);
        assert_string_equal(scheme, good[i].scheme);
        assert_string_equal(host, good[i].host);
        assert_int_equal(port, good[i].port);
    }
    assert_int_equal(config_parse_uri("coap://h", NULL, 0, NULL, 0, NULL, NULL), 0);

    struct {
        const char *uri, *msg;
    } bad[] = {
        {"127.0.0.1:5684", "URI '127.0.0.1:5684' has no scheme: expected coap://host[:port] or "
                           "coaps://host[:port]"},
        {"http://h", "URI 'http://h': scheme 'http' is not supported: expected coap:// or coaps://"},
        {"coap+tcp://h", "URI 'coap+tcp://h': scheme 'coap+tcp' is not supported: expected "
                         "coap:// or coaps://"},
        {"coap://", "URI 'coap://' has no host"},
        {"coap://:5683", "URI 'coap://:5683' has no host"},
        {"coap://h:", "URI 'coap://h:': expected a port number after ':'"},
        {"coap://h:0", "URI 'coap://h:0': port is not in 1..65535"},
        {"coap://h:65536", "URI 'coap://h:65536': port is not in 1..65535"},
        {"coap://h:1234567", "URI 'coap://h:1234567': port is not in 1..65535"},
        {"coap://h:12x", "URI 'coap://h:12x': unexpected 'x' after the host"},
        {"coap://::1", "URI 'coap://::1' has no host"},
        {"coap://fe80::1", "URI 'coap://fe80::1': an IPv6 address needs brackets, e.g. "
                           "coap://[::1]:5683"},
        {"coap://[::1", "URI 'coap://[::1': '[' without ']' around the IPv6 address"},
        {"coap://[zz]:5683", "URI 'coap://[zz]:5683': 'zz' is not an IPv6 address"},
        {"coap://[]", "URI 'coap://[]': '' is not an IPv6 address"},
        {"coap://h/rd", "URI 'coap://h/rd': a server URI has no path or query ('/rd')"},
        {"coap://h?x=1", "URI 'coap://h?x=1': a server URI has no path or query ('?x=1')"},
        {"coap://user@h", "URI 'coap://user@h': unexpected '@' after the host"},
        {"coap://h st", "URI 'coap://h st': unexpected ' ' after the host"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0, sizeof err);
        assert_int_equal(config_parse_uri(bad[i].uri, scheme, sizeof scheme, host, sizeof host,
                                          &port, &err),
                         LC_EINVAL);
        assert_string_equal(err.msg, bad[i].msg);
    }
    char tiny[4];
    assert_int_equal(config_parse_uri("coap://hostname", scheme, sizeof scheme, tiny, sizeof tiny,
                                      &port, &err),
                     LC_EINVAL);
    assert_string_equal(err.msg, "URI 'coap://hostname': the host is longer than 3 bytes");
    assert_int_equal(config_parse_uri(NULL, NULL, 0, NULL, 0, NULL, &err), LC_EINVAL);
}

static const uint8_t KEY1[] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                               0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
static const uint8_t KEY_BS[] = {0xde, 0xad, 0xbe, 0xef};

static void clear_env(void)
{
    unsetenv("LWM2M_PSK_KEY_1");
    unsetenv("LWM2M_PSK_KEY_2");
    unsetenv("LWM2M_PSK_KEY_BS");
}

static void test_set_psk_key(void **state)
{
    config *c = *state;
    lc_error err = {0};
    assert_int_equal(config_load_file(C14, c, &err), 0);
    assert_int_equal(config_set_psk_key(c, 1, KEY1, sizeof KEY1, &err), 0);
    assert_int_equal(config_server(c, 1)->psk_key_len, 16);
    assert_memory_equal(config_server(c, 1)->psk_key, KEY1, 16);
    /* the value keeps up, in Base64 */
    assert_string_equal(config_find(c, "/0/0/5")->string, "ABEiM0RVZneImaq7zN3u/w==");
    assert_int_equal(config_set_psk_key(c, 0, KEY_BS, sizeof KEY_BS, &err), 0);
    assert_int_equal(config_bootstrap(c)->psk_key_len, 4);
    assert_memory_equal(config_bootstrap(c)->psk_key, KEY_BS, 4);
    assert_string_equal(config_find(c, "/0/1/5")->string, "3q2+7w==");
    /* the other server is untouched */
    assert_int_equal(config_server(c, 2)->psk_key[0], 0x9f);

    assert_int_equal(config_set_psk_key(c, 9, KEY1, sizeof KEY1, &err), LC_ENOTFOUND);
    assert_string_equal(err.msg, "fixtures/c14.json has no server account with Short Server ID 9");
    assert_int_equal(config_set_psk_key(c, 1, KEY1, 0, &err), LC_EINVAL);
    assert_string_equal(err.msg, "a key of 0 bytes for server account SSID 1 (/0/0): PSK keys "
                                 "have 1..128 bytes");
    uint8_t big[CONFIG_PSK_MAX + 1] = {0};
    assert_int_equal(config_set_psk_key(c, 1, big, sizeof big, &err), LC_EINVAL);
    assert_int_equal(config_set_psk_key(c, -1, KEY1, sizeof KEY1, &err), LC_EINVAL);
    assert_int_equal(config_set_psk_key(c, 1, big, CONFIG_PSK_MAX, &err), 0);

    /* a NoSec account takes no key */
    assert_int_equal(load_c14_edited(c, &err, "\"0/2/2\", \"v\": 0", "\"0/2/2\", \"v\": 3",
                                     "coaps://127.0.0.1:5686", "coap://127.0.0.1:5686", NULL),
                     0);
    assert_int_equal(config_set_psk_key(c, 2, KEY1, sizeof KEY1, &err), LC_EINVAL);
    assert_string_equal(err.msg, "server account SSID 2 (/0/2) uses security mode 3, not PSK: it "
                                 "takes no key");
}

static void test_psk_env(void **state)
{
    config *c = *state;
    lc_error err = {0};
    clear_env();
    assert_int_equal(config_load_file(C14, c, &err), 0);
    /* nothing set: nothing changes */
    assert_int_equal(config_apply_psk_env(c, &err), 0);
    assert_int_equal(config_server(c, 1)->psk_key[0], 0x1a);

    setenv("LWM2M_PSK_KEY_1", "00112233445566778899AABBCCDDEEFF", 1);
    setenv("LWM2M_PSK_KEY_BS", "deadbeef", 1);
    assert_int_equal(config_apply_psk_env(c, &err), 0);
    assert_int_equal(config_server(c, 1)->psk_key_len, 16);
    assert_memory_equal(config_server(c, 1)->psk_key, KEY1, 16);
    assert_int_equal(config_bootstrap(c)->psk_key_len, 4);
    assert_memory_equal(config_bootstrap(c)->psk_key, KEY_BS, 4);
    assert_int_equal(config_server(c, 2)->psk_key[0], 0x9f);

    /* a bad variable: an error naming it, not its value, and nothing applied */
    assert_int_equal(config_load_file(C14, c, &err), 0);
    setenv("LWM2M_PSK_KEY_2", "c0ffee9", 1);
    assert_int_equal(config_apply_psk_env(c, &err), LC_EINVAL);
    assert_string_equal(err.msg, "LWM2M_PSK_KEY_2: the key is not hex: an odd number of hex "
                                 "digits (7)");
    assert_null(strstr(err.msg, "c0ffee"));
    assert_int_equal(config_server(c, 1)->psk_key[0], 0x1a);
    assert_int_equal(config_bootstrap(c)->psk_key[0], 0xb5);

    setenv("LWM2M_PSK_KEY_2", "secret-in-clear", 1);
    assert_int_equal(config_apply_psk_env(c, &err), LC_EINVAL);
    assert_string_equal(err.msg, "LWM2M_PSK_KEY_2: the key is not hex: character 1 is not a hex "
                                 "digit");
    setenv("LWM2M_PSK_KEY_2", "", 1);
    assert_int_equal(config_apply_psk_env(c, &err), LC_EINVAL);
    assert_string_equal(err.msg, "LWM2M_PSK_KEY_2: the key is empty");
    clear_env();
}

/* Keys may be left out of the file entirely and given by the environment; what is still
 * missing afterwards is named with the three ways to give it. */
static void test_keys_outside_the_file(void **state)
{
    config *c = *state;
    lc_error err = {0};
    clear_env();
    assert_int_equal(load_c14_edited(c, &err, "  {\"n\": \"0/0/5\", \"sv\": \"Gis8TV5vcIGSo7TF1uf4AQ==\"},\n",
                                     "", NULL), 0);
    assert_int_equal(config_server(c, 1)->psk_key_len, 0);
    assert_int_equal(config_check_keys(c, true, &err), LC_EINVAL);
    assert_string_equal(err.msg, "c14-mod.json: server 1 (/0/0) uses PSK but has no key: put it in "
                                 "/0/0/5 (Base64), LWM2M_PSK_KEY_1 or a --psk-file line \"1 <hex>\"");
    setenv("LWM2M_PSK_KEY_1", "00112233445566778899AABBCCDDEEFF", 1);
    assert_int_equal(config_apply_psk_env(c, &err), 0);
    assert_int_equal(config_check_keys(c, true, &err), 0);
    assert_memory_equal(config_server(c, 1)->psk_key, KEY1, 16);
    clear_env();
    /* the bootstrap account's key matters only when the tool plays the bootstrap server */
    assert_int_equal(load_c14_edited(c, &err, "  {\"n\": \"0/1/5\", \"sv\": \"taHA/+4BAgMEBQYHCAkKCw==\"},\n",
                                     "", NULL), 0);
    assert_int_equal(config_check_keys(c, false, &err), 0);
    assert_int_equal(config_check_keys(c, true, &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "LWM2M_PSK_KEY_BS"));
    /* the full C.14 needs nothing more */
    assert_int_equal(config_load_file(C14, c, &err), 0);
    assert_int_equal(config_check_keys(c, true, &err), 0);
}

static char *write_temp(const char *content)
{
    char *path = strdup("/tmp/lc_test_config_keys_XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t len = strlen(content);
    assert_int_equal(write(fd, content, len), (ssize_t)len);
    close(fd);
    return path;
}

static void expect_keyfile_error(config *c, const char *content, const char *msg_after_path)
{
    char *path = write_temp(content);
    lc_error err = {0};
    int rc = config_apply_psk_file(c, path, &err);
    char want[512];
    snprintf(want, sizeof want, "%s%s", path, msg_after_path);
    unlink(path);
    free(path);
    assert_int_equal(rc, LC_EINVAL);
    assert_string_equal(err.msg, want);
}

static void test_psk_file(void **state)
{
    config *c = *state;
    lc_error err = {0};
    clear_env();
    assert_int_equal(config_load_file(C14, c, &err), 0);
    assert_int_equal(config_apply_psk_file(c, NULL, &err), 0);
    assert_int_equal(config_server(c, 1)->psk_key[0], 0x1a);

    /* the file wins over the environment */
    setenv("LWM2M_PSK_KEY_1", "ffff", 1);
    assert_int_equal(config_apply_psk_env(c, &err), 0);
    assert_int_equal(config_server(c, 1)->psk_key_len, 2);
    assert_int_equal(config_apply_psk_file(c, DATA "keys.txt", &err), 0);
    clear_env();
    assert_int_equal(config_server(c, 1)->psk_key_len, 16);
    assert_memory_equal(config_server(c, 1)->psk_key, KEY1, 16);
    assert_int_equal(config_bootstrap(c)->psk_key_len, 4);
    assert_memory_equal(config_bootstrap(c)->psk_key, KEY_BS, 4);
    assert_int_equal(config_server(c, 2)->psk_key[0], 0x9f);

    /* errors name file:line, never the key, and apply nothing */
    assert_int_equal(config_load_file(C14, c, &err), 0);
    expect_keyfile_error(c, "1 00112233445566778899aabbccddeeff\n3 00112233\n",
                         ":2: fixtures/c14.json has no server account with Short Server ID 3");
    assert_int_equal(config_server(c, 1)->psk_key[0], 0x1a);
    expect_keyfile_error(c, "# comment\n\n1 0g\n", ":3: the key is not hex: character 2 is not "
                                                   "a hex digit");
    expect_keyfile_error(c, "1\n", ":1: expected '<ssid|bs> <hex key>'");
    expect_keyfile_error(c, "1 00 11\n", ":1: expected '<ssid|bs> <hex key>'");
    expect_keyfile_error(c, "server1 0011\n", ":1: 'server1' is not a Short Server ID (1..65534) "
                                              "or 'bs'");
    expect_keyfile_error(c, "0 0011\n", ":1: '0' is not a Short Server ID (1..65534) or 'bs'");
    expect_keyfile_error(c, "1 0011\nbs 22\n1 3344\n",
                         ":3: a second key for SSID 1 (the first is on line 1)");
    expect_keyfile_error(c, "BS 0011\nbs 3344\n",
                         ":2: a second key for bs (the first is on line 1)");
    expect_keyfile_error(c, "2\t\n", ":1: expected '<ssid|bs> <hex key>'");
    assert_int_equal(config_server(c, 1)->psk_key[0], 0x1a);
    assert_int_equal(config_bootstrap(c)->psk_key[0], 0xb5);

    /* a key file without a trailing newline, with CRLF and tabs */
    char *path = write_temp("  # keys\r\n2\t0a0b0c # server 2\r\nbs 01");
    assert_int_equal(config_apply_psk_file(c, path, &err), 0);
    unlink(path);
    free(path);
    assert_int_equal(config_server(c, 2)->psk_key_len, 3);
    assert_int_equal(config_server(c, 2)->psk_key[2], 0x0c);
    assert_int_equal(config_bootstrap(c)->psk_key_len, 1);

    assert_int_equal(config_apply_psk_file(c, "/nonexistent/keys.txt", &err), LC_EIO);
    assert_string_equal(err.msg, "/nonexistent/keys.txt: cannot open the PSK key file: No such "
                                 "file or directory");
}

static void test_base64_hex(void **state)
{
    (void)state;
    uint8_t out[8];
    size_t n = 99;
    assert_int_equal(config_base64_decode("", out, sizeof out, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(config_base64_decode("Zg==", out, sizeof out, &n), 0);
    assert_int_equal(n, 1);
    assert_memory_equal(out, "f", 1);
    assert_int_equal(config_base64_decode("Zm8=", out, sizeof out, &n), 0);
    assert_int_equal(n, 2);
    assert_memory_equal(out, "fo", 2);
    assert_int_equal(config_base64_decode("Zm9vYmFy", out, sizeof out, &n), 0);
    assert_int_equal(n, 6);
    assert_memory_equal(out, "foobar", 6);
    assert_int_equal(config_base64_decode("Zg", out, sizeof out, &n), 0); /* unpadded */
    assert_int_equal(n, 1);
    assert_int_equal(config_base64_decode("+/+/", out, sizeof out, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(out[0], 0xfb);
    assert_int_equal(out[1], 0xff);
    assert_int_equal(out[2], 0xbf);
    assert_int_equal(config_base64_decode("Z", out, sizeof out, &n), LC_EINVAL);
    assert_int_equal(config_base64_decode("Zg=", out, sizeof out, &n), LC_EINVAL);
    assert_int_equal(config_base64_decode("Zm9v=", out, sizeof out, &n), LC_EINVAL);
    assert_int_equal(config_base64_decode("Z=g=", out, sizeof out, &n), LC_EINVAL);
    assert_int_equal(config_base64_decode("Zg===", out, sizeof out, &n), LC_EINVAL);
    assert_int_equal(config_base64_decode("Zm9v YmFy", out, sizeof out, &n), LC_EINVAL);
    assert_int_equal(config_base64_decode("-_-_", out, sizeof out, &n), LC_EINVAL);
    assert_int_equal(config_base64_decode("Zm9vYmFyYmF6", out, 8, &n), LC_EINVAL); /* 9 bytes */
    assert_int_equal(config_base64_decode(NULL, out, sizeof out, &n), LC_EINVAL);

    assert_int_equal(config_hex_decode("", out, sizeof out, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(config_hex_decode("0aFf", out, sizeof out, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(out[0], 0x0a);
    assert_int_equal(out[1], 0xff);
    assert_int_equal(config_hex_decode("abc", out, sizeof out, &n), LC_EINVAL);
    assert_int_equal(config_hex_decode("zz", out, sizeof out, &n), LC_EINVAL);
    assert_int_equal(config_hex_decode("0x10", out, sizeof out, &n), LC_EINVAL);
    assert_int_equal(config_hex_decode("001122334455667788", out, 8, &n), LC_EINVAL);
    assert_int_equal(config_hex_decode("0011223344556677", out, 8, NULL), 0);
    assert_int_equal(out[7], 0x77);
}

static void test_load_file_errors(void **state)
{
    config *c = *state;
    lc_error err = {0};
    assert_int_equal(config_load_file("tests/data/config/nonexistent.json", c, &err), LC_EIO);
    assert_string_equal(err.msg, "tests/data/config/nonexistent.json: cannot open: No such file "
                                 "or directory");
    assert_int_equal(err.code, LC_EIO);
    /* a directory opens but cannot be read */
    assert_int_equal(config_load_file("tests/data/config", c, &err), LC_EIO);
    assert_int_equal(config_load_file(NULL, c, &err), LC_EINVAL);
    assert_int_equal(config_load_string(NULL, "x", c, &err), LC_EINVAL);
    /* err may be NULL */
    assert_int_equal(config_load_string("{", "x", c, NULL), LC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_c14_loads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bn_joining, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syntax_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_entry_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_semantic_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_base64_never_echoes_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nosec_account, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_uri, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_psk_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_psk_env, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keys_outside_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_psk_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_base64_hex, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_file_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
