/* cases_make.c - a case made from a response's answers, and kept in step with its consent,
 * facets and search index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The values of a multiple answer, space separated. */
static const char *
list(const struct answers *a, const char *key, struct arena *ar)
{
	struct buf b;
	buf_init(&b, ar);
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->rows[i].key, key) == 0)
			buf_printf(&b, "%s%s", b.len ? " " : "", a->rows[i].value);
	return b.data ? b.data : "";
}

static const char *
one(const struct answers *a, const char *key)
{
	const char *v = answers_get(a, key, 0);
	return v ? v : "";
}

/* The resources one side brought: by their direction (the respondent's side is the first). */
static const char *
brought(const struct answers *a, bool respondent, struct arena *ar)
{
	struct buf b;
	buf_init(&b, ar);
	bool ngo = strcmp(one(a, "org_kind"), "ngo") == 0 || strcmp(one(a, "org_kind"), "foundation") == 0;
	for (size_t i = 0; i < a->n; i++) {
		if (strcmp(a->rows[i].key, "resources") != 0)
			continue;
		const char *code = a->rows[i].value;
		const char *dir = answers_get(a, arena_printf(ar, "resources.%s.direction", code), 0);
		bool from_ngo = dir == NULL || strcmp(dir, "ngo_to_company") == 0 || strcmp(dir, "both") == 0;
		bool from_company = dir == NULL || strcmp(dir, "company_to_ngo") == 0 || strcmp(dir, "both") == 0;
		bool mine = ngo ? from_ngo : from_company;
		bool theirs = ngo ? from_company : from_ngo;
		if (respondent ? mine : theirs)
			buf_printf(&b, "%s%s", b.len ? " " : "", code);
	}
	return b.data ? b.data : "";
}

static enum web_consent
web_of(const struct answers *a)
{
	if (answers_has(a, "consent_public_named", "yes"))
		return WEB_NAMED;
	if (answers_has(a, "consent_public_anonymous", "yes"))
		return WEB_ANONYMISED;
	return WEB_NONE;
}

void
cases_from_answers(const struct answers *a, const struct answers *partner, struct arena *ar,
                   struct case_row *c)
{
	memset(c, 0, sizeof(*c));
	c->title_fr = one(a, "title");
	c->title_en = "";
	c->summary_fr = one(a, "description");
	const char *lessons = one(a, "lessons"), *advice = one(a, "advice");
	c->lessons_fr = lessons[0] && advice[0] ? arena_printf(ar, "%s\n\n%s", lessons, advice)
	                                        : lessons[0] ? lessons : advice;
	c->org_name = one(a, "org_name");
	c->org_kind = one(a, "org_kind");
	c->org_country = one(a, "org_country");
	c->org_brought = brought(a, true, ar);
	c->partner_name = one(a, "partners.name");
	c->partner_kind = one(a, "partners.kind");
	c->partner_country = one(a, "partners.country");
	c->partner_brought = brought(a, false, ar);
	c->sectors = list(a, "sectors", ar);
	c->countries = list(a, "countries", ar);
	c->type = one(a, "partnership_type");
	c->stage = one(a, "stage");
	c->outcome = one(a, "achievement");
	c->resources = list(a, "resources", ar);
	c->factors = list(a, "success_factors", ar);
	c->obstacles = list(a, "obstacles", ar);
	c->sdgs = list(a, "sdgs", ar);
	long long year;
	c->start_year = num_parse(one(a, "start_year"), 0, 9999, &year) ? (int)year : 0;
	/* Consent: what the respondent allowed, and with two views the narrowest of both. */
	c->web = web_of(a);
	c->events = answers_has(a, "consent_events", "yes");
	c->may_contact = answers_has(a, "may_contact", "yes");
	c->partner_named = false; /* a partner is named only by its own view */
	if (partner) {
		c->partner_named = answers_has(partner, "consent_public_named", "yes");
		enum web_consent pw = web_of(partner);
		if (pw < c->web)
			c->web = pw;
		c->events = c->events && answers_has(partner, "consent_events", "yes");
		c->may_contact = c->may_contact && answers_has(partner, "may_contact", "yes");
	}
}

/* Adds "facet value" pairs for each space-separated code of s. */
static void
add_facets(struct arena *a, const char *facet, const char *s, const char ***f, const char ***v,
           size_t *n, size_t cap)
{
	const char *p = s;
	while (p && *p && *n < cap) {
		size_t len = strcspn(p, " ");
		if (len) {
			(*f)[*n] = facet;
			(*v)[*n] = arena_strndup(a, p, len);
			(*n)++;
		}
		p += len;
		while (*p == ' ')
			p++;
	}
}

/* What the respondent last sent (never a draft saved since); 0 with nothing when none. */
static int
load_answers(struct db *db, long long response_id, struct answers *a)
{
	return response_id ? (survey_store_last_version(db, response_id, a) < 0 ? -1 : 0) : 0;
}

int
cases_refresh(struct db *db, const struct vocab_set *v, long long id, struct arena *a)
{
	struct case_row c;
	if (cases_store_get(db, id, a, &c) != 1)
		return -1;
	/* Consent is read again from the answers: a withdrawal takes effect at once. */
	if (c.response_id) {
		struct answers mine, theirs;
		answers_init(&mine, a);
		answers_init(&theirs, a);
		if (load_answers(db, c.response_id, &mine) != 0 ||
		    load_answers(db, c.partner_response, &theirs) != 0)
			return -1;
		struct case_row fresh;
		cases_from_answers(&mine, c.partner_response ? &theirs : NULL, a, &fresh);
		if (fresh.web != c.web || fresh.events != c.events || fresh.may_contact != c.may_contact ||
		    fresh.partner_named != c.partner_named) {
			if (cases_store_set_consent(db, id, fresh.web, fresh.events, fresh.may_contact,
			                            fresh.partner_named) != 0)
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
		    audit_store_add(db, NULL, "case.unpublish", "case", id, "consent withdrawn") != 0)
			return -1;
		c.state = CASE_REVIEW;
		log_info("case %lld unpublished: consent withdrawn or narrowed", id);
	}
	/* The facets derived from the others: the UN region of each country, the parties' kinds
	 * (the code lists themselves are rows the store wrote with the case). */
	enum { CAP = 256 };
	const char **f = arena_alloc(a, CAP * sizeof(*f)), **val = arena_alloc(a, CAP * sizeof(*val));
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
		const char *title = c.title_en[0] ? arena_printf(a, "%s — %s", c.title_fr, c.title_en) : c.title_fr;
		return search_store_put(db, id, title, body);
	}
	return search_store_delete(db, id);
}

int
cases_refresh_response(struct db *db, const struct vocab_set *v, long long response_id,
                       struct arena *a)
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
		if (cases_store_get(db, ids[i], a, &before) != 1 || cases_refresh(db, v, ids[i], a) != 0)
			return -1;
		struct case_row after;
		if (cases_store_get(db, ids[i], a, &after) == 1 && before.state == CASE_PUBLISHED &&
		    after.state != CASE_PUBLISHED)
			unpublished++;
	}
	return unpublished;
}
