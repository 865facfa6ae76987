#include "net/epfilter.h"

#include <stdio.h>
#include <string.h>

void epfilter_init(epfilter *f, const char *name, logger *log)
{
    memset(f, 0, sizeof *f);
    f->log = log;
    if (name && *name) {
        f->named = true;
        snprintf(f->name, sizeof f->name, "%s", name);
    }
}

bool epfilter_accepts(epfilter *f, const char *ep)
{
    if (!f || !ep)
        return true;
    if (!f->name[0]) {
        snprintf(f->name, sizeof f->name, "%s", ep);
        return true;
    }
    if (strcmp(f->name, ep) == 0)
        return true;
    for (size_t i = 0; i < f->ignored_count; i++)
        if (strcmp(f->ignored[i], ep) == 0)
            return false;
    if (f->ignored_count < EPFILTER_MAX_IGNORED)
        snprintf(f->ignored[f->ignored_count++], sizeof f->ignored[0], "%s", ep);
    if (f->named)
        log_info(f->log, "ignoring the device \"%s\": the device under test is \"%s\" (--endpoint)",
                 ep, f->name);
    else
        log_warn(f->log, "a second device, \"%s\", talks to the tool while \"%s\" is under test: "
                 "only \"%s\" is judged, \"%s\" is ignored (name the device under test with "
                 "--endpoint)", ep, f->name, f->name, ep);
    return false;
}

void epfilter_set_hint(epfilter *f, const char *name)
{
    if (f)
        snprintf(f->hint, sizeof f->hint, "%s", name ? name : "");
}

bool epfilter_identity_names(const epfilter *f, const char *identity, char *why, size_t cap)
{
    const char *known = !f ? "" : f->name[0] ? f->name : f->hint;
    if (!*known || strcmp(known, identity) == 0)
        return true;
    snprintf(why, cap, "ep: missing, and the PSK identity \"%.64s\" is not the endpoint name of "
             "the device under test (\"%.64s\"): a Client may leave ep out only when its "
             "authenticated identifier is identical to its endpoint name (LwM2M 1.1 §7.3.1)",
             identity, known);
    return false;
}
