// email.test.mjs - one rule for e-mail addresses: every form refuses what the outbox cannot
// deliver (a trailing comma, a list, a display name…), so a respondent can always send their
// answers; an address stored before that rule never makes sending fail, the invitation is
// skipped and both the respondent and the coordinators are told why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer } from '../lib/server.mjs';
import { Client, mailDir, waitForMail, mailLink, newPerson, signUpFields, sql, mainText, t } from '../lib/client.mjs';
import { FULL, question, questionnaire } from '../lib/survey.mjs';

const TRAILING_COMMA = 'jean.dupont@ong-partenaire.org,';
// What the outbox cannot carry as one recipient, whichever form it is typed in.
const REFUSED = [TRAILING_COMMA, 'a@ong.org;b@ong.org', 'a@ong.org, b@ong.org', 'Jean <jean@ong.org>',
  '"jean dupont"@ong.org', 'jean@@ong.org', 'jean@ong', 'jean@ong..org', 'jean dupont@ong.org'];

let srv;
let mail;
let coord;
before(async () => {
  mail = mailDir();
  srv = await startServer({ demo: true, env: { COEXIST_MAIL_DIR: mail } });
  Q = questionnaire(srv);
  coord = await newPerson(srv, 'coordinator', 'email-coord@example.org');
});
after(async () => {
  assert.equal(await srv.stop(), 0);
  rmSync(mail, { recursive: true, force: true });
});

const outboxTo = (email) => Number(sql(srv.db, `SELECT count(*) FROM outbox WHERE to_addr = '${email.replace(/'/g, "''")}'`));
const partnerOf = (id) => Number(sql(srv.db, `SELECT count(*) FROM responses WHERE partner_of = ${id}`));
const shows = (r, text) => assert.ok(mainText(r.body).includes(text), `page shows "${text}":\n${mainText(r.body).slice(0, 2000)}`);

// The questionnaire's helpers (tests/lib/survey.mjs), bound to this file's server.
let Q;
const answersOf = (id) => Q.answersOf(id);
const saveSection = (...a) => Q.saveSection(...a);
const startResponse = () => Q.startResponse();

// Every page of FULL, section 6 changed by `last`.
const fillAll = (c, last = {}) => Q.fillAll(c, { 6: last });

const submit = (c) => Q.submit(c);

test('the questionnaire refuses a partner address with a trailing comma, keeping what was typed and the rest of the page', async () => {
  const { c, id } = await startResponse();
  for (const bad of REFUSED) {
    const r = await saveSection(c, 6, { ...FULL[6], invite_partner: 'yes', partner_email: bad });
    assert.equal(r.status, 422, `${bad}: ${r.status}`);
    const q = question(r.body, 'partner_email');
    assert.ok(mainText(q).includes(t('survey.error.bad_email')), `${bad}: the bad-address message\n${mainText(q)}`);
    const typed = bad.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    assert.ok(q.includes(`value="${typed}"`), `${bad}: what was typed comes back`);
    assert.deepEqual(answersOf(id).consent_analysis, ['yes'], 'the rest of the page is saved');
    assert.equal(answersOf(id).partner_email, undefined, `${bad} is not stored`);
  }
});

test('a valid partner address: the response is sent (303 to thanks) and the partner\'s mail is queued', async () => {
  const partner = 'jean.dupont@ong-partenaire.org';
  const { c, id } = await startResponse();
  await fillAll(c, { invite_partner: 'yes', partner_email: partner });
  const r = await submit(c);
  assert.equal(r.status, 303);
  assert.equal(r.location, '/survey/demo/thanks');
  assert.equal(partnerOf(id), 1, 'the partner has a response of their own');
  assert.equal(outboxTo(partner), 1, 'the invitation is queued');
  mailLink(await waitForMail(mail, partner), srv, 'r');
  shows(await c.get('/survey/demo/thanks'), `${t('survey.thanks.partner')} ${partner}`);
});

test('an address stored before the rule, which the outbox refuses: sending works, the invitation is skipped and explained', async () => {
  const { c, id } = await startResponse();
  await fillAll(c, { invite_partner: 'yes', partner_email: 'placeholder@example.org' });
  // As it could have been saved by an earlier version of the site.
  sql(srv.db, `UPDATE answers SET value = '${TRAILING_COMMA}' WHERE response_id = ${id} AND question_key = 'partner_email'`);

  for (let i = 0; i < 2; i++) { // and again: never a 500
    const r = await submit(c);
    assert.equal(r.status, 303, `submission ${i + 1}: ${r.status}`);
    assert.equal(r.location, '/survey/demo/thanks');
  }
  assert.equal(sql(srv.db, `SELECT status FROM responses WHERE id = ${id}`), 'submitted');
  assert.equal(partnerOf(id), 0, 'no partner response without a way to reach them');
  assert.equal(outboxTo(TRAILING_COMMA), 0);
  const thanks = await c.get('/survey/demo/thanks');
  shows(thanks, t('survey.thanks.partner_refused'));
  shows(thanks, TRAILING_COMMA);
  const page = await coord.get(`/admin/responses/${id}`);
  assert.equal(page.status, 200);
  shows(page, t('responses.partner_refused'));
  shows(page, TRAILING_COMMA);

  // The respondent corrects the address and sends again: now the partner is invited.
  const fixed = 'jean.dupont.bis@ong-partenaire.org';
  assert.equal((await saveSection(c, 6, { ...FULL[6], invite_partner: 'yes', partner_email: fixed }, 'next')).status, 303);
  assert.equal((await submit(c)).status, 303);
  assert.equal(partnerOf(id), 1);
  assert.equal(outboxTo(fixed), 1, 'the invitation is queued');
  const after = await c.get('/survey/demo/thanks');
  assert.ok(!mainText(after.body).includes(t('survey.thanks.partner_refused')), 'no more warning');
});

test('sign-up and "forgot password" refuse the same addresses as the questionnaire; a UTF-8 address goes through everywhere', async () => {
  const c = new Client(srv);
  for (const bad of REFUSED) {
    await c.get('/signup');
    const up = await c.post('/signup', signUpFields(bad));
    assert.equal(up.status, 422, `sign-up ${bad}`);
    await c.get('/forgot');
    assert.equal((await c.post('/forgot', { email: bad })).status, 422, `forgot ${bad}`);
  }
  const utf8 = 'josé@société.example';
  const ok = new Client(srv, { localAddress: '127.0.3.1' });
  await ok.get('/signup');
  assert.equal((await ok.post('/signup', signUpFields(utf8))).status, 200);
  assert.equal(outboxTo(utf8), 1, 'the confirmation is queued: the outbox takes what the form took');
  const { c: r, id } = await startResponse();
  await fillAll(r, { invite_partner: 'yes', partner_email: utf8 });
  assert.equal((await submit(r)).status, 303);
  assert.equal(partnerOf(id), 1);
  assert.equal(outboxTo(utf8), 2);
});

test('a case\'s contact form and a campaign\'s contact address follow the same rule', async () => {
  const cid = Number(sql(srv.db, "SELECT id FROM campaigns WHERE slug = 'demo'"));
  for (const bad of [TRAILING_COMMA, 'Jean <jean@ong.org>']) {
    const p = await coord.get('/admin/campaigns');
    assert.equal(p.status, 200);
    const r = await coord.post(`/admin/campaigns/${cid}/dates`, { opens: '2020-01-01', closes: '2099-12-31', contact_name: 'X', contact_email: bad });
    assert.equal(r.status, 303);
    assert.equal(r.location, '/admin/campaigns?done=bad_dates', bad);
    assert.notEqual(sql(srv.db, `SELECT contact_email FROM campaigns WHERE id = ${cid}`), bad);
  }
  const id = Number(sql(srv.db, "SELECT id FROM cases WHERE state = 'published' AND may_contact = 1"
    + " AND (web_consent = 'named' OR texts_reviewed = 1) ORDER BY id LIMIT 1"));
  assert.ok(id > 0, 'a published case accepting messages');
  const v = new Client(srv, { localAddress: '127.0.3.2' });
  const before = Number(sql(srv.db, 'SELECT count(*) FROM outbox'));
  await v.get(`/cases/${id}`);
  const r = await v.post(`/cases/${id}/contact`, { name: 'Awa', email: TRAILING_COMMA, message: 'Bonjour, pouvons-nous en parler ?' });
  assert.equal(r.status, 422);
  assert.equal(Number(sql(srv.db, 'SELECT count(*) FROM outbox')), before);
});

test('a case whose respondent address was stored before the rule: the message goes to the campaign contact, not a 500', async () => {
  const row = sql(srv.db, "SELECT id || ' ' || response_id FROM cases WHERE state = 'published' AND may_contact = 1"
    + " AND (web_consent = 'named' OR texts_reviewed = 1) AND response_id IS NOT NULL ORDER BY id DESC LIMIT 1");
  assert.ok(row, 'a published case accepting messages, made from a response');
  const [id, rid] = row.split(' ').map(Number);
  // As it could have been saved by an earlier version of the site.
  sql(srv.db, `INSERT OR REPLACE INTO answers(response_id, question_key, position, value) VALUES (${rid}, 'respondent_email', 0, '${TRAILING_COMMA}')`);
  const contact = sql(srv.db, `SELECT contact_email FROM campaigns WHERE id = (SELECT campaign_id FROM responses WHERE id = ${rid})`);
  assert.ok(contact, 'the campaign has a contact address');
  const v = new Client(srv, { localAddress: '127.0.3.3' });
  const before = outboxTo(contact);
  await v.get(`/cases/${id}`);
  const r = await v.post(`/cases/${id}/contact`, { name: 'Awa', email: 'awa@example.org', message: 'Bonjour, pouvons-nous en parler ?' });
  assert.equal(r.status, 303, `${r.status}`);
  assert.equal(outboxTo(contact), before + 1, 'the coordinators pass it on');
  assert.equal(outboxTo(TRAILING_COMMA), 0);
});
