/* app.c - the application's start-up: translations, templates, static files, the vocabulary,
 * the questionnaires, the map and the OpenAPI document, loaded and checked once. */
#include "app.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "base/file.h"
#include "config.h"
#include "http/server.h"
#include "http/static.h"
#include "questionnaire/qdef.h"
#include "routes.h"
#include "steps.h"
#include "view/map.h"

const struct app *
app_of(const struct request *r)
{
	return server_app(r->server);
}

/* Loads every KEY-vN.json of dir, checked, with every role the program needs (start-up is
 * refused on any problem); then the map of their roles for SQL. */
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
		if (app->nquestionnaires ==
		    sizeof(app->questionnaires) / sizeof(app->questionnaires[0])) {
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
		if (q && !qdef_roles_complete(q, path, err, errlen))
			rc = -1;
	}
	closedir(d);
	if (rc == 0)
		app->roles_json = qdef_roles_json((const struct qdef *const *)app->questionnaires,
						  app->nquestionnaires);
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
	app->steps = app_steps;
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
	static const char *const needed[] = {"web/layout", "web/error", "web/message"};
	for (size_t i = 0; i < 2; i++)
		if (tmpl_get(app->tmpl, needed[i]) == NULL) {
			snprintf(err, errlen, "%s/templates/%s.html: missing", config->share,
				 needed[i]);
			return -1;
		}
	for (size_t i = 0; i < ROUTE__MAX; i++) {
		char reason[200];
		if (!router_pattern_valid(app_routes[i].pattern, app_params, reason,
					  sizeof(reason))) {
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
	free(app->roles_json);
	vocab_free(app->vocab);
	map_free(app->map);
	free(app->openapi);
	memset(app, 0, sizeof(*app));
}
