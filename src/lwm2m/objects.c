#include "lwm2m/objects.h"

#include <stddef.h>

#include "lwm2m/path.h"

/* Resource tables from LwM2M 1.0 (OMA-TS-LightweightM2M-V1_0, Appendix E.1–E.4). The
 * Security object is not accessible to LwM2M servers at all (only the bootstrap server
 * writes it), hence no operations. */

#define RES(id_, name_, type_, multiple_, mandatory_, ops_)                                  \
    {.id = (id_), .name = (name_), .type = (type_), .multiple = (multiple_),                 \
     .mandatory = (mandatory_), .operations = (ops_)}

enum { R = LWM2M_OP_R, E = LWM2M_OP_E, RW = LWM2M_OP_R | LWM2M_OP_W };

static const lwm2m_resource_def security_resources[] = {
    RES(0, "LWM2M Server URI", LV_STRING, false, true, 0),
    RES(1, "Bootstrap-Server", LV_BOOLEAN, false, true, 0),
    RES(2, "Security Mode", LV_INTEGER, false, true, 0),
    RES(3, "Public Key or Identity", LV_OPAQUE, false, true, 0),
    RES(4, "Server Public Key", LV_OPAQUE, false, true, 0),
    RES(5, "Secret Key", LV_OPAQUE, false, true, 0),
    RES(6, "SMS Security Mode", LV_INTEGER, false, false, 0),
    RES(7, "SMS Binding Key Parameters", LV_OPAQUE, false, false, 0),
    RES(8, "SMS Binding Secret Key(s)", LV_OPAQUE, false, false, 0),
    RES(9, "LwM2M Server SMS Number", LV_STRING, false, false, 0),
    RES(10, "Short Server ID", LV_INTEGER, false, false, 0),
    RES(11, "Client Hold Off Time", LV_INTEGER, false, false, 0),
    RES(12, "Bootstrap-Server Account Timeout", LV_INTEGER, false, false, 0),
};

static const lwm2m_resource_def server_resources[] = {
    RES(0, "Short Server ID", LV_INTEGER, false, true, R),
    RES(1, "Lifetime", LV_INTEGER, false, true, RW),
    RES(2, "Default Minimum Period", LV_INTEGER, false, false, RW),
    RES(3, "Default Maximum Period", LV_INTEGER, false, false, RW),
    RES(4, "Disable", LV_NONE, false, false, E),
    RES(5, "Disable Timeout", LV_INTEGER, false, false, RW),
    RES(6, "Notification Storing When Disabled or Offline", LV_BOOLEAN, false, true, RW),
    RES(7, "Binding", LV_STRING, false, true, RW),
    RES(8, "Registration Update Trigger", LV_NONE, false, true, E),
};

static const lwm2m_resource_def access_control_resources[] = {
    RES(0, "Object ID", LV_INTEGER, false, true, R),
    RES(1, "Object Instance ID", LV_INTEGER, false, true, R),
    RES(2, "ACL", LV_INTEGER, true, false, RW),
    RES(3, "Access Control Owner", LV_INTEGER, false, true, RW),
};

static const lwm2m_resource_def device_resources[] = {
    RES(0, "Manufacturer", LV_STRING, false, false, R),
    RES(1, "Model Number", LV_STRING, false, false, R),
    RES(2, "Serial Number", LV_STRING, false, false, R),
    RES(3, "Firmware Version", LV_STRING, false, false, R),
    RES(4, "Reboot", LV_NONE, false, true, E),
    RES(5, "Factory Reset", LV_NONE, false, false, E),
    RES(6, "Available Power Sources", LV_INTEGER, true, false, R),
    RES(7, "Power Source Voltage", LV_INTEGER, true, false, R),
    RES(8, "Power Source Current", LV_INTEGER, true, false, R),
    RES(9, "Battery Level", LV_INTEGER, false, false, R),
    RES(10, "Memory Free", LV_INTEGER, false, false, R),
    RES(11, "Error Code", LV_INTEGER, true, true, R),
    RES(12, "Reset Error Code", LV_NONE, false, false, E),
    RES(13, "Current Time", LV_TIME, false, false, RW),
    RES(14, "UTC Offset", LV_STRING, false, false, RW),
    RES(15, "Timezone", LV_STRING, false, false, RW),
    RES(16, "Supported Binding and Modes", LV_STRING, false, true, R),
    RES(17, "Device Type", LV_STRING, false, false, R),
    RES(18, "Hardware Version", LV_STRING, false, false, R),
    RES(19, "Software Version", LV_STRING, false, false, R),
    RES(20, "Battery Status", LV_INTEGER, false, false, R),
    RES(21, "Memory Total", LV_INTEGER, false, false, R),
    RES(22, "ExtDevInfo", LV_OBJLNK, true, false, R),
};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const lwm2m_object_def core_objects[] = {
    {0, "LWM2M Security", true, security_resources, COUNT(security_resources)},
    {1, "LWM2M Server", true, server_resources, COUNT(server_resources)},
    {2, "LWM2M Access Control", true, access_control_resources,
     COUNT(access_control_resources)},
    {3, "Device", false, device_resources, COUNT(device_resources)},
};

const lwm2m_object_def *objects_find(int object_id)
{
    for (int i = 0; i < COUNT(core_objects); i++)
        if (core_objects[i].id == object_id)
            return &core_objects[i];
    return NULL;
}

const lwm2m_resource_def *objects_resource(int object_id, int resource_id)
{
    const lwm2m_object_def *o = objects_find(object_id);
    if (!o)
        return NULL;
    for (int i = 0; i < o->resource_count; i++)
        if (o->resources[i].id == resource_id)
            return &o->resources[i];
    return NULL;
}

lwm2m_type objects_type_of(const lwm2m_path *path, void *unused)
{
    (void)unused;
    if (!path || path->depth < 3)
        return LV_NONE;
    const lwm2m_resource_def *r = objects_resource(path->ids[0], path->ids[2]);
    return r ? r->type : LV_NONE;
}
