/* libFuzzer target: the device description loader, and writing back what it loaded (a
 * description that loads must write and load again). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/description.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    description *d = malloc(sizeof *d);
    description *again = malloc(sizeof *again);
    if (text && d && again) {
        memcpy(text, data, size);
        text[size] = '\0';
        lc_error err = {0};
        if (description_load_string(text, "fuzz.json", d, &err) == 0) {
            char *buf = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&buf, &len);
            if (f && description_write(d, f, &err) == 0 && fclose(f) == 0) {
                f = NULL;
                if (description_load_string(buf, "again.json", again, &err) != 0)
                    abort(); /* what it wrote does not load */
                if (again->value_count != d->value_count || again->instance_count != d->instance_count ||
                    again->volatile_count != d->volatile_count)
                    abort();
            }
            if (f)
                fclose(f);
            free(buf);
            (void)description_value(d, "/3/0/0");
            (void)description_knows(d, "/4/0/4/0");
            (void)description_has_object(d, 4, NULL);
        }
    }
    free(text);
    free(d);
    free(again);
    return 0;
}
