// csrf.test.mjs - every state-changing form refuses a forged request (403, nothing changed):
// missing, wrong or borrowed tokens, foreign origins; the page's own token works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { startServer } from '../lib/server.mjs';
import { Client, PASSWORD, mailDir, newMember, newPerson, addUser, sql, mainText, t } from '../lib/client.mjs';

let srv;
let mail;
before(async () => {
  mail = mailDir();
  srv = await startServer({ env: { COEXIST_MAIL_DIR: mail } });
});
after(async () => {
  assert.equal(await srv.stop(), 0);
  rmSync(mail, { recursive: true, force: true });
});

const randomToken = () => randomBytes(32).toString('base64url');
const sessions = (email) => Number(sql(srv.db, `SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = '${email}'`));

// The token a page gives `c` (a signed-in person's, or a visitor's bound to their cookie).
async function tokenOf(c, page) {
  const r = await c.get(page);
  assert.equal(r.status, 200, `GET ${page}`);
  const tok = c.csrf();
  assert.match(tok, /^[A-Za-z0-9_-]{43}$/);
  return tok;
}

// A visitor's CSRF cookie and the token that goes with it.
async function visitorPair() {
  const v = new Client(srv);
  const token = await tokenOf(v, '/signin');
  return { cookie: v.cookie('coexist_csrf'), token };
}

// Sends `fields` to `path` as `c` in every forged way and checks each is refused with a 403
// page and changes nothing (`unchanged` asserts that). `right` is c's own token; `borrowed`
// is the token of someone else's session.
async function assertForgeriesRefused(c, path, fields, { right, borrowed, visitor }, unchanged) {
  // A token that is not even well formed is refused before the gate, by the declared inputs
  // (400): refused all the same.
  const cases = [
    ['no token', { csrf: null }],
    ['an empty token', { csrf: '' }, 400],
    ['a token with characters no token has', { csrf: `${right.slice(0, 40)}<%>` }, 400],
    ['a made-up token', { csrf: randomToken() }],
    ['the token with one character changed', { csrf: right.slice(0, -1) + (right.endsWith('A') ? 'B' : 'A') }],
    ["another session's token", { csrf: borrowed }],
    ['a foreign Origin', { csrf: right, origin: 'http://evil.example' }],
    ['Origin: null (a sandboxed page)', { csrf: right, origin: 'null' }],
    ['an Origin on another port', { csrf: right, origin: `http://127.0.0.1:${srv.port + 1}` }],
    ['an Origin that only begins like this site', { csrf: right, origin: `${srv.url}.evil.example` }],
    ['a foreign Referer and no Origin', { csrf: right, origin: null, headers: { Referer: 'http://evil.example/page' } }],
    ['Sec-Fetch-Site: cross-site', { csrf: right, headers: { 'Sec-Fetch-Site': 'cross-site' } }],
    ['Sec-Fetch-Site: same-site', { csrf: right, headers: { 'Sec-Fetch-Site': 'same-site' } }],
  ];
  for (const [what, opts, status = 403] of cases) {
    const r = await c.post(path, fields, opts);
    assert.equal(r.status, status, `${path} with ${what}`);
    assert.ok(mainText(r.body).includes(t(`error.${status}.heading`)), `${what}: the ${status} page`);
    assert.equal(r.cookies.coexist_session, undefined, `${what}: no new session`);
    await unchanged(what);
  }
  // A visitor's token with its cookie, sent along with a session (or by a visitor, for a
  // signed-in person's token): the two kinds are never interchangeable.
  const saved = c.cookie('coexist_csrf');
  c.setCookie('coexist_csrf', visitor.cookie);
  const r = await c.post(path, fields, { csrf: visitor.token });
  c.setCookie('coexist_csrf', saved);
  assert.equal(r.status, 403, `${path} with a visitor's token and cookie`);
  await unchanged("a visitor's token");
}

test('POST /signout: forged requests leave the person signed in; the page\'s token signs out', async () => {
  const email = 'signout@example.org';
  const c = await newMember(srv, mail, email);
  const other = await newMember(srv, mail, 'signout-other@example.org');
  const borrowed = await tokenOf(other, '/account');
  const right = await tokenOf(c, '/account');
  await assertForgeriesRefused(c, '/signout', {}, { right, borrowed, visitor: await visitorPair() }, async (what) => {
    assert.equal((await c.get('/account')).status, 200, `${what}: still signed in`);
    assert.equal(sessions(email), 1);
  });
  const ok = await c.post('/signout', {}, { csrf: right });
  assert.equal(ok.status, 303);
  assert.equal((await c.get('/account')).status, 303, 'signed out');
  assert.equal(sessions(email), 0);
});

test('POST /orgs/{id}: forged requests leave the organisation as it was; the page\'s token saves', async () => {
  const c = await newMember(srv, mail, 'orgs@example.org', { org_name: 'River Keepers' });
  const id = sql(srv.db, "SELECT org_id FROM users WHERE email = 'orgs@example.org'");
  const other = await newMember(srv, mail, 'orgs-other@example.org');
  const borrowed = await tokenOf(other, '/account');
  const right = await tokenOf(c, `/orgs/${id}`);
  const fields = { name: 'Hijacked', description: 'written by another site' };
  const org = () => sql(srv.db, `SELECT name || '|' || description FROM organisations WHERE id = ${id}`);
  await assertForgeriesRefused(c, `/orgs/${id}`, fields, { right, borrowed, visitor: await visitorPair() }, async (what) => {
    assert.equal(org(), 'River Keepers|', `${what}: unchanged`);
  });
  const ok = await c.post(`/orgs/${id}`, { name: 'River Keepers of the Loire', description: 'Clean water.' }, { csrf: right });
  assert.equal(ok.status, 303);
  assert.equal(org(), 'River Keepers of the Loire|Clean water.');
});

test('POST /admin/users/{id}/role: forged requests change no role; the page\'s token does', async () => {
  const admin = await newPerson(srv, 'admin', 'csrf-admin@example.org');
  const other = await newPerson(srv, 'admin', 'csrf-admin2@example.org');
  const target = addUser(srv, 'member', 'csrf-target@example.org');
  const borrowed = await tokenOf(other, '/admin/users');
  const right = await tokenOf(admin, '/admin/users');
  const path = `/admin/users/${target}/role`;
  const role = () => sql(srv.db, `SELECT role FROM users WHERE id = ${target}`);
  const audits = () => sql(srv.db, `SELECT count(*) FROM audit_log WHERE action = 'user.role' AND entity_id = ${target}`);
  await assertForgeriesRefused(admin, path, { role: 'admin' }, { right, borrowed, visitor: await visitorPair() }, async (what) => {
    assert.equal(role(), 'member', `${what}: role unchanged`);
    assert.equal(audits(), '0', `${what}: nothing in the audit log`);
  });
  const ok = await admin.post(path, { role: 'admin' }, { csrf: right });
  assert.equal(ok.status, 303);
  assert.equal(role(), 'admin');
  assert.equal(audits(), '1');
});

test('POST /signin: forged requests sign nobody in; the form\'s token does', async () => {
  const email = 'signin-csrf@example.org';
  addUser(srv, 'member', email);
  const v = new Client(srv);
  const right = await tokenOf(v, '/signin');
  const borrowed = (await visitorPair()).token; // another visitor's token, without their cookie
  const member = await newMember(srv, mail, 'signin-csrf-member@example.org');
  const sessionToken = await tokenOf(member, '/account');
  // For a visitor, "a visitor's token" is replaced by a signed-in person's token without its session.
  const asSession = { cookie: v.cookie('coexist_csrf'), token: sessionToken };
  await assertForgeriesRefused(v, '/signin', { email, password: PASSWORD }, { right, borrowed, visitor: asSession }, async (what) => {
    assert.equal(sessions(email), 0, `${what}: no session made`);
  });
  const ok = await v.post('/signin', { email, password: PASSWORD }, { csrf: right });
  assert.equal(ok.status, 303);
  assert.equal(sessions(email), 1);
});

test('the token is bound to the session: after signing in again, the old page\'s token is refused', async () => {
  const email = 'rebound@example.org';
  const c = await newMember(srv, mail, email);
  const old = await tokenOf(c, '/account');
  const again = await c.post('/signin', { email, password: PASSWORD }, { csrf: old });
  assert.equal(again.status, 303, 'signed in again with the page\'s token');
  const r = await c.post('/signout', {}, { csrf: old });
  assert.equal(r.status, 403, "the previous session's token no longer works");
  assert.equal((await c.get('/account')).status, 200, 'still signed in');
});

test('state never changes on GET: GET /signout is refused and signs nobody out', async () => {
  const c = await newMember(srv, mail, 'get-signout@example.org');
  const r = await c.get('/signout');
  assert.equal(r.status, 405);
  assert.equal((await c.get('/account')).status, 200);
});
