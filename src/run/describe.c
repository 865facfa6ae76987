#include "run/describe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/base64.h"
#include "common/mono.h"
#include "dut/exchange.h"
#include "lwm2m/content/content.h"
#include "lwm2m/linkformat.h"
#include "lwm2m/objects.h"
#include "lwm2m/objlinks.h"

/* The core objects' resources that change by themselves. */
static const struct {
    int obj, res;
} volatile_table[] = {
    {3, 7},  {3, 8},  {3, 9},  {3, 10}, {3, 11}, {3, 13}, {3, 20}, /* power, battery, memory
                                                                       free, error, clock */
    {4, 2},  {4, 3},  {4, 4},  {4, 5},  {4, 6},  {4, 8},           /* radio, IP, link, cell */
    {5, 3},  {5, 5},                                               /* update state, result */
    {6, 0},  {6, 1},  {6, 2},  {6, 3},  {6, 4},  {6, 5},  {6, 6},  /* the whole location */
    {7, 0},  {7, 1},  {7, 2},  {7, 3},  {7, 4},  {7, 5},           /* traffic counters */
    {10, 4}, {10, 5}, /* PSM and Active Timers: what the network granted, not the request */
};

bool describe_is_volatile(int obj, int res)
{
    for (size_t i = 0; i < sizeof volatile_table / sizeof volatile_table[0]; i++)
        if (volatile_table[i].obj == obj && volatile_table[i].res == res)
            return true;
    /* IPSO Smart Objects (3200 and above) share resource ids: the measured values, their
     * minimum and maximum so far, the axes, a digital input and its counter all move */
    static const int ipso_measured[] = {5500, 5501, 5601, 5602, 5700, 5702, 5703, 5704};
    if (obj >= 3200 && obj < 4000)
        for (size_t i = 0; i < sizeof ipso_measured / sizeof ipso_measured[0]; i++)
            if (res == ipso_measured[i])
                return true;
    /* beyond the table: a read-only time is a clock or a timestamp */
    const lwm2m_resource_def *rd = objects_resource(obj, res);
    return rd && rd->operations == LWM2M_OP_R && rd->type == LV_TIME;
}

static bool match_nothing(const net_event *ev, void *arg)
{
    (void)ev;
    (void)arg;
    return false;
}

/* The registration to read through: with the given server, else the lowest SSID's. */
static const registration *pick(const dut *d, int ssid)
{
    if (ssid > 0)
        return registry_active(d->reg, ssid);
    const registration *best = NULL;
    for (size_t i = 0; i < registry_count(d->reg); i++) {
        const registration *r = registry_at(d->reg, i);
        if (r->active && r->links && (!best || r->short_server_id < best->short_server_id))
            best = r;
    }
    return best;
}

static int wait_registration(dut *d, const describe_options *opt, const registration **out,
                             lc_error *err)
{
    uint64_t deadline = mono_ms() + opt->timeout_ms;
    while (!(*out = pick(d, opt->short_server_id))) {
        net_event *ev = NULL;
        uint64_t until = mono_ms() + 200 < deadline ? mono_ms() + 200 : deadline;
        int r = net_wait(d->net, match_nothing, NULL, until, &ev);
        if (r == LC_EINTR)
            return lc_error_set(err, LC_EINTR, "interrupted");
        if (net_abort_reason(d->net))
            return lc_error_set(err, LC_EIO, "%s", net_abort_reason(d->net));
        if (mono_ms() >= deadline)
            return lc_error_set(err, LC_ETIMEDOUT, "the device did not register within %.0f s",
                                (double)opt->timeout_ms / 1000.0);
    }
    return 0;
}

static int add_record(description *desc, const lwm2m_record *rec)
{
    const lwm2m_path *p = &rec->path;
    if (p->depth < 3)
        return 0;
    int rc = description_add_resource(desc, p->ids[0], p->ids[1], p->ids[2]);
    if (rc)
        return rc;
    config_value v;
    memset(&v, 0, sizeof v);
    lwm2m_path_format(p, v.path, sizeof v.path);
    switch (rec->type) {
    case LV_STRING:
        v.kind = CONFIG_VALUE_STRING;
        snprintf(v.string, sizeof v.string, "%.*s", (int)rec->len, rec->bytes ? (char *)rec->bytes : "");
        break;
    case LV_OPAQUE:
        if (base64_encode(rec->bytes, rec->len, NULL, 0) >= sizeof v.string)
            return 0; /* too large to be a fact worth comparing */
        v.kind = CONFIG_VALUE_STRING;
        base64_encode(rec->bytes, rec->len, v.string, sizeof v.string);
        break;
    case LV_OBJLNK:
        v.kind = CONFIG_VALUE_STRING;
        snprintf(v.string, sizeof v.string, "%u:%u", rec->objlnk[0], rec->objlnk[1]);
        break;
    case LV_BOOLEAN:
        v.kind = CONFIG_VALUE_BOOL;
        v.boolean = rec->b;
        break;
    case LV_FLOAT:
        v.kind = CONFIG_VALUE_NUMBER;
        v.number = rec->f;
        break;
    case LV_INTEGER:
    case LV_UNSIGNED:
    case LV_TIME:
        v.kind = CONFIG_VALUE_NUMBER;
        v.number = (double)rec->i;
        break;
    default:
        return 0;
    }
    if (describe_is_volatile(p->ids[0], p->ids[2])) {
        char rpath[32];
        snprintf(rpath, sizeof rpath, "/%u/%u/%u", p->ids[0], p->ids[1], p->ids[2]);
        description_add_volatile(desc, rpath);
    }
    return description_set_value(desc, &v);
}

static void note(char *notes, size_t cap, const char *fmt, const char *a, const char *b)
{
    if (!notes || !cap)
        return;
    size_t n = strlen(notes);
    if (n + 1 < cap)
        snprintf(notes + n, cap - n, fmt, a, b);
}

/* Reads /obj/inst and adds what came back. */
static int read_instance(dut *d, const registration *r, int obj, int inst,
                         const describe_options *opt, description *desc, char *notes, size_t cap)
{
    char path[32];
    snprintf(path, sizeof path, "/%d/%d", obj, inst);
    net_request_spec spec = {.method = COAP_REQUEST_CODE_GET, .path = path, .accept = -1,
                             .content_format = -1, .observe = -1};
    step_outcome *o = calloc(1, sizeof *o);
    if (!o)
        return LC_ENOMEM;
    o->request.content_format = o->request.accept = o->request.observe = -1;
    o->response.content_format = o->response.accept = o->response.observe = -1;
    exchange_run(d->net, r->session, r->endpoint, &spec, mono_ms() + opt->timeout_ms, o);
    int rc = 0;
    if (o->status == OUTCOME_NOT_RUN) {
        rc = LC_EINTR;
    } else if (!o->has_response || o->response.code != COAP_RESPONSE_CODE(205)) {
        char why[300];
        if (o->has_response) {
            char code[8];
            net_code_format(o->response.code, code, sizeof code);
            snprintf(why, sizeof why, "%s %s", code, net_code_name(o->response.code));
        } else {
            snprintf(why, sizeof why, "%s", o->detail[0] ? o->detail : "no response");
        }
        note(notes, cap, "Read %s: %s (the instance is listed, its resources are not)\n", path,
             why);
    } else {
        lwm2m_path base;
        lwm2m_path_parse(path, &base);
        lwm2m_records recs;
        records_init(&recs);
        lc_error err = {0};
        int dr = o->response.content_format >= 0
                     ? content_decode(o->response.content_format, &base, o->response.payload,
                                      o->response.payload_len, objects_type_of, NULL, &recs, &err)
                     : LC_EINVAL;
        if (dr < 0) {
            note(notes, cap, "Read %s: the answer could not be read: %s\n", path,
                 o->response.content_format < 0 ? "no Content-Format option" : err.msg);
        } else {
            for (size_t i = 0; i < recs.count && rc == 0; i++)
                rc = add_record(desc, &recs.items[i]);
            if (rc == LC_ENOMEM)
                note(notes, cap, "Read %s: more values than a description holds; some are left "
                     "out%s\n", path, "");
            rc = 0;
        }
        records_free(&recs);
    }
    step_outcome_clear(o);
    free(o);
    return rc;
}

/* Discovers /obj/inst and lists every resource it links, those a Read shows no value of
 * too: an executable one, or a multiple resource without instances (</10/0/11>;dim=0),
 * which a SenML Read cannot show. A Discover that fails adds nothing: the Read stands. */
static int discover_instance(dut *d, const registration *r, int obj, int inst,
                             const describe_options *opt, description *desc)
{
    char path[32];
    snprintf(path, sizeof path, "/%d/%d", obj, inst);
    net_request_spec spec = {.method = COAP_REQUEST_CODE_GET, .path = path,
                             .accept = COAP_MEDIATYPE_APPLICATION_LINK_FORMAT,
                             .content_format = -1, .observe = -1};
    step_outcome *o = calloc(1, sizeof *o);
    if (!o)
        return LC_ENOMEM;
    o->request.content_format = o->request.accept = o->request.observe = -1;
    o->response.content_format = o->response.accept = o->response.observe = -1;
    exchange_run(d->net, r->session, r->endpoint, &spec, mono_ms() + opt->timeout_ms, o);
    int rc = o->status == OUTCOME_NOT_RUN ? LC_EINTR : 0;
    lf_set links = {0};
    lc_error err = {0};
    if (rc == 0 && o->has_response && o->response.code == COAP_RESPONSE_CODE(205) &&
        linkformat_parse((const char *)o->response.payload, o->response.payload_len, &links,
                         &err) == 0) {
        for (size_t i = 0; i < links.count && rc != LC_ENOMEM; i++) {
            lwm2m_path p;
            if (lwm2m_path_parse(links.links[i].uri, &p) == 0 && p.depth == 3 &&
                p.ids[0] == obj && p.ids[1] == inst)
                rc = description_add_resource(desc, obj, inst, p.ids[2]);
        }
        linkformat_free(&links);
    }
    step_outcome_clear(o);
    free(o);
    return rc == LC_ENOMEM ? 0 : rc; /* a full list keeps what it holds */
}

int describe_device(dut *d, const describe_options *opt, description *out, char *notes,
                    size_t cap, lc_error *err)
{
    if (notes && cap)
        notes[0] = '\0';
    const registration *r = NULL;
    int rc = wait_registration(d, opt, &r, err);
    if (rc)
        return rc;
    description_init(out, "");
    const reg_query *q = &r->query;
    snprintf(out->endpoint, sizeof out->endpoint, "%s", q->endpoint_name);
    snprintf(out->lwm2m, sizeof out->lwm2m, "%s", q->has_lwm2m_version ? q->lwm2m_version : "1.0");
    if (q->has_binding && strlen(q->binding) < sizeof out->binding)
        snprintf(out->binding, sizeof out->binding, "%s", q->binding);
    else
        snprintf(out->binding, sizeof out->binding, "U");
    char when[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
    snprintf(out->comment, sizeof out->comment,
             "Written by lwm2m-conform describe from endpoint %.128s on %s: the objects of its "
             "Register and a Read of each instance. Review it: the values here are what the "
             "cases compare the device's with; \"volatile\" lists what changes by itself (only "
             "its presence is checked); add \"persistent\" and \"content_formats\" if you know "
             "them.", q->endpoint_name, when);

    objlinks *links = malloc(sizeof *links);
    if (!links)
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    if (objlinks_parse(r->links, links, err) < 0) {
        free(links);
        return lc_error_prefix(err, "the Register's object list: ");
    }
    for (size_t i = 0; i < links->count; i++) {
        const objlink *l = &links->items[i];
        if (l->instance < 0)
            rc = description_add_object(out, l->object);
        else
            rc = description_add_instance(out, l->object, l->instance);
        if (rc == LC_ENOMEM) {
            free(links);
            return lc_error_set(err, LC_ENOMEM, "the Register lists more objects or instances "
                                "than a description holds");
        }
    }
    /* the test's own objects are listed as the device has them, never read: Security is
     * not readable by a server, Server and Access Control are what the test provisions */
    for (size_t i = 0; i < links->count && rc == 0; i++) {
        const objlink *l = &links->items[i];
        if (l->object <= 2 || l->instance < 0)
            continue;
        const registration *now = pick(d, r->short_server_id);
        if (!now) {
            note(notes, cap, "the device de-registered while it was read%s%s\n", "", "");
            break;
        }
        rc = read_instance(d, now, l->object, l->instance, opt, out, notes, cap);
        if (rc == 0)
            rc = discover_instance(d, now, l->object, l->instance, opt, out);
    }
    free(links);
    if (rc == LC_EINTR)
        return lc_error_set(err, LC_EINTR, "interrupted");
    return rc < 0 ? lc_error_set(err, rc, "%s", lc_strerror(rc)) : 0;
}
