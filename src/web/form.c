/* form.c - helpers for pages with forms: typed values kept, errors next to their field. */
#include "form.h"

#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "cookie.h"
#include "page.h"
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
