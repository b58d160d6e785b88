// The web app in a real browser (Debian's chromium via playwright-core):
// search, the article view's highlights, the map, the timeline with its
// brush, and a hostile page whose markup must show as text and never run.
// Started by run.sh with GLEANER_URL (a running `gleaner serve`) and SHOTS
// (where screenshots go).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const base = process.env.GLEANER_URL;
const shots = process.env.SHOTS || '.';
assert.ok(base, 'GLEANER_URL must name the running server');

let browser;
let page;
const pageErrors = [];
const dialogs = [];
const foreignRequests = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    // The machine's network is closed: without these, chromium's own
    // background connections fail noisily at start.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreignRequests.push(r.url()); });
});

after(async () => {
  await browser?.close();
});

async function api(path) {
  const resp = await fetch(base + path);
  assert.equal(resp.status, 200, path);
  return resp.json();
}

test('a search returns the expected article, with facets', async () => {
  await page.goto(base + '/#/search?q=harbour%20storm');
  await page.waitForSelector('.results li');
  const first = await page.textContent('.results li .title');
  assert.match(first, /Port Ellery harbour floods/);
  assert.ok(await page.locator('.results mark').count() >= 1, 'matched words are marked in the snippet');
  assert.ok(await page.locator('.facets li').count() >= 1, 'facets are listed');
  // Typing in the search box and submitting goes through the same route.
  await page.fill('#q', 'ferry strike');
  await page.press('#q', 'Enter');
  await page.waitForFunction(() => /Lisbon ferry/.test(document.querySelector('.results li .title')?.textContent || ''));
  await page.screenshot({ path: `${shots}/search.png` });
});

test('the article page highlights a quote and its speaker', async () => {
  const hit = (await api('/api/records?place=Hyesan')).records[0];
  const rec = await api('/api/records/' + hit.id);
  const quoted = rec.quotes.findIndex((q) => q.speaker);
  assert.ok(quoted >= 0, 'the reprint has an attributed quote');
  await page.goto(base + '/#/search?place=Hyesan');
  await page.click(`.results a[href="#/article/${hit.id}"]`);
  await page.waitForSelector('#record-text .hl-quote');
  assert.equal(await page.textContent('#record-title'), rec.title);
  const quoteText = (await page.locator(`[data-quote="${quoted}"]`).allTextContents()).join('');
  assert.equal(quoteText, rec.quotes[quoted].text);
  const speakerText = (await page.locator(`[data-speaker-of="${quoted}"]`).allTextContents()).join('');
  assert.equal(speakerText, rec.quotes[quoted].speaker);
  assert.equal(await page.locator('.quote-item .speaker').first().textContent(), rec.quotes[quoted].speaker);
  for (const cls of ['hl-ent-PLACE', 'hl-time', 'hl-qty', 'hl-event']) {
    assert.ok(await page.locator('#record-text .' + cls).count() >= 1, `${cls} is highlighted`);
  }
  assert.match(await page.textContent('.meta-table'), /Radio Free Asia/, 'the syndication source is shown');
  // A counted figure shows what it counts (the record's `counted`), not a unit.
  const counted = rec.quantities.find((q) => q.counted && !q.unit);
  assert.ok(counted, 'the reprint counts something ("six civilians")');
  const figureItems = await page.locator('aside li').allTextContents();
  assert.ok(figureItems.includes(`${counted.text} = ${counted.value} ${counted.counted}`), 'the figure lists its counted noun');
  await page.screenshot({ path: `${shots}/article.png`, fullPage: false });
});

test('a page read from a WARC shows its archived copy', async () => {
  const hit = (await api('/api/records?q=Example+Domain')).records[0];
  assert.ok(hit, 'the WARC page was ingested');
  const rec = await api('/api/records/' + hit.id);
  await page.goto(base + '/#/article/' + hit.id);
  await page.waitForSelector('.meta-table');
  const meta = await page.textContent('.meta-table');
  assert.match(meta, /Archived copy/);
  assert.ok(meta.includes(`fetched at ${rec.fetched_at}, digest ${rec.input.payload_digest}`), meta);
  assert.ok(meta.includes(`example.warc.gz at byte ${rec.input.offset}`), meta);
});

test('a page fetched by gleaner watch shows its archived copy and is in the Atom feed', async () => {
  const hit = (await api('/api/records?q=reservoir+lowland')).records[0];
  assert.ok(hit, 'the watched page was stored');
  const rec = await api('/api/records/' + hit.id);
  assert.match(rec.input.payload_digest || '', /^sha1:[A-Z2-7]{32}$/);
  await page.goto(base + '/#/article/' + hit.id);
  await page.waitForSelector('.meta-table');
  const meta = await page.textContent('.meta-table');
  assert.ok(meta.includes(`fetched at ${rec.fetched_at}, digest ${rec.input.payload_digest}`), meta);
  assert.match(meta, /\.warc\.gz at byte \d+/);
  await page.screenshot({ path: `${shots}/watched-article.png`, fullPage: true });
  const resp = await fetch(base + '/api/records.atom?q=reservoir+lowland');
  assert.equal(resp.status, 200);
  assert.match(resp.headers.get('content-type'), /application\/atom\+xml/);
  const atom = await resp.text();
  assert.equal((atom.match(/<entry>/g) || []).length, 1, atom);
  assert.ok(atom.includes('<title type="text">Reservoir levels fall in the lowland districts</title>'), atom);
  assert.ok(atom.includes(`href="${rec.url}"`), atom);
});

test('the map shows country outlines and clustered markers', async () => {
  await page.goto(base + '/#/map');
  await page.waitForSelector('.gl-cluster.gl-places');
  await page.waitForSelector('.gl-cluster.gl-events');
  assert.ok(await page.locator('.leaflet-overlay-pane canvas').count() >= 1, 'outlines are drawn');
  const counts = await page.locator('.gl-cluster').evaluateAll((els) => els.map((e) => Number(e.dataset.count)));
  assert.ok(counts.length >= 2 && counts.every((n) => n >= 1), String(counts));
  await page.screenshot({ path: `${shots}/map.png` });
  // A marker opens a list linking to the articles.
  await page.locator('.gl-cluster.gl-places').first().click();
  await page.waitForSelector('.leaflet-popup-content a');
});

test('the timeline shows bars and brushing filters the list', async () => {
  await page.goto(base + '/#/timeline');
  await page.waitForSelector('rect.gl-bar');
  const bars = await page.locator('rect.gl-bar').count();
  assert.ok(bars >= 3, `${bars} bars`);
  await page.waitForSelector('#range-label');
  const allRows = await page.locator('table.events tbody tr').count();
  // Drag over the first bar only.
  const bar = await page.locator('rect.gl-bar').first().boundingBox();
  const bucket = await page.locator('rect.gl-bar').first().getAttribute('data-bucket');
  await page.mouse.move(bar.x + 1, bar.y + bar.height / 2);
  await page.mouse.down();
  await page.mouse.move(bar.x + bar.width - 1, bar.y + bar.height / 2, { steps: 3 });
  await page.mouse.up();
  // Monthly buckets: the range is that one month.
  await page.waitForFunction((b) => (document.querySelector('#range-label')?.textContent || '').includes(`from ${b} to ${b}`), bucket);
  const rows = await page.locator('table.events tbody tr').count();
  assert.ok(rows >= 1 && rows < allRows, `brushed ${rows} of ${allRows}`);
  const dates = await page.locator('table.events tbody tr td:first-child').allTextContents();
  assert.ok(dates.every((d) => d.startsWith(bucket)), `${bucket}: ${dates}`);
  await page.screenshot({ path: `${shots}/timeline.png` });
});

test("a hostile page's markup shows as text and its scripts never run", async () => {
  const hit = (await api('/api/records?q=pranksters')).records[0];
  assert.ok(hit, 'the hostile page was ingested');
  await page.goto(base + '/#/search?q=pranksters');
  await page.waitForSelector('.results li');
  await page.goto(base + '/#/article/' + hit.id);
  await page.waitForSelector('#record-text');
  const text = await page.textContent('#record-text');
  assert.ok(text.includes("<script>window.__gleanerPwned = 'article text ran'</script>"), 'the script tag is shown as text');
  assert.match(await page.textContent('#record-title'), /<b onmouseover=alert\(1\)>/);
  await page.hover('#record-title');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__gleanerPwned), undefined);
  assert.equal(await page.locator('#record-text script, #record-text img, #record-title b').count(), 0);
  assert.deepEqual(dialogs, []);
  await page.screenshot({ path: `${shots}/hostile.png` });
});

test('nothing was loaded from elsewhere and no page error occurred', () => {
  assert.deepEqual(foreignRequests, []);
  assert.deepEqual(pageErrors, []);
});
