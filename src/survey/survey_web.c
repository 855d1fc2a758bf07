/* survey_web.c - the questionnaire's pages: start, sections, private links, review, submit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/token.h"
#include "base/email.h"
#include "base/log.h"
#include "db/db.h"
#include "http/static.h"
#include "mail/mail.h"
#include "survey_web.h"
#include "app/app.h"
#include "web/form.h"
#include "web/rate.h"
#include "config.h"
#include "web/page.h"
#include "web/cookie.h"
#include "view/dates.h"

#define LINK_COOKIE_AGE (180L * 86400) /* a respondent's private link cookie: six months */

/* Everything a questionnaire page needs, found from the URL and the private-link cookie. */
struct ctx {
	struct campaign c;
	const struct qdef *d;
	const struct vocab_set *v;
	struct response resp; /* resp.id == 0: no response in this browser for this campaign */
	char token[64];
	bool link_unknown; /* the browser's link cookie leads to no response of this campaign */
	struct answers a;
};

/* What a questionnaire page says at its top about the page just sent. */
enum notice {
	NOTICE_NONE,
	NOTICE_SAVED,     /* the server saved it (and nothing was refused) */
	NOTICE_NOT_SAVED, /* the database could not write it: the page comes back as typed */
	NOTICE_NO_LINK,   /* no response in this browser (unknown or revoked link): as typed */
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
	int rc = survey_store_campaign_by_slug(r->db, req_param(r, 0), &r->arena, &x->c);
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
	if (id > 0 && survey_store_response_get(r->db, id, &r->arena, &x->resp) == 1 &&
	    x->resp.campaign_id == x->c.id) {
		if (survey_store_answers_load(r->db, id, &x->a) != 0) {
			resp_error(r, 500, "survey: answers");
			return false;
		}
		return true;
	}
	memset(&x->resp, 0, sizeof(x->resp));
	x->link_unknown = true;
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
		tv_set_str(ctx, "contact_href",
			   arena_printf(&r->arena, "mailto:%s", x->c.contact_email));
	}
	tv_set_str(ctx, "closes", date_text(&r->arena, r->lang, x->c.closes_at));
	if (x->resp.id) {
		tv_set_str(ctx, "link", link_url(r, x));
		tv_set_bool(ctx, "submitted", x->resp.submitted);
		tv_set_bool(ctx, "locked", x->resp.locked);
	}
}

/* 0-based section of "{n}" (1-based in URLs), or -1 past the last one. */
static long
section_of(struct request *r, const struct qdef *d)
{
	long long n = req_int(r, "n"); /* declared: 1 or more */
	return (size_t)n > d->nsections ? -1 : (long)n - 1;
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
	const char *slug; /* of the last open campaign */
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
	tv_set_str(o, "closes", date_text(&r->arena, r->lang, c->closes_at));
	tv_set_bool(o, "open", open);
	if (open) {
		ix->open++;
		ix->slug = c->slug;
	}
}

void
survey_index(struct request *r)
{
	/* The campaigns; with just one open, straight to it. */
	struct index_ctx ix = {r, tv_list(&r->arena), 0, ""};
	if (survey_store_campaign_list(r->db, &r->arena, index_add, &ix) < 0) {
		resp_error(r, 500, "survey: campaigns");
		return;
	}
	if (ix.open == 1) {
		resp_redirect(r, arena_printf(&r->arena, "/survey/%s", ix.slug));
		return;
	}
	struct tval *ctx = tv_obj(&r->arena);
	tv_set(ctx, "campaigns", ix.list);
	page_render(r, 200, "survey/index", "survey.index.title", ctx);
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
		tv_set_str(ctx, "resume",
			   arena_printf(&r->arena, "/survey/%s/%d", x.c.slug, x.resp.section + 1));
	page_render(r, open ? 200 : 410, open ? "survey/start" : "survey/closed", "survey.title",
		    ctx);
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
	if (id <= 0 || survey_store_response_get(r->db, id, &r->arena, &resp) != 1 ||
	    survey_store_campaign_get(r->db, resp.campaign_id, &r->arena, &c) != 1) {
		page_message(r, 404, "link.invalid.heading", "survey.link.invalid", "/survey",
			     "survey.index.title");
		return;
	}
	web_set_cookie(r, "response", req_param(r, 0), LINK_COOKIE_AGE);
	resp_header(r, "Referrer-Policy", "no-referrer");
	resp_redirect(r, resp.submitted ? arena_printf(&r->arena, "/survey/%s/review", c.slug)
					: arena_printf(&r->arena, "/survey/%s/%d", c.slug,
						       resp.section + 1));
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

/* Renders section s over the answers a: errs next to their questions; theirs (a conflict:
 * what someone else saved) beside the page; a notice at the top. On a conflict or a page not
 * saved, every question shows what was typed, so that it can be sent again. */
static void
render_section(struct request *r, int status, const struct ctx *x, long s, const struct answers *a,
	       const struct qerror *errs, size_t nerrs, const struct answers *theirs,
	       enum notice notice)
{
	struct tval *ctx = form_ctx(r);
	bool as_typed = theirs || notice == NOTICE_NOT_SAVED || notice == NOTICE_NO_LINK;
	const struct answers *typed =
		survey_shown_answers(r, x->d, (size_t)s, a, errs, nerrs, as_typed);
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
		const struct question *dep =
			q->show_if.op != QC_ALWAYS ? qdef_find(x->d, q->show_if.question) : NULL;
		if (dep && dep->section != (size_t)s && !qdef_question_visible(x->d, q, a))
			continue;
		tv_push(qs, survey_render_question(r, x->d, x->v, q, typed, errs, nerrs));
	}
	tv_set(ctx, "questions", qs);
	if (nerrs)
		tv_set_bool(ctx, "has_errors", true);
	if (theirs) { /* a conflict: what the other person saved, next to what was typed here */
		tv_set_bool(ctx, "conflict", true);
		tv_set(ctx, "theirs", survey_render_summary(r, x->d, x->v, (size_t)s, theirs));
	}
	tv_set_str(ctx, "survey_js", static_url(app_of(r)->statics, "survey.js"));
	static const char *const notices[] = {[NOTICE_SAVED] = "saved",
					      [NOTICE_NOT_SAVED] = "not_saved",
					      [NOTICE_NO_LINK] = "no_link"};
	if (notice != NOTICE_NONE)
		tv_set_bool(ctx, notices[notice], true);
	if (r->incident[0])
		tv_set_str(ctx, "incident", r->incident);
	page_render(r, status, "survey/section", "survey.title", ctx);
}

/* The "saved" notice is a one-time message from the save that redirected here: a cookie
 * holding the revision it made, shown once and only over that revision (Back to an older
 * page, or a save refused since, shows none). */
static enum notice
saved_notice(struct request *r, const struct ctx *x)
{
	char v[16];
	if (!req_cookie(r, web_cookie_name(r, "saved"), v, sizeof(v)))
		return NOTICE_NONE;
	web_set_cookie(r, "saved", "", 0);
	return strcmp(v, arena_printf(&r->arena, "%d", x->resp.revision)) == 0 ? NOTICE_SAVED
									       : NOTICE_NONE;
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
	render_section(r, 200, &x, s, &x.a, NULL, 0, NULL, saved_notice(r, &x));
}

/* Mails the private link the first time the respondent gives an address. */
static void
mail_link_once(struct request *r, struct ctx *x)
{
	const char *email = answers_get(&x->a, qdef_role_key(x->d, QR_RESPONDENT_EMAIL), 0);
	if (email == NULL || x->resp.link_mailed)
		return;
	const struct i18n *t = app_of(r)->i18n;
	const char *body =
		arena_printf(&r->arena, "%s\n\n%s\n\n%s\n\n-- \n%s\n",
			     i18n_get(t, r->lang, "mail.survey_link.intro"), link_url(r, x),
			     i18n_get(t, r->lang, "mail.survey_link.outro"),
			     i18n_get(t, r->lang, "mail.signature"));
	if (mail_store_queue(r->db, email, i18n_get(t, r->lang, "mail.survey_link.subject"), body) >
		    0 &&
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

/* The page could not be written: said at the top of the page given back as typed (503 when the
 * fault passes, such as a lock held too long or a full disk; 500 with an incident otherwise). */
static void
not_saved(struct request *r, const struct ctx *x, long s, const struct qerror *errs, size_t nerrs,
	  bool json)
{
	enum db_fault f = db_take_fault(r->db);
	int status = db_fault_passes(f) ? 503 : 500;
	if (status == 500)
		resp_incident(r, "survey: could not save");
	else
		log_warn("survey: response %lld not saved (fault %d): the respondent is told",
			 x->resp.id, (int)f);
	if (status == 503)
		resp_header(r, "Retry-After", "5");
	if (json) {
		resp_text(r, status, "application/json", "{\"error\":\"not_saved\"}", 21);
		return;
	}
	render_section(r, status, x, s, &x->a, errs, nerrs, NULL, NOTICE_NOT_SAVED);
}

void
survey_section_save(struct request *r)
{
	struct ctx x;
	if (!load(r, &x))
		return;
	long s = section_of(r, x.d);
	if (s < 0) {
		resp_error(r, 404, NULL);
		return;
	}
	bool json = wants_json(r);
	if (x.resp.id == 0) {
		/* No response in this browser (an unknown or revoked link, or cookies cleared): say
		 * so, with the page as typed, rather than leave for the start page without it. */
		log_info("survey: a page sent without a valid private link (%s)",
			 x.link_unknown ? "unknown link" : "no link");
		if (json) {
			resp_text(r, 403, "application/json", "{\"error\":\"link\"}", 16);
			return;
		}
		render_section(r, 403, &x, s, &x.a, NULL, 0, NULL, NOTICE_NO_LINK);
		return;
	}
	if (!campaign_is_open(&x.c, time(NULL)) || x.resp.locked) {
		if (json) {
			resp_text(r, 423, "application/json", "{\"error\":\"closed\"}", 18);
			return;
		}
		page_message(
			r, 423, x.resp.locked ? "survey.locked.heading" : "survey.closed.heading",
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
	int rev = (int)req_int(r, "rev"); /* declared and required: a missing one is a 400 */
	/* What is well formed is saved even when something else on the page is not (a refused
	 * answer keeps the one saved before): the page comes back with the messages. */
	int saved = survey_store_answers_save(r->db, x.resp.id, rev, &mine, (int)s);
	if (saved < 0) {
		not_saved(r, &x, s, errs, nerrs, json);
		return;
	}
	if (saved == 0 && rev + 1 == x.resp.revision && answers_equal(&mine, &x.a)) {
		/* The same page sent again (its answer was lost on the way, or the server was
		 * stopping): it is already saved, as the revision it made says. */
		log_info("survey: response %lld: a save sent again, already applied", x.resp.id);
		saved = x.resp.revision;
	} else if (saved == 0) { /* someone else saved this response since this page was loaded */
		log_info("survey: concurrent save of response %lld refused", x.resp.id);
		if (json) {
			resp_text(r, 409, "application/json", "{\"error\":\"conflict\"}", 20);
			return;
		}
		render_section(r, 409, &x, s, &mine, errs, nerrs, &x.a, NOTICE_NONE);
		return;
	}
	x.resp.revision = saved;
	x.a = mine;
	/* Not from autosave: an address being typed may look valid before it is finished. */
	if (!json)
		mail_link_once(r, &x);
	if (json) {
		const char *body =
			arena_printf(&r->arena, "{\"rev\":%d,\"errors\":%zu}", saved, nerrs);
		resp_text(r, 200, "application/json", body, strlen(body));
		return;
	}
	if (nerrs) {
		render_section(r, 422, &x, s, &mine, errs, nerrs, NULL, NOTICE_NONE);
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
	if (to == s) /* staying here: the page says it was saved, once */
		web_set_cookie(r, "saved", arena_printf(&r->arena, "%d", saved), 600);
	resp_redirect(r, arena_printf(&r->arena, "/survey/%s/%ld", x.c.slug, to + 1));
}

static void
render_review(struct request *r, int status, const struct ctx *x, const struct qerror *errs,
	      size_t nerrs)
{
	struct tval *ctx = form_ctx(r);
	common(r, x, ctx);
	if (status >= 500) { /* the sending could not be written: said, and the button kept */
		tv_set_bool(ctx, "not_sent", true);
		if (r->incident[0])
			tv_set_str(ctx, "incident", r->incident);
	}
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
	page_render(r, status, "survey/review", "survey.review.title", ctx);
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
survey_partner_undeliverable(const struct qdef *d, const struct answers *a)
{
	const char *email = answers_get(a, qdef_role_key(d, QR_PARTNER_EMAIL), 0);
	return answers_has(a, qdef_role_key(d, QR_INVITE_PARTNER), "yes") && email &&
			       !email_valid(email)
		       ? email
		       : NULL;
}

const struct qdef *
survey_response_qdef(struct db *db, const struct app *app, long long response_id, struct arena *a)
{
	struct response resp;
	struct campaign c;
	if (survey_store_response_get(db, response_id, a, &resp) != 1 ||
	    survey_store_campaign_get(db, resp.campaign_id, a, &c) != 1)
		return NULL;
	return app_questionnaire(app, c.questionnaire, c.version);
}

/* Creates the partner's own response and mails them its private link (once). */
static int
invite_partner(struct request *r, const struct ctx *x)
{
	const char *yes = answers_get(&x->a, qdef_role_key(x->d, QR_INVITE_PARTNER), 0);
	const char *email = answers_get(&x->a, qdef_role_key(x->d, QR_PARTNER_EMAIL), 0);
	if (yes == NULL || strcmp(yes, "yes") != 0 || email == NULL)
		return 0;
	if (survey_store_partner_response(r->db, x->resp.id) != 0)
		return 0; /* already invited */
	/* An address saved before the site had one e-mail rule may be one the outbox refuses:
	 * the answers are sent all the same (a failure here would refuse them for ever), nobody
	 * is invited, and the thanks page and the coordinators' view say why. */
	if (survey_partner_undeliverable(x->d, &x->a)) {
		log_warn("survey: response %lld: partner not invited, the address cannot take mail",
			 x->resp.id);
		return 0;
	}
	char token[TOKEN_LEN + 1];
	long long id =
		survey_store_response_create(r->db, x->c.id, lang_code(r->lang), x->resp.id, "web");
	if (id <= 0 || survey_store_link_create(r->db, id, time(NULL), token) != 0)
		return -1;
	const struct i18n *t = app_of(r)->i18n;
	const char *org = answers_get(&x->a, qdef_role_key(x->d, QR_ORG_NAME), 0);
	const char *title = answers_get(&x->a, qdef_role_key(x->d, QR_TITLE), 0);
	const char *body = arena_printf(
		&r->arena, "%s\n\n%s%s%s\n\n%s\n\n%s/r/%s\n\n%s\n\n-- \n%s\n",
		i18n_get(t, r->lang, "mail.partner.intro"), org ? org : "",
		org && title ? " — " : "", title ? title : "",
		i18n_get(t, r->lang, "mail.partner.link"), web_public_url(r), token,
		i18n_get(t, r->lang, "mail.partner.outro"), i18n_get(t, r->lang, "mail.signature"));
	return mail_store_queue(r->db, email, i18n_get(t, r->lang, "mail.partner.subject"), body) >
			       0
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
		page_message(
			r, 423, x.resp.locked ? "survey.locked.heading" : "survey.closed.heading",
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
			bool given = answers_has(&x.a, q->key, "yes") &&
				     qdef_question_visible(x.d, q, &x.a);
			if (survey_store_consent(r->db, x.resp.id, q->key, given,
						 q->notice_version ? q->notice_version : "") != 0)
				goto fail;
		}
	/* A consent withdrawn or narrowed unpublishes the cases made from this response, now. */
	if (invite_partner(r, &x) != 0 || app_of(r)->steps.response_submitted(r, x.resp.id) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	if (app_of(r)->mail)
		mail_worker_wake(app_of(r)->mail);
	log_info("survey: response %lld submitted", x.resp.id);
	resp_redirect(r, arena_printf(&r->arena, "/survey/%s/thanks", x.c.slug));
	return;
fail:
	db_rollback(r->db);
	enum db_fault f = db_take_fault(r->db);
	if (db_fault_passes(f)) {
		log_warn("survey: response %lld not sent (fault %d): the respondent is told",
			 x.resp.id, (int)f);
		resp_header(r, "Retry-After", "5");
		render_review(r, 503, &x, NULL, 0);
		return;
	}
	resp_incident(r, "survey: could not submit");
	render_review(r, 500, &x, NULL, 0);
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
	const char *partner = answers_get(&x.a, qdef_role_key(x.d, QR_PARTNER_EMAIL), 0);
	const char *refused = survey_partner_undeliverable(x.d, &x.a);
	if (refused && survey_store_partner_response(r->db, x.resp.id) <= 0)
		tv_set_str(ctx, "partner_refused", refused);
	else if (partner && answers_has(&x.a, qdef_role_key(x.d, QR_INVITE_PARTNER), "yes"))
		tv_set_str(ctx, "partner", partner);
	app_of(r)->steps.response_feedback(r, x.resp.id, ctx);
	page_render(r, 200, "survey/thanks", "survey.thanks.title", ctx);
}
