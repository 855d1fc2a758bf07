/* gate.c - the one gate before every handler: who asks, CSRF and Origin checks, the route's role. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app.h"
#include "auth/auth.h"
#include "auth/token.h"
#include "base/log.h"
#include "config.h"

const char *
web_cookie_name(const struct request *r, const char *base)
{
	/* Over HTTPS the __Host- prefix binds a cookie to this host, path / and Secure. */
	struct request *mr = (struct request *)r; /* the arena only */
	return arena_printf(&mr->arena, app_of(r)->config->secure_cookies ? "__Host-%s" : "coexist_%s",
	                    base);
}

void
web_set_cookie(struct request *r, const char *base, const char *value, long max_age)
{
	const char *secure = app_of(r)->config->secure_cookies ? "; Secure" : "";
	resp_header(r, "Set-Cookie",
	            arena_printf(&r->arena, "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Lax%s",
	                         web_cookie_name(r, base), value, max_age, secure));
}

void
web_csrf_ensure(struct request *r)
{
	if (r->csrf[0])
		return;
	char v[TOKEN_LEN + 1];
	token_new(v);
	web_set_cookie(r, "csrf", v, 86400 * 30);
	csrf_token(app_of(r)->secret, false, v, r->csrf);
	/* A page that sets a cookie is nobody else's: never kept by a shared cache. */
	r->cache_control = "no-store";
}

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
		if (strcmp(u->lang, "en") == 0 && !r->lang_from_query && !req_cookie(r, "lang", tok, 8))
			r->lang = LANG_EN;
	} else {
		web_set_cookie(r, "session", "", 0); /* ended or unknown: forget it */
	}
}

void
web_gate(struct request *r)
{
	const struct route *rt = &app_routes[r->route];
	if (rt->flags & ROUTE_BARE)
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
		if (r->csrf[0] == '\0' || sent == NULL || !token_equal(sent, r->csrf) || !same_origin(r)) {
			log_info("POST %s refused: %s", rt->pattern,
			         !same_origin(r) ? "foreign origin" : "missing or wrong CSRF token");
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
