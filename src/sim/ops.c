#include "sim/ops.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/mono.h"
#include "lwm2m/content/content.h"
#include "lwm2m/execargs.h"
#include "lwm2m/objects.h"
#include "sim/access.h"
#include "sim/composite.h"
#include "sim/discover.h"
#include "sim/discover_depth.h"
#include "sim/eventlog.h"
#include "sim/objrules.h"
#include "sim/live.h"
#include "sim/formats.h"
#include "sim/plaintext.h"

#define MAX_IDS 1024

void sim_response_free(sim_response *r)
{
    if (!r)
        return;
    free(r->payload);
    r->payload = NULL;
    r->payload_len = 0;
}


void sim_response_set(sim_response *r, int code, const char *fmt, ...)
{
    r->code = code;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->detail, sizeof r->detail, fmt, ap);
        va_end(ap);
    }
}

void sim_response_content(const sim_device *d, sim_response *resp, int cf, const lwm2m_path *path,
                          lwm2m_records *recs)
{
    lc_error err = {0};
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = sim_formats_encode(d, cf, path, recs, &buf, &len, &err);
    records_free(recs);
    if (rc) {
        free(buf);
        return sim_response_set(resp, 500, "encoding failed: %s", err.msg);
    }
    resp->payload = buf;
    resp->payload_len = len;
    /* no-content-format: the payload is right, the option saying what it is is missing */
    resp->content_format = sim_fault_on(&d->faults, SIM_FAULT_NO_CONTENT_FORMAT) ? CF_NONE : cf;
    sim_response_set(resp, 205, NULL);
}

const char *sim_code_text(int code, char buf[8])
{
    snprintf(buf, 8, "%d.%02d", (code / 100) % 10, code % 100);
    return buf;
}

const char *sim_cf_short(int cf)
{
    return sim_formats_short(cf);
}

static lwm2m_path mkpath(int depth, int o, int i, int r)
{
    lwm2m_path p = {.ids = {o, i, r, LWM2M_ID_NONE}, .depth = depth};
    for (int k = depth; k < 4; k++)
        p.ids[k] = LWM2M_ID_NONE;
    return p;
}

static bool parse_path(const char *uri, lwm2m_path *p)
{
    if (!uri || !*uri) {
        *p = mkpath(0, 0, 0, 0);
        return true;
    }
    return lwm2m_path_parse(uri, p) == 0;
}

static bool numeric_type(lwm2m_type t)
{
    return t == LV_INTEGER || t == LV_UNSIGNED || t == LV_FLOAT || t == LV_TIME;
}

/* A format that carries several resources (TLV, the JSON and CBOR formats). */
static bool carries_several(int cf)
{
    const content_codec *c = content_codec_find(cf);
    return c && !c->single_value;
}

/* Resource operations from the object model; unknown objects are treated as R+W. */
static int resource_ops(const sim_store *st, const lwm2m_path *p)
{
    const lwm2m_resource_def *def = objects_resource(p->ids[0], p->ids[2]);
    if (def)
        return def->operations;
    if (objects_find(p->ids[0]))
        return -1; /* a resource the object does not define */
    lwm2m_path rp = mkpath(3, p->ids[0], p->ids[1], p->ids[2]);
    const lwm2m_record *r = sim_store_get(st, &rp);
    return r && r->type == LV_NONE ? LWM2M_OP_E : LWM2M_OP_R | LWM2M_OP_W;
}

static bool resource_multiple(const sim_store *st, const lwm2m_path *p)
{
    const lwm2m_resource_def *def = objects_resource(p->ids[0], p->ids[2]);
    if (def)
        return def->multiple;
    return sim_store_resource_instances(st, p->ids[0], p->ids[1], p->ids[2], NULL, 0) > 0;
}

/* Current Time follows the wall clock, shifted by what a server wrote. */
static void refresh_clock(sim_device *d)
{
    lwm2m_path p = mkpath(3, 3, 0, 13);
    const lwm2m_record *r = sim_store_get(d->store, &p);
    if (!r)
        return;
    lwm2m_record now = {.path = p, .type = LV_TIME, .i = (int64_t)time(NULL) + d->clock_offset};
    sim_store_set(d->store, &now);
}

/* ---- Read ---- */

/* wrong-value and missing-value: what a device with a stale or incomplete data model
 * reports. */
static void apply_read_faults(const sim_device *d, lwm2m_records *recs)
{
    size_t w = 0;
    for (size_t i = 0; i < recs->count; i++) {
        lwm2m_record *r = &recs->items[i];
        if (sim_faults_at(&d->faults, SIM_FAULT_MISSING_VALUE, &r->path)) {
            free(r->bytes);
            continue;
        }
        if (sim_faults_at(&d->faults, SIM_FAULT_WRONG_VALUE, &r->path)) {
            switch (r->type) {
            case LV_INTEGER:
            case LV_UNSIGNED:
            case LV_TIME: r->i += 1; break;
            case LV_FLOAT: r->f += 1.5; break;
            case LV_BOOLEAN: r->b = !r->b; break;
            case LV_OBJLNK: r->objlnk[1] ^= 1; break;
            case LV_STRING:
            case LV_OPAQUE: {
                uint8_t *nb = realloc(r->bytes, r->len + 3);
                if (nb) {
                    memcpy(nb + r->len, "-x", 3);
                    r->bytes = nb;
                    r->len += 2;
                }
                break;
            }
            default: break;
            }
        }
        recs->items[w++] = *r;
    }
    recs->count = w;
}

/* Drops values the server may not read (resources without R). */
static void keep_readable(const sim_store *st, lwm2m_records *recs)
{
    size_t w = 0;
    for (size_t i = 0; i < recs->count; i++) {
        int ops = resource_ops(st, &recs->items[i].path);
        if (ops >= 0 && (ops & LWM2M_OP_R)) {
            recs->items[w++] = recs->items[i];
        } else {
            free(recs->items[i].bytes);
        }
    }
    recs->count = w;
}

/* Sets an error answer and returns its code, for sim_ops_read_records. */
static int read_error(sim_response *resp, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int read_error(sim_response *resp, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(resp->detail, sizeof resp->detail, fmt, ap);
    va_end(ap);
    resp->code = code;
    return code;
}

int sim_ops_read_records(sim_device *d, int ssid, const lwm2m_path *path, lwm2m_records *out,
                         bool *single_out, sim_response *resp)
{
    int obj = path->ids[0];
    if (path->depth < 1)
        return read_error(resp, 405, "Read on the root is not an LwM2M operation");
    if (obj == 0)
        return read_error(resp, 401, "the Security object is not readable by servers");
    if (path->depth == 1 && !sim_device_supports(d, obj))
        return read_error(resp, 404, "no object %d", obj);
    if (path->depth >= 2 && !sim_store_has_instance(d->store, obj, path->ids[1]))
        return read_error(resp, 404, "no instance /%d/%d", obj, path->ids[1]);
    if (path->depth >= 2 && !sim_access_allowed(d->store, ssid, obj, path->ids[1], SIM_RIGHT_READ))
        return read_error(resp, 401, "no Read right for server %d", ssid);
    bool single = false;
    if (path->depth >= 3) {
        if (!sim_store_exists(d->store, path))
            return read_error(resp, 404, "no such resource");
        int ops = resource_ops(d->store, path);
        if (ops < 0 || !(ops & LWM2M_OP_R))
            return read_error(resp, 405, "resource is not readable%s",
                            ops > 0 && (ops & LWM2M_OP_E) ? " (executable)" : "");
        single = path->depth == 4 || !resource_multiple(d->store, path);
    }
    refresh_clock(d);

    lwm2m_records recs;
    records_init(&recs);
    int rc = 0;
    if (path->depth == 1) {
        uint16_t inst[MAX_IDS];
        size_t n = sim_store_instances(d->store, obj, inst, MAX_IDS), readable = 0;
        for (size_t k = 0; k < n && k < MAX_IDS && !rc; k++) {
            if (!sim_access_allowed(d->store, ssid, obj, inst[k], SIM_RIGHT_READ))
                continue;
            lwm2m_path ip = mkpath(2, obj, inst[k], 0);
            rc = sim_store_collect(d->store, &ip, &recs);
            readable++;
        }
        if (!rc && n > 0 && readable == 0) {
            records_free(&recs);
            return read_error(resp, 401, "no Read right on any instance of /%d", obj);
        }
    } else {
        rc = sim_store_collect(d->store, path, &recs);
    }
    if (rc) {
        records_free(&recs);
        return read_error(resp, 500, "out of memory");
    }
    keep_readable(d->store, &recs);
    apply_read_faults(d, &recs);
    *out = recs;
    if (single_out)
        *single_out = single;
    return 0;
}

void sim_ops_read(sim_device *d, int ssid, const lwm2m_path *path, int accept,
                  sim_response *resp)
{
    lwm2m_records recs;
    bool single = false;
    if (sim_ops_read_records(d, ssid, path, &recs, &single, resp) != 0)
        return;
    bool only_opaque = recs.count == 1 && recs.items[0].type == LV_OPAQUE;
    accept = sim_plaintext_read_format(d, accept);
    int cf = accept == CF_NONE ? sim_formats_read_default(d, single, only_opaque) : accept;
    bool ok = sim_formats_can_answer(cf, single) &&
              (content_format_canonical(cf) != CF_OPAQUE || only_opaque);
    if (!ok) {
        records_free(&recs);
        return sim_response_set(resp, 406, "cannot answer %s in content-format %d",
                        path->depth >= 3 ? "this resource" : "an instance or object", cf);
    }
    sim_response_content(d, resp, cf, path, &recs);
}

/* ---- Write ---- */

/* Brings a decoded value to the resource's type where no information is lost. */
static bool coerce(lwm2m_record *r, lwm2m_type want)
{
    if (want == LV_NONE || r->type == want)
        return true;
    bool want_int = want == LV_INTEGER || want == LV_UNSIGNED || want == LV_TIME;
    bool have_int = r->type == LV_INTEGER || r->type == LV_UNSIGNED || r->type == LV_TIME;
    if (want_int && have_int) {
        if (want == LV_UNSIGNED && r->i < 0)
            return false;
        r->type = want;
        return true;
    }
    if (want_int && r->type == LV_FLOAT && r->f == floor(r->f) && fabs(r->f) < 9.2e18) {
        r->i = (int64_t)r->f;
        r->type = want;
        return true;
    }
    if (want == LV_FLOAT && have_int) {
        r->f = (double)r->i;
        r->type = LV_FLOAT;
        return true;
    }
    if ((want == LV_OPAQUE && r->type == LV_STRING) || (want == LV_STRING && r->type == LV_OPAQUE)) {
        if (want == LV_STRING && memchr(r->bytes, 0, r->len))
            return false;
        r->type = want;
        return true;
    }
    return false;
}

int sim_ops_decode_write(const sim_request *req, const lwm2m_path *base, bool check_writable,
                         int lwm2m_minor, lwm2m_records *out, char *detail, size_t detail_cap)
{
    (void)lwm2m_minor;
    int cf = req->content_format;
    if (cf == CF_NONE) {
        if (base->depth < 3) {
            snprintf(detail, detail_cap, "a Write on an instance needs a Content-Format");
            return 400;
        }
        cf = CF_TEXT;
    }
    const content_codec *codec = content_codec_find(cf);
    if (!codec) {
        snprintf(detail, detail_cap, "content-format %d is not supported for Write", cf);
        return 415;
    }
    if (codec->single_value && base->depth < 3) {
        snprintf(detail, detail_cap, "%s carries a single resource value", sim_cf_short(cf));
        return 400;
    }
    lc_error err = {0};
    if (content_decode(cf, base, req->payload, req->payload_len, objects_type_of, NULL, out,
                       &err) != 0) {
        snprintf(detail, detail_cap, "payload: %s", err.msg);
        return 400;
    }
    for (size_t i = 0; i < out->count; i++) {
        lwm2m_record *r = &out->items[i];
        char where[40];
        lwm2m_path_format(&r->path, where, sizeof where);
        if (r->path.depth < 3 || !lwm2m_path_is_under(&r->path, base)) {
            snprintf(detail, detail_cap, "payload names %s outside the target", where);
            return 400;
        }
        const lwm2m_object_def *od = objects_find(r->path.ids[0]);
        const lwm2m_resource_def *def = objects_resource(r->path.ids[0], r->path.ids[2]);
        if (od && !def) {
            snprintf(detail, detail_cap, "%s: object %d has no such resource", where, od->id);
            return base->depth >= 3 ? 404 : 400;
        }
        if (def) {
            if (def->type == LV_NONE) {
                snprintf(detail, detail_cap, "%s is executable", where);
                return 405;
            }
            if (check_writable && !(def->operations & LWM2M_OP_W)) {
                snprintf(detail, detail_cap, "%s is read-only", where);
                return 405;
            }
            if ((r->path.depth == 4) != def->multiple) {
                snprintf(detail, detail_cap, "%s: %s resource written as %s", where,
                         def->multiple ? "a multiple" : "a single",
                         def->multiple ? "a single value" : "resource instances");
                return 400;
            }
            if (!coerce(r, def->type)) {
                snprintf(detail, detail_cap, "%s: %s value for a %s resource", where,
                         lwm2m_type_name(r->type), lwm2m_type_name(def->type));
                return 400;
            }
        }
    }
    return 0;
}

int sim_ops_apply_write(sim_device *d, const lwm2m_records *recs, bool replace)
{
    if (replace) {
        for (size_t i = 0; i < recs->count; i++) {
            const lwm2m_path *p = &recs->items[i].path;
            if (p->depth != 4)
                continue;
            bool seen = false;
            for (size_t j = 0; j < i && !seen; j++)
                seen = recs->items[j].path.depth == 4 && recs->items[j].path.ids[0] == p->ids[0] &&
                       recs->items[j].path.ids[1] == p->ids[1] &&
                       recs->items[j].path.ids[2] == p->ids[2];
            if (!seen)
                sim_store_clear_resource(d->store, p->ids[0], p->ids[1], p->ids[2]);
        }
    }
    for (size_t i = 0; i < recs->count; i++) {
        int rc = sim_store_set(d->store, &recs->items[i]);
        if (rc)
            return rc;
        const lwm2m_record *r = &recs->items[i];
        if (r->path.ids[0] == 3 && r->path.ids[2] == 13 && r->type == LV_TIME)
            d->clock_offset = r->i - (int64_t)time(NULL);
    }
    return 0;
}

/* The Short Server ID of the Server instance /1/x, 0 when unknown. */
static int server_ssid(const sim_store *st, int x)
{
    int64_t v = 0;
    return sim_store_get_int(st, 1, x, 0, &v) ? (int)v : 0;
}

static void do_write(sim_device *d, int ssid, const sim_request *req, const lwm2m_path *path,
                     bool replace, sim_response *resp)
{
    int obj = path->ids[0];
    if (path->depth < 2)
        return sim_response_set(resp, 405, "Write targets an instance or a resource");
    if (!sim_store_has_instance(d->store, obj, path->ids[1]))
        return sim_response_set(resp, 404, "no instance /%d/%d", obj, path->ids[1]);
    if (!sim_access_allowed(d->store, ssid, obj, path->ids[1], SIM_RIGHT_WRITE))
        return sim_response_set(resp, 401, "no Write right for server %d", ssid);
    /* write-read-only: the Short Server ID taken as if it were writable */
    bool forced = obj == 1 && path->depth >= 3 && path->ids[2] == 0 &&
                  sim_fault_on(&d->faults, SIM_FAULT_WRITE_READ_ONLY);
    if (path->depth >= 3) {
        int ops = resource_ops(d->store, path);
        if (ops < 0)
            return sim_response_set(resp, 404, "object %d has no resource %d", obj, path->ids[2]);
        if (!(ops & LWM2M_OP_W) && !forced)
            return sim_response_set(resp, 405, "resource is %s", ops & LWM2M_OP_E ? "executable" : "read-only");
        if (path->depth == 4 && !resource_multiple(d->store, path))
            return sim_response_set(resp, 405, "resource is not a multiple resource");
    }
    sim_request wreq = *req; /* the Plain Text faults may change what it carries */
    int code = sim_plaintext_write(d, path, &wreq, resp->detail, sizeof resp->detail);
    if (code)
        return sim_response_set(resp, code, NULL);
    if (wreq.content_format == CF_OMA_JSON && sim_fault_on(&d->faults, SIM_FAULT_JSON_UNSUPPORTED))
        return sim_response_set(resp, 415, "no OMA JSON decoder (fault json-unsupported)");
    lwm2m_records recs;
    records_init(&recs);
    code = sim_ops_decode_write(&wreq, path, !forced, d->lwm2m_minor, &recs, resp->detail,
                                sizeof resp->detail);
    if (code) {
        records_free(&recs);
        return sim_response_set(resp, code, NULL);
    }
    code = sim_objrules_check_write(d->store, &recs, resp->detail, sizeof resp->detail);
    if (code) {
        records_free(&recs);
        return sim_response_set(resp, code, NULL);
    }
    /* ignore-write: acknowledged, never stored */
    size_t keep = 0;
    for (size_t i = 0; i < recs.count; i++) {
        if (sim_faults_at(&d->faults, SIM_FAULT_IGNORE_WRITE, &recs.items[i].path))
            free(recs.items[i].bytes);
        else
            recs.items[keep++] = recs.items[i];
    }
    recs.count = keep;
    /* Write on a whole multiple resource replaces its instances (also for a POST); a Write on
     * one resource instance (1.1 §6.3.3) replaces that instance only, PUT or not. */
    bool whole = path->depth != 4 && (replace || path->depth == 3);
    if (path->depth == 2 &&
        sim_fault_on(&d->faults, replace ? SIM_FAULT_IGNORE_REPLACE_WRITE : SIM_FAULT_IGNORE_PARTIAL_WRITE)) {
        records_free(&recs);
        return sim_response_set(resp, 204, NULL); /* says Changed, changes nothing */
    }
    if (sim_ops_apply_write(d, &recs, whole) != 0) {
        records_free(&recs);
        return sim_response_set(resp, 500, "out of memory");
    }
    if (obj == 1) {
        for (size_t i = 0; i < recs.count; i++)
            if ((recs.items[i].path.ids[2] == 1 &&
                 !sim_fault_on(&d->faults, SIM_FAULT_IGNORE_LIFETIME_WRITE)) ||
                recs.items[i].path.ids[2] == 7)
                resp->fx.reg_changed_ssid = server_ssid(d->store, path->ids[1]);
    }
    records_free(&recs);
    resp->fx.changed = true;
    resp->fx.changed_path = *path;
    sim_response_set(resp, 204, NULL);
}

/* ---- Write-Attributes ---- */

static void do_write_attributes(sim_device *d, int ssid, const sim_request *req,
                                const lwm2m_path *path, sim_response *resp)
{
    int obj = path->ids[0];
    if (path->depth < 1)
        return sim_response_set(resp, 405, "Write-Attributes on the root");
    if (!sim_store_exists(d->store, path) && !(path->depth == 1 && sim_device_supports(d, obj)))
        return sim_response_set(resp, 404, "nothing at that path");
    if (path->depth >= 2 && !sim_access_allowed(d->store, ssid, obj, path->ids[1], SIM_RIGHT_READ))
        return sim_response_set(resp, 401, "no Read right for server %d", ssid);
    if (path->depth >= 3) {
        bool has_num_attr = false;
        for (size_t i = 0; i < req->query_count; i++) {
            const char *q = req->queries[i];
            if ((q[0] == 'g' || q[0] == 'l' || q[0] == 's') && q[1] == 't' && (!q[2] || q[2] == '='))
                has_num_attr = true;
        }
        const lwm2m_resource_def *def = objects_resource(obj, path->ids[2]);
        if (has_num_attr && def && !numeric_type(def->type))
            return sim_response_set(resp, 400, "gt, lt and st apply to numeric resources only");
    }
    if (sim_fault_on(&d->faults, SIM_FAULT_IGNORE_WRITE_ATTRIBUTES))
        return sim_response_set(resp, 204, "fault ignore-write-attributes: nothing stored");
    lc_error err = {0};
    if (sim_attrs_write(d->attrs, ssid, path, req->queries, req->query_count, &err) != 0)
        return sim_response_set(resp, 400, "%s", err.msg);
    if (sim_fault_on(&d->faults, SIM_FAULT_WRITE_ATTRIBUTES_WRONG_CODE))
        return sim_response_set(resp, 205, "fault write-attributes-wrong-code");
    sim_response_set(resp, 204, NULL);
}

/* ---- Discover ---- */

static void do_discover(sim_device *d, int ssid, const sim_request *req, const lwm2m_path *path,
                        sim_response *resp)
{
    if (path->depth < 1 || path->depth > 3)
        return sim_response_set(resp, path->depth ? 400 : 405, "Discover targets an object, instance or resource");
    /* sim_discover says 4.04 itself: an object it implements is there without instances */
    char *out = NULL;
    size_t len = 0;
    lc_error err = {0};
    int rc = sim_discover_query(d, ssid, path, req->queries, req->query_count, &out, &len, &err);
    if (rc)
        return sim_response_set(resp, rc == LC_ENOTFOUND ? 404 : rc == LC_EINVAL ? 400 : 500,
                                "%s", err.msg);
    resp->payload = (uint8_t *)out;
    resp->payload_len = len;
    resp->content_format = sim_discover_content_format(&d->faults);
    sim_response_set(resp, 205, NULL);
}

/* ---- Execute ---- */

static void do_execute(sim_device *d, int ssid, const sim_request *req, const lwm2m_path *path,
                       sim_response *resp)
{
    int obj = path->ids[0], inst = path->ids[1], res = path->ids[2];
    if (!sim_store_has_instance(d->store, obj, inst))
        return sim_response_set(resp, 404, "no instance /%d/%d", obj, inst);
    if (!sim_access_allowed(d->store, ssid, obj, inst, SIM_RIGHT_EXECUTE))
        return sim_response_set(resp, 401, "no Execute right for server %d", ssid);
    /* the Server object's Bootstrap-Request Trigger (LwM2M 1.1 §E.2 resource 9) */
    bool bs_trigger = obj == 1 && res == 9 && path->depth == 3 && d->lwm2m_minor >= 1;
    if (!bs_trigger && !sim_store_exists(d->store, path))
        return sim_response_set(resp, 404, "no such resource");
    const lwm2m_record *r = bs_trigger ? NULL : sim_store_get(d->store, path);
    if (!bs_trigger && (!r || r->type != LV_NONE))
        return sim_response_set(resp, 405, "resource is not executable");
    if (sim_faults_at(&d->faults, SIM_FAULT_EXECUTE_REFUSED, path))
        return sim_response_set(resp, 405, "Execute refused (fault execute-refused)");
    execargs args; /* LwM2M 1.0 §5.4.5: malformed arguments are a Bad Request */
    lc_error aerr = {0};
    if (execargs_parse(req->payload, req->payload_len, &args, &aerr) < 0)
        return sim_response_set(resp, 400, "Execute arguments: %s", aerr.msg);
    if (sim_live_execute(d, path, mono_ms()) || sim_eventlog_execute(d->store, path)) {
        resp->fx.changed = true; /* the counters restarted */
        resp->fx.changed_path = mkpath(2, obj, inst, 0);
    }
    if (obj == 3 && res == 4)
        resp->fx.reboot = true;
    if (bs_trigger && !sim_fault_on(&d->faults, SIM_FAULT_IGNORE_BOOTSTRAP_TRIGGER))
        resp->fx.bootstrap_trigger = true;
    if (obj == 3 && res == 5)
        resp->fx.factory_reset = true;
    if (obj == 1 && res == 8)
        resp->fx.update_trigger_ssid = server_ssid(d->store, inst);
    if (obj == 1 && res == 4) {
        resp->fx.disable_ssid = server_ssid(d->store, inst);
        int64_t t = 86400;
        sim_store_get_int(d->store, 1, inst, 5, &t);
        resp->fx.disable_seconds = t;
    }
    sim_response_set(resp, 204, NULL);
}

/* ---- Create ---- */

static void do_create(sim_device *d, int ssid, const sim_request *req, const lwm2m_path *path,
                      sim_response *resp)
{
    int obj = path->ids[0];
    const lwm2m_object_def *od = objects_find(obj);
    if (!sim_device_supports(d, obj))
        return sim_response_set(resp, 404, "no object %d", obj);
    bool anything_goes = sim_fault_on(&d->faults, SIM_FAULT_CREATE_DEVICE_OBJECT);
    if (sim_fault_on(&d->faults, SIM_FAULT_CREATE_UNAUTHORIZED))
        return sim_response_set(resp, 401, "create-unauthorized fault");
    /* a mandatory single-instance object (Device) has its one instance for life: Create
     * is not an operation on it, whoever asks (ETS int-680) */
    if (od && !od->multiple && od->mandatory && !anything_goes)
        return sim_response_set(resp, 405, "object %d is single-instance and mandatory: no Create",
                                obj);
    if (sim_fault_on(&d->faults, SIM_FAULT_CREATE_ERROR))
        return sim_response_set(resp, 400, "create-error fault");
    if (!anything_goes &&
        !sim_access_allowed(d->store, ssid, obj, SIM_ACCESS_MAX_ID, SIM_RIGHT_CREATE))
        return sim_response_set(resp, 401, "no Create right on /%d for server %d", obj, ssid);
    if (od && !od->multiple && sim_store_has_object(d->store, obj) && !anything_goes)
        return sim_response_set(resp, 400, "object %d is single-instance and already exists", obj);
    int cf = req->content_format;
    if (req->payload_len && !carries_several(cf))
        return sim_response_set(resp, cf == CF_NONE || content_codec_find(cf) ? 400 : 415,
                        "Create needs a payload in a format that carries resources (TLV, JSON, "
                        "SenML, CBOR)");

    lwm2m_records recs;
    records_init(&recs);
    int new_id = sim_store_free_instance_id(d->store, obj);
    int code = 0;
    char detail[sizeof resp->detail] = "";
    if (req->payload_len) {
        /* The payload may or may not wrap its resources in an Object Instance. */
        code = sim_ops_decode_write(req, path, false, d->lwm2m_minor, &recs, detail, sizeof detail);
        if (code) {
            records_free(&recs);
            records_init(&recs);
            lwm2m_path ip = mkpath(2, obj, new_id, 0);
            code = sim_ops_decode_write(req, &ip, false, d->lwm2m_minor, &recs, detail, sizeof detail);
        }
    }
    if (code) {
        records_free(&recs);
        return sim_response_set(resp, code, "%s", detail);
    }
    int inst = recs.count ? recs.items[0].path.ids[1] : new_id;
    for (size_t i = 0; i < recs.count; i++)
        if (recs.items[i].path.ids[1] != inst) {
            records_free(&recs);
            return sim_response_set(resp, 400, "Create carries more than one instance");
        }
    if (sim_store_has_instance(d->store, obj, inst)) {
        records_free(&recs);
        return sim_response_set(resp, 400, "/%d/%d already exists", obj, inst);
    }
    int rc = sim_store_add_instance(d->store, obj, inst);
    if (!rc)
        rc = sim_ops_apply_write(d, &recs, true);
    if (!rc)
        rc = sim_store_add_device_resources(d->store);
    if (!rc)
        rc = sim_access_on_create(d->store, ssid, obj, inst);
    records_free(&recs);
    if (rc)
        return sim_response_set(resp, 500, "out of memory");
    snprintf(resp->location, sizeof resp->location, "%d/%d", obj, inst);
    resp->fx.changed = true;
    resp->fx.changed_path = *path;
    sim_response_set(resp, 201, NULL);
}

/* ---- Delete ---- */

static void do_delete(sim_device *d, int ssid, const lwm2m_path *path, sim_response *resp)
{
    int obj = path->ids[0], inst = path->ids[1];
    if (path->depth != 2)
        return sim_response_set(resp, 405, "Delete targets an object instance");
    if (!sim_store_has_instance(d->store, obj, inst))
        return sim_response_set(resp, 404, "no instance /%d/%d", obj, inst);
    if (sim_fault_on(&d->faults, SIM_FAULT_DELETE_IGNORED))
        return sim_response_set(resp, 202, "delete-ignored fault: nothing deleted");
    if (sim_faults_at(&d->faults, SIM_FAULT_DELETE_REFUSED, path))
        return sim_response_set(resp, 400, "Delete refused (fault delete-refused)");
    const lwm2m_object_def *od = objects_find(obj);
    if (od && !od->multiple && od->mandatory) /* the Device instance */
        return sim_response_set(resp, 405, "object %d is single-instance and mandatory: its "
                                "instance cannot be deleted", obj);
    if (!sim_access_allowed(d->store, ssid, obj, inst, SIM_RIGHT_DELETE))
        return sim_response_set(resp, 401, "no Delete right for server %d", ssid);
    sim_store_delete_instance(d->store, obj, inst);
    sim_attrs_remove_under(d->attrs, path);
    sim_access_on_delete(d->store, obj, inst);
    resp->fx.changed = true;
    resp->fx.deleted = true;
    resp->fx.changed_path = *path;
    sim_response_set(resp, 202, NULL);
}

/* LwM2M 1.2 §5.5.1: notification attributes in an Observe's Uri-Query apply to that
 * observation (read as a Write-Attributes would read them); malformed ones are ignored. */
static void observe_params(sim_device *d, int ssid, const sim_request *req,
                           const lwm2m_path *path, sim_response *resp)
{
    if (!req->query_count || d->lwm2m_minor < 2 ||
        sim_fault_on(&d->faults, SIM_FAULT_OBSERVE_PARAMS_IGNORED))
        return;
    sim_attrs *tmp = sim_attrs_new(false);
    lc_error err = {0};
    if (tmp && sim_attrs_write(tmp, ssid, path, req->queries, req->query_count, &err) == 0) {
        const sim_attr_set *set = sim_attrs_get(tmp, ssid, path);
        if (set) {
            resp->fx.has_observe_params = true;
            resp->fx.observe_params = *set;
        }
    }
    sim_attrs_free(tmp);
}

void sim_ops_handle(sim_device *d, int ssid, const sim_request *req, sim_response *resp)
{
    memset(resp, 0, sizeof *resp);
    resp->content_format = CF_NONE;
    if (req->method == SIM_FETCH || req->method == SIM_IPATCH)
        return sim_composite_handle(d, ssid, req, resp);
    lwm2m_path path;
    if (!parse_path(req->uri_path, &path))
        return sim_response_set(resp, 404, "'/%s' is not an LwM2M path", req->uri_path);
    if (path.depth >= 1 && path.ids[0] == 0)
        return sim_response_set(resp, 401, "the Security object is not accessible to servers");

    switch (req->method) {
    case SIM_GET:
        if (req->accept == CF_LINK_FORMAT)
            return do_discover(d, ssid, req, &path, resp);
        if (req->observe == 0 && sim_faults_at(&d->faults, SIM_FAULT_OBSERVE_REFUSED, &path))
            return sim_response_set(resp, 405, "fault observe-refused: no Observe of this path");
        sim_ops_read(d, ssid, &path, req->accept, resp);
        if (req->observe == 0 && resp->code == 205) {
            resp->observe = true;
            resp->fx.observe_start = true;
            resp->fx.observe_path = path;
            observe_params(d, ssid, req, &path, resp);
        } else if (req->observe == 1) {
            resp->fx.observe_cancel = true;
            resp->fx.observe_path = path;
        }
        return;
    case SIM_PUT:
        if (req->payload_len == 0 && req->query_count > 0)
            return do_write_attributes(d, ssid, req, &path, resp);
        return do_write(d, ssid, req, &path, true, resp);
    case SIM_POST:
        if (path.depth == 1)
            return do_create(d, ssid, req, &path, resp);
        if (path.depth == 2)
            return do_write(d, ssid, req, &path, false, resp);
        if (path.depth == 3)
            return do_execute(d, ssid, req, &path, resp);
        return sim_response_set(resp, 405, "POST on this path is not an LwM2M operation");
    case SIM_DELETE: return do_delete(d, ssid, &path, resp);
    default: return sim_response_set(resp, 405, "method not allowed");
    }
}
