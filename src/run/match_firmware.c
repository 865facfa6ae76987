#include "run/match_firmware.h"

#include <stdio.h>
#include <string.h>

#include "lwm2m/content/content.h"
#include "lwm2m/content/guess.h"
#include "lwm2m/objects.h"

int match_firmware_decode(const step_outcome *o, lwm2m_records *recs)
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
    if (match_firmware_decode(o, &recs) == 0) {
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

int match_firmware_notified_state(const char *path, const net_message *m, int *state)
{
    lwm2m_path base, want = {.ids = {5, 0, 3, LWM2M_ID_NONE}, .depth = 3};
    if ((m->code >> 5) != 2 || !m->payload_len || lwm2m_path_parse(path, &base) < 0 ||
        !lwm2m_path_is_under(&want, &base))
        return -1;
    lwm2m_records recs;
    records_init(&recs);
    lc_error err = {0};
    int r;
    if (m->content_format >= 0)
        r = content_decode(m->content_format, &base, m->payload, m->payload_len, objects_type_of,
                           NULL, &recs, &err);
    else {
        content_guess how = {.cf = -1};
        r = content_decode_guess(&base, -1, m->payload, m->payload_len, objects_type_of, NULL,
                                 &recs, &how, &err);
    }
    const lwm2m_record *rec = r == 0 ? records_find(&recs, &want) : NULL;
    int rc = -1;
    if (rec && (rec->type == LV_INTEGER || rec->type == LV_UNSIGNED)) {
        *state = (int)rec->i;
        rc = 0;
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
        if (chk->fw_leading_count) {
            strbuf_append(b, " (before the first of these also ");
            set_text(b, chk->fw_leading, chk->fw_leading_count);
            strbuf_append(b, ")");
        }
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
    bool leading = chk->fw_leading_count > 0;
    for (size_t i = 0; i < o->fw_poll_count; i++) {
        const outcome_fw_poll *p = &o->fw_polls[i];
        if (leading && chk->fw_state_count && in(chk->fw_states, chk->fw_state_count, p->state))
            leading = false;
        bool lead_ok = leading && in(chk->fw_leading, chk->fw_leading_count, p->state);
        if (chk->fw_state_count && !lead_ok &&
            !in(chk->fw_states, chk->fw_state_count, p->state)) {
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

/* The answers a device may end a pushed package's Block1 transfer with when it judges the
 * package there: 4.00 (bad content), 4.13 (RFC 7959 §2.9.3: "at any time during a Block1
 * transfer", no room for it), 4.15, 5.00 (it could not store it). Others (4.01, 4.04, 4.05,
 * 4.08 …) say nothing about the package. */
static bool refusal_code(int code)
{
    return code == COAP_RESPONSE_CODE(400) || code == COAP_RESPONSE_CODE(413) ||
           code == COAP_RESPONSE_CODE(415) || code == COAP_RESPONSE_CODE(500);
}

bool match_firmware_taken(const step_outcome *o, const step_outcome *all, size_t n, strbuf *want,
                          strbuf *seen)
{
    int code = o->response.code;
    strbuf_append(want, "2.04, or a refusal of a pushed block (4.00, 4.13, 4.15 or 5.00) "
                        "followed by an Update Result other than 0 (LwM2M 1.0 §E.6)");
    strbuf_appendf(seen, "%d.%02d", code >> 5, code & 31);
    if (code == COAP_RESPONSE_CODE(204))
        return true;
    bool push = strcmp(o->request.path, "/5/0/0") == 0;
    if (!push || !refusal_code(code)) {
        strbuf_append(seen, push ? " (not a refusal of the package)" : " (to the Package URI)");
        return false;
    }
    /* the refusal stands when the device then reports why: the case's next wait */
    bool after = false;
    for (size_t i = 0; all && i < n; i++) {
        const step_outcome *w = &all[i];
        if (w == o) {
            after = true;
            continue;
        }
        if (!after || !w->step || w->step->op != TC_OP_FIRMWARE_WAIT)
            continue;
        if (!w->fw_poll_count) {
            strbuf_append(seen, " to a pushed block, and no State or Update Result read after it");
            return false;
        }
        const outcome_fw_poll *last = &w->fw_polls[w->fw_poll_count - 1];
        strbuf_appendf(seen, " to a pushed block, then State %d (%s), Update Result %d (%s)",
                       last->state, match_firmware_state_name(last->state), last->result,
                       match_firmware_result_name(last->result));
        return last->result != 0;
    }
    strbuf_append(seen, " to a pushed block, and no wait after it reads the Update Result");
    return false;
}

/* LwM2M 1.0/1.1 §E.6 (Object 5): State 0-3; Update Result 0-9 (later Object 5 versions
 * add 10 cancelled and 11 deferred); Firmware Update Protocol Support 0-5 (1.0: 0-3; 1.1
 * adds CoAP over TCP 4 and over TLS 5); Firmware Update Delivery Method 0-2. */
bool match_firmware_ranges(const step_outcome *o, strbuf *want, strbuf *seen)
{
    static const struct {
        uint16_t rid;
        long long max;
        const char *name;
    } ranges[] = {{3, 3, "State"},
                  {5, 11, "Update Result"},
                  {8, 5, "Firmware Update Protocol Support"},
                  {9, 2, "Firmware Update Delivery Method"}};
    strbuf_append(want, "State /5/0/3 in 0..3, Update Result /5/0/5 in 0..11, Protocol Support "
                        "/5/0/8 in 0..5, Delivery Method /5/0/9 in 0..2 (LwM2M 1.0/1.1 §E.6)");
    lwm2m_records recs;
    records_init(&recs);
    if (match_firmware_decode(o, &recs) != 0) {
        records_free(&recs);
        strbuf_append(seen, "a response the tool could not decode");
        return false;
    }
    bool ok = true;
    size_t shown = 0;
    for (size_t i = 0; i < recs.count; i++) {
        const lwm2m_record *r = &recs.items[i];
        if (r->path.ids[0] != 5 || r->path.ids[1] != 0 || r->path.depth < 3 ||
            (r->type != LV_INTEGER && r->type != LV_UNSIGNED))
            continue;
        for (size_t k = 0; k < sizeof ranges / sizeof ranges[0]; k++) {
            if (r->path.ids[2] != ranges[k].rid)
                continue;
            bool in = r->i >= 0 && r->i <= ranges[k].max;
            if (!in || shown < 12) {
                char p[64];
                lwm2m_path_format(&r->path, p, sizeof p);
                strbuf_appendf(seen, "%s%s = %lld%s", shown++ ? ", " : "", p, (long long)r->i,
                               in ? "" : " (out of range)");
            }
            ok = ok && in;
        }
    }
    records_free(&recs);
    if (!shown)
        strbuf_append(seen, "no State, Update Result, Protocol Support or Delivery Method");
    return ok;
}
