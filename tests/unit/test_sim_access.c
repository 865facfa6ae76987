/* Access Control decisions of the simulated device (src/sim/access.c) on configuration
 * C.14 (fixtures/c14.json): /2/0 guards /1/0 {1: 15} owner 1, /2/1 guards /1/1 {2: 15}
 * owner 2, /2/2 guards /3/0 {1: 15, 2: 15} owner MAX_ID. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "lwm2m/config.h"
#include "sim/access.h"
#include "sim/device.h"
#include "unit/sim_fixture.h"

static int setup_c14(void **state)
{
    *state = fx_sim("fixtures/c14.json", NULL, 0);
    return 0;
}

static int teardown(void **state)
{
    fx_sim_free(*state);
    return 0;
}

static void test_two_server_accounts(void **state)
{
    sim_device *d = *state;
    assert_int_equal(sim_access_server_count(d->store), 2);
}

static void test_server1_object_instance(void **state)
{
    sim_device *d = *state;
    /* /1/0 belongs to server 1: ACL {1: 15} */
    assert_int_equal(sim_access_rights(d->store, 1, 1, 0), 15);
    assert_int_equal(sim_access_rights(d->store, 2, 1, 0), 0);
    assert_int_equal(sim_access_rights(d->store, 3, 1, 0), 0);
    assert_true(sim_access_allowed(d->store, 1, 1, 0, SIM_RIGHT_WRITE));
    assert_false(sim_access_allowed(d->store, 2, 1, 0, SIM_RIGHT_READ));
}

static void test_server2_object_instance(void **state)
{
    sim_device *d = *state;
    assert_int_equal(sim_access_rights(d->store, 2, 1, 1), 15);
    assert_int_equal(sim_access_rights(d->store, 1, 1, 1), 0);
    assert_int_equal(sim_access_rights(d->store, 3, 1, 1), 0);
}

static void test_device_instance_shared(void **state)
{
    sim_device *d = *state;
    /* the corrected C.14: both servers have R+W+E+D on /3/0, nobody else */
    assert_int_equal(sim_access_rights(d->store, 1, 3, 0), 15);
    assert_int_equal(sim_access_rights(d->store, 2, 3, 0), 15);
    assert_int_equal(sim_access_rights(d->store, 3, 3, 0), 0);
    assert_false(sim_access_allowed(d->store, 1, 3, 0, SIM_RIGHT_CREATE));
}

static void test_security_never_accessible(void **state)
{
    sim_device *d = *state;
    for (int ssid = 1; ssid <= 3; ssid++)
        for (int inst = 0; inst <= 2; inst++)
            assert_int_equal(sim_access_rights(d->store, ssid, 0, inst), 0);
}

static void test_access_control_instances_owner_only(void **state)
{
    sim_device *d = *state;
    assert_int_equal(sim_access_rights(d->store, 1, 2, 0), SIM_RIGHT_READ | SIM_RIGHT_WRITE);
    assert_int_equal(sim_access_rights(d->store, 2, 2, 0), 0);
    assert_int_equal(sim_access_rights(d->store, 2, 2, 1), SIM_RIGHT_READ | SIM_RIGHT_WRITE);
    assert_int_equal(sim_access_rights(d->store, 1, 2, 1), 0);
    /* owner MAX_ID: managed during bootstrap only */
    assert_int_equal(sim_access_rights(d->store, 1, 2, 2), 0);
    assert_int_equal(sim_access_rights(d->store, 2, 2, 2), 0);
    assert_int_equal(sim_access_rights(d->store, 3, 2, 2), 0);
}

static void test_no_acl_instance_no_rights(void **state)
{
    sim_device *d = *state;
    assert_int_equal(sim_access_find_instance(d->store, 1, 5), -1);
    assert_int_equal(sim_access_rights(d->store, 1, 1, 5), 0);
    /* no /2/x for (3, 65535): nobody may create Device instances */
    assert_int_equal(sim_access_rights(d->store, 1, 3, SIM_ACCESS_MAX_ID), 0);
    assert_int_equal(sim_access_find_instance(d->store, 3, 0), 2);
}

static void test_default_entry_and_owner(void **state)
{
    sim_device *d = *state;
    /* /2/3 guards /1/7: default entry {0: R}, owner 2 */
    assert_int_equal(sim_store_set_int(d->store, 2, 3, 0, 1), 0);
    assert_int_equal(sim_store_set_int(d->store, 2, 3, 1, 7), 0);
    assert_int_equal(sim_store_set_int(d->store, 2, 3, 3, 2), 0);
    lwm2m_record def = {.path = {.ids = {2, 3, 2, 0}, .depth = 4}, .type = LV_INTEGER, .i = 1};
    assert_int_equal(sim_store_set(d->store, &def), 0);
    assert_int_equal(sim_access_rights(d->store, 1, 1, 7), SIM_RIGHT_READ);
    assert_int_equal(sim_access_rights(d->store, 3, 1, 7), SIM_RIGHT_READ);
    /* the owner without an entry of its own has full access, default or not */
    assert_int_equal(sim_access_rights(d->store, 2, 1, 7), SIM_RIGHTS_OWNER);
    /* an explicit entry wins over both */
    lwm2m_record own = {.path = {.ids = {2, 3, 2, 2}, .depth = 4}, .type = LV_INTEGER, .i = 4};
    assert_int_equal(sim_store_set(d->store, &own), 0);
    assert_int_equal(sim_access_rights(d->store, 2, 1, 7), SIM_RIGHT_EXECUTE);
}

static void test_create_right_via_max_id(void **state)
{
    sim_device *d = *state;
    assert_int_equal(sim_store_set_int(d->store, 2, 4, 0, 1), 0);
    assert_int_equal(sim_store_set_int(d->store, 2, 4, 1, SIM_ACCESS_MAX_ID), 0);
    assert_int_equal(sim_store_set_int(d->store, 2, 4, 3, SIM_ACCESS_MAX_ID), 0);
    lwm2m_record c1 = {.path = {.ids = {2, 4, 2, 1}, .depth = 4}, .type = LV_INTEGER, .i = 16};
    assert_int_equal(sim_store_set(d->store, &c1), 0);
    assert_true(sim_access_allowed(d->store, 1, 1, SIM_ACCESS_MAX_ID, SIM_RIGHT_CREATE));
    assert_false(sim_access_allowed(d->store, 2, 1, SIM_ACCESS_MAX_ID, SIM_RIGHT_CREATE));

    /* the creator becomes the owner of the new instance's ACL */
    assert_int_equal(sim_store_add_instance(d->store, 1, 9), 0);
    assert_int_equal(sim_access_on_create(d->store, 1, 1, 9), 0);
    int x = sim_access_find_instance(d->store, 1, 9);
    assert_true(x >= 0);
    int64_t owner = 0;
    assert_true(sim_store_get_int(d->store, 2, x, 3, &owner));
    assert_int_equal(owner, 1);
    assert_int_equal(sim_access_rights(d->store, 1, 1, 9), SIM_RIGHTS_OWNER);
    assert_int_equal(sim_access_rights(d->store, 2, 1, 9), 0);
    sim_access_on_delete(d->store, 1, 9);
    assert_int_equal(sim_access_find_instance(d->store, 1, 9), -1);
}

static void test_single_server_not_enforced(void **state)
{
    sim_device *d = *state;
    sim_store_delete_instance(d->store, 1, 1);
    assert_int_equal(sim_access_server_count(d->store), 1);
    assert_int_equal(sim_access_rights(d->store, 1, 1, 0), SIM_RIGHTS_ALL);
    assert_int_equal(sim_access_rights(d->store, 1, 3, SIM_ACCESS_MAX_ID), SIM_RIGHTS_ALL);
    assert_int_equal(sim_access_rights(d->store, 7, 1, 5), SIM_RIGHTS_ALL);
    /* …but the Security object stays closed */
    assert_int_equal(sim_access_rights(d->store, 1, 0, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_two_server_accounts, setup_c14, teardown),
        cmocka_unit_test_setup_teardown(test_server1_object_instance, setup_c14, teardown),
        cmocka_unit_test_setup_teardown(test_server2_object_instance, setup_c14, teardown),
        cmocka_unit_test_setup_teardown(test_device_instance_shared, setup_c14, teardown),
        cmocka_unit_test_setup_teardown(test_security_never_accessible, setup_c14, teardown),
        cmocka_unit_test_setup_teardown(test_access_control_instances_owner_only, setup_c14, teardown),
        cmocka_unit_test_setup_teardown(test_no_acl_instance_no_rights, setup_c14, teardown),
        cmocka_unit_test_setup_teardown(test_default_entry_and_owner, setup_c14, teardown),
        cmocka_unit_test_setup_teardown(test_create_right_via_max_id, setup_c14, teardown),
        cmocka_unit_test_setup_teardown(test_single_server_not_enforced, setup_c14, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
