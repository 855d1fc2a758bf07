/* audit_store.c - SQL of the audit log. */
#include <string.h>

#include "audit.h"
#include "db/db.h"

enum audit_stmt { AUDIT_STMT_INSERT, AUDIT_STMT_LIST, AUDIT_STMT__MAX };

static const char *const audit_sql[AUDIT_STMT__MAX] = {
	[AUDIT_STMT_INSERT] =
		"INSERT INTO audit_log(actor_id, actor_email, action, entity, entity_id,"
		" detail, at) VALUES (nullif(?, 0), ?, ?, ?, ?, ?, ?)",
	[AUDIT_STMT_LIST] = "SELECT id, at, coalesce(actor_id, 0), actor_email, action, entity,"
			    " coalesce(entity_id, 0), detail FROM audit_log"
			    " WHERE id < ? ORDER BY id DESC LIMIT ?",
};

const struct db_table audit_store_table = {DB_STORE_AUDIT, "audit", audit_sql, AUDIT_STMT__MAX};

int
audit_store_add(struct db *db, struct audit_who who, const char *action, const char *entity,
		long long entity_id, const char *detail)
{
	struct db_stmt *st = db_stmt(db, &audit_store_table, AUDIT_STMT_INSERT);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, who.id);
	db_bind_text(st, 2, who.email ? who.email : "(shell)");
	db_bind_text(st, 3, action);
	db_bind_text(st, 4, entity);
	db_bind_int(st, 5, entity_id);
	db_bind_text(st, 6, detail ? detail : "");
	db_bind_time(st, 7, time(NULL));
	return db_run(st) < 0 ? -1 : 0;
}

int
audit_store_list(struct db *db, long long before_id, int limit, struct arena *a,
		 void (*fn)(void *ctx, const struct audit_entry *e), void *ctx)
{
	struct db_stmt *st = db_stmt(db, &audit_store_table, AUDIT_STMT_LIST);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, before_id > 0 ? before_id : (long long)1 << 62);
	db_bind_int(st, 2, limit);
	struct audit_entry e;
	int n = 0, rc;
	while ((rc = db_step(st)) == 1) {
		memset(&e, 0, sizeof(e));
		e.id = db_column_int(st, 0);
		e.at = db_column_text(a, st, 1);
		e.actor_id = db_column_int(st, 2);
		e.actor_email = db_column_text(a, st, 3);
		e.action = db_column_text(a, st, 4);
		e.entity = db_column_text(a, st, 5);
		e.entity_id = db_column_int(st, 6);
		e.detail = db_column_text(a, st, 7);
		fn(ctx, &e);
		n++;
	}
	return rc < 0 ? -1 : n;
}
