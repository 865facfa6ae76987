#!/bin/bash
# The device description: `describe` writes one from the simulated device (its Register and
# a Read of each instance), the whole suite PASSes with it, one holding a wrong Manufacturer
# FAILs int-201/203/204 naming that value, and a run without a description checks the
# device's own values for presence and type only. Every port is picked free (port 0).
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

# --- describe on the simulated device (LwM2M 1.2, every object the suite knows) -----------
"$TOOL" describe --sim --bootstrap --lwm2m 1.2 --timeout "$(scaled 10)" --output "$TMP/d.json" \
    >"$TMP/d.out" 2>"$TMP/d.err"
rc=$?
check "describe --sim --bootstrap: exit 0" test "$rc" -eq 0
check "describe says what it wrote and what to do with it" \
    grep -q 'described lwm2m-simdev (LwM2M 1.2, binding U): .* written to .*d.json: review it' "$TMP/d.err"
check "the description is JSON" python3 -m json.tool "$TMP/d.json" >/dev/null
check "it holds the Manufacturer the device reported" grep -q '"/3/0/0": "lwm2m-conform"' "$TMP/d.json"
check "it holds the LwM2M version of the Register" grep -q '"lwm2m": "1.2"' "$TMP/d.json"
for obj in 3 4 5 6 7 10 16; do
    check "it lists object $obj with its instance" grep -q "\"$obj\": {\"0\": \\[" "$TMP/d.json"
done
check "values that change by themselves are volatile (radio, IP address, cell, clock)" \
    grep -q '"volatile": \[.*"/3/0/13".*"/4/0/2".*"/4/0/4".*"/4/0/8"' "$TMP/d.json"
check "the test's own accounts are not described (no Security or Server values)" \
    not_in '"/[01]/' "$TMP/d.json"

"$TOOL" describe --sim --timeout "$(scaled 10)" >"$TMP/d2.out" 2>"$TMP/d2.err"
check "describe without --output writes to standard output" grep -q '"/3/0/1": "lwm2m-simdev"' "$TMP/d2.out"
check "a device of the simulator's default version is described as LwM2M 1.0" \
    grep -q '"lwm2m": "1.0"' "$TMP/d2.out"

"$TOOL" describe --port 1=0 --port 2=0 --bind 127.0.0.1 --timeout 1 --output "$TMP/none.json" \
    >"$TMP/n.out" 2>"$TMP/n.err"
rc=$?
check "describe with no device: exit 1, saying it did not register" \
    eval '[ "$rc" -eq 1 ] && grep -q "did not register within 1 s" "$TMP/n.err"'
check "describe with no device writes no file" test ! -e "$TMP/none.json"

# --- the whole suite with the description describe wrote ----------------------------------
# (int-103 is judged without waiting its 86400 s Disable Timeout, and plays after every case
# of its group that needs the device registered; the firmware cases need packages,
# --firmware: make demo plays them in a run of their own; the ETS's observation periods
# (int-304/312/313's 30-45 s, int-1900's hour) and 60 s Send waits are shortened
# ($SHORT_WAITS), so int-1900 runs too)
"$TOOL" run --sim --bootstrap --lwm2m 1.2 --description "$TMP/d.json" --var lifetime=3 --var new_lifetime=4 $SHORT_WAITS \
    --timeout "$(scaled 10)" --no-color --junit "$TMP/all.xml" >"$TMP/all.txt" 2>&1
rc=$?
summary=$(grep -E '^[0-9]+ cases:' "$TMP/all.txt")
notpassed=$(grep -E '^(FAIL|INCONCLUSIVE|ERROR) +int-' "$TMP/all.txt" | awk '{print $1, $2}' | tr '\n' ' ')
[ -n "$notpassed" ] && summary="$summary; not passed: $notpassed" && grep -E -A4 '^FAIL int-' "$TMP/all.txt" | sed 's/^/# /'

skipped=$(grep -E '^SKIPPED  int-' "$TMP/all.txt" | awk '{print $2}' | grep -v '^int-7[5-8][0-9]$' | sort -V | tr '\n' ' ')
# (int-108/109 need a device that registers in queue mode, int-110/111 one that registers with
# a Profile ID: only a device profile declares those, and the simulated device does neither
# unless told)
check "the whole suite with the written description: all PASS but the queue-mode and Profile ID cases and the firmware cases ($summary; skipped: $skipped)" \
    eval '[ "$rc" -eq 0 ] && [[ "$summary" == *" 0 failed, 0 inconclusive, "*" skipped, 0 errors"* ]] && [ "$skipped" = "int-108 int-109 int-110 int-111 " ]'
check "no case SKIPPED for a missing object or LwM2M version" \
    not_in 'not applicable: needs \(object\|lwm2m-1.1\|value\)' "$TMP/all.txt"
check "int-103 PASSes without waiting its Disable Timeout, and says so" \
    eval 'grep -q "^PASS  int-103" "$TMP/all.txt" && grep -q "^Note: int-103 executed Disable (/1/0/4): the device stays disabled" "$TMP/all.txt"'
# (it plays last of its configuration group: what follows starts from a reset, another
# group's provisioning or a factory case; the summary above says none of them failed)
check "JUnit valid" valid_junit "$TMP/all.xml"
check "each case in its own configuration: C.14 and the one-server group, one switch" \
    grep -q '^plan: [0-9]* cases, [0-9]* device resets' "$TMP/all.txt"

# --- a wrong Manufacturer in the description ----------------------------------------------
sed 's|"/3/0/0": "lwm2m-conform"|"/3/0/0": "ACME Wrong Corp"|' "$TMP/d.json" >"$TMP/wrong.json"
"$TOOL" run --sim --bootstrap --lwm2m 1.2 --description "$TMP/wrong.json" \
    --only int-201,int-203,int-204 --timeout "$(scaled 10)" --no-color >"$TMP/w.txt" 2>&1
rc=$?
got="$(verdict_of "$TMP/w.txt" int-201) $(verdict_of "$TMP/w.txt" int-203) $(verdict_of "$TMP/w.txt" int-204)"
check "a wrong Manufacturer: int-201/203/204 FAIL, exit 1 ($got)" \
    eval '[ "$rc" -eq 1 ] && [ "$got" = "FAIL FAIL FAIL" ]'
check "each names the described value and the device's" \
    test "$(grep -c '(/3/0/0 is "lwm2m-conform", expected "ACME Wrong Corp")' "$TMP/w.txt")" -eq 3
check "only criterion A of each fails" test "$(failing_criteria "$TMP/w.txt")" = "int-201 A int-203 A int-204 A"

# --- a device with fewer instances than the simulator: Anjay's shape ------------------------
# one power source (no /3/0/6/1, /3/0/7/1, /3/0/8/1), object 19 without C.15's instance 1, and
# no Activated Profile Name (/10/0/11 listed, no instance: a Discover's </10/0/11>;dim=0)
python3 - "$TMP/d.json" "$TMP/small.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for p in ("/3/0/6/1", "/3/0/7/1", "/3/0/8/1", "/10/0/11/0"):
    d["values"].pop(p, None)
d["objects"]["19"].pop("1", None)
d["values"] = {k: v for k, v in d["values"].items() if not k.startswith("/19/1/")}
json.dump(d, open(sys.argv[2], "w"))
PY
check "describe lists a resource the Read did not show but the Discover did (/10/0/11)" \
    python3 -c 'import json,sys; assert 11 in json.load(open(sys.argv[1]))["objects"]["10"]["0"]' "$TMP/d.json"
"$TOOL" run --sim --bootstrap --lwm2m 1.2 --description "$TMP/small.json" \
    --only int-266,int-312,int-1901,int-1200 --timeout "$(scaled 10)" --no-color --json "$TMP/s.json" >"$TMP/s.txt" 2>&1
got="$(verdict_of "$TMP/s.txt" int-266) $(verdict_of "$TMP/s.txt" int-312) $(verdict_of "$TMP/s.txt" int-1901) $(verdict_of "$TMP/s.txt" int-1200)"
check "one power source: int-266/312 SKIPPED; no /19/1: int-1901 SKIPPED; int-1200 runs ($got)" \
    test "$got" = "SKIPPED SKIPPED SKIPPED PASS"
check "int-1901 names the instance the description lacks" \
    grep -q 'needs instance /19/1 (step 1 addresses /19/1/0; the device description .*small.json lists object 19 without it)' "$TMP/s.txt"
check "int-1200 does not require the Activated Profile Name the description says is not there" \
    grep -q '/10/0/11/0 not required (not there: .*small.json lists no such resource instance)' "$TMP/s.json"

# --- no description: presence and type only, and a note -----------------------------------
# a device command that is not --sim: the tool knows nothing of the device but its Register
dev="exec $SIMDEV --config fixtures/c14.json --description fixtures/simdev.json --bootstrap"
dev+=' --bootstrap-uri "$LWM2M_CONFORM_BOOTSTRAP_URI"'
"$TOOL" run --bootstrap --device-cmd "$dev" --bind 127.0.0.1 --port bs=0 --port 1=0 --port 2=0 \
    --only int-201,int-203,int-651,int-701 --timeout "$(scaled 10)" --no-color >"$TMP/p.txt" 2>&1
check "without a description int-201 and int-203 PASS on presence and type" \
    eval '[ "$(verdict_of "$TMP/p.txt" int-201)" = PASS ] && [ "$(verdict_of "$TMP/p.txt" int-203)" = PASS ]'
check "int-701 runs: the Register lists Connectivity Monitoring" \
    test "$(verdict_of "$TMP/p.txt" int-701)" = PASS
check "int-651 needs the device's initial values: SKIPPED, saying to give a description" \
    grep -q 'value:/3/0/1[45]: the case needs the device.s value at /3/0/1[45], and no device description gives it' "$TMP/p.txt"
check "the report says no description was given and what that means" \
    grep -q 'no device description (--description FILE.*presence and type only' "$TMP/p.txt"

# a description that is not one: a usage error naming the file and the key
echo '{"lwm2m": "2.0"}' >"$TMP/bad.json"
"$TOOL" run --sim --description "$TMP/bad.json" --only int-201 >"$TMP/b.txt" 2>&1
rc=$?
check "a malformed description: exit 2, naming the file and what is wrong" \
    eval '[ "$rc" -eq 2 ] && grep -q "bad.json: \"lwm2m\" must be" "$TMP/b.txt"'

finish
