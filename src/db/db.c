/* db.c - SQLite connections: settings, cached statements and their one step/row/error helper,
 * nested transactions, times, checkpoints, error counting. */
#include "db_priv.h"

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

/* A misuse of a statement is a bug of the program that would otherwise give wrong results
 * without a word (a list cut short, a write lost): stop here, with what went wrong. abort()
 * rather than exit(): no exit handlers run while other threads go on, and a core or the
 * sanitizer's trace shows the caller. */
static _Noreturn void
misuse(const struct db_stmt *st, const char *what)
{
	log_error("database statement %s: %.160s", what, st && st->sql ? st->sql : "?");
	abort();
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
	int rc = db_text_search_attach(db->h);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: setting up the connection: %s", path,
			 sqlite3_errcode(db->h) != SQLITE_OK ? sqlite3_errmsg(db->h)
							     : sqlite3_errstr(rc));
		atomic_fetch_add(&errors, 1);
		db_close(db);
		return NULL;
	}
	return db;
}

/* The connection's outermost transaction is over (committed or rolled back). */
static void
write_ended(struct db *db)
{
	if (db->depth > 0) {
		db->depth = 0;
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
			sqlite3_finalize(db->stmts[s][i].s);
	if (db->h)
		sqlite3_close(db->h);
	free(db);
}

int
db_exec(struct db *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		if (err)
			snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db->h));
		sqlite3_free(msg);
		atomic_fetch_add(&errors, 1);
		return -1;
	}
	return 0;
}

bool
db_ping(struct db *db)
{
	sqlite3_stmt *st = NULL;
	bool ok = sqlite3_prepare_v2(db->h, "SELECT 1", -1, &st, NULL) == SQLITE_OK &&
		  sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return ok;
}

bool
db_readonly(struct db *db)
{
	return sqlite3_db_readonly(db->h, "main") == 1;
}

const char *
db_engine_version(void)
{
	static char v[48];
	if (v[0] == '\0') /* the same text whichever thread writes it first */
		snprintf(v, sizeof(v), "SQLite %s", sqlite3_libversion());
	return v;
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
	 * checkpoint from getting past it: the WAL would grow without end. Stores end every use
	 * they begin; one left here is a bug, said once per request. */
	for (int s = 0; s < DB_STORE__MAX; s++)
		for (int i = 0; i < DB_STMT_MAX; i++) {
			struct db_stmt *st = &db->stmts[s][i];
			if (st->use == DB_USE_FREE)
				continue;
			log_error("database statement left in use at the end of a request: %.160s",
				  st->sql);
			sqlite3_reset(st->s);
			st->use = DB_USE_FREE;
		}
	if (sqlite3_get_autocommit(db->h)) {
		write_ended(db);
		return false;
	}
	sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	write_ended(db);
	atomic_fetch_add(&errors, 1);
	return true;
}

/* ---- statements and rows ---- */

struct db_stmt *
db_stmt(struct db *db, const struct db_table *t, int idx)
{
	if (idx < 0 || idx >= t->n || idx >= DB_STMT_MAX)
		die("db_stmt: statement %d of %s out of range", idx, t->name);
	struct db_stmt *st = &db->stmts[t->store][idx];
	if (st->s == NULL) {
		if (sqlite3_prepare_v3(db->h, t->sql[idx], -1, SQLITE_PREPARE_PERSISTENT, &st->s,
				       NULL) != SQLITE_OK) {
			db_error(db, t->sql[idx]);
			st->s = NULL;
			return NULL;
		}
		st->db = db;
		st->sql = t->sql[idx];
	} else if (st->use != DB_USE_FREE) {
		misuse(st, "taken again while still in use (re-entered while stepping, or a use "
			   "never ended)");
	} else {
		sqlite3_clear_bindings(st->s);
	}
	st->use = DB_USE_TAKEN;
	return st;
}

struct db_stmt *
db_prepare(struct db *db, const char *sql)
{
	struct db_stmt *st = calloc(1, sizeof(*st));
	if (st == NULL)
		die("db: out of memory");
	if (sqlite3_prepare_v2(db->h, sql, -1, &st->s, NULL) != SQLITE_OK) {
		db_error(db, sql);
		sqlite3_finalize(st->s);
		free(st);
		return NULL;
	}
	st->db = db;
	st->sql = sqlite3_sql(st->s); /* kept by SQLite for the statement's life */
	st->use = DB_USE_TAKEN;
	return st;
}

void
db_finalize(struct db_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_finalize(st->s);
	free(st);
}

/* Binding is for a statement taken and not stepped yet. */
static void
check_bind(struct db_stmt *st)
{
	if (st->use != DB_USE_TAKEN)
		misuse(st, "bound outside its use (not taken, or already stepped)");
}

void
db_bind_int(struct db_stmt *st, int col, long long v)
{
	check_bind(st);
	sqlite3_bind_int64(st->s, col, v);
}

void
db_bind_text(struct db_stmt *st, int col, const char *s)
{
	check_bind(st);
	if (s)
		sqlite3_bind_text(st->s, col, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st->s, col);
}

void
db_bind_blob(struct db_stmt *st, int col, const void *p, size_t n)
{
	check_bind(st);
	sqlite3_bind_blob64(st->s, col, p, n, SQLITE_STATIC);
}

void
db_bind_time(struct db_stmt *st, int col, time_t t)
{
	check_bind(st);
	char iso[21];
	db_time_format(t, iso);
	sqlite3_bind_text(st->s, col, iso, 20, SQLITE_TRANSIENT);
}

int
db_step(struct db_stmt *st)
{
	if (st->use == DB_USE_FREE)
		misuse(st, "stepped outside its use (after its last row, or never taken)");
	int rc = sqlite3_step(st->s);
	if (rc == SQLITE_ROW) {
		st->use = DB_USE_ON_ROW;
		return 1;
	}
	if (rc != SQLITE_DONE)
		db_error(st->db, st->sql);
	/* Reset at once: the statement holds no read snapshot after its last row. */
	sqlite3_reset(st->s);
	st->use = DB_USE_FREE;
	return rc == SQLITE_DONE ? 0 : -1;
}

int
db_run(struct db_stmt *st)
{
	int rc = db_step(st);
	if (rc == 1) {
		db_reset(st);
		misuse(st, "run with db_run but returned a row");
	}
	return rc < 0 ? -1 : sqlite3_changes(st->db->h);
}

long long
db_insert(struct db_stmt *st)
{
	if (st->use == DB_USE_FREE)
		misuse(st, "stepped outside its use (after its last row, or never taken)");
	int rc = sqlite3_step(st->s);
	sqlite3_reset(st->s);
	st->use = DB_USE_FREE;
	if (rc == SQLITE_DONE)
		return sqlite3_last_insert_rowid(st->db->h);
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return 0;
	db_error(st->db, st->sql);
	return -1;
}

long long
db_one_int(struct db_stmt *st, long long none)
{
	int rc = db_step(st);
	if (rc <= 0)
		return rc < 0 ? -1 : none;
	long long v = db_column_int(st, 0);
	/* On to the end, so that a RETURNING statement finishes; a second row is not read. */
	rc = db_step(st);
	if (rc == 1)
		db_reset(st);
	return rc < 0 ? -1 : v;
}

void
db_reset(struct db_stmt *st)
{
	sqlite3_reset(st->s);
	st->use = DB_USE_FREE;
}

/* Columns are read on a row only. */
static void
check_row(struct db_stmt *st)
{
	if (st->use != DB_USE_ON_ROW)
		misuse(st, "read without a row");
}

long long
db_column_int(struct db_stmt *st, int col)
{
	check_row(st);
	return sqlite3_column_int64(st->s, col);
}

double
db_column_double(struct db_stmt *st, int col)
{
	check_row(st);
	return sqlite3_column_double(st->s, col);
}

bool
db_column_null(struct db_stmt *st, int col)
{
	check_row(st);
	return sqlite3_column_type(st->s, col) == SQLITE_NULL;
}

const char *
db_column_text(struct arena *a, struct db_stmt *st, int col)
{
	check_row(st);
	const unsigned char *t = sqlite3_column_text(st->s, col);
	if (t == NULL)
		return "";
	return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st->s, col));
}

const char *
db_column_peek(struct db_stmt *st, int col)
{
	check_row(st);
	const unsigned char *t = sqlite3_column_text(st->s, col);
	return t ? (const char *)t : "";
}

time_t
db_column_time(struct db_stmt *st, int col)
{
	time_t t;
	return db_time_parse(db_column_peek(st, col), &t) ? t : 0;
}

/* ---- transactions ---- */

/* A savepoint's name: nested ones may share it, each ROLLBACK TO and RELEASE going to the
 * innermost of that name. */
#define SAVEPOINT_NAME "nested"

int
db_begin(struct db *db)
{
	const char *sql = db->depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT " SAVEPOINT_NAME;
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK) {
		db_error(db, sql);
		return -1;
	}
	if (db->depth++ == 0)
		writes_open++;
	return 0;
}

int
db_commit(struct db *db)
{
	if (db->depth == 0) {
		atomic_fetch_add(&errors, 1);
		log_error("database: db_commit without a transaction (a bug of its caller)");
		return -1;
	}
	const char *sql = db->depth == 1 ? "COMMIT" : "RELEASE " SAVEPOINT_NAME;
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK) {
		db_error(db, sql);
		db_rollback(db);
		return -1;
	}
	if (db->depth == 1)
		write_ended(db);
	else
		db->depth--;
	return 0;
}

void
db_rollback(struct db *db)
{
	if (db->depth == 0)
		return;
	if (db->depth == 1) {
		if (!sqlite3_get_autocommit(db->h))
			sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		write_ended(db);
		return;
	}
	/* SQLite may have rolled the whole transaction back on its own (a full disk): then there
	 * is no savepoint left, these fail, and the outermost commit will say so. */
	sqlite3_exec(db->h, "ROLLBACK TO " SAVEPOINT_NAME "; RELEASE " SAVEPOINT_NAME, NULL, NULL,
		     NULL);
	db->depth--;
}

bool
db_in_transaction(struct db *db)
{
	return db->depth > 0;
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

/* ---- errors ---- */

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

/* ---- times ---- */

void
db_time_format(time_t t, char out[21])
{
	struct tm tm;
	if (gmtime_r(&t, &tm) == NULL || strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
		memcpy(out, "1970-01-01T00:00:00Z", 21); /* past year 9999: never in practice */
}

bool
db_time_parse(const char *s, time_t *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	if (s == NULL || strlen(s) != 20)
		return false;
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end == NULL || *end != '\0')
		return false;
	*out = timegm(&tm);
	return true;
}
