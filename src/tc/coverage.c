#include "tc/coverage.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE 1024

void tc_coverage_free(tc_coverage *cov)
{
    if (!cov)
        return;
    for (size_t i = 0; i < cov->count; i++) {
        free(cov->entries[i].section);
        free(cov->entries[i].id);
        free(cov->entries[i].title);
        free(cov->entries[i].reason);
    }
    free(cov->entries);
    free(cov->readings);
    *cov = (tc_coverage){0};
}

bool tc_source_section(const char *source, char *buf, size_t cap)
{
    const char *s = source ? strstr(source, "\xc2\xa7") : NULL; /* "§" in UTF-8 */
    if (!s || cap == 0)
        return false;
    s += 2;
    size_t n = strspn(s, "0123456789.");
    while (n > 0 && s[n - 1] == '.')
        n--;
    if (n == 0 || n >= cap)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return true;
}

/* Splits line (without its newline) at tabs into exactly four fields. */
static bool split4(char *line, char *f[4])
{
    f[0] = line;
    for (int i = 1; i < 4; i++) {
        char *tab = strchr(f[i - 1], '\t');
        if (!tab)
            return false;
        *tab = '\0';
        f[i] = tab + 1;
    }
    return strchr(f[3], '\t') == NULL;
}

static int add_entry(tc_coverage *cov, char *f[4])
{
    tc_coverage_entry *e = realloc(cov->entries, (cov->count + 1) * sizeof *e);
    if (!e)
        return LC_ENOMEM;
    cov->entries = e;
    e = &cov->entries[cov->count];
    *e = (tc_coverage_entry){strdup(f[0]), strdup(f[1]), strdup(f[2]), strdup(f[3]), NULL};
    cov->count++;
    if (!e->section || !e->id || !e->title || !e->reason)
        return LC_ENOMEM;
    return 0;
}

static int read_file(const char *path, tc_coverage *cov, lc_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return lc_error_set(err, LC_EIO, "cannot read %s: %s", path, strerror(errno));
    char line[MAX_LINE];
    int lineno = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            rc = lc_error_set(err, LC_EINVAL, "%s:%d: line longer than %d characters", path,
                              lineno, MAX_LINE - 2);
            break;
        }
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        char *fld[4];
        if (!split4(line, fld) || !*fld[0] || !*fld[1] || !*fld[2]) {
            rc = lc_error_set(err, LC_EINVAL, "%s:%d: expected four tab-separated fields: "
                              "section, id, title, reason (the reason may be empty)", path, lineno);
            break;
        }
        for (size_t i = 0; i < cov->count && rc == 0; i++)
            if (!strcmp(cov->entries[i].id, fld[1]))
                rc = lc_error_set(err, LC_EINVAL, "%s:%d: %s is listed twice", path, lineno, fld[1]);
        if (rc == 0 && (rc = add_entry(cov, fld)) < 0)
            lc_error_set(err, rc, "%s: out of memory", path);
    }
    if (rc == 0 && ferror(f))
        rc = lc_error_set(err, LC_EIO, "cannot read %s: %s", path, strerror(errno));
    fclose(f);
    return rc;
}

static int match_suite(const char *path, const char *document, const tc_suite *suite,
                       tc_coverage *cov, lc_error *err)
{
    cov->readings = calloc(suite->count ? suite->count : 1, sizeof *cov->readings);
    if (!cov->readings)
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    for (size_t k = 0; k < suite->count; k++) {
        const tc_case *c = suite->cases[k];
        if (c->tool_reading) {
            cov->readings[cov->reading_count++] = c;
            continue;
        }
        if (c->ets_count == 0)
            return lc_error_set(err, LC_EINVAL, "%s: the source \"%s\" names no ETS document "
                                "the tool knows (OMA-ETS-LightweightM2M-V1_0_1, "
                                "OMA-ETS-LightweightM2M_INT-V1_2)", c->file ? c->file : c->id,
                                c->source ? c->source : "");
        const tc_ets_ref *ref = tc_case_ets(c, document);
        if (!ref)
            continue; /* a case of another document only */
        tc_coverage_entry *e = NULL;
        for (size_t i = 0; i < cov->count && !e; i++)
            if (!strcmp(cov->entries[i].id, ref->id))
                e = &cov->entries[i];
        if (!e)
            return lc_error_set(err, LC_EINVAL, "%s: the ETS case %s (%s) is not a test case of "
                                "the document listed in %s", c->file ? c->file : c->id, ref->id,
                                ref->source ? ref->source : "no source", path);
        if (!ref->section || strcmp(ref->section, e->section))
            return lc_error_set(err, LC_EINVAL, "%s: source \"%s\" does not name section \u00a7%s, "
                                "where %s lists %s", c->file ? c->file : c->id,
                                ref->source ? ref->source : "", e->section, path, ref->id);
        if (e->implemented_by)
            return lc_error_set(err, LC_EINVAL, "%s: %s is implemented twice, also by %s",
                                c->file ? c->file : c->id, ref->id,
                                e->implemented_by->file ? e->implemented_by->file : "another case");
        e->implemented_by = c;
        cov->implemented++;
    }
    for (size_t i = 0; i < cov->count; i++) {
        tc_coverage_entry *e = &cov->entries[i];
        if (!e->implemented_by && !*e->reason)
            return lc_error_set(err, LC_EINVAL, "%s: %s has no case file and no reason why not",
                                path, e->id);
        if (!tc_coverage_no_procedure(e->reason) || e->implemented_by) {
            cov->procedures++;
            cov->procedures_implemented += e->implemented_by != NULL;
        }
    }
    return 0;
}

bool tc_coverage_no_procedure(const char *reason)
{
    static const char np[] = "no procedure";
    return reason && strncmp(reason, np, sizeof np - 1) == 0;
}

int tc_coverage_load(const char *path, const char *document, const tc_suite *suite,
                     tc_coverage *out, lc_error *err)
{
    *out = (tc_coverage){0};
    int rc = read_file(path, out, err);
    if (rc == 0)
        rc = match_suite(path, document, suite, out, err);
    if (rc < 0)
        tc_coverage_free(out);
    return rc;
}
