/* The simulated device's content formats: what it answers a Read or Bootstrap-Read in,
 * what it asks for with pct in its Bootstrap-Request, which formats it takes in a Write,
 * and the format faults that act on its payloads.
 *
 * The rules (docs/simdev.md repeats them):
 *   - a Read with an Accept is answered in that format when the tool's codecs have it and
 *     it fits (text and opaque: one resource only), else 4.06 Not Acceptable;
 *   - a Read without an Accept: one resource in text/plain (opaque in
 *     application/octet-stream); several in the format its Bootstrap-Request asked for
 *     with pct when that carries several, else in its version's default: TLV for LwM2M
 *     1.0, SenML JSON for 1.1, SenML CBOR for 1.2;
 *   - pct: none for LwM2M 1.0; OMA JSON (11543) for 1.1 and SenML CBOR (112) for 1.2
 *     unless --pct says otherwise (--pct none sends none);
 *   - a Write is decoded in whatever format the tool's codecs know (415 otherwise).
 * Faults: senml-malformed-record and senml-wrong-basename change SenML JSON payloads,
 * cbor-wrong-major-type SenML CBOR and LwM2M CBOR ones; pct-unsupported refuses
 * Bootstrap-Writes in the format the device itself asked for (sim/bootstrap.c). */
#ifndef LC_SIM_FORMATS_H
#define LC_SIM_FORMATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lwm2m/content/value.h"
#include "sim/device.h"

/* sim_device.pct before --pct: the version's default (above). */
#define SIM_PCT_DEFAULT (-2)

/* The pct its Bootstrap-Request carries, or CF_NONE for none. */
int sim_formats_pct(const sim_device *d);

/* The format of a Read without Accept: single is true when the request names one value
 * (a resource that is not multiple, or a resource instance); only_opaque when that value
 * is opaque. */
int sim_formats_read_default(const sim_device *d, bool single, bool only_opaque);

/* True when the device can answer in cf (single as above). */
bool sim_formats_can_answer(int cf, bool single);

/* Encodes recs as cf for path, as the device's faults would have it. *out is malloc'd.
 * Returns 0, or LC_EINVAL/LC_EUNSUPPORTED/LC_ENOMEM with err set. */
int sim_formats_encode(const sim_device *d, int cf, const lwm2m_path *path,
                       const lwm2m_records *recs, uint8_t **out, size_t *len, lc_error *err);

/* Short content-format name for logs: "TLV", "text", "SenML JSON", … */
const char *sim_formats_short(int cf);

#endif
