/* i18n.c - French-first message catalogues (key = text files) and Accept-Language negotiation. */
#include "i18n.h"
#include "base/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/log.h"
#include "base/utf8.h"
#include "base/ascii.h"

#define CATALOGUE_MAX (4u << 20) /* bytes; a catalogue is a few hundred lines */

struct i18n {
	struct arena arena;           /* keys, texts and the arrays below */
	size_t n;                     /* number of keys */
	const char **keys;            /* sorted (strcmp), for i18n_index by binary search */
	const char **text[LANG__MAX]; /* text[lang][index] */
};

/* One "key = text" line of a catalogue being read. */
struct entry {
	const char *key;
	const char *text;
	int line;
};

struct catalogue {
	const char *name; /* for messages: "fr.txt" or "locale/fr.txt" */
	struct entry *e;
	size_t n, cap;
};

static const char *const lang_codes[LANG__MAX] = {"fr", "en"};

static bool fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool
fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return false;
}

static bool
is_key_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void
add_entry(struct catalogue *c, const char *key, const char *text, int line)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct entry *e = realloc(c->e, cap * sizeof(*e));
		if (e == NULL)
			die("i18n: out of memory");
		c->e = e;
		c->cap = cap;
	}
	c->e[c->n++] = (struct entry){key, text, line};
}

/* Parses one line (without its '\n'); strings are copied into the arena. */
static bool
parse_line(struct arena *a, struct catalogue *c, const char *p, size_t n, int line, char *err,
	   size_t errlen)
{
	if (n > 0 && p[n - 1] == '\r')
		n--;
	if (!utf8_valid(p, n))
		return fail(err, errlen, "%s:%d: invalid UTF-8", c->name, line);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		if ((ch < 0x20 && ch != '\t') || ch == 0x7F)
			return fail(err, errlen, "%s:%d: control character in line", c->name, line);
	}
	while (n > 0 && is_blank(*p))
		p++, n--;
	while (n > 0 && is_blank(p[n - 1]))
		n--;
	if (n == 0 || p[0] == '#')
		return true;
	size_t k = 0;
	while (k < n && is_key_char((unsigned char)p[k]))
		k++;
	size_t eq = k;
	while (eq < n && is_blank(p[eq]))
		eq++;
	if (k == 0 || eq == n || p[eq] != '=') {
		const char *sign = memchr(p, '=', n);
		if (sign && sign > p)
			return fail(err, errlen, "%s:%d: invalid key (allowed: a-z 0-9 _ . -)",
				    c->name, line);
		return fail(err, errlen, "%s:%d: malformed line (expected 'key = text')", c->name,
			    line);
	}
	size_t t = eq + 1;
	while (t < n && is_blank(p[t]))
		t++;
	add_entry(c, arena_strndup(a, p, k), arena_strndup(a, p + t, n - t), line);
	return true;
}

static bool
parse_catalogue(struct arena *a, struct catalogue *c, const char *src, size_t len, char *err,
		size_t errlen)
{
	if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
		src += 3, len -= 3; /* a byte-order mark some editors write */
	int line = 1;
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(src + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - src) : len;
		if (!parse_line(a, c, src + i, end - i, line, err, errlen))
			return false;
		i = end + 1;
		line++;
	}
	return true;
}

static int
entry_cmp(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	int r = strcmp(a->key, b->key);
	if (r == 0)
		r = (a->line > b->line) - (a->line < b->line);
	return r;
}

/* Sorts by key; refuses the earliest line that repeats a key. */
static bool
sort_unique(struct catalogue *c, char *err, size_t errlen)
{
	if (c->n > 1)
		qsort(c->e, c->n, sizeof(*c->e), entry_cmp);
	const struct entry *dup = NULL;
	for (size_t i = 1; i < c->n; i++)
		if (strcmp(c->e[i].key, c->e[i - 1].key) == 0 && (!dup || c->e[i].line < dup->line))
			dup = &c->e[i];
	if (dup)
		return fail(err, errlen, "%s:%d: duplicate key '%s'", c->name, dup->line, dup->key);
	return true;
}

/* Both catalogues sorted and unique: they must hold the same keys. */
static bool
same_keys(const struct catalogue *fr, const struct catalogue *en, char *err, size_t errlen)
{
	size_t i = 0, j = 0;
	while (i < fr->n || j < en->n) {
		int r = i == fr->n ? 1 : j == en->n ? -1 : strcmp(fr->e[i].key, en->e[j].key);
		if (r < 0)
			return fail(err, errlen, "%s:%d: key '%s' is missing from %s", fr->name,
				    fr->e[i].line, fr->e[i].key, en->name);
		if (r > 0)
			return fail(err, errlen, "%s:%d: key '%s' is missing from %s", en->name,
				    en->e[j].line, en->e[j].key, fr->name);
		i++, j++;
	}
	return true;
}

static struct i18n *
load(const char *fr_name, const char *fr, size_t fr_len, const char *en_name, const char *en,
     size_t en_len, char *err, size_t errlen)
{
	struct i18n *t = calloc(1, sizeof(*t));
	if (t == NULL)
		die("i18n: out of memory");
	arena_init(&t->arena, 16384);
	struct catalogue c[LANG__MAX] = {{.name = fr_name}, {.name = en_name}};
	bool ok = parse_catalogue(&t->arena, &c[LANG_FR], fr, fr_len, err, errlen) &&
		  parse_catalogue(&t->arena, &c[LANG_EN], en, en_len, err, errlen) &&
		  sort_unique(&c[LANG_FR], err, errlen) && sort_unique(&c[LANG_EN], err, errlen) &&
		  same_keys(&c[LANG_FR], &c[LANG_EN], err, errlen);
	if (ok) {
		t->n = c[LANG_FR].n;
		t->keys = arena_alloc(&t->arena, (t->n ? t->n : 1) * sizeof(*t->keys));
		for (int l = 0; l < LANG__MAX; l++)
			t->text[l] = arena_alloc(&t->arena, (t->n ? t->n : 1) * sizeof(char *));
		for (size_t i = 0; i < t->n; i++) {
			/* n entries parsed: e holds them (the analyzer loses that through parse).
			 */
			/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
			t->keys[i] = c[LANG_FR].e[i].key;
			for (int l = 0; l < LANG__MAX; l++)
				t->text[l][i] = c[l].e[i].text;
		}
	}
	for (int l = 0; l < LANG__MAX; l++)
		free(c[l].e);
	if (!ok) {
		i18n_free(t);
		return NULL;
	}
	return t;
}

/* Loads DIR/fr.txt and DIR/en.txt; NULL with "DIR/xx.txt:line: reason" in err. */
struct i18n *
i18n_load_dir(const char *dir, char *err, size_t errlen)
{
	size_t dlen = strlen(dir);
	const char *sep = dlen && dir[dlen - 1] == '/' ? "" : "/";
	char *path[LANG__MAX] = {NULL, NULL}, *src[LANG__MAX] = {NULL, NULL};
	size_t len[LANG__MAX] = {0, 0};
	struct i18n *t = NULL;
	bool ok = true;
	for (int l = 0; l < LANG__MAX && ok; l++) {
		size_t n = dlen + strlen(sep) + 8;
		path[l] = malloc(n);
		if (path[l] == NULL)
			die("i18n: out of memory");
		snprintf(path[l], n, "%s%s%s.txt", dir, sep, lang_codes[l]);
		ok = (file_read(path[l], CATALOGUE_MAX, true, &src[l], &len[l], err, errlen) == 0);
	}
	if (ok)
		t = load(path[LANG_FR], src[LANG_FR], len[LANG_FR], path[LANG_EN], src[LANG_EN],
			 len[LANG_EN], err, errlen);
	for (int l = 0; l < LANG__MAX; l++) {
		free(path[l]);
		free(src[l]);
	}
	return t;
}

/* Same from two in-memory catalogues, named "fr.txt" and "en.txt" in messages. */
struct i18n *
i18n_load_strings(const char *fr, const char *en, char *err, size_t errlen)
{
	if (fr == NULL)
		fr = "";
	if (en == NULL)
		en = "";
	return load("fr.txt", fr, strlen(fr), "en.txt", en, strlen(en), err, errlen);
}

/* Returns the index of a key by binary search, or -1 when unknown. */
int
i18n_index(const struct i18n *t, const char *key)
{
	if (t == NULL || key == NULL)
		return -1;
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(key, t->keys[mid]);
		if (r == 0)
			return (int)mid;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* Returns the text at an index in a language; "" for an index out of range. */
const char *
i18n_at(const struct i18n *t, enum lang lang, int index)
{
	if (t == NULL || index < 0 || (size_t)index >= t->n)
		return "";
	if ((unsigned)lang >= LANG__MAX)
		lang = LANG_FR;
	return t->text[lang][index];
}

/* Returns the text of a key, or the key itself when unknown (never NULL). */
const char *
i18n_get(const struct i18n *t, enum lang lang, const char *key)
{
	int i = i18n_index(t, key);
	if (i < 0)
		return key ? key : "";
	return i18n_at(t, lang, i);
}

/* Number of keys. */
size_t
i18n_count(const struct i18n *t)
{
	return t ? t->n : 0;
}

/* Releases the catalogues. */
void
i18n_free(struct i18n *t)
{
	if (t == NULL)
		return;
	arena_free(&t->arena);
	free(t);
}

/* Returns "fr" or "en" ("fr" for anything else). */
const char *
lang_code(enum lang lang)
{
	return (unsigned)lang < LANG__MAX ? lang_codes[lang] : lang_codes[LANG_FR];
}

/* Parses "fr" or "en" exactly. */
bool
lang_from_code(const char *s, enum lang *out)
{
	if (s == NULL)
		return false;
	for (int l = 0; l < LANG__MAX; l++) {
		if (strcmp(s, lang_codes[l]) == 0) {
			if (out)
				*out = (enum lang)l;
			return true;
		}
	}
	return false;
}

/* Bounds on the work done for one header: a browser sends a handful of entries. */
#define ACCEPT_MAX_BYTES   1024
#define ACCEPT_MAX_ENTRIES 32

/* Parses a qvalue (RFC 9110: "0" [ "." 0*3DIGIT ] / "1" [ "." 0*3("0") ]) into thousandths. */
static bool
parse_q(const char *p, size_t n, int *q)
{
	if (n == 0 || (p[0] != '0' && p[0] != '1'))
		return false;
	int v = p[0] == '1' ? 1000 : 0;
	if (n == 1) {
		*q = v;
		return true;
	}
	if (p[1] != '.' || n > 5)
		return false;
	int scale = 100;
	for (size_t i = 2; i < n; i++, scale /= 10) {
		if (!ascii_is_digit(p[i]) || (v == 1000 && p[i] != '0'))
			return false;
		v += (p[i] - '0') * scale;
	}
	*q = v;
	return true;
}

/* Parses one list member "range [; q=value]"; *lang is -1 for a range naming neither language,
 * LANG__MAX for "*". False when malformed. */
static bool
parse_range(const char *p, size_t n, int *lang, int *q)
{
	size_t i = 0;
	while (i < n && is_blank(p[i]))
		i++;
	while (n > i && is_blank(p[n - 1]))
		n--;
	size_t start = i, primary = 0;
	if (i < n && p[i] == '*') {
		i++;
		*lang = LANG__MAX;
	} else {
		size_t sub = 0;
		while (i < n && (ascii_is_alpha(p[i]) || ascii_is_digit(p[i]) || p[i] == '-')) {
			if (p[i] == '-') {
				if (sub == 0 || sub > 8)
					return false;
				if (primary == 0)
					primary = sub;
				sub = 0;
			} else {
				if (primary == 0 && !ascii_is_alpha(p[i]))
					return false; /* the primary subtag is letters only */
				sub++;
			}
			i++;
		}
		if (sub == 0 || sub > 8)
			return false;
		if (primary == 0)
			primary = sub;
		*lang = -1;
		for (int l = 0; l < LANG__MAX; l++)
			if (primary == 2 && ascii_tolower(p[start]) == lang_codes[l][0] &&
			    ascii_tolower(p[start + 1]) == lang_codes[l][1])
				*lang = l;
	}
	*q = 1000;
	while (i < n && is_blank(p[i]))
		i++;
	if (i == n)
		return true;
	if (p[i] != ';')
		return false;
	i++;
	while (i < n && is_blank(p[i]))
		i++;
	if (n - i < 2 || ascii_tolower(p[i]) != 'q' || p[i + 1] != '=')
		return false;
	return parse_q(p + i + 2, n - i - 2, q);
}

/* Chooses from an Accept-Language value: highest q wins, ties keep header order, '*' stands
 * for a language not named; French when nothing acceptable is found. */
enum lang
lang_negotiate(const char *accept_language)
{
	const char *h = accept_language;
	if (h == NULL)
		return LANG_FR;
	size_t n = strnlen(h, ACCEPT_MAX_BYTES + 1);
	if (n > ACCEPT_MAX_BYTES) {
		/* Keep whole members only: cut at the last ',' within the bound. */
		n = ACCEPT_MAX_BYTES;
		while (n > 0 && h[n] != ',')
			n--;
	}
	int best_q[LANG__MAX + 1], best_pos[LANG__MAX + 1];
	for (int l = 0; l <= LANG__MAX; l++)
		best_q[l] = -1, best_pos[l] = 0;
	size_t i = 0;
	for (int pos = 0; i < n && pos < ACCEPT_MAX_ENTRIES; pos++) {
		const char *comma = memchr(h + i, ',', n - i);
		size_t end = comma ? (size_t)(comma - h) : n;
		int l, q;
		if (parse_range(h + i, end - i, &l, &q) && l >= 0 && q > best_q[l]) {
			best_q[l] = q;
			best_pos[l] = pos;
		}
		i = end + 1;
	}
	enum lang best = LANG_FR;
	int bq = 0, bpos = 0;
	for (int l = 0; l < LANG__MAX; l++) {
		int q = best_q[l], p = best_pos[l];
		if (q < 0)
			q = best_q[LANG__MAX], p = best_pos[LANG__MAX]; /* covered by '*' only */
		if (q > bq || (q == bq && q > 0 && p < bpos)) {
			best = (enum lang)l;
			bq = q;
			bpos = p;
		}
	}
	return best;
}
