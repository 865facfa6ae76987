#include "net/endpoint.h"

#include <arpa/inet.h>
#include <errno.h>
#include <mbedtls/ssl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/mono.h"
#include "net/message.h"
#include "net/suites.h"

#define NET_MAX_HANDLERS 8

struct net_endpoint {
    char name[32];
    int ssid;
    net_role role;
    bool secure;
    char bind_addr[64];
    uint16_t port;
    uint8_t identity[128];
    size_t identity_len;
    uint8_t key[128];
    size_t key_len;
    coap_bin_const_t key_bin;
    coap_endpoint_t *ep;
};

struct handler {
    char segment[16];
    net_request_handler fn;
    void *arg;
};

/* What the tool remembers of a DTLS session, to turn libcoap's sparse events into a clear
 * "identity refused" / "handshake failed" for the user. */
struct session_state {
    coap_session_t *session; /* not referenced: removed on SERVER_SESSION_DEL */
    int endpoint;
    char identity[160];
    bool identity_accepted;
    bool traffic; /* a CoAP message arrived: the handshake completed */
    bool reported; /* a failed handshake was already reported */
    struct session_state *next;
};

struct exchange {
    uint64_t id;
    uint8_t token[8];
    coap_mid_t mid;
    coap_session_t *session; /* referenced */
    int endpoint;
    uint64_t sent_at;
    bool answered;
    bool observing;
    bool abandoned;
    bool cancelled;  /* an observation the tool cancelled: its notifications still become
                        events (to count them) and are answered with RST */
    bool reset_next; /* answer the next notification with RST, then count it cancelled */
    struct exchange *next;
};

struct net_ctx {
    coap_context_t *coap;
    logger *log;
    struct net_endpoint eps[NET_MAX_ENDPOINTS];
    size_t ep_count;
    struct handler handlers[NET_MAX_HANDLERS];
    size_t handler_count;
    net_event *head, *tail;
    size_t queued;                    /* events in the queue */
    size_t queue_limit;               /* NET_MAX_QUEUED_EVENTS unless set */
    net_event_match waiting;          /* the matcher of the wait under way, if any */
    void *waiting_arg;
    size_t dropped[NET_EV_SESSION_CLOSED + 1]; /* unclaimed events dropped, by kind */
    size_t dropped_total;
    size_t exchange_count;
    net_event_observer observer;
    void *observer_arg;
    net_trace_fn trace;
    void *trace_arg;
    net_capture_fn capture;
    void *capture_arg;
    net_keylog_fn keylog;
    void *keylog_arg;
    net_progress_fn progress;
    void *progress_arg;
    char wait_label[160];   /* net_set_wait_label: what the waits are for */
    struct exchange *exchanges;
    uint64_t next_exchange_id;
    struct session_state *sessions;
    unsigned ack_timeout_ms, max_retransmit;
    bool interrupted;
    volatile sig_atomic_t *stop_flag;
    net_watch_fn watch;
    void *watch_arg;
    char abort_reason[768];
    struct epfilter *epfilter;
    bool closing;
    uint64_t t0;
    char ciphersuites[512]; /* --ciphersuites; "" = the library's default */
};

/* ---- helpers ------------------------------------------------------------------------ */

static void format_peer(const coap_address_t *a, char *buf, size_t cap)
{
    char host[INET6_ADDRSTRLEN] = "?";
    uint16_t port = 0;
    if (!a) {
        snprintf(buf, cap, "?");
        return;
    }
    if (a->addr.sa.sa_family == AF_INET) {
        inet_ntop(AF_INET, &a->addr.sin.sin_addr, host, sizeof host);
        port = ntohs(a->addr.sin.sin_port);
        snprintf(buf, cap, "%s:%u", host, port);
    } else if (a->addr.sa.sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &a->addr.sin6.sin6_addr, host, sizeof host);
        port = ntohs(a->addr.sin6.sin6_port);
        snprintf(buf, cap, "[%s]:%u", host, port);
    } else {
        snprintf(buf, cap, "?");
    }
}

static uint16_t addr_port(const coap_address_t *a)
{
    if (!a)
        return 0;
    if (a->addr.sa.sa_family == AF_INET)
        return ntohs(a->addr.sin.sin_port);
    if (a->addr.sa.sa_family == AF_INET6)
        return ntohs(a->addr.sin6.sin6_port);
    return 0;
}

/* Identities are usually text; binary ones are shown as hex so a report stays readable. */
static void format_identity(const uint8_t *p, size_t len, char *buf, size_t cap)
{
    bool text = len > 0;
    for (size_t i = 0; i < len; i++)
        if (p[i] < 0x20 || p[i] > 0x7e)
            text = false;
    if (text) {
        snprintf(buf, cap, "%.*s", (int)len, (const char *)p);
        return;
    }
    size_t n = (size_t)snprintf(buf, cap, "hex:");
    for (size_t i = 0; i < len && n + 3 < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%02x", p[i]);
}

static net_ctx *ctx_of(coap_session_t *s)
{
    return s ? coap_get_app_data(coap_session_get_context(s)) : NULL;
}

static int endpoint_of(const net_ctx *n, coap_session_t *s)
{
    uint16_t port = addr_port(coap_session_get_addr_local(s));
    bool secure = coap_session_get_proto(s) == COAP_PROTO_DTLS;
    for (size_t i = 0; i < n->ep_count; i++)
        if (n->eps[i].port == port && n->eps[i].secure == secure)
            return (int)i;
    return -1;
}

static struct session_state *session_state(net_ctx *n, coap_session_t *s, bool create)
{
    for (struct session_state *st = n->sessions; st; st = st->next)
        if (st->session == s)
            return st;
    if (!create)
        return NULL;
    struct session_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->session = s;
    st->endpoint = endpoint_of(n, s);
    st->next = n->sessions;
    n->sessions = st;
    return st;
}

static void session_state_remove(net_ctx *n, coap_session_t *s)
{
    for (struct session_state **pp = &n->sessions; *pp; pp = &(*pp)->next) {
        if ((*pp)->session == s) {
            struct session_state *st = *pp;
            *pp = st->next;
            free(st);
            return;
        }
    }
}

static void tracef(net_ctx *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int wait_loop(net_ctx *n, net_event_match match, void *arg, uint64_t deadline,
                     net_event **out);
static int wait_loop_inner(net_ctx *n, net_event_match match, void *arg, uint64_t deadline,
                           net_event **out, uint64_t start, uint64_t *shown);
static void tracef(net_ctx *n, const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    int w = snprintf(line, sizeof line, "[%7.3f] ", (double)(mono_ms() - n->t0) / 1000.0);
    vsnprintf(line + w, sizeof line - (size_t)w, fmt, ap);
    va_end(ap);
    logger_redact(n->log, line, sizeof line);
    log_msg(n->log, LOG_LVL_TRACE, "%s", line);
    if (n->trace)
        n->trace(n->trace_arg, line);
}

/* The message's bytes to the capture (net_set_capture), every registered key blanked. */
static void capture_message(net_ctx *n, coap_session_t *s, bool in, const net_message *m,
                            const coap_pdu_t *pdu)
{
    size_t cap = m->payload_len + 16384;
    uint8_t *buf = malloc(cap);
    size_t len = buf ? net_message_encode(m, pdu, buf, cap) : 0;
    const coap_address_t *local = coap_session_get_addr_local(s);
    const coap_address_t *remote = coap_session_get_addr_remote(s);
    if (len && local && remote) {
        logger_blank_bytes(n->log, buf, len);
        net_packet p = {.in = in, .local = &local->addr.sa, .remote = &remote->addr.sa,
                        .data = buf, .len = len};
        n->capture(n->capture_arg, &p);
    }
    free(buf);
}

/* The one place every message in and out is traced (and captured). */
static void trace_message(net_ctx *n, int endpoint, coap_session_t *s, bool in,
                          const net_message *m, const coap_pdu_t *pdu, bool is_request,
                          bool confidential)
{
    if (n->capture && pdu)
        capture_message(n, s, in, m, pdu);
    char peer[80], summary[1024];
    format_peer(coap_session_get_addr_remote(s), peer, sizeof peer);
    if (confidential && m->payload_len) {
        net_message copy = *m;
        copy.payload_len = 0;
        net_message_summary(&copy, is_request, 0, summary, sizeof summary);
        size_t l = strlen(summary);
        snprintf(summary + l, sizeof summary - l, " %zu bytes: (withheld: key material)",
                 m->payload_len);
    } else {
        net_message_summary_redacted(m, is_request, 200, n->log, summary, sizeof summary);
    }
    static const char *types[] = {"CON", "NON", "ACK", "RST"};
    char tok[20] = "";
    for (size_t i = 0; i < m->token_len && i < 8; i++)
        snprintf(tok + 2 * i, sizeof tok - 2 * i, "%02x", m->token[i]);
    tracef(n, "%s %s %s %s mid=%u tok=%s %s",
           endpoint >= 0 ? n->eps[endpoint].name : "?", in ? "<-" : "->", peer,
           types[m->type & 3], m->mid, tok[0] ? tok : "-", summary);
}

/* ---- events ------------------------------------------------------------------------- */

const char *net_event_kind_name(net_event_kind k)
{
    switch (k) {
    case NET_EV_REQUEST: return "request";
    case NET_EV_REGISTER: return "register";
    case NET_EV_UPDATE: return "update";
    case NET_EV_DEREGISTER: return "deregister";
    case NET_EV_BOOTSTRAP_REQUEST: return "bootstrap-request";
    case NET_EV_PROTOCOL_ERROR: return "protocol-error";
    case NET_EV_UNEXPECTED_REQUEST: return "unexpected-request";
    case NET_EV_RESPONSE: return "response";
    case NET_EV_NOTIFICATION: return "notification";
    case NET_EV_NACK: return "no-answer";
    case NET_EV_HANDSHAKE_REFUSED: return "handshake-refused";
    case NET_EV_HANDSHAKE_FAILED: return "handshake-failed";
    case NET_EV_SESSION_CLOSED: return "session-closed";
    }
    return "?";
}

net_event *net_event_new(net_ctx *n, net_event_kind kind, int endpoint, coap_session_t *s)
{
    net_event *ev = calloc(1, sizeof *ev);
    if (!ev)
        return NULL;
    ev->kind = kind;
    ev->endpoint = endpoint;
    ev->short_server_id = endpoint >= 0 ? n->eps[endpoint].ssid : -1;
    ev->at_ms = mono_ms();
    ev->msg.content_format = ev->msg.accept = ev->msg.observe = -1;
    if (s) {
        format_peer(coap_session_get_addr_remote(s), ev->peer, sizeof ev->peer);
        const coap_bin_const_t *id = coap_session_get_psk_identity(s);
        if (id && id->length)
            format_identity(id->s, id->length, ev->psk_identity, sizeof ev->psk_identity);
        coap_tls_library_t lib;
        void *tls = coap_session_get_tls(s, &lib);
        if (tls && lib == COAP_TLS_LIBRARY_MBEDTLS) {
            const char *suite = mbedtls_ssl_get_ciphersuite((const mbedtls_ssl_context *)tls);
            if (suite)
                snprintf(ev->cipher_suite, sizeof ev->cipher_suite, "%s", suite);
        }
        ev->session = coap_session_reference(s);
    }
    return ev;
}

void net_event_free(net_event *ev)
{
    if (!ev)
        return;
    net_message_clear(&ev->msg);
    if (ev->session)
        coap_session_release(ev->session);
    free(ev);
}

/* The queue keeps what a wait may still claim: the wait under way takes its event at
 * once, and a later step claims a device message that came early (an Update during a
 * Read). Nobody claims twenty thousand of them, so past queue_limit the oldest events are
 * dropped, except the newest of each kind from each endpoint (for responses and
 * notifications: of each exchange) and anything the wait under way matches. What is
 * dropped is counted by kind (net_events_dropped) and said once in the log. */
/* Takes ev (preceded by prev, NULL at the head) out of the queue. */
static void queue_unlink(net_ctx *n, net_event *prev, net_event *ev)
{
    if (prev)
        prev->next = ev->next;
    else
        n->head = ev->next;
    if (n->tail == ev)
        n->tail = prev;
    n->queued--;
}

struct ev_key {
    int endpoint;
    net_event_kind kind;
    uint64_t exchange_id;
};

static bool same_key(const struct ev_key *k, const net_event *ev)
{
    return k->endpoint == ev->endpoint && k->kind == ev->kind && k->exchange_id == ev->exchange_id;
}

static void queue_compact(net_ctx *n)
{
    /* newest first: the first event seen with a key is the one kept */
    size_t count = n->queued, i = 0, keys = 0;
    net_event **order = malloc(count * sizeof *order);
    struct ev_key *seen = malloc(count * sizeof *seen);
    bool *keep = calloc(count, sizeof *keep);
    if (!order || !seen || !keep) {
        free(order);
        free(seen);
        free(keep);
        return;
    }
    for (net_event *ev = n->head; ev && i < count; ev = ev->next)
        order[i++] = ev;
    for (size_t j = count; j-- > 0;) {
        const net_event *ev = order[j];
        bool known = false;
        for (size_t k = 0; k < keys && !known; k++)
            known = same_key(&seen[k], ev);
        if (!known) {
            seen[keys++] = (struct ev_key){ev->endpoint, ev->kind, ev->exchange_id};
            keep[j] = true;
        } else if (n->waiting && n->waiting(ev, n->waiting_arg)) {
            keep[j] = true;
        }
    }
    /* drop down to three quarters of the limit so compaction runs once per many events */
    size_t target = n->queue_limit - n->queue_limit / 4, dropped = 0;
    net_event *prev = NULL;
    for (size_t j = 0; j < count; j++) {
        net_event *ev = order[j];
        if (keep[j] || n->queued <= target) {
            prev = ev;
            continue;
        }
        queue_unlink(n, prev, ev);
        n->dropped[ev->kind]++;
        n->dropped_total++;
        dropped++;
        net_event_free(ev);
    }
    free(order);
    free(seen);
    free(keep);
    if (dropped && n->dropped_total == dropped)
        log_warn(n->log, "more than %zu events queued that no step has claimed: dropping the "
                 "oldest (the newest of each kind is kept; the count is in the report)",
                 n->queue_limit);
}

void net_push_event(net_ctx *n, net_event *ev)
{
    if (!ev)
        return;
    ev->next = NULL;
    if (n->tail)
        n->tail->next = ev;
    else
        n->head = ev;
    n->tail = ev;
    n->queued++;
    if (ev->kind != NET_EV_RESPONSE && ev->kind != NET_EV_NOTIFICATION &&
        ev->kind != NET_EV_REQUEST)
        tracef(n, "%s: %s%s%s", ev->endpoint >= 0 ? n->eps[ev->endpoint].name : "?",
               net_event_kind_name(ev->kind), ev->detail[0] ? ": " : "", ev->detail);
    if (n->observer)
        n->observer(n->observer_arg, ev);
    if (n->queued > n->queue_limit)
        queue_compact(n);
}

const net_event *net_peek(const net_ctx *n, net_event_match match, void *arg)
{
    for (const net_event *ev = n->head; ev; ev = ev->next)
        if (!match || match(ev, arg))
            return ev;
    return NULL;
}

net_event *net_take(net_ctx *n, net_event_match match, void *arg)
{
    net_event *prev = NULL;
    for (net_event *ev = n->head; ev; prev = ev, ev = ev->next) {
        if (match && !match(ev, arg))
            continue;
        queue_unlink(n, prev, ev);
        ev->next = NULL;
        return ev;
    }
    return NULL;
}

void net_unget(net_ctx *n, net_event *ev)
{
    ev->next = n->head;
    n->head = ev;
    if (!n->tail)
        n->tail = ev;
    n->queued++;
}

size_t net_drop(net_ctx *n, net_event_match match, void *arg)
{
    size_t count = 0;
    net_event *ev;
    while ((ev = net_take(n, match, arg)) != NULL) {
        net_event_free(ev);
        count++;
    }
    return count;
}

int net_poll(net_ctx *n, uint64_t deadline)
{
    uint64_t left = mono_remaining(deadline);
    /* cap each wait so an interrupt flag set by a signal handler is seen promptly */
    unsigned ms = left > 200 ? 200 : (unsigned)left;
    int r = coap_io_process(n->coap, ms ? ms : COAP_IO_NO_WAIT);
    return r < 0 ? LC_EIO : 0;
}

int net_wait(net_ctx *n, net_event_match match, void *arg, uint64_t deadline, net_event **out)
{
    *out = NULL;
    /* what this wait would take is never dropped by queue_compact (a wait nested in an
     * observer would replace it; none does) */
    n->waiting = match;
    n->waiting_arg = arg;
    int r = wait_loop(n, match, arg, deadline, out);
    n->waiting = NULL;
    n->waiting_arg = NULL;
    return r;
}

/* Tells the progress observer how far a wait is, at most every 250 ms; a wait of under a
 * second is not shown (done: the wait is over). */
static void wait_progress(net_ctx *n, uint64_t start, uint64_t deadline, uint64_t *last,
                          bool done)
{
    if (!n->progress)
        return;
    uint64_t now = mono_ms();
    if (done) {
        if (*last)
            n->progress(n->progress_arg, NULL, 0, 0);
        return;
    }
    if (now - start < 1000 || (*last && now - *last < 250))
        return;
    *last = now;
    n->progress(n->progress_arg, n->wait_label[0] ? n->wait_label : NULL, now - start,
                deadline > start ? deadline - start : 0);
}

static int wait_loop(net_ctx *n, net_event_match match, void *arg, uint64_t deadline,
                     net_event **out)
{
    uint64_t start = mono_ms(), shown = 0;
    int r = wait_loop_inner(n, match, arg, deadline, out, start, &shown);
    wait_progress(n, start, deadline, &shown, true);
    return r;
}

static int wait_loop_inner(net_ctx *n, net_event_match match, void *arg, uint64_t deadline,
                           net_event **out, uint64_t start, uint64_t *shown)
{
    for (;;) {
        net_event *ev = net_take(n, match, arg);
        if (ev) {
            *out = ev;
            return 0;
        }
        wait_progress(n, start, deadline, shown, false);
        if (net_interrupted(n))
            return LC_EINTR;
        if (n->abort_reason[0] ||
            (n->watch && n->watch(n->watch_arg, n->abort_reason, sizeof n->abort_reason)))
            return LC_EIO;
        if (mono_ms() >= deadline)
            return LC_ETIMEDOUT;
        if (net_poll(n, deadline) < 0)
            return LC_EIO;
    }
}

size_t net_events_queued(const net_ctx *n) { return n->queued; }
size_t net_events_dropped(const net_ctx *n, int kind)
{
    if (kind < 0)
        return n->dropped_total;
    return kind <= NET_EV_SESSION_CLOSED ? n->dropped[kind] : 0;
}

void net_set_queue_limit(net_ctx *n, size_t limit)
{
    n->queue_limit = limit < 8 ? 8 : limit;
}

void net_interrupt(net_ctx *n) { n->interrupted = true; }
bool net_interrupted(const net_ctx *n) { return n->interrupted || (n->stop_flag && *n->stop_flag); }
void net_set_stop_flag(net_ctx *n, volatile sig_atomic_t *flag) { n->stop_flag = flag; }

void net_set_watch(net_ctx *n, net_watch_fn fn, void *arg)
{
    n->watch = fn;
    n->watch_arg = arg;
    n->abort_reason[0] = '\0';
}

void net_set_epfilter(net_ctx *n, struct epfilter *f) { n->epfilter = f; }
struct epfilter *net_epfilter(const net_ctx *n) { return n->epfilter; }

const char *net_abort_reason(const net_ctx *n) { return n->abort_reason[0] ? n->abort_reason : NULL; }

void net_set_observer(net_ctx *n, net_event_observer fn, void *arg)
{
    n->observer = fn;
    n->observer_arg = arg;
}

void net_set_progress(net_ctx *n, net_progress_fn fn, void *arg)
{
    n->progress = fn;
    n->progress_arg = arg;
}

void net_set_wait_label(net_ctx *n, const char *label)
{
    snprintf(n->wait_label, sizeof n->wait_label, "%s", label ? label : "");
}

void net_set_capture(net_ctx *n, net_capture_fn fn, void *arg)
{
    n->capture = fn;
    n->capture_arg = arg;
}

static void on_keylog(void *arg, const coap_session_t *s, const char *line)
{
    (void)s;
    net_ctx *n = arg;
    if (n->keylog)
        n->keylog(n->keylog_arg, line);
}

int net_set_keylog(net_ctx *n, net_keylog_fn fn, void *arg, lc_error *err)
{
    n->keylog = fn;
    n->keylog_arg = arg;
    if (!coap_dtls_set_keylog_handler(n->coap, fn ? on_keylog : NULL, n))
        return lc_error_set(err, LC_EIO, "this build's DTLS library cannot export session keys "
                            "(Mbed TLS without MBEDTLS_SSL_EXPORT_KEYS)");
    return 0;
}

void net_set_trace(net_ctx *n, net_trace_fn fn, void *arg)
{
    n->trace = fn;
    n->trace_arg = arg;
}

/* ---- DTLS-PSK ----------------------------------------------------------------------- */

static const coap_bin_const_t *validate_identity(coap_bin_const_t *identity,
                                                 coap_session_t *s, void *arg)
{
    net_ctx *n = arg;
    int e = endpoint_of(n, s);
    struct session_state *st = session_state(n, s, true);
    char shown[160];
    format_identity(identity->s, identity->length, shown, sizeof shown);
    if (st)
        snprintf(st->identity, sizeof st->identity, "%s", shown);
    if (e >= 0 && n->eps[e].secure && identity->length == n->eps[e].identity_len &&
        memcmp(identity->s, n->eps[e].identity, identity->length) == 0) {
        if (st)
            st->identity_accepted = true;
        return &n->eps[e].key_bin;
    }
    net_event *ev = net_event_new(n, NET_EV_HANDSHAKE_REFUSED, e, NULL);
    if (ev) {
        format_peer(coap_session_get_addr_remote(s), ev->peer, sizeof ev->peer);
        snprintf(ev->psk_identity, sizeof ev->psk_identity, "%s", shown);
        const char *other = NULL;
        for (size_t i = 0; i < n->ep_count; i++)
            if ((int)i != e && identity->length == n->eps[i].identity_len &&
                memcmp(identity->s, n->eps[i].identity, identity->length) == 0)
                other = n->eps[i].name;
        snprintf(ev->detail, sizeof ev->detail,
                 "PSK identity \"%s\" from %s is not the one configured for %s%s%s%s", shown,
                 ev->peer, e >= 0 ? n->eps[e].name : "this endpoint",
                 other ? " (it is the identity of " : "", other ? other : "", other ? ")" : "");
        net_push_event(n, ev);
    }
    return NULL;
}

/* A handshake that failed before any PSK identity came (no cipher suite in common, most
 * often): what the device offered in its ClientHello, and what the tool accepts. */
static void report_suite_failure(net_ctx *n, coap_session_t *s)
{
    uint16_t ids[64];
    size_t k = coap_dtls_get_offered_ciphersuites(s, ids, 64);
    if (k == 0)
        return;
    struct session_state *st = session_state(n, s, true);
    if (st)
        st->reported = true;
    int e = st ? st->endpoint : endpoint_of(n, s);
    net_event *ev = net_event_new(n, NET_EV_HANDSHAKE_FAILED, e, NULL);
    if (!ev)
        return;
    format_peer(coap_session_get_addr_remote(s), ev->peer, sizeof ev->peer);
    char offered[700];
    net_suites_format(ids, k, offered, sizeof offered);
    bool common = !n->ciphersuites[0] || net_suites_any_in(n->ciphersuites, ids, k);
    snprintf(ev->detail, sizeof ev->detail,
             "DTLS handshake from %s failed%s: the device offered %s; the tool accepts %s",
             ev->peer, common ? "" : ", no cipher suite in common", offered,
             n->ciphersuites[0] ? n->ciphersuites : "Mbed TLS's default suites");
    net_push_event(n, ev);
}

/* A device that restarted from the same address and port began a new DTLS handshake, and
 * the new association replaced this one (RFC 6347 §4.2.8; our libcoap patch
 * libcoap-dtls-reconnect.patch does it once the peer has returned the handshake's
 * cookie). The event refers to no session: the old one is on its way out. */
static void report_replaced(net_ctx *n, coap_session_t *s, const struct session_state *st)
{
    int e = st ? st->endpoint : endpoint_of(n, s);
    net_event *ev = net_event_new(n, NET_EV_SESSION_CLOSED, e, NULL);
    if (!ev)
        return;
    format_peer(coap_session_get_addr_remote(s), ev->peer, sizeof ev->peer);
    if (st && st->identity[0])
        snprintf(ev->psk_identity, sizeof ev->psk_identity, "%s", st->identity);
    snprintf(ev->detail, sizeof ev->detail,
             "a new DTLS handshake from %s (the device restarted from the same address and "
             "port) replaces its earlier association, which is closed (RFC 6347 §4.2.8)",
             ev->peer);
    net_push_event(n, ev);
}

static int on_coap_event(coap_session_t *s, coap_event_t event)
{
    net_ctx *n = ctx_of(s);
    if (!n || n->closing)
        return 0;
    struct session_state *st = session_state(n, s, false);
    switch (event) {
    case COAP_EVENT_DTLS_CONNECTED:
        if (st)
            st->traffic = true;
        break;
    case COAP_EVENT_DTLS_ERROR:
    case COAP_EVENT_DTLS_CLOSED:
        if ((!st || (!st->identity_accepted && !st->traffic && !st->reported)) &&
            event == COAP_EVENT_DTLS_ERROR)
            report_suite_failure(n, s);
        if (st && st->identity_accepted && !st->traffic) {
            net_event *ev = net_event_new(n, NET_EV_HANDSHAKE_FAILED, st->endpoint, NULL);
            if (ev) {
                format_peer(coap_session_get_addr_remote(s), ev->peer, sizeof ev->peer);
                snprintf(ev->psk_identity, sizeof ev->psk_identity, "%s", st->identity);
                snprintf(ev->detail, sizeof ev->detail,
                         "DTLS handshake from %s failed after PSK identity \"%s\" was accepted: "
                         "the device's key for this identity does not match",
                         ev->peer, st->identity);
                net_push_event(n, ev);
            }
            st->identity_accepted = false;
        }
        break;
    case COAP_EVENT_SERVER_SESSION_DEL:
        if (coap_session_is_replaced(s))
            report_replaced(n, s, st);
        session_state_remove(n, s);
        break;
    default:
        break;
    }
    return 0;
}

/* ---- incoming requests -------------------------------------------------------------- */

static void build_reply(coap_pdu_t *response, const net_reply *r)
{
    uint8_t buf[4];
    coap_pdu_set_code(response, (coap_pdu_code_t)r->code);
    for (int i = 0; i < 2; i++)
        if (r->location[i][0])
            coap_add_option(response, COAP_OPTION_LOCATION_PATH, strlen(r->location[i]),
                            (const uint8_t *)r->location[i]);
    if (r->content_format >= 0)
        coap_add_option(response, COAP_OPTION_CONTENT_FORMAT,
                        coap_encode_var_safe(buf, sizeof buf, (unsigned)r->content_format), buf);
    if (r->max_age)
        coap_add_option(response, COAP_OPTION_MAXAGE,
                        coap_encode_var_safe(buf, sizeof buf, r->max_age), buf);
    if (r->has_block2)
        coap_add_option(response, COAP_OPTION_BLOCK2,
                        coap_encode_var_safe(buf, sizeof buf, r->block2), buf);
    if (r->size2) {
        uint8_t b8[8];
        coap_add_option(response, COAP_OPTION_SIZE2, coap_encode_var_safe8(b8, sizeof b8, r->size2), b8);
    }
    if (r->body && r->body_len)
        coap_add_data(response, r->body_len, r->body);
    else if (r->payload_len)
        coap_add_data(response, r->payload_len, (const uint8_t *)r->payload);
}

static void on_request(coap_resource_t *res, coap_session_t *s, const coap_pdu_t *request,
                       const coap_string_t *query, coap_pdu_t *response)
{
    (void)res;
    (void)query;
    net_ctx *n = ctx_of(s);
    if (!n)
        return;
    int e = endpoint_of(n, s);
    struct session_state *st = session_state(n, s, true);
    if (st)
        st->traffic = true;

    net_message m;
    if (net_message_from_pdu(&m, request) < 0) {
        coap_pdu_set_code(response, COAP_RESPONSE_CODE_INTERNAL_ERROR);
        return;
    }
    trace_message(n, e, s, true, &m, request, true, false);

    char segment[16] = "";
    const char *p = m.path[0] == '/' ? m.path + 1 : m.path;
    size_t sl = strcspn(p, "/");
    if (sl < sizeof segment) {
        memcpy(segment, p, sl);
        segment[sl] = '\0';
    }

    net_reply reply = {.code = COAP_RESPONSE_CODE(404), .content_format = -1};
    const struct handler *h = NULL;
    for (size_t i = 0; i < n->handler_count; i++)
        if (strcmp(n->handlers[i].segment, segment) == 0)
            h = &n->handlers[i];
    if (h) {
        net_request req = {.endpoint = e, .session = s, .msg = &m};
        h->fn(h->arg, n, &req, &reply);
    } else {
        net_event *ev = net_event_new(n, NET_EV_UNEXPECTED_REQUEST, e, s);
        if (ev) {
            char sum[512];
            net_message_summary_redacted(&m, true, 64, n->log, sum, sizeof sum);
            snprintf(ev->detail, sizeof ev->detail, "request for an unknown resource: %s", sum);
            ev->msg = m;
            memset(&m, 0, sizeof m);
            net_push_event(n, ev);
        }
        reply.payload_len = (size_t)snprintf(reply.payload, sizeof reply.payload,
                                             "no resource %s on this LwM2M server", p);
    }
    if (reply.no_reply) {
        net_message_clear(&m);
        return; /* libcoap sends an empty ACK for a CON and nothing else */
    }
    build_reply(response, &reply);

    net_message out;
    if (net_message_from_pdu(&out, response) == 0) {
        out.type = coap_pdu_get_type(request) == COAP_MESSAGE_CON ? COAP_MESSAGE_ACK
                                                                  : COAP_MESSAGE_NON;
        out.mid = m.mid;
        trace_message(n, e, s, false, &out, response, false, false);
        net_message_clear(&out);
    }
    net_message_clear(&m);
}

int net_add_handler(net_ctx *n, const char *segment, net_request_handler fn, void *arg)
{
    if (n->handler_count == NET_MAX_HANDLERS || strlen(segment) >= sizeof n->handlers[0].segment)
        return LC_EINVAL;
    struct handler *h = &n->handlers[n->handler_count++];
    snprintf(h->segment, sizeof h->segment, "%s", segment);
    h->fn = fn;
    h->arg = arg;
    return 0;
}

/* ---- responses to the tool's requests ---------------------------------------------- */

static struct exchange *exchange_by_token(net_ctx *n, const uint8_t *tok, size_t len)
{
    if (len != 8)
        return NULL;
    for (struct exchange *x = n->exchanges; x; x = x->next)
        if (memcmp(x->token, tok, 8) == 0)
            return x;
    return NULL;
}

/* The exchange a received message belongs to. A cancelling GET (Observe: 1) reuses the
 * token of the observation it cancels, which stays to count late notifications: the
 * piggy-backed ACK with the GET's message id, or an answer without Observe, is the GET's
 * response; a message with Observe is a notification of the cancelled observation. */
static struct exchange *exchange_for(net_ctx *n, const net_message *m)
{
    struct exchange *live = NULL, *cancelled = NULL;
    if (m->token_len != 8)
        return NULL;
    for (struct exchange *x = n->exchanges; x; x = x->next) {
        if (memcmp(x->token, m->token, 8) != 0)
            continue;
        if (x->cancelled && !cancelled)
            cancelled = x;
        else if (!x->cancelled && !live)
            live = x;
    }
    if (live && cancelled) {
        bool gets_ack = m->type == COAP_MESSAGE_ACK && m->mid == live->mid;
        return gets_ack || m->observe < 0 ? live : cancelled;
    }
    return live ? live : cancelled;
}

static struct exchange *exchange_by_id(net_ctx *n, uint64_t id)
{
    for (struct exchange *x = n->exchanges; x; x = x->next)
        if (x->id == id)
            return x;
    return NULL;
}

static void exchange_remove(net_ctx *n, struct exchange *gone)
{
    for (struct exchange **pp = &n->exchanges; *pp; pp = &(*pp)->next) {
        if (*pp == gone) {
            *pp = gone->next;
            coap_session_release(gone->session);
            free(gone);
            n->exchange_count--;
            return;
        }
    }
}

static coap_response_t on_response(coap_session_t *s, const coap_pdu_t *sent,
                                   const coap_pdu_t *received, const coap_mid_t mid)
{
    (void)sent;
    (void)mid;
    net_ctx *n = ctx_of(s);
    if (!n)
        return COAP_RESPONSE_OK;
    int e = endpoint_of(n, s);
    net_message m;
    if (net_message_from_pdu(&m, received) < 0)
        return COAP_RESPONSE_OK;
    trace_message(n, e, s, true, &m, received, false, false);

    struct exchange *x = exchange_for(n, &m);
    if (x && x->answered && (x->cancelled || x->reset_next)) {
        /* a notification the tool answers with RST: it still counts, as an event */
        net_event *ev = net_event_new(n, NET_EV_NOTIFICATION, e, s);
        if (ev) {
            ev->exchange_id = x->id;
            ev->msg = m;
            snprintf(ev->detail, sizeof ev->detail, "%s", x->cancelled
                         ? "a notification after the observation was cancelled: answered with RST"
                         : "answered with RST: the tool cancels the observation");
            net_push_event(n, ev);
        } else {
            net_message_clear(&m);
        }
        x->reset_next = false;
        x->cancelled = true;
        return COAP_RESPONSE_FAIL;
    }
    if (!x || x->abandoned || (x->answered && !x->observing)) {
        tracef(n, "%s: %s response on token with no open request: %s",
               e >= 0 ? n->eps[e].name : "?", x && x->abandoned ? "late" : "unexpected",
               x && x->abandoned ? "discarded (its step had already timed out)"
                                 : "answered with RST");
        if (x && x->abandoned && !x->observing)
            exchange_remove(n, x);
        net_message_clear(&m);
        return x ? COAP_RESPONSE_OK : COAP_RESPONSE_FAIL;
    }
    net_event *ev = net_event_new(n, x->answered ? NET_EV_NOTIFICATION : NET_EV_RESPONSE, e, s);
    if (!ev) {
        net_message_clear(&m);
        return COAP_RESPONSE_OK;
    }
    ev->exchange_id = x->id;
    ev->elapsed_ms = mono_ms() - x->sent_at;
    ev->msg = m;
    if (!x->answered) {
        x->answered = true;
        x->observing = x->observing && m.observe >= 0 && (m.code >> 5) == 2;
    }
    bool done = !x->observing;
    net_push_event(n, ev);
    if (done)
        exchange_remove(n, x);
    return COAP_RESPONSE_OK;
}

static void on_nack(coap_session_t *s, const coap_pdu_t *sent, const coap_nack_reason_t reason,
                    const coap_mid_t mid)
{
    net_ctx *n = ctx_of(s);
    if (!n || n->closing)
        return;
    struct exchange *x = NULL;
    if (sent) {
        coap_bin_const_t tok = coap_pdu_get_token(sent);
        x = exchange_by_token(n, tok.s, tok.length);
    }
    for (struct exchange *y = n->exchanges; !x && y; y = y->next)
        if (y->mid == mid && y->session == s)
            x = y;
    if (!x || x->answered)
        return;
    int e = x->endpoint;
    if (x->abandoned) {
        /* like a late response: nobody awaits it any more, and a queued NACK would hold
         * the session and could be taken by a later wait */
        tracef(n, "%s: late no-answer for an abandoned request: discarded (its step had "
               "already timed out)", e >= 0 ? n->eps[e].name : "?");
        exchange_remove(n, x);
        return;
    }
    net_event *ev = net_event_new(n, NET_EV_NACK, e, s);
    if (!ev)
        return;
    ev->exchange_id = x->id;
    ev->elapsed_ms = mono_ms() - x->sent_at;
    const char *why = reason == COAP_NACK_TOO_MANY_RETRIES ? "no ACK after the last retransmission"
                    : reason == COAP_NACK_RST              ? "the device answered with RST"
                    : reason == COAP_NACK_TLS_FAILED       ? "the DTLS session failed"
                    : reason == COAP_NACK_ICMP_ISSUE       ? "ICMP: the device's port is closed"
                                                           : "the message could not be delivered";
    snprintf(ev->detail, sizeof ev->detail, "%s (after %.1f s)", why,
             (double)ev->elapsed_ms / 1000.0);
    if (sent)
        net_message_from_pdu(&ev->msg, sent);
    x->answered = true;
    x->observing = false;
    net_push_event(n, ev);
    exchange_remove(n, x);
}

/* ---- sending ------------------------------------------------------------------------ */

static void fill_random(uint8_t *p, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t r = getrandom(p + got, len - got, 0);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    if (got < len) /* no entropy source: a counter-derived token is still unique per ctx */
        for (size_t i = got; i < len; i++)
            p[i] = (uint8_t)(mono_ms() >> (8 * (i % 8)));
}

int net_send(net_ctx *n, coap_session_t *session, int endpoint, const net_request_spec *spec,
             uint64_t *exchange_id, lc_error *err)
{
    if (!session)
        return lc_error_set(err, LC_EINVAL, "no session to send on (the device is not connected)");
    if (coap_session_is_replaced(session)) {
        /* nothing sent on it can arrive: the device's end of it is gone */
        char peer[80];
        format_peer(coap_session_get_addr_remote(session), peer, sizeof peer);
        return lc_error_set(err, LC_ENOTFOUND, "the device restarted: a new DTLS handshake from "
                            "%s replaced the association this request was for, and the device "
                            "has not registered again since", peer);
    }
    if (n->exchange_count >= NET_MAX_PENDING && !spec->reuse_token_of) {
        /* the oldest abandoned request (its step timed out) makes room first */
        struct exchange *oldest = NULL;
        for (struct exchange *y = n->exchanges; y; y = y->next)
            if (y->abandoned)
                oldest = y; /* the list is newest first */
        if (oldest)
            exchange_remove(n, oldest);
    }
    if (n->exchange_count >= NET_MAX_PENDING && !spec->reuse_token_of)
        return lc_error_set(err, LC_EBUSY, "%d requests to the device are already awaiting an "
                            "answer or observing (the limit): cancel observations first",
                            NET_MAX_PENDING);
    coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, (coap_pdu_code_t)spec->method,
                                    coap_new_message_id(session),
                                    coap_session_max_pdu_size(session));
    if (!pdu)
        return lc_error_set(err, LC_ENOMEM, "cannot build a CoAP request");
    struct exchange *x = calloc(1, sizeof *x);
    if (!x) {
        coap_delete_pdu(pdu);
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    }
    struct exchange *old = spec->reuse_token_of ? exchange_by_id(n, spec->reuse_token_of) : NULL;
    if (old) {
        /* the observation stays, cancelled, so notifications that still come are counted */
        memcpy(x->token, old->token, sizeof x->token);
        old->cancelled = true;
    } else {
        fill_random(x->token, sizeof x->token);
    }
    coap_add_token(pdu, sizeof x->token, x->token);

    coap_optlist_t *opts = NULL;
    uint8_t buf[4];
    if (spec->observe >= 0)
        coap_insert_optlist(&opts, coap_new_optlist(COAP_OPTION_OBSERVE,
                            coap_encode_var_safe(buf, sizeof buf, (unsigned)spec->observe), buf));
    const char *p = spec->path ? spec->path : "/";
    while (*p) {
        while (*p == '/')
            p++;
        size_t l = strcspn(p, "/");
        if (l)
            coap_insert_optlist(&opts, coap_new_optlist(COAP_OPTION_URI_PATH, l, (const uint8_t *)p));
        p += l;
    }
    if (spec->content_format >= 0)
        coap_insert_optlist(&opts, coap_new_optlist(COAP_OPTION_CONTENT_FORMAT,
                            coap_encode_var_safe(buf, sizeof buf, (unsigned)spec->content_format), buf));
    for (size_t i = 0; i < spec->query_count; i++)
        coap_insert_optlist(&opts, coap_new_optlist(COAP_OPTION_URI_QUERY, strlen(spec->queries[i]),
                                                    (const uint8_t *)spec->queries[i]));
    if (spec->accept >= 0)
        coap_insert_optlist(&opts, coap_new_optlist(COAP_OPTION_ACCEPT,
                            coap_encode_var_safe(buf, sizeof buf, (unsigned)spec->accept), buf));
    if (spec->has_block1)
        coap_insert_optlist(&opts, coap_new_optlist(COAP_OPTION_BLOCK1,
                            coap_encode_var_safe(buf, sizeof buf, spec->block1), buf));
    uint8_t b8[8];
    if (spec->size1)
        coap_insert_optlist(&opts, coap_new_optlist(COAP_OPTION_SIZE1,
                            coap_encode_var_safe8(b8, sizeof b8, spec->size1), b8));
    /* libcoap 4.3.1 reports failure for an empty option list (DELETE / has none) */
    int ok = opts ? coap_add_optlist_pdu(pdu, &opts) : 1;
    coap_delete_optlist(opts);
    if (ok && spec->payload_len)
        ok = coap_add_data(pdu, spec->payload_len, spec->payload);
    if (!ok) {
        coap_delete_pdu(pdu);
        free(x);
        return lc_error_set(err, LC_EINVAL, "request too large for one CoAP message");
    }

    coap_fixed_point_t ack = {n->ack_timeout_ms / 1000, n->ack_timeout_ms % 1000};
    coap_session_set_ack_timeout(session, ack);
    coap_session_set_max_retransmit(session, n->max_retransmit);

    net_message m;
    if (net_message_from_pdu(&m, pdu) == 0) {
        trace_message(n, endpoint, session, false, &m, pdu, true, spec->confidential);
        net_message_clear(&m);
    }
    x->id = ++n->next_exchange_id;
    x->session = coap_session_reference(session);
    x->endpoint = endpoint;
    x->observing = spec->observe == 0;
    x->sent_at = mono_ms();
    x->next = n->exchanges;
    n->exchanges = x;
    n->exchange_count++;
    x->mid = coap_send(session, pdu);
    if (x->mid == COAP_INVALID_MID) {
        exchange_remove(n, x);
        return lc_error_set(err, LC_EIO, "libcoap could not send the request to the device");
    }
    *exchange_id = x->id;
    return 0;
}

struct await_arg {
    uint64_t id;
    bool notification;
};

static bool match_exchange(const net_event *ev, void *arg)
{
    const struct await_arg *a = arg;
    if (ev->exchange_id != a->id)
        return false;
    return a->notification ? ev->kind == NET_EV_NOTIFICATION
                           : ev->kind == NET_EV_RESPONSE || ev->kind == NET_EV_NACK;
}

int net_await_response(net_ctx *n, uint64_t exchange_id, uint64_t deadline, net_event **out)
{
    struct await_arg a = {exchange_id, false};
    int r = net_wait(n, match_exchange, &a, deadline, out);
    if (r == LC_ETIMEDOUT) {
        struct exchange *x = exchange_by_id(n, exchange_id);
        if (x)
            x->abandoned = true;
    }
    if (r == 0 && (*out)->kind == NET_EV_NACK)
        return LC_ENACK;
    return r;
}

int net_await_notification(net_ctx *n, uint64_t exchange_id, uint64_t deadline, net_event **out)
{
    struct await_arg a = {exchange_id, true};
    return net_wait(n, match_exchange, &a, deadline, out);
}

void net_reset_next_notification(net_ctx *n, uint64_t exchange_id)
{
    struct exchange *x = exchange_by_id(n, exchange_id);
    if (x && x->observing)
        x->reset_next = true;
}

void net_forget_observation(net_ctx *n, uint64_t exchange_id)
{
    struct exchange *x = exchange_by_id(n, exchange_id);
    if (x)
        exchange_remove(n, x);
}

/* ---- set-up ------------------------------------------------------------------------- */

static void clamp_retransmission(net_ctx *n);

net_ctx *net_new(const net_options *opt, lc_error *err)
{
    coap_startup();
    net_ctx *n = calloc(1, sizeof *n);
    if (!n) {
        lc_error_set(err, LC_ENOMEM, "out of memory");
        return NULL;
    }
    n->log = opt ? opt->log : NULL;
    n->ack_timeout_ms = opt && opt->ack_timeout_ms ? opt->ack_timeout_ms : 2000;
    n->max_retransmit = opt && opt->max_retransmit ? opt->max_retransmit : 4;
    clamp_retransmission(n);
    n->t0 = mono_ms();
    n->queue_limit = NET_MAX_QUEUED_EVENTS;
    n->coap = coap_new_context(NULL);
    if (!n->coap) {
        free(n);
        lc_error_set(err, LC_EIO, "libcoap could not create a context");
        return NULL;
    }
    coap_set_app_data(n->coap, n);
    /* A flood of ClientHellos or of source ports must not grow the session table.
     * libcoap 4.3.1: past NET_MAX_SESSIONS unreferenced sessions it frees the oldest for
     * each new peer (sessions a registration or a queued event holds are never freed);
     * idle sessions are closed after NET_SESSION_IDLE_S. Past NET_MAX_HANDSHAKES sessions
     * still at their ClientHello it ignores new ClientHellos until the oldest is 30 s
     * old: memory stays bounded (an Mbed TLS context each, ~40 KB), registered devices
     * are unaffected, but a device starting its handshake during such a flood waits for
     * it to end (docs/reliability.md). */
    coap_context_set_max_idle_sessions(n->coap, NET_MAX_SESSIONS);
    coap_context_set_max_handshake_sessions(n->coap, NET_MAX_HANDSHAKES);
    coap_context_set_session_timeout(n->coap, NET_SESSION_IDLE_S);
    coap_context_set_block_mode(n->coap, COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY);
    coap_register_response_handler(n->coap, on_response);
    coap_register_nack_handler(n->coap, on_nack);
    coap_register_event_handler(n->coap, on_coap_event);

    coap_resource_t *r = coap_resource_unknown_init2(on_request, 0);
    if (!r) {
        net_free(n);
        lc_error_set(err, LC_ENOMEM, "out of memory");
        return NULL;
    }
    coap_register_request_handler(r, COAP_REQUEST_GET, on_request);
    coap_register_request_handler(r, COAP_REQUEST_POST, on_request);
    coap_register_request_handler(r, COAP_REQUEST_DELETE, on_request);
    coap_register_request_handler(r, COAP_REQUEST_FETCH, on_request);
    coap_add_resource(n->coap, r);

    if (opt && opt->ciphersuites && *opt->ciphersuites) {
        snprintf(n->ciphersuites, sizeof n->ciphersuites, "%s", opt->ciphersuites);
        if (!coap_dtls_set_ciphersuites(n->coap, n->ciphersuites)) {
            net_free(n);
            lc_error_set(err, LC_EINVAL, "libcoap refused the cipher suites %s", opt->ciphersuites);
            return NULL;
        }
    }

    coap_dtls_spsk_t spsk;
    memset(&spsk, 0, sizeof spsk);
    spsk.version = COAP_DTLS_SPSK_SETUP_VERSION;
    spsk.validate_id_call_back = validate_identity;
    spsk.id_call_back_arg = n;
    /* a non-empty default hint keeps libcoap's PSK set-up path active; the callback
     * decides per endpoint */
    spsk.psk_info.hint.s = (const uint8_t *)"lwm2m-conform";
    spsk.psk_info.hint.length = 13;
    spsk.psk_info.key.s = (const uint8_t *)"unused-default-key";
    spsk.psk_info.key.length = 18;
    if (coap_dtls_is_supported() && !coap_context_set_psk2(n->coap, &spsk)) {
        net_free(n);
        lc_error_set(err, LC_EIO, "libcoap refused the DTLS-PSK set-up");
        return NULL;
    }
    return n;
}

void net_free(net_ctx *n)
{
    if (!n)
        return;
    n->closing = true;
    net_drop(n, NULL, NULL);
    while (n->exchanges)
        exchange_remove(n, n->exchanges);
    if (n->coap)
        coap_free_context(n->coap);
    while (n->sessions) {
        struct session_state *st = n->sessions;
        n->sessions = st->next;
        free(st);
    }
    /* wipe key material before the memory goes back to the allocator */
    for (size_t i = 0; i < n->ep_count; i++)
        memset(n->eps[i].key, 0, sizeof n->eps[i].key);
    free(n);
}

int net_add_endpoint(net_ctx *n, const net_endpoint_config *cfg, lc_error *err)
{
    if (n->ep_count == NET_MAX_ENDPOINTS)
        return lc_error_set(err, LC_EINVAL, "too many endpoints");
    if (cfg->secure && !coap_dtls_is_supported())
        return lc_error_set(err, LC_EUNSUPPORTED, "this libcoap has no DTLS support");
    if (cfg->psk_identity_len > sizeof n->eps[0].identity || cfg->psk_key_len > sizeof n->eps[0].key)
        return lc_error_set(err, LC_EINVAL, "%s: PSK identity or key longer than 128 bytes", cfg->name);
    if (cfg->secure && (cfg->psk_identity_len == 0 || cfg->psk_key_len == 0))
        return lc_error_set(err, LC_EINVAL, "%s: DTLS-PSK needs a PSK identity and a key", cfg->name);

    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM,
                             .ai_flags = AI_NUMERICHOST | AI_PASSIVE}, *ai = NULL;
    const char *addr = cfg->bind_addr && *cfg->bind_addr ? cfg->bind_addr : "127.0.0.1";
    char portstr[8];
    snprintf(portstr, sizeof portstr, "%u", cfg->port);
    if (getaddrinfo(addr, portstr, &hints, &ai) != 0 || !ai)
        return lc_error_set(err, LC_EINVAL, "%s: cannot use bind address \"%s\" (give a numeric "
                            "IPv4 or IPv6 address)", cfg->name, addr);

    /* Probe the port first: libcoap only logs a bind failure, and the user needs to hear
     * "port in use" plainly. */
    int fd = socket(ai->ai_family, SOCK_DGRAM, 0);
    if (fd >= 0 && cfg->port != 0 && bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno == EADDRINUSE) {
        close(fd);
        freeaddrinfo(ai);
        return lc_error_set(err, LC_EBUSY, "%s: UDP port %u on %s is already in use (choose "
                            "another with --port %d=PORT, or 0 for any free port)", cfg->name,
                            cfg->port, addr, cfg->short_server_id);
    }
    if (fd >= 0)
        close(fd);

    coap_address_t la;
    coap_address_init(&la);
    memcpy(&la.addr, ai->ai_addr, ai->ai_addrlen);
    la.size = ai->ai_addrlen;
    freeaddrinfo(ai);

    struct net_endpoint *ep = &n->eps[n->ep_count];
    memset(ep, 0, sizeof *ep);
    snprintf(ep->name, sizeof ep->name, "%s", cfg->name ? cfg->name : "server");
    ep->ssid = cfg->short_server_id;
    ep->role = cfg->role;
    ep->secure = cfg->secure;
    snprintf(ep->bind_addr, sizeof ep->bind_addr, "%s", addr);
    if (cfg->psk_identity_len) /* NoSec: NULL and 0, which memcpy must not be given */
        memcpy(ep->identity, cfg->psk_identity, cfg->psk_identity_len);
    ep->identity_len = cfg->psk_identity_len;
    if (cfg->psk_key_len)
        memcpy(ep->key, cfg->psk_key, cfg->psk_key_len);
    ep->key_len = cfg->psk_key_len;
    ep->key_bin.s = ep->key;
    ep->key_bin.length = ep->key_len;
    ep->ep = coap_new_endpoint(n->coap, &la, cfg->secure ? COAP_PROTO_DTLS : COAP_PROTO_UDP);
    if (!ep->ep)
        return lc_error_set(err, LC_EBUSY, "%s: cannot listen on %s port %u (in use, or the "
                            "address is not on this machine)", cfg->name, addr, cfg->port);
    /* 4.3.1 has no getter for the bound address; its printable form ends in ":PORT PROTO" */
    const char *desc = coap_endpoint_str(ep->ep);
    const char *sp = desc ? strrchr(desc, ' ') : NULL;
    const char *colon = NULL;
    for (const char *q = desc; q && q < sp; q++)
        if (*q == ':')
            colon = q;
    ep->port = colon ? (uint16_t)strtoul(colon + 1, NULL, 10) : cfg->port;
    return (int)n->ep_count++;
}

size_t net_endpoint_count(const net_ctx *n) { return n->ep_count; }
uint16_t net_endpoint_port(const net_ctx *n, int e) { return n->eps[e].port; }
const char *net_endpoint_name(const net_ctx *n, int e) { return e >= 0 ? n->eps[e].name : "?"; }
int net_endpoint_ssid(const net_ctx *n, int e) { return n->eps[e].ssid; }
net_role net_endpoint_role(const net_ctx *n, int e) { return n->eps[e].role; }
logger *net_logger(const net_ctx *n) { return n->log; }

int net_endpoint_by_ssid(const net_ctx *n, int ssid)
{
    for (size_t i = 0; i < n->ep_count; i++)
        if (n->eps[i].ssid == ssid)
            return (int)i;
    return -1;
}

/* libcoap 4.3.1 silently ignores an ACK_TIMEOUT under 1 s and a MAX_RETRANSMIT of 0
 * (coap_session_set_ack_timeout/_max_retransmit keep the session's previous values, 2 s
 * and 4), which would make a "fast" setting the slowest one: use the nearest values it
 * accepts, and say so. */
static void clamp_retransmission(net_ctx *n)
{
    if (n->ack_timeout_ms < 1000) {
        log_warn(n->log, "ACK timeout %u ms raised to 1000 ms (the least libcoap accepts)",
                 n->ack_timeout_ms);
        n->ack_timeout_ms = 1000;
    }
    if (n->max_retransmit == 0) {
        log_warn(n->log, "0 retransmissions raised to 1 (the least libcoap accepts)");
        n->max_retransmit = 1;
    }
}

void net_set_retransmission(net_ctx *n, unsigned ack_timeout_ms, unsigned max_retransmit)
{
    if (ack_timeout_ms)
        n->ack_timeout_ms = ack_timeout_ms;
    n->max_retransmit = max_retransmit;
    clamp_retransmission(n);
}
