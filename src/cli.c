#include "cli.h"

#include <getopt.h>
#include <signal.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bs/bootstrap.h"
#include "common/log.h"
#include "common/mono.h"
#include "lwm2m/config.h"
#include "report/json.h"
#include "report/junit.h"
#include "report/result.h"
#include "report/text.h"
#include "run/dut.h"
#include "run/runner.h"
#include "run/simproc.h"
#include "tc/loader.h"

#define VERSION "0.1.0"
#define MAX_LIST 64

enum {
    EXIT_PASS = 0,
    EXIT_FAIL = 1,
    EXIT_USAGE = 2,
    EXIT_TOOL = 3,
};

enum {
    OPT_CONFIG = 1000, OPT_CASES, OPT_ONLY, OPT_SKIP, OPT_TIMEOUT, OPT_JUNIT, OPT_JSON,
    OPT_BIND, OPT_PORT, OPT_PSK_FILE, OPT_SIM, OPT_SIM_FAULT, OPT_BOOTSTRAP, OPT_ADVERTISE,
    OPT_ACK_TIMEOUT, OPT_RETRANSMIT, OPT_NO_COLOR, OPT_HELP, OPT_VERSION, OPT_LWM2M,
};

/* The one option table: name, argument, which commands take it, help text. */
static const struct cli_option {
    const char *name;
    int has_arg;
    int id;
    const char *commands; /* r=run l=list v=validate s=serve */
    const char *arg;
    const char *help;
} options[] = {
    {"config", required_argument, OPT_CONFIG, "rls", "FILE", "device configuration (default fixtures/c14.json)"},
    {"cases", required_argument, OPT_CASES, "rl", "DIR", "test definitions (default testcases/)"},
    {"only", required_argument, OPT_ONLY, "r", "ID,...", "run only these cases (and what they depend on)"},
    {"skip", required_argument, OPT_SKIP, "r", "ID,...", "report these cases as SKIPPED"},
    {"timeout", required_argument, OPT_TIMEOUT, "rs", "S", "deadline of every step (serve: of each bootstrap operation) in seconds (default 30)"},
    {"junit", required_argument, OPT_JUNIT, "r", "FILE", "write a JUnit XML report"},
    {"json", optional_argument, OPT_JSON, "rs", "FILE", "run: write the result model as JSON; serve: one JSON object per event"},
    {"bind", required_argument, OPT_BIND, "rs", "ADDR", "listen on this address instead of the URIs' (e.g. 0.0.0.0)"},
    {"port", required_argument, OPT_PORT, "rs", "SSID=PORT", "port of a server account (bs= for bootstrap; 0 = any free port)"},
    {"psk-file", required_argument, OPT_PSK_FILE, "rs", "FILE", "PSK keys: lines \"<ssid|bs> <hex key>\" (also LWM2M_PSK_KEY_<ssid>)"},
    {"sim", no_argument, OPT_SIM, "r", NULL, "test the bundled simulated device (the built-in default of make demo)"},
    {"sim-fault", required_argument, OPT_SIM_FAULT, "r", "NAME", "inject a fault into the simulated device (repeatable; `help` lists them)"},
    {"bootstrap", no_argument, OPT_BOOTSTRAP, "rs", NULL, "also play the bootstrap server and provision the device first"},
    {"advertise", required_argument, OPT_ADVERTISE, "rs", "HOST", "address written into the device's server URIs when bootstrapping"},
    {"lwm2m", required_argument, OPT_LWM2M, "r", "1.0|1.1", "the device's LwM2M version (default: as it registers); with --sim, the simulated device's"},
    {"ack-timeout", required_argument, OPT_ACK_TIMEOUT, "rs", "MS", "CoAP ACK_TIMEOUT for the tool's requests (default 2000; 1000 with --sim)"},
    {"retransmit", required_argument, OPT_RETRANSMIT, "rs", "N", "CoAP MAX_RETRANSMIT (default 4)"},
    {"no-color", no_argument, OPT_NO_COLOR, "rlvs", NULL, "no colours even on a terminal"},
    {"verbose", no_argument, 'v', "rlvs", NULL, "more detail: -v steps of each case, -vv debug log, -vvv every CoAP message"},
    {"help", no_argument, OPT_HELP, "rlvs", NULL, "this help"},
    {"version", no_argument, OPT_VERSION, "rlvs", NULL, "the version"},
};
#define NOPTIONS (sizeof options / sizeof options[0])

typedef struct cli_args {
    const char *command;
    const char *config_path;
    const char *cases_dir;
    char *only[MAX_LIST];
    size_t only_count;
    char *skip[MAX_LIST];
    size_t skip_count;
    double timeout_s;
    const char *junit_path;
    const char *json_path;
    bool json_events;
    dut_options dut;
    const char *psk_file;
    bool sim;
    const char *faults[MAX_LIST];
    size_t fault_count;
    bool bootstrap;
    const char *advertise;
    const char *lwm2m_version;
    int verbose;
    bool no_color;
    char **files;
    int file_count;
    char exe_dir[PATH_MAX];
    char config_buf[PATH_MAX];
    char cases_buf[PATH_MAX];
    char sim_buf[PATH_MAX];
} cli_args;

static void usage(FILE *out, const char *command)
{
    fprintf(out,
            "usage: lwm2m-conform COMMAND [options]\n\n"
            "  run        play the test cases against a device and print the verdicts\n"
            "  list       list the test cases and whether they apply to the configuration\n"
            "  validate   check test definitions: FILE… or DIR (a whole suite)\n"
            "  serve      run the server endpoints and print every connection and registration\n\n"
            "options%s%s:\n", command ? " of " : "", command ? command : "");
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct cli_option *o = &options[i];
        if (command && !strchr(o->commands, command[0]))
            continue;
        char left[64];
        snprintf(left, sizeof left, "%s%s--%s%s%s", o->id == 'v' ? "-v, " : "", "", o->name,
                 o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(out, "  %-26s %s\n", left, o->help);
    }
    fprintf(out, "\nexit codes: 0 every case passed, 1 a case failed, 2 usage/configuration/"
                 "definition error, 3 tool or network error\n");
}

static int split_list(char *s, char **out, size_t *count)
{
    for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
        if (*count == MAX_LIST)
            return -1;
        out[(*count)++] = tok;
    }
    return 0;
}

/* Default files are found beside the binary when not in the working directory, so
 * build/lwm2m-conform works from anywhere in a checkout. */
static const char *locate(const cli_args *a, const char *rel, char *buf, size_t cap)
{
    if (access(rel, F_OK) == 0)
        return rel;
    snprintf(buf, cap, "%s/../%s", a->exe_dir, rel);
    if (access(buf, F_OK) == 0)
        return buf;
    snprintf(buf, cap, "%s/../../%s", a->exe_dir, rel);
    if (access(buf, F_OK) == 0)
        return buf;
    return rel;
}

static int parse_args(int argc, char **argv, cli_args *a, logger *lg)
{
    struct option longopts[NOPTIONS + 1];
    for (size_t i = 0; i < NOPTIONS; i++)
        longopts[i] = (struct option){options[i].name, options[i].has_arg, NULL, options[i].id};
    longopts[NOPTIONS] = (struct option){0};

    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        snprintf(a->exe_dir, sizeof a->exe_dir, "%s", dirname(self));
    } else {
        snprintf(a->exe_dir, sizeof a->exe_dir, ".");
    }
    if (argc < 2) {
        usage(stderr, NULL);
        return EXIT_USAGE;
    }
    a->command = argv[1];
    if (!strcmp(a->command, "--help") || !strcmp(a->command, "help") || !strcmp(a->command, "-h")) {
        usage(stdout, NULL);
        return -1;
    }
    if (!strcmp(a->command, "--version")) {
        printf("lwm2m-conform %s\n", VERSION);
        return -1;
    }
    if (strcmp(a->command, "run") && strcmp(a->command, "list") && strcmp(a->command, "validate") &&
        strcmp(a->command, "serve")) {
        log_error(lg, "unknown command \"%s\" (expected run, list, validate or serve)", a->command);
        return EXIT_USAGE;
    }
    optind = 2;
    opterr = 0;
    int c;
    lc_error err = {0};
    while ((c = getopt_long(argc, argv, "v", longopts, NULL)) != -1) {
        const struct cli_option *o = NULL;
        for (size_t i = 0; i < NOPTIONS; i++)
            if (options[i].id == c)
                o = &options[i];
        if (c == '?' || !o) {
            log_error(lg, "unknown option %s (see lwm2m-conform %s --help)", argv[optind - 1], a->command);
            return EXIT_USAGE;
        }
        if (!strchr(o->commands, a->command[0])) {
            log_error(lg, "--%s does not apply to %s", o->name, a->command);
            return EXIT_USAGE;
        }
        switch (c) {
        case OPT_CONFIG: a->config_path = optarg; break;
        case OPT_CASES: a->cases_dir = optarg; break;
        case OPT_ONLY:
            if (split_list(optarg, a->only, &a->only_count) < 0) {
                log_error(lg, "--only: too many ids");
                return EXIT_USAGE;
            }
            break;
        case OPT_SKIP:
            if (split_list(optarg, a->skip, &a->skip_count) < 0) {
                log_error(lg, "--skip: too many ids");
                return EXIT_USAGE;
            }
            break;
        case OPT_TIMEOUT: {
            char *end;
            a->timeout_s = strtod(optarg, &end);
            if (*end || a->timeout_s <= 0 || a->timeout_s > 86400) {
                log_error(lg, "--timeout %s: give seconds, more than 0 and at most 86400", optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case OPT_JUNIT: a->junit_path = optarg; break;
        case OPT_JSON:
            if (optarg)
                a->json_path = optarg;
            else if (optind < argc && argv[optind][0] != '-' && a->command[0] == 'r')
                a->json_path = argv[optind++];
            else
                a->json_events = true;
            break;
        case OPT_BIND: a->dut.bind_addr = optarg; break;
        case OPT_PORT:
            if (dut_parse_port_override(&a->dut, optarg, &err) < 0) {
                log_error(lg, "%s", err.msg);
                return EXIT_USAGE;
            }
            break;
        case OPT_PSK_FILE: a->psk_file = optarg; break;
        case OPT_SIM: a->sim = true; break;
        case OPT_SIM_FAULT:
            if (!strcmp(optarg, "help")) {
                /* the simulator owns its fault table: let it print it */
                char exe[PATH_MAX + 16];
                snprintf(exe, sizeof exe, "%s/lwm2m-simdev", a->exe_dir);
                fflush(stdout);
                execl(exe, exe, "--fault", "help", (char *)NULL);
                log_error(lg, "cannot run %s to list the faults", exe);
                return EXIT_TOOL;
            }
            if (a->fault_count == MAX_LIST) {
                log_error(lg, "--sim-fault: too many faults");
                return EXIT_USAGE;
            }
            a->faults[a->fault_count++] = optarg;
            a->sim = true;
            break;
        case OPT_BOOTSTRAP: a->bootstrap = true; break;
        case OPT_ADVERTISE: a->advertise = optarg; break;
        case OPT_LWM2M:
            if (strcmp(optarg, "1.0") != 0 && strcmp(optarg, "1.1") != 0) {
                log_error(lg, "--lwm2m %s: give 1.0 or 1.1", optarg);
                return EXIT_USAGE;
            }
            a->lwm2m_version = optarg;
            break;
        case OPT_ACK_TIMEOUT: a->dut.ack_timeout_ms = (unsigned)strtoul(optarg, NULL, 10); break;
        case OPT_RETRANSMIT: a->dut.max_retransmit = (unsigned)strtoul(optarg, NULL, 10); break;
        case OPT_NO_COLOR: a->no_color = true; break;
        case 'v': a->verbose++; break;
        case OPT_HELP: usage(stdout, a->command); return -1;
        case OPT_VERSION: printf("lwm2m-conform %s\n", VERSION); return -1;
        }
    }
    a->files = argv + optind;
    a->file_count = argc - optind;
    if (a->file_count && strcmp(a->command, "validate") != 0) {
        log_error(lg, "unexpected argument \"%s\"", a->files[0]);
        return EXIT_USAGE;
    }
    if (!a->config_path)
        a->config_path = locate(a, "fixtures/c14.json", a->config_buf, sizeof a->config_buf);
    if (!a->cases_dir)
        a->cases_dir = locate(a, "testcases", a->cases_buf, sizeof a->cases_buf);
    a->dut.bootstrap = a->bootstrap;
    if (a->sim) {
        /* the simulator and the tool share this machine: any free port, on loopback */
        for (size_t i = 0; i < 4; i++) {
            int ssid = i == 0 ? 0 : (int)i;
            bool given = false;
            for (size_t k = 0; k < a->dut.port_count; k++)
                given = given || a->dut.ports[k].short_server_id == ssid;
            if (!given && a->dut.port_count < DUT_MAX_PORT_OVERRIDES)
                a->dut.ports[a->dut.port_count++] = (dut_port_override){ssid, 0};
        }
        if (!a->dut.bind_addr)
            a->dut.bind_addr = "127.0.0.1";
        if (!a->dut.ack_timeout_ms)
            a->dut.ack_timeout_ms = 1000;
    }
    return 0;
}

static int load_config(const cli_args *a, config *cfg, logger *lg)
{
    lc_error err = {0};
    if (config_load_file(a->config_path, cfg, &err) < 0 || config_apply_psk_env(cfg, &err) < 0 ||
        (a->psk_file && config_apply_psk_file(cfg, a->psk_file, &err) < 0) ||
        config_check_keys(cfg, a->bootstrap, &err) < 0) {
        log_error(lg, "%s", err.msg);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < cfg->account_count; i++)
        logger_add_secret(lg, cfg->accounts[i].psk_key, cfg->accounts[i].psk_key_len);
    return 0;
}

static void print_diags(logger *lg, const tc_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char line[2048];
        tc_diag_format(&d->items[i], line, sizeof line);
        log_msg(lg, LOG_LVL_ERROR, "%s", line);
    }
}

/* ---- validate ----------------------------------------------------------------------- */

static int cmd_validate(cli_args *a, logger *lg)
{
    if (a->file_count == 0) {
        log_error(lg, "validate needs one or more definition files");
        return EXIT_USAGE;
    }
    size_t bad = 0;
    for (int i = 0; i < a->file_count; i++) {
        tc_diags d;
        tc_diags_init(&d);
        struct stat st;
        if (stat(a->files[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            /* a directory is checked as a suite: ids, dependencies and cycles too */
            tc_suite suite = {0};
            lc_error err = {0};
            if (tc_load_dir(a->files[i], &suite, &d, &err) < 0) {
                bad++;
                print_diags(lg, &d);
                if (d.count == 0)
                    log_error(lg, "%s", err.msg);
            } else {
                log_out(lg, "%s: ok (%zu cases)\n", a->files[i], suite.count);
            }
            tc_suite_free(&suite);
            tc_diags_free(&d);
            continue;
        }
        tc_case *c = NULL;
        if (tc_load_file_diags(a->files[i], &c, &d) < 0) {
            bad++;
            print_diags(lg, &d);
        } else {
            log_out(lg, "%s: ok (%s, %zu steps, %zu criteria)\n", a->files[i], c->id, c->step_count,
                    c->criterion_count);
        }
        tc_case_free(c);
        tc_diags_free(&d);
    }
    return bad ? EXIT_USAGE : EXIT_PASS;
}

/* ---- list --------------------------------------------------------------------------- */

static int load_suite(const cli_args *a, tc_suite *suite, logger *lg)
{
    tc_diags d;
    tc_diags_init(&d);
    lc_error err = {0};
    int r = tc_load_dir(a->cases_dir, suite, &d, &err);
    if (r < 0) {
        print_diags(lg, &d);
        if (d.count == 0)
            log_error(lg, "%s", err.msg);
    }
    tc_diags_free(&d);
    return r < 0 ? EXIT_USAGE : 0;
}

static int cmd_list(cli_args *a, logger *lg)
{
    config cfg;
    int r = load_config(a, &cfg, lg);
    if (r)
        return r;
    tc_suite suite = {0};
    if ((r = load_suite(a, &suite, lg)) != 0)
        return r;
    size_t servers = 0;
    for (size_t i = 0; i < cfg.account_count; i++)
        servers += !cfg.accounts[i].bootstrap;
    int width = 10;
    for (size_t i = 0; i < suite.count; i++)
        if (suite.cases[i]->title && (int)strlen(suite.cases[i]->title) > width)
            width = (int)strlen(suite.cases[i]->title);
    for (size_t i = 0; i < suite.count; i++) {
        const tc_case *c = suite.cases[i];
        const char *applies = "applies";
        bool v11 = false;
        for (size_t k = 0; k < c->requires_count; k++) {
            if (!strcmp(c->requires[k], "multi-server") && servers < 2)
                applies = "not applicable: needs two server accounts";
            if (!strcmp(c->requires[k], "bootstrap") && !config_bootstrap(&cfg))
                applies = "not applicable: needs a bootstrap account";
            if (!strcmp(c->requires[k], "bootstrap") && config_bootstrap(&cfg) && !a->bootstrap)
                applies = "applies with --bootstrap";
            v11 = v11 || !strcmp(c->requires[k], "lwm2m-1.1");
        }
        log_out(lg, "%-10s %-*s %s%s\n", c->short_id, width, c->title, applies,
                v11 && strncmp(applies, "not", 3) != 0 ? ", to LwM2M 1.1 devices" : "");
    }
    tc_suite_free(&suite);
    return EXIT_PASS;
}

/* ---- serve -------------------------------------------------------------------------- */

static void json_escape(char *out, size_t cap, const char *s)
{
    size_t n = 0;
    for (; *s && n + 7 < cap; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            out[n++] = '\\';
            out[n++] = (char)ch;
        } else if (ch < 0x20) {
            n += (size_t)snprintf(out + n, cap - n, "\\u%04x", ch);
        } else {
            out[n++] = (char)ch;
        }
    }
    out[n] = '\0';
}

struct serve_ctx {
    logger *lg;
    dut *d;
    bool json;
    uint64_t t0;
};

static void serve_event(void *arg, const net_event *ev)
{
    struct serve_ctx *s = arg;
    if (ev->kind == NET_EV_RESPONSE || ev->kind == NET_EV_NOTIFICATION || ev->kind == NET_EV_REQUEST)
        return;
    char summary[1024] = "";
    if (ev->msg.code)
        net_message_summary(&ev->msg, ev->msg.code < 32, 300, summary, sizeof summary);
    const char *ep = net_endpoint_name(s->d->net, ev->endpoint);
    if (s->json) {
        char e_detail[1100], e_sum[2100], e_id[400], e_peer[200], e_name[600];
        json_escape(e_detail, sizeof e_detail, ev->detail);
        json_escape(e_sum, sizeof e_sum, summary);
        json_escape(e_id, sizeof e_id, ev->psk_identity);
        json_escape(e_peer, sizeof e_peer, ev->peer);
        json_escape(e_name, sizeof e_name, ev->endpoint_name);
        log_out(s->lg,
                "{\"time\":%.3f,\"event\":\"%s\",\"server\":\"%s\",\"short_server_id\":%d,"
                "\"peer\":\"%s\",\"psk_identity\":\"%s\",\"cipher_suite\":\"%s\",\"endpoint\":\"%s\","
                "\"registration\":\"%s\",\"message\":\"%s\",\"detail\":\"%s\"}\n",
                (double)(ev->at_ms - s->t0) / 1000.0, net_event_kind_name(ev->kind), ep,
                ev->short_server_id, e_peer, e_id, ev->cipher_suite, e_name, ev->registration_id,
                e_sum, e_detail);
    } else {
        log_out(s->lg, "[%8.3f] %-9s %-18s %s%s%s%s%s%s%s\n", (double)(ev->at_ms - s->t0) / 1000.0, ep,
                net_event_kind_name(ev->kind), ev->peer,
                ev->psk_identity[0] ? " identity=" : "", ev->psk_identity,
                ev->cipher_suite[0] ? " " : "", ev->cipher_suite,
                summary[0] ? "\n           " : "", summary[0] ? summary : ev->detail);
    }
}

static bool match_none(const net_event *ev, void *arg)
{
    (void)ev;
    (void)arg;
    return false;
}

static bool match_bs_request(const net_event *ev, void *arg)
{
    (void)arg;
    return ev->kind == NET_EV_BOOTSTRAP_REQUEST;
}

static bool match_not_bs_request(const net_event *ev, void *arg)
{
    return !match_bs_request(ev, arg);
}

static int cmd_serve(cli_args *a, logger *lg, volatile sig_atomic_t *stop)
{
    config cfg;
    int r = load_config(a, &cfg, lg);
    if (r)
        return r;
    dut d;
    lc_error err = {0};
    if (dut_open(&d, &cfg, lg, &a->dut, &err) < 0) {
        log_error(lg, "%s", err.msg);
        return err.code == LC_EINVAL ? EXIT_USAGE : EXIT_TOOL;
    }
    bootstrap_server *bs = NULL;
    if (a->bootstrap) {
        bootstrap_options bo = {.advertise_host = a->advertise, .content_format = -1};
        bs = bootstrap_new(&d, &bo, &err);
        if (!bs) {
            log_error(lg, "%s", err.msg);
            dut_close(&d);
            return EXIT_TOOL;
        }
    }
    struct serve_ctx s = {lg, &d, a->json_events, mono_ms()};
    net_set_observer(d.net, serve_event, &s);
    net_set_stop_flag(d.net, stop);
    for (size_t i = 0; i < net_endpoint_count(d.net); i++) {
        if (a->json_events)
            log_out(lg, "{\"time\":0.000,\"event\":\"listening\",\"server\":\"%s\",\"short_server_id\":%d,"
                    "\"port\":%u}\n", net_endpoint_name(d.net, (int)i), net_endpoint_ssid(d.net, (int)i),
                    net_endpoint_port(d.net, (int)i));
        else
            log_out(lg, "%s: listening on UDP port %u\n", net_endpoint_name(d.net, (int)i),
                    net_endpoint_port(d.net, (int)i));
    }
    if (!a->json_events)
        log_out(lg, "waiting for devices (Ctrl-C to stop)\n");
    /* serve runs until interrupted: events are printed by the observer, then dropped;
     * with --bootstrap every device that asks is provisioned, so a user can watch a
     * factory-fresh device go from Bootstrap-Request to its two registrations */
    while (!net_interrupted(d.net)) {
        net_event *ev = NULL;
        net_wait(d.net, match_none, NULL, mono_ms() + 1000, &ev);
        if (bs && net_peek(d.net, match_bs_request, NULL)) {
            char summary[1024] = "";
            bootstrap_forget_device(bs);
            uint64_t ms = a->timeout_s > 0 ? (uint64_t)(a->timeout_s * 1000.0) : 30000;
            int pr = bootstrap_provision_device(bs, ms, summary, sizeof summary, &err);
            if (pr == 0 && a->json_events) {
                char esc[2100];
                json_escape(esc, sizeof esc, summary);
                log_out(lg, "{\"time\":%.3f,\"event\":\"bootstrap-provisioned\",\"server\":\"bootstrap\","
                        "\"detail\":\"%s\"}\n", (double)(mono_ms() - s.t0) / 1000.0, esc);
            } else if (pr == 0) {
                log_out(lg, "bootstrap: provisioned the device: %s\n", summary);
            }
            else if (pr != LC_EINTR)
                log_error(lg, "bootstrap: %s", err.msg);
        }
        net_drop(d.net, match_not_bs_request, NULL);
    }
    bootstrap_free(bs);
    dut_close(&d);
    return EXIT_PASS;
}

/* ---- run ---------------------------------------------------------------------------- */

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

static int cmd_run(cli_args *a, logger *lg, volatile sig_atomic_t *stop)
{
    config cfg;
    int r = load_config(a, &cfg, lg);
    if (r)
        return r;
    tc_suite suite = {0};
    if ((r = load_suite(a, &suite, lg)) != 0)
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
        /* the simulated device is LwM2M 1.0 unless told otherwise */
        .lwm2m_version = a->lwm2m_version ? a->lwm2m_version : a->sim ? "1.0" : NULL,
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
    rc = runner_exit_code(res);
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
    int rc = parse_args(argc, argv, a, lg);
    if (rc == 0) {
        logger_set_level(lg, a->verbose >= 3 ? LOG_LVL_TRACE : a->verbose >= 2 ? LOG_LVL_DEBUG
                             : a->command[0] == 's' ? LOG_LVL_INFO : LOG_LVL_WARN);
        logger_attach_coap(lg);
        if (!strcmp(a->command, "run"))
            rc = cmd_run(a, lg, stop);
        else if (!strcmp(a->command, "list"))
            rc = cmd_list(a, lg);
        else if (!strcmp(a->command, "validate"))
            rc = cmd_validate(a, lg);
        else
            rc = cmd_serve(a, lg, stop);
        logger_attach_coap(NULL);
    } else if (rc < 0) {
        rc = EXIT_PASS;
    }
    free(a);
    logger_free(lg);
    return rc;
}
