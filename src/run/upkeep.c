#include "run/upkeep.h"

#include <stdio.h>
#include <string.h>

#include "common/mono.h"
#include "run/steps.h"

bool upkeep_case_reboots(const tc_case *c)
{
    for (size_t i = 0; i < c->step_count; i++)
        if (steps_is_reboot(&c->steps[i]))
            return true;
    return false;
}

bool upkeep_expects_own_register(const tc_case *c)
{
    for (size_t i = 0; i < c->step_count; i++)
        if (c->steps[i].op == TC_OP_EXPECT_REGISTER && !c->steps[i].after_step)
            return true;
    return false;
}

/* The i-th distinct server (Short Server ID > 0) the case's non-bootstrap steps talk to;
 * 0 past the last. */
static int case_server(const tc_case *c, size_t i)
{
    size_t seen = 0;
    for (size_t k = 0; k < c->step_count; k++) {
        int s = c->steps[k].server;
        if (s <= 0 || tc_op_is_bootstrap(c->steps[k].op))
            continue;
        bool earlier = false;
        for (size_t j = 0; j < k && !earlier; j++)
            earlier = c->steps[j].server == s && !tc_op_is_bootstrap(c->steps[j].op);
        if (!earlier && seen++ == i)
            return s;
    }
    return 0;
}

static bool match_nothing(const net_event *ev, void *arg)
{
    (void)ev;
    (void)arg;
    return false;
}

static int ping(dut *d, const registration *reg, uint64_t timeout_ms, char *why, size_t cap)
{
    uint64_t id = 0, t0 = mono_ms();
    lc_error err = {0};
    if (net_ping(d->net, reg->session, reg->endpoint, &id, &err) < 0) {
        snprintf(why, cap, "%s", err.msg);
        return LC_ETIMEDOUT;
    }
    net_event *ev = NULL;
    int r = net_await_response(d->net, id, t0 + timeout_ms, &ev);
    bool there = (r == LC_ENACK && ev && ev->rst) || r == 0;
    if (r == LC_EINTR || (r == LC_EIO && net_abort_reason(d->net))) {
        net_event_free(ev);
        return r;
    }
    if (!there && r == LC_ENACK && ev)
        snprintf(why, cap, "no answer to a CoAP ping on server %d (registration rd/%s from %s): "
                 "%s", reg->short_server_id, reg->id, reg->peer, ev->detail);
    else if (!there)
        snprintf(why, cap, "no answer to a CoAP ping on server %d (registration rd/%s from %s) "
                 "within %.1f s", reg->short_server_id, reg->id, reg->peer,
                 (double)timeout_ms / 1000.0);
    net_event_free(ev);
    return there ? 0 : LC_ETIMEDOUT;
}

int upkeep_probe(dut *d, const tc_case *c, uint64_t timeout_ms, int *ssid, char *why,
                 size_t cap)
{
    if (cap)
        why[0] = '\0';
    for (size_t i = 0; case_server(c, i) > 0; i++) {
        int s = case_server(c, i);
        const registration *reg = registry_active(d->reg, s);
        *ssid = s;
        if (!reg) {
            /* a case that waits for the device's Register only needs it to come */
            if (upkeep_expects_own_register(c))
                continue;
            snprintf(why, cap, "the device is not registered with server %d", s);
            return LC_ENOTFOUND;
        }
        int r = ping(d, reg, timeout_ms, why, cap);
        if (r < 0)
            return r;
    }
    return 0;
}

int upkeep_await_registered(dut *d, bootstrap_server *bs, const tc_case *c, bool own_registers,
                            uint64_t deadline, uint64_t op_timeout_ms, const char *during,
                            int *ssid)
{
    if (!own_registers && upkeep_expects_own_register(c))
        return 0;
    for (size_t i = 0; case_server(c, i) > 0; i++) {
        int s = case_server(c, i);
        while (!registry_active(d->reg, s)) {
            if (bs && bootstrap_request_pending(bs)) {
                lc_error err = {0};
                int r = bootstrap_serve_unplanned(bs, during, op_timeout_ms, &err);
                if (r == LC_EINTR)
                    return r;
                continue;
            }
            net_event *ev = NULL;
            uint64_t now = mono_ms();
            uint64_t until = now + 200 < deadline ? now + 200 : deadline;
            int r = net_wait(d->net, match_nothing, NULL, until, &ev);
            net_event_free(ev);
            if (r == LC_ETIMEDOUT && mono_ms() < deadline)
                continue;
            *ssid = s;
            return r;
        }
    }
    return 0;
}
