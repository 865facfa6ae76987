#include "run/profile.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "tc/rules.h"

static int bad(lc_error *err, const char *path, const char *what)
{
    return lc_error_set(err, LC_EINVAL, "%s: %s", path, what);
}

int profile_load(const char *path, device_profile *p, lc_error *err)
{
    memset(p, 0, sizeof *p);
    snprintf(p->source, sizeof p->source, "%s", path);
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        if (je.line <= 0)
            return lc_error_set(err, LC_EIO, "%s: cannot read the device profile: %s", path, je.text);
        return lc_error_set(err, LC_EINVAL, "%s:%d:%d: %s", path, je.line, je.column, je.text);
    }
    int rc = 0;
    const char *key;
    json_t *v;
    if (!json_is_object(root))
        rc = bad(err, path, "a device profile is a JSON object {\"lwm2m\", \"objects\", \"content_formats\"}");
    json_object_foreach(rc ? NULL : root, key, v) {
        if (!strcmp(key, "lwm2m")) {
            const char *s = json_string_value(v);
            if (!s || (strcmp(s, "1.0") && strcmp(s, "1.1") && strcmp(s, "1.2"))) {
                rc = bad(err, path, "\"lwm2m\" must be \"1.0\", \"1.1\" or \"1.2\"");
                break;
            }
            snprintf(p->lwm2m, sizeof p->lwm2m, "%s", s);
        } else if (!strcmp(key, "objects")) {
            size_t i;
            json_t *e;
            p->has_objects = true;
            if (!json_is_array(v) || json_array_size(v) > PROFILE_MAX_OBJECTS) {
                rc = bad(err, path, "\"objects\" must be an array of object ids such as [0, 1, 3] (at most 64)");
                break;
            }
            json_array_foreach(v, i, e) {
                if (!json_is_integer(e) || json_integer_value(e) < 0 || json_integer_value(e) > 65535) {
                    rc = bad(err, path, "\"objects\": each entry is an object id 0..65535");
                    break;
                }
                p->objects[p->object_count++] = (int)json_integer_value(e);
            }
        } else if (!strcmp(key, "content_formats")) {
            size_t i;
            json_t *e;
            p->has_formats = true;
            if (!json_is_array(v) || json_array_size(v) > PROFILE_MAX_FORMATS) {
                rc = bad(err, path, "\"content_formats\" must be an array of names or numbers (at most 16)");
                break;
            }
            json_array_foreach(v, i, e) {
                int cf = json_is_integer(e) ? (int)json_integer_value(e)
                                            : tc_content_format_from_name(json_string_value(e));
                if (cf < 0 || cf > 65535) {
                    rc = lc_error_set(err, LC_EINVAL,
                                      "%s: \"content_formats\"[%zu]: unknown content format (expected one of: " TC_CF_NAMES ")",
                                      path, i);
                    break;
                }
                p->formats[p->format_count++] = cf;
            }
        } else if (!strcmp(key, "send")) {
            if (!json_is_boolean(v)) {
                rc = lc_error_set(err, LC_EINVAL, "%s: \"send\" must be true or false", path);
                break;
            }
            p->no_send = json_is_false(v);
        } else if (!strcmp(key, "queue_mode") || !strcmp(key, "profile_id")) {
            if (!json_is_boolean(v)) {
                rc = lc_error_set(err, LC_EINVAL, "%s: \"%s\" must be true or false", path, key);
                break;
            }
            if (!strcmp(key, "queue_mode"))
                p->queue_mode = json_is_true(v);
            else
                p->profile_id = json_is_true(v);
        } else if (strcmp(key, "comment") != 0) {
            rc = lc_error_set(err, LC_EINVAL,
                              "%s: unknown key \"%s\" (a profile has lwm2m, objects, content_formats, "
                              "queue_mode, profile_id, send, comment)",
                              path, key);
            break;
        }
        if (rc)
            break;
    }
    json_decref(root);
    return rc;
}

const char *profile_path_for_config(const char *config_path, char *buf, size_t cap)
{
    size_t n = strlen(config_path);
    if (n > 5 && strcmp(config_path + n - 5, ".json") == 0)
        n -= 5;
    snprintf(buf, cap, "%.*s.profile.json", (int)n, config_path);
    return buf;
}

bool profile_has_object(const device_profile *p, int object_id)
{
    if (!p || !p->has_objects)
        return true;
    for (size_t i = 0; i < p->object_count; i++)
        if (p->objects[i] == object_id)
            return true;
    return false;
}

bool profile_has_format(const device_profile *p, int cf)
{
    if (!p || !p->has_formats)
        return true;
    for (size_t i = 0; i < p->format_count; i++)
        if (p->formats[i] == cf)
            return true;
    return false;
}
