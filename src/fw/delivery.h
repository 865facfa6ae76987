/* What a run has for firmware update cases (ETS 6.1.6.6): the packages (--firmware and
 * the error packages, given or made by the tool), the version the device should report
 * after the update, the per-phase deadlines and the package server. One per run, owned by
 * the command that opened it; the steps borrow it (run/step_firmware.c). */
#ifndef LC_FW_DELIVERY_H
#define LC_FW_DELIVERY_H

#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"
#include "fw/package.h"
#include "fw/serve.h"
#include "net/endpoint.h"

#define FW_DEFAULT_PHASE_TIMEOUT_MS (5u * 60u * 1000u)
#define FW_DEFAULT_POLL_MS 500u

typedef struct fw_options {
    const char *firmware;        /* --firmware FILE: installs on the device */
    const char *version;         /* --firmware-version V: /3/0/3 after the update */
    const char *corrupt;         /* --firmware-corrupt FILE (else a corrupted copy) */
    const char *unsupported;     /* --firmware-unsupported FILE */
    const char *install_failure; /* --firmware-install-fail FILE */
    /* The device's storage for a package, bytes (--firmware-storage, or the device
     * description's); the oversized package is this plus 4 KiB. 0: unknown. */
    uint64_t storage_bytes;
    uint64_t phase_timeout_ms;   /* --update-timeout: download, verify, update each */
    uint64_t poll_ms;            /* --firmware-poll: State/Update Result polling period */
    const char *protocol;        /* --firmware-protocol coap|coaps|http: the pull's; NULL:
                                    the first the device declares of HTTP, CoAPS, CoAP */
    const char *method;          /* --firmware-method push|pull: the only Delivery Method
                                    the cases use; NULL: what /5/0/9 declares */
    const char *bind_addr;       /* where the package servers listen */
    const char *host;            /* the host in the URIs (--advertise); NULL: bind_addr */
} fw_options;

typedef struct fw_delivery fw_delivery;

/* Opens the packages and starts the package servers on n. With no --firmware, returns a
 * delivery without packages (cases that need one are SKIPPED, saying so). Returns NULL
 * with err set (a file that cannot be read, a port). */
fw_delivery *fw_delivery_new(net_ctx *n, const fw_options *opt, lc_error *err);
void fw_delivery_free(fw_delivery *f);

const fw_options *fw_delivery_options(const fw_delivery *f);
/* The package of that kind, or NULL with why filled ("needs --firmware-unsupported FILE: a
 * package type the device does not support"). */
const fw_package *fw_delivery_package(const fw_delivery *f, fw_package_kind kind, char *why,
                                      size_t cap);
fw_server *fw_delivery_server(fw_delivery *f);

#endif
