/* A growable string, for building report texts and traces. */
#ifndef LC_STRBUF_H
#define LC_STRBUF_H

#include <stddef.h>

typedef struct strbuf {
    char *s;   /* NUL-terminated once anything was appended; NULL before */
    size_t len, cap;
    int failed; /* an allocation failed: the content is truncated */
} strbuf;

void strbuf_appendf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_append(strbuf *b, const char *s);
void strbuf_appendn(strbuf *b, const char *s, size_t n);
/* Hands the string to the caller (never NULL unless out of memory) and resets b. */
char *strbuf_take(strbuf *b);
void strbuf_free(strbuf *b);

/* Appends to a fixed buffer with snprintf semantics across calls: *used counts what was
 * written so far (it may exceed cap, meaning the output was cut), and the return value
 * is what this call needed. buf stays NUL-terminated when cap > 0. */
int bufprintf(char *buf, size_t cap, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
