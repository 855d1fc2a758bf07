// auth.test.mjs - accounts as a person goes through them in Chromium: sign up on a phone, confirm
// from the mailed link, sign in; a coordinator reaches the back office and signs out. No console
// errors or CSP violations; screenshots in tests/artifacts/auth-*.png.
// Run: node --test tests/browser/   (needs build/coexist and Debian's /usr/bin/chromium)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, ROOT } from '../lib/server.mjs';
import { PASSWORD, mailDir, waitForMail, mailLink, addUser, sql, t } from '../lib/client.mjs';

const ARTIFACTS = join(ROOT, 'tests', 'artifacts');

let server;
let mail;
let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  mail = mailDir();
  server = await startServer({ env: { COEXIST_MAIL_DIR: mail } });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (mail) rmSync(mail, { recursive: true, force: true });
});

// A fresh English-speaking browser (no cookies) at `width`, recording console errors, page
// errors and CSP violations (re-logged from the DOM event, which Playwright does not report).
async function openPage(width) {
  const context = await browser.newContext({
    viewport: { width, height: 800 }, locale: 'en-GB', extraHTTPHeaders: { 'Accept-Language': 'en' },
  });
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

// The problems recorded, less Chromium's note about each page answered with an error status
// the test asked for on purpose (a refused form is a 4xx page by design).
const unexpected = (problems, statuses) => problems.filter((p) => !statuses.some((st) => p.includes(`responded with a status of ${st} `)));

const h1 = async (page) => (await page.locator('main h1').innerText()).trim();
const path = (page) => { const u = new URL(page.url()); return u.pathname + u.search; };

// Clicks a submit button and waits for the page the form leads to (after any redirect).
async function submit(page, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(button)]);
}

async function assertNoHorizontalScroll(page, width) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `no horizontal scroll at ${width} px (${scrollWidth} > ${innerWidth})`);
}

test('a person signs up on a phone, confirms from the mailed link and signs in', async () => {
  const email = 'amina@example.org';
  const { context, page, problems } = await openPage(360);
  try {
    await page.goto(`${server.url}/`);
    await submit(page, 'nav a[href="/signin"]');
    await submit(page, 'main a[href="/signup"]');
    assert.equal(await h1(page), t('signup.title'));

    // A first try with a short password: the form comes back with the message by the field.
    await page.fill('#name', 'Amina Diallo');
    await page.fill('#email', email);
    await page.fill('#org_name', 'Sahel Water Network');
    await page.selectOption('#org_kind', 'ngo');
    await page.fill('#password', 'too short');
    await page.fill('#password2', 'too short');
    await submit(page, 'main button[type="submit"]');
    assert.equal((await page.locator('#password-error').innerText()).trim(), t('password.too_short'));
    assert.equal(await page.getAttribute('#password', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#org_name'), 'Sahel Water Network', 'what was typed is kept');
    assert.equal(await page.inputValue('#password'), '', 'the password is not');
    await assertNoHorizontalScroll(page, 360);
    await page.screenshot({ path: join(ARTIFACTS, 'auth-signup-error-360.png'), fullPage: true });

    await page.fill('#password', PASSWORD);
    await page.fill('#password2', PASSWORD);
    await submit(page, 'main button[type="submit"]');
    assert.equal(await h1(page), t('signup.sent.heading'));
    await page.screenshot({ path: join(ARTIFACTS, 'auth-signup-sent-360.png'), fullPage: true });

    const link = mailLink(await waitForMail(mail, email), server, 'confirm');
    await page.goto(`${server.url}${link}`);
    assert.equal(await h1(page), t('confirm.title'));
    await page.screenshot({ path: join(ARTIFACTS, 'auth-confirm-360.png'), fullPage: true });
    await submit(page, 'main button[type="submit"]');
    assert.equal(path(page), '/signin?done=confirmed');
    assert.equal((await page.locator('main .notice').innerText()).trim(), t('signin.done.confirmed'));

    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await submit(page, 'main button[type="submit"]');
    assert.equal(path(page), '/account');
    assert.equal(await h1(page), t('account.title'));
    const facts = await page.locator('main').innerText();
    for (const text of ['Amina Diallo', email, 'Sahel Water Network', t('role.member')]) assert.ok(facts.includes(text), `account shows ${text}`);
    assert.equal(await page.locator('nav a[href="/admin"]').count(), 0, 'no back-office link for a member');
    await assertNoHorizontalScroll(page, 360);
    await page.screenshot({ path: join(ARTIFACTS, 'auth-account-360.png'), fullPage: true });

    // The session cookie is out of reach of scripts.
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'coexist_session');
    assert.ok(session && session.httpOnly && session.sameSite === 'Lax', 'HttpOnly, SameSite=Lax session cookie');
    assert.equal(await page.evaluate(() => document.cookie), '', 'no cookie readable by scripts');
    assert.deepEqual(unexpected(problems, [422]), [], 'no console errors, page errors or CSP violations');
  } finally {
    await context.close();
  }
});

test('a coordinator signs in, reaches the dashboard, and signs out', async () => {
  const email = 'cora@example.org';
  addUser(server, 'coordinator', email, { name: 'Cora Coordinator' });
  const { context, page, problems } = await openPage(1280);
  try {
    // Asking for /admin first: sent to sign in, then brought back.
    await page.goto(`${server.url}/admin`);
    assert.equal(path(page), '/signin?next=%2Fadmin');

    await page.fill('#email', email);
    await page.fill('#password', 'not my password at all');
    await submit(page, 'main button[type="submit"]');
    assert.equal((await page.locator('main [role="alert"]').innerText()).trim(), t('signin.error.wrong'));
    assert.equal(await page.inputValue('#email'), email);
    await page.screenshot({ path: join(ARTIFACTS, 'auth-signin-error-1280.png'), fullPage: true });

    await page.fill('#password', PASSWORD);
    await submit(page, 'main button[type="submit"]');
    assert.equal(path(page), '/admin');
    assert.equal(await h1(page), t('admin.title'));
    const cards = (await page.locator('main .card h2').allInnerTexts()).map((s) => s.trim());
    for (const key of ['admin.people', 'admin.orgs', 'admin.mail']) assert.ok(cards.includes(t(key)), `a "${t(key)}" card`);
    assert.ok(!cards.includes(t('admin.audit.title')), 'no audit log card: that is for admins');
    assert.equal(await page.locator('main a[href^="/admin/users"], main a[href^="/admin/audit"]').count(), 0, 'no link to admin-only pages');
    const people = await page.locator('main .card').first().innerText();
    const active = Number(sql(server.db, "SELECT count(*) FROM users WHERE status = 'active'"));
    assert.ok(people.includes(`${active} ${t('admin.people.active')}`), `active people counted: ${people}`);
    assert.equal(await page.locator('nav a[href="/admin"]').count(), 1, 'the back office is in the menu');
    await page.screenshot({ path: join(ARTIFACTS, 'auth-admin-1280.png'), fullPage: true });

    // Signing out from the menu button.
    await submit(page, 'nav button.link-button');
    assert.equal(path(page), '/');
    assert.equal(await page.locator('nav a[href="/signin"]').count(), 1, 'the menu offers to sign in again');
    await page.screenshot({ path: join(ARTIFACTS, 'auth-signed-out-1280.png'), fullPage: true });
    await page.goto(`${server.url}/admin`);
    assert.equal(path(page), '/signin?next=%2Fadmin', 'the back office is closed again');
    assert.deepEqual(unexpected(problems, [401]), [], 'no console errors, page errors or CSP violations');
  } finally {
    await context.close();
  }
});
