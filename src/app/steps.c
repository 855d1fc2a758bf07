/* steps.c - the steps that cross modules: what submitting a response makes (its cases, the
 * feedback shown after), what confirming an address makes (the organisation typed at sign-up).
 * The module where a step starts calls it through app->steps, so that no module calls one
 * above it. */
#include "steps.h"

#include "app.h"
#include "auth/auth.h"
#include "cases/cases_priv.h"
#include "learn/learn.h"
#include "orgs/orgs.h"

static int
response_submitted(struct request *r, long long response_id)
{
	/* A consent withdrawn or narrowed unpublishes the cases made from it, now. */
	return cases_refresh_response(r->db, app_of(r), response_id, &r->arena) < 0 ? -1 : 0;
}

static void
response_feedback(struct request *r, long long response_id, struct tval *ctx)
{
	learn_feedback(r, response_id, ctx);
}

static int
address_confirmed(struct request *r, long long user_id)
{
	char *name = NULL, *kind = NULL;
	int typed = users_store_signup_org(r->db, user_id, &r->arena, &name, &kind);
	if (typed <= 0)
		return typed; /* 0: nothing typed (an account made otherwise) */
	long long org = orgs_store_create(r->db, name, kind, "", "");
	return org > 0 && users_store_set_org(r->db, user_id, org) == 0 ? 0 : -1;
}

const struct app_steps app_steps = {
	.response_submitted = response_submitted,
	.response_feedback = response_feedback,
	.address_confirmed = address_confirmed,
};
