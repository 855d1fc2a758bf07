/* page.c - the layout around every page, error and message pages, translations. */
#include "page.h"

#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "auth/user.h"
#include "config.h"
#include "cookie.h"
#include "http/server.h"
#include "http/static.h"

const char *
page_t(const struct request *r, const char *key)
{
	return i18n_get(app_of(r)->i18n, r->lang, key);
}

/* The current page's URL in the other language: its path and declared query, lang replaced. */
static const char *
switch_href(struct request *r, enum lang other)
{
	struct buf b;
	buf_init(&b, &r->arena);
	buf_puts(&b, r->path ? r->path : "/");
	buf_putc(&b, '?');
	for (size_t i = 0; i < r->nquery; i++) {
		if (strcmp(r->query[i].name, "lang") == 0)
			continue;
		http_url_encode(&b, r->query[i].name, r->query[i].name_len);
		buf_putc(&b, '=');
		http_url_encode(&b, r->query[i].value, r->query[i].value_len);
		buf_putc(&b, '&');
	}
	buf_printf(&b, "lang=%s", lang_code(other));
	return b.data;
}

void
page_render(struct request *r, int status, const char *name, const char *title_key,
	    struct tval *ctx)
{
	const struct app *app = app_of(r);
	const struct tmpl *t = tmpl_get(app->tmpl, name);
	const struct tmpl *layout = tmpl_get(app->tmpl, "web/layout");
	if (t == NULL || layout == NULL) { /* app_load checked the route table; this is a bug */
		resp_error(r, 500, "missing template");
		return;
	}
	struct buf body;
	buf_init(&body, &r->arena);
	tmpl_render(t, ctx, r->lang, &body);

	enum lang other = r->lang == LANG_FR ? LANG_EN : LANG_FR;
	struct tval *l = tv_obj(&r->arena);
	tv_set_str(l, "lang", lang_code(r->lang));
	tv_set_str(l, "title", i18n_get(app->i18n, r->lang, title_key));
	tv_set(l, "body", tv_html_trusted(&r->arena, body.data ? body.data : "", body.len));
	tv_set_str(l, "css", static_url(app->statics, "app.css"));
	tv_set_str(l, "icon", static_url(app->statics, "favicon.svg"));
	/* An error page links to the home page in the other language: it never repeats the
	 * path or query it was asked for. */
	tv_set_str(l, "switch_href",
		   status >= 400 ? (other == LANG_EN ? "/?lang=en" : "/?lang=fr")
				 : switch_href(r, other));
	tv_set_str(l, "switch_lang", lang_code(other));
	if (r->user) {
		struct tval *me = tv_obj(&r->arena);
		tv_set_str(me, "email", r->user->email);
		tv_set_bool(me, "staff", r->user->role >= ROLE_COORDINATOR);
		tv_set(l, "me", me);
		tv_set_str(l, "csrf", r->csrf);
	}
	buf_reset(&r->out);
	tmpl_render(layout, l, r->lang, &r->out);
	resp_header(r, "Content-Language", lang_code(r->lang));
	resp_send(r, status, "text/html; charset=utf-8");
}

/* An error of the open data API: JSON, as its answers are (documented in openapi.json). */
static void
api_error(struct request *r, int status)
{
	const char *what = status == 400   ? "bad request"
			   : status == 404 ? "not found"
			   : status == 405 ? "method not allowed"
			   : status == 429 ? "too many requests"
			   : status < 500  ? "refused"
					   : "server error";
	const char *body =
		r->incident[0] ? arena_printf(&r->arena, "{\"error\":\"%s\",\"incident\":\"%s\"}",
					      what, r->incident)
			       : arena_printf(&r->arena, "{\"error\":\"%s\"}", what);
	resp_header(r, "Access-Control-Allow-Origin", "*");
	resp_text(r, status, "application/json", body, strlen(body));
}

void
page_error(struct request *r, int status)
{
	const struct app *app = app_of(r);
	web_choose_lang(r); /* an error found before the gate speaks the visitor's language too */
	if (r->path && strncmp(r->path, "/api/", 5) == 0) {
		api_error(r, status);
		return;
	}
	if (tmpl_get(app->tmpl, "web/error") == NULL || tmpl_get(app->tmpl, "web/layout") == NULL)
		return; /* the server falls back to plain text */
	char key[32];
	struct tval *ctx = tv_obj(&r->arena);
	tv_set_int(ctx, "status", status);
	snprintf(key, sizeof(key), "error.%d.heading", status);
	if (i18n_index(app->i18n, key) < 0)
		snprintf(key, sizeof(key), "error.%d.heading", status >= 500 ? 500 : 400);
	const char *heading_key = arena_strdup(&r->arena, key);
	tv_set_str(ctx, "heading", i18n_get(app->i18n, r->lang, heading_key));
	memcpy(key + strlen(key) - strlen("heading"), "message", sizeof("message"));
	tv_set_str(ctx, "message", i18n_get(app->i18n, r->lang, key));
	if (r->incident[0])
		tv_set_str(ctx, "incident", r->incident);
	page_render(r, status, "web/error", heading_key, ctx);
}

const char *
web_public_url(struct request *r)
{
	const struct config *c = app_of(r)->config;
	if (c->public_url[0]) {
		size_t n = strlen(c->public_url);
		while (n > 0 && c->public_url[n - 1] == '/')
			n--;
		return arena_strndup(&r->arena, c->public_url, n);
	}
	const char *colon = strrchr(c->listen, ':');
	return arena_printf(&r->arena, "http://%.*s:%u", (int)(colon - c->listen), c->listen,
			    server_port(r->server));
}

void
page_message(struct request *r, int status, const char *heading_key, const char *text_key,
	     const char *link_href, const char *link_key)
{
	struct tval *ctx = tv_obj(&r->arena);
	tv_set_str(ctx, "heading", page_t(r, heading_key));
	tv_set_str(ctx, "text", page_t(r, text_key));
	if (link_href) {
		tv_set_str(ctx, "link_href", link_href);
		tv_set_str(ctx, "link_label", page_t(r, link_key));
	}
	page_render(r, status, "web/message", heading_key, ctx);
}
