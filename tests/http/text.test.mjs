// text.test.mjs - long accented text kept whole: every form where a person types a long text is
// sent at its limit in characters (made of "é", and of "é😀ß" with 4-byte characters), shown back
// whole (same characters, valid UTF-8), sent again unchanged, and still the same bytes in the
// database: organisations, sign-up names (account, people, `coexist user list`), the audit log,
// campaigns (titles, contact), responses in the coordinators' list, and coordinators' notes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer, runCoexist } from '../lib/server.mjs';
import { Client, mailDir, newMember, newPerson, sql, mainText } from '../lib/client.mjs';

let srv;
let mail;
let admin;
let coord;
before(async () => {
  mail = mailDir();
  srv = await startServer({ env: { COEXIST_MAIL_DIR: mail } });
  admin = await newPerson(srv, 'admin', 'text-admin@example.org');
  coord = await newPerson(srv, 'coordinator', 'text-coord@example.org');
});
after(async () => {
  assert.equal(await srv.stop(), 0);
  rmSync(mail, { recursive: true, force: true });
});

// The two kinds of text: n characters of "é" (2 bytes each), or of "é", "😀" (4 bytes) and "ß".
const VARIANTS = [
  ['é', (n) => 'é'.repeat(n)],
  ['é😀ß', (n) => Array.from({ length: n }, (_, i) => ['é', '😀', 'ß'][i % 3]).join('')],
];

const chars = (s) => [...s].length;
const hex = (s) => Buffer.from(s, 'utf8').toString('hex').toUpperCase();
const entities = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" };
const unescape = (s) => s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e) => entities[e]);

// A page whose bytes were valid UTF-8 decodes without a replacement character (none is typed).
function validUtf8(r, what) {
  assert.ok(!r.body.includes('\uFFFD'), `${what}: the page is valid UTF-8 (no character cut in two)`);
}

// A text as the page shows it is the text sent: same number of characters, same characters.
function sameText(shown, want, what) {
  assert.ok(shown !== undefined, `${what}: on the page`);
  assert.equal(chars(shown), chars(want), `${what}: ${chars(want)} characters shown`);
  assert.ok(shown === want, `${what}: shown as typed`);
}

// The page's main text holds the whole text (not a cut one).
function showsWhole(r, want, what) {
  validUtf8(r, what);
  assert.ok(mainText(r.body).includes(want), `${what}: the ${chars(want)} characters are shown whole`);
}

// The value of input `name` (or the text of textarea `name`) in an HTML fragment, unescaped.
function fieldValue(html, name) {
  const input = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html);
  if (input) {
    const v = /value="([^"]*)"/.exec(input[0]);
    return v ? unescape(v[1]) : '';
  }
  const area = new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  return area ? unescape(area[1]) : undefined;
}

// The database holds exactly the bytes of `texts`: `query` selects their hex() joined by ' '.
function storedAs(query, texts, what) {
  const got = sql(srv.db, query);
  const want = texts.map(hex).join(' ');
  const bytes = (h) => h.split(' ').map((x) => x.length / 2).join(' + ');
  assert.ok(got === want, `${what}: ${bytes(got)} bytes in the database, ${bytes(want)} typed`);
}

for (const [label, make] of VARIANTS) {
  test(`organisation (${label}): name 200 and description 4000 shown whole, saved again unchanged by its member and a coordinator, audited whole`, async () => {
    const email = `org-${hex(label).slice(0, 8).toLowerCase()}@example.org`;
    const member = await newMember(srv, mail, email, { org_name: 'Short name' });
    const id = Number(sql(srv.db, `SELECT org_id FROM users WHERE email = '${email}'`));
    const name = make(200);
    const description = make(4000);
    await member.get(`/orgs/${id}`);
    const saved = await member.post(`/orgs/${id}`, { name, description });
    assert.equal(saved.status, 303, 'the member saves the longest allowed texts');
    const stored = (what) => storedAs(`SELECT hex(name) || ' ' || hex(description) FROM organisations WHERE id = ${id}`, [name, description], what);
    stored('stored as typed');

    // The member opens the page again and saves it as it is.
    const page = await member.get(`/orgs/${id}`);
    assert.equal(page.status, 200);
    validUtf8(page, 'organisation page');
    sameText(fieldValue(page.body, 'name'), name, 'name field');
    sameText(fieldValue(page.body, 'description'), description, 'description field');
    sameText(unescape((/<h1>([^<]*)<\/h1>/.exec(page.body) || [])[1]), name, 'heading');
    const again = await member.post(`/orgs/${id}`, { name: fieldValue(page.body, 'name'), description: fieldValue(page.body, 'description') });
    assert.equal(again.status, 303);
    stored('the same bytes after saving the page unchanged');

    // A coordinator does the same: audited, with the organisation's name whole.
    const seen = await coord.get(`/orgs/${id}`);
    validUtf8(seen, 'organisation page (coordinator)');
    const byCoord = await coord.post(`/orgs/${id}`, { name: fieldValue(seen.body, 'name'), description: fieldValue(seen.body, 'description') });
    assert.equal(byCoord.status, 303);
    stored('the same bytes after a coordinator saved the page unchanged');
    storedAs(`SELECT hex(detail) FROM audit_log WHERE action = 'org.update' AND entity_id = ${id}`, [name], 'audit entry');
    showsWhole(await admin.get('/admin/audit'), name, 'audit log');
    const csv = await admin.get('/admin/audit.csv');
    assert.equal(csv.status, 200);
    validUtf8(csv, 'audit log export');
    assert.ok(csv.body.includes(name), 'audit log export: the name whole');
  });

  test(`sign-up (${label}): a name of 120 characters and an organisation of 200 shown whole on /account, /admin/users and by \`coexist user list\``, async () => {
    const email = `signup-${hex(label).slice(0, 8).toLowerCase()}@example.org`;
    const name = make(120);
    const orgName = make(200);
    const member = await newMember(srv, mail, email, { name, org_name: orgName });
    storedAs(`SELECT hex(u.name) || ' ' || hex(o.name) FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.email = '${email}'`, [name, orgName], 'stored as typed');
    const account = await member.get('/account');
    assert.equal(account.status, 200);
    validUtf8(account, '/account');
    sameText(unescape((/<dd>([^<]*)<\/dd>/.exec(account.body) || [])[1]), name, 'name on /account');
    sameText(unescape((/<a href="\/orgs\/\d+">([^<]*)<\/a>/.exec(account.body) || [])[1]), orgName, 'organisation on /account');

    const people = await admin.get('/admin/users');
    assert.equal(people.status, 200);
    validUtf8(people, '/admin/users');
    const row = new RegExp(`<tr>\\s*<td>${email.replace(/\./g, '\\.')}[\\s\\S]*?</tr>`).exec(people.body);
    assert.ok(row, 'the person is listed');
    sameText(unescape((/<\/td>\s*<td>([^<]*)<\/td>/.exec(row[0]) || [])[1]), name, 'name on /admin/users');

    const list = runCoexist(['user', 'list'], { COEXIST_DB: srv.db, COEXIST_CONF: '/dev/null' });
    assert.equal(list.status, 0, list.stderr);
    assert.ok(!list.stdout.includes('\uFFFD'), '`coexist user list` writes valid UTF-8');
    const line = list.stdout.split('\n').find((l) => l.includes(email));
    assert.ok(line && line.endsWith(name), '`coexist user list` shows the name whole');
  });

  test(`campaign (${label}): titles of 200 and a contact of 120 kept at creation, shown whole, and kept when the dates form is sent again`, async () => {
    const slug = `text-${hex(label).slice(0, 8).toLowerCase()}`;
    const titleFr = make(200);
    const titleEn = make(199) + 'e'; // not the French one, to tell which is shown
    const contact = make(120);
    await coord.get('/admin/campaigns');
    const made = await coord.post('/admin/campaigns', {
      slug, title_fr: titleFr, title_en: titleEn, questionnaire: 'coexist-v1',
      opens: '2026-01-01', closes: '2099-12-31', contact_name: contact, contact_email: 'team@example.org',
    });
    assert.equal(made.status, 303);
    assert.equal(made.location, '/admin/campaigns?done=created');
    const id = Number(sql(srv.db, `SELECT id FROM campaigns WHERE slug = '${slug}'`));
    const stored = (what) => storedAs(`SELECT hex(title_fr) || ' ' || hex(title_en) || ' ' || hex(contact_name) FROM campaigns WHERE id = ${id}`, [titleFr, titleEn, contact], what);
    stored('stored as typed');

    const list = await coord.get('/admin/campaigns');
    validUtf8(list, '/admin/campaigns');
    const card = new RegExp(`<section class="card campaign">\\s*<h2>([^<]*)</h2>(?:(?!</section>)[\\s\\S])*action="/admin/campaigns/${id}/dates"[\\s\\S]*?</form>`).exec(list.body);
    assert.ok(card, 'the campaign is listed with its form');
    sameText(unescape(card[1]), titleEn, 'English title on /admin/campaigns');
    sameText(fieldValue(card[0], 'contact_name'), contact, 'contact name in the dates form');
    const fields = Object.fromEntries(['opens', 'closes', 'contact_name', 'contact_email'].map((k) => [k, fieldValue(card[0], k)]));
    const again = await coord.post(`/admin/campaigns/${id}/dates`, fields);
    assert.equal(again.location, '/admin/campaigns?done=dates');
    stored('the same bytes after sending the dates form unchanged');

    for (const [lang, title] of [['fr', titleFr], ['en', titleEn]]) {
      const start = await new Client(srv, { lang }).get(`/survey/${slug}`);
      assert.equal(start.status, 200);
      validUtf8(start, `/survey/${slug} (${lang})`);
      sameText(unescape((/<h1>([^<]*)<\/h1>/.exec(start.body) || [])[1]), title, `title on the start page (${lang})`);
      sameText(unescape((/<a href="mailto:[^"]*">([^<]*)<\/a>/.exec(start.body) || [])[1]), contact, `contact on the start page (${lang})`);
    }
  });

  test(`response (${label}): organisation 200 and title 150 whole in the coordinators' list, a note of 4000 shown whole`, async () => {
    const slug = `resp-${hex(label).slice(0, 8).toLowerCase()}`;
    await coord.get('/admin/campaigns');
    const made = await coord.post('/admin/campaigns', {
      slug, title_fr: 'Réponses', title_en: 'Responses', questionnaire: 'coexist-v1', opens: '2026-01-01', closes: '2099-12-31',
    });
    assert.equal(made.location, '/admin/campaigns?done=created');
    const c = new Client(srv);
    await c.get(`/survey/${slug}`);
    assert.equal((await c.post(`/survey/${slug}/start`)).status, 303);
    const id = Number(sql(srv.db, 'SELECT max(id) FROM responses'));
    const orgName = make(200);
    const title = make(150);
    for (const [n, fields] of [[1, { org_name: orgName }], [2, { title }]]) {
      const page = await c.get(`/survey/${slug}/${n}`);
      const rev = (/name="rev" value="(\d+)"/.exec(page.body) || [])[1];
      const saved = await c.post(`/survey/${slug}/${n}`, { rev, action: 'save', ...fields });
      assert.equal(saved.status, 303, `section ${n} saved`);
    }
    const list = await coord.get(`/admin/responses?campaign=${sql(srv.db, `SELECT id FROM campaigns WHERE slug = '${slug}'`)}`);
    assert.equal(list.status, 200);
    const row = new RegExp(`<tr><td><a href="/admin/responses/${id}">${id}</a></td><td>([^<]*)</td><td>([^<]*)</td>`).exec(list.body);
    validUtf8(list, '/admin/responses');
    assert.ok(row, 'the response is listed');
    sameText(unescape(row[1]), orgName, 'organisation in the list of responses');
    sameText(unescape(row[2]), title, 'title in the list of responses');

    const body = make(4000);
    await coord.get(`/admin/responses/${id}`);
    const note = await coord.post(`/admin/responses/${id}/notes`, { body });
    assert.equal(note.location, `/admin/responses/${id}?done=note`);
    storedAs(`SELECT hex(body) FROM response_notes WHERE response_id = ${id}`, [body], 'note stored as typed');
    const view = await coord.get(note.location);
    validUtf8(view, 'response page');
    sameText(unescape((/<div class="note"><p class="muted">[^<]*<\/p><p>([^<]*)<\/p>/.exec(view.body) || [])[1]), body, 'note');
  });
}
