#include "lwm2m/regquery.h"

#include <string.h>

#include "lwm2m/version.h"

/* Errors echo the offending parameter, but only this much of it: a device that sends a
 * 10 kB endpoint name should not flood the report. */
#define ECHO_MAX 64

bool regquery_binding_valid(const char *b)
{
    static const char letters[] = "USQTN";
    bool seen[sizeof letters - 1] = {false};
    if (!b || !*b)
        return false;
    for (; *b; b++) {
        const char *at = strchr(letters, *b);
        if (!at)
            return false;
        size_t i = (size_t)(at - letters);
        if (seen[i])
            return false;
        seen[i] = true;
    }
    return true;
}

static bool parse_lifetime(const char *s, int64_t *out)
{
    int64_t v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        int d = *s - '0';
        if (v > (INT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* "1.0", "1.1", "1.2": digits, one dot, digits. */
static bool version_valid(const char *s)
{
    size_t major = strspn(s, "0123456789");
    if (major == 0 || s[major] != '.')
        return false;
    size_t minor = strspn(s + major + 1, "0123456789");
    return minor > 0 && s[major + 1 + minor] == '\0';
}

static int copy_value(char *dst, size_t cap, const reg_param *p, lc_error *err)
{
    size_t n = strlen(p->value);
    if (n >= cap)
        return lc_error_set(err, LC_EINVAL, "%s: value of %zu bytes is longer than %zu bytes",
                            p->name, n, cap - 1);
    memcpy(dst, p->value, n + 1);
    return 0;
}

static int require_value(const reg_param *p, const char *what, lc_error *err)
{
    if (!p->has_value || !p->value[0])
        return lc_error_set(err, LC_EINVAL, "%s: %s is empty", p->name, what);
    return 0;
}

/* Known parameters fill their field; others are only kept in params. */
static int apply_known(reg_query *q, const reg_param *p, lc_error *err)
{
    int rc;
    if (strcmp(p->name, "ep") == 0) {
        if (q->has_endpoint_name)
            return lc_error_set(err, LC_EINVAL, "ep: given twice");
        if ((rc = require_value(p, "endpoint name", err)) < 0)
            return rc;
        if ((rc = copy_value(q->endpoint_name, sizeof q->endpoint_name, p, err)) < 0)
            return rc;
        q->has_endpoint_name = true;
    } else if (strcmp(p->name, "lt") == 0) {
        if (q->has_lifetime)
            return lc_error_set(err, LC_EINVAL, "lt: given twice");
        if (!p->has_value || !parse_lifetime(p->value, &q->lifetime))
            return lc_error_set(err, LC_EINVAL,
                                "lt=%.*s: lifetime is not a non-negative integer", ECHO_MAX,
                                p->value);
        q->has_lifetime = true;
    } else if (strcmp(p->name, "lwm2m") == 0) {
        if (q->has_lwm2m_version)
            return lc_error_set(err, LC_EINVAL, "lwm2m: given twice");
        if ((rc = require_value(p, "LwM2M version", err)) < 0)
            return rc;
        if ((rc = copy_value(q->lwm2m_version, sizeof q->lwm2m_version, p, err)) < 0)
            return rc;
        if (!version_valid(p->value))
            return lc_error_set(err, LC_EINVAL,
                                "lwm2m=%.*s: version is not of the form 1.0, 1.1", ECHO_MAX,
                                p->value);
        q->has_lwm2m_version = true;
    } else if (strcmp(p->name, "b") == 0) {
        if (q->has_binding)
            return lc_error_set(err, LC_EINVAL, "b: given twice");
        if ((rc = require_value(p, "binding mode", err)) < 0)
            return rc;
        if ((rc = copy_value(q->binding, sizeof q->binding, p, err)) < 0)
            return rc;
        if (!regquery_binding_valid(p->value))
            return lc_error_set(err, LC_EINVAL,
                                "b=%.*s: binding mode must combine the letters U, S, Q, T, N "
                                "(each at most once), e.g. U, UQ, T",
                                ECHO_MAX, p->value);
        q->has_binding = true;
    } else if (strcmp(p->name, "sms") == 0) {
        if (q->has_sms_number)
            return lc_error_set(err, LC_EINVAL, "sms: given twice");
        if ((rc = require_value(p, "SMS number", err)) < 0)
            return rc;
        if ((rc = copy_value(q->sms_number, sizeof q->sms_number, p, err)) < 0)
            return rc;
        q->has_sms_number = true;
    } else if (strcmp(p->name, "Q") == 0) {
        if (q->queue_mode)
            return lc_error_set(err, LC_EINVAL, "Q: given twice");
        if (p->has_value)
            return lc_error_set(err, LC_EINVAL, "Q=%.*s: the queue mode flag takes no value",
                                ECHO_MAX, p->value);
        q->queue_mode = true;
    }
    return 0;
}

static int split_param(const char *s, size_t index, reg_param *p, lc_error *err)
{
    const char *eq = strchr(s, '=');
    size_t name_len = eq ? (size_t)(eq - s) : strlen(s);
    memset(p, 0, sizeof *p);
    if (name_len == 0)
        return lc_error_set(err, LC_EINVAL, "query parameter %zu ('%.*s') has no name", index + 1,
                            ECHO_MAX, s);
    if (name_len >= sizeof p->name)
        return lc_error_set(err, LC_EINVAL,
                            "query parameter %zu: name '%.*s...' is longer than %zu bytes",
                            index + 1, 16, s, sizeof p->name - 1);
    memcpy(p->name, s, name_len);
    if (!eq)
        return 0;
    p->has_value = true;
    size_t value_len = strlen(eq + 1);
    if (value_len >= sizeof p->value)
        return lc_error_set(err, LC_EINVAL, "%s: value of %zu bytes is longer than %zu bytes",
                            p->name, value_len, sizeof p->value - 1);
    memcpy(p->value, eq + 1, value_len + 1);
    return 0;
}

bool regquery_may_omit_ep(const reg_query *q)
{
    lwm2m_version v, v11 = {1, 1};
    return q && q->has_lwm2m_version && lwm2m_version_parse(q->lwm2m_version, &v) == 0 &&
           lwm2m_version_cmp(v, v11) >= 0;
}

int regquery_endpoint_from_identity(reg_query *q, const char *identity, lc_error *err)
{
    if (q->has_endpoint_name)
        return 0;
    if (!identity || !*identity)
        return lc_error_set(err, LC_EINVAL,
                            "ep: missing, and the session gives no authenticated identifier "
                            "(NoSec): a Client may omit the endpoint name only when the security "
                            "protocol names it, e.g. its DTLS-PSK identity (LwM2M 1.1 §7.3.1)");
    size_t n = strlen(identity);
    if (n >= sizeof q->endpoint_name)
        return lc_error_set(err, LC_EINVAL, "ep: missing, and the PSK identity of %zu bytes is "
                            "longer than an endpoint name may be (%zu)", n,
                            sizeof q->endpoint_name - 1);
    memcpy(q->endpoint_name, identity, n + 1);
    q->has_endpoint_name = true;
    q->endpoint_from_identity = true;
    return 0;
}

int regquery_parse(const char *const *queries, size_t count, regquery_kind kind,
                   reg_query *out, lc_error *err)
{
    reg_query q;
    int rc;
    memset(&q, 0, sizeof q);
    if (!out || (count > 0 && !queries))
        return lc_error_set(err, LC_EINVAL, "regquery_parse: no query or no output");
    if (count > REGQUERY_MAX_PARAMS)
        return lc_error_set(err, LC_EINVAL, "%zu query parameters; at most %d are accepted",
                            count, REGQUERY_MAX_PARAMS);
    for (size_t i = 0; i < count; i++) {
        if (!queries[i])
            return lc_error_set(err, LC_EINVAL, "query parameter %zu is missing", i + 1);
        reg_param *p = &q.params[q.param_count];
        if ((rc = split_param(queries[i], i, p, err)) < 0)
            return rc;
        if ((rc = apply_known(&q, p, err)) < 0)
            return rc;
        q.param_count++;
    }
    /* LwM2M 1.1 §7.3.1: the Endpoint Client Name "MAY be omitted when the security protocol
     * provides to the server an authenticated identifier that is identical to this
     * parameter" (a DTLS-PSK identity); LwM2M 1.0 §5.3.1 requires it. Whether the session
     * gives one is the caller's to see (regquery_endpoint_from_identity). */
    if (kind == REGQUERY_REGISTER && !q.has_endpoint_name && !regquery_may_omit_ep(&q))
        return lc_error_set(err, LC_EINVAL,
                            "ep: missing; an LwM2M %s Register must carry the endpoint name "
                            "(ep=...); only a 1.1 or later Client may omit it, over a security "
                            "protocol that names it (LwM2M 1.1 §7.3.1)",
                            q.has_lwm2m_version ? q.lwm2m_version : "1.0");
    *out = q;
    return 0;
}

const reg_param *regquery_find(const reg_query *q, const char *name)
{
    if (!q || !name)
        return NULL;
    for (size_t i = 0; i < q->param_count; i++)
        if (strcmp(q->params[i].name, name) == 0)
            return &q->params[i];
    return NULL;
}
