/* router.c - matching a method and path against the route table, and declared inputs (pure). */
#include "router.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"

/* Matches one pattern; on success the parameters are copied, NUL-terminated, into buf. */
static bool
match(const char *pat, const char *path, char *buf, size_t buflen, const char **params, size_t *np)
{
	size_t used = 0;
	*np = 0;
	while (*pat && *path) {
		if (pat[0] == '*' && pat[1] == '\0')
			return path[0] != '\0' && path[-1] == '/';
		if (*pat == '{') {
			const char *close = strchr(pat, '}');
			size_t len = strcspn(path, "/");
			if (close == NULL || len == 0 || *np == ROUTE_MAX_PARAMS ||
			    used + len + 1 > buflen)
				return false;
			memcpy(buf + used, path, len);
			buf[used + len] = '\0';
			params[(*np)++] = buf + used;
			used += len + 1;
			path += len;
			pat = close + 1;
			continue;
		}
		if (*pat != *path)
			return false;
		pat++, path++;
	}
	return *pat == '\0' && *path == '\0';
}

int
router_match(const struct route *routes, size_t n, const char *method, const char *path,
	     char *params_buf, size_t params_buflen, const char *params[ROUTE_MAX_PARAMS],
	     size_t *nparams, char *allow, size_t allowlen)
{
	bool path_found = false;
	bool get = false, post = false;
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	for (size_t i = 0; i < n; i++) {
		if (!match(routes[i].pattern, path, params_buf, params_buflen, params, nparams))
			continue;
		if (strcmp(routes[i].method, want) == 0)
			return (int)i;
		path_found = true;
		if (strcmp(routes[i].method, "GET") == 0)
			get = true;
		else if (strcmp(routes[i].method, "POST") == 0)
			post = true;
	}
	*nparams = 0;
	if (!path_found)
		return ROUTER_NOT_FOUND;
	snprintf(allow, allowlen, "%s%s%s", get ? "GET, HEAD" : "", get && post ? ", " : "",
		 post ? "POST" : "");
	return ROUTER_BAD_METHOD;
}

bool
router_pattern_valid(const char *pattern, char *err, size_t errlen)
{
	if (pattern[0] != '/') {
		snprintf(err, errlen, "pattern '%s' must start with '/'", pattern);
		return false;
	}
	int params = 0;
	for (const char *p = pattern; *p; p++) {
		if (*p == '*' && (p[1] != '\0' || p[-1] != '/')) {
			snprintf(err, errlen, "pattern '%s': '*' only as a whole last segment",
				 pattern);
			return false;
		}
		if (*p == '{') {
			const char *close = strchr(p, '}');
			if (close == NULL || close == p + 1 || p[-1] != '/' ||
			    (close[1] && close[1] != '/')) {
				snprintf(err, errlen, "pattern '%s': malformed {parameter}",
					 pattern);
				return false;
			}
			if (++params > ROUTE_MAX_PARAMS) {
				snprintf(err, errlen, "pattern '%s': too many parameters", pattern);
				return false;
			}
			p = close;
		}
	}
	return true;
}

static bool
field_ok(const struct field_spec *s, const struct http_field *f)
{
	switch (s->kind) {
	case FIELD_TEXT: {
		size_t chars = utf8_count(f->value, f->value_len);
		return (long)chars >= s->min && (long)chars <= s->max;
	}
	case FIELD_INT: {
		if (f->value_len == 0 || f->value_len > 20)
			return false;
		char *end;
		errno = 0;
		long v = strtol(f->value, &end, 10);
		return errno == 0 && *end == '\0' && v >= s->min && v <= s->max;
	}
	case FIELD_ENUM:
		for (const char *const *c = s->choices; c && *c; c++)
			if (strcmp(*c, f->value) == 0)
				return true;
		return false;
	case FIELD_TOKEN:
		if ((long)f->value_len < s->min || (long)f->value_len > s->max)
			return false;
		for (size_t i = 0; i < f->value_len; i++) {
			char c = f->value[i];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '_' || c == '-'))
				return false;
		}
		return true;
	}
	return false;
}

const char *
fields_filter(const struct field_spec *spec, const struct http_field *in, size_t n,
	      struct http_field *out, size_t *outn)
{
	*outn = 0;
	if (spec == NULL)
		return NULL;
	for (const struct field_spec *s = spec; s->name; s++) {
		for (size_t i = 0; i < n; i++) {
			if (strcmp(in[i].name, s->name) != 0)
				continue;
			if (!field_ok(s, &in[i]))
				return s->name;
			out[(*outn)++] = in[i];
			break;
		}
	}
	return NULL;
}
