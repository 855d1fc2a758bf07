// ops.test.mjs - health, metrics, the access log, connection limits, graceful shutdown, one server
// per address and database, the WAL kept small, and warnings about a read-only database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, runCoexist, startServer } from '../lib/server.mjs';
import { get, openConnection } from '../lib/raw.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('/healthz answers ok while the database is readable', async () => {
  const srv = await startServer();
  try {
    const r = await get(srv.port, '/healthz');
    assert.equal(r.status, 200);
    assert.equal(r.body, 'ok\n');
  } finally { await srv.stop(); }
});

test('/metrics counts requests by route and status, with a latency histogram', async () => {
  const srv = await startServer();
  try {
    await get(srv.port, '/');
    await get(srv.port, '/');
    await get(srv.port, '/nope');
    const r = await get(srv.port, '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'], /^text\/plain; version=0\.0\.4/);
    assert.match(r.body, /^coexist_http_requests_total\{method="GET",route="\/",status="200"\} 2$/m);
    assert.match(r.body, /^coexist_http_requests_total\{method="",route="unmatched",status="404"\} 1$/m);
    assert.match(r.body, /^coexist_http_request_duration_seconds_bucket\{method="GET",route="\/",le="\+Inf"\} 2$/m);
    assert.match(r.body, /^coexist_http_request_duration_seconds_count\{method="GET",route="\/"\} 2$/m);
    assert.match(r.body, /^coexist_db_errors_total 0$/m);
    const fwd = await get(srv.port, '/metrics', { 'X-Forwarded-For': '203.0.113.9' });
    assert.equal(fwd.status, 404, 'not shown to requests forwarded by a proxy');
  } finally { await srv.stop(); }
});

test('the access log has one line per request, without query values or paths', async () => {
  const srv = await startServer();
  try {
    await get(srv.port, '/?lang=en&token=hunter2secret');
    await get(srv.port, '/private/abcdef0123456789token');
    // The line is written when the answer completes: wait for it (2 s at most).
    await until(() => /access GET - 404/.test(srv.log()), 2000);
    const log = srv.log();
    assert.match(log, /access GET \/ 200 \d+B [\d.]+ms/);
    assert.match(log, /access GET - 404 \d+B/);
    assert.doesNotMatch(log, /hunter2secret/);
    assert.doesNotMatch(log, /abcdef0123456789token/);
  } finally { await srv.stop(); }
});

test('connections per address are limited', async () => {
  const srv = await startServer({ env: { COEXIST_PER_IP: '2' } });
  const socks = [];
  try {
    for (let i = 0; i < 2; i++) socks.push(await openConnection(srv.port));
    const third = await openConnection(srv.port);
    socks.push(third);
    third.send('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const r = await third.read({ timeout: 3000 });
    assert.equal(r.closed, true, 'the third connection is closed without an answer');
    socks[0].send('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.equal((await socks[0].read()).status, 200, 'the others still work');
  } finally {
    socks.forEach((s) => s.close());
    await srv.stop();
  }
});

test('SIGTERM: stops accepting, finishes the request in flight, exits cleanly', async () => {
  const srv = await startServer();
  // A request whose headers are not finished yet is in flight.
  const c = await openConnection(srv.port);
  c.send('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  // The server has it once /metrics counts it in flight (beside the /metrics request itself).
  let inFlight = 0;
  for (const end = Date.now() + 5000; inFlight < 2 && Date.now() < end;) {
    const m = /^coexist_http_requests_in_flight (\d+)$/m.exec((await get(srv.port, '/metrics')).body);
    inFlight = m ? Number(m[1]) : 0;
    if (inFlight < 2) await sleep(20);
  }
  assert.equal(inFlight, 2, 'the unfinished request is in flight');
  srv.proc.kill('SIGTERM');
  assert.ok(await until(() => /SIGTERM received/.test(srv.log()), 5000), 'the server took the signal');
  const refusedNow = () => new Promise((resolve) => {
    const s = net.connect(srv.port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(false); });
    s.on('error', (e) => resolve(e.code === 'ECONNREFUSED'));
  });
  let refused = false;
  for (const end = Date.now() + 5000; !refused && Date.now() < end;) {
    refused = await refusedNow();
    if (!refused) await sleep(20);
  }
  assert.equal(refused, true, 'new connections are refused during shutdown');
  assert.equal(srv.proc.exitCode, null, 'still running while a request is in flight');
  c.send('Accept-Language: en\r\n\r\n');
  const r = await c.read();
  assert.equal(r.status, 200, 'the request in flight got its answer');
  assert.match(r.body, /<html lang="en"/);
  const code = await srv.exited;
  assert.equal(code, 0);
  assert.match(srv.log(), /stopped cleanly/);
  await srv.stop();
});

// Starts `coexist serve` with `env` and waits (at most `timeout` ms) until it listens or exits.
// Resolves with { proc, port (null unless it listens), code (when it exited), log(), exited }.
function serve(env, { timeout = 15000 } = {}) {
  const proc = spawn(BIN, ['serve'], { cwd: ROOT, env: { ...process.env, COEXIST_CONF: '/dev/null', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const exited = new Promise((res) => proc.on('exit', (code, signal) => res(code ?? signal)));
  return new Promise((resolve) => {
    const done = (v) => { clearTimeout(timer); resolve({ proc, log: () => log, exited, ...v }); };
    const timer = setTimeout(() => done({ port: null, code: 'still starting' }), timeout);
    const onData = (c) => {
      log += c;
      const m = /listening on http:\/\/\S+:(\d+)/.exec(log);
      if (m) done({ port: Number(m[1]) });
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    exited.then((code) => done({ port: null, code }));
  });
}

// Stops a server started by serve() (SIGTERM, then SIGKILL if it lingers); resolves with its code.
async function halt(s) {
  if (s.proc.exitCode !== null || s.proc.signalCode !== null) return s.exited;
  s.proc.kill('SIGTERM');
  const t = setTimeout(() => s.proc.kill('SIGKILL'), 15000);
  const code = await s.exited;
  clearTimeout(t);
  return code;
}

// Polls fn() every 50 ms until it returns true or `ms` have passed; returns its last value.
async function until(fn, ms) {
  const end = Date.now() + ms;
  for (let i = 0; i < 10000; i++) {
    if (fn()) return true;
    if (Date.now() > end) return false;
    await sleep(50);
  }
  return false;
}

test('a second serve is refused: on a taken address (exit 2), and on a database another serve holds (naming it)', async () => {
  const srv = await startServer();
  const d = mkdtempSync(join(tmpdir(), 'coexist-ops-'));
  const others = [];
  try {
    const port = await serve({ COEXIST_DB: join(d, 'other.db'), COEXIST_LISTEN: `127.0.0.1:${srv.port}` });
    others.push(port);
    assert.equal(port.port, null, `a second server on port ${srv.port} must not start:\n${port.log()}`);
    assert.equal(port.code, 2, port.log());
    const said = port.log().split('\n').filter((l) => /^coexist serve:/.test(l));
    assert.equal(said.length, 1, port.log());
    assert.match(said[0], new RegExp(`127\\.0\\.0\\.1:${srv.port}.*already in use`));

    const same = await serve({ COEXIST_DB: srv.db, COEXIST_LISTEN: '127.0.0.1:0' });
    others.push(same);
    assert.equal(same.port, null, `a second server on the same database must not start:\n${same.log()}`);
    assert.equal(same.code, 2, same.log());
    const line = same.log().split('\n').filter((l) => /^coexist serve:/.test(l));
    assert.equal(line.length, 1, same.log());
    assert.match(line[0], new RegExp(`${srv.db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*pid ${srv.proc.pid}\\b`));

    assert.equal((await get(srv.port, '/healthz')).status, 200, 'the first server still answers');
    // Only serve holds the database: the other commands go on working beside it.
    const users = runCoexist(['user', 'list'], { COEXIST_DB: srv.db, COEXIST_CONF: '/dev/null' });
    assert.equal(users.status, 0, users.stderr);
    const copy = runCoexist(['backup', join(d, 'copy.db')], { COEXIST_DB: srv.db, COEXIST_CONF: '/dev/null' });
    assert.equal(copy.status, 0, copy.stderr);

    // Once the first has stopped, the same database is served again (the lock file stays behind
    // and blocks nobody).
    srv.proc.kill('SIGTERM');
    assert.equal(await srv.exited, 0);
    const next = await serve({ COEXIST_DB: srv.db, COEXIST_LISTEN: '127.0.0.1:0' });
    others.push(next);
    assert.ok(next.port, `the database is free again:\n${next.log()}`);
    assert.equal((await get(next.port, '/healthz')).status, 200);
  } finally {
    for (const o of others) await halt(o);
    await srv.stop();
    rmSync(d, { recursive: true, force: true });
  }
});

test('SIGTERM under keep-alive load: answers close their connections, later requests get 503, no grace period needed', async () => {
  const srv = await startServer({ env: { COEXIST_SHUTDOWN_GRACE: '20' } });
  const seen = { ok: 0, closing: 0, unavailable: 0, closed: 0, cut: 0, wrong: [] };
  const deadline = Date.now() + 40000;
  // One browser-like client: requests one after the other on one kept-alive connection, until
  // the server closes it or says it is going away.
  async function client() {
    const c = await openConnection(srv.port);
    try {
      for (let i = 0; i < 1000000 && Date.now() < deadline; i++) {
        c.send('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
        let r;
        try { r = await c.read({ timeout: 30000 }); } catch { seen.wrong.push('no answer'); return; }
        if (r.closed) { // the request sent got no answer, or only part of one
          if (r.partial) seen.cut++; else seen.closed++;
          return;
        }
        const close = /\bclose\b/i.test(r.headers.connection || '');
        if (r.status === 200 && r.body === 'ok\n') {
          seen.ok++;
          if (close) { seen.closing++; return; }
        } else if (r.status === 503 && close && /^\d+$/.test(r.headers['retry-after'] || '')) {
          seen.unavailable++;
          return;
        } else {
          seen.wrong.push(`${r.status} connection=${r.headers.connection} retry-after=${r.headers['retry-after']}`);
          return;
        }
      }
    } finally { c.close(); }
  }
  try {
    const clients = Array.from({ length: 8 }, client);
    assert.ok(await until(() => seen.ok >= 400, 20000), `the clients got answers (${seen.ok})`);
    srv.proc.kill('SIGTERM');
    const gone = await until(() => srv.proc.exitCode !== null || srv.proc.signalCode !== null, 10000);
    assert.ok(gone, 'the server stopped without waiting for its 20 s grace period');
    assert.equal(await srv.exited, 0);
    await Promise.all(clients);
    assert.equal(seen.cut, 0, 'no answer was cut in the middle');
    assert.equal(seen.closed, 0, 'no request was left without an answer');
    assert.deepEqual(seen.wrong, []);
    assert.equal(seen.closing + seen.unavailable, 8, `each connection ended with an answer that closed it (${JSON.stringify(seen)})`);
    assert.match(srv.log(), /stopped cleanly/);
    assert.doesNotMatch(srv.log(), /requests unfinished/);
  } finally { await srv.stop(); }
});

test('after a burst of writes the WAL file is truncated once the server is idle', async () => {
  const srv = await startServer();
  const wal = () => { try { return statSync(`${srv.db}-wal`).size; } catch { return 0; } };
  try {
    assert.equal((await get(srv.port, '/healthz')).status, 200);
    const w = spawnSync('sqlite3', [srv.db, "PRAGMA busy_timeout=5000; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<3000) INSERT INTO meta(key, value) SELECT 'burst'||i, hex(randomblob(300)) FROM n;"], { encoding: 'utf8' });
    assert.equal(w.status, 0, w.stderr);
    assert.equal((await get(srv.port, '/healthz')).status, 200);
    assert.ok(wal() > 100000, `the burst went through the WAL (${wal()} bytes)`);
    assert.ok(await until(() => wal() === 0, 15000), `the WAL was truncated when idle (still ${wal()} bytes)`);
    const n = spawnSync('sqlite3', [srv.db, "SELECT count(*) FROM meta WHERE key LIKE 'burst%';"], { encoding: 'utf8' });
    assert.equal(n.stdout.trim(), '3000', 'nothing written was lost');
    assert.equal((await get(srv.port, '/healthz')).status, 200);
  } finally { await srv.stop(); }
});

test('a read-only database (folder 0555, file 0444) starts with a warning line', async () => {
  const d = mkdtempSync(join(tmpdir(), 'coexist-ro-'));
  const db = join(d, 'ro.db');
  let s;
  try {
    const init = runCoexist(['init'], { COEXIST_DB: db, COEXIST_CONF: '/dev/null' });
    assert.equal(init.status, 0, init.stderr);
    chmodSync(db, 0o444);
    chmodSync(d, 0o555);
    s = await serve({ COEXIST_DB: db, COEXIST_LISTEN: '127.0.0.1:0' });
    // As root the server may run (permission bits do not stop root); otherwise it cannot start.
    // Either way the operator is told first.
    const warn = s.log().split('\n').filter((l) => / warn .*read-only/.test(l));
    assert.ok(warn.length >= 1, `a warning line:\n${s.log()}`);
    assert.ok(warn.some((l) => l.includes(db) || l.includes(d)), 'it names the file or its folder');
  } finally {
    if (s) await halt(s);
    chmodSync(d, 0o755);
    rmSync(d, { recursive: true, force: true });
  }
});
