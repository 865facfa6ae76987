#include "lwm2m/config.h"

#include "common/base64.h"
#include "common/hex.h"
#include "common/jsonerr.h"
#include "common/wipe.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/path.h"
#include "lwm2m/regquery.h"

/* A device configuration is a few kilobytes; anything this large is the wrong file. */
#define CONFIG_FILE_MAX (1024 * 1024)
/* Durations (lifetime, pmin, pmax, disable timeout) are LwM2M Integers in seconds; more
 * than 68 years is a typo, not a configuration. */
#define DURATION_MAX 2147483647
#define SSID_MAX 65534

/* ---- Base64 and hex ---- */

/* why says what is wrong without quoting the input, which may be a key. */
static int b64_decode(const char *in, uint8_t *out, size_t cap, size_t *outlen, char *why,
                      size_t why_cap)
{
    return base64_decode(in, strlen(in), out, cap, outlen, false, why, why_cap);
}

int config_base64_decode(const char *in, uint8_t *out, size_t cap, size_t *outlen)
{
    char why[128];
    if (!in || (!out && cap))
        return LC_EINVAL;
    return b64_decode(in, out, cap, outlen, why, sizeof why);
}

int config_hex_decode(const char *in, uint8_t *out, size_t cap, size_t *outlen)
{
    char why[128];
    if (!in || (!out && cap))
        return LC_EINVAL;
    return hex_decode(in, out, cap, outlen, why, sizeof why);
}

/* ---- values ---- */

typedef struct loader {
    config *c;
    const char *name;
    lc_error *err;
} loader;

static const char *kind_name(config_value_kind k)
{
    switch (k) {
    case CONFIG_VALUE_NUMBER: return "a number (\"v\")";
    case CONFIG_VALUE_STRING: return "a string (\"sv\")";
    case CONFIG_VALUE_BOOL: return "a boolean (\"bv\")";
    }
    return "?";
}

/* Joins bn and n with exactly one '/' between them: "/" + "0/1/0", "/3/0/" + "1" and
 * "/3/0" + "1" all mean what their author meant. */
static int join_path(const char *bn, const char *n, char *out, size_t cap)
{
    size_t bl = strlen(bn);
    int w;
    if (!n)
        w = snprintf(out, cap, "%s", bn);
    else if (bl == 0)
        w = snprintf(out, cap, "%s", n);
    else if (bn[bl - 1] == '/' && n[0] == '/')
        w = snprintf(out, cap, "%s%s", bn, n + 1);
    else if (bn[bl - 1] == '/' || n[0] == '/' || n[0] == '\0')
        w = snprintf(out, cap, "%s%s", bn, n);
    else
        w = snprintf(out, cap, "%s/%s", bn, n);
    return w >= 0 && (size_t)w < cap ? 0 : -1;
}

static int read_entry(loader *ld, size_t i, json_t *entry, const char *bn)
{
    config *c = ld->c;
    if (!json_is_object(entry))
        return lc_error_set(ld->err, LC_EINVAL,
                            "%s: e[%zu]: expected an object {\"n\": ..., \"v\"|\"sv\"|\"bv\": ...}",
                            ld->name, i);
    if (c->value_count == CONFIG_MAX_VALUES)
        return lc_error_set(ld->err, LC_EINVAL, "%s: e[%zu]: more than %d entries", ld->name,
                            i, CONFIG_MAX_VALUES);

    json_t *jn = json_object_get(entry, "n");
    if (jn && !json_is_string(jn))
        return lc_error_set(ld->err, LC_EINVAL, "%s: e[%zu]: \"n\" must be a string", ld->name,
                            i);
    const char *n = jn ? json_string_value(jn) : NULL;
    char full[512];
    lwm2m_path path;
    if (join_path(bn, n, full, sizeof full) < 0 || lwm2m_path_parse(full, &path) < 0)
        return lc_error_set(ld->err, LC_EINVAL,
                            "%s: e[%zu]: \"n\": \"%.64s\" with \"bn\": \"%.64s\" is not an "
                            "LwM2M path (/object/instance/resource[/instance], ids 0..65535)",
                            ld->name, i, n ? n : "", bn);
    config_value *v = &c->values[c->value_count];
    memset(v, 0, sizeof *v);
    lwm2m_path_format(&path, v->path, sizeof v->path);
    if (path.depth < 3)
        return lc_error_set(ld->err, LC_EINVAL,
                            "%s: e[%zu] %s: a value needs a resource path "
                            "(/object/instance/resource[/instance])",
                            ld->name, i, v->path);

    const char *key;
    json_t *jv;
    const char *kind_key = NULL;
    json_object_foreach(entry, key, jv) {
        if (strcmp(key, "n") == 0)
            continue;
        if (strcmp(key, "v") != 0 && strcmp(key, "sv") != 0 && strcmp(key, "bv") != 0)
            return lc_error_set(ld->err, LC_EINVAL,
                                "%s: e[%zu] %s: unknown key \"%.32s\" (an entry has \"n\" and "
                                "one of \"v\", \"sv\", \"bv\")",
                                ld->name, i, v->path, key);
        if (kind_key)
            return lc_error_set(ld->err, LC_EINVAL,
                                "%s: e[%zu] %s: has both \"%s\" and \"%s\"; an entry needs "
                                "exactly one of \"v\", \"sv\", \"bv\"",
                                ld->name, i, v->path, kind_key, key);
        kind_key = key;
        if (strcmp(key, "v") == 0) {
            if (!json_is_number(jv))
                return lc_error_set(ld->err, LC_EINVAL, "%s: e[%zu] %s: \"v\" must be a number",
                                    ld->name, i, v->path);
            v->kind = CONFIG_VALUE_NUMBER;
            v->number = json_number_value(jv);
        } else if (strcmp(key, "sv") == 0) {
            if (!json_is_string(jv))
                return lc_error_set(ld->err, LC_EINVAL,
                                    "%s: e[%zu] %s: \"sv\" must be a string", ld->name, i,
                                    v->path);
            size_t len = json_string_length(jv);
            if (len >= sizeof v->string)
                return lc_error_set(ld->err, LC_EINVAL,
                                    "%s: e[%zu] %s: string of %zu bytes is longer than %zu",
                                    ld->name, i, v->path, len, sizeof v->string - 1);
            memcpy(v->string, json_string_value(jv), len + 1);
            v->kind = CONFIG_VALUE_STRING;
        } else {
            if (!json_is_boolean(jv))
                return lc_error_set(ld->err, LC_EINVAL,
                                    "%s: e[%zu] %s: \"bv\" must be true or false", ld->name, i,
                                    v->path);
            v->kind = CONFIG_VALUE_BOOL;
            v->boolean = json_is_true(jv);
        }
    }
    if (!kind_key)
        return lc_error_set(ld->err, LC_EINVAL,
                            "%s: e[%zu] %s: no value; an entry needs exactly one of \"v\", "
                            "\"sv\", \"bv\"",
                            ld->name, i, v->path);
    for (size_t j = 0; j < c->value_count; j++)
        if (strcmp(c->values[j].path, v->path) == 0)
            return lc_error_set(ld->err, LC_EINVAL, "%s: e[%zu] %s: already set by e[%zu]",
                                ld->name, i, v->path, j);
    c->value_count++;
    return 0;
}

static int read_document(loader *ld, json_t *root)
{
    if (!json_is_object(root))
        return lc_error_set(ld->err, LC_EINVAL,
                            "%s: expected a JSON object {\"bn\": ..., \"e\": [...]} at the top "
                            "level",
                            ld->name);
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        if (strcmp(key, "bn") != 0 && strcmp(key, "e") != 0)
            return lc_error_set(ld->err, LC_EINVAL,
                                "%s: unknown top-level key \"%.32s\" (expected \"bn\" and \"e\")",
                                ld->name, key);
    }
    json_t *jbn = json_object_get(root, "bn");
    if (jbn && !json_is_string(jbn))
        return lc_error_set(ld->err, LC_EINVAL, "%s: \"bn\" must be a string such as \"/\"",
                            ld->name);
    const char *bn = jbn ? json_string_value(jbn) : "";
    json_t *e = json_object_get(root, "e");
    if (!json_is_array(e))
        return lc_error_set(ld->err, LC_EINVAL, "%s: expected an array \"e\" of entries",
                            ld->name);
    size_t i;
    json_array_foreach(e, i, v) {
        int rc = read_entry(ld, i, v, bn);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static const config_value *value_at(const config *c, int obj, int inst, int res)
{
    char p[32];
    snprintf(p, sizeof p, "/%d/%d/%d", obj, inst, res);
    return config_find(c, p);
}

static int want_kind(loader *ld, const config_value *v, config_value_kind kind,
                     const char *what)
{
    if (v->kind == kind)
        return 0;
    return lc_error_set(ld->err, LC_EINVAL, "%s: %s: %s must be %s, found %s", ld->name,
                        v->path, what, kind_name(kind), kind_name(v->kind));
}

static int want_int(loader *ld, const config_value *v, int64_t min, int64_t max,
                    const char *what, int64_t *out)
{
    int rc = want_kind(ld, v, CONFIG_VALUE_NUMBER, what);
    if (rc < 0)
        return rc;
    /* Range first: the cast is only defined for values that fit. */
    if (!(v->number >= (double)min && v->number <= (double)max) ||
        (double)(int64_t)v->number != v->number)
        return lc_error_set(ld->err, LC_EINVAL, "%s: %s: %s must be an integer %lld..%lld, found %g",
                            ld->name, v->path, what, (long long)min, (long long)max, v->number);
    *out = (int64_t)v->number;
    return 0;
}

static int missing(loader *ld, int obj, int inst, int res, const char *what)
{
    return lc_error_set(ld->err, LC_EINVAL, "%s: /%d/%d/%d: missing: %s", ld->name, obj, inst,
                        res, what);
}

/* Instance ids of an object in the file order of their first value. */
static size_t instances_of(const config *c, int obj, int *ids, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < c->value_count; i++) {
        lwm2m_path p;
        if (lwm2m_path_parse(c->values[i].path, &p) < 0 || p.ids[0] != obj)
            continue;
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++)
            seen = ids[k] == p.ids[1];
        if (!seen && n < cap)
            ids[n++] = p.ids[1];
        else if (!seen)
            return cap + 1;
    }
    return n;
}

/* The resources this module interprets are single-instance, except the ACL (/2/x/2),
 * which is only meaningful per server. */
static int check_shapes(loader *ld)
{
    static const int security_res[] = {0, 1, 2, 3, 5, 10};
    static const int server_res[] = {0, 1, 2, 3, 5, 6, 7};
    for (size_t i = 0; i < ld->c->value_count; i++) {
        const config_value *v = &ld->c->values[i];
        lwm2m_path p;
        lwm2m_path_parse(v->path, &p);
        int res = p.ids[2];
        bool single = false;
        if (p.ids[0] == 0)
            for (size_t k = 0; k < sizeof security_res / sizeof *security_res; k++)
                single |= security_res[k] == res;
        else if (p.ids[0] == 1)
            for (size_t k = 0; k < sizeof server_res / sizeof *server_res; k++)
                single |= server_res[k] == res;
        else if (p.ids[0] == 2)
            single = res == 0 || res == 1 || res == 3;
        if (single && p.depth == 4)
            return lc_error_set(ld->err, LC_EINVAL,
                                "%s: %s: /%d/x/%d is a single-instance resource: write /%d/%d/%d",
                                ld->name, v->path, p.ids[0], res, p.ids[0], p.ids[1], res);
        if (p.ids[0] == 2 && res == 2 && p.depth == 3)
            return lc_error_set(ld->err, LC_EINVAL,
                                "%s: %s: ACL rights are written per server: /2/%d/2/<ssid>",
                                ld->name, v->path, p.ids[1]);
    }
    return 0;
}

static int read_b64(loader *ld, const config_value *v, const char *what, uint8_t *out,
                    size_t *outlen)
{
    int rc = want_kind(ld, v, CONFIG_VALUE_STRING, what);
    if (rc < 0)
        return rc;
    char why[128];
    if (b64_decode(v->string, out, CONFIG_PSK_MAX, outlen, why, sizeof why) < 0)
        return lc_error_set(ld->err, LC_EINVAL, "%s: %s: %s is not valid Base64: %s", ld->name,
                            v->path, what, why);
    return 0;
}

static int build_security(loader *ld, int x, config_account *a, const config_account *bs)
{
    const config_value *v;
    int64_t n;
    int rc;
    memset(a, 0, sizeof *a);
    a->security_instance = x;
    a->server_instance = -1;
    a->disable_timeout = 86400;
    snprintf(a->binding, sizeof a->binding, "U");

    if (!(v = value_at(ld->c, 0, x, 0)))
        return missing(ld, 0, x, 0, "a Security instance needs its server URI");
    if ((rc = want_kind(ld, v, CONFIG_VALUE_STRING, "the server URI")) < 0)
        return rc;
    char scheme[8];
    if ((rc = config_parse_uri(v->string, scheme, sizeof scheme, NULL, 0, NULL, ld->err)) < 0)
        return lc_error_prefix(ld->err, "%s: %s: ", ld->name, v->path);
    snprintf(a->uri, sizeof a->uri, "%s", v->string);

    if ((v = value_at(ld->c, 0, x, 1))) {
        if ((rc = want_kind(ld, v, CONFIG_VALUE_BOOL, "the bootstrap flag")) < 0)
            return rc;
        a->bootstrap = v->boolean;
    }
    if (a->bootstrap && bs)
        return lc_error_set(ld->err, LC_EINVAL,
                            "%s: %s: a second bootstrap account (the first is /0/%d); at most "
                            "one is allowed",
                            ld->name, v->path, bs->security_instance);

    if (!(v = value_at(ld->c, 0, x, 2)))
        return missing(ld, 0, x, 2, "the security mode (0 PSK, 3 NoSec)");
    if ((rc = want_int(ld, v, 0, 4, "the security mode", &n)) < 0)
        return rc;
    if (n != SECURITY_MODE_PSK && n != SECURITY_MODE_NOSEC)
        return lc_error_set(ld->err, LC_EINVAL,
                            "%s: %s: security mode %d is not supported by this tool: use 0 "
                            "(PSK) or 3 (NoSec)",
                            ld->name, v->path, (int)n);
    a->mode = (security_mode)n;
    bool secure = strcmp(scheme, "coaps") == 0;
    if (secure != (a->mode == SECURITY_MODE_PSK))
        return lc_error_set(ld->err, LC_EINVAL,
                            "%s: %s: security mode %d (%s) needs a %s:// URI, but /0/%d/0 is %s",
                            ld->name, v->path, (int)n, secure ? "NoSec" : "PSK",
                            secure ? "coap" : "coaps", x, a->uri);

    if ((v = value_at(ld->c, 0, x, 3)) &&
        (rc = read_b64(ld, v, "the PSK identity", a->psk_identity, &a->psk_identity_len)) < 0)
        return rc;
    if (a->mode == SECURITY_MODE_PSK && a->psk_identity_len == 0)
        return lc_error_set(ld->err, LC_EINVAL,
                            "%s: /0/%d/3: PSK mode (/0/%d/2 = 0) needs a PSK identity (Base64)",
                            ld->name, x, x);
    if ((v = value_at(ld->c, 0, x, 5)) &&
        (rc = read_b64(ld, v, "the secret key", a->psk_key, &a->psk_key_len)) < 0)
        return rc;
    /* a missing key is not an error here: keys may come from the environment or a key
     * file (config_apply_psk_*), and config_check_keys says what is still missing */

    if (a->bootstrap)
        return 0; /* its Short Server ID, if any, has no meaning */
    if (!(v = value_at(ld->c, 0, x, 10)))
        return missing(ld, 0, x, 10, "a server account needs a Short Server ID 1..65534");
    if ((rc = want_int(ld, v, 1, SSID_MAX, "the Short Server ID", &n)) < 0)
        return rc;
    a->short_server_id = (int)n;
    return 0;
}

static int build_server(loader *ld, int y, config_account *a)
{
    const config_value *v;
    int rc;
    a->server_instance = y;
    if (!(v = value_at(ld->c, 1, y, 1)))
        return missing(ld, 1, y, 1, "the Server instance needs a lifetime in seconds");
    if ((rc = want_int(ld, v, 1, DURATION_MAX, "the lifetime", &a->lifetime)) < 0)
        return rc;
    if ((v = value_at(ld->c, 1, y, 2)) &&
        (rc = want_int(ld, v, 0, DURATION_MAX, "the default pmin", &a->default_pmin)) < 0)
        return rc;
    if ((v = value_at(ld->c, 1, y, 3)) &&
        (rc = want_int(ld, v, 0, DURATION_MAX, "the default pmax", &a->default_pmax)) < 0)
        return rc;
    if (a->default_pmax > 0 && a->default_pmin > a->default_pmax)
        return lc_error_set(ld->err, LC_EINVAL,
                            "%s: /1/%d/2: default pmin %lld is greater than default pmax %lld",
                            ld->name, y, (long long)a->default_pmin, (long long)a->default_pmax);
    if ((v = value_at(ld->c, 1, y, 5)) &&
        (rc = want_int(ld, v, 0, DURATION_MAX, "the disable timeout", &a->disable_timeout)) < 0)
        return rc;
    if ((v = value_at(ld->c, 1, y, 6))) {
        if ((rc = want_kind(ld, v, CONFIG_VALUE_BOOL, "notification storing")) < 0)
            return rc;
        a->notification_storing = v->boolean;
    }
    if ((v = value_at(ld->c, 1, y, 7))) {
        if ((rc = want_kind(ld, v, CONFIG_VALUE_STRING, "the binding")) < 0)
            return rc;
        size_t blen = strlen(v->string);
        if (blen >= sizeof a->binding || !regquery_binding_valid(v->string))
            return lc_error_set(ld->err, LC_EINVAL,
                                "%s: %s: binding '%.16s' must combine the letters U, S, Q, T, N "
                                "(each at most once), e.g. U or UQ",
                                ld->name, v->path, v->string);
        memcpy(a->binding, v->string, blen + 1);
    }
    return 0;
}

static int build_accounts(loader *ld)
{
    config *c = ld->c;
    int sec[CONFIG_MAX_ACCOUNTS], srv[CONFIG_MAX_ACCOUNTS];
    int srv_ssid[CONFIG_MAX_ACCOUNTS];
    bool srv_used[CONFIG_MAX_ACCOUNTS] = {false};
    size_t nsec = instances_of(c, 0, sec, CONFIG_MAX_ACCOUNTS);
    size_t nsrv = instances_of(c, 1, srv, CONFIG_MAX_ACCOUNTS);
    int rc;

    if (nsec > CONFIG_MAX_ACCOUNTS || nsrv > CONFIG_MAX_ACCOUNTS)
        return lc_error_set(ld->err, LC_EINVAL, "%s: more than %d %s instances", ld->name,
                            CONFIG_MAX_ACCOUNTS, nsec > CONFIG_MAX_ACCOUNTS ? "Security" : "Server");

    for (size_t k = 0; k < nsrv; k++) {
        const config_value *v = value_at(c, 1, srv[k], 0);
        int64_t n;
        if (!v)
            return missing(ld, 1, srv[k], 0, "a Server instance needs its Short Server ID");
        if ((rc = want_int(ld, v, 1, SSID_MAX, "the Short Server ID", &n)) < 0)
            return rc;
        srv_ssid[k] = (int)n;
        for (size_t j = 0; j < k; j++)
            if (srv_ssid[j] == srv_ssid[k])
                return lc_error_set(ld->err, LC_EINVAL,
                                    "%s: %s: Short Server ID %d is already used by /1/%d",
                                    ld->name, v->path, srv_ssid[k], srv[j]);
    }

    const config_account *bs = NULL;
    for (size_t k = 0; k < nsec; k++) {
        config_account *a = &c->accounts[c->account_count];
        if ((rc = build_security(ld, sec[k], a, bs)) < 0)
            return rc;
        if (a->bootstrap) {
            bs = a;
            c->account_count++;
            continue;
        }
        for (size_t j = 0; j < c->account_count; j++)
            if (!c->accounts[j].bootstrap &&
                c->accounts[j].short_server_id == a->short_server_id)
                return lc_error_set(ld->err, LC_EINVAL,
                                    "%s: /0/%d/10: Short Server ID %d is already used by /0/%d",
                                    ld->name, sec[k], a->short_server_id,
                                    c->accounts[j].security_instance);
        size_t j = 0;
        while (j < nsrv && srv_ssid[j] != a->short_server_id)
            j++;
        if (j == nsrv)
            return lc_error_set(ld->err, LC_EINVAL,
                                "%s: /0/%d/10: no Server instance has /1/y/0 = %d; server "
                                "account /0/%d needs one (lifetime, binding)",
                                ld->name, sec[k], a->short_server_id, sec[k]);
        srv_used[j] = true;
        if ((rc = build_server(ld, srv[j], a)) < 0)
            return rc;
        c->account_count++;
    }
    for (size_t j = 0; j < nsrv; j++)
        if (!srv_used[j])
            return lc_error_set(ld->err, LC_EINVAL,
                                "%s: /1/%d/0: no server account (Security instance with "
                                "/0/x/10 = %d) for this Server instance",
                                ld->name, srv[j], srv_ssid[j]);
    return 0;
}

static int build_access_control(loader *ld)
{
    config *c = ld->c;
    int ids[CONFIG_MAX_ACL];
    size_t n = instances_of(c, 2, ids, CONFIG_MAX_ACL);
    int64_t num;
    int rc;
    if (n > CONFIG_MAX_ACL)
        return lc_error_set(ld->err, LC_EINVAL, "%s: more than %d Access Control instances",
                            ld->name, CONFIG_MAX_ACL);
    for (size_t k = 0; k < n; k++) {
        int x = ids[k];
        config_access_control *ac = &c->access_control[k];
        const config_value *v;
        memset(ac, 0, sizeof *ac);
        ac->instance = x;
        if (!(v = value_at(c, 2, x, 0)))
            return missing(ld, 2, x, 0, "an Access Control instance needs the object id");
        if ((rc = want_int(ld, v, 1, 65535, "the object id", &num)) < 0)
            return rc;
        ac->object_id = (int)num;
        if (!(v = value_at(c, 2, x, 1)))
            return missing(ld, 2, x, 1,
                           "an Access Control instance needs the object instance id");
        if ((rc = want_int(ld, v, 0, 65535, "the object instance id", &num)) < 0)
            return rc;
        ac->object_instance = (int)num;
        if (!(v = value_at(c, 2, x, 3)))
            return missing(ld, 2, x, 3, "an Access Control instance needs its owner (an SSID)");
        if ((rc = want_int(ld, v, 0, CONFIG_ACL_OWNER_MAX_ID, "the owner", &num)) < 0)
            return rc;
        ac->owner = (int)num;
        for (size_t j = 0; j < k; j++)
            if (c->access_control[j].object_id == ac->object_id &&
                c->access_control[j].object_instance == ac->object_instance)
                return lc_error_set(ld->err, LC_EINVAL,
                                    "%s: /2/%d/1: /2/%d guards /%d/%d like /2/%d does; one "
                                    "Access Control instance per object instance",
                                    ld->name, x, x, ac->object_id, ac->object_instance,
                                    c->access_control[j].instance);
        for (size_t i = 0; i < c->value_count; i++) {
            lwm2m_path p;
            v = &c->values[i];
            lwm2m_path_parse(v->path, &p);
            if (p.ids[0] != 2 || p.ids[1] != x || p.ids[2] != 2 || p.depth != 4)
                continue;
            if (ac->acl_count == CONFIG_MAX_ACL_ENTRIES)
                return lc_error_set(ld->err, LC_EINVAL, "%s: %s: more than %d ACL entries",
                                    ld->name, v->path, CONFIG_MAX_ACL_ENTRIES);
            if (p.ids[3] > SSID_MAX)
                return lc_error_set(ld->err, LC_EINVAL,
                                    "%s: %s: the ACL's resource instance is a Short Server ID "
                                    "0..65534",
                                    ld->name, v->path);
            if ((rc = want_int(ld, v, 0, 31, "the access rights", &num)) < 0)
                return rc;
            ac->acl[ac->acl_count].short_server_id = p.ids[3];
            ac->acl[ac->acl_count].rights = (int)num;
            ac->acl_count++;
        }
    }
    c->access_control_count = n;
    return 0;
}

static int load_buffer(const char *buf, size_t len, const char *name, config *out,
                       lc_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return jsonerr_syntax(&je, name, "a configuration", err);

    config *c = calloc(1, sizeof *c);
    if (!c) {
        json_decref(root);
        return lc_error_set(err, LC_ENOMEM, "%s: out of memory", name);
    }
    snprintf(c->source, sizeof c->source, "%s", name);
    loader ld = {c, name, err};
    int rc = read_document(&ld, root);
    json_decref(root);
    if (rc == 0)
        rc = check_shapes(&ld);
    if (rc == 0)
        rc = build_accounts(&ld);
    if (rc == 0)
        rc = build_access_control(&ld);
    if (rc == 0)
        *out = *c;
    lc_wipe(c, sizeof *c);
    free(c);
    return rc;
}

int config_load_string(const char *json, const char *name, config *out, lc_error *err)
{
    if (!name)
        name = "<string>";
    if (!json || !out)
        return lc_error_set(err, LC_EINVAL, "%s: no configuration text", name);
    return load_buffer(json, strlen(json), name, out, err);
}

int config_load_file(const char *path, config *out, lc_error *err)
{
    if (!path || !out)
        return lc_error_set(err, LC_EINVAL, "no configuration file given");
    FILE *f = fopen(path, "rb");
    if (!f)
        return lc_error_set(err, LC_EIO, "%s: cannot open: %s", path, strerror(errno));
    char *buf = malloc(CONFIG_FILE_MAX + 1);
    if (!buf) {
        fclose(f);
        return lc_error_set(err, LC_ENOMEM, "%s: out of memory", path);
    }
    size_t len = fread(buf, 1, CONFIG_FILE_MAX + 1, f);
    int rc;
    if (ferror(f))
        rc = lc_error_set(err, LC_EIO, "%s: cannot read: %s", path, strerror(errno));
    else if (len > CONFIG_FILE_MAX)
        rc = lc_error_set(err, LC_EINVAL, "%s: larger than %d bytes; not a device configuration?",
                          path, CONFIG_FILE_MAX);
    else
        rc = load_buffer(buf, len, path, out, err);
    fclose(f);
    lc_wipe(buf, len);
    free(buf);
    return rc;
}

/* ---- lookups ---- */

bool config_has_object(const config *c, int obj)
{
    char prefix[16];
    int n = snprintf(prefix, sizeof prefix, "/%d/", obj);
    for (size_t i = 0; i < c->value_count; i++)
        if (strncmp(c->values[i].path, prefix, (size_t)n) == 0)
            return true;
    return false;
}

const config_value *config_find(const config *c, const char *path)
{
    if (!c || !path)
        return NULL;
    char canon[32];
    lwm2m_path p;
    if (lwm2m_path_parse(path, &p) == 0) {
        lwm2m_path_format(&p, canon, sizeof canon);
        path = canon;
    }
    for (size_t i = 0; i < c->value_count; i++)
        if (strcmp(c->values[i].path, path) == 0)
            return &c->values[i];
    return NULL;
}

config_account *config_server_mut(config *c, int short_server_id)
{
    if (!c || short_server_id <= 0)
        return NULL;
    for (size_t i = 0; i < c->account_count; i++)
        if (!c->accounts[i].bootstrap && c->accounts[i].short_server_id == short_server_id)
            return &c->accounts[i];
    return NULL;
}

const config_account *config_server(const config *c, int short_server_id)
{
    return config_server_mut((config *)c, short_server_id);
}

static config_account *bootstrap_mut(config *c)
{
    for (size_t i = 0; c && i < c->account_count; i++)
        if (c->accounts[i].bootstrap)
            return &c->accounts[i];
    return NULL;
}

const config_account *config_bootstrap(const config *c)
{
    return bootstrap_mut((config *)c);
}

bool config_value_is_secret(const config_value *v)
{
    lwm2m_path p;
    return v && lwm2m_path_parse(v->path, &p) == 0 && p.depth >= 3 && p.ids[0] == 0 &&
           p.ids[2] == 5;
}
