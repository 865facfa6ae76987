/* What the reports say about the device under test: its endpoint name, LwM2M version,
 * address, and how it connected to each server (PSK identity, negotiated cipher suite),
 * from its newest registrations; and the other devices the run ignored. */
#ifndef LC_RUN_DEVINFO_H
#define LC_RUN_DEVINFO_H

#include "report/result.h"
#include "dut/dut.h"

/* Fills the device fields of out (leaving command, log and reset counts alone). */
void devinfo_fill(const dut *d, device_info *out);

#endif
