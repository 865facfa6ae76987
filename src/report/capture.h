/* The --pcap capture: every CoAP message of a run, decrypted, as UDP over IPv4 or IPv6
 * with the real addresses and ports, in classic pcap files written by libpcap
 * (pcap_dump; link type RAW: each packet starts with its IP header), which Wireshark's
 * CoAP and LwM2M dissectors and tshark read as they are.
 *
 * One file holds the whole run (the path given); each case's messages also go to a file
 * of their own beside it, "<path without .pcap>.<case id>.pcap", which is how a case's
 * part is marked (classic pcap has no packet comments; docs/capture.md says why not
 * pcapng). The packets come from the message trace (net_set_capture) with every PSK key
 * already blanked. */
#ifndef LC_REPORT_CAPTURE_H
#define LC_REPORT_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "common/err.h"

typedef struct capture capture;

/* Creates (truncates) path. Returns NULL with err set (a message naming path). */
capture *capture_open(const char *path, lc_error *err);
/* Closes every file; NULL is fine. */
void capture_close(capture *c);

/* From now on the packets go to the case's own file too (case_id: "int-101"; characters
 * other than letters, digits, '-', '_' and '.' become '_'). Ends the previous case's
 * file. Returns 0, or LC_EIO with err set (the whole-run file goes on). */
int capture_case_begin(capture *c, const char *case_id, lc_error *err);
/* The case's file is complete. */
void capture_case_end(capture *c);
/* The file of the case under way (NULL outside a case); of the whole run. */
const char *capture_case_path(const capture *c);
const char *capture_path(const capture *c);

/* Writes one UDP datagram: from remote to local when in (the device sent it), else from
 * local to remote. Addresses are AF_INET or AF_INET6 (an IPv4-mapped IPv6 address pairs
 * with an IPv4 one); another family is not written. The time stamp is now. */
void capture_packet(capture *c, bool in, const struct sockaddr *local,
                    const struct sockaddr *remote, const uint8_t *data, size_t len);
/* How many packets the whole-run file holds. */
size_t capture_count(const capture *c);

/* The datagram as an IPv4 or IPv6 packet with its UDP header and checksums (what the
 * files hold), into buf. Returns its length, or 0 (unknown family, too long, cap too
 * small). Exposed for the unit test. */
size_t capture_build_ip(const struct sockaddr *src, const struct sockaddr *dst,
                        const uint8_t *data, size_t len, uint8_t *buf, size_t cap);

#endif
