/* Keeping the device under test fit for the next case. A case starts only from a device
 * known to be registered and reachable: after a case that may have left it otherwise (it
 * rebooted the device, or did not pass), the runner pings the device on every server the
 * next case talks to (a CoAP ping, RFC 7252 §4.3: an empty CON answered with RST), and
 * when it is gone restores it — starts its command again, lets the bootstrap server
 * provision it, waits for its registrations, each bounded — or, when it cannot, makes the
 * case INCONCLUSIVE with the reason. Silence that an earlier case caused is never a FAIL.
 *
 * While the runner waits for registrations here, a Bootstrap-Request the device sends
 * (it rebooted without its state) is provisioned by the bootstrap server
 * (bs/bootstrap.h bootstrap_serve_unplanned), and the report notes it. */
#ifndef LC_RUN_UPKEEP_H
#define LC_RUN_UPKEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bs/bootstrap.h"
#include "dut/dut.h"
#include "tc/model.h"

/* True when the case executes the Device object's Reboot or Factory Reset. */
bool upkeep_case_reboots(const tc_case *c);
/* True when the case waits for the device's own Register (one no step of it provokes). */
bool upkeep_expects_own_register(const tc_case *c);

/* Pings the device's active registration on every server the case talks to, each within
 * timeout_ms. Returns 0 when each answered (or the case talks to no server); LC_ENOTFOUND
 * when the device is not registered with server *ssid; LC_ETIMEDOUT when it did not
 * answer there; LC_EINTR; LC_EIO when the run's watch ended the wait. why says what
 * happened ("no answer to a CoAP ping on server 1 within 30.0 s"). */
int upkeep_probe(dut *d, const tc_case *c, uint64_t timeout_ms, int *ssid, char *why,
                 size_t cap);

/* Waits until deadline for the device to be registered with every server the case talks
 * to; with own_registers false, not for a case that waits for the device's own Register
 * (it does that itself). A Bootstrap-Request meanwhile is provisioned when bs is not NULL
 * (each operation within op_timeout_ms; `during` names the moment for the report).
 * Returns 0, LC_ETIMEDOUT with the server in *ssid, LC_EINTR, or LC_EIO. */
int upkeep_await_registered(dut *d, bootstrap_server *bs, const tc_case *c, bool own_registers,
                            uint64_t deadline, uint64_t op_timeout_ms, const char *during,
                            int *ssid);

#endif
