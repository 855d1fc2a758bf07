/* gate.c - the one gate before every handler (the worker's database connection, the language,
 * who asks, CSRF and Origin checks, the route's role) and the check after it (no transaction
 * left open). */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app.h"
#include "auth/auth.h"
#include "base/token.h"
#include "base/log.h"
#include "db/db.h"
#include "config.h"
#include "web/cookie.h"
#include "routes.h"

/* The Origin (or, failing it, Referer) of a POST must be this site: compared with Host. */
static bool
same_origin(const struct request *r)
{
	const char *site = req_header(r, "Sec-Fetch-Site");
	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return false;
	const char *origin = req_header(r, "Origin");
	if (origin == NULL)
		origin = req_header(r, "Referer");
	if (origin == NULL)
		return true; /* old clients and tools: the token alone decides */
	const char *host = req_header(r, "Host");
	if (host == NULL)
		return false;
	const char *p = strstr(origin, "://");
	if (p == NULL)
		return false;
	p += 3;
	size_t hl = strlen(host);
	return strncasecmp(p, host, hl) == 0 && (p[hl] == '\0' || p[hl] == '/');
}

static void
find_session(struct request *r)
{
	const struct app *app = app_of(r);
	char tok[64];
	if (!req_cookie(r, web_cookie_name(r, "session"), tok, sizeof(tok)))
		return;
	struct user *u = arena_zalloc(&r->arena, sizeof(*u));
	char hash[65];
	int rc = session_store_lookup(r->db, tok, time(NULL), app->config->idle_timeout,
				      app->config->session_lifetime, &r->arena, u, hash);
	if (rc == 1) {
		r->user = u;
		memcpy(r->session, tok, TOKEN_LEN + 1); /* well formed: exactly TOKEN_LEN */
		csrf_token(app->secret, true, hash, r->csrf);
		if (strcmp(u->lang, "en") == 0 && !req_query(r, "lang") &&
		    !req_cookie(r, "lang", tok, 8))
			r->lang = LANG_EN;
	} else {
		web_set_cookie(r, "session", "", 0); /* ended or unknown: forget it */
	}
}

/* This worker's connection, opened on its first request and kept in its slot (the HTTP layer
 * holds the slot; the application owns what is in it). False when it answered 503. */
static bool
worker_db(struct request *r)
{
	void **slot = req_worker_slot(r);
	if (*slot == NULL) {
		const struct config *c = app_of(r)->config;
		char err[256];
		*slot = db_open(c->db, (int)c->busy_timeout_ms, err, sizeof(err));
		if (*slot == NULL) {
			log_error("worker cannot open the database: %s", err);
			resp_error(r, 503, "no database connection");
			return false;
		}
	}
	r->db = *slot;
	return true;
}

void
app_slot_free(void *slot)
{
	db_close(slot);
}

void
app_gate(struct request *r)
{
	const struct route *rt = &app_routes[r->route];
	web_choose_lang(r);
	if (!worker_db(r) || (rt->flags & ROUTE_BARE))
		return;
	find_session(r);
	if (r->user)
		r->cache_control = "no-store";
	else {
		char v[64];
		if (req_cookie(r, web_cookie_name(r, "csrf"), v, sizeof(v)) && token_well_formed(v))
			csrf_token(app_of(r)->secret, false, v, r->csrf);
	}

	if (strcmp(r->method, "POST") == 0) {
		const char *sent = req_form(r, "csrf");
		if (r->csrf[0] == '\0' || sent == NULL || !token_equal(sent, r->csrf) ||
		    !same_origin(r)) {
			log_info("POST %s refused: %s", rt->pattern,
				 !same_origin(r) ? "foreign origin"
						 : "missing or wrong CSRF token");
			resp_error(r, 403, NULL);
			return;
		}
	}
	if (rt->role == ROLE_ANYONE)
		return;
	if (r->user == NULL) {
		if (strcmp(r->method, "POST") == 0) {
			resp_error(r, 403, NULL);
			return;
		}
		/* Sign in first, then come back here. */
		struct buf to;
		buf_init(&to, &r->arena);
		buf_puts(&to, "/signin?next=");
		http_url_encode(&to, r->path, strlen(r->path));
		resp_redirect(r, to.data);
		return;
	}
	if ((int)r->user->role < (int)rt->role)
		resp_error(r, 403, NULL);
}

void
app_after(struct request *r)
{
	/* Every request ends with no transaction open on this worker's connection. One left open
	 * would hold the write lock and be committed, or lost, with whatever the next request on
	 * this worker does; so it is rolled back here, and the answer, not sent yet, becomes a 500:
	 * a save is never acknowledged unless it was committed. */
	if (r->db && db_request_end(r->db)) {
		r->answered = false;
		r->nheaders = 0; /* no Location or Set-Cookie from what was undone */
		resp_error(r, 500, "transaction left open by the handler: rolled back");
	}
}
