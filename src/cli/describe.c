/* describe: opens the endpoints as run does, gets the device running (--sim, --device-cmd)
 * and provisioned (--bootstrap), and writes a device description from its Register and a
 * Read of each instance (run/describe) to --output or standard output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bs/bootstrap.h"
#include "cli/commands.h"
#include "cli/device.h"
#include "net/epfilter.h"
#include "run/describe.h"
#include "run/devctl.h"

static int write_description(const cli_args *a, description *desc, logger *lg)
{
    lc_error err = {0};
    snprintf(desc->source, sizeof desc->source, "%s", a->output ? a->output : "<stdout>");
    int rc = a->output ? description_write_file(desc, a->output, &err)
                       : description_write(desc, logger_out_stream(lg), &err);
    if (rc < 0) {
        log_error(lg, "%s", err.msg);
        return EXIT_TOOL;
    }
    return 0;
}

int cli_cmd_describe(cli_args *a, logger *lg, volatile sig_atomic_t *stop)
{
    config cfg;
    dut d;
    int r = cli_open_dut(a, &cfg, &d, lg);
    if (r)
        return r;
    lc_error err = {0};
    net_set_stop_flag(d.net, stop);
    epfilter ef;
    epfilter_init(&ef, a->endpoint, lg);
    net_set_epfilter(d.net, &ef);
    int rc = EXIT_PASS;
    bootstrap_server *bs = NULL;
    char *sim_cmd = NULL;
    devctl dc;
    bool dc_open = false;
    description *desc = malloc(sizeof *desc);
    char *notes = calloc(1, 8192);
    if (!desc || !notes) {
        log_error(lg, "out of memory");
        rc = EXIT_TOOL;
        goto out;
    }
    if (a->bootstrap) {
        bootstrap_options bo = {.advertise_host = a->advertise, .content_format = -1,
                                .account_iid_given = a->bootstrap_account_iid >= 0,
                                .account_iid = a->bootstrap_account_iid,
                                .lwm2m_version = a->lwm2m_version};
        if (!(bs = bootstrap_new(&d, &bo, &err))) {
            log_error(lg, "%s", err.msg);
            rc = EXIT_TOOL;
            goto out;
        }
    }
    const char *device_cmd = a->device_cmd;
    if (a->sim) {
        snprintf(a->sim_buf, sizeof a->sim_buf, "%s/lwm2m-simdev", a->exe_dir);
        if (access(a->sim_buf, X_OK) != 0) {
            log_error(lg, "the simulated device %s is missing (run `make`)", a->sim_buf);
            rc = EXIT_TOOL;
            goto out;
        }
        if ((sim_cmd = malloc(8192)))
            cli_sim_command(a, &cfg, sim_cmd, 8192);
        device_cmd = sim_cmd;
    }
    devctl_options dco = {.device_cmd = device_cmd, .endpoint = a->endpoint,
                          .advertise_host = a->advertise, .bootstrap = a->bootstrap,
                          .stop_grace_ms = a->stop_grace_s > 0 ? (unsigned)(a->stop_grace_s * 1000.0) : 0};
    if (device_cmd && !(dco.log_path = cli_device_log_path(a, &err))) {
        log_error(lg, "%s", err.msg);
        rc = EXIT_TOOL;
        goto out;
    }
    if (devctl_open(&dc, &dco, &d, lg, &err) < 0) {
        log_error(lg, "%s", err.msg);
        rc = EXIT_TOOL;
        goto out;
    }
    dc_open = true;
    if (device_cmd) {
        log_info(lg, "device command: %s (log: %s)", device_cmd, dco.log_path);
        devctl_case_begin(&dc, "describe"); /* starts it */
    } else {
        for (size_t i = 0; i < net_endpoint_count(d.net); i++)
            fprintf(stderr, "%s waiting on UDP port %u\n", net_endpoint_name(d.net, (int)i),
                    net_endpoint_port(d.net, (int)i));
    }
    uint64_t timeout = a->timeout_s > 0 ? (uint64_t)(a->timeout_s * 1000.0) : 30000;
    if (bs) {
        char summary[700] = "";
        if (bootstrap_provision_device(bs, timeout, summary, sizeof summary, &err) < 0) {
            log_error(lg, "bootstrapping the device: %s", err.msg);
            rc = err.code == LC_EINTR ? EXIT_FAIL : EXIT_TOOL;
            goto out;
        }
        log_info(lg, "bootstrapped the device: %s", summary);
    }
    describe_options dopt = {.timeout_ms = timeout};
    if (describe_device(&d, &dopt, desc, notes, 8192, &err) < 0) {
        log_error(lg, "describing the device: %s", err.msg);
        rc = err.code == LC_ETIMEDOUT || err.code == LC_EINTR ? EXIT_FAIL : EXIT_TOOL;
        goto out;
    }
    if (notes[0])
        fprintf(stderr, "%s", notes);
    rc = write_description(a, desc, lg);
    if (rc == 0)
        fprintf(stderr, "described %s (LwM2M %s, binding %s): %zu objects, %zu instances, %zu "
                "values, %zu volatile; written to %s: review it, then run --description %s\n",
                desc->endpoint, desc->lwm2m, desc->binding, desc->object_count,
                desc->instance_count, desc->value_count, desc->volatile_count,
                a->output ? a->output : "standard output", a->output ? a->output : "FILE");
out:
    if (dc_open)
        devctl_close(&dc);
    free(sim_cmd);
    bootstrap_free(bs);
    dut_close(&d);
    free(desc);
    free(notes);
    return rc;
}
