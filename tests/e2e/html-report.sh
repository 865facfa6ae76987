#!/bin/bash
# --html: the report of a run with a failure, opened in a real headless browser (Chromium
# from Debian, driven by puppeteer-core from npm: tests/browser/report.js): it renders,
# failures come first, the verdict filter works, it works without JavaScript, loads
# nothing and logs no console error. Skips cleanly without Chromium or puppeteer-core.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash

"$TOOL" run --sim --only int-951 --sim-fault discover-missing-resource --no-color \
    --html "$TMP/r.html" --json "$TMP/r.json" >"$TMP/run.out" 2>&1
rc=$?
check "a run with a fault writes its HTML report (exit $rc: a failure)" [ "$rc" = 1 ] && [ -s "$TMP/r.html" ]
check "the page names the failed criterion" grep -q 'criterion C' "$TMP/r.html"

chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
browser=${LWM2M_BROWSER_PREFIX:-build/browser}
if [ -z "$chromium" ]; then
    echo "ok - # SKIP the browser test: Chromium is not installed (apt-get install chromium; scripts/install-deps does)"
    finish; exit
fi
if [ ! -f "$browser/node_modules/puppeteer-core/package.json" ]; then
    echo "ok - # SKIP the browser test: puppeteer-core is not in $browser (scripts/install-deps installs it)"
    finish; exit
fi
# puppeteer-core is resolved from build/browser/node_modules
cp tests/browser/report.js "$browser/report.js"
CHROMIUM=$chromium timeout 120 node "$browser/report.js" "$TMP/r.html" "$TMP/r.png" >"$TMP/browser.out" 2>&1
rc=$?
cat "$TMP/browser.out"
[ "$rc" = 0 ] || grep -q '^not ok' "$TMP/browser.out" || not_ok "the browser test exited $rc"
n_fail=$((n_fail + $(grep -c '^not ok' "$TMP/browser.out")))
finish
