#include "sim/observe.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sim_observe_init(sim_observe_list *l)
{
    memset(l, 0, sizeof *l);
}

void sim_observe_free(sim_observe_list *l)
{
    free(l->items);
    memset(l, 0, sizeof *l);
}

static bool same_token(const sim_observation *o, void *session, const uint8_t *token, size_t len)
{
    return o->session == session && o->token_len == len && memcmp(o->token, token, len) == 0;
}

sim_observation *sim_observe_add(sim_observe_list *l, int ssid, void *session,
                                 const uint8_t *token, size_t token_len,
                                 const lwm2m_path *path, int accept, uint64_t now_ms)
{
    if (token_len > sizeof l->items[0].token)
        return NULL;
    sim_observation *o = NULL;
    for (size_t i = 0; i < l->count && !o; i++)
        if (same_token(&l->items[i], session, token, token_len))
            o = &l->items[i];
    if (!o) {
        if (l->count == l->cap) {
            size_t cap = l->cap ? l->cap * 2 : 8;
            sim_observation *n = realloc(l->items, cap * sizeof *n);
            if (!n)
                return NULL;
            l->items = n;
            l->cap = cap;
        }
        o = &l->items[l->count++];
    }
    memset(o, 0, sizeof *o);
    o->ssid = ssid;
    o->session = session;
    memcpy(o->token, token, token_len);
    o->token_len = token_len;
    o->path = *path;
    o->accept = accept;
    o->last_ms = now_ms;
    o->last_mid = -1;
    return o;
}

static void remove_at(sim_observe_list *l, size_t i)
{
    l->items[i] = l->items[--l->count];
}

bool sim_observe_remove_token(sim_observe_list *l, void *session, const uint8_t *token,
                              size_t token_len)
{
    for (size_t i = 0; i < l->count; i++)
        if (same_token(&l->items[i], session, token, token_len)) {
            remove_at(l, i);
            return true;
        }
    return false;
}

size_t sim_observe_remove_path(sim_observe_list *l, void *session, const lwm2m_path *path)
{
    size_t n = 0;
    for (size_t i = 0; i < l->count;) {
        if (l->items[i].session == session && lwm2m_path_equal(&l->items[i].path, path)) {
            remove_at(l, i);
            n++;
        } else {
            i++;
        }
    }
    return n;
}

bool sim_observe_remove_mid(sim_observe_list *l, void *session, int mid)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i].session == session && l->items[i].last_mid == mid && mid >= 0) {
            remove_at(l, i);
            return true;
        }
    return false;
}

size_t sim_observe_remove_session(sim_observe_list *l, void *session)
{
    size_t n = 0;
    for (size_t i = 0; i < l->count;) {
        if (l->items[i].session == session) {
            remove_at(l, i);
            n++;
        } else {
            i++;
        }
    }
    return n;
}

size_t sim_observe_remove_under(sim_observe_list *l, const lwm2m_path *path)
{
    size_t n = 0;
    for (size_t i = 0; i < l->count;) {
        /* a composite observation outlives one of its paths (int-309) */
        if (l->items[i].path_count == 0 && lwm2m_path_is_under(&l->items[i].path, path)) {
            remove_at(l, i);
            n++;
        } else {
            i++;
        }
    }
    return n;
}

static bool touches(const lwm2m_path *a, const lwm2m_path *b)
{
    return lwm2m_path_is_under(a, b) || lwm2m_path_is_under(b, a);
}

void sim_observe_mark_changed(sim_observe_list *l, const lwm2m_path *changed)
{
    for (size_t i = 0; i < l->count; i++) {
        sim_observation *o = &l->items[i];
        if (touches(changed, &o->path))
            o->dirty = true;
        for (size_t k = 0; k < o->path_count; k++)
            if (touches(changed, &o->paths[k]))
                o->dirty = true;
    }
}

uint64_t sim_observe_due(const sim_observation *o, const sim_attr_set *eff)
{
    uint64_t pmin = eff && eff->has_pmin && eff->pmin > 0 ? (uint64_t)eff->pmin : 0;
    uint64_t pmax = eff && eff->has_pmax && eff->pmax > 0 ? (uint64_t)eff->pmax : 0;
    uint64_t due = SIM_OBSERVE_NEVER;
    if (o->dirty)
        due = o->last_ms + pmin * 1000;
    if (pmax > 0 && pmax >= pmin) {
        uint64_t at = o->last_ms + pmax * 1000;
        if (at < due)
            due = at;
    }
    return due;
}

bool sim_observe_change_qualifies(const sim_attr_set *eff, bool has_old, double old_value,
                                  double new_value)
{
    if (!eff || !has_old || (!eff->has_gt && !eff->has_lt && !eff->has_st))
        return true;
    if (eff->has_gt && ((old_value > eff->gt) != (new_value > eff->gt)))
        return true;
    if (eff->has_lt && ((old_value < eff->lt) != (new_value < eff->lt)))
        return true;
    if (eff->has_st && fabs(new_value - old_value) >= eff->st)
        return true;
    return false;
}
