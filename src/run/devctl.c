#include "run/devctl.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mono.h"

#define CASE_LOG_TAIL 2048

/* Starts the device command: a new life of the device. */
static int start(devctl *dc, const char *case_id, lc_error *err)
{
    int r = devproc_start(&dc->proc, dc->d, case_id, err);
    if (r == 0)
        dc->started_at = dc->d->life_started_at = mono_ms();
    return r;
}

static bool watch(void *arg, char *why, size_t cap)
{
    devctl *dc = arg;
    if (!devproc_watch(&dc->proc, why, cap))
        return false;
    int status = dc->proc.dev.exit_status;
    lc_error err = {0};
    const char *cid = dc->case_id[0] ? dc->case_id : NULL;
    if (net_last_heard(dc->d->net) < dc->started_at) { /* it never got as far as the network */
        if (++dc->start_failures >= 2) {
            dc->gave_up = true;
            char tail[768];
            snprintf(tail, sizeof tail, "%s", why);
            snprintf(why, cap, "the device command failed at start twice in a row: %s", tail);
            return true;
        }
        log_warn(dc->lg, "the device command exited with status %d before the device did "
                 "anything: starting it once more", status);
        if (start(dc, cid, &err) < 0) {
            snprintf(why, cap, "%s", err.msg);
            return true;
        }
        why[0] = '\0'; /* the waits go on: this is no reason to end them */
        return false;
    }
    dc->start_failures = 0;
    if (dc->reboot_pending) {
        dc->reboot_pending = false;
        log_info(dc->lg, "the device command exited with status %d after the Reboot/Factory "
                 "Reset Execute%s%s: the device rebooted; starting it again", status,
                 cid ? " of " : "", cid ? cid : "");
        if (start(dc, cid, &err) < 0) {
            snprintf(why, cap, "the device rebooted and could not be started again: %s", err.msg);
            return true;
        }
        dc->reboots++;
        why[0] = '\0';
        return false;
    }
    return true;
}

int devctl_open(devctl *dc, const devctl_options *opt, dut *d, logger *lg, lc_error *err)
{
    memset(dc, 0, sizeof *dc);
    dc->opt = *opt;
    dc->lg = lg;
    dc->d = d;
    dc->proc.log_fd = -1;
    if (opt->device_cmd && opt->reset_cmd)
        return lc_error_set(err, LC_EINVAL, "give --device-cmd (the tool restarts the device) or "
                            "--reset-cmd (the tool resets a device it does not run), not both");
    if (!opt->device_cmd && !opt->reset_cmd && !opt->send_cmd)
        return 0;
    devproc_options po = {.command = opt->device_cmd, .log_path = opt->log_path,
                          .endpoint = opt->endpoint, .advertise_host = opt->advertise_host,
                          .stop_grace_ms = opt->stop_grace_ms};
    if (devproc_open(&dc->proc, &po, lg, err) < 0)
        return LC_EIO;
    dc->has_log = true;
    if (opt->device_cmd)
        net_set_watch(d->net, watch, dc);
    return 0;
}

static bool normal_stop(int status)
{
    /* 128 + SIGTERM: stopped before it had set up its handler (a run that ended at once) */
    return status == 0 || status == 128 + SIGTERM || status == -1;
}

int devctl_close(devctl *dc)
{
    if (!dc->has_log)
        return -1;
    int st = devproc_stop(&dc->proc, dc->d);
    /* a crash or a sanitizer report in the device must not pass unnoticed */
    if (dc->opt.device_cmd && !normal_stop(st))
        log_warn(dc->lg, "the device command exited with status %d (its log: %s)", st,
                 dc->opt.log_path);
    devproc_close(&dc->proc, dc->d);
    net_set_watch(dc->d->net, NULL, NULL);
    return st;
}

void devctl_rebooting(void *arg, const char *case_id)
{
    devctl *dc = arg;
    (void)case_id;
    if (dc->opt.device_cmd)
        dc->reboot_pending = true;
}

int devctl_state(void *arg)
{
    devctl *dc = arg;
    if (!dc->opt.device_cmd || dc->proc.starts == 0)
        return RUN_DEVICE_UNKNOWN;
    if (dc->gave_up)
        return RUN_DEVICE_GAVE_UP;
    bool running = devproc_running(&dc->proc, NULL);
    return running || !dc->proc.died ? RUN_DEVICE_RUNNING : RUN_DEVICE_EXITED;
}

void devctl_case_begin(void *arg, const char *case_id)
{
    devctl *dc = arg;
    if (!dc->has_log)
        return;
    dc->case_log_at = devproc_log_offset(&dc->proc);
    snprintf(dc->case_id, sizeof dc->case_id, "%s", case_id ? case_id : "");
    dc->reboot_pending = false;
    if (dc->opt.device_cmd && dc->proc.starts == 0) {
        lc_error err = {0};
        if (start(dc, case_id, &err) < 0)
            log_error(dc->lg, "%s", err.msg);
    }
}

void devctl_case_end(void *arg, case_result *cr)
{
    devctl *dc = arg;
    if (!dc->has_log)
        return;
    if (dc->opt.device_cmd)
        devproc_running(&dc->proc, NULL); /* drains what it wrote */
    free(cr->device_log);
    cr->device_log = devproc_log_since(&dc->proc, dc->case_log_at, CASE_LOG_TAIL);
}

int devctl_reset(void *arg, const char *case_id, uint64_t wait_ms, lc_error *err)
{
    devctl *dc = arg;
    dut *d = dc->d;
    if (dc->opt.device_cmd) {
        int st = devproc_stop(&dc->proc, d);
        if (!normal_stop(st))
            log_warn(dc->lg, "the device command exited with status %d before %s", st, case_id);
        /* what the previous incarnation sent must not satisfy this case's waits */
        net_drop(d->net, NULL, NULL);
        if (dc->gave_up)
            return lc_error_set(err, LC_EIO, "the device command failed at start twice in a row");
        dc->reboot_pending = false;
        if (start(dc, case_id, err) < 0)
            return LC_EIO;
        net_set_watch(d->net, watch, dc); /* a new life: no abort of the old */
        return 0;
    }
    net_drop(d->net, NULL, NULL);
    if (dc->opt.reset_cmd) {
        log_info(dc->lg, "%s: resetting the device: %s", case_id, dc->opt.reset_cmd);
        uint64_t t = dc->opt.reset_timeout_ms ? dc->opt.reset_timeout_ms : 60000;
        return devproc_run_once(&dc->proc, d, dc->opt.reset_cmd, case_id, t, err);
    }
    if (!dc->opt.interactive)
        return lc_error_set(err, LC_EUNSUPPORTED,
                            "needs a factory reset: give --device-cmd or --reset-cmd");
    log_out(dc->lg, "%s: reset the device to its factory %sconfiguration now; waiting up to %.0f s "
            "for its %s\n", case_id, dc->opt.bootstrap ? "bootstrap " : "", (double)wait_ms / 1000.0,
            dc->opt.bootstrap ? "Bootstrap-Request" : "Register");
    fflush(logger_out_stream(dc->lg));
    return 0;
}

int devctl_trigger_send(void *arg, const char *case_id, char *how, size_t cap, lc_error *err)
{
    devctl *dc = arg;
    if (dc->opt.send_cmd && dc->has_log) {
        snprintf(how, cap, "ran --send-cmd: %s", dc->opt.send_cmd);
        uint64_t t = dc->opt.reset_timeout_ms ? dc->opt.reset_timeout_ms : 60000;
        return devproc_run_once(&dc->proc, dc->d, dc->opt.send_cmd, case_id, t, err);
    }
    if (dc->opt.sim_send_signal && dc->proc.dev.pid > 0) {
        /* --sim execs the simulator: the process is the device itself */
        if (kill(dc->proc.dev.pid, SIGUSR1) != 0)
            return lc_error_set(err, LC_EIO, "cannot signal the simulated device");
        snprintf(how, cap, "SIGUSR1 to the simulated device (pid %d)", (int)dc->proc.dev.pid);
        return 0;
    }
    snprintf(how, cap, "no way to make the device Send (--send-cmd): waiting for its own");
    return LC_ENOTFOUND;
}
