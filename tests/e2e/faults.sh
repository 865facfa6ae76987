#!/bin/bash
# Table-driven proof that every verdict of int-950/951 can fail (--only: the suite has more
# cases, with their own tables, e.g. tests/e2e/core-cases.sh): the simulated device with one fault
# injected must fail exactly the criteria that fault breaks, and nothing else; without a
# fault, every case passes. Columns: fault | step timeout (s) | int-950 | int-951 |
# failing criteria | exit code.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

table='
-                           |3|PASS|PASS|                      |0
skip-second-server          |2|FAIL|INCONCLUSIVE|int-950 C int-950 D|1
wrong-identity              |2|FAIL|INCONCLUSIVE|int-950 C int-950 D|1
wrong-lifetime              |3|FAIL|INCONCLUSIVE|int-950 A int-950 C|1
shared-attributes           |3|PASS|FAIL|int-951 C             |1
ignore-write-attributes     |3|PASS|FAIL|int-951 C int-951 D   |1
write-attributes-wrong-code |3|PASS|FAIL|int-951 A int-951 B   |1
discover-missing-resource   |3|PASS|FAIL|int-951 C int-951 D   |1
discover-malformed          |3|PASS|FAIL|int-951 C int-951 D   |1
no-response=/3/0            |1|PASS|FAIL|int-401 B int-951 A int-951 B int-951 C int-951 D|1
late-response=1500          |1|PASS|FAIL|int-401 B int-951 A int-951 B int-951 C int-951 D|1
late-response=200           |3|PASS|PASS|                      |0
discover-no-content-format  |3|PASS|PASS|                      |0
discover-wrong-content-format|3|PASS|FAIL|int-951 C int-951 D  |1
'

while IFS='|' read -r fault timeout v950 v951 crit code; do
    fault=$(echo "$fault" | xargs); [ -n "$fault" ] || continue
    crit=$(echo "$crit" | xargs)
    # only the cases this table is about (the object cases have tests/e2e/objects.sh)
    args=(run --sim --no-color --timeout "$timeout" --junit "$TMP/junit.xml"
          --only int-401,int-950,int-951)
    [ "$fault" = - ] || args+=(--sim-fault "$fault")
    "$TOOL" "${args[@]}" >"$TMP/out.txt" 2>"$TMP/err.txt"
    rc=$?
    got950=$(verdict_of "$TMP/out.txt" int-950)
    got951=$(verdict_of "$TMP/out.txt" int-951)
    gotcrit=$(failing_criteria "$TMP/out.txt")
    label="fault $fault"
    if [ "$got950" = "$v950" ] && [ "$got951" = "$v951" ] && [ "$gotcrit" = "$crit" ] && [ "$rc" = "$code" ]; then
        ok "$label: int-950 $got950, int-951 $got951, failing [${gotcrit}], exit $rc"
    else
        not_ok "$label: expected int-950 $v950, int-951 $v951, failing [$crit], exit $code;" \
               "got $got950, $got951, [$gotcrit], exit $rc"
        sed 's/^/#   /' "$TMP/out.txt" "$TMP/err.txt"
    fi
    check "$label: JUnit report is valid" valid_junit "$TMP/junit.xml"
    check "$label: the simulated device shut down cleanly" \
        not_in "device command exited with status" "$TMP/err.txt"
done <<<"$table"

# A failure names the criterion with expected vs observed, in the device's own words.
# A Discover answered without Content-Format: the change request judges the links, so int-951
# passes, and the report says what the device left out.
"$TOOL" run --sim --no-color --timeout 3 --only int-950,int-951 --sim-fault discover-no-content-format >"$TMP/out.txt" 2>&1
check "discover-no-content-format: int-951 C notes the missing option" \
    grep -q 'int-951 step 3: the device answered /3/0 with a 2.05 Content payload but no Content-Format option; .*tolerated for a Discover' "$TMP/out.txt"
"$TOOL" run --sim --no-color --timeout 3 --only int-401,int-950,int-951 --sim-fault shared-attributes >"$TMP/out.txt" 2>&1
check "shared-attributes: report shows expected and observed for int-951 C" \
    grep -q 'observed: </3/0>;pmin=15;pmax=50' "$TMP/out.txt"
"$TOOL" run --sim --no-color --timeout 2 --only int-401,int-950,int-951 --sim-fault wrong-identity >"$TMP/out.txt" 2>&1
check "wrong-identity: the report says whose identity was offered" \
    grep -q 'it is the identity of server 1' "$TMP/out.txt"
"$TOOL" run --sim --no-color --timeout 3 --only int-401,int-950,int-951 --sim-fault wrong-lifetime >"$TMP/out.txt" 2>&1
check "wrong-lifetime: the report names lt and both values" \
    grep -q 'lt=300, expected 86400' "$TMP/out.txt"

finish
