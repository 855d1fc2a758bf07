// auth.test.mjs - accounts as a person meets them: sign-up and address confirmation, sign-in and
// sign-out, throttling of guesses, sessions that end, and the forgotten-password flow.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { startServer } from '../lib/server.mjs';
import {
  Client, PASSWORD, mailDir, waitForMail, mailsTo, mailLink, signUp, signUpFields, confirm, signIn,
  newMember, sql, mainText, t,
} from '../lib/client.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const NEW_PASSWORD = 'seven herons over the salt marsh';

// Every test of this file comes from 127.0.0.1, and ten failed sign-ins from one IP in 15 minutes
// lock it out: the tests that fail on purpose use few attempts here, and the throttling tests
// run on servers of their own.
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

// Starts a server of its own for one test, and stops it whatever happens.
async function withServer(env, fn) {
  const dir = mailDir();
  const s = await startServer({ env: { COEXIST_MAIL_DIR: dir, ...env } });
  try {
    await fn(s, dir);
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const shows = (r, key) => assert.ok(mainText(r.body).includes(t(key)), `page shows "${t(key)}":\n${mainText(r.body)}`);
const userField = (s, email, col) => sql(s.db, `SELECT ${col} FROM users WHERE email = '${email}' COLLATE NOCASE`);
const sessionsOf = (s, email) => Number(sql(s.db, `SELECT count(*) FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = '${email}')`));

// The error text shown under a field, or undefined.
function fieldError(body, field) {
  const m = new RegExp(`<p class="field-error" id="${field}-error">([^<]*)</p>`).exec(body);
  return m ? mainText(m[1]) : undefined;
}

// Asks /account: true when the page is shown, false when the visitor is sent to sign in.
async function isSignedIn(c) {
  const r = await c.get('/account');
  assert.ok(r.status === 200 || (r.status === 303 && r.location === '/signin?next=%2Faccount'), `GET /account: ${r.status} ${r.location}`);
  return r.status === 200;
}

test('sign-up: "check your inbox", a mailed link whose button confirms the address, once', async () => {
  const email = 'ada@example.org';
  const c = new Client(srv);
  assert.equal((await c.get('/signup')).status, 200);
  assert.ok(c.cookie('coexist_csrf'), 'the form comes with a CSRF cookie');
  const r = await c.post('/signup', signUpFields(email, { name: 'Ada Lovelace', org_name: 'Water for All' }));
  assert.equal(r.status, 200);
  shows(r, 'signup.sent.heading');
  assert.equal(userField(srv, email, 'status'), 'pending');

  const m = await waitForMail(mail, email);
  assert.equal(m.subject, t('mail.confirm.subject'));
  const link = mailLink(m, srv, 'confirm');

  // Not confirmed yet: the right password is not enough.
  const early = await signIn(new Client(srv), email);
  assert.equal(early.status, 403);
  shows(early, 'signin.error.pending');
  assert.equal(early.cookies.coexist_session, undefined, 'no session for a pending account');

  // Opening the link shows a button; only pressing it confirms (mail scanners open links).
  const page = await c.get(link);
  assert.equal(page.status, 200);
  assert.match(page.body, new RegExp(`<form method="post" action="${link}">`));
  assert.equal(userField(srv, email, 'status'), 'pending', 'opening the link alone confirms nothing');
  const done = await c.post(link);
  assert.equal(done.status, 303);
  assert.equal(done.location, '/signin?done=confirmed');
  shows(await c.get(done.location), 'signin.done.confirmed');
  assert.equal(userField(srv, email, 'status'), 'active');

  // The link works once.
  const again = await c.post(link, {}, { csrf: c.csrf() });
  assert.equal(again.status, 404);
  shows(again, 'link.invalid.heading');
  assert.equal((await c.get(link)).status, 404);

  const s = await signIn(c, email);
  assert.equal(s.status, 303);
  assert.equal(s.location, '/account');
  const account = mainText((await c.get('/account')).body);
  for (const text of ['Ada Lovelace', email, 'Water for All', t('role.member')]) assert.ok(account.includes(text), `account shows ${text}`);
  // The day the account was made, as a reader writes it (stored as ISO 8601 UTC).
  const made = sql(srv.db, `SELECT substr(created_at, 1, 10) FROM users WHERE email = '${email}'`);
  const d = new Date(`${made}T00:00:00Z`);
  const en = `${d.getUTCDate()} ${d.toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' })} ${d.getUTCFullYear()}`;
  assert.ok(account.includes(en), `the English page says "${en}":\n${account}`);
  assert.ok(!account.includes(made), 'not the stored form');
});

test('unknown, forged or malformed confirmation links all get the same 404 page', async () => {
  const email = 'forged@example.org';
  await signUp(new Client(srv), email);
  const real = mailLink(await waitForMail(mail, email), srv, 'confirm');
  const token = real.slice('/confirm/'.length);
  const flip = (s, i) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  const c = new Client(srv);
  await c.get('/signin');
  const csrf = c.csrf();
  const unknown = await c.get(`/confirm/${randomBytes(32).toString('base64url')}`);
  assert.equal(unknown.status, 404);
  shows(unknown, 'link.invalid.heading');
  for (const bad of [flip(token, 42), flip(token, 0), token.slice(0, 42), `${token}A`, 'x']) {
    const r = await c.get(`/confirm/${bad}`);
    assert.equal(r.status, 404, bad);
    assert.equal(mainText(r.body), mainText(unknown.body), `same page for ${bad}`);
    const p = await c.post(`/confirm/${bad}`, {}, { csrf });
    assert.equal(p.status, 404, `POST ${bad}`);
  }
  assert.equal(userField(srv, email, 'status'), 'pending', 'no forgery confirmed the address');
  assert.equal((await confirm(c, real)).status, 303, 'the real link still works');
});

test('sign-up errors: 422, each message next to its field, typed values kept, password never echoed', async () => {
  const c = new Client(srv);
  await c.get('/signup');
  const bad = await c.post('/signup', { name: '', email: 'not-an-address', org_name: 'X', org_kind: 'pirates', password: 'Tiny-Pw-7', password2: 'Tiny-Pw-7' });
  assert.equal(bad.status, 422);
  shows(bad, 'form.has_errors');
  assert.equal(fieldError(bad.body, 'name'), t('form.required'));
  assert.equal(fieldError(bad.body, 'email'), t('form.email_invalid'));
  assert.equal(fieldError(bad.body, 'org_name'), t('form.required'));
  assert.equal(fieldError(bad.body, 'org_kind'), t('form.choose_one'));
  assert.equal(fieldError(bad.body, 'password'), t('password.too_short'));
  assert.match(bad.body, /<input id="email" name="email"[^>]* value="not-an-address" aria-describedby="email-error" aria-invalid="true">/);
  assert.match(bad.body, /<input id="org_name" name="org_name"[^>]* value="X"/);
  assert.ok(!bad.body.includes('Tiny-Pw-7'), 'the password is not sent back');

  // Everything right but the repeated password: only that field is flagged, the rest kept.
  const other = 'seven herons over the salt lake';
  const mismatch = await c.post('/signup', signUpFields('mismatch@example.org', { name: 'Mary Seacole', org_name: 'Clinic & Co', org_kind: 'company_sme', password2: other }));
  assert.equal(mismatch.status, 422);
  assert.equal(fieldError(mismatch.body, 'password2'), t('form.password_mismatch'));
  for (const f of ['name', 'email', 'org_name', 'org_kind', 'password']) assert.equal(fieldError(mismatch.body, f), undefined, `no error on ${f}`);
  assert.match(mismatch.body, /name="name"[^>]* value="Mary Seacole"/);
  assert.match(mismatch.body, /name="email"[^>]* value="mismatch@example.org"/);
  assert.match(mismatch.body, /name="org_name"[^>]* value="Clinic &amp; Co"/);
  assert.match(mismatch.body, /<option value="company_sme" selected>/);
  assert.ok(!mismatch.body.includes(PASSWORD) && !mismatch.body.includes(other), 'neither password is sent back');
  assert.equal(userField(srv, 'mismatch@example.org', 'count(*)'), '0', 'no account made');
  assert.equal(sql(srv.db, "SELECT count(*) FROM outbox WHERE to_addr = 'mismatch@example.org'"), '0', 'no mail');
});

test('signing up again with a known address: the same page, an "account exists" mail (one per 15 minutes), still one account', async () => {
  const email = 'twice@example.org';
  const first = await signUp(new Client(srv), email);
  const link = mailLink(await waitForMail(mail, email), srv, 'confirm');
  const orgs = sql(srv.db, 'SELECT count(*) FROM organisations');

  const other = 'seven herons over the salt lake';
  const again = await signUp(new Client(srv), 'TWICE@example.org', { name: 'Someone Else', org_name: 'Other Org', password: other, password2: other });
  assert.equal(again.status, 200);
  assert.equal(mainText(again.body), mainText(first.body), 'the page says nothing about the address');
  // The confirmation went to this mailbox a moment ago: nothing more for 15 minutes.
  assert.equal(sql(srv.db, `SELECT count(*) FROM outbox WHERE to_addr = '${email}'`), '1', 'no second mail at once');
  sql(srv.db, `UPDATE users SET signup_mail_at = strftime('%Y-%m-%dT%H:%M:%SZ', signup_mail_at, '-900 seconds') WHERE email = '${email}'`);
  const later = await signUp(new Client(srv), 'TWICE@example.org', { name: 'Someone Else', org_name: 'Other Org', password: other, password2: other });
  assert.equal(mainText(later.body), mainText(first.body));
  const m = await waitForMail(mail, email, { count: 2 });
  assert.equal(m.to, email, 'told to the owner of the account');
  assert.equal(m.subject, t('mail.exists.subject'));
  assert.doesNotMatch(m.body, /\/confirm\//, 'no confirmation link');
  assert.match(m.body, new RegExp(`${srv.url}/signin`));

  assert.equal(userField(srv, email, 'count(*)'), '1', 'still one account');
  assert.equal(sql(srv.db, 'SELECT count(*) FROM organisations'), orgs, 'no new organisation');
  assert.equal(userField(srv, email, 'name'), 'Ada Lovelace', 'the account is unchanged');
  const c = new Client(srv);
  await confirm(c, link);
  assert.equal((await signIn(c, email, other)).status, 401, 'the second password does not open the account');
  assert.equal((await signIn(c, email)).status, 303, 'the first one does');
});

// The one timed assertion of these tests, because the time of the answer is itself what would
// tell a known address from a new one. Interleaved runs, medians, and a factor of two of slack.
test('sign-in: a session cookie (HttpOnly, SameSite=Lax), a new token every time, the old one ended', async () => {
  const email = 'grace@example.org';
  const c = new Client(srv);
  await signUp(c, email);
  await confirm(c, mailLink(await waitForMail(mail, email), srv, 'confirm'));
  const r = await signIn(c, email);
  assert.equal(r.status, 303);
  assert.equal(r.location, '/account');
  const set = r.headers['set-cookie'].find((h) => h.startsWith('coexist_session='));
  assert.match(set, /; Path=\/;/);
  assert.match(set, /; HttpOnly/);
  assert.match(set, /; SameSite=Lax/);
  const first = c.cookie('coexist_session');
  assert.match(first, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(await isSignedIn(c));

  // Signing in again in the same browser: a new token, and the one it had stops working.
  const again = await signIn(c, email);
  assert.equal(again.status, 303);
  const second = c.cookie('coexist_session');
  assert.notEqual(second, first);
  assert.ok(await isSignedIn(c));
  const replay = new Client(srv);
  replay.setCookie('coexist_session', first);
  assert.equal(await isSignedIn(replay), false, 'the previous token no longer signs in');

  // Another browser gets its own token; both stay signed in.
  const other = new Client(srv);
  await signIn(other, email);
  assert.ok(![first, second].includes(other.cookie('coexist_session')));
  assert.ok(await isSignedIn(other));
  assert.ok(await isSignedIn(c));
  assert.equal(sessionsOf(srv, email), 2);

  // A token planted in the browser before sign-in (session fixation) is not the one signed in.
  const planted = new Client(srv);
  await planted.get('/signin');
  const fixed = randomBytes(32).toString('base64url');
  planted.setCookie('coexist_session', fixed);
  const p = await planted.post('/signin', { email, password: PASSWORD });
  assert.equal(p.status, 303);
  assert.notEqual(planted.cookie('coexist_session'), fixed);
  assert.ok(await isSignedIn(planted));
  const attacker = new Client(srv);
  attacker.setCookie('coexist_session', fixed);
  assert.equal(await isSignedIn(attacker), false);
  assert.equal(sessionsOf(srv, email), 3);
});

test('a wrong password or an unknown address: 401, the same form again, no session', async () => {
  const email = 'hedy@example.org';
  await newMember(srv, mail, email);
  const c = new Client(srv);
  const wrong = await signIn(c, email, 'not the right password at all');
  assert.equal(wrong.status, 401);
  shows(wrong, 'signin.error.wrong');
  assert.match(wrong.body, /<form method="post" action="\/signin">/);
  assert.match(wrong.body, new RegExp(`name="email"[^>]* value="${email}"`), 'the address is kept');
  assert.ok(!wrong.body.includes('not the right password at all'), 'the password is not');
  assert.equal(wrong.cookies.coexist_session, undefined);
  const unknown = await signIn(c, 'nobody@example.org', 'not the right password at all');
  assert.equal(unknown.status, 401);
  assert.equal(mainText(unknown.body), mainText(wrong.body), 'nothing tells a known address from an unknown one');
  assert.equal(await isSignedIn(c), false);
});

test('a visitor sent to sign in comes back where they were going, never to another site', async () => {
  const email = 'katherine@example.org';
  await newMember(srv, mail, email);
  const c = new Client(srv);
  const r = await c.get('/account');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/signin?next=%2Faccount');
  const page = await c.get(r.location);
  assert.match(page.body, /<input type="hidden" name="next" value="\/account">/);
  const s = await c.post('/signin', { email, password: PASSWORD, next: '/account' });
  assert.equal(s.status, 303);
  assert.equal(s.location, '/account');

  for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
    const o = new Client(srv);
    const a = await signIn(o, email, PASSWORD, { next });
    assert.equal(a.status, 303, next);
    assert.equal(a.location, '/account', `next=${next} is not followed`);
  }
});

test('sign-out ends the session on the server: the old cookie, replayed, is not signed in', async () => {
  const email = 'rosalind@example.org';
  const c = await newMember(srv, mail, email);
  const token = c.cookie('coexist_session');
  await c.get('/account');
  const out = await c.post('/signout');
  assert.equal(out.status, 303);
  assert.equal(out.location, '/');
  assert.equal(out.cookies.coexist_session, '', 'the browser is told to forget the cookie');
  assert.equal(await isSignedIn(c), false);
  assert.equal(sessionsOf(srv, email), 0);

  const replay = new Client(srv);
  replay.setCookie('coexist_session', token);
  assert.equal(await isSignedIn(replay), false, 'the old token does not sign in');
  assert.ok(!(await replay.get('/')).body.includes('action="/signout"'), 'the home page shows a visitor');
});

test('forgotten password: the same page for any address, a link that works once, every session ended', async () => {
  const email = 'barbara@example.org';
  const a = await newMember(srv, mail, email);
  const b = new Client(srv);
  assert.equal((await signIn(b, email)).status, 303);
  const mailsBefore = mailsTo(mail, email).length;

  const v = new Client(srv);
  assert.equal((await v.get('/forgot')).status, 200);
  const known = await v.post('/forgot', { email });
  assert.equal(known.status, 200);
  shows(known, 'forgot.sent.heading');
  await v.get('/forgot');
  const unknown = await v.post('/forgot', { email: 'nobody-here@example.org' });
  assert.equal(unknown.status, 200);
  assert.equal(mainText(unknown.body), mainText(known.body), 'nothing tells whether an account exists');
  assert.equal(sql(srv.db, "SELECT count(*) FROM outbox WHERE to_addr = 'nobody-here@example.org'"), '0');

  const m = await waitForMail(mail, email, { count: mailsBefore + 1 });
  assert.equal(m.subject, t('mail.reset.subject'));
  const link = mailLink(m, srv, 'reset');

  // Asking again at once sends no second link (a mailbox cannot be flooded from the form).
  await v.get('/forgot');
  assert.equal((await v.post('/forgot', { email })).status, 200);
  assert.equal(sql(srv.db, `SELECT count(*) FROM outbox WHERE to_addr = '${email}' AND subject = '${t('mail.reset.subject')}'`), '1');

  const form = await v.get(link);
  assert.equal(form.status, 200);
  const mismatch = await v.post(link, { password: NEW_PASSWORD, password2: `${NEW_PASSWORD}!` });
  assert.equal(mismatch.status, 422);
  assert.equal(fieldError(mismatch.body, 'password2'), t('form.password_mismatch'));
  assert.ok(await isSignedIn(a), 'a refused form changes nothing');
  const done = await v.post(link, { password: NEW_PASSWORD, password2: NEW_PASSWORD });
  assert.equal(done.status, 303);
  assert.equal(done.location, '/signin?done=reset');
  shows(await v.get(done.location), 'signin.done.reset');

  assert.equal(await isSignedIn(a), false, 'first browser signed out');
  assert.equal(await isSignedIn(b), false, 'second browser signed out');
  assert.equal(sessionsOf(srv, email), 0);
  assert.equal((await signIn(new Client(srv), email)).status, 401, 'the old password no longer works');
  assert.equal((await signIn(new Client(srv), email, NEW_PASSWORD)).status, 303, 'the new one does');

  // Used once: the link is dead.
  const reuse = await v.get(link);
  assert.equal(reuse.status, 404);
  shows(reuse, 'link.invalid.heading');
  const form2 = await v.get('/forgot');
  assert.equal(form2.status, 200);
  const repost = await v.post(link, { password: 'yet another sentence for a password', password2: 'yet another sentence for a password' });
  assert.equal(repost.status, 404);
  assert.equal((await signIn(new Client(srv), email, NEW_PASSWORD)).status, 303, 'the password is still the one chosen');
});

test('an expired, used, forged or unknown reset link: one and the same 404 page', async () => {
  const email = 'dorothy@example.org';
  await newMember(srv, mail, email);
  const v = new Client(srv);
  await v.get('/forgot');
  await v.post('/forgot', { email });
  const link = mailLink(await waitForMail(mail, email, { count: 2 }), srv, 'reset');
  const token = link.slice('/reset/'.length);

  const unknown = await v.get(`/reset/${randomBytes(32).toString('base64url')}`);
  assert.equal(unknown.status, 404);
  shows(unknown, 'link.invalid.heading');
  const forged = await v.get(`/reset/${token.slice(0, 42)}${token[42] === 'A' ? 'B' : 'A'}`);
  assert.equal(forged.status, 404);
  assert.equal(mainText(forged.body), mainText(unknown.body));

  assert.equal((await v.get(link)).status, 200, 'the link works before it expires');
  sql(srv.db, `UPDATE one_time_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 seconds') WHERE purpose = 'reset' AND user_id = (SELECT id FROM users WHERE email = '${email}')`);
  const expired = await v.get(link);
  assert.equal(expired.status, 404);
  assert.equal(mainText(expired.body), mainText(unknown.body));
  await v.get('/forgot');
  const post = await v.post(link, { password: NEW_PASSWORD, password2: NEW_PASSWORD });
  assert.equal(post.status, 404);
  assert.equal(mainText(post.body), mainText(unknown.body));
  assert.equal((await signIn(new Client(srv), email)).status, 303, 'the password is unchanged');
});

test('throttling per address: 10 failures (from 10 IPs) lock the address, even with the right password', async () => {
  await withServer({}, async (s, dir) => {
    const victim = 'victim@example.org';
    const bystander = 'bystander@example.org';
    await newMember(s, dir, victim);
    await newMember(s, dir, bystander);
    // One failure from each of ten addresses: no single IP reaches its own limit.
    for (let i = 0; i < 10; i++) {
      const r = await signIn(new Client(s, { localAddress: `127.0.0.${10 + i}` }), victim, `wrong guess number ${i}`);
      assert.equal(r.status, 401, `failure ${i + 1}`);
    }
    const owner = new Client(s, { localAddress: '127.0.0.30' });
    const locked = await signIn(owner, victim);
    assert.equal(locked.status, 429, 'the right password is refused too');
    const wait = Number(locked.headers['retry-after']);
    assert.ok(Number.isInteger(wait) && wait > 800 && wait <= 901, `Retry-After: ${locked.headers['retry-after']}`);
    shows(locked, 'signin.throttled.heading');
    assert.ok(mainText(locked.body).includes(`${t('signin.throttled.minutes')} ${Math.ceil(wait / 60)}`), 'the wait is shown in minutes');
    assert.equal(locked.cookies.coexist_session, undefined);
    assert.equal(await isSignedIn(owner), false);

    // Other people are not locked out, even from an IP that took part.
    const other = await signIn(new Client(s, { localAddress: '127.0.0.10' }), bystander);
    assert.equal(other.status, 303);
  });
});

test('locked out by someone else\'s guesses, the owner gets in by choosing a new password, as the 429 page says', async () => {
  await withServer({}, async (s, dir) => {
    const email = 'locked-owner@example.org';
    await newMember(s, dir, email);
    for (let i = 0; i < 10; i++) await signIn(new Client(s, { localAddress: `127.0.0.${50 + i}` }), email, `wrong guess number ${i}`);
    const owner = new Client(s, { localAddress: '127.0.0.70' });
    const locked = await signIn(owner, email);
    assert.equal(locked.status, 429);
    assert.ok(mainText(locked.body).includes(t('signin.throttled.text')), 'the page offers "Forgot your password?" as a way in');
    assert.ok(t('signin.throttled.text').includes(t('signin.forgot')));

    // The owner follows that advice: the link proves they hold the mailbox.
    await owner.get('/forgot');
    await owner.post('/forgot', { email });
    const link = mailLink(await waitForMail(dir, email, { count: 2 }), s, 'reset');
    await owner.get(link);
    assert.equal((await owner.post(link, { password: NEW_PASSWORD, password2: NEW_PASSWORD })).status, 303);
    const r = await signIn(owner, email, NEW_PASSWORD);
    assert.equal(r.status, 303, `signed in with the new password (got ${r.status}, Retry-After ${r.headers['retry-after']})`);
  });
});

test('throttling per IP: 10 failures on different addresses lock that IP, not the others', async () => {
  await withServer({}, async (s, dir) => {
    const email = 'ip-owner@example.org';
    await newMember(s, dir, email);
    const ip = '127.0.0.40';
    for (let i = 0; i < 10; i++) {
      const r = await signIn(new Client(s, { localAddress: ip }), `guess${i}@example.org`, 'a guessed password');
      assert.equal(r.status, 401, `failure ${i + 1}`);
    }
    const locked = await signIn(new Client(s, { localAddress: ip }), email);
    assert.equal(locked.status, 429, 'a real account with its right password, from that IP');
    assert.ok(Number(locked.headers['retry-after']) > 800);
    const elsewhere = await signIn(new Client(s, { localAddress: '127.0.0.41' }), email);
    assert.equal(elsewhere.status, 303, 'the same account from another IP');
  });
});

test('idle expiry: a session unused for more than COEXIST_IDLE_TIMEOUT=2 s is gone', async () => {
  await withServer({ COEXIST_IDLE_TIMEOUT: '2' }, async (s, dir) => {
    const email = 'idle@example.org';
    const c = await newMember(s, dir, email);
    // Used every second for longer than the limit: each use keeps it alive.
    for (let i = 0; i < 4; i++) {
      await sleep(1000);
      assert.equal(await isSignedIn(c), true, `still signed in after ${i + 1} s of use`);
    }
    await sleep(3500);
    assert.equal(await isSignedIn(c), false, 'signed out after 3.5 s unused');
    assert.equal(sessionsOf(s, email), 0, 'and the session is gone from the database');
  });
});

test('absolute limit: COEXIST_SESSION_LIFETIME=2 ends a session in use', async () => {
  await withServer({ COEXIST_SESSION_LIFETIME: '2' }, async (s, dir) => {
    const email = 'lifetime@example.org';
    const c = new Client(s);
    await signUp(c, email);
    await confirm(c, mailLink(await waitForMail(dir, email), s, 'confirm'));
    const start = Date.now();
    const r = await signIn(c, email);
    assert.match(r.headers['set-cookie'].find((h) => h.startsWith('coexist_session=')), /Max-Age=2;/, 'the cookie says so too');
    await sleep(900);
    assert.equal(await isSignedIn(c), true, 'signed in at 1 s');
    // Used twice a second (the idle limit is not what ends it), the session still ends.
    while (Date.now() - start < 3300) {
      await sleep(500);
      if (!(await isSignedIn(c))) break;
    }
    assert.ok(Date.now() - start >= 2000, 'not before its lifetime');
    assert.equal(await isSignedIn(c), false, 'signed out once its lifetime has passed');
    assert.equal(sessionsOf(s, email), 0);
  });
});
