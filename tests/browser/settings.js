// settings.js: an admin changes the site's title in /admin/settings (a plain form, no script);
// the very next page shows it. Usage: node settings.js BASE OUTDIR ADMIN PASSWORD.
const { chromium } = require('playwright-core');
const path = require('path');

const [base, outdir, admin, password] = process.argv.slice(2);
const check = (ok, desc, detail) => console.log(JSON.stringify({ ok: !!ok, desc, detail: detail || '' }));

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'] });
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 1000 } })).newPage();
  await page.goto(base + '/');
  check((await page.textContent('.site-title')).trim() === 'Test blog', 'the home page has the file\'s title',
    await page.textContent('.site-title'));
  await page.goto(base + '/admin/settings');
  await page.fill('#name', admin);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/login"] button[type=submit]')]);
  check(page.url().startsWith(base + '/admin/settings'), 'the admin lands on the settings', page.url());
  check(await page.inputValue('#title') === 'Test blog', 'the title field holds the file\'s value');
  check(await page.isVisible('#title-source'), 'and says it comes from the configuration file');
  await page.fill('#title', 'Notes from the harbour');
  await page.fill('#description', 'Boats, tides and the people who mend nets.');
  await page.selectOption('#moderation', 'all');
  await Promise.all([page.waitForNavigation(), page.click('#settings-form button[type=submit]')]);
  check((await page.textContent('#settings-notice') || '').includes('Settings saved'), 'the page says "Settings saved"');
  check(await page.inputValue('#title') === 'Notes from the harbour', 'the form shows the new title');
  check((await page.locator('#settings-changes tr.change-row').count()) === 3, 'three changes listed (title, description, moderation)',
    String(await page.locator('#settings-changes tr.change-row').count()));
  check((await page.textContent('#settings-changes')).includes('Ada Lovelace'), 'each with who made it');
  await page.screenshot({ path: path.join(outdir, 'admin-settings.png'), fullPage: true });
  await page.goto(base + '/');
  check((await page.textContent('.site-title')).trim() === 'Notes from the harbour', 'the next page shows the new title',
    await page.textContent('.site-title'));
  check((await page.title()).includes('Notes from the harbour'), 'in the window title too', await page.title());
  await page.screenshot({ path: path.join(outdir, 'settings-home-renamed.png') });
  await browser.close();
})().catch((e) => { check(false, 'the browser script ran to the end', String(e && e.stack || e)); process.exit(1); });
