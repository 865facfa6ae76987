/* Registration retry of the simulated device (LwM2M 1.1 §6.2.1.1), from its Server object:
 * Bootstrap on Registration Failure /1/x/16, Communication Retry Count /1/x/17, Retry Timer
 * /1/x/18 (s, doubled at each retry of a sequence), Sequence Delay Timer /1/x/19 (s) and
 * Sequence Retry Count /1/x/20, each with the 1.1 default when the instance lacks it (true,
 * 5, 60, 86400, 1). Used when the device runs with --registration-retry (the shape of a
 * real 1.1 client); without it the device keeps its short built-in fallback (sim/client.c). */
#ifndef LC_SIM_REGRETRY_H
#define LC_SIM_REGRETRY_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/store.h"

typedef struct sim_regretry {
    bool bootstrap_on_failure;
    unsigned retry_count;    /* Registers in one sequence (at least 1) */
    unsigned retry_timer_s;  /* before the first retry of a sequence; doubled at each next */
    unsigned sequence_delay_s;
    unsigned sequence_count; /* sequences before the device gives up on the server */
} sim_regretry;

/* The values of Server instance inst in st; with defaults_only (fault ignore-retry-timers)
 * the 1.1 defaults whatever was written. */
void sim_regretry_read(const sim_store *st, int inst, bool defaults_only, sim_regretry *out);

/* After `failures` Registers failed in a row (>= 1): milliseconds until the next attempt,
 * or -1 when every sequence is spent (the device gives up on the server). */
int64_t sim_regretry_next_ms(const sim_regretry *r, unsigned failures);

#endif
