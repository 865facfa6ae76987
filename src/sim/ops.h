/* The Device Management & Service Enablement interface (LwM2M 1.0 §5.4) and the
 * Information Reporting entry point, as the simulated device answers them: one request in,
 * one response out, with Access Control enforced for the asking server. No sockets here:
 * client.c turns CoAP PDUs into sim_request and sim_response back into PDUs. */
#ifndef LC_SIM_OPS_H
#define LC_SIM_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lwm2m/path.h"
#include "sim/device.h"

/* CoAP method codes. */
enum { SIM_GET = 1, SIM_POST = 2, SIM_PUT = 3, SIM_DELETE = 4 };

typedef struct sim_request {
    int method;
    const char *uri_path;        /* Uri-Path segments joined with '/', "" for the root */
    const char *const *queries;  /* Uri-Query values */
    size_t query_count;
    int accept;                  /* CF_NONE when absent */
    int content_format;          /* CF_NONE when absent */
    const uint8_t *payload;
    size_t payload_len;
    int observe;                 /* -1 absent, 0 register, 1 deregister */
} sim_request;

/* What an answered request changed, for the client to act on. */
typedef struct sim_effects {
    bool changed;               /* values at/below changed_path were written, created, deleted */
    lwm2m_path changed_path;
    bool deleted;               /* the instance at changed_path is gone */
    bool observe_start;         /* a GET with Observe 0 succeeded */
    bool observe_cancel;        /* a GET with Observe 1 */
    lwm2m_path observe_path;
    int update_trigger_ssid;    /* Execute /1/x/8: send an Update to this server (0: none) */
    int disable_ssid;           /* Execute /1/x/4: de-register from this server (0: none) */
    int64_t disable_seconds;    /* its Disable Timeout /1/x/5 */
    int reg_changed_ssid;       /* lifetime or binding of this server's account changed */
    bool reboot;                /* Execute /3/0/4 */
    bool factory_reset;         /* Execute /3/0/5 */
    bool bootstrap_finish;      /* Bootstrap-Finish was accepted */
    bool secrets_changed;       /* a Bootstrap-Write touched a Security instance */
} sim_effects;

typedef struct sim_response {
    int code;           /* 205 for 2.05 Content, 404 for 4.04 … */
    int content_format; /* CF_NONE without payload */
    uint8_t *payload;   /* owned, malloc'd; free with sim_response_free */
    size_t payload_len;
    char location[32];  /* Create: "3/1" (Location-Path segments joined with '/') */
    bool observe;       /* carry an Observe option: the observation was established */
    char detail[200];   /* why an error code was chosen, for the -v log */
    sim_effects fx;
} sim_response;

void sim_response_free(sim_response *r);
/* Sets the response code and, when fmt is given, the detail the simulator logs. */
void sim_response_set(sim_response *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Answers 2.05 with recs encoded as cf for path, as d's format faults have it (500 when
 * encoding fails); frees recs. */
void sim_response_content(const sim_device *d, sim_response *resp, int cf, const lwm2m_path *path,
                          lwm2m_records *recs);

/* Answers one request from server ssid (registered on its own session). Always fills
 * resp (code 500 with a detail when something inside failed). */
void sim_ops_handle(sim_device *d, int ssid, const sim_request *req, sim_response *resp);

/* A Read as a notification needs it: path for ssid, in accept (CF_NONE: the default for
 * the level). Same codes as a GET. */
void sim_ops_read(sim_device *d, int ssid, const lwm2m_path *path, int accept,
                  sim_response *resp);

/* "2.05" for 205. buf needs 5 bytes. */
const char *sim_code_text(int code, char buf[8]);
/* Short content-format name for logs: "TLV", "text", "JSON", "SenML JSON", "link", …
 * (sim_formats_short). */
const char *sim_cf_short(int cf);

/* Decodes a Write payload for base and checks every record names a resource below base.
 * Shared with the bootstrap interface. check_writable rejects resources without the W
 * operation (4.05). Returns the CoAP code to answer on failure, 0 on success; out then
 * holds typed records (caller frees). */
int sim_ops_decode_write(const sim_request *req, const lwm2m_path *base, bool check_writable,
                         int lwm2m_minor, lwm2m_records *out, char *detail, size_t detail_cap);
/* Stores decoded records. With replace (PUT, Bootstrap-Write) a multiple resource present
 * in recs is replaced as a whole; without (POST partial update) its instances are added or
 * updated. Returns 0 or LC_ENOMEM. */
int sim_ops_apply_write(sim_device *d, const lwm2m_records *recs, bool replace);

#endif
