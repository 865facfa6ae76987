/* What the run knows of the device under test's objects and values, for deciding whether a
 * case applies: its description (dut.desc), and values a configuration written before
 * descriptions still carries; where neither lists objects, the object list of its newest
 * Register.
 * The test's own objects (Security, Server, Access Control) are the configuration's. */
#ifndef LC_RUN_DEVFACTS_H
#define LC_RUN_DEVFACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "dut/dut.h"
#include "tc/model.h"

/* Whether the device has object obj. Not known (no description listing objects, no
 * Register yet, nothing in the configuration) counts as yes: the case runs and its
 * steps show what the device has. */
bool devfacts_has_object(const dut *d, int obj);
/* Whether the device is known to have the resource (instance) at path, with a value the
 * run can use (requires "value:PATH"). */
bool devfacts_has_value(const dut *d, const char *path);
/* For a "no-value:PATH" requirement: true only when the device's facts give a value at
 * exactly PATH (a resource instance is not assumed from its resource). */
bool devfacts_has_exact_value(const dut *d, const char *path);

/* Without the bootstrap server the device holds the run's configuration (d->cfg) and no
 * other. A case of another configuration (want) can still be played on it when what it
 * does is allowed there: every server account it acts as is held, and where the held
 * configuration has Access Control (two servers or more), an Access Control instance grants
 * the acting server each operation on what the case addresses (C.14 grants Read, Write,
 * Execute, Delete on /1/x and /3/0 only: int-201 runs, int-701's Read of /4/0 and int-680's
 * Create on /3 would be refused 4.01 by a conformant device). Returns true when it can; else
 * false with why saying what is not allowed and how to run the case. */
bool devfacts_config_covers(const dut *d, const config *want, const char *want_name,
                            const tc_case *c, char *why, size_t cap);

/* The reasons, for a SKIPPED case: feature is the requirement as written. */
void devfacts_why_no_object(const dut *d, const char *feature, int obj, char *why, size_t cap);
void devfacts_why_no_value(const dut *d, const char *feature, const char *path, char *why,
                           size_t cap);

#endif
