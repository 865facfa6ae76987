/* The simulated device on the network: libcoap 4.3.1 client sessions (DTLS-PSK with Mbed
 * TLS, or NoSec), one per LwM2M server account, the Registration interface (Register,
 * Update, De-register), the client side of the Bootstrap interface, server requests
 * dispatched to ops.c / bootstrap.c, and notifications.
 *
 * One event loop: coap_io_process() with a timeout computed from the next due event
 * (registration retry, Update, notification, delayed response); nothing sleeps. */
#ifndef LC_SIM_CLIENT_H
#define LC_SIM_CLIENT_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"
#include "common/log.h"
#include "sim/device.h"
#include "sim/reboot.h"
#include "sim/fw.h"

typedef struct sim_client_options {
    const char *endpoint;       /* Endpoint Client Name (copied) */
    bool bootstrap;             /* start with a Bootstrap-Request to the bootstrap account */
    unsigned update_interval_s; /* 0: send Update at 90% of the lifetime */
    unsigned max_transmit_wait_s; /* queue mode: asleep this long after its last message
                                     (0: 93 s, RFC 7252) */
    const char *ciphersuites;   /* the only DTLS suites offered (normalized); NULL default */
    unsigned send_period_s;     /* LwM2M 1.1+: a Send every so many seconds; 0 none */
    volatile sig_atomic_t *send_poke; /* set (SIGUSR1): Send now; borrowed, may be NULL */
    uint16_t local_port;        /* 0: an ephemeral port per session; else every session's
                                   socket is bound to this UDP port (shared, SO_REUSEADDR) */
    unsigned bootstrap_holdoff_s; /* wait this long before the first Bootstrap-Request */
    bool registration_retry;    /* retry and fall back as the Server object's /1/x/16-20 say
                                   (LwM2M 1.1 defaults where absent: 5 Registers, 60 s
                                   doubling, one sequence), not after 3 failures and 20 s */
    sim_reboot_mode reboot;     /* what Execute Reboot /3/0/4 does (sim/reboot.h) */
    const char *state_file;     /* NULL: nothing persists; else saved on every change while
                                   registering (sim/persist.h); borrowed */
    sim_fw_options fw;          /* the Firmware Update object's (sim/fw.h) */
} sim_client_options;

typedef struct sim_client sim_client;

/* dev and lg are borrowed and must outlive the client. Creates the libcoap context (the
 * caller has called coap_startup()). Returns 0, LC_ENOMEM or LC_EIO. */
int sim_client_new(sim_device *dev, const sim_client_options *opt, logger *lg,
                   sim_client **out, lc_error *err);
void sim_client_free(sim_client *cl);

/* Registers (or bootstraps first) and serves requests until *stop becomes non-zero, then
 * de-registers from every server, waiting at most 2 s for the answers. Returns 0 after a
 * clean shutdown, SIM_CLIENT_REBOOT when a Reboot (or Factory Reset) was executed and the
 * reboot mode is exit or reexec (nothing is sent: the caller frees the client and exits or
 * re-executes), LC_EINVAL when there is no account to contact, LC_EIO when no account can
 * be reached at all (an unresolvable host, no socket, the local port taken). */
#define SIM_CLIENT_REBOOT 1
int sim_client_run(sim_client *cl, volatile sig_atomic_t *stop, lc_error *err);

#endif
