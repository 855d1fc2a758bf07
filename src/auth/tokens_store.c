/* tokens_store.c - SQL of one-time links: stored hashed, single use, with an expiry. */
#include <stdio.h>

#include "auth.h"
#include "db/db.h"
#include "base/token.h"

enum tokens_stmt {
	TOKENS_STMT_INSERT,
	TOKENS_STMT_PEEK,
	TOKENS_STMT_USE,
	TOKENS_STMT_RECENT,
	TOKENS_STMT__MAX
};

static const char *const tokens_sql[TOKENS_STMT__MAX] = {
	[TOKENS_STMT_INSERT] = "INSERT INTO one_time_tokens(token_hash, user_id, purpose, expires_at)"
	                       " VALUES (?, ?, ?, ?)",
	[TOKENS_STMT_PEEK] = "SELECT user_id FROM one_time_tokens WHERE token_hash = ? AND purpose = ?"
	                     " AND used_at IS NULL AND expires_at > ?",
	/* One statement marks it used only if it was still usable: two tabs clicking the same
	 * link cannot both use it. */
	[TOKENS_STMT_USE] = "UPDATE one_time_tokens SET used_at = ?3 WHERE token_hash = ?1"
	                    " AND purpose = ?2 AND used_at IS NULL AND expires_at > ?3"
	                    " RETURNING user_id",
	/* Made after ?4: a link expiring after ?4 + ttl. */
	[TOKENS_STMT_RECENT] = "SELECT count(*) FROM one_time_tokens WHERE user_id = ? AND purpose = ?"
	                       " AND expires_at > ?",
};

static const char *
purpose_name(enum token_purpose p)
{
	return p == TOKEN_CONFIRM ? "confirm" : "reset";
}

int
tokens_store_create(struct db *db, long long user_id, enum token_purpose purpose, time_t now,
                    long ttl, char token[44])
{
	unsigned char hash[32];
	token_new(token);
	token_hash(token, hash);
	sqlite3_stmt *st = db_stmt(db, DB_STORE_TOKENS, tokens_sql, TOKENS_STMT_INSERT);
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, user_id);
	db_bind_text(st, 3, purpose_name(purpose));
	sqlite3_bind_int64(st, 4, now + ttl);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_error(db, tokens_sql[TOKENS_STMT_INSERT]);
		return -1;
	}
	return 0;
}

static long long
one(struct db *db, enum tokens_stmt which, const char *token, enum token_purpose purpose,
    time_t now)
{
	if (!token_well_formed(token))
		return 0;
	unsigned char hash[32];
	token_hash(token, hash);
	sqlite3_stmt *st = db_stmt(db, DB_STORE_TOKENS, tokens_sql, which);
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_STATIC);
	db_bind_text(st, 2, purpose_name(purpose));
	sqlite3_bind_int64(st, 3, now);
	int rc = sqlite3_step(st);
	long long uid = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(st); /* let RETURNING finish its statement */
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		db_error(db, tokens_sql[which]);
		return -1;
	}
	return uid;
}

long long
tokens_store_peek(struct db *db, const char *token, enum token_purpose purpose, time_t now)
{
	return one(db, TOKENS_STMT_PEEK, token, purpose, now);
}

long long
tokens_store_consume(struct db *db, const char *token, enum token_purpose purpose, time_t now)
{
	return one(db, TOKENS_STMT_USE, token, purpose, now);
}

int
tokens_store_recent(struct db *db, long long user_id, enum token_purpose purpose, time_t now,
                    long ttl, long window)
{
	sqlite3_stmt *st = db_stmt(db, DB_STORE_TOKENS, tokens_sql, TOKENS_STMT_RECENT);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, user_id);
	db_bind_text(st, 2, purpose_name(purpose));
	sqlite3_bind_int64(st, 3, now - window + ttl);
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}
