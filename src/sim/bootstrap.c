#include "sim/bootstrap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/content/content.h"
#include "sim/formats.h"
#include "sim/discover.h"

#define MAX_IDS 1024

/* What a Bootstrap-Delete spares: the bootstrap account's Security instance (unless the
 * bootstrap-delete-all fault forgets to, keep_bs false), the Device instance, and the
 * device's other own objects (Connectivity Monitoring, Firmware Update, Portfolio …), as
 * real clients keep the instances their hardware and firmware define: a bootstrap
 * provisions accounts and access rights, not the device's radio. */
static bool survives(const sim_device *d, int obj, int inst, bool keep_bs)
{
    return (keep_bs && obj == 0 && inst == sim_device_bootstrap_instance(d->store)) || obj >= 3;
}

static void delete_object(sim_device *d, int obj, bool keep_bs)
{
    uint16_t ids[MAX_IDS];
    size_t n = sim_store_instances(d->store, obj, ids, MAX_IDS);
    for (size_t k = n < MAX_IDS ? n : MAX_IDS; k-- > 0;) {
        if (survives(d, obj, ids[k], keep_bs))
            continue;
        sim_store_delete_instance(d->store, obj, ids[k]);
        lwm2m_path p = {.ids = {obj, ids[k], LWM2M_ID_NONE, LWM2M_ID_NONE}, .depth = 2};
        sim_attrs_remove_under(d->attrs, &p);
    }
}

static void clear(sim_device *d, bool keep_bs)
{
    uint16_t objs[MAX_IDS];
    size_t n = sim_store_objects(d->store, objs, MAX_IDS);
    for (size_t k = 0; k < n && k < MAX_IDS; k++)
        delete_object(d, objs[k], keep_bs);
}

void sim_bootstrap_clear(sim_device *d)
{
    clear(d, true); /* the factory state: no fault loses the account the device starts from */
}

static void bs_delete(sim_device *d, const lwm2m_path *path, sim_response *resp)
{
    if (sim_fault_on(&d->faults, SIM_FAULT_BOOTSTRAP_DELETE_ERROR))
        return sim_response_set(resp, 400, "fault bootstrap-delete-error");
    if (sim_fault_on(&d->faults, SIM_FAULT_BOOTSTRAP_DELETE_IGNORED))
        return sim_response_set(resp, 202, "fault bootstrap-delete-ignored: nothing deleted");
    bool keep_bs = !sim_fault_on(&d->faults, SIM_FAULT_BOOTSTRAP_DELETE_ALL);
    if (path->depth == 0) {
        clear(d, keep_bs);
    } else if (path->depth == 1) {
        delete_object(d, path->ids[0], keep_bs);
    } else if (path->depth == 2) {
        if (survives(d, path->ids[0], path->ids[1], keep_bs))
            return sim_response_set(resp, 400, "%s cannot be deleted",
                            path->ids[0] == 0 ? "the bootstrap account"
                            : path->ids[0] == 3 ? "the Device instance"
                                                : "an instance of the device's own objects");
        sim_store_delete_instance(d->store, path->ids[0], path->ids[1]);
        sim_attrs_remove_under(d->attrs, path);
    } else {
        return sim_response_set(resp, 400, "Bootstrap-Delete targets /, an object or an instance");
    }
    resp->fx.changed = true;
    resp->fx.changed_path = *path;
    resp->fx.secrets_changed = path->depth == 0 || path->ids[0] == 0;
    sim_response_set(resp, 202, NULL);
}

static void bs_write(sim_device *d, const sim_request *req, const lwm2m_path *path,
                     sim_response *resp)
{
    if (path->depth < 1)
        return sim_response_set(resp, 405, "Bootstrap-Write needs an object, instance or resource");
    if (sim_fault_on(&d->faults, SIM_FAULT_BOOTSTRAP_WRITE_ERROR))
        return sim_response_set(resp, 400, "fault bootstrap-write-error");
    int pct = sim_formats_pct(d);
    if (sim_fault_on(&d->faults, SIM_FAULT_PCT_UNSUPPORTED) && pct != CF_NONE &&
        content_format_canonical(req->content_format) == content_format_canonical(pct))
        return sim_response_set(resp, 415, "fault pct-unsupported: it asked for %d but cannot "
                                "decode it", pct);
    lwm2m_records recs;
    records_init(&recs);
    int code = sim_ops_decode_write(req, path, false, d->lwm2m_minor, &recs, resp->detail,
                                    sizeof resp->detail);
    if (code) {
        records_free(&recs);
        return sim_response_set(resp, code, NULL);
    }
    if (path->depth >= 2)
        sim_store_add_instance(d->store, path->ids[0], path->ids[1]);
    int rc = sim_ops_apply_write(d, &recs, true);
    if (!rc)
        rc = sim_store_add_device_resources(d->store);
    records_free(&recs);
    if (rc)
        return sim_response_set(resp, 500, "out of memory");
    resp->fx.changed = true;
    resp->fx.changed_path = *path;
    resp->fx.secrets_changed = path->ids[0] == 0;
    sim_response_set(resp, 204, NULL);
}

static void bs_discover(sim_device *d, const lwm2m_path *path, sim_response *resp)
{
    if (path->depth > 1)
        return sim_response_set(resp, 400, "Bootstrap-Discover targets / or an object");
    char *out = NULL;
    size_t len = 0;
    lc_error err = {0};
    if (sim_bootstrap_discover(d, path, &out, &len, &err) != 0)
        return sim_response_set(resp, 500, "%s", err.msg);
    if (d->lwm2m_minor >= 1 && !d->bs_discover_bare && strncmp(out, "lwm2m=", 6) == 0) {
        /* LwM2M 1.1 carries the version on the link </>, as RFC 6690 wants a link first */
        char *o2 = malloc(len + 5);
        if (!o2) {
            free(out);
            return sim_response_set(resp, 500, "out of memory");
        }
        memcpy(o2, "</>;", 4);
        memcpy(o2 + 4, out, len + 1);
        free(out);
        out = o2;
        len += 4;
    }
    resp->payload = (uint8_t *)out;
    resp->payload_len = len;
    resp->content_format = sim_discover_content_format(&d->faults);
    sim_response_set(resp, 205, NULL);
}

static void bs_read(sim_device *d, const sim_request *req, const lwm2m_path *path,
                    sim_response *resp)
{
    if (d->lwm2m_minor < 1)
        return sim_response_set(resp, 405, "Bootstrap-Read is LwM2M 1.1");
    if (sim_fault_on(&d->faults, SIM_FAULT_BOOTSTRAP_READ_ERROR))
        return sim_response_set(resp, 405, "fault bootstrap-read-error");
    if (path->depth < 1 || (path->ids[0] != 1 && path->ids[0] != 2))
        return sim_response_set(resp, path->depth >= 1 && path->ids[0] == 0 ? 401 : 400,
                        "Bootstrap-Read is allowed on the Server and Access Control objects only");
    if (!sim_store_exists(d->store, path))
        return sim_response_set(resp, 404, "nothing at that path");
    lwm2m_records recs;
    records_init(&recs);
    int rc = sim_store_collect(d->store, path, &recs);
    bool single = path->depth >= 3;
    bool only_opaque = recs.count == 1 && recs.items[0].type == LV_OPAQUE;
    int cf = req->accept == CF_NONE ? sim_formats_read_default(d, single, only_opaque) : req->accept;
    if (!sim_formats_can_answer(cf, single)) {
        records_free(&recs);
        return sim_response_set(resp, 406, "Bootstrap-Read cannot answer in content-format %d", cf);
    }
    if (rc) {
        records_free(&recs);
        return sim_response_set(resp, 500, "out of memory");
    }
    sim_response_content(d, resp, cf, path, &recs);
}

size_t sim_bootstrap_request_queries(const sim_device *d, const char *endpoint,
                                     char q[SIM_BS_REQUEST_QUERIES][SIM_BS_QUERY_MAX])
{
    size_t n = 0;
    if (endpoint && !sim_fault_on(&d->faults, SIM_FAULT_BOOTSTRAP_REQUEST_NO_EP))
        snprintf(q[n++], SIM_BS_QUERY_MAX, "ep=%s", endpoint);
    int pct = sim_formats_pct(d);
    if (pct != CF_NONE)
        snprintf(q[n++], SIM_BS_QUERY_MAX, "pct=%d", pct);
    return n;
}

bool sim_bootstrap_consistent(const sim_device *d)
{
    uint16_t ids[MAX_IDS];
    size_t n = sim_store_instances(d->store, 1, ids, MAX_IDS);
    for (size_t k = 0; k < n && k < MAX_IDS; k++) {
        int64_t ssid;
        if (sim_store_get_int(d->store, 1, ids[k], 0, &ssid) &&
            sim_device_security_instance(d->store, (int)ssid) >= 0)
            return true;
    }
    return false;
}

void sim_bootstrap_handle(sim_device *d, const sim_request *req, sim_response *resp)
{
    memset(resp, 0, sizeof *resp);
    resp->content_format = CF_NONE;
    if (req->method == SIM_POST && strcmp(req->uri_path, "bs") == 0) {
        bool accept = sim_fault_on(&d->faults, SIM_FAULT_BOOTSTRAP_ACCEPT_INCONSISTENT);
        if (!sim_bootstrap_consistent(d)) {
            if (!accept)
                return sim_response_set(resp, 406, "no complete server account after bootstrap");
            resp->fx.bootstrap_finish = true;
            return sim_response_set(resp, 204, "fault bootstrap-accept-inconsistent: no "
                                    "complete server account");
        }
        resp->fx.bootstrap_finish = true;
        return sim_response_set(resp, 204, NULL);
    }
    lwm2m_path path = {.ids = {LWM2M_ID_NONE, LWM2M_ID_NONE, LWM2M_ID_NONE, LWM2M_ID_NONE}};
    if (req->uri_path[0] && lwm2m_path_parse(req->uri_path, &path) != 0)
        return sim_response_set(resp, 404, "'/%s' is not an LwM2M path", req->uri_path);
    switch (req->method) {
    case SIM_DELETE: return bs_delete(d, &path, resp);
    case SIM_PUT: return bs_write(d, req, &path, resp);
    case SIM_GET:
        if (req->accept == CF_LINK_FORMAT)
            return bs_discover(d, &path, resp);
        return bs_read(d, req, &path, resp);
    default: return sim_response_set(resp, 405, "not a Bootstrap operation");
    }
}
