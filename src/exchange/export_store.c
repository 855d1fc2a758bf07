/* export_store.c - SQL of exports: every response of a questionnaire with its answers. */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "db/db.h"
#include "export_priv.h"

enum export_stmt {
	EXPORT_STMT_RESPONSES_WITH_ANSWERS,
	EXPORT_STMT_NEWEST_CAMPAIGN,
	EXPORT_STMT__MAX
};

static const char *const export_sql[EXPORT_STMT__MAX] = {
	/* One statement for responses and answers: one snapshot, even while people save. A
	 * response without answers comes once, with NULL answer columns. */
	[EXPORT_STMT_RESPONSES_WITH_ANSWERS] =
		"SELECT r.id, c.slug, r.status = 'submitted', r.locked, r.created_at, r.updated_at,"
		" coalesce(r.submitted_at, ''), coalesce(r.partner_of, 0),"
		" a.question_key, a.position, a.value"
		" FROM responses r JOIN campaigns c ON c.id = r.campaign_id"
		" LEFT JOIN answers a ON a.response_id = r.id"
		" WHERE c.questionnaire = ? AND c.version = ?"
		" ORDER BY r.id, a.question_key, a.position",
	[EXPORT_STMT_NEWEST_CAMPAIGN] =
		"SELECT id FROM campaigns ORDER BY created_at DESC, id DESC LIMIT 1",
};

const struct db_table export_store_table = {DB_STORE_EXPORT, "export", export_sql,
					    EXPORT_STMT__MAX};

static struct db_stmt *
stmt(struct db *db, enum export_stmt s)
{
	return db_stmt(db, &export_store_table, s);
}

static void
read_response(struct arena *a, struct db_stmt *st, struct export_response *r)
{
	memset(r, 0, sizeof(*r));
	r->id = db_column_int(st, 0);
	r->campaign = db_column_text(a, st, 1);
	r->submitted = db_column_int(st, 2);
	r->locked = db_column_int(st, 3);
	r->created_at = db_column_text(a, st, 4);
	r->updated_at = db_column_text(a, st, 5);
	r->submitted_at = db_column_text(a, st, 6);
	r->partner_of = db_column_int(st, 7);
}

long
export_store_each(struct db *db, const char *key, int version, export_row_fn fn, void *ctx)
{
	struct db_stmt *st = stmt(db, EXPORT_STMT_RESPONSES_WITH_ANSWERS);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, version);
	/* One response and its answers at a time: memory stays that of the largest response. */
	struct arena ar;
	arena_init(&ar, 16384);
	struct export_response cur;
	struct answers a;
	answers_init(&a, &ar);
	long n = 0;
	bool have = false, stopped = false;
	int rc;
	while ((rc = db_step(st)) == 1) {
		long long id = db_column_int(st, 0);
		if (have && id != cur.id) {
			n++;
			if (fn(ctx, &cur, &a) != 0) {
				stopped = true;
				db_reset(st);
				break;
			}
			arena_free(&ar);
			answers_init(&a, &ar);
			have = false;
		}
		if (!have) {
			read_response(&ar, st, &cur);
			have = true;
		}
		if (!db_column_null(st, 8))
			answers_add(&a, db_column_peek(st, 8), (int)db_column_int(st, 9),
				    db_column_peek(st, 10));
	}
	if (rc < 0)
		stopped = true;
	if (!stopped && have) {
		n++;
		stopped = fn(ctx, &cur, &a) != 0;
	}
	arena_free(&ar);
	return stopped ? -1 : n;
}

long long
export_store_newest_campaign(struct db *db)
{
	struct db_stmt *st = stmt(db, EXPORT_STMT_NEWEST_CAMPAIGN);
	if (st == NULL)
		return -1;
	return db_one_int(st, 0);
}
