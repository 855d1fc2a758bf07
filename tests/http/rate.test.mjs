// rate.test.mjs - what one address can make the site do is bounded: starting questionnaire
// responses, and messages sent through the site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { Client, sql } from '../lib/client.mjs';

let srv;
before(async () => {
  srv = await startServer({ demo: true, env: { COEXIST_RATE_STARTS: '3', COEXIST_RATE_MESSAGES: '2' } });
});
after(async () => { assert.equal(await srv.stop(), 0); });

const responses = () => Number(sql(srv.db, 'SELECT count(*) FROM responses'));

test('starting responses: past the limit per address, 429 with Retry-After and nothing made', async () => {
  const c = new Client(srv);
  const before = responses();
  for (let i = 0; i < 3; i++) {
    await c.get('/survey/demo');
    assert.equal((await c.post('/survey/demo/start')).status, 303, `start ${i + 1}`);
  }
  await c.get('/survey/demo');
  const refused = await c.post('/survey/demo/start');
  assert.equal(refused.status, 429);
  assert.ok(Number(refused.headers['retry-after']) > 0);
  assert.equal(responses(), before + 3, 'the refused start made no response');
  // Another address is not held back.
  const other = new Client(srv, { localAddress: '127.0.0.2' });
  await other.get('/survey/demo');
  assert.equal((await other.post('/survey/demo/start')).status, 303);
});

test('messages through a case page: past the limit per address, 429 and no mail queued', async () => {
  const id = Number(sql(srv.db, "SELECT id FROM cases WHERE state = 'published' AND may_contact = 1"
    + " AND (web_consent = 'named' OR texts_reviewed = 1) ORDER BY id LIMIT 1"));
  assert.ok(id > 0, 'a published case accepting messages');
  const outbox = () => Number(sql(srv.db, 'SELECT count(*) FROM outbox'));
  const c = new Client(srv, { localAddress: '127.0.0.3' });
  const before = outbox();
  const message = { name: 'Awa', email: 'awa@example.org', message: 'Bonjour, pouvons-nous en parler ?' };
  for (let i = 0; i < 2; i++) {
    await c.get(`/cases/${id}`);
    assert.equal((await c.post(`/cases/${id}/contact`, message)).status, 303, `message ${i + 1}`);
  }
  await c.get(`/cases/${id}`);
  assert.equal((await c.post(`/cases/${id}/contact`, message)).status, 429);
  assert.equal(outbox(), before + 2, 'the refused message was not queued');
});
