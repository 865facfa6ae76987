/* Error codes and the caller's error buffer.
 *
 * Functions return 0 on success or a negative LC_E* code, and when the caller passes a
 * non-NULL lc_error they also leave a message a user can act on (what failed, where, what
 * to do). Tool errors live here; verdicts about the device never do. */
#ifndef LC_ERR_H
#define LC_ERR_H

#include <stddef.h>

enum {
    LC_OK = 0,
    LC_EINVAL = -1,    /* bad argument or malformed input (definition, config, payload) */
    LC_ENOMEM = -2,
    LC_EIO = -3,       /* file or socket error */
    LC_ETIMEDOUT = -4, /* a deadline passed */
    LC_ENOTFOUND = -5,
    LC_EPROTO = -6,    /* the peer broke the protocol */
    LC_EBUSY = -7,     /* address or port in use */
    LC_ENACK = -8,     /* CoAP gave up: retransmissions exhausted, RST, DTLS failure */
    LC_EINTR = -9,     /* interrupted by a signal */
    LC_EUNSUPPORTED = -10,
};

typedef struct lc_error {
    int code;
    char msg[512];
} lc_error;

/* Sets err (if non-NULL) and returns code, so callers can write
 * `return lc_error_set(err, LC_EINVAL, "…", …);`. */
int lc_error_set(lc_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes the existing message with more context ("file.json: " + msg). */
int lc_error_prefix(lc_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

const char *lc_strerror(int code);

#endif
