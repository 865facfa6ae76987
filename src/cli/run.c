/* run: opens the endpoints, starts or asks for the device, plays the suite, prints the
 * verdicts and writes the reports. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bs/bootstrap.h"
#include "cli/commands.h"
#include "cli/device.h"
#include "cli/progress.h"
#include "report/capture.h"
#include "report/html.h"
#include "report/json.h"
#include "report/keylog.h"
#include "report/junit.h"
#include "report/result.h"
#include "report/text.h"
#include "lwm2m/configset.h"
#include "run/profile.h"
#include "fw/delivery.h"
#include "run/runner.h"
#include "net/epfilter.h"
#include "run/devctl.h"
#include "run/devinfo.h"

struct run_print {
    logger *lg;
    bool color, verbose, quiet;
};

/* The report says which timing tolerance was used, when the run judged a timing criterion
 * (a notifications check) or the tolerance was scaled. */
static void note_timing_tolerance(const tc_suite *suite, run_result *res, double scale)
{
    bool timing = false;
    for (size_t i = 0; i < res->case_count && !timing; i++) {
        const case_result *cr = &res->cases[i];
        const tc_case *c = cr->verdict == VERDICT_SKIPPED ? NULL : tc_suite_find(suite, cr->id);
        for (size_t k = 0; c && k < c->criterion_count && !timing; k++)
            for (size_t n = 0; n < c->criteria[k].check_count; n++)
                timing = timing || c->criteria[k].checks[n].kind == TC_CHECK_NOTIFICATIONS;
    }
    if (scale != 1.0)
        result_add_note(res, "timing tolerance: every timing criterion's own tolerance \u00d7 %g "
                        "(--timing-tolerance), the registration expiry tolerance too; the counts "
                        "of notifications follow", scale);
    else if (timing)
        result_add_note(res, "timing tolerance: as each timing criterion states it (\u00d7 1; "
                        "--timing-tolerance X widens them for slow links)");
}

static void print_case(void *arg, const case_result *c)
{
    struct run_print *p = arg;
    logger_status(p->lg, NULL); /* the live line goes before the case's */
    if (p->quiet)
        return;
    text_report_case(logger_out_stream(p->lg), c, p->color, p->verbose);
    fflush(logger_out_stream(p->lg));
}

/* What happens around every case besides the device control: the capture's per-case
 * file. The runner passes one argument to reset_device, case_begin and case_end. */
struct run_hooks {
    devctl *dc;
    capture *cap;
    logger *lg;
    cli_progress *progress;
};

static int hook_reset(void *arg, const char *case_id, uint64_t wait_ms, lc_error *err)
{
    struct run_hooks *h = arg;
    return devctl_reset(h->dc, case_id, wait_ms, err);
}

static void hook_case_begin(void *arg, const char *case_id)
{
    struct run_hooks *h = arg;
    lc_error err = {0};
    if (h->cap && capture_case_begin(h->cap, case_id, &err) < 0)
        log_warn(h->lg, "%s", err.msg);
    cli_progress_case(h->progress, case_id);
    devctl_case_begin(h->dc, case_id);
}

static void hook_case_end(void *arg, case_result *cr)
{
    struct run_hooks *h = arg;
    devctl_case_end(h->dc, cr);
    capture_case_end(h->cap);
    cli_progress_case(h->progress, NULL);
}

static int hook_trigger_send(void *arg, const char *case_id, char *how, size_t cap, lc_error *err)
{
    struct run_hooks *h = arg;
    return devctl_trigger_send(h->dc, case_id, how, cap, err);
}

static void hook_rebooting(void *arg, const char *case_id)
{
    struct run_hooks *h = arg;
    devctl_rebooting(h->dc, case_id);
}

static int hook_state(void *arg)
{
    struct run_hooks *h = arg;
    return devctl_state(h->dc);
}

static void on_packet(void *arg, const net_packet *p)
{
    capture_packet(arg, p->in, p->local, p->remote, p->data, p->len);
}

static void on_keylog(void *arg, const char *line)
{
    keylog_write(arg, line);
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
    if (a->html_path && html_report_write(a->html_path, res, &err) < 0) {
        log_error(lg, "%s", err.msg);
        rc = EXIT_TOOL;
    }
    return rc;
}

static void print_plan(void *arg, size_t cases, int resets)
{
    struct run_print *p = arg;
    if (p->quiet)
        return;
    log_out(p->lg, "plan: %zu %s, %d device %s\n", cases, cases == 1 ? "case" : "cases", resets,
            resets == 1 ? "reset" : "resets");
    fflush(logger_out_stream(p->lg));
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

/* The simulated device's storage for a firmware package (lwm2m-simdev --fw-storage's
 * default): --sim's oversized package (int-773) is made from it unless --firmware-storage
 * says otherwise. A real device's comes from --firmware-storage. */
#define SIMDEV_FW_STORAGE (2u * 1024u * 1024u)

/* The address the package servers listen on without --bind: the host of the first server
 * account's URI (the tool's endpoints listen there too). */
static const char *first_bound_host(const config *cfg)
{
    static char host[256];
    for (size_t i = 0; i < cfg->account_count; i++) {
        char scheme[16];
        uint16_t port;
        lc_error err = {0};
        if (!cfg->accounts[i].bootstrap &&
            config_parse_uri(cfg->accounts[i].uri, scheme, sizeof scheme, host, sizeof host, &port,
                             &err) == 0)
            return host;
    }
    return "127.0.0.1";
}

/* What a description says of objects, formats and version, as a profile: the objects it
 * lists (and the test's own 0-2, which a Register need not list), its content formats,
 * its LwM2M version. */
static void profile_from_description(const description *desc, device_profile *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->source, sizeof p->source, "%s", desc->source);
    snprintf(p->lwm2m, sizeof p->lwm2m, "%s", desc->lwm2m);
    if (desc->has_objects) {
        p->has_objects = true;
        for (int core = 0; core <= 2; core++)
            p->objects[p->object_count++] = core;
        for (size_t i = 0; i < desc->object_count && p->object_count < PROFILE_MAX_OBJECTS; i++)
            if (desc->objects[i] > 2)
                p->objects[p->object_count++] = desc->objects[i];
    }
    if (desc->has_formats) {
        p->has_formats = true;
        for (size_t i = 0; i < desc->format_count && i < PROFILE_MAX_FORMATS; i++)
            p->formats[p->format_count++] = desc->formats[i];
    }
}

/* --profile FILE, else <config>.profile.json beside the configuration when there is one,
 * else what the device description says. */
static int load_profile(const cli_args *a, const description *desc, device_profile *p,
                        bool *have, logger *lg)
{
    char buf[PATH_MAX];
    const char *path = a->profile;
    if (!path && a->description && desc) {
        profile_from_description(desc, p);
        *have = desc->has_objects || desc->has_formats || desc->lwm2m[0];
        return 0;
    }
    if (!path) {
        path = profile_path_for_config(a->config_path, buf, sizeof buf);
        if (access(path, F_OK) != 0)
            return 0;
    }
    lc_error err = {0};
    if (profile_load(path, p, &err) < 0) {
        log_error(lg, "%s", err.msg);
        return EXIT_USAGE;
    }
    *have = true;
    log_info(lg, "device profile: %s", path);
    return 0;
}

/* With a configuration directory, each case's own configuration: with --bootstrap the run
 * provisions it; without, a case of another runs only where the held one allows it. */
static int load_configs(const cli_args *a, const config *cfg, const tc_suite *suite,
                        configset **out, logger *lg)
{
    *out = NULL;
    /* --config FILE alone: every case in that one; the shipped configurations only say
     * what a case needs, so one the held configuration would refuse is SKIPPED */
    const char *dir = a->config_dir ? a->config_dir : a->shipped_config_dir;
    if (!dir)
        return 0;
    const char **names = calloc(suite->count ? suite->count : 1, sizeof *names);
    configset *cs = calloc(1, sizeof *cs);
    if (!names || !cs) {
        free(names);
        free(cs);
        log_error(lg, "out of memory");
        return EXIT_TOOL;
    }
    for (size_t i = 0; i < suite->count; i++)
        names[i] = suite->cases[i]->configuration;
    configset_keys keys = {.psk_file = a->config_dir ? a->psk_file : NULL,
                           .bootstrap = a->bootstrap && a->config_dir,
                           .provision = a->config_dir != NULL};
    lc_error err = {0};
    int rc = configset_load(cs, cfg, dir, names, suite->count, &keys, &err);
    free(names);
    if (rc < 0) {
        log_error(lg, "%s", err.msg);
        free(cs);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < cs->count; i++)
        log_info(lg, "configuration %s: %s (provisioning group %d)", cs->entries[i].name,
                 cs->entries[i].cfg->source, cs->entries[i].group);
    *out = cs;
    return 0;
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

    description *desc = NULL;
    if ((r = cli_load_description(a, &desc, lg)) != 0) {
        tc_suite_free(&suite);
        return r;
    }
    configset *configs = NULL;
    if ((r = load_configs(a, &cfg, &suite, &configs, lg)) != 0) {
        tc_suite_free(&suite);
        free(desc);
        return r;
    }
    device_profile profile;
    bool have_profile = false;
    if ((r = load_profile(a, desc, &profile, &have_profile, lg)) != 0) {
        tc_suite_free(&suite);
        free(desc);
        return r;
    }

    run_result *res = result_run_new("lwm2m-conform");
    if (!res) {
        tc_suite_free(&suite);
        free(desc);
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
    fw_delivery *fw = NULL;
    devctl dc;
    bool dc_open = false;
    epfilter ef;
    int rc;
    char *sim_cmd = NULL;
    capture *cap = NULL;
    keylog *kl = NULL;
    if (dut_open(&d, &cfg, lg, &a->dut, &err) < 0) {
        log_error(lg, "%s", err.msg);
        all_cases_error(&suite, a, res, err.msg);
        rc = err.code == LC_EINVAL ? EXIT_USAGE : EXIT_TOOL;
        goto report;
    }
    d.desc = desc;
    if (!desc)
        result_add_note(res, "no device description (--description FILE, written by `lwm2m-conform "
                        "describe`): the device's own values (Manufacturer, Model, …) are checked "
                        "for presence and type only, and cases that need one of its values are SKIPPED");
    epfilter_init(&ef, a->endpoint, lg);
    net_set_epfilter(d.net, &ef);
    if (a->pcap_path) {
        if (!(cap = capture_open(a->pcap_path, &err))) {
            log_error(lg, "%s", err.msg);
            all_cases_error(&suite, a, res, err.msg);
            rc = EXIT_TOOL;
            goto close;
        }
        net_set_capture(d.net, on_packet, cap);
    }
    if (a->keylog_path) {
        if (!(kl = keylog_open(a->keylog_path, &err)) ||
            net_set_keylog(d.net, on_keylog, kl, &err) < 0) {
            log_error(lg, "%s", err.msg);
            all_cases_error(&suite, a, res, err.msg);
            rc = EXIT_TOOL;
            goto close;
        }
        if (!a->quiet)
            log_out(lg, "DTLS session keys: %s (NSS key log, 0600: keep it private)\n",
                    a->keylog_path);
    }
    if (a->bootstrap) {
        bootstrap_options bo = {.advertise_host = a->advertise, .content_format = -1,
                                .account_iid_given = a->bootstrap_account_iid >= 0,
                                .account_iid = a->bootstrap_account_iid,
                                .lwm2m_version = a->lwm2m_version};
        bs = bootstrap_new(&d, &bo, &err);
        if (!bs) {
            log_error(lg, "%s", err.msg);
            all_cases_error(&suite, a, res, err.msg);
            rc = EXIT_TOOL;
            goto close;
        }
    }
    if (a->fw.firmware || a->fw.unsupported || a->fw.install_failure) {
        fw_options fo = a->fw;
        fo.bind_addr = a->dut.bind_addr ? a->dut.bind_addr : first_bound_host(&cfg);
        fo.host = a->advertise;
        if (a->sim && !fo.storage_bytes)
            fo.storage_bytes = SIMDEV_FW_STORAGE;
        if (!fo.host && (strcmp(fo.bind_addr, "0.0.0.0") == 0 || strcmp(fo.bind_addr, "::") == 0))
            log_warn(lg, "--bind %s without --advertise: the package URIs of pull deliveries "
                     "name %s, which a device cannot reach; give --advertise <this machine's "
                     "address>", fo.bind_addr, fo.bind_addr);
        if (!(fw = fw_delivery_new(d.net, &fo, &err))) {
            log_error(lg, "%s", err.msg);
            all_cases_error(&suite, a, res, err.msg);
            rc = err.code == LC_EIO || err.code == LC_EINVAL ? EXIT_USAGE : EXIT_TOOL;
            goto close;
        }
    }
    const char *device_cmd = a->device_cmd;
    if (a->sim) {
        snprintf(a->sim_buf, sizeof a->sim_buf, "%s/lwm2m-simdev", a->exe_dir);
        if (access(a->sim_buf, X_OK) != 0) {
            lc_error_set(&err, LC_ENOTFOUND, "the simulated device %s is missing (run `make`)", a->sim_buf);
            log_error(lg, "%s", err.msg);
            all_cases_error(&suite, a, res, err.msg);
            rc = EXIT_TOOL;
            goto close;
        }
        sim_cmd = malloc(8192);
        if (sim_cmd)
            cli_sim_command(a, &cfg, sim_cmd, 8192);
        device_cmd = sim_cmd;
        res->device = result_strdup("bundled simulated device (lwm2m-simdev)");
    }
    devctl_options dco = {
        .device_cmd = device_cmd, .reset_cmd = a->reset_cmd, .endpoint = a->endpoint,
        .advertise_host = a->advertise, .bootstrap = a->bootstrap,
        .stop_grace_ms = a->stop_grace_s > 0 ? (unsigned)(a->stop_grace_s * 1000.0) : 0,
        .reset_timeout_ms = a->reset_timeout_s > 0 ? (uint64_t)(a->reset_timeout_s * 1000.0) : 0,
        .interactive = isatty(STDIN_FILENO),
        .send_cmd = a->send_cmd, .sim_send_signal = a->sim,
    };
    if (device_cmd || a->reset_cmd || a->send_cmd) {
        dco.log_path = cli_device_log_path(a, &err);
        if (!dco.log_path || devctl_open(&dc, &dco, &d, lg, &err) < 0) {
            log_error(lg, "%s", err.msg);
            all_cases_error(&suite, a, res, err.msg);
            rc = EXIT_TOOL;
            goto close;
        }
        res->dut.command = cli_redacted(lg, device_cmd);
        res->dut.reset_command = cli_redacted(lg, a->reset_cmd);
        res->dut.log = result_strdup(dco.log_path);
        if (!a->quiet)
            log_out(lg, "device %s: %s\ndevice log: %s\n", device_cmd ? "command" : "reset command",
                    device_cmd ? device_cmd : a->reset_cmd, dco.log_path);
    } else {
        devctl_open(&dc, &dco, &d, lg, &err);
    }
    dc_open = true;
    if (!device_cmd) {
        for (size_t i = 0; i < net_endpoint_count(d.net); i++)
            log_out(lg, "%s waiting on UDP port %u\n", net_endpoint_name(d.net, (int)i),
                    net_endpoint_port(d.net, (int)i));
        if (a->bootstrap)
            log_out(lg, "start the device from its factory bootstrap configuration: it must send "
                    "its Bootstrap-Request to the bootstrap server\n");
    }
    fflush(logger_out_stream(lg));

    struct run_print pr = {lg, logger_color(lg) && !a->no_color, a->verbose > 0, a->quiet};
    cli_progress progress;
    cli_progress_init(&progress, lg, a->quiet);
    net_set_progress(d.net, cli_progress_wait, &progress);
    struct run_hooks hooks = {.dc = &dc, .cap = cap, .lg = lg, .progress = &progress};
    run_options ro = {
        .step_timeout_ms = a->timeout_s > 0 ? (uint64_t)(a->timeout_s * 1000.0) : 30000,
        .only = (const char *const *)a->only, .only_count = a->only_count,
        .skip = (const char *const *)a->skip, .skip_count = a->skip_count,
        .vars = (const char *const *)a->vars, .var_count = a->var_count,
        .profile = have_profile ? &profile : NULL,
        .configs = configs,
        .max_wait_ms = (uint64_t)((a->max_wait_s > 0 ? a->max_wait_s : 600.0) * 1000.0),
        .timing_scale = a->timing_scale > 0 ? a->timing_scale : 1.0,
        .stop = stop, .bootstrap = bs,
        .lwm2m_version = a->lwm2m_version,
        .reset_device = hook_reset, .case_begin = hook_case_begin,
        .trigger_send = hook_trigger_send,
        .case_end = hook_case_end, .reset_arg = &hooks,
        .device_rebooting = hook_rebooting, .device_state = hook_state,
        .device_restartable = device_cmd != NULL || a->reset_cmd != NULL,
        .reboot_timeout_ms = a->reboot_timeout_s > 0 ? (uint64_t)(a->reboot_timeout_s * 1000.0) : 0,
        .max_transmit_wait_ms = a->max_transmit_wait_s > 0 ? (uint64_t)(a->max_transmit_wait_s * 1000.0) : 0,
        .on_case = print_case, .on_case_arg = &pr, .on_plan = print_plan,
        .firmware = fw,
    };
    runner_run(&d, &suite, &ro, res);
    net_set_progress(d.net, NULL, NULL);
    logger_status(lg, NULL);
    note_timing_tolerance(&suite, res, ro.timing_scale);
    if (dc.reboots)
        result_add_note(res, "the device command exited after a Reboot or Factory Reset Execute "
                        "and was started again %u time%s (a reboot, not an error)", dc.reboots,
                        dc.reboots == 1 ? "" : "s");
    if (dc_open) {
        devctl_close(&dc);
        dc_open = false;
    }
    if (net_events_dropped(d.net, -1))
        result_add_note(res, "%zu device events that no step claimed were dropped: more than %d "
                        "were queued (the newest of each kind is kept; docs/reliability.md)",
                        net_events_dropped(d.net, -1), NET_MAX_QUEUED_EVENTS);
    if (registry_get_stats(d.reg).refused)
        result_add_note(res, "%zu Registers were answered 5.03: %d registrations were live on "
                        "their server (the limit; docs/reliability.md)",
                        registry_get_stats(d.reg).refused, REGISTRY_MAX_LIVE);
    if (registry_get_stats(d.reg).evicted) {
        char names[400] = "";
        for (size_t i = 0; registry_evicted_at(d.reg, i); i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                     registry_evicted_at(d.reg, i));
        result_add_note(res, "%zu registrations of other devices (%s) were evicted, the least "
                        "recently active first, to make room for the device under test: %d "
                        "were live on its server (the limit)", registry_get_stats(d.reg).evicted,
                        names, REGISTRY_MAX_LIVE);
    }
    devinfo_fill(&d, &res->dut);
    if (cap)
        result_add_note(res, "capture: %s (%zu CoAP messages, decrypted, keys blanked); each "
                        "case's messages also in a file of its own beside it", a->pcap_path,
                        capture_count(cap));
    if (kl)
        result_add_note(res, "DTLS session keys of %zu handshakes: %s (NSS key log, 0600; "
                        "a secret: keep it with the capture, away from the report)",
                        keylog_count(kl), a->keylog_path);
    char placed[600];
    if (bs && bootstrap_placement_text(bs, placed, sizeof placed) > 0)
        result_add_note(res, "%s", placed);
    if (!res->device && res->dut.endpoint)
        res->device = result_strdup(res->dut.endpoint);
    if (!a->quiet)
        log_out(lg, "\n");
    text_report_summary(logger_out_stream(lg), res, pr.color);
    rc = runner_exit_code(res, a->strict);
close:
    if (dc_open)
        devctl_close(&dc);
    free(sim_cmd);
    bootstrap_free(bs);
    fw_delivery_free(fw);
    dut_close(&d);
    capture_close(cap);
    keylog_close(kl);
report:;
    int wr = write_reports(a, res, lg);
    if (wr && rc == EXIT_PASS)
        rc = wr;
    if (res->interrupted && rc == EXIT_PASS)
        rc = EXIT_FAIL;
    result_run_free(res);
    tc_suite_free(&suite);
    free(desc);
    if (configs)
        configset_free(configs);
    free(configs);
    return rc;
}
