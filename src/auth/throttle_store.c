/* throttle_store.c - SQL of sign-in attempts: failures counted per address and per IP. */
#include <stdio.h>

#include "auth.h"
#include "db/db.h"

enum throttle_stmt {
	THROTTLE_STMT_INSERT,
	THROTTLE_STMT_EMAIL,
	THROTTLE_STMT_IP,
	THROTTLE_STMT_PRUNE,
	THROTTLE_STMT_CLEAR,
	THROTTLE_STMT__MAX
};

/* The count of failures in the window, and the time of the oldest of the last THROTTLE_MAX
 * failures: the next attempt is allowed once that one leaves the window. */
#define WINDOW_QUERY(col)                                                                          \
	"SELECT count(*), min(at) FROM (SELECT at FROM signin_attempts WHERE " col " = ?1"         \
	" AND ok = 0 AND at > ?2 ORDER BY at DESC LIMIT ?3)"

static const char *const throttle_sql[THROTTLE_STMT__MAX] = {
	[THROTTLE_STMT_INSERT] =
		"INSERT INTO signin_attempts(email, ip, at, ok) VALUES (?, ?, ?, ?)",
	[THROTTLE_STMT_EMAIL] = WINDOW_QUERY("email"),
	[THROTTLE_STMT_IP] = WINDOW_QUERY("ip"),
	[THROTTLE_STMT_PRUNE] = "DELETE FROM signin_attempts WHERE at < ?",
	[THROTTLE_STMT_CLEAR] = "DELETE FROM signin_attempts WHERE email = ? AND ok = 0",
};

const struct db_table throttle_store_table = {DB_STORE_THROTTLE, "throttle", throttle_sql,
					      THROTTLE_STMT__MAX};

static struct db_stmt *
stmt(struct db *db, enum throttle_stmt s)
{
	return db_stmt(db, &throttle_store_table, s);
}

int
throttle_store_record(struct db *db, const char *email, const char *ip, bool ok, time_t now)
{
	struct db_stmt *st = stmt(db, THROTTLE_STMT_INSERT);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, email);
	db_bind_text(st, 2, ip);
	db_bind_time(st, 3, now);
	db_bind_int(st, 4, ok);
	return db_run(st) < 0 ? -1 : 0;
}

static long
wait_for(struct db *db, enum throttle_stmt which, const char *key, time_t now)
{
	struct db_stmt *st = stmt(db, which);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, key);
	db_bind_time(st, 2, now - THROTTLE_WINDOW);
	db_bind_int(st, 3, THROTTLE_MAX);
	if (db_step(st) != 1)
		return -1; /* an aggregate always gives its row */
	long wait = 0;
	if (db_column_int(st, 0) >= THROTTLE_MAX)
		wait = (long)(db_column_time(st, 1) + THROTTLE_WINDOW - now) + 1;
	db_reset(st);
	return wait;
}

long
throttle_store_wait(struct db *db, const char *email, const char *ip, time_t now)
{
	long a = wait_for(db, THROTTLE_STMT_EMAIL, email, now);
	long b = wait_for(db, THROTTLE_STMT_IP, ip, now);
	if (a < 0 || b < 0)
		return -1;
	return a > b ? a : b;
}

int
throttle_store_prune(struct db *db, time_t now)
{
	struct db_stmt *st = stmt(db, THROTTLE_STMT_PRUNE);
	if (st == NULL)
		return -1;
	db_bind_time(st, 1, now - 86400);
	return db_run(st) < 0 ? -1 : 0;
}

int
throttle_store_clear_address(struct db *db, const char *email)
{
	struct db_stmt *st = stmt(db, THROTTLE_STMT_CLEAR);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, email);
	return db_run(st) < 0 ? -1 : 0;
}
