/* One simulated device: its data model, per-server attributes and faults. Everything the
 * request handlers need, and nothing network-related (see client.h for that), so the
 * operations can be unit-tested without sockets. */
#ifndef LC_SIM_DEVICE_H
#define LC_SIM_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/err.h"
#include "lwm2m/config.h"
#include "sim/attrs.h"
#include "sim/faults.h"
#include "sim/plaintext.h"
#include "sim/store.h"

#define SIM_MAX_OBJECTS 64

/* The state of the values the device changes on its own (sim/live). */
typedef struct sim_live_state {
    uint64_t last_ms;       /* the last tick, 0 before the first */
    uint32_t ticks;
    bool bases_set;         /* the configured values below were read */
    int64_t rssi_base;      /* /4/0/2 as configured */
    double lat_base, lon_base; /* /6/0/0, /6/0/1 as configured */
    bool collecting;        /* /7/0: between Start and Stop */
    uint64_t collect_until_ms; /* 0: until Stop */
} sim_live_state;

typedef struct sim_device {
    sim_store *store;  /* owned */
    sim_attrs *attrs;  /* owned */
    sim_faults faults; /* a copy */
    int lwm2m_minor;   /* the version it speaks now: 0 LwM2M 1.0, 1 1.1, 2 1.2 (lowered by a
                          fallback after 4.12, see sim_device_fall_back) */
    int pct;           /* the Content-Format its Bootstrap-Request asks for (LwM2M 1.1+):
                          SIM_PCT_DEFAULT (see sim/formats.h), CF_NONE (none) or a number */
    int64_t clock_offset; /* seconds a server's Write of Current Time /3/0/13 moved the clock */
    bool queue_mode;   /* --queue: it registers in queue mode (b=UQ in 1.0, Q in 1.1+) */
    bool composite_min_pmin; /* --composite-min-pmin: an Observe-Composite is timed by the
                                smallest pmin of its paths (Zephyr), not the largest */
    const char *pid;   /* --pid ID (LwM2M 1.2): the Profile ID its Register carries, standing
                          for the instances of the Server and Device objects (the ETS's C.1
                          profile), which it then leaves out of the object list; NULL none */
    bool omit_ep;      /* --omit-ep (LwM2M 1.1+): ep is left out where the account's PSK
                          identity is the endpoint name (LwM2M 1.1 §7.3.1) */
    bool bs_discover_bare; /* --bs-discover-bare: its Bootstrap-Discover answer starts with a
                              bare lwm2m="1.x", as the LwM2M 1.1 example writes it */
    bool no_bspack;    /* --no-bspack (LwM2M 1.2): never a Bootstrap-Pack-Request */
    sim_live_state live;
    sim_text_rx text_rx; /* the receive buffer of the text-write-unterminated fault */
    uint16_t supported[SIM_MAX_OBJECTS]; /* the objects it implements, sorted */
    size_t supported_count;
} sim_device;

/* Builds the data model from c (see sim_store_load_config) and what the device is, desc
 * (sim_store_load_description; NULL: only what c holds), and an attribute table (shared
 * when the shared-attributes fault is on). faults may be NULL. On error d is left empty
 * and needs no cleanup. */
int sim_device_init(sim_device *d, const config *c, const description *desc,
                    const sim_faults *faults, int lwm2m_minor, lc_error *err);
void sim_device_cleanup(sim_device *d);

/* True when the device implements object obj: the core objects 0-3 and every object its
 * configuration has an instance of, even after the last instance is deleted. Knowing an
 * object's definition (the object model holds many) is not implementing it. */
bool sim_device_supports(const sim_device *d, int obj);

/* "1.0", "1.1" or "1.2": the version it speaks now. */
const char *sim_device_version(const sim_device *d);
/* A server answered its Register with 4.12 Precondition Failed: it speaks the next older
 * version from now on. Returns false when it already speaks 1.0 (nothing older). */
bool sim_device_fall_back(sim_device *d);

/* The Server object instance /1/x whose Short Server ID /1/x/0 is ssid, or -1. */
int sim_device_server_instance(const sim_store *st, int ssid);
/* The Security instance /0/x of server account ssid (not a bootstrap account), or -1. */
int sim_device_security_instance(const sim_store *st, int ssid);
/* The Security instance with /0/x/1 = true, or -1. */
int sim_device_bootstrap_instance(const sim_store *st);

/* The server's default pmin/pmax from /1/x/2 and /1/x/3; -1 each when absent. */
void sim_device_server_defaults(const sim_device *d, int ssid, int64_t *pmin, int64_t *pmax);

#endif
