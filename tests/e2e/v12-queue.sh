#!/bin/bash
# ETS INT 1.2 int-109 (Behavior in Queue Mode) against the simulated device in queue mode
# (--queue: it registers with Q, or b=UQ in 1.0, answers nothing once MAX_TRANSMIT_WAIT has
# passed since its last message, and wakes with its Update every --update-interval): the
# tool holds the Read it is asked to send while the device sleeps and sends it after the
# device's next Update. A conformant device passes; every criterion fails under some fault
# with nothing else failing. MAX_TRANSMIT_WAIT is 3 s on both sides, the ETS's 120 s wait 4 s.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

echo '{"queue_mode": true}' >"$TMP/queue.profile.json"
Q="--queue --update-interval=8 --max-transmit-wait=3"
# Columns: faults (+ joins several) | LwM2M version | failing criteria | exit code | options
# for the simulated device | options for the tool (default: the ETS's 120 s wait as 4 s)
table='
-                     |1.1|  |0|'"$Q"'
-                     |1.0|  |0|'"$Q"'
# the race: a device that Updates 5 s after its last one is heard 1 s before the Read is
# ordered (6 s): not asleep yet; the tool lets it fall asleep (MAX_TRANSMIT_WAIT of
# silence), then holds the Read until its next Update: C passes
-                     |1.1|  |0|--queue --update-interval=5 --max-transmit-wait=3|--var sleep_wait=6
# int-109 A: the Register has no ep and is answered 4.00; it never registers (B C D)
register-no-ep        |1.1|int-109 A int-109 B int-109 C int-109 D|1|'"$Q"'
# int-109 B: the Lifetime Write is stored, but no Update tells the server
ignore-lifetime-write |1.1|int-109 B|1|'"$Q"'
# a device that Updates every second is never quiet for MAX_TRANSMIT_WAIT: it never sleeps,
# so whether it would hold cannot be seen: INCONCLUSIVE once --max-wait is over, no FAIL
-                     |1.1|  |1|--queue --update-interval=1 --max-transmit-wait=3|--var sleep_wait=4 --max-wait 6
# int-109 A C: a device declared for queue mode that registers without it: no Read is held
-                     |1.1|int-109 A int-109 C|1|--update-interval=8
# int-109 D: the held Read is answered with another lifetime
wrong-value=/1/0/1    |1.1|int-109 D|1|'"$Q"'
'
covered=""
while IFS='|' read -r faults ver crit code simargs toolargs; do
    faults=$(echo "$faults" | xargs); [ -n "$faults" ] && [ "${faults#\#}" = "$faults" ] || continue
    ver=$(echo "$ver" | xargs); crit=$(echo "$crit" | xargs); code=$(echo "$code" | xargs)
    simargs=$(echo "$simargs" | xargs); toolargs=$(echo "$toolargs" | xargs)
    [ -n "$toolargs" ] || toolargs="--var sleep_wait=$(scaled 4)"
    # shellcheck disable=SC2206 # the column holds words
    args=(run --sim --lwm2m "$ver" --only int-109 --profile "$TMP/queue.profile.json"
          $toolargs --max-transmit-wait 3 --no-color
          --timeout "$(scaled 3)" --junit "$TMP/f.xml" --json "$TMP/f.json")
    for a in $simargs; do args+=("--sim-arg=$a"); done
    if [ "$faults" != - ]; then IFS=+ read -ra list <<<"$faults"; for f in "${list[@]}"; do args+=(--sim-fault "$f"); done; fi
    "$TOOL" "${args[@]}" >"$TMP/f.txt" 2>"$TMP/f.err"
    rc=$?
    gotcrit=$(failing_criteria "$TMP/f.txt")
    covered+=" $crit "
    if [ "$gotcrit" = "$crit" ] && [ "$rc" = "$code" ]; then
        ok "fault $faults ($ver, $simargs${toolargs:+; $toolargs}): failing [$gotcrit], exit $rc"
    else
        not_ok "fault $faults ($ver, $simargs): expected [$crit] exit $code; got [$gotcrit] exit $rc"
        sed 's/^/#   /' "$TMP/f.txt" "$TMP/f.err" | head -60
    fi
    check "fault $faults ($ver): JUnit valid" valid_junit "$TMP/f.xml"
    if [[ "$toolargs" == *"--max-wait 6"* ]]; then
        check "a device that never sleeps: int-109 INCONCLUSIVE, C saying it was never quiet" \
            grep -q '^INCONCLUSIVE  int-109' "$TMP/f.txt"
    fi
    if [ "$faults $simargs" = "- $Q" ] && [ "$ver" = 1.1 ]; then
        check "int-109 C says the Read was held and went after the Update" \
            grep -q 'held [0-9.]* s, sent after its Update' "$TMP/f.json"
    fi
done <<<"$table"
missing=""
for l in A B C D; do [[ "$covered" == *" int-109 $l "* ]] || missing+=" int-109 $l"; done
check "every criterion of int-109 fails under some fault (missing:${missing:- none})" [ -z "$missing" ]

# the simulated device really sleeps: a tool that takes it for awake longer than it is
# (--max-transmit-wait 60 against its 3 s) waits for 60 s of silence, up to --max-wait (5 s),
# then sends the Read at once (C INCONCLUSIVE: it never saw the device sleep), and the
# sleeping device does not hear it (D fails)
"$TOOL" run --sim --lwm2m 1.1 --only int-109 --profile "$TMP/queue.profile.json" \
    --var "sleep_wait=$(scaled 4)" --max-transmit-wait 60 --max-wait 5 --no-color \
    --timeout "$(scaled 3)" --sim-arg=--queue --sim-arg=--update-interval=30 \
    --sim-arg=--max-transmit-wait=3 >"$TMP/s.txt" 2>&1
check "a Read sent to the sleeping simulated device is not answered (D fails)" \
    [ "$(failing_criteria "$TMP/s.txt")" = "int-109 D" ] ||
    sed 's/^/#   /' "$TMP/s.txt" | grep -E '^#   (PASS|FAIL|INCON|SKIP)|criterion' | head -20

# the ETS's step 1 is a fresh Register: after another case (int-101 takes the device's first
# Register) the device is started again for int-109, whose step 1 takes the new one
"$TOOL" run --sim --lwm2m 1.1 --only int-101,int-109 --profile "$TMP/queue.profile.json" \
    --var "sleep_wait=$(scaled 4)" --max-transmit-wait 3 --no-color --timeout "$(scaled 3)" -v \
    --sim-arg=--queue --sim-arg=--update-interval=8 --sim-arg=--max-transmit-wait=3 >"$TMP/r.txt" 2>&1
check "int-109 after another case: the plan restarts the device once" \
    grep -q '^plan: 2 cases, 1 device reset' "$TMP/r.txt"
check "int-109 after another case: both PASS" [ "$(grep -c '^PASS  int-10[19] ' "$TMP/r.txt")" = 2 ]

"$TOOL" run --sim --lwm2m 1.1 --only int-109 --no-color --timeout "$(scaled 3)" >"$TMP/p.txt" 2>&1
check "int-109 without a profile declaring queue mode: SKIPPED, saying how to declare it" \
    grep -q '^SKIPPED  int-109 ' "$TMP/p.txt"
finish
