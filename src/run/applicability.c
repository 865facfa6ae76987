#include "run/applicability.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/path.h"
#include "tc/rules.h"
#include "tc/vars.h"

static bool lacks_object(const tc_case *c, const applicability_env *env, char *why, size_t cap)
{
    for (size_t i = 0; i < c->step_count; i++) {
        const tc_step *s = &c->steps[i];
        if (s->server == TC_SERVER_BOOTSTRAP || !s->path)
            continue;
        lwm2m_path p;
        if (lwm2m_path_parse(s->path, &p) < 0 || p.depth < 1)
            continue;
        if (!profile_has_object(env->profile, p.ids[0])) {
            snprintf(why, cap, "object %u (step %d addresses %s; the device profile %s does not list it)",
                     (unsigned)p.ids[0], s->number, s->path, env->profile->source);
            return true;
        }
    }
    return false;
}

/* An instance of one of the device's own objects that a step addresses and the device's
 * description does not list (int-1901 writes C.15's /19/1 on a device whose object 19 has no
 * instance): the case does not apply to this device. Instances the case creates first, an
 * unjudged set-up Delete, and cases that start from another case's instances (depends_on),
 * are not judged here. */
static bool lacks_instance(const tc_case *c, const applicability_env *env, char *why, size_t cap)
{
    if (!env->desc || c->depends_on_count)
        return false;
    for (size_t i = 0; i < c->step_count; i++) {
        const tc_step *s = &c->steps[i];
        lwm2m_path p;
        if (s->server == TC_SERVER_BOOTSTRAP || !s->path || lwm2m_path_parse(s->path, &p) < 0)
            continue;
        if (s->op == TC_OP_CREATE)
            return false; /* what follows may address the instance it creates */
        if (p.depth < 2 || p.ids[0] <= 2)
            continue; /* Security, Server, Access Control: the test's, provisioned */
        if (s->op == TC_OP_DELETE && s->unjudged)
            continue; /* a set-up Delete (int-308/309 clear /16/1) needs nothing there */
        bool known = false;
        if (!description_has_instance(env->desc, p.ids[0], p.ids[1], &known) && known) {
            snprintf(why, cap, "instance /%u/%u (step %d addresses %s; the device description %s "
                     "lists object %u without it)", (unsigned)p.ids[0], (unsigned)p.ids[1],
                     s->number, s->path, env->desc->source, (unsigned)p.ids[0]);
            return true;
        }
    }
    return false;
}

static bool lacks_format(const tc_case *c, const applicability_env *env, char *why, size_t cap)
{
    for (size_t i = 0; i < c->step_count; i++) {
        const tc_step *s = &c->steps[i];
        if (s->server == TC_SERVER_BOOTSTRAP)
            continue;
        int cfs[2] = {s->accept, s->content_format};
        for (int k = 0; k < 2; k++)
            if (cfs[k] >= 0 && !profile_has_format(env->profile, cfs[k])) {
                snprintf(why, cap, "content format %d (step %d %s it; the device profile %s does not list it)",
                         cfs[k], s->number, k == 0 ? "asks for" : "sends", env->profile->source);
                return true;
            }
    }
    return false;
}

/* "queue-mode", "profile-id": the ETS makes the device's support of Queue Mode, of a
 * Profile ID, a precondition, which only the device profile can declare ("queue_mode":
 * true, "profile_id": true). */
static bool lacks_declared(const tc_case *c, const applicability_env *env, char *why, size_t cap)
{
    static const struct {
        const char *feature, *key, *what;
    } declared[] = {
        {"queue-mode", "queue_mode", "registers in queue mode"},
        {"profile-id", "profile_id", "registers with a Profile ID (LwM2M 1.2 pid)"},
    };
    for (size_t i = 0; i < c->requires_count; i++) {
        /* "send": Send is optional for a Client; only a profile that says it has none
         * ("send": false) makes the case not apply (int-306, int-307, int-311) */
        if (!strcmp(c->requires[i], "send") && env->profile && env->profile->no_send) {
            snprintf(why, cap, "send: the device profile %s says the device does not implement "
                     "Send (\"send\": false), an optional LwM2M 1.1 Client operation",
                     env->profile->source);
            return true;
        }
        for (size_t k = 0; k < sizeof declared / sizeof declared[0]; k++) {
            if (strcmp(c->requires[i], declared[k].feature) != 0)
                continue;
            bool yes = env->profile && (k == 0 ? env->profile->queue_mode : env->profile->profile_id);
            if (yes)
                continue;
            snprintf(why, cap, "%s: %s%s does not declare that the device %s (\"%s\": true)",
                     declared[k].feature, env->profile ? "the device profile " :
                     "no device profile (--profile FILE)", env->profile ? env->profile->source : "",
                     declared[k].what, declared[k].key);
            return true;
        }
    }
    return false;
}

static bool lacks_version(const tc_case *c, const applicability_env *env, char *why, size_t cap)
{
    if (!env->profile || !env->profile->lwm2m[0])
        return false;
    int have_major = 0, have_minor = 0;
    if (sscanf(env->profile->lwm2m, "%d.%d", &have_major, &have_minor) < 1)
        return false;
    for (size_t i = 0; i < c->requires_count; i++) {
        int ma, mi;
        if (tc_rules_version_feature(c->requires[i], &ma, &mi) &&
            (have_major < ma || (have_major == ma && have_minor < mi))) {
            snprintf(why, cap, "%s: the device profile %s declares LwM2M %s", c->requires[i],
                     env->profile->source, env->profile->lwm2m);
            return true;
        }
    }
    return false;
}

bool applicability_restore_step(const tc_case *c, size_t i)
{
    if (i >= c->step_count || !c->steps[i].unjudged)
        return false;
    for (size_t j = i + 1; j < c->step_count; j++)
        if (!c->steps[j].unjudged)
            return false;
    return true;
}

bool applicability_step_wait(const tc_step *s, const applicability_env *env, double *sec,
                             const char **var)
{
    if (!env->max_wait_ms)
        return false;
    tc_vars_env venv = {.cfg = env->cfg, .case_vars = env->case_vars,
                        .case_var_count = env->case_var_count};
    const char *vars[2] = {s->timeout_var, s->duration_var};
    for (int k = 0; k < 2; k++) {
        if (!vars[k])
            continue;
        char *text = NULL;
        lc_error err = {0};
        if (tc_vars_expand_env(vars[k], &venv, &text, &err) < 0)
            continue; /* the step reports it when it runs */
        double v = strtod(text, NULL);
        free(text);
        if (v * 1000.0 > (double)env->max_wait_ms) {
            *sec = v;
            *var = vars[k];
            return true;
        }
    }
    return false;
}

static bool too_long(const tc_case *c, const applicability_env *env, char *why, size_t cap)
{
    for (size_t i = 0; i < c->step_count; i++) {
        const tc_step *s = &c->steps[i];
        double sec = 0;
        const char *var = NULL;
        /* a clean-up the runner does not wait for (run/runner.c): the judged steps still run */
        if (applicability_restore_step(c, i) || !applicability_step_wait(s, env, &sec, &var))
            continue;
        snprintf(why, cap,
                 "a wait of at most %.0f s: step %d waits %s = %.0f s (raise --max-wait, or "
                 "use a configuration where it is shorter)",
                 (double)env->max_wait_ms / 1000.0, s->number, var, sec);
        return true;
    }
    return false;
}

/* A step that writes one of the device's own values (int-905 and int-910 restore the
 * Collection Period they changed): without that value the case cannot be played, and it is
 * the run's lack, not the device's fault. */
static bool lacks_device_value(const tc_case *c, const applicability_env *env, char *why,
                               size_t cap)
{
    tc_vars_env venv = {.cfg = env->cfg, .desc = env->desc, .case_vars = env->case_vars,
                        .case_var_count = env->case_var_count};
    for (size_t i = 0; i < c->step_count; i++) {
        const tc_step *s = &c->steps[i];
        for (size_t k = 0; k < s->value_count; k++) {
            char reason[400];
            if (s->values[k].value && tc_vars_undescribed(s->values[k].value, &venv, reason, sizeof reason)) {
                snprintf(why, cap, "the device's own value to write in step %d: %s", s->number,
                         reason);
                return true;
            }
        }
    }
    return false;
}

bool applicability_lacks(const tc_case *c, const applicability_env *env, char *why, size_t cap)
{
    if (lacks_device_value(c, env, why, cap) || lacks_instance(c, env, why, cap))
        return true;
    if (env->profile &&
        (lacks_object(c, env, why, cap) || lacks_format(c, env, why, cap) ||
         lacks_version(c, env, why, cap)))
        return true;
    return lacks_declared(c, env, why, cap) || too_long(c, env, why, cap);
}
