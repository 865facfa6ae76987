#include "sim/fwdl.h"

#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "common/mono.h"
#include "lwm2m/config.h"
#include "sim/simlog.h"

enum { DL_COAP, DL_HTTP };

struct sim_fwdl {
    int kind;
    logger *lg;
    sim_fwdl_options opt;
    sim_fwpkg_check chk;
    /* CoAP */
    coap_session_t *session;
    char path[256];
    uint32_t num;
    uint8_t token[8];
    uint64_t last_ms;
    int done; /* 0 running, 1 over */
    int result;
    /* HTTP */
    char url[512];
    pthread_t thread;
    bool thread_started;
    atomic_int http_done;
    int http_result;
};

typedef struct parsed_uri {
    char scheme[16], host[256], path[256];
    uint16_t port;
} parsed_uri;

static bool parse_uri(const char *uri, parsed_uri *u)
{
    memset(u, 0, sizeof *u);
    const char *p = strstr(uri, "://");
    if (!p || p == uri || (size_t)(p - uri) >= sizeof u->scheme)
        return false;
    memcpy(u->scheme, uri, (size_t)(p - uri));
    p += 3;
    const char *hend;
    if (*p == '[') {
        hend = strchr(p, ']');
        if (!hend)
            return false;
        snprintf(u->host, sizeof u->host, "%.*s", (int)(hend - p - 1), p + 1);
        hend++;
    } else {
        hend = p + strcspn(p, ":/");
        snprintf(u->host, sizeof u->host, "%.*s", (int)(hend - p), p);
    }
    if (!u->host[0])
        return false;
    if (*hend == ':') {
        char *e;
        long port = strtol(hend + 1, &e, 10);
        if (port <= 0 || port > 65535)
            return false;
        u->port = (uint16_t)port;
        hend = e;
    }
    snprintf(u->path, sizeof u->path, "%s", *hend == '/' ? hend : "/");
    return true;
}

/* The Security instance whose URI has this host and port, else the first server account. */
static int security_for(const sim_store *st, const parsed_uri *u)
{
    uint16_t ids[64];
    size_t n = sim_store_instances(st, 0, ids, 64);
    int first = -1;
    for (size_t i = 0; i < n; i++) {
        int64_t bs = 0;
        lwm2m_path p = {.ids = {0, ids[i], 1, LWM2M_ID_NONE}, .depth = 3};
        const lwm2m_record *r = sim_store_get(st, &p);
        if (r && r->type == LV_BOOLEAN && r->b)
            continue;
        (void)bs;
        if (first < 0)
            first = ids[i];
        const char *suri = sim_store_get_string(st, 0, ids[i], 0);
        parsed_uri s;
        if (suri && parse_uri(suri, &s) && strcmp(s.host, u->host) == 0 && s.port == u->port)
            return ids[i];
    }
    return first;
}

static bool opaque_of(const sim_store *st, int x, int res, const uint8_t **b, size_t *n)
{
    lwm2m_path p = {.ids = {0, (uint16_t)x, (uint16_t)res, LWM2M_ID_NONE}, .depth = 3};
    const lwm2m_record *r = sim_store_get(st, &p);
    if (!r || (r->type != LV_OPAQUE && r->type != LV_STRING) || !r->len)
        return false;
    *b = r->bytes;
    *n = r->len;
    return true;
}

static bool send_block(sim_fwdl *d)
{
    coap_pdu_t *pdu = coap_new_pdu(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, d->session);
    if (!pdu)
        return false;
    coap_prng(d->token, sizeof d->token);
    coap_add_token(pdu, sizeof d->token, d->token);
    const char *p = d->path;
    while (*p) {
        while (*p == '/')
            p++;
        size_t l = strcspn(p, "/");
        if (l)
            coap_add_option(pdu, COAP_OPTION_URI_PATH, l, (const uint8_t *)p);
        p += l;
    }
    uint8_t buf[4];
    coap_add_option(pdu, COAP_OPTION_BLOCK2,
                    coap_encode_var_safe(buf, sizeof buf, d->num << 4 | d->opt.block_szx), buf);
    d->last_ms = mono_ms();
    return coap_send(d->session, pdu) != COAP_INVALID_MID;
}

static void finish(sim_fwdl *d, int result)
{
    if (d->done)
        return;
    d->done = 1;
    d->result = result;
}

static size_t on_http_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
    sim_fwdl *d = arg;
    size_t n = size * nmemb;
    if (d->opt.check_storage && d->chk.bytes + n > d->opt.storage) {
        d->http_result = 2;
        return 0; /* aborts the transfer */
    }
    sim_fwpkg_feed(&d->chk, (const uint8_t *)ptr, n);
    return n;
}

static void *http_main(void *arg)
{
    sim_fwdl *d = arg;
    CURL *c = curl_easy_init();
    int result = 7;
    if (c) {
        curl_easy_setopt(c, CURLOPT_URL, d->url);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_http_data);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, d);
        curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
        /* a transfer that stalls is a lost connection */
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)((d->opt.stall_ms + 999) / 1000));
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
        CURLcode rc = curl_easy_perform(c);
        if (d->http_result)
            result = d->http_result; /* storage */
        else if (rc == CURLE_OK)
            result = 0;
        else if (rc == CURLE_HTTP_RETURNED_ERROR || rc == CURLE_COULDNT_RESOLVE_HOST ||
                 rc == CURLE_COULDNT_CONNECT || rc == CURLE_URL_MALFORMAT)
            result = 7;
        else
            result = 4; /* partial file, receive error, timeout: the connection was lost */
        curl_easy_cleanup(c);
    }
    d->http_result = result;
    atomic_store(&d->http_done, 1);
    return NULL;
}

sim_fwdl *sim_fwdl_start(coap_context_t *ctx, const sim_store *st, const char *uri,
                         const sim_fwdl_options *opt, logger *lg, int *result)
{
    parsed_uri u;
    *result = 0;
    if (!parse_uri(uri, &u)) {
        *result = 7;
        return NULL;
    }
    bool coap = strcmp(u.scheme, "coap") == 0, coaps = strcmp(u.scheme, "coaps") == 0,
         http = strcmp(u.scheme, "http") == 0;
    if (!coap && !coaps && !http) {
        *result = 9;
        return NULL;
    }
    sim_fwdl *d = calloc(1, sizeof *d);
    if (!d) {
        *result = 7;
        return NULL;
    }
    d->lg = lg;
    d->opt = *opt;
    if (d->opt.block_szx < 4 || d->opt.block_szx > 6)
        d->opt.block_szx = 6;
    sim_fwpkg_begin(&d->chk);
    d->last_ms = mono_ms();
    if (http) {
        d->kind = DL_HTTP;
        snprintf(d->url, sizeof d->url, "%s", uri);
        if (pthread_create(&d->thread, NULL, http_main, d) != 0) {
            free(d);
            *result = 7;
            return NULL;
        }
        d->thread_started = true;
        return d;
    }
    d->kind = DL_COAP;
    snprintf(d->path, sizeof d->path, "%s", u.path);
    char port[8];
    snprintf(port, sizeof port, "%u", u.port ? u.port : coaps ? 5684 : 5683);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM}, *res = NULL;
    if (getaddrinfo(u.host, port, &hints, &res) != 0 || !res) {
        free(d);
        *result = 7;
        return NULL;
    }
    coap_address_t dst;
    coap_address_init(&dst);
    dst.size = (socklen_t)res->ai_addrlen;
    memcpy(&dst.addr, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    if (coaps) {
        int x = security_for(st, &u);
        const uint8_t *id = NULL, *key = NULL;
        size_t idl = 0, keyl = 0;
        if (x < 0 || !opaque_of(st, x, 3, &id, &idl) || !opaque_of(st, x, 5, &key, &keyl)) {
            free(d);
            *result = 7;
            return NULL;
        }
        coap_dtls_cpsk_t setup;
        memset(&setup, 0, sizeof setup);
        setup.version = COAP_DTLS_CPSK_SETUP_VERSION;
        setup.psk_info.identity.s = id;
        setup.psk_info.identity.length = idl;
        setup.psk_info.key.s = key;
        setup.psk_info.key.length = keyl;
        d->session = coap_new_client_session_psk2(ctx, NULL, &dst, COAP_PROTO_DTLS, &setup);
    } else {
        d->session = coap_new_client_session(ctx, NULL, &dst, COAP_PROTO_UDP);
    }
    if (!d->session || !send_block(d)) {
        sim_fwdl_free(d);
        *result = 7;
        return NULL;
    }
    sim_logf(lg, LOG_LVL_INFO, "firmware: downloading %s (Block2, %u-byte blocks)", uri,
             16u << d->opt.block_szx);
    return d;
}

bool sim_fwdl_on_response(sim_fwdl *d, coap_session_t *s, const coap_pdu_t *rcvd)
{
    if (!d || d->kind != DL_COAP || s != d->session)
        return false;
    coap_bin_const_t tok = coap_pdu_get_token(rcvd);
    if (d->done || tok.length != sizeof d->token || memcmp(tok.s, d->token, sizeof d->token))
        return true;
    int code = coap_pdu_get_code(rcvd);
    if ((code >> 5) != 2) {
        sim_logf(d->lg, LOG_LVL_INFO, "firmware: the download was answered %d.%02d", code >> 5,
                 code & 31);
        finish(d, 7);
        return true;
    }
    size_t len = 0;
    const uint8_t *data = NULL;
    coap_get_data(rcvd, &len, &data);
    coap_block_t b = {0};
    bool has = coap_get_block(rcvd, COAP_OPTION_BLOCK2, &b);
    if (d->opt.check_storage && d->chk.bytes + len > d->opt.storage) {
        finish(d, 2);
        return true;
    }
    sim_fwpkg_feed(&d->chk, data, len);
    d->last_ms = mono_ms();
    if (has && b.m) {
        /* the next block in the server's size, which may be smaller than the one asked for */
        uint32_t size = 16u << b.szx;
        d->num = (uint32_t)(d->chk.bytes / size);
        d->opt.block_szx = b.szx;
        if (!send_block(d))
            finish(d, 4);
    } else {
        finish(d, 0);
    }
    return true;
}

bool sim_fwdl_on_nack(sim_fwdl *d, coap_session_t *s)
{
    if (!d || d->kind != DL_COAP || s != d->session)
        return false;
    finish(d, 4);
    return true;
}

int sim_fwdl_poll(sim_fwdl *d, uint64_t now, int *result)
{
    if (d->kind == DL_HTTP) {
        if (!atomic_load(&d->http_done))
            return 0;
        if (d->thread_started) {
            pthread_join(d->thread, NULL);
            d->thread_started = false;
        }
        *result = d->http_result;
        return 1;
    }
    if (!d->done && now - d->last_ms >= d->opt.stall_ms) {
        sim_logf(d->lg, LOG_LVL_INFO, "firmware: no block for %llu ms: the connection is lost",
                 (unsigned long long)d->opt.stall_ms);
        finish(d, 4);
    }
    *result = d->result;
    return d->done;
}

const sim_fwpkg_check *sim_fwdl_check(const sim_fwdl *d)
{
    return &d->chk;
}

uint64_t sim_fwdl_bytes(const sim_fwdl *d)
{
    return d->chk.bytes;
}

void sim_fwdl_free(sim_fwdl *d)
{
    if (!d)
        return;
    if (d->thread_started)
        pthread_join(d->thread, NULL); /* the stall limit bounds the wait */
    if (d->session) {
        coap_session_disconnected(d->session, COAP_NACK_NOT_DELIVERABLE);
        coap_session_release(d->session);
    }
    free(d);
}
