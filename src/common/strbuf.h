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

#endif
