// axe.js: axe-core (npm) in Debian's chromium (through playwright-core) over every page of a
// manifest written by axe.py: each page is the answer quire gave (status, headers with the
// Content-Security-Policy, body), served again at its own address on the live stack, so the
// stylesheet and images come from nginx and POST answers and admin pages are checked too.
// Every page is checked light and dark (prefers-color-scheme), 1280 and 375 pixels wide.
// Usage: node axe.js MANIFEST.json OUTDIR. Prints one JSON object per page, mode and width.
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

const [manifestFile, outdir] = process.argv.slice(2);
const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const MODES = ['light', 'dark'];
const WIDTHS = [{ name: 'desktop', width: 1280, height: 900 }, { name: 'phone', width: 375, height: 740 }];
const IMPACTS = ['serious', 'critical'];
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

function describe(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.slice(0, 6).map((n) =>
    `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 300)}`).join('\n')).join('\n');
}

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const external = [];
  let current = null;
  const minors = {}; // violations of impact minor or moderate: reported, not failed
  const spent = { axe: 0, load: 0, media: 0, viewport: 0, runs: 0, start: Date.now() };
  await page.route('**/*', (route) => {
    const req = route.request();
    if (!req.url().startsWith(manifest.base)) {
      external.push(req.url());
      return route.abort();
    }
    if (current && req.isNavigationRequest() && req.url() === current.url) {
      return route.fulfill({ status: current.status, headers: current.headers,
                             body: fs.readFileSync(current.file) });
    }
    return route.continue();
  });
  // axe is in every document from its start (an init script is not subject to the page's CSP)
  await context.addInitScript({ content: axeSource });
  let width = WIDTHS[0];
  for (const p of manifest.pages) {
    current = { ...p, url: manifest.base + '/__axe/' + p.name };
    const t1 = Date.now();
    try {
      await page.goto(current.url, { waitUntil: 'load' });
      spent.load += Date.now() - t1;
    } catch (e) {
      console.log(JSON.stringify({ ok: false, desc: `${p.name}: loads`, detail: String(e) }));
      continue;
    }
    // the width the last page ended with first, so the viewport changes once per page
    const widths = width === WIDTHS[0] ? WIDTHS : [...WIDTHS].reverse();
    for (const w of widths) {
      if (w !== width) {
        const tv = Date.now();
        await page.setViewportSize({ width: w.width, height: w.height });
        spent.viewport += Date.now() - tv;
        width = w;
      }
      for (const mode of MODES) {
        const tm = Date.now();
        await page.emulateMedia({ colorScheme: mode });
        spent.media += Date.now() - tm;
        let detail = '';
        let bad = [];
        try {
          const t0 = Date.now();
          // dark mode changes colours only (axe.py checks that the stylesheet's dark block sets
          // nothing but colour variables), so the layout is the light one's: in dark, the rules
          // that read colours run; in light, every rule
          const rules = mode === 'dark' ? COLOUR_RULES : null;
          const res = await page.evaluate((rules) => window.axe.run(document, rules ? {
            resultTypes: ['violations'], runOnly: { type: 'rule', values: rules } } : { resultTypes: ['violations'] }),
            rules);
          spent.axe += Date.now() - t0;
          spent.runs++;
          bad = res.violations.filter((v) => IMPACTS.includes(v.impact));
          detail = describe(bad);
          const minor = res.violations.filter((v) => !IMPACTS.includes(v.impact));
          for (const v of minor)
            minors[`${v.id} (${v.impact})`] = (minors[`${v.id} (${v.impact})`] || []).concat(`${p.name} ${mode} ${w.name}`);
        } catch (e) {
          bad = [e];
          detail = String(e);
        }
        console.log(JSON.stringify({ ok: bad.length === 0, desc: `${p.name} (${p.path}) ${mode} ${w.name} ${w.width}px: ` +
                                     'no serious or critical axe violations', detail }));
        if (outdir && p.shot)
          await page.screenshot({ path: path.join(outdir, `axe-${p.name}-${mode}-${w.name}.png`), fullPage: true });
      }
    }
  }
  for (const [id, where] of Object.entries(minors))
    console.error(`less than serious: ${id} on ${where.length}: ${where.slice(0, 4).join(', ')}`);
  console.error(`axe: ${manifest.pages.length} pages, ${spent.runs} runs: ${spent.load} ms loading, ` +
                `${spent.axe} ms in axe.run, ${spent.media} + ${spent.viewport} ms ` +
                `in media and viewport, ${Date.now() - spent.start} ms in all`);
  console.log(JSON.stringify({ ok: external.length === 0, desc: 'no request left the site', detail: external.join('\n') }));
  await browser.close();
})().catch((e) => { console.log(JSON.stringify({ ok: false, desc: 'axe.js ran', detail: String(e.stack || e) })); });
