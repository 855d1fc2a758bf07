/* db.h - the data layer: connections, each store's cached statements, one step/row/error
 * helper, transactions, times, and the engine's own features behind named functions. */
#ifndef COEXIST_DB_H
#define COEXIST_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/*
 * What stores see. A store (a *_store.c file) declares its SQL once, as a statement table
 * (STYLE.md), and reaches the database only through the functions below: no SQLite type,
 * handle or constant leaves db/, so that another engine (PostgreSQL) plugs in here.
 *
 *   struct db_stmt *st = db_stmt(db, &users_store_table, USERS_STMT_GET);  // NULL: logged
 *   db_bind_int(st, 1, id);
 *   int rc = db_step(st);               // 1 a row, 0 no more rows (the use has ended), -1
 *   if (rc == 1) { u->name = db_column_text(a, st, 0); db_reset(st); }
 *   return rc;
 *
 * A statement is in use from db_stmt() until db_step() returns 0 or -1, or db_reset(). Taking
 * it again while in use (a loop over its rows calling code that runs it again, or a use left
 * unfinished) would silently restart the outer use: it aborts the program instead, always,
 * naming the statement (docs/decisions.md, "One data layer").
 *
 * Transactions: db_begin() and db_commit() or db_rollback(), nested as savepoints. Times are
 * bound and read as time_t and stored as ISO 8601 UTC text ("2026-11-27T10:00:00Z").
 */

/* Every store owns one slot here and its own statement table (STYLE.md). */
enum db_store {
	DB_STORE_META,
	DB_STORE_USERS,
	DB_STORE_SESSIONS,
	DB_STORE_TOKENS,
	DB_STORE_THROTTLE,
	DB_STORE_AUDIT,
	DB_STORE_ORGS,
	DB_STORE_MAIL,
	DB_STORE_ADMIN,
	DB_STORE_SURVEY,
	DB_STORE_RESPONSES,
	DB_STORE_EXPORT,
	DB_STORE_LEARN,
	DB_STORE_CASES,
	DB_STORE_RATE,
	DB_STORE_SEARCH,
	DB_STORE_BACKUP,
	DB_STORE__MAX
};

#define DB_STMT_MAX 48 /* statements per store */

/* A store's statement table: `static const char *const x_sql[X_STMT__MAX]` and its slot. */
struct db_table {
	enum db_store store;
	const char *name; /* "users": for messages */
	const char *const *sql;
	int n; /* statements in sql */
};

/* Each store's table (defined beside its SQL), and all of them by slot, for the tests that
 * look at every statement at once (the query plans). */
extern const struct db_table meta_store_table, users_store_table, session_store_table,
	tokens_store_table, throttle_store_table, audit_store_table, orgs_store_table,
	mail_store_table, admin_store_table, survey_store_table, responses_store_table,
	export_store_table, learn_store_table, cases_store_table, rate_store_table,
	search_store_table, backup_store_table;
extern const struct db_table *const db_tables[DB_STORE__MAX];

struct arena;
struct buf;
struct db;      /* one connection, used by one thread at a time */
struct db_stmt; /* a statement of a connection */

/* Why a write failed, as far as the person who asked needs to know. */
enum db_fault {
	DB_FAULT_NONE,
	DB_FAULT_BUSY,     /* locked by another writer past the busy timeout: try again */
	DB_FAULT_FULL,     /* the disk (or the database's size limit) is full */
	DB_FAULT_READONLY, /* the database or its folder cannot be written */
	DB_FAULT_IO,       /* the disk failed to read or write */
	DB_FAULT_OTHER,    /* anything else: a fault of the program */
};

/* ---- connections (db.c) ---- */

/* Opens (creating if needed) a database file, or ":memory:", with the project's settings: WAL
 * (journal_size_limit 8 MB), foreign keys, busy timeout, synchronous=FULL, and the full-text
 * tokenizer and text functions set by db_text_search_setup. NULL with a reason in err. */
struct db *db_open(const char *path, int busy_timeout_ms, char *err, size_t errlen);
/* Finalizes the statements and closes the connection (NULL is allowed). */
void db_close(struct db *db);
/* Runs SQL text without results and without parameters (schema, settings); never BEGIN or
 * COMMIT (db_begin). -1 with err on failure. */
int db_exec(struct db *db, const char *sql, char *err, size_t errlen);
/* True when the connection can read the database (a health check). */
bool db_ping(struct db *db);
/* True when SQLite opened the main database read-only (every write will fail). */
bool db_readonly(struct db *db);
/* The engine and its version, for `coexist version`: "SQLite 3.40.1". */
const char *db_engine_version(void);
/* Checkpoints the WAL into the database and truncates it to nothing, without waiting for any
 * lock (give it a connection without busy timeout). 0 done, 1 when a reader or a writer is in
 * the way (try later), -1 on an error (logged). */
int db_checkpoint(struct db *db);
/* Ends a request's use of the connection: ends statements left in use (logged: a bug of the
 * code that left them), and rolls back a transaction left open. true when there was one: a
 * bug of the code that opened it, counted as a database error (the caller logs where). NULL
 * is allowed. */
bool db_request_end(struct db *db);

/* ---- statements and rows (db.c) ---- */

/* Takes statement idx of a store's table, prepared on first use and kept for the
 * connection's life, with no parameter bound. NULL (logged and counted) when it cannot be
 * prepared. Aborts when that statement is still in use (see above). */
struct db_stmt *db_stmt(struct db *db, const struct db_table *t, int idx);
/* Prepares a statement for one use only (migrations, tools, tests), to be freed with
 * db_finalize; NULL (logged and counted) on an error. */
struct db_stmt *db_prepare(struct db *db, const char *sql);
/* Frees a statement of db_prepare (NULL is allowed). */
void db_finalize(struct db_stmt *st);
/* Binds parameter col (from 1). Text and blobs are not copied: they must stay as they are
 * until the use of the statement ends. A NULL text binds SQL NULL; so does a parameter left
 * unbound. A time is bound as ISO 8601 UTC text. */
void db_bind_int(struct db_stmt *st, int col, long long v);
void db_bind_text(struct db_stmt *st, int col, const char *s);
void db_bind_blob(struct db_stmt *st, int col, const void *p, size_t n);
void db_bind_time(struct db_stmt *st, int col, time_t t);
/* Steps: 1 when a row is there to read; 0 when there are no more rows (the statement's use
 * has ended, ready to be taken again); -1 on an error, logged with the statement's SQL and
 * counted (the use has ended too). */
int db_step(struct db_stmt *st);
/* Steps a statement that returns no row (INSERT, UPDATE, DELETE) to its end: the number of
 * rows it changed, or -1 (logged). */
int db_run(struct db_stmt *st);
/* Steps an INSERT to its end: the id of the new row, 0 when a UNIQUE or PRIMARY KEY
 * constraint refused it (not logged: the caller knows what that means), -1 on another error
 * (logged). */
long long db_insert(struct db_stmt *st);
/* Steps a statement that gives at most one row and one number (an id, a count, a RETURNING
 * value) to its end: that number, none when there is no row, -1 on an error (logged). For
 * numbers that are never negative. */
long long db_one_int(struct db_stmt *st, long long none);
/* Ends the use of a statement before its last row (reading the first rows only). */
void db_reset(struct db_stmt *st);
/* The columns of the current row (col from 0). */
long long db_column_int(struct db_stmt *st, int col);
double db_column_double(struct db_stmt *st, int col);
bool db_column_null(struct db_stmt *st, int col);
/* The text of a column, copied whole into a (a row's strings live as long as the arena of the
 * request or command that asked): never NULL, "" for SQL NULL. */
const char *db_column_text(struct arena *a, struct db_stmt *st, int col);
/* The text of a column without a copy, valid until the next step or reset: "" for SQL NULL. */
const char *db_column_peek(struct db_stmt *st, int col);
/* A time stored as ISO 8601 UTC text; 0 for SQL NULL or a text that is not one. */
time_t db_column_time(struct db_stmt *st, int col);

/* ---- transactions (db.c) ---- */

/* Starts a transaction: the outermost one takes the write lock now (BEGIN IMMEDIATE: it
 * cannot fail later for want of it); inside one, a savepoint, so that a store can group its
 * writes whether or not its caller has a transaction open. 0 or -1 (logged). Each db_begin
 * that returned 0 is ended by one db_commit or db_rollback. */
int db_begin(struct db *db);
/* Ends the innermost transaction keeping its writes; on failure rolls it back (it has then
 * ended: nothing to roll back after). 0 or -1 (logged). */
int db_commit(struct db *db);
/* Ends the innermost transaction undoing its writes (only its own, for a savepoint). Nothing
 * when no transaction is open, so that error paths may call it after a failed db_begin or
 * db_commit of the outermost one. */
void db_rollback(struct db *db);
/* True while a transaction of db_begin is open on the connection. */
bool db_in_transaction(struct db *db);
/* Says that the calling thread is about to do slow work (what: "argon2id", "pdf", "xlsx",
 * "analysis"). SQLite has one write lock for the whole database, so slow work while this thread
 * holds it (between db_begin and db_commit/db_rollback on any connection) stalls every save of
 * the site: that is logged as an error and counted for /metrics. Returns true when it happened
 * (the work still goes on: the guard reports, it does not refuse). */
bool db_slow_work(const char *what);
/* Number of times slow work was done inside a write transaction since start (for /metrics). */
unsigned long db_slow_work_count(void);

/* ---- errors (db.c) ---- */

/* Counts and logs a database error (context names the query or the step), and remembers its
 * kind for db_take_fault. */
void db_error(struct db *db, const char *context);
/* The kind of the last error db_error met on this connection since the last call, then
 * forgets it (DB_FAULT_NONE when there was none). */
enum db_fault db_take_fault(struct db *db);
/* True for the faults that pass (busy, full, read-only, disk): worth trying again later. */
bool db_fault_passes(enum db_fault f);
/* Number of database errors since start (for /metrics). */
unsigned long db_error_count(void);

/* ---- times (db.c) ---- */

/* Writes t as stored: ISO 8601 UTC, "2026-11-27T10:00:00Z" (20 bytes and the NUL). */
void db_time_format(time_t t, char out[21]);
/* Reads a stored time; false when s is not one. */
bool db_time_parse(const char *s, time_t *out);

/* ---- full-text search (text_search.c; SQLite FTS5) ---- */

/* A language's word splitter for the full-text index, named by the index's migration
 * (tokenize = 'name'). */
struct db_tokenizer {
	const char *name;
	/* State for one index on one connection (a stemmer); NULL when out of memory. */
	void *(*create)(void);
	void (*destroy)(void *state);
	/* Calls emit for each key of text, with the bytes [start, end) of its word in text;
	 * same_place marks a second key for the word of the key before (asked only when all_keys
	 * is true: highlighting needs one key a word). Returns 0, the first non-zero value emit
	 * returned, or -1 when out of memory. */
	int (*tokenize)(void *state, const char *text, size_t n, bool all_keys,
			int (*emit)(void *ctx, const char *key, size_t len, size_t start,
				    size_t end, bool same_place),
			void *ctx);
};
/* An SQL function of one text giving a text (NULL gives NULL), deterministic. */
struct db_text_function {
	const char *name;
	void (*fn)(const char *s, size_t n, struct buf *out);
};
/* Sets the tokenizer and the text function that every connection opened after has (the
 * migrations that make the full-text tables need them). Process-wide: call it once at
 * start-up, before any db_open. */
void db_text_search_setup(const struct db_tokenizer *t, const struct db_text_function *f);

/* ---- backup (backup_store.c; SQLite VACUUM INTO) ---- */

#define DB_BACKUP_TABLES 5

/* What a backup copied. */
struct db_backup_report {
	long long pages, bytes;
	struct {
		const char *table;
		long long rows;
	} tables[DB_BACKUP_TABLES]; /* the main tables that exist in the copy */
	size_t ntables;
	double seconds;
};

/* Writes a consistent copy of the database to dest: VACUUM INTO tmp (a new name in dest's
 * folder, chosen by the caller so that it can remove it on a signal), synced, then renamed to
 * dest, which is never replaced. Writers elsewhere go on meanwhile and do not delay it. Fills
 * rep; -1 with err on failure, and then nothing is left at dest or tmp. */
int db_backup(struct db *db, const char *dest, const char *tmp, struct db_backup_report *rep,
	      char *err, size_t errlen);

#endif
