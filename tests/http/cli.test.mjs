// cli.test.mjs - the coexist command: settings, init, migrate, demo, backup, help, start-up checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync, readFileSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, runCoexist, startServer } from '../lib/server.mjs';
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

// Starts a coexist command without blocking this process (so that a writer can go on beside it).
function spawnCoexist(args, env) {
  const proc = spawn(BIN, args, { cwd: ROOT, env: { ...process.env, COEXIST_CONF: '/dev/null', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (c) => { stdout += c; });
  proc.stderr.on('data', (c) => { stderr += c; });
  const exited = new Promise((res) => proc.on('exit', (code, signal) => res({ status: code, signal, stdout, stderr })));
  return { proc, exited };
}

// Waits for a promise at most `ms`; resolves with null after that.
const within = (p, ms) => new Promise((res) => { const t = setTimeout(() => res(null), ms); p.then((v) => { clearTimeout(t); res(v); }); });

// Adds about `mb` megabytes of rows to a database (its own table), fast.
function fill(db, mb) {
  const r = spawnSync('sqlite3', [db, `PRAGMA busy_timeout=5000; CREATE TABLE IF NOT EXISTS filler(id INTEGER PRIMARY KEY, a BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<${mb * 1000}) INSERT INTO filler(a) SELECT randomblob(1000) FROM n;`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

test('backup finishes while another connection writes without pause, and holds what was there before', async () => {
  const srv = await startServer({ demo: true });
  const d = tmp();
  let writer;
  try {
    fill(srv.db, 50);
    sql(srv.db, "PRAGMA busy_timeout=5000; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<2000) INSERT INTO meta(key, value) SELECT 'before'||i, hex(randomblob(100)) FROM n;");
    // One small transaction after another, for as long as the backup runs.
    writer = spawn('sqlite3', ['-cmd', '.timeout 5000', '-cmd', 'PRAGMA synchronous=OFF', srv.db], { stdio: ['pipe', 'ignore', 'pipe'] });
    let problem = '';
    writer.stderr.on('data', (c) => { problem += c; });
    writer.stdin.on('error', (e) => { problem += e.message; });
    let written = 0;
    const feed = () => {
      for (let i = 0; i < 200 && writer.stdin.writable; i++) {
        writer.stdin.write(`INSERT INTO meta(key, value) VALUES ('during${++written}', hex(randomblob(200)));\n`);
      }
    };
    const pump = setInterval(feed, 5);
    writer.on('exit', () => clearInterval(pump));
    // The writer is under way once its first rows are there (10 s at most).
    for (const end = Date.now() + 10000; Number(sql(srv.db, "SELECT count(*) FROM meta WHERE key LIKE 'during%'").stdout) === 0;) {
      assert.ok(Date.now() < end, 'the writer started');
      await new Promise((r) => setTimeout(r, 20));
    }
    const out = join(d, 'copy.db');
    const b = spawnCoexist(['backup', out], { COEXIST_DB: srv.db });
    const r = await within(b.exited, 60000);
    clearInterval(pump);
    if (r === null) b.proc.kill('SIGKILL');
    assert.equal(problem, '', 'the writer wrote all along');
    assert.ok(written > 1000, 'the writer wrote all along');
    assert.ok(r, 'the backup finished despite the writes');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /written to .*copy\.db: \d+ pages \([\d.]+ [KMG]B\), rows: .*responses \d+, answers \d+.*; in [\d.]+ s$/m);
    assert.equal(sql(out, 'PRAGMA integrity_check;').stdout.trim(), 'ok');
    assert.equal(sql(out, "SELECT count(*) FROM meta WHERE key LIKE 'before%';").stdout.trim(), '2000');
    assert.equal(sql(out, 'SELECT count(*) FROM filler;').stdout.trim(), '50000');
    assert.deepEqual(readdirSync(d), ['copy.db'], 'no temporary file is left beside it');
    assert.equal((await get(srv.port, '/healthz')).status, 200, 'the server went on serving');
  } finally {
    if (writer) { writer.stdin.end(); writer.kill(); }
    await srv.stop();
    rmSync(d, { recursive: true, force: true });
  }
});

test('a backup killed on the way leaves nothing at FILE; one stopped by SIGTERM leaves nothing at all', async () => {
  const d = tmp();
  const db = join(d, 'big.db');
  // Starts a backup into an empty folder and stops it with `signal` once it is writing (a
  // temporary file there, or FILE itself). Resolves with what the folder held then and after.
  async function interrupted(signal) {
    const outDir = mkdtempSync(join(d, 'out-'));
    const out = join(outDir, 'copy.db');
    const b = spawnCoexist(['backup', out], { COEXIST_DB: db });
    let seen = [];
    const end = Date.now() + 30000;
    for (let i = 0; i < 1000000 && seen.length === 0 && Date.now() < end && b.proc.exitCode === null; i++) {
      seen = readdirSync(outDir);
      if (seen.length === 0) await new Promise((r) => setImmediate(r));
    }
    assert.ok(seen.length > 0, 'the backup started writing');
    b.proc.kill(signal);
    const r = await within(b.exited, 10000);
    assert.equal(r && r.signal, signal, `stopped while copying (${JSON.stringify(r)})`);
    return { out, seen, after: readdirSync(outDir) };
  }
  try {
    assert.equal(runCoexist(['init'], { COEXIST_DB: db, COEXIST_CONF: '/dev/null' }).status, 0);
    fill(db, 200);
    const killed = await interrupted('SIGKILL');
    assert.equal(existsSync(killed.out), false, `no file at FILE after SIGKILL (saw ${killed.seen})`);
    assert.ok(killed.after.every((f) => f.startsWith('copy.db.partial-')), `only the partial copy stays (${killed.after})`);
    // A new backup to the same name works.
    const again = runCoexist(['backup', killed.out], { COEXIST_DB: db, COEXIST_CONF: '/dev/null' });
    assert.equal(again.status, 0, again.stderr);
    assert.equal(sql(killed.out, 'PRAGMA integrity_check;').stdout.trim(), 'ok');
    const stopped = await interrupted('SIGTERM');
    assert.deepEqual(stopped.after, [], 'SIGTERM removes the partial copy');
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('start-up is refused with file:line when a template is broken', () => {
  const share = copyShare();
  const d = tmp();
  const env = { COEXIST_DB: join(d, 'x.db'), COEXIST_SHARE: share, COEXIST_LISTEN: '127.0.0.1:0', COEXIST_CONF: '/dev/null' };
  const home = join(share, 'templates', 'app', 'home.html');
  writeFileSync(home, readFileSync(home, 'utf8').replace('</section>', '{{#unclosed}}</section>'));
  const r = runCoexist(['serve'], env);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /templates\/app\/home\.html:\d+: .*unclosed/);
  rmSync(share, { recursive: true });
  rmSync(d, { recursive: true });
});

test('start-up is refused when a route names a template that does not exist', () => {
  const share = copyShare();
  const d = tmp();
  unlinkSync(join(share, 'templates', 'app', 'home.html'));
  const r = runCoexist(['serve'], { COEXIST_DB: join(d, 'x.db'), COEXIST_SHARE: share, COEXIST_LISTEN: '127.0.0.1:0', COEXIST_CONF: '/dev/null' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /route GET \/ names template 'app\/home', which does not exist/);
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
