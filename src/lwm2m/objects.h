/* The object model the tool knows: resource ids, types, multiplicity and operations of the
 * core objects (Security 0, Server 1, Access Control 2, Device 3). Content-format decoders
 * use it to turn TLV bytes into typed values; the simulator and the bootstrap server use it
 * to encode. */
#ifndef LC_OBJECTS_H
#define LC_OBJECTS_H

#include <stdbool.h>

#include "lwm2m/content/value.h"

enum { LWM2M_OP_R = 1, LWM2M_OP_W = 2, LWM2M_OP_E = 4 };

typedef struct lwm2m_resource_def {
    int id;
    const char *name; /* as in the OMA object definition: "Manufacturer" */
    lwm2m_type type;  /* LV_NONE for executable resources */
    bool multiple;
    bool mandatory;
    int operations;   /* LWM2M_OP_* */
} lwm2m_resource_def;

typedef struct lwm2m_object_def {
    int id;
    const char *name;
    bool multiple;
    const lwm2m_resource_def *resources;
    int resource_count;
} lwm2m_object_def;

const lwm2m_object_def *objects_find(int object_id);
const lwm2m_resource_def *objects_resource(int object_id, int resource_id);
/* Type of the resource named by path (depth >= 3), LV_NONE when unknown. Matches the
 * lwm2m_type_hint signature so it can be passed to decoders. */
lwm2m_type objects_type_of(const lwm2m_path *path, void *unused);

#endif
