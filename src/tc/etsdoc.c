#include "tc/etsdoc.h"

#include <stdio.h>
#include <string.h>

static const tc_etsdoc docs[] = {
    {"1.0.1", "OMA-ETS-LightweightM2M-V1_0_1", "ETS 1.0.1 draft (OMA-ETS-LightweightM2M-V1_0_1, 30 Aug 2017)",
     "ets-1.0.1.tsv", "the draft's own text (the seed's document)"},
    {"1.2", "OMA-ETS-LightweightM2M_INT-V1_2",
     "ETS INT 1.2 (OMA-ETS-LightweightM2M_INT-V1_2, approved 2023-10-03; 1.2.1 candidate 2024-03-12)",
     "ets-1.2.tsv",
     "a third-party inventory of its text (public repository fiumaralabs/lwm2m, spec/ets-1.2.md), "
     "not the OMA text"},
};

const tc_etsdoc *tc_etsdoc_all(size_t *count)
{
    *count = sizeof docs / sizeof docs[0];
    return docs;
}

const tc_etsdoc *tc_etsdoc_find(const char *key)
{
    for (size_t i = 0; key && i < sizeof docs / sizeof docs[0]; i++)
        if (strcmp(docs[i].key, key) == 0)
            return &docs[i];
    return NULL;
}

const tc_etsdoc *tc_etsdoc_of_source(const char *source)
{
    for (size_t i = 0; source && i < sizeof docs / sizeof docs[0]; i++) {
        size_t n = strlen(docs[i].name);
        /* the name, then the end, a space or a version tail ("…V1_2_1-C") */
        if (strncmp(source, docs[i].name, n) == 0 &&
            (source[n] == '\0' || source[n] == ' ' || source[n] == '_' || source[n] == '-'))
            return &docs[i];
    }
    return NULL;
}

void tc_etsdoc_keys(char *buf, size_t cap)
{
    size_t used = 0;
    if (cap)
        buf[0] = '\0';
    for (size_t i = 0; i < sizeof docs / sizeof docs[0] && used < cap; i++) {
        int n = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", docs[i].key);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}
