/* The body of a Read-Composite, Observe-Composite and its cancel (LwM2M 1.1 §5.4.6,
 * §5.5.1; RFC 8132 FETCH): a SenML pack of names only, one record per path, in SenML JSON
 * (110) or SenML CBOR (112). Not a value format (its records carry no value), so not a
 * content_codec: the tool encodes it, the simulated device decodes it.
 * Decoding resolves bn + n (RFC 8428 §4.5) and ignores value fields; a name must be an
 * LwM2M path ("/" for the root). Memory is bounded by the caps of content.h. */
#ifndef LC_SENML_PATHS_H
#define LC_SENML_PATHS_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "lwm2m/path.h"

#define SENML_PATHS_MAX 64

/* Encodes paths ("/3/0/16", "/") as cf (CF_SENML_JSON or CF_SENML_CBOR). *out is
 * malloc'd; the caller frees it. Returns 0, LC_EINVAL (bad path), LC_EUNSUPPORTED (cf). */
int senml_paths_encode(int cf, const char *const *paths, size_t count, uint8_t **out,
                       size_t *len, lc_error *err);

/* Decodes a pack of cf into at most cap paths. Returns the count (>= 0) or LC_EINVAL /
 * LC_EUNSUPPORTED with err saying what was wrong. */
int senml_paths_decode(int cf, const uint8_t *in, size_t len, lwm2m_path *out, size_t cap,
                       lc_error *err);

#endif
