/* config_parse_uri: the server URIs of a configuration (lwm2m/config.h). */
#include "lwm2m/config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- URI ---- */

static bool is_host_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

static int copy_out(char *dst, size_t cap, const char *src, size_t n, const char *uri,
                    const char *what, lc_error *err)
{
    if (!dst)
        return 0;
    if (n >= cap)
        return lc_error_set(err, LC_EINVAL, "URI '%s': the %s is longer than %zu bytes", uri,
                            what, cap ? cap - 1 : 0);
    memcpy(dst, src, n);
    dst[n] = '\0';
    return 0;
}

int config_parse_uri(const char *uri, char *scheme, size_t scheme_cap, char *host,
                     size_t host_cap, uint16_t *port, lc_error *err)
{
    if (!uri)
        return lc_error_set(err, LC_EINVAL, "no URI");
    const char *sep = strstr(uri, "://");
    if (!sep)
        return lc_error_set(err, LC_EINVAL,
                            "URI '%s' has no scheme: expected coap://host[:port] or "
                            "coaps://host[:port]",
                            uri);
    size_t slen = (size_t)(sep - uri);
    bool secure;
    if (slen == 4 && strncasecmp(uri, "coap", 4) == 0)
        secure = false;
    else if (slen == 5 && strncasecmp(uri, "coaps", 5) == 0)
        secure = true;
    else
        return lc_error_set(err, LC_EINVAL,
                            "URI '%s': scheme '%.*s' is not supported: expected coap:// or "
                            "coaps://",
                            uri, (int)(slen > 16 ? 16 : slen), uri);

    const char *h = sep + 3, *hend, *after;
    char addr[64];
    if (*h == '[') {
        const char *close = strchr(h, ']');
        if (!close)
            return lc_error_set(err, LC_EINVAL, "URI '%s': '[' without ']' around the IPv6 address",
                                uri);
        size_t n = (size_t)(close - h - 1);
        struct in6_addr a6;
        if (n == 0 || n >= sizeof addr)
            return lc_error_set(err, LC_EINVAL, "URI '%s': '%.*s' is not an IPv6 address", uri,
                                (int)(n > 60 ? 60 : n), h + 1);
        memcpy(addr, h + 1, n);
        addr[n] = '\0';
        if (inet_pton(AF_INET6, addr, &a6) != 1)
            return lc_error_set(err, LC_EINVAL, "URI '%s': '%s' is not an IPv6 address", uri,
                                addr);
        h++;
        hend = close;
        after = close + 1;
    } else {
        hend = h;
        while (is_host_char((unsigned char)*hend))
            hend++;
        if (hend == h)
            return lc_error_set(err, LC_EINVAL, "URI '%s' has no host", uri);
        after = hend;
        if (*after == ':' && strchr(after + 1, ':'))
            return lc_error_set(err, LC_EINVAL,
                                "URI '%s': an IPv6 address needs brackets, e.g. coap://[::1]:5683",
                                uri);
    }

    unsigned long p = secure ? 5684 : 5683;
    if (*after == ':') {
        const char *d = after + 1;
        size_t nd = 0;
        p = 0;
        while (d[nd] >= '0' && d[nd] <= '9') {
            if (nd < 6)
                p = p * 10 + (unsigned long)(d[nd] - '0');
            nd++;
        }
        if (nd == 0)
            return lc_error_set(err, LC_EINVAL, "URI '%s': expected a port number after ':'",
                                uri);
        if (nd > 5 || p == 0 || p > 65535)
            return lc_error_set(err, LC_EINVAL, "URI '%s': port is not in 1..65535", uri);
        after = d + nd;
    }
    if (*after == '/' && after[1] == '\0')
        after++;
    if (*after != '\0') {
        if (*after == '/' || *after == '?' || *after == '#')
            return lc_error_set(err, LC_EINVAL,
                                "URI '%s': a server URI has no path or query ('%s')", uri,
                                after);
        return lc_error_set(err, LC_EINVAL, "URI '%s': unexpected '%c' after the host", uri,
                            *after);
    }

    int rc;
    const char *sname = secure ? "coaps" : "coap";
    if ((rc = copy_out(scheme, scheme_cap, sname, strlen(sname), uri, "scheme", err)) < 0)
        return rc;
    if ((rc = copy_out(host, host_cap, h, (size_t)(hend - h), uri, "host", err)) < 0)
        return rc;
    if (port)
        *port = (uint16_t)p;
    return 0;
}
