#include "common/jsonerr.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Jansson says "'}' expected near '\"b\"'"; users read "expected ',' or '}', found '"b"'"
 * plus a hint for the Annex's known traps (comments, typographic quotes, placeholders). */
static const char *rephrase_expected(const char *what, bool at_eof, const char *what_object,
                                     char *buf, size_t cap)
{
    /* At the end of the input the file was cut short; elsewhere a separator is missing. */
    if (at_eof && strcmp(what, "']'") == 0)
        return "']' to close the array";
    if (at_eof && strcmp(what, "'}'") == 0)
        return "'}' to close the object";
    static const struct {
        const char *jansson, *ours;
    } table[] = {
        {"string or '}'", "a quoted key or '}'"},
        {"end of file", "the end of the input"},
        {"'}'", "',' or '}'"},
        {"']'", "',' or ']'"},
    };
    if (strcmp(what, "'[' or '{'") == 0) {
        snprintf(buf, cap, "'{' (%s is a JSON object)", what_object);
        return buf;
    }
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(what, table[i].jansson) == 0)
            return table[i].ours;
    snprintf(buf, cap, "%s", what);
    return buf;
}

static const char *rephrase_other(const char *msg, char *buf, size_t cap)
{
    static const struct {
        const char *prefix, *ours;
        bool keep; /* append jansson's text for its details */
    } table[] = {
        {"unexpected token", "a value", false},
        {"invalid token", "a value (a string, number, object, array, true, false or null)",
         false},
        {"premature end of input", "more input", false},
        {"unexpected newline", "'\"' to end the string before the line ends", false},
        {"control character", "no control characters in a string", true},
        {"invalid escape", "a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", false},
        {"duplicate object key", "each key once per object", false},
        {"unable to decode byte", "UTF-8 text", true},
        {"real number overflow", "a number in range", false},
        {"too big", "a number in range", true},
        {"maximum parsing depth", "less nesting", false},
        {"invalid Unicode", "a valid \\u escape", true},
        {"\\u0000", "no \\u0000 in strings", false},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strncmp(msg, table[i].prefix, strlen(table[i].prefix)) != 0)
            continue;
        if (!table[i].keep)
            return table[i].ours;
        snprintf(buf, cap, "%s (%s)", table[i].ours, msg);
        return buf;
    }
    snprintf(buf, cap, "valid JSON (%s)", msg);
    return buf;
}

static const char *hint_for(const char *msg, const char *near)
{
    static const char *const quotes[] = {"\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80\x98",
                                         "\xe2\x80\x99"};
    if (!near)
        return "";
    for (size_t i = 0; i < sizeof quotes / sizeof quotes[0]; i++)
        if (strncmp(near, quotes[i], 3) == 0)
            return " (a typographic quote: JSON needs a plain \")";
    if (near[0] == '/')
        return " (JSON has no comments)";
    if (near[0] == '<')
        return " (a placeholder? put the real value there)";
    if (near[0] == '\'')
        return " (JSON strings need \", not ')";
    if ((strcmp(near, "}") == 0 || strcmp(near, "]") == 0) &&
        (strcmp(msg, "string or '}' expected") == 0 || strcmp(msg, "unexpected token") == 0))
        return " (a trailing comma?)";
    return "";
}

/* Errors about a whole token, as opposed to a character inside a string. */
static bool starts_at_token(const char *msg)
{
    static const char *const prefixes[] = {"unexpected token", "invalid token",
                                           "duplicate object key", "real number overflow",
                                           "too big"};
    size_t len = strlen(msg);
    if (len > 9 && strcmp(msg + len - 9, " expected") == 0)
        return true;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncmp(msg, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

int jsonerr_syntax(const json_error_t *je, const char *name, const char *what_object,
                   lc_error *err)
{
    char msg[JSON_ERROR_TEXT_LENGTH], near[JSON_ERROR_TEXT_LENGTH];
    bool has_near = false, at_eof = false;
    snprintf(msg, sizeof msg, "%s", je->text);

    static const char eof_suffix[] = " near end of file";
    size_t mlen = strlen(msg);
    if (mlen >= sizeof eof_suffix - 1 &&
        strcmp(msg + mlen - (sizeof eof_suffix - 1), eof_suffix) == 0) {
        msg[mlen - (sizeof eof_suffix - 1)] = '\0';
        at_eof = true;
    } else if (mlen > 0 && msg[mlen - 1] == '\'') {
        /* the token itself may contain " near '", so take the first occurrence */
        char *at = strstr(msg, " near '");
        if (at) {
            msg[mlen - 1] = '\0';
            snprintf(near, sizeof near, "%s", at + 7);
            *at = '\0';
            has_near = true;
        }
    }

    char buf[256];
    const char *what;
    static const char exp_suffix[] = " expected";
    mlen = strlen(msg);
    if (mlen > sizeof exp_suffix - 1 &&
        strcmp(msg + mlen - (sizeof exp_suffix - 1), exp_suffix) == 0) {
        char head[JSON_ERROR_TEXT_LENGTH];
        snprintf(head, sizeof head, "%.*s", (int)(mlen - (sizeof exp_suffix - 1)), msg);
        what = rephrase_expected(head, at_eof, what_object, buf, sizeof buf);
    } else {
        what = rephrase_other(msg, buf, sizeof buf);
    }

    char found[JSON_ERROR_TEXT_LENGTH + 16] = "";
    if (has_near)
        snprintf(found, sizeof found, ", found '%s'", near);
    else if (at_eof)
        snprintf(found, sizeof found, ", found the end of the input");

    const char *hint = hint_for(msg, has_near ? near : NULL);
    /* Jansson's column is the token's last character; point at its first, where an editor
     * shows the problem. Inside a string (bad escape, newline) the last one is the problem. */
    int column = je->column;
    if (has_near && starts_at_token(msg)) {
        int chars = 0;
        for (const char *t = near; *t; t++)
            chars += ((unsigned char)*t & 0xC0) != 0x80;
        column -= chars - 1;
    }
    if (je->line < 1)
        return lc_error_set(err, LC_EINVAL, "%s: expected %s%s%s", name, what, found, hint);
    return lc_error_set(err, LC_EINVAL, "%s:%d:%d: expected %s%s%s", name, je->line,
                        column < 1 ? 1 : column, what, found, hint);
}

