#!/usr/bin/env bash
# Reboots and restarts (issue 16): a device rebooted by int-241 (Execute /3/0/4) comes back
# within --reboot-timeout however it reboots — in its process keeping its state, as a
# process that exits (the tool starts it again), as a process that starts itself again
# without its state (it bootstraps again: an unplanned bootstrap, provisioned and noted),
# after a 10 s bootstrap hold-off; a Register queued before the Execute never counts; a
# device that does not come back fails int-241 B and leaves the next case restored or
# INCONCLUSIVE, never FAIL; the bench flow (device started by hand after the tool, no
# bootstrap server, no device command, no terminal) judges int-101, int-950 and int-951 on
# the device's first registration; a device command that fails at start twice in a row is
# one ERROR. Free ports only; every wait is bounded.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.bash

all() { local cmd=(); for a in "$@"; do if [ "$a" = -- ]; then "${cmd[@]}" || return 1; cmd=(); else cmd+=("$a"); fi; done; "${cmd[@]}"; }
PORTS=(--bind 127.0.0.1 --port bs=0 --port 1=0 --port 2=0)
SIM="$PWD/$SIMDEV"
verdicts() { local f=$1; shift; local out=; for c in "$@"; do out="$out $(verdict_of "$f" "$c")"; done; echo "${out# }"; }
case_secs() { sed -n "s/^[A-Z]*  $2  .*(\([0-9.]*\) s)$/\1/p" "$1" | head -n1; }
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

free_udp_port() {
    python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# reboot NAME SIM-ARGS… -- TOOL-OPTIONS…: int-241 then int-652 on the bundled simulator
# with these options, bootstrapped by the tool; the report in $TMP/NAME.txt
reboot() {
    local name=$1; shift
    local sa=()
    while [ "$1" != -- ]; do sa+=("--sim-arg=$1"); shift; done
    shift
    "$TOOL" run --sim --bootstrap "${PORTS[@]}" --only int-241,int-652 --no-color "${sa[@]}" "$@" \
        --json "$TMP/$name.json" --junit "$TMP/$name.xml" </dev/null >"$TMP/$name.txt" 2>&1
}
pass_both() { [ "$(verdicts "$TMP/$1.txt" int-241 int-652)" = "PASS PASS" ]; }
noted_bootstrap() { # in text, JSON and JUnit
    grep -q 'Note: unplanned bootstrap int-241 step 2: .* the tool provisioned it' "$TMP/$1.txt" &&
        grep -q 'unplanned bootstrap int-241 step 2' "$TMP/$1.json" &&
        grep -q 'unplanned bootstrap int-241 step 2' "$TMP/$1.xml"
}
restarted_note() { grep -q 'exited after a Reboot or Factory Reset Execute and was started again 1 time' "$TMP/$1.txt"; }

# --- in its process, keeping what it holds (the simulator's default) -------------------------
reboot keep -- --timeout 10; rc=$?
check "reboot in its process: int-241 and int-652 after it PASS (exit $rc)" all [ "$rc" = 0 ] -- pass_both keep
check "reboot in its process: no unplanned bootstrap noted" not_in 'unplanned bootstrap' "$TMP/keep.txt"

# --- a process that exits on the reboot: the tool starts it again --------------------------
reboot exit --reboot=exit --local-port="$(free_udp_port)" -- --timeout 10; rc=$?
check "reboot as an exit, no state: int-241 and int-652 PASS, not an ERROR (exit $rc)" \
    all [ "$rc" = 0 ] -- pass_both exit
check "reboot as an exit, no state: started again (noted), bootstrapped again (noted in text, JSON, JUnit)" \
    all restarted_note exit -- noted_bootstrap exit
reboot exitstate --reboot=exit --state-file="$TMP/exit.state" -- --timeout 10; rc=$?
check "reboot as an exit, with its state file: PASS, started again, no bootstrap again (exit $rc)" \
    all [ "$rc" = 0 ] -- pass_both exitstate -- restarted_note exitstate \
        -- not_in 'unplanned bootstrap' "$TMP/exitstate.txt"

# --- a process that executes itself again (Anjay's demo) -------------------------------------
reboot reexec --reboot=reexec --local-port="$(free_udp_port)" -- --timeout 10; rc=$?
check "reboot as a re-exec, no state: int-241 and int-652 PASS, the bootstrap again noted (exit $rc)" \
    all [ "$rc" = 0 ] -- pass_both reexec -- noted_bootstrap reexec
reboot reexecstate --reboot=reexec --state-file="$TMP/reexec.state" -- --timeout 10; rc=$?
check "reboot as a re-exec, with its state file: PASS, no bootstrap again (exit $rc)" \
    all [ "$rc" = 0 ] -- pass_both reexecstate -- not_in 'unplanned bootstrap' "$TMP/reexecstate.txt"

# --- a slow starter: 10 s before it bootstraps, at power-on and after the reboot ------------
# (the step deadline is 5 s: only --reboot-timeout covers the hold-off)
reboot slow --reboot=reexec --bootstrap-holdoff=10 -- --timeout 5 --reboot-timeout 60; rc=$?
s=$(case_secs "$TMP/slow.txt" int-241)
check "a 10 s bootstrap hold-off: int-241 PASSes after ${s:-?} s (>= 10, within --reboot-timeout), int-652 too (exit $rc)" \
    all [ "$rc" = 0 ] -- pass_both slow -- at_least "${s:-0}" 10

# --- a device that does not come back: FAIL int-241 B, the next case restored ---------------
"$TOOL" run --sim --sim-fault reboot-no-reregister --bootstrap "${PORTS[@]}" --only int-241,int-652 \
    --no-color --timeout 5 --reboot-timeout 3 </dev/null >"$TMP/gone.txt" 2>&1
rc=$?
check "not back, with a device command: int-241 FAILs B within --reboot-timeout, int-652 PASSes on the device started again (exit $rc)" \
    all [ "$rc" = 1 ] -- [ "$(failing_criteria "$TMP/gone.txt")" = "int-241 B" ] \
        -- [ "$(verdict_of "$TMP/gone.txt" int-652)" = PASS ] \
        -- grep -q 'no Register on server 1 .* within 3.0 s after step 1 (--reboot-timeout)' "$TMP/gone.txt"

# --- the bench: the device started by hand after the tool, no bootstrap server -------------
# Runs the tool with its output in a FIFO, learns the ports from it, then starts the
# simulator; stdin is not a terminal.
bench() { # name faults… -- tool options…
    local name=$1; shift
    local faults=()
    while [ "$1" != -- ]; do faults+=(--fault "$1"); shift; done
    shift
    mkfifo "$TMP/$name.fifo"
    "$TOOL" run --bind 127.0.0.1 --port 1=0 --port 2=0 --no-color "$@" </dev/null \
        >"$TMP/$name.fifo" 2>&1 &
    local pid=$!
    exec 8<"$TMP/$name.fifo"
    local l1 l2
    l1=$(wait_line 8 'server 1 waiting on UDP port' 10); l2=$(wait_line 8 'server 2 waiting on UDP port' 10)
    "$SIM" --config fixtures/c14.json "${faults[@]}" --server-uri "1=coaps://127.0.0.1:${l1##* }" \
        --server-uri "2=coaps://127.0.0.1:${l2##* }" >"$TMP/$name.sim" 2>&1 &
    local sim=$!
    timeout 300 cat <&8 >"$TMP/$name.txt"
    wait "$pid"; local rc=$?
    exec 8<&-
    kill -TERM "$sim" 2>/dev/null; wait "$sim" 2>/dev/null
    return $rc
}
bench flow -- --only int-101,int-241,int-950,int-951 --timeout 10 --json "$TMP/flow.json"
rc=$?
check "bench flow: int-101, int-950, int-951 and int-241 PASS, nothing SKIPPED (exit $rc)" \
    all [ "$rc" = 0 ] -- [ "$(verdicts "$TMP/flow.txt" int-101 int-950 int-951 int-241)" = "PASS PASS PASS PASS" ] \
        -- not_in '^SKIPPED' "$TMP/flow.txt"
check "bench flow: int-101 and int-950 judge the device's first registration, before int-241" \
    all [ "$(grep -o '^[A-Z]*  int-[0-9]*' "$TMP/flow.txt" | awk '{print $2}' | tr '\n' ' ')" = "int-101 int-950 int-241 int-951 " ] \
        -- grep -q 'plan: 4 cases, 0 device resets' "$TMP/flow.txt"

# a Register queued before the Execute never counts: int-241 waits for the registration
# the device makes when it starts, executes the Reboot, and the device never comes back
bench queued reboot-no-reregister -- --only int-241,int-652 --timeout "$(scaled 5)" --reboot-timeout 3
rc=$?
check "bench, not back: the Register queued before the Execute does not count: int-241 FAILs B (exit $rc)" \
    all [ "$rc" = 1 ] -- [ "$(failing_criteria "$TMP/queued.txt")" = "int-241 B" ]
check "bench, not back: the next case is INCONCLUSIVE (the device did not come back), not FAIL" \
    all [ "$(verdict_of "$TMP/queued.txt" int-652)" = INCONCLUSIVE ] \
        -- grep -q 'not run: preamble failed: the device was not reachable after the previous case (the device is not registered with server 1); the tool cannot restart it, and it did not register with server 1 again within 3 s (--reboot-timeout)' "$TMP/queued.txt"

# a device that dies (no goodbye) on a request: that case FAILs (no response), the next one
# finds it gone with a CoAP ping and is INCONCLUSIVE (int-205: int-680 runs in C.1, which
# a bench run does not provision, so it would be SKIPPED)
bench crash crash-on=/3/0 -- --only int-203,int-205 --timeout "$(scaled 3)" --reboot-timeout 2 --ack-timeout 1000 --retransmit 1
rc=$?
check "bench, crashed: int-203 FAILs, int-205 after it INCONCLUSIVE, never FAIL (exit $rc)" \
    all [ "$rc" = 1 ] -- [ "$(verdicts "$TMP/crash.txt" int-203 int-205)" = "FAIL INCONCLUSIVE" ] \
        -- grep -q 'the device was not reachable after the previous case (no answer to a CoAP ping on server 1' "$TMP/crash.txt"

# --- a device command that fails at start twice in a row: one ERROR -------------------------
start=$SECONDS
"$TOOL" run "${PORTS[@]}" --device-cmd 'echo "no board on /dev/ttyACM0" >&2; exit 7' --no-color \
    --timeout 30 --json "$TMP/dead.json" </dev/null >"$TMP/dead.txt" 2>&1
rc=$?
check "start fails twice: exactly one ERROR, the other cases not run, exit 3 (got $rc)" \
    all [ "$rc" = 3 ] -- [ "$(grep -c '^ERROR  ' "$TMP/dead.txt")" = 1 ] \
        -- grep -q 'not run: the device command failed at start twice in a row (the ERROR of int-101 says how)' "$TMP/dead.json"
check "start fails twice: the ERROR has the exit status and the log's tail" \
    grep -q 'the device command failed at start twice in a row: the device command exited with status 7 .* ends: .*no board on /dev/ttyACM0' "$TMP/dead.txt"
check "start fails twice: over in seconds ($((SECONDS - start)) s)" within "$start" 10

finish
