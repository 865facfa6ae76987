#include "sim/bspack.h"

#include <stdio.h>

#include "lwm2m/content/content.h"
#include "lwm2m/objects.h"
#include "sim/attrs.h"
#include "sim/bootstrap.h"
#include "sim/ops.h"

#define MAX_IDS 1024

static void replace_object(sim_device *d, int obj)
{
    uint16_t ids[MAX_IDS];
    size_t n = sim_store_instances(d->store, obj, ids, MAX_IDS);
    int bs_iid = sim_device_bootstrap_instance(d->store);
    for (size_t k = n < MAX_IDS ? n : MAX_IDS; k-- > 0;) {
        if ((obj == 0 && ids[k] == bs_iid) || obj == 3)
            continue;
        sim_store_delete_instance(d->store, obj, ids[k]);
        lwm2m_path p = {.ids = {obj, ids[k], LWM2M_ID_NONE, LWM2M_ID_NONE}, .depth = 2};
        sim_attrs_remove_under(d->attrs, &p);
    }
}

int sim_bspack_apply(sim_device *d, int cf, const uint8_t *payload, size_t len, char *why,
                     size_t cap)
{
    if (sim_fault_on(&d->faults, SIM_FAULT_BSPACK_IGNORED)) {
        snprintf(why, cap, "fault bspack-ignored: the pack is dropped");
        return -1;
    }
    lwm2m_path root;
    lwm2m_path_parse("/", &root);
    lwm2m_records recs;
    records_init(&recs);
    lc_error err = {0};
    if (content_decode(cf, &root, payload, len, objects_type_of, NULL, &recs, &err) < 0) {
        snprintf(why, cap, "cannot decode the pack (%d): %s", cf, err.msg);
        records_free(&recs);
        return -1;
    }
    int bs_iid = sim_device_bootstrap_instance(d->store);
    uint8_t done[65536 / 8] = {0}; /* bit per object id: replaced already */
    int rc = 0;
    for (size_t i = 0; i < recs.count && rc == 0; i++) {
        const lwm2m_path *p = &recs.items[i].path;
        if (p->depth < 2) {
            snprintf(why, cap, "the pack holds a value for /%d, not under an instance", p->ids[0]);
            rc = -1;
            break;
        }
        if (p->ids[0] == 0 && p->ids[1] == bs_iid) {
            snprintf(why, cap, "the pack writes /0/%d, the bootstrap account", bs_iid);
            rc = -1;
            break;
        }
        int obj = p->ids[0];
        if (!(done[obj / 8] & (1u << (obj % 8)))) {
            done[obj / 8] |= (uint8_t)(1u << (obj % 8));
            replace_object(d, obj);
        }
        if (sim_store_add_instance(d->store, obj, p->ids[1]) < 0)
            rc = -1;
    }
    if (rc == 0 && (sim_ops_apply_write(d, &recs, true) != 0 ||
                    sim_store_add_device_resources(d->store) != 0)) {
        snprintf(why, cap, "cannot store the pack: out of memory");
        rc = -1;
    }
    records_free(&recs);
    if (rc == 0 && !sim_bootstrap_consistent(d)) {
        snprintf(why, cap, "the pack holds no complete server account");
        rc = -1;
    }
    return rc;
}
