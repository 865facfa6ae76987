#!/bin/bash
# make interop, firmware part: the Firmware Update cases (ETS 1.0.1 §6.1.6.6, int-751..780)
# on AVSystem Anjay's demo client with real packages and a real image swap. The demo is
# built OUTSIDE this repository (docs/interop.md); tests/interop/anjay-fwpkg.sh makes its
# packages from that binary: a header the demo checks plus a copy of the demo that reports
# a new Firmware Version (/3/0/3), so an update shows in /3/0/3 after the demo's execv().
# Configuration C.8 (object 5), with the tool as bootstrap server. The shapes (runs):
#   fw          every firmware case but int-771 and int-773, with the tool's readings
#               (int-780-protocol): push where the case pushes, else pull over HTTP
#   pull-http   int-771 alone, pulled over HTTP (a fresh demo: it reports its own version
#   pull-coap   before the update, so the swap is evidenced), over CoAP (Block2) and over
#   pull-coaps  CoAPS (Block2 on the tool's DTLS endpoint)
#   storage     int-773 alone: the demo runs under a 1 MiB file-size limit (ulimit -f, the
#               signal ignored), its download storage, and the tool is told so
#               (--firmware-storage): a real shortage of storage, not a simulated one
#   storage-push  the same pushed (--firmware-method push): the demo refuses the block it
#               cannot store (5.00) after setting Update Result 2 (int-773 B's refused push)
#   push        int-776 and int-777 pushed (--firmware-method push) instead of pulled
# Every verdict is compared with the table between <!-- interop-fw-table --> markers in
# docs/interop.md (case x shape): a verdict the table does not list fails `make interop`.
# Skips cleanly (exit 0, one "skip" line) without a demo binary.
#   ANJAY_DEMO=PATH      the demo binary (default: build/interop/anjay/demo)
#   INTEROP_FW_SHAPES="fw pull-http pull-coap pull-coaps storage storage-push push"   the shapes
#   INTEROP_OUT=DIR      keep reports, device logs and packages there (default: build/interop/anjay-runs)
#   INTEROP_ARGS="…"     extra options for `run`
set -u
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
TOOL=$BUILD/lwm2m-conform
DEMO=${ANJAY_DEMO:-build/interop/anjay/demo}
OUT=${INTEROP_OUT:-build/interop/anjay-runs}
SHAPES=${INTEROP_FW_SHAPES:-fw pull-http pull-coap pull-coaps storage storage-push push}
TABLE=docs/interop.md
STORAGE=1048576

if [ ! -x "$DEMO" ]; then
    echo "skip - Anjay demo not found at $DEMO (set ANJAY_DEMO=path; docs/interop.md says how to build one)"
    exit 0
fi
mkdir -p "$OUT"
OUT=$(readlink -f "$OUT")
DEMO=$(readlink -f "$DEMO")

pkg=$OUT/fw-packages
if ! tests/interop/anjay-fwpkg.sh "$DEMO" "$pkg" >"$OUT/fw-packages.log" 2>&1; then
    echo "not ok - Anjay firmware packages: tests/interop/anjay-fwpkg.sh failed ($(tail -1 "$OUT/fw-packages.log"))"
    exit 1
fi
version=$(cat "$pkg/version")

# C.8's bootstrap account as the demo takes it (hex identity and key): the fixture's
# published test key, not a secret of anybody's.
hex_of() { sed -n "s/.*\"0\/1\/$1\", \"sv\": \"\([^\"]*\)\".*/\1/p" fixtures/c8.json | base64 -d | od -An -tx1 | tr -d ' \n'; }
bs_identity=$(hex_of 3)
bs_key=$(hex_of 5)

free_udp_port() {
    python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

expected_of() { # case shape -> the table's verdict (empty if the table has no row)
    awk -F'|' -v id="$1" -v sh="$2" '
        /<!-- interop-fw-table -->/ { on = 1; next } /<!-- \/interop-fw-table -->/ { on = 0 }
        on { c = $2; s = $3; gsub(/[ `]/, "", c); gsub(/[ `]/, "", s)
             if (c == id && s == sh) { v = $4; gsub(/[ *`]/, "", v); print v; exit } }' "$TABLE"
}

rc_all=0
for shape in $SHAPES; do
    only="" args=() limit=""
    case $shape in
        fw) only=int-751,int-755,int-756,int-760,int-770,int-772,int-775,int-776,int-777,int-778,int-779,int-780-protocol
            args=(--readings --firmware-unsupported "$pkg/unsupported.pkg"
                  --firmware-install-fail "$pkg/install-fail.pkg") ;;
        pull-http|pull-coap|pull-coaps)
            only=int-771; args=(--firmware-protocol "${shape#pull-}") ;;
        storage|storage-push)
            only=int-773; args=(--firmware-storage "$STORAGE"); limit="ulimit -f $((STORAGE / 1024)); trap '' XFSZ"
            [ "$shape" = storage-push ] && args+=(--firmware-method push) ;;
        push)
            only=int-776,int-777; args=(--firmware-method push --firmware-unsupported "$pkg/unsupported.pkg") ;;
        *) echo "not ok - unknown firmware shape $shape"; rc_all=1; continue ;;
    esac
    port=$(free_udp_port)
    dir=$OUT/fw-$shape
    rm -rf "$dir"; mkdir -p "$dir"
    # the demo's firmware marker file of its own: the default /tmp/anjay-fw-updated is
    # shared by every demo on the machine (another demo's start would take it)
    cat >"$dir/device.sh" <<EOF
#!/bin/bash
$limit
exec '$DEMO' -e "\$LWM2M_CONFORM_ENDPOINT" -u "\$LWM2M_CONFORM_BOOTSTRAP_URI" -b -s psk \\
    -i $bs_identity -k $bs_key -t -p $port --fw-updated-marker-path '$dir/fw-marker'
EOF
    chmod +x "$dir/device.sh"
    echo "== Anjay firmware $shape (port $port, package: $(cat "$pkg/old-version") -> $version)"
    # shellcheck disable=SC2086
    "$TOOL" run --bootstrap --config fixtures/c8.json --bind 127.0.0.1 --port bs=0 --port 1=0 --port 2=0 \
        --endpoint "anjay-fw-$shape" --device-cmd "$dir/device.sh" --device-log "$dir/device.log" \
        --firmware "$pkg/good.pkg" --firmware-version "$version" "${args[@]}" --only "$only" \
        --json "$dir/report.json" --junit "$dir/report.junit.xml" --no-color -v ${INTEROP_ARGS:-} \
        >"$dir/report.txt" 2>&1
    echo "exit status $? (report: $dir/report.txt)"
    # the demo downloads to /tmp/anjay-fw-XXXXXX (fixed in its code) and leaves the file
    # when stopped with a package Downloaded (int-779): remove the ones its log says it made
    sed -n 's|.*Created \(/tmp/anjay-fw-[A-Za-z0-9]*\)$|\1|p' "$dir/device.log" 2>/dev/null |
        while read -r f; do rm -f "$f"; done
    if [ ! -s "$dir/report.json" ]; then
        echo "not ok - Anjay firmware $shape: no report ($dir/report.txt)"; rc_all=1; continue
    fi
    while IFS=$'\t' read -r id verdict secs; do
        want=$(expected_of "$id" "$shape")
        if [ -z "$want" ]; then
            echo "not ok - Anjay firmware $shape $id: $verdict ($secs s), and docs/interop.md's firmware table has no row for it"; rc_all=1
        elif [ "$want" = "$verdict" ]; then
            echo "ok - Anjay firmware $shape $id: $verdict ($secs s)"
        else
            echo "not ok - Anjay firmware $shape $id: $verdict ($secs s), docs/interop.md expects $want"; rc_all=1
        fi
    done < <(python3 -c 'import json,sys
for c in json.load(open(sys.argv[1]))["cases"]:
    print(c["short_id"] + "\t" + c["verdict"] + "\t" + "%.2f" % (c.get("elapsed_ms", 0) / 1000.0))' "$dir/report.json")
done
exit $rc_all
