/* The simulated device's Send (LwM2M 1.1 §6.4.4, "Information Reporting: Send"): when it
 * sends and what. A LwM2M 1.1+ device sends the values of its Send paths (by default
 * /1/x/1 Lifetime of the server it sends to and /3/0/11/0 Error Code, what ETS int-311
 * expects) to every server it is registered with, as POST /dp in SenML CBOR:
 *   - every --send-period seconds (0, the default: never on its own), and
 *   - at once when poked (SIGUSR1 to the process: the stimulus a test gives a device, as
 *     Anjay's demo takes a "send" command on its stdin);
 *   - never to a server whose Server object says Mute Send (/1/x/23 = true).
 * Faults: no-send, send-while-muted, send-wrong-format (TLV). sim_send_dp puts it on the
 * wire for the client. */
#ifndef LC_SIM_SEND_H
#define LC_SIM_SEND_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/device.h"

typedef struct sim_send {
    unsigned period_ms;             /* 0: only when poked */
    uint64_t next_ms;               /* when the periodic Send is due; 0 before the first */
    volatile sig_atomic_t *poke;    /* set by the SIGUSR1 handler; borrowed, may be NULL */
} sim_send;

/* True when a Send is due at now (the period passed or a poke came; the poke is
 * consumed); *next is lowered to the next due time. */
bool sim_send_due(sim_send *s, const sim_device *d, uint64_t now, uint64_t *next);

/* The payload of a Send to server ssid. Returns 0 with *out (caller frees), *len and *cf;
 * 1 when the server muted Send (nothing to send; why says so); a negative code on error. */
int sim_send_payload(sim_device *d, int ssid, uint8_t **out, size_t *len, int *cf, char *why,
                     size_t cap);

/* sim_send_dp, which puts a Send on the wire, is declared with the client's internals
 * (sim/client_int.h). */

#endif
