/* meta_store.c - SQL of the meta table. */
#include "meta.h"

#include <stdio.h>

#include "db.h"

enum meta_stmt { META_STMT_GET, META_STMT_SET, META_STMT__MAX };

static const char *const meta_sql[META_STMT__MAX] = {
	[META_STMT_GET] = "SELECT value FROM meta WHERE key = ?",
	[META_STMT_SET] = "INSERT INTO meta(key, value, updated_at) VALUES (?, ?, ?)"
			  " ON CONFLICT(key) DO UPDATE"
			  " SET value = excluded.value, updated_at = excluded.updated_at",
};

const struct db_table meta_store_table = {DB_STORE_META, "meta", meta_sql, META_STMT__MAX};

int
meta_store_get(struct db *db, const char *key, char *out, size_t outlen)
{
	struct db_stmt *st = db_stmt(db, &meta_store_table, META_STMT_GET);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, key);
	int rc = db_step(st);
	if (rc == 1) {
		snprintf(out, outlen, "%s", db_column_peek(st, 0));
		db_reset(st);
	}
	return rc;
}

int
meta_store_set(struct db *db, const char *key, const char *value)
{
	struct db_stmt *st = db_stmt(db, &meta_store_table, META_STMT_SET);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, key);
	db_bind_text(st, 2, value);
	db_bind_time(st, 3, time(NULL));
	return db_run(st) < 0 ? -1 : 0;
}
