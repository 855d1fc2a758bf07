/* cases_priv.h - what the files of the cases module share: the store and the case builder. */
#ifndef COEXIST_CASES_PRIV_H
#define COEXIST_CASES_PRIV_H

#include <stdio.h>

#include "cases.h"

struct answers;
struct app;
struct qdef;
struct vocab_set;

/* Filters of the catalogue (each NULL or "" for any) and, from a search, the ids allowed
 * (a JSON array, or NULL for no search). */
struct case_filter {
	const char *sector, *country, *region, *type, *resource, *stage, *outcome, *sdg, *kind;
	const char *ids_json;
};

const char *case_state_name(enum case_state s);
bool case_state_parse(const char *s, enum case_state *out);
const char *web_consent_name(enum web_consent w);

/* Stores a new case with its code lists (rows of case_facets): its id, or -1. */
long long cases_store_create(struct db *db, const struct case_row *c);
int cases_store_get(struct db *db, long long id, struct arena *a, struct case_row *out);
int cases_store_update_texts(struct db *db, const struct case_row *c);
int cases_store_set_state(struct db *db, long long id, enum case_state s);
int cases_store_set_reviewed(struct db *db, long long id, bool reviewed);
int cases_store_set_consent(struct db *db, long long id, enum web_consent web, bool events,
			    bool may_contact, bool partner_named);
/* The cases made from a response: writes up to max ids, returns how many there are (or -1). */
int cases_store_by_response(struct db *db, long long response_id, long long *ids, int max);
/* Replaces the facets derived from a case's others (region, kind) by the n given. 0 or -1. */
int cases_store_derived_put(struct db *db, long long id, const char *const *facets,
			    const char *const *values, size_t n);
int cases_store_list_public(struct db *db, const struct case_filter *f, const char *after_date,
			    long long after_id, int limit, struct arena *a,
			    void (*fn)(void *ctx, const struct case_row *c), void *ctx);
long cases_store_count_public(struct db *db, const struct case_filter *f);
/* Counts per facet value; only: one facet's values (NULL: all). */
int cases_store_facet_counts(struct db *db, const struct case_filter *f, const char *only,
			     void (*fn)(void *ctx, const char *facet, const char *value, long n),
			     void *ctx);
int cases_store_similar(struct db *db, long long id, int limit, long long *ids);
int cases_store_list_admin(struct db *db, int limit, struct arena *a,
			   void (*fn)(void *ctx, const struct case_row *c), void *ctx);

/* cases_make.c: a case prefilled from a response's answers a to questionnaire d (and the
 * partner's view, answers to pd, when given), read by role, its consent the narrowest of the
 * two. */
void cases_from_answers(const struct qdef *d, const struct answers *a, const struct qdef *pd,
			const struct answers *partner, struct arena *ar, struct case_row *out);
/* Recomputes consent, facets and the search index of a case after any change; a case whose
 * consent no longer allows its publication is unpublished (state review). 0 or -1 (also when
 * the questionnaire of its response is not loaded: its consent cannot be read). */
int cases_refresh(struct db *db, const struct app *app, long long id, struct arena *a);
/* After a respondent submits again (consent may have been withdrawn): refreshes every case
 * made from that response. Returns the number unpublished, or -1. */
int cases_refresh_response(struct db *db, const struct app *app, long long response_id,
			   struct arena *a);

/* cases_api.c: a case as the API and the JSON export give it (jansson object). */
struct json_t;
struct json_t *case_json(const struct case_public *p);

/* cases_export.c: `coexist export cases --format csv|xlsx|json`: every published case at its
 * consent level, in French, to out. Returns the exit status (0, 1). */
int cases_export(struct db *db, const struct vocab_set *v, const char *format, FILE *out);

#endif
