/* The runner: plays the cases of a suite against one device under test and fills the
 * result model. Cases run in dependency order; a case whose dependency did not pass is
 * INCONCLUSIVE and not run; a case that needs a feature the set-up lacks is SKIPPED. Every
 * step has a deadline; a deadline that passes is a FAIL of the criteria that judge that
 * step, never a pass. */
#ifndef LC_RUNNER_H
#define LC_RUNNER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "report/result.h"
#include "run/dut.h"
#include "tc/model.h"

typedef struct bootstrap_server bootstrap_server;

typedef struct run_options {
    uint64_t step_timeout_ms;      /* every step's deadline unless the step sets its own */
    const char *const *only;       /* ids to run (with their dependencies); NULL = all */
    size_t only_count;
    const char *const *skip;       /* ids reported as SKIPPED */
    size_t skip_count;
    volatile sig_atomic_t *stop;   /* set by a signal handler: remaining cases are not run */
    bootstrap_server *bootstrap;   /* NULL unless the run plays the bootstrap server */
    /* Called when a case has its verdict (the terminal reporter prints it). */
    void (*on_case)(void *arg, const case_result *c);
    void *on_case_arg;
} run_options;

/* Runs the suite. Appends one case_result per case to res (every case of the suite
 * appears: run, skipped or not run). Returns 0, or LC_EINTR when the stop flag ended the
 * run (res->interrupted is set and the remaining cases are SKIPPED with not_run). */
int runner_run(dut *d, const tc_suite *suite, const run_options *opt, run_result *res);

/* Exit code for a finished run: 0 every case passed or was skipped, 1 a FAIL or an
 * INCONCLUSIVE, 3 an ERROR (a tool or network problem). */
int runner_exit_code(const run_result *res);

#endif
