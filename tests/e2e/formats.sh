#!/bin/bash
# LwM2M 1.1/1.2 content formats and versions end to end (issue 9): the bootstrap server
# writes in the format the device asks for with pct; --lwm2m holds a 1.2 device to an older
# version through 4.12 and its fallback Register; every format fault of the simulator fails
# exactly its criteria; a response without Content-Format is still judged, with a note. All
# waits are the tool's own step deadlines; nothing sleeps.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

all() { local cmd=(); for a in "$@"; do if [ "$a" = -- ]; then "${cmd[@]}" || return 1; cmd=(); else cmd+=("$a"); fi; done; "${cmd[@]}"; }
verdicts() { local f=$1 out="" v; shift; for c in "$@"; do v=$(verdict_of "$f" "$c"); out+="${v:--} "; done; echo "${out% }"; }
CASES=(int-0 int-1 int-4 int-8 int-9 int-950 int-951)
ALL_PASS="PASS PASS PASS PASS PASS PASS PASS"
# the cases this script judges (the other ETS cases have their own scripts)
ONLY=$(IFS=,; echo "${CASES[*]},int-401")

# --- bootstrap in the format the device asked for ------------------------------------------
for pct in 110 112; do
    "$TOOL" run --sim --bootstrap --strict --lwm2m 1.1 --only "$ONLY" --sim-arg=--pct=$pct --no-color --timeout "$(scaled 5)" \
        --json "$TMP/p$pct.json" >"$TMP/p$pct.txt" 2>"$TMP/p$pct.err"
    rc=$?
    got=$(verdicts "$TMP/p$pct.txt" "${CASES[@]}")
    check "pct=$pct: all seven cases PASS, int-8 included [$got], exit $rc" \
        all [ "$got" = "$ALL_PASS" ] -- [ "$rc" = 0 ]
    check "pct=$pct: the Bootstrap-Request asks for it and every Bootstrap-Write uses it (trace)" \
        all grep -q "POST /bs?ep=lwm2m-simdev&pct=$pct" "$TMP/p$pct.json" -- \
            grep -q "PUT /0/0 ct=$pct" "$TMP/p$pct.json" -- grep -q "PUT /1/0 ct=$pct" "$TMP/p$pct.json" -- \
            not_in "PUT /[0-9]*/[0-9]* ct=11542" "$TMP/p$pct.json"
    check "pct=$pct: the device answers Bootstrap-Read in it and int-8 D judges the values" \
        grep -q "GET /1 -> 2.05 Content ct=$pct" "$TMP/p$pct.json"
    check "pct=$pct: no warning that the tool cannot write the format" \
        not_in "cannot write that format" "$TMP/p$pct.err"
    [ "$rc" = 0 ] || sed 's/^/#   /' "$TMP/p$pct.txt" "$TMP/p$pct.err"
done

# no pct from a 1.1 device: SenML CBOR (the documented rule)
"$TOOL" run --sim --bootstrap --strict --lwm2m 1.1 --sim-arg=--pct=none --only int-0 --no-color \
    --timeout "$(scaled 5)" --json "$TMP/np.json" >"$TMP/np.txt" 2>&1
check "no pct, LwM2M 1.1: int-0 PASS, written in SenML CBOR" \
    all [ "$(verdicts "$TMP/np.txt" int-0)" = PASS ] -- grep -q "POST /bs?ep=lwm2m-simdev ->" "$TMP/np.json" -- \
        grep -q "PUT /0/0 ct=112" "$TMP/np.json"

# --- the keys written in SenML appear nowhere ----------------------------------------------
for pct in 110 112; do
    "$TOOL" run --sim --bootstrap --strict --lwm2m 1.1 --sim-arg=--pct=$pct --only int-0 -vvv --no-color \
        --timeout "$(scaled 5)" --junit "$TMP/k.xml" --json "$TMP/k.json" >"$TMP/k.out" 2>"$TMP/k.err"
    leaks=0
    for b64 in $(sed -n 's|.*"n": *"0/[0-9]*/5", *"sv": *"\([^"]*\)".*|\1|p' fixtures/c14.json); do
        url=$(printf '%s' "${b64%%=*}" | tr '+/' '-_')
        hex=$(printf '%s' "$b64" | base64 -d | od -An -v -tx1 | tr -d ' \n')
        for form in "$b64" "${b64%%=*}" "$url" "$hex"; do
            for f in "$TMP/k.out" "$TMP/k.err" "$TMP/k.xml" "$TMP/k.json"; do
                grep -qiF -- "$form" "$f" && { leaks=$((leaks + 1)); echo "# key form $form in $(basename "$f")"; }
            done
        done
    done
    check "pct=$pct -vvv: no PSK key (Base64, base64url, hex) in any output" [ "$leaks" = 0 ]
done

# --- a 1.2 device held to 1.0 ----------------------------------------------------------------
"$TOOL" run --sim --bootstrap --strict --lwm2m 1.0 --only "$ONLY" --sim-arg=--lwm2m=1.2 --no-color --timeout "$(scaled 5)" \
    --json "$TMP/h.json" --junit "$TMP/h.xml" >"$TMP/h.txt" 2>"$TMP/h.err"
rc=$?
got=$(verdicts "$TMP/h.txt" "${CASES[@]}")
check "held to 1.0: the suite runs as 1.0 (int-1, int-4, int-8 SKIPPED, the rest PASS) [$got], exit $rc" \
    all [ "$got" = "PASS SKIPPED SKIPPED SKIPPED PASS PASS PASS" ] -- [ "$rc" = 0 ]
check "held to 1.0: int-8 is not applicable because the device registered as 1.0" \
    grep -q 'not applicable: needs lwm2m-1.1: the device is LwM2M 1.0 (as it registered)' "$TMP/h.txt"
check "held to 1.0: the trace shows Register lwm2m=1.2 answered 4.12, then lwm2m=1.0 answered 2.01" \
    all grep -q 'lwm2m=1.2[^"]*4.12 Precondition Failed' "$TMP/h.json" -- \
        grep -q 'lwm2m=1.0[^"]*2.01 Created' "$TMP/h.json"
check "held to 1.0: the step says the Register was a fallback" \
    grep -Eq 'a fallback: before it, (a Register with lwm2m=1.2 was|[0-9]+ Registers \(the first with lwm2m=1.2\) were) answered 4.12' "$TMP/h.json"
note='LwM2M version held to 1.0 (--lwm2m): [0-9]* Register(s) announcing a newer version'
check "held to 1.0: the report says so: text" \
    grep -q "^Note: $note.*registered as LwM2M 1.0, and the cases were judged as LwM2M 1.0" "$TMP/h.txt"
check "held to 1.0: JSON notes" grep -q "\"$note" "$TMP/h.json"
check "held to 1.0: JUnit property, valid" \
    all grep -q "<property name=\"note\" value=\"$note" "$TMP/h.xml" -- valid_junit "$TMP/h.xml"
check "held to 1.0: its GET /bspack was answered 4.04, then it sent POST /bs" \
    all grep -q 'GET /bspack?ep=lwm2m-simdev[^"]*4.04 Not Found' "$TMP/h.json" -- \
        grep -q 'POST /bs?ep=lwm2m-simdev&pct=112' "$TMP/h.json"
[ "$rc" = 0 ] || sed 's/^/#   /' "$TMP/h.txt" "$TMP/h.err"

# held to 1.1: it falls back once, and the 1.1 cases apply
"$TOOL" run --sim --bootstrap --strict --lwm2m 1.1 --only "$ONLY" --sim-arg=--lwm2m=1.2 --no-color --timeout "$(scaled 5)" \
    >"$TMP/h11.txt" 2>&1
rc=$?
got=$(verdicts "$TMP/h11.txt" "${CASES[@]}")
check "held to 1.1: all seven PASS [$got], exit $rc, noted" \
    all [ "$got" = "$ALL_PASS" ] -- [ "$rc" = 0 ] -- grep -q '^Note: LwM2M version held to 1.1' "$TMP/h11.txt"
# no hold: a 1.2 device registers as 1.2 and the suite passes, with no note
"$TOOL" run --sim --bootstrap --strict --only "$ONLY" --sim-arg=--lwm2m=1.2 --no-color --timeout "$(scaled 5)" >"$TMP/n12.txt" 2>&1
rc=$?
got=$(verdicts "$TMP/n12.txt" "${CASES[@]}")
check "1.2, no hold: all seven PASS [$got], exit $rc, no note" \
    all [ "$got" = "$ALL_PASS" ] -- [ "$rc" = 0 ] -- not_in '^Note:' "$TMP/n12.txt"

# --- every format fault fails exactly its criteria --------------------------------------------
# fault | run options | verdicts of int-0 int-1 int-4 int-8 int-9 int-950 int-951 | failing
# criteria | exit code
table='
senml-malformed-record|--lwm2m 1.1 --sim-arg=--pct=110 --timeout 2|PASS PASS FAIL FAIL PASS PASS PASS|int-4 C int-8 D|1
senml-wrong-basename|--lwm2m 1.1 --sim-arg=--pct=110 --timeout 2|PASS PASS FAIL FAIL PASS PASS PASS|int-4 C int-8 D|1
cbor-wrong-major-type|--lwm2m 1.1 --sim-arg=--pct=112 --timeout 2|PASS PASS FAIL FAIL PASS PASS PASS|int-4 C int-8 D|1
# the writes in the asked-for format are refused: what bootstrap-write-error breaks
# (a format the device asked for with pct is no optional format it may lack: FAIL, not SKIPPED)
pct-unsupported|--lwm2m 1.1 --sim-arg=--pct=110 --timeout 1|FAIL FAIL FAIL FAIL FAIL INCONCLUSIVE INCONCLUSIVE|int-0 C int-0 D int-0 E int-1 C int-1 D int-1 E int-1 F int-4 B int-4 C int-4 F int-8 B int-8 C int-8 D int-8 E int-9 B|1
# values are read all the same (int-8 passes) and the report notes it; only a criterion on
# the Content-Format itself fails: int-401 B (a TLV Read of /3/0)
no-content-format|--lwm2m 1.1 --sim-arg=--pct=110 --timeout 2|PASS PASS PASS PASS PASS PASS PASS|int-401 B|1
no-content-format|--lwm2m 1.1 --sim-arg=--pct=112 --timeout 2|PASS PASS PASS PASS PASS PASS PASS|int-401 B|1
'
while IFS='|' read -r fault opts want crit code; do
    [ -n "$fault" ] && [ "${fault#\#}" = "$fault" ] || continue
    # shellcheck disable=SC2086 # opts is a list of options
    "$TOOL" run --sim --bootstrap --strict --only "$ONLY" --sim-fault "$fault" --no-color $opts \
        --junit "$TMP/f.xml" >"$TMP/f.txt" 2>"$TMP/f.err"
    rc=$?
    got=$(verdicts "$TMP/f.txt" "${CASES[@]}")
    gotcrit=$(failing_criteria "$TMP/f.txt")
    if [ "$got" = "$want" ] && [ "$gotcrit" = "$crit" ] && [ "$rc" = "$code" ]; then
        ok "fault $fault ($opts): [$got], failing [$gotcrit], exit $rc"
    else
        not_ok "fault $fault ($opts): expected [$want], failing [$crit], exit $code; got [$got], [$gotcrit], exit $rc"
        sed 's/^/#   /' "$TMP/f.txt" "$TMP/f.err"
    fi
    check "fault $fault ($opts): JUnit valid" valid_junit "$TMP/f.xml"
    check "fault $fault ($opts): the simulated device shut down cleanly" \
        not_in "simulated device exited with status" "$TMP/f.err"
    case $fault in
    senml-malformed-record) check "$fault: the report names the record and the field" \
        grep -q 'record 0: has both "v" and "vs"' "$TMP/f.txt" ;;
    senml-wrong-basename) check "$fault: the report shows where the names resolved to" \
        all grep -q '/1/0/0/1 = "86400"' "$TMP/f.txt" -- grep -q '/1/0/1 is missing' "$TMP/f.txt" ;;
    cbor-wrong-major-type) check "$fault: the report says a number came as a string" \
        grep -q '/1/0/1 is a string "86400", but the resource is an integer' "$TMP/f.txt" ;;
    no-content-format) check "$fault: the report notes the missing option and how it read it" \
        grep -q '^Note: int-8 step 4: the device answered /1 with a 2.05 Content payload but no Content-Format option; the tool read it as application/senml' "$TMP/f.txt" ;;
    esac
done <<<"$table"

finish
