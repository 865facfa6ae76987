#!/bin/bash
# PSK keys never appear in any output: the whole bootstrap suite (and the tool's
# readings) at -vvv, against the simulated device started by --device-cmd semantics
# (--sim), with one key printable ASCII so libcoap's "ascii" dump line is exercised. Every
# output is searched for every key in every encoding: stdout, stderr, JUnit, JSON and the
# device log.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

# server 1's key becomes printable ASCII (Base64 of "Printable-PSK-key-of-server-1!")
ascii_key_b64=$(printf 'Printable-PSK-key-of-server-1!' | base64)
sed "s|\"Gis8TV5vcIGSo7TF1uf4AQ==\"|\"$ascii_key_b64\"|" fixtures/c14.json >"$TMP/c14-ascii.json"
check "the configuration has the printable key" grep -q "$ascii_key_b64" "$TMP/c14-ascii.json"

"$TOOL" run --sim --bootstrap --readings --config "$TMP/c14-ascii.json" --no-color --timeout 5 -vvv \
    --junit "$TMP/s.xml" --json "$TMP/s.json" --device-log "$TMP/device.log" \
    --html "$TMP/s.html" --pcap "$TMP/s.pcap" \
    >"$TMP/s.out" 2>"$TMP/s.err"
rc=$?
check "the bootstrap suite ran at -vvv (exit $rc)" [ "$rc" -le 1 ]
check "the trace is there (so the search means something)" grep -q 'POST /bs' "$TMP/s.err"
check "libcoap's own dumps are there too" grep -q 'libcoap: v:1 ' "$TMP/s.err"
check "the bootstrap server wrote the Security object (the keys were on the wire)" \
    grep -q 'PUT /0' "$TMP/s.err"

leaks=$(python3 - "$TMP/c14-ascii.json" "$TMP/s.out" "$TMP/s.err" "$TMP/s.xml" "$TMP/s.json" "$TMP/device.log" \
        "$TMP/s.html" "$TMP/s.pcap" "$TMP/s.int-0.pcap" <<'PY'
import base64, json, sys
cfg = json.load(open(sys.argv[1]))
keys = [base64.b64decode(e["sv"]) for e in cfg["e"] if e["n"].endswith("/5") and e.get("sv")]
def forms(k):
    f = {"hex": k.hex(), "HEX": k.hex().upper(), "spaced hex": " ".join("%02x" % b for b in k),
         "SPACED HEX": " ".join("%02X" % b for b in k),
         "base64": base64.b64encode(k).decode().rstrip("="),
         "base64url": base64.urlsafe_b64encode(k).decode().rstrip("=")}
    if all(32 <= b < 127 for b in k):
        f["raw"] = k.decode()
        f["raw spaced"] = " ".join(chr(b) for b in k)
    return f
found = 0
print("# %d keys, %s printable" % (len(keys), sum(all(32 <= b < 127 for b in k) for k in keys)))
for path in sys.argv[2:]:
    try:
        data = open(path, "rb").read()
        text = data.decode("utf-8", "replace")
    except OSError:
        print("# %s missing" % path); found += 1; continue
    for i, k in enumerate(keys):
        if k in data:
            print("# key %d as raw bytes in %s" % (i, path)); found += 1
        for name, f in forms(k).items():
            if f and f in text:
                print("# key %d as %s in %s" % (i, name, path)); found += 1
print(found)
PY
)
printf '%s\n' "$leaks" | sed -n '/^#/p'
check "no key in any encoding in stdout, stderr, JUnit, JSON, HTML, the captures or the device log" [ "$(printf '%s\n' "$leaks" | tail -n1)" = 0 ]
finish
