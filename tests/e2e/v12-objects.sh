#!/bin/bash
# ETS INT 1.2's Observe-Composite cases on created, deleted and re-attributed paths
# (int-308, int-309, int-310) and its object cases int-1202/1203 (the draft's int-1210/1230,
# one definition), int-1204 (Cellular Connectivity timers) and int-2000/2001 (Event Log)
# against the simulated device, with and without faults. The table's rows together fail
# every criterion of these cases (the fault-coverage check at the end); a 1.0 device gets
# the 1.1 cases SKIPPED. Free ports throughout (run --sim).
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

# The ETS's 30/45 s periods and 45 s waits, and int-1204's 5-20 s periods, made short
OC="--var pmin=2 --var pmax=3 --var window=5"
# int-308 on a Client that times a composite observation by the smallest pmin of its paths
# (Zephyr): with a pmin longer than the 2 s tolerance, a /16/1 timed by c1's default pmin 1
# would be reported right after its Create (F's first gap 2 s < pmin - 2): the case's
# attributes on /16 must keep it at pmin
OC_ZEPHYR="--var pmin=5 --var pmax=6 --var window=8 --sim-arg=--composite-min-pmin"
TIMERS="--var pmin_a=2 --var pmax_a=3 --var pmin_b=3 --var pmax_b=4 --var window=14"

# Columns: configuration | LwM2M version | faults (- none) | cases | verdicts | failing
# criteria (the whole set the run produces) | exit code | extra options
table="
c1 |1.1|-                                   |int-308,int-309,int-310|PASS PASS PASS||0|$OC
c1 |1.0|-                                   |int-308,int-309,int-310|SKIPPED SKIPPED SKIPPED||0|$OC
c1 |1.1|-                                   |int-308|PASS||0|$OC_ZEPHYR
c1 |1.1|composite-stale-notify              |int-308,int-309|FAIL FAIL|int-308 F int-309 G|1|$OC
c1 |1.1|create-error                        |int-308|FAIL|int-308 A int-308 B int-308 C int-308 D int-308 E int-308 F|1|$OC
c1 |1.1|create-error                        |int-309|FAIL|int-309 A int-309 B int-309 C int-309 D int-309 E int-309 F int-309 G|1|$OC
c1 |1.1|write-attributes-wrong-code         |int-308,int-309,int-310|FAIL FAIL FAIL|int-308 B int-309 C int-310 C|1|$OC
c1 |1.1|no-notifications                    |int-308,int-309|FAIL FAIL|int-308 D int-308 F int-309 E int-309 G|1|$OC
c1 |1.1|composite-bad-request               |int-308|FAIL|int-308 C int-308 D int-308 F|1|$OC
c1 |1.1|composite-unsupported               |int-308,int-309|SKIPPED SKIPPED||0|$OC
c1 |1.1|composite-unsupported               |int-310|SKIPPED||0|-
c1 |1.1|delete-refused=/16/1                |int-309|FAIL|int-309 F int-309 G|1|$OC
c1 |1.1|composite-first-path-timing         |int-310|FAIL|int-310 D|1|-
c1 |1.1|wrong-value=/1/0/1                  |int-310|FAIL|int-310 A int-310 B|1|-
c10|1.0|-                                   |int-1204|PASS||0|$TIMERS
c10|1.0|no-response=/10                     |int-1204|FAIL|int-1204 A int-1204 B int-1204 C int-1204 D|1|$TIMERS
c10|1.0|write-attributes-wrong-code discover-wrong-content-format|int-1204|FAIL|int-1204 A int-1204 B|1|$TIMERS
c10|1.0|ignore-write-attributes             |int-1204|FAIL|int-1204 D|1|$TIMERS
c10|1.0|observe-refused=/10/0/9             |int-1204|FAIL|int-1204 C int-1204 D|1|$TIMERS
c10|1.0|no-notifications                    |int-1204|FAIL|int-1204 D|1|$TIMERS
c16|1.0|-                                   |int-2000,int-2001|PASS PASS||0|-
c16|1.1|execute-refused=/20/0/4011 wrong-value=/20/0/4010|int-2000,int-2001|FAIL FAIL|int-2000 A int-2001 A|1|-
c16|1.1|no-response=/20/0/4013 missing-value=/20/0/4014|int-2000,int-2001|FAIL FAIL|int-2000 B int-2001 A|1|-
c16|1.1|json-unsupported                    |int-2001|PASS||0|-
"
covered=""
while IFS='|' read -r cfg ver faults cases want crit code extra; do
    cfg=$(echo "$cfg" | xargs); [ -n "$cfg" ] || continue
    ver=$(echo "$ver" | xargs); faults=$(echo "$faults" | xargs); cases=$(echo "$cases" | xargs)
    want=$(echo "$want" | xargs); crit=$(echo "$crit" | xargs); code=$(echo "$code" | xargs)
    extra=$(echo "$extra" | xargs)
    args=(run --sim --config "fixtures/$cfg.json" --lwm2m "$ver" --only "$cases" --no-color
          --timeout "$(scaled 2)" --junit "$TMP/o.xml")
    [ "$faults" = - ] || for f in $faults; do args+=(--sim-fault "$f"); done
    # shellcheck disable=SC2206
    [ "$extra" = - ] || args+=($extra)
    "$TOOL" "${args[@]}" >"$TMP/o.txt" 2>"$TMP/o.err"
    rc=$?
    got=""
    for c in ${cases//,/ }; do got+="$(verdict_of "$TMP/o.txt" "$c") "; done
    got=${got% }
    gotcrit=$(failing_criteria "$TMP/o.txt")
    covered+=" $crit"
    label="$cfg (LwM2M $ver), faults $faults, $cases"
    if [ "$got" = "$want" ] && [ "$gotcrit" = "$crit" ] && [ "$rc" = "$code" ]; then
        ok "$label: [$got], failing [$gotcrit], exit $rc"
    else
        not_ok "$label: expected [$want], failing [$crit], exit $code; got [$got], [$gotcrit], exit $rc"
        sed 's/^/#   /' "$TMP/o.txt" "$TMP/o.err"
    fi
    check "$label: JUnit valid" valid_junit "$TMP/o.xml"
done <<<"$table"

# fault coverage: every criterion of the cases above fails under some fault
missing=""
for c in "int-308 ABCDEF" "int-309 ABCDEFG" "int-310 ABCD" "int-1204 ABCD" "int-2000 AB" "int-2001 A"; do
    id=${c% *} letters=${c#* }
    for ((i = 0; i < ${#letters}; i++)); do
        [[ "$covered " == *" $id ${letters:i:1} "* ]] || missing+=" $id ${letters:i:1}"
    done
done
check "every criterion of int-308/309/310, int-1204, int-2000/2001 fails under some fault (missing:${missing:- none})" \
    [ -z "$missing" ]

# One definition, two documents: int-1202/1203 select the draft's int-1210/1230, and the
# reports name both ids.
"$TOOL" run --sim --config fixtures/c11.json --lwm2m 1.1 --only int-1202,int-1203 --no-color \
    --timeout "$(scaled 2)" $TIMERS --json "$TMP/d.json" >"$TMP/d.txt" 2>&1
rc=$?
check "int-1202/1203 run the draft's int-1210/1230: both PASS, exit 0 (got $rc)" \
    test "$rc/$(verdict_of "$TMP/d.txt" int-1210)/$(verdict_of "$TMP/d.txt" int-1230)" = 0/PASS/PASS
check "the JSON report names ETS INT 1.2's int-1202 and int-1203" \
    bash -c "grep -q 'LightweightM2M-1.1-int-1202' '$TMP/d.json' && grep -q 'LightweightM2M-1.1-int-1203' '$TMP/d.json'"
# --timing-tolerance stretches a window given as a variable (pmax plus the tolerance) as it
# does the tolerance: with notifications 2.5 s late, int-308's 5 s windows last 7.5 s
"$TOOL" run --sim --config fixtures/c1.json --lwm2m 1.1 --only int-308 --no-color --timeout "$(scaled 2)" \
    $OC --timing-tolerance 1.5 --sim-fault notify-lag=2500 -v >"$TMP/w.txt" 2>&1
rc=$?
check "int-308 with notifications 2.5 s late and --timing-tolerance 1.5: PASS, windows of 7.5 s (got $rc)" \
    bash -c "test $rc = 0 && grep -q 'of /16/0,/16/1 in 7.5 s' '$TMP/w.txt'"
# int-2000 follows the object definition: a Write of LogStart (what the ETS prints) is
# refused by the simulated device as by any conformant client
"$TOOL" run --sim --config fixtures/c16.json --only int-2000 --no-color --timeout "$(scaled 2)" -v \
    >"$TMP/e.txt" 2>&1
check "int-2000 executes LogStart (POST /20/0/4011), reads LogStatus and stops the log (LogStop)" \
    bash -c "grep -q 'execute POST /20/0/4011 -> 2.04' '$TMP/e.txt' && grep -q 'read GET /20/0/4013 -> 2.05' '$TMP/e.txt' && grep -q 'execute POST /20/0/4012 -> 2.04' '$TMP/e.txt'"
finish
