#include "sim/fwpkg.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static uint32_t crc_table[256];

static void crc_init(void)
{
    if (crc_table[1])
        return;
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1u ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc_update(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++)
        crc = crc_table[(crc ^ p[i]) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

int sim_fwpkg_write(const char *path, sim_fwpkg_kind kind, const char *version, uint64_t size,
                    lc_error *err)
{
    crc_init();
    if (size < SIM_FWPKG_MIN)
        return lc_error_set(err, LC_EINVAL, "a package needs at least %d bytes", SIM_FWPKG_MIN);
    if (!version || !*version || strlen(version) >= 32)
        return lc_error_set(err, LC_EINVAL, "the firmware version needs 1 to 31 characters");
    FILE *f = fopen(path, "wb");
    if (!f)
        return lc_error_set(err, LC_EIO, "cannot write %s: %s", path, strerror(errno));
    uint8_t head[SIM_FWPKG_HEADER] = {0};
    memcpy(head, kind == SIM_FWPKG_UNSUPPORTED ? "LCSIMXX1" : "LCSIMFW1", 8);
    head[8] = kind == SIM_FWPKG_INSTALL_FAILS ? 1 : 0;
    memcpy(head + 9, version, strlen(version));
    uint32_t crc = crc_update(0, head, sizeof head);
    bool ok = fwrite(head, 1, sizeof head, f) == sizeof head;
    uint8_t buf[4096];
    uint64_t left = size - SIM_FWPKG_HEADER - 4, at = 0;
    while (ok && left) {
        size_t n = left < sizeof buf ? (size_t)left : sizeof buf;
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)((at + i) * 2654435761u >> 13);
        crc = crc_update(crc, buf, n);
        ok = fwrite(buf, 1, n, f) == n;
        left -= n;
        at += n;
    }
    uint8_t c4[4] = {(uint8_t)crc, (uint8_t)(crc >> 8), (uint8_t)(crc >> 16), (uint8_t)(crc >> 24)};
    ok = ok && fwrite(c4, 1, 4, f) == 4;
    if (fclose(f) != 0 || !ok)
        return lc_error_set(err, LC_EIO, "cannot write %s: %s", path, strerror(errno));
    return 0;
}

void sim_fwpkg_begin(sim_fwpkg_check *c)
{
    crc_init();
    memset(c, 0, sizeof *c);
}

void sim_fwpkg_feed(sim_fwpkg_check *c, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t b = data[i];
        if (c->bytes < SIM_FWPKG_HEADER)
            c->head[c->bytes] = b;
        /* the byte leaving the 4-byte tail window is part of the checked body */
        if (c->bytes >= 4)
            c->crc = crc_update(c->crc, &c->tail[c->bytes % 4], 1);
        c->tail[c->bytes % 4] = b;
        c->bytes++;
    }
}

int sim_fwpkg_verdict(const sim_fwpkg_check *c, char *version, size_t cap, bool *install_fails)
{
    *install_fails = false;
    if (version && cap)
        version[0] = '\0';
    if (c->bytes < SIM_FWPKG_MIN)
        return 5;
    if (memcmp(c->head, "LCSIMFW1", 8) != 0)
        return 6;
    uint8_t t[4];
    for (int i = 0; i < 4; i++) /* the tail window in arrival order */
        t[i] = c->tail[(c->bytes + (uint64_t)i) % 4];
    uint32_t want = (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
    if (want != c->crc)
        return 5;
    *install_fails = c->head[8] & 1u;
    if (version && cap)
        snprintf(version, cap, "%.*s", 31, (const char *)c->head + 9);
    return 0;
}
