/* The Registration interface on the server endpoints (LwM2M 1.0 §5.3):
 *   Register     POST /rd?ep=…&lt=…   -> 2.01 Created, Location-Path rd/<id>
 *   Update       POST /rd/<id>?…      -> 2.04 Changed (4.04 for an unknown id)
 *   De-register  DELETE /rd/<id>      -> 2.02 Deleted
 * Malformed requests get 4.00 with a diagnostic payload and a NET_EV_PROTOCOL_ERROR event
 * the runner turns into a FAIL with the reason. Every accepted request becomes a
 * NET_EV_REGISTER/UPDATE/DEREGISTER event carrying a copy of the request. */
#ifndef LC_REGISTRY_H
#define LC_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "lwm2m/regquery.h"
#include "net/endpoint.h"

typedef struct registration {
    char id[24];             /* the <id> of rd/<id> */
    int endpoint;
    int short_server_id;
    coap_session_t *session; /* referenced: where server-initiated requests go */
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

/* Creates the registry and routes "rd" requests of n to it. n must outlive it. */
registry *registry_new(net_ctx *n, lc_error *err);
void registry_free(registry *r);

const registration *registry_find(const registry *r, const char *id);
/* The newest active registration on the server with this Short Server ID, or NULL. */
const registration *registry_active(const registry *r, int short_server_id);
size_t registry_count(const registry *r);
const registration *registry_at(const registry *r, size_t i);

#endif
