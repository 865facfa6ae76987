/* The Bootstrap-Pack (LwM2M 1.2 §6.1.3, ETS INT 1.2 int-12): the whole configuration the
 * bootstrap server provisions, as one payload, for a client's Bootstrap-Pack-Request
 * (GET /bspack?ep=…). The same instances and values as provisioning's Bootstrap-Writes
 * (bs/provision.h): the Security instances of the server accounts (the tool's own server
 * URIs, PSK identities and keys), every Server and Access Control instance, placed around
 * the device's bootstrap account, which the pack never holds. Pure: no network. */
#ifndef LC_BS_BSPACK_H
#define LC_BS_BSPACK_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "dut/dut.h"
#include "net/endpoint.h"

/* The pack's format for a request with Accept accept (-1: none): SenML CBOR (112) when
 * the request names none, else accept itself when it is SenML CBOR, SenML JSON (110) or
 * LwM2M CBOR (11544), the formats that carry several objects; -1 when the tool cannot
 * answer in it (then 4.06 Not Acceptable). */
int bspack_format(int accept);

/* Builds the pack of d's configuration in format cf (bspack_format's), with the
 * configuration's instances placed as d->instances says (the caller has placed them
 * around the device's bootstrap account) and each server account's URI pointing at the
 * tool's endpoint for it (advertise_host as bootstrap_options says). *out is malloc'ed
 * (the caller frees it, after wiping: it holds PSK keys). Returns 0, or LC_EINVAL /
 * LC_ENOMEM with err. */
int bspack_build(dut *d, const char *advertise_host, int cf, uint8_t **out, size_t *len,
                 lc_error *err);

/* Answers a Bootstrap-Pack-Request m (ep: its endpoint name, NULL when it has none) in
 * reply: 2.05 with the pack (reply->data, confidential) in the format the request accepts;
 * 4.00 without ep (the caller passes the PSK identity as ep when the request has none: LwM2M
 * 1.1 §7.3.1; NULL only over NoSec); 4.06 for an Accept no pack can be written in; 4.04 when bs_iid, the
 * device's bootstrap account instance, is not known (-1): a pack written without it could
 * overwrite that account. why (cap bytes) says what was answered and why, for the step. */
void bspack_reply(dut *d, const char *advertise_host, int bs_iid, const net_message *m,
                  const char *ep, net_reply *reply, char *why, size_t cap);

/* The expect-bootstrap-pack-request step: waits until deadline for a Bootstrap-Pack-Request
 * the bootstrap server answered while armed (bootstrap_arm_pack), and fills o: the
 * device's request, and as the response the tool's answer (its code and format; the pack's
 * bytes withheld). The tool's own refusal to write a pack (the bootstrap account's place
 * unknown, a pack it could not build) is a tool ERROR, not the device's fault. A
 * Bootstrap-Request that comes first (a 1.2 Client need not use Bootstrap-Pack) makes the
 * step NOT_APPLICABLE and stays queued for the next provisioning. */
#include "dut/outcome.h"
void bspack_expect(dut *d, uint64_t deadline, step_outcome *o);

#endif
