#include "report/result.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *verdict_name(verdict v)
{
    switch (v) {
    case VERDICT_PASS: return "PASS";
    case VERDICT_FAIL: return "FAIL";
    case VERDICT_INCONCLUSIVE: return "INCONCLUSIVE";
    case VERDICT_SKIPPED: return "SKIPPED";
    case VERDICT_ERROR: return "ERROR";
    }
    return "UNKNOWN";
}

char *result_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

char *result_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

run_result *result_run_new(const char *suite_name)
{
    run_result *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->suite_name = result_strdup(suite_name ? suite_name : "lwm2m-conform");
    r->dut.resets_planned = r->dut.resets_made = -1;
    if (!r->suite_name) {
        free(r);
        return NULL;
    }
    return r;
}

static void case_clear(case_result *c)
{
    free(c->id);
    free(c->short_id);
    free(c->title);
    free(c->area);
    free(c->source);
    for (size_t i = 0; i < c->ets_count; i++) {
        free(c->ets[i].document);
        free(c->ets[i].id);
        free(c->ets[i].section);
    }
    free(c->ets);
    free(c->reason);
    for (size_t i = 0; i < c->criterion_count; i++) {
        criterion_result *cr = &c->criteria[i];
        free(cr->text);
        free(cr->expected);
        free(cr->observed);
        free(cr->request);
        free(cr->response);
    }
    free(c->criteria);
    for (size_t i = 0; i < c->step_count; i++) {
        free(c->steps[i].summary);
        free(c->steps[i].reason);
    }
    free(c->steps);
    free(c->trace);
    free(c->device_log);
}

static void device_clear(device_info *d)
{
    free(d->endpoint);
    free(d->lwm2m_version);
    free(d->address);
    for (size_t i = 0; i < d->server_count; i++) {
        free(d->servers[i].psk_identity);
        free(d->servers[i].cipher_suite);
    }
    free(d->command);
    free(d->reset_command);
    free(d->log);
    for (size_t i = 0; i < d->ignored_count; i++)
        free(d->ignored[i]);
    free(d->ignored);
}

void result_run_free(run_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->case_count; i++)
        case_clear(&r->cases[i]);
    free(r->cases);
    free(r->suite_name);
    free(r->device);
    free(r->config);
    free(r->started_at);
    free(r->hostname);
    for (size_t i = 0; i < r->note_count; i++)
        free(r->notes[i]);
    free(r->notes);
    device_clear(&r->dut);
    free(r);
}

int result_add_note(run_result *r, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < r->note_count; i++)
        if (strcmp(r->notes[i], buf) == 0)
            return 0;
    if (r->note_count == RESULT_MAX_NOTES) {
        r->note_dropped++;
        return 0;
    }
    if (!r->notes && !(r->notes = calloc(RESULT_MAX_NOTES, sizeof *r->notes))) {
        r->note_dropped++;
        return LC_ENOMEM;
    }
    if (!(r->notes[r->note_count] = strdup(buf))) {
        r->note_dropped++;
        return LC_ENOMEM;
    }
    r->note_count++;
    return 0;
}

case_result *result_add_case(run_result *r)
{
    if (!r)
        return NULL;
    if (r->case_count == r->case_cap) {
        size_t cap = r->case_cap ? r->case_cap * 2 : 8;
        case_result *n = realloc(r->cases, cap * sizeof *n);
        if (!n)
            return NULL;
        r->cases = n;
        r->case_cap = cap;
    }
    case_result *c = &r->cases[r->case_count++];
    memset(c, 0, sizeof *c);
    return c;
}

/* Criteria and steps have no capacity field; the capacity is implied by the count (the
 * next power of two, at least 4), so an array grows exactly when count reaches it. */
static void *grow_implicit(void *arr, size_t count, size_t elem)
{
    size_t cap = 4;
    while (cap < count)
        cap *= 2;
    if (arr && count < cap)
        return arr;
    if (arr)
        cap *= 2;
    return realloc(arr, cap * elem);
}

criterion_result *result_add_criterion(case_result *c)
{
    if (!c)
        return NULL;
    criterion_result *n = grow_implicit(c->criteria, c->criterion_count, sizeof *n);
    if (!n)
        return NULL;
    c->criteria = n;
    criterion_result *cr = &n[c->criterion_count++];
    memset(cr, 0, sizeof *cr);
    return cr;
}

step_result *result_add_step(case_result *c)
{
    if (!c)
        return NULL;
    step_result *n = grow_implicit(c->steps, c->step_count, sizeof *n);
    if (!n)
        return NULL;
    c->steps = n;
    step_result *s = &n[c->step_count++];
    memset(s, 0, sizeof *s);
    return s;
}

int result_case_add_ets(case_result *c, const char *document, const char *id, const char *section)
{
    case_ets *n = realloc(c->ets, (c->ets_count + 1) * sizeof *n);
    if (!n)
        return LC_ENOMEM;
    c->ets = n;
    case_ets *e = &n[c->ets_count];
    e->document = result_strdup(document);
    e->id = result_strdup(id);
    e->section = result_strdup(section);
    if (!e->document || !e->id || !e->section) {
        free(e->document);
        free(e->id);
        free(e->section);
        return LC_ENOMEM;
    }
    c->ets_count++;
    return 0;
}

result_counts result_count(const run_result *r)
{
    result_counts k = {0};
    if (!r)
        return k;
    for (size_t i = 0; i < r->case_count; i++) {
        const case_result *c = &r->cases[i];
        switch (c->verdict) {
        case VERDICT_PASS: k.pass++; break;
        case VERDICT_FAIL: k.fail++; break;
        case VERDICT_INCONCLUSIVE: k.inconclusive++; break;
        case VERDICT_SKIPPED: k.skipped++; break;
        case VERDICT_ERROR: k.error++; break;
        }
        if (c->verdict == VERDICT_SKIPPED && c->not_run)
            k.not_run++;
        if (c->advisory) {
            k.advisory++;
            k.advisory_fail += c->verdict == VERDICT_FAIL || c->verdict == VERDICT_INCONCLUSIVE;
        }
    }
    k.total = r->case_count;
    return k;
}

size_t result_utf8_decode(const char *s, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char b = p[0];
    uint32_t v;
    size_t n;
    if (b == 0)
        return 0;
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b < 0xC2) /* a continuation byte, or a 2-byte overlong form */
        return 0;
    if (b < 0xE0) {
        n = 2;
        v = b & 0x1Fu;
    } else if (b < 0xF0) {
        n = 3;
        v = b & 0x0Fu;
    } else if (b < 0xF5) {
        n = 4;
        v = b & 0x07u;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0u) != 0x80u) /* also stops at the NUL */
            return 0;
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)))
        return 0;
    if (v >= 0xD800 && v <= 0xDFFF)
        return 0;
    *cp = v;
    return n;
}

char *result_seconds(uint64_t ms, char *buf, size_t cap)
{
    uint64_t cs = (ms + 5) / 10;
    snprintf(buf, cap, "%llu.%02llu s", (unsigned long long)(cs / 100),
             (unsigned long long)(cs % 100));
    return buf;
}

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n';
}

char *result_one_line(const char *s)
{
    if (!s)
        return NULL;
    char *d = malloc(strlen(s) + 1);
    if (!d)
        return NULL;
    size_t n = 0;
    bool pending = false;
    for (; *s; s++) {
        if (is_blank(*s)) {
            pending = n > 0;
            continue;
        }
        if (pending)
            d[n++] = ' ';
        pending = false;
        d[n++] = *s;
    }
    d[n] = '\0';
    return d;
}

char *result_criterion_label(const criterion_result *cr)
{
    char letter = cr->letter ? cr->letter : '?';
    if (cr->step > 0)
        return result_printf("criterion %c (step %d)", letter, cr->step);
    return result_printf("criterion %c", letter);
}

/* Writes value line by line: the first after first_prefix, the others after indent and
 * pad spaces. Trailing newlines are dropped so a payload ending in '\n' adds no blank
 * line; blank lines inside keep no indentation, so no line ends in spaces, or are left
 * out with skip_blank (a criterion's wording, where they only split one block in two). */
static void put_lines(FILE *f, const char *indent, const char *first_prefix, size_t pad,
                      const char *value, bool skip_blank)
{
    size_t len = strlen(value);
    while (len > 0 && value[len - 1] == '\n')
        len--;
    if (len == 0) {
        fprintf(f, "%s%s(empty)\n", indent, first_prefix);
        return;
    }
    bool first = true;
    for (size_t start = 0; start <= len;) {
        const char *nl = memchr(value + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - value) : len;
        if (end == start && skip_blank) {
            start = end + 1;
            continue;
        }
        if (end == start && first) /* the label alone, without its trailing blanks */
            fprintf(f, "%s%.*s", indent, (int)strcspn(first_prefix, " "), first_prefix);
        else if (first)
            fprintf(f, "%s%s", indent, first_prefix);
        else if (end > start)
            fprintf(f, "%s%*s", indent, (int)pad, "");
        fwrite(value + start, 1, end - start, f);
        fputc('\n', f);
        first = false;
        start = end + 1;
    }
}

char *result_criterion_details(const criterion_result *cr, const char *indent)
{
    static const size_t label_width = 10; /* "response: " */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    if (!indent)
        indent = "";
    if (cr->text)
        put_lines(f, indent, "", 0, cr->text, true);
    const struct {
        const char *label;
        const char *value;
    } rows[] = {
        {"expected:", cr->expected},
        {"observed:", cr->observed},
        {"request:", cr->request},
        {"response:", cr->response},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (!rows[i].value)
            continue;
        char prefix[16];
        snprintf(prefix, sizeof prefix, "%-*s", (int)label_width, rows[i].label);
        put_lines(f, indent, prefix, label_width, rows[i].value, false);
    }
    char secs[32];
    fprintf(f, "%s%-*s%s\n", indent, (int)label_width, "elapsed:",
            result_seconds(cr->elapsed_ms, secs, sizeof secs));
    return result_memstream_end(f, &buf);
}

char *result_memstream_end(FILE *f, char **bufp)
{
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0)
        bad = true;
    if (bad) {
        free(*bufp);
        *bufp = NULL;
    }
    return *bufp;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Best effort: makes the rename itself durable. A failure here cannot be undone and the
 * report is already in place, so it is not reported. */
static void sync_parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? result_printf("%.*s", (int)(slash - path) + (slash == path), path)
                      : result_strdup(".");
    if (!dir)
        return;
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

int result_write_file_atomic(const char *path, const void *data, size_t len, lc_error *err)
{
    if (!path || !*path || (!data && len > 0))
        return lc_error_set(err, LC_EINVAL, "cannot write a report: no file name given");
    char *tmp = result_printf("%s.tmp.%ld", path, (long)getpid());
    if (!tmp)
        return lc_error_set(err, LC_ENOMEM, "cannot write %s: out of memory", path);

    /* O_EXCL so a planted symlink is never followed; a stale file of a dead process with
     * our pid is ours to replace. */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0 && errno == EEXIST && unlink(tmp) == 0)
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        int e = errno;
        lc_error_set(err, LC_EIO, "cannot write %s: creating %s failed: %s", path, tmp,
                     strerror(e));
        free(tmp);
        return LC_EIO;
    }
    const char *what = NULL; /* the step that failed, for the message */
    int e = 0;
    if (write_all(fd, data, len) != 0)
        what = "writing";
    else if (fsync(fd) != 0)
        what = "syncing";
    if (what)
        e = errno;
    if (close(fd) != 0 && !what) {
        e = errno;
        what = "closing";
    }
    if (!what && rename(tmp, path) != 0) {
        e = errno;
        what = "renaming";
    }
    if (what) {
        unlink(tmp);
        if (strcmp(what, "renaming") == 0)
            lc_error_set(err, LC_EIO, "cannot write %s: renaming %s to it failed: %s", path,
                         tmp, strerror(e));
        else
            lc_error_set(err, LC_EIO, "cannot write %s: %s %s failed: %s", path, what, tmp,
                         strerror(e));
        free(tmp);
        return LC_EIO;
    }
    free(tmp);
    sync_parent_dir(path);
    return 0;
}

int result_write_report(const char *path, const run_result *r,
                        char *(*format)(const run_result *r), const char *who, lc_error *err)
{
    if (!path || !r)
        return lc_error_set(err, LC_EINVAL, "%s: no %s given", who,
                            path ? "result" : "file name");
    char *text = format(r);
    if (!text)
        return lc_error_set(err, LC_ENOMEM, "cannot write %s: out of memory", path);
    int rc = result_write_file_atomic(path, text, strlen(text), err);
    free(text);
    return rc;
}
