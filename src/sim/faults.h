/* Fault injection for the simulated device.
 *
 * Every fault is a realistic client bug, chosen so that exactly one ETS criterion (or a
 * small known set) must fail when the device under test has it. The table in faults.c is
 * the single source for names, descriptions and the criteria each fault breaks; `--fault
 * help` prints it and docs/simdev.md repeats it. */
#ifndef LC_SIM_FAULTS_H
#define LC_SIM_FAULTS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"
#include "lwm2m/path.h"

typedef enum {
    SIM_FAULT_SKIP_SECOND_SERVER,
    SIM_FAULT_SHARED_ATTRIBUTES,
    SIM_FAULT_IGNORE_WRITE_ATTRIBUTES,
    SIM_FAULT_WRITE_ATTRIBUTES_WRONG_CODE,
    SIM_FAULT_DISCOVER_MISSING_RESOURCE,
    SIM_FAULT_DISCOVER_MALFORMED,
    SIM_FAULT_WRONG_LIFETIME,
    SIM_FAULT_NO_RESPONSE,
    SIM_FAULT_CRASH_ON,
    SIM_FAULT_WRONG_IDENTITY,
    SIM_FAULT_LATE_RESPONSE,
    SIM_FAULT_BOOTSTRAP_NO_FINISH_RESPONSE,
    SIM_FAULT_BOOTSTRAP_WRITE_ERROR,
    SIM_FAULT_BOOTSTRAP_KEEP_OLD_ACCOUNT,
    SIM_FAULT_BOOTSTRAP_REQUEST_NO_EP,
    SIM_FAULT_BOOTSTRAP_DELETE_ERROR,
    SIM_FAULT_BOOTSTRAP_DELETE_IGNORED,
    SIM_FAULT_BOOTSTRAP_DELETE_ALL,
    SIM_FAULT_BOOTSTRAP_DISCOVER_NO_SSID,
    SIM_FAULT_BOOTSTRAP_ACCEPT_INCONSISTENT,
    SIM_FAULT_BOOTSTRAP_READ_ERROR,
    SIM_FAULT_NO_BOOTSTRAP_FALLBACK,
    SIM_FAULT_IGNORE_RETRY_TIMERS,
    /* object cases (int-651 … int-1635) */
    SIM_FAULT_WRONG_VALUE,
    SIM_FAULT_MISSING_VALUE,
    SIM_FAULT_IGNORE_WRITE,
    SIM_FAULT_CREATE_DEVICE_OBJECT,
    SIM_FAULT_CREATE_ERROR,
    SIM_FAULT_DELETE_IGNORED,
    SIM_FAULT_NO_NOTIFICATIONS,
    SIM_FAULT_NO_DIM,
    SIM_FAULT_NO_OBJECT_VERSION,
    SIM_FAULT_DISCOVER_NO_OBJECT_LINK,
    SIM_FAULT_SENML_MALFORMED_RECORD,
    SIM_FAULT_SENML_WRONG_BASENAME,
    SIM_FAULT_CBOR_WRONG_MAJOR_TYPE,
    SIM_FAULT_PCT_UNSUPPORTED,
    SIM_FAULT_NO_CONTENT_FORMAT,
    /* registration and device management (int-101 … int-260) */
    SIM_FAULT_REGISTER_NO_EP,
    SIM_FAULT_IGNORE_LIFETIME_WRITE,
    SIM_FAULT_UPDATE_WITH_PARAMS,
    SIM_FAULT_UPDATE_WRONG_LOCATION,
    SIM_FAULT_UPDATE_AFTER_LIFETIME,
    SIM_FAULT_STOP_UPDATES,
    SIM_FAULT_IGNORE_DISABLE,
    SIM_FAULT_IGNORE_UPDATE_TRIGGER,
    SIM_FAULT_REBOOT_NO_REREGISTER,
    SIM_FAULT_IGNORE_PARTIAL_WRITE,
    SIM_FAULT_IGNORE_REPLACE_WRITE,
    SIM_FAULT_IGNORE_ACCEPT_TEXT,
    SIM_FAULT_TEXT_WRITE_UNSUPPORTED,
    SIM_FAULT_TEXT_WRITE_UNTERMINATED,
    /* information reporting (int-301 … int-303) */
    SIM_FAULT_NOTIFY_EARLY,
    SIM_FAULT_NOTIFY_LATE,
    SIM_FAULT_IGNORE_CANCEL,
    /* Discover with attributes (int-260) */
    SIM_FAULT_DISCOVER_NO_INHERIT,
    SIM_FAULT_DISCOVER_INHERITED_EVERYWHERE,
    /* observation of the power saving resources (int-1230) */
    SIM_FAULT_OBSERVE_REFUSED,
    SIM_FAULT_SINGLE_OBSERVATION,
    /* LwM2M 1.1/1.2 operations (ETS INT 1.2: composite, Send, Observe attributes, depth) */
    SIM_FAULT_COMPOSITE_UNSUPPORTED,
    SIM_FAULT_COMPOSITE_BAD_REQUEST,
    SIM_FAULT_COMPOSITE_EXTRA,
    SIM_FAULT_COMPOSITE_ALL_OR_NOTHING,
    SIM_FAULT_COMPOSITE_ROOT_SECURITY,
    SIM_FAULT_WRITE_COMPOSITE_PARTIAL,
    SIM_FAULT_SEND_WHILE_MUTED,
    SIM_FAULT_SEND_WRONG_FORMAT,
    SIM_FAULT_NO_SEND,
    SIM_FAULT_OBSERVE_PARAMS_IGNORED,
    SIM_FAULT_DISCOVER_DEPTH_IGNORED,
    SIM_FAULT_WRITE_READ_ONLY,
    /* ETS INT 1.2 bootstrap and registration (issue 17; sim/bspack.c, sim/messages.c) */
    SIM_FAULT_BSPACK_IGNORED,
    SIM_FAULT_UPDATE_404_KEEP,
    SIM_FAULT_IGNORE_BOOTSTRAP_TRIGGER,
    SIM_FAULT_PID_WITH_OBJECTS,
    /* firmware update (int-751 … int-780; sim/fw.c) */
    SIM_FAULT_FW_WRONG_INITIAL_RESULT,
    SIM_FAULT_FW_NO_DELIVERY_INFO,
    SIM_FAULT_FW_RESET_REFUSED,
    SIM_FAULT_FW_STUCK_DOWNLOADING,
    SIM_FAULT_FW_IGNORE_BLOCK_SIZE,
    SIM_FAULT_FW_WRONG_STATE_SEQUENCE,
    SIM_FAULT_FW_RESULT_NOT_SET,
    SIM_FAULT_FW_UPDATE_WITHOUT_PACKAGE,
    SIM_FAULT_FW_VERSION_UNCHANGED,
    SIM_FAULT_FW_UPDATE_FAILS,
    SIM_FAULT_FW_ACCEPT_ANY_PACKAGE,
    SIM_FAULT_FW_NO_STORAGE_CHECK,
    SIM_FAULT_FW_NO_DOWNLOAD_TIMEOUT,
    SIM_FAULT_FW_INSTALL_FAILURE_HIDDEN,
    SIM_FAULT_FW_PROTOCOL_AS_INVALID_URI,
    SIM_FAULT_FW_FAKE_DOWNLOAD,
    /* issue 20's readings: shaped devices a corrected criterion must pass, and faults it
     * must still fail */
    SIM_FAULT_NOTIFY_LAG,
    SIM_FAULT_DISCOVER_NO_CONTENT_FORMAT,
    SIM_FAULT_DISCOVER_WRONG_CONTENT_FORMAT,
    SIM_FAULT_EXECUTE_REFUSED,
    SIM_FAULT_BOOTSTRAP_DISCOVER_NO_VERSION,
    SIM_FAULT_JSON_UNSUPPORTED,
    SIM_FAULT_DELETE_REFUSED,
    SIM_FAULT_REREGISTER_PERIODIC,
    SIM_FAULT_NOTIFY_BEFORE_CANCEL,
    SIM_FAULT_CREATE_UNAUTHORIZED,
    /* Observe-Composite on created and deleted instances (ETS INT 1.2 int-308/309) */
    SIM_FAULT_COMPOSITE_STALE_NOTIFY,
    SIM_FAULT_COMPOSITE_FIRST_PATH_TIMING,
    SIM_FAULT_COUNT
} sim_fault_id;

typedef struct sim_fault_info {
    sim_fault_id id;
    const char *name;        /* as given to --fault */
    const char *argument;    /* NULL, or the argument's name ("PATH", "MS") */
    const char *description; /* what the device does wrong */
    const char *breaks;      /* the ETS criteria it must fail ("int-951 C/D") */
} sim_fault_info;

#define SIM_FAULT_MAX_PATHS 8
/* The exit status of a device that crash-on stops (EX_SOFTWARE). */
#define SIM_CRASH_STATUS 70

/* The faults in effect for one device. Zero-initialise for "none". */
typedef struct sim_faults {
    bool on[SIM_FAULT_COUNT];
    lwm2m_path no_response[SIM_FAULT_MAX_PATHS]; /* no-response=PATH, repeatable */
    size_t no_response_count;
    unsigned late_response_ms; /* late-response=MS */
    unsigned notify_lag_ms;    /* notify-lag=MS */
    /* wrong-value=PATH, missing-value=PATH, ignore-write=PATH, crash-on=PATH,
     * observe-refused=PATH, execute-refused=PATH, delete-refused=PATH (repeatable) */
    struct {
        sim_fault_id id;
        lwm2m_path path;
    } at[SIM_FAULT_MAX_PATHS];
    size_t at_count;
} sim_faults;

/* The table, in a stable order; *count receives its length. Static storage. */
const sim_fault_info *sim_fault_table(size_t *count);
const sim_fault_info *sim_fault_find(const char *name);

/* Adds one "--fault" argument ("wrong-lifetime", "late-response=1500",
 * "no-response=/3/0"). Unknown names, a missing or superfluous argument and bad values are
 * LC_EINVAL with a message that lists what is accepted. */
int sim_faults_add(sim_faults *f, const char *spec, lc_error *err);

static inline bool sim_fault_on(const sim_faults *f, sim_fault_id id)
{
    return f && f->on[id];
}

/* True when requests on path (or below one of the no-response paths) must go unanswered. */
bool sim_faults_no_response(const sim_faults *f, const lwm2m_path *path);

/* True when fault id (one with a PATH argument other than no-response) was given for
 * path or a path above it: wrong-value=/4/0 covers /4/0/2. */
bool sim_faults_at(const sim_faults *f, sim_fault_id id, const lwm2m_path *path);

/* Writes the table as aligned text for `--fault help` (snprintf semantics). */
int sim_faults_format_table(char *buf, size_t cap);

#endif
