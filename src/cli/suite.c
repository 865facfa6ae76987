/* list and validate: the commands that read test definitions without a device. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "run/devfacts.h"
#include "tc/rules.h"

int cli_cmd_validate(cli_args *a, logger *lg)
{
    if (a->file_count == 0) {
        log_error(lg, "validate needs one or more definition files");
        return EXIT_USAGE;
    }
    size_t bad = 0;
    for (int i = 0; i < a->file_count; i++) {
        tc_diags d;
        tc_diags_init(&d);
        struct stat st;
        if (stat(a->files[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            /* a directory is checked as a suite: ids, dependencies and cycles too */
            tc_suite suite = {0};
            lc_error err = {0};
            if (tc_load_dir(a->files[i], &suite, &d, &err) < 0) {
                bad++;
                cli_print_diags(lg, &d);
                if (d.count == 0)
                    log_error(lg, "%s", err.msg);
            } else {
                log_out(lg, "%s: ok (%zu cases)\n", a->files[i], suite.count);
            }
            tc_suite_free(&suite);
            tc_diags_free(&d);
            continue;
        }
        tc_case *c = NULL;
        if (tc_load_file_diags(a->files[i], &c, &d) < 0) {
            bad++;
            cli_print_diags(lg, &d);
        } else {
            log_out(lg, "%s: ok (%s, %zu steps, %zu criteria)\n", a->files[i], c->id, c->step_count,
                    c->criterion_count);
        }
        tc_case_free(c);
        tc_diags_free(&d);
    }
    return bad ? EXIT_USAGE : EXIT_PASS;
}

int cli_cmd_list(cli_args *a, logger *lg)
{
    config cfg;
    int r = cli_load_config(a, &cfg, lg);
    if (r)
        return r;
    tc_suite suite = {0};
    if ((r = cli_load_suite(a, &suite, lg)) != 0)
        return r;
    description *desc = NULL;
    if ((r = cli_load_description(a, &desc, lg)) != 0) {
        tc_suite_free(&suite);
        return r;
    }
    /* what is known of the device without one: its description (and old configuration
     * values), no Register */
    dut facts = {.cfg = &cfg, .desc = desc};
    if (a->list_all) {
        r = cli_cmd_list_all(a, &suite, lg);
        tc_suite_free(&suite);
        return r;
    }
    size_t servers = 0;
    for (size_t i = 0; i < cfg.account_count; i++)
        servers += !cfg.accounts[i].bootstrap;
    int width = 10;
    for (size_t i = 0; i < suite.count; i++)
        if (suite.cases[i]->title && (int)strlen(suite.cases[i]->title) > width)
            width = (int)strlen(suite.cases[i]->title);
    for (size_t i = 0; i < suite.count; i++) {
        const tc_case *c = suite.cases[i];
        const char *applies = "applies";
        char nobj[64];
        int ver = tc_rules_case_version(c);
        for (size_t k = 0; k < c->requires_count; k++) {
            if (!strcmp(c->requires[k], "multi-server") && servers < 2)
                applies = "not applicable: needs two server accounts";
            if (!strcmp(c->requires[k], "bootstrap") && !config_bootstrap(&cfg))
                applies = "not applicable: needs a bootstrap account";
            if (!strcmp(c->requires[k], "bootstrap") && config_bootstrap(&cfg) && !a->bootstrap)
                applies = "applies with --bootstrap";
            int obj;
            const char *vpath;
            if (tc_rules_value_feature(c->requires[k], &vpath) && !devfacts_has_value(&facts, vpath)) {
                snprintf(nobj, sizeof nobj, "not applicable: needs a value at %s", vpath);
                applies = nobj;
            }
            if (tc_rules_no_value_feature(c->requires[k], &vpath) && devfacts_has_exact_value(&facts, vpath)) {
                snprintf(nobj, sizeof nobj, "not applicable: needs no value at %s", vpath);
                applies = nobj;
            }
            if (tc_rules_object_feature(c->requires[k], &obj) && !devfacts_has_object(&facts, obj)) {
                snprintf(nobj, sizeof nobj, "not applicable: needs an instance of object %d", obj);
                applies = nobj;
            }
        }
        char vs[40] = "";
        if (ver > 10 && strncmp(applies, "not", 3) != 0)
            snprintf(vs, sizeof vs, ", to LwM2M %d.%d devices", ver / 10, ver % 10);
        char docs[96] = "";
        for (size_t k = 0; k < c->ets_count; k++)
            snprintf(docs + strlen(docs), sizeof docs - strlen(docs), "%s%s", k ? ", " : " [ETS ",
                     c->ets[k].document);
        if (c->ets_count)
            snprintf(docs + strlen(docs), sizeof docs - strlen(docs), "]");
        log_out(lg, "%-10s %-*s %s%s%s%s\n", c->short_id, width, c->title, applies, vs,
                c->tool_reading ? " (a tool reading: advisory)" : "", docs);
    }
    tc_suite_free(&suite);
    free(desc);
    return EXIT_PASS;
}
