#include "common/base64.h"

#include <stdio.h>

#include "common/err.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t base64_encode(const uint8_t *in, size_t n, char *out, size_t cap)
{
    size_t total = (n + 2) / 3 * 4, w = 0;
    for (size_t i = 0; i < n && out; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        char q[4] = {alphabet[(v >> 18) & 63], alphabet[(v >> 12) & 63],
                     i + 1 < n ? alphabet[(v >> 6) & 63] : '=', i + 2 < n ? alphabet[v & 63] : '='};
        for (int k = 0; k < 4; k++, w++)
            if (cap && w < cap - 1)
                out[w] = q[k];
    }
    if (out && cap)
        out[w < cap ? w : cap - 1] = '\0';
    return total;
}

static int value_of(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

static int fail(char *why, size_t cap, const char *fmt, size_t a, size_t b)
{
    if (why && cap)
        snprintf(why, cap, fmt, a, b);
    return LC_EINVAL;
}

int base64_decode(const char *in, size_t len, uint8_t *out, size_t cap, size_t *outlen,
                  bool strict, char *why, size_t why_cap)
{
    size_t pad = 0;
    if (strict && len % 4)
        return fail(why, why_cap, "%zu characters are not whole Base64 quads%.0zu", len, 0);
    while (len > 0 && in[len - 1] == '=' && pad < 2) {
        pad++;
        len--;
    }
    for (size_t i = 0; i < len; i++)
        if (value_of((unsigned char)in[i]) < 0)
            return fail(why, why_cap, "character %zu is not in the Base64 alphabet%.0zu", i + 1, 0);
    if (len % 4 == 1 || (pad && (len + pad) % 4 != 0))
        return fail(why, why_cap, "%zu characters%.0zu cannot be Base64 (truncated?)", len + pad, 0);
    size_t need = len / 4 * 3 + (len % 4 == 3 ? 2 : len % 4 == 2 ? 1 : 0);
    if (need > cap)
        return fail(why, why_cap, "it decodes to %zu bytes, more than the limit of %zu", need, cap);
    size_t n = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        acc = (acc << 6) | (uint32_t)value_of((unsigned char)in[i]);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (uint8_t)(acc >> bits);
        }
    }
    /* the canonical form leaves the bits padding drops at zero */
    bool canonical = bits == 0 || (acc & ((1u << bits) - 1)) == 0;
    acc = 0;
    if (strict && !canonical)
        return fail(why, why_cap, "not canonical Base64 (%zu characters, stray bits%.0zu)", len + pad, 0);
    if (outlen)
        *outlen = n;
    return 0;
}
