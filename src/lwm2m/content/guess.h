/* Reading a payload that came without a Content-Format option (some real clients omit it
 * on responses). The rule, which docs/content-formats.md repeats:
 *   1. the request asked for a format with Accept: the payload is read as that format;
 *   2. else the formats that fit the payload's first byte are tried, the first that
 *      decodes the whole payload wins: '[' SenML JSON, '{' OMA JSON; otherwise TLV, then
 *      SenML CBOR, then LwM2M CBOR (whichever the tool has codecs for), and text/plain
 *      last, for a request on one resource only.
 * The caller reports the format used as a guess, never as what the device said. */
#ifndef LC_CONTENT_GUESS_H
#define LC_CONTENT_GUESS_H

#include <stdbool.h>

#include "lwm2m/content/content.h"

typedef struct content_guess {
    int cf;          /* the format the payload was read as; CF_NONE when none fits */
    bool by_accept;  /* rule 1 (the request's Accept), else recognised (rule 2) */
} content_guess;

/* Decodes in_len bytes received for base without a Content-Format, accept being the
 * request's Accept (CF_NONE: none), appending to out; fills *how. Returns 0, or the error
 * of reading it as the Accept'ed format (rule 1), or LC_EINVAL "no LwM2M value format
 * reads this payload" with nothing appended (rule 2). */
int content_decode_guess(const lwm2m_path *base, int accept, const uint8_t *in, size_t in_len,
                         lwm2m_type_hint hint, void *hint_arg, lwm2m_records *out,
                         content_guess *how, lc_error *err);

#endif
