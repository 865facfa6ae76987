/* The bootstrap server role (LwM2M 1.0 §5.2, ETS int-0xx): accepts Bootstrap-Request on
 * the bootstrap endpoint and provisions the device from the configuration — Delete, Write
 * of the Security, Server and Access Control instances (PSK keys included, never traced),
 * Finish — each checked. Individual bootstrap operations are also available as test
 * steps. */
#ifndef LC_BS_BOOTSTRAP_H
#define LC_BS_BOOTSTRAP_H

#include <stdint.h>

#include "run/dut.h"
#include "run/outcome.h"
#include "tc/model.h"

typedef struct bootstrap_server bootstrap_server;

typedef struct bootstrap_options {
    /* The host the device must use to reach the tool's server endpoints (written into
     * /0/x/0). NULL: the address the endpoints are bound to. */
    const char *advertise_host;
    /* Content-Format of Bootstrap-Write payloads; -1: TLV for LwM2M 1.0 clients, the
     * format a 1.1 client asked for with pct when the tool can write it, else TLV. */
    int content_format;
} bootstrap_options;

/* Routes "bs" requests of d's bootstrap endpoint (dut_open with bootstrap = true) to a new
 * bootstrap server. Returns NULL with err set. d must outlive it. */
bootstrap_server *bootstrap_new(dut *d, const bootstrap_options *opt, lc_error *err);
void bootstrap_free(bootstrap_server *bs);

/* Executes one bootstrap step (expect-bootstrap-request, bootstrap-delete, -write,
 * -discover, -read, -finish, -provision) before deadline and fills o. */
void bootstrap_execute_step(bootstrap_server *bs, const tc_step *step, uint64_t deadline,
                            step_outcome *o);

#endif
