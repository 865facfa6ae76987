#include "dut/dut.h"

#include "lwm2m/sendsink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int port_for(const dut_options *opt, int ssid, int fallback)
{
    for (size_t i = 0; opt && i < opt->port_count; i++)
        if (opt->ports[i].short_server_id == ssid)
            return opt->ports[i].port;
    return fallback;
}

static int open_account(dut *d, const config_account *a, const dut_options *opt, lc_error *err)
{
    char scheme[16], host[128];
    uint16_t port;
    int r = config_parse_uri(a->uri, scheme, sizeof scheme, host, sizeof host, &port, err);
    if (r < 0)
        return r;
    bool secure = strcmp(scheme, "coaps") == 0;
    if (secure && a->mode != SECURITY_MODE_PSK)
        return lc_error_set(err, LC_EUNSUPPORTED, "%s (/0/%d): security mode %d is not supported "
                            "yet; use PSK (0) or NoSec (3)", a->uri, a->security_instance, (int)a->mode);
    if (!secure && a->mode != SECURITY_MODE_NOSEC)
        return lc_error_set(err, LC_EINVAL, "/0/%d: URI %s is coap:// but the security mode is %d "
                            "(NoSec needs mode 3, DTLS needs coaps://)", a->security_instance,
                            a->uri, (int)a->mode);
    char name[32];
    if (a->bootstrap)
        snprintf(name, sizeof name, "bootstrap");
    else
        snprintf(name, sizeof name, "server %d", a->short_server_id);
    const char *bind = opt && opt->bind_addr ? opt->bind_addr : host;
    net_endpoint_config ec = {
        .name = name,
        .short_server_id = a->bootstrap ? 0 : a->short_server_id,
        .role = a->bootstrap ? NET_ROLE_BOOTSTRAP : NET_ROLE_SERVER,
        .secure = secure,
        .bind_addr = bind,
        .port = (uint16_t)port_for(opt, a->bootstrap ? 0 : a->short_server_id, port),
        .psk_identity = a->psk_identity,
        .psk_identity_len = a->psk_identity_len,
        .psk_key = a->psk_key,
        .psk_key_len = a->psk_key_len,
    };
    r = net_add_endpoint(d->net, &ec, err);
    if (r < 0)
        return r;
    log_info(d->log, "%s listening on %s %s port %u (PSK identity \"%.*s\")", name,
             secure ? "coaps" : "coap", bind, net_endpoint_port(d->net, r),
             secure ? (int)a->psk_identity_len : 0, (const char *)a->psk_identity);
    return 0;
}

int dut_open(dut *d, const config *cfg, logger *log, const dut_options *opt, lc_error *err)
{
    memset(d, 0, sizeof *d);
    d->cfg = cfg;
    instmap_init(&d->instances);
    d->log = log;
    for (size_t i = 0; i < cfg->account_count; i++)
        logger_add_secret(log, cfg->accounts[i].psk_key, cfg->accounts[i].psk_key_len);
    net_options no = {.log = log,
                      .ack_timeout_ms = opt ? opt->ack_timeout_ms : 0,
                      .max_retransmit = opt ? opt->max_retransmit : 0,
                      .ciphersuites = opt ? opt->ciphersuites : NULL};
    d->net = net_new(&no, err);
    if (!d->net)
        return err ? err->code : LC_EIO;
    d->reg = registry_new(d->net, err);
    if (!d->reg) {
        dut_close(d);
        return err ? err->code : LC_ENOMEM;
    }
    int rs = sendsink_attach(d->net, err);
    if (rs < 0) {
        dut_close(d);
        return rs;
    }
    bool any = false;
    for (size_t i = 0; i < cfg->account_count; i++) {
        const config_account *a = &cfg->accounts[i];
        if (a->bootstrap && !(opt && opt->bootstrap))
            continue;
        int r = open_account(d, a, opt, err);
        if (r < 0) {
            dut_close(d);
            return r;
        }
        any = any || !a->bootstrap;
    }
    if (!any) {
        dut_close(d);
        return lc_error_set(err, LC_EINVAL, "%s has no LwM2M server account (a /0/x with "
                            "/0/x/1 false and a Short Server ID)", cfg->source);
    }
    return 0;
}

void dut_close(dut *d)
{
    registry_free(d->reg);
    d->reg = NULL;
    net_free(d->net);
    d->net = NULL;
}

int dut_endpoint_uri(const dut *d, int ssid, const char *advertise_host, char *buf, size_t cap)
{
    int e = net_endpoint_by_ssid(d->net, ssid);
    const config_account *a = ssid == 0 ? config_bootstrap(d->cfg) : config_server(d->cfg, ssid);
    if (e < 0 || !a)
        return LC_ENOTFOUND;
    char scheme[16], host[128];
    uint16_t port;
    if (config_parse_uri(a->uri, scheme, sizeof scheme, host, sizeof host, &port, NULL) < 0)
        return LC_EINVAL;
    const char *h = advertise_host ? advertise_host : host;
    bool v6 = strchr(h, ':') != NULL;
    snprintf(buf, cap, "%s://%s%s%s:%u", scheme, v6 ? "[" : "", h, v6 ? "]" : "",
             net_endpoint_port(d->net, e));
    return 0;
}

int dut_parse_port_override(dut_options *opt, const char *arg, lc_error *err)
{
    const char *eq = strchr(arg, '=');
    if (!eq || opt->port_count == DUT_MAX_PORT_OVERRIDES)
        return lc_error_set(err, LC_EINVAL, "--port %s: expected SSID=PORT (e.g. 1=5684, bs=5784, "
                            "2=0 for any free port)", arg);
    int ssid;
    if (strncmp(arg, "bs=", 3) == 0) {
        ssid = 0;
    } else {
        char *end;
        long v = strtol(arg, &end, 10);
        if (end != eq || v < 1 || v > 65534)
            return lc_error_set(err, LC_EINVAL, "--port %s: the Short Server ID must be 1..65534 "
                                "or \"bs\"", arg);
        ssid = (int)v;
    }
    char *end;
    long port = strtol(eq + 1, &end, 10);
    if (*end || end == eq + 1 || port < 0 || port > 65535)
        return lc_error_set(err, LC_EINVAL, "--port %s: the port must be 0..65535", arg);
    opt->ports[opt->port_count++] = (dut_port_override){ssid, (int)port};
    return 0;
}
