#include "sim/live.h"

#include <time.h>

static lwm2m_path mkpath(int depth, int o, int i, int r)
{
    lwm2m_path p = {.ids = {o, i, r, LWM2M_ID_NONE}, .depth = depth};
    for (int k = depth; k < 4; k++)
        p.ids[k] = LWM2M_ID_NONE;
    return p;
}

static bool get_float(const sim_store *st, int o, int i, int r, double *out)
{
    lwm2m_path p = mkpath(3, o, i, r);
    const lwm2m_record *rec = sim_store_get(st, &p);
    if (!rec || rec->type != LV_FLOAT)
        return false;
    *out = rec->f;
    return true;
}

static void set_float(sim_store *st, int o, int i, int r, double v)
{
    lwm2m_record rec = {.path = mkpath(3, o, i, r), .type = LV_FLOAT, .f = v};
    sim_store_set(st, &rec);
}

static void set_time(sim_store *st, int o, int i, int r, int64_t t)
{
    lwm2m_record rec = {.path = mkpath(3, o, i, r), .type = LV_TIME, .i = t};
    sim_store_set(st, &rec);
}

static bool has(const sim_store *st, int o, int i, int r)
{
    lwm2m_path p = mkpath(3, o, i, r);
    return sim_store_exists(st, &p);
}

static void read_bases(sim_device *d)
{
    sim_live_state *l = &d->live;
    l->bases_set = true;
    sim_store_get_int(d->store, 4, 0, 2, &l->rssi_base);
    get_float(d->store, 6, 0, 0, &l->lat_base);
    get_float(d->store, 6, 0, 1, &l->lon_base);
}

/* Adds delta to a counter of /7/0 when the device has it. */
static void count(sim_store *st, int res, int64_t delta)
{
    int64_t v;
    if (sim_store_get_int(st, 7, 0, res, &v))
        sim_store_set_int(st, 7, 0, res, v + delta);
}

size_t sim_live_tick(sim_device *d, uint64_t now_ms, lwm2m_path *changed, size_t cap,
                     uint64_t *next_ms)
{
    sim_live_state *l = &d->live;
    if (l->last_ms && now_ms < l->last_ms + SIM_LIVE_PERIOD_MS) {
        *next_ms = l->last_ms + SIM_LIVE_PERIOD_MS;
        return 0;
    }
    l->last_ms = now_ms;
    *next_ms = now_ms + SIM_LIVE_PERIOD_MS;
    if (!l->bases_set)
        read_bases(d);
    l->ticks++;
    size_t n = 0;
    /* a signal that wanders a few dB around its configured strength */
    static const int wander[] = {0, -1, -2, -1, 0, 1, 2, 1};
    if (has(d->store, 4, 0, 2)) {
        sim_store_set_int(d->store, 4, 0, 2, l->rssi_base + wander[l->ticks % 8]);
        if (n < cap)
            changed[n++] = mkpath(2, 4, 0, 0);
    }
    if (has(d->store, 6, 0, 0)) {
        double step = 0.0001 * (double)(l->ticks % 16);
        set_float(d->store, 6, 0, 0, l->lat_base + step);
        if (has(d->store, 6, 0, 1))
            set_float(d->store, 6, 0, 1, l->lon_base + step);
        if (has(d->store, 6, 0, 5))
            set_time(d->store, 6, 0, 5, (int64_t)time(NULL));
        if (n < cap)
            changed[n++] = mkpath(2, 6, 0, 0);
    }
    if (l->collecting && l->collect_until_ms && now_ms >= l->collect_until_ms)
        l->collecting = false;
    if (l->collecting && sim_store_has_instance(d->store, 7, 0)) {
        /* what one period of traffic adds: a message out and two in */
        count(d->store, 0, 1);
        count(d->store, 1, 1);
        count(d->store, 2, 1);
        count(d->store, 3, 2);
        if (has(d->store, 7, 0, 4))
            sim_store_set_int(d->store, 7, 0, 4, 1024);
        if (has(d->store, 7, 0, 5))
            sim_store_set_int(d->store, 7, 0, 5, 256);
        if (n < cap)
            changed[n++] = mkpath(2, 7, 0, 0);
    }
    return n;
}

bool sim_live_execute(sim_device *d, const lwm2m_path *path, uint64_t now_ms)
{
    if (path->depth != 3 || path->ids[0] != 7)
        return false;
    sim_live_state *l = &d->live;
    int inst = path->ids[1];
    if (path->ids[2] == 6) { /* Start: the counters restart from zero */
        for (int r = 0; r <= 5; r++)
            if (has(d->store, 7, inst, r))
                sim_store_set_int(d->store, 7, inst, r, 0);
        int64_t period = 0;
        sim_store_get_int(d->store, 7, inst, 8, &period);
        l->collecting = true;
        l->collect_until_ms = period > 0 ? now_ms + (uint64_t)period * 1000u : 0;
        return true;
    }
    if (path->ids[2] == 7) {
        l->collecting = false;
        return true;
    }
    return false;
}
