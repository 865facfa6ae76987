/* The firmware update parts of the definition format (docs/testcase-format.md, Firmware
 * update): the keys of firmware-deliver and firmware-wait steps, and the "firmware" check. */
#ifndef LC_TC_LOAD_FIRMWARE_H
#define LC_TC_LOAD_FIRMWARE_H

#include <jansson.h>

#include "tc/fields.h"
#include "tc/model.h"

/* The names the format accepts (NULL-terminated). */
extern const char *const tc_fw_packages[];   /* "package" */
extern const char *const tc_fw_deliveries[]; /* "delivery" */
extern const char *const tc_fw_untils[];     /* "until" */
extern const char *const tc_fw_reset_ways[]; /* firmware-reset's "delivery" */

/* Reads "package", "delivery" (firmware-deliver) and "until" (firmware-wait) into st, and
 * reports them on any other operation (op < 0: unknown, nothing reported). */
void tc_load_firmware_step(tcf_ctx *x, const json_t *obj, const char *base, int op, tc_step *st);
/* {"states": [0, 1], "results": [0]} into ck. */
void tc_load_firmware_check(tcf_ctx *x, const json_t *v, const char *ptr, tc_check *ck);

#endif
