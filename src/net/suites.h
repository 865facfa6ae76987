/* (D)TLS cipher suites by name: what --ciphersuites accepts, and how the report names the
 * suites a peer offered. Names are Mbed TLS's ("TLS-PSK-WITH-AES-128-CCM-8"); the IANA
 * spelling with '_' ("TLS_PSK_WITH_AES_128_CCM_8") is accepted too. Used by the tool's
 * endpoints and by the simulated device. */
#ifndef LC_NET_SUITES_H
#define LC_NET_SUITES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* The suite LwM2M 1.0 makes mandatory for PSK (TS 1.0 §7.1.7 / 1.1 Transport §5.2.2). */
#define NET_SUITE_LWM2M_MANDATORY "TLS-PSK-WITH-AES-128-CCM-8"

/* Checks a ','-separated list and writes it to out in Mbed TLS spelling, ','-separated.
 * Returns 0, or LC_EINVAL with err naming the unknown suite (and the PSK suites this build
 * knows). */
int net_suites_normalize(const char *list, char *out, size_t cap, lc_error *err);

/* The PSK and ECDHE-PSK suites this Mbed TLS knows, ", "-separated, into buf. */
void net_suites_list_psk(char *buf, size_t cap);

/* "TLS-PSK-WITH-AES-128-CCM-8, TLS-ECDHE-PSK-…" (unknown numbers as 0x…) into buf. */
void net_suites_format(const uint16_t *ids, size_t n, char *buf, size_t cap);

/* Whether a normalized list (as net_suites_normalize writes) holds one of ids. */
bool net_suites_any_in(const char *list, const uint16_t *ids, size_t n);

#endif
