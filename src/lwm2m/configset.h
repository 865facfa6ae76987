/* The test configurations a run plays its cases in, one per ETS configuration name
 * ("C.1", "C.5", "C.14" …): DIR/c1.json, DIR/c5.json, DIR/c14.json. Each case names its own
 * ("configuration"); with the bootstrap server, the run provisions that configuration
 * before the case. Configurations that provision the same thing (the same server accounts
 * with the same Server resources, the same Access Control) form one group, so cases of
 * C.3 and C.5 share one provisioning. The run's main configuration (--config, C.14 by
 * default) opens the endpoints: a configuration with a server account it lacks, or a
 * different URI or PSK identity for one, is refused. */
#ifndef LC_CONFIGSET_H
#define LC_CONFIGSET_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"
#include "lwm2m/config.h"

#define CONFIGSET_MAX 24

typedef struct configset_entry {
    char name[16];  /* "C.5" */
    config *cfg;    /* owned */
    int group;      /* same group: same provisioning */
} configset_entry;

typedef struct configset {
    configset_entry entries[CONFIGSET_MAX];
    size_t count;
    const config *main; /* borrowed: the run's own, group 0 */
    bool provision;     /* the run may provision them (else they only say what each case
                           needs: --config FILE plays every case in that one) */
} configset;

/* Key sources every configuration gets, as the main one did (lwm2m/config). */
typedef struct configset_keys {
    const char *psk_file; /* may be NULL */
    bool bootstrap;       /* the bootstrap account's key is needed */
    bool provision;       /* the run provisions them: their accounts must be the main one's */
} configset_keys;

/* Loads DIR/c<N>.json for each name in names ("C.<N>"; others and missing files are left
 * out: their cases run in the main configuration). Returns 0, or an error naming the file
 * (malformed, keys missing, and with keys->provision accounts that do not match the main
 * configuration's). */
int configset_load(configset *cs, const config *main, const char *dir, const char *const *names,
                   size_t name_count, const configset_keys *keys, lc_error *err);
void configset_free(configset *cs);

/* The configuration of a case's "configuration" name: its own when loaded, else the main
 * one. *group (may be NULL) receives its provisioning group (0: the main's). */
const config *configset_for(const configset *cs, const char *name, int *group);

/* True when a and b provision the same instances with the same values (accounts by SSID:
 * URI, identity, lifetime, periods, binding …; Access Control). */
bool configset_same_provisioning(const config *a, const config *b);

/* "C.5" -> "c5.json"; false when name is not of the form C.<digits>. */
bool configset_file_name(const char *name, char *buf, size_t cap);

#endif
