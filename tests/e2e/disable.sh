#!/bin/bash
# int-103 (Deregistration) with the configuration's own Disable Timeout (C.14: 86400 s,
# longer than --max-wait): criteria A-C are judged, the re-Register after the Disable
# Timeout is not waited for (a note says so), the case plays after every case that needs
# the device registered, and a case after it finds the device started again. Faults fail
# A, B and C. Free ports (run --sim picks them); no sleeps.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

T=$(scaled 5)
order_of() { sed -n 's/^[A-Z]*  \(int-[0-9]*\)  .*/\1/p' "$1" | tr '\n' ' ' | sed 's/ $//'; }

# The bench flow (no --bootstrap): int-103 last, A-C judged, the note.
"$TOOL" run --sim --no-color --timeout "$T" --only int-103,int-222,int-201 >"$TMP/bench.txt" 2>&1; rc=$?
check "bench: int-103 PASSes with C.14's 86400 s Disable Timeout (exit $rc)" \
    test "$(verdict_of "$TMP/bench.txt" int-103)/$rc" = PASS/0
check "bench: int-103 is played last ($(order_of "$TMP/bench.txt"))" \
    test "$(order_of "$TMP/bench.txt" | awk '{print $NF}')" = int-103
check "bench: the report notes that the tool did not wait the Disable Timeout" \
    grep -q 'Note: int-103 executed Disable (/1/0/4): the device stays disabled for its Disable Timeout (${server\[1\].disable_timeout} = 86400 s), and the tool did not wait' "$TMP/bench.txt"

# With the bootstrap server: int-103 after every provisioned case; the factory case after
# it (int-1) starts the device again and passes; the plan counts no extra reset.
"$TOOL" run --sim --bootstrap --lwm2m 1.2 --no-color --timeout "$T" --only int-1,int-103,int-222 \
    >"$TMP/bs.txt" 2>&1; rc=$?
check "bootstrap: int-222 int-103 int-1, all PASS (exit $rc; $(order_of "$TMP/bs.txt"))" \
    test "$(order_of "$TMP/bs.txt")/$rc" = "int-222 int-103 int-1/0" -a \
    -z "$(grep -E '^(FAIL|INCONCLUSIVE|SKIPPED|ERROR)  int-' "$TMP/bs.txt")"

# The pair of the issue: the case named after int-103 is played before it, and passes.
"$TOOL" run --sim --bootstrap --lwm2m 1.2 --no-color --timeout "$T" --only int-103,int-222 \
    >"$TMP/pair.txt" 2>&1; rc=$?
check "--only int-103,int-222: int-222 PASS, int-103 PASS and last (exit $rc)" \
    test "$(verdict_of "$TMP/pair.txt" int-222)/$(verdict_of "$TMP/pair.txt" int-103)/$(order_of "$TMP/pair.txt")/$rc" = "PASS/PASS/int-222 int-103/0"

# Faults fail the criteria the ETS judges, even though the re-Register is not waited for.
"$TOOL" run --sim --no-color --timeout "$T" --only int-103 --sim-fault execute-refused=/1/0/4 \
    >"$TMP/refused.txt" 2>&1; rc=$?
check "execute-refused=/1/0/4: int-103 FAILs on A (exit $rc; $(failing_criteria "$TMP/refused.txt"))" \
    test "$(verdict_of "$TMP/refused.txt" int-103)/$rc" = FAIL/1 -a \
    -n "$(failing_criteria "$TMP/refused.txt" | grep 'int-103 A')"
"$TOOL" run --sim --no-color --timeout "$T" --only int-103 --sim-fault ignore-disable \
    >"$TMP/ignored.txt" 2>&1; rc=$?
check "ignore-disable: int-103 FAILs on B and C (exit $rc; $(failing_criteria "$TMP/ignored.txt"))" \
    test "$(verdict_of "$TMP/ignored.txt" int-103)/$rc/$(failing_criteria "$TMP/ignored.txt")" = \
    "FAIL/1/int-103 B int-103 C"

# A device started by hand after the tool (no device command, no terminal): int-103 last,
# A-C judged, and the note says the tool cannot start it again.
mkfifo "$TMP/hand.fifo"
"$TOOL" run --bind 127.0.0.1 --port 1=0 --port 2=0 --no-color --timeout "$T" \
    --only int-101,int-103,int-222 </dev/null >"$TMP/hand.fifo" 2>&1 &
pid=$!
exec 8<"$TMP/hand.fifo"
l1=$(wait_line 8 'server 1 waiting on UDP port' 10); l2=$(wait_line 8 'server 2 waiting on UDP port' 10)
"$SIMDEV" --config fixtures/c14.json --server-uri "1=coaps://127.0.0.1:${l1##* }" \
    --server-uri "2=coaps://127.0.0.1:${l2##* }" >"$TMP/hand.sim" 2>&1 &
sim=$!
timeout 120 cat <&8 >"$TMP/hand.txt"
wait "$pid"; rc=$?
exec 8<&-
kill -TERM "$sim" 2>/dev/null; wait "$sim" 2>/dev/null
check "by hand: int-101 int-222 int-103, all PASS (exit $rc; $(order_of "$TMP/hand.txt"))" \
    test "$(order_of "$TMP/hand.txt")/$rc" = "int-101 int-222 int-103/0" -a \
    -z "$(grep -E '^(FAIL|INCONCLUSIVE|SKIPPED|ERROR)  int-' "$TMP/hand.txt")"
check "by hand: the note says the device stays disabled and the tool cannot start it again" \
    grep -q 'Note: int-103 executed Disable (/1/0/4): the device stays disabled .* without --device-cmd or --reset-cmd it cannot start the device again' "$TMP/hand.txt"

finish
