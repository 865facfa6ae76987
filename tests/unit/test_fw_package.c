/* fw/package: packages read back exactly as the file, the tool's corrupted copy (16 bytes
 * inverted in the middle, the rest untouched) and oversized package (the base repeated), and
 * sim/fwpkg: the simulated device's format checked as it streams in, so the corrupted copy
 * fails its integrity check (5) and another type is refused (6). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fw/package.h"
#include "sim/fwpkg.h"

static char path[64];

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/test_fw_package_%d.bin", (int)getpid());
    lc_error err = {0};
    return sim_fwpkg_write(path, SIM_FWPKG_OK, "9.8.7", 5000, &err);
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

/* Feeds a package in odd-sized pieces, as blocks arrive. */
static int verdict_of(const fw_package *p, char *version, size_t cap, bool *fails)
{
    sim_fwpkg_check c;
    sim_fwpkg_begin(&c);
    uint8_t buf[333];
    uint64_t off = 0;
    long n;
    while ((n = fw_package_read(p, off, buf, sizeof buf)) > 0) {
        sim_fwpkg_feed(&c, buf, (size_t)n);
        off += (uint64_t)n;
    }
    assert_int_equal(off, fw_package_size(p));
    return sim_fwpkg_verdict(&c, version, cap, fails);
}

static void test_firmware_reads_whole(void **state)
{
    (void)state;
    lc_error err = {0};
    fw_package *p = fw_package_open(path, FW_PKG_FIRMWARE, &err);
    assert_non_null(p);
    assert_int_equal(fw_package_size(p), 5000);
    char v[32];
    bool fails = true;
    assert_int_equal(verdict_of(p, v, sizeof v, &fails), 0);
    assert_string_equal(v, "9.8.7");
    assert_false(fails);
    uint8_t b[8];
    assert_int_equal(fw_package_read(p, 5000, b, sizeof b), 0);
    assert_int_equal(fw_package_read(p, 4996, b, sizeof b), 4);
    fw_package_free(p);
}

static void test_corrupt_copy(void **state)
{
    (void)state;
    lc_error err = {0};
    fw_package *p = fw_package_open(path, FW_PKG_FIRMWARE, &err);
    fw_package *c = fw_package_derive(p, FW_PKG_CORRUPT, 0, &err);
    assert_non_null(c);
    assert_int_equal(fw_package_size(c), 5000);
    uint8_t a[5000], b[5000];
    assert_int_equal(fw_package_read(p, 0, a, sizeof a), 5000);
    assert_int_equal(fw_package_read(c, 0, b, sizeof b), 5000);
    size_t differ = 0;
    for (size_t i = 0; i < 5000; i++)
        if (a[i] != b[i]) {
            differ++;
            assert_true(i >= 2500 && i < 2516);
            assert_int_equal(a[i] ^ 0xff, b[i]);
        }
    assert_int_equal(differ, 16);
    char v[32];
    bool fails;
    assert_int_equal(verdict_of(c, v, sizeof v, &fails), 5);
    fw_package_free(c);
    fw_package_free(p);
}

static void test_oversized_repeats(void **state)
{
    (void)state;
    lc_error err = {0};
    fw_package *p = fw_package_open(path, FW_PKG_FIRMWARE, &err);
    fw_package *o = fw_package_derive(p, FW_PKG_OVERSIZED, 12345, &err);
    assert_non_null(o);
    assert_int_equal(fw_package_size(o), 12345);
    uint8_t x[100], y[100];
    assert_int_equal(fw_package_read(o, 10010, x, sizeof x), 100);
    assert_int_equal(fw_package_read(p, 10, y, sizeof y), 100);
    assert_memory_equal(x, y, 100);
    assert_int_equal(fw_package_read(o, 4990, x, 20), 20); /* across the seam */
    assert_int_equal(fw_package_read(p, 4990, y, 10), 10);
    assert_memory_equal(x, y, 10);
    assert_int_equal(fw_package_read(p, 0, y, 10), 10);
    assert_memory_equal(x + 10, y, 10);
    fw_package_free(o);
    fw_package_free(p);
}

static void test_other_type_and_bad_files(void **state)
{
    (void)state;
    lc_error err = {0};
    char other[80];
    snprintf(other, sizeof other, "%s.other", path);
    assert_int_equal(sim_fwpkg_write(other, SIM_FWPKG_UNSUPPORTED, "1", 100, &err), 0);
    fw_package *p = fw_package_open(other, FW_PKG_UNSUPPORTED, &err);
    char v[32];
    bool fails;
    assert_int_equal(verdict_of(p, v, sizeof v, &fails), 6);
    fw_package_free(p);
    unlink(other);
    assert_null(fw_package_open("/nonexistent/fw.bin", FW_PKG_FIRMWARE, &err));
    assert_non_null(strstr(err.msg, "cannot open the firmware package /nonexistent/fw.bin"));
    assert_null(fw_package_open("/dev/null", FW_PKG_FIRMWARE, &err));
    assert_non_null(strstr(err.msg, "not a non-empty regular file"));
    assert_int_equal(fw_package_kind_from_name("install-failure"), FW_PKG_INSTALL_FAILURE);
    assert_int_equal(fw_package_kind_from_name("nope"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_firmware_reads_whole),
        cmocka_unit_test(test_corrupt_copy),
        cmocka_unit_test(test_oversized_repeats),
        cmocka_unit_test(test_other_type_and_bad_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
