/* qdef.c - questionnaire definitions: parsing the JSON format and refusing every mistake in it. */
#include "qdef.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/log.h"
#include "qdef_priv.h"

#define KEY_MAX       64
#define CODE_MAX      64
#define QDEF_MAX_FILE (4u << 20)
#define OTHER_MAX_LEN 200
/* Integers without bounds still get some: no survey answer is negative or beyond 10^15, and a
 * bound keeps the number exact in JSON and in the browser. */
#define INT_DEFAULT_MIN  0L
#define INT_DEFAULT_MAX  999999999999999L
#define YEAR_DEFAULT_MIN 1950L
#define ROWS_DEFAULT_MAX 10L

/* An option list copied out of the vocab set, once per definition. */
struct vcopy {
	const struct vocab *src;
	struct qoption *opts;
};

struct parser {
	const char *name;
	char *err;
	size_t errlen;
	struct arena *ar;
	const struct vocab_set *v;
	json_t *root;
	/* Questions already read, in order: a condition or a pick may only name one of these. */
	const struct question **seen;
	size_t nseen, capseen;
	struct vcopy *copies;
	size_t ncopies, capcopies;
	long next_year;
};

static const char *const type_names[] = {
	[Q_SINGLE] = "single",     [Q_MULTI] = "multi",     [Q_TEXT] = "text",
	[Q_LONGTEXT] = "longtext", [Q_INTEGER] = "integer", [Q_YEAR] = "year",
	[Q_SCALE] = "scale",       [Q_EMAIL] = "email",     [Q_COUNTRIES] = "countries",
	[Q_GROUP] = "group",       [Q_PICK] = "pick",       [Q_CONSENT] = "consent",
};
#define NTYPES (sizeof(type_names) / sizeof(type_names[0]))

/* Members every question may have, by place; then the members of each type. */
static const char *const common_members[][9] = {
	[QP_QUESTION] = {"key", "type", "label", "help", "required", "personal", "show_if", "role",
			 NULL},
	[QP_FIELD] = {"key", "type", "label", "help", "required", "personal", "role", NULL},
	[QP_DETAIL] = {"key", "type", "label", "help", "required", "role", NULL},
};
static const char *const type_members[][7] = {
	[Q_SINGLE] = {"options", "vocab", "other", NULL},
	[Q_MULTI] = {"options", "vocab", "other", "min", "max", "details", NULL},
	[Q_TEXT] = {"max_length", NULL},
	[Q_LONGTEXT] = {"max_length", NULL},
	[Q_INTEGER] = {"min", "max", NULL},
	[Q_YEAR] = {"min", "max", NULL},
	[Q_SCALE] = {"min_label", "max_label", NULL},
	[Q_EMAIL] = {NULL},
	[Q_COUNTRIES] = {"max", NULL},
	[Q_GROUP] = {"fields", "min_rows", "max_rows", NULL},
	[Q_PICK] = {"from", "max", NULL},
	[Q_CONSENT] = {"notice_version", NULL},
};

static bool fail(struct parser *p, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Writes "name: key: reason" (or "name: reason" without a key); always returns false. */
static bool
fail(struct parser *p, const char *key, const char *fmt, ...)
{
	if (p->err == NULL || p->errlen == 0)
		return false;
	int n = key ? snprintf(p->err, p->errlen, "%s: %s: ", p->name, key)
		    : snprintf(p->err, p->errlen, "%s: ", p->name);
	if (n >= 0 && (size_t)n < p->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return false;
}

static bool
in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

static bool
key_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > KEY_MAX || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* Option codes end up in field names and stored keys, so no dot, blank or markup character. */
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
nonempty(json_t *v)
{
	const char *s = json_string_value(v);
	return s && *s ? s : NULL;
}

static bool
members_ok(struct parser *p, const char *key, json_t *obj, const char *const *allowed,
	   const char *what)
{
	const char *k;
	json_t *val;
	json_object_foreach(obj, k, val)
	{
		(void)val;
		if (!in_list(allowed, k))
			return fail(p, key, "%sunknown member '%s'", what, k);
	}
	return true;
}

/* A text a person reads: {"fr": "…", "en": "…"}, both non-empty. Absent and optional: fr NULL. */
static bool
parse_text(struct parser *p, const char *key, json_t *obj, const char *member, bool required,
	   struct qtext *out)
{
	out->fr = out->en = NULL;
	json_t *t = json_object_get(obj, member);
	if (t == NULL) {
		if (required)
			return fail(p, key, "missing '%s'", member);
		return true;
	}
	if (!json_is_object(t))
		return fail(p, key, "'%s' must be {\"fr\": \"…\", \"en\": \"…\"}", member);
	static const char *const langs[] = {"fr", "en", NULL};
	const char *k;
	json_t *val;
	json_object_foreach(t, k, val)
	{
		(void)val;
		if (!in_list(langs, k))
			return fail(p, key, "'%s' has an unknown language '%s'", member, k);
	}
	const char *fr = nonempty(json_object_get(t, "fr"));
	const char *en = nonempty(json_object_get(t, "en"));
	if (fr == NULL)
		return fail(p, key, "'%s' has no French text", member);
	if (en == NULL)
		return fail(p, key, "'%s' has no English text", member);
	out->fr = arena_strdup(p->ar, fr);
	out->en = arena_strdup(p->ar, en);
	return true;
}

static bool
parse_bool(struct parser *p, const char *key, json_t *obj, const char *member, bool *out)
{
	json_t *b = json_object_get(obj, member);
	*out = false;
	if (b == NULL)
		return true;
	if (!json_is_boolean(b))
		return fail(p, key, "'%s' must be true or false", member);
	*out = json_is_true(b);
	return true;
}

/* A whole number member within [lo, hi]; *present tells whether it was given. */
static bool
parse_long(struct parser *p, const char *key, json_t *obj, const char *member, long lo, long hi,
	   long *out, bool *present)
{
	json_t *n = json_object_get(obj, member);
	*present = n != NULL;
	if (n == NULL)
		return true;
	if (!json_is_integer(n))
		return fail(p, key, "'%s' must be a whole number", member);
	json_int_t v = json_integer_value(n);
	if (v < lo || v > hi)
		return fail(p, key, "'%s' must be between %ld and %ld", member, lo, hi);
	*out = (long)v;
	return true;
}

static const struct question *
seen_find(const struct parser *p, const char *key)
{
	for (size_t i = 0; i < p->nseen; i++)
		if (strcmp(p->seen[i]->key, key) == 0)
			return p->seen[i];
	return NULL;
}

static void
seen_add(struct parser *p, const struct question *q)
{
	if (p->nseen == p->capseen) {
		size_t cap = p->capseen ? 2 * p->capseen : 64;
		const struct question **v =
			arena_alloc(p->ar, cap * sizeof(const struct question *));
		if (p->nseen)
			memcpy(v, p->seen, p->nseen * sizeof(const struct question *));
		p->seen = v;
		p->capseen = cap;
	}
	p->seen[p->nseen++] = q;
}

/* True when a question key appears anywhere in the file (to tell "later" from "unknown"). */
static bool
json_has_question(json_t *root, const char *key)
{
	size_t i, j;
	json_t *s, *q;
	json_array_foreach(json_object_get(root, "sections"), i, s)
	{
		json_array_foreach(json_object_get(s, "questions"), j, q)
		{
			const char *k = json_string_value(json_object_get(q, "key"));
			if (k && strcmp(k, key) == 0)
				return true;
		}
	}
	return false;
}

/* The options of a vocab list, copied into the definition once. */
static struct qoption *
copy_vocab(struct parser *p, const struct vocab *src)
{
	for (size_t i = 0; i < p->ncopies; i++)
		if (p->copies[i].src == src)
			return p->copies[i].opts;
	if (p->ncopies == p->capcopies) {
		size_t cap = p->capcopies ? 2 * p->capcopies : 8;
		struct vcopy *v = arena_alloc(p->ar, cap * sizeof(*v));
		if (p->ncopies)
			memcpy(v, p->copies, p->ncopies * sizeof(*v));
		p->copies = v;
		p->capcopies = cap;
	}
	struct qoption *o = arena_zalloc(p->ar, (src->n ? src->n : 1) * sizeof(*o));
	for (size_t i = 0; i < src->n; i++) {
		o[i].code = arena_strdup(p->ar, src->options[i].code);
		o[i].label.fr = arena_strdup(p->ar, src->options[i].label.fr);
		o[i].label.en = arena_strdup(p->ar, src->options[i].label.en);
		o[i].group =
			src->options[i].group ? arena_strdup(p->ar, src->options[i].group) : NULL;
	}
	p->copies[p->ncopies].src = src;
	p->copies[p->ncopies].opts = o;
	p->ncopies++;
	return o;
}

/* "options" (inline) or "vocab" (a shared list), exactly one of them. */
static bool
parse_options(struct parser *p, const char *key, json_t *obj, struct question *q)
{
	json_t *opts = json_object_get(obj, "options");
	json_t *voc = json_object_get(obj, "vocab");
	if (opts && voc)
		return fail(p, key, "both 'options' and 'vocab' given; use one");
	if (opts == NULL && voc == NULL)
		return fail(p, key, "a %s question needs 'options' or 'vocab'",
			    type_names[q->type]);
	if (voc) {
		const char *name = json_string_value(voc);
		if (name == NULL)
			return fail(p, key, "'vocab' must be the name of a list");
		const struct vocab *list = p->v ? vocab_find(p->v, name) : NULL;
		if (list == NULL)
			return fail(p, key, "unknown vocab '%s'", name);
		q->options = copy_vocab(p, list);
		q->noptions = list->n;
	} else {
		if (!json_is_array(opts) || json_array_size(opts) == 0)
			return fail(p, key, "'options' must be a non-empty list");
		size_t n = json_array_size(opts);
		struct qoption *o = arena_zalloc(p->ar, n * sizeof(*o));
		static const char *const allowed[] = {"code", "fr", "en", NULL};
		for (size_t i = 0; i < n; i++) {
			json_t *e = json_array_get(opts, i);
			if (!json_is_object(e))
				return fail(p, key, "option %zu is not an object", i + 1);
			const char *code = nonempty(json_object_get(e, "code"));
			if (code == NULL)
				return fail(p, key, "option %zu has no code", i + 1);
			if (!code_ok(code))
				return fail(p, key,
					    "option '%s': a code is 1 to %d letters, digits, '_' "
					    "or '-'",
					    code, CODE_MAX);
			const char *k;
			json_t *val;
			json_object_foreach(e, k, val)
			{
				(void)val;
				if (!in_list(allowed, k))
					return fail(p, key,
						    "option '%s' has an unknown member '%s'", code,
						    k);
			}
			const char *fr = nonempty(json_object_get(e, "fr"));
			const char *en = nonempty(json_object_get(e, "en"));
			if (fr == NULL)
				return fail(p, key, "option '%s' has no French label", code);
			if (en == NULL)
				return fail(p, key, "option '%s' has no English label", code);
			if (vocab_option(o, i, code))
				return fail(p, key, "option '%s' appears twice", code);
			o[i].code = arena_strdup(p->ar, code);
			o[i].label.fr = arena_strdup(p->ar, fr);
			o[i].label.en = arena_strdup(p->ar, en);
		}
		q->options = o;
		q->noptions = n;
	}
	if (q->other && vocab_option(q->options, q->noptions, "other"))
		return fail(p, key, "option code 'other' clashes with \"other\": true");
	return true;
}

static bool
parse_countries_list(struct parser *p, const char *key, struct question *q)
{
	const struct vocab *c = p->v ? vocab_find(p->v, "countries") : NULL;
	if (c == NULL || c->n == 0)
		return fail(p, key, "no country list loaded (data/countries.json)");
	q->options = copy_vocab(p, c);
	q->noptions = c->n;
	return true;
}

/* The options a condition value must come from, when the question has a closed list. */
static bool
value_allowed(const struct question *q, const char *value)
{
	const struct question *src = q->type == Q_PICK ? q->from : q;
	switch (q->type) {
	case Q_SINGLE:
	case Q_MULTI:
	case Q_PICK:
	case Q_COUNTRIES:
		return vocab_option(src->options, src->noptions, value) ||
		       (src->other && strcmp(value, "other") == 0);
	case Q_SCALE: return strlen(value) == 1 && value[0] >= '1' && value[0] <= '5';
	case Q_CONSENT: return strcmp(value, "yes") == 0;
	default: return true;
	}
}

/* {"question": K, OP: …} with one operator; K must be a question before this one. */
static bool
parse_cond(struct parser *p, const char *key, json_t *obj, struct qcond *c)
{
	c->op = QC_ALWAYS;
	c->question = NULL;
	c->values = NULL;
	c->nvalues = 0;
	json_t *j = json_object_get(obj, "show_if");
	if (j == NULL)
		return true;
	if (!json_is_object(j))
		return fail(p, key, "'show_if' must be an object");
	const char *qk = json_string_value(json_object_get(j, "question"));
	if (qk == NULL)
		return fail(p, key, "condition: missing 'question'");
	const struct question *ref = seen_find(p, qk);
	if (ref == NULL) {
		if (json_has_question(p->root, qk))
			return fail(p, key, "condition: question '%s' does not come before", qk);
		return fail(p, key, "condition: unknown question '%s'", qk);
	}
	const char *k;
	json_t *val;
	json_object_foreach(j, k, val)
	{
		if (strcmp(k, "question") == 0)
			continue;
		if (c->op != QC_ALWAYS)
			return fail(p, key, "condition: more than one operator");
		if (strcmp(k, "equals") == 0 || strcmp(k, "includes") == 0) {
			const char *s = json_string_value(val);
			if (s == NULL)
				return fail(p, key, "condition: '%s' must be a string", k);
			const char **v = arena_alloc(p->ar, sizeof(*v));
			v[0] = arena_strdup(p->ar, s);
			c->values = v;
			c->nvalues = 1;
			c->op = k[0] == 'e' ? QC_EQUALS : QC_INCLUDES;
		} else if (strcmp(k, "in") == 0) {
			if (!json_is_array(val) || json_array_size(val) == 0)
				return fail(p, key, "condition: 'in' must be a non-empty list");
			size_t n = json_array_size(val);
			const char **v = arena_alloc(p->ar, n * sizeof(*v));
			for (size_t i = 0; i < n; i++) {
				const char *s = json_string_value(json_array_get(val, i));
				if (s == NULL)
					return fail(p, key, "condition: 'in' must list strings");
				v[i] = arena_strdup(p->ar, s);
			}
			c->values = v;
			c->nvalues = n;
			c->op = QC_IN;
		} else if (strcmp(k, "answered") == 0) {
			if (!json_is_true(val))
				return fail(p, key, "condition: 'answered' can only be true");
			c->op = QC_ANSWERED;
		} else {
			return fail(p, key, "condition: unknown operator '%s'", k);
		}
	}
	if (c->op == QC_ALWAYS)
		return fail(p, key, "condition: no operator (equals, in, includes, answered)");
	bool list = ref->type == Q_MULTI || ref->type == Q_COUNTRIES || ref->type == Q_PICK;
	if (c->op == QC_INCLUDES && !list)
		return fail(p, key,
			    "condition: 'includes' needs a multi, countries or pick question");
	if ((c->op == QC_EQUALS || c->op == QC_IN) && (list || ref->type == Q_GROUP))
		return fail(p, key,
			    "condition: '%s' is a %s question; use 'includes' or 'answered'", qk,
			    type_names[ref->type]);
	for (size_t i = 0; i < c->nvalues; i++)
		if (!value_allowed(ref, c->values[i]))
			return fail(p, key, "condition: '%s' is not an answer of '%s'",
				    c->values[i], qk);
	c->question = ref->key;
	return true;
}

static bool parse_question(struct parser *p, const char *ekey, json_t *o, struct question *q,
			   enum qplace place, size_t section);

/* Group fields or multi details: a list of sub-questions with keys unique among themselves. */
static bool
parse_subquestions(struct parser *p, const char *key, json_t *arr, struct question *q,
		   enum qplace place, size_t section)
{
	const char *member = place == QP_FIELD ? "fields" : "details";
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return fail(p, key, "'%s' must be a non-empty list of questions", member);
	size_t n = json_array_size(arr);
	q->fields = arena_zalloc(p->ar, n * sizeof(*q->fields));
	for (size_t i = 0; i < n; i++) {
		json_t *f = json_array_get(arr, i);
		const char *fk = json_is_object(f) ? nonempty(json_object_get(f, "key")) : NULL;
		if (fk == NULL)
			return fail(p, key, "%s %zu has no key", member, i + 1);
		char *ekey = arena_printf(p->ar, "%s.%s", key, fk);
		for (size_t j = 0; j < i; j++)
			if (strcmp(q->fields[j].key, fk) == 0)
				return fail(p, ekey, "duplicate key");
		if (!parse_question(p, ekey, f, &q->fields[i], place, section))
			return false;
		q->nfields = i + 1;
	}
	return true;
}

static bool
type_allowed(enum qplace place, enum qtype t)
{
	switch (place) {
	case QP_FIELD:
		return t == Q_SINGLE || t == Q_TEXT || t == Q_INTEGER || t == Q_YEAR ||
		       t == Q_COUNTRIES || t == Q_EMAIL;
	case QP_DETAIL: return t == Q_SINGLE || t == Q_TEXT || t == Q_LONGTEXT;
	case QP_QUESTION: return true;
	}
	return false;
}

/* Members that do not fit: a typo ("requird"), or one that belongs to another type or place. */
static bool
question_members_ok(struct parser *p, const char *ekey, json_t *o, enum qtype t, enum qplace place)
{
	const char *k;
	json_t *val;
	json_object_foreach(o, k, val)
	{
		(void)val;
		if (in_list(common_members[place], k))
			continue;
		bool for_type = in_list(type_members[t], k);
		/* Rows and details have no "other" box, and a group row holds one country. */
		if (place != QP_QUESTION && (strcmp(k, "other") == 0 || t == Q_COUNTRIES))
			for_type = false;
		if (for_type)
			continue;
		bool known = in_list(common_members[QP_QUESTION], k);
		for (size_t i = 0; i < NTYPES && !known; i++)
			known = in_list(type_members[i], k);
		if (!known)
			return fail(p, ekey, "unknown member '%s'", k);
		return fail(p, ekey, "'%s' does not apply to a %s %s", k, type_names[t],
			    place == QP_FIELD    ? "group field"
			    : place == QP_DETAIL ? "detail"
						 : "question");
	}
	return true;
}

static bool
parse_type_members(struct parser *p, const char *ekey, json_t *o, struct question *q,
		   enum qplace place)
{
	bool has_min = false, has_max = false;
	switch (q->type) {
	case Q_SINGLE:
	case Q_MULTI:
		if (!parse_bool(p, ekey, o, "other", &q->other) || !parse_options(p, ekey, o, q))
			return false;
		if (q->other)
			q->max_length = OTHER_MAX_LEN;
		if (q->type == Q_SINGLE)
			break;
		if (!parse_long(p, ekey, o, "min", 0, 1000, &q->min, &has_min) ||
		    !parse_long(p, ekey, o, "max", 1, 1000, &q->max, &has_max))
			return false;
		if (has_min && has_max && q->min > q->max)
			return fail(p, ekey, "min (%ld) is greater than max (%ld)", q->min, q->max);
		if (q->min > (long)q->noptions + (q->other ? 1 : 0))
			return fail(p, ekey, "min (%ld) is more than the number of options",
				    q->min);
		if (json_object_get(o, "details"))
			return parse_subquestions(p, ekey, json_object_get(o, "details"), q,
						  QP_DETAIL, q->section);
		break;
	case Q_TEXT:
	case Q_LONGTEXT: {
		long ml = q->type == Q_TEXT ? 200 : 2000;
		if (!parse_long(p, ekey, o, "max_length", 1, 100000, &ml, &has_max))
			return false;
		q->max_length = (size_t)ml;
		break;
	}
	case Q_INTEGER:
	case Q_YEAR:
		q->min = q->type == Q_YEAR ? YEAR_DEFAULT_MIN : INT_DEFAULT_MIN;
		q->max = q->type == Q_YEAR ? p->next_year : INT_DEFAULT_MAX;
		if (q->type == Q_YEAR) {
			if (!parse_long(p, ekey, o, "min", 1000, 9999, &q->min, &has_min) ||
			    !parse_long(p, ekey, o, "max", 1000, 9999, &q->max, &has_max))
				return false;
		} else if (!parse_long(p, ekey, o, "min", -INT_DEFAULT_MAX, INT_DEFAULT_MAX,
				       &q->min, &has_min) ||
			   !parse_long(p, ekey, o, "max", -INT_DEFAULT_MAX, INT_DEFAULT_MAX,
				       &q->max, &has_max)) {
			return false;
		}
		if (q->min > q->max)
			return fail(p, ekey, "min (%ld) is greater than max (%ld)", q->min, q->max);
		break;
	case Q_SCALE:
		q->min = 1;
		q->max = 5;
		if (!parse_text(p, ekey, o, "min_label", false, &q->min_label) ||
		    !parse_text(p, ekey, o, "max_label", false, &q->max_label))
			return false;
		break;
	case Q_EMAIL: q->max_length = 254; break;
	case Q_COUNTRIES:
		if (!parse_countries_list(p, ekey, q))
			return false;
		if (place == QP_FIELD)
			q->max = 1;
		else if (!parse_long(p, ekey, o, "max", 1, 1000, &q->max, &has_max))
			return false;
		break;
	case Q_GROUP:
		q->max_rows = ROWS_DEFAULT_MAX;
		if (!parse_long(p, ekey, o, "min_rows", 0, 100, &q->min_rows, &has_min) ||
		    !parse_long(p, ekey, o, "max_rows", 1, 100, &q->max_rows, &has_max))
			return false;
		if (q->min_rows > q->max_rows)
			return fail(p, ekey, "min_rows (%ld) is greater than max_rows (%ld)",
				    q->min_rows, q->max_rows);
		if (json_object_get(o, "fields") == NULL)
			return fail(p, ekey, "a group needs 'fields'");
		return parse_subquestions(p, ekey, json_object_get(o, "fields"), q, QP_FIELD,
					  q->section);
	case Q_PICK: {
		const char *from = json_string_value(json_object_get(o, "from"));
		if (from == NULL)
			return fail(p, ekey,
				    "a pick needs 'from', the multi question it picks from");
		const struct question *src = seen_find(p, from);
		if (src == NULL || src->type != Q_MULTI)
			return fail(p, ekey,
				    "'from' must name a multi question before it; '%s' is not",
				    from);
		q->from = src;
		q->options = src->options;
		q->noptions = src->noptions;
		if (!parse_long(p, ekey, o, "max", 1, 1000, &q->max, &has_max))
			return false;
		break;
	}
	case Q_CONSENT: {
		const char *nv = nonempty(json_object_get(o, "notice_version"));
		if (nv == NULL)
			return fail(p, ekey, "a consent needs 'notice_version'");
		q->notice_version = arena_strdup(p->ar, nv);
		break;
	}
	}
	return true;
}

/* "role": the name of a role (qrole.c checks, once the whole file is read, where it may be). */
static bool
parse_role(struct parser *p, const char *ekey, json_t *o, struct question *q)
{
	json_t *j = json_object_get(o, "role");
	q->role = QR_NONE;
	if (j == NULL)
		return true;
	const char *name = json_string_value(j);
	if (name == NULL)
		return fail(p, ekey, "'role' must be the name of a role");
	q->role = qrole_parse(name);
	if (q->role == QR_NONE)
		return fail(p, ekey, "unknown role '%s'", name);
	return true;
}

/* One question (or group field, or detail): ekey names it in messages. */
static bool
parse_question(struct parser *p, const char *ekey, json_t *o, struct question *q, enum qplace place,
	       size_t section)
{
	memset(q, 0, sizeof(*q));
	q->section = section;
	const char *key = json_string_value(json_object_get(o, "key"));
	if (key == NULL || !key_ok(key))
		return fail(p, ekey,
			    "a key is a lowercase letter then lowercase letters, digits or "
			    "'_' (at most %d)",
			    KEY_MAX);
	q->key = arena_strdup(p->ar, key);
	const char *type = json_string_value(json_object_get(o, "type"));
	if (type == NULL)
		return fail(p, ekey, "missing 'type'");
	size_t t = 0;
	while (t < NTYPES && strcmp(type_names[t], type) != 0)
		t++;
	if (t == NTYPES)
		return fail(p, ekey, "unknown type '%s'", type);
	q->type = (enum qtype)t;
	if (!type_allowed(place, q->type))
		return fail(
			p, ekey,
			place == QP_FIELD
				? "a group field cannot be of type '%s' (single, text, integer, "
				  "year, countries or email)"
				: "a detail cannot be of type '%s' (single, text or longtext)",
			type);
	if (!question_members_ok(p, ekey, o, q->type, place) ||
	    !parse_text(p, ekey, o, "label", true, &q->label) ||
	    !parse_text(p, ekey, o, "help", false, &q->help) ||
	    !parse_bool(p, ekey, o, "required", &q->required) ||
	    !parse_bool(p, ekey, o, "personal", &q->personal) ||
	    !parse_cond(p, ekey, place == QP_QUESTION ? o : NULL, &q->show_if) ||
	    !parse_role(p, ekey, o, q))
		return false;
	return parse_type_members(p, ekey, o, q, place);
}

static bool
parse_section(struct parser *p, json_t *o, size_t index, struct qsection *s, struct qdef *d)
{
	const char *key = json_is_object(o) ? json_string_value(json_object_get(o, "key")) : NULL;
	if (key == NULL || !key_ok(key))
		return fail(p, NULL,
			    "section %zu: a key is a lowercase letter then lowercase letters, "
			    "digits or '_'",
			    index + 1);
	for (size_t i = 0; i < index; i++)
		if (strcmp(d->sections[i].key, key) == 0)
			return fail(p, key, "duplicate section key");
	s->key = arena_strdup(p->ar, key);
	static const char *const allowed[] = {"key",     "title",     "intro",
					      "show_if", "questions", NULL};
	if (!members_ok(p, key, o, allowed, "") ||
	    !parse_text(p, key, o, "title", true, &s->title) ||
	    !parse_text(p, key, o, "intro", false, &s->intro) ||
	    !parse_cond(p, key, o, &s->show_if))
		return false;
	json_t *qs = json_object_get(o, "questions");
	if (!json_is_array(qs) || json_array_size(qs) == 0)
		return fail(p, key, "'questions' must be a non-empty list");
	size_t n = json_array_size(qs);
	s->questions = arena_zalloc(p->ar, n * sizeof(*s->questions));
	for (size_t i = 0; i < n; i++) {
		json_t *q = json_array_get(qs, i);
		if (!json_is_object(q))
			return fail(p, key, "question %zu is not an object", i + 1);
		const char *qk = json_string_value(json_object_get(q, "key"));
		const char *ekey = qk ? qk : arena_printf(p->ar, "%s: question %zu", key, i + 1);
		if (qk && seen_find(p, qk))
			return fail(p, qk, "duplicate key");
		if (!parse_question(p, ekey, q, &s->questions[i], QP_QUESTION, index))
			return false;
		s->nquestions = i + 1;
		seen_add(p, &s->questions[i]);
	}
	return true;
}

static bool
parse_root(struct parser *p, json_t *root, struct qdef *d)
{
	if (!json_is_object(root))
		return fail(p, NULL, "not a JSON object");
	static const char *const allowed[] = {
		"key", "version", "title", "intro", "estimated_minutes", "sections", NULL};
	if (!members_ok(p, NULL, root, allowed, ""))
		return false;
	const char *key = json_string_value(json_object_get(root, "key"));
	if (key == NULL || !key_ok(key))
		return fail(p, "key",
			    "a key is a lowercase letter then lowercase letters, digits or '_'");
	d->key = arena_strdup(p->ar, key);
	json_t *ver = json_object_get(root, "version");
	if (!json_is_integer(ver) || json_integer_value(ver) < 1 ||
	    json_integer_value(ver) > INT_MAX)
		return fail(p, "version", "must be a positive whole number");
	d->version = (int)json_integer_value(ver);
	long minutes = 0;
	bool has;
	if (!parse_text(p, "title", root, "title", true, &d->title) ||
	    !parse_text(p, "intro", root, "intro", false, &d->intro) ||
	    !parse_long(p, "estimated_minutes", root, "estimated_minutes", 1, 1000, &minutes, &has))
		return false;
	d->estimated_minutes = (int)minutes;
	json_t *secs = json_object_get(root, "sections");
	if (!json_is_array(secs) || json_array_size(secs) == 0)
		return fail(p, "sections", "must be a non-empty list");
	size_t n = json_array_size(secs);
	d->sections = arena_zalloc(p->ar, n * sizeof(*d->sections));
	for (size_t i = 0; i < n; i++) {
		if (!parse_section(p, json_array_get(secs, i), i, &d->sections[i], d))
			return false;
		d->nsections = i + 1;
	}
	return true;
}

/* Parses and checks a definition into memory of its own; NULL with "name: key: reason". */
struct qdef *
qdef_parse(const char *name, const char *json, size_t len, const struct vocab_set *v, char *err,
	   size_t errlen)
{
	struct parser p = {.name = name, .err = err, .errlen = errlen, .v = v};
	json_error_t je;
	p.root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (p.root == NULL) {
		fail(&p, NULL, "line %d: %s", je.line, je.text);
		return NULL;
	}
	struct arena *ar = malloc(sizeof(*ar));
	if (ar == NULL)
		die("qdef: out of memory");
	arena_init(ar, 16384);
	p.ar = ar;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	p.next_year = tm.tm_year + 1900 + 1;

	struct qdef *d = arena_zalloc(ar, sizeof(*d));
	d->priv = ar;
	bool ok = parse_root(&p, p.root, d) && qrole_index(d, ar, name, err, errlen);
	json_decref(p.root);
	if (!ok) {
		qdef_free(d);
		return NULL;
	}
	return d;
}

/* Reads, parses and checks a definition file, whose name must be KEY-vVERSION.json. */
struct qdef *
qdef_load(const char *path, const struct vocab_set *v, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	char *text = malloc(QDEF_MAX_FILE + 1);
	if (text == NULL)
		die("qdef: out of memory");
	size_t n = fread(text, 1, QDEF_MAX_FILE + 1, f);
	bool bad = ferror(f);
	fclose(f);
	if (bad || n > QDEF_MAX_FILE) {
		snprintf(err, errlen, "%s: %s", path, bad ? "read error" : "file too large");
		free(text);
		return NULL;
	}
	struct qdef *d = qdef_parse(path, text, n, v, err, errlen);
	free(text);
	if (d == NULL)
		return NULL;
	/* The file name repeats key and version (KEY-vVERSION.json): a copied file whose version
	 * was not raised would otherwise mix two questionnaires under one number. */
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	char want[KEY_MAX + 32];
	snprintf(want, sizeof(want), "%s-v%d.json", d->key, d->version);
	if (strcmp(base, want) != 0) {
		snprintf(err, errlen, "%s: key and version say the file should be named %s", path,
			 want);
		qdef_free(d);
		return NULL;
	}
	return d;
}

/* Releases a definition (NULL is fine). */
void
qdef_free(struct qdef *d)
{
	if (d == NULL)
		return;
	struct arena *ar = d->priv;
	arena_free(ar);
	free(ar);
}

/* The top-level question of a key, or NULL. */
const struct question *
qdef_find(const struct qdef *d, const char *key)
{
	if (key == NULL)
		return NULL;
	for (size_t s = 0; s < d->nsections; s++)
		for (size_t i = 0; i < d->sections[s].nquestions; i++)
			if (strcmp(d->sections[s].questions[i].key, key) == 0)
				return &d->sections[s].questions[i];
	return NULL;
}

/* The name of a type, as files write it. */
const char *
qdef_type_name(enum qtype t)
{
	return (size_t)t < NTYPES ? type_names[t] : "?";
}

/* The number of top-level questions of all sections. */
size_t
qdef_count(const struct qdef *d)
{
	size_t n = 0;
	for (size_t s = 0; s < d->nsections; s++)
		n += d->sections[s].nquestions;
	return n;
}
