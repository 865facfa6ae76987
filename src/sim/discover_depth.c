#include "sim/discover_depth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "lwm2m/objects.h"
#include "sim/discover.h"

#define MAX_INSTANCES 64

/* The path of one link "</3/0/7>;dim=2" (its start), or false. */
static bool link_path(const char *link, size_t n, lwm2m_path *p)
{
    if (n < 3 || link[0] != '<')
        return false;
    const char *end = memchr(link, '>', n);
    if (!end)
        return false;
    char uri[64];
    size_t ul = (size_t)(end - link - 1);
    if (ul >= sizeof uri)
        return false;
    memcpy(uri, link + 1, ul);
    uri[ul] = '\0';
    return lwm2m_path_parse(uri, p) == 0;
}

static void instance_links(const sim_device *d, int ssid, const lwm2m_path *rp, strbuf *b)
{
    const lwm2m_resource_def *def = objects_resource(rp->ids[0], rp->ids[2]);
    if (!def || !def->multiple)
        return;
    uint16_t ri[MAX_INSTANCES];
    size_t n = sim_store_resource_instances(d->store, rp->ids[0], rp->ids[1], rp->ids[2], ri,
                                            MAX_INSTANCES);
    for (size_t k = 0; k < n && k < MAX_INSTANCES; k++) {
        lwm2m_path ip = *rp;
        ip.ids[3] = ri[k];
        ip.depth = 4;
        char uri[64], attrs[256] = "";
        lwm2m_path_format(&ip, uri, sizeof uri);
        const sim_attr_set *set = sim_attrs_get(d->attrs, ssid, &ip);
        if (set)
            sim_attrs_format(set, attrs, sizeof attrs);
        strbuf_appendf(b, ",<%s>%s", uri, attrs);
    }
}

int sim_discover_query(const sim_device *d, int ssid, const lwm2m_path *path,
                       const char *const *queries, size_t query_count, char **out,
                       size_t *len, lc_error *err)
{
    int depth = -1;
    for (size_t i = 0; i < query_count; i++) {
        if (strncmp(queries[i], "depth=", 6) != 0)
            continue;
        char *end;
        long v = strtol(queries[i] + 6, &end, 10);
        if (*end || end == queries[i] + 6 || v < 0 || v > 3)
            return lc_error_set(err, LC_EINVAL, "depth must be 0..3, not '%s'", queries[i] + 6);
        if (d->lwm2m_minor >= 2 && !sim_fault_on(&d->faults, SIM_FAULT_DISCOVER_DEPTH_IGNORED))
            depth = (int)v;
    }
    char *base = NULL;
    size_t blen = 0;
    int rc = sim_discover(d, ssid, path, &base, &blen, err);
    if (rc)
        return rc;
    /* the deepest level listed: path + depth, else resources (instances on a resource) */
    int max = depth >= 0 ? path->depth + depth : path->depth == 3 ? 4 : 3;
    if (max > 4)
        max = 4;
    if (d->lwm2m_minor < 1 && max > 3)
        max = 3; /* LwM2M 1.0 lists no resource instances */
    strbuf b = {0};
    const char *p = base;
    bool first = true;
    while (*p) {
        size_t n = strcspn(p, ",");
        lwm2m_path lp;
        if (!link_path(p, n, &lp) || lp.depth <= max) {
            strbuf_appendf(&b, "%s%.*s", first ? "" : ",", (int)n, p);
            first = false;
            if (link_path(p, n, &lp) && lp.depth == 3 && max >= 4)
                instance_links(d, ssid, &lp, &b);
        }
        p += n;
        if (*p == ',')
            p++;
    }
    free(base);
    if (first)
        strbuf_appendf(&b, "%s", "");
    *out = strbuf_take(&b);
    if (!*out)
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    *len = strlen(*out);
    return 0;
}
