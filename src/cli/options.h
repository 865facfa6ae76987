/* The command line's shared ground: the one option table, its parsing into cli_args, and
 * the loading every command starts with (the device configuration, the suite). The
 * commands themselves (cli/commands.h) depend on this module, never the other way. */
#ifndef LC_CLI_OPTIONS_H
#define LC_CLI_OPTIONS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/log.h"
#include "lwm2m/config.h"
#include "lwm2m/description.h"
#include "net/suites.h"
#include "dut/dut.h"
#include "fw/delivery.h"
#include "tc/loader.h"

#define CLI_VERSION "0.1.0"
#define MAX_LIST 64

enum cli_exit {
    EXIT_PASS = 0,
    EXIT_FAIL = 1,
    EXIT_USAGE = 2,
    EXIT_TOOL = 3,
};

typedef struct cli_args {
    const char *command;
    const char *config_path;
    const char *cases_dir;
    bool readings;  /* also load DIR/readings/: the tool's own readings (advisory) */
    bool strict;    /* their FAIL/INCONCLUSIVE decides the exit code too */
    bool list_all;  /* list --all: the ETS draft's every id */
    bool markdown;  /* list --all --markdown */
    const char *ets; /* list --all --ets KEY: only this ETS document (tc/etsdoc.h); NULL all */
    char *only[MAX_LIST];
    size_t only_count;
    char *skip[MAX_LIST];
    size_t skip_count;
    char *vars[MAX_LIST];  /* --var NAME=VALUE */
    size_t var_count;
    char *profile;         /* --profile FILE: the device profile (NULL: none) */
    const char *description; /* --description FILE: the device description (NULL: none) */
    const char *sim_description; /* the simulated device's own (fixtures/simdev.json) */
    const char *output;    /* describe --output FILE (NULL: standard output) */
    const char *config_dir; /* each case's configuration DIR/c<N>.json (NULL: --config for all) */
    const char *shipped_config_dir; /* the shipped ones (fixtures/): what each case needs */
    char config_dir_buf[PATH_MAX];
    char shipped_dir_buf[PATH_MAX];
    double max_wait_s;     /* --max-wait S (default 600) */
    double timing_scale;   /* --timing-tolerance X (default 1) */
    double timeout_s;
    const char *junit_path;
    const char *html_path;   /* --html */
    const char *pcap_path;   /* --pcap: the whole run; each case's beside it */
    const char *keylog_path; /* --keylog: NSS key log, 0600 */
    bool quiet;              /* -q: only the summary */
    const char *json_path;
    bool json_events;
    dut_options dut;
    const char *psk_file;
    bool sim;
    const char *device_cmd;
    const char *reset_cmd;
    const char *send_cmd;   /* --send-cmd: makes the device Send now */
    const char *device_log;
    double stop_grace_s;
    double reset_timeout_s;
    double reboot_timeout_s; /* --reboot-timeout; 0 = 120 */
    double max_transmit_wait_s; /* --max-transmit-wait; 0 = 93 (queue mode) */
    const char *endpoint;
    const char *faults[MAX_LIST];
    size_t fault_count;
    const char *sim_args[MAX_LIST]; /* --sim-arg, passed to the simulator as is */
    size_t sim_arg_count;
    bool bootstrap;
    const char *advertise;
    fw_options fw;              /* --firmware and the firmware update options */
    int bootstrap_account_iid; /* -1: ask the device */
    const char *lwm2m_version;
    const char *objects_dirs[MAX_LIST]; /* --objects, in order */
    size_t objects_dir_count;
    int verbose;
    bool no_color;
    char **files;
    int file_count;
    char exe_dir[PATH_MAX];
    char data_dir[PATH_MAX]; /* common/datadir.h; "" until looked up */
    char config_buf[PATH_MAX];
    char cases_buf[PATH_MAX];
    char ciphersuites_buf[512]; /* --ciphersuites, normalized */
    char sim_buf[PATH_MAX];
    char sim_desc_buf[PATH_MAX];
    char log_buf[PATH_MAX];
} cli_args;

/* 0: run the command; -1: done already (help, version), exit 0; else an exit code. */
int cli_parse_args(int argc, char **argv, cli_args *a, logger *lg);
/* The configuration with its PSK keys (file, environment), keys registered as log secrets. */
int cli_load_config(const cli_args *a, config *cfg, logger *lg);
/* The device description of --description (with --sim and none given: the simulated
 * device's own); *out is NULL when there is none, else malloc'd (free it). */
int cli_load_description(const cli_args *a, description **out, logger *lg);
/* The suite of --cases, its diagnostics printed. */
int cli_load_suite(const cli_args *a, tc_suite *suite, logger *lg);
void cli_print_diags(logger *lg, const tc_diags *d);
/* The object model: the shipped definitions, then --objects. */
int cli_load_objects(const cli_args *a, logger *lg);

#endif
