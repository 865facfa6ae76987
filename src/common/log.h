/* The tool's only writer to stdout and stderr.
 *
 * A logger is created by main and passed down explicitly. Every message goes through
 * log_msg() (diagnostics, stderr) or log_out() (results and events, stdout), and every
 * message is scrubbed of registered secrets first, in raw, hex and Base64 form, so a PSK
 * key that slips into a formatted string still never reaches a terminal or a CI log. */
#ifndef LC_LOG_H
#define LC_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum {
    LOG_LVL_ERROR = 0,
    LOG_LVL_WARN,
    LOG_LVL_INFO,
    LOG_LVL_DEBUG,
    LOG_LVL_TRACE,
} log_level;

typedef struct logger logger;

/* out receives results and events, err diagnostics; both are borrowed, not closed. */
logger *logger_new(FILE *out, FILE *err, log_level level);
void logger_free(logger *lg);

void logger_set_level(logger *lg, log_level level);
/* The prefix of diagnostic lines ("lwm2m-conform" unless set); copied. */
void logger_set_program(logger *lg, const char *name);
log_level logger_level(const logger *lg);
/* Colours are used only when out is a terminal and NO_COLOR is not set. */
bool logger_color(const logger *lg);
FILE *logger_out_stream(const logger *lg);

/* Registers a secret (a PSK key). Copies it. Secrets shorter than 4 bytes are ignored for
 * the textual forms to avoid scrubbing ordinary text. */
int logger_add_secret(logger *lg, const uint8_t *secret, size_t len);

/* Replaces every occurrence of a registered secret in buf (raw, raw spaced, lower/upper
 * hex, spaced hex, Base64 and Base64url with or without padding)
 * with "[redacted]"; buf stays NUL-terminated within cap. lg may be NULL (no-op). */
void logger_redact(const logger *lg, char *buf, size_t cap);

/* The same for binary data (a captured message): every occurrence of a registered secret's
 * bytes is overwritten with zero bytes, and of its textual forms with '*', in place, so
 * the length and the structure around it stay (a TLV still decodes). lg may be NULL. */
void logger_blank_bytes(const logger *lg, uint8_t *buf, size_t len);

void log_msg(logger *lg, log_level level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void log_vmsg(logger *lg, log_level level, const char *fmt, va_list ap);
void log_out(logger *lg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(lg, ...) log_msg((lg), LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(lg, ...) log_msg((lg), LOG_LVL_WARN, __VA_ARGS__)
#define log_info(lg, ...) log_msg((lg), LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(lg, ...) log_msg((lg), LOG_LVL_DEBUG, __VA_ARGS__)

/* A live status line on a terminal ("int-104 step 3: waiting for the Update, 12 s of
 * 22 s"): drawn on err over the previous one when err is a terminal (TERM set, not
 * "dumb"), else nothing. NULL erases it. Every other message erases it first, so lines
 * never interleave; a writer that bypasses the logger (the terminal reporter) erases it
 * itself. Keys are redacted; cut at 150 characters. */
void logger_status(logger *lg, const char *line);
bool logger_status_enabled(const logger *lg);

/* libcoap has one process-wide log handler; this points it at lg (NULL detaches). The
 * one piece of process state in the tool, forced by libcoap's API. */
void logger_attach_coap(logger *lg);

#endif
