/* vocab.c - shared option lists: data/vocab/NAME.json and data/countries.json, loaded and checked.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/log.h"
#include "vocab.h"

/* The public set comes first, so that vocab_free() finds the arena behind it. */
struct vocab_owner {
	struct vocab_set pub;
	struct arena arena;
};

#define CODE_MAX 64

static bool fail(char *err, size_t errlen, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static bool
fail(char *err, size_t errlen, const char *file, const char *fmt, ...)
{
	if (err == NULL || errlen == 0)
		return false;
	int n = snprintf(err, errlen, "%s: ", file);
	if (n >= 0 && (size_t)n < errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return false;
}

/* Reads and parses a JSON file; NULL with "file: reason" in err. */
static json_t *
load_json(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		fail(err, errlen, path, "cannot open: %s", strerror(errno));
		return NULL;
	}
	json_error_t je;
	json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	fclose(f);
	if (root == NULL) {
		fail(err, errlen, path, "line %d: %s", je.line, je.text);
		return NULL;
	}
	return root;
}

/* Option codes become parts of form field names and stored keys ("resources.skills.direction"),
 * so they may not hold a dot, a blank or anything a URL or HTML attribute would need escaped. */
static bool
code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > CODE_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

static const char *
nonempty_string(json_t *obj, const char *member)
{
	const char *s = json_string_value(json_object_get(obj, member));
	return s && *s ? s : NULL;
}

static bool
members_ok(json_t *obj, const char *const *allowed, const char **bad)
{
	const char *k;
	json_t *val;
	json_object_foreach(obj, k, val)
	{
		(void)val;
		bool found = false;
		for (size_t i = 0; allowed[i]; i++)
			if (strcmp(allowed[i], k) == 0)
				found = true;
		if (!found) {
			*bad = k;
			return false;
		}
	}
	return true;
}

/* Reads an array of {"code","fr","en"[,"region"]} into the arena. With regions (countries),
 * each option must name one of them, or none. */
static bool
read_options(struct arena *ar, const char *path, json_t *arr, const char *what,
	     const struct qoption *regions, size_t nregions, bool with_region, struct qoption **out,
	     size_t *nout, char *err, size_t errlen)
{
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return fail(err, errlen, path, "'%s' must be a non-empty array",
			    strcmp(what, "region") == 0 ? "regions" : "options");
	size_t n = json_array_size(arr);
	struct qoption *opts = arena_zalloc(ar, n * sizeof(*opts));
	static const char *const plain[] = {"code", "fr", "en", NULL};
	static const char *const regional[] = {"code", "fr", "en", "region", NULL};
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(arr, i);
		if (!json_is_object(o))
			return fail(err, errlen, path, "%s %zu is not an object", what, i + 1);
		const char *code = nonempty_string(o, "code");
		if (code == NULL)
			return fail(err, errlen, path, "%s %zu has no code", what, i + 1);
		if (!code_ok(code))
			return fail(err, errlen, path,
				    "%s '%s': a code is 1 to %d letters, digits, '_' or '-'", what,
				    code, CODE_MAX);
		const char *bad;
		if (!members_ok(o, with_region ? regional : plain, &bad))
			return fail(err, errlen, path, "%s '%s': unknown member '%s'", what, code,
				    bad);
		const char *fr = nonempty_string(o, "fr"), *en = nonempty_string(o, "en");
		if (fr == NULL)
			return fail(err, errlen, path, "%s '%s' has no French label", what, code);
		if (en == NULL)
			return fail(err, errlen, path, "%s '%s' has no English label", what, code);
		for (size_t j = 0; j < i; j++)
			if (strcmp(opts[j].code, code) == 0)
				return fail(err, errlen, path, "%s '%s' appears twice", what, code);
		opts[i].code = arena_strdup(ar, code);
		opts[i].label.fr = arena_strdup(ar, fr);
		opts[i].label.en = arena_strdup(ar, en);
		if (with_region) {
			json_t *r = json_object_get(o, "region");
			if (r != NULL && !json_is_null(r)) {
				const char *rc = json_string_value(r);
				const struct qoption *reg =
					rc ? vocab_option(regions, nregions, rc) : NULL;
				if (reg == NULL)
					return fail(err, errlen, path,
						    "%s '%s': region is not one of 'regions'", what,
						    code);
				opts[i].group = reg->code;
			}
		}
	}
	*out = opts;
	*nout = n;
	return true;
}

static bool
load_list(struct arena *ar, const char *path, const char *expect_key, struct vocab *out, char *err,
	  size_t errlen)
{
	json_t *root = load_json(path, err, errlen);
	if (root == NULL)
		return false;
	bool ok = false;
	const char *bad;
	static const char *const allowed[] = {"key", "options", NULL};
	const char *key = nonempty_string(root, "key");
	if (!json_is_object(root))
		fail(err, errlen, path, "not a JSON object");
	else if (key == NULL)
		fail(err, errlen, path, "no 'key'");
	else if (strcmp(key, expect_key) != 0)
		fail(err, errlen, path, "key '%s' does not match the file name", key);
	else if (!members_ok(root, allowed, &bad))
		fail(err, errlen, path, "unknown member '%s'", bad);
	else if (read_options(ar, path, json_object_get(root, "options"), "option", NULL, 0, false,
			      &out->options, &out->n, err, errlen)) {
		out->key = arena_strdup(ar, key);
		ok = true;
	}
	json_decref(root);
	return ok;
}

static bool
load_countries(struct arena *ar, const char *path, struct vocab_set *v, char *err, size_t errlen)
{
	json_t *root = load_json(path, err, errlen);
	if (root == NULL)
		return false;
	bool ok = false;
	const char *bad;
	static const char *const allowed[] = {"key", "regions", "options", NULL};
	const char *key = nonempty_string(root, "key");
	if (!json_is_object(root))
		fail(err, errlen, path, "not a JSON object");
	else if (key == NULL || strcmp(key, "countries") != 0)
		fail(err, errlen, path, "key must be 'countries'");
	else if (!members_ok(root, allowed, &bad))
		fail(err, errlen, path, "unknown member '%s'", bad);
	else if (read_options(ar, path, json_object_get(root, "regions"), "region", NULL, 0, false,
			      &v->regions, &v->nregions, err, errlen) &&
		 read_options(ar, path, json_object_get(root, "options"), "country", v->regions,
			      v->nregions, true, &v->countries.options, &v->countries.n, err,
			      errlen)) {
		ok = true;
		/* ISO 3166-1 alpha-2: two capital letters; anything else is a slip in the file. */
		for (size_t i = 0; i < v->countries.n && ok; i++) {
			const char *c = v->countries.options[i].code;
			if (strlen(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z')
				ok = fail(err, errlen, path,
					  "country '%s' is not an ISO 3166-1 alpha-2 code", c);
		}
		v->countries.key = "countries";
	}
	json_decref(root);
	return ok;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of dir's *.json files, sorted (so that loading does not depend on the file system). */
static bool
list_json(struct arena *ar, const char *dir, char ***names, size_t *n, char *err, size_t errlen)
{
	DIR *dh = opendir(dir);
	if (dh == NULL)
		return fail(err, errlen, dir, "cannot open: %s", strerror(errno));
	size_t cap = 16, count = 0;
	char **v = arena_alloc(ar, cap * sizeof(*v));
	struct dirent *e;
	while ((e = readdir(dh)) != NULL) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len <= 5 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		if (count == cap) {
			char **grown = arena_alloc(ar, 2 * cap * sizeof(*v));
			memcpy(grown, v, cap * sizeof(*v));
			v = grown;
			cap *= 2;
		}
		v[count++] = arena_strdup(ar, e->d_name);
	}
	closedir(dh);
	qsort(v, count, sizeof(*v), cmp_names);
	*names = v;
	*n = count;
	return true;
}

/* Loads every list of dir/vocab and dir/countries.json; NULL with "file: reason" in err. */
struct vocab_set *
vocab_load(const char *dir, char *err, size_t errlen)
{
	struct vocab_owner *o = calloc(1, sizeof(*o));
	if (o == NULL)
		die("vocab: out of memory");
	arena_init(&o->arena, 16384);
	struct arena *ar = &o->arena;
	struct vocab_set *v = &o->pub;

	char *vdir = arena_printf(ar, "%s/vocab", dir);
	char **names = NULL;
	size_t n = 0;
	if (!list_json(ar, vdir, &names, &n, err, errlen))
		goto fail;
	v->lists = arena_zalloc(ar, (n ? n : 1) * sizeof(*v->lists));
	for (size_t i = 0; i < n; i++) {
		char *path = arena_printf(ar, "%s/%s", vdir, names[i]);
		char *key = arena_strndup(ar, names[i], strlen(names[i]) - 5);
		if (strcmp(key, "countries") == 0) {
			fail(err, errlen, path, "'countries' is reserved for %s/countries.json",
			     dir);
			goto fail;
		}
		if (!load_list(ar, path, key, &v->lists[i], err, errlen))
			goto fail;
		v->n++;
	}
	if (!load_countries(ar, arena_printf(ar, "%s/countries.json", dir), v, err, errlen))
		goto fail;
	return v;
fail:
	vocab_free(v);
	return NULL;
}

/* A list by name ("sectors"; "countries" gives the country list), or NULL. */
const struct vocab *
vocab_find(const struct vocab_set *v, const char *key)
{
	if (v == NULL || key == NULL)
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->lists[i].key, key) == 0)
			return &v->lists[i];
	if (strcmp(key, "countries") == 0 && v->countries.n)
		return &v->countries;
	return NULL;
}

/* The option of a code in a list, or NULL. */
const struct qoption *
vocab_option(const struct qoption *opts, size_t n, const char *code)
{
	if (code == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(opts[i].code, code) == 0)
			return &opts[i];
	return NULL;
}

/* Releases a set from vocab_load (NULL is fine). */
void
vocab_free(struct vocab_set *v)
{
	if (v == NULL)
		return;
	struct vocab_owner *o = (struct vocab_owner *)v;
	arena_free(&o->arena);
	free(o);
}
