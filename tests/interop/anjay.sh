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
    # the demo reads commands on stdin and exits at its end: -t (--disable-stdin) under a tool
    cmd="exec '$DEMO' -e \"\$LWM2M_CONFORM_ENDPOINT\" -u \"\$LWM2M_CONFORM_BOOTSTRAP_URI\" -b -s psk -i $bs_identity -k $bs_key -t -p $port $extra"
    echo "== Anjay $shape (port $port)"
    # shellcheck disable=SC2086
    "$TOOL" run --bootstrap --bind 127.0.0.1 --port bs=0 --port 1=0 --port 2=0 \
        --endpoint "anjay-$shape" --device-cmd "$cmd" --device-log "$OUT/$shape.device.log" \
        --json "$OUT/$shape.json" --junit "$OUT/$shape.junit.xml" --no-color ${INTEROP_ARGS:-} \
        >"$OUT/$shape.txt" 2>&1
    echo "exit status $? (report: $OUT/$shape.txt)"
    [ -n "$state" ] && rm -rf "$state"
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
