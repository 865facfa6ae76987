/* <NOTIFICATION> attributes (LwM2M 1.0 §5.1.2): pmin, pmax, gt, lt, st, attached by
 * Write-Attributes to an object, object instance or resource, kept PER SERVER: what server
 * #1 writes is never seen by server #2 (ETS int-951).
 *
 * The shared-attributes fault is modelled here too: a table created with shared = true
 * ignores the Short Server ID, as a buggy client with one global table would. */
#ifndef LC_SIM_ATTRS_H
#define LC_SIM_ATTRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "lwm2m/path.h"

typedef struct sim_attr_set {
    bool has_pmin, has_pmax, has_gt, has_lt, has_st;
    int64_t pmin, pmax; /* seconds */
    double gt, lt, st;
} sim_attr_set;

typedef struct sim_attrs sim_attrs;

sim_attrs *sim_attrs_new(bool shared);
void sim_attrs_free(sim_attrs *a);

/* The attributes server ssid attached at exactly path, or NULL (borrowed, valid until the
 * next change). */
const sim_attr_set *sim_attrs_get(const sim_attrs *a, int ssid, const lwm2m_path *path);

/* Applies a Write-Attributes request: queries are the Uri-Query values ("pmin=2", "pmax",
 * "gt=20.5"). A name without value clears that attribute. All or nothing: on any error the
 * table is unchanged and LC_EINVAL is returned (the device answers 4.00) for
 *   - an unknown attribute or a value that is not a number (pmin/pmax: integer >= 0,
 *     st >= 0), or an empty value ("pmin=");
 *   - gt, lt or st on an object or object instance (resource level only);
 *   - pmin > pmax after the update;
 *   - lt >= gt, or lt + 2*st >= gt, after the update.
 * path depth 1..4. */
int sim_attrs_write(sim_attrs *a, int ssid, const lwm2m_path *path, const char *const *queries,
                    size_t count, lc_error *err);

/* Forgets every attribute at or below path (the instance was deleted), for all servers. */
void sim_attrs_remove_under(sim_attrs *a, const lwm2m_path *path);

/* The attributes in effect for ssid at path: object level, overridden by instance level,
 * overridden by resource level; pmin/pmax fall back to the server's defaults (its Server
 * object's /1/x/2 and /1/x/3; pass a negative value for "none"). */
void sim_attrs_effective(const sim_attrs *a, int ssid, const lwm2m_path *path, int64_t def_pmin,
                         int64_t def_pmax, sim_attr_set *out);

/* Calls fn for every entry that holds an attribute (ssid 0 for each of a shared table), in
 * the order they were first written (sim/persist saves them). */
typedef void (*sim_attrs_visit_fn)(void *arg, int ssid, const lwm2m_path *path,
                                   const sim_attr_set *set);
void sim_attrs_each(const sim_attrs *a, sim_attrs_visit_fn fn, void *arg);

/* Writes the set as link-format attributes, ";pmin=2;pmax=10" (pmin, pmax, gt, lt, st
 * order; "" when empty). Returns the length needed (snprintf semantics). */
int sim_attrs_format(const sim_attr_set *s, char *buf, size_t cap);

#endif
