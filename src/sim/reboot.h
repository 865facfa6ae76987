/* What the simulated device does when a server executes Reboot /3/0/4 (or Factory Reset
 * /3/0/5): real devices differ, and the conformance tool must cope with each.
 *
 *   in-process  the default and the simulator's historic behaviour: answer 2.04, drop every
 *               session without a goodbye, and register again 0.5 s later from the same
 *               process, keeping everything it holds in memory (as if it were persisted);
 *   exit        answer 2.04, then end the process with status 0: whoever started it starts
 *               it again (a device whose supervisor restarts it);
 *   reexec      answer 2.04, then execv itself with the same arguments: same pid, same
 *               local port, memory lost (what Anjay's demo does).
 *
 * In exit and reexec what survives is what --state-file saved (sim/persist.h); without it
 * the device starts from its factory configuration and bootstraps again when started with
 * --bootstrap. */
#ifndef LC_SIM_REBOOT_H
#define LC_SIM_REBOOT_H

#include "common/err.h"

typedef enum {
    SIM_REBOOT_IN_PROCESS = 0,
    SIM_REBOOT_EXIT,
    SIM_REBOOT_REEXEC,
} sim_reboot_mode;

/* "in-process", "exit" or "reexec". Returns 0 or LC_EINVAL (the message lists them). */
int sim_reboot_parse(const char *s, sim_reboot_mode *out, lc_error *err);
const char *sim_reboot_name(sim_reboot_mode m);

#endif
