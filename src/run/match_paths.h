/* The within_paths check: a composite response (Read-Composite, Observe-Composite, LwM2M
 * 1.1 §5.4.6) carries values only at or under the paths the request named. Beside the
 * other matchers (run/match), in its own module because only composite steps use it. */
#ifndef LC_RUN_MATCH_PATHS_H
#define LC_RUN_MATCH_PATHS_H

#include "run/match.h"

/* Judges o's response payload against o->step->paths (a plain read's: its path). A response without a payload
 * passes (nothing outside); a payload that does not decode fails with the reason. */
void match_within_paths(const tc_check *check, const step_outcome *o, match_result *out);

#endif
