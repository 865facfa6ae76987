#!/bin/bash
# --pcap and --keylog (issue 19), read back by tshark:
#   - the --pcap of a `run --sim --bootstrap` holds the Bootstrap-Request, the Register, a
#     Write-Attributes and a Discover as CoAP with their paths, over UDP with the real
#     loopback addresses and ports; each case's part is in a file of its own;
#   - with --keylog, a tcpdump capture of the loopback taken beside the tool decrypts with
#     that key log (DTLS 1.2, the suite negotiated) into the same CoAP; the key log is 0600.
# Needs tshark (scripts/install-deps); the tcpdump part skips cleanly when tcpdump is
# missing or capturing on lo is not permitted (not root).
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

if ! command -v tshark >/dev/null; then
    echo "ok - # SKIP tshark is not installed (scripts/install-deps installs it)"
    exit 0
fi
# tshark as root warns about it on stderr; its answers go to stdout
ts() { tshark "$@" 2>/dev/null; }
# -d options decoding every UDP port of a capture as CoAP: the tool's endpoints are on
# ephemeral ports with --sim, and Wireshark decodes only 5683 as CoAP by itself
decode_as() { # file proto
    ts -r "$1" -T fields -e udp.srcport -e udp.dstport | tr '\t' '\n' | sort -u |
        sed -n "s/^\([0-9][0-9]*\)$/-d udp.port==\1,$2/p" | tr '\n' ' '
}

"$TOOL" run --sim --bootstrap --only int-951 --no-color --pcap "$TMP/run.pcap" \
    --json "$TMP/run.json" >"$TMP/run.out" 2>&1
rc=$?
check "run --sim --bootstrap --only int-951 --pcap passes (exit $rc)" [ "$rc" = 0 ]
check "the whole run's capture and int-951's own are written" \
    test -s "$TMP/run.pcap" -a -s "$TMP/run.int-951.pcap"
check "the report says where the capture is" grep -q "capture: $TMP/run.pcap" "$TMP/run.out"

D=$(decode_as "$TMP/run.pcap" coap)
ts -r "$TMP/run.pcap" $D -T fields -e ip.src -e udp.srcport -e ip.dst -e udp.dstport \
    -e coap.type -e coap.code -e coap.opt.uri_path_recon -e coap.opt.uri_query \
    -e coap.opt.accept -Y coap >"$TMP/coap.tsv"
echo "# $(wc -l <"$TMP/coap.tsv") CoAP messages in the capture"
# code 2 POST, 3 PUT, 1 GET; 0.01-0.04 are 1-4
check "tshark finds the Bootstrap-Request: POST /bs?ep=lwm2m-simdev" \
    awk -F'\t' '$6 == 2 && $7 == "/bs" && $8 ~ /ep=lwm2m-simdev/ { f = 1 } END { exit !f }' "$TMP/coap.tsv"
check "tshark finds the Register: POST /rd with ep= and lt=" \
    awk -F'\t' '$6 == 2 && $7 == "/rd" && $8 ~ /ep=/ && $8 ~ /lt=/ { f = 1 } END { exit !f }' "$TMP/coap.tsv"
check "tshark finds a Write-Attributes: PUT /3/0 with pmin and pmax queries" \
    awk -F'\t' '$6 == 3 && $7 == "/3/0" && $8 ~ /pmin=/ && $8 ~ /pmax=/ { f = 1 } END { exit !f }' "$TMP/coap.tsv"
check "tshark finds a Discover: GET /3/0 with Accept 40 (link format)" \
    awk -F'\t' '$6 == 1 && $7 == "/3/0" && $9 ~ /link-format/ { f = 1 } END { exit !f }' "$TMP/coap.tsv"
ts -r "$TMP/run.pcap" $D -T fields -e coap.code -e coap.opt.ctype -e coap.opt.uri_path_recon \
    -Y 'coap.code == 69' >"$TMP/content.tsv"
check "its answer is a 2.05 Content in link format" grep -q '^69	application/link-format	/3/0' "$TMP/content.tsv"
check "the addresses are real: 127.0.0.1 on both ends" \
    awk -F'\t' '$1 != "127.0.0.1" || $3 != "127.0.0.1" { bad = 1 } END { exit bad }' "$TMP/coap.tsv"
check "no UDP checksum or malformed-packet warning" \
    sh -c "tshark -r '$TMP/run.pcap' $D -o udp.check_checksum:TRUE -o ip.check_checksum:TRUE -Y '_ws.expert.severity >= warning || _ws.malformed' 2>/dev/null | grep -q . && exit 1 || exit 0"
D1=$(decode_as "$TMP/run.int-951.pcap" coap)
check "int-951's own file holds its Discover and none of the bootstrap" \
    sh -c "tshark -r '$TMP/run.int-951.pcap' $D1 -T fields -e coap.opt.uri_path_recon -e coap.opt.accept -Y coap 2>/dev/null > '$TMP/951.tsv';
           grep -q '^/3/0	application/link-format' '$TMP/951.tsv' && ! grep -q '^/bs' '$TMP/951.tsv'"

# ---- --keylog with a capture of the loopback taken beside the tool
if ! command -v tcpdump >/dev/null; then
    echo "ok - # SKIP tcpdump is not installed: the key log is not checked against a capture"
    finish; exit
fi
mkfifo "$TMP/tcpdump.err"
tcpdump -i lo --immediate-mode -U -n -w "$TMP/lo.pcap" udp 2>"$TMP/tcpdump.err" &
td=$!
exec 4<"$TMP/tcpdump.err"
# tcpdump says "listening on lo" once it captures: wait for that line, not a while
if ! wait_line 4 'listening on' 10 >/dev/null; then
    kill "$td" 2>/dev/null; wait "$td" 2>/dev/null
    echo "ok - # SKIP capturing on lo is not permitted here (tcpdump: $(head -c 200 "$TMP/stream.log" 2>/dev/null))"
    finish; exit
fi
cat <&4 >/dev/null &   # keep the pipe drained
# LwM2M's mandatory suite: Wireshark 4.0 cannot decrypt DTLS with ChaCha20-Poly1305 (which
# Mbed TLS prefers when the device offers it); docs/capture.md
"$TOOL" run --sim --only int-101 --no-color --ciphersuites TLS_PSK_WITH_AES_128_CCM_8 --keylog "$TMP/keys.log" --pcap "$TMP/k.pcap" \
    >"$TMP/k.out" 2>&1
rc=$?
kill -INT "$td"; wait "$td" 2>/dev/null
exec 4<&-
check "run --sim --keylog passes (exit $rc)" [ "$rc" = 0 ]
check "the key log is 0600" [ "$(stat -c %a "$TMP/keys.log")" = 600 ]
check "it holds NSS CLIENT_RANDOM lines, nothing else" \
    sh -c "grep -q . '$TMP/keys.log' && ! grep -Evq '^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}\$' '$TMP/keys.log'"
check "the report says where the key log is" grep -q "DTLS session keys of .*$TMP/keys.log" "$TMP/k.out"
# the tool's server ports, from its own capture: decode them as DTLS in the tcpdump one
ports=$(ts -r "$TMP/k.pcap" -T fields -e udp.srcport -e udp.dstport | tr '\t' '\n' | sort -u)
DD=""
for p in $ports; do DD="$DD -d udp.port==$p,dtls -d dtls.port==$p,coap"; done
# only this run's datagrams: other scripts may be using the loopback at the same time
ours="($(echo udp.port == $ports | sed 's/ \([0-9]\)/ || udp.port == \1/2g'))"
check "the loopback capture has DTLS application data of the run" \
    sh -c "tshark -r '$TMP/lo.pcap' $DD -Y 'dtls.app_data && $ours' 2>/dev/null | grep -q ."
ts -r "$TMP/lo.pcap" $DD -o "tls.keylog_file:$TMP/keys.log" -T fields \
    -e coap.code -e coap.opt.uri_path_recon -e coap.opt.uri_query -Y "coap && $ours" >"$TMP/dec.tsv"
echo "# $(wc -l <"$TMP/dec.tsv") CoAP messages decrypted from the loopback capture"
check "with the key log tshark decrypts the Register: POST /rd?ep=lwm2m-simdev" \
    awk -F'\t' '$1 == 2 && $2 == "/rd" && $3 ~ /ep=lwm2m-simdev/ { f = 1 } END { exit !f }' "$TMP/dec.tsv"
ts -r "$TMP/lo.pcap" $DD -T fields -e coap.code -Y "coap && $ours" >"$TMP/nokeys.tsv"
check "without it, no CoAP is seen (the capture is encrypted)" [ ! -s "$TMP/nokeys.tsv" ]
finish
