/* PSK keys given outside the configuration file: the environment, a key file
 * (lwm2m/config.h). */
#include "lwm2m/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/base64.h"
#include "common/hex.h"
#include "common/wipe.h"

#define SSID_MAX 65534

/* ---- PSK keys from outside the file ---- */

static const char *account_name(const config_account *a, char *buf, size_t cap)
{
    if (a->bootstrap)
        snprintf(buf, cap, "the bootstrap account (/0/%d)", a->security_instance);
    else
        snprintf(buf, cap, "server account SSID %d (/0/%d)", a->short_server_id,
                 a->security_instance);
    return buf;
}

int config_set_psk_key(config *c, int short_server_id, const uint8_t *key, size_t len,
                       lc_error *err)
{
    if (!c || short_server_id < 0 || (!key && len))
        return lc_error_set(err, LC_EINVAL, "config_set_psk_key: bad arguments");
    config_account *a = short_server_id == 0 ? (config_account *)config_bootstrap(c)
                                             : config_server_mut(c, short_server_id);
    if (!a) {
        if (short_server_id == 0)
            return lc_error_set(err, LC_ENOTFOUND, "%s has no bootstrap account", c->source);
        return lc_error_set(err, LC_ENOTFOUND, "%s has no server account with Short Server ID %d",
                            c->source, short_server_id);
    }
    char who[64];
    if (a->mode != SECURITY_MODE_PSK)
        return lc_error_set(err, LC_EINVAL, "%s uses security mode %d, not PSK: it takes no key",
                            account_name(a, who, sizeof who), (int)a->mode);
    if (len == 0 || len > CONFIG_PSK_MAX)
        return lc_error_set(err, LC_EINVAL, "a key of %zu bytes for %s: PSK keys have 1..%d bytes",
                            len, account_name(a, who, sizeof who), CONFIG_PSK_MAX);
    lc_wipe(a->psk_key, sizeof a->psk_key);
    memcpy(a->psk_key, key, len);
    a->psk_key_len = len;

    char path[32];
    snprintf(path, sizeof path, "/0/%d/5", a->security_instance);
    for (size_t i = 0; i < c->value_count; i++) {
        config_value *v = &c->values[i];
        if (strcmp(v->path, path) != 0)
            continue;
        lc_wipe(v->string, sizeof v->string);
        v->kind = CONFIG_VALUE_STRING;
        base64_encode(key, len, v->string, sizeof v->string);
    }
    return 0;
}

/* Applies to a scratch copy so a bad line leaves the caller's configuration as it was. */
static config *scratch_copy(const config *c, lc_error *err)
{
    config *s = malloc(sizeof *s);
    if (!s) {
        lc_error_set(err, LC_ENOMEM, "out of memory");
        return NULL;
    }
    *s = *c;
    return s;
}

static void scratch_commit(config *c, config *s, bool ok)
{
    if (ok)
        *c = *s;
    lc_wipe(s, sizeof *s);
    free(s);
}

int config_apply_psk_env(config *c, lc_error *err)
{
    if (!c)
        return lc_error_set(err, LC_EINVAL, "config_apply_psk_env: no configuration");
    config *s = scratch_copy(c, err);
    if (!s)
        return LC_ENOMEM;
    int rc = 0;
    uint8_t key[CONFIG_PSK_MAX];
    size_t len = 0;
    for (size_t i = 0; i < s->account_count && rc == 0; i++) {
        const config_account *a = &s->accounts[i];
        if (a->mode != SECURITY_MODE_PSK)
            continue;
        char var[32], why[128];
        if (a->bootstrap)
            snprintf(var, sizeof var, "LWM2M_PSK_KEY_BS");
        else
            snprintf(var, sizeof var, "LWM2M_PSK_KEY_%d", a->short_server_id);
        const char *hex = getenv(var);
        if (!hex)
            continue;
        if (hex_decode(hex, key, sizeof key, &len, why, sizeof why) < 0)
            rc = lc_error_set(err, LC_EINVAL, "%s: the key is not hex: %s", var, why);
        else if (len == 0)
            rc = lc_error_set(err, LC_EINVAL, "%s: the key is empty", var);
        else if ((rc = config_set_psk_key(s, a->bootstrap ? 0 : a->short_server_id, key, len,
                                          err)) < 0)
            lc_error_prefix(err, "%s: ", var);
    }
    lc_wipe(key, sizeof key);
    scratch_commit(c, s, rc == 0);
    return rc;
}

static int apply_key_line(config *s, char *line, const char *path, size_t lineno,
                          size_t seen_line[CONFIG_MAX_ACCOUNTS + 1],
                          int seen_ssid[CONFIG_MAX_ACCOUNTS + 1], size_t *nseen, lc_error *err)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    char *tok[3] = {NULL, NULL, NULL};
    size_t ntok = 0;
    char *save = NULL;
    for (char *t = strtok_r(line, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
        if (ntok < 3)
            tok[ntok] = t;
        ntok++;
    }
    if (ntok == 0)
        return 0;
    if (ntok != 2)
        return lc_error_set(err, LC_EINVAL, "%s:%zu: expected '<ssid|bs> <hex key>'", path,
                            lineno);
    int ssid;
    if (strcasecmp(tok[0], "bs") == 0) {
        ssid = 0;
    } else {
        size_t nd = strspn(tok[0], "0123456789");
        long v = nd > 0 && nd <= 5 && tok[0][nd] == '\0' ? strtol(tok[0], NULL, 10) : -1;
        if (v < 1 || v > SSID_MAX)
            return lc_error_set(err, LC_EINVAL,
                                "%s:%zu: '%.16s' is not a Short Server ID (1..65534) or 'bs'",
                                path, lineno, tok[0]);
        ssid = (int)v;
    }
    for (size_t k = 0; k < *nseen; k++)
        if (seen_ssid[k] == ssid)
            return lc_error_set(err, LC_EINVAL,
                                "%s:%zu: a second key for %s%.16s (the first is on line %zu)",
                                path, lineno, ssid ? "SSID " : "", ssid ? tok[0] : "bs",
                                seen_line[k]);
    uint8_t key[CONFIG_PSK_MAX];
    size_t len = 0;
    char why[128];
    int rc;
    if (hex_decode(tok[1], key, sizeof key, &len, why, sizeof why) < 0)
        rc = lc_error_set(err, LC_EINVAL, "%s:%zu: the key is not hex: %s", path, lineno, why);
    else if ((rc = config_set_psk_key(s, ssid, key, len, err)) < 0)
        lc_error_prefix(err, "%s:%zu: ", path, lineno);
    if (rc == LC_ENOTFOUND) { /* for the file's reader, a line naming no account is bad input */
        rc = LC_EINVAL;
        if (err)
            err->code = rc;
    }
    lc_wipe(key, sizeof key);
    lc_wipe(tok[1], strlen(tok[1]));
    if (rc == 0 && *nseen <= CONFIG_MAX_ACCOUNTS) {
        seen_ssid[*nseen] = ssid;
        seen_line[*nseen] = lineno;
        (*nseen)++;
    }
    return rc;
}

int config_apply_psk_file(config *c, const char *path, lc_error *err)
{
    if (!c)
        return lc_error_set(err, LC_EINVAL, "config_apply_psk_file: no configuration");
    if (!path)
        return 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return lc_error_set(err, LC_EIO, "%s: cannot open the PSK key file: %s", path,
                            strerror(errno));
    config *s = scratch_copy(c, err);
    if (!s) {
        fclose(f);
        return LC_ENOMEM;
    }
    char *line = NULL;
    size_t cap = 0, lineno = 0, nseen = 0;
    size_t seen_line[CONFIG_MAX_ACCOUNTS + 1];
    int seen_ssid[CONFIG_MAX_ACCOUNTS + 1];
    ssize_t n;
    int rc = 0;
    errno = 0;
    while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        rc = apply_key_line(s, line, path, lineno, seen_line, seen_ssid, &nseen, err);
        lc_wipe(line, (size_t)n);
    }
    if (rc == 0 && ferror(f))
        rc = lc_error_set(err, LC_EIO, "%s: cannot read: %s", path, strerror(errno));
    if (line)
        lc_wipe(line, cap);
    free(line);
    fclose(f);
    scratch_commit(c, s, rc == 0);
    return rc;
}

int config_check_keys(const config *c, bool bootstrap, lc_error *err)
{
    for (size_t i = 0; i < c->account_count; i++) {
        const config_account *a = &c->accounts[i];
        if (a->mode != SECURITY_MODE_PSK || a->psk_key_len > 0 || (a->bootstrap && !bootstrap))
            continue;
        if (a->bootstrap)
            return lc_error_set(err, LC_EINVAL, "%s: the bootstrap account (/0/%d) uses PSK but has "
                                "no key: put it in /0/%d/5 (Base64), LWM2M_PSK_KEY_BS or a --psk-file "
                                "line \"bs <hex>\"", c->source, a->security_instance,
                                a->security_instance);
        return lc_error_set(err, LC_EINVAL, "%s: server %d (/0/%d) uses PSK but has no key: put it "
                            "in /0/%d/5 (Base64), LWM2M_PSK_KEY_%d or a --psk-file line \"%d <hex>\"",
                            c->source, a->short_server_id, a->security_instance,
                            a->security_instance, a->short_server_id, a->short_server_id);
    }
    return 0;
}
