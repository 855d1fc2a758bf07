/* session_store.c - SQL of sessions: known by the hash of their token, ended by time or hand. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "db/db.h"
#include "base/token.h"

enum session_stmt {
	SESSION_STMT_INSERT,
	SESSION_STMT_LOOKUP,
	SESSION_STMT_TOUCH,
	SESSION_STMT_DELETE,
	SESSION_STMT_DELETE_USER,
	SESSION_STMT__MAX
};

static const char *const session_sql[SESSION_STMT__MAX] = {
	[SESSION_STMT_INSERT] = "INSERT INTO sessions(token_hash, user_id, created_at, last_seen_at)"
	                        " VALUES (?, ?, ?, ?)",
	[SESSION_STMT_LOOKUP] = "SELECT s.created_at, s.last_seen_at, u.id FROM sessions s"
	                        " JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
	[SESSION_STMT_TOUCH] = "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?",
	[SESSION_STMT_DELETE] = "DELETE FROM sessions WHERE token_hash = ?",
	[SESSION_STMT_DELETE_USER] = "DELETE FROM sessions WHERE user_id = ?",
};

static int
step_done(struct db *db, sqlite3_stmt *st, enum session_stmt which)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_error(db, session_sql[which]);
		return -1;
	}
	return 0;
}

int
session_store_create(struct db *db, long long user_id, time_t now, char token[44])
{
	unsigned char hash[32];
	token_new(token);
	token_hash(token, hash);
	sqlite3_stmt *st = db_stmt(db, DB_STORE_SESSIONS, session_sql, SESSION_STMT_INSERT);
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, now);
	return step_done(db, st, SESSION_STMT_INSERT);
}

static int
delete_hash(struct db *db, const unsigned char hash[32])
{
	sqlite3_stmt *st = db_stmt(db, DB_STORE_SESSIONS, session_sql, SESSION_STMT_DELETE);
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	return step_done(db, st, SESSION_STMT_DELETE);
}

int
session_store_lookup(struct db *db, const char *token, time_t now, long idle, long lifetime,
		     struct arena *a, struct user *user, char hash_hex[65])
{
	if (!token_well_formed(token))
		return 0;
	unsigned char hash[32];
	token_hash(token, hash);
	sqlite3_stmt *st = db_stmt(db, DB_STORE_SESSIONS, session_sql, SESSION_STMT_LOOKUP);
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return 0;
		db_error(db, session_sql[SESSION_STMT_LOOKUP]);
		return -1;
	}
	long long created = sqlite3_column_int64(st, 0);
	long long seen = sqlite3_column_int64(st, 1);
	long long uid = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	if (now - seen > idle || now - created > lifetime) {
		delete_hash(db, hash);
		return 0;
	}
	if (users_store_get(db, uid, a, user) != 1 || user->status != USER_ACTIVE) {
		delete_hash(db, hash);
		return 0;
	}
	/* Note activity, but not on every request: one write a minute at most (sooner for very
	 * short idle limits), so that reading pages does not mean writing the database. */
	long step = idle / 4 < 60 ? idle / 4 : 60;
	if (now - seen >= step) {
		st = db_stmt(db, DB_STORE_SESSIONS, session_sql, SESSION_STMT_TOUCH);
		if (st) {
			sqlite3_bind_int64(st, 1, now);
			sqlite3_bind_blob(st, 2, hash, sizeof(hash), SQLITE_STATIC);
			step_done(db, st, SESSION_STMT_TOUCH);
		}
	}
	sodium_bin2hex(hash_hex, 65, hash, sizeof(hash));
	return 1;
}

int
session_store_delete_by_token(struct db *db, const char *token)
{
	if (!token_well_formed(token))
		return 0;
	unsigned char hash[32];
	token_hash(token, hash);
	return delete_hash(db, hash);
}

int
session_store_delete_by_user(struct db *db, long long user_id)
{
	sqlite3_stmt *st = db_stmt(db, DB_STORE_SESSIONS, session_sql, SESSION_STMT_DELETE_USER);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, user_id);
	return step_done(db, st, SESSION_STMT_DELETE_USER);
}
