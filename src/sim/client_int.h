/* The simulated device's client internals, shared by the files that make up sim/client:
 * client.c (sessions, callbacks, serving requests, the loop) and uplink.c (the messages
 * the device sends: Register, Update, De-register, Bootstrap-Request and
 * Bootstrap-Pack-Request, and when the next Update is due). Not for other modules: they
 * use sim/client.h. */
#ifndef LC_SIM_CLIENT_INT_H
#define LC_SIM_CLIENT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <coap3/coap.h>

#include "sim/client.h"
#include "sim/device.h"
#include "sim/observe.h"
#include "sim/send.h"

#define REQUEST_TIMEOUT_MS 30000u  /* Register/Update/Bootstrap-Request answer deadline */
#define BOOTSTRAP_IDLE_MS 120000u  /* no Bootstrap-Finish this long after the last request */
#define BACKOFF_FIRST_MS 1000u
#define BACKOFF_MAX_MS 60000u
#define DEREGISTER_WAIT_MS 2000u
#define REBOOT_DELAY_MS 500u      /* lets the 2.04 to Execute /3/0/4 leave first */
#define LOOP_MAX_WAIT_MS 1000u    /* bounds the wait so a signal is seen promptly */
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
};

/* ---- uplink.c: the messages the device sends ---- */

/* Each builds the request on s's session, sends it (the answer is due by s->deadline) and
 * returns false when it could not be sent. */
bool uplink_send_register(sim_client *cl, sim_server *s, uint64_t now);
bool uplink_send_update(sim_client *cl, sim_server *s, uint64_t now);
bool uplink_send_deregister(sim_client *cl, sim_server *s, uint64_t now);
/* POST /bs, or GET /bspack first for an LwM2M 1.2 device that has not tried it yet. */
bool uplink_send_bootstrap_request(sim_client *cl, sim_server *s, uint64_t now);
/* When s's next Update is due: 90% of the lifetime (or --update-interval), never under
 * the stop-updates fault. */
void uplink_schedule_update(sim_client *cl, sim_server *s, uint64_t now);
/* Appends the path segments of path ("rd/5a3f") as options opt. */
void uplink_add_path_segments(coap_pdu_t *pdu, uint16_t opt, const char *path);
void uplink_add_uint_option(coap_pdu_t *pdu, uint16_t opt, unsigned v);

/* sim/send.c: a Send (POST /dp) to s when it is a registered server, with a token of its
 * own (the request slot for Register and Update is left alone; the 2.04 is not awaited). */
void sim_send_dp(sim_client *cl, sim_server *s);

#endif
