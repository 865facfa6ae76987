/* End-to-end test of the tool's server core (net/endpoint, lwm2m/registry, dut/dut) over
 * loopback DTLS-PSK.
 *
 * The parent process is the tool: it loads configuration C.14, opens both server
 * endpoints on ephemeral ports of 127.0.0.1 and logs at trace level into memory. The
 * device is a forked child running a small libcoap client of its own (below: dev_*),
 * which registers, answers the tool's requests and sends Update / De-register when told to
 * by an Execute-like POST on /99/0/x. The parent synchronises only through the tool's event
 * queue (net_wait, net_await_response) and the child's report pipe, always with deadlines.
 *
 * The child never touches cmocka (a failed assertion there would longjmp into the copy of
 * the test runner) and never returns: it reports over a pipe and is killed by the parent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <coap3/coap.h>

#include "common/log.h"
#include "common/mono.h"
#include "lwm2m/config.h"
#include "lwm2m/registry.h"
#include "net/endpoint.h"
#include "dut/dut.h"

#define C14 "fixtures/c14.json"
#define EP_NAME "e2e-dev"
/* Deadlines of waits for what a working endpoint does (a DTLS handshake and a Register),
 * not speed targets: tests/run-all stretches them under valgrind and ASan through
 * LC_TEST_TIME_SCALE, where one ECDHE handshake can take seconds on a loaded machine. */
static unsigned time_scale(void)
{
    static unsigned k;
    if (k == 0) {
        const char *s = getenv("LC_TEST_TIME_SCALE");
        long v = s ? strtol(s, NULL, 10) : 1;
        k = v >= 1 && v <= 100 ? (unsigned)v : 1;
    }
    return k;
}
#define WAIT_MS (5000u * time_scale())
/* A device child lives no longer than this even if the parent forgets it. */
#define DEV_LIFE_MS (20000u * time_scale())

#include "unit/endpoint_device.h"

/* ==== the tool's side ==================================================================== */

typedef struct e2e {
    config cfg;
    FILE *logf;          /* memstream: every log and trace line of the tool */
    char *logbuf;
    size_t loglen;
    logger *lg;
    char *trace;         /* what net_set_trace delivered */
    size_t trace_len, trace_cap;
    dut d;
    bool open;
    pid_t dev;
    int dev_fd;
    char devbuf[8192];
    size_t devlen;
    const config_account *a1, *a2;
    uint16_t port1, port2;
    /* events a test holds: freed at teardown even when an assertion fails first, since
     * each references a session that must be released before net_free */
    net_event *held[32];
    size_t nheld;
    int saved_stdout;    /* >= 0 while stdout is captured */
    FILE *captured;
} e2e;

static net_event *hold(e2e *t, net_event *ev)
{
    if (ev && t->nheld < sizeof t->held / sizeof t->held[0])
        t->held[t->nheld++] = ev;
    return ev;
}

static void release(e2e *t, net_event *ev)
{
    for (size_t i = 0; i < t->nheld; i++) {
        if (t->held[i] == ev) {
            t->held[i] = t->held[--t->nheld];
            break;
        }
    }
    net_event_free(ev);
}

static void on_trace(void *arg, const char *line)
{
    e2e *t = arg;
    size_t l = strlen(line);
    if (t->trace_len + l + 2 > t->trace_cap) {
        size_t cap = (t->trace_cap + l + 2) * 2;
        char *p = realloc(t->trace, cap);
        if (!p)
            return;
        t->trace = p;
        t->trace_cap = cap;
    }
    memcpy(t->trace + t->trace_len, line, l);
    t->trace_len += l;
    t->trace[t->trace_len++] = '\n';
    t->trace[t->trace_len] = '\0';
}

/* Prints the last part of the tool's log (cmocka's message buffer is too small for it). */
static void show_log_tail(e2e *t)
{
    fflush(t->logf);
    if (!t->logbuf)
        return;
    const char *p = t->loglen > 8000 ? t->logbuf + t->loglen - 8000 : t->logbuf;
    fprintf(stderr, "---- tool log (tail) ----\n%s---- end of tool log ----\n", p);
}

static int e2e_setup_common(void **state, bool open)
{
    e2e *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    *state = t;
    t->dev = -1;
    t->dev_fd = -1;
    t->saved_stdout = -1;
    lc_error err = {0};
    if (config_load_file(C14, &t->cfg, &err) < 0) {
        print_error("%s\n", err.msg);
        return -1;
    }
    t->a1 = config_server(&t->cfg, 1);
    t->a2 = config_server(&t->cfg, 2);
    if (!t->a1 || !t->a2)
        return -1;
    t->logf = open_memstream(&t->logbuf, &t->loglen);
    if (!t->logf)
        return -1;
    t->lg = logger_new(t->logf, t->logf, LOG_LVL_TRACE);
    if (!t->lg)
        return -1;
    /* libcoap's own debug output goes through the same redacting logger */
    logger_attach_coap(t->lg);
    if (!open)
        return 0;
    dut_options opt = {.bind_addr = "127.0.0.1", .port_count = 2};
    opt.ports[0] = (dut_port_override){1, 0};
    opt.ports[1] = (dut_port_override){2, 0};
    if (dut_open(&t->d, &t->cfg, t->lg, &opt, &err) < 0) {
        print_error("dut_open: %s\n", err.msg);
        return -1;
    }
    t->open = true;
    net_set_trace(t->d.net, on_trace, t);
    t->port1 = net_endpoint_port(t->d.net, net_endpoint_by_ssid(t->d.net, 1));
    t->port2 = net_endpoint_port(t->d.net, net_endpoint_by_ssid(t->d.net, 2));
    if (t->port1 == 0 || t->port2 == 0 || t->port1 == t->port2)
        return -1;
    return 0;
}

static int e2e_setup(void **state) { return e2e_setup_common(state, true); }
static int e2e_setup_closed(void **state) { return e2e_setup_common(state, false); }

static void dev_stop(e2e *t)
{
    if (t->dev > 0) {
        kill(t->dev, SIGKILL);
        int st;
        while (waitpid(t->dev, &st, 0) < 0 && errno == EINTR)
            ;
        t->dev = -1;
    }
    if (t->dev_fd >= 0) {
        close(t->dev_fd);
        t->dev_fd = -1;
    }
    t->devlen = 0;
}

/* libcoap can write to stdout by itself: a test of what reaches a terminal captures it. */
static void stdout_capture(e2e *t)
{
    fflush(stdout);
    t->captured = tmpfile();
    assert_non_null(t->captured);
    t->saved_stdout = dup(STDOUT_FILENO);
    assert_true(t->saved_stdout >= 0);
    assert_true(dup2(fileno(t->captured), STDOUT_FILENO) >= 0);
}

/* Ends the capture; returns what was written (caller frees). */
static char *stdout_release(e2e *t, size_t *len)
{
    fflush(stdout);
    dup2(t->saved_stdout, STDOUT_FILENO);
    close(t->saved_stdout);
    t->saved_stdout = -1;
    long size = fseek(t->captured, 0, SEEK_END) == 0 ? ftell(t->captured) : -1;
    char *text = size >= 0 ? malloc((size_t)size + 1) : NULL;
    *len = 0;
    if (text) {
        rewind(t->captured);
        *len = fread(text, 1, (size_t)size, t->captured);
        text[*len] = '\0';
    }
    fclose(t->captured);
    t->captured = NULL;
    return text;
}

static int e2e_teardown(void **state)
{
    e2e *t = *state;
    if (!t)
        return 0;
    if (t->saved_stdout >= 0) { /* a test failed while capturing: show what it hid */
        size_t len;
        char *text = stdout_release(t, &len);
        if (text)
            fputs(text, stdout);
        free(text);
    }
    dev_stop(t);
    if (getenv("E2E_SHOW_LOG") && t->logf) { /* debugging aid: the whole trace */
        fflush(t->logf);
        if (t->logbuf)
            fputs(t->logbuf, stderr);
    }
    while (t->nheld)
        release(t, t->held[t->nheld - 1]);
    if (t->open)
        dut_close(&t->d);
    logger_attach_coap(NULL);
    logger_free(t->lg);
    if (t->logf)
        fclose(t->logf);
    free(t->logbuf);
    free(t->trace);
    free(t);
    return 0;
}

static void dev_start(e2e *t, const dev_spec *spec)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(stdout);
    fflush(stderr);
    pid_t parent = getpid();
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        dev_main(spec, fds[1], parent);
    }
    close(fds[1]);
    fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    t->dev = pid;
    t->dev_fd = fds[0];
    t->devlen = 0;
}

/* A device with the right identities and keys, registering with both servers. */
static void dev_start_both(e2e *t)
{
    dev_spec s = {
        .count = 2,
        .port = {t->port1, t->port2},
        .identity = {t->a1->psk_identity, t->a2->psk_identity},
        .identity_len = {t->a1->psk_identity_len, t->a2->psk_identity_len},
        .key = {t->a1->psk_key, t->a2->psk_key},
        .key_len = {t->a1->psk_key_len, t->a2->psk_key_len},
    };
    dev_start(t, &s);
}

static void dev_start_one(e2e *t, uint16_t port, const uint8_t *id, size_t id_len,
                          const uint8_t *key, size_t key_len, bool bad_register)
{
    dev_spec s = {.count = 1, .port = {port}, .identity = {id}, .identity_len = {id_len},
                  .key = {key}, .key_len = {key_len}, .bad_register = bad_register};
    dev_start(t, &s);
}

/* Waits for a report line of the device that starts with prefix, running the tool's I/O
 * loop meanwhile. Copies the line (without newline) to out. */
static void dev_expect(e2e *t, const char *prefix, char *out, size_t cap)
{
    uint64_t deadline = mono_ms() + WAIT_MS;
    size_t pl = strlen(prefix);
    for (;;) {
        char *line = t->devbuf;
        while (line < t->devbuf + t->devlen) {
            char *nl = memchr(line, '\n', (size_t)(t->devbuf + t->devlen - line));
            if (!nl)
                break;
            if ((size_t)(nl - line) >= pl && memcmp(line, prefix, pl) == 0) {
                snprintf(out, cap, "%.*s", (int)(nl - line), line);
                size_t rest = (size_t)(t->devbuf + t->devlen - (nl + 1));
                memmove(line, nl + 1, rest);
                t->devlen = (size_t)(line - t->devbuf) + rest;
                return;
            }
            line = nl + 1;
        }
        if (mono_ms() >= deadline) {
            t->devbuf[t->devlen < sizeof t->devbuf ? t->devlen : sizeof t->devbuf - 1] = '\0';
            show_log_tail(t);
            fail_msg("the device did not report \"%s\" within %u ms; it reported:\n%s", prefix,
                     WAIT_MS, t->devbuf);
        }
        struct pollfd pfd = {.fd = t->dev_fd, .events = POLLIN};
        if (poll(&pfd, 1, 10) > 0 && t->devlen < sizeof t->devbuf - 1) {
            ssize_t r = read(t->dev_fd, t->devbuf + t->devlen, sizeof t->devbuf - 1 - t->devlen);
            if (r > 0)
                t->devlen += (size_t)r;
        }
        net_poll(t->d.net, mono_ms() + 10);
    }
}

struct ev_match {
    net_event_kind kind;
    int ssid; /* -1: any */
};

static bool match_kind(const net_event *ev, void *arg)
{
    const struct ev_match *m = arg;
    return ev->kind == m->kind && (m->ssid < 0 || ev->short_server_id == m->ssid);
}

/* The next event of this kind on server ssid; fails the test after WAIT_MS. */
static net_event *expect_event(e2e *t, net_event_kind kind, int ssid)
{
    struct ev_match m = {kind, ssid};
    net_event *ev = NULL;
    int rc = net_wait(t->d.net, match_kind, &m, mono_ms() + WAIT_MS, &ev);
    if (rc != 0) {
        show_log_tail(t);
        fail_msg("no %s event from server %d within %u ms (%s)", net_event_kind_name(kind), ssid,
                 WAIT_MS, lc_strerror(rc));
    }
    assert_non_null(ev);
    return hold(t, ev);
}

static bool identity_is(const char *shown, const config_account *a)
{
    return strlen(shown) == a->psk_identity_len &&
           memcmp(shown, a->psk_identity, a->psk_identity_len) == 0;
}

/* Waits for both Registers and checks what the events carry. */
static void expect_registered(e2e *t)
{
    for (int ssid = 1; ssid <= 2; ssid++) {
        net_event *ev = expect_event(t, NET_EV_REGISTER, ssid);
        const config_account *a = ssid == 1 ? t->a1 : t->a2;
        assert_int_equal(ev->short_server_id, ssid);
        assert_int_equal(ev->endpoint, net_endpoint_by_ssid(t->d.net, ssid));
        assert_string_equal(ev->endpoint_name, EP_NAME);
        if (!identity_is(ev->psk_identity, a))
            fail_msg("server %d: PSK identity \"%s\", expected \"%.*s\"", ssid, ev->psk_identity,
                     (int)a->psk_identity_len, (const char *)a->psk_identity);
        assert_true(strlen(ev->cipher_suite) > 0);
        assert_true(strstr(ev->cipher_suite, "PSK") != NULL);
        assert_true(ev->registration_id[0] != '\0');
        assert_non_null(ev->session);
        assert_int_equal(ev->msg.code, COAP_REQUEST_CODE_POST);
        assert_string_equal(ev->msg.path, "/rd");
        assert_int_equal(ev->msg.content_format, 40);
        assert_int_equal(ev->msg.payload_len, strlen("</1/0>,</3/0>"));
        assert_memory_equal(ev->msg.payload, "</1/0>,</3/0>", ev->msg.payload_len);
        release(t, ev);
    }
    /* the device saw 2.01 with Location-Path rd/<id>, for both servers */
    char line[256];
    for (int i = 0; i < 2; i++) {
        dev_expect(t, "REGISTERED ", line, sizeof line);
        int server = 0;
        char code[8], id[64];
        assert_int_equal(sscanf(line, "REGISTERED %d %7s %63s", &server, code, id), 3);
        assert_string_equal(code, "2.01");
        const registration *reg = registry_active(t->d.reg, server);
        assert_non_null(reg);
        assert_string_equal(id, reg->id);
    }
}

/* Sends a request to the device's registration on server ssid and waits for the answer;
 * the caller frees the RESPONSE event. */
static net_event *request(e2e *t, int ssid, int method, const char *path, int content_format,
                          const void *payload, size_t len)
{
    const registration *reg = registry_active(t->d.reg, ssid);
    assert_non_null(reg);
    net_request_spec spec = {.method = method, .path = path, .accept = -1,
                             .content_format = content_format, .observe = -1,
                             .payload = payload, .payload_len = len};
    uint64_t id = 0;
    lc_error err = {0};
    if (net_send(t->d.net, reg->session, reg->endpoint, &spec, &id, &err) < 0)
        fail_msg("net_send: %s", err.msg);
    net_event *ev = NULL;
    int rc = net_await_response(t->d.net, id, mono_ms() + WAIT_MS, &ev);
    hold(t, ev);
    if (rc != 0) {
        show_log_tail(t);
        fail_msg("no response to %s on server %d (%s)", path, ssid, lc_strerror(rc));
    }
    assert_int_equal(ev->kind, NET_EV_RESPONSE);
    assert_int_equal(ev->exchange_id, id);
    assert_int_equal(ev->short_server_id, ssid);
    return ev;
}

static bool contains(const char *hay, size_t hay_len, const void *needle, size_t len)
{
    if (!len || !hay)
        return false;
    for (size_t i = 0; i + len <= hay_len; i++)
        if (memcmp(hay + i, needle, len) == 0)
            return true;
    return false;
}

static void to_hex(const uint8_t *p, size_t n, bool upper, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, upper ? "%02X" : "%02x", p[i]);
}

/* Neither the log nor the trace may hold a PSK key: raw, hex either case, or Base64 (the
 * form C.14 itself uses). */
static void assert_no_key_material(e2e *t)
{
    fflush(t->logf);
    assert_true(t->loglen > 0);
    for (size_t i = 0; i < t->cfg.account_count; i++) {
        const config_account *a = &t->cfg.accounts[i];
        char lower[2 * CONFIG_PSK_MAX + 1], upper[2 * CONFIG_PSK_MAX + 1];
        to_hex(a->psk_key, a->psk_key_len, false, lower);
        to_hex(a->psk_key, a->psk_key_len, true, upper);
        char path[32];
        snprintf(path, sizeof path, "/0/%d/5", a->security_instance);
        const config_value *b64 = config_find(&t->cfg, path);
        assert_non_null(b64);
        const char *texts[] = {t->logbuf, t->trace};
        size_t lens[] = {t->loglen, t->trace_len};
        for (int k = 0; k < 2; k++) {
            assert_false(contains(texts[k], lens[k], a->psk_key, a->psk_key_len));
            assert_false(contains(texts[k], lens[k], lower, strlen(lower)));
            assert_false(contains(texts[k], lens[k], upper, strlen(upper)));
            assert_false(contains(texts[k], lens[k], b64->string, strlen(b64->string)));
        }
    }
}

/* ==== tests ============================================================================== */

/* int-950's core: one device, two servers, each with its own identity. */
static void test_register_on_both_servers(void **state)
{
    e2e *t = *state;
    dev_start_both(t);
    expect_registered(t);
    const registration *r1 = registry_active(t->d.reg, 1), *r2 = registry_active(t->d.reg, 2);
    assert_non_null(r1);
    assert_non_null(r2);
    assert_string_not_equal(r1->id, r2->id);
    assert_int_equal(r1->short_server_id, 1);
    assert_int_equal(r2->short_server_id, 2);
    assert_ptr_not_equal(r1->session, r2->session);
    assert_string_equal(r1->query.endpoint_name, EP_NAME);
    assert_true(r1->query.has_lifetime);
    assert_int_equal(r1->query.lifetime, 300);
    assert_true(identity_is(r1->psk_identity, t->a1));
    assert_true(identity_is(r2->psk_identity, t->a2));
    assert_true(r1->cipher_suite[0] != '\0');
    assert_string_equal(r1->links, "</1/0>,</3/0>");
    assert_null(registry_active(t->d.reg, 3));
    assert_int_equal(registry_count(t->d.reg), 2);
    assert_no_key_material(t);
    /* a restarted device's registrations went with it: none is active, both are kept */
    assert_int_equal(registry_retire_all(t->d.reg), 2);
    assert_null(registry_active(t->d.reg, 1));
    assert_null(registry_active(t->d.reg, 2));
    assert_int_equal(registry_count(t->d.reg), 2);
    assert_int_equal(registry_retire_all(t->d.reg), 0);
}

static void test_server_initiated_requests(void **state)
{
    e2e *t = *state;
    dev_start_both(t);
    expect_registered(t);
    for (int ssid = 1; ssid <= 2; ssid++) {
        net_event *ev = request(t, ssid, COAP_REQUEST_CODE_GET, "/3/0/0", -1, NULL, 0);
        assert_int_equal(ev->msg.code, COAP_RESPONSE_CODE(205));
        assert_int_equal(ev->msg.content_format, 0);
        assert_int_equal(ev->msg.payload_len, 4);
        assert_memory_equal(ev->msg.payload, "ACME", 4);
        assert_true(ev->elapsed_ms < WAIT_MS);
        release(t, ev);
    }
    char line[256];
    dev_expect(t, "REQUEST 1 0.01 3/0/0", line, sizeof line);
    dev_expect(t, "REQUEST 2 0.01 3/0/0", line, sizeof line);

    net_event *ev = request(t, 1, COAP_REQUEST_CODE_PUT, "/3/0/14", 0, "+02:00", 6);
    assert_int_equal(ev->msg.code, COAP_RESPONSE_CODE(204));
    release(t, ev);
    /* the value reached the device: it reads back */
    ev = request(t, 1, COAP_REQUEST_CODE_GET, "/3/0/14", -1, NULL, 0);
    assert_int_equal(ev->msg.code, COAP_RESPONSE_CODE(205));
    assert_int_equal(ev->msg.payload_len, 6);
    assert_memory_equal(ev->msg.payload, "+02:00", 6);
    release(t, ev);
    /* an unknown path is the device's 4.04, delivered as a response, not an error */
    ev = request(t, 2, COAP_REQUEST_CODE_GET, "/3/0/99", -1, NULL, 0);
    assert_int_equal(ev->msg.code, COAP_RESPONSE_CODE(404));
    release(t, ev);
    assert_true(strstr(t->trace, "GET /3/0/0") != NULL);
    assert_true(strstr(t->trace, "2.05 Content ct=0 4 bytes: ACME") != NULL);
    assert_no_key_material(t);
}

static void test_update_and_deregister(void **state)
{
    e2e *t = *state;
    dev_start_both(t);
    expect_registered(t);
    char id1[24], id2[24];
    snprintf(id1, sizeof id1, "%s", registry_active(t->d.reg, 1)->id);
    snprintf(id2, sizeof id2, "%s", registry_active(t->d.reg, 2)->id);
    uint64_t registered_at = registry_active(t->d.reg, 1)->updated_at;

    net_event *ev = request(t, 1, COAP_REQUEST_CODE_POST, "/99/0/0", -1, NULL, 0);
    assert_int_equal(ev->msg.code, COAP_RESPONSE_CODE(204));
    release(t, ev);
    ev = expect_event(t, NET_EV_UPDATE, 1);
    assert_string_equal(ev->registration_id, id1);
    assert_string_equal(ev->endpoint_name, EP_NAME);
    char path[64];
    snprintf(path, sizeof path, "/rd/%s", id1);
    assert_string_equal(ev->msg.path, path);
    release(t, ev);
    char line[256];
    dev_expect(t, "UPDATED 1 ", line, sizeof line);
    assert_string_equal(line, "UPDATED 1 2.04");
    const registration *r1 = registry_active(t->d.reg, 1);
    assert_non_null(r1);
    assert_string_equal(r1->id, id1);
    assert_true(r1->updated_at >= registered_at);
    /* no Update reached server 2 */
    struct ev_match m2 = {NET_EV_UPDATE, 2};
    assert_null(hold(t, net_take(t->d.net, match_kind, &m2)));

    ev = request(t, 1, COAP_REQUEST_CODE_POST, "/99/0/1", -1, NULL, 0);
    assert_int_equal(ev->msg.code, COAP_RESPONSE_CODE(204));
    release(t, ev);
    ev = expect_event(t, NET_EV_DEREGISTER, 1);
    assert_string_equal(ev->registration_id, id1);
    assert_int_equal(ev->msg.code, COAP_REQUEST_CODE_DELETE);
    release(t, ev);
    dev_expect(t, "DEREGISTERED 1 ", line, sizeof line);
    assert_string_equal(line, "DEREGISTERED 1 2.02");
    assert_null(registry_active(t->d.reg, 1));
    const registration *gone = registry_find(t->d.reg, id1);
    assert_non_null(gone);
    assert_false(gone->active);
    /* server 2's registration is untouched */
    assert_non_null(registry_active(t->d.reg, 2));
    assert_string_equal(registry_active(t->d.reg, 2)->id, id2);
    assert_no_key_material(t);
}

/* An Update that arrives while the tool waits for another response stays queued for the
 * step that expects it. */
static void test_update_while_awaiting_response(void **state)
{
    e2e *t = *state;
    dev_start_both(t);
    expect_registered(t);
    const char *id2 = registry_active(t->d.reg, 2)->id;
    char want[24];
    snprintf(want, sizeof want, "%s", id2);

    net_event *resp = request(t, 2, COAP_REQUEST_CODE_POST, "/99/0/2", -1, NULL, 0);
    assert_int_equal(resp->msg.code, COAP_RESPONSE_CODE(204));
    struct ev_match m = {NET_EV_UPDATE, 2};
    net_event *upd = hold(t, net_take(t->d.net, match_kind, &m));
    if (!upd) {
        show_log_tail(t);
        fail_msg("the Update sent before the response was lost");
    }
    assert_string_equal(upd->registration_id, want);
    assert_true(upd->at_ms <= resp->at_ms);
    release(t, upd);
    release(t, resp);
    char line[256];
    dev_expect(t, "UPDATED 2 ", line, sizeof line);
    assert_string_equal(line, "UPDATED 2 2.04");
    dev_expect(t, "SEPARATE-RESPONSE 2", line, sizeof line);
    assert_no_key_material(t);
}

/* Runs the tool's loop until its trace holds needle; false after the deadline. */
static bool wait_trace(e2e *t, const char *needle, uint64_t deadline)
{
    while (!(t->trace && strstr(t->trace, needle))) {
        if (mono_ms() >= deadline)
            return false;
        net_poll(t->d.net, mono_ms() + 50 < deadline ? mono_ms() + 50 : deadline);
    }
    return true;
}

/* A device that stopped answering: the request ends in a NACK once the retransmissions
 * the tool was told to make are spent. (libcoap cannot go below a 1 s ACK timeout, so the
 * 200 ms asked for become 1 s: a NACK after 3 to 4.5 s; with libcoap's defaults, which it
 * would silently keep for 200 ms, it would take 6 to 9 s.) A request whose wait was given
 * up before leaves no NACK behind for a later wait to stumble on. */
static void test_silent_device(void **state)
{
    e2e *t = *state;
    dev_start_both(t);
    expect_registered(t);
    dev_stop(t);
    const registration *reg = registry_active(t->d.reg, 1);
    const registration *reg2 = registry_active(t->d.reg, 2);
    assert_non_null(reg);
    assert_non_null(reg2);
    net_set_retransmission(t->d.net, 200, 1);
    net_request_spec spec = {.method = COAP_REQUEST_CODE_GET, .path = "/3/0/0", .accept = -1,
                             .content_format = -1, .observe = -1};
    lc_error err = {0};
    net_event *ev = NULL;

    /* on server 2's session (its own NSTART): abandoned after 300 ms */
    uint64_t gone = 0, t_gone = mono_ms();
    assert_int_equal(net_send(t->d.net, reg2->session, reg2->endpoint, &spec, &gone, &err), 0);
    assert_int_equal(net_await_response(t->d.net, gone, mono_ms() + 300, &ev), LC_ETIMEDOUT);
    assert_null(ev);

    uint64_t id = 0, t0 = mono_ms();
    assert_int_equal(net_send(t->d.net, reg->session, reg->endpoint, &spec, &id, &err), 0);
    int rc = net_await_response(t->d.net, id, t0 + 8000, &ev);
    hold(t, ev);
    uint64_t took = mono_ms() - t0;
    if (rc != LC_ENACK || took >= 5000) {
        show_log_tail(t);
        fail_msg("expected a NACK within 5 s, got %s after %llu ms", lc_strerror(rc),
                 (unsigned long long)took);
    }
    assert_true(took >= 900);
    assert_non_null(ev);
    assert_int_equal(ev->kind, NET_EV_NACK);
    assert_int_equal(ev->exchange_id, id);
    assert_int_equal(ev->short_server_id, 1);
    assert_true(strstr(ev->detail, "no ACK") != NULL);
    assert_true(ev->elapsed_ms <= took);
    release(t, ev);
    /* the raised setting was reported */
    fflush(t->logf);
    assert_non_null(strstr(t->logbuf, "ACK timeout 200 ms raised to 1000 ms"));

    /* the abandoned request's retransmissions end too, silently */
    if (!wait_trace(t, "server 2: late no-answer for an abandoned request", t_gone + 5000)) {
        show_log_tail(t);
        fail_msg("the abandoned request on server 2 never ended");
    }
    struct ev_match m = {NET_EV_NACK, -1};
    assert_null(hold(t, net_take(t->d.net, match_kind, &m)));
    assert_no_key_material(t);
}

static void test_malformed_register(void **state)
{
    e2e *t = *state;
    dev_start_one(t, t->port1, t->a1->psk_identity, t->a1->psk_identity_len, t->a1->psk_key,
                  t->a1->psk_key_len, true);
    net_event *ev = expect_event(t, NET_EV_PROTOCOL_ERROR, 1);
    assert_true(strstr(ev->detail, "Register") != NULL);
    assert_true(strstr(ev->detail, "ep") != NULL);
    assert_string_equal(ev->msg.path, "/rd");
    assert_int_equal(ev->msg.query_count, 3);
    assert_true(identity_is(ev->psk_identity, t->a1));
    release(t, ev);
    char line[600];
    dev_expect(t, "BAD-REGISTER 1 ", line, sizeof line);
    if (strncmp(line, "BAD-REGISTER 1 4.00 ", 20) != 0)
        fail_msg("expected 4.00 with a diagnostic, the device saw: %s", line);
    assert_true(strstr(line + 20, "ep") != NULL);
    assert_true(strlen(line) > 30);
    assert_null(registry_active(t->d.reg, 1));
    assert_int_equal(registry_count(t->d.reg), 0);
    struct ev_match m = {NET_EV_REGISTER, -1};
    assert_null(hold(t, net_take(t->d.net, match_kind, &m)));
    assert_no_key_material(t);
}

static void test_unknown_identity_refused(void **state)
{
    e2e *t = *state;
    static const char unknown[] = "e2e-unknown-identity";
    dev_start_one(t, t->port1, (const uint8_t *)unknown, strlen(unknown), t->a1->psk_key,
                  t->a1->psk_key_len, false);
    net_event *ev = expect_event(t, NET_EV_HANDSHAKE_REFUSED, 1);
    assert_string_equal(ev->psk_identity, unknown);
    assert_true(strstr(ev->detail, unknown) != NULL);
    assert_true(strstr(ev->detail, "server 1") != NULL);
    assert_null(strstr(ev->detail, "identity of"));
    assert_true(strncmp(ev->peer, "127.0.0.1:", 10) == 0);
    release(t, ev);
    assert_null(registry_active(t->d.reg, 1));
    assert_no_key_material(t);
}

/* Each server accepts only its own account's identity, and says whose identity it got. */
static void test_identity_of_other_server_refused(void **state)
{
    e2e *t = *state;
    dev_start_one(t, t->port2, t->a1->psk_identity, t->a1->psk_identity_len, t->a1->psk_key,
                  t->a1->psk_key_len, false);
    net_event *ev = expect_event(t, NET_EV_HANDSHAKE_REFUSED, 2);
    assert_true(identity_is(ev->psk_identity, t->a1));
    if (!strstr(ev->detail, "identity of server 1"))
        fail_msg("detail does not name server 1: %s", ev->detail);
    release(t, ev);
    dev_stop(t);

    dev_start_one(t, t->port1, t->a2->psk_identity, t->a2->psk_identity_len, t->a2->psk_key,
                  t->a2->psk_key_len, false);
    ev = expect_event(t, NET_EV_HANDSHAKE_REFUSED, 1);
    assert_true(identity_is(ev->psk_identity, t->a2));
    if (!strstr(ev->detail, "identity of server 2"))
        fail_msg("detail does not name server 2: %s", ev->detail);
    release(t, ev);
    dev_stop(t);

    assert_null(registry_active(t->d.reg, 1));
    assert_null(registry_active(t->d.reg, 2));
    struct ev_match m = {NET_EV_HANDSHAKE_FAILED, -1};
    assert_null(hold(t, net_take(t->d.net, match_kind, &m)));
    assert_no_key_material(t);
}

static void test_wrong_key_fails_handshake(void **state)
{
    e2e *t = *state;
    uint8_t key[CONFIG_PSK_MAX];
    memcpy(key, t->a1->psk_key, t->a1->psk_key_len);
    key[0] ^= 0x5a;
    dev_start_one(t, t->port1, t->a1->psk_identity, t->a1->psk_identity_len, key,
                  t->a1->psk_key_len, false);
    net_event *ev = expect_event(t, NET_EV_HANDSHAKE_FAILED, 1);
    assert_true(identity_is(ev->psk_identity, t->a1));
    assert_true(strstr(ev->detail, "key") != NULL);
    assert_true(strncmp(ev->peer, "127.0.0.1:", 10) == 0);
    release(t, ev);
    /* Mbed TLS reports the bad Finished MAC (DTLS error), then libcoap closes the session
     * (DTLS closed): one failure, told once; the identity itself was not refused */
    struct ev_match m = {NET_EV_HANDSHAKE_FAILED, -1};
    assert_null(hold(t, net_take(t->d.net, match_kind, &m)));
    m.kind = NET_EV_HANDSHAKE_REFUSED;
    assert_null(hold(t, net_take(t->d.net, match_kind, &m)));
    assert_null(registry_active(t->d.reg, 1));
    /* the device's wrong key is no secret of the tool's, but the tool's key must not leak */
    assert_no_key_material(t);
}

/* The tool's trace shows payloads; key material in one is still redacted, in the log, in
 * the trace and on stdout (where libcoap prints PDUs by itself unless told otherwise). */
static void test_keys_redacted_from_trace(void **state)
{
    e2e *t = *state;
    stdout_capture(t);
    dev_start_both(t);
    expect_registered(t);
    const config_account *a = t->a1;
    char hex[2 * CONFIG_PSK_MAX + 1];
    to_hex(a->psk_key, a->psk_key_len, false, hex);
    const config_value *b64 = config_find(&t->cfg, "/0/0/5");
    assert_non_null(b64);
    struct {
        const void *p;
        size_t len;
        int cf;
    } forms[] = {
        {a->psk_key, a->psk_key_len, 42},   /* binary: traced as hex */
        {hex, strlen(hex), 0},              /* text */
        {b64->string, strlen(b64->string), 0},
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        net_event *ev = request(t, 1, COAP_REQUEST_CODE_PUT, "/3/0/14", forms[i].cf, forms[i].p,
                                forms[i].len);
        assert_int_equal(ev->msg.code, COAP_RESPONSE_CODE(204));
        release(t, ev);
        /* the device got the real bytes and sends them back: only the text is redacted */
        ev = request(t, 1, COAP_REQUEST_CODE_GET, "/3/0/14", -1, NULL, 0);
        assert_int_equal(ev->msg.payload_len, forms[i].len);
        assert_memory_equal(ev->msg.payload, forms[i].p, forms[i].len);
        release(t, ev);
    }
    size_t out_len = 0;
    char *out = stdout_release(t, &out_len);
    assert_non_null(out);
    for (size_t i = 0; i < t->cfg.account_count; i++) {
        const config_account *acc = &t->cfg.accounts[i];
        char lower[2 * CONFIG_PSK_MAX + 1];
        to_hex(acc->psk_key, acc->psk_key_len, false, lower);
        bool leaked = contains(out, out_len, lower, strlen(lower)) ||
                      contains(out, out_len, acc->psk_key, acc->psk_key_len);
        if (leaked) {
            free(out);
            fail_msg("the key of /0/%d reached stdout unredacted", acc->security_instance);
        }
    }
    free(out);
    /* libcoap's own PDU dumps now pass through the logger, redacted */
    fflush(t->logf);
    assert_non_null(strstr(t->logbuf, "libcoap: v:1 t:CON c:PUT"));
    assert_true(strstr(t->trace, "PUT /3/0/14") != NULL);
    assert_true(strstr(t->trace, "[redacted]") != NULL);
    assert_no_key_material(t);
}

static void test_port_in_use(void **state)
{
    e2e *t = *state;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    socklen_t sl = sizeof sa;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
    unsigned port = ntohs(sa.sin_port);

    dut d;
    dut_options opt = {.bind_addr = "127.0.0.1", .port_count = 2};
    opt.ports[0] = (dut_port_override){1, 0};
    opt.ports[1] = (dut_port_override){2, (int)port};
    lc_error err = {0};
    int rc = dut_open(&d, &t->cfg, t->lg, &opt, &err);
    close(fd);
    assert_int_equal(rc, LC_EBUSY);
    assert_int_equal(err.code, LC_EBUSY);
    char want[32];
    snprintf(want, sizeof want, "port %u", port);
    if (!strstr(err.msg, want) || !strstr(err.msg, "server 2") || !strstr(err.msg, "in use"))
        fail_msg("message does not name the port and the server: %s", err.msg);
    assert_null(d.net);
    assert_null(d.reg);
}

static void test_bad_bind_address(void **state)
{
    e2e *t = *state;
    dut d;
    dut_options opt = {.bind_addr = "127.0.0.300", .port_count = 2};
    opt.ports[0] = (dut_port_override){1, 0};
    opt.ports[1] = (dut_port_override){2, 0};
    lc_error err = {0};
    assert_int_equal(dut_open(&d, &t->cfg, t->lg, &opt, &err), LC_EINVAL);
    assert_int_equal(err.code, LC_EINVAL);
    assert_true(strstr(err.msg, "127.0.0.300") != NULL);
    assert_null(d.net);

    opt.bind_addr = "localhost"; /* a name, not a numeric address */
    memset(&err, 0, sizeof err);
    assert_int_equal(dut_open(&d, &t->cfg, t->lg, &opt, &err), LC_EINVAL);
    assert_true(strstr(err.msg, "localhost") != NULL);
}

/* A device that restarts from the same address and port (kill -9: no close_notify) and
 * handshakes again: each server's old association is replaced (RFC 6347 §4.2.8, the
 * libcoap-dtls-reconnect patch) and says so; a request for the old registration fails at
 * once instead of waiting for an answer that cannot come; the next Register is served. */
static void test_restart_from_same_port(void **state)
{
    e2e *t = *state;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof sa;
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
    close(fd);
    dev_spec s = {
        .count = 2,
        .port = {t->port1, t->port2},
        .identity = {t->a1->psk_identity, t->a2->psk_identity},
        .identity_len = {t->a1->psk_identity_len, t->a2->psk_identity_len},
        .key = {t->a1->psk_key, t->a2->psk_key},
        .key_len = {t->a1->psk_key_len, t->a2->psk_key_len},
        .local_port = ntohs(sa.sin_port),
    };
    dev_start(t, &s);
    expect_registered(t);
    const registration *old = registry_active(t->d.reg, 1);
    assert_non_null(old);
    coap_session_t *old_session = old->session;

    dev_stop(t); /* a power cut */
    s.handshake_only = true;
    dev_start(t, &s);
    char peer[32];
    snprintf(peer, sizeof peer, "127.0.0.1:%u", ntohs(sa.sin_port));
    for (int ssid = 1; ssid <= 2; ssid++) {
        net_event *ev = expect_event(t, NET_EV_SESSION_CLOSED, ssid);
        assert_string_equal(ev->peer, peer);
        assert_non_null(strstr(ev->detail, "replaces its earlier association"));
        assert_null(ev->session); /* the event holds no reference to the old session */
        release(t, ev);
    }
    /* the registration still holds the replaced session: nothing can be sent on it */
    old = registry_active(t->d.reg, 1);
    assert_non_null(old);
    assert_ptr_equal(old->session, old_session);
    assert_true(coap_session_is_replaced(old_session));
    net_request_spec spec = {.method = COAP_REQUEST_CODE_GET, .path = "/3/0/0", .accept = -1,
                             .content_format = -1, .observe = -1};
    uint64_t id = 0;
    lc_error err = {0};
    uint64_t t0 = mono_ms();
    assert_int_equal(net_send(t->d.net, old->session, old->endpoint, &spec, &id, &err),
                     LC_ENOTFOUND);
    assert_true(mono_ms() - t0 < 1000);
    assert_non_null(strstr(err.msg, "the device restarted"));
    assert_non_null(strstr(err.msg, peer));

    /* and it registers again on the new associations */
    dev_stop(t);
    s.handshake_only = false;
    dev_start(t, &s);
    expect_registered(t);
    assert_ptr_not_equal(registry_active(t->d.reg, 1)->session, old_session);
    assert_false(coap_session_is_replaced(registry_active(t->d.reg, 1)->session));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_register_on_both_servers, e2e_setup, e2e_teardown),
        cmocka_unit_test_setup_teardown(test_restart_from_same_port, e2e_setup, e2e_teardown),
        cmocka_unit_test_setup_teardown(test_server_initiated_requests, e2e_setup, e2e_teardown),
        cmocka_unit_test_setup_teardown(test_update_and_deregister, e2e_setup, e2e_teardown),
        cmocka_unit_test_setup_teardown(test_update_while_awaiting_response, e2e_setup, e2e_teardown),
        cmocka_unit_test_setup_teardown(test_silent_device, e2e_setup, e2e_teardown),
        cmocka_unit_test_setup_teardown(test_malformed_register, e2e_setup, e2e_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_identity_refused, e2e_setup, e2e_teardown),
        cmocka_unit_test_setup_teardown(test_identity_of_other_server_refused, e2e_setup, e2e_teardown),
        cmocka_unit_test_setup_teardown(test_wrong_key_fails_handshake, e2e_setup, e2e_teardown),
        cmocka_unit_test_setup_teardown(test_keys_redacted_from_trace, e2e_setup, e2e_teardown),
        cmocka_unit_test_setup_teardown(test_port_in_use, e2e_setup_closed, e2e_teardown),
        cmocka_unit_test_setup_teardown(test_bad_bind_address, e2e_setup_closed, e2e_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
