/* rate_store.c - SQL and rule of the limits per client address (rate.h). */
#include <stdio.h>
#include <time.h>

#include "app/app.h"
#include "base/log.h"
#include "db/db.h"
#include "form.h"
#include "rate.h"
#include "web/page.h"

enum rate_stmt { RATE_STMT_COUNT, RATE_STMT_INSERT, RATE_STMT_PRUNE, RATE_STMT__MAX };

static const char *const rate_sql[RATE_STMT__MAX] = {
	[RATE_STMT_COUNT] = "SELECT count(*), min(at) FROM rate_events WHERE action = ? AND ip = ?"
			    " AND at > ?",
	[RATE_STMT_INSERT] = "INSERT INTO rate_events(action, ip, at) VALUES (?, ?, ?)",
	[RATE_STMT_PRUNE] = "DELETE FROM rate_events WHERE at < ?",
};

const struct db_table rate_store_table = {DB_STORE_RATE, "rate", rate_sql, RATE_STMT__MAX};

bool
rate_allow(struct request *r, const char *action, long max, long window)
{
	const char *ip = req_client_ip(r);
	time_t now = time(NULL);
	struct db_stmt *st = db_stmt(r->db, &rate_store_table, RATE_STMT_COUNT);
	if (st == NULL) {
		resp_error(r, 500, "rate: count");
		return false;
	}
	db_bind_text(st, 1, action);
	db_bind_text(st, 2, ip);
	db_bind_time(st, 3, now - window);
	long count = 0, oldest = now;
	if (db_step(st) == 1) {
		count = (long)db_column_int(st, 0);
		oldest = (long)db_column_time(st, 1);
		db_reset(st);
	}
	if (count >= max) {
		long wait = oldest + window - (long)now + 1;
		log_warn("%s refused: more than %ld from %s in %ld s", action, max, ip, window);
		resp_header(r, "Retry-After", arena_printf(&r->arena, "%ld", wait > 0 ? wait : 1));
		page_message(r, 429, "rate.heading", "rate.text", "/", "nav.home");
		return false;
	}
	if ((st = db_stmt(r->db, &rate_store_table, RATE_STMT_INSERT)) != NULL) {
		db_bind_text(st, 1, action);
		db_bind_text(st, 2, ip);
		db_bind_time(st, 3, now);
		db_run(st);
	}
	if (now % 64 == 0 && (st = db_stmt(r->db, &rate_store_table, RATE_STMT_PRUNE)) != NULL) {
		db_bind_time(st, 1, now - 86400); /* now and then: events are kept a day */
		db_run(st);
	}
	return true;
}
