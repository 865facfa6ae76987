#include "run/match_firmware.h"

#include <stdio.h>
#include <string.h>

#include "lwm2m/content/content.h"
#include "lwm2m/content/guess.h"
#include "lwm2m/objects.h"

static int decode(const step_outcome *o, lwm2m_records *recs)
{
    lwm2m_path base;
    if (lwm2m_path_parse(o->request.path, &base) < 0)
        return -1;
    lc_error err = {0};
    if (o->response.content_format >= 0)
        return content_decode(o->response.content_format, &base, o->response.payload,
                              o->response.payload_len, objects_type_of, NULL, recs, &err);
    content_guess how = {.cf = -1};
    return content_decode_guess(&base, o->request.accept, o->response.payload,
                                o->response.payload_len, objects_type_of, NULL, recs, &how, &err);
}

int match_firmware_state_of(const step_outcome *o, int *state, int *result)
{
    if (!o->has_response || (o->response.code >> 5) != 2 || !o->has_request ||
        o->response.code == COAP_RESPONSE_CODE(204) || !o->response.payload_len)
        return -1;
    lwm2m_records recs;
    records_init(&recs);
    int rc = -1;
    if (decode(o, &recs) == 0) {
        lwm2m_path ps = {.ids = {5, 0, 3, LWM2M_ID_NONE}, .depth = 3},
                   pr = {.ids = {5, 0, 5, LWM2M_ID_NONE}, .depth = 3};
        const lwm2m_record *s = records_find(&recs, &ps), *r = records_find(&recs, &pr);
        if (s && r && (s->type == LV_INTEGER || s->type == LV_UNSIGNED) &&
            (r->type == LV_INTEGER || r->type == LV_UNSIGNED)) {
            *state = (int)s->i;
            *result = (int)r->i;
            rc = 0;
        }
    }
    records_free(&recs);
    return rc;
}

int match_firmware_version_of(const step_outcome *o, char *buf, size_t cap)
{
    if (!o->has_response || (o->response.code >> 5) != 2 || !o->has_request)
        return -1;
    lwm2m_path base, want = {.ids = {3, 0, 3, LWM2M_ID_NONE}, .depth = 3};
    if (lwm2m_path_parse(o->request.path, &base) < 0 || !lwm2m_path_is_under(&want, &base))
        return -1;
    lwm2m_records recs;
    records_init(&recs);
    lc_error err = {0};
    int r;
    if (o->response.content_format >= 0)
        r = content_decode(o->response.content_format, &base, o->response.payload,
                           o->response.payload_len, objects_type_of, NULL, &recs, &err);
    else {
        content_guess how = {.cf = -1};
        r = content_decode_guess(&base, o->request.accept, o->response.payload,
                                 o->response.payload_len, objects_type_of, NULL, &recs, &how, &err);
    }
    const lwm2m_record *rec = r == 0 ? records_find(&recs, &want) : NULL;
    int rc = -1;
    if (rec && (rec->type == LV_STRING || rec->type == LV_OPAQUE)) {
        snprintf(buf, cap, "%.*s", (int)rec->len, rec->bytes ? (const char *)rec->bytes : "");
        rc = 0;
    }
    records_free(&recs);
    return rc;
}

const char *match_firmware_state_name(int s)
{
    static const char *const n[] = {"Idle", "Downloading", "Downloaded", "Updating"};
    return s >= 0 && s < 4 ? n[s] : "?";
}

const char *match_firmware_result_name(int r)
{
    static const char *const n[] = {"Initial value",
                                    "Firmware updated successfully",
                                    "Not enough flash memory",
                                    "Out of RAM",
                                    "Connection lost during download",
                                    "Integrity check failure",
                                    "Unsupported package type",
                                    "Invalid URI",
                                    "Firmware update failed",
                                    "Unsupported protocol"};
    return r >= 0 && r < 10 ? n[r] : "?";
}

static void set_text(strbuf *b, const int *v, size_t n)
{
    strbuf_append(b, "{");
    for (size_t i = 0; i < n; i++)
        strbuf_appendf(b, "%s%d", i ? ", " : "", v[i]);
    strbuf_append(b, "}");
}

void match_firmware_describe(const tc_check *chk, strbuf *b)
{
    if (chk->fw_state_count) {
        strbuf_append(b, "State in ");
        set_text(b, chk->fw_states, chk->fw_state_count);
    }
    if (chk->fw_result_count) {
        strbuf_append(b, chk->fw_state_count ? ", Update Result in " : "Update Result in ");
        set_text(b, chk->fw_results, chk->fw_result_count);
    }
    strbuf_append(b, " at every poll");
}

void match_firmware_polls(const step_outcome *o, strbuf *b)
{
    uint64_t t0 = o->fw_poll_count ? o->fw_polls[0].at_ms : 0;
    strbuf_append(b, "State/Update Result ");
    for (size_t i = 0; i < o->fw_poll_count; i++) {
        const outcome_fw_poll *p = &o->fw_polls[i];
        strbuf_appendf(b, "%s%d/%d at %.1f s", i ? ", " : "", p->state, p->result,
                       (double)(p->at_ms - t0) / 1000.0);
    }
    if (o->fw_polls_dropped)
        strbuf_appendf(b, ", … %u more changes", o->fw_polls_dropped);
    strbuf_appendf(b, " (%u poll%s)", o->fw_polls_total, o->fw_polls_total == 1 ? "" : "s");
}

static bool in(const int *v, size_t n, int x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return true;
    return false;
}

const char *match_firmware_first_bad(const tc_check *chk, const step_outcome *o, char *buf,
                                     size_t cap)
{
    for (size_t i = 0; i < o->fw_poll_count; i++) {
        const outcome_fw_poll *p = &o->fw_polls[i];
        if (chk->fw_state_count && !in(chk->fw_states, chk->fw_state_count, p->state)) {
            snprintf(buf, cap, "State %d (%s) is not allowed", p->state,
                     match_firmware_state_name(p->state));
            return buf;
        }
        if (chk->fw_result_count && !in(chk->fw_results, chk->fw_result_count, p->result)) {
            snprintf(buf, cap, "Update Result %d (%s) is not allowed", p->result,
                     match_firmware_result_name(p->result));
            return buf;
        }
    }
    return NULL;
}
