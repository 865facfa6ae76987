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

# A device whose reboot is a process matter, around the simulator: it watches the
# simulator's output and, when it reboots (Execute /3/0/4), kills it without a goodbye.
#   exit      the command then exits (a client that leaves restarting to its supervisor)
#   reexec    the command starts a new simulator itself, after HOLDOFF seconds (a client
#             that re-executes itself; with a hold-off before it bootstraps)
# Either way the new simulator holds no state: it bootstraps again.
cat >"$TMP/rebooter.sh" <<DEV
mode=\$1; holdoff=\${2:-0}
while :; do
    F=\$TMPDIR/sim.\$\$.\$RANDOM; rm -f "\$F"; mkfifo "\$F"
    '$SIM' --config fixtures/c14.json --bootstrap --bootstrap-uri "\$LWM2M_CONFORM_BOOTSTRAP_URI" >"\$F" 2>&1 &
    sim=\$!
    rebooted=
    while IFS= read -r l; do
        echo "\$l"
        case "\$l" in *'rebooting (Execute /3/0/4)'*) rebooted=1; kill -KILL \$sim; break;; esac
    done <"\$F"
    rm -f "\$F"
    wait \$sim 2>/dev/null
    [ -n "\$rebooted" ] || exit 1
    echo "rebooter: the simulator rebooted (mode \$mode)"
    [ "\$mode" = exit ] && exit 0
    # the device's own boot time, not a synchronisation of this test
    [ "\$holdoff" -gt 0 ] && sleep "\$holdoff"
done
DEV

# --- in its process, keeping its state (the bundled simulator) -----------------------------
"$TOOL" run --sim --bootstrap "${PORTS[@]}" --only int-241,int-652 --no-color --timeout 10 \
    --json "$TMP/keep.json" </dev/null >"$TMP/keep.txt" 2>&1
rc=$?
check "reboot in its process, state kept: int-241 and int-652 after it PASS (exit $rc)" \
    all [ "$rc" = 0 ] -- [ "$(verdicts "$TMP/keep.txt" int-241 int-652)" = "PASS PASS" ]
check "reboot in its process, state kept: no unplanned bootstrap noted" not_in 'unplanned bootstrap' "$TMP/keep.txt"

# --- a process that exits on the reboot: started again, bootstraps again --------------------
"$TOOL" run --bootstrap "${PORTS[@]}" --only int-241,int-652 --no-color --timeout 10 \
    --device-cmd "sh $TMP/rebooter.sh exit" --json "$TMP/exit.json" --junit "$TMP/exit.xml" \
    </dev/null >"$TMP/exit.txt" 2>&1
rc=$?
check "reboot as an exit: int-241 and int-652 after it PASS, not an ERROR (exit $rc)" \
    all [ "$rc" = 0 ] -- [ "$(verdicts "$TMP/exit.txt" int-241 int-652)" = "PASS PASS" ]
check "reboot as an exit: the report says the command was started again after the Reboot" \
    grep -q 'exited after a Reboot or Factory Reset Execute and was started again 1 time' "$TMP/exit.txt"
check "reboot as an exit: the unplanned bootstrap is noted in text, JSON and JUnit" \
    all grep -q 'Note: unplanned bootstrap int-241 step 2: .* the tool provisioned it' "$TMP/exit.txt" \
        -- grep -q 'unplanned bootstrap int-241 step 2' "$TMP/exit.json" \
        -- grep -q 'unplanned bootstrap int-241 step 2' "$TMP/exit.xml"

# --- a process that starts itself again without its state ---------------------------------
"$TOOL" run --bootstrap "${PORTS[@]}" --only int-241,int-652 --no-color --timeout 10 \
    --device-cmd "sh $TMP/rebooter.sh reexec" </dev/null >"$TMP/reexec.txt" 2>&1
rc=$?
check "reboot as a re-exec without state: int-241 and int-652 PASS (exit $rc)" \
    all [ "$rc" = 0 ] -- [ "$(verdicts "$TMP/reexec.txt" int-241 int-652)" = "PASS PASS" ]
check "reboot as a re-exec without state: its bootstrap is provisioned and noted" \
    grep -q 'Note: unplanned bootstrap int-241 step 2: .* the tool provisioned it' "$TMP/reexec.txt"

# --- a slow starter: 10 s before it bootstraps again ----------------------------------------
# (the step deadline is 5 s: only --reboot-timeout covers the hold-off)
"$TOOL" run --bootstrap "${PORTS[@]}" --only int-241,int-652 --no-color --timeout 5 \
    --reboot-timeout 60 --device-cmd "sh $TMP/rebooter.sh reexec 10" </dev/null >"$TMP/slow.txt" 2>&1
rc=$?
s=$(case_secs "$TMP/slow.txt" int-241)
check "a 10 s hold-off: int-241 PASSes after ${s:-?} s (>= 10), within --reboot-timeout; int-652 PASS (exit $rc)" \
    all [ "$rc" = 0 ] -- [ "$(verdicts "$TMP/slow.txt" int-241 int-652)" = "PASS PASS" ] -- at_least "${s:-0}" 10

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
bench queued reboot-no-reregister -- --only int-241,int-652 --timeout 5 --reboot-timeout 3
rc=$?
check "bench, not back: the Register queued before the Execute does not count: int-241 FAILs B (exit $rc)" \
    all [ "$rc" = 1 ] -- [ "$(failing_criteria "$TMP/queued.txt")" = "int-241 B" ]
check "bench, not back: the next case is INCONCLUSIVE (the device did not come back), not FAIL" \
    all [ "$(verdict_of "$TMP/queued.txt" int-652)" = INCONCLUSIVE ] \
        -- grep -q 'not run: preamble failed: the device was not reachable after the previous case (the device is not registered with server 1); the tool cannot restart it, and it did not register with server 1 again within 3 s (--reboot-timeout)' "$TMP/queued.txt"

# a device that dies (no goodbye) on a request: that case FAILs (no response), the next one
# finds it gone with a CoAP ping and is INCONCLUSIVE
bench crash crash-on=/3/0 -- --only int-203,int-680 --timeout 3 --reboot-timeout 2 --ack-timeout 1000 --retransmit 1
rc=$?
check "bench, crashed: int-203 FAILs, int-680 after it INCONCLUSIVE, never FAIL (exit $rc)" \
    all [ "$rc" = 1 ] -- [ "$(verdicts "$TMP/crash.txt" int-203 int-680)" = "FAIL INCONCLUSIVE" ] \
        -- grep -q 'the device was not reachable after the previous case (no answer to a CoAP ping on server 1' "$TMP/crash.txt"

# --- a device command that fails at start twice in a row: one ERROR -------------------------
start=$SECONDS
"$TOOL" run "${PORTS[@]}" --device-cmd 'echo "no board on /dev/ttyACM0" >&2; exit 7' --no-color \
    --timeout 30 --json "$TMP/dead.json" </dev/null >"$TMP/dead.txt" 2>&1
rc=$?
check "start fails twice: exactly one ERROR, the other cases not run, exit 3 (got $rc)" \
    all [ "$rc" = 3 ] -- [ "$(grep -c '^ERROR  ' "$TMP/dead.txt")" = 1 ] \
        -- grep -q 'not run: the device command failed at start twice in a row' "$TMP/dead.txt"
check "start fails twice: the ERROR has the exit status and the log's tail" \
    grep -q 'the device command failed at start twice in a row: the device command exited with status 7 .* ends: .*no board on /dev/ttyACM0' "$TMP/dead.txt"
check "start fails twice: over in seconds ($((SECONDS - start)) s)" within "$start" 10

finish
