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
#include "tc/vars.h"

struct fw_delivery;

#define STEPS_MAX_OBSERVATIONS 16

typedef struct step_observation {
    int short_server_id;
    char path[256];     /* the observed path, or a composite observation's paths joined by ',' */
    uint64_t exchange_id;
    uint64_t last_ms;  /* arrival of its last notification (or of the Observe's response) */
    bool cancelled;    /* by a Reset or a GET with Observe: 1: later notifications are
                          still collected (and answered with RST) */
    uint64_t cancel_answered_ms; /* the device's answer to the cancelling GET arrived (0:
                          none): a notification before it was in flight, not counted */
} step_observation;

#define STEPS_MAX_STARTS 64
#define STEPS_MAX_QUEUE_SERVERS DUT_MAX_QUEUE_SERVERS

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
    /* when each step began (mono_ms), and when what it provoked can start to arrive: when
     * its request left (for an expect step, when the device's message arrived), else when
     * it began; for "after_step" */
    struct {
        int number;
        int op; /* tc_op */
        uint64_t at;
        uint64_t provoked;
        uint64_t answered; /* when its (last) answer came, else when it ended */
    } started[STEPS_MAX_STARTS];
    size_t started_count;
    uint64_t began_at;           /* when the case's steps began (steps_init) */
    bool after_reset;            /* the case began by resetting or restarting the device */
    uint64_t reboot_timeout_ms;  /* the deadline of a Register after a Reboot or Factory
                                    Reset Execute (--reboot-timeout); 0 = 120000 */
    bool serve_bootstrap;        /* a Bootstrap-Request while a step waits is provisioned
                                    (the case has no bootstrap steps of its own) */
    int current_step;
    uint64_t poll_start, poll_until; /* steps_poll's current series of slices (the progress line) */
    int64_t var_timeout_ms;  /* the current step's "timeout" variable, resolved; -1 none */
    int64_t var_duration_ms; /* the current step's "duration" variable, resolved; -1 none */
    /* trigger-send: the run's way to make the device Send (run_options.trigger_send) */
    int (*trigger_send)(void *arg, const char *case_id, char *how, size_t cap, lc_error *err);
    void *trigger_arg;
    bool send_untriggered;   /* a trigger-send found no way to make the device Send */
    bool send_gave_up;       /* and an expect-send then waited in vain: later ones do not */
    bool send_seen;          /* a Send arrived in this case: the device sends on its own */
    char forgotten[24];      /* forget-registration: the id the tool dropped ("" none) */
    int forgotten_server;
    uint64_t forgotten_expiry; /* mono_ms: when the dropped registration's lifetime ran out on
                                  the tool's clock (+ tolerance): its Update is due before */
    /* firmware update (run/step_firmware.c): the run's packages and servers (borrowed, may
     * be NULL), what /5/0/8 and /5/0/9 declared (read once per case), the last delivery */
    struct fw_delivery *fw;
    struct {
        bool known;          /* /5/0 was read in this case */
        bool push, pull;     /* /5/0/9, narrowed by --firmware-method */
        int declared;        /* /5/0/9 as read (0 pull, 1 push, 2 both), -1 absent */
        unsigned protocols;  /* /5/0/8: bit n = protocol n (0 CoAP, 1 CoAPS, 2 HTTP, 3 HTTPS,
                                4 CoAP/TCP, 5 CoAP/TLS); 0 = not declared */
        int slot;            /* the package URI's slot on the tool's server, -1 none */
        char scheme[8];      /* how that slot is served */
        uint64_t transfer_end_ms; /* when the push ended (mono_ms), 0 none */
        int failed_step;     /* the firmware-deliver step whose delivery failed, 0 none */
    } fw_state;
    unsigned expiry_tolerance_ms; /* STEPS_EXPIRY_TOLERANCE_MS times --timing-tolerance */
    double timing_scale;          /* --timing-tolerance: multiplies a case's own numeric timeout */
    /* queue mode (run/step_queue.c): --max-transmit-wait (0: 93 s); when the tool last
     * heard the device is the device's (dut.queue_heard), kept across cases */
    uint64_t max_transmit_wait_ms;
    uint64_t queue_hold_max_ms;
} step_context;

/* Registrations expire on the tool's clock this long after their lifetime, to allow for
 * the network and retransmissions of the device's Update. */
#define STEPS_EXPIRY_TOLERANCE_MS 2000u

void steps_init(step_context *sc, dut *d, const tc_case *c, uint64_t default_timeout_ms,
                bootstrap_server *bs);
/* How long a Register after a Reboot (/3/0/4) or Factory Reset (/3/0/5) Execute may take
 * (0: STEPS_REBOOT_TIMEOUT_MS). */
#define STEPS_REBOOT_TIMEOUT_MS 120000u
void steps_set_reboot_timeout(step_context *sc, uint64_t ms);
/* Queue mode, see run/step_queue.h: --max-transmit-wait, how long after its last message a
 * queue-mode device is taken for asleep (0: RFC 7252's 93 s); --max-wait, the longest a
 * request is held for it (0: no limit but the registration's lifetime). */
void steps_set_queue_mode(step_context *sc, uint64_t max_transmit_wait_ms, uint64_t hold_max_ms);
/* True for an Execute of the Device object's Reboot (/3/0/4) or Factory Reset (/3/0/5):
 * the device goes away after answering it and comes back with a new registration. */
bool steps_is_reboot(const tc_step *s);
/* The case's variables with their values for this run (vars borrowed; may be NULL). */
void steps_set_vars(step_context *sc, const tc_kv *vars, size_t count);
/* --timing-tolerance: scales the registration expiry tolerance (>= 1; else ignored). */
void steps_set_timing_scale(step_context *sc, double scale);
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
/* From when a message step number provoked counts (mono_ms): when its request left (for an
 * expect step, when the device's message arrived), else when the step began; 0 when it has
 * not run. Anything that arrived earlier was not provoked by it. */
uint64_t steps_provoked_at(const step_context *sc, int number);
/* The step's window ("duration", a variable one resolved), or 0 when it has none. */
uint64_t steps_window_ms(const step_context *sc, const tc_step *s);
/* When reg expires on the tool's clock: its last Register/Update plus its lifetime (86400
 * when the device gave none) plus the expiry tolerance (STEPS_EXPIRY_TOLERANCE_MS, scaled
 * by --timing-tolerance). */
uint64_t steps_registration_expiry(const step_context *sc, const registration *reg);
/* Serves the device until `until` or for 200 ms, whichever comes first, checking the
 * run's stop flag and watch (a dead simulated device). With serve_bootstrap, a
 * Bootstrap-Request the device sent (it rebooted without its state) is provisioned first
 * (bs/bootstrap.h bootstrap_serve_unplanned; the report notes it). Returns 0, LC_EINTR
 * or LC_EIO. */
int steps_poll(step_context *sc, uint64_t until);
/* Sends spec on the acting server's registration (waiting for one up to the step's
 * deadline) and fills o with the response. With remember_observation a 2.xx with an
 * Observe option starts an observation of the step (steps_observation_key). */
void steps_send_and_await(step_context *sc, step_outcome *o, const net_request_spec *spec,
                          bool remember_observation);
/* What names a step's observation: its path, or a composite step's paths joined by ','. */
void steps_observation_key(const tc_step *s, char *buf, size_t cap);
/* The case's latest observation of the step's key on its server, or NULL. */
step_observation *steps_find_observation(step_context *sc, const tc_step *s);
/* The ${variables} of this case: the configuration, where its instances are on the
 * device, the endpoint name, the case's own variables. */
tc_vars_env steps_vars_env(const step_context *sc);
/* Appends printf text to o->detail. */
void steps_append_detail(step_outcome *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* How every wait on the network ends that is nobody's verdict: r == LC_EINTR (the run was
 * interrupted: not run, "interrupted while waiting for <what>") or LC_EIO with the
 * network's abort reason (a tool error) fills o and returns true; any other r is the
 * caller's to judge (false). */
bool steps_wait_cut_short(step_context *sc, int r, const char *what, step_outcome *o);

#endif
