#!/bin/bash
# Information reporting (int-301 Observe with pmin/pmax, int-302 cancel by Reset, int-303
# cancel by GET with Observe: 1) against the simulated device with configuration C.4:
# every criterion passes on a conformant device and fails under a fault that notifies too
# early, too late, not at all, or ignores the cancellation; no fault fails anything else.
# The runs are independent (each its own device and free ports), so they run side by side
# and the script waits for them: the windows are the cases' own timing, nothing sleeps.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

# name | fault | cases | verdicts of int-301 int-302 int-303 | failing criteria | exit
table='
ok||int-301,int-302,int-303|PASS PASS PASS||0
early|notify-early|int-301,int-302,int-303|FAIL FAIL FAIL|int-301 A int-302 A int-303 A|1
late|notify-late|int-301|FAIL - -|int-301 A|1
none|no-notifications|int-301|FAIL - -|int-301 A|1
cancel|ignore-cancel|int-302,int-303|- FAIL FAIL|int-302 B int-303 B|1
lag|notify-lag=600|int-301,int-302,int-303|PASS PASS PASS||0
lag2500|notify-lag=2500|int-301|FAIL - -|int-301 A|1
refused8|observe-refused=/3/0/8|int-302|- FAIL -|int-302 A int-302 B|1
values|missing-value=/3/0/7/0|int-301,int-302|FAIL FAIL -|int-301 A int-302 A|1
'
pids=()
while IFS='|' read -r name fault cases _; do
    [ -n "$name" ] || continue
    args=(run --sim --config fixtures/c4.json --only "$cases" --no-color --timeout 5
          --junit "$TMP/$name.xml")
    [ -z "$fault" ] || args+=(--sim-fault "$fault")
    "$TOOL" "${args[@]}" >"$TMP/$name.txt" 2>&1 &
    pids+=("$!:$name")
done <<<"$table"
for p in "${pids[@]}"; do
    wait "${p%%:*}"
    echo $? >"$TMP/${p#*:}.rc"
done

covered=""
while IFS='|' read -r name fault cases want crit code; do
    [ -n "$name" ] || continue
    got=""
    for c in int-301 int-302 int-303; do v=$(verdict_of "$TMP/$name.txt" "$c"); got+="${v:--} "; done
    got=${got% }
    gotcrit=$(failing_criteria "$TMP/$name.txt")
    rc=$(cat "$TMP/$name.rc")
    covered+=" $crit"
    if [ "$got" = "$want" ] && [ "$gotcrit" = "$crit" ] && [ "$rc" = "$code" ]; then
        ok "${fault:-no fault} ($cases): [$got], failing [$gotcrit], exit $rc"
    else
        not_ok "${fault:-no fault} ($cases): expected [$want], failing [$crit], exit $code; got [$got], [$gotcrit], exit $rc"
        sed 's/^/#   /' "$TMP/$name.txt"
    fi
    check "${fault:-no fault}: JUnit valid" valid_junit "$TMP/$name.xml"
done <<<"$table"
missing=""
for c in "int-301 A" "int-302 A" "int-302 B" "int-303 A" "int-303 B"; do
    [[ "$covered " == *" $c "* ]] || missing+=" $c"
done
check "every criterion of int-301..303 fails under some fault (missing:${missing:- none})" [ -z "$missing" ]

# what a failure says: the arrivals on the tool's clock, against pmin/pmax and the tolerance
check "too early: the gaps against pmin - tolerance" \
    grep -q 'too early for pmin (the first: notification 1, 0\.[0-9]* s after the one before)' "$TMP/early.txt"
check "too late: the gap against pmax + tolerance" \
    grep -q 'expected: at least 2 notifications in 8.0 s; one every 1.0 s to 4.0 s (pmin 2 s, pmax 3 s, tolerance 1 s' "$TMP/late.txt"
# A device notifying every 3.6 s under pmax=3 is within pmax + 1 s: it passes (above, "lag").
# One 2.5 s late (a CoAP retransmission) is not, unless --timing-tolerance widens every
# tolerance; the count asked for follows (8 s hold one 6 s gap), and the report says so.
check "notify-lag=2500: int-301 A names the gap beyond pmax + tolerance" \
    grep -q 'too late for pmax' "$TMP/lag2500.txt"
check "observe-refused=/3/0/8: int-302 A judges the /3/0/8 window too" \
    grep -q '/3/0/8: no observation of /3/0/8' "$TMP/refused8.txt"
"$TOOL" run --sim --config fixtures/c4.json --only int-301 --no-color --timeout 5 \
    --sim-fault notify-lag=2500 --timing-tolerance 3 >"$TMP/wide.txt" 2>&1
rc=$?
check "notify-lag=2500 with --timing-tolerance 3: int-301 PASSES, exit 0 (got $rc)" \
    test "$rc/$(verdict_of "$TMP/wide.txt" int-301)" = 0/PASS
check "the report names the tolerance used" grep -q 'timing tolerance: every timing criterion.s own tolerance .* 3 (--timing-tolerance)' "$TMP/wide.txt"
check "without the option, the report says the cases' own tolerances were used" \
    grep -q 'timing tolerance: as each timing criterion states it' "$TMP/ok.txt"
# A notification the device sent just before it answered the cancelling GET was in flight
# (RFC 7641 §3.6): int-303 B counts only what arrives after that answer.
"$TOOL" run --sim --config fixtures/c4.json --only int-303 --no-color --timeout 5 -v \
    --sim-fault notify-before-cancel >"$TMP/inflight.txt" 2>&1
rc=$?
check "notify-before-cancel: int-303 PASSES, exit 0 (got $rc)" \
    test "$rc/$(verdict_of "$TMP/inflight.txt" int-303)" = 0/PASS
check "notify-before-cancel: the step says the one in flight was not counted" \
    grep -q 'not counted: 1 in flight before the device answered the cancellation' "$TMP/inflight.txt"
check "ignored cancel: the notification after it is counted (and was answered with RST)" \
    grep -q 'after the observation was cancelled' "$TMP/cancel.txt"
# a device whose description has no power sources (no /3/0/6, /3/0/7, /3/0/8)
grep -v '"/3/0/[678]/' fixtures/simdev.json >"$TMP/nopower.json"
"$TOOL" run --sim --description "$TMP/nopower.json" --only int-301 --no-color --timeout 3 \
    >"$TMP/c14.txt" 2>&1
rc=$?
check "a device without power sources: int-301 is SKIPPED, not failed, exit 0 (got $rc)" \
    test "$rc/$(verdict_of "$TMP/c14.txt" int-301)" = 0/SKIPPED
check "a device without power sources: int-301 says which resource it needs" \
    grep -q 'not applicable: needs value:/3/0/[68]/0: the device description .*nopower.json has no value' "$TMP/c14.txt"
finish
