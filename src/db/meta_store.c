/* meta_store.c - SQL of the meta table. */
#include "meta.h"

#include <stdio.h>

#include "db.h"

enum meta_stmt { META_STMT_GET, META_STMT_SET, META_STMT__MAX };

static const char *const meta_sql[META_STMT__MAX] = {
	[META_STMT_GET] = "SELECT value FROM meta WHERE key = ?",
	[META_STMT_SET] = "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE"
			  " SET value = excluded.value,"
			  " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')",
};

int
meta_store_get(struct db *db, const char *key, char *out, size_t outlen)
{
	sqlite3_stmt *st = db_stmt(db, DB_STORE_META, meta_sql, META_STMT_GET);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	db_error(db, meta_sql[META_STMT_GET]);
	return -1;
}

int
meta_store_set(struct db *db, const char *key, const char *value)
{
	sqlite3_stmt *st = db_stmt(db, DB_STORE_META, meta_sql, META_STMT_SET);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, key);
	db_bind_text(st, 2, value);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_error(db, meta_sql[META_STMT_SET]);
		return -1;
	}
	return 0;
}
