/* The runner: plays the cases of a suite against one device under test and fills the
 * result model. Cases run in dependency order; a case whose dependency did not pass is
 * INCONCLUSIVE and not run; a case that needs a feature the set-up lacks is SKIPPED. Every
 * step has a deadline; a deadline that passes is a FAIL of the criteria that judge that
 * step, never a pass.
 *
 * The order of the cases and the device resets it needs are run/order's: cases sharing a
 * provisioned device first, factory-reset cases after, dependencies kept.
 *
 * The device's state between cases: a case with "device_reset": "factory" starts from a
 * device reset to its factory bootstrap configuration (run_options.reset_device), except
 * the first thing the run does with a device that has just been started. When the run
 * plays the bootstrap server, a case without bootstrap steps runs against a provisioned
 * device: if none is left from before (or a case already took the Registers that
 * followed and this case expects Registers too, or a destructive case ran since), the
 * runner resets the device if needed and provisions it first. A case that talks to a
 * server without expecting the device's Register there assumes the device is registered
 * with it, and waits for that first. That exchange is in the case's trace.
 *
 * A case starts only from a device known to be registered and reachable (run/upkeep):
 * after a case that rebooted the device or did not pass, the runner pings it, restores it
 * when it is gone (the device command started again, provisioned again, its registration
 * awaited up to reboot_timeout_ms) and otherwise makes the case INCONCLUSIVE. A device
 * command that fails at start twice in a row ends the run with one ERROR.
 *
 * Verdicts blame the device only for what it did: a case whose preamble fails (the
 * reset, the provisioning, a registration it assumes) is INCONCLUSIVE with the reason; a
 * case needing a reset the run cannot make is SKIPPED; FAIL is for a criterion (or a step)
 * of the case itself. */
#ifndef LC_RUNNER_H
#define LC_RUNNER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"
#include "report/result.h"
#include "dut/dut.h"
#include "lwm2m/configset.h"
#include "tc/model.h"

typedef struct bootstrap_server bootstrap_server;

/* What run_options.device_state says. */
typedef enum {
    RUN_DEVICE_UNKNOWN = 0, /* not a device the tool runs */
    RUN_DEVICE_RUNNING,
    RUN_DEVICE_EXITED,      /* its command exited on its own: starting it again restores it */
    RUN_DEVICE_GAVE_UP,     /* it failed at start twice in a row: the run ends */
} run_device_state;

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
    /* --var NAME=VALUE: overrides a case's "variables" default (cases without NAME ignore
     * it). */
    const char *const *vars;
    size_t var_count;
    /* What the device supports (run/profile.h); NULL: nothing restricted. A case that
     * needs more is SKIPPED (run/applicability.h). */
    const struct device_profile *profile;
    /* The configurations of the cases (each case's "configuration"; lwm2m/configset). With
     * the bootstrap server, a case is played with the device provisioned in its own
     * configuration, and its ${variables} read that one. Without it the device holds d->cfg:
     * a case of another configuration is SKIPPED where d->cfg's Access Control would refuse
     * what it does (run/devfacts). NULL: every case in d->cfg. */
    const struct configset *configs;
    /* Cases whose configuration-timed waits (a variable step timeout or duration) exceed
     * this are SKIPPED; 0 = no limit. Except a clean-up no criterion judges at the end of a
     * case (int-103's wait for the Register after the Disable Timeout): the judged steps
     * run, that wait is not made, and the report says so in a note; the next case starts
     * the device again (reset_device) when the run can (device_restartable), else the
     * cases after it that need the device are INCONCLUSIVE until it registers again. */
    uint64_t max_wait_ms;
    /* --timing-tolerance: every timing criterion's tolerance is multiplied by it (slow
     * links); 0 means 1. */
    double timing_scale;
    /* Brings the device back to its factory bootstrap configuration before a case with
     * "device_reset": "factory" (and before the run bootstraps the device again for a case
     * that needs fresh registrations). case_id names the case; wait_ms is how long its
     * first step will wait for the device. It drops the events of the device's previous
     * life itself (what is queued when it returns belongs to the reset device). Returns 0;
     * LC_EUNSUPPORTED when this run cannot reset the device (the case is SKIPPED with
     * err's message); LC_EINTR; LC_EIO when the tool could not run the device (ERROR);
     * any other negative LC_E* when the reset failed (INCONCLUSIVE). NULL: such cases are
     * SKIPPED, unless the device has not been touched yet in this run. */
    int (*reset_device)(void *arg, const char *case_id, uint64_t wait_ms, lc_error *err);
    /* Around every case that is played (with reset_arg): before its preparation, and once
     * it has its verdict (the device control adds its log's tail to the result). */
    void (*case_begin)(void *arg, const char *case_id);
    void (*case_end)(void *arg, case_result *cr);
    /* Makes the device Send now (a trigger-send step); arg is reset_arg. NULL: no way.
     * Returns 0 (how says what was done), LC_ENOTFOUND (no way: how says so), or an error
     * of the command (err). */
    int (*trigger_send)(void *arg, const char *case_id, char *how, size_t cap, lc_error *err);
    /* Before a step executes the Device object's Reboot or Factory Reset (with reset_arg):
     * a device command that exits after it has rebooted and is started again. */
    void (*device_rebooting)(void *arg, const char *case_id);
    /* What the device command is doing (run_device_state; with reset_arg); NULL: the tool
     * does not run the device. */
    int (*device_state)(void *arg);
    void *reset_arg;
    /* reset_device can bring back a device that is gone (a device or reset command): the
     * runner uses it for a device it found unreachable before a case. */
    bool device_restartable;
    /* How long a device may take to register again after a reboot, a restart or a
     * re-provisioning (--reboot-timeout); 0 = 120000. */
    uint64_t reboot_timeout_ms;
    uint64_t max_transmit_wait_ms; /* queue mode, see run/step_queue.h; 0 = 93 s */
    /* Before the first case (with on_case_arg): how many cases the run plans to play and
     * how many device resets they need. */
    void (*on_plan)(void *arg, size_t cases, int resets);
    /* Called when a case has its verdict (the terminal reporter prints it). */
    void (*on_case)(void *arg, const case_result *c);
    void *on_case_arg;
    /* Firmware packages, their servers and the update deadlines (fw/delivery.h); NULL:
     * the firmware cases that need a package are SKIPPED, saying which option to give. */
    struct fw_delivery *firmware;
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
