/* Benchmark of the content formats: encode and decode time per record and payload size
 * for a 1000-value Read in every multi-value format, and the cost of the worst payloads a
 * peer can send (the most records a decoder accepts; declared lengths far past the
 * payload). Run with `make bench-codecs`; figures go to docs/benchmarks.md by hand.
 * Instruction counts under callgrind are the repeatable figure; wall times vary with
 * machine load. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lwm2m/content/content.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* /99/i/r: 125 instances × 8 resources, one of each type. */
static lwm2m_type type_of(const lwm2m_path *p, void *arg)
{
    (void)arg;
    static const lwm2m_type t[] = {LV_INTEGER, LV_UNSIGNED, LV_FLOAT, LV_BOOLEAN,
                                   LV_STRING,  LV_OPAQUE,   LV_TIME,  LV_OBJLNK};
    return p->depth >= 3 && p->ids[2] < 8 ? t[p->ids[2]] : LV_NONE;
}

static void thousand(lwm2m_records *r)
{
    records_init(r);
    for (int i = 0; i < 125; i++) {
        lwm2m_path p = {{99, i, 0, -1}, 3};
        records_add_int(r, &p, -70000 - i);
        p.ids[2] = 1, records_add_unsigned(r, &p, 4000000000u + (unsigned)i);
        p.ids[2] = 2, records_add_float(r, &p, 0.1 * i);
        p.ids[2] = 3, records_add_bool(r, &p, i & 1);
        p.ids[2] = 4, records_add_string(r, &p, "Open Mobile Alliance");
        p.ids[2] = 5, records_add_opaque(r, &p, (const uint8_t *)"\x01\x02\x03\x04\x05\x06", 6);
        p.ids[2] = 6, records_add_time(r, &p, 1700000000 + i);
        p.ids[2] = 7, records_add_objlnk(r, &p, 3, (uint16_t)i);
    }
}

static void per_format(int cf, const lwm2m_records *r, int iters)
{
    lwm2m_path base = {{99, -1, -1, -1}, 1};
    uint8_t *out = NULL;
    size_t len = 0;
    lc_error err;
    double t0 = now();
    for (int i = 0; i < iters; i++) {
        free(out);
        if (content_encode(cf, &base, r, &out, &len, &err)) {
            printf("%d: %s\n", cf, err.msg);
            return;
        }
    }
    double t1 = now();
    for (int i = 0; i < iters; i++) {
        lwm2m_records got;
        records_init(&got);
        if (content_decode(cf, &base, out, len, type_of, NULL, &got, &err)) {
            printf("%d: %s\n", cf, err.msg);
            return;
        }
        records_free(&got);
    }
    double t2 = now();
    double n = (double)r->count * iters;
    printf("| %-31s | %6zu B | %5.1f B | %6.0f ns | %6.0f ns |\n", content_format_name(cf), len,
           (double)len / (double)r->count, (t1 - t0) / n * 1e9, (t2 - t1) / n * 1e9);
    free(out);
}

/* Decodes payload in a child process; prints its time and the child's peak RSS. */
static void hostile(const char *label, int cf, const uint8_t *p, size_t n)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        lwm2m_path base = {{-1, -1, -1, -1}, 0};
        lwm2m_records got;
        records_init(&got);
        lc_error err = {0};
        double t0 = now();
        int rc = content_decode(cf, &base, p, n, type_of, NULL, &got, &err);
        double t1 = now();
        printf("| %-44s | %7zu B | %-6s %5zu records | %7.2f ms |", label, n,
               rc ? "error," : "ok,", got.count, (t1 - t0) * 1e3);
        fflush(stdout);
        records_free(&got);
        _exit(0);
    }
    int st;
    struct rusage ru;
    wait4(pid, &st, 0, &ru);
    printf(" %6ld KiB |\n", ru.ru_maxrss);
}

int main(void)
{
    lwm2m_records r;
    thousand(&r);
    printf("1000 values (125 instances x 8 types) read from /99, encoded then decoded 200 "
           "times each:\n\n");
    printf("| format | payload | per value | encode / value | decode / value |\n");
    printf("| --- | --- | --- | --- | --- |\n");
    static const int cfs[] = {CF_TLV, CF_OMA_JSON, CF_SENML_JSON, CF_SENML_CBOR, CF_LWM2M_CBOR};
    for (size_t i = 0; i < sizeof cfs / sizeof cfs[0]; i++)
        per_format(cfs[i], &r, 200);
    records_free(&r);

    printf("\nWorst payloads a peer can send (decoded in a child; its peak RSS):\n\n");
    printf("| payload | size | result | decode time | peak RSS |\n| --- | --- | --- | --- | --- |\n");
    hostile("baseline: empty SenML CBOR pack", CF_SENML_CBOR, (const uint8_t *)"\x80", 1);
    /* The most records a decoder takes: [{-2:"/99/0/0",2:1},{2:1},…] */
    size_t max = CONTENT_MAX_RECORDS, n = 0;
    uint8_t *b = malloc(16 + max * 3 + 16);
    b[n++] = 0x99, b[n++] = (uint8_t)(max >> 8), b[n++] = (uint8_t)max;
    memcpy(b + n, "\xa2\x21\x67/99/0/0\x02\x01", 12), n += 12;
    for (size_t i = 1; i < max; i++)
        b[n++] = 0xa1, b[n++] = 0x02, b[n++] = 0x01;
    hostile("SenML CBOR, CONTENT_MAX_RECORDS records", CF_SENML_CBOR, b, n);
    b[1] = (uint8_t)((max + 1) >> 8), b[2] = (uint8_t)(max + 1);
    b[n++] = 0xa1, b[n++] = 0x02, b[n++] = 0x01;
    hostile("SenML CBOR, one record more", CF_SENML_CBOR, b, n);
    free(b);
    hostile("SenML CBOR, array declaring 2^64-1 records", CF_SENML_CBOR,
            (const uint8_t *)"\x9b\xff\xff\xff\xff\xff\xff\xff\xff", 9);
    hostile("LwM2M CBOR, map declaring 2^64-1 entries", CF_LWM2M_CBOR,
            (const uint8_t *)"\xbb\xff\xff\xff\xff\xff\xff\xff\xff", 9);
    hostile("SenML CBOR, string declaring 2^64-1 bytes", CF_SENML_CBOR,
            (const uint8_t *)"\x81\xa1\x21\x7b\xff\xff\xff\xff\xff\xff\xff\xff", 12);
    /* 1 MiB of JSON arrays nested as deep as they go. */
    size_t deep = 1 << 20;
    char *j = malloc(deep);
    memset(j, '[', deep);
    hostile("SenML JSON, 1 MiB of nested '['", CF_SENML_JSON, (const uint8_t *)j, deep);
    /* 1 MiB of one-entry records in SenML JSON: {"v":1} repeated, more than the cap. */
    size_t k = 0;
    j[k++] = '[';
    k += (size_t)sprintf(j + k, "{\"bn\":\"/99/0/0\",\"v\":1}");
    while (k + 10 < deep)
        k += (size_t)sprintf(j + k, ",{\"v\":1}");
    j[k++] = ']';
    hostile("SenML JSON, 1 MiB of {\"v\":1} records", CF_SENML_JSON, (const uint8_t *)j, k);
    free(j);
    return 0;
}
