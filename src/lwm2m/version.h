/* LwM2M enabler versions ("1.0", "1.1", "1.2"): parsing, ordering, and the version hold of
 * `run --lwm2m`. A Register without lwm2m= is LwM2M 1.0 (1.0 §5.3.1). The versions the
 * tool knows are 1.0, 1.1 and 1.2; any "major.minor" still parses and compares, so a
 * device announcing 1.3 is recognised as newer than all of them. */
#ifndef LC_LWM2M_VERSION_H
#define LC_LWM2M_VERSION_H

#include <stdbool.h>

#include "common/err.h"

typedef struct lwm2m_version {
    int major, minor;
} lwm2m_version;

/* Parses "1.0", "1.1", … (digits '.' digits, nothing else, each part < 1000). NULL parses
 * as 1.0, the version of a Register without lwm2m=. Returns 0 or LC_EINVAL. */
int lwm2m_version_parse(const char *s, lwm2m_version *out);
/* Like parse, but only the versions this tool implements (1.0, 1.1, 1.2), for --lwm2m;
 * the message names what is accepted. */
int lwm2m_version_parse_known(const char *s, lwm2m_version *out, lc_error *err);
/* <0, 0, >0 as a is older than, the same as, newer than b. */
int lwm2m_version_cmp(lwm2m_version a, lwm2m_version b);
/* "1.1" for {1, 1}; buf needs 16 bytes. Returns buf. */
const char *lwm2m_version_text(lwm2m_version v, char *buf, unsigned cap);

/* True when a Register that announces `announced` (NULL: no lwm2m=, that is 1.0) is
 * newer than `limit` and must be answered 4.12 Precondition Failed. An announcement that
 * does not parse is never refused here (the Register's own checks reject it). */
bool lwm2m_version_exceeds(const char *announced, lwm2m_version limit);

#endif
