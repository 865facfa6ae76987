#include "sim/send.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/content/content.h"
#include "sim/client_int.h"
#include "sim/ops.h"
#include "sim/simlog.h"

bool sim_send_due(sim_send *s, const sim_device *d, uint64_t now, uint64_t *next)
{
    if (d->lwm2m_minor < 1)
        return false;
    bool due = false;
    if (s->poke && *s->poke) {
        *s->poke = 0;
        due = true;
    }
    if (s->period_ms) {
        if (!s->next_ms)
            s->next_ms = now + s->period_ms;
        if (now >= s->next_ms) {
            due = true;
            s->next_ms = now + s->period_ms;
        }
        if (s->next_ms < *next)
            *next = s->next_ms;
    }
    return due && !sim_fault_on(&d->faults, SIM_FAULT_NO_SEND);
}

int sim_send_payload(sim_device *d, int ssid, uint8_t **out, size_t *len, int *cf, char *why,
                     size_t cap)
{
    *out = NULL;
    *len = 0;
    int x = sim_device_server_instance(d->store, ssid);
    if (x < 0) {
        snprintf(why, cap, "no Server instance for server %d", ssid);
        return 1;
    }
    lwm2m_path mute = {.ids = {1, x, 23, LWM2M_ID_NONE}, .depth = 3};
    const lwm2m_record *m = sim_store_get(d->store, &mute);
    if (m && m->type == LV_BOOLEAN && m->b &&
        !sim_fault_on(&d->faults, SIM_FAULT_SEND_WHILE_MUTED)) {
        snprintf(why, cap, "Mute Send /1/%d/23 is true", x);
        return 1;
    }
    lwm2m_path paths[2] = {{.ids = {1, x, 1, LWM2M_ID_NONE}, .depth = 3},
                           {.ids = {3, 0, 11, 0}, .depth = 4}};
    lwm2m_records recs;
    records_init(&recs);
    for (size_t i = 0; i < 2; i++) {
        sim_response r;
        memset(&r, 0, sizeof r);
        lwm2m_records got;
        if (sim_ops_read_records(d, ssid, &paths[i], &got, NULL, &r) != 0)
            continue;
        for (size_t k = 0; k < got.count; k++) {
            lwm2m_record *g = &got.items[k];
            int rc = 0;
            switch (g->type) {
            case LV_STRING: rc = records_add_string(&recs, &g->path, (const char *)g->bytes); break;
            case LV_BOOLEAN: rc = records_add_bool(&recs, &g->path, g->b); break;
            case LV_FLOAT: rc = records_add_float(&recs, &g->path, g->f); break;
            case LV_TIME: rc = records_add_time(&recs, &g->path, g->i); break;
            default: rc = records_add_int(&recs, &g->path, g->i); break;
            }
            if (rc) {
                records_free(&got);
                records_free(&recs);
                return LC_ENOMEM;
            }
        }
        records_free(&got);
    }
    *cf = sim_fault_on(&d->faults, SIM_FAULT_SEND_WRONG_FORMAT) ? CF_TLV : CF_SENML_CBOR;
    lwm2m_path base = {.ids = {LWM2M_ID_NONE, LWM2M_ID_NONE, LWM2M_ID_NONE, LWM2M_ID_NONE}};
    if (*cf == CF_TLV) /* TLV cannot name values from the root: from the Server instance */
        base = (lwm2m_path){.ids = {1, x, LWM2M_ID_NONE, LWM2M_ID_NONE}, .depth = 2};
    if (*cf == CF_TLV) { /* and only the values under it */
        size_t w = 0;
        for (size_t i = 0; i < recs.count; i++) {
            if (lwm2m_path_is_under(&recs.items[i].path, &base))
                recs.items[w++] = recs.items[i];
            else
                free(recs.items[i].bytes);
        }
        recs.count = w;
    }
    lc_error err = {0};
    int rc = content_encode(*cf, &base, &recs, out, len, &err);
    records_free(&recs);
    if (rc < 0)
        snprintf(why, cap, "%s", err.msg);
    return rc;
}

/* A Send (POST /dp) to a registered server, with a token of its own: the server's one
 * request slot (Register, Update) is left alone, and the 2.04 is not waited for. */
void sim_send_dp(sim_client *cl, sim_server *s)
{
    if (s->is_bootstrap || s->state != SRV_REGISTERED || !s->session)
        return;
    uint8_t *payload = NULL;
    size_t len = 0;
    int cf = CF_NONE;
    char why[200] = "";
    int rc = sim_send_payload(cl->dev, s->ssid, &payload, &len, &cf, why, sizeof why);
    if (rc != 0) {
        sim_logf(cl->lg, LOG_LVL_DEBUG, "%s: no Send: %s", s->name, why);
        free(payload);
        return;
    }
    coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_POST,
                                    coap_new_message_id(s->session),
                                    coap_session_max_pdu_size(s->session));
    uint8_t tok[8];
    size_t tl = 0;
    bool sent = false;
    if (pdu) {
        coap_session_new_token(s->session, &tl, tok);
        coap_add_token(pdu, tl, tok);
        sim_msg_add_path(pdu, COAP_OPTION_URI_PATH, "dp");
        sim_msg_add_uint(pdu, COAP_OPTION_CONTENT_FORMAT, (unsigned)cf);
        sent = coap_add_data(pdu, len, payload) && coap_send(s->session, pdu) != COAP_INVALID_MID;
    }
    sim_logf(cl->lg, LOG_LVL_DEBUG, "%s: Send POST /dp (%s, %zu bytes)%s", s->name,
             sim_cf_short(cf), len, sent ? "" : " failed");
    free(payload);
}

