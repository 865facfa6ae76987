#include "bs/bootstrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bs/account.h"
#include "bs/bspack.h"
#include "bs/provision.h"
#include "common/mono.h"
#include "lwm2m/content/content.h"
#include "lwm2m/version.h"
#include "lwm2m/objects.h"
#include "net/epfilter.h"
#include "net/message.h"
#include "dut/exchange.h"
#include "dut/stepvalues.h"

struct bootstrap_server {
    dut *d;
    bootstrap_options opt;
    coap_session_t *session; /* the client that sent the last Bootstrap-Request; referenced */
    int endpoint;
    char endpoint_name[256];
    int pct;                 /* pct of the last Bootstrap-Request, else -1 */
    lwm2m_path list[PROVISION_MAX_INSTANCES]; /* what provisioning writes */
    size_t list_count;
    uint64_t written;        /* bit i: list[i] holds the configuration's values (2.04) */
    bool finished;           /* a Bootstrap-Finish the device did not refuse came after the
                                last change */
    bool placed;             /* this session's instances are placed (d->instances) */
    char refused_now[160];   /* how this session's Bootstrap-Discover /0 was answered when
                                not 2.05, for the explanation of what fails next */
    bool discover_refused;   /* the device did not answer Bootstrap-Discover /0 with 2.05:
                                it is not asked again */
    int told_bs_iid;         /* the bootstrap account instance last logged, -2 none */
    bool pack_armed;         /* a case waits for a Bootstrap-Pack-Request: serve the pack */
    bool saw_pack_request;   /* the device sent a Bootstrap-Pack-Request: it is LwM2M 1.2 */
    char told_how[200];      /* how the tool learnt it, for the report */
    bootstrap_unplanned unplanned[BOOTSTRAP_MAX_UNPLANNED]; /* the first ones, for the report */
    size_t unplanned_count;  /* all of them */
};

static uint64_t full_mask(const bootstrap_server *bs)
{
    return bs->list_count >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << bs->list_count) - 1);
}

static int list_index(const bootstrap_server *bs, const lwm2m_path *inst)
{
    for (size_t i = 0; i < bs->list_count; i++)
        if (lwm2m_path_equal(&bs->list[i], inst))
            return (int)i;
    return -1;
}

/* Whatever was written under path no longer holds the configuration's values. */
static void forget_written_under(bootstrap_server *bs, const lwm2m_path *path)
{
    for (size_t i = 0; i < bs->list_count; i++)
        if (lwm2m_path_is_under(&bs->list[i], path) || lwm2m_path_is_under(path, &bs->list[i]))
            bs->written &= ~((uint64_t)1 << i);
    bs->finished = false;
}

/* ---- Bootstrap-Request ---------------------------------------------------------------- */

static void on_bs(void *arg, net_ctx *n, const net_request *req, net_reply *reply)
{
    (void)arg;
    const net_message *m = req->msg;
    reply->content_format = -1;
    if (net_endpoint_role(n, req->endpoint) != NET_ROLE_BOOTSTRAP) {
        reply->code = COAP_RESPONSE_CODE(404);
        reply->payload_len = (size_t)snprintf(reply->payload, sizeof reply->payload,
                                              "this is an LwM2M server, not the bootstrap server");
        return;
    }
    if (m->code != COAP_REQUEST_CODE_POST || strcmp(m->path, "/bs") != 0) {
        reply->code = COAP_RESPONSE_CODE(405);
        return;
    }
    const char *ep = NULL, *pct = NULL;
    for (size_t i = 0; i < m->query_count; i++) {
        if (strncmp(m->queries[i], "ep=", 3) == 0)
            ep = m->queries[i] + 3;
        else if (strncmp(m->queries[i], "pct=", 4) == 0)
            pct = m->queries[i] + 4;
    }
    /* LwM2M 1.1 §7.3.1: ep may be left out when the security protocol names the Client (its
     * DTLS-PSK identity); over NoSec nothing does, and the request is answered 4.00 */
    char who[160] = "", why[400] = "";
    bool from_identity = false;
    if (!ep || !*ep) {
        net_event *probe = net_event_new(n, NET_EV_REQUEST, req->endpoint, req->session);
        if (probe && probe->psk_identity[0] &&
            epfilter_identity_names(net_epfilter(n), probe->psk_identity, why, sizeof why)) {
            snprintf(who, sizeof who, "%s", probe->psk_identity);
            ep = who;
            from_identity = true;
        }
        net_event_free(probe);
    }
    if (ep && *ep && !epfilter_accepts(net_epfilter(n), ep)) {
        reply->code = COAP_RESPONSE_CODE(403);
        reply->payload_len = (size_t)snprintf(reply->payload, sizeof reply->payload,
                                              "not the device under test");
        return;
    }
    net_event *ev = net_event_new(n, ep && *ep ? NET_EV_BOOTSTRAP_REQUEST : NET_EV_PROTOCOL_ERROR,
                                  req->endpoint, req->session);
    if (!ep || !*ep) {
        reply->code = COAP_RESPONSE_CODE(400);
        reply->payload_len = (size_t)snprintf(reply->payload, sizeof reply->payload,
                                              "%s", why[0] ? why : "Bootstrap-Request without ep over NoSec");
        if (ev && why[0])
            snprintf(ev->detail, sizeof ev->detail, "Bootstrap-Request answered 4.00: %s", why);
        else if (ev)
            snprintf(ev->detail, sizeof ev->detail, "Bootstrap-Request without the ep parameter "
                     "over NoSec (no PSK identity to name the Client, LwM2M 1.1 §7.3.1) "
                     "answered 4.00");
    } else {
        reply->code = COAP_RESPONSE_CODE(204);
        if (ev) {
            snprintf(ev->endpoint_name, sizeof ev->endpoint_name, "%s", ep);
            snprintf(ev->detail, sizeof ev->detail, "%s%s%s%.16s",
                     from_identity ? "no ep: the PSK identity names the Client, " : "ep=", ep,
                     pct ? " pct=" : "", pct ? pct : "");
        }
    }
    if (ev) {
        net_message_copy(&ev->msg, m);
        net_push_event(n, ev);
    }
}

/* LwM2M 1.2 §6.1.3 Bootstrap-Pack-Request (GET /bspack?ep=…). Outside a case that asks
 * for it (bootstrap_arm_pack) this bootstrap server answers 4.04 Not Found, the "no pack
 * for you" a 1.2 client takes as its cue to fall back to POST /bs (as Anjay's and Leshan's
 * servers without packs do): the other bootstrap cases need that session. Armed, it
 * answers 2.05 with the pack (bs/bspack.h), when it knows where the device keeps its
 * bootstrap account; else 4.04, and the step says why. The request is in the trace and
 * the log; the pack's bytes are not (key material). */
static void on_bspack(void *arg, net_ctx *n, const net_request *req, net_reply *reply)
{
    bootstrap_server *bs = arg;
    const net_message *m = req->msg;
    reply->content_format = 0;
    if (net_endpoint_role(n, req->endpoint) != NET_ROLE_BOOTSTRAP) {
        reply->code = COAP_RESPONSE_CODE(404);
        reply->payload_len = (size_t)snprintf(reply->payload, sizeof reply->payload,
                                              "this is an LwM2M server, not the bootstrap server");
        return;
    }
    if (m->code != COAP_REQUEST_CODE_GET || strcmp(m->path, "/bspack") != 0) {
        reply->code = COAP_RESPONSE_CODE(405);
        reply->content_format = -1;
        return;
    }
    const char *ep = "";
    for (size_t i = 0; i < m->query_count; i++)
        if (strncmp(m->queries[i], "ep=", 3) == 0)
            ep = m->queries[i] + 3;
    bs->saw_pack_request = true; /* only LwM2M 1.2 has it: the write format's version */
    char who[160] = "", who_why[400]; /* no ep: the PSK identity names it (1.1 §7.3.1) */
    if (!*ep) {
        net_event *probe = net_event_new(n, NET_EV_REQUEST, req->endpoint, req->session);
        if (probe && probe->psk_identity[0] &&
            epfilter_identity_names(net_epfilter(n), probe->psk_identity, who_why,
                                    sizeof who_why)) {
            snprintf(who, sizeof who, "%s", probe->psk_identity);
            ep = who;
        }
        net_event_free(probe);
    }
    if (!bs->pack_armed) {
        reply->code = COAP_RESPONSE_CODE(404);
        reply->payload_len = (size_t)snprintf(reply->payload, sizeof reply->payload,
                                              "no Bootstrap-Pack here: send a Bootstrap-Request "
                                              "(POST /bs)");
        log_info(bs->d->log, "Bootstrap-Pack-Request (GET /bspack%s%.64s) answered 4.04: this "
                 "bootstrap server provisions with Bootstrap-Writes; the device should fall back "
                 "to POST /bs", *ep ? "?ep=" : "", ep);
        return;
    }
    net_event *ev = net_event_new(n, NET_EV_REQUEST, req->endpoint, req->session);
    char why[400] = "";
    int iid = bs->opt.account_iid_given ? bs->opt.account_iid : bs->told_bs_iid;
    bspack_reply(bs->d, bs->opt.advertise_host, iid >= 0 ? iid : -1, m, *ep ? ep : NULL, reply,
                 why, sizeof why);
    if (ev) {
        snprintf(ev->endpoint_name, sizeof ev->endpoint_name, "%s", ep);
        snprintf(ev->detail, sizeof ev->detail, "%s", why);
        ev->exchange_id = (uint64_t)reply->code;
        net_message_copy(&ev->msg, m);
        net_push_event(n, ev);
    }
}

bootstrap_server *bootstrap_new(dut *d, const bootstrap_options *opt, lc_error *err)
{
    if (net_endpoint_by_ssid(d->net, 0) < 0) {
        lc_error_set(err, LC_EINVAL, "%s has no bootstrap account (a /0/x with /0/x/1 true), so "
                     "the tool cannot play the bootstrap server", d->cfg->source);
        return NULL;
    }
    bootstrap_server *bs = calloc(1, sizeof *bs);
    if (!bs) {
        lc_error_set(err, LC_ENOMEM, "out of memory");
        return NULL;
    }
    bs->d = d;
    if (opt)
        bs->opt = *opt;
    else
        bs->opt.content_format = -1;
    bs->endpoint = -1;
    bs->pct = -1;
    bs->told_bs_iid = -2;
    bs->list_count = provision_list(d->cfg, bs->list, PROVISION_MAX_INSTANCES);
    if (bs->list_count > PROVISION_MAX_INSTANCES || bs->list_count > 64) {
        free(bs);
        lc_error_set(err, LC_EINVAL, "%s has more instances than the bootstrap server can "
                     "provision (%d)", d->cfg->source, PROVISION_MAX_INSTANCES);
        return NULL;
    }
    if (net_add_handler(d->net, "bs", on_bs, bs) < 0 ||
        net_add_handler(d->net, "bspack", on_bspack, bs) < 0) {
        free(bs);
        lc_error_set(err, LC_EINVAL, "cannot route /bs");
        return NULL;
    }
    return bs;
}

static void release_session(bootstrap_server *bs)
{
    if (bs->session)
        coap_session_release(bs->session);
    bs->session = NULL;
    bs->endpoint = -1;
}

void bootstrap_free(bootstrap_server *bs)
{
    if (!bs)
        return;
    release_session(bs);
    free(bs);
}

void bootstrap_forget_device(bootstrap_server *bs)
{
    release_session(bs);
    bs->endpoint_name[0] = '\0';
    bs->pct = -1;
    bs->placed = false;
    bs->refused_now[0] = '\0';
    bs->written = 0;
    bs->finished = false;
}

void bootstrap_arm_pack(bootstrap_server *bs, bool armed)
{
    if (bs)
        bs->pack_armed = armed;
}

int bootstrap_use_config(bootstrap_server *bs, lc_error *err)
{
    lwm2m_path list[PROVISION_MAX_INSTANCES];
    size_t n = provision_list(bs->d->cfg, list, PROVISION_MAX_INSTANCES);
    if (n > PROVISION_MAX_INSTANCES || n > 64)
        return lc_error_set(err, LC_EINVAL, "%s has more instances than the bootstrap server can "
                            "provision (%d)", bs->d->cfg->source, PROVISION_MAX_INSTANCES);
    memcpy(bs->list, list, n * sizeof *list);
    bs->list_count = n;
    bs->written = 0;
    bs->finished = false;
    return 0;
}

bool bootstrap_device_provisioned(const bootstrap_server *bs)
{
    return bs->list_count > 0 && bs->written == full_mask(bs) && bs->finished;
}

/* ---- how the tool writes ------------------------------------------------------------ */

int bootstrap_placement_text(const bootstrap_server *bs, char *buf, size_t cap)
{
    char moves[300];
    if (cap)
        buf[0] = '\0';
    if (!instmap_format(&bs->d->instances, moves, sizeof moves))
        return 0;
    return snprintf(buf, cap, "the device keeps its bootstrap account in Security instance /0/%d "
                    "(%s); the tool placed the configuration's instances around it: %s, and the "
                    "criteria name the placed ids", bs->d->instances.bootstrap_iid,
                    bs->told_how, moves);
}

/* The device's LwM2M version for the write-format rule: the run's --lwm2m, else what it
 * last registered as (a device bootstrapped again after a reset), else unknown (NULL). */
static const char *device_version(const bootstrap_server *bs)
{
    if (bs->opt.lwm2m_version)
        return bs->opt.lwm2m_version;
    const registration *newest = NULL;
    for (size_t i = 0; i < registry_count(bs->d->reg); i++) {
        const registration *r = registry_at(bs->d->reg, i);
        if (!newest || r->registered_at >= newest->registered_at)
            newest = r;
    }
    if (!newest) /* before any Register: a Bootstrap-Pack-Request is LwM2M 1.2's */
        return bs->saw_pack_request ? "1.2" : NULL;
    return newest->query.has_lwm2m_version ? newest->query.lwm2m_version : "1.0";
}

bool bootstrap_can_write(int cf)
{
    const content_codec *c = content_codec_find(cf);
    return c && c->encode && !c->single_value;
}

int bootstrap_write_format(int configured, int pct, const char *version, bool *fell_back)
{
    if (fell_back)
        *fell_back = false;
    if (configured >= 0)
        return configured;
    if (pct >= 0 && bootstrap_can_write(pct))
        return pct;
    if (pct >= 0 && fell_back)
        *fell_back = true;
    lwm2m_version v;
    if (!version || lwm2m_version_parse(version, &v) < 0 ||
        lwm2m_version_cmp(v, (lwm2m_version){1, 1}) < 0)
        return CF_TLV;
    return bootstrap_can_write(CF_SENML_CBOR) ? CF_SENML_CBOR : CF_SENML_JSON;
}

/* The length of a leading bare lwm2m="X.Y" or lwm2m=X.Y (digits '.' digits) ended by ','
 * or the payload's end; 0 when the payload does not start so. */
static size_t bare_version_len(const uint8_t *p, size_t len)
{
    static const char key[] = "lwm2m=";
    size_t k = sizeof key - 1;
    if (len < k || memcmp(p, key, k) != 0)
        return 0;
    bool quoted = k < len && p[k] == '"';
    size_t i = k + quoted, major = 0, minor = 0;
    while (i < len && p[i] >= '0' && p[i] <= '9')
        i++, major++;
    if (!major || i >= len || p[i] != '.')
        return 0;
    i++;
    while (i < len && p[i] >= '0' && p[i] <= '9')
        i++, minor++;
    if (!minor || (quoted && (i >= len || p[i++] != '"')))
        return 0;
    return i == len || p[i] == ',' ? i : 0;
}

bool bootstrap_normalize_discover(uint8_t **payload, size_t *len)
{
    if (!*payload || !bare_version_len(*payload, *len))
        return false;
    uint8_t *p = malloc(*len + 4);
    if (!p)
        return false;
    memcpy(p, "</>;", 4);
    memcpy(p + 4, *payload, *len);
    free(*payload);
    *payload = p;
    *len += 4;
    return true;
}

/* ---- operations ---------------------------------------------------------------------- */

/* arg: NULL, or the uint64_t mono_ms before which a request does not count */
static bool match_bs_request(const net_event *ev, void *arg)
{
    const uint64_t *not_before = arg;
    return ev->short_server_id == 0 && (!not_before || ev->at_ms >= *not_before) &&
           (ev->kind == NET_EV_BOOTSTRAP_REQUEST ||
            (ev->kind == NET_EV_PROTOCOL_ERROR && strcmp(ev->msg.path, "/bs") == 0));
}

static void expect_request(bootstrap_server *bs, uint64_t deadline, uint64_t not_before,
                           step_outcome *o)
{
    uint64_t t0 = mono_ms();
    net_event *ev = NULL;
    int r = net_wait(bs->d->net, match_bs_request, not_before ? &not_before : NULL, deadline,
                     &ev);
    o->elapsed_ms = mono_ms() - t0;
    if (r == LC_EINTR) {
        o->status = OUTCOME_NOT_RUN;
        snprintf(o->detail, sizeof o->detail, "interrupted while waiting for a Bootstrap-Request");
        return;
    }
    if (r == LC_EIO && net_abort_reason(bs->d->net)) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "%s", net_abort_reason(bs->d->net));
        return;
    }
    if (r < 0) {
        int e = net_endpoint_by_ssid(bs->d->net, 0);
        o->status = OUTCOME_TIMEOUT;
        snprintf(o->detail, sizeof o->detail, "no Bootstrap-Request on the bootstrap server (UDP "
                 "port %u) within %.1f s", net_endpoint_port(bs->d->net, e),
                 (double)(deadline > t0 ? deadline - t0 : 0) / 1000.0);
        return;
    }
    o->status = OUTCOME_OK;
    o->has_request = true;
    o->answered_at = ev->at_ms;
    if (ev->kind == NET_EV_BOOTSTRAP_REQUEST) /* the device starts a new life from here */
        bs->d->life_started_at = ev->at_ms;
    net_message_clear(&o->request);
    o->request = ev->msg;
    memset(&ev->msg, 0, sizeof ev->msg);
    o->has_response = true;
    net_message_clear(&o->response);
    o->response.content_format = o->response.accept = o->response.observe = -1;
    o->response.type = COAP_MESSAGE_ACK;
    if (ev->kind == NET_EV_BOOTSTRAP_REQUEST) {
        o->response.code = COAP_RESPONSE_CODE(204);
        release_session(bs);
        bs->session = coap_session_reference(ev->session);
        bs->endpoint = ev->endpoint;
        bs->placed = false; /* a new session: ask again where the bootstrap account is */
        bs->refused_now[0] = '\0';
        snprintf(bs->endpoint_name, sizeof bs->endpoint_name, "%s", ev->endpoint_name);
        snprintf(o->endpoint_name, sizeof o->endpoint_name, "%s", ev->endpoint_name);
        bs->pct = -1;
        for (size_t i = 0; i < o->request.query_count; i++)
            if (strncmp(o->request.queries[i], "pct=", 4) == 0)
                bs->pct = atoi(o->request.queries[i] + 4);
        log_debug(bs->d->log, "Bootstrap-Request from %s (ep=%s, PSK identity \"%s\")", ev->peer,
                  ev->endpoint_name, ev->psk_identity);
        bool fell_back = false;
        int cf = bootstrap_write_format(bs->opt.content_format, bs->pct, device_version(bs),
                                        &fell_back);
        if (fell_back)
            log_warn(bs->d->log, "the device asked for %s (pct=%d) in its Bootstrap-Request; the "
                     "tool cannot write that format and writes %s (%d) instead",
                     content_format_name(bs->pct), bs->pct, content_format_name(cf), cf);
    } else {
        o->response.code = COAP_RESPONSE_CODE(400);
        snprintf(o->detail, sizeof o->detail, "%s", ev->detail);
    }
    net_event_free(ev);
}

/* Sends one request to the bootstrapping client and waits for its response. */
static void request(bootstrap_server *bs, const net_request_spec *spec, uint64_t deadline,
                    step_outcome *o)
{
    net_message_clear(&o->request);
    net_message_clear(&o->response);
    o->has_request = o->has_response = false;
    o->request.content_format = o->request.accept = o->request.observe = -1;
    o->response.content_format = o->response.accept = o->response.observe = -1;
    o->detail[0] = '\0';
    if (!bs->session) {
        o->status = OUTCOME_DEVICE_ERROR;
        snprintf(o->detail, sizeof o->detail, "no bootstrap session to send %s %s on: no Bootstrap-Request "
                 "was accepted from the device (none came, or it was malformed and refused), or "
                 "its bootstrap already ended with a Bootstrap-Finish",
                 net_code_name(spec->method), spec->path);
        return;
    }
    exchange_run(bs->d->net, bs->session, bs->endpoint, spec, deadline, o);
}

static bool answered(const step_outcome *o, int code)
{
    return o->status == OUTCOME_OK && o->has_response && o->response.code == code;
}

/* ---- where the device's bootstrap account is ---------------------------------------- */

/* Asks the device with a Bootstrap-Discover of /0 (until deadline) which Security instance
 * holds its bootstrap account. Returns it, or -1 with how saying why not; LC_EINTR when
 * the run was interrupted. */
static int discover_account(bootstrap_server *bs, int preferred, uint64_t deadline, char *how,
                            size_t cap)
{
    step_outcome *o = calloc(1, sizeof *o);
    if (!o) {
        snprintf(how, cap, "out of memory");
        return -1;
    }
    net_request_spec spec = {.method = COAP_REQUEST_CODE_GET, .path = "/0",
                             .accept = CF_LINK_FORMAT, .content_format = -1, .observe = -1};
    request(bs, &spec, deadline, o);
    int iid = -1;
    if (o->status == OUTCOME_NOT_RUN) {
        iid = LC_EINTR;
    } else if (answered(o, COAP_RESPONSE_CODE(205))) {
        char why[300];
        iid = bsaccount_from_discover(o->response.payload, o->response.payload_len, preferred,
                                      why, sizeof why);
        snprintf(how, cap, "Bootstrap-Discover /0%s%s", why[0] ? ": " : "", why);
    } else {
        bs->discover_refused = true;
        char code[8] = "";
        if (o->has_response)
            net_code_format(o->response.code, code, sizeof code);
        snprintf(how, cap, "Bootstrap-Discover /0: %s%s%s", code, code[0] ? " " : "",
                 o->has_response ? net_code_name(o->response.code) : o->detail);
        snprintf(bs->refused_now, sizeof bs->refused_now, "%s", how);
        log_warn(bs->d->log, "%s: the device did not say where it keeps its bootstrap account; "
                 "a device without Bootstrap-Discover can be told with --bootstrap-account-iid N",
                 how);
    }
    step_outcome_clear(o);
    free(o);
    return iid;
}

/* Before the first write or delete of an instance in a session: learns where the device
 * keeps its bootstrap account and places the configuration's instances around it
 * (d->instances). The Bootstrap-Discover has until deadline; returns how long it took, so
 * that the caller's own deadline can make room for it. */
static uint64_t place_instances(bootstrap_server *bs, uint64_t deadline)
{
    if (bs->placed || !bs->session)
        return 0;
    uint64_t t0 = mono_ms();
    const config_account *cb = config_bootstrap(bs->d->cfg);
    int dflt = cb ? cb->security_instance : -1, iid = -1;
    char how[400] = "";
    if (bs->opt.account_iid_given) {
        iid = bs->opt.account_iid;
        snprintf(how, sizeof how, "--bootstrap-account-iid");
    } else if (!bs->discover_refused) {
        iid = discover_account(bs, dflt, deadline, how, sizeof how);
        if (iid == LC_EINTR)
            return mono_ms() - t0;
    } else {
        snprintf(how, sizeof how, "the device did not answer Bootstrap-Discover /0 before");
    }
    if (iid < 0) {
        size_t l = strlen(how);
        snprintf(how + l, sizeof how - l, "%sassumed where %s has it", l ? "; " : "",
                 bs->d->cfg->source);
        iid = dflt;
    }
    lc_error err = {0};
    if (provision_map(bs->d->cfg, iid, &bs->d->instances, &err) < 0)
        log_warn(bs->d->log, "placing the configuration's instances: %s", err.msg);
    bs->placed = true;
    char moves[300];
    instmap_format(&bs->d->instances, moves, sizeof moves);
    log_msg(bs->d->log, bs->told_bs_iid == iid ? LOG_LVL_DEBUG : LOG_LVL_INFO, "the device keeps its bootstrap account in /0/%d (%s); %s%s", iid, how,
        moves[0] ? "the configuration's instances go elsewhere on it: " :
                   "the configuration's instance ids are free on it", moves);
    bs->told_bs_iid = iid;
    snprintf(bs->told_how, sizeof bs->told_how, "%s", how);
    return mono_ms() - t0;
}

/* The tool never writes or deletes the device's own bootstrap account. False (o filled,
 * an ERROR) when dev, a path in the device's numbering, is that instance or below it. */
static bool spares_bootstrap_account(const bootstrap_server *bs, const lwm2m_path *dev,
                                     const char *op, step_outcome *o)
{
    int b = bs->d->instances.bootstrap_iid;
    if (b < 0 || dev->depth < 2 || dev->ids[0] != 0 || dev->ids[1] != b)
        return true;
    if (o->step && o->step->bootstrap_account) {
        log_info(bs->d->log, "%s on the device's own bootstrap account /0/%d, as the case says "
                 "it tests: %s", op, b, o->step->bootstrap_account);
        return true;
    }
    o->status = OUTCOME_TOOL_ERROR;
    char p[32];
    lwm2m_path_format(dev, p, sizeof p);
    snprintf(o->detail, sizeof o->detail, "not sent: %s %s would change the device's own "
             "bootstrap account (Security instance /0/%d); the tool touches it only for a step "
             "whose 'bootstrap_account' cites the text it tests", op, p, b);
    return false;
}

/* One Bootstrap-Write of recs at base (PUT base). */
static void write_records(bootstrap_server *bs, const lwm2m_path *base, const lwm2m_records *recs,
                          const tc_step *step, uint64_t deadline, step_outcome *o)
{
    bool fell_back = false;
    int cf = bootstrap_write_format(step && step->content_format >= 0 ? step->content_format
                                                                      : bs->opt.content_format,
                                    bs->pct, device_version(bs), &fell_back);
    lc_error err = {0};
    uint8_t *payload = NULL;
    size_t len = 0;
    if (content_encode(cf, base, recs, &payload, &len, &err) < 0) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "cannot build the Bootstrap-Write: %s", err.msg);
        return;
    }
    char path[32];
    lwm2m_path_format(base, path, sizeof path);
    net_request_spec spec = {.method = COAP_REQUEST_CODE_PUT, .path = path, .accept = -1,
                             .content_format = cf, .observe = -1, .payload = payload,
                             .payload_len = len, .confidential = base->depth == 0 || base->ids[0] == 0};
    request(bs, &spec, deadline, o);
    memset(payload, 0, len); /* it may hold a PSK key */
    free(payload);
    if (fell_back && o->status == OUTCOME_OK)
        snprintf(o->detail, sizeof o->detail, "written in %s: the device asked for %s (pct=%d), "
                 "which the tool cannot write", content_format_name(cf),
                 content_format_name(bs->pct), bs->pct);
}

/* Writes instance inst (the configuration's numbering) as the configuration describes it,
 * to where it was placed on the device. */
static void write_config_instance(bootstrap_server *bs, const lwm2m_path *inst, const tc_step *step,
                                  uint64_t deadline, step_outcome *o)
{
    deadline += place_instances(bs, deadline);
    lwm2m_path dev = *inst;
    instmap_to_device(&bs->d->instances, &dev);
    if (!spares_bootstrap_account(bs, &dev, "Bootstrap-Write", o))
        return;
    const config_account *acct = provision_account_of(bs->d->cfg, inst);
    char uri[300] = "";
    if (acct && dut_endpoint_uri(bs->d, acct->bootstrap ? 0 : acct->short_server_id,
                                 bs->opt.advertise_host, uri, sizeof uri) < 0)
        uri[0] = '\0'; /* no endpoint of the tool's for it: the configuration's own URI */
    lwm2m_records recs;
    records_init(&recs);
    lc_error err = {0};
    int r = provision_instance_records(bs->d->cfg, &bs->d->instances, inst, uri[0] ? uri : NULL,
                                       &recs, &err);
    if (r < 0) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "cannot build the Bootstrap-Write: %s", err.msg);
    } else {
        forget_written_under(bs, inst);
        write_records(bs, &dev, &recs, step, deadline, o);
        int i = list_index(bs, inst);
        if (i >= 0 && answered(o, COAP_RESPONSE_CODE(204)))
            bs->written |= (uint64_t)1 << i;
    }
    provision_records_wipe(&recs);
    records_free(&recs);
}

/* Says in o's detail where the configuration's instances went, when not at their own ids. */
static void note_placement(const bootstrap_server *bs, step_outcome *o)
{
    char moves[300];
    if (!instmap_format(&bs->d->instances, moves, sizeof moves))
        return;
    size_t l = strlen(o->detail);
    snprintf(o->detail + l, sizeof o->detail - l, "%sthe device keeps its bootstrap account in "
             "/0/%d, so the configuration's instances were placed: %s", l ? "; " : "",
             bs->d->instances.bootstrap_iid, moves);
}

/* Every instance of the configuration, one Bootstrap-Write each, stopping at the first
 * answer that is not 2.04. The request line names every instance written. */
static void write_config(bootstrap_server *bs, const tc_step *step, uint64_t deadline,
                         step_outcome *o)
{
    char paths[sizeof o->request.path] = "";
    size_t pl = 0;
    uint64_t t0 = mono_ms();
    if (bs->list_count == 0) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "%s has no server account, Server or Access "
                 "Control instance to write", bs->d->cfg->source);
        return;
    }
    deadline += place_instances(bs, deadline);
    for (size_t i = 0; i < bs->list_count; i++) {
        write_config_instance(bs, &bs->list[i], step, deadline, o);
        lwm2m_path dev = bs->list[i];
        instmap_to_device(&bs->d->instances, &dev);
        char p[32];
        lwm2m_path_format(&dev, p, sizeof p);
        if (pl < sizeof paths)
            pl += (size_t)snprintf(paths + pl, sizeof paths - pl, "%s%s", pl ? "," : "", p);
        if (!answered(o, COAP_RESPONSE_CODE(204))) {
            if (i + 1 < bs->list_count && o->status != OUTCOME_TOOL_ERROR) {
                char tmp[sizeof o->detail];
                snprintf(tmp, sizeof tmp, "%s", o->detail);
                snprintf(o->detail, sizeof o->detail, "stopped at PUT %s (Bootstrap-Write %zu of "
                         "%zu)%s%s", p, i + 1, bs->list_count, tmp[0] ? ": " : "", tmp);
            }
            break;
        }
    }
    if (o->has_request)
        snprintf(o->request.path, sizeof o->request.path, "%s", paths);
    if (answered(o, COAP_RESPONSE_CODE(204)))
        note_placement(bs, o);
    o->elapsed_ms = mono_ms() - t0;
}

/* A bootstrap-write step: the configuration (no path), one instance of it (a path, no
 * values), or the step's own values or raw payload at path. */
static void write_step(bootstrap_server *bs, const tc_step *s, uint64_t deadline, step_outcome *o)
{
    if (!s->path) {
        write_config(bs, s, deadline, o);
        return;
    }
    lwm2m_path p;
    if (lwm2m_path_parse(s->path, &p) < 0 || p.depth < 1 || p.depth > 3) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "bootstrap-write takes an object, instance or "
                 "resource path, not %s", s->path);
        return;
    }
    if (s->value_count == 0 && !s->payload) {
        if (p.depth != 2) {
            o->status = OUTCOME_TOOL_ERROR;
            snprintf(o->detail, sizeof o->detail, "bootstrap-write without values writes one "
                     "instance of the configuration: give an instance path (/0/0), not %s", s->path);
            return;
        }
        write_config_instance(bs, &p, s, deadline, o);
        return;
    }
    forget_written_under(bs, &p); /* the instance no longer holds the configuration */
    deadline += place_instances(bs, deadline);
    lwm2m_path dev = p;
    instmap_to_device(&bs->d->instances, &dev);
    if (!spares_bootstrap_account(bs, &dev, "Bootstrap-Write", o))
        return;
    char dev_path[32];
    lwm2m_path_format(&dev, dev_path, sizeof dev_path);
    if (s->payload) {
        int cf = s->content_format >= 0 ? s->content_format : CF_TLV;
        net_request_spec spec = {.method = COAP_REQUEST_CODE_PUT, .path = dev_path, .accept = -1,
                                 .content_format = cf, .observe = -1,
                                 .payload = (const uint8_t *)s->payload,
                                 .payload_len = strlen(s->payload), .confidential = p.ids[0] == 0};
        request(bs, &spec, deadline, o);
        return;
    }
    lwm2m_records recs;
    records_init(&recs);
    lc_error err = {0};
    tc_vars_env venv = {.cfg = bs->d->cfg, .instances = &bs->d->instances,
                        .endpoint_name = bs->endpoint_name[0] ? bs->endpoint_name : NULL};
    if (stepvalues_records(s, &venv, &recs, &err) < 0) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "step %d cannot be sent: %s", s->number, err.msg);
    } else {
        for (size_t i = 0; i < recs.count; i++)
            instmap_to_device(&bs->d->instances, &recs.items[i].path);
        write_records(bs, &dev, &recs, s, deadline, o);
    }
    provision_records_wipe(&recs);
    records_free(&recs);
}

/* A path of a step (the configuration's numbering) in the device's numbering, into buf;
 * deadline grows by the time it took to learn where the bootstrap account is when the
 * path names an instance. False (o filled) when it is the device's bootstrap account and
 * op would change it. */
static bool device_path(bootstrap_server *bs, const char *path, const char *op, uint64_t *deadline,
                        char *buf, size_t cap, step_outcome *o)
{
    lwm2m_path p;
    snprintf(buf, cap, "%s", path);
    if (lwm2m_path_parse(path, &p) < 0 || p.depth < 2)
        return true; /* "/" and objects are the same on every device; bad paths go as they are */
    *deadline += place_instances(bs, *deadline);
    if (instmap_to_device(&bs->d->instances, &p))
        lwm2m_path_format(&p, buf, cap);
    return !op || spares_bootstrap_account(bs, &p, op, o);
}

static void delete_step(bootstrap_server *bs, const char *path, uint64_t deadline, step_outcome *o)
{
    lwm2m_path p;
    if (lwm2m_path_parse(path, &p) == 0)
        forget_written_under(bs, &p); /* whatever the answer: the content is unknown now */
    char dev[32];
    if (!device_path(bs, path, "Bootstrap-Delete", &deadline, dev, sizeof dev, o))
        return;
    net_request_spec spec = {.method = COAP_REQUEST_CODE_DELETE, .path = dev, .accept = -1,
                             .content_format = -1, .observe = -1};
    request(bs, &spec, deadline, o);
}

static void finish_step(bootstrap_server *bs, uint64_t deadline, step_outcome *o)
{
    net_request_spec spec = {.method = COAP_REQUEST_CODE_POST, .path = "/bs", .accept = -1,
                             .content_format = -1, .observe = -1};
    request(bs, &spec, deadline, o);
    if (answered(o, COAP_RESPONSE_CODE(204))) {
        bs->finished = true;
        release_session(bs); /* bootstrap is over: the device leaves this session */
    } else {
        /* no answer: the device may have finished anyway; a refusal (4.06) means it has not */
        bs->finished = o->status == OUTCOME_TIMEOUT || o->status == OUTCOME_NO_ANSWER;
    }
}

static void discover_step(bootstrap_server *bs, const tc_step *s, uint64_t deadline, step_outcome *o)
{
    net_request_spec spec = {.method = COAP_REQUEST_CODE_GET, .path = s->path ? s->path : "/",
                             .accept = CF_LINK_FORMAT, .content_format = -1, .observe = -1};
    request(bs, &spec, deadline, o);
    if (o->has_response &&
        bootstrap_normalize_discover(&o->response.payload, &o->response.payload_len))
        log_info(bs->d->log, "Bootstrap-Discover: read the leading bare lwm2m= parameter (the "
                 "form of the LwM2M 1.0 and 1.1 examples) as the link </>;lwm2m=…");
}

/* Bootstrap-Read may not read the Security object; a device that answers anyway would put
 * its keys into the report, so such a payload is replaced by a note (the code can still be
 * judged, which is all a case asks there). */
static void withhold_security(const char *path, step_outcome *o)
{
    lwm2m_path p;
    if (!o->has_response || !o->response.payload_len || lwm2m_path_parse(path, &p) < 0 ||
        (p.depth > 0 && p.ids[0] != 0))
        return;
    char note[96];
    int n = snprintf(note, sizeof note, "(withheld: %zu bytes that may hold the Security "
                     "object's keys)", o->response.payload_len);
    memset(o->response.payload, 0, o->response.payload_len);
    free(o->response.payload);
    o->response.payload = (uint8_t *)strdup(note);
    o->response.payload_len = o->response.payload ? (size_t)n : 0;
}

/* Appends the operation just done to a provisioning summary. */
static void note(char *done, size_t cap, const step_outcome *o, const char *what)
{
    size_t l = strlen(done);
    char code[8] = "?";
    if (o->has_response)
        net_code_format(o->response.code, code, sizeof code);
    snprintf(done + l, cap - l, "%s%s %s", l ? ", " : "", what, code);
}

/* Delete, Write of every instance, Finish. The Bootstrap-Request is awaited first (until
 * request_deadline) unless one was already taken; each operation then has until
 * ops_deadline, or ops_timeout_ms from when it starts when that is nonzero. */
static void provision(bootstrap_server *bs, const tc_step *step, uint64_t request_deadline,
                      uint64_t ops_timeout_ms, step_outcome *o)
{
    char done[700] = "";
    uint64_t t0 = mono_ms();
    if (!bs->session) {
        expect_request(bs, request_deadline, 0, o);
        if (o->status != OUTCOME_OK || o->response.code != COAP_RESPONSE_CODE(204))
            return;
        note(done, sizeof done, o, "Bootstrap-Request");
    }
#define OPS_DEADLINE() (ops_timeout_ms ? mono_ms() + ops_timeout_ms : request_deadline)
    request_deadline += place_instances(bs, OPS_DEADLINE());
    delete_step(bs, "/", OPS_DEADLINE(), o);
    if (!answered(o, COAP_RESPONSE_CODE(202)))
        goto failed;
    note(done, sizeof done, o, "Bootstrap-Delete /");
    for (size_t i = 0; i < bs->list_count; i++) {
        write_config_instance(bs, &bs->list[i], step, OPS_DEADLINE(), o);
        if (!answered(o, COAP_RESPONSE_CODE(204)))
            goto failed;
        char what[48];
        snprintf(what, sizeof what, "Bootstrap-Write %s", o->request.path);
        note(done, sizeof done, o, what);
    }
    finish_step(bs, OPS_DEADLINE(), o);
#undef OPS_DEADLINE
    o->elapsed_ms = mono_ms() - t0;
    if (o->status != OUTCOME_OK)
        goto failed;
    snprintf(o->detail, sizeof o->detail, "%s, then Bootstrap-Finish", done);
    note_placement(bs, o);
    return;
failed:;
    char tmp[sizeof o->detail];
    snprintf(tmp, sizeof tmp, "%s", o->detail);
    const char *op = o->request.code == COAP_REQUEST_CODE_DELETE ? "Bootstrap-Delete"
                   : o->request.code == COAP_REQUEST_CODE_PUT    ? "Bootstrap-Write"
                                                                 : "Bootstrap-Finish";
    if (o->has_response) {
        char code[8];
        net_code_format(o->response.code, code, sizeof code);
        snprintf(o->detail, sizeof o->detail, "%s %s answered %s %s (after: %s)", op,
                 o->request.path, code, net_code_name(o->response.code), done[0] ? done : "nothing");
    } else {
        snprintf(o->detail, sizeof o->detail, "%s %s: %s (after: %s)", op, o->request.path,
                 tmp[0] ? tmp : "failed", done[0] ? done : "nothing");
    }
    if (bs->refused_now[0]) {
        /* the tool's own question came first: say so, and how to leave it out */
        size_t l = strlen(o->detail);
        snprintf(o->detail + l, sizeof o->detail - l, "; before that the tool asked where the "
                 "device keeps its bootstrap account (%s): for a device without "
                 "Bootstrap-Discover, give --bootstrap-account-iid N", bs->refused_now);
    }
    o->elapsed_ms = mono_ms() - t0;
}

int bootstrap_provision_device(bootstrap_server *bs, uint64_t timeout_ms, char *summary,
                               size_t cap, lc_error *err)
{
    return bootstrap_provision_device_within(bs, timeout_ms, timeout_ms, summary, cap, err);
}

int bootstrap_provision_device_within(bootstrap_server *bs, uint64_t request_timeout_ms,
                                      uint64_t timeout_ms, char *summary, size_t cap,
                                      lc_error *err)
{
    step_outcome *o = calloc(1, sizeof *o);
    if (!o)
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    o->request.content_format = o->request.accept = o->request.observe = -1;
    o->response.content_format = o->response.accept = o->response.observe = -1;
    provision(bs, NULL, mono_ms() + request_timeout_ms, timeout_ms, o);
    int rc = 0;
    if (o->status == OUTCOME_NOT_RUN)
        rc = lc_error_set(err, LC_EINTR, "interrupted while bootstrapping the device");
    else if (!answered(o, COAP_RESPONSE_CODE(204)) || o->request.code != COAP_REQUEST_CODE_POST)
        rc = lc_error_set(err, LC_EIO, "%s", o->detail);
    else if (summary && cap)
        snprintf(summary, cap, "%s", o->detail);
    step_outcome_clear(o);
    free(o);
    return rc;
}

bool bootstrap_request_pending(const bootstrap_server *bs)
{
    return net_peek(bs->d->net, match_bs_request, NULL) != NULL;
}

int bootstrap_serve_unplanned(bootstrap_server *bs, const char *during, uint64_t timeout_ms,
                              lc_error *err)
{
    if (!bootstrap_request_pending(bs))
        return 0;
    /* the device bootstraps again: what it held before is gone, and the request queued is
     * the one this provisioning answers */
    bootstrap_forget_device(bs);
    uint64_t t0 = mono_ms();
    char summary[700] = "";
    lc_error e = {0};
    int r = bootstrap_provision_device(bs, timeout_ms, summary, sizeof summary, &e);
    bootstrap_unplanned *u = bs->unplanned_count < BOOTSTRAP_MAX_UNPLANNED
                                 ? &bs->unplanned[bs->unplanned_count] : NULL;
    bs->unplanned_count++;
    if (u) {
        memset(u, 0, sizeof *u);
        snprintf(u->during, sizeof u->during, "%s", during ? during : "between cases");
        u->at = t0;
        u->ok = r == 0;
        snprintf(u->detail, sizeof u->detail, "%s", r == 0 ? summary : e.msg);
    }
    if (r == LC_EINTR)
        return lc_error_set(err, LC_EINTR, "%s", e.msg);
    if (r < 0) {
        log_warn(bs->d->log, "the device bootstrapped again (%s) and provisioning it failed: %s",
                 during ? during : "between cases", e.msg);
        return lc_error_set(err, r, "the device bootstrapped again and provisioning it failed: %s",
                            e.msg);
    }
    log_info(bs->d->log, "the device bootstrapped again (%s): provisioned it: %s",
             during ? during : "between cases", summary);
    return 1;
}

size_t bootstrap_unplanned_count(const bootstrap_server *bs) { return bs->unplanned_count; }

const bootstrap_unplanned *bootstrap_unplanned_at(const bootstrap_server *bs, size_t i)
{
    return i < bs->unplanned_count && i < BOOTSTRAP_MAX_UNPLANNED ? &bs->unplanned[i] : NULL;
}

void bootstrap_execute_step(bootstrap_server *bs, const tc_step *s, uint64_t deadline,
                            uint64_t not_before, step_outcome *o)
{
    net_request_spec spec = {.path = s->path ? s->path : "/", .accept = s->accept,
                             .content_format = -1, .observe = -1};
    switch (s->op) {
    case TC_OP_EXPECT_BOOTSTRAP_REQUEST:
        expect_request(bs, deadline, not_before, o);
        return;
    case TC_OP_BOOTSTRAP_DELETE:
        delete_step(bs, spec.path, deadline, o);
        return;
    case TC_OP_BOOTSTRAP_DISCOVER:
        discover_step(bs, s, deadline, o);
        return;
    case TC_OP_BOOTSTRAP_READ: {
        char dev[32];
        device_path(bs, spec.path, NULL, &deadline, dev, sizeof dev, o);
        spec.path = dev;
        spec.method = COAP_REQUEST_CODE_GET;
        request(bs, &spec, deadline, o);
        withhold_security(spec.path, o);
        return;
    }
    case TC_OP_BOOTSTRAP_FINISH:
        finish_step(bs, deadline, o);
        return;
    case TC_OP_BOOTSTRAP_WRITE:
        write_step(bs, s, deadline, o);
        return;
    case TC_OP_BOOTSTRAP_PROVISION:
        provision(bs, s, deadline, 0, o);
        return;
    case TC_OP_EXPECT_BOOTSTRAP_PACK_REQUEST:
        bspack_expect(bs->d, deadline, o);
        return;
    default:
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "%s is not a bootstrap operation", tc_op_name(s->op));
        return;
    }
}
