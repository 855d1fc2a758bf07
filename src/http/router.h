/* router.h - the route table's types and matching of a method and path against it (pure). */
#ifndef COEXIST_ROUTER_H
#define COEXIST_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "parse.h"

struct request;
typedef void (*http_handler)(struct request *r);

/* Declared inputs: a route names each query or form field it accepts, and each {parameter} of
 * a pattern is one of the application's declared parameters. Undeclared fields are dropped
 * before the handler runs; a declared field that fails its check gets a 400 (a parameter: no
 * route matches, 404). A checked field carries its parsed value (kcgi's kpair->parsed), read
 * with req_int(), req_ints() or req_cursor(): no handler parses request data itself. */
enum field_kind {
	FIELD_TEXT,   /* UTF-8 text of min..max characters */
	FIELD_INT,    /* decimal whole number in min..max (num) */
	FIELD_ENUM,   /* one of choices (NULL-terminated) */
	FIELD_TOKEN,  /* [A-Za-z0-9_-] of min..max bytes */
	FIELD_DATE,   /* a calendar day, YYYY-MM-DD */
	FIELD_CURSOR, /* a place in a list ordered by time and id: "TIME_ID", TIME a UTC time
			 (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, in key), ID in min..max (num) */
};

/* An empty INT, DATE or CURSOR field (a form's empty box) counts as absent. */
struct field_spec {
	const char *name;
	enum field_kind kind;
	long long min, max;
	const char *const *choices;
	unsigned repeat; /* 0: one value, the first sent; N: up to N values, each checked (more:
			    400), read with req_ints() */
	bool required;   /* absent is refused with 400 (GET: in the query; POST: in the form) */
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

/* Finds the route for method and decoded path. A {parameter} matches a path segment that
 * passes the check of the parameter of that name in params_spec. Returns the route's index
 * with the parameters (named, checked and parsed, their text copied into buf), or
 * ROUTER_NOT_FOUND, or ROUTER_BAD_METHOD with the allowed methods ("GET, HEAD") in allow. */
int router_match(const struct route *routes, size_t n, const struct field_spec *params_spec,
		 const char *method, const char *path, char *buf, size_t buflen,
		 struct http_field params[ROUTE_MAX_PARAMS], size_t *nparams, char *allow,
		 size_t allowlen);
/* Checks a pattern's syntax, and that each {parameter} is declared in params_spec; false
 * with a reason in err. */
bool router_pattern_valid(const char *pattern, const struct field_spec *params_spec, char *err,
			  size_t errlen);

/* Checks one value against its spec and sets its parsed value (num, key; key in arena a).
 * False when it fails the check. */
bool field_check(const struct field_spec *s, struct http_field *f, struct arena *a);
/* Keeps the fields declared in spec or in global (each checked and parsed; one value of a
 * field unless it repeats), and the undeclared ones too when keep_undeclared. With
 * check_required, a required field of spec that is absent fails. Returns NULL when every
 * declared field passed (kept ones in out, in the order sent, *outn of them; out has room for
 * n), or the name of the first field that failed. */
const char *fields_filter(const struct field_spec *spec, const struct field_spec *global,
			  bool keep_undeclared, bool check_required, struct arena *a,
			  const struct http_field *in, size_t n, struct http_field *out,
			  size_t *outn);

#endif
