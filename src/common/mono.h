/* Monotonic time in milliseconds: every deadline in the tool is measured with this,
 * never with the wall clock, so a clock step cannot fire or stall a timeout. */
#ifndef LC_MONO_H
#define LC_MONO_H

#include <stdint.h>
#include <time.h>

static inline uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Milliseconds left until deadline, 0 when it has passed. */
static inline uint64_t mono_remaining(uint64_t deadline)
{
    uint64_t now = mono_ms();
    return deadline > now ? deadline - now : 0;
}

#endif
