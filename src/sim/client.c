#include "sim/client.h"
#include "sim/client_int.h"
#include "sim/regretry.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <coap3/coap.h>

#include "common/mono.h"
#include "lwm2m/content/value.h"
#include "sim/bootstrap.h"
#include "sim/bspack.h"
#include "sim/live.h"
#include "sim/formats.h"
#include "sim/composite.h"
#include "sim/fw.h"
#include "sim/observe.h"
#include "sim/send.h"
#include "sim/ops.h"
#include "sim/persist.h"
#include "sim/simlog.h"

#define BOOTSTRAP_IDLE_MS 120000u  /* no Bootstrap-Finish this long after the last request */
#define BACKOFF_FIRST_MS 1000u
#define BACKOFF_MAX_MS 60000u
#define DEREGISTER_WAIT_MS 2000u
#define REBOOT_DELAY_MS 500u      /* lets the 2.04 to Execute /3/0/4 leave first */
#define LOOP_MAX_WAIT_MS 1000u    /* bounds the wait so a signal is seen promptly */

/* ---- small helpers ---- */

static const char *method_name(int m)
{
    switch (m) {
    case COAP_REQUEST_CODE_GET: return "GET";
    case COAP_REQUEST_CODE_POST: return "POST";
    case COAP_REQUEST_CODE_PUT: return "PUT";
    case COAP_REQUEST_CODE_DELETE: return "DELETE";
    case COAP_REQUEST_CODE_FETCH: return "FETCH";
    case COAP_REQUEST_CODE_IPATCH: return "iPATCH";
    default: return "?";
    }
}

static int coap_code_to_int(coap_pdu_code_t c)
{
    return ((int)c >> 5) * 100 + ((int)c & 0x1f);
}

static coap_pdu_code_t int_to_coap_code(int code)
{
    return (coap_pdu_code_t)COAP_RESPONSE_CODE(code);
}

static void backoff(sim_server *s, uint64_t now)
{
    if (s->backoff_ms == 0)
        s->backoff_ms = BACKOFF_FIRST_MS;
    s->next_attempt = now + s->backoff_ms;
    s->backoff_ms = s->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : s->backoff_ms * 2;
    s->state = SRV_IDLE;
}

static sim_server *server_by_ssid(sim_client *cl, int ssid)
{
    for (size_t i = 0; i < cl->nservers; i++)
        if (cl->servers[i].ssid == ssid)
            return &cl->servers[i];
    return NULL;
}

static void register_secrets(sim_client *cl)
{
    uint16_t ids[MAX_IDS];
    size_t n = sim_store_instances(cl->dev->store, 0, ids, MAX_IDS);
    for (size_t k = 0; k < n && k < MAX_IDS; k++) {
        lwm2m_path p = {.ids = {0, ids[k], 5, LWM2M_ID_NONE}, .depth = 3};
        const lwm2m_record *r = sim_store_get(cl->dev->store, &p);
        if (r && (r->type == LV_OPAQUE || r->type == LV_STRING) && r->len)
            logger_add_secret(cl->lg, r->bytes, r->len);
    }
}

/* ---- accounts ---- */

static bool get_opaque(const sim_store *st, int x, int res, uint8_t *out, size_t *len)
{
    lwm2m_path p = {.ids = {0, x, res, LWM2M_ID_NONE}, .depth = 3};
    const lwm2m_record *r = sim_store_get(st, &p);
    *len = 0;
    if (!r || (r->type != LV_OPAQUE && r->type != LV_STRING) || r->len > CONFIG_PSK_MAX)
        return false;
    memcpy(out, r->bytes, r->len);
    *len = r->len;
    return true;
}

static void server_init(sim_server *s, int ssid, bool is_bootstrap)
{
    memset(s, 0, sizeof *s);
    s->ssid = ssid;
    s->is_bootstrap = is_bootstrap;
    s->disable_after_s = -1;
    s->server_inst = -1;
    s->state = SRV_IDLE;
    if (is_bootstrap)
        snprintf(s->name, sizeof s->name, "bootstrap server");
    else
        snprintf(s->name, sizeof s->name, "server %d", ssid);
}

static void account_from_store(const sim_store *st, int sec, sim_server *s)
{
    const char *uri = sim_store_get_string(st, 0, sec, 0);
    snprintf(s->uri, sizeof s->uri, "%s", uri ? uri : "");
    get_opaque(st, sec, 3, s->identity, &s->identity_len);
    get_opaque(st, sec, 5, s->key, &s->key_len);
}

/* Builds the server list from the accounts in st (the device's store, or the factory
 * copy for the bootstrap-keep-old-account fault). */
static void load_servers(sim_client *cl, const sim_store *st)
{
    const sim_faults *f = &cl->dev->faults;
    uint16_t ids[MAX_IDS];
    size_t n = sim_store_instances(st, 1, ids, MAX_IDS);
    cl->nservers = 0;
    for (size_t k = 0; k < n && k < MAX_IDS && cl->nservers < CONFIG_MAX_ACCOUNTS; k++) {
        int64_t ssid;
        if (!sim_store_get_int(st, 1, ids[k], 0, &ssid))
            continue;
        int sec = sim_device_security_instance(st, (int)ssid);
        if (sec < 0) {
            sim_logf(cl->lg, LOG_LVL_WARN, "server %lld has no Security instance; not registering",
                     (long long)ssid);
            continue;
        }
        if (ssid == 2 && sim_fault_on(f, SIM_FAULT_SKIP_SECOND_SERVER)) {
            sim_logf(cl->lg, LOG_LVL_INFO, "fault skip-second-server: never registering with server 2");
            continue;
        }
        sim_server *s = &cl->servers[cl->nservers++];
        server_init(s, (int)ssid, false);
        s->server_inst = ids[k];
        account_from_store(st, sec, s);
        if (ssid == 2 && sim_fault_on(f, SIM_FAULT_WRONG_IDENTITY)) {
            int sec1 = sim_device_security_instance(st, 1);
            if (sec1 >= 0) {
                get_opaque(st, sec1, 3, s->identity, &s->identity_len);
                sim_logf(cl->lg, LOG_LVL_INFO,
                         "fault wrong-identity: using server 1's PSK identity with server 2");
            }
        }
    }
}

/* ---- sessions ---- */

static int open_session(sim_client *cl, sim_server *s, lc_error *err)
{
    char scheme[16], host[256], port_s[8];
    uint16_t port = 0;
    if (config_parse_uri(s->uri, scheme, sizeof scheme, host, sizeof host, &port, err) != 0)
        return lc_error_prefix(err, "%s: ", s->name);
    snprintf(port_s, sizeof port_s, "%u", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM}, *res = NULL;
    int gai = getaddrinfo(host, port_s, &hints, &res);
    if (gai != 0 || !res)
        return lc_error_set(err, LC_EIO, "%s: cannot resolve %s: %s", s->name, host,
                            gai_strerror(gai));
    coap_address_t dst, local, *lp = NULL;
    coap_address_init(&dst);
    dst.size = (socklen_t)res->ai_addrlen;
    memcpy(&dst.addr, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    if (cl->local_port) {
        /* every session from the same local port, as an embedded device with one socket:
         * libcoap binds each session's socket with SO_REUSEADDR and connects it to its
         * server, so the kernel hands each socket its own server's datagrams */
        coap_address_init(&local);
        local.addr.sa.sa_family = dst.addr.sa.sa_family;
        if (dst.addr.sa.sa_family == AF_INET6) {
            local.size = sizeof local.addr.sin6;
            local.addr.sin6.sin6_port = htons(cl->local_port);
        } else {
            local.size = sizeof local.addr.sin;
            local.addr.sin.sin_port = htons(cl->local_port);
        }
        lp = &local;
    }

    if (strcmp(scheme, "coaps") == 0) {
        if (s->identity_len == 0 || s->key_len == 0)
            return lc_error_set(err, LC_EINVAL, "%s: %s needs a PSK identity and key", s->name,
                                s->uri);
        coap_dtls_cpsk_t setup;
        memset(&setup, 0, sizeof setup);
        setup.version = COAP_DTLS_CPSK_SETUP_VERSION;
        setup.psk_info.identity.s = s->identity;
        setup.psk_info.identity.length = s->identity_len;
        setup.psk_info.key.s = s->key;
        setup.psk_info.key.length = s->key_len;
        s->session = coap_new_client_session_psk2(cl->ctx, lp, &dst, COAP_PROTO_DTLS, &setup);
    } else {
        s->session = coap_new_client_session(cl->ctx, lp, &dst, COAP_PROTO_UDP);
    }
    if (!s->session && cl->local_port)
        return lc_error_set(err, LC_EIO, "%s: cannot open a session to %s from local port %u "
                            "(in use by another program?)", s->name, s->uri, cl->local_port);
    if (!s->session)
        return lc_error_set(err, LC_EIO, "%s: cannot open a session to %s", s->name, s->uri);
    coap_session_set_app_data(s->session, s);
    return 0;
}

static void drop_delayed_for(sim_client *cl, coap_session_t *session)
{
    for (size_t i = 0; i < cl->ndelayed;) {
        if (cl->delayed[i].session == session) {
            coap_session_release(cl->delayed[i].session);
            free(cl->delayed[i].payload);
            cl->delayed[i] = cl->delayed[--cl->ndelayed];
        } else {
            i++;
        }
    }
}

static void close_session(sim_client *cl, sim_server *s)
{
    if (!s->session)
        return;
    sim_observe_remove_session(&cl->obs, s->session);
    drop_delayed_for(cl, s->session);
    coap_session_set_app_data(s->session, NULL);
    /* After an ICMP error libcoap keeps the unsent request in its retransmission queue,
     * holding a reference; releasing ours alone would let that retransmission outlive the
     * session (a use after free in libcoap 4.3.1). Cancel what is queued first. */
    coap_session_disconnected(s->session, COAP_NACK_NOT_DELIVERABLE);
    coap_session_release(s->session);
    s->session = NULL;
    s->reset_session = false;
}

/* ---- callbacks (no session is released in here) ---- */

static void notify_before_cancel(sim_client *cl, sim_server *s, coap_session_t *session,
                                 const uint8_t *token, size_t token_len, const lwm2m_path *path);

static sim_server *server_of(coap_session_t *session)
{
    return session ? coap_session_get_app_data(session) : NULL;
}

static sim_client *client_of(coap_session_t *session)
{
    return coap_get_app_data(coap_session_get_context(session));
}

static void request_failed(sim_client *cl, sim_server *s, const char *why)
{
    uint64_t now = mono_ms();
    s->token_len = 0;
    s->reset_session = true;
    switch (s->state) {
    case SRV_REGISTERING:
        if (!s->is_bootstrap && s->reg_failures++ == 0)
            s->first_failure = now;
        if (!s->is_bootstrap && cl->registration_retry) {
            sim_regretry r;
            sim_regretry_read(cl->dev->store, s->server_inst,
                              sim_fault_on(&cl->dev->faults, SIM_FAULT_IGNORE_RETRY_TIMERS), &r);
            int64_t ms = sim_regretry_next_ms(&r, s->reg_failures);
            s->state = SRV_IDLE;
            if (ms < 0) {
                s->retries_spent = true;
                s->next_attempt = UINT64_MAX;
                sim_logf(cl->lg, LOG_LVL_WARN, "%s: Register failed (%s), attempt %u: every "
                         "registration sequence is spent (/1/%d/17-20: %u Registers, %u s "
                         "doubling, %u sequence(s))", s->name, why, s->reg_failures,
                         s->server_inst, r.retry_count, r.retry_timer_s, r.sequence_count);
            } else {
                s->next_attempt = now + (uint64_t)ms;
                sim_logf(cl->lg, LOG_LVL_WARN, "%s: Register failed (%s), attempt %u; retrying "
                         "in %lld ms (/1/%d/17-20)", s->name, why, s->reg_failures,
                         (long long)ms, s->server_inst);
            }
            break;
        }
        sim_logf(cl->lg, LOG_LVL_WARN, "%s: %s failed (%s); retrying in %u ms", s->name,
                 s->is_bootstrap ? "Bootstrap-Request" : "Register", why,
                 s->backoff_ms ? s->backoff_ms : BACKOFF_FIRST_MS);
        backoff(s, now);
        break;
    case SRV_UPDATING:
    case SRV_REGISTERED:
        sim_logf(cl->lg, LOG_LVL_WARN, "%s: connection lost (%s); registering again", s->name, why);
        backoff(s, now);
        break;
    case SRV_DEREGISTERING:
        s->state = s->disable_after_s >= 0 ? SRV_DISABLED : SRV_DONE;
        s->disable_until = now + (uint64_t)(s->disable_after_s > 0 ? s->disable_after_s : 0) * 1000u;
        break;
    default: break;
    }
}

static void location_of(const coap_pdu_t *pdu, char *out, size_t cap)
{
    coap_opt_iterator_t it;
    coap_opt_filter_t f;
    coap_opt_t *o;
    size_t used = 0;
    out[0] = '\0';
    coap_option_filter_clear(&f);
    coap_option_filter_set(&f, COAP_OPTION_LOCATION_PATH);
    coap_option_iterator_init(pdu, &it, &f);
    while ((o = coap_option_next(&it)) && used < cap) {
        int n = snprintf(out + used, cap - used, "%s%.*s", used ? "/" : "",
                         (int)coap_opt_length(o), (const char *)coap_opt_value(o));
        if (n > 0)
            used += (size_t)n;
    }
}

static coap_response_t on_response(coap_session_t *session, const coap_pdu_t *sent,
                                   const coap_pdu_t *received, const coap_mid_t mid)
{
    (void)sent;
    (void)mid;
    sim_client *fcl = client_of(session);
    if (fcl && sim_fw_on_response(fcl->fw, session, received))
        return COAP_RESPONSE_OK;
    sim_server *s = server_of(session);
    if (!s)
        return COAP_RESPONSE_OK;
    sim_client *cl = client_of(session);
    coap_bin_const_t tok = coap_pdu_get_token(received);
    if (s->token_len == 0 || tok.length != s->token_len || memcmp(tok.s, s->token, s->token_len))
        return COAP_RESPONSE_OK;
    s->token_len = 0;
    int code = coap_code_to_int(coap_pdu_get_code(received));
    uint64_t now = mono_ms();
    char ct[8];
    switch (s->state) {
    case SRV_REGISTERING:
        if (s->is_bootstrap && s->bspack_sent) {
            /* a pack it can apply ends bootstrap; anything else: POST /bs (sim/bspack.h) */
            char why[200] = "not 2.05";
            size_t len = 0;
            const uint8_t *data = NULL;
            s->bspack_sent = false;
            s->bspack_tried = true;
            coap_opt_iterator_t oi;
            coap_opt_t *cfo = coap_check_option(received, COAP_OPTION_CONTENT_FORMAT, &oi);
            int cf = cfo ? (int)coap_decode_var_bytes(coap_opt_value(cfo), coap_opt_length(cfo))
                         : CF_SENML_CBOR;
            if (code == 205 && coap_get_data(received, &len, &data) &&
                sim_bspack_apply(cl->dev, cf, data, len, why, sizeof why) == 0) {
                sim_logf(cl->lg, LOG_LVL_INFO, "%s: Bootstrap-Pack applied (%zu bytes); leaving "
                         "bootstrap", s->name, len);
                register_secrets(cl);
                s->state = SRV_REGISTERED;
                cl->bs_finished = true;
                break;
            }
            sim_logf(cl->lg, LOG_LVL_INFO, "%s: Bootstrap-Pack-Request answered %s (%s); falling "
                     "back to the Bootstrap-Request", s->name, sim_code_text(code, ct), why);
            s->state = SRV_IDLE;
            s->next_attempt = now;
        } else if (s->is_bootstrap) {
            if (code == 204) {
                sim_logf(cl->lg, LOG_LVL_INFO, "%s: Bootstrap-Request accepted (2.04)", s->name);
                s->state = SRV_REGISTERED;
                s->backoff_ms = 0;
                s->deadline = now + BOOTSTRAP_IDLE_MS;
            } else {
                sim_logf(cl->lg, LOG_LVL_WARN, "%s: Bootstrap-Request answered %s; retrying",
                         s->name, sim_code_text(code, ct));
                backoff(s, now);
            }
        } else if (code == 201) {
            location_of(received, s->location, sizeof s->location);
            sim_logf(cl->lg, LOG_LVL_INFO, "%s: registered as /%s (lt=%lld)", s->name, s->location,
                     (long long)s->lifetime);
            s->state = SRV_REGISTERED;
            s->backoff_ms = 0;
            s->reg_failures = 0;
            sim_msg_schedule_update(cl, s, now);
        } else if (code == 412 && (s->reg_minor > cl->dev->lwm2m_minor ||
                                   sim_device_fall_back(cl->dev))) {
            /* LwM2M 1.1 §6.2.1: 4.12 asks the client to register with an older version (once
             * per version: another server may have refused the same one already) */
            sim_logf(cl->lg, LOG_LVL_INFO, "%s: Register answered 4.12; registering as LwM2M %s",
                     s->name, sim_device_version(cl->dev));
            s->state = SRV_IDLE;
            s->next_attempt = now;
        } else {
            sim_logf(cl->lg, LOG_LVL_WARN, "%s: Register answered %s; retrying", s->name,
                     sim_code_text(code, ct));
            backoff(s, now);
        }
        break;
    case SRV_UPDATING:
        if (code == 204 ||
            (code == 404 && sim_fault_on(&cl->dev->faults, SIM_FAULT_UPDATE_404_KEEP))) {
            s->state = SRV_REGISTERED;
            sim_msg_schedule_update(cl, s, now);
        } else {
            sim_logf(cl->lg, LOG_LVL_WARN, "%s: Update answered %s; registering again", s->name,
                     sim_code_text(code, ct));
            s->state = SRV_IDLE;
            s->next_attempt = now;
        }
        break;
    case SRV_DEREGISTERING:
        sim_logf(cl->lg, LOG_LVL_INFO, "%s: de-registered (%s)", s->name, sim_code_text(code, ct));
        s->location[0] = '\0';
        if (s->disable_after_s >= 0) {
            s->state = SRV_DISABLED;
            s->disable_until = now + (uint64_t)s->disable_after_s * 1000u;
            s->disable_after_s = -1;
        } else {
            s->state = SRV_DONE;
        }
        break;
    default: break;
    }
    return COAP_RESPONSE_OK;
}

static void on_nack(coap_session_t *session, const coap_pdu_t *sent,
                    const coap_nack_reason_t reason, const coap_mid_t mid)
{
    sim_client *fcl = client_of(session);
    if (fcl && sim_fw_on_nack(fcl->fw, session))
        return;
    sim_server *s = server_of(session);
    if (!s)
        return;
    sim_client *cl = client_of(session);
    static const char *const reasons[] = {"no answer after retransmissions", "not deliverable",
                                          "reset", "DTLS handshake failed", "ICMP error"};
    const char *why = (unsigned)reason < 5 ? reasons[reason] : "failed";
    if (sent && coap_pdu_get_code(sent) >= 64) {
        /* a notification the server reset or never acknowledged: observation over */
        if (reason == COAP_NACK_RST && sim_fault_on(&cl->dev->faults, SIM_FAULT_IGNORE_CANCEL)) {
            sim_logf(cl->lg, LOG_LVL_DEBUG, "%s: Reset of a notification ignored (fault "
                     "ignore-cancel)", s->name);
            return;
        }
        if (sim_observe_remove_mid(&cl->obs, session, mid))
            sim_logf(cl->lg, LOG_LVL_DEBUG, "%s: observation cancelled (%s)", s->name, why);
        return;
    }
    if (sent) {
        coap_bin_const_t tok = coap_pdu_get_token(sent);
        if (s->token_len && tok.length == s->token_len && memcmp(tok.s, s->token, s->token_len) == 0)
            request_failed(cl, s, why);
    } else if (reason == COAP_NACK_TLS_FAILED && s->token_len) {
        request_failed(cl, s, why);
    }
}

static int on_event(coap_session_t *session, const coap_event_t event)
{
    sim_server *s = server_of(session);
    if (!s)
        return 0;
    sim_client *cl = client_of(session);
    switch (event) {
    case COAP_EVENT_DTLS_CONNECTED:
        sim_logf(cl->lg, LOG_LVL_DEBUG, "%s: DTLS session established", s->name);
        break;
    case COAP_EVENT_DTLS_ERROR:
    case COAP_EVENT_DTLS_CLOSED:
    case COAP_EVENT_SESSION_FAILED:
        if (s->state != SRV_DONE && s->state != SRV_IDLE && s->state != SRV_DISABLED)
            request_failed(cl, s,
                           event == COAP_EVENT_DTLS_ERROR ? "DTLS handshake failed"
                           : event == COAP_EVENT_DTLS_CLOSED ? "DTLS session closed"
                                                             : "session failed");
        s->reset_session = true;
        break;
    default: break;
    }
    return 0;
}

/* ---- serving requests ---- */

typedef struct req_copy {
    char path[256];
    char qbuf[MAX_QUERIES][256];
    const char *queries[MAX_QUERIES];
    char query_text[512];
} req_copy;

static unsigned opt_uint(const coap_pdu_t *pdu, uint16_t opt, int absent)
{
    coap_opt_iterator_t it;
    coap_opt_t *o = coap_check_option(pdu, opt, &it);
    return o ? coap_decode_var_bytes(coap_opt_value(o), coap_opt_length(o)) : (unsigned)absent;
}

static void read_request(const coap_pdu_t *pdu, sim_request *req, req_copy *c)
{
    memset(req, 0, sizeof *req);
    coap_opt_iterator_t it;
    coap_opt_filter_t f;
    coap_opt_t *o;
    size_t used = 0;
    c->path[0] = '\0';
    coap_option_filter_clear(&f);
    coap_option_filter_set(&f, COAP_OPTION_URI_PATH);
    coap_option_iterator_init(pdu, &it, &f);
    while ((o = coap_option_next(&it)) && used < sizeof c->path) {
        int n = snprintf(c->path + used, sizeof c->path - used, "%s%.*s", used ? "/" : "",
                         (int)coap_opt_length(o), (const char *)coap_opt_value(o));
        if (n > 0)
            used += (size_t)n;
    }
    size_t nq = 0, qused = 0;
    c->query_text[0] = '\0';
    coap_option_filter_clear(&f);
    coap_option_filter_set(&f, COAP_OPTION_URI_QUERY);
    coap_option_iterator_init(pdu, &it, &f);
    while ((o = coap_option_next(&it)) && nq < MAX_QUERIES) {
        snprintf(c->qbuf[nq], sizeof c->qbuf[nq], "%.*s", (int)coap_opt_length(o),
                 (const char *)coap_opt_value(o));
        c->queries[nq] = c->qbuf[nq];
        if (qused < sizeof c->query_text) {
            int n = snprintf(c->query_text + qused, sizeof c->query_text - qused, "%s%s",
                             nq ? "&" : "?", c->qbuf[nq]);
            if (n > 0)
                qused += (size_t)n;
        }
        nq++;
    }
    req->method = coap_pdu_get_code(pdu);
    req->uri_path = c->path;
    req->queries = c->queries;
    req->query_count = nq;
    req->accept = (int)opt_uint(pdu, COAP_OPTION_ACCEPT, CF_NONE);
    req->content_format = (int)opt_uint(pdu, COAP_OPTION_CONTENT_FORMAT, CF_NONE);
    req->observe = (int)opt_uint(pdu, COAP_OPTION_OBSERVE, -1);
    size_t len = 0;
    const uint8_t *data = NULL;
    if (coap_get_data(pdu, &len, &data)) {
        req->payload = data;
        req->payload_len = len;
    }
}

/* Fills a response PDU (piggy-backed, separate, or a notification). */
static bool fill_response(coap_pdu_t *pdu, int code, int cf, const uint8_t *payload, size_t len,
                          const char *location, bool observe, uint32_t seq)
{
    coap_pdu_set_code(pdu, int_to_coap_code(code));
    if (observe)
        sim_msg_add_uint(pdu, COAP_OPTION_OBSERVE, seq & 0xffffffu);
    if (location && location[0])
        sim_msg_add_path(pdu, COAP_OPTION_LOCATION_PATH, location);
    if (cf != CF_NONE)
        sim_msg_add_uint(pdu, COAP_OPTION_CONTENT_FORMAT, (unsigned)cf);
    if (len && !coap_add_data(pdu, len, payload))
        return false;
    return true;
}

static void queue_delayed(sim_client *cl, coap_session_t *session, const coap_pdu_t *request,
                          sim_response *resp, uint32_t seq, uint64_t due)
{
    if (cl->ndelayed == cl->capdelayed) {
        size_t cap = cl->capdelayed ? cl->capdelayed * 2 : 8;
        sim_delayed *n = realloc(cl->delayed, cap * sizeof *n);
        if (!n)
            return;
        cl->delayed = n;
        cl->capdelayed = cap;
    }
    sim_delayed *d = &cl->delayed[cl->ndelayed++];
    memset(d, 0, sizeof *d);
    d->due = due;
    d->session = coap_session_reference(session);
    d->type = coap_pdu_get_type(request) == COAP_MESSAGE_CON ? COAP_MESSAGE_CON : COAP_MESSAGE_NON;
    coap_bin_const_t tok = coap_pdu_get_token(request);
    d->token_len = tok.length <= sizeof d->token ? tok.length : sizeof d->token;
    memcpy(d->token, tok.s, d->token_len);
    d->code = resp->code;
    d->content_format = resp->content_format;
    d->payload = resp->payload; /* ownership moves to the queue */
    d->payload_len = resp->payload_len;
    resp->payload = NULL;
    resp->payload_len = 0;
    snprintf(d->location, sizeof d->location, "%s", resp->location);
    d->observe = resp->observe;
    d->seq = seq;
}

static void save_state(sim_client *cl)
{
    lc_error err = {0};
    if (cl->state_file && cl->phase == PHASE_REGISTER &&
        sim_persist_save(cl->dev, cl->state_file, &err) != 0)
        sim_logf(cl->lg, LOG_LVL_WARN, "state not saved: %s", err.msg);
}

static void apply_effects(sim_client *cl, sim_server *s, const sim_effects *fx, uint64_t now)
{
    if (fx->changed) {
        if (fx->deleted)
            sim_observe_remove_under(&cl->obs, &fx->changed_path);
        sim_observe_mark_changed(&cl->obs, &fx->changed_path);
        bool instances_changed = fx->deleted || fx->changed_path.depth == 1;
        if (instances_changed && !s->is_bootstrap)
            for (size_t i = 0; i < cl->nservers; i++)
                if (cl->servers[i].state == SRV_REGISTERED || cl->servers[i].state == SRV_UPDATING) {
                    cl->servers[i].update_pending = true;
                    cl->servers[i].update_links = true;
                }
    }
    const sim_faults *f = &cl->dev->faults;
    if (fx->update_trigger_ssid && !sim_fault_on(f, SIM_FAULT_IGNORE_UPDATE_TRIGGER)) {
        sim_server *t = server_by_ssid(cl, fx->update_trigger_ssid);
        if (t)
            t->update_pending = true;
    }
    if (fx->reg_changed_ssid) {
        sim_server *t = server_by_ssid(cl, fx->reg_changed_ssid);
        if (t) {
            t->update_pending = true;
            t->update_params = true;
        }
    }
    if (fx->disable_ssid && !sim_fault_on(f, SIM_FAULT_IGNORE_DISABLE)) {
        sim_server *t = server_by_ssid(cl, fx->disable_ssid);
        if (t)
            t->disable_after_s = fx->disable_seconds > 0 ? fx->disable_seconds : 0;
    }
    if (fx->reboot || (fx->factory_reset && cl->reboot_mode != SIM_REBOOT_IN_PROCESS)) {
        cl->reboot_at = now + REBOOT_DELAY_MS;
        cl->factory_reset = fx->factory_reset;
    }
    if (fx->bootstrap_trigger)
        cl->bs_trigger_at = now + REBOOT_DELAY_MS; /* the 2.04 leaves first */
    if (fx->bootstrap_finish)
        cl->bs_finished = true;
    if (fx->secrets_changed)
        register_secrets(cl);
}

static void on_request(coap_resource_t *resource, coap_session_t *session,
                       const coap_pdu_t *request, const coap_string_t *query,
                       coap_pdu_t *response)
{
    (void)resource;
    (void)query;
    sim_client *cl = client_of(session);
    sim_server *s = server_of(session);
    if (!cl || !s) {
        coap_pdu_set_code(response, int_to_coap_code(404));
        return;
    }
    req_copy c;
    sim_request req;
    read_request(request, &req, &c);
    const char *m = method_name(req.method);
    char ct[8];

    lwm2m_path p;
    if (cl->dev->queue_mode && !s->is_bootstrap) {
        uint64_t now = mono_ms();
        if (now > s->awake_until) {
            /* queue mode: asleep since MAX_TRANSMIT_WAIT after its last message; a real
             * device's radio is off, so nothing is answered until its next Update */
            sim_logf(cl->lg, LOG_LVL_INFO, "%s: %s /%s%s while asleep (queue mode): not heard",
                     s->name, m, c.path, c.query_text);
            return;
        }
        s->awake_until = now + cl->max_transmit_wait_ms; /* its answer keeps it awake */
    }
    if (req.uri_path[0] && lwm2m_path_parse(req.uri_path, &p) == 0 &&
        sim_faults_no_response(&cl->dev->faults, &p)) {
        sim_logf(cl->lg, LOG_LVL_DEBUG, "%s: %s /%s%s → no response (fault no-response)", s->name,
                 m, c.path, c.query_text);
        return; /* an empty ACK for a CON, nothing for a NON */
    }
    if (req.uri_path[0] && lwm2m_path_parse(req.uri_path, &p) == 0 &&
        sim_faults_at(&cl->dev->faults, SIM_FAULT_CRASH_ON, &p)) {
        sim_logf(cl->lg, LOG_LVL_INFO, "%s: %s /%s%s → exiting with status %d (fault crash-on)",
                 s->name, m, c.path, c.query_text, SIM_CRASH_STATUS);
        fflush(NULL);
        _exit(SIM_CRASH_STATUS);
    }

    if (!s->is_bootstrap && sim_fw_handle(cl->fw, request, response)) {
        sim_logf(cl->lg, LOG_LVL_DEBUG, "%s: %s /%s → firmware update object", s->name, m, c.path);
        return;
    }
    sim_response resp;
    if (s->is_bootstrap)
        sim_bootstrap_handle(cl->dev, &req, &resp);
    else
        sim_ops_handle(cl->dev, s->ssid, &req, &resp);
    uint64_t now = mono_ms();

    uint32_t seq = 0;
    coap_bin_const_t tok = coap_pdu_get_token(request);
    if (resp.fx.observe_start) {
        if (sim_fault_on(&cl->dev->faults, SIM_FAULT_SINGLE_OBSERVATION) &&
            sim_observe_remove_session(&cl->obs, session))
            sim_logf(cl->lg, LOG_LVL_DEBUG, "%s: earlier observation dropped (fault "
                     "single-observation)", s->name);
        sim_observation *o = sim_observe_add(&cl->obs, s->ssid, session, tok.s, tok.length,
                                             &resp.fx.observe_path, req.accept, now);
        if (!o)
            resp.observe = false;
        else {
            sim_composite_observation(o, &resp.fx);
            sim_composite_remember_first(cl->dev, o, &resp);
        }
    } else if (resp.fx.observe_cancel &&
               sim_fault_on(&cl->dev->faults, SIM_FAULT_IGNORE_CANCEL)) {
        sim_logf(cl->lg, LOG_LVL_DEBUG, "%s: cancelling GET ignored (fault ignore-cancel)", s->name);
    } else if (resp.fx.observe_cancel) {
        if (sim_fault_on(&cl->dev->faults, SIM_FAULT_NOTIFY_BEFORE_CANCEL))
            notify_before_cancel(cl, s, session, tok.s, tok.length, &resp.fx.observe_path);
        if (!sim_observe_remove_token(&cl->obs, session, tok.s, tok.length))
            sim_observe_remove_path(&cl->obs, session, &resp.fx.observe_path);
    }

    char extra[256] = "";
    if (resp.payload_len)
        snprintf(extra, sizeof extra, " (%s, %zu bytes)", sim_cf_short(resp.content_format),
                 resp.payload_len);
    else if (resp.location[0])
        snprintf(extra, sizeof extra, " (Location-Path /%s)", resp.location);
    else if (resp.detail[0])
        snprintf(extra, sizeof extra, " (%s)", resp.detail);
    const char *obs_note = resp.fx.observe_start ? " [observe]" : resp.fx.observe_cancel ? " [cancel observe]" : "";

    bool drop = resp.fx.bootstrap_finish &&
                sim_fault_on(&cl->dev->faults, SIM_FAULT_BOOTSTRAP_NO_FINISH_RESPONSE);
    if (drop) {
        sim_logf(cl->lg, LOG_LVL_DEBUG, "%s: %s /%s → no response (fault bootstrap-no-finish-response)",
                 s->name, m, c.path);
    } else if (cl->dev->faults.late_response_ms) {
        queue_delayed(cl, session, request, &resp, seq, now + cl->dev->faults.late_response_ms);
        sim_logf(cl->lg, LOG_LVL_DEBUG, "%s: %s /%s%s%s → %s%s, %u ms late (fault late-response)",
                 s->name, m, c.path, c.query_text, obs_note, sim_code_text(resp.code, ct), extra,
                 cl->dev->faults.late_response_ms);
    } else {
        if (!fill_response(response, resp.code, resp.content_format, resp.payload,
                           resp.payload_len, resp.location, resp.observe, seq)) {
            sim_logf(cl->lg, LOG_LVL_WARN, "%s: response to %s /%s does not fit one datagram",
                     s->name, m, c.path);
        }
        sim_logf(cl->lg, LOG_LVL_DEBUG, "%s: %s /%s%s%s → %s%s", s->name, m, c.path, c.query_text,
                 obs_note, sim_code_text(resp.code, ct), extra);
    }
    if (s->is_bootstrap)
        s->deadline = now + BOOTSTRAP_IDLE_MS;
    apply_effects(cl, s, &resp.fx, now);
    /* what a server changed survives a reboot (a bootstrap in progress does not: it is
     * saved once finished) */
    if (!s->is_bootstrap && req.method != COAP_REQUEST_CODE_GET && resp.code < 300)
        save_state(cl);
    sim_response_free(&resp);
}

/* ---- timed work from the loop ---- */

static void send_delayed(sim_client *cl, uint64_t now)
{
    for (size_t i = 0; i < cl->ndelayed;) {
        sim_delayed *d = &cl->delayed[i];
        if (d->due > now) {
            i++;
            continue;
        }
        coap_pdu_t *pdu = coap_pdu_init(d->type, int_to_coap_code(d->code),
                                        coap_new_message_id(d->session),
                                        coap_session_max_pdu_size(d->session));
        if (pdu) {
            coap_add_token(pdu, d->token_len, d->token);
            if (fill_response(pdu, d->code, d->content_format, d->payload, d->payload_len,
                              d->location, d->observe, d->seq))
                coap_send(d->session, pdu);
            else
                coap_delete_pdu(pdu);
        }
        coap_session_release(d->session);
        free(d->payload);
        cl->delayed[i] = cl->delayed[--cl->ndelayed];
    }
}

static bool numeric_value(const sim_store *st, const lwm2m_path *p, double *out)
{
    if (p->depth < 3)
        return false;
    const lwm2m_record *r = sim_store_get(st, p);
    if (!r)
        return false;
    switch (r->type) {
    case LV_INTEGER:
    case LV_UNSIGNED:
    case LV_TIME: *out = (double)r->i; return true;
    case LV_FLOAT: *out = r->f; return true;
    default: return false;
    }
}

/* When o is due, under the timing faults: a quarter of the period (notify-early) or twice
 * it (notify-late) after the last notification, or MS later (notify-lag). */
static uint64_t faulty_due(const sim_client *cl, const sim_observation *o, uint64_t due)
{
    if (due == SIM_OBSERVE_NEVER || due <= o->last_ms)
        return due;
    if (sim_fault_on(&cl->dev->faults, SIM_FAULT_NOTIFY_EARLY))
        return o->last_ms + (due - o->last_ms) / 4;
    if (sim_fault_on(&cl->dev->faults, SIM_FAULT_NOTIFY_LATE))
        return o->last_ms + (due - o->last_ms) * 2;
    if (sim_fault_on(&cl->dev->faults, SIM_FAULT_NOTIFY_LAG))
        return due + cl->dev->faults.notify_lag_ms;
    return due;
}

/* Sends o's notification now (a CON with the resource's current value); returns its code
 * (205 unless the read failed) and sets *mid. */
static int send_notification(sim_client *cl, sim_server *s, sim_observation *o, coap_mid_t *mid_out)
{
    sim_response resp;
    memset(&resp, 0, sizeof resp);
    resp.content_format = CF_NONE;
    sim_composite_notify_read(cl->dev, o, &resp); /* a plain or a composite observation */
    o->seq++;
    coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, int_to_coap_code(resp.code),
                                    coap_new_message_id(s->session),
                                    coap_session_max_pdu_size(s->session));
    coap_mid_t mid = COAP_INVALID_MID;
    if (pdu) {
        coap_add_token(pdu, o->token_len, o->token);
        if (fill_response(pdu, resp.code, resp.content_format, resp.payload,
                          resp.payload_len, NULL, resp.code == 205, o->seq))
            mid = coap_send(s->session, pdu);
        else
            coap_delete_pdu(pdu);
    }
    char ct[8], path[40];
    lwm2m_path_format(&o->path, path, sizeof path);
    sim_logf(cl->lg, LOG_LVL_DEBUG, "%s: notify %s #%u → %s (%s, %zu bytes)", s->name, path,
             o->seq, sim_code_text(resp.code, ct), sim_cf_short(resp.content_format),
             resp.payload_len);
    sim_response_free(&resp);
    *mid_out = mid;
    return resp.code;
}

/* Fault notify-before-cancel: a notification of the observation being cancelled leaves
 * just before the answer to the cancelling GET (it was in flight, RFC 7641 §3.6). */
static void notify_before_cancel(sim_client *cl, sim_server *s, coap_session_t *session,
                                 const uint8_t *token, size_t token_len, const lwm2m_path *path)
{
    /* the observation the GET names by its token, else by its path (as the cancel does) */
    for (size_t i = 0; i < cl->obs.count; i++) {
        sim_observation *o = &cl->obs.items[i];
        bool same_token = o->token_len == token_len && memcmp(o->token, token, token_len) == 0;
        if (o->session == session && (same_token || lwm2m_path_equal(&o->path, path))) {
            coap_mid_t mid;
            if (send_notification(cl, s, o, &mid) == 205)
                o->last_mid = mid;
            return;
        }
    }
}

/* Sends what is due; returns the earliest future due time. */
static uint64_t notify(sim_client *cl, uint64_t now)
{
    uint64_t next = SIM_OBSERVE_NEVER;
    if (sim_fault_on(&cl->dev->faults, SIM_FAULT_NO_NOTIFICATIONS))
        return next; /* observations accepted, never served */
    /* values the device changes on its own (signal, location, counters) */
    lwm2m_path changed[4];
    size_t nchanged = sim_live_tick(cl->dev, now, changed, 4, &next);
    for (size_t i = 0; i < nchanged; i++)
        sim_observe_mark_changed(&cl->obs, &changed[i]);
    for (size_t i = 0; i < cl->obs.count; i++) {
        sim_observation *o = &cl->obs.items[i];
        int64_t dpmin, dpmax;
        sim_device_server_defaults(cl->dev, o->ssid, &dpmin, &dpmax);
        sim_attr_set eff;
        sim_composite_effective(cl->dev, o, dpmin, dpmax, &eff);
        uint64_t due = faulty_due(cl, o, sim_observe_due(o, &eff));
        if (due > now) {
            if (due < next)
                next = due;
            continue;
        }
        sim_observation probe = *o;
        probe.dirty = false;
        bool periodic = faulty_due(cl, &probe, sim_observe_due(&probe, &eff)) <= now;
        double v = 0;
        bool has_v = numeric_value(cl->dev->store, &o->path, &v);
        if (!periodic && has_v && !sim_observe_change_qualifies(&eff, o->has_last_num, o->last_num, v)) {
            o->dirty = false; /* a change too small for gt/lt/st */
            i--;              /* re-evaluate: now only pmax may be due */
            continue;
        }
        sim_server *s = server_of(o->session);
        if (!s || !s->session) { /* the server's session is gone: so is the observation */
            cl->obs.items[i] = cl->obs.items[--cl->obs.count];
            i--;
            continue;
        }
        coap_mid_t mid;
        if (send_notification(cl, s, o, &mid) != 205) {
            cl->obs.items[i] = cl->obs.items[--cl->obs.count];
            i--;
            continue;
        }
        o->last_mid = mid;
        o->last_ms = now;
        o->dirty = false;
        o->has_last_num = has_v;
        o->last_num = v;
        due = faulty_due(cl, o, sim_observe_due(o, &eff));
        if (due < next)
            next = due;
    }
    return next;
}

static void reboot(sim_client *cl, uint64_t now)
{
    cl->reboot_at = 0;
    if (cl->reboot_mode != SIM_REBOOT_IN_PROCESS) {
        if (cl->factory_reset && cl->state_file)
            sim_persist_forget(cl->state_file, cl->lg);
        sim_logf(cl->lg, LOG_LVL_INFO, "rebooting (Execute %s; --reboot %s)",
                 cl->factory_reset ? "Factory Reset /3/0/5" : "Reboot /3/0/4",
                 sim_reboot_name(cl->reboot_mode));
        cl->rebooted = true;
        return;
    }
    sim_logf(cl->lg, LOG_LVL_INFO, "rebooting");
    sim_fw_rebooted(cl->fw);
    sim_server *list = cl->phase == PHASE_BOOTSTRAP ? &cl->bs : cl->servers;
    size_t n = cl->phase == PHASE_BOOTSTRAP ? 1 : cl->nservers;
    for (size_t i = 0; i < n; i++) {
        sim_server *s = &list[i];
        close_session(cl, s); /* a rebooting device says no goodbye */
        s->state = SRV_IDLE;
        s->token_len = 0;
        s->location[0] = '\0';
        s->update_pending = s->update_params = s->update_links = false;
        s->disable_after_s = -1;
        s->backoff_ms = 0;
        s->next_attempt = now + REBOOT_DELAY_MS;
        if (sim_fault_on(&cl->dev->faults, SIM_FAULT_REBOOT_NO_REREGISTER))
            s->state = SRV_DONE;
    }
}

/* Every server account failed REGISTER_FALLBACK_AFTER Registers in a row, and none is
 * registered, the first at least REGISTER_FALLBACK_MIN_MS ago: time to fall back to the bootstrap account (int-7), unless the fault says no. */
static bool registration_failed_everywhere(const sim_client *cl, uint64_t now)
{
    if (cl->nservers == 0 || sim_fault_on(&cl->dev->faults, SIM_FAULT_NO_BOOTSTRAP_FALLBACK))
        return false;
    if (cl->registration_retry) { /* LwM2M 1.1 §6.2.1.1: sequences spent, /1/x/16 true */
        for (size_t i = 0; i < cl->nservers; i++) {
            const sim_server *s = &cl->servers[i];
            sim_regretry r;
            sim_regretry_read(cl->dev->store, s->server_inst, false, &r);
            if (!s->retries_spent || !r.bootstrap_on_failure)
                return false;
        }
        return true;
    }
    for (size_t i = 0; i < cl->nservers; i++)
        if (cl->servers[i].reg_failures < REGISTER_FALLBACK_AFTER ||
            now - cl->servers[i].first_failure < REGISTER_FALLBACK_MIN_MS)
            return false;
    return true;
}

/* Execute /1/x/9 (LwM2M 1.1 Bootstrap-Request Trigger), or every server account failing
 * (fallback): leave the servers without a word and bootstrap again with the bootstrap
 * account, which the store still holds. why names the cause in the log. */
static void bootstrap_again(sim_client *cl, uint64_t now, const char *why)
{
    cl->bs_trigger_at = 0;
    int x = sim_device_bootstrap_instance(cl->dev->store);
    if (x < 0) {
        sim_logf(cl->lg, LOG_LVL_WARN, "%s: no bootstrap account", why);
        return;
    }
    for (size_t i = 0; i < cl->nservers; i++) {
        close_session(cl, &cl->servers[i]);
        cl->servers[i].state = SRV_DONE;
    }
    close_session(cl, &cl->bs);
    server_init(&cl->bs, 0, true);
    account_from_store(cl->dev->store, x, &cl->bs);
    cl->bs.next_attempt = now;
    cl->phase = PHASE_BOOTSTRAP;
    sim_logf(cl->lg, LOG_LVL_INFO, "%s: bootstrapping again with the bootstrap account /0/%d",
             why, x);
}

static void finish_bootstrap(sim_client *cl, uint64_t now)
{
    cl->bs_finished = false;
    if (cl->phase != PHASE_BOOTSTRAP)
        return;
    close_session(cl, &cl->bs);
    cl->bs.state = SRV_DONE;
    cl->phase = PHASE_REGISTER;
    bool old = sim_fault_on(&cl->dev->faults, SIM_FAULT_BOOTSTRAP_KEEP_OLD_ACCOUNT);
    if (old)
        sim_logf(cl->lg, LOG_LVL_INFO,
                 "fault bootstrap-keep-old-account: registering with the factory accounts");
    load_servers(cl, old && cl->factory ? cl->factory : cl->dev->store);
    sim_logf(cl->lg, LOG_LVL_INFO, "bootstrap finished; %zu server account(s) to register with",
             cl->nservers);
    save_state(cl);
    for (size_t i = 0; i < cl->nservers; i++)
        cl->servers[i].next_attempt = now;
}

/* Advances one server's state machine; returns when it next needs attention. */
static uint64_t step(sim_client *cl, sim_server *s, uint64_t now, bool *unreachable)
{
    lc_error err = {0};
    if (s->reset_session)
        close_session(cl, s);
    switch (s->state) {
    case SRV_IDLE:
        if (now < s->next_attempt)
            return s->next_attempt;
        if (!s->session) {
            int rc = open_session(cl, s, &err);
            if (rc) {
                sim_logf(cl->lg, LOG_LVL_ERROR, "%s", err.msg);
                s->state = SRV_DONE;
                *unreachable = true;
                return SIM_OBSERVE_NEVER;
            }
        }
        if (s->is_bootstrap ? sim_msg_bootstrap_request(cl, s, now) : sim_msg_register(cl, s, now)) {
            s->awake_until = now + cl->max_transmit_wait_ms;
            s->state = SRV_REGISTERING;
            return s->deadline;
        }
        sim_logf(cl->lg, LOG_LVL_WARN, "%s: cannot send; retrying", s->name);
        s->reset_session = true;
        backoff(s, now);
        return s->next_attempt;
    case SRV_REGISTERING:
    case SRV_UPDATING:
        if (now >= s->deadline) {
            request_failed(cl, s, "no answer");
            return now;
        }
        return s->deadline;
    case SRV_REGISTERED:
        if (s->is_bootstrap) {
            if (now >= s->deadline) {
                sim_logf(cl->lg, LOG_LVL_WARN, "%s: no Bootstrap-Finish; starting over", s->name);
                s->reset_session = true;
                backoff(s, now);
                return now;
            }
            return s->deadline;
        }
        if (s->disable_after_s >= 0) {
            if (sim_msg_deregister(cl, s, now))
                s->state = SRV_DEREGISTERING;
            return now;
        }
        if (!s->update_pending && now >= s->next_update &&
            sim_fault_on(&cl->dev->faults, SIM_FAULT_REREGISTER_PERIODIC)) {
            /* the fault: the lifetime timer registers afresh instead of updating */
            if (sim_msg_register(cl, s, now)) {
                s->state = SRV_REGISTERING;
                return s->deadline;
            }
            s->reset_session = true;
            backoff(s, now);
            return now;
        }
        if (s->update_pending || now >= s->next_update) {
            if (sim_msg_update(cl, s, now)) {
                s->awake_until = now + cl->max_transmit_wait_ms; /* awake again (queue mode) */
                s->state = SRV_UPDATING;
                return s->deadline;
            }
            s->reset_session = true;
            backoff(s, now);
            return now;
        }
        return s->next_update;
    case SRV_DEREGISTERING:
        if (now >= s->deadline)
            request_failed(cl, s, "no answer");
        return s->deadline;
    case SRV_DISABLED:
        if (s->session)
            close_session(cl, s);
        if (now >= s->disable_until) {
            sim_logf(cl->lg, LOG_LVL_INFO, "%s: disable timeout over; registering again", s->name);
            s->state = SRV_IDLE;
            s->next_attempt = now;
            return now;
        }
        return s->disable_until;
    case SRV_DONE:
    default: return SIM_OBSERVE_NEVER;
    }
}

static void deregister_all(sim_client *cl)
{
    uint64_t now = mono_ms(), until = now + DEREGISTER_WAIT_MS;
    size_t pending = 0;
    for (size_t i = 0; i < cl->nservers; i++) {
        sim_server *s = &cl->servers[i];
        if (s->reset_session)
            close_session(cl, s);
        bool registered = s->location[0] &&
                          (s->state == SRV_REGISTERED || s->state == SRV_UPDATING);
        if (registered && s->session && sim_msg_deregister(cl, s, now)) {
            s->state = SRV_DEREGISTERING;
            s->disable_after_s = -1;
            pending++;
        }
    }
    while (pending) {
        now = mono_ms();
        if (now >= until)
            break;
        coap_io_process(cl->ctx, (uint32_t)(until - now));
        pending = 0;
        for (size_t i = 0; i < cl->nservers; i++)
            if (cl->servers[i].state == SRV_DEREGISTERING && !cl->servers[i].reset_session)
                pending++;
    }
    if (pending)
        sim_logf(cl->lg, LOG_LVL_WARN, "%zu server(s) did not answer De-register within %u ms",
                 pending, DEREGISTER_WAIT_MS);
}

int sim_client_run(sim_client *cl, volatile sig_atomic_t *stop, lc_error *err)
{
    uint64_t now = mono_ms();
    if (cl->bootstrap_mode) {
        int x = sim_device_bootstrap_instance(cl->dev->store);
        if (x < 0)
            return lc_error_set(err, LC_EINVAL,
                                "--bootstrap: the configuration has no bootstrap account "
                                "(a Security instance with /0/x/1 = true)");
        server_init(&cl->bs, 0, true);
        account_from_store(cl->dev->store, x, &cl->bs);
        /* some clients wait before bootstrapping (a hold-off): a timer, like any retry */
        cl->bs.next_attempt = now + (uint64_t)cl->bootstrap_holdoff_s * 1000u;
        if (cl->bootstrap_holdoff_s)
            sim_logf(cl->lg, LOG_LVL_INFO, "bootstrap hold-off: Bootstrap-Request in %u s",
                     cl->bootstrap_holdoff_s);
        cl->phase = PHASE_BOOTSTRAP;
        /* a device in bootstrap mode holds its bootstrap account only: everything else is
         * the bootstrap server's to write (the factory copy keeps the configuration's
         * accounts for the bootstrap-keep-old-account fault) */
        sim_bootstrap_clear(cl->dev);
        sim_logf(cl->lg, LOG_LVL_INFO, "bootstrap mode: starting with the bootstrap account "
                 "/0/%d only", x);
    } else {
        load_servers(cl, cl->dev->store);
        if (cl->nservers == 0)
            return lc_error_set(err, LC_EINVAL, "no server account to register with");
        cl->phase = PHASE_REGISTER;
        for (size_t i = 0; i < cl->nservers; i++)
            cl->servers[i].next_attempt = now;
    }
    register_secrets(cl);

    while (!*stop) {
        now = mono_ms();
        if (cl->reboot_at && now >= cl->reboot_at)
            reboot(cl, now);
        if (cl->rebooted)
            return SIM_CLIENT_REBOOT; /* a rebooting device says no goodbye */
        if (cl->bs_trigger_at && now >= cl->bs_trigger_at)
            bootstrap_again(cl, now, "Bootstrap-Request Trigger (Execute /1/x/9)");
        if (cl->phase == PHASE_REGISTER && registration_failed_everywhere(cl, now))
            bootstrap_again(cl, now, "no server account could be registered with (fallback to "
                                     "bootstrap, LwM2M 1.1 §6.2.1.1)");
        if (cl->bs_finished)
            finish_bootstrap(cl, now);
        uint64_t next = SIM_OBSERVE_NEVER;
        bool unreachable = false;
        size_t reachable = 0;
        if (cl->phase == PHASE_BOOTSTRAP) {
            next = step(cl, &cl->bs, now, &unreachable);
            reachable = unreachable ? 0 : 1;
        } else {
            for (size_t i = 0; i < cl->nservers; i++) {
                bool u = false;
                uint64_t t = step(cl, &cl->servers[i], now, &u);
                if (t < next)
                    next = t;
                if (u)
                    unreachable = true;
                else if (cl->servers[i].state != SRV_DONE)
                    reachable++;
            }
        }
        if (unreachable && reachable == 0)
            return lc_error_set(err, LC_EIO, "no LwM2M server can be reached (see above)");
        send_delayed(cl, now);
        for (size_t i = 0; i < cl->ndelayed; i++)
            if (cl->delayed[i].due < next)
                next = cl->delayed[i].due;
        uint64_t n2 = notify(cl, now);
        if (n2 < next)
            next = n2;
        if (cl->phase == PHASE_REGISTER && sim_send_due(&cl->send, cl->dev, now, &next))
            for (size_t i = 0; i < cl->nservers; i++)
                sim_send_dp(cl, &cl->servers[i]);
        uint64_t nf = sim_fw_tick(cl->fw, now);
        if (nf < next)
            next = nf;
        if (sim_fw_take_changed(cl->fw)) {
            lwm2m_path fwp = {.ids = {5, 0, LWM2M_ID_NONE, LWM2M_ID_NONE}, .depth = 2};
            sim_observe_mark_changed(&cl->obs, &fwp);
            next = now;
        }
        if (sim_fw_take_reboot(cl->fw))
            cl->reboot_at = now + REBOOT_DELAY_MS;
        if (cl->reboot_at && cl->reboot_at < next)
            next = cl->reboot_at;
        if (cl->bs_trigger_at && cl->bs_trigger_at < next)
            next = cl->bs_trigger_at;
        if (cl->bs_finished)
            next = now;
        now = mono_ms();
        uint64_t wait = next > now ? next - now : 0;
        if (wait > LOOP_MAX_WAIT_MS)
            wait = LOOP_MAX_WAIT_MS;
        if (coap_io_process(cl->ctx, wait ? (uint32_t)wait : COAP_IO_NO_WAIT) < 0)
            return lc_error_set(err, LC_EIO, "network I/O failed");
    }
    if (cl->phase == PHASE_REGISTER)
        deregister_all(cl);
    return 0;
}

int sim_client_new(sim_device *dev, const sim_client_options *opt, logger *lg,
                   sim_client **out, lc_error *err)
{
    *out = NULL;
    sim_client *cl = calloc(1, sizeof *cl);
    if (!cl)
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    cl->dev = dev;
    cl->lg = lg;
    snprintf(cl->endpoint, sizeof cl->endpoint, "%s", opt->endpoint);
    cl->bootstrap_mode = opt->bootstrap;
    cl->update_interval_s = opt->update_interval_s;
    cl->registration_retry = opt->registration_retry;
    cl->max_transmit_wait_ms = (uint64_t)(opt->max_transmit_wait_s ? opt->max_transmit_wait_s : 93) * 1000u;
    cl->send.period_ms = opt->send_period_s * 1000u;
    cl->send.poke = opt->send_poke;
    cl->local_port = opt->local_port;
    cl->bootstrap_holdoff_s = opt->bootstrap_holdoff_s;
    cl->reboot_mode = opt->reboot;
    cl->state_file = opt->state_file;
    sim_observe_init(&cl->obs);
    if (opt->bootstrap && !(cl->factory = sim_store_clone(dev->store))) {
        free(cl);
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    }
    cl->ctx = coap_new_context(NULL);
    if (!cl->ctx) {
        sim_client_free(cl);
        return lc_error_set(err, LC_EIO, "cannot create the CoAP context");
    }
    if (opt->ciphersuites && *opt->ciphersuites &&
        !coap_dtls_set_ciphersuites(cl->ctx, opt->ciphersuites)) {
        sim_client_free(cl);
        return lc_error_set(err, LC_EINVAL, "libcoap refused the cipher suites %s", opt->ciphersuites);
    }
    coap_set_app_data(cl->ctx, cl);
    cl->fw = sim_fw_new(dev, cl->ctx, &opt->fw, lg);
    coap_register_response_handler(cl->ctx, on_response);
    coap_register_nack_handler(cl->ctx, on_nack);
    coap_register_event_handler(cl->ctx, on_event);
    coap_resource_t *r = coap_resource_unknown_init2(on_request, 0);
    if (!r) {
        sim_client_free(cl);
        return lc_error_set(err, LC_ENOMEM, "cannot create the request dispatcher");
    }
    coap_register_request_handler(r, COAP_REQUEST_GET, on_request);
    coap_register_request_handler(r, COAP_REQUEST_POST, on_request);
    coap_register_request_handler(r, COAP_REQUEST_DELETE, on_request);
    coap_register_request_handler(r, COAP_REQUEST_FETCH, on_request);
    coap_register_request_handler(r, COAP_REQUEST_IPATCH, on_request);
    coap_add_resource(cl->ctx, r);
    *out = cl;
    return 0;
}

void sim_client_free(sim_client *cl)
{
    if (!cl)
        return;
    for (size_t i = 0; i < cl->ndelayed; i++) {
        coap_session_release(cl->delayed[i].session);
        free(cl->delayed[i].payload);
    }
    free(cl->delayed);
    cl->ndelayed = 0;
    close_session(cl, &cl->bs);
    for (size_t i = 0; i < cl->nservers; i++)
        close_session(cl, &cl->servers[i]);
    /* After the sessions: closing one hands its unanswered requests to on_nack, which asks
     * the firmware first. Before the context: a download holds a session of it. NULL after,
     * for what coap_free_context still reports. */
    sim_fw_free(cl->fw);
    cl->fw = NULL;
    if (cl->ctx)
        coap_free_context(cl->ctx);
    sim_observe_free(&cl->obs);
    sim_store_free(cl->factory);
    free(cl);
}
