/* The "firmware" check's pieces (run/match.c judges with them): what a firmware-wait step
 * polled, as text, and the first State or Update Result outside the allowed sets. */
#ifndef LC_RUN_MATCH_FIRMWARE_H
#define LC_RUN_MATCH_FIRMWARE_H

#include <stdbool.h>

#include "common/strbuf.h"
#include "dut/outcome.h"
#include "lwm2m/content/value.h"
#include "tc/model.h"

/* "State in {1, 2}, Update Result in {0} at every poll" */
void match_firmware_describe(const tc_check *chk, strbuf *b);
/* "State/Result 0/0 at 0.0 s, 1/0 at 0.5 s, 2/0 at 1.5 s (7 polls)" */
void match_firmware_polls(const step_outcome *o, strbuf *b);
/* NULL when every poll is allowed; else why (in buf). */
const char *match_firmware_first_bad(const tc_check *chk, const step_outcome *o, char *buf,
                                     size_t cap);
/* The Firmware Version /3/0/3 in o's response (a Read of /3/0/3, /3/0 or /3) as text.
 * Returns 0, or -1 when o has none. */
int match_firmware_version_of(const step_outcome *o, char *buf, size_t cap);
/* State /5/0/3 and Update Result /5/0/5 in o's response (a Read of /5/0 or /5). Returns
 * 0, or -1 when o has not both. */
int match_firmware_state_of(const step_outcome *o, int *state, int *result);
/* The State /5/0/3 in a notification m of an observation of path (/5/0/3, /5/0 or /5).
 * Returns 0, or -1 when m carries none. */
int match_firmware_notified_state(const char *path, const net_message *m, int *state);
/* "taken": "or-refused" (int-773/776/777 B): o, the delivery, was answered 2.04, or a pushed
 * block was refused (4.00, 4.13, 4.15, 5.00) and the case's next wait ended with an Update
 * Result other than 0 (all, n: the case's outcomes). Fills want and seen. */
bool match_firmware_taken(const step_outcome *o, const step_outcome *all, size_t n, strbuf *want,
                          strbuf *seen);
/* "ranges": every State, Update Result, Protocol Support and Delivery Method value in o's
 * response lies in its LwM2M 1.0/1.1 §E.6 range. Fills want and seen. */
bool match_firmware_ranges(const step_outcome *o, strbuf *want, strbuf *seen);
/* Decodes o's response (a Read below /5 or /3) by its Content-Format, else by what its
 * payload looks like, into recs (records_init'ed; the caller frees them). Returns 0 or
 * negative (an unparsable request path, an undecodable payload). */
int match_firmware_decode(const step_outcome *o, lwm2m_records *recs);
/* The State (3) and Update Result (5) names of LwM2M 1.0 §E.6, "?" when out of range. */
const char *match_firmware_state_name(int state);
const char *match_firmware_result_name(int result);

#endif
