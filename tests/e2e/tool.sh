#!/bin/bash
# End-to-end behaviour of the tool itself: deadlines, interrupts, bad input, secrets,
# serve. Every wait is on output or a process with a deadline; nothing sleeps.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

# --- a device that never registers fails int-950 when the deadline passes -------------
start=$SECONDS
"$TOOL" run --only int-951 --no-color --timeout 1 --port 1=0 --port 2=0 --junit "$TMP/j.xml" >"$TMP/out.txt" 2>&1
rc=$?
check "silent device: exit 1" [ "$rc" = 1 ]
check "silent device: int-950 FAIL on A B C D" [ "$(failing_criteria "$TMP/out.txt")" = "int-950 A int-950 B int-950 C int-950 D" ]
check "silent device: int-951 INCONCLUSIVE" [ "$(verdict_of "$TMP/out.txt" int-951)" = INCONCLUSIVE ]
check "silent device: no hang (finished in $((SECONDS - start)) s)" within "$start" 10
check "silent device: the timeout is explained" grep -q 'no Register on server 1 (UDP port [0-9]*) within 1.0 s' "$TMP/out.txt"
check "silent device: JUnit valid" valid_junit "$TMP/j.xml"

# --- SIGINT mid-run: remaining cases not run, reports still written -------------------
mkfifo "$TMP/fifo"
"$TOOL" run --no-color --timeout 60 --only int-950,int-951 --port 1=0 --port 2=0 --junit "$TMP/int.xml" --json "$TMP/int.json" \
    >"$TMP/fifo" 2>"$TMP/int.err" &
pid=$!
exec 7<"$TMP/fifo"
if wait_line 7 'server 2 waiting on UDP port' 10 >/dev/null; then
    kill -INT "$pid"
fi
cat <&7 >"$TMP/int.out" &
cat_pid=$!
wait "$pid"; rc=$?
wait "$cat_pid"
exec 7<&-
check "interrupt: exit 1" [ "$rc" = 1 ]
check "interrupt: JUnit valid" valid_junit "$TMP/int.xml"
check "interrupt: JUnit marks int-951 skipped (not run)" grep -q '<skipped message="not run' "$TMP/int.xml"
check "interrupt: JSON says interrupted" grep -q '"interrupted": true' "$TMP/int.json"
check "interrupt: summary says so" grep -qi 'interrupted' "$TMP/int.out"

# --- a port in use is a clear error, and the report still says why -----------------
mkfifo "$TMP/fifo2"
"$TOOL" serve --port 1=0 --port 2=0 >"$TMP/fifo2" 2>/dev/null &
spid=$!
exec 8<"$TMP/fifo2"
line=$(wait_line 8 'server 1: listening on UDP port' 10)
busy=${line##* }
"$TOOL" run --no-color --timeout 1 --port 1="$busy" --port 2=0 --junit "$TMP/busy.xml" >"$TMP/busy.out" 2>&1
rc=$?
kill -INT "$spid"; wait "$spid"; exec 8<&-
check "port in use: exit 3" [ "$rc" = 3 ]
check "port in use: message names the port" grep -q "UDP port $busy on 127.0.0.1 is already in use" "$TMP/busy.out"
check "port in use: JUnit has the cases as errors" grep -q "already in use" "$TMP/busy.xml"
check "port in use: JUnit valid" valid_junit "$TMP/busy.xml"

# --- bad input: configuration, definitions ----------------------------------------------
"$TOOL" run --config "$TMP/missing.json" >"$TMP/o" 2>&1; rc=$?
check "missing configuration: exit 2" [ "$rc" = 2 ]
check "missing configuration: names the file" grep -q "missing.json" "$TMP/o"
printf '{"bn":"/",\n "e":[\n  {"n":"0/0/0","sv":"coaps://127.0.0.1:5684"},\n  // comment\n ]}\n' >"$TMP/bad.json"
"$TOOL" run --config "$TMP/bad.json" >"$TMP/o" 2>&1; rc=$?
check "malformed configuration: exit 2" [ "$rc" = 2 ]
check "malformed configuration: file:line:column" grep -q "bad.json:4:3:" "$TMP/o"
mkdir -p "$TMP/cases"
cp testcases/*.json "$TMP/cases/"
sed -i 's/"op": "discover"/"op": "discoverr"/' "$TMP/cases/int-951.json"
"$TOOL" run --sim --cases "$TMP/cases" >"$TMP/o" 2>&1; rc=$?
check "bad definition: exit 2" [ "$rc" = 2 ]
check "bad definition: file:line:column and JSON path" grep -Eq "int-951.json:[0-9]+:[0-9]+: /steps/2/op: unknown operation 'discoverr'" "$TMP/o"
"$TOOL" validate "$TMP/cases/int-951.json" >"$TMP/o" 2>&1; rc=$?
check "validate bad definition: exit 2" [ "$rc" = 2 ]
"$TOOL" validate testcases/*.json testcases/readings/*.json >"$TMP/o" 2>&1; rc=$?
check "validate the shipped definitions: exit 0" [ "$rc" = 0 ]
n=$(ls testcases/*.json | wc -l)
"$TOOL" validate testcases >"$TMP/o" 2>&1; rc=$?
check "validate the testcases directory as a suite: exit 0" eval '[ "$rc" = 0 ] && grep -q "testcases: ok ($n cases)" "$TMP/o"'
# Issue 20's rules: a step no criterion judges and a wait for a device-initiated message
# without its bound are refused, each named where it is.
mkdir -p "$TMP/rules"
sed -e '/"unjudged": "a clean-up step, not in the draft: the tool cancels/s/, "unjudged": "[^"]*"//' \
    testcases/int-710.json >"$TMP/rules/int-710.json"
sed -e '/"after_step": 0/d' -e 's/"op": "expect-register",$/"op": "expect-register"/' \
    testcases/int-101.json >"$TMP/rules/int-101.json"
"$TOOL" validate "$TMP/rules" >"$TMP/o" 2>&1; rc=$?
check "validate: a step no criterion judges is refused, exit 2 (got $rc)" \
    eval '[ "$rc" = 2 ] && grep -q "int-710.json:[0-9]*:[0-9]*: /steps/3: no criterion judges step 4 (cancel-observe /4/0)" "$TMP/o"'
check "validate: an expect-register without after_step is refused" \
    grep -q 'int-101.json:[0-9]*:[0-9]*: /steps/0: expect-register waits for a message the device initiates' "$TMP/o"
sed -i 's/^  "id": \("[^"]*"\),$/  "id": \1, "depends_on": ["int-951"],/' "$TMP/cases/int-950.json"
cp testcases/int-951.json "$TMP/cases/int-951.json"
"$TOOL" validate "$TMP/cases" >"$TMP/o" 2>&1; rc=$?
check "validate a directory with a dependency cycle: exit 2, cycle named" eval '[ "$rc" = 2 ] && grep -q "cycle" "$TMP/o"'
"$TOOL" run --bogus >"$TMP/o" 2>&1; rc=$?
check "unknown option: exit 2" [ "$rc" = 2 ]
"$TOOL" run --sim --only int-999 >"$TMP/o" 2>&1; rc=$?
check "--only with an unknown id: exit 2" [ "$rc" = 2 ]

# --- --only pulls in dependencies; --skip reports SKIPPED ----------------------------
"$TOOL" run --sim --no-color --timeout 3 --only int-951 >"$TMP/o" 2>&1; rc=$?
check "--only int-951 runs int-950 first and passes" eval '[ "$rc" = 0 ] && grep -q '\''^PASS  int-950'\'' "$TMP/o"'
"$TOOL" run --sim --no-color --timeout 3 --only int-950,int-951 --skip int-951 >"$TMP/o" 2>&1; rc=$?
check "--skip int-951: SKIPPED, exit 0" eval '[ "$rc" = 0 ] && [ "$(verdict_of "$TMP/o" int-951)" = SKIPPED ]'

# --- PSK keys never appear in logs, traces or reports --------------------------------
"$TOOL" run --sim --no-color --timeout 3 --only int-950,int-951 -vvv --junit "$TMP/s.xml" --json "$TMP/s.json" >"$TMP/s.out" 2>"$TMP/s.err"
leak=0
for k in 1a2b3c4d5e6f708192a3b4c5d6e7f801 9f8e7d6c5b4a39281706f5e4d3c2b1a0 b5a1c0ffee0102030405060708090a0b; do
    b64=$(printf '%b' "$(sed 's/../\\x&/g' <<<"$k")" | base64)
    for f in "$TMP/s.out" "$TMP/s.err" "$TMP/s.xml" "$TMP/s.json"; do
        grep -qi -e "$k" -e "$b64" "$f" && leak=1
    done
done
check "secrets: no PSK key (hex or Base64) in stdout, stderr, JUnit or JSON at -vvv" [ "$leak" = 0 ]
check "secrets: the trace is there (so the check means something)" grep -q 'POST /rd' "$TMP/s.xml"

# --- keys from the environment instead of the file ------------------------------------
LWM2M_PSK_KEY_1=00112233445566778899aabbccddeeff LWM2M_PSK_KEY_2=ffeeddccbbaa99887766554433221100 \
    "$TOOL" run --sim --no-color --timeout 3 --only int-950,int-951 >"$TMP/o" 2>&1; rc=$?
check "keys from LWM2M_PSK_KEY_<ssid>: tool and device agree, exit 0" [ "$rc" = 0 ]
grep -v '"0/[012]/5"' fixtures/c14.json >"$TMP/nokeys.json"
LWM2M_PSK_KEY_1=00112233445566778899aabbccddeeff LWM2M_PSK_KEY_2=ffeeddccbbaa99887766554433221100 \
    "$TOOL" run --sim --no-color --timeout 3 --only int-950,int-951 --config "$TMP/nokeys.json" >"$TMP/o" 2>&1; rc=$?
check "no keys in the configuration file, all from the environment: exit 0" [ "$rc" = 0 ]
LWM2M_PSK_KEY_1=00112233445566778899aabbccddeeff \
    "$TOOL" run --sim --no-color --timeout 3 --only int-950,int-951 --config "$TMP/nokeys.json" >"$TMP/o" 2>&1; rc=$?
check "a key missing everywhere: exit 2, and the message says where to give it" eval '[ "$rc" = 2 ] && grep -q '\''server 2 (/0/2) uses PSK but has no key: put it in /0/2/5 (Base64), LWM2M_PSK_KEY_2'\'' "$TMP/o"'
printf '# test keys\n1 00112233445566778899aabbccddeeff\n' >"$TMP/keys"
"$TOOL" run --sim --no-color --timeout 3 --only int-950,int-951 --psk-file "$TMP/keys" >"$TMP/o" 2>&1; rc=$?
check "keys from --psk-file: exit 0" [ "$rc" = 0 ]

# --- a wrong PSK key on the device: the handshake fails and the report says so ---------
mkfifo "$TMP/fifo3"
"$TOOL" run --only int-951 --no-color --timeout 3 --port 1=0 --port 2=0 >"$TMP/fifo3" 2>&1 &
pid=$!
exec 9<"$TMP/fifo3"
p1=$(wait_line 9 'server 1 waiting on UDP port' 10); p1=${p1##* }
p2=$(wait_line 9 'server 2 waiting on UDP port' 10); p2=${p2##* }
LWM2M_PSK_KEY_1=00000000000000000000000000000000 "$SIMDEV" --config fixtures/c14.json \
    --server-uri "1=coaps://127.0.0.1:$p1" --server-uri "2=coaps://127.0.0.1:$p2" >/dev/null 2>&1 &
sim=$!
cat <&9 >"$TMP/wk.out"
wait "$pid"; rc=$?
kill -TERM "$sim" 2>/dev/null; wait "$sim" 2>/dev/null
exec 9<&-
check "wrong key: int-950 fails A and B only" [ "$(failing_criteria "$TMP/wk.out")" = "int-950 A int-950 B" ]
check "wrong key: the report says the handshake failed" grep -q 'handshake' "$TMP/wk.out"

# --- serve: a user checks that a device connects at all --------------------------------
mkfifo "$TMP/fifo4"
"$TOOL" serve --json --port 1=0 --port 2=0 >"$TMP/fifo4" 2>"$TMP/serve.err" &
spid=$!
exec 6<"$TMP/fifo4"
l1=$(wait_line 6 '"event":"listening".*"short_server_id":1' 10)
l2=$(wait_line 6 '"event":"listening".*"short_server_id":2' 10)
p1=$(sed 's/.*"port":\([0-9]*\).*/\1/' <<<"$l1"); p2=$(sed 's/.*"port":\([0-9]*\).*/\1/' <<<"$l2")
"$SIMDEV" --config fixtures/c14.json --server-uri "1=coaps://127.0.0.1:$p1" --server-uri "2=coaps://127.0.0.1:$p2" >/dev/null 2>&1 &
sim=$!
r1=$(wait_line 6 '"event":"register"' 10)
r2=$(wait_line 6 '"event":"register"' 10)
kill -TERM "$sim"; wait "$sim"
d1=$(wait_line 6 '"event":"deregister"' 10)
kill -INT "$spid"; wait "$spid"; exec 6<&-
check "serve --json: both registrations printed" eval '[ -n "$r1" ] && [ -n "$r2" ]'
check "serve --json: identity and cipher suite shown" eval 'grep -q '\''"psk_identity":"lwm2m-conform-'\'' <<<"$r1$r2" && grep -q '\''"cipher_suite":"TLS-'\'' <<<"$r1"'
check "serve --json: de-registration printed" [ -n "$d1" ]

# --- serve --bootstrap: a factory-fresh device is provisioned and registers -------------
mkfifo "$TMP/fifo5"
"$TOOL" serve --json --bootstrap --port bs=0 --port 1=0 --port 2=0 >"$TMP/fifo5" 2>"$TMP/serve-bs.err" &
spid=$!
exec 5<"$TMP/fifo5"
lb=$(wait_line 5 '"event":"listening".*"short_server_id":0' 10)
pb=$(sed 's/.*"port":\([0-9]*\).*/\1/' <<<"$lb")
"$SIMDEV" --config fixtures/c14.json --bootstrap --bootstrap-uri "coaps://127.0.0.1:$pb" >/dev/null 2>&1 &
sim=$!
prov=$(wait_line 5 '"event":"bootstrap-provisioned"' 15)
r1=$(wait_line 5 '"event":"register".*"short_server_id":[12]' 10)
r2=$(wait_line 5 '"event":"register".*"short_server_id":[12]' 10)
kill -TERM "$sim"; wait "$sim"
kill -INT "$spid"; wait "$spid"; exec 5<&-
check "serve --bootstrap: the device is provisioned" [ -n "$prov" ]
check "serve --bootstrap: it then registers with both servers" eval '[ -n "$r1" ] && [ -n "$r2" ] && [ "$r1" != "$r2" ]'

# --- the simulated device dies: ERROR at once (a tool problem), not a wait for deadlines ---
start=$SECONDS
"$TOOL" run --sim --no-color --timeout 30 --only int-950 --sim-fault no-such-fault --junit "$TMP/dead.xml" >"$TMP/o" 2>&1; rc=$?
check "dead simulator: exit 3" [ "$rc" = 3 ]
check "dead simulator: int-950 is an ERROR saying the device exited" \
    grep -q 'the device command exited with status 2 before the run ended; its log .* ends: .*bootstrap' "$TMP/o"
# well inside the deadline, however slow the build: a third of it
check "dead simulator: noticed without waiting out the 30 s deadline ($((SECONDS - start)) s)" [ $((SECONDS - start)) -lt 10 ]
check "dead simulator: JUnit valid" valid_junit "$TMP/dead.xml"

# --- NoSec accounts (coap://, security mode 3), as labs run NoSec variants -------------
"$TOOL" run --sim --no-color --timeout 3 --only int-950,int-951 --config fixtures/c14-nosec.json >"$TMP/o" 2>&1; rc=$?
check "NoSec configuration: int-950/951 PASS, exit 0" [ "$rc" = 0 ]
"$TOOL" run --sim --no-color --timeout 3 --only int-950,int-951 --config fixtures/c14-nosec.json --sim-fault shared-attributes >"$TMP/o" 2>&1; rc=$?
check "NoSec configuration: shared-attributes still fails int-951 C" [ "$(failing_criteria "$TMP/o")" = "int-951 C" ]

finish
