/* Queue mode: holding a request for a sleeping device (see step_queue.h). */
#include "run/step_queue.h"

#include <stdio.h>
#include <string.h>

#include "net/endpoint.h"
#include "common/mono.h"

static bool in_queue_mode(const registration *reg)
{
    return reg->query.queue_mode ||
           (reg->query.has_binding && strchr(reg->query.binding, 'Q') != NULL);
}

static uint64_t heard_at(const step_context *sc, int ssid, const registration *reg)
{
    uint64_t t = reg->registered_at > reg->updated_at ? reg->registered_at : reg->updated_at;
    if (ssid > 0 && ssid <= STEPS_MAX_QUEUE_SERVERS && sc->d->queue_heard[ssid - 1] > t)
        t = sc->d->queue_heard[ssid - 1];
    return t;
}

void step_queue_heard(step_context *sc, int ssid, uint64_t at)
{
    if (ssid > 0 && ssid <= STEPS_MAX_QUEUE_SERVERS && at > sc->d->queue_heard[ssid - 1])
        sc->d->queue_heard[ssid - 1] = at;
}

/* The registration of ssid refreshed (Update) or replaced (Register) after since. */
static const registration *woken(const step_context *sc, int ssid, uint64_t since)
{
    const registration *r = registry_active(sc->d->reg, ssid);
    if (r && (r->registered_at > since || r->updated_at > since))
        return r;
    return NULL;
}

/* A step whose criterion says its request must be held (int-109 C) is meant for a sleeping
 * device: the tool lets an awake one fall asleep first. */
static bool meant_for_sleep(const step_context *sc)
{
    const tc_case *c = sc->c;
    for (size_t i = 0; c && i < c->criterion_count; i++) {
        if (c->criteria[i].step != sc->current_step)
            continue;
        for (size_t k = 0; k < c->criteria[i].check_count; k++)
            if (c->criteria[i].checks[k].kind == TC_CHECK_QUEUED)
                return true;
    }
    return false;
}

/* How long a held request may wait for the device to wake: its lifetime and the step
 * timeout, no longer than --max-wait (capped says whether that cut it). */
static uint64_t hold_ms(const step_context *sc, const registration *reg, bool *capped)
{
    int64_t lt = reg->query.has_lifetime ? reg->query.lifetime : 86400;
    uint64_t hold = (uint64_t)(lt > 0 ? lt : 0) * 1000u + sc->default_timeout_ms;
    *capped = sc->queue_hold_max_ms && hold > sc->queue_hold_max_ms;
    return *capped ? sc->queue_hold_max_ms : hold;
}

/* Waits until the device has been silent for mtw (it sleeps), bounded by until. Returns
 * 0 when it sleeps, 1 when it never was quiet that long, -1 interrupted (o filled). */
static int await_sleep(step_context *sc, int ssid, uint64_t mtw, uint64_t until, step_outcome *o)
{
    for (;;) {
        const registration *r = registry_active(sc->d->reg, ssid);
        if (!r)
            return 1;
        uint64_t now = mono_ms(), last = heard_at(sc, ssid, r);
        if (now - last >= mtw)
            return 0;
        if (now >= until)
            return 1;
        uint64_t next = last + mtw < until ? last + mtw : until;
        if (steps_poll(sc, next) < 0 || net_interrupted(sc->d->net) || net_abort_reason(sc->d->net)) {
            o->status = net_interrupted(sc->d->net) ? OUTCOME_NOT_RUN : OUTCOME_TOOL_ERROR;
            snprintf(o->detail, sizeof o->detail, "%s",
                     net_interrupted(sc->d->net) ? "interrupted"
                     : net_abort_reason(sc->d->net) ? net_abort_reason(sc->d->net)
                                                    : "waiting for the device to sleep failed");
            return -1;
        }
    }
}

int step_queue_hold(step_context *sc, int ssid, const registration **reg, uint64_t *deadline,
                    step_outcome *o)
{
    uint64_t mtw = sc->max_transmit_wait_ms ? sc->max_transmit_wait_ms
                                            : STEP_QUEUE_MAX_TRANSMIT_WAIT_MS;
    if (!in_queue_mode(*reg)) {
        snprintf(o->queue_note, sizeof o->queue_note,
                 "the registration is not in queue mode (no Q parameter, no Q in its binding): "
                 "the request went at once");
        return 0;
    }
    uint64_t now = mono_ms(), last = heard_at(sc, ssid, *reg);
    bool capped = false;
    if (now - last < mtw && meant_for_sleep(sc)) {
        /* heard within MAX_TRANSMIT_WAIT: not asleep yet; the step is meant for a sleeping
         * device, so wait until it has been quiet that long (it Updated late, or answered) */
        uint64_t began = now;
        int r = await_sleep(sc, ssid, mtw, now + hold_ms(sc, *reg, &capped), o);
        if (r < 0)
            return -1;
        const registration *cur = registry_active(sc->d->reg, ssid);
        if (cur)
            *reg = cur;
        now = mono_ms();
        last = cur ? heard_at(sc, ssid, cur) : last;
        if (r == 1) {
            o->queue_never_quiet = true;
            snprintf(o->queue_note, sizeof o->queue_note,
                     "never quiet for MAX_TRANSMIT_WAIT (%.1f s) in %.0f s (last heard %.1f s "
                     "before): the device did not sleep, the request went at once",
                     (double)mtw / 1000.0, (double)(now - began) / 1000.0,
                     (double)(now - last) / 1000.0);
            *deadline = now + sc->default_timeout_ms;
            return 0;
        }
        *deadline = now + sc->default_timeout_ms;
    }
    if (now - last < mtw) {
        snprintf(o->queue_note, sizeof o->queue_note,
                 "awake: last heard %.1f s before, within MAX_TRANSMIT_WAIT (%.1f s): the "
                 "request went at once", (double)(now - last) / 1000.0, (double)mtw / 1000.0);
        return 0;
    }
    o->queued_at = now;
    uint64_t hold = hold_ms(sc, *reg, &capped);
    uint64_t until = now + hold;
    const registration *r = NULL;
    while (!(r = woken(sc, ssid, now)) && mono_ms() < until) {
        if (steps_poll(sc, until) < 0)
            break;
        if (net_interrupted(sc->d->net) || net_abort_reason(sc->d->net))
            break;
    }
    if (!r) {
        if (net_interrupted(sc->d->net) || net_abort_reason(sc->d->net)) {
            o->status = net_interrupted(sc->d->net) ? OUTCOME_NOT_RUN : OUTCOME_TOOL_ERROR;
            snprintf(o->detail, sizeof o->detail, "%s",
                     net_interrupted(sc->d->net) ? "interrupted" : net_abort_reason(sc->d->net));
            return -1;
        }
        o->status = OUTCOME_TIMEOUT;
        o->elapsed_ms = mono_ms() - now;
        snprintf(o->queue_note, sizeof o->queue_note,
                 "asleep (last heard %.1f s before, MAX_TRANSMIT_WAIT %.1f s): held, but no "
                 "Update or Register came within %s (%.0f s)", (double)(now - last) / 1000.0,
                 (double)mtw / 1000.0,
                 capped ? "--max-wait, shorter than its lifetime" : "its lifetime and the step timeout",
                 (double)hold / 1000.0);
        snprintf(o->detail, sizeof o->detail, "the request was held for the sleeping device "
                 "(queue mode) and never sent: %s", o->queue_note);
        return -1;
    }
    o->queue_woke_at = r->registered_at > now ? r->registered_at : r->updated_at;
    snprintf(o->queue_note, sizeof o->queue_note,
             "asleep (last heard %.1f s before, MAX_TRANSMIT_WAIT %.1f s): held %.1f s, sent "
             "after its %s", (double)(now - last) / 1000.0, (double)mtw / 1000.0,
             (double)(o->queue_woke_at - now) / 1000.0,
             r->registered_at > now ? "Register" : "Update");
    *reg = r;
    *deadline = mono_ms() + sc->default_timeout_ms;
    return 0;
}
