/* orgs_store.c - SQL of organisations. */
#include <string.h>

#include "db/db.h"
#include "orgs.h"

enum orgs_stmt { ORGS_STMT_INSERT, ORGS_STMT_GET, ORGS_STMT_UPDATE, ORGS_STMT_COUNT, ORGS_STMT__MAX };

static const char *const orgs_sql[ORGS_STMT__MAX] = {
	[ORGS_STMT_INSERT] = "INSERT INTO organisations(name, kind, country, description)"
	                     " VALUES (?, ?, ?, ?)",
	[ORGS_STMT_GET] = "SELECT id, name, kind, country, description, updated_at FROM organisations"
	                  " WHERE id = ?",
	[ORGS_STMT_UPDATE] = "UPDATE organisations SET name = ?, description = ?, updated_at ="
	                     " strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
	[ORGS_STMT_COUNT] = "SELECT count(*) FROM organisations",
};

long long
orgs_store_create(struct db *db, const char *name, const char *kind, const char *country,
                  const char *description)
{
	sqlite3_stmt *st = db_stmt(db, DB_STORE_ORGS, orgs_sql, ORGS_STMT_INSERT);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, country ? country : "");
	db_bind_text(st, 4, description ? description : "");
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_error(db, orgs_sql[ORGS_STMT_INSERT]);
		return -1;
	}
	return sqlite3_last_insert_rowid(db->h);
}

int
orgs_store_get(struct db *db, long long id, struct arena *a, struct org *out)
{
	sqlite3_stmt *st = db_stmt(db, DB_STORE_ORGS, orgs_sql, ORGS_STMT_GET);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->name = db_column_text(a, st, 1);
		out->kind = db_column_text(a, st, 2);
		out->country = db_column_text(a, st, 3);
		out->description = db_column_text(a, st, 4);
		out->updated_at = db_column_text(a, st, 5);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	db_error(db, orgs_sql[ORGS_STMT_GET]);
	return -1;
}

int
orgs_store_update(struct db *db, long long id, const char *name, const char *description)
{
	sqlite3_stmt *st = db_stmt(db, DB_STORE_ORGS, orgs_sql, ORGS_STMT_UPDATE);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, description);
	sqlite3_bind_int64(st, 3, id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_error(db, orgs_sql[ORGS_STMT_UPDATE]);
		return -1;
	}
	return 0;
}

long long
orgs_store_count(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, DB_STORE_ORGS, orgs_sql, ORGS_STMT_COUNT);
	if (st == NULL)
		return -1;
	long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}
