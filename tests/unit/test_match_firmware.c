/* The firmware check's "taken": "or-refused" (int-773/776/777 B: a pushed block's refusal
 * counts when the device reports it in the Update Result) and "ranges": true (int-751 C:
 * Object 5 values within LwM2M 1.0/1.1 §E.6), in src/run/match_firmware.c via match_check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "run/match.h"

/* An answer to st's request on path: code, Content-Format cf (-1: none), payload text. */
static step_outcome answer(const tc_step *st, const char *path, int code, int cf,
                           const char *payload)
{
    step_outcome o;
    memset(&o, 0, sizeof o);
    o.step = st;
    o.status = OUTCOME_OK;
    o.has_request = o.has_response = true;
    snprintf(o.request.path, sizeof o.request.path, "%s", path);
    o.request.content_format = o.request.accept = o.request.observe = -1;
    o.response.code = code;
    o.response.content_format = cf;
    o.response.accept = o.response.observe = -1;
    size_t n = strlen(payload);
    o.response.payload = malloc(n + 1);
    memcpy(o.response.payload, payload, n + 1);
    o.response.payload_len = n;
    return o;
}

static verdict judge(const tc_check *chk, step_outcome *o, const step_outcome *all, size_t n,
                     char **observed)
{
    match_env env = {.timing_scale = 1, .outcomes = all, .outcome_count = n};
    match_result m;
    match_check(chk, o, &env, &m);
    verdict v = m.verdict;
    if (observed)
        *observed = m.observed ? strdup(m.observed) : NULL;
    match_result_clear(&m);
    return v;
}

static const tc_step deliver = {.number = 2, .op = TC_OP_FIRMWARE_DELIVER, .path = "/5/0/0"};
static const tc_step wait = {.number = 3, .op = TC_OP_FIRMWARE_WAIT, .path = "/5/0"};

/* the delivery answered code on path, then a wait whose last poll shows state/result */
static verdict taken(const char *path, int code, int state, int result, char **obs)
{
    tc_check chk = {.kind = TC_CHECK_FIRMWARE, .fw_taken_or_refused = true};
    step_outcome all[2];
    all[0] = answer(&deliver, path, code, -1, "");
    all[1] = answer(&wait, "/5/0", COAP_RESPONSE_CODE(205), -1, "");
    all[1].fw_polls[0] = (outcome_fw_poll){state, result, 0};
    all[1].fw_poll_count = all[1].fw_polls_total = 1;
    verdict v = judge(&chk, &all[0], all, 2, obs);
    step_outcome_clear(&all[0]);
    step_outcome_clear(&all[1]);
    return v;
}

static void test_taken_or_refused(void **state)
{
    (void)state;
    char *obs = NULL;
    /* the ETS's answer */
    assert_int_equal(taken("/5/0/0", COAP_RESPONSE_CODE(204), 2, 0, NULL), VERDICT_PASS);
    assert_int_equal(taken("/5/0/1", COAP_RESPONSE_CODE(204), 0, 6, NULL), VERDICT_PASS);
    /* RFC 7959 §2.9.3: 4.13 during the Block1 transfer, reported as Update Result 2 */
    assert_int_equal(taken("/5/0/0", COAP_RESPONSE_CODE(413), 0, 2, &obs), VERDICT_PASS);
    assert_non_null(strstr(obs, "4.13 to a pushed block, then State 0 (Idle), Update Result 2"));
    free(obs);
    /* Anjay's answer when its storage cannot take the block */
    assert_int_equal(taken("/5/0/0", COAP_RESPONSE_CODE(500), 0, 2, NULL), VERDICT_PASS);
    assert_int_equal(taken("/5/0/0", COAP_RESPONSE_CODE(400), 0, 5, NULL), VERDICT_PASS);
    /* a refusal the device does not report */
    assert_int_equal(taken("/5/0/0", COAP_RESPONSE_CODE(413), 0, 0, &obs), VERDICT_FAIL);
    assert_non_null(strstr(obs, "Update Result 0"));
    free(obs);
    /* answers that say nothing about the package */
    assert_int_equal(taken("/5/0/0", COAP_RESPONSE_CODE(405), 0, 2, NULL), VERDICT_FAIL);
    assert_int_equal(taken("/5/0/0", COAP_RESPONSE_CODE(408), 0, 2, NULL), VERDICT_FAIL);
    assert_int_equal(taken("/5/0/0", COAP_RESPONSE_CODE(404), 0, 2, NULL), VERDICT_FAIL);
    /* a Package URI is a Write of a string: no block to refuse */
    assert_int_equal(taken("/5/0/1", COAP_RESPONSE_CODE(400), 0, 7, &obs), VERDICT_FAIL);
    assert_non_null(strstr(obs, "Package URI"));
    free(obs);
}

static verdict ranges(const char *senml_json, char **obs)
{
    static const tc_step read = {.number = 1, .op = TC_OP_READ, .path = "/5/0"};
    tc_check chk = {.kind = TC_CHECK_FIRMWARE, .fw_ranges = true};
    step_outcome o = answer(&read, "/5/0", COAP_RESPONSE_CODE(205), 110, senml_json);
    verdict v = judge(&chk, &o, &o, 1, obs);
    step_outcome_clear(&o);
    return v;
}

static void test_ranges(void **state)
{
    (void)state;
    char *obs = NULL;
    assert_int_equal(ranges("[{\"bn\":\"/5/0/\",\"n\":\"3\",\"v\":0},{\"n\":\"5\",\"v\":11},"
                            "{\"n\":\"8/0\",\"v\":0},{\"n\":\"8/1\",\"v\":5},{\"n\":\"9\",\"v\":2}]",
                            NULL),
                     VERDICT_PASS);
    assert_int_equal(ranges("[{\"bn\":\"/5/0/\",\"n\":\"3\",\"v\":0},{\"n\":\"9\",\"v\":3}]", &obs),
                     VERDICT_FAIL);
    assert_non_null(strstr(obs, "/5/0/9 = 3 (out of range)"));
    free(obs);
    assert_int_equal(ranges("[{\"bn\":\"/5/0/\",\"n\":\"3\",\"v\":4}]", NULL), VERDICT_FAIL);
    assert_int_equal(ranges("[{\"bn\":\"/5/0/\",\"n\":\"5\",\"v\":12}]", NULL), VERDICT_FAIL);
    assert_int_equal(ranges("[{\"bn\":\"/5/0/\",\"n\":\"8/2\",\"v\":6}]", NULL), VERDICT_FAIL);
    assert_int_equal(ranges("[{\"bn\":\"/5/0/\",\"n\":\"3\",\"v\":-1}]", NULL), VERDICT_FAIL);
}

/* "served": a step that timed out before the tool served anything FAILs with the step's
 * own detail, and nothing of the message leaks (LeakSanitizer under make SANITIZE=1 test:
 * the detail was formatted twice and the first copy lost) */
static void test_served_without_answer(void **state)
{
    (void)state;
    tc_check chk = {.kind = TC_CHECK_FIRMWARE, .fw_served = true};
    step_outcome o;
    memset(&o, 0, sizeof o);
    o.step = &wait;
    o.status = OUTCOME_TIMEOUT;
    snprintf(o.detail, sizeof o.detail, "no Update Result within 4.0 s");
    char *obs = NULL;
    assert_int_equal(judge(&chk, &o, &o, 1, &obs), VERDICT_FAIL);
    assert_string_equal(obs, "no Update Result within 4.0 s");
    free(obs);
    o.status = OUTCOME_OK;
    assert_int_equal(judge(&chk, &o, &o, 1, &obs), VERDICT_ERROR);
    assert_string_equal(obs, "the tool served no package in this case");
    free(obs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_taken_or_refused),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_served_without_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
