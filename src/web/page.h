/* page.h - the web pages' common parts: the layout around every page, error and message
 * pages, translations of the request's language, and the address people reach the site at. */
#ifndef COEXIST_PAGE_H
#define COEXIST_PAGE_H

#include "http/http.h"
#include "view/tmpl.h"

/* The translation of key in the request's language. */
const char *page_t(const struct request *r, const char *key);
/* Renders template name as the body of the layout and answers status with HTML. title_key is a
 * translation key; ctx may be NULL. */
void page_render(struct request *r, int status, const char *name, const char *title_key,
		 struct tval *ctx);
/* The site's error page (an http_error_page): HTML, or JSON under /api/. */
void page_error(struct request *r, int status);
/* How people reach the site, for links in e-mails: auth.public_url, else from the listen
 * address and the port bound. In the request arena, without a trailing '/'. */
const char *web_public_url(struct request *r);
/* Renders a short page: a heading, a paragraph, and an optional link (keys translated). */
void page_message(struct request *r, int status, const char *heading_key, const char *text_key,
		  const char *link_href, const char *link_key);

#endif
