#include "run/optformat.h"

#include <stdio.h>
#include <string.h>

#define CODE_NOT_ACCEPTABLE 0x86      /* 4.06 */
#define CODE_UNSUPPORTED_FORMAT 0x8F  /* 4.15 */

static const struct {
    int cf;
    const char *name;
} names[] = {
    {0, "Plain Text"},   {40, "CoRE Link"},   {42, "Opaque"},
    {60, "CBOR"},        {110, "SenML JSON"}, {112, "SenML CBOR"},
    {11542, "TLV"},      {11543, "OMA JSON"}, {11544, "LwM2M CBOR"},
};

static const char *cf_name(int cf)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].cf == cf)
            return names[i].name;
    return "content format";
}

bool optformat_optional(int cf, const char *version)
{
    if (cf == 0 || cf == 40 || cf == 42)
        return false;
    if (cf == 11542) {
        int major = 1, minor = 0;
        if (version)
            (void)sscanf(version, "%d.%d", &major, &minor);
        return major > 1 || (major == 1 && minor >= 1);
    }
    return cf >= 0;
}

bool optformat_excuse(const tc_case *c, const step_outcome *outcomes, const case_result *cr,
                      const char *version, char *why, size_t cap)
{
    if (!outcomes || cr->verdict != VERDICT_FAIL)
        return false;
    /* the earliest step a failed criterion judges */
    int first = -1;
    for (size_t k = 0; k < cr->criterion_count; k++)
        if (cr->criteria[k].verdict == VERDICT_FAIL &&
            (first < 0 || cr->criteria[k].step < first))
            first = cr->criteria[k].step;
    if (first < 0)
        return false;
    for (size_t i = 0; i < c->step_count; i++) {
        const step_outcome *o = &outcomes[i];
        if (c->steps[i].number != first || o->status != OUTCOME_OK || !o->has_response)
            continue;
        /* the format the case itself chose: one the tool picked (TLV by default, or what
         * the device asked for with pct) is no optional format the device may lack */
        int asked = c->steps[i].accept, sent = c->steps[i].content_format;
        int cf = -1;
        if (o->response.code == CODE_NOT_ACCEPTABLE && asked >= 0)
            cf = asked;
        else if (o->response.code == CODE_UNSUPPORTED_FORMAT && sent >= 0)
            cf = sent;
        if (cf < 0 || !optformat_optional(cf, version))
            continue;
        snprintf(why, cap,
                 "the device does not support %s (%d), which LwM2M %s makes optional: it "
                 "answered step %d with %s; the case needs a device that supports it",
                 cf_name(cf), cf, version ? version : "1.0", first,
                 o->response.code == CODE_NOT_ACCEPTABLE ? "4.06 Not Acceptable"
                                                         : "4.15 Unsupported Content-Format");
        return true;
    }
    return false;
}
