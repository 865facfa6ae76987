#include "cli/device.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Appends s to buf as one shell word. */
static void shell_word(char *buf, size_t cap, const char *s)
{
    size_t n = strlen(buf);
    if (n + 2 < cap)
        buf[n++] = ' ';
    if (n + 1 < cap)
        buf[n++] = '\'';
    for (; *s && n + 5 < cap; s++) {
        if (*s == '\'') {
            memcpy(buf + n, "'\\''", 4);
            n += 4;
        } else {
            buf[n++] = *s;
        }
    }
    if (n + 1 < cap)
        buf[n++] = '\'';
    buf[n] = '\0';
}

/* --sim is --device-cmd with this command line: the bundled simulator, given the URIs
 * through the environment every device command gets. */
void cli_sim_command(const cli_args *a, const config *cfg, char *buf, size_t cap)
{
    char exe[PATH_MAX + 16];
    snprintf(exe, sizeof exe, "%s/lwm2m-simdev", a->exe_dir);
    snprintf(buf, cap, "exec");
    shell_word(buf, cap, exe);
    shell_word(buf, cap, "--config");
    shell_word(buf, cap, a->config_path);
    shell_word(buf, cap, "--description");
    shell_word(buf, cap, a->sim_description);
    if (a->psk_file) {
        shell_word(buf, cap, "--psk-file");
        shell_word(buf, cap, a->psk_file);
    }
    size_t n = strlen(buf);
    if (a->bootstrap) {
        /* a device that bootstraps learns its servers from the bootstrap server; its
         * factory accounts keep the configuration's URIs, so a device that ignores what was
         * provisioned (bootstrap-keep-old-account) is not rescued by them */
        n += (size_t)snprintf(buf + n, cap - n, " --bootstrap --bootstrap-uri \"$LWM2M_CONFORM_BOOTSTRAP_URI\"");
    } else {
        for (size_t i = 0; i < cfg->account_count && n < cap; i++)
            if (!cfg->accounts[i].bootstrap)
                n += (size_t)snprintf(buf + n, cap - n, " --server-uri \"%d=$LWM2M_CONFORM_SERVER_URI_%d\"",
                                      cfg->accounts[i].short_server_id, cfg->accounts[i].short_server_id);
    }
    if (a->endpoint && n < cap)
        snprintf(buf + n, cap - n, " --endpoint \"$LWM2M_CONFORM_ENDPOINT\"");
    if (a->lwm2m_version) {
        shell_word(buf, cap, "--lwm2m");
        shell_word(buf, cap, a->lwm2m_version);
    }
    for (size_t i = 0; i < a->objects_dir_count; i++) {
        shell_word(buf, cap, "--objects");
        shell_word(buf, cap, a->objects_dirs[i]);
    }
    for (size_t i = 0; i < a->fault_count; i++) {
        shell_word(buf, cap, "--fault");
        shell_word(buf, cap, a->faults[i]);
    }
    for (size_t i = 0; i < a->sim_arg_count; i++)
        shell_word(buf, cap, a->sim_args[i]);
    if (a->verbose >= 2)
        shell_word(buf, cap, "-v");
}

/* The device log: as given, else a new file in $TMPDIR the report names. */
const char *cli_device_log_path(cli_args *a, lc_error *err)
{
    if (a->device_log)
        return a->device_log;
    const char *dir = getenv("TMPDIR");
    snprintf(a->log_buf, sizeof a->log_buf, "%s/lwm2m-conform-device-XXXXXX.log",
             dir && *dir ? dir : "/tmp");
    int fd = mkstemps(a->log_buf, 4);
    if (fd < 0) {
        lc_error_set(err, LC_EIO, "cannot create a device log %s: %s", a->log_buf, strerror(errno));
        return NULL;
    }
    close(fd);
    return a->log_buf;
}

/* A command line for the reports: a key typed into it is not repeated there. */
char *cli_redacted(const logger *lg, const char *s)
{
    if (!s)
        return NULL;
    size_t cap = strlen(s) * 2 + 32; /* "[redacted]" may be longer than what it replaces */
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    snprintf(buf, cap, "%s", s);
    logger_redact(lg, buf, cap);
    return buf;
}

int cli_open_dut(const cli_args *a, config *cfg, dut *d, logger *lg)
{
    int r = cli_load_config(a, cfg, lg);
    if (r)
        return r;
    lc_error err = {0};
    if (dut_open(d, cfg, lg, &a->dut, &err) < 0) {
        log_error(lg, "%s", err.msg);
        return err.code == LC_EINVAL ? EXIT_USAGE : EXIT_TOOL;
    }
    return 0;
}
