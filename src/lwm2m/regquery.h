/* The Registration interface's query parameters (LwM2M 1.0 §5.3, 1.1 §6.2):
 * Register  POST /rd?ep=…&lt=…&lwm2m=…&b=…&sms=…&Q
 * Update    POST /rd/<id>?lt=…&b=…&sms=… */
#ifndef LC_REGQUERY_H
#define LC_REGQUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define REGQUERY_MAX_PARAMS 24

typedef struct reg_param {
    char name[32];
    char value[256];
    bool has_value;
} reg_param;

typedef struct reg_query {
    char endpoint_name[256]; /* ep */
    bool has_endpoint_name;
    bool endpoint_from_identity; /* ep was absent: endpoint_name is the session's PSK
                                    identity (regquery_endpoint_from_identity) */
    int64_t lifetime;        /* lt */
    bool has_lifetime;
    char lwm2m_version[16];  /* lwm2m */
    bool has_lwm2m_version;
    char binding[16];        /* b */
    bool has_binding;
    char sms_number[64];     /* sms */
    bool has_sms_number;
    bool queue_mode;         /* Q (1.1) */
    reg_param params[REGQUERY_MAX_PARAMS]; /* every parameter in order, unknown ones too */
    size_t param_count;
} reg_query;

typedef enum { REGQUERY_REGISTER, REGQUERY_UPDATE } regquery_kind;

/* Parses Uri-Query option values ("ep=dev1", "lt=300", "Q"). For Register, ep is required
 * unless the Register announces LwM2M 1.1 or later (regquery_may_omit_ep; the caller then
 * names the endpoint with regquery_endpoint_from_identity);
 * lt must be a non-negative integer when present; b must pass regquery_binding_valid
 * (U, UQ, S, SQ, US, UQS in 1.0; T, N and combinations in 1.1); lwm2m looks like "1.1";
 * Q takes no value. A known parameter given twice, a value too long for its field, or
 * more than REGQUERY_MAX_PARAMS parameters is an error. Unknown parameters are kept, in
 * order, in params (known ones are there too). Errors name the parameter:
 * "lt=abc: lifetime is not a non-negative integer". out is untouched on error. */
int regquery_parse(const char *const *queries, size_t count, regquery_kind kind,
                   reg_query *out, lc_error *err);

/* True when a Register may leave out ep: it announces LwM2M 1.1 or later (lwm2m=), whose
 * §7.3.1 lets the Client omit the Endpoint Client Name when the security protocol gives
 * the server an authenticated identifier that is identical to it. */
bool regquery_may_omit_ep(const reg_query *q);
/* A Register (or Bootstrap-Request) that left out ep: the session's authenticated
 * identifier (its DTLS-PSK identity, identity) names the endpoint; endpoint_name takes it
 * and endpoint_from_identity is set. LC_EINVAL, saying why, when identity is NULL or ""
 * (NoSec: nothing names the Client). A no-op when ep was given. */
int regquery_endpoint_from_identity(reg_query *q, const char *identity, lc_error *err);

const reg_param *regquery_find(const reg_query *q, const char *name);

/* True when b is a binding mode this tool accepts: a non-empty combination of the letters
 * U, S, Q, T, N, each at most once (covers 1.0's U, UQ, S, SQ, US, UQS and 1.1's T, N and
 * combinations such as "UT"). Shared with the configuration loader (/1/x/7). */
bool regquery_binding_valid(const char *b);

#endif
