/* server.h - the HTTP server: libmicrohttpd thread pool, limits, dispatch, graceful stop. */
#ifndef COEXIST_SERVER_H
#define COEXIST_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"

struct config;
struct server;

struct server_spec {
	const struct config *config;
	const struct route *routes; /* the route table */
	size_t nroutes;
	const struct field_spec *params;        /* the {parameters} of the routes' patterns */
	http_error_page error_page;             /* renders error pages; NULL: plain text */
	const struct field_spec *global_fields; /* fields every route accepts */
	http_handler before;           /* runs before every handler (the gate); may answer, which
					  skips the handler; NULL: none */
	http_handler after;            /* runs after every routed request, answered; may change the
					  answer (it is not sent yet); NULL: none */
	void (*slot_free)(void *slot); /* frees a worker's slot (req_worker_slot) at the stop */
	void *app;                     /* given back by server_app() */
};

/* Starts listening and serving on config->listen with config->threads workers. Answers only
 * the Host names of the listen address, of auth.public_url and of loopback (host.c). NULL with
 * a reason in err; errno is then EADDRINUSE when another process holds the address. */
struct server *server_start(const struct server_spec *spec, char *err, size_t errlen);
/* The port actually bound (useful with port 0). */
unsigned server_port(const struct server *s);
/* The application pointer of the spec. */
void *server_app(const struct server *s);
/* The configuration the server runs with. */
const struct config *server_config(const struct server *s);
/* Requests being answered now. */
unsigned server_in_flight(const struct server *s);
/* Milliseconds since the last request began or ended, 0 while one is being answered. */
uint64_t server_idle_ms(const struct server *s);
/* Stops accepting connections, lets requests in flight finish for up to grace_seconds (their
 * answers close their connections; a request arriving on an open connection meanwhile gets
 * 503 with Retry-After), closes connections silent for half a second, then stops the workers
 * and frees their slots (slot_free). */
void server_stop(struct server *s, int grace_seconds);

#endif
