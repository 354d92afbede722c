// comments.js: a reader leaves a comment in Chromium, an admin approves it in another browser
// context, and the reader sees it. Usage: node comments.js BASE OUTDIR ADMIN PASSWORD.
const { chromium } = require('playwright-core');
const path = require('path');

const [base, outdir, admin, password] = process.argv.slice(2);
const check = (ok, desc, detail) => console.log(JSON.stringify({ ok: !!ok, desc, detail: detail || '' }));

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'] });
  const reader = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  const external = [];
  reader.on('request', (req) => { if (!req.url().startsWith(base)) external.push(req.url()); });

  await reader.goto(base + '/posts/hello');
  check((await reader.textContent('.comments-title')).includes('No responses yet'), 'the article says No responses yet');
  check(await reader.isVisible('#commentform'), 'the Leave a Reply form is visible');
  check(!(await reader.isVisible('input[name=leave_empty]')), 'the honeypot is not visible to a person');
  await reader.fill('#comment', 'What a *lovely* harbour. More at https://example.org/boats');
  await reader.fill('#author', 'Marie Reader');
  await reader.fill('#email', 'marie@example.org');
  await reader.check('input[name=notify]');
  await Promise.all([reader.waitForNavigation(), reader.click('#commentform button[type=submit]')]);
  check(reader.url().includes('unapproved='), 'after posting, the reader lands on the article', reader.url());
  check((await reader.content()).includes('Your comment is awaiting moderation.'), 'with the moderation notice');
  check((await reader.innerHTML('.comment-content')).includes('<em>lovely</em>'), 'and sees their own held comment');
  await reader.screenshot({ path: path.join(outdir, 'comment-held.png'), fullPage: true });

  const adminPage = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  await adminPage.goto(base + '/admin/comments');
  await adminPage.fill('#name', admin);
  await adminPage.fill('#password', password);
  await Promise.all([adminPage.waitForNavigation(), adminPage.click('form[action="/admin/login"] button[type=submit]')]);
  check(adminPage.url().startsWith(base + '/admin/comments'), 'the admin lands on the comments', adminPage.url());
  check((await adminPage.textContent('#tab-pending')).includes('(1)'), 'the Pending tab counts 1');
  check((await adminPage.content()).includes('marie@example.org'), 'the admin sees the email');
  await adminPage.screenshot({ path: path.join(outdir, 'admin-comments.png'), fullPage: true });
  await Promise.all([adminPage.waitForNavigation(), adminPage.click('.admin-comment button[value=approve]')]);
  check((await adminPage.textContent('#tab-pending')).includes('(0)'), 'after Approve nothing is pending');

  await reader.goto(base + '/posts/hello');
  check((await reader.textContent('.comments-title')).includes('1 Response'), 'the reader sees 1 Response');
  check((await reader.textContent('.comment .fn')).includes('Marie Reader'), 'and the comment by name');
  check(!(await reader.content()).includes('marie@example.org'), 'never the email');
  const rel = await reader.getAttribute('.comment-content a', 'rel');
  check(rel === 'nofollow ugc', 'links in comments are nofollow ugc', rel);
  await reader.click('.comment a.reply');
  check((await reader.textContent('#reply-title')).includes('Leave a Reply to Marie Reader'), 'Reply opens the form for a reply');
  await reader.screenshot({ path: path.join(outdir, 'comment-approved.png'), fullPage: true });
  check(external.length === 0, 'the reader made no request to another host', external.join(' '));
  await browser.close();
})().catch((e) => { check(false, 'the browser script ran to the end', String(e && e.stack || e)); process.exit(1); });
