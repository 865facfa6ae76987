#!/bin/bash
# Firmware update (int-751..780, configuration C.8): the simulated device passes every case
# with the packages it makes itself (lwm2m-simdev --make-firmware), and each of its fw-*
# faults fails the criteria it breaks, and nothing else. Then: the tool honours a smaller
# Block1 size the device asks for, pulls over each protocol it serves (CoAP, CoAPS with
# Block2, HTTP), SKIPS what the device or the run lacks with the reason, and reports each
# phase's duration.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash
# int-780 has no procedure in either ETS: the tool's reading int-780-protocol (advisory, run
# with --readings) stands in for it; its failing criteria count here too.
failing_criteria() { sed -n 's/^FAIL \(int-[0-9][0-9a-z-]*\) criterion \([A-Z]\) .*/\1 \2/p' "$1" | sort -u | tr '\n' ' ' | sed 's/ $//'; }

"$SIMDEV" --make-firmware "$TMP/fw.bin" --firmware-version 2.0.0 --firmware-size 65536
"$SIMDEV" --make-firmware "$TMP/unsup.bin" --firmware-kind unsupported --firmware-size 8192
"$SIMDEV" --make-firmware "$TMP/fail.bin" --firmware-kind install-fail --firmware-version 3.0.0 \
    --firmware-size 8192
check "lwm2m-simdev --make-firmware writes the packages" test -s "$TMP/fw.bin" -a -s "$TMP/fail.bin"
FW=(--firmware "$TMP/fw.bin" --firmware-version 2.0.0 --firmware-unsupported "$TMP/unsup.bin"
    --firmware-install-fail "$TMP/fail.bin")
# int-771 installs the same package as int-770: it runs on a device of its own (after int-770
# the device already runs --firmware-version, and int-771 I is INCONCLUSIVE: a row below)
ALL=int-751,int-755,int-756,int-760,int-770,int-772,int-773,int-775,int-776,int-777,int-778,int-779,int-780-protocol
fwrun() { # extra args…: a run of the firmware cases on C.8 (short deadlines: a loopback device)
    "$TOOL" run --sim --config fixtures/c8.json --no-color --timeout "$(scaled 2)" \
        --update-timeout "$(scaled 4)" --readings "${FW[@]}" "$@"
}

# faults (space-separated, - none) | cases | verdicts | failing criteria | exit code (a failed
# reading alone leaves it 0: advisory)
table='
-                          |ALL|PASS PASS PASS PASS PASS PASS PASS PASS PASS PASS PASS PASS PASS||0
-                          |int-771|PASS||0
-                          |int-770,int-771|PASS INCONCLUSIVE||1
fw-wrong-initial-result    |int-751|FAIL|int-751 B|1
fw-no-delivery-info        |int-751|FAIL|int-751 C|1
fw-reset-refused           |int-755,int-756,int-770,int-771|FAIL FAIL FAIL FAIL|int-755 A int-756 A int-756 C int-770 A int-771 A|1
fw-stuck-downloading       |int-755,int-756|FAIL FAIL|int-755 F int-756 F|1
fw-stuck-downloading       |int-771|FAIL|int-771 C int-771 D int-771 E int-771 F int-771 G int-771 H int-771 I|1
fw-ignore-block-size       |int-755,int-760,int-770|FAIL FAIL FAIL|int-755 F int-760 D int-770 C int-770 D int-770 E int-770 F int-770 G int-770 H|1
fw-wrong-state-sequence    |int-771|FAIL|int-771 D|1
fw-result-not-set          |int-773,int-775,int-776,int-777,int-778,int-780-protocol|FAIL FAIL FAIL FAIL FAIL FAIL|int-773 D int-773 E int-775 D int-775 E int-776 D int-776 E int-777 D int-777 E int-778 D int-778 E int-780-protocol C int-780-protocol D int-780-protocol E|1
fw-update-without-package  |int-772|FAIL|int-772 B|1
fw-version-unchanged       |int-770,int-771|FAIL FAIL|int-770 H int-771 I|1
fw-update-fails            |int-770|FAIL|int-770 F int-770 G int-770 H|1
fw-accept-any-package      |int-776,int-777|FAIL FAIL|int-776 C int-776 D int-776 E int-777 C int-777 D int-777 E|1
fw-no-storage-check        |int-773|FAIL|int-773 D int-773 E|1
fw-no-download-timeout     |int-775|FAIL|int-775 C int-775 D int-775 E|1
fw-install-failure-hidden  |int-779|FAIL|int-779 F int-779 G|1
fw-fake-download           |int-756,int-771|FAIL FAIL|int-756 F int-771 C int-771 I|1
fw-protocol-as-invalid-uri |int-780-protocol|FAIL|int-780-protocol D int-780-protocol E|0
no-response=/3/0/3         |int-770,int-779|FAIL FAIL|int-770 H int-779 B int-779 H|1
'
# The criteria only a device that does not answer at all breaks (a Read's 2.05, a Write's
# 2.04): no-response=/5/0 fails every case, each on its first criterion at least. These two
# runs go first, beside the table's rows (judged after them).
fwrun --only "$ALL" --timeout 1 --sim-fault no-response=/5/0 >"$TMP/n.txt" 2>&1 &
fwrun --only "int-771" --timeout 1 --sim-fault no-response=/5/0 >"$TMP/n771.txt" 2>&1 &
covered=""
while IFS='|' read -r faults cases want crit code; do
    faults=$(echo "$faults" | xargs); [ -n "$faults" ] || continue
    cases=$(echo "$cases" | xargs); want=$(echo "$want" | xargs)
    crit=$(echo "$crit" | xargs); code=$(echo "$code" | xargs)
    [ "$cases" = ALL ] && cases=$ALL
    args=(--only "$cases")
    [ "$faults" = - ] || for f in $faults; do args+=(--sim-fault "$f"); done
    covered+=" $crit"
    row_start "faults $faults" "$cases" "$want" "$crit" "$code" fwrun "${args[@]}"
done <<<"$table"
rows_judge

gotcrit=$(failing_criteria "$TMP/n.txt")
covered+=" $gotcrit"
check "no-response=/5/0: every firmware case FAILS, none passes" \
    not_in "^PASS  int-7" "$TMP/n.txt"
missing=""
covered+=" $(failing_criteria "$TMP/n771.txt")"
for c in "int-751 ABC" "int-755 ABCDEF" "int-756 ABCDEF" "int-760 ABCD" "int-770 ABCDEFGH" \
         "int-771 ABCDEFGHI" "int-772 ABC" "int-773 ABCDE" "int-775 ABCDE" "int-776 ABCDE" \
         "int-777 ABCDE" "int-778 ABCDE" "int-779 ABCDEFGH" "int-780-protocol ABCDE"; do
    id=${c% *} letters=${c#* }
    for ((i = 0; i < ${#letters}; i++)); do
        [[ "$covered " == *" $id ${letters:i:1} "* ]] || missing+=" $id ${letters:i:1}"
    done
done
check "every criterion of the firmware cases fails under some fault (missing:${missing:- none})" \
    [ -z "$missing" ]

# A device asking for smaller blocks (2.31 with Block1 SZX 4): the tool continues in 256-byte
# blocks and says so.
fwrun --only int-770 -v --sim-arg=--fw-block-size=256 >"$TMP/b.txt" 2>&1
check "a device asking for 256-byte blocks: int-770 PASSES" grep -q '^PASS  int-770' "$TMP/b.txt"
check "… and the push continued in 256-byte blocks, as the device asked" \
    grep -q 'block size 256 (as the device asked)' "$TMP/b.txt"

# A device that checks a pushed package after its last block, Downloading for 3 s more: with
# pmin=2 it notifies State 1 first (int-760 passes over it), and int-755 polls until the check
# ends; one stuck in Downloading fails both on the State.
fwrun --only int-755,int-760 -v --update-timeout "$(scaled 8)" --sim-arg=--fw-check-after-push \
    --sim-arg=--fw-delay=3000 >"$TMP/l.txt" 2>&1
check "a device checking after the push: int-755 and int-760 PASS" \
    test "$(grep -c '^PASS  int-7' "$TMP/l.txt")" -eq 2
check "… int-760 passed over the notification saying Downloading" \
    grep -q 'notification saying Downloading (1)' "$TMP/l.txt"
fwrun --only int-760 --sim-fault fw-stuck-downloading >"$TMP/l.txt" 2>&1
check "a device stuck in Downloading: int-760 FAILS on D" \
    test "$(failing_criteria "$TMP/l.txt")" = "int-760 D"

# A device still Idle at the first poll after the Package URI (it starts fetching 1.5 s
# later): int-771 D allows Idle before the download shows (one going back to Idle, or
# showing Updating, still fails: fw-wrong-state-sequence above).
fwrun --only int-756,int-771 --update-timeout "$(scaled 8)" --sim-arg=--fw-idle-before-download --sim-arg=--fw-delay=1500 \
    >"$TMP/i.txt" 2>&1
check "a device Idle at the first poll after the Package URI: int-756 and int-771 PASS" \
    test "$(grep -c '^PASS  int-7' "$TMP/i.txt")" -eq 2

# A device without /5/0/8 speaks CoAP only: int-780-protocol gives it a coaps:// URI (it
# was SKIPPED); fw-no-delivery-info leaves /5/0/8 (and /5/0/9) out.
fwrun --only int-780-protocol -v --sim-fault fw-no-delivery-info >"$TMP/a.txt" 2>&1
check "a device without /5/0/8: int-780-protocol PASSES with a coaps:// URI" \
    grep -q '^PASS  int-780-protocol' "$TMP/a.txt"
check "… saying /5/0/8 is absent" grep -q '/5/0/8 absent: the device speaks CoAP only' "$TMP/a.txt"

# Pull over each protocol the tool serves (C.8 declares CoAP, CoAPS and HTTP).
for p in coap coaps http; do
    fwrun --only int-756,int-771 -v --firmware-protocol "$p" >"$TMP/p.txt" 2>&1
    check "pull over $p: int-756 and int-771 PASS" \
        test "$(grep -c '^PASS  int-7' "$TMP/p.txt")" -eq 2
    check "pull over $p: the report says what the tool served" \
        grep -q "the tool served 65536 bytes over $p" "$TMP/p.txt"
done
check "the report gives each phase's duration" grep -q 'update phase: [0-9.]* s to State 0' "$TMP/p.txt"

# What the run or the device lacks is SKIPPED with the reason, never failed.
"$TOOL" run --sim --config fixtures/c8.json --no-color --timeout "$(scaled 2)" \
    --only int-770,int-777 >"$TMP/s.txt" 2>&1
check "no --firmware: int-770 SKIPPED, naming the option" \
    grep -q 'not applicable: needs --firmware FILE --firmware-version V' "$TMP/s.txt"
fwrun --only int-777 --firmware-unsupported /dev/null >"$TMP/s.txt" 2>&1
check "an unreadable package is a usage error (exit 2)" test $? -eq 2
# the simulated device described push only (/5/0/9 = 1): a device fact, so its description
sed 's|"/5/0/9": 2|"/5/0/9": 1|' fixtures/simdev.json >"$TMP/push.json"
"$TOOL" run --sim --config fixtures/c8.json --sim-arg=--description="$TMP/push.json" \
    --no-color --timeout "$(scaled 2)" "${FW[@]}" \
    --only int-756,int-771,int-755 >"$TMP/s.txt" 2>&1
check "a push-only device: int-756 and int-771 SKIPPED, saying what it declares" \
    test "$(grep -c 'this case is for pull' "$TMP/s.txt")" -ge 2
check "a push-only device: int-755 still PASSES" grep -q '^PASS  int-755' "$TMP/s.txt"
# The error cases pull when the device declares pull. A push-only device that refuses the
# oversized package's block (4.13, RFC 7959 §2.9.3) and reports Update Result 2 passes:
# B takes a refusal the device then reports (LwM2M 1.0 §E.6); one that refuses and leaves
# the Update Result 0 fails B, D and E.
fwrun --only int-773,int-776,int-777 -v >"$TMP/e.txt" 2>&1
check "the error cases int-773, int-776, int-777 pull from a device that declares pull" \
    test "$(grep 'firmware-deliver PUT /5/0/1' "$TMP/e.txt" | grep -c 'pull over')" -eq 3
pushrun() {
    "$TOOL" run --sim --config fixtures/c8.json --sim-arg=--description="$TMP/push.json" \
        --no-color --timeout "$(scaled 2)" "${FW[@]}" --update-timeout "$(scaled 4)" \
        --only int-773 --sim-arg=--fw-refuse-oversized-push "$@"
}
pushrun -v >"$TMP/s.txt" 2>&1
check "a push-only device refusing the oversized block with 4.13, then Update Result 2: int-773 PASSES" \
    grep -q '^PASS  int-773' "$TMP/s.txt"
pushrun --sim-fault fw-result-not-set >"$TMP/s.txt" 2>&1
check "a push-only device refusing with 4.13 and leaving the Update Result 0: int-773 fails B (and C, D, E)" \
    test "$(failing_criteria "$TMP/s.txt")" = "int-773 B int-773 C int-773 D int-773 E"
check "... B shows the refusal and the Update Result after it" \
    grep -q 'observed: 4.13 to a pushed block, then State 0 (Idle), Update Result 0' "$TMP/s.txt"
# --firmware-method: a device declaring both is tested on one way only
fwrun --only int-756,int-773 --firmware-method push -v >"$TMP/s.txt" 2>&1
check "--firmware-method push: int-756 (a pull case) SKIPPED, saying why" \
    grep -q 'used for push only (--firmware-method push): this case is for pull' "$TMP/s.txt"
check "--firmware-method push: int-773 pushes its oversized package, and PASSES" \
    sh -c "grep -q 'firmware-deliver PUT /5/0/0' '$TMP/s.txt' && grep -q '^PASS  int-773' '$TMP/s.txt'"
"$TOOL" run --sim --config fixtures/c8.json --firmware-method both >"$TMP/s.txt" 2>&1
rc=$?
check "--firmware-method both: a usage error (exit 2) naming the values" \
    sh -c "[ $rc = 2 ] && grep -q 'give push or pull' '$TMP/s.txt'"
# int-751 C: every Object 5 value in its LwM2M 1.0/1.1 §E.6 range (a device description
# stating Delivery Method 7 makes the simulated device report it)
sed 's|"/5/0/9": 2|"/5/0/9": 7|' fixtures/simdev.json >"$TMP/range.json"
"$TOOL" run --sim --config fixtures/c8.json --sim-arg=--description="$TMP/range.json" \
    --no-color --timeout "$(scaled 2)" "${FW[@]}" --only int-751 >"$TMP/s.txt" 2>&1
check "a Delivery Method /5/0/9 = 7 (out of 0..2): int-751 fails C only" \
    test "$(failing_criteria "$TMP/s.txt")" = "int-751 C"
check "... saying which value is out of range" grep -q '/5/0/9 = 7 (out of range)' "$TMP/s.txt"

finish
