#include "common/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int lc_error_set(lc_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

int lc_error_prefix(lc_error *err, const char *fmt, ...)
{
    if (!err)
        return 0;
    char prefix[256], old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    snprintf(err->msg, sizeof err->msg, "%s%s", prefix, old);
    return err->code;
}

const char *lc_strerror(int code)
{
    switch (code) {
    case LC_OK: return "ok";
    case LC_EINVAL: return "invalid input";
    case LC_ENOMEM: return "out of memory";
    case LC_EIO: return "input/output error";
    case LC_ETIMEDOUT: return "timed out";
    case LC_ENOTFOUND: return "not found";
    case LC_EPROTO: return "protocol error";
    case LC_EBUSY: return "address in use";
    case LC_ENACK: return "no answer (retransmissions exhausted or reset)";
    case LC_EINTR: return "interrupted";
    case LC_EUNSUPPORTED: return "not supported";
    default: return "unknown error";
    }
}
