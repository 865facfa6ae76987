#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "common/log.h"
#include "lwm2m/objects.h"

static int dispatch(cli_args *a, logger *lg, volatile sig_atomic_t *stop)
{
    if (!strcmp(a->command, "run"))
        return cli_cmd_run(a, lg, stop);
    if (!strcmp(a->command, "list"))
        return cli_cmd_list(a, lg);
    if (!strcmp(a->command, "validate"))
        return cli_cmd_validate(a, lg);
    if (!strcmp(a->command, "objects"))
        return cli_cmd_objects(a, lg);
    if (!strcmp(a->command, "describe"))
        return cli_cmd_describe(a, lg, stop);
    return cli_cmd_serve(a, lg, stop);
}

int cli_main(int argc, char **argv, volatile sig_atomic_t *stop)
{
    logger *lg = logger_new(stdout, stderr, LOG_LVL_WARN);
    if (!lg)
        return EXIT_TOOL;
    cli_args *a = calloc(1, sizeof *a);
    if (!a) {
        logger_free(lg);
        return EXIT_TOOL;
    }
    int rc = cli_parse_args(argc, argv, a, lg);
    if (rc == 0) {
        logger_set_level(lg, a->verbose >= 3 ? LOG_LVL_TRACE : a->verbose >= 2 ? LOG_LVL_DEBUG
                             : a->command[0] == 's' ? LOG_LVL_INFO : LOG_LVL_WARN);
        logger_attach_coap(lg);
        /* validate reads definitions only; every other command needs the object model */
        rc = strcmp(a->command, "validate") != 0 ? cli_load_objects(a, lg) : 0;
        if (rc == 0)
            rc = dispatch(a, lg, stop);
        logger_attach_coap(NULL);
        objects_unload();
    } else if (rc < 0) {
        rc = EXIT_PASS;
    }
    free(a);
    logger_free(lg);
    return rc;
}
