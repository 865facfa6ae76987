#include "fw/http.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

struct fw_http {
    struct MHD_Daemon *d;
    uint16_t port;
    fw_http_lookup lookup;
    fw_http_account account;
    void *arg;
};

struct transfer {
    fw_http *h;
    const fw_package *pkg;
    int slot;
    bool cut;
};

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct transfer *t = cls;
    uint64_t size = fw_package_size(t->pkg);
    if (t->cut && pos >= size / 2) {
        t->h->account(t->h->arg, t->slot, 0, false, true, false);
        return MHD_CONTENT_READER_END_WITH_ERROR; /* the connection is closed mid-body */
    }
    if (t->cut && pos + max > size / 2)
        max = (size_t)(size / 2 - pos);
    long got = fw_package_read(t->pkg, pos, (uint8_t *)buf, max);
    if (got < 0)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    if (got == 0)
        return MHD_CONTENT_READER_END_OF_STREAM;
    t->h->account(t->h->arg, t->slot, (uint64_t)got, false, false, pos + (uint64_t)got >= size);
    return (ssize_t)got;
}

static void transfer_free(void *cls)
{
    free(cls);
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)version;
    (void)upload;
    (void)upload_size;
    (void)con_cls;
    fw_http *h = cls;
    struct MHD_Response *r;
    int slot = -1;
    char *end = NULL;
    if (strncmp(url, "/fw/", 4) == 0) {
        long v = strtol(url + 4, &end, 10);
        if (end != url + 4 && !*end && v >= 0 && v < 1000)
            slot = (int)v;
    }
    bool cut = false;
    const fw_package *pkg = slot >= 0 ? h->lookup(h->arg, slot, &cut) : NULL;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, r);
        MHD_destroy_response(r);
        return ret;
    }
    if (!pkg) {
        static const char msg[] = "no firmware package here\n";
        r = MHD_create_response_from_buffer(sizeof msg - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
        enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_NOT_FOUND, r);
        MHD_destroy_response(r);
        return ret;
    }
    struct transfer *t = calloc(1, sizeof *t);
    if (!t)
        return MHD_NO;
    *t = (struct transfer){.h = h, .pkg = pkg, .slot = slot, .cut = cut};
    h->account(h->arg, slot, 0, true, false, false);
    r = MHD_create_response_from_callback(fw_package_size(pkg), 16 * 1024, reader, t,
                                          transfer_free);
    if (!r) {
        free(t);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "application/octet-stream");
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

fw_http *fw_http_start(const char *bind_addr, fw_http_lookup lookup, fw_http_account account,
                       void *arg, lc_error *err)
{
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_PASSIVE, .ai_socktype = SOCK_STREAM},
                    *res = NULL;
    if (getaddrinfo(bind_addr, "0", &hints, &res) != 0 || !res) {
        lc_error_set(err, LC_EINVAL, "HTTP package server: %s is not a numeric address", bind_addr);
        return NULL;
    }
    fw_http *h = calloc(1, sizeof *h);
    if (!h) {
        freeaddrinfo(res);
        lc_error_set(err, LC_ENOMEM, "out of memory");
        return NULL;
    }
    h->lookup = lookup;
    h->account = account;
    h->arg = arg;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
    if (res->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    h->d = MHD_start_daemon(flags, 0, NULL, NULL, answer, h, MHD_OPTION_SOCK_ADDR, res->ai_addr,
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned)16,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_END);
    freeaddrinfo(res);
    if (!h->d) {
        free(h);
        lc_error_set(err, LC_EIO, "cannot start the HTTP package server on %s", bind_addr);
        return NULL;
    }
    const union MHD_DaemonInfo *i = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    h->port = i ? i->port : 0;
    return h;
}

void fw_http_stop(fw_http *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->d);
    free(h);
}

uint16_t fw_http_port(const fw_http *h)
{
    return h->port;
}
