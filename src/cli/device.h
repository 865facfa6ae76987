/* The device options run and describe share: the bundled simulator's command line (--sim),
 * the device log, command lines as the reports show them. */
#ifndef LC_CLI_DEVICE_H
#define LC_CLI_DEVICE_H

/* The endpoint name the bundled simulated device uses without --endpoint (its own default,
 * src/sim/main.c). */
#define SIM_DEFAULT_ENDPOINT "lwm2m-simdev"

#include <stddef.h>

#include "cli/options.h"
#include "dut/dut.h"

/* --sim is --device-cmd with this command line: the bundled simulator on the run's
 * configuration and its own description (fixtures/simdev.json), given the URIs through
 * the environment every device command gets. */
void cli_sim_command(const cli_args *a, const config *cfg, char *buf, size_t cap);
/* The device log: as given (--device-log), else a new file in $TMPDIR the report names. */
const char *cli_device_log_path(cli_args *a, lc_error *err);
/* A command line for the reports: a key typed into it is not repeated there (malloc'd). */
char *cli_redacted(const logger *lg, const char *s);
/* The run's configuration (cli_load_config) and the tool's servers on it (dut_open), as
 * describe and serve start: 0, or the exit code with the error logged (EXIT_USAGE for what
 * the options got wrong, EXIT_TOOL otherwise). After 0 the caller closes d (dut_close). */
int cli_open_dut(const cli_args *a, config *cfg, dut *d, logger *lg);

#endif
