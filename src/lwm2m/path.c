#include "lwm2m/path.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/err.h"

int lwm2m_path_parse(const char *s, lwm2m_path *out)
{
    lwm2m_path p = {{LWM2M_ID_NONE, LWM2M_ID_NONE, LWM2M_ID_NONE, LWM2M_ID_NONE}, 0};
    if (!s)
        return LC_EINVAL;
    if (*s == '/')
        s++;
    while (*s) {
        if (p.depth == 4 || *s < '0' || *s > '9')
            return LC_EINVAL;
        char *end;
        long v = strtol(s, &end, 10);
        if (v < 0 || v > 65535 || (*end != '/' && *end != '\0'))
            return LC_EINVAL;
        p.ids[p.depth++] = (int32_t)v;
        s = end;
        if (*s == '/') {
            s++;
            if (*s == '\0')
                return LC_EINVAL;
        }
    }
    *out = p;
    return 0;
}

int lwm2m_path_format(const lwm2m_path *p, char *buf, size_t cap)
{
    char tmp[32] = "/";
    size_t n = p->depth == 0 ? 1 : 0;
    for (int i = 0; i < p->depth; i++)
        n += (size_t)snprintf(tmp + n, sizeof tmp - n, "/%d", (int)p->ids[i]);
    return snprintf(buf, cap, "%s", tmp);
}

bool lwm2m_path_equal(const lwm2m_path *a, const lwm2m_path *b)
{
    if (a->depth != b->depth)
        return false;
    for (int i = 0; i < a->depth; i++)
        if (a->ids[i] != b->ids[i])
            return false;
    return true;
}

bool lwm2m_path_is_under(const lwm2m_path *child, const lwm2m_path *prefix)
{
    if (child->depth < prefix->depth)
        return false;
    for (int i = 0; i < prefix->depth; i++)
        if (child->ids[i] != prefix->ids[i])
            return false;
    return true;
}
