/* Test helpers shared by the SenML JSON, SenML CBOR and LwM2M CBOR tests: a type hint that
 * knows a test object 99 with one resource of every LwM2M type, and the records of every
 * type at /99/0/1..8. */
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

#endif
