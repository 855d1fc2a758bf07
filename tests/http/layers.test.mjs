// layers.test.mjs - data flows one way: each folder of src/ includes only the folders below it
// (docs/architecture.md draws the layers). A module that needs one above it asks the
// application (app->steps), it does not include it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/server.mjs';

// What each folder may include, besides itself. "config" is src/config.h (the settings, a leaf).
// The context header app/app.h is allowed to the web kit and the domain modules: it names the
// shared resources and no module's types.
const APP = 'app/app.h';
const ALLOWED = {
  base: [],
  db: ['base'],
  http: ['base', 'config'],
  view: ['base'],
  vocab: ['base'],
  insight: ['base'],
  questionnaire: ['base', 'vocab', 'http/parse.h'], // pure; fields as http/parse.h types them
  audit: ['base', 'db'],
  mail: ['base', 'db', 'config'],
  // The layout shows who is signed in: it knows the type of a person (auth/user.h), no more.
  web: ['base', 'db', 'http', 'view', 'config', APP, 'auth/user.h'],
  auth: ['base', 'db', 'http', 'view', 'vocab', 'audit', 'mail', 'web', 'config', APP],
  // The organisations' pages know a person by auth/user.h only: auth and orgs include nothing of
  // each other's beyond that type (the organisation made at sign-up is a step of app/).
  orgs: ['base', 'db', 'http', 'view', 'vocab', 'audit', 'auth/user.h', 'web', 'config', APP],
  survey: ['base', 'db', 'http', 'view', 'vocab', 'questionnaire', 'audit', 'mail', 'auth', 'web', 'config', APP],
  responses: ['base', 'db', 'http', 'view', 'vocab', 'questionnaire', 'audit', 'mail', 'auth', 'survey', 'web', 'config', APP],
  exchange: ['base', 'db', 'http', 'view', 'vocab', 'questionnaire', 'audit', 'auth', 'survey', 'web', 'config', APP],
  cases: ['base', 'db', 'http', 'view', 'vocab', 'questionnaire', 'audit', 'mail', 'auth', 'survey', 'web', 'config', APP],
  learn: ['base', 'db', 'http', 'view', 'vocab', 'questionnaire', 'insight', 'auth', 'survey', 'web', 'config', APP],
  admin: ['base', 'db', 'http', 'view', 'vocab', 'audit', 'mail', 'auth', 'orgs', 'web', 'config', APP],
  app: null, // the top: anything
};

function sources(dir) {
  return readdirSync(dir).filter((f) => /\.[ch]$/.test(f)).map((f) => join(dir, f));
}

test('each folder of src/ includes only the folders below it', () => {
  const src = join(ROOT, 'src');
  const folders = readdirSync(src).filter((d) => statSync(join(src, d)).isDirectory());
  const unknown = folders.filter((d) => !(d in ALLOWED));
  assert.deepEqual(unknown, [], 'every folder has its place in the layers (add it to ALLOWED and to docs/architecture.md)');
  const bad = [];
  for (const d of folders) {
    if (ALLOWED[d] === null) continue;
    for (const f of sources(join(src, d))) {
      readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
        const m = /^\s*#\s*include\s+"([^"]+)"/.exec(line);
        if (!m) return;
        const inc = m[1];
        if (!inc.includes('/')) { // a file of the same folder, or src/config.h
          if (inc === 'config.h' && !ALLOWED[d].includes('config')) bad.push(`${f.slice(src.length + 1)}:${i + 1}: ${inc}`);
          return;
        }
        const folder = inc.split('/')[0];
        if (folder === d || ALLOWED[d].includes(folder) || ALLOWED[d].includes(inc)) return;
        bad.push(`${f.slice(src.length + 1)}:${i + 1}: ${inc}`);
      });
    }
  }
  assert.deepEqual(bad, [], `includes that go up a layer:\n${bad.join('\n')}`);
});

test('no module includes the private header of another one', () => {
  const src = join(ROOT, 'src');
  const bad = [];
  for (const d of readdirSync(src).filter((x) => statSync(join(src, x)).isDirectory())) {
    if (d === 'app') continue; // the steps that cross modules may
    for (const f of sources(join(src, d))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/#include "([a-z_]+)\/([a-z_]+_priv\.h)"/g)) {
        if (m[1] !== d) bad.push(`${f.slice(src.length + 1)}: ${m[1]}/${m[2]}`);
      }
    }
  }
  assert.deepEqual(bad, [], bad.join('\n'));
});

// A module's header reads as its table of contents: its functions in the order its files define
// them (a header may serve several files: each file's own order is kept).
test("each header lists its functions in the order their files define them", () => {
  const src = join(ROOT, 'src');
  const decl = /^(?![ \t#/*}]|static\b|typedef\b|extern\b|enum\b|struct [a-z_]+ \{)[^;{]*?\b([a-z_][a-z0-9_]*)\(/gm;
  const def = /^([a-z_][a-z0-9_]*)\(/gm;
  const bad = [];
  let checked = 0;
  for (const d of readdirSync(src).filter((x) => statSync(join(src, x)).isDirectory())) {
    const files = sources(join(src, d));
    for (const h of files.filter((f) => f.endsWith('.h'))) {
      const text = readFileSync(h, 'utf8').replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
      const order = new Map();
      for (const m of text.matchAll(decl)) if (!order.has(m[1])) order.set(m[1], order.size);
      for (const c of files.filter((f) => f.endsWith('.c'))) {
        const defs = [...readFileSync(c, 'utf8').matchAll(def)].map((m) => m[1]).filter((n) => order.has(n));
        for (let i = 1; i < defs.length; i++) {
          checked++;
          if (order.get(defs[i]) < order.get(defs[i - 1])) {
            bad.push(`${h.slice(src.length + 1)}: ${defs[i]} is declared before ${defs[i - 1]}, which ${c.slice(src.length + 1)} defines first`);
          }
        }
      }
    }
  }
  assert.ok(checked > 200, `functions compared (${checked})`);
  assert.deepEqual(bad, [], bad.join('\n'));
});

test('each file of src/ opens with one line saying what it is for', () => {
  const src = join(ROOT, 'src');
  const bad = [];
  const walk = (dir) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.[ch]$/.test(f) && !readFileSync(p, 'utf8').startsWith(`/* ${f} - `)) bad.push(p.slice(src.length + 1));
    }
  };
  walk(src);
  assert.deepEqual(bad, [], `files without their "/* name.c - what it is for" line:\n${bad.join('\n')}`);
});
