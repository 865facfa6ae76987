#!/bin/bash
# ETS INT 1.2 int-6 (Bootstrap Sequence) and int-7 (Fallback to bootstrap) against the
# simulated device: a conformant device passes, every criterion fails under some fault with
# nothing else failing (the fault-coverage check at the end). int-7's simulated device falls
# back after 3 failed Registers, the first at least 20 s before, or (--registration-retry) as
# the /1/0/16-20 the set-up writes say; the wait is shortened (--var fallback_wait=40, scaled).
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

# Columns: faults (+ joins several) | LwM2M version | cases | failing criteria | exit code |
# options for the simulated device
table='
-                       |1.1|int-6,int-7|  |0
-                       |1.0|int-6|  |0
# int-7 with a device that retries as its Server object says (LwM2M 1.1 §6.2.1.1, the
# defaults 5 Registers, 60 s doubling, where absent): the set-up writes /1/0/16-20 (2
# Registers, 10 s), so it falls back within the wait
-                       |1.1|int-7|  |0|--registration-retry
# int-7 A: one that keeps its defaults whatever /1/0/17-20 hold (about 900 s) does not
ignore-retry-timers     |1.1|int-7|int-7 A int-7 B int-7 C|1|--registration-retry
# int-6 A (and B C: no bootstrap session follows); int-7 its set-up, then nothing
bootstrap-request-no-ep |1.1|int-6|int-6 A int-6 B int-6 C|1
# int-6 B, int-7 B: the Access Control instances (written only by the whole configuration,
# not by the set-up of int-7) are never answered; the server accounts, written before them, are
# complete, so after the Finish the device registers (C passes)
no-response=/2          |1.1|int-6,int-7|int-6 B int-7 B|1
# int-6 C, int-7 C: its Register has no ep and is answered 4.00
register-no-ep          |1.1|int-6,int-7|int-6 C int-7 C|1
# the set-up of int-7 fails (every Bootstrap-Write answered 4.00): the device was never given the
# unreachable server, so nothing is judged: INCONCLUSIVE, not FAIL
bootstrap-write-error   |1.1|int-7|  |1
# int-7 A: it retries the unreachable server for ever; nothing follows (B C)
no-bootstrap-fallback   |1.1|int-7|int-7 A int-7 B int-7 C|1
'
covered=""
while IFS='|' read -r faults ver only crit code simargs; do
    faults=$(echo "$faults" | xargs); [ -n "$faults" ] && [ "${faults#\#}" = "$faults" ] || continue
    ver=$(echo "$ver" | xargs); only=$(echo "$only" | xargs); crit=$(echo "$crit" | xargs)
    code=$(echo "$code" | xargs); simargs=$(echo "$simargs" | xargs)
    args=(run --sim --bootstrap --lwm2m "$ver" --only "$only" --var "fallback_wait=$(scaled 40)"
          --no-color --timeout "$(scaled 3)" --junit "$TMP/f.xml")
    for a in $simargs; do args+=("--sim-arg=$a"); done
    if [ "$faults" != - ]; then IFS=+ read -ra list <<<"$faults"; for f in "${list[@]}"; do args+=(--sim-fault "$f"); done; fi
    "$TOOL" "${args[@]}" >"$TMP/f.txt" 2>"$TMP/f.err"
    rc=$?
    gotcrit=$(failing_criteria "$TMP/f.txt")
    covered+=" $crit "
    if [ "$gotcrit" = "$crit" ] && [ "$rc" = "$code" ]; then
        ok "fault $faults ($ver, $only${simargs:+, $simargs}): failing [$gotcrit], exit $rc"
    else
        not_ok "fault $faults ($ver, $only${simargs:+, $simargs}): expected [$crit] exit $code; got [$gotcrit] exit $rc"
        sed 's/^/#   /' "$TMP/f.txt" "$TMP/f.err" | head -60
    fi
    check "fault $faults ($ver): JUnit valid" valid_junit "$TMP/f.xml"
    if [ "$faults" = bootstrap-write-error ]; then
        check "int-7 with its set-up refused: INCONCLUSIVE, saying the set-up failed" \
            grep -q "^INCONCLUSIVE  int-7 " "$TMP/f.txt"
        check "int-7 with its set-up refused: the reason names the set-up step" \
            grep -q "the tool's set-up failed at step 1" "$TMP/f.txt"
    fi
done <<<"$table"
missing=""
for c in "int-6 ABC" "int-7 ABC"; do
    id=${c% *} letters=${c#* }
    for ((i = 0; i < ${#letters}; i++)); do
        [[ "$covered" == *" $id ${letters:i:1} "* ]] || missing+=" $id ${letters:i:1}"
    done
done
check "every criterion of int-6 and int-7 fails under some fault (missing:${missing:- none})" \
    [ -z "$missing" ]

"$TOOL" run --sim --bootstrap --lwm2m 1.0 --only int-7 --no-color --timeout "$(scaled 3)" >"$TMP/v10.txt" 2>&1
check "int-7 on an LwM2M 1.0 device: SKIPPED with its version, nothing FAILs" \
    grep -q '^SKIPPED  int-7 .*' "$TMP/v10.txt"
finish
