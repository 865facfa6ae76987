/* The ETS documents a case can come from, and what the tool knows of each: its short key
 * ("1.0.1", "1.2", what `list --all --ets` takes), the document name a case's "source"
 * starts with, and the data file beside the cases that lists every id it holds
 * (testcases/ets-<key>.tsv, see tc/coverage.h).
 *
 * A case that two documents hold is one definition carrying both ids (tc_case.ets); this
 * table says which document each id belongs to. Owns nothing: the table is static. */
#ifndef LC_TC_ETSDOC_H
#define LC_TC_ETSDOC_H

#include <stdbool.h>
#include <stddef.h>

typedef struct tc_etsdoc {
    const char *key;    /* "1.0.1", "1.2" */
    const char *name;   /* "OMA-ETS-LightweightM2M-V1_0_1": what a source starts with */
    const char *title;  /* "ETS 1.0.1 draft (30 Aug 2017)" */
    const char *tsv;    /* "ets-1.0.1.tsv", in the cases directory */
    const char *origin; /* where the tool read the document (for docs/coverage.md) */
} tc_etsdoc;

/* Every known document, oldest first; *count set. */
const tc_etsdoc *tc_etsdoc_all(size_t *count);
/* By key ("1.2"), or NULL. */
const tc_etsdoc *tc_etsdoc_find(const char *key);
/* The document a source names ("OMA-ETS-LightweightM2M_INT-V1_2 §6.2.5 …" -> 1.2), or
 * NULL (a tool reading, or an unknown document). */
const tc_etsdoc *tc_etsdoc_of_source(const char *source);
/* "1.0.1, 1.2": the keys, for messages. */
void tc_etsdoc_keys(char *buf, size_t cap);

#endif
