// stats.js: a reader visits a few pages, an admin opens /admin/stats; the chart is drawn by
// quire as SVG (no script) and saved as a screenshot. Usage: node stats.js BASE OUTDIR ADMIN PASSWORD.
const { chromium } = require('playwright-core');
const path = require('path');

const [base, outdir, admin, password] = process.argv.slice(2);
const check = (ok, desc, detail) => console.log(JSON.stringify({ ok: !!ok, desc, detail: detail || '' }));

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'] });
  const reader = await (await browser.newContext({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' })).newPage();
  for (const p of ['/', '/posts/counted', '/posts/counted', '/tags/t']) await reader.goto(base + p);
  check((await reader.context().cookies()).length === 0, 'counting set no cookie');
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 1000 } })).newPage();
  let scripts = 0;
  // the admin layout's own script (select all, reply boxes) is the only one allowed
  page.on('request', (req) => { if (req.resourceType() === 'script' && !/\/static\/admin\.js\?v=/.test(req.url())) scripts++; });
  await page.goto(base + '/admin/stats');
  await page.fill('#name', admin);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/login"] button[type=submit]')]);
  check(page.url().startsWith(base + '/admin/stats'), 'the admin lands on the statistics', page.url());
  const box = await page.locator('svg.chart').boundingBox();
  check(box && box.width > 300 && box.height > 80, 'the chart is drawn', JSON.stringify(box));
  check((await page.locator('svg.chart rect.bar').count()) === 30, 'thirty bars for thirty days');
  check(Number(await page.textContent('#total-views')) >= 3, 'the views of the reader are counted (a revalidated 304 is not)', await page.textContent('#total-views'));
  check((await page.textContent('#top-posts')).includes('Counted post'), 'the post is in the top posts');
  check(scripts === 0, 'the page loads no script but the admin layout\'s own');
  await page.screenshot({ path: path.join(outdir, 'admin-stats.png'), fullPage: true });
  await browser.close();
})().catch((e) => { check(false, 'the browser script ran to the end', String(e && e.stack || e)); process.exit(1); });
