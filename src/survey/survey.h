/* survey.h - collection campaigns and responses: the store, and the pages of the questionnaire. */
#ifndef COEXIST_SURVEY_H
#define COEXIST_SURVEY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "questionnaire/qdef.h"

struct app;
struct arena;
struct db;
struct request;

/* Texts, as the store gives them, are allocated in the arena given to it: never NULL, "" when
 * empty. Given to survey_store_campaign_create(), a NULL contact is stored as "". */
struct campaign {
	long long id;
	const char *slug;
	const char *questionnaire;
	int version;
	const char *title_fr, *title_en;
	const char *opens_at, *closes_at; /* YYYY-MM-DD, both days included (UTC) */
	const char *contact_name, *contact_email;
};

/* Texts in the arena given to the store: never NULL, "" when empty. */
struct response {
	long long id, campaign_id, partner_of;
	bool submitted, locked, link_mailed;
	const char *lang; /* "fr" or "en" */
	int revision, section;
	const char *source;                                 /* "web" or "import" */
	const char *created_at, *updated_at, *submitted_at; /* submitted_at "" when never */
};

/* True when today (UTC) is within the campaign's dates. */
bool campaign_is_open(const struct campaign *c, time_t now);
/* The partner address of answers (to d) that ask to invite the partner, when the outbox cannot
 * deliver to it (saved before the site had one e-mail rule, base/email.h), else NULL. Such an
 * invitation is skipped at submission, and the respondent and the coordinators are told why. */
const char *survey_partner_undeliverable(const struct qdef *d, const struct answers *a);
/* The questionnaire a response answers (its campaign's), or NULL: unknown response, database
 * error, or a questionnaire that is not loaded. */
const struct qdef *survey_response_qdef(struct db *db, const struct app *app, long long response_id,
					struct arena *a);

/* ---- campaigns (survey_store.c) ---- */
/* Makes a campaign: its id, 0 when the slug is taken, -1 on an error (logged). */
long long survey_store_campaign_create(struct db *db, const struct campaign *c);
/* Fill out (texts in a); 1 found, 0 not, -1 error. */
int survey_store_campaign_by_slug(struct db *db, const char *slug, struct arena *a,
				  struct campaign *out);
int survey_store_campaign_get(struct db *db, long long id, struct arena *a, struct campaign *out);
/* Changes a campaign's dates (extend, reopen) and whom to contact. 0 or -1. */
int survey_store_campaign_update(struct db *db, long long id, const char *opens, const char *closes,
				 const char *contact_name, const char *contact_email);
/* Calls fn for every campaign, the last to close first, texts in a. Returns how many, or -1. */
int survey_store_campaign_list(struct db *db, struct arena *a,
			       void (*fn)(void *ctx, const struct campaign *c), void *ctx);

/* ---- responses ---- */
long long survey_store_response_create(struct db *db, long long campaign_id, const char *lang,
				       long long partner_of, const char *source);
/* Fills out (texts in a); 1 found, 0 not, -1 error. */
int survey_store_response_get(struct db *db, long long id, struct arena *a, struct response *out);
/* Makes a private link to a response; writes its token. 0 or -1. */
int survey_store_link_create(struct db *db, long long response_id, time_t now, char token[44]);
/* The response of a link token, 0 when unknown (forged, revoked), -1 on error. */
long long survey_store_link_lookup(struct db *db, const char *token);
/* Loads every answer of a response into a (rows ordered by key and position). 0 or -1. */
int survey_store_answers_load(struct db *db, long long response_id, struct answers *a);
/* Replaces the answers of a response by a, if its revision is still expected_revision, and
 * records the page seen. Returns the new revision, 0 when someone saved in between (nothing
 * changed), -1 on error. Runs in its own transaction unless one is open. */
int survey_store_answers_save(struct db *db, long long response_id, int expected_revision,
			      const struct answers *a, int section);
/* Marks the response submitted and keeps this version of its answers. 0 or -1. */
int survey_store_submit(struct db *db, long long response_id, const struct answers *a);
int survey_store_set_locked(struct db *db, long long id, bool locked);
int survey_store_set_link_mailed(struct db *db, long long id);
int survey_store_set_partner(struct db *db, long long id, long long partner_of);
/* Records a consent answer (given or withdrawn) with its notice version. 0 or -1. */
int survey_store_consent(struct db *db, long long response_id, const char *use, bool given,
			 const char *notice_version);
/* Number of submitted versions of a response, or -1. */
int survey_store_version_count(struct db *db, long long response_id);
/* The id of the response made for the partner invited from response id, 0 if none, -1. */
long long survey_store_partner_response(struct db *db, long long id);
/* The answers of the last version the respondent sent (drafts saved since do not count: a
 * consent ticked but not sent is not given). 1 when there is one, 0 when never sent, -1. */
int survey_store_last_version(struct db *db, long long response_id, struct answers *a);

#endif
