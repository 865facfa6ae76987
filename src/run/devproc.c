#include "run/devproc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/mono.h"

static unsigned grace_ms(const devproc *dp)
{
    return dp->opt.stop_grace_ms ? dp->opt.stop_grace_ms : 3000;
}

static void child_reset(devproc_child *c)
{
    c->pid = -1;
    c->pgid = 0;
    c->out_fd = -1;
    c->exit_status = 0;
    c->line_len = 0;
}

int devproc_open(devproc *dp, const devproc_options *opt, logger *log, lc_error *err)
{
    memset(dp, 0, sizeof *dp);
    dp->opt = *opt;
    dp->log = log;
    child_reset(&dp->dev);
    dp->log_fd = open(opt->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    if (dp->log_fd < 0)
        return lc_error_set(err, LC_EIO, "cannot write the device log %s: %s", opt->log_path,
                            strerror(errno));
    /* The command's shell may leave its children behind when it ends: as their subreaper
     * the tool can still reap them, and tell when the whole process group is gone. */
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    return 0;
}

/* One line of the device's output into the log, with every secret redacted. */
static void log_line(devproc *dp, const char *s, size_t len)
{
    char buf[sizeof dp->dev.line * 2 + 16];
    if (len > sizeof dp->dev.line)
        len = sizeof dp->dev.line;
    for (size_t i = 0; i < len; i++)
        buf[i] = s[i] ? s[i] : '?';
    buf[len] = '\0';
    logger_redact(dp->log, buf, sizeof buf - 1);
    size_t n = strlen(buf);
    buf[n++] = '\n';
    if (dp->log_fd >= 0 && write(dp->log_fd, buf, n) < 0)
        log_debug(dp->log, "cannot write the device log: %s", strerror(errno));
    buf[n - 1] = '\0';
    log_debug(dp->log, "device: %s", buf);
}

static void drain(devproc *dp, devproc_child *c)
{
    while (c->out_fd >= 0) {
        char chunk[1024];
        ssize_t n = read(c->out_fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return;
            if (c->line_len)
                log_line(dp, c->line, c->line_len);
            c->line_len = 0;
            close(c->out_fd);
            c->out_fd = -1;
            return;
        }
        for (ssize_t i = 0; i < n; i++) {
            if (chunk[i] == '\n' || c->line_len == sizeof c->line) {
                log_line(dp, c->line, c->line_len);
                c->line_len = 0;
                if (chunk[i] == '\n')
                    continue;
            }
            if (chunk[i] != '\r')
                c->line[c->line_len++] = chunk[i];
        }
    }
}

/* Reaps what has ended: the shell, and whatever else of its group was left to us. True
 * while any process of the group may still run. */
static bool reap(devproc_child *c)
{
    int st = 0;
    if (c->pid > 0 && waitpid(c->pid, &st, WNOHANG) == c->pid) {
        c->exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        c->pid = -1;
    }
    if (c->pgid > 0) {
        while (waitpid(-c->pgid, &st, WNOHANG) > 0)
            ;
        if (c->pid <= 0 && kill(-c->pgid, 0) < 0 && errno == ESRCH)
            c->pgid = 0;
    }
    return c->pid > 0 || c->pgid > 0;
}

static void set_env_uri(const dut *d, const char *host, int ssid, const char *name)
{
    char uri[200];
    if (dut_endpoint_uri(d, ssid, host, uri, sizeof uri) == 0)
        setenv(name, uri, 1);
}

/* In the child, before exec: the run's facts. */
static void child_env(const devproc *dp, const dut *d, const char *case_id)
{
    unsetenv("LWM2M_CONFORM_BOOTSTRAP_URI");
    for (size_t i = 0; i < d->cfg->account_count; i++) {
        const config_account *a = &d->cfg->accounts[i];
        char name[64];
        if (a->bootstrap) {
            set_env_uri(d, dp->opt.advertise_host, 0, "LWM2M_CONFORM_BOOTSTRAP_URI");
            continue;
        }
        snprintf(name, sizeof name, "LWM2M_CONFORM_SERVER_URI_%d", a->short_server_id);
        unsetenv(name);
        set_env_uri(d, dp->opt.advertise_host, a->short_server_id, name);
    }
    if (case_id)
        setenv("LWM2M_CONFORM_CASE", case_id, 1);
    else
        unsetenv("LWM2M_CONFORM_CASE");
    if (dp->opt.endpoint)
        setenv("LWM2M_CONFORM_ENDPOINT", dp->opt.endpoint, 1);
    else
        unsetenv("LWM2M_CONFORM_ENDPOINT");
}

static void close_other_fds(int keep)
{
#ifdef SYS_close_range
    if (keep < 3 && syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
        return;
#endif
    for (int fd = 3; fd < 1024; fd++)
        if (fd != keep)
            close(fd);
}

static int spawn(devproc *dp, const dut *d, const char *command, const char *case_id,
                 devproc_child *c, lc_error *err)
{
    child_reset(c);
    int p[2];
    if (pipe(p) < 0)
        return lc_error_set(err, LC_EIO, "cannot start the device command: %s", strerror(errno));
    /* A SIGTERM (devproc_stop) that reached the child between fork and exec would run the
     * tool's own handler there and be lost: block the signals across fork, and let the
     * child take them with their default action. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, &old);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        sigprocmask(SIG_SETMASK, &old, NULL);
        close(p[0]);
        close(p[1]);
        return lc_error_set(err, LC_EIO, "cannot start the device command: %s", strerror(e));
    }
    if (pid == 0) {
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        sigprocmask(SIG_SETMASK, &old, NULL);
        setpgid(0, 0);
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0)
            dup2(null, STDIN_FILENO);
        dup2(p[1], STDOUT_FILENO);
        dup2(p[1], STDERR_FILENO);
        close_other_fds(-1);
        child_env(dp, d, case_id);
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid); /* also here: a stop right after the fork must reach the group */
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(p[1]);
    fcntl(p[0], F_SETFD, FD_CLOEXEC);
    fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
    c->pid = pid;
    c->pgid = pid;
    c->out_fd = p[0];
    return 0;
}

static void log_banner(devproc *dp, const char *what, const char *command, const char *case_id)
{
    char line[1024];
    snprintf(line, sizeof line, "=== lwm2m-conform: %s%s%s: %s", what, case_id ? " for " : "",
             case_id ? case_id : "", command);
    log_line(dp, line, strlen(line));
}

int devproc_start(devproc *dp, const dut *d, const char *case_id, lc_error *err)
{
    log_banner(dp, "starting the device", dp->opt.command, case_id);
    int r = spawn(dp, d, dp->opt.command, case_id, &dp->dev, err);
    if (r < 0)
        return r;
    dp->starts++;
    dp->died = false;
    log_info(dp->log, "started the device command (pid %d)%s%s", (int)dp->dev.pid,
             case_id ? " for " : "", case_id ? case_id : "");
    return 0;
}

bool devproc_running(devproc *dp, int *status)
{
    bool was = dp->dev.pid > 0;
    drain(dp, &dp->dev);
    reap(&dp->dev);
    if (was && dp->dev.pid <= 0 && !dp->stopping)
        dp->died = true;
    if (dp->dev.pid <= 0 && status)
        *status = dp->dev.exit_status;
    return dp->dev.pid > 0;
}

/* The last lines of the log, on one line: for messages. */
static void tail_line(devproc *dp, char *out, size_t cap)
{
    out[0] = '\0';
    char *t = devproc_log_since(dp, 0, 300);
    if (!t)
        return;
    size_t n = 0;
    for (const char *s = t; *s && n + 4 < cap; s++) {
        if (*s == '\n') {
            if (s[1]) {
                memcpy(out + n, " | ", 3);
                n += 3;
            }
        } else {
            out[n++] = *s;
        }
    }
    out[n] = '\0';
    free(t);
}

bool devproc_watch(void *arg, char *why, size_t cap)
{
    devproc *dp = arg;
    if (dp->stopping || dp->starts == 0)
        return false;
    int status = 0;
    if (devproc_running(dp, &status) || !dp->died)
        return false;
    char tail[400];
    tail_line(dp, tail, sizeof tail);
    snprintf(why, cap, "the device command exited with status %d before the run ended; its log "
             "%s ends: %s", status, dp->opt.log_path, tail[0] ? tail : "(empty)");
    return true;
}

/* Runs d's I/O loop (or waits on the output pipe) for at most 50 ms, until deadline. */
static void pump(dut *d, devproc_child *c, uint64_t deadline)
{
    uint64_t now = mono_ms();
    uint64_t until = now + 50 < deadline ? now + 50 : deadline;
    if (d) {
        net_poll(d->net, until);
    } else {
        struct pollfd pf = {.fd = c->out_fd, .events = POLLIN};
        poll(&pf, c->out_fd >= 0 ? 1 : 0, (int)(until > now ? until - now : 0));
    }
}

static bool stop_child(devproc *dp, dut *d, devproc_child *c, unsigned ms)
{
    if (c->pgid > 0)
        kill(-c->pgid, SIGTERM);
    uint64_t deadline = mono_ms() + ms;
    for (;;) {
        drain(dp, c);
        if (!reap(c))
            break;
        if (mono_ms() >= deadline)
            break;
        pump(d, c, deadline);
    }
    bool killed = false;
    if (c->pid > 0 || c->pgid > 0) {
        killed = true;
        if (c->pgid > 0)
            kill(-c->pgid, SIGKILL);
        int st = 0;
        if (c->pid > 0 && waitpid(c->pid, &st, 0) == c->pid)
            c->exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        c->pid = -1;
        if (c->pgid > 0)
            while (waitpid(-c->pgid, &st, 0) > 0)
                ;
        c->pgid = 0;
    }
    drain(dp, c);
    if (c->out_fd >= 0) { /* a process outside the group still holds the pipe */
        close(c->out_fd);
        c->out_fd = -1;
    }
    return killed;
}

int devproc_stop(devproc *dp, dut *d)
{
    if (dp->dev.pid <= 0 && dp->dev.pgid <= 0) {
        drain(dp, &dp->dev);
        return dp->starts ? dp->dev.exit_status : -1;
    }
    dp->stopping = true;
    if (stop_child(dp, d, &dp->dev, grace_ms(dp)))
        log_warn(dp->log, "the device command did not stop within %u ms of SIGTERM and was killed",
                 grace_ms(dp));
    dp->stopping = false;
    return dp->dev.exit_status;
}

void devproc_close(devproc *dp, dut *d)
{
    devproc_stop(dp, d);
    if (dp->log_fd >= 0)
        close(dp->log_fd);
    dp->log_fd = -1;
}

int devproc_run_once(devproc *dp, dut *d, const char *command, const char *case_id,
                     uint64_t timeout_ms, lc_error *err)
{
    devproc_child c;
    log_banner(dp, "running the reset command", command, case_id);
    int r = spawn(dp, d, command, case_id, &c, err);
    if (r < 0)
        return r;
    uint64_t deadline = mono_ms() + timeout_ms;
    for (;;) {
        drain(dp, &c);
        reap(&c);
        if (c.pid <= 0 || mono_ms() >= deadline)
            break;
        pump(d, &c, deadline);
    }
    bool timed_out = c.pid > 0;
    if (timed_out) {
        stop_child(dp, d, &c, 0);
    } else if (c.out_fd >= 0) {
        /* done when the shell is: what it left running (a board's power-on script may
         * start something) is not waited for, and its later output not logged */
        drain(dp, &c);
        if (c.line_len)
            log_line(dp, c.line, c.line_len);
        close(c.out_fd);
        c.out_fd = -1;
    }
    char tail[400];
    tail_line(dp, tail, sizeof tail);
    if (timed_out)
        return lc_error_set(err, LC_ETIMEDOUT, "the reset command did not finish within %.1f s "
                            "(--reset-timeout) and was killed; its log %s ends: %s",
                            (double)timeout_ms / 1000.0, dp->opt.log_path, tail);
    if (c.exit_status != 0)
        return lc_error_set(err, LC_EPROTO, "the reset command exited with status %d; its log %s "
                            "ends: %s", c.exit_status, dp->opt.log_path, tail);
    return 0;
}

uint64_t devproc_log_offset(devproc *dp)
{
    struct stat st;
    if (dp->log_fd < 0 || fstat(dp->log_fd, &st) < 0)
        return 0;
    return (uint64_t)st.st_size;
}

char *devproc_log_since(devproc *dp, uint64_t offset, size_t max_bytes)
{
    uint64_t size = devproc_log_offset(dp);
    if (size <= offset || max_bytes == 0)
        return NULL;
    uint64_t start = size - offset > max_bytes ? size - max_bytes : offset;
    int fd = open(dp->opt.log_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t len = (size_t)(size - start);
    char *buf = malloc(len + 1);
    ssize_t n = buf ? pread(fd, buf, len, (off_t)start) : -1;
    close(fd);
    if (n <= 0) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    char *from = buf;
    if (start > offset) { /* cut: begin at a whole line */
        char *nl = strchr(buf, '\n');
        if (nl && nl[1])
            from = nl + 1;
    }
    if (from != buf)
        memmove(buf, from, strlen(from) + 1);
    return buf;
}
