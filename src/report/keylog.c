#include "report/keylog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct keylog {
    int fd;
    size_t count;
};

keylog *keylog_open(const char *path, lc_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        lc_error_set(err, LC_EIO, "--keylog: cannot write %s: %s", path, strerror(errno));
        return NULL;
    }
    if (fchmod(fd, 0600) < 0) {
        lc_error_set(err, LC_EIO, "--keylog: cannot make %s private (0600): %s", path,
                     strerror(errno));
        close(fd);
        return NULL;
    }
    keylog *k = calloc(1, sizeof *k);
    if (!k) {
        close(fd);
        lc_error_set(err, LC_ENOMEM, "out of memory");
        return NULL;
    }
    k->fd = fd;
    return k;
}

void keylog_close(keylog *k)
{
    if (!k)
        return;
    close(k->fd);
    free(k);
}

void keylog_write(keylog *k, const char *line)
{
    if (!k)
        return;
    size_t len = strlen(line);
    char *buf = malloc(len + 1);
    if (!buf)
        return;
    memcpy(buf, line, len);
    buf[len] = '\n';
    /* one write: O_APPEND keeps lines whole even when two runs share the file */
    if (write(k->fd, buf, len + 1) == (ssize_t)(len + 1))
        k->count++;
    memset(buf, 0, len + 1);
    free(buf);
}

size_t keylog_count(const keylog *k) { return k ? k->count : 0; }
