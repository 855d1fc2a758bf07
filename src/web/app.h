/* app.h - what every handler shares: configuration, templates, catalogues, static files. */
#ifndef COEXIST_APP_H
#define COEXIST_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"
#include "view/tmpl.h"

struct config;
struct static_set;
struct server;

struct app {
	const struct config *config;
	struct i18n *i18n;
	struct tmpl_set *tmpl;
	struct static_set *statics;
	struct server *server;
};

/* Loads locale/, templates/ and static/ from config->share and checks that every template
 * the route table names exists. -1 with a reason (file:line where known) in err. */
int app_load(struct app *app, const struct config *config, char *err, size_t errlen);
void app_free(struct app *app);
/* The application of a request. */
const struct app *app_of(const struct request *r);

/* The pages of the site; the route table (routes.c) has one line for each. */
enum route_id { ROUTE_HOME, ROUTE_HEALTHZ, ROUTE_METRICS, ROUTE_STATIC, ROUTE__MAX };

extern const struct route app_routes[ROUTE__MAX];

/* Renders template name as the body of the layout and answers 200 (or status) with HTML.
 * title_key is a translation key; ctx may be NULL. */
void page_render(struct request *r, int status, const char *name, const char *title_key,
		 struct tval *ctx);
/* The site's error page (an http_error_page). */
void page_error(struct request *r, int status);
/* The translation of key in the request's language. */
const char *page_t(const struct request *r, const char *key);

/* Handlers of the site itself (site_web.c). */
void site_home(struct request *r);
void site_healthz(struct request *r);
void site_metrics(struct request *r);
void site_static(struct request *r);

#endif
