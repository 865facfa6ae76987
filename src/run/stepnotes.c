#include "run/stepnotes.h"

#include <stdlib.h>

#include "net/endpoint.h"

/* A step no criterion judges ("unjudged": a set-up or clean-up the draft gives no
 * criterion) that the device answered with an error: not a verdict, but the report says so. */
void stepnotes_unjudged_errors(const tc_case *c, const step_outcome *outcomes, run_result *res)
{
    for (size_t i = 0; i < c->step_count; i++) {
        const step_outcome *o = &outcomes[i];
        if (!o->step->unjudged || o->status != OUTCOME_OK || !o->has_response ||
            (o->response.code >> 5) < 4)
            continue;
        char code[32];
        net_code_format(o->response.code, code, sizeof code);
        result_add_note(res, "%s step %d (%s %s, not judged: %s): the device answered %s",
                        c->short_id, o->step->number, tc_op_name(o->step->op),
                        o->step->path ? o->step->path : "", o->step->unjudged, code);
    }
}

/* "not_applicable_if": the device's answer to na says the case does not apply to it (a
 * 4.15 to an optional format): SKIPPED with the case's reason, every criterion too. */
void stepnotes_not_applicable(case_result *cr, const tc_step *na)
{
    char *why = result_printf("not applicable: %s (step %d answered %s)", na->na_because,
                              na->number, na->na_code);
    if (!why)
        return;
    for (size_t k = 0; k < cr->criterion_count; k++) {
        criterion_result *r = &cr->criteria[k];
        r->verdict = VERDICT_SKIPPED;
        free(r->expected);
        free(r->observed);
        r->expected = NULL;
        r->observed = result_strdup(why);
    }
    free(cr->reason);
    cr->reason = why;
    cr->verdict = VERDICT_SKIPPED;
}
