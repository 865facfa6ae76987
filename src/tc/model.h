/* The test-case model: what a JSON definition (testcases/<id>.json, format in
 * docs/testcase-format.md) becomes after loading. No jansson types here: the loader is the
 * only module that sees JSON.
 *
 * Strings may hold ${variables} (resolved by the runner against the configuration);
 * the loader has already checked that every variable name is known. All memory is owned
 * by the tc_suite (or tc_case) and freed by tc_suite_free / tc_case_free. */
#ifndef LC_TC_MODEL_H
#define LC_TC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    TC_OP_EXPECT_REGISTER,
    TC_OP_EXPECT_UPDATE,
    TC_OP_EXPECT_DEREGISTER,
    TC_OP_READ,
    TC_OP_WRITE,         /* PUT: replace */
    TC_OP_WRITE_PARTIAL, /* POST: partial update */
    TC_OP_EXECUTE,
    TC_OP_CREATE,
    TC_OP_DELETE,
    TC_OP_DISCOVER,
    TC_OP_WRITE_ATTRIBUTES,
    TC_OP_OBSERVE,
    TC_OP_CANCEL_OBSERVE,
    TC_OP_EXPECT_NOTIFICATION,
    TC_OP_RESET_NOTIFICATION, /* answer the observation's next notification with RST */
    TC_OP_WAIT, /* only where the spec itself times something */
    TC_OP_EXPECT_REGISTERED, /* the device stays registered for a window (no De-register,
                                no expiry on the tool's clock, no new Register) */
    /* LwM2M 1.1 composite operations (core §5.4.4, §5.4.6, §5.5.1; RFC 8132 FETCH/iPATCH):
     * their step names its "paths" (read, observe, cancel) or its "values" (write) */
    TC_OP_READ_COMPOSITE,          /* FETCH / with a SenML path list */
    TC_OP_WRITE_COMPOSITE,         /* iPATCH / with SenML records */
    TC_OP_OBSERVE_COMPOSITE,       /* FETCH / with Observe 0 */
    TC_OP_CANCEL_OBSERVE_COMPOSITE,/* FETCH / with Observe 1, the same path list and token */
    TC_OP_EXPECT_SEND,             /* the device's Send (POST /dp, LwM2M 1.1 §6.4.4) */
    TC_OP_TRIGGER_SEND,            /* makes the device Send, by the run's means (--send-cmd,
                                      SIGUSR1 to --sim); none: the device's own schedule */
    /* Bootstrap interface (the acting server is "bootstrap") */
    TC_OP_EXPECT_BOOTSTRAP_REQUEST,
    TC_OP_BOOTSTRAP_DELETE,
    TC_OP_BOOTSTRAP_WRITE,
    TC_OP_BOOTSTRAP_DISCOVER,
    TC_OP_BOOTSTRAP_READ,
    TC_OP_BOOTSTRAP_FINISH,
    TC_OP_BOOTSTRAP_PROVISION, /* delete + write every C.14 object + finish, as one step */
    TC_OP_EXPECT_BOOTSTRAP_PACK_REQUEST, /* LwM2M 1.2: GET /bspack, answered with the pack */
    TC_OP_FORGET_REGISTRATION, /* the tool drops the registration on its side (int-105) */
    TC_OP_EXPECT_DISCARDED_UPDATE, /* an Update for the dropped registration, answered 4.04 */
    /* Firmware Update (object 5; run/step_firmware.c, fw/) */
    TC_OP_FIRMWARE_RESET,   /* the initial state: '\0' to /5/0/0 or "" to /5/0/1 */
    TC_OP_FIRMWARE_DELIVER, /* a package by push (Block1 Write of /5/0/0) or pull (/5/0/1) */
    TC_OP_FIRMWARE_WAIT,    /* polls State and Update Result until a phase ends */
    TC_OP__COUNT
} tc_op;

/* "expect-register", … ; NULL for out of range. */
const char *tc_op_name(tc_op op);
/* Returns -1 when unknown. */
int tc_op_from_name(const char *name);
/* True for the ops whose acting server is the bootstrap server (expect-bootstrap-request,
 * bootstrap-*). */
bool tc_op_is_bootstrap(tc_op op);

/* A position in a definition file (1-based); 0:0 when unknown (a case built by hand). */
typedef struct tc_pos {
    int line, column;
} tc_pos;

typedef struct tc_kv {
    char *name;
    char *value; /* may be NULL (a flag such as "Q"); may hold ${vars} */
} tc_kv;

/* One value to write: path (absolute), LwM2M type, the value as text (may hold ${vars}). */
typedef struct tc_write_value {
    char *path;
    char *type; /* "string", "integer", "float", "boolean", "opaque", "time", "objlnk" */
    char *value;
} tc_write_value;

#define TC_SERVER_BOOTSTRAP 0 /* the acting server of bootstrap steps */
#define TC_SERVER_NONE (-1)   /* a "wait" step without a server */

typedef struct tc_step {
    int number;        /* as in the spec: 1, 2, 3 … */
    char *text;        /* the spec's wording of the step */
    int server;        /* Short Server ID of the acting server; TC_SERVER_BOOTSTRAP */
    tc_op op;
    char *path;        /* "/3/0"; NULL when the op takes none */
    tc_kv *attributes; /* write-attributes: pmin, pmax, gt, lt, st, or a flag to clear */
    size_t attribute_count;
    tc_write_value *values; /* write, write-partial, create, bootstrap-write */
    size_t value_count;
    int content_format;     /* for writes; -1 = the runner picks (TLV) */
    int accept;             /* Accept option; -1 none */
    char *payload;          /* execute arguments, or a raw payload; may be NULL */
    int64_t timeout_ms;     /* 0 = the run's default */
    int64_t wait_ms;        /* TC_OP_WAIT, and the window of expect-notification */
    /* bootstrap-write, bootstrap-delete: the text this step tests by changing the device's
     * own bootstrap account (a citation); NULL: the tool refuses to touch that account */
    char *bootstrap_account;
    char *timeout_var;      /* "timeout" given as a variable ("${server[1].disable_timeout}"):
                               resolved when the step runs, plus the run's step timeout */
    char *duration_var;     /* "duration" given as a variable; resolved when the step runs */
    int after_step;         /* expect-*: only a message that came after step N's request;
                               0 (the loader requires the key): since the case began, and
                               for a Register since the device's current life began (its
                               last start, reset, Bootstrap-Request or Reboot) */
    bool has_after_step;    /* "after_step" was given (0 is a bound: the case's start) */
    char *unjudged;         /* "unjudged": why no criterion judges this step (a set-up or
                               clean-up the draft gives no criterion); NULL: a criterion
                               judges it (the loader enforces one or the other) */
    bool setup;             /* "setup": true: the tool's set-up (int-7's provisioning): when
                               it fails (no answer, an error answer) the case is
                               INCONCLUSIVE and its later steps are not run */
    char *na_code;          /* "not_applicable_if": {"code": "4.15", "because": "…"}: an
                               answer with this code ends the case as SKIPPED, not
                               applicable, with the reason; NULL: none */
    char *na_because;
    bool or_expiry;         /* expect-update: the registration expiring on the tool's clock
                               (lifetime without an Update) is an accepted outcome too */
    tc_kv *arguments;       /* execute: arguments, name = digit, value NULL or the text */
    size_t argument_count;
    char **paths;           /* composite operations: the paths of the request body, in order */
    size_t path_count;
    /* firmware-deliver: the package ("firmware", "corrupt", "unsupported",
     * "install-failure", "oversized") and the way ("push", "pull", "any", "pull-cut",
     * "invalid-uri", "unsupported-protocol"); firmware-wait: until which phase ends
     * ("download", "update") */
    char *fw_package;
    char *fw_delivery;
    char *fw_until;
    int line, column;       /* where the step starts in its file */
} tc_step;

typedef enum {
    TC_CHECK_CODE,            /* response code, e.g. "2.05" */
    TC_CHECK_CONTENT_FORMAT,  /* response content format */
    TC_CHECK_REGISTRATION,    /* registration fields vs. the server account */
    TC_CHECK_LINKS,           /* payload as link format, compared as sets */
    TC_CHECK_VALUES,          /* payload decoded; values compared */
    TC_CHECK_NO_RESPONSE,     /* nothing is expected (a NON or a step the device must ignore) */
    TC_CHECK_ANSWERED,        /* the device answered, with any code: the request reached it */
    TC_CHECK_DTLS,            /* the message or response came over a DTLS-PSK session */
    TC_CHECK_QUEUED,          /* queue mode: the request was held while the device slept and
                                 sent after its next Update or Register (int-109) */
    TC_CHECK_NOTIFICATIONS,   /* the notifications of a window: count, spacing, values */
    TC_CHECK_REGISTERED,      /* after the step the device is (or is not) registered with the
                                 acting server, in the tool's registration database */
    TC_CHECK_WITHIN_PATHS,    /* every value of the payload lies at or under one of the step's
                                 "paths" (a composite response carries only what was asked) */
    TC_CHECK_FIRMWARE,        /* firmware-wait: every polled State and Update Result lies in
                                 the allowed sets */
} tc_check_kind;

typedef enum { TC_LINKS_EXACT, TC_LINKS_CONTAINS, TC_LINKS_EXCLUDES } tc_links_mode;

typedef struct tc_value_expect {
    char *path;
    char *equals; /* compared by the resource's type; may hold ${vars}; NULL = must be present */
    bool absent;  /* the path must not be in the payload */
} tc_value_expect;

typedef struct tc_check {
    tc_check_kind kind;
    /* CODE */
    char *code; /* "2.05" */
    /* CONTENT_FORMAT */
    int content_format;
    int content_format_alt; /* "content_format": [a, b]: either passes; -1 when one is given */
    /* REGISTRATION: each field NULL when not checked; values may hold ${vars} */
    char *reg_endpoint_name;
    char *reg_lifetime;
    char *reg_binding;
    char *reg_lwm2m_version;
    /* "ep": true etc.: the parameter must be in the query, any value. The loader then sets
     * the flag below and puts "*" in the string field above (what run/match.c reads).
     * A compared field whose parameter is absent is compared using the LwM2M default:
     * lt 86400, b "U", lwm2m "1.0". */
    bool reg_endpoint_present;
    bool reg_lifetime_present;
    bool reg_binding_present;
    bool reg_lwm2m_present;
    int *reg_objects_present; /* object ids that must be listed */
    size_t reg_objects_present_count;
    int *reg_objects_absent;  /* object ids that must not be listed (the Security object 0) */
    size_t reg_objects_absent_count;
    bool reg_no_parameters;   /* "parameters": "none": an Update with no query parameters */
    bool reg_queue;           /* "queue": true: the Register asks for queue mode (b=UQ in
                                 1.0, the Q parameter in 1.1) */
    char *reg_pid;            /* "pid": the Profile ID the Register must carry (LwM2M 1.2);
                                 NULL when not checked */
    bool reg_no_objects;      /* "objects": "none": the Register lists no object (its
                                 Profile ID stands for them, int-110) */
    /* REGISTERED */
    bool registered;
    /* LINKS */
    tc_links_mode links_mode;
    char *links;              /* link-format text, may hold ${vars} */
    /* Tolerated on observed links unless the expected link names them. The loader always
     * fills the list and never leaves it NULL: ["dim"] when the definition gives none, and
     * for "ignore_attributes": [] a non-NULL list with count 0, which tolerates nothing
     * (pass it on as an empty list; NULL options mean "dim" to linkformat_compare). */
    char **ignore_attributes;
    size_t ignore_attribute_count;
    /* Named on expected links but allowed to be missing from observed ones (a value that is
     * there must still match); NULL with count 0 when the definition gives none. */
    char **optional_attributes;
    size_t optional_attribute_count;
    /* "without": paths no observed link may be at or under (the instances a case deleted,
     * when more links are allowed); NULL with count 0 when not given */
    char **links_without;
    size_t links_without_count;
    /* VALUES (and NOTIFICATIONS: checked in every notification) */
    tc_value_expect *values;
    size_t value_count;
    /* NOTIFICATIONS: -1 when not checked; tolerance defaults to 1 s */
    long notif_min_count, notif_max_count;
    double notif_pmin, notif_pmax, notif_tolerance;
    /* pmin/pmax given as one variable ("${var.pmin}"): resolved when judged; NULL else */
    char *notif_pmin_var, *notif_pmax_var;
    /* "periods": the pmin/pmax of the windows on one path, instead of the check's own
     * (int-1204: two timers at 5/15 s, two at 10/20 s); NULL with count 0 when not given */
    struct tc_notif_period {
        char *path;
        double pmin, pmax;            /* -1: none */
        char *pmin_var, *pmax_var;    /* one variable each, resolved when judged; NULL else */
    } *notif_periods;
    size_t notif_period_count;
    /* FIRMWARE: the States (/5/0/3) and Update Results (/5/0/5) a phase may show; NULL
     * with count 0: not checked */
    int *fw_states;
    size_t fw_state_count;
    int *fw_results;
    size_t fw_result_count;
    bool fw_unchanged; /* State and Update Result are those of the case's first Read that
                          carried them */
    int *fw_leading; /* "leading_states": States also allowed at the polls before the first
                        one whose State is in fw_states (int-771 D: Idle before the download
                        shows) */
    size_t fw_leading_count;
    bool fw_served; /* "served": "complete": the tool's package server sent the whole package
                       to the device in this firmware-wait (pull) */
    char *fw_version; /* "installed" (/3/0/3 is --firmware-version) or "unchanged" (it is
                         what the case's first Read of /3/0/3 returned); NULL */
    bool fw_taken_or_refused; /* "taken": "or-refused": the delivery's answer is 2.04, or a
                                 pushed block's refusal the device reports in Update Result */
    bool fw_ranges; /* "ranges": true: every Object 5 value read lies in its range */
    int line, column;
} tc_check;

typedef struct tc_criterion {
    char letter;  /* 'A', 'B', … */
    int step;     /* the step number it judges (the first, when it judges several) */
    int *more_steps; /* "step": [1, 2, 3, 4]: the others, each judged by the same checks */
    size_t more_step_count;
    char *text;   /* the spec's wording */
    tc_check *checks;
    size_t check_count;
    int line, column;
} tc_criterion;

/* What a case needs done to the device before its first step. */
typedef enum {
    TC_RESET_NONE,    /* the device as the previous case left it */
    TC_RESET_FACTORY, /* "device_reset": "factory": the device starts from its factory
                         bootstrap configuration (it must send a Bootstrap-Request again) */
    TC_RESET_RESTART, /* "device_reset": "restart": the device starts the case anew, with
                         the configuration it has (or the run's, from the bootstrap server):
                         its first Register is one of the case's own */
} tc_reset;

/* One ETS id of a case: which document holds it, under which id and section. A case that
 * two documents hold (the 1.0.1 draft's int-101 is ETS INT 1.2's LightweightM2M-1.1-int-101)
 * is one definition with one entry per document. */
typedef struct tc_ets_ref {
    const char *document; /* the document's key ("1.0.1", "1.2"; tc/etsdoc.h): static */
    char *id;             /* "LightweightM2M-1.1-int-101" */
    char *short_id;       /* "int-101" */
    char *section;        /* "6.2.1" */
    char *source;         /* the source text, with the document and section */
} tc_ets_ref;

typedef struct tc_case {
    char *id;          /* "LightweightM2M-1.0-int-951" */
    char *short_id;    /* "int-951" */
    char *title;
    char *spec_ref;    /* "OMA-ETS-LightweightM2M-V1_0_1 §6.2.1 (CR …)" */
    /* Where the case comes from: the ETS ("OMA-ETS-LightweightM2M-V1_0_1 §6.1.1.1") or the
     * tool's own reading of the core specification ("tool reading: LwM2M TS 1.0 §5.2.5"). */
    char *source;
    bool tool_reading; /* source is a tool reading: the case is advisory */
    /* The ETS ids of the case: [0] is "id" with "source", the others its "also_in" entries
     * (another document holding the same case); none for a tool reading. */
    tc_ets_ref *ets;
    size_t ets_count;
    char *description;
    char *object;      /* "Client and Server" */
    char *area;        /* JUnit classname: "multi-server", "bootstrap", … */
    char *configuration; /* "C.14" */
    char **preconditions;
    size_t precondition_count;
    char **depends_on; /* ids (full or short) */
    size_t depends_on_count;
    tc_pos *depends_on_pos; /* where each depends_on entry is; may be NULL */
    char **requires;   /* features a device profile can lack: "multi-server", "bootstrap" */
    size_t requires_count;
    tc_reset device_reset;
    tc_kv *variables;  /* "variables": the case's own ${var.NAME}, value = the default
                          (text); a run overrides them with --var NAME=VALUE */
    size_t variable_count;
    tc_step *steps;
    size_t step_count;
    tc_criterion *criteria;
    size_t criterion_count;
    char *file;        /* the definition's path */
} tc_case;

typedef struct tc_suite {
    tc_case **cases; /* in dependency order after tc_suite_order() */
    size_t count;
} tc_suite;

void tc_case_free(tc_case *c);
void tc_suite_free(tc_suite *s);

/* Finds by full id or short id ("int-951"), of any document the case is in. */
tc_case *tc_suite_find(const tc_suite *s, const char *id);
/* True when id names this case (full or short form, its own id or an "also_in" one). */
bool tc_case_matches(const tc_case *c, const char *id);
/* The case's id in the document with this key ("1.2"), or NULL when it is not in it. */
const tc_ets_ref *tc_case_ets(const tc_case *c, const char *document);
const tc_step *tc_case_step(const tc_case *c, int number);
/* The criterion with this letter ('A'…), or NULL. */
const tc_criterion *tc_case_criterion(const tc_case *c, char letter);
/* True when crit judges the steps numbered number: its own "step" or one of the others it
 * names ("step": [1, 2, 3]). */
bool tc_criterion_judges(const tc_criterion *crit, int number);
/* True for the operations whose response carries the values of the path they address:
 * read, observe, expect-notification, reset-notification, bootstrap-read, and the
 * composite read and observe (whose "path" is the root: they address several), and the
 * device's Send (its payload). A values check
 * judges only these: of a step that writes and then reads back (int-205's Plain Text
 * Writes and their TLV Read), the Writes are judged by the criterion's other checks. */
bool tc_op_reads(tc_op op);
/* The short form of a full OMA id: the tail after "LightweightM2M-<version>-"
 * ("int-951"); id itself when it has no such prefix. Points into id. */
const char *tc_short_id(const char *id);

/* The fewest notifications a conformant device sends in a window of window_s seconds when
 * it may leave pmax + tolerance between two: floor(window / (pmax + tolerance)). -1 when
 * pmax is not given (nothing to derive). Shared by the loader (tc/case_checks.c) (a min_count above it is
 * refused) and the runner (which never asks for more, whatever the tolerance scale). */
long tc_min_notifications(double window_s, double pmax_s, double tolerance_s);

#endif
