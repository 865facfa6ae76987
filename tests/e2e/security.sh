#!/bin/bash
# int-401 (DTLS-PSK session, Register, TLV Read over it) and --ciphersuites: the report
# always names the negotiated suite; restricted to LwM2M's mandatory suite, a device that
# lacks it fails the handshake and the report says which suites each side offered.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash
all() { local cmd=(); for a in "$@"; do if [ "$a" = -- ]; then "${cmd[@]}" || return 1; cmd=(); else cmd+=("$a"); fi; done; "${cmd[@]}"; }
CCM8=TLS_PSK_WITH_AES_128_CCM_8

# --- default suites: the report states what was negotiated ------------------------------
"$TOOL" run --sim --only int-401 --no-color --timeout 3 -v --json "$TMP/d.json" >"$TMP/d.txt" 2>&1
rc=$?
check "int-401 PASS with the default suites, exit $rc" \
    all [ "$(verdict_of "$TMP/d.txt" int-401)" = PASS ] -- [ "$rc" = 0 ]
check "the report states the negotiated suite and the PSK identity" \
    all grep -q 'PSK identity "lwm2m-conform-1", TLS-[A-Z0-9-]*' "$TMP/d.txt" -- \
        grep -q 'DTLS with PSK identity \\"lwm2m-conform-1\\", cipher suite TLS-' "$TMP/d.json"

# --- both sides restricted to the mandatory suite: it is negotiated ----------------------
"$TOOL" run --sim --only int-401 --no-color --timeout 3 -v --ciphersuites "$CCM8" \
    --sim-arg=--ciphersuites="$CCM8" >"$TMP/c.txt" 2>&1
rc=$?
check "--ciphersuites $CCM8 on both sides: PASS, TLS-PSK-WITH-AES-128-CCM-8 negotiated, exit $rc" \
    all [ "$(verdict_of "$TMP/c.txt" int-401)" = PASS ] -- [ "$rc" = 0 ] -- \
        grep -q '"lwm2m-conform-1", TLS-PSK-WITH-AES-128-CCM-8\]' "$TMP/c.txt"

# --- the device lacks it: the handshake fails, and the report says why -------------------
"$TOOL" run --sim --only int-401 --no-color --timeout 2 --ciphersuites "$CCM8" \
    --sim-arg=--ciphersuites=TLS-ECDHE-PSK-WITH-AES-128-CBC-SHA256,TLS-PSK-WITH-AES-128-GCM-SHA256 \
    --junit "$TMP/f.xml" >"$TMP/f.txt" 2>&1
rc=$?
check "a device without $CCM8: int-401 FAIL on A (and B, nothing registered), exit 1 (got $rc)" \
    all [ "$(failing_criteria "$TMP/f.txt")" = "int-401 A int-401 B" ] -- [ "$rc" = 1 ]
check "the report names the suites the device offered and those the tool accepts" \
    grep -q 'no cipher suite in common: the device offered TLS-ECDHE-PSK-WITH-AES-128-CBC-SHA256, TLS-PSK-WITH-AES-128-GCM-SHA256; the tool accepts TLS-PSK-WITH-AES-128-CCM-8' "$TMP/f.txt"
check "the JUnit report carries it too" \
    all valid_junit "$TMP/f.xml" -- grep -q 'no cipher suite in common' "$TMP/f.xml"

# --- usage and applicability ---------------------------------------------------------------
"$TOOL" run --sim --ciphersuites TLS_NO_SUCH_SUITE >"$TMP/u.txt" 2>&1
rc=$?
check "an unknown suite: exit 2 (got $rc), and where to find the known ones" \
    all [ "$rc" = 2 ] -- grep -q "unknown cipher suite 'TLS-NO-SUCH-SUITE' (--ciphersuites help lists" "$TMP/u.txt"
"$TOOL" run --ciphersuites help >"$TMP/k.txt" 2>&1
rc=$?
check "--ciphersuites help lists the PSK suites, the mandatory one among them, exit 0 (got $rc)" \
    all [ "$rc" = 0 ] -- grep -qE '(^| )TLS-PSK-WITH-AES-128-CCM-8(,|$)' "$TMP/k.txt"
"$TOOL" run --sim --only int-401 --no-color --timeout 3 --config fixtures/c14-nosec.json >"$TMP/n.txt" 2>&1
rc=$?
check "a NoSec configuration: int-401 SKIPPED (not PSK), exit 0 (got $rc)" \
    all [ "$(verdict_of "$TMP/n.txt" int-401)" = SKIPPED ] -- [ "$rc" = 0 ] -- \
        grep -q 'not applicable: needs psk' "$TMP/n.txt"
"$TOOL" serve --help >"$TMP/h.txt" 2>&1
check "serve takes --ciphersuites too" grep -q -- '--ciphersuites LIST' "$TMP/h.txt"

finish
