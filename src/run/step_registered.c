#include "run/step_registered.h"

#include <stdio.h>
#include <string.h>

#include "common/mono.h"

void step_expect_registered(step_context *sc, step_outcome *o)
{
    const tc_step *s = o->step;
    uint64_t t0 = mono_ms();
    const registration *reg = registry_active(sc->d->reg, s->server);
    if (!reg) {
        o->status = OUTCOME_DEVICE_ERROR;
        snprintf(o->detail, sizeof o->detail,
                 "the device is not registered with server %d when the step starts", s->server);
        return;
    }
    char id[sizeof reg->id];
    snprintf(id, sizeof id, "%s", reg->id);
    int64_t lt = reg->query.has_lifetime ? reg->query.lifetime : 86400;
    /* the registration must outlive the window on the tool's clock: the case's own window
     * (int-104 E: the initial lifetime, which the registration outlives when the Update of
     * step 2 refreshed it, without another Update), else one lifetime plus the tolerance */
    uint64_t window = steps_window_ms(sc, s);
    if (window == 0)
        window = (uint64_t)(lt > 0 ? lt : 0) * 1000u + sc->expiry_tolerance_ms;
    uint64_t deadline = t0 + window;
    unsigned updates = 0;
    uint64_t last_refresh = reg->updated_at;
    for (;;) {
        uint64_t now = mono_ms();
        const registration *cur = registry_active(sc->d->reg, s->server);
        if (!cur || strcmp(cur->id, id) != 0) {
            o->status = OUTCOME_DEVICE_ERROR;
            snprintf(o->detail, sizeof o->detail, "%s (rd/%s) %.1f s into the %.1f s window",
                     cur ? "a new Register replaced the registration" : "the device de-registered",
                     id, (double)(now - t0) / 1000.0, (double)window / 1000.0);
            break;
        }
        if (cur->updated_at != last_refresh) {
            last_refresh = cur->updated_at;
            updates++;
        }
        uint64_t expiry = steps_registration_expiry(sc, cur);
        if (now >= expiry) {
            int64_t clt = cur->query.has_lifetime ? cur->query.lifetime : 86400;
            o->status = OUTCOME_DEVICE_ERROR;
            snprintf(o->detail, sizeof o->detail,
                     "the registration expired on the tool's clock %.1f s into the %.1f s "
                     "window: no Update within its lifetime of %lld s (+%u ms)",
                     (double)(now - t0) / 1000.0, (double)window / 1000.0, (long long)clt,
                     sc->expiry_tolerance_ms);
            break;
        }
        if (now >= deadline) {
            o->status = OUTCOME_OK;
            snprintf(o->detail, sizeof o->detail,
                     "registered throughout %.1f s (lifetime %lld s at the start; %u Update%s)",
                     (double)window / 1000.0, (long long)lt, updates, updates == 1 ? "" : "s");
            break;
        }
        int r = steps_poll(sc, expiry < deadline ? expiry : deadline);
        if (r == LC_EINTR) {
            o->status = OUTCOME_NOT_RUN;
            snprintf(o->detail, sizeof o->detail, "interrupted while watching the registration");
            break;
        }
        if (r < 0) {
            o->status = OUTCOME_TOOL_ERROR;
            snprintf(o->detail, sizeof o->detail, "%s",
                     net_abort_reason(sc->d->net) ? net_abort_reason(sc->d->net) : "network error");
            break;
        }
    }
    o->elapsed_ms = mono_ms() - t0;
}
