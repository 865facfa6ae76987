#!/bin/bash
# make interop: the whole suite on AVSystem Anjay's demo client (LwM2M 1.2, Mbed TLS), a
# real DTLS client built from its public sources OUTSIDE this repository (the repository
# carries no copy of Anjay and no recipe that builds it; docs/interop.md says how to get a
# demo binary). Unattended, in three shapes:
#   1.2           the demo as it is (LwM2M 1.2), no persistence: a reboot bootstraps again
#   1.0           the demo held to LwM2M 1.0 by its own --maximum-version 1.0
#   1.2-persist   the demo with its persistence files: a reboot registers directly
# Every verdict is compared with the table in docs/interop.md (case x shape): a verdict the
# table does not list fails `make interop`. Skips cleanly (exit 0, one "skip" line) when no
# demo binary is given or found.
#   ANJAY_DEMO=PATH     the demo binary (default: build/interop/anjay/demo)
#   INTEROP_SHAPES="1.2 1.0 1.2-persist"   the shapes to play
#   INTEROP_OUT=DIR     keep the reports there (default: build/interop/anjay-runs)
#   INTEROP_ARGS="…"    extra options for `run` (e.g. --only int-241)
#   INTEROP_RESTART=yes|no  the 1.2-persist clean stop/start check (default: yes unless INTEROP_ARGS)
#   INTEROP_DESCRIPTION=FILE  run with this (reviewed) description instead of describing first
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
TOOL=$BUILD/lwm2m-conform
DEMO=${ANJAY_DEMO:-build/interop/anjay/demo}
OUT=${INTEROP_OUT:-build/interop/anjay-runs}
SHAPES=${INTEROP_SHAPES:-1.2 1.0 1.2-persist}
TABLE=docs/interop.md

if [ ! -x "$DEMO" ]; then
    echo "skip - Anjay demo not found at $DEMO (set ANJAY_DEMO=path; docs/interop.md says how to build one)"
    exit 0
fi
mkdir -p "$OUT"
DEMO=$(readlink -f "$DEMO")

# C.14's bootstrap account as the demo takes it (hex identity and key). The key is the
# fixture's published test key, not a secret of anybody's.
bs_identity=$(sed -n 's/.*"0\/1\/3", "sv": "\([^"]*\)".*/\1/p' fixtures/c14.json | base64 -d | od -An -tx1 | tr -d ' \n')
bs_key=$(sed -n 's/.*"0\/1\/5", "sv": "\([^"]*\)".*/\1/p' fixtures/c14.json | base64 -d | od -An -tx1 | tr -d ' \n')

free_udp_port() {
    python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

expected_of() { # case shape -> the table's verdict (empty if the case has no row)
    local col
    case $2 in 1.2) col=3 ;; 1.0) col=4 ;; 1.2-persist) col=5 ;; esac
    awk -F'|' -v id="$1" -v c="$col" '
        /<!-- interop-table -->/ { on = 1; next } /<!-- \/interop-table -->/ { on = 0 }
        on && $2 ~ "^ *" id " *$" { v = $c; gsub(/[ *`]/, "", v); print v; exit }' "$TABLE"
}

# wait_line FILE PATTERN N SECONDS: polls FILE until PATTERN occurs N times (bounded)
wait_line() {
    local end=$((SECONDS + $4))
    while [ "$(grep -c -- "$2" "$1" 2>/dev/null)" -lt "$3" ]; do
        [ $SECONDS -ge $end ] && return 1
        sleep 0.2
    done
}

# 1.2-persist, beyond the suite: the demo writes its persistence files only when it exits
# cleanly (its stdin ends), not at a reboot (/3/0/4 re-executes it) nor at SIGTERM (how the
# tool stops a device). A clean stop and start, against `serve --bootstrap`, shows what the
# files are for: one bootstrap, then a direct Register on both servers.
persist_restart() {
    local dir bs p1 p2 dp sp tp dpid
    dir=$(mktemp -d)
    bs=$(free_udp_port); p1=$(free_udp_port); p2=$(free_udp_port); dp=$(free_udp_port)
    "$TOOL" serve --bootstrap --bind 127.0.0.1 --port bs="$bs" --port 1="$p1" --port 2="$p2" \
        --no-color >"$OUT/1.2-persist.restart.txt" 2>&1 &
    sp=$!
    wait_line "$OUT/1.2-persist.restart.txt" 'waiting for devices' 1 10
    for run in 1 2; do
        mkfifo "$dir/in$run"
        tail -f /dev/null >"$dir/in$run" &
        tp=$!
        "$DEMO" -e anjay-persist-restart -u "coaps://127.0.0.1:$bs" -b -s psk -i "$bs_identity" \
            -k "$bs_key" -p "$dp" --dm-persistence-file "$dir/dm" \
            --attribute-storage-persistence-file "$dir/attrs" <"$dir/in$run" \
            >>"$OUT/1.2-persist.restart.device.log" 2>&1 &
        dpid=$!
        wait_line "$OUT/1.2-persist.restart.txt" 'server 2  register' "$run" 60
        kill "$tp"          # its stdin ends: a clean exit, which writes the files
        wait_line "$OUT/1.2-persist.restart.txt" 'server 2  deregister' "$run" 30
        for _ in $(seq 50); do kill -0 "$dpid" 2>/dev/null || break; sleep 0.2; done
        kill "$dpid" 2>/dev/null; wait "$dpid" 2>/dev/null
    done
    kill "$sp"; wait "$sp" 2>/dev/null
    rm -rf "$dir"
    local nbs nreg
    nbs=$(grep -c 'bootstrap bootstrap-request' "$OUT/1.2-persist.restart.txt")
    nreg=$(grep -c 'server 1  register' "$OUT/1.2-persist.restart.txt")
    if [ "$nbs" -eq 1 ] && [ "$nreg" -eq 2 ]; then
        echo "ok - Anjay 1.2-persist: after a clean stop and start it registers directly (1 Bootstrap-Request, 2 Registers)"
    else
        echo "not ok - Anjay 1.2-persist clean restart: $nbs Bootstrap-Requests, $nreg Registers with server 1, expected 1 and 2 (see $OUT/1.2-persist.restart.txt)"
        rc_all=1
    fi
}

rc_all=0
for shape in $SHAPES; do
    port=$(free_udp_port)
    state=""
    extra=""
    case $shape in
        1.0) extra="--maximum-version 1.0" ;;
        1.2-persist)
            state=$(mktemp -d)
            extra="--dm-persistence-file $state/dm --attribute-storage-persistence-file $state/attrs" ;;
    esac
    # The demo reads commands on stdin and exits at its end: its stdin is a FIFO a writer
    # holds open for the device's life, and --send-cmd writes the demo's "send" command into
    # it (how the Send cases make the device Send: ETS int-306/307/311).
    fifo="$OUT/$shape.stdin"
    rm -f "$fifo"; mkfifo "$fifo"
    cmd="tail -f /dev/null >'$fifo' & exec '$DEMO' -e \"\$LWM2M_CONFORM_ENDPOINT\" -u \"\$LWM2M_CONFORM_BOOTSTRAP_URI\" -b -s psk -i $bs_identity -k $bs_key -p $port $extra <'$fifo'"
    send="echo 'send 1 /1/0/1 /3/0/11/0' >'$fifo'"
    echo "== Anjay $shape (port $port)"
    # As a user would: first describe the device (same device command; describe provisions
    # C.1 through the bootstrap server and reads the device's own objects), then run the suite
    # against that description. A user reviews the file first (docs/device-description.md);
    # INTEROP_DESCRIPTION=FILE uses a reviewed one instead of a fresh one.
    desc=${INTEROP_DESCRIPTION:-$OUT/$shape.description.json}
    if [ -z "${INTEROP_DESCRIPTION:-}" ]; then
        # shellcheck disable=SC2086
        "$TOOL" describe --bootstrap --bind 127.0.0.1 --port bs=0 --port 1=0 \
            --endpoint "anjay-$shape" --device-cmd "$cmd" --device-log "$OUT/$shape.describe.log" \
            --no-color --output "$desc" >"$OUT/$shape.describe.txt" 2>&1
        rc=$?
        # the run starts from the factory state again: no persistence file from describe
        [ -n "$state" ] && rm -f "$state/dm" "$state/attrs"
        if [ $rc -ne 0 ]; then
            echo "not ok - Anjay $shape: describe exit status $rc (see $OUT/$shape.describe.txt)"; rc_all=1
            rm -f "$fifo"; continue
        fi
        echo "ok - Anjay $shape: described into $desc"
    fi
    # shellcheck disable=SC2086
    "$TOOL" run --bootstrap --bind 127.0.0.1 --port bs=0 --port 1=0 --port 2=0 \
        --endpoint "anjay-$shape" --description "$desc" --device-cmd "$cmd" --send-cmd "$send" --device-log "$OUT/$shape.device.log" \
        --json "$OUT/$shape.json" --junit "$OUT/$shape.junit.xml" --no-color ${INTEROP_ARGS:-} \
        >"$OUT/$shape.txt" 2>&1
    echo "exit status $? (report: $OUT/$shape.txt; $(grep -E '^[0-9]+ cases?:' "$OUT/$shape.txt"))"
    [ -n "$state" ] && rm -rf "$state"
    rm -f "$fifo"
    restart=${INTEROP_RESTART:-auto}
    [ "$restart" = auto ] && { [ -z "${INTEROP_ARGS:-}" ] && restart=yes || restart=no; }
    [ "$shape" = 1.2-persist ] && [ "$restart" = yes ] && persist_restart
    while IFS=$'\t' read -r id verdict; do
        want=$(expected_of "$id" "$shape")
        if [ -z "$want" ]; then
            echo "not ok - Anjay $shape $id: $verdict, and docs/interop.md has no row for $id"; rc_all=1
        elif [ "$want" = "$verdict" ]; then
            echo "ok - Anjay $shape $id: $verdict"
        else
            echo "not ok - Anjay $shape $id: $verdict, docs/interop.md expects $want"; rc_all=1
        fi
    done < <(python3 -c 'import json,sys
for c in json.load(open(sys.argv[1]))["cases"]: print(c["short_id"] + "\t" + c["verdict"])' "$OUT/$shape.json")
done
exit $rc_all
