/* The simulated device's persistent state (src/sim/persist.c) and its reboot modes
 * (src/sim/reboot.c): what a restart keeps, and that the file holding PSK keys is private. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/bootstrap.h"
#include "sim/persist.h"
#include "sim/reboot.h"
#include "unit/sim_fixture.h"

static char *tmp_path(void)
{
    char *p = strdup("/tmp/test_sim_persist.XXXXXX");
    assert_non_null(p);
    int fd = mkstemp(p);
    assert_true(fd >= 0);
    close(fd);
    unlink(p); /* a name that does not exist yet */
    return p;
}

static void test_round_trip_keeps_everything(void **state)
{
    (void)state;
    sim_device *d = fx_sim("fixtures/c14.json", NULL, 0);
    static const uint8_t key[] = {0x00, 0xff, 0x10, 0x20, 0x7f};
    assert_int_equal(sim_store_set_opaque(d->store, 0, 0, 5, key, sizeof key), 0);
    assert_int_equal(sim_store_set_string(d->store, 1, 0, 7, "UQ"), 0);
    lwm2m_record f = {.path = fx_path("/3/0/11/3"), .type = LV_INTEGER, .i = -7};
    assert_int_equal(sim_store_set(d->store, &f), 0);
    const char *q[] = {"pmin=2", "pmax=10"};
    lwm2m_path p30 = fx_path("/3/0");
    lc_error err = {0};
    assert_int_equal(sim_attrs_write(d->attrs, 2, &p30, q, 2, &err), 0);

    char *path = tmp_path();
    assert_int_equal(sim_persist_save(d, path, &err), 0);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600); /* it holds PSK keys */

    sim_device *e = fx_sim("fixtures/c14.json", NULL, 0);
    sim_bootstrap_clear(e); /* a device in bootstrap mode: only its bootstrap account */
    assert_false(sim_persist_has_server_account(e));
    bool loaded = false;
    assert_int_equal(sim_persist_load(e, path, &loaded, &err), 0);
    assert_true(loaded);
    assert_true(sim_persist_has_server_account(e));
    lwm2m_path k = fx_path("/0/0/5");
    const lwm2m_record *r = sim_store_get(e->store, &k);
    assert_non_null(r);
    assert_int_equal(r->type, LV_OPAQUE);
    assert_memory_equal(r->bytes, key, sizeof key);
    assert_string_equal(sim_store_get_string(e->store, 1, 0, 7), "UQ");
    lwm2m_path ri = fx_path("/3/0/11/3");
    r = sim_store_get(e->store, &ri);
    assert_non_null(r);
    assert_int_equal(r->i, -7);
    lwm2m_path reboot = fx_path("/3/0/4"); /* executables come back too */
    assert_true(sim_store_exists(e->store, &reboot));
    const sim_attr_set *a = sim_attrs_get(e->attrs, 2, &p30);
    assert_non_null(a);
    assert_true(a->has_pmin && a->pmin == 2 && a->has_pmax && a->pmax == 10);
    assert_null(sim_attrs_get(e->attrs, 1, &p30)); /* still per server */
    /* every instance and value, nothing more */
    uint16_t ids1[16], ids2[16];
    for (int obj = 0; obj <= 3; obj++) {
        size_t n1 = sim_store_instances(d->store, obj, ids1, 16);
        assert_int_equal(n1, sim_store_instances(e->store, obj, ids2, 16));
        assert_memory_equal(ids1, ids2, n1 * sizeof ids1[0]);
    }
    unlink(path);
    free(path);
    fx_sim_free(d);
    fx_sim_free(e);
}

static void test_missing_file_is_a_first_start(void **state)
{
    (void)state;
    sim_device *d = fx_sim("fixtures/c14.json", NULL, 0);
    bool loaded = true;
    lc_error err = {0};
    assert_int_equal(sim_persist_load(d, "/nonexistent/dir/state.json", &loaded, &err), 0);
    assert_false(loaded);
    assert_true(sim_persist_has_server_account(d));
    fx_sim_free(d);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_bad_file_is_refused_and_loses_nothing(void **state)
{
    (void)state;
    sim_device *d = fx_sim("fixtures/c14.json", NULL, 0);
    char *path = tmp_path();
    static const char *const bad[] = {
        "{not json",
        "{\"format\":\"other\",\"version\":1,\"instances\":[],\"values\":[],\"attributes\":[]}",
        "{\"format\":\"lwm2m-simdev-state\",\"version\":9,\"instances\":[],\"values\":[],\"attributes\":[]}",
        "{\"format\":\"lwm2m-simdev-state\",\"version\":1,\"instances\":[\"/0\"],\"values\":[],\"attributes\":[]}",
        "{\"format\":\"lwm2m-simdev-state\",\"version\":1,\"instances\":[],\"values\":[{\"p\":\"/0/0/5\",\"t\":\"opaque\",\"v\":\"!!secret!!\"}],\"attributes\":[]}",
        "{\"format\":\"lwm2m-simdev-state\",\"version\":1,\"instances\":[],\"values\":[],\"attributes\":[{\"ssid\":1,\"p\":\"/3/0\",\"q\":[\"pmin=9\",\"pmax=1\"]}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(path, bad[i]);
        bool loaded = false;
        lc_error err = {0};
        assert_int_equal(sim_persist_load(d, path, &loaded, &err), LC_EINVAL);
        assert_false(loaded);
        assert_non_null(strstr(err.msg, path));
        assert_null(strstr(err.msg, "secret")); /* a value is never quoted */
        assert_string_equal(sim_store_get_string(d->store, 3, 0, 0), "lwm2m-conform");
    }
    unlink(path);
    free(path);
    fx_sim_free(d);
}

static void test_forget(void **state)
{
    (void)state;
    char *path = tmp_path();
    write_file(path, "{}");
    sim_persist_forget(path, NULL);
    assert_int_not_equal(access(path, F_OK), 0);
    sim_persist_forget(path, NULL); /* already gone: fine */
    free(path);
}

static void test_reboot_modes(void **state)
{
    (void)state;
    sim_reboot_mode m = SIM_REBOOT_EXIT;
    lc_error err = {0};
    assert_int_equal(sim_reboot_parse("in-process", &m, &err), 0);
    assert_int_equal(m, SIM_REBOOT_IN_PROCESS);
    assert_int_equal(sim_reboot_parse("exit", &m, &err), 0);
    assert_int_equal(m, SIM_REBOOT_EXIT);
    assert_int_equal(sim_reboot_parse("reexec", &m, &err), 0);
    assert_int_equal(m, SIM_REBOOT_REEXEC);
    assert_string_equal(sim_reboot_name(m), "reexec");
    assert_int_equal(sim_reboot_parse("restart", &m, &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "in-process, exit or reexec"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_keeps_everything),
        cmocka_unit_test(test_missing_file_is_a_first_start),
        cmocka_unit_test(test_bad_file_is_refused_and_loses_nothing),
        cmocka_unit_test(test_forget),
        cmocka_unit_test(test_reboot_modes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
