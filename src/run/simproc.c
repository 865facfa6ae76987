#include "run/simproc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/mono.h"

int simproc_start(simproc *sp, const dut *d, const simproc_options *opt, lc_error *err)
{
    sp->pid = -1;
    sp->exit_status = 0;
    if (access(opt->exe, X_OK) != 0)
        return lc_error_set(err, LC_ENOTFOUND, "the simulated device %s is missing (run `make`)",
                            opt->exe);
    char uris[8][160];
    char *argv[64];
    int argc = 0, nuri = 0;
    argv[argc++] = (char *)opt->exe;
    argv[argc++] = "--config";
    argv[argc++] = (char *)opt->config_path;
    if (opt->psk_file) {
        argv[argc++] = "--psk-file";
        argv[argc++] = (char *)opt->psk_file;
    }
    for (size_t i = 0; i < d->cfg->account_count && nuri < 7; i++) {
        const config_account *a = &d->cfg->accounts[i];
        int ssid = a->bootstrap ? 0 : a->short_server_id;
        char uri[128];
        /* a device that bootstraps learns its servers from the bootstrap server; its
         * factory accounts keep the configuration's URIs, so a device that ignores what was
         * provisioned (bootstrap-keep-old-account) is not rescued by them */
        if (opt->bootstrap && !a->bootstrap)
            continue;
        if (dut_endpoint_uri(d, ssid, NULL, uri, sizeof uri) < 0)
            continue;
        if (a->bootstrap) {
            snprintf(uris[nuri], sizeof uris[nuri], "%s", uri);
            argv[argc++] = "--bootstrap-uri";
        } else {
            snprintf(uris[nuri], sizeof uris[nuri], "%d=%s", ssid, uri);
            argv[argc++] = "--server-uri";
        }
        argv[argc++] = uris[nuri++];
    }
    if (opt->bootstrap)
        argv[argc++] = "--bootstrap";
    if (opt->lwm2m_version) {
        argv[argc++] = "--lwm2m";
        argv[argc++] = (char *)opt->lwm2m_version;
    }
    for (size_t i = 0; i < opt->objects_dir_count && argc < 40; i++) {
        argv[argc++] = "--objects";
        argv[argc++] = (char *)opt->objects_dirs[i];
    }
    for (size_t i = 0; i < opt->fault_count && argc < 60; i++) {
        argv[argc++] = "--fault";
        argv[argc++] = (char *)opt->faults[i];
    }
    for (size_t i = 0; i < opt->extra_arg_count && argc < 62; i++)
        argv[argc++] = (char *)opt->extra_args[i];
    if (opt->verbose && argc < 63)
        argv[argc++] = "-v";
    argv[argc] = NULL;

    /* A SIGTERM (simproc_stop) that reached the child between fork and exec would run the
     * tool's own handler there and be lost, leaving a device that never stops: block the
     * signals across fork, and let the child take them with their default action until
     * the simulator installs its own. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, &old);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        sigprocmask(SIG_SETMASK, &old, NULL);
        return lc_error_set(err, LC_EIO, "cannot start the simulated device: %s", strerror(e));
    }
    if (pid == 0) {
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        sigprocmask(SIG_SETMASK, &old, NULL);
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, STDIN_FILENO);
            dup2(null, STDOUT_FILENO);
            if (!opt->verbose)
                dup2(null, STDERR_FILENO);
        }
        execv(opt->exe, argv);
        _exit(127);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    sp->pid = pid;
    log_info(d->log, "started the simulated device (pid %d)", (int)pid);
    return 0;
}

bool simproc_running(simproc *sp, int *status)
{
    if (sp->pid <= 0)
        return false;
    int st = 0;
    pid_t r = waitpid(sp->pid, &st, WNOHANG);
    if (r == sp->pid) {
        sp->pid = -1;
        sp->exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        if (status)
            *status = sp->exit_status;
        return false;
    }
    return r == 0;
}

bool simproc_watch(void *arg, char *why, size_t cap)
{
    simproc *sp = arg;
    if (sp->pid <= 0 || simproc_running(sp, NULL))
        return false;
    snprintf(why, cap, "the simulated device exited with status %d before the run ended (run "
             "with -vv to see its log)", sp->exit_status);
    return true;
}

int simproc_stop(simproc *sp, dut *d, unsigned timeout_ms)
{
    if (sp->pid <= 0)
        return sp->exit_status;
    int status = -1;
    kill(sp->pid, SIGTERM);
    uint64_t deadline = mono_ms() + timeout_ms;
    while (simproc_running(sp, &status) && mono_ms() < deadline)
        net_poll(d->net, mono_ms() + 50 < deadline ? mono_ms() + 50 : deadline);
    if (sp->pid > 0) {
        kill(sp->pid, SIGKILL);
        waitpid(sp->pid, NULL, 0);
        sp->pid = -1;
        log_warn(d->log, "the simulated device did not stop within %u ms and was killed", timeout_ms);
    }
    return status;
}
