/* What one step of a case produced: the request and the response as seen on the wire
 * (or why there is none). The runner fills it; the matchers judge it. */
#ifndef LC_DUT_OUTCOME_H
#define LC_DUT_OUTCOME_H

#include <stdbool.h>
#include <stdint.h>

#include "net/endpoint.h"
#include "dut/observation.h"
#include "tc/model.h"

typedef enum {
    OUTCOME_OK = 0,        /* a response (or the expected message) was received */
    OUTCOME_NOT_RUN,       /* the step was not executed (interrupted) */
    OUTCOME_TIMEOUT,       /* no answer before the step's deadline */
    OUTCOME_NO_ANSWER,     /* CoAP gave up: retransmissions exhausted, RST */
    OUTCOME_DEVICE_ERROR,  /* the device broke the protocol (malformed Register, not registered) */
    OUTCOME_TOOL_ERROR,    /* the tool or its configuration failed: the case is an ERROR */
    OUTCOME_NOT_APPLICABLE, /* the device does not declare what the step needs (a firmware
                               delivery method, /5/0/9), or the run lacks it (a package):
                               the case is SKIPPED with the detail as its reason */
} outcome_status;

#define OUTCOME_FW_MAX_POLLS 32

/* One change of the Firmware Update object's State (/5/0/3) and Update Result (/5/0/5)
 * a firmware-wait step saw, with when (mono_ms); -1 when a poll did not carry it. */
typedef struct outcome_fw_poll {
    int state, result;
    uint64_t at_ms;
} outcome_fw_poll;

typedef struct step_outcome {
    const tc_step *step;
    outcome_status status;
    char detail[1024];    /* why the status is not OK, for the report */
    bool has_request;
    net_message request;  /* the tool's request, or the device's (Register, Update, …) */
    bool has_response;
    net_message response; /* the device's response, or the tool's reply to the device */
    uint64_t elapsed_ms;
    /* mono_ms: when the tool's request left (0: none was sent), and when the device's
     * response to it arrived, or for an expect step when the device's message did (0:
     * none). A later step's "after_step" counts only what arrives after the request left
     * (after the message, for an expect step). */
    uint64_t sent_at;
    uint64_t answered_at;
    char endpoint_name[256]; /* for registration steps: ep */
    /* How the message or the response came: the DTLS suite negotiated and the PSK
     * identity the device used ("" for plain CoAP, NoSec). */
    char cipher_suite[96];
    char psk_identity[160];
    /* expect-notification with a duration: every notification of its window, with their
     * arrival times (the first is also in response) */
    obs_notes notes;
    bool expired;            /* expect-update with "or_expiry": the registration expired
                                instead (status OK, no request) */
    int registered_after;    /* after the step: 1 the device is registered with the acting
                                server, 0 not, -1 unknown (a bootstrap step, not run) */
    /* firmware-wait: every distinct (State, Update Result) in the order polled (a repeat of
     * the previous one is not kept again), how many polls in all, and the changes past
     * OUTCOME_FW_MAX_POLLS that were not kept */
    outcome_fw_poll fw_polls[OUTCOME_FW_MAX_POLLS];
    size_t fw_poll_count;
    unsigned fw_polls_total, fw_polls_dropped;
    /* firmware-wait until download of a pull delivery: what the tool's package server sent
     * (fw_served_known false: the case's package was not served by the tool) */
    bool fw_served_known, fw_served_complete;
    uint64_t fw_served_bytes;
    unsigned fw_served_requests;
    /* firmware-reset: the Firmware Version /3/0/3 the device reported after the reset, before
     * any package ("" unknown): a "version": "installed" check that finds --firmware-version
     * here cannot evidence an installation */
    char fw_version_before[64];
    /* a request to a registration in queue mode (run/step_queue.c): when it was ordered
     * while the device slept (0: it went at once), when the Update or Register that woke
     * the device arrived, and what the tool decided and why */
    uint64_t queued_at;
    uint64_t queue_woke_at;
    bool queue_never_quiet; /* meant for a sleeping device, which was never quiet for
                               MAX_TRANSMIT_WAIT: whether it holds cannot be judged */
    char queue_note[224];
} step_outcome;

void step_outcome_clear(step_outcome *o);

#endif
