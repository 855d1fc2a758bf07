// cases.test.mjs - the Showcase: partnership cases made from responses by coordinators and
// published never beyond the consent given. The consent matrix (named, anonymised, events only,
// none) checked on every public surface (catalogue with and without filters, case page, search,
// map, API, PDF sheet, export); consent withdrawn by the respondent; states and their audit; the
// catalogue's facets, filters and pages; French search; similar cases and the contact form; the
// API; roles and CSRF.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, runCoexist, BIN, ROOT } from '../lib/server.mjs';
import { Client, mailDir, mailsTo, mailLink, newPerson, sql, mainText, t, waitForMail } from '../lib/client.mjs';

let srv;
let mail;
let coord; // a coordinator made for these tests (the demo's has a random password)
let member;
before(async () => {
  mail = mailDir();
  srv = await startServer({ demo: true, env: { COEXIST_MAIL_DIR: mail } });
  coord = await newPerson(srv, 'coordinator', 'cases-coord@example.org', { name: 'Cora Curator' });
  member = await newPerson(srv, 'member', 'cases-member@example.org');
});
after(async () => {
  assert.equal(await srv.stop(), 0);
  rmSync(mail, { recursive: true, force: true });
});

// --- vocabularies (English labels, as the test clients ask for English) ---

const countries = JSON.parse(readFileSync(join(ROOT, 'data', 'countries.json'), 'utf8'));
const country = (code) => countries.options.find((o) => o.code === code).en;
const kindLabel = (code) => JSON.parse(readFileSync(join(ROOT, 'data', 'vocab', 'org_kinds.json'), 'utf8')).options.find((o) => o.code === code).en;

// --- the questionnaire (small helpers copied from survey.test.mjs) ---

const revOf = (body) => {
  const m = /name="rev" value="(\d+)"/.exec(body);
  assert.ok(m, 'the page has a rev field');
  return m[1];
};

// Sends a form: a field may hold an array (several ticked boxes, several countries). The CSRF
// token is the one of the last page `c` opened, unless `fields` has one.
function send(c, path, fields) {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [].concat(v)) form.append(k, x);
  if (!form.has('csrf')) form.set('csrf', c.csrf());
  return c.request('POST', path, { body: form.toString(), headers: { Origin: srv.url } });
}

async function saveSection(c, n, fields, action = 'save') {
  const page = await c.get(`/survey/demo/${n}`);
  assert.equal(page.status, 200, `GET /survey/demo/${n}: ${page.status} ${page.location || ''}`);
  return send(c, `/survey/demo/${n}`, { rev: revOf(page.body), action, ...fields });
}

async function startResponse(c = new Client(srv)) {
  assert.equal((await c.get('/survey/demo')).status, 200);
  const r = await c.post('/survey/demo/start');
  assert.equal(r.status, 303);
  const token = c.cookie('coexist_response');
  assert.match(token || '', /^[A-Za-z0-9_-]{43}$/, 'a private-link cookie');
  const id = Number(sql(srv.db, 'SELECT max(id) FROM responses'));
  return { c, id, token };
}

const FULL = {
  1: { respondent_name: 'Awa Ndiaye', org_name: 'Eau Vive Sénégal', org_kind: 'ngo', org_country: 'SN', role: 'lead' },
  2: {
    title: 'Solar pumps for Thiès', description: 'Pumps, training and upkeep.', stage: 'completed',
    start_year: '2021', end_year: '2024', sectors: ['health', 'water_sanitation'], countries: ['SN', 'ML'],
    'partners.name.0': 'SolarCo', 'partners.kind.0': 'company_sme', 'partners.country.0': 'FR', 'partners.role.0': 'technical_partner',
  },
  3: {
    resources: ['skills_probono', 'logistics_premises'], 'resources.skills_probono.direction': 'company_to_ngo',
    'resources.logistics_premises.direction': 'both', agreement: 'contract', governance: ['steering_committee'],
  },
  4: { achievement: 'met', value: '4', people_reached: '1200', next_step: 'continued', would_again: 'yes' },
  5: {
    success_factors: ['trust', 'champion', 'clear_roles'], top_factors: ['trust', 'champion'], obstacles: ['turnover'],
    'obstacles.turnover.overcome': 'partly', 'obstacles.turnover.how': 'Handover notes for each new engineer.',
  },
  6: { consent_analysis: 'yes', testify: 'no', looking_for_partner: 'no' },
};

async function fillAll(c, over = {}) {
  for (let n = 1; n <= 6; n++) {
    const fields = { ...FULL[n], ...(over[n] || {}) };
    for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
    const r = await saveSection(c, n, fields, 'next');
    assert.equal(r.status, 303, `section ${n}: ${r.status}\n${r.status === 422 ? mainText(r.body).slice(0, 2000) : ''}`);
  }
}

async function submit(c) {
  assert.equal((await c.get('/survey/demo/review')).status, 200, 'GET review');
  return c.post('/survey/demo/submit');
}

// A response sent through the questionnaire, with the given parties, texts and consents
// (`consents`: the keys ticked among consent_public_named, consent_public_anonymous, consent_events).
async function respond({
  org, partner = `${org}-PARTNER`, person, email, title, description = 'Un partenariat entre une ONG et une entreprise.',
  sectors = ['health'], where = ['SN'], orgCountry = 'SN', orgKind = 'ngo', partnerKind = 'company_sme', partnerCountry = 'FR',
  type = 'economic_cooperation', consents = [], mayContact = 'no', lessons,
}) {
  const { c, id, token } = await startResponse();
  const six = { ...FULL[6], may_contact: mayContact };
  for (const k of consents) six[k] = 'yes';
  await fillAll(c, {
    1: { org_name: org, org_kind: orgKind, org_country: orgCountry, respondent_name: person, respondent_email: email },
    2: { title, description, sectors, countries: where, 'partners.name.0': partner, 'partners.kind.0': partnerKind, 'partners.country.0': partnerCountry },
    3: { partnership_type: type },
    5: lessons ? { lessons } : {},
    6: six,
  });
  const sent = await submit(c);
  assert.equal(sent.status, 303, `submit: ${sent.status}\n${mainText(sent.body).slice(0, 1000)}`);
  return { c, id, token };
}

// --- the coordinators' side ---

async function adminPost(c, page, path, fields) {
  const p = await c.get(page);
  assert.equal(p.status, 200, `GET ${page}`);
  return send(c, path, fields);
}

// Makes a case of a sent response, as a coordinator does from the response's page: its id.
async function makeCase(rid) {
  const r = await adminPost(coord, `/admin/responses/${rid}`, `/admin/responses/${rid}/case`, {});
  assert.equal(r.status, 303, `make a case of response ${rid}: ${r.status}`);
  const m = /^\/admin\/cases\/(\d+)$/.exec(r.location || '');
  assert.ok(m, `led to the case's page: ${r.location}`);
  return Number(m[1]);
}

// Saves the case's form as it is, with "I have read the texts" ticked or not.
async function markReviewed(cid, reviewed = true) {
  const r = await adminPost(coord, `/admin/cases/${cid}`, `/admin/cases/${cid}`, reviewed ? { reviewed: '1' } : {});
  assert.equal(r.status, 303);
  assert.equal(r.location, `/admin/cases/${cid}?done=saved`);
}

// Moves a case to a state; returns what the page says was done ("state", "not_allowed").
async function setState(cid, state, who = coord) {
  const r = await adminPost(who, `/admin/cases/${cid}`, `/admin/cases/${cid}/state`, { state });
  assert.equal(r.status, 303, `state ${state} of case ${cid}: ${r.status}`);
  const m = new RegExp(`^/admin/cases/${cid}\\?done=(\\w+)$`).exec(r.location || '');
  assert.ok(m, r.location);
  return m[1];
}

// A response and its case, published (reviewed first when anonymised): { rid, cid, token, c }.
async function published(opts) {
  const r = await respond({ consents: ['consent_public_named'], ...opts });
  const cid = await makeCase(r.id);
  if (!(opts.consents || ['consent_public_named']).includes('consent_public_named')) await markReviewed(cid);
  assert.equal(await setState(cid, 'published'), 'state');
  return { ...r, rid: r.id, cid };
}

// --- reading the public surfaces ---

const decode = (s) => s.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
const cardIds = (body) => [...body.matchAll(/<article class="case-card">\s*<h2><a href="\/cases\/(\d+)"/g)].map((m) => Number(m[1]));
const totalOf = (body) => {
  const m = new RegExp(`<p class="muted">(\\d+) ${t('cases.results')}`).exec(body);
  assert.ok(m, 'the page says how many partnerships');
  return Number(m[1]);
};
const nextOf = (body) => {
  const m = new RegExp(`<a class="btn btn-secondary" href="([^"]+)">${t('list.next')}</a>`).exec(body);
  return m ? decode(m[1]) : null;
};
const FACETS = ['sector', 'country', 'region', 'type', 'resource', 'stage', 'outcome', 'sdg', 'kind'];

// The facet groups of a catalogue page: { sector: [{ href, on, label, n }], … }.
function facetsOf(body) {
  const out = {};
  for (const g of body.matchAll(/<details class="facet" open><summary>([^<]*)<\/summary><ul>([\s\S]*?)<\/ul><\/details>/g)) {
    const name = FACETS.find((f) => t(`cases.facet.${f}`) === decode(g[1]));
    assert.ok(name, `a known facet: ${g[1]}`);
    out[name] = [...g[2].matchAll(/<li><a href="([^"]+)"( aria-current="true" class="on")?>([^<]*)<\/a> <span class="muted">\((\d+)\)<\/span><\/li>/g)]
      .map((m) => ({ href: decode(m[1]), on: Boolean(m[2]), label: decode(m[3]), n: Number(m[4]) }));
  }
  return out;
}

// Every page of a catalogue view, following "Next page": { ids, pages }.
async function walk(c, path) {
  const ids = [];
  const pages = [];
  for (let url = path; url; url = nextOf(pages[pages.length - 1].body)) {
    assert.ok(pages.length < 100, 'paging ends');
    const r = await c.get(url);
    assert.equal(r.status, 200, `GET ${url}: ${r.status}`);
    pages.push(r);
    ids.push(...cardIds(r.body));
  }
  return { ids, pages };
}

// Every case of the API for a query, following `next`: { items, pages }.
async function apiAll(c, query = '') {
  const items = [];
  const pages = [];
  let after = null;
  for (;;) {
    assert.ok(pages.length < 100, 'paging ends');
    const sep = query ? '&' : '?';
    const url = `/api/v1/cases${query}${after ? `${sep}after=${encodeURIComponent(after)}` : ''}`;
    const r = await c.get(url);
    assert.equal(r.status, 200, `GET ${url}: ${r.status}`);
    assert.match(r.headers['content-type'], /^application\/json/);
    const doc = JSON.parse(r.body);
    pages.push({ url, body: r.body, doc });
    items.push(...doc.cases);
    if (!doc.next) break;
    after = doc.next;
  }
  return { items, pages };
}

// The map's table: { code: count }.
function mapTable(body) {
  const out = {};
  // The links keep the map's filters: /cases?sector=…&amp;country=XX.
  for (const m of body.matchAll(/<tr><td><a href="\/cases\?(?:[^"]*?&amp;)?country=([A-Z]{2})">([^<]*)<\/a><\/td><td>(\d+)<\/td><\/tr>/g)) {
    assert.equal(decode(m[2]), country(m[1]), `the row of ${m[1]} is named`);
    out[m[1]] = Number(m[3]);
  }
  return out;
}

// A page of a search without what echoes the query back (the search box, links keeping q).
const stripEcho = (body) => body.replace(/<input type="search" id="q" name="q" value="[^"]*"/g, '<input')
  .replace(/href="[^"]*[?&;]q=[^"]*"/g, 'href=""');

async function bytesOf(path, headers = {}) {
  const r = await fetch(`${srv.url}${path}`, { headers: { 'Accept-Language': 'en', ...headers }, redirect: 'manual' });
  return { status: r.status, type: r.headers.get('content-type') || '', bytes: Buffer.from(await r.arrayBuffer()) };
}

let files = 0;
// The text of a PDF (pdftotext), spaces normalised; and its number of pages (pdfinfo).
function pdfText(bytes) {
  const file = join(srv.dir, `doc-${++files}.pdf`);
  writeFileSync(file, bytes);
  const r = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `pdftotext: ${r.stderr}`);
  const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
  const pages = Number((/^Pages:\s+(\d+)/m.exec(info.stdout) || [])[1]);
  return { text: r.stdout.replace(/\s+/g, ' '), pages };
}

// The SQL condition of a case visible on the web: the rule of case_public_view().
const PUBLIC = "state = 'published' AND (web_consent = 'named' OR (web_consent = 'anonymised' AND texts_reviewed = 1))";
const publicIds = () => sql(srv.db, `SELECT id FROM cases WHERE ${PUBLIC} ORDER BY id`).split('\n').filter(Boolean).map(Number);
const sorted = (a) => [...a].sort((x, y) => x - y);

const helpExport = runCoexist(['help', 'export'], { COEXIST_CONF: '/dev/null' });
const exportHasCases = /\bcases\b/.test(`${helpExport.stdout}${helpExport.stderr}`);

// `coexist export cases --format F` on the test database: its bytes.
function exportCases(format) {
  const r = spawnSync(BIN, ['export', 'cases', '--format', format], {
    cwd: ROOT, env: { ...process.env, COEXIST_DB: srv.db, COEXIST_CONF: '/dev/null' }, timeout: 60000, maxBuffer: 64 << 20,
  });
  assert.equal(r.status, 0, `coexist export cases --format ${format}: ${r.stderr}`);
  return r.stdout;
}

// The text of the cells of an XLSX file (its shared strings and sheets), or null without unzip.
function xlsxText(bytes) {
  const file = join(srv.dir, `export-${++files}.xlsx`);
  writeFileSync(file, bytes);
  const list = spawnSync('unzip', ['-Z1', file], { encoding: 'utf8' });
  if (list.error) return null;
  return list.stdout.split('\n').filter((e) => /^xl\/.*\.xml$/.test(e))
    .map((e) => spawnSync('unzip', ['-p', file, e], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout).join('\n');
}

// =====================================================================================
// The consent matrix
// =====================================================================================

// Four responses, one per consent, each with canary names; built by the first test.
const MATRIX = {
  named: { org: 'CANARY-NAMED-ORG', partner: 'CANARY-NAMED-PARTNER', word: 'Quetzalcoatl', person: 'Nadia Canaryperson', email: 'canary.named@example.org', consents: ['consent_public_named'], where: ['SN'], orgCountry: 'SN' },
  anon: { org: 'CANARY-ANON-ORG', partner: 'CANARY-ANON-PARTNER', word: 'Ornithorynque', person: 'Amadou Canaryperson', email: 'canary.anon@example.org', consents: ['consent_public_anonymous'], where: ['ML'], orgCountry: 'ML' },
  events: { org: 'CANARY-EVENTS-ORG', partner: 'CANARY-EVENTS-PARTNER', word: 'Zeppelinade', person: 'Esther Canaryperson', email: 'canary.events@example.org', consents: ['consent_events'], where: ['IS'], orgCountry: 'IS' },
  none: { org: 'CANARY-NONE-ORG', partner: 'CANARY-NONE-PARTNER', word: 'Mandragore', person: 'Noé Canaryperson', email: 'canary.none@example.org', consents: [], where: ['NZ'], orgCountry: 'NZ' },
};
const SECTOR = 'housing_shelter'; // the four share a sector the demo hardly uses
// What no public surface may ever hold: the names of the parties of the anonymised case, and
// anything at all of the two cases without web consent; nobody's name or address.
const SECRETS = [MATRIX.anon.org, MATRIX.anon.partner, MATRIX.events.org, MATRIX.events.partner, MATRIX.events.word,
  MATRIX.none.org, MATRIX.none.partner, MATRIX.none.word,
  ...Object.values(MATRIX).flatMap((m) => [m.person, m.email])];

function noSecrets(text, where) {
  const low = text.toLowerCase();
  for (const s of SECRETS) assert.ok(!low.includes(s.toLowerCase()), `${where} does not hold "${s}"`);
}

let M = null; // { named: { rid, cid, title, … }, … } once made

test('consent matrix: a coordinator makes a case of each response and can publish only within its consent', async () => {
  const made = {};
  for (const [key, m] of Object.entries(MATRIX)) {
    const title = `${m.word} : abris partagés`;
    const r = await respond({
      org: m.org, partner: m.partner, person: m.person, email: m.email, title, consents: m.consents, sectors: [SECTOR],
      where: m.where, orgCountry: m.orgCountry, mayContact: 'yes',
      description: `Des abris construits ensemble, mot ${m.word}.`,
    });
    made[key] = { ...m, rid: r.id, token: r.token, title, cid: await makeCase(r.id) };
  }
  const consentOf = (key) => sql(srv.db, `SELECT web_consent || ' ' || events_consent FROM cases WHERE id = ${made[key].cid}`);
  assert.equal(consentOf('named'), 'named 0');
  assert.equal(consentOf('anon'), 'anonymised 0');
  assert.equal(consentOf('events'), 'none 1');
  assert.equal(consentOf('none'), 'none 0');
  for (const key of Object.keys(made)) {
    assert.equal(sql(srv.db, `SELECT state FROM cases WHERE id = ${made[key].cid}`), 'draft', `${key}: a new case is a draft`);
    assert.equal(sql(srv.db, `SELECT count(*) FROM audit_log WHERE action = 'case.create' AND entity_id = ${made[key].cid} AND actor_email = 'cases-coord@example.org'`), '1');
  }

  // "I have read the texts" is offered for the anonymised case only.
  for (const key of Object.keys(made)) {
    const page = await coord.get(`/admin/cases/${made[key].cid}`);
    assert.equal(page.status, 200);
    assert.equal(/name="reviewed"/.test(page.body), key === 'anon', `${key}: the "reviewed" box ${key === 'anon' ? 'is' : 'is not'} offered`);
    assert.equal(/name="state" value="published"/.test(page.body), key === 'named', `${key}: a Publish button only when publishable`);
  }

  // The anonymised case cannot be published before its texts are read.
  const anonBefore = await setState(made.anon.cid, 'published');
  assert.equal(anonBefore, 'not_allowed', 'an anonymised case not reviewed yet is not published');
  assert.equal(sql(srv.db, `SELECT state FROM cases WHERE id = ${made.anon.cid}`), 'draft');
  const refused = await coord.get(`/admin/cases/${made.anon.cid}?done=not_allowed`);
  assert.ok(mainText(refused.body).includes(t('cases.done.not_allowed')));
  await markReviewed(made.anon.cid);
  assert.equal(sql(srv.db, `SELECT texts_reviewed FROM cases WHERE id = ${made.anon.cid}`), '1');

  // Without a web consent no form can publish, not even one that claims the texts were read.
  for (const key of ['events', 'none']) {
    await markReviewed(made[key].cid); // a "reviewed" field sent anyway
    assert.equal(await setState(made[key].cid, 'published'), 'not_allowed', `${key}: publishing refused`);
    assert.equal(await setState(made[key].cid, 'review'), 'state', `${key}: may still go to review`);
    assert.equal(await setState(made[key].cid, 'published'), 'not_allowed', `${key}: publishing from review refused`);
    assert.equal(sql(srv.db, `SELECT state FROM cases WHERE id = ${made[key].cid}`), 'review');
    assert.equal(sql(srv.db, `SELECT count(*) FROM audit_log WHERE action = 'case.state' AND entity_id = ${made[key].cid} AND detail LIKE '%published%'`), '0', 'a refusal changes nothing');
  }
  assert.equal(await setState(made.named.cid, 'published'), 'state');
  assert.equal(await setState(made.anon.cid, 'published'), 'state');
  assert.equal(sql(srv.db, `SELECT state FROM cases WHERE id = ${made.named.cid}`), 'published');
  assert.equal(sql(srv.db, `SELECT state FROM cases WHERE id = ${made.anon.cid}`), 'published');
  M = made;
});

test('consent matrix: the catalogue, with and without filters, shows the named and anonymised cases only, without the anonymised names', async () => {
  assert.ok(M, 'the matrix was made');
  const v = new Client(srv);
  const all = await walk(v, '/cases');
  assert.ok(all.ids.includes(M.named.cid) && all.ids.includes(M.anon.cid), 'both published cases listed');
  assert.ok(!all.ids.includes(M.events.cid) && !all.ids.includes(M.none.cid), 'the others are not');
  for (const p of all.pages) noSecrets(p.body, 'the catalogue');
  const first = all.pages.find((p) => cardIds(p.body).includes(M.named.cid)).body;
  assert.ok(first.includes(`${M.named.org} (${country('SN')})`), 'the named case\'s card names its organisation');
  const anonPage = all.pages.find((p) => cardIds(p.body).includes(M.anon.cid)).body;
  assert.ok(decode(anonPage).includes(`${kindLabel('ngo')} (${country('ML')})`), 'the anonymised case\'s card shows a kind and a country');

  const views = [`/cases?sector=${SECTOR}`, '/cases?country=ML', '/cases?country=SN', '/cases?country=IS', '/cases?country=NZ',
    '/cases?region=150', '/cases?region=053', '/cases?kind=ngo', '/cases?kind=company_sme', `/cases?sector=${SECTOR}&country=ML`,
    `/cases?sector=${SECTOR}&kind=ngo&type=economic_cooperation`, `/cases?sort=date&sector=${SECTOR}`];
  for (const view of views) {
    const { ids, pages } = await walk(v, view);
    for (const p of pages) noSecrets(p.body, view);
    assert.ok(!ids.includes(M.events.cid) && !ids.includes(M.none.cid), `${view}: no case without web consent`);
    assert.equal(totalOf(pages[0].body), ids.length, `${view}: the count says what is listed`);
  }
  const sector = (await walk(v, `/cases?sector=${SECTOR}`)).ids;
  assert.ok(sector.includes(M.named.cid) && sector.includes(M.anon.cid));
  assert.deepEqual((await walk(v, '/cases?country=IS')).ids, [], 'Iceland: only the events-only case is there');
  assert.deepEqual((await walk(v, '/cases?country=NZ')).ids, [], 'New Zealand: only the case without consent is there');
  // The facets count only what is visible: no Iceland, no New Zealand.
  const facets = facetsOf((await v.get('/cases')).body);
  assert.ok(!facets.country.some((x) => ['IS', 'NZ'].includes(new URL(x.href, srv.url).searchParams.get('country'))), 'no facet value from an unpublished case');
  const shelter = facets.sector.find((x) => x.href === `/cases?sector=${SECTOR}`);
  assert.equal(shelter.n, sector.length);
});

test('consent matrix: the case pages, sheets and API items exist only for the named and anonymised cases', async () => {
  assert.ok(M, 'the matrix was made');
  const v = new Client(srv);
  const named = await v.get(`/cases/${M.named.cid}`);
  assert.equal(named.status, 200);
  const nt = mainText(named.body);
  assert.ok(nt.includes(`${M.named.org} (${country('SN')})`), 'the named organisation');
  // (The partner's name, which needs the partner's own agreement, has its own test below.)
  assert.ok(nt.includes(M.named.title));
  noSecrets(named.body, 'the named case\'s page');

  const anon = await v.get(`/cases/${M.anon.cid}`);
  assert.equal(anon.status, 200);
  const at = mainText(anon.body);
  assert.ok(at.includes(M.anon.title));
  assert.ok(at.includes(`${kindLabel('ngo')} (${country('ML')})`), `the organisation as kind and country: ${at.slice(0, 600)}`);
  assert.ok(at.includes(`${kindLabel('company_sme')} (${country('FR')})`), 'the partner as kind and country');
  assert.ok(at.includes(t('cases.anonymised')), 'the page says it is anonymised');
  noSecrets(anon.body, 'the anonymised case\'s page');

  for (const key of ['events', 'none']) {
    const cid = M[key].cid;
    for (const path of [`/cases/${cid}`, `/cases/${cid}/sheet.pdf`]) {
      const r = await v.get(path);
      assert.equal(r.status, 404, `${key}: GET ${path}`);
      noSecrets(r.body, `${key}: ${path}`);
    }
    const api = await v.get(`/api/v1/cases/${cid}`);
    assert.equal(api.status, 404, `${key}: the API item`);
    assert.deepEqual(JSON.parse(api.body), { error: 'not found' });
  }
  // A case's page does not say more to a signed-in member than to a visitor.
  assert.equal((await member.get(`/cases/${M.events.cid}`)).status, 404);

  // Sheets: one page; the named one with its names, the anonymised one without.
  const ns = await bytesOf(`/cases/${M.named.cid}/sheet.pdf`);
  assert.equal(ns.status, 200);
  assert.match(ns.type, /^application\/pdf/);
  const npdf = pdfText(ns.bytes);
  assert.equal(npdf.pages, 1, 'a one-page sheet');
  assert.ok(npdf.text.includes(M.named.org), `the named sheet names the organisation: ${npdf.text.slice(0, 500)}`);
  assert.ok(npdf.text.includes(M.named.word));
  noSecrets(npdf.text, 'the named case\'s sheet');
  const as = await bytesOf(`/cases/${M.anon.cid}/sheet.pdf`);
  assert.equal(as.status, 200);
  const apdf = pdfText(as.bytes);
  assert.equal(apdf.pages, 1);
  assert.ok(apdf.text.includes(M.anon.word), 'the anonymised sheet has its title');
  assert.ok(apdf.text.includes(country('ML')), 'and the country of its organisation');
  noSecrets(apdf.text, 'the anonymised case\'s sheet');

  // The API: the same two, at their consent level.
  const one = JSON.parse((await v.get(`/api/v1/cases/${M.named.cid}`)).body);
  assert.equal(one.named, true);
  assert.equal(one.organisation.name, M.named.org);
  const a = await v.get(`/api/v1/cases/${M.anon.cid}`);
  assert.equal(a.status, 200);
  noSecrets(a.body, 'the anonymised case in the API');
  const ao = JSON.parse(a.body);
  assert.equal(ao.named, false);
  assert.deepEqual(ao.organisation, { kind: 'ngo', countries: ['ML'] }, 'no name key at all');
  assert.deepEqual(ao.partner, { kind: 'company_sme', countries: ['FR'] });
  const list = await apiAll(v);
  const ids = list.items.map((x) => x.id);
  assert.ok(ids.includes(M.named.cid) && ids.includes(M.anon.cid));
  assert.ok(!ids.includes(M.events.cid) && !ids.includes(M.none.cid));
  for (const p of list.pages) noSecrets(p.body, 'the API list');
  for (const p of (await apiAll(v, `?sector=${SECTOR}`)).pages) noSecrets(p.body, 'the API list by sector');
  for (const p of (await apiAll(v, '?country=IS')).pages) assert.equal(p.doc.total, 0, 'Iceland: nothing');
  assert.deepEqual(sorted(ids), publicIds(), 'the API lists exactly the cases the rule allows');
});

test('consent matrix: search finds the named and anonymised cases by their words, never by the hidden names', async () => {
  assert.ok(M, 'the matrix was made');
  const v = new Client(srv);
  const search = async (q) => {
    const r = await v.get(`/cases?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, `q=${q}`);
    noSecrets(stripEcho(r.body), `the search for "${q}"`);
    const api = await v.get(`/api/v1/cases?q=${encodeURIComponent(q)}`);
    assert.equal(api.status, 200);
    noSecrets(api.body, `the API search for "${q}"`);
    const apiIds = JSON.parse(api.body).cases.map((x) => x.id);
    assert.deepEqual(sorted(apiIds), sorted(cardIds(r.body)), `"${q}": the API finds what the page finds`);
    return cardIds(r.body);
  };
  assert.deepEqual(await search(M.named.word), [M.named.cid]);
  assert.deepEqual(await search(M.anon.word), [M.anon.cid]);
  assert.deepEqual(await search(M.named.org), [M.named.cid], 'the named case by its organisation\'s name');
  for (const q of [M.events.word, M.none.word, M.anon.org, M.anon.partner, M.events.org, M.none.org, 'ANON', 'CANARY-ANON',
    M.named.person, M.named.email, M.anon.person]) {
    assert.deepEqual(await search(q), [], `nothing found for "${q}"`);
  }
  // The words of the hidden names are not offered as suggestions either.
  for (const q of ['Zeppelinad', 'Mandragor', 'anonn', 'Canarypersn']) await search(q);
});

test('consent matrix: the map counts only the published cases, by country, in its table and its shapes', async () => {
  assert.ok(M, 'the matrix was made');
  const v = new Client(srv);
  const expected = {};
  for (const item of (await apiAll(v)).items) for (const code of item.countries) expected[code] = (expected[code] || 0) + 1;
  for (const view of ['/cases/map', '/cases/map?view=world']) {
    const r = await v.get(view);
    assert.equal(r.status, 200, view);
    noSecrets(r.body, view);
    assert.deepEqual(mapTable(r.body), expected, `${view}: the table counts the visible cases`);
    assert.ok(!r.body.includes(`${country('IS')} (`) && !r.body.includes(`${country('NZ')} (`), `${view}: Iceland and New Zealand are not marked`);
    assert.ok(r.body.includes(`<title>${country('ML')} (${expected.ML})</title>`), `${view}: Mali's shape says its count`);
  }
  // Filtered by a facet, the map counts the filtered cases.
  const shelter = {};
  for (const item of (await apiAll(v, `?sector=${SECTOR}`)).items) for (const code of item.countries) shelter[code] = (shelter[code] || 0) + 1;
  assert.deepEqual(mapTable((await v.get(`/cases/map?sector=${SECTOR}&view=world`)).body), shelter);
});

test('consent matrix: the export command holds the published cases at their consent level', async (tt) => {
  if (!exportHasCases) {
    tt.skip('`coexist help export` does not mention cases');
    return;
  }
  assert.ok(M, 'the matrix was made');
  const json = exportCases('json').toString('utf8');
  noSecrets(json, 'the JSON export');
  const doc = JSON.parse(json);
  const rows = doc.cases;
  assert.ok(Array.isArray(rows));
  assert.deepEqual(sorted(rows.map((x) => x.id)), publicIds(), 'exactly the cases the rule allows');
  const n = rows.find((x) => x.id === M.named.cid);
  assert.equal(n.organisation.name, M.named.org);
  const a = rows.find((x) => x.id === M.anon.cid);
  assert.equal(a.organisation.name, undefined);
  assert.deepEqual(a.organisation, { kind: 'ngo', countries: ['ML'] });

  const csv = exportCases('csv').toString('utf8');
  noSecrets(csv, 'the CSV export');
  assert.equal(csv.charCodeAt(0), 0xfeff, 'UTF-8 with a BOM');
  assert.ok(csv.includes(M.named.org) && csv.includes(M.anon.word));
  assert.ok(!csv.includes(M.events.word) && !csv.includes(M.none.word));

  const xlsx = exportCases('xlsx');
  assert.equal(xlsx.subarray(0, 2).toString('latin1'), 'PK', 'a zip (XLSX) file');
  const cells = xlsxText(xlsx);
  if (cells === null) {
    tt.diagnostic('unzip not found: the XLSX cells were not looked into');
  } else {
    noSecrets(cells, 'the XLSX export');
    assert.ok(cells.includes(M.named.org) && cells.includes(M.anon.word));
  }
});

test('consent matrix: a booklet for an event holds the cases with the events consent, names only when named', async () => {
  assert.ok(M, 'the matrix was made');
  const page = await coord.get('/admin/cases');
  assert.equal(page.status, 200);
  // The booklet box is offered for the events-only case, not for the one without any consent.
  assert.ok(page.body.includes(`name="case" value="${M.events.cid}"`));
  assert.ok(!page.body.includes(`name="case" value="${M.none.cid}"`));
  const form = new URLSearchParams();
  form.set('csrf', coord.csrf());
  for (const key of Object.keys(M)) form.append('case', String(M[key].cid));
  form.set('title', 'Rencontre des abris');
  const r = await fetch(`${srv.url}/admin/cases/booklet`, {
    method: 'POST', body: form.toString(), redirect: 'manual',
    headers: { Cookie: coord.cookieHeader(), Origin: srv.url, 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/pdf/);
  const { text } = pdfText(Buffer.from(await r.arrayBuffer()));
  assert.ok(text.includes(M.events.word), 'the events-only case is in the booklet');
  assert.ok(!text.includes(M.none.word), 'the case without consent is not');
  assert.ok(!text.includes(M.named.word) && !text.includes(M.anon.word), 'nor the cases without the events consent');
  assert.ok(!text.includes(M.events.org) && !text.includes(M.events.partner), 'no names without the named web consent');
  // Nothing printable: back to the list.
  const empty = await adminPost(coord, '/admin/cases', '/admin/cases/booklet', { case: String(M.none.cid) });
  assert.equal(empty.status, 303);
  assert.equal(empty.location, '/admin/cases?done=booklet_empty');
});

test('consent matrix: every public case page and API item keeps the anonymised parties of the demo unnamed too', async () => {
  const v = new Client(srv);
  const anonymised = JSON.parse(sql(srv.db, `SELECT json_group_array(json_array(id, org_name, partner_name)) FROM cases WHERE ${PUBLIC} AND web_consent = 'anonymised'`));
  assert.ok(anonymised.length >= 2);
  // Names that a named case shows as well (a partner of several partnerships) are not secrets.
  const shown = new Set(JSON.parse(sql(srv.db, `SELECT json_group_array(n) FROM (SELECT org_name AS n FROM cases WHERE ${PUBLIC} AND web_consent = 'named' UNION SELECT partner_name FROM cases WHERE ${PUBLIC} AND web_consent = 'named')`)));
  for (const [id, org, partner] of anonymised) {
    const names = [org, partner].filter((s) => s && s.length >= 4 && !shown.has(s));
    const page = await v.get(`/cases/${id}`);
    const api = await v.get(`/api/v1/cases/${id}`);
    assert.equal(page.status, 200);
    for (const name of names) {
      const re = new RegExp(`${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\d)`);
      assert.ok(!re.test(decode(page.body)), `case ${id}: "${name}" not on its page`);
      assert.ok(!re.test(JSON.stringify(JSON.parse(api.body))), `case ${id}: "${name}" not in the API`);
      assert.equal(JSON.parse(api.body).organisation.name, undefined);
    }
  }
});

// =====================================================================================
// Withdrawal
// =====================================================================================

// Everything public of one case: [page, sheet, API item] statuses, and whether the catalogue,
// the API list and a search for `word` hold it.
async function visibility(cid, word) {
  const v = new Client(srv);
  const statuses = [];
  for (const path of [`/cases/${cid}`, `/cases/${cid}/sheet.pdf`, `/api/v1/cases/${cid}`]) statuses.push((await v.get(path)).status);
  return {
    statuses,
    catalogue: (await walk(v, '/cases')).ids.includes(cid),
    api: (await apiAll(v)).items.some((x) => x.id === cid),
    search: cardIds((await v.get(`/cases?q=${encodeURIComponent(word)}`)).body).includes(cid),
  };
}
const SHOWN = { statuses: [200, 200, 200], catalogue: true, api: true, search: true };
const GONE = { statuses: [404, 404, 404], catalogue: false, api: false, search: false };

test('withdrawal: the respondent unticks the named consent and sends again: the case disappears from every surface at once, audited', async () => {
  const w = await published({ org: 'Withdrawn Org', title: 'Xylographie solidaire', where: ['CA'], orgCountry: 'CA', email: 'withdraw@example.org' });
  assert.deepEqual(await visibility(w.cid, 'Xylographie'), SHOWN);
  assert.equal(mapTable((await new Client(srv).get('/cases/map?view=world')).body).CA, 1);

  // Another browser, with the private link.
  const back = new Client(srv);
  const open = await back.get(`/r/${w.token}`);
  assert.equal(open.status, 303);
  assert.equal(open.location, '/survey/demo/review');
  const page6 = await back.get('/survey/demo/6');
  assert.match(page6.body, /name="consent_public_named" value="yes"[^>]* checked/, 'the consent is ticked');
  assert.equal((await saveSection(back, 6, { ...FULL[6] })).status, 303, 'saved without the named consent');
  assert.equal((await submit(back)).status, 303, 'sent again');

  assert.equal(sql(srv.db, `SELECT state || ' ' || web_consent FROM cases WHERE id = ${w.cid}`), 'review none');
  assert.deepEqual(await visibility(w.cid, 'Xylographie'), GONE);
  assert.equal(mapTable((await new Client(srv).get('/cases/map?view=world')).body).CA, undefined, 'off the map');
  assert.equal(sql(srv.db, `SELECT count(*) FROM audit_log WHERE action = 'case.unpublish' AND entity = 'case' AND entity_id = ${w.cid}`), '1');
  assert.equal(sql(srv.db, 'SELECT count(*) FROM search_words WHERE stem LIKE \'xylograph%\''), '0', 'its words left the search index');
  // And the coordinators cannot publish it again.
  assert.equal(await setState(w.cid, 'published'), 'not_allowed');
});

test('withdrawal: narrowing from named to anonymised unpublishes until the texts are read, and the names leave every surface', async () => {
  const w = await published({
    org: 'CANARY-NARROW-ORG', partner: 'CANARY-NARROW-PARTNER', title: 'Yttrium et coopératives',
    consents: ['consent_public_named', 'consent_public_anonymous'], where: ['GH'], orgCountry: 'GH',
  });
  const v = new Client(srv);
  assert.deepEqual(cardIds((await v.get('/cases?q=CANARY-NARROW-ORG')).body), [w.cid]);

  const back = new Client(srv);
  await back.get(`/r/${w.token}`);
  assert.equal((await saveSection(back, 6, { ...FULL[6], consent_public_anonymous: 'yes' })).status, 303);
  assert.equal((await submit(back)).status, 303);
  assert.equal(sql(srv.db, `SELECT state || ' ' || web_consent FROM cases WHERE id = ${w.cid}`), 'review anonymised');
  assert.deepEqual(await visibility(w.cid, 'Yttrium'), GONE, 'unpublished: the texts were written for a named case');
  assert.equal(sql(srv.db, `SELECT count(*) FROM audit_log WHERE action = 'case.unpublish' AND entity_id = ${w.cid}`), '1');

  await markReviewed(w.cid);
  assert.equal(await setState(w.cid, 'published'), 'state');
  assert.deepEqual(await visibility(w.cid, 'Yttrium'), SHOWN);
  const page = await v.get(`/cases/${w.cid}`);
  const api = await v.get(`/api/v1/cases/${w.cid}`);
  const sheet = pdfText((await bytesOf(`/cases/${w.cid}/sheet.pdf`)).bytes).text;
  for (const [where, text] of [['page', page.body], ['API', api.body], ['sheet', sheet]]) {
    assert.ok(!text.includes('CANARY-NARROW'), `${where}: the names are gone`);
  }
  assert.ok(mainText(page.body).includes(`${kindLabel('ngo')} (${country('GH')})`));
  for (const q of ['CANARY-NARROW-ORG', 'NARROW', 'CANARY-NARROW-PARTNER']) {
    const r = await v.get(`/cases?q=${q}`);
    assert.deepEqual(cardIds(r.body), [], `searching "${q}" finds nothing`);
    assert.ok(!stripEcho(r.body).toLowerCase().includes('narrow'), `"${q}": no trace of the name`);
  }
});

test('withdrawal: an anonymised case whose "texts read" box is unticked is unpublished', async () => {
  const w = await published({ org: 'Unread Org', title: 'Zircon et quartiers', consents: ['consent_public_anonymous'] });
  assert.deepEqual((await visibility(w.cid, 'Zircon')).statuses, [200, 200, 200]);
  await markReviewed(w.cid, false);
  assert.deepEqual(await visibility(w.cid, 'Zircon'), GONE);
  assert.equal(sql(srv.db, `SELECT state FROM cases WHERE id = ${w.cid}`), 'review');
});

test('withdrawal: no cache may keep serving a case after its consent is withdrawn; language-dependent answers vary by language', async () => {
  // A withdrawal takes effect at once: a browser or a shared cache must ask again before reusing
  // a public answer (the pages say "public, no-cache"), the PDF sheet included.
  const w = await published({ org: 'Cache Org', title: 'Scandium et caches' });
  const v = new Client(srv);
  const wrong = [];
  for (const p of ['/cases', `/cases/${w.cid}`, `/cases/${w.cid}/sheet.pdf`, '/cases/map', '/api/v1/cases', `/api/v1/cases/${w.cid}`]) {
    const r = await v.get(p);
    assert.equal(r.status, 200, p);
    const cc = r.headers['cache-control'] || '';
    const maxAge = Number((/max-age=(\d+)/.exec(cc) || [])[1] || 0);
    if (!/no-cache|no-store/.test(cc) && maxAge > 0) wrong.push(`${p}: Cache-Control "${cc}" lets a cache serve it for ${maxAge} s without asking`);
    if (/public/.test(cc) && !/Accept-Language/i.test(r.headers.vary || '')) wrong.push(`${p}: public, in the visitor's language, without Vary: Accept-Language`);
  }
  assert.deepEqual(wrong, []);
});

test('withdrawal: every case made from the response is unpublished, however many there are', async () => {
  // A coordinator may make several cases of one response (one per event, per language…). The
  // withdrawal must reach each of them.
  const w = await published({ org: 'Many Cases Org', title: 'Wolfram partagé', where: ['GA'], orgCountry: 'GA' });
  const cids = [w.cid];
  for (let i = 0; i < 19; i++) {
    const cid = await makeCase(w.rid);
    assert.equal(await setState(cid, 'published'), 'state');
    cids.push(cid);
  }
  assert.equal(sql(srv.db, `SELECT count(*) FROM cases WHERE response_id = ${w.rid} AND state = 'published'`), '20');
  const back = new Client(srv);
  await back.get(`/r/${w.token}`);
  assert.equal((await saveSection(back, 6, { ...FULL[6] })).status, 303);
  assert.equal((await submit(back)).status, 303);
  const still = sql(srv.db, `SELECT group_concat(id) FROM cases WHERE response_id = ${w.rid} AND state = 'published'`);
  assert.equal(still, '', `no case of the response stays published after the consent is withdrawn (still published: ${still})`);
  const v = new Client(srv);
  for (const cid of cids) assert.equal((await v.get(`/api/v1/cases/${cid}`)).status, 404, `case ${cid} is gone`);
});

test('consent: a tick saved but not sent is not a consent given: a coordinator\'s save does not widen a case to the web', async () => {
  // The consent is recorded (consents table, with its notice version) when the response is
  // sent; a box ticked and saved without sending is not yet given.
  const r = await respond({ org: 'CANARY-UNSENT-ORG', title: 'Vanadium en brouillon', consents: ['consent_events'] });
  const cid = await makeCase(r.id);
  assert.equal(await setState(cid, 'published'), 'not_allowed');
  // The respondent ticks the named consent and saves, without sending.
  assert.equal((await saveSection(r.c, 6, { ...FULL[6], consent_events: 'yes', consent_public_named: 'yes' })).status, 303);
  assert.equal(sql(srv.db, `SELECT given FROM consents WHERE response_id = ${r.id} AND use = 'consent_public_named'`), '0', 'not given: not sent');
  // A coordinator edits the case's texts; then tries to publish.
  await markReviewed(cid, false);
  assert.equal(sql(srv.db, `SELECT web_consent FROM cases WHERE id = ${cid}`), 'none', 'the case keeps the consent that was sent');
  assert.equal(await setState(cid, 'published'), 'not_allowed', 'not published on a consent never sent');
  assert.equal((await new Client(srv).get(`/cases/${cid}`)).status, 404);
});

test('consent: a partner organisation\'s name is published only with its own agreement, as the consent notice promises', async () => {
  // The named consent reads: «Your name and e-mail address are not shown. A partner
  // organisation's name is published only with its agreement.» (coexist-v1.json)
  const notice = JSON.parse(readFileSync(join(ROOT, 'data', 'questionnaires', 'coexist-v1.json'), 'utf8'))
    .sections.flatMap((x) => x.questions).find((q) => q.key === 'consent_public_named').help.en;
  assert.match(notice, /partner organisation's name is published only with its agreement/);
  const v = new Client(srv);

  // Only the respondent agreed: the partner is its kind and country.
  const solo = await published({ org: 'CANARY-SOLO-ORG', partner: 'CANARY-SOLO-PARTNER', title: 'Hafnium sans accord', partnerCountry: 'FR' });
  const page = await v.get(`/cases/${solo.cid}`);
  assert.ok(mainText(page.body).includes('CANARY-SOLO-ORG'), 'the respondent\'s organisation is named');
  const api = JSON.parse((await v.get(`/api/v1/cases/${solo.cid}`)).body);
  const sheet = pdfText((await bytesOf(`/cases/${solo.cid}/sheet.pdf`)).bytes).text;
  const searched = cardIds((await v.get('/cases?q=CANARY-SOLO-PARTNER')).body);
  assert.deepEqual({
    page: page.body.includes('CANARY-SOLO-PARTNER'),
    api: JSON.stringify(api).includes('CANARY-SOLO-PARTNER'),
    sheet: sheet.includes('CANARY-SOLO-PARTNER'),
    search: searched.includes(solo.cid),
  }, { page: false, api: false, sheet: false, search: false }, 'the partner, who agreed to nothing, is not named anywhere');
  assert.ok(mainText(page.body).includes(`${kindLabel('company_sme')} (${country('FR')})`), 'the partner shown as its kind and country');

  // The partner answered too (invited from the response) and agreed to be named: named.
  const partnerEmail = 'canary.duo.partner@example.org';
  const duo = await respond({
    org: 'CANARY-DUO-ORG', partner: 'CANARY-DUO-PARTNER', title: 'Hafnium avec accord', consents: ['consent_public_named'],
  });
  const { c } = duo;
  assert.equal((await saveSection(c, 6, { ...FULL[6], consent_public_named: 'yes', invite_partner: 'yes', partner_email: partnerEmail })).status, 303);
  assert.equal((await submit(c)).status, 303);
  const p = new Client(srv);
  assert.equal((await p.get(mailLink(await waitForMail(mail, partnerEmail), srv, 'r'))).status, 303);
  await fillAll(p, { 1: { org_name: 'CANARY-DUO-PARTNER', org_kind: 'company_sme', org_country: 'FR', role: 'technical_partner' },
    2: { title: 'Notre vue', 'partners.name.0': 'CANARY-DUO-ORG', 'partners.kind.0': 'ngo', 'partners.country.0': 'SN' },
    6: { ...FULL[6], consent_public_named: 'yes' } });
  assert.equal((await submit(p)).status, 303);
  const cid = await makeCase(duo.id);
  assert.notEqual(sql(srv.db, `SELECT coalesce(partner_response, 0) FROM cases WHERE id = ${cid}`), '0', 'the case holds the partner\'s view');
  assert.equal(await setState(cid, 'published'), 'state');
  const both = mainText((await v.get(`/cases/${cid}`)).body);
  assert.ok(both.includes('CANARY-DUO-ORG') && both.includes('CANARY-DUO-PARTNER'), 'both agreed: both named');
});

// =====================================================================================
// States and audit
// =====================================================================================

test('states: draft → review → published → archived, each change audited with who did it; archived is not public', async () => {
  const r = await respond({ org: 'States Org', title: 'Tungstène et états', consents: ['consent_public_named'] });
  const cid = await makeCase(r.id);
  const list = await coord.get('/admin/cases');
  assert.ok(list.body.includes(`href="/admin/cases/${cid}"`), 'listed for the coordinators');
  const row = new RegExp(`<tr>(?:(?!</tr>)[\\s\\S])*href="/admin/cases/${cid}"[\\s\\S]*?</tr>`).exec(list.body);
  assert.ok(mainText(row[0]).includes(t('cases.state.draft')));
  assert.ok(mainText(row[0]).includes(t('cases.consent.named')));
  const v = new Client(srv);
  for (const [to, shown] of [['review', 404], ['published', 200], ['archived', 404]]) {
    assert.equal(await setState(cid, to), 'state', `to ${to}`);
    assert.equal(sql(srv.db, `SELECT state FROM cases WHERE id = ${cid}`), to);
    const edit = await coord.get(`/admin/cases/${cid}?done=state`);
    assert.ok(mainText(edit.body).includes(t(`cases.state.${to}`)), `the page says ${to}`);
    assert.ok(mainText(edit.body).includes(t('cases.done.state')));
    assert.equal((await v.get(`/cases/${cid}`)).status, shown, `${to}: the page`);
    assert.equal((await v.get(`/api/v1/cases/${cid}`)).status, shown, `${to}: the API`);
    assert.equal(cardIds((await v.get('/cases?q=Tungstene')).body).includes(cid), shown === 200, `${to}: search`);
  }
  const rows = sql(srv.db, `SELECT action || '|' || actor_email || '|' || detail FROM audit_log WHERE entity = 'case' AND entity_id = ${cid} ORDER BY id`).split('\n');
  assert.deepEqual(rows, [
    `case.create|cases-coord@example.org|from response ${r.id}`,
    'case.state|cases-coord@example.org|draft -> review',
    'case.state|cases-coord@example.org|review -> published',
    'case.state|cases-coord@example.org|published -> archived',
  ]);
  const pubAt = sql(srv.db, `SELECT published_at FROM cases WHERE id = ${cid}`);
  assert.match(pubAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  // Archived, then back to draft: still not public.
  assert.equal(await setState(cid, 'draft'), 'state');
  assert.equal((await v.get(`/cases/${cid}`)).status, 404);
  assert.equal(sql(srv.db, `SELECT count(*) FROM audit_log WHERE action = 'case.state' AND entity_id = ${cid} AND detail = 'archived -> draft'`), '1');
  // A state outside the list is refused and changes nothing.
  const bad = await adminPost(coord, `/admin/cases/${cid}`, `/admin/cases/${cid}/state`, { state: 'famous' });
  assert.equal(bad.status, 400);
  assert.equal(sql(srv.db, `SELECT state FROM cases WHERE id = ${cid}`), 'draft');
  // Unknown cases and responses.
  assert.equal((await coord.get('/admin/cases/999999')).status, 404);
  assert.equal((await adminPost(coord, '/admin/cases', '/admin/cases/999999/state', { state: 'review' })).status, 404);
  assert.equal((await adminPost(coord, '/admin/cases', '/admin/responses/999999/case', {})).status, 404);
  // A response not sent yet makes no case.
  const { c: draft, id: did } = await startResponse();
  await saveSection(draft, 1, { org_name: 'Draft Org' });
  assert.equal((await adminPost(coord, `/admin/responses/${did}`, `/admin/responses/${did}/case`, {})).status, 404);
  assert.equal(sql(srv.db, `SELECT count(*) FROM cases WHERE response_id = ${did}`), '0');
});

test('states: a coordinator edits the texts (French and English); the public page follows the visitor\'s language and the search its words', async () => {
  const w = await published({ org: 'Edit Org', title: 'Ancien titre rhodium' });
  const save = await adminPost(coord, `/admin/cases/${w.cid}`, `/admin/cases/${w.cid}`, {
    title_fr: 'Nouveau titre osmium', title_en: 'New osmium title', summary_fr: 'Résumé <b>gras</b>', summary_en: 'English summary',
  });
  assert.equal(save.location, `/admin/cases/${w.cid}?done=saved`);
  assert.equal(sql(srv.db, `SELECT count(*) FROM audit_log WHERE action = 'case.edit' AND entity_id = ${w.cid}`), '1');
  const en = await new Client(srv).get(`/cases/${w.cid}`);
  assert.ok(mainText(en.body).includes('New osmium title'));
  const fr = await new Client(srv, { lang: 'fr' }).get(`/cases/${w.cid}`);
  assert.ok(mainText(fr.body).includes('Nouveau titre osmium'));
  assert.ok(fr.body.includes('Résumé &lt;b&gt;gras&lt;/b&gt;'), 'texts escaped');
  const v = new Client(srv);
  assert.deepEqual(cardIds((await v.get('/cases?q=osmium')).body), [w.cid]);
  assert.deepEqual(cardIds((await v.get('/cases?q=rhodium')).body), [], 'the old title left the index');
  const empty = await adminPost(coord, `/admin/cases/${w.cid}`, `/admin/cases/${w.cid}`, { title_fr: '' });
  assert.equal(empty.location, `/admin/cases/${w.cid}?done=no_title`);
  assert.equal(sql(srv.db, `SELECT title_fr FROM cases WHERE id = ${w.cid}`), 'Nouveau titre osmium');
});

// =====================================================================================
// The catalogue
// =====================================================================================

// Copies of a published case in Burkina Faso (cases made again of the same response) until at
// least `n` cases are public, `bf` of them in Burkina Faso.
let copies = null;
async function atLeastPublic(n, bf = 0) {
  const inBF = () => Number(sql(srv.db, `SELECT count(*) FROM cases c WHERE ${PUBLIC} AND EXISTS (SELECT 1 FROM case_facets f WHERE f.case_id = c.id AND f.facet = 'country' AND f.value = 'BF')`));
  while (publicIds().length < n || inBF() < bf) {
    if (copies === null) {
      copies = await published({ org: 'Copies Org', title: 'Copie de partenariat', where: ['BF'], orgCountry: 'BF' });
      continue;
    }
    const cid = await makeCase(copies.rid);
    assert.equal(await setState(cid, 'published'), 'state');
  }
}

test('catalogue: the count next to each facet value is the number of cases listed when it is chosen', async () => {
  const v = new Client(srv);
  const home = await v.get('/cases');
  assert.equal(totalOf(home.body), publicIds().length);
  const facets = facetsOf(home.body);
  for (const name of ['sector', 'country', 'region', 'type', 'kind']) assert.ok(facets[name] && facets[name].length > 0, `facet ${name} shown`);
  let checked = 0;
  for (const [name, values] of Object.entries(facets)) {
    for (const value of values) {
      const url = new URL(value.href, srv.url);
      assert.equal(url.pathname, '/cases');
      const code = url.searchParams.get(name);
      assert.ok(code, `${value.href} chooses ${name}`);
      const { ids, pages } = await walk(v, value.href);
      assert.equal(ids.length, value.n, `${name}=${code} (${value.label}): ${value.n} announced, ${ids.length} listed`);
      assert.equal(totalOf(pages[0].body), value.n);
      const expected = sql(srv.db, `SELECT count(*) FROM cases c WHERE ${PUBLIC} AND EXISTS (SELECT 1 FROM case_facets f WHERE f.case_id = c.id AND f.facet = '${name}' AND f.value = '${code}')`);
      assert.equal(String(ids.length), expected, `${name}=${code}: the cases that have it`);
      const chosen = facetsOf(pages[0].body)[name].find((x) => x.on);
      assert.ok(chosen && chosen.label === value.label, `${name}=${code} is shown as chosen`);
      assert.equal(new URL(chosen.href, srv.url).searchParams.get(name), null, 'its link takes the filter off');
      checked++;
    }
  }
  assert.ok(checked >= 20, `${checked} facet values checked`);
});

test('catalogue: filters combine (sector + country), the URL holds them and opens the same view in another browser', async () => {
  const v = new Client(srv);
  const bySector = await v.get('/cases?sector=health');
  const countryValues = facetsOf(bySector.body).country;
  assert.ok(countryValues.length >= 2, 'several countries among the health cases');
  for (const value of countryValues) {
    const url = new URL(value.href, srv.url);
    assert.equal(url.searchParams.get('sector'), 'health', `${value.href}: the sector stays`);
    const code = url.searchParams.get('country');
    const { ids } = await walk(v, value.href);
    const expected = sql(srv.db, `SELECT id FROM cases c WHERE ${PUBLIC}`
      + " AND EXISTS (SELECT 1 FROM case_facets f WHERE f.case_id = c.id AND f.facet = 'sector' AND f.value = 'health')"
      + ` AND EXISTS (SELECT 1 FROM case_facets f WHERE f.case_id = c.id AND f.facet = 'country' AND f.value = '${code}') ORDER BY id`)
      .split('\n').filter(Boolean).map(Number);
    assert.deepEqual(sorted(ids), expected, `health + ${code}`);
    assert.equal(ids.length, value.n, `health + ${code}: the count within the sector`);
    // Bookmarked: another browser opening the URL sees the same, with both filters marked.
    const again = await new Client(srv).get(value.href);
    assert.deepEqual(cardIds(again.body), cardIds((await v.get(value.href)).body));
    const f = facetsOf(again.body);
    assert.ok(f.sector.find((x) => x.on), 'the sector is marked');
    assert.ok(f.country.find((x) => x.on), 'the country is marked');
    assert.ok(again.body.includes('href="/cases">') || again.body.includes(`>${t('cases.clear')}</a>`), 'a link shows all again');
  }
  // The sector link from a country view keeps the country, and the search keeps both.
  const both = await v.get('/cases?country=BF&sector=health&q=partenariat');
  assert.equal(both.status, 200);
  for (const values of Object.values(facetsOf(both.body))) {
    for (const x of values) {
      const u = new URL(x.href, srv.url);
      assert.equal(u.searchParams.get('q'), 'partenariat', `${x.href} keeps the search`);
    }
  }
  // Markup in a filter is never echoed as markup.
  const evil = await v.get(`/cases?sector=${encodeURIComponent('"><script>x</script>')}&q=${encodeURIComponent('<b>x</b>')}`);
  assert.equal(evil.status, 200);
  assert.ok(!evil.body.includes('<script>x') && !evil.body.includes('<b>x</b>'), 'escaped');
  // Unknown values filter everything out, without an error.
  const none = await v.get('/cases?sector=unknown_sector');
  assert.equal(none.status, 200);
  assert.equal(totalOf(none.body), 0);
  assert.equal((await v.get('/cases?country=TOOLONG')).status, 400, 'a country code is two letters');
});

test('catalogue: with a value chosen, each value offered in any facet leads to as many cases as its count says', async () => {
  const v = new Client(srv);
  for (const start of ['/cases?sector=health', '/cases?country=BF', '/cases?sector=health&country=BF']) {
    const facets = facetsOf((await v.get(start)).body);
    const wrong = [];
    for (const [name, values] of Object.entries(facets)) {
      for (const value of values.filter((x) => !x.on)) {
        const { ids } = await walk(v, value.href);
        if (ids.length !== value.n) wrong.push(`${name} "${value.label}": ${value.n} announced, ${ids.length} listed at ${value.href}`);
      }
    }
    assert.deepEqual(wrong, [], `from ${start}, the counts shown are the cases one gets`);
  }
});

test('map: reached from a filtered catalogue, it counts the filtered cases and each country leads to them', async () => {
  const v = new Client(srv);
  const cat = await v.get('/cases?sector=health');
  const link = /<a href="(\/cases\/map[^"]*)">/.exec(cat.body);
  assert.ok(link, 'a link to the map');
  const mapUrl = decode(link[1]);
  assert.equal(new URL(mapUrl, srv.url).searchParams.get('sector'), 'health', 'the map keeps the filter');
  const map = await v.get(mapUrl);
  const rows = [...map.body.matchAll(/<tr><td><a href="([^"]+)">[^<]*<\/a><\/td><td>(\d+)<\/td><\/tr>/g)].map((m) => ({ href: decode(m[1]), n: Number(m[2]) }));
  assert.ok(rows.length >= 2);
  const wrong = [];
  for (const row of rows) {
    const { ids } = await walk(v, row.href);
    if (ids.length !== row.n) wrong.push(`${row.href}: the map says ${row.n}, the catalogue lists ${ids.length}`);
  }
  assert.deepEqual(wrong, [], 'a country of the filtered map leads to the cases it counts');
});

test('catalogue: pages by date reach every case once, newest first, each page under 60 KB', async () => {
  await atLeastPublic(45, 21);
  const v = new Client(srv);
  const all = publicIds();
  const { ids, pages } = await walk(v, '/cases');
  assert.ok(pages.length >= 3, `several pages (${pages.length})`);
  assert.equal(new Set(ids).size, ids.length, 'no case twice');
  assert.deepEqual(sorted(ids), all, 'every public case reached');
  const order = sql(srv.db, `SELECT id FROM cases WHERE ${PUBLIC} ORDER BY published_at DESC, id DESC`).split('\n').map(Number);
  assert.deepEqual(ids, order, 'newest first');
  for (const p of pages) {
    assert.ok(cardIds(p.body).length <= 20, 'at most 20 a page');
    assert.ok(Buffer.byteLength(p.body) < 60 * 1024, `a catalogue page weighs ${Buffer.byteLength(p.body)} bytes`);
    assert.equal(totalOf(p.body), all.length);
  }
  // The next link of a filtered view keeps the filter.
  const bf = await walk(v, '/cases?country=BF');
  assert.ok(bf.pages.length >= 2, 'the copies fill more than a page of Burkina Faso');
  for (const p of bf.pages.slice(0, -1)) assert.equal(new URL(nextOf(p.body), srv.url).searchParams.get('country'), 'BF');
  assert.equal(new Set(bf.ids).size, bf.ids.length);
  assert.equal(bf.ids.length, totalOf(bf.pages[0].body));
  // By relevance, the pages of a search reach every hit once too.
  // A word of many demo lessons («Nous aurions dû clarifier les rôles…»).
  const many = await walk(v, `/cases?q=${encodeURIComponent('rôles')}`);
  const hits = JSON.parse((await v.get(`/api/v1/cases?q=${encodeURIComponent('rôles')}`)).body).total;
  assert.ok(hits > 20, `enough hits to page (${hits})`);
  assert.equal(many.pages.length, Math.ceil(hits / 20));
  assert.equal(new Set(many.ids).size, many.ids.length, 'no hit twice');
  assert.equal(many.ids.length, hits);
  for (const p of many.pages) assert.ok(Buffer.byteLength(p.body) < 60 * 1024, 'a search page is light too');
  // The date order of a search, paged.
  const byDate = await walk(v, `/cases?q=${encodeURIComponent('rôles')}&sort=date`);
  assert.deepEqual(sorted(byDate.ids), sorted(many.ids));
  assert.deepEqual(byDate.ids, order.filter((id) => byDate.ids.includes(id)), 'newest first');
  // A made-up page key is refused as such (tests/http/inputs.test.mjs has the others).
  assert.equal((await v.get('/cases?after=garbage')).status, 400);
});

// =====================================================================================
// Search, in French
// =====================================================================================

let S = null; // the cases of the search tests

async function searchCases() {
  if (S) return S;
  S = {};
  S.formation = await published({ org: 'Relais Santé', title: 'Formation des agents de santé', description: 'Des sessions pour les relais communautaires.', sectors: ['health'], type: 'societal_innovation', mayContact: 'yes', email: 'relais.sante@example.org' });
  S.energie = await published({ org: 'Soleil Centres', title: 'Énergie solaire pour les dispensaires', description: 'Des panneaux installés dans les centres de soins.', sectors: ['health', 'energy'], type: 'societal_innovation' });
  S.eau = await published({ org: 'Bornes Claires', title: 'Distribution d’eau potable', description: 'Des bornes fontaines dans les quartiers.', sectors: ['water_sanitation'], mayContact: 'no' });
  S.decoy = await published({ org: 'Leurre Santé', title: 'Santé : agents formés, formation continue', description: 'Formation des agents de santé. Formation des agents de santé, encore la formation des agents de santé.', sectors: ['health'], type: 'societal_innovation' });
  S.markup = await published({ org: 'Savon Org', title: 'Eau & <savon> pour tous', description: 'Un texte avec <script>alert(1)</script> et du savon.', sectors: ['water_sanitation'] });
  return S;
}

async function found(q) {
  const r = await new Client(srv).get(`/cases?q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200, `q=${q}: ${r.status}`);
  return { ids: cardIds(r.body), body: r.body };
}

// The title link of a card, as HTML.
function cardTitle(body, cid) {
  const m = new RegExp(`<h2><a href="/cases/${cid}">([\\s\\S]*?)</a></h2>`).exec(body);
  assert.ok(m, `a card for case ${cid}`);
  return m[1];
}

test('search: accents folded, plurals and verb forms that Snowball conflates, any case of letters', async () => {
  const s = await searchCases();
  for (const q of ['energie', 'ÉNERGIE', 'Energies', 'énergie solaire', 'solaires', 'dispensaire', 'energie dispensaires']) {
    assert.ok((await found(q)).ids.includes(s.energie.cid), `"${q}" finds «Énergie solaire pour les dispensaires»`);
  }
  for (const q of ['formations', 'formation', 'FORMATION', 'agent', 'agents sante', 'sante', 'santé']) {
    assert.ok((await found(q)).ids.includes(s.formation.cid), `"${q}" finds «Formation des agents de santé»`);
  }
  // Snowball French gives «distribu» for distribution, distributions, distribuer and distribue
  // (and «distribuon» for distribuons, which is therefore not conflated).
  for (const q of ['distribution', 'distributions', 'distribuer', 'distribue', 'eau potable', 'potables', 'EAU']) {
    assert.ok((await found(q)).ids.includes(s.eau.cid), `"${q}" finds «Distribution d’eau potable»`);
  }
  // Every word is asked for: a word of another case narrows to nothing.
  assert.ok(!(await found('energie potable')).ids.includes(s.energie.cid));
  // Function words do not stop a match («la formation des agents» finds «Formation des agents»).
  assert.ok((await found('la formation des agents')).ids.includes(s.formation.cid));
});

test('search: an exact title comes first; matched words are highlighted with <mark>, safely escaped', async () => {
  const s = await searchCases();
  for (const q of ['Formation des agents de santé', 'formation des agents de sante', 'FORMATION DES AGENTS DE SANTÉ']) {
    const { ids } = await found(q);
    assert.equal(ids[0], s.formation.cid, `"${q}": the exact title first (${ids.join(',')})`);
    assert.ok(ids.includes(s.decoy.cid), 'the other case with all the words comes after');
  }
  // Relevance is the default with a query; by date is a link away and keeps the query.
  const r = await found('formation agents');
  assert.ok(r.body.includes(`<strong>${t('cases.sort.relevance')}</strong>`));
  assert.ok(r.body.includes('href="/cases?q=formation%20agents&amp;sort=date"') || /href="\/cases\?q=formation(\+|%20)agents&amp;sort=date"/.test(r.body), 'a link to the same search by date');

  const e = await found('energie');
  assert.ok(cardTitle(e.body, s.energie.cid).includes('<mark>Énergie</mark>'), `the word as written, marked: ${cardTitle(e.body, s.energie.cid)}`);
  const p = await found('relais');
  const card = new RegExp(`<h2><a href="/cases/${s.formation.cid}">[\\s\\S]*?</article>`).exec(p.body)[0];
  assert.match(card, /<p class="snippet">[^]*<mark>relais<\/mark>/, 'the passage of the story around the word, marked');
  // Highlighted texts stay escaped: the title's markup is text.
  const m = await found('savon');
  const title = cardTitle(m.body, s.markup.cid);
  assert.equal(title, 'Eau &amp; &lt;<mark>savon</mark>&gt; pour tous');
  assert.ok(!m.body.includes('<script>alert(1)</script>') && !m.body.includes('<savon>'));
  assert.equal((m.body.match(/<mark>/g) || []).length, (m.body.match(/<\/mark>/g) || []).length, 'marks balanced');
});

test('search: suggestions when nothing matches, from the words of the published cases', async () => {
  const s = await searchCases();
  const r = await found('dispensiares');
  assert.deepEqual(r.ids, []);
  assert.equal(totalOf(r.body), 0);
  assert.ok(mainText(r.body).includes(t('cases.none')));
  const m = new RegExp(`${t('cases.suggest')} <a href="([^"]+)">([^<]+)</a>`).exec(r.body);
  assert.ok(m, `a suggestion: ${mainText(r.body).slice(0, 800)}`);
  assert.equal(decode(m[2]), 'dispensaires');
  const follow = await new Client(srv).get(decode(m[1]));
  assert.ok(cardIds(follow.body).includes(s.energie.cid), 'the suggestion finds the case');
  const acc = await found('energei'); // a transposition
  assert.ok(mainText(acc.body).includes('énergie'), `spelt as the cases spell it: ${mainText(acc.body).slice(0, 600)}`);
  // Nothing to suggest for a word far from every word.
  const far = await found('qqqqqqqqqq');
  assert.deepEqual(far.ids, []);
  assert.ok(!far.body.includes(t('cases.suggest')));
});

test('search: FTS5 syntax in the query is read as words, never as an error', async () => {
  const s = await searchCases();
  const v = new Client(srv);
  for (const q of ['"', '"énergie solaire"', 'energie*', '-energie', '^energie', 'energie OR potable', 'energie NOT solaire', 'NEAR(energie solaire)',
    'title:energie', '{title body}: energie', '(', ')', 'AND', 'OR', 'NOT', '*', '+', ':', "'", "'; DROP TABLE cases; --", 'énergie"', 'a"b"c',
    '\u00a0', '  ', 'x'.repeat(200), 'é'.repeat(50), '🌍 énergie', 'energie\u0301']) {
    const r = await v.get(`/cases?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, `q=${JSON.stringify(q)}: ${r.status}`);
    const a = await v.get(`/api/v1/cases?q=${encodeURIComponent(q)}`);
    assert.equal(a.status, 200, `API q=${JSON.stringify(q)}: ${a.status}`);
    JSON.parse(a.body);
  }
  for (const q of ['"énergie solaire"', 'energie*', '-energie', '^energie', '🌍 énergie']) {
    assert.ok((await found(q)).ids.includes(s.energie.cid), `${q}: the words are searched as words`);
  }
  assert.ok(!(await found('energie OR potable')).ids.includes(s.eau.cid), 'OR is not an operator: every word is asked for');
  assert.ok(!(await found('NEAR(energie solaire)')).ids.includes(s.energie.cid), 'NEAR is a word');
  assert.ok(Number(sql(srv.db, 'SELECT count(*) FROM cases')) > 0, 'the table is still there');
  assert.equal((await v.get(`/cases?q=${'x'.repeat(201)}`)).status, 400, 'a query is at most 200 characters');
});

// =====================================================================================
// The case page: similar cases, contact
// =====================================================================================

test('case page: similar cases are listed, all of them public', async () => {
  const s = await searchCases();
  const page = await new Client(srv).get(`/cases/${s.formation.cid}`);
  assert.equal(page.status, 200);
  assert.ok(mainText(page.body).includes(t('cases.similar')));
  const section = page.body.slice(page.body.indexOf(t('cases.similar')));
  const similar = [...section.matchAll(/<li><a href="\/cases\/(\d+)">/g)].map((m) => Number(m[1]));
  assert.ok(similar.length >= 2 && similar.length <= 6, `similar: ${similar}`);
  assert.ok(similar.includes(s.decoy.cid) && similar.includes(s.energie.cid), 'cases of the same sector and type');
  assert.ok(!similar.includes(s.formation.cid), 'not itself');
  const pub = publicIds();
  for (const id of similar) assert.ok(pub.includes(id), `case ${id} is public`);
  assert.ok(!similar.includes(M && M.events.cid) && !similar.includes(M && M.none.cid));
});

test('case page: the contact form passes a message on by mail, never showing the respondent\'s address; not offered without may_contact', async () => {
  const s = await searchCases();
  const to = 'relais.sante@example.org';
  const v = new Client(srv);
  const page = await v.get(`/cases/${s.formation.cid}`);
  assert.ok(page.body.includes(`action="/cases/${s.formation.cid}/contact"`), 'the form is offered');
  const contactMails = (addr, from) => mailsTo(mail, addr).filter((x) => x.body.includes(from));
  const sent = await v.post(`/cases/${s.formation.cid}/contact`, { name: 'Bintou Lectrice', email: 'bintou@ngo.example', message: 'Bonjour, pourrions-nous échanger sur vos formations ?' });
  assert.equal(sent.status, 303);
  assert.equal(sent.location, `/cases/${s.formation.cid}?done=sent`);
  assert.ok(mainText((await v.get(sent.location)).body).includes(t('cases.contact.sent')));
  for (const until = Date.now() + 10000; contactMails(to, 'bintou@ngo.example').length === 0;) {
    assert.ok(Date.now() < until, 'the message is delivered');
    await new Promise((res) => setTimeout(res, 50));
  }
  const [m] = contactMails(to, 'bintou@ngo.example');
  assert.ok(m.body.includes('Bonjour, pourrions-nous échanger sur vos formations ?'), 'the message');
  assert.ok(m.body.includes('bintou@ngo.example') && m.body.includes('Bintou Lectrice'), 'who wrote, to answer them');
  assert.ok(m.body.includes('Formation des agents de santé'), 'about which partnership');

  // The respondent's address is on no public surface.
  const surfaces = [(await v.get(`/cases/${s.formation.cid}`)).body, (await v.get(`/cases/${s.formation.cid}?done=sent`)).body,
    (await v.get('/cases?q=formation')).body, (await v.get(`/api/v1/cases/${s.formation.cid}`)).body, (await v.get('/cases/map')).body,
    pdfText((await bytesOf(`/cases/${s.formation.cid}/sheet.pdf`)).bytes).text, ...(await walk(v, '/cases')).pages.map((p) => p.body)];
  for (const text of surfaces) assert.ok(!text.includes(to) && !text.includes('relais.sante'), 'the address is not shown');
  assert.equal(JSON.parse((await v.get(`/api/v1/cases/${s.formation.cid}`)).body).contact, true);

  // An incomplete message is refused and sends nothing; so is one without the CSRF token or
  // from another site.
  await v.get(`/cases/${s.formation.cid}`);
  for (const fields of [{ name: '', email: 'x@example.org', message: 'Un message assez long.' }, { name: 'X', email: 'not an address', message: 'Un message assez long.' },
    { name: 'X', email: 'x@example.org', message: 'court' }]) {
    const r = await v.post(`/cases/${s.formation.cid}/contact`, fields);
    assert.equal(r.status, 422, JSON.stringify(fields));
    assert.ok(mainText(r.body).includes(t('cases.contact.invalid.text')));
  }
  assert.equal((await v.post(`/cases/${s.formation.cid}/contact`, { name: 'X', email: 'x@example.org', message: 'Un message assez long.' }, { csrf: null })).status, 403);
  assert.equal((await v.post(`/cases/${s.formation.cid}/contact`, { name: 'X', email: 'x@example.org', message: 'Un message assez long.' }, { origin: 'http://evil.example' })).status, 403);

  // may_contact "no": no form, and a form sent anyway goes nowhere.
  const no = await v.get(`/cases/${s.eau.cid}`);
  assert.equal(no.status, 200);
  assert.ok(!no.body.includes('/contact"'), 'no contact form');
  assert.equal(JSON.parse((await v.get(`/api/v1/cases/${s.eau.cid}`)).body).contact, false);
  assert.equal((await v.post(`/cases/${s.eau.cid}/contact`, { name: 'X', email: 'x@example.org', message: 'Un message assez long.' })).status, 404);
  // Nor for a case that is not public (the events-only case said yes to contact).
  if (M) assert.equal((await v.post(`/cases/${M.events.cid}/contact`, { name: 'X', email: 'x@example.org', message: 'Un message assez long.' })).status, 404);
  // Messages are queued with the request that sends them: the outbox holds all there will be.
  const queued = (from) => Number(sql(srv.db, `SELECT count(*) FROM outbox WHERE to_addr = '${to}' AND body LIKE '%${from}%'`));
  assert.equal(queued('bintou@ngo.example'), 1, 'one message in all');
  assert.equal(queued('x@example.org'), 0, 'nothing from the refused forms');
  if (M) assert.equal(contactMails(M.events.email, 'x@example.org').length, 0, 'nothing to the events-only respondent');
});

// =====================================================================================
// The API
// =====================================================================================

test('API: the JSON of a case is the documented one; filters; pages with next; openapi.json documents it', async () => {
  await atLeastPublic(60);
  const v = new Client(srv);
  const spec = await v.get('/api/v1/openapi.json');
  assert.equal(spec.status, 200);
  assert.match(spec.headers['content-type'], /^application\/json/);
  const doc = JSON.parse(spec.body);
  assert.match(doc.openapi || '', /^3\./);
  const op = doc.paths['/api/v1/cases'] && doc.paths['/api/v1/cases'].get;
  assert.ok(op, 'GET /api/v1/cases documented');
  assert.ok(doc.paths['/api/v1/cases/{id}'] && doc.paths['/api/v1/cases/{id}'].get, 'GET /api/v1/cases/{id} documented');
  const params = op.parameters.map((p) => p.name);
  for (const p of ['q', 'after', ...FACETS]) assert.ok(params.includes(p), `parameter ${p} documented`);
  const caseProps = Object.keys(doc.components.schemas.Case.properties).sort();

  const first = await v.get('/api/v1/cases');
  assert.equal(first.status, 200);
  assert.equal(first.headers['access-control-allow-origin'], '*');
  const page = JSON.parse(first.body);
  assert.deepEqual(Object.keys(page).sort(), ['cases', 'next', 'total']);
  assert.equal(page.total, publicIds().length);
  assert.equal(page.cases.length, 50);
  for (const item of page.cases) {
    assert.deepEqual(Object.keys(item).sort(), caseProps, `case ${item.id} has the documented fields`);
    assert.equal(typeof item.id, 'number');
    assert.equal(typeof item.title, 'string');
    assert.equal(typeof item.named, 'boolean');
    assert.equal(typeof item.contact, 'boolean');
    assert.equal(typeof item.start_year, 'number');
    for (const k of ['sectors', 'countries', 'resources', 'success_factors', 'obstacles', 'sdgs']) assert.ok(Array.isArray(item[k]), `${k} is a list`);
    assert.match(item.published_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(Object.keys(item.organisation).sort(), item.named ? ['countries', 'kind', 'name'] : ['countries', 'kind']);
  }
  // Paging: every case once.
  const all = await apiAll(v);
  assert.ok(all.pages.length >= 2);
  const ids = all.items.map((x) => x.id);
  assert.equal(new Set(ids).size, ids.length, 'no case twice');
  assert.deepEqual(sorted(ids), publicIds());
  for (const p of all.pages) assert.equal(p.doc.total, publicIds().length);
  assert.equal(all.pages[all.pages.length - 1].doc.next, undefined, 'no next on the last page');

  // Filters, alone and together.
  for (const q of ['?sector=health', '?country=BF', '?sector=health&country=BF', '?kind=company_sme', '?region=011&type=societal_innovation']) {
    const got = await apiAll(v, q);
    const want = new URLSearchParams(q);
    for (const item of got.items) {
      if (want.get('sector')) assert.ok(item.sectors.includes(want.get('sector')), `${q}: case ${item.id}`);
      if (want.get('country')) assert.ok(item.countries.includes(want.get('country')), `${q}: case ${item.id}`);
      if (want.get('kind')) assert.ok([item.organisation.kind, item.partner.kind].includes(want.get('kind')), `${q}: case ${item.id}`);
      if (want.get('type')) assert.equal(item.type, want.get('type'));
    }
    const html = await walk(v, `/cases${q}`);
    assert.deepEqual(sorted(got.items.map((x) => x.id)), sorted(html.ids), `${q}: the API and the catalogue agree`);
    assert.equal(got.pages[0].doc.total, got.items.length);
  }
  const one = await v.get(`/api/v1/cases/${ids[0]}`);
  assert.equal(one.status, 200);
  assert.deepEqual(JSON.parse(one.body), all.items[0]);
  for (const bad of ['999999', 'abc', '0', '-1']) {
    const r = await v.get(`/api/v1/cases/${bad}`);
    assert.equal(r.status, 404, bad);
    assert.deepEqual(JSON.parse(r.body), { error: 'not found' });
  }
  // The English texts when asked in English, the French ones otherwise.
  const s = await searchCases();
  assert.equal(JSON.parse((await new Client(srv, { lang: 'fr' }).get(`/api/v1/cases/${s.energie.cid}`)).body).title, 'Énergie solaire pour les dispensaires');
  const ascii = (await v.get(`/api/v1/cases/${s.energie.cid}`)).body;
  assert.ok(/^[\x20-\x7e]*$/.test(ascii), 'plain ASCII JSON, accents escaped');
  assert.equal(JSON.parse(ascii).title, 'Énergie solaire pour les dispensaires');
});

// =====================================================================================
// Roles and CSRF
// =====================================================================================

test('roles: the coordinators\' pages of cases: visitors sent to sign in, members refused; POSTs need the role and the CSRF token', async () => {
  const cid = Number(sql(srv.db, 'SELECT min(id) FROM cases'));
  const rid = Number(sql(srv.db, "SELECT min(id) FROM responses WHERE status = 'submitted'"));
  for (const path of ['/admin/cases', `/admin/cases/${cid}`, `/admin/cases/${cid}?done=saved`]) {
    const visitor = await new Client(srv).get(path);
    assert.equal(visitor.status, 303, `visitor GET ${path}`);
    assert.equal(visitor.location, `/signin?next=${encodeURIComponent(path.split('?')[0])}`);
    assert.equal((await member.get(path)).status, 403, `member GET ${path}`);
    assert.equal((await coord.get(path)).status, 200, `coordinator GET ${path}`);
  }
  const posts = [[`/admin/responses/${rid}/case`, {}], [`/admin/cases/${cid}`, { title_fr: 'Hijacked' }],
    [`/admin/cases/${cid}/state`, { state: 'archived' }], ['/admin/cases/booklet', { case: String(cid) }]];
  const audit = sql(srv.db, 'SELECT count(*) FROM audit_log');
  const cases = sql(srv.db, 'SELECT count(*) || max(updated_at) FROM cases');
  const visitor = new Client(srv);
  await visitor.get('/cases');
  await member.get('/account');
  for (const [path, fields] of posts) {
    assert.equal((await member.post(path, fields)).status, 403, `member POST ${path}`);
    assert.equal((await visitor.post(path, fields)).status, 403, `visitor POST ${path}`);
    await coord.get('/admin/cases');
    assert.equal((await coord.post(path, fields, { csrf: null })).status, 403, `coordinator POST ${path} without a token`);
    assert.equal((await coord.post(path, fields, { origin: 'http://evil.example' })).status, 403, `coordinator POST ${path} from another site`);
  }
  assert.equal(sql(srv.db, 'SELECT count(*) FROM audit_log'), audit, 'nothing done');
  assert.equal(sql(srv.db, 'SELECT count(*) || max(updated_at) FROM cases'), cases, 'no case made or changed');
  assert.notEqual(sql(srv.db, `SELECT title_fr FROM cases WHERE id = ${cid}`), 'Hijacked');
  // The public pages are public.
  for (const path of ['/cases', '/cases/map', '/api/v1/cases', '/api/v1/openapi.json']) assert.equal((await new Client(srv).get(path)).status, 200, path);
  // A coordinator's booklet is for coordinators only, in the list's links too.
  assert.ok(!(await new Client(srv).get('/cases')).body.includes('/admin/'), 'no link to the back office on the catalogue');
});
