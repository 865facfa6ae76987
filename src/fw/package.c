#include "fw/package.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CORRUPT_SPAN 16u

struct fw_package {
    fw_package_kind kind;
    int fd;                 /* -1 for a derived package */
    const fw_package *base; /* derived: what it is made from */
    uint64_t size;
    char what[600];
};

static const char *const kind_names[FW_PKG__COUNT] = {
    [FW_PKG_FIRMWARE] = "firmware",       [FW_PKG_CORRUPT] = "corrupt",
    [FW_PKG_UNSUPPORTED] = "unsupported", [FW_PKG_INSTALL_FAILURE] = "install-failure",
    [FW_PKG_OVERSIZED] = "oversized",
};

const char *fw_package_kind_name(fw_package_kind k)
{
    return (int)k >= 0 && k < FW_PKG__COUNT ? kind_names[k] : NULL;
}

int fw_package_kind_from_name(const char *name)
{
    for (int i = 0; name && i < FW_PKG__COUNT; i++)
        if (strcmp(kind_names[i], name) == 0)
            return i;
    return -1;
}

fw_package *fw_package_open(const char *path, fw_package_kind kind, lc_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        lc_error_set(err, LC_EIO, "cannot open the firmware package %s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
        lc_error_set(err, LC_EINVAL, "the firmware package %s is not a non-empty regular file",
                     path);
        close(fd);
        return NULL;
    }
    fw_package *p = calloc(1, sizeof *p);
    if (!p) {
        close(fd);
        lc_error_set(err, LC_ENOMEM, "out of memory");
        return NULL;
    }
    p->kind = kind;
    p->fd = fd;
    p->size = (uint64_t)st.st_size;
    snprintf(p->what, sizeof p->what, "%s (%llu bytes)", path, (unsigned long long)p->size);
    return p;
}

fw_package *fw_package_derive(const fw_package *base, fw_package_kind kind, uint64_t size,
                              lc_error *err)
{
    if (kind != FW_PKG_CORRUPT && kind != FW_PKG_OVERSIZED) {
        lc_error_set(err, LC_EINVAL, "the tool makes only corrupt and oversized packages");
        return NULL;
    }
    fw_package *p = calloc(1, sizeof *p);
    if (!p) {
        lc_error_set(err, LC_ENOMEM, "out of memory");
        return NULL;
    }
    p->kind = kind;
    p->fd = -1;
    p->base = base;
    p->size = kind == FW_PKG_CORRUPT ? base->size : size;
    if (kind == FW_PKG_CORRUPT)
        snprintf(p->what, sizeof p->what, "a copy of %.500s with %u bytes inverted at offset %llu",
                 base->what, CORRUPT_SPAN, (unsigned long long)(base->size / 2));
    else
        snprintf(p->what, sizeof p->what, "%llu bytes: %.500s repeated",
                 (unsigned long long)p->size, base->what);
    return p;
}

void fw_package_free(fw_package *p)
{
    if (!p)
        return;
    if (p->fd >= 0)
        close(p->fd);
    free(p);
}

fw_package_kind fw_package_kind_of(const fw_package *p) { return p->kind; }
uint64_t fw_package_size(const fw_package *p) { return p->size; }
const char *fw_package_describe(const fw_package *p) { return p->what; }

static long read_file(int fd, uint64_t offset, uint8_t *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t r = pread(fd, buf + got, len - got, (off_t)(offset + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return LC_EIO;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (long)got;
}

long fw_package_read(const fw_package *p, uint64_t offset, uint8_t *buf, size_t len)
{
    if (offset >= p->size)
        return 0;
    if (len > p->size - offset)
        len = (size_t)(p->size - offset);
    if (p->fd >= 0)
        return read_file(p->fd, offset, buf, len);
    if (p->kind == FW_PKG_CORRUPT) {
        long r = fw_package_read(p->base, offset, buf, len);
        uint64_t from = p->size / 2, to = from + CORRUPT_SPAN;
        for (long i = 0; i < r; i++)
            if (offset + (uint64_t)i >= from && offset + (uint64_t)i < to)
                buf[i] ^= 0xffu;
        return r;
    }
    /* oversized: the base repeated */
    size_t got = 0;
    while (got < len) {
        uint64_t at = (offset + got) % p->base->size;
        size_t want = len - got;
        if (want > p->base->size - at)
            want = (size_t)(p->base->size - at);
        long r = fw_package_read(p->base, at, buf + got, want);
        if (r <= 0)
            return r < 0 ? r : (long)got;
        got += (size_t)r;
    }
    return (long)got;
}
