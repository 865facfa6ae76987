#include "tc/load_criteria.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/linkformat.h"
#include "lwm2m/path.h"
#include "tc/rules.h"
#include "tc/load_firmware.h"
#include "tc/vars.h"

static bool valid_code(const char *s)
{
    /* class.detail: class 0..7, detail 00..31, as CoAP codes are written. */
    if (strlen(s) != 4 || s[0] < '0' || s[0] > '7' || s[1] != '.' || s[2] < '0' || s[2] > '3' ||
        s[3] < '0' || s[3] > '9')
        return false;
    return (s[2] - '0') * 10 + (s[3] - '0') <= 31;
}

static tc_check *add_check(tcf_ctx *x, tc_criterion *cr, tc_check_kind kind, const char *ptr)
{
    tc_check *ck = &cr->checks[cr->check_count++];
    memset(ck, 0, sizeof *ck);
    ck->kind = kind;
    ck->content_format = -1;
    ck->content_format_alt = -1;
    tcf_pos_of(x, ptr, &ck->line, &ck->column);
    return ck;
}

/* "ep", "lt", "b", "lwm2m": true (must be present) or a value to compare. */
static void reg_field(tcf_ctx *x, const json_t *reg, const char *base, const char *key, char **out,
                      bool *present, bool integer_ok)
{
    json_t *v = json_object_get(reg, key);
    if (!v)
        return;
    char ptr[512];
    tcf_ptr_key(ptr, sizeof ptr, base, key);
    if (json_is_true(v) || (json_is_string(v) && strcmp(json_string_value(v), "*") == 0)) {
        *present = true;
        *out = tcf_strdup(x, "*");
    } else if (json_is_string(v) && json_string_length(v) > 0) {
        tcf_check_vars(x, ptr, json_string_value(v));
        *out = tcf_strdup(x, json_string_value(v));
    } else if (integer_ok && json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = tcf_scalar_text(x, v);
    } else {
        tcf_report(x, ptr, false,
                   "'%s' must be true (the parameter must be present) or %s to compare, not %s",
                   key, integer_ok ? "a string or a non-negative integer" : "a non-empty string",
                   json_is_string(v) ? "an empty string" : tcf_jtype(v));
    }
}

static int *object_ids(tcf_ctx *x, const json_t *reg, const char *base, const char *key,
                       size_t *count)
{
    *count = 0;
    json_t *v = json_object_get(reg, key);
    if (!v)
        return NULL;
    char ptr[512];
    tcf_ptr_key(ptr, sizeof ptr, base, key);
    if (!json_is_array(v)) {
        tcf_report(x, ptr, false, "'%s' must be an array of object ids such as [1, 3], not %s", key,
                   tcf_jtype(v));
        return NULL;
    }
    size_t n = json_array_size(v);
    int *ids = tcf_calloc(x, n, sizeof *ids);
    if (n && !ids)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char ep[512];
        tcf_ptr_idx(ep, sizeof ep, ptr, i);
        json_int_t id;
        if (tcf_take_int(x, json_array_get(v, i), ep, "an object id", 0, 65535, &id))
            ids[(*count)++] = (int)id;
    }
    return ids;
}

static void load_registration(tcf_ctx *x, const json_t *reg, const char *ptr, tc_check *ck)
{
    tcf_check_keys(x, reg, ptr, tc_keys_registration);
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
                tcf_ptr_key(p, sizeof p, ptr, "objects_absent");
                tcf_report(x, p, false, "object %d cannot be both present and absent",
                           ck->reg_objects_absent[j]);
            }
    json_t *pv = json_object_get(reg, "parameters");
    if (pv) {
        char p[512];
        tcf_ptr_key(p, sizeof p, ptr, "parameters");
        if (!json_is_string(pv) || strcmp(json_string_value(pv), "none") != 0)
            tcf_report(x, p, false,
                       "'parameters' can only be \"none\" (an Update without query "
                       "parameters); leave it out otherwise");
        else
            ck->reg_no_parameters = true;
    }
    json_t *pidv = json_object_get(reg, "pid");
    if (pidv) {
        char p[512];
        tcf_ptr_key(p, sizeof p, ptr, "pid");
        if (!json_is_string(pidv) || !*json_string_value(pidv))
            tcf_report(x, p, false, "'pid' is the Profile ID the Register must carry, such as "
                       "\"6:27354b9a\"");
        else
            ck->reg_pid = tcf_strdup(x, json_string_value(pidv));
    }
    json_t *ov = json_object_get(reg, "objects");
    if (ov) {
        char p[512];
        tcf_ptr_key(p, sizeof p, ptr, "objects");
        if (!json_is_string(ov) || strcmp(json_string_value(ov), "none") != 0)
            tcf_report(x, p, false, "'objects' can only be \"none\" (a Register that lists no "
                       "object: its Profile ID stands for them)");
        else
            ck->reg_no_objects = true;
    }
    json_t *qv = json_object_get(reg, "queue");
    if (qv) {
        char p[512];
        tcf_ptr_key(p, sizeof p, ptr, "queue");
        if (!json_is_true(qv))
            tcf_report(x, p, false, "'queue' can only be true (the Register asks for queue "
                       "mode); leave it out otherwise");
        else
            ck->reg_queue = true;
    }
    if (json_object_size(reg) == 0)
        tcf_report(x, ptr, false,
                   "empty registration check: name at least one of ep, lt, b, "
                   "lwm2m, objects_present, objects_absent, parameters, queue");
}

static void load_links(tcf_ctx *x, const json_t *links, const char *ptr, tc_check *ck)
{
    char kp[512];
    tcf_check_keys(x, links, ptr, tc_keys_links);
    json_t *m = tcf_member(x, links, ptr, "mode", true);
    tcf_ptr_key(kp, sizeof kp, ptr, "mode");
    if (m && !json_is_string(m)) {
        tcf_report(x, kp, false, "'mode' must be a string (exact, contains or excludes), not %s",
                   tcf_jtype(m));
    } else if (m) {
        const char *s = json_string_value(m);
        if (!strcmp(s, "exact"))
            ck->links_mode = TC_LINKS_EXACT;
        else if (!strcmp(s, "contains"))
            ck->links_mode = TC_LINKS_CONTAINS;
        else if (!strcmp(s, "excludes"))
            ck->links_mode = TC_LINKS_EXCLUDES;
        else {
            const char *sug = tc_diag_suggest(tc_rules_links_modes, s);
            tcf_report(x, kp, false,
                       "unknown links mode '%s'%s%s%s (expected one of: exact, "
                       "contains, excludes)",
                       s, sug ? " (did you mean '" : "", sug ? sug : "", sug ? "'?)" : "");
        }
    }
    json_t *v = tcf_member(x, links, ptr, "value", true);
    tcf_ptr_key(kp, sizeof kp, ptr, "value");
    if (v && !json_is_string(v)) {
        tcf_report(x, kp, false,
                   "'value' must be link-format text such as \"</3/0>;pmin=2,</3/0/0>\", "
                   "not %s",
                   tcf_jtype(v));
    } else if (v) {
        ck->links = tcf_strdup(x, json_string_value(v));
        tcf_check_vars(x, kp, ck->links);
        /* With variables the text is only known at run time; without, a typo is caught now
         * rather than as an ERROR in the middle of a run. */
        if (ck->links && !strstr(ck->links, "${")) {
            lf_set set;
            lc_error lerr = {0};
            if (linkformat_parse(ck->links, strlen(ck->links), &set, &lerr) == 0)
                linkformat_free(&set);
            else
                tcf_report(x, kp, false, "'value' is not valid link format: %s", lerr.msg);
        }
    }
    json_t *ig = json_object_get(links, "ignore_attributes");
    tcf_ptr_key(kp, sizeof kp, ptr, "ignore_attributes");
    if (!ig) {
        /* LwM2M 1.1 clients add dim= to multi-instance resources; tolerated unless named. */
        ck->ignore_attributes = tcf_calloc(x, 1, sizeof *ck->ignore_attributes);
        if (ck->ignore_attributes) {
            ck->ignore_attributes[0] = tcf_strdup(x, "dim");
            ck->ignore_attribute_count = ck->ignore_attributes[0] ? 1 : 0;
        }
    } else if (!json_is_array(ig)) {
        tcf_report(x, kp, false, "'ignore_attributes' must be an array of attribute names, not %s",
                   tcf_jtype(ig));
    } else {
        size_t n;
        ck->ignore_attributes = tcf_take_string_array(x, links, ptr, "ignore_attributes", &n, NULL);
        ck->ignore_attribute_count = n;
        if (!ck->ignore_attributes) /* [] must stay distinguishable from "not loaded" */
            ck->ignore_attributes = tcf_calloc(x, 1, sizeof *ck->ignore_attributes);
    }
    /* attribute names an observed link may leave out; an observed value must still match */
    size_t nopt;
    ck->optional_attributes =
        tcf_take_string_array(x, links, ptr, "optional_attributes", &nopt, NULL);
    ck->optional_attribute_count = nopt;
    if (json_object_get(links, "optional_attributes") && ck->links_mode == TC_LINKS_EXCLUDES) {
        tcf_ptr_key(kp, sizeof kp, ptr, "optional_attributes");
        tcf_report(x, kp, false,
                   "'optional_attributes' has no meaning in 'excludes' mode (an excluded link "
                   "fails on any one of its attributes already)");
    }
    /* "without": ["/16/0"]: no observed link at or under these paths */
    size_t nw;
    ck->links_without = tcf_take_string_array(x, links, ptr, "without", &nw, NULL);
    ck->links_without_count = nw;
    for (size_t i = 0; i < nw; i++) {
        lwm2m_path p;
        if (lwm2m_path_parse(ck->links_without[i], &p) != 0) {
            char wp[512];
            tcf_ptr_key(kp, sizeof kp, ptr, "without");
            tcf_ptr_idx(wp, sizeof wp, kp, i);
            tcf_report(x, wp, false, "'without' lists LwM2M paths such as \"/16/0\", not '%s'",
                       ck->links_without[i]);
        }
    }
}

static void load_value_expects(tcf_ctx *x, const json_t *arr, const char *ptr, tc_check *ck)
{
    if (!json_is_array(arr)) {
        tcf_report(x, ptr, false,
                   "'values' must be an array of {\"path\", \"equals\"} or {\"path\", \"absent\": "
                   "true}, not %s",
                   tcf_jtype(arr));
        return;
    }
    size_t n = json_array_size(arr);
    if (n == 0)
        tcf_report(x, ptr, false, "'values' is empty: list at least one path");
    ck->values = tcf_calloc(x, n, sizeof *ck->values);
    if (n && !ck->values)
        return;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(arr, i);
        char ep[512], kp[512];
        tcf_ptr_idx(ep, sizeof ep, ptr, i);
        if (!json_is_object(e)) {
            tcf_report(x, ep, false, "each expected value must be an object, not %s", tcf_jtype(e));
            continue;
        }
        tcf_check_keys(x, e, ep, tc_keys_value_expect);
        tc_value_expect *ve = &ck->values[ck->value_count++];
        ve->path = tcf_take_path(x, e, ep, 1, true);
        json_t *eq = json_object_get(e, "equals");
        json_t *ab = json_object_get(e, "absent");
        if (eq) {
            tcf_ptr_key(kp, sizeof kp, ep, "equals");
            if (!json_is_string(eq) && !json_is_number(eq) && !json_is_boolean(eq)) {
                tcf_report(x, kp, false, "'equals' must be a string, number or boolean, not %s",
                           tcf_jtype(eq));
            } else {
                ve->equals = tcf_scalar_text(x, eq);
                tcf_check_vars(x, kp, ve->equals);
            }
        }
        if (ab) {
            tcf_ptr_key(kp, sizeof kp, ep, "absent");
            if (!json_is_true(ab))
                tcf_report(x, kp, false, "'absent' can only be true (leave it out otherwise)");
            else if (eq)
                tcf_report(x, kp, true, "give either 'equals' or 'absent', not both");
            else
                ve->absent = true;
        }
    }
}

/* A pmin or pmax: seconds >= 0, or one variable ("${var.pmax}") resolved when judged. */
static void load_period_value(tcf_ctx *x, const json_t *v, const char *kp, const char *name,
                              double *num, char **var)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = strlen(s);
        if (n < 4 || strncmp(s, "${", 2) != 0 || s[n - 1] != '}' || strchr(s + 2, '$')) {
            tcf_report(x, kp, false, "'%s' is a number of seconds or one variable such as "
                       "\"${var.%s}\", not '%s'", name, name, s);
            return;
        }
        tcf_check_vars(x, kp, s);
        *var = tcf_strdup(x, s);
        return;
    }
    if (!json_is_number(v) || json_number_value(v) < 0) {
        tcf_report(x, kp, false, "'%s' must be a number of seconds >= 0", name);
        return;
    }
    *num = json_number_value(v);
}

/* "periods": [{"path": "/10/0/5", "pmin": …, "pmax": …}]: the windows on that path are
 * timed by these instead of the check's pmin/pmax. */
static void load_periods(tcf_ctx *x, const json_t *v, const char *ptr, tc_check *ck)
{
    if (!json_is_array(v) || json_array_size(v) == 0) {
        tcf_report(x, ptr, false, "'periods' must be a non-empty array of {\"path\", \"pmin\", "
                   "\"pmax\"}, not %s", tcf_jtype(v));
        return;
    }
    size_t n = json_array_size(v);
    ck->notif_periods = tcf_calloc(x, n, sizeof *ck->notif_periods);
    for (size_t i = 0; i < n && ck->notif_periods; i++) {
        char ip[512], kp[512];
        tcf_ptr_idx(ip, sizeof ip, ptr, i);
        const json_t *e = json_array_get(v, i);
        const json_t *path = json_is_object(e) ? json_object_get(e, "path") : NULL;
        if (!path || !json_is_string(path) || json_string_value(path)[0] != '/') {
            tcf_report(x, ip, false, "a period is {\"path\": \"/10/0/5\", \"pmin\": …, "
                       "\"pmax\": …}: the path of the windows it times");
            continue;
        }
        struct tc_notif_period *p = &ck->notif_periods[ck->notif_period_count++];
        p->path = tcf_strdup(x, json_string_value(path));
        p->pmin = p->pmax = -1;
        const char *const names[] = {"pmin", "pmax"};
        for (int k = 0; k < 2; k++) {
            const json_t *pv = json_object_get(e, names[k]);
            if (!pv)
                continue;
            tcf_ptr_key(kp, sizeof kp, ip, names[k]);
            load_period_value(x, pv, kp, names[k], k ? &p->pmax : &p->pmin,
                              k ? &p->pmax_var : &p->pmin_var);
        }
        const char *key;
        const json_t *unused;
        json_object_foreach((json_t *)e, key, unused) {
            (void)unused;
            if (strcmp(key, "path") && strcmp(key, "pmin") && strcmp(key, "pmax"))
                tcf_report(x, ip, false, "unknown key '%s' in a period (path, pmin, pmax)", key);
        }
    }
}

/* "notifications": {"min_count", "max_count", "pmin", "pmax", "tolerance", "values",
 * "periods"} */
static void load_notifications(tcf_ctx *x, const json_t *o, const char *ptr, tc_check *ck)
{
    if (!ck)
        return;
    ck->notif_min_count = ck->notif_max_count = -1;
    ck->notif_pmin = ck->notif_pmax = -1;
    ck->notif_tolerance = 1.0;
    if (!json_is_object(o)) {
        tcf_report(x, ptr, false, "'notifications' must be an object, not %s", tcf_jtype(o));
        return;
    }
    tcf_check_keys(x, o, ptr, tc_keys_notifications);
    static const char *const names[] = {"min_count", "max_count", "pmin", "pmax", "tolerance"};
    for (size_t i = 0; i < 5; i++) {
        json_t *v = json_object_get(o, names[i]);
        if (!v)
            continue;
        char kp[512];
        tcf_ptr_key(kp, sizeof kp, ptr, names[i]);
        bool count = i < 2;
        if ((i == 2 || i == 3) && json_is_string(v)) { /* one variable: the case's timing */
            const char *s = json_string_value(v);
            size_t n = strlen(s);
            if (n < 4 || strncmp(s, "${", 2) != 0 || s[n - 1] != '}' || strchr(s + 2, '$')) {
                tcf_report(x, kp, false, "'%s' is a number of seconds or one variable such as "
                           "\"${var.%s}\", not '%s'", names[i], names[i], s);
                continue;
            }
            tcf_check_vars(x, kp, s);
            if (i == 2)
                ck->notif_pmin_var = tcf_strdup(x, s);
            else
                ck->notif_pmax_var = tcf_strdup(x, s);
            continue;
        }
        if (count ? !json_is_integer(v) || json_integer_value(v) < 0
                  : !json_is_number(v) || json_number_value(v) < 0) {
            tcf_report(x, kp, false, "'%s' must be %s", names[i],
                       count ? "a whole number >= 0" : "a number of seconds >= 0");
            continue;
        }
        if (i == 0)
            ck->notif_min_count = (long)json_integer_value(v);
        else if (i == 1)
            ck->notif_max_count = (long)json_integer_value(v);
        else if (i == 2)
            ck->notif_pmin = json_number_value(v);
        else if (i == 3)
            ck->notif_pmax = json_number_value(v);
        else
            ck->notif_tolerance = json_number_value(v);
    }
    /* a timing criterion states its tolerance: the reader of a FAIL sees what was allowed */
    if ((ck->notif_min_count >= 0 || ck->notif_pmin >= 0 || ck->notif_pmax >= 0) &&
        !json_object_get(o, "tolerance"))
        tcf_report(x, ptr, false, "a timing criterion (a count, pmin or pmax) states its "
                   "tolerance: \"tolerance\": seconds each way (timer granularity and network "
                   "delay; 1 on a quick link, more where a CoAP retransmission must pass)");
    if (ck->notif_min_count >= 0 && ck->notif_max_count >= 0 &&
        ck->notif_min_count > ck->notif_max_count)
        tcf_report(x, ptr, false, "'min_count' is more than 'max_count'");
    json_t *v = json_object_get(o, "values");
    if (v) {
        char kp[512];
        tcf_ptr_key(kp, sizeof kp, ptr, "values");
        load_value_expects(x, v, kp, ck);
    }
    if ((v = json_object_get(o, "periods"))) {
        char kp[512];
        tcf_ptr_key(kp, sizeof kp, ptr, "periods");
        load_periods(x, v, kp, ck);
    }
    if (json_object_size(o) == 0)
        tcf_report(x, ptr, false, "'notifications' names no bound (min_count, max_count, pmin, "
                   "pmax, values)");
}

/* True when one of the entries numbered like step (one ETS step of several requests) is
 * an expect-register or expect-update: a registration check judges those entries. */
static bool step_has_registration(const tc_case *c, const tc_step *step)
{
    for (size_t i = 0; c && step && i < c->step_count; i++)
        if (c->steps[i].number == step->number &&
            (c->steps[i].op == TC_OP_EXPECT_REGISTER || c->steps[i].op == TC_OP_EXPECT_UPDATE))
            return true;
    return false;
}

static void load_expect(tcf_ctx *x, const json_t *exp, const char *base, tc_criterion *cr,
                        const tc_step *step, const tc_case *c)
{
    char ptr[512];
    tcf_check_keys(x, exp, base, tc_keys_expect);
    const json_t *lv = json_object_get(exp, "links");
    cr->checks = tcf_calloc(x, 12 + (json_is_array(lv) ? json_array_size(lv) : 0),
                            sizeof *cr->checks);
    if (!cr->checks)
        return;
    size_t known = 0;
    json_t *v;
    /* Fixed order, whatever the file's: the code is judged first, as a reader expects. */
    if ((v = json_object_get(exp, "code"))) {
        known++;
        tcf_ptr_key(ptr, sizeof ptr, base, "code");
        if (json_is_array(v) && json_array_size(v) > 1) {
            /* several codes the specification allows ("4.05" or "4.00"): kept as "4.05,4.00" */
            char joined[256] = "";
            bool ok = true;
            for (size_t i = 0; i < json_array_size(v) && ok; i++) {
                json_t *e = json_array_get(v, i);
                /* {"code": "4.01", "if": "access-control"}: allowed only when the
                 * configuration in use has that feature (kept as "4.01?access-control") */
                const char *cond = NULL;
                if (json_is_object(e) && json_object_size(e) == 2 &&
                    json_is_string(json_object_get(e, "if"))) {
                    cond = json_string_value(json_object_get(e, "if"));
                    if (strcmp(cond, "access-control") != 0 && strcmp(cond, "multi-server") != 0)
                        cond = NULL, ok = false;
                    e = json_object_get(e, "code");
                }
                ok = ok && json_is_string(e) && valid_code(json_string_value(e)) &&
                     strlen(joined) + 6 + (cond ? strlen(cond) + 1 : 0) < sizeof joined;
                if (ok)
                    snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%s%s%s",
                             i ? "," : "", json_string_value(e), cond ? "?" : "",
                             cond ? cond : "");
            }
            if (!ok)
                tcf_report(x, ptr, false, "'code' as an array lists at most 20 codes the "
                           "specification allows, each class.detail (\"4.05\", \"4.00\") or "
                           "{\"code\": \"4.01\", \"if\": \"access-control\" or \"multi-server\"}");
            else
                add_check(x, cr, TC_CHECK_CODE, ptr)->code = tcf_strdup(x, joined);
        } else if (!json_is_string(v))
            tcf_report(x, ptr, false, "'code' must be a string such as \"2.05\" (or an array of "
                       "the codes the specification allows), not %s", tcf_jtype(v));
        else if (!valid_code(json_string_value(v)) && strcmp(json_string_value(v), "success") != 0)
            tcf_report(x, ptr, false,
                       "bad response code '%s' (expected \"success\" or class.detail with two detail digits, "
                       "such as \"2.05\" or \"4.04\")",
                       json_string_value(v));
        else
            add_check(x, cr, TC_CHECK_CODE, ptr)->code = tcf_strdup(x, json_string_value(v));
    }
    if ((v = json_object_get(exp, "content_format"))) {
        known++;
        tcf_ptr_key(ptr, sizeof ptr, base, "content_format");
        if (json_is_array(v)) { /* ["senml-cbor", "senml-json"]: the device's choice of two */
            char ip[512];
            int cf[2] = {-1, -1};
            for (size_t i = 0; i < json_array_size(v) && i < 2; i++) {
                tcf_ptr_idx(ip, sizeof ip, ptr, i);
                cf[i] = tcf_take_content_format(x, json_array_get(v, i), ip, "content_format");
            }
            if (json_array_size(v) != 2)
                tcf_report(x, ptr, false, "'content_format' as an array names exactly two "
                           "formats, either of which passes");
            else if (cf[0] >= 0 && cf[1] >= 0) {
                tc_check *ck = add_check(x, cr, TC_CHECK_CONTENT_FORMAT, ptr);
                ck->content_format = cf[0];
                ck->content_format_alt = cf[1];
            }
        } else {
            int cf = tcf_take_content_format(x, v, ptr, "content_format");
            if (cf >= 0)
                add_check(x, cr, TC_CHECK_CONTENT_FORMAT, ptr)->content_format = cf;
        }
    }
    if ((v = json_object_get(exp, "registration"))) {
        known++;
        tcf_ptr_key(ptr, sizeof ptr, base, "registration");
        if (!json_is_object(v)) {
            tcf_report(x, ptr, false, "'registration' must be an object, not %s", tcf_jtype(v));
        } else {
            if (step && (int)step->op < TC_OP__COUNT && !step_has_registration(c, step))
                tcf_report(x, ptr, true,
                           "a registration check judges an expect-register or expect-update step; "
                           "step %d is '%s'",
                           step->number, tc_op_name(step->op));
            load_registration(x, v, ptr, add_check(x, cr, TC_CHECK_REGISTRATION, ptr));
        }
    }
    if ((v = json_object_get(exp, "links"))) {
        known++;
        tcf_ptr_key(ptr, sizeof ptr, base, "links");
        if (json_is_array(v) && json_array_size(v) > 0) {
            /* several link checks on one Discover (int-4: the server accounts are gone,
             * the bootstrap account is kept), each with its own mode */
            for (size_t i = 0; i < json_array_size(v); i++) {
                char iptr[300];
                tcf_ptr_idx(iptr, sizeof iptr, ptr, i);
                const json_t *e = json_array_get(v, i);
                if (!json_is_object(e))
                    tcf_report(x, iptr, false, "each 'links' entry must be an object {\"mode\", "
                               "\"value\"}, not %s", tcf_jtype(e));
                else
                    load_links(x, e, iptr, add_check(x, cr, TC_CHECK_LINKS, iptr));
            }
        } else if (!json_is_object(v))
            tcf_report(x, ptr, false, "'links' must be an object {\"mode\", \"value\"} or an "
                       "array of them, not %s", tcf_jtype(v));
        else
            load_links(x, v, ptr, add_check(x, cr, TC_CHECK_LINKS, ptr));
    }
    if ((v = json_object_get(exp, "values"))) {
        known++;
        tcf_ptr_key(ptr, sizeof ptr, base, "values");
        load_value_expects(x, v, ptr, add_check(x, cr, TC_CHECK_VALUES, ptr));
    }
    if ((v = json_object_get(exp, "answered"))) {
        known++;
        tcf_ptr_key(ptr, sizeof ptr, base, "answered");
        if (!json_is_true(v))
            tcf_report(x, ptr, false, "'answered' can only be true (leave it out otherwise)");
        else
            add_check(x, cr, TC_CHECK_ANSWERED, ptr);
    }
    if ((v = json_object_get(exp, "notifications"))) {
        known++;
        tcf_ptr_key(ptr, sizeof ptr, base, "notifications");
        if (step && (step->op != TC_OP_EXPECT_NOTIFICATION ||
                     (step->wait_ms <= 0 && !step->duration_var)))
            tcf_report(x, ptr, false, "a notifications check judges an expect-notification step "
                       "with a 'duration' (the window it collects); step %d is %s", step->number,
                       tc_op_name(step->op));
        load_notifications(x, v, ptr, add_check(x, cr, TC_CHECK_NOTIFICATIONS, ptr));
    }
    if ((v = json_object_get(exp, "firmware"))) {
        known++;
        tcf_ptr_key(ptr, sizeof ptr, base, "firmware");
        tc_load_firmware_check(x, v, ptr, add_check(x, cr, TC_CHECK_FIRMWARE, ptr));
    }
    if ((v = json_object_get(exp, "dtls"))) {
        known++;
        tcf_ptr_key(ptr, sizeof ptr, base, "dtls");
        if (!json_is_true(v))
            tcf_report(x, ptr, false, "'dtls' can only be true (leave it out otherwise)");
        else
            add_check(x, cr, TC_CHECK_DTLS, ptr);
    }
    if ((v = json_object_get(exp, "queued"))) {
        known++;
        tcf_ptr_key(ptr, sizeof ptr, base, "queued");
        if (!json_is_true(v))
            tcf_report(x, ptr, false, "'queued' can only be true (leave it out otherwise)");
        else
            add_check(x, cr, TC_CHECK_QUEUED, ptr);
    }
    if ((v = json_object_get(exp, "registered"))) {
        known++;
        tcf_ptr_key(ptr, sizeof ptr, base, "registered");
        if (!json_is_boolean(v))
            tcf_report(x, ptr, false, "'registered' must be true or false, not %s",
                       tcf_jtype(v));
        else
            add_check(x, cr, TC_CHECK_REGISTERED, ptr)->registered = json_is_true(v);
    }
    if ((v = json_object_get(exp, "within_paths"))) {
        known++;
        tcf_ptr_key(ptr, sizeof ptr, base, "within_paths");
        if (!json_is_true(v))
            tcf_report(x, ptr, false, "'within_paths' can only be true (leave it out otherwise)");
        else if (step && (int)step->op < TC_OP__COUNT && !tc_op_reads(step->op))
            tcf_report(x, ptr, false, "a within_paths check judges a step that reads (its "
                       "'paths', or its 'path'); step %d is %s", step->number,
                       tc_op_name(step->op));
        else
            add_check(x, cr, TC_CHECK_WITHIN_PATHS, ptr);
    }
    if ((v = json_object_get(exp, "no_response"))) {
        tcf_ptr_key(ptr, sizeof ptr, base, "no_response");
        if (!json_is_true(v))
            tcf_report(x, ptr, false, "'no_response' can only be true (leave it out otherwise)");
        else if (known)
            tcf_report(x, ptr, true, "'no_response' cannot be combined with other checks");
        else
            add_check(x, cr, TC_CHECK_NO_RESPONSE, ptr);
        known++;
    }
    if (known == 0)
        tcf_report(x, base, false,
                   "'expect' names no check (use one or more of: code, content_format, "
                   "registration, links, values, answered, dtls, queued, notifications, "
                   "registered, within_paths, no_response)");
}

/* The step a criterion judges; of a step of several requests (a repeated number), the
 * last, which is the one a criterion's checks are written for (the notifications an
 * expect-notification collects after its set-up requests). */
static const tc_step *find_step(const tc_case *c, int number)
{
    const tc_step *found = NULL;
    for (size_t i = 0; i < c->step_count; i++)
        if (c->steps[i].number == number)
            found = &c->steps[i];
    return found;
}

/* One step number a criterion judges: it must name a step of the case. */
static const tc_step *criterion_step(tcf_ctx *x, const tc_case *c, tc_criterion *cr,
                                     const json_t *v, const char *ptr)
{
    json_int_t sn;
    if (!tcf_take_int(x, v, ptr, "'step'", 1, 9999, &sn))
        return NULL;
    cr->step = cr->step ? cr->step : (int)sn;
    const tc_step *step = find_step(c, (int)sn);
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
        tcf_report(x, ptr, false, "criterion%s judges step %d, but there is no step %d (steps: %s)",
                   letter, (int)sn, (int)sn, list);
    }
    return step;
}

/* Every value a criterion names must lie at or under the path of a request that reads
 * (tc_op_reads) among the steps it judges (for a notifications check, of an
 * expect-notification window): the matcher judges each reading request only on the values
 * under its own path (run/match.c), so a value under none of them would never be judged. */
static void check_value_scope(tcf_ctx *x, const tc_case *c, const tc_criterion *cr,
                              const char *cb)
{
    for (size_t k = 0; k < cr->check_count; k++) {
        const tc_check *ck = &cr->checks[k];
        bool notif = ck->kind == TC_CHECK_NOTIFICATIONS;
        if (ck->kind != TC_CHECK_VALUES && !notif)
            continue;
        for (size_t v = 0; v < ck->value_count; v++) {
            lwm2m_path vp;
            if (!ck->values[v].path || lwm2m_path_parse(ck->values[v].path, &vp) < 0)
                continue; /* already reported */
            bool judged = false, covered = false;
            char paths[256] = "";
            size_t used = 0;
            for (size_t i = 0; i < c->step_count && !covered; i++) {
                const tc_step *s = &c->steps[i];
                lwm2m_path sp;
                if (!tc_criterion_judges(cr, s->number) ||
                    (notif && s->op != TC_OP_EXPECT_NOTIFICATION))
                    continue;
                judged = true;
                if (tc_op_reads(s->op) && (!s->path || lwm2m_path_parse(s->path, &sp) < 0 ||
                                           lwm2m_path_is_under(&vp, &sp)))
                    covered = true;
                else if (used < sizeof paths)
                    used += (size_t)snprintf(paths + used, sizeof paths - used, "%s%s%s%s",
                                             used ? ", " : "", tc_op_name(s->op),
                                             s->path ? " " : "", s->path ? s->path : "");
            }
            if (!judged || covered)
                continue;
            char ptr[512];
            snprintf(ptr, sizeof ptr, "%s/expect/%svalues/%zu/path", cb,
                     notif ? "notifications/" : "", v);
            tcf_report(x, ptr, false,
                       "criterion %c: %s is under none of the paths its step%s read%s (%s), so "
                       "no response can hold it (only the answer to a read, observe or "
                       "notification carries values)",
                       cr->letter ? cr->letter : '?', ck->values[v].path,
                       cr->more_step_count ? "s" : "", cr->more_step_count ? "" : "s", paths);
        }
    }
}

void tc_load_criteria(tcf_ctx *x, const json_t *arr, tc_case *c)
{
    const char *base = "/pass_criteria";
    if (!json_is_array(arr)) {
        tcf_report(x, base, false, "'pass_criteria' must be an array of criteria, not %s",
                   tcf_jtype(arr));
        return;
    }
    size_t n = json_array_size(arr);
    if (n == 0) {
        tcf_report(x, base, false, "'pass_criteria' is empty: a case needs at least criterion A");
        return;
    }
    c->criteria = tcf_calloc(x, n, sizeof *c->criteria);
    if (!c->criteria)
        return;
    char prev = 0; /* the last well-formed letter */
    for (size_t i = 0; i < n; i++) {
        json_t *obj = json_array_get(arr, i);
        char cb[512], ptr[512];
        tcf_ptr_idx(cb, sizeof cb, base, i);
        if (!json_is_object(obj)) {
            tcf_report(x, cb, false, "each criterion must be an object, not %s", tcf_jtype(obj));
            continue;
        }
        tc_criterion *cr = &c->criteria[c->criterion_count++];
        tcf_pos_of(x, cb, &cr->line, &cr->column);
        tcf_check_keys(x, obj, cb, tc_keys_criterion);

        json_t *v = tcf_member(x, obj, cb, "criterion", true);
        tcf_ptr_key(ptr, sizeof ptr, cb, "criterion");
        if (v) {
            const char *s = json_is_string(v) ? json_string_value(v) : NULL;
            if (!s || strlen(s) != 1 || s[0] < 'A' || s[0] > 'Z') {
                tcf_report(x, ptr, false,
                           "'criterion' must be one capital letter as in the spec ('A', 'B', …), "
                           "not %s%s%s",
                           s ? "'" : "", s ? s : tcf_jtype(v), s ? "'" : "");
            } else {
                cr->letter = s[0];
                const tc_criterion *dup = NULL;
                for (size_t k = 0; k + 1 < c->criterion_count; k++)
                    if (c->criteria[k].letter == cr->letter)
                        dup = &c->criteria[k];
                char expected = prev ? (char)(prev + 1) : 'A';
                if (dup)
                    tcf_report(x, ptr, false, "duplicate criterion letter '%c' (first at line %d)",
                               cr->letter, dup->line);
                else if (cr->letter != expected)
                    tcf_report(x, ptr, false,
                               "criterion letters must run A, B, C… in order: expected '%c' here, "
                               "found '%c'",
                               expected, cr->letter);
                if (!dup)
                    prev = cr->letter;
            }
        }
        const tc_step *step = NULL;
        v = tcf_member(x, obj, cb, "step", true);
        tcf_ptr_key(ptr, sizeof ptr, cb, "step");
        if (v && json_is_array(v) && json_array_size(v) > 0) {
            /* one criterion over several steps ("success for steps 1., 2., 3. and 4.") */
            size_t ns = json_array_size(v);
            cr->more_steps = tcf_calloc(x, ns, sizeof *cr->more_steps);
            for (size_t s = 0; s < ns && (ns == 1 || cr->more_steps); s++) {
                char sp[512];
                tcf_ptr_idx(sp, sizeof sp, ptr, s);
                const tc_step *found = criterion_step(x, c, cr, json_array_get(v, s), sp);
                if (s == 0) {
                    step = found;
                    cr->step = found ? found->number : cr->step;
                } else if (found) {
                    cr->more_steps[cr->more_step_count++] = found->number;
                }
            }
        } else if (v) {
            step = criterion_step(x, c, cr, v, ptr);
        }
        cr->text = tcf_take_string(x, obj, cb, "text", true);
        v = tcf_member(x, obj, cb, "expect", true);
        tcf_ptr_key(ptr, sizeof ptr, cb, "expect");
        if (v && !json_is_object(v))
            tcf_report(x, ptr, false, "'expect' must be an object, not %s", tcf_jtype(v));
        else if (v)
            load_expect(x, v, ptr, cr, step, c);
        check_value_scope(x, c, cr, cb);
        v = json_object_get(obj, "comment");
        if (v && !json_is_string(v)) {
            tcf_ptr_key(ptr, sizeof ptr, cb, "comment");
            tcf_report(x, ptr, false, "'comment' must be a string, not %s", tcf_jtype(v));
        }
    }
}
