/* The five commands of the command line, each given its parsed arguments. Each returns
 * the process exit code (enum cli_exit). */
#ifndef LC_CLI_COMMANDS_H
#define LC_CLI_COMMANDS_H

#include <signal.h>

#include "cli/options.h"

int cli_cmd_run(cli_args *a, logger *lg, volatile sig_atomic_t *stop);
int cli_cmd_serve(cli_args *a, logger *lg, volatile sig_atomic_t *stop);
int cli_cmd_list(cli_args *a, logger *lg);
int cli_cmd_validate(cli_args *a, logger *lg);
int cli_cmd_objects(cli_args *a, logger *lg);
/* describe: waits for the device (bootstrapping it with --bootstrap), reads what it has and
 * writes a device description (--output FILE). */
int cli_cmd_describe(cli_args *a, logger *lg, volatile sig_atomic_t *stop);
/* list --all: every id of the ETS draft (testcases/ets-1.0.1.tsv) against the suite. */
int cli_cmd_list_all(cli_args *a, const tc_suite *suite, logger *lg);

#endif
