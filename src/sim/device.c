#include "sim/device.h"

#include <string.h>

#include "sim/formats.h"

#define MAX_INST 256

int sim_device_init(sim_device *d, const config *c, const description *desc,
                    const sim_faults *faults, int lwm2m_minor, lc_error *err)
{
    memset(d, 0, sizeof *d);
    if (faults)
        d->faults = *faults;
    d->lwm2m_minor = lwm2m_minor;
    d->pct = SIM_PCT_DEFAULT;
    d->store = sim_store_new();
    d->attrs = sim_attrs_new(sim_fault_on(&d->faults, SIM_FAULT_SHARED_ATTRIBUTES));
    if (!d->store || !d->attrs) {
        sim_device_cleanup(d);
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    }
    int rc = sim_store_load_config(d->store, c, err);
    if (rc == 0 && desc)
        rc = sim_store_load_description(d->store, desc, err);
    if (rc) {
        sim_device_cleanup(d);
        return rc;
    }
    uint16_t ids[SIM_MAX_OBJECTS];
    size_t n = sim_store_objects(d->store, ids, SIM_MAX_OBJECTS);
    if (n > SIM_MAX_OBJECTS) {
        sim_device_cleanup(d);
        return lc_error_set(err, LC_EINVAL, "%s: more than %d objects", c->source,
                            SIM_MAX_OBJECTS);
    }
    /* the core objects first (sorted), then the configuration's others */
    for (uint16_t core = 0; core <= 3; core++)
        d->supported[d->supported_count++] = core;
    for (size_t i = 0; i < n; i++)
        if (ids[i] > 3 && d->supported_count < SIM_MAX_OBJECTS)
            d->supported[d->supported_count++] = ids[i];
    /* an object the description lists without instances is implemented all the same */
    for (size_t i = 0; desc && i < desc->object_count; i++)
        if (!sim_device_supports(d, desc->objects[i]) && d->supported_count < SIM_MAX_OBJECTS)
            d->supported[d->supported_count++] = desc->objects[i];
    for (size_t i = 1; i < d->supported_count; i++) /* sorted, as the Register lists them */
        for (size_t k = i; k > 0 && d->supported[k - 1] > d->supported[k]; k--) {
            uint16_t t = d->supported[k];
            d->supported[k] = d->supported[k - 1];
            d->supported[k - 1] = t;
        }
    return 0;
}

bool sim_device_supports(const sim_device *d, int obj)
{
    for (size_t i = 0; i < d->supported_count; i++)
        if (d->supported[i] == obj)
            return true;
    return sim_store_has_object(d->store, obj);
}

void sim_device_cleanup(sim_device *d)
{
    sim_store_free(d->store);
    sim_attrs_free(d->attrs);
    d->store = NULL;
    d->attrs = NULL;
}

const char *sim_device_version(const sim_device *d)
{
    return d->lwm2m_minor >= 2 ? "1.2" : d->lwm2m_minor == 1 ? "1.1" : "1.0";
}

bool sim_device_fall_back(sim_device *d)
{
    if (d->lwm2m_minor <= 0)
        return false;
    d->lwm2m_minor--;
    return true;
}

int sim_device_server_instance(const sim_store *st, int ssid)
{
    uint16_t ids[MAX_INST];
    size_t n = sim_store_instances(st, 1, ids, MAX_INST);
    for (size_t k = 0; k < n && k < MAX_INST; k++) {
        int64_t v;
        if (sim_store_get_int(st, 1, ids[k], 0, &v) && v == ssid)
            return ids[k];
    }
    return -1;
}

int sim_device_security_instance(const sim_store *st, int ssid)
{
    uint16_t ids[MAX_INST];
    size_t n = sim_store_instances(st, 0, ids, MAX_INST);
    for (size_t k = 0; k < n && k < MAX_INST; k++) {
        int64_t v, bs = 0;
        sim_store_get_int(st, 0, ids[k], 1, &bs);
        if (!bs && sim_store_get_int(st, 0, ids[k], 10, &v) && v == ssid)
            return ids[k];
    }
    return -1;
}

int sim_device_bootstrap_instance(const sim_store *st)
{
    uint16_t ids[MAX_INST];
    size_t n = sim_store_instances(st, 0, ids, MAX_INST);
    for (size_t k = 0; k < n && k < MAX_INST; k++) {
        int64_t bs = 0;
        if (sim_store_get_int(st, 0, ids[k], 1, &bs) && bs)
            return ids[k];
    }
    return -1;
}

void sim_device_server_defaults(const sim_device *d, int ssid, int64_t *pmin, int64_t *pmax)
{
    *pmin = *pmax = -1;
    int x = sim_device_server_instance(d->store, ssid);
    if (x < 0)
        return;
    if (!sim_store_get_int(d->store, 1, x, 2, pmin))
        *pmin = -1;
    if (!sim_store_get_int(d->store, 1, x, 3, pmax))
        *pmax = -1;
}
