#include "tc/load_firmware.h"

#include <stdio.h>
#include <string.h>

#include "tc/rules.h"

const char *const tc_fw_packages[] = {"firmware", "corrupt", "unsupported", "install-failure",
                                      "oversized", NULL};
const char *const tc_fw_deliveries[] = {"push",        "pull",
                                        "any",         "pull-cut",
                                        "pull-else-push",
                                        "invalid-uri", "unsupported-protocol",
                                        NULL};
const char *const tc_fw_untils[] = {"download", "update", NULL};
static const char *const tc_fw_notif_untils[] = {"download", NULL};
const char *const tc_fw_reset_ways[] = {"push", "pull", NULL};

static void list_text(const char *const *list, char *buf, size_t cap)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; list[i] && k < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, "%s\"%s\"", i ? ", " : "", list[i]);
}

static char *take_name(tcf_ctx *x, const json_t *obj, const char *base, const char *key,
                       bool allowed, bool required, const char *opname,
                       const char *const *names)
{
    char ptr[512];
    tcf_ptr_key(ptr, sizeof ptr, base, key);
    const json_t *v = json_object_get(obj, key);
    if (!allowed) {
        if (v)
            tcf_report(x, ptr, true, "'%s' has no meaning for operation '%s'", key, opname);
        return NULL;
    }
    if (!v) {
        if (required)
            tcf_report(x, base, false, "missing required key '%s' for operation '%s'", key, opname);
        return NULL;
    }
    char all[256];
    list_text(names, all, sizeof all);
    if (!json_is_string(v) || !tc_rules_has(names, json_string_value(v))) {
        tcf_report(x, ptr, false, "'%s' must be one of %s", key, all);
        return NULL;
    }
    return tcf_strdup(x, json_string_value(v));
}

void tc_load_firmware_step(tcf_ctx *x, const json_t *obj, const char *base, int op, tc_step *st)
{
    if (op < 0)
        return;
    const char *opname = tc_op_name((tc_op)op);
    bool deliver = op == TC_OP_FIRMWARE_DELIVER, wait = op == TC_OP_FIRMWARE_WAIT,
         reset = op == TC_OP_FIRMWARE_RESET;
    st->fw_package = take_name(x, obj, base, "package", deliver, false, opname, tc_fw_packages);
    st->fw_delivery = take_name(x, obj, base, "delivery", deliver || reset, deliver, opname,
                                reset ? tc_fw_reset_ways : tc_fw_deliveries);
    /* expect-notification: "until": "download" passes over notifications of State 1 */
    bool notif = op == TC_OP_EXPECT_NOTIFICATION;
    st->fw_until = take_name(x, obj, base, "until", wait || notif, wait, opname,
                             notif ? tc_fw_notif_untils : tc_fw_untils);
    if (deliver && !st->fw_package && !json_object_get(obj, "package"))
        st->fw_package = tcf_strdup(x, "firmware");
}

static void take_ints(tcf_ctx *x, const json_t *obj, const char *base, const char *key, int **out,
                      size_t *count)
{
    char ptr[512];
    tcf_ptr_key(ptr, sizeof ptr, base, key);
    const json_t *a = json_object_get(obj, key);
    if (!a)
        return;
    if (!json_is_array(a) || json_array_size(a) == 0) {
        tcf_report(x, ptr, false, "'%s' must be a non-empty array of integers 0..255", key);
        return;
    }
    *out = tcf_calloc(x, json_array_size(a), sizeof **out);
    if (!*out)
        return;
    for (size_t i = 0; i < json_array_size(a); i++) {
        const json_t *e = json_array_get(a, i);
        char ip[512];
        tcf_ptr_idx(ip, sizeof ip, ptr, i);
        json_int_t n;
        if (tcf_take_int(x, e, ip, key, 0, 255, &n))
            (*out)[(*count)++] = (int)n;
    }
}

void tc_load_firmware_check(tcf_ctx *x, const json_t *v, const char *ptr, tc_check *ck)
{
    if (!json_is_object(v)) {
        tcf_report(x, ptr, false, "'firmware' must be an object such as {\"states\": [1, 2], "
                   "\"results\": [0]}, not %s", tcf_jtype(v));
        return;
    }
    tcf_check_keys(x, v, ptr, tc_keys_firmware);
    take_ints(x, v, ptr, "states", &ck->fw_states, &ck->fw_state_count);
    take_ints(x, v, ptr, "results", &ck->fw_results, &ck->fw_result_count);
    take_ints(x, v, ptr, "leading_states", &ck->fw_leading, &ck->fw_leading_count);
    if (ck->fw_leading_count && !json_object_get(v, "states")) {
        char lp[512];
        tcf_ptr_key(lp, sizeof lp, ptr, "leading_states");
        tcf_report(x, lp, false, "'leading_states' needs 'states' (they lead up to the first of those)");
    }
    const json_t *un = json_object_get(v, "unchanged");
    if (un) {
        char up[512];
        tcf_ptr_key(up, sizeof up, ptr, "unchanged");
        if (!json_is_true(un))
            tcf_report(x, up, false, "'unchanged' can only be true");
        ck->fw_unchanged = json_is_true(un);
    }
    const json_t *ver = json_object_get(v, "version");
    if (ver) {
        char vp[512];
        tcf_ptr_key(vp, sizeof vp, ptr, "version");
        if (!json_is_string(ver) || (strcmp(json_string_value(ver), "installed") != 0 &&
                                     strcmp(json_string_value(ver), "unchanged") != 0))
            tcf_report(x, vp, false, "'version' must be \"installed\" or \"unchanged\"");
        else
            ck->fw_version = tcf_strdup(x, json_string_value(ver));
    }
    const json_t *sv = json_object_get(v, "served");
    if (sv) {
        char sp[512];
        tcf_ptr_key(sp, sizeof sp, ptr, "served");
        if (!json_is_string(sv) || strcmp(json_string_value(sv), "complete") != 0)
            tcf_report(x, sp, false, "'served' can only be \"complete\"");
        ck->fw_served = true;
    }
    const json_t *tk = json_object_get(v, "taken");
    if (tk) {
        char tp[512];
        tcf_ptr_key(tp, sizeof tp, ptr, "taken");
        if (!json_is_string(tk) || strcmp(json_string_value(tk), "or-refused") != 0)
            tcf_report(x, tp, false, "'taken' can only be \"or-refused\"");
        ck->fw_taken_or_refused = true;
    }
    const json_t *rg = json_object_get(v, "ranges");
    if (rg) {
        char rp[512];
        tcf_ptr_key(rp, sizeof rp, ptr, "ranges");
        if (!json_is_true(rg))
            tcf_report(x, rp, false, "'ranges' can only be true");
        ck->fw_ranges = json_is_true(rg);
    }
    if (!json_object_get(v, "states") && !json_object_get(v, "results") && !ver && !un && !sv &&
        !tk && !rg)
        tcf_report(x, ptr, false, "'firmware' needs 'states', 'results', 'version', 'served', "
                   "'taken' or 'ranges'");
}
