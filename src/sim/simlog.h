/* The simulator's messages on stderr, prefixed "lwm2m-simdev:". The simulator is its own
 * program, so it writes its own lines, but every line still passes through the project
 * logger's redaction (logger_redact), so a PSK key - factory or bootstrapped - never
 * reaches the terminal even if a format string slipped one in. */
#ifndef LC_SIM_SIMLOG_H
#define LC_SIM_SIMLOG_H

#include "common/log.h"

/* lg (borrowed) decides the level and holds the secrets; NULL prints errors only. */
void sim_logf(logger *lg, log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
