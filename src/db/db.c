/* db.c - SQLite connections: pragmas, cached prepared statements, checkpoints, error counting. */
#include "db.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/log.h"

static atomic_ulong errors;
static atomic_ulong slow_in_write;
/* Write transactions this thread has open (one a connection at most); see db_slow_work. */
static _Thread_local int writes_open;
/* Written once before any thread starts (db_set_open_hook), read by every db_open after. */
static int (*open_hook)(sqlite3 *h);

void
db_set_open_hook(int (*fn)(sqlite3 *h))
{
	open_hook = fn;
}

struct db *
db_open(const char *path, int busy_timeout_ms, char *err, size_t errlen)
{
	struct db *db = calloc(1, sizeof(*db));
	if (db == NULL)
		die("db: out of memory");
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
			 db->h ? sqlite3_errmsg(db->h) : "cannot open");
		db_close(db);
		return NULL;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, busy_timeout_ms);
	/*
	 * WAL lets readers go on while one writer commits. synchronous=FULL: in WAL mode, NORMAL
	 * can lose the last acknowledged transactions on power loss; a respondent told "saved" must
	 * find the answer there, so every commit is fsynced. It costs throughput (about 5,000
	 * commits/s against 20,000 measured here), which a batching writer can win back later.
	 *
	 * journal_size_limit: when a checkpoint lets the WAL start again from the beginning, the
	 * file is cut back to 8 MB instead of keeping the size of the largest burst it ever held.
	 * The automatic checkpoint (every 1,000 pages of 4 KB) lets the WAL reach about 4 MB in
	 * normal use; twice that leaves room for a large transaction on top, so steady writing
	 * never grows and cuts the file round after round. The server also truncates it to
	 * nothing when idle (server.c).
	 */
	static const char pragmas[] = "PRAGMA journal_mode=WAL;"
				      "PRAGMA journal_size_limit=8388608;"
				      "PRAGMA synchronous=FULL;"
				      "PRAGMA foreign_keys=ON;"
				      "PRAGMA temp_store=MEMORY;";
	if (db_exec(db, pragmas, err, errlen) != 0) {
		db_close(db);
		return NULL;
	}
	if (open_hook != NULL) {
		int rc = open_hook(db->h);
		if (rc != 0) {
			snprintf(err, errlen, "%s: setting up the connection: %s", path,
				 sqlite3_errcode(db->h) != SQLITE_OK ? sqlite3_errmsg(db->h)
								     : sqlite3_errstr(rc));
			atomic_fetch_add(&errors, 1);
			db_close(db);
			return NULL;
		}
	}
	return db;
}

/* The connection's write transaction is over (committed or rolled back): once only, so that
 * error paths may roll back twice. */
static void
write_ended(struct db *db)
{
	if (db->writing) {
		db->writing = false;
		writes_open--;
	}
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	write_ended(db); /* closing rolls back whatever was left open */
	for (int s = 0; s < DB_STORE__MAX; s++)
		for (int i = 0; i < DB_STMT_MAX; i++)
			sqlite3_finalize(db->stmts[s][i]);
	if (db->h)
		sqlite3_close(db->h);
	free(db);
}

sqlite3_stmt *
db_stmt(struct db *db, enum db_store store, const char *const *sql, int idx)
{
	if (idx < 0 || idx >= DB_STMT_MAX)
		die("db_stmt: statement index %d out of range", idx);
	sqlite3_stmt **slot = &db->stmts[store][idx];
	if (*slot == NULL) {
		if (sqlite3_prepare_v3(db->h, sql[idx], -1, SQLITE_PREPARE_PERSISTENT, slot,
				       NULL) != SQLITE_OK) {
			db_error(db, sql[idx]);
			*slot = NULL;
			return NULL;
		}
	} else {
		sqlite3_reset(*slot);
		sqlite3_clear_bindings(*slot);
	}
	return *slot;
}

int
db_exec(struct db *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db->h));
		sqlite3_free(msg);
		atomic_fetch_add(&errors, 1);
		return -1;
	}
	return 0;
}

int
db_checkpoint(struct db *db)
{
	int frames = 0, copied = 0;
	/* First copy what can be copied without waiting for anyone; then take the write lock only
	 * to start the WAL again and truncate it, so writers are held up for that instant alone. */
	int rc =
		sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
	if (rc == SQLITE_OK && frames != copied)
		return 1; /* a reader still needs part of the WAL */
	if (rc == SQLITE_OK)
		rc = sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, &frames,
					       &copied);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return 1;
	if (rc != SQLITE_OK) {
		db_error(db, "wal_checkpoint");
		return -1;
	}
	return 0;
}

bool
db_request_end(struct db *db)
{
	if (db == NULL)
		return false;
	/* A statement stepped to a row and left there holds a read snapshot, which keeps every
	 * checkpoint from getting past it: the WAL would grow without end. */
	for (sqlite3_stmt *st = sqlite3_next_stmt(db->h, NULL); st;
	     st = sqlite3_next_stmt(db->h, st))
		if (sqlite3_stmt_busy(st))
			sqlite3_reset(st);
	if (sqlite3_get_autocommit(db->h))
		return false;
	sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	atomic_fetch_add(&errors, 1);
	return true;
}

bool
db_readonly(struct db *db)
{
	return sqlite3_db_readonly(db->h, "main") == 1;
}

void
db_error(struct db *db, const char *context)
{
	atomic_fetch_add(&errors, 1);
	if (db && db->h)
		db->fault = sqlite3_extended_errcode(db->h);
	log_error("database error: %s (in: %.120s)", db && db->h ? sqlite3_errmsg(db->h) : "?",
		  context);
}

enum db_fault
db_take_fault(struct db *db)
{
	int rc = db->fault;
	db->fault = 0;
	switch (rc & 0xff) {
	case SQLITE_OK: return DB_FAULT_NONE;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return DB_FAULT_BUSY;
	case SQLITE_FULL: return DB_FAULT_FULL;
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN: return DB_FAULT_READONLY;
	case SQLITE_IOERR: return DB_FAULT_IO;
	default: return DB_FAULT_OTHER;
	}
}

bool
db_fault_passes(enum db_fault f)
{
	return f == DB_FAULT_BUSY || f == DB_FAULT_FULL || f == DB_FAULT_READONLY ||
	       f == DB_FAULT_IO;
}

unsigned long
db_error_count(void)
{
	return atomic_load(&errors);
}

void
db_bind_text(sqlite3_stmt *st, int col, const char *s)
{
	if (s)
		sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, col);
}

const char *
db_column_text(struct arena *a, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	if (t == NULL)
		return "";
	return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, col));
}

int
db_begin(struct db *db)
{
	if (sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		db_error(db, "BEGIN IMMEDIATE");
		return -1;
	}
	db->writing = true;
	writes_open++;
	return 0;
}

int
db_commit(struct db *db)
{
	if (sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		db_error(db, "COMMIT");
		db_rollback(db);
		return -1;
	}
	write_ended(db);
	return 0;
}

void
db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	write_ended(db);
}

bool
db_slow_work(const char *what)
{
	if (writes_open <= 0)
		return false;
	atomic_fetch_add(&slow_in_write, 1);
	log_error("slow work (%s) inside a write transaction: every save waits for it; do it "
		  "before db_begin",
		  what);
	return true;
}

unsigned long
db_slow_work_count(void)
{
	return atomic_load(&slow_in_write);
}
