#include "tc/case_checks.h"

#include <stdio.h>
#include <string.h>

static bool has_notifications(const tc_criterion *cr)
{
    for (size_t n = 0; n < cr->check_count; n++)
        if (cr->checks[n].kind == TC_CHECK_NOTIFICATIONS)
            return true;
    return false;
}

/* A criterion judges every entry of its steps, except that one with a notifications check
 * judges only their windows (expect-notification with a duration), as the runner does. */
static bool judged(const tc_case *c, const tc_step *st, char *letter)
{
    bool window = st->op == TC_OP_EXPECT_NOTIFICATION && (st->wait_ms > 0 || st->duration_var);
    for (size_t k = 0; k < c->criterion_count; k++)
        if (tc_criterion_judges(&c->criteria[k], st->number) &&
            (window || !has_notifications(&c->criteria[k]))) {
            *letter = c->criteria[k].letter;
            return true;
        }
    return false;
}

/* One observation: the same server and the same path, or (a composite observation,
 * LwM2M 1.1 §5.5.1) the same "paths" in the same order. */
static bool same_observation(const tc_step *a, const tc_step *b)
{
    if (a->server != b->server)
        return false;
    if (a->path || b->path)
        return a->path && b->path && strcmp(a->path, b->path) == 0;
    if (!a->path_count || a->path_count != b->path_count)
        return false;
    for (size_t i = 0; i < a->path_count; i++)
        if (strcmp(a->paths[i], b->paths[i]) != 0)
            return false;
    return true;
}

static bool starts_observation(tc_op op)
{
    return op == TC_OP_OBSERVE || op == TC_OP_OBSERVE_COMPOSITE;
}

static bool ends_observation(tc_op op)
{
    return op == TC_OP_CANCEL_OBSERVE || op == TC_OP_CANCEL_OBSERVE_COMPOSITE;
}

/* What a step observes, for a message: its path or its paths joined with ",". */
static const char *observed(const tc_step *st, char *buf, size_t cap)
{
    if (st->path)
        return st->path;
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < st->path_count && used < cap; i++) {
        int n = snprintf(buf + used, cap - used, "%s%s", i ? "," : "", st->paths[i]);
        if (n > 0)
            used += (size_t)n;
    }
    return buf[0] ? buf : "?";
}

/* The index of the Observe that starts the observation step i waits on; -1 when the case
 * has none before it. */
static long observe_of(const tc_case *c, size_t i)
{
    for (size_t k = i; k-- > 0;)
        if (starts_observation(c->steps[k].op) &&
            same_observation(&c->steps[k], &c->steps[i]))
            return (long)k;
    return -1;
}

/* The least time, in seconds, a window of step i covers for its observation: its own
 * duration, plus the windows and waits played since the observation's Observe or its
 * previous window (those notifications count from the previous one, RFC 7641 ordering
 * kept by the tool). -1 when a duration is a variable (only known when the case runs). */
static double window_floor(const tc_case *c, size_t i)
{
    const tc_step *w = &c->steps[i];
    if (w->duration_var || w->wait_ms <= 0)
        return -1;
    double s = (double)w->wait_ms / 1000.0;
    for (size_t k = i; k-- > 0;) {
        const tc_step *p = &c->steps[k];
        if ((starts_observation(p->op) || p->op == TC_OP_EXPECT_NOTIFICATION ||
             p->op == TC_OP_RESET_NOTIFICATION || ends_observation(p->op)) &&
            same_observation(p, w))
            break;
        if (p->op == TC_OP_EXPECT_NOTIFICATION || p->op == TC_OP_WAIT) {
            if (p->duration_var)
                return s; /* unknown, at least 0: what we have is a floor */
            s += (double)p->wait_ms / 1000.0;
        }
    }
    return s;
}

static void check_judged(tcf_ctx *x, const tc_case *c)
{
    for (size_t i = 0; i < c->step_count; i++) {
        const tc_step *st = &c->steps[i];
        char ptr[64], letter = 0;
        tcf_ptr_idx(ptr, sizeof ptr, "/steps", i);
        bool j = judged(c, st, &letter);
        if (st->op == TC_OP_WAIT)
            continue; /* nothing answers a wait */
        if (!j && !st->unjudged)
            tcf_report(x, ptr, false,
                       "no criterion judges step %d (%s%s%s): add one, or say why the step is "
                       "not judged with \"unjudged\": \"…\" (e.g. \"a set-up step: the draft "
                       "gives it no criterion\"); a step nothing judges could fail unseen",
                       st->number, tc_op_name(st->op), st->path ? " " : "",
                       st->path ? st->path : "");
        else if (j && st->unjudged) {
            char kp[80];
            tcf_ptr_key(kp, sizeof kp, ptr, "unjudged");
            tcf_report(x, kp, true, "criterion %c judges step %d: drop 'unjudged'", letter,
                       st->number);
        }
    }
}

static void check_bounded(tcf_ctx *x, const tc_case *c)
{
    for (size_t i = 0; i < c->step_count; i++) {
        const tc_step *st = &c->steps[i];
        if (st->op != TC_OP_EXPECT_NOTIFICATION && st->op != TC_OP_RESET_NOTIFICATION)
            continue;
        if (observe_of(c, i) >= 0)
            continue;
        char ptr[64], what[256];
        tcf_ptr_idx(ptr, sizeof ptr, "/steps", i);
        tcf_report(x, ptr, false,
                   "step %d waits for notifications of %s on server %d, but no earlier step of "
                   "this case observes it: a notification counts only after the case's own "
                   "Observe (add an observe step of that path before it)",
                   st->number, observed(st, what, sizeof what), st->server);
    }
}

static void check_timing(tcf_ctx *x, const tc_case *c)
{
    for (size_t k = 0; k < c->criterion_count; k++) {
        const tc_criterion *cr = &c->criteria[k];
        for (size_t n = 0; n < cr->check_count; n++) {
            const tc_check *ck = &cr->checks[n];
            if (ck->kind != TC_CHECK_NOTIFICATIONS || ck->notif_min_count <= 0 ||
                (ck->notif_pmax < 0 && !ck->notif_period_count))
                continue;
            for (size_t i = 0; i < c->step_count; i++) {
                const tc_step *w = &c->steps[i];
                if (w->op != TC_OP_EXPECT_NOTIFICATION || !tc_criterion_judges(cr, w->number))
                    continue;
                double win = window_floor(c, i), pmax = ck->notif_pmax;
                for (size_t p = 0; w->path && p < ck->notif_period_count; p++)
                    if (strcmp(ck->notif_periods[p].path, w->path) == 0) {
                        pmax = ck->notif_periods[p].pmax; /* its own ("periods") */
                        break;
                    }
                if (win < 0 || pmax < 0)
                    continue;
                long most = tc_min_notifications(win, pmax, ck->notif_tolerance);
                if (ck->notif_min_count <= most)
                    continue;
                char ptr[128], what[256];
                snprintf(ptr, sizeof ptr, "/pass_criteria/%zu/expect/notifications/min_count",
                         k);
                tcf_report(x, ptr, false,
                           "min_count %ld is tighter than the window allows: a device that "
                           "notifies every pmax + tolerance = %g s sends only %ld in the %g s "
                           "step %d's window of %s covers; lengthen the window or lower the "
                           "count",
                           ck->notif_min_count, pmax + ck->notif_tolerance, most, win,
                           w->number, observed(w, what, sizeof what));
            }
        }
    }
}

void tc_check_case(tcf_ctx *x, const tc_case *c)
{
    check_judged(x, c);
    check_bounded(x, c);
    check_timing(x, c);
}
