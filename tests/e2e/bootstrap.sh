#!/bin/bash
# The bootstrap server role end to end: the simulated device starts with its bootstrap
# account only, is provisioned with C.14 and registers with both servers; the bootstrap
# cases of both ETS documents (int-0 of the 1.0.1 draft, int-1/4/8/9 of ETS INT 1.2: 1, 4
# and 8 use LwM2M 1.1 operations and are SKIPPED for a 1.0 device); every bootstrap fault
# fails exactly the criteria it breaks; no PSK key leaks into any output. Every wait is on a
# process with a deadline (the step timeouts); nothing sleeps.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

# Verdicts of the cases in the order given, e.g. "PASS PASS SKIPPED"
# Runs its arguments as one condition, so "check WHAT all A -- B" needs both A and B.
all() { local cmd=(); for a in "$@"; do if [ "$a" = -- ]; then "${cmd[@]}" || return 1; cmd=(); else cmd+=("$a"); fi; done; "${cmd[@]}"; }
verdicts() { local f=$1 out="" v; shift; for c in "$@"; do v=$(verdict_of "$f" "$c"); out+="${v:--} "; done; echo "${out% }"; }
CASES=(int-0 int-1 int-4 int-8 int-9 int-950 int-951)
# the suite has more cases; this script is about these (and int-401, which bootstrap faults
# also break)
ONLY=$(IFS=,; echo "${CASES[*]},int-401")

# --- LwM2M 1.0: the bootstrap cases, then the registrations they leave -------------------
"$TOOL" run --sim --bootstrap --only "$ONLY" --no-color --timeout 5 --junit "$TMP/b10.xml" >"$TMP/b10.txt" 2>"$TMP/b10.err"
rc=$?
got=$(verdicts "$TMP/b10.txt" "${CASES[@]}")
check "1.0: int-0 PASS, int-1 int-4 int-8 SKIPPED, int-9 int-950 int-951 PASS [$got]" \
    [ "$got" = "PASS SKIPPED SKIPPED SKIPPED PASS PASS PASS" ]
check "1.0: exit 0 (got $rc)" [ "$rc" = 0 ]
check "1.0: int-1, int-4 and int-8 are not applicable to an LwM2M 1.0 device, and say why" \
    all [ "$(grep -c 'not applicable: needs lwm2m-1.1: the device is LwM2M 1.0' "$TMP/b10.txt")" = 3 ]
check "1.0: JUnit valid" valid_junit "$TMP/b10.xml"
[ "$rc" = 0 ] || sed 's/^/#   /' "$TMP/b10.txt" "$TMP/b10.err"

# --- LwM2M 1.1: Bootstrap-Read applies; the device asks for OMA JSON with pct -------------
"$TOOL" run --sim --bootstrap --only "$ONLY" --lwm2m 1.1 --no-color --timeout 5 --json "$TMP/b11.json" \
    >"$TMP/b11.txt" 2>"$TMP/b11.err"
rc=$?
got=$(verdicts "$TMP/b11.txt" "${CASES[@]}")
check "1.1: all seven cases PASS [$got], exit $rc" \
    all [ "$got" = "PASS PASS PASS PASS PASS PASS PASS" ] -- [ "$rc" = 0 ]
check "1.1: the Bootstrap-Request carries pct and the writes use it (ct=11543)" \
    grep -q 'POST /bs?ep=lwm2m-simdev&pct=11543.*PUT /0/0 ct=11543' "$TMP/b11.json"
ets_of() { python3 -c 'import json,sys
for c in json.load(open(sys.argv[1]))["cases"]:
    if c["short_id"] == sys.argv[2]:
        for e in c["ets"]: print(e["document"], e["id"], e["section"])' "$1" "$2"; }
check "1.1: the JSON report names both documents of int-0 and ETS INT 1.2 for int-9" \
    all [ "$(ets_of "$TMP/b11.json" int-0 | paste -sd';')" = "1.0.1 LightweightM2M-1.0-int-0 6.1.1.1;1.2 LightweightM2M-1.1-int-0 6.1.1.1" ] -- \
        [ "$(ets_of "$TMP/b11.json" int-9)" = "1.2 LightweightM2M-1.1-int-9 6.1.1.10" ]
[ "$rc" = 0 ] || sed 's/^/#   /' "$TMP/b11.txt" "$TMP/b11.err"

# --- the tool's own readings: only with --readings, advisory unless --strict -------------
# (the cases that wait on the device's timers are skipped here: core-cases.sh runs the
# registration ones, observe.sh and objects.sh the observation ones, which every run plays
# now that each case runs in its own configuration on a device that has their objects;
# int-9 too, which the fault below fails as ETS text)
SLOW=int-102,int-103,int-104,int-105,int-107,int-241,int-301,int-302,int-303,int-710,int-910
"$TOOL" run --sim --bootstrap --skip "$SLOW" --no-color --timeout 5 >"$TMP/ets.txt" 2>&1
rc=$?
check "without --readings only the ETS cases run: int-0 int-9 int-950 int-951 PASS, no int-9-pairing, exit $rc" \
    all [ "$(verdicts "$TMP/ets.txt" int-0 int-9 int-9-pairing int-950 int-951)" = "PASS PASS - PASS PASS" ] -- [ "$rc" = 0 ]
"$TOOL" run --sim --bootstrap --readings --skip "$SLOW,int-9" --sim-fault bootstrap-accept-inconsistent --no-color \
    --timeout 2 --junit "$TMP/adv.xml" >"$TMP/adv.txt" 2>&1
rc=$?
# (int-780-protocol, the firmware reading, is SKIPPED without --firmware: 2 readings, 1 failed)
check "a failed tool reading (int-9-pairing D) is advisory: exit 0 (got $rc), marked in the report" \
    all [ "$rc" = 0 ] -- [ "$(verdict_of "$TMP/adv.txt" int-9-pairing)" = FAIL ] -- \
        grep -q '^FAIL int-9-pairing criterion D (step 4), advisory' "$TMP/adv.txt" -- \
        grep -q "of which 2 are the tool's own readings (advisory, not ETS text): 1 failed" "$TMP/adv.txt"
check "the readings have their own JUnit testsuite" \
    all valid_junit "$TMP/adv.xml" -- grep -q '<testsuite name="lwm2m-conform tool readings (advisory)" tests="2" failures="1"' "$TMP/adv.xml"
"$TOOL" run --sim --bootstrap --strict --skip "$SLOW,int-9" --sim-fault bootstrap-accept-inconsistent --no-color \
    --timeout 2 >"$TMP/strict.txt" 2>&1
rc=$?
check "--strict: the same failed reading fails the run, exit 1 (got $rc)" [ "$rc" = 1 ]

# --- no bootstrap case selected: the run still provisions the device first ---------------
"$TOOL" run --sim --bootstrap --only int-951 --no-color --timeout 5 --json "$TMP/only.json" \
    >"$TMP/only.txt" 2>&1
rc=$?
check "--only int-951: int-950 and int-951 PASS after provisioning, exit $rc" \
    all [ "$(verdicts "$TMP/only.txt" int-950 int-951)" = "PASS PASS" ] -- [ "$rc" = 0 ]
check "--only int-951: int-950's trace holds the provisioning (Delete /, Finish)" \
    grep -q 'DELETE /.*POST /bs' "$TMP/only.json"
# int-1 takes the Registers that followed its bootstrap: int-950 needs a fresh bootstrap
"$TOOL" run --sim --bootstrap --lwm2m 1.1 --only int-1,int-950 --no-color --timeout 3 >"$TMP/o1.txt" 2>&1
rc=$?
check "--only int-1,int-950: both PASS (the device is bootstrapped again), exit $rc" \
    all [ "$(verdicts "$TMP/o1.txt" int-1 int-950)" = "PASS PASS" ] -- [ "$rc" = 0 ]

# --- a real device is asked to reset (on a terminal: script(1) gives the tool one) ---------
# (a reset device has --reboot-timeout for its first Bootstrap-Request: 2 s here)
script -qec "$TOOL run --bootstrap --lwm2m 1.1 --only int-0,int-1 --port bs=0 --port 1=0 --port 2=0 --no-color \
    --timeout 1 --reboot-timeout 2" /dev/null </dev/null >"$TMP/real.txt" 2>&1
rc=$?
check "real device: the operator is told to start it from its factory configuration" \
    grep -q 'start the device from its factory bootstrap configuration' "$TMP/real.txt"
check "real device: asked to reset it before int-1, with the time it has" \
    grep -q 'int-1: reset the device to its factory bootstrap configuration now; waiting up to 2 s for its Bootstrap-Request' "$TMP/real.txt"
check "real device: int-0 not asked (the device is untouched)" not_in 'int-0: reset the device' "$TMP/real.txt"
check "real device: a silent device fails on the timeout, exit 1 (got $rc)" \
    all [ "$rc" = 1 ] -- grep -q 'no Bootstrap-Request on the bootstrap server (UDP port [0-9]*) within 2.0 s of the device.s reset' "$TMP/real.txt"

# --- every bootstrap fault fails exactly its criteria -------------------------------------
# Columns: fault | run options | verdicts of int-0 int-1 int-4 int-8 int-9 int-950 int-951 |
# failing criteria (the whole set the run produces) | exit code. The "#" line above a row
# says which criterion it is there to break and why the others in its set fail with it.
# int-1, int-4 and int-8 use LwM2M 1.1 operations: the rows run the device as 1.1 (one row
# shows them SKIPPED for 1.0). Together the rows fail every criterion of int-0, int-1,
# int-4, int-8 and int-9 at least once.
table='
# the Bootstrap-Finish 2.04 criteria int-0 E, int-1 E, int-4 F, int-8 E (int-9 expects the
# Finish refused, which this device still does); int-950/951 are not judged on what the
# failed int-0 left: the provisioning the tool then makes for them gets no Finish answer
# either, so their preamble fails: INCONCLUSIVE
bootstrap-no-finish-response|--lwm2m 1.1 --timeout 1|FAIL FAIL FAIL FAIL PASS INCONCLUSIVE INCONCLUSIVE|int-0 E int-1 E int-4 F int-8 E|1
# the same on a 1.0 device: int-1, int-4, int-8 are not applicable
bootstrap-no-finish-response|--timeout 2|FAIL SKIPPED SKIPPED SKIPPED PASS INCONCLUSIVE INCONCLUSIVE|int-0 E|1
# the Bootstrap-Write 2.04 criteria int-0 C, int-1 C, int-4 B F, int-8 B C, int-9 B; the
# configuration stays empty, so the Discovers (int-0 D, int-1 D), Bootstrap-Read (int-4 C,
# int-8 D: nothing to read), the Finishes (4.06) and the Registers fail too and int-950
# cannot be provisioned (INCONCLUSIVE)
bootstrap-write-error|--lwm2m 1.1 --timeout 1|FAIL FAIL FAIL FAIL FAIL INCONCLUSIVE INCONCLUSIVE|int-0 C int-0 D int-0 E int-1 C int-1 D int-1 E int-1 F int-4 B int-4 C int-4 F int-8 B int-8 C int-8 D int-8 E int-9 B|1
# int-1 F, int-4 F: the provisioned servers never see a Register (int-401 and int-950 likewise)
bootstrap-keep-old-account|--lwm2m 1.1 --timeout 2|PASS FAIL FAIL PASS PASS FAIL INCONCLUSIVE|int-1 F int-4 F int-401 A int-401 B int-950 A int-950 B int-950 C int-950 D|1
# the Bootstrap-Request 2.04 criteria int-0 A, int-1 A, int-4 A, int-8 A, int-9 A: the tool
# answers 4.00 and the device never gets a bootstrap session, so every later step of those
# cases fails (nothing to send on, no Register), and int-950 cannot be provisioned
bootstrap-request-no-ep|--lwm2m 1.1 --timeout 1|FAIL FAIL FAIL FAIL FAIL INCONCLUSIVE INCONCLUSIVE|int-0 A int-0 B int-0 C int-0 D int-0 E int-1 A int-1 B int-1 C int-1 D int-1 E int-1 F int-4 A int-4 B int-4 C int-4 D int-4 E int-4 F int-8 A int-8 B int-8 C int-8 D int-8 E int-9 A int-9 B int-9 C|1
# int-0 B, int-1 B: the first Bootstrap-Write (PUT /0/0) is never answered; the writes stop
# there, so the rest is what bootstrap-write-error breaks; int-8 writes /1/0 and /2/0 on
# its own, which are answered (its Finish of a configuration without /0/0 is refused: E)
no-response=/0/0|--lwm2m 1.1 --timeout 1|FAIL FAIL FAIL FAIL PASS INCONCLUSIVE INCONCLUSIVE|int-0 B int-0 C int-0 D int-0 E int-1 B int-1 C int-1 D int-1 E int-1 F int-4 B int-4 C int-4 F int-8 B int-8 E|1
# int-4 D: the Bootstrap-Deletes of /0 and /1 are refused (4.00), so the instances are still
# listed in step 5 (int-4 E)
bootstrap-delete-error|--lwm2m 1.1 --timeout 2|PASS PASS FAIL PASS PASS PASS PASS|int-4 D int-4 E|1
# int-4 E: the Deletes are answered 2.02, yet Discover and Read still show the instances
bootstrap-delete-ignored|--lwm2m 1.1 --timeout 2|PASS PASS FAIL PASS PASS PASS PASS|int-4 E|1
# int-4 E: Delete /0 takes the bootstrap account </0/1> along
bootstrap-delete-all|--lwm2m 1.1 --timeout 2|PASS PASS FAIL PASS PASS PASS PASS|int-4 E|1
# int-0 D, int-1 D: the provisioned instances are listed without ssid
bootstrap-discover-no-ssid|--lwm2m 1.1 --timeout 2|FAIL FAIL PASS PASS PASS PASS PASS|int-0 D int-1 D|1
# int-9 C: the inconsistent configuration (a Server instance with only its Disable
# Timeout) is accepted (2.04)
bootstrap-accept-inconsistent|--timeout 2|PASS SKIPPED SKIPPED SKIPPED FAIL PASS PASS|int-9 C|1
# int-4 C, int-8 D: an LwM2M 1.1 device without Bootstrap-Read (4.05)
bootstrap-read-error|--lwm2m 1.1 --timeout 2|PASS PASS FAIL FAIL PASS PASS PASS|int-4 C int-8 D|1
# int-0 D: the Bootstrap-Discover of / lacks the version announcement (lwm2m="1.0")
bootstrap-discover-no-version|--timeout 2|FAIL SKIPPED SKIPPED SKIPPED PASS PASS PASS|int-0 D|1
'
covered=""
while IFS='|' read -r fault opts want crit code; do
    [ -n "$fault" ] && [ "${fault#\#}" = "$fault" ] || continue
    # only the cases this table is about: the suite's other cases have tables of their own.
    # The step deadline also bounds the wait for the device's first Bootstrap-Request, which
    # a simulator started under ASan on a loaded machine can miss at 1 s: scaled.
    read -ra o <<<"$opts"
    for i in "${!o[@]}"; do [ "${o[i]}" = --timeout ] && o[i+1]=$(scaled "${o[i+1]}"); done
    "$TOOL" run --sim --bootstrap --sim-fault "$fault" --no-color "${o[@]}" \
        --only "$(IFS=,; echo "${CASES[*]}"),int-401" \
        --junit "$TMP/f.xml" >"$TMP/f.txt" 2>"$TMP/f.err"
    rc=$?
    got=$(verdicts "$TMP/f.txt" "${CASES[@]}")
    gotcrit=$(failing_criteria "$TMP/f.txt")
    covered+=" $crit"
    if [ "$got" = "$want" ] && [ "$gotcrit" = "$crit" ] && [ "$rc" = "$code" ]; then
        ok "fault $fault ($opts): [$got], failing [$gotcrit], exit $rc"
    else
        not_ok "fault $fault ($opts): expected [$want], failing [$crit], exit $code; got [$got], [$gotcrit], exit $rc"
        sed 's/^/#   /' "$TMP/f.txt" "$TMP/f.err"
    fi
    check "fault $fault ($opts): JUnit valid" valid_junit "$TMP/f.xml"
    check "fault $fault ($opts): the simulated device shut down cleanly" \
        not_in "device command exited with status" "$TMP/f.err"
done <<<"$table"
# every criterion of the bootstrap cases fails under at least one fault
missing=""
for c in "int-0 ABCDE" "int-1 ABCDEF" "int-4 ABCDEF" "int-8 ABCDE" "int-9 ABC"; do
    id=${c% *} letters=${c#* }
    for ((i = 0; i < ${#letters}; i++)); do
        [[ "$covered " == *" $id ${letters:i:1} "* ]] || missing+=" $id ${letters:i:1}"
    done
done
check "every criterion of int-0 int-1 int-4 int-8 int-9 fails under some fault (missing:${missing:- none})" \
    [ -z "$missing" ]
"$TOOL" run --sim --bootstrap --lwm2m 1.1 --sim-fault bootstrap-request-no-ep --only int-0,int-950 \
    --no-color --timeout 1 >"$TMP/ep.txt" 2>&1
check "bootstrap-request-no-ep: int-0 A shows the request without ep and the tool's 4.00" \
    all grep -q '^  request:  POST /bs?pct=11543$' "$TMP/ep.txt" -- \
        grep -q '^  observed: 4.00 Bad Request$' "$TMP/ep.txt"
check "bootstrap-request-no-ep: int-950 says why it could not be provisioned" \
    grep -q 'bootstrapping the device before this case failed: Bootstrap-Request answered 4.00: ep: missing, and the PSK identity "lwm2m-conform-bs" is not the endpoint name of the device under test' "$TMP/ep.txt"
"$TOOL" run --sim --bootstrap --sim-fault bootstrap-write-error --only int-950 --no-color \
    --timeout 1 >"$TMP/w.txt" 2>&1
check "bootstrap-write-error: int-950 says its provisioning failed, and where" \
    grep -q 'bootstrapping the device before this case failed: Bootstrap-Write /0/0 answered 4.00 Bad Request' "$TMP/w.txt"

# --- the keys written by Bootstrap-Write appear nowhere -----------------------------------
# 1.0 writes TLV (libcoap's -vvv dump shows it in hex), 1.1 OMA JSON (the keys in Base64)
for v in 1.0 1.1; do
    ct=$([ "$v" = 1.0 ] && echo 11542 || echo 11543)
    "$TOOL" run --sim --bootstrap --only "$ONLY" --lwm2m "$v" -vvv --no-color --timeout 5 --junit "$TMP/v.xml" \
        --json "$TMP/v.json" >"$TMP/v.out" 2>"$TMP/v.err"
    rc=$?
    check "$v -vvv run: exit 0 (got $rc)" [ "$rc" = 0 ]
    leaks=0
    for b64 in $(sed -n 's|.*"n": *"0/[0-9]*/5", *"sv": *"\([^"]*\)".*|\1|p' fixtures/c14.json); do
        hex=$(printf '%s' "$b64" | base64 -d | od -An -v -tx1 | tr -d ' \n')
        spaced=$(printf '%s' "$b64" | base64 -d | od -An -v -tx1 | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')
        for form in "$b64" "${b64%%=*}" "$hex" "$spaced"; do
            for f in "$TMP/v.out" "$TMP/v.err" "$TMP/v.xml" "$TMP/v.json"; do
                if grep -qiF -- "$form" "$f"; then
                    leaks=$((leaks + 1))
                    echo "# key form $form found in $(basename "$f")"
                fi
            done
        done
    done
    check "$v: no PSK key (Base64, hex, spaced hex) in stdout, stderr, JUnit or JSON" [ "$leaks" = 0 ]
    check "$v: the trace shows the Bootstrap-Writes of the Security instances, payload withheld" \
        grep -q "PUT /0/2 ct=$ct [0-9]* bytes: (withheld: key material)" "$TMP/v.json"
    check "$v: the -vvv log shows them too, withheld" \
        grep -q "PUT /0/0 ct=$ct [0-9]* bytes: (withheld: key material)" "$TMP/v.err"
done

finish
