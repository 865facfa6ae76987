/* The simulated device's Firmware Update object (/5/0, LwM2M 1.0 §E.6): the State machine
 * Idle (0) -> Downloading (1) -> Downloaded (2) -> Updating (3) with every Update Result,
 * push (a Block1 Write of Package /5/0/0, RFC 7959) and pull (a Package URI /5/0/1 over
 * coap, coaps or http: sim/fwdl.h). Packages are the format of sim/fwpkg.h, checked as they
 * arrive. After a successful Update it reports the package's version in /3/0/3 and
 * "reboots" (the client re-registers). Its faults (fw-*) are in sim/faults.h.
 *
 * State, Update Result, Package Name and Version live in the device's store, so Reads,
 * Discover and Observe of /5/0 are the ordinary operations'. */
#ifndef LC_SIM_FW_H
#define LC_SIM_FW_H

#include <stdbool.h>
#include <stdint.h>

#include <coap3/coap.h>

#include "common/log.h"
#include "sim/device.h"

#define SIM_FW_DEFAULT_STORAGE (2u * 1024u * 1024u)

typedef struct sim_fw_options {
    uint64_t storage;    /* bytes a package may have (--fw-storage; default 2 MiB) */
    unsigned block_size; /* the largest Block1/Block2 it takes and asks for (--fw-block-size;
                            16..1024, default 1024) */
    uint64_t delay_ms;   /* how long a download, a check and an update take at least
                            (--fw-delay; default 600) */
    uint64_t stall_ms;   /* a download without data this long has lost its connection
                            (default 5000) */
} sim_fw_options;

typedef struct sim_fw sim_fw;

/* NULL when the device has no /5/0 (nothing to do). ctx is the client's libcoap context
 * (pull downloads open their sessions on it). */
sim_fw *sim_fw_new(sim_device *dev, coap_context_t *ctx, const sim_fw_options *opt, logger *lg);
void sim_fw_free(sim_fw *fw);

/* Answers the requests the object handles itself: a Write of /5/0/0 (Block1) or /5/0/1,
 * Execute of /5/0/2. True when it did (response filled), false for the ordinary handler. */
bool sim_fw_handle(sim_fw *fw, const coap_pdu_t *request, coap_pdu_t *response);
/* Advances timers and downloads; returns when it next needs a call (mono_ms). */
uint64_t sim_fw_tick(sim_fw *fw, uint64_t now);
/* The client's response and NACK handlers offer every event here first. */
bool sim_fw_on_response(sim_fw *fw, coap_session_t *s, const coap_pdu_t *received);
bool sim_fw_on_nack(sim_fw *fw, coap_session_t *s);
/* True once after State or Update Result changed (observers of /5/0 are due). */
bool sim_fw_take_changed(sim_fw *fw);
/* The device rebooted: a transfer is over; after an update the new firmware runs (its
 * version in /3/0/3, Idle with Update Result 1). */
void sim_fw_rebooted(sim_fw *fw);
/* True once after a successful update: the device reboots into the new firmware. */
bool sim_fw_take_reboot(sim_fw *fw);

#endif
