#include "tc/loader.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tc/case_checks.h"
#include "tc/coverage.h"
#include "tc/etsdoc.h"
#include "tc/fields.h"
#include "tc/jsonpos.h"
#include "tc/load_criteria.h"
#include "tc/load_steps.h"
#include "tc/rules.h"
#include "tc/suite.h"

/* ------------------------------------------------------------------------------------ */
/* The case                                                                             */

static void check_id(tcf_ctx *x, const char *ptr, const char *id)
{
    static const char prefix[] = "LightweightM2M-";
    const char *p = id + sizeof prefix - 1;
    bool ok = strncmp(id, prefix, sizeof prefix - 1) == 0 && *p >= '0' && *p <= '9';
    if (ok) {
        while ((*p >= '0' && *p <= '9') || *p == '.')
            p++;
        ok = *p == '-' && p[1] != '\0' && !strchr(p + 1, ' ');
    }
    if (!ok)
        tcf_report(x, ptr, false,
                   "'%s' is not a full OMA test case id (expected e.g. "
                   "\"LightweightM2M-1.0-int-951\")",
                   id);
}

/* "source" says where the case comes from: an ETS document ("OMA-ETS-…"), with its
 * section, or the tool's own reading of the core specification, with the reference. ptr is
 * where the source is ("/source", "/also_in/0/source"); for the source of an ETS document
 * the tool knows (tc/etsdoc.h) the section is copied into section (cap bytes) and the
 * document returned; NULL for any other. */
static const tc_etsdoc *check_source(tcf_ctx *x, const char *ptr, const char *s, bool *reading,
                                     char *section, size_t cap)
{
    static const char reading_prefix[] = "tool reading: ";
    *reading = false;
    if (strncmp(s, reading_prefix, sizeof reading_prefix - 1) == 0) {
        *reading = true;
        if (strlen(s + sizeof reading_prefix - 1) < 3)
            tcf_report(x, ptr, false,
                       "a tool reading names the core-specification text it reads, e.g. "
                       "\"tool reading: LwM2M TS 1.0 \u00a75.2.5\"");
        return NULL;
    }
    const tc_etsdoc *doc = tc_etsdoc_of_source(s);
    static const char ets[] = "OMA-ETS-";
    if (strncmp(s, ets, sizeof ets - 1) != 0 || !tc_source_section(s, section, cap)) {
        size_t n;
        const tc_etsdoc *all = tc_etsdoc_all(&n);
        char names[256] = "";
        for (size_t i = 0; i < n; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s\"%s \u00a7…\"",
                     i ? ", " : "", all[i].name);
        tcf_report(x, ptr, false,
                   "'source' is either the ETS with its section (%s) or \"tool "
                   "reading: \" and the core-specification reference (\"tool reading: LwM2M "
                   "TS 1.0 \u00a75.2.5\"), not '%s'",
                   names, s);
        return NULL;
    }
    /* another "OMA-ETS-" document loads, but is in no coverage: `list --all` says so */
    return doc;
}

static void add_ets(tcf_ctx *x, tc_case *c, const tc_etsdoc *doc, const char *id,
                    const char *section, const char *source)
{
    tc_ets_ref *r = &c->ets[c->ets_count++];
    r->document = doc->key;
    r->id = tcf_strdup(x, id);
    r->short_id = tcf_strdup(x, tc_short_id(id));
    r->section = tcf_strdup(x, section);
    r->source = tcf_strdup(x, source);
}

/* "also_in": [{"id": "LightweightM2M-1.1-int-101", "source": "OMA-ETS-…_INT-V1_2 §6.2.1 …"}]:
 * the same case in another ETS document, under its id there. */
static void load_also_in(tcf_ctx *x, const json_t *arr, tc_case *c)
{
    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        tcf_report(x, "/also_in", false,
                   "'also_in' must be a non-empty array of {\"id\", \"source\"} objects, one per "
                   "other ETS document that holds this case, not %s",
                   tcf_jtype(arr));
        return;
    }
    if (c->tool_reading) {
        tcf_report(x, "/also_in", true,
                   "a tool reading is in no ETS document: 'also_in' is for ETS cases only");
        return;
    }
    size_t n = json_array_size(arr);
    tc_ets_ref *grown = realloc(c->ets, (c->ets_count + n) * sizeof *grown);
    if (!grown) {
        x->oom = true;
        return;
    }
    c->ets = grown;
    memset(c->ets + c->ets_count, 0, n * sizeof *grown);
    static const char *const keys[] = {"id", "source", "comment", NULL};
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(arr, i);
        char base[64], ptr[96];
        tcf_ptr_idx(base, sizeof base, "/also_in", i);
        if (!json_is_object(e)) {
            tcf_report(x, base, false, "expected an object {\"id\", \"source\"}, not %s",
                       tcf_jtype(e));
            continue;
        }
        tcf_check_keys(x, e, base, keys);
        char *id = tcf_take_string(x, e, base, "id", true);
        char *source = tcf_take_string(x, e, base, "source", true);
        if (id) {
            snprintf(ptr, sizeof ptr, "%s/id", base);
            check_id(x, ptr, id);
        }
        if (id && source) {
            bool reading;
            char section[64];
            snprintf(ptr, sizeof ptr, "%s/source", base);
            const tc_etsdoc *doc = check_source(x, ptr, source, &reading, section, sizeof section);
            char known[128];
            tc_etsdoc_keys(known, sizeof known);
            if (reading)
                tcf_report(x, ptr, false, "an 'also_in' source names an ETS document, not a tool "
                           "reading");
            else if (!doc && strncmp(source, "OMA-ETS-", 8) == 0)
                tcf_report(x, ptr, false, "an 'also_in' source names an ETS document the tool "
                           "knows (%s): '%s'", known, source);
            else if (doc && tc_case_ets(c, doc->key))
                tcf_report(x, ptr, false, "the case is already in %s as %s: one id per document",
                           doc->key, tc_case_ets(c, doc->key)->id);
            else if (doc)
                add_ets(x, c, doc, id, section, source);
        }
        free(id);
        free(source);
    }
}

/* "variables": {"lifetime": 20, …}: names the case uses as ${var.NAME}, with defaults a
 * run may override (--var NAME=VALUE). */
static void load_variables(tcf_ctx *x, const json_t *obj, tc_case *c)
{
    if (!json_is_object(obj)) {
        tcf_report(x, "/variables", false,
                   "'variables' must be an object such as {\"lifetime\": 20}, not %s",
                   tcf_jtype(obj));
        return;
    }
    size_t n = json_object_size(obj);
    c->variables = tcf_calloc(x, n, sizeof *c->variables);
    if (n && !c->variables)
        return;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        char ptr[512];
        tcf_ptr_key(ptr, sizeof ptr, "/variables", key);
        bool ok = *key != '\0';
        for (const char *p = key; *p && ok; p++)
            ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
        if (!ok) {
            tcf_report(x, ptr, true,
                       "variable name '%s': lower-case letters, digits and '_' only", key);
            continue;
        }
        if (!json_is_string(v) && !json_is_number(v) && !json_is_boolean(v)) {
            tcf_report(x, ptr, false,
                       "variable '%s' needs a default: a string, number or boolean, not %s",
                       key, tcf_jtype(v));
            continue;
        }
        tc_kv *kv = &c->variables[c->variable_count++];
        kv->name = tcf_strdup(x, key);
        kv->value = tcf_scalar_text(x, v);
    }
    x->case_vars = c->variables;
    x->case_var_count = c->variable_count;
}

static tc_case *load_case(tcf_ctx *x, const json_t *root)
{
    tc_case *c = tcf_calloc(x, 1, sizeof *c);
    if (!c)
        return NULL;
    tcf_check_keys(x, root, "", tc_keys_top);
    json_t *v = json_object_get(root, "$schema");
    if (v && !json_is_string(v))
        tcf_report(x, "/$schema", false, "'$schema' must be a string, not %s", tcf_jtype(v));
    v = json_object_get(root, "comment");
    if (v && !json_is_string(v))
        tcf_report(x, "/comment", false, "'comment' must be a string, not %s", tcf_jtype(v));

    c->id = tcf_take_string(x, root, "", "id", true);
    if (c->id) {
        check_id(x, "/id", c->id);
        c->short_id = tcf_strdup(x, tc_short_id(c->id));
    }
    c->title = tcf_take_string(x, root, "", "title", true);
    c->spec_ref = tcf_take_string(x, root, "", "spec_ref", true);
    c->source = tcf_take_string(x, root, "", "source", true);
    if (c->source) {
        char section[64];
        const tc_etsdoc *doc =
            check_source(x, "/source", c->source, &c->tool_reading, section, sizeof section);
        if (doc && c->id && (c->ets = tcf_calloc(x, 1, sizeof *c->ets)) != NULL)
            add_ets(x, c, doc, c->id, section, c->source);
    }
    if ((v = json_object_get(root, "also_in")))
        load_also_in(x, v, c);
    c->object = tcf_take_string(x, root, "", "object", true);
    c->area = tcf_take_string(x, root, "", "area", true);
    if (c->area) {
        bool ok = (c->area[0] >= 'a' && c->area[0] <= 'z');
        for (const char *p = c->area; *p && ok; p++)
            ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.';
        if (!ok)
            tcf_report(x, "/area", false,
                       "'area' is a JUnit classname: lower-case letters, digits, '-' and '.', "
                       "such as \"multi-server\", not '%s'",
                       c->area);
    }
    c->description = tcf_take_string(x, root, "", "description", true);
    c->configuration = tcf_take_string(x, root, "", "configuration", true);
    c->preconditions =
        tcf_take_string_array(x, root, "", "preconditions", &c->precondition_count, NULL);
    c->depends_on =
        tcf_take_string_array(x, root, "", "depends_on", &c->depends_on_count, &c->depends_on_pos);
    for (size_t i = 0; i < c->depends_on_count && c->id; i++)
        if (tc_case_matches(c, c->depends_on[i])) {
            char ptr[64];
            tcf_ptr_idx(ptr, sizeof ptr, "/depends_on", i);
            tcf_report(x, ptr, false, "a case cannot depend on itself");
        }
    c->requires = tcf_take_string_array(x, root, "", "requires", &c->requires_count, NULL);
    for (size_t i = 0; i < c->requires_count; i++) {
        if (strcmp(c->requires[i], "lwm2m-1.1") == 0 || strcmp(c->requires[i], "lwm2m-1.2") == 0)
            x->lwm2m11 = true;
        int obj;
        const char *vpath;
        if (!tc_rules_has(tc_rules_features, c->requires[i]) &&
            !tc_rules_object_feature(c->requires[i], &obj) &&
            !tc_rules_value_feature(c->requires[i], &vpath) &&
            !tc_rules_no_value_feature(c->requires[i], &vpath)) {
            char ptr[64], all[256];
            tcf_ptr_idx(ptr, sizeof ptr, "/requires", i);
            tc_diag_join(tc_rules_features, all, sizeof all);
            const char *s = tc_diag_suggest(tc_rules_features, c->requires[i]);
            tcf_report(x, ptr, false, "unknown feature '%s'%s%s%s (expected one of: %s, object:N, value:/O/I/R, no-value:/O/I/R)",
                       c->requires[i], s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "",
                       all);
        }
    }
    if ((v = json_object_get(root, "device_reset"))) {
        if (json_is_string(v) && strcmp(json_string_value(v), "factory") == 0)
            c->device_reset = TC_RESET_FACTORY;
        else if (json_is_string(v) && strcmp(json_string_value(v), "restart") == 0)
            c->device_reset = TC_RESET_RESTART;
        else
            tcf_report(x, "/device_reset", false,
                       "'device_reset' can only be \"factory\" (the device starts from its factory "
                       "bootstrap configuration) or \"restart\" (it starts the case anew with "
                       "its configuration); leave it out otherwise");
    }
    if ((v = json_object_get(root, "variables")))
        load_variables(x, v, c);
    if ((v = tcf_member(x, root, "", "steps", true)))
        tc_load_steps(x, v, c);
    if ((v = tcf_member(x, root, "", "pass_criteria", true)))
        tc_load_criteria(x, v, c);
    /* the case-wide rules (every step judged, every wait bounded, counts no tighter than
     * the tolerance) once its own fields are sound: on a half-loaded case they are noise */
    if (c->steps && c->criteria && x->diags.count == 0)
        tc_check_case(x, c);
    c->file = tcf_strdup(x, x->file);
    return c;
}

/* Rewrites jansson's terse syntax messages to say what was expected and the usual cause. */
static void syntax_message(const char *jtext, char *out, size_t cap)
{
    static const struct {
        const char *head, *say, *hint;
    } map[] = {
        {"'}' expected near ", "expected ',' or '}' before ", " (a missing comma?)"},
        {"']' expected near ", "expected ',' or ']' before ", " (a missing comma?)"},
        {"string or '}' expected near ", "expected a key in double quotes or '}' at ",
         " (a trailing comma?)"},
        {"':' expected near ", "expected ':' after the key, at ", ""},
        {"duplicate object key near '", "duplicate key ", " (each key may appear once)"},
        {"unexpected token near ", "expected a value at ", ""},
        {"invalid token near ", "invalid token ",
         " (strings need double quotes; true, false and null are lower case)"},
        {"end of file expected near ", "unexpected text after the definition's closing '}' at ",
         ""},
        {"'[' or '{' expected near ", "a definition is a JSON object: expected '{' at ", ""},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        size_t hl = strlen(map[i].head);
        if (strncmp(jtext, map[i].head, hl) == 0) {
            /* The duplicate key is a string token: show it once quoted, not in '"…"'. */
            size_t tl = strlen(jtext + hl);
            if (map[i].head[hl - 1] == '\'' && tl > 0 && jtext[hl + tl - 1] == '\'')
                tl--;
            snprintf(out, cap, "syntax error: %s%.*s%s", map[i].say, (int)tl, jtext + hl,
                     map[i].hint);
            return;
        }
    }
    snprintf(out, cap, "syntax error: %s", jtext);
}

/* jansson places a syntax error after the offending token; a reader wants its start. */
static void syntax_position(const char *text, size_t len, const json_error_t *je, int *line,
                            int *column)
{
    *line = je->line > 0 ? je->line : 1;
    *column = je->column > 0 ? je->column : 1;
    const char *near = strstr(je->text, "near '");
    size_t end = (size_t)je->position;
    if (end > len)
        return;
    if (!near) {
        if (strstr(je->text, "near end of file"))
            jsonpos_line_col(text, len, end, line, column);
        return;
    }
    near += 6;
    const char *close = strrchr(near, '\'');
    if (!close || close < near)
        return;
    size_t tl = (size_t)(close - near);
    if (tl > end || memcmp(text + end - tl, near, tl) != 0)
        return; /* the message truncated the token: keep jansson's position */
    jsonpos_line_col(text, len, end - tl, line, column);
}

static int load_text(const char *text, size_t len, const char *name, tc_case **out, tc_diags *diags,
                     char **id_out)
{
    *out = NULL;
    if (id_out)
        *id_out = NULL;
    tcf_ctx x = {.file = name, .text = text, .len = len};
    tc_diags_init(&x.diags);
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    tc_case *c = NULL;
    if (!root) {
        char msg[400];
        int line, col;
        syntax_message(je.text, msg, sizeof msg);
        syntax_position(text, len, &je, &line, &col);
        if (tc_diags_add(&x.diags, name, line, col, NULL, "%s", msg) != 0)
            x.oom = true;
    } else if (!json_is_object(root)) {
        tcf_report(&x, "", false,
                   "a definition is a JSON object ({ \"id\": …, \"steps\": … }), "
                   "not %s",
                   tcf_jtype(root));
    } else {
        c = load_case(&x, root);
        json_t *id = json_object_get(root, "id");
        if (id_out && json_is_string(id))
            *id_out = strdup(json_string_value(id));
    }
    json_decref(root);
    tc_diags_sort(&x.diags);
    int rc = x.oom ? LC_ENOMEM : x.diags.count ? LC_EINVAL : 0;
    if (rc != 0) {
        tc_case_free(c);
        c = NULL;
    }
    if (tc_diags_move(diags, &x.diags) != 0 && rc == 0)
        rc = LC_ENOMEM;
    if (rc != 0)
        tc_case_free(c);
    else
        *out = c;
    return rc;
}

int tc_load_string(const char *text, size_t len, const char *name, tc_case **out, tc_diags *diags)
{
    return load_text(text, len, name, out, diags, NULL);
}

static int read_file(const char *path, char **text, size_t *len, tc_diags *diags)
{
    *text = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (diags)
            tc_diags_add(diags, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
        return LC_EIO;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        if (cap >= (size_t)16 << 20) { /* no definition is this large */
            free(buf);
            fclose(f);
            if (diags)
                tc_diags_add(diags, path, 0, 0, NULL, "file larger than 16 MiB");
            return LC_EIO;
        }
        cap *= 2;
        char *nb = realloc(buf, cap + 1);
        if (!nb) {
            free(buf);
            buf = NULL;
        } else {
            buf = nb;
        }
    }
    bool failed = !buf || ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        if (diags)
            tc_diags_add(diags, path, 0, 0, NULL, "cannot read: %s",
                         buf ? strerror(errno) : "out of memory");
        return buf ? LC_EIO : LC_ENOMEM;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

static int load_file(const char *path, tc_case **out, tc_diags *diags, char **id_out)
{
    char *text;
    size_t len;
    *out = NULL;
    if (id_out)
        *id_out = NULL;
    int rc = read_file(path, &text, &len, diags);
    if (rc != 0)
        return rc;
    rc = load_text(text, len, path, out, diags, id_out);
    free(text);
    return rc;
}

int tc_load_file_diags(const char *path, tc_case **out, tc_diags *diags)
{
    return load_file(path, out, diags, NULL);
}

int tc_load_file(const char *path, tc_case **out, lc_error *err)
{
    tc_diags d;
    tc_diags_init(&d);
    int rc = load_file(path, out, &d, NULL);
    if (rc != 0) {
        if (d.count)
            tc_diags_to_error(&d, 0, err, rc, "");
        else
            lc_error_set(err, rc, "%s: %s", path, lc_strerror(rc));
    }
    tc_diags_free(&d);
    return rc;
}

/* Definitions sort by file name, whichever directory holds them, so a suite read from
 * testcases/ and testcases/readings/ keeps the order of one directory. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int name_cmp(const void *a, const void *b)
{
    int c = strcmp(base_name(*(char *const *)a), base_name(*(char *const *)b));
    return c ? c : strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_definition_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* Appends the paths of dir's definitions to *paths. LC_EIO (in all) when dir cannot be
 * opened, LC_ENOMEM. */
static int collect_paths(const char *dir, char ***paths, size_t *count, size_t *cap, tc_diags *all,
                         lc_error *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        int e = errno;
        tc_diags_add(all, dir, 0, 0, NULL, "cannot open the test definition directory: %s",
                     strerror(e));
        lc_error_set(err, LC_EIO, "%s: cannot open the test definition directory: %s", dir,
                     strerror(e));
        return LC_EIO;
    }
    int rc = 0;
    size_t dl = strlen(dir);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!is_definition_name(de->d_name))
            continue;
        if (*count == *cap) {
            size_t nc = *cap ? *cap * 2 : 16;
            char **nn = realloc(*paths, nc * sizeof *nn);
            if (!nn) {
                rc = LC_ENOMEM;
                break;
            }
            *paths = nn;
            *cap = nc;
        }
        size_t pl = dl + 1 + strlen(de->d_name) + 1;
        char *path = malloc(pl);
        if (!path) {
            rc = LC_ENOMEM;
            break;
        }
        snprintf(path, pl, "%s%s%s", dir, (dl && dir[dl - 1] == '/') ? "" : "/", de->d_name);
        (*paths)[(*count)++] = path;
    }
    closedir(d);
    return rc;
}

int tc_load_dir(const char *dir, tc_suite *out, tc_diags *diags, lc_error *err)
{
    return tc_load_dirs(&dir, 1, out, diags, err);
}

int tc_load_dirs(const char *const *dirs, size_t dir_count, tc_suite *out, tc_diags *diags,
                 lc_error *err)
{
    out->cases = NULL;
    out->count = 0;
    tc_diags all;
    tc_diags_init(&all);
    const char *dir = dir_count ? dirs[0] : ".";
    char **names = NULL;
    size_t count = 0, cap = 0;
    int rc = 0;
    for (size_t k = 0; k < dir_count && rc == 0; k++)
        rc = collect_paths(dirs[k], &names, &count, &cap, &all, err);
    if (rc == LC_EIO) {
        for (size_t i = 0; i < count; i++)
            free(names[i]);
        free(names);
        tc_diags_move(diags, &all);
        return LC_EIO;
    }
    if (rc == 0 && count == 0) {
        tc_diags_add(&all, dir, 0, 0, NULL, "no test definitions (*.json) in this directory");
        lc_error_set(err, LC_ENOTFOUND, "%s: no test definitions (*.json) in this directory", dir);
        rc = LC_ENOTFOUND;
    }
    if (names)
        qsort(names, count, sizeof *names, name_cmp);

    char **broken_ids = calloc(count ? count : 1, sizeof *broken_ids);
    size_t broken = 0, failed_files = 0;
    if (!broken_ids)
        rc = LC_ENOMEM;
    out->cases = rc == 0 ? calloc(count, sizeof *out->cases) : NULL;
    if (rc == 0 && !out->cases)
        rc = LC_ENOMEM;
    for (size_t i = 0; i < count && rc != LC_ENOMEM; i++) {
        tc_case *c = NULL;
        char *id = NULL;
        int lrc = load_file(names[i], &c, &all, &id);
        if (lrc == 0) {
            out->cases[out->count++] = c;
            free(id);
        } else {
            failed_files++;
            if (id)
                broken_ids[broken++] = id;
            if (lrc == LC_ENOMEM)
                rc = LC_ENOMEM;
            else if (rc == 0)
                rc = lrc == LC_EIO ? LC_EIO : LC_EINVAL;
        }
    }
    size_t file_problems = all.count;
    if (rc != LC_ENOMEM && rc != LC_ENOTFOUND && out->cases) {
        int orc = tc_suite_order_known(out, (const char *const *)broken_ids, broken, &all, NULL);
        if (orc != 0 && rc == 0)
            rc = orc;
    }
    for (size_t i = 0; i < broken; i++)
        free(broken_ids[i]);
    free(broken_ids);
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);

    if (rc != 0) {
        tc_suite_free(out);
        if (rc == LC_ENOMEM) {
            lc_error_set(err, rc, "%s: out of memory loading test definitions", dir);
        } else if (all.count && rc != LC_ENOTFOUND) {
            char prefix[256];
            size_t suite_problems = all.count - file_problems;
            if (failed_files)
                snprintf(prefix, sizeof prefix, "%s: %zu of %zu definitions have problems: ",
                         dir, failed_files, count);
            else
                snprintf(prefix, sizeof prefix, "%s: %zu problem%s across definitions: ", dir,
                         suite_problems, suite_problems == 1 ? "" : "s");
            tc_diags_to_error(&all, 0, err, rc, prefix);
        }
    }
    if (tc_diags_move(diags, &all) != 0 && rc == 0)
        rc = LC_ENOMEM;
    if (rc != 0 && out->cases) /* only when moving diags ran out of memory */
        tc_suite_free(out);
    return rc;
}
