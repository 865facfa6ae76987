/* The Registration interface on the server endpoints (LwM2M 1.0 §5.3):
 *   Register     POST /rd?ep=…&lt=…   -> 2.01 Created, Location-Path rd/<id>
 *   Update       POST /rd/<id>?…      -> 2.04 Changed (4.04 for an unknown id)
 *   De-register  DELETE /rd/<id>      -> 2.02 Deleted
 * Malformed requests get 4.00 with a diagnostic payload and a NET_EV_PROTOCOL_ERROR event
 * the runner turns into a FAIL with the reason. Every accepted request becomes a
 * NET_EV_REGISTER/UPDATE/DEREGISTER event carrying a copy of the request.
 *
 * A version hold (run --lwm2m): a Register announcing a newer LwM2M version than the hold
 * is answered 4.12 Precondition Failed, the way a real server tells a client to fall back
 * (LwM2M 1.1 §6.2.1), with no event: the run keeps waiting for the fallback Register. Each
 * refusal is kept (the first REGISTRY_MAX_REFUSALS of them, and a count) for the report.
 *
 * Memory stays bounded whatever devices send: a registration whose lifetime has passed
 * (lt, 86400 s when absent, plus REGISTRY_LIFETIME_GRACE_S) is removed, so are all but
 * the REGISTRY_KEEP_RETIRED newest de-registered or replaced ones, and a Register that
 * would make more than the limit (REGISTRY_MAX_LIVE) live registrations on its server
 * is answered 5.03 Service Unavailable with Max-Age: the seconds until the next one expires, at
 * most REGISTRY_RETRY_MAX_S. A re-Register of a live endpoint name is always accepted
 * (it replaces the old one). The device under test (the endpoint name net/epfilter knows)
 * is never the one refused: when its server is full, the registration of another device
 * that was least recently active is evicted (marked inactive), counted and named for the
 * report. */
#ifndef LC_REGISTRY_H
#define LC_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "lwm2m/regquery.h"
#include "lwm2m/version.h"
#include "net/endpoint.h"

#define REGISTRY_MAX_LIVE 256
#define REGISTRY_KEEP_RETIRED 16
#define REGISTRY_LIFETIME_GRACE_S 15
#define REGISTRY_RETRY_MAX_S 60

typedef struct registration {
    char id[24];             /* the <id> of rd/<id> */
    int endpoint;
    int short_server_id;
    coap_session_t *session; /* referenced: where server-initiated requests go; NULL once
                                retired (de-registered, replaced, expired, rebooted) */
    reg_query query;         /* Register's parameters, with Update's changes applied */
    char *links;             /* the object links as last sent (text) */
    char peer[80];
    char psk_identity[160];
    char cipher_suite[96];
    uint64_t registered_at;  /* mono_ms */
    uint64_t updated_at;
    bool active;             /* false once de-registered or replaced */
} registration;

typedef struct registry registry;

#define REGISTRY_MAX_REFUSALS 16

/* A Register answered 4.12 because of the version hold. */
typedef struct registry_refusal {
    int short_server_id;
    char endpoint_name[64];  /* ep= (cut to fit) */
    char version[16];        /* the lwm2m= it announced */
    uint64_t at;             /* mono_ms */
    bool reported;           /* a step has already said so (registry_take_refusals) */
} registry_refusal;

/* Creates the registry and routes "rd" requests of n to it. n must outlive it. */
registry *registry_new(net_ctx *n, lc_error *err);
void registry_free(registry *r);

const registration *registry_find(const registry *r, const char *id);
/* The newest active registration on the server with this Short Server ID, or NULL. */
const registration *registry_active(const registry *r, int short_server_id);
/* Marks every registration inactive: the device was restarted or reset, and what it
 * registered before went with it (a case that assumes a registration waits for a new one;
 * an Update to an old id is answered 4.04). Returns how many were live. */
size_t registry_retire_all(registry *r);
/* Marks inactive every registration not refreshed (registered or updated) at or after
 * `before` (mono_ms): the device rebooted then, and what it registered before went with
 * it. Returns how many were live. */
size_t registry_retire_before(registry *r, uint64_t before);

/* Removes the device's active registration on server short_server_id from the database
 * without telling the device (ETS int-105: the server considers it de-registered); its
 * next Update is answered 4.04 like any Update of an unknown registration. Copies the
 * removed id into id (cap bytes). Returns 0, or LC_ENOTFOUND when none is active. */
int registry_forget(registry *r, int short_server_id, char *id, size_t cap);
/* The live-registration limit per server (REGISTRY_MAX_LIVE by default; at least 1). */
void registry_set_limit(registry *r, size_t max_live);

#define REGISTRY_MAX_EVICTED 16

typedef struct registry_stats {
    size_t live;      /* active registrations now */
    size_t expired;   /* removed because their lifetime passed */
    size_t refused;   /* Registers answered 5.03 because the limit was reached */
    size_t evicted;   /* other devices' registrations evicted for the device under test */
} registry_stats;
registry_stats registry_get_stats(const registry *r);
/* The endpoint name of the i-th evicted registration (the first REGISTRY_MAX_EVICTED), or
 * NULL. */
const char *registry_evicted_at(const registry *r, size_t i);
/* What the "rd" handler does with one request (for tests: no socket needed; req->session
 * may be NULL). */
void registry_handle(registry *r, const net_request *req, net_reply *reply);

/* Every registration kept (active and recently retired), oldest first. */
size_t registry_count(const registry *r);
const registration *registry_at(const registry *r, size_t i);

/* Holds every later Register to LwM2M version `limit` (see above); NULL lifts the hold. */
void registry_set_version_limit(registry *r, const lwm2m_version *limit);
/* The hold, or NULL. */
const lwm2m_version *registry_version_limit(const registry *r);
/* How many Registers the hold refused in all; the first REGISTRY_MAX_REFUSALS are kept. */
size_t registry_refusal_count(const registry *r);
/* The i-th kept refusal, or NULL. */
const registry_refusal *registry_refusal_at(const registry *r, size_t i);
/* Describes the refusals on server ssid that no step has reported yet ("a Register with
 * lwm2m=1.2 was answered 4.12 Precondition Failed (the run holds the device to LwM2M
 * 1.0)", with a count when there were several) into buf and marks them reported. Returns
 * how many there were (0: buf is ""). */
size_t registry_take_refusals(registry *r, int short_server_id, char *buf, size_t cap);

#endif
