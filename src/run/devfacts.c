#include "run/devfacts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/objects.h"
#include "lwm2m/objlinks.h"
#include "lwm2m/path.h"
#include "tc/model.h"

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

bool devfacts_has_exact_value(const dut *d, const char *path)
{
    return (d->desc && description_has_value_at(d->desc, path)) ||
           config_find(d->cfg, path) != NULL;
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

/* The Access Control right an operation needs (LwM2M 1.0 E.1.3): 1 Read, 2 Write,
 * 4 Execute, 8 Delete, 16 Create; 0 for what is not an access to the data model. */
static int right_for(tc_op op)
{
    switch (op) {
    case TC_OP_READ:
    case TC_OP_DISCOVER:
    case TC_OP_OBSERVE:
    case TC_OP_CANCEL_OBSERVE:
    case TC_OP_WRITE_ATTRIBUTES: return 1;
    case TC_OP_WRITE:
    case TC_OP_WRITE_PARTIAL: return 2;
    case TC_OP_EXECUTE: return 4;
    case TC_OP_DELETE: return 8;
    case TC_OP_CREATE: return 16;
    default: return 0;
    }
}

/* Whether server ssid may do right on /obj/inst (inst 65535: create in obj) under cfg's
 * Access Control. */
static bool allowed(const config *cfg, int ssid, int obj, int inst, int right)
{
    for (size_t i = 0; i < cfg->access_control_count; i++) {
        const config_access_control *ac = &cfg->access_control[i];
        if (ac->object_id != obj || ac->object_instance != inst)
            continue;
        if (ac->owner == ssid && ac->acl_count == 0)
            return true;
        int deflt = -1;
        for (size_t k = 0; k < ac->acl_count; k++) {
            if (ac->acl[k].short_server_id == ssid)
                return (ac->acl[k].rights & right) != 0;
            if (ac->acl[k].short_server_id == 0)
                deflt = ac->acl[k].rights;
        }
        return deflt >= 0 && (deflt & right) != 0;
    }
    return false;
}

bool devfacts_config_covers(const dut *d, const config *want, const char *want_name,
                            const tc_case *c, char *why, size_t cap)
{
    const config *held = d->cfg;
    size_t servers = 0;
    for (size_t i = 0; i < held->account_count; i++)
        servers += !held->accounts[i].bootstrap;
    for (size_t i = 0; i < c->step_count; i++) {
        const tc_step *s = &c->steps[i];
        if (s->server <= 0 || tc_op_is_bootstrap(s->op))
            continue;
        if (!config_server(held, s->server)) {
            snprintf(why, cap, "configuration %s (%s), whose server %d the device does not hold "
                     "(it holds %s; let the tool provision each case's configuration: "
                     "--bootstrap, without --config)", want_name, want->source, s->server,
                     held->source);
            return false;
        }
        int right = right_for(s->op);
        lwm2m_path p;
        /* one server (or none of the held configuration's Access Control): all is allowed;
         * the Security object (0) is no server's under any Access Control, and a case that
         * addresses it (int-221) expects the refusal */
        if (!right || servers < 2 || held->access_control_count == 0 || !s->path ||
            lwm2m_path_parse(s->path, &p) < 0 || p.depth < 1 || p.ids[0] == 0 || p.ids[0] == 2)
            continue;
        int inst = s->op == TC_OP_CREATE ? 65535 : p.depth >= 2 ? p.ids[1] : 0;
        if (!allowed(held, s->server, p.ids[0], inst, right)) {
            snprintf(why, cap, "configuration %s (%s): step %d's %s of %s by server %d is not "
                     "granted by the Access Control of %s, which the device holds, and a "
                     "conformant device refuses it (4.01); let the tool provision each case's "
                     "configuration (--bootstrap, without --config), or run with --config %s on "
                     "a device provisioned so", want_name, want->source, s->number,
                     tc_op_name(s->op), s->path, s->server, held->source, want->source);
            return false;
        }
    }
    return true;
}
