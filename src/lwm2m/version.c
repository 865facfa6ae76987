#include "lwm2m/version.h"

#include <stdio.h>
#include <string.h>

static int parse_part(const char *s, size_t n, int *out)
{
    if (n == 0 || n > 3)
        return LC_EINVAL;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return LC_EINVAL;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int lwm2m_version_parse(const char *s, lwm2m_version *out)
{
    if (!s) {
        *out = (lwm2m_version){1, 0};
        return 0;
    }
    const char *dot = strchr(s, '.');
    lwm2m_version v;
    if (!dot || parse_part(s, (size_t)(dot - s), &v.major) < 0 ||
        parse_part(dot + 1, strlen(dot + 1), &v.minor) < 0)
        return LC_EINVAL;
    *out = v;
    return 0;
}

int lwm2m_version_parse_known(const char *s, lwm2m_version *out, lc_error *err)
{
    lwm2m_version v;
    if (!s || lwm2m_version_parse(s, &v) < 0 || v.major != 1 || v.minor > 2)
        return lc_error_set(err, LC_EINVAL, "LwM2M version %s: give 1.0, 1.1 or 1.2",
                            s ? s : "(none)");
    *out = v;
    return 0;
}

int lwm2m_version_cmp(lwm2m_version a, lwm2m_version b)
{
    if (a.major != b.major)
        return a.major < b.major ? -1 : 1;
    return a.minor < b.minor ? -1 : a.minor > b.minor;
}

const char *lwm2m_version_text(lwm2m_version v, char *buf, unsigned cap)
{
    snprintf(buf, cap, "%d.%d", v.major, v.minor);
    return buf;
}

bool lwm2m_version_exceeds(const char *announced, lwm2m_version limit)
{
    lwm2m_version v;
    return lwm2m_version_parse(announced, &v) == 0 && lwm2m_version_cmp(v, limit) > 0;
}
