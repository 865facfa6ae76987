/* objects: what the object model holds — one line per object, or with ids (or -v) each
 * resource too — so a user sees which definitions a run will use and where they came
 * from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "lwm2m/objects.h"

static const char *ops_text(int ops)
{
    switch (ops) {
    case LWM2M_OP_R: return "R";
    case LWM2M_OP_W: return "W";
    case LWM2M_OP_R | LWM2M_OP_W: return "RW";
    case LWM2M_OP_E: return "E";
    default: return "-";
    }
}

static void print_resources(logger *lg, const lwm2m_object_def *o)
{
    for (int i = 0; i < o->resource_count; i++) {
        const lwm2m_resource_def *r = &o->resources[i];
        char type[48];
        snprintf(type, sizeof type, "%s%s%s", r->type_name[0] ? r->type_name : "none",
                 r->units[0] ? " " : "", r->units);
        log_out(lg, "    %5d  %-42s %-2s  %-8s  %-9s  %s%s%s\n", r->id, r->name,
                ops_text(r->operations), r->multiple ? "multiple" : "single",
                r->mandatory ? "mandatory" : "optional", type, r->range[0] ? "  range " : "",
                r->range);
    }
}

int cli_cmd_objects(cli_args *a, logger *lg)
{
    int want[MAX_LIST];
    int nwant = 0;
    for (int i = 0; i < a->file_count; i++) {
        char *end;
        long id = strtol(a->files[i], &end, 10);
        if (!*a->files[i] || *end || id < 0 || id > 65535 || nwant == MAX_LIST) {
            log_error(lg, "objects: \"%s\" is not an object id", a->files[i]);
            return EXIT_USAGE;
        }
        if (!objects_find((int)id)) {
            log_error(lg, "objects: no definition of object %ld is loaded (add one with --objects DIR)",
                      id);
            return EXIT_USAGE;
        }
        want[nwant++] = (int)id;
    }
    log_out(lg, "%5s  %-32s %-7s %-8s  %-9s  %9s  %s\n", "id", "name", "version", "instances",
            "", "resources", "defined in");
    for (size_t i = 0; i < objects_count(); i++) {
        const lwm2m_object_def *o = objects_at(i);
        bool show = nwant == 0;
        for (int k = 0; k < nwant; k++)
            show = show || want[k] == o->id;
        if (!show)
            continue;
        log_out(lg, "%5d  %-32s %-7s %-8s  %-9s  %9d  %s\n", o->id, o->name, o->version,
                o->multiple ? "multiple" : "single", o->mandatory ? "mandatory" : "optional",
                o->resource_count, o->source);
        if (nwant || a->verbose)
            print_resources(lg, o);
    }
    return EXIT_PASS;
}
