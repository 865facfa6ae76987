#include "tc/diag.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tc_diags_init(tc_diags *d)
{
    d->items = NULL;
    d->count = d->cap = 0;
}

void tc_diags_free(tc_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->count; i++) {
        free(d->items[i].file);
        free(d->items[i].json_path);
        free(d->items[i].message);
    }
    free(d->items);
    tc_diags_init(d);
}

int tc_diags_addv(tc_diags *d, const char *file, int line, int column, const char *json_path,
                  const char *fmt, va_list ap)
{
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        tc_diag *items = realloc(d->items, cap * sizeof *items);
        if (!items)
            return LC_ENOMEM;
        d->items = items;
        d->cap = cap;
    }
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    tc_diag *e = &d->items[d->count];
    e->file = strdup(file ? file : "");
    e->json_path = json_path ? strdup(json_path) : NULL;
    e->message = strdup(msg);
    e->line = line;
    e->column = column;
    if (!e->file || !e->message || (json_path && !e->json_path)) {
        free(e->file);
        free(e->json_path);
        free(e->message);
        return LC_ENOMEM;
    }
    d->count++;
    return 0;
}

int tc_diags_add(tc_diags *d, const char *file, int line, int column, const char *json_path,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = tc_diags_addv(d, file, line, column, json_path, fmt, ap);
    va_end(ap);
    return rc;
}

int tc_diag_format(const tc_diag *d, char *buf, size_t cap)
{
    char pos[48] = "";
    if (d->line > 0)
        snprintf(pos, sizeof pos, ":%d:%d", d->line, d->column);
    bool has_path = d->json_path && d->json_path[0];
    return snprintf(buf, cap, "%s%s: %s%s%s", d->file ? d->file : "", pos,
                    has_path ? d->json_path : "", has_path ? ": " : "", d->message);
}

int tc_diags_move(tc_diags *dst, tc_diags *src)
{
    int rc = 0;
    for (size_t i = 0; i < src->count && dst; i++) {
        const tc_diag *e = &src->items[i];
        if (rc == 0)
            rc = tc_diags_add(dst, e->file, e->line, e->column, e->json_path, "%s", e->message);
    }
    tc_diags_free(src);
    return rc;
}

static int diag_cmp(const void *a, const void *b)
{
    const tc_diag *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->column != y->column)
        return x->column < y->column ? -1 : 1;
    return 0;
}

/* Insertion sort: equal positions keep their report order. */
void tc_diags_sort(tc_diags *d)
{
    for (size_t i = 1; i < d->count; i++) {
        tc_diag t = d->items[i];
        size_t j = i;
        while (j > 0 && diag_cmp(&d->items[j - 1], &t) > 0) {
            d->items[j] = d->items[j - 1];
            j--;
        }
        d->items[j] = t;
    }
}

int tc_diags_to_error(const tc_diags *d, size_t first, lc_error *err, int code, const char *prefix)
{
    if (!err || first >= d->count)
        return code;
    char one[1024];
    tc_diag_format(&d->items[first], one, sizeof one);
    size_t more = d->count - first - 1;
    if (more)
        return lc_error_set(err, code, "%s%s (and %zu more problem%s)", prefix, one, more,
                            more == 1 ? "" : "s");
    return lc_error_set(err, code, "%s%s", prefix, one);
}

void tc_diag_join(const char *const *list, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; list[i] && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", list[i]);
}

size_t tc_diag_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] == b[j - 1] ? 0 : 1);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *tc_diag_suggest(const char *const *list, const char *s)
{
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t i = 0; list[i]; i++) {
        size_t d = tc_diag_edit_distance(list[i], s);
        if (d < bestd && d < strlen(list[i])) {
            bestd = d;
            best = list[i];
        }
    }
    return best;
}
