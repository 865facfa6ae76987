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
# for the simulated device
table='
-                     |1.1|  |0|'"$Q"'
-                     |1.0|  |0|'"$Q"'
# int-109 A: the Register has no ep and is answered 4.00; it never registers (B C D)
register-no-ep        |1.1|int-109 A int-109 B int-109 C int-109 D|1|'"$Q"'
# int-109 B: the Lifetime Write is stored, but no Update tells the server
ignore-lifetime-write |1.1|int-109 B|1|'"$Q"'
# int-109 C: a device that Updates every second is never quiet for MAX_TRANSMIT_WAIT: not
# asleep, the Read goes at once
-                     |1.1|int-109 C|1|--queue --update-interval=1 --max-transmit-wait=3
# int-109 A C: a device declared for queue mode that registers without it: no Read is held
-                     |1.1|int-109 A int-109 C|1|--update-interval=8
# int-109 D: the held Read is answered with another lifetime
wrong-value=/1/0/1    |1.1|int-109 D|1|'"$Q"'
'
covered=""
while IFS='|' read -r faults ver crit code simargs; do
    faults=$(echo "$faults" | xargs); [ -n "$faults" ] && [ "${faults#\#}" = "$faults" ] || continue
    ver=$(echo "$ver" | xargs); crit=$(echo "$crit" | xargs); code=$(echo "$code" | xargs)
    simargs=$(echo "$simargs" | xargs)
    args=(run --sim --lwm2m "$ver" --only int-109 --profile "$TMP/queue.profile.json"
          --var "sleep_wait=$(scaled 4)" --max-transmit-wait 3 --no-color
          --timeout "$(scaled 3)" --junit "$TMP/f.xml" --json "$TMP/f.json")
    for a in $simargs; do args+=("--sim-arg=$a"); done
    if [ "$faults" != - ]; then IFS=+ read -ra list <<<"$faults"; for f in "${list[@]}"; do args+=(--sim-fault "$f"); done; fi
    "$TOOL" "${args[@]}" >"$TMP/f.txt" 2>"$TMP/f.err"
    rc=$?
    gotcrit=$(failing_criteria "$TMP/f.txt")
    covered+=" $crit "
    if [ "$gotcrit" = "$crit" ] && [ "$rc" = "$code" ]; then
        ok "fault $faults ($ver, $simargs): failing [$gotcrit], exit $rc"
    else
        not_ok "fault $faults ($ver, $simargs): expected [$crit] exit $code; got [$gotcrit] exit $rc"
        sed 's/^/#   /' "$TMP/f.txt" "$TMP/f.err" | head -60
    fi
    check "fault $faults ($ver): JUnit valid" valid_junit "$TMP/f.xml"
    if [ "$faults $simargs" = "- $Q" ] && [ "$ver" = 1.1 ]; then
        check "int-109 C says the Read was held and went after the Update" \
            grep -q 'held [0-9.]* s, sent after its Update' "$TMP/f.json"
    fi
done <<<"$table"
missing=""
for l in A B C D; do [[ "$covered" == *" int-109 $l "* ]] || missing+=" int-109 $l"; done
check "every criterion of int-109 fails under some fault (missing:${missing:- none})" [ -z "$missing" ]

# the simulated device really sleeps: a tool that takes it for awake longer than it is
# (--max-transmit-wait 60 against its 3 s) sends the Read at once, and it is not heard
"$TOOL" run --sim --lwm2m 1.1 --only int-109 --profile "$TMP/queue.profile.json" \
    --var "sleep_wait=$(scaled 4)" --max-transmit-wait 60 --no-color --timeout "$(scaled 3)" \
    --sim-arg=--queue --sim-arg=--update-interval=30 --sim-arg=--max-transmit-wait=3 >"$TMP/s.txt" 2>&1
check "a Read sent to the sleeping simulated device is not answered (C and D fail)" \
    [ "$(failing_criteria "$TMP/s.txt")" = "int-109 C int-109 D" ]

"$TOOL" run --sim --lwm2m 1.1 --only int-109 --no-color --timeout "$(scaled 3)" >"$TMP/p.txt" 2>&1
check "int-109 without a profile declaring queue mode: SKIPPED, saying how to declare it" \
    grep -q '^SKIPPED  int-109 ' "$TMP/p.txt"
finish
