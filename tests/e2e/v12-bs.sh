#!/bin/bash
# ETS INT 1.2 bootstrap and registration cases of issue 17 that bootstrap.sh does not hold
# (int-5 Server Initiated Bootstrap, int-12 Bootstrap-Pack, int-105 Discarded Register
# Update, int-107 Extending the lifetime, int-108 Turn on Queue Mode) against the simulated device: a conformant device passes, every criterion
# fails under some fault with nothing else failing; and the version rule: a 1.0 device
# gets every case that needs LwM2M 1.1 or 1.2 SKIPPED with the reason, none FAILs. The
# lifetimes are shortened (--var lifetime=3); every wait is the tool's own bounded wait.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

all() { local cmd=(); for a in "$@"; do if [ "$a" = -- ]; then "${cmd[@]}" || return 1; cmd=(); else cmd+=("$a"); fi; done; "${cmd[@]}"; }
# int-12 needs the tool to know where the device keeps its bootstrap account: int-0 (run
# first) asks with Bootstrap-Discover /0
# int-108, int-110, int-111 apply only to a device whose profile declares queue mode, a
# Profile ID
echo '{"queue_mode": true, "profile_id": true}' >"$TMP/queue.profile.json"
PACK=int-0,int-12
REG=int-105,int-107,int-5

# Columns: faults (+ joins several) | LwM2M version | cases | failing criteria | exit code |
# options for the simulated device (--queue: it registers in queue mode; --pid: with a
# Profile ID) | options for the tool (another configuration: then no bootstrap server).
# The comment above a row says which criterion it breaks and why the others fail with it.
table='
# no fault: all pass
-                     |1.2|'"$PACK"'|  |0
-                     |1.1|'"$REG"'|  |0
-                     |1.1|int-108|  |0|--queue
-                     |1.0|int-108|  |0|--queue
# int-108 B: a device declared for queue mode that registers without it (no Q, no UQ)
-                     |1.1|int-108|int-108 B|1
# int-108 A: its Register has no ep although its PSK identity is not its endpoint name
# (LwM2M 1.1 §7.3.1), answered 4.00; its queue mode (B) is still seen
register-no-ep        |1.1|int-108|int-108 A|1|--queue
# int-110/111 (LwM2M 1.2 Profile ID): a simulated device with the Device object only (and so
# described), which its pid stands for (no object list); the simulated device with all its
# objects beside them (C.5: /4/0)
-                     |1.2|int-110|  |0|--pid=6:27354b9a --description=tests/data/description/device-only.json|--config fixtures/c3.json --description tests/data/description/device-only.json
-                     |1.2|int-111|  |0|--pid=6:27354b9a|--config fixtures/c5.json
# int-110 A: the pid, and the objects it stands for listed all the same
pid-with-objects      |1.2|int-110|int-110 A|1|--pid=6:27354b9a --description=tests/data/description/device-only.json|--config fixtures/c3.json --description tests/data/description/device-only.json
# int-110 A, int-111 A: a device without a Profile ID (its full object list)
-                     |1.2|int-110|int-110 A|1||--config fixtures/c3.json
-                     |1.2|int-111|int-111 A|1||--config fixtures/c5.json
# int-110 B, int-111 B: the Register has no ep (its PSK identity is not its endpoint name)
# and is answered 4.00 (int-110 A too: it wants ep)
register-no-ep        |1.2|int-110|int-110 A int-110 B|1|--pid=6:27354b9a|--config fixtures/c3.json
register-no-ep        |1.2|int-111|int-111 B|1|--pid=6:27354b9a|--config fixtures/c5.json
# int-5 A: the Execute of /1/0/9 is never answered (so nothing follows: B C)
no-response=/1/0/9    |1.1|int-5|int-5 A int-5 B int-5 C|1
# int-5 B C: 2.04, but no Bootstrap-Request follows
ignore-bootstrap-trigger|1.1|int-5|int-5 B int-5 C|1
# int-12 A: a Bootstrap-Pack-Request without ep is answered 4.00 (and int-0 A: its
# Bootstrap-Request, without ep too); no pack, no Register (int-12 B C), int-0 has no session
bootstrap-request-no-ep|1.2|'"$PACK"'|int-0 A int-0 B int-0 C int-0 D int-0 E int-12 A int-12 B int-12 C|1
# int-12 B C: the pack is dropped; the device falls back to POST /bs and never registers
bspack-ignored        |1.2|'"$PACK"'|int-12 B int-12 C|1
# int-105 A, int-107 B: the Lifetime Write is stored, but no Update tells the server;
# without it the registration lapses before the next Update is due (int-105 C D, int-107 C)
ignore-lifetime-write |1.1|'"$REG"'|int-105 A int-105 C int-105 D int-107 B int-107 C|1
# int-105 C: no periodic Update within the lifetime (and no new Register after: D), and
# int-107 C likewise
stop-updates          |1.1|'"$REG"'|int-105 C int-105 D int-107 C|1
# int-105 A C: its Updates go to rd/0, never to its registration (answered 4.04 there:
# it registers again, so D passes); int-107 B C: the Update with the new lifetime, too
update-wrong-location |1.1|'"$REG"'|int-105 A int-105 C int-107 B int-107 C|1
# int-105 C, int-107 C: each Update comes after the lifetime of the registration (counted from
# the last Update, with the expiry tolerance): too late, whatever the step timeout; the late
# Update of the dropped registration comes after the wait of int-105 D too
update-after-lifetime |1.1|int-105,int-107|int-105 C int-105 D int-107 C|1
# int-105 D: the 4.04 is taken for a hiccup, no new Register
update-404-keep       |1.1|int-105|int-105 D|1
# int-107 A: it registers with another lifetime than its Server object has, and keeps
# reporting (and timing its Updates by) that one after the Write (B C)
wrong-lifetime        |1.1|int-107|int-107 A int-107 B int-107 C|1
'
covered=""
while IFS='|' read -r faults ver only crit code simargs toolargs; do
    faults=$(echo "$faults" | xargs); [ -n "$faults" ] && [ "${faults#\#}" = "$faults" ] || continue
    ver=$(echo "$ver" | xargs); only=$(echo "$only" | xargs); crit=$(echo "$crit" | xargs)
    code=$(echo "$code" | xargs); simargs=$(echo "$simargs" | xargs); toolargs=$(echo "$toolargs" | xargs)
    args=(run --sim --lwm2m "$ver" --only "$only" --var lifetime=3 --var new_lifetime=4
          --no-color --timeout "$(scaled 3)" --junit "$TMP/f.xml" --json "$TMP/f.json")
    # shellcheck disable=SC2206 # toolargs is a list of options
    if [ -n "$toolargs" ]; then args+=($toolargs); else args+=(--bootstrap); fi
    for a in $simargs; do args+=("--sim-arg=$a"); done
    [[ "$only" == *int-108* || "$only" == *int-11[01]* ]] && args+=(--profile "$TMP/queue.profile.json")
    if [ "$faults" != - ]; then IFS=+ read -ra list <<<"$faults"; for f in "${list[@]}"; do args+=(--sim-fault "$f"); done; fi
    "$TOOL" "${args[@]}" >"$TMP/f.txt" 2>"$TMP/f.err"
    rc=$?
    gotcrit=$(failing_criteria "$TMP/f.txt")
    covered+=" $crit "
    if [ "$gotcrit" = "$crit" ] && [ "$rc" = "$code" ]; then
        ok "fault $faults ($ver, $only): failing [$gotcrit], exit $rc"
    else
        not_ok "fault $faults ($ver, $only): expected [$crit] exit $code; got [$gotcrit] exit $rc"
        sed 's/^/#   /' "$TMP/f.txt" "$TMP/f.err" | head -60
    fi
    check "fault $faults ($ver): JUnit valid" valid_junit "$TMP/f.xml"
done <<<"$table"
# every criterion fails under some fault, but int-105 B: it states the tool's own state
# after the tool dropped the registration (the ETS letters it; no device can fail it)
missing=""
for c in "int-12 ABC" "int-105 ACD" "int-107 ABC" "int-5 ABC" "int-108 AB" "int-110 AB" "int-111 AB"; do
    id=${c% *} letters=${c#* }
    for ((i = 0; i < ${#letters}; i++)); do
        [[ "$covered" == *" $id ${letters:i:1} "* ]] || missing+=" $id ${letters:i:1}"
    done
done
check "every criterion of int-5, int-12, int-105 (but B), int-107, int-108, int-110, int-111 fails under some fault (missing:${missing:- none})" \
    [ -z "$missing" ]

"$TOOL" run --sim --lwm2m 1.1 --only int-108 --no-color --timeout "$(scaled 3)" >"$TMP/q.txt" 2>&1
check "int-108 without a profile declaring queue mode: SKIPPED, saying how to declare it" \
    all grep -q '^SKIPPED  int-108 ' "$TMP/q.txt" -- grep -q 'queue-mode: no device profile' "$TMP/q.txt"
"$TOOL" run --sim --lwm2m 1.2 --config fixtures/c3.json --only int-110 --no-color --timeout "$(scaled 3)" >"$TMP/pid.txt" 2>&1
check "int-110 without a profile declaring a Profile ID: SKIPPED, saying how to declare it" \
    all grep -q '^SKIPPED  int-110 ' "$TMP/pid.txt" -- grep -q 'profile-id: no device profile' "$TMP/pid.txt"

# --- the pack on the wire: served in SenML CBOR, its bytes withheld ---------------------------
"$TOOL" run --sim --bootstrap --lwm2m 1.2 --only "$PACK" --no-color --timeout "$(scaled 3)" \
    --json "$TMP/p.json" -vvv >"$TMP/p.txt" 2>"$TMP/p.err"
check "int-12: GET /bspack answered 2.05 ct=112, the payload withheld as key material" \
    grep -q 'GET /bspack?ep=lwm2m-simdev Accept:112[^"]*2.05 Content ct=112 [0-9]* bytes: (withheld: key material)' "$TMP/p.json"
check "int-0 (a 1.2 device, the pack not armed): its GET /bspack answered 4.04, then POST /bs" \
    grep -q 'GET /bspack?ep=lwm2m-simdev[^"]*4.04 Not Found.*POST /bs?ep=lwm2m-simdev' "$TMP/p.json"
leaks=0
for b64 in $(sed -n 's|.*"n": *"0/[0-9]*/5", *"sv": *"\([^"]*\)".*|\1|p' fixtures/c14.json); do
    hex=$(printf '%s' "$b64" | base64 -d | od -An -v -tx1 | tr -d ' \n')
    for form in "$b64" "${b64%%=*}" "$hex"; do
        for f in "$TMP/p.txt" "$TMP/p.err" "$TMP/p.json"; do grep -qiF -- "$form" "$f" && leaks=$((leaks + 1)); done
    done
done
check "int-12 -vvv: no PSK key of the pack in any output" [ "$leaks" = 0 ]
"$TOOL" run --sim --bootstrap --lwm2m 1.2 --only int-12 --no-color --timeout "$(scaled 2)" >"$TMP/u.txt" 2>&1
check "int-12 alone: the tool does not know the bootstrap account's instance: ERROR saying what to give" \
    all grep -q '^ERROR  int-12 ' "$TMP/u.txt" -- grep -q 'give --bootstrap-account-iid N' "$TMP/u.txt"
"$TOOL" run --sim --bootstrap --lwm2m 1.2 --bootstrap-account-iid 1 --only int-12 --no-color \
    --timeout "$(scaled 3)" >"$TMP/t.txt" 2>&1
check "int-12 with --bootstrap-account-iid 1: PASS" grep -q '^PASS  int-12 ' "$TMP/t.txt"
# a 1.2 device that does not use Bootstrap-Pack (optional for the Client): int-12 SKIPPED,
# not applicable, and its POST /bs still provisions it for the next case
"$TOOL" run --sim --bootstrap --lwm2m 1.2 --sim-arg=--no-bspack --only int-0,int-12,int-101 --no-color \
    --timeout "$(scaled 3)" >"$TMP/nb.txt" 2>&1
check "int-12 on a 1.2 device that bootstraps with POST /bs only: SKIPPED (not applicable), int-101 after it PASS" \
    all grep -q '^SKIPPED  int-12 ' "$TMP/nb.txt" -- grep -q 'not applicable: the device does not use Bootstrap-Pack' "$TMP/nb.txt" -- \
        grep -q '^PASS  int-101 ' "$TMP/nb.txt" -- not_in '^FAIL' "$TMP/nb.txt"

# --- ep left out (LwM2M 1.1 §7.3.1): allowed where the PSK identity is the endpoint name -----
# the simulated device with --omit-ep leaves ep out where its PSK identity equals its endpoint
# name: its Register on server 1 (identity lwm2m-conform-1) in int-1, its Bootstrap-Request and
# Bootstrap-Pack-Request (identity lwm2m-conform-bs) in int-0/int-12
"$TOOL" run --sim --bootstrap --lwm2m 1.1 --endpoint lwm2m-conform-1 --sim-arg=--omit-ep \
    --only int-1 --no-color --timeout "$(scaled 3)" --json "$TMP/ep1.json" >"$TMP/ep1.txt" 2>&1
check "ep left out of a 1.1 Register over PSK whose identity is the endpoint name: int-1 PASS" \
    all grep -q '^PASS  int-1 ' "$TMP/ep1.txt" -- grep -q 'Register?lt=' "$TMP/ep1.json"
"$TOOL" run --sim --bootstrap --lwm2m 1.2 --endpoint lwm2m-conform-bs --sim-arg=--omit-ep \
    --only "$PACK" --no-color --timeout "$(scaled 3)" --json "$TMP/ep0.json" >"$TMP/ep0.txt" 2>&1
check "ep left out of a Bootstrap-Request and a Bootstrap-Pack-Request (identity = name): int-0, int-12 PASS" \
    all grep -q '^PASS  int-0 ' "$TMP/ep0.txt" -- grep -q '^PASS  int-12 ' "$TMP/ep0.txt" -- \
        grep -q 'POST /bs?pct=' "$TMP/ep0.json"
# the same device whose identity is not its endpoint name (lwm2m-simdev): the Register
# without ep is refused, saying why (the register-no-ep fault rows above fail so)
"$TOOL" run --sim --lwm2m 1.1 --sim-fault register-no-ep --only int-101 --no-color \
    --timeout "$(scaled 3)" >"$TMP/ep2.txt" 2>&1
check "ep left out, the PSK identity is not the endpoint name: int-101 A B FAIL, saying why" \
    all [ "$(failing_criteria "$TMP/ep2.txt")" = "int-101 A int-101 B" ] -- \
        grep -q 'is not the endpoint name of the device under test ("lwm2m-simdev")' "$TMP/ep2.txt"

# --- a Bootstrap-Discover answer starting with a bare lwm2m="1.1" (the LwM2M 1.1 example's form,
# which ETS INT 1.2 int-0/int-1 quote) is read as </>;lwm2m="1.1": criterion D passes
"$TOOL" run --sim --bootstrap --lwm2m 1.1 --sim-arg=--bs-discover-bare --only int-1 --no-color \
    --timeout "$(scaled 3)" >"$TMP/bare.txt" 2>&1
check "Bootstrap-Discover answered lwm2m=\"1.1\",</0/0>…: int-1 PASS" grep -q '^PASS  int-1 ' "$TMP/bare.txt"

# --- int-1, int-4, int-12 write C.1, the one account their ETS steps upload, not the run's
# C.14 (a device that keeps one server account would refuse the second)
"$TOOL" run --sim --bootstrap --lwm2m 1.2 --bootstrap-account-iid 1 --only int-1,int-4,int-12 --no-color \
    --timeout "$(scaled 3)" --json "$TMP/c1.json" >"$TMP/c1.txt" 2>&1
check "int-1, int-4, int-12 PASS, and int-1 and int-4 write /0/0 and /1/0 only (C.1)" \
    all grep -q '^PASS  int-1 ' "$TMP/c1.txt" -- grep -q '^PASS  int-4 ' "$TMP/c1.txt" -- \
        grep -q '^PASS  int-12 ' "$TMP/c1.txt" -- \
        [ "$(grep -o 'bootstrap-write PUT /0/0,/1/0 ' "$TMP/c1.json" | wc -l)" -ge 2 ] -- \
        not_in 'bootstrap-write PUT /0/0,/0/2' "$TMP/c1.json"

# --- a 1.2 Register with a Profile ID leaves out the objects it stands for: int-101 (which
# expects /1 and /3 listed, and no pid) takes them as covered, saying so
"$TOOL" run --sim --lwm2m 1.2 --sim-arg=--pid=6:27354b9a --only int-101 --no-color \
    --timeout "$(scaled 3)" >"$TMP/pid101.txt" 2>&1
check "a Register with pid=… and no /1 /3 links: int-101 PASS" grep -q '^PASS  int-101 ' "$TMP/pid101.txt"

# --- a device that holds off before it bootstraps after its reset: step 1 waits for its
# Bootstrap-Request up to --reboot-timeout, not the step timeout; past it, still a FAIL
"$TOOL" run --sim --bootstrap --lwm2m 1.1 --sim-arg=--bootstrap-holdoff=3 --timeout 1 \
    --reboot-timeout "$(scaled 10)" --only int-0,int-1 --no-color >"$TMP/ho.txt" 2>&1
check "a 3 s bootstrap hold-off after the reset, --timeout 1: int-0 and int-1 PASS" \
    all grep -q '^PASS  int-0 ' "$TMP/ho.txt" -- grep -q '^PASS  int-1 ' "$TMP/ho.txt"
"$TOOL" run --sim --bootstrap --lwm2m 1.1 --sim-arg=--bootstrap-holdoff=3 --timeout 1 \
    --reboot-timeout 1 --only int-0 --no-color >"$TMP/ho2.txt" 2>&1
check "the same hold-off past --reboot-timeout: int-0 A FAIL, naming --reboot-timeout" \
    all grep -q '^FAIL  int-0 ' "$TMP/ho2.txt" -- grep -q 'no Bootstrap-Request .* (--reboot-timeout' "$TMP/ho2.txt"

# --- a 1.0 device: every 1.1/1.2 case SKIPPED with the reason, none FAILs --------------------
v11=$(grep -l '"lwm2m-1\.[12]"' testcases/*.json | xargs -n1 basename | sed 's/\.json$//' | paste -sd, -)
n11=$(echo "$v11" | tr ',' '\n' | wc -l)
"$TOOL" run --sim --bootstrap --lwm2m 1.0 --only "$v11" --var lifetime=3 --var new_lifetime=4 --no-color \
    --timeout "$(scaled 3)" --junit "$TMP/v10.xml" --json "$TMP/v10.json" >"$TMP/v10.txt" 2>&1
rc=$?
skipped=$(grep -cE '^SKIPPED  int-' "$TMP/v10.txt")
check "1.0 device: the $n11 cases that need LwM2M 1.1 or 1.2 ($v11) are all SKIPPED ($skipped), exit $rc" \
    all [ "$skipped" = "$n11" ] -- [ "$rc" = 0 ] -- not_in '^FAIL' "$TMP/v10.txt"
check "1.0 device: each says why (needs lwm2m-1.x: the device is LwM2M 1.0)" \
    [ "$(grep -cE 'not applicable: needs lwm2m-1\.[12]: the device is LwM2M 1\.0' "$TMP/v10.txt")" = "$n11" ]
check "1.0 device: JUnit has them as skipped, valid" \
    all valid_junit "$TMP/v10.xml" -- [ "$(grep -c '<skipped' "$TMP/v10.xml")" = "$n11" ]
# a 1.1 device: the 1.2 case only
"$TOOL" run --sim --bootstrap --lwm2m 1.1 --only int-12 --no-color --timeout "$(scaled 2)" >"$TMP/v11.txt" 2>&1
check "1.1 device: int-12 SKIPPED, needs lwm2m-1.2" \
    all grep -q '^SKIPPED  int-12 ' "$TMP/v11.txt" -- grep -q 'needs lwm2m-1.2: the device is LwM2M 1.1' "$TMP/v11.txt"

# --- the reports name the document and id ------------------------------------------------------
# the "ets" entries of a case in a JSON report, one "document id section" line each
ets_of() { python3 -c 'import json,sys
for c in json.load(open(sys.argv[1]))["cases"]:
    if c["short_id"] == sys.argv[2]:
        for e in c["ets"]: print(e["document"], e["id"], e["section"])' "$1" "$2"; }
check "JSON: int-12 names ETS INT 1.2, its 1.2 id and section" \
    [ "$(ets_of "$TMP/p.json" int-12)" = "1.2 LightweightM2M-1.2-int-12 6.1.2.1" ]
"$TOOL" run --sim --bootstrap --only int-0 --no-color --timeout "$(scaled 3)" --junit "$TMP/j.xml" >/dev/null 2>&1
check "JUnit: a case of both documents has a property per document" \
    all grep -q '<property name="ets-1.0.1" value="LightweightM2M-1.0-int-0 §6.1.1.1"/>' "$TMP/j.xml" -- \
        grep -q '<property name="ets-1.2" value="LightweightM2M-1.1-int-0 §6.1.1.1"/>' "$TMP/j.xml" -- valid_junit "$TMP/j.xml"
finish
