#include "bs/bootstrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mono.h"
#include "lwm2m/content/content.h"
#include "lwm2m/objects.h"
#include "net/message.h"
#include "tc/vars.h"

struct bootstrap_server {
    dut *d;
    bootstrap_options opt;
    coap_session_t *session; /* the client that sent the last Bootstrap-Request; referenced */
    int endpoint;
    char endpoint_name[256];
    int preferred_format;    /* pct of a 1.1 client, else -1 */
};

/* ---- Bootstrap-Request ---------------------------------------------------------------- */

static void on_bs(void *arg, net_ctx *n, const net_request *req, net_reply *reply)
{
    bootstrap_server *bs = arg;
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
    const char *ep = NULL;
    int pct = -1;
    for (size_t i = 0; i < m->query_count; i++) {
        if (strncmp(m->queries[i], "ep=", 3) == 0)
            ep = m->queries[i] + 3;
        else if (strncmp(m->queries[i], "pct=", 4) == 0)
            pct = atoi(m->queries[i] + 4);
    }
    net_event *ev = net_event_new(n, ep && *ep ? NET_EV_BOOTSTRAP_REQUEST : NET_EV_PROTOCOL_ERROR,
                                  req->endpoint, req->session);
    if (!ep || !*ep) {
        reply->code = COAP_RESPONSE_CODE(400);
        reply->payload_len = (size_t)snprintf(reply->payload, sizeof reply->payload,
                                              "Bootstrap-Request without ep");
        if (ev)
            snprintf(ev->detail, sizeof ev->detail, "Bootstrap-Request without the ep parameter "
                     "answered 4.00");
    } else {
        reply->code = COAP_RESPONSE_CODE(204);
        if (ev) {
            snprintf(ev->endpoint_name, sizeof ev->endpoint_name, "%s", ep);
            snprintf(ev->detail, sizeof ev->detail, "ep=%s%s", ep, pct >= 0 ? " (pct given)" : "");
        }
    }
    if (ev) {
        net_message_copy(&ev->msg, m);
        net_push_event(n, ev);
    }
    (void)bs;
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
    bs->preferred_format = -1;
    if (net_add_handler(d->net, "bs", on_bs, bs) < 0) {
        free(bs);
        lc_error_set(err, LC_EINVAL, "cannot route /bs");
        return NULL;
    }
    return bs;
}

void bootstrap_free(bootstrap_server *bs)
{
    if (!bs)
        return;
    if (bs->session)
        coap_session_release(bs->session);
    free(bs);
}

/* ---- what the tool writes ------------------------------------------------------------ */

static int add_value(lwm2m_records *recs, const config_value *v, lc_error *err)
{
    lwm2m_path p;
    if (lwm2m_path_parse(v->path, &p) < 0)
        return lc_error_set(err, LC_EINVAL, "configuration path %s", v->path);
    lwm2m_type t = objects_type_of(&p, NULL);
    switch (v->kind) {
    case CONFIG_VALUE_BOOL:
        return records_add_bool(recs, &p, v->boolean);
    case CONFIG_VALUE_NUMBER:
        if (t == LV_FLOAT)
            return records_add_float(recs, &p, v->number);
        return records_add_int(recs, &p, (int64_t)v->number);
    case CONFIG_VALUE_STRING:
        if (t == LV_OPAQUE) {
            uint8_t buf[512];
            size_t n = 0;
            if (config_base64_decode(v->string, buf, sizeof buf, &n) < 0)
                return lc_error_set(err, LC_EINVAL, "%s: not Base64", v->path);
            return records_add_opaque(recs, &p, buf, n);
        }
        return records_add_string(recs, &p, v->string);
    }
    return LC_EINVAL;
}

/* The records of one object instance as the configuration describes it. For a server
 * account's Security instance the URI becomes the tool's own endpoint and the PSK comes
 * from the account (which --psk-file or the environment may have replaced). */
static int instance_records(bootstrap_server *bs, const lwm2m_path *inst, lwm2m_records *recs,
                            lc_error *err)
{
    const config *cfg = bs->d->cfg;
    const config_account *acct = NULL;
    if (inst->ids[0] == 0)
        for (size_t i = 0; i < cfg->account_count; i++)
            if (cfg->accounts[i].security_instance == inst->ids[1])
                acct = &cfg->accounts[i];
    for (size_t i = 0; i < cfg->value_count; i++) {
        lwm2m_path p;
        if (lwm2m_path_parse(cfg->values[i].path, &p) < 0 || !lwm2m_path_is_under(&p, inst))
            continue;
        if (acct && p.depth >= 3 && (p.ids[2] == 0 || p.ids[2] == 3 || p.ids[2] == 5))
            continue; /* written from the account below */
        int r = add_value(recs, &cfg->values[i], err);
        if (r < 0)
            return r;
    }
    if (acct) {
        lwm2m_path p = *inst;
        p.depth = 3;
        char uri[256];
        int ssid = acct->bootstrap ? 0 : acct->short_server_id;
        if (dut_endpoint_uri(bs->d, ssid, bs->opt.advertise_host, uri, sizeof uri) < 0)
            snprintf(uri, sizeof uri, "%s", acct->uri);
        p.ids[2] = 0;
        records_add_string(recs, &p, uri);
        p.ids[2] = 3;
        records_add_opaque(recs, &p, acct->psk_identity, acct->psk_identity_len);
        p.ids[2] = 5;
        records_add_opaque(recs, &p, acct->psk_key, acct->psk_key_len);
    }
    if (recs->count == 0)
        return lc_error_set(err, LC_ENOTFOUND, "the configuration has nothing for /%d/%d",
                            (int)inst->ids[0], (int)inst->ids[1]);
    return 0;
}

static int write_format(const bootstrap_server *bs)
{
    if (bs->opt.content_format >= 0)
        return bs->opt.content_format;
    if (bs->preferred_format == CF_OMA_JSON || bs->preferred_format == CF_TLV)
        return bs->preferred_format;
    return CF_TLV;
}

/* ---- operations ---------------------------------------------------------------------- */

static bool match_bs_request(const net_event *ev, void *arg)
{
    (void)arg;
    return ev->short_server_id == 0 &&
           (ev->kind == NET_EV_BOOTSTRAP_REQUEST ||
            (ev->kind == NET_EV_PROTOCOL_ERROR && strcmp(ev->msg.path, "/bs") == 0));
}

static void expect_request(bootstrap_server *bs, uint64_t deadline, step_outcome *o)
{
    uint64_t t0 = mono_ms();
    net_event *ev = NULL;
    int r = net_wait(bs->d->net, match_bs_request, NULL, deadline, &ev);
    o->elapsed_ms = mono_ms() - t0;
    if (r == LC_EINTR) {
        o->status = OUTCOME_NOT_RUN;
        snprintf(o->detail, sizeof o->detail, "interrupted while waiting for a Bootstrap-Request");
        return;
    }
    if (r < 0) {
        int e = net_endpoint_by_ssid(bs->d->net, 0);
        o->status = OUTCOME_TIMEOUT;
        snprintf(o->detail, sizeof o->detail, "no Bootstrap-Request on the bootstrap server (port %u) "
                 "within %.1f s", net_endpoint_port(bs->d->net, e), (double)(deadline - t0) / 1000.0);
        return;
    }
    o->status = OUTCOME_OK;
    o->has_request = true;
    o->request = ev->msg;
    memset(&ev->msg, 0, sizeof ev->msg);
    o->has_response = true;
    o->response.content_format = o->response.accept = o->response.observe = -1;
    o->response.type = COAP_MESSAGE_ACK;
    if (ev->kind == NET_EV_BOOTSTRAP_REQUEST) {
        o->response.code = COAP_RESPONSE_CODE(204);
        if (bs->session)
            coap_session_release(bs->session);
        bs->session = coap_session_reference(ev->session);
        bs->endpoint = ev->endpoint;
        snprintf(bs->endpoint_name, sizeof bs->endpoint_name, "%s", ev->endpoint_name);
        snprintf(o->endpoint_name, sizeof o->endpoint_name, "%s", ev->endpoint_name);
        bs->preferred_format = -1;
        for (size_t i = 0; i < o->request.query_count; i++)
            if (strncmp(o->request.queries[i], "pct=", 4) == 0)
                bs->preferred_format = atoi(o->request.queries[i] + 4);
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
    if (!bs->session) {
        o->status = OUTCOME_DEVICE_ERROR;
        snprintf(o->detail, sizeof o->detail, "the device has not sent a Bootstrap-Request, so there "
                 "is no session to send on");
        return;
    }
    lc_error err = {0};
    uint64_t id = 0, t0 = mono_ms();
    if (net_send(bs->d->net, bs->session, bs->endpoint, spec, &id, &err) < 0) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "%s", err.msg);
        return;
    }
    o->has_request = true;
    o->request.code = spec->method;
    snprintf(o->request.path, sizeof o->request.path, "%s", spec->path);
    o->request.content_format = spec->content_format;
    o->request.accept = spec->accept;
    o->request.observe = -1;
    net_event *ev = NULL;
    int r = net_await_response(bs->d->net, id, deadline, &ev);
    o->elapsed_ms = mono_ms() - t0;
    if (r == LC_EINTR) {
        o->status = OUTCOME_NOT_RUN;
        snprintf(o->detail, sizeof o->detail, "interrupted");
    } else if (r == LC_ETIMEDOUT) {
        o->status = OUTCOME_TIMEOUT;
        snprintf(o->detail, sizeof o->detail, "no response to %s %s within %.1f s",
                 net_code_name(spec->method), spec->path, (double)(deadline - t0) / 1000.0);
    } else if (r == LC_ENACK) {
        o->status = OUTCOME_NO_ANSWER;
        snprintf(o->detail, sizeof o->detail, "%s %s: %s", net_code_name(spec->method), spec->path,
                 ev->detail);
    } else if (r < 0) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "%s", lc_strerror(r));
    } else {
        o->status = OUTCOME_OK;
        o->has_response = true;
        o->response = ev->msg;
        memset(&ev->msg, 0, sizeof ev->msg);
    }
    net_event_free(ev);
}

static void write_instance(bootstrap_server *bs, const lwm2m_path *inst, const tc_step *step,
                           uint64_t deadline, step_outcome *o)
{
    lwm2m_records recs;
    records_init(&recs);
    lc_error err = {0};
    int r = instance_records(bs, inst, &recs, &err);
    uint8_t *payload = NULL;
    size_t len = 0;
    int cf = step && step->content_format >= 0 ? step->content_format : write_format(bs);
    if (r == 0)
        r = content_encode(cf, inst, &recs, &payload, &len, &err);
    records_free(&recs);
    if (r < 0) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "cannot build the Bootstrap-Write: %s", err.msg);
        return;
    }
    char path[32];
    lwm2m_path_format(inst, path, sizeof path);
    net_request_spec spec = {.method = COAP_REQUEST_CODE_PUT, .path = path, .accept = -1,
                             .content_format = cf, .observe = -1, .payload = payload,
                             .payload_len = len, .confidential = inst->ids[0] == 0};
    request(bs, &spec, deadline, o);
    memset(payload, 0, len); /* it may hold a PSK key */
    free(payload);
}

/* Every instance the configuration provisions, in the order a bootstrap server writes
 * them: server accounts' Security, Server, Access Control. */
static size_t provision_list(const config *cfg, lwm2m_path *out, size_t cap)
{
    size_t n = 0;
    for (int obj = 0; obj <= 2; obj++) {
        for (size_t i = 0; i < cfg->value_count && n < cap; i++) {
            lwm2m_path p;
            if (lwm2m_path_parse(cfg->values[i].path, &p) < 0 || p.depth < 2 || p.ids[0] != obj)
                continue;
            p.depth = 2;
            p.ids[2] = p.ids[3] = LWM2M_ID_NONE;
            bool seen = false;
            for (size_t k = 0; k < n; k++)
                seen = seen || lwm2m_path_equal(&out[k], &p);
            const config_account *bsacct = config_bootstrap(cfg);
            if (obj == 0 && bsacct && bsacct->security_instance == p.ids[1])
                seen = true; /* the client keeps its own bootstrap account */
            if (!seen)
                out[n++] = p;
        }
    }
    return n;
}

static void provision(bootstrap_server *bs, const tc_step *step, uint64_t deadline, step_outcome *o)
{
    if (!bs->session) {
        expect_request(bs, deadline, o);
        if (o->status != OUTCOME_OK || o->response.code != COAP_RESPONSE_CODE(204))
            return;
    }
    char done[700] = "";
    size_t dl = 0;
    net_request_spec del = {.method = COAP_REQUEST_CODE_DELETE, .path = "/", .accept = -1,
                            .content_format = -1, .observe = -1};
    request(bs, &del, deadline, o);
    if (o->status != OUTCOME_OK || o->response.code != COAP_RESPONSE_CODE(202))
        goto failed;
    dl += (size_t)snprintf(done + dl, sizeof done - dl, "Bootstrap-Delete / 2.02");
    lwm2m_path list[32];
    size_t n = provision_list(bs->d->cfg, list, 32);
    for (size_t i = 0; i < n; i++) {
        write_instance(bs, &list[i], step, deadline, o);
        if (o->status != OUTCOME_OK || o->response.code != COAP_RESPONSE_CODE(204))
            goto failed;
        char p[32];
        lwm2m_path_format(&list[i], p, sizeof p);
        dl += (size_t)snprintf(done + dl, sizeof done - dl, ", Write %s 2.04", p);
    }
    net_request_spec fin = {.method = COAP_REQUEST_CODE_POST, .path = "/bs", .accept = -1,
                            .content_format = -1, .observe = -1};
    request(bs, &fin, deadline, o);
    if (o->status == OUTCOME_OK)
        snprintf(o->detail, sizeof o->detail, "%s, then Bootstrap-Finish", done);
    return;
failed:;
    char tmp[sizeof o->detail];
    snprintf(tmp, sizeof tmp, "%s", o->detail);
    snprintf(o->detail, sizeof o->detail, "provisioning stopped at %s %s%s%s (after: %s)",
             net_code_name(o->request.code), o->request.path, tmp[0] ? ": " : "", tmp,
             done[0] ? done : "nothing");
}

void bootstrap_execute_step(bootstrap_server *bs, const tc_step *s, uint64_t deadline,
                            step_outcome *o)
{
    net_request_spec spec = {.path = s->path ? s->path : "/", .accept = s->accept,
                             .content_format = -1, .observe = -1};
    switch (s->op) {
    case TC_OP_EXPECT_BOOTSTRAP_REQUEST:
        expect_request(bs, deadline, o);
        return;
    case TC_OP_BOOTSTRAP_DELETE:
        spec.method = COAP_REQUEST_CODE_DELETE;
        request(bs, &spec, deadline, o);
        return;
    case TC_OP_BOOTSTRAP_DISCOVER:
        spec.method = COAP_REQUEST_CODE_GET;
        spec.accept = CF_LINK_FORMAT;
        request(bs, &spec, deadline, o);
        return;
    case TC_OP_BOOTSTRAP_READ:
        spec.method = COAP_REQUEST_CODE_GET;
        request(bs, &spec, deadline, o);
        return;
    case TC_OP_BOOTSTRAP_FINISH:
        spec.method = COAP_REQUEST_CODE_POST;
        spec.path = "/bs";
        request(bs, &spec, deadline, o);
        return;
    case TC_OP_BOOTSTRAP_WRITE: {
        lwm2m_path p;
        if (lwm2m_path_parse(spec.path, &p) < 0 || p.depth != 2) {
            o->status = OUTCOME_TOOL_ERROR;
            snprintf(o->detail, sizeof o->detail, "bootstrap-write takes an object instance path "
                     "(/0/1), not %s", spec.path);
            return;
        }
        write_instance(bs, &p, s, deadline, o);
        return;
    }
    case TC_OP_BOOTSTRAP_PROVISION:
        provision(bs, s, deadline, o);
        return;
    default:
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "%s is not a bootstrap operation", tc_op_name(s->op));
        return;
    }
}
