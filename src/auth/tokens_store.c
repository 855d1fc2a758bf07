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
	[TOKENS_STMT_INSERT] =
		"INSERT INTO one_time_tokens(token_hash, user_id, purpose, expires_at)"
		" VALUES (?, ?, ?, ?)",
	[TOKENS_STMT_PEEK] =
		"SELECT user_id FROM one_time_tokens WHERE token_hash = ? AND purpose = ?"
		" AND used_at IS NULL AND expires_at > ?",
	/* One statement marks it used only if it was still usable: two tabs clicking the same
	 * link cannot both use it. */
	[TOKENS_STMT_USE] = "UPDATE one_time_tokens SET used_at = ?3 WHERE token_hash = ?1"
			    " AND purpose = ?2 AND used_at IS NULL AND expires_at > ?3"
			    " RETURNING user_id",
	/* Made after ?4: a link expiring after ?4 + ttl. */
	[TOKENS_STMT_RECENT] =
		"SELECT count(*) FROM one_time_tokens WHERE user_id = ? AND purpose = ?"
		" AND expires_at > ?",
};

const struct db_table tokens_store_table = {DB_STORE_TOKENS, "tokens", tokens_sql,
					    TOKENS_STMT__MAX};

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
	struct db_stmt *st = db_stmt(db, &tokens_store_table, TOKENS_STMT_INSERT);
	if (st == NULL)
		return -1;
	db_bind_blob(st, 1, hash, sizeof(hash));
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, purpose_name(purpose));
	db_bind_time(st, 4, now + ttl);
	return db_run(st) < 0 ? -1 : 0;
}

static long long
one(struct db *db, enum tokens_stmt which, const char *token, enum token_purpose purpose,
    time_t now)
{
	if (!token_well_formed(token))
		return 0;
	unsigned char hash[32];
	token_hash(token, hash);
	struct db_stmt *st = db_stmt(db, &tokens_store_table, which);
	if (st == NULL)
		return -1;
	db_bind_blob(st, 1, hash, sizeof(hash));
	db_bind_text(st, 2, purpose_name(purpose));
	db_bind_time(st, 3, now);
	return db_one_int(st, 0);
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
	struct db_stmt *st = db_stmt(db, &tokens_store_table, TOKENS_STMT_RECENT);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, purpose_name(purpose));
	db_bind_time(st, 3, now - window + ttl);
	return (int)db_one_int(st, -1);
}
