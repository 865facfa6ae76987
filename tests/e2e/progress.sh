#!/bin/bash
# The live line during waits (issue 19): on a terminal (a pty made by script(1)) the run
# shows "int-102 step 3: waiting for the Update, N s of M s"; without a terminal nothing of
# it (no carriage return, no escape sequence); -q prints only the summary.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

args=(run --sim --only int-102 --var lifetime=3 --no-color)
if command -v script >/dev/null; then
    TERM=xterm timeout 120 script -q -e -c "$TOOL ${args[*]}" "$TMP/tty.out" >/dev/null 2>&1
    rc=$?
    check "on a terminal the run passes (exit $rc)" [ "$rc" = 0 ]
    check "on a terminal a live line says what the run waits for and how long" \
        grep -aq 'int-102 step 3: waiting for the Update, [0-9]* s of [0-9]* s' "$TMP/tty.out"
    check "the line is erased before the case's verdict line" \
        sh -c "tr '\r' '\n' <'$TMP/tty.out' | sed 's/\x1b\[K//g' | grep -aq '^PASS  int-102  '"
else
    echo "ok - # SKIP script(1) is not installed: no terminal to test the live line on"
fi
"$TOOL" "${args[@]}" >"$TMP/pipe.out" 2>&1
rc=$?
check "without a terminal the run passes (exit $rc)" [ "$rc" = 0 ]
check "without a terminal there is no live line" not_in 'waiting for' "$TMP/pipe.out"
check "nor a carriage return or an escape sequence" sh -c "! grep -q \$'[\r\033]' '$TMP/pipe.out'"

"$TOOL" "${args[@]}" -q >"$TMP/quiet.out" 2>&1
rc=$?
check "-q: the run passes (exit $rc)" [ "$rc" = 0 ]
check "-q: no case line, no device command line" \
    sh -c "! grep -q -e '^PASS  int-102' -e '^device command' -e '^plan:' '$TMP/quiet.out'"
check "-q: the summary is there" grep -q '^1 case: 1 passed\|cases\?: .* passed' "$TMP/quiet.out"
finish
