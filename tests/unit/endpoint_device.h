/* The device of test_endpoint.c: a forked child running a small libcoap DTLS-PSK client
 * of its own (dev_*), which registers (from a fixed local port if asked), answers the
 * tool's requests and sends Update / De-register when told to by an Execute-like POST on
 * /99/0/x; it reports over a pipe and never returns. Header-only, for that one test file:
 * include it after <cmocka.h>, the system headers and the defines EP_NAME and DEV_LIFE_MS. */
#ifndef TESTS_UNIT_ENDPOINT_DEVICE_H
#define TESTS_UNIT_ENDPOINT_DEVICE_H

/* ==== the device (child process) ========================================================= */

enum dev_kind { DEV_REQ_REGISTER = 1, DEV_REQ_UPDATE, DEV_REQ_DEREGISTER, DEV_REQ_BAD_REGISTER };

typedef struct dev_spec {
    size_t count;                  /* servers to contact: 1 or 2 */
    uint16_t port[2];
    const uint8_t *identity[2];
    size_t identity_len[2];
    const uint8_t *key[2];
    size_t key_len[2];
    bool bad_register;             /* a Register without ep= */
    uint16_t local_port;           /* nonzero: every session from this UDP port (a device
                                      that restarts from the same address and port) */
    bool handshake_only;           /* handshake, but send no Register */
} dev_spec;

struct dev_pending {
    bool used;
    uint8_t token[8];
    size_t token_len;
    int kind;
    int idx;
};

typedef struct dev {
    int report_fd;
    pid_t parent;
    coap_context_t *ctx;
    coap_session_t *s[2];
    size_t count;
    char reg_id[2][64];
    struct dev_pending pend[16];
    int want_update;      /* index of the server to send an Update to, or -1 */
    int want_deregister;
    /* POST /99/0/2: the response is held back until the Update it triggers is answered */
    bool deferred;
    int deferred_idx;
    uint8_t deferred_token[8];
    size_t deferred_token_len;
    uint8_t utc[256];     /* /3/0/14 as last written */
    size_t utc_len;
} dev;

static void dev_report(dev *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void dev_report(dev *d, const char *fmt, ...)
{
    char line[600];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n > sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    /* one write of less than PIPE_BUF bytes: lines never interleave */
    ssize_t w = write(d->report_fd, line, (size_t)n);
    (void)w;
}

static int dev_index(const dev *d, coap_session_t *s)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->s[i] == s)
            return (int)i;
    return -1;
}

static void dev_code(coap_pdu_code_t c, char *buf, size_t cap)
{
    snprintf(buf, cap, "%d.%02d", (int)c >> 5, (int)c & 31);
}

/* Sends a CON request; the path is "rd" or "rd/<id>", the queries '&'-separated. */
static void dev_send(dev *d, int idx, coap_pdu_code_t method, const char *path, const char *query,
                     const char *payload, int kind)
{
    coap_session_t *s = d->s[idx];
    coap_pdu_t *pdu = coap_new_pdu(COAP_MESSAGE_CON, method, s);
    if (!pdu) {
        dev_report(d, "ERROR cannot build a request");
        return;
    }
    uint8_t tok[8];
    size_t tl = 0;
    coap_session_new_token(s, &tl, tok);
    coap_add_token(pdu, tl, tok);
    coap_optlist_t *opts = NULL;
    for (const char *p = path; *p;) {
        size_t l = strcspn(p, "/");
        coap_insert_optlist(&opts, coap_new_optlist(COAP_OPTION_URI_PATH, l, (const uint8_t *)p));
        p += l;
        if (*p == '/')
            p++;
    }
    uint8_t buf[4];
    if (payload)
        coap_insert_optlist(&opts, coap_new_optlist(COAP_OPTION_CONTENT_FORMAT,
                            coap_encode_var_safe(buf, sizeof buf, 40), buf));
    for (const char *q = query; q && *q;) {
        size_t l = strcspn(q, "&");
        coap_insert_optlist(&opts, coap_new_optlist(COAP_OPTION_URI_QUERY, l, (const uint8_t *)q));
        q += l;
        if (*q == '&')
            q++;
    }
    coap_add_optlist_pdu(pdu, &opts);
    coap_delete_optlist(opts);
    if (payload)
        coap_add_data(pdu, strlen(payload), (const uint8_t *)payload);
    for (size_t i = 0; i < sizeof d->pend / sizeof d->pend[0]; i++) {
        if (!d->pend[i].used) {
            d->pend[i] = (struct dev_pending){true, {0}, tl, kind, idx};
            memcpy(d->pend[i].token, tok, tl);
            break;
        }
    }
    if (coap_send(s, pdu) == COAP_INVALID_MID)
        dev_report(d, "ERROR cannot send kind %d", kind);
}

static void dev_send_update(dev *d, int idx)
{
    char path[80];
    snprintf(path, sizeof path, "rd/%s", d->reg_id[idx]);
    dev_send(d, idx, COAP_REQUEST_CODE_POST, path, "lt=300", NULL, DEV_REQ_UPDATE);
}

static void dev_send_deferred(dev *d)
{
    coap_session_t *s = d->s[d->deferred_idx];
    coap_pdu_t *pdu = coap_new_pdu(COAP_MESSAGE_CON, COAP_RESPONSE_CODE(204), s);
    if (!pdu)
        return;
    coap_add_token(pdu, d->deferred_token_len, d->deferred_token);
    d->deferred = false;
    if (coap_send(s, pdu) == COAP_INVALID_MID)
        dev_report(d, "ERROR cannot send the separate response");
    else
        dev_report(d, "SEPARATE-RESPONSE %d", d->deferred_idx + 1);
}

static coap_response_t dev_on_response(coap_session_t *s, const coap_pdu_t *sent,
                                       const coap_pdu_t *received, const coap_mid_t mid)
{
    (void)sent;
    (void)mid;
    dev *d = coap_get_app_data(coap_session_get_context(s));
    coap_bin_const_t tok = coap_pdu_get_token(received);
    struct dev_pending *p = NULL;
    int idx = dev_index(d, s);
    /* tokens are per session: both sessions start with the same one */
    for (size_t i = 0; i < sizeof d->pend / sizeof d->pend[0]; i++)
        if (d->pend[i].used && d->pend[i].idx == idx && d->pend[i].token_len == tok.length &&
            memcmp(d->pend[i].token, tok.s, tok.length) == 0)
            p = &d->pend[i];
    if (!p)
        return COAP_RESPONSE_OK;
    p->used = false;
    char code[8];
    dev_code(coap_pdu_get_code(received), code, sizeof code);
    size_t len = 0;
    const uint8_t *data = NULL;
    coap_get_data(received, &len, &data);
    int server = p->idx + 1;
    switch (p->kind) {
    case DEV_REQ_REGISTER: {
        coap_opt_iterator_t it;
        coap_opt_t *o;
        char loc[64] = "";
        int seg = 0;
        coap_option_iterator_init(received, &it, COAP_OPT_ALL);
        while ((o = coap_option_next(&it)) != NULL) {
            /* Location-Path "rd" then "<id>": the id is the second segment */
            if (it.number == COAP_OPTION_LOCATION_PATH && seg++ == 1)
                snprintf(loc, sizeof loc, "%.*s", (int)coap_opt_length(o),
                         (const char *)coap_opt_value(o));
        }
        snprintf(d->reg_id[p->idx], sizeof d->reg_id[p->idx], "%s", loc);
        dev_report(d, "REGISTERED %d %s %s", server, code, loc);
        break;
    }
    case DEV_REQ_UPDATE:
        dev_report(d, "UPDATED %d %s", server, code);
        if (d->deferred && d->deferred_idx == p->idx)
            dev_send_deferred(d);
        break;
    case DEV_REQ_DEREGISTER:
        dev_report(d, "DEREGISTERED %d %s", server, code);
        break;
    case DEV_REQ_BAD_REGISTER:
        dev_report(d, "BAD-REGISTER %d %s %.*s", server, code, (int)len, (const char *)data);
        break;
    }
    return COAP_RESPONSE_OK;
}

static void dev_on_nack(coap_session_t *s, const coap_pdu_t *sent, const coap_nack_reason_t reason,
                        const coap_mid_t mid)
{
    (void)sent;
    (void)mid;
    dev *d = coap_get_app_data(coap_session_get_context(s));
    dev_report(d, "NACK %d %d", dev_index(d, s) + 1, (int)reason);
}

static int dev_on_event(coap_session_t *s, const coap_event_t event)
{
    dev *d = coap_get_app_data(coap_session_get_context(s));
    dev_report(d, "EVENT %d 0x%x", dev_index(d, s) + 1, (unsigned)event);
    return 0;
}

static void dev_on_request(coap_resource_t *res, coap_session_t *s, const coap_pdu_t *req,
                           const coap_string_t *query, coap_pdu_t *resp)
{
    (void)res;
    (void)query;
    dev *d = coap_get_app_data(coap_session_get_context(s));
    int idx = dev_index(d, s);
    coap_string_t *uri = coap_get_uri_path(req);
    char path[128];
    snprintf(path, sizeof path, "%.*s", uri ? (int)uri->length : 0,
             uri ? (const char *)uri->s : "");
    coap_delete_string(uri);
    coap_pdu_code_t method = coap_pdu_get_code(req);
    size_t len = 0;
    const uint8_t *data = NULL;
    coap_get_data(req, &len, &data);
    uint8_t buf[4];

    if (method == COAP_REQUEST_CODE_GET && strcmp(path, "3/0/0") == 0) {
        coap_pdu_set_code(resp, COAP_RESPONSE_CODE(205));
        coap_add_option(resp, COAP_OPTION_CONTENT_FORMAT, coap_encode_var_safe(buf, sizeof buf, 0), buf);
        coap_add_data(resp, 4, (const uint8_t *)"ACME");
    } else if (method == COAP_REQUEST_CODE_GET && strcmp(path, "3/0/14") == 0) {
        coap_pdu_set_code(resp, COAP_RESPONSE_CODE(205));
        coap_add_option(resp, COAP_OPTION_CONTENT_FORMAT, coap_encode_var_safe(buf, sizeof buf, 42), buf);
        coap_add_data(resp, d->utc_len, d->utc);
    } else if (method == COAP_REQUEST_CODE_PUT && strcmp(path, "3/0/14") == 0 && len <= sizeof d->utc) {
        memcpy(d->utc, data, len);
        d->utc_len = len;
        coap_pdu_set_code(resp, COAP_RESPONSE_CODE(204));
    } else if (method == COAP_REQUEST_CODE_POST && strcmp(path, "99/0/0") == 0) {
        /* libcoap would send a request made here before this response: the loop sends it */
        d->want_update = idx;
        coap_pdu_set_code(resp, COAP_RESPONSE_CODE(204));
    } else if (method == COAP_REQUEST_CODE_POST && strcmp(path, "99/0/1") == 0) {
        d->want_deregister = idx;
        coap_pdu_set_code(resp, COAP_RESPONSE_CODE(204));
    } else if (method == COAP_REQUEST_CODE_POST && strcmp(path, "99/0/2") == 0) {
        /* code 0: libcoap sends an empty ACK now; the 2.04 follows once the Update that
         * the loop sends first has been answered (RFC 7252 §5.2.2 separate response) */
        coap_bin_const_t tok = coap_pdu_get_token(req);
        d->deferred = true;
        d->deferred_idx = idx;
        d->deferred_token_len = tok.length < 8 ? tok.length : 8;
        memcpy(d->deferred_token, tok.s, d->deferred_token_len);
        d->want_update = idx;
    } else {
        coap_pdu_set_code(resp, COAP_RESPONSE_CODE(404));
    }
    char code[8];
    dev_code(method, code, sizeof code);
    dev_report(d, "REQUEST %d %s %s", idx + 1, code, path);
}

static coap_session_t *dev_session(dev *d, uint16_t port, const uint8_t *id, size_t id_len,
                                   const uint8_t *key, size_t key_len, uint16_t local_port)
{
    coap_address_t addr, local;
    coap_address_init(&local);
    local.addr.sin.sin_family = AF_INET;
    local.addr.sin.sin_port = htons(local_port);
    local.addr.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    local.size = sizeof(struct sockaddr_in);
    coap_address_init(&addr);
    addr.addr.sin.sin_family = AF_INET;
    addr.addr.sin.sin_port = htons(port);
    addr.addr.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.size = sizeof(struct sockaddr_in);
    coap_dtls_cpsk_t cpsk;
    memset(&cpsk, 0, sizeof cpsk);
    cpsk.version = COAP_DTLS_CPSK_SETUP_VERSION;
    cpsk.client_sni = NULL;
    cpsk.psk_info.identity.s = id;
    cpsk.psk_info.identity.length = id_len;
    cpsk.psk_info.key.s = key;
    cpsk.psk_info.key.length = key_len;
    return coap_new_client_session_psk2(d->ctx, local_port ? &local : NULL, &addr,
                                        COAP_PROTO_DTLS, &cpsk);
}

/* The child's whole life; never returns. */
static void dev_main(const dev_spec *spec, int report_fd, pid_t parent)
{
    /* Drop the tool's sockets inherited through fork (they would keep its ports bound). */
    for (int fd = 3; fd < 1024; fd++)
        if (fd != report_fd)
            close(fd);
    const char *lvl = getenv("E2E_DEVICE_LOG");
    coap_set_log_handler(NULL);
    coap_set_log_level(lvl ? (coap_log_t)atoi(lvl) : LOG_EMERG);
    coap_dtls_set_log_level(lvl ? atoi(lvl) : 0);

    dev d; /* lives as long as the child: dev_main never returns */
    memset(&d, 0, sizeof d);
    d.report_fd = report_fd;
    d.parent = parent;
    d.want_update = d.want_deregister = -1;
    d.ctx = coap_new_context(NULL);
    if (!d.ctx) {
        dev_report(&d, "ERROR no context");
        _exit(2);
    }
    coap_set_app_data(d.ctx, &d);
    coap_register_response_handler(d.ctx, dev_on_response);
    coap_register_nack_handler(d.ctx, dev_on_nack);
    coap_register_event_handler(d.ctx, dev_on_event);
    coap_resource_t *r = coap_resource_unknown_init2(dev_on_request, 0);
    coap_register_request_handler(r, COAP_REQUEST_GET, dev_on_request);
    coap_register_request_handler(r, COAP_REQUEST_POST, dev_on_request);
    coap_register_request_handler(r, COAP_REQUEST_DELETE, dev_on_request);
    coap_add_resource(d.ctx, r);

    d.count = spec->count;
    for (size_t i = 0; i < spec->count; i++) {
        d.s[i] = dev_session(&d, spec->port[i], spec->identity[i], spec->identity_len[i],
                             spec->key[i], spec->key_len[i], spec->local_port);
        if (!d.s[i]) {
            dev_report(&d, "ERROR no session %zu", i + 1);
            _exit(2);
        }
        if (spec->handshake_only)
            continue; /* libcoap starts the handshake with the session */
        if (spec->bad_register)
            dev_send(&d, (int)i, COAP_REQUEST_CODE_POST, "rd", "lt=300&lwm2m=1.0&b=U",
                     "</1/0>,</3/0>", DEV_REQ_BAD_REGISTER);
        else
            dev_send(&d, (int)i, COAP_REQUEST_CODE_POST, "rd",
                     "ep=" EP_NAME "&lt=300&lwm2m=1.0&b=U", "</1/0>,</3/0>", DEV_REQ_REGISTER);
    }
    uint64_t end = mono_ms() + DEV_LIFE_MS;
    while (mono_ms() < end && getppid() == parent) {
        coap_io_process(d.ctx, 50);
        if (d.want_update >= 0) {
            dev_send_update(&d, d.want_update);
            d.want_update = -1;
        }
        if (d.want_deregister >= 0) {
            char path[80];
            snprintf(path, sizeof path, "rd/%s", d.reg_id[d.want_deregister]);
            dev_send(&d, d.want_deregister, COAP_REQUEST_CODE_DELETE, path, NULL, NULL,
                     DEV_REQ_DEREGISTER);
            d.want_deregister = -1;
        }
    }
    coap_free_context(d.ctx);
    _exit(0);
}


#endif
