#include "sim/simlog.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sim_logf(logger *lg, log_level level, const char *fmt, ...)
{
    if (level > (lg ? logger_level(lg) : LOG_LVL_ERROR))
        return;
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    logger_redact(lg, line, sizeof line);
    static const char *const names[] = {"error: ", "warning: ", "", "", ""};
    fprintf(stderr, "lwm2m-simdev: %s%s\n", names[level], line);
    fflush(stderr);
}
