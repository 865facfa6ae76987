/* The live line of a run on a terminal: what the run waits for and for how long,
 *   int-104 step 3: waiting for the Update, 12 s of 22 s
 * drawn by logger_status (nothing without a terminal, nothing with -q), fed by the net
 * layer's wait progress (net_set_progress) and the case under way. */
#ifndef LC_CLI_PROGRESS_H
#define LC_CLI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/log.h"

typedef struct cli_progress {
    logger *lg;        /* borrowed */
    bool on;           /* a terminal and not -q */
    char case_id[64];  /* the case under way; "" between cases */
    char shown[256];   /* the line on the terminal now ("" none): redrawn only on change */
} cli_progress;

void cli_progress_init(cli_progress *p, logger *lg, bool quiet);
/* The case under way (NULL: none); erases the line. */
void cli_progress_case(cli_progress *p, const char *case_id);
/* A net_progress_fn (arg: the cli_progress). */
void cli_progress_wait(void *arg, const char *label, uint64_t waited_ms, uint64_t total_ms);

/* The line for a wait: label "int-104 step 3: expect-update" (what the runner sets), else
 * the case id, else "the device". Exposed for the unit test. */
void cli_progress_format(const char *case_id, const char *label, uint64_t waited_ms,
                         uint64_t total_ms, char *buf, size_t cap);

#endif
