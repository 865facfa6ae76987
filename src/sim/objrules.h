/* Rules of particular objects the simulated device enforces on a Write, as a conformant
 * client does: Active Power Saving Modes (/10/x/13) may only activate modes its Supported
 * Power Saving Modes (/10/x/12) list (Cellular Connectivity 1.1), so a Write of a mode the
 * device lacks is refused (int-1210 writes what the device supports). */
#ifndef LC_SIM_OBJRULES_H
#define LC_SIM_OBJRULES_H

#include <stddef.h>

#include "lwm2m/content/value.h"
#include "sim/store.h"

/* 0 when recs may be written; else the CoAP code (400) with the reason in detail. */
int sim_objrules_check_write(const sim_store *st, const lwm2m_records *recs, char *detail,
                             size_t cap);

#endif
