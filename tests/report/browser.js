// tests/report/browser.js CHROMIUM OUTDIR REPORT.html:N ...: loads each report
// `deal report` wrote in a real headless Chromium (driven by puppeteer-core over
// the DevTools protocol), takes a screenshot (OUTDIR/NAME.png) and prints TAP
// lines: the page makes no request but for itself, logs no console message of
// level error and throws nothing, and draws a histogram and a CDF for each of
// its N uncertain results (N from `deal --json`, counted by the caller).
'use strict';
const path = require('path');
const puppeteer = require('puppeteer-core');

const [chromium, outdir, ...pages] = process.argv.slice(2);
const say = (ok, name, diag) => {
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}`);
  if (!ok && diag) for (const l of String(diag).split('\n').slice(0, 12)) console.log(`#   ${l}`);
};

(async () => {
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-default-apps'],
  });
  try {
    for (const spec of pages) {
      const at = spec.lastIndexOf(':');
      const file = path.resolve(spec.slice(0, at)), want = Number(spec.slice(at + 1));
      const name = path.basename(file);
      const url = 'file://' + file;
      const page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 800 });
      const requests = [], errors = [];
      await page.setRequestInterception(true);
      page.on('request', r => {
        if (r.url() !== url) requests.push(r.url());
        r.continue();
      });
      page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`); });
      page.on('pageerror', e => errors.push(`page error: ${e.message}`));
      page.on('requestfailed', r => { if (r.url() !== url) errors.push(`request failed: ${r.url()}`); });
      const resp = await page.goto(url, { waitUntil: 'load', timeout: 60000 });
      say(resp !== null && resp.ok(), `${name}: loads`);
      // the whole page, or its first 12,000 pixels (Chromium's limit is near 16,384)
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.screenshot({ path: path.join(outdir, name.replace(/\.html$/, '.png')),
                              clip: { x: 0, y: 0, width: 1280, height: Math.min(height, 12000) } });
      say(requests.length === 0, `${name}: no request but the page itself`, requests.join('\n'));
      say(errors.length === 0, `${name}: no console error or warning`, errors.join('\n'));
      const got = await page.evaluate(() => {
        const secs = [...document.querySelectorAll('section.result.uncertain')];
        return {
          sections: secs.length,
          charted: secs.filter(s => {
            const svgs = [...s.querySelectorAll('svg.chart')];
            const hist = svgs.find(g => /^Histogram of /.test(g.getAttribute('aria-label')) && g.querySelectorAll('rect.bar').length > 0);
            const cdf = svgs.find(g => /^Cumulative distribution of /.test(g.getAttribute('aria-label')) && g.querySelector('polyline'));
            const shown = svgs.every(g => g.getBoundingClientRect().width > 100 && g.getBoundingClientRect().height > 50);
            return hist && cdf && shown;
          }).length,
          title: document.title,
          h1: document.querySelector('h1') && document.querySelector('h1').textContent,
          scripts: document.querySelectorAll('script').length,
          width: document.documentElement.scrollWidth,
        };
      });
      say(got.sections === want && got.charted === want,
          `${name}: ${want} uncertain results, each with a histogram and a CDF drawn`, JSON.stringify(got));
      say(got.scripts === 0 && got.title && got.title === got.h1 && got.width <= 1280,
          `${name}: titled from the model, no script, no sideways scrolling on a laptop screen`, JSON.stringify(got));
      await page.close();
    }
  } finally {
    await browser.close();
  }
})().catch(e => { say(false, 'chromium ran', e.stack); process.exit(0); });
