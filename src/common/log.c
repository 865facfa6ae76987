#include "common/log.h"

#include "common/base64.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <coap3/coap.h>

#define LOG_MAX_SECRETS 32
#define LOG_LINE 4096

/* Every way a key may be spelt in a line: raw (if printable), raw with a space after each
 * character (libcoap's "ascii" dump line), hex lower and upper, both spaced ("1a 2b"),
 * Base64 and Base64url without padding (padded Base64 contains the former). */
#define LOG_FORMS 8
struct secret_forms {
    char *forms[LOG_FORMS];
    uint8_t *raw;   /* the secret's bytes, for logger_blank_bytes */
    size_t raw_len;
};

struct logger {
    FILE *out, *err;
    log_level level;
    bool color;
    char program[32];
    struct secret_forms secrets[LOG_MAX_SECRETS];
    size_t nsecrets;
    bool status_tty;    /* err is a terminal: log_status may draw there */
    bool status_shown;  /* a status line is on the terminal now */
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
    lg->status_tty = err && isatty(fileno(err)) && getenv("TERM") && strcmp(getenv("TERM"), "dumb");
    return lg;
}

void logger_free(logger *lg)
{
    if (!lg)
        return;
    for (size_t i = 0; i < lg->nsecrets; i++)
        for (int f = 0; f < LOG_FORMS; f++)
            free(lg->secrets[i].forms[f]);
    for (size_t i = 0; i < lg->nsecrets; i++)
        free(lg->secrets[i].raw);
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

/* "1a 2b 3c" (step 3) or "a b c" (step 2 with the raw characters) */
static char *spaced(const uint8_t *p, size_t n, bool upper, bool raw)
{
    size_t step = raw ? 2 : 3;
    char *s = malloc(step * n + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (raw)
            snprintf(s + 2 * i, 3, "%c ", p[i]);
        else
            snprintf(s + 3 * i, 4, upper ? "%02X " : "%02x ", p[i]);
    }
    s[n ? step * n - 1 : 0] = '\0'; /* no trailing space */
    return s;
}

/* Base64 without its padding, or Base64url (RFC 4648 §5, as SenML carries opaque values) */
static char *b64_variant(const uint8_t *p, size_t n, bool url)
{
    char *s = b64(p, n);
    if (!s)
        return NULL;
    size_t len = strlen(s);
    while (len && s[len - 1] == '=')
        s[--len] = '\0';
    for (size_t i = 0; url && i < len; i++)
        s[i] = s[i] == '+' ? '-' : s[i] == '/' ? '_' : s[i];
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
        sf->forms[4] = spaced(secret, len, false, true);
    }
    sf->forms[1] = hex(secret, len, false);
    sf->forms[2] = hex(secret, len, true);
    sf->forms[3] = b64_variant(secret, len, false);
    sf->forms[5] = spaced(secret, len, false, false);
    sf->forms[6] = spaced(secret, len, true, false);
    sf->forms[7] = b64_variant(secret, len, true);
    sf->raw = malloc(len);
    if (sf->raw) {
        memcpy(sf->raw, secret, len);
        sf->raw_len = len;
    }
    return 0;
}

/* Overwrites every occurrence of needle in buf with fill bytes. */
static void blank_all(uint8_t *buf, size_t len, const uint8_t *needle, size_t nl, uint8_t fill)
{
    if (nl == 0 || nl > len)
        return;
    for (size_t i = 0; i + nl <= len; i++)
        if (buf[i] == needle[0] && memcmp(buf + i, needle, nl) == 0) {
            memset(buf + i, fill, nl);
            i += nl - 1;
        }
}

void logger_blank_bytes(const logger *lg, uint8_t *buf, size_t len)
{
    if (!lg || !buf)
        return;
    for (size_t i = 0; i < lg->nsecrets; i++) {
        blank_all(buf, len, lg->secrets[i].raw, lg->secrets[i].raw_len, 0);
        for (int f = 0; f < LOG_FORMS; f++)
            if (lg->secrets[i].forms[f])
                blank_all(buf, len, (const uint8_t *)lg->secrets[i].forms[f],
                          strlen(lg->secrets[i].forms[f]), '*');
    }
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
        for (int f = 0; f < LOG_FORMS; f++)
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
    logger_status(lg, NULL);
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
    logger_status(lg, NULL);
    fputs(line, lg->out);
    fflush(lg->out);
}

bool logger_status_enabled(const logger *lg) { return lg && lg->status_tty; }

void logger_status(logger *lg, const char *line)
{
    if (!lg || !lg->status_tty || (!line && !lg->status_shown))
        return;
    if (!line) {
        fputs("\r\033[K", lg->err);
        lg->status_shown = false;
    } else {
        char buf[512];
        snprintf(buf, sizeof buf, "%s", line);
        logger_redact(lg, buf, sizeof buf);
        for (char *p = buf; *p; p++) /* one line, no control characters */
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = ' ';
        fprintf(lg->err, "\r\033[K%.*s", 150, buf);
        lg->status_shown = true;
    }
    fflush(lg->err);
}

/* libcoap's handler takes no user argument, so the bridge needs this one pointer. */
static logger *coap_bridge;

/* libcoap's PDU dump (coap_show_pdu) is a header line "v:1 t:CON c:POST i:… {…} [ … ] ::
 * payload" and, for binary payloads, a "<<hex>>" line and a "<<a s c i i>>" line. The
 * tool traces every message itself, withholding key material (net_send's confidential),
 * so libcoap's copies keep their header and options and lose every payload byte. */
static bool coap_pdu_dump_payload_line(const char *m)
{
    return m[0] == '<' && m[1] == '<';
}

static void coap_log_bridge(coap_log_t level, const char *message)
{
    if (coap_pdu_dump_payload_line(message))
        return;
    const char *cut = strncmp(message, "v:", 2) == 0 ? strstr(message, " :: ") : NULL;
    if (cut) {
        char head[LOG_LINE];
        snprintf(head, sizeof head, "%.*s :: (payload not shown: see the tool's trace)",
                 (int)(cut - message), message);
        message = head;
        if (coap_bridge)
            log_msg(coap_bridge, LOG_LVL_TRACE, "libcoap: %s", message);
        return;
    }
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
