// media.js: a real browser in the media library: uploads two images at once, copies one's
// Markdown with the Copy button, uses it in a post (the article's srcset loads), is refused
// deleting it, deletes the other, and screenshots the library.
// Usage: node media.js BASE_URL OUTDIR NAME PASSWORD (files in QUIRE_MEDIA_FILES, ':'-separated).
const { chromium } = require('playwright-core');
const path = require('path');

const [base, outdir, name, password] = process.argv.slice(2);
const files = (process.env.QUIRE_MEDIA_FILES || '').split(':');
const check = (ok, desc, detail) => console.log(JSON.stringify({ ok: !!ok, desc, detail: detail || '' }));

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => {
    // the refusal below answers 409 on purpose
    if (msg.type() === 'error' && !msg.text().includes('status of 409')) errors.push(msg.text());
  });

  await page.goto(base + '/admin/login');
  await page.fill('#name', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/login"] button[type=submit]')]);

  await page.goto(base + '/admin/media');
  await page.setInputFiles('#images', files);
  await Promise.all([page.waitForNavigation(), page.click('form.upload button[type=submit]')]);
  check((await page.textContent('#upload-summary')).includes('2 stored'), 'two images uploaded at once',
    await page.textContent('#upload-summary'));
  const items = await page.$$eval('li.media-item', (lis) => lis.map((li) => ({
    name: li.getAttribute('data-name'), text: li.textContent,
  })));
  check(items.length === 2, 'both are in the library', JSON.stringify(items));
  const boats = items.find((i) => i.text.includes('boats.jpg'));
  const chart = items.find((i) => i.text.includes('chart.png'));
  check(boats && chart, 'each listed by its file name');
  check(boats && boats.text.includes('1800 × 1200'), 'with its dimensions');

  // Copy: the button appears with JavaScript and puts the Markdown on the clipboard
  const id = await page.getAttribute(`li[data-name="${boats.name}"] button.copy`, 'data-copy');
  check(await page.isVisible(`li[data-name="${boats.name}"] button.copy`), 'the Copy button shows');
  await page.click(`li[data-name="${boats.name}"] button.copy`);
  await page.waitForFunction((b) => b.textContent === 'Copied',
    await page.$(`li[data-name="${boats.name}"] button.copy`));
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  const md = await page.inputValue('#' + id);
  check(clip === md && md === `![](/media/${boats.name})`, 'Copy puts the Markdown on the clipboard', clip);

  // alt text, then use it in a post
  await page.fill(`li[data-name="${boats.name}"] input[name=alt]`, 'Boats at dawn');
  await Promise.all([page.waitForNavigation(), page.click(`li[data-name="${boats.name}"] form.media-alt button`)]);
  check((await page.textContent('.notice')).includes('Alt text saved'), 'alt text saved');
  const md2 = await page.inputValue(`li[data-name="${boats.name}"] input.copy-source`);
  check(md2 === `![Boats at dawn](/media/${boats.name})`, 'the Markdown now carries it', md2);

  await page.goto(base + '/admin/posts/new');
  await page.fill('#title', 'Boats');
  await page.fill('#body', 'Early.\n\n' + md2 + '\n');
  await Promise.all([page.waitForNavigation(), page.click('button[value=publish]')]);
  await page.goto(base + '/posts/boats');
  const img = await page.waitForSelector('.entry-content img');
  await page.waitForFunction((i) => i.complete && i.naturalWidth > 0, img);
  const got = await img.evaluate((i) => ({ src: i.currentSrc, srcset: i.srcset, w: i.naturalWidth }));
  check(got.srcset.includes('-480w.jpg 480w') && got.srcset.includes(' 1800w'), 'the article has a srcset', got.srcset);
  check(got.src.includes('/media/' + boats.name.replace('.jpg', '')) && got.w > 0,
    'and the browser loaded one of its images', JSON.stringify(got));

  // the used one cannot be deleted; the other can
  const refused = await page.goto(base + `/admin/media/${boats.name}/delete`);
  check(refused.status() === 409 && (await page.textContent('h1')).includes('in use'),
    'deleting the used image is refused (409)', refused.status());
  check((await page.textContent('.media-uses')).includes('Boats'), 'the refusal names the post');
  await page.goto(base + '/admin/media');
  await Promise.all([page.waitForNavigation(), page.click(`li[data-name="${chart.name}"] a.danger`)]);
  await Promise.all([page.waitForNavigation(), page.click('button.danger')]);
  check((await page.textContent('.notice')).includes('deleted'), 'the unused image is deleted');
  const left = await page.$$eval('li.media-item', (lis) => lis.map((li) => li.getAttribute('data-name')));
  check(left.length === 1 && left[0] === boats.name, 'only the used one is left', left.join(','));
  const gone = await page.request.get(base + '/media/' + chart.name);
  check(gone.status() === 404, 'its file is gone', gone.status());
  check((await page.textContent(`li[data-name="${boats.name}"] .media-uses`)).includes('Boats'),
    'the library says where the image is used');
  await page.screenshot({ path: path.join(outdir, 'admin-media-library.png'), fullPage: true });
  check(errors.length === 0, 'no console errors (CSP included)', errors.join(' | '));
  await browser.close();
})().catch((e) => { check(false, 'the script ran to its end', String(e.stack || e)); process.exit(1); });
