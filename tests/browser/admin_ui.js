// admin_ui.js: the admin layout in Debian's chromium through playwright-core: the dashboard at
// 1280 and 375 pixels and in dark mode, the reply box opened on demand, editing a comment,
// select all then bulk approve. Usage: node admin_ui.js BASE_URL OUTDIR NAME PASSWORD.
// Prints one JSON object per check.
const { chromium } = require('playwright-core');
const path = require('path');

const [base, outdir, name, password] = process.argv.slice(2);
const t0 = Date.now();
const check = (ok, desc, detail) => { console.log(JSON.stringify({ ok: !!ok, desc, detail: detail || '' })); if (process.env.ADMIN_UI_TIMES) console.error(((Date.now() - t0) / 1000).toFixed(1) + ' ' + desc); };

// the relative luminance of a CSS rgb() colour
const lum = (rgb) => {
  const c = (rgb.match(/\d+(\.\d+)?/g) || []).slice(0, 3).map(Number).map((v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
};

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const external = [];
  page.on('request', (req) => { if (!req.url().startsWith(base)) external.push(req.url()); });
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));

  await page.goto(base + '/admin/login');
  check(await page.$('.site-header') === null && await page.$('.subscribe-box') === null,
    'the login page has no reader header and no subscribe box');
  await page.fill('#name', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/login"] button[type=submit]')]);
  check(page.url() === base + '/admin/', 'logged in to the dashboard', page.url());

  // the dashboard, wide
  const nav = await page.$$eval('.admin-nav a', (as) => as.map((a) => a.textContent.trim()));
  check(['Dashboard', 'Posts', 'New post', 'Media', 'Users', 'Settings', 'View site'].every((t) => nav.includes(t)),
    'the navigation has its links', nav.join(' | '));
  check((await page.textContent('#nav-comments')).includes('3'), 'the navigation counts the comments waiting');
  const side = await page.evaluate(() => {
    const n = document.querySelector('.admin-top').getBoundingClientRect();
    const m = document.querySelector('.admin-main').getBoundingClientRect();
    return { navRight: n.right, mainLeft: m.left, mainWidth: m.width };
  });
  check(side.navRight <= side.mainLeft + 1 && side.mainWidth > 900, 'at 1280 px: navigation beside a wide content area',
    JSON.stringify(side));
  check((await page.textContent('#dash-drafts')).includes('Half-written tides'), 'the dashboard lists the draft');
  check((await page.$$('#dash-comments li.dash-comment')).length === 3, 'the dashboard lists the 3 comments waiting');
  check(await page.$('#dash-views svg.chart') !== null, 'the dashboard draws the week chart');
  await page.screenshot({ path: path.join(outdir, 'admin-dashboard.png'), fullPage: true });

  // dark mode
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await page.evaluate(() => ({
    bg: getComputedStyle(document.body).backgroundColor,
    fg: getComputedStyle(document.body).color,
    nav: getComputedStyle(document.querySelector('.admin-top')).backgroundColor,
  }));
  check(lum(dark.bg) < 0.05 && lum(dark.nav) < 0.05, 'dark mode: dark backgrounds', JSON.stringify(dark));
  check((lum(dark.fg) + 0.05) / (lum(dark.bg) + 0.05) >= 4.5, 'dark mode: text at least 4.5:1', JSON.stringify(dark));
  await page.screenshot({ path: path.join(outdir, 'admin-dashboard-dark.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });

  // a phone
  await page.setViewportSize({ width: 375, height: 800 });
  for (const p of ['/admin/', '/admin/comments', '/admin/posts', '/admin/subscribers', '/admin/settings', '/admin/users',
                   '/admin/media', '/admin/profile', '/admin/posts/new']) {
    await page.goto(base + p);
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    check(w <= 375, 'at 375 px, ' + p + ' does not scroll sideways', 'scrollWidth ' + w);
  }
  await page.goto(base + '/admin/');
  await page.screenshot({ path: path.join(outdir, 'admin-dashboard-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  // the reply box, opened on demand
  await page.goto(base + '/admin/comments?status=pending');
  const first = await page.$eval('li.admin-comment', (li) => li.id.replace('admin-comment-', ''));
  const ta = '#reply-' + first;
  check(!(await page.isVisible(ta)), 'the reply box is closed at first');
  check(await page.isVisible('#select-all'), 'with script, the select-all checkbox shows');
  await page.screenshot({ path: path.join(outdir, 'admin-ui-comments.png'), fullPage: true });
  await page.click('#reply-details-' + first + ' summary');
  check(await page.isVisible(ta), 'Reply opens it');
  // the focus follows the details element's toggle event, which fires after the click returns
  const focused = await page
    .waitForFunction((sel) => document.activeElement === document.querySelector(sel), ta, { timeout: 5000 })
    .then(() => true, () => false);
  check(focused, 'and focuses its text area');
  await page.fill(ta, 'Thank you, from the browser.');
  await Promise.all([page.waitForNavigation(), page.click('button[form="reply-form-' + first + '"]')]);
  check((await page.textContent('.notice')).includes('Your reply is published'), 'the reply is published');

  // edit a comment
  await page.goto(base + '/admin/comments?status=pending');
  const target = await page.$eval('li.admin-comment', (li) => li.id.replace('admin-comment-', ''));
  await Promise.all([page.waitForNavigation(), page.click('#edit-' + target)]);
  check(page.url().includes('/admin/comments/' + target + '/edit'), 'Edit opens the edit page', page.url());
  await page.fill('#edit-author', 'Renamed Reader');
  await page.fill('#edit-comment', 'Edited in the *browser*.');
  await Promise.all([page.waitForNavigation(), page.click('#comment-edit button[type=submit]')]);
  check((await page.textContent('.notice')).includes('The comment is saved'), 'the edit is saved');
  check((await page.innerHTML('#admin-comment-' + target)).includes('<em>browser</em>'), 'the list shows the new text');

  // select all, then approve them all
  await page.click('#select-all');
  const ticked = await page.$$eval('input[name=ids]', (bs) => bs.map((b) => b.checked));
  check(ticked.length > 0 && ticked.every(Boolean), 'select all ticks every row', JSON.stringify(ticked));
  await page.click('#select-all');
  check((await page.$$eval('input[name=ids]', (bs) => bs.filter((b) => b.checked).length)) === 0, 'and clears them');
  await page.click('#select-all');
  await page.selectOption('#bulk_action', 'approve');
  await Promise.all([page.waitForNavigation(), page.click('#bulk-apply')]);
  await page.goto(base + '/admin/comments?status=pending');
  check((await page.$$('li.admin-comment')).length === 0, 'bulk approve leaves nothing waiting');
  await page.goto(base + '/posts/hello');
  const art = await page.content();
  check(art.includes('Renamed Reader') && art.includes('<em>browser</em>'), 'readers see the edited comment');
  check(await page.$('.site-header') !== null, 'reader pages keep the reader layout');

  check(external.length === 0, 'no request went to another host', external.join(' '));
  check(errors.length === 0, 'no console errors (CSP violations included)', errors.join(' | '));
  await browser.close();
})().catch((e) => { check(false, 'the browser script ran to the end', String(e && e.stack || e)); process.exit(1); });
