#include "run/devfacts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/objects.h"
#include "lwm2m/objlinks.h"
#include "lwm2m/path.h"

/* The newest active registration's object links, or NULL. */
static const registration *newest_registration(const dut *d)
{
    const registration *newest = NULL;
    for (size_t i = 0; d->reg && i < registry_count(d->reg); i++) {
        const registration *r = registry_at(d->reg, i);
        if (r->active && r->links && (!newest || r->registered_at >= newest->registered_at))
            newest = r;
    }
    return newest;
}

static bool test_owned(int obj)
{
    return obj <= 2;
}

bool devfacts_has_object(const dut *d, int obj)
{
    bool known = false;
    if (test_owned(obj))
        return config_has_object(d->cfg, obj);
    if (config_has_object(d->cfg, obj)) /* a configuration that still carries device values */
        return true;
    if (d->desc) {
        bool has = description_has_object(d->desc, obj, &known);
        if (known)
            return has;
    }
    const registration *r = newest_registration(d);
    if (r) {
        objlinks *l = malloc(sizeof *l);
        bool has = true;
        if (l && objlinks_parse(r->links, l, NULL) == 0)
            has = objlinks_has_object(l, obj);
        free(l);
        return has;
    }
    return true; /* not known yet: the case runs and its steps show what the device has */
}

bool devfacts_has_value(const dut *d, const char *path)
{
    lwm2m_path p;
    if (lwm2m_path_parse(path, &p) < 0 || p.depth < 3)
        return false;
    if (test_owned(p.ids[0]))
        return config_find(d->cfg, path) != NULL;
    return (d->desc && description_knows(d->desc, path)) || config_find(d->cfg, path) != NULL;
}

void devfacts_why_no_object(const dut *d, const char *feature, int obj, char *why, size_t cap)
{
    const lwm2m_object_def *od = objects_find(obj);
    char name[96] = "";
    if (od)
        snprintf(name, sizeof name, " (%s)", od->name);
    bool known = false;
    if (d->desc)
        description_has_object(d->desc, obj, &known);
    if (test_owned(obj))
        snprintf(why, cap, "%s: configuration %s has no instance of object %d%s", feature,
                 d->cfg->source, obj, name);
    else if (known)
        snprintf(why, cap, "%s: the device has no object %d%s (device description %s)", feature,
                 obj, name, d->desc->source);
    else
        snprintf(why, cap, "%s: the device has no object %d%s (its Register does not list it)",
                 feature, obj, name);
}

void devfacts_why_no_value(const dut *d, const char *feature, const char *path, char *why,
                           size_t cap)
{
    lwm2m_path p;
    if (lwm2m_path_parse(path, &p) == 0 && test_owned(p.ids[0]))
        snprintf(why, cap, "%s: configuration %s has no value at %s", feature, d->cfg->source,
                 path);
    else if (d->desc)
        snprintf(why, cap, "%s: the device description %s has no value at %s", feature,
                 d->desc->source, path);
    else
        snprintf(why, cap, "%s: the case needs the device's value at %s, and no device "
                 "description gives it (run with --description FILE, written by "
                 "`lwm2m-conform describe`)", feature, path);
}
