// learn.test.mjs - the analysis in Chromium: a coordinator signs in, opens the analysis from the
// back office, filters it by sector, follows a row of the forest plot to the cases behind it and
// opens one; a visitor reads the public findings on a 360 px screen. No console errors or CSP
// violations; screenshots in tests/artifacts/learn-*.png.
// Run: cd tests && node --test browser/   (needs build/coexist and Debian's /usr/bin/chromium)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, ROOT } from '../lib/server.mjs';
import { addUser, sql, t, PASSWORD } from '../lib/client.mjs';

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
  const context = await browser.newContext({ viewport: { width, height: 800 }, locale: 'en-GB', extraHTTPHeaders: { 'Accept-Language': 'en' } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { context, page, problems };
}

const h1 = async (page) => (await page.locator('main h1').innerText()).trim();
const path = (page) => { const u = new URL(page.url()); return u.pathname + u.search; };

async function submit(page, selector) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

async function assertNoHorizontalScroll(page, width) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `no horizontal scroll at ${width} px (${scrollWidth} > ${innerWidth})`);
}

// The cases of the analysis (submitted, agreed to it) that answered `value` to `key`, as SQL.
const CASE = "r.status = 'submitted' AND EXISTS (SELECT 1 FROM consents c WHERE c.response_id = r.id AND c.use = 'consent_analysis' AND c.given = 1)";
const has = (key, value) => `EXISTS (SELECT 1 FROM answers a WHERE a.response_id = r.id AND a.question_key = '${key}' AND a.value = '${value}')`;
const TURNOVER = 'Staff turnover or loss of the champion';
const caseIds = (where) => sql(server.db, `SELECT r.id FROM responses r WHERE ${CASE} AND ${where} ORDER BY r.id`).split('\n').filter(Boolean).map(Number);

test('a coordinator filters the analysis by sector, follows the forest plot to the cases behind an obstacle, and opens one', async () => {
  const email = 'insight.coord@example.org';
  addUser(server, 'coordinator', email, { name: 'Ines Analyst' });
  const { context, page, problems } = await openPage(1280);
  try {
    await page.goto(`${server.url}/admin`);
    assert.equal(path(page), '/signin?next=%2Fadmin');
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await submit(page, 'main button[type="submit"]');
    assert.equal(path(page), '/admin');

    // From the back office to the analysis.
    await submit(page, 'main a[href="/admin/insights"]');
    assert.equal(path(page), '/admin/insights');
    assert.equal(await h1(page), t('insight.title'));
    assert.ok(await page.locator('main figure.chart svg.chart-forest').isVisible(), 'the forest plot');
    const all = Number(await page.locator('main .filters + p strong').first().innerText());
    assert.equal(all, caseIds('1').length, 'every case that agreed to the analysis');
    await page.screenshot({ path: join(ARTIFACTS, 'learn-admin-1280.png'), fullPage: true });

    // Filter by sector.
    await page.selectOption('#i-sector', 'health');
    await submit(page, 'main form.filters button[type="submit"]');
    assert.match(path(page), /^\/admin\/insights\?sector=health&/);
    assert.equal(await page.inputValue('#i-sector'), 'health', 'the filter stays chosen');
    const health = caseIds(has('sectors', 'health'));
    assert.equal(Number(await page.locator('main .filters + p strong').first().innerText()), health.length, 'the cases of the health sector');
    assert.ok(health.length < all);

    // A row of the forest plot: staff turnover (a planted effect, at the top in health), to the
    // cases behind it.
    const row = page.locator('main svg.chart-forest a[href^="/admin/insights/cases?item=obstacle%3Aturnover&"]');
    assert.equal(await row.count(), 1, 'the forest plot has a row for staff turnover');
    assert.match(await row.getAttribute('href'), /&sector=health/, 'the link keeps the filter');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), row.locator('circle.est').click()]);
    assert.match(path(page), /^\/admin\/insights\/cases\?item=obstacle%3Aturnover&sector=health/);
    assert.equal(await h1(page), TURNOVER);
    const expected = caseIds(`${has('sectors', 'health')} AND ${has('obstacles', 'turnover')}`);
    const links = page.locator('main ul.plain-list a');
    const shown = (await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).map((h) => Number(h.split('/').pop()));
    assert.deepEqual(shown, expected, 'the health cases that met staff turnover');
    assert.ok((await page.locator('main').innerText()).includes(`${expected.length} ${t('insight.counts.cases')}`));
    await page.screenshot({ path: join(ARTIFACTS, 'learn-admin-cases-1280.png'), fullPage: true });

    // One of them.
    await submit(page, `main ul.plain-list a[href="/admin/responses/${expected[0]}"]`);
    assert.equal(path(page), `/admin/responses/${expected[0]}`);
    const answers = await page.locator('main').innerText();
    assert.ok(answers.includes(TURNOVER) && answers.includes('Health'), 'the response shows the obstacle and the sector');
    await page.screenshot({ path: join(ARTIFACTS, 'learn-admin-response-1280.png'), fullPage: true });

    // Back to the filtered analysis, this time by a link of the table: the successful ones.
    await page.goBack();
    await submit(page, 'main p a[href^="/admin/insights?x=1"]');
    assert.match(path(page), /^\/admin\/insights\?x=1&sector=health/);
    const success = page.locator('main table a[href*="item=obstacle%3Aturnover&outcome=success"]');
    await submit(page, `main table a[href="${await success.getAttribute('href')}"]`);
    assert.equal(await h1(page), `${TURNOVER} — ${t('insight.outcome.success')}`);
    assert.ok(await page.locator('main ul.plain-list a').count() > 0);
    assert.deepEqual(problems, [], 'no console errors, page errors or CSP violations');
  } finally {
    await context.close();
  }
});

test('a visitor reads the public findings on a 360 px screen: charts shown, nothing wider than the screen', async () => {
  const { context, page, problems } = await openPage(360);
  try {
    await page.goto(`${server.url}/learn`);
    assert.equal(path(page), '/learn');
    assert.equal(await h1(page), t('learn.title'));
    const text = await page.locator('main').innerText();
    assert.ok(text.includes(t('learn.caveat')), 'the caveat');
    assert.ok(!text.includes(t('learn.not_enough')));
    const charts = page.locator('main figure.chart svg');
    assert.ok(await charts.count() >= 3, 'success rates, forest plot and obstacles');
    for (let i = 0; i < await charts.count(); i++) {
      const chart = charts.nth(i);
      assert.ok(await chart.isVisible(), `chart ${i} visible`);
      const box = await chart.boundingBox();
      assert.ok(box && box.width > 200 && box.height > 50 && box.x >= 0 && box.x + box.width <= 360, `chart ${i} fits the screen: ${JSON.stringify(box)}`);
    }
    assert.ok(await page.locator('main p.finding').count() >= 10, 'findings in sentences');
    assert.equal(await page.locator('main a[href^="/admin/"]').count(), 0, 'no link to the coordinators\' pages');
    await assertNoHorizontalScroll(page, 360);
    await page.screenshot({ path: join(ARTIFACTS, 'learn-public-360.png'), fullPage: true });

    // Filtered down to too few cases: the page says so.
    await page.selectOption('#i-sector', 'housing_shelter');
    await submit(page, 'main form.filters button[type="submit"]');
    assert.ok((await page.locator('main').innerText()).includes(t('learn.not_enough')));
    assert.equal(await page.locator('main figure.chart').count(), 0);
    await assertNoHorizontalScroll(page, 360);
    await page.screenshot({ path: join(ARTIFACTS, 'learn-public-few-360.png'), fullPage: true });
    assert.deepEqual(problems, [], 'no console errors, page errors or CSP violations');
  } finally {
    await context.close();
  }
});
