/* Typed matchers: one per kind of pass-criterion check (code, content format,
 * registration fields, link sets, values). Each judges one step outcome and says, in the
 * report's words, what was expected and what was observed. */
#ifndef LC_RUN_MATCH_H
#define LC_RUN_MATCH_H

#include "lwm2m/config.h"
#include "lwm2m/description.h"
#include "lwm2m/instmap.h"
#include "report/result.h"
#include "dut/outcome.h"
#include "tc/model.h"

typedef struct match_env {
    const config *cfg;          /* for ${variables} */
    const description *desc;    /* the device's own values; NULL: none given */
    const char *endpoint_name;  /* the name the device registered with, or NULL */
    const instmap *instances;   /* where the configuration's instances are on the device;
                                   NULL: at the configuration's ids */
    const tc_kv *case_vars;     /* the case's ${var.NAME} values for this run; may be NULL */
    size_t case_var_count;
    /* the firmware check's "version": the case's outcomes so far (an earlier Read of
     * /3/0/3 is the version "unchanged" means) and --firmware-version ("installed") */
    const step_outcome *outcomes;
    size_t outcome_count;
    const char *firmware_version;
    double timing_scale;        /* multiplies every timing tolerance (--timing-tolerance);
                                   0 means 1 */
} match_env;

typedef struct match_result {
    verdict verdict;  /* PASS, FAIL (the device), ERROR (the definition or the tool) */
    char *expected;   /* malloc'd; NULL on PASS when nothing is worth showing */
    char *observed;   /* malloc'd */
} match_result;

void match_result_clear(match_result *m);

/* Judges one check against an outcome. An outcome without a response fails every check
 * that needs one, with the outcome's detail as the observation. */
void match_check(const tc_check *check, const step_outcome *o, const match_env *env,
                 match_result *out);

/* Judges a whole criterion: every check must pass. The first failing check's expected
 * and observed are reported, with the others appended. */
void match_criterion(const tc_criterion *c, const step_outcome *o, const match_env *env,
                     match_result *out);

#endif
