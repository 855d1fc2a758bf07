/* cases_make.c - a case made from a response's answers, and kept in step with its consent,
 * facets and search index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/codes.h"
#include "app/app.h"
#include "audit/audit.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/num.h"
#include "cases_priv.h"
#include "db/db.h"
#include "search.h"
#include "questionnaire/qdef.h"
#include "survey/survey.h"

/* The values of the answer of a role, space separated ("" when the questionnaire has no
 * question with that role). */
static const char *
list(const struct qdef *d, const struct answers *a, enum qrole role, struct arena *ar)
{
	const char *key = qdef_role_key(d, role);
	struct buf b;
	buf_init(&b, ar);
	for (size_t i = 0; key && i < a->n; i++)
		if (strcmp(a->rows[i].key, key) == 0)
			buf_printf(&b, "%s%s", b.len ? " " : "", a->rows[i].value);
	return b.data ? b.data : "";
}

/* The answer of a role (the first row of a group field), or "". */
static const char *
one(const struct qdef *d, const struct answers *a, enum qrole role)
{
	const char *v = answers_get(a, qdef_role_key(d, role), 0);
	return v ? v : "";
}

/* True when the consent of a role was given. */
static bool
agreed(const struct qdef *d, const struct answers *a, enum qrole role)
{
	return answers_has(a, qdef_role_key(d, role), "yes");
}

/* The resources one side brought: by their direction (the respondent's side is the first). */
static const char *
brought(const struct qdef *d, const struct answers *a, bool respondent, struct arena *ar)
{
	struct buf b;
	buf_init(&b, ar);
	const char *kind = one(d, a, QR_ORG_KIND), *key = qdef_role_key(d, QR_RESOURCES);
	bool ngo = strcmp(kind, "ngo") == 0 || strcmp(kind, "foundation") == 0;
	for (size_t i = 0; key && i < a->n; i++) {
		if (strcmp(a->rows[i].key, key) != 0)
			continue;
		const char *code = a->rows[i].value;
		const char *dir =
			answers_get(a, qdef_detail_key(d, QR_RESOURCE_DIRECTION, code, ar), 0);
		bool from_ngo = dir == NULL || strcmp(dir, "ngo_to_company") == 0 ||
				strcmp(dir, "both") == 0;
		bool from_company = dir == NULL || strcmp(dir, "company_to_ngo") == 0 ||
				    strcmp(dir, "both") == 0;
		bool mine = ngo ? from_ngo : from_company;
		bool theirs = ngo ? from_company : from_ngo;
		if (respondent ? mine : theirs)
			buf_printf(&b, "%s%s", b.len ? " " : "", code);
	}
	return b.data ? b.data : "";
}

static enum web_consent
web_of(const struct qdef *d, const struct answers *a)
{
	if (agreed(d, a, QR_CONSENT_PUBLIC_NAMED))
		return WEB_NAMED;
	if (agreed(d, a, QR_CONSENT_PUBLIC_ANONYMOUS))
		return WEB_ANONYMISED;
	return WEB_NONE;
}

void
cases_from_answers(const struct qdef *d, const struct answers *a, const struct qdef *pd,
		   const struct answers *partner, struct arena *ar, struct case_row *c)
{
	memset(c, 0, sizeof(*c));
	c->title_fr = one(d, a, QR_TITLE);
	c->title_en = "";
	c->summary_fr = one(d, a, QR_SUMMARY);
	const char *lessons = one(d, a, QR_LESSONS), *advice = one(d, a, QR_ADVICE);
	c->lessons_fr = lessons[0] && advice[0] ? arena_printf(ar, "%s\n\n%s", lessons, advice)
			: lessons[0]            ? lessons
						: advice;
	c->org_name = one(d, a, QR_ORG_NAME);
	c->org_kind = one(d, a, QR_ORG_KIND);
	c->org_country = one(d, a, QR_ORG_COUNTRY);
	c->org_brought = brought(d, a, true, ar);
	c->partner_name = one(d, a, QR_PARTNER_NAME);
	c->partner_kind = one(d, a, QR_PARTNER_KIND);
	c->partner_country = one(d, a, QR_PARTNER_COUNTRY);
	c->partner_brought = brought(d, a, false, ar);
	c->sectors = list(d, a, QR_SECTORS, ar);
	c->countries = list(d, a, QR_COUNTRIES, ar);
	c->type = one(d, a, QR_PARTNERSHIP_TYPE);
	c->stage = one(d, a, QR_STAGE);
	c->outcome = one(d, a, QR_OUTCOME);
	c->resources = list(d, a, QR_RESOURCES, ar);
	c->factors = list(d, a, QR_SUCCESS_FACTORS, ar);
	c->obstacles = list(d, a, QR_OBSTACLES, ar);
	c->sdgs = list(d, a, QR_SDGS, ar);
	long long year;
	c->start_year = num_parse(one(d, a, QR_START_YEAR), 0, 9999, &year) ? (int)year : 0;
	/* Consent: what the respondent allowed, and with two views the narrowest of both. */
	c->web = web_of(d, a);
	c->events = agreed(d, a, QR_CONSENT_EVENTS);
	c->may_contact = answers_has(a, qdef_role_key(d, QR_MAY_CONTACT), "yes");
	c->partner_named = false; /* a partner is named only by its own view */
	if (partner) {
		c->partner_named = agreed(pd, partner, QR_CONSENT_PUBLIC_NAMED);
		enum web_consent pw = web_of(pd, partner);
		if (pw < c->web)
			c->web = pw;
		c->events = c->events && agreed(pd, partner, QR_CONSENT_EVENTS);
		c->may_contact = c->may_contact &&
				 answers_has(partner, qdef_role_key(pd, QR_MAY_CONTACT), "yes");
	}
}

/* Adds "facet value" pairs for each space-separated code of s. */
static void
add_facets(struct arena *a, const char *facet, const char *s, const char ***f, const char ***v,
	   size_t *n, size_t cap)
{
	const char *code;
	size_t len;
	for (const char *p = s; *n < cap && codes_next(&p, &code, &len); (*n)++) {
		(*f)[*n] = facet;
		(*v)[*n] = arena_strndup(a, code, len);
	}
}

/* What the respondent last sent (never a draft saved since), and the questionnaire it answers;
 * 0 with nothing when none. -1 when it cannot be read, or its questionnaire is not loaded. */
static int
load_answers(struct db *db, const struct app *app, long long response_id, struct answers *a,
	     const struct qdef **d, struct arena *ar)
{
	*d = NULL;
	if (response_id == 0)
		return 0;
	*d = survey_response_qdef(db, app, response_id, ar);
	if (*d == NULL) {
		log_error("case of response %lld: its questionnaire is not loaded", response_id);
		return -1;
	}
	return survey_store_last_version(db, response_id, a) < 0 ? -1 : 0;
}

int
cases_refresh(struct db *db, const struct app *app, long long id, struct arena *a)
{
	const struct vocab_set *v = app->vocab;
	struct case_row c;
	if (cases_store_get(db, id, a, &c) != 1)
		return -1;
	/* Consent is read again from the answers: a withdrawal takes effect at once. */
	if (c.response_id) {
		struct answers mine, theirs;
		answers_init(&mine, a);
		answers_init(&theirs, a);
		const struct qdef *d, *pd;
		if (load_answers(db, app, c.response_id, &mine, &d, a) != 0 ||
		    load_answers(db, app, c.partner_response, &theirs, &pd, a) != 0)
			return -1;
		struct case_row fresh;
		cases_from_answers(d, &mine, pd, c.partner_response ? &theirs : NULL, a, &fresh);
		if (fresh.web != c.web || fresh.events != c.events ||
		    fresh.may_contact != c.may_contact || fresh.partner_named != c.partner_named) {
			if (cases_store_set_consent(db, id, fresh.web, fresh.events,
						    fresh.may_contact, fresh.partner_named) != 0)
				return -1;
			c.web = fresh.web;
			c.events = fresh.events;
			c.may_contact = fresh.may_contact;
			c.partner_named = fresh.partner_named;
		}
	}
	struct case_public pub;
	if (c.state == CASE_PUBLISHED && !case_public_view(&c, "fr", &pub)) {
		/* Published beyond what is now allowed: back to review, at once. */
		if (cases_store_set_state(db, id, CASE_REVIEW) != 0 ||
		    audit_store_add(db, AUDIT_SHELL, "case.unpublish", "case", id,
				    "consent withdrawn") != 0)
			return -1;
		c.state = CASE_REVIEW;
		log_info("case %lld unpublished: consent withdrawn or narrowed", id);
	}
	/* The facets derived from the others: the UN region of each country, the parties' kinds
	 * (the code lists themselves are rows the store wrote with the case). */
	enum { CAP = 256 };
	const char **f = arena_alloc(a, CAP * sizeof(*f)),
		   **val = arena_alloc(a, CAP * sizeof(*val));
	size_t n = 0, ncountries = 0;
	const char **countries = arena_alloc(a, CAP * sizeof(*countries));
	const char **country_facet = arena_alloc(a, CAP * sizeof(*country_facet));
	add_facets(a, "country", c.countries, &country_facet, &countries, &ncountries, CAP);
	for (size_t i = 0; i < ncountries && n < CAP; i++) {
		const struct qoption *o =
			vocab_option(v->countries.options, v->countries.n, countries[i]);
		if (o && o->group) {
			bool seen = false;
			for (size_t j = 0; j < n; j++)
				seen |= strcmp(val[j], o->group) == 0;
			if (!seen) {
				f[n] = "region";
				val[n++] = o->group;
			}
		}
	}
	add_facets(a, "kind", c.org_kind, &f, &val, &n, CAP);
	add_facets(a, "kind", c.partner_kind, &f, &val, &n, CAP);
	if (cases_store_derived_put(db, id, f, val, n) != 0)
		return -1;
	/* The index holds only what the public may read: the projection, names only if named. */
	if (case_public_view(&c, "fr", &pub)) {
		const char *body = arena_printf(a, "%s\n%s\n%s\n%s\n%s", pub.summary, pub.results,
						pub.lessons, pub.org, pub.partner);
		const char *title = c.title_en[0]
					    ? arena_printf(a, "%s — %s", c.title_fr, c.title_en)
					    : c.title_fr;
		return search_store_put(db, id, title, body);
	}
	return search_store_delete(db, id);
}

int
cases_refresh_response(struct db *db, const struct app *app, long long response_id, struct arena *a)
{
	long long first[16], *ids = first;
	int n = cases_store_by_response(db, response_id, ids, 16);
	if (n > 16) { /* more than fit: ask again with room for all */
		ids = arena_alloc(a, (size_t)n * sizeof(*ids));
		n = cases_store_by_response(db, response_id, ids, n);
	}
	if (n < 0)
		return -1;
	int unpublished = 0;
	for (int i = 0; i < n; i++) {
		struct case_row before;
		if (cases_store_get(db, ids[i], a, &before) != 1 ||
		    cases_refresh(db, app, ids[i], a) != 0)
			return -1;
		struct case_row after;
		if (cases_store_get(db, ids[i], a, &after) == 1 && before.state == CASE_PUBLISHED &&
		    after.state != CASE_PUBLISHED)
			unpublished++;
	}
	return unpublished;
}
