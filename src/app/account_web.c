/* account_web.c - the account page: the person signed in and their organisation (two modules).
 */
#include "app.h"
#include "auth/auth.h"
#include "orgs/orgs.h"
#include "routes.h"
#include "web/page.h"
#include "view/dates.h"

void
app_account(struct request *r)
{
	const struct user *u = r->user;
	struct tval *ctx = tv_obj(&r->arena);
	struct tval *me = tv_obj(&r->arena);
	tv_set_str(me, "name", u->name);
	tv_set_str(me, "email", u->email);
	tv_set_str(me, "role", page_t(r, arena_printf(&r->arena, "role.%s", role_name(u->role))));
	tv_set_str(me, "since", date_text(&r->arena, r->lang, u->created_at));
	tv_set(ctx, "me", me);
	struct org o;
	if (u->org_id && orgs_store_get(r->db, u->org_id, &r->arena, &o) == 1) {
		struct tval *org = tv_obj(&r->arena);
		tv_set_str(org, "name", o.name);
		tv_set_str(org, "href", arena_printf(&r->arena, "/orgs/%lld", o.id));
		tv_set(ctx, "org", org);
	}
	tv_set_bool(ctx, "staff", u->role >= ROLE_COORDINATOR);
	page_render(r, 200, "app/account", "account.title", ctx);
}
