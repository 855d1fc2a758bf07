/* migrate.c - numbered schema migrations, applied together in one transaction. */
#include "migrate.h"

#include <stdio.h>
#include <string.h>

#include "db.h"

/* The bookkeeping table is made here rather than in a migration: it records migrations. */
static const char create_sql[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
	")";

static int
ensure_table(struct db *db, char *err, size_t errlen)
{
	return db_exec(db, create_sql, err, errlen);
}

int
migrate_current(struct db *db, char *err, size_t errlen)
{
	if (ensure_table(db, err, errlen) != 0)
		return -1;
	struct db_stmt *st =
		db_prepare(db, "SELECT coalesce(max(version), 0) FROM schema_migrations");
	int v = st && db_step(st) == 1 ? (int)db_column_int(st, 0) : -1;
	if (v < 0)
		snprintf(err, errlen, "cannot read schema_migrations (see the log)");
	db_finalize(st);
	return v;
}

static int
check_order(const struct db_migration *list, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		if (list[i].version <= 0 || (i > 0 && list[i].version <= list[i - 1].version)) {
			snprintf(err, errlen, "migration %04d %s: versions must increase strictly",
				 list[i].version, list[i].name);
			return -1;
		}
	}
	return 0;
}

int
migrate_apply(struct db *db, const struct db_migration *list, size_t n, char *err, size_t errlen)
{
	if (check_order(list, n, err, errlen) != 0)
		return -1;
	if (db_begin(db) != 0) {
		snprintf(err, errlen, "cannot start the transaction (see the log)");
		return -1;
	}
	int current = migrate_current(db, err, errlen);
	if (current < 0)
		goto fail;
	if (n > 0 && current > list[n - 1].version) {
		snprintf(err, errlen,
			 "the database is at schema version %d, newer than this program knows (%d)",
			 current, list[n - 1].version);
		goto fail;
	}
	int applied = 0;
	for (size_t i = 0; i < n; i++) {
		if (list[i].version <= current)
			continue;
		char reason[512];
		if (db_exec(db, list[i].sql, reason, sizeof(reason)) != 0) {
			snprintf(err, errlen, "migration %04d %s: %s", list[i].version,
				 list[i].name, reason);
			goto fail;
		}
		struct db_stmt *st = db_prepare(
			db, "INSERT INTO schema_migrations(version, name) VALUES (?, ?)");
		int rc = -1;
		if (st) {
			db_bind_int(st, 1, list[i].version);
			db_bind_text(st, 2, list[i].name);
			rc = db_run(st);
		}
		db_finalize(st);
		if (rc != 1) {
			snprintf(err, errlen, "migration %04d %s: cannot be recorded (see the log)",
				 list[i].version, list[i].name);
			goto fail;
		}
		applied++;
	}
	if (db_commit(db) != 0) {
		snprintf(err, errlen, "the migrations could not be committed (see the log)");
		return -1;
	}
	return applied;
fail:
	db_rollback(db);
	return -1;
}

int
migrate_print_status(struct db *db, const struct db_migration *list, size_t n, void *file,
		     char *err, size_t errlen)
{
	FILE *f = file;
	if (ensure_table(db, err, errlen) != 0)
		return -1;
	/* One statement a migration: they are few, and each is read once. */
	for (size_t i = 0; i < n; i++) {
		struct db_stmt *st = db_prepare(
			db, "SELECT applied_at FROM schema_migrations WHERE version = ?");
		if (st == NULL) {
			snprintf(err, errlen, "cannot read schema_migrations (see the log)");
			return -1;
		}
		db_bind_int(st, 1, list[i].version);
		int rc = db_step(st);
		if (rc == 1)
			fprintf(f, "%04d  %-28s applied %s\n", list[i].version, list[i].name,
				db_column_peek(st, 0));
		else
			fprintf(f, "%04d  %-28s pending\n", list[i].version, list[i].name);
		db_finalize(st);
		if (rc < 0) {
			snprintf(err, errlen, "cannot read schema_migrations (see the log)");
			return -1;
		}
	}
	return 0;
}
