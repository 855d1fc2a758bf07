/* responses_store.c - SQL of the coordinators' lists of responses and of their notes. */
#include <string.h>

#include "db/db.h"
#include "questionnaire/qdef.h"
#include "responses.h"

enum responses_stmt {
	RESPONSES_STMT_LIST,
	RESPONSES_STMT_NOTE_INSERT,
	RESPONSES_STMT_NOTES,
	RESPONSES_STMT__MAX
};

static const char *const responses_sql[RESPONSES_STMT__MAX] = {
	/* Every filter is a parameter that may be NULL: one fixed statement, nothing assembled.
	 * The answers shown and filtered on are found by role in each campaign's questionnaire:
	 * ?9 is the roles map (qdef_roles_json), ?10 to ?13 the roles org_name, title, sectors
	 * and countries. */
	[RESPONSES_STMT_LIST] =
		"WITH roles(questionnaire, version, role, question_key) AS MATERIALIZED ("
		"  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?9))"
		" SELECT r.id, coalesce(r.partner_of, 0), r.status = 'submitted', r.locked, c.slug,"
		" coalesce((SELECT a.value FROM answers a"
		"   JOIN roles k ON k.question_key = a.question_key WHERE a.response_id = r.id"
		"   AND k.questionnaire = c.questionnaire AND k.version = c.version"
		"   AND k.role = ?10), ''),"
		" coalesce((SELECT a.value FROM answers a"
		"   JOIN roles k ON k.question_key = a.question_key WHERE a.response_id = r.id"
		"   AND k.questionnaire = c.questionnaire AND k.version = c.version"
		"   AND k.role = ?11), ''),"
		" r.created_at, r.updated_at"
		" FROM responses r JOIN campaigns c ON c.id = r.campaign_id"
		" WHERE r.id < ?1"
		" AND (?2 IS NULL OR r.status = ?2)"
		" AND (?3 IS NULL OR r.campaign_id = ?3)"
		" AND (?4 IS NULL OR EXISTS (SELECT 1 FROM answers a JOIN roles k"
		"      ON k.question_key = a.question_key WHERE a.response_id = r.id"
		"      AND k.questionnaire = c.questionnaire AND k.version = c.version"
		"      AND k.role = ?12 AND a.value = ?4))"
		" AND (?5 IS NULL OR EXISTS (SELECT 1 FROM answers a JOIN roles k"
		"      ON k.question_key = a.question_key WHERE a.response_id = r.id"
		"      AND k.questionnaire = c.questionnaire AND k.version = c.version"
		"      AND k.role = ?13 AND a.value = ?5))"
		" AND (?6 IS NULL OR r.updated_at >= ?6)"
		" AND (?7 IS NULL OR r.updated_at < ?7)"
		" ORDER BY r.id DESC LIMIT ?8",
	[RESPONSES_STMT_NOTE_INSERT] = "INSERT INTO response_notes(response_id, author_id, body,"
				       " created_at) VALUES (?, ?, ?, ?)",
	[RESPONSES_STMT_NOTES] = "SELECT n.id, coalesce(u.email, ''), n.body, n.created_at"
				 " FROM response_notes n LEFT JOIN users u ON u.id = n.author_id"
				 " WHERE n.response_id = ? ORDER BY n.id",
};

const struct db_table responses_store_table = {DB_STORE_RESPONSES, "responses", responses_sql,
					       RESPONSES_STMT__MAX};

int
responses_store_list(struct db *db, const char *roles, const struct response_filter *f,
		     long long before, int limit, struct arena *a,
		     void (*fn)(void *ctx, const struct response_row *row), void *ctx)
{
	struct db_stmt *st = db_stmt(db, &responses_store_table, RESPONSES_STMT_LIST);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, before > 0 ? before : (long long)1 << 62);
	db_bind_text(st, 2, f->status);
	if (f->campaign > 0)
		db_bind_int(st, 3, f->campaign);
	db_bind_text(st, 4, f->sector);
	db_bind_text(st, 5, f->country);
	db_bind_text(st, 6, f->from);
	db_bind_text(st, 7, f->to);
	db_bind_int(st, 8, limit);
	db_bind_text(st, 9, roles);
	db_bind_int(st, 10, QR_ORG_NAME);
	db_bind_int(st, 11, QR_TITLE);
	db_bind_int(st, 12, QR_SECTORS);
	db_bind_int(st, 13, QR_COUNTRIES);
	struct response_row row;
	int n = 0, rc;
	while ((rc = db_step(st)) == 1) {
		memset(&row, 0, sizeof(row));
		row.id = db_column_int(st, 0);
		row.partner_of = db_column_int(st, 1);
		row.submitted = db_column_int(st, 2);
		row.locked = db_column_int(st, 3);
		row.campaign = db_column_text(a, st, 4);
		row.org_name = db_column_text(a, st, 5);
		row.title = db_column_text(a, st, 6);
		row.created_at = db_column_text(a, st, 7);
		row.updated_at = db_column_text(a, st, 8);
		fn(ctx, &row);
		n++;
	}
	return rc < 0 ? -1 : n;
}

int
responses_store_note_add(struct db *db, long long response_id, long long author_id,
			 const char *body)
{
	struct db_stmt *st = db_stmt(db, &responses_store_table, RESPONSES_STMT_NOTE_INSERT);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, response_id);
	db_bind_int(st, 2, author_id);
	db_bind_text(st, 3, body);
	db_bind_time(st, 4, time(NULL));
	return db_run(st) < 0 ? -1 : 0;
}

int
responses_store_notes(struct db *db, long long response_id, struct arena *a,
		      void (*fn)(void *ctx, const struct response_note *n), void *ctx)
{
	struct db_stmt *st = db_stmt(db, &responses_store_table, RESPONSES_STMT_NOTES);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, response_id);
	struct response_note n;
	int count = 0, rc;
	while ((rc = db_step(st)) == 1) {
		memset(&n, 0, sizeof(n));
		n.id = db_column_int(st, 0);
		n.author = db_column_text(a, st, 1);
		n.body = db_column_text(a, st, 2);
		n.created_at = db_column_text(a, st, 3);
		fn(ctx, &n);
		count++;
	}
	return rc < 0 ? -1 : count;
}
