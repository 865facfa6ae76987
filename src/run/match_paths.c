#include "run/match_paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "lwm2m/content/content.h"
#include "lwm2m/content/guess.h"
#include "lwm2m/objects.h"

static char *text_of(strbuf *b)
{
    return strbuf_take(b);
}

void match_within_paths(const tc_check *chk, const step_outcome *o, match_result *out)
{
    (void)chk;
    memset(out, 0, sizeof *out);
    const tc_step *s = o->step;
    /* a composite step's paths, else the request's own path */
    const char *const *paths = s ? (const char *const *)s->paths : NULL;
    size_t count = s ? s->path_count : 0;
    const char *one = s && s->path ? s->path : "/";
    if (!count) {
        paths = &one;
        count = 1;
    }
    strbuf exp = {0};
    strbuf_appendf(&exp, "only values at or under ");
    for (size_t i = 0; i < count; i++)
        strbuf_appendf(&exp, "%s%s", i ? ", " : "", paths[i]);
    if (!o->has_response) {
        out->verdict = o->status == OUTCOME_TOOL_ERROR ? VERDICT_ERROR : VERDICT_FAIL;
        out->expected = text_of(&exp);
        strbuf obs = {0};
        strbuf_appendf(&obs, "no response (%s)", o->detail[0] ? o->detail : "none arrived");
        out->observed = text_of(&obs);
        return;
    }
    lwm2m_path root; /* what the payload is relative to: a plain read's path */
    if (lwm2m_path_parse(s && !s->path_count && s->path ? s->path : "/", &root) < 0)
        lwm2m_path_parse("/", &root);
    lwm2m_records recs;
    records_init(&recs);
    lc_error err = {0};
    int r = 0;
    if (o->response.payload_len) {
        content_guess how = {.cf = o->response.content_format};
        r = o->response.content_format >= 0
                ? content_decode(o->response.content_format, &root, o->response.payload,
                                 o->response.payload_len, objects_type_of, NULL, &recs, &err)
                : content_decode_guess(&root, o->request.accept, o->response.payload,
                                       o->response.payload_len, objects_type_of, NULL, &recs,
                                       &how, &err);
    }
    strbuf obs = {0};
    if (r < 0) {
        strbuf_appendf(&obs, "a payload that does not decode: %s", err.msg);
        out->verdict = r == LC_EUNSUPPORTED ? VERDICT_ERROR : VERDICT_FAIL;
    } else {
        size_t outside = 0;
        for (size_t i = 0; i < recs.count; i++) {
            bool in = false;
            for (size_t k = 0; k < count && !in; k++) {
                lwm2m_path p;
                in = lwm2m_path_parse(paths[k], &p) == 0 &&
                     lwm2m_path_is_under(&recs.items[i].path, &p);
            }
            if (!in) {
                char ps[32];
                lwm2m_path_format(&recs.items[i].path, ps, sizeof ps);
                strbuf_appendf(&obs, "%s%s", outside++ ? ", " : "values outside them: ", ps);
            }
        }
        if (!outside)
            strbuf_appendf(&obs, "%zu value%s, all under the requested paths", recs.count,
                           recs.count == 1 ? "" : "s");
        out->verdict = outside ? VERDICT_FAIL : VERDICT_PASS;
    }
    records_free(&recs);
    out->expected = text_of(&exp);
    out->observed = text_of(&obs);
}
