/* orgs_web.c - an organisation's own page: its members see and edit it, nobody else does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/user.h"
#include "db/db.h"
#include "orgs.h"
#include "app/app.h"
#include "web/form.h"
#include "vocab/vocab.h"
#include "web/page.h"
#include "view/dates.h"

/* Loads the organisation of the URL if the person may see it: their own, or any for
 * coordinators. Anything else is a 404, exactly like an id that does not exist. */
static bool
load_visible(struct request *r, struct org *o)
{
	long long id = req_int(r, "id");
	bool allowed = r->user->role >= ROLE_COORDINATOR || r->user->org_id == id;
	int rc = allowed ? orgs_store_get(r->db, id, &r->arena, o) : 0;
	if (rc < 0)
		resp_error(r, 500, "orgs: database");
	else if (rc == 0)
		resp_error(r, 404, NULL);
	return rc == 1;
}

static void
render(struct request *r, int status, const struct org *o, struct tval *ctx)
{
	tv_set_int(ctx, "id", o->id);
	if (tv_get(ctx, "name") == NULL)
		tv_set_str(ctx, "name", o->name);
	if (tv_get(ctx, "description") == NULL)
		tv_set_str(ctx, "description", o->description);
	const struct vocab *kinds = vocab_find(app_of(r)->vocab, "org_kinds");
	const struct qoption *kind = kinds ? vocab_option(kinds->options, kinds->n, o->kind) : NULL;
	tv_set_str(ctx, "kind",
		   kind ? (r->lang == LANG_EN ? kind->label.en : kind->label.fr) : o->kind);
	tv_set_str(ctx, "updated", date_text(&r->arena, r->lang, o->updated_at));
	tv_set_str(ctx, "action", arena_printf(&r->arena, "/orgs/%lld", o->id));
	const char *done = req_query(r, "done");
	if (done)
		tv_set_str(ctx, "done", page_t(r, "org.saved"));
	page_render(r, status, "orgs/org", "org.title", ctx);
}

void
orgs_page(struct request *r)
{
	struct org o;
	if (load_visible(r, &o))
		render(r, 200, &o, form_ctx(r));
}

void
orgs_save(struct request *r)
{
	struct org o;
	if (!load_visible(r, &o))
		return;
	const char *name = req_form(r, "name"), *desc = req_form(r, "description");
	struct tval *ctx = form_ctx(r);
	form_keep(r, ctx, "name");
	form_keep(r, ctx, "description");
	if (name == NULL || strlen(name) < 2)
		form_error(r, ctx, "name", "form.required");
	if (form_has_errors(ctx)) {
		render(r, 422, &o, ctx);
		return;
	}
	bool staff = r->user->role >= ROLE_COORDINATOR;
	if (db_begin(r->db) != 0 || orgs_store_update(r->db, o.id, name, desc ? desc : "") != 0 ||
	    (staff && audit_store_add(r->db, AUDIT_BY(r->user), "org.update", "organisation", o.id,
				      name) != 0) ||
	    db_commit(r->db) != 0) {
		db_rollback(r->db);
		resp_error(r, 500, "orgs: could not save");
		return;
	}
	resp_redirect(r, arena_printf(&r->arena, "/orgs/%lld?done=saved", o.id));
}
