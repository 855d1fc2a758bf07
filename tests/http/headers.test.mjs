// headers.test.mjs - every answer carries the security headers; languages; HEAD; keep-alive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { get, rawRequest, openConnection } from '../lib/raw.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { assert.equal(await srv.stop(), 0, 'server exits 0 on SIGTERM'); });

function assertSecurityHeaders(h, what) {
  const csp = h['content-security-policy'];
  assert.ok(csp, `${what}: CSP present`);
  assert.match(csp, /default-src 'none'/, what);
  assert.match(csp, /script-src 'self'/, what);
  assert.match(csp, /style-src 'self'/, what);
  assert.match(csp, /frame-ancestors 'none'/, what);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${what}: no inline script or style allowed`);
  assert.equal(h['x-content-type-options'], 'nosniff', what);
  assert.ok(h['referrer-policy'], `${what}: Referrer-Policy`);
  assert.ok(h['cache-control'], `${what}: Cache-Control`);
  assert.equal(h['server'], undefined, `${what}: no version banner`);
  assert.equal(h['x-powered-by'], undefined, what);
}

test('the home page answers 200 in French by default, with every security header', async () => {
  const r = await get(srv.port, '/');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
  assertSecurityHeaders(r.headers, 'home');
  assert.match(r.body, /<html lang="fr"/);
  assert.equal(r.headers['content-language'], 'fr');
  assert.doesNotMatch(r.body, /<script(?![^>]*\bsrc=)/i, 'no inline script');
  assert.doesNotMatch(r.body, /\sstyle=/i, 'no inline style');
  assert.ok(Buffer.byteLength(r.body) < 60 * 1024, 'page HTML under 60 KB');
});

test('every kind of answer carries the security headers', async () => {
  const css = /href="(\/static\/app\.[0-9a-f]{8}\.css)"/.exec((await get(srv.port, '/')).body)[1];
  for (const [target, status] of [['/healthz', 200], ['/nope', 404], [css, 200], ['/static/app.css', 200], ['/%ZZ', 400]]) {
    const r = await get(srv.port, target);
    assert.equal(r.status, status, target);
    assertSecurityHeaders(r.headers, target);
    assert.match(r.headers['content-type'] || '', /charset=utf-8|image\//, `${target}: charset given`);
  }
});

test('error pages and health answers are never stored by caches', async () => {
  for (const t of ['/nope', '/healthz']) {
    const r = await get(srv.port, t);
    assert.equal(r.headers['cache-control'], 'no-store', t);
  }
});

test('Accept-Language en gives English; ?lang= switches and is remembered by cookie', async () => {
  const en = await get(srv.port, '/', { 'Accept-Language': 'en-GB,en;q=0.9,fr;q=0.5' });
  assert.match(en.body, /<html lang="en"/);
  const fr = await get(srv.port, '/', { 'Accept-Language': 'de-DE, fr;q=0.3, en;q=0.2' });
  assert.match(fr.body, /<html lang="fr"/);

  const sw = await get(srv.port, '/?lang=en', { 'Accept-Language': 'fr' });
  assert.match(sw.body, /<html lang="en"/);
  const cookie = sw.headers['set-cookie'];
  assert.match(cookie, /^lang=en;/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  const again = await get(srv.port, '/', { 'Accept-Language': 'fr', Cookie: 'lang=en' });
  assert.match(again.body, /<html lang="en"/);
  assert.match(again.body, /href="\/\?lang=fr"/, 'the switch leads back to French');
});

test('an unknown language is refused with 400, not silently ignored', async () => {
  const r = await get(srv.port, '/?lang=de');
  assert.equal(r.status, 400);
});

test('HEAD is answered for GET routes, with headers and no body', async () => {
  const r = await rawRequest(srv.port, 'HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', { head: true });
  assert.equal(r.status, 200);
  assert.equal(r.body, '');
  assert.ok(Number(r.headers['content-length']) > 1000, 'Content-Length of the GET body');
  assertSecurityHeaders(r.headers, 'HEAD /');
});

test('keep-alive: two requests on one connection, the connection stays open', async () => {
  const c = await openConnection(srv.port);
  c.send('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  const a = await c.read();
  assert.equal(a.status, 200);
  assert.notEqual((a.headers.connection || '').toLowerCase(), 'close');
  c.send('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  const b = await c.read();
  assert.equal(b.status, 200);
  assert.equal(c.isClosed(), false);
  c.close();
});

test('the Host header must name this site: others get 421 without the name echoed', async () => {
  const pub = await startServer({ env: { COEXIST_PUBLIC_URL: 'https://coexist.example.org/' } });
  const ask = (host, version = '1.1') => rawRequest(pub.port,
    `GET / HTTP/${version}\r\n${host === null ? '' : `Host: ${host}\r\n`}Connection: close\r\nAccept-Language: en\r\n\r\n`);
  try {
    for (const host of ['evil.example', `evil.example:${pub.port}`, 'coexist.example.org.evil.example', '127.0.0.1.evil.example', 'localhost.evil.example']) {
      const r = await ask(host);
      assert.equal(r.status, 421, host);
      assert.match(r.headers['content-type'], /^text\/html/, 'the site\'s usual error page');
      assert.match(r.body, /<html lang="en"/);
      assert.doesNotMatch(r.body, /evil/, 'the name asked for is never echoed');
      assertSecurityHeaders(r.headers, `421 for ${host}`);
    }
    for (const host of [`localhost:${pub.port}`, 'localhost', `127.0.0.1:${pub.port}`, `[::1]:${pub.port}`, 'coexist.example.org', 'COEXIST.Example.org:443']) {
      assert.equal((await ask(host)).status, 200, host);
    }
    // HTTP/1.1 requires a Host; an HTTP/1.0 request without one is a direct client, never a
    // browser led there by a rebinding name: it is answered.
    assert.equal((await ask(null)).status, 400, 'HTTP/1.1 without Host');
    assert.equal((await ask(null, '1.0')).status, 200, 'HTTP/1.0 without Host');
    assert.equal((await ask('evil.example', '1.0')).status, 421, 'HTTP/1.0 with a foreign Host');
    const two = await rawRequest(pub.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n');
    assert.equal(two.status, 400, 'two Host headers');
    assert.doesNotMatch(pub.log(), /evil/, 'nor written to the log');
  } finally { assert.equal(await pub.stop(), 0); }
});
