// survey.mjs - a respondent of the demo questionnaire, as the HTTP tests drive one: a whole
// response page by page (FULL), sending pages with their revision, reading the stored answers.
// questionnaire(srv) binds the helpers to a server started by the test.
import assert from 'node:assert/strict';
import { Client, sql, mainText } from './client.mjs';

// A whole response to the COEXIST questionnaire, page by page (stage completed: every section).
export const FULL = {
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

// The revision a questionnaire page carries in its form.
export function revOf(body) {
  const m = /name="rev" value="(\d+)"/.exec(body);
  assert.ok(m, 'the page has a rev field');
  return m[1];
}

// The HTML of one question of a page, from its <fieldset> to the end of it.
export function question(body, key) {
  const m = new RegExp(`<fieldset class="question" id="q-${key}"[\\s\\S]*?</fieldset>`).exec(body);
  assert.ok(m, `question ${key} is on the page`);
  return m[0];
}

export const questionText = (body, key) => mainText(question(body, key));

// The helpers, bound to the server srv.
export function questionnaire(srv) {
  // The stored answers of a response: { key: [value at position 0, 1, …] }.
  function answersOf(id) {
    const rows = JSON.parse(sql(srv.db, 'SELECT json_group_array(json_array(question_key, position, value)) FROM'
      + ` (SELECT * FROM answers WHERE response_id = ${id} ORDER BY question_key, position)`));
    const out = {};
    for (const [k, , v] of rows) (out[k] ||= []).push(v);
    return out;
  }

  // Sends a questionnaire form: a field may hold an array (several ticked boxes, several
  // countries). The CSRF token is the one of the last page `c` opened, unless `fields` has one.
  function send(c, path, fields, { json = false } = {}) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const x of [].concat(v)) form.append(k, x);
    if (!form.has('csrf')) form.set('csrf', c.csrf());
    const headers = { Origin: srv.url };
    if (json) headers.Accept = 'application/json';
    return c.request('POST', path, { body: form.toString(), headers });
  }

  // Opens section n (1-based) and sends it with `fields` and the button `action`, as the page
  // would (its rev included, unless `fields` gives one).
  async function saveSection(c, n, fields, action = 'save', { slug = 'demo', json = false } = {}) {
    const page = await c.get(`/survey/${slug}/${n}`);
    assert.equal(page.status, 200, `GET /survey/${slug}/${n}: ${page.status} ${page.location || ''}`);
    return send(c, `/survey/${slug}/${n}`, { rev: revOf(page.body), action, ...fields }, { json });
  }

  // Opens the start page and presses the button: a new response held by `c`'s cookie.
  async function startResponse(c = new Client(srv), slug = 'demo') {
    const page = await c.get(`/survey/${slug}`);
    assert.equal(page.status, 200, `GET /survey/${slug}`);
    const r = await c.post(`/survey/${slug}/start`);
    assert.equal(r.status, 303, `POST /survey/${slug}/start`);
    assert.equal(r.location, `/survey/${slug}/1`);
    const token = c.cookie('coexist_response');
    assert.match(token || '', /^[A-Za-z0-9_-]{43}$/, 'a private-link cookie');
    const id = Number(sql(srv.db, 'SELECT max(id) FROM responses'));
    return { c, id, token };
  }

  // Fills every section with FULL (changed by `over`, page by page: undefined removes a field)
  // pressing "Next" each time ("Save" on the last page when `last` says so).
  async function fillAll(c, over = {}, { slug = 'demo', last = 'next' } = {}) {
    for (let n = 1; n <= 6; n++) {
      const fields = { ...FULL[n], ...(over[n] || {}) };
      for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
      const action = n === 6 ? last : 'next';
      const r = await saveSection(c, n, fields, action, { slug });
      assert.equal(r.status, 303, `section ${n}: ${r.status}\n${r.status === 422 ? mainText(r.body).slice(0, 2000) : ''}`);
      assert.equal(r.location, action === 'save' ? `/survey/${slug}/${n}` : n < 6 ? `/survey/${slug}/${n + 1}` : `/survey/${slug}/review`);
    }
  }

  // Opens the review page and presses "Send".
  async function submit(c, slug = 'demo') {
    const review = await c.get(`/survey/${slug}/review`);
    assert.equal(review.status, 200, 'GET review');
    return c.post(`/survey/${slug}/submit`);
  }

  return { answersOf, send, saveSection, startResponse, fillAll, submit };
}
