#include "sim/access.h"

#include <stdint.h>

#define MAX_INST 1024

int sim_access_server_count(const sim_store *st)
{
    return (int)sim_store_instances(st, 1, NULL, 0);
}

int sim_access_find_instance(const sim_store *st, int obj, int inst)
{
    uint16_t ids[MAX_INST];
    size_t n = sim_store_instances(st, 2, ids, MAX_INST);
    for (size_t k = 0; k < n && k < MAX_INST; k++) {
        int64_t o, i;
        if (sim_store_get_int(st, 2, ids[k], 0, &o) && sim_store_get_int(st, 2, ids[k], 1, &i) &&
            o == obj && i == inst)
            return ids[k];
    }
    return -1;
}

/* The value of /2/x/2/<id>, or -1 when that ACL entry does not exist. */
static int acl_entry(const sim_store *st, int x, int id)
{
    lwm2m_path p = {.ids = {2, x, 2, id}, .depth = 4};
    const lwm2m_record *r = sim_store_get(st, &p);
    if (!r || (r->type != LV_INTEGER && r->type != LV_UNSIGNED))
        return -1;
    return (int)(r->i & 0xffff);
}

int sim_access_rights(const sim_store *st, int ssid, int obj, int inst)
{
    if (obj == 0)
        return 0;
    if (sim_access_server_count(st) <= 1)
        return SIM_RIGHTS_ALL;
    int64_t owner = -1;
    if (obj == 2) {
        if (!sim_store_get_int(st, 2, inst, 3, &owner))
            return 0;
        return owner == ssid ? SIM_RIGHT_READ | SIM_RIGHT_WRITE : 0;
    }
    int x = sim_access_find_instance(st, obj, inst);
    if (x < 0)
        return 0;
    int rights = acl_entry(st, x, ssid);
    if (rights >= 0 && ssid > 0)
        return rights;
    /* "the Access Control Owner which doesn't have an ACL Resource Instance has full
     * access rights" (LwM2M 1.0 §7.3.1): the owner comes before the default entry */
    if (sim_store_get_int(st, 2, x, 3, &owner) && owner == ssid && ssid != SIM_ACCESS_MAX_ID &&
        inst != SIM_ACCESS_MAX_ID)
        return SIM_RIGHTS_OWNER;
    rights = acl_entry(st, x, 0);
    return rights >= 0 ? rights : 0;
}

int sim_access_on_create(sim_store *st, int ssid, int obj, int inst)
{
    if (sim_access_server_count(st) <= 1 || obj == 2 || sim_access_find_instance(st, obj, inst) >= 0)
        return 0;
    int x = sim_store_free_instance_id(st, 2);
    int rc = sim_store_set_int(st, 2, x, 0, obj);
    if (!rc)
        rc = sim_store_set_int(st, 2, x, 1, inst);
    if (!rc)
        rc = sim_store_set_int(st, 2, x, 3, ssid);
    return rc;
}

void sim_access_on_delete(sim_store *st, int obj, int inst)
{
    int x;
    while ((x = sim_access_find_instance(st, obj, inst)) >= 0)
        sim_store_delete_instance(st, 2, x);
}
