#include "report/junit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* Only what XML 1.0 allows (Char production) passes; the rest is replaced, never
 * dropped, so a reader can see that something was there. */
static bool xml_char_ok(uint32_t cp)
{
    if (cp < 0x20)
        return cp == '\t' || cp == '\n' || cp == '\r';
    return cp != 0xFFFE && cp != 0xFFFF;
}

/* Escapes s as XML character data, or as an attribute value when attr is set (then tab,
 * newline and carriage return become character references, which attribute-value
 * normalisation would otherwise turn into spaces). */
static void put_xml(FILE *f, const char *s, bool attr)
{
    if (!s)
        return;
    while (*s) {
        uint32_t cp;
        size_t n = result_utf8_decode(s, &cp);
        if (n == 0) {
            fputs(REPLACEMENT, f);
            s++;
            continue;
        }
        switch (cp) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        case '\r': fputs("&#13;", f); break;
        case '\n': fputs(attr ? "&#10;" : "\n", f); break;
        case '\t': fputs(attr ? "&#9;" : "\t", f); break;
        default:
            if (xml_char_ok(cp))
                fwrite(s, 1, n, f);
            else
                fputs(REPLACEMENT, f);
        }
        s += n;
    }
}

static void put_attr(FILE *f, const char *name, const char *value)
{
    fprintf(f, " %s=\"", name);
    put_xml(f, value, true);
    fputc('"', f);
}

static void put_time_attr(FILE *f, uint64_t ms)
{
    fprintf(f, " time=\"%llu.%03llu\"", (unsigned long long)(ms / 1000),
            (unsigned long long)(ms % 1000));
}

/* Which cases a <testsuite> holds: all, the ETS cases, or the advisory tool readings. */
enum which { ALL_CASES, ETS_CASES, READINGS };

static bool in_suite(const case_result *c, enum which w)
{
    return w == ALL_CASES || (w == READINGS) == c->advisory;
}

static void put_counts(FILE *f, const run_result *r, enum which w)
{
    size_t total = 0, fail = 0, error = 0, skipped = 0;
    uint64_t ms = 0;
    for (size_t i = 0; i < r->case_count; i++) {
        const case_result *c = &r->cases[i];
        if (!in_suite(c, w))
            continue;
        total++;
        fail += c->verdict == VERDICT_FAIL;
        error += c->verdict == VERDICT_ERROR || c->verdict == VERDICT_INCONCLUSIVE;
        skipped += c->verdict == VERDICT_SKIPPED;
        ms += c->elapsed_ms;
    }
    fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\"", total,
            fail, error, skipped);
    put_time_attr(f, w == ALL_CASES ? r->elapsed_ms : ms);
}

static void put_property(FILE *f, const char *name, const char *value)
{
    if (!value)
        return;
    fputs("      <property", f);
    put_attr(f, "name", name);
    put_attr(f, "value", value);
    fputs("/>\n", f);
}

static void put_device_properties(FILE *f, const device_info *d)
{
    put_property(f, "device.endpoint", d->endpoint);
    put_property(f, "device.lwm2m_version", d->lwm2m_version);
    put_property(f, "device.address", d->address);
    for (size_t i = 0; i < d->server_count; i++) {
        char name[64];
        snprintf(name, sizeof name, "device.server.%d.psk_identity", d->servers[i].short_server_id);
        put_property(f, name, d->servers[i].psk_identity);
        snprintf(name, sizeof name, "device.server.%d.cipher_suite", d->servers[i].short_server_id);
        put_property(f, name, d->servers[i].cipher_suite);
    }
    put_property(f, "device.command", d->command);
    put_property(f, "device.reset_command", d->reset_command);
    put_property(f, "device.log", d->log);
    char n[32];
    if (d->resets_planned >= 0) {
        snprintf(n, sizeof n, "%d", d->resets_planned);
        put_property(f, "device.resets_planned", n);
        snprintf(n, sizeof n, "%d", d->resets_made < 0 ? 0 : d->resets_made);
        put_property(f, "device.resets_made", n);
    }
    for (size_t i = 0; i < d->ignored_count; i++)
        put_property(f, "device.ignored_endpoint", d->ignored[i]);
}

static void put_properties(FILE *f, const run_result *r)
{
    const device_info *d = &r->dut;
    bool dev = d->endpoint || d->command || d->reset_command || d->ignored_count ||
               d->resets_planned >= 0;
    if (!r->device && !r->config && !r->interrupted && !r->note_count && !dev)
        return;
    fputs("    <properties>\n", f);
    if (r->device)
        put_property(f, "device", r->device);
    if (dev)
        put_device_properties(f, d);
    if (r->config)
        put_property(f, "config", r->config);
    if (r->interrupted) {
        char n[32];
        snprintf(n, sizeof n, "%zu", result_count(r).not_run);
        put_property(f, "interrupted", "true");
        put_property(f, "not_run", n);
    }
    for (size_t i = 0; i < r->note_count; i++)
        put_property(f, "note", r->notes[i]);
    fputs("    </properties>\n", f);
}

/* message attribute + body of an <error>/<skipped>/<failure> carrying only a reason */
static void put_reason_element(FILE *f, const char *element, const char *type,
                               const char *reason)
{
    const char *text = reason && *reason ? reason : "no reason given";
    char *msg = result_one_line(text);
    fprintf(f, "      <%s", element);
    put_attr(f, "message", msg && *msg ? msg : "no reason given");
    free(msg);
    if (!type) {
        fputs("/>\n", f);
        return;
    }
    put_attr(f, "type", type);
    fputc('>', f);
    put_xml(f, text, false);
    fprintf(f, "</%s>\n", element);
}

static void put_failure(FILE *f, const case_result *c)
{
    const criterion_result *first = NULL;
    for (size_t i = 0; i < c->criterion_count && !first; i++)
        if (c->criteria[i].verdict == VERDICT_FAIL)
            first = &c->criteria[i];
    if (!first) {
        put_reason_element(f, "failure", "FAIL", c->reason);
        return;
    }

    char *label = result_criterion_label(first);
    char *text = result_one_line(first->text);
    char *msg = text && *text ? result_printf("%s: %s", label ? label : "criterion", text)
                              : result_strdup(label);
    fputs("      <failure", f);
    put_attr(f, "message", msg ? msg : "criterion failed");
    put_attr(f, "type", "FAIL");
    fputc('>', f);
    free(label);
    free(text);
    free(msg);

    bool separate = false;
    for (size_t i = 0; i < c->criterion_count; i++) {
        const criterion_result *cr = &c->criteria[i];
        if (cr->verdict != VERDICT_FAIL)
            continue;
        char *l = result_criterion_label(cr);
        char *details = result_criterion_details(cr, "  ");
        if (separate)
            fputc('\n', f);
        put_xml(f, l ? l : "criterion", false);
        fputc('\n', f);
        put_xml(f, details ? details : "  (out of memory)\n", false);
        free(l);
        free(details);
        separate = true;
    }
    fputs("</failure>\n", f);
}

static void put_case(FILE *f, const case_result *c)
{
    const char *id = c->id && *c->id             ? c->id
                     : c->short_id && *c->short_id ? c->short_id
                                                   : "?";
    char *name = c->title && *c->title ? result_printf("%s %s", id, c->title)
                                       : result_strdup(id);
    const char *group = c->advisory ? "lwm2m.readings" : "lwm2m";
    char *classname = c->area && *c->area ? result_printf("%s.%s", group, c->area)
                                          : result_strdup(group);
    fputs("    <testcase", f);
    put_attr(f, "name", name ? name : id);
    put_attr(f, "classname", classname ? classname : "lwm2m");
    put_time_attr(f, c->elapsed_ms);
    free(name);
    free(classname);

    bool has_trace = c->trace && *c->trace;
    bool has_log = c->device_log && *c->device_log;
    if (c->verdict == VERDICT_PASS && !has_trace && !has_log && c->ets_count == 0) {
        fputs("/>\n", f);
        return;
    }
    fputs(">\n", f);
    if (c->ets_count) {
        /* the ETS documents holding the case: name "ets-1.2", value "<id> §<section>" */
        fputs("      <properties>\n", f);
        for (size_t i = 0; i < c->ets_count; i++) {
            char *pname = result_printf("ets-%s", c->ets[i].document);
            char *pval = result_printf("%s \u00a7%s", c->ets[i].id, c->ets[i].section);
            fputs("        <property", f);
            put_attr(f, "name", pname ? pname : "ets");
            put_attr(f, "value", pval ? pval : c->ets[i].id);
            fputs("/>\n", f);
            free(pname);
            free(pval);
        }
        fputs("      </properties>\n", f);
    }
    switch (c->verdict) {
    case VERDICT_PASS: break;
    case VERDICT_FAIL: put_failure(f, c); break;
    case VERDICT_ERROR: put_reason_element(f, "error", "ERROR", c->reason); break;
    case VERDICT_INCONCLUSIVE:
        put_reason_element(f, "error", "INCONCLUSIVE", c->reason);
        break;
    case VERDICT_SKIPPED: put_reason_element(f, "skipped", NULL, c->reason); break;
    }
    if (has_trace) {
        fputs("      <system-out>", f);
        put_xml(f, c->trace, false);
        fputs("</system-out>\n", f);
    }
    if (has_log) {
        fputs("      <system-err>", f);
        put_xml(f, c->device_log, false);
        fputs("</system-err>\n", f);
    }
    fputs("    </testcase>\n", f);
}

char *junit_format(const run_result *r)
{
    if (!r)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", f);
    put_attr(f, "name", r->suite_name);
    put_counts(f, r, ALL_CASES);
    fputs(">\n", f);
    /* The tool's own readings are advisory: they get a <testsuite> of their own, so a CI
     * that gates on the ETS verdict can tell them apart. Without any, one suite as before. */
    bool readings = result_count(r).advisory > 0;
    for (int s = 0; s < (readings ? 2 : 1); s++) {
        enum which w = !readings ? ALL_CASES : s == 0 ? ETS_CASES : READINGS;
        char *name = w == READINGS ? result_printf("%s tool readings (advisory)", r->suite_name)
                                   : result_strdup(r->suite_name);
        fputs("  <testsuite", f);
        put_attr(f, "name", name ? name : "");
        free(name);
        put_counts(f, r, w);
        if (r->started_at)
            put_attr(f, "timestamp", r->started_at);
        if (r->hostname)
            put_attr(f, "hostname", r->hostname);
        fputs(">\n", f);
        put_properties(f, r);
        for (size_t i = 0; i < r->case_count; i++)
            if (in_suite(&r->cases[i], w))
                put_case(f, &r->cases[i]);
        fputs("  </testsuite>\n", f);
    }
    fputs("</testsuites>\n", f);
    return result_memstream_end(f, &buf);
}

int junit_write(const char *path, const run_result *r, lc_error *err)
{
    return result_write_report(path, r, junit_format, "junit_write", err);
}
