/* The composite operations of LwM2M 1.1 (core §5.4.4 Read-Composite, §5.4.6
 * Write-Composite, §5.5.1 Observe-Composite and its cancel), on the wire as RFC 8132
 * FETCH and iPATCH on the root path:
 *   read-composite            FETCH /, body: the step's "paths" as a SenML pack of names
 *   observe-composite         the same with Observe 0: the observation is named by the
 *                             paths (steps_observation_key), for expect-notification
 *   cancel-observe-composite  the same with Observe 1 and the observation's token
 *   write-composite           iPATCH /, body: the step's "values" as SenML records
 * The request body is the step's "content_format" (SenML CBOR 112 by default: the format
 * LwM2M 1.1 clients implement for composites; SenML JSON 110 on request); a read's
 * Accept is the step's "accept", else the body's format. The response is judged like any
 * read: a values check on each path, within_paths for "nothing else". */
#ifndef LC_RUN_STEP_COMPOSITE_H
#define LC_RUN_STEP_COMPOSITE_H

#include "run/steps.h"

void step_composite_request(step_context *sc, step_outcome *o);

#endif
