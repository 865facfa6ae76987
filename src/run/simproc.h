/* The bundled simulated device as a child process: `run --sim` starts it against the
 * endpoints the tool just opened (their real, possibly ephemeral, ports) and stops it when
 * the run ends, answering its De-registers while it shuts down. */
#ifndef LC_SIMPROC_H
#define LC_SIMPROC_H

#include <stdbool.h>
#include <sys/types.h>

#include "run/dut.h"

typedef struct simproc_options {
    const char *exe;          /* path of lwm2m-simdev */
    const char *config_path;  /* the configuration the tool uses */
    const char *psk_file;     /* may be NULL */
    bool bootstrap;           /* start from the bootstrap account only (its server URIs
                                 are then the bootstrap server's to give) */
    const char *lwm2m_version; /* --lwm2m of the simulator ("1.0", "1.1"); NULL: its default */
    const char *const *objects_dirs; /* --objects of the tool, passed on */
    size_t objects_dir_count;
    const char *const *faults;
    size_t fault_count;
    const char *const *extra_args; /* passed after all the others, as is (--sim-arg) */
    size_t extra_arg_count;
    bool verbose;             /* let the simulator's log through to stderr */
} simproc_options;

typedef struct simproc {
    pid_t pid;
    int exit_status; /* once reaped: its exit status (128 + signal when killed) */
} simproc;

int simproc_start(simproc *sp, const dut *d, const simproc_options *opt, lc_error *err);
/* SIGTERM, then keeps the tool's I/O loop running (so the device's De-registers are
 * answered) until the child exits or timeout_ms passes; then SIGKILL. Returns the child's
 * exit status, or -1. */
int simproc_stop(simproc *sp, dut *d, unsigned timeout_ms);
/* A net_watch_fn (arg: the simproc): true once the simulated device has exited on its
 * own, so the run reports it at once instead of waiting out every step's deadline. */
bool simproc_watch(void *arg, char *why, size_t cap);
/* True while the child runs; *status receives its exit status once it has ended. */
bool simproc_running(simproc *sp, int *status);

#endif
