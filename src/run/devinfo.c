#include "run/devinfo.h"

#include <stdlib.h>
#include <string.h>

#include "net/epfilter.h"

/* The newest registration of endpoint name ep (NULL: of any) on server ssid (-1: any). */
static const registration *newest(const registry *reg, const char *ep, int ssid)
{
    const registration *best = NULL;
    for (size_t i = 0; i < registry_count(reg); i++) {
        const registration *r = registry_at(reg, i);
        if (ep && strcmp(r->query.endpoint_name, ep) != 0)
            continue;
        if (ssid >= 0 && r->short_server_id != ssid)
            continue;
        if (!best || r->registered_at >= best->registered_at)
            best = r;
    }
    return best;
}

void devinfo_fill(const dut *d, device_info *out)
{
    const epfilter *f = net_epfilter(d->net);
    const char *ep = f && f->name[0] ? f->name : NULL;
    const registration *any = newest(d->reg, ep, -1);
    if (!ep && any)
        ep = any->query.endpoint_name;
    if (ep && !out->endpoint)
        out->endpoint = result_strdup(ep);
    if (any) {
        out->lwm2m_version = result_strdup(any->query.has_lwm2m_version ? any->query.lwm2m_version
                                                                        : "1.0 (no lwm2m= in its Register)");
        out->address = result_strdup(any->peer);
    }
    for (size_t i = 0; i < d->cfg->account_count && out->server_count < RESULT_MAX_SERVERS; i++) {
        const config_account *a = &d->cfg->accounts[i];
        if (a->bootstrap)
            continue;
        const registration *r = newest(d->reg, ep, a->short_server_id);
        if (!r)
            continue;
        device_server *s = &out->servers[out->server_count++];
        s->short_server_id = a->short_server_id;
        s->psk_identity = r->psk_identity[0] ? result_strdup(r->psk_identity) : NULL;
        s->cipher_suite = r->cipher_suite[0] ? result_strdup(r->cipher_suite) : NULL;
    }
    if (f && f->ignored_count) {
        out->ignored = calloc(f->ignored_count, sizeof *out->ignored);
        for (size_t i = 0; out->ignored && i < f->ignored_count; i++)
            out->ignored[out->ignored_count++] = result_strdup(f->ignored[i]);
    }
}
