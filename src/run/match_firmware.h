/* The "firmware" check's pieces (run/match.c judges with them): what a firmware-wait step
 * polled, as text, and the first State or Update Result outside the allowed sets. */
#ifndef LC_RUN_MATCH_FIRMWARE_H
#define LC_RUN_MATCH_FIRMWARE_H

#include "common/strbuf.h"
#include "dut/outcome.h"
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
/* The State (3) and Update Result (5) names of LwM2M 1.0 §E.6, "?" when out of range. */
const char *match_firmware_state_name(int state);
const char *match_firmware_result_name(int result);

#endif
