/* The device profile: what the device under test supports, so a case it cannot run is
 * SKIPPED with the reason instead of failing. A JSON file (docs/testcase-format.md,
 * "Device profile"):
 *   {"lwm2m": "1.0", "objects": [0, 1, 2, 3], "content_formats": ["text", "tlv", "link"],
 *    "queue_mode": true}
 * Every key is optional; a key left out means "not restricted". The run finds it with
 * --profile FILE, else beside the configuration as <config without .json>.profile.json. */
#ifndef LC_RUN_PROFILE_H
#define LC_RUN_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"

#define PROFILE_MAX_OBJECTS 64
#define PROFILE_MAX_FORMATS 16

typedef struct device_profile {
    char source[256];       /* the file it came from */
    char lwm2m[8];          /* "1.0", "1.1", "1.2"; "" = not given */
    bool has_objects;
    int objects[PROFILE_MAX_OBJECTS];
    size_t object_count;
    bool has_formats;
    int formats[PROFILE_MAX_FORMATS]; /* CoAP Content-Format numbers */
    size_t format_count;
    bool profile_id;        /* "profile_id": true: the device registers with a Profile ID
                               (LwM2M 1.2 pid; cases requiring "profile-id" apply) */
    bool no_send;           /* "send": false: the device does not implement Send (an optional
                               LwM2M 1.1 Client operation): cases requiring "send" are
                               SKIPPED; left out or true: they are played */
    bool queue_mode;        /* "queue_mode": true: the device registers in queue mode
                               (cases requiring "queue-mode" apply; without it they are
                               SKIPPED, as the ETS makes that support a precondition) */
} device_profile;

/* Loads path into p. Returns 0, or LC_EIO (unreadable) / LC_EINVAL (not a profile) with
 * err saying what is wrong and where. */
int profile_load(const char *path, device_profile *p, lc_error *err);

/* The profile file beside a configuration: "fixtures/c14.json" ->
 * "fixtures/c14.profile.json". Returns buf. */
const char *profile_path_for_config(const char *config_path, char *buf, size_t cap);

bool profile_has_object(const device_profile *p, int object_id);
bool profile_has_format(const device_profile *p, int content_format);

#endif
