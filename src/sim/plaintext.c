#include "sim/plaintext.h"

#include <stdio.h>
#include <string.h>

#include "lwm2m/content/content.h"
#include "sim/device.h"
#include "sim/ops.h"

int sim_plaintext_read_format(const sim_device *d, int accept)
{
    if (accept == CF_TEXT && sim_fault_on(&d->faults, SIM_FAULT_IGNORE_ACCEPT_TEXT))
        return CF_TLV;
    return accept;
}

int sim_plaintext_write(sim_device *d, const lwm2m_path *path, sim_request *req, char *detail,
                        size_t cap)
{
    /* a Write on a resource without a Content-Format is read as text (sim/ops) */
    bool text = req->content_format == CF_TEXT ||
                (req->content_format == CF_NONE && path->depth >= 3);
    if (!text)
        return 0;
    if (sim_fault_on(&d->faults, SIM_FAULT_TEXT_WRITE_UNSUPPORTED)) {
        snprintf(detail, cap, "fault text-write-unsupported: no Plain Text decoder");
        return 415;
    }
    sim_text_rx *rx = &d->text_rx;
    if (!sim_fault_on(&d->faults, SIM_FAULT_TEXT_WRITE_UNTERMINATED) ||
        req->payload_len > sizeof rx->buf)
        return 0;
    if (req->payload_len)
        memcpy(rx->buf, req->payload, req->payload_len);
    if (req->payload_len > rx->len)
        rx->len = req->payload_len;
    req->payload = rx->buf;
    req->payload_len = rx->len;
    return 0;
}
