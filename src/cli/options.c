#include "cli/options.h"

#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/datadir.h"
#include "lwm2m/objects.h"
#include "lwm2m/version.h"

enum {
    OPT_CONFIG = 1000, OPT_CASES, OPT_ONLY, OPT_SKIP, OPT_TIMEOUT, OPT_JUNIT, OPT_JSON,
    OPT_BIND, OPT_PORT, OPT_PSK_FILE, OPT_SIM, OPT_SIM_FAULT, OPT_BOOTSTRAP, OPT_ADVERTISE,
    OPT_BOOTSTRAP_ACCOUNT_IID,
    OPT_ACK_TIMEOUT, OPT_RETRANSMIT, OPT_NO_COLOR, OPT_HELP, OPT_VERSION, OPT_LWM2M, OPT_OBJECTS, OPT_SIM_ARG,
    OPT_READINGS, OPT_STRICT, OPT_ALL, OPT_MARKDOWN, OPT_CIPHERSUITES,
    OPT_DEVICE_CMD, OPT_RESET_CMD, OPT_SEND_CMD, OPT_DEVICE_LOG, OPT_STOP_GRACE, OPT_RESET_TIMEOUT, OPT_REBOOT_TIMEOUT, OPT_MAX_TRANSMIT_WAIT, OPT_ENDPOINT, OPT_VAR,
    OPT_PROFILE, OPT_MAX_WAIT, OPT_DATADIR, OPT_PCAP, OPT_KEYLOG, OPT_HTML, OPT_ETS,
    OPT_FIRMWARE, OPT_FW_VERSION, OPT_FW_CORRUPT, OPT_FW_UNSUPPORTED, OPT_FW_INSTALL_FAIL,
    OPT_FW_STORAGE, OPT_UPDATE_TIMEOUT, OPT_FW_POLL, OPT_FW_PROTOCOL, OPT_FW_METHOD,
    OPT_TIMING_TOLERANCE, OPT_DESCRIPTION,
    OPT_OUTPUT, OPT_CONFIG_DIR,
};

/* The one option table: name, argument, which commands take it, help text. */
static const struct cli_option {
    const char *name;
    int has_arg;
    int id;
    const char *commands; /* r=run l=list v=validate s=serve o=objects d=describe */
    const char *arg;
    const char *help;
} options[] = {
    {"config", required_argument, OPT_CONFIG, "rlsd", "FILE", "the test configuration: accounts, PSKs, lifetimes (default DATADIR/fixtures/c14.json; describe: DATADIR/fixtures/c1.json, one server without access control, so every object can be read)"},
    {"config-dir", required_argument, OPT_CONFIG_DIR, "r", "DIR", "with --bootstrap, play each case in its own configuration, DIR/c<N>.json for C.<N> (default without --config: DATADIR/fixtures/); --config alone plays every case in that one"},
    {"cases", required_argument, OPT_CASES, "rl", "DIR", "test definitions (default DATADIR/testcases/)"},
    {"datadir", required_argument, OPT_DATADIR, "rlvsod", "DIR", "where testcases/ and fixtures/ are (also LWM2M_CONFORM_DATADIR; default: PREFIX/share/lwm2m-conform beside the binary, else the source tree it was built in)"},
    {"only", required_argument, OPT_ONLY, "r", "ID,...", "run only these cases (and what they depend on)"},
    {"skip", required_argument, OPT_SKIP, "r", "ID,...", "report these cases as SKIPPED"},
    {"readings", no_argument, OPT_READINGS, "rl", NULL, "also the tool's own readings of the core spec (DIR/readings/; advisory)"},
    {"strict", no_argument, OPT_STRICT, "r", NULL, "a failed tool reading fails the run too (exit 1); implies --readings"},
    {"all", no_argument, OPT_ALL, "l", NULL, "every id of the ETS documents (1.0.1 draft, INT 1.2): implemented, or why not"},
    {"ets", required_argument, OPT_ETS, "l", "1.0.1|1.2", "with --all: only this ETS document"},
    {"markdown", no_argument, OPT_MARKDOWN, "l", NULL, "with --all: as Markdown (docs/coverage.md, see make coverage)"},
    {"timeout", required_argument, OPT_TIMEOUT, "rsd", "S", "deadline of every step (serve: of each bootstrap operation) in seconds (default 30)"},
    {"var", required_argument, OPT_VAR, "r", "NAME=VALUE", "set a case variable (${var.NAME}; e.g. lifetime=5 shortens int-102/104; repeatable)"},
    {"description", required_argument, OPT_DESCRIPTION, "rl", "FILE", "the device description: what the device is and has, its own values the cases compare with (written by `describe`; default with --sim: fixtures/simdev.json; without one, device values are checked for presence and type only)"},
    {"output", required_argument, OPT_OUTPUT, "d", "FILE", "where describe writes the device description (default: standard output)"},
    {"profile", required_argument, OPT_PROFILE, "rl", "FILE", "device profile: supported objects, content formats, LwM2M version (default: <config>.profile.json beside --config, if present)"},
    {"max-wait", required_argument, OPT_MAX_WAIT, "r", "S", "skip cases whose configuration-timed waits are longer (default 600); a clean-up wait at a case's end is not made instead (int-103's re-Register after the Disable Timeout: a note says so)"},
    {"timing-tolerance", required_argument, OPT_TIMING_TOLERANCE, "r", "X", "multiply every timing criterion's tolerance by X for slow links (e.g. 3 for a cellular device; default 1); the report says which was used"},
    {"junit", required_argument, OPT_JUNIT, "r", "FILE", "write a JUnit XML report"},
    {"html", required_argument, OPT_HTML, "r", "FILE", "write the report as one self-contained HTML page"},
    {"pcap", required_argument, OPT_PCAP, "rs", "FILE", "write every CoAP message, decrypted, as UDP in a pcap file; each case's also in its own file beside it (run.pcap: run.int-101.pcap, …)"},
    {"keylog", required_argument, OPT_KEYLOG, "rs", "FILE", "append the DTLS session keys (NSS key log, for Wireshark) to FILE, created 0600: a secret"},
    {"json", optional_argument, OPT_JSON, "rs", "FILE", "run: write the result model as JSON; serve: one JSON object per event"},
    {"bind", required_argument, OPT_BIND, "rsd", "ADDR", "listen on this address instead of the URIs' (e.g. 0.0.0.0)"},
    {"port", required_argument, OPT_PORT, "rsd", "SSID=PORT", "port of a server account (bs= for bootstrap; 0 = any free port)"},
    {"psk-file", required_argument, OPT_PSK_FILE, "rsd", "FILE", "PSK keys: lines \"<ssid|bs> <hex key>\" (also LWM2M_PSK_KEY_<ssid>)"},
    {"device-cmd", required_argument, OPT_DEVICE_CMD, "rd", "CMD", "shell command that starts the device from its factory configuration; restarted for each reset (environment: LWM2M_CONFORM_BOOTSTRAP_URI, LWM2M_CONFORM_SERVER_URI_<ssid>, LWM2M_CONFORM_CASE, LWM2M_CONFORM_ENDPOINT)"},
    {"send-cmd", required_argument, OPT_SEND_CMD, "r", "CMD", "shell command that makes the device Send (POST /dp) now, run to completion by a trigger-send step (ETS int-306/307/311); with --sim the simulated device gets SIGUSR1"},
    {"reset-cmd", required_argument, OPT_RESET_CMD, "r", "CMD", "shell command that resets a device the tool does not run, run to completion at each reset"},
    {"device-log", required_argument, OPT_DEVICE_LOG, "rd", "FILE", "where the device and reset commands' output goes (default: a new file in $TMPDIR, named in the report)"},
    {"stop-grace", required_argument, OPT_STOP_GRACE, "rd", "S", "seconds between SIGTERM and SIGKILL when the device command is ended (default 3)"},
    {"reset-timeout", required_argument, OPT_RESET_TIMEOUT, "r", "S", "deadline of the reset command in seconds (default 60)"},
    {"max-transmit-wait", required_argument, OPT_MAX_TRANSMIT_WAIT, "r", "S", "queue mode: how long after its last message the tool takes a device registered with Q (or b=UQ) for asleep and holds a request for it until its next Update or Register (default 93, RFC 7252's MAX_TRANSMIT_WAIT)"},
    {"reboot-timeout", required_argument, OPT_REBOOT_TIMEOUT, "r", "S", "how long a device may take to register again after a reboot, a restart or a re-provisioning, bootstrap hold-off included (default 120)"},
    {"endpoint", required_argument, OPT_ENDPOINT, "rd", "NAME", "the device under test's endpoint name; other devices are ignored (default: the first that talks)"},
    {"sim", no_argument, OPT_SIM, "rd", NULL, "test the bundled simulated device: --device-cmd with lwm2m-simdev (the built-in default of make demo)"},
    {"sim-fault", required_argument, OPT_SIM_FAULT, "rd", "NAME", "inject a fault into the simulated device (repeatable; `help` lists them)"},
    {"bootstrap", no_argument, OPT_BOOTSTRAP, "rsd", NULL, "also play the bootstrap server and provision the device first"},
    {"advertise", required_argument, OPT_ADVERTISE, "rsd", "HOST", "address written into the device's server URIs when bootstrapping"},
    {"bootstrap-account-iid", required_argument, OPT_BOOTSTRAP_ACCOUNT_IID, "rsd", "N", "the device keeps its bootstrap account in /0/N (default: ask it with Bootstrap-Discover /0, else the configuration's)"},
    {"sim-arg", required_argument, OPT_SIM_ARG, "rd", "ARG", "pass ARG to the simulated device as is (repeatable), e.g. --sim-arg=--lwm2m=1.2 --sim-arg=--pct=112"},
    {"lwm2m", required_argument, OPT_LWM2M, "rd", "1.0|1.1|1.2", "hold the device to this LwM2M version: a Register announcing a newer one gets 4.12 and the run waits for its fallback (default: no hold); with --sim, also the simulated device's version"},
    {"objects", required_argument, OPT_OBJECTS, "rlsod", "DIR", "also read the object definitions (OMA DDF XML) in DIR; they replace shipped ones of the same id (repeatable)"},
    {"firmware", required_argument, OPT_FIRMWARE, "r", "FILE", "a firmware package the device accepts and installs (the firmware update cases, int-755..779)"},
    {"firmware-version", required_argument, OPT_FW_VERSION, "r", "V", "the Firmware Version (/3/0/3) the device reports after installing --firmware"},
    {"firmware-corrupt", required_argument, OPT_FW_CORRUPT, "r", "FILE", "a package that fails the device's integrity check (default: a copy of --firmware with 16 bytes inverted)"},
    {"firmware-unsupported", required_argument, OPT_FW_UNSUPPORTED, "r", "FILE", "a package of a type the device does not support (int-777)"},
    {"firmware-install-fail", required_argument, OPT_FW_INSTALL_FAIL, "r", "FILE", "a package that downloads but fails to install (int-779)"},
    {"firmware-storage", required_argument, OPT_FW_STORAGE, "r", "BYTES", "the device's storage for a package: the tool's oversized package (int-773) is 4 KiB more (--sim: the simulated device's)"},
    {"firmware-protocol", required_argument, OPT_FW_PROTOCOL, "r", "coap|coaps|http", "the protocol of pull deliveries (default: what the device declares in /5/0/8, HTTP first, then CoAPS, CoAP)"},
    {"firmware-method", required_argument, OPT_FW_METHOD, "r", "push|pull", "use only this Delivery Method, as if the device declared only it in /5/0/9: the other way's cases are SKIPPED, the error cases take it (default: what /5/0/9 declares; the error cases pull when it declares pull)"},
    {"firmware-poll", required_argument, OPT_FW_POLL, "r", "MS", "period of the State and Update Result polls (default 500)"},
    {"update-timeout", required_argument, OPT_UPDATE_TIMEOUT, "r", "S", "deadline of each firmware update phase: download, verify, update (default 300)"},
    {"ack-timeout", required_argument, OPT_ACK_TIMEOUT, "rsd", "MS", "CoAP ACK_TIMEOUT for the tool's requests (default 2000; 1000 with --sim)"},
    {"ciphersuites", required_argument, OPT_CIPHERSUITES, "rsd", "LIST", "the only DTLS suites the servers accept, e.g. TLS_PSK_WITH_AES_128_CCM_8 (LwM2M's mandatory suite); the simulated device's own: --sim-arg=--ciphersuites=LIST"},
    {"retransmit", required_argument, OPT_RETRANSMIT, "rsd", "N", "CoAP MAX_RETRANSMIT (default 4)"},
    {"no-color", no_argument, OPT_NO_COLOR, "rlvsod", NULL, "no colours even on a terminal"},
    {"quiet", no_argument, 'q', "r", NULL, "print only the summary (no case lines, no progress)"},
    {"verbose", no_argument, 'v', "rlvsod", NULL, "more detail: -v steps of each case, -vv debug log, -vvv every CoAP message"},
    {"help", no_argument, OPT_HELP, "rlvsod", NULL, "this help"},
    {"version", no_argument, OPT_VERSION, "rlvsod", NULL, "the version"},
};
#define NOPTIONS (sizeof options / sizeof options[0])

static void usage(FILE *out, const char *command)
{
    fprintf(out,
            "usage: lwm2m-conform COMMAND [options]\n\n"
            "  run        play the test cases against a device and print the verdicts\n"
            "  list       list the test cases and whether they apply to the configuration\n"
            "  validate   check test definitions: FILE… or DIR (a whole suite)\n"
            "  serve      run the server endpoints and print every connection and registration\n"
            "  objects    list the object definitions loaded ([ID…]: their resources)\n"
            "  describe   write a description of a device from what it registers and reads\n\n"
            "options%s%s:\n", command ? " of " : "", command ? command : "");
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct cli_option *o = &options[i];
        if (command && !strchr(o->commands, command[0]))
            continue;
        char left[64];
        snprintf(left, sizeof left, "%s%s--%s%s%s", o->id == 'v' ? "-v, " : o->id == 'q' ? "-q, " : "", "", o->name,
                 o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(out, "  %-26s %s\n", left, o->help);
    }
    fprintf(out, "\nexit codes: 0 every case passed, 1 a case failed, 2 usage/configuration/"
                 "definition error, 3 tool or network error\n"
                 "(a tool reading that fails counts only with --strict)\n");
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

/* A default file of the data directory (common/datadir.h): DATADIR/rel. Without a data
 * directory, rel as it is (relative to the working directory), and why when it is not
 * there either. */
static const char *locate(cli_args *a, const char *rel, char *buf, size_t cap, logger *lg)
{
    lc_error err = {0};
    if (!a->data_dir[0] && datadir_find(a->data_dir, sizeof a->data_dir, &err) < 0) {
        a->data_dir[0] = '\0';
        if (access(rel, F_OK) != 0)
            log_error(lg, "%s", err.msg);
        return rel;
    }
    snprintf(buf, cap, "%s/%s", a->data_dir, rel);
    return buf;
}

int cli_parse_args(int argc, char **argv, cli_args *a, logger *lg)
{
    a->bootstrap_account_iid = -1;
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
        printf("lwm2m-conform %s\n", CLI_VERSION);
        return -1;
    }
    if (strcmp(a->command, "run") && strcmp(a->command, "list") && strcmp(a->command, "validate") &&
        strcmp(a->command, "serve") && strcmp(a->command, "objects") && strcmp(a->command, "describe")) {
        log_error(lg, "unknown command \"%s\" (expected run, list, validate, serve, objects or describe)", a->command);
        return EXIT_USAGE;
    }
    optind = 2;
    opterr = 0;
    int c;
    lc_error err = {0};
    while ((c = getopt_long(argc, argv, "vq", longopts, NULL)) != -1) {
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
        case OPT_DATADIR:
            /* through the environment, so the simulated device finds the same files */
            if (access(optarg, F_OK) != 0) {
                log_error(lg, "--datadir %s: no such directory", optarg);
                return EXIT_USAGE;
            }
            setenv(DATADIR_ENV, optarg, 1);
            break;
        case OPT_READINGS: a->readings = true; break;
        case OPT_CIPHERSUITES:
            if (!strcmp(optarg, "help")) {
                char known[4096];
                net_suites_list_psk(known, sizeof known);
                printf("PSK cipher suites of this build (LwM2M's mandatory one: %s):\n  %s\n",
                       NET_SUITE_LWM2M_MANDATORY, known);
                return -1;
            }
            if (net_suites_normalize(optarg, a->ciphersuites_buf, sizeof a->ciphersuites_buf,
                                     &err) < 0) {
                log_error(lg, "%s", err.msg);
                return EXIT_USAGE;
            }
            a->dut.ciphersuites = a->ciphersuites_buf;
            break;
        case OPT_STRICT: a->strict = a->readings = true; break;
        case OPT_ALL: a->list_all = a->readings = true; break;
        case OPT_MARKDOWN: a->markdown = true; break;
        case OPT_ETS: a->ets = optarg; break;
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
        case OPT_TIMEOUT:
        case OPT_STOP_GRACE:
        case OPT_RESET_TIMEOUT:
        case OPT_REBOOT_TIMEOUT:
        case OPT_MAX_TRANSMIT_WAIT: {
            char *end;
            double v = strtod(optarg, &end);
            if (*end || end == optarg || v <= 0 || v > 86400) {
                log_error(lg, "--%s %s: give seconds, more than 0 and at most 86400", o->name, optarg);
                return EXIT_USAGE;
            }
            if (c == OPT_TIMEOUT)
                a->timeout_s = v;
            else if (c == OPT_STOP_GRACE)
                a->stop_grace_s = v;
            else if (c == OPT_REBOOT_TIMEOUT)
                a->reboot_timeout_s = v;
            else if (c == OPT_MAX_TRANSMIT_WAIT)
                a->max_transmit_wait_s = v;
            else
                a->reset_timeout_s = v;
            break;
        }
        case OPT_DEVICE_CMD: a->device_cmd = optarg; break;
        case OPT_RESET_CMD: a->reset_cmd = optarg; break;
        case OPT_SEND_CMD: a->send_cmd = optarg; break;
        case OPT_DEVICE_LOG: a->device_log = optarg; break;
        case OPT_ENDPOINT:
            if (!*optarg) {
                log_error(lg, "--endpoint: give the device's endpoint name");
                return EXIT_USAGE;
            }
            a->endpoint = optarg;
            break;
        case OPT_JUNIT: a->junit_path = optarg; break;
        case OPT_HTML: a->html_path = optarg; break;
        case OPT_PCAP: a->pcap_path = optarg; break;
        case OPT_KEYLOG: a->keylog_path = optarg; break;
        case 'q': a->quiet = true; break;
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
        case OPT_FIRMWARE: a->fw.firmware = optarg; break;
        case OPT_FW_VERSION: a->fw.version = optarg; break;
        case OPT_FW_CORRUPT: a->fw.corrupt = optarg; break;
        case OPT_FW_UNSUPPORTED: a->fw.unsupported = optarg; break;
        case OPT_FW_INSTALL_FAIL: a->fw.install_failure = optarg; break;
        case OPT_FW_PROTOCOL:
            if (strcmp(optarg, "coap") && strcmp(optarg, "coaps") && strcmp(optarg, "http")) {
                log_error(lg, "--firmware-protocol %s: give coap, coaps or http", optarg);
                return EXIT_USAGE;
            }
            a->fw.protocol = optarg;
            break;
        case OPT_FW_METHOD:
            if (strcmp(optarg, "push") && strcmp(optarg, "pull")) {
                log_error(lg, "--firmware-method %s: give push or pull", optarg);
                return EXIT_USAGE;
            }
            a->fw.method = optarg;
            break;
        case OPT_FW_STORAGE:
        case OPT_UPDATE_TIMEOUT:
        case OPT_FW_POLL: {
            char *end;
            double v = strtod(optarg, &end);
            if (*end || v <= 0 || v > 1e12) {
                log_error(lg, "--%s %s: give a positive number", c == OPT_FW_STORAGE ? "firmware-storage"
                          : c == OPT_FW_POLL ? "firmware-poll" : "update-timeout", optarg);
                return EXIT_USAGE;
            }
            if (c == OPT_FW_STORAGE)
                a->fw.storage_bytes = (uint64_t)v;
            else if (c == OPT_FW_POLL)
                a->fw.poll_ms = (uint64_t)v;
            else
                a->fw.phase_timeout_ms = (uint64_t)(v * 1000.0);
            break;
        }
        case OPT_BOOTSTRAP_ACCOUNT_IID: {
            char *end = NULL;
            long iid = strtol(optarg, &end, 10);
            if (!*optarg || *end || iid < 0 || iid > 65534) {
                log_error(lg, "--bootstrap-account-iid %s: give a Security instance id, 0 to 65534",
                          optarg);
                return EXIT_USAGE;
            }
            a->bootstrap_account_iid = (int)iid;
            break;
        }
        case OPT_LWM2M: {
            lwm2m_version v;
            if (lwm2m_version_parse_known(optarg, &v, &err) < 0) {
                log_error(lg, "--lwm2m: %s", err.msg);
                return EXIT_USAGE;
            }
            a->lwm2m_version = optarg;
            break;
        }
        case OPT_OBJECTS:
            if (a->objects_dir_count == MAX_LIST) {
                log_error(lg, "--objects: too many directories");
                return EXIT_USAGE;
            }
            a->objects_dirs[a->objects_dir_count++] = optarg;
            break;
        case OPT_SIM_ARG:
            if (a->sim_arg_count == MAX_LIST) {
                log_error(lg, "--sim-arg: too many arguments");
                return EXIT_USAGE;
            }
            a->sim_args[a->sim_arg_count++] = optarg;
            a->sim = true;
            break;
        case OPT_VAR: {
            const char *eq = strchr(optarg, '=');
            bool ok = eq && eq > optarg;
            for (const char *p = optarg; ok && p < eq; p++)
                ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
            if (!ok) {
                log_error(lg, "--var %s: give NAME=VALUE (NAME: lower-case letters, digits, _)", optarg);
                return EXIT_USAGE;
            }
            if (a->var_count == MAX_LIST) {
                log_error(lg, "--var: too many variables");
                return EXIT_USAGE;
            }
            a->vars[a->var_count++] = optarg;
            break;
        }
        case OPT_MAX_WAIT: {
            char *end;
            a->max_wait_s = strtod(optarg, &end);
            if (*end || a->max_wait_s <= 0) {
                log_error(lg, "--max-wait %s: give seconds, more than 0", optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case OPT_TIMING_TOLERANCE: {
            char *end;
            a->timing_scale = strtod(optarg, &end);
            if (*end || !(a->timing_scale >= 1.0 && a->timing_scale <= 100.0)) {
                log_error(lg, "--timing-tolerance %s: give a factor from 1 to 100 (3 triples "
                          "every timing tolerance)", optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case OPT_PROFILE:
            a->profile = optarg;
            break;
        case OPT_DESCRIPTION: a->description = optarg; break;
        case OPT_CONFIG_DIR: a->config_dir = optarg; break;
        case OPT_OUTPUT: a->output = optarg; break;
        case OPT_ACK_TIMEOUT: a->dut.ack_timeout_ms = (unsigned)strtoul(optarg, NULL, 10); break;
        case OPT_RETRANSMIT: a->dut.max_retransmit = (unsigned)strtoul(optarg, NULL, 10); break;
        case OPT_NO_COLOR: a->no_color = true; break;
        case 'v': a->verbose++; break;
        case OPT_HELP: usage(stdout, a->command); return -1;
        case OPT_VERSION: printf("lwm2m-conform %s\n", CLI_VERSION); return -1;
        }
    }
    a->files = argv + optind;
    a->file_count = argc - optind;
    if (a->file_count && strcmp(a->command, "validate") != 0 && strcmp(a->command, "objects") != 0) {
        log_error(lg, "unexpected argument \"%s\"", a->files[0]);
        return EXIT_USAGE;
    }
    {
        /* the shipped configurations' directory, wherever the tool runs from */
        char *shipped = a->shipped_dir_buf;
        const char *c14 = locate(a, "fixtures/c14.json", shipped, sizeof a->shipped_dir_buf, lg);
        if (c14 != shipped)
            snprintf(shipped, sizeof a->shipped_dir_buf, "%s", c14);
        char *slash = strrchr(shipped, '/');
        if (slash) {
            *slash = '\0';
            a->shipped_config_dir = shipped;
        }
    }
    if (!a->config_path) {
        /* describe reads every object: one server, no access control (C.1) */
        a->config_path = locate(a, strcmp(a->command, "describe") == 0 ? "fixtures/c1.json"
                                                                       : "fixtures/c14.json",
                                a->config_buf, sizeof a->config_buf, lg);
        /* the shipped configurations: each case in its own (with --bootstrap) */
        if (!a->config_dir) {
            snprintf(a->config_dir_buf, sizeof a->config_dir_buf, "%s", a->config_path);
            char *slash = strrchr(a->config_dir_buf, '/');
            if (slash)
                *slash = '\0';
            else
                snprintf(a->config_dir_buf, sizeof a->config_dir_buf, ".");
            a->config_dir = a->config_dir_buf;
        }
    }
    if (!a->cases_dir)
        a->cases_dir = locate(a, "testcases", a->cases_buf, sizeof a->cases_buf, lg);
    /* the bundled simulated device is what fixtures/simdev.json says it is */
    a->sim_description = locate(a, "fixtures/simdev.json", a->sim_desc_buf, sizeof a->sim_desc_buf, lg);
    a->dut.bootstrap = a->bootstrap;
    if (a->sim && (a->device_cmd || a->reset_cmd)) {
        log_error(lg, "--sim is a device command of its own: give --sim or --device-cmd/--reset-cmd");
        return EXIT_USAGE;
    }
    if (a->device_cmd && a->reset_cmd) {
        log_error(lg, "give --device-cmd (the tool restarts the device) or --reset-cmd (the tool "
                  "resets a device it does not run), not both");
        return EXIT_USAGE;
    }
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

int cli_load_config(const cli_args *a, config *cfg, logger *lg)
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

int cli_load_description(const cli_args *a, description **out, logger *lg)
{
    *out = NULL;
    const char *path = a->description ? a->description : a->sim ? a->sim_description : NULL;
    if (!path)
        return 0;
    description *d = malloc(sizeof *d);
    if (!d) {
        log_error(lg, "out of memory");
        return EXIT_TOOL;
    }
    lc_error err = {0};
    if (description_load_file(path, d, &err) < 0) {
        log_error(lg, "%s", err.msg);
        free(d);
        return EXIT_USAGE;
    }
    log_info(lg, "device description: %s", path);
    *out = d;
    return 0;
}

void cli_print_diags(logger *lg, const tc_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char line[2048];
        tc_diag_format(&d->items[i], line, sizeof line);
        log_msg(lg, LOG_LVL_ERROR, "%s", line);
    }
}

int cli_load_suite(const cli_args *a, tc_suite *suite, logger *lg)
{
    tc_diags d;
    tc_diags_init(&d);
    lc_error err = {0};
    /* the tool's own readings live in DIR/readings/ and join the suite only when asked */
    char readings[PATH_MAX + 16];
    snprintf(readings, sizeof readings, "%s/readings", a->cases_dir);
    const char *dirs[2] = {a->cases_dir, readings};
    struct stat st;
    size_t n = a->readings && stat(readings, &st) == 0 && S_ISDIR(st.st_mode) ? 2 : 1;
    int r = tc_load_dirs(dirs, n, suite, &d, &err);
    if (r < 0) {
        cli_print_diags(lg, &d);
        if (d.count == 0)
            log_error(lg, "%s", err.msg);
    }
    tc_diags_free(&d);
    return r < 0 ? EXIT_USAGE : 0;
}

int cli_load_objects(const cli_args *a, logger *lg)
{
    lc_error err = {0};
    if (objects_load(a->objects_dirs, a->objects_dir_count, &err) < 0) {
        log_error(lg, "%s", err.msg);
        return EXIT_USAGE;
    }
    return 0;
}
