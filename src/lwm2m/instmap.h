/* Where the configuration's object instances live on the device under test.
 *
 * C.14's instance numbers belong to the test, not to the device: a device may keep its
 * factory bootstrap account in Security instance /0/0, where C.14 puts server account #1.
 * An instmap says, for each instance of the configuration the tool writes (and for the
 * bootstrap account's own Security instance), which instance id it has on the device.
 * Instances it does not name keep the configuration's id, so an empty map (or NULL) is
 * the identity. Built by bs/provision from what the device told the bootstrap server;
 * read by the bootstrap server (where to write), tc/vars (${server[N].security_instance})
 * and the reports. */
#ifndef LC_LWM2M_INSTMAP_H
#define LC_LWM2M_INSTMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "lwm2m/path.h"

#define INSTMAP_MAX 48

typedef struct instmap_entry {
    int object;     /* 0 Security, 1 Server, 2 Access Control */
    int config_iid; /* the configuration's instance id */
    int device_iid; /* where it is on the device */
} instmap_entry;

typedef struct instmap {
    instmap_entry entries[INSTMAP_MAX];
    size_t count;
    /* The device's bootstrap account: its Security instance, or -1 while unknown. */
    int bootstrap_iid;
} instmap;

/* An empty map: the identity, bootstrap account unknown. */
void instmap_init(instmap *m);

/* Records that the configuration's /object/config_iid is /object/device_iid on the device
 * (replacing an earlier entry for it). Returns 0, or -1 when the map is full. */
int instmap_set(instmap *m, int object, int config_iid, int device_iid);

/* The device's instance id for the configuration's /object/config_iid: the mapped one, else
 * config_iid itself. m may be NULL (the identity). */
int instmap_device_iid(const instmap *m, int object, int config_iid);

/* Rewrites p (a path in the configuration's numbering) into the device's numbering: its
 * instance id when p names an instance or below it. Returns true when p changed. m may be
 * NULL. */
bool instmap_to_device(const instmap *m, lwm2m_path *p);

/* True when some instance of the map is not where the configuration has it. */
bool instmap_moves_anything(const instmap *m);

/* "/0/0 -> /0/1, /0/1 -> /0/0" for messages: every entry that moves, ", "-separated;
 * "" when nothing moves. Returns the length needed (snprintf semantics). */
int instmap_format(const instmap *m, char *buf, size_t cap);

#endif
