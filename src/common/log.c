#include "common/log.h"

#include "common/base64.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <coap3/coap.h>

#define LOG_MAX_SECRETS 32
#define LOG_LINE 4096

struct secret_forms {
    char *forms[4]; /* raw (if printable), hex lower, hex upper, base64 */
};

struct logger {
    FILE *out, *err;
    log_level level;
    bool color;
    char program[32];
    struct secret_forms secrets[LOG_MAX_SECRETS];
    size_t nsecrets;
};

logger *logger_new(FILE *out, FILE *err, log_level level)
{
    logger *lg = calloc(1, sizeof *lg);
    if (!lg)
        return NULL;
    lg->out = out;
    lg->err = err;
    lg->level = level;
    snprintf(lg->program, sizeof lg->program, "lwm2m-conform");
    lg->color = out && isatty(fileno(out)) && !getenv("NO_COLOR");
    return lg;
}

void logger_free(logger *lg)
{
    if (!lg)
        return;
    for (size_t i = 0; i < lg->nsecrets; i++)
        for (int f = 0; f < 4; f++)
            free(lg->secrets[i].forms[f]);
    free(lg);
}

void logger_set_level(logger *lg, log_level level) { lg->level = level; }
void logger_set_program(logger *lg, const char *name) { snprintf(lg->program, sizeof lg->program, "%s", name); }
log_level logger_level(const logger *lg) { return lg ? lg->level : LOG_LVL_INFO; }
bool logger_color(const logger *lg) { return lg && lg->color; }
FILE *logger_out_stream(const logger *lg) { return lg->out; }

static char *b64(const uint8_t *p, size_t n)
{
    size_t len = base64_encode(p, n, NULL, 0);
    char *s = malloc(len + 1);
    if (s)
        base64_encode(p, n, s, len + 1);
    return s;
}

static char *hex(const uint8_t *p, size_t n, bool upper)
{
    char *s = malloc(2 * n + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++)
        snprintf(s + 2 * i, 3, upper ? "%02X" : "%02x", p[i]);
    return s;
}

int logger_add_secret(logger *lg, const uint8_t *secret, size_t len)
{
    if (!lg || !secret || len < 4)
        return 0;
    for (size_t i = 0; i < lg->nsecrets; i++) {
        char *h = hex(secret, len, false);
        bool same = h && lg->secrets[i].forms[1] && strcmp(h, lg->secrets[i].forms[1]) == 0;
        free(h);
        if (same)
            return 0;
    }
    if (lg->nsecrets == LOG_MAX_SECRETS)
        return -1;
    struct secret_forms *sf = &lg->secrets[lg->nsecrets++];
    bool printable = true;
    for (size_t i = 0; i < len; i++)
        if (secret[i] < 0x20 || secret[i] > 0x7e || secret[i] == 0)
            printable = false;
    if (printable) {
        sf->forms[0] = malloc(len + 1);
        if (sf->forms[0]) {
            memcpy(sf->forms[0], secret, len);
            sf->forms[0][len] = '\0';
        }
    }
    sf->forms[1] = hex(secret, len, false);
    sf->forms[2] = hex(secret, len, true);
    sf->forms[3] = b64(secret, len);
    return 0;
}

static void replace_all(char *buf, size_t cap, const char *needle)
{
    static const char mark[] = "[redacted]";
    size_t nl = strlen(needle), ml = sizeof mark - 1;
    if (nl == 0)
        return;
    char *p = buf;
    while ((p = strstr(p, needle)) != NULL) {
        size_t tail = strlen(p + nl);
        if ((size_t)(p - buf) + ml + tail + 1 > cap) {
            /* no room to expand: blank the secret in place instead */
            memset(p, '*', nl);
            p += nl;
            continue;
        }
        memmove(p + ml, p + nl, tail + 1);
        memcpy(p, mark, ml);
        p += ml;
    }
}

void logger_redact(const logger *lg, char *buf, size_t cap)
{
    if (!lg || !buf)
        return;
    for (size_t i = 0; i < lg->nsecrets; i++)
        for (int f = 0; f < 4; f++)
            if (lg->secrets[i].forms[f])
                replace_all(buf, cap, lg->secrets[i].forms[f]);
}

static const char *level_name(log_level l)
{
    switch (l) {
    case LOG_LVL_ERROR: return "error";
    case LOG_LVL_WARN: return "warning";
    case LOG_LVL_INFO: return "info";
    case LOG_LVL_DEBUG: return "debug";
    default: return "trace";
    }
}

void log_vmsg(logger *lg, log_level level, const char *fmt, va_list ap)
{
    if (!lg || level > lg->level)
        return;
    char line[LOG_LINE];
    vsnprintf(line, sizeof line, fmt, ap);
    logger_redact(lg, line, sizeof line);
    size_t n = strlen(line);
    while (n && line[n - 1] == '\n')
        line[--n] = '\0';
    fprintf(lg->err, "%s: %s: %s\n", lg->program, level_name(level), line);
    fflush(lg->err);
}

void log_msg(logger *lg, log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(lg, level, fmt, ap);
    va_end(ap);
}

void log_out(logger *lg, const char *fmt, ...)
{
    if (!lg)
        return;
    char line[LOG_LINE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    logger_redact(lg, line, sizeof line);
    fputs(line, lg->out);
    fflush(lg->out);
}

/* libcoap's handler takes no user argument, so the bridge needs this one pointer. */
static logger *coap_bridge;

static void coap_log_bridge(coap_log_t level, const char *message)
{
    log_level l = level <= LOG_ERR ? LOG_LVL_ERROR
                : level <= LOG_WARNING ? LOG_LVL_WARN
                : level <= LOG_INFO ? LOG_LVL_DEBUG /* libcoap's info is our debug */
                : LOG_LVL_TRACE;
    if (coap_bridge)
        log_msg(coap_bridge, l, "libcoap: %s", message);
}

void logger_attach_coap(logger *lg)
{
    coap_bridge = lg;
    coap_set_log_handler(lg ? coap_log_bridge : NULL);
    /* libcoap prints PDU dumps (payloads in hex) straight to stdout unless told to use the
     * log handler: that would bypass redaction at trace level */
    coap_set_show_pdu_output(lg == NULL);
    coap_set_log_level(lg && lg->level >= LOG_LVL_TRACE ? LOG_DEBUG
                       : lg && lg->level >= LOG_LVL_DEBUG ? LOG_INFO : LOG_WARNING);
    coap_dtls_set_log_level(lg && lg->level >= LOG_LVL_TRACE ? LOG_DEBUG : LOG_WARNING);
}
