#include "tc/load_steps.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/linkformat.h"
#include "lwm2m/path.h"
#include "tc/rules.h"
#include "tc/load_firmware.h"
#include "tc/vars.h"

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
static void check_typed_value(tcf_ctx *x, const char *ptr, const char *type, const json_t *v)
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
        tcf_report(x, ptr, false, "value %s%s%s does not fit type '%s'%s", s ? "\"" : "",
                   s ? s : tcf_jtype(v), s ? "\"" : "", type,
                   strcmp(type, "objlnk") == 0   ? " (expected \"object:instance\", e.g. \"1:0\")"
                   : strcmp(type, "opaque") == 0 ? " (expected a Base64 string)"
                                                 : "");
}

static void load_write_values(tcf_ctx *x, const json_t *arr, const char *ptr, tc_step *st)
{
    if (!json_is_array(arr)) {
        tcf_report(x, ptr, false,
                   "'values' must be an array of {\"path\", \"type\", \"value\"}, "
                   "not %s",
                   tcf_jtype(arr));
        return;
    }
    size_t n = json_array_size(arr);
    st->values = tcf_calloc(x, n, sizeof *st->values);
    if (n && !st->values)
        return;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(arr, i);
        char ep[512], kp[512];
        tcf_ptr_idx(ep, sizeof ep, ptr, i);
        if (!json_is_object(e)) {
            tcf_report(x, ep, false,
                       "each value must be an object {\"path\", \"type\", \"value\"}, "
                       "not %s",
                       tcf_jtype(e));
            continue;
        }
        tcf_check_keys(x, e, ep, tc_keys_write_value);
        tc_write_value *wv = &st->values[st->value_count++];
        wv->path = tcf_take_path(x, e, ep, 3, true);
        wv->type = tcf_take_string(x, e, ep, "type", true);
        if (wv->type && !tc_rules_has(tc_rules_value_types, wv->type)) {
            char all[256];
            tc_diag_join(tc_rules_value_types, all, sizeof all);
            tcf_ptr_key(kp, sizeof kp, ep, "type");
            tcf_report(x, kp, false, "unknown type '%s' (expected one of: %s)", wv->type, all);
            free(wv->type);
            wv->type = NULL;
        }
        json_t *v = tcf_member(x, e, ep, "value", true);
        if (!v)
            continue;
        tcf_ptr_key(kp, sizeof kp, ep, "value");
        if (!json_is_string(v) && !json_is_number(v) && !json_is_boolean(v)) {
            tcf_report(x, kp, false, "'value' must be a string, number or boolean, not %s",
                       tcf_jtype(v));
            continue;
        }
        wv->value = tcf_scalar_text(x, v);
        tcf_check_vars(x, kp, wv->value);
        if (wv->type)
            check_typed_value(x, kp, wv->type, v);
    }
}

static void load_attributes(tcf_ctx *x, const json_t *obj, const char *ptr, tc_step *st)
{
    static const char *const attrs10[] = {"pmin", "pmax", "gt", "lt", "st", NULL};
    static const char *const attrs_all[] = {"pmin", "pmax", "gt", "lt", "st", "epmin", "epmax",
                                            "depth", NULL};
    if (!json_is_object(obj)) {
        tcf_report(x, ptr, false,
                   "'attributes' must be an object such as {\"pmin\": 2, \"pmax\": "
                   "10}, not %s",
                   tcf_jtype(obj));
        return;
    }
    size_t n = json_object_size(obj);
    st->attributes = tcf_calloc(x, n, sizeof *st->attributes);
    if (n && !st->attributes)
        return;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        char kp[512];
        tcf_ptr_key(kp, sizeof kp, ptr, key);
        if (!tc_rules_has(attrs_all, key)) {
            const char *s = tc_diag_suggest(attrs_all, key);
            tcf_report(x, kp, true,
                       "unknown attribute '%s'%s%s%s (LwM2M 1.0: pmin, pmax, gt, lt, st; 1.1 adds "
                       "epmin, epmax)",
                       key, s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
            continue;
        }
        if (strcmp(key, "depth") == 0 && st->op != TC_OP_DISCOVER) {
            tcf_report(x, kp, true, "'depth' is a Discover parameter (LwM2M 1.2 §5.4.2), not a "
                       "notification attribute");
            continue;
        }
        if (!tc_rules_has(attrs10, key) && !x->lwm2m11) {
            bool depth = strcmp(key, "depth") == 0;
            tcf_report(x, kp, true, "'%s' is an LwM2M %s: add \"lwm2m-1.%s\" to \"requires\"",
                       key, depth ? "1.2 parameter" : "1.1 attribute", depth ? "2" : "1");
            continue;
        }
        bool integral = !strcmp(key, "pmin") || !strcmp(key, "pmax") || !strcmp(key, "epmin") ||
                        !strcmp(key, "epmax") || !strcmp(key, "depth");
        char *text = NULL;
        if (json_is_null(v)) {
            text = NULL; /* a flag or "clear this attribute" */
        } else if (json_is_number(v)) {
            if (integral && (!json_is_integer(v) || json_integer_value(v) < 0)) {
                tcf_report(x, kp, false,
                           "'%s' is a whole number of seconds >= 0 (write it as a string to send "
                           "it anyway)",
                           key);
                continue;
            }
            text = tcf_scalar_text(x, v);
            if (!text)
                continue;
        } else if (json_is_string(v)) {
            tcf_check_vars(x, kp, json_string_value(v));
            text = tcf_strdup(x, json_string_value(v));
            if (!text)
                continue;
        } else {
            tcf_report(x, kp, false, "attribute '%s' must be a number, a string or null, not %s",
                       key, tcf_jtype(v));
            continue;
        }
        tc_kv *kv = &st->attributes[st->attribute_count++];
        kv->name = tcf_strdup(x, key);
        kv->value = text;
    }
}

/* A number of seconds given as one variable ("${server[1].disable_timeout}"), resolved when
 * the step runs. False when v is not a string (the caller reads it as a number). */
static bool take_var_seconds(tcf_ctx *x, const json_t *v, const char *ptr, char **out)
{
    if (!json_is_string(v))
        return false;
    const char *s = json_string_value(v);
    size_t n = strlen(s);
    if (n < 4 || strncmp(s, "${", 2) != 0 || s[n - 1] != '}' || strchr(s + 2, '$')) {
        tcf_report(x, ptr, false,
                   "'%s' is not a number of seconds or one variable such as "
                   "\"${server[1].disable_timeout}\"",
                   s);
        return true;
    }
    tcf_check_vars(x, ptr, s);
    *out = tcf_strdup(x, s);
    return true;
}

/* Execute arguments (LwM2M 1.0 §5.4.5): [{"id": 0, "value": "text"}, {"id": 1}] ->
 * "0='text',1". The value's characters are those the core ABNF allows (printable ASCII
 * without space, '"' and '\''). */
static void load_arguments(tcf_ctx *x, const json_t *arr, const char *ptr, tc_step *st)
{
    static const char *const keys[] = {"id", "value", NULL};
    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        tcf_report(x, ptr, false,
                   "'arguments' must be a non-empty array of {\"id\": 0..9, \"value\": "
                   "\"text\"}, not %s",
                   json_is_array(arr) ? "an empty array" : tcf_jtype(arr));
        return;
    }
    size_t n = json_array_size(arr);
    st->arguments = tcf_calloc(x, n, sizeof *st->arguments);
    if (!st->arguments)
        return;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(arr, i);
        char ep[512], kp[512];
        tcf_ptr_idx(ep, sizeof ep, ptr, i);
        if (!json_is_object(e)) {
            tcf_report(x, ep, false, "each argument must be an object {\"id\", \"value\"}, not %s",
                       tcf_jtype(e));
            continue;
        }
        tcf_check_keys(x, e, ep, keys);
        json_t *id = tcf_member(x, e, ep, "id", true);
        json_int_t d = -1;
        tcf_ptr_key(kp, sizeof kp, ep, "id");
        if (!id || !tcf_take_int(x, id, kp, "an argument id", 0, 9, &d))
            continue;
        for (size_t k = 0; k < st->argument_count; k++)
            if (st->arguments[k].name[0] == '0' + d)
                tcf_report(x, kp, false, "argument %d is given twice", (int)d);
        char *value = NULL;
        json_t *val = json_object_get(e, "value");
        if (val) {
            tcf_ptr_key(kp, sizeof kp, ep, "value");
            if (!json_is_string(val)) {
                tcf_report(x, kp, false, "an argument's 'value' must be a string, not %s",
                           tcf_jtype(val));
                continue;
            }
            const char *s = json_string_value(val);
            for (const char *c = s; *c; c++)
                if (*c < 0x21 || *c > 0x7e || *c == '"' || *c == '\'') {
                    tcf_report(x, kp, false,
                               "'%s': an Execute argument's value may hold printable ASCII "
                               "except space, '\"' and '\'' (LwM2M 1.0 §5.4.5)",
                               s);
                    break;
                }
            value = tcf_strdup(x, s);
        }
        char name[2] = {(char)('0' + d), '\0'};
        tc_kv *kv = &st->arguments[st->argument_count++];
        kv->name = tcf_strdup(x, name);
        kv->value = value;
    }
}

/* "paths": the LwM2M paths a composite request names, in order (the root "/" included:
 * int-235 reads everything). */
static void load_paths(tcf_ctx *x, const json_t *arr, const char *ptr, tc_step *st)
{
    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        tcf_report(x, ptr, false, "'paths' must be a non-empty array of LwM2M paths such as "
                   "[\"/3/0/16\", \"/1/0\"], not %s",
                   json_is_array(arr) ? "an empty array" : tcf_jtype(arr));
        return;
    }
    size_t n = json_array_size(arr);
    st->paths = tcf_calloc(x, n, sizeof *st->paths);
    if (!st->paths)
        return;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(arr, i);
        char ep[512];
        tcf_ptr_idx(ep, sizeof ep, ptr, i);
        lwm2m_path p;
        if (!json_is_string(e) || lwm2m_path_parse(json_string_value(e), &p) < 0) {
            tcf_report(x, ep, false, "each of 'paths' must be an LwM2M path such as \"/1/0/1\", "
                       "not %s", json_is_string(e) ? json_string_value(e) : tcf_jtype(e));
            continue;
        }
        st->paths[st->path_count++] = tcf_strdup(x, json_string_value(e));
    }
}

static void forbid(tcf_ctx *x, const json_t *obj, const char *base, const char *key, bool allowed,
                   const char *opname)
{
    if (allowed || !json_object_get(obj, key))
        return;
    char ptr[512];
    tcf_ptr_key(ptr, sizeof ptr, base, key);
    tcf_report(x, ptr, true, "'%s' has no meaning for operation '%s'", key, opname);
}

static void load_step(tcf_ctx *x, const json_t *obj, const char *base, tc_step *st)
{
    char ptr[512];
    st->server = TC_SERVER_NONE;
    st->content_format = -1;
    st->accept = -1;
    st->op = TC_OP__COUNT; /* unknown until read */
    tcf_pos_of(x, base, &st->line, &st->column);
    tcf_check_keys(x, obj, base, tc_keys_step);

    json_t *v = tcf_member(x, obj, base, "step", true);
    json_int_t n;
    tcf_ptr_key(ptr, sizeof ptr, base, "step");
    if (v && tcf_take_int(x, v, ptr, "'step'", 1, 9999, &n))
        st->number = (int)n;
    st->text = tcf_take_string(x, obj, base, "text", true);

    int op = -1;
    v = tcf_member(x, obj, base, "op", true);
    tcf_ptr_key(ptr, sizeof ptr, base, "op");
    if (v && !json_is_string(v)) {
        tcf_report(x, ptr, false, "'op' must be a string, not %s", tcf_jtype(v));
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
                size_t d = tc_diag_edit_distance(tc_op_name((tc_op)i), json_string_value(v));
                if (d < bestd) {
                    bestd = d;
                    s = tc_op_name((tc_op)i);
                }
            }
            if (s)
                tcf_report(x, ptr, false,
                           "unknown operation '%s' (did you mean '%s'? expected "
                           "one of: %s)",
                           json_string_value(v), s, all);
            else
                tcf_report(x, ptr, false, "unknown operation '%s' (expected one of: %s)",
                           json_string_value(v), all);
        } else {
            st->op = (tc_op)op;
        }
    }

    /* server */
    v = json_object_get(obj, "server");
    tcf_ptr_key(ptr, sizeof ptr, base, "server");
    if (!v) {
        if (op >= 0 && op != TC_OP_WAIT)
            tcf_report(x, ptr, false,
                       "missing required key 'server' (the acting server: a Short Server ID such "
                       "as 1, or \"bootstrap\")");
    } else if (json_is_string(v) && strcmp(json_string_value(v), "bootstrap") == 0) {
        st->server = TC_SERVER_BOOTSTRAP;
        if (op >= 0 && op != TC_OP_WAIT && !tc_op_is_bootstrap((tc_op)op))
            tcf_report(x, ptr, false,
                       "operation '%s' is not a bootstrap operation: 'server' must be a Short "
                       "Server ID such as 1",
                       tc_op_name((tc_op)op));
    } else if (json_is_integer(v) && json_integer_value(v) >= 1 && json_integer_value(v) <= 65534) {
        st->server = (int)json_integer_value(v);
        if (op >= 0 && tc_op_is_bootstrap((tc_op)op))
            tcf_report(x, ptr, false,
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
            snprintf(shown, sizeof shown, "%s", tcf_jtype(v));
        tcf_report(x, ptr, false,
                   "'server' must be a positive integer (a Short Server ID, 1..65534) or "
                   "\"bootstrap\", not %s",
                   shown);
    }

    tc_op_rules r = op >= 0 ? tc_rules_for_op((tc_op)op)
                            : (tc_op_rules){TC_FIELD_OPTIONAL, TC_FIELD_OPTIONAL, TC_FIELD_OPTIONAL,
                                            TC_FIELD_OPTIONAL, TC_FIELD_OPTIONAL, TC_FIELD_OPTIONAL,
                                            TC_FIELD_OPTIONAL, TC_FIELD_OPTIONAL, TC_FIELD_OPTIONAL,
                                            TC_FIELD_OPTIONAL, TC_FIELD_OPTIONAL};
    const char *opname = op >= 0 ? tc_op_name((tc_op)op) : "?";
    forbid(x, obj, base, "path", r.path != TC_FIELD_FORBIDDEN, opname);
    forbid(x, obj, base, "attributes", r.attributes != TC_FIELD_FORBIDDEN, opname);
    forbid(x, obj, base, "values", r.values != TC_FIELD_FORBIDDEN, opname);
    forbid(x, obj, base, "content_format", r.content_format != TC_FIELD_FORBIDDEN, opname);
    forbid(x, obj, base, "accept", r.accept != TC_FIELD_FORBIDDEN, opname);
    forbid(x, obj, base, "payload", r.payload != TC_FIELD_FORBIDDEN, opname);
    forbid(x, obj, base, "duration", r.duration != TC_FIELD_FORBIDDEN, opname);
    forbid(x, obj, base, "timeout", op != TC_OP_WAIT, opname);
    bool changes_bs = op < 0 || op == TC_OP_BOOTSTRAP_WRITE || op == TC_OP_BOOTSTRAP_DELETE;
    forbid(x, obj, base, "bootstrap_account", changes_bs, opname);
    if (changes_bs && json_object_get(obj, "bootstrap_account")) {
        st->bootstrap_account = tcf_take_string(x, obj, base, "bootstrap_account", false);
        tcf_ptr_key(ptr, sizeof ptr, base, "bootstrap_account");
        if (st->bootstrap_account && strlen(st->bootstrap_account) < 8)
            tcf_report(x, ptr, false, "'bootstrap_account' cites the text this step tests by "
                       "changing the device's own bootstrap account (e.g. \"LwM2M TS 1.1 "
                       "§6.1.7.x …\"), not \"%s\"", st->bootstrap_account);
    }
    forbid(x, obj, base, "after_step", r.after_step != TC_FIELD_FORBIDDEN, opname);
    forbid(x, obj, base, "or_expiry", r.or_expiry != TC_FIELD_FORBIDDEN, opname);
    forbid(x, obj, base, "arguments", r.arguments != TC_FIELD_FORBIDDEN, opname);
    forbid(x, obj, base, "paths", r.paths != TC_FIELD_FORBIDDEN, opname);
    if (r.paths != TC_FIELD_FORBIDDEN) {
        v = tcf_member(x, obj, base, "paths", r.paths == TC_FIELD_REQUIRED);
        tcf_ptr_key(ptr, sizeof ptr, base, "paths");
        if (v)
            load_paths(x, v, ptr, st);
    }
    if (op == TC_OP_EXPECT_NOTIFICATION && !json_object_get(obj, "path") ==
                                               !json_object_get(obj, "paths"))
        tcf_report(x, base, false, "an expect-notification names its observation by 'path', or "
                   "a composite one by 'paths': one of them");

    if (r.path != TC_FIELD_FORBIDDEN) {
        st->path = tcf_take_path(x, obj, base, 0, r.path == TC_FIELD_REQUIRED);
    }
    if (r.attributes != TC_FIELD_FORBIDDEN) {
        v = tcf_member(x, obj, base, "attributes", r.attributes == TC_FIELD_REQUIRED);
        tcf_ptr_key(ptr, sizeof ptr, base, "attributes");
        if (v)
            load_attributes(x, v, ptr, st);
    }
    if (r.values == TC_FIELD_REQUIRED && !json_object_get(obj, "values"))
        tcf_member(x, obj, base, "values", true); /* reports it missing */
    if (r.values != TC_FIELD_FORBIDDEN && (v = json_object_get(obj, "values"))) {
        tcf_ptr_key(ptr, sizeof ptr, base, "values");
        load_write_values(x, v, ptr, st);
        if (json_object_get(obj, "payload"))
            tcf_report(x, ptr, true, "give either 'values' or 'payload', not both");
    }
    if (r.content_format != TC_FIELD_FORBIDDEN && (v = json_object_get(obj, "content_format"))) {
        tcf_ptr_key(ptr, sizeof ptr, base, "content_format");
        st->content_format = tcf_take_content_format(x, v, ptr, "content_format");
    }
    if (r.accept != TC_FIELD_FORBIDDEN && (v = json_object_get(obj, "accept"))) {
        tcf_ptr_key(ptr, sizeof ptr, base, "accept");
        st->accept = tcf_take_content_format(x, v, ptr, "accept");
    }
    if (r.payload != TC_FIELD_FORBIDDEN) {
        st->payload = tcf_take_string(x, obj, base, "payload", false);
        tcf_ptr_key(ptr, sizeof ptr, base, "payload");
        tcf_check_vars(x, ptr, st->payload);
    }
    if (r.duration != TC_FIELD_FORBIDDEN) {
        v = tcf_member(x, obj, base, "duration", r.duration == TC_FIELD_REQUIRED);
        tcf_ptr_key(ptr, sizeof ptr, base, "duration");
        if (v && !take_var_seconds(x, v, ptr, &st->duration_var))
            tcf_take_seconds(x, v, ptr, "duration", op != TC_OP_WAIT, &st->wait_ms);
    }
    if (r.after_step != TC_FIELD_FORBIDDEN) {
        /* the bound of a wait for a message the device initiates: the step that provokes
         * it, or 0, the case's start; never "whatever is queued" */
        v = json_object_get(obj, "after_step");
        tcf_ptr_key(ptr, sizeof ptr, base, "after_step");
        json_int_t n2;
        if (!v && r.after_step == TC_FIELD_REQUIRED)
            tcf_report(x, base, false,
                       "%s waits for a message the device initiates: say since when one counts, "
                       "\"after_step\": N (the step that provokes it) or 0 (since the case "
                       "started), so a message from an earlier case never passes it",
                       opname);
        else if (v && tcf_take_int(x, v, ptr, "'after_step'", 0, 9999, &n2)) {
            st->after_step = (int)n2; /* that it names an earlier step: tc_load_steps */
            st->has_after_step = true;
        }
    }
    if ((v = json_object_get(obj, "not_applicable_if"))) {
        /* an answer that shows the case does not apply (4.15 to an optional format) */
        tcf_ptr_key(ptr, sizeof ptr, base, "not_applicable_if");
        static const char *const keys[] = {"code", "because", NULL};
        if (!json_is_object(v)) {
            tcf_report(x, ptr, false, "'not_applicable_if' is {\"code\": \"4.15\", \"because\": "
                       "\"…\"}, not %s", tcf_jtype(v));
        } else {
            tcf_check_keys(x, v, ptr, keys);
            st->na_code = tcf_take_string(x, v, ptr, "code", true);
            st->na_because = tcf_take_string(x, v, ptr, "because", true);
            int cl = st->na_code && strlen(st->na_code) == 4 ? st->na_code[0] - '0' : -1;
            if (st->na_code && (cl < 4 || cl > 5 || st->na_code[1] != '.'))
                tcf_report(x, ptr, false, "'not_applicable_if' takes an error code (4.xx, 5.xx) "
                           "such as \"4.15\", not '%s'", st->na_code);
        }
    }
    if ((v = json_object_get(obj, "unjudged"))) {
        st->unjudged = tcf_take_string(x, obj, base, "unjudged", false);
        tcf_ptr_key(ptr, sizeof ptr, base, "unjudged");
        if (st->unjudged && strlen(st->unjudged) < 8)
            tcf_report(x, ptr, false, "'unjudged' says why no criterion judges the step (e.g. "
                       "\"a set-up step: the draft gives it no criterion\"), not \"%s\"",
                       st->unjudged);
    }
    if ((v = json_object_get(obj, "setup"))) {
        tcf_ptr_key(ptr, sizeof ptr, base, "setup");
        if (!json_is_boolean(v))
            tcf_report(x, ptr, false, "'setup' must be true or false, not %s", tcf_jtype(v));
        else if ((st->setup = json_is_true(v)) && !st->unjudged)
            tcf_report(x, ptr, false, "a 'setup' step is the tool's, not judged: say why in "
                       "'unjudged'");
    }
    if (r.or_expiry != TC_FIELD_FORBIDDEN && (v = json_object_get(obj, "or_expiry"))) {
        tcf_ptr_key(ptr, sizeof ptr, base, "or_expiry");
        if (!json_is_boolean(v))
            tcf_report(x, ptr, false, "'or_expiry' must be true or false, not %s", tcf_jtype(v));
        else
            st->or_expiry = json_is_true(v);
    }
    if (r.arguments != TC_FIELD_FORBIDDEN && (v = json_object_get(obj, "arguments"))) {
        tcf_ptr_key(ptr, sizeof ptr, base, "arguments");
        load_arguments(x, v, ptr, st);
        if (json_object_get(obj, "payload"))
            tcf_report(x, ptr, true, "give either 'arguments' or 'payload', not both");
    }
    tc_load_firmware_step(x, obj, base, op, st);
    if (op == TC_OP_BOOTSTRAP_WRITE && !st->path &&
        (json_object_get(obj, "values") || json_object_get(obj, "payload")))
        tcf_report(x, base, false,
                   "a bootstrap-write with 'values' or 'payload' needs the 'path' "
                   "of the object instance it writes (without both, it writes every "
                   "instance of the configuration)");
    if (op != TC_OP_WAIT && (v = json_object_get(obj, "timeout"))) {
        tcf_ptr_key(ptr, sizeof ptr, base, "timeout");
        if (!take_var_seconds(x, v, ptr, &st->timeout_var))
            tcf_take_seconds(x, v, ptr, "timeout", false, &st->timeout_ms);
    }
    v = json_object_get(obj, "comment");
    if (v && !json_is_string(v)) {
        tcf_ptr_key(ptr, sizeof ptr, base, "comment");
        tcf_report(x, ptr, false, "'comment' must be a string, not %s", tcf_jtype(v));
    }
}

void tc_load_steps(tcf_ctx *x, const json_t *arr, tc_case *c)
{
    const char *base = "/steps";
    if (!json_is_array(arr)) {
        tcf_report(x, base, false, "'steps' must be an array of steps, not %s", tcf_jtype(arr));
        return;
    }
    size_t n = json_array_size(arr);
    if (n == 0) {
        tcf_report(x, base, false, "'steps' is empty: a case needs at least step 1");
        return;
    }
    c->steps = tcf_calloc(x, n, sizeof *c->steps);
    if (!c->steps)
        return;
    int prev = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *obj = json_array_get(arr, i);
        char sb[512];
        tcf_ptr_idx(sb, sizeof sb, base, i);
        if (!json_is_object(obj)) {
            tcf_report(x, sb, false, "each step must be an object, not %s", tcf_jtype(obj));
            continue;
        }
        tc_step *st = &c->steps[c->step_count++];
        load_step(x, obj, sb, st);
        if (st->number == 0)
            continue;
        char ptr[512];
        tcf_ptr_key(ptr, sizeof ptr, sb, "step");
        const tc_step *dup = NULL;
        for (size_t k = 0; k + 1 < c->step_count; k++)
            if (c->steps[k].number == st->number)
                dup = &c->steps[k];
        /* the same number on the entry right after: one ETS step of several requests
         * ("write-attributes on /3/0/7 and /3/0/8"), played in order */
        if (dup && c->step_count >= 2 && c->steps[c->step_count - 2].number == st->number)
            dup = NULL;
        else if (dup)
            tcf_report(x, ptr, false, "duplicate step number %d (first at line %d)", st->number,
                       dup->line);
        else if (st->number <= prev)
            tcf_report(x, ptr, false, "step numbers must increase: step %d comes after step %d",
                       st->number, prev);
        if (!dup && st->number > prev)
            prev = st->number;
        if (st->after_step && !tc_case_step(c, st->after_step)) {
            tcf_ptr_key(ptr, sizeof ptr, sb, "after_step");
            tcf_report(x, ptr, false, "'after_step' %d names no earlier step", st->after_step);
        } else if (st->after_step &&
                   (st->after_step > st->number ||
                    (st->after_step == st->number &&
                     (c->step_count < 2 || c->steps[c->step_count - 2].number != st->number)))) {
            /* its own number is fine for a later request of a step of several: "after the
             * step began" is after its first request (int-105: the Lifetime Write and the
             * Update it provokes) */
            tcf_ptr_key(ptr, sizeof ptr, sb, "after_step");
            tcf_report(x, ptr, false, "'after_step' %d must name an earlier step than %d (or "
                       "its own, on a later request of a step of several)",
                       st->after_step, st->number);
        }
    }
}
