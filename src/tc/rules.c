#include "tc/rules.h"

#include "lwm2m/path.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    int cf;
} content_formats[] = {
    {"text", 0},         {"link", 40},        {"opaque", 42},    {"cbor", 60},
    {"senml-json", 110}, {"senml-cbor", 112}, {"tlv", 11542},    {"json", 11543},
};

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

const char *const tc_rules_features[] = {"multi-server", "bootstrap", "access-control",
                                         "observe",      "lwm2m-1.1", "lwm2m-1.2", "psk",
                                         "queue-mode", "profile-id", "send", NULL};

const char *const tc_rules_value_types[] = {"string", "integer", "float",  "boolean",
                                            "opaque", "time",    "objlnk", NULL};

const char *const tc_rules_links_modes[] = {"exact", "contains", "excludes", NULL};

const char *const tc_keys_top[] = {
    "$schema",  "id",           "title",         "spec_ref",      "source",
    "object",   "area",         "description",   "configuration", "preconditions",
    "depends_on", "requires",   "device_reset",  "steps",         "pass_criteria",
    "variables", "comment",  "also_in", NULL};
const char *const tc_keys_step[] = {"step",       "text",     "server",         "op",     "path",
                                    "attributes", "values",   "content_format", "accept", "payload",
                                    "timeout",    "duration", "after_step",     "or_expiry",
                                    "arguments",  "comment",  "bootstrap_account",
                                    "paths",      "package",  "delivery", "until",
                                    "unjudged",   "not_applicable_if", "setup", NULL};
const char *const tc_keys_write_value[] = {"path", "type", "value", NULL};
const char *const tc_keys_criterion[] = {"criterion", "step", "text", "expect", "comment", NULL};
const char *const tc_keys_expect[] = {"code",   "content_format", "registration", "links", "registered",
                                      "values", "answered",       "no_response",  "dtls", "notifications",
                                      "within_paths", "firmware", "queued", NULL};
const char *const tc_keys_firmware[] = {"states", "results", "version", "unchanged", "served",
                                         "leading_states", "taken", "ranges", NULL};
const char *const tc_keys_notifications[] = {"min_count", "max_count", "pmin", "pmax",
                                             "tolerance", "values",    "periods", NULL};
const char *const tc_keys_registration[] = {
    "ep", "lt", "b", "lwm2m", "objects_present", "objects_absent", "parameters", "queue", "pid", "objects", NULL};
const char *const tc_keys_links[] = {"mode", "value", "ignore_attributes", "optional_attributes",
                                     "without", NULL};
const char *const tc_keys_value_expect[] = {"path", "equals", "absent", NULL};

bool tc_rules_has(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

tc_op_rules tc_rules_for_op(tc_op op)
{
    tc_op_rules r = {0}; /* TC_FIELD_FORBIDDEN */
    switch (op) {
    case TC_OP_OBSERVE:
    case TC_OP_DISCOVER:
        /* LwM2M 1.2: an Observe may carry notification attributes in its Uri-Query
         * (core §5.5.1, int-312/313), a Discover the depth (§5.4.2, int-264/266) */
        r.path = TC_FIELD_REQUIRED;
        r.accept = TC_FIELD_OPTIONAL;
        r.attributes = TC_FIELD_OPTIONAL;
        break;
    case TC_OP_READ:
    case TC_OP_BOOTSTRAP_READ:
        r.path = TC_FIELD_REQUIRED;
        r.accept = TC_FIELD_OPTIONAL;
        break;
    case TC_OP_READ_COMPOSITE:
    case TC_OP_OBSERVE_COMPOSITE:
    case TC_OP_CANCEL_OBSERVE_COMPOSITE:
        /* the request body's format (SenML JSON by default) and the response's */
        r.paths = TC_FIELD_REQUIRED;
        r.accept = TC_FIELD_OPTIONAL;
        r.content_format = TC_FIELD_OPTIONAL;
        break;
    case TC_OP_WRITE_COMPOSITE:
        r.values = TC_FIELD_REQUIRED;
        r.content_format = TC_FIELD_OPTIONAL;
        break;
    case TC_OP_EXPECT_SEND: r.after_step = TC_FIELD_OPTIONAL; break;
    case TC_OP_BOOTSTRAP_DISCOVER:
        r.path = TC_FIELD_OPTIONAL;
        r.accept = TC_FIELD_OPTIONAL;
        break;
    case TC_OP_WRITE:
    case TC_OP_WRITE_PARTIAL:
    case TC_OP_CREATE:
        r.path = TC_FIELD_REQUIRED;
        r.values = TC_FIELD_OPTIONAL;
        r.content_format = TC_FIELD_OPTIONAL;
        r.payload = TC_FIELD_OPTIONAL;
        break;
    case TC_OP_BOOTSTRAP_WRITE:
        /* without a path: every instance of the configuration; with an instance path and
         * no values: that instance of the configuration */
        r.path = TC_FIELD_OPTIONAL;
        r.values = TC_FIELD_OPTIONAL;
        r.content_format = TC_FIELD_OPTIONAL;
        r.payload = TC_FIELD_OPTIONAL;
        break;
    case TC_OP_EXECUTE:
        r.path = TC_FIELD_REQUIRED;
        r.content_format = TC_FIELD_OPTIONAL;
        r.payload = TC_FIELD_OPTIONAL;
        r.arguments = TC_FIELD_OPTIONAL;
        break;
    case TC_OP_DELETE:
    case TC_OP_CANCEL_OBSERVE: r.path = TC_FIELD_REQUIRED; break;
    case TC_OP_EXPECT_NOTIFICATION:
        /* the observation is named by its path, or a composite one by its "paths" */
        r.path = TC_FIELD_OPTIONAL;
        r.paths = TC_FIELD_OPTIONAL;
        r.duration = TC_FIELD_OPTIONAL;
        r.after_step = TC_FIELD_OPTIONAL; /* a window's first gap from that step's answer */
        break;
    case TC_OP_RESET_NOTIFICATION: r.path = TC_FIELD_REQUIRED; break;
    case TC_OP_WRITE_ATTRIBUTES:
        r.path = TC_FIELD_REQUIRED;
        r.attributes = TC_FIELD_REQUIRED;
        break;
    case TC_OP_BOOTSTRAP_DELETE: r.path = TC_FIELD_OPTIONAL; break;
    case TC_OP_WAIT: r.duration = TC_FIELD_REQUIRED; break;
    case TC_OP_EXPECT_REGISTERED: r.duration = TC_FIELD_OPTIONAL; break;
    /* every wait for a message the device initiates is bounded (tc/case_checks.c) */
    case TC_OP_EXPECT_REGISTER:
    case TC_OP_EXPECT_DEREGISTER:
    case TC_OP_EXPECT_BOOTSTRAP_REQUEST: r.after_step = TC_FIELD_REQUIRED; break;
    case TC_OP_EXPECT_UPDATE:
        r.after_step = TC_FIELD_REQUIRED;
        r.or_expiry = TC_FIELD_OPTIONAL;
        break;
    case TC_OP_FIRMWARE_WAIT: r.path = TC_FIELD_REQUIRED; break; /* what it polls: /5/0 */
    default: /* expect-register/update/deregister, expect-bootstrap-request,
                bootstrap-finish, bootstrap-provision: nothing to address */
        break;
    }
    return r;
}

bool tc_rules_object_feature(const char *f, int *obj)
{
    if (strncmp(f, "object:", 7) != 0 || f[7] < '0' || f[7] > '9')
        return false;
    char *end;
    long v = strtol(f + 7, &end, 10);
    if (*end || v > 65535)
        return false;
    *obj = (int)v;
    return true;
}

bool tc_rules_value_feature(const char *f, const char **path)
{
    lwm2m_path p;
    if (strncmp(f, "value:/", 7) != 0 || lwm2m_path_parse(f + 6, &p) != 0 || p.depth < 3)
        return false;
    *path = f + 6;
    return true;
}

bool tc_rules_no_value_feature(const char *f, const char **path)
{
    lwm2m_path p;
    if (strncmp(f, "no-value:/", 10) != 0 || lwm2m_path_parse(f + 9, &p) != 0 || p.depth < 3)
        return false;
    *path = f + 9;
    return true;
}

bool tc_rules_version_feature(const char *f, int *major, int *minor)
{
    if (strcmp(f, "lwm2m-1.1") == 0) {
        *major = 1, *minor = 1;
        return true;
    }
    if (strcmp(f, "lwm2m-1.2") == 0) {
        *major = 1, *minor = 2;
        return true;
    }
    return false;
}

int tc_rules_case_version(const tc_case *c)
{
    int best = 10;
    for (size_t i = 0; i < c->requires_count; i++) {
        int ma, mi;
        if (tc_rules_version_feature(c->requires[i], &ma, &mi) && ma * 10 + mi > best)
            best = ma * 10 + mi;
    }
    return best;
}
