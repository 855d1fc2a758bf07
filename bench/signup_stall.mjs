// signup_stall.mjs - do sign-ups stall the questionnaire's saves? 8 respondents save pages for
// DURATION seconds, first alone, then while one client signs up in a loop (each sign-up costs an
// argon2id hash, 50-100 ms of one core). Prints saves/s and p50/p99 of each run beside the
// targets: a save p99 under 250 ms (no hash ever holds SQLite's write lock; before issue 9 it was
// 4.5 s here), and at least 40 % of the save rate (on this 2-core machine a hash in progress takes
// one of the two cores, the client the rest: the rate falls for want of CPU, not of the lock).
// Run: node bench/signup_stall.mjs   (COEXIST_BIN to measure another build; DURATION seconds)
import { startServer } from '../tests/lib/server.mjs';
import { Client, signUpFields } from '../tests/lib/client.mjs';
import { questionnaire } from '../tests/lib/survey.mjs';

const DURATION = Number(process.env.DURATION || 8) * 1000;
const RESPONDENTS = 8;

const pct = (xs, p) => xs.length ? xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] : NaN;

async function run(srv, Q, withSignups) {
  const people = [];
  for (let i = 0; i < RESPONDENTS; i++) people.push(await Q.startResponse());
  const until = Date.now() + DURATION;
  const times = [];
  let signups = 0;
  let n = 0;
  const saver = async ({ c }) => {
    for (let k = 0; Date.now() < until && k < 1e6; k++) {
      const t0 = process.hrtime.bigint();
      const r = await Q.saveSection(c, 1, { respondent_name: `Person ${k}`, org_name: `Org ${k}` });
      if (r.status === 303) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  const signer = async () => {
    const c = new Client(srv, { localAddress: '127.0.0.2' });
    for (let k = 0; Date.now() < until && k < 1e6; k++) {
      await c.get('/signup');
      await c.post('/signup', signUpFields(`stall${withSignups}-${n++}@example.org`));
      signups++;
    }
  };
  await Promise.all([...people.map(saver), ...(withSignups ? [signer()] : [])]);
  return { rate: times.length / (DURATION / 1000), p50: pct(times, 0.5), p99: pct(times, 0.99), signups };
}

const srv = await startServer({ demo: true, env: { COEXIST_ACCESS_LOG: 'false', COEXIST_RATE_STARTS: '100000', COEXIST_RATE_SIGNUPS: '100000' } });
try {
  const Q = questionnaire(srv);
  const alone = await run(srv, Q, false);
  const stalled = await run(srv, Q, true);
  const keep = stalled.rate / alone.rate;
  console.log('run                 saves/s   p50 ms   p99 ms   sign-ups');
  for (const [name, r] of [['saves alone', alone], ['with a sign-up loop', stalled]]) {
    console.log(`${name.padEnd(19)} ${r.rate.toFixed(0).padStart(7)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${String(r.signups).padStart(10)}`);
  }
  console.log(`save p99 with sign-ups ${stalled.p99.toFixed(0)} ms (target < 250 ms), ${(keep * 100).toFixed(0)} % of the save rate kept (target ≥ 40 %): ${keep >= 0.4 && stalled.p99 < 250 ? 'met' : 'NOT met'}`);
} finally {
  await srv.stop();
}
