/* The command line: parses the arguments (cli/options) and dispatches to one of four
 * commands (cli/commands: run, list, validate, serve).
 * cli_main returns the process exit code: 0 every case passed, 1 a case failed,
 * 2 a usage, configuration or definition error, 3 a tool or network error. */
#ifndef LC_CLI_H
#define LC_CLI_H

#include <signal.h>

int cli_main(int argc, char **argv, volatile sig_atomic_t *stop);

#endif
