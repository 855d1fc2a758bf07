/* form.c - helpers for pages with forms: typed values kept, errors next to their field. */
#include "form.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "base/email.h"
#include "config.h"
#include "http/server.h"

struct tval *
form_ctx(struct request *r)
{
	web_csrf_ensure(r);
	struct tval *ctx = tv_obj(&r->arena);
	tv_set_str(ctx, "csrf", r->csrf);
	return ctx;
}

void
form_error(struct request *r, struct tval *ctx, const char *field, const char *key)
{
	tv_set_str(ctx, arena_printf(&r->arena, "err_%s", field), page_t(r, key));
	tv_set_bool(ctx, "has_errors", true);
}

bool
form_has_errors(const struct tval *ctx)
{
	return tv_get(ctx, "has_errors") != NULL;
}

void
form_keep(struct request *r, struct tval *ctx, const char *field)
{
	const char *v = req_form(r, field);
	if (v)
		tv_set_str(ctx, field, v);
}

bool
form_email_valid(const char *s)
{
	return email_valid(s);
}

const char *
form_local_path(const char *s)
{
	if (s == NULL || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return NULL;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < ' ')
			return NULL;
	return s;
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
	page_render(r, status, "message", heading_key, ctx);
}
