#!/bin/bash
# tests/interop/anjay-fwpkg.sh (make interop's packages for Anjay's demo), without Anjay: on
# a stand-in binary it writes the header the demo checks (magic, header version 2, force
# error, checksum, package version "1.0"), swaps the version string in the image copy, and
# refuses a binary whose version string it cannot find once.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash
PKG=tests/interop/anjay-fwpkg.sh

printf 'ELF-ish head\0Initializing Anjay 3.14.0\0tail bytes' >"$TMP/demo"
"$PKG" "$TMP/demo" "$TMP/out" >"$TMP/o" 2>&1
check "makes the packages from a demo binary" \
    test -s "$TMP/out/good.pkg" -a -s "$TMP/out/unsupported.pkg" -a -s "$TMP/out/install-fail.pkg"
check "the new version: the old one's last number + 1" \
    test "$(cat "$TMP/out/version") $(cat "$TMP/out/old-version")" = "3.14.1 3.14.0"
hex() { od -An -tx1 -N "$2" -j "$3" "$1" | tr -d ' \n'; }
# magic "ANJAY_FW", header version 2, force error 0, (checksum), version length 3, "1.0"
check "good.pkg: the header the demo checks" \
    test "$(hex "$TMP/out/good.pkg" 12 0)$(hex "$TMP/out/good.pkg" 4 16)" = "414e4a41595f46570002000003312e30"
check "install-fail.pkg: force error 2 (the update fails at Execute)" \
    test "$(hex "$TMP/out/install-fail.pkg" 4 8)" = "00020002"
check "unsupported.pkg: another magic" test "$(head -c 8 "$TMP/out/unsupported.pkg")" != ANJAY_FW
tail -c +21 "$TMP/out/good.pkg" >"$TMP/image"
printf 'ELF-ish head\0Initializing Anjay 3.14.1\0tail bytes' >"$TMP/want"
check "the image: the demo with its version string swapped" cmp -s "$TMP/image" "$TMP/want"
# the checksum variant the demo verifies (accepted by Anjay 3.14's demo on its own 4.5 MB
# image in make interop, and int-776's corrupted copy refused): pinned on a fixed image
printf 'x\0Initializing Anjay 1.0.0\0' >"$TMP/demo2"
"$PKG" "$TMP/demo2" "$TMP/out2" 1.0.9 >"$TMP/o2" 2>&1
check "a version given: written, and the image's checksum in the header (5eed896c)" \
    test "$(cat "$TMP/out2/version") $(hex "$TMP/out2/good.pkg" 4 12)" = "1.0.9 5eed896c"
"$PKG" "$TMP/demo2" "$TMP/out3" 1.0.10 >"$TMP/o3" 2>&1
rc=$?
check "a new version longer than the old: refused, saying so" \
    sh -c "[ $rc -ne 0 ] && grep -q 'at most 5 characters' '$TMP/o3'"
printf 'no version here' >"$TMP/bad"
"$PKG" "$TMP/bad" "$TMP/out4" >"$TMP/o4" 2>&1
rc=$?
check "a binary without the demo's version string: refused, saying so" \
    sh -c "[ $rc -ne 0 ] && grep -q \"cannot find the demo's version string\" '$TMP/o4'"
"$PKG" >"$TMP/o5" 2>&1
rc=$?
check "no arguments: usage (exit 2)" sh -c "[ $rc = 2 ] && grep -q usage '$TMP/o5'"
finish
