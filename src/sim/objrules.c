#include "sim/objrules.h"

#include <stdio.h>

int sim_objrules_check_write(const sim_store *st, const lwm2m_records *recs, char *detail,
                             size_t cap)
{
    for (size_t i = 0; i < recs->count; i++) {
        const lwm2m_record *r = &recs->items[i];
        if (r->path.depth != 3 || r->path.ids[0] != 10 || r->path.ids[2] != 13)
            continue;
        lwm2m_path sup = r->path;
        sup.ids[2] = 12;
        const lwm2m_record *s = sim_store_get(st, &sup);
        if (!s || (r->i & ~s->i) == 0)
            continue;
        snprintf(detail, cap, "Active Power Saving Modes %lld asks for a mode the Supported "
                 "Power Saving Modes (%lld) lack", (long long)r->i, (long long)s->i);
        return 400;
    }
    return 0;
}
