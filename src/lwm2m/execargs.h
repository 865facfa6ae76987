/* Execute arguments (LwM2M 1.0 §5.4.5): the text payload of an Execute,
 *   arglist = argument *( "," argument )
 *   argument = DIGIT [ "=" "'" *CHAR "'" ]   CHAR = %x21 / %x23-26 / %x28-7E
 * formatted from name/value pairs by the tool, parsed by the simulated device. */
#ifndef LC_LWM2M_EXECARGS_H
#define LC_LWM2M_EXECARGS_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "tc/model.h"

/* "0='text',1" from args (name: one digit; value: NULL or the text). Returns a new
 * buffer (not NUL-terminated beyond *len; the caller frees) or NULL when out of memory. */
uint8_t *execargs_format(const tc_kv *args, size_t count, size_t *len);

#define EXECARGS_MAX 10

typedef struct execargs {
    int count;
    struct {
        int id;             /* 0..9 */
        char value[128];    /* "" when the argument has no value */
        int has_value;
    } arg[EXECARGS_MAX];
} execargs;

/* Parses an Execute payload (may be empty: no arguments). Returns 0, or LC_EINVAL with
 * err saying where the payload breaks the ABNF. */
int execargs_parse(const uint8_t *payload, size_t len, execargs *out, lc_error *err);

#endif
