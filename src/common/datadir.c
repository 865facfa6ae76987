#include "common/datadir.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* dir holds both testcases/ and fixtures/. */
static bool has_data(const char *dir)
{
    char p[PATH_MAX + 16];
    snprintf(p, sizeof p, "%s/testcases", dir);
    if (!is_dir(p))
        return false;
    snprintf(p, sizeof p, "%s/fixtures", dir);
    return is_dir(p);
}

int datadir_find(char *buf, size_t cap, lc_error *err)
{
    const char *env = getenv(DATADIR_ENV);
    if (env && *env) {
        if (!is_dir(env))
            return lc_error_set(err, LC_ENOTFOUND, "%s=%s: no such directory", DATADIR_ENV, env);
        snprintf(buf, cap, "%s", env);
        return 0;
    }
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return lc_error_set(err, LC_ENOTFOUND, "cannot tell where the executable is "
                            "(/proc/self/exe); set %s to the directory holding testcases/ "
                            "and fixtures/", DATADIR_ENV);
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return lc_error_set(err, LC_ENOTFOUND, "cannot tell where the executable is; set %s",
                            DATADIR_ENV);
    *slash = '\0'; /* exe is now the executable's directory */
    char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/../%s", exe, DATADIR_SHARE);
    if (has_data(p)) {
        char real[PATH_MAX];
        snprintf(buf, cap, "%s", realpath(p, real) ? real : p);
        return 0;
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", exe);
    for (int up = 0; up < 4; up++) {
        slash = strrchr(dir, '/');
        if (!slash)
            break;
        *slash = '\0';
        if (has_data(dir[0] ? dir : "/")) {
            snprintf(buf, cap, "%s", dir[0] ? dir : "/");
            return 0;
        }
    }
    return lc_error_set(err, LC_ENOTFOUND, "the tool's data (testcases/, fixtures/) is neither "
                        "in %s/../%s nor in a source tree around %s; set %s or give --datadir",
                        exe, DATADIR_SHARE, exe, DATADIR_ENV);
}
