/* Which device a run judges when several talk to its endpoints. The device under test is
 * the endpoint name given (run --endpoint NAME), else the first one that sends a Register
 * or Bootstrap-Request. Requests of any other endpoint name are refused (4.03) by the
 * registry and the bootstrap server and never become events, so no step takes another
 * device's message for the device under test's; those names are kept for the reports.
 * Without a given name, the first other name is a warning that names both and says which
 * one is judged. serve sets no filter: it shows every device. */
#ifndef LC_NET_EPFILTER_H
#define LC_NET_EPFILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "common/log.h"

#define EPFILTER_MAX_IGNORED 16

typedef struct epfilter {
    logger *log;              /* borrowed */
    bool named;               /* the name was given, not taken from the first device */
    char name[256];           /* "" until known */
    char hint[256];           /* the name the device is expected to use before it is seen
                                 (the simulator's own, a device description's): not a
                                 filter, only for epfilter_identity_names ("" none) */
    char ignored[EPFILTER_MAX_IGNORED][256];
    size_t ignored_count;     /* distinct names kept (the first EPFILTER_MAX_IGNORED) */
} epfilter;

/* name NULL or "": the first endpoint name seen becomes the device under test. */
void epfilter_init(epfilter *f, const char *name, logger *log);
/* True when ep is the device under test's endpoint name (taking it as that name when none
 * is known yet); else remembers ep as ignored and returns false. f NULL: always true. */
bool epfilter_accepts(epfilter *f, const char *ep);

/* The device is expected to use this endpoint name (NULL/"": nothing known). */
void epfilter_set_hint(epfilter *f, const char *name);
/* A request that left out ep (LwM2M 1.1 §7.3.1: allowed only when the security protocol's
 * authenticated identifier is identical to the endpoint name) names the Client by its PSK
 * identity: true when that fits what is known of the device under test (its name, else the
 * hint, else nothing known); false with why (cap bytes) saying which name was expected. */
bool epfilter_identity_names(const epfilter *f, const char *identity, char *why, size_t cap);

#endif
