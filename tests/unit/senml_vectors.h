/* Test helpers shared by the SenML JSON, SenML CBOR, LwM2M CBOR and CBOR tests: a type hint
 * that knows a test object 99 with one resource of every LwM2M type, the records of every
 * type at /99/0/1..8, and decode/encode checks by format (payloads as JSON text for SenML
 * JSON, as hex for the CBOR formats). Include after <cmocka.h>. */
#ifndef TEST_SENML_VECTORS_H
#define TEST_SENML_VECTORS_H

#include <stdlib.h>
#include <string.h>

#include "lwm2m/content/content.h"
#include "lwm2m/objects.h"

/* /99/0/<r>: 1 integer, 2 unsigned, 3 float, 4 boolean, 5 string, 6 opaque, 7 time,
 * 8 objlnk; other objects as the tool's object model says. */
static inline lwm2m_type vec_type_of(const lwm2m_path *p, void *arg)
{
    static const lwm2m_type t99[] = {LV_NONE,    LV_INTEGER, LV_UNSIGNED, LV_FLOAT, LV_BOOLEAN,
                                     LV_STRING,  LV_OPAQUE,  LV_TIME,     LV_OBJLNK};
    if (p->depth >= 3 && p->ids[0] == 99)
        return p->ids[2] >= 1 && p->ids[2] <= 8 ? t99[p->ids[2]] : LV_NONE;
    return objects_type_of(p, arg);
}

static inline lwm2m_path vec_path(const char *s)
{
    lwm2m_path p;
    if (lwm2m_path_parse(s, &p) != 0)
        p.depth = -1;
    return p;
}

/* One value of every type, at /99/0/1../99/0/8 in that order. */
static inline void vec_every_type(lwm2m_records *r)
{
    lwm2m_path p;
    records_init(r);
    records_add_int(r, (p = vec_path("/99/0/1"), &p), -70000);
    records_add_unsigned(r, (p = vec_path("/99/0/2"), &p), 4000000000u);
    records_add_float(r, (p = vec_path("/99/0/3"), &p), -0.3);
    records_add_bool(r, (p = vec_path("/99/0/4"), &p), true);
    records_add_string(r, (p = vec_path("/99/0/5"), &p), "caf\xc3\xa9 \"q\"");
    records_add_opaque(r, (p = vec_path("/99/0/6"), &p), (const uint8_t *)"\x00\x01\xff", 3);
    records_add_time(r, (p = vec_path("/99/0/7"), &p), 1700000000);
    records_add_objlnk(r, (p = vec_path("/99/0/8"), &p), 3, 0);
}

/* Hex digits (spaces ignored) to bytes; the caller frees. */
static inline uint8_t *vec_hex(const char *hex, size_t *len)
{
    uint8_t *b = malloc(strlen(hex) / 2 + 1);
    size_t n = 0;
    int hi = -1;
    for (const char *c = hex; *c; c++) {
        int v = *c >= '0' && *c <= '9' ? *c - '0'
              : *c >= 'a' && *c <= 'f' ? *c - 'a' + 10
              : *c >= 'A' && *c <= 'F' ? *c - 'A' + 10
                                       : -1;
        if (v < 0)
            continue;
        if (hi < 0) {
            hi = v;
        } else {
            b[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    *len = n;
    return b;
}

/* Decodes payload (text for SenML JSON, hex otherwise) of format cf received for base. */
static inline int vec_decode(int cf, const char *base, const char *payload, lwm2m_records *out,
                             lc_error *err)
{
    lwm2m_path b = vec_path(base);
    size_t n = strlen(payload);
    uint8_t *bytes = cf == CF_SENML_JSON ? NULL : vec_hex(payload, &n);
    records_init(out);
    int rc = content_decode(cf, &b, bytes ? bytes : (const uint8_t *)payload, n, vec_type_of,
                            NULL, out, err);
    free(bytes);
    return rc;
}

static inline void vec_ok(int cf, const char *base, const char *payload, lwm2m_records *out)
{
    lc_error err = {0};
    if (vec_decode(cf, base, payload, out, &err))
        fail_msg("decode %s: %s", payload, err.msg);
}

/* The payload is refused with a message containing want, and nothing is decoded. */
static inline void vec_bad(int cf, const char *base, const char *payload, const char *want)
{
    lwm2m_records r;
    lc_error err = {0};
    int rc = vec_decode(cf, base, payload, &r, &err);
    if (rc != LC_EINVAL)
        fail_msg("%.200s: expected LC_EINVAL, got %d", payload, rc);
    if (!strstr(err.msg, want))
        fail_msg("%.200s:\n  error \"%s\"\n  lacks \"%s\"", payload, err.msg, want);
    assert_int_equal(r.count, 0);
    records_free(&r);
}

static inline const lwm2m_record *vec_at(const lwm2m_records *r, const char *path)
{
    lwm2m_path p = vec_path(path);
    const lwm2m_record *rec = records_find(r, &p);
    if (!rec)
        fail_msg("no record for %s", path);
    return rec;
}

/* r survives encode → decode in format cf at base: same paths, values and times. */
static inline void vec_roundtrip(int cf, const char *base, const lwm2m_records *r)
{
    lwm2m_path b = vec_path(base);
    uint8_t *out;
    size_t len;
    lc_error err = {0};
    if (content_encode(cf, &b, r, &out, &len, &err))
        fail_msg("encode %s: %s", base, err.msg);
    lwm2m_records got;
    records_init(&got);
    if (content_decode(cf, &b, out, len, vec_type_of, NULL, &got, &err))
        fail_msg("decode %s: %s", base, err.msg);
    assert_int_equal(got.count, r->count);
    for (size_t i = 0; i < r->count; i++) {
        const lwm2m_record *g = records_find(&got, &r->items[i].path);
        if (!g || !record_value_equal(g, &r->items[i]))
            fail_msg("%s: record %zu (%s) differs after a round trip", base, i,
                     lwm2m_type_name(r->items[i].type));
        if (cf == CF_SENML_JSON || cf == CF_SENML_CBOR) {
            assert_int_equal(g->has_time, r->items[i].has_time);
            if (g->has_time)
                assert_true(g->time == r->items[i].time);
        }
    }
    records_free(&got);
    free(out);
}

/* Each record of r on its own, read at its own path. */
static inline void vec_roundtrip_each(int cf, const lwm2m_records *r)
{
    for (size_t i = 0; i < r->count; i++) {
        lwm2m_records one;
        records_init(&one);
        records_add_copy(&one, &r->items[i]);
        char where[32];
        lwm2m_path_format(&r->items[i].path, where, sizeof where);
        vec_roundtrip(cf, where, &one);
        records_free(&one);
    }
}

#endif
