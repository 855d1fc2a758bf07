// survey.test.mjs - the questionnaire as people go through it in Chromium: with JavaScript (questions
// shown as they apply, autosave), stopping half-way and coming back from the mailed link in a fresh
// browser, sending, inviting a partner who answers from their own link; the same without
// JavaScript (every question shown with its "only if" note, what does not apply dropped by the
// server). No console errors or CSP violations; screenshots in tests/artifacts/survey-*.png.
// Run: cd tests && node --test browser/   (needs build/coexist and Debian's /usr/bin/chromium)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, ROOT } from '../lib/server.mjs';
import { mailDir, waitForMail, mailLink, sql, t } from '../lib/client.mjs';

const ARTIFACTS = join(ROOT, 'tests', 'artifacts');

let server;
let mail;
let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  mail = mailDir();
  server = await startServer({ demo: true, env: { COEXIST_MAIL_DIR: mail } });
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

// A fresh English-speaking browser (no cookies) at `width`, with or without JavaScript, recording
// console errors, page errors and CSP violations (re-logged from the DOM event when scripts run;
// without them Chromium still reports violations on the console).
async function openPage(width, { javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({
    viewport: { width, height: 800 }, locale: 'en-GB', extraHTTPHeaders: { 'Accept-Language': 'en' }, javaScriptEnabled,
    // Without scripts, Playwright's "element is stable" check did not settle while the page
    // scrolled smoothly (app.css) to the element to click: that browser asks for reduced motion,
    // which the site honours by scrolling at once.
    reducedMotion: javaScriptEnabled ? 'no-preference' : 'reduce',
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
// the test asked for on purpose.
const unexpected = (problems, statuses) => problems.filter((p) => !statuses.some((st) => p.includes(`responded with a status of ${st} `)));

const h1 = async (page) => (await page.locator('main h1').innerText()).trim();
const path = (page) => { const u = new URL(page.url()); return u.pathname + u.search; };
const lastResponse = () => Number(sql(server.db, 'SELECT max(id) FROM responses'));
const stored = (id, key) => sql(server.db, `SELECT group_concat(value, ',') FROM (SELECT value FROM answers WHERE response_id = ${id} AND question_key = '${key}' ORDER BY position)`);

// Waits (10 s at most) until the autosave of the page says it is done, and returns what it says.
// The page saves 4 s after the last change; this waits for that answer, not for a set time.
async function autosaved(page) {
  const status = page.locator('.autosave-status');
  await page.waitForFunction(() => {
    const s = document.querySelector('.autosave-status');
    return s && s.textContent.trim() !== '' && !/…$/.test(s.textContent.trim());
  }, null, { timeout: 10000 });
  return (await status.innerText()).trim();
}

// Clicks a submit button and waits for the page the form leads to (after any redirect).
async function submit(page, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(button)]);
}
const NEXT = 'main button[name="action"][value="next"]';
const SAVE = 'main button[name="action"][value="save"]';
const PREV = 'main button[name="action"][value="prev"]';
const SEND = 'main form[action$="/submit"] button[type="submit"]';

async function assertNoHorizontalScroll(page, width) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `no horizontal scroll at ${width} px (${scrollWidth} > ${innerWidth})`);
}

// Opens the campaign's start page and presses the button: lands on section 1.
async function start(page) {
  await page.goto(`${server.url}/survey/demo`);
  assert.ok((await page.locator('main').innerText()).includes(t('survey.start.no_account')));
  await submit(page, 'main form[action="/survey/demo/start"] button[type="submit"]');
  assert.equal(path(page), '/survey/demo/1');
  assert.equal(await h1(page), 'You and your organisation');
}

// Section 1 as a person fills it.
async function fillYou(page, { name, email, org, kind = 'ngo', role = 'lead' }) {
  if (name) await page.fill('#q-respondent_name-input', name);
  if (email) await page.fill('#q-respondent_email-input', email);
  await page.fill('#q-org_name-input', org);
  await page.check(`#org_kind-${kind}`);
  await page.selectOption('#q-org_country-input', ['SN']);
  await page.check(`#role-${role}`);
}

test('with JavaScript: fill in, stop at section 3, come back from the mailed link in a fresh browser, send, invite a partner who answers', async () => {
  const email = 'awa.browser@example.org';
  const partnerEmail = 'solarco.browser@example.org';
  const first = await openPage(1280);
  let id;
  try {
    const { page } = first;
    await start(page);
    id = lastResponse();
    await fillYou(page, { name: 'Awa Ndiaye', email, org: 'Eau Vive Sénégal' });
    await submit(page, NEXT);
    assert.equal(path(page), '/survey/demo/2');
    assert.equal(await h1(page), 'The partnership');

    // The end year is asked only once the partnership is over: shown and hidden as the stage changes.
    await page.fill('#q-title-input', 'Solar pumps for Thiès');
    assert.ok(await page.locator('#q-end_year').isHidden(), 'end_year hidden while no stage is chosen');
    await page.check('#stage-running');
    assert.ok(await page.locator('#q-end_year').isHidden(), 'end_year hidden for a running partnership');
    await page.check('#stage-completed');
    assert.ok(await page.locator('#q-end_year').isVisible(), 'end_year shown once "completed" is chosen');
    assert.ok(await page.locator('#q-end_year .only-if').isHidden(), 'the "only if" note is not needed with scripts');
    await page.fill('#q-end_year-input', '2024');
    await page.check('#stage-running');
    assert.ok(await page.locator('#q-end_year').isHidden(), 'hidden again');
    await page.check('#stage-stopped_early');
    assert.ok(await page.locator('#q-end_year').isVisible(), 'shown for a partnership stopped early too');
    await page.check('#stage-completed');
    await page.fill('#q-start_year-input', '2021');
    await page.check('#sectors-health');
    await page.check('#sectors-water_sanitation');
    await page.selectOption('#q-countries-input', ['SN', 'ML']);
    await page.fill('[name="partners.name.0"]', 'SolarCo');
    await page.selectOption('[name="partners.kind.0"]', 'company_sme');
    await page.selectOption('[name="partners.country.0"]', 'FR');
    await page.screenshot({ path: join(ARTIFACTS, 'survey-section-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 800 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))); // laid out again
    await assertNoHorizontalScroll(page, 360);
    await page.screenshot({ path: join(ARTIFACTS, 'survey-section-360.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await submit(page, NEXT);
    assert.equal(path(page), '/survey/demo/3');
    assert.equal(stored(id, 'end_year'), '2024');
    assert.equal(stored(id, 'sectors'), 'health,water_sanitation');

    // Section 3, saved, and the person stops here.
    await page.check('#resources-skills_probono');
    await page.selectOption('[name="resources.skills_probono.direction"]', 'company_to_ngo');
    await submit(page, SAVE);
    assert.equal(path(page), '/survey/demo/3');
    assert.equal((await page.locator('main .notice[role="status"]').first().innerText()).trim(), t('survey.saved'));
    assert.deepEqual(unexpected(first.problems, []), [], 'no console errors, page errors or CSP violations');
  } finally {
    await first.context.close();
  }

  // The link came by mail; opened in another browser (no cookies), it leads to a clean URL.
  const m = await waitForMail(mail, email);
  const link = mailLink(m, server, 'r');
  const token = link.slice(3);
  const again = await openPage(1280);
  try {
    const { page } = again;
    await page.goto(`${server.url}${link}`);
    assert.equal(path(page), '/survey/demo/3', 'back where they stopped');
    assert.ok(!page.url().includes(token), 'no token in the address bar');
    assert.ok(await page.locator('#resources-skills_probono').isChecked());
    assert.equal(await page.inputValue('[name="resources.skills_probono.direction"]'), 'company_to_ngo');
    await page.goto(`${server.url}/survey/demo/1`);
    assert.equal(await page.inputValue('#q-org_name-input'), 'Eau Vive Sénégal', 'the answers of section 1');
    await page.goto(`${server.url}/survey/demo/2`);
    assert.ok(await page.locator('#q-end_year').isVisible(), 'stage completed (saved): the end year is shown');
    assert.equal(await page.inputValue('#q-end_year-input'), '2024');
    await page.goto(`${server.url}/survey/demo/3`);
    await page.check('#agreement-contract');
    await submit(page, NEXT);

    assert.equal(path(page), '/survey/demo/4');
    await page.check('#achievement-met');
    await page.check('#value-4');
    await page.fill('#q-people_reached-input', '1200');
    await page.check('#next_step-continued');
    await submit(page, NEXT);

    // Factors: the decisive ones are picked among those ticked, once they are saved.
    assert.equal(path(page), '/survey/demo/5');
    assert.equal(await page.locator('#q-top_factors input[type="checkbox"]').count(), 0, 'nothing to pick yet');
    await page.check('#success_factors-trust');
    await page.check('#success_factors-champion');
    await page.check('#success_factors-clear_roles');
    await submit(page, SAVE);
    assert.equal(await page.locator('#q-top_factors input[type="checkbox"]').count(), 3);
    await page.check('#top_factors-trust');
    await page.check('#top_factors-champion');
    await page.check('#obstacles-turnover');
    await page.selectOption('[name="obstacles.turnover.overcome"]', 'partly');
    await page.fill('[name="obstacles.turnover.how"]', 'Handover notes for each new engineer.');
    await submit(page, NEXT);

    // Last section: the partner's address is asked only when inviting.
    assert.equal(path(page), '/survey/demo/6');
    assert.ok(await page.locator('#q-partner_email').isHidden());
    assert.ok(await page.locator('#q-looking_for').isHidden());
    await page.check('#q-consent_analysis-input');
    await page.check('#looking_for_partner-yes');
    assert.ok(await page.locator('#q-looking_for').isVisible());
    await page.fill('#q-looking_for-input', 'A logistics company for the last mile.');
    await page.check('#invite_partner-yes');
    assert.ok(await page.locator('#q-partner_email').isVisible());
    await page.fill('#q-partner_email-input', partnerEmail);
    await submit(page, NEXT);

    assert.equal(path(page), '/survey/demo/review');
    assert.equal(await h1(page), t('survey.review.title'));
    const review = await page.locator('main').innerText();
    for (const text of ['Eau Vive Sénégal', 'Solar pumps for Thiès', '2024', 'Health', 'Trust', partnerEmail]) assert.ok(review.includes(text), `review shows ${text}`);
    await page.screenshot({ path: join(ARTIFACTS, 'survey-review-1280.png'), fullPage: true });
    await submit(page, SEND);
    assert.equal(path(page), '/survey/demo/thanks');
    assert.equal(await h1(page), t('survey.thanks.title'));
    assert.ok((await page.locator('main').innerText()).includes(partnerEmail), 'the thanks page names the invited partner');
    await page.screenshot({ path: join(ARTIFACTS, 'survey-thanks-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 800 });
    await assertNoHorizontalScroll(page, 360);
    await page.screenshot({ path: join(ARTIFACTS, 'survey-thanks-360.png'), fullPage: true });
    assert.equal(sql(server.db, `SELECT status FROM responses WHERE id = ${id}`), 'submitted');
    assert.equal(sql(server.db, `SELECT count(*) FROM response_versions WHERE response_id = ${id}`), '1');
    assert.deepEqual(unexpected(again.problems, []), [], 'no console errors, page errors or CSP violations');
  } finally {
    await again.context.close();
  }

  // The partner answers from their own link, in their own browser.
  const pid = Number(sql(server.db, `SELECT id FROM responses WHERE partner_of = ${id}`));
  assert.ok(pid > id, 'a response for the partner, linked to the first');
  const invite = await waitForMail(mail, partnerEmail);
  const plink = mailLink(invite, server, 'r');
  assert.notEqual(plink, link, 'a link of its own');
  const partner = await openPage(360);
  try {
    const { page } = partner;
    await page.goto(`${server.url}${plink}`);
    assert.equal(path(page), '/survey/demo/1');
    assert.equal(await page.inputValue('#q-org_name-input'), '', 'the partner starts from an empty response');
    assert.ok(!(await page.content()).includes('Eau Vive Sénégal'));
    await fillYou(page, { org: 'SolarCo', kind: 'company_sme', role: 'technical_partner' });
    await submit(page, NEXT);
    await page.fill('#q-title-input', 'Solar pumps for Thiès');
    await page.check('#stage-completed');
    await page.fill('#q-end_year-input', '2024');
    await submit(page, NEXT);
    await submit(page, NEXT); // section 3: nothing to add
    await page.check('#achievement-exceeded');
    await submit(page, NEXT);
    await submit(page, NEXT); // section 5
    await page.check('#q-consent_analysis-input');
    await page.check('#invite_partner-no');
    await submit(page, NEXT);
    assert.equal(path(page), '/survey/demo/review');
    await submit(page, SEND);
    assert.equal(path(page), '/survey/demo/thanks');
    assert.equal(sql(server.db, `SELECT status || ' ' || partner_of FROM responses WHERE id = ${pid}`), `submitted ${id}`);
    assert.equal(stored(pid, 'org_name'), 'SolarCo');
    assert.equal(stored(id, 'org_name'), 'Eau Vive Sénégal', 'the first response is untouched');
    assert.deepEqual(unexpected(partner.problems, []), [], 'no console errors, page errors or CSP violations');
  } finally {
    await partner.context.close();
  }
});

test('without JavaScript: every question shown with its "only if" note; what does not apply is dropped by the server', async () => {
  const { context, page, problems } = await openPage(360, { javaScriptEnabled: false });
  try {
    await start(page);
    const id = lastResponse();
    // A required answer left out: the page comes back with the message and the rest kept.
    await page.fill('#q-respondent_name-input', 'Kofi Mensah');
    await page.check('#org_kind-ngo');
    await submit(page, NEXT);
    assert.equal(path(page), '/survey/demo/1');
    assert.ok((await page.locator('#q-org_name .field-error').innerText()).includes(t('survey.error.required')));
    assert.equal(await page.inputValue('#q-respondent_name-input'), 'Kofi Mensah');
    assert.ok(await page.locator('#org_kind-ngo').isChecked());
    await page.screenshot({ path: join(ARTIFACTS, 'survey-error-360.png'), fullPage: true });
    await fillYou(page, { org: 'Ghana Clean Water' });
    await submit(page, NEXT);
    assert.equal(path(page), '/survey/demo/2');

    // Every question is there, conditional ones with a note saying when they apply.
    assert.ok(await page.locator('#q-end_year').isVisible(), 'end_year shown without scripts');
    const note = (await page.locator('#q-end_year .only-if').innerText()).trim();
    assert.ok(note.startsWith(t('survey.only_if')), note);
    assert.ok(note.includes('Where does the partnership stand today?') && note.includes('Completed'), note);
    await assertNoHorizontalScroll(page, 360);
    await page.fill('#q-title-input', 'Wells for Tamale');
    await page.check('#stage-running');
    await page.fill('#q-end_year-input', '2020'); // does not apply to a running partnership
    await page.check('#sectors-water_sanitation');
    await submit(page, NEXT);
    assert.equal(path(page), '/survey/demo/3');
    assert.equal(stored(id, 'stage'), 'running');
    assert.equal(stored(id, 'end_year'), '', 'the end year of a running partnership is not kept');
    await submit(page, PREV);
    assert.equal(path(page), '/survey/demo/2');
    assert.equal(await page.inputValue('#q-end_year-input'), '', 'and not shown back');
    await submit(page, NEXT);
    await submit(page, NEXT); // section 3
    assert.equal(path(page), '/survey/demo/4');
    await page.check('#achievement-partly_met');
    await submit(page, NEXT);
    await page.check('#success_factors-trust');
    await submit(page, NEXT);

    assert.equal(path(page), '/survey/demo/6');
    for (const key of ['partner_email', 'looking_for']) {
      assert.ok(await page.locator(`#q-${key}`).isVisible(), `${key} shown`);
      assert.ok(await page.locator(`#q-${key} .only-if`).isVisible(), `${key} has its "only if" note`);
    }
    await page.check('#q-consent_analysis-input');
    await page.check('#invite_partner-no');
    await page.fill('#q-partner_email-input', 'not.invited@example.org'); // "no": not kept, nobody invited
    await page.check('#looking_for_partner-no');
    await page.fill('#q-looking_for-input', 'Nothing really');
    await submit(page, NEXT);
    assert.equal(path(page), '/survey/demo/review');
    assert.equal(stored(id, 'partner_email'), '');
    assert.equal(stored(id, 'looking_for'), '');
    await page.screenshot({ path: join(ARTIFACTS, 'survey-review-360.png'), fullPage: true });
    await submit(page, SEND);
    assert.equal(path(page), '/survey/demo/thanks');
    assert.equal(sql(server.db, `SELECT status FROM responses WHERE id = ${id}`), 'submitted');
    assert.equal(sql(server.db, `SELECT count(*) FROM responses WHERE partner_of = ${id}`), '0');
    assert.deepEqual(unexpected(problems, [422]), [], 'no console errors or CSP violations');
  } finally {
    await context.close();
  }
});

test('autosave: a few seconds after typing, the answer is saved without pressing a button', async () => {
  const { context, page, problems } = await openPage(1280);
  try {
    await start(page);
    const id = lastResponse();
    await page.fill('#q-org_name-input', 'Saved by itself');
    await page.check('#org_kind-foundation');
    assert.equal(await autosaved(page), 'Saved');
    assert.equal(stored(id, 'org_name'), 'Saved by itself');
    await page.reload();
    assert.equal(await page.inputValue('#q-org_name-input'), 'Saved by itself', 'there after a reload');
    assert.ok(await page.locator('#org_kind-foundation').isChecked());

    // The page keeps up with its own autosaves: the buttons still work afterwards (no conflict).
    await page.fill('#q-org_name-input', 'Saved by itself, then by Next');
    await page.evaluate(() => { document.querySelector('.autosave-status').textContent = ''; });
    await page.check('#role-lead');
    assert.equal(await autosaved(page), 'Saved');
    await submit(page, NEXT);
    assert.equal(path(page), '/survey/demo/2', 'no 409 after an autosave');
    assert.equal(stored(id, 'org_name'), 'Saved by itself, then by Next');
    assert.deepEqual(unexpected(problems, []), [], 'no console errors, page errors or CSP violations');
  } finally {
    await context.close();
  }
});

test('autosave of an answer the server refuses does not say "Saved"', async () => {
  // A year before the questionnaire's minimum (1980) typed in a number box: the page has
  // novalidate, the autosave sends it, the server keeps the rest of the page but not the year
  // and answers {"rev": …, "errors": 1}. Telling the person "Saved" would be untrue: the year
  // is gone after a reload.
  const { context, page, problems } = await openPage(1280);
  try {
    await start(page);
    const id = lastResponse();
    await fillYou(page, { org: 'Autosave Check' });
    await submit(page, NEXT);
    await page.fill('#q-title-input', 'Before 1980');
    await page.fill('#q-start_year-input', '1975');
    const status = await autosaved(page);
    assert.equal(stored(id, 'title'), 'Before 1980', 'the rest of the page was saved');
    assert.equal(stored(id, 'start_year'), '', 'the year was not');
    assert.notEqual(status, 'Saved', 'the person is not told that everything was saved');
    assert.deepEqual(unexpected(problems, []), []);
  } finally {
    await context.close();
  }
});

test('a refused answer keeps the one saved before, with and without JavaScript, at 360 px; its message is tied to its box', async () => {
  for (const javaScriptEnabled of [true, false]) {
    const { context, page, problems } = await openPage(360, { javaScriptEnabled });
    const how = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';
    try {
      await start(page);
      const id = lastResponse();
      await page.fill('#q-respondent_email-input', 'alice@example.org');
      await submit(page, SAVE);
      assert.equal(path(page), '/survey/demo/1');
      assert.equal((await page.locator('main .notice[role="status"]').first().innerText()).trim(), t('survey.saved'), how);
      await page.fill('#q-respondent_email-input', 'alice@example');
      if (javaScriptEnabled) {
        // The autosave sends it first: refused, and said so.
        assert.notEqual(await autosaved(page), 'Saved', how);
        assert.equal(stored(id, 'respondent_email'), 'alice@example.org', `${how}: the autosave kept the address saved before`);
      }
      await submit(page, SAVE);
      assert.equal(await page.inputValue('#q-respondent_email-input'), 'alice@example', `${how}: what was typed is in its box`);
      const described = await page.getAttribute('#q-respondent_email-input', 'aria-describedby');
      assert.ok(described, `${how}: the box is described by its message`);
      assert.equal((await page.locator(`[id="${described}"]`).innerText()).trim(), t('survey.error.bad_email'));
      assert.equal(await page.getAttribute('#q-respondent_email-input', 'aria-invalid'), 'true');
      assert.equal(stored(id, 'respondent_email'), 'alice@example.org', `${how}: the address saved before is kept`);
      await assertNoHorizontalScroll(page, 360);
      await page.screenshot({ path: join(ARTIFACTS, `survey-refused-360-${javaScriptEnabled ? 'js' : 'nojs'}.png`), fullPage: true });
      // Back to the page of the earlier save: no "saved" message over it.
      await page.goBack();
      assert.equal(await page.locator('main .notice[role="status"]').count(), 0, `${how}: no "saved" after Back`);
      assert.deepEqual(unexpected(problems, [422]), [], how);
    } finally {
      await context.close();
    }
  }
});

test('with JavaScript, a question ruled out by an answer of another page is not shown', async () => {
  // "What happened after the partnership ended?" (section 4) does not apply to a running
  // partnership (stage, section 2). An answer typed there is dropped by the server.
  const { context, page, problems } = await openPage(1280);
  try {
    await start(page);
    await fillYou(page, { org: 'Running Org' });
    await submit(page, NEXT);
    await page.fill('#q-title-input', 'Still running');
    await page.check('#stage-running');
    await submit(page, NEXT);
    await submit(page, NEXT);
    assert.equal(path(page), '/survey/demo/4');
    assert.ok(await page.locator('#q-achievement').isVisible());
    assert.ok(await page.locator('#q-next_step').isHidden(), 'next_step hidden for a running partnership');
    assert.deepEqual(unexpected(problems, []), []);
  } finally {
    await context.close();
  }
});

test('the review page fits the screen at 360 px and 1280 px, long questions included', async () => {
  // The consents of the last section have labels of a few lines: as a term of the answers'
  // list, each must wrap rather than widen the page.
  for (const width of [360, 1280]) {
    const { context, page, problems } = await openPage(width);
    try {
      await start(page);
      await page.fill('#q-org_name-input', 'Fits On Screen');
      await submit(page, SAVE);
      await page.goto(`${server.url}/survey/demo/review`);
      assert.equal(await h1(page), t('survey.review.title'));
      await assertNoHorizontalScroll(page, width);
      assert.deepEqual(unexpected(problems, []), []);
    } finally {
      await context.close();
    }
  }
});
