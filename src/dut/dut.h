/* The device under test: everything the tool holds for one device — its configuration,
 * the endpoints it talks to (one per server account, and the bootstrap server when asked),
 * the registry of its registrations. One dut per device; nothing is shared between duts,
 * so several devices can be tested by one process. */
#ifndef LC_DUT_H
#define LC_DUT_H

#include <stdbool.h>
#include <stdint.h>

#include "common/log.h"
#include "lwm2m/config.h"
#include "lwm2m/description.h"
#include "lwm2m/instmap.h"
#include "lwm2m/registry.h"
#include "net/endpoint.h"

#define DUT_MAX_PORT_OVERRIDES 8

#define DUT_MAX_QUEUE_SERVERS 8

typedef struct dut_port_override {
    int short_server_id; /* 0 = the bootstrap server */
    int port;            /* 0 = any free port */
} dut_port_override;

typedef struct dut_options {
    const char *bind_addr;  /* NULL: the address in each account's URI */
    dut_port_override ports[DUT_MAX_PORT_OVERRIDES];
    size_t port_count;
    bool bootstrap;         /* also open the bootstrap server endpoint */
    unsigned ack_timeout_ms;
    unsigned max_retransmit;
    const char *ciphersuites; /* the only DTLS suites accepted (normalized); NULL default */
} dut_options;

typedef struct dut {
    const config *cfg; /* borrowed */
    /* What the device is and has (borrowed; NULL: no description given): the device's
     * own values criteria compare with, the objects it has */
    const description *desc;
    logger *log;       /* borrowed */
    net_ctx *net;
    registry *reg;
    /* Where the configuration's instances are on the device (the bootstrap server learns
     * it before it writes; the identity until then). */
    instmap instances;
    /* mono_ms when the device's current life began: the tool started or reset it, it sent
     * a Bootstrap-Request, or it answered a Reboot or Factory Reset Execute (0: the run's
     * start). The device's own first messages (its Register) count from then. */
    uint64_t life_started_at;
    /* Queue mode (run/step_queue.c): when the tool last heard the device on server N
     * (queue_heard[N-1], mono_ms), kept across cases: a case that begins while the device
     * sleeps must not take it for awake, nor one it just answered for asleep. */
    uint64_t queue_heard[DUT_MAX_QUEUE_SERVERS];
} dut;

/* Opens one endpoint per server account (and the bootstrap account if opt->bootstrap),
 * with the account's URI scheme, address and port unless overridden. Registers every PSK
 * key with the logger as a secret. Returns 0, or LC_EBUSY/LC_EINVAL/LC_EIO with a message
 * naming the account. */
int dut_open(dut *d, const config *cfg, logger *log, const dut_options *opt, lc_error *err);
void dut_close(dut *d);

/* The URI a device should use to reach the endpoint of this account (ssid 0 = bootstrap),
 * with the real port; host is advertise_host, or the bound address. */
int dut_endpoint_uri(const dut *d, int short_server_id, const char *advertise_host, char *buf,
                     size_t cap);

/* Parses "SSID=PORT" or "bs=PORT" into opt. */
int dut_parse_port_override(dut_options *opt, const char *arg, lc_error *err);

#endif
