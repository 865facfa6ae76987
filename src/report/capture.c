#include "report/capture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define CAPTURE_SNAPLEN 65535

struct capture {
    pcap_t *dead;          /* libpcap's handle for writing without an interface */
    pcap_dumper_t *run;    /* the whole run */
    pcap_dumper_t *one;    /* the case under way, or NULL */
    char *path;
    char *stem;            /* path without ".pcap" */
    char *case_path;
    size_t count;
};

static pcap_dumper_t *open_dump(pcap_t *dead, const char *path, lc_error *err)
{
    pcap_dumper_t *d = pcap_dump_open(dead, path);
    if (!d)
        lc_error_set(err, LC_EIO, "--pcap: cannot write %s: %s", path, pcap_geterr(dead));
    return d;
}

capture *capture_open(const char *path, lc_error *err)
{
    capture *c = calloc(1, sizeof *c);
    if (!c) {
        lc_error_set(err, LC_ENOMEM, "out of memory");
        return NULL;
    }
    c->dead = pcap_open_dead(DLT_RAW, CAPTURE_SNAPLEN);
    c->path = strdup(path);
    c->stem = strdup(path);
    if (!c->dead || !c->path || !c->stem) {
        lc_error_set(err, LC_ENOMEM, "out of memory");
        capture_close(c);
        return NULL;
    }
    size_t l = strlen(c->stem);
    if (l > 5 && strcmp(c->stem + l - 5, ".pcap") == 0)
        c->stem[l - 5] = '\0';
    if (!(c->run = open_dump(c->dead, path, err))) {
        capture_close(c);
        return NULL;
    }
    return c;
}

void capture_case_end(capture *c)
{
    if (!c || !c->one)
        return;
    pcap_dump_close(c->one);
    c->one = NULL;
    free(c->case_path);
    c->case_path = NULL;
}

void capture_close(capture *c)
{
    if (!c)
        return;
    capture_case_end(c);
    if (c->run)
        pcap_dump_close(c->run);
    if (c->dead)
        pcap_close(c->dead);
    free(c->path);
    free(c->stem);
    free(c);
}

int capture_case_begin(capture *c, const char *case_id, lc_error *err)
{
    capture_case_end(c);
    size_t cap = strlen(c->stem) + strlen(case_id) + 8;
    c->case_path = malloc(cap);
    if (!c->case_path)
        return lc_error_set(err, LC_ENOMEM, "out of memory");
    int n = snprintf(c->case_path, cap, "%s.", c->stem);
    for (const char *p = case_id; *p; p++)
        c->case_path[n++] = (char)((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                                   (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
                                   *p == '.' ? *p : '_');
    snprintf(c->case_path + n, cap - (size_t)n, ".pcap");
    if (!(c->one = open_dump(c->dead, c->case_path, err))) {
        free(c->case_path);
        c->case_path = NULL;
        return LC_EIO;
    }
    return 0;
}

const char *capture_case_path(const capture *c) { return c ? c->case_path : NULL; }
const char *capture_path(const capture *c) { return c ? c->path : NULL; }
size_t capture_count(const capture *c) { return c ? c->count : 0; }

/* The one's complement sum of RFC 1071, folded later. */
static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* The address as IPv4 (4 bytes) or IPv6 (16); an IPv4-mapped IPv6 address is IPv4. */
static int addr_bytes(const struct sockaddr *sa, uint8_t out[16], uint16_t *port)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        memcpy(out, &in->sin_addr, 4);
        *port = ntohs(in->sin_port);
        return 4;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        *port = ntohs(in6->sin6_port);
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
            memcpy(out, in6->sin6_addr.s6_addr + 12, 4);
            return 4;
        }
        memcpy(out, &in6->sin6_addr, 16);
        return 16;
    }
    return 0;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

size_t capture_build_ip(const struct sockaddr *src, const struct sockaddr *dst,
                        const uint8_t *data, size_t len, uint8_t *buf, size_t cap)
{
    uint8_t sa[16], da[16];
    uint16_t sp, dp;
    int sl = addr_bytes(src, sa, &sp), dl = addr_bytes(dst, da, &dp);
    if (sl == 0 || dl == 0)
        return 0;
    if (sl != dl) {
        /* one end IPv4, the other IPv6 (a dual-stack socket): both as IPv4-mapped IPv6 */
        for (uint8_t *a = sl == 4 ? sa : da; a; a = NULL) {
            memmove(a + 12, a, 4);
            memset(a, 0, 10);
            a[10] = a[11] = 0xff;
        }
        sl = dl = 16;
    }
    size_t iph = sl == 4 ? 20 : 40, udp = 8 + len;
    if (udp > 0xffff || iph + udp > cap || iph + udp > CAPTURE_SNAPLEN)
        return 0;
    uint8_t *u = buf + iph;
    put16(u, sp);
    put16(u + 2, dp);
    put16(u + 4, (uint16_t)udp);
    put16(u + 6, 0);
    memcpy(u + 8, data, len);
    /* the UDP checksum over the pseudo-header (RFC 768, RFC 8200 §8.1) */
    uint32_t sum = sum16(0, sa, (size_t)sl);
    sum = sum16(sum, da, (size_t)dl);
    sum += 17 + (uint32_t)udp;
    uint16_t ck = fold(sum16(sum, u, udp));
    put16(u + 6, ck ? ck : 0xffff);
    if (sl == 4) {
        memset(buf, 0, 20);
        buf[0] = 0x45;
        put16(buf + 2, (uint16_t)(20 + udp));
        buf[6] = 0x40; /* don't fragment */
        buf[8] = 64;
        buf[9] = 17;
        memcpy(buf + 12, sa, 4);
        memcpy(buf + 16, da, 4);
        put16(buf + 10, fold(sum16(0, buf, 20)));
    } else {
        memset(buf, 0, 40);
        buf[0] = 0x60;
        put16(buf + 4, (uint16_t)udp);
        buf[6] = 17;
        buf[7] = 64;
        memcpy(buf + 8, sa, 16);
        memcpy(buf + 24, da, 16);
    }
    return iph + udp;
}

void capture_packet(capture *c, bool in, const struct sockaddr *local,
                    const struct sockaddr *remote, const uint8_t *data, size_t len)
{
    if (!c || !local || !remote)
        return;
    uint8_t buf[CAPTURE_SNAPLEN];
    size_t n = capture_build_ip(in ? remote : local, in ? local : remote, data, len, buf,
                                sizeof buf);
    if (n == 0)
        return;
    struct pcap_pkthdr h = {.caplen = (bpf_u_int32)n, .len = (bpf_u_int32)n};
    gettimeofday(&h.ts, NULL);
    pcap_dump((u_char *)c->run, &h, buf);
    if (c->one)
        pcap_dump((u_char *)c->one, &h, buf);
    c->count++;
}
