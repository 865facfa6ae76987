/* Push delivery (LwM2M 1.0 §E.6, ETS int-755/760/770): a Write of the package to
 * /5/0/0 in Block1 transfers (RFC 7959), each block a CON request through the one
 * send-and-await (dut/exchange), read from the package file as it goes.
 *
 * Done here rather than by libcoap 4.3's COAP_BLOCK_USE_LIBCOAP client mode, which needs
 * the whole body in memory for the transfer (coap_add_data_large_request) and hides each
 * block's answer: the tool must stream, honour the size the device asks for and show what
 * the device said to each block.
 *
 * The block size: 1024 bytes first (SZX 6), smaller whenever the device asks: a Block1
 * option with a smaller SZX in a 2.31 Continue (the next block continues at the same
 * offset in the smaller size), or a 4.13 Request Entity Too Large carrying Block1 (the
 * transfer starts again in that size); a 4.13 with Size1 below the package's size is the
 * device's final answer (it cannot take the package). Retransmissions are libcoap's (CON,
 * ACK_TIMEOUT, MAX_RETRANSMIT). */
#ifndef LC_FW_PUSH_H
#define LC_FW_PUSH_H

#include <stdint.h>

#include "dut/outcome.h"
#include "fw/package.h"
#include "net/endpoint.h"

typedef struct fw_push_stats {
    uint64_t bytes;       /* body bytes acknowledged with 2.31 or a final 2.xx */
    unsigned blocks;      /* requests sent */
    unsigned block_size;  /* the size the transfer ended with */
    unsigned restarts;    /* 4.13 with a smaller Block1: started again */
    unsigned shrinks;     /* 2.31 with a smaller Block1 */
    unsigned continues;   /* 2.31 answers */
    uint64_t elapsed_ms;
} fw_push_stats;

/* Pushes pkg to path ("/5/0/0") on session until deadline (mono_ms). o ends with the
 * last block's request and the device's answer to it (the final 2.04, or the answer that
 * ended the transfer), and a detail naming the blocks, the size and the time. first_szx
 * is the size to start with (4..6). */
void fw_push(net_ctx *n, coap_session_t *session, int endpoint, const char *path,
             const fw_package *pkg, unsigned first_szx, uint64_t deadline, step_outcome *o,
             fw_push_stats *st);

#endif
