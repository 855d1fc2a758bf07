// errors.test.mjs - bad requests get clear answers with the right status, never echoing input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { get, rawRequest } from '../lib/raw.mjs';

let srv;
before(async () => {
  srv = await startServer({ env: { COEXIST_MAX_BODY: '4096', COEXIST_MAX_FIELDS: '20', COEXIST_MAX_HEADER: '8192' } });
});
after(async () => { assert.equal(await srv.stop(), 0); });

const post = (target, body, headers = {}) => {
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return rawRequest(srv.port, `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
};

test('404: an HTML page in the visitor language that does not echo the path', async () => {
  const r = await get(srv.port, '/%3Cscript%3Ealert(1)%3C/script%3E', { 'Accept-Language': 'en' });
  assert.equal(r.status, 404);
  assert.match(r.headers['content-type'], /^text\/html; charset=utf-8/);
  assert.match(r.body, /<html lang="en"/);
  assert.doesNotMatch(r.body, /alert|script%3E|<script>/i);
  const fr = await get(srv.port, '/inconnu');
  assert.match(fr.body, /<html lang="fr"/);
  assert.doesNotMatch(fr.body, /inconnu/);
});

test('405 with Allow for a method the route does not take', async () => {
  const r = await post('/', 'a=1', { 'Content-Type': 'application/x-www-form-urlencoded' });
  assert.equal(r.status, 405);
  assert.equal(r.headers.allow, 'GET, HEAD');
  const d = await rawRequest(srv.port, 'DELETE /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  assert.equal(d.status, 405);
  assert.equal(d.headers.allow, 'GET, HEAD');
});

test('413 when the announced body is over the limit, before it is sent', async () => {
  const r = await rawRequest(srv.port, 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1048577\r\n\r\n');
  assert.equal(r.status, 413);
});

test('a chunked body to a route that takes none is refused without being read', async () => {
  const chunk = 'a=' + 'x'.repeat(2000);
  const hex = Buffer.byteLength(chunk).toString(16);
  const body = `${hex}\r\n${chunk}\r\n`.repeat(3) + '0\r\n\r\n';
  const r = await rawRequest(srv.port, `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n${body}`);
  assert.equal(r.status, 405);
});

test('an unknown Transfer-Encoding gets 501 at once, and the connection is closed', async () => {
  const form = 'Content-Type: application/x-www-form-urlencoded\r\n';
  for (const [method, te] of [['POST /signin', 'gzip, chunked'], ['POST /signin', 'x-unheard-of'], ['GET /', 'x-unheard-of'], ['POST /signin', 'chunked, chunked']]) {
    const req = `${method} HTTP/1.1\r\nHost: 127.0.0.1\r\n${form}Transfer-Encoding: ${te}\r\n\r\n5\r\nemail\r\n`;
    const r = await rawRequest(srv.port, req, { timeout: 2000 });
    assert.equal(r.status, 501, `${method} with Transfer-Encoding: ${te}`);
    assert.match(r.headers.connection || '', /close/i, 'a body that cannot be delimited ends the connection');
    assert.doesNotMatch(r.body, /gzip|unheard/, 'the coding asked for is not echoed');
  }
});

test('conflicting or repeated Content-Length / Transfer-Encoding get 400 at once', async () => {
  const form = 'Content-Type: application/x-www-form-urlencoded\r\n';
  const cases = {
    'both Content-Length and chunked': 'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n',
    'two different Content-Length': 'Content-Length: 5\r\nContent-Length: 7\r\n',
    'the same Content-Length twice': 'Content-Length: 5\r\nContent-Length: 5\r\n',
    'two Transfer-Encoding lines': 'Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n',
  };
  for (const [what, framing] of Object.entries(cases)) {
    const r = await rawRequest(srv.port, `POST /signin HTTP/1.1\r\nHost: 127.0.0.1\r\n${form}${framing}\r\n5\r\nemail\r\n`, { timeout: 2000 });
    assert.equal(r.status, 400, what);
    assert.match(r.headers.connection || '', /close/i, what);
  }
});

test('415 for multipart and unknown body types', async () => {
  const m = await post('/', '--b\r\n\r\nx\r\n--b--\r\n', { 'Content-Type': 'multipart/form-data; boundary=b' });
  assert.equal(m.status, 415);
  const j = await post('/', '{}', { 'Content-Type': 'application/json' });
  assert.equal(j.status, 415);
  const none = await post('/', 'a=1');
  assert.equal(none.status, 415);
});

test('400 for too many query fields, invalid UTF-8, bad escapes, NUL bytes', async () => {
  const many = Array.from({ length: 21 }, (_, i) => `f${i}=1`).join('&');
  assert.equal((await get(srv.port, `/?${many}`)).status, 400, 'too many fields');
  assert.equal((await get(srv.port, '/?lang=%C3%28')).status, 400, 'invalid UTF-8 in query');
  assert.equal((await get(srv.port, '/?q=%E0%80%AF')).status, 400, 'overlong UTF-8');
  assert.equal((await get(srv.port, '/?q=%zz')).status, 400, 'bad escape');
  assert.equal((await get(srv.port, '/?q=a%00b')).status, 400, 'NUL in query');
  assert.equal((await get(srv.port, '/caf%C3')).status, 400, 'invalid UTF-8 in path');
  assert.equal((await get(srv.port, '/?q=%C3%A9nergie')).status, 200, 'valid UTF-8 is fine');
});

test('headers larger than the limit get a 431 page with the site headers', async () => {
  const r = await get(srv.port, '/', { 'X-Big': 'y'.repeat(9000), 'Accept-Language': 'en' });
  assert.equal(r.status, 431);
  assert.match(r.body, /<html lang="en"/);
  assert.match(r.body, /cookies/);
  assert.ok(r.headers['content-security-policy']);
  const under = await get(srv.port, '/', { 'X-Big': 'y'.repeat(6000) });
  assert.equal(under.status, 200, 'just under the limit is fine');
  const far = await get(srv.port, '/', { 'X-Big': 'y'.repeat(40000) });
  assert.ok(far.status === 431 || far.closed, `far over the limit: refused by the library (got ${far.status})`);
});

test('path traversal never reaches a file outside static/', async () => {
  const attempts = [
    '/static/../coexist.conf',
    '/static/../Makefile',
    '/static/%2e%2e/Makefile',
    '/static/%2E%2E/%2E%2E/etc/passwd',
    '/static/..%2fMakefile',
    '/static/..%5cMakefile',
    '/static/app.css%00.png',
    '/static/./app.css',
    '/static//etc/passwd',
    '/static/%2fetc%2fpasswd',
  ];
  for (const a of attempts) {
    const r = await get(srv.port, a);
    assert.ok([400, 404].includes(r.status), `${a} refused (got ${r.status})`);
    assert.doesNotMatch(r.body, /root:|PKGS|CFLAGS/, `${a} leaked nothing`);
  }
});

test('a refused request loses nothing: the server goes on answering', async () => {
  assert.equal((await get(srv.port, '/healthz')).status, 200);
});
