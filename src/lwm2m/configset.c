#include "lwm2m/configset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool configset_file_name(const char *name, char *buf, size_t cap)
{
    if (!name || name[0] != 'C' || name[1] != '.' || !name[2] ||
        strspn(name + 2, "0123456789") != strlen(name + 2) || strlen(name) > 8)
        return false;
    snprintf(buf, cap, "c%s.json", name + 2);
    return true;
}

static bool same_account(const config_account *a, const config_account *b)
{
    return a->bootstrap == b->bootstrap && a->short_server_id == b->short_server_id &&
           strcmp(a->uri, b->uri) == 0 && a->mode == b->mode &&
           a->psk_identity_len == b->psk_identity_len &&
           memcmp(a->psk_identity, b->psk_identity, a->psk_identity_len) == 0 &&
           a->psk_key_len == b->psk_key_len && memcmp(a->psk_key, b->psk_key, a->psk_key_len) == 0 &&
           a->security_instance == b->security_instance &&
           a->server_instance == b->server_instance && a->lifetime == b->lifetime &&
           a->default_pmin == b->default_pmin && a->default_pmax == b->default_pmax &&
           a->disable_timeout == b->disable_timeout &&
           a->notification_storing == b->notification_storing &&
           strcmp(a->binding, b->binding) == 0;
}

static bool same_acl(const config_access_control *a, const config_access_control *b)
{
    if (a->instance != b->instance || a->object_id != b->object_id ||
        a->object_instance != b->object_instance || a->owner != b->owner ||
        a->acl_count != b->acl_count)
        return false;
    for (size_t i = 0; i < a->acl_count; i++)
        if (a->acl[i].short_server_id != b->acl[i].short_server_id ||
            a->acl[i].rights != b->acl[i].rights)
            return false;
    return true;
}

bool configset_same_provisioning(const config *a, const config *b)
{
    if (a == b)
        return true;
    if (a->account_count != b->account_count ||
        a->access_control_count != b->access_control_count)
        return false;
    for (size_t i = 0; i < a->account_count; i++)
        if (!same_account(&a->accounts[i], &b->accounts[i]))
            return false;
    for (size_t i = 0; i < a->access_control_count; i++)
        if (!same_acl(&a->access_control[i], &b->access_control[i]))
            return false;
    return true;
}

/* Every account of c must be one the main configuration opened an endpoint for: the same
 * SSID (or the bootstrap account), URI and PSK identity. */
static int check_accounts(const config *c, const config *main, lc_error *err)
{
    for (size_t i = 0; i < c->account_count; i++) {
        const config_account *a = &c->accounts[i];
        const config_account *m = a->bootstrap ? config_bootstrap(main)
                                               : config_server(main, a->short_server_id);
        char who[48];
        if (a->bootstrap)
            snprintf(who, sizeof who, "the bootstrap account");
        else
            snprintf(who, sizeof who, "server account SSID %d", a->short_server_id);
        if (!m)
            return lc_error_set(err, LC_EINVAL, "%s: %s is not in the run's configuration %s, "
                                "whose accounts the tool listens for", c->source, who,
                                main->source);
        if (strcmp(a->uri, m->uri) != 0 || a->mode != m->mode ||
            a->psk_identity_len != m->psk_identity_len ||
            memcmp(a->psk_identity, m->psk_identity, a->psk_identity_len) != 0 ||
            a->psk_key_len != m->psk_key_len || memcmp(a->psk_key, m->psk_key, a->psk_key_len) != 0)
            return lc_error_set(err, LC_EINVAL, "%s: %s differs from the run's configuration "
                                "%s (URI, security mode, PSK identity or key): give it the same",
                                c->source, who, main->source);
    }
    return 0;
}

static int load_one(configset *cs, const char *name, const char *path, const configset_keys *keys,
                    lc_error *err)
{
    config *c = calloc(1, sizeof *c);
    if (!c)
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    int rc = config_load_file(path, c, err);
    if (rc == 0)
        rc = config_apply_psk_env(c, err);
    if (rc == 0 && keys && keys->psk_file)
        rc = config_apply_psk_file(c, keys->psk_file, err);
    if (rc == 0)
        rc = config_check_keys(c, keys && keys->bootstrap, err);
    if (rc == 0 && keys && keys->provision)
        rc = check_accounts(c, cs->main, err);
    if (rc) {
        free(c);
        return rc;
    }
    configset_entry *e = &cs->entries[cs->count];
    snprintf(e->name, sizeof e->name, "%s", name);
    e->cfg = c;
    e->group = -1;
    if (configset_same_provisioning(c, cs->main))
        e->group = 0;
    for (size_t k = 0; k < cs->count && e->group < 0; k++)
        if (configset_same_provisioning(c, cs->entries[k].cfg))
            e->group = cs->entries[k].group;
    if (e->group < 0) {
        int max = 0;
        for (size_t k = 0; k < cs->count; k++)
            max = cs->entries[k].group > max ? cs->entries[k].group : max;
        e->group = max + 1;
    }
    cs->count++;
    return 0;
}

int configset_load(configset *cs, const config *main, const char *dir, const char *const *names,
                   size_t name_count, const configset_keys *keys, lc_error *err)
{
    memset(cs, 0, sizeof *cs);
    cs->main = main;
    cs->provision = keys && keys->provision;
    for (size_t i = 0; i < name_count; i++) {
        char file[32], path[1024];
        if (!configset_file_name(names[i], file, sizeof file))
            continue;
        bool seen = false;
        for (size_t k = 0; k < cs->count && !seen; k++)
            seen = strcmp(cs->entries[k].name, names[i]) == 0;
        if (seen || cs->count == CONFIGSET_MAX)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, file);
        if (access(path, F_OK) != 0)
            continue;
        int rc = load_one(cs, names[i], path, keys, err);
        if (rc) {
            configset_free(cs);
            return rc;
        }
    }
    return 0;
}

void configset_free(configset *cs)
{
    for (size_t i = 0; i < cs->count; i++) {
        if (cs->entries[i].cfg) {
            memset(cs->entries[i].cfg, 0, sizeof *cs->entries[i].cfg); /* key material */
            free(cs->entries[i].cfg);
        }
    }
    cs->count = 0;
}

const config *configset_for(const configset *cs, const char *name, int *group)
{
    if (group)
        *group = 0;
    if (!cs || !name)
        return cs ? cs->main : NULL;
    for (size_t i = 0; i < cs->count; i++)
        if (strcmp(cs->entries[i].name, name) == 0) {
            if (group)
                *group = cs->entries[i].group;
            /* what provisions the same as the main one is the main one */
            return cs->entries[i].group == 0 ? cs->main : cs->entries[i].cfg;
        }
    return cs->main;
}
