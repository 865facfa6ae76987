/* serve: the server endpoints (and with --bootstrap the bootstrap server) run until
 * interrupted, printing every connection and registration as text or JSON events. */
#include <stdio.h>
#include <string.h>

#include "bs/bootstrap.h"
#include "cli/commands.h"
#include "cli/device.h"
#include "report/capture.h"
#include "report/keylog.h"
#include "common/mono.h"

static void json_escape(char *out, size_t cap, const char *s)
{
    size_t n = 0;
    for (; *s && n + 7 < cap; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            out[n++] = '\\';
            out[n++] = (char)ch;
        } else if (ch < 0x20) {
            n += (size_t)snprintf(out + n, cap - n, "\\u%04x", ch);
        } else {
            out[n++] = (char)ch;
        }
    }
    out[n] = '\0';
}

struct serve_ctx {
    logger *lg;
    dut *d;
    bool json;
    uint64_t t0;
};

static void serve_event(void *arg, const net_event *ev)
{
    struct serve_ctx *s = arg;
    if (ev->kind == NET_EV_RESPONSE || ev->kind == NET_EV_NOTIFICATION || ev->kind == NET_EV_REQUEST)
        return;
    char summary[1024] = "";
    if (ev->msg.code)
        net_message_summary_redacted(&ev->msg, ev->msg.code < 32, 300, s->lg, summary, sizeof summary);
    const char *ep = net_endpoint_name(s->d->net, ev->endpoint);
    if (s->json) {
        char e_detail[1100], e_sum[2100], e_id[400], e_peer[200], e_name[600];
        json_escape(e_detail, sizeof e_detail, ev->detail);
        json_escape(e_sum, sizeof e_sum, summary);
        json_escape(e_id, sizeof e_id, ev->psk_identity);
        json_escape(e_peer, sizeof e_peer, ev->peer);
        json_escape(e_name, sizeof e_name, ev->endpoint_name);
        log_out(s->lg,
                "{\"time\":%.3f,\"event\":\"%s\",\"server\":\"%s\",\"short_server_id\":%d,"
                "\"peer\":\"%s\",\"psk_identity\":\"%s\",\"cipher_suite\":\"%s\",\"endpoint\":\"%s\","
                "\"registration\":\"%s\",\"message\":\"%s\",\"detail\":\"%s\"}\n",
                (double)(ev->at_ms - s->t0) / 1000.0, net_event_kind_name(ev->kind), ep,
                ev->short_server_id, e_peer, e_id, ev->cipher_suite, e_name, ev->registration_id,
                e_sum, e_detail);
    } else {
        log_out(s->lg, "[%8.3f] %-9s %-18s %s%s%s%s%s%s%s\n", (double)(ev->at_ms - s->t0) / 1000.0, ep,
                net_event_kind_name(ev->kind), ev->peer,
                ev->psk_identity[0] ? " identity=" : "", ev->psk_identity,
                ev->cipher_suite[0] ? " " : "", ev->cipher_suite,
                summary[0] || ev->detail[0] ? "\n           " : "", summary[0] ? summary : ev->detail);
    }
}

static bool match_any(const net_event *ev, void *arg)
{
    (void)ev;
    (void)arg;
    return true;
}

static bool match_bs_request(const net_event *ev, void *arg)
{
    (void)arg;
    return ev->kind == NET_EV_BOOTSTRAP_REQUEST;
}


static void serve_packet(void *arg, const net_packet *p)
{
    capture_packet(arg, p->in, p->local, p->remote, p->data, p->len);
}

static void serve_keylog(void *arg, const char *line)
{
    keylog_write(arg, line);
}

int cli_cmd_serve(cli_args *a, logger *lg, volatile sig_atomic_t *stop)
{
    config cfg;
    dut d;
    int r = cli_open_dut(a, &cfg, &d, lg);
    if (r)
        return r;
    lc_error err = {0};
    /* --pcap and --keylog as in run (one capture file: serve has no cases) */
    capture *cap = NULL;
    keylog *kl = NULL;
    if ((a->pcap_path && !(cap = capture_open(a->pcap_path, &err))) ||
        (a->keylog_path && (!(kl = keylog_open(a->keylog_path, &err)) ||
                            net_set_keylog(d.net, serve_keylog, kl, &err) < 0))) {
        log_error(lg, "%s", err.msg);
        capture_close(cap);
        keylog_close(kl);
        dut_close(&d);
        return EXIT_TOOL;
    }
    if (cap)
        net_set_capture(d.net, serve_packet, cap);
    bootstrap_server *bs = NULL;
    if (a->bootstrap) {
        bootstrap_options bo = {.advertise_host = a->advertise, .content_format = -1,
                                .account_iid_given = a->bootstrap_account_iid >= 0,
                                .account_iid = a->bootstrap_account_iid};
        bs = bootstrap_new(&d, &bo, &err);
        if (!bs) {
            log_error(lg, "%s", err.msg);
            dut_close(&d);
            capture_close(cap);
            keylog_close(kl);
            return EXIT_TOOL;
        }
    }
    struct serve_ctx s = {lg, &d, a->json_events, mono_ms()};
    net_set_observer(d.net, serve_event, &s);
    net_set_stop_flag(d.net, stop);
    for (size_t i = 0; i < net_endpoint_count(d.net); i++) {
        if (a->json_events)
            log_out(lg, "{\"time\":0.000,\"event\":\"listening\",\"server\":\"%s\",\"short_server_id\":%d,"
                    "\"port\":%u}\n", net_endpoint_name(d.net, (int)i), net_endpoint_ssid(d.net, (int)i),
                    net_endpoint_port(d.net, (int)i));
        else
            log_out(lg, "%s: listening on UDP port %u\n", net_endpoint_name(d.net, (int)i),
                    net_endpoint_port(d.net, (int)i));
    }
    if (!a->json_events)
        log_out(lg, "waiting for devices (Ctrl-C to stop)\n");
    /* serve runs until interrupted: events are printed by the observer as they are
     * queued and taken here at once, so a serve that runs for weeks holds none of them;
     * with --bootstrap every device that asks is provisioned, so a user can watch a
     * factory-fresh device go from Bootstrap-Request to its two registrations */
    while (!net_interrupted(d.net)) {
        net_event *ev = NULL;
        if (net_wait(d.net, match_any, NULL, mono_ms() + 1000, &ev) == 0) {
            if (bs && ev->kind == NET_EV_BOOTSTRAP_REQUEST)
                net_unget(d.net, ev); /* the bootstrap server's own wait takes it */
            else
                net_event_free(ev);
        }
        if (bs && net_peek(d.net, match_bs_request, NULL)) {
            char summary[1024] = "";
            bootstrap_forget_device(bs);
            uint64_t ms = a->timeout_s > 0 ? (uint64_t)(a->timeout_s * 1000.0) : 30000;
            int pr = bootstrap_provision_device(bs, ms, summary, sizeof summary, &err);
            if (pr == 0 && a->json_events) {
                char esc[2100];
                json_escape(esc, sizeof esc, summary);
                log_out(lg, "{\"time\":%.3f,\"event\":\"bootstrap-provisioned\",\"server\":\"bootstrap\","
                        "\"detail\":\"%s\"}\n", (double)(mono_ms() - s.t0) / 1000.0, esc);
            } else if (pr == 0) {
                log_out(lg, "bootstrap: provisioned the device: %s\n", summary);
            }
            else if (pr != LC_EINTR)
                log_error(lg, "bootstrap: %s", err.msg);
        }
    }
    if (net_events_dropped(d.net, -1))
        log_warn(lg, "%zu events arrived faster than they could be shown and were dropped "
                 "(queue limit %d)", net_events_dropped(d.net, -1), NET_MAX_QUEUED_EVENTS);
    bootstrap_free(bs);
    dut_close(&d);
    capture_close(cap);
    keylog_close(kl);
    return EXIT_PASS;
}
