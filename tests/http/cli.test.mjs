// cli.test.mjs - the coexist command: settings, init, migrate, demo, backup, help, start-up checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCoexist, startServer } from '../lib/server.mjs';
import { get } from '../lib/raw.mjs';
import { copyShare } from '../lib/share.mjs';

// The schema version a new database gets: the number of the last migration file.
const MIGRATIONS = readdirSync(new URL('../../db/migrations/', import.meta.url)).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort();
const SCHEMA = Number(MIGRATIONS[MIGRATIONS.length - 1].slice(0, 4));

const tmp = () => mkdtempSync(join(tmpdir(), 'coexist-cli-'));
const sql = (db, q) => spawnSync('sqlite3', [db, q], { encoding: 'utf8' });

test('a bad config line gives one line naming the file, line and problem, and exit 2', () => {
  const d = tmp();
  const conf = join(d, 'coexist.conf');
  writeFileSync(conf, '[server]\nlisten = 127.0.0.1:8080\n\n[limits]\nmax_body = lots\n');
  const r = runCoexist(['-c', conf, 'version'], { COEXIST_CONF: '' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, new RegExp(`${conf}:5: limits.max_body: expected a whole number`));

  writeFileSync(conf, '[server]\ncolour = blue\n');
  const u = runCoexist(['-c', conf, 'version']);
  assert.equal(u.status, 2);
  assert.match(u.stderr, /coexist.conf:2: unknown setting 'colour' in \[server\]/);

  writeFileSync(conf, 'just words\n');
  const m = runCoexist(['-c', conf, 'version']);
  assert.equal(m.status, 2);
  assert.match(m.stderr, /coexist.conf:1: expected "key = value"/);
  rmSync(d, { recursive: true });
});

test('the example configuration is valid and lists every setting with its variable', () => {
  const r = runCoexist(['-c', 'coexist.conf.example', 'help', 'config']);
  assert.equal(r.status, 0, r.stderr);
  const example = readFileSync(new URL('../../coexist.conf.example', import.meta.url), 'utf8');
  for (const line of r.stdout.split('\n').filter((l) => / = /.test(l))) {
    assert.ok(example.includes(line), `example has: ${line}`);
  }
});

test('environment variables override the file and are checked too', () => {
  const d = tmp();
  const conf = join(d, 'c.conf');
  writeFileSync(conf, '[database]\npath = from-file.db\n');
  const r = runCoexist(['-c', conf, 'help', 'config'], { COEXIST_DB: join(d, 'from-env.db') });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /path = .*from-env\.db/);
  const bad = runCoexist(['help', 'config'], { COEXIST_THREADS: '0', COEXIST_CONF: '/dev/null' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /COEXIST_THREADS: server.threads: expected a whole number from 1 to 256/);
  rmSync(d, { recursive: true });
});

test('bad options and commands: one line, exit 2', () => {
  for (const args of [['--frobnicate'], ['frobnicate'], ['serve', 'extra'], ['backup'], ['help', 'nope']]) {
    const r = runCoexist(args, { COEXIST_CONF: '/dev/null' });
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, args.join(' '));
  }
});

test('help lists every command and explains one', () => {
  const r = runCoexist(['help'], { COEXIST_CONF: '/dev/null' });
  assert.equal(r.status, 0);
  for (const c of ['serve', 'init', 'demo', 'migrate', 'backup', 'version', 'help']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
  const b = runCoexist(['help', 'backup'], { COEXIST_CONF: '/dev/null' });
  assert.match(b.stdout, /usage: coexist backup FILE/);
  assert.match(b.stdout, /online backup/);
  assert.match(runCoexist(['version']).stdout, /^coexist \d+\.\d+\.\d+ \(SQLite 3\./);
});

test('init creates the schema; migrate shows and applies; init again destroys nothing', () => {
  const d = tmp();
  const env = { COEXIST_DB: join(d, 'x.db'), COEXIST_CONF: '/dev/null' };
  const st = runCoexist(['migrate', '--status'], env);
  assert.equal(st.status, 0);
  assert.match(st.stdout, /^0001 +core +pending$/m);
  const i = runCoexist(['init'], env);
  assert.equal(i.status, 0, i.stderr);
  assert.match(i.stdout, new RegExp(`created .*x\\.db \\(schema version ${SCHEMA}\\)`));
  assert.equal(sql(env.COEXIST_DB, 'PRAGMA journal_mode;').stdout.trim(), 'wal');
  sql(env.COEXIST_DB, "INSERT INTO meta(key, value) VALUES ('keep', 'me');");
  const again = runCoexist(['init'], env);
  assert.match(again.stdout, /already exists/);
  assert.equal(sql(env.COEXIST_DB, "SELECT value FROM meta WHERE key='keep';").stdout.trim(), 'me');
  const m = runCoexist(['migrate'], env);
  assert.equal(m.status, 0);
  assert.match(m.stdout, /0 migrations applied/);
  assert.match(m.stdout, /^0001 +core +applied \d{4}-\d\d-\d\dT/m);
  rmSync(d, { recursive: true });
});

test('a database newer than the program is refused, and left as it was', () => {
  const d = tmp();
  const env = { COEXIST_DB: join(d, 'x.db'), COEXIST_CONF: '/dev/null' };
  runCoexist(['init'], env);
  sql(env.COEXIST_DB, "INSERT INTO schema_migrations(version, name) VALUES (9999, 'future');");
  const r = runCoexist(['migrate'], env);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /schema version 9999, newer than this program/);
  assert.equal(sql(env.COEXIST_DB, 'SELECT count(*) FROM schema_migrations;').stdout.trim(), String(MIGRATIONS.length + 1));
  rmSync(d, { recursive: true });
});

test('demo loads its content once; a second run adds nothing', () => {
  const d = tmp();
  const env = { COEXIST_DB: join(d, 'x.db'), COEXIST_CONF: '/dev/null' };
  const a = runCoexist(['demo'], env);
  assert.equal(a.status, 0, a.stderr);
  assert.match(a.stdout, /site: marked as a demonstration instance/);
  const b = runCoexist(['demo'], env);
  assert.equal(b.status, 0);
  assert.match(b.stdout, /site: already loaded on \d{4}-/);
  assert.match(a.stdout, /accounts: coordinator +coordination@coexist\.example +password \S{20} +\(shown once\)/);
  assert.doesNotMatch(b.stdout, /password/, 'passwords are shown once only');
  const loaders = (b.stdout.match(/already loaded/g) || []).length;
  assert.ok(loaders >= 2);
  assert.equal(sql(env.COEXIST_DB, "SELECT count(*) FROM meta WHERE key LIKE 'demo.%';").stdout.trim(), String(loaders));
  assert.equal(sql(env.COEXIST_DB, 'SELECT count(*) FROM users;').stdout.trim(), '2', 'no account added twice');
  rmSync(d, { recursive: true });
});

test('backup makes a consistent copy while the server runs and writes', async () => {
  const srv = await startServer({ demo: true });
  const d = tmp();
  try {
    // Writes go on in another connection while the backup runs.
    const writer = spawnSync('sqlite3', [srv.db, "PRAGMA busy_timeout=5000; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<2000) INSERT INTO meta(key, value) SELECT 'k'||i, hex(randomblob(200)) FROM n;"], { encoding: 'utf8' });
    assert.equal(writer.status, 0, writer.stderr);
    const out = join(d, 'copy.db');
    const r = runCoexist(['backup', out], { COEXIST_DB: srv.db, COEXIST_CONF: '/dev/null' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(sql(out, 'PRAGMA integrity_check;').stdout.trim(), 'ok');
    assert.equal(sql(out, "SELECT count(*) FROM meta WHERE key LIKE 'k%';").stdout.trim(), '2000');
    assert.equal(sql(out, "SELECT value FROM meta WHERE key = 'site.demo';").stdout.trim(), 'true');
    assert.equal((await get(srv.port, '/healthz')).status, 200, 'the server went on serving');
    const again = runCoexist(['backup', out], { COEXIST_DB: srv.db, COEXIST_CONF: '/dev/null' });
    assert.equal(again.status, 2, 'an existing file is never overwritten');
    assert.match(again.stderr, /already exists/);
  } finally {
    await srv.stop();
    rmSync(d, { recursive: true });
  }
});

test('start-up is refused with file:line when a template is broken', () => {
  const share = copyShare();
  const d = tmp();
  const env = { COEXIST_DB: join(d, 'x.db'), COEXIST_SHARE: share, COEXIST_LISTEN: '127.0.0.1:0', COEXIST_CONF: '/dev/null' };
  const home = join(share, 'templates', 'home.html');
  writeFileSync(home, readFileSync(home, 'utf8').replace('</section>', '{{#unclosed}}</section>'));
  const r = runCoexist(['serve'], env);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /templates\/home\.html:\d+: .*unclosed/);
  rmSync(share, { recursive: true });
  rmSync(d, { recursive: true });
});

test('start-up is refused when a route names a template that does not exist', () => {
  const share = copyShare();
  const d = tmp();
  unlinkSync(join(share, 'templates', 'home.html'));
  const r = runCoexist(['serve'], { COEXIST_DB: join(d, 'x.db'), COEXIST_SHARE: share, COEXIST_LISTEN: '127.0.0.1:0', COEXIST_CONF: '/dev/null' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /route GET \/ names template 'home', which does not exist/);
  rmSync(share, { recursive: true });
  rmSync(d, { recursive: true });
});

test('start-up is refused when a translation is missing in one language', () => {
  const share = copyShare();
  const d = tmp();
  const en = join(share, 'locale', 'en.txt');
  writeFileSync(en, readFileSync(en, 'utf8').split('\n').filter((l) => !l.startsWith('home.title')).join('\n'));
  const r = runCoexist(['serve'], { COEXIST_DB: join(d, 'x.db'), COEXIST_SHARE: share, COEXIST_LISTEN: '127.0.0.1:0', COEXIST_CONF: '/dev/null' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /home\.title/);
  assert.match(r.stderr, /en\.txt/);
  rmSync(share, { recursive: true });
  rmSync(d, { recursive: true });
});
