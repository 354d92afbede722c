// admin.js: a real browser (Debian's chromium through playwright-core) logs in, writes and
// publishes a post, and screenshots the admin post list and the published article.
// Usage: node admin.js BASE_URL OUTDIR NAME PASSWORD. Prints one JSON object per check.
const { chromium } = require('playwright-core');
const path = require('path');

const [base, outdir, name, password] = process.argv.slice(2);
const check = (ok, desc, detail) => console.log(JSON.stringify({ ok: !!ok, desc, detail: detail || '' }));

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
  // the one expected error is the 401 of the wrong password, tried on purpose below
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().includes('status of 401')) errors.push(msg.text());
  });

  await page.goto(base + '/admin/posts');
  check(page.url().startsWith(base + '/admin/login'), 'an admin page without a session shows the login', page.url());
  await page.fill('#name', name);
  await page.fill('#password', 'wrong password');
  await page.click('form[action="/admin/login"] button[type=submit]');
  check((await page.textContent('.alert')).includes('Wrong name or password'), 'a wrong password is refused');
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/login"] button[type=submit]')]);
  check(page.url() === base + '/admin/posts', 'logging in lands on the page asked for', page.url());

  await page.click('text=New post');
  await page.fill('#title', 'Written in Chromium');
  await page.fill('#body', 'This post was typed by a *headless browser*.\n\nSecond paragraph.');
  await page.fill('#tags', 'browser, testing');
  await Promise.all([page.waitForNavigation(), page.click('button[value=preview]')]);
  check((await page.innerHTML('.preview')).includes('<em>headless browser</em>'), 'preview shows the rendered post');
  check((await page.inputValue('#title')) === 'Written in Chromium', 'the editor keeps the input after preview');
  await Promise.all([page.waitForNavigation(), page.click('button[value=publish]')]);
  check((await page.textContent('.notice')).includes('Published'), 'publishing says so');

  await page.goto(base + '/admin/posts');
  const rows = await page.$$eval('tr.post-row', (trs) => trs.map((t) => t.textContent));
  check(rows.some((t) => t.includes('Written in Chromium') && t.includes('published')), 'the post list shows it published', rows.join(' | '));
  await page.screenshot({ path: path.join(outdir, 'admin-posts.png'), fullPage: true });

  await page.goto(base + '/posts/written-in-chromium');
  check((await page.textContent('h1.entry-title')) === 'Written in Chromium', 'the published article opens for readers');
  check((await page.innerHTML('.entry-content')).includes('<em>headless browser</em>'), 'with its rendered body');
  await page.screenshot({ path: path.join(outdir, 'admin-published-article.png'), fullPage: true });

  const reader = await browser.newContext();
  const rpage = await reader.newPage();
  await rpage.goto(base + '/');
  check((await rpage.content()).includes('Written in Chromium'), 'a reader in another browser sees it on the home page');
  check((await reader.cookies()).length === 0, 'and the reader got no cookie');

  await page.goto(base + '/admin/');
  await Promise.all([page.waitForNavigation(), page.click('text=Log out')]);
  check(page.url().startsWith(base + '/admin/login'), 'logging out returns to the login', page.url());
  await page.goto(base + '/admin/posts');
  check(page.url().startsWith(base + '/admin/login'), 'after logout the admin needs a login again', page.url());

  check(external.length === 0, 'no request went to another host', external.join(' '));
  check(errors.length === 0, 'no console errors (CSP violations included)', errors.join(' | '));
  await browser.close();
})().catch((e) => { check(false, 'the browser script ran to the end', String(e && e.stack || e)); process.exit(1); });
