// ops.test.mjs - health, metrics, the access log, connection limits and graceful shutdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../lib/server.mjs';
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
    await sleep(100);
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
    third.send('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const r = await third.read({ timeout: 3000 });
    assert.equal(r.closed, true, 'the third connection is closed without an answer');
    socks[0].send('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
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
  c.send('GET / HTTP/1.1\r\nHost: x\r\n');
  await sleep(200);
  srv.proc.kill('SIGTERM');
  await sleep(300);
  const refused = await new Promise((resolve) => {
    const s = net.connect(srv.port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(false); });
    s.on('error', (e) => resolve(e.code === 'ECONNREFUSED'));
  });
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
