/* The event queue's bound (net/endpoint): unclaimed events beyond the limit are dropped
 * and counted, the newest of each kind is kept, and what is left still comes out in
 * order. Events are pushed directly, as the handlers do; no socket is opened. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/endpoint.h"

static net_ctx *new_ctx(void)
{
    lc_error err = {0};
    net_ctx *n = net_new(NULL, &err);
    assert_non_null(n);
    return n;
}

static void push(net_ctx *n, net_event_kind kind, int i)
{
    net_event *ev = net_event_new(n, kind, -1, NULL);
    assert_non_null(ev);
    snprintf(ev->detail, sizeof ev->detail, "%d", i);
    net_push_event(n, ev);
}

static bool is_kind(const net_event *ev, void *arg)
{
    return ev->kind == *(const net_event_kind *)arg;
}

static void test_flood_is_bounded_and_counted(void **state)
{
    (void)state;
    net_ctx *n = new_ctx();
    for (int i = 0; i < 20000; i++)
        push(n, NET_EV_UPDATE, i);
    size_t q = net_events_queued(n);
    assert_true(q <= NET_MAX_QUEUED_EVENTS);
    assert_int_equal(net_events_dropped(n, -1), 20000 - q);
    assert_int_equal(net_events_dropped(n, NET_EV_UPDATE), 20000 - q);
    assert_int_equal(net_events_dropped(n, NET_EV_REGISTER), 0);
    /* the survivors are the newest, still in arrival order */
    int last = -1;
    net_event *ev;
    while ((ev = net_take(n, NULL, NULL)) != NULL) {
        int i = atoi(ev->detail);
        assert_true(i > last);
        last = i;
        net_event_free(ev);
    }
    assert_int_equal(last, 19999);
    assert_int_equal(net_events_queued(n), 0);
    net_free(n);
}

static void test_newest_of_each_kind_kept(void **state)
{
    (void)state;
    net_ctx *n = new_ctx();
    push(n, NET_EV_REGISTER, -7);           /* an early Register a later step will claim */
    push(n, NET_EV_HANDSHAKE_REFUSED, -8);
    for (int i = 0; i < 5000; i++)
        push(n, NET_EV_UPDATE, i);
    net_event_kind k = NET_EV_REGISTER;
    net_event *ev = net_take(n, is_kind, &k);
    assert_non_null(ev);
    assert_string_equal(ev->detail, "-7");
    net_event_free(ev);
    k = NET_EV_HANDSHAKE_REFUSED;
    assert_non_null(net_peek(n, is_kind, &k));
    net_free(n);
}

static void test_limit_settable(void **state)
{
    (void)state;
    net_ctx *n = new_ctx();
    net_set_queue_limit(n, 16);
    for (int i = 0; i < 100; i++)
        push(n, NET_EV_NOTIFICATION, i);
    assert_true(net_events_queued(n) <= 16);
    assert_true(net_events_queued(n) >= 12);
    net_event *ev = net_take(n, NULL, NULL);
    net_unget(n, ev);
    assert_ptr_equal(net_peek(n, NULL, NULL), ev);
    net_free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flood_is_bounded_and_counted),
        cmocka_unit_test(test_newest_of_each_kind_kept),
        cmocka_unit_test(test_limit_settable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
