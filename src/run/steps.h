/* Step executors: what each operation of a test definition does on the wire, and what it
 * leaves in the step's outcome for the matchers. Server-initiated operations go to the
 * device's active registration on the acting server; expect-* operations take the
 * device's own messages from the event queue (where they wait if they came early). */
#ifndef LC_RUN_STEPS_H
#define LC_RUN_STEPS_H

#include "lwm2m/content/value.h"
#include "dut/dut.h"
#include "dut/outcome.h"
#include "run/runner.h"

struct fw_delivery;

#define STEPS_MAX_OBSERVATIONS 16

typedef struct step_observation {
    int short_server_id;
    char path[64];
    uint64_t exchange_id;
    uint64_t last_ms;  /* arrival of its last notification (or of the Observe's response) */
    bool cancelled;    /* by a Reset or a GET with Observe: 1: later notifications are
                          still collected (and answered with RST) */
} step_observation;

#define STEPS_MAX_STARTS 64

typedef struct step_context {
    dut *d;
    const tc_case *c;
    uint64_t default_timeout_ms;
    bootstrap_server *bs;
    step_observation obs[STEPS_MAX_OBSERVATIONS];
    size_t obs_count;
    char endpoint_name[256];
    const tc_kv *vars;  /* the case's ${var.NAME} values for this run (borrowed) */
    size_t var_count;
    /* when each step began (mono_ms), for "after_step" */
    struct {
        int number;
        uint64_t at;
    } started[STEPS_MAX_STARTS];
    size_t started_count;
    int64_t var_timeout_ms;  /* the current step's "timeout" variable, resolved; -1 none */
    int64_t var_duration_ms; /* the current step's "duration" variable, resolved; -1 none */
    /* firmware update (run/step_firmware.c): the run's packages and servers (borrowed, may
     * be NULL), what /5/0/8 and /5/0/9 declared (read once per case), the last delivery */
    struct fw_delivery *fw;
    struct {
        bool known;          /* /5/0 was read in this case */
        bool push, pull;     /* /5/0/9 */
        unsigned protocols;  /* /5/0/8: bit n = protocol n (0 CoAP, 1 CoAPS, 2 HTTP, 3 HTTPS,
                                4 CoAP/TCP, 5 CoAP/TLS); 0 = not declared */
        int slot;            /* the package URI's slot on the tool's server, -1 none */
        char scheme[8];      /* how that slot is served */
        uint64_t transfer_end_ms; /* when the push ended (mono_ms), 0 none */
        int failed_step;     /* the firmware-deliver step whose delivery failed, 0 none */
    } fw_state;
} step_context;

/* Registrations expire on the tool's clock this long after their lifetime, to allow for
 * the network and retransmissions of the device's Update. */
#define STEPS_EXPIRY_TOLERANCE_MS 2000u

void steps_init(step_context *sc, dut *d, const tc_case *c, uint64_t default_timeout_ms,
                bootstrap_server *bs);
/* The case's variables with their values for this run (vars borrowed; may be NULL). */
void steps_set_vars(step_context *sc, const tc_kv *vars, size_t count);
/* Executes o->step and fills o. Never blocks past the step's deadline. */
void steps_execute(step_context *sc, step_outcome *o);
/* The endpoint name the device used (from this case's registrations, else any active
 * registration), or NULL. */
const char *steps_endpoint_name(const step_context *sc);
/* Forgets the case's observations (later notifications are answered with RST). */
void steps_finish(step_context *sc);

/* The deadline of a step: its own timeout (a variable timeout plus the run's default),
 * else the run's default. */
uint64_t steps_deadline(const step_context *sc, const tc_step *s);
/* Appends to o->detail what the device's failed handshakes on this endpoint said, so a
 * timeout explains itself ("meanwhile: PSK identity … refused"). Consumes those events. */
void steps_explain_handshakes(step_context *sc, int short_server_id, step_outcome *o);

/* When step number began (mono_ms), 0 when it has not run. */
uint64_t steps_started_at(const step_context *sc, int number);
/* The step's window ("duration", a variable one resolved), or 0 when it has none. */
uint64_t steps_window_ms(const step_context *sc, const tc_step *s);
/* When reg expires on the tool's clock: its last Register/Update plus its lifetime (86400
 * when the device gave none) plus STEPS_EXPIRY_TOLERANCE_MS. */
uint64_t steps_registration_expiry(const registration *reg);
/* Serves the device until `until` or for 200 ms, whichever comes first, checking the
 * run's stop flag and watch (a dead simulated device). Returns 0, LC_EINTR or LC_EIO. */
int steps_poll(step_context *sc, uint64_t until);
/* Appends printf text to o->detail. */
void steps_append_detail(step_outcome *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
