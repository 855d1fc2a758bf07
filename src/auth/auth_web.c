/* auth_web.c - sign-up, address confirmation, sign-in and out, forgotten password, account. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "base/log.h"
#include "config.h"
#include "db/db.h"
#include "mail/mail.h"
#include "vocab/vocab.h"
#include "password.h"
#include "base/token.h"
#include "app/app.h"
#include "web/form.h"
#include "web/rate.h"
#include "web/page.h"
#include "web/cookie.h"

#define CONFIRM_TTL        (3L * 86400) /* an address confirmation link lasts three days */
#define RESET_TTL          3600         /* a password reset link, one hour */
#define SIGNUP_MAIL_WINDOW (15L * 60)   /* at most one sign-up mail to an address in this time */

/* Queues a message made of translated paragraphs around a link, in lang. -1 on error. */
static int
queue_mail(struct request *r, const char *to, enum lang lang, const char *what, const char *link)
{
	const struct i18n *t = app_of(r)->i18n;
	char key[64];
	struct buf body;
	buf_init(&body, &r->arena);
	snprintf(key, sizeof(key), "mail.%s.intro", what);
	buf_printf(&body, "%s\n\n", i18n_get(t, lang, key));
	if (link)
		buf_printf(&body, "%s\n\n", link);
	snprintf(key, sizeof(key), "mail.%s.outro", what);
	buf_printf(&body, "%s\n\n-- \n%s\n", i18n_get(t, lang, key),
		   i18n_get(t, lang, "mail.signature"));
	snprintf(key, sizeof(key), "mail.%s.subject", what);
	return mail_store_queue(r->db, to, i18n_get(t, lang, key), body.data) < 0 ? -1 : 0;
}

static void
wake_mail(struct request *r)
{
	if (app_of(r)->mail)
		mail_worker_wake(app_of(r)->mail);
}

/* Checks a new password and its repetition; adds errors to ctx. */
static void
check_new_password(struct request *r, struct tval *ctx, const char *email)
{
	const char *pw = req_form(r, "password");
	const char *pw2 = req_form(r, "password2");
	if (pw == NULL) {
		form_error(r, ctx, "password", "password.too_short");
		return;
	}
	enum password_problem p = password_check(pw, strlen(pw), email);
	if (p != PASSWORD_OK)
		form_error(r, ctx, "password", password_problem_key(p));
	else if (pw2 == NULL || strcmp(pw, pw2) != 0)
		form_error(r, ctx, "password2", "form.password_mismatch");
}

/* The kinds of organisation of the shared vocabulary (data/vocab/org_kinds.json). */
static const struct vocab *
org_kinds(const struct request *r)
{
	return vocab_find(app_of(r)->vocab, "org_kinds");
}

static void
kinds(struct request *r, struct tval *ctx, const char *chosen)
{
	struct tval *list = tv_list(&r->arena);
	const struct vocab *k = org_kinds(r);
	for (size_t i = 0; k && i < k->n; i++) {
		struct tval *o = tv_push_obj(list);
		tv_set_str(o, "code", k->options[i].code);
		tv_set_str(o, "label",
			   r->lang == LANG_EN ? k->options[i].label.en : k->options[i].label.fr);
		tv_set_bool(o, "selected", chosen && strcmp(chosen, k->options[i].code) == 0);
	}
	tv_set(ctx, "kinds", list);
}

void
auth_signup_form(struct request *r)
{
	struct tval *ctx = form_ctx(r);
	kinds(r, ctx, NULL);
	page_render(r, 200, "auth/signup", "signup.title", ctx);
}

void
auth_signup(struct request *r)
{
	struct tval *ctx = form_ctx(r);
	const char *email = req_form(r, "email"), *name = req_form(r, "name");
	const char *org_name = req_form(r, "org_name"), *kind = req_form(r, "org_kind");
	for (const char *const *f = (const char *const[]){"email", "name", "org_name", NULL}; *f;
	     f++)
		form_keep(r, ctx, *f);
	kinds(r, ctx, kind);
	if (name == NULL || name[0] == '\0')
		form_error(r, ctx, "name", "form.required");
	if (email == NULL || !form_email_valid(email))
		form_error(r, ctx, "email", "form.email_invalid");
	if (org_name == NULL || strlen(org_name) < 2)
		form_error(r, ctx, "org_name", "form.required");
	const struct vocab *known = org_kinds(r);
	if (kind == NULL || known == NULL || vocab_option(known->options, known->n, kind) == NULL)
		form_error(r, ctx, "org_kind", "form.choose_one");
	check_new_password(r, ctx, email ? email : "");
	if (form_has_errors(ctx)) {
		page_render(r, 422, "auth/signup", "signup.title", ctx);
		return;
	}
	/* Each sign-up costs an argon2id hash and may send a mail: bounded per client address. */
	if (!rate_allow(r, "signup", app_of(r)->config->rate_signups, 3600))
		return;
	/* Hashed first, outside the transaction: argon2id is most of a sign-up's time, and every
	 * save of the site would wait for it behind SQLite's one write lock. A known address is
	 * hashed all the same, so that the answer takes as long as for a new one. */
	const char *pw = req_form(r, "password");
	struct user_secret secret;
	if (users_store_hash_password(pw, strlen(pw), &secret) != 0) {
		resp_error(r, 500, "sign-up: cannot hash the password");
		return;
	}
	time_t now = time(NULL);
	const char *base = web_public_url(r);
	const char *mailed = NULL; /* which mail was queued, if any */
	struct user existing;
	int found = -1;
	/* Pending accounts whose link expired go first, so that their address can sign up again.
	 * Looking the address up inside the transaction leaves no gap before the insert. */
	bool ok = db_begin(r->db) == 0 && users_store_delete_expired_pending(r->db, now) >= 0 &&
		  (found = users_store_get_by_email(r->db, email, &r->arena, &existing)) >= 0;
	if (ok && found == 0) {
		/* The organisation is made when the address is confirmed: until then, what was
		 * typed waits on the pending account. */
		char token[TOKEN_LEN + 1];
		long long uid = users_store_create_pending(r->db, email, name, &secret, org_name,
							   kind, lang_code(r->lang), now);
		ok = uid > 0 &&
		     tokens_store_create(r->db, uid, TOKEN_CONFIRM, now, CONFIRM_TTL, token) == 0 &&
		     queue_mail(r, email, r->lang, "confirm",
				arena_printf(&r->arena, "%s/confirm/%s", base, token)) == 0;
		mailed = "confirm";
	} else if (ok) {
		/* Say nothing on the page about who has an account: tell the owner by mail, at most
		 * once per window however many attempts are made (the page is the same either way,
		 * so the limit tells nothing either). */
		int due = users_store_signup_mail_due(r->db, existing.id, now, SIGNUP_MAIL_WINDOW);
		enum lang l = strcmp(existing.lang, "en") == 0 ? LANG_EN : LANG_FR;
		ok = due == 0 ||
		     (due == 1 && queue_mail(r, existing.email, l, "exists",
					     arena_printf(&r->arena, "%s/signin", base)) == 0);
		mailed = due == 1 ? "exists" : NULL;
	}
	users_store_secret_clear(&secret);
	if (!ok || db_commit(r->db) != 0) {
		db_rollback(r->db);
		resp_error(r, 500, "sign-up: could not save");
		return;
	}
	if (mailed)
		wake_mail(r);
	log_info("sign-up %s", found == 0 ? "of a new account"
			       : mailed   ? "for a known address (owner told by mail)"
					  : "for a known address (owner told recently, no mail)");
	page_message(r, 200, "signup.sent.heading", "signup.sent.text", NULL, NULL);
}

/* Makes a pending person active, inside the caller's transaction (the link that proves the
 * address is used in the same one); the application makes the organisation they typed. */
static int
activate(struct request *r, long long uid)
{
	if (app_of(r)->steps.address_confirmed(r, uid) != 0)
		return -1;
	return users_store_confirm(r->db, uid);
}

void
auth_confirm_form(struct request *r)
{
	if (tokens_store_peek(r->db, req_param(r, 0), TOKEN_CONFIRM, time(NULL)) <= 0) {
		page_message(r, 404, "link.invalid.heading", "link.invalid.text", "/signin",
			     "signin.title");
		return;
	}
	struct tval *ctx = form_ctx(r);
	tv_set_str(ctx, "token", req_param(r, 0));
	page_render(r, 200, "auth/confirm", "confirm.title", ctx);
}

void
auth_confirm(struct request *r)
{
	if (db_begin(r->db) != 0) {
		resp_error(r, 500, "confirm: database");
		return;
	}
	long long uid = tokens_store_consume(r->db, req_param(r, 0), TOKEN_CONFIRM, time(NULL));
	if (uid <= 0) {
		db_rollback(r->db);
		page_message(r, 404, "link.invalid.heading", "link.invalid.text", "/signin",
			     "signin.title");
		return;
	}
	if (activate(r, uid) != 0 || db_commit(r->db) != 0) {
		db_rollback(r->db);
		resp_error(r, 500, "confirm: could not save");
		return;
	}
	log_info("address confirmed for user %lld", uid);
	resp_redirect(r, "/signin?done=confirmed");
}

static void
signin_page(struct request *r, int status, const char *error_key)
{
	struct tval *ctx = form_ctx(r);
	form_keep(r, ctx, "email");
	const char *next =
		form_local_path(req_form(r, "next") ? req_form(r, "next") : req_query(r, "next"));
	if (next)
		tv_set_str(ctx, "next", next);
	if (error_key)
		tv_set_str(ctx, "error", page_t(r, error_key));
	const char *done = req_query(r, "done");
	if (done)
		tv_set_str(ctx, "done", page_t(r, arena_printf(&r->arena, "signin.done.%s", done)));
	page_render(r, status, "auth/signin", "signin.title", ctx);
}

void
auth_signin_form(struct request *r)
{
	if (r->user) {
		resp_redirect(r, r->user->role >= ROLE_COORDINATOR ? "/admin" : "/account");
		return;
	}
	signin_page(r, 200, NULL);
}

void
auth_signin(struct request *r)
{
	const char *email = req_form(r, "email"), *pw = req_form(r, "password");
	const char *ip = req_client_ip(r);
	time_t now = time(NULL);
	if (email == NULL || pw == NULL) {
		signin_page(r, 422, "signin.error.wrong");
		return;
	}
	long wait = throttle_store_wait(r->db, email, ip, now);
	if (wait < 0) {
		resp_error(r, 500, "sign-in: throttle");
		return;
	}
	if (wait > 0) {
		log_warn("sign-in refused: too many failures (from %s)", ip);
		struct tval *ctx = tv_obj(&r->arena);
		tv_set_str(ctx, "heading", page_t(r, "signin.throttled.heading"));
		tv_set_str(ctx, "text", page_t(r, "signin.throttled.text"));
		tv_set_int(ctx, "minutes", (wait + 59) / 60);
		resp_header(r, "Retry-After", arena_printf(&r->arena, "%ld", wait));
		page_render(r, 429, "web/message", "signin.throttled.heading", ctx);
		return;
	}
	struct user u;
	int rc = users_store_check_password(r->db, email, pw, strlen(pw), &r->arena, &u);
	if (rc < 0) {
		resp_error(r, 500, "sign-in: database");
		return;
	}
	if (rc == 0 || u.status == USER_DISABLED) {
		throttle_store_record(r->db, email, ip, false, now);
		log_info("sign-in failed from %s", ip);
		signin_page(r, 401, "signin.error.wrong");
		return;
	}
	if (u.status == USER_PENDING) {
		throttle_store_record(r->db, email, ip, true, now);
		signin_page(r, 403, "signin.error.pending");
		return;
	}
	/* A new token at every sign-in; the session the browser had before, if any, ends. */
	char token[TOKEN_LEN + 1], old[64];
	if (req_cookie(r, web_cookie_name(r, "session"), old, sizeof(old)))
		session_store_delete_by_token(r->db, old);
	if (session_store_create(r->db, u.id, now, token) != 0) {
		resp_error(r, 500, "sign-in: session");
		return;
	}
	throttle_store_record(r->db, email, ip, true, now);
	throttle_store_prune(r->db, now);               /* attempts are kept a day */
	users_store_delete_expired_pending(r->db, now); /* and so are not stale sign-ups */
	log_info("sign-in of user %lld (%s) from %s", u.id, role_name(u.role), ip);
	web_set_cookie(r, "session", token, app_of(r)->config->session_lifetime);
	web_set_cookie(r, "csrf", "", 0);
	const char *next = form_local_path(req_form(r, "next"));
	resp_redirect(r, next ? next : u.role >= ROLE_COORDINATOR ? "/admin" : "/account");
}

void
auth_signout(struct request *r)
{
	if (r->user) {
		session_store_delete_by_token(r->db, r->session);
		log_info("sign-out of user %lld", r->user->id);
	}
	web_set_cookie(r, "session", "", 0);
	resp_redirect(r, "/");
}

void
auth_forgot_form(struct request *r)
{
	page_render(r, 200, "auth/forgot", "forgot.title", form_ctx(r));
}

void
auth_forgot(struct request *r)
{
	const char *email = req_form(r, "email");
	struct tval *ctx = form_ctx(r);
	form_keep(r, ctx, "email");
	if (email == NULL || !form_email_valid(email)) {
		form_error(r, ctx, "email", "form.email_invalid");
		page_render(r, 422, "auth/forgot", "forgot.title", ctx);
		return;
	}
	struct user u;
	time_t now = time(NULL);
	int found = users_store_get_by_email(r->db, email, &r->arena, &u);
	if (found < 0) {
		resp_error(r, 500, "forgot: database");
		return;
	}
	/* The same page whether or not the address is known. At most one link every five
	 * minutes, so that nobody can flood a mailbox from here. */
	if (found && u.status != USER_DISABLED &&
	    tokens_store_recent(r->db, u.id, TOKEN_RESET, now, RESET_TTL, 300) == 0) {
		char token[TOKEN_LEN + 1];
		enum lang l = strcmp(u.lang, "en") == 0 ? LANG_EN : LANG_FR;
		if (db_begin(r->db) != 0 ||
		    tokens_store_create(r->db, u.id, TOKEN_RESET, now, RESET_TTL, token) != 0 ||
		    queue_mail(r, u.email, l, "reset",
			       arena_printf(&r->arena, "%s/reset/%s", web_public_url(r), token)) !=
			    0 ||
		    db_commit(r->db) != 0) {
			db_rollback(r->db);
			resp_error(r, 500, "forgot: could not save");
			return;
		}
		wake_mail(r);
	}
	page_message(r, 200, "forgot.sent.heading", "forgot.sent.text", "/signin", "signin.title");
}

void
auth_reset_form(struct request *r)
{
	if (tokens_store_peek(r->db, req_param(r, 0), TOKEN_RESET, time(NULL)) <= 0) {
		page_message(r, 404, "link.invalid.heading", "link.invalid.text", "/forgot",
			     "forgot.title");
		return;
	}
	struct tval *ctx = form_ctx(r);
	tv_set_str(ctx, "token", req_param(r, 0));
	page_render(r, 200, "auth/reset", "reset.title", ctx);
}

void
auth_reset(struct request *r)
{
	time_t now = time(NULL);
	long long uid = tokens_store_peek(r->db, req_param(r, 0), TOKEN_RESET, now);
	struct user u;
	if (uid <= 0 || users_store_get(r->db, uid, &r->arena, &u) != 1) {
		page_message(r, 404, "link.invalid.heading", "link.invalid.text", "/forgot",
			     "forgot.title");
		return;
	}
	struct tval *ctx = form_ctx(r);
	tv_set_str(ctx, "token", req_param(r, 0));
	check_new_password(r, ctx, u.email);
	if (form_has_errors(ctx)) {
		page_render(r, 422, "auth/reset", "reset.title", ctx);
		return;
	}
	/* Hashed before the transaction, which holds the database's write lock. */
	const char *pw = req_form(r, "password");
	struct user_secret secret;
	if (users_store_hash_password(pw, strlen(pw), &secret) != 0) {
		resp_error(r, 500, "reset: cannot hash the password");
		return;
	}
	bool ok = db_begin(r->db) == 0 &&
		  tokens_store_consume(r->db, req_param(r, 0), TOKEN_RESET, now) == uid &&
		  users_store_set_password(r->db, uid, &secret) == 0 &&
		  /* Following the link proved the mailbox: a pending address is now confirmed,
		   * with the organisation it typed. */
		  activate(r, uid) == 0 && session_store_delete_by_user(r->db, uid) == 0 &&
		  /* The owner proved the mailbox: guesses by others no longer lock it out. */
		  throttle_store_clear_address(r->db, u.email) == 0 && db_commit(r->db) == 0;
	users_store_secret_clear(&secret);
	if (!ok) {
		db_rollback(r->db);
		resp_error(r, 500, "reset: could not save");
		return;
	}
	log_info("password reset for user %lld; their sessions ended", uid);
	resp_redirect(r, "/signin?done=reset");
}
