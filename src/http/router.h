/* router.h - the route table's types and matching of a method and path against it (pure). */
#ifndef COEXIST_ROUTER_H
#define COEXIST_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "parse.h"

struct request;
typedef void (*http_handler)(struct request *r);

/* Declared inputs: a route names each query or form field it accepts. Undeclared fields are
 * dropped before the handler runs; a declared field that fails its check gets a 400. */
enum field_kind {
	FIELD_TEXT,  /* UTF-8 text of min..max characters */
	FIELD_INT,   /* decimal whole number in min..max */
	FIELD_ENUM,  /* one of choices (NULL-terminated) */
	FIELD_TOKEN, /* [A-Za-z0-9_-] of min..max bytes */
};

struct field_spec {
	const char *name;
	enum field_kind kind;
	long min, max;
	const char *const *choices;
};

enum route_flag {
	ROUTE_PUBLIC = 1 << 0, /* same answer for everyone: may be cached by browsers and proxies */
	ROUTE_BARE = 1 << 1,   /* no session, no CSRF: static files, health checks, metrics */
	ROUTE_FORM_DEFINED = 1 << 2, /* the form's fields are declared by data the handler checks
	                                (a questionnaire definition): all are passed on */
};

#define ROUTE_MAX_PARAMS 4

struct route {
	const char *method;  /* "GET" (HEAD too) or "POST" */
	const char *pattern; /* "/cases/{id}"; a final "*" takes the rest of the path */
	http_handler handler;
	unsigned flags;               /* enum route_flag */
	unsigned char role;           /* least role allowed (enum role of auth/auth.h; 0: anyone) */
	const char *const *templates; /* templates it renders, NULL-terminated; checked at start */
	const struct field_spec *fields; /* declared inputs, ended by a {NULL} entry; may be NULL */
};

enum { ROUTER_NOT_FOUND = -1, ROUTER_BAD_METHOD = -2 };

/* Finds the route for method and decoded path. Returns its index with the {param} values
 * (pointing into path copies in params_buf) or ROUTER_NOT_FOUND, or ROUTER_BAD_METHOD with
 * the allowed methods ("GET, HEAD") written into allow. */
int router_match(const struct route *routes, size_t n, const char *method, const char *path,
		 char *params_buf, size_t params_buflen, const char *params[ROUTE_MAX_PARAMS],
		 size_t *nparams, char *allow, size_t allowlen);
/* Checks a pattern's syntax; false with a reason in err. */
bool router_pattern_valid(const char *pattern, char *err, size_t errlen);

/* Keeps the fields named in spec (the first occurrence of each name) and checks them.
 * Returns NULL when all declared fields are valid (kept ones in *out, *outn), or the name
 * of the first field that fails its check. */
const char *fields_filter(const struct field_spec *spec, const struct http_field *in, size_t n,
			  struct http_field *out, size_t *outn);

#endif
