#include "sim/formats.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/content/content.h"

int sim_formats_pct(const sim_device *d)
{
    if (d->lwm2m_minor < 1)
        return CF_NONE; /* pct is LwM2M 1.1 */
    if (d->pct != SIM_PCT_DEFAULT)
        return d->pct;
    return d->lwm2m_minor >= 2 ? CF_SENML_CBOR : CF_OMA_JSON;
}

static bool carries_several(int cf)
{
    const content_codec *c = content_codec_find(cf);
    return c && !c->single_value;
}

int sim_formats_read_default(const sim_device *d, bool single, bool only_opaque)
{
    if (single)
        return only_opaque ? CF_OPAQUE : CF_TEXT;
    int pct = sim_formats_pct(d);
    if (pct != CF_NONE && carries_several(pct))
        return pct;
    return d->lwm2m_minor >= 2 ? CF_SENML_CBOR : d->lwm2m_minor == 1 ? CF_SENML_JSON : CF_TLV;
}

bool sim_formats_can_answer(int cf, bool single)
{
    const content_codec *c = content_codec_find(cf);
    return c && (single || !c->single_value);
}

/* ---- faults ------------------------------------------------------------------------------ */

/* cbor-wrong-major-type: every number becomes its decimal text, which a CBOR encoder
 * writes as a text string (major type 3) where the resource's integer or float belongs. */
static int numbers_as_text(const lwm2m_records *in, lwm2m_records *out, lc_error *err)
{
    for (size_t i = 0; i < in->count; i++) {
        const lwm2m_record *r = &in->items[i];
        int rc;
        if (r->type == LV_INTEGER || r->type == LV_UNSIGNED || r->type == LV_FLOAT ||
            r->type == LV_TIME) {
            char text[64];
            record_value_text(r, text, sizeof text);
            rc = records_add_string(out, &r->path, text);
        } else {
            rc = records_add_copy(out, r);
        }
        if (rc < 0)
            return lc_error_set(err, LC_ENOMEM, "out of memory");
    }
    return 0;
}

/* The SenML JSON pack as jansson holds it, with each record's resolved name (bn + n) in
 * (*names)[i] (malloc'd; the caller frees it). NULL when buf is not a non-empty pack. */
static json_t *load_pack(const uint8_t *buf, size_t len, char (**names)[80], size_t *count)
{
    json_t *pack = json_loadb((const char *)buf, len, 0, NULL);
    if (!json_is_array(pack) || json_array_size(pack) == 0 ||
        !(*names = calloc(json_array_size(pack), sizeof **names))) {
        json_decref(pack);
        return NULL;
    }
    const char *bn = "";
    size_t i;
    json_t *rec;
    json_array_foreach(pack, i, rec) {
        const char *b = json_string_value(json_object_get(rec, "bn"));
        const char *n = json_string_value(json_object_get(rec, "n"));
        if (b)
            bn = b;
        snprintf((*names)[i], sizeof (*names)[i], "%s%s", bn, n ? n : "");
    }
    *count = json_array_size(pack);
    return pack;
}

/* senml-wrong-basename: the base name names the first record's instance and every name
 * repeats the instance: bn "/1/0/", n "0/1" resolves to /1/0/0/1, not /1/0/1.
 * senml-malformed-record: the first record with a number carries a string value too (two
 * values in one record, which RFC 8428 §4.2 forbids). */
static int senml_json_fault(const sim_device *d, uint8_t **buf, size_t *len, lc_error *err)
{
    bool basename = sim_fault_on(&d->faults, SIM_FAULT_SENML_WRONG_BASENAME);
    bool malformed = sim_fault_on(&d->faults, SIM_FAULT_SENML_MALFORMED_RECORD);
    if (!basename && !malformed)
        return 0;
    char (*names)[80] = NULL;
    size_t n = 0;
    json_t *pack = load_pack(*buf, *len, &names, &n);
    if (!pack)
        return 0; /* not a pack this fault can change: leave it */
    for (size_t i = 0; i < n; i++) {
        json_t *rec = json_array_get(pack, i);
        if (basename) {
            lwm2m_path p;
            if (lwm2m_path_parse(names[i], &p) < 0 || p.depth < 3)
                continue;
            json_object_del(rec, "bn");
            if (i == 0) {
                char bn[40];
                snprintf(bn, sizeof bn, "/%u/%u/", p.ids[0], p.ids[1]);
                json_object_set_new(rec, "bn", json_string(bn));
            }
            const char *rel = strchr(names[i] + 1, '/'); /* past the object id */
            json_object_set_new(rec, "n", json_string(rel ? rel + 1 : ""));
        }
        if (malformed && json_object_get(rec, "v")) {
            json_object_set_new(rec, "vs", json_string("0"));
            malformed = false; /* one broken record is enough */
        }
    }
    free(names);
    char *text = json_dumps(pack, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(pack);
    if (!text)
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    free(*buf);
    *len = strlen(text);
    *buf = malloc(*len ? *len : 1);
    if (*buf)
        memcpy(*buf, text, *len);
    json_malloc_t jm;
    json_free_t jf;
    json_get_alloc_funcs(&jm, &jf);
    jf(text);
    return *buf ? 0 : lc_error_set(err, LC_ENOMEM, "out of memory");
}

int sim_formats_encode(const sim_device *d, int cf, const lwm2m_path *path,
                       const lwm2m_records *recs, uint8_t **out, size_t *len, lc_error *err)
{
    int canon = content_format_canonical(cf);
    lwm2m_records changed;
    records_init(&changed);
    const lwm2m_records *use = recs;
    int rc = 0;
    if ((canon == CF_SENML_CBOR || canon == CF_LWM2M_CBOR) &&
        sim_fault_on(&d->faults, SIM_FAULT_CBOR_WRONG_MAJOR_TYPE)) {
        rc = numbers_as_text(recs, &changed, err);
        use = &changed;
    }
    if (rc == 0)
        rc = content_encode(cf, path, use, out, len, err);
    records_free(&changed);
    if (rc == 0 && canon == CF_SENML_JSON)
        rc = senml_json_fault(d, out, len, err);
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *len = 0;
    }
    return rc;
}

const char *sim_formats_short(int cf)
{
    switch (content_format_canonical(cf)) {
    case CF_TEXT: return "text";
    case CF_LINK_FORMAT: return "link";
    case CF_OPAQUE: return "opaque";
    case CF_TLV: return "TLV";
    case CF_OMA_JSON: return "JSON";
    case CF_SENML_JSON: return "SenML JSON";
    case CF_SENML_CBOR: return "SenML CBOR";
    case CF_LWM2M_CBOR: return "LwM2M CBOR";
    case CF_NONE: return "none";
    default: return "other";
    }
}
