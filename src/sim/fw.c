#include "sim/fw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mono.h"
#include "sim/fwdl.h"
#include "sim/fwpkg.h"
#include "sim/simlog.h"

enum { IDLE = 0, DOWNLOADING = 1, DOWNLOADED = 2, UPDATING = 3 };
#define FAULTY_BLOCK 512u /* the fixed block buffer of fw-ignore-block-size */

struct sim_fw {
    sim_device *dev;
    coap_context_t *ctx;
    logger *lg;
    sim_fw_options opt;
    unsigned szx; /* of opt.block_size */
    int state, result;
    /* push */
    bool pushing;
    uint64_t next_offset;
    bool push_failed;  /* an error result is set; later blocks are taken and dropped */
    bool misplaced;    /* fw-ignore-block-size wrote a block at the wrong offset */
    bool verdict_misplaced; /* the same, for a check after the push (verdict_at) */
    uint64_t pull_at;       /* --fw-idle-before-download: when it starts fetching /5/0/1 */
    bool fake_download;     /* fw-fake-download: Downloaded at verdict_at, nothing fetched */
    sim_fwpkg_check chk;
    /* pull */
    sim_fwdl *dl;
    uint64_t dl_started;
    /* a whole package waiting for its check to "finish" (pull) */
    uint64_t verdict_at;
    int verdict;
    /* the downloaded package */
    char version[32];
    bool install_fails;
    uint64_t update_at;
    bool changed, reboot;
    bool updated; /* the new firmware runs once the device has rebooted */
};

static bool fault(const sim_fw *fw, sim_fault_id id)
{
    return sim_fault_on(&fw->dev->faults, id);
}

static void set_state(sim_fw *fw, int state, int result)
{
    if (fw->state != state || fw->result != result)
        sim_logf(fw->lg, LOG_LVL_INFO, "firmware: State %d -> %d, Update Result %d -> %d",
                 fw->state, state, fw->result, result);
    fw->state = state;
    fw->result = result;
    sim_store_set_int(fw->dev->store, 5, 0, 3, state);
    sim_store_set_int(fw->dev->store, 5, 0, 5, result);
    fw->changed = true;
}

static void abort_download(sim_fw *fw)
{
    sim_fwdl *dl = fw->dl;
    fw->dl = NULL; /* first: freeing it reports its session's NACK, which must not reach it */
    sim_fwdl_free(dl);
    fw->pushing = false;
    fw->verdict_at = 0;
    fw->fake_download = fw->verdict_misplaced = false;
    fw->pull_at = 0;
}

static void reset(sim_fw *fw)
{
    abort_download(fw);
    fw->update_at = 0;
    /* fw-wrong-initial-result: a reset does not clear it either */
    set_state(fw, IDLE, fault(fw, SIM_FAULT_FW_WRONG_INITIAL_RESULT) ? 1 : 0);
}

/* A whole package's check: Downloaded, or Idle with the Update Result of the failure. */
static void apply_verdict(sim_fw *fw, const sim_fwpkg_check *chk, bool misplaced)
{
    int v = sim_fwpkg_verdict(chk, fw->version, sizeof fw->version, &fw->install_fails);
    if (misplaced && v == 0)
        v = 5;
    if (fault(fw, SIM_FAULT_FW_ACCEPT_ANY_PACKAGE) && (v == 5 || v == 6)) {
        v = 0;
        if (!fw->version[0])
            snprintf(fw->version, sizeof fw->version, "unknown");
    }
    if (v == 0)
        set_state(fw, fault(fw, SIM_FAULT_FW_STUCK_DOWNLOADING) ? DOWNLOADING : DOWNLOADED, 0);
    else
        set_state(fw, IDLE, fault(fw, SIM_FAULT_FW_RESULT_NOT_SET) ? 0 : v);
}

static void download_failed(sim_fw *fw, int result)
{
    abort_download(fw);
    if (result == 4 && fault(fw, SIM_FAULT_FW_NO_DOWNLOAD_TIMEOUT)) {
        sim_logf(fw->lg, LOG_LVL_INFO, "firmware: the connection is lost; still Downloading "
                 "(fault fw-no-download-timeout)");
        return;
    }
    set_state(fw, IDLE, fault(fw, SIM_FAULT_FW_RESULT_NOT_SET) ? 0 : result);
}

sim_fw *sim_fw_new(sim_device *dev, coap_context_t *ctx, const sim_fw_options *opt, logger *lg)
{
    if (!sim_store_has_instance(dev->store, 5, 0))
        return NULL;
    sim_fw *fw = calloc(1, sizeof *fw);
    if (!fw)
        return NULL;
    fw->dev = dev;
    fw->ctx = ctx;
    fw->lg = lg;
    fw->opt = *opt;
    if (!fw->opt.storage)
        fw->opt.storage = SIM_FW_DEFAULT_STORAGE;
    if (!fw->opt.block_size)
        fw->opt.block_size = 1024;
    if (!fw->opt.delay_ms)
        fw->opt.delay_ms = 600;
    if (!fw->opt.stall_ms)
        fw->opt.stall_ms = 5000;
    fw->szx = 6;
    while (fw->szx > 0 && (16u << fw->szx) > fw->opt.block_size)
        fw->szx--;
    sim_store_set_executable(dev->store, 5, 0, 2);
    set_state(fw, IDLE, fault(fw, SIM_FAULT_FW_WRONG_INITIAL_RESULT) ? 1 : 0);
    if (fault(fw, SIM_FAULT_FW_NO_DELIVERY_INFO)) {
        sim_store_clear_resource(dev->store, 5, 0, 8);
        sim_store_clear_resource(dev->store, 5, 0, 9);
    }
    fw->changed = false;
    return fw;
}

void sim_fw_free(sim_fw *fw)
{
    if (!fw)
        return;
    abort_download(fw);
    free(fw);
}

static void set_code(coap_pdu_t *resp, int code)
{
    coap_pdu_set_code(resp, (coap_pdu_code_t)COAP_RESPONSE_CODE(code));
}

static void add_block1(coap_pdu_t *resp, uint32_t num, bool more, unsigned szx)
{
    uint8_t buf[4];
    coap_add_option(resp, COAP_OPTION_BLOCK1,
                    coap_encode_var_safe(buf, sizeof buf, num << 4 | (more ? 8u : 0u) | szx), buf);
}

/* PUT /5/0/0: the package, whole or in Block1 blocks. */
static void write_package(sim_fw *fw, const coap_pdu_t *req, coap_pdu_t *resp)
{
    size_t len = 0;
    const uint8_t *data = NULL;
    coap_get_data(req, &len, &data);
    coap_block_t b = {0};
    bool block = coap_get_block(req, COAP_OPTION_BLOCK1, &b);
    if (!block && (len == 0 || (len == 1 && data[0] == 0))) {
        /* '\0' (or nothing): back to the initial state */
        if (fault(fw, SIM_FAULT_FW_RESET_REFUSED)) {
            set_code(resp, 400);
            return;
        }
        reset(fw);
        set_code(resp, 204);
        return;
    }
    if (fw->state == UPDATING || fw->dl) {
        set_code(resp, 405);
        return;
    }
    uint32_t num = block ? b.num : 0;
    unsigned szx = block ? b.szx : 6;
    bool more = block && b.m;
    uint64_t offset = (uint64_t)num << (szx + 4);
    if (fault(fw, SIM_FAULT_FW_IGNORE_BLOCK_SIZE))
        offset = (uint64_t)num * FAULTY_BLOCK;
    if (num == 0) {
        sim_fwpkg_begin(&fw->chk);
        fw->pushing = true;
        fw->next_offset = 0;
        fw->push_failed = fw->misplaced = false;
        set_state(fw, DOWNLOADING, 0);
    }
    if (!fw->pushing) {
        set_code(resp, 408); /* Request Entity Incomplete: no block 0 seen */
        return;
    }
    if (offset != fw->next_offset) {
        if (!fault(fw, SIM_FAULT_FW_IGNORE_BLOCK_SIZE)) {
            set_code(resp, 408);
            return;
        }
        fw->misplaced = true; /* the fault: written where it does not belong */
    }
    if (!fw->push_failed) {
        if (fw->chk.bytes + len > fw->opt.storage && !fault(fw, SIM_FAULT_FW_NO_STORAGE_CHECK)) {
            fw->push_failed = true;
            set_state(fw, IDLE, fault(fw, SIM_FAULT_FW_RESULT_NOT_SET) ? 0 : 2);
            if (fw->opt.refuse_oversized_push) {
                fw->pushing = false; /* RFC 7959 §2.9.3: 4.13, the transfer is over */
                set_code(resp, 413);
                return;
            }
        } else {
            sim_fwpkg_feed(&fw->chk, data, len);
        }
    }
    fw->next_offset = (uint64_t)(num + 1) << (szx + 4);
    if (fault(fw, SIM_FAULT_FW_IGNORE_BLOCK_SIZE))
        fw->next_offset = offset + len;
    /* a block larger than it takes: taken, and a smaller size asked for (RFC 7959 §2.3) */
    unsigned reply_szx = szx > fw->szx ? fw->szx : szx;
    if (more) {
        set_code(resp, 231);
        add_block1(resp, num, true, reply_szx);
        return;
    }
    fw->pushing = false;
    if (!fw->push_failed && fw->opt.check_after_push) {
        fw->verdict_misplaced = fw->misplaced; /* still Downloading while it checks */
        fw->verdict_at = mono_ms() + fw->opt.delay_ms;
    } else if (!fw->push_failed) {
        apply_verdict(fw, &fw->chk, fw->misplaced);
    }
    set_code(resp, 204);
    if (block)
        add_block1(resp, num, false, szx);
}

/* The /5/0/8 number of a URI's protocol; -1 unknown, -2 not a URI. */
static int protocol_of(const char *uri)
{
    static const char *const schemes[] = {"coap://", "coaps://", "http://", "https://",
                                          "coap+tcp://", "coaps+tcp://"};
    for (int i = 0; i < 6; i++)
        if (strncmp(uri, schemes[i], strlen(schemes[i])) == 0)
            return i;
    return strstr(uri, "://") ? -1 : -2;
}

/* What Protocol Support /5/0/8 declares (absent: CoAP only); the device speaks CoAP, CoAPS
 * and HTTP, as far as it declares them. */
static bool declares(const sim_fw *fw, int proto)
{
    if (proto > 2)
        return false;
    uint16_t ids[16];
    size_t n = sim_store_resource_instances(fw->dev->store, 5, 0, 8, ids, 16);
    if (n == 0)
        return proto == 0;
    for (size_t i = 0; i < n && i < 16; i++) {
        lwm2m_path p = {.ids = {5, 0, 8, ids[i]}, .depth = 4};
        const lwm2m_record *r = sim_store_get(fw->dev->store, &p);
        if (r && (r->type == LV_INTEGER || r->type == LV_UNSIGNED) && r->i == proto)
            return true;
    }
    return false;
}

/* Fetches uri (the Package URI written): Downloading until the download ends. */
static void start_pull(sim_fw *fw, const char *uri)
{
    sim_fwdl_options o = {.block_szx = fw->szx, .storage = fw->opt.storage,
                          .check_storage = !fault(fw, SIM_FAULT_FW_NO_STORAGE_CHECK),
                          .stall_ms = fault(fw, SIM_FAULT_FW_NO_DOWNLOAD_TIMEOUT) ? UINT64_MAX / 4
                                                                                  : fw->opt.stall_ms};
    int result = 0;
    set_state(fw, DOWNLOADING, 0);
    if (fault(fw, SIM_FAULT_FW_FAKE_DOWNLOAD)) {
        sim_logf(fw->lg, LOG_LVL_INFO, "firmware: %s not fetched (fault fw-fake-download)", uri);
        if (!fw->version[0])
            snprintf(fw->version, sizeof fw->version, "unknown");
        fw->fake_download = true;
        fw->verdict_at = mono_ms() + fw->opt.delay_ms;
        return;
    }
    fw->dl = sim_fwdl_start(fw->ctx, fw->dev->store, uri, &o, fw->lg, &result);
    fw->dl_started = mono_ms();
    if (!fw->dl) {
        if (result == 9 && fault(fw, SIM_FAULT_FW_PROTOCOL_AS_INVALID_URI))
            result = 7;
        sim_logf(fw->lg, LOG_LVL_INFO, "firmware: cannot download %s (Update Result %d)", uri,
                 result);
        download_failed(fw, result);
    }
}

/* PUT /5/0/1: the Package URI. */
static void write_uri(sim_fw *fw, const coap_pdu_t *req, coap_pdu_t *resp)
{
    size_t len = 0;
    const uint8_t *data = NULL;
    coap_get_data(req, &len, &data);
    char uri[256];
    if (len >= sizeof uri) {
        set_code(resp, 400);
        return;
    }
    memcpy(uri, data ? (const char *)data : "", len);
    uri[len] = '\0';
    if (!uri[0]) {
        if (fault(fw, SIM_FAULT_FW_RESET_REFUSED)) {
            set_code(resp, 400);
            return;
        }
        reset(fw);
        sim_store_set_string(fw->dev->store, 5, 0, 1, "");
        set_code(resp, 204);
        return;
    }
    if (fw->state == UPDATING || fw->dl || fw->pushing || fw->pull_at) {
        set_code(resp, 405);
        return;
    }
    sim_store_set_string(fw->dev->store, 5, 0, 1, uri);
    set_code(resp, 204);
    int proto = protocol_of(uri);
    if (proto < 0 || !declares(fw, proto)) {
        /* a protocol it does not declare in /5/0/8 it does not speak */
        int r = proto == -2 ? 7 : fault(fw, SIM_FAULT_FW_PROTOCOL_AS_INVALID_URI) ? 7 : 9;
        sim_logf(fw->lg, LOG_LVL_INFO, "firmware: %s: %s (Update Result %d)", uri,
                 r == 9 ? "a protocol it does not support" : "not a URI", r);
        set_state(fw, DOWNLOADING, 0);
        download_failed(fw, r);
        return;
    }
    if (fw->opt.idle_before_download) {
        /* the shaped device: Idle for delay_ms before it starts fetching */
        fw->pull_at = mono_ms() + fw->opt.delay_ms;
        return;
    }
    start_pull(fw, uri);
}

/* POST /5/0/2: Update. */
static void execute_update(sim_fw *fw, coap_pdu_t *resp)
{
    if (fw->state != DOWNLOADED && !fault(fw, SIM_FAULT_FW_UPDATE_WITHOUT_PACKAGE)) {
        set_code(resp, 405);
        return;
    }
    set_code(resp, 204);
    if (fw->state != DOWNLOADED)
        return; /* the fault: accepted, and nothing happens */
    set_state(fw, UPDATING, 0);
    fw->update_at = mono_ms() + fw->opt.delay_ms;
}

static bool path_is(const coap_pdu_t *req, const char *want)
{
    char path[64] = "";
    size_t used = 0;
    coap_opt_iterator_t it;
    coap_opt_filter_t f;
    coap_option_filter_clear(&f);
    coap_option_filter_set(&f, COAP_OPTION_URI_PATH);
    coap_option_iterator_init(req, &it, &f);
    coap_opt_t *o;
    while ((o = coap_option_next(&it)) && used + coap_opt_length(o) + 2 < sizeof path) {
        path[used++] = '/';
        memcpy(path + used, coap_opt_value(o), coap_opt_length(o));
        used += coap_opt_length(o);
        path[used] = '\0';
    }
    return strcmp(path, want) == 0;
}

bool sim_fw_handle(sim_fw *fw, const coap_pdu_t *req, coap_pdu_t *resp)
{
    if (!fw)
        return false;
    coap_pdu_code_t m = coap_pdu_get_code(req);
    if (m == COAP_REQUEST_CODE_PUT && path_is(req, "/5/0/0"))
        write_package(fw, req, resp);
    else if (m == COAP_REQUEST_CODE_PUT && path_is(req, "/5/0/1"))
        write_uri(fw, req, resp);
    else if (m == COAP_REQUEST_CODE_POST && path_is(req, "/5/0/2"))
        execute_update(fw, resp);
    else
        return false;
    return true;
}

uint64_t sim_fw_tick(sim_fw *fw, uint64_t now)
{
    uint64_t next = UINT64_MAX;
    if (!fw)
        return next;
    if (fw->pull_at) {
        if (now >= fw->pull_at) {
            fw->pull_at = 0;
            lwm2m_path p = {.ids = {5, 0, 1, LWM2M_ID_NONE}, .depth = 3};
            const lwm2m_record *r = sim_store_get(fw->dev->store, &p);
            char uri[256];
            snprintf(uri, sizeof uri, "%.*s", r ? (int)r->len : 0,
                     r && r->bytes ? (const char *)r->bytes : "");
            start_pull(fw, uri);
        } else {
            next = fw->pull_at;
        }
    }
    if (fw->dl) {
        int result = 0;
        if (sim_fwdl_poll(fw->dl, now, &result)) {
            if (result) {
                sim_logf(fw->lg, LOG_LVL_INFO, "firmware: download failed after %llu bytes",
                         (unsigned long long)sim_fwdl_bytes(fw->dl));
                download_failed(fw, result);
            } else {
                /* whole: checked like a real device would, taking its time */
                sim_fwpkg_check chk = *sim_fwdl_check(fw->dl);
                sim_fwdl_free(fw->dl);
                fw->dl = NULL;
                fw->chk = chk;
                fw->verdict_at = (fw->dl_started + fw->opt.delay_ms > now
                                      ? fw->dl_started + fw->opt.delay_ms
                                      : now) + fw->opt.delay_ms / 2;
                if (fault(fw, SIM_FAULT_FW_WRONG_STATE_SEQUENCE))
                    set_state(fw, UPDATING, 0);
            }
        } else {
            next = now + 100;
        }
    }
    if (fw->verdict_at) {
        if (now >= fw->verdict_at) {
            fw->verdict_at = 0;
            if (fw->fake_download)
                set_state(fw, DOWNLOADED, 0); /* the fault: nothing was fetched */
            else
                apply_verdict(fw, &fw->chk, fw->verdict_misplaced);
            fw->fake_download = false;
            fw->verdict_misplaced = false;
        } else if (fw->verdict_at < next) {
            next = fw->verdict_at;
        }
    }
    if (fw->update_at) {
        if (now >= fw->update_at) {
            fw->update_at = 0;
            bool fails = fw->install_fails || fault(fw, SIM_FAULT_FW_UPDATE_FAILS);
            if (fails && !(fw->install_fails && fault(fw, SIM_FAULT_FW_INSTALL_FAILURE_HIDDEN))) {
                set_state(fw, DOWNLOADED, 8);
            } else if (fails) {
                set_state(fw, IDLE, 1); /* fw-install-failure-hidden: "success", old firmware */
            } else {
                /* the new image is in place: the device reboots into it and reports the
                 * result from there (sim_fw_rebooted) */
                fw->reboot = true;
                fw->updated = true;
                sim_logf(fw->lg, LOG_LVL_INFO, "firmware: %s installed; rebooting", fw->version);
            }
        } else if (fw->update_at < next) {
            next = fw->update_at;
        }
    }
    return next;
}

bool sim_fw_on_response(sim_fw *fw, coap_session_t *s, const coap_pdu_t *received)
{
    return fw && fw->dl && sim_fwdl_on_response(fw->dl, s, received);
}

bool sim_fw_on_nack(sim_fw *fw, coap_session_t *s)
{
    return fw && fw->dl && sim_fwdl_on_nack(fw->dl, s);
}

bool sim_fw_take_changed(sim_fw *fw)
{
    if (!fw || !fw->changed)
        return false;
    fw->changed = false;
    return true;
}

void sim_fw_rebooted(sim_fw *fw)
{
    if (!fw)
        return;
    abort_download(fw); /* a transfer does not survive a reboot */
    fw->update_at = 0;
    if (fw->updated) {
        fw->updated = false;
        if (!fault(fw, SIM_FAULT_FW_VERSION_UNCHANGED)) {
            sim_store_set_string(fw->dev->store, 3, 0, 3, fw->version);
            sim_store_set_string(fw->dev->store, 5, 0, 7, fw->version);
        }
        set_state(fw, IDLE, 1);
        sim_logf(fw->lg, LOG_LVL_INFO, "firmware: running %s", fw->version);
    } else if (fw->state == DOWNLOADING || fw->state == UPDATING) {
        set_state(fw, IDLE, fw->result);
    }
}

bool sim_fw_take_reboot(sim_fw *fw)
{
    if (!fw || !fw->reboot)
        return false;
    fw->reboot = false;
    return true;
}
