/* The simulated device's firmware download for a Package URI (/5/0/1): coap:// and
 * coaps:// with libcoap's client and Block2 requested block by block (RFC 7959), http://
 * with libcurl on a thread of its own so the device keeps answering its servers. The bytes
 * go straight into the package check (sim/fwpkg.h): nothing is held but the header. */
#ifndef LC_SIM_FWDL_H
#define LC_SIM_FWDL_H

#include <stdbool.h>
#include <stdint.h>

#include <coap3/coap.h>

#include "common/log.h"
#include "sim/fwpkg.h"
#include "sim/store.h"

typedef struct sim_fwdl sim_fwdl;

typedef struct sim_fwdl_options {
    unsigned block_szx;     /* the Block2 size it asks for (4..6) */
    uint64_t storage;       /* more bytes than this: Update Result 2 */
    bool check_storage;     /* false: the fw-no-storage-check fault */
    uint64_t stall_ms;      /* no data this long: the connection is lost (Update Result 4) */
} sim_fwdl_options;

/* Starts downloading uri. The credentials of a coaps:// URI are those of the Security
 * instance of st whose URI names the same host and port, else the first server account's.
 * Returns NULL with *result set to the Update Result when the download cannot start: 9
 * (a scheme it does not support), 7 (a URI it cannot use). */
sim_fwdl *sim_fwdl_start(coap_context_t *ctx, const sim_store *st, const char *uri,
                         const sim_fwdl_options *opt, logger *lg, int *result);
/* 0 while running; 1 when over, with *result 0 (whole: check it with sim_fwdl_check) or
 * the Update Result of the failure (2 storage, 4 connection lost, 7 invalid URI). */
int sim_fwdl_poll(sim_fwdl *d, uint64_t now, int *result);
/* The package check of a finished download. */
const sim_fwpkg_check *sim_fwdl_check(const sim_fwdl *d);
/* Bytes so far. */
uint64_t sim_fwdl_bytes(const sim_fwdl *d);
/* The client's response and NACK handlers hand every event here first: true when it was
 * the download's. */
bool sim_fwdl_on_response(sim_fwdl *d, coap_session_t *s, const coap_pdu_t *received);
bool sim_fwdl_on_nack(sim_fwdl *d, coap_session_t *s);
void sim_fwdl_free(sim_fwdl *d);

#endif
