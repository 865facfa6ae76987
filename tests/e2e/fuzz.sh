#!/bin/bash
# Every libFuzzer target briefly (FUZZ_BRIEF seconds each, 1 by default, two at a time)
# from its seed corpus, which also replays every regression input kept there. `make fuzz`
# runs them for long; figures in docs/reliability.md.
cd "$(dirname "$0")/../.."
FUZZ_JOBS=${FUZZ_JOBS:-2} exec tests/fuzz/run "${FUZZ_BRIEF:-1}"
