/* run: opens the endpoints, starts or asks for the device, plays the suite, prints the
 * verdicts and writes the reports. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bs/bootstrap.h"
#include "cli/commands.h"
#include "report/json.h"
#include "report/junit.h"
#include "report/result.h"
#include "report/text.h"
#include "run/runner.h"
#include "run/simproc.h"

struct run_print {
    logger *lg;
    bool color, verbose;
};

static void print_case(void *arg, const case_result *c)
{
    struct run_print *p = arg;
    text_report_case(logger_out_stream(p->lg), c, p->color, p->verbose);
    fflush(logger_out_stream(p->lg));
}

static void iso_now(char *buf, size_t cap)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int write_reports(const cli_args *a, run_result *res, logger *lg)
{
    int rc = 0;
    lc_error err = {0};
    if (a->junit_path && junit_write(a->junit_path, res, &err) < 0) {
        log_error(lg, "%s", err.msg);
        rc = EXIT_TOOL;
    }
    if (a->json_path && json_report_write(a->json_path, res, &err) < 0) {
        log_error(lg, "%s", err.msg);
        rc = EXIT_TOOL;
    }
    return rc;
}

/* How the run resets the device for a case that starts from its factory configuration:
 * the simulated device is restarted; a person is asked to reset a real one, and the
 * case's first step waits for it. */
struct device_control {
    logger *lg;
    dut *d;
    simproc *sim; /* NULL: a real device */
    simproc_options so;
    bool bootstrap;
};

static int reset_device(void *arg, const char *case_id, uint64_t wait_ms, lc_error *err)
{
    struct device_control *dc = arg;
    if (dc->sim) {
        log_info(dc->lg, "%s: restarting the simulated device from its factory configuration",
                 case_id);
        int st = simproc_stop(dc->sim, dc->d, 3000);
        if (st != 0 && st != 128 + SIGTERM) /* a crash must not pass unnoticed */
            log_warn(dc->lg, "the simulated device exited with status %d before %s", st, case_id);
        return simproc_start(dc->sim, dc->d, &dc->so, err);
    }
    log_out(dc->lg, "%s: reset the device to its factory %sconfiguration now; waiting up to %.0f s "
            "for its %s\n", case_id, dc->bootstrap ? "bootstrap " : "", (double)wait_ms / 1000.0,
            dc->bootstrap ? "Bootstrap-Request" : "Register");
    fflush(logger_out_stream(dc->lg));
    return 0;
}

/* When the set-up fails (a port in use, a bad bind address) the cases cannot run, but CI
 * still gets a report that says why. */
static void all_cases_error(const tc_suite *suite, const cli_args *a, run_result *res, const char *why)
{
    for (size_t i = 0; i < suite->count; i++) {
        const tc_case *c = suite->cases[i];
        bool wanted = a->only_count == 0;
        for (size_t k = 0; k < a->only_count; k++)
            wanted = wanted || tc_case_matches(c, a->only[k]);
        if (!wanted)
            continue;
        case_result *cr = result_add_case(res);
        if (!cr)
            return;
        cr->id = result_strdup(c->id);
        cr->short_id = result_strdup(c->short_id);
        cr->title = result_strdup(c->title);
        cr->area = result_strdup(c->area);
        cr->verdict = VERDICT_ERROR;
        cr->reason = result_printf("not run: %s", why);
    }
}

int cli_cmd_run(cli_args *a, logger *lg, volatile sig_atomic_t *stop)
{
    config cfg;
    int r = cli_load_config(a, &cfg, lg);
    if (r)
        return r;
    tc_suite suite = {0};
    if ((r = cli_load_suite(a, &suite, lg)) != 0)
        return r;
    for (size_t k = 0; k < a->only_count; k++)
        if (!tc_suite_find(&suite, a->only[k])) {
            log_error(lg, "--only %s: no such case in %s (see lwm2m-conform list)", a->only[k], a->cases_dir);
            tc_suite_free(&suite);
            return EXIT_USAGE;
        }

    run_result *res = result_run_new("lwm2m-conform");
    if (!res) {
        tc_suite_free(&suite);
        return EXIT_TOOL;
    }
    char when[32], host[256] = "";
    iso_now(when, sizeof when);
    gethostname(host, sizeof host - 1);
    res->started_at = result_strdup(when);
    res->config = result_strdup(a->config_path);
    res->hostname = result_strdup(host);

    dut d;
    lc_error err = {0};
    bootstrap_server *bs = NULL;
    simproc sim = {.pid = -1};
    struct device_control dc = {.lg = lg, .bootstrap = a->bootstrap};
    int rc;
    if (dut_open(&d, &cfg, lg, &a->dut, &err) < 0) {
        log_error(lg, "%s", err.msg);
        all_cases_error(&suite, a, res, err.msg);
        rc = err.code == LC_EINVAL ? EXIT_USAGE : EXIT_TOOL;
        goto report;
    }
    if (a->bootstrap) {
        bootstrap_options bo = {.advertise_host = a->advertise, .content_format = -1};
        bs = bootstrap_new(&d, &bo, &err);
        if (!bs) {
            log_error(lg, "%s", err.msg);
            all_cases_error(&suite, a, res, err.msg);
            rc = EXIT_TOOL;
            goto close;
        }
    }
    if (a->sim) {
        snprintf(a->sim_buf, sizeof a->sim_buf, "%s/lwm2m-simdev", a->exe_dir);
        simproc_options so = {.exe = a->sim_buf, .config_path = a->config_path, .psk_file = a->psk_file,
                              .bootstrap = a->bootstrap, .lwm2m_version = a->lwm2m_version,
                              .faults = a->faults, .fault_count = a->fault_count,
                              .objects_dirs = a->objects_dirs,
                              .objects_dir_count = a->objects_dir_count,
                              .extra_args = a->sim_args, .extra_arg_count = a->sim_arg_count,
                              .verbose = a->verbose >= 2};
        dc.so = so;
        dc.sim = &sim;
        if (simproc_start(&sim, &d, &so, &err) < 0) {
            log_error(lg, "%s", err.msg);
            all_cases_error(&suite, a, res, err.msg);
            rc = EXIT_TOOL;
            goto close;
        }
        res->device = result_strdup("bundled simulated device (lwm2m-simdev)");
        net_set_watch(d.net, simproc_watch, &sim);
    } else {
        for (size_t i = 0; i < net_endpoint_count(d.net); i++)
            log_out(lg, "%s waiting on UDP port %u\n", net_endpoint_name(d.net, (int)i),
                    net_endpoint_port(d.net, (int)i));
        if (a->bootstrap)
            log_out(lg, "start the device from its factory bootstrap configuration: it must send "
                    "its Bootstrap-Request to the bootstrap server\n");
        fflush(logger_out_stream(lg));
    }
    dc.d = &d;

    struct run_print pr = {lg, logger_color(lg) && !a->no_color, a->verbose > 0};
    run_options ro = {
        .step_timeout_ms = a->timeout_s > 0 ? (uint64_t)(a->timeout_s * 1000.0) : 30000,
        .only = (const char *const *)a->only, .only_count = a->only_count,
        .skip = (const char *const *)a->skip, .skip_count = a->skip_count,
        .stop = stop, .bootstrap = bs,
        .lwm2m_version = a->lwm2m_version,
        .reset_device = reset_device, .reset_arg = &dc,
        .on_case = print_case, .on_case_arg = &pr,
    };
    runner_run(&d, &suite, &ro, res);
    if (!res->device) {
        for (size_t i = 0; i < registry_count(d.reg); i++) {
            const registration *reg = registry_at(d.reg, i);
            res->device = result_strdup(reg->query.endpoint_name);
            break;
        }
    }
    log_out(lg, "\n");
    text_report_summary(logger_out_stream(lg), res, pr.color);
    rc = runner_exit_code(res, a->strict);
close:
    if (sim.pid > 0) {
        /* a crash or a sanitizer report in the simulator must not pass unnoticed */
        int st = simproc_stop(&sim, &d, 3000);
        /* 128 + SIGTERM: stopped before it had set up its handler (a run that ended at once) */
        if (st != 0 && st != 128 + SIGTERM)
            log_warn(lg, "the simulated device exited with status %d", st);
    }
    bootstrap_free(bs);
    dut_close(&d);
report:;
    int wr = write_reports(a, res, lg);
    if (wr && rc == EXIT_PASS)
        rc = wr;
    if (res->interrupted && rc == EXIT_PASS)
        rc = EXIT_FAIL;
    result_run_free(res);
    tc_suite_free(&suite);
    return rc;
}
