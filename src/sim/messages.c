/* The requests the simulated device sends: Register, Update, De-register, the Bootstrap-
 * Request (and LwM2M 1.2's Bootstrap-Pack-Request), with the faults that bend them. */
#include "sim/client_int.h"

#include <stdio.h>
#include <string.h>

#include "lwm2m/content/value.h"
#include "sim/bootstrap.h"
#include "sim/formats.h"
#include "sim/simlog.h"

static coap_pdu_t *new_request(sim_server *s, coap_pdu_code_t code)
{
    coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, code, coap_new_message_id(s->session),
                                    coap_session_max_pdu_size(s->session));
    if (!pdu)
        return NULL;
    coap_session_new_token(s->session, &s->token_len, s->token);
    coap_add_token(pdu, s->token_len, s->token);
    return pdu;
}

void sim_msg_add_path(coap_pdu_t *pdu, uint16_t opt, const char *path)
{
    const char *p = path;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n)
            coap_add_option(pdu, opt, n, (const uint8_t *)p);
        p += n;
        if (*p == '/')
            p++;
    }
}

void sim_msg_add_uint(coap_pdu_t *pdu, uint16_t opt, unsigned v)
{
    uint8_t buf[4];
    coap_add_option(pdu, opt, coap_encode_var_safe(buf, sizeof buf, v), buf);
}

/* The object instances the device reports: every instance except the Security object's. */
static int object_links(sim_client *cl, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    if (cl->dev->lwm2m_minor >= 1 && !(cl->dev->pid && cl->dev->lwm2m_minor >= 2))
        used += (size_t)snprintf(buf, cap, "</>;rt=\"oma.lwm2m\";ct=%d",
                                 sim_formats_read_default(cl->dev, false, false));
    uint16_t objs[MAX_IDS];
    size_t nobj = sim_store_objects(cl->dev->store, objs, MAX_IDS);
    /* a Profile ID (LwM2M 1.2) stands for the Server and Device instances, unless the
     * pid-with-objects fault lists them all the same */
    bool by_pid = cl->dev->pid && cl->dev->lwm2m_minor >= 2 &&
                  !sim_fault_on(&cl->dev->faults, SIM_FAULT_PID_WITH_OBJECTS);
    for (size_t o = 0; o < nobj && o < MAX_IDS; o++) {
        if (objs[o] == 0 || (by_pid && (objs[o] == 1 || objs[o] == 3)))
            continue;
        uint16_t ids[MAX_IDS];
        size_t n = sim_store_instances(cl->dev->store, objs[o], ids, MAX_IDS);
        for (size_t k = 0; k < n && k < MAX_IDS && used < cap; k++)
            used += (size_t)snprintf(buf + used, cap - used, "%s</%u/%u>", used ? "," : "",
                                     objs[o], ids[k]);
    }
    return used < cap ? (int)used : -1;
}

static void add_queries(coap_pdu_t *pdu, char q[][300], size_t n)
{
    for (size_t i = 0; i < n; i++)
        coap_add_option(pdu, COAP_OPTION_URI_QUERY, strlen(q[i]), (const uint8_t *)q[i]);
}

static int server_instance_values(sim_client *cl, sim_server *s, int64_t *lt, char *binding,
                                  size_t bcap)
{
    int x = sim_device_server_instance(cl->dev->store, s->ssid);
    *lt = 86400;
    binding[0] = '\0';
    if (x < 0)
        return -1;
    sim_store_get_int(cl->dev->store, 1, x, 1, lt);
    const char *b = sim_store_get_string(cl->dev->store, 1, x, 7);
    snprintf(binding, bcap, "%s", b ? b : "");
    return 0;
}

static int64_t reported_lifetime(const sim_client *cl, int64_t lt)
{
    if (sim_fault_on(&cl->dev->faults, SIM_FAULT_WRONG_LIFETIME))
        return lt == 300 ? 600 : 300;
    return lt;
}

static bool send_pdu(sim_server *s, coap_pdu_t *pdu, uint64_t now)
{
    if (coap_send(s->session, pdu) == COAP_INVALID_MID)
        return false;
    s->deadline = now + REQUEST_TIMEOUT_MS;
    return true;
}

/* --omit-ep: an LwM2M 1.1+ device leaves ep out where its PSK identity for s is its endpoint
 * name, "an authenticated identifier that is identical to this parameter" (1.1 §7.3.1). */
static bool omits_ep(const sim_client *cl, const sim_server *s)
{
    size_t n = strlen(cl->endpoint);
    return cl->dev->omit_ep && cl->dev->lwm2m_minor >= 1 && s->identity_len == n &&
           memcmp(s->identity, cl->endpoint, n) == 0;
}

bool sim_msg_register(sim_client *cl, sim_server *s, uint64_t now)
{
    char q[MAX_QUERIES][300], binding[16], links[2048];
    size_t nq = 0;
    int64_t lt;
    server_instance_values(cl, s, &lt, binding, sizeof binding);
    s->lifetime = reported_lifetime(cl, lt);
    if (!sim_fault_on(&cl->dev->faults, SIM_FAULT_REGISTER_NO_EP) && !omits_ep(cl, s))
        snprintf(q[nq++], sizeof q[0], "ep=%s", cl->endpoint);
    snprintf(q[nq++], sizeof q[0], "lt=%lld", (long long)s->lifetime);
    snprintf(q[nq++], sizeof q[0], "lwm2m=%s", sim_device_version(cl->dev));
    s->reg_minor = cl->dev->lwm2m_minor;
    /* queue mode: 1.0 puts Q in the binding (UQ), 1.1 has a parameter of its own */
    if (cl->dev->queue_mode && cl->dev->lwm2m_minor == 0 && binding[0] && !strchr(binding, 'Q'))
        strncat(binding, "Q", sizeof binding - strlen(binding) - 1);
    if (binding[0])
        snprintf(q[nq++], sizeof q[0], "b=%s", binding);
    if (cl->dev->queue_mode && cl->dev->lwm2m_minor >= 1)
        snprintf(q[nq++], sizeof q[0], "Q");
    if (cl->dev->pid && cl->dev->lwm2m_minor >= 2)
        snprintf(q[nq++], sizeof q[0], "pid=%s", cl->dev->pid);
    int len = object_links(cl, links, sizeof links);
    coap_pdu_t *pdu = new_request(s, COAP_REQUEST_CODE_POST);
    if (!pdu || len < 0) {
        coap_delete_pdu(pdu);
        return false;
    }
    coap_add_option(pdu, COAP_OPTION_URI_PATH, 2, (const uint8_t *)"rd");
    sim_msg_add_uint(pdu, COAP_OPTION_CONTENT_FORMAT, CF_LINK_FORMAT);
    add_queries(pdu, q, nq);
    coap_add_data(pdu, (size_t)len, (const uint8_t *)links);
    sim_logf(cl->lg, LOG_LVL_DEBUG, "%s: Register POST /rd?ep=%s&lt=%lld&lwm2m=%s%s%s%s %s",
             s->name, cl->endpoint, (long long)s->lifetime, sim_device_version(cl->dev),
             binding[0] ? "&b=" : "", binding,
             cl->dev->queue_mode && cl->dev->lwm2m_minor >= 1 ? "&Q" : "", links);
    return send_pdu(s, pdu, now);
}

bool sim_msg_update(sim_client *cl, sim_server *s, uint64_t now)
{
    char q[MAX_QUERIES][300], binding[16], links[2048];
    size_t nq = 0;
    int64_t lt;
    server_instance_values(cl, s, &lt, binding, sizeof binding);
    if (s->update_params || sim_fault_on(&cl->dev->faults, SIM_FAULT_UPDATE_WITH_PARAMS)) {
        s->lifetime = reported_lifetime(cl, lt);
        snprintf(q[nq++], sizeof q[0], "lt=%lld", (long long)s->lifetime);
        if (cl->dev->queue_mode && s->reg_minor == 0 && binding[0] && !strchr(binding, 'Q'))
            strncat(binding, "Q", sizeof binding - strlen(binding) - 1);
        if (binding[0])
            snprintf(q[nq++], sizeof q[0], "b=%s", binding);
    }
    int len = s->update_links ? object_links(cl, links, sizeof links) : 0;
    coap_pdu_t *pdu = new_request(s, COAP_REQUEST_CODE_POST);
    if (!pdu || len < 0) {
        coap_delete_pdu(pdu);
        return false;
    }
    sim_msg_add_path(pdu, COAP_OPTION_URI_PATH,
                      sim_fault_on(&cl->dev->faults, SIM_FAULT_UPDATE_WRONG_LOCATION) ? "rd/0"
                                                                                      : s->location);
    if (len > 0)
        sim_msg_add_uint(pdu, COAP_OPTION_CONTENT_FORMAT, CF_LINK_FORMAT);
    add_queries(pdu, q, nq);
    if (len > 0)
        coap_add_data(pdu, (size_t)len, (const uint8_t *)links);
    sim_logf(cl->lg, LOG_LVL_DEBUG, "%s: Update POST /%s%s%s", s->name, s->location,
             nq ? "?" : "", nq ? q[0] : "");
    s->update_pending = s->update_params = s->update_links = false;
    return send_pdu(s, pdu, now);
}

bool sim_msg_deregister(sim_client *cl, sim_server *s, uint64_t now)
{
    coap_pdu_t *pdu = new_request(s, COAP_REQUEST_CODE_DELETE);
    if (!pdu)
        return false;
    sim_msg_add_path(pdu, COAP_OPTION_URI_PATH, s->location);
    sim_logf(cl->lg, LOG_LVL_DEBUG, "%s: De-register DELETE /%s", s->name, s->location);
    return send_pdu(s, pdu, now);
}

/* LwM2M 1.2 §6.1.3: a client may ask for the whole configuration at once with
 * GET /bspack?ep=…, and falls back to the Bootstrap-Request when that fails. */
static bool send_bootstrap_pack_request(sim_client *cl, sim_server *s, uint64_t now)
{
    char q[SIM_BS_QUERY_MAX] = "";
    if (!sim_fault_on(&cl->dev->faults, SIM_FAULT_BOOTSTRAP_REQUEST_NO_EP) && !omits_ep(cl, s))
        snprintf(q, sizeof q, "ep=%s", cl->endpoint);
    coap_pdu_t *pdu = new_request(s, COAP_REQUEST_CODE_GET);
    if (!pdu)
        return false;
    coap_add_option(pdu, COAP_OPTION_URI_PATH, 6, (const uint8_t *)"bspack");
    sim_msg_add_uint(pdu, COAP_OPTION_ACCEPT, CF_SENML_CBOR);
    if (q[0])
        coap_add_option(pdu, COAP_OPTION_URI_QUERY, strlen(q), (const uint8_t *)q);
    sim_logf(cl->lg, LOG_LVL_DEBUG, "%s: Bootstrap-Pack-Request GET /bspack?%s", s->name, q);
    s->bspack_sent = true;
    return send_pdu(s, pdu, now);
}

bool sim_msg_bootstrap_request(sim_client *cl, sim_server *s, uint64_t now)
{
    s->bspack_sent = false;
    if (cl->dev->lwm2m_minor >= 2 && !s->bspack_tried && !cl->dev->no_bspack)
        return send_bootstrap_pack_request(cl, s, now);
    char q[SIM_BS_REQUEST_QUERIES][SIM_BS_QUERY_MAX];
    size_t nq = sim_bootstrap_request_queries(cl->dev, omits_ep(cl, s) ? NULL : cl->endpoint, q);
    coap_pdu_t *pdu = new_request(s, COAP_REQUEST_CODE_POST);
    if (!pdu)
        return false;
    coap_add_option(pdu, COAP_OPTION_URI_PATH, 2, (const uint8_t *)"bs");
    for (size_t i = 0; i < nq; i++)
        coap_add_option(pdu, COAP_OPTION_URI_QUERY, strlen(q[i]), (const uint8_t *)q[i]);
    sim_logf(cl->lg, LOG_LVL_DEBUG, "%s: Bootstrap-Request POST /bs%s%s%s%s%s", s->name,
             nq ? "?" : "", nq ? q[0] : "", nq > 1 ? "&" : "", nq > 1 ? q[1] : "",
             sim_fault_on(&cl->dev->faults, SIM_FAULT_BOOTSTRAP_REQUEST_NO_EP)
                 ? " (fault bootstrap-request-no-ep)" : "");
    return send_pdu(s, pdu, now);
}

void sim_msg_schedule_update(sim_client *cl, sim_server *s, uint64_t now)
{
    uint64_t every = s->lifetime > 0 ? (uint64_t)s->lifetime * 900u : 60000u; /* 90% */
    if (cl->update_interval_s && (uint64_t)cl->update_interval_s * 1000u < every)
        every = (uint64_t)cl->update_interval_s * 1000u;
    if (every < 1000u)
        every = 1000u;
    if (sim_fault_on(&cl->dev->faults, SIM_FAULT_UPDATE_AFTER_LIFETIME) && s->lifetime > 0) {
        uint64_t lt = (uint64_t)s->lifetime * 1000u;
        every = lt * 3 / 2 > lt + 5000u ? lt * 3 / 2 : lt + 5000u;
    }
    if (sim_fault_on(&cl->dev->faults, SIM_FAULT_STOP_UPDATES))
        every = UINT64_MAX / 4; /* never */
    s->next_update = now + every;
}

