#include "sim/reboot.h"

#include <string.h>

static const char *const names[] = {"in-process", "exit", "reexec"};

int sim_reboot_parse(const char *s, sim_reboot_mode *out, lc_error *err)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (sim_reboot_mode)i;
            return 0;
        }
    return lc_error_set(err, LC_EINVAL, "--reboot %s: expected in-process, exit or reexec", s);
}

const char *sim_reboot_name(sim_reboot_mode m)
{
    return (unsigned)m < sizeof names / sizeof names[0] ? names[m] : "?";
}
