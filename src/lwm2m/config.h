/* Device configurations in the ETS Annex's own format (OMA LwM2M JSON: bn, e[], n, v/sv/bv),
 * such as configuration C.14 (fixtures/c14.json).
 *
 * One file describes the bootstrap and server accounts (Security /0 + Server /1 paired by
 * Short Server ID), the Access Control instances (/2) and the Device object (/3). The tool,
 * the simulated device and the bootstrap server all read it through this module. */
#ifndef LC_CONFIG_H
#define LC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define CONFIG_MAX_ACCOUNTS 8
#define CONFIG_MAX_ACL 16
#define CONFIG_MAX_ACL_ENTRIES 8
#define CONFIG_MAX_VALUES 256
#define CONFIG_PSK_MAX 128
#define CONFIG_ACL_OWNER_MAX_ID 65535

typedef enum {
    SECURITY_MODE_PSK = 0,
    SECURITY_MODE_RPK = 1,
    SECURITY_MODE_CERT = 2,
    SECURITY_MODE_NOSEC = 3,
} security_mode;

typedef struct config_account {
    int security_instance; /* /0/x */
    int server_instance;   /* /1/y, -1 for the bootstrap account or when C.14 has none */
    bool bootstrap;        /* /0/x/1 */
    char uri[256];         /* /0/x/0, e.g. coaps://127.0.0.1:5684 */
    security_mode mode;    /* /0/x/2 */
    uint8_t psk_identity[CONFIG_PSK_MAX]; /* /0/x/3 (Base64 in the file) */
    size_t psk_identity_len;
    uint8_t psk_key[CONFIG_PSK_MAX];      /* /0/x/5 (Base64 in the file): a secret */
    size_t psk_key_len;
    int short_server_id;   /* /0/x/10 = /1/y/0; 0 for the bootstrap account */
    /* Server object /1/y (zero / defaults when absent) */
    int64_t lifetime;        /* /1/y/1 */
    int64_t default_pmin;    /* /1/y/2 */
    int64_t default_pmax;    /* /1/y/3 */
    int64_t disable_timeout; /* /1/y/5 */
    bool notification_storing; /* /1/y/6 */
    char binding[8];         /* /1/y/7 */
} config_account;

typedef struct config_acl_entry {
    int short_server_id; /* the resource instance id of /2/x/2/<ssid>; 0 = default for all */
    int rights;          /* 1 Read, 2 Write, 4 Execute, 8 Delete, 16 Create */
} config_acl_entry;

typedef struct config_access_control {
    int instance;        /* /2/x */
    int object_id;       /* /2/x/0 */
    int object_instance; /* /2/x/1 */
    config_acl_entry acl[CONFIG_MAX_ACL_ENTRIES]; /* /2/x/2/<ssid> */
    size_t acl_count;
    int owner;           /* /2/x/3 */
} config_access_control;

typedef enum {
    CONFIG_VALUE_NUMBER, /* "v" */
    CONFIG_VALUE_STRING, /* "sv" */
    CONFIG_VALUE_BOOL,   /* "bv" */
} config_value_kind;

/* Every entry of the file as read, in file order ("n" joined to "bn", e.g. "/3/0/0").
 * Security secret keys (/0/x/5) are among them, in Base64: check config_value_is_secret
 * before printing a value. */
typedef struct config_value {
    char path[32];
    config_value_kind kind;
    double number;
    bool boolean;
    char string[256];
} config_value;

typedef struct config {
    char source[512]; /* file name, for messages */
    config_account accounts[CONFIG_MAX_ACCOUNTS];
    size_t account_count;
    config_access_control access_control[CONFIG_MAX_ACL];
    size_t access_control_count;
    config_value values[CONFIG_MAX_VALUES];
    size_t value_count;
} config;

/* Loads and validates a configuration. On malformed JSON the error reads
 * "FILE:LINE:COLUMN: <what was expected>"; on a semantic problem (server account without
 * Short Server ID, two accounts with one SSID, bad Base64, a URI without scheme) it names
 * the entry ("FILE: /0/2/10: …", or "FILE: e[12] /0/0/3: …" for the shape of an entry).
 * Rules beyond the Annex: accounts are listed in the file order of their Security
 * instances; a server account needs a Server instance with the same SSID and that
 * instance a lifetime (/1/y/1, mandatory in the Server object); security mode is 0 (PSK,
 * coaps://, identity and key required) or 3 (NoSec, coap://); a path may appear once;
 * one Access Control instance per object instance. Absent optional Server resources give
 * pmin 0, pmax 0 (none), disable timeout 86400, notification storing false, binding "U".
 * Returns 0, LC_EIO (cannot read) or LC_EINVAL; out is untouched on error. */
int config_load_file(const char *path, config *out, lc_error *err);
int config_load_string(const char *json, const char *name, config *out, lc_error *err);

/* The server account with this Short Server ID, or NULL. */
const config_account *config_server(const config *c, int short_server_id);
config_account *config_server_mut(config *c, int short_server_id);
/* The bootstrap account, or NULL. */
const config_account *config_bootstrap(const config *c);
/* True when the configuration has a value of some instance of object obj (a case that
 * requires "object:N" applies). */
bool config_has_object(const config *c, int obj);
/* The value at path ("/3/0/0"), or NULL. */
const config_value *config_find(const config *c, const char *path);

/* Splits "coaps://host:port" (IPv6 as [::1]). Missing port gives 5684 for coaps, 5683 for
 * coap. Returns 0 or LC_EINVAL with a message. scheme receives "coap" or "coaps" (lower
 * case), host the name or address without brackets ("::1"); any of the three outputs may
 * be NULL. A trailing "/" is accepted; a path, query or user info is not. */
int config_parse_uri(const char *uri, char *scheme, size_t scheme_cap, char *host,
                     size_t host_cap, uint16_t *port, lc_error *err);

/* Replaces a server's (ssid > 0) or the bootstrap account's (ssid == 0) PSK key, and the
 * Base64 text of /0/x/5 in values with it. The account must use PSK mode; key is copied.
 * Returns 0, LC_ENOTFOUND (no such account) or LC_EINVAL (not PSK, 0 or > CONFIG_PSK_MAX
 * bytes). */
int config_set_psk_key(config *c, int short_server_id, const uint8_t *key, size_t len,
                       lc_error *err);

/* Reads PSK keys given outside the configuration file, so keys never need to be on a
 * command line:
 *   - environment: LWM2M_PSK_KEY_<ssid> (LWM2M_PSK_KEY_BS for bootstrap), hex; only the
 *     variables of the configuration's PSK accounts are read
 *   - a key file: lines "<ssid|bs> <hex key>", '#' comments; a line for an account the
 *     configuration does not have, or a second line for one account, is an error
 * The file wins over the environment (call config_apply_psk_env first). path may be NULL.
 * All or nothing: on error c is unchanged. Messages name the variable or file:line, never
 * the key. */
int config_apply_psk_env(config *c, lc_error *err);
int config_apply_psk_file(config *c, const char *path, lc_error *err);

/* After the keys from the file, the environment and a key file are in: fails, naming the
 * account and the three ways to give its key, when a PSK account still has none (the
 * bootstrap account only when bootstrap is true: it is used then only). */
int config_check_keys(const config *c, bool bootstrap, lc_error *err);

/* Decoding helpers shared with the simulator and the bootstrap server. Return 0 (with
 * *outlen set; outlen may be NULL) or LC_EINVAL when in is malformed or decodes to more
 * than cap bytes. Base64 is the standard alphabet, '=' padding optional; hex is an even
 * number of digits, either case. An empty input decodes to 0 bytes. */
int config_base64_decode(const char *in, uint8_t *out, size_t cap, size_t *outlen);
int config_hex_decode(const char *in, uint8_t *out, size_t cap, size_t *outlen);

/* True for values that hold key material (the Security object's Secret Key, /0/x/5):
 * reports, traces and dumps must leave them out. */
bool config_value_is_secret(const config_value *v);

#endif
