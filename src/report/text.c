#include "report/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SGR_RESET "\033[0m"

static const char *verdict_color(verdict v)
{
    switch (v) {
    case VERDICT_PASS: return "\033[32m";
    case VERDICT_FAIL: return "\033[31m";
    case VERDICT_INCONCLUSIVE:
    case VERDICT_SKIPPED: return "\033[33m";
    case VERDICT_ERROR: return "\033[35m";
    }
    return "";
}

static void put_verdict(FILE *out, verdict v, bool color)
{
    if (color)
        fprintf(out, "%s%s" SGR_RESET, verdict_color(v), verdict_name(v));
    else
        fputs(verdict_name(v), out);
}

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n';
}

/* Writes s for a terminal. Bytes of control characters (C0 but tab and newline, DEL, C1)
 * and bytes that are not valid UTF-8 become \xNN. With one_line, runs of blanks become
 * one space and leading/trailing blanks are dropped. */
static void put_text(FILE *out, const char *s, bool one_line)
{
    if (!s)
        return;
    bool pending = false, started = false;
    while (*s) {
        if (one_line && is_blank(*s)) {
            pending = started;
            s++;
            continue;
        }
        if (pending)
            fputc(' ', out);
        pending = false;
        started = true;
        uint32_t cp;
        size_t n = result_utf8_decode(s, &cp);
        bool control = n > 0 && ((cp < 0x20 && cp != '\t' && cp != '\n') ||
                                 (cp >= 0x7F && cp <= 0x9F));
        if (n == 0 || control) {
            size_t bytes = n ? n : 1;
            for (size_t i = 0; i < bytes; i++)
                fprintf(out, "\\x%02x", (unsigned char)s[i]);
            s += bytes;
            continue;
        }
        fwrite(s, 1, n, out);
        s += n;
    }
}

static const char *case_id(const case_result *c)
{
    if (c->short_id && *c->short_id)
        return c->short_id;
    return c->id ? c->id : "?";
}

void text_report_case(FILE *out, const case_result *c, bool color, bool verbose)
{
    char secs[32];
    if (!out || !c)
        return;
    put_verdict(out, c->verdict, color);
    fputs("  ", out);
    put_text(out, case_id(c), true);
    if (c->title && *c->title) {
        fputs("  ", out);
        put_text(out, c->title, true);
    }
    fprintf(out, "  (%s%s)\n", result_seconds(c->elapsed_ms, secs, sizeof secs),
            c->advisory ? ", advisory: a tool reading" : "");
    if (!verbose)
        return;

    for (size_t i = 0; i < c->step_count; i++) {
        const step_result *s = &c->steps[i];
        fprintf(out, "    step %d  ", s->number);
        put_verdict(out, s->verdict, color);
        if (s->summary && *s->summary) {
            fputs("  ", out);
            put_text(out, s->summary, true);
        }
        fprintf(out, "  (%s)", result_seconds(s->elapsed_ms, secs, sizeof secs));
        if (s->reason && *s->reason) {
            fputs("  reason: ", out);
            put_text(out, s->reason, true);
        }
        fputc('\n', out);
    }
    for (size_t i = 0; i < c->criterion_count; i++) {
        const criterion_result *cr = &c->criteria[i];
        char *label = result_criterion_label(cr);
        fputs("    ", out);
        put_text(out, label ? label : "criterion", true);
        free(label);
        fputs("  ", out);
        put_verdict(out, cr->verdict, color);
        if (cr->text && *cr->text) {
            fputs("  ", out);
            put_text(out, cr->text, true);
        }
        fputc('\n', out);
    }
    if (c->verdict != VERDICT_PASS && c->reason && *c->reason) {
        fputs("    reason: ", out);
        put_text(out, c->reason, true);
        fputc('\n', out);
    }
}

/* Indents every non-empty line of s by two spaces, escaping it for the terminal. */
static void put_indented(FILE *out, const char *s)
{
    char *copy = result_strdup(s);
    if (!copy)
        return;
    size_t len = strlen(copy);
    while (len > 0 && copy[len - 1] == '\n')
        copy[--len] = '\0';
    char *line = copy;
    for (;;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (*line) {
            fputs("  ", out);
            put_text(out, line, false);
        }
        fputc('\n', out);
        if (!nl)
            break;
        line = nl + 1;
    }
    free(copy);
}

static void summary_fail(FILE *out, const case_result *c, bool color)
{
    size_t shown = 0;
    for (size_t i = 0; i < c->criterion_count; i++) {
        const criterion_result *cr = &c->criteria[i];
        if (cr->verdict != VERDICT_FAIL)
            continue;
        char *label = result_criterion_label(cr);
        char *details = result_criterion_details(cr, "  ");
        fputc('\n', out);
        put_verdict(out, VERDICT_FAIL, color);
        fputc(' ', out);
        put_text(out, case_id(c), true);
        fputc(' ', out);
        put_text(out, label ? label : "criterion", true);
        if (c->advisory)
            fputs(", advisory (a tool reading, not ETS text)", out);
        fputc('\n', out);
        put_text(out, details ? details : "  (out of memory)\n", false);
        free(label);
        free(details);
        shown++;
    }
    if (shown > 0)
        return;
    /* A FAIL the runner did not tie to a criterion: its reason is all there is. */
    fputc('\n', out);
    put_verdict(out, VERDICT_FAIL, color);
    fputc(' ', out);
    put_text(out, case_id(c), true);
    fputc('\n', out);
    put_indented(out, c->reason && *c->reason ? c->reason : "(no reason given)");
}

static void put_field(FILE *out, const char *label, const char *value)
{
    if (!value)
        return;
    fprintf(out, "  %-15s ", label);
    put_text(out, value, true);
    fputc('\n', out);
}

/* The device under test: who was judged, how it connected, what ran it. */
static void device_block(FILE *out, const device_info *d)
{
    if (!d->endpoint && !d->command && !d->reset_command && d->ignored_count == 0 &&
        d->resets_planned < 0)
        return;
    fputs("Device under test\n", out);
    put_field(out, "endpoint", d->endpoint ? d->endpoint : "(none registered)");
    put_field(out, "LwM2M version", d->lwm2m_version);
    put_field(out, "address", d->address);
    for (size_t i = 0; i < d->server_count; i++) {
        const device_server *s = &d->servers[i];
        char label[32];
        if (s->short_server_id)
            snprintf(label, sizeof label, "server %d", s->short_server_id);
        else
            snprintf(label, sizeof label, "bootstrap");
        fprintf(out, "  %-15s ", label);
        fputs("PSK identity ", out);
        put_text(out, s->psk_identity ? s->psk_identity : "(none: NoSec)", true);
        if (s->cipher_suite) {
            fputs(", ", out);
            put_text(out, s->cipher_suite, true);
        }
        fputc('\n', out);
    }
    put_field(out, "device command", d->command);
    put_field(out, "reset command", d->reset_command);
    put_field(out, "device log", d->log);
    if (d->resets_planned >= 0)
        fprintf(out, "  %-15s %d planned, %d made\n", "device resets", d->resets_planned,
                d->resets_made < 0 ? 0 : d->resets_made);
    for (size_t i = 0; i < d->ignored_count; i++)
        put_field(out, i ? "" : "ignored", d->ignored[i]);
    fputc('\n', out);
}

void text_report_summary(FILE *out, const run_result *r, bool color)
{
    char secs[32];
    if (!out || !r)
        return;
    device_block(out, &r->dut);
    result_counts k = result_count(r);
    fprintf(out,
            "%zu %s: %zu passed, %zu failed, %zu inconclusive, %zu skipped, %zu %s in %s\n",
            k.total, k.total == 1 ? "case" : "cases", k.pass, k.fail, k.inconclusive,
            k.skipped, k.error, k.error == 1 ? "error" : "errors",
            result_seconds(r->elapsed_ms, secs, sizeof secs));
    if (k.advisory)
        fprintf(out, "of which %zu %s the tool's own %s (advisory, not ETS text): %zu failed or "
                "inconclusive\n", k.advisory, k.advisory == 1 ? "is" : "are",
                k.advisory == 1 ? "reading" : "readings", k.advisory_fail);
    for (size_t i = 0; i < r->note_count; i++) {
        fputs("Note: ", out);
        put_text(out, r->notes[i], true);
        fputc('\n', out);
    }
    if (r->note_dropped)
        fprintf(out, "Note: %zu more note(s) left out\n", r->note_dropped);
    if (r->interrupted) {
        fputs(color ? "\033[33mRun interrupted" SGR_RESET : "Run interrupted", out);
        fprintf(out, ": %zu of %zu %s not run.\n", k.not_run, k.total,
                k.not_run == 1 ? "case was" : "cases were");
    }
    for (size_t i = 0; i < r->case_count; i++) {
        const case_result *c = &r->cases[i];
        if (c->verdict == VERDICT_PASS || c->not_run)
            continue;
        if (c->verdict == VERDICT_FAIL) {
            summary_fail(out, c, color);
            continue;
        }
        fputc('\n', out);
        put_verdict(out, c->verdict, color);
        fputc(' ', out);
        put_text(out, case_id(c), true);
        fputc('\n', out);
        put_indented(out, c->reason && *c->reason ? c->reason : "(no reason given)");
    }
}
