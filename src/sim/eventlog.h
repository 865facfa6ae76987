/* The Event Log object (20) as the simulated device runs it (ETS INT 1.2 int-2000/2001):
 * LogStart /20/x/4011 starts the collection, emptied (the object's default): LogStatus
 * /20/x/4013 becomes 0 (running, no valid data yet) and LogData /20/x/4014 empty; LogStop
 * /20/x/4012 sets LogStatus's lowest bit (stopped) and keeps the data. The device logs
 * nothing of its own: the values stay as the Executes and its description leave them. */
#ifndef LC_SIM_EVENTLOG_H
#define LC_SIM_EVENTLOG_H

#include <stdbool.h>

#include "lwm2m/path.h"
#include "sim/store.h"

/* An Execute the Event Log owns (LogStart or LogStop of /20/x). Returns true when path is
 * one and it changed the instance (the caller answers 2.04 and marks /20/x changed). */
bool sim_eventlog_execute(sim_store *st, const lwm2m_path *path);

#endif
