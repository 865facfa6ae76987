#include "tc/fields.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/path.h"
#include "tc/jsonpos.h"
#include "tc/rules.h"
#include "tc/vars.h"

/* Reports a problem with the value at ptr (at its key when at_key). A missing value is
 * reported at the nearest enclosing value that exists. */
void tcf_report(tcf_ctx *x, const char *ptr, bool at_key, const char *fmt, ...)
{
    jsonpos pos;
    jsonpos_find(x->text, x->len, ptr, &pos);
    int line = pos.line, col = pos.column;
    if (at_key && pos.key_line) {
        line = pos.key_line;
        col = pos.key_column;
    }
    va_list ap;
    va_start(ap, fmt);
    if (tc_diags_addv(&x->diags, x->file, line, col, ptr, fmt, ap) != 0)
        x->oom = true;
    va_end(ap);
}

void tcf_pos_of(const tcf_ctx *x, const char *ptr, int *line, int *column)
{
    jsonpos pos;
    jsonpos_find(x->text, x->len, ptr, &pos);
    *line = pos.line;
    *column = pos.column;
}

/* base + "/" + key, with '~' and '/' escaped as RFC 6901 asks. */
void tcf_ptr_key(char *out, size_t cap, const char *base, const char *key)
{
    size_t n = (size_t)snprintf(out, cap, "%s/", base);
    for (const char *k = key; *k && n + 3 < cap; k++) {
        if (*k == '~') {
            out[n++] = '~';
            out[n++] = '0';
        } else if (*k == '/') {
            out[n++] = '~';
            out[n++] = '1';
        } else {
            out[n++] = *k;
        }
    }
    if (n < cap)
        out[n] = '\0';
}

void tcf_ptr_idx(char *out, size_t cap, const char *base, size_t idx)
{
    /* Pointers are far shorter than cap; a truncated one would only blur a message. */
    if (snprintf(out, cap, "%s/%zu", base, idx) < 0)
        out[0] = '\0';
}

char *tcf_strdup(tcf_ctx *x, const char *s)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        x->oom = true;
    return d;
}

void *tcf_calloc(tcf_ctx *x, size_t n, size_t size)
{
    if (n == 0)
        return NULL;
    void *p = calloc(n, size);
    if (!p)
        x->oom = true;
    return p;
}

const char *tcf_jtype(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number with a fraction";
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    case JSON_NULL: return "null";
    }
    return "a value";
}

/* Typos must not pass silently: every key of obj must be one the format knows. */
void tcf_check_keys(tcf_ctx *x, const json_t *obj, const char *base, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        (void)v;
        if (tc_rules_has(allowed, key))
            continue;
        char ptr[512];
        tcf_ptr_key(ptr, sizeof ptr, base, key);
        const char *s = tc_diag_suggest(allowed, key);
        if (s) {
            tcf_report(x, ptr, true, "unknown key '%s' (did you mean '%s'?)", key, s);
        } else {
            char all[512];
            tc_diag_join(allowed, all, sizeof all);
            tcf_report(x, ptr, true, "unknown key '%s' (allowed here: %s)", key, all);
        }
    }
}

/* The member key of obj, or NULL. Reports a missing required key at obj. */
json_t *tcf_member(tcf_ctx *x, const json_t *obj, const char *base, const char *key, bool required)
{
    json_t *v = json_object_get(obj, key);
    if (!v && required) {
        char ptr[512];
        tcf_ptr_key(ptr, sizeof ptr, base, key);
        tcf_report(x, ptr, false, "missing required key '%s'", key);
    }
    return v;
}

/* A string member, copied; NULL when absent or wrong (reported). */
char *tcf_take_string(tcf_ctx *x, const json_t *obj, const char *base, const char *key,
                      bool required)
{
    json_t *v = tcf_member(x, obj, base, key, required);
    if (!v)
        return NULL;
    char ptr[512];
    tcf_ptr_key(ptr, sizeof ptr, base, key);
    if (!json_is_string(v)) {
        tcf_report(x, ptr, false, "'%s' must be a string, not %s", key, tcf_jtype(v));
        return NULL;
    }
    if (required && json_string_length(v) == 0) {
        tcf_report(x, ptr, false, "'%s' must not be empty", key);
        return NULL;
    }
    return tcf_strdup(x, json_string_value(v));
}

/* Reports unknown variables and unterminated "${" in s (the value at ptr). */
struct case_var_arg {
    tcf_ctx *x;
    const char *ptr;
};

static void check_case_var(void *arg, const char *name, size_t len)
{
    struct case_var_arg *a = arg;
    for (size_t i = 0; i < a->x->case_var_count; i++)
        if (strlen(a->x->case_vars[i].name) == len &&
            memcmp(a->x->case_vars[i].name, name, len) == 0)
            return;
    tcf_report(a->x, a->ptr, false,
               "${var.%.*s}: the case declares no such variable (add it to \"variables\")",
               (int)len, name);
}

void tcf_check_vars(tcf_ctx *x, const char *ptr, const char *s)
{
    if (s) {
        struct case_var_arg a = {x, ptr};
        tc_vars_each_case_var(s, check_case_var, &a);
    }
    char bad[256];
    int rc = tc_vars_check(s, bad, sizeof bad);
    if (rc == LC_ENOTFOUND)
        tcf_report(x, ptr, false, "unknown variable %s (known: %s)", bad, tc_vars_known());
    else if (rc != 0)
        tcf_report(x, ptr, false, "'${' without its closing '}' in \"%s\"", bad);
}

/* An integer in [min, max]; false (reported) otherwise. */
bool tcf_take_int(tcf_ctx *x, const json_t *v, const char *ptr, const char *what, json_int_t min,
                  json_int_t max, json_int_t *out)
{
    if (!json_is_integer(v)) {
        tcf_report(x, ptr, false, "%s must be an integer, not %s", what, tcf_jtype(v));
        return false;
    }
    json_int_t n = json_integer_value(v);
    if (n < min || n > max) {
        tcf_report(x, ptr, false, "%s must be between %lld and %lld, not %lld", what,
                   (long long)min, (long long)max, (long long)n);
        return false;
    }
    *out = n;
    return true;
}

/* Seconds (integer or fraction) -> milliseconds. */
bool tcf_take_seconds(tcf_ctx *x, const json_t *v, const char *ptr, const char *key,
                      bool allow_zero, int64_t *ms)
{
    if (!json_is_number(v)) {
        tcf_report(x, ptr, false, "'%s' must be a number of seconds, not %s", key, tcf_jtype(v));
        return false;
    }
    double s = json_number_value(v);
    if (!isfinite(s) || s < 0 || (!allow_zero && s == 0) || s > 86400.0 * 365) {
        tcf_report(x, ptr, false, "'%s' must be %s number of seconds, not %g", key,
                   allow_zero ? "a non-negative" : "a positive", s);
        return false;
    }
    *ms = (int64_t)llround(s * 1000.0);
    return true;
}

/* A scalar as the text the runner sends or compares: strings as they are, integers in
 * decimal, other numbers with up to 15 significant digits, booleans as true/false. */
char *tcf_scalar_text(tcf_ctx *x, const json_t *v)
{
    char buf[64];
    switch (json_typeof(v)) {
    case JSON_STRING: return tcf_strdup(x, json_string_value(v));
    case JSON_INTEGER:
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
        return tcf_strdup(x, buf);
    case JSON_REAL:
        snprintf(buf, sizeof buf, "%.15g", json_real_value(v));
        return tcf_strdup(x, buf);
    case JSON_TRUE: return tcf_strdup(x, "true");
    case JSON_FALSE: return tcf_strdup(x, "false");
    default: return NULL;
    }
}

/* A content format given by name or number; -1 (reported) when unknown. */
int tcf_take_content_format(tcf_ctx *x, const json_t *v, const char *ptr, const char *key)
{
    if (json_is_integer(v)) {
        json_int_t n = json_integer_value(v);
        if (n < 0 || n > 65535) {
            tcf_report(x, ptr, false, "'%s' %lld is not a CoAP Content-Format (0..65535)", key,
                       (long long)n);
            return -1;
        }
        return (int)n;
    }
    if (json_is_string(v)) {
        int cf = tc_content_format_from_name(json_string_value(v));
        if (cf < 0)
            tcf_report(x, ptr, false,
                       "unknown content format '%s' (expected one of: " TC_CF_NAMES ")",
                       json_string_value(v));
        return cf;
    }
    tcf_report(x, ptr, false, "'%s' must be a content-format name or number, not %s", key,
               tcf_jtype(v));
    return -1;
}

/* An array of non-empty strings; count 0 and NULL when absent or wrong. pos (may be NULL)
 * receives each entry's position. */
char **tcf_take_string_array(tcf_ctx *x, const json_t *obj, const char *base, const char *key,
                             size_t *count, tc_pos **pos)
{
    *count = 0;
    if (pos)
        *pos = NULL;
    json_t *v = json_object_get(obj, key);
    if (!v)
        return NULL;
    char ptr[512];
    tcf_ptr_key(ptr, sizeof ptr, base, key);
    if (!json_is_array(v)) {
        tcf_report(x, ptr, false, "'%s' must be an array of strings, not %s", key, tcf_jtype(v));
        return NULL;
    }
    size_t n = json_array_size(v);
    char **out = tcf_calloc(x, n, sizeof *out);
    tc_pos *p = pos ? tcf_calloc(x, n, sizeof *p) : NULL;
    if (n && (!out || (pos && !p))) {
        free(out);
        free(p);
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(v, i);
        char ep[512];
        tcf_ptr_idx(ep, sizeof ep, ptr, i);
        if (!json_is_string(e) || json_string_length(e) == 0) {
            tcf_report(x, ep, false, "each entry of '%s' must be a non-empty string, not %s", key,
                       json_is_string(e) ? "an empty string" : tcf_jtype(e));
            continue;
        }
        out[k] = tcf_strdup(x, json_string_value(e));
        if (p)
            tcf_pos_of(x, ep, &p[k].line, &p[k].column);
        k++;
    }
    *count = k;
    if (pos)
        *pos = p;
    return out;
}

bool tcf_valid_path(const char *s, int min_depth)
{
    lwm2m_path p;
    return s && s[0] == '/' && lwm2m_path_parse(s, &p) == 0 && p.depth >= min_depth;
}

char *tcf_take_path(tcf_ctx *x, const json_t *obj, const char *base, int min_depth,
                    bool required)
{
    char *s = tcf_take_string(x, obj, base, "path", required);
    /* an instance id may be a variable: "/0/${server[1].security_instance}/0" (the device's
     * own instance of a configuration account); the rest must still be a path */
    char shape[256];
    const char *check = s;
    if (s && strstr(s, "${") && strlen(s) < sizeof shape) {
        size_t o = 0;
        for (const char *p = s; *p && o + 1 < sizeof shape;) {
            const char *end = strncmp(p, "${", 2) == 0 ? strchr(p, '}') : NULL;
            if (end) {
                shape[o++] = '0';
                p = end + 1;
            } else {
                shape[o++] = *p++;
            }
        }
        shape[o] = '\0';
        check = shape;
        char kp[512];
        tcf_ptr_key(kp, sizeof kp, base, "path");
        tcf_check_vars(x, kp, s);
    }
    if (s && !tcf_valid_path(check, min_depth)) {
        char kp[512];
        tcf_ptr_key(kp, sizeof kp, base, "path");
        tcf_report(x, kp, false, "'%s' %s", s,
                   min_depth >= 3 ? "is not the path of a resource (/object/instance/resource"
                                    "[/resource-instance])"
                   : min_depth >= 1 ? "is not an LwM2M path (expected /object/instance/resource"
                                      "[/resource-instance])"
                                    : "is not an LwM2M path (expected /object[/instance[/resource"
                                      "[/resource-instance]]], ids 0..65535)");
    }
    return s;
}
