#include "report/html.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* Escapes s as HTML text (or an attribute value: the same escapes serve both). */
static void put_html(FILE *f, const char *s)
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
        case '\'': fputs("&#39;", f); break;
        default:
            if ((cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7f && cp < 0xa0))
                fputs(REPLACEMENT, f);
            else
                fwrite(s, 1, n, f);
        }
        s += n;
    }
}

/* <tag class="cls">text</tag>, nothing when text is NULL. */
static void put_el(FILE *f, const char *tag, const char *cls, const char *text)
{
    if (!text)
        return;
    fprintf(f, "<%s", tag);
    if (cls)
        fprintf(f, " class=\"%s\"", cls);
    fputc('>', f);
    put_html(f, text);
    fprintf(f, "</%s>", tag);
}

static void put_dl_row(FILE *f, const char *term, const char *value)
{
    if (!value)
        return;
    fputs("<dt>", f);
    put_html(f, term);
    fputs("</dt><dd>", f);
    put_html(f, value);
    fputs("</dd>\n", f);
}

static const char STYLE[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:78em;padding:0 1em;"
    "color:#1d1d1f;background:#fff}\n"
    "h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:1.4em 0 .4em}"
    "h3{font-size:1em;margin:1em 0 .3em}\n"
    "table{border-collapse:collapse;width:100%;margin:.3em 0}"
    "th,td{border:1px solid #d0d0d5;padding:.25em .5em;text-align:left;vertical-align:top}"
    "th{background:#f3f3f6}\n"
    "pre,.mono,td.msg{font:12.5px/1.4 ui-monospace,monospace;white-space:pre-wrap;"
    "word-break:break-all}\n"
    "pre{background:#f6f6f8;border:1px solid #e0e0e5;padding:.5em;max-height:30em;overflow:auto}\n"
    "dl{display:grid;grid-template-columns:max-content auto;gap:.15em 1em;margin:.3em 0}"
    "dt{font-weight:600}dd{margin:0}\n"
    ".v{display:inline-block;min-width:7.5em;font-weight:700;padding:0 .4em;border-radius:3px;"
    "text-align:center;color:#fff}\n"
    ".v-PASS{background:#1a7f37}.v-FAIL{background:#cf222e}.v-ERROR{background:#8250df}"
    ".v-INCONCLUSIVE{background:#9a6700}.v-SKIPPED{background:#6e7781}\n"
    "details.case{border:1px solid #d0d0d5;border-radius:4px;margin:.5em 0;padding:.3em .7em}"
    "details.case>summary{cursor:pointer;font-weight:600}\n"
    ".reason{margin:.4em 0;padding:.3em .6em;border-left:4px solid #cf222e;background:#fff5f5}"
    "td.t,td.dir,td.secs{white-space:nowrap}tr.in td.dir{color:#0550ae}"
    "tr.out td.dir{color:#1a7f37}tr.note td{color:#5a5a66;font-style:italic}\n"
    "#filter{border:1px solid #d0d0d5;padding:.3em .7em;margin:.8em 0}"
    "#filter label{margin-right:1.2em}\n"
    ".counts td{text-align:right}.small{color:#5a5a66;font-size:.9em}\n";

/* The filter: shows only the cases whose verdict is ticked. The page works without it. */
static const char SCRIPT[] =
    "(function(){\n"
    "  var box = document.getElementById('filter');\n"
    "  if (!box) return;\n"
    "  box.hidden = false;\n"
    "  function apply() {\n"
    "    var on = {};\n"
    "    box.querySelectorAll('input[type=checkbox]').forEach(function (c) { on[c.value] = c.checked; });\n"
    "    var shown = 0;\n"
    "    document.querySelectorAll('details.case').forEach(function (d) {\n"
    "      var v = on[d.getAttribute('data-verdict')] !== false;\n"
    "      d.hidden = !v;\n"
    "      if (v) shown++;\n"
    "    });\n"
    "    document.getElementById('shown').textContent = shown + ' shown';\n"
    "  }\n"
    "  box.addEventListener('change', apply);\n"
    "  apply();\n"
    "})();\n";

static const verdict ORDER[] = {VERDICT_FAIL, VERDICT_ERROR, VERDICT_INCONCLUSIVE,
                                VERDICT_SKIPPED, VERDICT_PASS};
#define NORDER (sizeof ORDER / sizeof ORDER[0])

static void put_device(FILE *f, const run_result *r)
{
    const device_info *d = &r->dut;
    fputs("<h2>Device under test</h2>\n<dl>\n", f);
    put_dl_row(f, "device", r->device);
    put_dl_row(f, "endpoint", d->endpoint);
    put_dl_row(f, "LwM2M version", d->lwm2m_version);
    put_dl_row(f, "address", d->address);
    for (size_t i = 0; i < d->server_count; i++) {
        const device_server *s = &d->servers[i];
        char term[64];
        if (s->short_server_id == 0)
            snprintf(term, sizeof term, "bootstrap server");
        else
            snprintf(term, sizeof term, "server %d", s->short_server_id);
        char *v = result_printf("PSK identity %s, %s", s->psk_identity ? s->psk_identity : "?",
                                s->cipher_suite ? s->cipher_suite : "suite unknown");
        put_dl_row(f, term, v);
        free(v);
    }
    put_dl_row(f, "command", d->command);
    put_dl_row(f, "reset command", d->reset_command);
    put_dl_row(f, "device log", d->log);
    if (d->resets_planned >= 0) {
        char *v = result_printf("%d planned, %d made", d->resets_planned,
                                d->resets_made < 0 ? 0 : d->resets_made);
        put_dl_row(f, "resets", v);
        free(v);
    }
    for (size_t i = 0; i < d->ignored_count; i++)
        put_dl_row(f, "ignored endpoint", d->ignored[i]);
    put_dl_row(f, "configuration", r->config);
    put_dl_row(f, "started", r->started_at);
    put_dl_row(f, "host", r->hostname);
    fputs("</dl>\n", f);
}

static void put_summary(FILE *f, const run_result *r)
{
    result_counts k = result_count(r);
    char secs[32];
    fputs("<h2>Summary</h2>\n<table class=\"counts\"><tr>", f);
    for (size_t i = 0; i < NORDER; i++)
        fprintf(f, "<th><span class=\"v v-%s\">%s</span></th>", verdict_name(ORDER[i]),
                verdict_name(ORDER[i]));
    fputs("<th>total</th><th>time</th></tr>\n<tr>", f);
    size_t n[] = {k.fail, k.error, k.inconclusive, k.skipped, k.pass};
    for (size_t i = 0; i < NORDER; i++)
        fprintf(f, "<td id=\"count-%s\">%zu</td>", verdict_name(ORDER[i]), n[i]);
    fprintf(f, "<td>%zu</td><td>%s</td></tr></table>\n", k.total,
            result_seconds(r->elapsed_ms, secs, sizeof secs));
    if (r->interrupted)
        fprintf(f, "<p class=\"reason\">The run was interrupted: %zu cases were not run.</p>\n",
                k.not_run);
    if (k.advisory)
        fprintf(f, "<p class=\"small\">%zu of the cases are the tool's own readings "
                   "(advisory); %zu of them failed or were inconclusive.</p>\n",
                k.advisory, k.advisory_fail);
    if (r->note_count) {
        fputs("<h3>Notes</h3>\n<ul>\n", f);
        for (size_t i = 0; i < r->note_count; i++) {
            fputs("<li>", f);
            put_html(f, r->notes[i]);
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
    }
}

static void put_filter(FILE *f)
{
    /* hidden until the script shows it: without JavaScript it would do nothing */
    fputs("<fieldset id=\"filter\" hidden><legend>Show</legend>", f);
    for (size_t i = 0; i < NORDER; i++)
        fprintf(f, "<label><input type=\"checkbox\" value=\"%s\" checked> %s</label>",
                verdict_name(ORDER[i]), verdict_name(ORDER[i]));
    fputs("<span id=\"shown\" class=\"small\"></span></fieldset>\n", f);
}

static void put_criteria(FILE *f, const case_result *c)
{
    if (!c->criterion_count)
        return;
    fputs("<h3>Criteria</h3>\n<table class=\"criteria\"><tr><th>criterion</th><th>verdict</th>"
          "<th>text</th><th>expected</th><th>observed</th></tr>\n", f);
    for (size_t i = 0; i < c->criterion_count; i++) {
        const criterion_result *cr = &c->criteria[i];
        char *label = result_criterion_label(cr);
        fputs("<tr>", f);
        put_el(f, "td", NULL, label ? label : "criterion");
        free(label);
        fprintf(f, "<td><span class=\"v v-%s\">%s</span></td>", verdict_name(cr->verdict),
                verdict_name(cr->verdict));
        fputs("<td>", f);
        put_html(f, cr->text);
        if (cr->request || cr->response) {
            fputs("<div class=\"small mono\">", f);
            if (cr->request) {
                fputs("request: ", f);
                put_html(f, cr->request);
            }
            if (cr->response) {
                fputs(cr->request ? "\nresponse: " : "response: ", f);
                put_html(f, cr->response);
            }
            if (cr->elapsed_ms) {
                char secs[32];
                fprintf(f, " (%s)", result_seconds(cr->elapsed_ms, secs, sizeof secs));
            }
            fputs("</div>", f);
        }
        fputs("</td><td class=\"mono\">", f);
        put_html(f, cr->expected);
        fputs("</td><td class=\"mono\">", f);
        put_html(f, cr->observed);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void put_steps(FILE *f, const case_result *c)
{
    if (!c->step_count)
        return;
    fputs("<h3>Steps</h3>\n<table class=\"steps\"><tr><th>step</th><th>verdict</th>"
          "<th>what happened</th><th>time</th></tr>\n", f);
    for (size_t i = 0; i < c->step_count; i++) {
        const step_result *s = &c->steps[i];
        char secs[32];
        fprintf(f, "<tr><td>%d</td><td><span class=\"v v-%s\">%s</span></td><td>", s->number,
                verdict_name(s->verdict), verdict_name(s->verdict));
        put_html(f, s->summary);
        if (s->reason) {
            fputs("<div class=\"small\">", f);
            put_html(f, s->reason);
            fputs("</div>", f);
        }
        fprintf(f, "</td><td class=\"secs\">%s</td></tr>\n",
                result_seconds(s->elapsed_ms, secs, sizeof secs));
    }
    fputs("</table>\n", f);
}

/* One trace line as a ladder row: "<time> <endpoint> -> <message>" (the tool sent it) or
 * "<- " (the device did); any other line is a note across the row. */
static void put_ladder_row(FILE *f, const char *line, size_t len)
{
    char *s = malloc(len + 1);
    if (!s)
        return;
    memcpy(s, line, len);
    s[len] = '\0';
    char *out = strstr(s, " -> "), *in = strstr(s, " <- ");
    char *arrow = out && (!in || out < in) ? out : in;
    char *sp = strchr(s, ' ');
    if (s[0] == '[') { /* "[  1.234] …": the time stamp may hold spaces */
        char *close = strchr(s, ']');
        sp = close ? strchr(close, ' ') : NULL;
    }
    if (!arrow || !sp || sp >= arrow) {
        fputs("<tr class=\"note\"><td colspan=\"4\">", f);
        put_html(f, s);
        fputs("</td></tr>\n", f);
        free(s);
        return;
    }
    bool sent = arrow == out;
    *sp = '\0';
    *arrow = '\0';
    /* "[  1.234]" shows as "1.234" */
    char *t = s;
    if (*t == '[') {
        t++;
        while (*t == ' ')
            t++;
        size_t tl = strlen(t);
        if (tl && t[tl - 1] == ']')
            t[tl - 1] = '\0';
    }
    fprintf(f, "<tr class=\"%s\"><td class=\"mono t\">", sent ? "out" : "in");
    put_html(f, t);
    fputs("</td><td>", f);
    put_html(f, sp + 1);
    fprintf(f, "</td><td class=\"dir\">%s</td><td class=\"msg\">",
            sent ? "tool &#8594; device" : "tool &#8592; device");
    put_html(f, arrow + 4);
    fputs("</td></tr>\n", f);
    free(s);
}

static void put_ladder(FILE *f, const char *trace)
{
    if (!trace || !*trace)
        return;
    fputs("<h3>Message ladder</h3>\n<table class=\"ladder\"><tr><th>time</th><th>tool "
          "endpoint</th><th>direction</th><th>message</th></tr>\n", f);
    for (const char *p = trace; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len)
            put_ladder_row(f, p, len);
        p += len + (nl ? 1 : 0);
    }
    fputs("</table>\n", f);
}

static void put_case(FILE *f, const case_result *c)
{
    const char *v = verdict_name(c->verdict);
    const char *id = c->short_id && *c->short_id ? c->short_id : c->id ? c->id : "?";
    char secs[32];
    fprintf(f, "<details class=\"case\" data-verdict=\"%s\" id=\"case-", v);
    put_html(f, id);
    fprintf(f, "\"%s>\n<summary><span class=\"v v-%s\">%s</span> ",
            c->verdict == VERDICT_PASS ? "" : " open", v, v);
    put_html(f, id);
    fputs(" ", f);
    put_html(f, c->title);
    fprintf(f, " <span class=\"small\">(%s%s)</span></summary>\n",
            result_seconds(c->elapsed_ms, secs, sizeof secs),
            c->advisory ? ", tool reading, advisory" : "");
    if (c->reason)
        put_el(f, "p", "reason", c->reason);
    fputs("<dl>\n", f);
    put_dl_row(f, "OMA id", c->id);
    put_dl_row(f, "area", c->area);
    put_dl_row(f, "source", c->source);
    fputs("</dl>\n", f);
    put_criteria(f, c);
    put_steps(f, c);
    put_ladder(f, c->trace);
    if (c->device_log && *c->device_log) {
        fputs("<h3>Device log</h3>\n", f);
        put_el(f, "pre", NULL, c->device_log);
        fputc('\n', f);
    }
    fputs("</details>\n", f);
}

char *html_report_format(const run_result *r)
{
    if (!r)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    const char *suite = r->suite_name ? r->suite_name : "lwm2m-conform";
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n<title>", f);
    put_html(f, suite);
    if (r->device) {
        fputs(": ", f);
        put_html(f, r->device);
    }
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", STYLE);
    put_html(f, suite);
    fputs(" report</h1>\n", f);
    put_device(f, r);
    put_summary(f, r);
    fputs("<h2>Cases</h2>\n", f);
    put_filter(f);
    for (size_t o = 0; o < NORDER; o++)
        for (size_t i = 0; i < r->case_count; i++)
            if (r->cases[i].verdict == ORDER[o])
                put_case(f, &r->cases[i]);
    fprintf(f, "<script>\n%s</script>\n</body>\n</html>\n", SCRIPT);
    return result_memstream_end(f, &buf);
}

int html_report_write(const char *path, const run_result *r, lc_error *err)
{
    return result_write_report(path, r, html_report_format, "html_report_write", err);
}
