/* The bootstrap server role (LwM2M 1.0 §5.2, ETS int-0xx): accepts Bootstrap-Request on
 * the bootstrap endpoint and provisions the device from the configuration — Delete, Write
 * of the Security, Server and Access Control instances (PSK keys included, never traced),
 * Finish — each checked. Individual bootstrap operations are also available as test
 * steps.
 *
 * What gets written: every Security instance of a server account (the bootstrap account's
 * own instance is the device's and is left alone), every Server instance and every Access
 * Control instance of the configuration, one Bootstrap-Write (PUT /<obj>/<inst>) each, in
 * that order. The configuration's instance ids are the test's, not the device's: before
 * the first write or delete of an instance in a session the tool learns where the device
 * keeps its bootstrap account (bs/account.h) and places the configuration around it
 * (bs/provision.h provision_map, into d->instances); a step's path names the
 * configuration's instance and goes to where it was placed. Nothing is ever written to or
 * deleted from the device's bootstrap account instance (such a step is an ERROR). A server account's /0/x/0 becomes the URI of the tool's own endpoint for it
 * (at --advertise HOST, with the real port), /0/x/3 and /0/x/5 its PSK identity and key
 * (which --psk-file or the environment may have replaced). */
#ifndef LC_BS_BOOTSTRAP_H
#define LC_BS_BOOTSTRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lwm2m/config.h"
#include "lwm2m/content/value.h"
#include "lwm2m/path.h"
#include "dut/dut.h"
#include "dut/outcome.h"
#include "tc/model.h"

typedef struct bootstrap_server bootstrap_server;

typedef struct bootstrap_options {
    /* The host the device must use to reach the tool's server endpoints (written into
     * /0/x/0). NULL: the address the endpoints are bound to. */
    const char *advertise_host;
    /* Content-Format of Bootstrap-Write payloads; -1: by bootstrap_write_format's rule. A
     * step's own content_format wins over both. */
    int content_format;
    /* Where the device keeps its own bootstrap account (--bootstrap-account-iid) when
     * account_iid_given; else, in each bootstrap session before its first write, the tool
     * asks the device (Bootstrap-Discover /0, see bs/account.h) and assumes the
     * configuration's instance when the device does not say. */
    bool account_iid_given;
    int account_iid;
    /* The device's LwM2M version as the run holds it (--lwm2m), for that rule when the
     * device sends no pct; NULL: as it last registered, else unknown (TLV). */
    const char *lwm2m_version;
} bootstrap_options;

/* Routes "bs" requests of d's bootstrap endpoint (dut_open with bootstrap = true) to a new
 * bootstrap server. Returns NULL with err set (LC_EINVAL: the configuration has no
 * bootstrap account). d must outlive it; bootstrap_free releases it. */
bootstrap_server *bootstrap_new(dut *d, const bootstrap_options *opt, lc_error *err);
void bootstrap_free(bootstrap_server *bs);

/* Executes one bootstrap step (expect-bootstrap-request, bootstrap-delete, -write,
 * -discover, -read, -finish, -provision) before deadline and fills o. A bootstrap-write
 * without a path writes every instance of the configuration (stopping at the first answer
 * that is not 2.04; o then holds that answer, else the last 2.04). not_before (mono_ms; 0
 * none): an expect step takes only a request that arrived then or later (after_step); an
 * older one stays queued. */
void bootstrap_execute_step(bootstrap_server *bs, const tc_step *step, uint64_t deadline,
                            uint64_t not_before, step_outcome *o);

/* Forgets the device: its bootstrap session, endpoint name and pct, and everything the
 * tool wrote. Called when the device is reset to its factory state. */
void bootstrap_forget_device(bootstrap_server *bs);

/* Whether the Bootstrap-Pack-Requests that come are answered with the pack (a case that
 * waits for one, ETS int-12, arms it before the device is reset for it) or with 4.04, which
 * sends an LwM2M 1.2 device to the Bootstrap-Request every other bootstrap case needs. */
void bootstrap_arm_pack(bootstrap_server *bs, bool armed);
/* The run changed the device's configuration (d->cfg: the next case's own): what a
 * provisioning writes follows it, and the device holds none of it yet. Returns 0, or
 * LC_EINVAL when the configuration has more instances than can be provisioned. */
int bootstrap_use_config(bootstrap_server *bs, lc_error *err);

/* True when, as far as the tool knows, the device holds the whole configuration and left
 * bootstrap: every instance of provision_list was written with 2.04 after the
 * last Bootstrap-Delete that covered it, and a Bootstrap-Finish followed that the device
 * did not refuse (2.04, or no answer at all: a device may register anyway). */
bool bootstrap_device_provisioned(const bootstrap_server *bs);

/* Bootstraps the device outside any test case (run --bootstrap before cases that need a
 * provisioned device): waits up to timeout_ms for its Bootstrap-Request, then sends
 * Bootstrap-Delete /, a Bootstrap-Write per instance and Bootstrap-Finish, each within
 * timeout_ms. Returns 0 when the Finish was answered 2.04, with what was done in
 * summary; LC_EINTR when the run was interrupted; else LC_EIO with err saying which
 * operation failed and how ("Bootstrap-Write /0/0 answered 4.00 Bad Request (after:
 * Bootstrap-Delete / 2.02)"). The exchange appears in the message trace. */
int bootstrap_provision_device(bootstrap_server *bs, uint64_t timeout_ms, char *summary,
                               size_t cap, lc_error *err);
/* The same, waiting up to request_timeout_ms for the Bootstrap-Request (a device that was
 * just started or reset may hold off before it bootstraps) and timeout_ms for each
 * operation. */
int bootstrap_provision_device_within(bootstrap_server *bs, uint64_t request_timeout_ms,
                                      uint64_t timeout_ms, char *summary, size_t cap,
                                      lc_error *err);

/* ---- bootstraps no case asked for ------------------------------------------------------- */

/* A device bootstraps again by itself: after a Reboot or a Factory Reset without persistent
 * state, after a crash, or when its registration failed. The bootstrap endpoint answers
 * every Bootstrap-Request with 2.04 at any time of the run; these functions provision the
 * device that sent it, with the current configuration, when no case is playing the
 * bootstrap server itself (the runner calls them from its waits for a registration). */

#define BOOTSTRAP_MAX_UNPLANNED 16

typedef struct bootstrap_unplanned {
    char during[64];   /* "int-241 step 2", "before int-652" */
    uint64_t at;       /* mono_ms */
    bool ok;           /* the provisioning's Bootstrap-Finish was answered 2.04 */
    char detail[400];  /* what was done, or why it failed */
} bootstrap_unplanned;

/* True when a Bootstrap-Request (or a malformed one) is queued, taken by nobody yet. */
bool bootstrap_request_pending(const bootstrap_server *bs);
/* When a Bootstrap-Request is queued, provisions the device for it (as
 * bootstrap_provision_device, each operation within timeout_ms) and records it for the
 * report, with `during` saying when ("int-241 step 2"). Returns 1 when the device was
 * provisioned, 0 when no request was queued, LC_EINTR, or another negative code with
 * err saying which operation failed. */
int bootstrap_serve_unplanned(bootstrap_server *bs, const char *during, uint64_t timeout_ms,
                              lc_error *err);
/* How many there were; the i-th of the first BOOTSTRAP_MAX_UNPLANNED, else NULL. */
size_t bootstrap_unplanned_count(const bootstrap_server *bs);
const bootstrap_unplanned *bootstrap_unplanned_at(const bootstrap_server *bs, size_t i);

/* For the report: where the device keeps its bootstrap account and where the configuration's
 * instances went, when any is not at its own id ("the device keeps its bootstrap account in
 * Security instance /0/0 (Bootstrap-Discover /0); the tool placed …: /0/0 -> /0/1, …").
 * Returns the length (snprintf semantics); 0 and "" when nothing moved. */
int bootstrap_placement_text(const bootstrap_server *bs, char *buf, size_t cap);

/* ---- the pure parts, for tests ---------------------------------------------------------- */

/* The Content-Format of Bootstrap-Writes (docs/content-formats.md repeats the rule):
 *   - configured when >= 0 (a step's content_format, else bootstrap_options');
 *   - else pct, when the device sent one and the tool can write that format;
 *   - else, with no pct (or one the tool cannot write, *fell_back then set so the caller
 *     can warn): TLV for an LwM2M 1.0 device or one of unknown version (version NULL: no
 *     Register seen, no --lwm2m, and no Bootstrap-Pack-Request, which makes it 1.2); for
 *     1.1 and later SenML CBOR when the tool writes it, else SenML JSON. TLV stays the
 *     unknown version's format: every 1.0 Client has it, and a 1.1+ Client that needs
 *     another says so with its Bootstrap-Request's pct (LwM2M 1.1).
 * fell_back may be NULL. */
int bootstrap_write_format(int configured, int pct, const char *version, bool *fell_back);
/* True when the tool can write instances in cf (an encoder for several resources). */
bool bootstrap_can_write(int cf);

/* The Bootstrap-Discover examples of LwM2M 1.0 (which ETS int-0 quotes) and 1.1 (2018; ETS
 * INT 1.2 int-0/int-1 quote lwm2m="1.1",</0/0>…) start the payload with a bare lwm2m
 * parameter, for which RFC 6690 has no place; LwM2M 1.1.1 puts it on the link </> (as
 * Anjay does for 1.1+). When *payload starts with lwm2m="X.Y" or lwm2m=X.Y followed by ','
 * or its end, this prefixes "</>;" (reallocating *payload) and returns true; anything else
 * is left to the link format check. */
bool bootstrap_normalize_discover(uint8_t **payload, size_t *len);

#endif
