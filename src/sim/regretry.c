/* Registration retry timers of the Server object (see regretry.h). */
#include "sim/regretry.h"

static unsigned value_or(const sim_store *st, int inst, int res, unsigned dflt, unsigned min)
{
    int64_t v;
    if (inst < 0 || !sim_store_get_int(st, 1, inst, res, &v) || v < (int64_t)min || v > 86400 * 30)
        return dflt;
    return (unsigned)v;
}

void sim_regretry_read(const sim_store *st, int inst, bool defaults_only, sim_regretry *out)
{
    out->bootstrap_on_failure = true;
    out->retry_count = 5;
    out->retry_timer_s = 60;
    out->sequence_delay_s = 86400;
    out->sequence_count = 1;
    if (defaults_only || inst < 0)
        return;
    lwm2m_path p = {.depth = 3, .ids = {1, inst, 16, LWM2M_ID_NONE}};
    const lwm2m_record *r = sim_store_get(st, &p);
    if (r && r->type == LV_BOOLEAN)
        out->bootstrap_on_failure = r->b;
    out->retry_count = value_or(st, inst, 17, 5, 1);
    out->retry_timer_s = value_or(st, inst, 18, 60, 0);
    out->sequence_delay_s = value_or(st, inst, 19, 86400, 0);
    out->sequence_count = value_or(st, inst, 20, 1, 1);
}

int64_t sim_regretry_next_ms(const sim_regretry *r, unsigned failures)
{
    unsigned count = r->retry_count ? r->retry_count : 1;
    unsigned pos = failures % count;
    if (pos != 0) { /* a retry within the sequence: the timer, doubled for each one before */
        int64_t ms = (int64_t)r->retry_timer_s * 1000;
        for (unsigned i = 1; i < pos && ms < (int64_t)86400 * 1000 * 30; i++)
            ms *= 2;
        return ms;
    }
    if (failures / count >= (r->sequence_count ? r->sequence_count : 1))
        return -1;
    return (int64_t)r->sequence_delay_s * 1000;
}
