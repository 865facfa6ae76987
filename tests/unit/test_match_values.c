/* Value criteria on any content format (src/run/match.c), and reading a payload that came
 * without a Content-Format option (src/lwm2m/content/guess.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lwm2m/content/content.h"
#include "lwm2m/content/guess.h"
#include "lwm2m/objects.h"
#include "run/match.h"

/* The device description the judged criteria read (NULL: none given). */
static const description *judge_desc;

static tc_value_expect lt_86400[] = {{.path = "/1/0/1", .equals = "86400"},
                                     {.path = "/1/0/7", .equals = "U"}};

/* Judges a values check over these expectations against the answer to an op request on
 * path carrying payload as cf (CF_NONE: no Content-Format option), the request having
 * Accept accept; or, when !answered, against a request that timed out. */
static match_result judge_op(tc_op op, const char *path, tc_value_expect *values, size_t n,
                             int cf, int accept, const void *payload, size_t len, bool answered)
{
    tc_step step = {.number = 1, .op = op, .path = (char *)path};
    tc_check chk = {.kind = TC_CHECK_VALUES, .values = values, .value_count = n};
    step_outcome o;
    memset(&o, 0, sizeof o);
    o.step = &step;
    o.status = answered ? OUTCOME_OK : OUTCOME_TIMEOUT;
    o.has_request = true;
    o.has_response = answered;
    o.request.content_format = o.request.observe = -1;
    o.request.accept = accept;
    o.response.code = COAP_RESPONSE_CODE(205);
    o.response.content_format = cf;
    o.response.accept = o.response.observe = -1;
    o.response.payload = malloc(len ? len : 1);
    memcpy(o.response.payload, payload, len);
    o.response.payload_len = len;
    match_env env = {.desc = judge_desc};
    match_result m;
    match_check(&chk, &o, &env, &m);
    step_outcome_clear(&o);
    return m;
}

/* An error answer holds no values: its diagnostic payload is never read as them (int-4 E:
 * a Read of /1 after its instances were deleted may be 4.04). */
static void test_error_answer_has_no_values(void **state)
{
    (void)state;
    tc_step step = {.number = 1, .op = TC_OP_READ, .path = (char *)"/1"};
    tc_value_expect gone[] = {{.path = "/1/0/0", .absent = true}};
    tc_value_expect there[] = {{.path = "/1/0/0", .equals = "1"}};
    tc_check chk = {.kind = TC_CHECK_VALUES, .values = gone, .value_count = 1};
    step_outcome o;
    memset(&o, 0, sizeof o);
    o.step = &step;
    o.status = OUTCOME_OK;
    o.has_request = o.has_response = true;
    o.request.content_format = o.request.observe = o.request.accept = -1;
    o.response.code = COAP_RESPONSE_CODE(404);
    o.response.content_format = 0; /* a text diagnostic that looks like a value */
    o.response.accept = o.response.observe = -1;
    o.response.payload = (uint8_t *)strdup("1");
    o.response.payload_len = 1;
    match_env env = {0};
    match_result m;
    match_check(&chk, &o, &env, &m);
    assert_int_equal(m.verdict, VERDICT_PASS);
    free(m.expected);
    free(m.observed);
    chk.values = there;
    match_check(&chk, &o, &env, &m);
    assert_int_equal(m.verdict, VERDICT_FAIL);
    assert_non_null(strstr(m.observed, "no values: the device answered 4.04"));
    free(m.expected);
    free(m.observed);
    step_outcome_clear(&o);
}

/* The same against a Read (GET) of path. */
static match_result judge_at(const char *path, tc_value_expect *values, size_t n, int cf,
                             int accept, const void *payload, size_t len, bool answered)
{
    return judge_op(TC_OP_READ, path, values, n, cf, accept, payload, len, answered);
}

/* "values /1/0/1 = 86400, /1/0/7 = U" against a 2.05 of GET /1/0. */
static match_result judge(int cf, int accept, const void *payload, size_t len)
{
    return judge_at("/1/0", lt_86400, 2, cf, accept, payload, len, true);
}

/* The records as cf encodes them for /1/0. */
static uint8_t *encoded(int cf, bool lifetime_as_text, size_t *len)
{
    lwm2m_records recs;
    records_init(&recs);
    lwm2m_path p;
    lwm2m_path_parse("/1/0/0", &p);
    records_add_int(&recs, &p, 1);
    lwm2m_path_parse("/1/0/1", &p);
    if (lifetime_as_text)
        records_add_string(&recs, &p, "86400");
    else
        records_add_int(&recs, &p, 86400);
    lwm2m_path_parse("/1/0/7", &p);
    records_add_string(&recs, &p, "U");
    lwm2m_path base;
    lwm2m_path_parse("/1/0", &base);
    uint8_t *out = NULL;
    lc_error err = {0};
    if (content_encode(cf, &base, &recs, &out, len, &err) != 0)
        fail_msg("encode %d: %s", cf, err.msg);
    records_free(&recs);
    return out;
}

static const int formats[] = {CF_TLV, CF_OMA_JSON, CF_SENML_JSON, CF_SENML_CBOR, CF_LWM2M_CBOR};

/* Every format the tool decodes gives the same verdict: values, never bytes. */
static void test_same_values_any_format(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (!content_codec_find(formats[i]))
            continue;
        size_t len;
        uint8_t *p = encoded(formats[i], false, &len);
        match_result m = judge(formats[i], -1, p, len);
        if (m.verdict != VERDICT_PASS)
            fail_msg("format %d: %s", formats[i], m.observed);
        match_result_clear(&m);
        free(p);
    }
}

/* A number sent as a string (SenML "vs", a CBOR text string) is the wrong kind. */
static void test_number_as_string_fails(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (!content_codec_find(formats[i]) || formats[i] == CF_TLV)
            continue; /* TLV carries no types: its bytes are read as the resource's */
        size_t len;
        uint8_t *p = encoded(formats[i], true, &len);
        match_result m = judge(formats[i], -1, p, len);
        assert_int_equal(m.verdict, VERDICT_FAIL);
        assert_non_null(strstr(m.observed, "/1/0/1 is a string \"86400\", but the resource is "
                                           "an integer"));
        match_result_clear(&m);
        free(p);
    }
}

static void test_no_content_format(void **state)
{
    (void)state;
    size_t len;
    uint8_t *p = encoded(CF_SENML_JSON, false, &len);
    /* the request's Accept says what it is */
    match_result m = judge(CF_NONE, CF_SENML_JSON, p, len);
    assert_int_equal(m.verdict, VERDICT_PASS);
    assert_non_null(strstr(m.observed, "no Content-Format option: read as application/senml+json, "
                                       "the format the request's Accept asked for"));
    match_result_clear(&m);
    /* no Accept either: recognised */
    m = judge(CF_NONE, -1, p, len);
    assert_int_equal(m.verdict, VERDICT_PASS);
    assert_non_null(strstr(m.observed, "recognised from the payload"));
    match_result_clear(&m);
    /* an Accept the payload is not in: the device's answer does not decode, a FAIL */
    m = judge(CF_NONE, CF_TLV, p, len);
    assert_int_equal(m.verdict, VERDICT_FAIL);
    assert_non_null(strstr(m.observed, "cannot decode application/vnd.oma.lwm2m+tlv, the format "
                                       "the request's Accept asked for"));
    match_result_clear(&m);
    free(p);
    p = encoded(CF_TLV, false, &len);
    m = judge(CF_NONE, -1, p, len);
    assert_int_equal(m.verdict, VERDICT_PASS);
    assert_non_null(strstr(m.observed, "read as application/vnd.oma.lwm2m+tlv, recognised"));
    match_result_clear(&m);
    free(p);
    p = encoded(CF_OMA_JSON, false, &len);
    m = judge(CF_NONE, -1, p, len);
    assert_int_equal(m.verdict, VERDICT_PASS);
    match_result_clear(&m);
    free(p);
    /* garbage is a FAIL that says no format reads it */
    m = judge(CF_NONE, -1, "\xff\xfe", 2);
    assert_int_equal(m.verdict, VERDICT_FAIL);
    assert_non_null(strstr(m.observed, "2 bytes: ff fe"));
    assert_non_null(strstr(m.observed, "no LwM2M value format"));
    match_result_clear(&m);
}

static void test_guess_rules(void **state)
{
    (void)state;
    lwm2m_path res, inst;
    lwm2m_path_parse("/1/0/1", &res);
    lwm2m_path_parse("/1/0", &inst);
    lwm2m_records recs;
    records_init(&recs);
    content_guess how;
    lc_error err = {0};
    /* one resource in text/plain */
    assert_int_equal(content_decode_guess(&res, -1, (const uint8_t *)"86400", 5, objects_type_of,
                                          NULL, &recs, &how, &err), 0);
    assert_int_equal(how.cf, CF_TEXT);
    assert_false(how.by_accept);
    assert_int_equal(recs.count, 1);
    records_free(&recs);
    /* text is never a guess for an instance */
    records_init(&recs);
    assert_int_equal(content_decode_guess(&inst, -1, (const uint8_t *)"hello", 5, objects_type_of,
                                          NULL, &recs, &how, &err), LC_EINVAL);
    assert_int_equal(how.cf, CF_NONE);
    assert_int_equal(recs.count, 0);
    records_free(&recs);
}

/* One ETS step of two requests, one criterion naming both values (int-1230 C: the Observes
 * of /10/0/12 and /10/0/13): each request is judged on the values under its own path,
 * never failed for the other's; a value of its own that is wrong or missing still fails,
 * and a request that got no answer fails whatever the values. */
static match_result judge_text(const char *path, const char *text, bool answered)
{
    static tc_value_expect both[] = {{.path = "/10/0/12", .equals = "3"},
                                     {.path = "/10/0/13", .equals = "1"}};
    return judge_at(path, both, 2, CF_TEXT, -1, text, strlen(text), answered);
}

static void test_values_scoped_to_request_path(void **state)
{
    (void)state;
    match_result m = judge_text("/10/0/12", "3", true);
    assert_int_equal(m.verdict, VERDICT_PASS);
    assert_non_null(m.expected);
    assert_null(strstr(m.expected, "/10/0/13")); /* not this request's */
    match_result_clear(&m);
    m = judge_text("/10/0/13", "1", true);
    assert_int_equal(m.verdict, VERDICT_PASS);
    match_result_clear(&m);
    m = judge_text("/10/0/13", "2", true);
    assert_int_equal(m.verdict, VERDICT_FAIL);
    assert_non_null(strstr(m.observed, "/10/0/13 is \"2\", expected \"1\""));
    match_result_clear(&m);
    /* a request on a path that holds none of the values: nothing of its own to judge */
    m = judge_text("/10/0/6", "10", true);
    assert_int_equal(m.verdict, VERDICT_PASS);
    match_result_clear(&m);
    /* ... but a timeout is never a pass */
    m = judge_text("/10/0/6", "", false);
    assert_int_equal(m.verdict, VERDICT_FAIL);
    match_result_clear(&m);
}

/* int-205 C: Writes of /1/0/2 and /1/0/3, then the Read of /1/0 that verifies them, one
 * criterion naming the values: a Write's answer carries no values, so only the Read is
 * judged on them. */
static void test_values_not_judged_in_writes(void **state)
{
    (void)state;
    static tc_value_expect two[] = {{.path = "/1/0/2", .equals = "1"},
                                    {.path = "/1/0/3", .equals = "10"}};
    match_result m = judge_op(TC_OP_WRITE, "/1/0/2", two, 2, CF_NONE, -1, "", 0, true);
    assert_int_equal(m.verdict, VERDICT_PASS);
    match_result_clear(&m);
    m = judge_at("/1/0/3", two, 2, CF_TEXT, -1, "1000", 4, true);
    assert_int_equal(m.verdict, VERDICT_FAIL);
    assert_non_null(strstr(m.observed, "/1/0/3 is \"1000\", expected \"10\""));
    match_result_clear(&m);
}

/* A device's own value is compared with its description; where the description is silent,
 * or marks it volatile, only presence and type are checked, and the criterion says so. */
static void test_described_values(void **state)
{
    (void)state;
    lwm2m_records recs;
    records_init(&recs);
    lwm2m_path p, base;
    lwm2m_path_parse("/3/0/0", &p);
    records_add_string(&recs, &p, "lwm2m-conform");
    lwm2m_path_parse("/3/0/9", &p);
    records_add_int(&recs, &p, 80);
    lwm2m_path_parse("/3/0", &base);
    uint8_t *tlv = NULL;
    size_t len = 0;
    lc_error err = {0};
    assert_int_equal(content_encode(11542, &base, &recs, &tlv, &len, &err), 0);
    records_free(&recs);
    tc_value_expect v[] = {{.path = "/3/0/0", .equals = "${device.manufacturer}"},
                           {.path = "/3/0/9", .equals = "${device[/3/0/9]}"}};
    description *d = malloc(sizeof *d);
    assert_non_null(d);

    judge_desc = NULL; /* no description: present, of the resource's type */
    match_result m = judge_at("/3/0", v, 2, 11542, -1, tlv, len, true);
    assert_int_equal(m.verdict, VERDICT_PASS);
    assert_non_null(strstr(m.expected, "/3/0/0 present, of its resource's type (not compared:"));
    free(m.expected);
    free(m.observed);

    assert_int_equal(description_load_string("{\"values\": {\"/3/0/0\": \"ACME\", \"/3/0/9\": 95},"
                                             " \"volatile\": [\"/3/0/9\"]}", "d.json", d, &err), 0);
    judge_desc = d; /* a wrong Manufacturer fails, naming it; the battery is never compared */
    m = judge_at("/3/0", v, 2, 11542, -1, tlv, len, true);
    assert_int_equal(m.verdict, VERDICT_FAIL);
    assert_non_null(strstr(m.observed, "/3/0/0 is \"lwm2m-conform\", expected \"ACME\""));
    assert_null(strstr(m.observed, "/3/0/9 is"));
    assert_non_null(strstr(m.expected, "/3/0/9 present, of its resource's type (not compared: "
                                       "${device[/3/0/9]}: /3/0/9 changes by itself"));
    free(m.expected);
    free(m.observed);

    /* silent on a value: a missing resource still fails, and so does one of another type */
    tc_value_expect absent[] = {{.path = "/3/0/2", .equals = "${device.serial_number}"}};
    m = judge_at("/3/0", absent, 1, 11542, -1, tlv, len, true);
    assert_int_equal(m.verdict, VERDICT_FAIL);
    assert_non_null(strstr(m.observed, "/3/0/2 is missing"));
    free(m.expected);
    free(m.observed);
    /* a description that lists the instance's resources: an optional one it does not list
     * is not required; a mandatory one still is */
    assert_int_equal(description_load_string("{\"objects\": {\"3\": {\"0\": [0, 9]}}}", "l.json",
                                             d, &err), 0);
    judge_desc = d;
    tc_value_expect opt[] = {{.path = "/3/0/14", .equals = "${device[/3/0/14]}"},
                             {.path = "/3/0/16", .equals = "${device.supported_binding}"}};
    m = judge_at("/3/0", opt, 1, 11542, -1, tlv, len, true);
    assert_int_equal(m.verdict, VERDICT_PASS);
    assert_non_null(strstr(m.expected, "/3/0/14 not required (optional: l.json lists no such resource)"));
    free(m.expected);
    free(m.observed);
    m = judge_at("/3/0", opt + 1, 1, 11542, -1, tlv, len, true);
    assert_int_equal(m.verdict, VERDICT_FAIL); /* Supported Binding is mandatory */
    assert_non_null(strstr(m.observed, "/3/0/16 is missing"));
    free(m.expected);
    free(m.observed);
    judge_desc = NULL;
    free(d);
    free(tlv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_values_any_format),
        cmocka_unit_test(test_number_as_string_fails),
        cmocka_unit_test(test_no_content_format),
        cmocka_unit_test(test_guess_rules),
        cmocka_unit_test(test_values_scoped_to_request_path),
        cmocka_unit_test(test_values_not_judged_in_writes),
        cmocka_unit_test(test_described_values),
        cmocka_unit_test(test_error_answer_has_no_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
