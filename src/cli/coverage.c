/* list --all [--ets KEY]: every test case id of each ETS document (tc/etsdoc.h), or of the
 * one named, implemented or why not, as text or as the Markdown of docs/coverage.md (make
 * coverage). */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "tc/coverage.h"
#include "tc/etsdoc.h"

/* "LightweightM2M-1.0-int-101" -> "int-101"; "LightweightM2M-CONMGMT-1.0-int-1250" ->
 * "CONMGMT int-1250". */
static void display_id(const char *id, char *buf, size_t cap)
{
    const char *tail = strstr(id, "-int-");
    const char *lw = "LightweightM2M-";
    if (!tail) {
        snprintf(buf, cap, "%s", id);
        return;
    }
    const char *mid = id + (strncmp(id, lw, strlen(lw)) == 0 ? strlen(lw) : 0);
    /* a profile between the prefix and the version ("CONMGMT-1.0") is kept as a tag */
    const char *ver = mid;
    while (*ver && !(*ver >= '0' && *ver <= '9'))
        ver++;
    if (ver > mid + 1)
        snprintf(buf, cap, "%.*s %s", (int)(ver - mid - 1), mid, tail + 1);
    else
        snprintf(buf, cap, "%s", tail + 1);
}

/* The path of a definition from its testcases/ directory on ("testcases/int-0.json"), so
 * the Markdown is the same wherever the tool found its cases. */
static const char *repo_path(const char *file)
{
    const char *p = file, *hit = NULL;
    while ((p = strstr(p, "testcases/")) != NULL)
        hit = p++;
    return hit ? hit : file;
}

/* The kind of a reason: its text up to the first ':' ("pending", "needs a stimulus on the
 * device"), or all of it. */
static size_t reason_kind_len(const char *reason)
{
    const char *colon = strchr(reason, ':');
    return colon ? (size_t)(colon - reason) : strlen(reason);
}

static void print_kinds(logger *lg, const tc_coverage *cov, bool md)
{
    for (size_t i = 0; i < cov->count; i++) {
        const tc_coverage_entry *e = &cov->entries[i];
        if (e->implemented_by)
            continue;
        size_t len = reason_kind_len(e->reason);
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = !cov->entries[k].implemented_by &&
                   reason_kind_len(cov->entries[k].reason) == len &&
                   !strncmp(cov->entries[k].reason, e->reason, len);
        if (seen)
            continue;
        size_t n = 0;
        for (size_t k = i; k < cov->count; k++)
            n += !cov->entries[k].implemented_by &&
                 reason_kind_len(cov->entries[k].reason) == len &&
                 !strncmp(cov->entries[k].reason, e->reason, len);
        log_out(lg, md ? "- %.*s: %zu\n" : "  %.*s: %zu\n", (int)len, e->reason, n);
    }
}

static void print_text(logger *lg, const tc_etsdoc *doc, const char *path, const tc_coverage *cov)
{
    log_out(lg, "%s (%s): %zu test case ids, %zu implemented, %zu not; %zu with a procedure, "
            "%zu of them implemented:\n", doc->title, path, cov->count, cov->implemented,
            cov->count - cov->implemented, cov->procedures, cov->procedures_implemented);
    print_kinds(lg, cov, false);
    log_out(lg, "\n");
    for (size_t i = 0; i < cov->count; i++) {
        const tc_coverage_entry *e = &cov->entries[i];
        char id[96];
        display_id(e->id, id, sizeof id);
        log_out(lg, "%-11s %-17s %-60.60s %s%s\n", e->section, id, e->title,
                e->implemented_by ? "implemented" : "",
                e->implemented_by ? "" : e->reason);
    }
    log_out(lg, "\n");
}

static void print_text_readings(logger *lg, const tc_coverage *cov)
{
    if (cov->reading_count) {
        log_out(lg, "\nthe tool's own readings of the core specification (advisory; run with "
                "--readings):\n");
        for (size_t i = 0; i < cov->reading_count; i++) {
            const tc_case *c = cov->readings[i];
            log_out(lg, "%-11s %-17s %-60.60s %s\n", "-", c->short_id, c->title, c->source);
        }
    }
}

/* A table cell: '|' escaped, nothing else to do for these texts. */
static void md_cell(logger *lg, const char *s)
{
    log_out(lg, " ");
    for (; *s; s++) {
        if (*s == '|')
            log_out(lg, "\\|");
        else
            log_out(lg, "%c", *s);
    }
    log_out(lg, " |");
}

static void print_markdown(logger *lg, const tc_etsdoc *doc, const tc_coverage *cov)
{
    log_out(lg, "## ETS %s\n\n"
            "Every test case id of the %s, read from %s, listed in `testcases/%s`: implemented "
            "by a case file in `testcases/` (one definition per case, also when both documents "
            "hold it), or why not.\n\n"
            "**%zu of the %zu ids of ETS %s are implemented** (%zu of the %zu with a procedure). "
            "Not implemented: %zu.\n\n",
            doc->key, doc->title, doc->origin, doc->tsv, cov->implemented, cov->count, doc->key,
            cov->procedures_implemented, cov->procedures, cov->count - cov->implemented);
    print_kinds(lg, cov, true);
    log_out(lg, "\n| section | id | title | status |\n|---|---|---|---|\n");
    for (size_t i = 0; i < cov->count; i++) {
        const tc_coverage_entry *e = &cov->entries[i];
        char id[96], status[700];
        display_id(e->id, id, sizeof id);
        if (e->implemented_by)
            snprintf(status, sizeof status, "implemented: `%s`", repo_path(e->implemented_by->file));
        else
            snprintf(status, sizeof status, "%s", e->reason);
        log_out(lg, "|");
        md_cell(lg, e->section);
        md_cell(lg, id);
        md_cell(lg, e->title);
        md_cell(lg, status);
        log_out(lg, "\n");
    }
}

static void print_markdown_readings(logger *lg, const tc_coverage *cov)
{
    if (cov->reading_count) {
        log_out(lg, "\n## The tool's own readings (advisory)\n\n"
                "Not ETS text: the tool's reading of the core specification. They run only with "
                "`--readings` and decide the exit code only with `--strict`.\n\n"
                "| id | title | source | file |\n|---|---|---|---|\n");
        for (size_t i = 0; i < cov->reading_count; i++) {
            const tc_case *c = cov->readings[i];
            char file[600];
            snprintf(file, sizeof file, "`%s`", repo_path(c->file));
            log_out(lg, "|");
            md_cell(lg, c->short_id);
            md_cell(lg, c->title);
            md_cell(lg, c->source);
            md_cell(lg, file);
            log_out(lg, "\n");
        }
    }
}

int cli_cmd_list_all(cli_args *a, const tc_suite *suite, logger *lg)
{
    size_t ndocs;
    const tc_etsdoc *docs = tc_etsdoc_all(&ndocs);
    const tc_etsdoc *only = NULL;
    if (a->ets && !(only = tc_etsdoc_find(a->ets))) {
        char keys[128];
        tc_etsdoc_keys(keys, sizeof keys);
        log_error(lg, "--ets %s: no such ETS document (known: %s)", a->ets, keys);
        return EXIT_USAGE;
    }
    if (a->markdown)
        log_out(lg, "# ETS coverage\n\n"
                "<!-- Generated by `make coverage` (lwm2m-conform list --all --markdown) from\n"
                "     the testcases/ets-*.tsv files and the case files. Do not edit: `make test` "
                "checks it is current. -->\n\n"
                "The tool plays the cases of two ETS documents. A case both hold is one "
                "definition carrying both ids (`also_in`, see docs/testcase-format.md); which "
                "cases apply to a device is decided by the LwM2M version it registers with.\n\n");
    tc_coverage last = {0};
    bool have_last = false;
    int rc = EXIT_PASS;
    for (size_t d = 0; d < ndocs && rc == EXIT_PASS; d++) {
        if (only && only != &docs[d])
            continue;
        char path[PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/%s", a->cases_dir, docs[d].tsv);
        tc_coverage cov;
        lc_error err = {0};
        if (tc_coverage_load(path, docs[d].key, suite, &cov, &err) < 0) {
            log_error(lg, "%s", err.msg);
            rc = err.code == LC_ENOMEM ? EXIT_TOOL : EXIT_USAGE;
            break;
        }
        if (a->markdown)
            print_markdown(lg, &docs[d], &cov);
        else
            print_text(lg, &docs[d], path, &cov);
        if (have_last)
            tc_coverage_free(&last);
        last = cov;
        have_last = true;
    }
    if (have_last && rc == EXIT_PASS) {
        if (a->markdown)
            print_markdown_readings(lg, &last);
        else
            print_text_readings(lg, &last);
    }
    if (have_last)
        tc_coverage_free(&last);
    return rc;
}
