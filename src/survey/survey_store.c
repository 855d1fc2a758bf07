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

#define CAMPAIGN_COLS                                                                              \
	"id, slug, questionnaire, version, title_fr, title_en, opens_at, closes_at, contact_name," \
	" contact_email"
#define RESPONSE_COLS                                                                              \
	"id, campaign_id, coalesce(partner_of, 0), status = 'submitted', locked, link_mailed,"     \
	" lang, revision, section, source, created_at, updated_at, coalesce(submitted_at, '')"

static const char *const survey_sql[SURVEY_STMT__MAX] = {
	[SURVEY_STMT_CAMPAIGN_INSERT] =
		"INSERT INTO campaigns(slug, questionnaire, version, title_fr,"
		" title_en, opens_at, closes_at, contact_name, contact_email)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[SURVEY_STMT_CAMPAIGN_BY_SLUG] = "SELECT " CAMPAIGN_COLS " FROM campaigns WHERE slug = ?",
	[SURVEY_STMT_CAMPAIGN_BY_ID] = "SELECT " CAMPAIGN_COLS " FROM campaigns WHERE id = ?",
	[SURVEY_STMT_CAMPAIGN_DATES] = "UPDATE campaigns SET opens_at = ?, closes_at = ?,"
				       " contact_name = ?, contact_email = ? WHERE id = ?",
	[SURVEY_STMT_CAMPAIGN_LIST] =
		"SELECT " CAMPAIGN_COLS " FROM campaigns ORDER BY closes_at DESC",
	[SURVEY_STMT_RESPONSE_INSERT] =
		"INSERT INTO responses(campaign_id, lang, partner_of, source,"
		" created_at, updated_at) VALUES (?1, ?2, nullif(?3, 0), ?4,"
		" ?5, ?5)",
	[SURVEY_STMT_RESPONSE_GET] = "SELECT " RESPONSE_COLS " FROM responses WHERE id = ?",
	[SURVEY_STMT_LINK_INSERT] =
		"INSERT INTO response_links(token_hash, response_id, created_at)"
		" VALUES (?, ?, ?)",
	[SURVEY_STMT_LINK_LOOKUP] = "SELECT response_id FROM response_links WHERE token_hash = ?",
	[SURVEY_STMT_ANSWERS_LOAD] = "SELECT question_key, position, value FROM answers"
				     " WHERE response_id = ? ORDER BY question_key, position",
	[SURVEY_STMT_ANSWERS_DELETE] = "DELETE FROM answers WHERE response_id = ?",
	[SURVEY_STMT_ANSWER_INSERT] =
		"INSERT INTO answers(response_id, question_key, position, value)"
		" VALUES (?, ?, ?, ?) ON CONFLICT (response_id, question_key,"
		" position) DO UPDATE SET value = excluded.value",
	[SURVEY_STMT_REVISION_BUMP] =
		"UPDATE responses SET revision = revision + 1, section = ?,"
		" updated_at = ? WHERE id = ? AND revision = ? RETURNING revision",
	[SURVEY_STMT_SUBMIT] = "UPDATE responses SET status = 'submitted', submitted_at = ?"
			       " WHERE id = ?",
	[SURVEY_STMT_VERSION_INSERT] =
		"INSERT INTO response_versions(response_id, version, answers,"
		" submitted_at) SELECT ?1, coalesce(max(version), 0) + 1, ?2, ?3"
		" FROM response_versions WHERE response_id = ?1",
	[SURVEY_STMT_VERSION_COUNT] =
		"SELECT count(*) FROM response_versions WHERE response_id = ?",
	[SURVEY_STMT_LOCK] = "UPDATE responses SET locked = ? WHERE id = ?",
	[SURVEY_STMT_LINK_MAILED] = "UPDATE responses SET link_mailed = 1 WHERE id = ?",
	[SURVEY_STMT_PARTNER] = "UPDATE responses SET partner_of = nullif(?, 0) WHERE id = ?",
	[SURVEY_STMT_LAST_VERSION] = "SELECT answers FROM response_versions WHERE response_id = ?"
				     " ORDER BY version DESC LIMIT 1",
	[SURVEY_STMT_PARTNER_OF] =
		"SELECT id FROM responses WHERE partner_of = ? ORDER BY id LIMIT 1",
	[SURVEY_STMT_CONSENT] =
		"INSERT INTO consents(response_id, use, given, notice_version, at)"
		" VALUES (?, ?, ?, ?, ?) ON CONFLICT(response_id, use) DO UPDATE SET"
		" given = excluded.given, notice_version = excluded.notice_version,"
		" at = excluded.at"
		" WHERE given <> excluded.given OR notice_version <> excluded.notice_version",
};

const struct db_table survey_store_table = {DB_STORE_SURVEY, "survey", survey_sql,
					    SURVEY_STMT__MAX};

static struct db_stmt *
stmt(struct db *db, enum survey_stmt s)
{
	return db_stmt(db, &survey_store_table, s);
}

/* Steps a statement expected to finish without rows. 0 or -1 (logged). */
static int
done(struct db_stmt *st)
{
	return db_run(st) < 0 ? -1 : 0;
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
	struct db_stmt *st = stmt(db, SURVEY_STMT_CAMPAIGN_INSERT);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, c->slug);
	db_bind_text(st, 2, c->questionnaire);
	db_bind_int(st, 3, c->version);
	db_bind_text(st, 4, c->title_fr);
	db_bind_text(st, 5, c->title_en);
	db_bind_text(st, 6, c->opens_at);
	db_bind_text(st, 7, c->closes_at);
	db_bind_text(st, 8, c->contact_name ? c->contact_name : "");
	db_bind_text(st, 9, c->contact_email ? c->contact_email : "");
	return db_insert(st); /* 0: the slug is taken */
}

static void
read_campaign(struct arena *a, struct db_stmt *st, struct campaign *c)
{
	memset(c, 0, sizeof(*c));
	c->id = db_column_int(st, 0);
	c->slug = db_column_text(a, st, 1);
	c->questionnaire = db_column_text(a, st, 2);
	c->version = (int)db_column_int(st, 3);
	c->title_fr = db_column_text(a, st, 4);
	c->title_en = db_column_text(a, st, 5);
	c->opens_at = db_column_text(a, st, 6);
	c->closes_at = db_column_text(a, st, 7);
	c->contact_name = db_column_text(a, st, 8);
	c->contact_email = db_column_text(a, st, 9);
}

static int
campaign_one(struct db_stmt *st, struct arena *a, struct campaign *out)
{
	int rc = db_step(st);
	if (rc == 1) {
		read_campaign(a, st, out);
		db_reset(st);
	}
	return rc;
}

int
survey_store_campaign_by_slug(struct db *db, const char *slug, struct arena *a,
			      struct campaign *out)
{
	struct db_stmt *st = stmt(db, SURVEY_STMT_CAMPAIGN_BY_SLUG);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, slug);
	return campaign_one(st, a, out);
}

int
survey_store_campaign_get(struct db *db, long long id, struct arena *a, struct campaign *out)
{
	struct db_stmt *st = stmt(db, SURVEY_STMT_CAMPAIGN_BY_ID);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	return campaign_one(st, a, out);
}

int
survey_store_campaign_update(struct db *db, long long id, const char *opens, const char *closes,
			     const char *contact_name, const char *contact_email)
{
	struct db_stmt *st = stmt(db, SURVEY_STMT_CAMPAIGN_DATES);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, opens);
	db_bind_text(st, 2, closes);
	db_bind_text(st, 3, contact_name);
	db_bind_text(st, 4, contact_email);
	db_bind_int(st, 5, id);
	return done(st);
}

int
survey_store_campaign_list(struct db *db, struct arena *a,
			   void (*fn)(void *ctx, const struct campaign *c), void *ctx)
{
	struct db_stmt *st = stmt(db, SURVEY_STMT_CAMPAIGN_LIST);
	if (st == NULL)
		return -1;
	struct campaign c;
	int rc, n = 0;
	while ((rc = db_step(st)) == 1) {
		read_campaign(a, st, &c);
		fn(ctx, &c);
		n++;
	}
	return rc < 0 ? -1 : n;
}

long long
survey_store_response_create(struct db *db, long long campaign_id, const char *lang,
			     long long partner_of, const char *source)
{
	struct db_stmt *st = stmt(db, SURVEY_STMT_RESPONSE_INSERT);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, campaign_id);
	db_bind_text(st, 2, lang && strcmp(lang, "en") == 0 ? "en" : "fr");
	db_bind_int(st, 3, partner_of);
	db_bind_text(st, 4, source);
	db_bind_time(st, 5, time(NULL));
	long long id = db_insert(st);
	return id > 0 ? id : -1;
}

int
survey_store_response_get(struct db *db, long long id, struct arena *a, struct response *out)
{
	struct db_stmt *st = stmt(db, SURVEY_STMT_RESPONSE_GET);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == 1) {
		memset(out, 0, sizeof(*out));
		out->id = db_column_int(st, 0);
		out->campaign_id = db_column_int(st, 1);
		out->partner_of = db_column_int(st, 2);
		out->submitted = db_column_int(st, 3);
		out->locked = db_column_int(st, 4);
		out->link_mailed = db_column_int(st, 5);
		out->lang = db_column_text(a, st, 6);
		out->revision = (int)db_column_int(st, 7);
		out->section = (int)db_column_int(st, 8);
		out->source = db_column_text(a, st, 9);
		out->created_at = db_column_text(a, st, 10);
		out->updated_at = db_column_text(a, st, 11);
		out->submitted_at = db_column_text(a, st, 12);
		db_reset(st);
	}
	return rc;
}

int
survey_store_link_create(struct db *db, long long response_id, time_t now, char token[44])
{
	unsigned char hash[32];
	token_new(token);
	token_hash(token, hash);
	struct db_stmt *st = stmt(db, SURVEY_STMT_LINK_INSERT);
	if (st == NULL)
		return -1;
	db_bind_blob(st, 1, hash, sizeof(hash));
	db_bind_int(st, 2, response_id);
	db_bind_time(st, 3, now);
	return done(st);
}

long long
survey_store_link_lookup(struct db *db, const char *token)
{
	if (!token_well_formed(token))
		return 0;
	unsigned char hash[32];
	token_hash(token, hash);
	struct db_stmt *st = stmt(db, SURVEY_STMT_LINK_LOOKUP);
	if (st == NULL)
		return -1;
	db_bind_blob(st, 1, hash, sizeof(hash));
	return db_one_int(st, 0);
}

int
survey_store_answers_load(struct db *db, long long response_id, struct answers *a)
{
	struct db_stmt *st = stmt(db, SURVEY_STMT_ANSWERS_LOAD);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, response_id);
	int rc;
	while ((rc = db_step(st)) == 1)
		answers_add(a, db_column_peek(st, 0), (int)db_column_int(st, 1),
			    db_column_peek(st, 2));
	return rc < 0 ? -1 : 0;
}

/* The writes of a save, in the transaction survey_store_answers_save opened: the revision
 * first (when someone else saved meanwhile nothing is written: 0), then the answers. Returns
 * the new revision, 0 on a conflict, -1 on an error. */
static int
save_rows(struct db *db, long long response_id, int expected_revision, const struct answers *a,
	  int section)
{
	struct db_stmt *st = stmt(db, SURVEY_STMT_REVISION_BUMP);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, section);
	db_bind_time(st, 2, time(NULL));
	db_bind_int(st, 3, response_id);
	db_bind_int(st, 4, expected_revision);
	int revision = (int)db_one_int(st, 0); /* the new revision, from RETURNING */
	if (revision <= 0)
		return revision; /* 0: a conflict, not an error */
	if ((st = stmt(db, SURVEY_STMT_ANSWERS_DELETE)) == NULL)
		return -1;
	db_bind_int(st, 1, response_id);
	if (done(st) != 0)
		return -1;
	for (size_t i = 0; i < a->n; i++) {
		if ((st = stmt(db, SURVEY_STMT_ANSWER_INSERT)) == NULL)
			return -1;
		db_bind_int(st, 1, response_id);
		db_bind_text(st, 2, a->rows[i].key);
		db_bind_int(st, 3, a->rows[i].position);
		db_bind_text(st, 4, a->rows[i].value);
		if (done(st) != 0)
			return -1;
	}
	return revision;
}

int
survey_store_answers_save(struct db *db, long long response_id, int expected_revision,
			  const struct answers *a, int section)
{
	/* A transaction of its own, or a savepoint within the caller's. */
	if (db_begin(db) != 0)
		return -1;
	int revision = save_rows(db, response_id, expected_revision, a, section);
	if (revision <= 0) {
		db_rollback(db);
		return revision;
	}
	return db_commit(db) == 0 ? revision : -1;
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
	time_t now = time(NULL);
	int rc = -1;
	struct db_stmt *st = stmt(db, SURVEY_STMT_SUBMIT);
	if (st) {
		db_bind_time(st, 1, now);
		db_bind_int(st, 2, response_id);
		rc = done(st);
	}
	if (rc == 0 && (st = stmt(db, SURVEY_STMT_VERSION_INSERT)) != NULL) {
		db_bind_int(st, 1, response_id);
		db_bind_text(st, 2, text);
		db_bind_time(st, 3, now);
		rc = done(st);
	}
	free(text);
	return rc;
}

static int
set_flag(struct db *db, enum survey_stmt s, long long id, long long v, bool with_value)
{
	struct db_stmt *st = stmt(db, s);
	if (st == NULL)
		return -1;
	if (with_value) {
		db_bind_int(st, 1, v);
		db_bind_int(st, 2, id);
	} else {
		db_bind_int(st, 1, id);
	}
	return done(st);
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
	struct db_stmt *st = stmt(db, SURVEY_STMT_CONSENT);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, response_id);
	db_bind_text(st, 2, use);
	db_bind_int(st, 3, given);
	db_bind_text(st, 4, notice_version);
	db_bind_time(st, 5, time(NULL));
	return done(st);
}

int
survey_store_version_count(struct db *db, long long response_id)
{
	struct db_stmt *st = stmt(db, SURVEY_STMT_VERSION_COUNT);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, response_id);
	return (int)db_one_int(st, -1);
}

long long
survey_store_partner_response(struct db *db, long long id)
{
	struct db_stmt *st = stmt(db, SURVEY_STMT_PARTNER_OF);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	return db_one_int(st, 0);
}

int
survey_store_last_version(struct db *db, long long response_id, struct answers *a)
{
	struct db_stmt *st = stmt(db, SURVEY_STMT_LAST_VERSION);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, response_id);
	int rc = db_step(st);
	if (rc != 1)
		return rc;
	json_error_t jerr;
	json_t *arr = json_loads(db_column_peek(st, 0), 0, &jerr);
	db_reset(st);
	if (!json_is_array(arr)) {
		json_decref(arr);
		return -1;
	}
	size_t i;
	json_t *row;
	json_array_foreach(arr, i, row)
	{
		const char *key, *value;
		int pos;
		if (json_unpack(row, "[sis]", &key, &pos, &value) == 0)
			answers_add(a, key, pos, value);
	}
	json_decref(arr);
	return 1;
}
