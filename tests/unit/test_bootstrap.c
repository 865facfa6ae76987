/* The bootstrap server's pure parts (src/bs/bootstrap.c) on configuration C.14: which
 * instances provisioning writes and in what order, the records of each (URI rewritten to
 * the tool's endpoint, PSK identity and key from the account), the write format chosen
 * from pct, the reading of LwM2M 1.0's Bootstrap-Discover form, and bootstrap_new's
 * refusal without a bootstrap endpoint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bs/bootstrap.h"
#include "bs/provision.h"
#include "lwm2m/content/content.h"
#include "lwm2m/objects.h"
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

static void assert_bytes(const lwm2m_record *rec, const uint8_t *want, size_t n)
{
    assert_non_null(rec);
    assert_int_equal(rec->type, LV_OPAQUE);
    assert_int_equal(rec->len, n);
    assert_memory_equal(rec->bytes, want, n);
}

static void test_provision_list_order(void **state)
{
    (void)state;
    config *c = load_c14();
    lwm2m_path list[PROVISION_MAX_INSTANCES];
    size_t n = provision_list(c, list, PROVISION_MAX_INSTANCES);
    static const char *const want[] = {"/0/0", "/0/2", "/1/0", "/1/1", "/2/0", "/2/1", "/2/2"};
    assert_int_equal(n, 7);
    for (size_t i = 0; i < n; i++) {
        char buf[32];
        lwm2m_path_format(&list[i], buf, sizeof buf);
        assert_string_equal(buf, want[i]);
    }
    /* the bootstrap account /0/1 and the Device object /3 are never provisioned */
    for (size_t i = 0; i < n; i++) {
        lwm2m_path bsi = fx_path("/0/1"), dev = fx_path("/3/0");
        assert_false(lwm2m_path_equal(&list[i], &bsi));
        assert_false(lwm2m_path_equal(&list[i], &dev));
    }
    /* a short array still gets the count, and only cap entries */
    lwm2m_path two[3];
    memset(two, 0x7f, sizeof two);
    assert_int_equal(provision_list(c, two, 2), 7);
    assert_int_equal(two[2].depth, 0x7f7f7f7f);
    free(c);
}

static void test_security_records_use_tool_uri_and_account_key(void **state)
{
    (void)state;
    config *c = load_c14();
    const config_account *a1 = config_server(c, 1);
    assert_non_null(a1);
    lwm2m_records recs;
    records_init(&recs);
    lwm2m_path inst = fx_path("/0/0");
    assert_int_equal(provision_instance_records(c, NULL, &inst, "coaps://192.0.2.7:40123", &recs, NULL), 0);

    const lwm2m_record *uri = find(&recs, "/0/0/0");
    assert_non_null(uri);
    assert_int_equal(uri->type, LV_STRING);
    assert_string_equal((const char *)uri->bytes, "coaps://192.0.2.7:40123");
    assert_bytes(find(&recs, "/0/0/3"), (const uint8_t *)"lwm2m-conform-1", 15);
    assert_bytes(find(&recs, "/0/0/5"), a1->psk_key, a1->psk_key_len);
    assert_int_equal(a1->psk_key_len, 16);
    const lwm2m_record *bs = find(&recs, "/0/0/1"), *mode = find(&recs, "/0/0/2"),
                       *ssid = find(&recs, "/0/0/10");
    assert_non_null(bs);
    assert_int_equal(bs->type, LV_BOOLEAN);
    assert_false(bs->b);
    assert_non_null(mode);
    assert_int_equal(mode->i, 0);
    assert_non_null(ssid);
    assert_int_equal(ssid->i, 1);
    /* each resource once: the file's /0/0/0, /3 and /5 are replaced, not repeated */
    size_t uris = 0, keys = 0;
    for (size_t i = 0; i < recs.count; i++) {
        uris += recs.items[i].path.ids[2] == 0;
        keys += recs.items[i].path.ids[2] == 5;
    }
    assert_int_equal(uris, 1);
    assert_int_equal(keys, 1);
    assert_null(find(&recs, "/0/2/5")); /* nothing of another instance */

    /* what goes on the wire decodes back to the same key (TLV, and OMA JSON for pct) */
    int formats[] = {CF_TLV, CF_OMA_JSON};
    for (size_t f = 0; f < 2; f++) {
        uint8_t *buf = NULL;
        size_t len = 0;
        assert_int_equal(content_encode(formats[f], &inst, &recs, &buf, &len, NULL), 0);
        lwm2m_records back;
        records_init(&back);
        assert_int_equal(content_decode(formats[f], &inst, buf, len, objects_type_of, NULL, &back,
                                        NULL), 0);
        assert_bytes(find(&back, "/0/0/5"), a1->psk_key, a1->psk_key_len);
        records_free(&back);
        free(buf);
    }

    provision_records_wipe(&recs);
    const lwm2m_record *key = find(&recs, "/0/0/5");
    for (size_t i = 0; i < key->len; i++)
        assert_int_equal(key->bytes[i], 0);
    records_free(&recs);
    free(c);
}

static void test_replaced_key_and_own_uri(void **state)
{
    (void)state;
    config *c = load_c14();
    const uint8_t key[] = {0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
                           0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x42};
    assert_int_equal(config_set_psk_key(c, 2, key, sizeof key, NULL), 0);
    lwm2m_records recs;
    records_init(&recs);
    lwm2m_path inst = fx_path("/0/2");
    /* NULL uri: the account's own */
    assert_int_equal(provision_instance_records(c, NULL, &inst, NULL, &recs, NULL), 0);
    assert_string_equal((const char *)find(&recs, "/0/2/0")->bytes, config_server(c, 2)->uri);
    assert_bytes(find(&recs, "/0/2/5"), key, sizeof key);
    assert_int_equal(find(&recs, "/0/2/10")->i, 2);
    provision_records_wipe(&recs);
    records_free(&recs);
    free(c);
}

static void test_server_and_access_control_records(void **state)
{
    (void)state;
    config *c = load_c14();
    lwm2m_records recs;
    records_init(&recs);
    lwm2m_path srv = fx_path("/1/1");
    assert_int_equal(provision_instance_records(c, NULL, &srv, "coap://ignored", &recs, NULL), 0);
    assert_int_equal(find(&recs, "/1/1/0")->i, 2);
    assert_int_equal(find(&recs, "/1/1/1")->i, 86400);
    assert_string_equal((const char *)find(&recs, "/1/1/7")->bytes, "U");
    assert_null(find(&recs, "/1/0/0"));
    for (size_t i = 0; i < recs.count; i++)
        assert_int_equal(recs.items[i].path.ids[0], 1); /* a URI only goes into /0 */
    records_free(&recs);

    records_init(&recs);
    lwm2m_path acl = fx_path("/2/2");
    assert_int_equal(provision_instance_records(c, NULL, &acl, NULL, &recs, NULL), 0);
    assert_int_equal(find(&recs, "/2/2/0")->i, 3);
    assert_int_equal(find(&recs, "/2/2/1")->i, 0);
    assert_int_equal(find(&recs, "/2/2/2/1")->i, 15);
    assert_int_equal(find(&recs, "/2/2/2/2")->i, 15);
    assert_int_equal(find(&recs, "/2/2/3")->i, 65535);
    assert_int_equal(recs.count, 5);
    records_free(&recs);
    free(c);
}

static void test_instance_records_errors(void **state)
{
    (void)state;
    config *c = load_c14();
    lwm2m_records recs;
    records_init(&recs);
    lc_error err = {0};
    lwm2m_path none = fx_path("/5/0");
    assert_int_equal(provision_instance_records(c, NULL, &none, NULL, &recs, &err), LC_ENOTFOUND);
    assert_non_null(strstr(err.msg, "/5/0"));
    assert_int_equal(recs.count, 0);
    lwm2m_path res = fx_path("/1/0/1");
    assert_int_equal(provision_instance_records(c, NULL, &res, NULL, &recs, &err), LC_EINVAL);
    records_free(&recs);
    free(c);
}

static void test_write_format(void **state)
{
    (void)state;
    bool fb = true;
    assert_int_equal(bootstrap_write_format(-1, -1, "1.0", &fb), CF_TLV); /* a 1.0 client */
    assert_false(fb);
    assert_int_equal(bootstrap_write_format(-1, -1, NULL, &fb), CF_TLV); /* version unknown */
    assert_false(fb);
    /* what the device asked for, when the tool writes it */
    assert_int_equal(bootstrap_write_format(-1, CF_OMA_JSON, "1.1", &fb), CF_OMA_JSON);
    assert_false(fb);
    assert_int_equal(bootstrap_write_format(-1, CF_TLV, NULL, &fb), CF_TLV);
    assert_false(fb);
    assert_int_equal(bootstrap_write_format(-1, CF_SENML_JSON, "1.1", &fb), CF_SENML_JSON);
    assert_false(fb);
    int senml = bootstrap_can_write(CF_SENML_CBOR) ? CF_SENML_CBOR : CF_SENML_JSON;
    if (bootstrap_can_write(CF_SENML_CBOR)) {
        assert_int_equal(bootstrap_write_format(-1, CF_SENML_CBOR, "1.1", &fb), CF_SENML_CBOR);
        assert_false(fb);
    }
    /* no pct from a 1.1+ device: SenML CBOR, else SenML JSON */
    assert_int_equal(bootstrap_write_format(-1, -1, "1.1", &fb), senml);
    assert_false(fb);
    assert_int_equal(bootstrap_write_format(-1, -1, "1.2", &fb), senml);
    /* a pct the tool cannot write: the no-pct rule, and the caller is told */
    assert_int_equal(bootstrap_write_format(-1, 42, "1.1", &fb), senml);
    assert_true(fb);
    assert_int_equal(bootstrap_write_format(-1, 60, "1.0", &fb), CF_TLV);
    assert_true(fb);
    assert_false(bootstrap_can_write(CF_TEXT)); /* one value only */
    assert_false(bootstrap_can_write(CF_LINK_FORMAT));
    /* configured wins, and then pct does not matter */
    assert_int_equal(bootstrap_write_format(CF_OMA_JSON, CF_SENML_CBOR, "1.2", &fb), CF_OMA_JSON);
    assert_false(fb);
    assert_int_equal(bootstrap_write_format(-1, 42, NULL, NULL), CF_TLV);
}

static void normalized(const char *in, const char *want)
{
    size_t len = strlen(in);
    uint8_t *p = malloc(len ? len : 1);
    assert_non_null(p);
    memcpy(p, in, len);
    bool changed = bootstrap_normalize_discover(&p, &len);
    assert_int_equal(changed, want != NULL);
    const char *expect = want ? want : in;
    assert_int_equal(len, strlen(expect));
    assert_memory_equal(p, expect, len);
    free(p);
}

static void test_normalize_discover(void **state)
{
    (void)state;
    normalized("lwm2m=\"1.0\",</0/0>;ssid=1,</0/1>", "</>;lwm2m=\"1.0\",</0/0>;ssid=1,</0/1>");
    normalized("lwm2m=1.0,</3/0>", "</>;lwm2m=1.0,</3/0>");
    normalized("lwm2m=\"1.0\"", "</>;lwm2m=\"1.0\"");
    /* the 1.1 (2018) example's form, as 1.1+ Clients write it */
    normalized("lwm2m=\"1.1\",</0/0>", "</>;lwm2m=\"1.1\",</0/0>");
    normalized("lwm2m=1.2,</0/0>;ssid=1", "</>;lwm2m=1.2,</0/0>;ssid=1");
    normalized("lwm2m=\"1.1,</0/0>", NULL);      /* an unclosed quote */
    normalized("lwm2m=\"1.\",</0/0>", NULL);
    normalized("lwm2m=x,</0/0>", NULL);
    normalized("</>;lwm2m=1.1,</0/0>", NULL);
    normalized("lwm2m=\"1.0\"x,</0/0>", NULL);
    normalized("</0/0>;ssid=1", NULL);
    normalized("", NULL);
    uint8_t *none = NULL;
    size_t zero = 0;
    assert_false(bootstrap_normalize_discover(&none, &zero));
}

static void test_new_needs_bootstrap_endpoint(void **state)
{
    (void)state;
    config *c = load_c14();
    logger *lg = logger_new(stdout, stderr, LOG_LVL_ERROR);
    dut_options opt = {.bind_addr = "127.0.0.1", .ports = {{1, 0}, {2, 0}, {0, 0}}, .port_count = 3};
    dut d;
    lc_error err = {0};
    assert_int_equal(dut_open(&d, c, lg, &opt, &err), 0);
    assert_null(bootstrap_new(&d, NULL, &err));
    assert_int_equal(err.code, LC_EINVAL);
    assert_non_null(strstr(err.msg, "no bootstrap account"));
    dut_close(&d);

    opt.bootstrap = true;
    assert_int_equal(dut_open(&d, c, lg, &opt, &err), 0);
    bootstrap_server *bs = bootstrap_new(&d, NULL, &err);
    assert_non_null(bs);
    /* nothing written yet, so nothing is provisioned; forgetting is harmless */
    assert_false(bootstrap_device_provisioned(bs));
    bootstrap_forget_device(bs);
    assert_false(bootstrap_device_provisioned(bs));
    /* a step with no Bootstrap-Request before it has no session to use */
    tc_step st = {.number = 1, .server = TC_SERVER_BOOTSTRAP, .op = TC_OP_BOOTSTRAP_FINISH,
                  .content_format = -1, .accept = -1};
    step_outcome o;
    memset(&o, 0, sizeof o);
    o.step = &st;
    bootstrap_execute_step(bs, &st, 0, 0, &o);
    assert_int_equal(o.status, OUTCOME_DEVICE_ERROR);
    assert_non_null(strstr(o.detail, "Bootstrap-Request"));
    step_outcome_clear(&o);
    /* and a device that never asks times out at once with a past deadline */
    st.op = TC_OP_EXPECT_BOOTSTRAP_REQUEST;
    bootstrap_execute_step(bs, &st, 0, 0, &o);
    assert_int_equal(o.status, OUTCOME_TIMEOUT);
    assert_non_null(strstr(o.detail, "no Bootstrap-Request"));
    step_outcome_clear(&o);
    /* after_step: a Bootstrap-Request from before the step it names does not count (int-5:
     * only the one the Trigger provoked), and stays queued */
    net_event *old = net_event_new(d.net, NET_EV_BOOTSTRAP_REQUEST, net_endpoint_by_ssid(d.net, 0),
                                   NULL);
    assert_non_null(old);
    snprintf(old->endpoint_name, sizeof old->endpoint_name, "dev-1");
    uint64_t later = old->at_ms + 1;
    net_push_event(d.net, old);
    assert_true(bootstrap_request_pending(bs));
    bootstrap_execute_step(bs, &st, 0, later, &o);
    assert_int_equal(o.status, OUTCOME_TIMEOUT);
    step_outcome_clear(&o);
    assert_true(bootstrap_request_pending(bs));
    net_event_free(net_take(d.net, NULL, NULL));
    assert_false(bootstrap_request_pending(bs));
    char summary[64];
    assert_int_equal(bootstrap_provision_device(bs, 0, summary, sizeof summary, &err), LC_EIO);
    assert_non_null(strstr(err.msg, "no Bootstrap-Request"));
    bootstrap_free(bs);
    dut_close(&d);
    logger_free(lg);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_provision_list_order),
        cmocka_unit_test(test_security_records_use_tool_uri_and_account_key),
        cmocka_unit_test(test_replaced_key_and_own_uri),
        cmocka_unit_test(test_server_and_access_control_records),
        cmocka_unit_test(test_instance_records_errors),
        cmocka_unit_test(test_write_format),
        cmocka_unit_test(test_normalize_discover),
        cmocka_unit_test(test_new_needs_bootstrap_endpoint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
