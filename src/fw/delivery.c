#include "fw/delivery.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fw_delivery {
    fw_options opt;
    fw_package *pkgs[FW_PKG__COUNT];
    fw_server *server;
};

static const struct {
    const char *option;
    const char *what;
} needs[FW_PKG__COUNT] = {
    [FW_PKG_FIRMWARE] = {"--firmware FILE --firmware-version V",
                         "a package the device accepts and installs"},
    [FW_PKG_CORRUPT] = {"--firmware FILE (the tool corrupts a copy) or --firmware-corrupt FILE",
                        "a package that fails the device's integrity check"},
    [FW_PKG_UNSUPPORTED] = {"--firmware-unsupported FILE", "a package type the device does not support"},
    [FW_PKG_INSTALL_FAILURE] = {"--firmware-install-fail FILE",
                                "a package that downloads but fails to install"},
    [FW_PKG_OVERSIZED] = {"--firmware FILE and --firmware-storage BYTES (the device's storage)",
                          "a package larger than the device's storage"},
};

fw_delivery *fw_delivery_new(net_ctx *n, const fw_options *opt, lc_error *err)
{
    fw_delivery *f = calloc(1, sizeof *f);
    if (!f) {
        lc_error_set(err, LC_ENOMEM, "out of memory");
        return NULL;
    }
    f->opt = *opt;
    if (!f->opt.phase_timeout_ms)
        f->opt.phase_timeout_ms = FW_DEFAULT_PHASE_TIMEOUT_MS;
    if (!f->opt.poll_ms)
        f->opt.poll_ms = FW_DEFAULT_POLL_MS;
    if (!f->opt.bind_addr)
        f->opt.bind_addr = "127.0.0.1";
    const struct {
        const char *path;
        fw_package_kind kind;
    } files[] = {{opt->firmware, FW_PKG_FIRMWARE},
                 {opt->corrupt, FW_PKG_CORRUPT},
                 {opt->unsupported, FW_PKG_UNSUPPORTED},
                 {opt->install_failure, FW_PKG_INSTALL_FAILURE}};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (files[i].path && !(f->pkgs[files[i].kind] = fw_package_open(files[i].path, files[i].kind, err))) {
            fw_delivery_free(f);
            return NULL;
        }
    const fw_package *base = f->pkgs[FW_PKG_FIRMWARE];
    if (base && !f->pkgs[FW_PKG_CORRUPT] &&
        !(f->pkgs[FW_PKG_CORRUPT] = fw_package_derive(base, FW_PKG_CORRUPT, 0, err))) {
        fw_delivery_free(f);
        return NULL;
    }
    if (base && opt->storage_bytes &&
        !(f->pkgs[FW_PKG_OVERSIZED] =
              fw_package_derive(base, FW_PKG_OVERSIZED, opt->storage_bytes + 4096, err))) {
        fw_delivery_free(f);
        return NULL;
    }
    if (base && !(f->server = fw_server_new(n, f->opt.bind_addr, opt->host, true, err))) {
        fw_delivery_free(f);
        return NULL;
    }
    return f;
}

void fw_delivery_free(fw_delivery *f)
{
    if (!f)
        return;
    fw_server_free(f->server);
    /* derived packages read their base: free them first */
    fw_package_free(f->pkgs[FW_PKG_OVERSIZED]);
    fw_package_free(f->pkgs[FW_PKG_CORRUPT]);
    for (int k = 0; k < FW_PKG__COUNT; k++)
        if (k != FW_PKG_OVERSIZED && k != FW_PKG_CORRUPT)
            fw_package_free(f->pkgs[k]);
    free(f);
}

const fw_options *fw_delivery_options(const fw_delivery *f)
{
    return &f->opt;
}

const fw_package *fw_delivery_package(const fw_delivery *f, fw_package_kind kind, char *why,
                                      size_t cap)
{
    if ((int)kind < 0 || kind >= FW_PKG__COUNT) {
        snprintf(why, cap, "unknown package kind");
        return NULL;
    }
    if (f && f->pkgs[kind] && (kind != FW_PKG_FIRMWARE || f->opt.version))
        return f->pkgs[kind];
    if (kind == FW_PKG_FIRMWARE && f && f->pkgs[kind])
        snprintf(why, cap, "needs --firmware-version V: the version the device reports in "
                 "/3/0/3 after installing --firmware");
    else
        snprintf(why, cap, "needs %s: %s", needs[kind].option, needs[kind].what);
    return NULL;
}

fw_server *fw_delivery_server(fw_delivery *f)
{
    return f ? f->server : NULL;
}
