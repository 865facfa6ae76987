/* The simulated device's object rules on a Write (src/sim/objrules.c): Active Power Saving
 * Modes only within the Supported Power Saving Modes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sim/objrules.h"

static void test_power_saving_modes(void **state)
{
    (void)state;
    sim_store *st = sim_store_new();
    assert_non_null(st);
    assert_int_equal(sim_store_add_instance(st, 10, 0), 0);
    assert_int_equal(sim_store_set_int(st, 10, 0, 12, 1), 0); /* PSM only */
    lwm2m_path p;

    char why[200] = "";
    lwm2m_records w;
    records_init(&w);
    lwm2m_path_parse("/10/0/13", &p);
    records_add_int(&w, &p, 1);
    assert_int_equal(sim_objrules_check_write(st, &w, why, sizeof why), 0);
    w.items[0].i = 2; /* eDRX: not supported */
    assert_int_equal(sim_objrules_check_write(st, &w, why, sizeof why), 400);
    assert_non_null(strstr(why, "Supported Power Saving Modes (1)"));
    records_free(&w);
    sim_store_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_saving_modes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
