// roles.test.mjs - who may do what: the back office by role, organisations kept apart, role and
// status changes written to the audit log, the last admin kept, disabled people signed out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer, runCoexist } from '../lib/server.mjs';
import { Client, mailDir, newMember, newPerson, signIn, addUser, sql, mainText, t } from '../lib/client.mjs';

let srv;
let mail;
let admin;
let coord;
let memberA;
let memberB;
let orgA;
let orgB;
before(async () => {
  mail = mailDir();
  srv = await startServer({ env: { COEXIST_MAIL_DIR: mail } });
  admin = await newPerson(srv, 'admin', 'admin@example.org', { name: 'Ada Admin' });
  coord = await newPerson(srv, 'coordinator', 'coord@example.org', { name: 'Cora Coordinator' });
  memberA = await newMember(srv, mail, 'member-a@example.org', { org_name: 'Alpha Water' });
  memberB = await newMember(srv, mail, 'member-b@example.org', { org_name: 'Beta Foods', org_kind: 'company_sme' });
  orgA = Number(sql(srv.db, "SELECT org_id FROM users WHERE email = 'member-a@example.org'"));
  orgB = Number(sql(srv.db, "SELECT org_id FROM users WHERE email = 'member-b@example.org'"));
});
after(async () => {
  assert.equal(await srv.stop(), 0);
  rmSync(mail, { recursive: true, force: true });
});

const userId = (email) => Number(sql(srv.db, `SELECT id FROM users WHERE email = '${email}'`));
const userRow = (id) => sql(srv.db, `SELECT role || ' ' || status FROM users WHERE id = ${id}`);
const orgRow = (id) => sql(srv.db, `SELECT name || '|' || description FROM organisations WHERE id = ${id}`);
const shows = (r, text) => assert.ok(mainText(r.body).includes(text), `page shows "${text}":\n${mainText(r.body)}`);

// Sends a form the way its page would: the token of a page `c` may open (visitors: /signin).
async function postAs(c, path, fields) {
  await c.get(c.cookie('coexist_session') ? '/account' : '/signin');
  return c.post(path, fields);
}

// Signs in a new person with the CLI in a browser of their own.
const person = (role, email) => newPerson(srv, role, email);

test('back office by role: visitors sent to sign in, members refused, coordinators see the dashboard only', async () => {
  const target = addUser(srv, 'member', 'matrix-target@example.org');
  const gets = ['/admin', '/admin/users', '/admin/audit', '/admin/audit.csv'];
  const posts = [[`/admin/users/${target}/role`, { role: 'admin' }], [`/admin/users/${target}/status`, { status: 'disabled' }]];
  const visitor = new Client(srv);

  for (const path of gets) {
    const r = await visitor.get(path);
    assert.equal(r.status, 303, `visitor GET ${path}`);
    assert.equal(r.location, `/signin?next=${encodeURIComponent(path)}`);
  }
  for (const [path, fields] of posts) assert.equal((await postAs(visitor, path, fields)).status, 403, `visitor POST ${path}`);

  for (const path of gets) assert.equal((await memberA.get(path)).status, 403, `member GET ${path}`);
  for (const [path, fields] of posts) assert.equal((await postAs(memberA, path, fields)).status, 403, `member POST ${path}`);

  const dash = await coord.get('/admin');
  assert.equal(dash.status, 200, 'coordinator GET /admin');
  shows(dash, t('admin.title'));
  assert.ok(!dash.body.includes('href="/admin/users"') && !dash.body.includes('href="/admin/audit"'), 'no links to admin-only pages');
  for (const path of gets.slice(1)) assert.equal((await coord.get(path)).status, 403, `coordinator GET ${path}`);
  for (const [path, fields] of posts) assert.equal((await postAs(coord, path, fields)).status, 403, `coordinator POST ${path}`);

  assert.equal(userRow(target), 'member active', 'none of the refused requests changed anything');
  assert.equal(sql(srv.db, `SELECT count(*) FROM audit_log WHERE entity = 'user' AND entity_id = ${target} AND action <> 'user.create'`), '0');

  const adminDash = await admin.get('/admin');
  assert.equal(adminDash.status, 200);
  assert.ok(adminDash.body.includes('href="/admin/users"') && adminDash.body.includes('href="/admin/audit"'));
  for (const path of gets) assert.equal((await admin.get(path)).status, 200, `admin GET ${path}`);
  for (const [path, fields] of posts) assert.equal((await postAs(admin, path, fields)).status, 303, `admin POST ${path}`);
  assert.equal(userRow(target), 'admin disabled');
});

test('/account: visitors are sent to sign in; a person sees their own details only', async () => {
  const r = await new Client(srv).get('/account');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/signin?next=%2Faccount');
  const a = await memberA.get('/account');
  assert.equal(a.status, 200);
  shows(a, 'member-a@example.org');
  shows(a, 'Alpha Water');
  assert.ok(!a.body.includes('member-b@example.org') && !a.body.includes('Beta Foods'));
});

test('coordinators and admins land on /admin after sign-in; members on /account', async () => {
  for (const [role, to] of [['coordinator', '/admin'], ['admin', '/admin'], ['member', '/account']]) {
    const email = `landing-${role}@example.org`;
    addUser(srv, role, email);
    const r = await signIn(new Client(srv), email);
    assert.equal(r.status, 303);
    assert.equal(r.location, to, role);
  }
});

test('organisations are kept apart: another one\'s page is a 404 like a missing one, and cannot be changed', async () => {
  const missing = await memberA.get('/orgs/999999');
  assert.equal(missing.status, 404);
  const before = orgRow(orgB);
  for (const path of [`/orgs/${orgB}`, `/orgs/${orgB}?done=saved`]) {
    const r = await memberA.get(path);
    assert.equal(r.status, 404, `GET ${path}`);
    assert.equal(mainText(r.body), mainText(missing.body), 'exactly like a missing organisation');
    assert.ok(!r.body.includes('Beta Foods'));
  }
  for (const path of ['/orgs/0', '/orgs/-1', '/orgs/abc', `/orgs/${orgB}.0`, `/orgs/0${orgB}x`]) {
    assert.equal((await memberA.get(path)).status, 404, `GET ${path}`);
  }
  const post = await postAs(memberA, `/orgs/${orgB}`, { name: 'Taken over', description: 'by A' });
  assert.equal(post.status, 404);
  assert.equal(mainText(post.body), mainText(missing.body));
  assert.equal(orgRow(orgB), before, 'B unchanged');
  assert.equal((await postAs(memberA, '/orgs/999999', { name: 'Ghost' })).status, 404);
  assert.equal(Number(sql(srv.db, "SELECT count(*) FROM organisations WHERE name IN ('Taken over', 'Ghost')")), 0);

  // A's own page: seen and edited.
  const own = await memberA.get(`/orgs/${orgA}`);
  assert.equal(own.status, 200);
  assert.match(own.body, /<h1>Alpha Water<\/h1>/);
  const saved = await memberA.post(`/orgs/${orgA}`, { name: 'Alpha Water Trust', description: 'Wells in the Sahel.' });
  assert.equal(saved.status, 303);
  assert.equal(saved.location, `/orgs/${orgA}?done=saved`);
  const after = await memberA.get(saved.location);
  shows(after, t('org.saved'));
  assert.match(after.body, /<h1>Alpha Water Trust<\/h1>/);
  assert.match(after.body, />Wells in the Sahel\.<\/textarea>/);
  // Refused: a name too short keeps what was typed and changes nothing.
  const bad = await memberA.post(`/orgs/${orgA}`, { name: 'A', description: 'kept text' });
  assert.equal(bad.status, 422);
  assert.match(bad.body, />kept text<\/textarea>/);
  assert.equal(orgRow(orgA), 'Alpha Water Trust|Wells in the Sahel.');

  // B's member still sees B, not A.
  assert.equal((await memberB.get(`/orgs/${orgB}`)).status, 200);
  assert.equal((await memberB.get(`/orgs/${orgA}`)).status, 404);
});

test('a coordinator sees and edits every organisation, and the edit is in the audit log', async () => {
  for (const id of [orgA, orgB]) assert.equal((await coord.get(`/orgs/${id}`)).status, 200, `coordinator GET /orgs/${id}`);
  const r = await coord.post(`/orgs/${orgB}`, { name: 'Beta Foods Cooperative', description: 'Checked by the coordinator.' });
  assert.equal(r.status, 303);
  assert.equal(orgRow(orgB), 'Beta Foods Cooperative|Checked by the coordinator.');
  const log = mainText((await admin.get('/admin/audit')).body);
  assert.ok(log.includes(`coord@example.org org.update organisation #${orgB} Beta Foods Cooperative`), log);
  // B's member sees the change.
  assert.match((await memberB.get(`/orgs/${orgB}`)).body, /<h1>Beta Foods Cooperative<\/h1>/);
});

test('an admin changes a role: it applies at once, and is in the audit log page and its CSV export', async () => {
  const email = 'promoted@example.org';
  const c = await person('member', email);
  const id = userId(email);
  assert.equal((await c.get('/admin')).status, 403);

  await admin.get('/admin/users');
  const r = await admin.post(`/admin/users/${id}/role`, { role: 'coordinator' });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/admin/users?done=role');
  const list = await admin.get(r.location);
  shows(list, t('admin.users.done.role'));
  assert.match(list.body, new RegExp(`<select id="role-${id}" name="role">.*<option value="coordinator" selected>`));
  assert.equal((await c.get('/admin')).status, 200, 'the same session now opens the dashboard');

  const page = mainText((await admin.get('/admin/audit')).body);
  assert.ok(page.includes(`admin@example.org user.role user #${id} member -> coordinator`), page);

  // A bad role is refused and changes nothing.
  assert.equal((await postAs(admin, `/admin/users/${id}/role`, { role: 'superuser' })).status, 400);
  assert.equal((await postAs(admin, '/admin/users/999999/role', { role: 'admin' })).status, 404);
  assert.equal(userRow(id), 'coordinator active');

  // Demoted again: the dashboard closes at once.
  await postAs(admin, `/admin/users/${id}/role`, { role: 'member' });
  assert.equal((await c.get('/admin')).status, 403);

  const csv = await admin.get('/admin/audit.csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers['content-type'], /^text\/csv; charset=utf-8/);
  assert.match(csv.headers['content-disposition'], /^attachment; filename="coexist-audit\.csv"/);
  assert.ok(csv.body.startsWith('\uFEFF"id","at","actor","action","entity","entity_id","detail"\r\n'), 'UTF-8 BOM, then the header row');
  const rows = csv.body.slice(1).trim().split('\r\n');
  assert.ok(rows.some((l) => new RegExp(`^"\\d+","[^"]+","admin@example.org","user.role","user","${id}","member -> coordinator"$`).test(l)), 'the role change');
  assert.ok(rows.some((l) => l.endsWith(`"user.role","user","${id}","coordinator -> member"`)), 'and back');
});

test('the CSV export neutralises anything a spreadsheet would run as a formula', async () => {
  const names = ['=HYPERLINK("http://evil.example","click")', '+SUM(1,2)', '-2+3', '@SUM(1)'];
  for (const name of names) {
    await coord.get(`/orgs/${orgA}`);
    assert.equal((await coord.post(`/orgs/${orgA}`, { name })).status, 303, name);
  }
  const page = await admin.get('/admin/audit');
  assert.ok(page.body.includes('=HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)'), 'the page shows it as text');
  const csv = (await admin.get('/admin/audit.csv')).body;
  for (const name of names) {
    const quoted = `"'${name.replace(/"/g, '""')}"`;
    assert.ok(csv.includes(`,${quoted}\r\n`), `${name} is written as ${quoted}`);
    assert.ok(!csv.includes(`,"${name.replace(/"/g, '""')}"`), `${name} never starts a cell`);
  }
});

test('the last active admin can be neither demoted nor disabled', async () => {
  // First the other admins made by earlier tests step down (allowed: admin@ stays).
  const me = userId('admin@example.org');
  await admin.get('/admin/users');
  const others = sql(srv.db, `SELECT id FROM users WHERE role = 'admin' AND status = 'active' AND id <> ${me}`).split('\n').filter(Boolean);
  for (const id of others) assert.equal((await admin.post(`/admin/users/${id}/role`, { role: 'member' })).location, '/admin/users?done=role');
  const demote = await admin.post(`/admin/users/${me}/role`, { role: 'member' });
  assert.equal(demote.status, 303);
  assert.equal(demote.location, '/admin/users?done=last_admin');
  shows(await admin.get(demote.location), t('admin.users.done.last_admin'));
  const disable = await admin.post(`/admin/users/${me}/status`, { status: 'disabled' });
  assert.equal(disable.location, '/admin/users?done=last_admin');
  assert.equal(userRow(me), 'admin active');
  assert.equal((await admin.get('/admin/users')).status, 200, 'still an admin');

  // A disabled admin does not count as another one.
  const second = addUser(srv, 'admin', 'second-admin@example.org');
  await admin.get('/admin/users');
  assert.equal((await admin.post(`/admin/users/${second}/status`, { status: 'disabled' })).location, '/admin/users?done=status');
  assert.equal((await admin.post(`/admin/users/${me}/role`, { role: 'coordinator' })).location, '/admin/users?done=last_admin');
  assert.equal(userRow(me), 'admin active');

  // With another active admin, one of the two may go.
  await admin.post(`/admin/users/${second}/status`, { status: 'active' });
  const ok = await admin.post(`/admin/users/${second}/role`, { role: 'member' });
  assert.equal(ok.location, '/admin/users?done=role');
  assert.equal(userRow(second), 'member active');
});

test('disabling someone ends their sessions at once; enabled again, they sign in anew', async () => {
  const email = 'disabled@example.org';
  const a = await person('member', email);
  const b = new Client(srv);
  await signIn(b, email);
  const token = a.cookie('coexist_session');
  const id = userId(email);

  await admin.get('/admin/users');
  const r = await admin.post(`/admin/users/${id}/status`, { status: 'disabled' });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/admin/users?done=status');
  assert.equal(userRow(id), 'member disabled');
  assert.equal(Number(sql(srv.db, `SELECT count(*) FROM sessions WHERE user_id = ${id}`)), 0, 'sessions deleted');
  for (const c of [a, b]) {
    const g = await c.get('/account');
    assert.equal(g.status, 303, 'signed out');
  }
  assert.equal((await signIn(new Client(srv), email)).status, 401, 'the right password no longer opens the account');
  shows(await admin.get('/admin/audit'), `admin@example.org user.disable user #${id} ${email}`);

  await admin.get('/admin/users');
  await admin.post(`/admin/users/${id}/status`, { status: 'active' });
  const replay = new Client(srv);
  replay.setCookie('coexist_session', token);
  assert.equal((await replay.get('/account')).status, 303, 'the old session stays ended');
  assert.equal((await signIn(new Client(srv), email)).status, 303, 'a new sign-in works');
});

test('people disabled or given a role from the shell: sessions end at once, the audit log says so', async () => {
  const email = 'shell-disabled@example.org';
  const c = await person('coordinator', email);
  const id = userId(email);
  assert.equal((await c.get('/admin')).status, 200);
  const env = { COEXIST_DB: srv.db, COEXIST_CONF: '/dev/null' };

  const role = runCoexist(['user', 'role', email, 'member'], env);
  assert.equal(role.status, 0, role.stderr);
  assert.equal((await c.get('/admin')).status, 403, 'the new role applies to the open session');

  const off = runCoexist(['user', 'disable', email], env);
  assert.equal(off.status, 0, off.stderr);
  assert.equal(Number(sql(srv.db, `SELECT count(*) FROM sessions WHERE user_id = ${id}`)), 0);
  assert.equal((await c.get('/account')).status, 303, 'signed out');

  const log = mainText((await admin.get('/admin/audit')).body);
  assert.ok(log.includes(`(shell) user.role user #${id} coordinator -> member`), log);
  assert.ok(log.includes(`(shell) user.disable user #${id} ${email}`), log);
});
