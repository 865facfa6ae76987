/* Placing the configuration on a device that keeps its bootstrap account elsewhere:
 * instmap, provision_map, provision_instance_records with a map, bsaccount_from_discover,
 * and the simulator's --bootstrap-iid (sim_factory_place_bootstrap). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bs/account.h"
#include "bs/provision.h"
#include "lwm2m/instmap.h"
#include "sim/factory.h"
#include "unit/fixture.h"

static config *load_c14(void)
{
    return fx_config("fixtures/c14.json");
}

static const lwm2m_record *find(const lwm2m_records *r, const char *p)
{
    lwm2m_path pp = fx_path(p);
    return records_find(r, &pp);
}

static void map_text(int bs_iid, const char *want_moves)
{
    config *c = load_c14();
    instmap m;
    assert_int_equal(provision_map(c, bs_iid, &m, NULL), 0);
    char buf[300];
    instmap_format(&m, buf, sizeof buf);
    if (strcmp(buf, want_moves) != 0)
        fail_msg("bootstrap account at %d: moves \"%s\", expected \"%s\"", bs_iid, buf, want_moves);
    free(c);
}

static void test_map_keeps_c14_ids_where_free(void **state)
{
    (void)state;
    map_text(1, "");    /* where C.14 has it: nothing moves */
    map_text(-1, "");   /* unknown: the configuration's */
    map_text(0, "/0/0 -> /0/1, /0/1 -> /0/0"); /* the common real-device case */
    map_text(2, "/0/2 -> /0/1, /0/1 -> /0/2");
    map_text(5, "/0/1 -> /0/5"); /* nothing collides: accounts stay, only the bootstrap moves */
}

static void test_map_lookups(void **state)
{
    (void)state;
    config *c = load_c14();
    instmap m;
    assert_int_equal(provision_map(c, 0, &m, NULL), 0);
    assert_int_equal(m.bootstrap_iid, 0);
    assert_int_equal(instmap_device_iid(&m, 0, 0), 1);
    assert_int_equal(instmap_device_iid(&m, 0, 1), 0);
    assert_int_equal(instmap_device_iid(&m, 0, 2), 2);
    assert_int_equal(instmap_device_iid(&m, 1, 0), 0); /* Server instances keep theirs */
    assert_int_equal(instmap_device_iid(NULL, 0, 0), 0);
    assert_true(instmap_moves_anything(&m));
    lwm2m_path p = fx_path("/0/0/5");
    assert_true(instmap_to_device(&m, &p));
    assert_int_equal(p.ids[1], 1);
    p = fx_path("/0");
    assert_false(instmap_to_device(&m, &p));
    free(c);
}

/* Server account #1's Security instance written to /0/1 when the device's bootstrap account
 * is /0/0: every record under /0/1, the account's own values. */
static void test_records_go_where_placed(void **state)
{
    (void)state;
    config *c = load_c14();
    instmap m;
    assert_int_equal(provision_map(c, 0, &m, NULL), 0);
    lwm2m_records recs;
    records_init(&recs);
    lwm2m_path inst = fx_path("/0/0");
    assert_int_equal(provision_instance_records(c, &m, &inst, "coaps://127.0.0.1:1", &recs, NULL), 0);
    for (size_t i = 0; i < recs.count; i++)
        assert_int_equal(recs.items[i].path.ids[1], 1);
    assert_int_equal(find(&recs, "/0/1/10")->i, 1);
    assert_false(find(&recs, "/0/1/1")->b);
    assert_string_equal((const char *)find(&recs, "/0/1/0")->bytes, "coaps://127.0.0.1:1");
    provision_records_wipe(&recs);
    records_free(&recs);
    free(c);
}

/* An Access Control instance names an object instance: its Object Instance ID follows the
 * map of that object (here a moved Server instance). */
static void test_acl_reference_follows_the_map(void **state)
{
    (void)state;
    config *c = load_c14();
    instmap m;
    instmap_init(&m);
    instmap_set(&m, 1, 0, 4);
    lwm2m_records recs;
    records_init(&recs);
    lwm2m_path acl = fx_path("/2/0");
    assert_int_equal(provision_instance_records(c, &m, &acl, NULL, &recs, NULL), 0);
    assert_int_equal(find(&recs, "/2/0/0")->i, 1);
    assert_int_equal(find(&recs, "/2/0/1")->i, 4);
    assert_int_equal(find(&recs, "/2/0/3")->i, 1); /* the owner is a Short Server ID */
    records_free(&recs);
    records_init(&recs);
    acl = fx_path("/2/2"); /* /3/0 is not moved */
    assert_int_equal(provision_instance_records(c, &m, &acl, NULL, &recs, NULL), 0);
    assert_int_equal(find(&recs, "/2/2/1")->i, 0);
    records_free(&recs);
    free(c);
}

static int from(const char *payload, int preferred, char *why, size_t cap)
{
    return bsaccount_from_discover((const uint8_t *)payload, strlen(payload), preferred, why, cap);
}

static void test_account_from_discover(void **state)
{
    (void)state;
    char why[300];
    /* LwM2M 1.1 form, the bootstrap account with uri and no ssid */
    assert_int_equal(from("</0/0>;uri=\"coaps://bs.example.com\",</0/1>;ssid=101;uri=\"coaps://s\"",
                          1, why, sizeof why), 0);
    assert_string_equal(why, "");
    /* LwM2M 1.0's example form, with its bare lwm2m="1.0" first */
    assert_int_equal(from("lwm2m=\"1.0\",</0/0>;ssid=1,</0/1>,</0/2>;ssid=2", 1, why, sizeof why), 1);
    /* a factory device: its bootstrap account alone; the object link is not an instance */
    assert_int_equal(from("</0>,</0/3>", 1, why, sizeof why), 3);
    /* several without ssid: the preferred one when it is among them, else the lowest */
    assert_int_equal(from("</0/4>,</0/1>,</0/7>", 1, why, sizeof why), 1);
    assert_non_null(strstr(why, "3 Security instances without ssid"));
    assert_int_equal(from("</0/4>,</0/7>", 1, why, sizeof why), 4);
    /* none */
    assert_int_equal(from("</0/0>;ssid=1", 1, why, sizeof why), -1);
    assert_non_null(strstr(why, "no Security instance link without ssid"));
    assert_int_equal(from("not a link", 1, why, sizeof why), -1);
    assert_non_null(strstr(why, "not link format"));
    /* other objects' instances do not count */
    assert_int_equal(from("</1/0>,</3/0>", 1, why, sizeof why), -1);
}

static void test_sim_factory_swaps_instances(void **state)
{
    (void)state;
    config *c = load_c14();
    assert_int_equal(sim_factory_place_bootstrap(c, 0, NULL), 0);
    assert_int_equal(config_bootstrap(c)->security_instance, 0);
    assert_int_equal(config_server(c, 1)->security_instance, 1);
    assert_int_equal(config_server(c, 2)->security_instance, 2);
    const config_value *v = config_find(c, "/0/0/1");
    assert_non_null(v);
    assert_true(v->boolean); /* the bootstrap flag moved with the account */
    v = config_find(c, "/0/1/10");
    assert_non_null(v);
    assert_int_equal((int)v->number, 1);
    /* to a free instance: nothing else moves */
    assert_int_equal(sim_factory_place_bootstrap(c, 9, NULL), 0);
    assert_non_null(config_find(c, "/0/9/0"));
    assert_null(config_find(c, "/0/0/0"));
    assert_int_equal(config_server(c, 1)->security_instance, 1);
    lc_error err = {0};
    assert_int_equal(sim_factory_place_bootstrap(c, 70000, &err), LC_EINVAL);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_keeps_c14_ids_where_free),
        cmocka_unit_test(test_map_lookups),
        cmocka_unit_test(test_records_go_where_placed),
        cmocka_unit_test(test_acl_reference_follows_the_map),
        cmocka_unit_test(test_account_from_discover),
        cmocka_unit_test(test_sim_factory_swaps_instances),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
