/* orgs_store.c - SQL of organisations. */
#include <string.h>

#include "db/db.h"
#include "orgs.h"

enum orgs_stmt {
	ORGS_STMT_INSERT,
	ORGS_STMT_GET,
	ORGS_STMT_UPDATE,
	ORGS_STMT_COUNT,
	ORGS_STMT__MAX
};

static const char *const orgs_sql[ORGS_STMT__MAX] = {
	[ORGS_STMT_INSERT] = "INSERT INTO organisations(name, kind, country, description)"
			     " VALUES (?, ?, ?, ?)",
	[ORGS_STMT_GET] =
		"SELECT id, name, kind, country, description, updated_at FROM organisations"
		" WHERE id = ?",
	[ORGS_STMT_UPDATE] = "UPDATE organisations SET name = ?, description = ?, updated_at = ?"
			     " WHERE id = ?",
	[ORGS_STMT_COUNT] = "SELECT count(*) FROM organisations",
};

const struct db_table orgs_store_table = {DB_STORE_ORGS, "orgs", orgs_sql, ORGS_STMT__MAX};

long long
orgs_store_create(struct db *db, const char *name, const char *kind, const char *country,
		  const char *description)
{
	struct db_stmt *st = db_stmt(db, &orgs_store_table, ORGS_STMT_INSERT);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, country ? country : "");
	db_bind_text(st, 4, description ? description : "");
	long long id = db_insert(st);
	return id > 0 ? id : -1;
}

int
orgs_store_get(struct db *db, long long id, struct arena *a, struct org *out)
{
	struct db_stmt *st = db_stmt(db, &orgs_store_table, ORGS_STMT_GET);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == 1) {
		out->id = db_column_int(st, 0);
		out->name = db_column_text(a, st, 1);
		out->kind = db_column_text(a, st, 2);
		out->country = db_column_text(a, st, 3);
		out->description = db_column_text(a, st, 4);
		out->updated_at = db_column_text(a, st, 5);
		db_reset(st);
	}
	return rc;
}

int
orgs_store_update(struct db *db, long long id, const char *name, const char *description)
{
	struct db_stmt *st = db_stmt(db, &orgs_store_table, ORGS_STMT_UPDATE);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, description);
	db_bind_time(st, 3, time(NULL));
	db_bind_int(st, 4, id);
	return db_run(st) < 0 ? -1 : 0;
}

long long
orgs_store_count(struct db *db)
{
	struct db_stmt *st = db_stmt(db, &orgs_store_table, ORGS_STMT_COUNT);
	return st ? db_one_int(st, -1) : -1;
}
