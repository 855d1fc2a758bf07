/* cases_admin.c - the coordinators' curation of cases: made from responses, edited, reviewed,
 * moved through draft → review → published → archived (audited), and printed as booklets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/arena.h"
#include "cases_priv.h"
#include "cases_web.h"
#include "db/db.h"
#include "survey/survey.h"
#include "cases/case_pdf.h"
#include "app/app.h"
#include "web/form.h"
#include "web/page.h"

static bool
load(struct request *r, struct case_row *c)
{
	int rc = cases_store_get(r->db, req_int(r, "id"), &r->arena, c);
	if (rc <= 0)
		resp_error(r, rc < 0 ? 500 : 404, "cases: get");
	return rc == 1;
}

struct list_ctx {
	struct request *r;
	struct tval *list;
};

static void
add_row(void *p, const struct case_row *c)
{
	struct list_ctx *x = p;
	struct request *r = x->r;
	struct tval *o = tv_push_obj(x->list);
	tv_set_int(o, "id", c->id);
	tv_set_str(o, "href", arena_printf(&r->arena, "/admin/cases/%lld", c->id));
	tv_set_str(o, "title", c->title_fr);
	tv_set_str(o, "state",
		   page_t(r, arena_printf(&r->arena, "cases.state.%s", case_state_name(c->state))));
	tv_set_str(
		o, "consent",
		page_t(r, arena_printf(&r->arena, "cases.consent.%s", web_consent_name(c->web))));
	tv_set_bool(o, "events", c->events);
	tv_set_bool(o, "published", c->state == CASE_PUBLISHED);
	if (c->state == CASE_PUBLISHED)
		tv_set_str(o, "public", arena_printf(&r->arena, "/cases/%lld", c->id));
}

void
cases_admin_list(struct request *r)
{
	struct tval *ctx = form_ctx(r);
	struct list_ctx x = {r, tv_list(&r->arena)};
	if (cases_store_list_admin(r->db, 500, &r->arena, add_row, &x) < 0) {
		resp_error(r, 500, "cases: list");
		return;
	}
	tv_set(ctx, "cases", x.list);
	page_render(r, 200, "cases/admin_list", "cases.admin.title", ctx);
}

void
cases_admin_create(struct request *r)
{
	/* A case prefilled from a response (and the partner's view when linked). */
	long long rid = req_int(r, "id");
	struct response resp;
	if (survey_store_response_get(r->db, rid, &r->arena, &resp) != 1 || !resp.submitted) {
		resp_error(r, 404, NULL);
		return;
	}
	struct answers a, b;
	answers_init(&a, &r->arena);
	answers_init(&b, &r->arena);
	long long partner =
		resp.partner_of ? resp.partner_of : survey_store_partner_response(r->db, rid);
	struct response presp;
	bool with_partner = partner > 0 &&
			    survey_store_response_get(r->db, partner, &r->arena, &presp) == 1 &&
			    presp.submitted;
	/* From what was sent, never from drafts saved since, read by the roles of the
	 * questionnaire each answers. */
	const struct qdef *d = survey_response_qdef(r->db, app_of(r), rid, &r->arena);
	const struct qdef *pd =
		with_partner ? survey_response_qdef(r->db, app_of(r), partner, &r->arena) : NULL;
	if (d == NULL || (with_partner && pd == NULL) ||
	    survey_store_last_version(r->db, rid, &a) != 1 ||
	    (with_partner && survey_store_last_version(r->db, partner, &b) != 1)) {
		resp_error(r, 500, "cases: answers");
		return;
	}
	struct case_row c;
	cases_from_answers(d, &a, pd, with_partner ? &b : NULL, &r->arena, &c);
	c.response_id = rid;
	c.partner_response = with_partner ? partner : 0;
	long long id;
	if (db_begin(r->db) != 0 || (id = cases_store_create(r->db, &c)) <= 0 ||
	    cases_refresh(r->db, app_of(r), id, &r->arena) != 0 ||
	    audit_store_add(r->db, AUDIT_BY(r->user), "case.create", "case", id,
			    arena_printf(&r->arena, "from response %lld", rid)) != 0 ||
	    db_commit(r->db) != 0) {
		db_rollback(r->db);
		resp_error(r, 500, "cases: could not create");
		return;
	}
	resp_redirect(r, arena_printf(&r->arena, "/admin/cases/%lld", id));
}

void
cases_admin_edit(struct request *r)
{
	struct case_row c;
	if (!load(r, &c))
		return;
	struct tval *ctx = form_ctx(r);
	tv_set_int(ctx, "id", c.id);
	const char *fields[] = {"title_fr",   "title_en",    "summary_fr", "summary_en",
				"results_fr", "results_en",  "lessons_fr", "lessons_en",
				"org_name",   "partner_name"};
	const char *values[] = {c.title_fr,   c.title_en,    c.summary_fr, c.summary_en,
				c.results_fr, c.results_en,  c.lessons_fr, c.lessons_en,
				c.org_name,   c.partner_name};
	for (size_t i = 0; i < 10; i++)
		tv_set_str(ctx, fields[i], values[i]);
	tv_set_str(ctx, "state",
		   page_t(r, arena_printf(&r->arena, "cases.state.%s", case_state_name(c.state))));
	tv_set_str(ctx, "consent",
		   page_t(r, arena_printf(&r->arena, "cases.consent.%s", web_consent_name(c.web))));
	tv_set_bool(ctx, "anonymised", c.web == WEB_ANONYMISED);
	tv_set_bool(ctx, "reviewed", c.texts_reviewed);
	tv_set_bool(ctx, "events", c.events);
	tv_set_bool(ctx, "may_contact", c.may_contact);
	struct case_public pub;
	tv_set_bool(ctx, "publishable",
		    c.state != CASE_PUBLISHED &&
			    case_public_view(&(struct case_row){.state = CASE_PUBLISHED,
								.web = c.web,
								.texts_reviewed = c.texts_reviewed},
					     "fr", &pub));
	tv_set_bool(ctx, "published", c.state == CASE_PUBLISHED);
	tv_set_bool(ctx, "draft", c.state == CASE_DRAFT);
	tv_set_bool(ctx, "archived", c.state == CASE_ARCHIVED);
	if (c.response_id)
		tv_set_str(ctx, "response",
			   arena_printf(&r->arena, "/admin/responses/%lld", c.response_id));
	tv_set_str(ctx, "action", arena_printf(&r->arena, "/admin/cases/%lld", c.id));
	tv_set_str(ctx, "state_action", arena_printf(&r->arena, "/admin/cases/%lld/state", c.id));
	if (c.state == CASE_PUBLISHED)
		tv_set_str(ctx, "public", arena_printf(&r->arena, "/cases/%lld", c.id));
	const char *done = req_query(r, "done");
	if (done)
		tv_set_str(ctx, "done", page_t(r, arena_printf(&r->arena, "cases.done.%s", done)));
	page_render(r, 200, "cases/admin_edit", "cases.admin.title", ctx);
}

void
cases_admin_save(struct request *r)
{
	struct case_row c;
	if (!load(r, &c))
		return;
	const char *fields[] = {"title_fr",   "title_en",    "summary_fr", "summary_en",
				"results_fr", "results_en",  "lessons_fr", "lessons_en",
				"org_name",   "partner_name"};
	const char **slots[] = {&c.title_fr,   &c.title_en,    &c.summary_fr, &c.summary_en,
				&c.results_fr, &c.results_en,  &c.lessons_fr, &c.lessons_en,
				&c.org_name,   &c.partner_name};
	for (size_t i = 0; i < 10; i++) {
		const char *v = req_form(r, fields[i]);
		if (v)
			*slots[i] = v;
	}
	if (c.title_fr[0] == '\0') {
		resp_redirect(r, arena_printf(&r->arena, "/admin/cases/%lld?done=no_title", c.id));
		return;
	}
	/* Reading the free texts of an anonymised case is what allows its publication. */
	bool reviewed = req_form(r, "reviewed") != NULL;
	if (db_begin(r->db) != 0 || cases_store_update_texts(r->db, &c) != 0 ||
	    cases_store_set_reviewed(r->db, c.id, reviewed) != 0 ||
	    cases_refresh(r->db, app_of(r), c.id, &r->arena) != 0 ||
	    audit_store_add(r->db, AUDIT_BY(r->user), "case.edit", "case", c.id,
			    reviewed ? "texts reviewed" : "") != 0 ||
	    db_commit(r->db) != 0) {
		db_rollback(r->db);
		resp_error(r, 500, "cases: could not save");
		return;
	}
	resp_redirect(r, arena_printf(&r->arena, "/admin/cases/%lld?done=saved", c.id));
}

void
cases_admin_state(struct request *r)
{
	struct case_row c;
	if (!load(r, &c))
		return;
	enum case_state to;
	if (!case_state_parse(req_form(r, "state"), &to)) {
		resp_error(r, 400, NULL);
		return;
	}
	/* Never beyond consent: publishing needs a web consent (and reviewed texts if anonymised).
	 */
	struct case_row would = c;
	would.state = to;
	struct case_public pub;
	if (to == CASE_PUBLISHED && !case_public_view(&would, "fr", &pub)) {
		resp_redirect(r,
			      arena_printf(&r->arena, "/admin/cases/%lld?done=not_allowed", c.id));
		return;
	}
	const char *detail =
		arena_printf(&r->arena, "%s -> %s", case_state_name(c.state), case_state_name(to));
	if (db_begin(r->db) != 0 || cases_store_set_state(r->db, c.id, to) != 0 ||
	    cases_refresh(r->db, app_of(r), c.id, &r->arena) != 0 ||
	    audit_store_add(r->db, AUDIT_BY(r->user), "case.state", "case", c.id, detail) != 0 ||
	    db_commit(r->db) != 0) {
		db_rollback(r->db);
		resp_error(r, 500, "cases: could not save");
		return;
	}
	resp_redirect(r, arena_printf(&r->arena, "/admin/cases/%lld?done=state", c.id));
}

void
cases_admin_booklet(struct request *r)
{
	/* The chosen cases (repeated "case" fields) that have the events consent, as one PDF. */
	const char *lang = r->lang == LANG_EN ? "en" : "fr";
	const long long *ids;
	size_t nids = req_ints(r, "case", &ids);
	const struct case_public **list =
		arena_alloc(&r->arena, (nids + 1) * sizeof(const struct case_public *));
	size_t n = 0;
	for (size_t i = 0; i < nids; i++) {
		struct case_row c;
		struct case_public *p = arena_alloc(&r->arena, sizeof(*p));
		if (cases_store_get(r->db, ids[i], &r->arena, &c) == 1 &&
		    case_events_view(&c, lang, p))
			list[n++] = p;
	}
	if (n == 0) {
		resp_redirect(r, "/admin/cases?done=booklet_empty");
		return;
	}
	const char *title = req_form(r, "title");
	char err[256];
	if (case_booklet_pdf(list, n, lang,
			     title && title[0] ? title : page_t(r, "cases.booklet.default"),
			     cases_label, r, &r->out, err, sizeof(err)) != 0) {
		resp_error(r, 500, err);
		return;
	}
	resp_header(r, "Content-Disposition", "attachment; filename=\"coexist-booklet.pdf\"");
	resp_send(r, 200, "application/pdf");
}
