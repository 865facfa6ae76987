/* The simulated device's generic data model (src/sim/store.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lwm2m/config.h"
#include "sim/store.h"
#include "unit/fixture.h"

static void test_set_get_replace(void **state)
{
    (void)state;
    sim_store *st = sim_store_new();
    assert_int_equal(sim_store_set_string(st, 3, 0, 0, "acme"), 0);
    assert_true(sim_store_has_instance(st, 3, 0));
    assert_string_equal(sim_store_get_string(st, 3, 0, 0), "acme");
    assert_int_equal(sim_store_set_string(st, 3, 0, 0, "other"), 0);
    assert_string_equal(sim_store_get_string(st, 3, 0, 0), "other");
    assert_null(sim_store_get_string(st, 3, 0, 1));

    lwm2m_record a = {.path = fx_path("/3/0/11/0"), .type = LV_INTEGER, .i = 0};
    lwm2m_record b = {.path = fx_path("/3/0/11/3"), .type = LV_INTEGER, .i = 5};
    assert_int_equal(sim_store_set(st, &a), 0);
    assert_int_equal(sim_store_set(st, &b), 0);
    uint16_t ids[8];
    assert_int_equal(sim_store_resource_instances(st, 3, 0, 11, ids, 8), 2);
    assert_int_equal(ids[1], 3);
    lwm2m_path r11 = fx_path("/3/0/11");
    assert_true(sim_store_exists(st, &r11));
    assert_null(sim_store_get(st, &r11));
    /* a single value replaces the instances */
    assert_int_equal(sim_store_set_int(st, 3, 0, 11, 9), 0);
    assert_int_equal(sim_store_resource_instances(st, 3, 0, 11, ids, 8), 0);
    int64_t v = 0;
    assert_true(sim_store_get_int(st, 3, 0, 11, &v));
    assert_int_equal(v, 9);
    assert_int_equal(sim_store_resources(st, 3, 0, ids, 8), 2);
    assert_int_equal(ids[0], 0);
    assert_int_equal(ids[1], 11);
    lwm2m_record bad = {.path = fx_path("/3/0"), .type = LV_INTEGER};
    assert_int_equal(sim_store_set(st, &bad), LC_EINVAL);
    sim_store_free(st);
}

static void test_instances(void **state)
{
    (void)state;
    sim_store *st = sim_store_new();
    assert_int_equal(sim_store_add_instance(st, 1, 0), 0);
    assert_int_equal(sim_store_add_instance(st, 1, 2), 0);
    assert_int_equal(sim_store_add_instance(st, 1, 0), 0); /* idempotent */
    assert_int_equal(sim_store_add_instance(st, 1, 65535), LC_EINVAL);
    assert_int_equal(sim_store_free_instance_id(st, 1), 1);
    assert_int_equal(sim_store_free_instance_id(st, 4), 0);
    assert_int_equal(sim_store_set_int(st, 1, 2, 1, 300), 0);
    assert_int_equal(sim_store_set_int(st, 0, 0, 10, 1), 0);
    uint16_t ids[8];
    assert_int_equal(sim_store_objects(st, ids, 8), 2);
    assert_int_equal(ids[0], 0);
    assert_int_equal(ids[1], 1);
    assert_int_equal(sim_store_instances(st, 1, ids, 1), 2); /* count beyond cap */
    sim_store_delete_instance(st, 1, 2);
    assert_false(sim_store_has_instance(st, 1, 2));
    int64_t v;
    assert_false(sim_store_get_int(st, 1, 2, 1, &v));
    assert_true(sim_store_has_object(st, 1));
    sim_store_delete_instance(st, 1, 0);
    assert_false(sim_store_has_object(st, 1));
    sim_store_free(st);
}

static void test_load_c14_and_collect(void **state)
{
    (void)state;
    config *c = fx_config("fixtures/c14.json");
    lc_error err = {0};
    sim_store *st = sim_store_new();
    assert_int_equal(sim_store_load_config(st, c, &err), 0);
    free(c);
    /* what the device is comes from its description, the configuration holds none of it */
    lwm2m_path manufacturer = fx_path("/3/0/0");
    assert_null(sim_store_get(st, &manufacturer));
    description *desc = malloc(sizeof *desc);
    assert_non_null(desc);
    assert_int_equal(description_load_file("tests/data/devices/c14.json", desc, &err), 0);
    assert_int_equal(sim_store_load_description(st, desc, &err), 0);
    free(desc);
    assert_string_equal(sim_store_get_string(st, 3, 0, 0), "lwm2m-conform");
    /* Base64 of /0/0/3 decoded to the identity's bytes */
    lwm2m_path id = fx_path("/0/0/3");
    const lwm2m_record *r = sim_store_get(st, &id);
    assert_non_null(r);
    assert_int_equal(r->type, LV_OPAQUE);
    assert_int_equal(r->len, strlen("lwm2m-conform-1"));
    assert_memory_equal(r->bytes, "lwm2m-conform-1", r->len);
    int64_t v;
    assert_true(sim_store_get_int(st, 1, 1, 0, &v));
    assert_int_equal(v, 2);
    /* device-provided resources */
    lwm2m_path reboot = fx_path("/3/0/4"), trig = fx_path("/1/1/8");
    assert_int_equal(sim_store_get(st, &reboot)->type, LV_NONE);
    assert_true(sim_store_exists(st, &trig));

    lwm2m_records out;
    records_init(&out);
    lwm2m_path dev = fx_path("/3/0");
    assert_int_equal(sim_store_collect(st, &dev, &out), 0);
    assert_int_equal(out.count, 7); /* 0 1 2 3 11/0 13 16: executables left out */
    assert_int_equal(out.items[4].path.depth, 4);
    records_free(&out);

    sim_store *copy = sim_store_clone(st);
    sim_store_delete_instance(st, 0, 0);
    assert_true(sim_store_has_instance(copy, 0, 0));
    assert_non_null(sim_store_get(copy, &id));
    sim_store_free(copy);
    sim_store_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_get_replace),
        cmocka_unit_test(test_instances),
        cmocka_unit_test(test_load_c14_and_collect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
