#include "tc/loader.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/linkformat.h"
#include "lwm2m/path.h"
#include "tc/jsonpos.h"
#include "tc/vars.h"

/* ------------------------------------------------------------------------------------ */
/* Diagnostics                                                                          */

void tc_diags_init(tc_diags *d)
{
    d->items = NULL;
    d->count = d->cap = 0;
}

void tc_diags_free(tc_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->count; i++) {
        free(d->items[i].file);
        free(d->items[i].json_path);
        free(d->items[i].message);
    }
    free(d->items);
    tc_diags_init(d);
}

static int diags_add_v(tc_diags *d, const char *file, int line, int column,
                       const char *json_path, const char *fmt, va_list ap)
{
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        tc_diag *items = realloc(d->items, cap * sizeof *items);
        if (!items)
            return LC_ENOMEM;
        d->items = items;
        d->cap = cap;
    }
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    tc_diag *e = &d->items[d->count];
    e->file = strdup(file ? file : "");
    e->json_path = json_path ? strdup(json_path) : NULL;
    e->message = strdup(msg);
    e->line = line;
    e->column = column;
    if (!e->file || !e->message || (json_path && !e->json_path)) {
        free(e->file);
        free(e->json_path);
        free(e->message);
        return LC_ENOMEM;
    }
    d->count++;
    return 0;
}

int tc_diags_add(tc_diags *d, const char *file, int line, int column, const char *json_path,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = diags_add_v(d, file, line, column, json_path, fmt, ap);
    va_end(ap);
    return rc;
}

int tc_diag_format(const tc_diag *d, char *buf, size_t cap)
{
    char pos[48] = "";
    if (d->line > 0)
        snprintf(pos, sizeof pos, ":%d:%d", d->line, d->column);
    bool has_path = d->json_path && d->json_path[0];
    return snprintf(buf, cap, "%s%s: %s%s%s", d->file ? d->file : "", pos,
                    has_path ? d->json_path : "", has_path ? ": " : "", d->message);
}

/* Moves src's entries to the end of dst (src is left empty). */
static int diags_move(tc_diags *dst, tc_diags *src)
{
    int rc = 0;
    for (size_t i = 0; i < src->count && dst; i++) {
        const tc_diag *e = &src->items[i];
        if (rc == 0)
            rc = tc_diags_add(dst, e->file, e->line, e->column, e->json_path, "%s", e->message);
    }
    tc_diags_free(src);
    return rc;
}

static int diag_cmp(const void *a, const void *b)
{
    const tc_diag *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->column != y->column)
        return x->column < y->column ? -1 : 1;
    return 0;
}

/* Stable sort by position: insertion sort keeps equal positions in report order. */
static void diags_sort(tc_diags *d)
{
    for (size_t i = 1; i < d->count; i++) {
        tc_diag t = d->items[i];
        size_t j = i;
        while (j > 0 && diag_cmp(&d->items[j - 1], &t) > 0) {
            d->items[j] = d->items[j - 1];
            j--;
        }
        d->items[j] = t;
    }
}

/* The first problem plus a count of the rest, for callers that show one message. */
static int diags_to_error(const tc_diags *d, size_t first, lc_error *err, int code,
                          const char *prefix)
{
    if (!err || first >= d->count)
        return code;
    char one[1024];
    tc_diag_format(&d->items[first], one, sizeof one);
    size_t more = d->count - first - 1;
    if (more)
        return lc_error_set(err, code, "%s%s (and %zu more problem%s)", prefix, one, more,
                            more == 1 ? "" : "s");
    return lc_error_set(err, code, "%s%s", prefix, one);
}

/* ------------------------------------------------------------------------------------ */
/* Tables                                                                               */

static const struct {
    const char *name;
    int cf;
} content_formats[] = {
    {"text", 0},         {"link", 40},        {"opaque", 42},    {"cbor", 60},
    {"senml-json", 110}, {"senml-cbor", 112}, {"tlv", 11542},    {"json", 11543},
};
#define CF_NAMES "text, link, opaque, cbor, senml-json, senml-cbor, tlv, json, or a number"

int tc_content_format_from_name(const char *name)
{
    if (!name || !*name)
        return -1;
    for (size_t i = 0; i < sizeof content_formats / sizeof content_formats[0]; i++)
        if (strcmp(content_formats[i].name, name) == 0)
            return content_formats[i].cf;
    char *end;
    long v = strtol(name, &end, 10);
    if (*end == '\0' && name[0] >= '0' && name[0] <= '9' && v <= 65535)
        return (int)v;
    return -1;
}

static const char *const features[] = {"multi-server", "bootstrap", "access-control",
                                       "observe", "lwm2m-1.1", NULL};

static const char *const value_types[] = {"string",  "integer", "float", "boolean",
                                          "opaque",  "time",    "objlnk", NULL};

static const char *const links_modes[] = {"exact", "contains", "excludes", NULL};

static const char *const keys_top[] = {
    "$schema",       "id",          "title",         "spec_ref", "object",
    "area",          "description", "configuration", "preconditions",
    "depends_on",    "requires",    "device_reset",  "steps",    "pass_criteria",
    "comment",       NULL};
static const char *const keys_step[] = {"step",    "text",           "server",  "op",
                                        "path",    "attributes",     "values",  "content_format",
                                        "accept",  "payload",        "timeout", "duration",
                                        "comment", NULL};
static const char *const keys_write_value[] = {"path", "type", "value", NULL};
static const char *const keys_criterion[] = {"criterion", "step", "text", "expect", "comment",
                                             NULL};
static const char *const keys_expect[] = {"code",   "content_format", "registration",
                                          "links",  "values",         "answered",
                                          "no_response", NULL};
static const char *const keys_registration[] = {"ep",    "lt",
                                                "b",     "lwm2m",
                                                "objects_present", "objects_absent", NULL};
static const char *const keys_links[] = {"mode", "value", "ignore_attributes", NULL};
static const char *const keys_value_expect[] = {"path", "equals", "absent", NULL};

static bool in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static void join_list(const char *const *list, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; list[i] && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", list[i]);
}

/* Which step keys an operation takes. */
enum { K_FORBIDDEN, K_OPTIONAL, K_REQUIRED };
typedef struct op_rules {
    unsigned char path, attributes, values, content_format, accept, payload, duration;
} op_rules;

static op_rules rules_for(tc_op op)
{
    op_rules r = {K_FORBIDDEN, K_FORBIDDEN, K_FORBIDDEN, K_FORBIDDEN,
                  K_FORBIDDEN, K_FORBIDDEN, K_FORBIDDEN};
    switch (op) {
    case TC_OP_READ:
    case TC_OP_OBSERVE:
    case TC_OP_DISCOVER:
    case TC_OP_BOOTSTRAP_READ:
        r.path = K_REQUIRED;
        r.accept = K_OPTIONAL;
        break;
    case TC_OP_BOOTSTRAP_DISCOVER:
        r.path = K_OPTIONAL;
        r.accept = K_OPTIONAL;
        break;
    case TC_OP_WRITE:
    case TC_OP_WRITE_PARTIAL:
    case TC_OP_CREATE:
        r.path = K_REQUIRED;
        r.values = K_OPTIONAL;
        r.content_format = K_OPTIONAL;
        r.payload = K_OPTIONAL;
        break;
    case TC_OP_BOOTSTRAP_WRITE:
        /* without a path: every instance of the configuration; with an instance path and
         * no values: that instance of the configuration */
        r.path = K_OPTIONAL;
        r.values = K_OPTIONAL;
        r.content_format = K_OPTIONAL;
        r.payload = K_OPTIONAL;
        break;
    case TC_OP_EXECUTE:
        r.path = K_REQUIRED;
        r.content_format = K_OPTIONAL;
        r.payload = K_OPTIONAL;
        break;
    case TC_OP_DELETE:
    case TC_OP_CANCEL_OBSERVE:
        r.path = K_REQUIRED;
        break;
    case TC_OP_EXPECT_NOTIFICATION:
        r.path = K_REQUIRED;
        r.duration = K_OPTIONAL;
        break;
    case TC_OP_WRITE_ATTRIBUTES:
        r.path = K_REQUIRED;
        r.attributes = K_REQUIRED;
        break;
    case TC_OP_BOOTSTRAP_DELETE:
        r.path = K_OPTIONAL;
        break;
    case TC_OP_WAIT:
        r.duration = K_REQUIRED;
        break;
    default: /* expect-register/update/deregister, expect-bootstrap-request,
                bootstrap-finish, bootstrap-provision: nothing to address */
        break;
    }
    return r;
}

/* ------------------------------------------------------------------------------------ */
/* Loading context and reporting                                                        */

typedef struct lctx {
    const char *file;
    const char *text;
    size_t len;
    tc_diags diags; /* this file's problems */
    bool oom;
    bool lwm2m11;   /* the case requires "lwm2m-1.1" */
} lctx;

/* Reports a problem with the value at ptr (at its key when at_key). A missing value is
 * reported at the nearest enclosing value that exists. */
static void report(lctx *x, const char *ptr, bool at_key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void report(lctx *x, const char *ptr, bool at_key, const char *fmt, ...)
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
    if (diags_add_v(&x->diags, x->file, line, col, ptr, fmt, ap) != 0)
        x->oom = true;
    va_end(ap);
}

static void pos_of(const lctx *x, const char *ptr, int *line, int *column)
{
    jsonpos pos;
    jsonpos_find(x->text, x->len, ptr, &pos);
    *line = pos.line;
    *column = pos.column;
}

/* base + "/" + key, with '~' and '/' escaped as RFC 6901 asks. */
static void ptr_key(char *out, size_t cap, const char *base, const char *key)
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

static void ptr_idx(char *out, size_t cap, const char *base, size_t idx)
{
    /* Pointers are far shorter than cap; a truncated one would only blur a message. */
    if (snprintf(out, cap, "%s/%zu", base, idx) < 0)
        out[0] = '\0';
}

static char *xstrdup(lctx *x, const char *s)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        x->oom = true;
    return d;
}

static void *xcalloc(lctx *x, size_t n, size_t size)
{
    if (n == 0)
        return NULL;
    void *p = calloc(n, size);
    if (!p)
        x->oom = true;
    return p;
}

static const char *jtype(const json_t *v)
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

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] == b[j - 1] ? 0 : 1);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

static const char *suggest(const char *const *list, const char *s)
{
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t i = 0; list[i]; i++) {
        size_t d = edit_distance(list[i], s);
        if (d < bestd && d < strlen(list[i])) {
            bestd = d;
            best = list[i];
        }
    }
    return best;
}

/* Typos must not pass silently: every key of obj must be one the format knows. */
static void check_keys(lctx *x, const json_t *obj, const char *base, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        (void)v;
        if (in_list(allowed, key))
            continue;
        char ptr[512];
        ptr_key(ptr, sizeof ptr, base, key);
        const char *s = suggest(allowed, key);
        if (s) {
            report(x, ptr, true, "unknown key '%s' (did you mean '%s'?)", key, s);
        } else {
            char all[512];
            join_list(allowed, all, sizeof all);
            report(x, ptr, true, "unknown key '%s' (allowed here: %s)", key, all);
        }
    }
}

/* The member key of obj, or NULL. Reports a missing required key at obj. */
static json_t *member(lctx *x, const json_t *obj, const char *base, const char *key,
                      bool required)
{
    json_t *v = json_object_get(obj, key);
    if (!v && required) {
        char ptr[512];
        ptr_key(ptr, sizeof ptr, base, key);
        report(x, ptr, false, "missing required key '%s'", key);
    }
    return v;
}

/* A string member, copied; NULL when absent or wrong (reported). */
static char *take_string(lctx *x, const json_t *obj, const char *base, const char *key,
                         bool required)
{
    json_t *v = member(x, obj, base, key, required);
    if (!v)
        return NULL;
    char ptr[512];
    ptr_key(ptr, sizeof ptr, base, key);
    if (!json_is_string(v)) {
        report(x, ptr, false, "'%s' must be a string, not %s", key, jtype(v));
        return NULL;
    }
    if (required && json_string_length(v) == 0) {
        report(x, ptr, false, "'%s' must not be empty", key);
        return NULL;
    }
    return xstrdup(x, json_string_value(v));
}

/* Reports unknown variables and unterminated "${" in s (the value at ptr). */
static void check_vars(lctx *x, const char *ptr, const char *s)
{
    char bad[256];
    int rc = tc_vars_check(s, bad, sizeof bad);
    if (rc == LC_ENOTFOUND)
        report(x, ptr, false, "unknown variable %s (known: %s)", bad, tc_vars_known());
    else if (rc != 0)
        report(x, ptr, false, "'${' without its closing '}' in \"%s\"", bad);
}

/* An integer in [min, max]; false (reported) otherwise. */
static bool take_int(lctx *x, const json_t *v, const char *ptr, const char *what, json_int_t min,
                     json_int_t max, json_int_t *out)
{
    if (!json_is_integer(v)) {
        report(x, ptr, false, "%s must be an integer, not %s", what, jtype(v));
        return false;
    }
    json_int_t n = json_integer_value(v);
    if (n < min || n > max) {
        report(x, ptr, false, "%s must be between %lld and %lld, not %lld", what,
               (long long)min, (long long)max, (long long)n);
        return false;
    }
    *out = n;
    return true;
}

/* Seconds (integer or fraction) -> milliseconds. */
static bool take_seconds(lctx *x, const json_t *v, const char *ptr, const char *key,
                         bool allow_zero, int64_t *ms)
{
    if (!json_is_number(v)) {
        report(x, ptr, false, "'%s' must be a number of seconds, not %s", key, jtype(v));
        return false;
    }
    double s = json_number_value(v);
    if (!isfinite(s) || s < 0 || (!allow_zero && s == 0) || s > 86400.0 * 365) {
        report(x, ptr, false, "'%s' must be %s number of seconds, not %g", key,
               allow_zero ? "a non-negative" : "a positive", s);
        return false;
    }
    *ms = (int64_t)llround(s * 1000.0);
    return true;
}

/* A scalar as the text the runner sends or compares: strings as they are, integers in
 * decimal, other numbers with up to 15 significant digits, booleans as true/false. */
static char *scalar_text(lctx *x, const json_t *v)
{
    char buf[64];
    switch (json_typeof(v)) {
    case JSON_STRING: return xstrdup(x, json_string_value(v));
    case JSON_INTEGER:
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
        return xstrdup(x, buf);
    case JSON_REAL: snprintf(buf, sizeof buf, "%.15g", json_real_value(v)); return xstrdup(x, buf);
    case JSON_TRUE: return xstrdup(x, "true");
    case JSON_FALSE: return xstrdup(x, "false");
    default: return NULL;
    }
}

/* A content format given by name or number; -1 (reported) when unknown. */
static int take_content_format(lctx *x, const json_t *v, const char *ptr, const char *key)
{
    if (json_is_integer(v)) {
        json_int_t n = json_integer_value(v);
        if (n < 0 || n > 65535) {
            report(x, ptr, false, "'%s' %lld is not a CoAP Content-Format (0..65535)", key,
                   (long long)n);
            return -1;
        }
        return (int)n;
    }
    if (json_is_string(v)) {
        int cf = tc_content_format_from_name(json_string_value(v));
        if (cf < 0)
            report(x, ptr, false, "unknown content format '%s' (expected one of: " CF_NAMES ")",
                   json_string_value(v));
        return cf;
    }
    report(x, ptr, false, "'%s' must be a content-format name or number, not %s", key,
           jtype(v));
    return -1;
}

/* An array of non-empty strings; count 0 and NULL when absent or wrong. pos (may be NULL)
 * receives each entry's position. */
static char **take_string_array(lctx *x, const json_t *obj, const char *base, const char *key,
                                size_t *count, tc_pos **pos)
{
    *count = 0;
    if (pos)
        *pos = NULL;
    json_t *v = json_object_get(obj, key);
    if (!v)
        return NULL;
    char ptr[512];
    ptr_key(ptr, sizeof ptr, base, key);
    if (!json_is_array(v)) {
        report(x, ptr, false, "'%s' must be an array of strings, not %s", key, jtype(v));
        return NULL;
    }
    size_t n = json_array_size(v);
    char **out = xcalloc(x, n, sizeof *out);
    tc_pos *p = pos ? xcalloc(x, n, sizeof *p) : NULL;
    if (n && (!out || (pos && !p))) {
        free(out);
        free(p);
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(v, i);
        char ep[512];
        ptr_idx(ep, sizeof ep, ptr, i);
        if (!json_is_string(e) || json_string_length(e) == 0) {
            report(x, ep, false, "each entry of '%s' must be a non-empty string, not %s", key,
                   json_is_string(e) ? "an empty string" : jtype(e));
            continue;
        }
        out[k] = xstrdup(x, json_string_value(e));
        if (p)
            pos_of(x, ep, &p[k].line, &p[k].column);
        k++;
    }
    *count = k;
    if (pos)
        *pos = p;
    return out;
}

static bool valid_path(const char *s, int min_depth)
{
    lwm2m_path p;
    return s && s[0] == '/' && lwm2m_path_parse(s, &p) == 0 && p.depth >= min_depth;
}

/* ------------------------------------------------------------------------------------ */
/* Steps                                                                                */

static bool is_signed_int_text(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* The value of a write must be encodable as its type; variables are checked later, when
 * the runner expands them. */
static void check_typed_value(lctx *x, const char *ptr, const char *type, const json_t *v)
{
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    if (s && strstr(s, "${"))
        return;
    bool ok = true;
    if (strcmp(type, "integer") == 0 || strcmp(type, "time") == 0) {
        ok = json_is_integer(v) || (s && is_signed_int_text(s));
    } else if (strcmp(type, "float") == 0) {
        ok = json_is_number(v);
        if (!ok && s && *s) {
            char *end;
            double d = strtod(s, &end);
            ok = *end == '\0' && isfinite(d);
        }
    } else if (strcmp(type, "boolean") == 0) {
        ok = json_is_boolean(v) || (s && (!strcmp(s, "true") || !strcmp(s, "false")));
    } else if (strcmp(type, "objlnk") == 0) {
        unsigned a, b;
        char tail;
        ok = s && sscanf(s, "%u:%u%c", &a, &b, &tail) == 2 && a <= 65535 && b <= 65535;
    } else if (strcmp(type, "opaque") == 0) {
        ok = s != NULL;
    } else { /* string */
        ok = s != NULL || json_is_number(v);
    }
    if (!ok)
        report(x, ptr, false, "value %s%s%s does not fit type '%s'%s", s ? "\"" : "",
               s ? s : jtype(v), s ? "\"" : "", type,
               strcmp(type, "objlnk") == 0 ? " (expected \"object:instance\", e.g. \"1:0\")"
               : strcmp(type, "opaque") == 0 ? " (expected a Base64 string)"
                                              : "");
}

static void load_write_values(lctx *x, const json_t *arr, const char *ptr, tc_step *st)
{
    if (!json_is_array(arr)) {
        report(x, ptr, false, "'values' must be an array of {\"path\", \"type\", \"value\"}, "
                              "not %s",
               jtype(arr));
        return;
    }
    size_t n = json_array_size(arr);
    st->values = xcalloc(x, n, sizeof *st->values);
    if (n && !st->values)
        return;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(arr, i);
        char ep[512], kp[512];
        ptr_idx(ep, sizeof ep, ptr, i);
        if (!json_is_object(e)) {
            report(x, ep, false, "each value must be an object {\"path\", \"type\", \"value\"}, "
                                 "not %s",
                   jtype(e));
            continue;
        }
        check_keys(x, e, ep, keys_write_value);
        tc_write_value *wv = &st->values[st->value_count++];
        wv->path = take_string(x, e, ep, "path", true);
        if (wv->path && !valid_path(wv->path, 3)) {
            ptr_key(kp, sizeof kp, ep, "path");
            report(x, kp, false,
                   "'%s' is not the path of a resource (/object/instance/resource"
                   "[/resource-instance])",
                   wv->path);
        }
        wv->type = take_string(x, e, ep, "type", true);
        if (wv->type && !in_list(value_types, wv->type)) {
            char all[256];
            join_list(value_types, all, sizeof all);
            ptr_key(kp, sizeof kp, ep, "type");
            report(x, kp, false, "unknown type '%s' (expected one of: %s)", wv->type, all);
            free(wv->type);
            wv->type = NULL;
        }
        json_t *v = member(x, e, ep, "value", true);
        if (!v)
            continue;
        ptr_key(kp, sizeof kp, ep, "value");
        if (!json_is_string(v) && !json_is_number(v) && !json_is_boolean(v)) {
            report(x, kp, false, "'value' must be a string, number or boolean, not %s",
                   jtype(v));
            continue;
        }
        wv->value = scalar_text(x, v);
        check_vars(x, kp, wv->value);
        if (wv->type)
            check_typed_value(x, kp, wv->type, v);
    }
}

static void load_attributes(lctx *x, const json_t *obj, const char *ptr, tc_step *st)
{
    static const char *const attrs10[] = {"pmin", "pmax", "gt", "lt", "st", NULL};
    static const char *const attrs_all[] = {"pmin", "pmax", "gt", "lt", "st", "epmin", "epmax",
                                            NULL};
    if (!json_is_object(obj)) {
        report(x, ptr, false, "'attributes' must be an object such as {\"pmin\": 2, \"pmax\": "
                              "10}, not %s",
               jtype(obj));
        return;
    }
    size_t n = json_object_size(obj);
    st->attributes = xcalloc(x, n, sizeof *st->attributes);
    if (n && !st->attributes)
        return;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        char kp[512];
        ptr_key(kp, sizeof kp, ptr, key);
        if (!in_list(attrs_all, key)) {
            const char *s = suggest(attrs_all, key);
            report(x, kp, true,
                   "unknown attribute '%s'%s%s%s (LwM2M 1.0: pmin, pmax, gt, lt, st; 1.1 adds "
                   "epmin, epmax)",
                   key, s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
            continue;
        }
        if (!in_list(attrs10, key) && !x->lwm2m11) {
            report(x, kp, true,
                   "'%s' is an LwM2M 1.1 attribute: add \"lwm2m-1.1\" to \"requires\"", key);
            continue;
        }
        bool integral = !strcmp(key, "pmin") || !strcmp(key, "pmax") || !strcmp(key, "epmin") ||
                        !strcmp(key, "epmax");
        char *text = NULL;
        if (json_is_null(v)) {
            text = NULL; /* a flag or "clear this attribute" */
        } else if (json_is_number(v)) {
            if (integral && (!json_is_integer(v) || json_integer_value(v) < 0)) {
                report(x, kp, false,
                       "'%s' is a whole number of seconds >= 0 (write it as a string to send "
                       "it anyway)",
                       key);
                continue;
            }
            text = scalar_text(x, v);
            if (!text)
                continue;
        } else if (json_is_string(v)) {
            check_vars(x, kp, json_string_value(v));
            text = xstrdup(x, json_string_value(v));
            if (!text)
                continue;
        } else {
            report(x, kp, false, "attribute '%s' must be a number, a string or null, not %s",
                   key, jtype(v));
            continue;
        }
        tc_kv *kv = &st->attributes[st->attribute_count++];
        kv->name = xstrdup(x, key);
        kv->value = text;
    }
}

static void forbid(lctx *x, const json_t *obj, const char *base, const char *key, bool allowed,
                   const char *opname)
{
    if (allowed || !json_object_get(obj, key))
        return;
    char ptr[512];
    ptr_key(ptr, sizeof ptr, base, key);
    report(x, ptr, true, "'%s' has no meaning for operation '%s'", key, opname);
}

static void load_step(lctx *x, const json_t *obj, const char *base, tc_step *st)
{
    char ptr[512];
    st->server = TC_SERVER_NONE;
    st->content_format = -1;
    st->accept = -1;
    st->op = TC_OP__COUNT; /* unknown until read */
    pos_of(x, base, &st->line, &st->column);
    check_keys(x, obj, base, keys_step);

    json_t *v = member(x, obj, base, "step", true);
    json_int_t n;
    ptr_key(ptr, sizeof ptr, base, "step");
    if (v && take_int(x, v, ptr, "'step'", 1, 9999, &n))
        st->number = (int)n;
    st->text = take_string(x, obj, base, "text", true);

    int op = -1;
    v = member(x, obj, base, "op", true);
    ptr_key(ptr, sizeof ptr, base, "op");
    if (v && !json_is_string(v)) {
        report(x, ptr, false, "'op' must be a string, not %s", jtype(v));
    } else if (v) {
        op = tc_op_from_name(json_string_value(v));
        if (op < 0) {
            char all[600] = "";
            size_t k = 0;
            for (int i = 0; i < TC_OP__COUNT; i++)
                k += (size_t)snprintf(all + k, sizeof all - k, "%s%s", i ? ", " : "",
                                      tc_op_name((tc_op)i));
            const char *s = NULL;
            size_t bestd = 3;
            for (int i = 0; i < TC_OP__COUNT; i++) {
                size_t d = edit_distance(tc_op_name((tc_op)i), json_string_value(v));
                if (d < bestd) {
                    bestd = d;
                    s = tc_op_name((tc_op)i);
                }
            }
            if (s)
                report(x, ptr, false, "unknown operation '%s' (did you mean '%s'? expected "
                                      "one of: %s)",
                       json_string_value(v), s, all);
            else
                report(x, ptr, false, "unknown operation '%s' (expected one of: %s)",
                       json_string_value(v), all);
        } else {
            st->op = (tc_op)op;
        }
    }

    /* server */
    v = json_object_get(obj, "server");
    ptr_key(ptr, sizeof ptr, base, "server");
    if (!v) {
        if (op >= 0 && op != TC_OP_WAIT)
            report(x, ptr, false,
                   "missing required key 'server' (the acting server: a Short Server ID such "
                   "as 1, or \"bootstrap\")");
    } else if (json_is_string(v) && strcmp(json_string_value(v), "bootstrap") == 0) {
        st->server = TC_SERVER_BOOTSTRAP;
        if (op >= 0 && op != TC_OP_WAIT && !tc_op_is_bootstrap((tc_op)op))
            report(x, ptr, false,
                   "operation '%s' is not a bootstrap operation: 'server' must be a Short "
                   "Server ID such as 1",
                   tc_op_name((tc_op)op));
    } else if (json_is_integer(v) && json_integer_value(v) >= 1 &&
               json_integer_value(v) <= 65534) {
        st->server = (int)json_integer_value(v);
        if (op >= 0 && tc_op_is_bootstrap((tc_op)op))
            report(x, ptr, false,
                   "operation '%s' is performed by the bootstrap server: 'server' must be "
                   "\"bootstrap\"",
                   tc_op_name((tc_op)op));
    } else {
        char shown[64];
        if (json_is_string(v))
            snprintf(shown, sizeof shown, "\"%.50s\"", json_string_value(v));
        else if (json_is_integer(v))
            snprintf(shown, sizeof shown, "%lld", (long long)json_integer_value(v));
        else
            snprintf(shown, sizeof shown, "%s", jtype(v));
        report(x, ptr, false,
               "'server' must be a positive integer (a Short Server ID, 1..65534) or "
               "\"bootstrap\", not %s",
               shown);
    }

    op_rules r = op >= 0 ? rules_for((tc_op)op)
                         : (op_rules){K_OPTIONAL, K_OPTIONAL, K_OPTIONAL, K_OPTIONAL,
                                      K_OPTIONAL, K_OPTIONAL, K_OPTIONAL};
    const char *opname = op >= 0 ? tc_op_name((tc_op)op) : "?";
    forbid(x, obj, base, "path", r.path != K_FORBIDDEN, opname);
    forbid(x, obj, base, "attributes", r.attributes != K_FORBIDDEN, opname);
    forbid(x, obj, base, "values", r.values != K_FORBIDDEN, opname);
    forbid(x, obj, base, "content_format", r.content_format != K_FORBIDDEN, opname);
    forbid(x, obj, base, "accept", r.accept != K_FORBIDDEN, opname);
    forbid(x, obj, base, "payload", r.payload != K_FORBIDDEN, opname);
    forbid(x, obj, base, "duration", r.duration != K_FORBIDDEN, opname);
    forbid(x, obj, base, "timeout", op != TC_OP_WAIT, opname);

    if (r.path != K_FORBIDDEN) {
        st->path = take_string(x, obj, base, "path", r.path == K_REQUIRED);
        ptr_key(ptr, sizeof ptr, base, "path");
        if (st->path && !valid_path(st->path, 0)) {
            report(x, ptr, false,
                   "'%s' is not an LwM2M path (expected /object[/instance[/resource"
                   "[/resource-instance]]], ids 0..65535)",
                   st->path);
        }
    }
    if (r.attributes != K_FORBIDDEN) {
        v = member(x, obj, base, "attributes", r.attributes == K_REQUIRED);
        ptr_key(ptr, sizeof ptr, base, "attributes");
        if (v)
            load_attributes(x, v, ptr, st);
    }
    if (r.values != K_FORBIDDEN && (v = json_object_get(obj, "values"))) {
        ptr_key(ptr, sizeof ptr, base, "values");
        load_write_values(x, v, ptr, st);
        if (json_object_get(obj, "payload"))
            report(x, ptr, true, "give either 'values' or 'payload', not both");
    }
    if (r.content_format != K_FORBIDDEN && (v = json_object_get(obj, "content_format"))) {
        ptr_key(ptr, sizeof ptr, base, "content_format");
        st->content_format = take_content_format(x, v, ptr, "content_format");
    }
    if (r.accept != K_FORBIDDEN && (v = json_object_get(obj, "accept"))) {
        ptr_key(ptr, sizeof ptr, base, "accept");
        st->accept = take_content_format(x, v, ptr, "accept");
    }
    if (r.payload != K_FORBIDDEN) {
        st->payload = take_string(x, obj, base, "payload", false);
        ptr_key(ptr, sizeof ptr, base, "payload");
        check_vars(x, ptr, st->payload);
    }
    if (r.duration != K_FORBIDDEN) {
        v = member(x, obj, base, "duration", r.duration == K_REQUIRED);
        ptr_key(ptr, sizeof ptr, base, "duration");
        if (v)
            take_seconds(x, v, ptr, "duration", op != TC_OP_WAIT, &st->wait_ms);
    }
    if (op == TC_OP_BOOTSTRAP_WRITE && !st->path &&
        (json_object_get(obj, "values") || json_object_get(obj, "payload")))
        report(x, base, false, "a bootstrap-write with 'values' or 'payload' needs the 'path' "
                               "of the object instance it writes (without both, it writes every "
                               "instance of the configuration)");
    if (op != TC_OP_WAIT && (v = json_object_get(obj, "timeout"))) {
        ptr_key(ptr, sizeof ptr, base, "timeout");
        take_seconds(x, v, ptr, "timeout", false, &st->timeout_ms);
    }
    v = json_object_get(obj, "comment");
    if (v && !json_is_string(v)) {
        ptr_key(ptr, sizeof ptr, base, "comment");
        report(x, ptr, false, "'comment' must be a string, not %s", jtype(v));
    }
}

/* ------------------------------------------------------------------------------------ */
/* Pass criteria                                                                        */

static bool valid_code(const char *s)
{
    /* class.detail: class 0..7, detail 00..31, as CoAP codes are written. */
    if (strlen(s) != 4 || s[0] < '0' || s[0] > '7' || s[1] != '.' || s[2] < '0' || s[2] > '3' ||
        s[3] < '0' || s[3] > '9')
        return false;
    return (s[2] - '0') * 10 + (s[3] - '0') <= 31;
}

static tc_check *add_check(lctx *x, tc_criterion *cr, tc_check_kind kind, const char *ptr)
{
    tc_check *ck = &cr->checks[cr->check_count++];
    memset(ck, 0, sizeof *ck);
    ck->kind = kind;
    ck->content_format = -1;
    pos_of(x, ptr, &ck->line, &ck->column);
    return ck;
}

/* "ep", "lt", "b", "lwm2m": true (must be present) or a value to compare. */
static void reg_field(lctx *x, const json_t *reg, const char *base, const char *key,
                      char **out, bool *present, bool integer_ok)
{
    json_t *v = json_object_get(reg, key);
    if (!v)
        return;
    char ptr[512];
    ptr_key(ptr, sizeof ptr, base, key);
    if (json_is_true(v) || (json_is_string(v) && strcmp(json_string_value(v), "*") == 0)) {
        *present = true;
        *out = xstrdup(x, "*");
    } else if (json_is_string(v) && json_string_length(v) > 0) {
        check_vars(x, ptr, json_string_value(v));
        *out = xstrdup(x, json_string_value(v));
    } else if (integer_ok && json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = scalar_text(x, v);
    } else {
        report(x, ptr, false,
               "'%s' must be true (the parameter must be present) or %s to compare, not %s", key,
               integer_ok ? "a string or a non-negative integer" : "a non-empty string",
               json_is_string(v) ? "an empty string" : jtype(v));
    }
}

static int *object_ids(lctx *x, const json_t *reg, const char *base, const char *key,
                       size_t *count)
{
    *count = 0;
    json_t *v = json_object_get(reg, key);
    if (!v)
        return NULL;
    char ptr[512];
    ptr_key(ptr, sizeof ptr, base, key);
    if (!json_is_array(v)) {
        report(x, ptr, false, "'%s' must be an array of object ids such as [1, 3], not %s", key,
               jtype(v));
        return NULL;
    }
    size_t n = json_array_size(v);
    int *ids = xcalloc(x, n, sizeof *ids);
    if (n && !ids)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char ep[512];
        ptr_idx(ep, sizeof ep, ptr, i);
        json_int_t id;
        if (take_int(x, json_array_get(v, i), ep, "an object id", 0, 65535, &id))
            ids[(*count)++] = (int)id;
    }
    return ids;
}

static void load_registration(lctx *x, const json_t *reg, const char *ptr, tc_check *ck)
{
    check_keys(x, reg, ptr, keys_registration);
    reg_field(x, reg, ptr, "ep", &ck->reg_endpoint_name, &ck->reg_endpoint_present, false);
    reg_field(x, reg, ptr, "lt", &ck->reg_lifetime, &ck->reg_lifetime_present, true);
    reg_field(x, reg, ptr, "b", &ck->reg_binding, &ck->reg_binding_present, false);
    reg_field(x, reg, ptr, "lwm2m", &ck->reg_lwm2m_version, &ck->reg_lwm2m_present, false);
    ck->reg_objects_present =
        object_ids(x, reg, ptr, "objects_present", &ck->reg_objects_present_count);
    ck->reg_objects_absent = object_ids(x, reg, ptr, "objects_absent", &ck->reg_objects_absent_count);
    for (size_t i = 0; i < ck->reg_objects_present_count; i++)
        for (size_t j = 0; j < ck->reg_objects_absent_count; j++)
            if (ck->reg_objects_present[i] == ck->reg_objects_absent[j]) {
                char p[512];
                ptr_key(p, sizeof p, ptr, "objects_absent");
                report(x, p, false, "object %d cannot be both present and absent",
                       ck->reg_objects_absent[j]);
            }
    if (json_object_size(reg) == 0)
        report(x, ptr, false, "empty registration check: name at least one of ep, lt, b, "
                              "lwm2m, objects_present, objects_absent");
}

static void load_links(lctx *x, const json_t *links, const char *ptr, tc_check *ck)
{
    char kp[512];
    check_keys(x, links, ptr, keys_links);
    json_t *m = member(x, links, ptr, "mode", true);
    ptr_key(kp, sizeof kp, ptr, "mode");
    if (m && !json_is_string(m)) {
        report(x, kp, false, "'mode' must be a string (exact, contains or excludes), not %s",
               jtype(m));
    } else if (m) {
        const char *s = json_string_value(m);
        if (!strcmp(s, "exact"))
            ck->links_mode = TC_LINKS_EXACT;
        else if (!strcmp(s, "contains"))
            ck->links_mode = TC_LINKS_CONTAINS;
        else if (!strcmp(s, "excludes"))
            ck->links_mode = TC_LINKS_EXCLUDES;
        else {
            const char *sug = suggest(links_modes, s);
            report(x, kp, false, "unknown links mode '%s'%s%s%s (expected one of: exact, "
                                 "contains, excludes)",
                   s, sug ? " (did you mean '" : "", sug ? sug : "", sug ? "'?)" : "");
        }
    }
    json_t *v = member(x, links, ptr, "value", true);
    ptr_key(kp, sizeof kp, ptr, "value");
    if (v && !json_is_string(v)) {
        report(x, kp, false, "'value' must be link-format text such as \"</3/0>;pmin=2,</3/0/0>\", "
                             "not %s",
               jtype(v));
    } else if (v) {
        ck->links = xstrdup(x, json_string_value(v));
        check_vars(x, kp, ck->links);
        /* With variables the text is only known at run time; without, a typo is caught now
         * rather than as an ERROR in the middle of a run. */
        if (ck->links && !strstr(ck->links, "${")) {
            lf_set set;
            lc_error lerr = {0};
            if (linkformat_parse(ck->links, strlen(ck->links), &set, &lerr) == 0)
                linkformat_free(&set);
            else
                report(x, kp, false, "'value' is not valid link format: %s", lerr.msg);
        }
    }
    json_t *ig = json_object_get(links, "ignore_attributes");
    ptr_key(kp, sizeof kp, ptr, "ignore_attributes");
    if (!ig) {
        /* LwM2M 1.1 clients add dim= to multi-instance resources; tolerated unless named. */
        ck->ignore_attributes = xcalloc(x, 1, sizeof *ck->ignore_attributes);
        if (ck->ignore_attributes) {
            ck->ignore_attributes[0] = xstrdup(x, "dim");
            ck->ignore_attribute_count = ck->ignore_attributes[0] ? 1 : 0;
        }
    } else if (!json_is_array(ig)) {
        report(x, kp, false, "'ignore_attributes' must be an array of attribute names, not %s",
               jtype(ig));
    } else {
        size_t n;
        ck->ignore_attributes = take_string_array(x, links, ptr, "ignore_attributes", &n, NULL);
        ck->ignore_attribute_count = n;
        if (!ck->ignore_attributes) /* [] must stay distinguishable from "not loaded" */
            ck->ignore_attributes = xcalloc(x, 1, sizeof *ck->ignore_attributes);
    }
}

static void load_value_expects(lctx *x, const json_t *arr, const char *ptr, tc_check *ck)
{
    if (!json_is_array(arr)) {
        report(x, ptr, false,
               "'values' must be an array of {\"path\", \"equals\"} or {\"path\", \"absent\": "
               "true}, not %s",
               jtype(arr));
        return;
    }
    size_t n = json_array_size(arr);
    if (n == 0)
        report(x, ptr, false, "'values' is empty: list at least one path");
    ck->values = xcalloc(x, n, sizeof *ck->values);
    if (n && !ck->values)
        return;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(arr, i);
        char ep[512], kp[512];
        ptr_idx(ep, sizeof ep, ptr, i);
        if (!json_is_object(e)) {
            report(x, ep, false, "each expected value must be an object, not %s", jtype(e));
            continue;
        }
        check_keys(x, e, ep, keys_value_expect);
        tc_value_expect *ve = &ck->values[ck->value_count++];
        ve->path = take_string(x, e, ep, "path", true);
        if (ve->path && !valid_path(ve->path, 1)) {
            ptr_key(kp, sizeof kp, ep, "path");
            report(x, kp, false, "'%s' is not an LwM2M path (expected /object/instance/resource"
                                 "[/resource-instance])",
                   ve->path);
        }
        json_t *eq = json_object_get(e, "equals");
        json_t *ab = json_object_get(e, "absent");
        if (eq) {
            ptr_key(kp, sizeof kp, ep, "equals");
            if (!json_is_string(eq) && !json_is_number(eq) && !json_is_boolean(eq)) {
                report(x, kp, false, "'equals' must be a string, number or boolean, not %s",
                       jtype(eq));
            } else {
                ve->equals = scalar_text(x, eq);
                check_vars(x, kp, ve->equals);
            }
        }
        if (ab) {
            ptr_key(kp, sizeof kp, ep, "absent");
            if (!json_is_true(ab))
                report(x, kp, false, "'absent' can only be true (leave it out otherwise)");
            else if (eq)
                report(x, kp, true, "give either 'equals' or 'absent', not both");
            else
                ve->absent = true;
        }
    }
}

static void load_expect(lctx *x, const json_t *exp, const char *base, tc_criterion *cr,
                        const tc_step *step)
{
    char ptr[512];
    check_keys(x, exp, base, keys_expect);
    cr->checks = xcalloc(x, 7, sizeof *cr->checks);
    if (!cr->checks)
        return;
    size_t known = 0;
    json_t *v;
    /* Fixed order, whatever the file's: the code is judged first, as a reader expects. */
    if ((v = json_object_get(exp, "code"))) {
        known++;
        ptr_key(ptr, sizeof ptr, base, "code");
        if (!json_is_string(v))
            report(x, ptr, false, "'code' must be a string such as \"2.05\", not %s", jtype(v));
        else if (!valid_code(json_string_value(v)))
            report(x, ptr, false,
                   "bad response code '%s' (expected class.detail with two detail digits, "
                   "such as \"2.05\" or \"4.04\")",
                   json_string_value(v));
        else
            add_check(x, cr, TC_CHECK_CODE, ptr)->code = xstrdup(x, json_string_value(v));
    }
    if ((v = json_object_get(exp, "content_format"))) {
        known++;
        ptr_key(ptr, sizeof ptr, base, "content_format");
        int cf = take_content_format(x, v, ptr, "content_format");
        if (cf >= 0)
            add_check(x, cr, TC_CHECK_CONTENT_FORMAT, ptr)->content_format = cf;
    }
    if ((v = json_object_get(exp, "registration"))) {
        known++;
        ptr_key(ptr, sizeof ptr, base, "registration");
        if (!json_is_object(v)) {
            report(x, ptr, false, "'registration' must be an object, not %s", jtype(v));
        } else {
            if (step && (int)step->op < TC_OP__COUNT && step->op != TC_OP_EXPECT_REGISTER &&
                step->op != TC_OP_EXPECT_UPDATE)
                report(x, ptr, true,
                       "a registration check judges an expect-register or expect-update step; "
                       "step %d is '%s'",
                       step->number, tc_op_name(step->op));
            load_registration(x, v, ptr, add_check(x, cr, TC_CHECK_REGISTRATION, ptr));
        }
    }
    if ((v = json_object_get(exp, "links"))) {
        known++;
        ptr_key(ptr, sizeof ptr, base, "links");
        if (!json_is_object(v))
            report(x, ptr, false, "'links' must be an object {\"mode\", \"value\"}, not %s",
                   jtype(v));
        else
            load_links(x, v, ptr, add_check(x, cr, TC_CHECK_LINKS, ptr));
    }
    if ((v = json_object_get(exp, "values"))) {
        known++;
        ptr_key(ptr, sizeof ptr, base, "values");
        load_value_expects(x, v, ptr, add_check(x, cr, TC_CHECK_VALUES, ptr));
    }
    if ((v = json_object_get(exp, "answered"))) {
        known++;
        ptr_key(ptr, sizeof ptr, base, "answered");
        if (!json_is_true(v))
            report(x, ptr, false, "'answered' can only be true (leave it out otherwise)");
        else
            add_check(x, cr, TC_CHECK_ANSWERED, ptr);
    }
    if ((v = json_object_get(exp, "no_response"))) {
        ptr_key(ptr, sizeof ptr, base, "no_response");
        if (!json_is_true(v))
            report(x, ptr, false, "'no_response' can only be true (leave it out otherwise)");
        else if (known)
            report(x, ptr, true, "'no_response' cannot be combined with other checks");
        else
            add_check(x, cr, TC_CHECK_NO_RESPONSE, ptr);
        known++;
    }
    if (known == 0)
        report(x, base, false,
               "'expect' names no check (use one or more of: code, content_format, "
               "registration, links, values, answered, no_response)");
}

static const tc_step *find_step(const tc_case *c, int number)
{
    for (size_t i = 0; i < c->step_count; i++)
        if (c->steps[i].number == number)
            return &c->steps[i];
    return NULL;
}

static void load_criteria(lctx *x, const json_t *arr, tc_case *c)
{
    const char *base = "/pass_criteria";
    if (!json_is_array(arr)) {
        report(x, base, false, "'pass_criteria' must be an array of criteria, not %s",
               jtype(arr));
        return;
    }
    size_t n = json_array_size(arr);
    if (n == 0) {
        report(x, base, false, "'pass_criteria' is empty: a case needs at least criterion A");
        return;
    }
    c->criteria = xcalloc(x, n, sizeof *c->criteria);
    if (!c->criteria)
        return;
    char prev = 0; /* the last well-formed letter */
    for (size_t i = 0; i < n; i++) {
        json_t *obj = json_array_get(arr, i);
        char cb[512], ptr[512];
        ptr_idx(cb, sizeof cb, base, i);
        if (!json_is_object(obj)) {
            report(x, cb, false, "each criterion must be an object, not %s", jtype(obj));
            continue;
        }
        tc_criterion *cr = &c->criteria[c->criterion_count++];
        pos_of(x, cb, &cr->line, &cr->column);
        check_keys(x, obj, cb, keys_criterion);

        json_t *v = member(x, obj, cb, "criterion", true);
        ptr_key(ptr, sizeof ptr, cb, "criterion");
        if (v) {
            const char *s = json_is_string(v) ? json_string_value(v) : NULL;
            if (!s || strlen(s) != 1 || s[0] < 'A' || s[0] > 'Z') {
                report(x, ptr, false,
                       "'criterion' must be one capital letter as in the spec ('A', 'B', …), "
                       "not %s%s%s",
                       s ? "'" : "", s ? s : jtype(v), s ? "'" : "");
            } else {
                cr->letter = s[0];
                const tc_criterion *dup = NULL;
                for (size_t k = 0; k + 1 < c->criterion_count; k++)
                    if (c->criteria[k].letter == cr->letter)
                        dup = &c->criteria[k];
                char expected = prev ? (char)(prev + 1) : 'A';
                if (dup)
                    report(x, ptr, false, "duplicate criterion letter '%c' (first at line %d)",
                           cr->letter, dup->line);
                else if (cr->letter != expected)
                    report(x, ptr, false,
                           "criterion letters must run A, B, C… in order: expected '%c' here, "
                           "found '%c'",
                           expected, cr->letter);
                if (!dup)
                    prev = cr->letter;
            }
        }
        const tc_step *step = NULL;
        v = member(x, obj, cb, "step", true);
        ptr_key(ptr, sizeof ptr, cb, "step");
        json_int_t sn;
        if (v && take_int(x, v, ptr, "'step'", 1, 9999, &sn)) {
            cr->step = (int)sn;
            step = find_step(c, cr->step);
            /* A step whose own number was wrong is already reported; naming it again here
             * would only add noise. */
            bool numbers_ok = c->step_count > 0;
            for (size_t j = 0; j < c->step_count; j++)
                if (c->steps[j].number == 0)
                    numbers_ok = false;
            if (!step && numbers_ok) {
                char list[256] = "";
                size_t k = 0;
                for (size_t j = 0; j < c->step_count && k < sizeof list; j++)
                    k += (size_t)snprintf(list + k, sizeof list - k, "%s%d", j ? ", " : "",
                                          c->steps[j].number);
                char letter[8] = "";
                if (cr->letter)
                    snprintf(letter, sizeof letter, " %c", cr->letter);
                report(x, ptr, false, "criterion%s judges step %d, but there is no step %d "
                                      "(steps: %s)",
                       letter, cr->step, cr->step, list);
            }
        }
        cr->text = take_string(x, obj, cb, "text", true);
        v = member(x, obj, cb, "expect", true);
        ptr_key(ptr, sizeof ptr, cb, "expect");
        if (v && !json_is_object(v))
            report(x, ptr, false, "'expect' must be an object, not %s", jtype(v));
        else if (v)
            load_expect(x, v, ptr, cr, step);
        v = json_object_get(obj, "comment");
        if (v && !json_is_string(v)) {
            ptr_key(ptr, sizeof ptr, cb, "comment");
            report(x, ptr, false, "'comment' must be a string, not %s", jtype(v));
        }
    }
}

/* ------------------------------------------------------------------------------------ */
/* The case                                                                             */

static void check_id(lctx *x, const char *id)
{
    static const char prefix[] = "LightweightM2M-";
    const char *p = id + sizeof prefix - 1;
    bool ok = strncmp(id, prefix, sizeof prefix - 1) == 0 && *p >= '0' && *p <= '9';
    if (ok) {
        while ((*p >= '0' && *p <= '9') || *p == '.')
            p++;
        ok = *p == '-' && p[1] != '\0' && !strchr(p + 1, ' ');
    }
    if (!ok)
        report(x, "/id", false,
               "'%s' is not a full OMA test case id (expected e.g. "
               "\"LightweightM2M-1.0-int-951\")",
               id);
}

static void load_steps(lctx *x, const json_t *arr, tc_case *c)
{
    const char *base = "/steps";
    if (!json_is_array(arr)) {
        report(x, base, false, "'steps' must be an array of steps, not %s", jtype(arr));
        return;
    }
    size_t n = json_array_size(arr);
    if (n == 0) {
        report(x, base, false, "'steps' is empty: a case needs at least step 1");
        return;
    }
    c->steps = xcalloc(x, n, sizeof *c->steps);
    if (!c->steps)
        return;
    int prev = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *obj = json_array_get(arr, i);
        char sb[512];
        ptr_idx(sb, sizeof sb, base, i);
        if (!json_is_object(obj)) {
            report(x, sb, false, "each step must be an object, not %s", jtype(obj));
            continue;
        }
        tc_step *st = &c->steps[c->step_count++];
        load_step(x, obj, sb, st);
        if (st->number == 0)
            continue;
        char ptr[512];
        ptr_key(ptr, sizeof ptr, sb, "step");
        const tc_step *dup = NULL;
        for (size_t k = 0; k + 1 < c->step_count; k++)
            if (c->steps[k].number == st->number)
                dup = &c->steps[k];
        if (dup)
            report(x, ptr, false, "duplicate step number %d (first at line %d)", st->number,
                   dup->line);
        else if (st->number <= prev)
            report(x, ptr, false, "step numbers must increase: step %d comes after step %d",
                   st->number, prev);
        if (!dup && st->number > prev)
            prev = st->number;
    }
}

static tc_case *load_case(lctx *x, const json_t *root)
{
    tc_case *c = xcalloc(x, 1, sizeof *c);
    if (!c)
        return NULL;
    check_keys(x, root, "", keys_top);
    json_t *v = json_object_get(root, "$schema");
    if (v && !json_is_string(v))
        report(x, "/$schema", false, "'$schema' must be a string, not %s", jtype(v));
    v = json_object_get(root, "comment");
    if (v && !json_is_string(v))
        report(x, "/comment", false, "'comment' must be a string, not %s", jtype(v));

    c->id = take_string(x, root, "", "id", true);
    if (c->id) {
        check_id(x, c->id);
        c->short_id = xstrdup(x, tc_short_id(c->id));
    }
    c->title = take_string(x, root, "", "title", true);
    c->spec_ref = take_string(x, root, "", "spec_ref", true);
    c->object = take_string(x, root, "", "object", true);
    c->area = take_string(x, root, "", "area", true);
    if (c->area) {
        bool ok = (c->area[0] >= 'a' && c->area[0] <= 'z');
        for (const char *p = c->area; *p && ok; p++)
            ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.';
        if (!ok)
            report(x, "/area", false,
                   "'area' is a JUnit classname: lower-case letters, digits, '-' and '.', "
                   "such as \"multi-server\", not '%s'",
                   c->area);
    }
    c->description = take_string(x, root, "", "description", true);
    c->configuration = take_string(x, root, "", "configuration", true);
    c->preconditions = take_string_array(x, root, "", "preconditions", &c->precondition_count,
                                         NULL);
    c->depends_on =
        take_string_array(x, root, "", "depends_on", &c->depends_on_count, &c->depends_on_pos);
    for (size_t i = 0; i < c->depends_on_count && c->id; i++)
        if (tc_case_matches(c, c->depends_on[i])) {
            char ptr[64];
            ptr_idx(ptr, sizeof ptr, "/depends_on", i);
            report(x, ptr, false, "a case cannot depend on itself");
        }
    c->requires = take_string_array(x, root, "", "requires", &c->requires_count, NULL);
    for (size_t i = 0; i < c->requires_count; i++) {
        if (strcmp(c->requires[i], "lwm2m-1.1") == 0)
            x->lwm2m11 = true;
        if (!in_list(features, c->requires[i])) {
            char ptr[64], all[256];
            ptr_idx(ptr, sizeof ptr, "/requires", i);
            join_list(features, all, sizeof all);
            const char *s = suggest(features, c->requires[i]);
            report(x, ptr, false, "unknown feature '%s'%s%s%s (expected one of: %s)",
                   c->requires[i], s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "",
                   all);
        }
    }
    if ((v = json_object_get(root, "device_reset"))) {
        if (!json_is_string(v) || strcmp(json_string_value(v), "factory") != 0)
            report(x, "/device_reset", false,
                   "'device_reset' can only be \"factory\" (the device starts from its factory "
                   "bootstrap configuration); leave it out otherwise");
        else
            c->device_reset = TC_RESET_FACTORY;
    }
    if ((v = member(x, root, "", "steps", true)))
        load_steps(x, v, c);
    if ((v = member(x, root, "", "pass_criteria", true)))
        load_criteria(x, v, c);
    c->file = xstrdup(x, x->file);
    return c;
}

/* Rewrites jansson's terse syntax messages to say what was expected and the usual cause. */
static void syntax_message(const char *jtext, char *out, size_t cap)
{
    static const struct {
        const char *head, *say, *hint;
    } map[] = {
        {"'}' expected near ", "expected ',' or '}' before ", " (a missing comma?)"},
        {"']' expected near ", "expected ',' or ']' before ", " (a missing comma?)"},
        {"string or '}' expected near ", "expected a key in double quotes or '}' at ",
         " (a trailing comma?)"},
        {"':' expected near ", "expected ':' after the key, at ", ""},
        {"duplicate object key near '", "duplicate key ", " (each key may appear once)"},
        {"unexpected token near ", "expected a value at ", ""},
        {"invalid token near ", "invalid token ",
         " (strings need double quotes; true, false and null are lower case)"},
        {"end of file expected near ", "unexpected text after the definition's closing '}' at ",
         ""},
        {"'[' or '{' expected near ", "a definition is a JSON object: expected '{' at ", ""},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        size_t hl = strlen(map[i].head);
        if (strncmp(jtext, map[i].head, hl) == 0) {
            /* The duplicate key is a string token: show it once quoted, not in '"…"'. */
            size_t tl = strlen(jtext + hl);
            if (map[i].head[hl - 1] == '\'' && tl > 0 && jtext[hl + tl - 1] == '\'')
                tl--;
            snprintf(out, cap, "syntax error: %s%.*s%s", map[i].say, (int)tl, jtext + hl,
                     map[i].hint);
            return;
        }
    }
    snprintf(out, cap, "syntax error: %s", jtext);
}

/* jansson places a syntax error after the offending token; a reader wants its start. */
static void syntax_position(const char *text, size_t len, const json_error_t *je, int *line,
                            int *column)
{
    *line = je->line > 0 ? je->line : 1;
    *column = je->column > 0 ? je->column : 1;
    const char *near = strstr(je->text, "near '");
    size_t end = (size_t)je->position;
    if (end > len)
        return;
    if (!near) {
        if (strstr(je->text, "near end of file"))
            jsonpos_line_col(text, len, end, line, column);
        return;
    }
    near += 6;
    const char *close = strrchr(near, '\'');
    if (!close || close < near)
        return;
    size_t tl = (size_t)(close - near);
    if (tl > end || memcmp(text + end - tl, near, tl) != 0)
        return; /* the message truncated the token: keep jansson's position */
    jsonpos_line_col(text, len, end - tl, line, column);
}

static int load_text(const char *text, size_t len, const char *name, tc_case **out,
                     tc_diags *diags, char **id_out)
{
    *out = NULL;
    if (id_out)
        *id_out = NULL;
    lctx x = {.file = name, .text = text, .len = len};
    tc_diags_init(&x.diags);
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    tc_case *c = NULL;
    if (!root) {
        char msg[400];
        int line, col;
        syntax_message(je.text, msg, sizeof msg);
        syntax_position(text, len, &je, &line, &col);
        if (tc_diags_add(&x.diags, name, line, col, NULL, "%s", msg) != 0)
            x.oom = true;
    } else if (!json_is_object(root)) {
        report(&x, "", false, "a definition is a JSON object ({ \"id\": …, \"steps\": … }), "
                              "not %s",
               jtype(root));
    } else {
        c = load_case(&x, root);
        json_t *id = json_object_get(root, "id");
        if (id_out && json_is_string(id))
            *id_out = strdup(json_string_value(id));
    }
    json_decref(root);
    diags_sort(&x.diags);
    int rc = x.oom ? LC_ENOMEM : x.diags.count ? LC_EINVAL : 0;
    if (rc != 0) {
        tc_case_free(c);
        c = NULL;
    }
    if (diags_move(diags, &x.diags) != 0 && rc == 0)
        rc = LC_ENOMEM;
    if (rc != 0)
        tc_case_free(c);
    else
        *out = c;
    return rc;
}

int tc_load_string(const char *text, size_t len, const char *name, tc_case **out,
                   tc_diags *diags)
{
    return load_text(text, len, name, out, diags, NULL);
}

static int read_file(const char *path, char **text, size_t *len, tc_diags *diags)
{
    *text = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (diags)
            tc_diags_add(diags, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
        return LC_EIO;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        if (cap >= (size_t)16 << 20) { /* no definition is this large */
            free(buf);
            fclose(f);
            if (diags)
                tc_diags_add(diags, path, 0, 0, NULL, "file larger than 16 MiB");
            return LC_EIO;
        }
        cap *= 2;
        char *nb = realloc(buf, cap + 1);
        if (!nb) {
            free(buf);
            buf = NULL;
        } else {
            buf = nb;
        }
    }
    bool failed = !buf || ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        if (diags)
            tc_diags_add(diags, path, 0, 0, NULL, "cannot read: %s",
                         buf ? strerror(errno) : "out of memory");
        return buf ? LC_EIO : LC_ENOMEM;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

static int load_file(const char *path, tc_case **out, tc_diags *diags, char **id_out)
{
    char *text;
    size_t len;
    *out = NULL;
    if (id_out)
        *id_out = NULL;
    int rc = read_file(path, &text, &len, diags);
    if (rc != 0)
        return rc;
    rc = load_text(text, len, path, out, diags, id_out);
    free(text);
    return rc;
}

int tc_load_file_diags(const char *path, tc_case **out, tc_diags *diags)
{
    return load_file(path, out, diags, NULL);
}

int tc_load_file(const char *path, tc_case **out, lc_error *err)
{
    tc_diags d;
    tc_diags_init(&d);
    int rc = load_file(path, out, &d, NULL);
    if (rc != 0) {
        if (d.count)
            diags_to_error(&d, 0, err, rc, "");
        else
            lc_error_set(err, rc, "%s: %s", path, lc_strerror(rc));
    }
    tc_diags_free(&d);
    return rc;
}

/* ------------------------------------------------------------------------------------ */
/* The suite                                                                            */

static bool matches_any(const char *const *ids, size_t n, const char *dep)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], dep) == 0 || strcmp(tc_short_id(ids[i]), dep) == 0)
            return true;
    return false;
}

static void dep_diag(tc_diags *d, const tc_case *c, size_t dep, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void dep_diag(tc_diags *d, const tc_case *c, size_t dep, const char *fmt, ...)
{
    char ptr[64];
    ptr_idx(ptr, sizeof ptr, "/depends_on", dep);
    int line = 0, col = 0;
    if (c->depends_on_pos) {
        line = c->depends_on_pos[dep].line;
        col = c->depends_on_pos[dep].column;
    }
    va_list ap;
    va_start(ap, fmt);
    diags_add_v(d, c->file ? c->file : (c->id ? c->id : "?"), line, col, ptr, fmt, ap);
    va_end(ap);
}

static const char *label(const tc_case *c)
{
    return c->short_id ? c->short_id : tc_short_id(c->id);
}

/* known_ids: ids of definitions that failed to load, so depending on them is not reported
 * as an unknown id on top of their own errors. */
static int order_suite(tc_suite *s, const char *const *known_ids, size_t known_count,
                       tc_diags *diags, lc_error *err)
{
    size_t n = s->count;
    tc_diags local;
    tc_diags_init(&local);
    if (n == 0)
        return 0;
    /* dep[i][k] = index of the case the k-th depends_on of case i names, or -1. */
    long **dep = calloc(n, sizeof *dep);
    long *seen_at = calloc(n, sizeof *seen_at); /* position on the current walk, or -1 */
    bool *placed = calloc(n, sizeof *placed);
    bool *reported = calloc(n, sizeof *reported);
    long *walk = calloc(n + 1, sizeof *walk);
    size_t *walk_dep = calloc(n + 1, sizeof *walk_dep);
    tc_case **sorted = calloc(n, sizeof *sorted);
    int rc = 0;
    if (!dep || !seen_at || !placed || !reported || !walk || !walk_dep || !sorted) {
        rc = LC_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (s->cases[i]->id && s->cases[j]->id && !strcmp(s->cases[i]->id, s->cases[j]->id))
                tc_diags_add(&local, s->cases[j]->file ? s->cases[j]->file : "?", 0, 0, "/id",
                             "duplicate id '%s' (also the id of %s)", s->cases[j]->id,
                             s->cases[i]->file ? s->cases[i]->file : "another case");
    for (size_t i = 0; i < n; i++) {
        const tc_case *c = s->cases[i];
        if (c->depends_on_count == 0)
            continue;
        dep[i] = calloc(c->depends_on_count, sizeof *dep[i]);
        if (!dep[i]) {
            rc = LC_ENOMEM;
            goto out;
        }
        for (size_t k = 0; k < c->depends_on_count; k++) {
            dep[i][k] = -1;
            for (size_t j = 0; j < n; j++)
                if (tc_case_matches(s->cases[j], c->depends_on[k])) {
                    dep[i][k] = (long)j;
                    break;
                }
            if (dep[i][k] < 0 && !matches_any(known_ids, known_count, c->depends_on[k]))
                dep_diag(&local, c, k, "depends on '%s', which is not in the suite",
                         c->depends_on[k]);
        }
    }
    /* Stable Kahn: always the first case (in the given order) whose dependencies are met. */
    size_t done = 0;
    for (bool progress = true; progress && done < n;) {
        progress = false;
        for (size_t i = 0; i < n; i++) {
            if (placed[i])
                continue;
            bool ready = true;
            for (size_t k = 0; k < s->cases[i]->depends_on_count && ready; k++)
                if (dep[i][k] >= 0 && !placed[dep[i][k]])
                    ready = false;
            if (ready) {
                placed[i] = true;
                sorted[done++] = s->cases[i];
                progress = true;
                break;
            }
        }
    }
    /* What is left waits on a cycle: every such case has an unplaced dependency, so
     * following them must come back to a case already on the walk. */
    for (size_t start = 0; start < n && done < n; start++) {
        if (placed[start] || reported[start])
            continue;
        size_t len = 0;
        long cur = (long)start;
        for (size_t i = 0; i < n; i++)
            if (!placed[i])
                seen_at[i] = -1;
        while (seen_at[cur] < 0) {
            seen_at[cur] = (long)len;
            walk[len] = cur;
            const tc_case *c = s->cases[cur];
            size_t k = 0;
            while (k < c->depends_on_count && (dep[cur][k] < 0 || placed[dep[cur][k]]))
                k++;
            walk_dep[len++] = k;
            cur = dep[cur][k];
        }
        size_t from = (size_t)seen_at[cur];
        bool again = false;
        for (size_t i = from; i < len; i++)
            if (reported[walk[i]])
                again = true;
        if (again)
            continue;
        /* Start the cycle at its first case in suite order, so the message is stable. */
        size_t first = from;
        for (size_t i = from; i < len; i++)
            if (walk[i] < walk[first])
                first = i;
        char msg[768];
        size_t m = (size_t)snprintf(msg, sizeof msg, "dependency cycle: ");
        size_t cyc = len - from;
        for (size_t t = 0; t <= cyc && m < sizeof msg; t++) {
            size_t i = from + (first - from + t) % cyc;
            m += (size_t)snprintf(msg + m, sizeof msg - m, "%s%s", t ? " -> " : "",
                                  label(s->cases[walk[i]]));
            reported[walk[i]] = true;
        }
        dep_diag(&local, s->cases[walk[first]], walk_dep[first], "%s", msg);
    }
    if (local.count == 0)
        memcpy(s->cases, sorted, n * sizeof *sorted);
out:
    if (dep)
        for (size_t i = 0; i < n; i++)
            free(dep[i]);
    free(dep);
    free(seen_at);
    free(placed);
    free(reported);
    free(walk);
    free(walk_dep);
    free(sorted);
    if (rc == 0 && local.count) {
        rc = LC_EINVAL;
        diags_to_error(&local, 0, err, rc, "");
    } else if (rc == LC_ENOMEM) {
        lc_error_set(err, rc, "out of memory ordering the suite");
    }
    if (diags_move(diags, &local) != 0 && rc == 0)
        rc = LC_ENOMEM;
    return rc;
}

int tc_suite_order(tc_suite *s, tc_diags *diags, lc_error *err)
{
    return order_suite(s, NULL, 0, diags, err);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_definition_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

int tc_load_dir(const char *dir, tc_suite *out, tc_diags *diags, lc_error *err)
{
    out->cases = NULL;
    out->count = 0;
    tc_diags all;
    tc_diags_init(&all);
    DIR *d = opendir(dir);
    if (!d) {
        int e = errno;
        tc_diags_add(&all, dir, 0, 0, NULL, "cannot open the test definition directory: %s",
                     strerror(e));
        lc_error_set(err, LC_EIO, "%s: cannot open the test definition directory: %s", dir,
                     strerror(e));
        diags_move(diags, &all);
        return LC_EIO;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!is_definition_name(de->d_name))
            continue;
        if (count == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **nn = realloc(names, nc * sizeof *nn);
            if (!nn) {
                rc = LC_ENOMEM;
                break;
            }
            names = nn;
            cap = nc;
        }
        names[count] = strdup(de->d_name);
        if (!names[count]) {
            rc = LC_ENOMEM;
            break;
        }
        count++;
    }
    closedir(d);
    if (rc == 0 && count == 0) {
        tc_diags_add(&all, dir, 0, 0, NULL, "no test definitions (*.json) in this directory");
        lc_error_set(err, LC_ENOTFOUND, "%s: no test definitions (*.json) in this directory",
                     dir);
        rc = LC_ENOTFOUND;
    }
    if (names)
        qsort(names, count, sizeof *names, name_cmp);

    char **broken_ids = calloc(count ? count : 1, sizeof *broken_ids);
    size_t broken = 0, failed_files = 0;
    if (!broken_ids)
        rc = LC_ENOMEM;
    out->cases = rc == 0 ? calloc(count, sizeof *out->cases) : NULL;
    if (rc == 0 && !out->cases)
        rc = LC_ENOMEM;
    for (size_t i = 0; i < count && rc != LC_ENOMEM; i++) {
        size_t dl = strlen(dir);
        size_t pl = dl + 1 + strlen(names[i]) + 1;
        char *path = malloc(pl);
        if (!path) {
            rc = LC_ENOMEM;
            break;
        }
        snprintf(path, pl, "%s%s%s", dir, (dl && dir[dl - 1] == '/') ? "" : "/", names[i]);
        tc_case *c = NULL;
        char *id = NULL;
        int lrc = load_file(path, &c, &all, &id);
        free(path);
        if (lrc == 0) {
            out->cases[out->count++] = c;
            free(id);
        } else {
            failed_files++;
            if (id)
                broken_ids[broken++] = id;
            if (lrc == LC_ENOMEM)
                rc = LC_ENOMEM;
            else if (rc == 0)
                rc = lrc == LC_EIO ? LC_EIO : LC_EINVAL;
        }
    }
    size_t file_problems = all.count;
    if (rc != LC_ENOMEM && rc != LC_ENOTFOUND && out->cases) {
        int orc = order_suite(out, (const char *const *)broken_ids, broken, &all, NULL);
        if (orc != 0 && rc == 0)
            rc = orc;
    }
    for (size_t i = 0; i < broken; i++)
        free(broken_ids[i]);
    free(broken_ids);
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);

    if (rc != 0) {
        tc_suite_free(out);
        if (rc == LC_ENOMEM) {
            lc_error_set(err, rc, "%s: out of memory loading test definitions", dir);
        } else if (all.count && rc != LC_ENOTFOUND) {
            char prefix[256];
            size_t suite_problems = all.count - file_problems;
            if (failed_files)
                snprintf(prefix, sizeof prefix, "%s: %zu of %zu definitions have problems: ",
                         dir, failed_files, count);
            else
                snprintf(prefix, sizeof prefix, "%s: %zu problem%s across definitions: ", dir,
                         suite_problems, suite_problems == 1 ? "" : "s");
            diags_to_error(&all, 0, err, rc, prefix);
        }
    }
    if (diags_move(diags, &all) != 0 && rc == 0)
        rc = LC_ENOMEM;
    if (rc != 0 && out->cases) /* only when moving diags ran out of memory */
        tc_suite_free(out);
    return rc;
}
