/* The records a write step's "values" describe: each value's path, its ${variables}
 * expanded, typed by the step's "type" or the object model, as lwm2m_records ready to
 * encode. Shared by the step executors (Write, Create) and the bootstrap server
 * (Bootstrap-Write with values), so neither depends on the other for it. */
#ifndef LC_DUT_STEPVALUES_H
#define LC_DUT_STEPVALUES_H

#include "common/err.h"
#include "lwm2m/config.h"
#include "lwm2m/content/value.h"
#include "tc/model.h"
#include "tc/vars.h"

/* Appends the records s's "values" describe (${variables} expanded against env) to recs,
 * at the paths the values name. Returns 0, or LC_EINVAL/LC_ENOMEM with err
 * naming the step and the value. */
int stepvalues_records(const tc_step *s, const tc_vars_env *env, lwm2m_records *recs,
                       lc_error *err);

#endif
