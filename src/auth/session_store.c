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
	[SESSION_STMT_INSERT] =
		"INSERT INTO sessions(token_hash, user_id, created_at, last_seen_at)"
		" VALUES (?, ?, ?, ?)",
	[SESSION_STMT_LOOKUP] = "SELECT s.created_at, s.last_seen_at, u.id FROM sessions s"
				" JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
	[SESSION_STMT_TOUCH] = "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?",
	[SESSION_STMT_DELETE] = "DELETE FROM sessions WHERE token_hash = ?",
	[SESSION_STMT_DELETE_USER] = "DELETE FROM sessions WHERE user_id = ?",
};

const struct db_table session_store_table = {DB_STORE_SESSIONS, "sessions", session_sql,
					     SESSION_STMT__MAX};

static struct db_stmt *
stmt(struct db *db, enum session_stmt s)
{
	return db_stmt(db, &session_store_table, s);
}

int
session_store_create(struct db *db, long long user_id, time_t now, char token[44])
{
	unsigned char hash[32];
	token_new(token);
	token_hash(token, hash);
	struct db_stmt *st = stmt(db, SESSION_STMT_INSERT);
	if (st == NULL)
		return -1;
	db_bind_blob(st, 1, hash, sizeof(hash));
	db_bind_int(st, 2, user_id);
	db_bind_time(st, 3, now);
	db_bind_time(st, 4, now);
	return db_run(st) < 0 ? -1 : 0;
}

static int
delete_hash(struct db *db, const unsigned char hash[32])
{
	struct db_stmt *st = stmt(db, SESSION_STMT_DELETE);
	if (st == NULL)
		return -1;
	db_bind_blob(st, 1, hash, 32);
	return db_run(st) < 0 ? -1 : 0;
}

int
session_store_lookup(struct db *db, const char *token, time_t now, long idle, long lifetime,
		     struct arena *a, struct user *user, char hash_hex[65])
{
	if (!token_well_formed(token))
		return 0;
	unsigned char hash[32];
	token_hash(token, hash);
	struct db_stmt *st = stmt(db, SESSION_STMT_LOOKUP);
	if (st == NULL)
		return -1;
	db_bind_blob(st, 1, hash, sizeof(hash));
	int rc = db_step(st);
	if (rc != 1)
		return rc;
	time_t created = db_column_time(st, 0);
	time_t seen = db_column_time(st, 1);
	long long uid = db_column_int(st, 2);
	db_reset(st);
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
	if (now - seen >= step && (st = stmt(db, SESSION_STMT_TOUCH)) != NULL) {
		db_bind_time(st, 1, now);
		db_bind_blob(st, 2, hash, sizeof(hash));
		db_run(st);
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
	struct db_stmt *st = stmt(db, SESSION_STMT_DELETE_USER);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	return db_run(st) < 0 ? -1 : 0;
}
