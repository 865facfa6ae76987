#include "common/hex.h"

#include <stdio.h>
#include <string.h>

#include "common/err.h"

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int hex_decode(const char *in, uint8_t *out, size_t cap, size_t *outlen, char *why,
                      size_t why_cap)
{
    size_t len = strlen(in);
    for (size_t i = 0; i < len; i++) {
        if (hex_value((unsigned char)in[i]) < 0) {
            snprintf(why, why_cap, "character %zu is not a hex digit", i + 1);
            return LC_EINVAL;
        }
    }
    if (len % 2) {
        snprintf(why, why_cap, "an odd number of hex digits (%zu)", len);
        return LC_EINVAL;
    }
    if (len / 2 > cap) {
        snprintf(why, why_cap, "%zu bytes, more than the limit of %zu", len / 2, cap);
        return LC_EINVAL;
    }
    for (size_t i = 0; i < len; i += 2)
        out[i / 2] = (uint8_t)(hex_value((unsigned char)in[i]) << 4 |
                               hex_value((unsigned char)in[i + 1]));
    if (outlen)
        *outlen = len / 2;
    return 0;
}
