/* Whether a case can run against this device and set-up, decided before it starts: a case
 * that cannot is SKIPPED with the reason, never failed. Judged from the case itself, not a
 * list kept per case:
 *   - the objects its steps address and the content formats they ask for or send, against
 *     the device profile (run/profile.h), when there is one;
 *   - the LwM2M version the profile declares, for cases that require "lwm2m-1.1";
 *   - waits the configuration times (a step whose timeout or duration is a variable, such
 *     as int-103's Disable Timeout): longer than the run's limit (--max-wait) means the case
 *     would hold the run for that long, so it is skipped with the value and how to change it;
 *     except a clean-up or restore step no criterion judges (int-103's wait for the
 *     re-Register after its Disable Timeout): the judged steps run and the runner does not
 *     wait that one (run/runner.h says what it does instead).
 * The features of "requires" (multi-server, bootstrap, lwm2m-1.1 as the device announced
 * it) stay with the runner. */
#ifndef LC_RUN_APPLICABILITY_H
#define LC_RUN_APPLICABILITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lwm2m/config.h"
#include "lwm2m/description.h"
#include "run/profile.h"
#include "tc/model.h"

typedef struct applicability_env {
    const config *cfg;
    const description *desc;       /* the device description; NULL: none given */
    const device_profile *profile; /* NULL: no profile, nothing restricted */
    uint64_t max_wait_ms;          /* 0: no limit */
    const tc_kv *case_vars;        /* the case's variables for this run */
    size_t case_var_count;
} applicability_env;

/* True when the case cannot run here; why (cap bytes) says what it needs that is missing,
 * in words a user can act on ("object 5 (not in the device profile fixtures/x.profile.json)"). */
bool applicability_lacks(const tc_case *c, const applicability_env *env, char *why, size_t cap);

/* True when step i of c is a clean-up or restore: it and every step after it are unjudged. */
bool applicability_restore_step(const tc_case *c, size_t i);
/* True when step s waits longer than the run's limit (env->max_wait_ms, 0: none) for a
 * configuration-timed value: *sec is the wait, *var the variable that times it. */
bool applicability_step_wait(const tc_step *s, const applicability_env *env, double *sec,
                             const char **var);

#endif
