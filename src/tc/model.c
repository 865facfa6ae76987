#include "tc/model.h"

#include <math.h>

#include <stdlib.h>
#include <string.h>

/* Indexed by tc_op; the names are the "op" values of the definition format. */
static const char *const op_names[TC_OP__COUNT] = {
    [TC_OP_EXPECT_REGISTER] = "expect-register",
    [TC_OP_EXPECT_UPDATE] = "expect-update",
    [TC_OP_EXPECT_DEREGISTER] = "expect-deregister",
    [TC_OP_READ] = "read",
    [TC_OP_WRITE] = "write",
    [TC_OP_WRITE_PARTIAL] = "write-partial",
    [TC_OP_EXECUTE] = "execute",
    [TC_OP_CREATE] = "create",
    [TC_OP_DELETE] = "delete",
    [TC_OP_DISCOVER] = "discover",
    [TC_OP_WRITE_ATTRIBUTES] = "write-attributes",
    [TC_OP_OBSERVE] = "observe",
    [TC_OP_CANCEL_OBSERVE] = "cancel-observe",
    [TC_OP_EXPECT_NOTIFICATION] = "expect-notification",
    [TC_OP_RESET_NOTIFICATION] = "reset-notification",
    [TC_OP_WAIT] = "wait",
    [TC_OP_EXPECT_REGISTERED] = "expect-registered",
    [TC_OP_EXPECT_BOOTSTRAP_REQUEST] = "expect-bootstrap-request",
    [TC_OP_BOOTSTRAP_DELETE] = "bootstrap-delete",
    [TC_OP_BOOTSTRAP_WRITE] = "bootstrap-write",
    [TC_OP_BOOTSTRAP_DISCOVER] = "bootstrap-discover",
    [TC_OP_BOOTSTRAP_READ] = "bootstrap-read",
    [TC_OP_BOOTSTRAP_FINISH] = "bootstrap-finish",
    [TC_OP_BOOTSTRAP_PROVISION] = "bootstrap-provision",
    [TC_OP_READ_COMPOSITE] = "read-composite",
    [TC_OP_WRITE_COMPOSITE] = "write-composite",
    [TC_OP_OBSERVE_COMPOSITE] = "observe-composite",
    [TC_OP_CANCEL_OBSERVE_COMPOSITE] = "cancel-observe-composite",
    [TC_OP_EXPECT_SEND] = "expect-send",
    [TC_OP_TRIGGER_SEND] = "trigger-send",
    [TC_OP_EXPECT_BOOTSTRAP_PACK_REQUEST] = "expect-bootstrap-pack-request",
    [TC_OP_FORGET_REGISTRATION] = "forget-registration",
    [TC_OP_EXPECT_DISCARDED_UPDATE] = "expect-discarded-update",
    [TC_OP_FIRMWARE_RESET] = "firmware-reset",
    [TC_OP_FIRMWARE_DELIVER] = "firmware-deliver",
    [TC_OP_FIRMWARE_WAIT] = "firmware-wait",
};

const char *tc_op_name(tc_op op)
{
    if ((int)op < 0 || op >= TC_OP__COUNT)
        return NULL;
    return op_names[op];
}

int tc_op_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < TC_OP__COUNT; i++)
        if (strcmp(op_names[i], name) == 0)
            return i;
    return -1;
}

bool tc_op_is_bootstrap(tc_op op)
{
    return (op >= TC_OP_EXPECT_BOOTSTRAP_REQUEST && op <= TC_OP_BOOTSTRAP_PROVISION) ||
           op == TC_OP_EXPECT_BOOTSTRAP_PACK_REQUEST;
}

static void free_strv(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void free_kv(tc_kv *kv, size_t n)
{
    for (size_t i = 0; kv && i < n; i++) {
        free(kv[i].name);
        free(kv[i].value);
    }
    free(kv);
}

static void free_step(tc_step *st)
{
    free(st->text);
    free(st->path);
    for (size_t i = 0; i < st->attribute_count; i++) {
        free(st->attributes[i].name);
        free(st->attributes[i].value);
    }
    free(st->attributes);
    for (size_t i = 0; i < st->value_count; i++) {
        free(st->values[i].path);
        free(st->values[i].type);
        free(st->values[i].value);
    }
    free(st->values);
    free(st->payload);
    free(st->bootstrap_account);
    free(st->unjudged);
    free(st->na_code);
    free(st->na_because);
    free(st->timeout_var);
    free(st->duration_var);
    free(st->fw_package);
    free(st->fw_delivery);
    free(st->fw_until);
    free_kv(st->arguments, st->argument_count);
    free_strv(st->paths, st->path_count);
}

static void free_check(tc_check *ck)
{
    free(ck->code);
    free(ck->reg_endpoint_name);
    free(ck->reg_lifetime);
    free(ck->reg_binding);
    free(ck->reg_lwm2m_version);
    free(ck->reg_pid);
    free(ck->reg_objects_present);
    free(ck->reg_objects_absent);
    free(ck->links);
    free_strv(ck->ignore_attributes, ck->ignore_attribute_count);
    free_strv(ck->optional_attributes, ck->optional_attribute_count);
    free_strv(ck->links_without, ck->links_without_count);
    for (size_t i = 0; i < ck->value_count; i++) {
        free(ck->values[i].path);
        free(ck->values[i].equals);
    }
    free(ck->values);
    free(ck->notif_pmin_var);
    free(ck->notif_pmax_var);
    for (size_t i = 0; i < ck->notif_period_count; i++) {
        free(ck->notif_periods[i].path);
        free(ck->notif_periods[i].pmin_var);
        free(ck->notif_periods[i].pmax_var);
    }
    free(ck->notif_periods);
    free(ck->fw_states);
    free(ck->fw_version);
    free(ck->fw_leading);
    free(ck->fw_results);
}

void tc_case_free(tc_case *c)
{
    if (!c)
        return;
    free(c->id);
    free(c->short_id);
    free(c->title);
    free(c->spec_ref);
    free(c->source);
    for (size_t i = 0; c->ets && i < c->ets_count; i++) {
        free(c->ets[i].id);
        free(c->ets[i].short_id);
        free(c->ets[i].section);
        free(c->ets[i].source);
    }
    free(c->ets);
    free(c->description);
    free(c->object);
    free(c->area);
    free(c->configuration);
    free_strv(c->preconditions, c->precondition_count);
    free_strv(c->depends_on, c->depends_on_count);
    free(c->depends_on_pos);
    free_strv(c->requires, c->requires_count);
    free_kv(c->variables, c->variable_count);
    for (size_t i = 0; i < c->step_count; i++)
        free_step(&c->steps[i]);
    free(c->steps);
    for (size_t i = 0; i < c->criterion_count; i++) {
        tc_criterion *cr = &c->criteria[i];
        free(cr->text);
        for (size_t j = 0; j < cr->check_count; j++)
            free_check(&cr->checks[j]);
        free(cr->checks);
        free(cr->more_steps);
    }
    free(c->criteria);
    free(c->file);
    free(c);
}

void tc_suite_free(tc_suite *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->count; i++)
        tc_case_free(s->cases[i]);
    free(s->cases);
    s->cases = NULL;
    s->count = 0;
}

const char *tc_short_id(const char *id)
{
    static const char prefix[] = "LightweightM2M-";
    if (!id || strncmp(id, prefix, sizeof prefix - 1) != 0)
        return id;
    /* The version ("1.0", "1.1") ends at the next '-'. */
    const char *dash = strchr(id + sizeof prefix - 1, '-');
    if (!dash || dash == id + sizeof prefix - 1 || dash[1] == '\0')
        return id;
    return dash + 1;
}

bool tc_case_matches(const tc_case *c, const char *id)
{
    if (!c || !id || !c->id)
        return false;
    if (strcmp(c->id, id) == 0)
        return true;
    const char *short_id = c->short_id ? c->short_id : tc_short_id(c->id);
    if (strcmp(short_id, id) == 0)
        return true;
    for (size_t i = 0; i < c->ets_count; i++)
        if ((c->ets[i].id && strcmp(c->ets[i].id, id) == 0) ||
            (c->ets[i].short_id && strcmp(c->ets[i].short_id, id) == 0))
            return true;
    return false;
}

const tc_ets_ref *tc_case_ets(const tc_case *c, const char *document)
{
    for (size_t i = 0; c && document && i < c->ets_count; i++)
        if (c->ets[i].document && strcmp(c->ets[i].document, document) == 0)
            return &c->ets[i];
    return NULL;
}

tc_case *tc_suite_find(const tc_suite *s, const char *id)
{
    if (!s)
        return NULL;
    for (size_t i = 0; i < s->count; i++)
        if (tc_case_matches(s->cases[i], id))
            return s->cases[i];
    return NULL;
}

const tc_step *tc_case_step(const tc_case *c, int number)
{
    if (!c)
        return NULL;
    for (size_t i = 0; i < c->step_count; i++)
        if (c->steps[i].number == number)
            return &c->steps[i];
    return NULL;
}

const tc_criterion *tc_case_criterion(const tc_case *c, char letter)
{
    if (!c)
        return NULL;
    for (size_t i = 0; i < c->criterion_count; i++)
        if (c->criteria[i].letter == letter)
            return &c->criteria[i];
    return NULL;
}

bool tc_criterion_judges(const tc_criterion *crit, int number)
{
    if (crit->step == number)
        return true;
    for (size_t i = 0; i < crit->more_step_count; i++)
        if (crit->more_steps[i] == number)
            return true;
    return false;
}

bool tc_op_reads(tc_op op)
{
    switch (op) {
    case TC_OP_READ:
    case TC_OP_OBSERVE:
    case TC_OP_EXPECT_NOTIFICATION:
    case TC_OP_RESET_NOTIFICATION:
    case TC_OP_READ_COMPOSITE:
    case TC_OP_OBSERVE_COMPOSITE:
    case TC_OP_CANCEL_OBSERVE_COMPOSITE:
    case TC_OP_EXPECT_SEND:
    case TC_OP_BOOTSTRAP_READ:
    case TC_OP_FIRMWARE_WAIT: return true;
    default: return false;
    }
}

long tc_min_notifications(double window_s, double pmax_s, double tolerance_s)
{
    if (pmax_s < 0 || window_s < 0)
        return -1;
    double slowest = pmax_s + (tolerance_s > 0 ? tolerance_s : 0);
    if (slowest <= 0)
        return -1;
    /* a hair of slack: 8 s / 4 s is 2, not 1.9999 */
    return (long)floor(window_s / slowest + 1e-9);
}
