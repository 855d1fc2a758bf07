// home.test.mjs - the home page as a person sees it: French first, English by switch or by
// Accept-Language, readable on a 360 px phone and a 1280 px screen, keyboard first, no CSP errors.
// Run: cd tests && node --test browser/   (needs build/coexist and Debian's /usr/bin/chromium)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, ROOT } from '../lib/server.mjs';

const WIDTHS = [360, 1280];
const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
// DESIGN.md: total page weight under 150 KB.
const MAX_PAGE_BYTES = 150 * 1024;

// Reads locale/LANG.txt ("key = text" lines) so the test checks the texts the page should show
// without copying them here.
function loadCatalogue(lang) {
  const map = new Map();
  for (const line of readFileSync(join(ROOT, 'locale', `${lang}.txt`), 'utf8').split('\n')) {
    const s = line.trim();
    if (s === '' || s.startsWith('#')) continue;
    const eq = s.indexOf('=');
    if (eq > 0) map.set(s.slice(0, eq).trim(), s.slice(eq + 1).trim());
  }
  return map;
}
const T = { fr: loadCatalogue('fr'), en: loadCatalogue('en') };
const other = (lang) => (lang === 'fr' ? 'en' : 'fr');

let server;
let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
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

// Opens a fresh browser context (no cookies) whose browser asks for `acceptLanguage`, and a page
// that records console errors, uncaught exceptions, CSP violations and the bytes it downloads.
async function openPage(width, acceptLanguage) {
  const context = await browser.newContext({
    viewport: { width, height: 800 },
    locale: acceptLanguage === 'en' ? 'en-GB' : 'fr-FR',
    extraHTTPHeaders: { 'Accept-Language': acceptLanguage },
  });
  const page = await context.newPage();
  const problems = [];
  let bytes = 0;
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('response', async (res) => {
    try { bytes += (await res.body()).length; } catch { /* redirects and aborted requests have no body */ }
  });
  // CSP violations: Chromium writes its own "Refused to ..." report to a log that Playwright's
  // 'console' event does not carry, so the DOM event re-logs each one as a console error.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { context, page, problems, bytes: () => bytes };
}

// Checks what every rendering of the home page must satisfy, then keeps a full-page screenshot
// (when `shot` names one).
async function checkHome({ page, problems, bytes }, lang, width, shot) {
  await page.waitForLoadState('load');
  assert.equal(await page.getAttribute('html', 'lang'), lang, 'html lang');
  const h1 = page.locator('main h1');
  assert.equal(await h1.count(), 1, 'exactly one h1 in main');
  assert.ok(await h1.isVisible(), 'h1 visible');
  assert.equal((await h1.innerText()).trim(), T[lang].get('home.hero.heading'), 'h1 text in the page language');
  assert.equal(await page.title(), `${T[lang].get('home.title')} · COEXIST`, 'document title');

  // The five parts, each a card with a heading.
  const cards = page.locator('main .cards > .card');
  assert.equal(await cards.count(), 5, 'five cards');
  for (const part of ['collect', 'learn', 'showcase', 'connect', 'share']) {
    const heading = page.locator('main .card h3', { hasText: T[lang].get(`home.${part}.heading`) });
    assert.equal(await heading.count(), 1, `card heading for ${part}`);
  }
  // Landmarks.
  for (const sel of ['header.site-header', 'nav[aria-label]', 'main#main', 'footer.site-footer']) {
    assert.equal(await page.locator(sel).count(), 1, `landmark ${sel}`);
  }
  // The switch names the other language, in that language.
  const sw = page.locator('.lang-switch a');
  assert.equal((await sw.innerText()).trim(), T[other(lang)].get(`lang.name.${other(lang)}`), 'switch label');
  assert.equal(await sw.getAttribute('hreflang'), other(lang));
  assert.equal(await sw.getAttribute('lang'), other(lang));

  // The stylesheet applied (a missing or blocked CSS would leave the header unstyled).
  const headerBg = await page.locator('header.site-header').evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.notEqual(headerBg, 'rgba(0, 0, 0, 0)', 'site stylesheet applied');

  // No horizontal scrolling, at any width (the brief's main concern is 360 px phones).
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `no horizontal scroll at ${width} px (scrollWidth ${scrollWidth} > ${innerWidth})`);

  if (shot) await page.screenshot({ path: join(ARTIFACTS, shot), fullPage: true });
  assert.ok(bytes() < MAX_PAGE_BYTES, `page weight ${bytes()} bytes under ${MAX_PAGE_BYTES}`);
  assert.deepEqual(problems, [], 'no console errors, page errors or CSP violations');
}

for (const width of WIDTHS) {
  test(`home in French by default (Accept-Language fr) at ${width} px`, async () => {
    const p = await openPage(width, 'fr');
    try {
      const res = await p.page.goto(`${server.url}/`);
      assert.equal(res.status(), 200);
      assert.match(res.headers()['content-type'] || '', /^text\/html/);
      assert.ok(res.headers()['content-security-policy'], 'a Content-Security-Policy header is sent');
      await checkHome(p, 'fr', width, `home-fr-${width}.png`);
    } finally {
      await p.context.close();
    }
  });

  test(`home in English with Accept-Language en at ${width} px`, async () => {
    const p = await openPage(width, 'en');
    try {
      const res = await p.page.goto(`${server.url}/`);
      assert.equal(res.status(), 200);
      await checkHome(p, 'en', width, `home-en-${width}.png`);
    } finally {
      await p.context.close();
    }
  });

  test(`language switch is followed and remembered at ${width} px`, async () => {
    // The browser asks for French throughout: only the switch (and its cookie) can give English.
    const p = await openPage(width, 'fr');
    try {
      await p.page.goto(`${server.url}/`);
      assert.equal(await p.page.getAttribute('html', 'lang'), 'fr');

      // The switch may answer with the page or with a redirect to it: wait for the next load.
      await Promise.all([p.page.waitForEvent('load'), p.page.click('.lang-switch a')]);
      await checkHome(p, 'en', width, null);

      // Reload "/" without the query: the choice is remembered (the server set a cookie).
      await p.page.goto(`${server.url}/`);
      assert.equal(await p.page.getAttribute('html', 'lang'), 'en', 'English remembered after reload');
      assert.equal((await p.page.locator('main h1').innerText()).trim(), T.en.get('home.hero.heading'));

      // And back to French the same way.
      await Promise.all([p.page.waitForEvent('load'), p.page.click('.lang-switch a')]);
      assert.equal(await p.page.getAttribute('html', 'lang'), 'fr');
      await p.page.goto(`${server.url}/`);
      assert.equal(await p.page.getAttribute('html', 'lang'), 'fr', 'French remembered after reload');
      assert.deepEqual(p.problems, []);
    } finally {
      await p.context.close();
    }
  });
}

test('the skip link is the first focusable element and leads to main', async () => {
  const p = await openPage(360, 'fr');
  try {
    await p.page.goto(`${server.url}/`);
    await p.page.keyboard.press('Tab');
    const active = await p.page.evaluate(() => {
      const el = document.activeElement;
      return {
        tag: el.tagName, cls: el.className, href: el.getAttribute('href'), text: el.textContent.trim(),
      };
    });
    assert.equal(active.tag, 'A');
    assert.match(active.cls, /\bskip-link\b/);
    assert.equal(active.href, '#main');
    assert.equal(active.text, T.fr.get('skip.main'));
    // Transitions may run: wait until the focused link has slid into view.
    await p.page.waitForFunction(() => document.activeElement.getBoundingClientRect().top >= 0);
    assert.ok(await p.page.locator('.skip-link').isVisible(), 'skip link visible when focused');

    await p.page.keyboard.press('Enter');
    await p.page.waitForFunction(() => location.hash === '#main');
    const focused = await p.page.evaluate(() => document.activeElement.id);
    assert.equal(focused, 'main', 'focus moved to main');
    assert.deepEqual(p.problems, []);
  } finally {
    await p.context.close();
  }
});
