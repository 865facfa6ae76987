/* The client side of the Bootstrap interface (src/sim/bootstrap.c) on configuration C.14. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m/config.h"
#include "lwm2m/content/content.h"
#include "sim/bootstrap.h"
#include "unit/sim_fixture.h"

static sim_device *load(const sim_faults *f, int minor)
{
    return fx_sim("fixtures/c14.json", f, minor);
}

static sim_response bs(sim_device *d, int method, const char *path, int accept, int cf,
                       const uint8_t *payload, size_t len)
{
    sim_request req = {.method = method, .uri_path = path, .accept = accept,
                       .content_format = cf, .payload = payload, .payload_len = len,
                       .observe = -1};
    sim_response r;
    sim_bootstrap_handle(d, &req, &r);
    return r;
}

/* A Security + Server account for ssid 7 as a bootstrap server writes it (TLV). */
static void write_account(sim_device *d, int sec_inst, int srv_inst, int *codes)
{
    lwm2m_records in;
    records_init(&in);
    lwm2m_path p, base;
    char buf[32];
    snprintf(buf, sizeof buf, "/0/%d/0", sec_inst);
    lwm2m_path_parse(buf, &p);
    records_add_string(&in, &p, "coaps://127.0.0.1:7777");
    p.ids[2] = 1;
    records_add_bool(&in, &p, false);
    p.ids[2] = 2;
    records_add_int(&in, &p, 0);
    p.ids[2] = 3;
    records_add_opaque(&in, &p, (const uint8_t *)"id-7", 4);
    p.ids[2] = 5;
    records_add_opaque(&in, &p, (const uint8_t *)"0123456789abcdef", 16);
    p.ids[2] = 10;
    records_add_int(&in, &p, 7);
    snprintf(buf, sizeof buf, "/0/%d", sec_inst);
    lwm2m_path_parse(buf, &base);
    uint8_t *tlv = NULL;
    size_t len = 0;
    assert_int_equal(content_encode(CF_TLV, &base, &in, &tlv, &len, NULL), 0);
    records_free(&in);
    sim_response r = bs(d, SIM_PUT, buf + 1, CF_NONE, CF_TLV, tlv, len);
    codes[0] = r.code;
    assert_true(r.code != 204 || r.fx.secrets_changed);
    sim_response_free(&r);
    free(tlv);

    records_init(&in);
    snprintf(buf, sizeof buf, "/1/%d/0", srv_inst);
    lwm2m_path_parse(buf, &p);
    records_add_int(&in, &p, 7);
    p.ids[2] = 1;
    records_add_int(&in, &p, 300);
    p.ids[2] = 7;
    records_add_string(&in, &p, "U");
    snprintf(buf, sizeof buf, "/1/%d", srv_inst);
    lwm2m_path_parse(buf, &base);
    assert_int_equal(content_encode(CF_TLV, &base, &in, &tlv, &len, NULL), 0);
    records_free(&in);
    r = bs(d, SIM_PUT, buf + 1, CF_NONE, CF_TLV, tlv, len);
    codes[1] = r.code;
    sim_response_free(&r);
    free(tlv);
}

static void test_delete_all_keeps_bootstrap_account(void **state)
{
    (void)state;
    sim_device *d = load(NULL, 0);
    sim_response r = bs(d, SIM_DELETE, "", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 202);
    sim_response_free(&r);
    uint16_t ids[8];
    assert_int_equal(sim_store_instances(d->store, 0, ids, 8), 1);
    assert_int_equal(ids[0], 1); /* /0/1 is the bootstrap account */
    assert_int_equal(sim_store_instances(d->store, 1, ids, 8), 0);
    assert_int_equal(sim_store_instances(d->store, 2, ids, 8), 0);
    assert_true(sim_store_has_instance(d->store, 3, 0));
    assert_false(sim_bootstrap_consistent(d));
    r = bs(d, SIM_DELETE, "0/1", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 400);
    sim_response_free(&r);
    r = bs(d, SIM_DELETE, "3/0/1", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 400);
    sim_response_free(&r);
    fx_sim_free(d);
}

static void test_delete_object(void **state)
{
    (void)state;
    sim_device *d = load(NULL, 0);
    sim_response r = bs(d, SIM_DELETE, "0", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 202);
    sim_response_free(&r);
    assert_int_equal(sim_store_instances(d->store, 0, NULL, 0), 1);
    assert_int_equal(sim_store_instances(d->store, 1, NULL, 0), 2); /* untouched */
    r = bs(d, SIM_DELETE, "1/1", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 202);
    sim_response_free(&r);
    assert_false(sim_store_has_instance(d->store, 1, 1));
    fx_sim_free(d);
}

static void test_write_discover_finish(void **state)
{
    (void)state;
    sim_device *d = load(NULL, 0);
    sim_response r = bs(d, SIM_DELETE, "", CF_NONE, CF_NONE, NULL, 0);
    sim_response_free(&r);
    int codes[2];
    write_account(d, 4, 3, codes);
    assert_int_equal(codes[0], 204);
    assert_int_equal(codes[1], 204);
    assert_true(sim_bootstrap_consistent(d));
    assert_int_equal(sim_device_security_instance(d->store, 7), 4);
    assert_int_equal(sim_device_server_instance(d->store, 7), 3);
    lwm2m_path key = {.ids = {0, 4, 5, -1}, .depth = 3};
    const lwm2m_record *k = sim_store_get(d->store, &key);
    assert_non_null(k);
    assert_int_equal(k->type, LV_OPAQUE);
    assert_memory_equal(k->bytes, "0123456789abcdef", 16);
    /* the device adds its executables to a written Server instance */
    lwm2m_path trig = {.ids = {1, 3, 8, -1}, .depth = 3};
    assert_true(sim_store_exists(d->store, &trig));

    /* a single resource in text */
    r = bs(d, SIM_PUT, "1/3/1", CF_NONE, CF_TEXT, (const uint8_t *)"600", 3);
    assert_int_equal(r.code, 204);
    sim_response_free(&r);
    int64_t lt = 0;
    assert_true(sim_store_get_int(d->store, 1, 3, 1, &lt));
    assert_int_equal(lt, 600);
    r = bs(d, SIM_PUT, "1/3/1", CF_NONE, CF_TLV, (const uint8_t *)"\xff", 1);
    assert_int_equal(r.code, 400);
    sim_response_free(&r);

    r = bs(d, SIM_GET, "", CF_LINK_FORMAT, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 205);
    assert_int_equal(r.content_format, CF_LINK_FORMAT);
    r.payload = realloc(r.payload, r.payload_len + 1);
    r.payload[r.payload_len] = '\0';
    assert_string_equal((char *)r.payload,
                        "lwm2m=\"1.0\",</0/1>,</0/4>;ssid=7,</1/3>;ssid=7,</3/0>");
    sim_response_free(&r);

    r = bs(d, SIM_GET, "1/3", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 405); /* Bootstrap-Read is 1.1 */
    sim_response_free(&r);
    r = bs(d, SIM_POST, "3/0/4", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 405);
    sim_response_free(&r);

    r = bs(d, SIM_POST, "bs", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 204);
    assert_true(r.fx.bootstrap_finish);
    sim_response_free(&r);
    fx_sim_free(d);
}

static void test_lwm2m_11_read_and_finish_check(void **state)
{
    (void)state;
    sim_device *d = load(NULL, 1);
    sim_response r = bs(d, SIM_GET, "1/0", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 205);
    assert_int_equal(r.content_format, CF_OMA_JSON); /* what its pct asked for (sim/formats.h) */
    sim_response_free(&r);
    r = bs(d, SIM_GET, "1/0", CF_TLV, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 205);
    assert_int_equal(r.content_format, CF_TLV);
    sim_response_free(&r);
    r = bs(d, SIM_GET, "0/0", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 401);
    sim_response_free(&r);
    r = bs(d, SIM_DELETE, "", CF_NONE, CF_NONE, NULL, 0);
    sim_response_free(&r);
    r = bs(d, SIM_POST, "bs", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 406); /* nothing to register with */
    assert_false(r.fx.bootstrap_finish);
    sim_response_free(&r);
    fx_sim_free(d);
}

static void test_clear_is_factory_state_and_finish_checks_in_10(void **state)
{
    (void)state;
    sim_device *d = load(NULL, 0);
    sim_bootstrap_clear(d);
    uint16_t ids[8];
    assert_int_equal(sim_store_instances(d->store, 0, ids, 8), 1);
    assert_int_equal(ids[0], 1); /* the bootstrap account only */
    assert_int_equal(sim_store_instances(d->store, 1, ids, 8), 0);
    assert_int_equal(sim_store_instances(d->store, 2, ids, 8), 0);
    assert_true(sim_store_has_instance(d->store, 3, 0));
    /* an LwM2M 1.0 device checks consistency at Finish too (ETS int-0 criterion E) */
    sim_response r = bs(d, SIM_POST, "bs", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 406);
    assert_false(r.fx.bootstrap_finish);
    sim_response_free(&r);
    /* a Security instance without its Server instance is still no account */
    int codes[2];
    write_account(d, 4, 3, codes);
    r = bs(d, SIM_DELETE, "1/3", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 202);
    sim_response_free(&r);
    assert_false(sim_bootstrap_consistent(d));
    r = bs(d, SIM_POST, "bs", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 406);
    sim_response_free(&r);
    fx_sim_free(d);
}

static void test_lwm2m_11_discover_puts_version_on_root_link(void **state)
{
    (void)state;
    sim_device *d = load(NULL, 1);
    sim_bootstrap_clear(d);
    sim_response r = bs(d, SIM_GET, "", CF_LINK_FORMAT, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 205);
    r.payload = realloc(r.payload, r.payload_len + 1);
    r.payload[r.payload_len] = '\0';
    assert_string_equal((char *)r.payload,
                        "</>;lwm2m=\"1.1\",</0/1>;uri=\"coaps://127.0.0.1:5784\",</3/0>");
    assert_int_equal(r.payload_len, strlen((char *)r.payload));
    sim_response_free(&r);
    /* an object's Discover has no version to carry */
    r = bs(d, SIM_GET, "0", CF_LINK_FORMAT, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 205);
    assert_true(r.payload_len > 4 && memcmp(r.payload, "</0/1>", 6) == 0);
    sim_response_free(&r);
    fx_sim_free(d);
}

static void test_write_error_fault(void **state)
{
    (void)state;
    sim_faults f = {0};
    assert_int_equal(sim_faults_add(&f, "bootstrap-write-error", NULL), 0);
    sim_device *d = load(&f, 0);
    sim_response r = bs(d, SIM_DELETE, "", CF_NONE, CF_NONE, NULL, 0);
    sim_response_free(&r);
    int codes[2];
    write_account(d, 4, 3, codes);
    assert_int_equal(codes[0], 400);
    assert_int_equal(codes[1], 400);
    assert_false(sim_store_has_instance(d->store, 0, 4));
    fx_sim_free(d);
}

static sim_device *load_fault(const char *fault, int minor, sim_faults *f)
{
    memset(f, 0, sizeof *f);
    assert_int_equal(sim_faults_add(f, fault, NULL), 0);
    return load(f, minor);
}

static char *payload_text(sim_response *r)
{
    r->payload = realloc(r->payload, r->payload_len + 1);
    assert_non_null(r->payload);
    r->payload[r->payload_len] = '\0';
    return (char *)r->payload;
}

static void test_request_queries(void **state)
{
    (void)state;
    char q[SIM_BS_REQUEST_QUERIES][SIM_BS_QUERY_MAX];
    sim_device *d = load(NULL, 0);
    assert_int_equal(sim_bootstrap_request_queries(d, "dev-1", q), 1);
    assert_string_equal(q[0], "ep=dev-1");
    fx_sim_free(d);
    d = load(NULL, 1);
    assert_int_equal(sim_bootstrap_request_queries(d, "dev-1", q), 2);
    assert_string_equal(q[0], "ep=dev-1");
    assert_string_equal(q[1], "pct=11543"); /* OMA JSON: the device has no SenML */
    fx_sim_free(d);

    sim_faults f;
    d = load_fault("bootstrap-request-no-ep", 0, &f);
    assert_int_equal(sim_bootstrap_request_queries(d, "dev-1", q), 0);
    fx_sim_free(d);
    d = load_fault("bootstrap-request-no-ep", 1, &f);
    assert_int_equal(sim_bootstrap_request_queries(d, "dev-1", q), 1);
    assert_string_equal(q[0], "pct=11543");
    fx_sim_free(d);
}

static void test_delete_error_fault(void **state)
{
    (void)state;
    sim_faults f;
    sim_device *d = load_fault("bootstrap-delete-error", 0, &f);
    const char *paths[] = {"", "0", "1/0", "2/2"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        sim_response r = bs(d, SIM_DELETE, paths[i], CF_NONE, CF_NONE, NULL, 0);
        assert_int_equal(r.code, 400);
        assert_false(r.fx.changed);
        sim_response_free(&r);
    }
    assert_int_equal(sim_store_instances(d->store, 0, NULL, 0), 3); /* nothing deleted */
    assert_int_equal(sim_store_instances(d->store, 1, NULL, 0), 2);
    assert_int_equal(sim_store_instances(d->store, 2, NULL, 0), 3);
    fx_sim_free(d);
}

static void test_delete_ignored_fault(void **state)
{
    (void)state;
    sim_faults f;
    sim_device *d = load_fault("bootstrap-delete-ignored", 0, &f);
    sim_response r = bs(d, SIM_DELETE, "", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 202); /* claims success */
    sim_response_free(&r);
    r = bs(d, SIM_DELETE, "1/1", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 202);
    sim_response_free(&r);
    assert_int_equal(sim_store_instances(d->store, 0, NULL, 0), 3);
    assert_true(sim_store_has_instance(d->store, 1, 1));
    assert_int_equal(sim_store_instances(d->store, 2, NULL, 0), 3);
    assert_true(sim_bootstrap_consistent(d));
    r = bs(d, SIM_GET, "", CF_LINK_FORMAT, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 205);
    assert_non_null(strstr(payload_text(&r), "</0/0>;ssid=1,</0/1>,</0/2>;ssid=2,</1/0>;ssid=1"));
    sim_response_free(&r);
    fx_sim_free(d);
}

static void test_delete_all_fault(void **state)
{
    (void)state;
    sim_faults f;
    sim_device *d = load_fault("bootstrap-delete-all", 0, &f);
    /* the factory state is not the bug: the device starts with its bootstrap account */
    sim_bootstrap_clear(d);
    uint16_t ids[8];
    assert_int_equal(sim_store_instances(d->store, 0, ids, 8), 1);
    assert_int_equal(ids[0], 1);
    sim_response r = bs(d, SIM_DELETE, "", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 202);
    assert_true(r.fx.secrets_changed);
    sim_response_free(&r);
    assert_int_equal(sim_store_instances(d->store, 0, NULL, 0), 0);
    assert_int_equal(sim_device_bootstrap_instance(d->store), -1);
    assert_true(sim_store_has_instance(d->store, 3, 0)); /* the Device instance stays */
    r = bs(d, SIM_GET, "", CF_LINK_FORMAT, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 205);
    assert_null(strstr(payload_text(&r), "</0/1>"));
    sim_response_free(&r);
    r = bs(d, SIM_DELETE, "3/0", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 400);
    sim_response_free(&r);
    fx_sim_free(d);

    /* nor does an explicit Delete of the account meet a refusal */
    d = load_fault("bootstrap-delete-all", 0, &f);
    r = bs(d, SIM_DELETE, "0/1", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 202);
    sim_response_free(&r);
    assert_false(sim_store_has_instance(d->store, 0, 1));
    assert_true(sim_store_has_instance(d->store, 0, 0));
    fx_sim_free(d);
}

static void test_discover_no_ssid_fault(void **state)
{
    (void)state;
    sim_faults f;
    sim_device *d = load_fault("bootstrap-discover-no-ssid", 0, &f);
    sim_response r = bs(d, SIM_GET, "", CF_LINK_FORMAT, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 205);
    assert_string_equal(payload_text(&r), "lwm2m=\"1.0\",</0/0>,</0/1>,</0/2>,</1/0>,</1/1>,"
                                          "</2/0>,</2/1>,</2/2>,</3/0>");
    sim_response_free(&r);
    r = bs(d, SIM_GET, "1", CF_LINK_FORMAT, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 205);
    assert_string_equal(payload_text(&r), "</1/0>,</1/1>");
    sim_response_free(&r);
    fx_sim_free(d);
    /* the same device without the fault, for contrast */
    d = load(NULL, 0);
    r = bs(d, SIM_GET, "1", CF_LINK_FORMAT, CF_NONE, NULL, 0);
    assert_string_equal(payload_text(&r), "</1/0>;ssid=1,</1/1>;ssid=2");
    sim_response_free(&r);
    fx_sim_free(d);
}

static void test_accept_inconsistent_fault(void **state)
{
    (void)state;
    sim_faults f;
    sim_device *d = load_fault("bootstrap-accept-inconsistent", 0, &f);
    sim_response r = bs(d, SIM_POST, "bs", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 204); /* consistent: as any device */
    assert_true(r.fx.bootstrap_finish);
    sim_response_free(&r);
    sim_bootstrap_clear(d);
    assert_false(sim_bootstrap_consistent(d));
    r = bs(d, SIM_POST, "bs", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 204); /* the bug: no 4.06 */
    assert_true(r.fx.bootstrap_finish);
    sim_response_free(&r);
    fx_sim_free(d);
}

static void test_read_error_fault(void **state)
{
    (void)state;
    sim_faults f;
    sim_device *d = load_fault("bootstrap-read-error", 1, &f);
    const char *paths[] = {"1", "1/0", "2", "2/2"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        sim_response r = bs(d, SIM_GET, paths[i], CF_NONE, CF_NONE, NULL, 0);
        assert_int_equal(r.code, 405);
        assert_int_equal(r.payload_len, 0);
        sim_response_free(&r);
    }
    /* Bootstrap-Discover and the rest are unaffected */
    sim_response r = bs(d, SIM_GET, "", CF_LINK_FORMAT, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 205);
    sim_response_free(&r);
    r = bs(d, SIM_POST, "bs", CF_NONE, CF_NONE, NULL, 0);
    assert_int_equal(r.code, 204);
    sim_response_free(&r);
    fx_sim_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_delete_all_keeps_bootstrap_account),
        cmocka_unit_test(test_delete_object),
        cmocka_unit_test(test_write_discover_finish),
        cmocka_unit_test(test_lwm2m_11_read_and_finish_check),
        cmocka_unit_test(test_clear_is_factory_state_and_finish_checks_in_10),
        cmocka_unit_test(test_lwm2m_11_discover_puts_version_on_root_link),
        cmocka_unit_test(test_write_error_fault),
        cmocka_unit_test(test_request_queries),
        cmocka_unit_test(test_delete_error_fault),
        cmocka_unit_test(test_delete_ignored_fault),
        cmocka_unit_test(test_delete_all_fault),
        cmocka_unit_test(test_discover_no_ssid_fault),
        cmocka_unit_test(test_accept_inconsistent_fault),
        cmocka_unit_test(test_read_error_fault),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
