/* The --keylog file: the NSS key log lines ("CLIENT_RANDOM <client random> <master
 * secret>") of every DTLS session the tool's servers hold, so a capture taken beside the
 * tool (tcpdump) decrypts in Wireshark. The keys are secrets: the file is created 0600 and
 * made 0600 if it existed; lines are appended, as SSLKEYLOGFILE does. */
#ifndef LC_REPORT_KEYLOG_H
#define LC_REPORT_KEYLOG_H

#include <stddef.h>

#include "common/err.h"

typedef struct keylog keylog;

/* Opens path for appending. Returns NULL with err set (naming path and the system error). */
keylog *keylog_open(const char *path, lc_error *err);
void keylog_close(keylog *k);
/* Appends line and a newline, flushed at once (a capture tool may read it while the run
 * goes on). */
void keylog_write(keylog *k, const char *line);
size_t keylog_count(const keylog *k);

#endif
