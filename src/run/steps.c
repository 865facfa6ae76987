#include "run/steps.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bs/bootstrap.h"
#include "common/mono.h"
#include "lwm2m/content/content.h"
#include "lwm2m/objects.h"
#include "net/message.h"
#include "dut/exchange.h"
#include "lwm2m/execargs.h"
#include "run/step_composite.h"
#include "run/step_forget.h"
#include "fw/delivery.h"
#include "run/match_firmware.h"
#include "run/step_firmware.h"
#include "run/step_registered.h"
#include "run/step_queue.h"
#include "run/step_send.h"
#include "dut/stepvalues.h"
#include "tc/vars.h"

void steps_init(step_context *sc, dut *d, const tc_case *c, uint64_t default_timeout_ms,
                bootstrap_server *bs)
{
    memset(sc, 0, sizeof *sc);
    sc->d = d;
    sc->c = c;
    sc->default_timeout_ms = default_timeout_ms ? default_timeout_ms : 30000;
    sc->bs = bs;
    sc->fw_state.slot = -1;
    sc->expiry_tolerance_ms = STEPS_EXPIRY_TOLERANCE_MS;
    sc->timing_scale = 1.0;
    sc->began_at = mono_ms();
    sc->serve_bootstrap = bs != NULL;
    for (size_t i = 0; i < c->step_count; i++)
        if (tc_op_is_bootstrap(c->steps[i].op))
            sc->serve_bootstrap = false; /* the case plays the bootstrap server itself */
}

void steps_set_reboot_timeout(step_context *sc, uint64_t ms)
{
    sc->reboot_timeout_ms = ms;
}

void steps_set_queue_mode(step_context *sc, uint64_t max_transmit_wait_ms, uint64_t hold_max_ms)
{
    sc->max_transmit_wait_ms = max_transmit_wait_ms;
    sc->queue_hold_max_ms = hold_max_ms;
}

bool steps_is_reboot(const tc_step *s)
{
    return s->op == TC_OP_EXECUTE && s->path &&
           (strcmp(s->path, "/3/0/4") == 0 || strcmp(s->path, "/3/0/5") == 0);
}

static const tc_step *step_numbered(const step_context *sc, int number)
{
    for (size_t i = 0; i < sc->c->step_count; i++)
        if (sc->c->steps[i].number == number)
            return &sc->c->steps[i];
    return NULL;
}

void steps_set_vars(step_context *sc, const tc_kv *vars, size_t count)
{
    sc->vars = vars;
    sc->var_count = count;
}

void steps_set_timing_scale(step_context *sc, double scale)
{
    if (scale >= 1.0 && scale <= 100.0) {
        sc->expiry_tolerance_ms = (unsigned)(STEPS_EXPIRY_TOLERANCE_MS * scale);
        sc->timing_scale = scale;
    }
}

/* The step's own numeric timeout (a window the case times: int-104's triggered Update),
 * stretched by --timing-tolerance for slow links; otherwise the run's step timeout. */
static uint64_t own_timeout(const step_context *sc, const tc_step *s)
{
    if (s->timeout_ms <= 0)
        return sc->default_timeout_ms;
    return (uint64_t)((double)s->timeout_ms * (sc->timing_scale >= 1.0 ? sc->timing_scale : 1.0));
}

uint64_t steps_deadline(const step_context *sc, const tc_step *s)
{
    uint64_t t = own_timeout(sc, s);
    if (s->timeout_var && sc->var_timeout_ms >= 0)
        t = (uint64_t)sc->var_timeout_ms + sc->default_timeout_ms;
    /* the case's first step, waiting for what the device sends after the reset or restart
     * the case began with: a device takes what it takes to start (a hold-off before it
     * bootstraps, a slow boot), as a Register after a Reboot: --reboot-timeout, unless the
     * step has a longer deadline of its own */
    bool expects = s->op == TC_OP_EXPECT_BOOTSTRAP_REQUEST || s->op == TC_OP_EXPECT_REGISTER ||
                   s->op == TC_OP_EXPECT_BOOTSTRAP_PACK_REQUEST;
    if (sc->after_reset && expects && sc->c && sc->c->step_count && s == &sc->c->steps[0]) {
        uint64_t r = sc->reboot_timeout_ms ? sc->reboot_timeout_ms : STEPS_REBOOT_TIMEOUT_MS;
        if (r > t)
            t = r;
    }
    return mono_ms() + t;
}

uint64_t steps_started_at(const step_context *sc, int number)
{
    for (size_t i = 0; i < sc->started_count; i++)
        if (sc->started[i].number == number)
            return sc->started[i].at;
    return 0;
}

uint64_t steps_provoked_at(const step_context *sc, int number)
{
    /* a step that ends a bootstrap session provokes from its Bootstrap-Finish: what the
     * device does after it (a Register, a new Bootstrap-Request) comes only then; a
     * Bootstrap-Request during the writes is not that */
    for (size_t i = 0; i < sc->started_count; i++)
        if (sc->started[i].number == number && sc->started[i].op == TC_OP_BOOTSTRAP_FINISH)
            return sc->started[i].provoked ? sc->started[i].provoked : sc->started[i].at;
    for (size_t i = 0; i < sc->started_count; i++)
        if (sc->started[i].number == number)
            return sc->started[i].provoked ? sc->started[i].provoked : sc->started[i].at;
    return 0;
}

uint64_t steps_window_ms(const step_context *sc, const tc_step *s)
{
    if (s->duration_var && sc->var_duration_ms >= 0)
        return (uint64_t)sc->var_duration_ms;
    return s->wait_ms > 0 ? (uint64_t)s->wait_ms : 0;
}

uint64_t steps_registration_expiry(const step_context *sc, const registration *reg)
{
    uint64_t refreshed = reg->updated_at > reg->registered_at ? reg->updated_at : reg->registered_at;
    int64_t lt = reg->query.has_lifetime ? reg->query.lifetime : 86400;
    return refreshed + (uint64_t)(lt > 0 ? lt : 0) * 1000u + sc->expiry_tolerance_ms;
}

static bool match_nothing(const net_event *ev, void *arg)
{
    (void)ev;
    (void)arg;
    return false;
}

int steps_poll(step_context *sc, uint64_t until)
{
    if (sc->serve_bootstrap && sc->bs && bootstrap_request_pending(sc->bs)) {
        char during[64];
        snprintf(during, sizeof during, "%s step %d", sc->c->short_id, sc->current_step);
        lc_error err = {0};
        int r = bootstrap_serve_unplanned(sc->bs, during, sc->default_timeout_ms, &err);
        if (r == LC_EINTR)
            return r;
        if (r < 0 && net_abort_reason(sc->d->net))
            return LC_EIO;
        /* a provisioning that failed is noted; the wait goes on (the device may retry) */
    }
    uint64_t slice = mono_ms() + 200;
    if (sc->poll_until != until) { /* a new wait: its progress line spans every slice */
        sc->poll_until = until;
        sc->poll_start = mono_ms();
    }
    net_set_wait_span(sc->d->net, sc->poll_start, until);
    net_event *ev = NULL;
    int r = net_wait(sc->d->net, match_nothing, NULL, until < slice ? until : slice, &ev);
    net_event_free(ev);
    return r == LC_ETIMEDOUT ? 0 : r;
}

/* ${variables} of this case: the configuration, where its instances are on the device,
 * the endpoint name, the case's own variables. */
tc_vars_env steps_vars_env(const step_context *sc)
{
    return (tc_vars_env){.cfg = sc->d->cfg, .desc = sc->d->desc, .instances = &sc->d->instances,
                         .endpoint_name = steps_endpoint_name(sc), .case_vars = sc->vars,
                         .case_var_count = sc->var_count};
}

/* Expands a variable number of seconds (a step's "timeout" or "duration"). */
static int var_seconds(const step_context *sc, const char *var, int64_t *ms, lc_error *err)
{
    tc_vars_env env = steps_vars_env(sc);
    char *text = NULL;
    if (tc_vars_expand_env(var, &env, &text, err) < 0)
        return LC_EINVAL;
    char *end;
    double v = strtod(text, &end);
    bool ok = *text && *end == '\0' && v >= 0 && v <= 86400.0 * 365;
    free(text);
    if (!ok)
        return lc_error_set(err, LC_EINVAL, "%s is not a number of seconds", var);
    *ms = (int64_t)(v * 1000.0);
    return 0;
}

const char *steps_endpoint_name(const step_context *sc)
{
    if (sc->endpoint_name[0])
        return sc->endpoint_name;
    for (size_t i = 0; i < registry_count(sc->d->reg); i++) {
        const registration *r = registry_at(sc->d->reg, i);
        if (r->active)
            return r->query.endpoint_name;
    }
    return NULL;
}

void steps_finish(step_context *sc)
{
    for (size_t i = 0; i < sc->obs_count; i++)
        net_forget_observation(sc->d->net, sc->obs[i].exchange_id);
    sc->obs_count = 0;
}

void steps_append_detail(step_outcome *o, const char *fmt, ...)
{
    size_t l = strlen(o->detail);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->detail + l, sizeof o->detail - l, fmt, ap);
    va_end(ap);
}

bool steps_wait_cut_short(step_context *sc, int r, const char *what, step_outcome *o)
{
    if (r == LC_EINTR) {
        o->status = OUTCOME_NOT_RUN;
        snprintf(o->detail, sizeof o->detail, "interrupted while waiting for %s", what);
        return true;
    }
    if (r == LC_EIO && net_abort_reason(sc->d->net)) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "%s", net_abort_reason(sc->d->net));
        return true;
    }
    return false;
}

struct hs_arg {
    int endpoint;
};

static bool match_handshake(const net_event *ev, void *arg)
{
    const struct hs_arg *a = arg;
    return ev->endpoint == a->endpoint &&
           (ev->kind == NET_EV_HANDSHAKE_REFUSED || ev->kind == NET_EV_HANDSHAKE_FAILED);
}

void steps_explain_handshakes(step_context *sc, int ssid, step_outcome *o)
{
    struct hs_arg a = {net_endpoint_by_ssid(sc->d->net, ssid)};
    net_event *ev;
    int count = 0;
    /* a device retries its handshake: show the first refusal and how many there were */
    while ((ev = net_take(sc->d->net, match_handshake, &a)) != NULL) {
        if (count++ == 0)
            steps_append_detail(o, "; meanwhile: %s", ev->detail);
        net_event_free(ev);
    }
    if (count > 1)
        steps_append_detail(o, " (%d failed handshakes in all)", count);
}

/* ---- the device's own messages -------------------------------------------------------- */

/* The Registers the version hold refused on this server since a step last said so. */
static void explain_refusals(step_context *sc, int ssid, step_outcome *o, const char *lead)
{
    char why[256];
    if (registry_take_refusals(sc->d->reg, ssid, why, sizeof why))
        steps_append_detail(o, "%s%s%s", o->detail[0] ? "; " : "", lead, why);
}

struct expect_arg {
    int ssid;
    net_event_kind kind;
    uint64_t not_before; /* mono_ms; 0 = any */
};

static bool match_expect(const net_event *ev, void *arg)
{
    const struct expect_arg *a = arg;
    if (ev->short_server_id != a->ssid || ev->at_ms < a->not_before)
        return false;
    if (ev->kind == a->kind)
        return true;
    /* a malformed Register/Update ends the wait too: it is the device's answer */
    if (ev->kind == NET_EV_PROTOCOL_ERROR && ev->msg.code == COAP_REQUEST_CODE_POST) {
        bool to_rd = strcmp(ev->msg.path, "/rd") == 0;
        return a->kind == NET_EV_REGISTER ? to_rd : a->kind == NET_EV_UPDATE && !to_rd;
    }
    if (ev->kind == NET_EV_PROTOCOL_ERROR && ev->msg.code == COAP_REQUEST_CODE_DELETE)
        return a->kind == NET_EV_DEREGISTER;
    return false;
}

struct newest_arg {
    struct expect_arg *a;
    const net_event *newest;
};

static bool find_newest(const net_event *ev, void *arg)
{
    struct newest_arg *n = arg;
    if (match_expect(ev, n->a))
        n->newest = ev;
    return false; /* keep looking: the last match is the newest */
}

/* A Register the device made may be judged by more than one case (int-101 and int-950
 * both look at the device's registration): without "after_step", an expect-register
 * copies the newest matching Register and leaves it queued. */
static int wait_register_copy(step_context *sc, struct expect_arg *a, uint64_t deadline,
                              net_event **out)
{
    for (;;) {
        struct newest_arg n = {a, NULL};
        net_peek(sc->d->net, find_newest, &n);
        if (n.newest) {
            net_event *ev = calloc(1, sizeof *ev);
            if (!ev)
                return LC_ENOMEM;
            *ev = *n.newest;
            ev->session = NULL;
            ev->next = NULL;
            memset(&ev->msg, 0, sizeof ev->msg);
            if (net_message_copy(&ev->msg, &n.newest->msg) < 0) {
                free(ev);
                return LC_ENOMEM;
            }
            *out = ev;
            return 0;
        }
        if (mono_ms() >= deadline)
            return LC_ETIMEDOUT;
        int r = steps_poll(sc, deadline);
        if (r < 0)
            return r;
    }
}

/* Takes the first matching message, serving the device meanwhile (steps_poll: a device
 * that rebooted without its state is bootstrapped again while the step waits). */
static int wait_message(step_context *sc, struct expect_arg *a, uint64_t deadline,
                        net_event **out)
{
    for (;;) {
        if ((*out = net_take(sc->d->net, match_expect, a)) != NULL)
            return 0;
        if (mono_ms() >= deadline)
            return LC_ETIMEDOUT;
        int r = steps_poll(sc, deadline);
        if (r < 0)
            return r;
    }
}

static const char *expect_name(net_event_kind k)
{
    return k == NET_EV_REGISTER ? "Register" : k == NET_EV_UPDATE ? "Update" : "De-register";
}

static void expect_device_message(step_context *sc, step_outcome *o, net_event_kind kind)
{
    const tc_step *s = o->step;
    int e = net_endpoint_by_ssid(sc->d->net, s->server);
    if (e < 0) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "the configuration has no server %d", s->server);
        return;
    }
    uint64_t t0 = mono_ms(), deadline = steps_deadline(sc, s);
    /* What counts: with after_step, only what arrived after that step's request left (the
     * device may send what it provokes before its answer: an Update before a delayed 2.04)
     * or, after an expect step, after the message it took; a Register without it, the
     * newest of the device's current life (it may have come before the case); anything
     * else, what arrived after the case began. */
    uint64_t not_before = s->after_step        ? steps_provoked_at(sc, s->after_step)
                        : kind == NET_EV_REGISTER ? sc->d->life_started_at
                                                  : sc->began_at;
    struct expect_arg a = {s->server, kind, not_before};
    const tc_step *cause = s->after_step ? step_numbered(sc, s->after_step) : NULL;
    bool after_reboot = kind == NET_EV_REGISTER && cause && steps_is_reboot(cause);
    if (after_reboot) { /* a reboot takes what it takes: a bootstrap hold-off, a slow start */
        uint64_t r = sc->reboot_timeout_ms ? sc->reboot_timeout_ms : STEPS_REBOOT_TIMEOUT_MS;
        bool own = s->timeout_ms > 0 || s->timeout_var; /* the case's own deadline, if longer */
        if (!own || t0 + r > deadline)
            deadline = t0 + r;
    }
    /* an Update the configuration times (int-107's next Update "within the lifetime") is due
     * before the registration expires on the tool's clock (+ tolerance), counted from its last
     * Register or Update, not from the step's start plus the run's step timeout */
    bool by_lifetime = false;
    if (kind == NET_EV_UPDATE && !s->or_expiry && s->timeout_var) {
        const registration *live = registry_active(sc->d->reg, s->server);
        uint64_t due = live ? steps_registration_expiry(sc, live) : 0;
        if (due && due < deadline) {
            deadline = due > t0 ? due : t0;
            by_lifetime = true;
        }
    }
    /* "or_expiry": the registration may also just expire, which ends the wait */
    const registration *reg = s->or_expiry ? registry_active(sc->d->reg, s->server) : NULL;
    uint64_t expiry = reg ? steps_registration_expiry(sc, reg) : 0;
    int64_t lifetime = reg && reg->query.has_lifetime ? reg->query.lifetime : 86400;
    if (reg) /* the step's timeout covers the lifetime; the expiry allows the tolerance too */
        deadline += sc->expiry_tolerance_ms;
    net_event *ev = NULL;
    int r = kind == NET_EV_REGISTER && !s->after_step
                ? wait_register_copy(sc, &a, deadline, &ev)
                : wait_message(sc, &a, deadline, &ev);
    o->elapsed_ms = mono_ms() - t0;
    if (r == LC_ETIMEDOUT && reg && mono_ms() >= expiry) {
        o->status = OUTCOME_OK;
        o->expired = true;
        snprintf(o->detail, sizeof o->detail,
                 "no %s: the registration expired on the tool's clock %lld s (+%u ms) after "
                 "the last Register/Update",
                 expect_name(kind), (long long)lifetime, sc->expiry_tolerance_ms);
        return;
    }
    char what[32];
    snprintf(what, sizeof what, "a %s", expect_name(kind));
    if (steps_wait_cut_short(sc, r, what, o))
        return;
    if (r < 0) {
        o->status = OUTCOME_TIMEOUT;
        snprintf(o->detail, sizeof o->detail, "no %s on server %d (UDP port %u) within %.1f s%s",
                 expect_name(kind), s->server,
                 net_endpoint_port(sc->d->net, e), (double)(deadline - t0) / 1000.0,
                 s->after_step ? " after step " : "");
        if (s->after_step)
            steps_append_detail(o, "%d%s", s->after_step,
                                after_reboot ? " (--reboot-timeout)" : "");
        if (by_lifetime)
            steps_append_detail(o, ", when the registration's lifetime (from its last Register "
                                "or Update, with the expiry tolerance) ran out");
        steps_explain_handshakes(sc, s->server, o);
        explain_refusals(sc, s->server, o, "meanwhile: ");
        return;
    }
    o->status = OUTCOME_OK;
    o->has_request = true;
    o->answered_at = ev->at_ms;
    snprintf(o->cipher_suite, sizeof o->cipher_suite, "%s", ev->cipher_suite);
    snprintf(o->psk_identity, sizeof o->psk_identity, "%s", ev->psk_identity);
    o->request = ev->msg;
    memset(&ev->msg, 0, sizeof ev->msg);
    /* The "response" of an expect step is the tool's own reply, as the client saw it. */
    o->has_response = true;
    net_message *resp = &o->response;
    resp->content_format = resp->accept = resp->observe = -1;
    resp->type = COAP_MESSAGE_ACK;
    if (ev->kind == NET_EV_PROTOCOL_ERROR) {
        resp->code = COAP_RESPONSE_CODE(400);
        snprintf(o->detail, sizeof o->detail, "%s", ev->detail);
        resp->payload_len = strlen(ev->detail);
        resp->payload = (uint8_t *)strdup(ev->detail);
        if (!resp->payload)
            resp->payload_len = 0;
    } else if (kind == NET_EV_REGISTER) {
        resp->code = COAP_RESPONSE_CODE(201);
        snprintf(resp->location, sizeof resp->location, "rd/%s", ev->registration_id);
        snprintf(sc->endpoint_name, sizeof sc->endpoint_name, "%s", ev->endpoint_name);
        snprintf(o->endpoint_name, sizeof o->endpoint_name, "%s", ev->endpoint_name);
    } else {
        resp->code = kind == NET_EV_UPDATE ? COAP_RESPONSE_CODE(204) : COAP_RESPONSE_CODE(202);
    }
    /* how the device connected belongs in the report: LwM2M mandates
     * TLS_PSK_WITH_AES_128_CCM_8, and Mbed TLS may well have negotiated another suite */
    if (o->status == OUTCOME_OK && !o->detail[0])
        snprintf(o->detail, sizeof o->detail, "from %s, %s%s%s%s", ev->peer,
                 ev->psk_identity[0] ? "PSK identity \"" : "NoSec", ev->psk_identity,
                 ev->psk_identity[0] ? "\", " : "", ev->cipher_suite);
    if (kind == NET_EV_REGISTER)
        explain_refusals(sc, s->server, o, "a fallback: before it, ");
    net_event_free(ev);
}

/* ---- requests to the device ----------------------------------------------------------- */

static bool arrived_before(const net_event *ev, void *arg)
{
    return ev->at_ms < *(const uint64_t *)arg;
}

void steps_observation_key(const tc_step *s, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    if (s->path) {
        snprintf(buf, cap, "%s", s->path);
        return;
    }
    for (size_t i = 0; i < s->path_count && used < cap; i++) {
        int n = snprintf(buf + used, cap - used, "%s%s", i ? "," : "", s->paths[i]);
        if (n > 0)
            used += (size_t)n;
    }
}

void steps_send_and_await(step_context *sc, step_outcome *o, const net_request_spec *spec,
                          bool remember_observation)
{
    const tc_step *s = o->step;
    uint64_t deadline = steps_deadline(sc, s);
    const registration *reg = registry_active(sc->d->reg, s->server);
    /* a device that is still registering (just started, rebooted, back from Disable)
     * gets the step's deadline to do so */
    while (!reg && mono_ms() < deadline && steps_poll(sc, deadline) == 0)
        reg = registry_active(sc->d->reg, s->server);
    if (!reg && (net_interrupted(sc->d->net) || net_abort_reason(sc->d->net))) {
        o->status = net_interrupted(sc->d->net) ? OUTCOME_NOT_RUN : OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "%s",
                 net_interrupted(sc->d->net) ? "interrupted" : net_abort_reason(sc->d->net));
        return;
    }
    if (!reg) {
        o->status = OUTCOME_DEVICE_ERROR;
        snprintf(o->detail, sizeof o->detail,
                 "the device has no active registration with server %d, so the request cannot be sent",
                 s->server);
        steps_explain_handshakes(sc, s->server, o);
        return;
    }
    if (step_queue_hold(sc, s->server, &reg, &deadline, o) < 0)
        return;
    uint64_t id = exchange_run(sc->d->net, reg->session, reg->endpoint, spec, deadline, o);
    if (o->status != OUTCOME_OK)
        return;
    step_queue_heard(sc, s->server, o->answered_at);
    if (steps_is_reboot(s) && (o->response.code >> 5) == 2) {
        /* the device goes away with every registration it had, and comes back anew: what
         * it registers from now on is its new life's */
        sc->d->life_started_at = o->answered_at;
        registry_retire_before(sc->d->reg, o->answered_at);
        /* nor does anything it sent before count any more; and the events would hold its
         * old DTLS sessions, which a closed association must not keep in the endpoint
         * (the device comes back from the same address and port) */
        uint64_t before = o->answered_at;
        net_drop(sc->d->net, arrived_before, &before);
    }
    if (s->op == TC_OP_CANCEL_OBSERVE && (o->response.code >> 5) == 2) {
        step_observation *ob = steps_find_observation(sc, s);
        if (ob) /* what the device sent before this answer was in flight when it came */
            ob->cancel_answered_ms = o->answered_at;
    }
    if (remember_observation) {
        if (o->response.observe >= 0 && (o->response.code >> 5) == 2 &&
            sc->obs_count < STEPS_MAX_OBSERVATIONS) {
            step_observation *ob = &sc->obs[sc->obs_count++];
            ob->short_server_id = s->server;
            steps_observation_key(s, ob->path, sizeof ob->path);
            ob->exchange_id = id;
            ob->last_ms = mono_ms();
            ob->cancelled = false;
        } else {
            net_forget_observation(sc->d->net, id);
        }
    }
}

step_observation *steps_find_observation(step_context *sc, const tc_step *s)
{
    char key[sizeof sc->obs[0].path];
    steps_observation_key(s, key, sizeof key);
    for (size_t i = sc->obs_count; i-- > 0;)
        if (sc->obs[i].short_server_id == s->server && key[0] && strcmp(sc->obs[i].path, key) == 0)
            return &sc->obs[i];
    return NULL;
}

static void expect_notification(step_context *sc, step_outcome *o)
{
    const tc_step *s = o->step;
    char okey[256];
    steps_observation_key(s, okey, sizeof okey);
    step_observation *ob = steps_find_observation(sc, s);
    if (!ob) {
        o->status = OUTCOME_DEVICE_ERROR;
        o->notes.window_ms = s->wait_ms > 0 ? (uint64_t)s->wait_ms : 0; /* what was expected */
        snprintf(o->detail, sizeof o->detail, "no observation of %s by server %d is active (the "
                 "Observe step did not succeed)", okey, s->server);
        return;
    }
    /* a window: the step's duration (a variable one resolved), else its own timeout */
    uint64_t span = steps_window_ms(sc, s);
    /* a window given as a variable is the case's period plus its tolerance (int-308's
     * ${var.window} = pmax + 2): --timing-tolerance stretches it as it does the tolerance,
     * so a notification the scaled tolerance lets come late still lands in its window */
    if (span > 0 && s->duration_var && sc->timing_scale > 1.0)
        span = (uint64_t)((double)span * sc->timing_scale);
    uint64_t window = span > 0 ? span : own_timeout(sc, s);
    uint64_t t0 = mono_ms();
    if (span > 0) {
        /* a window: every notification in it, with its arrival time; none is an answer
         * too (the notifications check judges it) */
        o->notes.since_ms = ob->last_ms;
        /* "after_step": the first gap counts from that step's answer at the earliest (int-310:
         * from the Write-Attributes that set the pmax, not from the Observe's 2.05) */
        for (size_t i = 0; s->after_step && i < sc->started_count; i++)
            if (sc->started[i].number == s->after_step && sc->started[i].answered > o->notes.since_ms)
                o->notes.since_ms = sc->started[i].answered;
        o->notes.window_ms = window;
        uint64_t not_before = ob->cancelled ? ob->cancel_answered_ms : 0;
        int r = obs_collect(sc->d->net, ob->exchange_id, t0 + window, not_before, &o->notes,
                            &ob->last_ms);
        o->notes.until_ms = mono_ms();
        o->elapsed_ms = o->notes.until_ms - t0;
        if (r == LC_EINTR || r == LC_EIO) {
            o->status = r == LC_EINTR ? OUTCOME_NOT_RUN : OUTCOME_TOOL_ERROR;
            snprintf(o->detail, sizeof o->detail, "%s", r == LC_EINTR
                         ? "interrupted while collecting notifications"
                         : net_abort_reason(sc->d->net) ? net_abort_reason(sc->d->net) : "I/O error");
            return;
        }
        o->status = OUTCOME_OK;
        char aside[160] = "";
        if (o->notes.before && o->notes.repeated)
            snprintf(aside, sizeof aside, " (not counted: %zu in flight before the device answered "
                     "the cancellation, %zu retransmitted)", o->notes.before, o->notes.repeated);
        else if (o->notes.before)
            snprintf(aside, sizeof aside, " (not counted: %zu in flight before the device answered "
                     "the cancellation)", o->notes.before);
        else if (o->notes.repeated)
            snprintf(aside, sizeof aside, " (not counted: %zu retransmitted, the same message ID)",
                     o->notes.repeated);
        snprintf(o->detail, sizeof o->detail, "%zu notification%s of %s in %.1f s%s%s",
                 o->notes.count + o->notes.dropped, o->notes.count + o->notes.dropped == 1 ? "" : "s",
                 okey, (double)window / 1000.0, ob->cancelled ? " after the cancellation" : "",
                 aside);
        if (o->notes.count) {
            const obs_note *first = &o->notes.items[0];
            o->has_response = true;
            o->response.type = COAP_MESSAGE_CON;
            o->response.code = first->code;
            o->response.content_format = first->content_format;
            o->response.accept = o->response.observe = -1;
            if (first->payload_len && (o->response.payload = malloc(first->payload_len))) {
                memcpy(o->response.payload, first->payload, first->payload_len);
                o->response.payload_len = first->payload_len;
            }
        }
        return;
    }
    net_event *ev = NULL;
    /* with after_step, one that arrived before that step's request left was not provoked
     * by it: it goes by (it still is the observation's latest, for later gaps) */
    uint64_t not_before = s->after_step ? steps_provoked_at(sc, s->after_step) : 0;
    /* "until": "download" (int-760): a notification still saying Downloading (State 1) is
     * the push's or the verification's, not the answer: the answer is the first one after
     * the download phase ended, within the step's deadline (counted from the push's end) */
    bool past_download = s->fw_until && strcmp(s->fw_until, "download") == 0;
    unsigned skipped = 0;
    int r, st;
    /* each Downloading notification gives the device the step's window again (a long check
     * still reports at pmax), within --update-timeout for the whole phase */
    uint64_t until = t0 + window,
             phase_end = t0 + (sc->fw ? fw_delivery_options(sc->fw)->phase_timeout_ms
                                      : FW_DEFAULT_PHASE_TIMEOUT_MS);
    while ((r = net_await_notification(sc->d->net, ob->exchange_id, until, &ev)) == 0 &&
           (ev->at_ms < not_before ||
            (past_download && match_firmware_notified_state(s->path, &ev->msg, &st) == 0 &&
             st == 1 && ++skipped))) {
        ob->last_ms = ev->at_ms;
        if (skipped && ev->at_ms + window > until)
            until = ev->at_ms + window < phase_end ? ev->at_ms + window : phase_end;
        net_event_free(ev);
        ev = NULL;
    }
    o->elapsed_ms = mono_ms() - t0;
    if (skipped && r < 0) {
        o->status = OUTCOME_TIMEOUT;
        snprintf(o->detail, sizeof o->detail, "%u notification%s of %s still said Downloading "
                 "(1), none other within %.1f s of the last (--update-timeout bounds the phase)",
                 skipped, skipped == 1 ? "" : "s", s->path, (double)window / 1000.0);
        return;
    }
    if (r == LC_EINTR) {
        o->status = OUTCOME_NOT_RUN;
        snprintf(o->detail, sizeof o->detail, "interrupted while waiting for a notification");
        return;
    }
    if (r < 0) {
        o->status = OUTCOME_TIMEOUT;
        snprintf(o->detail, sizeof o->detail, "no notification of %s within %.1f s", okey,
                 (double)window / 1000.0);
        return;
    }
    o->status = OUTCOME_OK;
    o->has_response = true;
    ob->last_ms = ev->at_ms;
    if (skipped)
        snprintf(o->detail, sizeof o->detail, "after %u notification%s saying Downloading (1)%s%s",
                 skipped, skipped == 1 ? "" : "s", ev->detail[0] ? "; " : "", ev->detail);
    else if (ev->detail[0])
        snprintf(o->detail, sizeof o->detail, "%s", ev->detail);
    o->response = ev->msg;
    memset(&ev->msg, 0, sizeof ev->msg);
    net_event_free(ev);
}

/* Waits for the observation's next notification and answers it with RST: the Server's
 * "Cancel Observation" of LwM2M 1.0 §5.5.3 (RFC 7641 §3.6). */
static void reset_notification(step_context *sc, step_outcome *o)
{
    const tc_step *s = o->step;
    char okey[256];
    steps_observation_key(s, okey, sizeof okey);
    step_observation *ob = steps_find_observation(sc, s);
    if (!ob || ob->cancelled) {
        o->status = OUTCOME_DEVICE_ERROR;
        snprintf(o->detail, sizeof o->detail, "no active observation of %s by server %d (the "
                 "Observe step did not succeed)", okey, s->server);
        return;
    }
    /* what came before the Server decided is the reporting it cancels: the next one
     * that arrives is the one answered with RST */
    net_event *ev = NULL;
    while (net_await_notification(sc->d->net, ob->exchange_id, mono_ms(), &ev) == 0) {
        ob->last_ms = ev->at_ms;
        net_event_free(ev);
        ev = NULL;
    }
    net_reset_next_notification(sc->d->net, ob->exchange_id);
    uint64_t t0 = mono_ms(), deadline = steps_deadline(sc, s);
    int r = net_await_notification(sc->d->net, ob->exchange_id, deadline, &ev);
    o->elapsed_ms = mono_ms() - t0;
    ob->cancelled = true;
    if (r == LC_EINTR) {
        o->status = OUTCOME_NOT_RUN;
        snprintf(o->detail, sizeof o->detail, "interrupted while waiting for a notification");
        return;
    }
    if (r < 0) {
        o->status = OUTCOME_TIMEOUT;
        snprintf(o->detail, sizeof o->detail, "no notification of %s to answer with RST within "
                 "%.1f s", okey, (double)(deadline - t0) / 1000.0);
        return;
    }
    o->status = OUTCOME_OK;
    o->has_response = true;
    ob->last_ms = ev->at_ms;
    snprintf(o->detail, sizeof o->detail, "%s", ev->detail);
    o->response = ev->msg;
    memset(&ev->msg, 0, sizeof ev->msg);
    net_event_free(ev);
}

static void wait_step(step_context *sc, step_outcome *o)
{
    uint64_t t0 = mono_ms(), deadline = t0 + steps_window_ms(sc, o->step);
    /* not a sleep: the loop keeps answering the device (Updates, notifications queue up) */
    while (mono_ms() < deadline && !net_interrupted(sc->d->net))
        net_poll(sc->d->net, deadline);
    o->elapsed_ms = mono_ms() - t0;
    if (net_interrupted(sc->d->net)) {
        o->status = OUTCOME_NOT_RUN;
        snprintf(o->detail, sizeof o->detail, "interrupted during the wait");
    } else {
        o->status = OUTCOME_OK;
    }
}

static void device_request(step_context *sc, step_outcome *o)
{
    tc_vars_env venv = steps_vars_env(sc);
    const tc_step *s = o->step;
    net_request_spec spec = {.path = s->path ? s->path : "/", .accept = s->accept,
                             .content_format = -1, .observe = -1};
    char *queries[32] = {0};
    size_t nq = 0;
    uint8_t *payload = NULL;
    size_t payload_len = 0;
    lc_error err = {0};
    bool observe = false;
    char *xpath = NULL; /* a path with a variable: the device's own instance id */
    if (s->path && strstr(s->path, "${")) {
        if (tc_vars_expand_env(s->path, &venv, &xpath, &err) < 0) {
            o->status = OUTCOME_TOOL_ERROR;
            snprintf(o->detail, sizeof o->detail, "step %d cannot be sent: %s", s->number, err.msg);
            return;
        }
        spec.path = xpath;
    }

    /* Write-Attributes; an Observe's attributes (LwM2M 1.2 §5.5.1) and a Discover's depth
     * (§5.4.2) ride in the Uri-Query the same way */
    for (size_t i = 0; i < s->attribute_count && nq < 32; i++) {
        char *v = NULL;
        if (s->attributes[i].value &&
            tc_vars_expand_env(s->attributes[i].value, &venv, &v, &err) < 0)
            goto tool_error;
        queries[nq++] = v ? result_printf("%s=%s", s->attributes[i].name, v)
                          : result_strdup(s->attributes[i].name);
        free(v);
    }

    switch (s->op) {
    case TC_OP_READ:
        spec.method = COAP_REQUEST_CODE_GET;
        break;
    case TC_OP_DISCOVER:
        spec.method = COAP_REQUEST_CODE_GET;
        spec.accept = CF_LINK_FORMAT;
        break;
    case TC_OP_OBSERVE:
        spec.method = COAP_REQUEST_CODE_GET;
        spec.observe = 0;
        observe = true;
        break;
    case TC_OP_CANCEL_OBSERVE: {
        step_observation *ob = steps_find_observation(sc, s);
        spec.method = COAP_REQUEST_CODE_GET;
        spec.observe = 1;
        spec.reuse_token_of = ob && !ob->cancelled ? ob->exchange_id : 0;
        /* the observation stays, cancelled: what the device still sends is counted */
        if (ob)
            ob->cancelled = true;
        break;
    }
    case TC_OP_DELETE:
        spec.method = COAP_REQUEST_CODE_DELETE;
        break;
    case TC_OP_EXECUTE:
        spec.method = COAP_REQUEST_CODE_POST;
        if (s->argument_count) {
            payload = execargs_format(s->arguments, s->argument_count, &payload_len);
            if (!payload) {
                lc_error_set(&err, LC_ENOMEM, "out of memory");
                goto tool_error;
            }
            spec.payload = payload;
            spec.payload_len = payload_len;
            spec.content_format = CF_TEXT;
        } else if (s->payload) {
            spec.payload = (const uint8_t *)s->payload;
            spec.payload_len = strlen(s->payload);
            spec.content_format = CF_TEXT;
        }
        break;
    case TC_OP_WRITE_ATTRIBUTES:
        spec.method = COAP_REQUEST_CODE_PUT;
        break;
    case TC_OP_WRITE:
    case TC_OP_WRITE_PARTIAL:
    case TC_OP_CREATE: {
        spec.method = s->op == TC_OP_WRITE ? COAP_REQUEST_CODE_PUT : COAP_REQUEST_CODE_POST;
        lwm2m_path base;
        if (lwm2m_path_parse(spec.path, &base) < 0) {
            lc_error_set(&err, LC_EINVAL, "bad path %s", spec.path);
            goto tool_error;
        }
        lwm2m_records recs;
        records_init(&recs);
        int cf = s->content_format;
        if (cf < 0)
            cf = (base.depth >= 3 && s->value_count == 1) ? CF_TEXT : CF_TLV;
        bool raw = s->payload && s->value_count == 0;
        if (!raw && (stepvalues_records(s, &venv, &recs, &err) < 0 ||
                     content_encode(cf, &base, &recs, &payload, &payload_len, &err) < 0)) {
            records_free(&recs);
            goto tool_error;
        }
        records_free(&recs);
        if (raw) { /* sent as written, its ${variables} expanded */
            char *text = NULL;
            if (tc_vars_expand_env(s->payload, &venv, &text, &err) < 0)
                goto tool_error;
            payload = (uint8_t *)text;
            payload_len = strlen(text);
        }
        spec.payload = payload;
        spec.payload_len = payload_len;
        spec.content_format = cf;
        break;
    }
    default:
        lc_error_set(&err, LC_EINVAL, "operation %s is not a request to the device", tc_op_name(s->op));
        goto tool_error;
    }
    spec.queries = (const char *const *)queries;
    spec.query_count = nq;
    steps_send_and_await(sc, o, &spec, observe);
    for (size_t i = 0; i < nq; i++)
        free(queries[i]);
    free(payload);
    free(xpath);
    return;

tool_error:
    for (size_t i = 0; i < nq; i++)
        free(queries[i]);
    free(payload);
    free(xpath);
    o->status = OUTCOME_TOOL_ERROR;
    snprintf(o->detail, sizeof o->detail, "step %d cannot be sent: %s", s->number, err.msg);
}

static void expect_register(step_context *sc, step_outcome *o)
{
    expect_device_message(sc, o, NET_EV_REGISTER);
}

static void expect_update(step_context *sc, step_outcome *o)
{
    expect_device_message(sc, o, NET_EV_UPDATE);
}

static void expect_deregister(step_context *sc, step_outcome *o)
{
    expect_device_message(sc, o, NET_EV_DEREGISTER);
}

static void bootstrap_step(step_context *sc, step_outcome *o)
{
    if (!sc->bs) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "%s needs the bootstrap server: run with --bootstrap",
                 tc_op_name(o->step->op));
        return;
    }
    const tc_step *s = o->step;
    uint64_t deadline = steps_deadline(sc, s), not_before = 0;
    if (s->op == TC_OP_EXPECT_BOOTSTRAP_REQUEST || s->op == TC_OP_EXPECT_BOOTSTRAP_PACK_REQUEST) {
        /* only what came after the step it names (int-5: the Bootstrap-Request its Trigger
         * provoked, not one from before) */
        if (s->after_step)
            not_before = steps_provoked_at(sc, s->after_step);
        /* a device reset to its factory bootstrap state for this case may hold off before
         * it bootstraps (Client Hold Off Time /0/x/11), and a slow one takes its time to
         * start: its first request gets --reboot-timeout, unless the step has its own */
        bool own = s->timeout_ms > 0 || s->timeout_var;
        if (!own && !s->after_step && sc->c && sc->c->device_reset) {
            uint64_t r = sc->reboot_timeout_ms ? sc->reboot_timeout_ms : STEPS_REBOOT_TIMEOUT_MS;
            uint64_t from = sc->d->life_started_at ? sc->d->life_started_at : mono_ms();
            if (from + r > deadline)
                deadline = from + r;
            bootstrap_execute_step(sc->bs, s, deadline, not_before, o);
            if (o->status == OUTCOME_TIMEOUT)
                steps_append_detail(o, " of the device's reset for this case (--reboot-timeout, "
                                    "or the step timeout when longer: a device may hold off "
                                    "before it bootstraps)");
            return;
        }
    }
    bootstrap_execute_step(sc->bs, s, deadline, not_before, o);
}

/* What each operation does; a new operation is a new file with its executor, named here. */
typedef void (*step_fn)(step_context *sc, step_outcome *o);
static const step_fn executors[TC_OP__COUNT] = {
    [TC_OP_EXPECT_REGISTER] = expect_register,
    [TC_OP_EXPECT_UPDATE] = expect_update,
    [TC_OP_EXPECT_DEREGISTER] = expect_deregister,
    [TC_OP_EXPECT_NOTIFICATION] = expect_notification,
    [TC_OP_RESET_NOTIFICATION] = reset_notification,
    [TC_OP_WAIT] = wait_step,
    [TC_OP_EXPECT_REGISTERED] = step_expect_registered,
    [TC_OP_READ_COMPOSITE] = step_composite_request,
    [TC_OP_WRITE_COMPOSITE] = step_composite_request,
    [TC_OP_OBSERVE_COMPOSITE] = step_composite_request,
    [TC_OP_CANCEL_OBSERVE_COMPOSITE] = step_composite_request,
    [TC_OP_EXPECT_SEND] = step_expect_send,
    [TC_OP_TRIGGER_SEND] = step_trigger_send,
    [TC_OP_READ] = device_request,
    [TC_OP_WRITE] = device_request,
    [TC_OP_WRITE_PARTIAL] = device_request,
    [TC_OP_EXECUTE] = device_request,
    [TC_OP_CREATE] = device_request,
    [TC_OP_DELETE] = device_request,
    [TC_OP_DISCOVER] = device_request,
    [TC_OP_WRITE_ATTRIBUTES] = device_request,
    [TC_OP_OBSERVE] = device_request,
    [TC_OP_CANCEL_OBSERVE] = device_request,
    [TC_OP_EXPECT_BOOTSTRAP_REQUEST] = bootstrap_step,
    [TC_OP_BOOTSTRAP_DELETE] = bootstrap_step,
    [TC_OP_BOOTSTRAP_WRITE] = bootstrap_step,
    [TC_OP_BOOTSTRAP_DISCOVER] = bootstrap_step,
    [TC_OP_BOOTSTRAP_READ] = bootstrap_step,
    [TC_OP_BOOTSTRAP_FINISH] = bootstrap_step,
    [TC_OP_BOOTSTRAP_PROVISION] = bootstrap_step,
    [TC_OP_EXPECT_BOOTSTRAP_PACK_REQUEST] = bootstrap_step,
    [TC_OP_FORGET_REGISTRATION] = step_forget_registration,
    [TC_OP_EXPECT_DISCARDED_UPDATE] = step_expect_discarded_update,
    [TC_OP_FIRMWARE_RESET] = step_firmware_reset,
    [TC_OP_FIRMWARE_DELIVER] = step_firmware_deliver,
    [TC_OP_FIRMWARE_WAIT] = step_firmware_wait,
};

void steps_execute(step_context *sc, step_outcome *o)
{
    const tc_step *s = o->step;
    if (sc->started_count < STEPS_MAX_STARTS) {
        sc->started[sc->started_count].number = s->number;
        sc->started[sc->started_count].op = (int)s->op;
        sc->started[sc->started_count++].at = mono_ms();
    }
    o->registered_after = -1;
    o->sent_at = o->answered_at = 0;
    sc->current_step = s->number;
    lc_error err = {0};
    sc->var_timeout_ms = sc->var_duration_ms = -1;
    if ((s->timeout_var && var_seconds(sc, s->timeout_var, &sc->var_timeout_ms, &err) < 0) ||
        (s->duration_var && var_seconds(sc, s->duration_var, &sc->var_duration_ms, &err) < 0)) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "step %d: %s", s->number, err.msg);
        return;
    }
    step_fn fn = (int)s->op >= 0 && s->op < TC_OP__COUNT ? executors[s->op] : NULL;
    if (!fn) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "operation %s has no executor", tc_op_name(s->op));
        return;
    }
    size_t k = sc->started_count;
    fn(sc, o);
    if (k > 0 && sc->started[k - 1].number == s->number) {
        sc->started[k - 1].provoked = o->sent_at ? o->sent_at : o->answered_at;
        sc->started[k - 1].answered = o->answered_at ? o->answered_at : mono_ms();
    }
    if (s->server > 0 && o->status != OUTCOME_NOT_RUN && o->status != OUTCOME_TOOL_ERROR)
        o->registered_after = registry_active(sc->d->reg, s->server) != NULL;
}
