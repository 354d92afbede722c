// readers.js: the remember-me box of the comment form, #respond after an error, and screenshots
// of an article (subscribe box under it) and the 404 page. Usage: node readers.js BASE OUTDIR.
const { chromium } = require('playwright-core');
const path = require('path');

const [base, outdir] = process.argv.slice(2);
const check = (ok, desc, detail) => console.log(JSON.stringify({ ok: !!ok, desc, detail: detail || '' }));
const NAME = 'Zoë Reader';
const EMAIL = 'zoe@example.org';
const SITE = 'https://zoe.example/blog?a=1&b=2';

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'] });
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // the 422 and 404 answers are wanted here; any other console error is not
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (422|404)\b/.test(m.text())) errors.push(m.text());
  });
  const remembered = async () => (await ctx.cookies()).filter((c) => c.name === 'quire_remember');
  const submit = () => Promise.all([page.waitForNavigation(), page.click('#commentform button[type=submit]')]);

  // 1. tick the box and comment
  await page.goto(base + '/posts/one');
  check(!(await page.isChecked('#remember')), 'the remember box starts unticked');
  check((await remembered()).length === 0, 'reading an article sets no cookie');
  await page.fill('#comment', 'Lovely light.');
  await page.fill('#author', NAME);
  await page.fill('#email', EMAIL);
  await page.fill('#url', SITE);
  await page.check('#remember');
  await submit();
  const c = await remembered();
  check(c.length === 1, 'ticked: the answer set the quire_remember cookie', JSON.stringify(await ctx.cookies()));
  check(c.length === 1 && c[0].path === '/' && c[0].sameSite === 'Lax' && !c[0].httpOnly &&
        c[0].expires > Date.now() / 1000 + 360 * 86400, 'Path=/, SameSite=Lax, about a year', JSON.stringify(c));

  // 2. another article: the three fields and the box are filled by the script
  await page.goto(base + '/posts/two');
  check(await page.inputValue('#author') === NAME, 'the name is filled in on another article', await page.inputValue('#author'));
  check(await page.inputValue('#email') === EMAIL, 'the email too');
  check(await page.inputValue('#url') === SITE, 'and the website');
  check(await page.isChecked('#remember'), 'and the box is ticked');
  check(await page.getAttribute('#author', 'value') === '', 'filled in the browser: the page from the server is the same for all');
  check(await page.inputValue('#comment') === '', 'the comment itself is never remembered');

  // 3. untick and comment: the cookie is gone, and the next form is empty
  await page.fill('#comment', 'Forget me now.');
  await page.uncheck('#remember');
  await submit();
  check((await remembered()).length === 0, 'unticked: the cookie is gone', JSON.stringify(await ctx.cookies()));
  await page.goto(base + '/posts/one');
  check(await page.inputValue('#author') === '' && !(await page.isChecked('#remember')), 'and nothing is filled in any more');

  // 4. JavaScript off: no prefill (the form says so), the form still works
  const nojs = await browser.newContext({ viewport: { width: 1100, height: 900 }, javaScriptEnabled: false });
  await nojs.addCookies([{ name: 'quire_remember', value: 'n=Nobody&e=no%40example.org&u=', url: base }]);
  const p2 = await nojs.newPage();
  await p2.goto(base + '/posts/two');
  check(await p2.inputValue('#author') === '', 'without JavaScript nothing is filled in');
  check((await p2.textContent('.comment-form-cookies-consent')).includes('JavaScript off'), 'as the form says');
  await p2.fill('#comment', 'Posted without JavaScript.');
  await p2.fill('#author', 'Plain Reader');
  await p2.fill('#email', 'plain@example.org');
  const [resp] = await Promise.all([p2.waitForNavigation(), p2.click('#commentform button[type=submit]')]);
  check(resp && resp.status() === 200 && p2.url().includes('#comment-'), 'and commenting still works', p2.url());
  await nojs.close();

  // 5. an error lands on #respond with the text kept
  await page.fill('#comment', 'A thought I do not want to lose.');
  await page.fill('#author', '');
  await page.fill('#email', 'broken');
  const [bad] = await Promise.all([page.waitForNavigation(), page.click('#commentform button[type=submit]')]);
  check(bad && bad.status() === 422, 'a form with errors answers 422', bad && bad.status());
  check(page.url().endsWith('/posts/one/comments#respond'), 'the reader lands on #respond', page.url());
  check(await page.inputValue('#comment') === 'A thought I do not want to lose.', 'with the text kept');
  const box = await page.locator('#respond').boundingBox();
  check(box && box.y >= -1 && box.y < 900, 'the form is scrolled into view', JSON.stringify(box));
  check((await page.textContent('#respond')).includes('Please enter your name.'), 'with the error shown there');
  await page.screenshot({ path: path.join(outdir, 'readers-respond-error.png') });

  // 6. screenshots: an article with its subscribe box, the 404 page
  await page.goto(base + '/posts/one');
  const order = await page.evaluate(() => {
    const y = (s) => { const e = document.querySelector(s); return e ? e.getBoundingClientRect().top : -1; };
    return [y('.author-box'), y('.subscribe-box'), y('#comments')];
  });
  check(order[0] > 0 && order[0] < order[1] && order[1] < order[2], 'the subscribe box sits between the author box and the comments', order);
  check(await page.isVisible('.subscribe-box'), 'and is visible');
  await page.screenshot({ path: path.join(outdir, 'readers-article.png'), fullPage: true });
  const nf = await page.goto(base + '/no/such/page');
  check(nf.status() === 404, 'an unknown address answers 404', nf.status());
  check(await page.isVisible('.not-found-search input[type=search]'), 'the 404 page offers a search');
  check((await page.$$('.recent-posts a')).length === 2, 'and the recent posts');
  await page.screenshot({ path: path.join(outdir, 'readers-404.png'), fullPage: true });
  check(errors.length === 0, 'no script error in the console', errors.join(' | '));
  await browser.close();
})().catch((e) => { check(false, 'the browser script ran to the end', String(e && e.stack || e)); process.exit(1); });
