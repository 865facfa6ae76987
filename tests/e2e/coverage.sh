#!/bin/bash
# ETS coverage: testcases/ets-1.0.1.tsv lists exactly the ids of the ETS 1.0.1 draft's table
# of contents, testcases/ets-1.2.tsv the 155 ids of ETS INT 1.2 (118 with a procedure, as
# the inventory counts them); `list --all [--ets KEY]` marks an id implemented as soon as a
# case file carries it (its id, or an "also_in" one: one definition for both documents);
# docs/coverage.md and README.md's counts are what `make coverage` writes.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash
# Runs its arguments as one condition, so "check WHAT all A -- B" needs both A and B.
all() { local cmd=(); for a in "$@"; do if [ "$a" = -- ]; then "${cmd[@]}" || return 1; cmd=(); else cmd+=("$a"); fi; done; "${cmd[@]}"; }
TSV=testcases/ets-1.0.1.tsv

# --- the data file against the draft's table of contents ---------------------------------
# The draft is not in the repository; it is read where the project keeps it (ETS_DRAFT).
draft=${ETS_DRAFT:-}
for d in ../shared/spec ../../shared/spec /work/shared/spec; do
    [ -n "$draft" ] || [ ! -f "$d/OMA-ETS-LightweightM2M-V1_0_1.md" ] || draft="$d/OMA-ETS-LightweightM2M-V1_0_1.md"
done
if [ -n "$draft" ]; then
    # TOC lines: "6.1.2.1 LightweightM2M-1.0-int-101 – Initial Registration 12"
    sed -n '1,/^## /{s/^\([0-9][0-9.]*\) \(LightweightM2M-[A-Z0-9.-]*-int-[0-9]*\) .*/\1 \2/p}' "$draft" \
        | sort >"$TMP/toc"
    grep -v '^#' "$TSV" | awk -F'\t' 'NF { print $1 " " $2 }' | sort >"$TMP/tsv"
    check "$TSV lists the $(wc -l <"$TMP/toc") ids of the draft's table of contents, with their sections" \
        cmp -s "$TMP/toc" "$TMP/tsv"
    cmp -s "$TMP/toc" "$TMP/tsv" || diff "$TMP/toc" "$TMP/tsv" | sed 's/^/#   /' | head -20
else
    ok "# skip: the ETS draft is not on this machine (set ETS_DRAFT to check $TSV against it)"
fi

# --- list --all --------------------------------------------------------------------------
"$TOOL" list --all --ets 1.0.1 --no-color >"$TMP/all.txt" 2>&1
rc=$?
total=$(grep -vc '^#' "$TSV")
ets=$(grep -l '"source": "OMA-ETS-LightweightM2M-V1_0_1' testcases/*.json | wc -l)
check "list --all --ets 1.0.1: exit 0 (got $rc), $total ids, $ets implemented (the ETS 1.0.1 case files)" \
    all [ "$rc" = 0 ] -- grep -q ": $total test case ids, $ets implemented, " "$TMP/all.txt"
check "list --all: every id of the draft has a line, implemented or with its reason" \
    [ "$(grep -cE '^[0-9][0-9.]* +([A-Z]+ )?int-[0-9]+ ' "$TMP/all.txt")" = "$total" ]
check "list --all: the tool's readings are listed apart, with their core-spec source" \
    grep -q '^- *int-[0-9a-z-]* .*tool reading: LwM2M TS 1' "$TMP/all.txt"
TSV12=testcases/ets-1.2.tsv
"$TOOL" list --all --ets 1.2 --no-color >"$TMP/all12.txt" 2>&1
rc=$?
total12=$(grep -vc '^#' "$TSV12")
noproc12=$(grep -v '^#' "$TSV12" | awk -F'\t' '$4 ~ /^no procedure/' | wc -l)
ets12=$(cat testcases/*.json | grep -c '"source": "OMA-ETS-LightweightM2M_INT-V1_2 ')
check "list --all --ets 1.2: exit 0 (got $rc), 155 ids ($total12 in $TSV12), $ets12 implemented, 118 with a procedure" \
    all [ "$rc" = 0 ] -- [ "$total12" = 155 ] -- [ $((total12 - noproc12)) = 118 ] -- \
        grep -q ": 155 test case ids, $ets12 implemented, .*; 118 with a procedure" "$TMP/all12.txt"
check "list --all --ets 1.2: every id has a line; int-229 is listed as voided in favour of int-280" \
    all [ "$(grep -cE '^[0-9][0-9.]* +([A-Z]+ )?int-[0-9]+ ' "$TMP/all12.txt")" = 155 ] -- \
        grep -qE '^6\.3\.19 +int-229 .*voided: .*int-280' "$TMP/all12.txt"
check "list --all --ets 1.2: an id both documents hold is implemented by the one definition (int-101)" \
    all grep -qE '^6\.2\.1 +int-101 .* implemented$' "$TMP/all12.txt" -- \
        grep -qE '^6\.1\.2\.1 +int-101 .* implemented$' "$TMP/all.txt"
"$TOOL" list --all --ets 9.9 --no-color >"$TMP/bad.txt" 2>&1
rc=$?
check "list --all --ets 9.9: exit 2 (got $rc), naming the known documents" \
    all [ "$rc" = 2 ] -- grep -q 'known: 1.0.1, 1.2' "$TMP/bad.txt"
check "docs/coverage.md and README.md's counts are current (else: make coverage)" \
    env TOOL="$TOOL" ./scripts/coverage --check

# --- a new case file is all it takes ----------------------------------------------------
cp -r testcases "$TMP/cases"
# (int-950's also_in entry names ETS INT 1.2's int-950: it becomes that document's int-202)
sed -e 's/"LightweightM2M-1.0-int-950"/"LightweightM2M-1.0-int-202"/' \
    -e 's/^  "source": "[^"]*"/  "source": "OMA-ETS-LightweightM2M-V1_0_1 §6.1.3.2"/' \
    -e 's/"LightweightM2M-1.1-int-950"/"LightweightM2M-1.1-int-202"/; s/V1_2 §6.6.9.1/V1_2 §6.3.2/' \
    testcases/int-950.json >"$TMP/cases/int-202.json"
"$TOOL" list --all --no-color --cases "$TMP/cases" >"$TMP/new.txt" 2>&1
check "a new int-202 case file makes int-202 implemented, without touching $TSV" \
    all grep -qE '^6\.1\.3\.2 +int-202 .* implemented$' "$TMP/new.txt" -- \
        grep -q ": $total test case ids, $((ets + 1)) implemented" "$TMP/new.txt"
"$TOOL" list --all --no-color --ets 1.2 --cases "$TMP/cases" >"$TMP/new12.txt" 2>&1
check "its also_in entry makes ETS INT 1.2's int-202 implemented by the same file" \
    grep -qE '^6\.3\.2 +int-202 .* implemented$' "$TMP/new12.txt"
sed -i 's/§6.1.3.2/§6.1.3.3/' "$TMP/cases/int-202.json"
"$TOOL" list --all --no-color --cases "$TMP/cases" >"$TMP/bad.txt" 2>&1
rc=$?
check "a case whose source names another section than the draft: exit 2 (got $rc), says which" \
    all [ "$rc" = 2 ] -- grep -q 'does not name section §6.1.3.2' "$TMP/bad.txt"
sed -i 's/int-202"/int-2020"/' "$TMP/cases/int-202.json"
"$TOOL" list --all --no-color --cases "$TMP/cases" >"$TMP/bad.txt" 2>&1
rc=$?
check "an ETS case the draft does not list: exit 2 (got $rc)" \
    all [ "$rc" = 2 ] -- grep -q 'is not a test case of the document listed in' "$TMP/bad.txt"

finish
