/* lwm2m/registry without a socket: Registers handed to the "rd" handler directly
 * (registry_handle). The device under test is never refused for room: on a full server
 * the least recently active registration of another device is evicted and named; other
 * devices still get 5.03. A Reboot retires what the device registered before it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mono.h"
#include "lwm2m/registry.h"
#include "net/endpoint.h"
#include "net/epfilter.h"

typedef struct fixture {
    net_ctx *n;
    registry *r;
    int ep;
} fixture;

static void open_fixture(fixture *f)
{
    lc_error err = {0};
    f->n = net_new(NULL, &err);
    assert_non_null(f->n);
    net_endpoint_config ec = {.name = "server 1", .short_server_id = 1, .role = NET_ROLE_SERVER,
                              .secure = false, .bind_addr = "127.0.0.1", .port = 0};
    f->ep = net_add_endpoint(f->n, &ec, &err);
    assert_true(f->ep >= 0);
    f->r = registry_new(f->n, &err);
    assert_non_null(f->r);
}

static void close_fixture(fixture *f)
{
    registry_free(f->r);
    net_free(f->n);
}

/* POST /rd?ep=NAME&lt=60 with a link payload; returns the response code. */
static int do_register(fixture *f, const char *name)
{
    net_message m;
    memset(&m, 0, sizeof m);
    m.type = COAP_MESSAGE_CON;
    m.code = COAP_REQUEST_CODE_POST;
    m.content_format = 40;
    m.accept = m.observe = -1;
    snprintf(m.path, sizeof m.path, "/rd");
    char q0[300];
    snprintf(q0, sizeof q0, "ep=%s", name);
    m.queries[0] = q0;
    m.queries[1] = "lt=60";
    m.query_count = 2;
    static const char links[] = "</1/0>,</3/0>";
    m.payload = (uint8_t *)links;
    m.payload_len = sizeof links - 1;
    net_request req = {.endpoint = f->ep, .session = NULL, .msg = &m};
    net_reply reply;
    memset(&reply, 0, sizeof reply);
    reply.content_format = -1;
    registry_handle(f->r, &req, &reply);
    net_event *ev;
    while ((ev = net_take(f->n, NULL, NULL)) != NULL) /* the Register events */
        net_event_free(ev);
    return reply.code;
}

static bool live(const registry *r, const char *name)
{
    for (size_t i = 0; i < registry_count(r); i++) {
        const registration *reg = registry_at(r, i);
        if (reg->active && strcmp(reg->query.endpoint_name, name) == 0)
            return true;
    }
    return false;
}

static void test_dut_never_refused_for_room(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f);
    registry_set_limit(f.r, 3);
    /* no device under test known yet (serve): a full server refuses everybody alike */
    assert_int_equal(do_register(&f, "flood-a"), COAP_RESPONSE_CODE(201));
    assert_int_equal(do_register(&f, "flood-b"), COAP_RESPONSE_CODE(201));
    assert_int_equal(do_register(&f, "flood-c"), COAP_RESPONSE_CODE(201));
    assert_int_equal(do_register(&f, "flood-d"), COAP_RESPONSE_CODE(503));
    /* flood-b refreshes itself: flood-a is now the least recently active */
    assert_int_equal(do_register(&f, "flood-b"), COAP_RESPONSE_CODE(201));

    epfilter ef;
    epfilter_init(&ef, "dut", NULL);
    net_set_epfilter(f.n, &ef);
    assert_int_equal(do_register(&f, "dut"), COAP_RESPONSE_CODE(201));
    assert_true(live(f.r, "dut"));
    assert_false(live(f.r, "flood-a"));
    assert_true(live(f.r, "flood-b") && live(f.r, "flood-c"));
    registry_stats st = registry_get_stats(f.r);
    assert_int_equal(st.evicted, 1);
    assert_int_equal(st.live, 3);
    assert_string_equal(registry_evicted_at(f.r, 0), "flood-a");
    assert_null(registry_evicted_at(f.r, 1));
    /* its re-Register replaces its own registration: nothing more is evicted */
    assert_int_equal(do_register(&f, "dut"), COAP_RESPONSE_CODE(201));
    assert_int_equal(registry_get_stats(f.r).evicted, 1);
    /* another device is still refused (the filter: 4.03) */
    assert_int_equal(do_register(&f, "flood-e"), COAP_RESPONSE_CODE(403));
    net_set_epfilter(f.n, NULL);
    close_fixture(&f);
}

static void test_reboot_retires_older_registrations(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f);
    assert_int_equal(do_register(&f, "dev"), COAP_RESPONSE_CODE(201));
    assert_non_null(registry_active(f.r, 1));
    uint64_t reboot = mono_ms() + 1;
    assert_int_equal(registry_retire_before(f.r, reboot), 1);
    assert_null(registry_active(f.r, 1));
    /* what the device registers from then on is live */
    while (mono_ms() < reboot)
        ;
    assert_int_equal(do_register(&f, "dev"), COAP_RESPONSE_CODE(201));
    assert_non_null(registry_active(f.r, 1));
    assert_int_equal(registry_retire_before(f.r, reboot), 0);
    close_fixture(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dut_never_refused_for_room),
        cmocka_unit_test(test_reboot_retires_older_registrations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
