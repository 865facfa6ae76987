#include "run/runner.h"
#include "run/stepnotes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bs/bootstrap.h"
#include "common/mono.h"
#include "common/strbuf.h"
#include "fw/delivery.h"
#include "lwm2m/content/content.h"
#include "lwm2m/content/guess.h"
#include "lwm2m/objects.h"
#include "lwm2m/version.h"
#include "net/message.h"
#include "run/applicability.h"
#include "run/match.h"
#include "run/optformat.h"
#include "run/order.h"
#include "run/steps.h"
#include "run/upkeep.h"
#include "tc/rules.h"
#include "tc/vars.h"
#include "run/devfacts.h"

static bool listed(const char *const *ids, size_t n, const tc_case *c)
{
    for (size_t i = 0; i < n; i++)
        if (tc_case_matches(c, ids[i]))
            return true;
    return false;
}

static const case_result *find_result(const run_result *res, const char *id)
{
    for (size_t i = 0; i < res->case_count; i++)
        if (strcmp(res->cases[i].id, id) == 0 || strcmp(res->cases[i].short_id, id) == 0)
            return &res->cases[i];
    return NULL;
}

/* --only takes the named cases and everything they depend on, so int-951 alone still
 * gets the registrations int-950 waits for. */
static void select_cases(const tc_suite *s, const run_options *opt, bool *selected)
{
    for (size_t i = 0; i < s->count; i++)
        selected[i] = !opt->only || opt->only_count == 0 || listed(opt->only, opt->only_count, s->cases[i]);
    bool changed = true;
    while (changed) {
        changed = false;
        for (size_t i = s->count; i-- > 0;) {
            if (!selected[i])
                continue;
            for (size_t d = 0; d < s->cases[i]->depends_on_count; d++)
                for (size_t j = 0; j < s->count; j++)
                    if (!selected[j] && tc_case_matches(s->cases[j], s->cases[i]->depends_on[d])) {
                        selected[j] = true;
                        changed = true;
                    }
        }
    }
}

/* The device's LwM2M version: as its newest Register announced it (no lwm2m= means 1.0),
 * which under a version hold is the version it fell back to; before any Register, as
 * declared for the run (--lwm2m); NULL when neither is known. */
static const char *device_version(const dut *d, const run_options *opt, const char **source)
{
    const registration *newest = NULL;
    for (size_t i = 0; i < registry_count(d->reg); i++) {
        const registration *r = registry_at(d->reg, i);
        if (!newest || r->registered_at >= newest->registered_at)
            newest = r;
    }
    if (!newest) {
        *source = "as declared for this run: it has not registered yet";
        return opt->lwm2m_version;
    }
    *source = newest->query.has_lwm2m_version ? "as it registered"
                                              : "its Register has no lwm2m=, which means 1.0";
    return newest->query.has_lwm2m_version ? newest->query.lwm2m_version : "1.0";
}

static bool version_at_least(const char *v, int major, int minor)
{
    int a = 0, b = 0;
    if (sscanf(v, "%d.%d", &a, &b) < 1)
        return false;
    return a > major || (a == major && b >= minor);
}

/* Fills why and returns true when the set-up lacks a feature the case requires. */
static bool missing_feature(const tc_case *c, const dut *d, const run_options *opt, char *why,
                            size_t cap, bool planning)
{
    size_t servers = 0;
    for (size_t i = 0; i < d->cfg->account_count; i++)
        servers += !d->cfg->accounts[i].bootstrap;
    for (size_t i = 0; i < c->requires_count; i++) {
        const char *f = c->requires[i];
        int obj;
        const char *vpath;
        if (tc_rules_value_feature(f, &vpath) && !devfacts_has_value(d, vpath)) {
            devfacts_why_no_value(d, f, vpath, why, cap);
            return true;
        }
        if (tc_rules_no_value_feature(f, &vpath) && devfacts_has_exact_value(d, vpath)) {
            if (config_find(d->cfg, vpath))
                snprintf(why, cap, "%s: configuration %s has a value at %s", f, d->cfg->source,
                         vpath);
            else
                snprintf(why, cap, "%s: the device's description has a value at %s", f, vpath);
            return true;
        }
        if (tc_rules_object_feature(f, &obj) && !devfacts_has_object(d, obj)) {
            devfacts_why_no_object(d, f, obj, why, cap);
            return true;
        }
        if (strcmp(f, "multi-server") == 0 && servers < 2) {
            snprintf(why, cap, "multi-server: the configuration has fewer than two server accounts");
            return true;
        }
        if (strcmp(f, "psk") == 0) {
            const config_account *a = NULL;
            for (size_t k = 0; k < d->cfg->account_count && !a; k++)
                if (!d->cfg->accounts[k].bootstrap)
                    a = &d->cfg->accounts[k];
            if (!a || a->mode != SECURITY_MODE_PSK) {
                snprintf(why, cap, "psk: the configuration's first server account is not in PSK "
                                   "security mode (/0/x/2 = 0)");
                return true;
            }
        }
        if (strcmp(f, "bootstrap") == 0 && !opt->bootstrap) {
            snprintf(why, cap, "bootstrap: the run does not play the bootstrap server (use "
                               "--bootstrap)");
            return true;
        }
        int vmaj, vmin;
        if (tc_rules_version_feature(f, &vmaj, &vmin)) {
            const char *source = "";
            const char *v = device_version(d, opt, &source);
            if (!v && planning)
                continue; /* it may be known by the time the case runs */
            if (!v) {
                snprintf(why, cap, "%s: the device's LwM2M version is not known: it has "
                                   "not registered yet (declare it with --lwm2m)", f);
                return true;
            }
            if (!version_at_least(v, vmaj, vmin)) {
                snprintf(why, cap, "%s: the device is LwM2M %s (%s); the case is for LwM2M "
                                   "%d.%d devices", f, v, source, vmaj, vmin);
                return true;
            }
        }
    }
    /* without the bootstrap server the device holds the run's configuration: a case of
     * another runs only where that one allows what it does */
    int group = 0;
    const config *want = opt->configs && !(opt->bootstrap && opt->configs->provision)
                             ? configset_for(opt->configs, c->configuration, &group) : NULL;
    if (want && group != 0 && !devfacts_config_covers(d, want, c->configuration, c, why, cap))
        return true;
    return false;
}

/* How long the case's first step waits for the device: what a person resetting a real
 * device by hand has. */
static uint64_t first_wait_ms(const tc_case *c, const run_options *opt)
{
    uint64_t dflt = opt->step_timeout_ms ? opt->step_timeout_ms : 30000;
    if (c->step_count && c->steps[0].timeout_ms > 0)
        return (uint64_t)c->steps[0].timeout_ms;
    /* a first Bootstrap-Request after the reset waits up to --reboot-timeout (run/steps.c:
     * a device may hold off before it bootstraps) */
    uint64_t reboot = opt->reboot_timeout_ms ? opt->reboot_timeout_ms : 120000;
    if (c->step_count && c->device_reset && !c->steps[0].timeout_var &&
        (c->steps[0].op == TC_OP_EXPECT_BOOTSTRAP_REQUEST ||
         c->steps[0].op == TC_OP_EXPECT_BOOTSTRAP_PACK_REQUEST) && reboot > dflt)
        return reboot;
    return dflt;
}

/* ---- the device between cases ------------------------------------------------------------ */

static uint64_t step_ms(const run_options *opt)
{
    return opt->step_timeout_ms ? opt->step_timeout_ms : 30000;
}

static uint64_t reboot_ms(const run_options *opt)
{
    return opt->reboot_timeout_ms ? opt->reboot_timeout_ms : 120000;
}

/* The servers the case talks to without first expecting the device's Register there: it
 * assumes the device is registered with them. Waits (up to `wait_ms`) until it is, a
 * Bootstrap-Request meanwhile provisioned unless the case plays the bootstrap server
 * itself; with own_registers, also for a case that expects the device's Register (the
 * device is being restored). Returns 0, LC_ETIMEDOUT with the server in *ssid, or the
 * wait's error. */
static int await_assumed_registrations(dut *d, const tc_case *c, const run_options *opt,
                                       bool own_registers, uint64_t wait_ms, int *ssid)
{
    char during[64];
    snprintf(during, sizeof during, "before %s", c->short_id);
    bootstrap_server *bs = order_has_bootstrap_step(c) ? NULL : opt->bootstrap;
    return upkeep_await_registered(d, bs, c, own_registers, mono_ms() + wait_ms, step_ms(opt),
                                   during, ssid);
}

/* A case for LwM2M 1.1 devices, before the device has said which version it speaks and
 * none was declared (--lwm2m): its first Register will say, and the case would wait for
 * that registration anyway, so wait for it (bounded by the step deadline) before judging
 * whether the case applies. Otherwise a 1.0 device would be told its version is unknown. */
static void learn_device_version(dut *d, const tc_case *c, const run_options *opt)
{
    const char *source = "";
    bool v11 = tc_rules_case_version(c) > 10;
    if (!v11 || device_version(d, opt, &source) || net_interrupted(d->net))
        return;
    if (opt->case_begin) /* starts the device command if it has not run yet */
        opt->case_begin(opt->reset_arg, c->short_id);
    /* with the bootstrap server, a device that was never provisioned registers only once
     * it is: the case would have it provisioned anyway (prepare_device), so do it now */
    if (opt->bootstrap && !bootstrap_device_provisioned(opt->bootstrap) &&
        c->device_reset == TC_RESET_NONE && !order_has_bootstrap_step(c)) {
        char summary[700] = "";
        lc_error err = {0};
        if (bootstrap_provision_device(opt->bootstrap, opt->step_timeout_ms ? opt->step_timeout_ms
                                                                            : 30000,
                                       summary, sizeof summary, &err) == 0)
            log_info(d->log, "%s: bootstrapped the device to learn its LwM2M version: %s",
                     c->short_id, summary);
    }
    int ssid = 0;
    (void)await_assumed_registrations(d, c, opt, false, step_ms(opt), &ssid); /* said below */
}

/* Gets the device into the state the case starts from: reset to factory, and provisioned
 * by the bootstrap server when the case needs a registered device. Returns VERDICT_PASS
 * when the case can run, else the case's verdict with the reason in cr: INCONCLUSIVE when
 * the preamble failed (the reset, the provisioning, a registration the case assumes),
 * SKIPPED when the run cannot reset the device, ERROR when the tool could not run it. */
static verdict prepare_device(dut *d, const tc_case *c, int group, const run_options *opt,
                              order_state *st, run_result *res, case_result *cr)
{
    /* a case that resets the device or starts by bootstrapping it starts it afresh anyway;
     * one that first talks to a server (int-5's Execute of /1/x/9) assumes a registration */
    bool own_start = c->device_reset == TC_RESET_FACTORY ||
                     (c->step_count > 0 && tc_op_is_bootstrap(c->steps[0].op));
    char lost[400] = ""; /* why the device is being restored */
    int state = opt->device_state ? opt->device_state(opt->reset_arg) : RUN_DEVICE_UNKNOWN;
    if (state == RUN_DEVICE_EXITED) {
        snprintf(lost, sizeof lost, "its command had exited");
        st->stopped = true;
    } else if (st->suspect && !own_start) {
        int ssid = 0;
        char why[300];
        int r = upkeep_probe(d, c, step_ms(opt), &ssid, why, sizeof why);
        if (r == LC_EINTR) {
            cr->not_run = true;
            cr->reason = result_strdup("not run: the run was interrupted");
            return VERDICT_SKIPPED;
        }
        if (r == LC_ETIMEDOUT || r == LC_ENOTFOUND) {
            snprintf(lost, sizeof lost, "%s", why);
            log_info(d->log, "%s: the device is not reachable (%s): restoring it first",
                     c->short_id, why);
            if (r == LC_ETIMEDOUT) /* what it was registered with went with it */
                registry_retire_all(d->reg);
            if (opt->device_restartable)
                st->stopped = true;
        }
    }
    st->suspect = false;
    bool restoring = lost[0] != '\0';
    if (st->lost && !own_start && !st->stopped) {
        /* it could not be brought back before: not another wait for each case, unless it
         * registered again by itself meanwhile */
        int ssid = 0;
        if (upkeep_await_registered(d, NULL, c, true, mono_ms(), step_ms(opt), NULL, &ssid) < 0) {
            cr->reason = result_printf("not run: preamble failed: the device has not been "
                                       "reachable since %s, and it has not registered with "
                                       "server %d again", st->lost_why, ssid);
            return VERDICT_INCONCLUSIVE;
        }
        st->lost = false;
        log_info(d->log, "%s: the device registered again by itself", c->short_id);
    }
    if (opt->bootstrap) {
        st->provisioned = bootstrap_device_provisioned(opt->bootstrap);
        /* before the reset: a 1.2 device asks for its pack as soon as it starts */
        bootstrap_arm_pack(opt->bootstrap, order_has_op(c, TC_OP_EXPECT_BOOTSTRAP_PACK_REQUEST));
    }
    bool starting = st->untouched; /* the device as it was started: it may still be booting */
    order_prep prep = order_prepare(c, group, opt->bootstrap != NULL, st);
    order_after(c, group, &prep, st);
    lc_error err = {0};
    if (prep.reset) {
        if (!opt->reset_device) {
            cr->reason = result_strdup("needs a factory reset, and this run cannot make one");
            return VERDICT_SKIPPED;
        }
        log_info(d->log, "%s: %s%s", c->short_id,
                 c->device_reset == TC_RESET_RESTART && !opt->bootstrap
                     ? "restarting the device: the case judges a Register of its own"
                     : "resetting the device to its factory bootstrap configuration",
                 prep.provision ? " to bootstrap it again" : "");
        /* a device takes what it takes to start: --reboot-timeout, or the step's own */
        uint64_t wait = prep.provision ? step_ms(opt) : first_wait_ms(c, opt);
        if (!prep.provision && wait < reboot_ms(opt) && !(c->step_count && c->steps[0].timeout_ms > 0))
            wait = reboot_ms(opt);
        int r = opt->reset_device(opt->reset_arg, c->short_id, wait, &err);
        if (r == LC_EUNSUPPORTED) {
            if (c->device_reset == TC_RESET_RESTART)
                cr->reason = result_printf("needs the device started anew, for a Register of "
                                           "the case's own, and this run cannot restart it (%s); "
                                           "or run it alone right after the device starts "
                                           "(--only %s)", err.msg, c->short_id);
            else
                cr->reason = result_strdup(err.msg);
            return VERDICT_SKIPPED;
        }
        if (r == LC_EINTR) {
            cr->not_run = true;
            cr->reason = result_strdup("not run: the run was interrupted while resetting the device");
            return VERDICT_SKIPPED;
        }
        if (r == LC_EIO) {
            cr->reason = result_printf("not run: the tool could not restart the device: %s", err.msg);
            return VERDICT_ERROR;
        }
        if (r < 0) {
            cr->reason = result_printf("not run: preamble failed: resetting the device: %s", err.msg);
            return VERDICT_INCONCLUSIVE;
        }
        res->dut.resets_made = (res->dut.resets_made < 0 ? 0 : res->dut.resets_made) + 1;
        registry_retire_all(d->reg); /* a case that assumes a registration waits for a new one */
        d->life_started_at = mono_ms();
        if (opt->bootstrap)
            bootstrap_forget_device(opt->bootstrap);
    }
    if (prep.provision) {
        char summary[700] = "";
        /* a device that was just started, reset or is being restored may take its time
         * before it bootstraps (a hold-off): --reboot-timeout; each operation: the step's */
        uint64_t t = restoring || prep.reset || starting ? reboot_ms(opt) : step_ms(opt);
        int r = bootstrap_provision_device_within(opt->bootstrap, t, step_ms(opt), summary,
                                                  sizeof summary, &err);
        if (r == LC_EINTR) {
            cr->not_run = true;
            cr->reason = result_strdup("not run: the run was interrupted while bootstrapping "
                                       "the device");
            return VERDICT_SKIPPED;
        }
        if (r < 0 && net_abort_reason(d->net)) {
            cr->reason = result_printf("not run: %s", net_abort_reason(d->net));
            return VERDICT_ERROR;
        }
        if (r < 0) {
            cr->reason = result_printf("not run: preamble failed: bootstrapping the device before "
                                       "this case failed: %s", err.msg);
            return VERDICT_INCONCLUSIVE;
        }
        log_info(d->log, "%s: bootstrapped the device first: %s", c->short_id, summary);
    }
    int ssid = 0;
    uint64_t wait = restoring || prep.reset ? reboot_ms(opt) : step_ms(opt);
    int r = own_start ? 0 : await_assumed_registrations(d, c, opt, restoring, wait, &ssid);
    if (r == LC_EINTR) {
        cr->not_run = true;
        cr->reason = result_strdup("not run: the run was interrupted");
        return VERDICT_SKIPPED;
    }
    if (r == LC_EIO && net_abort_reason(d->net)) {
        cr->reason = result_printf("not run: %s", net_abort_reason(d->net));
        return VERDICT_ERROR;
    }
    if (r < 0 && restoring) {
        st->lost = true;
        snprintf(st->lost_why, sizeof st->lost_why, "before %s (%s)", c->short_id, lost);
        cr->reason = result_printf("not run: preamble failed: the device was not reachable "
                                   "after the previous case (%s)%s, and it did not register with "
                                   "server %d again within %.0f s (--reboot-timeout)", lost,
                                   prep.reset ? "; the tool started it again"
                                   : opt->device_restartable ? "" : "; the tool cannot restart it",
                                   ssid, (double)wait / 1000.0);
        return VERDICT_INCONCLUSIVE;
    }
    if (r < 0) {
        cr->reason = result_printf("not run: preamble failed: the case assumes the device is "
                                   "registered with server %d, and it was not within %.0f s%s",
                                   ssid, (double)wait / 1000.0,
                                   prep.provision ? " of its provisioning" : "");
        return VERDICT_INCONCLUSIVE;
    }
    if (restoring)
        log_info(d->log, "%s: the device is back (%s before)", c->short_id, lost);
    return VERDICT_PASS;
}

/* A case's trace is bounded: a firmware push of megabytes is thousands of Block1
 * exchanges, and memory must not grow with the package (docs/benchmarks.md). Past the
 * bound the lines are counted, and the end says how many were left out. */
#define CASE_TRACE_MAX (256u * 1024u)

static void trace_into(void *arg, const char *line)
{
    strbuf *b = arg;
    if (b->len < CASE_TRACE_MAX) {
        strbuf_appendf(b, "%s\n", line);
        if (b->len >= CASE_TRACE_MAX)
            strbuf_appendf(b, "… (the trace stops here: %u KiB is its bound)\n",
                           CASE_TRACE_MAX / 1024u);
    }
}

/* The report's lines for a step's request and response, keys redacted before any cut. */
static char *outcome_request_line(const step_outcome *o, const logger *lg)
{
    if (!o->has_request)
        return NULL;
    char buf[1024];
    net_message_summary_redacted(&o->request, true, 160, lg, buf, sizeof buf);
    return result_strdup(buf);
}

static char *outcome_response_line(const step_outcome *o, const logger *lg)
{
    char buf[1024];
    if (o->has_response) {
        net_message_summary_redacted(&o->response, false, 400, lg, buf, sizeof buf);
        size_t l = strlen(buf);
        snprintf(buf + l, sizeof buf - l, " (after %llu ms)", (unsigned long long)o->elapsed_ms);
        return result_strdup(buf);
    }
    return NULL; /* the observation already says why there is none */
}

static const char *status_verdict_reason(const step_outcome *o, verdict *v)
{
    switch (o->status) {
    case OUTCOME_OK: *v = VERDICT_PASS; return NULL;
    case OUTCOME_NOT_RUN:
    case OUTCOME_NOT_APPLICABLE: *v = VERDICT_SKIPPED; return o->detail;
    case OUTCOME_TOOL_ERROR: *v = VERDICT_ERROR; return o->detail;
    default: *v = VERDICT_FAIL; return o->detail;
    }
}

/* True when a criterion judges step number with no_response: its timeout is a pass. */
static bool awaits_nothing(const tc_case *c, int number)
{
    for (size_t k = 0; k < c->criterion_count; k++)
        for (size_t j = 0; j < c->criteria[k].check_count; j++)
            if (c->criteria[k].checks[j].kind == TC_CHECK_NO_RESPONSE &&
                tc_criterion_judges(&c->criteria[k], number))
                return true;
    return false;
}

static bool has_notifications_check(const tc_criterion *crit)
{
    for (size_t i = 0; i < crit->check_count; i++)
        if (crit->checks[i].kind == TC_CHECK_NOTIFICATIONS)
            return true;
    return false;
}

static void judge_case(const tc_case *c, step_outcome *outcomes, const match_env *env,
                       const logger *lg, case_result *cr, bool interrupted)
{
    verdict worst = VERDICT_PASS;
    char *reason = NULL;

    for (size_t i = 0; i < c->step_count; i++) {
        step_outcome *o = &outcomes[i];
        step_result *sr = result_add_step(cr);
        if (!sr)
            continue;
        sr->number = c->steps[i].number;
        char *req = outcome_request_line(o, lg), *resp = outcome_response_line(o, lg);
        if (c->steps[i].server == TC_SERVER_BOOTSTRAP)
            sr->summary = result_printf("bootstrap server: %s%s%s%s%s", tc_op_name(c->steps[i].op),
                                        req ? " " : "", req ? req : "", resp ? " -> " : "",
                                        resp ? resp : "");
        else
            sr->summary = result_printf("server %d: %s%s%s%s%s", c->steps[i].server,
                                        tc_op_name(c->steps[i].op), req ? " " : "", req ? req : "",
                                        resp ? " -> " : "", resp ? resp : "");
        if (o->status == OUTCOME_OK && o->detail[0] && sr->summary) {
            char *more = result_printf("%s [%s]", sr->summary, o->detail);
            if (more) {
                free(sr->summary);
                sr->summary = more;
            }
        }
        free(req);
        free(resp);
        const char *why = status_verdict_reason(o, &sr->verdict);
        sr->reason = why ? result_strdup(why) : NULL;
        sr->elapsed_ms = o->elapsed_ms;
    }

    for (size_t k = 0; k < c->criterion_count; k++) {
        const tc_criterion *crit = &c->criteria[k];
        criterion_result *r = result_add_criterion(cr);
        if (!r)
            continue;
        r->letter = crit->letter;
        r->step = crit->step;
        r->text = result_strdup(crit->text);
        /* a step number can hold several requests (one ETS step): the criterion judges
         * each, and shows the first that does not pass (else the last) */
        const step_outcome *o = NULL;
        bool judged = false;
        for (size_t i = 0; i < c->step_count; i++) {
            if (!tc_criterion_judges(crit, c->steps[i].number))
                continue;
            if (c->steps[i].op == TC_OP_WAIT) /* nothing to judge: the ETS's "after few seconds" */
                continue;
            /* a notifications check judges the windows of the step, not its set-up */
            if (has_notifications_check(crit) &&
                !(c->steps[i].op == TC_OP_EXPECT_NOTIFICATION &&
                  (c->steps[i].wait_ms > 0 || c->steps[i].duration_var)))
                continue;
            o = &outcomes[i];
            if (o->status == OUTCOME_NOT_RUN || o->status == OUTCOME_NOT_APPLICABLE) {
                if (!judged || r->verdict == VERDICT_PASS) {
                    free(r->observed);
                    r->verdict = VERDICT_SKIPPED;
                    r->observed = result_strdup(o->detail);
                }
                judged = true;
                continue;
            }
            if (judged && r->verdict != VERDICT_PASS)
                continue;
            match_result m;
            match_criterion(crit, o, env, &m);
            if (m.verdict != VERDICT_PASS)
                r->step = c->steps[i].number;
            free(r->expected);
            free(r->observed);
            free(r->request);
            free(r->response);
            r->verdict = m.verdict;
            r->expected = m.expected;
            r->observed = m.observed;
            r->request = outcome_request_line(o, lg);
            r->response = outcome_response_line(o, lg);
            r->elapsed_ms = o->elapsed_ms;
            judged = true;
        }
        if (!o) {
            r->verdict = VERDICT_ERROR;
            r->observed = result_printf("the definition has no step %d", crit->step);
        }
        if (r->verdict == VERDICT_ERROR && worst != VERDICT_ERROR) {
            worst = VERDICT_ERROR;
            free(reason);
            reason = result_printf("criterion %c (step %d): %s", r->letter, r->step,
                                   r->observed ? r->observed : "error");
        } else if (r->verdict == VERDICT_FAIL &&
                   (worst == VERDICT_PASS || worst == VERDICT_INCONCLUSIVE)) {
            worst = VERDICT_FAIL;
            free(reason);
            reason = result_printf("criterion %c (step %d): %s", r->letter, r->step,
                                   r->text ? r->text : "");
        } else if (r->verdict == VERDICT_INCONCLUSIVE && worst == VERDICT_PASS) {
            worst = VERDICT_INCONCLUSIVE; /* the evidence a criterion needs cannot be had */
            reason = result_printf("criterion %c (step %d): %s", r->letter, r->step,
                                   r->observed ? r->observed : "inconclusive");
        }
    }

    /* A step that failed without a criterion to judge it (a Register that never came in a
     * case that only judges later steps) still fails the case: a timeout is never a pass. */
    for (size_t i = 0; i < c->step_count; i++) {
        const step_outcome *o = &outcomes[i];
        if (o->status == OUTCOME_OK || o->status == OUTCOME_NOT_RUN)
            continue;
        /* nothing arriving is what a no_response criterion asks for (int-307: no Send) */
        if (o->status == OUTCOME_TIMEOUT && awaits_nothing(c, c->steps[i].number))
            continue;
        if (o->status == OUTCOME_NOT_APPLICABLE) {
            /* the device does not declare what the case needs, or the run lacks it */
            if (worst == VERDICT_PASS) {
                worst = VERDICT_SKIPPED;
                reason = result_printf("not applicable: %s", o->detail);
            }
            continue;
        }
        if (o->status == OUTCOME_TOOL_ERROR && worst != VERDICT_ERROR) {
            worst = VERDICT_ERROR;
            free(reason);
            reason = result_printf("step %d: %s", c->steps[i].number, o->detail);
        } else if (worst == VERDICT_PASS || worst == VERDICT_INCONCLUSIVE) {
            worst = VERDICT_FAIL;
            free(reason);
            reason = result_printf("step %d: %s", c->steps[i].number, o->detail);
        }
    }
    if (interrupted && worst != VERDICT_ERROR && worst != VERDICT_FAIL) {
        worst = VERDICT_SKIPPED;
        cr->not_run = true;
        free(reason);
        reason = result_strdup("not run: the run was interrupted during this case");
    }
    cr->verdict = worst;
    cr->reason = reason;
}

/* A 2.05 Content with a payload but no Content-Format option: the criteria read it anyway
 * (lwm2m/content/guess.h), and the report says so once per case and step. */
static void note_missing_formats(const tc_case *c, const step_outcome *outcomes, run_result *res)
{
    for (size_t i = 0; i < c->step_count; i++) {
        const step_outcome *o = &outcomes[i];
        if (!o->has_response || o->response.code != COAP_RESPONSE_CODE(205) ||
            o->response.content_format >= 0 || o->response.payload_len == 0)
            continue;
        lwm2m_path base;
        if (lwm2m_path_parse(o->step->path ? o->step->path : "/", &base) < 0)
            base.depth = 0;
        lwm2m_records recs;
        records_init(&recs);
        content_guess how;
        lc_error err = {0};
        int r = content_decode_guess(&base, o->request.accept, o->response.payload,
                                     o->response.payload_len, objects_type_of, NULL, &recs, &how,
                                     &err);
        records_free(&recs);
        char what[160];
        if (how.cf < 0)
            snprintf(what, sizeof what, "no format the tool knows reads it");
        else
            snprintf(what, sizeof what, "the tool %s it as %s, %s", r == 0 ? "read" : "could not read",
                     content_format_name(how.cf),
                     how.by_accept ? "the format the request's Accept asked for"
                                   : "recognised from the payload");
        bool discover = o->step->op == TC_OP_DISCOVER || o->step->op == TC_OP_BOOTSTRAP_DISCOVER;
        result_add_note(res, "%s step %d: the device answered %s with a 2.05 Content payload but "
                        "no Content-Format option; %s (%s)",
                        c->short_id, o->step->number, o->step->path ? o->step->path : "/", what,
                        discover ? "tolerated for a Discover, whose links the ETS judges"
                                 : "a case that checks the format fails on it");
    }
}

/* The case's variables with this run's values: its defaults, each overridden by a
 * --var NAME=VALUE of the same name. The array is new (NULL when the case has none); the
 * strings are borrowed. */
static tc_kv *case_vars(const tc_case *c, const run_options *opt)
{
    if (!c->variable_count)
        return NULL;
    tc_kv *v = calloc(c->variable_count, sizeof *v);
    if (!v)
        return NULL;
    for (size_t i = 0; i < c->variable_count; i++) {
        v[i] = c->variables[i];
        size_t nl = strlen(v[i].name);
        for (size_t k = 0; k < opt->var_count; k++)
            if (strncmp(opt->vars[k], v[i].name, nl) == 0 && opt->vars[k][nl] == '=')
                v[i].value = (char *)opt->vars[k] + nl + 1;
    }
    return v;
}

static bool not_applicable(const tc_case *c, const dut *d, const run_options *opt, char *why,
                           size_t cap)
{
    tc_kv *vars = case_vars(c, opt);
    applicability_env env = {d->cfg, d->desc, opt->profile, opt->max_wait_ms, vars,
                             vars ? c->variable_count : 0};
    bool lacks = applicability_lacks(c, &env, why, cap);
    free(vars);
    return lacks;
}

/* A clean-up the case makes whatever happened (an unjudged Write or Write-Attributes that
 * restores what its set-up changed): still played when the case turned out not to apply
 * after its set-up ran (int-304's attributes on /1/0/1). */
static bool restores(const tc_step *s)
{
    return s->unjudged && (s->op == TC_OP_WRITE || s->op == TC_OP_WRITE_PARTIAL ||
                           s->op == TC_OP_WRITE_ATTRIBUTES);
}

/* The clean-up wait at the end of case c that is longer than the run waits (int-103's
 * Register after its Disable Timeout past --max-wait): the index of its step, else
 * c->step_count; *sec and *var say how long and what times it. */
static size_t deferred_restore(const tc_case *c, const dut *d, const run_options *opt,
                               double *sec, const char **var)
{
    tc_kv *vars = case_vars(c, opt);
    applicability_env env = {d->cfg, d->desc, opt->profile, opt->max_wait_ms, vars,
                             vars ? c->variable_count : 0};
    size_t i = 0;
    while (i < c->step_count && !(applicability_restore_step(c, i) &&
                                  applicability_step_wait(&c->steps[i], &env, sec, var)))
        i++;
    free(vars);
    return i;
}

/* After a case whose clean-up wait was not made: the device is away for that long. A run
 * that can start it again does so before the next case (a reset); one that cannot makes
 * the next cases that need it INCONCLUSIVE until it registers again. The report says so. */
static void leave_device_away(const tc_case *c, const run_options *opt, double sec,
                              const char *var, order_state *st, run_result *res)
{
    char what[320];
    const char *disable = NULL;
    for (size_t i = 0; i < c->step_count && !disable && order_disables_device(c); i++) {
        const char *p = c->steps[i].path;
        size_t l = p ? strlen(p) : 0;
        if (c->steps[i].op == TC_OP_EXECUTE && strncmp(p ? p : "", "/1/", 3) == 0 && l > 5 &&
            strcmp(p + l - 2, "/4") == 0)
            disable = p;
    }
    if (disable)
        snprintf(what, sizeof what, "%s executed Disable (%s): the device stays disabled for "
                 "its Disable Timeout (%s = %.0f s)", c->short_id, disable, var, sec);
    else
        snprintf(what, sizeof what, "%s left the device away for %s = %.0f s", c->short_id, var,
                 sec);
    double max_s = (double)opt->max_wait_ms / 1000.0;
    if (opt->device_restartable) {
        st->stopped = true;
        result_add_note(res, "%s, and the tool did not wait for its Register after it (longer "
                        "than --max-wait, %.0f s); a case after it starts the device again",
                        what, max_s);
    } else {
        st->lost = true;
        snprintf(st->lost_why, sizeof st->lost_why, "%s, which the tool did not wait for (longer "
                 "than --max-wait, %.0f s)", what, max_s);
        result_add_note(res, "%s, and the tool did not wait for its Register after it (longer "
                        "than --max-wait, %.0f s); without --device-cmd or --reset-cmd it cannot "
                        "start the device again, so a case after it that needs the device is "
                        "INCONCLUSIVE", what, max_s);
    }
}

static void run_case(dut *d, const tc_case *c, int group, const run_options *opt, order_state *st,
                     run_result *res, case_result *cr)
{
    strbuf trace = {0};
    net_set_trace(d->net, trace_into, &trace);
    uint64_t t0 = mono_ms();
    verdict ready = prepare_device(d, c, group, opt, st, res, cr);
    if (ready != VERDICT_PASS) {
        cr->verdict = ready;
        cr->elapsed_ms = mono_ms() - t0;
        net_set_trace(d->net, NULL, NULL);
        cr->trace = strbuf_take(&trace);
        return;
    }
    step_context sc;
    steps_init(&sc, d, c, opt->step_timeout_ms, opt->bootstrap);
    sc.fw = opt->firmware;
    steps_set_reboot_timeout(&sc, reboot_ms(opt));
    sc.after_reset = d->life_started_at >= t0; /* reset, restarted or bootstrapped just now */
    steps_set_queue_mode(&sc, opt->max_transmit_wait_ms, opt->max_wait_ms);
    tc_kv *vars = case_vars(c, opt);
    steps_set_vars(&sc, vars, vars ? c->variable_count : 0);
    double away_s = 0;
    const char *away_var = NULL;
    size_t away_at = deferred_restore(c, d, opt, &away_s, &away_var);
    sc.trigger_send = opt->trigger_send;
    sc.trigger_arg = opt->reset_arg;
    steps_set_timing_scale(&sc, opt->timing_scale);

    step_outcome *outcomes = calloc(c->step_count ? c->step_count : 1, sizeof *outcomes);
    bool interrupted = false;
    int stopped_at = 0; /* the step during which the device's command exited */
    int not_applicable_at = 0; /* the step that found the case not applicable */
    int setup_failed_at = 0; /* the "setup" step that failed: the case is INCONCLUSIVE */
    char setup_why[300] = "";
    const tc_step *na_step = NULL; /* the step whose answer made the case not applicable */
    for (size_t i = 0; outcomes && i < c->step_count; i++) {
        step_outcome *o = &outcomes[i];
        o->step = &c->steps[i];
        o->request.content_format = o->request.accept = o->request.observe = -1;
        o->response.content_format = o->response.accept = o->response.observe = -1;
        o->registered_after = -1;
        if (interrupted || net_interrupted(d->net)) {
            interrupted = true;
            o->status = OUTCOME_NOT_RUN;
            snprintf(o->detail, sizeof o->detail, "the run was interrupted");
            continue;
        }
        if (stopped_at) { /* what that step's criterion says is the case's verdict */
            o->status = OUTCOME_NOT_RUN;
            snprintf(o->detail, sizeof o->detail, "the device had stopped at step %d", stopped_at);
            continue;
        }
        if (setup_failed_at) {
            o->status = OUTCOME_NOT_RUN;
            snprintf(o->detail, sizeof o->detail, "not run: the set-up failed at step %d",
                     setup_failed_at);
            continue;
        }
        if (not_applicable_at) {
            o->status = OUTCOME_NOT_RUN;
            snprintf(o->detail, sizeof o->detail, "not applicable (step %d)", not_applicable_at);
            continue;
        }
        if (na_step && !restores(o->step)) {
            o->status = OUTCOME_NOT_RUN;
            snprintf(o->detail, sizeof o->detail, "not run: the case does not apply");
            continue;
        }
        if (i == away_at) { /* a clean-up no criterion judges, longer than the run waits */
            o->status = OUTCOME_NOT_RUN;
            snprintf(o->detail, sizeof o->detail, "not waited: %s = %.0f s is longer than "
                     "--max-wait (%.0f s)", away_var, away_s, (double)opt->max_wait_ms / 1000.0);
            continue;
        }
        if (steps_is_reboot(o->step) && opt->device_rebooting)
            opt->device_rebooting(opt->reset_arg, c->short_id);
        char label[96]; /* the progress line of a wait (net_set_progress) */
        snprintf(label, sizeof label, "%s step %d: %s", c->short_id, o->step->number,
                 tc_op_name(o->step->op));
        net_set_wait_label(d->net, label);
        steps_execute(&sc, o);
        net_set_wait_label(d->net, NULL);
        if (o->status == OUTCOME_NOT_RUN)
            interrupted = true;
        if (o->status == OUTCOME_NOT_APPLICABLE)
            not_applicable_at = o->step->number;
        if (o->step->na_code && o->status == OUTCOME_OK && o->has_response &&
            o->response.code == net_code_parse(o->step->na_code))
            na_step = o->step; /* "not_applicable_if": the answer says the case does not apply */
        if (net_abort_reason(d->net))
            stopped_at = o->step->number;
        if (o->step->setup && o->status != OUTCOME_NOT_RUN && o->status != OUTCOME_TOOL_ERROR &&
            (o->status != OUTCOME_OK || (o->has_response && (o->response.code >> 5) >= 4))) {
            setup_failed_at = o->step->number;
            char code[16] = "";
            if (o->status == OUTCOME_OK)
                snprintf(code, sizeof code, "%d.%02d", o->response.code >> 5, o->response.code & 31);
            snprintf(setup_why, sizeof setup_why, "%s%s%s%s", code[0] ? "answered " : "", code,
                     code[0] && o->detail[0] ? ": " : "", o->detail);
        }
        log_debug(d->log, "%s step %d (%s): %s%s%s", c->short_id, o->step->number,
                  tc_op_name(o->step->op), o->status == OUTCOME_OK ? "done" : "not ok",
                  o->detail[0] ? ": " : "", o->detail);
    }
    if (!outcomes) {
        cr->verdict = VERDICT_ERROR;
        cr->reason = result_strdup("out of memory");
    } else {
        match_env env = {.cfg = d->cfg, .desc = d->desc, .endpoint_name = steps_endpoint_name(&sc),
                         .instances = &d->instances, .case_vars = vars,
                         .case_var_count = vars ? c->variable_count : 0,
                         .outcomes = outcomes, .outcome_count = c->step_count,
                         .firmware_version = opt->firmware ? fw_delivery_options(opt->firmware)->version : NULL,
                         .timing_scale = opt->timing_scale};
        judge_case(c, outcomes, &env, d->log, cr, interrupted);
        const char *vsrc = "";
        char excuse[320];
        if (optformat_excuse(c, outcomes, cr, device_version(d, opt, &vsrc), excuse,
                             sizeof excuse)) {
            cr->verdict = VERDICT_SKIPPED;
            free(cr->reason);
            cr->reason = result_strdup(excuse);
        }
        if (setup_failed_at && cr->verdict != VERDICT_ERROR && cr->verdict != VERDICT_SKIPPED) {
            cr->verdict = VERDICT_INCONCLUSIVE; /* the tool's set-up, not the device's test */
            free(cr->reason);
            cr->reason = result_printf("not judged: the tool's set-up failed at step %d: %s",
                                       setup_failed_at, setup_why[0] ? setup_why : "no answer");
        }
        note_missing_formats(c, outcomes, res);
        stepnotes_unjudged_errors(c, outcomes, res);
        if (na_step && !interrupted)
            stepnotes_not_applicable(cr, na_step);
        for (size_t i = 0; i < c->step_count; i++)
            step_outcome_clear(&outcomes[i]);
        free(outcomes);
    }
    steps_finish(&sc);
    if (away_at < c->step_count && !interrupted)
        leave_device_away(c, opt, away_s, away_var, st, res);
    free(vars); /* the names and values are borrowed from the case and the options */
    cr->elapsed_ms = mono_ms() - t0;
    net_set_trace(d->net, NULL, NULL);
    cr->trace = strbuf_take(&trace);
}

/* Says in the report what the version hold did: which Registers it refused with 4.12 and
 * the version the device then registered with, which the cases were judged by. */
static void note_version_hold(dut *d, const run_options *opt, run_result *res)
{
    size_t n = registry_refusal_count(d->reg);
    if (!opt->lwm2m_version || n == 0)
        return;
    strbuf what = {0};
    for (size_t i = 0; i < n && i < REGISTRY_MAX_REFUSALS; i++) {
        const registry_refusal *f = registry_refusal_at(d->reg, i);
        char item[128];
        snprintf(item, sizeof item, "lwm2m=%s on server %d", f->version, f->short_server_id);
        if (!what.s || !strstr(what.s, item))
            strbuf_appendf(&what, "%s%s", what.len ? ", " : "", item);
    }
    const char *source = "";
    const char *v = device_version(d, opt, &source);
    bool fell_back = false;
    for (size_t i = 0; i < registry_count(d->reg); i++) {
        const registration *r = registry_at(d->reg, i);
        fell_back = fell_back || !lwm2m_version_exceeds(r->query.has_lwm2m_version
                                                            ? r->query.lwm2m_version : NULL,
                                                        *registry_version_limit(d->reg));
    }
    if (fell_back)
        result_add_note(res, "LwM2M version held to %s (--lwm2m): %zu Register(s) announcing a "
                        "newer version (%s) were answered 4.12 Precondition Failed; the device "
                        "fell back and registered as LwM2M %s, and the cases were judged as LwM2M %s",
                        opt->lwm2m_version, n, what.s ? what.s : "", v ? v : "?", v ? v : "?");
    else
        result_add_note(res, "LwM2M version held to %s (--lwm2m): %zu Register(s) announcing a "
                        "newer version (%s) were answered 4.12 Precondition Failed, and the "
                        "device never registered with %s or older", opt->lwm2m_version, n,
                        what.s ? what.s : "", opt->lwm2m_version);
    strbuf_free(&what);
}

/* Every bootstrap the device made that no case asked for (it rebooted or restarted
 * without its state), as a note: when, and what the provisioning did. */
static void note_unplanned_bootstraps(const run_options *opt, run_result *res)
{
    size_t n = opt->bootstrap ? bootstrap_unplanned_count(opt->bootstrap) : 0;
    for (size_t i = 0; i < n; i++) {
        const bootstrap_unplanned *u = bootstrap_unplanned_at(opt->bootstrap, i);
        if (!u)
            break;
        result_add_note(res, "unplanned bootstrap %s: the device sent a Bootstrap-Request no case "
                        "asked for (it rebooted or restarted without its state); %s: %s",
                        u->during, u->ok ? "the tool provisioned it" : "provisioning it failed",
                        u->detail);
    }
    if (n > BOOTSTRAP_MAX_UNPLANNED)
        result_add_note(res, "%zu unplanned bootstraps in all (the first %d are listed)", n,
                        BOOTSTRAP_MAX_UNPLANNED);
}

/* The configuration group of each case of the suite (a new array; NULL without configs):
 * its configuration's, except where the run's main configuration (C.14) already allows all
 * the case does — the Annex lets a richer configuration stand in for a case's, and the
 * case then shares the main provisioning instead of costing one of its own (int-201 reads
 * /3/0, which C.14 grants server 1: it runs on C.14; int-701 reads /4/0, which it does
 * not: it runs on C.5). */
/* A case that writes the configuration itself (a bootstrap-write of it, a provisioning, a
 * Bootstrap-Pack) judges what it writes: it writes its own configuration, never a richer
 * one (int-1 writes C.1's one account; a device that keeps one server account would
 * refuse C.14's second). */
static bool writes_own_config(const tc_case *c)
{
    for (size_t i = 0; i < c->step_count; i++) {
        const tc_step *s = &c->steps[i];
        if ((s->op == TC_OP_BOOTSTRAP_WRITE && !s->path) || s->op == TC_OP_BOOTSTRAP_PROVISION ||
            s->op == TC_OP_EXPECT_BOOTSTRAP_PACK_REQUEST)
            return true;
    }
    return false;
}

static int *case_groups(const dut *d, const tc_suite *suite, const run_options *opt)
{
    if (!opt->configs || !opt->bootstrap || !opt->configs->provision)
        return NULL;
    int *g = calloc(suite->count ? suite->count : 1, sizeof *g);
    for (size_t i = 0; g && i < suite->count; i++) {
        const tc_case *c = suite->cases[i];
        const config *want = configset_for(opt->configs, c->configuration, &g[i]);
        char why[8];
        if (g[i] != 0 && !writes_own_config(c) &&
            devfacts_config_covers(d, want, c->configuration, c, why, sizeof why))
            g[i] = 0;
    }
    return g;
}

/* With the bootstrap server, the case is played in its configuration group's: what the
 * bootstrap server provisions and the case's ${variables} read. */
static void use_case_config(dut *d, const tc_case *c, int group, const run_options *opt)
{
    if (!opt->configs || !opt->bootstrap || !opt->configs->provision)
        return;
    const config *want = group == 0 ? opt->configs->main
                                    : configset_for(opt->configs, c->configuration, NULL);
    if (want == d->cfg)
        return;
    log_info(d->log, "%s: configuration %s (%s)", c->short_id, c->configuration, want->source);
    bool same = configset_same_provisioning(want, d->cfg);
    d->cfg = want;
    lc_error err = {0};
    if (!same && bootstrap_use_config(opt->bootstrap, &err) < 0)
        log_warn(d->log, "%s", err.msg);
}

int runner_run(dut *d, const tc_suite *suite, const run_options *opt, run_result *res)
{
    uint64_t t0 = mono_ms();
    bool *selected = calloc(suite->count ? suite->count : 1, sizeof *selected);
    if (!selected)
        return LC_ENOMEM;
    size_t *order = calloc(suite->count ? suite->count : 1, sizeof *order);
    if (!order) {
        free(selected);
        return LC_ENOMEM;
    }
    select_cases(suite, opt, selected);
    int *groups = case_groups(d, suite, opt);
    size_t n = order_cases(suite, selected, groups, opt->bootstrap != NULL, order);
    /* the plan counts the cases that will be played: not --skip'ped, applicable as far
     * as is known before the device registered */
    size_t planned_n = 0;
    size_t *planned = calloc(suite->count ? suite->count : 1, sizeof *planned);
    for (size_t k = 0; planned && k < n; k++) {
        const tc_case *c = suite->cases[order[k]];
        char lacks[1024];
        /* what the profile, description and options say is known now too (int-109 without
         * a profile declaring queue mode: no restart is made for it) */
        if ((opt->skip && listed(opt->skip, opt->skip_count, c)) ||
            missing_feature(c, d, opt, lacks, sizeof lacks, true) ||
            not_applicable(c, d, opt, lacks, sizeof lacks))
            continue;
        /* a case whose precondition is not played is not played either */
        bool deps_planned = true;
        for (size_t j = 0; j < c->depends_on_count && deps_planned; j++) {
            bool found = false;
            for (size_t q = 0; q < planned_n && !found; q++)
                found = tc_case_matches(suite->cases[planned[q]], c->depends_on[j]);
            deps_planned = found;
        }
        if (deps_planned)
            planned[planned_n++] = order[k];
    }
    /* a case that leaves the device away longer than the run waits: the next is a restart */
    bool *stops = opt->device_restartable ? calloc(suite->count ? suite->count : 1, sizeof *stops)
                                          : NULL;
    for (size_t k = 0; stops && k < planned_n; k++) {
        double sec;
        const char *var;
        const tc_case *c = suite->cases[planned[k]];
        stops[planned[k]] = deferred_restore(c, d, opt, &sec, &var) < c->step_count;
    }
    res->dut.resets_planned = order_planned_resets_stopping(suite, planned, planned_n, groups,
                                                            opt->bootstrap != NULL, stops);
    free(stops);
    if (res->dut.resets_made < 0)
        res->dut.resets_made = 0;
    free(planned);
    if (opt->on_plan)
        opt->on_plan(opt->on_case_arg, planned_n, res->dut.resets_planned);
    net_set_stop_flag(d->net, opt->stop);
    lwm2m_version hold;
    if (opt->lwm2m_version && lwm2m_version_parse(opt->lwm2m_version, &hold) == 0)
        registry_set_version_limit(d->reg, &hold);
    int rc = 0;
    order_state st = {.untouched = true};
    const char *gave_up = NULL; /* the case during which the device command gave up */

    for (size_t k = 0; k < n; k++) {
        const tc_case *c = suite->cases[order[k]];
        case_result *cr = result_add_case(res);
        if (!cr) {
            rc = LC_ENOMEM;
            break;
        }
        int group = groups ? groups[order[k]] : 0;
        use_case_config(d, c, group, opt);
        cr->id = result_strdup(c->id);
        cr->short_id = result_strdup(c->short_id);
        cr->title = result_strdup(c->title);
        cr->area = result_strdup(c->area);
        cr->source = result_strdup(c->source);
        for (size_t e = 0; e < c->ets_count; e++)
            if (result_case_add_ets(cr, c->ets[e].document, c->ets[e].id, c->ets[e].section) < 0)
                rc = LC_ENOMEM;
        cr->advisory = c->tool_reading;

        char lacks[1024];
        if (gave_up) {
            cr->verdict = VERDICT_SKIPPED;
            cr->not_run = true;
            cr->reason = result_printf("not run: the device command failed at start twice in a "
                                       "row (the ERROR of %s says how)", gave_up);
        } else if (net_interrupted(d->net)) {
            cr->verdict = VERDICT_SKIPPED;
            cr->not_run = true;
            cr->reason = result_strdup("not run: the run was interrupted");
            res->interrupted = true;
            rc = LC_EINTR;
        } else if (opt->skip && listed(opt->skip, opt->skip_count, c)) {
            cr->verdict = VERDICT_SKIPPED;
            cr->reason = result_strdup("skipped with --skip");
        } else if ((learn_device_version(d, c, opt), missing_feature(c, d, opt, lacks, sizeof lacks, false)) ||
                   not_applicable(c, d, opt, lacks, sizeof lacks)) {
            cr->verdict = VERDICT_SKIPPED;
            cr->reason = result_printf("not applicable: needs %s", lacks);
        } else {
            const char *blocked = NULL;
            verdict dep_verdict = VERDICT_PASS;
            for (size_t j = 0; j < c->depends_on_count && !blocked; j++) {
                const case_result *dep = find_result(res, c->depends_on[j]);
                if (!dep || dep->verdict != VERDICT_PASS) {
                    blocked = c->depends_on[j];
                    dep_verdict = dep ? dep->verdict : VERDICT_SKIPPED;
                }
            }
            if (blocked && dep_verdict == VERDICT_SKIPPED) {
                /* a precondition that does not apply here: neither does this case */
                cr->verdict = VERDICT_SKIPPED;
                cr->reason = result_printf("not applicable: its precondition %s was SKIPPED", blocked);
            } else if (blocked) {
                cr->verdict = VERDICT_INCONCLUSIVE;
                cr->reason = result_printf("not run: its precondition %s did not pass (%s)", blocked,
                                           verdict_name(dep_verdict));
            } else {
                if (opt->case_begin)
                    opt->case_begin(opt->reset_arg, c->short_id);
                run_case(d, c, group, opt, &st, res, cr);
                /* a bootstrap case that did not pass leaves a device the next cases must
                 * not be judged on: they get a provisioning of their own */
                if (order_has_bootstrap_step(c) && cr->verdict != VERDICT_PASS)
                    st.doubtful = true;
                /* a device that stopped with a request of the case in its hands (a FAIL, not
                 * a command that died before it did anything) is started again for the next */
                if (net_abort_reason(d->net) && cr->verdict == VERDICT_FAIL)
                    st.stopped = true;
                /* a case that rebooted the device, or did not pass, may have left it
                 * unreachable: the next case checks first */
                st.suspect = st.suspect || upkeep_case_reboots(c) ||
                             cr->verdict == VERDICT_FAIL || cr->verdict == VERDICT_ERROR ||
                             cr->verdict == VERDICT_INCONCLUSIVE;
                if (opt->case_end)
                    opt->case_end(opt->reset_arg, cr);
                if (cr->not_run) {
                    res->interrupted = true;
                    rc = LC_EINTR;
                }
            }
        }
        if (opt->on_case)
            opt->on_case(opt->on_case_arg, cr);
        if (!gave_up && opt->device_state &&
            opt->device_state(opt->reset_arg) == RUN_DEVICE_GAVE_UP) {
            gave_up = c->short_id; /* one ERROR says why; the rest are not run */
            rc = rc ? rc : LC_EIO;
        }
    }
    free(selected);
    note_unplanned_bootstraps(opt, res);
    free(groups);
    note_version_hold(d, opt, res);
    free(order);
    res->elapsed_ms += mono_ms() - t0;
    return rc;
}

int runner_exit_code(const run_result *res, bool strict)
{
    result_counts n = result_count(res);
    if (n.error)
        return 3;
    size_t against = n.fail + n.inconclusive - (strict ? 0 : n.advisory_fail);
    return against ? 1 : 0;
}
