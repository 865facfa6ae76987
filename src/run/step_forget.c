#include "run/step_forget.h"

#include <stdio.h>
#include <string.h>

#include "common/mono.h"

void step_forget_registration(step_context *sc, step_outcome *o)
{
    const tc_step *s = o->step;
    char id[sizeof sc->forgotten];
    const registration *reg = registry_active(sc->d->reg, s->server);
    uint64_t expiry = reg ? steps_registration_expiry(sc, reg) : 0;
    if (registry_forget(sc->d->reg, s->server, id, sizeof id) < 0) {
        o->status = OUTCOME_DEVICE_ERROR;
        snprintf(o->detail, sizeof o->detail, "the device is not registered with server %d when "
                 "the step starts: there is no registration to drop", s->server);
        return;
    }
    snprintf(sc->forgotten, sizeof sc->forgotten, "%s", id);
    sc->forgotten_server = s->server;
    sc->forgotten_expiry = expiry;
    o->status = OUTCOME_OK;
    snprintf(o->detail, sizeof o->detail, "the tool dropped registration /rd/%s on its side; "
             "the device was not told", id);
}

struct discarded_arg {
    int ssid;
    char path[40];
};

static bool match_discarded(const net_event *ev, void *arg)
{
    const struct discarded_arg *a = arg;
    return ev->short_server_id == a->ssid && ev->kind == NET_EV_PROTOCOL_ERROR &&
           ev->msg.code == COAP_REQUEST_CODE_POST && strcmp(ev->msg.path, a->path) == 0;
}

void step_expect_discarded_update(step_context *sc, step_outcome *o)
{
    const tc_step *s = o->step;
    if (!sc->forgotten[0] || sc->forgotten_server != s->server) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "no forget-registration on server %d before this "
                 "step: the case names no dropped registration", s->server);
        return;
    }
    struct discarded_arg a = {s->server, ""};
    snprintf(a.path, sizeof a.path, "/rd/%s", sc->forgotten);
    uint64_t t0 = mono_ms(), deadline = steps_deadline(sc, s);
    /* the Update is due within the registration's lifetime, counted from its last Register
     * or Update (int-105 C), not from this step's start */
    bool by_lifetime = sc->forgotten_expiry && sc->forgotten_expiry < deadline;
    if (by_lifetime)
        deadline = sc->forgotten_expiry > t0 ? sc->forgotten_expiry : t0;
    net_event *ev = NULL;
    int r = net_wait(sc->d->net, match_discarded, &a, deadline, &ev);
    o->elapsed_ms = mono_ms() - t0;
    if (steps_wait_cut_short(sc, r, "an Update", o))
        return;
    if (r < 0) {
        o->status = OUTCOME_TIMEOUT;
        snprintf(o->detail, sizeof o->detail, "no Update of the dropped registration %s on "
                 "server %d within %.1f s%s", a.path, s->server,
                 (double)(deadline - t0) / 1000.0,
                 by_lifetime ? ", when its lifetime (from its last Register or Update, with the "
                               "expiry tolerance) ran out" : "");
        return;
    }
    o->status = OUTCOME_OK;
    o->has_request = true;
    o->answered_at = ev->at_ms; /* what a later step's after_step counts from */
    snprintf(o->cipher_suite, sizeof o->cipher_suite, "%s", ev->cipher_suite);
    snprintf(o->psk_identity, sizeof o->psk_identity, "%s", ev->psk_identity);
    o->request = ev->msg;
    memset(&ev->msg, 0, sizeof ev->msg);
    /* the tool's own reply, as the device saw it */
    o->has_response = true;
    memset(&o->response, 0, sizeof o->response);
    o->response.code = COAP_RESPONSE_CODE(404);
    o->response.content_format = o->response.accept = o->response.observe = -1;
    o->response.type = COAP_MESSAGE_ACK;
    snprintf(o->detail, sizeof o->detail, "%s", ev->detail);
    net_event_free(ev);
}
