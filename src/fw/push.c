#include "fw/push.h"

#include <stdio.h>
#include <string.h>

#include "common/mono.h"
#include "dut/exchange.h"

#define MAX_RESTARTS 4

static void detail(step_outcome *o, const fw_push_stats *st, uint64_t size, const char *why)
{
    char d[sizeof o->detail];
    snprintf(d, sizeof d, "push of %llu bytes: %u blocks sent, %llu bytes acknowledged, block "
             "size %u%s%s in %.2f s%s%s",
             (unsigned long long)size, st->blocks, (unsigned long long)st->bytes, st->block_size,
             st->shrinks || st->restarts ? " (as the device asked)" : "",
             st->continues ? ", 2.31 Continue to each but the last" : "",
             (double)st->elapsed_ms / 1000.0, why ? "; " : "", why ? why : "");
    if (o->detail[0] && o->status != OUTCOME_OK) {
        size_t l = strlen(d);
        snprintf(d + l, sizeof d - l, "; %s", o->detail);
    }
    snprintf(o->detail, sizeof o->detail, "%s", d);
}

void fw_push(net_ctx *n, coap_session_t *session, int endpoint, const char *path,
             const fw_package *pkg, unsigned first_szx, uint64_t deadline, step_outcome *o,
             fw_push_stats *st)
{
    memset(st, 0, sizeof *st);
    uint64_t t0 = mono_ms(), size = fw_package_size(pkg), offset = 0;
    unsigned szx = first_szx < 4 ? 4 : first_szx > 6 ? 6 : first_szx;
    uint8_t buf[1024];
    for (;;) {
        size_t bsize = (size_t)16 << szx;
        uint32_t num = (uint32_t)(offset / bsize);
        long got = fw_package_read(pkg, offset, buf, bsize);
        if (got < 0) {
            o->status = OUTCOME_TOOL_ERROR;
            snprintf(o->detail, sizeof o->detail, "cannot read %s", fw_package_describe(pkg));
            break;
        }
        bool more = offset + (uint64_t)got < size;
        net_request_spec spec = {.method = COAP_REQUEST_CODE_PUT, .path = path, .accept = -1,
                                 .content_format = 42, .observe = -1, .payload = buf,
                                 .payload_len = (size_t)got, .has_block1 = true,
                                 .block1 = num << 4 | (more ? 8u : 0u) | szx,
                                 .size1 = offset == 0 ? size : 0};
        st->blocks++;
        st->block_size = (unsigned)bsize;
        exchange_run(n, session, endpoint, &spec, deadline, o);
        if (o->status != OUTCOME_OK)
            break;
        const net_message *r = &o->response;
        int cls = r->code >> 5;
        if (r->code == COAP_RESPONSE_CODE(413)) {
            /* Request Entity Too Large: a smaller block size asked for, or the whole */
            if (r->has_block1 && (r->block1 & 7u) < szx && st->restarts < MAX_RESTARTS) {
                szx = r->block1 & 7u;
                offset = 0;
                st->bytes = 0;
                st->restarts++;
                continue;
            }
            if (!r->has_block1 && !(r->size1 && r->size1 < size) && offset == 0 && szx > 4 &&
                st->restarts < MAX_RESTARTS) {
                szx--;
                st->restarts++;
                continue;
            }
            break; /* the device's final answer */
        }
        if (cls != 2)
            break; /* the device refused the block: its answer ends the transfer */
        st->bytes = offset + (uint64_t)got;
        if (!more)
            break; /* the final answer */
        if (r->code == COAP_RESPONSE_CODE(231))
            st->continues++;
        /* RFC 7959 §2.3: a smaller SZX in the answer sets the size from the next block on */
        offset += (uint64_t)got;
        if (r->has_block1 && (r->block1 & 7u) < szx) {
            szx = r->block1 & 7u;
            st->shrinks++;
        }
        if (offset % ((uint64_t)16 << szx)) {
            o->status = OUTCOME_TOOL_ERROR;
            snprintf(o->detail, sizeof o->detail, "block size change leaves offset %llu unaligned",
                     (unsigned long long)offset);
            break;
        }
        if (mono_ms() >= deadline) {
            o->status = OUTCOME_TIMEOUT;
            snprintf(o->detail, sizeof o->detail, "the push was not finished by its deadline");
            break;
        }
    }
    st->elapsed_ms = mono_ms() - t0;
    o->elapsed_ms = st->elapsed_ms;
    detail(o, st, size, NULL);
}
