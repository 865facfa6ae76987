#!/bin/bash
# ETS INT 1.2's device management and information reporting cases (LwM2M 1.1/1.2: CBOR,
# SenML, resource instances, composite operations, Send, Mute Send, Observe attributes)
# against the simulated device, with and without faults. The table's rows together fail
# every criterion of these cases (the fault-coverage check at the end); a 1.0 device gets
# the 1.1/1.2 cases SKIPPED and none of them FAILs. Free ports throughout (run --sim).
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash
all() { local cmd=(); for a in "$@"; do if [ "$a" = -- ]; then "${cmd[@]}" || return 1; cmd=(); else cmd+=("$a"); fi; done; "${cmd[@]}"; }

DM=int-211,int-212,int-221,int-222,int-223,int-224,int-225,int-226,int-227,int-231,int-232,int-235,int-236,int-237,int-256,int-280,int-281
P12=int-228,int-230,int-233,int-234
IR=int-304,int-305,int-306,int-307,int-311
# The ETS's 30/45 s periods and 60 s Send waits, made short for the simulated device
QUICK="--var pmin=2 --var pmax=3 --var window=5 --var send_wait=3"
OBS12="--var pmin=2 --var pmax=3 --var window=8"

# Columns: configuration | LwM2M version of the simulated device | faults (- none) | cases
# | verdicts | failing criteria (the whole set the run produces) | exit code | extra options
table="
c14|1.1|-                                   |$DM|PASS PASS PASS PASS PASS PASS PASS PASS PASS PASS PASS PASS PASS PASS PASS PASS PASS||0|-
c14|1.1|wrong-value=/1/0/7                  |$DM|FAIL PASS PASS FAIL FAIL FAIL PASS PASS PASS FAIL FAIL FAIL FAIL FAIL PASS FAIL FAIL|int-211 A int-222 A int-223 A int-224 A int-231 A int-232 A int-235 A int-236 A int-237 A int-280 A int-281 A|1|-
c14|1.1|missing-value=/3/0/16               |$DM|PASS PASS PASS FAIL FAIL FAIL PASS PASS PASS FAIL FAIL FAIL PASS FAIL PASS FAIL PASS|int-222 B int-223 B int-224 B int-231 A int-232 A int-235 A int-237 B int-280 A|1|-
c14|1.0|-                                   |$DM|SKIPPED SKIPPED PASS PASS PASS PASS SKIPPED PASS PASS SKIPPED SKIPPED SKIPPED SKIPPED PASS PASS SKIPPED SKIPPED||0|-
c14|1.1|no-response=/0                      |int-221|FAIL|int-221 A|1|-
c14|1.1|ignore-partial-write ignore-lifetime-write|int-226,int-227|FAIL FAIL|int-226 B int-226 C int-226 D int-227 B int-227 E|1|-
c14|1.1|write-read-only                     |int-256|FAIL|int-256 A int-256 B|1|-
c14|1.1|composite-extra                     |int-236,int-280,int-281|FAIL FAIL FAIL|int-236 A int-280 A int-281 A|1|-
c14|1.1|composite-all-or-nothing            |int-236,int-281|FAIL FAIL|int-236 A int-281 A|1|-
c14|1.1|composite-root-security             |int-235|FAIL|int-235 A|1|-
c14|1.1|no-response=/1/0                    |int-212,int-226,int-227|FAIL FAIL FAIL|int-212 A int-212 B int-226 A int-226 B int-226 C int-226 D int-227 A int-227 B int-227 C int-227 D int-227 E|1|-
c14|1.1|ignore-write=/1/0/3 no-response=/3/0/11|int-212,int-225|FAIL FAIL|int-212 B int-225 A|1|-
c12|1.1|-                                   |$P12|PASS PASS PASS PASS||0|-
c12|1.1|write-composite-partial ignore-write=/16/0/0/1 ignore-write=/16/0/0/0|$P12|FAIL FAIL FAIL FAIL|int-228 B int-230 C int-233 E int-234 E|1|-
c12|1.1|composite-bad-request               |int-230|FAIL|int-230 A int-230 B int-230 C|1|-
c12|1.1|composite-unsupported               |int-230|SKIPPED||0|-
c12|1.1|no-response=/16/0/0 ignore-lifetime-write|$P12|FAIL PASS FAIL FAIL|int-228 A int-228 B int-233 B int-233 D int-233 E int-233 G int-234 B int-234 D int-234 E int-234 G|1|-
c12|1.1|no-response=/1/0                    |int-233,int-234|FAIL FAIL|int-233 A int-233 B int-233 C int-233 F int-233 G int-233 H int-234 A int-234 B int-234 C int-234 F int-234 G int-234 H|1|-
c12|1.0|-                                   |$P12,int-257|SKIPPED SKIPPED SKIPPED SKIPPED SKIPPED||0|-
c6 |1.1|-                                   |int-257|PASS||0|-
c6 |1.1|missing-value=/1/0/2 composite-bad-request|int-257|FAIL|int-257 A int-257 B int-257 C|1|-
c6 |1.1|composite-unsupported               |int-257|SKIPPED||0|-
c14|1.1|-                                   |$IR|PASS PASS PASS PASS PASS||0|$QUICK
c14|1.0|-                                   |$IR|SKIPPED SKIPPED SKIPPED SKIPPED SKIPPED||0|$QUICK
c14|1.1|no-send                             |int-306,int-307,int-311|FAIL FAIL FAIL|int-306 A int-306 B int-307 A int-307 E int-311 A|1|$QUICK
c14|1.1|send-while-muted                    |int-307|FAIL|int-307 C|1|$QUICK
c14|1.1|no-response=/1/0/23                 |int-307|FAIL|int-307 B int-307 C int-307 D|1|$QUICK
c14|1.1|send-wrong-format                   |int-306,int-311|FAIL FAIL|int-306 B int-311 A|1|$QUICK
c14|1.1|composite-bad-request               |int-304,int-305|FAIL FAIL|int-304 B int-304 C int-305 A int-305 B int-305 C|1|$QUICK
c14|1.1|composite-unsupported               |int-235,int-236,int-280,int-304,int-305|SKIPPED SKIPPED SKIPPED SKIPPED SKIPPED||0|$QUICK
c14|1.1|ignore-cancel                       |int-305|FAIL|int-305 C|1|$QUICK
c14|1.1|notify-late                         |int-304|FAIL|int-304 C|1|$QUICK
c14|1.1|write-attributes-wrong-code         |int-304,int-305|FAIL FAIL|int-304 A int-305 A|1|$QUICK
c4 |1.2|-                                   |int-312,int-313|PASS PASS||0|$OBS12
c4 |1.2|-                                   |int-261,int-264,int-266|PASS PASS PASS||0|-
c7 |1.0|-                                   |int-801,int-810|PASS PASS||0|-
c7 |1.0|no-response=/6/0                    |int-801,int-810|FAIL FAIL|int-801 A int-801 B int-801 C int-810 A int-810 B int-810 C int-810 D int-810 E int-810 F|1|-
c7 |1.1|missing-value=/6/0/5 write-attributes-wrong-code|int-801,int-810|FAIL FAIL|int-801 C int-810 B int-810 D int-810 F|1|-
c9 |1.0|-                                   |int-901|PASS||0|-
c9 |1.0|no-response=/7/0                    |int-901|FAIL|int-901 A int-901 B int-901 C int-901 D int-901 E int-901 F int-901 G int-901 H|1|-
c9 |1.1|missing-value=/7/0/3                |int-901|FAIL|int-901 H|1|-
c14|1.0|-                                   |int-801,int-810,int-901|SKIPPED SKIPPED SKIPPED||0|-
c15|1.0|-                                   |int-1900,int-1901|PASS PASS||0|$OBS12
c15|1.0|-                                   |int-1900|SKIPPED||0|-
c15|1.0|no-response=/19                     |int-1900,int-1901|FAIL FAIL|int-1900 A int-1900 B int-1900 C int-1900 D int-1901 A int-1901 B|1|$OBS12
c15|1.0|ignore-write=/19/1/0 missing-value=/19/0/0|int-1900,int-1901|FAIL FAIL|int-1900 C int-1900 D int-1901 B|1|$OBS12
c4 |1.1|-                                   |int-261,int-264,int-266|PASS SKIPPED SKIPPED||0|-
c4 |1.2|discover-depth-ignored              |int-264,int-266|FAIL FAIL|int-264 A int-264 C int-266 E|1|-
c4 |1.2|write-attributes-wrong-code discover-missing-resource|int-261,int-264,int-266|FAIL FAIL FAIL|int-261 B int-264 B int-266 A int-266 B int-266 C int-266 D|1|-
c4 |1.2|ignore-write-attributes no-response=/3/0/11|int-261|FAIL|int-261 A int-261 B int-261 C|1|-
c4 |1.1|-                                   |int-312,int-313|SKIPPED SKIPPED||0|$OBS12
c4 |1.2|observe-params-ignored              |int-312,int-313|FAIL FAIL|int-312 B int-313 C|1|$OBS12
c4 |1.2|missing-value=/3/0/7/1 write-attributes-wrong-code|int-312,int-313|FAIL FAIL|int-312 A int-312 B int-313 A int-313 B int-313 C|1|$OBS12
"
covered=""
while IFS='|' read -r cfg ver faults cases want crit code extra; do
    cfg=$(echo "$cfg" | xargs); [ -n "$cfg" ] || continue
    ver=$(echo "$ver" | xargs); faults=$(echo "$faults" | xargs); cases=$(echo "$cases" | xargs)
    want=$(echo "$want" | xargs); crit=$(echo "$crit" | xargs); code=$(echo "$code" | xargs)
    extra=$(echo "$extra" | xargs)
    args=(run --sim --config "fixtures/$cfg.json" --lwm2m "$ver" --only "$cases" --no-color
          --timeout "$(scaled 2)")
    [ "$faults" = - ] || for f in $faults; do args+=(--sim-fault "$f"); done
    # shellcheck disable=SC2206
    [ "$extra" = - ] || args+=($extra)
    covered+=" $crit"
    row_start "$cfg (LwM2M $ver), faults $faults" "$cases" "$want" "$crit" "$code" "$TOOL" "${args[@]}"
done <<<"$table"
rows_judge

# fault coverage: every criterion of the cases above fails under some fault
missing=""
for c in "int-211 A" "int-212 AB" "int-221 A" "int-222 AB" "int-223 AB" "int-224 AB" "int-225 A" \
         "int-226 ABCD" "int-227 ABCDE" "int-228 AB" "int-230 ABC" "int-231 A" "int-232 A" \
         "int-233 ABCDEFGH" "int-234 ABCDEFGH" "int-235 A" "int-236 A" "int-237 AB" "int-256 AB" \
         "int-257 ABC" "int-261 ABC" "int-264 ABC" "int-266 ABCDE" "int-280 A" "int-281 A" "int-304 ABC" "int-305 ABC" "int-306 AB" \
         "int-307 ABCDE" "int-311 A" "int-312 AB" "int-313 ABC" "int-801 ABC" "int-810 ABCDEF" "int-901 ABCDEFGH" "int-1900 ABCD" "int-1901 AB"; do
    id=${c% *} letters=${c#* }
    for ((i = 0; i < ${#letters}; i++)); do
        [[ "$covered " == *" $id ${letters:i:1} "* ]] || missing+=" $id ${letters:i:1}"
    done
done
check "every criterion of the ETS INT 1.2 operation cases fails under some fault (missing:${missing:- none})" \
    [ -z "$missing" ]

# The run's own way to make a device Send: --send-cmd runs a command at each trigger-send;
# without --sim and without it, the case waits for the device's own Send.
# Send is optional for a Client: a device profile saying "send": false makes the Send cases
# SKIPPED, not applicable (the no-send row above, without one, still FAILs them)
echo '{"send": false}' >"$TMP/nosend.profile.json"
"$TOOL" run --sim --lwm2m 1.1 --sim-fault no-send --profile "$TMP/nosend.profile.json" \
    --only int-306,int-307,int-311 --no-color --timeout "$(scaled 2)" --var send_wait=3 >"$TMP/ns.txt" 2>&1
check "a device profile with \"send\": false: int-306, int-307, int-311 SKIPPED, saying why, none FAILs" \
    all [ "$(grep -c '^SKIPPED  int-3' "$TMP/ns.txt")" = 3 ] -- not_in '^FAIL' "$TMP/ns.txt" -- \
        grep -q 'does not implement Send ("send": false)' "$TMP/ns.txt"

"$TOOL" run --sim --lwm2m 1.1 --only int-306 --no-color --timeout "$(scaled 2)" --var send_wait=3 \
    -v >"$TMP/s.txt" 2>&1
check "trigger-send with --sim: SIGUSR1 to the simulated device, named in the report" \
    grep -q 'SIGUSR1 to the simulated device' "$TMP/s.txt"
check "expect-send: the Send's arrival and format are reported" \
    grep -q 'Send of [0-9]* bytes in Content-Format 112, answered 2.04' "$TMP/s.txt"
# A device the run cannot make Send, which sends none on its own: ERROR naming --send-cmd,
# never a FAIL; the same device sending periodically passes without any trigger.
devcmd='exec '"$SIMDEV"' --config fixtures/c14.json --lwm2m 1.1 --server-uri "1=$LWM2M_CONFORM_SERVER_URI_1" --server-uri "2=$LWM2M_CONFORM_SERVER_URI_2"'
"$TOOL" run --device-cmd "$devcmd" --port 1=0 --port 2=0 --only int-306 --var send_wait=2 --no-color \
    --timeout "$(scaled 2)" >"$TMP/u.txt" 2>&1
check "no way to make the device Send and none sent: int-306 ERROR naming --send-cmd, not FAIL" \
    grep -q 'the run has no way to make the device Send: give --send-cmd' "$TMP/u.txt"
check "... and its verdict is ERROR" test "$(verdict_of "$TMP/u.txt" int-306)" = ERROR
"$TOOL" run --device-cmd "$devcmd --send-period 1" --port 1=0 --port 2=0 --only int-306,int-311 \
    --var send_wait=3 --no-color --timeout "$(scaled 2)" >"$TMP/p.txt" 2>&1
check "a device sending every second passes int-306 and int-311 without a trigger" \
    test "$(verdict_of "$TMP/p.txt" int-306) $(verdict_of "$TMP/p.txt" int-311)" = "PASS PASS"
finish
