/* libFuzzer target: the device configuration loader (OMA LwM2M JSON / SenML-like). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    config *cfg = malloc(sizeof *cfg);
    if (text && cfg) {
        memcpy(text, data, size);
        text[size] = '\0';
        lc_error err = {0};
        if (config_load_string(text, "fuzz.json", cfg, &err) == 0)
            config_check_keys(cfg, true, &err);
    }
    free(text);
    free(cfg);
    return 0;
}
