/* Tests of the result model and the reporters (text, JUnit, JSON).
 *
 * The reporters are checked against golden files in tests/golden/: fixed result sets are
 * built in code (every time fixed, so output is deterministic), rendered, and compared
 * byte for byte with
 *   report-<scenario>.txt          text reporter, no colour, not verbose, then the summary
 *   report-<scenario>.verbose.txt  the same, verbose
 *   report-<scenario>.color.txt    the same, verbose and coloured
 *   report-<scenario>.junit.xml    junit_write()
 *   report-<scenario>.json         json_report_write()
 * Every JUnit golden is also validated against tests/junit.xsd with xmllint and read back.
 *
 * To regenerate the goldens after an intended change of a reporter, run from the repo
 * root:
 *     UPDATE_GOLDEN=1 build/tests/test_report
 * which writes the files instead of comparing them; then read `git diff tests/golden/`
 * line by line: the goldens are the specification of the reports.
 *
 * Runs with the repository root as working directory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/json.h"
#include "report/html.h"
#include "report/junit.h"
#include "report/result.h"
#include "report/text.h"
#include "run/runner.h"

#define GOLDEN_DIR "tests/golden"
#define XSD "tests/junit.xsd"

/* ---------------------------------------------------------------- helpers */

typedef struct fixture {
    char dir[64];  /* a fresh temporary directory */
    run_result *r; /* freed by the teardown, so a failed assertion leaks nothing */
} fixture;

static int setup_tmpdir(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    strcpy(fx->dir, "/tmp/lc-test-report-XXXXXX");
    if (!mkdtemp(fx->dir)) {
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

/* Removes the files the tests may leave (and would leave on a failure) and the dir. */
static int teardown_tmpdir(void **state)
{
    fixture *fx = *state;
    static const char *const names[] = {"r.xml", "r.json", "r.html", "out.txt", "sub/x", "sub",
                                        "target/keep", "target", "ro/r.xml", "ro"};
    char p[256];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", fx->dir, names[i]);
        chmod(p, 0755);
        if (unlink(p) != 0)
            rmdir(p);
    }
    int rc = rmdir(fx->dir);
    result_run_free(fx->r);
    free(fx);
    return rc;
}

static bool update_mode(void)
{
    const char *v = getenv("UPDATE_GOLDEN");
    return v && strcmp(v, "1") == 0;
}

static char *read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *n = realloc(buf, cap);
            assert_non_null(n);
            buf = n;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[len] = '\0';
    if (len_out)
        *len_out = len;
    return buf;
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fail_msg("cannot write %s: %s", path, strerror(errno));
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Compares actual with the golden file (or writes it in update mode). On a mismatch it
 * reports the first differing line of both. */
static void check_golden(const char *name, const char *actual, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", GOLDEN_DIR, name);
    if (update_mode()) {
        write_file(path, actual, len);
        return;
    }
    size_t glen = 0;
    char *golden = read_file(path, &glen);
    if (!golden)
        fail_msg("%s missing (%s); run from the repo root, or create it with "
                 "UPDATE_GOLDEN=1", path, strerror(errno));
    if (glen == len && memcmp(golden, actual, len) == 0) {
        free(golden);
        return;
    }
    size_t i = 0, line = 1, bol = 0;
    while (i < len && i < glen && golden[i] == actual[i]) {
        if (actual[i] == '\n') {
            line++;
            bol = i + 1;
        }
        i++;
    }
    const char *ge = memchr(golden + bol, '\n', glen - bol);
    const char *ae = memchr(actual + bol, '\n', len - bol);
    print_error("%s differs at line %zu (byte %zu):\n  golden: %.*s\n  actual: %.*s\n"
                "(UPDATE_GOLDEN=1 rewrites the goldens; then review the diff)\n",
                path, line, i, (int)((ge ? ge : golden + glen) - (golden + bol)), golden + bol,
                (int)((ae ? ae : actual + len) - (actual + bol)), actual + bol);
    free(golden);
    fail();
}

/* ------------------------------------------------------- fixed result sets */

#define CRIT_951_C                                                                          \
    "In test step 3., the Server#1 receives the \u201cSuccess\u201d message from Client "    \
    "(2.05 Content) related to its DISCOVER command along with the payload containing the " \
    "following information regarding the Device Object Instance :\n"                        \
    "</3/0>;pmin=2;pmax=10,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/11>,</3/0/16>"
#define CRIT_951_D                                                                          \
    "In test step 4., the Server#2 receives the \u201cSuccess\u201d message from Client "    \
    "(2.05 Content) related to the DISCOVER command along with the payload containing the " \
    "following information regarding the Device Object Instance :\n\n"                      \
    "</3/0>;pmin=15;pmax=50,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/11>,</3/0/16>"
#define LINKS_1 "</3/0>;pmin=2;pmax=10,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/11>,</3/0/16>"
#define LINKS_2 "</3/0>;pmin=15;pmax=50,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/11>,</3/0/16>"

/* Every control character, XML metacharacter and broken UTF-8 form the escaping must
 * survive: C0 (BEL, ESC, CR, tab), DEL, C1 (CSI U+009B), valid multi-byte text, a stray
 * byte, a truncated sequence, an overlong '/', an encoded surrogate, U+FFFE, "]]>". */
#define NASTY                                                                               \
    "a<b>&c\"d'e ]]> tab\there cr\rhere esc\x1b[31mred\x1b[0m bel\x07 del\x7f c1\xc2\x9b" \
    " nbsp\xc2\xa0 \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 bad\xff\xfe lone\xc3( "            \
    "overlong\xc0\xaf surrogate\xed\xa0\x80 nonchar\xef\xbf\xbe end"

static run_result *new_run(uint64_t elapsed_ms)
{
    run_result *r = result_run_new("lwm2m-conform");
    assert_non_null(r);
    r->device = result_strdup("urn:imei:490154203237518");
    r->config = result_strdup("fixtures/c14.json");
    r->started_at = result_strdup("2024-05-01T10:00:00Z");
    r->hostname = result_strdup("ci-runner-1");
    r->elapsed_ms = elapsed_ms;
    return r;
}

static case_result *add_case(run_result *r, const char *short_id, const char *title,
                             const char *area, verdict v, uint64_t ms, const char *reason)
{
    case_result *c = result_add_case(r);
    assert_non_null(c);
    c->id = result_printf("LightweightM2M-1.0-%s", short_id);
    c->short_id = result_strdup(short_id);
    c->title = result_strdup(title);
    c->area = result_strdup(area);
    c->verdict = v;
    c->elapsed_ms = ms;
    c->reason = result_strdup(reason);
    return c;
}

static void add_step(case_result *c, int number, const char *summary, verdict v, uint64_t ms,
                     const char *reason)
{
    step_result *s = result_add_step(c);
    assert_non_null(s);
    s->number = number;
    s->summary = result_strdup(summary);
    s->verdict = v;
    s->elapsed_ms = ms;
    s->reason = result_strdup(reason);
}

static criterion_result *add_crit(case_result *c, char letter, int step, const char *text,
                                  verdict v, uint64_t ms)
{
    criterion_result *cr = result_add_criterion(c);
    assert_non_null(cr);
    cr->letter = letter;
    cr->step = step;
    cr->text = result_strdup(text);
    cr->verdict = v;
    cr->elapsed_ms = ms;
    return cr;
}

static void add_950(run_result *r, verdict c_verdict)
{
    bool pass = c_verdict == VERDICT_PASS;
    case_result *c = add_case(r, "int-950", "Multi-Servers Registration", "multi-server",
                              c_verdict, pass ? 410 : 30180,
                              pass ? NULL : "criterion C (step 2): no REGISTER at server 2");
    add_step(c, 1, "server 1: expect REGISTER -> 2.01 Created", VERDICT_PASS, 180, NULL);
    add_step(c, 2, pass ? "server 2: expect REGISTER -> 2.01 Created"
                        : "server 2: expect REGISTER -> (nothing)",
             c_verdict, pass ? 230 : 30000, pass ? NULL : "no REGISTER within 30.00 s");
    add_crit(c, 'A', 1,
             "In test step 1., the Server receives the REGISTER command along with the "
             "information related to the Server Account #1  (see LwM2M-1.0-int-101 Test "
             "Case for more)",
             VERDICT_PASS, 180);
    add_crit(c, 'B', 1,
             "In test step 1., the Client receives the \u201cSuccess\u201d message from "
             "Server #1 (2.01 Created)",
             VERDICT_PASS, 180);
    criterion_result *cc = add_crit(
        c, 'C', 2,
        "In test step 2., the Server receives the REGISTER command along with the "
        "information related to the Server Account #2  (see LwM2M-1.0-int-101 Test Case "
        "for more)",
        c_verdict, pass ? 230 : 30000);
    add_crit(c, 'D', 2,
             "In test step 2., the Client receives the \u201cSuccess\u201d message from "
             "Server #2 (2.01 Created)",
             pass ? VERDICT_PASS : VERDICT_INCONCLUSIVE, pass ? 230 : 30000);
    if (!pass) {
        cc->expected = result_strdup("POST /rd?ep=urn:imei:490154203237518&lt=86400&b=U at "
                                     "server 2 (127.0.0.1:41002)");
        cc->observed = result_strdup("nothing within 30.00 s");
        cc->request = result_strdup("(none: the device registers by itself)");
    }
}

/* int-951 with criteria C and, when d_fails, D failing: server 1's Discover shows server
 * 2's attributes (the device keeps one attribute set for both servers). */
static void add_951(run_result *r, bool fails, bool d_fails)
{
    case_result *c =
        add_case(r, "int-951", "Multi-Servers & Attributes", "multi-server",
                 fails ? VERDICT_FAIL : VERDICT_PASS, 3200,
                 fails ? "criterion C (step 3): link </3/0>: pmin is 15, expected 2" : NULL);
    add_step(c, 1, "server 1: WRITE-ATTRIBUTES /3/0?pmin=2&pmax=10 -> 2.04 Changed",
             VERDICT_PASS, 52, NULL);
    add_step(c, 2, "server 2: WRITE-ATTRIBUTES /3/0?pmin=15&pmax=50 -> 2.04 Changed",
             VERDICT_PASS, 47, NULL);
    add_step(c, 3, "server 1: DISCOVER /3/0 -> 2.05 Content", fails ? VERDICT_FAIL : VERDICT_PASS,
             121, fails ? "link </3/0>: pmin is 15, expected 2; pmax is 50, expected 10" : NULL);
    add_step(c, 4, "server 2: DISCOVER /3/0 -> 2.05 Content",
             d_fails ? VERDICT_FAIL : VERDICT_PASS, 118,
             d_fails ? "link </3/0/16>: missing" : NULL);
    add_crit(c, 'A', 1,
             "In test step 1., the Server#1  receives the \u201cSuccess\u201d message from "
             "the Client (2.04 Changed)",
             VERDICT_PASS, 52);
    add_crit(c, 'B', 2,
             "In test step 2., the Server#2 receives the \u201cSuccess\u201d message from the "
             "Client (2.04 Changed)",
             VERDICT_PASS, 47);
    criterion_result *cc = add_crit(c, 'C', 3, CRIT_951_C, fails ? VERDICT_FAIL : VERDICT_PASS,
                                    121);
    criterion_result *cd = add_crit(c, 'D', 4, CRIT_951_D,
                                    d_fails ? VERDICT_FAIL : VERDICT_PASS, 118);
    if (fails) {
        cc->expected = result_strdup("2.05 Content, ct=40 (link format)\n" LINKS_1);
        cc->observed = result_strdup("2.05 Content, ct=40 (link format)\n" LINKS_2 "\n"
                                     "link </3/0>: pmin is 15, expected 2\n"
                                     "link </3/0>: pmax is 50, expected 10\n");
        cc->request = result_strdup("GET /3/0 Accept:40");
        cc->response = result_strdup("2.05 Content, ct=40, 78 bytes: " LINKS_2);
        c->trace = result_strdup(
            "10:00:03.102 s1 -> CON PUT /3/0?pmin=2&pmax=10 mid=0x1a2b tok=4f1c\n"
            "10:00:03.154 s1 <- ACK 2.04 Changed mid=0x1a2b tok=4f1c\n"
            "10:00:03.160 s2 -> CON PUT /3/0?pmin=15&pmax=50 mid=0x0c01 tok=77a0\n"
            "10:00:03.207 s2 <- ACK 2.04 Changed mid=0x0c01 tok=77a0\n"
            "10:00:03.210 s1 -> CON GET /3/0 Accept:40 mid=0x1a2c tok=4f1d\n"
            "10:00:03.331 s1 <- ACK 2.05 Content ct=40 78 bytes: " LINKS_2 "\n");
    }
    if (d_fails) {
        cd->expected = result_strdup("2.05 Content, ct=40 (link format)\n" LINKS_2);
        cd->observed = result_strdup(
            "2.05 Content, ct=40 (link format)\n"
            "</3/0>;pmin=15;pmax=50,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/11>\n"
            "link </3/0/16>: missing");
        cd->request = result_strdup("GET /3/0 Accept:40");
        cd->response = result_strdup("2.05 Content, ct=40, 68 bytes: "
                                     "</3/0>;pmin=15;pmax=50,</3/0/0>,</3/0/1>,</3/0/2>,"
                                     "</3/0/3>,</3/0/11>");
    }
}

static run_result *scenario_pass(void)
{
    run_result *r = new_run(3610);
    add_950(r, VERDICT_PASS);
    add_951(r, false, false);
    return r;
}

static run_result *scenario_fail(void)
{
    run_result *r = new_run(3610);
    add_950(r, VERDICT_PASS);
    add_951(r, true, false);
    return r;
}

/* The device under test named: the text report opens with it, JSON has it as an object,
 * JUnit as properties; an ignored second device; the resets; a case's device output in
 * system-err; an INCONCLUSIVE preamble and a SKIPPED reset case. */
static run_result *scenario_device(void)
{
    run_result *r = new_run(2500);
    device_info *d = &r->dut;
    d->endpoint = result_strdup("urn:imei:490154203237518");
    d->lwm2m_version = result_strdup("1.1");
    d->address = result_strdup("192.0.2.7:56830");
    d->servers[0] = (device_server){1, result_strdup("dev-psk-1"),
                                    result_strdup("TLS-ECDHE-PSK-WITH-AES-128-CCM-8")};
    d->servers[1] = (device_server){2, result_strdup("dev-psk-2"), NULL};
    d->server_count = 2;
    d->command = result_strdup("./zephyr.exe --bootstrap \"$LWM2M_CONFORM_BOOTSTRAP_URI\"");
    d->log = result_strdup("/tmp/lwm2m-conform-device-Ab12Cd.log");
    d->resets_planned = 3;
    d->resets_made = 2;
    d->ignored = calloc(1, sizeof *d->ignored);
    assert_non_null(d->ignored);
    d->ignored[0] = result_strdup("other-device");
    d->ignored_count = 1;
    add_950(r, VERDICT_PASS);
    case_result *c = &r->cases[r->case_count - 1];
    c->device_log = result_strdup("[00:00:01.200] <inf> lwm2m_rd_client: Registration Done\n"
                                  "[00:00:01.300] <inf> net_lwm2m_engine: <&> done\n");
    add_case(r, "int-1", "Client Initiated Bootstrap, full, PSK", "bootstrap",
             VERDICT_INCONCLUSIVE, 2000, "not run: preamble failed: resetting the device: the "
             "reset command exited with status 1");
    add_case(r, "int-4", "Bootstrap Delete", "bootstrap", VERDICT_SKIPPED, 0,
             "needs a factory reset: give --device-cmd or --reset-cmd");
    return r;
}

/* A tool reading (advisory) fails beside a passing ETS case: marked as advisory in every
 * report, in its own JUnit testsuite, and the exit code stays 0 unless strict. */
static run_result *scenario_advisory(void)
{
    run_result *r = new_run(2100);
    case_result *ets = add_case(r, "int-0", "Client Initiated Bootstrap", "bootstrap",
                                VERDICT_PASS, 900, NULL);
    ets->source = result_strdup("OMA-ETS-LightweightM2M-V1_0_1 \u00a76.1.1.1");
    /* one case, two documents: JSON's "ets" and JUnit's <properties> name both */
    assert_int_equal(result_case_add_ets(ets, "1.0.1", "LightweightM2M-1.0-int-0", "6.1.1.1"), 0);
    assert_int_equal(result_case_add_ets(ets, "1.2", "LightweightM2M-1.1-int-0", "6.1.1.1"), 0);
    case_result *c = add_case(r, "int-9", "Bootstrap and Configuration Consistency", "bootstrap",
                              VERDICT_FAIL, 1200, "criterion D (step 4): 4.06 expected");
    c->source = result_strdup("tool reading: LwM2M TS 1.0 \u00a75.2.5");
    c->advisory = true;
    add_step(c, 4, "bootstrap server: bootstrap-finish POST /bs -> 2.04 Changed", VERDICT_PASS,
             20, NULL);
    criterion_result *cr = add_crit(c, 'D', 4, "the Bootstrap Server received \"4.06\" Not "
                                    "Acceptable related to the BOOTSTRAP-FINISH", VERDICT_FAIL, 20);
    cr->expected = result_strdup("4.06 Not Acceptable");
    cr->observed = result_strdup("2.04 Changed");
    return r;
}

static run_result *scenario_error(void)
{
    run_result *r = new_run(12);
    add_case(r, "int-950", "Multi-Servers Registration", "multi-server", VERDICT_ERROR, 3,
             "cannot open server 2 endpoint on 127.0.0.1:41002: address in use\n"
             "stop the process using the port, or choose other ports with --port-base");
    add_case(r, "int-951", "Multi-Servers & Attributes", "multi-server", VERDICT_ERROR, 1,
             "configuration fixtures/c14.json: /0/2/5 (PSK key) is not valid Base64");
    return r;
}

static run_result *scenario_inconclusive(void)
{
    run_result *r = new_run(30250);
    add_950(r, VERDICT_FAIL);
    add_case(r, "int-951", "Multi-Servers & Attributes", "multi-server", VERDICT_INCONCLUSIVE,
             0, "precondition not met: LightweightM2M-1.0-int-950 did not pass");
    return r;
}

static run_result *scenario_skipped(void)
{
    run_result *r = new_run(450);
    add_950(r, VERDICT_PASS);
    add_case(r, "int-1001", "Firmware Update: Querying the firmware package state",
             "firmware", VERDICT_SKIPPED, 0,
             "not applicable: configuration C.14 has no Firmware Update object (/5)");
    add_case(r, "int-1002", NULL, "firmware", VERDICT_SKIPPED, 0, NULL);
    return r;
}

static run_result *scenario_interrupted(void)
{
    run_result *r = new_run(4020);
    r->interrupted = true;
    add_950(r, VERDICT_PASS);
    add_951(r, true, true);
    case_result *c = add_case(r, "int-101", "Initial Registration", "registration",
                              VERDICT_SKIPPED, 0, "not run: the run was interrupted");
    c->not_run = true;
    c = add_case(r, "int-102", "Registration Update", "registration", VERDICT_SKIPPED, 0,
                 "not run: the run was interrupted");
    c->not_run = true;
    return r;
}

static run_result *scenario_nasty(void)
{
    run_result *r = new_run(1234);
    free(r->device);
    r->device = result_strdup("dev<&>\"'\x01\xff");
    free(r->config);
    r->config = result_strdup("fixtures/c14 & \"friends\".json");
    case_result *c = add_case(r, "int-9<&>", "Nasty " NASTY, "multi-server&<x>", VERDICT_FAIL,
                              77, "criterion A (step 1): " NASTY);
    add_step(c, 1, "server 1: READ /3/0/0 -> 2.05 " NASTY, VERDICT_FAIL, 77,
             "reason\n" NASTY);
    criterion_result *cr = add_crit(c, 'A', 1, "Text line 1 <&>\n" NASTY, VERDICT_FAIL, 77);
    cr->expected = result_strdup("\"Open Mobile Alliance\"\n<tag attr='x'>&amp;</tag>");
    cr->observed = result_strdup(NASTY "\n\nafter a blank line\r\n");
    cr->request = result_strdup("GET /3/0/0?q=<1>&r=\"2\"");
    cr->response = result_strdup("2.05 Content, ct=0, 9 bytes: ]]>\x01\x02\x03");
    c->trace = result_strdup("-> CON GET /3/0/0\n<- ACK 2.05 payload: " NASTY "\r\n"
                             "<![CDATA[ not a section ]]>\n");
    add_case(r, "int-err", "Error \x1b[2J clear", "x", VERDICT_ERROR, 5,
             "line one\n\ttabbed <two> & \"three\"\r\nbroken \xe2\x82 end");
    add_case(r, "int-skip", "Skip", "x", VERDICT_SKIPPED, 0, "reason with 'quotes' & \xff");
    add_case(r, "int-inc", "Inconclusive", "x", VERDICT_INCONCLUSIVE, 0, "");
    return r;
}

typedef struct scenario {
    const char *name;
    run_result *(*build)(void);
    size_t pass, fail, inconclusive, skipped, error;
} scenario;

static const scenario scenarios[] = {
    {"pass", scenario_pass, 2, 0, 0, 0, 0},
    {"fail", scenario_fail, 1, 1, 0, 0, 0},
    {"error", scenario_error, 0, 0, 0, 0, 2},
    {"inconclusive", scenario_inconclusive, 0, 1, 1, 0, 0},
    {"skipped", scenario_skipped, 1, 0, 0, 2, 0},
    {"interrupted", scenario_interrupted, 1, 1, 0, 2, 0},
    {"nasty", scenario_nasty, 0, 1, 1, 1, 1},
    {"advisory", scenario_advisory, 1, 1, 0, 0, 0},
    {"device", scenario_device, 1, 0, 1, 1, 0},
};

/* ------------------------------------------------------------- goldens */

static char *render_text(const run_result *r, bool color, bool verbose, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    assert_non_null(f);
    for (size_t i = 0; i < r->case_count; i++)
        text_report_case(f, &r->cases[i], color, verbose);
    fputc('\n', f);
    text_report_summary(f, r, color);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* The number in attr="N" of the first element named elem in xml. */
static long xml_count_attr(const char *xml, const char *elem, const char *attr)
{
    char key[64];
    snprintf(key, sizeof key, "<%s ", elem);
    const char *e = strstr(xml, key);
    assert_non_null(e);
    const char *end = strchr(e, '>');
    assert_non_null(end);
    snprintf(key, sizeof key, " %s=\"", attr);
    const char *a = strstr(e, key);
    assert_non_null(a);
    assert_true(a < end);
    return strtol(a + strlen(key), NULL, 10);
}

static size_t count_substr(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Runs xmllint with tests/junit.xsd on path; returns its exit status and, in *output,
 * what it printed (the caller frees). */
static int xmllint_schema(const char *path, char **output)
{
    char cmd[512], log[128];
    snprintf(log, sizeof log, "/tmp/lc-test-report-xmllint.%ld", (long)getpid());
    snprintf(cmd, sizeof cmd, "xmllint --noout --schema %s %s >%s 2>&1", XSD, path, log);
    int rc = system(cmd);
    *output = read_file(log, NULL);
    unlink(log);
    return rc;
}

static void validate_junit(const char *path, const run_result *r)
{
    char *out = NULL;
    if (xmllint_schema(path, &out) != 0) {
        print_error("%s\n", out ? out : "(no output)");
        free(out);
        fail_msg("%s does not validate against %s (is xmllint from libxml2-utils installed?)",
                 path, XSD);
    }
    free(out);

    char *xml = read_file(path, NULL);
    assert_non_null(xml);
    result_counts k = result_count(r);
    assert_int_equal(count_substr(xml, "<testcase "), r->case_count);
    /* the tool's readings (advisory) get a second testsuite; the first holds the rest */
    assert_int_equal(count_substr(xml, "<testsuite "), k.advisory ? 2 : 1);
    result_counts e = {0};
    for (size_t i = 0; i < r->case_count; i++) {
        const case_result *c = &r->cases[i];
        if (c->advisory)
            continue;
        e.total++;
        e.fail += c->verdict == VERDICT_FAIL;
        e.error += c->verdict == VERDICT_ERROR || c->verdict == VERDICT_INCONCLUSIVE;
        e.skipped += c->verdict == VERDICT_SKIPPED;
    }
    assert_int_equal(xml_count_attr(xml, "testsuite", "tests"), e.total);
    assert_int_equal(xml_count_attr(xml, "testsuite", "failures"), e.fail);
    assert_int_equal(xml_count_attr(xml, "testsuite", "errors"), e.error);
    assert_int_equal(xml_count_attr(xml, "testsuite", "skipped"), e.skipped);
    assert_int_equal(xml_count_attr(xml, "testsuites", "failures"), k.fail);
    assert_int_equal(count_substr(xml, "<failure "), k.fail);
    assert_int_equal(count_substr(xml, "<error "), k.error + k.inconclusive);
    assert_int_equal(count_substr(xml, "<skipped "), k.skipped);
    free(xml);
}

static void validate_json(const char *path, const run_result *r)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    if (!doc)
        fail_msg("%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
    result_counts k = result_count(r);
    json_t *cases = json_object_get(doc, "cases");
    assert_true(json_is_array(cases));
    assert_int_equal(json_array_size(cases), r->case_count);
    for (size_t i = 0; i < r->case_count; i++) {
        json_t *c = json_array_get(cases, i);
        assert_string_equal(json_string_value(json_object_get(c, "verdict")),
                            verdict_name(r->cases[i].verdict));
        assert_int_equal(json_array_size(json_object_get(c, "criteria")),
                         r->cases[i].criterion_count);
        assert_int_equal(json_array_size(json_object_get(c, "steps")), r->cases[i].step_count);
    }
    json_t *counts = json_object_get(doc, "counts");
    assert_int_equal(json_integer_value(json_object_get(counts, "fail")), k.fail);
    assert_int_equal(json_integer_value(json_object_get(counts, "not_run")), k.not_run);
    assert_int_equal(json_integer_value(json_object_get(doc, "elapsed_ms")), r->elapsed_ms);
    assert_int_equal(json_is_true(json_object_get(doc, "interrupted")), r->interrupted);
    json_decref(doc);
}

/* What every HTML page promises whatever the scenario: one <details> per case, failures
 * before passes, nothing loaded from elsewhere, the filter hidden until the script runs. */
static void validate_html(const char *html, const run_result *r)
{
    assert_int_equal(count_substr(html, "<details class=\"case\""), r->case_count);
    const char *first_pass = strstr(html, "data-verdict=\"PASS\"");
    const char *last_fail = NULL;
    for (const char *p = strstr(html, "data-verdict=\"FAIL\""); p;
         p = strstr(p + 1, "data-verdict=\"FAIL\""))
        last_fail = p;
    if (first_pass && last_fail)
        assert_true(last_fail < first_pass);
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "href=\"http"));
    assert_null(strstr(html, "url("));
    assert_non_null(strstr(html, "Content-Security-Policy"));
    assert_non_null(strstr(html, "<fieldset id=\"filter\" hidden>"));
}

static void run_scenario(void **state, const scenario *sc)
{
    fixture *fx = *state;
    run_result *r = fx->r = sc->build();
    result_counts k = result_count(r);
    assert_int_equal(k.pass, sc->pass);
    assert_int_equal(k.fail, sc->fail);
    assert_int_equal(k.inconclusive, sc->inconclusive);
    assert_int_equal(k.skipped, sc->skipped);
    assert_int_equal(k.error, sc->error);

    static const struct {
        const char *suffix;
        bool color, verbose;
    } texts[] = {{"txt", false, false}, {"verbose.txt", false, true}, {"color.txt", true, true}};
    char name[128], golden[256], out[256];
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        size_t len = 0;
        char *t = render_text(r, texts[i].color, texts[i].verbose, &len);
        snprintf(name, sizeof name, "report-%s.%s", sc->name, texts[i].suffix);
        check_golden(name, t, len);
        /* the plain renderings must never carry an escape sequence, even for ESC in input */
        if (!texts[i].color)
            assert_null(memchr(t, '\x1b', len));
        free(t);
    }

    lc_error err = {0};
    snprintf(out, sizeof out, "%s/r.xml", fx->dir);
    assert_int_equal(junit_write(out, r, &err), 0);
    size_t len = 0;
    char *xml = read_file(out, &len);
    assert_non_null(xml);
    snprintf(name, sizeof name, "report-%s.junit.xml", sc->name);
    check_golden(name, xml, len);
    free(xml);
    snprintf(golden, sizeof golden, "%s/%s", GOLDEN_DIR, name);
    validate_junit(golden, r);

    snprintf(out, sizeof out, "%s/r.json", fx->dir);
    assert_int_equal(json_report_write(out, r, &err), 0);
    char *js = read_file(out, &len);
    assert_non_null(js);
    snprintf(name, sizeof name, "report-%s.json", sc->name);
    check_golden(name, js, len);
    free(js);
    snprintf(golden, sizeof golden, "%s/%s", GOLDEN_DIR, name);
    validate_json(golden, r);

    snprintf(out, sizeof out, "%s/r.html", fx->dir);
    assert_int_equal(html_report_write(out, r, &err), 0);
    char *html = read_file(out, &len);
    assert_non_null(html);
    snprintf(name, sizeof name, "report-%s.html", sc->name);
    check_golden(name, html, len);
    validate_html(html, r);
    free(html);
}

static void test_golden_pass(void **state) { run_scenario(state, &scenarios[0]); }
static void test_golden_fail(void **state) { run_scenario(state, &scenarios[1]); }
static void test_golden_error(void **state) { run_scenario(state, &scenarios[2]); }
static void test_golden_inconclusive(void **state) { run_scenario(state, &scenarios[3]); }
static void test_golden_skipped(void **state) { run_scenario(state, &scenarios[4]); }
static void test_golden_interrupted(void **state) { run_scenario(state, &scenarios[5]); }
static void test_golden_nasty(void **state) { run_scenario(state, &scenarios[6]); }
static void test_golden_advisory(void **state) { run_scenario(state, &scenarios[7]); }
static void test_golden_device(void **state) { run_scenario(state, &scenarios[8]); }

/* A failed tool reading is advisory: the run's exit code is 0, 1 only when strict. */
static void test_exit_code_advisory(void **state)
{
    (void)state;
    run_result *r = scenario_advisory();
    assert_int_equal(runner_exit_code(r, false), 0);
    assert_int_equal(runner_exit_code(r, true), 1);
    r->cases[0].verdict = VERDICT_FAIL; /* an ETS case fails: 1 either way */
    assert_int_equal(runner_exit_code(r, false), 1);
    result_run_free(r);
}

/* The schema check must be able to fail: documents breaking the dialect are refused. */
static void test_xsd_rejects(void **state)
{
    fixture *fx = *state;
    static const char *const bad[] = {
        /* two result elements in one testcase */
        "<testsuites name=\"s\" tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\" "
        "time=\"0.000\"><testsuite name=\"s\" tests=\"1\" failures=\"1\" errors=\"0\" "
        "skipped=\"0\" time=\"0.000\"><testcase name=\"x\" classname=\"lwm2m\" "
        "time=\"0.000\"><failure message=\"m\" type=\"FAIL\"/>"
        "<failure message=\"m\" type=\"FAIL\"/></testcase></testsuite></testsuites>\n",
        /* an error type that is no verdict */
        "<testsuites name=\"s\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" "
        "time=\"0.000\"><testsuite name=\"s\" tests=\"1\" failures=\"0\" errors=\"1\" "
        "skipped=\"0\" time=\"0.000\"><testcase name=\"x\" classname=\"lwm2m\" "
        "time=\"0.000\"><error message=\"m\" type=\"OOPS\"/></testcase></testsuite>"
        "</testsuites>\n",
        /* a time that is not seconds.milliseconds */
        "<testsuites name=\"s\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" "
        "time=\"3.2s\"/>\n",
        /* a forbidden control character */
        "<testsuites name=\"s\x01\" tests=\"0\" failures=\"0\" errors=\"0\" "
        "skipped=\"0\" time=\"0.000\"/>\n",
    };
    char path[256];
    snprintf(path, sizeof path, "%s/r.xml", fx->dir);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(path, bad[i], strlen(bad[i]));
        char *out = NULL;
        int rc = xmllint_schema(path, &out);
        free(out);
        if (rc == 0)
            fail_msg("bad document %zu passed the schema", i);
    }
    /* and the smallest good one passes, so the failures above are not xmllint missing */
    static const char good[] = "<testsuites name=\"s\" tests=\"0\" failures=\"0\" "
                               "errors=\"0\" skipped=\"0\" time=\"0.000\"/>\n";
    write_file(path, good, strlen(good));
    char *out = NULL;
    int rc = xmllint_schema(path, &out);
    if (rc != 0)
        print_error("%s\n", out ? out : "(no output)");
    free(out);
    assert_int_equal(rc, 0);
}

/* The golden files are the spec, but a few promises are worth stating on their own so a
 * regenerated golden cannot silently drop them. */
static void test_text_promises(void **state)
{
    (void)state;
    run_result *r = scenario_fail();
    size_t len;
    char *t = render_text(r, false, false, &len);
    assert_non_null(strstr(t, "PASS  int-950  Multi-Servers Registration  (0.41 s)\n"));
    assert_non_null(strstr(t, "2 cases: 1 passed, 1 failed, 0 inconclusive, 0 skipped, "
                              "0 errors in 3.61 s\n"));
    assert_non_null(strstr(t, "\nFAIL int-951 criterion C (step 3)\n"));
    assert_non_null(strstr(t, "  expected: 2.05 Content, ct=40 (link format)\n"
                              "            " LINKS_1 "\n"));
    assert_non_null(strstr(t, "  request:  GET /3/0 Accept:40\n"));
    assert_null(strstr(t, "criterion A")); /* passing criteria are not repeated */
    free(t);
    t = render_text(r, true, false, &len);
    assert_non_null(strstr(t, "\033[32mPASS\033[0m  int-950"));
    assert_non_null(strstr(t, "\033[31mFAIL\033[0m int-951 criterion C (step 3)"));
    free(t);
    result_run_free(r);

    r = scenario_interrupted();
    t = render_text(r, false, false, &len);
    assert_non_null(strstr(t, "Run interrupted: 2 of 4 cases were not run.\n"));
    assert_null(strstr(t, "SKIPPED int-101")); /* not-run cases are counted, not listed */
    assert_non_null(strstr(t, "FAIL int-951 criterion D (step 4)"));
    free(t);
    result_run_free(r);
}

static void test_junit_promises(void **state)
{
    (void)state;
    run_result *r = scenario_interrupted();
    char *xml = junit_format(r);
    assert_non_null(xml);
    assert_non_null(strstr(xml, "<testcase name=\"LightweightM2M-1.0-int-951 Multi-Servers "
                                "&amp; Attributes\" classname=\"lwm2m.multi-server\" "
                                "time=\"3.200\">"));
    /* one failure element although C and D failed; the message names the first */
    assert_int_equal(count_substr(xml, "<failure "), 1);
    assert_non_null(strstr(xml, "<failure message=\"criterion C (step 3): In test step 3.,"));
    assert_non_null(strstr(xml, "\ncriterion D (step 4)\n"));
    assert_non_null(strstr(xml, "<skipped message=\"not run: the run was interrupted\"/>"));
    assert_non_null(strstr(xml, "<property name=\"not_run\" value=\"2\"/>"));
    free(xml);
    result_run_free(r);

    r = scenario_nasty();
    xml = junit_format(r);
    assert_non_null(xml);
    assert_null(strstr(xml, "\x1b"));
    assert_null(strstr(xml, "\x01"));
    assert_null(strstr(xml, "\xff"));
    assert_null(strstr(xml, "]]>")); /* '>' is always escaped */
    assert_non_null(strstr(xml, "a&lt;b&gt;&amp;c&quot;d&apos;e"));
    assert_non_null(strstr(xml, "bad\xEF\xBF\xBD\xEF\xBF\xBD lone"));
    assert_non_null(strstr(xml, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80")); /* valid text kept */
    assert_non_null(strstr(xml, "message=\"line one tabbed"));
    free(xml);
    result_run_free(r);
}

/* Run-level notes: every reporter shows them; duplicates and overflow are bounded. */
static void test_notes(void **state)
{
    (void)state;
    run_result *r = scenario_pass();
    size_t len;
    char *t = render_text(r, false, false, &len);
    assert_null(strstr(t, "Note: "));
    free(t);
    char *json = json_report_format(r);
    assert_null(strstr(json, "\"notes\""));
    free(json);

    assert_int_equal(result_add_note(r, "held to LwM2M %s: 4.12 & <fallback>", "1.0"), 0);
    assert_int_equal(result_add_note(r, "held to LwM2M %s: 4.12 & <fallback>", "1.0"), 0);
    assert_int_equal(r->note_count, 1);
    t = render_text(r, false, false, &len);
    assert_non_null(strstr(t, "Note: held to LwM2M 1.0: 4.12 & <fallback>\n"));
    free(t);
    json = json_report_format(r);
    assert_non_null(strstr(json, "\"notes\": [\n    \"held to LwM2M 1.0: 4.12 & <fallback>\"\n  ]"));
    assert_null(strstr(json, "notes_left_out"));
    free(json);
    char *xml = junit_format(r);
    assert_non_null(strstr(xml, "<property name=\"note\" value=\"held to LwM2M 1.0: 4.12 &amp; "
                                "&lt;fallback&gt;\"/>"));
    free(xml);

    for (int i = 0; i < RESULT_MAX_NOTES + 5; i++)
        result_add_note(r, "note %d", i);
    assert_int_equal(r->note_count, RESULT_MAX_NOTES);
    assert_int_equal(r->note_dropped, 6);
    t = render_text(r, false, false, &len);
    assert_non_null(strstr(t, "Note: 6 more note(s) left out\n"));
    free(t);
    json = json_report_format(r);
    assert_non_null(strstr(json, "\"notes_left_out\": 6"));
    free(json);
    result_run_free(r);
}

/* --------------------------------------------------------- result model */

static void test_verdict_names(void **state)
{
    (void)state;
    assert_string_equal(verdict_name(VERDICT_PASS), "PASS");
    assert_string_equal(verdict_name(VERDICT_FAIL), "FAIL");
    assert_string_equal(verdict_name(VERDICT_INCONCLUSIVE), "INCONCLUSIVE");
    assert_string_equal(verdict_name(VERDICT_SKIPPED), "SKIPPED");
    assert_string_equal(verdict_name(VERDICT_ERROR), "ERROR");
    assert_string_equal(verdict_name((verdict)42), "UNKNOWN");
}

static void test_model_growth_and_counts(void **state)
{
    (void)state;
    run_result *r = result_run_new(NULL);
    assert_non_null(r);
    assert_string_equal(r->suite_name, "lwm2m-conform");
    for (int i = 0; i < 100; i++) {
        case_result *c = result_add_case(r);
        assert_non_null(c);
        assert_null(c->id);
        assert_int_equal(c->criterion_count, 0);
        c->id = result_printf("case-%d", i);
        c->verdict = (verdict)(i % 5);
        c->not_run = c->verdict == VERDICT_SKIPPED && i % 10 == 3;
        for (int j = 0; j < i % 37; j++) {
            criterion_result *cr = result_add_criterion(c);
            assert_non_null(cr);
            assert_null(cr->text);
            cr->letter = (char)('A' + j % 26);
            cr->text = result_printf("crit %d", j);
            step_result *s = result_add_step(c);
            assert_non_null(s);
            s->number = j + 1;
            s->summary = result_printf("step %d", j);
        }
    }
    assert_int_equal(r->case_count, 100);
    assert_true(r->case_cap >= 100);
    for (int i = 0; i < 100; i++) {
        char want[32];
        snprintf(want, sizeof want, "case-%d", i);
        assert_string_equal(r->cases[i].id, want);
        assert_int_equal(r->cases[i].criterion_count, (size_t)(i % 37));
        for (int j = 0; j < i % 37; j++) {
            snprintf(want, sizeof want, "crit %d", j);
            assert_string_equal(r->cases[i].criteria[j].text, want);
            assert_int_equal(r->cases[i].steps[j].number, j + 1);
        }
    }
    result_counts k = result_count(r);
    assert_int_equal(k.total, 100);
    assert_int_equal(k.pass, 20);
    assert_int_equal(k.fail, 20);
    assert_int_equal(k.inconclusive, 20);
    assert_int_equal(k.skipped, 20);
    assert_int_equal(k.error, 20);
    assert_int_equal(k.not_run, 10); /* i = 3, 13, 23, … have i % 5 == 3 */
    result_run_free(r);

    result_counts z = result_count(NULL);
    assert_int_equal(z.total, 0);
    assert_null(result_add_case(NULL));
    assert_null(result_add_criterion(NULL));
    assert_null(result_add_step(NULL));
    result_run_free(NULL);
}

static void test_strings(void **state)
{
    (void)state;
    assert_null(result_strdup(NULL));
    char *s = result_strdup("abc");
    assert_string_equal(s, "abc");
    free(s);
    s = result_printf("%s-%d-%03u", "x", -7, 5u);
    assert_string_equal(s, "x--7-005");
    free(s);
    s = result_printf("%s", "");
    assert_string_equal(s, "");
    free(s);

    assert_null(result_one_line(NULL));
    s = result_one_line("  a \n\t b\n\nc  ");
    assert_string_equal(s, "a b c");
    free(s);
    s = result_one_line(" \n ");
    assert_string_equal(s, "");
    free(s);

    char buf[32];
    assert_string_equal(result_seconds(0, buf, sizeof buf), "0.00 s");
    assert_string_equal(result_seconds(4, buf, sizeof buf), "0.00 s");
    assert_string_equal(result_seconds(5, buf, sizeof buf), "0.01 s");
    assert_string_equal(result_seconds(410, buf, sizeof buf), "0.41 s");
    assert_string_equal(result_seconds(3199, buf, sizeof buf), "3.20 s");
    assert_string_equal(result_seconds(61234, buf, sizeof buf), "61.23 s");
}

static void test_utf8_decode(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t len;
        uint32_t cp;
    } cases[] = {
        {"A", 1, 'A'},
        {"\x7f", 1, 0x7f},
        {"\xc2\x80", 2, 0x80},
        {"\xc3\xa9", 2, 0xe9},
        {"\xe2\x82\xac", 3, 0x20ac},
        {"\xef\xbf\xbe", 3, 0xfffe}, /* a noncharacter, but valid UTF-8 */
        {"\xf0\x9f\x98\x80", 4, 0x1f600},
        {"\xf4\x8f\xbf\xbf", 4, 0x10ffff},
        {"", 0, 0},
        {"\x80", 0, 0},             /* stray continuation */
        {"\xc0\xaf", 0, 0},         /* overlong '/' */
        {"\xc1\xbf", 0, 0},         /* overlong */
        {"\xe0\x80\xaf", 0, 0},     /* overlong, 3 bytes */
        {"\xf0\x80\x80\xaf", 0, 0}, /* overlong, 4 bytes */
        {"\xed\xa0\x80", 0, 0},     /* surrogate U+D800 */
        {"\xed\xbf\xbf", 0, 0},     /* surrogate U+DFFF */
        {"\xf4\x90\x80\x80", 0, 0}, /* U+110000 */
        {"\xf5\x80\x80\x80", 0, 0},
        {"\xff", 0, 0},
        {"\xc3", 0, 0},             /* truncated at the end */
        {"\xe2\x82", 0, 0},
        {"\xc3(", 0, 0},            /* bad continuation */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t cp = 0xDEADBEEF;
        size_t n = result_utf8_decode(cases[i].in, &cp);
        if (n != cases[i].len)
            fail_msg("case %zu: length %zu, want %zu", i, n, cases[i].len);
        if (n)
            assert_int_equal(cp, cases[i].cp);
    }
}

static void test_criterion_details(void **state)
{
    (void)state;
    criterion_result cr = {
        .letter = 'C',
        .step = 3,
        .text = "Line one\n\nline three\n", /* blank lines of the wording are dropped */
        .verdict = VERDICT_FAIL,
        .expected = "2.05\n\n</3/0>;pmin=2\n", /* those of a value are kept */
        .observed = "",
        .request = NULL,
        .response = "2.05 Content",
        .elapsed_ms = 1234,
    };
    char *d = result_criterion_details(&cr, "  ");
    assert_string_equal(d, "  Line one\n"
                           "  line three\n"
                           "  expected: 2.05\n"
                           "\n"
                           "            </3/0>;pmin=2\n"
                           "  observed: (empty)\n"
                           "  response: 2.05 Content\n"
                           "  elapsed:  1.23 s\n");
    free(d);
    char *l = result_criterion_label(&cr);
    assert_string_equal(l, "criterion C (step 3)");
    free(l);
    cr.step = 0;
    cr.letter = 0;
    l = result_criterion_label(&cr);
    assert_string_equal(l, "criterion ?");
    free(l);
    cr.expected = "\nstarts on the next line";
    cr.observed = NULL;
    cr.response = NULL;
    cr.text = "\n\n";
    d = result_criterion_details(&cr, "");
    assert_string_equal(d, "(empty)\n"
                           "expected:\n"
                           "          starts on the next line\n"
                           "elapsed:  1.23 s\n");
    free(d);
    criterion_result bare = {.letter = 'A'};
    d = result_criterion_details(&bare, NULL);
    assert_string_equal(d, "elapsed:  0.00 s\n");
    free(d);
}

/* ---------------------------------------------------------- atomic write */

static void assert_no_temp(const char *path)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    if (file_exists(tmp))
        fail_msg("temporary file %s left behind", tmp);
}

static void test_atomic_write_replaces(void **state)
{
    fixture *fx = *state;
    char path[256];
    snprintf(path, sizeof path, "%s/out.txt", fx->dir);
    write_file(path, "old contents that are longer\n", 29);
    lc_error err = {0};
    assert_int_equal(result_write_file_atomic(path, "new\n", 4, &err), 0);
    size_t len;
    char *got = read_file(path, &len);
    assert_non_null(got);
    assert_int_equal(len, 4);
    assert_string_equal(got, "new\n");
    free(got);
    assert_no_temp(path);

    /* an empty report is still a file */
    assert_int_equal(result_write_file_atomic(path, "", 0, NULL), 0);
    got = read_file(path, &len);
    assert_int_equal(len, 0);
    free(got);

    assert_int_equal(result_write_file_atomic(NULL, "x", 1, &err), LC_EINVAL);
    assert_int_equal(err.code, LC_EINVAL);
    assert_int_equal(result_write_file_atomic("", "x", 1, &err), LC_EINVAL);
}

/* The directory does not exist: the temporary file cannot even be created. */
static void test_atomic_write_missing_dir(void **state)
{
    fixture *fx = *state;
    char path[256];
    snprintf(path, sizeof path, "%s/no/such/dir/r.xml", fx->dir);
    run_result *r = scenario_fail();
    lc_error err = {0};
    assert_int_equal(junit_write(path, r, &err), LC_EIO);
    assert_int_equal(err.code, LC_EIO);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, strerror(ENOENT)));
    assert_no_temp(path);
    assert_false(file_exists(path));

    memset(&err, 0, sizeof err);
    snprintf(path, sizeof path, "%s/no/r.json", fx->dir);
    assert_int_equal(json_report_write(path, r, &err), LC_EIO);
    assert_non_null(strstr(err.msg, path));
    assert_no_temp(path);
    assert_int_equal(json_report_write(path, r, NULL), LC_EIO); /* err may be NULL */

    assert_int_equal(junit_write(path, NULL, &err), LC_EINVAL);
    assert_int_equal(junit_write(NULL, r, &err), LC_EINVAL);
    assert_string_equal(err.msg, "junit_write: no file name given");
    assert_int_equal(json_report_write(path, NULL, &err), LC_EINVAL);
    assert_string_equal(err.msg, "json_report_write: no result given");
    assert_int_equal(html_report_write(NULL, r, &err), LC_EINVAL);
    assert_string_equal(err.msg, "html_report_write: no file name given");
    result_run_free(r);
}

/* The target is a directory: the temporary file is written, then rename() fails; the
 * temporary file must be removed and the directory left alone. */
static void test_atomic_write_rename_fails(void **state)
{
    fixture *fx = *state;
    char path[256], keep[300];
    snprintf(path, sizeof path, "%s/target", fx->dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(keep, sizeof keep, "%s/keep", path);
    write_file(keep, "k", 1);

    run_result *r = scenario_nasty();
    lc_error err = {0};
    assert_int_equal(junit_write(path, r, &err), LC_EIO);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "renaming"));
    assert_non_null(strstr(err.msg, strerror(EISDIR)));
    assert_no_temp(path);
    assert_true(file_exists(keep));

    memset(&err, 0, sizeof err);
    assert_int_equal(json_report_write(path, r, &err), LC_EIO);
    assert_non_null(strstr(err.msg, path));
    assert_no_temp(path);
    result_run_free(r);
}

/* A directory the user may not write to (meaningless for root, who may write anyway). */
static void test_atomic_write_readonly_dir(void **state)
{
    fixture *fx = *state;
    if (geteuid() == 0)
        skip();
    char dir[256], path[300];
    snprintf(dir, sizeof dir, "%s/ro", fx->dir);
    assert_int_equal(mkdir(dir, 0555), 0);
    snprintf(path, sizeof path, "%s/r.xml", dir);
    run_result *r = scenario_pass();
    lc_error err = {0};
    assert_int_equal(junit_write(path, r, &err), LC_EIO);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, strerror(EACCES)));
    assert_no_temp(path);
    assert_false(file_exists(path));
    result_run_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdict_names),
        cmocka_unit_test(test_model_growth_and_counts),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_utf8_decode),
        cmocka_unit_test(test_criterion_details),
        cmocka_unit_test_setup_teardown(test_golden_pass, setup_tmpdir, teardown_tmpdir),
        cmocka_unit_test_setup_teardown(test_golden_fail, setup_tmpdir, teardown_tmpdir),
        cmocka_unit_test_setup_teardown(test_golden_error, setup_tmpdir, teardown_tmpdir),
        cmocka_unit_test_setup_teardown(test_golden_inconclusive, setup_tmpdir,
                                        teardown_tmpdir),
        cmocka_unit_test_setup_teardown(test_golden_skipped, setup_tmpdir, teardown_tmpdir),
        cmocka_unit_test_setup_teardown(test_golden_interrupted, setup_tmpdir,
                                        teardown_tmpdir),
        cmocka_unit_test_setup_teardown(test_golden_nasty, setup_tmpdir, teardown_tmpdir),
        cmocka_unit_test_setup_teardown(test_golden_advisory, setup_tmpdir, teardown_tmpdir),
        cmocka_unit_test_setup_teardown(test_golden_device, setup_tmpdir, teardown_tmpdir),
        cmocka_unit_test(test_exit_code_advisory),
        cmocka_unit_test_setup_teardown(test_xsd_rejects, setup_tmpdir, teardown_tmpdir),
        cmocka_unit_test(test_text_promises),
        cmocka_unit_test(test_junit_promises),
        cmocka_unit_test(test_notes),
        cmocka_unit_test_setup_teardown(test_atomic_write_replaces, setup_tmpdir,
                                        teardown_tmpdir),
        cmocka_unit_test_setup_teardown(test_atomic_write_missing_dir, setup_tmpdir,
                                        teardown_tmpdir),
        cmocka_unit_test_setup_teardown(test_atomic_write_rename_fails, setup_tmpdir,
                                        teardown_tmpdir),
        cmocka_unit_test_setup_teardown(test_atomic_write_readonly_dir, setup_tmpdir,
                                        teardown_tmpdir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
