#include "bs/bspack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bs/provision.h"
#include "lwm2m/content/content.h"
#include "lwm2m/content/value.h"

#include <coap3/coap.h>

#include "common/mono.h"

int bspack_format(int accept)
{
    if (accept < 0)
        return CF_SENML_CBOR;
    if (accept == CF_SENML_CBOR || accept == CF_SENML_JSON || accept == CF_LWM2M_CBOR)
        return accept;
    return -1;
}

int bspack_build(dut *d, const char *advertise_host, int cf, uint8_t **out, size_t *len,
                 lc_error *err)
{
    *out = NULL;
    *len = 0;
    lwm2m_path list[PROVISION_MAX_INSTANCES];
    size_t n = provision_list(d->cfg, list, PROVISION_MAX_INSTANCES);
    if (n > PROVISION_MAX_INSTANCES)
        return lc_error_set(err, LC_EINVAL, "%s has more instances than a pack can hold",
                            d->cfg->source);
    lwm2m_records recs;
    records_init(&recs);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const config_account *acct = provision_account_of(d->cfg, &list[i]);
        char uri[300] = "";
        if (acct && dut_endpoint_uri(d, acct->bootstrap ? 0 : acct->short_server_id,
                                     advertise_host, uri, sizeof uri) < 0)
            uri[0] = '\0';
        rc = provision_instance_records(d->cfg, &d->instances, &list[i], uri[0] ? uri : NULL,
                                        &recs, err);
        if (rc == LC_ENOTFOUND)
            rc = 0; /* nothing in the configuration for it */
    }
    if (rc == 0) {
        lwm2m_path root;
        lwm2m_path_parse("/", &root);
        rc = content_encode(cf, &root, &recs, out, len, err);
    }
    provision_records_wipe(&recs);
    records_free(&recs);
    return rc;
}

void bspack_reply(dut *d, const char *advertise_host, int bs_iid, const net_message *m,
                  const char *ep, net_reply *reply, char *why, size_t cap)
{
    reply->content_format = 0;
    reply->data = NULL;
    if (!ep) {
        reply->code = COAP_RESPONSE_CODE(400);
        reply->payload_len = (size_t)snprintf(reply->payload, sizeof reply->payload,
                                              "Bootstrap-Pack-Request without ep over NoSec");
        snprintf(why, cap, "Bootstrap-Pack-Request without the ep parameter over NoSec (no PSK "
                 "identity to name the Client, LwM2M 1.1 §7.3.1) answered 4.00");
        return;
    }
    int cf = bspack_format(m->accept);
    if (cf < 0) {
        reply->code = COAP_RESPONSE_CODE(406);
        reply->payload_len = (size_t)snprintf(reply->payload, sizeof reply->payload,
                                              "a Bootstrap-Pack is SenML CBOR, SenML JSON or "
                                              "LwM2M CBOR, not %d", m->accept);
        snprintf(why, cap, "the request accepts only %s (%d), in which no pack of several "
                 "objects can be written: answered 4.06", content_format_name(m->accept),
                 m->accept);
        return;
    }
    if (bs_iid < 0) {
        reply->code = COAP_RESPONSE_CODE(404);
        reply->payload_len = (size_t)snprintf(reply->payload, sizeof reply->payload,
                                              "no Bootstrap-Pack yet: send a Bootstrap-Request "
                                              "(POST /bs)");
        snprintf(why, cap, "the tool does not know yet in which Security instance the device "
                 "keeps its bootstrap account, so it cannot write a pack that spares it: "
                 "answered 4.04 (give --bootstrap-account-iid N, or run a bootstrap case "
                 "first, where the tool asks with Bootstrap-Discover /0)");
        return;
    }
    lc_error err = {0};
    if (provision_map(d->cfg, bs_iid, &d->instances, &err) < 0) {
        reply->code = COAP_RESPONSE_CODE(500);
        snprintf(why, cap, "placing the configuration around /0/%d: %s", bs_iid, err.msg);
        return;
    }
    uint8_t *pack = NULL;
    size_t len = 0;
    if (bspack_build(d, advertise_host, cf, &pack, &len, &err) < 0) {
        reply->code = COAP_RESPONSE_CODE(500);
        snprintf(why, cap, "cannot build the Bootstrap-Pack: %s", err.msg);
        return;
    }
    reply->code = COAP_RESPONSE_CODE(205);
    reply->content_format = cf;
    reply->data = pack;
    reply->data_len = len;
    reply->confidential = true;
    snprintf(why, cap, "answered 2.05 with the Bootstrap-Pack: %zu bytes of %s (withheld: key "
             "material), the configuration placed around the device's bootstrap account /0/%d",
             len, content_format_name(cf), bs_iid);
}

static bool match_pack_request(const net_event *ev, void *arg)
{
    (void)arg;
    return ev->short_server_id == 0 && ev->kind == NET_EV_REQUEST &&
           strcmp(ev->msg.path, "/bspack") == 0;
}

/* A Bootstrap-Pack-Request, or a Bootstrap-Request that came without one before it. */
static bool match_pack_or_bs_request(const net_event *ev, void *arg)
{
    return match_pack_request(ev, arg) ||
           (ev->short_server_id == 0 && ev->kind == NET_EV_BOOTSTRAP_REQUEST);
}

void bspack_expect(dut *d, uint64_t deadline, step_outcome *o)
{
    uint64_t t0 = mono_ms();
    net_event *ev = NULL;
    int r = net_wait(d->net, match_pack_or_bs_request, NULL, deadline, &ev);
    o->elapsed_ms = mono_ms() - t0;
    if (r == 0 && ev->kind == NET_EV_BOOTSTRAP_REQUEST) {
        /* Bootstrap-Pack is optional for the Client (LwM2M 1.2 §6.1.3: it "MAY" ask for the
         * pack; the Bootstrap-Request stays the way in): the case does not apply. The request
         * stays queued for whoever provisions the device next. */
        o->status = OUTCOME_NOT_APPLICABLE;
        snprintf(o->detail, sizeof o->detail, "the device does not use Bootstrap-Pack: it sent "
                 "a Bootstrap-Request (POST /bs) without a Bootstrap-Pack-Request (GET /bspack) "
                 "before it, which an LwM2M 1.2 Client may do (Bootstrap-Pack is optional)");
        net_unget(d->net, ev);
        return;
    }
    if (r == LC_EINTR) {
        o->status = OUTCOME_NOT_RUN;
        snprintf(o->detail, sizeof o->detail, "interrupted while waiting for a "
                 "Bootstrap-Pack-Request");
        return;
    }
    if (r < 0) {
        int e = net_endpoint_by_ssid(d->net, 0);
        o->status = OUTCOME_TIMEOUT;
        snprintf(o->detail, sizeof o->detail, "no Bootstrap-Pack-Request (GET /bspack) on the "
                 "bootstrap server (UDP port %u) within %.1f s%s", net_endpoint_port(d->net, e),
                 (double)(deadline > t0 ? deadline - t0 : 0) / 1000.0,
                 net_abort_reason(d->net) ? "" : " (a device that does not send one, or sends "
                 "POST /bs at once, does not use Bootstrap-Pack)");
        return;
    }
    int code = (int)ev->exchange_id;
    o->status = (code == COAP_RESPONSE_CODE(404) || code == COAP_RESPONSE_CODE(500))
                    ? OUTCOME_TOOL_ERROR : OUTCOME_OK;
    o->has_request = true;
    o->answered_at = ev->at_ms; /* what a later step's after_step counts from */
    net_message_clear(&o->request);
    o->request = ev->msg;
    memset(&ev->msg, 0, sizeof ev->msg);
    o->has_response = true;
    net_message_clear(&o->response);
    o->response.type = COAP_MESSAGE_ACK;
    o->response.code = code;
    o->response.accept = o->response.observe = -1;
    o->response.content_format = code == COAP_RESPONSE_CODE(205)
                                     ? bspack_format(o->request.accept) : -1;
    snprintf(o->endpoint_name, sizeof o->endpoint_name, "%s", ev->endpoint_name);
    snprintf(o->detail, sizeof o->detail, "%s", ev->detail);
    net_event_free(ev);
}
