// The HTML report in a real headless browser (Chromium, driven by puppeteer-core): it
// renders, failures come first, the verdict filter works, the page works without
// JavaScript, it asks the network for nothing and logs no console error.
// Usage: node report.js REPORT.html SCREENSHOT.png  (CHROMIUM: the browser's path)
// Prints TAP-like "ok - …" / "not ok - …" lines (tests/e2e/lib.bash's), exit 1 on a failure.
'use strict';
const path = require('path');
const puppeteer = require('puppeteer-core');

const [file, shot] = process.argv.slice(2);
const url = 'file://' + path.resolve(file);
let failed = 0;
function check(what, cond, detail) {
  if (cond) console.log('ok - ' + what);
  else { failed++; console.log('not ok - ' + what + (detail ? ' (' + detail + ')' : '')); }
}

async function visibleVerdicts(page) {
  return page.$$eval('details.case', (ds) =>
    ds.filter((d) => !d.hidden && d.offsetParent !== null).map((d) => d.dataset.verdict));
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    const requests = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => { if (r.url() !== url) requests.push(r.url()); });
    await page.goto(url, { waitUntil: 'load' });

    const title = await page.title();
    check('the page renders: title "' + title + '"', /lwm2m-conform/.test(title));
    const h1 = await page.$eval('h1', (e) => e.getBoundingClientRect().height);
    check('its heading is laid out', h1 > 0);
    const verdicts = await page.$$eval('details.case', (ds) => ds.map((d) => d.dataset.verdict));
    check('it shows ' + verdicts.length + ' cases', verdicts.length > 1);
    const rank = { FAIL: 0, ERROR: 1, INCONCLUSIVE: 2, SKIPPED: 3, PASS: 4 };
    const sorted = verdicts.every((v, i) => i === 0 || rank[verdicts[i - 1]] <= rank[v]);
    check('failures come first (' + verdicts.join(' ') + ')', sorted && verdicts[0] === 'FAIL');
    const failOpen = await page.$eval('details.case[data-verdict=FAIL]', (d) => d.open);
    check('a failed case is open, with expected vs. observed', failOpen &&
          (await page.$eval('details.case[data-verdict=FAIL] table.criteria',
                            (t) => /expected/.test(t.textContent) && t.offsetHeight > 0)));
    check('its message ladder is there', await page.$eval('details.case[data-verdict=FAIL]',
          (d) => d.querySelectorAll('table.ladder tr.out, table.ladder tr.in').length > 0));

    const filterShown = await page.$eval('#filter', (f) => !f.hidden && f.offsetHeight > 0);
    check('the filter is shown once the script runs', filterShown);
    await page.click('#filter input[value=PASS]');
    let shown = await visibleVerdicts(page);
    check('unticking PASS hides the passed cases (' + shown.length + ' shown)',
          shown.length > 0 && !shown.includes('PASS') &&
          shown.length === verdicts.filter((v) => v !== 'PASS').length);
    check('the count says so', (await page.$eval('#shown', (e) => e.textContent)) ===
          shown.length + ' shown');
    await page.click('#filter input[value=FAIL]');
    shown = await visibleVerdicts(page);
    check('unticking FAIL too hides the failures', !shown.includes('FAIL') && !shown.includes('PASS'));
    await page.click('#filter input[value=PASS]');
    await page.click('#filter input[value=FAIL]');
    shown = await visibleVerdicts(page);
    check('ticking them again shows every case', shown.length === verdicts.length);
    if (shot) await page.screenshot({ path: shot, fullPage: false });

    const nojs = await browser.newPage();
    await nojs.setJavaScriptEnabled(false);
    await nojs.goto(url, { waitUntil: 'load' });
    const nojsCases = await visibleVerdicts(nojs);
    check('without JavaScript every case is there', nojsCases.length === verdicts.length);
    check('without JavaScript the filter (which needs it) stays hidden',
          await nojs.$eval('#filter', (f) => f.hidden));

    check('no console error or warning', errors.length === 0, errors.join(' | '));
    check('no network request (self-contained)', requests.length === 0, requests.join(' '));
  } finally {
    await browser.close();
  }
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log('not ok - the browser test ran: ' + e); process.exit(1); });
