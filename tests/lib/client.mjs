// client.mjs - a cookie-keeping HTTP client that drives the site like a browser's user would
// (redirects are never followed by themselves), plus helpers for mail, people and the database.
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCoexist, ROOT } from './server.mjs';

export const PASSWORD = 'a long walk by the quiet river';

// A person's browser on 127.0.0.1. `localAddress` (another 127.x.y.z) makes the requests come
// from another IP address, which the loopback interface accepts.
export class Client {
  constructor(srv, { localAddress, lang = 'en' } = {}) {
    this.srv = srv;
    this.localAddress = localAddress;
    this.lang = lang;
    this.jar = new Map();
    this.last = null; // the last response
    this.token = undefined; // the last CSRF token seen in a page
  }

  cookie(name) { return this.jar.get(name); }
  setCookie(name, value) { value === undefined ? this.jar.delete(name) : this.jar.set(name, value); }
  cookieHeader() { return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '); }

  // The CSRF token of the forms of the last page that had any (a redirect or an error page
  // leaves it as it was, as a browser stays on the page with the form).
  csrf() { return this.token; }

  request(method, path, { body, headers = {} } = {}) {
    const h = { 'Accept-Language': this.lang, ...headers };
    if (this.jar.size) h.Cookie = this.cookieHeader();
    if (body !== undefined) {
      h['Content-Type'] = 'application/x-www-form-urlencoded';
      h['Content-Length'] = Buffer.byteLength(body);
    }
    for (const k of Object.keys(h)) if (h[k] === null) delete h[k];
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1', port: this.srv.port, method, path, headers: h,
        localAddress: this.localAddress, agent: false,
      }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const r = {
            status: res.statusCode,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            location: res.headers.location,
            cookies: {}, // what this response set: name -> value ('' when it asked to forget)
          };
          for (const line of res.headers['set-cookie'] || []) {
            const [pair, ...attrs] = line.split(';');
            const eq = pair.indexOf('=');
            const name = pair.slice(0, eq).trim();
            const value = pair.slice(eq + 1).trim();
            const gone = value === '' || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
            r.cookies[name] = gone ? '' : value;
            gone ? this.jar.delete(name) : this.jar.set(name, value);
          }
          this.last = r;
          const m = /name="csrf" value="([^"]*)"/.exec(r.body);
          if (m) this.token = m[1];
          resolve(r);
        });
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  get(path, headers = {}) { return this.request('GET', path, { headers }); }

  // Sends a form. `csrf`: the token to send (default: the last page's; null sends none).
  // `origin`: the Origin header (default: this site, as a browser sends it; null sends none).
  post(path, fields = {}, { csrf, origin, headers = {} } = {}) {
    const token = csrf === undefined ? this.csrf() : csrf;
    const form = new URLSearchParams();
    if (token !== null && token !== undefined) form.set('csrf', token);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    const o = origin === undefined ? this.srv.url : origin;
    return this.request('POST', path, { body: form.toString(), headers: { Origin: o, ...headers } });
  }
}

// --- mail (file transport: one .eml per message) ---

// A new empty folder to give the server as COEXIST_MAIL_DIR.
export function mailDir() {
  return mkdtempSync(join(tmpdir(), 'coexist-mail-'));
}

function decodeQuotedPrintable(text) {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < soft.length; i++) {
    const m = soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3));
    if (m) { bytes.push(parseInt(soft.slice(i + 1, i + 3), 16)); i += 2; } else bytes.push(...Buffer.from(soft[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeHeader(value) {
  return value.replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, b) => Buffer.from(b, 'base64').toString('utf8'));
}

// Reads one .eml: { file, to, subject, body } with the body decoded.
export function readMail(file) {
  const raw = readFileSync(file, 'utf8');
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, end).replace(/\r\n[ \t]/g, ' ');
  const header = (n) => (new RegExp(`^${n}: (.*)$`, 'mi').exec(head) || [])[1] || '';
  return { file, to: header('To'), subject: decodeHeader(header('Subject')), body: decodeQuotedPrintable(raw.slice(end + 4)) };
}

// Every message in dir to `to`, oldest first (files are named <outbox id>-<time>.eml).
export function mailsTo(dir, to) {
  return readdirSync(dir).filter((f) => /^\d+-\d+\.eml$/.test(f))
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10))
    .map((f) => readMail(join(dir, f)))
    .filter((m) => m.to.toLowerCase() === to.toLowerCase());
}

// Waits until `count` messages to `to` have been delivered and returns the newest.
export async function waitForMail(dir, to, { count = 1, timeout = 10000 } = {}) {
  const until = Date.now() + timeout;
  for (;;) {
    const list = mailsTo(dir, to);
    if (list.length >= count) return list[list.length - 1];
    if (Date.now() > until) throw new Error(`no message #${count} to ${to} in ${dir} (found ${list.length})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The path of the /confirm/ or /reset/ link in a message, checking it points at this server.
export function mailLink(mail, srv, kind) {
  const m = new RegExp(`(http://127\\.0\\.0\\.1:(\\d+))(/${kind}/[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])`).exec(mail.body);
  if (!m) throw new Error(`no /${kind}/ link in:\n${mail.body}`);
  if (Number(m[2]) !== srv.port) throw new Error(`link to port ${m[2]}, server on ${srv.port}`);
  return m[3];
}

// --- flows ---

export function signUpFields(email, extra = {}) {
  return { name: 'Ada Lovelace', email, org_name: 'Water for All', org_kind: 'ngo', password: PASSWORD, password2: PASSWORD, ...extra };
}

// Opens /signup and sends the form; resolves with the answer to the POST.
export async function signUp(c, email, extra = {}) {
  await c.get('/signup');
  return c.post('/signup', signUpFields(email, extra));
}

// Opens a confirmation link and presses its button; resolves with the answer to the POST.
export async function confirm(c, path) {
  const page = await c.get(path);
  if (page.status !== 200) throw new Error(`GET ${path}: ${page.status}`);
  return c.post(path);
}

// Opens /signin (or, when already signed in, the page it leads to) and signs in.
export async function signIn(c, email, password = PASSWORD, { next } = {}) {
  const page = await c.get('/signin');
  if (page.status === 303) await c.get(page.location);
  return c.post('/signin', next === undefined ? { email, password } : { email, password, next });
}

// Signs up, confirms by the mailed link and signs in: a new active member with an organisation.
export async function newMember(srv, mail, email, extra = {}) {
  const c = new Client(srv);
  const up = await signUp(c, email, extra);
  if (up.status !== 200) throw new Error(`sign-up of ${email}: ${up.status}`);
  const link = mailLink(await waitForMail(mail, email), srv, 'confirm');
  const done = await confirm(c, link);
  if (done.status !== 303) throw new Error(`confirm of ${email}: ${done.status}`);
  const s = await signIn(c, email);
  if (s.status !== 303) throw new Error(`sign-in of ${email}: ${s.status}`);
  return c;
}

// --- people made from the shell, and the database ---

// `coexist user add --role ROLE EMAIL` with the password on standard input. Returns the id.
export function addUser(srv, role, email, { password = PASSWORD, name } = {}) {
  const args = ['user', 'add', '--role', role, ...(name ? ['--name', name] : []), email];
  const r = runCoexist(args, { COEXIST_DB: srv.db, COEXIST_CONF: '/dev/null' }, { input: `${password}\n` });
  if (r.status !== 0) throw new Error(`coexist ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return Number(sql(srv.db, `SELECT id FROM users WHERE email = '${email}'`));
}

// Makes a person with the CLI and signs them in; resolves with their client.
export async function newPerson(srv, role, email, opts = {}) {
  addUser(srv, role, email, opts);
  const c = new Client(srv, opts);
  const r = await signIn(c, email, opts.password);
  if (r.status !== 303) throw new Error(`sign-in of ${email}: ${r.status}`);
  return c;
}

// Runs one query with the sqlite3 shell; returns its output, trimmed.
export function sql(db, query) {
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', db, query], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
  return r.stdout.trim();
}

// The English texts of the site (locale/en.txt, "key = text" lines): t('signin.title').
const catalogue = new Map();
for (const line of readFileSync(join(process.env.COEXIST_SHARE || ROOT, 'locale', 'en.txt'), 'utf8').split('\n')) {
  const eq = line.indexOf('=');
  if (!line.trim().startsWith('#') && eq > 0) catalogue.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
}
export function t(key) {
  if (!catalogue.has(key)) throw new Error(`no text ${key} in locale/en.txt`);
  return catalogue.get(key);
}

// The text of <main>, tags dropped: what a person reads on the page.
export function mainText(body) {
  const m = /<main[^>]*>([\s\S]*)<\/main>/.exec(body);
  const entities = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" };
  return (m ? m[1] : body).replace(/<[^>]+>/g, ' ').replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e) => entities[e])
    .replace(/\s+/g, ' ').trim();
}
