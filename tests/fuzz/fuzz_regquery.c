/* libFuzzer target: the Registration interface's query parser. The input is split at
 * '&' and newlines into Uri-Query values, as a Register or an Update carries them. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/regquery.h"
#include "net/endpoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *queries[NET_MAX_QUERIES];
    size_t count = 0;
    char *save = NULL;
    for (char *q = strtok_r(text, "&\n", &save); q && count < NET_MAX_QUERIES;
         q = strtok_r(NULL, "&\n", &save))
        queries[count++] = q;
    lc_error err = {0};
    reg_query out;
    regquery_parse(queries, count, REGQUERY_REGISTER, &out, &err);
    regquery_parse(queries, count, REGQUERY_UPDATE, &out, &err);
    regquery_binding_valid(text);
    free(text);
    return 0;
}
