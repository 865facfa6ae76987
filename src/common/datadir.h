/* Where the tool's data is: the test cases (testcases/), the fixtures (fixtures/c14.json)
 * and the object definitions (fixtures/objects/), for an installed tool and a checkout
 * alike. Nothing of the build machine is compiled in. */
#ifndef LC_DATADIR_H
#define LC_DATADIR_H

#include <stddef.h>

#include "common/err.h"

/* The environment variable that names the data directory; `--datadir DIR` sets it, so the
 * simulated device (another process) finds the same files. */
#define DATADIR_ENV "LWM2M_CONFORM_DATADIR"
/* Below the installation prefix: <prefix>/share/lwm2m-conform. */
#define DATADIR_SHARE "share/lwm2m-conform"

/* Finds the data directory, in this order:
 *   1. $LWM2M_CONFORM_DATADIR (an error when it is set but not a directory);
 *   2. <directory of the executable>/../share/lwm2m-conform (make install, the .deb);
 *   3. the source tree the executable sits in: the nearest of its parent directories (up
 *      to four levels) that holds both testcases/ and fixtures/ (build/lwm2m-conform,
 *      build/san/…, build/tests/…).
 * Writes the directory to buf and returns 0, or LC_ENOTFOUND with err saying where it
 * looked and how to point at it. */
int datadir_find(char *buf, size_t cap, lc_error *err);

#endif
