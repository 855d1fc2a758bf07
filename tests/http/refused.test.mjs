// refused.test.mjs - nothing saved is ever lost on the questionnaire's save path: a refused answer
// keeps the one saved before (with and without JavaScript), the page gives back what was typed
// next to its message, "saved" is said only by the server that saved, a page the database could
// not write or that has no valid link says so with the answers typed, and a save sent twice is
// recognised as already applied.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startServer } from '../lib/server.mjs';
import { Client, sql, mainText, t } from '../lib/client.mjs';
import { FULL as WHOLE, question, questionnaire, revOf } from '../lib/survey.mjs';

let srv;
before(async () => {
  // A short lock wait, so that a write lock held elsewhere fails a save quickly.
  srv = await startServer({ demo: true, env: { COEXIST_BUSY_TIMEOUT_MS: '300' } });
  Q = questionnaire(srv);
});
after(async () => { assert.equal(await srv.stop(), 0); });

// The questionnaire's helpers (tests/lib/survey.mjs), bound to this file's server.
let Q;
const answersOf = (id) => Q.answersOf(id);
const send = (...a) => Q.send(...a);
const saveSection = (c, n, fields, { action = 'save', json = false } = {}) => Q.saveSection(c, n, fields, action, { json });
const startResponse = () => Q.startResponse();

const FACTORS = ['trust', 'champion', 'clear_roles', 'communication'];

// Each answer the issue named: saved well first, then sent wrong.
const CASES = [
  { what: 'an e-mail address without its domain', n: 1, key: 'respondent_email',
    good: { respondent_email: 'alice@example.org' }, bad: { respondent_email: 'alice@example' },
    typed: 'value="alice@example"', message: 'survey.error.bad_email' },
  { what: 'a text longer than allowed', n: 2, key: 'title',
    good: { title: 'Pompes solaires à Thiès' }, bad: { title: 'é'.repeat(151) },
    typed: `value="${'é'.repeat(151)}"`, message: 'survey.error.too_long' },
  { what: 'an option not in the list', n: 1, key: 'org_kind',
    good: { org_kind: 'ngo' }, bad: { org_kind: 'pirate' }, message: 'survey.error.unknown_option' },
  { what: 'a year out of range', n: 2, key: 'start_year',
    good: { start_year: '2021' }, bad: { start_year: '1899' }, typed: 'value="1899"', message: 'survey.error.out_of_range' },
  { what: 'a year that is not a number', n: 2, key: 'start_year',
    good: { start_year: '2021' }, bad: { start_year: 'twenty' }, typed: 'value="twenty"', message: 'survey.error.not_integer' },
  { what: 'six SDGs where five are allowed', n: 2, key: 'sdgs',
    good: { sdgs: ['sdg3', 'sdg6'] }, bad: { sdgs: ['sdg1', 'sdg2', 'sdg3', 'sdg4', 'sdg5', 'sdg6'] },
    typed: 'value="sdg5" checked', message: 'survey.error.too_many' },
  { what: '"other" without its text', n: 2, key: 'sectors',
    good: { sectors: ['health'] }, bad: { sectors: ['water_sanitation', 'other'] },
    typed: 'value="other" checked', message: 'survey.error.other_missing', errorId: 'sectors-other-error' },
  { what: 'four decisive factors out of three', n: 5, key: 'top_factors',
    good: { success_factors: FACTORS, top_factors: ['trust', 'champion'] }, bad: { success_factors: FACTORS, top_factors: FACTORS },
    typed: 'value="communication" checked', message: 'survey.error.too_many' },
];

for (const k of CASES) {
  test(`${k.what}: refused, the answer saved before is kept, the page shows what was typed next to its message`, async () => {
    const { c, id } = await startResponse();
    assert.equal((await saveSection(c, k.n, k.good)).status, 303);
    const before = answersOf(id)[k.key];
    assert.ok(before, `${k.key} saved first`);
    const r = await saveSection(c, k.n, k.bad);
    assert.equal(r.status, 422);
    assert.deepEqual(answersOf(id)[k.key], before, `${k.key}: what was saved before is still there`);
    const html = question(r.body, k.key);
    assert.ok(mainText(html).includes(t(k.message)), `the message by the question:\n${mainText(html)}`);
    if (k.typed) assert.ok(html.includes(k.typed), `what was typed is shown back (${k.typed}):\n${html.slice(0, 1500)}`);
    // The message is tied to the field (or the group of choices) for screen readers.
    const errorId = k.errorId || `q-${k.key}-error`;
    assert.ok(html.includes(`id="${errorId}"`), `the message has id ${errorId}`);
    assert.ok(html.includes(`aria-describedby="${errorId}"`), 'a control points at it');
    // Saving the page as it came back (nothing corrected) still loses nothing.
    const page = await c.get(`/survey/demo/${k.n}`);
    assert.equal(page.status, 200);
    assert.deepEqual(answersOf(id)[k.key], before);
  });

  test(`${k.what}, sent by the autosave (JavaScript): the answer saved before is kept`, async () => {
    const { c, id } = await startResponse();
    assert.equal((await saveSection(c, k.n, k.good, { action: 'autosave', json: true })).status, 200);
    const before = answersOf(id)[k.key];
    assert.ok(before, `${k.key} saved first`);
    const r = await saveSection(c, k.n, k.bad, { action: 'autosave', json: true });
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).errors, 1, 'the autosave says one answer needs correcting');
    assert.deepEqual(answersOf(id)[k.key], before);
  });
}

test('"Saved" comes from the save that the server made, once: not from the address, not after Back', async () => {
  const { c } = await startResponse();
  const ok = await saveSection(c, 1, { respondent_name: 'Awa' });
  assert.equal(ok.status, 303);
  assert.equal(ok.location, '/survey/demo/1', 'a clean address: nothing in it says "saved"');
  const shown = await c.get(ok.location);
  assert.ok(mainText(shown.body).includes(t('survey.saved')), 'the save just made is confirmed');
  // Opened again (Back, reload): the message is not repeated over whatever the page holds.
  assert.ok(!mainText((await c.get('/survey/demo/1')).body).includes(t('survey.saved')));
  // The old address with ?saved=1 says nothing either (it is not a declared input any more).
  assert.ok(!mainText((await c.get('/survey/demo/1?saved=1')).body).includes(t('survey.saved')));
  // A refused save, then Back to the page: no "saved" over the old values.
  assert.equal((await saveSection(c, 1, { respondent_email: 'alice@example' })).status, 422);
  assert.ok(!mainText((await c.get('/survey/demo/1')).body).includes(t('survey.saved')));
  // A confirmation left from a save that was overtaken by another is not shown.
  const second = await saveSection(c, 1, { respondent_name: 'Awa N.' });
  assert.equal(second.status, 303);
  await saveSection(c, 1, { respondent_name: 'Awa Ndiaye' }, { action: 'autosave', json: true });
  assert.ok(!mainText((await c.get('/survey/demo/1')).body).includes(t('survey.saved')), 'the revision confirmed is not the one shown');
});

// Holds SQLite's write lock from another process until release() is called.
async function holdWriteLock(db) {
  const p = spawn('sqlite3', [db], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d) => { out += d; });
  p.stdin.write('BEGIN IMMEDIATE;\nSELECT \'locked\';\n');
  const until = Date.now() + 10000;
  while (!out.includes('locked')) {
    assert.ok(Date.now() < until, 'the lock was taken');
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    release: () => new Promise((res) => { p.on('exit', res); p.stdin.end('ROLLBACK;\n.quit\n'); }),
  };
}

test('a page the database cannot write now (its lock held too long): "NOT saved", typed answers given back, nothing changed', async () => {
  const { c, id } = await startResponse();
  assert.equal((await saveSection(c, 2, { title: 'Saved title', description: 'Saved text.' })).status, 303);
  const page = await c.get('/survey/demo/2');
  const rev = revOf(page.body);
  const lock = await holdWriteLock(srv.db);
  let r;
  let auto;
  try {
    r = await send(c, '/survey/demo/2', { rev, action: 'save', title: 'Typed while the disk was busy', description: 'A long answer, typed for twenty minutes.' });
    auto = await send(c, '/survey/demo/2', { rev, action: 'autosave', title: 'Autosaved' }, { json: true });
  } finally { await lock.release(); }
  assert.equal(r.status, 503);
  assert.ok(r.headers['retry-after'], 'Retry-After');
  const text = mainText(r.body);
  assert.ok(text.includes(t('survey.not_saved.heading')), `says NOT saved:\n${text.slice(0, 800)}`);
  assert.ok(question(r.body, 'title').includes('value="Typed while the disk was busy"'), 'the typed title is in its box');
  assert.ok(question(r.body, 'description').includes('A long answer, typed for twenty minutes.'), 'the typed text too');
  assert.equal(revOf(r.body), rev, 'the form can be sent again as it is');
  assert.equal(auto.status, 503);
  assert.deepEqual(JSON.parse(auto.body), { error: 'not_saved' });
  assert.deepEqual(answersOf(id).title, ['Saved title'], 'nothing half-written');
  // Sent again once the lock is gone: saved.
  const again = await send(c, '/survey/demo/2', { rev, action: 'save', title: 'Typed while the disk was busy' });
  assert.equal(again.status, 303);
  assert.deepEqual(answersOf(id).title, ['Typed while the disk was busy']);
});

test('a save with an unknown or revoked private link says so, with the answers typed, instead of leaving for the start page', async () => {
  const { c, id } = await startResponse();
  const page = await c.get('/survey/demo/2');
  const rev = revOf(page.body);
  // The coordinators revoke the link (or the cookie is forged).
  sql(srv.db, `DELETE FROM response_links WHERE response_id = ${id}`);
  const r = await send(c, '/survey/demo/2', { rev, action: 'save', title: 'Typed after the link was revoked' });
  assert.equal(r.status, 403);
  const text = mainText(r.body);
  assert.ok(text.includes(t('survey.no_link.heading')), text.slice(0, 800));
  assert.ok(question(r.body, 'title').includes('value="Typed after the link was revoked"'), 'the typed answer is shown, to be copied');
  assert.ok(!/data-autosave=/.test(r.body), 'no autosave from a page that cannot be saved');
  const auto = await send(c, '/survey/demo/2', { rev, action: 'autosave', title: 'x' }, { json: true });
  assert.equal(auto.status, 403);
  assert.deepEqual(JSON.parse(auto.body), { error: 'link' });
  // A browser without any link says the same.
  const stranger = new Client(srv);
  await stranger.get('/survey/demo');
  const s = await send(stranger, '/survey/demo/1', { rev: '0', action: 'save', org_name: 'Nobody' });
  assert.equal(s.status, 403);
  assert.ok(question(s.body, 'org_name').includes('value="Nobody"'));
  assert.equal(answersOf(id).title, undefined);
});

test('a save sent twice (the answer lost on the way) is recognised as already applied, not as a conflict', async () => {
  const { c, id } = await startResponse();
  const page = await c.get('/survey/demo/1');
  const rev = revOf(page.body);
  const fields = { rev, action: 'next', respondent_name: 'Awa', org_name: 'Eau Vive', org_kind: 'ngo', org_country: 'SN', role: 'lead' };
  const first = await send(c, '/survey/demo/1', fields);
  assert.equal(first.status, 303);
  const again = await send(c, '/survey/demo/1', fields);
  assert.equal(again.status, 303, `the resend is answered as the first was (got ${again.status})`);
  assert.equal(again.location, first.location);
  assert.equal(sql(srv.db, `SELECT revision FROM responses WHERE id = ${id}`), String(Number(rev) + 1), 'applied once');
  // The autosave resent the same way.
  const rev2 = revOf((await c.get('/survey/demo/1')).body);
  const a1 = await send(c, '/survey/demo/1', { ...fields, rev: rev2, action: 'autosave', respondent_name: 'Awa N.' }, { json: true });
  const a2 = await send(c, '/survey/demo/1', { ...fields, rev: rev2, action: 'autosave', respondent_name: 'Awa N.' }, { json: true });
  assert.equal(a1.status, 200);
  assert.equal(a2.status, 200);
  assert.deepEqual(JSON.parse(a2.body), JSON.parse(a1.body));
  // A different page with the same old revision is still a conflict.
  const other = await send(c, '/survey/demo/1', { ...fields, rev: rev2, respondent_name: 'Someone else' });
  assert.equal(other.status, 409);
  assert.deepEqual(answersOf(id).respondent_name, ['Awa N.']);
});

const FULL = WHOLE;

test('sending while the database cannot write: "NOT sent" (503), the answers as they were, and sent on the next try', async () => {
  const { c, id } = await startResponse();
  for (let n = 1; n <= 6; n++) {
    const r = await saveSection(c, n, FULL[n], { action: 'next' });
    assert.equal(r.status, 303, `section ${n}: ${r.status}`);
  }
  assert.equal((await c.get('/survey/demo/review')).status, 200);
  const lock = await holdWriteLock(srv.db);
  let r;
  try { r = await c.post('/survey/demo/submit'); } finally { await lock.release(); }
  assert.equal(r.status, 503);
  assert.ok(mainText(r.body).includes(t('survey.not_sent.heading')), mainText(r.body).slice(0, 600));
  assert.equal(sql(srv.db, `SELECT status FROM responses WHERE id = ${id}`), 'draft');
  assert.deepEqual(answersOf(id).title, ['Solar pumps for Thiès']);
  const again = await c.post('/survey/demo/submit');
  assert.equal(again.status, 303);
  assert.equal(sql(srv.db, `SELECT status FROM responses WHERE id = ${id}`), 'submitted');
});
