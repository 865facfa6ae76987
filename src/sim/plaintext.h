/* The simulated device's Plain Text (0) faults: the bugs of a client whose text/plain
 * support is missing or sloppy, which ETS int-201 (Reads of single resources in Plain Text)
 * and int-205 (Plain Text Writes, verified by a TLV Read) must catch. sim/ops asks here
 * which format a Read is answered in and what a Write in text/plain really carries; the
 * device keeps the one piece of state a fault needs (its receive buffer) in sim_device.
 *   - ignore-accept-text: a Read asking for text/plain is answered in TLV;
 *   - text-write-unsupported: a Write in text/plain gets 4.15 and changes nothing;
 *   - text-write-unterminated: every text/plain Write goes through one receive buffer that
 *     is never cut at the payload's length, so a value shorter than the one before keeps
 *     that one's trailing characters ("10" after "2000" is read as 1000). */
#ifndef LC_SIM_PLAINTEXT_H
#define LC_SIM_PLAINTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "lwm2m/path.h"

struct sim_device;
struct sim_request;

/* text-write-unterminated's receive buffer: a value longer than it is taken as sent. */
typedef struct sim_text_rx {
    uint8_t buf[32];
    size_t len; /* the longest value it has held */
} sim_text_rx;

/* The format a Read whose Accept is accept (CF_NONE: none) is answered in: accept, or TLV
 * for text/plain when the device has ignore-accept-text. */
int sim_plaintext_read_format(const struct sim_device *d, int accept);

/* Applies the faults to a Write on path before it is decoded. Returns 0, req possibly
 * pointing at the device's receive buffer now, or a CoAP code (415) with detail set. */
int sim_plaintext_write(struct sim_device *d, const lwm2m_path *path, struct sim_request *req,
                        char *detail, size_t cap);

#endif
