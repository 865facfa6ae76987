#include "lwm2m/ddf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#define MAX_ID 65535

static const struct {
    const char *name;
    lwm2m_type type;
} type_names[] = {
    {"String", LV_STRING},   {"Integer", LV_INTEGER}, {"Unsigned Integer", LV_UNSIGNED},
    {"Float", LV_FLOAT},     {"Boolean", LV_BOOLEAN}, {"Opaque", LV_OPAQUE},
    {"Time", LV_TIME},       {"Objlnk", LV_OBJLNK},   {"Corelnk", LV_STRING},
    {"", LV_NONE},
};

int ddf_type_from_name(const char *name, lwm2m_type *out)
{
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (strcmp(name, type_names[i].name) == 0) {
            *out = type_names[i].type;
            return 0;
        }
    return -1;
}

void ddf_object_free(lwm2m_object_def *o)
{
    if (!o)
        return;
    for (int i = 0; i < o->resource_count; i++) {
        lwm2m_resource_def *r = (lwm2m_resource_def *)&o->resources[i];
        free((char *)r->name);
        free((char *)r->type_name);
        free((char *)r->range);
        free((char *)r->units);
    }
    free((void *)o->resources);
    free((char *)o->name);
    free((char *)o->version);
    free((char *)o->source);
    free(o);
}

/* ---- reading elements ---- */

typedef struct reader {
    const char *file;
    lc_error *err;
} reader;

static int fail(reader *rd, const xmlNode *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(reader *rd, const xmlNode *at, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return lc_error_set(rd->err, LC_EINVAL, "%s:%ld: %s", rd->file, at ? xmlGetLineNo(at) : 0L,
                        msg);
}

static bool is_elem(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *child(const xmlNode *parent, const char *name)
{
    for (const xmlNode *n = parent->children; n; n = n->next)
        if (is_elem(n, name))
            return n;
    return NULL;
}

/* The element's text with surrounding white space removed; "" for an empty element.
 * Returns a new string or NULL (out of memory). */
static char *text_of(const xmlNode *n)
{
    xmlChar *raw = xmlNodeGetContent(n);
    const char *s = raw ? (const char *)raw : "";
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
                   s[len - 1] == '\n'))
        len--;
    char *out = strndup(s, len);
    xmlFree(raw);
    return out;
}

/* The text of the required child element name, in *out (owned by the caller). */
static int required_text(reader *rd, const xmlNode *parent, const char *what, const char *name,
                         char **out)
{
    const xmlNode *n = child(parent, name);
    if (!n)
        return fail(rd, parent, "%s has no <%s>", what, name);
    *out = text_of(n);
    return *out ? 0 : lc_error_set(rd->err, LC_ENOMEM, "out of memory");
}

static int parse_id(reader *rd, const xmlNode *at, const char *what, const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < 0 || v > MAX_ID)
        return fail(rd, at, "%s \"%s\" is not an id (0-%d)", what, s, MAX_ID);
    *out = (int)v;
    return 0;
}

/* "Single"/"Multiple" or "Mandatory"/"Optional" into a bool (true for the second word of
 * multiplicity, the first of mandatory). */
static int parse_word(reader *rd, const xmlNode *parent, const char *what, const char *name,
                      const char *yes, const char *no, bool *out)
{
    char *s = NULL;
    int rc = required_text(rd, parent, what, name, &s);
    if (rc == 0) {
        if (strcmp(s, yes) == 0)
            *out = true;
        else if (strcmp(s, no) == 0)
            *out = false;
        else
            rc = fail(rd, child(parent, name), "%s: <%s> is \"%s\", expected %s or %s", what,
                      name, s, no, yes);
    }
    free(s);
    return rc;
}

static int parse_operations(reader *rd, const xmlNode *at, const char *what, const char *s,
                            int *out)
{
    static const struct {
        const char *word;
        int ops;
    } ops[] = {{"", 0},
               {"R", LWM2M_OP_R},
               {"W", LWM2M_OP_W},
               {"RW", LWM2M_OP_R | LWM2M_OP_W},
               {"E", LWM2M_OP_E}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(s, ops[i].word) == 0) {
            *out = ops[i].ops;
            return 0;
        }
    return fail(rd, at, "%s: unknown <Operations> \"%s\" (R, W, RW, E or empty)", what, s);
}

static int parse_item(reader *rd, const xmlNode *item, int object_id, lwm2m_resource_def *r)
{
    xmlChar *idattr = xmlGetProp(item, (const xmlChar *)"ID");
    if (!idattr)
        return fail(rd, item, "object %d: resource <Item> has no ID attribute", object_id);
    int rc = parse_id(rd, item, "resource ID", (const char *)idattr, &r->id);
    xmlFree(idattr);
    if (rc)
        return rc;
    char what[64];
    snprintf(what, sizeof what, "resource /%d/x/%d", object_id, r->id);
    char *ops = NULL;
    rc = required_text(rd, item, what, "Name", (char **)&r->name);
    if (rc == 0)
        rc = required_text(rd, item, what, "Operations", &ops);
    if (rc == 0)
        rc = parse_operations(rd, child(item, "Operations"), what, ops, &r->operations);
    if (rc == 0)
        rc = parse_word(rd, item, what, "MultipleInstances", "Multiple", "Single", &r->multiple);
    if (rc == 0)
        rc = parse_word(rd, item, what, "Mandatory", "Mandatory", "Optional", &r->mandatory);
    if (rc == 0)
        rc = required_text(rd, item, what, "Type", (char **)&r->type_name);
    if (rc == 0 && ddf_type_from_name(r->type_name, &r->type) != 0)
        rc = fail(rd, child(item, "Type"),
                  "%s: unknown <Type> \"%s\" (String, Integer, Unsigned Integer, Float, "
                  "Boolean, Opaque, Time, Objlnk, Corelnk, or empty for an executable)",
                  what, r->type_name);
    if (rc == 0 && r->type == LV_NONE && r->operations != LWM2M_OP_E)
        rc = fail(rd, child(item, "Type"), "%s: has no <Type> but is not executable (E)", what);
    if (rc == 0 && r->operations == LWM2M_OP_E)
        r->type = LV_NONE; /* an executable carries no value, whatever the file says */
    /* Optional elements: absent and empty alike. */
    const xmlNode *n;
    if (rc == 0)
        r->range = (n = child(item, "RangeEnumeration")) ? text_of(n) : strdup("");
    if (rc == 0)
        r->units = (n = child(item, "Units")) ? text_of(n) : strdup("");
    if (rc == 0 && (!r->range || !r->units))
        rc = lc_error_set(rd->err, LC_ENOMEM, "out of memory");
    free(ops);
    return rc;
}

static int by_id(const void *a, const void *b)
{
    return ((const lwm2m_resource_def *)a)->id - ((const lwm2m_resource_def *)b)->id;
}

static int parse_object(reader *rd, const xmlNode *obj, lwm2m_object_def **out)
{
    lwm2m_object_def *o = calloc(1, sizeof *o);
    if (!o)
        return lc_error_set(rd->err, LC_ENOMEM, "out of memory");
    char *s = NULL;
    int rc = required_text(rd, obj, "<Object>", "ObjectID", &s);
    if (rc == 0)
        rc = parse_id(rd, child(obj, "ObjectID"), "<ObjectID>", s, &o->id);
    free(s);
    char what[32];
    snprintf(what, sizeof what, "object %d", o->id);
    if (rc == 0)
        rc = required_text(rd, obj, what, "Name", (char **)&o->name);
    if (rc == 0) {
        const xmlNode *v = child(obj, "ObjectVersion");
        o->version = v ? text_of(v) : strdup("1.0");
        if (!o->version)
            rc = lc_error_set(rd->err, LC_ENOMEM, "out of memory");
        else if (!o->version[0]) {
            free((char *)o->version);
            o->version = strdup("1.0");
        }
    }
    if (rc == 0)
        rc = parse_word(rd, obj, what, "MultipleInstances", "Multiple", "Single", &o->multiple);
    if (rc == 0)
        rc = parse_word(rd, obj, what, "Mandatory", "Mandatory", "Optional", &o->mandatory);
    if (rc == 0) {
        char src[600];
        snprintf(src, sizeof src, "%s:%ld", rd->file, xmlGetLineNo(obj));
        if (!(o->source = strdup(src)))
            rc = lc_error_set(rd->err, LC_ENOMEM, "out of memory");
    }
    const xmlNode *res = rc == 0 ? child(obj, "Resources") : NULL;
    if (rc == 0 && !res)
        rc = fail(rd, obj, "%s has no <Resources>", what);
    size_t cap = 0;
    lwm2m_resource_def *defs = NULL;
    /* Line of each resource, to name the first definition of a duplicate. */
    long *lines = NULL;
    for (const xmlNode *n = res ? res->children : NULL; rc == 0 && n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!is_elem(n, "Item")) {
            rc = fail(rd, n, "%s: unexpected <%s> in <Resources> (expected <Item>)", what,
                      (const char *)n->name);
            break;
        }
        if ((size_t)o->resource_count == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            lwm2m_resource_def *nd = realloc(defs, ncap * sizeof *nd);
            long *nl = nd ? realloc(lines, ncap * sizeof *nl) : NULL;
            if (nd)
                defs = nd;
            if (nl)
                lines = nl;
            if (!nd || !nl) {
                rc = lc_error_set(rd->err, LC_ENOMEM, "out of memory");
                break;
            }
            cap = ncap;
        }
        lwm2m_resource_def *r = &defs[o->resource_count];
        memset(r, 0, sizeof *r);
        o->resource_count++; /* counted now so a partial one is freed */
        o->resources = defs;
        rc = parse_item(rd, n, o->id, r);
        lines[o->resource_count - 1] = xmlGetLineNo(n);
        for (int k = 0; rc == 0 && k < o->resource_count - 1; k++)
            if (defs[k].id == r->id)
                rc = fail(rd, n, "%s: resource %d defined twice (first at line %ld)", what,
                          r->id, lines[k]);
    }
    free(lines);
    o->resources = defs;
    if (rc == 0 && o->resource_count)
        qsort(defs, (size_t)o->resource_count, sizeof *defs, by_id);
    if (rc != 0) {
        ddf_object_free(o);
        return rc;
    }
    *out = o;
    return 0;
}

static int parse_doc(reader *rd, xmlDoc *doc, lwm2m_object_def ***out, size_t *count)
{
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (!root)
        return fail(rd, NULL, "no root element");
    if (!is_elem(root, "LWM2M"))
        return fail(rd, root, "root element is <%s>, expected <LWM2M>", (const char *)root->name);
    lwm2m_object_def **v = NULL;
    size_t n = 0;
    int rc = 0;
    for (const xmlNode *c = root->children; c && rc == 0; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!is_elem(c, "Object")) {
            rc = fail(rd, c, "unexpected <%s> in <LWM2M> (expected <Object>)",
                      (const char *)c->name);
            break;
        }
        lwm2m_object_def **nv = realloc(v, (n + 1) * sizeof *nv);
        if (!nv) {
            rc = lc_error_set(rd->err, LC_ENOMEM, "out of memory");
            break;
        }
        v = nv;
        rc = parse_object(rd, c, &v[n]);
        if (rc == 0)
            n++;
    }
    if (rc == 0 && n == 0)
        rc = fail(rd, root, "<LWM2M> holds no <Object>");
    if (rc != 0) {
        for (size_t i = 0; i < n; i++)
            ddf_object_free(v[i]);
        free(v);
        return rc;
    }
    *out = v;
    *count = n;
    return 0;
}

static int read_doc(const char *name, xmlParserCtxt *ctx, xmlDoc *doc, lwm2m_object_def ***out,
                    size_t *count, lc_error *err)
{
    reader rd = {.file = name, .err = err};
    int rc;
    if (!doc) {
        const xmlError *e = xmlCtxtGetLastError(ctx);
        char msg[300] = "unreadable";
        if (e && e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            size_t l = strlen(msg);
            while (l && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
                msg[--l] = '\0';
        }
        if (e && e->domain == XML_FROM_IO)
            rc = lc_error_set(err, LC_EIO, "%s: %s", name, msg);
        else
            rc = lc_error_set(err, LC_EINVAL, "%s:%d: malformed XML: %s", name, e ? e->line : 0,
                              msg);
    } else {
        rc = parse_doc(&rd, doc, out, count);
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctx);
    return rc;
}

/* No network, no external entities or DTDs, no messages on stderr: errors come back in
 * the context and become the caller's lc_error. */
#define DDF_PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES)

int ddf_load_file(const char *path, lwm2m_object_def ***out, size_t *count, lc_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return lc_error_set(err, LC_EIO, "%s: %s", path, strerror(errno));
    fclose(f);
    xmlParserCtxt *ctx = xmlNewParserCtxt();
    if (!ctx)
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    xmlDoc *doc = xmlCtxtReadFile(ctx, path, NULL, DDF_PARSE_OPTIONS);
    return read_doc(path, ctx, doc, out, count, err);
}

int ddf_load_buffer(const char *name, const char *xml, size_t len, lwm2m_object_def ***out,
                    size_t *count, lc_error *err)
{
    if (len > (size_t)INT32_MAX)
        return lc_error_set(err, LC_EINVAL, "%s: too large", name);
    xmlParserCtxt *ctx = xmlNewParserCtxt();
    if (!ctx)
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    xmlDoc *doc = xmlCtxtReadMemory(ctx, xml, (int)len, name, NULL, DDF_PARSE_OPTIONS);
    return read_doc(name, ctx, doc, out, count, err);
}
