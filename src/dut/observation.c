#include "dut/observation.h"

#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "report/result.h"

void obs_notes_free(obs_notes *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->count; i++)
        free(n->items[i].payload);
    free(n->items);
    n->items = NULL;
    n->count = n->dropped = 0;
}

bool obs_notes_add(obs_notes *n, const net_event *ev)
{
    if (n->count == OBS_MAX_NOTES) {
        n->dropped++;
        return true;
    }
    if (n->count % 8 == 0) {
        obs_note *items = realloc(n->items, (n->count + 8) * sizeof *items);
        if (!items)
            return false;
        n->items = items;
    }
    obs_note *o = &n->items[n->count];
    memset(o, 0, sizeof *o);
    o->at_ms = ev->at_ms;
    o->code = ev->msg.code;
    o->content_format = ev->msg.content_format;
    o->answered_rst = ev->detail[0] != '\0';
    o->mid = ev->msg.type == COAP_MESSAGE_CON ? ev->msg.mid : -1;
    size_t len = ev->msg.payload_len < OBS_MAX_PAYLOAD ? ev->msg.payload_len : OBS_MAX_PAYLOAD;
    if (len && (o->payload = malloc(len)) != NULL) {
        memcpy(o->payload, ev->msg.payload, len);
        o->payload_len = len;
    }
    n->count++;
    return true;
}

static bool repeats(const obs_notes *out, const net_event *ev)
{
    if (ev->msg.type != COAP_MESSAGE_CON)
        return false;
    for (size_t i = 0; i < out->count; i++)
        if (out->items[i].mid == (int)ev->msg.mid)
            return true;
    return false;
}

int obs_collect(net_ctx *n, uint64_t exchange_id, uint64_t deadline, uint64_t not_before,
                obs_notes *out, uint64_t *last_ms)
{
    for (;;) {
        net_event *ev = NULL;
        int r = net_await_notification(n, exchange_id, deadline, &ev);
        if (r == LC_ETIMEDOUT)
            return 0;
        if (r < 0)
            return r;
        bool early = not_before && ev->at_ms <= not_before; /* the same ms: before it too */
        if (early || repeats(out, ev)) {
            if (early)
                out->before++;
            else
                out->repeated++;
            *last_ms = ev->at_ms;
            net_event_free(ev);
            continue;
        }
        bool ok = obs_notes_add(out, ev);
        *last_ms = ev->at_ms;
        net_event_free(ev);
        if (!ok)
            return LC_ENOMEM;
    }
}

static double secs(uint64_t from, uint64_t to)
{
    return to >= from ? (double)(to - from) / 1000.0 : 0.0;
}

bool obs_judge_timing(const obs_notes *n, const obs_timing *t, char **expected, char **observed)
{
    strbuf exp = {0}, obs = {0}, bad = {0};
    size_t total = n->count + n->dropped;
    if (t->min_count >= 0 && t->max_count >= 0)
        strbuf_appendf(&exp, "%ld to %ld notifications", t->min_count, t->max_count);
    else if (t->min_count >= 0)
        strbuf_appendf(&exp, "at least %ld notification%s", t->min_count,
                       t->min_count == 1 ? "" : "s");
    else if (t->max_count == 0)
        strbuf_appendf(&exp, "no notification");
    else if (t->max_count >= 0)
        strbuf_appendf(&exp, "at most %ld notification%s", t->max_count,
                       t->max_count == 1 ? "" : "s");
    if (t->min_count >= 0 || t->max_count >= 0)
        strbuf_appendf(&exp, " in %.1f s", (double)n->window_ms / 1000.0);
    bool spacing = t->pmin_s >= 0 || t->pmax_s >= 0;
    if (spacing)
        strbuf_appendf(&exp, "%sone every %.1f s to %.1f s (pmin %g s, pmax %g s, tolerance %g s, "
                       "on the tool's clock)", exp.len ? "; " : "",
                       t->pmin_s >= 0 ? t->pmin_s - t->tolerance_s : 0.0,
                       t->pmax_s >= 0 ? t->pmax_s + t->tolerance_s : 0.0,
                       t->pmin_s >= 0 ? t->pmin_s : 0.0, t->pmax_s >= 0 ? t->pmax_s : 0.0,
                       t->tolerance_s);

    strbuf_appendf(&obs, "%zu notification%s in %.1f s", total, total == 1 ? "" : "s",
                   (double)n->window_ms / 1000.0);
    if (n->count) {
        strbuf_appendf(&obs, ", gaps");
        uint64_t prev = n->since_ms;
        for (size_t i = 0; i < n->count; i++) {
            strbuf_appendf(&obs, "%s %.2f s", i ? "," : "", secs(prev, n->items[i].at_ms));
            prev = n->items[i].at_ms;
        }
    }
    size_t rst = 0;
    for (size_t i = 0; i < n->count; i++)
        rst += n->items[i].answered_rst;
    if (rst)
        strbuf_appendf(&obs, " (%zu after the observation was cancelled)", rst);

    if (t->min_count >= 0 && (long)total < t->min_count)
        strbuf_appendf(&bad, "%sfewer than %ld", bad.len ? "; " : "", t->min_count);
    if (t->max_count >= 0 && (long)total > t->max_count)
        strbuf_appendf(&bad, "%smore than %ld", bad.len ? "; " : "", t->max_count);
    if (spacing) {
        uint64_t prev = n->since_ms;
        double lo = t->pmin_s >= 0 ? t->pmin_s - t->tolerance_s : -1;
        double hi = t->pmax_s >= 0 ? t->pmax_s + t->tolerance_s : -1;
        size_t early = 0, late = 0, first_early = 0, first_late = 0;
        double g_early = 0, g_late = 0;
        for (size_t i = 0; i < n->count; i++) {
            double g = secs(prev, n->items[i].at_ms);
            if (lo >= 0 && g < lo && early++ == 0) {
                first_early = i + 1;
                g_early = g;
            }
            if (hi >= 0 && g > hi && late++ == 0) {
                first_late = i + 1;
                g_late = g;
            }
            prev = n->items[i].at_ms;
        }
        if (early)
            strbuf_appendf(&bad, "%s%zu too early for pmin (the first: notification %zu, %.2f s "
                           "after the one before)", bad.len ? "; " : "", early, first_early, g_early);
        if (late)
            strbuf_appendf(&bad, "%s%zu too late for pmax (the first: notification %zu, %.2f s "
                           "after the one before)", bad.len ? "; " : "", late, first_late, g_late);
        if (hi >= 0 && secs(prev, n->until_ms) > hi)
            strbuf_appendf(&bad, "%snothing in the last %.2f s of the window: a notification "
                           "pmax asked for did not come", bad.len ? "; " : "", secs(prev, n->until_ms));
    }
    bool ok = bad.len == 0;
    if (!ok)
        strbuf_appendf(&obs, "\n(%s)", bad.s);
    strbuf_free(&bad);
    *expected = strbuf_take(&exp);
    *observed = strbuf_take(&obs);
    return ok;
}
