/* db.h - SQLite connections: pragmas, cached prepared statements, checkpoints, error counting. */
#ifndef COEXIST_DB_H
#define COEXIST_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

/* Every store file owns one slot here and its own statement table (STYLE.md). */
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
	DB_STORE__MAX
};

#define DB_STMT_MAX 48 /* statements per store */

struct db {
	sqlite3 *h;
	sqlite3_stmt *stmts[DB_STORE__MAX][DB_STMT_MAX];
	int fault; /* extended result code of the last error counted by db_error, 0 when taken */
	bool writing; /* inside a transaction of db_begin (counted by db_slow_work's guard) */
};

/* Why a write failed, as far as the person who asked needs to know. */
enum db_fault {
	DB_FAULT_NONE,
	DB_FAULT_BUSY,     /* locked by another writer past the busy timeout: try again */
	DB_FAULT_FULL,     /* the disk (or the database's size limit) is full */
	DB_FAULT_READONLY, /* the database or its folder cannot be written */
	DB_FAULT_IO,       /* the disk failed to read or write */
	DB_FAULT_OTHER,    /* anything else: a fault of the program */
};

/* Sets the function db_open calls on each new connection after its pragmas (registering
 * SQLite extensions such as the search tokenizer); a non-zero return fails the open. Process-
 * wide: set once at start-up, before any connection is opened. NULL for none. */
void db_set_open_hook(int (*fn)(sqlite3 *h));
/* Opens (creating if needed) a database file, or ":memory:", with the project's pragmas:
 * WAL (journal_size_limit 8 MB), foreign keys, busy timeout, synchronous=FULL, then the open hook.
 * NULL with a reason in err. */
struct db *db_open(const char *path, int busy_timeout_ms, char *err, size_t errlen);
/* Finalizes cached statements and closes the connection (NULL is allowed). */
void db_close(struct db *db);
/* Returns the statement idx of a store's table, prepared on first use and reset since its last
 * use; NULL (logged and counted) when it cannot be prepared. */
sqlite3_stmt *db_stmt(struct db *db, enum db_store store, const char *const *sql, int idx);
/* Runs SQL text without results (schema, pragmas, BEGIN/COMMIT). -1 with err on failure. */
int db_exec(struct db *db, const char *sql, char *err, size_t errlen);
/* Starts a write transaction (BEGIN IMMEDIATE: the write lock is taken now, so the
 * transaction cannot fail later for want of it). 0 or -1 (logged). */
int db_begin(struct db *db);
/* Commits; on failure rolls back. 0 or -1 (logged). */
int db_commit(struct db *db);
/* Rolls back whatever the transaction did. */
void db_rollback(struct db *db);
/* Checkpoints the WAL into the database and truncates it to nothing, without waiting for any
 * lock (give it a connection without busy timeout). 0 done, 1 when a reader or a writer is in
 * the way (try later), -1 on an error (logged). */
int db_checkpoint(struct db *db);
/* Ends a request's use of the connection: resets statements still holding a read snapshot, and
 * rolls back a transaction left open. true when there was one: a bug of the code that opened
 * it, counted as a database error (the caller logs where). NULL is allowed. */
bool db_request_end(struct db *db);
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
/* True when SQLite opened the main database read-only (every write will fail). */
bool db_readonly(struct db *db);
/* Counts and logs a database error from a store (context names the query), and remembers
 * its kind for db_take_fault. */
void db_error(struct db *db, const char *context);
/* The kind of the last error db_error met on this connection since the last call, then
 * forgets it (DB_FAULT_NONE when there was none). */
enum db_fault db_take_fault(struct db *db);
/* True for the faults that pass (busy, full, read-only, disk): worth trying again later. */
bool db_fault_passes(enum db_fault f);
/* Number of database errors since start (for /metrics). */
unsigned long db_error_count(void);
/* Says that the calling thread is about to do slow work (what: "argon2id", "pdf", "xlsx",
 * "analysis"). SQLite has one write lock for the whole database, so slow work while this thread
 * holds it (between db_begin and db_commit/db_rollback on any connection) stalls every save of
 * the site: that is logged as an error and counted for /metrics. Returns true when it happened
 * (the work still goes on: the guard reports, it does not refuse). */
bool db_slow_work(const char *what);
/* Number of times slow work was done inside a write transaction since start (for /metrics). */
unsigned long db_slow_work_count(void);
/* Binds text; NULL binds SQL NULL. */
void db_bind_text(sqlite3_stmt *st, int col, const char *s);
struct arena;
/* The text of a result column, copied whole into a (a row's strings live as long as the arena
 * of the request or command that asked): never NULL, "" for SQL NULL. */
const char *db_column_text(struct arena *a, sqlite3_stmt *st, int col);

#endif
