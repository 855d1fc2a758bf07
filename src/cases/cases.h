/* cases.h - partnership cases: made from responses by coordinators, published within the
 * consent given, searched, mapped, printed and opened as data. */
#ifndef COEXIST_CASES_H
#define COEXIST_CASES_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct buf;
struct db;
struct request;

enum case_state { CASE_DRAFT, CASE_REVIEW, CASE_PUBLISHED, CASE_ARCHIVED };
enum web_consent { WEB_NONE, WEB_ANONYMISED, WEB_NAMED };

/* A case as stored (everything, for coordinators). Code lists are space-separated codes here,
 * in the order given; the store keeps each code as a row of case_facets. */
struct case_row {
	long long id, response_id, partner_response;
	enum case_state state;
	enum web_consent web;
	bool events, may_contact, texts_reviewed;
	bool partner_named; /* the partner agreed to be named (its own view, named consent) */
	const char *title_fr, *title_en, *summary_fr, *summary_en, *results_fr, *results_en;
	const char *lessons_fr, *lessons_en;
	const char *org_name, *org_kind, *org_country, *org_brought;
	const char *partner_name, *partner_kind, *partner_country, *partner_brought;
	const char *sectors, *countries, *type, *stage, *outcome, *resources, *factors, *obstacles;
	const char *sdgs;
	int start_year;
	const char *created_at, *updated_at, *published_at;
};

/* What a public surface may show of a case: organisation names only with the named consent;
 * with the anonymised one, each party is its kind and country. Never people's names. */
struct case_public {
	long long id;
	bool named;
	const char *title, *summary, *results, *lessons; /* in the language asked (fr if empty) */
	const char *org, *partner;                       /* names, or "" when anonymised */
	const char *org_kind, *org_country, *partner_kind, *partner_country;
	const char *org_brought, *partner_brought; /* resource codes */
	const char *sectors, *countries, *type, *stage, *outcome, *resources, *factors, *obstacles;
	const char *sdgs;
	int start_year;
	bool may_contact;
	const char *published_at;
};

/* The one rule of publication: true when the case may be shown on the web (published, web
 * consent named or anonymised, and for anonymised the free texts reviewed), and then the
 * projection in out (lang "fr" or "en"). Pure. */
bool case_public_view(const struct case_row *c, const char *lang, struct case_public *out);
/* True when the case may go into an event booklet: published or in review, events consent. */
bool case_events_view(const struct case_row *c, const char *lang, struct case_public *out);

#endif
