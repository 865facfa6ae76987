/* A suite as a whole: one id per case, every dependency present, no cycles, and the cases
 * in dependency order. Works on loaded cases (tc/model.h); knows nothing of JSON. */
#ifndef LC_TC_SUITE_H
#define LC_TC_SUITE_H

#include <stddef.h>

#include "common/err.h"
#include "tc/diag.h"
#include "tc/model.h"

/* Orders s->cases so every case comes after the cases it depends on; otherwise the
 * existing order is kept (a stable topological sort). Errors, each added to diags
 * (may be NULL) at the depends_on entry when its position is known:
 *   - two cases with one id;
 *   - a dependency on an id no case has ("depends on 'int-949', which is not in the suite");
 *   - a cycle, named in order ("dependency cycle: int-950 -> int-951 -> int-950").
 * On error the order is unchanged, err gets the first problem, and LC_EINVAL is returned. */
int tc_suite_order(tc_suite *s, tc_diags *diags, lc_error *err);

/* The same, where known_ids (known_count of them) name definitions that failed to load:
 * depending on one of them is not reported again as an unknown id. */
int tc_suite_order_known(tc_suite *s, const char *const *known_ids, size_t known_count,
                         tc_diags *diags, lc_error *err);

#endif
