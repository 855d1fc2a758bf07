/* request.c - what handlers read of a request, and the calls that answer it. */
#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"

static const char *
field_get(const struct http_field *f, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].name, name) == 0)
			return f[i].value;
	return NULL;
}

const char *
req_query(const struct request *r, const char *name)
{
	return field_get(r->query, r->nquery, name);
}

const char *
req_form(const struct request *r, const char *name)
{
	return field_get(r->form, r->nform, name);
}

const char *
req_header(const struct request *r, const char *name)
{
	if (r->conn == NULL)
		return NULL;
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

bool
req_cookie(const struct request *r, const char *name, char *out, size_t outlen)
{
	return http_cookie_get(req_header(r, "Cookie"), name, out, outlen);
}

const char *
req_client_ip(struct request *r)
{
	const union MHD_ConnectionInfo *ci =
		r->conn ? MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS)
			: NULL;
	char text[INET6_ADDRSTRLEN] = "-";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, text,
				  sizeof(text));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, text,
				  sizeof(text));
	}
	return arena_strdup(&r->arena, text);
}

bool
req_from_loopback(const struct request *r)
{
	if (r->conn == NULL || req_header(r, "X-Forwarded-For") || req_header(r, "Forwarded"))
		return false;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || ci->client_addr == NULL)
		return false;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr);
	return false;
}

const char *
req_param(const struct request *r, size_t n)
{
	return n < r->nparams ? r->params[n].value : "";
}

/* The fields that carry the route's inputs: the form of a POST, the query of a GET. */
static const struct http_field *
inputs(const struct request *r, size_t *n)
{
	bool post = r->method && strcmp(r->method, "POST") == 0;
	*n = post ? r->nform : r->nquery;
	return post ? r->form : r->query;
}

/* The first {parameter} or input of that name. */
static const struct http_field *
typed(const struct request *r, const char *name)
{
	for (size_t i = 0; i < r->nparams; i++)
		if (strcmp(r->params[i].name, name) == 0)
			return &r->params[i];
	size_t n;
	const struct http_field *f = inputs(r, &n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].name, name) == 0)
			return &f[i];
	return NULL;
}

long long
req_int(const struct request *r, const char *name)
{
	const struct http_field *f = typed(r, name);
	return f ? f->num : 0;
}

size_t
req_ints(struct request *r, const char *name, const long long **out)
{
	size_t n, count = 0;
	const struct http_field *f = inputs(r, &n);
	for (size_t i = 0; i < n; i++)
		count += strcmp(f[i].name, name) == 0;
	*out = NULL;
	if (count == 0)
		return 0;
	long long *v = arena_alloc(&r->arena, count * sizeof(*v));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].name, name) == 0)
			v[k++] = f[i].num;
	*out = v;
	return k;
}

bool
req_cursor(const struct request *r, const char *name, const char **time, long long *id)
{
	const struct http_field *f = typed(r, name);
	if (f == NULL || f->key == NULL)
		return false;
	*time = f->key;
	*id = f->num;
	return true;
}

static bool
header_safe(const char *s)
{
	for (; *s; s++)
		if (*s == '\r' || *s == '\n' || *s == '\0')
			return false;
	return true;
}

void
resp_header(struct request *r, const char *name, const char *value)
{
	if (r->nheaders == HTTP_MAX_HEADERS || !header_safe(name) || !header_safe(value)) {
		log_warn("response header %s dropped", name);
		return;
	}
	r->headers[r->nheaders].name = name;
	r->headers[r->nheaders].value = value;
	r->nheaders++;
}

void
resp_send(struct request *r, int status, const char *content_type)
{
	if (r->answered) {
		log_warn("a response was already given; second one (%d) ignored", status);
		return;
	}
	r->status = status;
	r->content_type = content_type;
	r->answered = true;
}

void
resp_text(struct request *r, int status, const char *content_type, const char *s, size_t n)
{
	buf_reset(&r->out);
	buf_add(&r->out, s, n);
	resp_send(r, status, content_type);
}

void
resp_redirect(struct request *r, const char *local_path)
{
	/* Only local paths: "//host" and "/\host" would leave the site. */
	if (local_path == NULL || local_path[0] != '/' || local_path[1] == '/' ||
	    local_path[1] == '\\' || !header_safe(local_path))
		local_path = "/";
	resp_header(r, "Location", local_path);
	buf_reset(&r->out);
	resp_send(r, 303, "text/plain; charset=utf-8");
}
