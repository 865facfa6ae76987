#include "lwm2m/instmap.h"

#include <stdio.h>
#include <string.h>

void instmap_init(instmap *m)
{
    memset(m, 0, sizeof *m);
    m->bootstrap_iid = -1;
}

int instmap_set(instmap *m, int object, int config_iid, int device_iid)
{
    for (size_t i = 0; i < m->count; i++) {
        instmap_entry *e = &m->entries[i];
        if (e->object == object && e->config_iid == config_iid) {
            e->device_iid = device_iid;
            return 0;
        }
    }
    if (m->count == INSTMAP_MAX)
        return -1;
    m->entries[m->count++] = (instmap_entry){object, config_iid, device_iid};
    return 0;
}

int instmap_device_iid(const instmap *m, int object, int config_iid)
{
    if (m)
        for (size_t i = 0; i < m->count; i++)
            if (m->entries[i].object == object && m->entries[i].config_iid == config_iid)
                return m->entries[i].device_iid;
    return config_iid;
}

bool instmap_to_device(const instmap *m, lwm2m_path *p)
{
    if (p->depth < 2)
        return false;
    int iid = instmap_device_iid(m, p->ids[0], p->ids[1]);
    if (iid == p->ids[1])
        return false;
    p->ids[1] = iid;
    return true;
}

bool instmap_moves_anything(const instmap *m)
{
    for (size_t i = 0; m && i < m->count; i++)
        if (m->entries[i].config_iid != m->entries[i].device_iid)
            return true;
    return false;
}

int instmap_format(const instmap *m, char *buf, size_t cap)
{
    size_t len = 0;
    if (cap)
        buf[0] = '\0';
    for (size_t i = 0; m && i < m->count; i++) {
        const instmap_entry *e = &m->entries[i];
        if (e->config_iid == e->device_iid)
            continue;
        int n = snprintf(len < cap ? buf + len : NULL, len < cap ? cap - len : 0,
                         "%s/%d/%d -> /%d/%d", len ? ", " : "", e->object, e->config_iid,
                         e->object, e->device_iid);
        if (n > 0)
            len += (size_t)n;
    }
    return (int)len;
}
