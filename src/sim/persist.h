/* What the simulated device keeps across a reboot or restart (--state-file FILE), as a
 * real client keeps its persistence file: every object instance and value it holds (the
 * Security, Server and Access Control instances a bootstrap server provisioned, with their
 * PSK identities and keys, and whatever servers wrote or created since) and the
 * <NOTIFICATION> attributes each server attached.
 *
 * The file is JSON, written whole on every change (a temporary file beside it, renamed
 * over it), mode 0600: it holds PSK keys, and it is the only place the simulator ever
 * writes them. Observations, registrations and the DTLS sessions are not kept (a rebooted
 * device has none). */
#ifndef LC_SIM_PERSIST_H
#define LC_SIM_PERSIST_H

#include <stdbool.h>

#include "common/err.h"
#include "common/log.h"
#include "sim/device.h"

/* Saves d's store and attributes to path. Returns 0, or LC_EIO / LC_ENOMEM with a message
 * naming the file. */
int sim_persist_save(const sim_device *d, const char *path, lc_error *err);

/* Replaces d's store and attributes with what path holds and sets *loaded. A missing file
 * is not an error: *loaded is false and d is untouched (a device's first start). Returns
 * 0, LC_EINVAL (the file is not a state file; the message names the file and the entry,
 * never a value) or LC_EIO / LC_ENOMEM; on error d is untouched. */
int sim_persist_load(sim_device *d, const char *path, bool *loaded, lc_error *err);

/* True when the store holds a server account to register with: a Server instance whose
 * Short Server ID has a (non-bootstrap) Security instance. */
bool sim_persist_has_server_account(const sim_device *d);

/* Removes the file (a Factory Reset); a missing file is fine, any other failure is logged. */
void sim_persist_forget(const char *path, logger *lg);

#endif
