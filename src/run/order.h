/* The order a run plays its cases in, and the device resets that order needs.
 *
 * Cases fall into groups by the state they start from. With the run playing the bootstrap
 * server, a case without bootstrap steps starts from "C.14 provisioned, registered with
 * both servers": those share one provisioning. A case that starts from the factory
 * configuration ("device_reset": "factory") costs a reset, except the first thing the run
 * does with the device as it was started. So the run opens with the first factory case
 * that leaves the device provisioned and registering (int-0: the whole configuration
 * written, then Finish; no Register of its own taken, no Delete, no partial Write), when there is
 * one and provisioned cases follow; then the provisioned cases, those expecting the
 * device's Registers first (one that other cases depend on before one that none does:
 * only one of them gets the Registers that follow a provisioning; the others go after the
 * plain provisioned cases, each needing a provisioning of its own) and destructive ones (with a Delete) last, since a case after
 * one needs the device provisioned again, and after those the one that disables the device
 * (int-103's Execute /1/x/4: it is away for its Disable Timeout, which the run may not wait
 * for; what follows it starts from a reset anyway: a case of another configuration group or
 * a factory case); then the other factory cases (deletes,
 * inconsistent configurations). Every case still comes after the cases it depends on;
 * otherwise the definitions' order is kept. Without the bootstrap server, the cases that
 * judge the device's own Registers (int-101, int-950) go first and all judge the Registers
 * of the device's current life (a device started by hand registers once): none needs a
 * reset for them; a case that disables the device goes last.
 *
 * Each case runs in its own configuration (its "configuration", lwm2m/configset). With the
 * bootstrap server, configurations that provision differently are groups: a provisioned case
 * of another group than the device holds needs the device provisioned again (a reset and a
 * bootstrap), so the provisioned cases are played group by group, the lead case's group
 * first, then in the order the groups first appear; within a group the ranks above hold
 * (so the case that disables the device is the last of its group).
 * groups[i] is the group of the suite's case i (NULL: all one group).
 *
 * The same rules (order_prepare) decide, case by case, what the runner does before a case,
 * so the plan printed before a run and the resets made agree when every case runs. */
#ifndef LC_RUN_ORDER_H
#define LC_RUN_ORDER_H

#include <stdbool.h>
#include <stddef.h>

#include "tc/model.h"

/* What the run knows of the device between cases. */
typedef struct order_state {
    bool untouched;   /* nothing has run against the device as it was started */
    bool provisioned; /* it holds the configuration the bootstrap server provisioned */
    bool regs_taken;  /* a case took the Registers that followed that provisioning */
    bool dirty;       /* a destructive case ran since that provisioning */
    bool doubtful;    /* the bootstrap case that provisioned it did not pass: what it left
                       * is not trusted (the runner sets this; a provisioning clears it) */
    bool stopped;     /* the device stopped during the last case (its command exited), or
                       * the runner found it unreachable and can restart it: the next case
                       * starts it again (the runner sets this; a reset clears it) */
    bool suspect;     /* the last case may have left the device unreachable (it rebooted
                       * it, or did not pass): the runner checks before the next case (the
                       * runner sets and clears this) */
    bool lost;        /* the runner could not restore it within the reboot deadline: the
                       * next cases are INCONCLUSIVE at once until it registers again (the
                       * runner sets this; a reset clears it) */
    char lost_why[400];
    int group;        /* the configuration group it is provisioned in (when provisioned) */
} order_state;

typedef struct order_prep {
    bool reset;       /* reset the device to its factory bootstrap configuration first */
    bool provision;   /* then let the bootstrap server provision it */
} order_prep;

/* What must happen before case c (bootstrap: the run plays the bootstrap server). */
order_prep order_prepare(const tc_case *c, int group, bool bootstrap, const order_state *st);
/* Updates st for a preparation made (prep) and then case c (of group) played. */
void order_after(const tc_case *c, int group, const order_prep *prep, order_state *st);

/* Fills order with the indexes of the suite's cases where run[i] is true, in the order to
 * play them; returns how many. order has room for s->count. */
size_t order_cases(const tc_suite *s, const bool *run, const int *groups, bool bootstrap,
                   size_t *order);
/* How many resets playing order[0..n) needs when every case runs (a device that was just
 * started needs none for the first case). */
int order_planned_resets(const tc_suite *s, const size_t *order, size_t n, const int *groups,
                         bool bootstrap);
/* The same, where stops[i] (NULL: none) says that the suite's case i leaves the device
 * away for longer than the run waits (int-103's Disable Timeout past --max-wait): the
 * runner starts it again for the next case, a reset. */
int order_planned_resets_stopping(const tc_suite *s, const size_t *order, size_t n,
                                  const int *groups, bool bootstrap, const bool *stops);

bool order_has_bootstrap_step(const tc_case *c);
bool order_has_op(const tc_case *c, tc_op op);
/* True when the case executes a Server object's Disable (/1/x/4). */
bool order_disables_device(const tc_case *c);

#endif
