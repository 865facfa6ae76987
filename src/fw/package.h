/* Firmware packages the tool delivers (ETS 6.1.6.6 / INT 1.2 §6.6.6): the user's files and
 * the ones the tool makes from them, read block by block from the file so memory never
 * grows with a package's size.
 *
 * A fw_package is immutable once opened and may be read from several threads at once (the
 * HTTP server's): reads are pread()s at an offset. */
#ifndef LC_FW_PACKAGE_H
#define LC_FW_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

typedef enum {
    FW_PKG_FIRMWARE,          /* --firmware: the device accepts and installs it */
    FW_PKG_CORRUPT,           /* fails the device's integrity check: --firmware-corrupt, or a
                                 copy of --firmware with bytes inverted in its middle */
    FW_PKG_UNSUPPORTED,       /* --firmware-unsupported: a package type the device refuses */
    FW_PKG_INSTALL_FAILURE,   /* --firmware-install-fail: downloads, then fails to install */
    FW_PKG_OVERSIZED,         /* --firmware repeated past the device's storage (made here) */
    FW_PKG__COUNT
} fw_package_kind;

/* "firmware", "corrupt", "unsupported", "install-failure", "oversized"; NULL out of range. */
const char *fw_package_kind_name(fw_package_kind k);
/* -1 when unknown. */
int fw_package_kind_from_name(const char *name);

typedef struct fw_package fw_package;

/* Opens path for kind FW_PKG_FIRMWARE, FW_PKG_UNSUPPORTED, FW_PKG_INSTALL_FAILURE or a
 * user's FW_PKG_CORRUPT (the file as it is). Returns NULL with err set ("cannot open …"). */
fw_package *fw_package_open(const char *path, fw_package_kind kind, lc_error *err);
/* A package made from base (borrowed; must outlive it): FW_PKG_CORRUPT (same size, 16
 * bytes in the middle inverted) or FW_PKG_OVERSIZED (base's bytes repeated to size bytes).
 * Returns NULL with err set. */
fw_package *fw_package_derive(const fw_package *base, fw_package_kind kind, uint64_t size,
                              lc_error *err);
void fw_package_free(fw_package *p);

fw_package_kind fw_package_kind_of(const fw_package *p);
uint64_t fw_package_size(const fw_package *p);
/* What it is, for reports: "firmware.bin (65536 bytes)", "corrupted copy of …". */
const char *fw_package_describe(const fw_package *p);

/* Copies up to len bytes at offset into buf. Returns the bytes copied (0 at the end) or
 * LC_EIO. Thread-safe. */
long fw_package_read(const fw_package *p, uint64_t offset, uint8_t *buf, size_t len);

#endif
