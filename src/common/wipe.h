/* Wiping key material before its memory is released: a core dump or a later allocation
 * must not show it. Header-only. */
#ifndef LC_WIPE_H
#define LC_WIPE_H

#include <stddef.h>

/* volatile keeps the compiler from dropping the stores */
static inline void lc_wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

#endif
