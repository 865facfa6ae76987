#include "lwm2m/registry.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "common/mono.h"
#include "lwm2m/linkformat.h"
#include "net/epfilter.h"
#include "net/message.h"

struct registry {
    net_ctx *net;
    registration **items;
    size_t count, cap;
    unsigned serial;
    bool held;                   /* a version hold is in force */
    lwm2m_version limit;
    registry_refusal refusals[REGISTRY_MAX_REFUSALS];
    size_t refusal_count;        /* all of them, kept or not */
    size_t max_live;
    size_t expired, refused, evicted;
    char evicted_names[REGISTRY_MAX_EVICTED][64]; /* the first ones, for the report */
};

static void reg_free(registration *reg)
{
    if (reg->session)
        coap_session_release(reg->session);
    free(reg->links);
    free(reg);
}

static uint64_t expiry_ms(const registration *reg)
{
    int64_t lt = reg->query.has_lifetime ? reg->query.lifetime : 86400;
    return reg->updated_at + ((uint64_t)lt + REGISTRY_LIFETIME_GRACE_S) * 1000u;
}

/* Retires registrations whose lifetime has passed and frees all but the newest
 * REGISTRY_KEEP_RETIRED retired ones (the runner reads the newest Register's version). */
static void prune(registry *r, uint64_t now)
{
    size_t retired = 0;
    for (size_t i = r->count; i-- > 0;) {
        registration *reg = r->items[i];
        if (reg->active && now >= expiry_ms(reg)) {
            reg->active = false;
            r->expired++;
            log_debug(net_logger(r->net), "registration %s (ep=%s) expired: no Update within "
                      "its lifetime of %lld s", reg->id, reg->query.endpoint_name,
                      (long long)(reg->query.has_lifetime ? reg->query.lifetime : 86400));
        }
        if (!reg->active && reg->session) {
            /* a retired registration holds no session: the DTLS association it had may be
             * gone (the device rebooted), and a reference would keep it, and the peer's
             * address with it, in the endpoint */
            coap_session_release(reg->session);
            reg->session = NULL;
        }
        if (!reg->active && ++retired > REGISTRY_KEEP_RETIRED) {
            reg_free(reg);
            memmove(&r->items[i], &r->items[i + 1], (r->count - i - 1) * sizeof *r->items);
            r->count--;
        }
    }
}

/* Live registrations on one endpoint (-1: on all). */
static size_t live_count(const registry *r, int endpoint)
{
    size_t live = 0;
    for (size_t i = 0; i < r->count; i++)
        live += r->items[i]->active && (endpoint < 0 || r->items[i]->endpoint == endpoint);
    return live;
}

/* Seconds a refused device should wait: until the next registration expires, capped. */
static unsigned retry_after_s(const registry *r, uint64_t now)
{
    uint64_t soonest = UINT64_MAX;
    for (size_t i = 0; i < r->count; i++)
        if (r->items[i]->active && expiry_ms(r->items[i]) < soonest)
            soonest = expiry_ms(r->items[i]);
    uint64_t s = soonest == UINT64_MAX || soonest <= now ? 1 : (soonest - now + 999) / 1000;
    return s > REGISTRY_RETRY_MAX_S ? REGISTRY_RETRY_MAX_S : (unsigned)s;
}

static void reply_text(net_reply *reply, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void reply_text(net_reply *reply, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    reply->code = code;
    reply->content_format = 0;
    int w = vsnprintf(reply->payload, sizeof reply->payload, fmt, ap);
    va_end(ap);
    reply->payload_len = w < 0 ? 0 : (size_t)w < sizeof reply->payload ? (size_t)w
                                                                       : sizeof reply->payload - 1;
}

static void protocol_error(registry *r, const net_request *req, const char *what,
                           const char *why, net_reply *reply)
{
    net_event *ev = net_event_new(r->net, NET_EV_PROTOCOL_ERROR, req->endpoint, req->session);
    if (ev) {
        snprintf(ev->detail, sizeof ev->detail, "%s rejected with 4.00: %s", what, why);
        net_message_copy(&ev->msg, req->msg);
        net_push_event(r->net, ev);
    }
    reply_text(reply, COAP_RESPONSE_CODE(400), "%s: %s", what, why);
}

static void push_reg_event(registry *r, net_event_kind kind, const net_request *req,
                           const registration *reg)
{
    net_event *ev = net_event_new(r->net, kind, req->endpoint, req->session);
    if (!ev)
        return;
    snprintf(ev->registration_id, sizeof ev->registration_id, "%s", reg->id);
    snprintf(ev->endpoint_name, sizeof ev->endpoint_name, "%s", reg->query.endpoint_name);
    snprintf(ev->detail, sizeof ev->detail, "ep=%s id=%s", reg->query.endpoint_name, reg->id);
    net_message_copy(&ev->msg, req->msg);
    net_push_event(r->net, ev);
}

static char *payload_text(const net_message *m)
{
    char *s = malloc(m->payload_len + 1);
    if (s) {
        if (m->payload_len)
            memcpy(s, m->payload, m->payload_len);
        s[m->payload_len] = '\0';
    }
    return s;
}

static registration *find_mut(registry *r, const char *id)
{
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->items[i]->id, id) == 0)
            return r->items[i];
    return NULL;
}

static void set_session(registration *reg, coap_session_t *s)
{
    if (reg->session == s)
        return;
    if (reg->session)
        coap_session_release(reg->session);
    reg->session = s ? coap_session_reference(s) : NULL;
}

/* The device under test's endpoint name, when the run knows it (net/epfilter.h). */
static const char *dut_name(const registry *r)
{
    const epfilter *f = net_epfilter(r->net);
    return f && f->name[0] ? f->name : NULL;
}

/* Makes room for the device under test on a full server: the registration of another
 * device that was least recently active (registered or updated) goes, and is counted and
 * named for the report. False when there is none to evict. */
static bool evict_for_dut(registry *r, int endpoint, const char *ep)
{
    registration *victim = NULL;
    for (size_t i = 0; i < r->count; i++) {
        registration *reg = r->items[i];
        if (reg->active && reg->endpoint == endpoint &&
            strcmp(reg->query.endpoint_name, ep) != 0 &&
            (!victim || reg->updated_at < victim->updated_at))
            victim = reg;
    }
    if (!victim)
        return false;
    victim->active = false;
    if (r->evicted < REGISTRY_MAX_EVICTED)
        snprintf(r->evicted_names[r->evicted], sizeof r->evicted_names[0], "%s",
                 victim->query.endpoint_name);
    r->evicted++;
    log_warn(net_logger(r->net), "%s: %zu registrations are live (the limit): the registration of "
             "ep=%s (rd/%s, the least recently active) was evicted to make room for the device "
             "under test, ep=%s", net_endpoint_name(r->net, endpoint), r->max_live,
             victim->query.endpoint_name, victim->id, ep);
    return true;
}

static void on_register(registry *r, const net_request *req, net_reply *reply)
{
    lc_error err = {0};
    reg_query q;
    if (regquery_parse((const char *const *)req->msg->queries, req->msg->query_count,
                       REGQUERY_REGISTER, &q, &err) < 0) {
        protocol_error(r, req, "Register", err.msg, reply);
        return;
    }
    if (!q.has_endpoint_name) { /* 1.1 §7.3.1: the PSK identity names the Client */
        net_event *who = net_event_new(r->net, NET_EV_REQUEST, req->endpoint, req->session);
        int rc = regquery_endpoint_from_identity(&q, who ? who->psk_identity : NULL, &err);
        net_event_free(who);
        char why[400];
        if (rc == 0 && !epfilter_identity_names(net_epfilter(r->net), q.endpoint_name, why,
                                                sizeof why)) {
            protocol_error(r, req, "Register", why, reply);
            return;
        }
        if (rc < 0) {
            protocol_error(r, req, "Register", err.msg, reply);
            return;
        }
    }
    if (!epfilter_accepts(net_epfilter(r->net), q.endpoint_name)) {
        reply_text(reply, COAP_RESPONSE_CODE(403), "not the device under test");
        return;
    }
    if (req->msg->content_format >= 0 && req->msg->content_format != 40) {
        char why[128];
        snprintf(why, sizeof why, "payload Content-Format is %d, expected 40 (link format)",
                 req->msg->content_format);
        protocol_error(r, req, "Register", why, reply);
        return;
    }
    lf_set links;
    if (linkformat_parse((const char *)req->msg->payload, req->msg->payload_len, &links, &err) < 0) {
        char why[600];
        snprintf(why, sizeof why, "object links are not valid link format: %s", err.msg);
        protocol_error(r, req, "Register", why, reply);
        return;
    }
    linkformat_free(&links);

    if (r->held && lwm2m_version_exceeds(q.has_lwm2m_version ? q.lwm2m_version : NULL, r->limit)) {
        char lim[16];
        lwm2m_version_text(r->limit, lim, sizeof lim);
        if (r->refusal_count < REGISTRY_MAX_REFUSALS) {
            registry_refusal *f = &r->refusals[r->refusal_count];
            memset(f, 0, sizeof *f);
            f->short_server_id = net_endpoint_ssid(r->net, req->endpoint);
            snprintf(f->endpoint_name, sizeof f->endpoint_name, "%s", q.endpoint_name);
            snprintf(f->version, sizeof f->version, "%s", q.lwm2m_version);
            f->at = mono_ms();
        }
        r->refusal_count++;
        reply_text(reply, COAP_RESPONSE_CODE(412), "this server holds the device to LwM2M %s: "
                   "register with lwm2m=%s or older", lim, lim);
        return;
    }
    uint64_t now = mono_ms();
    prune(r, now);
    bool replaces = false;
    for (size_t i = 0; i < r->count && !replaces; i++)
        replaces = r->items[i]->active && r->items[i]->endpoint == req->endpoint &&
                   strcmp(r->items[i]->query.endpoint_name, q.endpoint_name) == 0;
    /* the device under test is never the one refused for room */
    const char *dut = dut_name(r);
    if (!replaces && live_count(r, req->endpoint) >= r->max_live && dut &&
        strcmp(dut, q.endpoint_name) == 0)
        evict_for_dut(r, req->endpoint, q.endpoint_name);
    if (!replaces && live_count(r, req->endpoint) >= r->max_live) {
        reply_text(reply, COAP_RESPONSE_CODE(503), "registration limit reached (%zu live)",
                   r->max_live);
        reply->max_age = retry_after_s(r, now);
        if (r->refused++ % 1000 == 0)
            log_warn(net_logger(r->net), "%s: %zu registrations are live (the limit): Register from "
                     "ep=%s answered 5.03 Service Unavailable, Max-Age %u (%zu refused so far)",
                     net_endpoint_name(r->net, req->endpoint), r->max_live, q.endpoint_name,
                     reply->max_age, r->refused);
        return;
    }

    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        registration **items = realloc(r->items, cap * sizeof *items);
        if (!items) {
            reply->code = COAP_RESPONSE_CODE(500);
            return;
        }
        r->items = items;
        r->cap = cap;
    }
    registration *reg = calloc(1, sizeof *reg);
    if (!reg) {
        reply->code = COAP_RESPONSE_CODE(500);
        return;
    }
    /* An id that says nothing about order or count, like a real server's. */
    uint32_t rnd = 0;
    if (getrandom(&rnd, sizeof rnd, 0) != sizeof rnd)
        rnd = (uint32_t)mono_ms();
    snprintf(reg->id, sizeof reg->id, "%x%02x", rnd & 0xffffff, ++r->serial & 0xff);
    reg->endpoint = req->endpoint;
    reg->short_server_id = net_endpoint_ssid(r->net, req->endpoint);
    reg->query = q;
    reg->links = payload_text(req->msg);
    reg->registered_at = reg->updated_at = mono_ms();
    reg->active = true;
    set_session(reg, req->session);

    /* A Register from an endpoint name that is already registered on this server replaces
     * the old registration (LwM2M 1.0 §5.3.1). */
    for (size_t i = 0; i < r->count; i++)
        if (r->items[i]->active && r->items[i]->endpoint == reg->endpoint &&
            strcmp(r->items[i]->query.endpoint_name, q.endpoint_name) == 0)
            r->items[i]->active = false;
    r->items[r->count++] = reg;
    prune(r, now);

    net_event *probe = net_event_new(r->net, NET_EV_REQUEST, req->endpoint, req->session);
    if (probe) {
        snprintf(reg->peer, sizeof reg->peer, "%s", probe->peer);
        snprintf(reg->psk_identity, sizeof reg->psk_identity, "%s", probe->psk_identity);
        snprintf(reg->cipher_suite, sizeof reg->cipher_suite, "%s", probe->cipher_suite);
        net_event_free(probe);
    }
    reply->code = COAP_RESPONSE_CODE(201);
    snprintf(reply->location[0], sizeof reply->location[0], "rd");
    snprintf(reply->location[1], sizeof reply->location[1], "%s", reg->id);
    push_reg_event(r, NET_EV_REGISTER, req, reg);
}

static void on_update(registry *r, const net_request *req, registration *reg, net_reply *reply)
{
    lc_error err = {0};
    reg_query q;
    if (regquery_parse((const char *const *)req->msg->queries, req->msg->query_count,
                       REGQUERY_UPDATE, &q, &err) < 0) {
        protocol_error(r, req, "Update", err.msg, reply);
        return;
    }
    if (req->msg->payload_len) {
        lf_set links;
        if (linkformat_parse((const char *)req->msg->payload, req->msg->payload_len, &links, &err) < 0) {
            char why[600];
            snprintf(why, sizeof why, "object links are not valid link format: %s", err.msg);
            protocol_error(r, req, "Update", why, reply);
            return;
        }
        linkformat_free(&links);
        char *text = payload_text(req->msg);
        if (text) {
            free(reg->links);
            reg->links = text;
        }
    }
    if (q.has_lifetime) {
        reg->query.lifetime = q.lifetime;
        reg->query.has_lifetime = true;
    }
    if (q.has_binding) {
        snprintf(reg->query.binding, sizeof reg->query.binding, "%s", q.binding);
        reg->query.has_binding = true;
    }
    if (q.has_sms_number) {
        snprintf(reg->query.sms_number, sizeof reg->query.sms_number, "%s", q.sms_number);
        reg->query.has_sms_number = true;
    }
    reg->updated_at = mono_ms();
    set_session(reg, req->session);
    reply->code = COAP_RESPONSE_CODE(204);
    push_reg_event(r, NET_EV_UPDATE, req, reg);
}

static void on_rd(void *arg, net_ctx *n, const net_request *req, net_reply *reply)
{
    (void)n;
    registry *r = arg;
    const net_message *m = req->msg;
    if (net_endpoint_role(r->net, req->endpoint) != NET_ROLE_SERVER) {
        reply_text(reply, COAP_RESPONSE_CODE(404), "this is the bootstrap server: register "
                   "with an LwM2M server");
        return;
    }
    if (strcmp(m->path, "/rd") == 0) {
        if (m->code == COAP_REQUEST_CODE_POST)
            on_register(r, req, reply);
        else
            reply_text(reply, COAP_RESPONSE_CODE(405), "only POST (Register) on /rd");
        return;
    }
    const char *id = m->path + 4; /* "/rd/<id>" */
    prune(r, mono_ms()); /* an Update after the lifetime is for an unknown id */
    registration *reg = find_mut(r, id);
    if (!reg || !reg->active || reg->endpoint != req->endpoint) {
        reply_text(reply, COAP_RESPONSE_CODE(404), "no registration %s on this server", id);
        net_event *ev = net_event_new(r->net, NET_EV_PROTOCOL_ERROR, req->endpoint, req->session);
        if (ev) {
            snprintf(ev->detail, sizeof ev->detail, "%s for unknown registration /rd/%s answered 4.04",
                     m->code == COAP_REQUEST_CODE_DELETE ? "De-register" : "Update", id);
            net_message_copy(&ev->msg, m);
            net_push_event(r->net, ev);
        }
        return;
    }
    if (m->code == COAP_REQUEST_CODE_POST) {
        on_update(r, req, reg, reply);
    } else if (m->code == COAP_REQUEST_CODE_DELETE) {
        reg->active = false;
        reg->updated_at = mono_ms();
        reply->code = COAP_RESPONSE_CODE(202);
        push_reg_event(r, NET_EV_DEREGISTER, req, reg);
        prune(r, mono_ms());
    } else {
        reply_text(reply, COAP_RESPONSE_CODE(405), "only POST (Update) and DELETE (De-register)");
    }
}

registry *registry_new(net_ctx *n, lc_error *err)
{
    registry *r = calloc(1, sizeof *r);
    if (!r) {
        lc_error_set(err, LC_ENOMEM, "out of memory");
        return NULL;
    }
    r->net = n;
    r->max_live = REGISTRY_MAX_LIVE;
    if (net_add_handler(n, "rd", on_rd, r) < 0) {
        free(r);
        lc_error_set(err, LC_EINVAL, "cannot route /rd");
        return NULL;
    }
    return r;
}

void registry_free(registry *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->count; i++)
        reg_free(r->items[i]);
    free(r->items);
    free(r);
}

const registration *registry_find(const registry *r, const char *id)
{
    return find_mut((registry *)r, id);
}

const registration *registry_active(const registry *r, int ssid)
{
    const registration *best = NULL;
    for (size_t i = 0; i < r->count; i++) {
        const registration *reg = r->items[i];
        if (reg->active && reg->short_server_id == ssid &&
            (!best || reg->updated_at >= best->updated_at))
            best = reg;
    }
    return best;
}

size_t registry_retire_all(registry *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->count; i++)
        if (r->items[i]->active) {
            r->items[i]->active = false;
            n++;
        }
    prune(r, mono_ms());
    return n;
}

size_t registry_retire_before(registry *r, uint64_t before)
{
    size_t n = 0;
    for (size_t i = 0; i < r->count; i++) {
        registration *reg = r->items[i];
        uint64_t last = reg->updated_at > reg->registered_at ? reg->updated_at : reg->registered_at;
        if (reg->active && last < before) {
            reg->active = false;
            n++;
        }
    }
    prune(r, mono_ms());
    return n;
}

int registry_forget(registry *r, int short_server_id, char *id, size_t cap)
{
    const registration *live = registry_active(r, short_server_id);
    registration *reg = live ? find_mut(r, live->id) : NULL;
    if (!reg)
        return LC_ENOTFOUND;
    snprintf(id, cap, "%s", reg->id);
    reg->active = false;
    reg->updated_at = mono_ms();
    return 0;
}

void registry_set_limit(registry *r, size_t max_live) { r->max_live = max_live ? max_live : 1; }

registry_stats registry_get_stats(const registry *r)
{
    registry_stats st = {live_count(r, -1), r->expired, r->refused, r->evicted};
    return st;
}

const char *registry_evicted_at(const registry *r, size_t i)
{
    return i < r->evicted && i < REGISTRY_MAX_EVICTED ? r->evicted_names[i] : NULL;
}

void registry_handle(registry *r, const net_request *req, net_reply *reply)
{
    on_rd(r, r->net, req, reply);
}

size_t registry_count(const registry *r) { return r->count; }

void registry_set_version_limit(registry *r, const lwm2m_version *limit)
{
    r->held = limit != NULL;
    if (limit)
        r->limit = *limit;
}

const lwm2m_version *registry_version_limit(const registry *r)
{
    return r->held ? &r->limit : NULL;
}

size_t registry_refusal_count(const registry *r) { return r->refusal_count; }

const registry_refusal *registry_refusal_at(const registry *r, size_t i)
{
    return i < r->refusal_count && i < REGISTRY_MAX_REFUSALS ? &r->refusals[i] : NULL;
}

size_t registry_take_refusals(registry *r, int ssid, char *buf, size_t cap)
{
    size_t n = 0;
    const char *version = "";
    for (size_t i = 0; i < r->refusal_count && i < REGISTRY_MAX_REFUSALS; i++) {
        registry_refusal *f = &r->refusals[i];
        if (f->reported || f->short_server_id != ssid)
            continue;
        f->reported = true;
        if (n++ == 0)
            version = f->version;
    }
    if (cap)
        buf[0] = '\0';
    if (n && cap) {
        char lim[16];
        lwm2m_version_text(r->limit, lim, sizeof lim);
        if (n == 1)
            snprintf(buf, cap, "a Register with lwm2m=%s was answered 4.12 Precondition Failed "
                     "(the run holds the device to LwM2M %s)", version, lim);
        else
            snprintf(buf, cap, "%zu Registers (the first with lwm2m=%s) were answered 4.12 "
                     "Precondition Failed (the run holds the device to LwM2M %s)", n, version, lim);
    }
    return n;
}
const registration *registry_at(const registry *r, size_t i) { return i < r->count ? r->items[i] : NULL; }
