#include "lwm2m/sendsink.h"

#include <stdio.h>
#include <string.h>

#include "net/message.h"

static void reply_text(net_reply *reply, int code, const char *text)
{
    reply->code = code;
    reply->payload_len = (size_t)snprintf(reply->payload, sizeof reply->payload, "%s", text);
}

static void on_dp(void *arg, net_ctx *n, const net_request *req, net_reply *reply)
{
    (void)arg;
    const net_message *m = req->msg;
    if (net_endpoint_role(n, req->endpoint) != NET_ROLE_SERVER) {
        reply_text(reply, COAP_RESPONSE_CODE(404), "this is the bootstrap server: Send to an "
                   "LwM2M server");
        return;
    }
    if (strcmp(m->path, "/dp") != 0) {
        reply_text(reply, COAP_RESPONSE_CODE(404), "the Send resource is /dp");
        return;
    }
    if (m->code != COAP_REQUEST_CODE_POST) {
        reply_text(reply, COAP_RESPONSE_CODE(405), "only POST (Send) on /dp");
        return;
    }
    reply->code = COAP_RESPONSE_CODE(204);
    net_event *ev = net_event_new(n, NET_EV_SEND, req->endpoint, req->session);
    if (!ev)
        return;
    if (net_message_copy(&ev->msg, m) < 0) {
        net_event_free(ev);
        return;
    }
    if (m->content_format >= 0)
        snprintf(ev->detail, sizeof ev->detail, "Send of %zu bytes in Content-Format %d, "
                 "answered 2.04", m->payload_len, m->content_format);
    else
        snprintf(ev->detail, sizeof ev->detail, "Send of %zu bytes without a Content-Format, "
                 "answered 2.04", m->payload_len);
    net_push_event(n, ev);
}

int sendsink_attach(net_ctx *n, lc_error *err)
{
    if (net_add_handler(n, "dp", on_dp, NULL) < 0)
        return lc_error_set(err, LC_EINVAL, "cannot route /dp (the Send resource)");
    return 0;
}
