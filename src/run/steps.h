/* Step executors: what each operation of a test definition does on the wire, and what it
 * leaves in the step's outcome for the matchers. Server-initiated operations go to the
 * device's active registration on the acting server; expect-* operations take the
 * device's own messages from the event queue (where they wait if they came early). */
#ifndef LC_RUN_STEPS_H
#define LC_RUN_STEPS_H

#include "lwm2m/content/value.h"
#include "run/dut.h"
#include "run/outcome.h"
#include "run/runner.h"

#define STEPS_MAX_OBSERVATIONS 16

typedef struct step_observation {
    int short_server_id;
    char path[64];
    uint64_t exchange_id;
    uint64_t last_ms;  /* arrival of its last notification (or of the Observe's response) */
    bool cancelled;    /* by a Reset or a GET with Observe: 1: later notifications are
                          still collected (and answered with RST) */
} step_observation;

typedef struct step_context {
    dut *d;
    const tc_case *c;
    uint64_t default_timeout_ms;
    bootstrap_server *bs;
    step_observation obs[STEPS_MAX_OBSERVATIONS];
    size_t obs_count;
    char endpoint_name[256];
} step_context;

void steps_init(step_context *sc, dut *d, const tc_case *c, uint64_t default_timeout_ms,
                bootstrap_server *bs);
/* Executes o->step and fills o. Never blocks past the step's deadline. */
void steps_execute(step_context *sc, step_outcome *o);
/* The endpoint name the device used (from this case's registrations, else any active
 * registration), or NULL. */
const char *steps_endpoint_name(const step_context *sc);
/* Forgets the case's observations (later notifications are answered with RST). */
void steps_finish(step_context *sc);

/* The deadline of a step: its own timeout, else the run's default. */
uint64_t steps_deadline(const step_context *sc, const tc_step *s);
/* Appends to o->detail what the device's failed handshakes on this endpoint said, so a
 * timeout explains itself ("meanwhile: PSK identity … refused"). Consumes those events. */
void steps_explain_handshakes(step_context *sc, int short_server_id, step_outcome *o);

#endif
