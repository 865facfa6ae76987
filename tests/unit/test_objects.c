/* The shipped object definitions (the DDF files in fixtures/objects, LwM2M 1.0 Appendix E) as the
 * model reads them, and the type hint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lwm2m/objects.h"

static void expect_res(int obj, int res, const char *name, lwm2m_type t, bool multiple,
                       bool mandatory, int ops)
{
    const lwm2m_resource_def *d = objects_resource(obj, res);
    if (!d)
        fail_msg("/%d/x/%d missing", obj, res);
    assert_int_equal(d->id, res);
    assert_string_equal(d->name, name);
    assert_int_equal(d->type, t);
    assert_int_equal(d->multiple, multiple);
    assert_int_equal(d->mandatory, mandatory);
    assert_int_equal(d->operations, ops);
}

enum { R = LWM2M_OP_R, RW = LWM2M_OP_R | LWM2M_OP_W, E = LWM2M_OP_E };

static void test_objects(void **state)
{
    (void)state;
    static const struct {
        int id;
        const char *name;
        bool multiple;
        int count;
    } want[] = {{0, "LWM2M Security", true, 13},
                {1, "LWM2M Server", true, 16}, /* 0-9, 16-20 (LwM2M 1.1 registration retry), 23 */
                {2, "LWM2M Access Control", true, 4},
                {3, "Device", false, 23}};
    for (size_t i = 0; i < 4; i++) {
        const lwm2m_object_def *o = objects_find(want[i].id);
        assert_non_null(o);
        assert_int_equal(o->id, want[i].id);
        assert_string_equal(o->name, want[i].name);
        assert_int_equal(o->multiple, want[i].multiple);
        assert_int_equal(o->resource_count, want[i].count);
        /* Ids are unique and ascending, so tables stay easy to check against the spec. */
        for (int k = 1; k < o->resource_count; k++)
            assert_true(o->resources[k].id > o->resources[k - 1].id);
        /* Executable resources have no type, every other resource has one. */
        for (int k = 0; k < o->resource_count; k++)
            assert_int_equal(o->resources[k].operations == E, o->resources[k].type == LV_NONE);
    }
    assert_null(objects_find(42));
    assert_null(objects_find(-1));
    assert_null(objects_resource(42, 0));
    assert_null(objects_resource(3, 23));
}

static void test_security(void **state)
{
    (void)state;
    expect_res(0, 0, "LWM2M Server URI", LV_STRING, false, true, 0);
    expect_res(0, 1, "Bootstrap-Server", LV_BOOLEAN, false, true, 0);
    expect_res(0, 2, "Security Mode", LV_INTEGER, false, true, 0);
    expect_res(0, 3, "Public Key or Identity", LV_OPAQUE, false, true, 0);
    expect_res(0, 4, "Server Public Key", LV_OPAQUE, false, true, 0);
    expect_res(0, 5, "Secret Key", LV_OPAQUE, false, true, 0);
    expect_res(0, 9, "LwM2M Server SMS Number", LV_STRING, false, false, 0);
    expect_res(0, 10, "Short Server ID", LV_INTEGER, false, false, 0);
    expect_res(0, 11, "Client Hold Off Time", LV_INTEGER, false, false, 0);
    expect_res(0, 12, "Bootstrap-Server Account Timeout", LV_INTEGER, false, false, 0);
}

static void test_server_and_access_control(void **state)
{
    (void)state;
    expect_res(1, 0, "Short Server ID", LV_INTEGER, false, true, R);
    expect_res(1, 1, "Lifetime", LV_INTEGER, false, true, RW);
    expect_res(1, 2, "Default Minimum Period", LV_INTEGER, false, false, RW);
    expect_res(1, 3, "Default Maximum Period", LV_INTEGER, false, false, RW);
    expect_res(1, 4, "Disable", LV_NONE, false, false, E);
    expect_res(1, 5, "Disable Timeout", LV_INTEGER, false, false, RW);
    expect_res(1, 6, "Notification Storing When Disabled or Offline", LV_BOOLEAN, false, true,
               RW);
    expect_res(1, 7, "Binding", LV_STRING, false, true, RW);
    expect_res(1, 8, "Registration Update Trigger", LV_NONE, false, true, E);
    expect_res(2, 0, "Object ID", LV_INTEGER, false, true, R);
    expect_res(2, 1, "Object Instance ID", LV_INTEGER, false, true, R);
    expect_res(2, 2, "ACL", LV_INTEGER, true, false, RW);
    expect_res(2, 3, "Access Control Owner", LV_INTEGER, false, true, RW);
}

static void test_device(void **state)
{
    (void)state;
    expect_res(3, 0, "Manufacturer", LV_STRING, false, false, R);
    expect_res(3, 3, "Firmware Version", LV_STRING, false, false, R);
    expect_res(3, 4, "Reboot", LV_NONE, false, true, E);
    expect_res(3, 5, "Factory Reset", LV_NONE, false, false, E);
    expect_res(3, 6, "Available Power Sources", LV_INTEGER, true, false, R);
    expect_res(3, 9, "Battery Level", LV_INTEGER, false, false, R);
    expect_res(3, 11, "Error Code", LV_INTEGER, true, true, R);
    expect_res(3, 12, "Reset Error Code", LV_NONE, false, false, E);
    expect_res(3, 13, "Current Time", LV_TIME, false, false, RW);
    expect_res(3, 14, "UTC Offset", LV_STRING, false, false, RW);
    expect_res(3, 15, "Timezone", LV_STRING, false, false, RW);
    expect_res(3, 16, "Supported Binding and Modes", LV_STRING, false, true, R);
    expect_res(3, 17, "Device Type", LV_STRING, false, false, R);
    expect_res(3, 20, "Battery Status", LV_INTEGER, false, false, R);
    expect_res(3, 21, "Memory Total", LV_INTEGER, false, false, R);
    expect_res(3, 22, "ExtDevInfo", LV_OBJLNK, true, false, R);
}

static void test_type_of(void **state)
{
    (void)state;
    lwm2m_path p;
    assert_int_equal(lwm2m_path_parse("/3/0/13", &p), 0);
    assert_int_equal(objects_type_of(&p, NULL), LV_TIME);
    assert_int_equal(lwm2m_path_parse("/3/0/11/0", &p), 0);
    assert_int_equal(objects_type_of(&p, NULL), LV_INTEGER);
    assert_int_equal(lwm2m_path_parse("/0/1/5", &p), 0);
    assert_int_equal(objects_type_of(&p, NULL), LV_OPAQUE);
    assert_int_equal(lwm2m_path_parse("/1/0/6", &p), 0);
    assert_int_equal(objects_type_of(&p, NULL), LV_BOOLEAN);
    assert_int_equal(lwm2m_path_parse("/1/0/8", &p), 0);
    assert_int_equal(objects_type_of(&p, NULL), LV_NONE);
    assert_int_equal(lwm2m_path_parse("/3/0", &p), 0);
    assert_int_equal(objects_type_of(&p, NULL), LV_NONE);
    assert_int_equal(lwm2m_path_parse("/5/0/1", &p), 0);
    assert_int_equal(objects_type_of(&p, NULL), LV_STRING);
    assert_int_equal(lwm2m_path_parse("/42/0/1", &p), 0);
    assert_int_equal(objects_type_of(&p, NULL), LV_NONE);
    assert_int_equal(objects_type_of(NULL, NULL), LV_NONE);
    /* Matches the hint signature. */
    lwm2m_type_hint h = objects_type_of;
    assert_int_equal(lwm2m_path_parse("/3/0/16", &p), 0);
    assert_int_equal(h(&p, NULL), LV_STRING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_objects),
        cmocka_unit_test(test_security),
        cmocka_unit_test(test_server_and_access_control),
        cmocka_unit_test(test_device),
        cmocka_unit_test(test_type_of),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
