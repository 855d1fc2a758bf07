/* admin_web.c - the coordinators' back office: dashboard, people and roles, audit log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/csv.h"
#include "db/db.h"
#include "orgs/orgs.h"
#include "app/app.h"
#include "web/form.h"
#include "web/page.h"
#include "view/dates.h"

#define PAGE_ROWS 50

void
admin_dashboard(struct request *r)
{
	struct tval *ctx = tv_obj(&r->arena);
	long long people[3];
	if (users_store_count(r->db, people) != 0) {
		resp_error(r, 500, "dashboard: database");
		return;
	}
	tv_set_int(ctx, "pending", people[USER_PENDING]);
	tv_set_int(ctx, "active", people[USER_ACTIVE]);
	tv_set_int(ctx, "disabled", people[USER_DISABLED]);
	tv_set_int(ctx, "orgs", orgs_store_count(r->db));
	long long waiting = 0, failed = 0;
	admin_store_mail_counts(r->db, &waiting, &failed);
	tv_set_int(ctx, "mail_waiting", waiting);
	tv_set_int(ctx, "mail_failed", failed);
	long long submitted = 0, draft = 0;
	admin_store_response_counts(r->db, &submitted, &draft);
	tv_set_int(ctx, "responses_submitted", submitted);
	tv_set_int(ctx, "responses_draft", draft);
	tv_set_bool(ctx, "admin", r->user->role >= ROLE_ADMIN);
	page_render(r, 200, "admin/dashboard", "admin.title", ctx);
}

struct users_ctx {
	struct request *r;
	struct tval *list;
	long long last;
};

static void
add_user_row(void *p, const struct user *u)
{
	struct users_ctx *c = p;
	struct request *r = c->r;
	struct tval *o = tv_push_obj(c->list);
	tv_set_int(o, "id", u->id);
	tv_set_str(o, "email", u->email);
	tv_set_str(o, "name", u->name);
	tv_set_str(o, "since", date_text(&r->arena, r->lang, u->created_at));
	tv_set_str(o, "status",
		   page_t(r, arena_printf(&r->arena, "status.%s", user_status_name(u->status))));
	tv_set_bool(o, "disabled", u->status == USER_DISABLED);
	tv_set_bool(o, "self", u->id == r->user->id);
	tv_set_str(o, "role_action", arena_printf(&r->arena, "/admin/users/%lld/role", u->id));
	tv_set_str(o, "status_action", arena_printf(&r->arena, "/admin/users/%lld/status", u->id));
	struct tval *roles = tv_list(&r->arena);
	for (int k = ROLE_MEMBER; k <= ROLE_ADMIN; k++) {
		struct tval *ro = tv_push_obj(roles);
		tv_set_str(ro, "code", role_name((enum role)k));
		tv_set_str(ro, "label",
			   page_t(r, arena_printf(&r->arena, "role.%s", role_name((enum role)k))));
		tv_set_bool(ro, "selected", (int)u->role == k);
	}
	tv_set(o, "roles", roles);
	if (u->org_id)
		tv_set_str(o, "org_href", arena_printf(&r->arena, "/orgs/%lld", u->org_id));
	c->last = u->id;
}

void
admin_users(struct request *r)
{
	struct tval *ctx = form_ctx(r);
	struct users_ctx c = {r, tv_list(&r->arena), 0};
	int n = users_store_list(r->db, req_int(r, "after"), PAGE_ROWS, &r->arena, add_user_row,
				 &c);
	if (n < 0) {
		resp_error(r, 500, "users: database");
		return;
	}
	tv_set(ctx, "users", c.list);
	if (n == PAGE_ROWS)
		tv_set_str(ctx, "next", arena_printf(&r->arena, "/admin/users?after=%lld", c.last));
	const char *done = req_query(r, "done");
	if (done)
		tv_set_str(ctx, "done",
			   page_t(r, arena_printf(&r->arena, "admin.users.done.%s", done)));
	page_render(r, 200, "admin/users", "admin.users.title", ctx);
}

/* The person of /admin/users/{id}/..., or a 404 page. */
static bool
target(struct request *r, struct user *u)
{
	int rc = users_store_get(r->db, req_int(r, "id"), &r->arena, u);
	if (rc < 0)
		resp_error(r, 500, "users: database");
	else if (rc == 0)
		resp_error(r, 404, NULL);
	return rc == 1;
}

void
admin_user_role(struct request *r)
{
	struct user u;
	if (!target(r, &u))
		return;
	enum role role;
	if (!role_parse(req_form(r, "role"), &role)) {
		resp_error(r, 400, NULL);
		return;
	}
	if (u.role == ROLE_ADMIN && role != ROLE_ADMIN &&
	    users_store_other_admin(r->db, u.id) != 1) {
		resp_redirect(r, "/admin/users?done=last_admin");
		return;
	}
	if (db_begin(r->db) != 0 || users_store_set_role(r->db, u.id, role) != 0 ||
	    audit_store_add(
		    r->db, AUDIT_BY(r->user), "user.role", "user", u.id,
		    arena_printf(&r->arena, "%s -> %s", role_name(u.role), role_name(role))) != 0 ||
	    db_commit(r->db) != 0) {
		db_rollback(r->db);
		resp_error(r, 500, "users: could not save");
		return;
	}
	resp_redirect(r, "/admin/users?done=role");
}

void
admin_user_status(struct request *r)
{
	struct user u;
	if (!target(r, &u))
		return;
	const char *want = req_form(r, "status");
	enum user_status st = want && strcmp(want, "disabled") == 0 ? USER_DISABLED : USER_ACTIVE;
	if (st == USER_DISABLED && u.role == ROLE_ADMIN &&
	    users_store_other_admin(r->db, u.id) != 1) {
		resp_redirect(r, "/admin/users?done=last_admin");
		return;
	}
	/* Disabling ends the person's sessions at once. */
	if (db_begin(r->db) != 0 || users_store_set_status(r->db, u.id, st) != 0 ||
	    (st == USER_DISABLED && session_store_delete_by_user(r->db, u.id) != 0) ||
	    audit_store_add(r->db, AUDIT_BY(r->user),
			    st == USER_DISABLED ? "user.disable" : "user.enable", "user", u.id,
			    u.email) != 0 ||
	    db_commit(r->db) != 0) {
		db_rollback(r->db);
		resp_error(r, 500, "users: could not save");
		return;
	}
	resp_redirect(r, "/admin/users?done=status");
}

struct audit_ctx {
	struct request *r;
	struct tval *list;
	struct buf *csv;
	long long last;
};

static void
add_audit_row(void *p, const struct audit_entry *e)
{
	struct audit_ctx *c = p;
	struct request *r = c->r;
	c->last = e->id;
	if (c->csv) {
		char id[24], eid[24];
		snprintf(id, sizeof(id), "%lld", e->id);
		snprintf(eid, sizeof(eid), "%lld", e->entity_id);
		const char *cells[] = {id,        e->at, e->actor_email, e->action,
				       e->entity, eid,   e->detail};
		for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
			csv_cell(c->csv, cells[i]);
		csv_end_row(c->csv);
		return;
	}
	struct tval *o = tv_push_obj(c->list);
	tv_set_str(o, "at", date_time_text(&r->arena, r->lang, e->at));
	tv_set_str(o, "actor", e->actor_email);
	tv_set_str(o, "action", e->action);
	tv_set_str(o, "entity", arena_printf(&r->arena, "%s #%lld", e->entity, e->entity_id));
	tv_set_str(o, "detail", e->detail);
}

void
admin_audit(struct request *r)
{
	struct tval *ctx = tv_obj(&r->arena);
	struct audit_ctx c = {r, tv_list(&r->arena), NULL, 0};
	int n = audit_store_list(r->db, req_int(r, "before"), PAGE_ROWS, &r->arena, add_audit_row,
				 &c);
	if (n < 0) {
		resp_error(r, 500, "audit: database");
		return;
	}
	tv_set(ctx, "entries", c.list);
	if (n == PAGE_ROWS)
		tv_set_str(ctx, "next",
			   arena_printf(&r->arena, "/admin/audit?before=%lld", c.last));
	page_render(r, 200, "admin/audit", "admin.audit.title", ctx);
}

void
admin_audit_csv(struct request *r)
{
	struct audit_ctx c = {r, NULL, &r->out, 0};
	csv_bom(&r->out);
	const char *head[] = {"id", "at", "actor", "action", "entity", "entity_id", "detail"};
	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		csv_cell(&r->out, head[i]);
	csv_end_row(&r->out);
	long long before = 0;
	int n;
	do { /* every entry, a page at a time */
		c.last = 0;
		n = audit_store_list(r->db, before, 1000, &r->arena, add_audit_row, &c);
		before = c.last;
	} while (n == 1000);
	if (n < 0) {
		resp_error(r, 500, "audit export: database");
		return;
	}
	resp_header(r, "Content-Disposition", "attachment; filename=\"coexist-audit.csv\"");
	resp_send(r, 200, "text/csv; charset=utf-8");
}
