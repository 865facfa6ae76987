/* run/order: the order a run plays its cases in and the resets it plans, on small suites
 * built in code (the shapes of int-0, int-1, int-4, int-9, int-950, int-951), and the
 * endpoint filter that decides which device is judged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/epfilter.h"
#include "run/order.h"

#define MAXS 8

typedef struct fake {
    tc_case c;
    tc_step steps[MAXS];
    char *deps[2];
} fake;

/* ops: a string of letters, one step each: R expect-register, B expect-bootstrap-request,
 * W bootstrap-write (everything), w bootstrap-write /0/0, D bootstrap-delete, F finish,
 * d Delete (server), r Read, S discover (bootstrap), X Execute Disable /1/0/4. */
static void make(fake *f, const char *id, bool factory, const char *ops, const char *dep)
{
    memset(f, 0, sizeof *f);
    f->c.id = (char *)id;
    f->c.short_id = (char *)id;
    f->c.device_reset = factory ? TC_RESET_FACTORY : TC_RESET_NONE;
    f->c.steps = f->steps;
    for (size_t i = 0; ops[i] && i < MAXS; i++) {
        tc_step *s = &f->steps[i];
        s->number = (int)i + 1;
        s->server = 1;
        switch (ops[i]) {
        case 'R': s->op = TC_OP_EXPECT_REGISTER; break;
        case 'B': s->op = TC_OP_EXPECT_BOOTSTRAP_REQUEST; s->server = 0; break;
        case 'W': s->op = TC_OP_BOOTSTRAP_WRITE; s->server = 0; break;
        case 'w': s->op = TC_OP_BOOTSTRAP_WRITE; s->server = 0; s->path = "/0/0"; break;
        case 'D': s->op = TC_OP_BOOTSTRAP_DELETE; s->server = 0; s->path = "/"; break;
        case 'F': s->op = TC_OP_BOOTSTRAP_FINISH; s->server = 0; break;
        case 'S': s->op = TC_OP_BOOTSTRAP_DISCOVER; s->server = 0; break;
        case 'd': s->op = TC_OP_DELETE; s->path = "/1/1"; break;
        case 'X': s->op = TC_OP_EXECUTE; s->path = "/1/0/4"; break;
        default: s->op = TC_OP_READ; s->path = "/3/0"; break;
        }
        f->c.step_count++;
    }
    if (dep) {
        f->deps[0] = (char *)dep;
        f->c.depends_on = f->deps;
        f->c.depends_on_count = 1;
    }
}

static const char *ids(const tc_suite *s, const size_t *order, size_t n, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strncat(buf, s->cases[order[i]]->short_id, cap - strlen(buf) - 1);
        if (i + 1 < n)
            strncat(buf, " ", cap - strlen(buf) - 1);
    }
    return buf;
}

/* The shipped suite's shapes, in definition order. */
static void ets_suite(fake *f, tc_case **cases, tc_suite *s)
{
    make(&f[0], "int-0", true, "BWSF", NULL);
    make(&f[1], "int-1", true, "BDWFRR", NULL);
    make(&f[2], "int-4", true, "BWDSWF", NULL);
    make(&f[3], "int-9", true, "BDwFWF", NULL);
    make(&f[4], "int-950", false, "RR", NULL);
    make(&f[5], "int-951", false, "rrrr", "int-950");
    make(&f[6], "int-401", false, "Rr", NULL);
    for (int i = 0; i < 7; i++)
        cases[i] = &f[i].c;
    s->cases = cases;
    s->count = 6; /* int-401 only where a test adds it */
}

static void test_bootstrap_run_order(void **state)
{
    (void)state;
    fake f[7];
    tc_case *cases[7];
    tc_suite s = {0};
    ets_suite(f, cases, &s);
    bool run[6] = {true, true, true, true, true, true};
    size_t order[6];
    char buf[128];
    size_t n = order_cases(&s, run, NULL, true, order);
    assert_int_equal(n, 6);
    /* int-0 uses the device as started and leaves it provisioned for int-950/951; the
     * destructive factory cases come after */
    assert_string_equal(ids(&s, order, n, buf, sizeof buf), "int-0 int-950 int-951 int-1 int-4 int-9");
    assert_int_equal(order_planned_resets(&s, order, n, NULL, true), 3);

    /* after int-1 (which takes the Registers) int-950 needs the device bootstrapped
     * again: one reset more */
    size_t other[6] = {0, 2, 3, 1, 4, 5};
    assert_int_equal(order_planned_resets(&s, other, 6, NULL, true), 4);
    /* int-401 also wants fresh Registers: int-950 takes those after int-0 (int-951 depends
     * on it), int-401 gets a provisioning of its own */
    s.count = 7;
    bool run7[7] = {true, true, true, true, true, true, true};
    size_t order7[7];
    n = order_cases(&s, run7, NULL, true, order7);
    assert_string_equal(ids(&s, order7, n, buf, sizeof buf),
                        "int-0 int-950 int-951 int-401 int-1 int-4 int-9");
    assert_int_equal(order_planned_resets(&s, order7, n, NULL, true), 4);
    s.count = 6;

    /* without int-0 no case leads (int-4 deletes, int-9 writes an inconsistent part first):
     * the provisioned cases go first, on the device as started */
    run[0] = false;
    n = order_cases(&s, run, NULL, true, order);
    assert_string_equal(ids(&s, order, n, buf, sizeof buf), "int-950 int-951 int-1 int-4 int-9");
    assert_int_equal(order_planned_resets(&s, order, n, NULL, true), 3);
    run[0] = true;

    /* without the bootstrap server only the case judging the device's own first
     * Registers moves: first */
    n = order_cases(&s, run, NULL, false, order);
    assert_string_equal(ids(&s, order, n, buf, sizeof buf), "int-950 int-0 int-1 int-4 int-9 int-951");
}

static void test_dependencies_hold(void **state)
{
    (void)state;
    fake f[3];
    make(&f[0], "a", false, "rr", "b");   /* depends on b, which ranks after it */
    make(&f[1], "b", false, "dd", NULL);  /* destructive */
    make(&f[2], "c", false, "RR", NULL);  /* expects Registers: first */
    tc_case *cases[3] = {&f[0].c, &f[1].c, &f[2].c};
    tc_suite s = {.cases = cases, .count = 3};
    bool run[3] = {true, true, true};
    size_t order[3];
    char buf[64];
    size_t n = order_cases(&s, run, NULL, true, order);
    assert_string_equal(ids(&s, order, n, buf, sizeof buf), "c b a");
    /* c takes the provisioning's Registers, b then deletes: a needs it all again */
    assert_int_equal(order_planned_resets(&s, order, n, NULL, true), 1);
}

/* Cases of configurations that provision differently (C.14's two servers, C.5's one) are
 * played group by group, the lead's group first: one provisioning per group, each with
 * its own fresh Registers; without the bootstrap server the groups do not matter. */
static void test_configuration_groups(void **state)
{
    (void)state;
    fake f[6];
    make(&f[0], "int-0", true, "BWSF", NULL);   /* C.14: the lead */
    make(&f[1], "int-701", false, "r", NULL);   /* C.5 */
    make(&f[2], "int-201", false, "r", NULL);   /* C.14 */
    make(&f[3], "int-710", false, "r", NULL);   /* C.5 */
    make(&f[4], "int-101", false, "RR", NULL);  /* C.5, wants fresh Registers */
    make(&f[5], "int-950", false, "RR", NULL);  /* C.14, wants fresh Registers */
    tc_case *cases[6] = {&f[0].c, &f[1].c, &f[2].c, &f[3].c, &f[4].c, &f[5].c};
    tc_suite s = {.cases = cases, .count = 6};
    bool run[6] = {true, true, true, true, true, true};
    int groups[6] = {0, 1, 0, 1, 1, 0};
    size_t order[6];
    char buf[128];
    size_t n = order_cases(&s, run, groups, true, order);
    assert_string_equal(ids(&s, order, n, buf, sizeof buf),
                        "int-0 int-950 int-201 int-101 int-701 int-710");
    /* int-0 provisions C.14 as the device starts; C.5 costs one reset and provisioning */
    assert_int_equal(order_planned_resets(&s, order, n, groups, true), 1);
    order_state st = {.provisioned = true, .group = 0};
    order_prep p = order_prepare(&f[1].c, 1, true, &st);
    assert_true(p.provision);
    assert_true(p.reset);
    order_after(&f[1].c, 1, &p, &st);
    assert_int_equal(st.group, 1);
    p = order_prepare(&f[3].c, 1, true, &st);
    assert_false(p.provision);
    /* without the bootstrap server the groups do not matter: the cases judging the
     * device's first Registers go first (the bench flow), the rest as defined */
    n = order_cases(&s, run, groups, false, order);
    assert_string_equal(ids(&s, order, n, buf, sizeof buf),
                        "int-101 int-950 int-0 int-701 int-201 int-710");
}

static void test_prepare(void **state)
{
    (void)state;
    fake f;
    make(&f, "int-950", false, "RR", NULL);
    order_state st = {.untouched = true};
    order_prep p = order_prepare(&f.c, 0, true, &st);
    assert_true(p.provision);
    assert_false(p.reset); /* the device as started bootstraps by itself */
    order_after(&f.c, 0, &p, &st);
    assert_true(st.provisioned && st.regs_taken && !st.untouched);
    p = order_prepare(&f.c, 0, true, &st); /* its Registers were taken: again, with a reset */
    assert_true(p.provision && p.reset);
    /* a run without the bootstrap server never provisions, and a case judging the
     * device's Registers after another one did needs no reset: both judge the Registers
     * of the device's current life (the bench flow: int-101, then int-950) */
    order_state st2 = {0};
    p = order_prepare(&f.c, 0, false, &st2);
    assert_false(p.provision || p.reset);
    order_after(&f.c, 0, &p, &st2);
    assert_true(st2.regs_taken);
    p = order_prepare(&f.c, 0, false, &st2);
    assert_false(p.provision || p.reset);
    fake g;
    make(&g, "int-1", true, "BDWFRR", NULL);
    p = order_prepare(&g.c, 0, false, &st2);
    assert_true(p.reset && !p.provision);
    /* a device that stopped during the last case is started again, and provisioned again
     * when the run plays the bootstrap server; the reset clears the mark */
    order_state st3 = {.provisioned = true, .stopped = true};
    p = order_prepare(&f.c, 0, false, &st3);
    assert_true(p.reset && !p.provision);
    p = order_prepare(&f.c, 0, true, &st3);
    assert_true(p.reset && p.provision);
    order_after(&f.c, 0, &p, &st3);
    assert_false(st3.stopped);
    /* "restart" (int-109: the ETS's step 1 is a fresh Register): a device the run has used
     * is started again, with or without the bootstrap server, and provisioned again with
     * it; the device as started is taken as it is */
    fake q;
    make(&q, "int-109", false, "Rr", NULL);
    q.c.device_reset = TC_RESET_RESTART;
    order_state fresh = {.untouched = true};
    p = order_prepare(&q.c, 0, false, &fresh);
    assert_false(p.reset || p.provision);
    order_state used = {0};
    p = order_prepare(&q.c, 0, false, &used);
    assert_true(p.reset && !p.provision);
    order_state used_bs = {.provisioned = true};
    p = order_prepare(&q.c, 0, true, &used_bs);
    assert_true(p.reset && p.provision);
}

/* The bench flow (no bootstrap server, no device control): int-101 and int-950 both
 * judge the device's first registration, before int-241 reboots it, and the plan needs
 * no reset. */
static void test_bench_flow(void **state)
{
    (void)state;
    fake f[5];
    make(&f[0], "int-101", false, "R", NULL);
    make(&f[1], "int-241", false, "rR", NULL);
    f[1].steps[0].op = TC_OP_EXECUTE;
    f[1].steps[0].path = "/3/0/4";
    f[1].steps[1].after_step = 1;
    make(&f[2], "int-652", false, "rr", NULL);
    make(&f[3], "int-950", false, "RR", NULL);
    make(&f[4], "int-951", false, "rrrr", "int-950");
    tc_case *cases[5] = {&f[0].c, &f[1].c, &f[2].c, &f[3].c, &f[4].c};
    tc_suite s = {.cases = cases, .count = 5};
    bool run[5] = {true, true, true, true, true};
    size_t order[5];
    char buf[128];
    size_t n = order_cases(&s, run, NULL, false, order);
    assert_string_equal(ids(&s, order, n, buf, sizeof buf),
                        "int-101 int-950 int-241 int-652 int-951");
    assert_int_equal(order_planned_resets(&s, order, n, NULL, false), 0);
}

/* int-103 disables the device for its Disable Timeout, which a run may not wait for: it
 * goes after every case of its group that needs the device registered (before the factory
 * cases and other groups, which start from a reset anyway), and on the bench last of all.
 * A run that starts the device again after it plans that restart. */
static void test_disable_last(void **state)
{
    (void)state;
    fake f[5];
    make(&f[0], "int-103", false, "XR", NULL);
    f[0].steps[1].after_step = 1; /* the Register after the Disable Timeout */
    make(&f[1], "int-1", true, "BDWFRR", NULL);
    make(&f[2], "int-222", false, "rr", NULL);
    make(&f[3], "int-1635", false, "rd", NULL);
    make(&f[4], "int-201", false, "r", NULL);
    tc_case *cases[5] = {&f[0].c, &f[1].c, &f[2].c, &f[3].c, &f[4].c};
    tc_suite s = {.cases = cases, .count = 5};
    bool run[5] = {true, true, true, true, true};
    size_t order[5];
    char buf[128];
    size_t n = order_cases(&s, run, NULL, true, order);
    assert_string_equal(ids(&s, order, n, buf, sizeof buf),
                        "int-222 int-201 int-1635 int-103 int-1");
    int groups[5] = {0, 0, 0, 1, 1}; /* int-1635 and int-201 in another configuration */
    n = order_cases(&s, run, groups, true, order);
    assert_string_equal(ids(&s, order, n, buf, sizeof buf),
                        "int-222 int-103 int-201 int-1635 int-1");
    n = order_cases(&s, run, NULL, false, order);
    assert_string_equal(ids(&s, order, n, buf, sizeof buf),
                        "int-1 int-222 int-1635 int-201 int-103");
    bool only[5] = {true, false, true, false, false};
    n = order_cases(&s, only, NULL, false, order);
    assert_string_equal(ids(&s, order, n, buf, sizeof buf), "int-222 int-103");
    /* int-103 then int-201 (as if ordered by hand): the restart is a reset of the plan */
    size_t by_hand[2] = {0, 4};
    bool stops[5] = {true, false, false, false, false};
    assert_int_equal(order_planned_resets_stopping(&s, by_hand, 2, NULL, false, stops), 1);
    assert_int_equal(order_planned_resets_stopping(&s, by_hand, 2, NULL, false, NULL), 0);
    assert_true(order_disables_device(&f[0].c));
    assert_false(order_disables_device(&f[2].c));
}

static void test_epfilter(void **state)
{
    (void)state;
    epfilter f;
    epfilter_init(&f, NULL, NULL);
    assert_true(epfilter_accepts(&f, "dev-a"));  /* the first one is judged */
    assert_true(epfilter_accepts(&f, "dev-a"));
    assert_false(epfilter_accepts(&f, "dev-b"));
    assert_false(epfilter_accepts(&f, "dev-b"));
    assert_int_equal(f.ignored_count, 1);
    assert_string_equal(f.ignored[0], "dev-b");
    assert_string_equal(f.name, "dev-a");

    epfilter_init(&f, "dev-b", NULL);
    assert_false(epfilter_accepts(&f, "dev-a"));
    assert_true(epfilter_accepts(&f, "dev-b"));
    assert_string_equal(f.ignored[0], "dev-a");
    for (int i = 0; i < 40; i++) {
        char name[16];
        snprintf(name, sizeof name, "x%d", i);
        assert_false(epfilter_accepts(&f, name));
    }
    assert_int_equal(f.ignored_count, EPFILTER_MAX_IGNORED); /* bounded */
    assert_true(epfilter_accepts(NULL, "anything"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bootstrap_run_order),
        cmocka_unit_test(test_dependencies_hold),
        cmocka_unit_test(test_configuration_groups),
        cmocka_unit_test(test_prepare),
        cmocka_unit_test(test_bench_flow),
        cmocka_unit_test(test_disable_last),
        cmocka_unit_test(test_epfilter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
