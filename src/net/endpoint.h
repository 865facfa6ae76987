/* The tool's CoAP/DTLS side: one net_ctx per device under test.
 *
 * A net_ctx owns one libcoap context with any number of endpoints (one per server account
 * of the configuration: server #1, server #2, the bootstrap server), each with its own
 * address, port and the one PSK identity/key it accepts. Every message in and out passes
 * through this module, which traces it (net_set_trace) before anything else sees it.
 *
 * Incoming requests are dispatched by their first path segment ("rd", "bs") to handlers
 * (the registry, the bootstrap server). Everything that happens — registrations, responses,
 * notifications, refused handshakes, protocol errors — becomes a net_event in one queue.
 * Whoever waits takes the event it wants (net_wait); the others stay queued, so an Update
 * that arrives in the middle of a Discover is kept for the step that expects it. */
#ifndef LC_NET_ENDPOINT_H
#define LC_NET_ENDPOINT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <coap3/coap.h>

#include "common/err.h"
#include "common/log.h"

#define NET_MAX_ENDPOINTS 8
#define NET_MAX_QUERIES 32
/* Limits that keep memory bounded whatever a peer sends (docs/reliability.md):
 * events queued that no wait has claimed (beyond it the oldest are dropped and counted,
 * never the newest of a kind nor one the wait under way matches); requests the tool has
 * sent and not seen answered (observations included); DTLS sessions; sessions idle. */
#define NET_MAX_QUEUED_EVENTS 256
#define NET_MAX_PENDING 64
#define NET_MAX_SESSIONS 64     /* unreferenced sessions per endpoint (see net_new) */
#define NET_MAX_HANDSHAKES 32   /* DTLS sessions before their first handshake reply */
#define NET_SESSION_IDLE_S 120

typedef struct net_ctx net_ctx;

typedef enum { NET_ROLE_SERVER, NET_ROLE_BOOTSTRAP } net_role;

typedef struct net_endpoint_config {
    const char *name;        /* "server 1", "bootstrap": used in events and traces */
    int short_server_id;     /* 0 for the bootstrap server */
    net_role role;
    bool secure;             /* coaps (DTLS-PSK) or coap (NoSec) */
    const char *bind_addr;   /* "127.0.0.1", "::", "0.0.0.0" */
    uint16_t port;           /* 0 = an ephemeral port (net_endpoint_port tells which) */
    const uint8_t *psk_identity; /* copied */
    size_t psk_identity_len;
    const uint8_t *psk_key;      /* copied; a secret: never logged */
    size_t psk_key_len;
} net_endpoint_config;

typedef struct net_options {
    logger *log;                 /* borrowed */
    unsigned ack_timeout_ms;     /* CoAP ACK_TIMEOUT for server-initiated CON; 0 = 2000 */
    unsigned max_retransmit;     /* CoAP MAX_RETRANSMIT; 0 = 4 (RFC 7252 default) */
    /* The only DTLS cipher suites the endpoints accept, ','-separated Mbed TLS names as
     * net_suites_normalize writes them (--ciphersuites); NULL = the library's default. A
     * handshake that fails on them says which suites the device offered. */
    const char *ciphersuites;
} net_options;

/* Creates the context. Returns NULL with err set. */
net_ctx *net_new(const net_options *opt, lc_error *err);
void net_free(net_ctx *n);

/* Binds an endpoint. Returns its index (>= 0) or LC_EBUSY ("port 5684 on 127.0.0.1 is
 * already in use"), LC_EINVAL, LC_EIO. */
int net_add_endpoint(net_ctx *n, const net_endpoint_config *cfg, lc_error *err);
size_t net_endpoint_count(const net_ctx *n);
uint16_t net_endpoint_port(const net_ctx *n, int endpoint);
const char *net_endpoint_name(const net_ctx *n, int endpoint);
int net_endpoint_ssid(const net_ctx *n, int endpoint);
net_role net_endpoint_role(const net_ctx *n, int endpoint);
/* The endpoint serving this Short Server ID (0 = bootstrap), or -1. */
int net_endpoint_by_ssid(const net_ctx *n, int short_server_id);

void net_set_retransmission(net_ctx *n, unsigned ack_timeout_ms, unsigned max_retransmit);
logger *net_logger(const net_ctx *n);

/* ---- messages ------------------------------------------------------------------- */

/* A CoAP message as the tool sees it, decoded for checks and reports. Owns its strings. */
typedef struct net_message {
    uint8_t type;        /* COAP_MESSAGE_CON, NON, ACK, RST */
    int code;            /* raw CoAP code: (class << 5) | detail; 0.01 GET … 2.05 = 0x45 */
    uint16_t mid;
    uint8_t token[8];
    size_t token_len;
    char path[256];      /* "/rd/3f2a", "/" when absent */
    char *queries[NET_MAX_QUERIES];
    size_t query_count;
    int content_format;  /* -1 when absent */
    int accept;          /* -1 when absent */
    int observe;         /* -1 when absent */
    char location[256];  /* Location-Path joined: "rd/3f2a" */
    uint8_t *payload;
    size_t payload_len;
    /* RFC 7959 (firmware delivery): the raw Block1/Block2 option values (NUM << 4 | M << 3
     * | SZX) when present, and Size1/Size2 (0 when absent) */
    bool has_block1, has_block2;
    uint32_t block1, block2;
    uint64_t size1, size2;
} net_message;

void net_message_clear(net_message *m);
/* "2.05" */
void net_code_format(int code, char *buf, size_t cap);
/* "2.05" -> 0x45; -1 on bad syntax */
int net_code_parse(const char *s);
/* "Content", "Changed", "GET" … */
const char *net_code_name(int code);
/* One line: "GET /3/0 Accept:40", "2.05 Content ct=40 94 bytes: </3/0>;pmin=2…". Payload
 * shown as text when printable, else as hex, cut at max_payload bytes. */
void net_message_summary(const net_message *m, bool is_request, size_t max_payload, char *buf,
                         size_t cap);
/* The same with lg's secrets redacted from the whole payload before it is cut, so no
 * part of a key can show; lg may be NULL. */
void net_message_summary_redacted(const net_message *m, bool is_request, size_t max_payload,
                                  const logger *lg, char *buf, size_t cap);

/* ---- events --------------------------------------------------------------------- */

typedef enum {
    NET_EV_REQUEST,            /* a request a handler accepted (Register, Update, …) */
    NET_EV_REGISTER,
    NET_EV_UPDATE,
    NET_EV_DEREGISTER,
    NET_EV_BOOTSTRAP_REQUEST,
    NET_EV_PROTOCOL_ERROR,     /* a malformed request from the device (answered 4.xx) */
    NET_EV_UNEXPECTED_REQUEST, /* a request nobody handles (answered 4.04) */
    NET_EV_RESPONSE,           /* the response to a request the tool sent */
    NET_EV_NOTIFICATION,       /* an Observe notification */
    NET_EV_NACK,               /* a request the tool sent got no answer (retransmissions exhausted) or a RST */
    NET_EV_HANDSHAKE_REFUSED,  /* a DTLS client offered a PSK identity this endpoint does not accept */
    NET_EV_HANDSHAKE_FAILED,   /* a DTLS handshake failed after the identity was accepted (wrong key?) */
    NET_EV_SESSION_CLOSED,     /* a DTLS association is gone: a new handshake from the same
                                  address and port replaced it (the device restarted) */
} net_event_kind;

const char *net_event_kind_name(net_event_kind k);

typedef struct net_event {
    net_event_kind kind;
    int endpoint;
    int short_server_id;     /* of the endpoint; 0 bootstrap */
    uint64_t at_ms;          /* mono_ms() when it happened */
    char peer[80];           /* "127.0.0.1:40123" */
    char psk_identity[160];  /* the identity the peer used (printable, or hex:…) */
    char cipher_suite[96];   /* negotiated DTLS suite, when known */
    uint64_t exchange_id;    /* RESPONSE, NOTIFICATION, NACK */
    uint64_t elapsed_ms;     /* RESPONSE/NACK: since the request was sent */
    char registration_id[24];/* REGISTER, UPDATE, DEREGISTER */
    char endpoint_name[256]; /* REGISTER, BOOTSTRAP_REQUEST: ep */
    char detail[512];        /* human-readable: why a request was refused, … */
    net_message msg;         /* the request (or the response) */
    coap_session_t *session; /* referenced while the event lives */
    struct net_event *next;
} net_event;

void net_event_free(net_event *ev);

/* Queues a copy-free event (takes ownership): handlers call this. Also calls the observer
 * and the tracer. */
void net_push_event(net_ctx *n, net_event *ev);
net_event *net_event_new(net_ctx *n, net_event_kind kind, int endpoint, coap_session_t *s);

typedef bool (*net_event_match)(const net_event *ev, void *arg);

/* Takes the first queued event that matches, else runs the I/O loop until one arrives or
 * the deadline (mono_ms) passes. Returns 0 with *out (caller frees), LC_ETIMEDOUT, or
 * LC_EINTR when net_interrupt() was called. */
int net_wait(net_ctx *n, net_event_match match, void *arg, uint64_t deadline, net_event **out);
/* The first queued event that matches, left in the queue; NULL when none does. */
const net_event *net_peek(const net_ctx *n, net_event_match match, void *arg);
/* Takes a queued event without waiting; NULL when none matches. */
net_event *net_take(net_ctx *n, net_event_match match, void *arg);
/* Puts an event taken by net_wait/net_take back at the head of the queue, to be taken
 * again (it is not observed or traced a second time). Takes ownership. */
void net_unget(net_ctx *n, net_event *ev);
/* Discards queued events that match (NULL = all). Returns how many. */
size_t net_drop(net_ctx *n, net_event_match match, void *arg);
/* How many events are queued; how many unclaimed events the queue limit dropped, of one
 * kind or (kind < 0) in all. */
size_t net_events_queued(const net_ctx *n);
size_t net_events_dropped(const net_ctx *n, int kind);
/* The queue limit (NET_MAX_QUEUED_EVENTS by default; at least 8). */
void net_set_queue_limit(net_ctx *n, size_t limit);

/* Runs the I/O loop once, waiting at most until deadline. */
int net_poll(net_ctx *n, uint64_t deadline);
/* Makes the current and every later net_wait return LC_EINTR (async-signal-unsafe: call
 * from the loop after a signal flag was seen). */
void net_interrupt(net_ctx *n);
bool net_interrupted(const net_ctx *n);
/* A flag a signal handler sets (SIGINT, SIGTERM): while it is nonzero every wait returns
 * LC_EINTR within 200 ms. Borrowed; may be NULL. */
void net_set_stop_flag(net_ctx *n, volatile sig_atomic_t *flag);

/* A check run at least every 200 ms while a wait is under way (run --sim: "is the
 * simulated device still alive?"). When it returns true, with why filled, that wait and
 * every later one return LC_EIO at once, and net_abort_reason() says why. */
typedef bool (*net_watch_fn)(void *arg, char *why, size_t cap);
void net_set_watch(net_ctx *n, net_watch_fn fn, void *arg);
/* Why waits were ended by the watch, or NULL. */
const char *net_abort_reason(const net_ctx *n);

/* The filter that says which endpoint name is the device under test (net/epfilter.h);
 * borrowed, NULL (the default): every device is accepted. */
struct epfilter;
void net_set_epfilter(net_ctx *n, struct epfilter *f);
struct epfilter *net_epfilter(const net_ctx *n);

/* Progress of the wait under way, for a live line on a terminal: called at most every
 * 250 ms while a wait (net_wait and everything built on it) has lasted a second or more,
 * with the label last set (NULL: none), the time waited and the wait's whole length; once
 * more with label NULL and 0, 0 when such a wait ends. */
typedef void (*net_progress_fn)(void *arg, const char *label, uint64_t waited_ms,
                                uint64_t total_ms);
void net_set_progress(net_ctx *n, net_progress_fn fn, void *arg);
/* What the coming waits are for ("int-104 step 3: expect-update"); copied; NULL clears. */
void net_set_wait_label(net_ctx *n, const char *label);

/* Called for every event as it is queued (serve prints them). */
typedef void (*net_event_observer)(void *arg, const net_event *ev);
void net_set_observer(net_ctx *n, net_event_observer fn, void *arg);

/* Called with one line per message in or out, already redacted. */
typedef void (*net_trace_fn)(void *arg, const char *line);
void net_set_trace(net_ctx *n, net_trace_fn fn, void *arg);

/* A CoAP message as UDP carried it, for a capture: its bytes without the DTLS layer (as
 * they were before encryption or after decryption; every registered PSK key blanked,
 * logger_blank_bytes) and the real addresses and ports of both ends. All borrowed for
 * the call. */
typedef struct net_packet {
    bool in;                        /* from the device (else from the tool) */
    const struct sockaddr *local;   /* the tool's endpoint */
    const struct sockaddr *remote;  /* the device */
    const uint8_t *data;
    size_t len;
} net_packet;
/* Called for every message traced (the same messages as net_set_trace's lines). */
typedef void (*net_capture_fn)(void *arg, const net_packet *p);
void net_set_capture(net_ctx *n, net_capture_fn fn, void *arg);

/* Called with an NSS key log line ("CLIENT_RANDOM <hex> <hex>", no newline) whenever a
 * DTLS session of an endpoint derives its keys; the line is a secret (--keylog). Set it
 * before devices connect. Returns 0, or LC_EIO when the DTLS library cannot export keys. */
typedef void (*net_keylog_fn)(void *arg, const char *line);
int net_set_keylog(net_ctx *n, net_keylog_fn fn, void *arg, lc_error *err);

/* ---- requests the device sends: handlers -------------------------------------------- */

typedef struct net_request {
    int endpoint;
    coap_session_t *session;
    const net_message *msg;
} net_request;

typedef struct net_reply {
    int code;             /* e.g. COAP_RESPONSE_CODE(201) */
    int content_format;   /* -1 none */
    char location[2][64]; /* Location-Path segments; "" = unused */
    char payload[512];
    size_t payload_len;
    unsigned max_age;     /* seconds in a Max-Age option; 0 = none */
    /* A body larger than payload[] (firmware package blocks, fw/): borrowed until the
     * handler returns; with has_block2 a Block2 option (and Size2 when size2 > 0). */
    const uint8_t *body;
    size_t body_len;
    bool has_block2;
    uint32_t block2;
    uint64_t size2;
    bool no_reply;        /* answer nothing (an empty ACK for a CON): a peer that stopped
                             answering, the firmware cut of ETS int-775 */
} net_reply;

/* A handler fills reply and may push events. It must not send requests (libcoap would
 * send them before the reply); the runner sends from its loop. */
typedef void (*net_request_handler)(void *arg, net_ctx *n, const net_request *req,
                                    net_reply *reply);
/* Routes requests whose first path segment is `segment` ("rd", "bs"). */
int net_add_handler(net_ctx *n, const char *segment, net_request_handler fn, void *arg);

/* ---- requests the tool sends ---------------------------------------------------------- */

typedef struct net_request_spec {
    int method;                    /* COAP_REQUEST_CODE_GET, … */
    const char *path;              /* "/3/0", "/" */
    const char *const *queries;    /* "pmin=2" … */
    size_t query_count;
    int accept;                    /* -1 none */
    int content_format;            /* -1 none */
    int observe;                   /* -1 none, 0 register, 1 deregister */
    const uint8_t *payload;
    size_t payload_len;
    bool confidential;             /* payload carries key material: never traced */
    uint64_t reuse_token_of;       /* nonzero: send with the token of this (observe) exchange,
                                      which it replaces: how an Observe is cancelled (RFC 7641) */
    bool has_block1;               /* a Block1 option (RFC 7959, fw/push): NUM << 4 | M << 3 | SZX */
    uint32_t block1;
    uint64_t size1;                /* a Size1 option when > 0 (the whole body's size) */
} net_request_spec;

/* Sends a CON request on session (a registered client's, or a bootstrap client's) with a
 * random 8-byte token. *exchange_id identifies it for net_await_response. When observe is
 * 0 the exchange stays open for notifications. LC_ENOTFOUND, at once, when a new DTLS
 * handshake from the device's address and port replaced session (the device restarted and
 * has not registered again): nothing sent on it could arrive. */
int net_send(net_ctx *n, coap_session_t *session, int endpoint, const net_request_spec *spec,
             uint64_t *exchange_id, lc_error *err);
/* Waits for the response. Returns 0 with *out (RESPONSE), LC_ENACK with *out (NACK: no
 * answer after the retransmissions, or a RST), LC_ETIMEDOUT (deadline passed; the exchange
 * is abandoned and a late response is discarded), LC_EINTR. */
int net_await_response(net_ctx *n, uint64_t exchange_id, uint64_t deadline, net_event **out);
int net_await_notification(net_ctx *n, uint64_t exchange_id, uint64_t deadline, net_event **out);
/* Answers the observation's next notification with RST (RFC 7641 §3.6: how a client
 * cancels); that notification is still queued as an event, with the detail saying so.
 * Afterwards the observation counts as cancelled: every later notification is queued too
 * and answered with RST. A GET with Observe: 1 reusing its token (reuse_token_of) cancels
 * it the same way. */
void net_reset_next_notification(net_ctx *n, uint64_t exchange_id);
/* Forgets an observation: later notifications on its token are answered with RST and
 * no longer queued. */
void net_forget_observation(net_ctx *n, uint64_t exchange_id);

#endif
