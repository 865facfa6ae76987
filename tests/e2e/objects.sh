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

finish
