// static.test.mjs - static files: ETag and 304, fingerprinted names, gzip, no way out of static/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import net from 'node:net';
import { startServer } from '../lib/server.mjs';
import { get } from '../lib/raw.mjs';
import { copyShare } from '../lib/share.mjs';

let srv, share;
before(async () => {
  share = copyShare();
  // A link inside static/ pointing outside it must never be served.
  writeFileSync(join(share, 'secret.css'), 'body { --secret: "canary-7f3a"; }');
  symlinkSync(join(share, 'secret.css'), join(share, 'static', 'leak.css'));
  symlinkSync('/etc', join(share, 'static', 'etc'));
  srv = await startServer({ env: { COEXIST_SHARE: share } });
});
after(async () => {
  assert.equal(await srv.stop(), 0);
  rmSync(share, { recursive: true, force: true });
});

test('a plain name is revalidated: ETag, then 304 on If-None-Match', async () => {
  const a = await get(srv.port, '/static/app.css');
  assert.equal(a.status, 200);
  assert.equal(a.headers['content-type'], 'text/css; charset=utf-8');
  assert.match(a.headers['cache-control'], /no-cache/);
  const etag = a.headers.etag;
  assert.match(etag, /^"[0-9a-f]{16}"$/);
  const b = await get(srv.port, '/static/app.css', { 'If-None-Match': etag });
  assert.equal(b.status, 304);
  assert.equal(b.body, '');
  const c = await get(srv.port, '/static/app.css', { 'If-None-Match': '"0000000000000000"' });
  assert.equal(c.status, 200, 'a stale tag gets the file');
});

test('the page links the fingerprinted name, cached for a year', async () => {
  const home = await get(srv.port, '/');
  const url = /href="(\/static\/app\.([0-9a-f]{8})\.css)"/.exec(home.body);
  assert.ok(url, 'stylesheet linked by its fingerprinted name');
  const r = await get(srv.port, url[1]);
  assert.equal(r.status, 200);
  assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
  const plain = await get(srv.port, '/static/app.css');
  assert.equal(r.body, plain.body, 'same bytes under both names');
  assert.ok(plain.headers.etag.startsWith(`"${url[2]}`), 'fingerprint comes from the content hash');
  const old = await get(srv.port, '/static/app.00000000.css');
  assert.equal(old.status, 404, 'a fingerprint of other content is not served');
});

test('text files are sent gzipped to clients that accept it, with their own ETag', async () => {
  const plain = await get(srv.port, '/static/app.css');
  const gz = await new Promise((resolve, reject) => {
    const s = net.connect(srv.port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    s.on('data', (d) => { buf = Buffer.concat([buf, d]); });
    s.on('end', () => resolve(buf));
    s.on('error', reject);
    s.write('GET /static/app.css HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip, br\r\nConnection: close\r\n\r\n');
  });
  const split = gz.indexOf('\r\n\r\n');
  const head = gz.subarray(0, split).toString();
  assert.match(head, /Content-Encoding: gzip/i);
  assert.match(head, /Vary: Accept-Encoding/i);
  assert.match(head, /ETag: "[0-9a-f]{16}-gz"/i);
  const body = gunzipSync(gz.subarray(split + 4)).toString();
  assert.equal(body, plain.body);
  assert.ok(gz.length - split < Buffer.byteLength(plain.body), 'smaller than the plain file');
});

test('the favicon is served as SVG', async () => {
  const r = await get(srv.port, '/static/favicon.svg');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'image/svg+xml');
});

test('symbolic links in static/ are never followed', async () => {
  for (const t of ['/static/leak.css', '/static/etc/passwd', '/static/etc/hostname']) {
    const r = await get(srv.port, t);
    assert.equal(r.status, 404, t);
    assert.doesNotMatch(r.body, /canary-7f3a|root:/);
  }
});

test('unknown static files are 404', async () => {
  assert.equal((await get(srv.port, '/static/nope.css')).status, 404);
  assert.equal((await get(srv.port, '/static/')).status, 404);
});
