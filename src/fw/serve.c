#include "fw/serve.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mono.h"
#include "fw/http.h"

struct slot {
    const fw_package *pkg;
    bool cut;
    fw_slot_stats st;
};

struct fw_server {
    net_ctx *net;
    int coap_endpoint;
    fw_http *http;
    char host[256];
    pthread_mutex_t lock; /* the slots: the HTTP daemon's thread reads and counts too */
    struct slot slots[FW_SERVE_MAX_SLOTS];
    int nslots;
    uint8_t block[1024];  /* one Block2 body, built and sent before the handler returns */
};

static bool is_block_of_package(const char *path, int *slot)
{
    /* "/fw/<n>" */
    if (strncmp(path, "/fw/", 4) != 0)
        return false;
    char *end;
    long v = strtol(path + 4, &end, 10);
    if (end == path + 4 || *end || v < 0 || v >= FW_SERVE_MAX_SLOTS)
        return false;
    *slot = (int)v;
    return true;
}

/* A GET of /fw/<slot> with an optional Block2: one block of the package. */
static void on_fw_request(void *arg, net_ctx *n, const net_request *req, net_reply *reply)
{
    (void)n;
    fw_server *s = arg;
    const net_message *m = req->msg;
    int slot;
    pthread_mutex_lock(&s->lock);
    if (!is_block_of_package(m->path, &slot) || slot >= s->nslots) {
        pthread_mutex_unlock(&s->lock);
        reply->code = COAP_RESPONSE_CODE(404);
        reply->payload_len = (size_t)snprintf(reply->payload, sizeof reply->payload,
                                              "no firmware package at %s", m->path);
        return;
    }
    if (m->code != COAP_REQUEST_CODE_GET) {
        pthread_mutex_unlock(&s->lock);
        reply->code = COAP_RESPONSE_CODE(405);
        return;
    }
    struct slot *sl = &s->slots[slot];
    unsigned szx = m->has_block2 ? (m->block2 & 7u) : FW_SERVE_DEFAULT_SZX;
    if (szx > 6)
        szx = 6; /* BERT is for TCP; 1024 is the largest UDP block */
    uint32_t num = m->has_block2 ? m->block2 >> 4 : 0;
    size_t bsize = (size_t)16 << szx;
    uint64_t offset = (uint64_t)num * bsize, size = fw_package_size(sl->pkg);
    uint64_t now = mono_ms();
    if (!sl->st.first_ms)
        sl->st.first_ms = now;
    sl->st.last_ms = now;
    sl->st.requests++;
    sl->st.block_size = (unsigned)bsize;
    if (sl->cut && (sl->st.cut || offset >= size / 2)) {
        sl->st.cut = true;
        pthread_mutex_unlock(&s->lock);
        reply->no_reply = true; /* the tool stopped answering: the connection is lost */
        return;
    }
    const fw_package *pkg = sl->pkg;
    pthread_mutex_unlock(&s->lock);
    if (offset >= size && size > 0) {
        reply->code = COAP_RESPONSE_CODE(402); /* Bad Option: a block past the end */
        return;
    }
    long got = fw_package_read(pkg, offset, s->block, bsize);
    if (got < 0) {
        reply->code = COAP_RESPONSE_CODE(500);
        return;
    }
    bool more = offset + (uint64_t)got < size;
    reply->code = COAP_RESPONSE_CODE(205);
    reply->content_format = 42; /* application/octet-stream */
    reply->has_block2 = true;
    reply->block2 = num << 4 | (more ? 8u : 0u) | szx;
    if (num == 0)
        reply->size2 = size;
    reply->body = s->block;
    reply->body_len = (size_t)got;
    pthread_mutex_lock(&s->lock);
    sl->st.bytes += (uint64_t)got;
    if (!more)
        sl->st.complete = true;
    pthread_mutex_unlock(&s->lock);
}

static const fw_package *http_lookup(void *arg, int slot, bool *cut)
{
    fw_server *s = arg;
    const fw_package *p = NULL;
    pthread_mutex_lock(&s->lock);
    if (slot >= 0 && slot < s->nslots) {
        p = s->slots[slot].pkg;
        *cut = s->slots[slot].cut;
    }
    pthread_mutex_unlock(&s->lock);
    return p;
}

static void http_account(void *arg, int slot, uint64_t bytes, bool request, bool cut, bool complete)
{
    fw_server *s = arg;
    pthread_mutex_lock(&s->lock);
    if (slot >= 0 && slot < s->nslots) {
        fw_slot_stats *st = &s->slots[slot].st;
        uint64_t now = mono_ms();
        if (!st->first_ms)
            st->first_ms = now;
        st->last_ms = now;
        st->bytes += bytes;
        if (request)
            st->requests++;
        if (cut)
            st->cut = true;
        if (complete)
            st->complete = true;
    }
    pthread_mutex_unlock(&s->lock);
}

fw_server *fw_server_new(net_ctx *n, const char *bind_addr, const char *host, bool http,
                         lc_error *err)
{
    fw_server *s = calloc(1, sizeof *s);
    if (!s) {
        lc_error_set(err, LC_ENOMEM, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&s->lock, NULL);
    s->net = n;
    s->coap_endpoint = -1;
    snprintf(s->host, sizeof s->host, "%s", host ? host : bind_addr);
    if (net_add_handler(n, "fw", on_fw_request, s) < 0) {
        fw_server_free(s);
        lc_error_set(err, LC_EINVAL, "cannot route firmware requests (too many handlers)");
        return NULL;
    }
    net_endpoint_config ec = {.name = "firmware download", .short_server_id = -1,
                              .role = NET_ROLE_SERVER, .secure = false, .bind_addr = bind_addr,
                              .port = 0};
    int e = net_add_endpoint(n, &ec, err);
    if (e < 0) {
        lc_error_prefix(err, "firmware download endpoint: ");
        fw_server_free(s);
        return NULL;
    }
    s->coap_endpoint = e;
    if (http && !(s->http = fw_http_start(bind_addr, http_lookup, http_account, s, err))) {
        fw_server_free(s);
        return NULL;
    }
    return s;
}

void fw_server_free(fw_server *s)
{
    if (!s)
        return;
    fw_http_stop(s->http);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

int fw_server_offer(fw_server *s, const fw_package *pkg, bool cut, const char *scheme,
                    const char *coaps_base, char *buf, size_t cap, lc_error *err)
{
    pthread_mutex_lock(&s->lock);
    if (s->nslots == FW_SERVE_MAX_SLOTS) {
        pthread_mutex_unlock(&s->lock);
        return lc_error_set(err, LC_EINVAL, "%d package URIs handed out already (the limit)",
                            FW_SERVE_MAX_SLOTS);
    }
    int slot = s->nslots;
    bool v6 = strchr(s->host, ':') != NULL;
    const char *lb = v6 ? "[" : "", *rb = v6 ? "]" : "";
    int w;
    if (strcmp(scheme, "coap") == 0)
        w = snprintf(buf, cap, "coap://%s%s%s:%u/fw/%d", lb, s->host, rb,
                     net_endpoint_port(s->net, s->coap_endpoint), slot);
    else if (strcmp(scheme, "coaps") == 0 && coaps_base)
        w = snprintf(buf, cap, "%s/fw/%d", coaps_base, slot);
    else if (strcmp(scheme, "http") == 0 && s->http)
        w = snprintf(buf, cap, "http://%s%s%s:%u/fw/%d", lb, s->host, rb, fw_http_port(s->http),
                     slot);
    else {
        pthread_mutex_unlock(&s->lock);
        return lc_error_set(err, LC_EUNSUPPORTED, "the tool does not serve packages over %s",
                            scheme);
    }
    if (w < 0 || (size_t)w >= cap) {
        pthread_mutex_unlock(&s->lock);
        return lc_error_set(err, LC_EINVAL, "the package URI is too long");
    }
    s->slots[slot] = (struct slot){.pkg = pkg, .cut = cut};
    s->nslots++;
    pthread_mutex_unlock(&s->lock);
    return slot;
}

fw_slot_stats fw_server_stats(fw_server *s, int slot)
{
    fw_slot_stats st = {0};
    pthread_mutex_lock(&s->lock);
    if (slot >= 0 && slot < s->nslots)
        st = s->slots[slot].st;
    pthread_mutex_unlock(&s->lock);
    return st;
}

uint16_t fw_server_coap_port(const fw_server *s)
{
    return s->coap_endpoint >= 0 ? net_endpoint_port(s->net, s->coap_endpoint) : 0;
}

uint16_t fw_server_http_port(const fw_server *s)
{
    return s->http ? fw_http_port(s->http) : 0;
}
