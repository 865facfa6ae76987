/* Discover as LwM2M 1.1 and 1.2 extend it (core 1.2 §5.4.2), around sim/discover's 1.0
 * payload: a 1.1+ device also lists the instances of a multiple resource (</3/0/11/0>, with
 * the attributes attached to each) when the Discover reaches that level; a 1.2 device
 * honours the depth parameter, listing nothing deeper than the request's path plus depth.
 * Without depth: an object or an instance down to its resources, a resource down to its
 * instances (1.1+). The discover-depth-ignored fault answers as without depth. */
#ifndef LC_SIM_DISCOVER_DEPTH_H
#define LC_SIM_DISCOVER_DEPTH_H

#include <stddef.h>

#include "common/err.h"
#include "lwm2m/path.h"
#include "sim/device.h"

/* The Discover payload for server ssid on path, with the request's Uri-Query (depth=N
 * read when the device speaks 1.2). Same ownership and returns as sim_discover; LC_EINVAL
 * also for a depth that is not 0..3. */
int sim_discover_query(const sim_device *d, int ssid, const lwm2m_path *path,
                       const char *const *queries, size_t query_count, char **out,
                       size_t *len, lc_error *err);

#endif
