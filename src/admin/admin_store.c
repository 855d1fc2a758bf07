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

int
admin_store_mail_counts(struct db *db, long long *waiting, long long *failed)
{
	sqlite3_stmt *st = db_stmt(db, DB_STORE_ADMIN, admin_sql, ADMIN_STMT_MAIL_COUNTS);
	if (st == NULL)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*waiting = sqlite3_column_int64(st, 0);
		*failed = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		db_error(db, admin_sql[ADMIN_STMT_MAIL_COUNTS]);
		return -1;
	}
	return 0;
}

int
admin_store_response_counts(struct db *db, long long *submitted, long long *draft)
{
	sqlite3_stmt *st = db_stmt(db, DB_STORE_ADMIN, admin_sql, ADMIN_STMT_RESPONSE_COUNTS);
	if (st == NULL)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*submitted = sqlite3_column_int64(st, 0);
		*draft = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		db_error(db, admin_sql[ADMIN_STMT_RESPONSE_COUNTS]);
		return -1;
	}
	return 0;
}
