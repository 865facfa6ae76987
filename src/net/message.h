/* Turning a libcoap PDU into a net_message (declared in net/endpoint.h). Internal to the
 * net modules and the simulator. */
#ifndef LC_NET_MESSAGE_H
#define LC_NET_MESSAGE_H

#include "net/endpoint.h"

/* Fills m from pdu (options, token, payload copied). Returns 0 or -1 (out of memory). */
int net_message_from_pdu(net_message *m, const coap_pdu_t *pdu);
/* Deep copy. Returns 0 or -1 (out of memory; dst is left empty). */
int net_message_copy(net_message *dst, const net_message *src);

/* pdu's bytes as CoAP over UDP carries them (RFC 7252 §3), for a capture: the header
 * (type, code, Message ID, token) from m, which may know better than pdu (a piggy-backed
 * response is sent as an ACK with the request's Message ID), the options and payload from
 * pdu. Returns the length written to buf, 0 when cap is too small. */
size_t net_message_encode(const net_message *m, const coap_pdu_t *pdu, uint8_t *buf, size_t cap);

#endif
