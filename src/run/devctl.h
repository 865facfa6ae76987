/* Device control: how a run gets the device under test running and back to its factory
 * bootstrap configuration for the cases that need that.
 *
 *   --device-cmd CMD  the tool owns the device as a process (run/devproc): started before
 *                     the first case, ended (SIGTERM to its group, SIGKILL after the grace
 *                     period) and started again for each reset. `--sim` is this, with the
 *                     bundled simulator's command line.
 *   --reset-cmd CMD   a device the tool does not own (a board behind a relay): CMD runs to
 *                     completion within a deadline at each reset; the case then waits for
 *                     the device's Bootstrap-Request.
 *   neither           on a terminal a person is asked to reset the device; without one (CI)
 *                     a case that needs a reset is SKIPPED at once, never failed after a
 *                     timeout.
 *
 * The output of both commands goes to one log file (keys redacted); each played case gets
 * the log's tail for its time in its result (JUnit system-err). */
#ifndef LC_RUN_DEVCTL_H
#define LC_RUN_DEVCTL_H

#include <stdbool.h>
#include <stdint.h>

#include "report/result.h"
#include "run/devproc.h"
#include "run/runner.h"
#include "dut/dut.h"

typedef struct devctl_options {
    const char *device_cmd;     /* NULL: the tool does not run the device */
    const char *reset_cmd;      /* NULL: no reset command */
    const char *log_path;       /* the commands' log (needed when either is given) */
    const char *endpoint;       /* --endpoint, passed as LWM2M_CONFORM_ENDPOINT */
    const char *advertise_host; /* host in the URIs the command gets */
    unsigned stop_grace_ms;     /* SIGTERM -> SIGKILL; 0 = 3000 */
    uint64_t reset_timeout_ms;  /* deadline of the reset command; 0 = 60000 */
    bool interactive;           /* a person at a terminal can reset the device */
    bool bootstrap;             /* the run plays the bootstrap server */
    const char *send_cmd;       /* --send-cmd: makes the device Send now; NULL none */
    bool sim_send_signal;       /* --sim: SIGUSR1 to the simulated device makes it Send */
} devctl_options;

typedef struct devctl {
    devctl_options opt;
    logger *lg;
    dut *d;
    bool has_log;
    devproc proc;
    uint64_t case_log_at; /* where the current case's output starts in the log */
    char case_id[64];     /* the case being played */
    uint64_t started_at;  /* mono_ms of the device command's last start */
    bool reboot_pending;  /* a Reboot/Factory Reset Execute was sent: an exit is a reboot */
    unsigned reboots;     /* the device command was started again after such an exit */
    unsigned start_failures; /* starts in a row after which it exited before doing anything */
    bool gave_up;         /* two such starts: the run ends */
} devctl;

/* Opens the log when a command is given. Returns 0, or LC_EIO/LC_EINVAL with err set. */
int devctl_open(devctl *dc, const devctl_options *opt, dut *d, logger *lg, lc_error *err);
/* Ends the device command; warns when it had crashed. Returns its exit status, or -1. */
int devctl_close(devctl *dc);

/* run_options.reset_device, case_begin, case_end, device_rebooting and device_state (arg:
 * the devctl).
 *
 * While the tool waits, the device command is watched (net_set_watch): when it exits,
 *   - after a Reboot or Factory Reset Execute of the case (devctl_rebooting), it has
 *     rebooted: it is started again at once (counted in reboots), not an error;
 *   - before the device did anything since it was started (no message, no handshake), it
 *     failed at start: it is started once more; a second failure in a row ends every wait
 *     with its exit status and the log's tail, and devctl_state says RUN_DEVICE_GAVE_UP;
 *   - otherwise every wait ends with its exit status and the log's tail (the runner starts
 *     it again for the next case: devctl_state says RUN_DEVICE_EXITED). */
int devctl_reset(void *arg, const char *case_id, uint64_t wait_ms, lc_error *err);
void devctl_case_begin(void *arg, const char *case_id);
void devctl_case_end(void *arg, case_result *cr);
/* run_options.trigger_send: makes the device Send (LwM2M 1.1 §6.4.4) — SIGUSR1 to the
 * simulated device (--sim), else --send-cmd run to completion (within the reset timeout).
 * Returns 0 with how saying what was done; LC_ENOTFOUND when the run has no way (how says
 * so: the case then waits for the device's own Send); LC_EIO/LC_EPROTO/LC_ETIMEDOUT when
 * the command failed (err). */
int devctl_trigger_send(void *arg, const char *case_id, char *how, size_t cap, lc_error *err);
void devctl_rebooting(void *arg, const char *case_id);
int devctl_state(void *arg);

#endif
