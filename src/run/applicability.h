/* Whether a case can run against this device and set-up, decided before it starts: a case
 * that cannot is SKIPPED with the reason, never failed. Judged from the case itself, not a
 * list kept per case:
 *   - the objects its steps address and the content formats they ask for or send, against
 *     the device profile (run/profile.h), when there is one;
 *   - the LwM2M version the profile declares, for cases that require "lwm2m-1.1";
 *   - waits the configuration times (a step whose timeout or duration is a variable, such
 *     as int-103's Disable Timeout): longer than the run's limit (--max-wait) means the case
 *     would hold the run for that long, so it is skipped with the value and how to change it.
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

#endif
