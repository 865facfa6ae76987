#include "bs/provision.h"

#include <string.h>

#include "lwm2m/objects.h"

size_t provision_list(const config *cfg, lwm2m_path *out, size_t cap)
{
    lwm2m_path all[CONFIG_MAX_VALUES]; /* one value per instance at most */
    size_t n = 0;
    const config_account *bsacct = config_bootstrap(cfg);
    for (int obj = 0; obj <= 2; obj++) {
        for (size_t i = 0; i < cfg->value_count && n < CONFIG_MAX_VALUES; i++) {
            lwm2m_path p;
            if (lwm2m_path_parse(cfg->values[i].path, &p) < 0 || p.depth < 2 || p.ids[0] != obj)
                continue;
            p.depth = 2;
            p.ids[2] = p.ids[3] = LWM2M_ID_NONE;
            if (obj == 0 && bsacct && bsacct->security_instance == p.ids[1])
                continue; /* the client keeps its own bootstrap account */
            bool seen = false;
            for (size_t k = 0; k < n && !seen; k++)
                seen = lwm2m_path_equal(&all[k], &p);
            if (!seen)
                all[n++] = p;
        }
    }
    for (size_t k = 0; k < n && k < cap; k++)
        out[k] = all[k];
    return n;
}

static int add_value(lwm2m_records *recs, const config_value *v, const lwm2m_path *p,
                     lc_error *err)
{
    lwm2m_type t = objects_type_of(p, NULL);
    int r = LC_EINVAL;
    switch (v->kind) {
    case CONFIG_VALUE_BOOL:
        r = records_add_bool(recs, p, v->boolean);
        break;
    case CONFIG_VALUE_NUMBER:
        r = t == LV_FLOAT ? records_add_float(recs, p, v->number)
                          : records_add_int(recs, p, (int64_t)v->number);
        break;
    case CONFIG_VALUE_STRING:
        if (t == LV_OPAQUE) {
            uint8_t buf[512];
            size_t n = 0;
            if (config_base64_decode(v->string, buf, sizeof buf, &n) < 0)
                return lc_error_set(err, LC_EINVAL, "%s: an opaque value must be Base64", v->path);
            r = records_add_opaque(recs, p, buf, n);
            memset(buf, 0, sizeof buf);
        } else {
            r = records_add_string(recs, p, v->string);
        }
        break;
    }
    if (r < 0)
        return lc_error_set(err, r, "%s: %s", v->path, r == LC_ENOMEM ? "out of memory"
                                                                      : "cannot be written");
    return 0;
}

const config_account *provision_account_of(const config *cfg, const lwm2m_path *inst)
{
    if (inst->ids[0] != 0)
        return NULL;
    for (size_t i = 0; i < cfg->account_count; i++)
        if (cfg->accounts[i].security_instance == inst->ids[1])
            return &cfg->accounts[i];
    return NULL;
}

int provision_instance_records(const config *cfg, const lwm2m_path *inst, const char *uri,
                               lwm2m_records *recs, lc_error *err)
{
    if (inst->depth != 2)
        return lc_error_set(err, LC_EINVAL, "provisioning writes object instances, not %d-level "
                            "paths", inst->depth);
    const config_account *acct = provision_account_of(cfg, inst);
    bool psk = acct && acct->mode == SECURITY_MODE_PSK;
    size_t before = recs->count;
    for (size_t i = 0; i < cfg->value_count; i++) {
        lwm2m_path p;
        if (lwm2m_path_parse(cfg->values[i].path, &p) < 0 || !lwm2m_path_is_under(&p, inst))
            continue;
        if (acct && p.depth >= 3 && (p.ids[2] == 0 || (psk && (p.ids[2] == 3 || p.ids[2] == 5))))
            continue; /* written from the account below */
        int r = add_value(recs, &cfg->values[i], &p, err);
        if (r < 0)
            return r;
    }
    if (acct) {
        lwm2m_path p = *inst;
        p.depth = 3;
        p.ids[2] = 0;
        int r = records_add_string(recs, &p, uri ? uri : acct->uri);
        if (r == 0 && psk) {
            p.ids[2] = 3;
            r = records_add_opaque(recs, &p, acct->psk_identity, acct->psk_identity_len);
        }
        if (r == 0 && psk) {
            p.ids[2] = 5;
            r = records_add_opaque(recs, &p, acct->psk_key, acct->psk_key_len);
        }
        if (r < 0)
            return lc_error_set(err, r, "out of memory");
    }
    if (recs->count == before)
        return lc_error_set(err, LC_ENOTFOUND, "the configuration has nothing for /%d/%d",
                            (int)inst->ids[0], (int)inst->ids[1]);
    return 0;
}

void provision_records_wipe(lwm2m_records *recs)
{
    for (size_t i = 0; i < recs->count; i++)
        if (recs->items[i].bytes)
            memset(recs->items[i].bytes, 0, recs->items[i].len);
}
