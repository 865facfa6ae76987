#include "run/order.h"

#include <stdlib.h>

#include "lwm2m/path.h"

bool order_has_op(const tc_case *c, tc_op op)
{
    for (size_t i = 0; i < c->step_count; i++)
        if (c->steps[i].op == op)
            return true;
    return false;
}

bool order_disables_device(const tc_case *c)
{
    for (size_t i = 0; i < c->step_count; i++) {
        lwm2m_path p;
        if (c->steps[i].op == TC_OP_EXECUTE && c->steps[i].path &&
            lwm2m_path_parse(c->steps[i].path, &p) == 0 && p.depth == 3 && p.ids[0] == 1 &&
            p.ids[2] == 4)
            return true;
    }
    return false;
}

bool order_has_bootstrap_step(const tc_case *c)
{
    for (size_t i = 0; i < c->step_count; i++)
        if (tc_op_is_bootstrap(c->steps[i].op))
            return true;
    return false;
}

/* A case whose bootstrap ends with the whole configuration written (a Bootstrap-Write
 * of everything, or a provision step, not undone by a later Delete or partial Write)
 * and a Bootstrap-Finish leaves the device provisioned, as the runner would. */
static bool leaves_provisioned(const tc_case *c)
{
    bool full = false, finished = false;
    for (size_t i = 0; i < c->step_count; i++) {
        const tc_step *s = &c->steps[i];
        switch (s->op) {
        case TC_OP_BOOTSTRAP_PROVISION:
        case TC_OP_EXPECT_BOOTSTRAP_PACK_REQUEST: full = finished = true; break;
        case TC_OP_BOOTSTRAP_WRITE: full = s->path == NULL; finished = false; break;
        case TC_OP_BOOTSTRAP_DELETE: full = finished = false; break;
        case TC_OP_BOOTSTRAP_FINISH: finished = true; break;
        default: break;
        }
    }
    return full && finished;
}

/* An expect-register that waits for the device's own Register (its first after a start or
 * a bootstrap), not one a server action of the case provokes ("after_step": Reboot,
 * the end of a Disable): only the former needs Registers no case has taken yet. */
static bool expects_initial_register(const tc_case *c)
{
    for (size_t i = 0; i < c->step_count; i++) {
        if (c->steps[i].op != TC_OP_EXPECT_REGISTER)
            continue;
        if (!c->steps[i].after_step)
            return true;
        /* the Register that follows the case's own Bootstrap-Finish (int-1's step 5) is
         * the device's first after a bootstrap, whatever server action it waits behind */
        const tc_step *after = tc_case_step(c, c->steps[i].after_step);
        if (after && (after->op == TC_OP_BOOTSTRAP_FINISH || after->op == TC_OP_BOOTSTRAP_PROVISION ||
                      after->op == TC_OP_EXPECT_BOOTSTRAP_PACK_REQUEST))
            return true;
    }
    return false;
}

static bool needs_provisioned(const tc_case *c, bool bootstrap)
{
    /* a case that starts with a server's request (int-5's Execute of the Bootstrap-Request
     * Trigger) needs a registered device, whatever bootstrap steps follow */
    bool starts_registered = c->step_count > 0 && c->steps[0].server > 0;
    return bootstrap && c->device_reset != TC_RESET_FACTORY &&
           (!order_has_bootstrap_step(c) || starts_registered);
}

order_prep order_prepare(const tc_case *c, int group, bool bootstrap, const order_state *st)
{
    order_prep p = {0};
    bool factory = c->device_reset == TC_RESET_FACTORY;
    if (needs_provisioned(c, bootstrap))
        p.provision = !st->provisioned || st->dirty || st->doubtful || st->stopped ||
                      st->group != group || (expects_initial_register(c) && st->regs_taken);
    /* without the bootstrap server a case that waits for the device's Registers judges
     * those of its current life, which every such case may judge (int-101 and int-950 on
     * the bench): no reset for them */
    /* "restart": the case judges a Register of its own (int-109's queue-mode Register):
     * a device the run has already used is started again (and, with the bootstrap server,
     * provisioned again: without persistent state it bootstraps after a restart) */
    bool restart = c->device_reset == TC_RESET_RESTART && !st->untouched;
    if (restart && needs_provisioned(c, bootstrap))
        p.provision = true;
    p.reset = ((factory || restart || p.provision) && !st->untouched) || st->stopped;
    return p;
}

void order_after(const tc_case *c, int group, const order_prep *prep, order_state *st)
{
    st->untouched = false;
    if (prep->reset)
        *st = (order_state){0};
    if (prep->provision) {
        st->provisioned = true;
        st->group = group;
        st->regs_taken = st->dirty = st->doubtful = false;
    }
    if (order_has_bootstrap_step(c)) { /* what it leaves behind is the case's business */
        st->provisioned = leaves_provisioned(c);
        st->group = group;
    }
    st->regs_taken = st->regs_taken || expects_initial_register(c);
    st->dirty = st->dirty || order_has_op(c, TC_OP_DELETE);
}

/* The factory case that goes first, when there is one that leaves the device provisioned
 * and registering without deleting or writing part of a configuration first (int-0): it
 * uses the device as started, and the provisioned cases after
 * it need no reset either. */
static bool lead_candidate(const tc_case *c)
{
    if (c->device_reset != TC_RESET_FACTORY || c->depends_on_count || !leaves_provisioned(c) ||
        expects_initial_register(c) || order_has_op(c, TC_OP_DELETE) ||
        order_has_op(c, TC_OP_BOOTSTRAP_DELETE))
        return false;
    for (size_t i = 0; i < c->step_count; i++) /* a partial configuration may be inconsistent */
        if (c->steps[i].op == TC_OP_BOOTSTRAP_WRITE && c->steps[i].path)
            return false;
    return true;
}

/* 0 the lead case; 1 provisioned and expecting the Registers that follow a provisioning
 * while no case has taken them (taken: one has); 2 provisioned; 3 provisioned and
 * expecting Registers after another case took them (it needs a provisioning of its own);
 * 4 provisioned and destructive; 5 provisioned and disabling the device (Execute /1/x/4:
 * it stays away for its Disable Timeout, which may be longer than the run waits); 6 from
 * the factory configuration or bootstrapping (a reset before most). Without the bootstrap
 * server the cases that judge the device's own first Registers go first (1), the others
 * keep their order (2), and one that disables the device goes last (3). */
static int rank(const tc_case *c, bool bootstrap, const tc_case *lead, bool taken)
{
    if (!bootstrap) /* the device's first Registers, before any case reboots it */
        return order_disables_device(c) ? 3
               : c->device_reset != TC_RESET_FACTORY && !order_has_bootstrap_step(c) &&
                       expects_initial_register(c)
                   ? 1 : 2;
    if (c == lead)
        return 0;
    if (c->device_reset == TC_RESET_FACTORY || order_has_bootstrap_step(c))
        return 6;
    if (order_disables_device(c))
        return 5;
    if (order_has_op(c, TC_OP_DELETE))
        return 4;
    if (expects_initial_register(c))
        return taken ? 3 : 1;
    return 2;
}

static bool deps_placed(const tc_suite *s, size_t i, const bool *run, const bool *placed)
{
    const tc_case *c = s->cases[i];
    for (size_t d = 0; d < c->depends_on_count; d++)
        for (size_t j = 0; j < s->count; j++)
            if (j != i && run[j] && !placed[j] && tc_case_matches(s->cases[j], c->depends_on[d]))
                return false;
    return true;
}

static size_t dependents(const tc_suite *s, size_t i, const bool *run)
{
    size_t n = 0;
    for (size_t j = 0; j < s->count; j++)
        for (size_t d = 0; run[j] && d < s->cases[j]->depends_on_count; d++)
            n += tc_case_matches(s->cases[i], s->cases[j]->depends_on[d]);
    return n;
}

/* Where case i's group comes in the play: the lead's group first, then by first appearance.
 * The lead goes before all, the factory cases after all. The one that disables the device
 * goes last in its group: a case after it is of another group or a factory case, which
 * starts from a reset anyway. */
static int group_key(const tc_suite *s, const bool *run, const int *groups, size_t i, int rank_i,
                     int lead_group, bool bootstrap)
{
    if (rank_i == 0)
        return -1;
    if (!bootstrap)
        return rank_i == 3 ? 1 : 0;
    if (rank_i == 6)
        return (int)s->count + 1;
    if (!groups || groups[i] == lead_group)
        return 0;
    for (size_t j = 0; j < s->count; j++)
        if (run[j] && groups[j] == groups[i])
            return 1 + (int)j;
    return (int)s->count;
}

size_t order_cases(const tc_suite *s, const bool *run, const int *groups, bool bootstrap,
                   size_t *order)
{
    bool *placed = calloc(s->count ? s->count : 1, sizeof *placed);
    size_t n = 0, want = 0;
    for (size_t i = 0; i < s->count; i++)
        want += run[i];
    if (!placed) { /* no memory for the plan: the definitions' order still works */
        for (size_t i = 0; i < s->count; i++)
            if (run[i])
                order[n++] = i;
        return n;
    }
    const tc_case *lead = NULL;
    bool provisioned_cases = false;
    for (size_t i = 0; i < s->count; i++) {
        if (!run[i])
            continue;
        if (!lead && lead_candidate(s->cases[i]))
            lead = s->cases[i];
        provisioned_cases = provisioned_cases || needs_provisioned(s->cases[i], bootstrap);
    }
    if (!provisioned_cases)
        lead = NULL; /* nothing would share what it leaves: the definitions' order */
    int lead_group = 0;
    for (size_t i = 0; lead && groups && i < s->count; i++)
        if (s->cases[i] == lead)
            lead_group = groups[i];
    if (!bootstrap)
        groups = NULL; /* nothing is provisioned by the run: one group */
    /* which groups' Registers after their provisioning a case has taken (by group id) */
    size_t ntaken = s->count + 1;
    bool *taken_by = calloc(ntaken, sizeof *taken_by);
    while (n < want) {
        size_t best = s->count;
        int gb = 0, rb = 0;
        for (size_t i = 0; i < s->count; i++) {
            if (!run[i] || placed[i] || !deps_placed(s, i, run, placed))
                continue;
            int g = groups ? groups[i] : 0;
            bool taken = taken_by && g >= 0 && (size_t)g < ntaken && taken_by[g];
            int ri = rank(s->cases[i], bootstrap, lead, taken);
            int gi = group_key(s, run, groups, i, ri, lead_group, bootstrap);
            /* of two cases that both want fresh Registers, the one others depend on takes
             * them: without a way to reset, fewer cases are lost */
            if (best == s->count || gi < gb || (gi == gb && ri < rb) ||
                (bootstrap && gi == gb && ri == rb && ri == 1 &&
                 dependents(s, i, run) > dependents(s, best, run))) {
                best = i;
                gb = gi;
                rb = ri;
            }
        }
        if (best == s->count) /* a cycle (the loader refuses them): keep the rest as defined */
            for (size_t i = 0; i < s->count && best == s->count; i++)
                if (run[i] && !placed[i])
                    best = i;
        placed[best] = true;
        order[n++] = best;
        int g = groups ? groups[best] : 0;
        if (taken_by && g >= 0 && (size_t)g < ntaken && expects_initial_register(s->cases[best]))
            taken_by[g] = true;
    }
    free(taken_by);
    free(placed);
    return n;
}

int order_planned_resets(const tc_suite *s, const size_t *order, size_t n, const int *groups,
                         bool bootstrap)
{
    return order_planned_resets_stopping(s, order, n, groups, bootstrap, NULL);
}

int order_planned_resets_stopping(const tc_suite *s, const size_t *order, size_t n,
                                  const int *groups, bool bootstrap, const bool *stops)
{
    order_state st = {.untouched = true};
    int resets = 0;
    for (size_t k = 0; k < n; k++) {
        const tc_case *c = s->cases[order[k]];
        int g = groups && bootstrap ? groups[order[k]] : 0;
        order_prep p = order_prepare(c, g, bootstrap, &st);
        resets += p.reset;
        order_after(c, g, &p, &st);
        if (stops && stops[order[k]])
            st.stopped = true;
    }
    return resets;
}
