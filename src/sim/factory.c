#include "sim/factory.h"

#include "lwm2m/path.h"

int sim_factory_place_bootstrap(config *c, int iid, lc_error *err)
{
    if (iid < 0 || iid > 65534)
        return lc_error_set(err, LC_EINVAL, "a Security instance id is 0 to 65534, not %d", iid);
    config_account *bs = NULL;
    for (size_t i = 0; i < c->account_count; i++)
        if (c->accounts[i].bootstrap)
            bs = &c->accounts[i];
    if (!bs)
        return lc_error_set(err, LC_EINVAL, "%s has no bootstrap account to move", c->source);
    int old = bs->security_instance;
    if (old == iid)
        return 0;
    for (size_t i = 0; i < c->account_count; i++) {
        config_account *a = &c->accounts[i];
        if (a->security_instance == iid)
            a->security_instance = old;
    }
    bs->security_instance = iid;
    for (size_t i = 0; i < c->value_count; i++) {
        lwm2m_path p;
        if (lwm2m_path_parse(c->values[i].path, &p) < 0 || p.depth < 2 || p.ids[0] != 0)
            continue;
        if (p.ids[1] == old)
            p.ids[1] = iid;
        else if (p.ids[1] == iid)
            p.ids[1] = old;
        else
            continue;
        lwm2m_path_format(&p, c->values[i].path, sizeof c->values[i].path);
    }
    return 0;
}
