/* test_db.c - the data layer: migrations (all or nothing, in order, never backwards), cached
 * statements and their step/row/error helper, the abort on a statement taken again while in
 * use, nested transactions and the guard against slow work inside one, times, the full-text
 * hooks, the meta store, and the query plan of every statement of every store. */
#include <ctype.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "cases/search.h"
#include "db/db.h"
#include "db/meta.h"
#include "db/migrate.h"
#include "db_query.h"

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
	return (int)query_int(db, sql);
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
	search_init(); /* the migrations make the search index, with its tokenizer */
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
	struct db_stmt *st = db_prepare(db, "PRAGMA journal_mode");
	assert_int_equal(db_step(st), 1);
	assert_string_equal(db_column_peek(st, 0), "wal");
	db_finalize(st);
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

/* A statement table of the test's own, in a slot no other statement of its connections uses. */
static const char *const test_sql[] = {
	"SELECT ?1 + 1",
	"SELECT value FROM (SELECT 1 AS value UNION ALL SELECT 2 UNION ALL SELECT 3) ORDER BY "
	"value",
	"SELEC nothing",
	"CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT UNIQUE, at TEXT)",
	"INSERT INTO t(name, at) VALUES (?, ?)",
	"UPDATE t SET name = name || '!' WHERE id > ?",
	"SELECT name, at, id FROM t WHERE id = ?",
	"SELECT CAST(x'FF' AS TEXT)",
};
enum {
	T_PLUS_ONE,
	T_THREE_ROWS,
	T_BROKEN,
	T_CREATE,
	T_INSERT,
	T_UPDATE,
	T_GET,
	T_BAD_UTF8,
	T__MAX
};
static const struct db_table test_table = {DB_STORE_META, "test", test_sql, T__MAX};

static void
statements_are_cached_and_reset(void **state)
{
	(void)state;
	struct db *db = mem();
	struct db_stmt *a = db_stmt(db, &test_table, T_PLUS_ONE);
	db_bind_int(a, 1, 41);
	assert_int_equal(db_step(a), 1);
	assert_int_equal(db_column_int(a, 0), 42);
	db_reset(a);
	struct db_stmt *b = db_stmt(db, &test_table, T_PLUS_ONE);
	assert_ptr_equal(a, b);
	/* Bindings were cleared: NULL + 1 is NULL. */
	assert_int_equal(db_step(b), 1);
	assert_true(db_column_null(b, 0));
	assert_string_equal(db_column_peek(b, 0), "");
	assert_int_equal(db_step(b), 0); /* the last row: the use has ended */
	unsigned long before = db_error_count();
	assert_null(db_stmt(db, &test_table, T_BROKEN));
	assert_int_equal(db_error_count(), before + 1);
	db_close(db);
}

static void
step_gives_rows_then_ends_the_use(void **state)
{
	(void)state;
	struct db *db = mem();
	struct arena a;
	arena_init(&a, 256);
	/* Read to the end: 1 for each row, then 0; the statement can be taken again at once. */
	for (int round = 0; round < 2; round++) {
		struct db_stmt *st = db_stmt(db, &test_table, T_THREE_ROWS);
		struct buf seen;
		buf_init(&seen, &a);
		int rc;
		while ((rc = db_step(st)) == 1)
			buf_puts(&seen, db_column_text(&a, st, 0));
		assert_int_equal(rc, 0);
		assert_string_equal(buf_str(&seen), "123");
	}
	/* Stopped after the first row with db_reset: free again too. */
	struct db_stmt *st = db_stmt(db, &test_table, T_THREE_ROWS);
	assert_int_equal(db_step(st), 1);
	db_reset(st);
	st = db_stmt(db, &test_table, T_THREE_ROWS);
	assert_int_equal(db_step(st), 1);
	db_reset(st);
	/* db_run: the rows changed; db_insert: the new id, 0 for a unique value taken. */
	assert_int_equal(db_run(db_stmt(db, &test_table, T_CREATE)), 0);
	for (int i = 0; i < 3; i++) {
		st = db_stmt(db, &test_table, T_INSERT);
		db_bind_text(st, 1, i == 0 ? "Awa" : i == 1 ? "Kofi" : "Awa");
		db_bind_time(st, 2, 1795773600 + i); /* 2026-11-27T10:00:00Z */
		assert_int_equal(db_insert(st), i < 2 ? i + 1 : 0);
	}
	st = db_stmt(db, &test_table, T_UPDATE);
	db_bind_int(st, 1, 0);
	assert_int_equal(db_run(st), 2);
	/* Text copied into the arena, kept after the use ended; a time read back. */
	st = db_stmt(db, &test_table, T_GET);
	db_bind_int(st, 1, 2);
	assert_int_equal(db_step(st), 1);
	const char *name = db_column_text(&a, st, 0);
	assert_string_equal(db_column_peek(st, 1), "2026-11-27T10:00:01Z");
	assert_int_equal(db_column_time(st, 1), 1795773601);
	assert_int_equal(db_column_time(st, 0), 0); /* not a time */
	db_reset(st);
	assert_string_equal(name, "Kofi!");
	/* One number, or what stands for none. */
	st = db_stmt(db, &test_table, T_GET);
	db_bind_int(st, 1, 99);
	assert_int_equal(db_one_int(st, -7), -7);
	st = db_stmt(db, &test_table, T_PLUS_ONE);
	db_bind_int(st, 1, 2);
	assert_int_equal(db_one_int(st, 0), 3);
	st = db_stmt(db, &test_table, T_THREE_ROWS); /* more rows than one: the first, then ended */
	assert_int_equal(db_one_int(st, 0), 1);
	st = db_stmt(db, &test_table, T_THREE_ROWS);
	db_reset(st);
	/* No row: 0, nothing to reset. */
	st = db_stmt(db, &test_table, T_GET);
	db_bind_int(st, 1, 99);
	assert_int_equal(db_step(st), 0);
	/* An error: -1, counted, and the use has ended (the statement can be taken again). */
	unsigned long before = db_error_count();
	for (int i = 0; i < 2; i++)
		assert_int_equal(db_run(db_stmt(db, &test_table, T_CREATE)), -1); /* t exists */
	assert_int_equal(db_error_count(), before + 2);
	/* One-use statements, with the same helper. */
	st = db_prepare(db, "SELECT count(*) FROM t");
	assert_non_null(st);
	assert_int_equal(db_step(st), 1);
	assert_int_equal(db_column_int(st, 0), 2);
	db_finalize(st);
	assert_null(db_prepare(db, "SELEC 1"));
	assert_int_equal(db_error_count(), before + 3);
	assert_true(db_ping(db));
	assert_int_equal(strncmp(db_engine_version(), "SQLite 3.", 9), 0);
	arena_free(&a);
	db_close(db);
}

/* Runs fn in a child process; returns how it ended, with its standard error in err. */
static int
in_child(void (*fn)(void), char *err, size_t errlen)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		fn();
		_exit(0);
	}
	close(fds[1]);
	size_t n = 0;
	ssize_t got;
	while (n + 1 < errlen && (got = read(fds[0], err + n, errlen - 1 - n)) > 0)
		n += (size_t)got;
	err[n] = '\0';
	close(fds[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

/* A loop over the rows of a statement that runs the same statement again inside. */
static void
reenter(void)
{
	struct db *db = mem();
	struct db_stmt *st = db_stmt(db, &test_table, T_THREE_ROWS);
	while (db_step(st) == 1)
		db_stmt(db, &test_table, T_THREE_ROWS); /* would restart the outer loop */
	db_close(db);
}

/* A use that was never ended: the row read, the statement left on it. */
static void
leave_unfinished(void)
{
	struct db *db = mem();
	struct db_stmt *st = db_stmt(db, &test_table, T_THREE_ROWS);
	assert_int_equal(db_step(st), 1);
	db_stmt(db, &test_table, T_THREE_ROWS);
	db_close(db);
}

/* Columns read after the last row, where SQLite would give whatever is left. */
static void
read_after_the_end(void)
{
	struct db *db = mem();
	struct db_stmt *st = db_stmt(db, &test_table, T_PLUS_ONE);
	while (db_step(st) == 1)
		;
	(void)db_column_int(st, 0);
	db_close(db);
}

static void
a_statement_taken_again_while_in_use_aborts(void **state)
{
	(void)state;
	char err[2048];
	void (*cases[])(void) = {reenter, leave_unfinished, read_after_the_end};
	const char *says[] = {"taken again while still in use", "taken again while still in use",
			      "read without a row"};
	for (int i = 0; i < 3; i++) {
		int status = in_child(cases[i], err, sizeof(err));
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), SIGABRT);
		if (strstr(err, says[i]) == NULL || strstr(err, "SELECT") == NULL)
			fail_msg("the message should say what and which statement: %s", err);
	}
	/* The end of a request ends what was left (said in the log), and nothing aborts after. */
	struct db *db = mem();
	struct db_stmt *st = db_stmt(db, &test_table, T_THREE_ROWS);
	assert_int_equal(db_step(st), 1);
	assert_false(db_request_end(db)); /* no transaction was open */
	st = db_stmt(db, &test_table, T_THREE_ROWS);
	assert_int_equal(db_step(st), 1);
	assert_int_equal(db_column_int(st, 0), 1); /* from the first row again */
	db_reset(st);
	db_close(db);
}

static void
transactions_nest_as_savepoints(void **state)
{
	(void)state;
	struct db *db = mem();
	char err[128];
	assert_int_equal(db_exec(db, "CREATE TABLE n(x INTEGER)", err, sizeof(err)), 0);
	assert_false(db_in_transaction(db));
	/* The inner rollback undoes the inner writes only. */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec(db, "INSERT INTO n VALUES (1)", err, sizeof(err)), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec(db, "INSERT INTO n VALUES (2)", err, sizeof(err)), 0);
	db_rollback(db);
	assert_true(db_in_transaction(db));
	assert_int_equal(db_commit(db), 0);
	assert_false(db_in_transaction(db));
	assert_int_equal(count(db, "SELECT group_concat(x) FROM n"), 1);
	/* An inner commit is undone by the outer rollback. */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec(db, "INSERT INTO n VALUES (3)", err, sizeof(err)), 0);
	assert_int_equal(db_commit(db), 0);
	db_rollback(db);
	assert_int_equal(count(db, "SELECT count(*) FROM n"), 1);
	/* Rolling back with nothing open does nothing; a commit with nothing open fails. */
	db_rollback(db);
	assert_int_equal(db_commit(db), -1);
	/* The end of a request rolls back every level left open. */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec(db, "INSERT INTO n VALUES (4)", err, sizeof(err)), 0);
	assert_true(db_request_end(db));
	assert_false(db_in_transaction(db));
	assert_int_equal(count(db, "SELECT count(*) FROM n"), 1);
	db_close(db);
}

static void
times_are_stored_as_iso_8601_utc(void **state)
{
	(void)state;
	char iso[21];
	db_time_format(0, iso);
	assert_string_equal(iso, "1970-01-01T00:00:00Z");
	db_time_format(1795773600, iso);
	assert_string_equal(iso, "2026-11-27T10:00:00Z");
	time_t t;
	assert_true(db_time_parse(iso, &t));
	assert_int_equal(t, 1795773600);
	assert_true(db_time_parse("2024-02-29T23:59:59Z", &t));
	db_time_format(t, iso);
	assert_string_equal(iso, "2024-02-29T23:59:59Z");
	/* Only the stored form: no other zone, no missing part, nothing after. */
	assert_false(db_time_parse("2026-11-27 10:00:00", &t));
	assert_false(db_time_parse("2026-11-27T10:00:00+01:00", &t));
	assert_false(db_time_parse("2026-11-27T10:00Z", &t));
	assert_false(db_time_parse("2026-11-27T10:00:00Zx", &t));
	assert_false(db_time_parse("", &t));
	/* Text order is time order, so that stored times compare in SQL. */
	char a[21], b[21];
	db_time_format(999999999, a); /* 2001 */
	db_time_format(1000000000, b);
	assert_true(strcmp(a, b) < 0);
}

/* A toy tokenizer (words between spaces, lowercased ASCII) and text function. */
static void *
toy_create(void)
{
	static int state;
	return &state;
}

static void
toy_destroy(void *state)
{
	(void)state;
}

static int
toy_tokenize(void *state, const char *text, size_t n, bool all_keys,
	     int (*emit)(void *ctx, const char *key, size_t len, size_t start, size_t end,
			 bool same_place),
	     void *ctx)
{
	(void)state;
	(void)all_keys;
	char low[64];
	for (size_t i = 0; i < n;) {
		while (i < n && text[i] == ' ')
			i++;
		size_t start = i;
		while (i < n && text[i] != ' ' && i - start < sizeof(low))
			low[i - start] = (char)(text[i] | 0x20), i++;
		if (i > start) {
			int rc = emit(ctx, low, i - start, start, i, false);
			if (rc != 0)
				return rc;
		}
	}
	return 0;
}

static void
toy_reverse(const char *s, size_t n, struct buf *out)
{
	for (size_t i = n; i > 0; i--)
		buf_putc(out, s[i - 1]);
}

static void
a_tokenizer_and_a_text_function_reach_every_connection(void **state)
{
	(void)state;
	static const struct db_tokenizer toy = {"toy", toy_create, toy_destroy, toy_tokenize};
	static const struct db_text_function rev = {"toy_reverse", toy_reverse};
	db_text_search_setup(&toy, &rev);
	struct db *db = mem();
	char err[256];
	assert_int_equal(
		db_exec(db,
			"CREATE VIRTUAL TABLE f USING fts5(body, tokenize = 'toy');"
			"INSERT INTO f(rowid, body) VALUES (1, 'Eau POTABLE'), (2, 'soleil')",
			err, sizeof(err)),
		0);
	assert_int_equal(count(db, "SELECT rowid FROM f WHERE f MATCH 'potable'"), 1);
	struct db_stmt *st = db_prepare(db, "SELECT toy_reverse('abc'), toy_reverse(NULL) IS NULL");
	assert_int_equal(db_step(st), 1);
	assert_string_equal(db_column_peek(st, 0), "cba");
	assert_int_equal(db_column_int(st, 1), 1);
	db_finalize(st);
	db_close(db);
	search_init(); /* back to the project's, for the tests after */
	db = mem();
	assert_int_not_equal(db_exec(db, "CREATE VIRTUAL TABLE g USING fts5(b, tokenize = 'toy')",
				     err, sizeof(err)),
			     0);
	db_close(db);
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

	/* A savepoint inside a transaction does not count twice: the lock is the outer one's. */
	assert_int_equal(db_begin(a), 0);
	assert_int_equal(db_begin(a), 0);
	assert_int_equal(db_commit(a), 0);
	assert_true(db_slow_work("analysis"));
	assert_int_equal(db_commit(a), 0);
	assert_false(db_slow_work("analysis"));
	assert_int_equal(db_slow_work_count(), before + 3);
	db_close(a);
	db_close(b);
}

/* The first column of the first row of sql as text, copied into out ("NULL" for SQL NULL). */
static const char *
text_of(struct db *db, const char *sql, char *out, size_t outlen)
{
	struct db_stmt *st = db_prepare(db, sql);
	assert_non_null(st);
	assert_int_equal(db_step(st), 1);
	snprintf(out, outlen, "%s", db_column_null(st, 0) ? "NULL" : db_column_peek(st, 0));
	db_finalize(st);
	return out;
}

static void
unix_times_of_an_older_database_become_iso_text(void **state)
{
	(void)state;
	search_init();
	struct db *db = mem();
	char err[512], v[64];
	size_t before = 0; /* the migrations of a database made before times were one format */
	while (before < db_migrations_count && db_migrations[before].version < 10)
		before++;
	assert_int_equal(migrate_apply(db, db_migrations, before, err, sizeof(err)), (int)before);
	/* 1795773600 is 2026-11-27T10:00:00Z. */
	const char *rows =
		"INSERT INTO users(id, email, password_hash, role, status, signup_mail_at)"
		" VALUES (1, 'a@example.org', 'x', 'member', 'pending', 1795773600),"
		" (2, 'b@example.org', 'x', 'member', 'active', NULL);"
		"INSERT INTO sessions VALUES (x'01', 2, 1795773600, 1795773660);"
		"INSERT INTO one_time_tokens VALUES (x'02', 1, 'confirm', 1795777200, NULL),"
		" (x'03', 2, 'reset', 1795777200, 1795773601);"
		"INSERT INTO signin_attempts(email, ip, at, ok)"
		" VALUES ('b@example.org', '192.0.2.1', 1795773602, 0);"
		"INSERT INTO outbox(to_addr, subject, body, created_at, next_try_at, sent_at)"
		" VALUES ('a@example.org', 's', 'b', 1795773600, 1795773700, NULL),"
		" ('b@example.org', 's', 'b', 1795773600, 1795773600, 1795773603);"
		"INSERT INTO rate_events VALUES ('signup', '192.0.2.1', 1795773604);"
		"INSERT INTO campaigns(id, slug, questionnaire, version, title_fr, title_en, "
		"opens_at,"
		" closes_at) VALUES (1, 'c', 'coexist', 1, 't', 't', '2026-01-01', '2026-12-31');"
		"INSERT INTO responses(id, campaign_id) VALUES (1, 1);"
		"INSERT INTO response_links VALUES (x'04', 1, 1795773605);";
	assert_int_equal(db_exec(db, rows, err, sizeof(err)), 0);
	assert_int_equal(migrate_apply(db, db_migrations, db_migrations_count, err, sizeof(err)),
			 (int)(db_migrations_count - before));
	static const struct {
		const char *sql, *want;
	} checks[] = {
		{"SELECT signup_mail_at FROM users WHERE id = 1", "2026-11-27T10:00:00Z"},
		{"SELECT signup_mail_at FROM users WHERE id = 2", "NULL"},
		{"SELECT created_at || ' ' || last_seen_at FROM sessions",
		 "2026-11-27T10:00:00Z 2026-11-27T10:01:00Z"},
		{"SELECT expires_at FROM one_time_tokens WHERE purpose = 'confirm'",
		 "2026-11-27T11:00:00Z"},
		{"SELECT used_at FROM one_time_tokens WHERE purpose = 'confirm'", "NULL"},
		{"SELECT used_at FROM one_time_tokens WHERE purpose = 'reset'",
		 "2026-11-27T10:00:01Z"},
		{"SELECT at FROM signin_attempts", "2026-11-27T10:00:02Z"},
		{"SELECT next_try_at FROM outbox WHERE sent_at IS NULL", "2026-11-27T10:01:40Z"},
		{"SELECT sent_at FROM outbox WHERE sent_at IS NOT NULL", "2026-11-27T10:00:03Z"},
		{"SELECT at FROM rate_events", "2026-11-27T10:00:04Z"},
		{"SELECT created_at FROM response_links", "2026-11-27T10:00:05Z"},
		/* The tables keep their links and indexes. */
		{"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN"
		 " ('sessions_user', 'one_time_tokens_user', 'signin_attempts_email',"
		 " 'signin_attempts_ip', 'signin_attempts_at', 'outbox_due', 'rate_events_key',"
		 " 'rate_events_at', 'response_links_response')",
		 "9"},
		{"SELECT count(*) FROM pragma_foreign_key_check", "0"},
		/* No column of a time is left holding a number. */
		{"SELECT count(*) FROM pragma_table_list t, pragma_table_info(t.name) c"
		 " WHERE t.schema = 'main' AND (c.name LIKE '%\\_at' ESCAPE '\\' OR c.name = 'at')"
		 " AND c.type <> 'TEXT'",
		 "0"},
	};
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (strcmp(text_of(db, checks[i].sql, v, sizeof(v)), checks[i].want) != 0)
			fail_msg("%s: %s, not %s", checks[i].sql, v, checks[i].want);
	/* Deleting a person still takes their sessions and links with them. */
	assert_int_equal(db_exec(db, "DELETE FROM users WHERE id = 2", err, sizeof(err)), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM sessions"), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM one_time_tokens"), 1);
	db_close(db);
}

/* ---- the query plan of every statement ---- */

/* Tables that may be read whole: small, fixed ones, that do not grow as the site is used. */
static const struct {
	const char *table, *why;
} small_tables[] = {
	{"campaigns", "one row per collection campaign: a few a year"},
	{"meta", "a handful of facts about the instance"},
};

/* Statements whose very work is to read every row of a growing table, each with its reason. A
 * statement is named by its store and a piece of its SQL. */
static const struct {
	const char *store, *sql, *table, *why;
} whole_reads[] = {
	{"backup", "count(*) FROM", "*", "the backup report counts every row of the copy"},
	{"users", "GROUP BY status", "users", "the dashboard counts accounts (on the index only)"},
	{"orgs", "count(*) FROM organisations", "organisations", "the dashboard counts them"},
	{"admin", "FROM responses", "responses", "the dashboard counts responses (index only)"},
	{"export", "FROM responses r", "responses", "an export gives every response of its form"},
	{"cases", "ORDER BY c.id DESC LIMIT ?1", "cases", "newest first: reads the rows it lists"},
};

/* The table an alias (or a table's own name) of sql stands for, or NULL: the word after FROM,
 * JOIN, UPDATE or INTO is a table, the word after it (past AS) its alias. */
static bool
table_of(const char *sql, const char *name, char *out, size_t outlen)
{
	static const char *const before[] = {"FROM", "JOIN", "UPDATE", "INTO"};
	static const char *const not_alias[] = {"WHERE",     "JOIN",  "ON",     "LEFT",   "INNER",
						"CROSS",     "ORDER", "GROUP",  "LIMIT",  "SET",
						"USING",     "AS",    "VALUES", "SELECT", "DEFAULT",
						"RETURNING", NULL};
	static char words[1024][64]; /* the longest statement has some 400 words */
	size_t n = 0;
	for (const char *p = sql; *p && n < 1024;) {
		if (*p == '\'') { /* a literal: never a name */
			for (p++; *p && *p != '\''; p++)
				;
			if (*p)
				p++;
			continue;
		}
		if (!(isalnum((unsigned char)*p) || *p == '_')) {
			p++;
			continue;
		}
		size_t len = 0;
		while ((isalnum((unsigned char)p[len]) || p[len] == '_') && len < 63)
			len++;
		memcpy(words[n], p, len);
		words[n++][len] = '\0';
		p += len;
	}
	for (size_t i = 0; i + 1 < n; i++) {
		bool table_next = false;
		for (size_t k = 0; k < 4; k++)
			table_next |= strcasecmp(words[i], before[k]) == 0;
		if (!table_next)
			continue;
		const char *table = words[i + 1], *alias = NULL;
		size_t a = i + 2;
		if (a < n && strcasecmp(words[a], "AS") == 0)
			a++;
		if (a < n) {
			alias = words[a];
			for (size_t k = 0; alias && not_alias[k]; k++)
				if (strcasecmp(alias, not_alias[k]) == 0)
					alias = NULL;
		}
		if (strcmp(table, name) == 0 || (alias && strcmp(alias, name) == 0)) {
			snprintf(out, outlen, "%s", table);
			return true;
		}
	}
	return false;
}

/* True when sql names name as a common table expression ("WITH name(…) AS (" or ", name AS ("):
 * its rows are the statement's own, not a table of the schema. */
static bool
is_cte(const char *sql, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = strstr(sql, name); p; p = strstr(p + 1, name)) {
		const char *q = p;
		while (q > sql && q[-1] == ' ')
			q--;
		bool after = (q - sql >= 4 && strncasecmp(q - 4, "WITH", 4) == 0) ||
			     (q > sql && q[-1] == ',');
		const char *e = p + n;
		if (*e == '(') {
			e = strchr(e, ')');
			if (e == NULL)
				continue;
			e++;
		}
		while (*e == ' ')
			e++;
		if (after && strncasecmp(e, "AS", 2) == 0)
			return true;
	}
	return false;
}

/* True when the whole read of table by statement sql of store is allowed. */
static bool
whole_read_allowed(const char *store, const char *sql, const char *table)
{
	for (size_t i = 0; i < sizeof(small_tables) / sizeof(small_tables[0]); i++)
		if (strcmp(table, small_tables[i].table) == 0)
			return true;
	for (size_t i = 0; i < sizeof(whole_reads) / sizeof(whole_reads[0]); i++)
		if (strcmp(store, whole_reads[i].store) == 0 && strstr(sql, whole_reads[i].sql) &&
		    (strcmp(whole_reads[i].table, "*") == 0 ||
		     strcmp(whole_reads[i].table, table) == 0))
			return true;
	return false;
}

static void
no_statement_reads_a_growing_table_whole(void **state)
{
	(void)state;
	search_init();
	struct db *db = mem();
	char err[256];
	assert_int_equal(migrate_apply(db, db_migrations, db_migrations_count, err, sizeof(err)),
			 (int)db_migrations_count);
	struct buf bad, plan;
	struct arena a;
	arena_init(&a, 4096);
	buf_init(&bad, &a);
	int statements = 0;
	for (int s = 0; s < DB_STORE__MAX; s++) {
		const struct db_table *t = db_tables[s];
		assert_non_null(t);
		assert_int_equal(t->store, s);
		for (int i = 0; i < t->n; i++) {
			const char *sql = t->sql[i];
			assert_non_null(sql); /* every statement of the enum has its SQL */
			struct db_stmt *st =
				db_prepare(db, arena_printf(&a, "EXPLAIN QUERY PLAN %s", sql));
			if (st == NULL) {
				buf_printf(&bad, "%s %d does not prepare: %s\n", t->name, i, sql);
				continue;
			}
			statements++;
			buf_init(&plan, &a);
			while (db_step(st) == 1) {
				const char *detail = db_column_peek(st, 3);
				buf_printf(&plan, "  %s\n", detail);
				char name[64], table[64];
				/* Not tables: a subquery's rows, a constant row, a virtual table
				 * (the full-text index or json_each) reached through its index. */
				if (sscanf(detail, "SCAN %63s", name) != 1 || name[0] == '(' ||
				    strstr(detail, "VIRTUAL TABLE") ||
				    strcmp(name, "CONSTANT") == 0)
					continue;
				if (!table_of(sql, name, table, sizeof(table)))
					snprintf(table, sizeof(table), "%s", name);
				/* A common table expression's rows (WITH …) are not a table. */
				if (is_cte(sql, table))
					continue;
				if (!whole_read_allowed(t->name, sql, table))
					buf_printf(&bad, "%s %d reads %s whole (%s): %s\n", t->name,
						   i, table, detail, sql);
			}
			db_finalize(st);
		}
	}
	assert_true(statements > 100);
	if (bad.len > 0) {
		fprintf(stderr, "statements that read a growing table whole:\n%s", buf_str(&bad));
		fail_msg("some statements read a growing table whole (listed above)");
	}
	arena_free(&a);
	db_close(db);
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
		cmocka_unit_test(step_gives_rows_then_ends_the_use),
		cmocka_unit_test(a_statement_taken_again_while_in_use_aborts),
		cmocka_unit_test(transactions_nest_as_savepoints),
		cmocka_unit_test(times_are_stored_as_iso_8601_utc),
		cmocka_unit_test(a_tokenizer_and_a_text_function_reach_every_connection),
		cmocka_unit_test(slow_work_is_reported_inside_a_write_transaction_only),
		cmocka_unit_test(unix_times_of_an_older_database_become_iso_text),
		cmocka_unit_test(no_statement_reads_a_growing_table_whole),
	};
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
