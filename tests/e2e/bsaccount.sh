#!/bin/bash
# The device's own bootstrap account is the device's (issue 8 item 4): a simulated device
# that keeps it in /0/0, where C.14 puts server account #1, passes the whole bootstrap
# suite; the tool learns where the account is (Bootstrap-Discover /0) and never writes or
# deletes it; criteria that name instances follow the placement; a case that would touch the
# account is an ERROR, not sent. Every wait is a step timeout; nothing sleeps.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash
export TMPDIR=$TMP # device logs

# Runs its arguments as one condition, so "check WHAT all A -- B" needs both A and B.
all() { local cmd=(); for a in "$@"; do if [ "$a" = -- ]; then "${cmd[@]}" || return 1; cmd=(); else cmd+=("$a"); fi; done; "${cmd[@]}"; }
not() { ! "$@"; }
verdicts() { local f=$1 out="" v; shift; for c in "$@"; do v=$(verdict_of "$f" "$c"); out+="${v:--} "; done; echo "${out% }"; }
CASES=(int-0 int-1 int-4 int-8 int-9 int-950 int-951)
AT00=(--sim-arg=--bootstrap-iid=0 --readings)
# The simulator as a plain device command, as a user would start an emulator
DEVCMD=(--port bs=0 --port 1=0 --port 2=0 --device-log "$TMP/device.log" --device-cmd
        "exec $SIMDEV --config fixtures/c14.json --bootstrap --bootstrap-iid 0 --bootstrap-uri \"\$LWM2M_CONFORM_BOOTSTRAP_URI\"")
# A trace line that writes or deletes the device's bootstrap account /0/0 (or below it)
touches_00() { grep -Eq '(PUT|DELETE) /0/0([ /?]|\\n)' "$1"; }

# --- the whole suite, bootstrap account in /0/0: LwM2M 1.0 through --device-cmd, 1.1 --sim --
for v in 1.0 1.1; do
    want="PASS SKIPPED SKIPPED SKIPPED PASS PASS PASS" dev=("${DEVCMD[@]}" --readings)
    [ "$v" = 1.1 ] && want="PASS PASS PASS PASS PASS PASS PASS" dev=(--sim "${AT00[@]}" --lwm2m 1.1)
    # the registration cases that wait on the device's timers: core-cases.sh runs them
    "$TOOL" run --bootstrap "${dev[@]}" --skip int-102,int-103,int-104,int-105,int-107,int-241 $SHORT_WAITS --no-color --timeout 5 -v \
        --json "$TMP/s$v.json" --junit "$TMP/s$v.xml" >"$TMP/s$v.txt" 2>"$TMP/s$v.err"
    rc=$?
    got=$(verdicts "$TMP/s$v.txt" "${CASES[@]}")
    check "$v, bootstrap account in /0/0: every applicable case PASSES [$got], exit $rc" \
        all [ "$got" = "$want" ] -- [ "$rc" = 0 ]
    [ "$rc" = 0 ] || sed 's/^/#   /' "$TMP/s$v.txt" "$TMP/s$v.err"
    check "$v: the tool asked where the bootstrap account is (GET /0 Accept:40 -> </0/0>)" \
        grep -q 'GET /0 Accept:40[^"]*2.05 Content ct=40 [0-9]* bytes: </0/0>[,;\\]' "$TMP/s$v.json"
    check "$v: nothing was written to or deleted from /0/0" not touches_00 "$TMP/s$v.json"
    check "$v: server account #1 went to /0/1, and the report says why" \
        grep -q 'keeps its bootstrap account in /0/0, so the configuration.s instances were placed: /0/0 -> /0/1, /0/1 -> /0/0' "$TMP/s$v.txt"
    # int-0 D judged the device's instances: its Discover has /0/1 with ssid=1 and /0/0 without
    check "$v: int-0 D expected the placed instances" \
        grep -q '</0/1>;ssid=1.*</0/0>[,"]' "$TMP/s$v.json"
    # it bootstraps again after every reset: a Bootstrap-Request per bootstrap session
    n=$(grep -o 'POST /bs?ep=lwm2m-simdev' "$TMP/s$v.json" | wc -l)
    check "$v: the device bootstrapped again after each reset ($n Bootstrap-Requests, at least 5)" \
        [ "$n" -ge 5 ]
    check "$v: the report's Note says where the bootstrap account is and what moved" \
        grep -q '^Note: the device keeps its bootstrap account in Security instance /0/0 (Bootstrap-Discover /0); the tool placed the configuration.s instances around it: /0/0 -> /0/1, /0/1 -> /0/0' "$TMP/s$v.txt"
    check "$v: JUnit valid" valid_junit "$TMP/s$v.xml"
done
# after int-4's Bootstrap-Delete of /0 and /1 the device still holds its bootstrap account:
# int-4 E (contains </0/${bootstrap.security_instance}>) passed above, and the Discover shows it
check "after Bootstrap-Delete /0: the Discover still lists </0/0>" \
    grep -q 'DELETE /0[^/0-9][^"]*2.02 Deleted.*GET / Accept:40.*</0/0>' "$TMP/s1.1.json"

# --- told instead of asking -----------------------------------------------------------------
"$TOOL" run --sim --bootstrap "${AT00[@]}" --bootstrap-account-iid 0 --only int-0 --no-color \
    --timeout 5 --json "$TMP/told.json" >"$TMP/told.txt" 2>&1
rc=$?
check "--bootstrap-account-iid 0: int-0 PASS without asking (no GET /0), exit $rc" \
    all [ "$(verdict_of "$TMP/told.txt" int-0)" = PASS ] -- not_in 'GET /0 Accept' "$TMP/told.json" \
    -- [ "$rc" = 0 ]
"$TOOL" run --bootstrap-account-iid x --sim >"$TMP/bad.txt" 2>&1
check "--bootstrap-account-iid x: usage error (exit $?)" \
    grep -q 'bootstrap-account-iid x: give a Security instance id' "$TMP/bad.txt"

# --- a faulty device still fails on the placed instances ----------------------------------
# bootstrap-delete-all: Delete / takes the bootstrap account along; int-4 E names </0/0>
"$TOOL" run --sim --bootstrap "${AT00[@]}" --lwm2m 1.1 --sim-fault bootstrap-delete-all --only int-4 \
    --no-color --timeout 2 >"$TMP/da.txt" 2>&1
check "bootstrap-delete-all at /0/0: int-4 E fails, expecting </0/0>" \
    all grep -q 'FAIL int-4 criterion E' "$TMP/da.txt" -- grep -q 'expected: at least the links </0/0>' "$TMP/da.txt"
# bootstrap-discover-no-ssid: every provisioned Security link lacks ssid; int-0 D names /0/1
"$TOOL" run --sim --bootstrap "${AT00[@]}" --sim-fault bootstrap-discover-no-ssid --only int-0 \
    --no-color --timeout 2 >"$TMP/ns.txt" 2>&1
check "bootstrap-discover-no-ssid at /0/0: int-0 D fails on </0/1> (server account #1 placed there)" \
    all grep -q 'FAIL int-0 criterion D' "$TMP/ns.txt" -- grep -q '</0/1> lacks ssid' "$TMP/ns.txt"

# --- a step that would change the device's bootstrap account is refused, not sent ----------
mkdir -p "$TMP/cases"
sed -e 's/"LightweightM2M-1.0-int-9-pairing"/"LightweightM2M-1.0-int-9990"/' \
    -e 's|"path": "/0/0"|"path": "/0/1"|' testcases/readings/int-9-pairing.json >"$TMP/cases/int-9990.json"
"$TOOL" run --sim --bootstrap "${AT00[@]}" --cases "$TMP/cases" --no-color --timeout 2 \
    --json "$TMP/g.json" >"$TMP/g.txt" 2>&1
rc=$?
check "writing C.14's bootstrap account (/0/1, the device's /0/0): ERROR (exit $rc)" \
    all [ "$(verdict_of "$TMP/g.txt" int-9990)" = ERROR ] -- \
    grep -q "not sent: Bootstrap-Write /0/0 would change the device's own bootstrap account" "$TMP/g.txt"
check "... and nothing touched /0/0 on the wire" not touches_00 "$TMP/g.json"
# the same step, citing what it tests: then the tool writes the account (a case that tests it)
sed -i 's|"path": "/0/1"|"path": "/0/1", "bootstrap_account": "test fixture: the tool writes a bootstrap account only when a step cites why"|' \
    "$TMP/cases/int-9990.json"
"$TOOL" run --sim --bootstrap "${AT00[@]}" --cases "$TMP/cases" --no-color --timeout 2 -vv \
    --json "$TMP/g2.json" >"$TMP/g2.txt" 2>&1
check "a step citing 'bootstrap_account' writes C.14's bootstrap account to the device's /0/0" \
    all touches_00 "$TMP/g2.json" -- grep -q "Bootstrap-Write on the device's own bootstrap account /0/0, as the case says it tests: test fixture" "$TMP/g2.txt" \
    -- not_in 'not sent:' "$TMP/g2.txt"

check "no PSK key in any output" not_in 'Gis8TV5vcIGSo7TF1uf4AQ\|1a2b3c4d5e6f708192a3b4c5d6e7f801' "$TMP/s1.0.json"
finish
