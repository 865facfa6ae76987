#include "sim/eventlog.h"

enum { LOG_START = 4011, LOG_STOP = 4012, LOG_STATUS = 4013, LOG_DATA = 4014 };

bool sim_eventlog_execute(sim_store *st, const lwm2m_path *path)
{
    if (path->depth != 3 || path->ids[0] != 20)
        return false;
    int inst = path->ids[1];
    int64_t status = 0;
    bool has_status = sim_store_get_int(st, 20, inst, LOG_STATUS, &status);
    if (path->ids[2] == LOG_START) {
        if (has_status)
            sim_store_set_int(st, 20, inst, LOG_STATUS, status & ~(int64_t)0x07);
        sim_store_set_opaque(st, 20, inst, LOG_DATA, (const uint8_t *)"", 0);
        return true;
    }
    if (path->ids[2] == LOG_STOP) {
        if (has_status)
            sim_store_set_int(st, 20, inst, LOG_STATUS, status | 0x01);
        return true;
    }
    return false;
}
