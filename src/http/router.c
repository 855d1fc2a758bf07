/* router.c - matching a method and path against the route table, and declared inputs (pure). */
#include "router.h"

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/num.h"
#include "base/utf8.h"

/* The spec of a name in a {NULL}-ended list, or NULL. */
static const struct field_spec *
spec_of(const struct field_spec *spec, const char *name, size_t len)
{
	for (const struct field_spec *s = spec; s && s->name; s++)
		if (strncmp(s->name, name, len) == 0 && s->name[len] == '\0')
			return s;
	return NULL;
}

/* Matches one pattern; on success the parameters are named, checked and parsed, their text
 * copied (NUL-terminated) into buf. */
static bool
match(const char *pat, const char *path, const struct field_spec *params_spec, char *buf,
      size_t buflen, struct http_field *params, size_t *np)
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
			const struct field_spec *ps =
				spec_of(params_spec, pat + 1, (size_t)(close - pat - 1));
			if (ps == NULL)
				return false;
			memcpy(buf + used, path, len);
			buf[used + len] = '\0';
			struct http_field *f = &params[*np];
			*f = (struct http_field){ps->name, buf + used, strlen(ps->name),
						 len,      0,          NULL};
			if (!field_check(ps, f, NULL))
				return false;
			(*np)++;
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
router_match(const struct route *routes, size_t n, const struct field_spec *params_spec,
	     const char *method, const char *path, char *buf, size_t buflen,
	     struct http_field params[ROUTE_MAX_PARAMS], size_t *nparams, char *allow,
	     size_t allowlen)
{
	bool path_found = false;
	bool get = false, post = false;
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	for (size_t i = 0; i < n; i++) {
		if (!match(routes[i].pattern, path, params_spec, buf, buflen, params, nparams))
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
router_pattern_valid(const char *pattern, const struct field_spec *params_spec, char *err,
		     size_t errlen)
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
			if (spec_of(params_spec, p + 1, (size_t)(close - p - 1)) == NULL) {
				snprintf(err, errlen,
					 "pattern '%s': parameter {%.*s} is not declared", pattern,
					 (int)(close - p - 1), p + 1);
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

/* "TIME_ID": the time in f->key, the id in f->num. */
static bool
cursor_ok(const struct field_spec *s, struct http_field *f, struct arena *a)
{
	const char *us = strrchr(f->value, '_');
	if (us == NULL || us == f->value || (size_t)(us - f->value) > 20 || a == NULL)
		return false;
	char *time = arena_strndup(a, f->value, (size_t)(us - f->value));
	if (!num_valid_utc_time(time) || !num_parse(us + 1, s->min, s->max, &f->num))
		return false;
	f->key = time;
	return true;
}

bool
field_check(const struct field_spec *s, struct http_field *f, struct arena *a)
{
	switch (s->kind) {
	case FIELD_TEXT: {
		size_t chars = utf8_count(f->value, f->value_len);
		return (long long)chars >= s->min && (long long)chars <= s->max;
	}
	case FIELD_INT: return num_parse(f->value, s->min, s->max, &f->num);
	case FIELD_ENUM:
		for (const char *const *c = s->choices; c && *c; c++)
			if (strcmp(*c, f->value) == 0)
				return true;
		return false;
	case FIELD_TOKEN:
		if ((long long)f->value_len < s->min || (long long)f->value_len > s->max)
			return false;
		for (size_t i = 0; i < f->value_len; i++) {
			char c = f->value[i];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '_' || c == '-'))
				return false;
		}
		return true;
	case FIELD_DATE: return num_parse_date(f->value, NULL, NULL, NULL);
	case FIELD_CURSOR: return cursor_ok(s, f, a);
	}
	return false;
}

/* Kinds whose empty value is a form's empty box: as if not sent. */
static bool
empty_is_absent(const struct field_spec *s, const struct http_field *f)
{
	return f->value_len == 0 &&
	       (s->kind == FIELD_INT || s->kind == FIELD_DATE || s->kind == FIELD_CURSOR);
}

static size_t
spec_count(const struct field_spec *spec)
{
	size_t n = 0;
	for (const struct field_spec *s = spec; s && s->name; s++)
		n++;
	return n;
}

const char *
fields_filter(const struct field_spec *spec, const struct field_spec *global, bool keep_undeclared,
	      bool check_required, struct arena *a, const struct http_field *in, size_t n,
	      struct http_field *out, size_t *outn)
{
	*outn = 0;
	size_t ns = spec_count(spec), ng = spec_count(global);
	/* How many values of each declared field were kept: spec's, then global's. */
	unsigned *kept = arena_zalloc(a, (ns + ng + 1) * sizeof(*kept));
	for (size_t i = 0; i < n; i++) {
		const struct field_spec *s = spec_of(spec, in[i].name, in[i].name_len);
		size_t at = s ? (size_t)(s - spec) : 0;
		if (s == NULL && (s = spec_of(global, in[i].name, in[i].name_len)) != NULL)
			at = ns + (size_t)(s - global);
		if (s == NULL) {
			if (keep_undeclared)
				out[(*outn)++] = in[i];
			continue;
		}
		if (empty_is_absent(s, &in[i]))
			continue;
		if (kept[at] > 0 && s->repeat == 0)
			continue; /* one value: the first one sent */
		if (s->repeat > 0 && kept[at] == s->repeat)
			return s->name;
		struct http_field f = in[i];
		f.num = 0;
		f.key = NULL;
		if (!field_check(s, &f, a))
			return s->name;
		kept[at]++;
		out[(*outn)++] = f;
	}
	if (check_required)
		for (size_t k = 0; k < ns; k++)
			if (spec[k].required && kept[k] == 0)
				return spec[k].name;
	return NULL;
}
