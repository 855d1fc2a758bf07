/* routes.c - every URL of the site, one line each. */
#include "app.h"

static const char *const t_home[] = {"home", NULL};

/* A table a reader takes in at a glance: kept aligned by hand. */
/* clang-format off */
/* method, pattern, handler, flags, templates it renders, declared inputs */
const struct route app_routes[ROUTE__MAX] = {
	[ROUTE_HOME]    = {"GET", "/",         site_home,    ROUTE_PUBLIC, t_home, NULL},
	[ROUTE_HEALTHZ] = {"GET", "/healthz",  site_healthz, 0,            NULL,   NULL},
	[ROUTE_METRICS] = {"GET", "/metrics",  site_metrics, 0,            NULL,   NULL},
	[ROUTE_STATIC]  = {"GET", "/static/*", site_static,  0,            NULL,   NULL},
};
/* clang-format on */
