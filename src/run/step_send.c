#include "run/step_send.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mono.h"
#include "net/message.h"

struct send_arg {
    int ssid;
    uint64_t not_before;
};

static bool match_send(const net_event *ev, void *arg)
{
    const struct send_arg *a = arg;
    return ev->kind == NET_EV_SEND && ev->short_server_id == a->ssid && ev->at_ms >= a->not_before;
}

void step_expect_send(step_context *sc, step_outcome *o)
{
    const tc_step *s = o->step;
    uint64_t t0 = mono_ms(), deadline = steps_deadline(sc, s);
    if (sc->send_untriggered && sc->send_gave_up) {
        /* an earlier wait of this case showed the device sends nothing on its own */
        o->status = OUTCOME_NOT_RUN;
        snprintf(o->detail, sizeof o->detail, "not waited for: the device sent nothing on its "
                 "own in an earlier step, and the run has no way to make it Send (--send-cmd)");
        return;
    }
    /* the case's first step began at started[0]; the provoking step, when named */
    uint64_t since = s->after_step ? steps_started_at(sc, s->after_step)
                     : sc->started_count ? sc->started[0].at : t0;
    struct send_arg a = {s->server, since};
    net_event *ev = NULL;
    int r = net_wait(sc->d->net, match_send, &a, deadline, &ev);
    o->elapsed_ms = mono_ms() - t0;
    if (steps_wait_cut_short(sc, r, "a Send", o))
        return;
    if (r < 0 && sc->send_untriggered && !sc->send_seen) {
        /* the device may well Send when told to: the run had no way to tell it, and it
         * sent none on its own; that is the set-up's gap, not the device's failure */
        o->status = OUTCOME_TOOL_ERROR;
        sc->send_gave_up = true;
        snprintf(o->detail, sizeof o->detail, "no Send (POST /dp) on server %d within %.1f s, and "
                 "the run has no way to make the device Send: give --send-cmd (a command that "
                 "makes it Send), or configure the device to Send periodically",
                 s->server, (double)(deadline - t0) / 1000.0);
        return;
    }
    if (r < 0) {
        o->status = OUTCOME_TIMEOUT;
        snprintf(o->detail, sizeof o->detail, "no Send (POST /dp) on server %d within %.1f s%s",
                 s->server, (double)(deadline - t0) / 1000.0,
                 s->after_step ? " of the step it waits after" : "");
        if (s->after_step)
            steps_append_detail(o, " (step %d)", s->after_step);
        steps_explain_handshakes(sc, s->server, o);
        return;
    }
    o->status = OUTCOME_OK;
    sc->send_seen = true;
    o->has_request = true;
    snprintf(o->cipher_suite, sizeof o->cipher_suite, "%s", ev->cipher_suite);
    snprintf(o->psk_identity, sizeof o->psk_identity, "%s", ev->psk_identity);
    o->has_response = true;
    if (net_message_copy(&o->response, &ev->msg) < 0) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "out of memory");
        net_event_free(ev);
        return;
    }
    o->response.code = COAP_RESPONSE_CODE(204); /* the tool's answer, as the device saw it */
    o->response.type = COAP_MESSAGE_ACK;
    o->response.accept = o->response.observe = -1;
    o->request = ev->msg;
    memset(&ev->msg, 0, sizeof ev->msg);
    snprintf(o->detail, sizeof o->detail, "%s, %.1f s after %s began", ev->detail,
             (double)(ev->at_ms - since) / 1000.0, s->after_step ? "the step it waits after" : "the case");
    net_event_free(ev);
}

void step_trigger_send(step_context *sc, step_outcome *o)
{
    char how[512] = "no way to make the device Send (--send-cmd): waiting for its own";
    lc_error err = {0};
    uint64_t t0 = mono_ms();
    int r = sc->trigger_send ? sc->trigger_send(sc->trigger_arg, sc->c ? sc->c->short_id : "",
                                                 how, sizeof how, &err)
                             : LC_ENOTFOUND;
    o->elapsed_ms = mono_ms() - t0;
    sc->send_untriggered = r == LC_ENOTFOUND;
    if (r == 0 || r == LC_ENOTFOUND) {
        o->status = OUTCOME_OK;
        snprintf(o->detail, sizeof o->detail, "%s", how);
        return;
    }
    o->status = OUTCOME_TOOL_ERROR;
    snprintf(o->detail, sizeof o->detail, "%s failed: %s", how, err.msg);
}
