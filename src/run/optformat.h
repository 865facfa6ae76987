/* Formats a device may lack: a case that asks for a content format (a step's own "accept") or
 * sends one (its own "content_format"; never a format the tool picked, such as the one the
 * device asked for with pct) which the device's LwM2M version does not make mandatory,
 * answered 4.06 Not Acceptable or 4.15 Unsupported Content-Format, was not failed by a
 * misbehaving device: the device does not support an optional format, and the ETS makes
 * that support a precondition ("the Client supports the JSON format"). The runner then
 * reports the case SKIPPED with this module's reason instead of FAIL.
 *
 * Mandatory by version (LwM2M Core): Plain Text, Opaque and CoRE Link in every version,
 * TLV in 1.0 only (1.1 lets a client choose SenML instead); every other format (OMA JSON,
 * CBOR, SenML JSON, SenML CBOR, LwM2M CBOR) is optional. So a 1.1 device is not failed on
 * TLV or OMA JSON, a 1.0 device not on OMA JSON; a 1.0 device answering 4.06 to TLV still
 * fails. */
#ifndef LC_RUN_OPTFORMAT_H
#define LC_RUN_OPTFORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "dut/outcome.h"
#include "report/result.h"
#include "tc/model.h"

/* True when content format cf is optional for a device of LwM2M version (NULL: 1.0). */
bool optformat_optional(int cf, const char *version);

/* For a case that FAILed (cr judged, outcomes its steps' in order): true, with why (cap
 * bytes), when the earliest step a failed criterion judges was answered 4.06 to an optional
 * format it asked for, or 4.15 to an optional format it sent: what fails after that step
 * follows from it. version is the device's LwM2M version as it registered (NULL: 1.0). */
bool optformat_excuse(const tc_case *c, const step_outcome *outcomes, const case_result *cr,
                      const char *version, char *why, size_t cap);

#endif
