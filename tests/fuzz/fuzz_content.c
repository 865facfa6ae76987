/* libFuzzer target: one content-format decoder, chosen at build time (-DFUZZ_CF=110 …).
 * The first input byte picks the request path the payload answers (/3, /3/0, /3/0/1,
 * /3/0/11/0, /) and whether a type hint is given; what decodes is encoded again in the
 * same format. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lwm2m/content/content.h"

#ifndef FUZZ_CF
#error "build with -DFUZZ_CF=<content format>"
#endif

static lwm2m_type hint(const lwm2m_path *p, void *arg)
{
    (void)arg;
    /* a few types so every typed branch is reachable */
    static const lwm2m_type types[] = {LV_STRING, LV_INTEGER, LV_UNSIGNED, LV_FLOAT,
                                       LV_BOOLEAN, LV_OPAQUE, LV_TIME, LV_OBJLNK, LV_NONE};
    return types[p->depth > 2 && p->ids[2] >= 0 ? p->ids[2] % 9 : 0];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const bases[] = {"/3", "/3/0", "/3/0/1", "/3/0/11/0", "/"};
    lwm2m_path base;
    if (lwm2m_path_parse(bases[(data[0] & 0x7f) % 5], &base) < 0)
        return 0;
    lwm2m_type_hint h = data[0] & 0x80 ? hint : NULL;
    lwm2m_records recs;
    records_init(&recs);
    lc_error err = {0};
    if (content_decode(FUZZ_CF, &base, data + 1, size - 1, h, NULL, &recs, &err) == 0) {
        uint8_t *out = NULL;
        size_t len = 0;
        if (content_encode(FUZZ_CF, &base, &recs, &out, &len, &err) == 0)
            free(out);
    }
    records_free(&recs);
    return 0;
}
