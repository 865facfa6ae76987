/* Access Control (LwM2M 1.0 §7.3 and Appendix E.3): which operations a server, known by
 * its Short Server ID, may perform on an object instance.
 *
 * Decisions are made on the device's store, so Access Control instances written by a
 * bootstrap server or created by the device count as soon as they exist. */
#ifndef LC_SIM_ACCESS_H
#define LC_SIM_ACCESS_H

#include <stdbool.h>

#include "sim/store.h"

/* ACL bits (resource /2/x/2/<ssid>). Read also covers Observe, Discover and
 * Write-Attributes. */
enum {
    SIM_RIGHT_READ = 1,
    SIM_RIGHT_WRITE = 2,
    SIM_RIGHT_EXECUTE = 4,
    SIM_RIGHT_DELETE = 8,
    SIM_RIGHT_CREATE = 16,
    SIM_RIGHTS_OWNER = 15, /* what an owner without its own ACL entry gets: R, W, E, D */
    SIM_RIGHTS_ALL = 31,
};

#define SIM_ACCESS_MAX_ID 65535

/* Number of LwM2M Server accounts (Server object instances) the device holds. */
int sim_access_server_count(const sim_store *st);

/* The rights of server ssid on /obj/inst (inst = 65535 asks for the object-level Create
 * right). Rules, in order:
 *   - the Security object (0) is never accessible to a server: 0;
 *   - with at most one server account ACLs are not enforced: all rights;
 *   - an Access Control instance /2/x is managed by its owner only: R+W for the owner;
 *   - otherwise the Access Control instance whose /2/x/0 and /2/x/1 name the target is
 *     used: its ACL entry for ssid, else R+W+E+D when ssid is its owner (§7.3.1: an owner
 *     without an ACL entry has full access), else its default entry (resource instance
 *     0), else nothing;
 *   - no such instance: nothing. */
int sim_access_rights(const sim_store *st, int ssid, int obj, int inst);

static inline bool sim_access_allowed(const sim_store *st, int ssid, int obj, int inst,
                                      int right)
{
    return (sim_access_rights(st, ssid, obj, inst) & right) == right;
}

/* The Access Control instance guarding /obj/inst, or -1. */
int sim_access_find_instance(const sim_store *st, int obj, int inst);

/* After a server created /obj/inst: when ACLs are enforced, creates the Access Control
 * instance for it with ssid as owner (LwM2M 1.0 §7.3.2). Returns 0 or LC_ENOMEM. */
int sim_access_on_create(sim_store *st, int ssid, int obj, int inst);
/* After /obj/inst was deleted: removes the Access Control instances that guard it. */
void sim_access_on_delete(sim_store *st, int obj, int inst);

#endif
