/* http.h - a request as handlers see it, and the calls that answer it. */
#ifndef COEXIST_HTTP_H
#define COEXIST_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "parse.h"
#include "router.h"

struct MHD_Connection;
struct db;
struct server;
struct user;

#define HTTP_MAX_HEADERS 16

struct http_header {
	const char *name, *value;
};

struct request {
	struct arena arena; /* everything of this request; freed when it completes */
	struct server *server;
	struct MHD_Connection *conn;

	/* What was asked. */
	const char *method;
	char *target;             /* raw request target (path?query), never logged */
	char *path;               /* decoded, checked path */
	struct http_field *query; /* declared, valid query fields only */
	size_t nquery;
	struct http_field *form; /* declared, valid form fields only (POST) */
	size_t nform;
	int route;                                  /* index in the route table, or -1 */
	struct http_field params[ROUTE_MAX_PARAMS]; /* the {parameters}, checked and parsed */
	size_t nparams;
	char params_buf[256];
	struct buf body;   /* request body (bounded by limits.max_body) */
	size_t body_bytes; /* body bytes received, kept or not */
	uint64_t start_ns;

	/* What the application sets (its gate, before the handler, or its error page): the HTTP
	 * layer never reads these. */
	struct db *db;           /* this worker thread's connection (its req_worker_slot) */
	int lang;                /* the language of the answer (enum lang of view/i18n.h) */
	bool lang_chosen;        /* lang was set */
	const struct user *user; /* signed-in person, or NULL */
	char session[44];        /* the session cookie's token, when signed in */
	char csrf[44];           /* the CSRF token forms of this page must carry */

	/* The answer. */
	int status;
	const char *content_type;
	struct buf out;         /* response body, in the arena */
	const void *out_static; /* or a body that outlives the request (static files) */
	size_t out_static_len;
	struct http_header headers[HTTP_MAX_HEADERS];
	size_t nheaders;
	const char *cache_control; /* NULL: chosen from the route (no-store unless public) */
	bool answered;
	bool sent;         /* queued to libmicrohttpd */
	char incident[20]; /* set for 500 answers */
};

/* Returns the value of a declared query field, or NULL. */
const char *req_query(const struct request *r, const char *name);
/* Returns the value of a declared form field, or NULL. */
const char *req_form(const struct request *r, const char *name);
/* Returns a request header (case-insensitive name), or NULL. */
const char *req_header(const struct request *r, const char *name);
/* Copies a cookie's value into out; false when absent or too long. */
bool req_cookie(const struct request *r, const char *name, char *out, size_t outlen);
/* The client's address as text ("127.0.0.1", "::1"), in the request arena. */
const char *req_client_ip(struct request *r);
/* True when the client is on this machine and no proxy forwarded the request. */
bool req_from_loopback(const struct request *r);
/* The calling worker thread's slot for the application, NULL until the application puts a
 * value there (its database connection); freed by the server's slot_free at the stop. */
void **req_worker_slot(struct request *r);
/* Returns the nth {parameter} of the route's pattern, or "". */
const char *req_param(const struct request *r, size_t n);
/* The parsed value of a declared INT field or {parameter} (a CURSOR's id): the route's
 * parameters first, then its inputs (the form of a POST, the query of a GET); 0 when absent.
 * The router has checked it against its declared range: the handler uses it as it is. */
long long req_int(const struct request *r, const char *name);
/* The values of a repeated INT input, in the order sent: their count, and *out (in the
 * request's arena; NULL when none). */
size_t req_ints(struct request *r, const char *name, const long long **out);
/* A declared CURSOR input: true with its time (*time) and id (*id) when given. */
bool req_cursor(const struct request *r, const char *name, const char **time, long long *id);

/* Adds a response header; names and values must not contain CR or LF (checked: dropped). */
void resp_header(struct request *r, const char *name, const char *value);
/* Answers with a body already in r->out (or out_static) and the given type. */
void resp_send(struct request *r, int status, const char *content_type);
/* Answers with a text body (copied). */
void resp_text(struct request *r, int status, const char *content_type, const char *s, size_t n);
/* Answers 303 See Other to a local path (must start with a single '/'; others become "/"). */
void resp_redirect(struct request *r, const char *local_path);
/* Gives the request an incident id (r->incident) and logs it with reason: for a handler that
 * answers a server fault with a page of its own. */
void resp_incident(struct request *r, const char *reason);
/* Answers with the error page of status in the request's language; never echoes request data.
 * A 500 gets an incident id that is also logged with reason. */
void resp_error(struct request *r, int status, const char *reason);

/* The error page of the site, set by the web layer; it must call resp_send(). Without one, a
 * plain-text body is sent. */
typedef void (*http_error_page)(struct request *r, int status);

#endif
