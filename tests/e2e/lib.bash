# Shared helpers for the end-to-end scripts: TAP-style "ok"/"not ok" lines that
# tests/run-all counts. Sourced, not run.
BUILD=${BUILD:-build}
TOOL="$BUILD/lwm2m-conform"
SIMDEV="$BUILD/lwm2m-simdev"
TMP=$(mktemp -d)
export TMPDIR="$TMP"   # device logs (run --sim keeps one) stay inside and go with it
trap 'rm -rf "$TMP"' EXIT
n_fail=0

ok()     { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; n_fail=$((n_fail + 1)); }
check()  { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }

# The verdict line of a case in the terminal report: "FAIL  int-951  …" -> FAIL
verdict_of() { sed -n "s/^\([A-Z]*\)  $2  .*/\1/p" "$1" | head -n1; }
# Failing criteria listed in the summary, one "int-951 C" per line, sorted
failing_criteria() { sed -n 's/^FAIL \(int-[0-9]*\) criterion \([A-Z]\) .*/\1 \2/p' "$1" | sort -u | tr '\n' ' ' | sed 's/ $//'; }

finish() { [ "$n_fail" -eq 0 ]; }

# Wall-clock slack. The sanitizer build (BUILD=build/san) runs several times slower, and
# several engineers' suites share this machine: a step deadline that a passing device must
# meet (a registration within --timeout) and a "no hang" bound are multiplied by this.
# Speed targets are not checked here: they live in bench/. E2E_TIME_SCALE overrides.
case $BUILD in */san) TIME_SCALE=${E2E_TIME_SCALE:-3} ;; *) TIME_SCALE=${E2E_TIME_SCALE:-1} ;; esac
scaled() { awk -v a="$1" -v k="$TIME_SCALE" 'BEGIN { print a * k }'; }
# within START LIMIT: at most LIMIT seconds (scaled) since START (a $SECONDS reading)
within() { [ $((SECONDS - $1)) -le "$(awk -v a="$2" -v k="$TIME_SCALE" 'BEGIN { printf "%d", a * k + 0.5 }')" ]; }
# The ETS's observation periods (pmin 30 s, pmax 45 s and the like) and 60 s Send waits,
# shortened for the simulated device in whole-suite runs (v12-ops.sh and observe.sh judge
# the timing itself); unquoted on purpose: several words
SHORT_WAITS="--var pmin=2 --var pmax=3 --var window=8 --var send_wait=3"
not_in() { ! grep -q "$1" "$2"; }
valid_junit() { xmllint --noout --schema tests/junit.xsd "$1" 2>/dev/null; }

# Reads the tool's stdout (a FIFO) until a line matches, with a deadline: how the scripts
# learn the ephemeral ports without sleeping. Prints the matching line.
wait_line() { # fd pattern seconds
    local fd=$1 pat=$2 t=$3 line end=$((SECONDS + $3))
    while [ $SECONDS -lt $end ]; do
        IFS= read -r -t "$t" -u "$fd" line || return 1
        echo "$line" >>"$TMP/stream.log"
        if [[ $line =~ $pat ]]; then echo "$line"; return 0; fi
    done
    return 1
}

# Table rows of tool runs, several at a time (each run picks its own free ports, and most of
# a row is the tool waiting on the device's timers), judged in table order afterwards:
#   row_start LABEL CASES VERDICTS CRITERIA EXIT COMMAND...   starts COMMAND (the tool, or a
#       function running it) in the background with --junit FILE added
#   rows_judge   waits for them all, then per row "LABEL: [verdicts], failing [criteria],
#       exit N" (the output shown when not as expected) and "LABEL: JUnit valid"
# E2E_ROWS_AT_ONCE sets how many run at once (default 3).
rows_n=0
row_start() {
    local n=$rows_n
    row_label[n]=$1 row_cases[n]=$2 row_want[n]=$3 row_crit[n]=$4 row_code[n]=$5
    shift 5
    rows_n=$((n + 1))
    while [ "$(jobs -rp | wc -l)" -ge "${E2E_ROWS_AT_ONCE:-3}" ]; do wait -n; done
    { "$@" --junit "$TMP/row$n.xml" >"$TMP/row$n.txt" 2>"$TMP/row$n.err"; echo $? >"$TMP/row$n.rc"; } &
}
rows_judge() {
    wait
    local n c got gotcrit rc label
    for ((n = 0; n < rows_n; n++)); do
        rc=$(cat "$TMP/row$n.rc" 2>/dev/null || echo none) label=${row_label[n]} got=""
        for c in ${row_cases[n]//,/ }; do got+="$(verdict_of "$TMP/row$n.txt" "$c") "; done
        got=${got% }
        gotcrit=$(failing_criteria "$TMP/row$n.txt")
        if [ "$got" = "${row_want[n]}" ] && [ "$gotcrit" = "${row_crit[n]}" ] && [ "$rc" = "${row_code[n]}" ]; then
            ok "$label: [$got], failing [$gotcrit], exit $rc"
        else
            not_ok "$label: expected [${row_want[n]}], failing [${row_crit[n]}], exit ${row_code[n]}; got [$got], [$gotcrit], exit $rc"
            sed 's/^/#   /' "$TMP/row$n.txt" "$TMP/row$n.err"
        fi
        check "$label: JUnit valid" valid_junit "$TMP/row$n.xml"
    done
    rows_n=0
}
