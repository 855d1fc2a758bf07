// cases.test.mjs - the Showcase in Chromium: a visitor filters the catalogue by sector and by
// country, searches, opens a case and downloads its one-page sheet (rendered to
// tests/artifacts/case-sheet-browser.png), then opens the map and follows a country to its cases;
// the same pages on a 360 px screen. No console errors or CSP violations; screenshots in
// tests/artifacts/cases-*.png.
// Run: cd tests && node --test browser/   (needs build/coexist, Debian's /usr/bin/chromium and poppler-utils)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, ROOT } from '../lib/server.mjs';
import { sql, t } from '../lib/client.mjs';

const ARTIFACTS = join(ROOT, 'tests', 'artifacts');

let server;
let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer({ demo: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// A fresh English-speaking browser at `width`, recording console errors, page errors and CSP
// violations.
async function openPage(width) {
  const context = await browser.newContext({
    viewport: { width, height: 800 }, locale: 'en-GB', acceptDownloads: true, extraHTTPHeaders: { 'Accept-Language': 'en' },
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()} (${msg.location().url})`); });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { context, page, problems };
}

const h1 = async (page) => (await page.locator('main h1').innerText()).trim();
const path = (page) => { const u = new URL(page.url()); return u.pathname + u.search; };

async function follow(page, locator) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
}

async function assertNoHorizontalScroll(page, width) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `no horizontal scroll at ${width} px on ${path(page)} (${scrollWidth} > ${innerWidth})`);
}

// The SQL condition of a case visible on the web (case_public_view()).
const PUBLIC = "state = 'published' AND (web_consent = 'named' OR (web_consent = 'anonymised' AND texts_reviewed = 1))";
const countWith = (facet, value, and = '') => Number(sql(server.db, `SELECT count(*) FROM cases c WHERE ${PUBLIC}`
  + ` AND EXISTS (SELECT 1 FROM case_facets f WHERE f.case_id = c.id AND f.facet = '${facet}' AND f.value = '${value}')${and}`));

// The facet group of the catalogue named by its heading.
const facet = (page, name) => page.locator('main aside.facets details.facet').filter({ has: page.locator(`summary:text-is("${t(`cases.facet.${name}`)}")`) });
const cards = (page) => page.locator('main article.case-card');
// "N partnerships", above the list.
const total = async (page) => Number(/^(\d+)/.exec((await page.locator('main .catalogue .container > p.muted').innerText()).trim())[1]);

test('a visitor filters the catalogue by sector then country, searches, opens a case and downloads its one-page sheet', async (tt) => {
  const { context, page, problems } = await openPage(1280);
  try {
    await page.goto(`${server.url}/cases`);
    assert.equal(await h1(page), t('cases.title'));
    const all = Number(sql(server.db, `SELECT count(*) FROM cases WHERE ${PUBLIC}`));
    assert.equal(await total(page), all, 'the count of published cases');
    assert.equal(await cards(page).count(), Math.min(all, 20));
    await page.screenshot({ path: join(ARTIFACTS, 'cases-catalogue-1280.png'), fullPage: true });

    // By sector.
    const health = facet(page, 'sector').locator('a[href="/cases?sector=health"]');
    const healthN = Number(/\((\d+)\)/.exec(await health.locator('xpath=..').innerText())[1]);
    await follow(page, health);
    assert.equal(path(page), '/cases?sector=health');
    assert.equal(healthN, countWith('sector', 'health'));
    assert.equal(await total(page), healthN, 'as many as the facet said');
    assert.equal(await cards(page).count(), Math.min(healthN, 20));
    assert.equal(await facet(page, 'sector').locator('a[aria-current="true"]').innerText(), 'Health', 'the sector is marked');

    // Then by country, within the sector.
    const countryLink = facet(page, 'country').locator('a').first();
    const href = await countryLink.getAttribute('href');
    const code = new URL(href, server.url).searchParams.get('country');
    await follow(page, countryLink);
    assert.equal(path(page), `/cases?sector=health&country=${code}`, 'both filters in the URL');
    const both = countWith('sector', 'health', ` AND EXISTS (SELECT 1 FROM case_facets g WHERE g.case_id = c.id AND g.facet = 'country' AND g.value = '${code}')`);
    assert.equal(await total(page), both);
    assert.equal(await cards(page).count(), Math.min(both, 20));
    assert.equal(await facet(page, 'country').locator('a[aria-current="true"]').count(), 1);
    await page.screenshot({ path: join(ARTIFACTS, 'cases-filtered-1280.png'), fullPage: true });
    // The URL is the state: reloaded, the same view.
    await page.reload();
    assert.equal(await total(page), both);

    // Search: a singular finds the demo's plural, highlighted.
    const demo = sql(server.db, "SELECT id || '|' || title_fr FROM cases WHERE title_fr LIKE 'Former les agents de santé%'").split('|');
    await page.fill('#q', 'agent');
    await follow(page, page.locator('main form.search button[type="submit"]'));
    assert.equal(path(page), '/cases?q=agent');
    const hit = page.locator(`main article.case-card h2 a[href="/cases/${demo[0]}"]`);
    assert.equal(await hit.count(), 1, 'the case about health workers is found');
    assert.equal(await hit.locator('mark').first().innerText(), 'agents', 'the word marked as written');
    await page.screenshot({ path: join(ARTIFACTS, 'cases-search-1280.png'), fullPage: true });

    // The case.
    await follow(page, hit);
    assert.equal(path(page), `/cases/${demo[0]}`);
    assert.equal(await h1(page), demo[1]);
    const text = await page.locator('main').innerText();
    assert.ok(text.includes(t('cases.parties')) && text.includes(t('cases.facts')));
    await page.screenshot({ path: join(ARTIFACTS, 'cases-case-1280.png'), fullPage: true });

    // Its sheet: a one-page PDF with the title.
    const sheet = page.locator('main a[href$="/sheet.pdf"]');
    assert.equal(await sheet.innerText(), t('cases.sheet'));
    const sheetHref = await sheet.getAttribute('href');
    // Chromium shows it in its viewer (or downloads it): either way, the bytes it received.
    const downloaded = page.waitForEvent('download', { timeout: 10000 }).catch(() => null);
    const [resp] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === sheetHref), sheet.click()]);
    assert.equal(resp.status(), 200);
    assert.match(resp.headers()['content-type'], /^application\/pdf/);
    const dl = await Promise.race([downloaded, new Promise((res) => setTimeout(res, 1000, null))]);
    let bytes;
    if (dl) {
      bytes = readFileSync(await dl.path());
    } else { // in the viewer, whose page is not the file: the same URL fetched by this browser's session
      const r = await context.request.get(`${server.url}${sheetHref}`);
      assert.equal(r.status(), 200);
      bytes = await r.body();
    }
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    const file = join(ARTIFACTS, 'case-sheet-browser.pdf');
    writeFileSync(file, bytes);
    const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
    assert.match(info.stdout, /^Pages:\s+1$/m, 'one page');
    const pdf = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
    assert.ok(pdf.includes(demo[1].replace(/\s+/g, ' ')), `the title in the sheet: ${pdf.slice(0, 300)}`);
    const png = spawnSync('pdftoppm', ['-png', '-r', '80', '-singlefile', '-f', '1', '-l', '1', file, join(ARTIFACTS, 'case-sheet-browser')]);
    assert.equal(png.status, 0, `pdftoppm: ${png.stderr}`);
    // Showing a PDF, Chromium asks for /favicon.ico, which the site does not serve (its pages
    // name /static/favicon.svg): that one 404 is the browser's, not a page's.
    const favicon = problems.filter((p) => /\/favicon\.ico\)$/.test(p));
    if (favicon.length) tt.diagnostic(`ignored: ${favicon.join('; ')}`);
    problems.splice(0, problems.length, ...problems.filter((p) => !favicon.includes(p)));
    assert.deepEqual(problems, [], 'no console errors, page errors or CSP violations');
  } finally {
    await context.close();
  }
});

test('a visitor opens the map and clicks a country: the catalogue of that country', async () => {
  const { context, page, problems } = await openPage(1280);
  try {
    await page.goto(`${server.url}/cases`);
    await follow(page, page.locator(`main a:text-is("${t('cases.map.link')}")`));
    assert.equal(path(page), '/cases/map');
    assert.equal(await h1(page), t('cases.map.title'));
    const svg = page.locator('main figure.map svg');
    assert.ok(await svg.isVisible(), 'the map is drawn');
    // The table says the same as the shapes.
    const rows = await page.locator('main table tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      href: tr.querySelector('a').getAttribute('href'), name: tr.querySelector('a').textContent, n: Number(tr.cells[1].textContent),
    })));
    assert.ok(rows.length >= 5, 'several countries');
    const bf = rows.find((r) => r.href === '/cases?country=BF');
    assert.ok(bf, 'Burkina Faso has cases');
    assert.equal(bf.n, countWith('country', 'BF'));
    assert.equal(await svg.locator('a[href="/cases?country=BF"] title').textContent(), `${bf.name} (${bf.n})`);
    await page.screenshot({ path: join(ARTIFACTS, 'cases-map-1280.png'), fullPage: true });

    await follow(page, svg.locator('a[href="/cases?country=BF"] path, a[href="/cases?country=BF"] circle').first());
    assert.equal(path(page), '/cases?country=BF');
    assert.equal(await h1(page), t('cases.title'));
    assert.equal(await total(page), bf.n, 'as many cases as the map said');
    assert.equal(await facet(page, 'country').locator('a[aria-current="true"]').innerText(), bf.name);

    // The world view.
    await page.goto(`${server.url}/cases/map?view=world`);
    assert.ok(await page.locator('main figure.map svg').isVisible());
    assert.deepEqual(problems, [], 'no console errors, page errors or CSP violations');
  } finally {
    await context.close();
  }
});

test('on a 360 px screen: the catalogue, a case and the map fit the screen', async () => {
  const { context, page, problems } = await openPage(360);
  try {
    await page.goto(`${server.url}/cases`);
    assert.ok(await cards(page).first().isVisible());
    await assertNoHorizontalScroll(page, 360);
    await page.screenshot({ path: join(ARTIFACTS, 'cases-catalogue-360.png'), fullPage: true });
    await follow(page, page.locator('main aside.facets a[href="/cases?sector=health"]'));
    await assertNoHorizontalScroll(page, 360);
    await follow(page, cards(page).first().locator('h2 a'));
    assert.match(path(page), /^\/cases\/\d+$/);
    await assertNoHorizontalScroll(page, 360);
    await page.screenshot({ path: join(ARTIFACTS, 'cases-case-360.png'), fullPage: true });
    await page.goto(`${server.url}/cases/map`);
    const box = await page.locator('main figure.map svg').boundingBox();
    assert.ok(box && box.width > 200 && box.x >= 0 && box.x + box.width <= 360, `the map fits: ${JSON.stringify(box)}`);
    await assertNoHorizontalScroll(page, 360);
    await page.screenshot({ path: join(ARTIFACTS, 'cases-map-360.png'), fullPage: true });
    assert.deepEqual(problems, [], 'no console errors, page errors or CSP violations');
  } finally {
    await context.close();
  }
});
