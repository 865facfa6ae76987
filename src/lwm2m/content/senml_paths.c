#include "lwm2m/content/senml_paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cbor.h>
#include <jansson.h>

#include "lwm2m/content/value.h"

#define NAME_MAX_LEN 64

int senml_paths_encode(int cf, const char *const *paths, size_t count, uint8_t **out,
                       size_t *len, lc_error *err)
{
    *out = NULL;
    *len = 0;
    for (size_t i = 0; i < count; i++) {
        lwm2m_path p;
        if (lwm2m_path_parse(paths[i], &p) < 0)
            return lc_error_set(err, LC_EINVAL, "'%s' is not an LwM2M path", paths[i]);
    }
    if (cf == CF_SENML_JSON) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < count; i++)
            json_array_append_new(arr, json_pack("{s:s}", "n", paths[i]));
        char *text = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
        json_decref(arr);
        if (!text)
            return lc_error_set(err, LC_ENOMEM, "out of memory");
        *out = (uint8_t *)text;
        *len = strlen(text);
        return 0;
    }
    if (cf == CF_SENML_CBOR) {
        cbor_item_t *arr = cbor_new_definite_array(count);
        bool ok = arr != NULL;
        for (size_t i = 0; ok && i < count; i++) {
            cbor_item_t *m = cbor_new_definite_map(1);
            ok = m && cbor_map_add(m, (struct cbor_pair){.key = cbor_move(cbor_build_uint8(0)),
                                                         .value = cbor_move(cbor_build_string(paths[i]))}) &&
                 cbor_array_push(arr, cbor_move(m));
        }
        unsigned char *buf = NULL;
        size_t cap = 0, n = ok ? cbor_serialize_alloc(arr, &buf, &cap) : 0;
        if (arr)
            cbor_decref(&arr);
        if (!n) {
            free(buf);
            return lc_error_set(err, LC_ENOMEM, "out of memory");
        }
        *out = buf;
        *len = n;
        return 0;
    }
    return lc_error_set(err, LC_EUNSUPPORTED, "a composite request's path list is SenML JSON "
                        "(110) or SenML CBOR (112), not %d", cf);
}

static int add_name(const char *bn, size_t bn_len, const char *n, size_t n_len, lwm2m_path *out,
                    size_t cap, size_t *count, size_t index, lc_error *err)
{
    char name[NAME_MAX_LEN + 1];
    if (bn_len + n_len > NAME_MAX_LEN)
        return lc_error_set(err, LC_EINVAL, "record %zu: the name is longer than %d bytes", index,
                            NAME_MAX_LEN);
    memcpy(name, bn, bn_len);
    memcpy(name + bn_len, n, n_len);
    name[bn_len + n_len] = '\0';
    if (!name[0])
        return lc_error_set(err, LC_EINVAL, "record %zu has no name", index);
    if (*count == cap)
        return lc_error_set(err, LC_EINVAL, "more than %zu paths", cap);
    if (lwm2m_path_parse(name, &out[*count]) < 0)
        return lc_error_set(err, LC_EINVAL, "record %zu: '%s' is not an LwM2M path", index, name);
    (*count)++;
    return 0;
}

static int decode_json(const uint8_t *in, size_t len, lwm2m_path *out, size_t cap, lc_error *err)
{
    json_error_t je;
    json_t *root = json_loadb((const char *)in, len, JSON_REJECT_DUPLICATES, &je);
    if (!root || !json_is_array(root)) {
        json_decref(root);
        return lc_error_set(err, LC_EINVAL, "SenML JSON path list: %s",
                            root ? "not an array" : je.text);
    }
    char bn[NAME_MAX_LEN + 1] = "";
    size_t count = 0;
    int r = 0;
    for (size_t i = 0; r == 0 && i < json_array_size(root); i++) {
        json_t *rec = json_array_get(root, i);
        if (!json_is_object(rec)) {
            r = lc_error_set(err, LC_EINVAL, "record %zu is not an object", i);
            break;
        }
        json_t *b = json_object_get(rec, "bn"), *n = json_object_get(rec, "n");
        if (b && json_is_string(b) && json_string_length(b) <= NAME_MAX_LEN)
            snprintf(bn, sizeof bn, "%s", json_string_value(b));
        else if (b) {
            r = lc_error_set(err, LC_EINVAL, "record %zu: bad bn", i);
            break;
        }
        if (n && !json_is_string(n)) {
            r = lc_error_set(err, LC_EINVAL, "record %zu: n is not a string", i);
            break;
        }
        r = add_name(bn, strlen(bn), n ? json_string_value(n) : "", n ? json_string_length(n) : 0,
                     out, cap, &count, i, err);
    }
    json_decref(root);
    return r < 0 ? r : (int)count;
}

static bool cbor_text(cbor_item_t *it, const char **s, size_t *n)
{
    if (!cbor_isa_string(it) || !cbor_string_is_definite(it))
        return false;
    *s = (const char *)cbor_string_handle(it);
    *n = cbor_string_length(it);
    return true;
}

static int decode_cbor(const uint8_t *in, size_t len, lwm2m_path *out, size_t cap, lc_error *err)
{
    struct cbor_load_result res;
    cbor_item_t *root = cbor_load(in, len, &res);
    if (!root || res.read != len || !cbor_isa_array(root) || !cbor_array_is_definite(root)) {
        if (root)
            cbor_decref(&root);
        return lc_error_set(err, LC_EINVAL, "SenML CBOR path list: not one definite array");
    }
    char bn[NAME_MAX_LEN + 1] = "";
    size_t count = 0;
    int r = 0;
    for (size_t i = 0; r == 0 && i < cbor_array_size(root); i++) {
        cbor_item_t *rec = cbor_array_get(root, i);
        if (!rec || !cbor_isa_map(rec)) {
            r = lc_error_set(err, LC_EINVAL, "record %zu is not a map", i);
            if (rec)
                cbor_decref(&rec);
            break;
        }
        const char *n = "";
        size_t nl = 0;
        struct cbor_pair *pairs = cbor_map_handle(rec);
        for (size_t k = 0; r == 0 && k < cbor_map_size(rec); k++) {
            cbor_item_t *key = pairs[k].key;
            int64_t label;
            if (cbor_isa_uint(key))
                label = (int64_t)cbor_get_int(key);
            else if (cbor_isa_negint(key))
                label = -1 - (int64_t)cbor_get_int(key);
            else
                continue;
            const char *s;
            size_t sl;
            if (label == -2) { /* bn */
                if (!cbor_text(pairs[k].value, &s, &sl) || sl > NAME_MAX_LEN)
                    r = lc_error_set(err, LC_EINVAL, "record %zu: bad bn", i);
                else
                    snprintf(bn, sizeof bn, "%.*s", (int)sl, s);
            } else if (label == 0) { /* n */
                if (!cbor_text(pairs[k].value, &n, &nl))
                    r = lc_error_set(err, LC_EINVAL, "record %zu: n is not a text string", i);
            }
        }
        if (r == 0)
            r = add_name(bn, strlen(bn), n, nl, out, cap, &count, i, err);
        cbor_decref(&rec);
    }
    cbor_decref(&root);
    return r < 0 ? r : (int)count;
}

int senml_paths_decode(int cf, const uint8_t *in, size_t len, lwm2m_path *out, size_t cap,
                       lc_error *err)
{
    if (cf == CF_SENML_JSON)
        return decode_json(in, len, out, cap, err);
    if (cf == CF_SENML_CBOR)
        return decode_cbor(in, len, out, cap, err);
    return lc_error_set(err, LC_EUNSUPPORTED, "a composite path list is SenML JSON or CBOR, "
                        "not Content-Format %d", cf);
}
