/* The simulated device's firmware package format, and its check as the bytes arrive (no
 * package is ever held in memory: the device keeps the header and a running CRC).
 *
 *   0   8  magic "LCSIMFW1" (a firmware package of this device; "LCSIMXX1": another type)
 *   8   1  flags: bit 0 = the image fails to install (ETS int-779)
 *   9  32  the firmware version it installs, NUL-padded (/3/0/3 after the update)
 *  41   …  the image
 * n-4   4  CRC-32 (IEEE 802.3, little-endian) of bytes 0 .. n-5: the integrity check
 *
 * `lwm2m-simdev --make-firmware FILE` writes one (make demo, tests, bench). */
#ifndef LC_SIM_FWPKG_H
#define LC_SIM_FWPKG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define SIM_FWPKG_HEADER 41
#define SIM_FWPKG_MIN (SIM_FWPKG_HEADER + 4)

typedef enum { SIM_FWPKG_OK, SIM_FWPKG_UNSUPPORTED, SIM_FWPKG_INSTALL_FAILS } sim_fwpkg_kind;

/* Writes a package of size bytes (at least SIM_FWPKG_MIN). Returns 0 or LC_EIO/LC_EINVAL. */
int sim_fwpkg_write(const char *path, sim_fwpkg_kind kind, const char *version, uint64_t size,
                    lc_error *err);

/* The running check of a package being received, in order. */
typedef struct sim_fwpkg_check {
    uint8_t head[SIM_FWPKG_HEADER];
    uint8_t tail[4];     /* the last 4 bytes seen (the CRC when the package is whole) */
    uint32_t crc;        /* of everything but the last 4 bytes seen */
    uint64_t bytes;
} sim_fwpkg_check;

void sim_fwpkg_begin(sim_fwpkg_check *c);
void sim_fwpkg_feed(sim_fwpkg_check *c, const uint8_t *data, size_t len);

/* The Update Result (LwM2M 1.0 §E.6) the whole package earns: 0 (fine: Downloaded), 5
 * (integrity check failure), 6 (unsupported package type). version gets the version it
 * installs and *install_fails its flag. */
int sim_fwpkg_verdict(const sim_fwpkg_check *c, char *version, size_t cap, bool *install_fails);

#endif
