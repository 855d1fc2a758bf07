/* test_db.c - migrations (all or nothing, in order, never backwards), statements, meta store, and
 * the guard against slow work inside a write transaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"
#include "db/meta.h"
#include "db/migrate.h"

static struct db *
mem(void)
{
	char err[256];
	struct db *db = db_open(":memory:", 1000, err, sizeof(err));
	assert_non_null(db);
	return db;
}

static int
count(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static const struct db_migration good[] = {
	{1, "people", "CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT NOT NULL);"},
	{2, "cases",
	 "CREATE TABLE cases(id INTEGER PRIMARY KEY, person INTEGER REFERENCES people(id));"},
	{5, "index", "CREATE INDEX cases_person ON cases(person);"},
};

static void
applies_pending_in_order_once(void **state)
{
	(void)state;
	struct db *db = mem();
	char err[256];
	assert_int_equal(migrate_current(db, err, sizeof(err)), 0);
	assert_int_equal(migrate_apply(db, good, 2, err, sizeof(err)), 2);
	assert_int_equal(migrate_current(db, err, sizeof(err)), 2);
	/* Run again with one more: only the new one is applied. */
	assert_int_equal(migrate_apply(db, good, 3, err, sizeof(err)), 1);
	assert_int_equal(migrate_apply(db, good, 3, err, sizeof(err)), 0);
	assert_int_equal(migrate_current(db, err, sizeof(err)), 5);
	assert_int_equal(
		count(db, "SELECT count(*) FROM sqlite_master WHERE name = 'cases_person'"), 1);
	db_close(db);
}

static void
a_failing_migration_changes_nothing(void **state)
{
	(void)state;
	struct db *db = mem();
	char err[256];
	const struct db_migration broken[] = {
		{1, "ok", "CREATE TABLE a(x);"},
		{2, "typo", "CREATE TABLE b(x); CREAT TABLE c(y);"},
	};
	assert_int_equal(migrate_apply(db, broken, 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "migration 0002 typo"));
	assert_non_null(strstr(err, "syntax error"));
	/* All or nothing: not even the first one stays. */
	assert_int_equal(count(db, "SELECT count(*) FROM sqlite_master WHERE name IN ('a','b')"),
			 0);
	assert_int_equal(migrate_current(db, err, sizeof(err)), 0);
	db_close(db);
}

static void
out_of_order_and_newer_databases_are_refused(void **state)
{
	(void)state;
	struct db *db = mem();
	char err[256];
	const struct db_migration disorder[] = {{2, "b", "SELECT 1;"}, {1, "a", "SELECT 1;"}};
	assert_int_equal(migrate_apply(db, disorder, 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "increase"));
	assert_int_equal(migrate_apply(db, good, 3, err, sizeof(err)), 3);
	assert_int_equal(migrate_apply(db, good, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "newer than this program"));
	db_close(db);
}

static void
project_migrations_apply_to_a_new_database(void **state)
{
	(void)state;
	struct db *db = mem();
	char err[256], v[64];
	assert_true(db_migrations_count >= 1);
	assert_int_equal(migrate_apply(db, db_migrations, db_migrations_count, err, sizeof(err)),
			 (int)db_migrations_count);
	assert_int_equal(meta_store_get(db, "created_at", v, sizeof(v)), 1);
	assert_int_equal(strlen(v), 20); /* 2026-11-27T10:00:00Z */
	assert_int_equal(meta_store_get(db, "nothing", v, sizeof(v)), 0);
	assert_int_equal(meta_store_set(db, "k", "première"), 0);
	assert_int_equal(meta_store_set(db, "k", "seconde"), 0);
	assert_int_equal(meta_store_get(db, "k", v, sizeof(v)), 1);
	assert_string_equal(v, "seconde");
	db_close(db);
}

static void
file_database_uses_wal_and_foreign_keys(void **state)
{
	(void)state;
	char path[] = "/tmp/coexist-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	char err[256];
	struct db *db = db_open(path, 1000, err, sizeof(err));
	assert_non_null(db);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db->h, "PRAGMA journal_mode", -1, &st, NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	assert_int_equal(count(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(count(db, "PRAGMA synchronous"), 2); /* FULL */
	assert_int_equal(migrate_apply(db, good, 2, err, sizeof(err)), 2);
	/* Foreign keys are enforced. */
	assert_int_not_equal(db_exec(db, "INSERT INTO cases(person) VALUES (99)", err, sizeof(err)),
			     0);
	assert_non_null(strstr(err, "FOREIGN KEY"));
	/* A backup is a complete, separate database. */
	db_exec(db, "INSERT INTO people(name) VALUES ('Awa')", err, sizeof(err));
	char copy[300];
	snprintf(copy, sizeof(copy), "%s.copy", path);
	char tmp[320];
	snprintf(tmp, sizeof(tmp), "%s.partial", copy);
	struct db_backup_report rep;
	assert_int_equal(db_backup(db, copy, tmp, &rep, err, sizeof(err)), 0);
	assert_int_equal(access(tmp, F_OK), -1); /* renamed into place */
	assert_true(rep.pages > 0 && rep.bytes == rep.pages * 4096);
	/* An existing file is never replaced, and nothing is left behind. */
	assert_int_equal(db_backup(db, copy, tmp, &rep, err, sizeof(err)), -1);
	assert_int_equal(access(tmp, F_OK), -1);
	struct db *c = db_open(copy, 1000, err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(count(c, "SELECT count(*) FROM people WHERE name = 'Awa'"), 1);
	db_close(c);
	db_close(db);
	char side[320];
	const char *sfx[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(side, sizeof(side), "%s%s", path, sfx[i]);
		unlink(side);
		snprintf(side, sizeof(side), "%s%s", copy, sfx[i]);
		unlink(side);
	}
}

static void
statements_are_cached_and_reset(void **state)
{
	(void)state;
	struct db *db = mem();
	static const char *const sql[] = {"SELECT ?1 + 1"};
	sqlite3_stmt *a = db_stmt(db, DB_STORE_META, sql, 0);
	sqlite3_bind_int(a, 1, 41);
	assert_int_equal(sqlite3_step(a), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(a, 0), 42);
	sqlite3_stmt *b = db_stmt(db, DB_STORE_META, sql, 0);
	assert_ptr_equal(a, b);
	/* Bindings were cleared: NULL + 1 is NULL. */
	assert_int_equal(sqlite3_step(b), SQLITE_ROW);
	assert_int_equal(sqlite3_column_type(b, 0), SQLITE_NULL);
	unsigned long before = db_error_count();
	static const char *const broken[] = {"SELEC nothing"};
	db_close(db);
	struct db *d2 = mem();
	assert_null(db_stmt(d2, DB_STORE_META, broken, 0));
	assert_int_equal(db_error_count(), before + 1);
	db_close(d2);
}

static void
slow_work_is_reported_inside_a_write_transaction_only(void **state)
{
	(void)state;
	struct db *a = mem(), *b = mem();
	unsigned long before = db_slow_work_count();
	assert_false(db_slow_work("argon2id")); /* no transaction: nothing to say */
	assert_int_equal(db_slow_work_count(), before);

	assert_int_equal(db_begin(a), 0);
	assert_true(db_slow_work("argon2id"));
	assert_int_equal(db_slow_work_count(), before + 1);
	assert_int_equal(db_commit(a), 0);
	assert_false(db_slow_work("argon2id"));

	/* Rolled back, even twice (error paths do that): out of the transaction once. */
	assert_int_equal(db_begin(a), 0);
	db_rollback(a);
	db_rollback(a);
	assert_false(db_slow_work("pdf"));

	/* Two connections of one thread: the guard holds until both have ended. */
	assert_int_equal(db_begin(a), 0);
	assert_int_equal(db_begin(b), 0);
	assert_int_equal(db_commit(a), 0);
	assert_true(db_slow_work("xlsx"));
	db_rollback(b);
	assert_false(db_slow_work("xlsx"));

	/* A BEGIN that fails (already in a transaction) does not count twice. */
	assert_int_equal(db_begin(a), 0);
	assert_int_equal(db_begin(a), -1);
	assert_int_equal(db_commit(a), 0);
	assert_false(db_slow_work("analysis"));
	assert_int_equal(db_slow_work_count(), before + 2);
	db_close(a);
	db_close(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(applies_pending_in_order_once),
		cmocka_unit_test(a_failing_migration_changes_nothing),
		cmocka_unit_test(out_of_order_and_newer_databases_are_refused),
		cmocka_unit_test(project_migrations_apply_to_a_new_database),
		cmocka_unit_test(file_database_uses_wal_and_foreign_keys),
		cmocka_unit_test(statements_are_cached_and_reset),
		cmocka_unit_test(slow_work_is_reported_inside_a_write_transaction_only),
	};
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
