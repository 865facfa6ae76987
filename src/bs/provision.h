/* What provisioning writes to the device, as data: which object instances of the
 * configuration a bootstrap writes (the server accounts' Security instances, every Server
 * and Access Control instance; never the bootstrap account's own Security instance, which
 * is the device's), and the records of each (a server account's /0/x/0 URI, PSK identity
 * and key taken from its account). Pure: no network, no session; the bootstrap server
 * (bs/bootstrap) sends what this builds. */
#ifndef LC_BS_PROVISION_H
#define LC_BS_PROVISION_H

#include <stddef.h>

#include "common/err.h"
#include "lwm2m/config.h"
#include "lwm2m/content/value.h"
#include "lwm2m/instmap.h"
#include "lwm2m/path.h"

/* At most this many instances are provisioned (8 accounts, 8 Server, 16 Access Control). */
#define PROVISION_MAX_INSTANCES 48

/* The object instances provisioning writes, in order: the Security instances of the
 * server accounts, then every Server instance, then every Access Control instance of cfg.
 * Returns how many (at most cap are stored). */
size_t provision_list(const config *cfg, lwm2m_path *out, size_t cap);

/* The account whose Security instance inst is (/0/x), else NULL. */
const config_account *provision_account_of(const config *cfg, const lwm2m_path *inst);

/* Appends to recs the records of instance inst (/<obj>/<inst>, the configuration's
 * numbering) as provisioning writes it: the configuration's values under inst, and for the
 * Security instance of an account the URI uri (NULL: the account's own /0/x/0), its PSK
 * identity and its key. The records' paths are in the device's numbering (map, NULL: the
 * configuration's), and so is an Access Control instance's Object Instance ID (/2/x/1). Returns 0,
 * LC_ENOTFOUND (nothing in cfg for inst), LC_EINVAL (a value that does not fit its
 * resource), LC_ENOMEM. The records then hold key material: wipe them with
 * provision_records_wipe before records_free. */
int provision_instance_records(const config *cfg, const instmap *map, const lwm2m_path *inst,
                               const char *uri, lwm2m_records *recs, lc_error *err);
/* Zeroes every byte value in recs (strings and opaque), so key material does not linger
 * in freed memory. */
void provision_records_wipe(lwm2m_records *recs);

/* Places the configuration's instances on a device whose bootstrap account is Security
 * instance device_bs_iid (-1: where the configuration has it). The bootstrap account maps
 * to device_bs_iid; every server account's Security instance keeps its own id when that is
 * not device_bs_iid; the one that is moves to the lowest id that is neither the device's
 * bootstrap account nor another account's own id (C.14 with the bootstrap account at /0/0:
 * /0/0 -> /0/1, /0/1 -> /0/0, /0/2 stays). Server and Access Control instances keep their
 * ids: the bootstrap account has none, so nothing of the device's is there to collide
 * with. Returns 0, or LC_EINVAL when no id is left. */
int provision_map(const config *cfg, int device_bs_iid, instmap *out, lc_error *err);

#endif
