/* Observations as first-class state: what the device sent for each observation of a case,
 * with the arrival time of every notification on the tool's own clock (mono_ms), and the
 * judging of timing criteria (count, spacing against pmin/pmax with a tolerance, values).
 *
 * A step that collects notifications (expect-notification with a duration) keeps the
 * ones that arrived in its window in its outcome (obs_notes, owned by the outcome), with
 * the arrival of the observation's previous notification (or of the response to its
 * Observe) as the reference of the first gap. Memory is bounded: at most OBS_MAX_NOTES
 * per window, payloads cut at OBS_MAX_PAYLOAD bytes. */
#ifndef LC_DUT_OBSERVATION_H
#define LC_DUT_OBSERVATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/endpoint.h"

#define OBS_MAX_NOTES 64
#define OBS_MAX_PAYLOAD 4096

typedef struct obs_note {
    uint64_t at_ms;       /* arrival, mono_ms() */
    int code;             /* raw CoAP code: 2.05 = 0x45 */
    int content_format;   /* -1 when absent */
    uint8_t *payload;     /* owned */
    size_t payload_len;
    bool answered_rst;    /* the tool answered it with RST (a cancelled observation) */
    int mid;              /* a CON's message ID (a retransmission repeats it); -1 otherwise */
} obs_note;

typedef struct obs_notes {
    obs_note *items;      /* owned */
    size_t count;
    size_t dropped;       /* arrived beyond OBS_MAX_NOTES: counted, not kept */
    uint64_t since_ms;    /* the observation's notification before the window (or its
                             Observe response): the reference of the first gap */
    uint64_t window_ms;   /* how long the window was */
    uint64_t until_ms;    /* when it ended, mono_ms() */
    size_t before;        /* arrived before not_before (in flight then): not counted */
    size_t repeated;      /* retransmissions of a CON already counted (same message ID) */
} obs_notes;

void obs_notes_free(obs_notes *n);

/* Collects the notifications of exchange_id until deadline into out (appending; out->
 * since_ms and window_ms are the caller's). One that arrived before not_before (0: none)
 * is passed over (out->before), as is a CON whose message ID one already collected had
 * (out->repeated: the device retransmitted it). Returns 0 (the window passed), LC_EINTR or
 * LC_EIO (the run was stopped or the device died). *last_ms becomes the arrival of the
 * last one, when any came. */
int obs_collect(net_ctx *n, uint64_t exchange_id, uint64_t deadline, uint64_t not_before,
                obs_notes *out, uint64_t *last_ms);

/* Appends one notification (copied); false when out of memory. */
bool obs_notes_add(obs_notes *n, const net_event *ev);

/* What obs_judge_timing checks. Negative pmin/pmax: not checked. */
typedef struct obs_timing {
    long min_count, max_count; /* -1: not checked */
    double pmin_s, pmax_s;     /* -1: not checked */
    double tolerance_s;
} obs_timing;

/* Judges count and spacing. Fills expected/observed (new strings, the caller frees) and
 * returns true when every bound holds. Every gap, from since_ms to the first arrival and
 * between arrivals, must lie in [pmin - tolerance, pmax + tolerance]; when a pmax is
 * given, the time from the last arrival (or since_ms) to the window's end must not exceed
 * pmax + tolerance either (a notification that never came is too late). */
bool obs_judge_timing(const obs_notes *n, const obs_timing *t, char **expected, char **observed);

#endif
