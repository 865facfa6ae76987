/* Queue mode (LwM2M 1.1 §6.5, ETS int-109): the server side of a registration in queue
 * mode. Owns when the tool takes such a device for asleep and the holding of a request
 * ordered while it sleeps until the device's next Update or Register.
 *
 * A registration is in queue mode when its Register (or an Update) carried Q (1.1+) or a
 * binding with Q (b=UQ, 1.0). The device is asleep once MAX_TRANSMIT_WAIT (RFC 7252 §4.8.2:
 * 93 s by default; run --max-transmit-wait S) has passed since the tool last heard from it
 * on that registration (its Register, its last Update, its last answer). */
#ifndef LC_RUN_STEP_QUEUE_H
#define LC_RUN_STEP_QUEUE_H

#include <stdint.h>

#include "lwm2m/registry.h"
#include "run/steps.h"

/* RFC 7252 §4.8.2 MAX_TRANSMIT_WAIT with the default transmission parameters. */
#define STEP_QUEUE_MAX_TRANSMIT_WAIT_MS 93000u

/* Before a request to server ssid: when *reg is in queue mode and asleep, holds the request
 * (o->queued_at set) until the device's next Update or Register on that server, at most the
 * registration's lifetime plus the step's timeout, then sets *reg to the registration that
 * woke and *deadline to the step's timeout from then (o->queue_woke_at). The hold is
 * capped by --max-wait (steps_set_queue_mode). Returns 0 to send
 * now, or < 0 with o filled (no wake-up in time: OUTCOME_TIMEOUT; interrupted). o->queue_note
 * always says what was decided and why, for the report. */
int step_queue_hold(step_context *sc, int ssid, const registration **reg, uint64_t *deadline,
                    step_outcome *o);

/* After an answer from the device on server ssid: it is awake from then on. */
void step_queue_heard(step_context *sc, int ssid, uint64_t at);

#endif
