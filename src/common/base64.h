/* Base64 (RFC 4648 §4, the standard alphabet): PSK identities and keys in configurations,
 * opaque values in OMA JSON, and the textual forms of secrets the logger redacts. */
#ifndef LC_BASE64_H
#define LC_BASE64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Writes the encoding of in (padded) into out, NUL-terminated, cut to cap. Returns the
 * length of the full encoding (without the NUL), so base64_encode(in, n, NULL, 0) sizes it. */
size_t base64_encode(const uint8_t *in, size_t n, char *out, size_t cap);

/* Decodes len characters into out (cap bytes). strict: padding to whole quads is required
 * and the bits padding drops must be zero (the canonical form); otherwise missing padding
 * is accepted. On error returns LC_EINVAL and, when why is given, says what is wrong
 * without quoting the input (it may be a key). */
int base64_decode(const char *in, size_t len, uint8_t *out, size_t cap, size_t *outlen,
                  bool strict, char *why, size_t why_cap);

#endif
