/* LwM2M CBOR (application/vnd.oma.lwm2m+cbor, 11544; LwM2M 1.2 core §7.4.6): nested CBOR
 * maps keyed by path ids, the leaves values:
 *   {3: {0: {0: "Open Mobile Alliance", 6: {0: 1, 1: 5}, 13: 1367491215}}}
 * A key is one id (an unsigned integer) or an array of ids naming several levels at once:
 *   {[3, 0]: {0: "Open Mobile Alliance", [6, 0]: 1, [6, 1]: 5}}
 * Leaves: integers (major types 0 and 1), floats, booleans, text strings (strings, and
 * object links "obj:inst" when the resource is one), byte strings (opaque). Numbers are
 * typed by the resource as in SenML (senml_add_number).
 *
 * Encoding: the root map holds one key, the request path (an id, or an array of ids), whose
 * value is the request path's own value or the map below it; below, one definite-length
 * map per level, keys in increasing id order. Nothing (an empty read) is the empty map.
 *
 * Decoding: the root must be one map and nothing after it; each leaf's full path must be a
 * resource or resource instance under the request path; paths at most four ids deep, so
 * maps nest at most five deep. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/content/cbor.h"
#include "lwm2m/content/senml.h"

static const char FMT[] = "LwM2M CBOR";

#define PATH_TEXT 32

/* ---- encoding ---- */

static int cmp_path(const void *a, const void *b)
{
    const lwm2m_path *p = &(*(const lwm2m_record *const *)a)->path;
    const lwm2m_path *q = &(*(const lwm2m_record *const *)b)->path;
    for (int i = 0; i < p->depth && i < q->depth; i++)
        if (p->ids[i] != q->ids[i])
            return p->ids[i] < q->ids[i] ? -1 : 1;
    return p->depth - q->depth;
}

static int put_node(cb_writer *w, const lwm2m_record **recs, size_t n, int level, lc_error *err);

/* The map of the records below level (all share ids[0..level-1] and are deeper). */
static int put_map(cb_writer *w, const lwm2m_record **recs, size_t n, int level, lc_error *err)
{
    size_t groups = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || recs[i]->path.ids[level] != recs[i - 1]->path.ids[level])
            groups++;
    cb_map(w, groups);
    for (size_t a = 0, b; a < n; a = b) {
        for (b = a + 1; b < n && recs[b]->path.ids[level] == recs[a]->path.ids[level]; b++)
            ;
        cb_uint(w, (uint64_t)recs[a]->path.ids[level]);
        int rc = put_node(w, recs + a, b - a, level + 1, err);
        if (rc)
            return rc;
    }
    return 0;
}

/* The value at the path of depth level that recs share: a leaf, or the map below it. */
static int put_node(cb_writer *w, const lwm2m_record **recs, size_t n, int level, lc_error *err)
{
    if (recs[0]->path.depth == level) {
        if (n > 1) {
            char p[PATH_TEXT];
            lwm2m_path_format(&recs[0]->path, p, sizeof p);
            return lc_error_set(err, LC_EINVAL,
                                "%s: %s has two values, or a value and instances; a map holds "
                                "one",
                                FMT, p);
        }
        return cb_put_value(w, recs[0], FMT, err);
    }
    return put_map(w, recs, n, level, err);
}

int lwm2m_cbor_encode(const lwm2m_path *base, const lwm2m_records *in, uint8_t **out,
                      size_t *len, lc_error *err)
{
    *out = NULL;
    *len = 0;
    senml_names unused; /* the same checks as SenML: resources under base, with types */
    int rc = senml_plan_names(FMT, base, in, &unused, err);
    if (rc)
        return rc;
    const lwm2m_record **recs = malloc((in->count ? in->count : 1) * sizeof *recs);
    if (!recs)
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    for (size_t i = 0; i < in->count; i++)
        recs[i] = &in->items[i];
    qsort(recs, in->count, sizeof *recs, cmp_path);

    cb_writer w = {0};
    if (in->count == 0) {
        cb_map(&w, 0);
    } else if (base->depth == 0) {
        rc = put_map(&w, recs, in->count, 0, err);
    } else {
        cb_map(&w, 1);
        if (base->depth == 1) {
            cb_uint(&w, (uint64_t)base->ids[0]);
        } else {
            cb_array(&w, (size_t)base->depth);
            for (int i = 0; i < base->depth; i++)
                cb_uint(&w, (uint64_t)base->ids[i]);
        }
        rc = put_node(&w, recs, in->count, base->depth, err);
    }
    free(recs);
    if (!rc && w.oom)
        rc = lc_error_set(err, LC_ENOMEM, "out of memory");
    if (rc) {
        free(w.p);
        return rc;
    }
    *out = w.p;
    *len = w.len;
    return 0;
}

/* ---- decoding ---- */

typedef struct ldec {
    cb_reader r;
    const lwm2m_path *base;
    lwm2m_type_hint hint;
    void *arg;
    lwm2m_records *out;
    size_t start;
    lc_error *err;
} ldec;

/* A key: one id or an array of ids, appended to p. */
static int read_key(ldec *d, lwm2m_path *p)
{
    cb_item k;
    int rc = cb_next(&d->r, &k);
    if (rc)
        return rc;
    char at[PATH_TEXT];
    lwm2m_path_format(p, at, sizeof at);
    if (k.kind != CB_UINT && k.kind != CB_ARRAY)
        return lc_error_set(d->err, LC_EINVAL,
                            "%s: under %s, the key at byte %zu is %s (a path id or an array of "
                            "ids is expected)",
                            FMT, at, k.offset, cb_kind_name(k.kind));
    cb_item id = k;
    uint64_t left = k.u;
    int n = 0;
    for (;;) {
        if (k.kind == CB_ARRAY) {
            int more = cb_more(&d->r, &k, &left);
            if (more < 0)
                return more;
            if (more == 0)
                break;
            if ((rc = cb_next(&d->r, &id)))
                return rc;
        }
        if (id.kind != CB_UINT || id.u > 65535)
            return lc_error_set(d->err, LC_EINVAL,
                                "%s: under %s, the key at byte %zu: %s at byte %zu is not a "
                                "path id (0..65535)",
                                FMT, at, k.offset, cb_kind_name(id.kind), id.offset);
        if (p->depth == 4) {
            lwm2m_path_format(p, at, sizeof at);
            return lc_error_set(d->err, LC_EINVAL,
                                "%s: the key at byte %zu goes below %s, deeper than "
                                "/object/instance/resource/resource-instance",
                                FMT, k.offset, at);
        }
        p->ids[p->depth++] = (int32_t)id.u;
        n++;
        if (k.kind != CB_ARRAY)
            break;
    }
    if (n == 0)
        return lc_error_set(d->err, LC_EINVAL, "%s: under %s, the key at byte %zu is an empty "
                            "array", FMT, at, k.offset);
    return 0;
}

static int add_leaf(ldec *d, const lwm2m_path *p, const cb_item *v)
{
    char where[PATH_TEXT], why[160];
    lwm2m_path_format(p, where, sizeof where);
    if (p->depth < 3)
        return lc_error_set(d->err, LC_EINVAL,
                            "%s: %s (byte %zu) is an object or object instance, given a value; "
                            "a value belongs to a resource or resource instance",
                            FMT, where, v->offset);
    if (!lwm2m_path_is_under(p, d->base)) {
        char b[PATH_TEXT];
        lwm2m_path_format(d->base, b, sizeof b);
        return lc_error_set(d->err, LC_EINVAL, "%s: %s (byte %zu) is not under the request path %s",
                            FMT, where, v->offset, b);
    }
    if (d->out->count - d->start >= CONTENT_MAX_RECORDS)
        return lc_error_set(d->err, LC_EINVAL, "%s: more than %d values in one payload (at %s)",
                            FMT, CONTENT_MAX_RECORDS, where);
    lwm2m_type t = d->hint ? d->hint(p, d->arg) : LV_NONE;
    int rc = cb_add_value(d->out, p, t, v, why, sizeof why);
    if (rc == LC_EINVAL)
        return lc_error_set(d->err, rc, "%s: %s (byte %zu): %s", FMT, where, v->offset, why);
    if (rc == LC_ENOMEM)
        return lc_error_set(d->err, rc, "%s: out of memory", FMT);
    return 0;
}

/* The entries of map m, whose keys continue the path at. At most five maps nest: every
 * level adds at least one id and paths stop at four. */
static int decode_map(ldec *d, const cb_item *m, const lwm2m_path *at)
{
    uint64_t left = m->u;
    int more;
    while ((more = cb_more(&d->r, m, &left)) == 1) {
        lwm2m_path p = *at;
        int rc = read_key(d, &p);
        if (rc)
            return rc;
        cb_item v;
        if ((rc = cb_next(&d->r, &v)))
            return rc;
        if (v.kind == CB_MAP) {
            if (p.depth == 4) {
                char where[PATH_TEXT];
                lwm2m_path_format(&p, where, sizeof where);
                return lc_error_set(d->err, LC_EINVAL,
                                    "%s: a map at byte %zu below the resource instance %s", FMT,
                                    v.offset, where);
            }
            rc = decode_map(d, &v, &p);
        } else {
            rc = add_leaf(d, &p, &v);
            cb_reader_release(&d->r, 0); /* the value is copied by now */
        }
        if (rc)
            return rc;
    }
    return more;
}

int lwm2m_cbor_decode(const lwm2m_path *base, const uint8_t *in, size_t len,
                      lwm2m_type_hint hint, void *arg, lwm2m_records *out, lc_error *err)
{
    if (len == 0)
        return lc_error_set(err, LC_EINVAL,
                            "%s: the payload is empty (nothing to report is the empty map 0xA0)",
                            FMT);
    ldec d = {.base = base, .hint = hint, .arg = arg, .out = out, .start = out->count, .err = err};
    cb_reader_init(&d.r, FMT, in, len, err);
    cb_item root;
    int rc = cb_next(&d.r, &root);
    if (!rc && root.kind != CB_MAP)
        rc = lc_error_set(err, LC_EINVAL, "%s: the payload is %s, not a map", FMT,
                          cb_kind_name(root.kind));
    if (!rc) {
        lwm2m_path top = {{LWM2M_ID_NONE, LWM2M_ID_NONE, LWM2M_ID_NONE, LWM2M_ID_NONE}, 0};
        rc = decode_map(&d, &root, &top);
    }
    if (!rc && d.r.off != len)
        rc = lc_error_set(err, LC_EINVAL, "%s: %zu bytes after the root map, from byte %zu", FMT,
                          len - d.r.off, d.r.off);
    if (rc)
        records_truncate(out, d.start);
    cb_reader_free(&d.r);
    return rc;
}

const content_codec lwm2m_cbor_codec = {CF_LWM2M_CBOR, "lwm2m-cbor", false, lwm2m_cbor_encode,
                                        lwm2m_cbor_decode};
