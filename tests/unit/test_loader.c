/* The test-definition loader: the seed definitions, one malformed definition per kind of
 * mistake (tests/data/loader/, one file each) with exact FILE:LINE:COLUMN and messages, suites
 * (tests/data/loader/suite-*), and the JSON Schema kept in step with the loader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "tc/loader.h"
#include "tc/rules.h"
#include "tc/suite.h"
#include "tc/model.h"

#define DATA "tests/data/loader/"

static int load(const char *path, tc_case **c, tc_diags *d)
{
    tc_diags_init(d);
    return tc_load_file_diags(path, c, d);
}

static int load_text(const char *text, tc_case **c, tc_diags *d)
{
    tc_diags_init(d);
    return tc_load_string(text, strlen(text), "inline.json", c, d);
}

/* Checks diag i: its formatted form starts with "FILE:LINE:COL: PATH: " and the message
 * holds every fragment. */
static void assert_diag(const tc_diags *d, size_t i, const char *file, int line, int col,
                        const char *json_path, const char *frag1, const char *frag2)
{
    assert_true(i < d->count);
    const tc_diag *e = &d->items[i];
    char buf[2048], head[512];
    tc_diag_format(e, buf, sizeof buf);
    if (json_path)
        snprintf(head, sizeof head, "%s:%d:%d: %s: ", file, line, col, json_path);
    else
        snprintf(head, sizeof head, "%s:%d:%d: ", file, line, col);
    if (strncmp(buf, head, strlen(head)) != 0)
        fail_msg("diagnostic %zu is\n  %s\nexpected it to start with\n  %s", i, buf, head);
    assert_string_equal(e->file, file);
    assert_int_equal(e->line, line);
    assert_int_equal(e->column, col);
    if (frag1 && !strstr(e->message, frag1))
        fail_msg("diagnostic '%s' lacks '%s'", buf, frag1);
    if (frag2 && !strstr(e->message, frag2))
        fail_msg("diagnostic '%s' lacks '%s'", buf, frag2);
}

/* ---- the seeds ---------------------------------------------------------------------- */

static void test_seed_int950(void **state)
{
    (void)state;
    tc_case *c;
    tc_diags d;
    assert_int_equal(load("testcases/int-950.json", &c, &d), 0);
    assert_int_equal(d.count, 0);
    assert_non_null(c);
    assert_string_equal(c->id, "LightweightM2M-1.0-int-950");
    assert_string_equal(c->short_id, "int-950");
    assert_string_equal(c->title, "Multi-Servers Registration");
    assert_string_equal(c->object, "Client and Server");
    assert_string_equal(c->area, "multi-server");
    assert_string_equal(c->configuration, "C.14");
    assert_string_equal(c->file, "testcases/int-950.json");
    assert_non_null(strstr(c->source, "OMA-ETS-LightweightM2M-V1_0_1 \u00a76.2.1"));
    assert_false(c->tool_reading);
    /* one definition, two documents: the draft's id and ETS INT 1.2's (also_in) */
    assert_int_equal(c->ets_count, 2);
    assert_string_equal(c->ets[0].document, "1.0.1");
    assert_string_equal(c->ets[0].id, "LightweightM2M-1.0-int-950");
    assert_string_equal(c->ets[0].section, "6.2.1");
    assert_string_equal(c->ets[1].document, "1.2");
    assert_string_equal(c->ets[1].id, "LightweightM2M-1.1-int-950");
    assert_string_equal(c->ets[1].section, "6.6.9.1");
    assert_ptr_equal(tc_case_ets(c, "1.2"), &c->ets[1]);
    assert_true(tc_case_matches(c, "LightweightM2M-1.1-int-950"));
    assert_true(tc_case_matches(c, "int-950"));
    assert_non_null(strstr(c->spec_ref, "6.2.1"));
    assert_int_equal(c->precondition_count, 3);
    assert_int_equal(c->depends_on_count, 0);
    assert_int_equal(c->requires_count, 1);
    assert_string_equal(c->requires[0], "multi-server");

    assert_int_equal(c->step_count, 2);
    for (int i = 0; i < 2; i++) {
        const tc_step *st = &c->steps[i];
        assert_int_equal(st->number, i + 1);
        assert_int_equal(st->server, i + 1);
        assert_int_equal(st->op, TC_OP_EXPECT_REGISTER);
        assert_null(st->path);
        assert_int_equal(st->attribute_count, 0);
        assert_int_equal(st->content_format, -1);
        assert_int_equal(st->accept, -1);
        assert_int_equal(st->timeout_ms, 0);
        assert_non_null(strstr(st->text, i == 0 ? "Server #1" : "Server #2"));
    }
    assert_int_equal(c->steps[0].line, 20);
    assert_int_equal(c->steps[0].column, 5);

    assert_int_equal(c->criterion_count, 4);
    static const char letters[] = "ABCD";
    static const int steps[] = {1, 1, 2, 2};
    for (int i = 0; i < 4; i++) {
        const tc_criterion *cr = &c->criteria[i];
        assert_int_equal(cr->letter, letters[i]);
        assert_int_equal(cr->step, steps[i]);
        assert_int_equal(cr->check_count, 1);
        assert_ptr_equal(tc_case_criterion(c, letters[i]), cr);
    }
    for (int i = 0; i < 4; i += 2) {
        const tc_check *ck = &c->criteria[i].checks[0];
        char lt[64], b[64];
        snprintf(lt, sizeof lt, "${server[%d].lifetime}", i / 2 + 1);
        snprintf(b, sizeof b, "${server[%d].binding}", i / 2 + 1);
        assert_int_equal(ck->kind, TC_CHECK_REGISTRATION);
        assert_true(ck->reg_endpoint_present);
        assert_string_equal(ck->reg_endpoint_name, "*");
        assert_string_equal(ck->reg_lifetime, lt);
        assert_string_equal(ck->reg_binding, b);
        assert_null(ck->reg_lwm2m_version);
        assert_false(ck->reg_lwm2m_present);
        assert_int_equal(ck->reg_objects_present_count, 2);
        assert_int_equal(ck->reg_objects_present[0], 1);
        assert_int_equal(ck->reg_objects_present[1], 3);
        assert_int_equal(ck->reg_objects_absent_count, 1);
        assert_int_equal(ck->reg_objects_absent[0], 0);
        assert_non_null(strstr(c->criteria[i].text, i ? "Server Account #2" : "Server Account #1"));

        const tc_check *code = &c->criteria[i + 1].checks[0];
        assert_int_equal(code->kind, TC_CHECK_CODE);
        assert_string_equal(code->code, "2.01");
    }
    tc_case_free(c);
    tc_diags_free(&d);
}

static void assert_discover_criterion(const tc_criterion *cr, char letter, int step,
                                      const char *links)
{
    assert_int_equal(cr->letter, letter);
    assert_int_equal(cr->step, step);
    assert_int_equal(cr->check_count, 3);
    assert_int_equal(cr->checks[0].kind, TC_CHECK_CODE);
    assert_string_equal(cr->checks[0].code, "2.05");
    assert_int_equal(cr->checks[1].kind, TC_CHECK_CONTENT_FORMAT);
    assert_int_equal(cr->checks[1].content_format, 40);
    assert_int_equal(cr->checks[2].kind, TC_CHECK_LINKS);
    assert_int_equal(cr->checks[2].links_mode, TC_LINKS_CONTAINS);
    assert_string_equal(cr->checks[2].links, links);
    assert_int_equal(cr->checks[2].ignore_attribute_count, 1);
    assert_string_equal(cr->checks[2].ignore_attributes[0], "dim");
}

static void test_seed_int951(void **state)
{
    (void)state;
    tc_case *c;
    tc_diags d;
    assert_int_equal(load("testcases/int-951.json", &c, &d), 0);
    assert_int_equal(d.count, 0);
    assert_string_equal(c->short_id, "int-951");
    assert_string_equal(c->title, "Multi-Servers & Attributes");
    assert_int_equal(c->depends_on_count, 1);
    assert_string_equal(c->depends_on[0], "LightweightM2M-1.0-int-950");
    assert_int_equal(c->requires_count, 1);
    assert_string_equal(c->requires[0], "multi-server");
    assert_int_equal(c->precondition_count, 4);

    assert_int_equal(c->step_count, 6); /* and step 5: each server removes its attributes */
    static const int servers[] = {1, 2, 1, 2};
    static const char *const pmin[] = {"2", "15"}, *const pmax[] = {"10", "50"};
    for (int i = 0; i < 4; i++) {
        const tc_step *st = tc_case_step(c, i + 1);
        assert_ptr_equal(st, &c->steps[i]);
        assert_int_equal(st->server, servers[i]);
        assert_string_equal(st->path, "/3/0");
        if (i < 2) {
            assert_int_equal(st->op, TC_OP_WRITE_ATTRIBUTES);
            assert_int_equal(st->attribute_count, 2);
            assert_string_equal(st->attributes[0].name, "pmin");
            assert_string_equal(st->attributes[0].value, pmin[i]);
            assert_string_equal(st->attributes[1].name, "pmax");
            assert_string_equal(st->attributes[1].value, pmax[i]);
        } else {
            assert_int_equal(st->op, TC_OP_DISCOVER);
            assert_int_equal(st->attribute_count, 0);
        }
    }
    /* step 5, not in the change request: each server removes its attributes, unjudged */
    assert_int_equal(tc_case_step(c, 5)->op, TC_OP_WRITE_ATTRIBUTES);
    assert_non_null(tc_case_step(c, 5)->unjudged);
    assert_null(tc_case_step(c, 6));

    assert_int_equal(c->criterion_count, 4);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(c->criteria[i].letter, 'A' + i);
        assert_int_equal(c->criteria[i].step, i + 1);
        assert_int_equal(c->criteria[i].check_count, 1);
        assert_string_equal(c->criteria[i].checks[0].code, "2.04");
    }
    assert_discover_criterion(&c->criteria[2], 'C', 3,
                              "</3/0>;pmin=2;pmax=10,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,"
                              "</3/0/11>,</3/0/16>");
    assert_discover_criterion(&c->criteria[3], 'D', 4,
                              "</3/0>;pmin=15;pmax=50,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,"
                              "</3/0/11>,</3/0/16>");
    assert_null(tc_case_criterion(c, 'E'));
    tc_case_free(c);
    tc_diags_free(&d);
}

static void test_seed_suite_order(void **state)
{
    (void)state;
    tc_suite s;
    tc_diags d;
    lc_error err = {0};
    tc_diags_init(&d);
    assert_int_equal(tc_load_dir("testcases", &s, &d, &err), 0);
    assert_int_equal(d.count, 0);
    assert_true(s.count >= 2);
    size_t i950 = s.count, i951 = s.count;
    for (size_t i = 0; i < s.count; i++) {
        if (tc_case_matches(s.cases[i], "int-950"))
            i950 = i;
        if (tc_case_matches(s.cases[i], "LightweightM2M-1.0-int-951"))
            i951 = i;
    }
    assert_true(i950 < i951 && i951 < s.count);
    assert_ptr_equal(tc_suite_find(&s, "int-951"), s.cases[i951]);
    assert_ptr_equal(tc_suite_find(&s, "LightweightM2M-1.0-int-950"), s.cases[i950]);
    assert_null(tc_suite_find(&s, "int-95"));
    tc_suite_free(&s);
    assert_int_equal(s.count, 0);
    tc_diags_free(&d);
}

/* ---- one malformed definition per kind of mistake ---------------------------------- */

typedef struct bad_file {
    const char *name;
    int line, column;
    const char *json_path; /* NULL: a syntax error, no path */
    const char *frag1, *frag2;
} bad_file;

static const bad_file bad_files[] = {
    {"syntax-missing-comma.json", 4, 3, NULL, "syntax error: expected ',' or '}'",
     "\"spec_ref\""},
    {"syntax-trailing-comma.json", 15, 1, NULL, "syntax error: expected a key",
     "trailing comma"},
    {"duplicate-key.json", 5, 3, NULL, "duplicate key \"title\"", NULL},
    {"not-object.json", 1, 1, NULL, "a definition is a JSON object", "not an array"},
    {"missing-key.json", 1, 1, "/title", "missing required key 'title'", NULL},
    {"wrong-type.json", 10, 14, "/steps/0/step", "'step' must be an integer, not a string",
     NULL},
    {"unknown-op.json", 10, 56, "/steps/0/op", "unknown operation 'discoverr'",
     "expected one of: expect-register, expect-update"},
    {"unknown-key.json", 10, 84, "/steps/0/timout", "unknown key 'timout'",
     "did you mean 'timeout'?"},
    {"criterion-missing-step.json", 14, 32, "/pass_criteria/1/step",
     "criterion B judges step 5, but there is no step 5", "(steps: 1)"},
    {"duplicate-letter.json", 15, 19, "/pass_criteria/2/criterion",
     "duplicate criterion letter 'B'", "first at line 14"},
    {"letter-order.json", 14, 19, "/pass_criteria/1/criterion", "in order",
     "expected 'B' here, found 'C'"},
    {"duplicate-step.json", 12, 14, "/steps/2/step", "duplicate step number 1",
     "first at line 10"},
    {"unknown-variable.json", 11, 29, "/steps/0/attributes/pmin",
     "unknown variable ${server[1].default_pmn}", "server[N].default_pmin"},
    {"unterminated-variable.json", 14, 36, "/pass_criteria/0/expect/values/0/equals",
     "'${' without its closing '}'", "\"${device.manufacturer\""},
    {"bad-server.json", 10, 47, "/steps/0/server", "positive integer", "not 0"},
    {"bootstrap-server-mismatch.json", 10, 45, "/steps/0/server",
     "'bootstrap-finish' is performed by the bootstrap server", "must be \"bootstrap\""},
    {"bad-attribute.json", 11, 21, "/steps/0/attributes/pmn", "unknown attribute 'pmn'",
     "did you mean 'pmin'?"},
    {"attribute-11.json", 11, 21, "/steps/0/attributes/epmin", "LwM2M 1.1 attribute",
     "\"lwm2m-1.1\""},
    {"bad-code.json", 13, 73, "/pass_criteria/0/expect/code", "bad response code '2.5'",
     "\"2.05\""},
    {"bad-content-format.json", 13, 99, "/pass_criteria/0/expect/content_format",
     "unknown content format 'lnk'", "link"},
    {"bad-links-mode.json", 14, 25, "/pass_criteria/0/expect/links/mode",
     "unknown links mode 'contain'", "exact, contains, excludes"},
    {"bad-links-value.json", 14, 46, "/pass_criteria/0/expect/links/value",
     "'value' is not valid link format", "expected '<' at offset 14"},
    {"bad-path.json", 10, 76, "/steps/0/path", "'/3/zero' is not an LwM2M path", NULL},
    {"forbidden-key.json", 10, 80, "/steps/0/attributes",
     "'attributes' has no meaning for operation 'read'", NULL},
    {"registration-wrong-step.json", 13, 65, "/pass_criteria/0/expect/registration",
     "expect-register or expect-update", "step 1 is 'discover'"},
    {"value-not-read.json", 15, 52, "/pass_criteria/0/expect/values/1/path",
     "criterion A: /1/0/2 is under none of the paths its step reads (write /1/0/2, read /1/0/3)",
     "only the answer to a read, observe or notification carries values"},
};

static void test_each_mistake(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
        const bad_file *b = &bad_files[i];
        char path[256];
        snprintf(path, sizeof path, DATA "%s", b->name);
        tc_case *c = (tc_case *)1;
        tc_diags d;
        int rc = load(path, &c, &d);
        if (rc != LC_EINVAL || d.count != 1) {
            char buf[1024] = "";
            if (d.count)
                tc_diag_format(&d.items[0], buf, sizeof buf);
            fail_msg("%s: rc %d, %zu diagnostics (first: %s)", b->name, rc, d.count, buf);
        }
        assert_null(c);
        assert_diag(&d, 0, path, b->line, b->column, b->json_path, b->frag1, b->frag2);
        tc_diags_free(&d);
    }
}

static void test_valid_reference(void **state)
{
    (void)state;
    /* The base the malformed files are made from loads: each of them has one mistake. */
    tc_case *c;
    tc_diags d;
    assert_int_equal(load(DATA "valid.json", &c, &d), 0);
    assert_int_equal(d.count, 0);
    assert_string_equal(c->short_id, "int-999");
    tc_case_free(c);
    tc_diags_free(&d);
}

static void test_every_problem_reported_in_file_order(void **state)
{
    (void)state;
    const char *f = DATA "many-errors.json";
    tc_case *c;
    tc_diags d;
    assert_int_equal(load(f, &c, &d), LC_EINVAL);
    assert_int_equal(d.count, 6);
    assert_diag(&d, 0, f, 1, 1, "/title", "missing required key 'title'", NULL);
    assert_diag(&d, 1, f, 9, 47, "/steps/0/server", "positive integer", "not \"bs\"");
    assert_diag(&d, 2, f, 10, 56, "/steps/1/op", "unknown operation 'discoverr'", NULL);
    assert_diag(&d, 3, f, 13, 73, "/pass_criteria/0/expect/code", "bad response code '205'",
                NULL);
    assert_diag(&d, 4, f, 14, 19, "/pass_criteria/1/criterion", "expected 'B' here", NULL);
    assert_diag(&d, 5, f, 14, 32, "/pass_criteria/1/step", "no step 3", "(steps: 1, 2)");
    tc_diags_free(&d);

    /* The one-message form names the first problem and counts the rest. */
    lc_error err = {0};
    c = (tc_case *)1;
    assert_int_equal(tc_load_file(f, &c, &err), LC_EINVAL);
    assert_null(c);
    assert_int_equal(err.code, LC_EINVAL);
    assert_string_equal(err.msg, "tests/data/loader/many-errors.json:1:1: /title: missing "
                                 "required key 'title' (and 5 more problems)");
}

static void test_missing_file(void **state)
{
    (void)state;
    tc_case *c = (tc_case *)1;
    tc_diags d;
    assert_int_equal(load(DATA "no-such-file.json", &c, &d), LC_EIO);
    assert_null(c);
    assert_int_equal(d.count, 1);
    assert_int_equal(d.items[0].line, 0);
    assert_non_null(strstr(d.items[0].message, "cannot open"));
    char buf[512];
    tc_diag_format(&d.items[0], buf, sizeof buf);
    assert_string_equal(buf, "tests/data/loader/no-such-file.json: cannot open: No such file "
                             "or directory");
    tc_diags_free(&d);
    lc_error err = {0};
    assert_int_equal(tc_load_file(DATA "no-such-file.json", &c, &err), LC_EIO);
    assert_non_null(strstr(err.msg, "no-such-file.json: cannot open"));
}

/* ---- finer points, from inline text ------------------------------------------------- */

#define HEAD                                                                                \
    "{\"id\": \"LightweightM2M-1.0-int-998\", \"title\": \"t\", \"spec_ref\": \"s\", \"source\": \"OMA-ETS-x \u00a70\",\n" \
    " \"object\": \"Client and Server\", \"area\": \"test\", \"description\": \"d\",\n"    \
    " \"configuration\": \"C.14\",\n"

static void test_step_fields(void **state)
{
    (void)state;
    const char *text = HEAD
        " \"requires\": [\"bootstrap\", \"lwm2m-1.1\"],\n"
        " \"steps\": [\n"
        "  {\"step\": 1, \"text\": \"bs\", \"server\": \"bootstrap\", \"op\": \"bootstrap-write\",\n"
        "   \"path\": \"/1/0\", \"content_format\": \"tlv\", \"timeout\": 1.5,\n"
        "   \"values\": [{\"path\": \"/1/0/1\", \"type\": \"integer\", \"value\": 300},\n"
        "              {\"path\": \"/1/0/6\", \"type\": \"boolean\", \"value\": false},\n"
        "              {\"path\": \"/1/0/7\", \"type\": \"string\", \"value\": \"${server[1].binding}\"}]},\n"
        "  {\"step\": 2, \"text\": \"wait\", \"op\": \"wait\", \"duration\": 2},\n"
        "  {\"step\": 3, \"text\": \"wa\", \"server\": 1, \"op\": \"write-attributes\", \"path\": \"/3/0/13\",\n"
        "   \"attributes\": {\"epmin\": 1, \"gt\": 2.5, \"st\": \"${server[1].default_pmin}\", \"lt\": null}},\n"
        "  {\"step\": 4, \"text\": \"observe\", \"server\": 1, \"op\": \"observe\", \"path\": \"/3/0/13\", \"accept\": 11543},\n"
        "  {\"step\": 5, \"text\": \"exec\", \"server\": 1, \"op\": \"execute\", \"path\": \"/3/0/4\", \"payload\": \"0='a'\"},\n"
        "  {\"step\": 6, \"text\": \"notify\", \"server\": 1, \"op\": \"expect-notification\", \"path\": \"/3/0/13\", \"duration\": 0}\n"
        " ],\n"
        " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": [1, 3, 4, 5, 6], \"text\": \"ok\", \"expect\": {\"code\": \"2.04\"}}]}\n";
    tc_case *c;
    tc_diags d;
    int rc = load_text(text, &c, &d);
    if (rc) {
        char buf[1024];
        tc_diag_format(&d.items[0], buf, sizeof buf);
        fail_msg("%s", buf);
    }
    const tc_step *s1 = &c->steps[0];
    assert_int_equal(s1->server, TC_SERVER_BOOTSTRAP);
    assert_int_equal(s1->op, TC_OP_BOOTSTRAP_WRITE);
    assert_int_equal(s1->content_format, 11542);
    assert_int_equal(s1->timeout_ms, 1500);
    assert_int_equal(s1->value_count, 3);
    assert_string_equal(s1->values[0].path, "/1/0/1");
    assert_string_equal(s1->values[0].type, "integer");
    assert_string_equal(s1->values[0].value, "300");
    assert_string_equal(s1->values[1].value, "false");
    assert_string_equal(s1->values[2].value, "${server[1].binding}");
    const tc_step *s2 = &c->steps[1];
    assert_int_equal(s2->op, TC_OP_WAIT);
    assert_int_equal(s2->server, TC_SERVER_NONE);
    assert_int_equal(s2->wait_ms, 2000);
    const tc_step *s3 = &c->steps[2];
    assert_int_equal(s3->attribute_count, 4);
    assert_string_equal(s3->attributes[0].name, "epmin");
    assert_string_equal(s3->attributes[0].value, "1");
    assert_string_equal(s3->attributes[1].value, "2.5");
    assert_string_equal(s3->attributes[2].value, "${server[1].default_pmin}");
    assert_string_equal(s3->attributes[3].name, "lt");
    assert_null(s3->attributes[3].value);
    assert_int_equal(c->steps[3].accept, 11543);
    assert_string_equal(c->steps[4].payload, "0='a'");
    assert_int_equal(c->steps[5].wait_ms, 0);
    tc_case_free(c);
    tc_diags_free(&d);
}

static void test_check_fields(void **state)
{
    (void)state;
    const char *text = HEAD
        " \"steps\": [{\"step\": 1, \"text\": \"r\", \"server\": 1, \"op\": \"expect-register\", \"after_step\": 0},\n"
        "            {\"step\": 2, \"text\": \"d\", \"server\": 1, \"op\": \"read\", \"path\": \"/3\"},\n"
        "            {\"step\": 3, \"text\": \"x\", \"server\": 1, \"op\": \"execute\", \"path\": \"/3/0/4\"}],\n"
        " \"pass_criteria\": [\n"
        "  {\"criterion\": \"A\", \"step\": 1, \"text\": \"a\", \"expect\": {\"registration\":\n"
        "     {\"ep\": \"${endpoint}\", \"lt\": 86400, \"b\": true, \"lwm2m\": \"1.0\"}, \"code\": \"2.01\"}},\n"
        "  {\"criterion\": \"B\", \"step\": 2, \"text\": \"b\", \"expect\": {\"links\":\n"
        "     {\"mode\": \"excludes\", \"value\": \"</3/0/13>\", \"ignore_attributes\": []},\n"
        "     \"values\": [{\"path\": \"/3/0/0\", \"equals\": \"${device.manufacturer}\"},\n"
        "                {\"path\": \"/3/0/9\", \"equals\": 100}, {\"path\": \"/3/0/1\"},\n"
        "                {\"path\": \"/3/0/5\", \"absent\": true}]}},\n"
        "  {\"criterion\": \"C\", \"step\": 2, \"text\": \"c\", \"expect\": {\"links\":\n"
        "     {\"mode\": \"exact\", \"value\": \"</3>\", \"optional_attributes\": [\"pmin\"]},\n"
        "     \"content_format\": 40}},\n"
        "  {\"criterion\": \"D\", \"step\": 3, \"text\": \"d\", \"expect\": {\"no_response\": true}}\n"
        " ]}\n";
    tc_case *c;
    tc_diags d;
    int rc = load_text(text, &c, &d);
    if (rc) {
        char buf[1024];
        tc_diag_format(&d.items[0], buf, sizeof buf);
        fail_msg("%s", buf);
    }
    const tc_criterion *a = &c->criteria[0];
    assert_int_equal(a->check_count, 2);
    /* The code comes first, whatever the order in the file. */
    assert_int_equal(a->checks[0].kind, TC_CHECK_CODE);
    assert_int_equal(a->checks[0].line, 9);
    const tc_check *reg = &a->checks[1];
    assert_int_equal(reg->kind, TC_CHECK_REGISTRATION);
    assert_string_equal(reg->reg_endpoint_name, "${endpoint}");
    assert_false(reg->reg_endpoint_present);
    assert_string_equal(reg->reg_lifetime, "86400");
    assert_string_equal(reg->reg_binding, "*");
    assert_true(reg->reg_binding_present);
    assert_string_equal(reg->reg_lwm2m_version, "1.0");
    assert_int_equal(reg->reg_objects_present_count, 0);
    assert_int_equal(reg->line, 9);
    assert_int_equal(reg->column, 6);

    const tc_criterion *b = &c->criteria[1];
    assert_int_equal(b->check_count, 2);
    assert_int_equal(b->checks[0].kind, TC_CHECK_LINKS);
    assert_int_equal(b->checks[0].links_mode, TC_LINKS_EXCLUDES);
    assert_int_equal(b->checks[0].ignore_attribute_count, 0); /* [] tolerates nothing */
    assert_non_null(b->checks[0].ignore_attributes);
    const tc_check *vals = &b->checks[1];
    assert_int_equal(vals->kind, TC_CHECK_VALUES);
    assert_int_equal(vals->value_count, 4);
    assert_string_equal(vals->values[0].equals, "${device.manufacturer}");
    assert_string_equal(vals->values[1].equals, "100");
    assert_null(vals->values[2].equals);
    assert_false(vals->values[2].absent);
    assert_true(vals->values[3].absent);

    const tc_criterion *cc = &c->criteria[2];
    assert_int_equal(cc->checks[0].kind, TC_CHECK_CONTENT_FORMAT);
    assert_int_equal(cc->checks[1].links_mode, TC_LINKS_EXACT);
    assert_string_equal(cc->checks[1].links, "</3>");
    assert_int_equal(cc->checks[1].ignore_attribute_count, 1); /* default: dim */
    assert_string_equal(cc->checks[1].ignore_attributes[0], "dim");
    assert_int_equal(cc->checks[1].optional_attribute_count, 1);
    assert_string_equal(cc->checks[1].optional_attributes[0], "pmin");
    assert_int_equal(b->checks[0].optional_attribute_count, 0);
    assert_null(b->checks[0].optional_attributes);

    assert_int_equal(c->criteria[3].check_count, 1);
    assert_int_equal(c->criteria[3].checks[0].kind, TC_CHECK_NO_RESPONSE);
    tc_case_free(c);
    tc_diags_free(&d);
}

/* Mistakes that need no file of their own: each text must give the fragment at line:col. */
static void test_more_mistakes(void **state)
{
    (void)state;
    static const struct {
        const char *body; /* after HEAD */
        int line, column;
        const char *path, *frag;
    } cases[] = {
        {" \"steps\": [], \"pass_criteria\": []}", 4, 11, "/steps", "'steps' is empty"},
        {" \"steps\": [{\"step\": 1, \"text\": \"x\", \"server\": 1, \"op\": \"read\"}],\n"
         " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"x\", \"expect\": {}}]}",
         4, 12, "/steps/0/path", "missing required key 'path'"},
        {" \"steps\": [{\"step\": 1, \"text\": \"x\", \"server\": 1, \"op\": \"expect-register\", \"after_step\": 0}],\n"
         " \"pass_criteria\": [{\"criterion\": \"a\", \"step\": 1, \"text\": \"x\", \"expect\": {\"code\": \"2.01\"}}]}",
         5, 34, "/pass_criteria/0/criterion", "one capital letter"},
        {" \"steps\": [{\"step\": 1, \"text\": \"x\", \"server\": 1, \"op\": \"expect-register\", \"after_step\": 0}],\n"
         " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"x\", \"expect\": {}}]}",
         5, 73, "/pass_criteria/0/expect", "'expect' names no check"},
        {" \"steps\": [{\"step\": 1, \"text\": \"x\", \"server\": 1, \"op\": \"expect-register\", \"after_step\": 0}],\n"
         " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"x\", \"expect\": {\"code\": \"2.01\", \"no_response\": true}}]}",
         5, 90, "/pass_criteria/0/expect/no_response", "cannot be combined"},
        {" \"requires\": [\"multiserver\"],\n"
         " \"steps\": [{\"step\": 1, \"text\": \"x\", \"server\": 1, \"op\": \"expect-register\", \"after_step\": 0}],\n"
         " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"x\", \"expect\": {\"code\": \"2.01\"}}]}",
         4, 15, "/requires/0", "did you mean 'multi-server'?"},
        {" \"depends_on\": [\"int-998\"],\n"
         " \"steps\": [{\"step\": 1, \"text\": \"x\", \"server\": 1, \"op\": \"expect-register\", \"after_step\": 0}],\n"
         " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"x\", \"expect\": {\"code\": \"2.01\"}}]}",
         4, 17, "/depends_on/0", "cannot depend on itself"},
        {" \"steps\": [{\"step\": 1, \"text\": \"x\", \"server\": 1, \"op\": \"write\", \"path\": \"/1/0\",\n"
         "   \"values\": [{\"path\": \"/1/0/1\", \"type\": \"integer\", \"value\": \"soon\"}]}],\n"
         " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"x\", \"expect\": {\"code\": \"2.04\"}}]}",
         5, 62, "/steps/0/values/0/value", "does not fit type 'integer'"},
        {" \"steps\": [{\"step\": 1, \"text\": \"x\", \"server\": 1, \"op\": \"wait\"}],\n"
         " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"x\", \"expect\": {\"no_response\": true}}]}",
         4, 12, "/steps/0/duration", "missing required key 'duration'"},
        {" \"steps\": [{\"step\": 2, \"text\": \"x\", \"server\": 1, \"op\": \"expect-register\", \"after_step\": 0},\n"
         "            {\"step\": 1, \"text\": \"x\", \"server\": 1, \"op\": \"expect-update\", \"after_step\": 0}],\n"
         " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"x\", \"expect\": {\"code\": \"2.04\"}}]}",
         5, 22, "/steps/1/step", "step numbers must increase"},
        {" \"steps\": [{\"step\": 1, \"text\": \"x\", \"server\": 1, \"op\": \"expect-register\", \"after_step\": 0}],\n"
         " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"x\", \"expect\": {\"code\": \"2.32\"}}]}",
         5, 82, "/pass_criteria/0/expect/code", "bad response code '2.32'"},
        {" \"steps\": [{\"step\": 1, \"text\": \"x\", \"server\": 1, \"op\": \"discover\", \"path\": \"/3\"}],\n"
         " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"x\", \"expect\": {\"links\":\n"
         "   {\"mode\": \"excludes\", \"value\": \"</3/0/13>\", \"optional_attributes\": [\"dim\"]}}}]}",
         6, 70, "/pass_criteria/0/expect/links/optional_attributes", "no meaning in 'excludes' mode"},
        {" \"id\": 5}", 4, 2, "/id", "duplicate key"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[2048];
        snprintf(text, sizeof text, "%s%s\n", HEAD, cases[i].body);
        tc_case *c = (tc_case *)1;
        tc_diags d;
        assert_int_equal(load_text(text, &c, &d), LC_EINVAL);
        assert_null(c);
        /* The last case is a syntax error: no JSON path. */
        bool syntax = i == sizeof cases / sizeof cases[0] - 1;
        if (d.count < 1)
            fail_msg("case %zu: no diagnostic", i);
        assert_diag(&d, 0, "inline.json", cases[i].line, cases[i].column,
                    syntax ? NULL : cases[i].path, cases[i].frag, NULL);
        tc_diags_free(&d);
    }
}

static void test_diags_null_and_format(void **state)
{
    (void)state;
    tc_case *c = (tc_case *)1;
    /* diags may be NULL: the result code still tells. */
    assert_int_equal(tc_load_string("{", 1, "x.json", &c, NULL), LC_EINVAL);
    assert_null(c);
    tc_diags d;
    tc_diags_init(&d);
    assert_int_equal(tc_diags_add(&d, "f.json", 3, 7, "/steps/0", "bad %s", "thing"), 0);
    assert_int_equal(tc_diags_add(&d, "f.json", 0, 0, NULL, "whole file"), 0);
    char buf[128];
    tc_diag_format(&d.items[0], buf, sizeof buf);
    assert_string_equal(buf, "f.json:3:7: /steps/0: bad thing");
    tc_diag_format(&d.items[1], buf, sizeof buf);
    assert_string_equal(buf, "f.json: whole file");
    tc_diags_free(&d);
    assert_int_equal(d.count, 0);
    assert_null(d.items);
    assert_int_equal(tc_content_format_from_name("senml-cbor"), 112);
    assert_int_equal(tc_content_format_from_name("link"), 40);
    assert_int_equal(tc_content_format_from_name("1543"), 1543);
    assert_int_equal(tc_content_format_from_name("lnk"), -1);
    assert_int_equal(tc_content_format_from_name("70000"), -1);
    assert_int_equal(tc_content_format_from_name(""), -1);
}

/* ---- suites ------------------------------------------------------------------------- */

static void test_dir_order_is_stable_topological(void **state)
{
    (void)state;
    tc_suite s;
    tc_diags d;
    tc_diags_init(&d);
    assert_int_equal(tc_load_dir(DATA "suite-order", &s, &d, NULL), 0);
    assert_int_equal(s.count, 3);
    /* Files are read in name order (int-911, int-912, int-913); int-911 needs int-912. */
    assert_string_equal(s.cases[0]->short_id, "int-912");
    assert_string_equal(s.cases[1]->short_id, "int-911");
    assert_string_equal(s.cases[2]->short_id, "int-913");
    tc_suite_free(&s);
    tc_diags_free(&d);
}

static void test_dir_cycle(void **state)
{
    (void)state;
    tc_suite s;
    tc_diags d;
    lc_error err = {0};
    tc_diags_init(&d);
    assert_int_equal(tc_load_dir(DATA "suite-cycle", &s, &d, &err), LC_EINVAL);
    assert_int_equal(s.count, 0);
    assert_null(s.cases);
    assert_int_equal(d.count, 2);
    /* int-905 depends on itself: a mistake in its own file. */
    assert_diag(&d, 0, DATA "suite-cycle/int-905.json", 10, 5, "/depends_on/0",
                "a case cannot depend on itself", NULL);
    /* The cycle is named once, from its first case; int-904 (waiting on it) is not. */
    assert_diag(&d, 1, DATA "suite-cycle/int-901.json", 10, 5, "/depends_on/0",
                "dependency cycle: int-901 -> int-902 -> int-903 -> int-901", NULL);
    assert_non_null(strstr(err.msg, "suite-cycle"));
    assert_non_null(strstr(err.msg, "(and 1 more problem)"));
    tc_diags_free(&d);
}

static void test_dir_unknown_dependency(void **state)
{
    (void)state;
    tc_suite s;
    tc_diags d;
    lc_error err = {0};
    tc_diags_init(&d);
    assert_int_equal(tc_load_dir(DATA "suite-unknown-dep", &s, &d, &err), LC_EINVAL);
    assert_int_equal(d.count, 1);
    assert_diag(&d, 0, DATA "suite-unknown-dep/int-920.json", 10, 5, "/depends_on/0",
                "depends on 'int-949', which is not in the suite", NULL);
    assert_non_null(strstr(err.msg, "int-949"));
    tc_diags_free(&d);
}

static void test_dir_duplicate_id(void **state)
{
    (void)state;
    tc_suite s;
    tc_diags d;
    tc_diags_init(&d);
    assert_int_equal(tc_load_dir(DATA "suite-dup-id", &s, &d, NULL), LC_EINVAL);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].file, DATA "suite-dup-id/two.json");
    assert_string_equal(d.items[0].json_path, "/id");
    assert_non_null(strstr(d.items[0].message, "duplicate id 'LightweightM2M-1.0-int-930'"));
    assert_non_null(strstr(d.items[0].message, "suite-dup-id/one.json"));
    tc_diags_free(&d);
}

static void test_dir_broken_dependency_not_doubled(void **state)
{
    (void)state;
    /* int-941 depends on int-940, whose file has a typo: only the typo is reported. */
    tc_suite s;
    tc_diags d;
    tc_diags_init(&d);
    assert_int_equal(tc_load_dir(DATA "suite-broken", &s, &d, NULL), LC_EINVAL);
    assert_int_equal(d.count, 2);
    assert_diag(&d, 0, DATA "suite-broken/int-940.json", 1, 1, "/title",
                "missing required key 'title'", NULL);
    assert_diag(&d, 1, DATA "suite-broken/int-940.json", 3, 3, "/titel",
                "unknown key 'titel' (did you mean 'title'?)", NULL);
    tc_diags_free(&d);
}

static void test_dir_empty_and_missing(void **state)
{
    (void)state;
    tc_suite s;
    tc_diags d;
    lc_error err = {0};
    tc_diags_init(&d);
    assert_int_equal(tc_load_dir(DATA "suite-empty", &s, &d, &err), LC_ENOTFOUND);
    assert_int_equal(s.count, 0);
    assert_int_equal(d.count, 1);
    assert_non_null(strstr(err.msg, "no test definitions"));
    tc_diags_free(&d);
    assert_int_equal(tc_load_dir(DATA "no-such-dir", &s, NULL, &err), LC_EIO);
    assert_non_null(strstr(err.msg, "no-such-dir: cannot open"));
}

/* A suite built by hand (no positions): the order and the errors still work. */
static tc_case *hand_case(const char *id, const char *dep)
{
    tc_case *c = calloc(1, sizeof *c);
    c->id = strdup(id);
    c->file = strdup(id);
    if (dep) {
        c->depends_on = calloc(1, sizeof *c->depends_on);
        c->depends_on[0] = strdup(dep);
        c->depends_on_count = 1;
    }
    return c;
}

static void test_suite_order_by_hand(void **state)
{
    (void)state;
    tc_suite s = {calloc(3, sizeof(tc_case *)), 3};
    s.cases[0] = hand_case("LightweightM2M-1.0-int-2", "int-1");
    s.cases[1] = hand_case("LightweightM2M-1.0-int-3", "LightweightM2M-1.0-int-2");
    s.cases[2] = hand_case("LightweightM2M-1.0-int-1", NULL);
    tc_diags d;
    tc_diags_init(&d);
    assert_int_equal(tc_suite_order(&s, &d, NULL), 0);
    assert_int_equal(d.count, 0);
    assert_string_equal(s.cases[0]->id, "LightweightM2M-1.0-int-1");
    assert_string_equal(s.cases[1]->id, "LightweightM2M-1.0-int-2");
    assert_string_equal(s.cases[2]->id, "LightweightM2M-1.0-int-3");

    /* Now int-1 depends on int-3: a cycle through all three; the order stays as it was. */
    tc_case *one = s.cases[0];
    one->depends_on = calloc(1, sizeof *one->depends_on);
    one->depends_on[0] = strdup("int-3");
    one->depends_on_count = 1;
    lc_error err = {0};
    assert_int_equal(tc_suite_order(&s, &d, &err), LC_EINVAL);
    assert_int_equal(d.count, 1);
    assert_int_equal(d.items[0].line, 0);
    assert_string_equal(d.items[0].message, "dependency cycle: int-1 -> int-3 -> int-2 -> int-1");
    assert_string_equal(err.msg, "LightweightM2M-1.0-int-1: /depends_on/0: dependency cycle: "
                                 "int-1 -> int-3 -> int-2 -> int-1");
    assert_ptr_equal(s.cases[0], one);
    tc_diags_free(&d);
    tc_suite_free(&s);
}

/* ---- the JSON Schema stays in step with the loader ---------------------------------- */

static void assert_enum_is(json_t *schema, const char *def, const char *const *names, size_t n)
{
    json_t *e = json_object_get(json_object_get(json_object_get(schema, "$defs"), def), "enum");
    if (!json_is_array(e))
        fail_msg("schema $defs/%s has no enum", def);
    assert_int_equal(json_array_size(e), n);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(e, i);
        if (!json_is_string(v) || strcmp(json_string_value(v), names[i]) != 0)
            fail_msg("schema $defs/%s[%zu] is not '%s'", def, i, names[i]);
    }
}

/* "device_reset", the "answered" check and bootstrap-write's optional path. */
static void test_bootstrap_keys(void **state)
{
    (void)state;
    const char *text = HEAD
        " \"requires\": [\"bootstrap\"], \"device_reset\": \"factory\",\n"
        " \"steps\": [\n"
        "  {\"step\": 1, \"text\": \"all\", \"server\": \"bootstrap\", \"op\": \"bootstrap-write\"},\n"
        "  {\"step\": 2, \"text\": \"one\", \"server\": \"bootstrap\", \"op\": \"bootstrap-write\", \"path\": \"/0/0\",\n"
        "   \"unjudged\": \"a set-up for the test\"},\n"
        "  {\"step\": 3, \"text\": \"bs\", \"server\": \"bootstrap\", \"op\": \"bootstrap-delete\", \"path\": \"/0/1\",\n"
        "   \"bootstrap_account\": \"LwM2M TS 1.1 6.1.7\", \"unjudged\": \"a set-up for the test\"}\n"
        " ],\n"
        " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"got it\", \"expect\": {\"answered\": true}},\n"
        "                   {\"criterion\": \"B\", \"step\": 1, \"text\": \"ok\", \"expect\": {\"code\": \"2.04\", \"answered\": true}}]}\n";
    tc_case *c;
    tc_diags d;
    int rc = load_text(text, &c, &d);
    if (rc) {
        char buf[1024];
        tc_diag_format(&d.items[0], buf, sizeof buf);
        fail_msg("%s", buf);
    }
    assert_int_equal(c->device_reset, TC_RESET_FACTORY);
    assert_null(c->steps[0].path);
    assert_string_equal(c->steps[1].path, "/0/0");
    assert_null(c->steps[1].bootstrap_account);
    assert_string_equal(c->steps[2].bootstrap_account, "LwM2M TS 1.1 6.1.7");
    assert_int_equal(c->criteria[0].check_count, 1);
    assert_int_equal(c->criteria[0].checks[0].kind, TC_CHECK_ANSWERED);
    assert_int_equal(c->criteria[1].check_count, 2);
    assert_int_equal(c->criteria[1].checks[0].kind, TC_CHECK_CODE);
    assert_int_equal(c->criteria[1].checks[1].kind, TC_CHECK_ANSWERED);
    tc_case_free(c);
    tc_diags_free(&d);

    /* without the key: no reset */
    const char *plain = HEAD
        " \"steps\": [{\"step\": 1, \"text\": \"r\", \"server\": 1, \"op\": \"expect-register\", \"after_step\": 0}],\n"
        " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"ok\", \"expect\": {\"code\": \"2.01\"}}]}\n";
    assert_int_equal(load_text(plain, &c, &d), 0);
    assert_int_equal(c->device_reset, TC_RESET_NONE);
    tc_case_free(c);
    tc_diags_free(&d);

    const char *bad = HEAD
        " \"device_reset\": \"soft\",\n"
        " \"steps\": [\n"
        "  {\"step\": 1, \"text\": \"v\", \"server\": \"bootstrap\", \"op\": \"bootstrap-write\",\n"
        "   \"values\": [{\"path\": \"/1/0/1\", \"type\": \"integer\", \"value\": 300}]}\n"
        " ],\n"
        " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"x\",\n"
        "                    \"expect\": {\"answered\": false}}]}\n";
    assert_true(load_text(bad, &c, &d) < 0);
    assert_int_equal(d.count, 3);
    assert_diag(&d, 0, "inline.json", 4, 18, "/device_reset", "can only be \"factory\"", NULL);
    assert_diag(&d, 1, "inline.json", 6, 3, "/steps/0", "needs the 'path'", NULL);
    assert_diag(&d, 2, "inline.json", 10, 44, "/pass_criteria/0/expect/answered",
                "'answered' can only be true", NULL);
    tc_diags_free(&d);
}

/* The schema's properties of an object are exactly the keys the loader accepts there. */
static void assert_keys_are(json_t *schema, const char *def, const char *const *keys)
{
    json_t *obj = def ? json_object_get(json_object_get(schema, "$defs"), def) : schema;
    json_t *props = json_object_get(obj, "properties");
    if (!json_is_object(props))
        fail_msg("schema %s has no properties", def ? def : "(top)");
    size_t n = 0;
    for (; keys[n]; n++)
        if (!json_object_get(props, keys[n]))
            fail_msg("schema %s lacks the key '%s' the loader accepts", def ? def : "(top)",
                     keys[n]);
    const char *key;
    json_t *v;
    json_object_foreach(props, key, v) {
        (void)v;
        if (!tc_rules_has(keys, key))
            fail_msg("schema %s has the key '%s' the loader rejects", def ? def : "(top)", key);
    }
}

static void test_schema_matches_loader(void **state)
{
    (void)state;
    json_error_t je;
    json_t *schema = json_load_file("docs/testcase.schema.json", JSON_REJECT_DUPLICATES, &je);
    if (!schema)
        fail_msg("docs/testcase.schema.json:%d:%d: %s", je.line, je.column, je.text);
    assert_string_equal(json_string_value(json_object_get(schema, "$schema")),
                        "https://json-schema.org/draft/2020-12/schema");
    const char *ops[TC_OP__COUNT];
    for (int i = 0; i < TC_OP__COUNT; i++)
        ops[i] = tc_op_name((tc_op)i);
    assert_enum_is(schema, "op", ops, TC_OP__COUNT);
    size_t nf = 0;
    while (tc_rules_features[nf])
        nf++;
    assert_enum_is(schema, "feature", tc_rules_features, nf);
    assert_keys_are(schema, NULL, tc_keys_top);
    assert_keys_are(schema, "step", tc_keys_step);
    assert_keys_are(schema, "write_value", tc_keys_write_value);
    assert_keys_are(schema, "criterion", tc_keys_criterion);
    assert_keys_are(schema, "expect", tc_keys_expect);
    assert_keys_are(schema, "registration", tc_keys_registration);
    assert_keys_are(schema, "links", tc_keys_links);
    assert_keys_are(schema, "value_expect", tc_keys_value_expect);
    static const char *const cf[] = {"text", "link", "opaque", "cbor",
                                     "senml-json", "senml-cbor", "tlv", "json"};
    assert_enum_is(schema, "content_format_name", cf, 8);
    for (size_t i = 0; i < 8; i++)
        assert_true(tc_content_format_from_name(cf[i]) >= 0);
    json_decref(schema);
}

static bool has_diag(const tc_diags *d, const char *json_path, const char *frag)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].json_path && !strcmp(d->items[i].json_path, json_path) &&
            strstr(d->items[i].message, frag))
            return true;
    for (size_t i = 0; i < d->count; i++)
        print_message("  diagnostic: %s: %s\n", d->items[i].json_path ? d->items[i].json_path : "",
                      d->items[i].message);
    return false;
}

/* "source" is required and says where the case comes from; a tool reading is advisory. */
static void test_source(void **state)
{
    (void)state;
    static const char tail[] =
        " \"object\": \"o\", \"area\": \"test\", \"description\": \"d\", \"configuration\": \"C.14\",\n"
        " \"steps\": [{\"step\": 1, \"text\": \"t\", \"server\": 1, \"op\": \"read\", \"path\": \"/3/0\"}],\n"
        " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"t\", \"expect\": {\"code\": \"2.05\"}}]}";
    char text[2048];
    tc_case *c = NULL;
    tc_diags d;
    snprintf(text, sizeof text, "{\"id\": \"LightweightM2M-1.0-int-998\", \"title\": \"t\", "
             "\"spec_ref\": \"s\", \"source\": \"tool reading: LwM2M TS 1.0 \u00a75.2.5\",\n%s", tail);
    assert_int_equal(load_text(text, &c, &d), 0);
    assert_true(c->tool_reading);
    tc_case_free(c);
    tc_diags_free(&d);

    snprintf(text, sizeof text, "{\"id\": \"LightweightM2M-1.0-int-998\", \"title\": \"t\", "
             "\"spec_ref\": \"s\", \"source\": \"my reading\",\n%s", tail);
    assert_int_equal(load_text(text, &c, &d), LC_EINVAL);
    assert_null(c);
    assert_true(has_diag(&d, "/source", "either the ETS with its section"));
    tc_diags_free(&d);

    snprintf(text, sizeof text, "{\"id\": \"LightweightM2M-1.0-int-998\", \"title\": \"t\", "
             "\"spec_ref\": \"s\",\n%s", tail);
    assert_int_equal(load_text(text, &c, &d), LC_EINVAL);
    assert_true(has_diag(&d, "/source", "missing required key 'source'"));
    tc_diags_free(&d);

    /* also_in: the case in another document; one id per document, an ETS document only */
    snprintf(text, sizeof text, "{\"id\": \"LightweightM2M-1.0-int-998\", \"title\": \"t\", "
             "\"spec_ref\": \"s\", \"source\": \"OMA-ETS-LightweightM2M-V1_0_1 \u00a76.1.2.1\", "
             "\"also_in\": [{\"id\": \"LightweightM2M-1.1-int-998\", \"source\": "
             "\"OMA-ETS-LightweightM2M_INT-V1_2 \u00a76.2.5 (inventory)\"}],\n%s", tail);
    assert_int_equal(load_text(text, &c, &d), 0);
    assert_int_equal(c->ets_count, 2);
    assert_string_equal(c->ets[1].document, "1.2");
    assert_string_equal(c->ets[1].section, "6.2.5");
    assert_string_equal(c->ets[1].short_id, "int-998");
    tc_case_free(c);
    tc_diags_free(&d);

    snprintf(text, sizeof text, "{\"id\": \"LightweightM2M-1.0-int-998\", \"title\": \"t\", "
             "\"spec_ref\": \"s\", \"source\": \"OMA-ETS-LightweightM2M-V1_0_1 \u00a76.1.2.1\", "
             "\"also_in\": [{\"id\": \"LightweightM2M-1.0-int-9\", \"source\": "
             "\"OMA-ETS-LightweightM2M-V1_0_1 \u00a76.1.2.2\"}, {\"id\": \"x\", \"source\": "
             "\"tool reading: LwM2M TS 1.1 \u00a75\"}, {\"id\": \"LightweightM2M-1.1-int-1\", "
             "\"source\": \"OMA-ETS-Other \u00a71\", \"sauce\": 1}],\n%s", tail);
    assert_int_equal(load_text(text, &c, &d), LC_EINVAL);
    assert_true(has_diag(&d, "/also_in/0/source", "already in 1.0.1"));
    assert_true(has_diag(&d, "/also_in/1/id", "not a full OMA test case id"));
    assert_true(has_diag(&d, "/also_in/1/source", "not a tool reading"));
    assert_true(has_diag(&d, "/also_in/2/source", "names an ETS document the tool knows"));
    assert_true(has_diag(&d, "/also_in/2/sauce", "sauce"));
    tc_diags_free(&d);
}

/* The top-level keys of an inline ETS case, up to "configuration" */
#define ETS_CASE_HEAD \
    "{\"id\": \"LightweightM2M-1.0-int-998\", \"title\": \"t\", \"spec_ref\": \"s\", " \
    "\"source\": \"OMA-ETS-x \u00a70\", \"object\": \"o\", \"area\": \"test\", \"description\": \"d\", "

/* Observations: a step of several requests (a repeated number), reset-notification, the
 * notifications check and its rules, resource: requirements. */
static void test_observation_fields(void **state)
{
    (void)state;
    static const char head[] =
        ETS_CASE_HEAD
        "\"configuration\": \"C.4\", \"requires\": [\"value:/3/0/7/0\"],\n";
    char text[4096];
    tc_case *c = NULL;
    tc_diags d;
    snprintf(text, sizeof text, "%s"
             " \"steps\": [{\"step\": 1, \"text\": \"t\", \"server\": 1, \"op\": \"observe\", \"path\": \"/3/0/7\",\n"
             "   \"unjudged\": \"its 2.05 opens the window\"},\n"
             "  {\"step\": 1, \"text\": \"t\", \"server\": 1, \"op\": \"expect-notification\", \"path\": \"/3/0/7\", \"duration\": 4.5},\n"
             "  {\"step\": 2, \"text\": \"t\", \"server\": 1, \"op\": \"reset-notification\", \"path\": \"/3/0/7\"}],\n"
             " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"t\", \"expect\": "
             "{\"notifications\": {\"min_count\": 1, \"pmin\": 2, \"pmax\": 3, \"tolerance\": 1, \"values\": [{\"path\": \"/3/0/7/0\"}]}}},\n"
             "  {\"criterion\": \"B\", \"step\": 2, \"text\": \"t\", \"expect\": {\"code\": \"2.05\"}}]}", head);
    assert_int_equal(load_text(text, &c, &d), 0);
    assert_int_equal(c->step_count, 3);
    assert_int_equal(c->steps[1].number, 1);
    assert_int_equal(c->steps[2].op, TC_OP_RESET_NOTIFICATION);
    const tc_check *ck = &c->criteria[0].checks[0];
    assert_int_equal(ck->kind, TC_CHECK_NOTIFICATIONS);
    assert_int_equal(ck->notif_min_count, 1);
    assert_int_equal(ck->notif_max_count, -1);
    assert_true(ck->notif_pmax == 3 && ck->notif_tolerance == 1);
    assert_int_equal(ck->value_count, 1);
    tc_case_free(c);
    tc_diags_free(&d);

    /* a notifications check on a request step; a bad count; a bad requirement */
    snprintf(text, sizeof text, "%s"
             " \"steps\": [{\"step\": 1, \"text\": \"t\", \"server\": 1, \"op\": \"observe\", \"path\": \"/3/0/7\"}],\n"
             " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"t\", \"expect\": "
             "{\"notifications\": {\"min_count\": -1}}}]}", head);
    char *p = strstr(text, "value:/3/0/7/0");
    memcpy(p, "value:/3/x/7/0", 14);
    assert_int_equal(load_text(text, &c, &d), LC_EINVAL);
    assert_true(has_diag(&d, "/pass_criteria/0/expect/notifications",
                         "judges an expect-notification step with a 'duration'"));
    assert_true(has_diag(&d, "/pass_criteria/0/expect/notifications/min_count", "a whole number"));
    assert_true(has_diag(&d, "/requires/0", "unknown feature 'value:/3/x/7/0'"));
    tc_diags_free(&d);

    /* "periods": a window's own pmin/pmax (int-1204); the count rule takes the path's pmax,
     * and an entry without a path is refused */
    static const char period_steps[] =
        " \"steps\": [{\"step\": 1, \"text\": \"t\", \"server\": 1, \"op\": \"observe\", \"path\": \"/3/0/7\",\n"
        "   \"unjudged\": \"its 2.05 opens the window\"},\n"
        "  {\"step\": 2, \"text\": \"t\", \"server\": 1, \"op\": \"expect-notification\", \"path\": \"/3/0/7\", \"duration\": 10, \"after_step\": 1}],\n"
        " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 2, \"text\": \"t\", \"expect\": "
        "{\"notifications\": {\"min_count\": 2, \"tolerance\": 1, \"periods\": [%s]}}}]}";
    char steps[2048];
    snprintf(steps, sizeof steps, period_steps,
             "{\"path\": \"/3/0/7\", \"pmin\": 2, \"pmax\": \"${var.pmax}\"}, {\"path\": \"/3/0/8\", \"pmax\": 3}");
    snprintf(text, sizeof text, "%s \"variables\": {\"pmax\": 4},\n%s", head, steps);
    assert_int_equal(load_text(text, &c, &d), 0);
    ck = &c->criteria[0].checks[0];
    assert_int_equal(ck->notif_period_count, 2);
    assert_string_equal(ck->notif_periods[0].path, "/3/0/7");
    assert_true(ck->notif_periods[0].pmin == 2 && ck->notif_periods[0].pmax < 0);
    assert_string_equal(ck->notif_periods[0].pmax_var, "${var.pmax}");
    assert_true(ck->notif_periods[1].pmax == 3 && !ck->notif_periods[1].pmax_var);
    assert_int_equal(c->steps[1].after_step, 1);
    tc_case_free(c);
    tc_diags_free(&d);
    snprintf(steps, sizeof steps, period_steps, "{\"path\": \"/3/0/7\", \"pmax\": 9}");
    snprintf(text, sizeof text, "%s%s", head, steps);
    assert_int_equal(load_text(text, &c, &d), LC_EINVAL);
    assert_true(has_diag(&d, "/pass_criteria/0/expect/notifications/min_count", "tighter than the window"));
    tc_diags_free(&d);
    snprintf(steps, sizeof steps, period_steps, "{\"path\": \"/3/0/7\", \"pmax\": 4}, {\"pmax\": 3}");
    snprintf(text, sizeof text, "%s%s", head, steps);
    assert_int_equal(load_text(text, &c, &d), LC_EINVAL);
    assert_true(has_diag(&d, "/pass_criteria/0/expect/notifications/periods/1", "the path of the windows"));
    tc_diags_free(&d);
}

/* Issue 20's rules for a whole case: every step judged or "unjudged" with the reason; every
 * wait for a device-initiated message bounded; a timing criterion states its tolerance and
 * counts no more notifications than pmax + tolerance allows; and the fields that go with
 * them ("without", a code list, "not_applicable_if"). */
static void test_case_rules(void **state)
{
    (void)state;
    static const char head[] = ETS_CASE_HEAD "\"configuration\": \"C.4\",\n";
    char text[4096];
    tc_case *c = NULL;
    tc_diags d;

    /* a step no criterion judges, and an "unjudged" on a judged step */
    snprintf(text, sizeof text, "%s"
             " \"steps\": [{\"step\": 1, \"text\": \"t\", \"server\": 1, \"op\": \"read\", \"path\": \"/3/0\","
             " \"unjudged\": \"nothing judges it\"},\n"
             "  {\"step\": 2, \"text\": \"t\", \"server\": 1, \"op\": \"execute\", \"path\": \"/3/0/4\"}],\n"
             " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"t\", \"expect\": {\"code\": \"2.05\"}}]}",
             head);
    assert_int_equal(load_text(text, &c, &d), LC_EINVAL);
    assert_true(has_diag(&d, "/steps/1", "no criterion judges step 2 (execute /3/0/4)"));
    assert_true(has_diag(&d, "/steps/0/unjudged", "criterion A judges step 1"));
    tc_diags_free(&d);

    /* an unbounded Register; notifications of an observation the case never made */
    snprintf(text, sizeof text, "%s"
             " \"steps\": [{\"step\": 1, \"text\": \"t\", \"server\": 1, \"op\": \"expect-register\"},\n"
             "  {\"step\": 2, \"text\": \"t\", \"server\": 1, \"op\": \"expect-notification\", \"path\": \"/3/0/7\"}],\n"
             " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": [1, 2], \"text\": \"t\", \"expect\": {\"answered\": true}}]}",
             head);
    assert_int_equal(load_text(text, &c, &d), LC_EINVAL);
    assert_true(has_diag(&d, "/steps/0", "\"after_step\": N (the step that provokes it) or 0"));
    tc_diags_free(&d);
    char *p = strstr(text, "\"op\": \"expect-register\"");
    memmove(p + 41, p + 23, strlen(p + 23) + 1);
    memcpy(p + 23, ", \"after_step\": 0", 17);
    p[40] = ' ';
    assert_int_equal(load_text(text, &c, &d), LC_EINVAL);
    assert_true(has_diag(&d, "/steps/1", "no earlier step of this case observes it"));
    tc_diags_free(&d);

    /* a timing criterion without its tolerance; a count tighter than the window allows */
    static const char steps[] =
        " \"steps\": [{\"step\": 1, \"text\": \"t\", \"server\": 1, \"op\": \"observe\", \"path\": \"/3/0/7\","
        " \"unjudged\": \"its 2.05 opens the window\"},\n"
        "  {\"step\": 2, \"text\": \"t\", \"server\": 1, \"op\": \"expect-notification\", \"path\": \"/3/0/7\", \"duration\": 7}],\n";
    snprintf(text, sizeof text, "%s%s"
             " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 2, \"text\": \"t\", \"expect\": "
             "{\"notifications\": {\"min_count\": 2, \"pmax\": 3}}}]}", head, steps);
    assert_int_equal(load_text(text, &c, &d), LC_EINVAL);
    assert_true(has_diag(&d, "/pass_criteria/0/expect/notifications", "states its tolerance"));
    tc_diags_free(&d);
    snprintf(text, sizeof text, "%s%s"
             " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 2, \"text\": \"t\", \"expect\": "
             "{\"notifications\": {\"min_count\": 2, \"pmax\": 3, \"tolerance\": 1}}}]}", head, steps);
    assert_int_equal(load_text(text, &c, &d), LC_EINVAL);
    assert_true(has_diag(&d, "/pass_criteria/0/expect/notifications/min_count",
                         "every pmax + tolerance = 4 s sends only 1 in the 7 s"));
    tc_diags_free(&d);
    /* 8 s hold two such gaps */
    p = strstr(text, "\"duration\": 7");
    p[12] = '8';
    assert_int_equal(load_text(text, &c, &d), 0);
    tc_case_free(c);
    tc_diags_free(&d);
    assert_int_equal(tc_min_notifications(8, 3, 1), 2);
    assert_int_equal(tc_min_notifications(7.9, 3, 1), 1);
    assert_int_equal(tc_min_notifications(8, -1, 1), -1);

    /* "without", a list of codes, "not_applicable_if" */
    snprintf(text, sizeof text, "%s"
             " \"steps\": [{\"step\": 1, \"text\": \"t\", \"server\": 1, \"op\": \"write\", \"path\": \"/1/0\","
             " \"content_format\": \"json\", \"values\": [{\"path\": \"/1/0/1\", \"type\": \"integer\", \"value\": 5}],"
             " \"not_applicable_if\": {\"code\": \"4.15\", \"because\": \"no OMA JSON here\"}},\n"
             "  {\"step\": 2, \"text\": \"t\", \"server\": 1, \"op\": \"discover\", \"path\": \"/16\"}],\n"
             " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"t\", \"expect\": {\"code\": [\"4.05\", \"4.00\"]}},\n"
             "  {\"criterion\": \"B\", \"step\": 2, \"text\": \"t\", \"expect\": {\"links\": "
             "{\"mode\": \"contains\", \"value\": \"</16>\", \"without\": [\"/16/0\", \"/16/1\"]}}}]}", head);
    assert_int_equal(load_text(text, &c, &d), 0);
    assert_string_equal(c->criteria[0].checks[0].code, "4.05,4.00");
    assert_int_equal(c->criteria[1].checks[0].links_without_count, 2);
    assert_string_equal(c->criteria[1].checks[0].links_without[1], "/16/1");
    assert_string_equal(c->steps[0].na_code, "4.15");
    assert_string_equal(c->steps[0].na_because, "no OMA JSON here");
    tc_case_free(c);
    tc_diags_free(&d);
    p = strstr(text, "\"/16/1\"");
    p[1] = 'x';
    p = strstr(text, "\"4.15\"");
    p[1] = '2';
    assert_int_equal(load_text(text, &c, &d), LC_EINVAL);
    assert_true(has_diag(&d, "/pass_criteria/1/expect/links/without/1", "LwM2M paths"));
    assert_true(has_diag(&d, "/steps/0/not_applicable_if", "an error code"));
    tc_diags_free(&d);
}

/* A criterion over one step of several requests names the values of all of them; each
 * value must lie under the path of one of them (else no response could hold it). */
static void test_value_scope(void **state)
{
    (void)state;
    static const char head[] =
        ETS_CASE_HEAD
        "\"configuration\": \"C.11\",\n"
        " \"steps\": [{\"step\": 1, \"text\": \"t\", \"server\": 1, \"op\": \"observe\", \"path\": \"/10/0/12\"},\n"
        "  {\"step\": 1, \"text\": \"t\", \"server\": 1, \"op\": \"observe\", \"path\": \"/10/0/13\"},\n"
        "  {\"step\": 2, \"text\": \"t\", \"server\": 1, \"op\": \"expect-notification\", \"path\": \"/10/0/12\", \"duration\": 2},\n"
        "  {\"step\": 2, \"text\": \"t\", \"server\": 1, \"op\": \"expect-notification\", \"path\": \"/10/0/13\", \"duration\": 2}],\n";
    char text[4096];
    tc_case *c = NULL;
    tc_diags d;
    snprintf(text, sizeof text, "%s"
             " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"t\", \"expect\": "
             "{\"values\": [{\"path\": \"/10/0/12\", \"equals\": 3}, {\"path\": \"/10/0/13\"}]}},\n"
             "  {\"criterion\": \"B\", \"step\": 2, \"text\": \"t\", \"expect\": {\"notifications\": "
             "{\"min_count\": 1, \"tolerance\": 1, \"values\": [{\"path\": \"/10/0/12\"}, {\"path\": \"/10/0/13\"}]}}}]}",
             head);
    assert_int_equal(load_text(text, &c, &d), 0);
    tc_case_free(c);
    tc_diags_free(&d);

    snprintf(text, sizeof text, "%s"
             " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": 1, \"text\": \"t\", \"expect\": "
             "{\"values\": [{\"path\": \"/10/0/6\", \"equals\": 3}]}},\n"
             "  {\"criterion\": \"B\", \"step\": 2, \"text\": \"t\", \"expect\": {\"notifications\": "
             "{\"min_count\": 1, \"tolerance\": 1, \"values\": [{\"path\": \"/10/0/12\"}, {\"path\": \"/3/0/0\"}]}}}]}",
             head);
    assert_int_equal(load_text(text, &c, &d), LC_EINVAL);
    assert_true(has_diag(&d, "/pass_criteria/0/expect/values/0/path",
                         "criterion A: /10/0/6 is under none of the paths its step reads "
                         "(observe /10/0/12, observe /10/0/13)"));
    assert_true(has_diag(&d, "/pass_criteria/1/expect/notifications/values/1/path",
                         "criterion B: /3/0/0 is under none"));
    assert_false(has_diag(&d, "/pass_criteria/1/expect/notifications/values/0/path", "none"));
    tc_diags_free(&d);
}

/* testcases/ and testcases/readings/ load as one suite, in file-name order across both,
 * and every shipped case sits in the directory its source says. */
static void test_readings_dir(void **state)
{
    (void)state;
    const char *dirs[] = {"testcases", "testcases/readings"};
    tc_suite s = {0};
    tc_diags d;
    tc_diags_init(&d);
    lc_error err = {0};
    assert_int_equal(tc_load_dirs(dirs, 2, &s, &d, &err), 0);
    assert_true(s.count >= 7);
    size_t readings = 0;
    for (size_t i = 0; i < s.count; i++) {
        bool in_readings = strstr(s.cases[i]->file, "testcases/readings/") != NULL;
        if (in_readings != s.cases[i]->tool_reading)
            fail_msg("%s: a %s in %s", s.cases[i]->file,
                     s.cases[i]->tool_reading ? "tool reading" : "ETS case",
                     in_readings ? "testcases/readings/" : "testcases/");
        readings += in_readings;
    }
    assert_int_equal(readings, 2); /* int-9-pairing, int-780-protocol */
    /* int-0 before int-1 before int-9-pairing (readings/) before int-950: the order of one
     * directory */
    assert_string_equal(s.cases[0]->short_id, "int-0");
    assert_string_equal(s.cases[1]->short_id, "int-1");
    tc_suite_free(&s);
}

/* ---- issue 10: server actions and the device's answers ------------------------------ */

/* after_step, or_expiry, a variable timeout, execute arguments, case variables, criteria
 * over several steps, "success" and "registered". */
static void test_core_case_keys(void **state)
{
    (void)state;
    const char *text = HEAD
        " \"variables\": {\"lifetime\": 20},\n"
        " \"steps\": [\n"
        "  {\"step\": 1, \"text\": \"w\", \"server\": 1, \"op\": \"write\", \"path\": \"/1/0/1\",\n"
        "   \"values\": [{\"path\": \"/1/0/1\", \"type\": \"integer\", \"value\": \"${var.lifetime}\"}]},\n"
        "  {\"step\": 2, \"text\": \"u\", \"server\": 1, \"op\": \"expect-update\", \"after_step\": 1,\n"
        "   \"or_expiry\": true, \"timeout\": \"${var.lifetime}\"},\n"
        "  {\"step\": 3, \"text\": \"x\", \"server\": 1, \"op\": \"execute\", \"path\": \"/3/0/4\",\n"
        "   \"arguments\": [{\"id\": 0, \"value\": \"a\"}, {\"id\": 1}]},\n"
        "  {\"step\": 4, \"text\": \"r\", \"server\": 1, \"op\": \"expect-registered\", \"duration\": \"${server[1].lifetime}\"}\n"
        " ],\n"
        " \"pass_criteria\": [\n"
        "  {\"criterion\": \"A\", \"step\": [1, 3], \"text\": \"ok\", \"expect\": {\"code\": \"success\"}},\n"
        "  {\"criterion\": \"B\", \"step\": 2, \"text\": \"np\", \"expect\": {\"registration\": {\"parameters\": \"none\"}}},\n"
        "  {\"criterion\": \"C\", \"step\": 4, \"text\": \"reg\", \"expect\": {\"registered\": true}}]}\n";
    tc_case *c;
    tc_diags d;
    if (load_text(text, &c, &d)) {
        char buf[1024];
        tc_diag_format(&d.items[0], buf, sizeof buf);
        fail_msg("%s", buf);
    }
    assert_int_equal(c->variable_count, 1);
    assert_string_equal(c->variables[0].value, "20");
    assert_int_equal(c->steps[1].after_step, 1);
    assert_true(c->steps[1].or_expiry);
    assert_string_equal(c->steps[1].timeout_var, "${var.lifetime}");
    assert_int_equal(c->steps[2].argument_count, 2);
    assert_string_equal(c->steps[2].arguments[0].name, "0");
    assert_string_equal(c->steps[2].arguments[0].value, "a");
    assert_null(c->steps[2].arguments[1].value);
    assert_int_equal(c->steps[3].op, TC_OP_EXPECT_REGISTERED);
    assert_string_equal(c->steps[3].duration_var, "${server[1].lifetime}");
    assert_int_equal(c->criteria[0].step, 1);
    assert_int_equal(c->criteria[0].more_step_count, 1);
    assert_int_equal(c->criteria[0].more_steps[0], 3);
    assert_string_equal(c->criteria[0].checks[0].code, "success");
    assert_true(c->criteria[1].checks[0].reg_no_parameters);
    assert_int_equal(c->criteria[2].checks[0].kind, TC_CHECK_REGISTERED);
    assert_true(c->criteria[2].checks[0].registered);
    tc_case_free(c);
    tc_diags_free(&d);

    /* the mistakes, each named where it is */
    const char *bad = HEAD
        " \"steps\": [\n"
        "  {\"step\": 1, \"text\": \"x\", \"server\": 1, \"op\": \"execute\", \"path\": \"/1/0/4\",\n"
        "   \"arguments\": [{\"id\": 10}, {\"id\": 2, \"value\": \"a b\"}]},\n"
        "  {\"step\": 2, \"text\": \"u\", \"server\": 1, \"op\": \"expect-update\", \"after_step\": 2},\n"
        "  {\"step\": 3, \"text\": \"r\", \"server\": 1, \"op\": \"read\", \"path\": \"/3/0\", \"after_step\": 1,\n"
        "   \"timeout\": \"${var.nope}\"}\n"
        " ],\n"
        " \"pass_criteria\": [{\"criterion\": \"A\", \"step\": [1, 7], \"text\": \"x\", \"expect\": {\"registered\": 1}}]}\n";
    assert_true(load_text(bad, &c, &d) < 0);
    assert_int_equal(d.count, 7);
    assert_diag(&d, 0, "inline.json", 6, 25, "/steps/0/arguments/0/id", "between 0 and 9", NULL);
    assert_diag(&d, 1, "inline.json", 6, 49, "/steps/0/arguments/1/value", "printable ASCII", NULL);
    assert_diag(&d, 2, "inline.json", 7, 78, "/steps/1/after_step", "earlier step than 2", NULL);
    assert_diag(&d, 3, "inline.json", 8, 71, "/steps/2/after_step", "no meaning for operation 'read'", NULL);
    assert_diag(&d, 4, "inline.json", 9, 15, "/steps/2/timeout", "${var.nope}", "declares no such variable");
    assert_diag(&d, 5, "inline.json", 11, 51, "/pass_criteria/0/step/1", "no step 7", NULL);
    assert_diag(&d, 6, "inline.json", 11, 93, "/pass_criteria/0/expect/registered", "true or false", NULL);
    tc_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_int950),
        cmocka_unit_test(test_source),
        cmocka_unit_test(test_readings_dir),
        cmocka_unit_test(test_observation_fields),
        cmocka_unit_test(test_value_scope),
        cmocka_unit_test(test_case_rules),
        cmocka_unit_test(test_seed_int951),
        cmocka_unit_test(test_seed_suite_order),
        cmocka_unit_test(test_each_mistake),
        cmocka_unit_test(test_valid_reference),
        cmocka_unit_test(test_every_problem_reported_in_file_order),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_step_fields),
        cmocka_unit_test(test_check_fields),
        cmocka_unit_test(test_more_mistakes),
        cmocka_unit_test(test_diags_null_and_format),
        cmocka_unit_test(test_dir_order_is_stable_topological),
        cmocka_unit_test(test_dir_cycle),
        cmocka_unit_test(test_dir_unknown_dependency),
        cmocka_unit_test(test_dir_duplicate_id),
        cmocka_unit_test(test_dir_broken_dependency_not_doubled),
        cmocka_unit_test(test_dir_empty_and_missing),
        cmocka_unit_test(test_suite_order_by_hand),
        cmocka_unit_test(test_bootstrap_keys),
        cmocka_unit_test(test_schema_matches_loader),
        cmocka_unit_test(test_core_case_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
