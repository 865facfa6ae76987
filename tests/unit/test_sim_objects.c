/* The simulated device's objects beyond the core (configurations C.5, C.9, C.12): what it
 * implements, the values that change on their own (sim/live), Create and Delete on the
 * Device object, and the faults of the object cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lwm2m/config.h"
#include "lwm2m/content/content.h"
#include "lwm2m/objects.h"
#include "sim/discover.h"
#include "sim/live.h"
#include "sim/ops.h"
#include "unit/sim_fixture.h"

static sim_device *load(const char *file, const char *fault)
{
    sim_faults f = {0};
    lc_error err = {0};
    if (fault && sim_faults_add(&f, fault, &err) != 0)
        fail_msg("%s", err.msg);
    return fx_sim(file, &f, 0);
}

static void unload(sim_device *d)
{
    fx_sim_free(d);
}

static sim_response req(sim_device *d, int method, const char *path, int accept)
{
    sim_request r = {.method = method, .uri_path = path, .accept = accept,
                     .content_format = CF_NONE, .observe = -1};
    sim_response resp;
    sim_ops_handle(d, 1, &r, &resp);
    return resp;
}

static int code(sim_device *d, int method, const char *path)
{
    sim_response r = req(d, method, path, CF_NONE);
    int c = r.code;
    sim_response_free(&r);
    return c;
}

static int64_t int_at(const sim_device *d, int o, int i, int r)
{
    int64_t v = -1;
    assert_true(sim_store_get_int(d->store, o, i, r, &v));
    return v;
}

/* Every shipped configuration loads into the simulated device. */
static void test_every_configuration_loads(void **state)
{
    (void)state;
    static const char *const files[] = {"fixtures/c3.json", "fixtures/c4.json", "fixtures/c5.json",
                                        "fixtures/c6.json", "fixtures/c7.json", "fixtures/c8.json",
                                        "fixtures/c9.json", "fixtures/c10.json", "fixtures/c11.json",
                                        "fixtures/c12.json"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        unload(load(files[i], NULL));
}

static void test_implements_configured_objects_only(void **state)
{
    (void)state;
    sim_device *d = load("fixtures/c9.json", NULL);
    assert_true(sim_device_supports(d, 7));
    assert_true(sim_device_supports(d, 2)); /* a core object, even without instances */
    assert_false(sim_device_supports(d, 4)); /* the model knows it; this device does not */
    assert_int_equal(code(d, SIM_GET, "4"), 404);
    assert_int_equal(code(d, SIM_GET, "7/0"), 205);
    /* Start and Stop come from the model, as executables */
    lwm2m_path p = {.ids = {7, 0, 6, LWM2M_ID_NONE}, .depth = 3};
    assert_true(sim_store_exists(d->store, &p));
    assert_int_equal(code(d, SIM_GET, "7/0/6"), 405);
    unload(d);
}

static void test_statistics_collection(void **state)
{
    (void)state;
    sim_device *d = load("fixtures/c9.json", NULL);
    lwm2m_path changed[4];
    uint64_t next = 0;
    /* no collection yet: counters stay */
    sim_live_tick(d, 1000, changed, 4, &next);
    assert_int_equal(int_at(d, 7, 0, 2), 0);
    assert_int_equal(next, 1000 + SIM_LIVE_PERIOD_MS);
    /* Start zeroes and collects; the period (30 s in C.9) ends it */
    sim_store_set_int(d->store, 7, 0, 2, 99);
    lwm2m_path start = {.ids = {7, 0, 6, LWM2M_ID_NONE}, .depth = 3};
    assert_true(sim_live_execute(d, &start, 2000));
    assert_int_equal(int_at(d, 7, 0, 2), 0);
    size_t n = sim_live_tick(d, 2000, changed, 4, &next);
    assert_int_equal(n, 1);
    assert_int_equal(changed[0].ids[0], 7);
    assert_int_equal(int_at(d, 7, 0, 2), 1);
    assert_int_equal(sim_live_tick(d, 2500, changed, 4, &next), 0); /* not a period yet */
    sim_live_tick(d, 3000, changed, 4, &next);
    assert_int_equal(int_at(d, 7, 0, 3), 4);
    sim_live_tick(d, 40000, changed, 4, &next); /* past the Collection Period */
    int64_t tx = int_at(d, 7, 0, 2);
    sim_live_tick(d, 41000, changed, 4, &next);
    assert_int_equal(int_at(d, 7, 0, 2), tx);
    /* Stop ends a collection without a period */
    sim_store_set_int(d->store, 7, 0, 8, 0);
    assert_true(sim_live_execute(d, &start, 50000));
    lwm2m_path stop = {.ids = {7, 0, 7, LWM2M_ID_NONE}, .depth = 3};
    assert_true(sim_live_execute(d, &stop, 51000));
    sim_live_tick(d, 52000, changed, 4, &next);
    assert_int_equal(int_at(d, 7, 0, 2), 0);
    lwm2m_path reboot = {.ids = {3, 0, 4, LWM2M_ID_NONE}, .depth = 3};
    assert_false(sim_live_execute(d, &reboot, 0));
    unload(d);
}

static void test_signal_wanders(void **state)
{
    (void)state;
    sim_device *d = load("fixtures/c5.json", NULL);
    lwm2m_path changed[4];
    uint64_t next;
    bool moved = false;
    for (uint64_t t = 1; t < 10; t++) {
        assert_int_equal(sim_live_tick(d, t * 1000, changed, 4, &next), 1);
        int64_t v = int_at(d, 4, 0, 2);
        assert_true(v >= -87 && v <= -83);
        moved = moved || v != -85;
    }
    assert_true(moved);
    unload(d);
}

static void test_device_object_create_delete(void **state)
{
    (void)state;
    sim_device *d = load("fixtures/c14.json", NULL);
    assert_int_equal(code(d, SIM_POST, "3"), 405);
    assert_int_equal(code(d, SIM_DELETE, "3/0"), 405);
    unload(d);
    d = load("fixtures/c14.json", "create-device-object");
    assert_int_equal(code(d, SIM_POST, "3"), 201);
    unload(d);
    d = load("fixtures/c14.json", "delete-ignored");
    assert_int_equal(code(d, SIM_DELETE, "3/0"), 202);
    assert_true(sim_store_has_instance(d->store, 3, 0));
    unload(d);
}

static char *discover(sim_device *d, const char *path)
{
    lwm2m_path p;
    assert_int_equal(lwm2m_path_parse(path, &p), 0);
    char *out = NULL;
    lc_error err = {0};
    if (sim_discover(d, 1, &p, &out, NULL, &err) != 0)
        fail_msg("%s", err.msg);
    return out;
}

static void test_portfolio_discover(void **state)
{
    (void)state;
    sim_device *d = load("fixtures/c12.json", NULL);
    char *s = discover(d, "/16");
    assert_string_equal(s, "</16>,</16/0>,</16/0/0>;dim=4,</16/0/1>");
    free(s);
    assert_int_equal(code(d, SIM_DELETE, "16/0"), 202);
    s = discover(d, "/16"); /* implemented, no instance left */
    assert_string_equal(s, "</16>");
    free(s);
    unload(d);
    d = load("fixtures/c12.json", "no-dim");
    s = discover(d, "/16/0");
    assert_null(strstr(s, "dim="));
    free(s);
    unload(d);
    d = load("fixtures/c12.json", "discover-no-object-link");
    s = discover(d, "/16");
    assert_string_equal(s, "</16/0>,</16/0/0>;dim=4,</16/0/1>");
    free(s);
    unload(d);
    d = load("fixtures/c11.json", NULL);
    s = discover(d, "/10");
    assert_non_null(strstr(s, "</10>;ver=1.1,"));
    free(s);
    unload(d);
    d = load("fixtures/c11.json", "no-object-version");
    s = discover(d, "/10");
    assert_null(strstr(s, "ver="));
    free(s);
    unload(d);
}

static void test_value_faults(void **state)
{
    (void)state;
    sim_device *d = load("fixtures/c5.json", "wrong-value=/4/0/0");
    sim_response r = req(d, SIM_GET, "4/0/0", CF_NONE);
    assert_int_equal(r.code, 205);
    assert_int_equal(r.payload_len, 1);
    assert_memory_equal(r.payload, "7", 1); /* configured 6 */
    sim_response_free(&r);
    unload(d);
    d = load("fixtures/c5.json", "missing-value=/4/0/4");
    r = req(d, SIM_GET, "4/0", CF_TLV);
    lwm2m_records recs;
    records_init(&recs);
    lwm2m_path base = {.ids = {4, 0, LWM2M_ID_NONE, LWM2M_ID_NONE}, .depth = 2};
    assert_int_equal(content_decode(CF_TLV, &base, r.payload, r.payload_len, objects_type_of,
                                    NULL, &recs, NULL), 0);
    lwm2m_path ip = {.ids = {4, 0, 4, 0}, .depth = 4};
    lwm2m_path bearer = {.ids = {4, 0, 0, LWM2M_ID_NONE}, .depth = 3};
    assert_null(records_find(&recs, &ip));
    assert_non_null(records_find(&recs, &bearer));
    records_free(&recs);
    sim_response_free(&r);
    unload(d);
    d = load("fixtures/c9.json", "ignore-write=/7/0/8");
    sim_request w = {.method = SIM_PUT, .uri_path = "7/0/8", .content_format = CF_TEXT,
                     .accept = CF_NONE, .payload = (const uint8_t *)"60", .payload_len = 2,
                     .observe = -1};
    sim_ops_handle(d, 1, &w, &r);
    assert_int_equal(r.code, 204);
    sim_response_free(&r);
    assert_int_equal(int_at(d, 7, 0, 8), 30);
    unload(d);
    d = load("fixtures/c12.json", "create-error");
    assert_int_equal(code(d, SIM_POST, "16"), 400);
    unload(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_configuration_loads),
        cmocka_unit_test(test_implements_configured_objects_only),
        cmocka_unit_test(test_statistics_collection),
        cmocka_unit_test(test_signal_wanders),
        cmocka_unit_test(test_device_object_create_delete),
        cmocka_unit_test(test_portfolio_discover),
        cmocka_unit_test(test_value_faults),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    objects_unload();
    return rc;
}
