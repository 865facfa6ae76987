/* The device's own bootstrap account, and where the configuration's instances go around it.
 *
 * A device keeps its factory bootstrap account in a Security instance of its own choosing
 * (/0/0 is common); C.14 has it at /0/1 and server account #1 at /0/0. Before the bootstrap
 * server writes anything in a bootstrap session, it asks the device: Bootstrap-Discover of
 * /0 lists every Security instance, and the bootstrap account's is the one whose link has
 * no ssid attribute (LwM2M 1.0 §5.2.7.5 example, 1.1 §6.1.7.5: Short Server ID is given
 * for the Security instances of LwM2M Servers only). Where the device does not answer
 * that, --bootstrap-account-iid N says where it is, else the configuration's instance is
 * assumed. provision_map then places the configuration around it. */
#ifndef LC_BS_ACCOUNT_H
#define LC_BS_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "lwm2m/config.h"

/* Finds the bootstrap account's Security instance in a Bootstrap-Discover payload (link
 * format, the leading lwm2m="1.0" of the 1.0 example form tolerated): the /0/x link
 * without ssid. When several /0/x links have none, preferred when it is one of them, else
 * the lowest. Returns the instance id, or -1 with why (cap bytes) saying what was wrong
 * ("no Security instance without ssid: </0/0>;ssid=1,…"). */
int bsaccount_from_discover(const uint8_t *payload, size_t len, int preferred, char *why,
                            size_t cap);

#endif
