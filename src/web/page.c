/* page.c - the layout around every page, error pages, and the application's start-up load. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "base/file.h"
#include "auth/auth.h"
#include "auth/password.h"
#include "base/log.h"
#include "config.h"
#include "http/server.h"
#include "http/static.h"
#include "survey/qdef.h"
#include "view/map.h"

const struct app *
app_of(const struct request *r)
{
	return server_app(r->server);
}

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
	const struct tmpl *layout = tmpl_get(app->tmpl, "layout");
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
	const char *body = r->incident[0]
	                           ? arena_printf(&r->arena, "{\"error\":\"%s\",\"incident\":\"%s\"}",
	                                          what, r->incident)
	                           : arena_printf(&r->arena, "{\"error\":\"%s\"}", what);
	resp_header(r, "Access-Control-Allow-Origin", "*");
	resp_text(r, status, "application/json", body, strlen(body));
}

void
page_error(struct request *r, int status)
{
	const struct app *app = app_of(r);
	if (r->path && strncmp(r->path, "/api/", 5) == 0) {
		api_error(r, status);
		return;
	}
	if (tmpl_get(app->tmpl, "error") == NULL || tmpl_get(app->tmpl, "layout") == NULL)
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
	page_render(r, status, "error", heading_key, ctx);
}


/* Loads every KEY-vN.json of dir, checked (start-up is refused on any problem). */
static int
load_questionnaires(struct app *app, const char *dir, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.' || n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		if (app->nquestionnaires == sizeof(app->questionnaires) / sizeof(app->questionnaires[0])) {
			snprintf(err, errlen, "%s: too many questionnaires", dir);
			rc = -1;
			break;
		}
		char path[1400];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		struct qdef *q = qdef_load(path, app->vocab, err, errlen);
		if (q == NULL)
			rc = -1;
		else
			app->questionnaires[app->nquestionnaires++] = q;
	}
	closedir(d);
	return rc;
}

const struct qdef *
app_questionnaire(const struct app *app, const char *key, int version)
{
	for (size_t i = 0; i < app->nquestionnaires; i++)
		if (strcmp(app->questionnaires[i]->key, key) == 0 &&
		    app->questionnaires[i]->version == version)
			return app->questionnaires[i];
	return NULL;
}

int
app_load(struct app *app, const struct config *config, char *err, size_t errlen)
{
	char dir[1100];
	memset(app, 0, sizeof(*app));
	app->config = config;
	snprintf(dir, sizeof(dir), "%s/locale", config->share);
	if ((app->i18n = i18n_load_dir(dir, err, errlen)) == NULL)
		return -1;
	snprintf(dir, sizeof(dir), "%s/templates", config->share);
	if ((app->tmpl = tmpl_load_dir(dir, app->i18n, err, errlen)) == NULL)
		return -1;
	snprintf(dir, sizeof(dir), "%s/static", config->share);
	if ((app->statics = static_load(dir, err, errlen)) == NULL)
		return -1;
	snprintf(dir, sizeof(dir), "%s/data/common-passwords.txt", config->share);
	if (password_list_load(dir, err, errlen) != 0)
		return -1;
	snprintf(dir, sizeof(dir), "%s/data", config->share);
	if ((app->vocab = vocab_load(dir, err, errlen)) == NULL)
		return -1;
	snprintf(dir, sizeof(dir), "%s/data/questionnaires", config->share);
	if (load_questionnaires(app, dir, err, errlen) != 0)
		return -1;
	snprintf(dir, sizeof(dir), "%s/data/map/countries.json", config->share);
	if ((app->map = map_load(dir, err, errlen)) == NULL)
		return -1;
	snprintf(dir, sizeof(dir), "%s/data/openapi.json", config->share);
	size_t openapi_len;
	if (file_read(dir, 1u << 20, true, &app->openapi, &openapi_len, err, errlen) != 0)
		return -1;
	static const char *const needed[] = {"layout", "error", "message"};
	for (size_t i = 0; i < 2; i++)
		if (tmpl_get(app->tmpl, needed[i]) == NULL) {
			snprintf(err, errlen, "%s/templates/%s.html: missing", config->share,
				 needed[i]);
			return -1;
		}
	for (size_t i = 0; i < ROUTE__MAX; i++) {
		char reason[200];
		if (!router_pattern_valid(app_routes[i].pattern, app_params, reason, sizeof(reason))) {
			snprintf(err, errlen, "route table: %s", reason);
			return -1;
		}
		for (const char *const *t = app_routes[i].templates; t && *t; t++)
			if (tmpl_get(app->tmpl, *t) == NULL) {
				snprintf(err, errlen,
					 "route %s %s names template '%s', which does not exist in "
					 "%s/templates",
					 app_routes[i].method, app_routes[i].pattern, *t,
					 config->share);
				return -1;
			}
	}
	if (static_url(app->statics, "app.css") == NULL) {
		snprintf(err, errlen, "%s/static/app.css: missing", config->share);
		return -1;
	}
	return 0;
}

void
app_free(struct app *app)
{
	tmpl_set_free(app->tmpl);
	i18n_free(app->i18n);
	static_free(app->statics);
	password_list_free();
	for (size_t i = 0; i < app->nquestionnaires; i++)
		qdef_free(app->questionnaires[i]);
	vocab_free(app->vocab);
	map_free(app->map);
	free(app->openapi);
	memset(app, 0, sizeof(*app));
}
