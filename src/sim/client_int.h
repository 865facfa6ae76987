/* Internal to the simulated device's network side (client.c, messages.c): the per-server
 * state machine's record, the client itself, and the requests the device sends. Not for
 * the rest of the simulator: ops, bootstrap and store know nothing of sessions. */
#ifndef LC_SIM_CLIENT_INT_H
#define LC_SIM_CLIENT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <coap3/coap.h>

#include "common/log.h"
#include "lwm2m/config.h"
#include "sim/device.h"
#include "sim/fw.h"
#include "sim/observe.h"
#include "sim/send.h"
#include "sim/reboot.h"
#include "sim/store.h"
#include "sim/client.h"

#define REQUEST_TIMEOUT_MS 30000u  /* Register/Update/Bootstrap-Request answer deadline */
/* Registers failed in a row with every server account before the device falls back to
 * its bootstrap account (LwM2M 1.1 §6.2.1.1, Bootstrap on Registration Failure /1/x/16 true) */
#define REGISTER_FALLBACK_AFTER 3u
/* ... and no sooner than this after the first of them failed: a server restarting (a tool
 * run restarting) is waited for, not bootstrapped around */
#define REGISTER_FALLBACK_MIN_MS 20000u
#define MAX_QUERIES 16
#define MAX_IDS 256

typedef enum {
    SRV_IDLE,          /* waiting for next_attempt to (re)register */
    SRV_REGISTERING,   /* Register (or Bootstrap-Request) sent */
    SRV_REGISTERED,    /* registered (bootstrap: waiting for Bootstrap-Finish) */
    SRV_UPDATING,      /* Update sent */
    SRV_DEREGISTERING, /* De-register sent */
    SRV_DISABLED,      /* Disable executed: silent until disable_until */
    SRV_DONE,          /* de-registered or given up for good */
} srv_state;

typedef struct sim_server {
    int ssid; /* 0 for the bootstrap server */
    bool is_bootstrap;
    char uri[256];
    uint8_t identity[CONFIG_PSK_MAX];
    size_t identity_len;
    uint8_t key[CONFIG_PSK_MAX];
    size_t key_len;
    coap_session_t *session;
    bool reset_session; /* the session failed: release it from the loop, not a callback */
    srv_state state;
    uint8_t token[8];
    size_t token_len;
    uint64_t deadline;     /* of the request in flight, or of the bootstrap phase */
    uint64_t next_attempt; /* SRV_IDLE */
    uint64_t next_update;  /* SRV_REGISTERED */
    uint64_t disable_until;
    int64_t disable_after_s; /* >= 0: go to SRV_DISABLED for this long once de-registered */
    unsigned backoff_ms;
    char location[128]; /* "rd/5a3f" */
    bool update_pending, update_params, update_links;
    int64_t lifetime;
    char name[32]; /* "server 1", "bootstrap server" */
    int reg_minor;     /* the LwM2M minor version its last Register announced */
    bool bspack_sent;  /* LwM2M 1.2: the Bootstrap-Pack-Request in flight is GET /bspack */
    bool bspack_tried; /* it was answered: the next Bootstrap-Request is POST /bs */
    unsigned reg_failures; /* Registers failed in a row (LwM2M 1.1 §6.2.1.1 fallback) */
    uint64_t first_failure; /* when the first of them failed */
    uint64_t awake_until;   /* queue mode (--queue): answers requests until then only */
    int server_inst;        /* its Server instance /1/x (-1: none) */
    bool retries_spent;     /* --registration-retry: every sequence failed (sim/regretry.h) */
} sim_server;

typedef struct sim_delayed {
    uint64_t due;
    coap_session_t *session; /* referenced */
    coap_pdu_type_t type;
    uint8_t token[8];
    size_t token_len;
    int code, content_format;
    uint8_t *payload;
    size_t payload_len;
    char location[32];
    bool observe;
    uint32_t seq;
} sim_delayed;

typedef enum { PHASE_BOOTSTRAP, PHASE_REGISTER } sim_phase;

struct sim_client {
    sim_device *dev;
    logger *lg;
    char endpoint[256];
    bool bootstrap_mode;
    unsigned update_interval_s;
    bool registration_retry; /* follow /1/x/16-20 (sim/regretry.h), not the built-in fallback */
    uint64_t max_transmit_wait_ms; /* queue mode: asleep this long after its last message */
    coap_context_t *ctx;
    sim_phase phase;
    sim_server bs;
    sim_server servers[CONFIG_MAX_ACCOUNTS];
    size_t nservers;
    sim_store *factory; /* the accounts before any bootstrap (bootstrap-keep-old-account) */
    sim_observe_list obs;
    sim_delayed *delayed;
    size_t ndelayed, capdelayed;
    uint64_t reboot_at;
    uint64_t bs_trigger_at; /* Execute /1/x/9: bootstrap again at this time (0: no) */
    bool bs_finished;
    sim_send send;      /* when it sends (sim/send) */
    uint16_t local_port;
    unsigned bootstrap_holdoff_s;
    sim_reboot_mode reboot_mode;
    bool rebooted;          /* exit or reexec: leave the loop, the caller does the rest */
    bool factory_reset;     /* the pending reboot is a Factory Reset /3/0/5 */
    const char *state_file; /* borrowed; NULL: nothing persists */
    sim_fw *fw; /* the Firmware Update object, NULL without /5/0 (sim/fw.h) */
};

/* ---- the requests the device sends (messages.c) ---- */

/* Each sends one confirmable request on s's session, keeps its token in s and sets
 * s->deadline; false when it could not be built or sent. */
bool sim_msg_register(sim_client *cl, sim_server *s, uint64_t now);
/* An Update: lt= and b= when a server changed them (or the update-with-params fault), the
 * object links after a Create or Delete. Clears s's pending-update flags. */
bool sim_msg_update(sim_client *cl, sim_server *s, uint64_t now);
bool sim_msg_deregister(sim_client *cl, sim_server *s, uint64_t now);
/* POST /bs?ep=…; an LwM2M 1.2 device first tries GET /bspack (once per bootstrap). */
bool sim_msg_bootstrap_request(sim_client *cl, sim_server *s, uint64_t now);
/* When the next periodic Update is due: at 90% of the lifetime or every
 * --update-interval, never under the stop-updates fault. */
void sim_msg_schedule_update(sim_client *cl, sim_server *s, uint64_t now);

/* Options on a PDU: a path's segments ("rd/5a3f") as repeated opt; an unsigned value. */
void sim_msg_add_path(coap_pdu_t *pdu, uint16_t opt, const char *path);
void sim_msg_add_uint(coap_pdu_t *pdu, uint16_t opt, unsigned v);

/* sim/send.c: a Send (POST /dp) to s when it is a registered server, with a token of its
 * own (the request slot for Register and Update is left alone; the 2.04 is not awaited). */
void sim_send_dp(sim_client *cl, sim_server *s);

#endif
