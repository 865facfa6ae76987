#include "bs/account.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/linkformat.h"
#include "lwm2m/path.h"

int bsaccount_from_discover(const uint8_t *payload, size_t len, int preferred, char *why,
                            size_t cap)
{
    if (cap)
        why[0] = '\0';
    const char *text = (const char *)payload;
    static const char legacy[] = "lwm2m=";
    /* LwM2M 1.0's example puts a bare lwm2m="1.0" first: skip it to the first link */
    if (len >= sizeof legacy - 1 && memcmp(text, legacy, sizeof legacy - 1) == 0) {
        const char *comma = memchr(text, ',', len);
        size_t skip = comma ? (size_t)(comma - text) + 1 : len;
        text += skip;
        len -= skip;
    }
    lf_set links = {0};
    lc_error err = {0};
    if (linkformat_parse(text, len, &links, &err) < 0) {
        snprintf(why, cap, "the answer is not link format: %s", err.msg);
        return -1;
    }
    int found = -1, count = 0;
    for (size_t i = 0; i < links.count; i++) {
        lwm2m_path p;
        if (lwm2m_path_parse(links.links[i].uri, &p) < 0 || p.depth != 2 || p.ids[0] != 0 ||
            linkformat_attr(&links.links[i], "ssid"))
            continue;
        count++;
        if (found < 0 || p.ids[1] == preferred || (found != preferred && p.ids[1] < found))
            found = p.ids[1];
    }
    linkformat_free(&links);
    if (found < 0)
        snprintf(why, cap, "no Security instance link without ssid in \"%.*s\"",
                 len > 200 ? 200 : (int)len, text);
    else if (count > 1)
        snprintf(why, cap, "%d Security instances without ssid; taking /0/%d", count, found);
    return found;
}
