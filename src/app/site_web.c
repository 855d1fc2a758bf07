/* site_web.c - the home page, health check, metrics and static files. */
#include <string.h>

#include "app.h"
#include "db/db.h"
#include "http/metrics.h"
#include "http/server.h"
#include "http/static.h"
#include "web/page.h"
#include "routes.h"

void
site_home(struct request *r)
{
	struct tval *ctx = tv_obj(&r->arena);
	/* Each part links to its pages once they exist (later issues add them here). */
	struct tval *links = tv_obj(&r->arena);
	tv_set_str(links, "collect", "/survey");
	tv_set_str(links, "learn", "/learn");
	tv_set_str(links, "showcase", "/cases");
	tv_set(ctx, "links", links);
	page_render(r, 200, "app/home", "home.title", ctx);
}

void
site_healthz(struct request *r)
{
	/* Healthy means: this worker can read the database. */
	if (!db_ping(r->db)) {
		db_error(r->db, "healthz");
		resp_text(r, 503, "text/plain; charset=utf-8", "database unavailable\n", 21);
		return;
	}
	resp_text(r, 200, "text/plain; charset=utf-8", "ok\n", 3);
}

void
site_metrics(struct request *r)
{
	/* Metrics describe the service, not people, but are still not for the public. */
	if (!req_from_loopback(r)) {
		resp_error(r, 404, NULL);
		return;
	}
	metrics_write(&r->out, db_error_count(), db_slow_work_count(), server_in_flight(r->server));
	resp_send(r, 200, "text/plain; version=0.0.4; charset=utf-8");
}

void
site_static(struct request *r)
{
	static_serve(r, app_of(r)->statics, r->path + strlen("/static/"));
}

void
site_favicon(struct request *r)
{
	/* Browsers ask for /favicon.ico whatever the page says (a PDF viewer, for one). */
	static_serve(r, app_of(r)->statics, "favicon.svg");
}
