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
