#include "dut/stepvalues.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/config.h"
#include "lwm2m/objects.h"
#include "tc/vars.h"

static lwm2m_type type_from_name(const char *t)
{
    if (!t) return LV_NONE;
    if (!strcmp(t, "string")) return LV_STRING;
    if (!strcmp(t, "integer")) return LV_INTEGER;
    if (!strcmp(t, "unsigned")) return LV_UNSIGNED;
    if (!strcmp(t, "float")) return LV_FLOAT;
    if (!strcmp(t, "boolean")) return LV_BOOLEAN;
    if (!strcmp(t, "opaque")) return LV_OPAQUE;
    if (!strcmp(t, "time")) return LV_TIME;
    if (!strcmp(t, "objlnk")) return LV_OBJLNK;
    return LV_NONE;
}

int stepvalues_records(const tc_step *s, const tc_vars_env *env, lwm2m_records *recs,
                       lc_error *err)
{
    for (size_t i = 0; i < s->value_count; i++) {
        const tc_write_value *v = &s->values[i];
        lwm2m_path p;
        if (lwm2m_path_parse(v->path, &p) < 0)
            return lc_error_set(err, LC_EINVAL, "step %d: bad path %s", s->number, v->path);
        char *val = NULL;
        int r = tc_vars_expand_env(v->value, env, &val, err);
        if (r < 0)
            return r;
        lwm2m_type t = type_from_name(v->type);
        if (t == LV_NONE)
            t = objects_type_of(&p, NULL);
        char *end = NULL;
        switch (t) {
        case LV_INTEGER:
        case LV_UNSIGNED:
            r = records_add_int(recs, &p, strtoll(val, &end, 10));
            break;
        case LV_TIME:
            r = records_add_time(recs, &p, strtoll(val, &end, 10));
            break;
        case LV_FLOAT:
            r = records_add_float(recs, &p, strtod(val, &end));
            break;
        case LV_BOOLEAN:
            r = records_add_bool(recs, &p, !strcmp(val, "true") || !strcmp(val, "1"));
            break;
        case LV_OPAQUE: {
            uint8_t buf[1024];
            size_t n = 0;
            if (config_base64_decode(val, buf, sizeof buf, &n) < 0) {
                free(val);
                return lc_error_set(err, LC_EINVAL, "step %d: %s: opaque values are Base64", s->number,
                                    v->path);
            }
            r = records_add_opaque(recs, &p, buf, n);
            break;
        }
        case LV_OBJLNK: {
            unsigned a = 0, b = 0;
            sscanf(val, "%u:%u", &a, &b);
            r = records_add_objlnk(recs, &p, (uint16_t)a, (uint16_t)b);
            break;
        }
        default:
            r = records_add_string(recs, &p, val);
            break;
        }
        if (end && *end) {
            free(val);
            return lc_error_set(err, LC_EINVAL, "step %d: %s: \"%s\" is not a %s", s->number, v->path,
                                v->value, lwm2m_type_name(t));
        }
        free(val);
        if (r < 0)
            return lc_error_set(err, r, "out of memory");
    }
    return 0;
}
