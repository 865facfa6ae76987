#include "report/json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define REPORT_FORMAT_VERSION 1

/* A JSON string for s (null for NULL); invalid UTF-8 bytes become U+FFFD because
 * jansson, rightly, refuses to emit them. */
static json_t *jstr(const char *s)
{
    if (!s)
        return json_null();
    size_t len = strlen(s), bad = 0;
    uint32_t cp;
    for (size_t i = 0; i < len;) {
        size_t n = result_utf8_decode(s + i, &cp);
        bad += n == 0;
        i += n ? n : 1;
    }
    if (bad == 0)
        return json_stringn(s, len);
    char *clean = malloc(len + 2 * bad + 1); /* each bad byte grows to three */
    if (!clean)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t n = result_utf8_decode(s + i, &cp);
        if (n == 0) {
            memcpy(clean + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        } else {
            memcpy(clean + o, s + i, n);
            o += n;
            i += n;
        }
    }
    json_t *v = json_stringn(clean, o);
    free(clean);
    return v;
}

static json_t *jint(uint64_t v)
{
    return json_integer((json_int_t)v);
}

/* Adds value under key; false (and value released) when either is missing, so a whole
 * document can be built with `ok = set(...) && ok` and checked once. */
static bool set(json_t *obj, const char *key, json_t *value)
{
    if (!obj || !value) {
        json_decref(value);
        return false;
    }
    return json_object_set_new(obj, key, value) == 0;
}

static bool append(json_t *arr, json_t *value)
{
    if (!arr || !value) {
        json_decref(value);
        return false;
    }
    return json_array_append_new(arr, value) == 0;
}

static json_t *step_json(const step_result *s)
{
    json_t *o = json_object();
    bool ok = o != NULL;
    ok = set(o, "number", json_integer(s->number)) && ok;
    ok = set(o, "summary", jstr(s->summary)) && ok;
    ok = set(o, "verdict", json_string(verdict_name(s->verdict))) && ok;
    ok = set(o, "reason", jstr(s->reason)) && ok;
    ok = set(o, "elapsed_ms", jint(s->elapsed_ms)) && ok;
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *criterion_json(const criterion_result *cr)
{
    char letter[2] = {cr->letter, '\0'};
    json_t *o = json_object();
    bool ok = o != NULL;
    ok = set(o, "letter", cr->letter ? jstr(letter) : json_null()) && ok;
    ok = set(o, "step", json_integer(cr->step)) && ok;
    ok = set(o, "text", jstr(cr->text)) && ok;
    ok = set(o, "verdict", json_string(verdict_name(cr->verdict))) && ok;
    ok = set(o, "expected", jstr(cr->expected)) && ok;
    ok = set(o, "observed", jstr(cr->observed)) && ok;
    ok = set(o, "request", jstr(cr->request)) && ok;
    ok = set(o, "response", jstr(cr->response)) && ok;
    ok = set(o, "elapsed_ms", jint(cr->elapsed_ms)) && ok;
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *case_json(const case_result *c)
{
    json_t *o = json_object();
    bool ok = o != NULL;
    ok = set(o, "id", jstr(c->id)) && ok;
    ok = set(o, "short_id", jstr(c->short_id)) && ok;
    ok = set(o, "title", jstr(c->title)) && ok;
    ok = set(o, "area", jstr(c->area)) && ok;
    ok = set(o, "source", jstr(c->source)) && ok;
    json_t *ets = json_array();
    for (size_t i = 0; i < c->ets_count; i++) {
        json_t *e = json_object();
        bool eok = e != NULL;
        eok = set(e, "document", jstr(c->ets[i].document)) && eok;
        eok = set(e, "id", jstr(c->ets[i].id)) && eok;
        eok = set(e, "section", jstr(c->ets[i].section)) && eok;
        ok = append(ets, eok ? e : NULL) && ok;
        if (!eok)
            json_decref(e);
    }
    ok = set(o, "ets", ets) && ok;
    ok = set(o, "advisory", json_boolean(c->advisory)) && ok;
    ok = set(o, "verdict", json_string(verdict_name(c->verdict))) && ok;
    ok = set(o, "reason", jstr(c->reason)) && ok;
    ok = set(o, "elapsed_ms", jint(c->elapsed_ms)) && ok;
    ok = set(o, "not_run", json_boolean(c->not_run)) && ok;
    json_t *steps = json_array();
    for (size_t i = 0; i < c->step_count; i++)
        ok = append(steps, step_json(&c->steps[i])) && ok;
    ok = set(o, "steps", steps) && ok;
    json_t *criteria = json_array();
    for (size_t i = 0; i < c->criterion_count; i++)
        ok = append(criteria, criterion_json(&c->criteria[i])) && ok;
    ok = set(o, "criteria", criteria) && ok;
    ok = set(o, "trace", jstr(c->trace)) && ok;
    if (c->device_log)
        ok = set(o, "device_log", jstr(c->device_log)) && ok;
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The device under test; NULL when nothing is known of it (older reports had none). */
static json_t *device_json(const device_info *d, bool *ok)
{
    if (!d->endpoint && !d->command && !d->reset_command && d->ignored_count == 0 &&
        d->resets_planned < 0)
        return NULL;
    json_t *o = json_object();
    *ok = o != NULL && *ok;
    *ok = set(o, "endpoint", jstr(d->endpoint)) && *ok;
    *ok = set(o, "lwm2m_version", jstr(d->lwm2m_version)) && *ok;
    *ok = set(o, "address", jstr(d->address)) && *ok;
    json_t *servers = json_array();
    for (size_t i = 0; i < d->server_count; i++) {
        json_t *s = json_object();
        *ok = s != NULL && *ok;
        *ok = set(s, "short_server_id", json_integer(d->servers[i].short_server_id)) && *ok;
        *ok = set(s, "psk_identity", jstr(d->servers[i].psk_identity)) && *ok;
        *ok = set(s, "cipher_suite", jstr(d->servers[i].cipher_suite)) && *ok;
        *ok = append(servers, s) && *ok;
    }
    *ok = set(o, "servers", servers) && *ok;
    *ok = set(o, "command", jstr(d->command)) && *ok;
    *ok = set(o, "reset_command", jstr(d->reset_command)) && *ok;
    *ok = set(o, "log", jstr(d->log)) && *ok;
    json_t *ignored = json_array();
    for (size_t i = 0; i < d->ignored_count; i++)
        *ok = append(ignored, jstr(d->ignored[i])) && *ok;
    *ok = set(o, "ignored_endpoints", ignored) && *ok;
    *ok = set(o, "resets_planned", d->resets_planned >= 0 ? json_integer(d->resets_planned)
                                                          : json_null()) && *ok;
    *ok = set(o, "resets_made", d->resets_made >= 0 ? json_integer(d->resets_made)
                                                    : json_null()) && *ok;
    return o;
}

static json_t *counts_json(const run_result *r)
{
    result_counts k = result_count(r);
    json_t *o = json_object();
    bool ok = o != NULL;
    ok = set(o, "total", jint(k.total)) && ok;
    ok = set(o, "pass", jint(k.pass)) && ok;
    ok = set(o, "fail", jint(k.fail)) && ok;
    ok = set(o, "inconclusive", jint(k.inconclusive)) && ok;
    ok = set(o, "skipped", jint(k.skipped)) && ok;
    ok = set(o, "error", jint(k.error)) && ok;
    ok = set(o, "not_run", jint(k.not_run)) && ok;
    ok = set(o, "advisory", jint(k.advisory)) && ok;
    ok = set(o, "advisory_fail", jint(k.advisory_fail)) && ok;
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

char *json_report_format(const run_result *r)
{
    if (!r)
        return NULL;
    json_t *o = json_object();
    bool ok = o != NULL;
    ok = set(o, "format_version", json_integer(REPORT_FORMAT_VERSION)) && ok;
    ok = set(o, "suite_name", jstr(r->suite_name)) && ok;
    ok = set(o, "device", jstr(r->device)) && ok;
    ok = set(o, "config", jstr(r->config)) && ok;
    ok = set(o, "started_at", jstr(r->started_at)) && ok;
    ok = set(o, "hostname", jstr(r->hostname)) && ok;
    ok = set(o, "elapsed_ms", jint(r->elapsed_ms)) && ok;
    ok = set(o, "interrupted", json_boolean(r->interrupted)) && ok;
    json_t *dev = device_json(&r->dut, &ok);
    if (dev)
        ok = set(o, "device_under_test", dev) && ok;
    ok = set(o, "counts", counts_json(r)) && ok;
    if (r->note_count || r->note_dropped) { /* only when there is something to say */
        json_t *notes = json_array();
        for (size_t i = 0; i < r->note_count; i++)
            ok = append(notes, jstr(r->notes[i])) && ok;
        ok = set(o, "notes", notes) && ok;
        if (r->note_dropped)
            ok = set(o, "notes_left_out", jint(r->note_dropped)) && ok;
    }
    json_t *cases = json_array();
    for (size_t i = 0; i < r->case_count; i++)
        ok = append(cases, case_json(&r->cases[i])) && ok;
    ok = set(o, "cases", cases) && ok;
    char *text = ok ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (!text)
        return NULL;
    /* json_dumps' buffer belongs to jansson's allocator; hand back a malloc'ed one with
     * the final newline a text file should have. */
    char *out = result_printf("%s\n", text);
    json_malloc_t jmalloc;
    json_free_t jfree;
    json_get_alloc_funcs(&jmalloc, &jfree);
    jfree(text);
    return out;
}

int json_report_write(const char *path, const run_result *r, lc_error *err)
{
    return result_write_report(path, r, json_report_format, "json_report_write", err);
}
