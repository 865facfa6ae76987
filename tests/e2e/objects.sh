#!/bin/bash
# The object model from the command line: `objects` lists the shipped DDF definitions,
# --objects adds a vendor directory (tool and simulated device alike), broken definitions
# stop the run with file:line. The object cases against the simulated device follow.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

"$TOOL" objects --no-color >"$TMP/out.txt" 2>"$TMP/err.txt"
check "objects: exit 0" test $? -eq 0
for want in "0  LWM2M Security" "3  Device" "4  Connectivity Monitoring" "5  Firmware Update" \
            "6  Location" "7  Connectivity Statistics" "10  Cellular Connectivity" "16  Portfolio"; do
    check "objects lists '$want'" grep -q "$want" "$TMP/out.txt"
done
check "objects names the file each definition came from" grep -q "fixtures/objects/3.xml:" "$TMP/out.txt"

"$TOOL" objects 33333 --objects tests/data/objects/vendor >"$TMP/out.txt" 2>"$TMP/err.txt"
check "objects --objects DIR: the vendor object is listed with its resources" \
    grep -q "5700  Sensor Value .* Float Cel" "$TMP/out.txt"
"$TOOL" objects 3 --objects tests/data/objects/vendor >"$TMP/out.txt" 2>"$TMP/err.txt"
check "objects --objects DIR: a vendor Device object replaces the shipped one" \
    grep -q "tests/data/objects/vendor/3.xml" "$TMP/out.txt"

"$TOOL" objects --objects tests/data/objects/bad >"$TMP/out.txt" 2>"$TMP/err.txt"
rc=$?
check "a broken definition: exit 2" test "$rc" -eq 2
check "a broken definition: file:line and what is wrong" \
    grep -q 'tests/data/objects/bad/9001.xml:12: resource /9001/x/1: unknown <Type> "Double"' "$TMP/err.txt"
"$TOOL" list --objects tests/data/objects/dup >"$TMP/out.txt" 2>"$TMP/err.txt"
check "two files defining one object: exit 2, both named" \
    grep -q 'dup/b.xml:4: object 44444 is also defined at .*dup/a.xml:4' "$TMP/err.txt"
"$TOOL" objects 42 >"$TMP/out.txt" 2>"$TMP/err.txt"
check "objects ID of an unknown object: says how to add one" grep -q "add one with --objects" "$TMP/err.txt"
"$SIMDEV" --config fixtures/c14.json --objects tests/data/objects/bad >"$TMP/out.txt" 2>"$TMP/err.txt"
check "the simulated device refuses a broken definition too" grep -q "9001.xml:12" "$TMP/err.txt"

# A vendor object the tool knows only from --objects DIR is decoded in a Read: TLV carries no
# types, the DDF gives them (the simulated device gets the directory too). Without it the
# values stay opaque bytes and the comparison fails.
vendor=(run --sim --config tests/data/objects/vendor-config.json --cases tests/data/objects/vendor-suite
        --no-color --timeout 2)
"$TOOL" "${vendor[@]}" --objects tests/data/objects/vendor >"$TMP/v.txt" 2>&1
check "--objects: a Read of vendor object /33333/0 is decoded and PASSES" \
    grep -q '^PASS  int-90001' "$TMP/v.txt"
"$TOOL" "${vendor[@]}" >"$TMP/v.txt" 2>&1
check "without --objects the same Read stays opaque and fails" \
    grep -q '/33333/0/5700 is "QbwAAA==", expected "23.5"' "$TMP/v.txt"

# --- the object cases against the simulated device, with and without faults -----------------
# Columns: configuration | the simulated device's LwM2M version (--lwm2m; - for its default,
# 1.0) | faults (space-separated, - for none) | cases | verdicts | failing criteria (the whole
# set the run produces) | exit code. Each configuration's first row is the conformant device;
# together the rows fail every criterion of the object cases. notify-lag=800 is a device
# with whole-second timers on a real link: each notification 0.8 s after pmax, inside
# int-710 E's and int-910 F's tolerance of 1 s (the ignore-write-attributes rows show the
# lower bound pmin - 1 s still fails a device that notifies every second).
table='
c1  |-  |-                                                        |int-652,int-680,int-685|PASS PASS PASS|                              |0
c1  |-  |wrong-value=/3/0/3 create-device-object delete-ignored  |int-652,int-680,int-685|FAIL FAIL FAIL|int-652 A int-680 A int-685 B|1
c1  |-  |no-response=/3/0                                         |int-652,int-685        |FAIL FAIL     |int-652 A int-652 B int-685 A int-685 B|1
c1  |-  |create-error                                             |int-680                |PASS          |                              |0
c14 |-  |create-unauthorized                                      |int-680                |SKIPPED       |                              |0
c1  |-  |create-unauthorized                                      |int-680                |FAIL          |int-680 A                     |1
c3  |-  |-                                                        |int-651                |PASS          |                              |0
c3  |-  |no-response=/3/0                                         |int-651                |FAIL          |int-651 A int-651 B int-651 C |1
c5  |-  |-                                                        |int-701,int-710        |PASS PASS     |                              |0
c5  |-  |missing-value=/4/0/2 wrong-value=/4/0/0 write-attributes-wrong-code|int-701,int-710|FAIL FAIL |int-701 C int-710 B int-710 D int-710 E int-710 F|1
c5  |-  |no-response=/4/0                                         |int-701,int-710        |FAIL FAIL     |int-701 A int-701 B int-701 C int-710 A int-710 B int-710 C int-710 D int-710 E int-710 F|1
c9  |-  |-                                                        |int-905,int-910        |PASS PASS     |                              |0
c9  |-  |wrong-value=/7/0/8 missing-value=/7/0/2                  |int-905,int-910        |FAIL FAIL     |int-905 G int-910 D int-910 E int-910 F|1
c9  |-  |missing-value=/7/0/8                                     |int-905                |FAIL          |int-905 B int-905 F int-905 G |1
c9  |-  |ignore-write=/7/0/8                                      |int-905                |FAIL          |int-905 G                     |1
c9  |-  |execute-refused=/7/0/6                                   |int-910                |FAIL          |int-910 E                     |1
c9  |-  |ignore-write-attributes                                  |int-910                |FAIL          |int-910 F                     |1
c5  |-  |ignore-write-attributes                                  |int-710                |FAIL          |int-710 E                     |1
c5  |-  |notify-lag=800                                           |int-710                |PASS          |                              |0
c9  |-  |notify-lag=800                                           |int-910                |PASS          |                              |0
c9  |-  |no-response=/7/0                                         |int-905,int-910        |FAIL FAIL     |int-905 A int-905 B int-905 C int-905 D int-905 E int-905 F int-905 G int-910 A int-910 B int-910 C int-910 D int-910 E int-910 F|1
c10 |-  |-                                                        |int-1200,int-1201,int-1210|PASS SKIPPED SKIPPED|                     |0
c11 |-  |-                                                        |int-1200,int-1201,int-1210,int-1230|PASS SKIPPED SKIPPED SKIPPED|        |0
c11 |1.1|-                                                        |int-1200,int-1201,int-1210|PASS PASS PASS|                     |0
c11 |1.1|wrong-value=/10/0/6 wrong-value=/10/0/12 no-object-version ignore-write=/10/0/13|int-1200,int-1201,int-1210|FAIL FAIL FAIL|int-1200 B int-1201 A int-1201 C int-1210 A int-1210 B int-1210 D|1
c11 |1.1|no-response=/10                                          |int-1200,int-1201,int-1210|FAIL FAIL FAIL|int-1200 A int-1200 B int-1201 A int-1201 B int-1201 C int-1210 A int-1210 B int-1210 C int-1210 D|1
c11 |1.1|-                                                        |int-1230               |PASS          |                              |0
c11 |1.1|no-object-version write-attributes-wrong-code           |int-1230               |FAIL          |int-1230 A int-1230 B         |1
c11 |1.1|observe-refused=/10/0/13                                 |int-1230               |FAIL          |int-1230 C int-1230 D         |1
c11 |1.1|single-observation                                       |int-1230               |FAIL          |int-1230 D                    |1
c11 |1.1|ignore-write-attributes                                  |int-1230               |FAIL          |int-1230 D                    |1
c11 |1.1|notify-lag=600 discover-no-content-format                |int-1201,int-1210,int-1230|PASS PASS PASS|                     |0
c11 |1.1|discover-wrong-content-format                            |int-1201,int-1210,int-1230|FAIL FAIL FAIL|int-1201 A int-1210 A int-1230 A|1
c12 |-  |-                                                        |int-1630,int-1635      |PASS PASS     |                              |0
c12 |-  |no-dim wrong-value=/16/0/0/1                             |int-1630,int-1635      |FAIL INCONCLUSIVE|int-1630 A int-1630 C int-1630 D|1
c12 |-  |create-error                                             |int-1630,int-1635      |FAIL INCONCLUSIVE|int-1630 B int-1630 C int-1630 D|1
c12 |-  |discover-no-object-link no-response=/16/0                |int-1630,int-1635      |PASS FAIL     |int-1635 A int-1635 B int-1635 C|1
c12 |-  |delete-refused=/16/1                                     |int-1630,int-1635      |PASS FAIL     |int-1635 B int-1635 C         |1
c12 |-  |delete-ignored                                           |int-1630,int-1635      |PASS FAIL     |int-1635 C                    |1
c12 |-  |discover-no-content-format                               |int-1630,int-1635      |PASS PASS     |                              |0
'
PSM="--var pmin_a=2 --var pmax_a=3 --var pmin_b=3 --var pmax_b=4 --var window=14"
covered=""
while IFS='|' read -r cfg ver faults cases want crit code; do
    cfg=$(echo "$cfg" | xargs); [ -n "$cfg" ] || continue
    ver=$(echo "$ver" | xargs); faults=$(echo "$faults" | xargs); cases=$(echo "$cases" | xargs)
    want=$(echo "$want" | xargs); crit=$(echo "$crit" | xargs); code=$(echo "$code" | xargs)
    # 1 s: the run also waits that long for the device's first Register (scaled: under
    # ASan on a loaded machine 1 s is not always enough)
    args=(run --sim --config "fixtures/$cfg.json" --only "$cases" --no-color --timeout "$(scaled 1)")
    [ "$ver" = - ] || args+=(--lwm2m "$ver")
    [ "$faults" = - ] || for f in $faults; do args+=(--sim-fault "$f"); done
    # int-1230's ETS periods (5/15 s, 10/20 s) made short
    # shellcheck disable=SC2206
    [[ "$cases" != *int-1230* ]] || args+=($PSM)
    covered+=" $crit"
    label=$cfg
    [ "$ver" = - ] || label+=" (LwM2M $ver)"
    label+=", faults $faults"
    row_start "$label" "$cases" "$want" "$crit" "$code" "$TOOL" "${args[@]}"
done <<<"$table"
rows_judge
missing=""
for c in "int-651 ABC" "int-652 AB" "int-680 A" "int-685 AB" "int-701 ABC" "int-710 ABCDEF" \
         "int-905 ABCDEFG" "int-910 ABCDEF" "int-1200 AB" "int-1201 ABC" "int-1210 ABCD" "int-1230 ABCD" \
         "int-1630 ABCD" "int-1635 ABC"; do
    id=${c% *} letters=${c#* }
    for ((i = 0; i < ${#letters}; i++)); do
        [[ "$covered " == *" $id ${letters:i:1} "* ]] || missing+=" $id ${letters:i:1}"
    done
done
check "every criterion of the object cases fails under some fault (missing:${missing:- none})" \
    [ -z "$missing" ]

# Issue 20's readings: what the new verdicts say.
"$TOOL" run --sim --config fixtures/c12.json --only int-1630,int-1635 --no-color --timeout "$(scaled 1)" \
    --sim-fault discover-no-content-format >"$TMP/ncf.txt" 2>&1
check "a Discover without Content-Format passes int-1635 with a note saying so" \
    grep -q 'int-1635 step 1: .*no Content-Format option.*tolerated for a Discover' "$TMP/ncf.txt"
"$TOOL" run --sim --config fixtures/c9.json --only int-910 --no-color --timeout "$(scaled 1)" \
    --sim-fault execute-refused=/7/0/7 >"$TMP/stop.txt" 2>&1
rc=$?
check "a refused Stop (no criterion in the draft) is a note, not a verdict: int-910 PASS, exit 0 (got $rc)" \
    test "$rc/$(verdict_of "$TMP/stop.txt" int-910)" = 0/PASS
check "the refused Stop is in the report's notes" \
    grep -q 'int-910 step 7 (execute /7/0/7, not judged: .*): the device answered 4.05' "$TMP/stop.txt"

# Conformant devices that differ from the tool's configurations: multiple-resource instances
# numbered from 1 (int-710 D/F take any instance); Supported Power Saving Modes without eDRX
# (int-1210 writes what the device supports, and the device refuses a mode it lacks).
"$TOOL" run --sim --config tests/data/config/c5-instances.json --only int-710 --no-color \
    --timeout "$(scaled 1)" >"$TMP/inst.txt" 2>&1
rc=$?
check "instances numbered from 1: int-710 PASS, exit 0 (got $rc)" \
    test "$rc/$(verdict_of "$TMP/inst.txt" int-710)" = 0/PASS
"$TOOL" run --sim --lwm2m 1.1 --config tests/data/config/c11-psm-only.json --only int-1210 \
    --no-color --timeout "$(scaled 1)" >"$TMP/psm.txt" 2>&1
rc=$?
check "a device with PSM only: int-1210 PASS, exit 0 (got $rc)" \
    test "$rc/$(verdict_of "$TMP/psm.txt" int-1210)" = 0/PASS

# A case needing an object the device lacks is SKIPPED with the reason: its description
# lists no Connectivity Monitoring (the simulated device has one all the same).
echo '{"objects": {"3": {"0": []}}, "values": {"/3/0/0": "lwm2m-conform"}}' >"$TMP/no4.json"
"$TOOL" run --sim --description "$TMP/no4.json" --no-color --only int-701 --timeout 2 \
    >"$TMP/s.txt" 2>&1
check "a device described without Connectivity Monitoring: int-701 SKIPPED, saying why" \
    grep -q 'object:4: the device has no object 4 (Connectivity Monitoring) (device description .*no4.json)' "$TMP/s.txt"
# int-1230 is for LwM2M 1.1 devices: a 1.0 device (the simulator's default), or one whose
# device profile declares 1.0, gets it SKIPPED with the reason, also when it is the only case
# (the run starts the device and learns its version from its Register first).
"$TOOL" run --sim --config fixtures/c11.json --only int-1230 --no-color --timeout "$(scaled 1)" \
    >"$TMP/s.txt" 2>&1
check "a 1.0 device: int-1230 SKIPPED, saying the device registered as LwM2M 1.0" \
    grep -q 'not applicable: needs lwm2m-1.1: the device is LwM2M 1.0 (as it registered)' "$TMP/s.txt"
echo '{"lwm2m": "1.0"}' >"$TMP/v10.profile.json"
"$TOOL" run --sim --lwm2m 1.1 --config fixtures/c11.json --profile "$TMP/v10.profile.json" \
    --only int-1230 --no-color --timeout "$(scaled 1)" >"$TMP/s.txt" 2>&1
check "a device profile declaring LwM2M 1.0: int-1230 SKIPPED, naming the profile" \
    grep -q 'not applicable: needs lwm2m-1.1: the device profile .*v10.profile.json declares LwM2M 1.0' "$TMP/s.txt"
# A device described without the power saving resources of object 10 version 1.1
grep -v '"/10/0/1[23]"' fixtures/simdev.json >"$TMP/no-psm.json"
"$TOOL" list --description "$TMP/no-psm.json" >"$TMP/l.txt" 2>&1
check "list: int-1210 needs the device's power saving value" \
    grep -q 'int-1210 .*not applicable: needs a value at /10/0/1[23]' "$TMP/l.txt"
check "list: int-1230 needs the device's power saving values" \
    grep -q 'int-1230 .*not applicable: needs a value at /10/0/1[23]' "$TMP/l.txt"
"$TOOL" list --description fixtures/simdev.json >"$TMP/l.txt" 2>&1
check "list: int-1230 applies to LwM2M 1.1 devices that have them" \
    grep -q 'int-1230 .*applies, to LwM2M 1.1 devices' "$TMP/l.txt"

finish
