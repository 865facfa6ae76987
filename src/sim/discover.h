/* Discover (LwM2M 1.0 §5.4.2) and Bootstrap-Discover payloads in CoRE Link Format.
 *
 * A server sees only the attributes IT attached (int-951); every link carries the
 * attributes attached at its own level, and a Discover on a resource carries the
 * attributes it inherits from its object and instance. LwM2M 1.1 devices add dim=N to
 * multiple resources. The discover-missing-resource and discover-malformed faults act
 * here, and bootstrap-discover-no-ssid on Bootstrap-Discover. */
#ifndef LC_SIM_DISCOVER_H
#define LC_SIM_DISCOVER_H

#include <stddef.h>

#include "common/err.h"
#include "lwm2m/path.h"
#include "sim/device.h"

/* The Discover payload for server ssid on path (depth 1..3). Discover needs no access
 * right (the ACL's Read bit covers Read, Observe and Write-Attributes). *out is malloc'd and
 * NUL-terminated; the caller frees it. Returns 0, LC_ENOTFOUND (nothing at path),
 * LC_EINVAL (depth 0 or 4) or LC_ENOMEM. Access checks are the caller's. */
int sim_discover(const sim_device *d, int ssid, const lwm2m_path *path, char **out,
                 size_t *len, lc_error *err);

/* The Bootstrap-Discover payload for "/" (depth 0, starts with lwm2m="1.x") or an object
 * (depth 1): every instance, ssid= on Security (server accounts) and Server instances,
 * and in LwM2M 1.1 uri="…" on Security instances. Same ownership and returns. */
int sim_bootstrap_discover(const sim_device *d, const lwm2m_path *path, char **out,
                           size_t *len, lc_error *err);

/* The Content-Format of a Discover or Bootstrap-Discover answer: link format (40), none
 * under discover-no-content-format, text/plain (0) under discover-wrong-content-format. */
int sim_discover_content_format(const sim_faults *f);

#endif
