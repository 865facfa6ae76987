/* lwm2m-simdev: a simulated LwM2M 1.0 client device with fault injection.
 *
 * argv -> options -> configuration (+ key overrides) -> device -> client loop -> exit code:
 * 0 clean shutdown (SIGINT/SIGTERM, after De-register), 2 usage or configuration error,
 * 3 network error. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <coap3/coap.h>

#include "common/err.h"
#include "common/log.h"
#include "lwm2m/config.h"
#include "lwm2m/description.h"
#include "lwm2m/objects.h"
#include "net/suites.h"
#include "sim/client.h"
#include "sim/device.h"
#include "sim/factory.h"
#include "sim/faults.h"
#include "sim/formats.h"
#include "sim/persist.h"
#include "sim/reboot.h"
#include "sim/fwpkg.h"

#include <curl/curl.h>

#define EXIT_USAGE 2
#define EXIT_NETWORK 3
#define MAX_URI_OVERRIDES CONFIG_MAX_ACCOUNTS

static const char usage_text[] =
    "usage: lwm2m-simdev --config FILE [options]\n"
    "\n"
    "A simulated LwM2M 1.0/1.1/1.2 client device: registers with every server account of\n"
    "FILE (DTLS-PSK or NoSec), answers Read/Write/Execute/Create/Delete/Discover/\n"
    "Write-Attributes/Observe with Access Control, and de-registers on SIGINT/SIGTERM.\n"
    "\n"
    "  --config FILE           device configuration (OMA LwM2M JSON, e.g. fixtures/c14.json)\n"
    "  --description FILE      what the device is and has: its objects and values (a\n"
    "                          device description; default: simdev.json beside --config)\n"
    "  --endpoint NAME         Endpoint Client Name (default: lwm2m-simdev)\n"
    "  --server-uri SSID=URI   use URI for the server account with Short Server ID SSID\n"
    "                          (repeatable), e.g. --server-uri 1=coaps://127.0.0.1:5684\n"
    "  --bootstrap             start with a Bootstrap-Request to the bootstrap account\n"
    "  --bootstrap-uri URI     use URI for the bootstrap account\n"
    "  --bootstrap-iid N       keep the bootstrap account in Security instance /0/N, as\n"
    "                          real clients may (an account there swaps with it)\n"
    "  --psk-file F            PSK keys, lines \"<ssid|bs> <hex key>\" (environment:\n"
    "                          LWM2M_PSK_KEY_<ssid>, LWM2M_PSK_KEY_BS)\n"
    "  --fault NAME[=ARG]      inject a client bug (repeatable); --fault help lists them\n"
    "  --update-interval S     send Update every S seconds (default: at 90% of lifetime)\n"
    "  --max-transmit-wait S   with --queue: sleep (answer no request) once S seconds (default\n"
    "                          93, RFC 7252) have passed since its last Register, Update or\n"
    "                          answer, until its next Update\n"
    "  --ciphersuites LIST     offer only these DTLS suites, e.g. TLS_PSK_WITH_AES_128_CCM_8\n"
    "  --send-period S         LwM2M 1.1+: Send (POST /dp) /1/x/1 and /3/0/11/0 to every\n"
    "                          server every S seconds (default 0: only on SIGUSR1); a\n"
    "                          server's Mute Send /1/x/23 = true silences it\n"
    "  --lwm2m 1.0|1.1|1.2     protocol version to announce (default 1.0); a server that\n"
    "                          answers the Register 4.12 gets the next older version\n"
    "  --pct N|none            Content-Format its Bootstrap-Request asks for (LwM2M 1.1+;\n"
    "                          default 11543 for 1.1, 112 for 1.2)\n"
    "  --queue                 register in queue mode (b=UQ in LwM2M 1.0, the Q parameter\n"
    "                          in 1.1+)\n"
    "  --omit-ep               LwM2M 1.1+: leave ep out of a Register, Bootstrap-Request or\n"
    "                          Bootstrap-Pack-Request whose PSK identity is its endpoint name\n"
    "                          (LwM2M 1.1 §7.3.1); where they differ it still sends ep\n"
    "  --bs-discover-bare      LwM2M 1.1+: start a Bootstrap-Discover answer with a bare\n"
    "                          lwm2m=\"1.x\", (the LwM2M 1.1 example's form), not </>;lwm2m=\n"
    "  --no-bspack             LwM2M 1.2: bootstrap with POST /bs at once, never asking for a\n"
    "                          Bootstrap-Pack (GET /bspack is optional for a Client)\n"
    "  --composite-min-pmin    time an Observe-Composite by the smallest pmin of its paths\n"
    "                          (as Zephyr does; default: the largest)\n"
    "  --pid ID                LwM2M 1.2: register with the Profile ID ID standing for the\n"
    "                          Server and Device instances, left out of the object list\n"
    "  --objects DIR           also read the object definitions (OMA DDF XML) in DIR\n"
    "                          (repeatable; the shipped ones are fixtures/objects)\n"
    "  --local-port N          send from UDP port N to every server (one port, the same\n"
    "                          across restarts, as embedded devices do); default: a free\n"
    "                          port per server session\n"
    "  --reboot MODE           what Execute Reboot /3/0/4 does after its 2.04: in-process\n"
    "                          (default: re-register from the same process, keeping what\n"
    "                          it holds), exit (status 0, to be started again) or reexec\n"
    "                          (execv itself, same pid and arguments); in exit and reexec\n"
    "                          Factory Reset /3/0/5 also removes the --state-file\n"
    "  --state-file FILE       persistent state (mode 0600, holds PSK keys): what servers\n"
    "                          provisioned and changed is saved there and restored at start,\n"
    "                          so after a restart it registers without bootstrapping again\n"
    "  --bootstrap-holdoff S   wait S seconds before the first Bootstrap-Request\n"
    "  --registration-retry    retry a failed Register and fall back to bootstrap as the Server\n"
    "                          object's /1/x/16-20 say (LwM2M 1.1 defaults where absent: 5\n"
    "                          Registers, 60 s doubling, one sequence), as a real 1.1 client;\n"
    "                          default: fall back after 3 failed Registers over 20 s\n"
"  --fw-storage BYTES      storage for a firmware package (default 2097152): a larger one\n"
    "                          fails with Update Result 2\n"
    "  --fw-block-size N       largest Block1/Block2 it takes and asks for (16..1024, default\n"
    "                          1024): a larger pushed block gets 2.31 asking for N\n"
    "  --fw-delay MS           a download, its check and an update take at least MS (default 600)\n"
    "  --fw-idle-before-download  stay Idle for --fw-delay after a Package URI before fetching\n"
    "  --fw-refuse-oversized-push  answer the pushed block past --fw-storage 4.13\n"
    "  --fw-check-after-push   check a pushed package after its last block (Downloading for\n"
    "                          --fw-delay more), not as the blocks arrive\n"
    "  --make-firmware FILE    write a firmware package of this device and exit, with:\n"
    "    --firmware-version V  the version it installs (default 2.0.0)\n"
    "    --firmware-size N     its size in bytes (default 65536)\n"
    "    --firmware-kind K     ok, unsupported (another package type) or install-fail\n"
    "  -v                      log every request answered (-vv: libcoap debug too)\n"
    "  --help                  this text\n"
    "\n"
    "Exit status: 0 clean shutdown, 2 usage or configuration error, 3 network error.\n";

typedef struct uri_override {
    int ssid;
    const char *uri;
} uri_override;

typedef struct sim_options {
    const char *config_path;
    const char *description_path;
    const char *endpoint;
    uri_override uris[MAX_URI_OVERRIDES];
    size_t uri_count;
    bool bootstrap;
    const char *bootstrap_uri;
    int bootstrap_iid; /* -1: where the configuration has it */
    const char *psk_file;
    sim_faults faults;
    bool fault_help;
    unsigned update_interval;
    unsigned max_transmit_wait;
    unsigned send_period;
    int lwm2m_minor;
    int pct;
    bool queue_mode;
    bool composite_min_pmin;
    const char *pid;
    bool omit_ep;
    bool bs_discover_bare;
    bool no_bspack;
    const char *objects_dirs[8];
    size_t objects_dir_count;
    int verbose;
    bool help;
    char ciphersuites[512]; /* normalized; "" = the library's default */
    uint16_t local_port;
    sim_reboot_mode reboot;
    const char *state_file;
    unsigned bootstrap_holdoff;
    bool registration_retry;
    sim_fw_options fw;
    const char *make_firmware; /* --make-firmware FILE: write a package and exit */
    const char *fw_version;
    uint64_t fw_size;
    sim_fwpkg_kind fw_kind;
} sim_options;

enum { OPT_CONFIG, OPT_ENDPOINT, OPT_SERVER_URI, OPT_BOOTSTRAP, OPT_BOOTSTRAP_URI,
       OPT_BOOTSTRAP_IID, OPT_PSK_FILE,
       OPT_FAULT, OPT_UPDATE_INTERVAL, OPT_MAX_TRANSMIT_WAIT, OPT_LWM2M, OPT_PCT, OPT_OBJECTS,
       OPT_VERBOSE, OPT_HELP, OPT_CIPHERSUITES, OPT_SEND_PERIOD, OPT_QUEUE, OPT_COMPOSITE_MIN_PMIN,
       OPT_PID, OPT_OMIT_EP, OPT_BS_DISCOVER_BARE, OPT_NO_BSPACK, OPT_LOCAL_PORT, OPT_REBOOT,
       OPT_STATE_FILE, OPT_BOOTSTRAP_HOLDOFF, OPT_FW_STORAGE, OPT_FW_BLOCK, OPT_FW_DELAY,
       OPT_MAKE_FW, OPT_FW_VERSION, OPT_FW_SIZE, OPT_FW_KIND, OPT_FW_CHECK_LATE,
       OPT_FW_IDLE_FIRST, OPT_FW_REFUSE_BIG, OPT_DESCRIPTION, OPT_REGISTRATION_RETRY };

/* The one option table: name, whether it takes a value, its id. */
static const struct {
    const char *name;
    bool has_value;
    int id;
} option_table[] = {
    {"--config", true, OPT_CONFIG},
    {"--description", true, OPT_DESCRIPTION},
    {"--endpoint", true, OPT_ENDPOINT},
    {"--server-uri", true, OPT_SERVER_URI},
    {"--bootstrap", false, OPT_BOOTSTRAP},
    {"--bootstrap-uri", true, OPT_BOOTSTRAP_URI},
    {"--bootstrap-iid", true, OPT_BOOTSTRAP_IID},
    {"--psk-file", true, OPT_PSK_FILE},
    {"--fault", true, OPT_FAULT},
    {"--update-interval", true, OPT_UPDATE_INTERVAL},
    {"--max-transmit-wait", true, OPT_MAX_TRANSMIT_WAIT},
    {"--ciphersuites", true, OPT_CIPHERSUITES},
    {"--send-period", true, OPT_SEND_PERIOD},
    {"--lwm2m", true, OPT_LWM2M},
    {"--pct", true, OPT_PCT},
    {"--queue", false, OPT_QUEUE},
    {"--composite-min-pmin", false, OPT_COMPOSITE_MIN_PMIN},
    {"--pid", true, OPT_PID},
    {"--omit-ep", false, OPT_OMIT_EP},
    {"--bs-discover-bare", false, OPT_BS_DISCOVER_BARE},
    {"--no-bspack", false, OPT_NO_BSPACK},
    {"--objects", true, OPT_OBJECTS},
    {"--local-port", true, OPT_LOCAL_PORT},
    {"--reboot", true, OPT_REBOOT},
    {"--state-file", true, OPT_STATE_FILE},
    {"--bootstrap-holdoff", true, OPT_BOOTSTRAP_HOLDOFF},
    {"--registration-retry", false, OPT_REGISTRATION_RETRY},
    {"--fw-storage", true, OPT_FW_STORAGE},
    {"--fw-block-size", true, OPT_FW_BLOCK},
    {"--fw-delay", true, OPT_FW_DELAY},
    {"--fw-check-after-push", false, OPT_FW_CHECK_LATE},
    {"--fw-idle-before-download", false, OPT_FW_IDLE_FIRST},
    {"--fw-refuse-oversized-push", false, OPT_FW_REFUSE_BIG},
    {"--make-firmware", true, OPT_MAKE_FW},
    {"--firmware-version", true, OPT_FW_VERSION},
    {"--firmware-size", true, OPT_FW_SIZE},
    {"--firmware-kind", true, OPT_FW_KIND},
    {"-v", false, OPT_VERBOSE},
    {"--verbose", false, OPT_VERBOSE},
    {"--help", false, OPT_HELP},
    {"-h", false, OPT_HELP},
};

static int apply_option(sim_options *o, int id, const char *val, lc_error *err)
{
    char *end = NULL;
    switch (id) {
    case OPT_CONFIG: o->config_path = val; break;
    case OPT_DESCRIPTION: o->description_path = val; break;
    case OPT_ENDPOINT:
        if (!*val || strlen(val) > 200)
            return lc_error_set(err, LC_EINVAL, "--endpoint: give a name of 1 to 200 characters");
        o->endpoint = val;
        break;
    case OPT_SERVER_URI: {
        const char *eq = strchr(val, '=');
        errno = 0;
        long ssid = strtol(val, &end, 10);
        if (!eq || end != eq || errno || ssid < 1 || ssid > 65534 || !eq[1])
            return lc_error_set(err, LC_EINVAL,
                                "--server-uri %s: expected SSID=URI, e.g. 1=coaps://127.0.0.1:5684",
                                val);
        if (o->uri_count == MAX_URI_OVERRIDES)
            return lc_error_set(err, LC_EINVAL, "--server-uri: at most %d", MAX_URI_OVERRIDES);
        o->uris[o->uri_count++] = (uri_override){(int)ssid, eq + 1};
        break;
    }
    case OPT_BOOTSTRAP: o->bootstrap = true; break;
    case OPT_BOOTSTRAP_URI: o->bootstrap_uri = val; break;
    case OPT_BOOTSTRAP_IID: {
        errno = 0;
        long n = strtol(val, &end, 10);
        if (errno || !*val || *end || n < 0 || n > 65534)
            return lc_error_set(err, LC_EINVAL, "--bootstrap-iid %s: expected 0 to 65534", val);
        o->bootstrap_iid = (int)n;
        break;
    }
    case OPT_PSK_FILE: o->psk_file = val; break;
    case OPT_FAULT:
        if (strcmp(val, "help") == 0) {
            o->fault_help = true;
            break;
        }
        return sim_faults_add(&o->faults, val, err) ? lc_error_prefix(err, "--fault: ") : 0;
    case OPT_UPDATE_INTERVAL: {
        errno = 0;
        long s = strtol(val, &end, 10);
        if (errno || !end || *end || s < 1 || s > 86400 * 365)
            return lc_error_set(err, LC_EINVAL, "--update-interval %s: expected seconds >= 1", val);
        o->update_interval = (unsigned)s;
        break;
    }
    case OPT_MAX_TRANSMIT_WAIT: {
        errno = 0;
        long s = strtol(val, &end, 10);
        if (errno || !end || *end || s < 1 || s > 86400)
            return lc_error_set(err, LC_EINVAL, "--max-transmit-wait %s: expected seconds >= 1", val);
        o->max_transmit_wait = (unsigned)s;
        break;
    }
    case OPT_SEND_PERIOD: {
        errno = 0;
        long s = strtol(val, &end, 10);
        if (errno || !end || *end || s < 0 || s > 86400)
            return lc_error_set(err, LC_EINVAL, "--send-period %s: expected seconds >= 0", val);
        o->send_period = (unsigned)s;
        break;
    }
    case OPT_LWM2M:
        if (strcmp(val, "1.0") == 0)
            o->lwm2m_minor = 0;
        else if (strcmp(val, "1.1") == 0)
            o->lwm2m_minor = 1;
        else if (strcmp(val, "1.2") == 0)
            o->lwm2m_minor = 2;
        else
            return lc_error_set(err, LC_EINVAL, "--lwm2m %s: expected 1.0, 1.1 or 1.2", val);
        break;
    case OPT_PCT: {
        if (strcmp(val, "none") == 0) {
            o->pct = CF_NONE;
            break;
        }
        errno = 0;
        long n = strtol(val, &end, 10);
        if (errno || !end || *end || n < 0 || n > 65535)
            return lc_error_set(err, LC_EINVAL, "--pct %s: expected a Content-Format number "
                                "(110, 112, 11542, 11543, 11544) or none", val);
        o->pct = (int)n;
        break;
    }
    case OPT_QUEUE: o->queue_mode = true; break;
    case OPT_COMPOSITE_MIN_PMIN: o->composite_min_pmin = true; break;
    case OPT_PID: o->pid = val; break;
    case OPT_OMIT_EP: o->omit_ep = true; break;
    case OPT_BS_DISCOVER_BARE: o->bs_discover_bare = true; break;
    case OPT_NO_BSPACK: o->no_bspack = true; break;
    case OPT_OBJECTS:
        if (o->objects_dir_count == sizeof o->objects_dirs / sizeof o->objects_dirs[0])
            return lc_error_set(err, LC_EINVAL, "--objects: too many directories");
        o->objects_dirs[o->objects_dir_count++] = val;
        break;
    case OPT_CIPHERSUITES:
        return net_suites_normalize(val, o->ciphersuites, sizeof o->ciphersuites, err);
    case OPT_LOCAL_PORT: {
        errno = 0;
        long n = strtol(val, &end, 10);
        if (errno || !*val || *end || n < 1 || n > 65535)
            return lc_error_set(err, LC_EINVAL, "--local-port %s: expected a UDP port, 1 to 65535",
                                val);
        o->local_port = (uint16_t)n;
        break;
    }
    case OPT_REBOOT: return sim_reboot_parse(val, &o->reboot, err);
    case OPT_STATE_FILE:
        if (!*val)
            return lc_error_set(err, LC_EINVAL, "--state-file: give a file name");
        o->state_file = val;
        break;
    case OPT_REGISTRATION_RETRY:
        o->registration_retry = true;
        break;
    case OPT_BOOTSTRAP_HOLDOFF: {
        errno = 0;
        long n = strtol(val, &end, 10);
        if (errno || !*val || *end || n < 0 || n > 3600)
            return lc_error_set(err, LC_EINVAL, "--bootstrap-holdoff %s: expected seconds, 0 to "
                                "3600", val);
        o->bootstrap_holdoff = (unsigned)n;
        break;
    }
    case OPT_FW_STORAGE:
    case OPT_FW_BLOCK:
    case OPT_FW_DELAY:
    case OPT_FW_SIZE: {
        errno = 0;
        unsigned long long n = strtoull(val, &end, 10);
        if (errno || !*val || *end || n == 0 || (id == OPT_FW_BLOCK && (n < 16 || n > 1024)))
            return lc_error_set(err, LC_EINVAL, "%s %s: expected a positive number%s",
                                id == OPT_FW_BLOCK ? "--fw-block-size" : "the option", val,
                                id == OPT_FW_BLOCK ? " from 16 to 1024" : "");
        if (id == OPT_FW_STORAGE)
            o->fw.storage = n;
        else if (id == OPT_FW_BLOCK)
            o->fw.block_size = (unsigned)n;
        else if (id == OPT_FW_DELAY)
            o->fw.delay_ms = n;
        else
            o->fw_size = n;
        break;
    }
    case OPT_FW_CHECK_LATE: o->fw.check_after_push = true; break;
    case OPT_FW_IDLE_FIRST: o->fw.idle_before_download = true; break;
    case OPT_FW_REFUSE_BIG: o->fw.refuse_oversized_push = true; break;
    case OPT_MAKE_FW: o->make_firmware = val; break;
    case OPT_FW_VERSION: o->fw_version = val; break;
    case OPT_FW_KIND:
        if (strcmp(val, "ok") == 0)
            o->fw_kind = SIM_FWPKG_OK;
        else if (strcmp(val, "unsupported") == 0)
            o->fw_kind = SIM_FWPKG_UNSUPPORTED;
        else if (strcmp(val, "install-fail") == 0)
            o->fw_kind = SIM_FWPKG_INSTALL_FAILS;
        else
            return lc_error_set(err, LC_EINVAL, "--firmware-kind %s: expected ok, unsupported or "
                                "install-fail", val);
        break;
    case OPT_VERBOSE: o->verbose++; break;
    case OPT_HELP: o->help = true; break;
    default: break;
    }
    return 0;
}

static int parse_args(int argc, char **argv, sim_options *o, lc_error *err)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-vv") == 0) {
            o->verbose += 2;
            continue;
        }
        const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
        size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
        int found = -1;
        for (size_t k = 0; k < sizeof option_table / sizeof option_table[0]; k++)
            if (strlen(option_table[k].name) == nlen && strncmp(option_table[k].name, arg, nlen) == 0)
                found = (int)k;
        if (found < 0)
            return lc_error_set(err, LC_EINVAL, "unknown option '%s' (see --help)", arg);
        const char *val = NULL;
        if (option_table[found].has_value) {
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc)
                val = argv[++i];
            else
                return lc_error_set(err, LC_EINVAL, "%s needs a value", option_table[found].name);
        } else if (eq) {
            return lc_error_set(err, LC_EINVAL, "%s takes no value", option_table[found].name);
        }
        int rc = apply_option(o, option_table[found].id, val, err);
        if (rc)
            return rc;
    }
    if (!o->help && !o->fault_help && !o->make_firmware && !o->config_path)
        return lc_error_set(err, LC_EINVAL, "--config FILE is required (see --help)");
    return 0;
}

/* --description FILE, else simdev.json in the directory of --config when there is one
 * (fixtures/simdev.json: the simulated device's own facts), else none. */
static int load_description(const sim_options *o, description **out, lc_error *err)
{
    char buf[1024];
    const char *path = o->description_path;
    if (!path) {
        const char *slash = strrchr(o->config_path, '/');
        int dir = slash ? (int)(slash - o->config_path) : 0;
        snprintf(buf, sizeof buf, "%.*s%ssimdev.json", dir, o->config_path, slash ? "/" : "");
        if (access(buf, F_OK) != 0)
            return 0;
        path = buf;
    }
    description *d = malloc(sizeof *d);
    if (!d)
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    int rc = description_load_file(path, d, err);
    if (rc) {
        free(d);
        return rc;
    }
    *out = d;
    return 0;
}

static config_account *bootstrap_account(config *c)
{
    for (size_t i = 0; i < c->account_count; i++)
        if (c->accounts[i].bootstrap)
            return &c->accounts[i];
    return NULL;
}

static int check_uri(const char *what, const char *uri, const config_account *a, lc_error *err)
{
    char scheme[16];
    if (config_parse_uri(uri, scheme, sizeof scheme, NULL, 0, NULL, err) != 0)
        return lc_error_prefix(err, "%s: ", what);
    if (strcmp(scheme, "coaps") == 0 && a->mode != SECURITY_MODE_PSK)
        return lc_error_set(err, LC_EINVAL, "%s %s: coaps needs a PSK account (security mode 0)",
                            what, uri);
    if (strcmp(scheme, "coap") == 0 && a->mode != SECURITY_MODE_NOSEC)
        return lc_error_set(err, LC_EINVAL,
                            "%s %s: the account uses DTLS-PSK (security mode 0); use coaps://",
                            what, uri);
    return 0;
}

/* Command-line and key-file overrides on top of the file, all checked before anything
 * goes on the network. */
static int prepare_config(const sim_options *o, config *c, lc_error *err)
{
    int rc = config_load_file(o->config_path, c, err);
    if (rc)
        return rc;
    if ((rc = config_apply_psk_env(c, err)) != 0)
        return rc;
    if (o->psk_file && (rc = config_apply_psk_file(c, o->psk_file, err)) != 0)
        return rc;
    for (size_t i = 0; i < o->uri_count; i++) {
        config_account *a = config_server_mut(c, o->uris[i].ssid);
        if (!a)
            return lc_error_set(err, LC_EINVAL, "--server-uri %d=…: %s has no server account with "
                                "Short Server ID %d", o->uris[i].ssid, c->source, o->uris[i].ssid);
        if ((rc = check_uri("--server-uri", o->uris[i].uri, a, err)) != 0)
            return rc;
        snprintf(a->uri, sizeof a->uri, "%s", o->uris[i].uri);
    }
    if (o->bootstrap_iid >= 0 && (rc = sim_factory_place_bootstrap(c, o->bootstrap_iid, err)) != 0)
        return lc_error_prefix(err, "--bootstrap-iid: ");
    config_account *bs = bootstrap_account(c);
    if (o->bootstrap_uri) {
        if (!bs)
            return lc_error_set(err, LC_EINVAL, "--bootstrap-uri: %s has no bootstrap account",
                                c->source);
        if ((rc = check_uri("--bootstrap-uri", o->bootstrap_uri, bs, err)) != 0)
            return rc;
        snprintf(bs->uri, sizeof bs->uri, "%s", o->bootstrap_uri);
    }
    if (o->bootstrap && !bs)
        return lc_error_set(err, LC_EINVAL, "--bootstrap: %s has no bootstrap account", c->source);
    bool any_server = false;
    for (size_t i = 0; i < c->account_count; i++) {
        config_account *a = &c->accounts[i];
        any_server = any_server || !a->bootstrap;
        /* in bootstrap mode the server accounts' keys come from the bootstrap server;
         * otherwise the bootstrap account is never used */
        if (a->bootstrap != o->bootstrap)
            continue;
        if (a->mode == SECURITY_MODE_PSK && (a->psk_identity_len == 0 || a->psk_key_len == 0))
            return lc_error_set(err, LC_EINVAL,
                                "%s: account /0/%d uses PSK but has no identity or key (give one "
                                "with --psk-file or LWM2M_PSK_KEY_%s)",
                                c->source, a->security_instance, a->bootstrap ? "BS" : "<ssid>");
    }
    if (!o->bootstrap && !any_server)
        return lc_error_set(err, LC_EINVAL, "%s: no server account to register with", c->source);
    return 0;
}

/* The one piece of process state: a signal handler has nowhere else to write. */
static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t send_requested; /* SIGUSR1: Send now (sim/send) */

static void on_signal(int sig)
{
    if (sig == SIGUSR1)
        send_requested = 1;
    else
        stop_requested = 1;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: the wait in coap_io_process must return */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
}

/* A reboot as a device's: no De-register, no DTLS close_notify, nothing freed. exit: the
 * process ends with status 0 (_exit: no atexit work, so nothing more is sent and no leak
 * report changes the status); reexec: every descriptor from 3 up is marked close-on-exec
 * (libcoap opens its sockets without it), so the new image binds the same local port
 * afresh and no old socket steals its datagrams. */
static void reboot_now(sim_reboot_mode mode, char **argv)
{
    fflush(NULL);
    if (mode == SIM_REBOOT_REEXEC) {
        long max = sysconf(_SC_OPEN_MAX);
        for (int fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++) {
            int flags = fcntl(fd, F_GETFD);
            if (flags >= 0)
                fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
        }
        execv("/proc/self/exe", argv);
        execvp(argv[0], argv);
        fprintf(stderr, "lwm2m-simdev: --reboot reexec: cannot execute %s again: %s\n", argv[0],
                strerror(errno));
        _exit(EXIT_NETWORK);
    }
    _exit(0);
}

int main(int argc, char **argv)
{
    sim_options opt;
    memset(&opt, 0, sizeof opt);
    opt.bootstrap_iid = -1;
    opt.pct = SIM_PCT_DEFAULT;
    lc_error err = {0};
    if (parse_args(argc, argv, &opt, &err) != 0) {
        fprintf(stderr, "lwm2m-simdev: %s\n", err.msg);
        return EXIT_USAGE;
    }
    if (opt.help) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (opt.make_firmware) {
        if (sim_fwpkg_write(opt.make_firmware, opt.fw_kind,
                            opt.fw_version ? opt.fw_version : "2.0.0",
                            opt.fw_size ? opt.fw_size : 65536, &err) != 0) {
            fprintf(stderr, "lwm2m-simdev: --make-firmware: %s\n", err.msg);
            return EXIT_USAGE;
        }
        return 0;
    }
    if (opt.fault_help) {
        int n = sim_faults_format_table(NULL, 0);
        char *buf = malloc((size_t)n + 1);
        if (!buf)
            return EXIT_USAGE;
        sim_faults_format_table(buf, (size_t)n + 1);
        fputs(buf, stdout);
        free(buf);
        return 0;
    }

    /* The object model first: the configuration's values are typed by it. */
    if (objects_load(opt.objects_dirs, opt.objects_dir_count, &err) != 0) {
        fprintf(stderr, "lwm2m-simdev: %s\n", err.msg);
        return EXIT_USAGE;
    }
    config *cfg = calloc(1, sizeof *cfg);
    if (!cfg) {
        fprintf(stderr, "lwm2m-simdev: out of memory\n");
        return EXIT_USAGE;
    }
    if (prepare_config(&opt, cfg, &err) != 0) {
        fprintf(stderr, "lwm2m-simdev: %s\n", err.msg);
        free(cfg);
        return EXIT_USAGE;
    }

    description *desc = NULL;
    if (load_description(&opt, &desc, &err) != 0) {
        fprintf(stderr, "lwm2m-simdev: %s\n", err.msg);
        free(cfg);
        return EXIT_USAGE;
    }

    log_level level = opt.verbose >= 2 ? LOG_LVL_TRACE : opt.verbose == 1 ? LOG_LVL_DEBUG
                                                                          : LOG_LVL_INFO;
    logger *lg = logger_new(stdout, stderr, level);
    if (lg)
        logger_set_program(lg, "lwm2m-simdev");
    if (!lg) {
        free(cfg);
        free(desc);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < cfg->account_count; i++)
        logger_add_secret(lg, cfg->accounts[i].psk_key, cfg->accounts[i].psk_key_len);

    coap_startup();
    curl_global_init(CURL_GLOBAL_DEFAULT); /* before any thread: the HTTP downloads' */
    logger_attach_coap(lg);
    int status = 0;
    sim_device dev;
    sim_client *cl = NULL;
    if (sim_device_init(&dev, cfg, desc, &opt.faults, opt.lwm2m_minor, &err) != 0) {
        fprintf(stderr, "lwm2m-simdev: %s\n", err.msg);
        status = EXIT_USAGE;
        goto out;
    }
    dev.pct = opt.pct;
    dev.queue_mode = opt.queue_mode;
    dev.composite_min_pmin = opt.composite_min_pmin;
    dev.pid = opt.pid;
    dev.omit_ep = opt.omit_ep;
    dev.bs_discover_bare = opt.bs_discover_bare;
    dev.no_bspack = opt.no_bspack;
    bool bootstrap = opt.bootstrap;
    if (opt.state_file) {
        bool loaded = false;
        if (sim_persist_load(&dev, opt.state_file, &loaded, &err) != 0) {
            fprintf(stderr, "lwm2m-simdev: %s\n", err.msg);
            status = EXIT_USAGE;
            goto out_dev;
        }
        /* a device that kept its provisioned accounts registers with them at once */
        if (loaded && sim_persist_has_server_account(&dev))
            bootstrap = false;
        fprintf(stderr, "lwm2m-simdev: %s%s\n", loaded ? "state restored from " : "no state yet in ",
                opt.state_file);
    }
    sim_client_options copt = {
        .endpoint = opt.endpoint ? opt.endpoint : "lwm2m-simdev", /* cli/device.h SIM_DEFAULT_ENDPOINT */
        .bootstrap = bootstrap,
        .update_interval_s = opt.update_interval,
        .max_transmit_wait_s = opt.max_transmit_wait,
        .ciphersuites = opt.ciphersuites,
        .send_period_s = opt.send_period,
        .send_poke = &send_requested,
        .local_port = opt.local_port,
        .bootstrap_holdoff_s = opt.bootstrap_holdoff,
        .registration_retry = opt.registration_retry,
        .reboot = opt.reboot,
        .state_file = opt.state_file,
        .fw = opt.fw,
    };
    if (sim_client_new(&dev, &copt, lg, &cl, &err) != 0) {
        fprintf(stderr, "lwm2m-simdev: %s\n", err.msg);
        status = EXIT_NETWORK;
        goto out_dev;
    }
    install_signals();
    int rc = sim_client_run(cl, &stop_requested, &err);
    if (rc == SIM_CLIENT_REBOOT)
        reboot_now(opt.reboot, argv); /* does not return */
    if (rc) {
        fprintf(stderr, "lwm2m-simdev: %s\n", err.msg);
        status = rc == LC_EINVAL ? EXIT_USAGE : EXIT_NETWORK;
    }
    sim_client_free(cl);
out_dev:
    sim_device_cleanup(&dev);
out:
    logger_attach_coap(NULL);
    coap_cleanup();
    curl_global_cleanup();
    logger_free(lg);
    free(cfg);
    free(desc);
    objects_unload();
    return status;
}
