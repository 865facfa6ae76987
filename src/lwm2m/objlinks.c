#include "lwm2m/objlinks.h"

#include <stdio.h>
#include <string.h>

#include "lwm2m/linkformat.h"
#include "lwm2m/path.h"

int objlinks_parse(const char *links, objlinks *out, lc_error *err)
{
    memset(out, 0, sizeof *out);
    if (!links)
        return 0;
    lf_set set;
    if (linkformat_parse(links, strlen(links), &set, err) < 0)
        return LC_EINVAL;
    char root[128] = "";
    for (size_t i = 0; i < set.count; i++) {
        const lf_attr *rt = linkformat_attr(&set.links[i], "rt");
        if (rt && rt->has_value && strcmp(rt->value, "oma.lwm2m") == 0) {
            snprintf(root, sizeof root, "%s", set.links[i].uri);
            size_t n = strlen(root);
            if (n && root[n - 1] == '/')
                root[n - 1] = '\0';
        }
    }
    size_t rl = strlen(root);
    for (size_t i = 0; i < set.count && out->count < OBJLINKS_MAX; i++) {
        const char *uri = set.links[i].uri;
        if (rl && strncmp(uri, root, rl) == 0)
            uri += rl;
        lwm2m_path p;
        if (lwm2m_path_parse(uri, &p) < 0 || p.depth < 1 || p.depth > 2)
            continue;
        objlink *o = &out->items[out->count++];
        o->object = p.ids[0];
        o->instance = p.depth == 2 ? p.ids[1] : -1;
        const lf_attr *ver = linkformat_attr(&set.links[i], "ver");
        if (ver && ver->has_value)
            snprintf(o->ver, sizeof o->ver, "%s", ver->value);
    }
    linkformat_free(&set);
    return 0;
}

bool objlinks_has_object(const objlinks *l, int obj)
{
    for (size_t i = 0; l && i < l->count; i++)
        if (l->items[i].object == obj)
            return true;
    return false;
}
