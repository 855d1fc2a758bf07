/* admin_store.c - SQL of the dashboard's figures that belong to no other store. */
#include "admin.h"
#include "db/db.h"

enum admin_stmt { ADMIN_STMT_MAIL_COUNTS, ADMIN_STMT_RESPONSE_COUNTS, ADMIN_STMT__MAX };

static const char *const admin_sql[ADMIN_STMT__MAX] = {
	[ADMIN_STMT_MAIL_COUNTS] = "SELECT count(*) FILTER (WHERE attempts < 10),"
				   " count(*) FILTER (WHERE attempts >= 10)"
				   " FROM outbox WHERE sent_at IS NULL",
	[ADMIN_STMT_RESPONSE_COUNTS] = "SELECT count(*) FILTER (WHERE status = 'submitted'),"
				       " count(*) FILTER (WHERE status = 'draft') FROM responses",
};

const struct db_table admin_store_table = {DB_STORE_ADMIN, "admin", admin_sql, ADMIN_STMT__MAX};

/* Runs one of the statements giving two counts. 0, or -1 (logged). */
static int
two_counts(struct db *db, enum admin_stmt s, long long *a, long long *b)
{
	struct db_stmt *st = db_stmt(db, &admin_store_table, s);
	if (st == NULL || db_step(st) != 1)
		return -1; /* an aggregate always gives its row */
	*a = db_column_int(st, 0);
	*b = db_column_int(st, 1);
	db_reset(st);
	return 0;
}

int
admin_store_mail_counts(struct db *db, long long *waiting, long long *failed)
{
	return two_counts(db, ADMIN_STMT_MAIL_COUNTS, waiting, failed);
}

int
admin_store_response_counts(struct db *db, long long *submitted, long long *draft)
{
	return two_counts(db, ADMIN_STMT_RESPONSE_COUNTS, submitted, draft);
}
