/* libFuzzer target: the RFC 6690 link-format parser (a Register's payload, a Discover
 * answer), then formatting and comparing what it parsed. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lwm2m/linkformat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lc_error err = {0};
    lf_set set;
    if (linkformat_parse((const char *)data, size, &set, &err) == 0) {
        char buf[4096];
        linkformat_format(&set, buf, sizeof buf);
        lf_set again;
        if (linkformat_parse(buf, strnlen(buf, sizeof buf), &again, &err) == 0)
            linkformat_free(&again);
        linkformat_free(&set);
    }
    return 0;
}
