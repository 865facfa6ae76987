#include "dut/exchange.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mono.h"

static void record_request(const net_request_spec *spec, net_message *m)
{
    m->type = COAP_MESSAGE_CON;
    m->code = spec->method;
    snprintf(m->path, sizeof m->path, "%s", spec->path);
    for (size_t i = 0; i < spec->query_count && i < NET_MAX_QUERIES; i++)
        if ((m->queries[m->query_count] = strdup(spec->queries[i])) != NULL)
            m->query_count++;
    m->accept = spec->accept;
    m->content_format = spec->content_format;
    m->observe = spec->observe;
    m->has_block1 = spec->has_block1;
    m->block1 = spec->block1;
    m->size1 = spec->size1;
    /* a payload that may hold a key is never kept for the report */
    if (spec->payload_len && !spec->confidential && (m->payload = malloc(spec->payload_len))) {
        memcpy(m->payload, spec->payload, spec->payload_len);
        m->payload_len = spec->payload_len;
    }
}

uint64_t exchange_run(net_ctx *n, coap_session_t *session, int endpoint,
                      const net_request_spec *spec, uint64_t deadline, step_outcome *o)
{
    step_outcome_clear(o);
    o->request.content_format = o->request.accept = o->request.observe = -1;
    o->response.content_format = o->response.accept = o->response.observe = -1;
    o->detail[0] = '\0';
    lc_error err = {0};
    uint64_t id = 0, t0 = mono_ms();
    bool stopped_before = net_abort_reason(n) != NULL;
    if (net_send(n, session, endpoint, spec, &id, &err) < 0) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "%s", err.msg);
        return 0;
    }
    o->has_request = true;
    record_request(spec, &o->request);

    net_event *ev = NULL;
    int r = net_await_response(n, id, deadline, &ev);
    o->elapsed_ms = mono_ms() - t0;
    if (r == LC_EINTR) {
        o->status = OUTCOME_NOT_RUN;
        snprintf(o->detail, sizeof o->detail, "interrupted while waiting for the response");
    } else if (r == LC_ETIMEDOUT) {
        o->status = OUTCOME_TIMEOUT;
        snprintf(o->detail, sizeof o->detail, "no response to %s %s within %.1f s",
                 net_code_name(spec->method), spec->path,
                 (double)(deadline > t0 ? deadline - t0 : 0) / 1000.0);
    } else if (r == LC_ENACK) {
        o->status = OUTCOME_NO_ANSWER;
        snprintf(o->detail, sizeof o->detail, "%s %s: %s", net_code_name(spec->method), spec->path,
                 ev ? ev->detail : "no answer");
    } else if (r == LC_EIO && !stopped_before && net_abort_reason(n)) {
        /* the device's own doing: it stopped with the request in its hands */
        o->status = OUTCOME_DEVICE_ERROR;
        snprintf(o->detail, sizeof o->detail, "the device stopped while %s %s awaited its answer: %s",
                 net_code_name(spec->method), spec->path, net_abort_reason(n));
    } else if (r < 0 || !ev) {
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "waiting for the response failed: %s",
                 net_abort_reason(n) ? net_abort_reason(n) : lc_strerror(r));
    } else {
        o->status = OUTCOME_OK;
        o->has_response = true;
        o->response = ev->msg;
        memset(&ev->msg, 0, sizeof ev->msg);
        o->elapsed_ms = ev->elapsed_ms;
        snprintf(o->cipher_suite, sizeof o->cipher_suite, "%s", ev->cipher_suite);
        snprintf(o->psk_identity, sizeof o->psk_identity, "%s", ev->psk_identity);
    }
    net_event_free(ev);
    return id;
}
