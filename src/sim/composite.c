#include "sim/composite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/content/content.h"
#include "lwm2m/content/senml_paths.h"
#include "lwm2m/objects.h"
#include "sim/access.h"
#include "sim/formats.h"

static bool senml(int cf)
{
    return cf == CF_SENML_JSON || cf == CF_SENML_CBOR;
}

/* Moves src's records into dst, skipping paths dst already has. */
static int merge(lwm2m_records *dst, lwm2m_records *src)
{
    int rc = 0;
    for (size_t i = 0; i < src->count; i++) {
        lwm2m_record *r = &src->items[i];
        if (rc || records_find(dst, &r->path)) {
            free(r->bytes);
            continue;
        }
        if (dst->count == dst->cap) {
            size_t cap = dst->cap ? dst->cap * 2 : 16;
            lwm2m_record *n = realloc(dst->items, cap * sizeof *n);
            if (!n) {
                free(r->bytes);
                rc = LC_ENOMEM;
                continue;
            }
            dst->items = n;
            dst->cap = cap;
        }
        dst->items[dst->count++] = *r;
    }
    src->count = 0;
    records_free(src);
    return rc;
}

/* One path of a composite read into recs. Returns 0 (read, or left out), or the code of
 * the first path that failed when the all-or-nothing fault is on. */
static int read_one(sim_device *d, int ssid, const lwm2m_path *p, lwm2m_records *recs)
{
    lwm2m_path at = *p;
    /* composite-extra: the whole instance of a resource asked for */
    if (sim_fault_on(&d->faults, SIM_FAULT_COMPOSITE_EXTRA) && at.depth >= 3)
        at.depth = 2;
    sim_response r;
    memset(&r, 0, sizeof r);
    lwm2m_records got;
    if (sim_ops_read_records(d, ssid, &at, &got, NULL, &r) != 0)
        return sim_fault_on(&d->faults, SIM_FAULT_COMPOSITE_ALL_OR_NOTHING) ? r.code : 0;
    return merge(recs, &got) ? 500 : 0;
}

static int read_root(sim_device *d, int ssid, lwm2m_records *recs)
{
    for (size_t k = 0; k < d->supported_count; k++) {
        int obj = d->supported[k];
        bool secret = obj == 0 || obj == 21 || obj == 23;
        if (secret && !(obj == 0 && sim_fault_on(&d->faults, SIM_FAULT_COMPOSITE_ROOT_SECURITY)))
            continue;
        lwm2m_path p = {.ids = {obj, LWM2M_ID_NONE, LWM2M_ID_NONE, LWM2M_ID_NONE}, .depth = 1};
        if (obj == 0) { /* the fault: what a client without the exclusion would leak */
            lwm2m_records got;
            records_init(&got);
            if (sim_store_collect(d->store, &p, &got) != 0 || merge(recs, &got) != 0)
                return 500;
            continue;
        }
        sim_response r;
        memset(&r, 0, sizeof r);
        lwm2m_records got;
        if (sim_ops_read_records(d, ssid, &p, &got, NULL, &r) == 0 && merge(recs, &got) != 0)
            return 500;
    }
    return 0;
}

void sim_composite_read(sim_device *d, int ssid, const lwm2m_path *paths, size_t count,
                        int accept, sim_response *resp)
{
    int cf = accept == CF_NONE ? CF_SENML_CBOR : accept;
    if (!senml(cf))
        return sim_response_set(resp, 406, "a composite answer is SenML JSON or CBOR, not %d", cf);
    lwm2m_records recs;
    records_init(&recs);
    for (size_t i = 0; i < count; i++) {
        int code = paths[i].depth == 0 ? read_root(d, ssid, &recs) : read_one(d, ssid, &paths[i], &recs);
        if (code) {
            records_free(&recs);
            char ps[32];
            lwm2m_path_format(&paths[i], ps, sizeof ps);
            return sim_response_set(resp, code, "%s cannot be read%s", ps,
                                    code == 500 ? "" : " (fault composite-all-or-nothing)");
        }
    }
    lwm2m_path root = {.ids = {LWM2M_ID_NONE, LWM2M_ID_NONE, LWM2M_ID_NONE, LWM2M_ID_NONE}};
    sim_response_content(d, resp, cf, &root, &recs);
}

static void write_composite(sim_device *d, int ssid, const sim_request *req, sim_response *resp)
{
    lwm2m_path root = {.ids = {LWM2M_ID_NONE, LWM2M_ID_NONE, LWM2M_ID_NONE, LWM2M_ID_NONE}};
    if (!senml(req->content_format))
        return sim_response_set(resp, 415, "a Write-Composite is SenML JSON or CBOR");
    lwm2m_records recs;
    records_init(&recs);
    lc_error err = {0};
    if (content_decode(req->content_format, &root, req->payload, req->payload_len,
                       objects_type_of, NULL, &recs, &err) < 0) {
        records_free(&recs);
        return sim_response_set(resp, 400, "%s", err.msg);
    }
    for (size_t i = 0; i < recs.count; i++) {
        const lwm2m_path *p = &recs.items[i].path;
        char ps[32];
        lwm2m_path_format(p, ps, sizeof ps);
        if (!sim_store_has_instance(d->store, p->ids[0], p->ids[1])) {
            records_free(&recs);
            return sim_response_set(resp, 404, "no instance for %s", ps);
        }
        if (p->ids[0] == 0 ||
            !sim_access_allowed(d->store, ssid, p->ids[0], p->ids[1], SIM_RIGHT_WRITE)) {
            records_free(&recs);
            return sim_response_set(resp, 401, "no Write right on %s", ps);
        }
        const lwm2m_resource_def *def = objects_resource(p->ids[0], p->ids[2]);
        if (!def || !(def->operations & LWM2M_OP_W)) {
            records_free(&recs);
            return sim_response_set(resp, def ? 405 : 404, "%s is not writable", ps);
        }
    }
    if (sim_fault_on(&d->faults, SIM_FAULT_WRITE_COMPOSITE_PARTIAL) && recs.count > 1) {
        for (size_t i = 1; i < recs.count; i++)
            free(recs.items[i].bytes);
        recs.count = 1;
    }
    if (sim_ops_apply_write(d, &recs, true) != 0) {
        records_free(&recs);
        return sim_response_set(resp, 500, "out of memory");
    }
    for (size_t i = 0; i < recs.count; i++) {
        const lwm2m_path *p = &recs.items[i].path;
        int64_t ssid_of = 0;
        if (p->ids[0] == 1 && (p->ids[2] == 1 || p->ids[2] == 7) &&
            sim_store_get_int(d->store, 1, p->ids[1], 0, &ssid_of))
            resp->fx.reg_changed_ssid = (int)ssid_of;
    }
    records_free(&recs);
    resp->fx.changed = true;
    resp->fx.changed_path = root;
    sim_response_set(resp, 204, NULL);
}

void sim_composite_handle(sim_device *d, int ssid, const sim_request *req, sim_response *resp)
{
    if (d->lwm2m_minor < 1 || sim_fault_on(&d->faults, SIM_FAULT_COMPOSITE_UNSUPPORTED))
        return sim_response_set(resp, 405, "no composite operations%s",
                                d->lwm2m_minor < 1 ? " in LwM2M 1.0" : " (fault composite-unsupported)");
    if (sim_fault_on(&d->faults, SIM_FAULT_COMPOSITE_BAD_REQUEST))
        return sim_response_set(resp, 400, "cannot read the request (fault composite-bad-request)");
    if (req->uri_path[0])
        return sim_response_set(resp, 405, "composite operations address the root");
    if (req->method == SIM_IPATCH)
        return write_composite(d, ssid, req, resp);
    if (req->method != SIM_FETCH)
        return sim_response_set(resp, 405, "method not allowed");
    lwm2m_path paths[SENML_PATHS_MAX];
    lc_error err = {0};
    int n = senml_paths_decode(req->content_format, req->payload, req->payload_len, paths,
                               SENML_PATHS_MAX, &err);
    if (n < 0)
        return sim_response_set(resp, n == LC_EUNSUPPORTED ? 415 : 400, "%s", err.msg);
    int accept = req->accept != CF_NONE ? req->accept : req->content_format;
    sim_composite_read(d, ssid, paths, (size_t)n, accept, resp);
    if (resp->code == 205 && req->observe == 0) {
        size_t keep = (size_t)n < SIM_OBSERVE_MAX_PATHS ? (size_t)n : SIM_OBSERVE_MAX_PATHS;
        resp->observe = true;
        resp->fx.observe_start = true;
        resp->fx.observe_path = paths[0];
        memcpy(resp->fx.observe_paths, paths, keep * sizeof paths[0]);
        resp->fx.observe_path_count = keep;
        resp->fx.observe_accept = accept;
    } else if (req->observe == 1) {
        resp->fx.observe_cancel = true;
        resp->fx.observe_path = n > 0 ? paths[0] : (lwm2m_path){0};
    }
}

void sim_composite_notify_read(sim_device *d, const sim_observation *o, sim_response *resp)
{
    if (o->path_count > 0 && o->first_len > 0 &&
        sim_fault_on(&d->faults, SIM_FAULT_COMPOSITE_STALE_NOTIFY)) {
        resp->payload = malloc(o->first_len);
        if (!resp->payload)
            return sim_response_set(resp, 500, "out of memory");
        memcpy(resp->payload, o->first, o->first_len);
        resp->payload_len = o->first_len;
        resp->content_format = o->first_cf;
        return sim_response_set(resp, 205, NULL);
    }
    if (o->path_count > 0)
        sim_composite_read(d, o->ssid, o->paths, o->path_count, o->accept, resp);
    else
        sim_ops_read(d, o->ssid, &o->path, o->accept, resp);
}

void sim_composite_remember_first(const sim_device *d, sim_observation *o,
                                  const sim_response *resp)
{
    o->first_len = 0;
    if (o->path_count == 0 || !sim_fault_on(&d->faults, SIM_FAULT_COMPOSITE_STALE_NOTIFY) ||
        resp->payload_len > sizeof o->first)
        return;
    memcpy(o->first, resp->payload, resp->payload_len);
    o->first_len = resp->payload_len;
    o->first_cf = resp->content_format;
}

void sim_composite_observation(sim_observation *o, const sim_effects *fx)
{
    if (fx->observe_path_count) {
        size_t n = fx->observe_path_count < SIM_OBSERVE_MAX_PATHS ? fx->observe_path_count
                                                                  : SIM_OBSERVE_MAX_PATHS;
        memcpy(o->paths, fx->observe_paths, n * sizeof o->paths[0]);
        o->path_count = n;
        o->accept = fx->observe_accept;
    }
    if (fx->has_observe_params) {
        o->has_params = true;
        o->params = fx->observe_params;
    }
}

void sim_composite_effective(const sim_device *d, const sim_observation *o, int64_t def_pmin,
                             int64_t def_pmax, sim_attr_set *eff)
{
    sim_attrs_effective(d->attrs, o->ssid, &o->path, def_pmin, def_pmax, eff);
    size_t n = sim_fault_on(&d->faults, SIM_FAULT_COMPOSITE_FIRST_PATH_TIMING) ? 1 : o->path_count;
    for (size_t k = 1; k < n; k++) {
        const lwm2m_path *p = &o->paths[k];
        if (p->depth >= 2 && !sim_store_has_instance(d->store, p->ids[0], p->ids[1]))
            continue; /* a path that holds nothing (/16/1 before its Create) times nothing */
        sim_attr_set e;
        sim_attrs_effective(d->attrs, o->ssid, &o->paths[k], def_pmin, def_pmax, &e);
        if (e.has_pmin && (!eff->has_pmin || (d->composite_min_pmin ? e.pmin < eff->pmin
                                                                     : e.pmin > eff->pmin))) {
            eff->has_pmin = true;
            eff->pmin = e.pmin;
        }
        if (e.has_pmax && e.pmax > 0 && (!eff->has_pmax || eff->pmax <= 0 || e.pmax < eff->pmax)) {
            eff->has_pmax = true;
            eff->pmax = e.pmax;
        }
    }
    sim_composite_observe_params(o, eff);
}

void sim_composite_observe_params(const sim_observation *o, sim_attr_set *eff)
{
    if (!o->has_params)
        return;
    const sim_attr_set *p = &o->params;
    if (p->has_pmin) {
        eff->has_pmin = true;
        eff->pmin = p->pmin;
    }
    if (p->has_pmax) {
        eff->has_pmax = true;
        eff->pmax = p->pmax;
    }
    if (p->has_gt) {
        eff->has_gt = true;
        eff->gt = p->gt;
    }
    if (p->has_lt) {
        eff->has_lt = true;
        eff->lt = p->lt;
    }
    if (p->has_st) {
        eff->has_st = true;
        eff->st = p->st;
    }
}
