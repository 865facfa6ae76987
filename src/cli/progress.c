#include "cli/progress.h"

#include <stdio.h>
#include <string.h>

void cli_progress_init(cli_progress *p, logger *lg, bool quiet)
{
    memset(p, 0, sizeof *p);
    p->lg = lg;
    p->on = !quiet && logger_status_enabled(lg);
}

void cli_progress_case(cli_progress *p, const char *case_id)
{
    snprintf(p->case_id, sizeof p->case_id, "%s", case_id ? case_id : "");
    p->shown[0] = '\0';
    if (p->on)
        logger_status(p->lg, NULL);
}

/* What a step's operation waits for, in words. */
static const struct {
    const char *op, *what;
} WAITS[] = {
    {"expect-register", "for the Register"},
    {"expect-update", "for the Update"},
    {"expect-deregister", "for the De-register"},
    {"expect-notification", "for a Notification"},
    {"expect-bootstrap-request", "for the Bootstrap-Request"},
    {"expect-registered", "for the registration"},
    {"wait", ""},
};

void cli_progress_format(const char *case_id, const char *label, uint64_t waited_ms,
                         uint64_t total_ms, char *buf, size_t cap)
{
    char who[128], what[96] = "";
    const char *colon = label ? strstr(label, ": ") : NULL;
    if (colon) {
        snprintf(who, sizeof who, "%.*s", (int)(colon - label), label);
        const char *op = colon + 2;
        snprintf(what, sizeof what, " for the answer to the %s", op);
        for (size_t i = 0; i < sizeof WAITS / sizeof WAITS[0]; i++)
            if (strcmp(op, WAITS[i].op) == 0)
                snprintf(what, sizeof what, "%s%s", WAITS[i].what[0] ? " " : "", WAITS[i].what);
    } else {
        snprintf(who, sizeof who, "%s", label     ? label
                                        : case_id && *case_id ? case_id
                                                              : "the device");
    }
    snprintf(buf, cap, "%s: waiting%s, %llu s of %llu s", who, what,
             (unsigned long long)(waited_ms / 1000), (unsigned long long)((total_ms + 500) / 1000));
}

void cli_progress_wait(void *arg, const char *label, uint64_t waited_ms, uint64_t total_ms)
{
    cli_progress *p = arg;
    if (!p->on)
        return;
    if (!label && total_ms == 0) {
        p->shown[0] = '\0';
        logger_status(p->lg, NULL);
        return;
    }
    char line[sizeof p->shown];
    cli_progress_format(p->case_id, label, waited_ms, total_ms, line, sizeof line);
    if (strcmp(line, p->shown) == 0)
        return;
    snprintf(p->shown, sizeof p->shown, "%s", line);
    logger_status(p->lg, line);
}
