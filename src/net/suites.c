#include "net/suites.h"

#include <stdio.h>
#include <string.h>

#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ciphersuites.h>

void net_suites_list_psk(char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (const int *id = mbedtls_ssl_list_ciphersuites(); *id && len + 2 < cap; id++) {
        const mbedtls_ssl_ciphersuite_t *cs = mbedtls_ssl_ciphersuite_from_id(*id);
        const char *name = mbedtls_ssl_get_ciphersuite_name(*id);
        /* PSK and ECDHE-PSK: what LwM2M clients use (DHE-PSK and RSA-PSK are left out) */
        if (!cs || !mbedtls_ssl_ciphersuite_uses_psk(cs) || strstr(name, "DHE-PSK-") == name + 4 ||
            strstr(name, "RSA-PSK"))
            continue;
        int w = snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", name);
        if (w < 0 || (size_t)w >= cap - len)
            break;
        len += (size_t)w;
    }
}

int net_suites_normalize(const char *list, char *out, size_t cap, lc_error *err)
{
    size_t len = 0;
    if (cap == 0)
        return lc_error_set(err, LC_EINVAL, "no room for the cipher suites");
    out[0] = '\0';
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        char name[96];
        if (n == 0 || n >= sizeof name)
            return lc_error_set(err, LC_EINVAL, "--ciphersuites %s: an empty or overlong name",
                                list);
        for (size_t i = 0; i < n; i++)
            name[i] = p[i] == '_' ? '-' : p[i];
        name[n] = '\0';
        if (mbedtls_ssl_get_ciphersuite_id(name) == 0)
            return lc_error_set(err, LC_EINVAL, "--ciphersuites: unknown cipher suite '%s' "
                                "(--ciphersuites help lists the PSK suites this build knows)",
                                name);
        int w = snprintf(out + len, cap - len, "%s%s", len ? "," : "", name);
        if (w < 0 || (size_t)w >= cap - len)
            return lc_error_set(err, LC_EINVAL, "--ciphersuites: too many suites");
        len += (size_t)w;
        p += n;
        if (*p)
            p++;
    }
    if (len == 0)
        return lc_error_set(err, LC_EINVAL, "--ciphersuites: give at least one suite");
    return 0;
}

void net_suites_format(const uint16_t *ids, size_t n, char *buf, size_t cap)
{
    size_t len = 0;
    if (cap == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < cap; i++) {
        /* signalling values, not suites: renegotiation info (RFC 5746), fallback (7507) */
        if (ids[i] == 0x00ff || ids[i] == 0x5600)
            continue;
        const char *name = mbedtls_ssl_get_ciphersuite_name(ids[i]);
        int w = name && strcmp(name, "unknown") != 0
                    ? snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", name)
                    : snprintf(buf + len, cap - len, "%s0x%04x", len ? ", " : "", ids[i]);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

bool net_suites_any_in(const char *list, const uint16_t *ids, size_t n)
{
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        char name[96];
        if (len < sizeof name) {
            memcpy(name, p, len);
            name[len] = '\0';
            int id = mbedtls_ssl_get_ciphersuite_id(name);
            for (size_t i = 0; i < n; i++)
                if (ids[i] == id)
                    return true;
        }
        p += len;
        if (*p)
            p++;
    }
    return false;
}
