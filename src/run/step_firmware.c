#include "run/step_firmware.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bs/bootstrap.h"
#include "common/mono.h"
#include "dut/exchange.h"
#include "fw/delivery.h"
#include "fw/push.h"
#include "run/match_firmware.h"

static const char *const protocol_names[] = {"CoAP", "CoAPS", "HTTP 1.1", "HTTPS 1.1",
                                             "CoAP over TCP", "CoAP over TLS"};

/* The device's active registration with the step's server, waiting for it (a device that
 * reboots after an update registers again) until deadline. NULL with o filled when none. */
static const registration *registered(step_context *sc, step_outcome *o, uint64_t deadline)
{
    const registration *reg = registry_active(sc->d->reg, o->step->server);
    while (!reg && mono_ms() < deadline && steps_poll(sc, deadline) == 0)
        reg = registry_active(sc->d->reg, o->step->server);
    if (reg)
        return reg;
    if (net_interrupted(sc->d->net)) {
        o->status = OUTCOME_NOT_RUN;
        snprintf(o->detail, sizeof o->detail, "interrupted");
    } else if (net_abort_reason(sc->d->net)) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "%s", net_abort_reason(sc->d->net));
    } else {
        o->status = OUTCOME_DEVICE_ERROR;
        snprintf(o->detail, sizeof o->detail, "the device has no active registration with "
                 "server %d, so the request cannot be sent", o->step->server);
    }
    return NULL;
}

static void request(step_context *sc, step_outcome *o, const net_request_spec *spec,
                    uint64_t deadline)
{
    const registration *reg = registered(sc, o, deadline);
    if (reg)
        exchange_run(sc->d->net, reg->session, reg->endpoint, spec, deadline, o);
}

static bool int_at(const lwm2m_records *recs, int res, int64_t *v)
{
    for (size_t i = 0; i < recs->count; i++) {
        const lwm2m_record *r = &recs->items[i];
        if (r->path.ids[0] == 5 && r->path.depth >= 3 && r->path.ids[2] == res &&
            (r->type == LV_INTEGER || r->type == LV_UNSIGNED)) {
            *v = r->i;
            return true;
        }
    }
    return false;
}

/* Reads /5/0 once per case for /5/0/8 and /5/0/9. On failure o says why and false. */
static bool learn_methods(step_context *sc, step_outcome *o)
{
    if (sc->fw_state.known)
        return true;
    uint64_t deadline = steps_deadline(sc, o->step);
    net_request_spec spec = {.method = COAP_REQUEST_CODE_GET, .path = "/5/0", .accept = -1,
                             .content_format = -1, .observe = -1};
    request(sc, o, &spec, deadline);
    if (o->status != OUTCOME_OK)
        return false;
    if ((o->response.code >> 5) != 2) {
        char c[8];
        net_code_format(o->response.code, c, sizeof c);
        o->status = OUTCOME_DEVICE_ERROR;
        snprintf(o->detail, sizeof o->detail, "the Read of /5/0 (for its Delivery Method /5/0/9 "
                 "and Protocol Support /5/0/8) was answered %s", c);
        return false;
    }
    lwm2m_records recs;
    records_init(&recs);
    if (match_firmware_decode(o, &recs) < 0) {
        records_free(&recs);
        o->status = OUTCOME_DEVICE_ERROR;
        snprintf(o->detail, sizeof o->detail, "the Read of /5/0 could not be decoded");
        return false;
    }
    int64_t m;
    /* /5/0/9 is mandatory in LwM2M 1.0: 0 pull only, 1 push only, 2 both */
    if (int_at(&recs, 9, &m)) {
        sc->fw_state.pull = m == 0 || m == 2;
        sc->fw_state.push = m == 1 || m == 2;
        sc->fw_state.declared = (int)m;
    } else {
        sc->fw_state.pull = sc->fw_state.push = true;
        sc->fw_state.declared = -1;
    }
    /* --firmware-method: a device declaring both is tested on one way only */
    const fw_options *fo = sc->fw ? fw_delivery_options(sc->fw) : NULL;
    if (fo && fo->method) {
        bool push_only = strcmp(fo->method, "push") == 0;
        sc->fw_state.push = sc->fw_state.push && push_only;
        sc->fw_state.pull = sc->fw_state.pull && !push_only;
    }
    sc->fw_state.protocols = 0;
    for (size_t i = 0; i < recs.count; i++) {
        const lwm2m_record *r = &recs.items[i];
        if (r->path.depth >= 3 && r->path.ids[2] == 8 &&
            (r->type == LV_INTEGER || r->type == LV_UNSIGNED) && r->i >= 0 && r->i < 32)
            sc->fw_state.protocols |= 1u << r->i;
    }
    records_free(&recs);
    sc->fw_state.known = true;
    step_outcome_clear(o);
    o->detail[0] = '\0';
    return true;
}

static void not_applicable(step_outcome *o, const char *fmt, const char *a)
{
    o->status = OUTCOME_NOT_APPLICABLE;
    snprintf(o->detail, sizeof o->detail, fmt, a);
}

static const char *methods_text(const step_context *sc)
{
    const fw_options *fo = sc->fw ? fw_delivery_options(sc->fw) : NULL;
    if (fo && fo->method) {
        bool push = strcmp(fo->method, "push") == 0;
        switch (sc->fw_state.declared) {
        case 0: return push ? "pull only (/5/0/9 = 0), and --firmware-method push"
                            : "pull only (/5/0/9 = 0)";
        case 1: return push ? "push only (/5/0/9 = 1)"
                            : "push only (/5/0/9 = 1), and --firmware-method pull";
        default: return push ? "push and pull, used for push only (--firmware-method push)"
                             : "push and pull, used for pull only (--firmware-method pull)";
        }
    }
    return sc->fw_state.push && sc->fw_state.pull ? "push and pull (/5/0/9 = 2)"
           : sc->fw_state.push                    ? "push only (/5/0/9 = 1)"
                                                  : "pull only (/5/0/9 = 0)";
}

static void write_text(step_context *sc, step_outcome *o, const char *path, int cf,
                       const uint8_t *data, size_t len)
{
    net_request_spec spec = {.method = COAP_REQUEST_CODE_PUT, .path = path, .accept = -1,
                             .content_format = cf, .observe = -1, .payload = data,
                             .payload_len = len};
    request(sc, o, &spec, steps_deadline(sc, o->step));
}

void step_firmware_reset(step_context *sc, step_outcome *o)
{
    if (!learn_methods(sc, o))
        return;
    static const uint8_t nul = 0;
    const char *way = o->step->fw_delivery;
    if (way && strcmp(way, "push") == 0 && !sc->fw_state.push) {
        not_applicable(o, "the device declares %s: this case is for push", methods_text(sc));
        return;
    }
    if (way && strcmp(way, "pull") == 0 && !sc->fw_state.pull) {
        not_applicable(o, "the device declares %s: this case is for pull", methods_text(sc));
        return;
    }
    bool push = way ? strcmp(way, "push") == 0 : sc->fw_state.push;
    if (push)
        write_text(sc, o, "/5/0/0", 42, &nul, 1);
    else
        write_text(sc, o, "/5/0/1", 0, (const uint8_t *)"", 0);
    if (o->status != OUTCOME_OK)
        return;
    snprintf(o->detail, sizeof o->detail, "the device declares %s: %s", methods_text(sc),
             push ? "'\\0' written to Package /5/0/0" : "\"\" written to Package URI /5/0/1");
    /* the version it runs before any package: what tells an installation from a version it
     * already had (int-770 H, int-771 I); a Read it does not answer leaves it unknown */
    net_request_spec spec = {.method = COAP_REQUEST_CODE_GET, .path = "/3/0/3", .accept = -1,
                             .content_format = -1, .observe = -1};
    step_outcome one;
    memset(&one, 0, sizeof one);
    one.step = o->step;
    request(sc, &one, &spec, steps_deadline(sc, o->step));
    if (one.status == OUTCOME_OK &&
        match_firmware_version_of(&one, o->fw_version_before, sizeof o->fw_version_before) == 0)
        steps_append_detail(o, "; Firmware Version /3/0/3 before: \"%s\"", o->fw_version_before);
    else
        o->fw_version_before[0] = '\0';
    step_outcome_clear(&one);
}

/* The protocol a pull uses: --firmware-protocol when given (and declared), else what the
 * device declares, HTTP first (the ETS's "alternative mechanism"), then CoAPS, then CoAP;
 * /5/0/8 absent means CoAP. -1 when the tool serves none the device declares. */
static int pull_protocol(const step_context *sc, const fw_options *fo)
{
    unsigned p = sc->fw_state.protocols ? sc->fw_state.protocols : 1u;
    if (fo->protocol) {
        int want = strcmp(fo->protocol, "coap") == 0 ? 0 : strcmp(fo->protocol, "coaps") == 0 ? 1 : 2;
        return p & (1u << want) ? want : -1;
    }
    if (p & 4u)
        return 2;
    if (p & 2u)
        return 1;
    if (p & 1u)
        return 0;
    return -1;
}

static void pull(step_context *sc, step_outcome *o, const fw_package *pkg, bool cut,
                 bool invalid)
{
    const fw_options *fo = fw_delivery_options(sc->fw);
    int proto = pull_protocol(sc, fo);
    if (proto < 0) {
        o->status = OUTCOME_NOT_APPLICABLE;
        snprintf(o->detail, sizeof o->detail, "the device declares no download protocol the tool "
                 "serves (CoAP, CoAPS, HTTP) in /5/0/8%s%s", fo->protocol ? " as --firmware-protocol " : "",
                 fo->protocol ? fo->protocol : "");
        return;
    }
    static const char *const schemes[] = {"coap", "coaps", "http"};
    char base[300] = "", uri[400];
    if (proto == 1 && dut_endpoint_uri(sc->d, o->step->server, fo->host, base, sizeof base) < 0) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "no URI for server %d's endpoint", o->step->server);
        return;
    }
    lc_error err = {0};
    int slot = fw_server_offer(fw_delivery_server(sc->fw), pkg, cut, schemes[proto], base, uri,
                               sizeof uri, &err);
    if (slot < 0) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "%s", err.msg);
        return;
    }
    if (invalid) {
        /* a well-formed URI on the tool's own server where no package is: 4.04 / 404 */
        char *tail = strrchr(uri, '/');
        if (tail)
            snprintf(tail, sizeof uri - (size_t)(tail - uri), "/no-such-package");
    }
    sc->fw_state.slot = invalid ? -1 : slot;
    snprintf(sc->fw_state.scheme, sizeof sc->fw_state.scheme, "%s", schemes[proto]);
    write_text(sc, o, "/5/0/1", 0, (const uint8_t *)uri, strlen(uri));
    if (o->status == OUTCOME_OK)
        snprintf(o->detail, sizeof o->detail, "pull over %s (the device declares %s): %s%s%s",
                 protocol_names[proto], methods_text(sc), uri,
                 invalid ? " (no package there)" : "",
                 cut ? "; the tool cuts the transfer halfway" : "");
}

/* A URI whose scheme the device did not declare in /5/0/8. */
static void unsupported_protocol(step_context *sc, step_outcome *o)
{
    static const struct {
        int proto;
        const char *uri;
    } candidates[] = {{0, "coap://%s/fw"}, {1, "coaps://%s/fw"}, {2, "http://%s/fw"},
                      {3, "https://%s/fw"}, {4, "coap+tcp://%s/fw"}, {5, "coaps+tcp://%s/fw"}};
    /* /5/0/8 absent: the device speaks CoAP only (as pull_protocol reads it) */
    unsigned declared = sc->fw_state.protocols ? sc->fw_state.protocols : 1u;
    /* a run without firmware options has no delivery host to write into the URIs */
    const fw_options *fo = sc->fw ? fw_delivery_options(sc->fw) : NULL;
    if (!fo) {
        not_applicable(o, "%s", "needs --firmware FILE (the tool's firmware options give the "
                       "host the unsupported URIs name)");
        return;
    }
    const char *host = fo->host ? fo->host : fo->bind_addr;
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        if (declared & (1u << candidates[i].proto))
            continue;
        char uri[300];
        snprintf(uri, sizeof uri, candidates[i].uri, host);
        write_text(sc, o, "/5/0/1", 0, (const uint8_t *)uri, strlen(uri));
        if (o->status == OUTCOME_OK)
            snprintf(o->detail, sizeof o->detail, "%s (%s, %s)", uri,
                     protocol_names[candidates[i].proto],
                     sc->fw_state.protocols ? "not declared in /5/0/8"
                                            : "/5/0/8 absent: the device speaks CoAP only");
        return;
    }
    not_applicable(o, "%s", "the device declares every protocol of /5/0/8 (0-5)");
}

/* The device took the package (or its URI): a later firmware-wait has something to wait
 * for. So it has when the device answered a bad package's push with a refusal (4.13 for an
 * oversized one, 4.00, 4.15, 5.00 when it could not store it: Anjay): it may well have set
 * the Update Result the case judges. */
static void delivered(step_context *sc, const step_outcome *o, bool bad_package)
{
    if (o->status == OUTCOME_OK && o->has_response &&
        ((o->response.code >> 5) == 2 ||
         (bad_package && ((o->response.code >> 5) == 4 || (o->response.code >> 5) == 5))))
        sc->fw_state.failed_step = 0;
}

void step_firmware_deliver(step_context *sc, step_outcome *o)
{
    const tc_step *s = o->step;
    char why[300];
    int kind = fw_package_kind_from_name(s->fw_package ? s->fw_package : "firmware");
    const char *dl = s->fw_delivery ? s->fw_delivery : "any";
    bool needs_pkg = strcmp(dl, "invalid-uri") != 0 && strcmp(dl, "unsupported-protocol") != 0;
    const fw_package *pkg = NULL;
    if (needs_pkg &&
        !(pkg = fw_delivery_package(sc->fw, (fw_package_kind)kind, why, sizeof why))) {
        not_applicable(o, "%s", why);
        return;
    }
    if (!needs_pkg && !fw_delivery_server(sc->fw) && strcmp(dl, "invalid-uri") == 0) {
        not_applicable(o, "%s", "needs --firmware FILE (the tool serves packages only with one)");
        return;
    }
    sc->fw_state.failed_step = s->number; /* until the device took it */
    if (!learn_methods(sc, o))
        return;
    sc->fw_state.slot = -1;
    sc->fw_state.transfer_end_ms = 0;
    /* pull-else-push (the error cases): a pull lets the device judge the package without
     * refusing a Write, so it is used whenever the device declares it */
    bool push = strcmp(dl, "push") == 0 || (strcmp(dl, "any") == 0 && sc->fw_state.push) ||
                (strcmp(dl, "pull-else-push") == 0 && !sc->fw_state.pull && sc->fw_state.push);
    if (push) {
        if (!sc->fw_state.push) {
            not_applicable(o, "the device declares %s: the push of this case is not used",
                           methods_text(sc));
            return;
        }
        uint64_t deadline = mono_ms() + (s->timeout_ms > 0 ? (uint64_t)s->timeout_ms
                                                            : fw_delivery_options(sc->fw)->phase_timeout_ms);
        const registration *reg = registered(sc, o, deadline);
        if (!reg)
            return;
        fw_push_stats st;
        fw_push(sc->d->net, reg->session, reg->endpoint, "/5/0/0", pkg, 6, deadline, o, &st);
        sc->fw_state.transfer_end_ms = mono_ms();
        delivered(sc, o, kind != FW_PKG_FIRMWARE && kind != FW_PKG_INSTALL_FAILURE);
        return;
    }
    if (!sc->fw_state.pull) {
        not_applicable(o, "the device declares %s: the pull of this case is not used",
                       methods_text(sc));
        return;
    }
    if (strcmp(dl, "unsupported-protocol") == 0) {
        unsupported_protocol(sc, o);
        if (o->status == OUTCOME_OK)
            sc->fw_state.failed_step = 0; /* a refusal (4.00) may come with Update Result 9 */
        return;
    }
    pull(sc, o, pkg, strcmp(dl, "pull-cut") == 0, strcmp(dl, "invalid-uri") == 0);
    delivered(sc, o, false);
}

static bool is_bootstrap_request(const net_event *ev, void *arg)
{
    (void)arg;
    return ev->kind == NET_EV_BOOTSTRAP_REQUEST;
}

/* A device without persistent state bootstraps again after it rebooted into its new
 * firmware: when the run plays the bootstrap server, the tool provisions it again, as a
 * factory-fresh device, so the update phase can see it register. Returns true when it did. */
static bool reprovision(step_context *sc, int ssid, char *note, size_t cap)
{
    (void)ssid; /* its old registration may look alive: the device said no goodbye */
    if (!sc->bs ||
        !net_peek(sc->d->net, is_bootstrap_request, NULL))
        return false;
    char summary[512];
    lc_error err = {0};
    int r = bootstrap_provision_device(sc->bs, sc->default_timeout_ms, summary, sizeof summary, &err);
    snprintf(note, cap, "; the device bootstrapped again after its reboot: %s",
             r == 0 ? "the tool provisioned it again" : err.msg);
    return r == 0;
}

static void note_poll(step_outcome *o, int state, int result)
{
    o->fw_polls_total++;
    if (o->fw_poll_count && o->fw_polls[o->fw_poll_count - 1].state == state &&
        o->fw_polls[o->fw_poll_count - 1].result == result)
        return;
    if (o->fw_poll_count == OUTCOME_FW_MAX_POLLS) {
        o->fw_polls_dropped++;
        return;
    }
    o->fw_polls[o->fw_poll_count++] = (outcome_fw_poll){state, result, mono_ms()};
}

static bool phase_over(const char *until, int state, int result, bool left_idle)
{
    if (strcmp(until, "download") == 0) /* Downloaded, an error, or the device gave up */
        return state == 2 || result != 0 || (left_idle && state == 0);
    return result != 0 && state != 3; /* update: a result, and no longer Updating */
}

void step_firmware_wait(step_context *sc, step_outcome *o)
{
    const tc_step *s = o->step;
    const char *until = s->fw_until ? s->fw_until : "download";
    uint64_t phase = s->timeout_ms > 0 ? (uint64_t)s->timeout_ms
                     : sc->fw ? fw_delivery_options(sc->fw)->phase_timeout_ms
                              : FW_DEFAULT_PHASE_TIMEOUT_MS;
    uint64_t poll = sc->fw ? fw_delivery_options(sc->fw)->poll_ms : FW_DEFAULT_POLL_MS;
    uint64_t t0 = mono_ms(), deadline = t0 + phase;
    if (sc->fw_state.failed_step && strcmp(until, "download") == 0) {
        o->status = OUTCOME_DEVICE_ERROR;
        snprintf(o->detail, sizeof o->detail, "nothing to wait for: the device did not take the "
                 "package in step %d", sc->fw_state.failed_step);
        return;
    }
    /* one poll waits at most this long: a device rebooting into its new firmware does not
     * answer on its old session, and the next poll goes to its new registration */
    uint64_t poll_wait = 4 * poll > 2000 ? 4 * poll : 2000;
    if (poll_wait > sc->default_timeout_ms)
        poll_wait = sc->default_timeout_ms;
    step_outcome last; /* the last answered poll: what the criteria judge */
    memset(&last, 0, sizeof last);
    last.step = s;
    unsigned unanswered = 0;
    bool over = false, left_idle = false;
    int state = -1, result = -1;
    char lost[256] = "", rebs[600] = "";
    while (!over) {
        if (!rebs[0])
            reprovision(sc, s->server, rebs, sizeof rebs);
        uint64_t next = mono_ms() + poll;
        net_request_spec spec = {.method = COAP_REQUEST_CODE_GET, .path = s->path, .accept = -1,
                                 .content_format = -1, .observe = -1};
        step_outcome one;
        memset(&one, 0, sizeof one);
        one.step = s;
        uint64_t req_deadline = mono_ms() + poll_wait;
        request(sc, &one, &spec, req_deadline < deadline ? req_deadline : deadline);
        if (one.status == OUTCOME_NOT_RUN || one.status == OUTCOME_TOOL_ERROR) {
            step_outcome_clear(&one);
            o->status = one.status;
            snprintf(o->detail, sizeof o->detail, "%s", one.detail);
            step_outcome_clear(&last);
            return;
        }
        lwm2m_records recs;
        records_init(&recs);
        int64_t st = -1, rs = -1;
        if (one.status == OUTCOME_OK && (one.response.code >> 5) == 2 && match_firmware_decode(&one, &recs) == 0 &&
            int_at(&recs, 3, &st) && int_at(&recs, 5, &rs)) {
            state = (int)st;
            result = (int)rs;
            note_poll(o, state, result);
            left_idle = left_idle || state != 0;
            over = phase_over(until, state, result, left_idle);
            step_outcome_clear(&last);
            last = one;
            memset(&one, 0, sizeof one);
        } else {
            /* a device rebooting into its new firmware does not answer for a while: keep
             * polling until the phase's deadline */
            unanswered++;
            snprintf(lost, sizeof lost, "%s", one.status == OUTCOME_OK ? "a poll was not a 2.05 "
                     "with State and Update Result" : one.detail);
            step_outcome_clear(&one);
        }
        records_free(&recs);
        if (over || mono_ms() >= deadline)
            break;
        while (mono_ms() < next && mono_ms() < deadline)
            if (steps_poll(sc, next < deadline ? next : deadline) < 0)
                break;
    }
    /* o takes the last answered poll's request and response */
    o->has_request = last.has_request;
    o->request = last.request;
    o->has_response = last.has_response;
    o->response = last.response;
    snprintf(o->cipher_suite, sizeof o->cipher_suite, "%s", last.cipher_suite);
    snprintf(o->psk_identity, sizeof o->psk_identity, "%s", last.psk_identity);
    o->elapsed_ms = mono_ms() - t0;
    char phases[300] = "";
    if (strcmp(until, "download") == 0) {
        uint64_t end = sc->fw_state.transfer_end_ms;
        if (sc->fw_state.slot >= 0 && sc->fw) {
            fw_slot_stats ss = fw_server_stats(fw_delivery_server(sc->fw), sc->fw_state.slot);
            end = ss.last_ms;
            o->fw_served_known = true;
            o->fw_served_complete = ss.complete;
            o->fw_served_bytes = ss.bytes;
            o->fw_served_requests = ss.requests;
            snprintf(phases, sizeof phases, "; the tool served %llu bytes over %s in %u "
                     "request%s (%.3f s)%s%s",
                     (unsigned long long)ss.bytes, sc->fw_state.scheme, ss.requests,
                     ss.requests == 1 ? "" : "s",
                     ss.first_ms ? (double)(ss.last_ms - ss.first_ms) / 1000.0 : 0.0,
                     ss.cut ? ", then cut the transfer" : "",
                     ss.complete ? ", the whole package" : "");
        }
        if (over && state == 2 && end && o->fw_poll_count) {
            uint64_t done = o->fw_polls[o->fw_poll_count - 1].at_ms;
            size_t l = strlen(phases);
            snprintf(phases + l, sizeof phases - l, "; verify: %.2f s from the last byte to "
                     "Downloaded", done > end ? (double)(done - end) / 1000.0 : 0.0);
        }
    }
    if (over) {
        o->status = OUTCOME_OK;
        snprintf(o->detail, sizeof o->detail, "%s phase: %.2f s to State %d (%s), Update Result "
                 "%d (%s); %u poll%s%s%s", until, (double)o->elapsed_ms / 1000.0, state,
                 match_firmware_state_name(state), result, match_firmware_result_name(result),
                 o->fw_polls_total, o->fw_polls_total == 1 ? "" : "s",
                 unanswered ? " (some unanswered while the device restarted)" : "", phases);
        steps_append_detail(o, "%s", rebs);
    } else {
        o->status = OUTCOME_TIMEOUT;
        if (state >= 0)
            snprintf(o->detail, sizeof o->detail, "the %s phase did not end within %.0f s "
                     "(--update-timeout): State %d (%s), Update Result %d (%s) at the last "
                     "answered poll%s%s%s", until, (double)phase / 1000.0, state,
                     match_firmware_state_name(state), result, match_firmware_result_name(result),
                     lost[0] ? "; then: " : "", lost, phases);
        else
            snprintf(o->detail, sizeof o->detail, "no poll of %s answered with State and Update "
                     "Result within %.0f s (--update-timeout)%s%s", s->path, (double)phase / 1000.0,
                     lost[0] ? ": " : "", lost);
    }
}
