/* The http:// side of package serving, through libmicrohttpd (Debian's libmicrohttpd-dev):
 * GET /fw/<slot> answers with the slot's package streamed from its file by a reader
 * callback on the daemon's own thread, so memory stays flat whatever the size. */
#ifndef LC_FW_HTTP_H
#define LC_FW_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"
#include "fw/package.h"

typedef struct fw_http fw_http;

/* Looks up a slot for the daemon's thread: the package (NULL: 404) and whether to cut
 * the transfer halfway. Called with the server's lock held by fw_http. */
typedef const fw_package *(*fw_http_lookup)(void *arg, int slot, bool *cut);
/* Reports bytes sent for a slot (from the daemon's thread). */
typedef void (*fw_http_account)(void *arg, int slot, uint64_t bytes, bool request, bool cut,
                                bool complete);

/* Starts a daemon on bind_addr, any free port. Returns NULL with err set. */
fw_http *fw_http_start(const char *bind_addr, fw_http_lookup lookup, fw_http_account account,
                       void *arg, lc_error *err);
void fw_http_stop(fw_http *h);
uint16_t fw_http_port(const fw_http *h);

#endif
