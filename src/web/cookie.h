/* cookie.h - the site's cookies: their names and attributes, the CSRF token of forms, and the
 * language a visitor reads the site in. */
#ifndef COEXIST_COOKIE_H
#define COEXIST_COOKIE_H

#include <stdbool.h>

#include "http/http.h"

/* The cookie name for "session", "csrf", "response"… (with the __Host- prefix over HTTPS). */
const char *web_cookie_name(const struct request *r, const char *base);
/* Sets a cookie (HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS); max_age 0 deletes it. */
void web_set_cookie(struct request *r, const char *base, const char *value, long max_age);
/* Makes sure the page has a CSRF token for its forms (a visitor gets a pre-session cookie). */
void web_csrf_ensure(struct request *r);
/* The language of a request: ?lang= (remembered in the lang cookie by the answer), then that
 * cookie, then Accept-Language. Sets r->lang once (r->lang_chosen). */
void web_choose_lang(struct request *r);

/* The CSRF token of a signed-in session (from its token hash) or of a visitor (from the random
 * value of the pre-session cookie): an HMAC under the instance secret. */
void csrf_token(const unsigned char key[32], bool signed_in, const char *basis, char out[44]);

#endif
