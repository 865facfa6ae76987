#!/bin/bash
# make install (issue 19): into a temporary DESTDIR, then the installed tool, run from /
# with a clean environment, finds its test cases, fixtures and object definitions under
# PREFIX/share/lwm2m-conform and plays the simulator suite; LWM2M_CONFORM_DATADIR and
# --datadir override; the man pages render; nothing of this tree is compiled in.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash
case $BUILD in */san) san=SANITIZE=1 ;; *) san= ;; esac

root="$TMP/root"
make -s $san install DESTDIR="$root" PREFIX=/usr >"$TMP/install.log" 2>&1
rc=$?
check "make install DESTDIR=… PREFIX=/usr (exit $rc)" [ "$rc" = 0 ]
for f in usr/bin/lwm2m-conform usr/bin/lwm2m-simdev usr/share/man/man1/lwm2m-conform.1 \
         usr/share/man/man1/lwm2m-simdev.1 usr/share/lwm2m-conform/fixtures/c14.json \
         usr/share/lwm2m-conform/testcases/int-101.json usr/share/lwm2m-conform/fixtures/objects/3.xml; do
    check "installed: /$f" test -s "$root/$f"
done
check "the binaries do not name this tree's data" \
    sh -c "! grep -a -q '$PWD/fixtures' '$root/usr/bin/lwm2m-conform' '$root/usr/bin/lwm2m-simdev'"
check "the man pages render" sh -c "man -l '$root/usr/share/man/man1/lwm2m-conform.1' 2>/dev/null | grep -q 'pcap FILE' &&
                                   man -l '$root/usr/share/man/man1/lwm2m-simdev.1' 2>/dev/null | grep -q 'fault NAME'"

bin="$root/usr/bin/lwm2m-conform"
clean_env=(env -i PATH=/usr/bin:/bin HOME=/ TMPDIR="$TMP")
(cd / && "${clean_env[@]}" "$bin" list --no-color) >"$TMP/list.out" 2>&1
check "installed list from / reads the installed cases" grep -q '^int-101 ' "$TMP/list.out"
start=$SECONDS
(cd / && "${clean_env[@]}" "$bin" run --sim --no-color --json "$TMP/r.json") >"$TMP/run.out" 2>&1
rc=$?
echo "# the installed tool played the simulator suite in $((SECONDS - start)) s"
check "the installed tool run from / plays the simulator suite: every case passes (exit $rc)" [ "$rc" = 0 ]
check "with the installed configuration" grep -q "$root/usr/share/lwm2m-conform/fixtures/c14.json" "$TMP/r.json"
check "and the installed simulated device" grep -q "$root/usr/bin/lwm2m-simdev" "$TMP/run.out"
check "it played cases" sh -c "grep -c '^PASS ' '$TMP/run.out' | awk '{ exit \$1 < 10 }'"

# overrides: a data directory with one case only
alt="$TMP/alt"
mkdir -p "$alt/testcases"
cp -r "$root/usr/share/lwm2m-conform/fixtures" "$alt/"
cp testcases/int-101.json "$alt/testcases/"
(cd / && "${clean_env[@]}" LWM2M_CONFORM_DATADIR="$alt" "$bin" list --no-color) >"$TMP/alt.out" 2>&1
check "LWM2M_CONFORM_DATADIR overrides" sh -c "grep -c '^int-' '$TMP/alt.out' | grep -qx 1"
(cd / && "${clean_env[@]}" "$bin" list --datadir "$alt" --no-color) >"$TMP/alt2.out" 2>&1
check "--datadir overrides" sh -c "grep -c '^int-' '$TMP/alt2.out' | grep -qx 1"
(cd / && "${clean_env[@]}" LWM2M_CONFORM_DATADIR="$TMP/none" "$bin" list --no-color) >"$TMP/none.out" 2>&1
check "a data directory that is not there is a clear error" grep -q "LWM2M_CONFORM_DATADIR=$TMP/none: no such directory" "$TMP/none.out"
finish
