// server.mjs - starts the real coexist binary on an ephemeral loopback port with a fresh database.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const BIN = process.env.COEXIST_BIN || join(ROOT, process.env.BUILD || 'build', 'coexist');

// Runs a coexist subcommand to completion; returns { status, stdout, stderr }.
export function runCoexist(args, env = {}, opts = {}) {
  const r = spawnSync(BIN, args, {
    cwd: opts.cwd || ROOT,
    env: { ...process.env, ...env },
    input: opts.input,
    encoding: 'utf8',
    timeout: 60000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Starts `coexist serve` on 127.0.0.1 with a port chosen by the kernel and a database in a new
// temporary folder. `env` adds settings (COEXIST_* variables). Resolves once the server logs
// the address it listens on. stop() sends SIGTERM and resolves with the exit code.
export async function startServer({ env = {}, demo = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'coexist-test-'));
  const db = join(dir, 'coexist.db');
  const base = { COEXIST_DB: db, COEXIST_LISTEN: '127.0.0.1:0', COEXIST_CONF: '/dev/null', ...env };
  if (demo) {
    const r = runCoexist(['demo'], base);
    if (r.status !== 0) throw new Error(`coexist demo failed: ${r.stderr}`);
  }
  const proc = spawn(BIN, ['serve'], { cwd: ROOT, env: { ...process.env, ...base }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const exited = new Promise((res) => proc.on('exit', (code, signal) => res(code ?? signal)));
  const port = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start:\n${log}`)), 15000);
    const onData = (chunk) => {
      log += chunk;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (m) { clearTimeout(timer); res(Number(m[1])); }
    };
    proc.stderr.on('data', onData);
    proc.stdout.on('data', (c) => { log += c; });
    proc.on('exit', () => { clearTimeout(timer); rej(new Error(`server exited early:\n${log}`)); });
  });
  proc.stderr.on('data', (c) => { log += c; });
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    dir,
    db,
    proc,
    log: () => log,
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const code = await exited;
      rmSync(dir, { recursive: true, force: true });
      // Under SAN=1 a sanitizer report fails the test that ran the server, whatever it checked.
      if (/ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:/.test(log)) {
        throw new Error(`sanitizer report from coexist serve:\n${log}`);
      }
      // So does a database statement misused or left in use by a request (src/db/db.h).
      if (/database statement /.test(log)) {
        throw new Error(`database statement misused in coexist serve:\n${log}`);
      }
      return code;
    },
  };
}
