/* libFuzzer target: the test-case definition loader (JSON -> model, with diagnostics). */
#include <stddef.h>
#include <stdint.h>

#include "tc/diag.h"
#include "tc/loader.h"
#include "tc/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tc_diags diags;
    tc_diags_init(&diags);
    tc_case *c = NULL;
    if (tc_load_string((const char *)data, size, "fuzz.json", &c, &diags) == 0)
        tc_case_free(c);
    tc_diags_free(&diags);
    return 0;
}
