/* survey_web.c - the questionnaire's pages: start, sections, private links, review, submit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/token.h"
#include "base/email.h"
#include "cases/cases_priv.h"
#include "base/log.h"
#include "db/db.h"
#include "http/static.h"
#include "learn/learn.h"
#include "mail/mail.h"
#include "survey_web.h"
#include "web/app.h"
#include "web/form.h"
#include "web/rate.h"
#include "config.h"

#define LINK_COOKIE_AGE (180L * 86400) /* a respondent's private link cookie: six months */

/* Everything a questionnaire page needs, found from the URL and the private-link cookie. */
struct ctx {
	struct campaign c;
	const struct qdef *d;
	const struct vocab_set *v;
	struct response resp; /* resp.id == 0: no response in this browser for this campaign */
	char token[64];
	struct answers a;
};

static const char *
tx(const struct request *r, struct qtext t)
{
	return r->lang == LANG_EN ? t.en : t.fr;
}

static const char *
campaign_title(const struct request *r, const struct campaign *c)
{
	return r->lang == LANG_EN ? c->title_en : c->title_fr;
}

/* Loads the campaign of {slug} and, when the browser holds a link to one of its responses,
 * that response and its answers. False when it answered (404 or 500). */
static bool
load(struct request *r, struct ctx *x)
{
	const struct app *app = app_of(r);
	memset(x, 0, sizeof(*x));
	answers_init(&x->a, &r->arena);
	int rc = survey_store_campaign_by_slug(r->db, req_param(r, 0), &x->c);
	if (rc <= 0) {
		resp_error(r, rc < 0 ? 500 : 404, "survey: campaign");
		return false;
	}
	x->d = app_questionnaire(app, x->c.questionnaire, x->c.version);
	x->v = app->vocab;
	if (x->d == NULL) {
		resp_error(r, 500, "survey: the campaign's questionnaire is not loaded");
		return false;
	}
	if (!req_cookie(r, web_cookie_name(r, "response"), x->token, sizeof(x->token)))
		return true;
	long long id = survey_store_link_lookup(r->db, x->token);
	if (id > 0 && survey_store_response_get(r->db, id, &x->resp) == 1 &&
	    x->resp.campaign_id == x->c.id) {
		if (survey_store_answers_load(r->db, id, &x->a) != 0) {
			resp_error(r, 500, "survey: answers");
			return false;
		}
		return true;
	}
	memset(&x->resp, 0, sizeof(x->resp));
	return true;
}

static const char *
link_url(struct request *r, const struct ctx *x)
{
	return arena_printf(&r->arena, "%s/r/%s", web_public_url(r), x->token);
}

static void
common(struct request *r, const struct ctx *x, struct tval *ctx)
{
	tv_set_str(ctx, "title", campaign_title(r, &x->c));
	tv_set_str(ctx, "slug", x->c.slug);
	tv_set_int(ctx, "minutes", x->d->estimated_minutes);
	if (x->c.contact_email[0]) {
		tv_set_str(ctx, "contact_name", x->c.contact_name);
		tv_set_str(ctx, "contact_email", x->c.contact_email);
		tv_set_str(ctx, "contact_href", arena_printf(&r->arena, "mailto:%s", x->c.contact_email));
	}
	tv_set_str(ctx, "closes", x->c.closes_at);
	if (x->resp.id) {
		tv_set_str(ctx, "link", link_url(r, x));
		tv_set_bool(ctx, "submitted", x->resp.submitted);
		tv_set_bool(ctx, "locked", x->resp.locked);
	}
}

/* 0-based section of "{n}" (1-based in URLs), or -1. */
static long
section_of(struct request *r, const struct qdef *d)
{
	char *end;
	errno = 0;
	long n = strtol(req_param(r, 1), &end, 10);
	if (errno || *end || n < 1 || (size_t)n > d->nsections)
		return -1;
	return n - 1;
}

static long
next_visible(const struct qdef *d, long s, int step, const struct answers *a)
{
	for (long k = s + step; k >= 0 && (size_t)k < d->nsections; k += step)
		if (qdef_section_visible(d, (size_t)k, a))
			return k;
	return -1;
}

struct index_ctx {
	struct request *r;
	struct tval *list;
	int open;
	char slug[64];
};

static void
index_add(void *p, const struct campaign *c)
{
	struct index_ctx *ix = p;
	struct request *r = ix->r;
	bool open = campaign_is_open(c, time(NULL));
	struct tval *o = tv_push_obj(ix->list);
	tv_set_str(o, "title", arena_strdup(&r->arena, campaign_title(r, c)));
	tv_set_str(o, "href", arena_printf(&r->arena, "/survey/%s", c->slug));
	tv_set_str(o, "closes", arena_strdup(&r->arena, c->closes_at));
	tv_set_bool(o, "open", open);
	if (open) {
		ix->open++;
		snprintf(ix->slug, sizeof(ix->slug), "%s", c->slug);
	}
}

void
survey_index(struct request *r)
{
	/* The campaigns; with just one open, straight to it. */
	struct index_ctx ix = {r, tv_list(&r->arena), 0, ""};
	if (survey_store_campaign_list(r->db, index_add, &ix) < 0) {
		resp_error(r, 500, "survey: campaigns");
		return;
	}
	if (ix.open == 1) {
		resp_redirect(r, arena_printf(&r->arena, "/survey/%s", ix.slug));
		return;
	}
	struct tval *ctx = tv_obj(&r->arena);
	tv_set(ctx, "campaigns", ix.list);
	page_render(r, 200, "survey_index", "survey.index.title", ctx);
}

void
survey_start_page(struct request *r)
{
	struct ctx x;
	if (!load(r, &x))
		return;
	struct tval *ctx = form_ctx(r);
	common(r, &x, ctx);
	tv_set_str(ctx, "intro", tx(r, x.d->intro));
	tv_set_int(ctx, "sections", (long long)x.d->nsections);
	bool open = campaign_is_open(&x.c, time(NULL));
	tv_set_bool(ctx, "open", open);
	if (x.resp.id)
		tv_set_str(ctx, "resume", arena_printf(&r->arena, "/survey/%s/%d", x.c.slug,
		                                       x.resp.section + 1));
	page_render(r, open ? 200 : 410, open ? "survey_start" : "survey_closed", "survey.title", ctx);
}

void
survey_start(struct request *r)
{
	struct ctx x;
	if (!load(r, &x))
		return;
	if (!campaign_is_open(&x.c, time(NULL))) {
		resp_redirect(r, arena_printf(&r->arena, "/survey/%s", x.c.slug));
		return;
	}
	/* Starting makes a response (and later perhaps an invitation mail): bounded per address. */
	if (!rate_allow(r, "survey.start", app_of(r)->config->rate_starts, 3600))
		return;
	char token[TOKEN_LEN + 1];
	long long id;
	if (db_begin(r->db) != 0 ||
	    (id = survey_store_response_create(r->db, x.c.id, lang_code(r->lang), 0, "web")) <= 0 ||
	    survey_store_link_create(r->db, id, time(NULL), token) != 0 || db_commit(r->db) != 0) {
		db_rollback(r->db);
		resp_error(r, 500, "survey: could not start a response");
		return;
	}
	web_set_cookie(r, "response", token, LINK_COOKIE_AGE);
	resp_redirect(r, arena_printf(&r->arena, "/survey/%s/1", x.c.slug));
}

void
survey_link(struct request *r)
{
	/* The private link: swapped for a cookie, then a clean URL (no token in later URLs,
	 * referrers or logs). Forged, unknown and revoked links all get the same page. */
	long long id = survey_store_link_lookup(r->db, req_param(r, 0));
	struct response resp;
	struct campaign c;
	if (id <= 0 || survey_store_response_get(r->db, id, &resp) != 1 ||
	    survey_store_campaign_get(r->db, resp.campaign_id, &c) != 1) {
		page_message(r, 404, "link.invalid.heading", "survey.link.invalid", "/survey",
		             "survey.index.title");
		return;
	}
	web_set_cookie(r, "response", req_param(r, 0), LINK_COOKIE_AGE);
	resp_header(r, "Referrer-Policy", "no-referrer");
	resp_redirect(r, resp.submitted ? arena_printf(&r->arena, "/survey/%s/review", c.slug)
	                                : arena_printf(&r->arena, "/survey/%s/%d", c.slug, resp.section + 1));
}

/* Sends the response or the start page when there is no response in this browser. */
static bool
need_response(struct request *r, const struct ctx *x)
{
	if (x->resp.id)
		return true;
	resp_redirect(r, arena_printf(&r->arena, "/survey/%s", x->c.slug));
	return false;
}

static void
render_section(struct request *r, int status, const struct ctx *x, long s,
               const struct answers *a, const struct qerror *errs, size_t nerrs,
               const struct answers *theirs)
{
	struct tval *ctx = form_ctx(r);
	common(r, x, ctx);
	const struct qsection *sec = &x->d->sections[s];
	tv_set_str(ctx, "section_title", tx(r, sec->title));
	if (sec->intro.fr)
		tv_set_str(ctx, "section_intro", tx(r, sec->intro));
	/* Progress among the sections that apply to this response. */
	long shown = 0, at = 0;
	for (size_t k = 0; k < x->d->nsections; k++)
		if (qdef_section_visible(x->d, k, a)) {
			shown++;
			if ((long)k <= s)
				at = shown;
		}
	tv_set_int(ctx, "step", at);
	tv_set_int(ctx, "steps", shown);
	tv_set_int(ctx, "percent", shown ? (at * 100) / shown : 0);
	tv_set_int(ctx, "rev", x->resp.revision);
	tv_set_str(ctx, "action", arena_printf(&r->arena, "/survey/%s/%ld", x->c.slug, s + 1));
	tv_set_bool(ctx, "first", next_visible(x->d, s, -1, a) < 0);
	tv_set_bool(ctx, "last", next_visible(x->d, s, +1, a) < 0);
	struct tval *qs = tv_list(&r->arena);
	for (size_t i = 0; i < sec->nquestions; i++) {
		const struct question *q = &sec->questions[i];
		/* A condition on an answer of another page is decided here: the question is not
		 * offered at all when that answer rules it out. Conditions on this page are left to
		 * the note and the script, since the answer may change while the page is open. */
		const struct question *dep = q->show_if.op != QC_ALWAYS ? qdef_find(x->d, q->show_if.question)
		                                                       : NULL;
		if (dep && dep->section != (size_t)s && !qdef_question_visible(x->d, q, a))
			continue;
		tv_push(qs, survey_render_question(r, x->d, x->v, q, a, errs, nerrs));
	}
	tv_set(ctx, "questions", qs);
	if (nerrs)
		tv_set_bool(ctx, "has_errors", true);
	if (theirs) { /* a conflict: what the other person saved, next to what was typed here */
		tv_set_bool(ctx, "conflict", true);
		tv_set(ctx, "theirs", survey_render_summary(r, x->d, x->v, (size_t)s, theirs));
	}
	tv_set_str(ctx, "survey_js", static_url(app_of(r)->statics, "survey.js"));
	const char *saved = req_query(r, "saved");
	if (saved)
		tv_set_bool(ctx, "saved", true);
	page_render(r, status, "survey_section", "survey.title", ctx);
}

void
survey_section(struct request *r)
{
	struct ctx x;
	if (!load(r, &x) || !need_response(r, &x))
		return;
	long s = section_of(r, x.d);
	if (s < 0) {
		resp_error(r, 404, NULL);
		return;
	}
	if (!campaign_is_open(&x.c, time(NULL))) {
		resp_redirect(r, arena_printf(&r->arena, "/survey/%s", x.c.slug));
		return;
	}
	render_section(r, 200, &x, s, &x.a, NULL, 0, NULL);
}

/* Mails the private link the first time the respondent gives an address. */
static void
mail_link_once(struct request *r, struct ctx *x)
{
	const char *email = answers_get(&x->a, "respondent_email", 0);
	if (email == NULL || x->resp.link_mailed)
		return;
	const struct i18n *t = app_of(r)->i18n;
	const char *body = arena_printf(&r->arena, "%s\n\n%s\n\n%s\n\n-- \n%s\n",
	                                i18n_get(t, r->lang, "mail.survey_link.intro"), link_url(r, x),
	                                i18n_get(t, r->lang, "mail.survey_link.outro"),
	                                i18n_get(t, r->lang, "mail.signature"));
	if (mail_store_queue(r->db, email, i18n_get(t, r->lang, "mail.survey_link.subject"), body) > 0 &&
	    survey_store_set_link_mailed(r->db, x->resp.id) == 0) {
		x->resp.link_mailed = true;
		if (app_of(r)->mail)
			mail_worker_wake(app_of(r)->mail);
	}
}

static bool
wants_json(const struct request *r)
{
	const char *acc = req_header(r, "Accept");
	return acc && strstr(acc, "application/json") != NULL;
}

void
survey_section_save(struct request *r)
{
	struct ctx x;
	if (!load(r, &x) || !need_response(r, &x))
		return;
	long s = section_of(r, x.d);
	if (s < 0) {
		resp_error(r, 404, NULL);
		return;
	}
	bool json = wants_json(r);
	if (!campaign_is_open(&x.c, time(NULL)) || x.resp.locked) {
		if (json) {
			resp_text(r, 423, "application/json", "{\"error\":\"closed\"}", 18);
			return;
		}
		page_message(r, 423, x.resp.locked ? "survey.locked.heading" : "survey.closed.heading",
		             x.resp.locked ? "survey.locked.text" : "survey.closed.text", NULL, NULL);
		return;
	}
	const char *action = req_form(r, "action");
	if (action == NULL)
		action = "save";
	bool moving = strcmp(action, "next") == 0;
	struct qerror *errs = NULL;
	struct answers mine; /* the saved answers, this page's replacing those of its section */
	answers_init(&mine, &r->arena);
	for (size_t i = 0; i < x.a.n; i++)
		answers_add(&mine, x.a.rows[i].key, x.a.rows[i].position, x.a.rows[i].value);
	size_t nerrs = qdef_read_section(x.d, (size_t)s, r->form, r->nform, moving, &mine, &errs);
	qdef_prune_hidden(x.d, &mine);
	const char *rev_s = req_form(r, "rev");
	int rev = rev_s ? atoi(rev_s) : -1;
	/* What is well formed is saved even when something else on the page is not: nothing
	 * typed is lost, and the page comes back with the messages. */
	int saved = survey_store_answers_save(r->db, x.resp.id, rev, &mine, (int)s);
	if (saved < 0) {
		resp_error(r, 500, "survey: could not save");
		return;
	}
	if (saved == 0) { /* someone else saved this response since this page was loaded */
		log_info("survey: concurrent save of response %lld refused", x.resp.id);
		if (json) {
			resp_text(r, 409, "application/json", "{\"error\":\"conflict\"}", 20);
			return;
		}
		render_section(r, 409, &x, s, &mine, errs, nerrs, &x.a);
		return;
	}
	x.resp.revision = saved;
	x.a = mine;
	/* Not from autosave: an address being typed may look valid before it is finished. */
	if (!json)
		mail_link_once(r, &x);
	if (json) {
		const char *body = arena_printf(&r->arena, "{\"rev\":%d,\"errors\":%zu}", saved, nerrs);
		resp_text(r, 200, "application/json", body, strlen(body));
		return;
	}
	if (nerrs) {
		render_section(r, 422, &x, s, &mine, errs, nerrs, NULL);
		return;
	}
	long to = s;
	if (strcmp(action, "next") == 0)
		to = next_visible(x.d, s, +1, &mine);
	else if (strcmp(action, "prev") == 0)
		to = next_visible(x.d, s, -1, &mine);
	if (to < 0 && strcmp(action, "next") == 0) {
		resp_redirect(r, arena_printf(&r->arena, "/survey/%s/review", x.c.slug));
		return;
	}
	if (to < 0)
		to = s;
	resp_redirect(r, to == s ? arena_printf(&r->arena, "/survey/%s/%ld?saved=1", x.c.slug, s + 1)
	                         : arena_printf(&r->arena, "/survey/%s/%ld", x.c.slug, to + 1));
}

static void
render_review(struct request *r, int status, const struct ctx *x, const struct qerror *errs,
              size_t nerrs)
{
	struct tval *ctx = form_ctx(r);
	common(r, x, ctx);
	struct tval *sections = tv_list(&r->arena);
	for (size_t k = 0; k < x->d->nsections; k++) {
		if (!qdef_section_visible(x->d, k, &x->a))
			continue;
		struct tval *o = tv_push_obj(sections);
		tv_set_str(o, "title", tx(r, x->d->sections[k].title));
		tv_set_str(o, "edit", arena_printf(&r->arena, "/survey/%s/%zu", x->c.slug, k + 1));
		tv_set(o, "answers", survey_render_summary(r, x->d, x->v, k, &x->a));
		struct tval *missing = tv_list(&r->arena);
		for (size_t e = 0; e < nerrs; e++) {
			const struct question *q = qdef_find(x->d, errs[e].key);
			if (q && q->section == k)
				tv_push_str(missing, tx(r, q->label));
		}
		tv_set(o, "missing", missing);
	}
	tv_set(ctx, "sections", sections);
	if (nerrs)
		tv_set_bool(ctx, "has_errors", true);
	tv_set_str(ctx, "action", arena_printf(&r->arena, "/survey/%s/submit", x->c.slug));
	page_render(r, status, "survey_review", "survey.review.title", ctx);
}

void
survey_review(struct request *r)
{
	struct ctx x;
	if (!load(r, &x) || !need_response(r, &x))
		return;
	render_review(r, 200, &x, NULL, 0);
}

const char *
survey_partner_undeliverable(const struct answers *a)
{
	const char *email = answers_get(a, "partner_email", 0);
	return answers_has(a, "invite_partner", "yes") && email && !email_valid(email) ? email
										       : NULL;
}

/* Creates the partner's own response and mails them its private link (once). */
static int
invite_partner(struct request *r, const struct ctx *x)
{
	const char *yes = answers_get(&x->a, "invite_partner", 0);
	const char *email = answers_get(&x->a, "partner_email", 0);
	if (yes == NULL || strcmp(yes, "yes") != 0 || email == NULL)
		return 0;
	if (survey_store_partner_response(r->db, x->resp.id) != 0)
		return 0; /* already invited */
	/* An address saved before the site had one e-mail rule may be one the outbox refuses:
	 * the answers are sent all the same (a failure here would refuse them for ever), nobody
	 * is invited, and the thanks page and the coordinators' view say why. */
	if (survey_partner_undeliverable(&x->a)) {
		log_warn("survey: response %lld: partner not invited, the address cannot take mail",
			 x->resp.id);
		return 0;
	}
	char token[TOKEN_LEN + 1];
	long long id = survey_store_response_create(r->db, x->c.id, lang_code(r->lang), x->resp.id, "web");
	if (id <= 0 || survey_store_link_create(r->db, id, time(NULL), token) != 0)
		return -1;
	const struct i18n *t = app_of(r)->i18n;
	const char *org = answers_get(&x->a, "org_name", 0);
	const char *title = answers_get(&x->a, "title", 0);
	const char *body = arena_printf(
		&r->arena, "%s\n\n%s%s%s\n\n%s\n\n%s/r/%s\n\n%s\n\n-- \n%s\n",
		i18n_get(t, r->lang, "mail.partner.intro"), org ? org : "", org && title ? " — " : "",
		title ? title : "", i18n_get(t, r->lang, "mail.partner.link"), web_public_url(r), token,
		i18n_get(t, r->lang, "mail.partner.outro"), i18n_get(t, r->lang, "mail.signature"));
	return mail_store_queue(r->db, email, i18n_get(t, r->lang, "mail.partner.subject"), body) > 0
	               ? 0
	               : -1;
}

void
survey_submit(struct request *r)
{
	struct ctx x;
	if (!load(r, &x) || !need_response(r, &x))
		return;
	if (!campaign_is_open(&x.c, time(NULL)) || x.resp.locked) {
		page_message(r, 423, x.resp.locked ? "survey.locked.heading" : "survey.closed.heading",
		             x.resp.locked ? "survey.locked.text" : "survey.closed.text", NULL, NULL);
		return;
	}
	struct qerror *errs = NULL;
	size_t nerrs = qdef_check_complete(x.d, &x.a, &errs);
	if (nerrs) {
		render_review(r, 422, &x, errs, nerrs);
		return;
	}
	if (db_begin(r->db) != 0 || survey_store_submit(r->db, x.resp.id, &x.a) != 0)
		goto fail;
	/* Each consent, given or not, is recorded with the notice version it was given under. */
	for (size_t k = 0; k < x.d->nsections; k++)
		for (size_t i = 0; i < x.d->sections[k].nquestions; i++) {
			const struct question *q = &x.d->sections[k].questions[i];
			if (q->type != Q_CONSENT)
				continue;
			bool given = answers_has(&x.a, q->key, "yes") && qdef_question_visible(x.d, q, &x.a);
			if (survey_store_consent(r->db, x.resp.id, q->key, given,
			                         q->notice_version ? q->notice_version : "") != 0)
				goto fail;
		}
	/* A consent withdrawn or narrowed unpublishes the cases made from this response, now. */
	if (invite_partner(r, &x) != 0 ||
	    cases_refresh_response(r->db, app_of(r)->vocab, x.resp.id, &r->arena) < 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	if (app_of(r)->mail)
		mail_worker_wake(app_of(r)->mail);
	log_info("survey: response %lld submitted", x.resp.id);
	resp_redirect(r, arena_printf(&r->arena, "/survey/%s/thanks", x.c.slug));
	return;
fail:
	db_rollback(r->db);
	resp_error(r, 500, "survey: could not submit");
}

void
survey_thanks(struct request *r)
{
	struct ctx x;
	if (!load(r, &x) || !need_response(r, &x))
		return;
	struct tval *ctx = tv_obj(&r->arena);
	common(r, &x, ctx);
	tv_set_int(ctx, "versions", survey_store_version_count(r->db, x.resp.id));
	const char *partner = answers_get(&x.a, "partner_email", 0);
	const char *refused = survey_partner_undeliverable(&x.a);
	if (refused && survey_store_partner_response(r->db, x.resp.id) <= 0)
		tv_set_str(ctx, "partner_refused", refused);
	else if (partner && answers_has(&x.a, "invite_partner", "yes"))
		tv_set_str(ctx, "partner", partner);
	learn_feedback(r, x.resp.id, ctx);
	page_render(r, 200, "survey_thanks", "survey.thanks.title", ctx);
}
