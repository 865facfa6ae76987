#include "tc/jsonpos.h"

#include <stdbool.h>
#include <string.h>

#include "common/err.h"

void jsonpos_line_col(const char *text, size_t len, size_t offset, int *line, int *column)
{
    int l = 1, c = 1;
    if (offset > len)
        offset = len;
    for (size_t i = 0; i < offset; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) { /* not a UTF-8 continuation byte */
            c++;
        }
    }
    *line = l;
    *column = c;
}

typedef struct scanner {
    const char *s;
    size_t len, i;
} scanner;

static void skip_ws(scanner *sc)
{
    while (sc->i < sc->len) {
        char ch = sc->s[sc->i];
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
            break;
        sc->i++;
    }
}

/* Skips a string starting at its opening quote. */
static bool skip_string(scanner *sc)
{
    if (sc->i >= sc->len || sc->s[sc->i] != '"')
        return false;
    sc->i++;
    while (sc->i < sc->len) {
        char ch = sc->s[sc->i++];
        if (ch == '\\')
            sc->i++;
        else if (ch == '"')
            return true;
    }
    return false;
}

/* Skips one value of any kind without recursion: brackets are counted, strings jumped. */
static bool skip_value(scanner *sc)
{
    skip_ws(sc);
    if (sc->i >= sc->len)
        return false;
    char ch = sc->s[sc->i];
    if (ch == '"')
        return skip_string(sc);
    if (ch == '{' || ch == '[') {
        size_t depth = 0;
        while (sc->i < sc->len) {
            ch = sc->s[sc->i];
            if (ch == '"') {
                if (!skip_string(sc))
                    return false;
                continue;
            }
            sc->i++;
            if (ch == '{' || ch == '[')
                depth++;
            else if ((ch == '}' || ch == ']') && --depth == 0)
                return true;
        }
        return false;
    }
    size_t start = sc->i;
    while (sc->i < sc->len && !strchr(",}] \t\r\n", sc->s[sc->i]))
        sc->i++;
    return sc->i > start;
}

/* Past a member of an object or array that is not the one wanted: its value, then a ','
 * (returns 1: more members follow) or the closing bracket (0); -1 when malformed. */
static int skip_member(scanner *sc, char close)
{
    if (!skip_value(sc))
        return -1;
    skip_ws(sc);
    if (sc->i < sc->len && sc->s[sc->i] == ',') {
        sc->i++;
        return 1;
    }
    return sc->i < sc->len && sc->s[sc->i] == close ? 0 : -1;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads a key string, decoding escapes into buf. *fits is false when it did not fit (it
 * then cannot equal a token that does). */
static bool read_key(scanner *sc, char *buf, size_t cap, size_t *outlen, bool *fits)
{
    size_t n = 0;
    *fits = true;
    if (sc->i >= sc->len || sc->s[sc->i] != '"')
        return false;
    sc->i++;
    while (sc->i < sc->len) {
        unsigned char ch = (unsigned char)sc->s[sc->i++];
        unsigned long cp;
        char tmp[4];
        size_t tn = 0;
        if (ch == '"') {
            *outlen = n;
            return true;
        }
        if (ch != '\\') {
            tmp[tn++] = (char)ch;
        } else {
            if (sc->i >= sc->len)
                return false;
            char e = sc->s[sc->i++];
            switch (e) {
            case 'b': tmp[tn++] = '\b'; break;
            case 'f': tmp[tn++] = '\f'; break;
            case 'n': tmp[tn++] = '\n'; break;
            case 'r': tmp[tn++] = '\r'; break;
            case 't': tmp[tn++] = '\t'; break;
            case 'u':
                if (sc->i + 4 > sc->len)
                    return false;
                cp = 0;
                for (int k = 0; k < 4; k++) {
                    int h = hexval(sc->s[sc->i++]);
                    if (h < 0)
                        return false;
                    cp = cp << 4 | (unsigned long)h;
                }
                /* A surrogate pair: the second \uXXXX follows. */
                if (cp >= 0xD800 && cp <= 0xDBFF && sc->i + 6 <= sc->len &&
                    sc->s[sc->i] == '\\' && sc->s[sc->i + 1] == 'u') {
                    unsigned long lo = 0;
                    bool ok = true;
                    for (int k = 0; k < 4; k++) {
                        int h = hexval(sc->s[sc->i + 2 + (size_t)k]);
                        if (h < 0)
                            ok = false;
                        lo = lo << 4 | (unsigned long)(h < 0 ? 0 : h);
                    }
                    if (ok && lo >= 0xDC00 && lo <= 0xDFFF) {
                        sc->i += 6;
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    }
                }
                if (cp < 0x80) {
                    tmp[tn++] = (char)cp;
                } else if (cp < 0x800) {
                    tmp[tn++] = (char)(0xC0 | cp >> 6);
                    tmp[tn++] = (char)(0x80 | (cp & 0x3F));
                } else if (cp < 0x10000) {
                    tmp[tn++] = (char)(0xE0 | cp >> 12);
                    tmp[tn++] = (char)(0x80 | (cp >> 6 & 0x3F));
                    tmp[tn++] = (char)(0x80 | (cp & 0x3F));
                } else {
                    tmp[tn++] = (char)(0xF0 | cp >> 18);
                    tmp[tn++] = (char)(0x80 | (cp >> 12 & 0x3F));
                    tmp[tn++] = (char)(0x80 | (cp >> 6 & 0x3F));
                    tmp[tn++] = (char)(0x80 | (cp & 0x3F));
                }
                break;
            default: tmp[tn++] = e; break; /* \" \\ \/ */
            }
        }
        if (n + tn > cap)
            *fits = false;
        else
            memcpy(buf + n, tmp, tn);
        n += tn;
    }
    return false;
}

/* Decodes the next pointer token (after its '/') into tok; advances *p past it. */
static bool next_token(const char **p, char *tok, size_t cap, size_t *toklen)
{
    const char *s = *p;
    size_t n = 0;
    while (*s && *s != '/') {
        char c = *s++;
        if (c == '~') {
            if (*s == '0')
                c = '~';
            else if (*s == '1')
                c = '/';
            else
                return false;
            s++;
        }
        if (n >= cap)
            return false;
        tok[n++] = c;
    }
    *toklen = n;
    *p = s;
    return true;
}

static bool parse_index(const char *tok, size_t n, size_t *idx)
{
    if (n == 0 || (n > 1 && tok[0] == '0'))
        return false;
    size_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (tok[i] < '0' || tok[i] > '9' || v > 100000000)
            return false;
        v = v * 10 + (size_t)(tok[i] - '0');
    }
    *idx = v;
    return true;
}

static void set_pos(const scanner *sc, size_t value_off, size_t key_off, bool has_key,
                    jsonpos *out)
{
    jsonpos_line_col(sc->s, sc->len, value_off, &out->line, &out->column);
    out->offset = value_off;
    if (has_key) {
        jsonpos_line_col(sc->s, sc->len, key_off, &out->key_line, &out->key_column);
    } else {
        out->key_line = 0;
        out->key_column = 0;
    }
}

int jsonpos_find(const char *text, size_t len, const char *pointer, jsonpos *out)
{
    scanner sc = {text, len, 0};
    jsonpos dummy;
    if (!out)
        out = &dummy;
    skip_ws(&sc);
    size_t value_off = sc.i, key_off = 0;
    bool has_key = false;
    set_pos(&sc, value_off, 0, false, out);
    if (!pointer)
        return LC_EINVAL;
    const char *p = pointer;
    while (*p) {
        if (*p != '/')
            return LC_EINVAL;
        p++;
        char tok[512];
        size_t toklen;
        if (!next_token(&p, tok, sizeof tok, &toklen))
            return LC_EINVAL;
        sc.i = value_off;
        if (sc.i >= sc.len)
            return LC_EINVAL;
        char open = sc.s[sc.i];
        bool found = false;
        if (open == '{') {
            sc.i++;
            for (;;) {
                skip_ws(&sc);
                if (sc.i >= sc.len)
                    return LC_EINVAL;
                if (sc.s[sc.i] == '}')
                    break;
                size_t this_key = sc.i;
                char key[512];
                size_t keylen;
                bool fits;
                if (!read_key(&sc, key, sizeof key, &keylen, &fits))
                    return LC_EINVAL;
                skip_ws(&sc);
                if (sc.i >= sc.len || sc.s[sc.i] != ':')
                    return LC_EINVAL;
                sc.i++;
                skip_ws(&sc);
                if (fits && keylen == toklen && memcmp(key, tok, toklen) == 0) {
                    value_off = sc.i;
                    key_off = this_key;
                    has_key = true;
                    found = true;
                    break;
                }
                int more = skip_member(&sc, '}');
                if (more < 0)
                    return LC_EINVAL;
                if (!more)
                    break;
            }
        } else if (open == '[') {
            size_t idx;
            if (!parse_index(tok, toklen, &idx))
                return LC_ENOTFOUND;
            sc.i++;
            for (size_t k = 0;; k++) {
                skip_ws(&sc);
                if (sc.i >= sc.len)
                    return LC_EINVAL;
                if (sc.s[sc.i] == ']')
                    break;
                if (k == idx) {
                    value_off = sc.i;
                    has_key = false;
                    found = true;
                    break;
                }
                int more = skip_member(&sc, ']');
                if (more < 0)
                    return LC_EINVAL;
                if (!more)
                    break;
            }
        }
        if (!found)
            return LC_ENOTFOUND;
        set_pos(&sc, value_off, key_off, has_key, out);
    }
    return 0;
}
