/* The device under test as a process the tool owns: `run --device-cmd CMD` (and `--sim`,
 * which is a device command running the bundled simulator). The command runs under
 * /bin/sh -c in its own process group, with the run's facts in its environment:
 *
 *   LWM2M_CONFORM_BOOTSTRAP_URI      the bootstrap server's URI (when the run plays it)
 *   LWM2M_CONFORM_SERVER_URI_<ssid>  each server account's URI, with the real port
 *   LWM2M_CONFORM_CASE               the case the device was (re)started for
 *   LWM2M_CONFORM_ENDPOINT           the endpoint name under test (--endpoint), when given
 *
 * Its stdout and stderr reach the tool through a pipe and are written to one log file,
 * line by line, with every registered secret (PSK key) redacted on the way, so the log
 * holds no key even when a device prints its own. The pipe is drained whenever the tool
 * waits (devproc_watch) and while the process is stopped.
 *
 * The same machinery runs a one-shot command to completion within a deadline
 * (devproc_run_once, for `--reset-cmd`), its output going to the same log. */
#ifndef LC_DEVPROC_H
#define LC_DEVPROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/err.h"
#include "common/log.h"
#include "dut/dut.h"

typedef struct devproc_options {
    const char *command;        /* shell command line; NULL with only devproc_run_once */
    const char *log_path;       /* the log file (truncated by devproc_open) */
    const char *endpoint;       /* LWM2M_CONFORM_ENDPOINT; NULL: not set */
    const char *advertise_host; /* host in the URIs; NULL: the endpoints' bound address */
    unsigned stop_grace_ms;     /* SIGTERM, then SIGKILL after this long; 0 = 3000 */
} devproc_options;

/* One child process group and the pipe that carries its output. */
typedef struct devproc_child {
    pid_t pid;         /* the shell; -1 when reaped */
    pid_t pgid;        /* its process group; 0 once no member is left */
    int out_fd;        /* read end of its output pipe; -1 at EOF */
    int exit_status;   /* once the shell was reaped: its status (128 + signal when killed) */
    char line[2048];   /* the incomplete last line read */
    size_t line_len;
} devproc_child;

typedef struct devproc {
    devproc_options opt;
    logger *log;       /* borrowed: the secrets to redact, diagnostics */
    int log_fd;
    devproc_child dev; /* the device command */
    bool stopping;     /* devproc_stop is ending it: its exit is expected */
    bool died;         /* it exited on its own since it was last started */
    unsigned starts;   /* how many times the device command was started */
} devproc;

/* Opens (truncates) the log file. Returns 0 or LC_EIO. dp->dev is not running. */
int devproc_open(devproc *dp, const devproc_options *opt, logger *log, lc_error *err);
/* Stops the device command if it runs (devproc_stop with d NULL: no I/O loop) and closes
 * the log. */
void devproc_close(devproc *dp, dut *d);

/* Starts the device command for case_id (NULL: none yet). Returns 0, or LC_EIO. */
int devproc_start(devproc *dp, const dut *d, const char *case_id, lc_error *err);
/* SIGTERM to its process group, then keeps the tool's I/O loop (d; may be NULL) running
 * so the device's De-registers are answered, until every process of the group has ended
 * or the grace period passes; then SIGKILL to the group. Returns the shell's exit status
 * (0 or 128 + SIGTERM for an orderly stop), or -1 when it was not running. */
int devproc_stop(devproc *dp, dut *d);
/* True while the device command's shell runs; *status gets its exit status once it ended.
 * Also drains its output into the log. */
bool devproc_running(devproc *dp, int *status);
/* A net_watch_fn (arg: the devproc): drains the output, and returns true once the device
 * command has exited on its own, with why naming its exit status, the log file and the
 * log's last lines, so every wait ends at once. */
bool devproc_watch(void *arg, char *why, size_t cap);

/* Runs command (sh -c, own process group, same environment and log) until its shell
 * exits (what it leaves running in the background is left alone and not logged).
 * Keeps d's I/O loop running meanwhile (events the device sends stay queued). Returns
 * 0 when it exited with status 0; LC_ETIMEDOUT when it had not ended after timeout_ms
 * (its group is then killed); LC_EPROTO when it exited with another status; LC_EIO when it
 * could not be started. err says which, with the log's tail. */
int devproc_run_once(devproc *dp, dut *d, const char *command, const char *case_id,
                     uint64_t timeout_ms, lc_error *err);

/* The log's current size, to mark where a case's output starts. */
uint64_t devproc_log_offset(devproc *dp);
/* The log from offset on, at most max_bytes of its end (cut at a line start), as a new
 * NUL-terminated string (redacted already); NULL when there is nothing or on error. */
char *devproc_log_since(devproc *dp, uint64_t offset, size_t max_bytes);

#endif
