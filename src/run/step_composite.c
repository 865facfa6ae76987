#include "run/step_composite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dut/stepvalues.h"
#include "lwm2m/content/content.h"
#include "lwm2m/content/senml_paths.h"

void step_composite_request(step_context *sc, step_outcome *o)
{
    const tc_step *s = o->step;
    int body_cf = s->content_format >= 0 ? s->content_format : CF_SENML_CBOR;
    net_request_spec spec = {.path = "/", .accept = -1, .content_format = body_cf,
                             .observe = -1};
    uint8_t *payload = NULL;
    size_t len = 0;
    lc_error err = {0};
    bool observe = false;
    int r = 0;
    if (s->op == TC_OP_WRITE_COMPOSITE) {
        spec.method = COAP_REQUEST_CODE_IPATCH;
        lwm2m_records recs;
        records_init(&recs);
        tc_vars_env env = steps_vars_env(sc);
        lwm2m_path root;
        lwm2m_path_parse("/", &root);
        r = stepvalues_records(s, &env, &recs, &err);
        if (r == 0)
            r = content_encode(body_cf, &root, &recs, &payload, &len, &err);
        records_free(&recs);
    } else {
        spec.method = COAP_REQUEST_CODE_FETCH;
        spec.accept = s->accept >= 0 ? s->accept : body_cf;
        r = senml_paths_encode(body_cf, (const char *const *)s->paths, s->path_count, &payload,
                               &len, &err);
        if (s->op == TC_OP_OBSERVE_COMPOSITE) {
            spec.observe = 0;
            observe = true;
        } else if (s->op == TC_OP_CANCEL_OBSERVE_COMPOSITE) {
            /* RFC 7641 §3.6 with RFC 8132 §2.4: the same FETCH (path list, options) with
             * Observe 1 and the observation's token */
            step_observation *ob = steps_find_observation(sc, s);
            spec.observe = 1;
            spec.reuse_token_of = ob && !ob->cancelled ? ob->exchange_id : 0;
            if (ob)
                ob->cancelled = true;
        }
    }
    if (r < 0) {
        free(payload);
        o->status = OUTCOME_TOOL_ERROR;
        snprintf(o->detail, sizeof o->detail, "step %d cannot be sent: %s", s->number, err.msg);
        return;
    }
    spec.payload = payload;
    spec.payload_len = len;
    steps_send_and_await(sc, o, &spec, observe);
    free(payload);
}
