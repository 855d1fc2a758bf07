/* cookie.h - the site's cookies: their names and attributes, the CSRF token of forms, and the
 * language a visitor reads the site in. */
#ifndef COEXIST_COOKIE_H
#define COEXIST_COOKIE_H

#include "http/http.h"

/* The cookie name for "session", "csrf", "response"… (with the __Host- prefix over HTTPS). */
const char *web_cookie_name(const struct request *r, const char *base);
/* Sets a cookie (HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS); max_age 0 deletes it. */
void web_set_cookie(struct request *r, const char *base, const char *value, long max_age);
/* Makes sure the page has a CSRF token for its forms (a visitor gets a pre-session cookie). */
void web_csrf_ensure(struct request *r);
/* The language of a request: ?lang=, then the lang cookie, then Accept-Language. Sets
 * r->lang (and r->lang_from_query, so that the answer remembers it). */
void web_choose_lang(struct request *r);

#endif
