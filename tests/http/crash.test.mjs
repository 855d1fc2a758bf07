// crash.test.mjs - saves survive crashes: 16 respondents save questionnaire pages while the server
// is killed (SIGKILL) five times and restarted on the same database; every save the server
// acknowledged (303 to the next page, or 200 JSON for an autosave) is found intact afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, runCoexist } from '../lib/server.mjs';
import { Client } from '../lib/client.mjs';

const CLIENTS = 16;
const KILLS = 5;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Starts `coexist serve` on `listen` and resolves with { proc, port, log(), exited } once it
// listens (rejects if it exits first or takes more than 15 s).
function serve(env, listen) {
  const proc = spawn(BIN, ['serve'], {
    cwd: ROOT,
    env: { ...process.env, COEXIST_CONF: '/dev/null', COEXIST_ACCESS_LOG: 'false', COEXIST_RATE_STARTS: '10000', ...env, COEXIST_LISTEN: listen },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const exited = new Promise((res) => proc.on('exit', (code, signal) => res(code ?? signal)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`serve did not start:\n${log}`)); }, 15000);
    const onData = (c) => {
      log += c;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (m) { clearTimeout(timer); resolve({ proc, port: Number(m[1]), log: () => log, exited }); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    exited.then((code) => { clearTimeout(timer); reject(new Error(`serve exited (${code}):\n${log}`)); });
  });
}

// Runs one query with the sqlite3 shell and returns its output.
function sql(db, q) {
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', db, q], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
  return r.stdout.trim();
}

// What client k sends as save number i of a section: every value carries k and i, so that a
// row of another save (or of a half-written one) cannot pass for this one.
const tag = (k, i) => `c${String(k).padStart(2, '0')} s${i}`;
const SECTIONS = {
  1: (k, i) => ({ respondent_name: `${tag(k, i)} Awa Ndiaye`, org_name: `${tag(k, i)} Eau Vive Sénégal`, org_kind: i % 2 ? 'ngo' : 'company_sme', org_country: i % 3 ? 'SN' : 'ML', role: 'lead' }),
  2: (k, i) => ({ title: `${tag(k, i)} Solar pumps`, description: Array(1 + (i % 5)).fill(`${tag(k, i)} Pumps, training and upkeep.`).join(' '), stage: 'running', start_year: String(2000 + (i % 25)) }),
};
const MARKER = { 1: 'respondent_name', 2: 'title' };

test(`crash: ${CLIENTS} respondents save while the server is killed ${KILLS} times; nothing acknowledged is lost`, { timeout: 90000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'coexist-crash-'));
  const db = join(dir, 'coexist.db');
  const env = { COEXIST_DB: db, COEXIST_MAIL_DIR: join(dir, 'mail') };
  const demo = runCoexist(['demo'], { ...env, COEXIST_CONF: '/dev/null' });
  assert.equal(demo.status, 0, demo.stderr);
  let srv = await serve(env, '127.0.0.1:0');
  const site = { port: srv.port, url: `http://127.0.0.1:${srv.port}` }; // restarts keep the port
  let up = true;
  let running = true;
  let acked = 0;
  const saves = []; // per client: { 1: [{ i, fields, acked }], 2: [...] }
  const errors = [];
  const end = Date.now() + 60000;

  // Waits (bounded) until the server is back after a kill.
  const whenUp = async () => { for (let n = 0; n < 1000 && !up && Date.now() < end; n++) await sleep(20); };

  async function respondent(k) {
    const mine = { 1: [], 2: [] };
    saves[k] = mine;
    const c = new Client(site);
    let started = false;
    for (let i = 0; running && i < 100000 && Date.now() < end; i++) {
      try {
        if (!started) {
          if ((await c.get('/survey/demo')).status !== 200) throw new Error('start page');
          const s = await c.post('/survey/demo/start');
          if (s.status !== 303) { errors.push(`client ${k}: start answered ${s.status}`); return; }
          started = true;
        }
        const section = 1 + (i % 2);
        const page = await c.get(`/survey/demo/${section}`);
        if (page.status !== 200) { errors.push(`client ${k}: GET section ${section}: ${page.status}`); return; }
        const rev = /name="rev" value="(\d+)"/.exec(page.body)[1];
        const json = i % 4 >= 2; // autosave (JSON) half of the time, the Save button otherwise
        const fields = SECTIONS[section](k, i);
        const entry = { i, fields, acked: false };
        mine[section].push(entry); // sent: it may be saved even if no answer comes back
        const form = new URLSearchParams({ csrf: c.csrf(), rev, action: json ? 'autosave' : 'save', ...fields });
        const headers = { Origin: site.url, ...(json ? { Accept: 'application/json' } : {}) };
        const r = await c.request('POST', `/survey/demo/${section}`, { body: form.toString(), headers });
        // What a client takes for "saved": 200 to an autosave, 303 on to a page of the survey.
        const ok = json ? r.status === 200 : r.status === 303 && /^\/survey\/demo\//.test(r.location || '');
        if (ok) { entry.acked = true; acked++; } else if (r.status < 500) errors.push(`client ${k}: save answered ${r.status}`);
      } catch {
        // The server was killed under this request: its outcome is unknown; go on once it is back.
        await sleep(10);
        await whenUp();
      }
    }
  }

  try {
    const clients = Array.from({ length: CLIENTS }, (_, k) => respondent(k));
    for (let kill = 0; kill < KILLS; kill++) {
      const before = acked;
      for (let n = 0; n < 1000 && acked < before + 6 * CLIENTS && Date.now() < end; n++) await sleep(10);
      await sleep(Math.floor(Math.random() * 100)); // land somewhere inside the saves
      up = false;
      srv.proc.kill('SIGKILL');
      await srv.exited;
      srv = await serve(env, `127.0.0.1:${site.port}`);
      up = true;
    }
    const before = acked;
    for (let n = 0; n < 1000 && acked < before + 2 * CLIENTS && Date.now() < end; n++) await sleep(10);
    running = false;
    await Promise.all(clients);
    srv.proc.kill('SIGTERM');
    assert.equal(await srv.exited, 0, srv.log());

    assert.deepEqual(errors, []);
    assert.equal(sql(db, 'PRAGMA integrity_check;'), 'ok');
    // For each respondent and page: the saved rows are exactly one save the client sent, no older
    // than its last acknowledged one (a later one may be there too: saved, then killed before it
    // could answer). An acknowledged save is lost when the rows are older or mixed.
    let found = 0;
    let lost = 0;
    const problems = [];
    for (let k = 0; k < CLIENTS; k++) {
      for (const section of [1, 2]) {
        const sent = saves[k][section];
        const ack = sent.filter((e) => e.acked);
        const keys = Object.keys(SECTIONS[section](0, 0));
        const rows = JSON.parse(sql(db, `SELECT json_group_array(json_array(question_key, value)) FROM answers WHERE response_id IN
          (SELECT response_id FROM answers WHERE question_key = '${MARKER[section]}' AND value LIKE 'c${String(k).padStart(2, '0')} s%')
          AND question_key IN (${keys.map((q) => `'${q}'`).join(',')})`));
        const stored = Object.fromEntries(rows);
        const m = /^c\d\d s(\d+) /.exec(stored[MARKER[section]] || '');
        const match = m ? sent.find((e) => e.i === Number(m[1])) : undefined;
        const intact = match && rows.length === keys.length && keys.every((q) => stored[q] === match.fields[q]);
        const newer = ack.filter((e) => !intact || e.i > match.i);
        lost += newer.length;
        found += ack.length - newer.length;
        if (newer.length) problems.push(`client ${k} section ${section}: stored ${JSON.stringify(stored)}, last acknowledged ${JSON.stringify(ack[ack.length - 1])}`);
      }
    }
    console.log(`crash: acknowledged ${acked}, found ${found}, lost ${lost}`);
    assert.ok(acked >= CLIENTS * 2, `the respondents got saves through (${acked})`);
    assert.equal(found, acked);
    assert.equal(lost, 0, problems.slice(0, 5).join('\n'));
  } finally {
    running = false;
    if (srv.proc.exitCode === null && srv.proc.signalCode === null) srv.proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
