/* The simulated device's formats (src/sim/formats.c) and how its Read, Bootstrap-Read,
 * Bootstrap-Request and Register use them, on configuration C.14. */
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
#include "lwm2m/objects.h"
#include "sim/bootstrap.h"
#include "sim/formats.h"
#include "sim/ops.h"
#include "unit/sim_fixture.h"

static sim_device *load(const char *fault, int minor)
{
    sim_faults f = {0};
    lc_error err = {0};
    if (fault && sim_faults_add(&f, fault, &err) != 0)
        fail_msg("%s", err.msg);
    return fx_sim("fixtures/c14.json", &f, minor);
}

static void unload(sim_device *d)
{
    fx_sim_free(d);
}

static sim_response read_as(sim_device *d, const char *path, int accept)
{
    lwm2m_path p;
    assert_int_equal(lwm2m_path_parse(path, &p), 0);
    sim_response r;
    memset(&r, 0, sizeof r);
    r.content_format = CF_NONE;
    sim_ops_read(d, 1, &p, accept, &r);
    return r;
}

/* Decodes a Read answer of path and returns how many records it holds (-1: it did not
 * decode); *err names why. */
static int decoded(const sim_response *r, const char *path, lc_error *err)
{
    lwm2m_path p;
    lwm2m_path_parse(path, &p);
    lwm2m_records recs;
    records_init(&recs);
    int rc = content_decode(r->content_format, &p, r->payload, r->payload_len, objects_type_of,
                            NULL, &recs, err);
    int n = rc == 0 ? (int)recs.count : -1;
    records_free(&recs);
    return n;
}

static void test_pct_and_defaults(void **state)
{
    (void)state;
    sim_device *d = load(NULL, 0);
    assert_int_equal(sim_formats_pct(d), CF_NONE); /* pct is 1.1 */
    assert_int_equal(sim_formats_read_default(d, false, false), CF_TLV);
    assert_int_equal(sim_formats_read_default(d, true, false), CF_TEXT);
    assert_int_equal(sim_formats_read_default(d, true, true), CF_OPAQUE);
    d->lwm2m_minor = 1;
    assert_int_equal(sim_formats_pct(d), CF_OMA_JSON);
    assert_int_equal(sim_formats_read_default(d, false, false), CF_OMA_JSON); /* as asked */
    d->pct = CF_NONE;
    assert_int_equal(sim_formats_pct(d), CF_NONE);
    assert_int_equal(sim_formats_read_default(d, false, false), CF_SENML_JSON);
    d->pct = CF_TEXT; /* a pct for one value only: several still go in the default */
    assert_int_equal(sim_formats_read_default(d, false, false), CF_SENML_JSON);
    d->lwm2m_minor = 2;
    d->pct = SIM_PCT_DEFAULT;
    assert_int_equal(sim_formats_pct(d), CF_SENML_CBOR);
    d->pct = CF_SENML_JSON;
    assert_int_equal(sim_formats_read_default(d, false, false), CF_SENML_JSON);
    assert_true(sim_formats_can_answer(CF_SENML_JSON, false));
    assert_true(sim_formats_can_answer(CF_TEXT, true));
    assert_false(sim_formats_can_answer(CF_TEXT, false));
    assert_false(sim_formats_can_answer(CF_LINK_FORMAT, true));
    assert_false(sim_formats_can_answer(4711, false));
    unload(d);
}

static void test_bootstrap_request_pct(void **state)
{
    (void)state;
    char q[SIM_BS_REQUEST_QUERIES][SIM_BS_QUERY_MAX];
    sim_device *d = load(NULL, 1);
    d->pct = CF_SENML_JSON;
    assert_int_equal(sim_bootstrap_request_queries(d, "dev", q), 2);
    assert_string_equal(q[1], "pct=110");
    d->pct = CF_NONE;
    assert_int_equal(sim_bootstrap_request_queries(d, "dev", q), 1);
    unload(d);
}

static void test_fall_back(void **state)
{
    (void)state;
    sim_device *d = load(NULL, 2);
    assert_string_equal(sim_device_version(d), "1.2");
    assert_true(sim_device_fall_back(d));
    assert_string_equal(sim_device_version(d), "1.1");
    assert_true(sim_device_fall_back(d));
    assert_string_equal(sim_device_version(d), "1.0");
    assert_false(sim_device_fall_back(d));
    assert_string_equal(sim_device_version(d), "1.0");
    unload(d);
}

/* A Read is answered in the Accept'ed format, and what it sends decodes to the values. */
static void test_read_in_accepted_format(void **state)
{
    (void)state;
    sim_device *d = load(NULL, 1);
    lc_error err = {0};
    int formats[] = {CF_TLV, CF_OMA_JSON, CF_SENML_JSON, CF_SENML_CBOR, CF_LWM2M_CBOR};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        sim_response r = read_as(d, "/3/0", formats[i]);
        if (!content_codec_find(formats[i])) { /* a codec still to come */
            assert_int_equal(r.code, 406);
            continue;
        }
        assert_int_equal(r.code, 205);
        assert_int_equal(r.content_format, formats[i]);
        int n = decoded(&r, "/3/0", &err);
        if (n < 1)
            fail_msg("format %d: %s", formats[i], err.msg);
        sim_response_free(&r);
    }
    sim_response r = read_as(d, "/3/0", CF_TEXT); /* text carries one value */
    assert_int_equal(r.code, 406);
    r = read_as(d, "/3/0/0", CF_NONE);
    assert_int_equal(r.content_format, CF_TEXT);
    sim_response_free(&r);
    d->pct = CF_NONE;
    r = read_as(d, "/3/0", CF_NONE); /* 1.1's default */
    assert_int_equal(r.content_format, CF_SENML_JSON);
    sim_response_free(&r);
    unload(d);
}

static void test_senml_faults(void **state)
{
    (void)state;
    lc_error err = {0};
    sim_device *d = load("senml-malformed-record", 1);
    sim_response r = read_as(d, "/1/0", CF_SENML_JSON);
    assert_int_equal(r.code, 205);
    assert_int_equal(decoded(&r, "/1/0", &err), -1);
    assert_non_null(strstr(err.msg, "record 0"));
    sim_response_free(&r);
    r = read_as(d, "/1/0", CF_TLV); /* other formats are untouched */
    assert_true(decoded(&r, "/1/0", &err) > 0);
    sim_response_free(&r);
    unload(d);

    d = load("senml-wrong-basename", 1);
    r = read_as(d, "/1/0", CF_SENML_JSON);
    assert_int_equal(r.code, 205);
    assert_non_null(strstr((const char *)r.payload, "\"bn\":\"/1/0/\""));
    lwm2m_path base, want;
    lwm2m_path_parse("/1/0", &base);
    lwm2m_path_parse("/1/0/0/1", &want); /* where /1/0/1 ends up */
    lwm2m_records recs;
    records_init(&recs);
    assert_int_equal(content_decode(CF_SENML_JSON, &base, r.payload, r.payload_len,
                                    objects_type_of, NULL, &recs, &err), 0);
    assert_non_null(records_find(&recs, &want));
    lwm2m_path_parse("/1/0/1", &want);
    assert_null(records_find(&recs, &want));
    records_free(&recs);
    sim_response_free(&r);
    unload(d);
}

static void test_cbor_wrong_major_type(void **state)
{
    (void)state;
    if (!content_codec_find(CF_SENML_CBOR))
        skip();
    lc_error err = {0};
    sim_device *d = load("cbor-wrong-major-type", 1);
    sim_response r = read_as(d, "/1/0", CF_SENML_CBOR);
    assert_int_equal(r.code, 205);
    lwm2m_path base, lt;
    lwm2m_path_parse("/1/0", &base);
    lwm2m_path_parse("/1/0/1", &lt);
    lwm2m_records recs;
    records_init(&recs);
    assert_int_equal(content_decode(CF_SENML_CBOR, &base, r.payload, r.payload_len,
                                    objects_type_of, NULL, &recs, &err), 0);
    const lwm2m_record *rec = records_find(&recs, &lt);
    assert_non_null(rec);
    assert_int_equal(rec->type, LV_STRING); /* "86400", a text string */
    records_free(&recs);
    sim_response_free(&r);
    unload(d);
}

static void test_pct_unsupported_and_no_content_format(void **state)
{
    (void)state;
    sim_device *d = load("pct-unsupported", 1);
    d->pct = CF_OMA_JSON;
    const char *json = "{\"bn\":\"/1/5/\",\"e\":[{\"n\":\"0\",\"v\":9}]}";
    sim_request req = {.method = SIM_PUT, .uri_path = "1/5", .accept = CF_NONE,
                       .content_format = CF_OMA_JSON, .payload = (const uint8_t *)json,
                       .payload_len = strlen(json), .observe = -1};
    sim_response r;
    sim_bootstrap_handle(d, &req, &r);
    assert_int_equal(r.code, 415);
    sim_response_free(&r);
    unload(d);

    d = load("no-content-format", 1);
    r = read_as(d, "/3/0", CF_SENML_JSON);
    assert_int_equal(r.code, 205);
    assert_int_equal(r.content_format, CF_NONE);
    assert_true(r.payload_len > 0);
    sim_response_free(&r);
    unload(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pct_and_defaults),
        cmocka_unit_test(test_bootstrap_request_pct),
        cmocka_unit_test(test_fall_back),
        cmocka_unit_test(test_read_in_accepted_format),
        cmocka_unit_test(test_senml_faults),
        cmocka_unit_test(test_cbor_wrong_major_type),
        cmocka_unit_test(test_pct_unsupported_and_no_content_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
