/* run/optformat: a device is not failed on a content format its LwM2M version makes
 * optional (a case's own Accept answered 4.06, or its own Content-Format answered 4.15),
 * and still fails on a mandatory one or on a format the tool picked for it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <coap3/coap.h>

#include "run/optformat.h"

typedef struct fake {
    tc_case c;
    tc_step step;
    step_outcome o;
    case_result cr;
    criterion_result crit;
} fake;

/* One step (a Read with accept, or a Write with content_format), answered code, judged
 * by one failed criterion. */
static void make(fake *f, int accept, int content_format, int code)
{
    memset(f, 0, sizeof *f);
    f->step.number = 1;
    f->step.op = accept >= 0 ? TC_OP_READ : TC_OP_WRITE;
    f->step.accept = accept;
    f->step.content_format = content_format;
    f->c.steps = &f->step;
    f->c.step_count = 1;
    f->o.step = &f->step;
    f->o.status = OUTCOME_OK;
    f->o.has_request = f->o.has_response = true;
    f->o.response.code = code;
    f->crit.letter = 'A';
    f->crit.step = 1;
    f->crit.verdict = VERDICT_FAIL;
    f->cr.verdict = VERDICT_FAIL;
    f->cr.criteria = &f->crit;
    f->cr.criterion_count = 1;
}

static void test_optional_by_version(void **state)
{
    (void)state;
    assert_false(optformat_optional(0, "1.1"));     /* Plain Text */
    assert_false(optformat_optional(40, "1.2"));    /* CoRE Link */
    assert_false(optformat_optional(11542, NULL));  /* TLV in 1.0 */
    assert_false(optformat_optional(11542, "1.0"));
    assert_true(optformat_optional(11542, "1.1"));  /* TLV from 1.1 */
    assert_true(optformat_optional(11543, "1.0"));  /* OMA JSON: a MAY in every version */
    assert_true(optformat_optional(112, "1.2"));
}

static void test_excuse(void **state)
{
    (void)state;
    fake f;
    char why[320];
    /* int-204 on a 1.1 device without OMA JSON: SKIPPED, with the reason */
    make(&f, 11543, -1, COAP_RESPONSE_CODE(406));
    assert_true(optformat_excuse(&f.c, &f.o, &f.cr, "1.1", why, sizeof why));
    assert_non_null(strstr(why, "OMA JSON (11543), which LwM2M 1.1 makes optional"));
    assert_non_null(strstr(why, "4.06 Not Acceptable"));
    /* a 1.0 device refusing TLV still fails: TLV is mandatory in 1.0 */
    make(&f, 11542, -1, COAP_RESPONSE_CODE(406));
    assert_false(optformat_excuse(&f.c, &f.o, &f.cr, "1.0", why, sizeof why));
    assert_true(optformat_excuse(&f.c, &f.o, &f.cr, "1.1", why, sizeof why));
    /* a Write in an optional format answered 4.15 */
    make(&f, -1, 112, COAP_RESPONSE_CODE(415));
    assert_true(optformat_excuse(&f.c, &f.o, &f.cr, "1.2", why, sizeof why));
    assert_non_null(strstr(why, "4.15 Unsupported Content-Format"));
    /* a format the tool picked (no "accept" or "content_format" of the case's own) */
    make(&f, -1, -1, COAP_RESPONSE_CODE(415));
    f.o.request.content_format = 110; /* what the device asked for with pct */
    assert_false(optformat_excuse(&f.c, &f.o, &f.cr, "1.1", why, sizeof why));
    /* another answer than 4.06, or a case that did not fail */
    make(&f, 11543, -1, COAP_RESPONSE_CODE(500));
    assert_false(optformat_excuse(&f.c, &f.o, &f.cr, "1.1", why, sizeof why));
    make(&f, 11543, -1, COAP_RESPONSE_CODE(406));
    f.cr.verdict = VERDICT_PASS;
    assert_false(optformat_excuse(&f.c, &f.o, &f.cr, "1.1", why, sizeof why));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_optional_by_version),
        cmocka_unit_test(test_excuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
