/* survey_store.c - SQL of campaigns, responses, answers, private links, versions, consents. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/token.h"
#include "base/arena.h"
#include "db/db.h"
#include "survey.h"

enum survey_stmt {
	SURVEY_STMT_CAMPAIGN_INSERT,
	SURVEY_STMT_CAMPAIGN_BY_SLUG,
	SURVEY_STMT_CAMPAIGN_BY_ID,
	SURVEY_STMT_CAMPAIGN_DATES,
	SURVEY_STMT_CAMPAIGN_LIST,
	SURVEY_STMT_RESPONSE_INSERT,
	SURVEY_STMT_RESPONSE_GET,
	SURVEY_STMT_LINK_INSERT,
	SURVEY_STMT_LINK_LOOKUP,
	SURVEY_STMT_ANSWERS_LOAD,
	SURVEY_STMT_ANSWERS_DELETE,
	SURVEY_STMT_ANSWER_INSERT,
	SURVEY_STMT_REVISION_BUMP,
	SURVEY_STMT_SUBMIT,
	SURVEY_STMT_VERSION_INSERT,
	SURVEY_STMT_VERSION_COUNT,
	SURVEY_STMT_LOCK,
	SURVEY_STMT_LINK_MAILED,
	SURVEY_STMT_PARTNER,
	SURVEY_STMT_CONSENT,
	SURVEY_STMT_PARTNER_OF,
	SURVEY_STMT_LAST_VERSION,
	SURVEY_STMT__MAX
};

#define CAMPAIGN_COLS                                                                         \
	"id, slug, questionnaire, version, title_fr, title_en, opens_at, closes_at, contact_name," \
	" contact_email"
#define RESPONSE_COLS                                                                       \
	"id, campaign_id, coalesce(partner_of, 0), status = 'submitted', locked, link_mailed,"  \
	" lang, revision, section, source, created_at, updated_at, coalesce(submitted_at, '')"

static const char *const survey_sql[SURVEY_STMT__MAX] = {
	[SURVEY_STMT_CAMPAIGN_INSERT] = "INSERT INTO campaigns(slug, questionnaire, version, title_fr,"
	                                " title_en, opens_at, closes_at, contact_name, contact_email)"
	                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[SURVEY_STMT_CAMPAIGN_BY_SLUG] = "SELECT " CAMPAIGN_COLS " FROM campaigns WHERE slug = ?",
	[SURVEY_STMT_CAMPAIGN_BY_ID] = "SELECT " CAMPAIGN_COLS " FROM campaigns WHERE id = ?",
	[SURVEY_STMT_CAMPAIGN_DATES] = "UPDATE campaigns SET opens_at = ?, closes_at = ?,"
	                               " contact_name = ?, contact_email = ? WHERE id = ?",
	[SURVEY_STMT_CAMPAIGN_LIST] = "SELECT " CAMPAIGN_COLS " FROM campaigns ORDER BY closes_at DESC",
	[SURVEY_STMT_RESPONSE_INSERT] = "INSERT INTO responses(campaign_id, lang, partner_of, source)"
	                                " VALUES (?, ?, nullif(?, 0), ?)",
	[SURVEY_STMT_RESPONSE_GET] = "SELECT " RESPONSE_COLS " FROM responses WHERE id = ?",
	[SURVEY_STMT_LINK_INSERT] = "INSERT INTO response_links(token_hash, response_id, created_at)"
	                            " VALUES (?, ?, ?)",
	[SURVEY_STMT_LINK_LOOKUP] = "SELECT response_id FROM response_links WHERE token_hash = ?",
	[SURVEY_STMT_ANSWERS_LOAD] = "SELECT question_key, position, value FROM answers"
	                             " WHERE response_id = ? ORDER BY question_key, position",
	[SURVEY_STMT_ANSWERS_DELETE] = "DELETE FROM answers WHERE response_id = ?",
	[SURVEY_STMT_ANSWER_INSERT] = "INSERT OR REPLACE INTO answers(response_id, question_key,"
	                              " position, value) VALUES (?, ?, ?, ?)",
	[SURVEY_STMT_REVISION_BUMP] = "UPDATE responses SET revision = revision + 1, section = ?,"
	                              " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
	                              " WHERE id = ? AND revision = ? RETURNING revision",
	[SURVEY_STMT_SUBMIT] = "UPDATE responses SET status = 'submitted', submitted_at ="
	                       " strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
	[SURVEY_STMT_VERSION_INSERT] = "INSERT INTO response_versions(response_id, version, answers)"
	                               " SELECT ?1, coalesce(max(version), 0) + 1, ?2"
	                               " FROM response_versions WHERE response_id = ?1",
	[SURVEY_STMT_VERSION_COUNT] = "SELECT count(*) FROM response_versions WHERE response_id = ?",
	[SURVEY_STMT_LOCK] = "UPDATE responses SET locked = ? WHERE id = ?",
	[SURVEY_STMT_LINK_MAILED] = "UPDATE responses SET link_mailed = 1 WHERE id = ?",
	[SURVEY_STMT_PARTNER] = "UPDATE responses SET partner_of = nullif(?, 0) WHERE id = ?",
	[SURVEY_STMT_LAST_VERSION] = "SELECT answers FROM response_versions WHERE response_id = ?"
	                             " ORDER BY version DESC LIMIT 1",
	[SURVEY_STMT_PARTNER_OF] = "SELECT id FROM responses WHERE partner_of = ? ORDER BY id LIMIT 1",
	[SURVEY_STMT_CONSENT] = "INSERT INTO consents(response_id, use, given, notice_version)"
	                        " VALUES (?, ?, ?, ?) ON CONFLICT(response_id, use) DO UPDATE SET"
	                        " given = excluded.given, notice_version = excluded.notice_version,"
	                        " at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
	                        " WHERE given <> excluded.given OR notice_version <> excluded.notice_version",
};

static sqlite3_stmt *
stmt(struct db *db, enum survey_stmt s)
{
	return db_stmt(db, DB_STORE_SURVEY, survey_sql, s);
}

/* Steps a statement expected to finish without rows. 0 or -1 (logged). */
static int
done(struct db *db, sqlite3_stmt *st, enum survey_stmt s)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_error(db, survey_sql[s]);
		return -1;
	}
	return 0;
}

bool
campaign_is_open(const struct campaign *c, time_t now)
{
	char today[11];
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	return strcmp(today, c->opens_at) >= 0 && strcmp(today, c->closes_at) <= 0;
}

long long
survey_store_campaign_create(struct db *db, const struct campaign *c)
{
	sqlite3_stmt *st = stmt(db, SURVEY_STMT_CAMPAIGN_INSERT);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, c->slug);
	db_bind_text(st, 2, c->questionnaire);
	sqlite3_bind_int(st, 3, c->version);
	db_bind_text(st, 4, c->title_fr);
	db_bind_text(st, 5, c->title_en);
	db_bind_text(st, 6, c->opens_at);
	db_bind_text(st, 7, c->closes_at);
	db_bind_text(st, 8, c->contact_name ? c->contact_name : "");
	db_bind_text(st, 9, c->contact_email ? c->contact_email : "");
	if (done(db, st, SURVEY_STMT_CAMPAIGN_INSERT) != 0)
		return -1;
	return sqlite3_last_insert_rowid(db->h);
}

static void
read_campaign(struct arena *a, sqlite3_stmt *st, struct campaign *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	c->slug = db_column_text(a, st, 1);
	c->questionnaire = db_column_text(a, st, 2);
	c->version = sqlite3_column_int(st, 3);
	c->title_fr = db_column_text(a, st, 4);
	c->title_en = db_column_text(a, st, 5);
	c->opens_at = db_column_text(a, st, 6);
	c->closes_at = db_column_text(a, st, 7);
	c->contact_name = db_column_text(a, st, 8);
	c->contact_email = db_column_text(a, st, 9);
}

static int
campaign_one(struct db *db, sqlite3_stmt *st, enum survey_stmt s, struct arena *a,
	     struct campaign *out)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_campaign(a, st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	db_error(db, survey_sql[s]);
	return -1;
}

int
survey_store_campaign_by_slug(struct db *db, const char *slug, struct arena *a,
			      struct campaign *out)
{
	sqlite3_stmt *st = stmt(db, SURVEY_STMT_CAMPAIGN_BY_SLUG);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, slug);
	return campaign_one(db, st, SURVEY_STMT_CAMPAIGN_BY_SLUG, a, out);
}

int
survey_store_campaign_get(struct db *db, long long id, struct arena *a, struct campaign *out)
{
	sqlite3_stmt *st = stmt(db, SURVEY_STMT_CAMPAIGN_BY_ID);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return campaign_one(db, st, SURVEY_STMT_CAMPAIGN_BY_ID, a, out);
}

int
survey_store_campaign_update(struct db *db, long long id, const char *opens, const char *closes,
                             const char *contact_name, const char *contact_email)
{
	sqlite3_stmt *st = stmt(db, SURVEY_STMT_CAMPAIGN_DATES);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, opens);
	db_bind_text(st, 2, closes);
	db_bind_text(st, 3, contact_name);
	db_bind_text(st, 4, contact_email);
	sqlite3_bind_int64(st, 5, id);
	return done(db, st, SURVEY_STMT_CAMPAIGN_DATES);
}

int
survey_store_campaign_list(struct db *db, struct arena *a,
			   void (*fn)(void *ctx, const struct campaign *c), void *ctx)
{
	sqlite3_stmt *st = stmt(db, SURVEY_STMT_CAMPAIGN_LIST);
	if (st == NULL)
		return -1;
	struct campaign c;
	int rc, n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_campaign(a, st, &c);
		fn(ctx, &c);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_error(db, survey_sql[SURVEY_STMT_CAMPAIGN_LIST]);
		return -1;
	}
	return n;
}

long long
survey_store_response_create(struct db *db, long long campaign_id, const char *lang,
                             long long partner_of, const char *source)
{
	sqlite3_stmt *st = stmt(db, SURVEY_STMT_RESPONSE_INSERT);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, campaign_id);
	db_bind_text(st, 2, lang && strcmp(lang, "en") == 0 ? "en" : "fr");
	sqlite3_bind_int64(st, 3, partner_of);
	db_bind_text(st, 4, source);
	if (done(db, st, SURVEY_STMT_RESPONSE_INSERT) != 0)
		return -1;
	return sqlite3_last_insert_rowid(db->h);
}

int
survey_store_response_get(struct db *db, long long id, struct arena *a, struct response *out)
{
	sqlite3_stmt *st = stmt(db, SURVEY_STMT_RESPONSE_GET);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		out->id = sqlite3_column_int64(st, 0);
		out->campaign_id = sqlite3_column_int64(st, 1);
		out->partner_of = sqlite3_column_int64(st, 2);
		out->submitted = sqlite3_column_int(st, 3);
		out->locked = sqlite3_column_int(st, 4);
		out->link_mailed = sqlite3_column_int(st, 5);
		out->lang = db_column_text(a, st, 6);
		out->revision = sqlite3_column_int(st, 7);
		out->section = sqlite3_column_int(st, 8);
		out->source = db_column_text(a, st, 9);
		out->created_at = db_column_text(a, st, 10);
		out->updated_at = db_column_text(a, st, 11);
		out->submitted_at = db_column_text(a, st, 12);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	db_error(db, survey_sql[SURVEY_STMT_RESPONSE_GET]);
	return -1;
}

int
survey_store_link_create(struct db *db, long long response_id, time_t now, char token[44])
{
	unsigned char hash[32];
	token_new(token);
	token_hash(token, hash);
	sqlite3_stmt *st = stmt(db, SURVEY_STMT_LINK_INSERT);
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, response_id);
	sqlite3_bind_int64(st, 3, now);
	return done(db, st, SURVEY_STMT_LINK_INSERT);
}

long long
survey_store_link_lookup(struct db *db, const char *token)
{
	if (!token_well_formed(token))
		return 0;
	unsigned char hash[32];
	token_hash(token, hash);
	sqlite3_stmt *st = stmt(db, SURVEY_STMT_LINK_LOOKUP);
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_STATIC);
	int rc = sqlite3_step(st);
	long long id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_error(db, survey_sql[SURVEY_STMT_LINK_LOOKUP]);
		return -1;
	}
	return id;
}

int
survey_store_answers_load(struct db *db, long long response_id, struct answers *a)
{
	sqlite3_stmt *st = stmt(db, SURVEY_STMT_ANSWERS_LOAD);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, response_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		answers_add(a, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int(st, 1),
		            (const char *)sqlite3_column_text(st, 2));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_error(db, survey_sql[SURVEY_STMT_ANSWERS_LOAD]);
		return -1;
	}
	return 0;
}

int
survey_store_answers_save(struct db *db, long long response_id, int expected_revision,
                          const struct answers *a, int section)
{
	bool own = sqlite3_get_autocommit(db->h);
	if (own && db_begin(db) != 0)
		return -1;
	/* The revision first: when someone else saved meanwhile, nothing is written. */
	sqlite3_stmt *st = stmt(db, SURVEY_STMT_REVISION_BUMP);
	if (st == NULL)
		goto fail;
	sqlite3_bind_int(st, 1, section);
	sqlite3_bind_int64(st, 2, response_id);
	sqlite3_bind_int(st, 3, expected_revision);
	int rc = sqlite3_step(st);
	int revision = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_error(db, survey_sql[SURVEY_STMT_REVISION_BUMP]);
		goto fail;
	}
	if (revision == 0) { /* a conflict, not an error */
		if (own)
			db_rollback(db);
		return 0;
	}
	st = stmt(db, SURVEY_STMT_ANSWERS_DELETE);
	if (st == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, response_id);
	if (done(db, st, SURVEY_STMT_ANSWERS_DELETE) != 0)
		goto fail;
	for (size_t i = 0; i < a->n; i++) {
		st = stmt(db, SURVEY_STMT_ANSWER_INSERT);
		if (st == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, response_id);
		db_bind_text(st, 2, a->rows[i].key);
		sqlite3_bind_int(st, 3, a->rows[i].position);
		db_bind_text(st, 4, a->rows[i].value);
		if (done(db, st, SURVEY_STMT_ANSWER_INSERT) != 0)
			goto fail;
	}
	if (own && db_commit(db) != 0)
		return -1;
	return revision;
fail:
	if (own)
		db_rollback(db);
	return -1;
}

int
survey_store_submit(struct db *db, long long response_id, const struct answers *a)
{
	/* The version is kept whole, as JSON: [[key, position, value], ...]. */
	json_t *arr = json_array();
	for (size_t i = 0; i < a->n; i++)
		json_array_append_new(arr, json_pack("[sis]", a->rows[i].key, a->rows[i].position,
		                                     a->rows[i].value));
	char *text = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	if (text == NULL)
		return -1;
	int rc = -1;
	sqlite3_stmt *st = stmt(db, SURVEY_STMT_SUBMIT);
	if (st) {
		sqlite3_bind_int64(st, 1, response_id);
		rc = done(db, st, SURVEY_STMT_SUBMIT);
	}
	if (rc == 0 && (st = stmt(db, SURVEY_STMT_VERSION_INSERT)) != NULL) {
		sqlite3_bind_int64(st, 1, response_id);
		db_bind_text(st, 2, text);
		rc = done(db, st, SURVEY_STMT_VERSION_INSERT);
	}
	free(text);
	return rc;
}

static int
set_flag(struct db *db, enum survey_stmt s, long long id, long long v, bool with_value)
{
	sqlite3_stmt *st = stmt(db, s);
	if (st == NULL)
		return -1;
	if (with_value) {
		sqlite3_bind_int64(st, 1, v);
		sqlite3_bind_int64(st, 2, id);
	} else {
		sqlite3_bind_int64(st, 1, id);
	}
	return done(db, st, s);
}

int
survey_store_set_locked(struct db *db, long long id, bool locked)
{
	return set_flag(db, SURVEY_STMT_LOCK, id, locked, true);
}

int
survey_store_set_link_mailed(struct db *db, long long id)
{
	return set_flag(db, SURVEY_STMT_LINK_MAILED, id, 0, false);
}

int
survey_store_set_partner(struct db *db, long long id, long long partner_of)
{
	return set_flag(db, SURVEY_STMT_PARTNER, id, partner_of, true);
}

int
survey_store_consent(struct db *db, long long response_id, const char *use, bool given,
                     const char *notice_version)
{
	sqlite3_stmt *st = stmt(db, SURVEY_STMT_CONSENT);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, response_id);
	db_bind_text(st, 2, use);
	sqlite3_bind_int(st, 3, given);
	db_bind_text(st, 4, notice_version);
	return done(db, st, SURVEY_STMT_CONSENT);
}

int
survey_store_version_count(struct db *db, long long response_id)
{
	sqlite3_stmt *st = stmt(db, SURVEY_STMT_VERSION_COUNT);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, response_id);
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}

long long
survey_store_partner_response(struct db *db, long long id)
{
	sqlite3_stmt *st = stmt(db, SURVEY_STMT_PARTNER_OF);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	long long pid = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_error(db, survey_sql[SURVEY_STMT_PARTNER_OF]);
		return -1;
	}
	return pid;
}

int
survey_store_last_version(struct db *db, long long response_id, struct answers *a)
{
	sqlite3_stmt *st = stmt(db, SURVEY_STMT_LAST_VERSION);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, response_id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return 0;
		db_error(db, survey_sql[SURVEY_STMT_LAST_VERSION]);
		return -1;
	}
	json_error_t jerr;
	json_t *arr = json_loads((const char *)sqlite3_column_text(st, 0), 0, &jerr);
	sqlite3_reset(st);
	if (!json_is_array(arr)) {
		json_decref(arr);
		return -1;
	}
	size_t i;
	json_t *row;
	json_array_foreach(arr, i, row) {
		const char *key, *value;
		int pos;
		if (json_unpack(row, "[sis]", &key, &pos, &value) == 0)
			answers_add(a, key, pos, value);
	}
	json_decref(arr);
	return 1;
}
