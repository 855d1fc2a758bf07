// raw.mjs - a bare HTTP/1.1 client over a TCP socket, for requests no browser would send.
import net from 'node:net';

// Parses one HTTP response from a buffer; returns null while incomplete.
export function parseResponse(buf, { head = false } = {}) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const headText = buf.subarray(0, end).toString('latin1');
  const [statusLine, ...lines] = headText.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!m) throw new Error(`bad status line: ${statusLine}`);
  const headers = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    const k = l.slice(0, i).trim().toLowerCase();
    const v = l.slice(i + 1).trim();
    headers[k] = headers[k] ? `${headers[k]}, ${v}` : v;
  }
  const status = Number(m[1]);
  const start = end + 4;
  let len = 0;
  if (!head && status !== 304 && status !== 204) {
    if (headers['content-length'] !== undefined) len = Number(headers['content-length']);
    else if (headers['transfer-encoding']) return null; // not used by these tests
  }
  if (buf.length < start + len) return null;
  return { status, headers, body: buf.subarray(start, start + len).toString('utf8'), size: start + len };
}

// Sends raw bytes and resolves with the parsed response (or { closed: true } when the server
// closed without answering). Times out after `timeout` ms.
export function rawRequest(port, data, { timeout = 5000, head = false } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (v, err) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      err ? reject(err) : resolve(v);
    };
    const timer = setTimeout(() => finish(null, new Error('timeout waiting for response')), timeout);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      try {
        const r = parseResponse(buf, { head });
        if (r) finish(r);
      } catch (e) { finish(null, e); }
    });
    sock.on('error', (e) => (e.code === 'ECONNRESET' ? finish({ closed: true, status: 0 }) : finish(null, e)));
    sock.on('end', () => finish({ closed: true, status: 0, partial: buf.toString('latin1') }));
    sock.write(data);
  });
}

// A GET with Connection: close and extra header lines.
export function get(port, target, headers = {}) {
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extra}\r\n`);
}

// Opens a connection and returns helpers to send pieces and read responses on it.
export function openConnection(port) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => {
      let buf = Buffer.alloc(0);
      let waiter = null;
      let closed = false;
      const check = () => {
        if (!waiter) return;
        const r = parseResponse(buf, { head: waiter.head });
        if (r) {
          buf = buf.subarray(r.size);
          const w = waiter; waiter = null; w.resolve(r);
        } else if (closed) {
          // partial: bytes of a response that was cut before its end (none: closed cleanly).
          const w = waiter; waiter = null; w.resolve({ closed: true, status: 0, partial: buf.length });
        }
      };
      sock.on('data', (d) => { buf = Buffer.concat([buf, d]); check(); });
      sock.on('close', () => { closed = true; check(); });
      sock.on('error', () => { closed = true; check(); });
      resolve({
        sock,
        send: (s) => sock.write(s),
        read: ({ head = false, timeout = 5000 } = {}) => new Promise((res, rej) => {
          const t = setTimeout(() => rej(new Error('timeout')), timeout);
          waiter = { head, resolve: (r) => { clearTimeout(t); res(r); } };
          check();
        }),
        isClosed: () => closed,
        close: () => sock.destroy(),
      });
    });
    sock.on('error', reject);
  });
}
