/* survey.h - collection campaigns and responses: the store, and the pages of the questionnaire. */
#ifndef COEXIST_SURVEY_H
#define COEXIST_SURVEY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "qdef.h"

struct db;
struct request;

struct campaign {
	long long id;
	char slug[64];
	char questionnaire[64];
	int version;
	char title_fr[256], title_en[256];
	char opens_at[11], closes_at[11]; /* YYYY-MM-DD, both days included (UTC) */
	char contact_name[128], contact_email[256];
};

struct response {
	long long id, campaign_id, partner_of;
	bool submitted, locked, link_mailed;
	char lang[3];
	int revision, section;
	char source[8];
	char created_at[24], updated_at[24], submitted_at[24];
};

/* True when today (UTC) is within the campaign's dates. */
bool campaign_is_open(const struct campaign *c, time_t now);
/* The partner address of answers that ask to invite the partner, when the outbox cannot
 * deliver to it (saved before the site had one e-mail rule, base/email.h), else NULL. Such an
 * invitation is skipped at submission, and the respondent and the coordinators are told why. */
const char *survey_partner_undeliverable(const struct answers *a);

/* ---- campaigns (survey_store.c) ---- */
long long survey_store_campaign_create(struct db *db, const struct campaign *c);
int survey_store_campaign_by_slug(struct db *db, const char *slug, struct campaign *out);
int survey_store_campaign_get(struct db *db, long long id, struct campaign *out);
/* Changes a campaign's dates (extend, reopen) and whom to contact. 0 or -1. */
int survey_store_campaign_update(struct db *db, long long id, const char *opens,
                                 const char *closes, const char *contact_name,
                                 const char *contact_email);
int survey_store_campaign_list(struct db *db, void (*fn)(void *ctx, const struct campaign *c),
                               void *ctx);

/* ---- responses ---- */
long long survey_store_response_create(struct db *db, long long campaign_id, const char *lang,
                                       long long partner_of, const char *source);
int survey_store_response_get(struct db *db, long long id, struct response *out);
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
/* The id of the response made for the partner invited from response id, 0 if none, -1. */
long long survey_store_partner_response(struct db *db, long long id);
/* Records a consent answer (given or withdrawn) with its notice version. 0 or -1. */
int survey_store_consent(struct db *db, long long response_id, const char *use, bool given,
                         const char *notice_version);
/* The answers of the last version the respondent sent (drafts saved since do not count: a
 * consent ticked but not sent is not given). 1 when there is one, 0 when never sent, -1. */
int survey_store_last_version(struct db *db, long long response_id, struct answers *a);
/* Number of submitted versions of a response, or -1. */
int survey_store_version_count(struct db *db, long long response_id);

#endif
