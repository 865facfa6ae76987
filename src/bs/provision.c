#include "bs/provision.h"

#include <stdbool.h>
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

/* Adds v at p (the device's numbering); a number is number_override when that is >= 0. */
static int add_value(lwm2m_records *recs, const config_value *v, const lwm2m_path *p,
                     int64_t number_override, lc_error *err)
{
    lwm2m_type t = objects_type_of(p, NULL);
    int r = LC_EINVAL;
    switch (v->kind) {
    case CONFIG_VALUE_BOOL:
        r = records_add_bool(recs, p, v->boolean);
        break;
    case CONFIG_VALUE_NUMBER:
        r = t == LV_FLOAT ? records_add_float(recs, p, v->number)
                          : records_add_int(recs, p, number_override >= 0 ? number_override
                                                                          : (int64_t)v->number);
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

/* An Access Control instance's Object Instance ID (/2/x/1) names an instance in the
 * configuration's numbering: the device's id of that instance, else -1 (keep the value). */
static int64_t acl_instance_on_device(const config *cfg, const instmap *map, const lwm2m_path *p,
                                      const config_value *v)
{
    if (!map || p->ids[0] != 2 || p->depth != 3 || p->ids[2] != 1 ||
        v->kind != CONFIG_VALUE_NUMBER)
        return -1;
    for (size_t i = 0; i < cfg->access_control_count; i++)
        if (cfg->access_control[i].instance == p->ids[1])
            return instmap_device_iid(map, cfg->access_control[i].object_id, (int)v->number);
    return -1;
}

int provision_instance_records(const config *cfg, const instmap *map, const lwm2m_path *inst,
                               const char *uri, lwm2m_records *recs, lc_error *err)
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
        int64_t num = acl_instance_on_device(cfg, map, &p, &cfg->values[i]);
        instmap_to_device(map, &p);
        int r = add_value(recs, &cfg->values[i], &p, num, err);
        if (r < 0)
            return r;
    }
    if (acct) {
        lwm2m_path p = *inst;
        instmap_to_device(map, &p);
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

/* Whether Security instance id is the device's bootstrap account or already holds one
 * of the configuration's accounts in m. */
static bool taken(const instmap *m, int id)
{
    if (id == m->bootstrap_iid)
        return true;
    for (size_t i = 0; i < m->count; i++)
        if (m->entries[i].object == 0 && m->entries[i].device_iid == id)
            return true;
    return false;
}

static bool own_id(const lwm2m_path *list, size_t n, int id)
{
    for (size_t i = 0; i < n; i++)
        if (list[i].ids[0] == 0 && list[i].ids[1] == id)
            return true;
    return false;
}

int provision_map(const config *cfg, int device_bs_iid, instmap *out, lc_error *err)
{
    instmap_init(out);
    const config_account *bsacct = config_bootstrap(cfg);
    if (device_bs_iid < 0)
        device_bs_iid = bsacct ? bsacct->security_instance : -1;
    out->bootstrap_iid = device_bs_iid;
    lwm2m_path list[PROVISION_MAX_INSTANCES];
    size_t n = provision_list(cfg, list, PROVISION_MAX_INSTANCES);
    if (n > PROVISION_MAX_INSTANCES)
        n = PROVISION_MAX_INSTANCES;
    /* C.14's own id wherever it is free on the device */
    for (size_t i = 0; i < n; i++)
        if (list[i].ids[0] == 0 && list[i].ids[1] != device_bs_iid)
            instmap_set(out, 0, list[i].ids[1], list[i].ids[1]);
    /* the one on the bootstrap account's id: the lowest id nobody has and no other
     * account of the configuration calls its own */
    for (size_t i = 0; i < n; i++) {
        if (list[i].ids[0] != 0 || list[i].ids[1] != device_bs_iid)
            continue;
        int id = 0;
        while (id < 65535 && (taken(out, id) || own_id(list, n, id)))
            id++;
        if (id == 65535)
            return lc_error_set(err, LC_EINVAL, "no free Security instance id left");
        instmap_set(out, 0, list[i].ids[1], id);
    }
    /* the bootstrap account last, so that taken() above saw only the accounts */
    if (bsacct && device_bs_iid >= 0)
        instmap_set(out, 0, bsacct->security_instance, device_bs_iid);
    return 0;
}
