#include "tc/vars.h"

#include "lwm2m/path.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    VAR_SERVER_LIFETIME,
    VAR_SERVER_BINDING,
    VAR_SERVER_SSID,
    VAR_SERVER_DEFAULT_PMIN,
    VAR_SERVER_DEFAULT_PMAX,
    VAR_SERVER_URI,
    VAR_SERVER_SECURITY_INSTANCE,
    VAR_SERVER_SERVER_INSTANCE,
    VAR_BOOTSTRAP_URI,
    VAR_BOOTSTRAP_SECURITY_INSTANCE,
    VAR_DEVICE,
    VAR_ENDPOINT,
    VAR_SERVER_DISABLE_TIMEOUT,
    VAR_CASE, /* var.NAME: the case's own variable */
} var_kind;

static const struct {
    const char *field;
    var_kind kind;
} server_fields[] = {
    {"lifetime", VAR_SERVER_LIFETIME},
    {"binding", VAR_SERVER_BINDING},
    {"short_server_id", VAR_SERVER_SSID},
    {"default_pmin", VAR_SERVER_DEFAULT_PMIN},
    {"default_pmax", VAR_SERVER_DEFAULT_PMAX},
    {"uri", VAR_SERVER_URI},
    {"security_instance", VAR_SERVER_SECURITY_INSTANCE},
    {"server_instance", VAR_SERVER_SERVER_INSTANCE},
    {"disable_timeout", VAR_SERVER_DISABLE_TIMEOUT},
};

static const struct {
    const char *field;
    const char *path;
} device_fields[] = {
    {"manufacturer", "/3/0/0"},
    {"model_number", "/3/0/1"},
    {"serial_number", "/3/0/2"},
    {"firmware_version", "/3/0/3"},
    {"supported_binding", "/3/0/16"},
};

typedef struct var_ref {
    var_kind kind;
    int server;              /* N of server[N] */
    const char *device_path; /* VAR_DEVICE: a device_fields path, or path_buf */
    char path_buf[32];       /* config[PATH] */
    const char *case_name;   /* VAR_CASE: points into the text, case_len bytes */
    size_t case_len;
} var_ref;

const char *tc_vars_known(void)
{
    return "server[N].lifetime, server[N].binding, server[N].short_server_id, "
           "server[N].default_pmin, server[N].default_pmax, server[N].uri, "
           "server[N].security_instance, server[N].server_instance, bootstrap.uri, "
           "bootstrap.security_instance, "
           "device.manufacturer, device.model_number, device.serial_number, "
           "device.firmware_version, device.supported_binding, device[PATH], config[PATH], "
           "server[N].disable_timeout, endpoint, var.name";
}

/* Parses the name between "${" and "}" (len bytes, not NUL-terminated). */
static bool parse_name(const char *name, size_t len, var_ref *out)
{
    static const char srv[] = "server[";
    static const char dev[] = "device.";
    static const char cv[] = "var.";
    if (len > sizeof cv - 1 && memcmp(name, cv, sizeof cv - 1) == 0) {
        for (size_t i = sizeof cv - 1; i < len; i++)
            if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
                  name[i] == '_'))
                return false;
        out->kind = VAR_CASE;
        out->case_name = name + sizeof cv - 1;
        out->case_len = len - (sizeof cv - 1);
        return true;
    }
    static const char cfgv[] = "config[", devv[] = "device[";
    if (len > sizeof cfgv && (memcmp(name, cfgv, sizeof cfgv - 1) == 0 ||
                              memcmp(name, devv, sizeof devv - 1) == 0) && name[len - 1] == ']') {
        size_t plen = len - sizeof cfgv; /* between "config[" (or "device[") and "]" */
        lwm2m_path p;
        if (plen >= sizeof out->path_buf)
            return false;
        memcpy(out->path_buf, name + sizeof cfgv - 1, plen);
        out->path_buf[plen] = '\0';
        if (lwm2m_path_parse(out->path_buf, &p) != 0 || p.depth < 3)
            return false;
        out->kind = VAR_DEVICE;
        out->device_path = out->path_buf;
        return true;
    }
    if (len == 8 && memcmp(name, "endpoint", 8) == 0) {
        out->kind = VAR_ENDPOINT;
        return true;
    }
    if (len == 13 && memcmp(name, "bootstrap.uri", 13) == 0) {
        out->kind = VAR_BOOTSTRAP_URI;
        return true;
    }
    if (len == 27 && memcmp(name, "bootstrap.security_instance", 27) == 0) {
        out->kind = VAR_BOOTSTRAP_SECURITY_INSTANCE;
        return true;
    }
    if (len > sizeof dev - 1 && memcmp(name, dev, sizeof dev - 1) == 0) {
        const char *f = name + sizeof dev - 1;
        size_t flen = len - (sizeof dev - 1);
        for (size_t i = 0; i < sizeof device_fields / sizeof device_fields[0]; i++)
            if (strlen(device_fields[i].field) == flen &&
                memcmp(device_fields[i].field, f, flen) == 0) {
                out->kind = VAR_DEVICE;
                out->device_path = device_fields[i].path;
                return true;
            }
        return false;
    }
    if (len > sizeof srv - 1 && memcmp(name, srv, sizeof srv - 1) == 0) {
        size_t i = sizeof srv - 1;
        /* A Short Server ID: 1..65534, no sign, no leading zero. */
        if (i >= len || name[i] < '1' || name[i] > '9')
            return false;
        long n = 0;
        while (i < len && name[i] >= '0' && name[i] <= '9') {
            n = n * 10 + (name[i] - '0');
            if (n > 65534)
                return false;
            i++;
        }
        if (i + 2 > len || name[i] != ']' || name[i + 1] != '.')
            return false;
        const char *f = name + i + 2;
        size_t flen = len - (i + 2);
        for (size_t k = 0; k < sizeof server_fields / sizeof server_fields[0]; k++)
            if (strlen(server_fields[k].field) == flen &&
                memcmp(server_fields[k].field, f, flen) == 0) {
                out->kind = server_fields[k].kind;
                out->server = (int)n;
                return true;
            }
        return false;
    }
    return false;
}

static void copy_bad(char *bad, size_t cap, const char *s, size_t len)
{
    if (!bad || cap == 0)
        return;
    if (len >= cap)
        len = cap - 1;
    memcpy(bad, s, len);
    bad[len] = '\0';
}

/* Finds the next "${…}" at or after s. Returns 1 with *start and *end set (end points past '}'),
 * 0 when there is none, LC_EINVAL when unterminated (*start set). */
static int next_var(const char *s, const char **start, const char **end)
{
    const char *p = strstr(s, "${");
    if (!p)
        return 0;
    *start = p;
    const char *close = strchr(p + 2, '}');
    if (!close)
        return LC_EINVAL;
    *end = close + 1;
    return 1;
}

int tc_vars_check(const char *s, char *bad, size_t cap)
{
    if (bad && cap)
        bad[0] = '\0';
    if (!s)
        return 0;
    const char *p = s;
    for (;;) {
        const char *start, *end;
        int rc = next_var(p, &start, &end);
        if (rc == 0)
            return 0;
        if (rc < 0) {
            copy_bad(bad, cap, start, strlen(start));
            return LC_EINVAL;
        }
        var_ref ref;
        if (!parse_name(start + 2, (size_t)(end - 1 - (start + 2)), &ref)) {
            copy_bad(bad, cap, start, (size_t)(end - start));
            return LC_ENOTFOUND;
        }
        p = end;
    }
}

typedef struct sbuf {
    char *s;
    size_t len, cap;
} sbuf;

static int sbuf_add(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns)
            return LC_ENOMEM;
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
    return 0;
}

static void format_number(double v, char *buf, size_t cap)
{
    if (isfinite(v) && v == floor(v) && fabs(v) < 9.0e15)
        snprintf(buf, cap, "%" PRId64, (int64_t)v);
    else
        snprintf(buf, cap, "%.15g", v);
}

/* The test's own objects (Security, Server, Access Control) are the configuration's. */
static bool test_owned(const char *path)
{
    lwm2m_path p;
    return lwm2m_path_parse(path, &p) == 0 && p.depth >= 1 && p.ids[0] <= 2;
}

/* A device-owned value: the description's, unless it marks the value volatile; where the
 * description gives none, a value the configuration still carries (a configuration written
 * before descriptions existed). NULL when neither says. */
static const config_value *device_value(const tc_vars_env *env, const char *path)
{
    if (test_owned(path))
        return env->cfg ? config_find(env->cfg, path) : NULL;
    if (env->desc && description_is_volatile(env->desc, path))
        return NULL;
    const config_value *v = env->desc ? description_value(env->desc, path) : NULL;
    return v ? v : env->cfg ? config_find(env->cfg, path) : NULL;
}

static int not_described(const tc_vars_env *env, const char *name, const char *path,
                         lc_error *err)
{
    if (test_owned(path))
        return lc_error_set(err, LC_ENOTFOUND, "%s: configuration %s has no value for %s", name,
                            env->cfg ? env->cfg->source : "(none)", path);
    if (env->desc && description_is_volatile(env->desc, path))
        return lc_error_set(err, LC_ENOTFOUND,
                            "%s: %s changes by itself (volatile in the device description %s)",
                            name, path, env->desc->source);
    if (env->desc)
        return lc_error_set(err, LC_ENOTFOUND, "%s: the device description %s gives no value for %s",
                            name, env->desc->source, path);
    return lc_error_set(err, LC_ENOTFOUND,
                        "%s: no device description gives a value for %s (run with --description "
                        "FILE, written by `lwm2m-conform describe`)",
                        name, path);
}

bool tc_vars_undescribed(const char *s, const tc_vars_env *env, char *why, size_t cap)
{
    const char *p = s;
    while (p && env) {
        const char *start, *end;
        if (next_var(p, &start, &end) <= 0)
            return false;
        var_ref ref;
        if (parse_name(start + 2, (size_t)(end - 1 - (start + 2)), &ref) &&
            ref.kind == VAR_DEVICE && !test_owned(ref.device_path) &&
            !device_value(env, ref.device_path)) {
            lc_error err = {0};
            char name[128];
            copy_bad(name, sizeof name, start, (size_t)(end - start));
            not_described(env, name, ref.device_path, &err);
            if (why && cap)
                snprintf(why, cap, "%s", err.msg);
            return true;
        }
        p = end;
    }
    return false;
}

/* Writes the value of ref into buf (cap bytes). name is the variable as written, for
 * messages. */
static int resolve(const var_ref *ref, const char *name, const tc_vars_env *env, char *buf,
                   size_t cap, lc_error *err)
{
    const config *cfg = env->cfg;
    const char *endpoint_name = env->endpoint_name;
    if (ref->kind == VAR_CASE) {
        for (size_t i = env->case_var_count; i-- > 0;)
            if (strlen(env->case_vars[i].name) == ref->case_len &&
                memcmp(env->case_vars[i].name, ref->case_name, ref->case_len) == 0) {
                snprintf(buf, cap, "%s", env->case_vars[i].value ? env->case_vars[i].value : "");
                return 0;
            }
        return lc_error_set(err, LC_ENOTFOUND, "%s: the case declares no such variable", name);
    }
    if (ref->kind == VAR_ENDPOINT) {
        if (!endpoint_name)
            return lc_error_set(err, LC_ENOTFOUND,
                                "%s: the endpoint name is not known yet (the device has not "
                                "registered in this run)",
                                name);
        snprintf(buf, cap, "%s", endpoint_name);
        return 0;
    }
    if (ref->kind == VAR_DEVICE) {
        const config_value *v = device_value(env, ref->device_path);
        if (!v)
            return not_described(env, name, ref->device_path, err);
        switch (v->kind) {
        case CONFIG_VALUE_STRING: snprintf(buf, cap, "%s", v->string); break;
        case CONFIG_VALUE_NUMBER: format_number(v->number, buf, cap); break;
        case CONFIG_VALUE_BOOL: snprintf(buf, cap, "%s", v->boolean ? "1" : "0"); break;
        }
        return 0;
    }
    if (!cfg)
        return lc_error_set(err, LC_ENOTFOUND, "%s: no device configuration is loaded", name);
    if (ref->kind == VAR_BOOTSTRAP_URI || ref->kind == VAR_BOOTSTRAP_SECURITY_INSTANCE) {
        const config_account *bs = config_bootstrap(cfg);
        if (!bs)
            return lc_error_set(err, LC_ENOTFOUND,
                                "%s: configuration %s has no bootstrap account (/0/x/1 true)",
                                name, cfg->source);
        if (ref->kind == VAR_BOOTSTRAP_URI)
            snprintf(buf, cap, "%s", bs->uri);
        else
            snprintf(buf, cap, "%d", instmap_device_iid(env->instances, 0, bs->security_instance));
        return 0;
    }
    const config_account *a = config_server(cfg, ref->server);
    if (!a)
        return lc_error_set(err, LC_ENOTFOUND,
                            "%s: configuration %s has no server account with Short Server "
                            "ID %d",
                            name, cfg->source, ref->server);
    switch (ref->kind) {
    case VAR_SERVER_LIFETIME: snprintf(buf, cap, "%" PRId64, a->lifetime); break;
    case VAR_SERVER_BINDING: snprintf(buf, cap, "%s", a->binding); break;
    case VAR_SERVER_SSID: snprintf(buf, cap, "%d", a->short_server_id); break;
    case VAR_SERVER_DEFAULT_PMIN: snprintf(buf, cap, "%" PRId64, a->default_pmin); break;
    case VAR_SERVER_DEFAULT_PMAX: snprintf(buf, cap, "%" PRId64, a->default_pmax); break;
    case VAR_SERVER_URI: snprintf(buf, cap, "%s", a->uri); break;
    case VAR_SERVER_SECURITY_INSTANCE:
        snprintf(buf, cap, "%d", instmap_device_iid(env->instances, 0, a->security_instance));
        break;
    case VAR_SERVER_SERVER_INSTANCE:
        if (a->server_instance < 0)
            return lc_error_set(err, LC_ENOTFOUND, "%s: configuration %s has no Server instance "
                                "for Short Server ID %d", name, cfg->source, ref->server);
        snprintf(buf, cap, "%d", instmap_device_iid(env->instances, 1, a->server_instance));
        break;
    case VAR_SERVER_DISABLE_TIMEOUT:
        snprintf(buf, cap, "%" PRId64, a->disable_timeout);
        break;
    default: break;
    }
    return 0;
}

int tc_vars_expand(const char *s, const struct config *cfg, const char *endpoint_name,
                   char **out, lc_error *err)
{
    tc_vars_env env = {.cfg = cfg, .endpoint_name = endpoint_name};
    return tc_vars_expand_env(s, &env, out, err);
}

int tc_vars_expand_env(const char *s, const tc_vars_env *env, char **out, lc_error *err)
{
    if (!s || !out || !env)
        return lc_error_set(err, LC_EINVAL, "tc_vars_expand: no input");
    *out = NULL;
    sbuf b = {0};
    int rc = sbuf_add(&b, "", 0);
    const char *p = s;
    while (rc == 0) {
        const char *start, *end;
        int found = next_var(p, &start, &end);
        if (found == 0) {
            rc = sbuf_add(&b, p, strlen(p));
            break;
        }
        if (found < 0) {
            rc = lc_error_set(err, LC_EINVAL, "'%s': '${' without its closing '}'", start);
            break;
        }
        char name[128];
        copy_bad(name, sizeof name, start, (size_t)(end - start));
        var_ref ref;
        if (!parse_name(start + 2, (size_t)(end - 1 - (start + 2)), &ref)) {
            rc = lc_error_set(err, LC_EINVAL, "unknown variable %s (known: %s)", name,
                              tc_vars_known());
            break;
        }
        /* Device strings and URIs are at most 255 bytes in the configuration. */
        char val[512];
        rc = resolve(&ref, name, env, val, sizeof val, err);
        if (rc == 0)
            rc = sbuf_add(&b, p, (size_t)(start - p));
        if (rc == 0)
            rc = sbuf_add(&b, val, strlen(val));
        p = end;
    }
    if (rc != 0) {
        if (rc == LC_ENOMEM)
            lc_error_set(err, LC_ENOMEM, "out of memory expanding variables");
        free(b.s);
        return rc;
    }
    *out = b.s;
    return 0;
}

void tc_vars_each_case_var(const char *s, void (*fn)(void *arg, const char *name, size_t len),
                           void *arg)
{
    const char *p = s;
    while (p) {
        const char *start, *end;
        if (next_var(p, &start, &end) <= 0)
            return;
        var_ref ref;
        if (parse_name(start + 2, (size_t)(end - 1 - (start + 2)), &ref) && ref.kind == VAR_CASE)
            fn(arg, ref.case_name, ref.case_len);
        p = end;
    }
}
