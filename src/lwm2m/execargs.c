#include "lwm2m/execargs.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint8_t *execargs_format(const tc_kv *args, size_t count, size_t *len)
{
    size_t cap = 1;
    for (size_t i = 0; i < count; i++)
        cap += 5 + (args[i].value ? strlen(args[i].value) : 0);
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        if (i)
            buf[n++] = ',';
        n += (size_t)snprintf(buf + n, cap - n, "%s", args[i].name);
        if (args[i].value)
            n += (size_t)snprintf(buf + n, cap - n, "='%s'", args[i].value);
    }
    buf[n] = '\0';
    *len = n;
    return (uint8_t *)buf;
}

static bool arg_char(uint8_t c)
{
    return c == 0x21 || (c >= 0x23 && c <= 0x26) || (c >= 0x28 && c <= 0x7e);
}

int execargs_parse(const uint8_t *p, size_t len, execargs *out, lc_error *err)
{
    memset(out, 0, sizeof *out);
    size_t i = 0;
    while (i < len) {
        if (out->count == EXECARGS_MAX)
            return lc_error_set(err, LC_EINVAL, "more than %d arguments", EXECARGS_MAX);
        if (p[i] < '0' || p[i] > '9')
            return lc_error_set(err, LC_EINVAL, "byte %zu: an argument starts with a digit", i);
        int id = p[i++] - '0';
        for (int k = 0; k < out->count; k++)
            if (out->arg[k].id == id)
                return lc_error_set(err, LC_EINVAL, "argument %d is given twice", id);
        out->arg[out->count].id = id;
        if (i < len && p[i] == '=') {
            if (++i >= len || p[i] != '\'')
                return lc_error_set(err, LC_EINVAL, "byte %zu: a value starts with '", i);
            size_t start = ++i;
            while (i < len && p[i] != '\'') {
                if (!arg_char(p[i]))
                    return lc_error_set(err, LC_EINVAL, "byte %zu: 0x%02x is not allowed in a value",
                                        i, p[i]);
                i++;
            }
            if (i >= len)
                return lc_error_set(err, LC_EINVAL, "a value without its closing '");
            size_t vl = i - start;
            if (vl >= sizeof out->arg[0].value)
                vl = sizeof out->arg[0].value - 1;
            memcpy(out->arg[out->count].value, p + start, vl);
            out->arg[out->count].has_value = 1;
            i++;
        }
        out->count++;
        if (i < len) {
            if (p[i] != ',' || i + 1 == len)
                return lc_error_set(err, LC_EINVAL, "byte %zu: expected ',' and another argument", i);
            i++;
        }
    }
    return 0;
}
