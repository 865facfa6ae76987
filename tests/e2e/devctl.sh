#!/bin/bash
# Device control end to end: the tool starts and resets the device itself (--device-cmd, a
# plain shell command line running the simulator, and --reset-cmd), skips at once what it
# cannot reset without a terminal, reports a device command that dies as an ERROR at once
# (and one that dies on a request as that step's FAIL, starting it again for the next case),
# and judges only the device it names (--endpoint) when two devices talk to it. Every wait
# is on a process or a line of output with a deadline; nothing sleeps.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

all() { local cmd=(); for a in "$@"; do if [ "$a" = -- ]; then "${cmd[@]}" || return 1; cmd=(); else cmd+=("$a"); fi; done; "${cmd[@]}"; }
verdicts() { local f=$1 out="" v; shift; for c in "$@"; do v=$(verdict_of "$f" "$c"); out+="${v:--} "; done; echo "${out% }"; }
# seconds of a case's line: "PASS  int-0  Client …  (0.12 s)" -> 0.12
case_secs() { sed -n "s/^[A-Z]*  $2  .*(\([0-9.]*\) s.*/\1/p" "$1" | head -n1; }
under() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 < b + 0) }'; }
CASES=(int-0 int-1 int-4 int-8 int-9 int-401 int-950 int-951)
# the registration cases wait on the device's timers and provoke Registers of their own
# (int-109 is planned with a reset but SKIPPED once the Register shows no queue mode):
# tests/e2e/core-cases.sh runs them
REG=int-101,int-102,int-103,int-104,int-105,int-107,int-108,int-109,int-241
PORTS=(--bind 127.0.0.1 --port bs=0 --port 1=0 --port 2=0 --ack-timeout 1000)
SIM=$(cd "$(dirname "$SIMDEV")" && pwd)/$(basename "$SIMDEV")
KEYS=(1a2b3c4d5e6f708192a3b4c5d6e7f801 9f8e7d6c5b4a39281706f5e4d3c2b1a0 b5a1c0ffee0102030405060708090a0b)

# --- the whole bootstrap suite, the simulator started and reset through --device-cmd ------
# A plain command line: it learns the bootstrap server's real port from the environment,
# and prints what it got (and, badly behaved, the PSK key it holds) before it starts. A 1.1
# device with a periodic Send, as ETS INT 1.2's Send cases presuppose (no --send-cmd here).
cmd='echo "case=$LWM2M_CONFORM_CASE bs=$LWM2M_CONFORM_BOOTSTRAP_URI s1=$LWM2M_CONFORM_SERVER_URI_1 s2=$LWM2M_CONFORM_SERVER_URI_2 key=1a2b3c4d5e6f708192a3b4c5d6e7f801"
exec '"'$SIM'"' --config fixtures/c14.json --bootstrap --bootstrap-uri "$LWM2M_CONFORM_BOOTSTRAP_URI" --lwm2m 1.1 --send-period 1 -v'
"$TOOL" run --bootstrap --readings --skip "$REG" --lwm2m 1.1 --device-cmd "$cmd" --device-log "$TMP/dev.log" \
    "${PORTS[@]}" $SHORT_WAITS --no-color --timeout 5 --junit "$TMP/full.xml" --json "$TMP/full.json" \
    </dev/null >"$TMP/full.txt" 2>"$TMP/full.err"
rc=$?
got=$(verdicts "$TMP/full.txt" "${CASES[@]}")
check "--device-cmd: every case of the bootstrap suite PASSES [$got], exit $rc" \
    all [ "$got" = "PASS PASS PASS PASS PASS PASS PASS PASS" ] -- [ "$rc" = 0 ]
planned=$(sed -n 's/^plan: [0-9]* cases, \([0-9]*\) device resets$/\1/p' "$TMP/full.txt")
made=$(sed -n 's/^  device resets   [0-9]* planned, \([0-9]*\) made$/\1/p' "$TMP/full.txt")
check "--device-cmd: planned resets printed before the run ($planned), made ones at the end ($made), equal" \
    all [ -n "$planned" ] -- [ "$planned" = "$made" ] -- [ "$planned" -ge 1 ]
order=$(grep -Eo '^[A-Z]+  int-[0-9]+' "$TMP/full.txt" | awk '{print $2}' | tr '\n' ' ')
first_reset=$(grep -Eo '^[A-Z]+  int-(1|4|8|9)  ' "$TMP/full.txt" | head -1 | awk '{print $2}')
check "--device-cmd: int-0 runs first on the device as started, int-950 on what it left, int-951 before any reset case [$order]" \
    all [ "${order%% *}" = int-0 ] -- [ "$(echo "$order" | cut -d' ' -f2)" = int-950 ] -- \
        grep -q "int-951 .*$first_reset " <<<"$order"
# (which reset case starts the device depends on the plan's groups: one of the factory cases)
check "--device-cmd: the environment has the real ports and the case" \
    grep -Eq '^case=int-(1|4|5|6|7|8|9|12) bs=coaps://127\.0\.0\.1:[1-9][0-9]* s1=coaps://127\.0\.0\.1:[1-9][0-9]* s2=coaps://' "$TMP/dev.log"
check "--device-cmd: the device was started once per reset, plus once" \
    [ "$(grep -c '^=== lwm2m-conform: starting the device' "$TMP/dev.log")" = $((made + 1)) ]
check "--device-cmd: the report opens with the device, its command and log" \
    all grep -q '^Device under test' "$TMP/full.txt" -- grep -q '^  endpoint        lwm2m-simdev$' "$TMP/full.txt" -- \
        grep -q '^  LwM2M version   1.1$' "$TMP/full.txt" -- \
        grep -Eq '^  server 1        PSK identity lwm2m-conform-1, TLS-' "$TMP/full.txt" -- \
        grep -q "^  device log      $TMP/dev.log" "$TMP/full.txt" -- grep -q '^  device command  echo ' "$TMP/full.txt"
# (output the device writes after a case ended lands in the next case's: not every case
# need have some, but most do)
check "--device-cmd: JUnit valid, the cases carry the device's output in system-err" \
    all valid_junit "$TMP/full.xml" -- [ "$(grep -c '<system-err>' "$TMP/full.xml")" -ge 4 ] -- \
        grep -q 'name="device.log"' "$TMP/full.xml"
check "--device-cmd: the JSON report has the device under test and the resets" \
    grep -q "\"resets_made\": $made" "$TMP/full.json"
leak=0
for k in "${KEYS[@]}"; do
    b64=$(printf '%b' "$(sed 's/../\\x&/g' <<<"$k")" | base64)
    for f in "$TMP/dev.log" "$TMP/full.txt" "$TMP/full.err" "$TMP/full.xml" "$TMP/full.json"; do
        grep -qi -e "$k" -e "$b64" "$f" && leak=1
    done
done
check "--device-cmd: no PSK key in the device log or the reports, though the device printed one" \
    all [ "$leak" = 0 ] -- grep -q 'key=\[redacted\]' "$TMP/dev.log"
[ "$rc" = 0 ] || sed 's/^/#   /' "$TMP/full.txt" "$TMP/full.err"

# --- no device command and no terminal: what needs a reset is SKIPPED at once -------------
mkfifo "$TMP/fifo"
"$TOOL" run --bootstrap --readings --skip "$REG" "${PORTS[@]}" --no-color --timeout 5 --junit "$TMP/ci.xml" \
    </dev/null >"$TMP/fifo" 2>"$TMP/ci.err" &
pid=$!
exec 7<"$TMP/fifo"
pb=$(wait_line 7 'bootstrap waiting on UDP port' 10); pb=${pb##* }
"$SIMDEV" --config fixtures/c14.json --bootstrap --bootstrap-uri "coaps://127.0.0.1:$pb" >/dev/null 2>&1 &
sim=$!
cat <&7 >"$TMP/ci.txt"
wait "$pid"; rc=$?
kill -TERM "$sim" 2>/dev/null; wait "$sim" 2>/dev/null
exec 7<&-
got=$(verdicts "$TMP/ci.txt" "${CASES[@]}")
# (int-1, int-4, int-8 are LwM2M 1.1 cases: this 1.0 device gets them SKIPPED as such; the
# reset cases SKIPPED for want of a reset are int-9, int-401 and the reading int-9-pairing)
check "no terminal: int-0 and the cases on its provisioning PASS, the reset cases SKIPPED [$got], exit $rc" \
    all [ "$got" = "PASS SKIPPED SKIPPED SKIPPED SKIPPED SKIPPED PASS PASS" ] -- [ "$rc" = 0 ]
slow=""
for c in int-1 int-4 int-8 int-9 int-401; do under "$(case_secs "$TMP/ci.txt" "$c")" 1 || slow+="$c "; done
check "no terminal: each reset case SKIPPED within a second ${slow:+(not: $slow)}" [ -z "$slow" ]
# (the four bootstrap cases, and the object cases of one-server configurations, which need
# the device provisioned again in their own)
check "no terminal: the reason says what to give" \
    [ "$(grep -c '^  needs a factory reset: give --device-cmd or --reset-cmd$' "$TMP/ci.txt")" -ge 4 ]
check "no terminal: nobody is asked to press a button" not_in 'reset the device to its factory' "$TMP/ci.txt"

# --- a device command that exits at once: ERROR in under a second, with status and log ----
start=$SECONDS
"$TOOL" run "${PORTS[@]}" --device-cmd 'echo "no board on /dev/ttyACM0" >&2; exit 7' --no-color \
    --timeout 30 --junit "$TMP/dead.xml" </dev/null >"$TMP/dead.txt" 2>&1
rc=$?
# (it fails at start twice in a row: the first case played, int-101, is the one ERROR; the
# others are not run)
check "dead device command: int-101 is an ERROR, the only one, exit 3 (got $rc)" \
    all [ "$rc" = 3 ] -- [ "$(verdict_of "$TMP/dead.txt" int-101)" = ERROR ] \
        -- [ "$(grep -c '^ERROR  ' "$TMP/dead.txt")" = 1 ]
check "dead device command: noticed in under a second ($(case_secs "$TMP/dead.txt" int-101) s)" \
    under "$(case_secs "$TMP/dead.txt" int-101)" "$(scaled 1)"
check "dead device command: the report shows its exit status and log tail" \
    grep -q 'the device command exited with status 7 before the run ended; its log .* ends: .*no board on /dev/ttyACM0' "$TMP/dead.txt"
# well inside the deadline, however slow the build: a third of it
check "dead device command: the whole run took $((SECONDS - start)) s of a 30 s deadline" [ $((SECONDS - start)) -lt 10 ]
check "dead device command: JUnit valid, the log tail in system-err" \
    all valid_junit "$TMP/dead.xml" -- grep -q '<system-err>.*no board on /dev/ttyACM0' "$TMP/dead.xml"

# --- a device that exits on a request: FAIL on that step's criterion, started again --------
# (the device did it: it stopped with the request in its hands; the case after it runs on
# the device started again)
# (int-205 writes /3/0's resources: the crash fault does not touch it; int-950 would go
# first on the device's first registration, and int-680 runs in C.1, which --sim without
# --bootstrap does not provision)
"$TOOL" run --sim --sim-fault crash-on=/3/0 --only int-203,int-205 --no-color --timeout 10 \
    --json "$TMP/crash.json" </dev/null >"$TMP/crash.txt" 2>&1
rc=$?
check "device exits on GET /3/0: int-203 FAILs criterion A, int-205 after it PASSes, exit 1 (got $rc)" \
    all [ "$rc" = 1 ] -- [ "$(verdict_of "$TMP/crash.txt" int-203)" = FAIL ] \
        -- [ "$(verdict_of "$TMP/crash.txt" int-205)" = PASS ] \
        -- [ "$(failing_criteria "$TMP/crash.txt")" = "int-203 A" ]
check "device exits on GET /3/0: the criterion says so, with the exit status and log tail" \
    grep -q 'observed: the device stopped while GET /3/0 awaited its answer: the device command exited with status 70 .* ends: .*exiting with status 70 (fault crash-on)' "$TMP/crash.txt"
check "device exits on GET /3/0: started again for the next case (1 reset made)" \
    grep -q 'device resets   0 planned, 1 made' "$TMP/crash.txt"

# --- --reset-cmd: run to completion with a deadline; a failed reset is INCONCLUSIVE -------
# (no device at all: int-0 meets the device as started and fails on its deadline; int-9
# needs the reset)
"$TOOL" run --bootstrap --only int-0,int-9 "${PORTS[@]}" --reset-cmd 'echo relay stuck; exit 3' \
    --no-color --timeout 0.5 </dev/null >"$TMP/rfail.txt" 2>&1
rc=$?
check "--reset-cmd that fails: the reset case is INCONCLUSIVE with the command's status and log" \
    all [ "$rc" = 1 ] -- [ "$(verdict_of "$TMP/rfail.txt" int-9)" = INCONCLUSIVE ] -- \
        grep -q 'preamble failed: resetting the device: the reset command exited with status 3; its log .* ends: .*relay stuck' "$TMP/rfail.txt"
start=$SECONDS
"$TOOL" run --bootstrap --only int-0,int-9 "${PORTS[@]}" --reset-cmd 'exec tail -f /dev/null' \
    --reset-timeout 0.5 --reboot-timeout 0.5 --no-color --timeout 0.5 </dev/null >"$TMP/rhang.txt" 2>&1
check "--reset-cmd that hangs: killed after --reset-timeout, INCONCLUSIVE ($((SECONDS - start)) s)" \
    all [ "$(verdict_of "$TMP/rhang.txt" int-9)" = INCONCLUSIVE ] -- \
        grep -q 'reset command did not finish within 0.5 s (--reset-timeout)' "$TMP/rhang.txt" -- within "$start" 5
# a reset command that works, for a device the tool does not run: here a "board" whose
# power switch the command toggles (it ends the simulator by its pid and starts it again in
# the background); the case then waits for the new Bootstrap-Request
board="$TMP/board.pid"
power="[ -f '$board' ] && kill -TERM \$(cat '$board'); '$SIM' --config fixtures/c14.json --bootstrap --bootstrap-uri \"\$LWM2M_CONFORM_BOOTSTRAP_URI\" >/dev/null 2>&1 & echo \$! >'$board'"
mkfifo "$TMP/fifo2"
"$TOOL" run --bootstrap --only int-0,int-9 "${PORTS[@]}" --no-color --timeout 5 \
    --reset-cmd "$power" </dev/null >"$TMP/fifo2" 2>&1 &
pid=$!
exec 8<"$TMP/fifo2"
pb=$(wait_line 8 'bootstrap waiting on UDP port' 10); pb=${pb##* }
LWM2M_CONFORM_BOOTSTRAP_URI="coaps://127.0.0.1:$pb" sh -c "$power"   # switched on by hand
cat <&8 >"$TMP/rok.txt"
wait "$pid"
exec 8<&-
[ -f "$board" ] && kill -TERM "$(cat "$board")" 2>/dev/null
check "--reset-cmd that works: int-0 and, after the reset, int-9 PASS; the resets counted" \
    all [ "$(verdicts "$TMP/rok.txt" int-0 int-9)" = "PASS PASS" ] -- grep -q '^  device resets   1 planned, 1 made$' "$TMP/rok.txt"

# --- two devices, one faulty: --endpoint judges the named one; without it, a warning ------
# The device command starts "good" (slow to answer: the run lasts while the other device
# talks), waits on its output until it has registered with server 2 (or was refused),
# then becomes "bad", which shares one attribute table between servers (int-951 C).
uris='--server-uri "1=$LWM2M_CONFORM_SERVER_URI_1" --server-uri "2=$LWM2M_CONFORM_SERVER_URI_2"'
two="F=\$TMPDIR/good.\$\$; mkfifo \"\$F\"
'$SIM' --config fixtures/c14.json --endpoint good --fault late-response=300 $uris -v >\"\$F\" 2>&1 &
exec 3<\"\$F\"
while IFS= read -r l <&3; do case \"\$l\" in *'server 2: registered'*|*'server 2: Register answered 4.03'*) break;; esac; done
cat <&3 >/dev/null &
exec '$SIM' --config fixtures/c14.json --endpoint bad --fault shared-attributes $uris"
# (int-103 left out: its Disable makes the late-responding simulated device, late-response=300,
# de-register and close its session before its late 2.04 goes out; this run is about --endpoint)
"$TOOL" run --port 1=0 --port 2=0 --bind 127.0.0.1 --endpoint good --device-cmd "$two" --no-color \
    --skip int-103,int-105,int-107 --timeout 5 --json "$TMP/good.json" --junit "$TMP/good.xml" </dev/null >"$TMP/good.txt" 2>"$TMP/good.err"
rc=$?
check "--endpoint good: the good device is judged, both cases PASS, exit $rc" \
    all [ "$(verdicts "$TMP/good.txt" int-950 int-951)" = "PASS PASS" ] -- [ "$rc" = 0 ]
check "--endpoint good: the other device is listed as ignored in text, JSON and JUnit" \
    all grep -q '^  endpoint        good$' "$TMP/good.txt" -- grep -q '^  ignored         bad$' "$TMP/good.txt" -- \
        grep -q '"ignored_endpoints"' "$TMP/good.json" -- grep -q '"bad"' "$TMP/good.json" -- \
        grep -q 'name="device.ignored_endpoint" value="bad"' "$TMP/good.xml"
"$TOOL" run --port 1=0 --port 2=0 --bind 127.0.0.1 --endpoint bad --device-cmd "$two" --no-color \
    --skip int-105,int-107 --timeout 5 </dev/null >"$TMP/bad.txt" 2>&1
check "--endpoint bad: the faulty device is judged and fails int-951 C" \
    all [ "$(failing_criteria "$TMP/bad.txt")" = "int-951 C" ] -- grep -q '^  ignored         good$' "$TMP/bad.txt"
"$TOOL" run --port 1=0 --port 2=0 --bind 127.0.0.1 --device-cmd "$two" --no-color \
    --skip int-105,int-107 --timeout 5 </dev/null >"$TMP/both.txt" 2>"$TMP/both.err"
judged=$(sed -n 's/^  endpoint        \(.*\)$/\1/p' "$TMP/both.txt")
other=$([ "$judged" = good ] && echo bad || echo good)
check "no --endpoint: a warning names both devices and the one judged ($judged)" \
    grep -q "a second device, \"$other\", talks to the tool while \"$judged\" is under test: only \"$judged\" is judged" "$TMP/both.err"

finish
