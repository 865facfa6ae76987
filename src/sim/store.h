/* The simulated device's data model: object instances and typed resource values, stored
 * generically (path -> value) so that any configuration, Bootstrap-Write or Create fills
 * it the same way.
 *
 * Values are kept at depth 3 (single resource) or 4 (one instance of a multiple
 * resource). An executable resource is present as a record of type LV_NONE. The store
 * owns every byte it holds; getters return borrowed pointers valid until the next change. */
#ifndef LC_SIM_STORE_H
#define LC_SIM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "lwm2m/config.h"
#include "lwm2m/description.h"
#include "lwm2m/content/value.h"
#include "lwm2m/path.h"

typedef struct sim_store sim_store;

sim_store *sim_store_new(void);
void sim_store_free(sim_store *st);

/* Fills an empty store from a configuration: every entry of c->values typed by the object
 * model (Base64 strings of opaque resources decoded), then the Security URIs and PSK
 * identities/keys from c->accounts (which already carry command-line and key-file
 * overrides), then what the device itself provides: Reboot /3/0/4 and Current Time
 * /3/0/13 on the Device instance, Disable /1/x/4 and Registration Update Trigger /1/x/8
 * on every Server instance. Returns 0, LC_ENOMEM or LC_EINVAL (a value that does not fit
 * its resource; the message names the path). */
int sim_store_load_config(sim_store *st, const config *c, lc_error *err);

/* Adds what the device is (its description, fixtures/simdev.json): the instances it lists
 * and its values typed by the object model, then the device-provided resources below.
 * Returns 0, LC_ENOMEM or LC_EINVAL (a value that does not fit its resource). */
int sim_store_load_description(sim_store *st, const description *desc, lc_error *err);

/* Adds the device-provided resources named above to instances that lack them. */
int sim_store_add_device_resources(sim_store *st);

bool sim_store_has_object(const sim_store *st, int obj);
bool sim_store_has_instance(const sim_store *st, int obj, int inst);
int sim_store_add_instance(sim_store *st, int obj, int inst);
/* Removes the instance and every value below it; no-op when absent. */
void sim_store_delete_instance(sim_store *st, int obj, int inst);
/* The lowest free instance id of obj. */
int sim_store_free_instance_id(const sim_store *st, int obj);

/* Sorted ids. Each returns how many exist (may exceed cap; only cap are written). */
size_t sim_store_objects(const sim_store *st, uint16_t *out, size_t cap);
size_t sim_store_instances(const sim_store *st, int obj, uint16_t *out, size_t cap);
size_t sim_store_resources(const sim_store *st, int obj, int inst, uint16_t *out, size_t cap);
/* Resource instance ids of a multiple resource. */
size_t sim_store_resource_instances(const sim_store *st, int obj, int inst, int res,
                                    uint16_t *out, size_t cap);

/* True when the resource (depth 3 path) or resource instance (depth 4) has a value or is
 * an executable marker. */
bool sim_store_exists(const sim_store *st, const lwm2m_path *p);
/* The record at exactly p (depth 3 or 4), or NULL. */
const lwm2m_record *sim_store_get(const sim_store *st, const lwm2m_path *p);
bool sim_store_get_int(const sim_store *st, int obj, int inst, int res, int64_t *out);
/* Borrowed string (STRING values only), NULL when absent. */
const char *sim_store_get_string(const sim_store *st, int obj, int inst, int res);

/* Copies rec in (path depth 3 or 4), creating the instance when needed. A depth-3 value
 * replaces the resource's instances and a depth-4 value replaces a single value. */
int sim_store_set(sim_store *st, const lwm2m_record *rec);
int sim_store_set_int(sim_store *st, int obj, int inst, int res, int64_t v);
int sim_store_set_string(sim_store *st, int obj, int inst, int res, const char *s);
int sim_store_set_opaque(sim_store *st, int obj, int inst, int res, const uint8_t *b, size_t n);
/* Marks an executable resource present. */
int sim_store_set_executable(sim_store *st, int obj, int inst, int res);
/* Removes a resource with all its instances. */
void sim_store_clear_resource(sim_store *st, int obj, int inst, int res);

/* Appends copies of every value at or below base (executable markers excluded) to out,
 * in path order. Returns 0 or LC_ENOMEM. */
int sim_store_collect(const sim_store *st, const lwm2m_path *base, lwm2m_records *out);

/* Copies the whole store (for the factory accounts kept across a bootstrap). */
sim_store *sim_store_clone(const sim_store *st);

#endif
