/* The simulated device's Device Management operations (src/sim/ops.c) on configuration
 * C.14: response codes, content formats, Access Control, and the effects handed to the
 * network layer. */
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
#include "sim/ops.h"
#include "unit/sim_fixture.h"

static sim_device *load(const sim_faults *f)
{
    return fx_sim("fixtures/c14.json", f, 0);
}

static int setup(void **state)
{
    *state = load(NULL);
    return 0;
}

/* A device with the one fault spec ("ignore-write-attributes", "wrong-value=/3/0/1"). */
static sim_device *load_with(const char *fault)
{
    sim_faults f = {0};
    assert_int_equal(sim_faults_add(&f, fault, NULL), 0);
    return load(&f);
}

static int teardown(void **state)
{
    fx_sim_free(*state);
    return 0;
}

typedef struct rq {
    int method;
    const char *path;
    int accept, cf, observe;
    const char *payload;
    const char *q[4];
} rq;

/* accept/cf/observe of 0 mean "absent" in rq; TEXT_CF gives the real text/plain 0 */
#define TEXT_CF (-100)
static int fix(int v)
{
    return v == TEXT_CF ? CF_TEXT : v ? v : CF_NONE;
}

static sim_response run(sim_device *d, int ssid, rq r)
{
    size_t nq = 0;
    while (nq < 4 && r.q[nq])
        nq++;
    sim_request req = {
        .method = r.method,
        .uri_path = r.path,
        .queries = r.q,
        .query_count = nq,
        .accept = fix(r.accept),
        .content_format = fix(r.cf),
        .payload = (const uint8_t *)r.payload,
        .payload_len = r.payload ? strlen(r.payload) : 0,
        .observe = r.observe ? r.observe : -1,
    };
    sim_response resp;
    sim_ops_handle(d, ssid, &req, &resp);
    return resp;
}

static int code_of(sim_device *d, int ssid, rq r)
{
    sim_response resp = run(d, ssid, r);
    int code = resp.code;
    sim_response_free(&resp);
    return code;
}

static void test_read_formats(void **state)
{
    sim_device *d = *state;
    sim_response r = run(d, 1, (rq){.method = SIM_GET, .path = "3/0/0"});
    assert_int_equal(r.code, 205);
    assert_int_equal(r.content_format, CF_TEXT);
    assert_int_equal(r.payload_len, strlen("lwm2m-conform"));
    assert_memory_equal(r.payload, "lwm2m-conform", r.payload_len);
    sim_response_free(&r);

    r = run(d, 1, (rq){.method = SIM_GET, .path = "3/0"});
    assert_int_equal(r.code, 205);
    assert_int_equal(r.content_format, CF_TLV);
    lwm2m_records recs;
    records_init(&recs);
    lwm2m_path base;
    lwm2m_path_parse("/3/0", &base);
    assert_int_equal(content_decode(CF_TLV, &base, r.payload, r.payload_len, objects_type_of,
                                    NULL, &recs, NULL), 0);
    lwm2m_path p16;
    lwm2m_path_parse("/3/0/16", &p16);
    const lwm2m_record *rec = records_find(&recs, &p16);
    assert_non_null(rec);
    assert_string_equal((const char *)rec->bytes, "U");
    lwm2m_path p4;
    lwm2m_path_parse("/3/0/4", &p4);
    assert_null(records_find(&recs, &p4)); /* executables are not read */
    records_free(&recs);
    sim_response_free(&r);

    r = run(d, 1, (rq){.method = SIM_GET, .path = "3/0", .accept = CF_OMA_JSON});
    assert_int_equal(r.code, 205);
    assert_int_equal(r.content_format, CF_OMA_JSON);
    assert_non_null(memchr(r.payload, '{', r.payload_len));
    sim_response_free(&r);

    /* a multiple resource defaults to TLV */
    r = run(d, 1, (rq){.method = SIM_GET, .path = "3/0/11"});
    assert_int_equal(r.content_format, CF_TLV);
    sim_response_free(&r);
}

static void test_read_errors(void **state)
{
    sim_device *d = *state;
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_GET, .path = "3/0/0", .accept = CF_OPAQUE}), 406); /* not opaque */
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_GET, .path = "3/0/0", .accept = 4711}), 406); /* no codec */
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_GET, .path = "3/0/0", .accept = CF_SENML_JSON}), 205);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_GET, .path = "3/0", .accept = TEXT_CF}), 406);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_GET, .path = "3/0/11", .accept = TEXT_CF}), 406);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_GET, .path = "3/0/9"}), 404);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_GET, .path = "3/1"}), 404);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_GET, .path = "4"}), 404);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_GET, .path = "3/0/4"}), 405); /* executable */
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_GET, .path = "rd"}), 404);
}

static void test_access_control(void **state)
{
    sim_device *d = *state;
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_GET, .path = "0/0"}), 401);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_GET, .path = "0/0/5"}), 401);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_GET, .path = "0"}), 401);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_GET, .path = "1/0"}), 205);
    assert_int_equal(code_of(d, 2, (rq){.method = SIM_GET, .path = "1/0"}), 401);
    assert_int_equal(code_of(d, 2, (rq){.method = SIM_GET, .path = "1/1"}), 205);
    assert_int_equal(code_of(d, 2, (rq){.method = SIM_PUT, .path = "1/0/2", .cf = TEXT_CF, .payload = "5"}), 401);
    assert_int_equal(code_of(d, 2, (rq){.method = SIM_POST, .path = "1/0/8"}), 401);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_DELETE, .path = "1/1"}), 401);
    assert_int_equal(code_of(d, 3, (rq){.method = SIM_GET, .path = "3/0"}), 401);
    /* object level: only what the server may read */
    sim_response r = run(d, 2, (rq){.method = SIM_GET, .path = "1"});
    assert_int_equal(r.code, 205);
    lwm2m_records recs;
    records_init(&recs);
    lwm2m_path base;
    lwm2m_path_parse("/1", &base);
    assert_int_equal(content_decode(CF_TLV, &base, r.payload, r.payload_len, objects_type_of,
                                    NULL, &recs, NULL), 0);
    for (size_t i = 0; i < recs.count; i++)
        assert_int_equal(recs.items[i].path.ids[1], 1);
    assert_true(recs.count > 0);
    records_free(&recs);
    sim_response_free(&r);
}

static void test_write(void **state)
{
    sim_device *d = *state;
    sim_response r = run(d, 1, (rq){.method = SIM_PUT, .path = "1/0/2", .cf = TEXT_CF, .payload = "5"});
    assert_int_equal(r.code, 204);
    assert_true(r.fx.changed);
    assert_int_equal(r.fx.reg_changed_ssid, 0);
    sim_response_free(&r);
    int64_t v = 0;
    assert_true(sim_store_get_int(d->store, 1, 0, 2, &v));
    assert_int_equal(v, 5);

    r = run(d, 1, (rq){.method = SIM_PUT, .path = "1/0/1", .cf = TEXT_CF, .payload = "20"});
    assert_int_equal(r.code, 204);
    assert_int_equal(r.fx.reg_changed_ssid, 1); /* lifetime: Update with lt follows */
    sim_response_free(&r);

    assert_int_equal(code_of(d, 1, (rq){.method = SIM_PUT, .path = "1/0/2", .cf = TEXT_CF, .payload = "x5"}), 400);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_PUT, .path = "3/0/0", .cf = TEXT_CF, .payload = "acme"}), 405);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_PUT, .path = "1/0/0", .cf = TEXT_CF, .payload = "9"}), 405);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_PUT, .path = "1/0/4", .cf = TEXT_CF, .payload = "1"}), 405);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_PUT, .path = "1/0/99", .cf = TEXT_CF, .payload = "1"}), 404);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_PUT, .path = "1/0", .cf = TEXT_CF, .payload = "1"}), 400);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_PUT, .path = "1/0/2", .cf = 4711, .payload = "1"}), 415); /* a format with no codec */
    assert_true(sim_store_get_int(d->store, 1, 0, 2, &v));
    assert_int_equal(v, 5); /* failed writes changed nothing */
}

static void test_write_instance_tlv(void **state)
{
    sim_device *d = *state;
    /* encode a partial instance with the project's TLV encoder */
    lwm2m_records in;
    records_init(&in);
    lwm2m_path p2, p3, base;
    lwm2m_path_parse("/1/0/2", &p2);
    lwm2m_path_parse("/1/0/3", &p3);
    lwm2m_path_parse("/1/0", &base);
    records_add_int(&in, &p2, 101);
    records_add_int(&in, &p3, 1010);
    uint8_t *buf = NULL;
    size_t len = 0;
    assert_int_equal(content_encode(CF_TLV, &base, &in, &buf, &len, NULL), 0);
    records_free(&in);
    sim_request req = {.method = SIM_POST, .uri_path = "1/0", .accept = CF_NONE,
                       .content_format = CF_TLV, .payload = buf, .payload_len = len,
                       .observe = -1};
    sim_response r;
    sim_ops_handle(d, 1, &req, &r);
    assert_int_equal(r.code, 204);
    sim_response_free(&r);
    free(buf);
    int64_t v;
    assert_true(sim_store_get_int(d->store, 1, 0, 2, &v));
    assert_int_equal(v, 101);
    assert_true(sim_store_get_int(d->store, 1, 0, 3, &v));
    assert_int_equal(v, 1010);
    assert_true(sim_store_get_int(d->store, 1, 0, 1, &v));
    assert_int_equal(v, 86400); /* untouched */
}

static void test_execute(void **state)
{
    sim_device *d = *state;
    sim_response r = run(d, 1, (rq){.method = SIM_POST, .path = "3/0/4"});
    assert_int_equal(r.code, 204);
    assert_true(r.fx.reboot);
    sim_response_free(&r);
    r = run(d, 2, (rq){.method = SIM_POST, .path = "1/1/8"});
    assert_int_equal(r.code, 204);
    assert_int_equal(r.fx.update_trigger_ssid, 2);
    sim_response_free(&r);
    r = run(d, 1, (rq){.method = SIM_POST, .path = "1/0/4"});
    assert_int_equal(r.code, 204);
    assert_int_equal(r.fx.disable_ssid, 1);
    assert_int_equal(r.fx.disable_seconds, 86400);
    sim_response_free(&r);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_POST, .path = "3/0/0"}), 405);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_POST, .path = "3/0/5"}), 404);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_POST, .path = "3/0/0/1"}), 405);
}

static void test_write_attributes(void **state)
{
    sim_device *d = *state;
    sim_response r = run(d, 1, (rq){.method = SIM_PUT, .path = "3/0", .q = {"pmin=2", "pmax=10"}});
    assert_int_equal(r.code, 204);
    assert_int_equal(r.content_format, CF_NONE);
    assert_int_equal(r.payload_len, 0);
    sim_response_free(&r);
    lwm2m_path dev;
    lwm2m_path_parse("/3/0", &dev);
    assert_non_null(sim_attrs_get(d->attrs, 1, &dev));
    assert_null(sim_attrs_get(d->attrs, 2, &dev));
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_PUT, .path = "3/0", .q = {"pmin=20", "pmax=10"}}), 400);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_PUT, .path = "3/0", .q = {"bogus=1"}}), 400);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_PUT, .path = "3/0/0", .q = {"gt=1"}}), 400); /* string */
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_PUT, .path = "3/0/11", .q = {"gt=1"}}), 204);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_PUT, .path = "3/9", .q = {"pmin=1"}}), 404);
    assert_int_equal(code_of(d, 2, (rq){.method = SIM_PUT, .path = "1/0", .q = {"pmin=1"}}), 401);
}

static void test_write_attributes_faults(void **state)
{
    (void)state;
    sim_device *d = load_with("ignore-write-attributes");
    lwm2m_path dev;
    lwm2m_path_parse("/3/0", &dev);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_PUT, .path = "3/0", .q = {"pmin=2", "pmax=10"}}), 204);
    assert_null(sim_attrs_get(d->attrs, 1, &dev));
    fx_sim_free(d);

    d = load_with("write-attributes-wrong-code");
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_PUT, .path = "3/0", .q = {"pmin=2", "pmax=10"}}), 205);
    assert_non_null(sim_attrs_get(d->attrs, 1, &dev));
    fx_sim_free(d);
}

/* The Plain Text faults (src/sim/plaintext.c) that ETS int-201 and int-205 must catch. */
static void test_plaintext_faults(void **state)
{
    (void)state;
    sim_device *d = load_with("ignore-accept-text");
    sim_response r = run(d, 1, (rq){.method = SIM_GET, .path = "3/0/0", .accept = TEXT_CF});
    assert_int_equal(r.code, 205);
    assert_int_equal(r.content_format, CF_TLV); /* asked for text/plain */
    sim_response_free(&r);
    fx_sim_free(d);

    d = load_with("text-write-unsupported");
    int64_t v = 0;
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_PUT, .path = "1/0/2", .cf = TEXT_CF, .payload = "5"}), 415);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_PUT, .path = "1/0/2", .payload = "5"}), 415); /* no format: text */
    assert_true(sim_store_get_int(d->store, 1, 0, 2, &v));
    assert_int_equal(v, 1);
    fx_sim_free(d);

    d = load_with("text-write-unterminated");
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_PUT, .path = "1/0/3", .cf = TEXT_CF, .payload = "2000"}), 204);
    assert_true(sim_store_get_int(d->store, 1, 0, 3, &v));
    assert_int_equal(v, 2000);
    /* shorter than the one before: "10" is read as "1000" */
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_PUT, .path = "1/0/2", .cf = TEXT_CF, .payload = "10"}), 204);
    assert_true(sim_store_get_int(d->store, 1, 0, 2, &v));
    assert_int_equal(v, 1000);
    fx_sim_free(d);
}

static void test_discover_and_observe(void **state)
{
    sim_device *d = *state;
    sim_response r = run(d, 1, (rq){.method = SIM_GET, .path = "3/0", .accept = CF_LINK_FORMAT});
    assert_int_equal(r.code, 205);
    assert_int_equal(r.content_format, CF_LINK_FORMAT);
    assert_true(r.payload_len > 0 && r.payload[0] == '<');
    sim_response_free(&r);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_GET, .path = "0/0", .accept = CF_LINK_FORMAT}), 401);

    /* observe 0 means "absent" in rq: build the request explicitly */
    sim_request req = {.method = SIM_GET, .uri_path = "3/0/0", .accept = CF_NONE,
                       .content_format = CF_NONE, .observe = 0};
    sim_ops_handle(d, 1, &req, &r);
    assert_int_equal(r.code, 205);
    assert_true(r.observe);
    assert_true(r.fx.observe_start);
    sim_response_free(&r);
    req.observe = 1;
    sim_ops_handle(d, 1, &req, &r);
    assert_int_equal(r.code, 205);
    assert_false(r.observe);
    assert_true(r.fx.observe_cancel);
    sim_response_free(&r);
    /* a failed observe does not establish anything */
    req.observe = 0;
    req.uri_path = "3/0/9";
    sim_ops_handle(d, 1, &req, &r);
    assert_int_equal(r.code, 404);
    assert_false(r.observe || r.fx.observe_start);
    sim_response_free(&r);
}

/* observe-refused=PATH: the resource reads, its Observe is refused and starts nothing;
 * other resources observe as before. */
static void test_observe_refused(void **state)
{
    (void)state;
    sim_faults f = {0};
    assert_int_equal(sim_faults_add(&f, "observe-refused=/3/0/1", NULL), 0);
    sim_device *d = load(&f);
    sim_request req = {.method = SIM_GET, .uri_path = "3/0/1", .accept = CF_NONE,
                       .content_format = CF_NONE, .observe = 0};
    sim_response r;
    sim_ops_handle(d, 1, &req, &r);
    assert_int_equal(r.code, 405);
    assert_false(r.observe || r.fx.observe_start);
    sim_response_free(&r);
    req.observe = -1; /* a plain Read */
    sim_ops_handle(d, 1, &req, &r);
    assert_int_equal(r.code, 205);
    sim_response_free(&r);
    req.observe = 0;
    req.uri_path = "3/0/0";
    sim_ops_handle(d, 1, &req, &r);
    assert_int_equal(r.code, 205);
    assert_true(r.fx.observe_start);
    sim_response_free(&r);
    fx_sim_free(d);
}

static void test_create_and_delete(void **state)
{
    sim_device *d = *state;
    /* C.14 grants nobody Create on /1: add an ACL instance for (1, MAX_ID) */
    assert_int_equal(sim_store_set_int(d->store, 2, 3, 0, 1), 0);
    assert_int_equal(sim_store_set_int(d->store, 2, 3, 1, 65535), 0);
    assert_int_equal(sim_store_set_int(d->store, 2, 3, 3, 65535), 0);
    lwm2m_record acl = {.path = {.ids = {2, 3, 2, 1}, .depth = 4}, .type = LV_INTEGER, .i = 16};
    assert_int_equal(sim_store_set(d->store, &acl), 0);

    lwm2m_records in;
    records_init(&in);
    lwm2m_path p0, p1, p7, base;
    lwm2m_path_parse("/1/5/0", &p0);
    lwm2m_path_parse("/1/5/1", &p1);
    lwm2m_path_parse("/1/5/7", &p7);
    lwm2m_path_parse("/1", &base); /* an Object Instance TLV naming instance 5 */
    records_add_int(&in, &p0, 5);
    records_add_int(&in, &p1, 300);
    records_add_string(&in, &p7, "U");
    uint8_t *buf = NULL;
    size_t len = 0;
    assert_int_equal(content_encode(CF_TLV, &base, &in, &buf, &len, NULL), 0);
    lwm2m_path ibase;
    lwm2m_path_parse("/1/5", &ibase); /* bare resource TLVs: the device picks the id */
    uint8_t *bare = NULL;
    size_t bare_len = 0;
    assert_int_equal(content_encode(CF_TLV, &ibase, &in, &bare, &bare_len, NULL), 0);
    records_free(&in);
    sim_request req = {.method = SIM_POST, .uri_path = "1", .accept = CF_NONE,
                       .content_format = CF_TLV, .payload = buf, .payload_len = len,
                       .observe = -1};
    sim_response r;
    sim_ops_handle(d, 2, &req, &r);
    assert_int_equal(r.code, 401); /* server 2 has no Create right */
    sim_response_free(&r);
    sim_ops_handle(d, 1, &req, &r);
    assert_int_equal(r.code, 201);
    assert_string_equal(r.location, "1/5");
    sim_response_free(&r);
    sim_ops_handle(d, 1, &req, &r);
    assert_int_equal(r.code, 400); /* exists */
    sim_response_free(&r);
    free(buf);
    req.payload = bare;
    req.payload_len = bare_len;
    sim_ops_handle(d, 1, &req, &r);
    assert_int_equal(r.code, 201);
    assert_string_equal(r.location, "1/2");
    assert_true(r.fx.changed);
    sim_response_free(&r);
    free(bare);
    assert_true(sim_store_has_instance(d->store, 1, 2));
    int64_t v;
    assert_true(sim_store_get_int(d->store, 1, 5, 1, &v));
    assert_int_equal(v, 300);
    /* the creator owns the new instance */
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_GET, .path = "1/5/1"}), 205);
    assert_int_equal(code_of(d, 2, (rq){.method = SIM_GET, .path = "1/5/1"}), 401);
    assert_int_equal(code_of(d, 2, (rq){.method = SIM_DELETE, .path = "1/5"}), 401);
    r = run(d, 1, (rq){.method = SIM_DELETE, .path = "1/5"});
    assert_int_equal(r.code, 202);
    assert_true(r.fx.deleted);
    sim_response_free(&r);
    assert_false(sim_store_has_instance(d->store, 1, 5));
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_DELETE, .path = "1/5"}), 404);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_DELETE, .path = "3/0"}), 405);
    assert_int_equal(code_of(d, 1, (rq){.method = SIM_DELETE, .path = "3"}), 405);
}

static void test_code_text(void **state)
{
    (void)state;
    char buf[8];
    assert_string_equal(sim_code_text(205, buf), "2.05");
    assert_string_equal(sim_code_text(404, buf), "4.04");
    assert_string_equal(sim_cf_short(CF_TLV), "TLV");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_read_formats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_control, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_instance_tlv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_execute, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_attributes, setup, teardown),
        cmocka_unit_test(test_write_attributes_faults),
        cmocka_unit_test(test_observe_refused),
        cmocka_unit_test(test_plaintext_faults),
        cmocka_unit_test_setup_teardown(test_discover_and_observe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_and_delete, setup, teardown),
        cmocka_unit_test(test_code_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
