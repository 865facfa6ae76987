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

/* Whether the device has object obj. Not known (no description listing objects, no
 * Register yet, nothing in the configuration) counts as yes: the case runs and its
 * steps show what the device has. */
bool devfacts_has_object(const dut *d, int obj);
/* Whether the device is known to have the resource (instance) at path, with a value the
 * run can use (requires "value:PATH"). */
bool devfacts_has_value(const dut *d, const char *path);

/* The reasons, for a SKIPPED case: feature is the requirement as written. */
void devfacts_why_no_object(const dut *d, const char *feature, int obj, char *why, size_t cap);
void devfacts_why_no_value(const dut *d, const char *feature, const char *path, char *why,
                           size_t cap);

#endif
