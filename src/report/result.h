/* The result model: one per run, filled by the runner, read by every reporter (text,
 * JUnit, JSON). All strings are owned by the model and freed by result_run_free. */
#ifndef LC_RESULT_H
#define LC_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/err.h"

typedef enum {
    VERDICT_PASS = 0,
    VERDICT_FAIL,          /* the device misbehaved */
    VERDICT_INCONCLUSIVE,  /* a precondition (a dependency) was not met */
    VERDICT_SKIPPED,       /* not applicable, excluded, or not run (interrupted) */
    VERDICT_ERROR,         /* a problem of the tool or its configuration */
} verdict;

const char *verdict_name(verdict v); /* "PASS", "FAIL", … */

typedef struct criterion_result {
    char letter;
    int step;
    char *text;      /* the criterion's wording */
    verdict verdict;
    char *expected;  /* NULL when passed and nothing worth showing */
    char *observed;
    char *request;   /* the step's request, one line: "GET /3/0 Accept:40" */
    char *response;  /* "2.05 Content, ct=40, 94 bytes: </3/0>;pmin=2…" */
    uint64_t elapsed_ms;
} criterion_result;

typedef struct step_result {
    int number;
    char *summary;   /* "server 1: DISCOVER /3/0 -> 2.05 Content" */
    verdict verdict;
    char *reason;    /* why it did not pass; NULL on pass */
    uint64_t elapsed_ms;
} step_result;

/* One ETS id a case has: the document's key, the id there and its section. */
typedef struct case_ets {
    char *document; /* "1.0.1", "1.2" */
    char *id;       /* "LightweightM2M-1.1-int-101" */
    char *section;  /* "6.2.1" */
} case_ets;

typedef struct case_result {
    char *id;        /* full OMA id */
    char *short_id;
    char *title;
    char *area;      /* JUnit classname */
    char *source;    /* where the case comes from: "OMA-ETS-… §6.1.1.1", "tool reading: …";
                      * may be NULL */
    case_ets *ets;   /* the ETS documents holding the case, with its id and section in
                      * each (none for a tool reading); result_case_add_ets adds one */
    size_t ets_count;
    bool advisory;   /* a tool reading, not ETS text: reported, but its FAIL or INCONCLUSIVE
                      * decides the exit code only in a strict run (runner_exit_code) */
    verdict verdict;
    char *reason;    /* for non-PASS: the first failing criterion, the error, the skip reason */
    criterion_result *criteria;
    size_t criterion_count;
    step_result *steps;
    size_t step_count;
    char *trace;     /* the case's CoAP message trace, keys redacted; may be NULL */
    char *device_log; /* the end of the device command's output while the case ran
                       * (JUnit system-err), keys redacted; may be NULL */
    uint64_t elapsed_ms;
    bool not_run;    /* SKIPPED because the run was interrupted before (or while) the case
                      * ran; such cases stay in the result so totals are stable across runs,
                      * and the text summary counts them instead of listing them */
} case_result;

#define RESULT_MAX_SERVERS 8

/* How the device under test connected to one server endpoint. */
typedef struct device_server {
    int short_server_id;  /* 0: the bootstrap server */
    char *psk_identity;   /* NULL: not known or NoSec */
    char *cipher_suite;   /* NULL: not known or NoSec */
} device_server;

/* The device under test, as the text report opens with it; every field may be NULL. */
typedef struct device_info {
    char *endpoint;       /* its endpoint name */
    char *lwm2m_version;  /* as it registered */
    char *address;        /* its address as the tool saw it */
    device_server servers[RESULT_MAX_SERVERS];
    size_t server_count;
    char *command;        /* the command that ran it (--device-cmd, or --sim's) */
    char *reset_command;  /* --reset-cmd */
    char *log;            /* where the device command's output went */
    char **ignored;       /* endpoint names of other devices that were ignored */
    size_t ignored_count;
    int resets_planned;   /* -1: no plan was made */
    int resets_made;
} device_info;

typedef struct run_result {
    char *suite_name;   /* "lwm2m-conform" */
    char *device;       /* endpoint name(s) seen, or the configuration's name */
    char *config;       /* configuration file */
    char *started_at;   /* ISO 8601 UTC, wall clock, for reports only */
    uint64_t elapsed_ms;
    bool interrupted;
    char *hostname;     /* machine that ran the suite; may be NULL (then not reported) */
    /* Run-level notes every reporter shows (how the tool held the device to a version,
     * a response without Content-Format it had to guess): at most RESULT_MAX_NOTES,
     * duplicates dropped, note_dropped counting what did not fit. */
    char **notes;
    size_t note_count, note_dropped;
    device_info dut;    /* the device under test; reported only where a field is set */
    case_result *cases;
    size_t case_count, case_cap;
} run_result;

/* suite_name is copied; NULL gives "lwm2m-conform". Returns NULL when out of memory. */
run_result *result_run_new(const char *suite_name);
void result_run_free(run_result *r);
/* Append a zeroed element and return it, or NULL when out of memory. Pointers to earlier
 * elements may move. Criteria and steps must only be added through these functions (their
 * arrays' capacity is derived from the count). */
case_result *result_add_case(run_result *r);
criterion_result *result_add_criterion(case_result *c);

#define RESULT_MAX_NOTES 32
/* Adds a run-level note (printf format); a note equal to one already there is not added
 * again. Returns 0, or LC_ENOMEM (the note is then counted in note_dropped too). */
int result_add_note(run_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
step_result *result_add_step(case_result *c);
/* Adds an ETS id of the case (copies of the strings). Returns 0 or LC_ENOMEM. */
int result_case_add_ets(case_result *c, const char *document, const char *id, const char *section);

typedef struct result_counts {
    size_t pass, fail, inconclusive, skipped, error, total;
    size_t not_run; /* of skipped: cases with not_run set */
    /* Of the totals above, the advisory cases (tool readings): all of them, and those that
     * failed or were inconclusive. */
    size_t advisory, advisory_fail;
} result_counts;
result_counts result_count(const run_result *r);

/* strdup that accepts NULL; and printf into a new string. */
char *result_strdup(const char *s);
char *result_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- Helpers shared by the reporters (text, JUnit, JSON) ---- */

/* Decodes one UTF-8 sequence at s. Returns its length (1-4) and sets *cp, or 0 when the
 * byte at s does not start a valid shortest-form encoding of a Unicode scalar value (a stray
 * or truncated byte, an overlong form, a surrogate, > U+10FFFF); the caller then treats
 * that one byte as invalid. s must be NUL-terminated (NUL itself decodes as length 0). */
size_t result_utf8_decode(const char *s, uint32_t *cp);

/* Formats ms as seconds rounded to hundredths, "0.41 s", into buf (cap >= 32 is always
 * enough) and returns buf. */
char *result_seconds(uint64_t ms, char *buf, size_t cap);

/* A new string with every run of spaces, tabs and newlines replaced by one space and
 * leading/trailing ones removed, for places that show one line (a JUnit message, a
 * verbose criterion line). s may be NULL (returns NULL). The caller frees. */
char *result_one_line(const char *s);

/* "criterion C (step 3)", or "criterion C" when the step is unknown (<= 0). Returns a
 * new string the caller frees, NULL when out of memory. */
char *result_criterion_label(const criterion_result *cr);

/* How every reporter details a criterion: its text, then "expected:", "observed:",
 * "request:", "response:" and "elapsed:" lines (NULL fields are left out); continuation
 * lines of multi-line values are indented under the value's first line, and every line
 * starts with indent. Each line ends with '\n'. Raw bytes are kept: the reporter escapes
 * for its medium. Returns a new string the caller frees, NULL when out of memory. */
char *result_criterion_details(const criterion_result *cr, const char *indent);

/* Writes len bytes of data to path atomically: into "<path>.tmp.<pid>" in the same
 * directory, flushed and fsync'ed, then rename()d over path. On any failure the temporary
 * file is removed, path is untouched and LC_EIO is returned with a message naming path
 * and the system error. */
int result_write_file_atomic(const char *path, const void *data, size_t len, lc_error *err);

/* How every reporter writes its file: format(r), a new string, written to path with
 * result_write_file_atomic. who names the writer in the message for a missing path or r.
 * Returns 0, LC_EINVAL, LC_ENOMEM or LC_EIO, with err set. */
int result_write_report(const char *path, const run_result *r,
                        char *(*format)(const run_result *r), const char *who, lc_error *err);

/* Ends a text built in open_memstream(bufp, …): closes f and returns *bufp, the caller's to
 * free; on a write error (ferror, or fclose failing) frees it and returns NULL. */
char *result_memstream_end(FILE *f, char **bufp);

#endif
