#include "lwm2m/linkformat.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- character classes (RFC 6690 §2, RFC 8288 for the case-insensitive names) ---- */

static bool is_alnum(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_parmname_char(int c)
{
    /* '*' is not in parmname, but RFC 6690's ext-name-star ("title*") is parmname "*". */
    return c >= 0 && (is_alnum(c) || strchr("!#$&+-.^_`|~*", c) != NULL) && c != '\0';
}

static bool is_ptoken_char(int c)
{
    return c >= 0 && c != '\0' && (is_alnum(c) || strchr("!#$%&'()*+-./:<=>?@[]^_`{|}~", c));
}

/* URI-Reference is not re-validated here; anything visible except the delimiters is kept so
 * a device's odd URI reaches the comparison (and the report) instead of a parse error. */
static bool is_uri_char(int c)
{
    return c > 0x20 && c < 0x7f && c != '<' && c != '>' && c != '"';
}

static bool is_ws(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ---- parser ---- */

typedef struct parser {
    const char *buf;
    size_t len;
    size_t pos;
    lc_error *err;
} parser;

static int peek(const parser *p)
{
    return p->pos < p->len ? (unsigned char)p->buf[p->pos] : -1;
}

static void skip_ws(parser *p)
{
    while (is_ws(peek(p)))
        p->pos++;
}

static int expected(parser *p, const char *what)
{
    int c = peek(p);
    if (c < 0)
        return lc_error_set(p->err, LC_EINVAL, "expected %s at offset %zu (found end of input)",
                            what, p->pos);
    if (c >= 0x20 && c < 0x7f)
        return lc_error_set(p->err, LC_EINVAL, "expected %s at offset %zu (found '%c')", what,
                            p->pos, c);
    return lc_error_set(p->err, LC_EINVAL, "expected %s at offset %zu (found byte 0x%02x)", what,
                        p->pos, (unsigned)c);
}

static int parse_uri(parser *p, lf_link *link)
{
    if (peek(p) != '<')
        return expected(p, "'<'");
    p->pos++;
    size_t start = p->pos, n = 0;
    while (is_uri_char(peek(p))) {
        if (n + 1 >= sizeof link->uri)
            return lc_error_set(p->err, LC_EINVAL, "URI longer than %zu bytes at offset %zu",
                                sizeof link->uri - 1, start);
        link->uri[n++] = p->buf[p->pos++];
    }
    link->uri[n] = '\0';
    if (peek(p) != '>')
        return expected(p, "'>'");
    p->pos++;
    return 0;
}

static int parse_quoted(parser *p, lf_attr *a)
{
    size_t start = p->pos, n = 0;
    p->pos++; /* the opening quote */
    for (;;) {
        int c = peek(p);
        if (c == '"') {
            p->pos++;
            break;
        }
        if (c == '\\') {
            p->pos++;
            c = peek(p);
            /* Control characters stay out of values even when escaped: they would end a
             * C string early or corrupt a report line. */
            if (c < 0 || (c < 0x20 && c != '\t') || c == 0x7f)
                return expected(p, "an escaped character");
        } else if (c < 0 || (c < 0x20 && c != '\t') || c == 0x7f) {
            return expected(p, "'\"'");
        }
        if (n + 1 >= sizeof a->value)
            return lc_error_set(p->err, LC_EINVAL,
                                "value of '%s' longer than %zu bytes at offset %zu", a->name,
                                sizeof a->value - 1, start);
        a->value[n++] = (char)c;
        p->pos++;
    }
    a->value[n] = '\0';
    a->quoted = true;
    return 0;
}

static int parse_ptoken(parser *p, lf_attr *a)
{
    size_t start = p->pos, n = 0;
    if (!is_ptoken_char(peek(p)))
        return expected(p, "a value after '='");
    while (is_ptoken_char(peek(p))) {
        if (n + 1 >= sizeof a->value)
            return lc_error_set(p->err, LC_EINVAL,
                                "value of '%s' longer than %zu bytes at offset %zu", a->name,
                                sizeof a->value - 1, start);
        a->value[n++] = p->buf[p->pos++];
    }
    a->value[n] = '\0';
    return 0;
}

/* Called with pos just after ';'. */
static int parse_attr(parser *p, lf_link *link)
{
    skip_ws(p);
    if (link->attr_count == LF_MAX_ATTRS)
        return lc_error_set(p->err, LC_EINVAL, "more than %d attributes on <%s> at offset %zu",
                            LF_MAX_ATTRS, link->uri, p->pos);
    lf_attr *a = &link->attrs[link->attr_count];
    memset(a, 0, sizeof *a);
    size_t start = p->pos, n = 0;
    if (!is_parmname_char(peek(p)))
        return expected(p, "an attribute name");
    while (is_parmname_char(peek(p))) {
        if (n + 1 >= sizeof a->name)
            return lc_error_set(p->err, LC_EINVAL,
                                "attribute name longer than %zu bytes at offset %zu",
                                sizeof a->name - 1, start);
        a->name[n++] = p->buf[p->pos++];
    }
    a->name[n] = '\0';
    skip_ws(p);
    if (peek(p) == '=') {
        p->pos++;
        skip_ws(p);
        a->has_value = true;
        int rc = peek(p) == '"' ? parse_quoted(p, a) : parse_ptoken(p, a);
        if (rc < 0)
            return rc;
    }
    link->attr_count++;
    return 0;
}

static int parse_link(parser *p, lf_link *link)
{
    memset(link, 0, sizeof *link);
    int rc = parse_uri(p, link);
    if (rc < 0)
        return rc;
    for (;;) {
        skip_ws(p);
        if (peek(p) != ';')
            return 0;
        p->pos++;
        if ((rc = parse_attr(p, link)) < 0)
            return rc;
    }
}

static int grow(lf_link **links, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 8;
    if (ncap > LF_MAX_LINKS)
        ncap = LF_MAX_LINKS;
    lf_link *n = realloc(*links, ncap * sizeof *n);
    if (!n)
        return LC_ENOMEM;
    *links = n;
    *cap = ncap;
    return 0;
}

int linkformat_parse(const char *buf, size_t len, lf_set *out, lc_error *err)
{
    parser p = {buf, buf ? len : 0, 0, err};
    lf_link *links = NULL;
    size_t count = 0, cap = 0;
    int rc = 0;

    if (!out)
        return lc_error_set(err, LC_EINVAL, "linkformat_parse: no output set");
    skip_ws(&p);
    if (p.pos < p.len) {
        for (;;) {
            if (count == LF_MAX_LINKS) {
                rc = lc_error_set(err, LC_EINVAL, "more than %d links at offset %zu",
                                  LF_MAX_LINKS, p.pos);
                break;
            }
            if (grow(&links, &cap, count + 1) < 0) {
                rc = lc_error_set(err, LC_ENOMEM, "out of memory parsing %zu links", count + 1);
                break;
            }
            if ((rc = parse_link(&p, &links[count])) < 0)
                break;
            count++;
            skip_ws(&p);
            if (peek(&p) < 0)
                break;
            if (peek(&p) != ',') {
                rc = expected(&p, "';', ',' or end of input");
                break;
            }
            p.pos++;
            skip_ws(&p);
        }
    }
    if (rc < 0) {
        free(links);
        return rc;
    }
    out->links = links;
    out->count = count;
    return 0;
}

void linkformat_free(lf_set *set)
{
    if (!set)
        return;
    free(set->links);
    set->links = NULL;
    set->count = 0;
}

/* ---- formatting ---- */

/* A growable or fixed text buffer: counts what would have been written, like snprintf. */
typedef struct sbuf {
    char *buf;
    size_t cap;
    size_t len;
} sbuf;

static void sb_putn(sbuf *b, const char *s, size_t n)
{
    if (b->len < b->cap) {
        size_t room = b->cap - 1 - b->len;
        memcpy(b->buf + b->len, s, n < room ? n : room);
    }
    b->len += n;
    if (b->cap)
        b->buf[b->len < b->cap ? b->len : b->cap - 1] = '\0';
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

static bool needs_quotes(const lf_attr *a)
{
    if (a->quoted || !a->value[0])
        return true;
    for (const char *s = a->value; *s; s++)
        if (!is_ptoken_char((unsigned char)*s))
            return true;
    return false;
}

static void format_attr(sbuf *b, const lf_attr *a)
{
    sb_puts(b, a->name);
    if (!a->has_value)
        return;
    sb_puts(b, "=");
    if (!needs_quotes(a)) {
        sb_puts(b, a->value);
        return;
    }
    sb_puts(b, "\"");
    for (const char *s = a->value; *s; s++) {
        if (*s == '"' || *s == '\\')
            sb_puts(b, "\\");
        sb_putn(b, s, 1);
    }
    sb_puts(b, "\"");
}

static void format_link(sbuf *b, const lf_link *l)
{
    sb_puts(b, "<");
    sb_puts(b, l->uri);
    sb_puts(b, ">");
    for (size_t i = 0; i < l->attr_count; i++) {
        sb_puts(b, ";");
        format_attr(b, &l->attrs[i]);
    }
}

int linkformat_format(const lf_set *set, char *buf, size_t cap)
{
    sbuf b = {buf, buf ? cap : 0, 0};
    if (b.cap)
        b.buf[0] = '\0';
    for (size_t i = 0; set && i < set->count; i++) {
        if (i)
            sb_puts(&b, ",");
        format_link(&b, &set->links[i]);
    }
    return b.len > INT_MAX ? INT_MAX : (int)b.len;
}

const lf_link *linkformat_find(const lf_set *set, const char *uri)
{
    if (!set || !uri)
        return NULL;
    for (size_t i = 0; i < set->count; i++)
        if (strcmp(set->links[i].uri, uri) == 0)
            return &set->links[i];
    return NULL;
}

const lf_attr *linkformat_attr(const lf_link *link, const char *name)
{
    if (!link || !name)
        return NULL;
    for (size_t i = 0; i < link->attr_count; i++)
        if (strcasecmp(link->attrs[i].name, name) == 0)
            return &link->attrs[i];
    return NULL;
}

/* ---- numeric-aware equality ---- */

/* A decimal number reduced to sign, significant digits and exponent, so that "10", "1e1",
 * "10.0" and "+1.0E+1" all become (+, "1", 1) and compare exactly, without strtod's locale
 * dependence or double rounding. */
typedef struct decimal {
    bool negative;
    char digits[256];
    long exponent;
} decimal;

static bool decimal_parse(const char *s, decimal *d)
{
    size_t n = 0, frac = 0, ndigits = 0;
    long exp = 0;
    bool dot = false;
    memset(d, 0, sizeof *d);
    if (*s == '+' || *s == '-')
        d->negative = *s++ == '-';
    for (;; s++) {
        if (*s >= '0' && *s <= '9') {
            if (n + 1 >= sizeof d->digits)
                return false;
            d->digits[n++] = *s;
            ndigits++;
            if (dot)
                frac++;
        } else if (*s == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    if (ndigits == 0)
        return false;
    if (*s == 'e' || *s == 'E') {
        s++;
        bool eneg = false;
        if (*s == '+' || *s == '-')
            eneg = *s++ == '-';
        size_t edigits = 0;
        for (; *s >= '0' && *s <= '9'; s++) {
            if (++edigits > 9)
                return false; /* absurd exponents compare as strings */
            exp = exp * 10 + (*s - '0');
        }
        if (edigits == 0)
            return false;
        if (eneg)
            exp = -exp;
    }
    if (*s != '\0')
        return false;
    d->digits[n] = '\0';
    d->exponent = exp - (long)frac;
    /* strip leading zeros */
    size_t lead = strspn(d->digits, "0");
    memmove(d->digits, d->digits + lead, n - lead + 1);
    n -= lead;
    while (n > 0 && d->digits[n - 1] == '0') {
        d->digits[--n] = '\0';
        d->exponent++;
    }
    if (n == 0) { /* zero: sign and exponent do not matter */
        d->negative = false;
        d->exponent = 0;
    }
    return true;
}

bool linkformat_value_equal(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    decimal da, db;
    if (decimal_parse(a, &da) && decimal_parse(b, &db))
        return da.negative == db.negative && da.exponent == db.exponent &&
               strcmp(da.digits, db.digits) == 0;
    return strcmp(a, b) == 0;
}

/* ---- comparison ---- */

static const char *const default_ignore[] = {"dim", NULL};
static const char *const no_names[] = {NULL};

static bool attr_equal(const lf_attr *a, const lf_attr *b)
{
    if (strcasecmp(a->name, b->name) != 0 || a->has_value != b->has_value)
        return false;
    return !a->has_value || linkformat_value_equal(a->value, b->value);
}

static bool has_attr_name(const lf_link *l, const char *name)
{
    return linkformat_attr(l, name) != NULL;
}

static bool has_equal_attr(const lf_link *l, const lf_attr *a)
{
    for (size_t i = 0; i < l->attr_count; i++)
        if (attr_equal(&l->attrs[i], a))
            return true;
    return false;
}

static bool is_ignored(const char *const *ignore, const char *name)
{
    for (; *ignore; ignore++)
        if (strcasecmp(*ignore, name) == 0)
            return true;
    return false;
}

/* Collects the differences; each one is a "; "-separated clause. */
typedef struct diffs {
    sbuf text; /* heap-grown */
    size_t count;
    bool oom;
} diffs;

static void diff_add(diffs *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void diff_add(diffs *d, const char *fmt, ...)
{
    char clause[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(clause, sizeof clause, fmt, ap);
    va_end(ap);
    d->count++;
    if (d->oom)
        return;
    size_t add = strlen(clause) + (d->count > 1 ? 2 : 0);
    if (d->text.len + add + 1 > d->text.cap) {
        size_t ncap = (d->text.cap ? d->text.cap : 256);
        while (ncap < d->text.len + add + 1)
            ncap *= 2;
        char *n = realloc(d->text.buf, ncap);
        if (!n) {
            d->oom = true;
            return;
        }
        d->text.buf = n;
        d->text.cap = ncap;
    }
    if (d->count > 1)
        sb_puts(&d->text, "; ");
    sb_puts(&d->text, clause);
}

static void link_text(const lf_link *l, char *buf, size_t cap)
{
    sbuf b = {buf, cap, 0};
    buf[0] = '\0';
    format_link(&b, l);
}

static void attr_text(const lf_attr *a, char *buf, size_t cap)
{
    sbuf b = {buf, cap, 0};
    buf[0] = '\0';
    format_attr(&b, a);
}

/* Differences between an expected link and one observed link with its URI. With d NULL
 * only counts. */
static size_t attr_diffs(const lf_link *e, const lf_link *o, const char *const *ignore,
                         const char *const *optional, diffs *d)
{
    size_t n = 0;
    char et[200], ot[200];
    for (size_t i = 0; i < e->attr_count; i++) {
        const lf_attr *a = &e->attrs[i];
        if (has_equal_attr(o, a))
            continue;
        const lf_attr *seen = linkformat_attr(o, a->name);
        if (!seen && is_ignored(optional, a->name))
            continue;
        n++;
        if (!d)
            continue;
        attr_text(a, et, sizeof et);
        if (!seen) {
            diff_add(d, "<%s> lacks %s, expected %s", e->uri, a->name, et);
        } else {
            attr_text(seen, ot, sizeof ot);
            diff_add(d, "<%s> has %s, expected %s", e->uri, ot, et);
        }
    }
    for (size_t i = 0; i < o->attr_count; i++) {
        const lf_attr *b = &o->attrs[i];
        if (has_equal_attr(e, b))
            continue;
        if (!has_attr_name(e, b->name)) {
            if (is_ignored(ignore, b->name))
                continue;
        } else {
            /* Already reported above, unless the expected value was also observed and this
             * is a second, different value of the same attribute. */
            const lf_attr *want = linkformat_attr(e, b->name);
            if (!has_equal_attr(o, want))
                continue;
        }
        n++;
        if (d) {
            attr_text(b, ot, sizeof ot);
            diff_add(d, "<%s> has unexpected %s", e->uri, ot);
        }
    }
    return n;
}

static void compare_present(const lf_set *exp, const lf_set *obs, const char *const *ignore,
                            const char *const *optional, bool exact, diffs *d)
{
    char lt[400];
    for (size_t i = 0; i < exp->count; i++) {
        const lf_link *e = &exp->links[i];
        const lf_link *first = NULL;
        bool matched = false;
        for (size_t j = 0; j < obs->count && !matched; j++) {
            const lf_link *o = &obs->links[j];
            if (strcmp(o->uri, e->uri) != 0)
                continue;
            if (!first)
                first = o;
            matched = attr_diffs(e, o, ignore, optional, NULL) == 0;
        }
        if (matched)
            continue;
        if (!first) {
            link_text(e, lt, sizeof lt);
            diff_add(d, "missing %s", lt);
        } else {
            attr_diffs(e, first, ignore, optional, d);
        }
    }
    if (!exact)
        return;
    for (size_t j = 0; j < obs->count; j++) {
        const lf_link *o = &obs->links[j];
        bool earlier = false;
        size_t times = 0;
        for (size_t k = 0; k < obs->count; k++) {
            if (strcmp(obs->links[k].uri, o->uri) != 0)
                continue;
            if (k < j)
                earlier = true;
            times++;
        }
        if (earlier)
            continue;
        if (!linkformat_find(exp, o->uri)) {
            link_text(o, lt, sizeof lt);
            diff_add(d, "unexpected %s", lt);
        } else if (times > 1) {
            diff_add(d, "<%s> appears %zu times", o->uri, times);
        }
    }
}

static void compare_excluded(const lf_set *exp, const lf_set *obs, diffs *d)
{
    char lt[400], found[600];
    for (size_t i = 0; i < exp->count; i++) {
        const lf_link *e = &exp->links[i];
        for (size_t j = 0; j < obs->count; j++) {
            const lf_link *o = &obs->links[j];
            if (strcmp(o->uri, e->uri) != 0)
                continue;
            link_text(e, lt, sizeof lt);
            if (e->attr_count == 0) {
                diff_add(d, "excluded %s is present", lt);
                break;
            }
            sbuf f = {found, sizeof found, 0};
            found[0] = '\0';
            for (size_t k = 0; k < e->attr_count; k++) {
                const lf_attr *a = &e->attrs[k];
                if (!has_equal_attr(o, a))
                    continue;
                if (f.len)
                    sb_puts(&f, ", ");
                format_attr(&f, a);
            }
            if (f.len) {
                diff_add(d, "excluded %s is present: <%s> has %s", lt, o->uri, found);
                break;
            }
        }
    }
}

static void write_why(const diffs *d, char *why, size_t cap)
{
    if (!why || cap == 0)
        return;
    const char *text = d->text.buf ? d->text.buf : "";
    if (d->oom)
        text = "differences found (out of memory describing them)";
    size_t n = strlen(text);
    if (n < cap) {
        memcpy(why, text, n + 1);
        return;
    }
    /* Truncate, marked with "...", without cutting a UTF-8 sequence in half. */
    size_t keep = cap > 4 ? cap - 4 : 0;
    while (keep > 0 && ((unsigned char)text[keep] & 0xC0) == 0x80)
        keep--;
    memcpy(why, text, keep);
    snprintf(why + keep, cap - keep, "...");
}

bool linkformat_compare(const lf_set *expected, const lf_set *observed,
                        const lf_compare_options *opt, char *why, size_t why_cap)
{
    static const lf_set empty = {NULL, 0};
    lf_match_mode mode = opt ? opt->mode : LF_MATCH_EXACT;
    const char *const *ignore = opt && opt->ignore_attrs ? opt->ignore_attrs : default_ignore;
    const char *const *optional = opt && opt->optional_attrs ? opt->optional_attrs : no_names;
    diffs d = {{NULL, 0, 0}, 0, false};

    if (!expected)
        expected = &empty;
    if (!observed)
        observed = &empty;
    if (mode == LF_MATCH_EXCLUDES)
        compare_excluded(expected, observed, &d);
    else
        compare_present(expected, observed, ignore, optional, mode == LF_MATCH_EXACT, &d);
    write_why(&d, why, why_cap);
    free(d.text.buf);
    return d.count == 0;
}
