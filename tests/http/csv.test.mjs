// csv.test.mjs - every CSV the site writes (responses, cases, the audit log) neutralises cells a
// spreadsheet would run as a formula, whatever they start with: = + - @ % |, a tab, CR or LF,
// spaces before one of them, or their full-width forms. Neutralised means one apostrophe in
// front; the text is otherwise as typed, and an import of the file reads it back as typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCoexist, startServer } from '../lib/server.mjs';
import { newPerson, sql } from '../lib/client.mjs';
import { parseCsv as readCsv } from '../lib/csv.mjs';

const RISKY = [
  '=1+1', '+1', '-1', '@SUM(A1)', '%0A', '|calc', '\t=1+1', '\r=1+1', '\n=1+1',
  ' =1+1', '   =HYPERLINK("http://evil.example/")', ' +1', ' @SUM(A1)',
  '＝1+1', '＋1', '－1', '＠SUM(A1)', ' ＝1+1',
];

let srv;
let admin;
before(async () => {
  srv = await startServer({ demo: true });
  admin = await newPerson(srv, 'admin', 'csv-admin@example.org');
});
after(async () => { assert.equal(await srv.stop(), 0); });

const quote = (s) => `'${s.replace(/'/g, "''")}'`;

// The exports start with the UTF-8 BOM (for spreadsheets), then RFC 4180 rows.
function parseCsv(text) {
  assert.equal(text.charCodeAt(0), 0xfeff, 'starts with the UTF-8 BOM');
  return readCsv(text);
}

// Checks that the cell of column `name` in the row whose `key` column is `id` is value, guarded.
function expectGuarded(rows, key, name, pairs, what) {
  const head = rows[0];
  const k = head.indexOf(key);
  const c = head.indexOf(name);
  assert.ok(k >= 0 && c >= 0, `${what}: columns ${key} and ${name} in ${head.join(',')}`);
  for (const [id, value] of pairs) {
    const row = rows.find((r) => r[k] === String(id));
    assert.ok(row, `${what}: a row ${id}`);
    assert.equal(row[c], `'${value}`, `${what}: ${JSON.stringify(value)} comes out with an apostrophe in front`);
  }
}

test('the responses export (coexist export responses) neutralises every risky start', () => {
  const ids = sql(srv.db, "SELECT id FROM responses WHERE campaign_id = (SELECT id FROM campaigns WHERE slug = 'demo')"
    + ` ORDER BY id LIMIT ${RISKY.length}`).split('\n').map(Number);
  assert.equal(ids.length, RISKY.length, 'enough demo responses');
  const pairs = ids.map((id, i) => [id, RISKY[i]]);
  for (const [id, v] of pairs) {
    sql(srv.db, `INSERT OR REPLACE INTO answers(response_id, question_key, position, value) VALUES (${id}, 'org_name', 0, ${quote(v)})`);
  }
  const r = runCoexist(['export', 'responses', '--format', 'csv', '--campaign', 'demo'], { COEXIST_DB: srv.db, COEXIST_CONF: '/dev/null' });
  assert.equal(r.status, 0, r.stderr);
  expectGuarded(parseCsv(r.stdout), 'id', 'org_name', pairs, 'responses');
});

test('the cases export (coexist export cases) neutralises every risky start', () => {
  const ids = sql(srv.db, "SELECT id FROM cases WHERE state = 'published' AND (web_consent = 'named' OR texts_reviewed = 1)"
    + ` ORDER BY id LIMIT ${RISKY.length}`).split('\n').filter(Boolean).map(Number);
  assert.ok(ids.length >= 3, `published cases in the demo: ${ids.length}`);
  const pairs = ids.map((id, i) => [id, RISKY[i]]);
  for (const [id, v] of pairs) sql(srv.db, `UPDATE cases SET title_fr = ${quote(v)} WHERE id = ${id}`);
  const r = runCoexist(['export', 'cases', '--format', 'csv'], { COEXIST_DB: srv.db, COEXIST_CONF: '/dev/null' });
  assert.equal(r.status, 0, r.stderr);
  expectGuarded(parseCsv(r.stdout), 'id', 'title', pairs, 'cases');
});

test('the audit log export (/admin/audit.csv) neutralises every risky start', async () => {
  const pairs = [];
  for (const v of RISKY) {
    const id = Number(sql(srv.db, `INSERT INTO audit_log(actor_email, action, entity, detail) VALUES ('x@example.org', 'test.csv', 'user', ${quote(v)}) RETURNING id`));
    pairs.push([id, v]);
  }
  const r = await admin.get('/admin/audit.csv');
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /^text\/csv/);
  expectGuarded(parseCsv(r.body), 'id', 'detail', pairs, 'audit');
});
