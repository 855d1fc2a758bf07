// question-roles.test.mjs - the code asks a questionnaire for roles, never for keys (issue 10):
// a second version of the questionnaire whose questions are all renamed, their roles kept,
// runs beside the first one and fills the coordinators' list, cases, the analysis and the
// survey's mails exactly as the first one does; and no C file names a key of coexist-v1.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer } from '../lib/server.mjs';
import { copyShare } from '../lib/share.mjs';
import { Client, mailDir, mailsTo, newPerson, sql, mainText } from '../lib/client.mjs';
import { FULL, questionnaire } from '../lib/survey.mjs';

const V1 = JSON.parse(readFileSync(join(ROOT, 'data', 'questionnaires', 'coexist-v1.json'), 'utf8'));

// Every question that has a role gets a new key, and so do the group fields and details with
// roles: "partners.name" becomes "partner_orgs.org".
const RENAMED = {
  respondent_email: 'your_email', org_name: 'organisation_name', org_kind: 'organisation_kind',
  org_country: 'organisation_country', title: 'project_title', description: 'project_summary',
  partners: 'partner_orgs', 'partners.name': 'org', 'partners.kind': 'org_type', 'partners.country': 'based_in',
  start_year: 'began', stage: 'phase', sectors: 'fields_of_work', countries: 'where_active', sdgs: 'goals',
  partnership_type: 'kind_of_partnership', resources: 'contributions', 'resources.direction': 'way',
  agreement: 'written_agreement', governance: 'steering', achievement: 'results_reached',
  success_factors: 'what_helped', obstacles: 'difficulties', 'obstacles.overcome': 'solved',
  'obstacles.how': 'solved_how', lessons: 'learned', advice: 'tips', consent_analysis: 'ok_analysis',
  consent_public_named: 'ok_named', consent_public_anonymous: 'ok_anonymous', consent_events: 'ok_events',
  may_contact: 'contact_ok', invite_partner: 'ask_partner', partner_email: 'partner_address',
};

// coexist-v2.json: coexist-v1.json with the keys above, in conditions and picks too.
function renamedVersion() {
  const d = structuredClone(V1);
  d.version = 2;
  const top = (k) => RENAMED[k] || k;
  let roles = 0;
  for (const s of d.sections) {
    if (s.show_if) s.show_if.question = top(s.show_if.question);
    for (const q of s.questions) {
      for (const sub of [...(q.fields || []), ...(q.details || [])]) {
        if (sub.role) roles++;
        sub.key = RENAMED[`${q.key}.${sub.key}`] || sub.key;
      }
      if (q.role) roles++;
      if (q.show_if) q.show_if.question = top(q.show_if.question);
      if (q.from) q.from = top(q.from);
      q.key = top(q.key);
    }
  }
  assert.equal(roles, Object.keys(RENAMED).length, 'every renamed question of v1 has a role');
  return d;
}

// A form of v1 (FULL's field names) as v2 names it: "partners.name.0" → "partner_orgs.org.0",
// "resources.skills_probono.direction" → "contributions.skills_probono.way".
function renameFields(fields) {
  const out = {};
  for (const [name, v] of Object.entries(fields)) {
    const [q, ...rest] = name.split('.');
    let sub = rest;
    if (rest.length === 2 && /^\d+$/.test(rest[1])) sub = [RENAMED[`${q}.${rest[0]}`] || rest[0], rest[1]];
    else if (rest.length === 2) sub = [rest[0], RENAMED[`${q}.${rest[1]}`] || rest[1]];
    out[[RENAMED[q] || q, ...sub].join('.')] = v;
  }
  return out;
}

let srv;
let share;
let mail;
let coord;
let Q;
const sent = {}; // v1 and v2: { id, answers: the pages sent, who: e-mail addresses }

before(async () => {
  share = copyShare();
  writeFileSync(join(share, 'data', 'questionnaires', 'coexist-v2.json'), JSON.stringify(renamedVersion(), null, 2));
  mail = mailDir();
  srv = await startServer({ demo: true, env: { COEXIST_SHARE: share, COEXIST_MAIL_DIR: mail } });
  Q = questionnaire(srv);
  coord = await newPerson(srv, 'coordinator', 'roles-coord@example.org');
  const p = await coord.get('/admin/campaigns');
  assert.equal(p.status, 200);
  const made = await coord.post('/admin/campaigns', {
    slug: 'renamed', title_fr: 'Questionnaire renommé', title_en: 'Renamed questionnaire', questionnaire: 'coexist-v2',
    opens: '2026-01-01', closes: '2099-12-31', contact_name: 'Équipe', contact_email: 'equipe@cluster.example',
  });
  assert.equal(made.status, 303);
  assert.match(made.location, /done=created/);
});
after(async () => {
  assert.equal(await srv.stop(), 0);
  rmSync(share, { recursive: true, force: true });
  rmSync(mail, { recursive: true, force: true });
});

// The same partnership told in each version, told apart only by names, texts and addresses.
function pages(tag) {
  return {
    ...FULL,
    1: { ...FULL[1], respondent_email: `respondent-${tag}@example.org`, org_name: `Eau Vive ${tag}` },
    2: { ...FULL[2], title: `Solar pumps ${tag}`, sdgs: ['sdg6', 'sdg17'] },
    3: { ...FULL[3], partnership_type: 'economic_cooperation' },
    5: {
      ...FULL[5], 'obstacles.turnover.overcome': 'yes', 'obstacles.turnover.how': `Handover notes, version ${tag}.`,
      lessons: `Lessons of ${tag}.`, advice: `Advice of ${tag}.`,
    },
    6: {
      ...FULL[6], consent_public_named: 'yes', consent_events: 'yes', may_contact: 'yes',
      invite_partner: 'yes', partner_email: `partner-${tag}@example.org`,
    },
  };
}

// One respondent answers every page of a campaign and sends it.
async function respond(tag, slug, rename) {
  const { c, id } = await Q.startResponse(new Client(srv), slug);
  const all = pages(tag);
  for (let n = 1; n <= 6; n++) {
    const r = await Q.saveSection(c, n, rename(all[n]), 'next', { slug });
    assert.equal(r.status, 303, `${slug} page ${n}: ${r.status}\n${r.status === 422 ? mainText(r.body).slice(0, 1500) : ''}`);
  }
  const done = await Q.submit(c, slug);
  assert.equal(done.status, 303, `${slug}: sent`);
  assert.equal(done.location, `/survey/${slug}/thanks`);
  return { id, c };
}

// The obstacle "turnover" on the coordinators' analysis: how often it was met and overcome.
async function turnoverCounts() {
  const page = await coord.get('/admin/insights');
  assert.equal(page.status, 200);
  const turnover = [...page.body.matchAll(/<section class="obstacle"><h3>([^<]*)<\/h3>\s*<p>(\d+) [^·]*· (\d+) [^·]*· (\d+) /g)]
    .find((x) => /turnover|départ|rotation/i.test(x[1]));
  assert.ok(turnover, 'the obstacle turnover is in the analysis');
  return { met: Number(turnover[2]), overcome: Number(turnover[3]), body: page.body };
}

test('a version with renamed keys and the same roles: sent answers land in the same places as the first version\'s', async () => {
  const before1 = await turnoverCounts();
  sent.v1 = await respond('v1', 'demo', (f) => f);
  const after1 = await turnoverCounts();
  sent.v2 = await respond('v2', 'renamed', renameFields);
  const after2 = await turnoverCounts();
  assert.equal(sql(srv.db, `SELECT count(*) FROM answers WHERE response_id = ${sent.v2.id} AND question_key = 'organisation_name'`), '1',
    'v2 answers are stored under v2 keys');
  // The analysis counts the obstacle and how it was overcome (a detail) for both versions.
  assert.deepEqual([after1.met - before1.met, after1.overcome - before1.overcome], [1, 1], 'v1 counted once');
  assert.deepEqual([after2.met - after1.met, after2.overcome - after1.overcome], [1, 1], 'v2 counted once, as v1');
  for (const tag of ['v1', 'v2']) {
    assert.ok(after2.body.includes(`Handover notes, version ${tag}.`), `the analysis quotes how ${tag} overcame it`);
  }
  assert.match(after2.body, new RegExp(`Handover notes, version v2\\.</p><footer><a href="/admin/responses/${sent.v2.id}"`));
});

test('coordinators\' list: organisation and title of each version, and its sector and country filters', async () => {
  const v2campaign = Number(sql(srv.db, "SELECT id FROM campaigns WHERE slug = 'renamed'"));
  const rows = async (query) => {
    const page = await coord.get(`/admin/responses?${query}`);
    assert.equal(page.status, 200);
    return [...page.body.matchAll(/<tr><td><a href="\/admin\/responses\/(\d+)">\d+<\/a><\/td><td>([^<]*)<\/td><td>([^<]*)<\/td>/g)]
      .map((m) => ({ id: Number(m[1]), org: m[2], title: m[3] }));
  };
  const listed = await rows(`campaign=${v2campaign}`);
  assert.deepEqual(listed.find((r) => r.id === sent.v2.id), { id: sent.v2.id, org: 'Eau Vive v2', title: 'Solar pumps v2' });
  const all = await rows('status=submitted');
  assert.deepEqual(all.find((r) => r.id === sent.v1.id), { id: sent.v1.id, org: 'Eau Vive v1', title: 'Solar pumps v1' });
  for (const [query, expect] of [['sector=water_sanitation', true], ['country=ML', true], ['sector=energy', false], ['country=KE', false]]) {
    const ids = (await rows(`status=submitted&${query}`)).map((r) => r.id);
    assert.equal(ids.includes(sent.v2.id), expect, `v2 with ${query}`);
    assert.equal(ids.includes(sent.v1.id), expect, `v1 with ${query}`);
  }
});

test('cases: a case made from each version holds the same facts, consent and parties', async () => {
  const cases = {};
  for (const tag of ['v1', 'v2']) {
    const rid = sent[tag].id;
    const page = await coord.get(`/admin/responses/${rid}`);
    assert.equal(page.status, 200);
    const r = await coord.post(`/admin/responses/${rid}/case`, {});
    assert.equal(r.status, 303, `case of ${tag}`);
    const cid = Number(/^\/admin\/cases\/(\d+)$/.exec(r.location)[1]);
    // The code lists of a case are rows of case_facets (in the order answered).
    const list = (facet) => `coalesce((SELECT group_concat(value, ' ') FROM (SELECT value FROM case_facets`
      + ` WHERE case_id = ${cid} AND facet = '${facet}' ORDER BY position)), '')`;
    cases[tag] = JSON.parse(sql(srv.db, `SELECT json_object('title', title_fr, 'summary', summary_fr, 'lessons', lessons_fr,
      'org', org_name, 'org_kind', org_kind, 'org_country', org_country, 'org_brought', ${list('org_brought')},
      'partner', partner_name, 'partner_kind', partner_kind, 'partner_country', partner_country,
      'partner_brought', ${list('partner_brought')}, 'sectors', ${list('sector')}, 'countries', ${list('country')},
      'type', ${list('type')}, 'stage', ${list('stage')}, 'outcome', ${list('outcome')}, 'resources', ${list('resource')},
      'factors', ${list('factor')}, 'obstacles', ${list('obstacle')}, 'sdgs', ${list('sdg')},
      'start_year', start_year, 'web', web_consent, 'events', events_consent, 'may_contact', may_contact) FROM cases WHERE id = ${cid}`));
    cases[tag].cid = cid;
  }
  assert.deepEqual(cases.v2, {
    title: 'Solar pumps v2', summary: 'Pumps, training and upkeep.', lessons: 'Lessons of v2.\n\nAdvice of v2.',
    org: 'Eau Vive v2', org_kind: 'ngo', org_country: 'SN', org_brought: 'logistics_premises',
    partner: 'SolarCo', partner_kind: 'company_sme', partner_country: 'FR', partner_brought: 'skills_probono logistics_premises',
    sectors: 'health water_sanitation', countries: 'ML SN', type: 'economic_cooperation', stage: 'completed',
    outcome: 'met', resources: 'skills_probono logistics_premises', factors: 'trust champion clear_roles',
    obstacles: 'turnover', sdgs: 'sdg6 sdg17', start_year: 2021, web: 'named', events: 1, may_contact: 1, cid: cases.v2.cid,
  });
  const strip = (c) => JSON.parse(JSON.stringify({ ...c, cid: 0 }).replaceAll('v1', 'vN').replaceAll('v2', 'vN'));
  assert.deepEqual(strip(cases.v2), strip(cases.v1), 'both versions give the same case');

  // Published (named consent), the case passes a message on to the respondent's own address.
  for (const tag of ['v1', 'v2']) {
    const cid = cases[tag].cid;
    await coord.get(`/admin/cases/${cid}`);
    const st = await coord.post(`/admin/cases/${cid}/state`, { state: 'published' });
    assert.equal(st.location, `/admin/cases/${cid}?done=state`, `${tag} published`);
    const v = new Client(srv);
    const page = await v.get(`/cases/${cid}`);
    assert.equal(page.status, 200);
    const r = await v.post(`/cases/${cid}/contact`, { name: 'Lectrice', email: `reader-${tag}@ngo.example`, message: 'Bonjour, pouvons-nous en parler ?' });
    assert.equal(r.status, 303);
    for (const until = Date.now() + 10000; !mailsTo(mail, `respondent-${tag}@example.org`).some((m) => m.body.includes(`reader-${tag}@ngo.example`));) {
      assert.ok(Date.now() < until, `the message to the ${tag} respondent is delivered`);
      await new Promise((res) => setTimeout(res, 50));
    }
  }
});

test('analysis: each item and filter finds the response of either version', async () => {
  const idsFor = async (query) => {
    const page = await coord.get(`/admin/insights/cases?${query}`);
    assert.equal(page.status, 200, query);
    return new Set([...page.body.matchAll(/href="\/admin\/responses\/(\d+)"/g)].map((m) => Number(m[1])));
  };
  const items = ['sector:health', 'sector:water_sanitation', 'type:economic_cooperation', 'factor:trust', 'factor:champion',
    'factor:clear_roles', 'obstacle:turnover', 'resource:skills_probono', 'resource:logistics_premises',
    'agreement:contract', 'governance:steering_committee'];
  for (const item of items) {
    for (const extra of ['', '&outcome=success', '&sector=water_sanitation', '&region=011', '&type=economic_cooperation', '&from=2021&to=2021']) {
      const ids = await idsFor(`item=${encodeURIComponent(item)}${extra}`);
      assert.ok(ids.has(sent.v1.id), `v1 with ${item}${extra}`);
      assert.ok(ids.has(sent.v2.id), `v2 with ${item}${extra}`);
    }
  }
  for (const extra of ['&outcome=failure', '&sector=energy', '&region=014', '&type=giving', '&from=2022']) {
    const ids = await idsFor(`item=factor:trust${extra}`);
    assert.ok(!ids.has(sent.v1.id) && !ids.has(sent.v2.id), `neither with ${extra}`);
  }
});

test('survey mails: the private link to the respondent\'s address, and the partner\'s invitation, in either version', async () => {
  for (const tag of ['v1', 'v2']) {
    const link = mailsTo(mail, `respondent-${tag}@example.org`).find((m) => /\/r\/[A-Za-z0-9_-]{43}/.test(m.body));
    assert.ok(link, `${tag}: the private link was mailed to the respondent`);
    const invitation = mailsTo(mail, `partner-${tag}@example.org`);
    assert.equal(invitation.length, 1, `${tag}: the partner is invited once`);
    assert.ok(invitation[0].body.includes(`Eau Vive ${tag} — Solar pumps ${tag}`), `${tag}: the invitation names the organisation and the partnership`);
  }
});

// --- no question key in the C code ---

// The keys of coexist-v1.json: its questions', and the stored keys under them ("partners.name",
// "obstacles.CODE.how", "sectors.other").
const KEYS = new Set();
const STORED = new Set();
const PARENTS = new Set();
for (const s of V1.sections) {
  for (const q of s.questions) {
    KEYS.add(q.key);
    if (q.other) STORED.add(`${q.key}.other`);
    for (const sub of [...(q.fields || []), ...(q.details || [])]) {
      STORED.add(`${q.key}.${sub.key}`);
      PARENTS.add(q.key);
    }
  }
}
const isStored = (s) => STORED.has(s) || [...PARENTS].some((p) => s === `${p}.` || s.startsWith(`${p}.%`));

// The places of a C file (comments removed) where a string literal is a question key: given to
// the answers API or to a function of the same file that takes answers and a key (cases_make.c
// had one(a, "title")), compared with strcmp to something named key (a row's key), quoted in the
// SQL of a store, or a stored key of a field, detail or "other" anywhere. The same words elsewhere
// are other names (template values, vocabularies, facets, JSON members, form fields).
function keysNamed(rel, source) {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/\/\/.*$/gm, '');
  const readers = ['answers_get', 'answers_has', 'answers_count', 'answers_add', 'answers_remove_question',
    'answers_copy_question', 'qdef_find', 'survey_store_consent'];
  for (const m of text.matchAll(/^(\w+)\(([^)]*)\)\s*\n?\{/gm)) {
    if (/struct answers\b/.test(m[2]) && /const char \*/.test(m[2])) readers.push(m[1]);
  }
  const reads = new RegExp(`\\b(${readers.join('|')})\\(`);
  const found = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
      const lit = m[1];
      const at = `${rel}:${i + 1}`;
      if (isStored(lit)) found.push(`${at}: "${lit}", a stored key`);
      else if (KEYS.has(lit) && (reads.test(line) || /\bstrn?cmp\([^,]*\bkey\b[^,]*,\s*$/.test(line.slice(0, m.index)))) {
        found.push(`${at}: "${lit}" read from answers: ${line.trim()}`);
      }
      if (/_store\.c$/.test(rel)) {
        for (const x of lit.matchAll(/'([a-z_][a-z0-9_.%]*)'/g)) if (KEYS.has(x[1]) || isStored(x[1])) found.push(`${at}: '${x[1]}' in SQL`);
      }
    }
  });
  return found;
}

test('the key finder finds the ways code used to name keys', () => {
  const before = [
    'static const char *\none(const struct answers *a, const char *key)\n{\n\treturn answers_get(a, key, 0);\n}',
    'c->title_fr = one(a, "title");',
    'const char *email = answers_get(&x->a, "respondent_email", 0);',
    'if (strcmp(a->rows[i].key, "resources") != 0)',
    'else if (strcmp(key, "achievement") == 0)',
    'answers_get(a, arena_printf(ar, "resources.%s.direction", code), 0);',
    'c->partner_name = v(a, "partners.name");',
    '"SELECT value FROM answers WHERE question_key = \'org_name\'"',
  ].join('\n');
  assert.equal(keysNamed('src/x/x_store.c', before).length, 7, keysNamed('src/x/x_store.c', before).join('\n'));
  const other = 'tv_set_str(ctx, "title", p->title);\nconst struct vocab *s = vocab_find(v, "sectors");\n'
    + 'add_facets(a, "stage", c.stage, &f, &val, &n, CAP);\nif (strcmp(sub, "role") == 0)';
  assert.deepEqual(keysNamed('src/x/x_web.c', other), []);
});

test('no C file outside the questionnaire engine and the demo\'s generator names a question key of coexist-v1.json', () => {
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
  // The engine reads keys from the files; survey_demo.c writes coexist v1's answers under its
  // keys (checked against that definition when the demo loads); the vocabulary loader's "key"
  // is a list's ("countries" is the country list's).
  const exempt = (rel) => rel.startsWith('src/questionnaire/') || rel === 'src/survey/survey_demo.c' || rel.startsWith('src/vocab/');
  const found = [];
  for (const f of files) {
    const rel = f.slice(ROOT.length + 1);
    if (!exempt(rel)) found.push(...keysNamed(rel, readFileSync(f, 'utf8')));
  }
  assert.deepEqual(found, [], `question keys named in C (ask qdef_role_key(d, QR_…) instead):\n${found.join('\n')}`);
});
