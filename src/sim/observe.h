/* Observations (RFC 7641, LwM2M 1.0 §5.5): who observes what, and when the next
 * notification is due under the observing server's pmin/pmax/gt/lt/st.
 *
 * libcoap cannot observe the "unknown resource" the device dispatches through, so the
 * device keeps its own list and sends notifications itself (client.c). This module is
 * pure bookkeeping and timing; it never touches the network. The session is an opaque
 * handle (borrowed; the client removes a session's observations before releasing it). */
#ifndef LC_SIM_OBSERVE_H
#define LC_SIM_OBSERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lwm2m/path.h"
#include "sim/attrs.h"

#define SIM_OBSERVE_NEVER UINT64_MAX
#define SIM_OBSERVE_MAX_PATHS 8 /* of one composite observation (sim/composite) */
#define SIM_OBSERVE_FIRST_MAX 1024 /* bytes of a first answer a fault resends */

typedef struct sim_observation {
    int ssid;
    void *session;
    uint8_t token[8];
    size_t token_len;
    lwm2m_path path;
    int accept;        /* the content-format the server asked for, CF_NONE for the default */
    uint32_t seq;      /* the last Observe value sent */
    uint64_t last_ms;  /* when the last notification (or the 2.05) went out */
    bool dirty;        /* a value under path changed since then */
    int last_mid;      /* message id of the last notification, -1 none; a RST names it */
    bool has_last_num; /* the last notified value of a numeric resource, for gt/lt/st */
    double last_num;
    /* an Observe-Composite (LwM2M 1.1 §5.5.1): its paths (path is the first); 0: a plain one */
    lwm2m_path paths[SIM_OBSERVE_MAX_PATHS];
    size_t path_count;
    /* LwM2M 1.2 §5.5.1: notification attributes the Observe carried in its Uri-Query; they
     * override the attached ones for this observation */
    bool has_params;
    sim_attr_set params;
    /* fault composite-stale-notify (sim/composite): the first answer's content, resent in
     * every notification; bounded, nothing kept when it does not fit */
    uint8_t first[SIM_OBSERVE_FIRST_MAX];
    size_t first_len;
    int first_cf;
} sim_observation;

typedef struct sim_observe_list {
    sim_observation *items; /* owned */
    size_t count, cap;
} sim_observe_list;

void sim_observe_init(sim_observe_list *l);
void sim_observe_free(sim_observe_list *l);

/* Adds an observation, replacing one with the same session and token (a re-registration).
 * Returns it (valid until the list changes) or NULL when out of memory. */
sim_observation *sim_observe_add(sim_observe_list *l, int ssid, void *session,
                                 const uint8_t *token, size_t token_len,
                                 const lwm2m_path *path, int accept, uint64_t now_ms);
bool sim_observe_remove_token(sim_observe_list *l, void *session, const uint8_t *token,
                              size_t token_len);
/* Removes the session's observations of exactly path: the fallback when a cancelling GET
 * (Observe 1) carries a token of its own instead of the observation's. */
size_t sim_observe_remove_path(sim_observe_list *l, void *session, const lwm2m_path *path);
bool sim_observe_remove_mid(sim_observe_list *l, void *session, int mid);
size_t sim_observe_remove_session(sim_observe_list *l, void *session);
/* Removes the observations at or below path (the instance was deleted). */
size_t sim_observe_remove_under(sim_observe_list *l, const lwm2m_path *path);
/* Marks dirty every observation whose path contains changed or lies below it. */
void sim_observe_mark_changed(sim_observe_list *l, const lwm2m_path *changed);

/* When the next notification for o is due, given the attributes in effect (see
 * sim_attrs_effective): after a change not before last + pmin; without a change at
 * last + pmax (when pmax > 0 and pmax >= pmin). SIM_OBSERVE_NEVER when nothing is due. */
uint64_t sim_observe_due(const sim_observation *o, const sim_attr_set *eff);

/* Whether a numeric value change deserves a notification under gt/lt/st: it crossed gt
 * or lt, or moved by at least st since the last notified value. True when none is set or
 * no value was notified yet. */
bool sim_observe_change_qualifies(const sim_attr_set *eff, bool has_old, double old_value,
                                  double new_value);

#endif
