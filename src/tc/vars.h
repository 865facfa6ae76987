/* ${variables} in test definitions: checked when a definition loads, expanded by the runner
 * against the test configuration (C.14) and the device description just before a step is
 * sent or a criterion judged.
 *
 * Known names (N is a Short Server ID, 1, 2, …):
 *   server[N].lifetime  server[N].binding  server[N].short_server_id
 *   server[N].default_pmin  server[N].default_pmax  server[N].uri
 *   bootstrap.uri
 *   server[N].security_instance  server[N].server_instance  bootstrap.security_instance
 *                       the instance id on the device (C.14's own unless the device's
 *                       bootstrap account made the tool place it elsewhere, lwm2m/instmap)
 *   device.manufacturer (/3/0/0)  device.model_number (/3/0/1)  device.serial_number (/3/0/2)
 *   device.firmware_version (/3/0/3)  device.supported_binding (/3/0/16)
 *   device[PATH]        the device's value at a resource (instance) path, as
 *                       device[/4/0/0] or device[/4/0/4/0]: the device description's
 *                       (lwm2m/description; none when it marks the path volatile), else
 *                       a value the configuration still carries (an older file);
 *                       for the test's objects 0-2, the configuration's
 *   config[PATH]        the same lookup (the older spelling)
 *   The device.* names are device[PATH] of their paths.
 *   server[N].disable_timeout
 *   endpoint            the endpoint name the device registered with
 *   var.NAME            a variable the case declares in "variables" (its default there,
 *                       overridden by `run --var NAME=VALUE`)
 * There is no escape: a definition cannot contain a literal "${". */
#ifndef LC_TC_VARS_H
#define LC_TC_VARS_H

#include <stddef.h>

#include "common/err.h"
#include "lwm2m/config.h"
#include "lwm2m/description.h"
#include "lwm2m/instmap.h"
#include "tc/model.h"

/* The known names as one line for messages: "server[N].lifetime, …, endpoint". */
const char *tc_vars_known(void);

/* Checks that every ${…} in s names a known variable. Returns 0 (also for NULL s);
 * LC_ENOTFOUND for an unknown name; LC_EINVAL for a "${" without its closing "}". On error
 * bad (cap bytes, may be NULL) receives the offending text as written, "${server[1].lifetim}"
 * or, when unterminated, from "${" to the end of s. */
int tc_vars_check(const char *s, char *bad, size_t cap);

/* Expands every ${…} in s. endpoint_name may be NULL while no registration has been seen
 * (then ${endpoint} is an error). Numbers are written as integers when integral
 * ("86400"), booleans of the configuration as "1"/"0" (as text/plain carries them).
 * On success *out is a new string the caller frees. Errors: LC_EINVAL (unknown name,
 * unterminated), LC_ENOTFOUND (the configuration has no such server, bootstrap account or
 * Device resource; no endpoint name yet), LC_ENOMEM; err names the variable. */
int tc_vars_expand(const char *s, const struct config *cfg, const char *endpoint_name,
                   char **out, lc_error *err);

/* What expansion reads: the configuration, where its instances are on the device (NULL:
 * the configuration's ids), the endpoint name (may be NULL), and the case's variables with
 * their values for this run (may be NULL; a later entry with the same name wins). */
typedef struct tc_vars_env {
    const struct config *cfg;
    const description *desc; /* the device description (NULL: none given) */
    const instmap *instances;
    const char *endpoint_name;
    const tc_kv *case_vars;
    size_t case_var_count;
} tc_vars_env;

/* tc_vars_expand with the instance ids of env->instances and the case's variables. */
int tc_vars_expand_env(const char *s, const tc_vars_env *env, char **out, lc_error *err);

/* True when s holds a device variable (device.*, device[PATH], config[PATH] of a device
 * object) that nothing resolves: the description is silent on it or marks it volatile. A
 * criterion then checks presence and type only; why (may be NULL) says which and why. */
bool tc_vars_undescribed(const char *s, const tc_vars_env *env, char *why, size_t cap);

/* Calls fn for every ${var.NAME} in s with NAME (len bytes, not NUL-terminated): the loader
 * checks each is declared. */
void tc_vars_each_case_var(const char *s, void (*fn)(void *arg, const char *name, size_t len),
                           void *arg);

#endif
