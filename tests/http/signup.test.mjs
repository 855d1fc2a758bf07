// signup.test.mjs - sign-up cannot be used to stall the site or flood anyone: passwords are hashed
// outside write transactions (a guard counts any slow work done inside one), sign-ups are limited
// per client address, a mailbox gets at most one sign-up mail per window, the organisation is made
// only when the address is confirmed, and pending accounts whose link expired are removed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCoexist, startServer } from '../lib/server.mjs';
import {
  Client, PASSWORD, mailDir, waitForMail, mailLink, signUp, signUpFields, confirm, signIn, addUser,
  sql, mainText, t,
} from '../lib/client.mjs';

const GUARD_LOG = /inside a write transaction/;
const NEW_PASSWORD = 'seven herons over the salt marsh';

let srv;
let mail;
before(async () => {
  mail = mailDir();
  srv = await startServer({ env: { COEXIST_MAIL_DIR: mail, COEXIST_RATE_SIGNUPS: '5' } });
});
after(async () => {
  assert.equal(await srv.stop(), 0);
  rmSync(mail, { recursive: true, force: true });
});

// Each test signs up from addresses of its own, so that the limit per client address (5 here)
// is met only where a test means to meet it.
let nextIp = 10;
const freshClient = () => new Client(srv, { localAddress: `127.0.1.${nextIp++}` });

const outboxTo = (email) => Number(sql(srv.db, `SELECT count(*) FROM outbox WHERE to_addr = '${email}' COLLATE NOCASE`));
const usersWith = (email) => Number(sql(srv.db, `SELECT count(*) FROM users WHERE email = '${email}' COLLATE NOCASE`));
const orgsNamed = (name) => Number(sql(srv.db, `SELECT count(*) FROM organisations WHERE name = '${name}'`));

// The value of one metric of /metrics (asked from the loopback interface, as Prometheus does).
async function metric(name) {
  const r = await new Client(srv).get('/metrics');
  assert.equal(r.status, 200);
  const m = new RegExp(`^${name} (\\d+)$`, 'm').exec(r.body);
  assert.ok(m, `/metrics has ${name}:\n${r.body.slice(-600)}`);
  return Number(m[1]);
}

test('sign-up, known address, confirmation, sign-in and reset: no slow work inside a write transaction', async () => {
  const email = 'guard@example.org';
  const known = 'guard-known@example.org';
  addUser(srv, 'member', known);

  const up = await signUp(freshClient(), email);
  assert.equal(up.status, 200);
  const again = await signUp(freshClient(), known);
  assert.equal(again.status, 200);
  const c = freshClient();
  assert.equal((await confirm(c, mailLink(await waitForMail(mail, email), srv, 'confirm'))).status, 303);
  assert.equal((await signIn(c, email)).status, 303);
  assert.equal((await signIn(freshClient(), email, 'not the right password at all')).status, 401);
  assert.equal((await signIn(freshClient(), 'nobody-at-all@example.org')).status, 401);

  const v = freshClient();
  await v.get('/forgot');
  assert.equal((await v.post('/forgot', { email })).status, 200);
  const link = mailLink(await waitForMail(mail, email, { count: 2 }), srv, 'reset');
  await v.get(link);
  assert.equal((await v.post(link, { password: NEW_PASSWORD, password2: NEW_PASSWORD })).status, 303);
  assert.equal((await signIn(freshClient(), email, NEW_PASSWORD)).status, 303);

  assert.equal(await metric('coexist_slow_work_in_transaction_total'), 0);
  assert.doesNotMatch(srv.log(), GUARD_LOG);
});

test('coexist user add and coexist demo hash their passwords outside their transactions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coexist-guard-'));
  try {
    const env = { COEXIST_DB: join(dir, 'guard.db'), COEXIST_CONF: '/dev/null' };
    const demo = runCoexist(['demo'], env);
    assert.equal(demo.status, 0, demo.stderr);
    assert.doesNotMatch(demo.stderr, GUARD_LOG);
    const add = runCoexist(['user', 'add', '--role', 'admin', 'cli-guard@example.org'], env, { input: `${PASSWORD}\n` });
    assert.equal(add.status, 0, add.stderr);
    assert.doesNotMatch(add.stderr, GUARD_LOG);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('15 sign-ups for an address that has an account: the same page every time, and one mail to its owner', async () => {
  const email = 'owner-flooded@example.org';
  addUser(srv, 'member', email);
  const pages = new Set();
  for (let i = 0; i < 15; i++) {
    const r = await signUp(freshClient(), email, { name: `Attempt ${i}` });
    assert.equal(r.status, 200, `attempt ${i + 1}`);
    pages.add(mainText(r.body));
  }
  assert.equal(pages.size, 1, 'one and the same page');
  assert.equal(outboxTo(email), 1, 'one message queued for 15 attempts');
  const m = await waitForMail(mail, email);
  assert.doesNotMatch(m.body, /\/confirm\//, 'an "account exists" mail (in the owner\'s language), no link to confirm');
  assert.match(m.body, new RegExp(`${srv.url}/signin`));
  assert.equal(usersWith(email), 1);
});

test('15 sign-ups for a new address: one pending account, one confirmation mail, the same page as for a known address', async () => {
  const email = 'new-flooded@example.org';
  const known = 'known-for-page@example.org';
  addUser(srv, 'member', known);
  const knownPage = mainText((await signUp(freshClient(), known)).body);
  for (let i = 0; i < 15; i++) {
    const r = await signUp(freshClient(), email, { org_name: `Flood Org ${i}` });
    assert.equal(r.status, 200, `attempt ${i + 1}`);
    assert.equal(mainText(r.body), knownPage, 'nothing tells a new address from a known one');
  }
  assert.equal(usersWith(email), 1, 'one account');
  assert.equal(outboxTo(email), 1, 'one message queued for 15 attempts');
  assert.equal((await waitForMail(mail, email)).subject, t('mail.confirm.subject'));
  assert.equal(Number(sql(srv.db, "SELECT count(*) FROM organisations WHERE name LIKE 'Flood Org %'")), 0, 'no organisation made');
});

test('sign-ups from one client address: past the limit, 429 with Retry-After, and nothing made or mailed', async () => {
  const c = new Client(srv, { localAddress: '127.0.2.1' });
  for (let i = 0; i < 5; i++) {
    const r = await signUp(c, `limited-${i}@example.org`);
    assert.equal(r.status, 200, `sign-up ${i + 1}`);
  }
  const refused = await signUp(c, 'limited-over@example.org');
  assert.equal(refused.status, 429);
  const wait = Number(refused.headers['retry-after']);
  assert.ok(Number.isInteger(wait) && wait > 0 && wait <= 3601, `Retry-After: ${refused.headers['retry-after']}`);
  assert.ok(mainText(refused.body).includes(t('rate.heading')), mainText(refused.body));
  assert.equal(usersWith('limited-over@example.org'), 0, 'no account');
  assert.equal(outboxTo('limited-over@example.org'), 0, 'no mail');
  // Another client address is not held back.
  assert.equal((await signUp(freshClient(), 'limited-other@example.org')).status, 200);
});

test('the organisation is made when the address is confirmed, once, with the name and kind typed', async () => {
  const email = 'org-later@example.org';
  const name = 'Clinique Solidaire du Sahel';
  const c = freshClient();
  assert.equal((await signUp(c, email, { org_name: name, org_kind: 'company_sme' })).status, 200);
  assert.equal(orgsNamed(name), 0, 'no organisation before confirmation');
  assert.equal(sql(srv.db, `SELECT coalesce(org_id, 'none') FROM users WHERE email = '${email}'`), 'none');

  const link = mailLink(await waitForMail(mail, email), srv, 'confirm');
  assert.equal((await confirm(c, link)).status, 303);
  assert.equal(orgsNamed(name), 1, 'one organisation after confirmation');
  assert.equal(sql(srv.db, `SELECT o.kind FROM organisations o JOIN users u ON u.org_id = o.id WHERE u.email = '${email}'`), 'company_sme');
  assert.equal((await signIn(c, email)).status, 303);
  assert.ok(mainText((await c.get('/account')).body).includes(name), 'the account page shows it');
  // The used link makes nothing more.
  assert.equal((await c.post(link, {}, { csrf: c.csrf() })).status, 404);
  assert.equal(orgsNamed(name), 1);
});

test('a pending account confirmed through a password reset gets its organisation too', async () => {
  const email = 'org-by-reset@example.org';
  const name = 'Réseau Eau et Santé';
  assert.equal((await signUp(freshClient(), email, { org_name: name })).status, 200);
  const v = freshClient();
  await v.get('/forgot');
  assert.equal((await v.post('/forgot', { email })).status, 200);
  const link = mailLink(await waitForMail(mail, email, { count: 2 }), srv, 'reset');
  await v.get(link);
  assert.equal((await v.post(link, { password: NEW_PASSWORD, password2: NEW_PASSWORD })).status, 303);
  assert.equal(orgsNamed(name), 1);
  assert.equal(sql(srv.db, `SELECT status FROM users WHERE email = '${email}'`), 'active');
});

test('a pending account whose link expired is removed: the address can sign up again', async () => {
  const email = 'expired-pending@example.org';
  assert.equal((await signUp(freshClient(), email, { name: 'First Try', org_name: 'First Org' })).status, 200);
  const first = mailLink(await waitForMail(mail, email), srv, 'confirm');
  // Three days later (the link's life), nobody having confirmed.
  sql(srv.db, `UPDATE one_time_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 seconds') WHERE user_id = (SELECT id FROM users WHERE email = '${email}')`);
  const c = freshClient();
  assert.equal((await signUp(c, email, { name: 'Second Try', org_name: 'Second Org' })).status, 200);
  assert.equal(usersWith(email), 1);
  assert.equal(sql(srv.db, `SELECT name FROM users WHERE email = '${email}'`), 'Second Try');
  const m = await waitForMail(mail, email, { count: 2 });
  assert.equal(m.subject, t('mail.confirm.subject'), 'a new confirmation link, not "you have an account"');
  assert.equal((await c.get(first)).status, 404, 'the expired link stays dead');
  assert.equal((await confirm(c, mailLink(m, srv, 'confirm'))).status, 303);
  assert.equal(orgsNamed('Second Org'), 1);
  assert.equal(orgsNamed('First Org'), 0);
});

test('sign-up errors are still answered at once with 422 and count against nothing', async () => {
  const c = new Client(srv, { localAddress: '127.0.2.2' });
  await c.get('/signup');
  for (let i = 0; i < 7; i++) {
    const r = await c.post('/signup', signUpFields(`typo-${i}@example.org`, { password2: 'not the same password' }));
    assert.equal(r.status, 422, `attempt ${i + 1}`);
  }
  assert.equal((await signUp(c, 'typo-fixed@example.org')).status, 200, 'the corrected form goes through');
});
