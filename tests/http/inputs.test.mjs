// inputs.test.mjs - typed inputs: every number, date, page key and route parameter is checked and
// parsed once by the router; a bad one gets a clear 400 (or 404 for a path), never a crash, and
// no handler parses request data itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, ROOT } from '../lib/server.mjs';
import { Client, newPerson } from '../lib/client.mjs';

let srv;
let coord;
before(async () => {
  srv = await startServer({ demo: true });
  coord = await newPerson(srv, 'coordinator', 'inputs-coord@example.org');
});
after(async () => { assert.equal(await srv.stop(), 0); });

const alive = async () => assert.equal((await new Client(srv).get('/healthz')).status, 200, 'the server still answers');

test('a page key out of range on a search never reaches the list: 400, and the server lives on', async () => {
  const v = new Client(srv);
  // These ended the process (a negative index into the search hits).
  for (const q of ['q=!!!&after=-1', 'q=!!!&after=-3', 'q=eau&after=-1', 'q=eau&at=-1', 'q=eau&at=501',
    'q=eau&at=1e3', 'after=-1', 'after=garbage', 'after=2026-01-01_0', 'after=99999999999999999999',
    'after=2026-02-30T00:00:00Z_5', "after=' OR 1=1 --_5"]) {
    const r = await v.get(`/cases?${encodeURI(q)}`);
    assert.equal(r.status, 400, `/cases?${q}`);
    assert.match(r.headers['content-type'], /^text\/html/);
    await alive();
  }
  // The keys the pages give are taken.
  assert.equal((await v.get('/cases?q=eau&at=0')).status, 200);
  assert.equal((await v.get('/cases?q=eau&at=20')).status, 200);
  assert.equal((await v.get('/cases?after=2026-01-01T00:00:00Z_5')).status, 200);
  assert.equal((await v.get('/cases?after=')).status, 200, 'an empty key is the first page');
  // The API says it in JSON.
  const api = await v.get('/api/v1/cases?after=-1');
  assert.equal(api.status, 400);
  assert.match(api.headers['content-type'], /^application\/json/);
  assert.deepEqual(JSON.parse(api.body), { error: 'bad request' });
});

test('a route parameter that is not what the route takes is a 404, in HTML or in JSON for the API', async () => {
  const v = new Client(srv);
  for (const p of ['abc', '-1', '0', '1e3', '+5', '99999999999999999999', '9007199254740993', '%205']) {
    assert.equal((await v.get(`/cases/${p}`)).status, 404, `/cases/${p}`);
    assert.equal((await v.get(`/cases/${p}/sheet.pdf`)).status, 404, `/cases/${p}/sheet.pdf`);
    const api = await v.get(`/api/v1/cases/${p}`);
    assert.equal(api.status, 404, `/api/v1/cases/${p}`);
    assert.deepEqual(JSON.parse(api.body), { error: 'not found' });
    assert.equal((await coord.get(`/admin/responses/${p}`)).status, 404, `/admin/responses/${p}`);
    assert.equal((await coord.get(`/admin/cases/${p}`)).status, 404, `/admin/cases/${p}`);
  }
  assert.equal((await v.get('/survey/demo/abc')).status, 404);
  assert.equal((await v.get('/survey/demo/-1')).status, 404);
  await alive();
});

test('numbers and days of filters are checked: 400 for a bad one, an empty box is "any"', async () => {
  const v = new Client(srv);
  assert.equal((await v.get('/learn?from=abc')).status, 400);
  assert.equal((await v.get('/learn?from=1899')).status, 400);
  assert.equal((await v.get('/learn?from=2020&to=2024')).status, 200);
  assert.equal((await v.get('/learn?from=&to=')).status, 200, 'empty boxes');
  assert.equal((await coord.get('/admin/responses?campaign=abc')).status, 400);
  assert.equal((await coord.get('/admin/responses?campaign=&from=&to=')).status, 200, 'the filter form sent with nothing chosen');
  assert.equal((await coord.get('/admin/responses?from=2026-02-30')).status, 400, 'not a day of the calendar');
  assert.equal((await coord.get('/admin/responses?from=2026-01-01&to=2026-12-31')).status, 200);
  assert.equal((await coord.get('/admin/responses?before=0')).status, 400);
  assert.equal((await coord.get('/admin/responses.csv?campaign=-4')).status, 400);
  await alive();
});

test('a repeated field has its own kind: the booklet takes a list of case ids, each checked, at most 200', async () => {
  await coord.get('/admin/cases');
  const send = (ids) => {
    const form = new URLSearchParams({ csrf: coord.csrf() });
    for (const id of ids) form.append('case', id);
    return coord.request('POST', '/admin/cases/booklet', { body: form.toString(), headers: { Origin: srv.url } });
  };
  assert.equal((await send(['1', 'abc'])).status, 400, 'one bad id');
  assert.equal((await send(['-1'])).status, 400);
  assert.equal((await send(Array.from({ length: 201 }, (_, i) => String(i + 1)))).status, 400, 'too many');
  const none = await send(['999999']);
  assert.equal(none.status, 303, 'no such case: an empty booklet, said as such');
  assert.equal(none.location, '/admin/cases?done=booklet_empty');
  await alive();
});

test('a questionnaire page without its revision, or with one that is not a number, is a 400', async () => {
  const c = new Client(srv);
  await c.get('/survey/demo');
  assert.equal((await c.post('/survey/demo/start')).status, 303);
  const page = await c.get('/survey/demo/1');
  const rev = /name="rev" value="(\d+)"/.exec(page.body)[1];
  for (const fields of [{ org_name: 'No revision' }, { rev: 'abc', org_name: 'x' }, { rev: '-1', org_name: 'x' }, { rev: '', org_name: 'x' }]) {
    const r = await c.post('/survey/demo/1', { action: 'save', ...fields });
    assert.equal(r.status, 400, JSON.stringify(fields));
  }
  const ok = await c.post('/survey/demo/1', { rev, action: 'save', org_name: 'With its revision' });
  assert.equal(ok.status, 303);
});

// Every call of C's number parsers in src/, outside the places whose job it is. A handler that
// parses request data itself re-opens what the router closed (one such call let a GET kill the
// server): it reads req_int(), req_ints() or req_cursor() instead.
test('no handler parses request data with atoi, strtol, sscanf and the like', () => {
  const allowed = new Set([
    'src/config.c', // settings from the configuration file and the environment
    'src/http/server.c', // Content-Length and the listen address, before any route
    'src/http/parse.c', // the q= weights of Accept headers
  ]);
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.[ch]$/.test(name)) files.push(p);
    }
  };
  walk(join(ROOT, 'src'));
  assert.ok(files.length > 50, 'the sources were found');
  const parser = /\b(atoi|atol|atoll|atof|sscanf|strtol|strtoll|strtoul|strtoull|strtod|strtof|strtoimax|strtoumax)\s*\(/;
  const found = [];
  for (const f of files) {
    const rel = f.slice(ROOT.length + 1);
    if (rel.startsWith('src/base/') || allowed.has(rel)) continue; // base/num.c is the one parser
    readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
      if (parser.test(line.replace(/\/\*.*?\*\/|\/\/.*$/g, ''))) found.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, [], `number parsers outside the router:\n${found.join('\n')}`);
});
