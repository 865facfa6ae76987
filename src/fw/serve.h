/* Serving firmware packages for a device to pull (LwM2M 1.0 §E.6 Package URI /5/0/1):
 * at coap:// on a NoSec endpoint of its own, at coaps:// on a server account's DTLS
 * endpoint (the device uses that account's PSK), both with Block2 (RFC 7959) read from the
 * package file block by block, and at http:// through libmicrohttpd (fw/http.h).
 *
 * Each URI the tool hands out is a slot, /fw/<n>: a package and whether the tool cuts the
 * transfer halfway (ETS int-775: it stops answering, or closes the HTTP connection). A
 * slot counts what was served, for the report. */
#ifndef LC_FW_SERVE_H
#define LC_FW_SERVE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"
#include "fw/package.h"
#include "net/endpoint.h"

#define FW_SERVE_MAX_SLOTS 32
/* The Block2 size served when the device asks for none (its first GET without Block2). */
#define FW_SERVE_DEFAULT_SZX 5 /* 512 bytes */

typedef struct fw_server fw_server;

typedef struct fw_slot_stats {
    uint64_t bytes;      /* body bytes sent */
    unsigned requests;   /* GETs (CoAP blocks) or HTTP requests */
    unsigned block_size; /* the last Block2 size served (CoAP) */
    bool cut;            /* the transfer was cut */
    bool complete;       /* the last byte was sent */
    uint64_t first_ms, last_ms; /* mono_ms of the first and last request, 0 none */
} fw_slot_stats;

/* Routes "fw" requests of n to the slots, opens a NoSec CoAP endpoint on bind_addr (port
 * 0: any free one) and, when http is true, an HTTP server on bind_addr. host is the host
 * the URIs name (--advertise, else bind_addr). Returns NULL with err set. */
fw_server *fw_server_new(net_ctx *n, const char *bind_addr, const char *host, bool http,
                         lc_error *err);
void fw_server_free(fw_server *s);

/* A new slot serving pkg (borrowed); cut: stop once half of it was sent. scheme is
 * "coap", "coaps" or "http"; coaps_base is the DTLS endpoint's URI
 * ("coaps://192.0.2.1:5684") for "coaps". Writes the URI into buf. Returns the slot (>= 0)
 * or LC_EINVAL / LC_EUNSUPPORTED (no HTTP server) with err set. */
int fw_server_offer(fw_server *s, const fw_package *pkg, bool cut, const char *scheme,
                    const char *coaps_base, char *buf, size_t cap, lc_error *err);
/* What slot has served so far. */
fw_slot_stats fw_server_stats(fw_server *s, int slot);
/* The NoSec CoAP endpoint's and the HTTP server's ports (0: none). */
uint16_t fw_server_coap_port(const fw_server *s);
uint16_t fw_server_http_port(const fw_server *s);

#endif
