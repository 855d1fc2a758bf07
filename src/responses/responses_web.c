/* responses_web.c - the coordinators' pages of collection: responses, notes, locks, campaigns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/num.h"
#include "db/db.h"
#include "responses.h"
#include "survey/survey_web.h"
#include "app/app.h"
#include "web/form.h"
#include "web/page.h"
#include "view/dates.h"

#define PAGE_ROWS 50

static const char *
tx(const struct request *r, struct qtext t)
{
	return r->lang == LANG_EN ? t.en : t.fr;
}

struct list_ctx {
	struct request *r;
	struct tval *list;
	long long last;
};

static void
add_row(void *p, const struct response_row *row)
{
	struct list_ctx *c = p;
	struct request *r = c->r;
	struct tval *o = tv_push_obj(c->list);
	tv_set_int(o, "id", row->id);
	tv_set_str(o, "href", arena_printf(&r->arena, "/admin/responses/%lld", row->id));
	tv_set_str(o, "campaign", row->campaign);
	tv_set_str(o, "org", row->org_name);
	tv_set_str(o, "title", row->title);
	tv_set_str(o, "status",
		   page_t(r, row->submitted ? "responses.status.submitted"
					    : "responses.status.draft"));
	tv_set_bool(o, "locked", row->locked);
	tv_set_bool(o, "partner", row->partner_of != 0);
	tv_set_str(o, "updated", date_text(&r->arena, r->lang, row->updated_at));
	c->last = row->id;
}

struct campaign_ctx {
	struct request *r;
	struct tval *list;
	long long chosen;
};

static void
add_campaign(void *p, const struct campaign *cp)
{
	struct campaign_ctx *c = p;
	struct request *r = c->r;
	struct tval *o = tv_push_obj(c->list);
	tv_set_int(o, "id", cp->id);
	tv_set_str(o, "slug", cp->slug);
	tv_set_str(o, "title", r->lang == LANG_EN ? cp->title_en : cp->title_fr);
	tv_set_str(o, "opens", cp->opens_at);
	tv_set_str(o, "closes", cp->closes_at);
	tv_set_bool(o, "open", campaign_is_open(cp, time(NULL)));
	tv_set_bool(o, "selected", cp->id == c->chosen);
	tv_set_str(o, "action", arena_printf(&r->arena, "/admin/campaigns/%lld/dates", cp->id));
	tv_set_str(o, "contact_name", cp->contact_name);
	tv_set_str(o, "contact_email", cp->contact_email);
	tv_set_str(o, "questionnaire",
		   arena_printf(&r->arena, "%s-v%d", cp->questionnaire, cp->version));
}

/* The options of a vocabulary list for a filter, with the chosen one selected. */
static struct tval *
filter_options(struct request *r, const struct qoption *opts, size_t n, const char *chosen)
{
	struct tval *list = tv_list(&r->arena);
	for (size_t i = 0; i < n; i++) {
		struct tval *o = tv_push_obj(list);
		tv_set_str(o, "code", opts[i].code);
		tv_set_str(o, "label", tx(r, opts[i].label));
		tv_set_bool(o, "selected", chosen && strcmp(chosen, opts[i].code) == 0);
	}
	return list;
}

void
responses_list(struct request *r)
{
	const struct app *app = app_of(r);
	struct response_filter f = {
		.status = req_query(r, "status"),
		.campaign = req_int(r, "campaign"),
		.sector = req_query(r, "sector"),
		.country = req_query(r, "country"),
		.from = req_query(r, "from"),
		.to = req_query(r, "to"),
	};
	/* An empty select means "any" (an empty date or number box is not sent on at all). */
	const char **texts[] = {&f.status, &f.sector, &f.country};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (*texts[i] && (*texts[i])[0] == '\0')
			*texts[i] = NULL;
	struct tval *ctx = tv_obj(&r->arena);
	struct list_ctx c = {r, tv_list(&r->arena), 0};
	int n = responses_store_list(r->db, app_of(r)->roles_json, &f, req_int(r, "before"),
				     PAGE_ROWS, &r->arena, add_row, &c);
	struct campaign_ctx cc = {r, tv_list(&r->arena), f.campaign};
	if (n < 0 || survey_store_campaign_list(r->db, &r->arena, add_campaign, &cc) < 0) {
		resp_error(r, 500, "responses: database");
		return;
	}
	tv_set(ctx, "responses", c.list);
	tv_set(ctx, "campaigns", cc.list);
	const struct vocab *sectors = vocab_find(app->vocab, "sectors");
	if (sectors)
		tv_set(ctx, "sectors", filter_options(r, sectors->options, sectors->n, f.sector));
	tv_set(ctx, "countries",
	       filter_options(r, app->vocab->countries.options, app->vocab->countries.n,
			      f.country));
	tv_set_bool(ctx, "st_draft", f.status && strcmp(f.status, "draft") == 0);
	tv_set_bool(ctx, "st_submitted", f.status && strcmp(f.status, "submitted") == 0);
	if (f.from)
		tv_set_str(ctx, "from", f.from);
	if (f.to)
		tv_set_str(ctx, "to", f.to);
	if (n == PAGE_ROWS) {
		/* The same filters, from the last row shown. */
		struct buf b;
		buf_init(&b, &r->arena);
		buf_printf(&b, "/admin/responses?before=%lld", c.last);
		const char *names[] = {"status", "campaign", "sector", "country", "from", "to"};
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			const char *v = req_query(r, names[i]);
			if (v && *v) {
				buf_printf(&b, "&%s=", names[i]);
				http_url_encode(&b, v, strlen(v));
			}
		}
		tv_set_str(ctx, "next", b.data);
	}
	page_render(r, 200, "responses/list", "responses.title", ctx);
}

struct notes_ctx {
	struct request *r;
	struct tval *list;
};

static void
add_note(void *p, const struct response_note *n)
{
	struct notes_ctx *c = p;
	struct tval *o = tv_push_obj(c->list);
	tv_set_str(o, "author", n->author);
	tv_set_str(o, "body", n->body);
	tv_set_str(o, "at", date_time_text(&c->r->arena, c->r->lang, n->created_at));
}

/* The response of {id} with its campaign and questionnaire, or an error page. */
static bool
load_response(struct request *r, struct response *resp, struct campaign *c, const struct qdef **d)
{
	long long id = req_int(r, "id");
	memset(c, 0, sizeof(*c));
	int rc = survey_store_response_get(r->db, id, &r->arena, resp);
	if (rc == 1)
		rc = survey_store_campaign_get(r->db, resp->campaign_id, &r->arena, c);
	if (rc <= 0) {
		resp_error(r, rc < 0 ? 500 : 404, "responses: database");
		return false;
	}
	*d = app_questionnaire(app_of(r), c->questionnaire, c->version);
	if (*d == NULL) {
		resp_error(r, 500, "responses: questionnaire not loaded");
		return false;
	}
	return true;
}

void
responses_view(struct request *r)
{
	struct response resp;
	struct campaign c;
	const struct qdef *d;
	if (!load_response(r, &resp, &c, &d))
		return;
	const struct vocab_set *v = app_of(r)->vocab;
	struct answers a;
	answers_init(&a, &r->arena);
	if (survey_store_answers_load(r->db, resp.id, &a) != 0) {
		resp_error(r, 500, "responses: answers");
		return;
	}
	struct tval *ctx = form_ctx(r);
	tv_set_int(ctx, "id", resp.id);
	tv_set_str(ctx, "campaign", r->lang == LANG_EN ? c.title_en : c.title_fr);
	tv_set_str(ctx, "status",
		   page_t(r, resp.submitted ? "responses.status.submitted"
					    : "responses.status.draft"));
	tv_set_bool(ctx, "locked", resp.locked);
	tv_set_str(ctx, "created", date_time_text(&r->arena, r->lang, resp.created_at));
	tv_set_str(ctx, "updated", date_time_text(&r->arena, r->lang, resp.updated_at));
	if (resp.submitted_at[0])
		tv_set_str(ctx, "submitted_at",
			   date_time_text(&r->arena, r->lang, resp.submitted_at));
	tv_set_int(ctx, "versions", survey_store_version_count(r->db, resp.id));
	tv_set_str(ctx, "source", resp.source);
	if (resp.partner_of)
		tv_set_str(ctx, "partner_of",
			   arena_printf(&r->arena, "/admin/responses/%lld", resp.partner_of));
	long long partner = survey_store_partner_response(r->db, resp.id);
	if (partner > 0)
		tv_set_str(ctx, "partner",
			   arena_printf(&r->arena, "/admin/responses/%lld", partner));
	else if (resp.submitted && survey_partner_undeliverable(d, &a))
		tv_set_str(ctx, "partner_refused", survey_partner_undeliverable(d, &a));
	tv_set_str(ctx, "lock_action",
		   arena_printf(&r->arena, "/admin/responses/%lld/lock", resp.id));
	tv_set_str(ctx, "note_action",
		   arena_printf(&r->arena, "/admin/responses/%lld/notes", resp.id));
	tv_set_str(ctx, "case_action",
		   arena_printf(&r->arena, "/admin/responses/%lld/case", resp.id));
	tv_set_str(ctx, "partner_action",
		   arena_printf(&r->arena, "/admin/responses/%lld/partner", resp.id));
	/* Both languages side by side: the question and answer texts in French and in English. */
	enum lang own = r->lang;
	struct tval *sections = tv_list(&r->arena);
	for (size_t k = 0; k < d->nsections; k++) {
		if (!qdef_section_visible(d, k, &a))
			continue;
		struct tval *so = tv_push_obj(sections);
		tv_set_str(so, "title_fr", d->sections[k].title.fr);
		tv_set_str(so, "title_en", d->sections[k].title.en);
		struct tval *qs = tv_list(&r->arena);
		for (size_t i = 0; i < d->sections[k].nquestions; i++) {
			const struct question *q = &d->sections[k].questions[i];
			if (!qdef_question_visible(d, q, &a))
				continue;
			struct tval *qo = tv_push_obj(qs);
			tv_set_str(qo, "label_fr", q->label.fr);
			tv_set_str(qo, "label_en", q->label.en);
			r->lang = LANG_FR;
			const char *fr = survey_answer_text(r, v, q, &a);
			r->lang = LANG_EN;
			const char *en = survey_answer_text(r, v, q, &a);
			r->lang = own;
			if (fr)
				tv_set_str(qo, "fr", fr);
			if (en)
				tv_set_str(qo, "en", en);
			tv_set_bool(qo, "personal", q->personal);
		}
		tv_set(so, "questions", qs);
	}
	tv_set(ctx, "sections", sections);
	struct notes_ctx nc = {r, tv_list(&r->arena)};
	if (responses_store_notes(r->db, resp.id, &r->arena, add_note, &nc) < 0) {
		resp_error(r, 500, "responses: notes");
		return;
	}
	tv_set(ctx, "notes", nc.list);
	const char *done = req_query(r, "done");
	if (done)
		tv_set_str(ctx, "done",
			   page_t(r, arena_printf(&r->arena, "responses.done.%s", done)));
	page_render(r, 200, "responses/response", "responses.title", ctx);
}

/* Runs one audited change on the response of {id}, then back to its page. */
static void
change(struct request *r, const char *action, const char *detail,
       int (*apply)(struct request *r, long long id, const void *arg), const void *arg,
       const char *done)
{
	long long id = req_int(r, "id");
	struct response resp;
	int rc = survey_store_response_get(r->db, id, &r->arena, &resp);
	if (rc <= 0) {
		resp_error(r, rc < 0 ? 500 : 404, "responses: database");
		return;
	}
	if (db_begin(r->db) != 0 || apply(r, id, arg) != 0 ||
	    audit_store_add(r->db, AUDIT_BY(r->user), action, "response", id, detail) != 0 ||
	    db_commit(r->db) != 0) {
		db_rollback(r->db);
		resp_error(r, 500, "responses: could not save");
		return;
	}
	resp_redirect(r, arena_printf(&r->arena, "/admin/responses/%lld?done=%s", id, done));
}

static int
apply_lock(struct request *r, long long id, const void *arg)
{
	return survey_store_set_locked(r->db, id, *(const bool *)arg);
}

void
responses_lock(struct request *r)
{
	const char *v = req_form(r, "locked");
	bool locked = v && strcmp(v, "1") == 0;
	change(r, locked ? "response.lock" : "response.unlock", "", apply_lock, &locked,
	       locked ? "locked" : "unlocked");
}

static int
apply_note(struct request *r, long long id, const void *arg)
{
	return responses_store_note_add(r->db, id, r->user->id, arg);
}

void
responses_note(struct request *r)
{
	const char *body = req_form(r, "body");
	if (body == NULL || body[0] == '\0') {
		resp_redirect(r,
			      arena_printf(&r->arena, "/admin/responses/%lld", req_int(r, "id")));
		return;
	}
	change(r, "response.note", "", apply_note, body, "note");
}

static int
apply_partner(struct request *r, long long id, const void *arg)
{
	long long other = *(const long long *)arg;
	struct response o;
	if (other == id || (other && survey_store_response_get(r->db, other, &r->arena, &o) != 1))
		return -1;
	return survey_store_set_partner(r->db, other ? other : id, other ? id : 0);
}

void
responses_partner(struct request *r)
{
	/* Links another response as the partner's view of the same partnership (0 unlinks). */
	long long other = req_int(r, "partner");
	struct response o;
	if (other && (other == req_int(r, "id") ||
		      survey_store_response_get(r->db, other, &r->arena, &o) != 1)) {
		resp_redirect(r,
			      arena_printf(&r->arena, "/admin/responses/%lld?done=partner_unknown",
					   req_int(r, "id")));
		return;
	}
	change(r, "response.partner", arena_printf(&r->arena, "%lld", other), apply_partner, &other,
	       "partner");
}

void
campaigns_list(struct request *r)
{
	const struct app *app = app_of(r);
	struct tval *ctx = form_ctx(r);
	struct campaign_ctx cc = {r, tv_list(&r->arena), 0};
	if (survey_store_campaign_list(r->db, &r->arena, add_campaign, &cc) < 0) {
		resp_error(r, 500, "campaigns: database");
		return;
	}
	tv_set(ctx, "campaigns", cc.list);
	struct tval *qs = tv_list(&r->arena);
	for (size_t i = 0; i < app->nquestionnaires; i++) {
		struct tval *o = tv_push_obj(qs);
		const struct qdef *d = app->questionnaires[i];
		tv_set_str(o, "code", arena_printf(&r->arena, "%s-v%d", d->key, d->version));
		tv_set_str(o, "label",
			   arena_printf(&r->arena, "%s (v%d)", tx(r, d->title), d->version));
	}
	tv_set(ctx, "questionnaires", qs);
	const char *done = req_query(r, "done");
	if (done)
		tv_set_str(ctx, "done",
			   page_t(r, arena_printf(&r->arena, "campaigns.done.%s", done)));
	page_render(r, 200, "responses/campaigns", "campaigns.title", ctx);
}

/* A campaign's day: a real calendar day of 2000..2100 (typed in a date box, or as text where
 * the browser has none: checked here so that the form can say what is wrong). */
static bool
date_valid(const char *s)
{
	int y;
	return num_parse_date(s, &y, NULL, NULL) && y >= 2000 && y <= 2100;
}

/* Checks the dates and contact of a campaign form; false when something is wrong. */
static bool
campaign_form_valid(struct request *r)
{
	const char *opens = req_form(r, "opens"), *closes = req_form(r, "closes");
	const char *email = req_form(r, "contact_email");
	return date_valid(opens) && date_valid(closes) && strcmp(opens, closes) <= 0 &&
	       (email == NULL || email[0] == '\0' || form_email_valid(email));
}

void
campaigns_dates(struct request *r)
{
	/* Extending or reopening a campaign, or changing whom to contact: audited. */
	long long id = req_int(r, "id");
	const char *opens = req_form(r, "opens"), *closes = req_form(r, "closes");
	const char *cname = req_form(r, "contact_name"), *cmail = req_form(r, "contact_email");
	struct campaign c;
	int rc = survey_store_campaign_get(r->db, id, &r->arena, &c);
	if (rc <= 0) {
		resp_error(r, rc < 0 ? 500 : 404, "campaigns: database");
		return;
	}
	if (!campaign_form_valid(r)) {
		resp_redirect(r, "/admin/campaigns?done=bad_dates");
		return;
	}
	const char *detail =
		arena_printf(&r->arena, "%s..%s -> %s..%s", c.opens_at, c.closes_at, opens, closes);
	if (db_begin(r->db) != 0 ||
	    survey_store_campaign_update(r->db, id, opens, closes, cname ? cname : c.contact_name,
					 cmail ? cmail : c.contact_email) != 0 ||
	    audit_store_add(r->db, AUDIT_BY(r->user), "campaign.dates", "campaign", id, detail) !=
		    0 ||
	    db_commit(r->db) != 0) {
		db_rollback(r->db);
		resp_error(r, 500, "campaigns: could not save");
		return;
	}
	resp_redirect(r, "/admin/campaigns?done=dates");
}

void
campaigns_create(struct request *r)
{
	const struct app *app = app_of(r);
	const char *q = req_form(r, "questionnaire");
	const struct qdef *d = NULL;
	for (size_t i = 0; q && i < app->nquestionnaires; i++) {
		const struct qdef *qd = app->questionnaires[i];
		if (strcmp(q, arena_printf(&r->arena, "%s-v%d", qd->key, qd->version)) == 0)
			d = qd;
	}
	const char *slug = req_form(r, "slug"), *tfr = req_form(r, "title_fr"),
		   *ten = req_form(r, "title_en");
	if (d == NULL || slug == NULL || tfr == NULL || ten == NULL || !tfr[0] || !ten[0] ||
	    !campaign_form_valid(r)) {
		resp_redirect(r, "/admin/campaigns?done=bad_campaign");
		return;
	}
	const char *cname = req_form(r, "contact_name"), *cmail = req_form(r, "contact_email");
	/* The texts as typed (the router checked their length in characters): nothing cut. */
	struct campaign c = {
		.slug = slug,
		.questionnaire = d->key,
		.version = d->version,
		.title_fr = tfr,
		.title_en = ten,
		.opens_at = req_form(r, "opens"),
		.closes_at = req_form(r, "closes"),
		.contact_name = cname ? cname : "",
		.contact_email = cmail ? cmail : "",
	};
	struct campaign existing;
	if (survey_store_campaign_by_slug(r->db, slug, &r->arena, &existing) != 0) {
		resp_redirect(r, "/admin/campaigns?done=slug_taken");
		return;
	}
	long long id;
	if (db_begin(r->db) != 0 || (id = survey_store_campaign_create(r->db, &c)) <= 0 ||
	    audit_store_add(r->db, AUDIT_BY(r->user), "campaign.create", "campaign", id, slug) !=
		    0 ||
	    db_commit(r->db) != 0) {
		db_rollback(r->db);
		resp_error(r, 500, "campaigns: could not save");
		return;
	}
	resp_redirect(r, "/admin/campaigns?done=created");
}
