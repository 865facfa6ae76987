/* describe: placeholder, filled in below. */
#include "cli/commands.h"

int cli_cmd_describe(cli_args *a, logger *lg, volatile sig_atomic_t *stop)
{
    (void)a;
    (void)stop;
    log_error(lg, "describe: not yet");
    return EXIT_TOOL;
}
