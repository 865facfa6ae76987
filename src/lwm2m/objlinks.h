/* The object list of a Register or Update (RFC 6690 links such as </1/0>,</3/0>,</5>):
 * which objects and instances the device says it has. An alternate root path
 * (</lwm2m>;rt="oma.lwm2m") is taken off each link; links that are not object or instance
 * paths under it (</>, a resource link) are ignored. The version attributes (ver=) are
 * kept per object. */
#ifndef LC_OBJLINKS_H
#define LC_OBJLINKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define OBJLINKS_MAX 256

typedef struct objlink {
    uint16_t object;
    int instance;   /* -1: the object link alone (</5>) */
    char ver[8];    /* its ver= ("" when none) */
} objlink;

typedef struct objlinks {
    objlink items[OBJLINKS_MAX];
    size_t count;
} objlinks;

/* Parses links (NUL-terminated). Returns 0, or LC_EINVAL when the text is not a link
 * list (err says where). More than OBJLINKS_MAX links keep the first ones. */
int objlinks_parse(const char *links, objlinks *out, lc_error *err);

/* Whether the list names object obj (by an object or an instance link). */
bool objlinks_has_object(const objlinks *l, int obj);

#endif
