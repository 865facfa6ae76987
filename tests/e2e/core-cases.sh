#!/bin/bash
# The ETS core cases of issue 10 (registration int-101..104, device management int-201…241)
# against the simulated device: every case passes without a fault, and every criterion
# fails under at least one fault, with nothing else failing. Columns:
#   faults | step timeout | cases run (--only) | failing criteria | exit code | configuration
# (the last column only where a case needs another configuration than C.14's: int-260's
# Discover of the Device object needs C.4's power sources) | lifetime (default 3)
# The lifetime of int-102/104 is shortened with --var lifetime=3 and the Disable Timeout of
# int-103 is 3 s in the configuration used, so the whole script runs in about a minute.
# No sleeps: every wait is the tool's own bounded wait.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

CFG=tests/data/config/c14-short-disable.json
ALL=int-101,int-102,int-103,int-104,int-201,int-203,int-204,int-205,int-215,int-220,int-241
# Faults joined with + are injected together: they break disjoint criteria, and the union
# must be exactly what fails. The rows that break int-104's Trigger run with a lifetime of
# 8 s (the last column), so the simulated device's routine Update (every 7.2 s) falls
# outside the 3 s window for the triggered one; ignore-update-trigger's step timeout of 30 s
# (and the last row, which passes) would take that routine Update: only the short window
# tells a device that ignores the Trigger from one that updates. The step timeout is per row (a reboot takes the simulated
# device about a second).
table='
-                                                     |2|'"$ALL"'|  |0
wrong-lifetime+ignore-partial-write                   |1|int-101,int-215,int-220|int-101 A int-215 B int-220 B|1
register-no-ep                                        |1|int-101|int-101 A int-101 B|1
no-response=/1/0/1+ignore-replace-write+no-response=/3/0/4|1|int-102,int-215,int-220,int-241|int-102 A int-102 B int-102 C int-102 D int-215 C int-220 C int-241 A int-241 B|1
ignore-lifetime-write+ignore-disable+no-response=/3/0 |1|int-102,int-103,int-203,int-204|int-102 B int-102 C int-102 D int-103 B int-103 C int-203 A int-204 A|1
update-with-params+no-response=/1/0/4+reboot-no-reregister|2|int-102,int-103,int-241|int-102 D int-103 A int-103 B int-103 C int-241 B|1
no-response=/1/0/8                                    |1|int-102,int-104|int-104 A int-104 B int-104 C int-104 D|1||8
update-wrong-location+no-response=/1/0                |1|int-102,int-215,int-220|int-102 A int-102 B int-102 C int-102 D int-215 A int-215 B int-215 C int-220 A int-220 B int-220 C|1
stop-updates                                          |1|int-102,int-104|  |0
ignore-update-trigger                                 |30|int-102,int-104|int-104 C int-104 D|1||8
-                                                     |2|int-260|  |0|fixtures/c4.json
discover-missing-resource+write-attributes-wrong-code |1|int-260|int-260 A int-260 B int-260 C int-260 D int-260 E|1|fixtures/c4.json
discover-inherited-everywhere                         |1|int-260|int-260 C int-260 E|1|fixtures/c4.json
discover-no-inherit                                   |1|int-260|int-260 F|1|fixtures/c4.json
no-dim                                                |1|int-260|int-260 F|1|fixtures/c4.json
ignore-write-attributes                               |1|int-260|int-260 F|1|fixtures/c4.json
ignore-accept-text+text-write-unterminated            |1|int-201,int-205|int-201 A int-205 C|1
wrong-value=/3/0/1+ignore-write=/1/0/3                |1|int-201,int-205|int-201 A int-205 B|1
text-write-unsupported                                |1|int-205|int-205 A int-205 B int-205 C|1
reregister-periodic                                   |1|int-102,int-104|int-104 E|1
-                                                     |30|int-102,int-104|  |0||8
'

# The rows run three at a time (each run picks its own free ports): most of a row is the
# tool waiting on the device's timers.
run_row() { # n faults timeout only config lifetime
    local n=$1 faults=$2 timeout=$3 only=$4 cfg=${5:-$CFG} lt=${6:-3} list f
    local args=(run --sim --no-color --timeout "$timeout" --config "$cfg" --var lifetime=$lt
                --only "$only" --junit "$TMP/junit$n.xml")
    if [ "$faults" != - ]; then
        IFS=+ read -ra list <<<"$faults"
        for f in "${list[@]}"; do args+=(--sim-fault "$f"); done
    fi
    "$TOOL" "${args[@]}" >"$TMP/out$n.txt" 2>"$TMP/err$n.txt"
    echo $? >"$TMP/rc$n"
}
n=0
while IFS='|' read -r faults timeout only crit code cfg lt; do
    faults=$(echo "$faults" | xargs); [ -n "$faults" ] || continue
    n=$((n + 1))
    while [ "$(jobs -rp | wc -l)" -ge 3 ]; do wait -n; done
    run_row "$n" "$faults" "$timeout" "$(echo "$only" | xargs)" "$(echo "$cfg" | xargs)" \
        "$(echo "$lt" | xargs)" &
done <<<"$table"
wait
n=0
while IFS='|' read -r faults timeout only crit code _; do
    faults=$(echo "$faults" | xargs); [ -n "$faults" ] || continue
    crit=$(echo "$crit" | xargs)
    n=$((n + 1))
    rc=$(cat "$TMP/rc$n")
    gotcrit=$(failing_criteria "$TMP/out$n.txt")
    label="core cases, fault $faults"
    if [ "$gotcrit" = "$crit" ] && [ "$rc" = "$code" ]; then
        ok "$label: failing [${gotcrit}], exit $rc"
    else
        not_ok "$label: expected failing [$crit], exit $code; got [$gotcrit], exit $rc"
        sed 's/^/#   /' "$TMP/out$n.txt" "$TMP/err$n.txt"
    fi
    check "$label: JUnit report is valid" valid_junit "$TMP/junit$n.xml"
    check "$label: the simulated device shut down cleanly" \
        not_in "simulated device exited with status" "$TMP/err$n.txt"
    covered+=" $crit"
done <<<"$table"

# A newer client puts ver on the Device object's link (</3>;ver=1.1): int-260 tolerates it as
# it tolerates dim.
"$TOOL" run --sim --no-color --timeout "$(scaled 1)" --config fixtures/c4.json --only int-260 \
    --objects tests/data/objects/device-1.1 >"$TMP/ver.txt" 2>&1
rc=$?
check "Device object 1.1 (ver on </3>): int-260 PASS, exit 0 (got $rc)" \
    test "$rc/$(verdict_of "$TMP/ver.txt" int-260)" = 0/PASS

# A device without OMA JSON (optional since LwM2M 1.0 §6.4) answers int-220's JSON Write 4.15:
# the case does not apply to it (SKIPPED with the reason), it is not failed.
"$TOOL" run --sim --no-color --timeout "$(scaled 1)" --config "$CFG" --only int-220 \
    --sim-fault json-unsupported >"$TMP/nojson.txt" 2>&1
rc=$?
check "json-unsupported: int-220 SKIPPED, exit 0 (got $rc)" \
    test "$rc/$(verdict_of "$TMP/nojson.txt" int-220)" = 0/SKIPPED
check "json-unsupported: int-220 says why it does not apply" \
    grep -q 'not applicable: the device does not support OMA JSON (11543).*(step 1 answered 4.15)' "$TMP/nojson.txt"

# Without a fault every case passed (not skipped): C.14's row 1, C.4's row 11.
for c in ${ALL//,/ }; do
    check "$c passes against the simulated device" test "$(verdict_of "$TMP/out1.txt" "$c")" = PASS
done
check "int-260 passes against the simulated device (C.4)" \
    test "$(verdict_of "$TMP/out11.txt" int-260)" = PASS
# Every criterion of these cases fails under some fault.
missing=""
for c in "int-101 AB" "int-102 ABCD" "int-103 ABC" "int-104 ABCDE" "int-201 A" "int-203 A" \
         "int-204 A" "int-205 ABC" "int-215 ABC" "int-220 ABC" "int-241 AB" "int-260 ABCDEF"; do
    id=${c% *} letters=${c#* }
    for ((i = 0; i < ${#letters}; i++)); do
        [[ "$covered " == *" $id ${letters:i:1} "* ]] || missing+=" $id ${letters:i:1}"
    done
done
check "every criterion of the core cases fails under some fault (missing:${missing:- none})" [ -z "$missing" ]

# A failure explains itself: the expiry on the tool's clock, the parameters of the Update.
check "reregister-periodic: int-104 E says the registration was replaced in the window" \
    grep -q "a new Register replaced the registration" "$TMP/out20.txt"
check "update-with-params: the report names the parameters the Update carried" \
    grep -q "the Update has parameters" "$TMP/out6.txt"
# int-260 follows the core specification where the ETS differs: a Discover of /3 without
# the instance's and resources' attributes (no-dim, ignore-write-attributes) passes C and E,
# a wrong or repeated one fails them and says which link carries what.
check "discover-inherited-everywhere: the report names the resource link and its inherited pmin" \
    grep -q "</3/0/1> has unexpected pmin=10" "$TMP/out13.txt"
check "discover-no-inherit: the report says what the resource's Discover lacks" \
    grep -q "</3/0/7> lacks pmin, expected pmin=10" "$TMP/out14.txt"
check "int-260 says which attributes may be left out of a Discover of an object" \
    grep -q "except that dim, pmin, pmax may be left out, but not reported with another value" \
    "$TMP/out13.txt"
# int-201's three Reads are judged one by one: the failure names the Read that broke it.
check "wrong-value=/3/0/1: int-201 A shows the Read of /3/0/1 and its value" \
    grep -q 'observed: /3/0/1 = "lwm2m-simdev-x"' "$TMP/out18.txt"
check "ignore-accept-text: int-201 A names the format asked for and the one answered" \
    grep -q 'observed: 11542 (application/vnd.oma.lwm2m+tlv)' "$TMP/out17.txt"
check "text-write-unterminated: int-205 C shows the values its Read found" \
    grep -q '/1/0/3 is "1000", expected "10"' "$TMP/out17.txt"

# With the configuration's long Disable Timeout (86400 s) int-103 is judged without the
# wait for its re-Register: tests/e2e/disable.sh.

# A device profile that lacks what a case needs: SKIPPED with the reason, never FAIL.
printf '{"lwm2m": "1.0", "objects": [0, 1, 2], "content_formats": ["text", "tlv", "link"]}\n' >"$TMP/p.json"
"$TOOL" run --sim --no-color --timeout 3 --config "$CFG" --var lifetime=3 --profile "$TMP/p.json" \
    --only int-241,int-101 >"$TMP/out.txt" 2>&1; rc=$?
check "profile without object 3: int-241 is SKIPPED, int-101 still runs (exit 0)" \
    test "$(verdict_of "$TMP/out.txt" int-241)" = SKIPPED -a "$(verdict_of "$TMP/out.txt" int-101)" = PASS -a "$rc" = 0
check "profile: the reason names the object and the profile file" \
    grep -q "object 3 (step 1 addresses /3/0/4; the device profile $TMP/p.json does not list it)" "$TMP/out.txt"
printf '{"objects": "all"}\n' >"$TMP/bad.json"
"$TOOL" run --sim --profile "$TMP/bad.json" >"$TMP/out.txt" 2>&1; rc=$?
check "a malformed profile is a usage error (exit 2) that says what is wrong" \
    test "$rc" = 2 -a -n "$(grep -l 'array of object ids' "$TMP/out.txt")"

finish
# int-260 expects dim=2 on the power source resources: a configuration that describes three
# power sources gets the case SKIPPED with the reason, never judged against dim=2.
jq '.e += [{"n": "3/0/6/2", "v": 0}, {"n": "3/0/7/2", "v": 4000}, {"n": "3/0/8/2", "v": 50}]' \
    fixtures/c4.json >"$TMP/c4-three.json"
"$TOOL" run --sim --no-color --timeout "$(scaled 1)" --config "$TMP/c4-three.json" --only int-260 \
    >"$TMP/three.txt" 2>&1
rc=$?
check "three power sources: int-260 SKIPPED, exit 0 (got $rc)" \
    test "$rc/$(verdict_of "$TMP/three.txt" int-260)" = 0/SKIPPED
check "three power sources: the report says the configuration has a third one" \
    grep -q 'no-value:/3/0/6/2: configuration .* has a value at /3/0/6/2' "$TMP/three.txt"
