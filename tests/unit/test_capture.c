/* report/capture, report/keylog, logger_blank_bytes and cli/progress: the IP/UDP framing
 * and checksums of the capture (read back with libpcap), one file per case, the key log's
 * mode, keys blanked in binary data, the live line's wording. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>

#include <cmocka.h>

#include "cli/progress.h"
#include "common/log.h"
#include "report/capture.h"
#include "report/keylog.h"

static uint16_t fold_sum(const uint8_t *p, size_t len, uint32_t sum)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

static struct sockaddr_in v4(const char *a, uint16_t port)
{
    struct sockaddr_in s = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, a, &s.sin_addr);
    return s;
}

static struct sockaddr_in6 v6(const char *a, uint16_t port)
{
    struct sockaddr_in6 s = {.sin6_family = AF_INET6, .sin6_port = htons(port)};
    inet_pton(AF_INET6, a, &s.sin6_addr);
    return s;
}

static const uint8_t coap[] = {0x40, 0x01, 0x12, 0x34, 0xb2, 'r', 'd'}; /* CON GET /rd */

static void test_ipv4_udp(void **state)
{
    (void)state;
    struct sockaddr_in a = v4("192.0.2.1", 40000), b = v4("127.0.0.1", 5684);
    uint8_t buf[128];
    size_t n = capture_build_ip((struct sockaddr *)&a, (struct sockaddr *)&b, coap, sizeof coap,
                                buf, sizeof buf);
    assert_int_equal(n, 20 + 8 + sizeof coap);
    assert_int_equal(buf[0], 0x45);
    assert_int_equal(buf[9], 17);
    assert_int_equal(fold_sum(buf, 20, 0), 0xffff);              /* header checksum */
    assert_int_equal(buf[20] << 8 | buf[21], 40000);
    assert_int_equal(buf[22] << 8 | buf[23], 5684);
    assert_memory_equal(buf + 28, coap, sizeof coap);
    uint32_t pseudo = 17 + 8 + sizeof coap;                        /* UDP checksum */
    assert_int_equal(fold_sum(buf + 20, 8 + sizeof coap, fold_sum(buf + 12, 8, pseudo)), 0xffff);
}

static void test_ipv6_and_mixed(void **state)
{
    (void)state;
    struct sockaddr_in6 a = v6("2001:db8::1", 5683), b = v6("::1", 40001);
    uint8_t buf[128];
    size_t n = capture_build_ip((struct sockaddr *)&a, (struct sockaddr *)&b, coap, sizeof coap,
                                buf, sizeof buf);
    assert_int_equal(n, 40 + 8 + sizeof coap);
    assert_int_equal(buf[0] >> 4, 6);
    assert_int_equal(buf[6], 17);
    uint32_t pseudo = 17 + 8 + sizeof coap;
    assert_int_equal(fold_sum(buf + 40, 8 + sizeof coap, fold_sum(buf + 8, 32, pseudo)), 0xffff);
    /* an IPv4-mapped address pairs with IPv4 */
    struct sockaddr_in6 m = v6("::ffff:127.0.0.1", 5683);
    struct sockaddr_in c = v4("127.0.0.1", 40002);
    n = capture_build_ip((struct sockaddr *)&m, (struct sockaddr *)&c, coap, sizeof coap, buf,
                         sizeof buf);
    assert_int_equal(buf[0], 0x45);
    /* another family is not written; a buffer too small neither */
    struct sockaddr un = {.sa_family = AF_UNIX};
    assert_int_equal(capture_build_ip(&un, (struct sockaddr *)&c, coap, sizeof coap, buf, sizeof buf), 0);
    assert_int_equal(capture_build_ip((struct sockaddr *)&c, (struct sockaddr *)&c, coap,
                                      sizeof coap, buf, 20), 0);
}

static size_t count_packets(const char *path)
{
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(path, err);
    if (!p)
        fail_msg("%s: %s", path, err);
    assert_int_equal(pcap_datalink(p), DLT_RAW);
    size_t n = 0;
    struct pcap_pkthdr *h;
    const u_char *d;
    while (pcap_next_ex(p, &h, &d) == 1)
        n++;
    pcap_close(p);
    return n;
}

static void test_files_per_case(void **state)
{
    (void)state;
    char dir[] = "/tmp/lc-test-capture-XXXXXX", path[128], one[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/run.pcap", dir);
    lc_error err = {0};
    capture *c = capture_open(path, &err);
    assert_non_null(c);
    struct sockaddr_in a = v4("127.0.0.1", 5684), b = v4("127.0.0.1", 40000);
    capture_packet(c, true, (struct sockaddr *)&a, (struct sockaddr *)&b, coap, sizeof coap);
    assert_int_equal(capture_case_begin(c, "int-101/../x", &err), 0);
    snprintf(one, sizeof one, "%s/run.int-101_.._x.pcap", dir);
    assert_string_equal(capture_case_path(c), one);
    capture_packet(c, false, (struct sockaddr *)&a, (struct sockaddr *)&b, coap, sizeof coap);
    capture_case_end(c);
    capture_packet(c, true, (struct sockaddr *)&a, (struct sockaddr *)&b, coap, sizeof coap);
    assert_int_equal(capture_count(c), 3);
    capture_close(c);
    assert_int_equal(count_packets(path), 3);
    assert_int_equal(count_packets(one), 1);
    unlink(path);
    unlink(one);
    rmdir(dir);

    assert_null(capture_open("/nonexistent-dir/run.pcap", &err));
    assert_non_null(strstr(err.msg, "/nonexistent-dir/run.pcap"));
}

static void test_keylog_private(void **state)
{
    (void)state;
    char path[] = "/tmp/lc-test-keylog-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fchmod(fd, 0644);
    close(fd);
    lc_error err = {0};
    keylog *k = keylog_open(path, &err);
    assert_non_null(k);
    keylog_write(k, "CLIENT_RANDOM 00 11");
    keylog_write(k, "CLIENT_RANDOM 22 33");
    assert_int_equal(keylog_count(k), 2);
    keylog_close(k);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    FILE *f = fopen(path, "r");
    char text[128] = "";
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    assert_string_equal(text, "CLIENT_RANDOM 00 11\nCLIENT_RANDOM 22 33\n");
    unlink(path);
    assert_null(keylog_open("/nonexistent-dir/keys", &err));
    assert_non_null(strstr(err.msg, "/nonexistent-dir/keys"));
}

static void test_blank_bytes(void **state)
{
    (void)state;
    logger *lg = logger_new(stdout, stderr, LOG_LVL_ERROR);
    const uint8_t key[] = {0x1a, 0x2b, 0x00, 0x3c, 0xff};
    logger_add_secret(lg, key, sizeof key);
    uint8_t tlv[] = {0xc5, 0x05, 0x1a, 0x2b, 0x00, 0x3c, 0xff, 'x', '1', 'a', '2', 'b', '0',
                     '0', '3', 'c', 'f', 'f'};
    logger_blank_bytes(lg, tlv, sizeof tlv);
    const uint8_t want[] = {0xc5, 0x05, 0, 0, 0, 0, 0, 'x', '*', '*', '*', '*', '*', '*', '*',
                            '*', '*', '*'};
    assert_memory_equal(tlv, want, sizeof want);
    logger_free(lg);
}

static void test_progress_words(void **state)
{
    (void)state;
    char line[256];
    cli_progress_format("int-104", "int-104 step 3: expect-update", 12400, 22000, line, sizeof line);
    assert_string_equal(line, "int-104 step 3: waiting for the Update, 12 s of 22 s");
    cli_progress_format("int-201", "int-201 step 2: read", 3000, 30000, line, sizeof line);
    assert_string_equal(line, "int-201 step 2: waiting for the answer to the read, 3 s of 30 s");
    cli_progress_format("int-103", "int-103 step 4: wait", 5000, 60000, line, sizeof line);
    assert_string_equal(line, "int-103 step 4: waiting, 5 s of 60 s");
    cli_progress_format("int-0", NULL, 1000, 30000, line, sizeof line);
    assert_string_equal(line, "int-0: waiting, 1 s of 30 s");
    cli_progress_format("", NULL, 1000, 30000, line, sizeof line);
    assert_string_equal(line, "the device: waiting, 1 s of 30 s");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4_udp),
        cmocka_unit_test(test_ipv6_and_mixed),
        cmocka_unit_test(test_files_per_case),
        cmocka_unit_test(test_keylog_private),
        cmocka_unit_test(test_blank_bytes),
        cmocka_unit_test(test_progress_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
