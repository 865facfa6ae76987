/* The runner: plays the cases of a suite against one device under test and fills the
 * result model. Cases run in dependency order; a case whose dependency did not pass is
 * INCONCLUSIVE and not run; a case that needs a feature the set-up lacks is SKIPPED. Every
 * step has a deadline; a deadline that passes is a FAIL of the criteria that judge that
 * step, never a pass.
 *
 * The device's state between cases: a case with "device_reset": "factory" starts from a
 * device reset to its factory bootstrap configuration (run_options.reset_device), except
 * the first thing the run does with a device that has just been started; the events the
 * previous incarnation left queued are dropped. When the run plays the bootstrap server,
 * a case without bootstrap steps runs against a provisioned device: if no bootstrap case
 * has left one behind (or a case already took the Registers that followed and this case
 * expects Registers too), the runner resets the device if needed and provisions it first;
 * when that fails the case is INCONCLUSIVE. That exchange is in the case's trace. */
#ifndef LC_RUNNER_H
#define LC_RUNNER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"
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
    /* The version hold (--lwm2m "1.0", "1.1", "1.2"): a Register announcing a newer LwM2M
     * version is answered 4.12 Precondition Failed and the run waits for the device's
     * fallback Register (the report says so). NULL: no hold. Cases that require
     * "lwm2m-1.1" apply by the version the device registered with; before its first
     * Register, by this one. */
    const char *lwm2m_version;
    /* Brings the device back to its factory bootstrap configuration before a case with
     * "device_reset": "factory" (and before the run bootstraps the device again for a case
     * that needs fresh registrations). case_id names the case; wait_ms is how long its
     * first step will wait for the device. Returns 0, or a negative LC_E* with err set (the
     * case is then an ERROR). NULL: such cases are an ERROR, unless the device has not
     * been touched yet in this run. */
    int (*reset_device)(void *arg, const char *case_id, uint64_t wait_ms, lc_error *err);
    void *reset_arg;
    /* Called when a case has its verdict (the terminal reporter prints it). */
    void (*on_case)(void *arg, const case_result *c);
    void *on_case_arg;
} run_options;

/* Runs the suite. Appends one case_result per case to res (every case of the suite
 * appears: run, skipped or not run). Returns 0, or LC_EINTR when the stop flag ended the
 * run (res->interrupted is set and the remaining cases are SKIPPED with not_run). */
int runner_run(dut *d, const tc_suite *suite, const run_options *opt, run_result *res);

/* Exit code for a finished run: 0 every case passed or was skipped, 1 a FAIL or an
 * INCONCLUSIVE, 3 an ERROR (a tool or network problem). The FAIL or INCONCLUSIVE of an
 * advisory case (a tool reading) counts only when strict (--strict). */
int runner_exit_code(const run_result *res, bool strict);

#endif
