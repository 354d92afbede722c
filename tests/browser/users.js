// users.js: a real browser (Debian's chromium through playwright-core) through the users flows:
// an admin adds an author, the author sets a password from the mailed link, logs in, writes a
// post, is refused the admin's post and the admin pages; forgot password; the author photo.
// Usage: node users.js BASE_URL OUTDIR MAILDIR ADMIN_POST_ID PHOTO. Prints one JSON object per check.
const { chromium } = require('playwright-core');
const { execFileSync } = require('child_process');
const path = require('path');

const [base, outdir, maildir, adaPost, photo] = process.argv.slice(2);
const check = (ok, desc, detail) => console.log(JSON.stringify({ ok: !!ok, desc, detail: detail || '' }));

// The set-password link of the nth mail to rcpt, read with Python's email package (the text part
// may be quoted-printable).
const READ_LINK = `
import email, email.policy, os, re, sys, time
d, rcpt, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
end = time.time() + 20
while time.time() < end:
    names = sorted(f for f in os.listdir(d) if f.endswith("-%s.eml" % rcpt))
    if len(names) >= n:
        with open(os.path.join(d, names[n - 1]), "rb") as f:
            m = email.message_from_binary_file(f, policy=email.policy.default)
        t = m.get_body(preferencelist=("plain",)).get_content()
        print(re.search(r"/admin/reset\\?token=[A-Za-z0-9_-]+", t).group(0))
        sys.exit(0)
    time.sleep(0.1)
sys.exit(1)
`;
function linkFor(rcpt, n) {
  try {
    return execFileSync('/usr/bin/python3', ['-c', READ_LINK, maildir, rcpt, String(n)]).toString().trim();
  } catch (e) {
    return null;
  }
}

async function login(page, name, password) {
  await page.goto(base + '/admin/login');
  await page.fill('#name', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/login"] button[type=submit]')]);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  const admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await login(admin, 'Ada Lovelace', 'correct horse battery');
  await admin.click('a[href="/admin/users"]');
  check(admin.url() === base + '/admin/users', 'the admin opens Users from the admin bar', admin.url());
  await admin.fill('#new-name', 'Grace Hopper');
  await admin.fill('#new-email', 'grace@example.org');
  await admin.fill('#new-bio', 'Wrote the first compiler.');
  await admin.selectOption('#new-role', 'author');
  await Promise.all([admin.waitForNavigation(), admin.click('form[action="/admin/users"] button[type=submit]')]);
  check((await admin.textContent('.notice')).includes('link to set their password'), 'adding an author says a link was mailed');
  const rows = await admin.$$eval('tr.user-row', (trs) => trs.map((t) => t.textContent));
  check(rows.some((t) => t.includes('Grace Hopper') && t.includes('grace@example.org')), 'the list shows the new author', rows.join(' | '));
  await admin.screenshot({ path: path.join(outdir, 'users-list.png'), fullPage: true });

  // the author's own browser
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const link = linkFor('grace@example.org', 1);
  check(link, 'the set-password mail arrives with a link', link);
  await page.goto(base + link);
  check(await page.isVisible('#password2'), 'the link opens the new-password form');
  await page.screenshot({ path: path.join(outdir, 'users-set-password.png'), fullPage: true });
  await page.fill('#password', 'grace first password');
  await page.fill('#password2', 'grace first password');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/reset"] button[type=submit]')]);
  check(page.url().startsWith(base + '/admin/login') && (await page.textContent('.notice')).includes('password is set'),
        'setting it lands on the login, which says so', page.url());
  await page.fill('#name', 'grace@example.org');
  await page.fill('#password', 'grace first password');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/login"] button[type=submit]')]);
  check(page.url() === base + '/admin/', 'the author logs in', page.url());
  check(!(await page.isVisible('a[href="/admin/users"]')), 'an author sees no Users link');

  await page.goto(base + '/admin/posts/new');
  await page.fill('#title', 'Grace writes');
  await page.fill('#body', 'A post by *Grace*.');
  await Promise.all([page.waitForNavigation(), page.click('button[value=publish]')]);
  check((await page.textContent('.notice')).includes('Published'), 'the author publishes a post');
  let r = await page.goto(base + '/admin/posts/' + adaPost + '/edit');
  check(r.status() === 403, "the admin's post answers 403 to the author", r.status());
  await page.screenshot({ path: path.join(outdir, 'users-author-403.png'), fullPage: true });
  for (const p of ['/admin/users', '/admin/subscribers', '/admin/stats']) {
    r = await page.goto(base + p);
    check(r.status() === 403, p + ' answers 403 to the author', r.status());
  }
  await page.goto(base + '/admin/posts');
  const titles = await page.$$eval('tr.post-row', (trs) => trs.map((t) => t.textContent));
  check(titles.some((t) => t.includes('Grace writes')) && !titles.some((t) => t.includes("Ada's post")),
        'the author lists only their own posts', titles.join(' | '));

  // the photo
  await page.goto(base + '/admin/profile');
  await page.setInputFiles('#photo-file', photo);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/profile/photo"] button[type=submit]')]);
  check((await page.textContent('.notice')).includes('photo was saved'), 'the photo uploads from the profile');
  await page.screenshot({ path: path.join(outdir, 'users-profile.png'), fullPage: true });
  await page.goto(base + '/posts/grace-writes');
  const img = await page.$('.author-box img.author-photo');
  check(img, 'the article shows the photo in the author box');
  if (img) {
    const a = await img.evaluate((e) => ({ w: e.getAttribute('width'), h: e.getAttribute('height'), alt: e.getAttribute('alt'),
                                           nw: e.naturalWidth, done: e.complete }));
    check(a.w === '64' && a.h === '64' && a.alt === '', 'with width, height and alt ""', JSON.stringify(a));
    check(a.done && a.nw === 192, 'the stored photo is 192 px wide and loads', JSON.stringify(a));
  }
  await page.screenshot({ path: path.join(outdir, 'users-article-photo.png'), fullPage: true });

  // forgot password, in a browser with no session
  const anon = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await anon.goto(base + '/admin/login');
  await Promise.all([anon.waitForNavigation(), anon.click('text=Forgot password?')]);
  await anon.fill('#who', 'grace@example.org');
  await Promise.all([anon.waitForNavigation(), anon.click('form[action="/admin/forgot"] button[type=submit]')]);
  check((await anon.textContent('.notice')).includes('If that account exists'), 'the forgot form answers without saying more');
  await anon.screenshot({ path: path.join(outdir, 'users-forgot.png'), fullPage: true });
  const link2 = linkFor('grace@example.org', 2);
  check(link2 && link2 !== link, 'a second mail brings a new link', link2);
  await anon.goto(base + link2);
  await anon.fill('#password', 'grace second password');
  await anon.fill('#password2', 'grace second password');
  await Promise.all([anon.waitForNavigation(), anon.click('form[action="/admin/reset"] button[type=submit]')]);
  await anon.fill('#name', 'Grace Hopper');
  await anon.fill('#password', 'grace second password');
  await Promise.all([anon.waitForNavigation(), anon.click('form[action="/admin/login"] button[type=submit]')]);
  check(anon.url() === base + '/admin/', 'the author logs in with the new password', anon.url());
  r = await page.goto(base + '/admin/');
  check(page.url().startsWith(base + '/admin/login'), 'the reset ended the earlier session', page.url());
  r = await anon.goto(base + link2);
  check(r.status() === 410, 'the used link no longer works', r.status());
  await browser.close();
})().catch((e) => { check(false, 'the script ran to its end', String(e.stack || e)); process.exit(1); });
