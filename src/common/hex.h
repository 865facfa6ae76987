/* Hex text to bytes (PSK keys given on the environment or in a key file). */
#ifndef LC_HEX_H
#define LC_HEX_H

#include <stddef.h>
#include <stdint.h>

/* An even number of hex digits, either case, to at most cap bytes. Returns 0 (*outlen set;
 * outlen may be NULL) or LC_EINVAL with why (why_cap bytes) saying what is wrong without
 * quoting the input, which may be a key. An empty input decodes to 0 bytes. */
int hex_decode(const char *in, uint8_t *out, size_t cap, size_t *outlen, char *why,
               size_t why_cap);

#endif
