#include "run/match.h"
#include "run/match_paths.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "lwm2m/content/content.h"
#include "lwm2m/content/guess.h"
#include "lwm2m/path.h"
#include "lwm2m/linkformat.h"
#include "lwm2m/objects.h"
#include "lwm2m/regquery.h"
#include "run/match_firmware.h"
#include "tc/vars.h"

void step_outcome_clear(step_outcome *o)
{
    net_message_clear(&o->request);
    net_message_clear(&o->response);
    obs_notes_free(&o->notes);
    o->has_request = o->has_response = false;
}

void match_result_clear(match_result *m)
{
    free(m->expected);
    free(m->observed);
    m->expected = m->observed = NULL;
}

static void set(match_result *out, verdict v, char *expected, char *observed)
{
    out->verdict = v;
    out->expected = expected;
    out->observed = observed;
}

static char *dupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dupf(const char *fmt, ...)
{
    strbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    char tmp[4096];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    strbuf_append(&b, tmp);
    return strbuf_take(&b);
}

static char *payload_string(const net_message *m)
{
    char *s = malloc(m->payload_len + 1);
    if (!s)
        return NULL;
    if (m->payload_len)
        memcpy(s, m->payload, m->payload_len);
    s[m->payload_len] = '\0';
    /* a NUL inside a payload would cut the text short: show it */
    for (size_t i = 0; i < m->payload_len; i++)
        if (s[i] == '\0')
            s[i] = '?';
    return s;
}

/* A payload for the report: as text when it is text, else (CBOR, TLV) its first bytes in
 * hex, so binary formats stay readable and bounded. */
static char *payload_display(const net_message *m)
{
    char *s = payload_string(m); /* NUL-terminated, for the UTF-8 check */
    bool text = s != NULL;
    for (size_t i = 0; s && i < m->payload_len && text;) {
        uint32_t cp;
        size_t n = result_utf8_decode(s + i, &cp);
        text = n > 0 && (cp >= 0x20 || cp == '\n' || cp == '\t') && cp != 0x7f;
        i += n ? n : 1;
    }
    if (text)
        return s;
    free(s);
    strbuf b = {0};
    size_t n = m->payload_len < 96 ? m->payload_len : 96;
    strbuf_appendf(&b, "%zu bytes:", m->payload_len);
    for (size_t i = 0; i < n; i++)
        strbuf_appendf(&b, " %02x", m->payload[i]);
    if (n < m->payload_len)
        strbuf_append(&b, " …");
    return strbuf_take(&b);
}

/* The observation when there is nothing to judge: why the step has no response. */
static char *no_response(const step_outcome *o)
{
    switch (o->status) {
    case OUTCOME_NOT_RUN: return dupf("step %d was not run: %s", o->step->number, o->detail);
    case OUTCOME_TIMEOUT: return dupf("%s", o->detail);
    case OUTCOME_NO_ANSWER: return dupf("no response: %s", o->detail);
    default: return dupf("%s", o->detail[0] ? o->detail : "no response");
    }
}

static verdict verdict_for_missing(const step_outcome *o)
{
    return o->status == OUTCOME_TOOL_ERROR ? VERDICT_ERROR : VERDICT_FAIL;
}

static tc_vars_env vars_env(const match_env *env)
{
    return (tc_vars_env){.cfg = env->cfg, .desc = env->desc, .instances = env->instances,
                         .endpoint_name = env->endpoint_name, .case_vars = env->case_vars,
                         .case_var_count = env->case_var_count};
}

static char *expand(const char *s, const match_env *env, lc_error *err)
{
    char *out = NULL;
    if (!s)
        return NULL;
    tc_vars_env ve = vars_env(env);
    if (tc_vars_expand_env(s, &ve, &out, err) < 0)
        return NULL;
    return out;
}

static char *code_text(int code)
{
    char c[8];
    net_code_format(code, c, sizeof c);
    return dupf("%s %s", c, net_code_name(code));
}

/* "success": the code LwM2M 1.0 §5.4 gives the step's operation on success. */
static int success_code(const step_outcome *o)
{
    switch (o->step ? o->step->op : TC_OP__COUNT) {
    case TC_OP_READ:
    case TC_OP_DISCOVER:
    case TC_OP_OBSERVE:
    case TC_OP_CANCEL_OBSERVE:
    case TC_OP_READ_COMPOSITE:
    case TC_OP_OBSERVE_COMPOSITE:
    case TC_OP_CANCEL_OBSERVE_COMPOSITE:
    case TC_OP_EXPECT_NOTIFICATION: /* a notification is a 2.05 Content (RFC 7641) */
        return COAP_RESPONSE_CODE(205);
    case TC_OP_CREATE:
    case TC_OP_EXPECT_REGISTER: /* the tool's answer to the Register */
        return COAP_RESPONSE_CODE(201);
    case TC_OP_DELETE: return COAP_RESPONSE_CODE(202);
    case TC_OP_WRITE:
    case TC_OP_WRITE_PARTIAL:
    case TC_OP_WRITE_ATTRIBUTES:
    case TC_OP_WRITE_COMPOSITE:
    case TC_OP_EXPECT_SEND: /* the tool's answer to the Send */
    case TC_OP_EXPECT_BOOTSTRAP_REQUEST:
    case TC_OP_BOOTSTRAP_WRITE:
    case TC_OP_BOOTSTRAP_FINISH:
    case TC_OP_EXECUTE:
    case TC_OP_FIRMWARE_RESET:
    case TC_OP_FIRMWARE_DELIVER: return COAP_RESPONSE_CODE(204);
    case TC_OP_FIRMWARE_WAIT: return COAP_RESPONSE_CODE(205);
    default: return -1;
    }
}

/* Whether the configuration in use has what a conditional code names: "multi-server"
 * (two server accounts or more), "access-control" (an Access Control instance, or several
 * servers, which LwM2M 1.0 §7.3 gives access control). */
static bool code_condition_holds(const char *cond, const match_env *env)
{
    const config *c = env ? env->cfg : NULL;
    if (!c)
        return false;
    size_t servers = 0;
    for (size_t i = 0; i < c->account_count; i++)
        if (!c->accounts[i].bootstrap)
            servers++;
    if (strcmp(cond, "multi-server") == 0)
        return servers >= 2;
    if (strcmp(cond, "access-control") == 0)
        return servers >= 2 || config_has_object(c, 2);
    return false;
}

/* "code": ["4.05", "4.00"] is loaded as "4.05,4.00": any of them passes; "4.01?COND" only
 * when the configuration has COND. */
static void check_codes(const tc_check *chk, const step_outcome *o, const match_env *env,
                        match_result *out)
{
    strbuf e = {0};
    bool hit = false;
    for (const char *p = chk->code; *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char one[64];
        snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one ? n : sizeof one - 1), p);
        char *q = strchr(one, '?');
        const char *cond = q ? q + 1 : NULL;
        if (q)
            *q = '\0';
        bool allowed = !cond || code_condition_holds(cond, env);
        int want = net_code_parse(one);
        char *t = code_text(want);
        if (cond)
            strbuf_appendf(&e, "%s%s (only with %s: %s)", e.len ? " or " : "", t ? t : one,
                           cond, allowed ? "the configuration has it" : "the configuration lacks it");
        else
            strbuf_appendf(&e, "%s%s", e.len ? " or " : "", t ? t : one);
        free(t);
        hit = hit || (allowed && o->has_response && o->response.code == want);
        p += n + (comma ? 1 : 0);
    }
    if (!o->has_response)
        set(out, verdict_for_missing(o), strbuf_take(&e), no_response(o));
    else
        set(out, hit ? VERDICT_PASS : VERDICT_FAIL, strbuf_take(&e), code_text(o->response.code));
}

static void check_code(const tc_check *chk, const step_outcome *o, const match_env *env,
                       match_result *out)
{
    if (strchr(chk->code, ','))
        return check_codes(chk, o, env, out);
    int want = strcmp(chk->code, "success") == 0 ? success_code(o) : net_code_parse(chk->code);
    if (want < 0) {
        set(out, VERDICT_ERROR, dupf("%s", chk->code), dupf("the definition's code is not c.dd"));
        return;
    }
    if (!o->has_response) {
        set(out, verdict_for_missing(o), code_text(want), no_response(o));
        return;
    }
    if (o->response.code == want) {
        set(out, VERDICT_PASS, code_text(want), code_text(o->response.code));
        return;
    }
    strbuf b = {0};
    char *c = code_text(o->response.code);
    strbuf_append(&b, c);
    free(c);
    if (o->response.payload_len && (o->response.code >> 5) >= 4) {
        char *p = payload_string(&o->response);
        strbuf_appendf(&b, " (diagnostic payload: \"%s\")", p ? p : "");
        free(p);
    }
    set(out, VERDICT_FAIL, code_text(want), strbuf_take(&b));
}

static char *cf_text(int cf)
{
    if (cf < 0)
        return dupf("no Content-Format option");
    return dupf("%d (%s)", cf, content_format_name(cf));
}

static void check_content_format(const tc_check *chk, const step_outcome *o, match_result *out)
{
    if (!o->has_response) {
        set(out, verdict_for_missing(o), cf_text(chk->content_format), no_response(o));
        return;
    }
    if (chk->content_format_alt >= 0) { /* either of two (a SenML response: CBOR or JSON) */
        char *a = cf_text(chk->content_format), *b = cf_text(chk->content_format_alt);
        bool ok = o->response.content_format == chk->content_format ||
                  o->response.content_format == chk->content_format_alt;
        set(out, ok ? VERDICT_PASS : VERDICT_FAIL, dupf("%s or %s", a ? a : "?", b ? b : "?"),
            cf_text(o->response.content_format));
        free(a);
        free(b);
        return;
    }
    /* A Discover's criteria ask for its links, not for the option (the ETS judges the
     * payload): an answer without Content-Format whose payload is link format passes, and
     * the report notes it (note_missing_formats). A wrong option still fails. */
    if (o->response.content_format < 0 && chk->content_format == 40 && o->step &&
        (o->step->op == TC_OP_DISCOVER || o->step->op == TC_OP_BOOTSTRAP_DISCOVER) &&
        (o->response.code >> 5) == 2 && o->response.payload_len > 0) {
        char *text = payload_string(&o->response);
        lf_set got;
        lc_error err = {0};
        bool links = text && linkformat_parse(text, o->response.payload_len, &got, &err) == 0;
        free(text);
        if (links) {
            linkformat_free(&got);
            set(out, VERDICT_PASS, cf_text(chk->content_format),
                dupf("no Content-Format option; the payload is link format (tolerated for a "
                     "Discover: the ETS judges its links; noted in the report)"));
            return;
        }
    }
    set(out, o->response.content_format == chk->content_format ? VERDICT_PASS : VERDICT_FAIL,
        cf_text(chk->content_format), cf_text(o->response.content_format));
}

static const char *const default_ignored[] = {"dim", NULL};

static void check_links(const tc_check *chk, const step_outcome *o, const match_env *env,
                        match_result *out)
{
    lc_error err = {0};
    char *want_text = expand(chk->links, env, &err);
    if (!want_text) {
        set(out, VERDICT_ERROR, dupf("%s", chk->links), dupf("cannot expand: %s", err.msg));
        return;
    }
    static const char *mode_names[] = {"exactly", "at least", "none of"};
    strbuf note = {0};
    if (chk->links_mode == TC_LINKS_CONTAINS)
        strbuf_appendf(&note, " (more links allowed; attributes on these links compare exactly");
    for (size_t i = 0; i < chk->optional_attribute_count; i++)
        strbuf_appendf(&note, "%s%s", i ? ", " : note.len ? ", except that " : " (",
                       chk->optional_attributes[i]);
    if (chk->optional_attribute_count)
        strbuf_appendf(&note, " may be left out, but not reported with another value");
    if (note.len)
        strbuf_appendf(&note, ")");
    for (size_t i = 0; i < chk->links_without_count; i++)
        strbuf_appendf(&note, "%s%s", i ? ", " : ", and nothing at or under ",
                       chk->links_without[i]);
    char *expected = dupf("%s the links %s%s", mode_names[chk->links_mode], want_text,
                          note.s ? note.s : "");
    strbuf_free(&note);
    lf_set want;
    if (linkformat_parse(want_text, strlen(want_text), &want, &err) < 0) {
        free(want_text);
        set(out, VERDICT_ERROR, expected, dupf("the definition's links do not parse: %s", err.msg));
        return;
    }
    free(want_text);
    if (!o->has_response) {
        linkformat_free(&want);
        set(out, verdict_for_missing(o), expected, no_response(o));
        return;
    }
    char *got_text = payload_string(&o->response);
    lf_set got;
    if (linkformat_parse(got_text ? got_text : "", o->response.payload_len, &got, &err) < 0) {
        linkformat_free(&want);
        set(out, VERDICT_FAIL, expected,
            dupf("%s\n(not valid link format: %s)", got_text ? got_text : "", err.msg));
        free(got_text);
        return;
    }
    const char **ignored = NULL;
    if (chk->ignore_attributes) { /* an explicit empty list tolerates nothing */
        ignored = calloc(chk->ignore_attribute_count + 1, sizeof *ignored);
        for (size_t i = 0; ignored && i < chk->ignore_attribute_count; i++)
            ignored[i] = chk->ignore_attributes[i];
    }
    const char **optional = calloc(chk->optional_attribute_count + 1, sizeof *optional);
    for (size_t i = 0; optional && i < chk->optional_attribute_count; i++)
        optional[i] = chk->optional_attributes[i];
    lf_compare_options opt = {
        .mode = chk->links_mode == TC_LINKS_EXACT ? LF_MATCH_EXACT
              : chk->links_mode == TC_LINKS_CONTAINS ? LF_MATCH_CONTAINS : LF_MATCH_EXCLUDES,
        .ignore_attrs = ignored ? (const char *const *)ignored : default_ignored,
        .optional_attrs = (const char *const *)optional,
    };
    char why[2048] = "";
    bool ok = linkformat_compare(&want, &got, &opt, why, sizeof why);
    /* "without": nothing at or under the paths a case removed (the links there are the
     * device's to choose otherwise) */
    for (size_t w = 0; w < chk->links_without_count; w++) {
        lwm2m_path gone, at;
        if (lwm2m_path_parse(chk->links_without[w], &gone) != 0)
            continue;
        for (size_t i = 0; i < got.count; i++)
            if (lwm2m_path_parse(got.links[i].uri, &at) == 0 && lwm2m_path_is_under(&at, &gone)) {
                size_t used = strlen(why);
                snprintf(why + used, sizeof why - used, "%s<%s> is listed, nothing at or under %s may be",
                         used ? "; " : "", got.links[i].uri, chk->links_without[w]);
                ok = false;
                break;
            }
    }
    free(ignored);
    free(optional);
    linkformat_free(&want);
    linkformat_free(&got);
    if (ok)
        set(out, VERDICT_PASS, expected, got_text);
    else {
        set(out, VERDICT_FAIL, expected, dupf("%s\n(%s)", got_text ? got_text : "", why));
        free(got_text);
    }
}

/* Object links of a Register: strips the alternate root path that a client announces
 * with </path>;rt="oma.lwm2m" before looking at object ids. object_id -1: any object. */
static bool links_have_object(const lf_set *links, int object_id)
{
    const char *root = "";
    for (size_t i = 0; i < links->count; i++) {
        const lf_attr *rt = linkformat_attr(&links->links[i], "rt");
        if (rt && strcmp(rt->value, "oma.lwm2m") == 0 && strcmp(links->links[i].uri, "/") != 0)
            root = links->links[i].uri;
    }
    size_t rl = strlen(root);
    for (size_t i = 0; i < links->count; i++) {
        const char *u = links->links[i].uri;
        if (rl && strncmp(u, root, rl) == 0)
            u += rl;
        lwm2m_path p;
        if (lwm2m_path_parse(u, &p) == 0 && p.depth >= 1 &&
            (object_id < 0 || p.ids[0] == object_id))
            return true;
    }
    return false;
}

/* True when the links name any object (a root link </>;rt="oma.lwm2m";ct=… alone names none). */
static bool links_have_any_object(const lf_set *links) { return links_have_object(links, -1); }

static void check_registration(const tc_check *chk, const step_outcome *o, const match_env *env,
                               match_result *out)
{
    strbuf exp = {0}, obs = {0}, bad = {0};
    lc_error err = {0};
    struct field {
        const char *name;
        const char *want;
    } fields[] = {
        {"ep", chk->reg_endpoint_name},
        {"lt", chk->reg_lifetime},
        {"b", chk->reg_binding},
        {"lwm2m", chk->reg_lwm2m_version},
    };
    char *want_values[4] = {0};
    for (int i = 0; i < 4; i++) {
        if (!fields[i].want)
            continue;
        want_values[i] = expand(fields[i].want, env, &err);
        if (!want_values[i]) {
            for (int k = 0; k < i; k++)
                free(want_values[k]);
            set(out, VERDICT_ERROR, dupf("%s=%s", fields[i].name, fields[i].want),
                dupf("cannot expand: %s", err.msg));
            return;
        }
        strbuf_appendf(&exp, "%s%s=%s", exp.len ? " " : "", fields[i].name,
                       strcmp(want_values[i], "*") == 0 ? "(present)" : want_values[i]);
    }
    for (size_t i = 0; i < chk->reg_objects_present_count; i++)
        strbuf_appendf(&exp, "%sobject /%d listed", exp.len ? ", " : "", chk->reg_objects_present[i]);
    for (size_t i = 0; i < chk->reg_objects_absent_count; i++)
        strbuf_appendf(&exp, "%sobject /%d not listed", exp.len ? ", " : "", chk->reg_objects_absent[i]);
    if (chk->reg_no_parameters)
        strbuf_appendf(&exp, "%sno parameters (no query, no object links)", exp.len ? ", " : "");
    if (chk->reg_queue)
        strbuf_appendf(&exp, "%squeue mode (b=UQ, or the Q parameter)", exp.len ? ", " : "");
    if (chk->reg_pid) {
        lc_error xerr = {0};
        char *p = expand(chk->reg_pid, env, &xerr);
        strbuf_appendf(&exp, "%spid=%s", exp.len ? ", " : "", p ? p : chk->reg_pid);
        free(p);
    }
    if (chk->reg_no_objects)
        strbuf_appendf(&exp, "%sno object listed", exp.len ? ", " : "");
    bool update = o->step && o->step->op == TC_OP_EXPECT_UPDATE;

    if (!o->has_request) {
        for (int i = 0; i < 4; i++)
            free(want_values[i]);
        if (o->expired && o->status == OUTCOME_OK) /* "or_expiry": the draft allows it */
            set(out, VERDICT_PASS, strbuf_take(&exp), dupf("%s (accepted instead)", o->detail));
        else
            set(out, verdict_for_missing(o), strbuf_take(&exp), no_response(o));
        return;
    }
    reg_query q;
    bool parsed = regquery_parse((const char *const *)o->request.queries, o->request.query_count,
                                 update ? REGQUERY_UPDATE : REGQUERY_REGISTER, &q, &err) == 0;
    strbuf_append(&obs, update ? "Update" : "Register");
    if (chk->reg_no_parameters && (o->request.query_count || o->request.payload_len))
        strbuf_appendf(&bad, "%sthe Update has parameters%s%s", bad.len ? "; " : "",
                       o->request.query_count ? " (a query)" : "",
                       o->request.payload_len ? " (object links)" : "");
    for (size_t i = 0; i < o->request.query_count; i++)
        strbuf_appendf(&obs, "%c%s", i ? '&' : '?', o->request.queries[i]);
    char *links_text = payload_string(&o->request);
    strbuf_appendf(&obs, " with links %s", links_text && *links_text ? links_text : "(none)");
    free(links_text);
    if (!parsed)
        strbuf_appendf(&bad, "%sthe query is malformed: %s", bad.len ? "; " : "", err.msg);
    /* a 1.1+ Register without ep: the PSK identity names the Client (1.1 §7.3.1) when the
     * tool accepted it so (2.01: the identity is the device's endpoint name as far as the
     * run knows it, net/epfilter.h); over NoSec, or with another identity, ep is missing */
    if (parsed && !update && !q.has_endpoint_name && o->has_response &&
        o->response.code == COAP_RESPONSE_CODE(201) &&
        regquery_endpoint_from_identity(&q, o->psk_identity, &err) == 0)
        strbuf_appendf(&obs, " (no ep: the PSK identity \"%s\" names the endpoint, LwM2M 1.1 "
                       "§7.3.1)", q.endpoint_name);

    if (parsed) {
        const char *have[4] = {q.has_endpoint_name ? q.endpoint_name : NULL, NULL,
                               q.has_binding ? q.binding : NULL,
                               q.has_lwm2m_version ? q.lwm2m_version : NULL};
        char lt[32];
        if (q.has_lifetime) {
            snprintf(lt, sizeof lt, "%lld", (long long)q.lifetime);
            have[1] = lt;
        }
        for (int i = 0; i < 4; i++) {
            if (!want_values[i])
                continue;
            if (!have[i]) {
                /* LwM2M defaults when absent (1.0 §5.3.1): lt 86400, b U, lwm2m 1.0 */
                if (i == 1 && strcmp(want_values[i], "86400") == 0)
                    continue;
                if (i == 2 && strcmp(want_values[i], "U") == 0)
                    continue;
                if (i == 3 && strcmp(want_values[i], "1.0") == 0)
                    continue;
                strbuf_appendf(&bad, "%s%s is missing", bad.len ? "; " : "", fields[i].name);
            } else if (strcmp(want_values[i], "*") != 0 &&
                       !(i == 1 ? linkformat_value_equal(have[i], want_values[i])
                                : strcmp(have[i], want_values[i]) == 0)) {
                strbuf_appendf(&bad, "%s%s=%s, expected %s", bad.len ? "; " : "", fields[i].name,
                               have[i], want_values[i]);
            }
        }
    }
    if (parsed && chk->reg_pid) {
        const reg_param *pp = regquery_find(&q, "pid");
        lc_error perr = {0};
        char *want_pid = expand(chk->reg_pid, env, &perr);
        if (!pp || !pp->has_value)
            strbuf_appendf(&bad, "%spid is missing", bad.len ? "; " : "");
        else if (want_pid && strcmp(pp->value, want_pid) != 0)
            strbuf_appendf(&bad, "%spid=%s, expected %s", bad.len ? "; " : "", pp->value, want_pid);
        free(want_pid);
    }
    /* with a Profile ID (LwM2M 1.2) the objects it stands for are not listed; the tool does
     * not resolve Profile IDs, so a check that does not expect one takes them as covered */
    const reg_param *pid = parsed ? regquery_find(&q, "pid") : NULL;
    bool pid_covers = pid && pid->has_value && !chk->reg_pid;
    if (parsed && chk->reg_queue && !q.queue_mode && !(q.has_binding && strchr(q.binding, 'Q')))
        strbuf_appendf(&bad, "%sno queue mode: neither a binding with Q nor the Q parameter",
                       bad.len ? "; " : "");
    lf_set links = {0};
    if (o->request.payload_len &&
        linkformat_parse((const char *)o->request.payload, o->request.payload_len, &links, &err) < 0) {
        strbuf_appendf(&bad, "%sthe object links are not valid link format: %s", bad.len ? "; " : "",
                       err.msg);
    } else {
        if (chk->reg_no_objects && links_have_any_object(&links))
            strbuf_appendf(&bad, "%sthe Register lists objects", bad.len ? "; " : "");
        for (size_t i = 0; i < chk->reg_objects_present_count; i++) {
            if (links_have_object(&links, chk->reg_objects_present[i]))
                continue;
            if (pid_covers)
                strbuf_appendf(&obs, "\n(object /%d not listed: the Register's pid=%s may stand "
                               "for it, LwM2M 1.2 Profile ID; the tool does not resolve Profile "
                               "IDs)", chk->reg_objects_present[i], pid->value);
            else
                strbuf_appendf(&bad, "%sobject /%d is not listed", bad.len ? "; " : "",
                               chk->reg_objects_present[i]);
        }
        for (size_t i = 0; i < chk->reg_objects_absent_count; i++)
            if (links_have_object(&links, chk->reg_objects_absent[i]))
                strbuf_appendf(&bad, "%sobject /%d is listed but must not be", bad.len ? "; " : "",
                               chk->reg_objects_absent[i]);
        linkformat_free(&links);
    }
    for (int i = 0; i < 4; i++)
        free(want_values[i]);
    if (bad.len) {
        strbuf_appendf(&obs, "\n(%s)", bad.s);
        strbuf_free(&bad);
        set(out, VERDICT_FAIL, strbuf_take(&exp), strbuf_take(&obs));
    } else {
        set(out, VERDICT_PASS, strbuf_take(&exp), strbuf_take(&obs));
    }
}

/* Values compare as decoded values of the resource's kind: a number is a number whatever
 * the format carried it as (TLV bytes, SenML "v", a CBOR integer or float), but a number
 * sent as a string (SenML "vs", a CBOR text string) is the wrong kind. */
static int value_kind(lwm2m_type t)
{
    switch (t) {
    case LV_INTEGER:
    case LV_UNSIGNED:
    case LV_FLOAT:
    case LV_TIME: return 1;
    case LV_BOOLEAN: return 2;
    case LV_STRING: return 3;
    case LV_OPAQUE: return 4;
    case LV_OBJLNK: return 5;
    default: return 0;
    }
}

/* want LV_NONE (a resource the object model does not know) accepts any kind. */
static bool same_kind(lwm2m_type got, lwm2m_type want)
{
    return want == LV_NONE || value_kind(got) == value_kind(want);
}

static const char *type_article(lwm2m_type t)
{
    switch (value_kind(t)) {
    case 1: return t == LV_FLOAT ? "a float" : t == LV_TIME ? "a time" : "an integer";
    case 2: return "a boolean";
    case 3: return "a string";
    case 4: return "opaque";
    case 5: return "an object link";
    default: return "untyped";
    }
}

/* Whether the value at path is this request's to judge: the request reads (tc_op_reads)
 * and the value lies at or under the path it addressed. One ETS step of several requests
 * (Reads of /3/0/0, /3/0/1, /3/0/2; Observes of /10/0/12 and /10/0/13; int-205's Writes
 * and the Read that verifies them) has one criterion naming the values of all of them,
 * and each request is judged on its own; the loader makes sure every value lies under
 * some reading request of the steps its criterion judges, so none goes unjudged. An
 * outcome without a step (built by hand) reads. */
static bool value_in_scope(const tc_value_expect *v, const lwm2m_path *base,
                           const step_outcome *o)
{
    if (o->step && !tc_op_reads(o->step->op))
        return false;
    lwm2m_path p;
    return lwm2m_path_parse(v->path, &p) < 0 || lwm2m_path_is_under(&p, base);
}

static void check_values(const tc_check *chk, const step_outcome *o, const match_env *env,
                         match_result *out)
{
    strbuf exp = {0}, bad = {0};
    lc_error err = {0};
    char **wants = calloc(chk->value_count + 1, sizeof *wants);
    /* values the device owns that its description does not give (or marks volatile):
     * present, of the resource's type, not compared */
    bool *undescribed = calloc(chk->value_count + 1, sizeof *undescribed);
    bool *skipped = calloc(chk->value_count + 1, sizeof *skipped);
    tc_vars_env ve = vars_env(env);
    if (!wants || !undescribed || !skipped) {
        free(wants);
        free(undescribed);
        free(skipped);
        set(out, VERDICT_ERROR, NULL, dupf("out of memory"));
        return;
    }
    lwm2m_path base;
    if (lwm2m_path_parse(o->step && o->step->path ? o->step->path : "/", &base) < 0)
        base.depth = 0;
    for (size_t i = 0; i < chk->value_count; i++) {
        const tc_value_expect *v = &chk->values[i];
        if (!value_in_scope(v, &base, o))
            continue;
        char why[600];
        const lwm2m_resource_def *rd = NULL;
        lwm2m_path vp;
        if (env->desc && v->equals && lwm2m_path_parse(v->path, &vp) == 0 && vp.depth >= 3)
            rd = objects_resource(vp.ids[0], vp.ids[2]);
        if (v->equals && rd && (!rd->mandatory || vp.depth == 4) &&
            description_lists_resources(env->desc, v->path) &&
            !description_knows(env->desc, v->path) &&
            tc_vars_undescribed(v->equals, &ve, NULL, 0)) {
            /* an optional resource, or an instance of a multiple resource, the device's
             * description says it does not have (int-1200: </10/0/11>;dim=0, no Activated
             * Profile Name on a device without an APN profile) */
            undescribed[i] = true;
            skipped[i] = true;
            strbuf_appendf(&exp, "%s%s not required (%s: %s lists no such resource%s)",
                           exp.len ? ", " : "", v->path, vp.depth == 4 ? "not there" : "optional",
                           env->desc->source, vp.depth == 4 ? " instance" : "");
        } else if (v->equals && tc_vars_undescribed(v->equals, &ve, why, sizeof why)) {
            undescribed[i] = true;
            strbuf_appendf(&exp, "%s%s present, of its resource's type (not compared: %s)",
                           exp.len ? ", " : "", v->path, why);
        } else if (v->equals) {
            wants[i] = expand(v->equals, env, &err);
            if (!wants[i]) {
                for (size_t k = 0; k < i; k++)
                    free(wants[k]);
                free(wants);
                free(undescribed);
                free(skipped);
                strbuf_free(&exp);
                set(out, VERDICT_ERROR, dupf("%s = %s", v->path, v->equals),
                    dupf("cannot expand: %s", err.msg));
                return;
            }
            strbuf_appendf(&exp, "%s%s = \"%s\"", exp.len ? ", " : "", v->path, wants[i]);
        } else {
            strbuf_appendf(&exp, "%s%s %s", exp.len ? ", " : "", v->path,
                           v->absent ? "absent" : "present");
        }
    }
    if (!o->has_response) { /* a timeout is never a pass, whosever the values are */
        for (size_t k = 0; k < chk->value_count; k++)
            free(wants[k]);
        free(wants);
        free(undescribed);
        free(skipped);
        set(out, verdict_for_missing(o), exp.len ? strbuf_take(&exp) : dupf("a response"),
            no_response(o));
        return;
    }
    if (!exp.len) { /* none of the values is this request's to judge */
        free(wants);
        free(undescribed);
        free(skipped);
        set(out, VERDICT_PASS, NULL, NULL);
        return;
    }
    lwm2m_records recs;
    records_init(&recs);
    int cf = o->response.content_format;
    int r = 0;
    content_guess how = {.cf = cf};
    /* an error answer (int-4's Read of an empty /1 may be 4.04) holds no values: its payload
     * is a diagnostic, never read as values; "absent" holds, anything else is missing */
    bool error_answer = (o->response.code >> 5) >= 4;
    if (error_answer)
        cf = -1;
    else if (cf >= 0)
        r = content_decode(cf, &base, o->response.payload, o->response.payload_len,
                           objects_type_of, NULL, &recs, &err);
    else /* no Content-Format option: the request's Accept, else what the payload is */
        r = content_decode_guess(&base, o->request.accept, o->response.payload,
                                 o->response.payload_len, objects_type_of, NULL, &recs, &how, &err);
    strbuf obs = {0};
    if (r < 0) {
        char *p = payload_display(&o->response);
        if (how.cf >= 0)
            strbuf_appendf(&obs, "%s\n(cannot decode %s%s: %s)", p ? p : "",
                           content_format_name(how.cf),
                           cf < 0 ? ", the format the request's Accept asked for (the response "
                                    "has no Content-Format option)" : "", err.msg);
        else
            strbuf_appendf(&obs, "%s\n(%s)", p ? p : "", err.msg);
        free(p);
        for (size_t k = 0; k < chk->value_count; k++)
            free(wants[k]);
        free(wants);
        free(undescribed);
        free(skipped);
        records_free(&recs);
        set(out, r == LC_EUNSUPPORTED ? VERDICT_ERROR : VERDICT_FAIL, strbuf_take(&exp),
            strbuf_take(&obs));
        return;
    }
    if (error_answer) {
        char code[32];
        net_code_format(o->response.code, code, sizeof code);
        strbuf_appendf(&obs, "no values: the device answered %s", code);
    }
    for (size_t i = 0; i < recs.count; i++) {
        char p[32], v[512];
        lwm2m_path_format(&recs.items[i].path, p, sizeof p);
        record_value_text(&recs.items[i], v, sizeof v);
        strbuf_appendf(&obs, "%s%s = \"%s\"", obs.len ? ", " : "", p, v);
    }
    if (cf < 0 && o->response.payload_len && !error_answer)
        strbuf_appendf(&obs, "\n(the response has no Content-Format option: read as %s, %s)",
                       content_format_name(how.cf),
                       how.by_accept ? "the format the request's Accept asked for"
                                     : "recognised from the payload");
    for (size_t i = 0; i < chk->value_count; i++) {
        const tc_value_expect *v = &chk->values[i];
        if (!value_in_scope(v, &base, o) || skipped[i])
            continue;
        lwm2m_path p;
        if (lwm2m_path_parse(v->path, &p) < 0) {
            strbuf_appendf(&bad, "%sbad path %s in the definition", bad.len ? "; " : "", v->path);
            continue;
        }
        const lwm2m_record *rec = records_find(&recs, &p);
        if (!rec && !wants[i]) /* presence of a multiple resource: any of its instances */
            for (size_t k = 0; k < recs.count && !rec; k++)
                if (recs.items[k].path.depth > p.depth &&
                    memcmp(recs.items[k].path.ids, p.ids, (size_t)p.depth * sizeof p.ids[0]) == 0)
                    rec = &recs.items[k];
        if (v->absent) {
            if (rec)
                strbuf_appendf(&bad, "%s%s is present", bad.len ? "; " : "", v->path);
            continue;
        }
        if (!rec) {
            strbuf_appendf(&bad, "%s%s is missing", bad.len ? "; " : "", v->path);
            continue;
        }
        lwm2m_type want_type = objects_type_of(&p, NULL);
        if ((wants[i] || undescribed[i]) && want_type != LV_NONE &&
            !same_kind(rec->type, want_type)) {
            char text[512];
            record_value_text(rec, text, sizeof text);
            strbuf_appendf(&bad, "%s%s is %s \"%s\", but the resource is %s", bad.len ? "; " : "",
                           v->path, type_article(rec->type), text, type_article(want_type));
        } else if (wants[i]) {
            char text[512];
            record_value_text(rec, text, sizeof text);
            bool equal = (rec->type == LV_BOOLEAN)
                             ? ((strcmp(wants[i], "true") == 0 || strcmp(wants[i], "1") == 0) == rec->b)
                             : linkformat_value_equal(text, wants[i]);
            if (!equal)
                strbuf_appendf(&bad, "%s%s is \"%s\", expected \"%s\"", bad.len ? "; " : "", v->path,
                               text, wants[i]);
        }
    }
    for (size_t k = 0; k < chk->value_count; k++)
        free(wants[k]);
    free(wants);
    free(undescribed);
    free(skipped);
    records_free(&recs);
    if (bad.len) {
        strbuf_appendf(&obs, "\n(%s)", bad.s);
        strbuf_free(&bad);
        set(out, VERDICT_FAIL, strbuf_take(&exp), strbuf_take(&obs));
    } else {
        set(out, VERDICT_PASS, strbuf_take(&exp), strbuf_take(&obs));
    }
}

/* The notifications of a window: count and spacing on the tool's clock, then the values
 * of each notification as a values check would judge a response. */
static void check_notifications(const tc_check *chk, const step_outcome *o, const match_env *env,
                                match_result *out)
{
    double scale = env && env->timing_scale > 0 ? env->timing_scale : 1.0;
    obs_timing t = {chk->notif_min_count, chk->notif_max_count, chk->notif_pmin,
                    chk->notif_pmax, chk->notif_tolerance * scale};
    const char *vars[2] = {chk->notif_pmin_var, chk->notif_pmax_var};
    double *into[2] = {&t.pmin_s, &t.pmax_s};
    /* "periods": a window on a path of its own times by that path's pmin/pmax */
    for (size_t i = 0; o->step && o->step->path && i < chk->notif_period_count; i++) {
        const struct tc_notif_period *p = &chk->notif_periods[i];
        if (strcmp(p->path, o->step->path) != 0)
            continue;
        t.pmin_s = p->pmin;
        t.pmax_s = p->pmax;
        vars[0] = p->pmin_var;
        vars[1] = p->pmax_var;
        break;
    }
    for (int k = 0; k < 2; k++) { /* "${var.pmin}": the case's timing for this run */
        if (!vars[k])
            continue;
        lc_error err = {0};
        char *text = expand(vars[k], env, &err), *end = NULL;
        double d = text ? strtod(text, &end) : -1;
        if (!text || !*text || *end || d < 0) {
            set(out, VERDICT_ERROR, dupf("%s", vars[k]),
                dupf("not a number of seconds: %s", text ? text : err.msg));
            free(text);
            return;
        }
        *into[k] = d;
        free(text);
    }
    /* never more than a device notifying at the slowest the tolerance allows sends in the
     * time the window covered for its observation (from the notification before it) */
    if (t.min_count > 0 && o->status == OUTCOME_OK && o->notes.until_ms >= o->notes.since_ms) {
        long most = tc_min_notifications((double)(o->notes.until_ms - o->notes.since_ms) / 1000.0,
                                         t.pmax_s, t.tolerance_s);
        if (most >= 0 && most < t.min_count)
            t.min_count = most;
    }
    char *exp = NULL, *obs = NULL;
    bool ok = obs_judge_timing(&o->notes, &t, &exp, &obs);
    strbuf e = {0}, b = {0};
    strbuf_appendf(&e, "%s", exp ? exp : "");
    free(exp);
    /* which window: a step of several collects one per observed resource */
    const char *path = o->step && o->step->path ? o->step->path : NULL;
    if (o->status != OUTCOME_OK) { /* no window at all: the observation was never made */
        free(obs);
        char *why = no_response(o);
        strbuf_appendf(&b, "%s%s%s", path ? path : "", path ? ": " : "", why ? why : "");
        free(why);
        set(out, verdict_for_missing(o), strbuf_take(&e), strbuf_take(&b));
        return;
    }
    strbuf_appendf(&b, "%s%s%s", path ? path : "", path ? ": " : "", obs ? obs : "");
    free(obs);
    verdict v = ok ? VERDICT_PASS : VERDICT_FAIL;
    /* "the requested information": every notification is a 2.05 with a value */
    for (size_t i = 0; i < o->notes.count; i++) {
        const obs_note *n = &o->notes.items[i];
        if (n->code != COAP_RESPONSE_CODE(205) || n->payload_len == 0) {
            char code[16];
            net_code_format(n->code, code, sizeof code);
            strbuf_appendf(&b, "%snotification %zu: %s %s", b.len ? "\n" : "", i + 1, code,
                           n->payload_len ? "" : "without a payload");
            v = VERDICT_FAIL;
        }
    }
    for (size_t i = 0; chk->value_count && i < o->notes.count; i++) {
        const obs_note *n = &o->notes.items[i];
        step_outcome one;
        memset(&one, 0, sizeof one);
        one.step = o->step;
        one.status = OUTCOME_OK;
        one.has_response = true;
        one.response.code = n->code;
        one.response.content_format = n->content_format;
        one.response.accept = one.response.observe = -1;
        one.response.payload = n->payload;
        one.response.payload_len = n->payload_len;
        match_result m;
        memset(&m, 0, sizeof m);
        check_values(chk, &one, env, &m);
        if (i == 0 && m.expected)
            strbuf_appendf(&e, "%sin every notification: %s", e.len ? "\n" : "", m.expected);
        if (m.verdict != VERDICT_PASS) {
            strbuf_appendf(&b, "%snotification %zu: %s", b.len ? "\n" : "", i + 1,
                           m.observed ? m.observed : "");
            if (v == VERDICT_PASS || m.verdict == VERDICT_ERROR)
                v = m.verdict;
        }
        match_result_clear(&m);
    }
    set(out, v, strbuf_take(&e), strbuf_take(&b));
}

/* "version": the Firmware Version /3/0/3 a Read returned, against --firmware-version
 * ("installed") or the case's first Read of it ("unchanged"). */
static void match_firmware_version(const tc_check *chk, const step_outcome *o,
                                   const match_env *env, match_result *out)
{
    bool installed = strcmp(chk->fw_version, "installed") == 0;
    char want[128] = "", got[128] = "";
    if (installed && env->firmware_version) {
        snprintf(want, sizeof want, "%s", env->firmware_version);
    } else if (!installed) {
        for (size_t i = 0; env->outcomes && i < env->outcome_count; i++) {
            const step_outcome *e = &env->outcomes[i];
            if (e == o)
                break;
            if (match_firmware_version_of(e, want, sizeof want) == 0)
                break;
            want[0] = '\0';
        }
    }
    if (!want[0]) { /* no --firmware-version is the tool's; an unanswered Read the device's */
        set(out, installed ? VERDICT_ERROR : VERDICT_FAIL,
            dupf("the Firmware Version %s", installed ? "given with --firmware-version"
                                                      : "of an earlier Read of /3/0/3"),
            dupf("%s", installed ? "no --firmware-version"
                                 : "no earlier Read of /3/0/3 was answered to compare with"));
        return;
    }
    if (!o->has_response) {
        set(out, verdict_for_missing(o), dupf("/3/0/3 = \"%s\"", want), no_response(o));
        return;
    }
    for (size_t i = 0; installed && env->outcomes && i < env->outcome_count; i++) {
        const step_outcome *e = &env->outcomes[i];
        if (e == o)
            break;
        if (e->fw_version_before[0] && strcmp(e->fw_version_before, want) == 0) {
            set(out, VERDICT_INCONCLUSIVE, dupf("/3/0/3 = \"%s\" (--firmware-version), a version "
                "the device did not run before the update", want),
                dupf("the device already reported /3/0/3 = \"%s\" before the update (the "
                     "firmware-reset preamble's Read): an installation cannot be evidenced; "
                     "give a package of another version with --firmware-version", want));
            return;
        }
    }
    if (match_firmware_version_of(o, got, sizeof got) < 0) {
        set(out, VERDICT_FAIL, dupf("/3/0/3 = \"%s\"", want), dupf("no Firmware Version /3/0/3 in "
            "the response (%s)", o->detail[0] ? o->detail : "not decoded"));
        return;
    }
    set(out, strcmp(want, got) == 0 ? VERDICT_PASS : VERDICT_FAIL,
        dupf("/3/0/3 = \"%s\" (%s)", want, installed ? "--firmware-version" : "as read before the update"),
        dupf("/3/0/3 = \"%s\"", got));
}

/* The polls of a firmware-wait step (or the State and Update Result of a Read) against
 * the allowed sets, or against an earlier Read's ("unchanged"). */
static void match_firmware(const tc_check *chk, const step_outcome *o, const match_env *env,
                           match_result *out)
{
    if (o->step && o->step->op == TC_OP_FIRMWARE_RESET && o->status == OUTCOME_OK) {
        set(out, VERDICT_PASS, NULL, NULL); /* the preamble: nothing of /5/0 to judge */
        return;
    }
    if (chk->fw_version) {
        match_firmware_version(chk, o, env, out);
        return;
    }
    if (chk->fw_taken_or_refused || chk->fw_ranges) {
        strbuf want = {0}, seen = {0};
        if (!o->has_response) {
            set(out, verdict_for_missing(o), dupf("an answer"), no_response(o));
            return;
        }
        bool ok = chk->fw_ranges ? match_firmware_ranges(o, &want, &seen)
                                 : match_firmware_taken(o, env->outcomes, env->outcome_count,
                                                        &want, &seen);
        set(out, ok ? VERDICT_PASS : VERDICT_FAIL, strbuf_take(&want), strbuf_take(&seen));
        return;
    }
    if (chk->fw_served) {
        /* a State 2 proves nothing unless the device fetched the package: the tool's own
         * server counts what it sent */
        if (!o->fw_served_known) {
            set(out, o->status == OUTCOME_OK ? VERDICT_ERROR : verdict_for_missing(o),
                dupf("the tool's package server sent the whole package"),
                o->status == OUTCOME_OK ? dupf("the tool served no package in this case")
                                        : no_response(o));
            return;
        }
        if (!o->fw_served_complete) {
            set(out, VERDICT_FAIL, dupf("the tool's package server sent the whole package"),
                dupf("it sent %llu bytes in %u request%s, not the whole package: the device did "
                     "not download it", (unsigned long long)o->fw_served_bytes,
                     o->fw_served_requests, o->fw_served_requests == 1 ? "" : "s"));
            return;
        }
        if (!chk->fw_state_count && !chk->fw_result_count && !chk->fw_unchanged) {
            set(out, VERDICT_PASS, dupf("the tool's package server sent the whole package"),
                dupf("it sent %llu bytes in %u request%s", (unsigned long long)o->fw_served_bytes,
                     o->fw_served_requests, o->fw_served_requests == 1 ? "" : "s"));
            return;
        }
    }
    step_outcome one; /* a Read's State and Update Result, as one poll */
    const step_outcome *p = o;
    int st, rs;
    if (o->fw_poll_count == 0 && match_firmware_state_of(o, &st, &rs) == 0) {
        memset(&one, 0, sizeof one);
        one.status = o->status;
        one.fw_polls[0] = (outcome_fw_poll){st, rs, 0};
        one.fw_poll_count = 1;
        one.fw_polls_total = 1;
        p = &one;
    }
    strbuf want = {0}, seen = {0};
    match_firmware_describe(chk, &want);
    if (p->fw_poll_count == 0) {
        strbuf_free(&seen);
        set(out, verdict_for_missing(o), strbuf_take(&want), no_response(o));
        return;
    }
    match_firmware_polls(p, &seen);
    char why[160];
    const char *bad = match_firmware_first_bad(chk, p, why, sizeof why);
    if (!bad && chk->fw_unchanged) {
        int bst = -1, brs = -1;
        for (size_t i = 0; env->outcomes && i < env->outcome_count && &env->outcomes[i] != o; i++)
            if (match_firmware_state_of(&env->outcomes[i], &bst, &brs) == 0)
                break;
            else
                bst = brs = -1;
        const outcome_fw_poll *last = &p->fw_polls[p->fw_poll_count - 1];
        strbuf_appendf(&want, "%sState %d, Update Result %d (as read before)",
                       chk->fw_state_count || chk->fw_result_count ? "; " : "", bst, brs);
        if (bst < 0) {
            strbuf_free(&seen);
            set(out, VERDICT_ERROR, strbuf_take(&want),
                dupf("no earlier Read of State and Update Result to compare with"));
            return;
        }
        if (last->state != bst || last->result != brs) {
            snprintf(why, sizeof why, "not what it was before");
            bad = why;
        }
    }
    if (!bad && o->status != OUTCOME_OK)
        bad = "the phase did not end";
    if (bad)
        strbuf_appendf(&seen, " (%s)", bad);
    if (bad && o->status != OUTCOME_OK && o->detail[0])
        strbuf_appendf(&seen, "; %s", o->detail);
    set(out, bad ? VERDICT_FAIL : VERDICT_PASS, strbuf_take(&want), strbuf_take(&seen));
}

void match_check(const tc_check *chk, const step_outcome *o, const match_env *env,
                 match_result *out)
{
    memset(out, 0, sizeof *out);
    if (o->status == OUTCOME_TOOL_ERROR) {
        set(out, VERDICT_ERROR, NULL, dupf("%s", o->detail));
        return;
    }
    switch (chk->kind) {
    case TC_CHECK_CODE: check_code(chk, o, env, out); break;
    case TC_CHECK_CONTENT_FORMAT: check_content_format(chk, o, out); break;
    case TC_CHECK_REGISTRATION:
        /* of a step that writes and takes the Update it provokes (int-107's Lifetime
         * Write), the registration is the Update's */
        if (o->step && o->step->op != TC_OP_EXPECT_REGISTER && o->step->op != TC_OP_EXPECT_UPDATE)
            set(out, VERDICT_PASS, NULL, NULL);
        else
            check_registration(chk, o, env, out);
        break;
    case TC_CHECK_LINKS:
        /* of a step that discovers and reads (int-4's Bootstrap-Discover and Bootstrap-Read
         * of /1), the links are the Discover's: a Read answers in values */
        if (o->step && tc_op_reads(o->step->op))
            set(out, VERDICT_PASS, NULL, NULL);
        else
            check_links(chk, o, env, out);
        break;
    case TC_CHECK_VALUES: check_values(chk, o, env, out); break;
    case TC_CHECK_REGISTERED:
        if (o->status != OUTCOME_OK || o->registered_after < 0)
            set(out, verdict_for_missing(o),
                dupf("%s", chk->registered ? "registered" : "not registered"), no_response(o));
        else if ((o->registered_after == 1) == chk->registered)
            set(out, VERDICT_PASS, dupf("%s", chk->registered ? "registered" : "not registered"),
                dupf("%s", o->registered_after ? "registered" : "not registered"));
        else
            set(out, VERDICT_FAIL,
                dupf("%s with server %d after step %d", chk->registered ? "registered" : "not registered",
                     o->step ? o->step->server : 0, o->step ? o->step->number : 0),
                dupf("%s", o->registered_after ? "still registered (the registration was not removed)"
                                               : "not registered"));
        break;
    case TC_CHECK_ANSWERED:
        if (o->has_response)
            set(out, VERDICT_PASS, dupf("a response, any code"), code_text(o->response.code));
        else
            set(out, verdict_for_missing(o), dupf("a response, any code"), no_response(o));
        break;
    case TC_CHECK_NOTIFICATIONS: check_notifications(chk, o, env, out); break;
    case TC_CHECK_WITHIN_PATHS: match_within_paths(chk, o, out); break;
    case TC_CHECK_FIRMWARE: match_firmware(chk, o, env, out); break;
    case TC_CHECK_DTLS:
        if (!o->has_response && !o->has_request)
            set(out, verdict_for_missing(o), dupf("a DTLS-PSK session"), no_response(o));
        else if (o->cipher_suite[0] && o->psk_identity[0])
            set(out, VERDICT_PASS, dupf("a DTLS-PSK session"),
                dupf("DTLS with PSK identity \"%s\", cipher suite %s", o->psk_identity,
                     o->cipher_suite));
        else
            set(out, VERDICT_FAIL, dupf("a DTLS-PSK session"),
                dupf("%s", o->cipher_suite[0] ? "DTLS without a PSK identity"
                                              : "plain CoAP (no DTLS session)"));
        break;
    case TC_CHECK_QUEUED: {
        const char *want = "held while the device slept (queue mode), sent after its next "
                           "Update or Register";
        if (o->queued_at && o->queue_woke_at && o->sent_at >= o->queue_woke_at)
            set(out, VERDICT_PASS, dupf("%s", want), dupf("%s", o->queue_note));
        else if (o->queue_never_quiet) /* the device never slept: nothing to hold */
            set(out, VERDICT_INCONCLUSIVE, dupf("%s", want), dupf("%s", o->queue_note));
        else if (o->queue_note[0])
            set(out, VERDICT_FAIL, dupf("%s", want), dupf("%s", o->queue_note));
        else
            set(out, verdict_for_missing(o), dupf("%s", want), no_response(o));
        break;
    }
    case TC_CHECK_NO_RESPONSE:
        if (o->has_response)
            set(out, VERDICT_FAIL, dupf("no response"), code_text(o->response.code));
        else
            set(out, o->status == OUTCOME_TIMEOUT ? VERDICT_PASS : verdict_for_missing(o),
                dupf("no response"), no_response(o));
        break;
    }
}

void match_criterion(const tc_criterion *c, const step_outcome *o, const match_env *env,
                     match_result *out)
{
    memset(out, 0, sizeof *out);
    out->verdict = VERDICT_PASS;
    strbuf exp = {0}, obs = {0};
    verdict worst = VERDICT_PASS;
    for (size_t i = 0; i < c->check_count; i++) {
        match_result m;
        match_check(&c->checks[i], o, env, &m);
        bool failing = m.verdict != VERDICT_PASS;
        /* a failing criterion shows only its failing checks; a passing one shows all */
        if (failing || worst == VERDICT_PASS) {
            if (failing && worst == VERDICT_PASS) {
                strbuf_free(&exp);
                strbuf_free(&obs);
            }
            if (m.expected)
                strbuf_appendf(&exp, "%s%s", exp.len ? "\n" : "", m.expected);
            /* without a response every check observes the same thing: say it once */
            if (m.observed && !(obs.s && strstr(obs.s, m.observed)))
                strbuf_appendf(&obs, "%s%s", obs.len ? "\n" : "", m.observed);
        }
        /* ERROR over FAIL over INCONCLUSIVE (the evidence cannot be had) over PASS */
        if (m.verdict == VERDICT_ERROR ||
            (m.verdict == VERDICT_FAIL && worst != VERDICT_ERROR) ||
            (m.verdict == VERDICT_INCONCLUSIVE && worst == VERDICT_PASS))
            worst = m.verdict;
        match_result_clear(&m);
    }
    out->verdict = worst;
    out->expected = strbuf_take(&exp);
    out->observed = strbuf_take(&obs);
}
