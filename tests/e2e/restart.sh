#!/bin/bash
# A device that restarts or reboots from the same address and port (as embedded devices
# do) handshakes and registers again, on the bootstrap server and both servers: a new DTLS
# handshake from a known address and port replaces the old association (RFC 6347 §4.2.8,
# scripts/patches/libcoap-dtls-reconnect.patch), and the tool says so (a session-closed
# event), so no old association lingers; also a restart in the middle of a bootstrap and
# in the middle of a handshake. NoSec restarts too. Then the simulator's own shapes:
# --reboot in-process|exit|reexec, --state-file, --bootstrap-holdoff, and their bad input.
# Every wait is on the tool's output or a process, with a deadline; nothing sleeps.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

# a script cut short (Ctrl-C, a closed pipe) leaves no device or server behind
trap '[ -n "${SIMPID:-}" ] && kill -9 "$SIMPID" 2>/dev/null; [ -n "${SPID:-}" ] && kill "$SPID" 2>/dev/null; rm -rf "$TMP"' EXIT
free_port() { python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", 0)); print(s.getsockname()[1])'; }
DEADLINE=$(awk -v k="$TIME_SCALE" 'BEGIN { printf "%d", 15 * k + 0.5 }')

# serve --bootstrap --json on free ports; its events are read from fd 8
start_serve() { # config [serve options...]; sets SPID PB P1 P2
    local cfg=$1 fifo=$TMP/serve.$RANDOM
    shift
    mkfifo "$fifo"
    "$TOOL" serve --json --bootstrap --config "$cfg" --port bs=0 --port 1=0 --port 2=0 "$@" \
        >"$fifo" 2>"$TMP/serve.err" &
    SPID=$!
    exec 8<"$fifo"
    PB=$(wait_line 8 '"event":"listening".*"short_server_id":0' 10); PB=${PB##*\"port\":}; PB=${PB%\}}
    P1=$(wait_line 8 '"event":"listening".*"short_server_id":1' 10); P1=${P1##*\"port\":}; P1=${P1%\}}
    P2=$(wait_line 8 '"event":"listening".*"short_server_id":2' 10); P2=${P2##*\"port\":}; P2=${P2%\}}
}
stop_serve() {
    kill -INT "$SPID" 2>/dev/null
    timeout 10 tail --pid="$SPID" -f /dev/null; wait "$SPID" 2>/dev/null
    SPID=
    exec 8<&-
}
# reads the tool's events into FILE until both servers' Registers arrived (or the deadline)
read_round() { # file
    local out=$1 line r1=0 r2=0 end=$((SECONDS + DEADLINE))
    : >"$out"
    while [ $SECONDS -lt $end ]; do
        IFS= read -r -t "$DEADLINE" -u 8 line || return 1
        echo "$line" >>"$out"
        case $line in
        *'"event":"register","server":"server 1"'*) r1=1 ;;
        *'"event":"register","server":"server 2"'*) r2=1 ;;
        esac
        [ $r1 = 1 ] && [ $r2 = 1 ] && return 0
    done
    return 1
}
count() { grep -c -- "$1" "$2"; }
from_port() { ! grep '"event":"register"\|"event":"bootstrap-request"' "$2" | grep -v "\"peer\":\"127.0.0.1:$1\"" | grep -q .; }
sim_start() { # log args...
    local log=$1
    shift
    "$SIMDEV" "$@" >>"$log" 2>&1 &
    SIMPID=$!
}
sim_kill() { kill -9 "$SIMPID" 2>/dev/null; wait "$SIMPID" 2>/dev/null; SIMPID=; }

# --- DTLS: restarts from the same port through the bootstrap server and both servers ----
start_serve fixtures/c14.json --timeout 5
PORT=$(free_port)
SIM=(--config fixtures/c14.json --bootstrap --bootstrap-uri "coaps://127.0.0.1:$PB"
     --server-uri "1=coaps://127.0.0.1:$P1" --server-uri "2=coaps://127.0.0.1:$P2" --local-port "$PORT")
sim_start "$TMP/sim.log" "${SIM[@]}"
read_round "$TMP/round0"
check "first start: bootstrapped, registered with both servers, from 127.0.0.1:$PORT" \
    eval '[ "$(count "\"event\":\"bootstrap-request\"" "$TMP/round0")" = 1 ] && [ "$(count "\"event\":\"register\"" "$TMP/round0")" = 2 ] && from_port "$PORT" "$TMP/round0"'
for round in 1 2; do
    sim_kill # no De-register, no DTLS close_notify: a power cut
    start=$SECONDS
    sim_start "$TMP/sim.log" "${SIM[@]}"
    read_round "$TMP/round$round"
    check "restart $round from the same port: bootstrapped and registered with both servers again, within ${DEADLINE} s" \
        eval '[ "$(count "\"event\":\"bootstrap-request\"" "$TMP/round$round")" = 1 ] && [ "$(count "\"event\":\"register\"" "$TMP/round$round")" = 2 ] && from_port "$PORT" "$TMP/round$round" && within $start 15'
    check "restart $round: each server's old association was replaced (one session-closed event each, RFC 6347 §4.2.8)" \
        eval '[ "$(count "\"event\":\"session-closed\",\"server\":\"server 1\"" "$TMP/round$round")" = 1 ] && [ "$(count "\"event\":\"session-closed\",\"server\":\"server 2\"" "$TMP/round$round")" = 1 ]'
done
check "the event says why, naming the device's address" \
    grep -q "a new DTLS handshake from 127.0.0.1:$PORT (the device restarted from the same address and port) replaces its earlier association" "$TMP/round1"

# the bootstrap server's association: a device that dies in the middle of its bootstrap
# (it never answers the first Bootstrap-Write) and starts again from the same port
sim_kill
sim_start "$TMP/sim.log" "${SIM[@]}" --fault no-response=/0
bsr=$(wait_line 8 '"event":"bootstrap-request"' "$DEADLINE")
sim_kill
start=$SECONDS
sim_start "$TMP/sim.log" "${SIM[@]}"
read_round "$TMP/round-bs"
check "restart in the middle of a bootstrap: the bootstrap server's association is replaced, the device is provisioned and registers" \
    eval '[ -n "$bsr" ] && grep -q "\"event\":\"session-closed\",\"server\":\"bootstrap\"" "$TMP/round-bs" && grep -q "\"event\":\"bootstrap-request\"" "$TMP/round-bs" && [ "$(count "\"event\":\"register\"" "$TMP/round-bs")" = 2 ] && within $start 15'
sim_kill
stop_serve
check "no 'reconnect from the same port' or dropped-record warning from the DTLS stack" \
    eval '! grep -q "reconnect from the same port\|version mismatch" "$TMP/serve.err"'

# --- a restart in the middle of a DTLS handshake: the half-done one is replaced too -------
start_serve fixtures/c14.json
PORT=$(free_port)
python3 tests/hostile/peer.py half-handshake "$P1" "$PORT" >"$TMP/half.out" 2>&1
start=$SECONDS
sim_start "$TMP/simhalf.log" --config fixtures/c14.json --server-uri "1=coaps://127.0.0.1:$P1" \
    --server-uri "2=coaps://127.0.0.1:$P2" --local-port "$PORT"
read_round "$TMP/half"
check "restart in the middle of a handshake (ClientHello, cookie, ServerHello, then silence): replaced, registered within 15 s" \
    eval 'grep -qx "server-hello=yes" "$TMP/half.out" && grep -q "\"event\":\"session-closed\",\"server\":\"server 1\"" "$TMP/half" && [ "$(count "\"event\":\"register\"" "$TMP/half")" = 2 ] && within $start 15'
sim_kill
stop_serve

# --- DTLS with --state-file: after a restart the device registers without bootstrapping -
start_serve fixtures/c14.json
PORT=$(free_port)
SIM=(--config fixtures/c14.json --bootstrap --bootstrap-uri "coaps://127.0.0.1:$PB"
     --server-uri "1=coaps://127.0.0.1:$P1" --server-uri "2=coaps://127.0.0.1:$P2" --local-port "$PORT"
     --state-file "$TMP/state.json")
sim_start "$TMP/simstate.log" "${SIM[@]}"
read_round "$TMP/st0"
sim_kill
sim_start "$TMP/simstate.log" "${SIM[@]}"
read_round "$TMP/st1"
check "--state-file: the first start bootstraps, the restart registers at once (no Bootstrap-Request)" \
    eval '[ "$(count "\"event\":\"bootstrap-request\"" "$TMP/st0")" = 1 ] && [ "$(count "\"event\":\"bootstrap-request\"" "$TMP/st1")" = 0 ] && [ "$(count "\"event\":\"register\"" "$TMP/st1")" = 2 ]'
check "--state-file: the file is private (0600), the only place the keys went" \
    eval '[ "$(stat -c %a "$TMP/state.json")" = 600 ] && grep -q "state restored from" "$TMP/simstate.log"'
# C.14's server keys, in hex and Base64, in no log
keys=$(sed -n 's/.*"n": "0\/[0-2]\/5", "sv": "\([^"]*\)".*/\1/p' fixtures/c14.json)
leak=no
for k in $keys; do
    hex=$(printf '%s' "$k" | base64 -d 2>/dev/null | od -An -tx1 | tr -d ' \n')
    grep -qiF -e "$k" -e "$hex" "$TMP/simstate.log" "$TMP/serve.err" && leak=yes
done
check "no PSK key in the device's or the tool's log ($(echo $keys | wc -w) keys checked)" [ "$leak" = no ]
sim_kill
stop_serve

# --- NoSec: a restart from the same port registers again ------------------------------
start_serve fixtures/c14-nosec.json
PORT=$(free_port)
SIM=(--config fixtures/c14-nosec.json --bootstrap --bootstrap-uri "coap://127.0.0.1:$PB"
     --server-uri "1=coap://127.0.0.1:$P1" --server-uri "2=coap://127.0.0.1:$P2" --local-port "$PORT")
sim_start "$TMP/simnosec.log" "${SIM[@]}"
read_round "$TMP/ns0"
sim_kill
start=$SECONDS
sim_start "$TMP/simnosec.log" "${SIM[@]}"
read_round "$TMP/ns1"
check "NoSec: restarted from the same port, bootstrapped and registered with both servers again" \
    eval '[ "$(count "\"event\":\"bootstrap-request\"" "$TMP/ns1")" = 1 ] && [ "$(count "\"event\":\"register\"" "$TMP/ns1")" = 2 ] && from_port "$PORT" "$TMP/ns1" && within $start 15'
sim_kill

# --- --bootstrap-holdoff: the Bootstrap-Request waits, the device still comes up --------
t0=$(date +%s%N)
sim_start "$TMP/simnosec.log" "${SIM[@]}" --bootstrap-holdoff 2
read_round "$TMP/ns2"
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
check "--bootstrap-holdoff 2: bootstrapped and registered, not before 2 s (after ${ms} ms)" \
    eval '[ "$(count "\"event\":\"bootstrap-request\"" "$TMP/ns2")" = 1 ] && [ "$(count "\"event\":\"register\"" "$TMP/ns2")" = 2 ] && [ $ms -ge 2000 ]'
sim_kill
stop_serve

# --- the reboot modes: Execute /3/0/4, after a Lifetime Write, against two NoSec servers -
# want: mode state-file -> the lifetime the Register after the reboot carries
reboot_case() { # mode with-state lifetime-after-reboot same-process
    local mode=$1 st=$2 want_lt=$3 want_same=$4 port out=$TMP/reboot-$1-$2 args=()
    port=$(free_port)
    [ "$st" = state ] && args=(--state-file "$TMP/rb-$mode.json")
    E2E_TIME_SCALE=$TIME_SCALE REBOOT_PEER_LOG="$out.log" python3 tests/e2e/reboot-peer.py "$mode" 123 -- \
        "$SIMDEV" --config fixtures/c14-nosec.json --server-uri '1=coap://127.0.0.1:{P1}' \
        --server-uri '2=coap://127.0.0.1:{P2}' --local-port "$port" --reboot "$mode" "${args[@]}" >"$out" 2>&1
    local rc=$?
    check "--reboot $mode${args:+ --state-file}: 2.04, back from port $port, Register lt=$want_lt, same process: $want_same" \
        eval '[ $rc = 0 ] && grep -qx "reboot_response=2.04" "$out" && grep -qx "first_ports=$port" "$out" && grep -qx "second_ports=$port" "$out" && grep -qx "second_lifetime=lt=$want_lt" "$out" && grep -qx "same_process=$want_same" "$out"'
    [ "$mode" != exit ] || check "--reboot exit: the process ended with status 0 after the 2.04" grep -qx "exit_status=0" "$out"
    [ $rc = 0 ] || sed 's/^/#   /' "$out" "$out.log"
}
reboot_case in-process none 123 yes    # memory kept, as if persisted (the default)
reboot_case exit none 86400 no         # the factory configuration again
reboot_case reexec none 86400 yes      # same pid, memory lost
reboot_case exit state 123 no          # the written Lifetime survived in the state file
reboot_case reexec state 123 yes

# --- bad input: a clear message, the right exit status, nothing lost ---------------------
"$SIMDEV" --config fixtures/c14.json --reboot bogus >/dev/null 2>"$TMP/e1"; rc=$?
check "--reboot bogus: exit 2, the modes listed" \
    eval '[ $rc = 2 ] && grep -q -- "--reboot bogus: expected in-process, exit or reexec" "$TMP/e1"'
"$SIMDEV" --config fixtures/c14.json --local-port 0 >/dev/null 2>"$TMP/e2"; rc=$?
check "--local-port 0: exit 2" eval '[ $rc = 2 ] && grep -q -- "--local-port 0: expected a UDP port" "$TMP/e2"'
echo '{"format":"something else"}' >"$TMP/bad-state.json"
"$SIMDEV" --config fixtures/c14.json --state-file "$TMP/bad-state.json" >/dev/null 2>"$TMP/e3"; rc=$?
check "--state-file with a file that is not one: exit 2, the file named and kept" \
    eval '[ $rc = 2 ] && grep -q "bad-state.json: not a lwm2m-simdev state file (delete it" "$TMP/e3" && grep -q "something else" "$TMP/bad-state.json"'
# the local port held by another program (no SO_REUSEADDR): exit 3, the port named
coproc HOLD { python3 -c 'import socket, sys; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", 0)); print(s.getsockname()[1], flush=True); sys.stdin.read()'; }
read -r -t 10 held <&"${HOLD[0]}"
timeout "$DEADLINE" "$SIMDEV" --config fixtures/c14-nosec.json --server-uri 1=coap://127.0.0.1:9 \
    --server-uri 2=coap://127.0.0.1:9 --local-port "$held" >/dev/null 2>"$TMP/e4"; rc=$?
eval "exec ${HOLD[1]}>&-"; wait "$HOLD_PID" 2>/dev/null
check "--local-port in use by another program: exit 3, the port named" \
    eval '[ $rc = 3 ] && grep -q "from local port $held (in use by another program?)" "$TMP/e4"'

finish
