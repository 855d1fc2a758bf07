/* cookie.c - the site's cookies: their names and attributes, the CSRF token of forms, and the
 * language a visitor reads the site in. */
#include "cookie.h"

#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "base/token.h"
#include "config.h"

const char *
web_cookie_name(const struct request *r, const char *base)
{
	/* Over HTTPS the __Host- prefix binds a cookie to this host, path / and Secure. */
	struct request *mr = (struct request *)r; /* the arena only */
	return arena_printf(&mr->arena,
			    app_of(r)->config->secure_cookies ? "__Host-%s" : "coexist_%s", base);
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
	web_set_cookie(r, "csrf", v, 86400L * 30);
	csrf_token(app_of(r)->secret, false, v, r->csrf);
	/* A page that sets a cookie is nobody else's: never kept by a shared cache. */
	r->cache_control = "no-store";
}

void
web_choose_lang(struct request *r)
{
	if (r->lang_chosen)
		return;
	r->lang_chosen = true;
	enum lang l;
	const char *q = req_query(r, "lang");
	if (q && lang_from_code(q, &l)) {
		/* Asked by a link: remembered for the next pages (a display preference only). */
		r->lang = (int)l;
		resp_header(r, "Set-Cookie",
			    l == LANG_EN
				    ? "lang=en; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax"
				    : "lang=fr; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax");
		return;
	}
	char c[8];
	if (req_cookie(r, "lang", c, sizeof(c)) && lang_from_code(c, &l)) {
		r->lang = (int)l;
		return;
	}
	r->lang = (int)lang_negotiate(req_header(r, "Accept-Language"));
}

void
csrf_token(const unsigned char key[32], bool signed_in, const char *basis, char out[44])
{
	char msg[160];
	/* Distinct prefixes: a visitor's token can never pass for a session's, or the reverse. */
	int n = snprintf(msg, sizeof(msg), "%s:%s", signed_in ? "session" : "visitor", basis);
	token_hmac(key, msg, (size_t)n, out);
}
