#include "tc/suite.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool matches_any(const char *const *ids, size_t n, const char *dep)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], dep) == 0 || strcmp(tc_short_id(ids[i]), dep) == 0)
            return true;
    return false;
}

static void dep_diag(tc_diags *d, const tc_case *c, size_t dep, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void dep_diag(tc_diags *d, const tc_case *c, size_t dep, const char *fmt, ...)
{
    char ptr[64];
    snprintf(ptr, sizeof ptr, "/depends_on/%zu", dep);
    int line = 0, col = 0;
    if (c->depends_on_pos) {
        line = c->depends_on_pos[dep].line;
        col = c->depends_on_pos[dep].column;
    }
    va_list ap;
    va_start(ap, fmt);
    tc_diags_addv(d, c->file ? c->file : (c->id ? c->id : "?"), line, col, ptr, fmt, ap);
    va_end(ap);
}

/* An id both cases carry (their own, or one of another ETS document: "also_in"), or NULL. */
static const char *shared_id(const tc_case *a, const tc_case *b)
{
    if (a->id && b->id && !strcmp(a->id, b->id))
        return a->id;
    for (size_t i = 0; i < a->ets_count; i++)
        for (size_t k = 0; k < b->ets_count; k++)
            if (a->ets[i].id && b->ets[k].id && !strcmp(a->ets[i].id, b->ets[k].id))
                return a->ets[i].id;
    return NULL;
}

static const char *label(const tc_case *c)
{
    return c->short_id ? c->short_id : tc_short_id(c->id);
}

/* known_ids: ids of definitions that failed to load, so depending on them is not reported
 * as an unknown id on top of their own errors. */
int tc_suite_order_known(tc_suite *s, const char *const *known_ids, size_t known_count,
                         tc_diags *diags, lc_error *err)
{
    size_t n = s->count;
    tc_diags local;
    tc_diags_init(&local);
    if (n == 0)
        return 0;
    /* dep[i][k] = index of the case the k-th depends_on of case i names, or -1. */
    long **dep = calloc(n, sizeof *dep);
    long *seen_at = calloc(n, sizeof *seen_at); /* position on the current walk, or -1 */
    bool *placed = calloc(n, sizeof *placed);
    bool *reported = calloc(n, sizeof *reported);
    long *walk = calloc(n + 1, sizeof *walk);
    size_t *walk_dep = calloc(n + 1, sizeof *walk_dep);
    tc_case **sorted = calloc(n, sizeof *sorted);
    int rc = 0;
    if (!dep || !seen_at || !placed || !reported || !walk || !walk_dep || !sorted) {
        rc = LC_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            const char *dup = shared_id(s->cases[i], s->cases[j]);
            if (dup)
                tc_diags_add(&local, s->cases[j]->file ? s->cases[j]->file : "?", 0, 0, "/id",
                             "duplicate id '%s' (also an id of %s)", dup,
                             s->cases[i]->file ? s->cases[i]->file : "another case");
        }
    for (size_t i = 0; i < n; i++) {
        const tc_case *c = s->cases[i];
        if (c->depends_on_count == 0)
            continue;
        dep[i] = calloc(c->depends_on_count, sizeof *dep[i]);
        if (!dep[i]) {
            rc = LC_ENOMEM;
            goto out;
        }
        for (size_t k = 0; k < c->depends_on_count; k++) {
            dep[i][k] = -1;
            for (size_t j = 0; j < n; j++)
                if (tc_case_matches(s->cases[j], c->depends_on[k])) {
                    dep[i][k] = (long)j;
                    break;
                }
            if (dep[i][k] < 0 && !matches_any(known_ids, known_count, c->depends_on[k]))
                dep_diag(&local, c, k, "depends on '%s', which is not in the suite",
                         c->depends_on[k]);
        }
    }
    /* Stable Kahn: always the first case (in the given order) whose dependencies are met. */
    size_t done = 0;
    for (bool progress = true; progress && done < n;) {
        progress = false;
        for (size_t i = 0; i < n; i++) {
            if (placed[i])
                continue;
            bool ready = true;
            for (size_t k = 0; k < s->cases[i]->depends_on_count && ready; k++)
                if (dep[i][k] >= 0 && !placed[dep[i][k]])
                    ready = false;
            if (ready) {
                placed[i] = true;
                sorted[done++] = s->cases[i];
                progress = true;
                break;
            }
        }
    }
    /* What is left waits on a cycle: every such case has an unplaced dependency, so
     * following them must come back to a case already on the walk. */
    for (size_t start = 0; start < n && done < n; start++) {
        if (placed[start] || reported[start])
            continue;
        size_t len = 0;
        long cur = (long)start;
        for (size_t i = 0; i < n; i++)
            if (!placed[i])
                seen_at[i] = -1;
        while (seen_at[cur] < 0) {
            seen_at[cur] = (long)len;
            walk[len] = cur;
            const tc_case *c = s->cases[cur];
            size_t k = 0;
            while (k < c->depends_on_count && (dep[cur][k] < 0 || placed[dep[cur][k]]))
                k++;
            walk_dep[len++] = k;
            cur = dep[cur][k];
        }
        size_t from = (size_t)seen_at[cur];
        bool again = false;
        for (size_t i = from; i < len; i++)
            if (reported[walk[i]])
                again = true;
        if (again)
            continue;
        /* Start the cycle at its first case in suite order, so the message is stable. */
        size_t first = from;
        for (size_t i = from; i < len; i++)
            if (walk[i] < walk[first])
                first = i;
        char msg[768];
        size_t m = (size_t)snprintf(msg, sizeof msg, "dependency cycle: ");
        size_t cyc = len - from;
        for (size_t t = 0; t <= cyc && m < sizeof msg; t++) {
            size_t i = from + (first - from + t) % cyc;
            m += (size_t)snprintf(msg + m, sizeof msg - m, "%s%s", t ? " -> " : "",
                                  label(s->cases[walk[i]]));
            reported[walk[i]] = true;
        }
        dep_diag(&local, s->cases[walk[first]], walk_dep[first], "%s", msg);
    }
    if (local.count == 0)
        memcpy(s->cases, sorted, n * sizeof *sorted);
out:
    if (dep)
        for (size_t i = 0; i < n; i++)
            free(dep[i]);
    free(dep);
    free(seen_at);
    free(placed);
    free(reported);
    free(walk);
    free(walk_dep);
    free(sorted);
    if (rc == 0 && local.count) {
        rc = LC_EINVAL;
        tc_diags_to_error(&local, 0, err, rc, "");
    } else if (rc == LC_ENOMEM) {
        lc_error_set(err, rc, "out of memory ordering the suite");
    }
    if (tc_diags_move(diags, &local) != 0 && rc == 0)
        rc = LC_ENOMEM;
    return rc;
}

int tc_suite_order(tc_suite *s, tc_diags *diags, lc_error *err)
{
    return tc_suite_order_known(s, NULL, 0, diags, err);
}
