/* server.c - the HTTP server: libmicrohttpd thread pool, limits, dispatch, graceful stop. */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "config.h"
#include "host.h"
#include "metrics.h"

/* Sent with every answer. The policy allows no inline script or style at all. */
static const char csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
			  "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
			  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

#define MAX_WORKERS 256
#define RETRY_AFTER "5" /* seconds, told to requests refused while stopping */

enum {
	/* While stopping, a connection with nothing in flight is closed once it has been silent
	 * this long (a client between two requests sends its next one well within it). */
	STOP_LINGER_MS = 500,
};

struct server {
	struct MHD_Daemon *daemon;
	const struct config *config;
	const struct route *routes;
	size_t nroutes;
	const struct field_spec *params; /* the routes' {parameters} */
	http_error_page error_page;
	http_handler before;
	void *app;
	unsigned port;
	struct host_rule hosts; /* the Host header values answered */
	atomic_uint in_flight;
	atomic_uint conns;          /* open connections */
	_Atomic uint64_t active_ns; /* when a request last began or ended */
	_Atomic uint64_t stop_ns;   /* when server_stop began; 0 while serving */
	pthread_mutex_t lock;       /* guards slots */
	void *slots[MAX_WORKERS];   /* the application's per-worker values (req_worker_slot) */
	size_t nslots;
	const struct field_spec *global_fields;
	http_handler after;
	void (*slot_free)(void *slot);
};

/* This worker thread's index in slots, plus one (0: none yet). */
static _Thread_local size_t worker_slot;

static uint64_t
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void **
req_worker_slot(struct request *r)
{
	struct server *s = r->server;
	if (worker_slot == 0) {
		/* One slot per worker thread, given on its first request, kept until the stop. */
		pthread_mutex_lock(&s->lock);
		if (s->nslots == MAX_WORKERS)
			die("more worker threads than slots (%d)", MAX_WORKERS);
		worker_slot = ++s->nslots;
		pthread_mutex_unlock(&s->lock);
	}
	return &s->slots[worker_slot - 1];
}

static const char *
status_text(int status)
{
	switch (status) {
	case 400: return "Bad request / Requête invalide";
	case 403: return "Forbidden / Accès refusé";
	case 404: return "Not found / Page introuvable";
	case 405: return "Method not allowed / Méthode non permise";
	case 413: return "Request too large / Requête trop volumineuse";
	case 415: return "Unsupported media type / Type de contenu non pris en charge";
	case 421: return "Misdirected request / Requête mal dirigée";
	case 429: return "Too many requests / Trop de requêtes";
	case 431: return "Request headers too large / En-têtes de requête trop volumineux";
	case 501: return "Not implemented / Non pris en charge";
	case 503: return "Service unavailable / Service indisponible";
	default: return "Server error / Erreur du serveur";
	}
}

void
resp_incident(struct request *r, const char *reason)
{
	unsigned char rnd[6];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(r->incident, sizeof(r->incident), rnd, sizeof(rnd));
	log_error("incident %s: %s %s: %s", r->incident, r->method ? r->method : "-",
		  r->route >= 0 ? r->server->routes[r->route].pattern : "-",
		  reason ? reason : "unspecified");
}

void
resp_error(struct request *r, int status, const char *reason)
{
	if (r->answered)
		return;
	/* A failure on our side (a reason is given) gets an incident id; a refusal such as 501 or
	 * the 503 of a stopping server does not. */
	if (status >= 500 && reason != NULL)
		resp_incident(r, reason);
	/* Errors are never cached, and never carry a body built from the request. */
	r->cache_control = "no-store";
	buf_reset(&r->out);
	r->out_static = NULL;
	if (r->server->error_page) {
		r->server->error_page(r, status);
		if (r->answered)
			return;
	}
	buf_printf(&r->out, "%d %s\n", status, status_text(status));
	if (r->incident[0])
		buf_printf(&r->out, "Incident: %s\n", r->incident);
	resp_send(r, status, "text/plain; charset=utf-8");
}

static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct server *s = cls;
	(void)conn;
	struct request *r = calloc(1, sizeof(*r));
	if (r == NULL)
		die("out of memory");
	arena_init(&r->arena, 16384);
	buf_init(&r->out, &r->arena);
	buf_init(&r->body, &r->arena);
	r->server = s;
	r->route = -1;
	r->start_ns = now_ns();
	/* The raw target, with its query: parsed by us (strictly) rather than by the library. */
	r->target = arena_strndup(&r->arena, uri, strnlen(uri, (size_t)s->config->max_header));
	atomic_fetch_add(&s->in_flight, 1);
	atomic_store(&s->active_ns, r->start_ns);
	return r;
}

/* Keeps the declared fields of the route (and the global ones), checked and parsed; the
 * others too when keep_undeclared. 0, or 400 when one fails its check. */
static int
filter_fields(struct request *r, const struct field_spec *spec, bool keep_undeclared,
	      bool check_required, struct http_field **fields, size_t *n)
{
	struct http_field *kept = arena_alloc(&r->arena, (*n + 1) * sizeof(*kept));
	size_t nk = 0;
	const char *bad = fields_filter(spec, r->server->global_fields, keep_undeclared,
					check_required, &r->arena, *fields, *n, kept, &nk);
	if (bad) {
		log_info("field '%s' refused", bad);
		return 400;
	}
	*fields = kept;
	*n = nk;
	return 0;
}

/* The size of the request head, and the header lines that may appear only once. */
struct head {
	size_t bytes;
	unsigned content_length, transfer_encoding, host;
};

static enum MHD_Result
add_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct head *h = cls;
	(void)kind;
	h->bytes += strlen(key) + (value ? strlen(value) : 0) + 4;
	if (strcasecmp(key, "Content-Length") == 0)
		h->content_length++;
	else if (strcasecmp(key, "Transfer-Encoding") == 0)
		h->transfer_encoding++;
	else if (strcasecmp(key, "Host") == 0)
		h->host++;
	return MHD_YES;
}

/* How the body is delimited: one Content-Length, or one Transfer-Encoding that is "chunked".
 * libmicrohttpd 0.9.75 takes any other coding for a body without end (read until the client
 * gives up), and with both headers it silently ignores Content-Length: a request another server
 * would read differently (request smuggling). 0, 400 or 501. */
static int
check_framing(struct request *r, const struct head *h)
{
	if (h->content_length > 1 || h->transfer_encoding > 1 ||
	    (h->content_length && h->transfer_encoding))
		return 400;
	const char *te = req_header(r, "Transfer-Encoding");
	if (te && strcasecmp(te, "chunked") != 0)
		return 501;
	return 0;
}

/* The Host must be one of ours (host.c), so that a page on another name that resolves here (DNS
 * rebinding) cannot act as a visitor of this site. HTTP/1.1 requires one Host; an HTTP/1.0
 * request without any is a direct client, never a browser (browsers always send Host): it is
 * answered. 0, 400 or 421. */
static int
check_host(struct request *r, const struct head *h, bool http10)
{
	if (h->host > 1)
		return 400;
	const char *host = req_header(r, "Host");
	if (host == NULL)
		return http10 ? 0 : 400;
	switch (host_check(&r->server->hosts, host)) {
	case HOST_OK: return 0;
	case HOST_FOREIGN: return 421;
	case HOST_INVALID: break;
	}
	return 400;
}

/* First look at a request: size, framing, Host, path, query, body announcement, route. Returns
 * 0 or the status of an error found before any body is read. */
static int
examine(struct request *r, const char *method, bool http10)
{
	struct server *s = r->server;
	r->method = arena_strdup(&r->arena, method);
	struct head h = {.bytes = strlen(r->target) + strlen(method) + 12};
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, add_header, &h);
	if (h.bytes > (size_t)s->config->max_header) {
		return 431;
	}
	int bad = check_framing(r, &h);
	if (bad == 0)
		bad = check_host(r, &h, http10);
	if (bad)
		return bad;
	char *q = strchr(r->target, '?');
	size_t pathlen = q ? (size_t)(q - r->target) : strlen(r->target);
	if (q) {
		enum parse_error e =
			http_parse_urlencoded(&r->arena, q + 1, strlen(q + 1),
					      (size_t)s->config->max_fields, &r->query, &r->nquery);
		if (e != PARSE_OK) {
			r->nquery = 0;
			return 400;
		}
	}
	if (http_parse_path(&r->arena, r->target, pathlen, &r->path) != PARSE_OK) {
		r->path = NULL;
		return 400;
	}
	/* The body is judged first: an upload the server takes nowhere is refused as such. */
	const char *cl = req_header(r, "Content-Length");
	const char *te = req_header(r, "Transfer-Encoding");
	bool has_body = (cl && strcmp(cl, "0") != 0) || te;
	if (cl) {
		char *end;
		errno = 0;
		unsigned long long len = strtoull(cl, &end, 10);
		if (errno || *end || end == cl)
			return 400;
		if (len > (unsigned long long)s->config->max_body)
			return 413;
	}
	if (has_body) {
		const char *ct = req_header(r, "Content-Type");
		if (ct == NULL || strncasecmp(ct, "multipart/", 10) == 0)
			return 415;
		size_t tl = strcspn(ct, "; ");
		if (tl != 33 || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)
			return 415;
	}
	char allow[32];
	r->route =
		router_match(s->routes, s->nroutes, s->params, method, r->path, r->params_buf,
			     sizeof(r->params_buf), r->params, &r->nparams, allow, sizeof(allow));
	if (r->route == ROUTER_BAD_METHOD) {
		resp_header(r, "Allow", arena_strdup(&r->arena, allow));
		r->route = -1;
		return 405;
	}
	if (r->route < 0) {
		r->route = -1;
		return 404;
	}
	/* The query carries a GET's inputs (required ones included); a POST's are in its form. */
	const struct route *rt = &s->routes[r->route];
	bool get = strcmp(rt->method, "GET") == 0;
	if (filter_fields(r, rt->fields, false, get, &r->query, &r->nquery) != 0)
		return 400;
	return 0;
}

static void
dispatch(struct request *r)
{
	struct server *s = r->server;
	const struct route *rt = &s->routes[r->route];
	if (strcmp(r->method, "POST") == 0) {
		/* A form defined by data (a questionnaire page) keeps its undeclared fields for the
		 * handler to check against that data; its declared ones are checked here. */
		if ((r->body.len > 0 && http_parse_urlencoded(&r->arena, r->body.data, r->body.len,
							      (size_t)s->config->max_fields,
							      &r->form, &r->nform) != PARSE_OK) ||
		    filter_fields(r, rt->fields, rt->flags & ROUTE_FORM_DEFINED, true, &r->form,
				  &r->nform) != 0) {
			resp_error(r, 400, NULL);
			return;
		}
	}
	if (s->before)
		s->before(r);
	if (!r->answered)
		rt->handler(r);
	if (!r->answered)
		resp_error(r, 500, "handler gave no answer");
	if (s->after)
		s->after(r);
}

static enum MHD_Result
queue(struct request *r)
{
	struct server *s = r->server;
	const void *body = r->out_static ? r->out_static : r->out.data;
	size_t len = r->out_static ? r->out_static_len : r->out.len;
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)(body ? body : ""),
								    MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	if (r->content_type)
		MHD_add_response_header(resp, "Content-Type", r->content_type);
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	bool own_referrer = false; /* a handler may ask for a stricter one */
	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, "Referrer-Policy") == 0)
			own_referrer = true;
	if (!own_referrer)
		MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Permissions-Policy",
				"camera=(), microphone=(), geolocation=()");
	const char *cc = r->cache_control;
	if (cc == NULL) {
		bool pub = r->route >= 0 && (s->routes[r->route].flags & ROUTE_PUBLIC);
		/* Anything that may depend on who asks is never stored by a cache. */
		cc = pub ? "public, no-cache" : "no-store";
		if (pub)
			MHD_add_response_header(resp, "Vary", "Accept-Language, Cookie");
	}
	MHD_add_response_header(resp, "Cache-Control", cc);
	for (size_t i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
	/* While stopping, each answer ends its connection: clients go on elsewhere or later. */
	if (atomic_load(&s->stop_ns) != 0)
		MHD_add_response_header(resp, "Connection", "close");
	enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	r->sent = true;
	return ok;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	   const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	struct request *r = *con_cls;
	(void)url;
	if (r == NULL) /* the URI callback always runs first; be safe anyway */
		*con_cls = r = on_uri(s, "/", conn);
	if (r->sent) { /* an early answer was queued: ignore the rest of the body */
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->conn == NULL) {
		r->conn = conn;
		uint64_t stop = atomic_load(&s->stop_ns);
		if (stop != 0 && r->start_ns >= stop) {
			/* A request that began after the stop: no new work is started, however
			 * small (only what was in flight is waited for), and the client is told to
			 * come back; answered at once, which also closes the connection. */
			r->method = arena_strdup(&r->arena, method);
			resp_header(r, "Retry-After", RETRY_AFTER);
			resp_error(r, 503, NULL);
			return queue(r);
		}
		int early = examine(r, method, strcmp(version, MHD_HTTP_VERSION_1_0) == 0);
		if (early == 0)
			return MHD_YES;
		r->status = early;
		/* With a body on its way, answer now rather than read what will be refused;
		 * otherwise answer on the next call, which keeps the connection alive (see
		 * DESIGN.md). */
		const char *cl = req_header(r, "Content-Length");
		if ((cl && strcmp(cl, "0") != 0) || req_header(r, "Transfer-Encoding")) {
			resp_error(r, early, NULL);
			return queue(r);
		}
		return MHD_YES;
	}
	if (*upload_size > 0) {
		/* libmicrohttpd takes no answer while a body is arriving: a body that grew over
		 * the limit is read and dropped, then answered with 413. One that goes on far past
		 * the limit is cut off by closing the connection. */
		r->body_bytes += *upload_size;
		if (r->status == 0 && r->body_bytes > (size_t)s->config->max_body)
			r->status = 413;
		if (r->status == 0)
			buf_add(&r->body, upload_data, *upload_size);
		*upload_size = 0;
		if (r->body_bytes > 2 * (size_t)s->config->max_body + 65536) {
			log_info("request body far over the limit: connection closed");
			return MHD_NO;
		}
		return MHD_YES;
	}
	if (r->status != 0)
		resp_error(r, r->status, NULL);
	else
		dispatch(r);
	return queue(r);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	struct server *s = cls;
	struct request *r = *con_cls;
	(void)conn;
	if (r == NULL)
		return;
	uint64_t dur = now_ns() - r->start_ns;
	int status = r->sent ? r->status : 0;
	metrics_record(r->route, status, dur);
	if (s->config->access_log) {
		size_t bytes = r->out_static ? r->out_static_len : r->out.len;
		/* The route's pattern, never the path or query: they may hold private tokens. */
		log_info("access %s %s %d %zuB %.2fms%s%s", r->method ? r->method : "-",
			 r->route >= 0 ? s->routes[r->route].pattern : "-", status, bytes,
			 (double)dur / 1e6,
			 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted",
			 r->incident[0] ? " incident" : "");
	}
	arena_free(&r->arena);
	free(r);
	*con_cls = NULL;
	atomic_store(&s->active_ns, now_ns());
	atomic_fetch_sub(&s->in_flight, 1);
}

static void
on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
	      enum MHD_ConnectionNotificationCode code)
{
	struct server *s = cls;
	(void)conn, (void)socket_context;
	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		atomic_fetch_add(&s->conns, 1);
	else if (code == MHD_CONNECTION_NOTIFY_CLOSED)
		atomic_fetch_sub(&s->conns, 1);
}

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	log_info("http: %s", msg);
}

/* Parses "host:port" or "[v6]:port" into a socket address. */
static int
parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len, char *err,
	     size_t errlen)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	if (colon == NULL || colon == listen || (size_t)(colon - listen) >= sizeof(host))
		goto bad;
	char *end;
	errno = 0;
	long port = strtol(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || port < 0 || port > 65535)
		goto bad;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[') {
		size_t hl = strlen(host);
		if (hl < 3 || host[hl - 1] != ']')
			goto bad;
		host[hl - 1] = '\0';
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
			goto bad;
		*len = sizeof(*a6);
		return 0;
	}
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	a4->sin_family = AF_INET;
	a4->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
		goto bad;
	*len = sizeof(*a4);
	return 0;
bad:
	snprintf(err, errlen, "server.listen: expected host:port (e.g. 127.0.0.1:8080), got '%s'",
		 listen);
	return -1;
}

/* Keeps MHD's own decoding out of the way: paths and queries are decoded by parse.c. */
static size_t
no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls, (void)c;
	return strlen(s);
}

/* Binds and listens on the address itself, to know why it cannot: SO_REUSEADDR (a restart may
 * bind while connections of the last run linger in TIME_WAIT) but never SO_REUSEPORT, with which
 * a second server would bind the same port and silently take half the connections (DESIGN.md).
 * The socket, or -1 with a reason; *in_use when another process holds the address. */
static int
open_listener(const char *listen_text, const struct sockaddr_storage *ss, socklen_t sl,
	      bool *in_use, char *err, size_t errlen)
{
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", listen_text, strerror(errno));
		return -1;
	}
	int on = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ss->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(fd, (const struct sockaddr *)ss, sl) != 0 || listen(fd, SOMAXCONN) != 0) {
		int e = errno;
		close(fd);
		*in_use = e == EADDRINUSE;
		if (*in_use)
			snprintf(err, errlen,
				 "cannot listen on %s: the address is already in use "
				 "(another coexist serve, or another program)",
				 listen_text);
		else
			snprintf(err, errlen, "cannot listen on %s: %s", listen_text, strerror(e));
		return -1;
	}
	return fd;
}

struct server *
server_start(const struct server_spec *spec, char *err, size_t errlen)
{
	const struct config *c = spec->config;
	struct sockaddr_storage ss;
	socklen_t sl;
	if (parse_listen(c->listen, &ss, &sl, err, errlen) != 0)
		return NULL;
	struct server *s = calloc(1, sizeof(*s));
	if (s == NULL)
		die("out of memory");
	if (host_rule_init(&s->hosts, c->listen, c->public_url, err, errlen) != 0) {
		free(s);
		return NULL;
	}
	bool in_use = false;
	int fd = open_listener(c->listen, &ss, sl, &in_use, err, errlen);
	if (fd < 0) {
		free(s);
		errno = in_use ? EADDRINUSE : EINVAL;
		return NULL;
	}
	s->config = c;
	s->routes = spec->routes;
	s->nroutes = spec->nroutes;
	s->params = spec->params;
	s->global_fields = spec->global_fields;
	s->after = spec->after;
	s->slot_free = spec->slot_free;
	s->error_page = spec->error_page;
	s->before = spec->before;
	s->app = spec->app;
	pthread_mutex_init(&s->lock, NULL);
	unsigned flags =
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log,
		NULL, /* first, so that it takes every message */
		MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd, MHD_OPTION_THREAD_POOL_SIZE,
		(unsigned)c->threads, MHD_OPTION_CONNECTION_LIMIT, (unsigned)c->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)c->per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)c->conn_timeout,
		/* The connection's memory holds the request line and headers. limits.max_header is
		 * checked in examine() (431 with the site's headers); this is the hard backstop. */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)c->max_header * 2 + 8192,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
		s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_UNESCAPE_CALLBACK,
		no_unescape, NULL, MHD_OPTION_END);
	if (s->daemon == NULL) {
		snprintf(err, errlen, "cannot serve on %s (see the http: lines above)", c->listen);
		close(fd);
		pthread_mutex_destroy(&s->lock);
		free(s);
		errno = EINVAL;
		return NULL;
	}
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : 0;
	return s;
}

unsigned
server_port(const struct server *s)
{
	return s->port;
}

void *
server_app(const struct server *s)
{
	return s->app;
}

const struct config *
server_config(const struct server *s)
{
	return s->config;
}

unsigned
server_in_flight(const struct server *s)
{
	return atomic_load(&((struct server *)s)->in_flight);
}

uint64_t
server_idle_ms(const struct server *s)
{
	struct server *m = (struct server *)s;
	if (atomic_load(&m->in_flight) > 0)
		return 0;
	return (now_ns() - atomic_load(&m->active_ns)) / 1000000u;
}

void
server_stop(struct server *s, int grace_seconds)
{
	if (s == NULL)
		return;
	/* From now on every answer closes its connection, and a request that begins now gets
	 * 503 (on_request); then stop accepting connections. */
	uint64_t start = now_ns();
	atomic_store(&s->stop_ns, start);
	MHD_socket fd = MHD_quiesce_daemon(s->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	/* Wait for the requests in flight, and for the connections to close after their last
	 * answer; one that stays silent with nothing in flight is closed after STOP_LINGER_MS. */
	uint64_t deadline = start + (uint64_t)grace_seconds * 1000000000u;
	unsigned left;
	for (;;) {
		uint64_t now = now_ns();
		uint64_t active = atomic_load(&s->active_ns);
		uint64_t quiet = now - (active > start ? active : start);
		left = atomic_load(&s->in_flight);
		if (left == 0 &&
		    (atomic_load(&s->conns) == 0 || quiet >= STOP_LINGER_MS * 1000000ull))
			break;
		if (now >= deadline)
			break;
		struct timespec ts = {0, 5L * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	if (left > 0)
		log_warn("stopping with %u requests unfinished after %d s", left, grace_seconds);
	MHD_stop_daemon(s->daemon);
	for (size_t i = 0; i < s->nslots; i++)
		if (s->slots[i] && s->slot_free)
			s->slot_free(s->slots[i]);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
