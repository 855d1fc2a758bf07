/* qdef_read.c - answers, conditions, and reading a questionnaire page from its form fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/email.h"
#include "base/utf8.h"
#include "http/parse.h"
#include "qdef.h"

#define EMAIL_MAX  254
#define MEMO_STACK 512 /* questions whose visibility is remembered without allocating */

/* ---- answers ---- */

/* Prepares an empty set of answers whose rows live in arena. */
void
answers_init(struct answers *a, struct arena *arena)
{
	a->rows = NULL;
	a->n = a->cap = 0;
	a->arena = arena;
}

/* Appends a row; key and value are copied into the arena. */
void
answers_add(struct answers *a, const char *key, int position, const char *value)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 32;
		struct answer *rows = arena_alloc(a->arena, cap * sizeof(*rows));
		if (a->n)
			memcpy(rows, a->rows, a->n * sizeof(*rows));
		a->rows = rows;
		a->cap = cap;
	}
	struct answer *r = &a->rows[a->n++];
	r->key = arena_strdup(a->arena, key);
	r->position = position;
	r->value = arena_strdup(a->arena, value ? value : "");
}

/* The value at key and position, or NULL (also for a NULL key: a role no question has). */
const char *
answers_get(const struct answers *a, const char *key, int position)
{
	if (key == NULL)
		return NULL;
	for (size_t i = 0; i < a->n; i++)
		if (a->rows[i].position == position && strcmp(a->rows[i].key, key) == 0)
			return a->rows[i].value;
	return NULL;
}

/* The number of rows of key. */
size_t
answers_count(const struct answers *a, const char *key)
{
	size_t n = 0;
	if (key == NULL)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->rows[i].key, key) == 0)
			n++;
	return n;
}

/* True when a row of key holds value. */
bool
answers_has(const struct answers *a, const char *key, const char *value)
{
	if (key == NULL)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->rows[i].key, key) == 0 && strcmp(a->rows[i].value, value) == 0)
			return true;
	return false;
}

/* key itself, or a key under it ("partners" covers "partners.name", not "partnership"). */
static bool
key_of_question(const char *row, const char *key)
{
	size_t n = strlen(key);
	return strncmp(row, key, n) == 0 && (row[n] == '\0' || row[n] == '.');
}

/* Removes the rows of a question: key and every "key.…". */
void
answers_remove_question(struct answers *a, const char *key)
{
	size_t j = 0;
	for (size_t i = 0; i < a->n; i++)
		if (!key_of_question(a->rows[i].key, key))
			a->rows[j++] = a->rows[i];
	a->n = j;
}

/* Adds to a the rows of question key (key and "key.…") that from holds. */
void
answers_copy_question(struct answers *a, const struct answers *from, const char *key)
{
	for (size_t i = 0; i < from->n; i++)
		if (key_of_question(from->rows[i].key, key))
			answers_add(a, from->rows[i].key, from->rows[i].position,
				    from->rows[i].value);
}

static bool
row_in(const struct answer *r, const struct answers *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->rows[i].position == r->position && strcmp(b->rows[i].key, r->key) == 0 &&
		    strcmp(b->rows[i].value, r->value) == 0)
			return true;
	return false;
}

/* True when a and b hold the same rows, in any order (rows are unique by key and position). */
bool
answers_equal(const struct answers *a, const struct answers *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (!row_in(&a->rows[i], b))
			return false;
	return true;
}

/* ---- conditions ---- */

static bool
question_answered(const struct answers *a, const char *key)
{
	for (size_t i = 0; i < a->n; i++)
		if (key_of_question(a->rows[i].key, key))
			return true;
	return false;
}

/* Whether a condition holds on the answers as they are (see qdef_question_visible for chains). */
bool
qcond_holds(const struct qcond *c, const struct answers *a)
{
	switch (c->op) {
	case QC_ALWAYS: return true;
	case QC_EQUALS:
	case QC_INCLUDES: return c->nvalues && answers_has(a, c->question, c->values[0]);
	case QC_IN:
		for (size_t i = 0; i < c->nvalues; i++)
			if (answers_has(a, c->question, c->values[i]))
				return true;
		return false;
	case QC_ANSWERED: return question_answered(a, c->question);
	}
	return false;
}

/* Visibility follows chains: a condition on a hidden question does not hold, whatever stale
 * answers that question still has. Conditions only look back, so the recursion ends; memo
 * (one byte a question, in definition order: 0 unknown, 1 hidden, 2 shown) keeps it linear. */
struct vis {
	const struct qdef *d;
	const struct answers *a;
	unsigned char *memo;
};

/* The position of a question in definition order, or SIZE_MAX for a group field or a detail
 * (they have no condition of their own and are not remembered). */
static size_t
flat_index(const struct qdef *d, const struct question *q)
{
	if (q->section >= d->nsections)
		return SIZE_MAX;
	const struct qsection *sec = &d->sections[q->section];
	uintptr_t at = (uintptr_t)q, first = (uintptr_t)sec->questions;
	if (at < first || at >= first + sec->nquestions * sizeof(*q))
		return SIZE_MAX;
	size_t n = 0;
	for (size_t s = 0; s < q->section; s++)
		n += d->sections[s].nquestions;
	return n + (at - first) / sizeof(*q);
}

static bool question_shown(struct vis *v, const struct question *q);

static bool
cond_shown(struct vis *v, const struct qcond *c)
{
	if (c->op == QC_ALWAYS)
		return true;
	const struct question *ref = qdef_find(v->d, c->question);
	if (ref == NULL || !question_shown(v, ref))
		return false;
	return qcond_holds(c, v->a);
}

static bool
section_shown(struct vis *v, size_t s)
{
	return cond_shown(v, &v->d->sections[s].show_if);
}

static bool
question_shown(struct vis *v, const struct question *q)
{
	size_t i = v->memo ? flat_index(v->d, q) : SIZE_MAX;
	if (i != SIZE_MAX && v->memo[i])
		return v->memo[i] == 2;
	bool shown = q->section < v->d->nsections && section_shown(v, q->section) &&
		     cond_shown(v, &q->show_if);
	if (i != SIZE_MAX)
		v->memo[i] = shown ? 2 : 1;
	return shown;
}

static void
vis_init(struct vis *v, const struct qdef *d, const struct answers *a, unsigned char *stack)
{
	v->d = d;
	v->a = a;
	size_t n = qdef_count(d);
	if (n <= MEMO_STACK) {
		v->memo = stack;
		memset(stack, 0, n ? n : 1);
	} else {
		v->memo = arena_zalloc(a->arena, n);
	}
}

/* True when section's condition holds (following chains of hidden questions). */
bool
qdef_section_visible(const struct qdef *d, size_t section, const struct answers *a)
{
	unsigned char stack[MEMO_STACK];
	struct vis v;
	vis_init(&v, d, a, stack);
	return section < d->nsections && section_shown(&v, section);
}

/* True when a question's section and its own condition show it. */
bool
qdef_question_visible(const struct qdef *d, const struct question *q, const struct answers *a)
{
	unsigned char stack[MEMO_STACK];
	struct vis v;
	vis_init(&v, d, a, stack);
	return question_shown(&v, q);
}

/* Removes the answers of every hidden question. */
void
qdef_prune_hidden(const struct qdef *d, struct answers *a)
{
	/* One pass in order is enough: a question's visibility only depends on questions before
	 * it, whose hidden state already ignores their answers, so removing them changes nothing
	 * that was decided. */
	unsigned char stack[MEMO_STACK];
	struct vis v;
	vis_init(&v, d, a, stack);
	for (size_t s = 0; s < d->nsections; s++)
		for (size_t i = 0; i < d->sections[s].nquestions; i++) {
			const struct question *q = &d->sections[s].questions[i];
			if (!question_shown(&v, q))
				answers_remove_question(a, q->key);
		}
}

/* ---- reading a page ---- */

static const char *const error_keys[] = {
	[QE_REQUIRED] = "survey.error.required",
	[QE_TOO_LONG] = "survey.error.too_long",
	[QE_NOT_INTEGER] = "survey.error.not_integer",
	[QE_OUT_OF_RANGE] = "survey.error.out_of_range",
	[QE_UNKNOWN_OPTION] = "survey.error.unknown_option",
	[QE_TOO_MANY] = "survey.error.too_many",
	[QE_TOO_FEW] = "survey.error.too_few",
	[QE_BAD_EMAIL] = "survey.error.bad_email",
	[QE_NOT_TICKED_BEFORE] = "survey.error.not_ticked_before",
	[QE_OTHER_MISSING] = "survey.error.other_missing",
};

/* The translation key of an error code ("survey.error.required"). */
const char *
qerror_key(enum qerror_code code)
{
	if ((size_t)code < sizeof(error_keys) / sizeof(error_keys[0]) && error_keys[code])
		return error_keys[code];
	return "survey.error.required";
}

struct reader {
	const struct qdef *d;
	const struct http_field *f;
	size_t nf;
	struct answers *out;
	struct arena *ar;
	struct qerror *errs;
	size_t nerrs, caperrs;
	struct vis vis;
	struct answers prev; /* the saved answers before this page was read */
};

/* One error a form field: the first found is the one worth showing. */
static void
add_error(struct reader *rd, const char *key, enum qerror_code code, long limit)
{
	for (size_t i = 0; i < rd->nerrs; i++)
		if (strcmp(rd->errs[i].key, key) == 0)
			return;
	if (rd->nerrs == rd->caperrs) {
		size_t cap = rd->caperrs ? 2 * rd->caperrs : 8;
		struct qerror *v = arena_alloc(rd->ar, cap * sizeof(*v));
		if (rd->nerrs)
			memcpy(v, rd->errs, rd->nerrs * sizeof(*v));
		rd->errs = v;
		rd->caperrs = cap;
	}
	struct qerror *e = &rd->errs[rd->nerrs++];
	e->key = arena_strdup(rd->ar, key);
	e->code = code;
	e->limit = limit;
}

/* The first value of a field, or NULL when the form does not have it. */
static const char *
field_value(const struct reader *rd, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < rd->nf; i++)
		if (rd->f[i].name_len == n && memcmp(rd->f[i].name, name, n) == 0)
			return rd->f[i].value;
	return NULL;
}

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* A copy without surrounding blanks, or NULL when nothing is left. */
static char *
trimmed(struct arena *ar, const char *s)
{
	if (s == NULL)
		return NULL;
	size_t n = strlen(s);
	while (n && blank(*s))
		s++, n--;
	while (n && blank(s[n - 1]))
		n--;
	return n ? arena_strndup(ar, s, n) : NULL;
}

/* Line ends as the browser counts them (LF); one-line texts get spaces instead. */
static void
normalize_lines(char *s, bool one_line)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		if (*r == '\r') {
			if (r[1] == '\n')
				r++;
			*w++ = one_line ? ' ' : '\n';
		} else if (one_line && (*r == '\n' || *r == '\t')) {
			*w++ = ' ';
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

enum parsed { P_OK, P_NOT_INTEGER, P_TOO_SMALL, P_TOO_BIG };

/* Strict decimal: an optional '-' and digits, nothing else. */
static enum parsed
parse_integer(const char *s, long *out)
{
	bool neg = *s == '-';
	if (neg)
		s++;
	if (*s == '\0')
		return P_NOT_INTEGER;
	long v = 0;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9')
			return P_NOT_INTEGER;
		if (i >= 18) {
			/* Keep scanning: "1234567890123456789x" is not a number at all. */
			for (size_t k = i; s[k]; k++)
				if (s[k] < '0' || s[k] > '9')
					return P_NOT_INTEGER;
			return neg ? P_TOO_SMALL : P_TOO_BIG;
		}
		v = v * 10 + (s[i] - '0');
	}
	*out = neg ? -v : v;
	return P_OK;
}

/* The site's one rule (base/email.h), the outbox's too: an answer it takes can be mailed. */
static bool
email_ok(const char *s)
{
	return email_valid(s);
}

enum got { G_EMPTY, G_OK, G_BAD };

/* One value of a one-value question (or group field, or detail), checked and normalized.
 * Reports the error under errkey. */
static enum got
read_value(struct reader *rd, const struct question *q, const char *raw, const char *errkey,
	   const char **value)
{
	char *s = trimmed(rd->ar, raw);
	if (s == NULL)
		return G_EMPTY;
	long n = 0;
	switch (q->type) {
	case Q_TEXT:
	case Q_LONGTEXT:
		normalize_lines(s, q->type == Q_TEXT);
		if (utf8_count(s, strlen(s)) > q->max_length) {
			add_error(rd, errkey, QE_TOO_LONG, (long)q->max_length);
			return G_BAD;
		}
		break;
	case Q_INTEGER:
	case Q_YEAR:
	case Q_SCALE:
		switch (parse_integer(s, &n)) {
		case P_NOT_INTEGER: add_error(rd, errkey, QE_NOT_INTEGER, 0); return G_BAD;
		case P_TOO_SMALL: add_error(rd, errkey, QE_OUT_OF_RANGE, q->min); return G_BAD;
		case P_TOO_BIG: add_error(rd, errkey, QE_OUT_OF_RANGE, q->max); return G_BAD;
		case P_OK: break;
		}
		if (n < q->min || n > q->max) {
			add_error(rd, errkey, QE_OUT_OF_RANGE, n < q->min ? q->min : q->max);
			return G_BAD;
		}
		s = arena_printf(rd->ar, "%ld", n);
		break;
	case Q_EMAIL:
		if (!email_ok(s)) {
			add_error(rd, errkey, QE_BAD_EMAIL, 0);
			return G_BAD;
		}
		break;
	case Q_SINGLE:
	case Q_COUNTRIES:
		if (!vocab_option(q->options, q->noptions, s) &&
		    !(q->other && strcmp(s, "other") == 0)) {
			add_error(rd, errkey, QE_UNKNOWN_OPTION, 0);
			return G_BAD;
		}
		break;
	case Q_CONSENT:
		if (strcmp(s, "yes") != 0) {
			add_error(rd, errkey, QE_UNKNOWN_OPTION, 0);
			return G_BAD;
		}
		break;
	case Q_MULTI:
	case Q_GROUP:
	case Q_PICK: return G_EMPTY; /* not one value: read elsewhere */
	}
	*value = s;
	return G_OK;
}

/* The text of "other, please say" (field KEY.other); NULL with the error reported. */
static const char *
read_other(struct reader *rd, const struct question *q)
{
	const char *key = arena_printf(rd->ar, "%s.other", q->key);
	struct question text = {.key = key, .type = Q_TEXT, .max_length = q->max_length};
	const char *value = NULL;
	switch (read_value(rd, &text, field_value(rd, key), key, &value)) {
	case G_EMPTY: add_error(rd, key, QE_OTHER_MISSING, 0); return NULL;
	case G_BAD: return NULL;
	case G_OK: break;
	}
	return value;
}

static void
read_one(struct reader *rd, const struct question *q)
{
	const char *value = NULL;
	if (read_value(rd, q, field_value(rd, q->key), q->key, &value) != G_OK)
		return;
	if (q->type == Q_SINGLE && strcmp(value, "other") == 0) {
		const char *text = read_other(rd, q);
		if (text == NULL)
			return;
		answers_add(rd->out, q->key, 0, "other");
		answers_add(rd->out, arena_printf(rd->ar, "%s.other", q->key), 0, text);
		return;
	}
	answers_add(rd->out, q->key, 0, value);
}

/* multi, countries and pick: one field a ticked value, stored in the order of the options. */
static void
read_list(struct reader *rd, const struct question *q)
{
	const struct question *src = q->type == Q_PICK ? q->from : q;
	const struct qoption *opts = src->options;
	size_t nopts = src->noptions;
	bool allow_other = src->other;
	bool from_shown = q->type != Q_PICK || question_shown(&rd->vis, q->from);
	bool *ticked = arena_zalloc(rd->ar, nopts + 1); /* the last one: "other" */
	size_t count = 0;
	size_t klen = strlen(q->key);
	for (size_t i = 0; i < rd->nf; i++) {
		if (rd->f[i].name_len != klen || memcmp(rd->f[i].name, q->key, klen) != 0)
			continue;
		char *v = trimmed(rd->ar, rd->f[i].value);
		if (v == NULL)
			continue;
		const struct qoption *o = vocab_option(opts, nopts, v);
		size_t at = o ? (size_t)(o - opts) : nopts;
		if (o == NULL && !(allow_other && strcmp(v, "other") == 0)) {
			add_error(rd, q->key, QE_UNKNOWN_OPTION, 0);
			continue;
		}
		if (q->type == Q_PICK && !(from_shown && answers_has(rd->out, src->key, v))) {
			add_error(rd, q->key, QE_NOT_TICKED_BEFORE, 0);
			continue;
		}
		if (!ticked[at])
			count++;
		ticked[at] = true;
	}
	if (q->max && count > (size_t)q->max) {
		add_error(rd, q->key, QE_TOO_MANY, q->max);
		return;
	}
	const char *other_text = NULL;
	if (ticked[nopts] && q->type == Q_MULTI) {
		other_text = read_other(rd, q);
		if (other_text == NULL)
			ticked[nopts] = false;
	}
	int pos = 0;
	for (size_t i = 0; i <= nopts; i++)
		if (ticked[i])
			answers_add(rd->out, q->key, pos++, i < nopts ? opts[i].code : "other");
	if (other_text)
		answers_add(rd->out, arena_printf(rd->ar, "%s.other", q->key), 0, other_text);
	/* Details are asked for each ticked option; those of unticked options are dropped. */
	for (size_t i = 0; i < nopts && q->type == Q_MULTI; i++) {
		if (!ticked[i])
			continue;
		for (size_t k = 0; k < q->nfields; k++) {
			const struct question *dq = &q->fields[k];
			const char *name =
				arena_printf(rd->ar, "%s.%s.%s", q->key, opts[i].code, dq->key);
			const char *value = NULL;
			if (read_value(rd, dq, field_value(rd, name), name, &value) == G_OK)
				answers_add(rd->out, name, 0, value);
		}
	}
}

/* The row of a group field name "KEY.FIELD.ROW" (ROW plain decimal), or -1. */
static long
group_row(const struct question *q, const char *name, size_t len)
{
	size_t klen = strlen(q->key);
	if (len <= klen + 1 || memcmp(name, q->key, klen) != 0 || name[klen] != '.')
		return -1;
	const char *rest = name + klen + 1;
	size_t rlen = len - klen - 1;
	for (size_t k = 0; k < q->nfields; k++) {
		size_t flen = strlen(q->fields[k].key);
		if (rlen <= flen + 1 || memcmp(rest, q->fields[k].key, flen) != 0 ||
		    rest[flen] != '.')
			continue;
		const char *row = rest + flen + 1;
		size_t n = rlen - flen - 1;
		if (n > 6 || (n > 1 && row[0] == '0'))
			return -1;
		long v = 0;
		for (size_t i = 0; i < n; i++) {
			if (row[i] < '0' || row[i] > '9')
				return -1;
			v = v * 10 + (row[i] - '0');
		}
		return v;
	}
	return -1;
}

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

/* Group rows: fields "KEY.FIELD.ROW"; rows left all empty are dropped and the rest numbered
 * 0, 1, 2 … (errors name the new numbers, as the page shows them again). */
static void
read_group(struct reader *rd, const struct question *q)
{
	long *rows = arena_alloc(rd->ar, (rd->nf ? rd->nf : 1) * sizeof(*rows));
	size_t n = 0;
	for (size_t i = 0; i < rd->nf; i++) {
		long r = group_row(q, rd->f[i].name, rd->f[i].name_len);
		if (r >= 0)
			rows[n++] = r;
	}
	qsort(rows, n, sizeof(*rows), cmp_long);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && rows[i] == rows[i - 1])
			continue;
		bool empty = true;
		for (size_t k = 0; k < q->nfields && empty; k++) {
			const char *name = arena_printf(rd->ar, "%s.%s.%ld", q->key,
							q->fields[k].key, rows[i]);
			empty = trimmed(rd->ar, field_value(rd, name)) == NULL;
		}
		if (!empty)
			rows[kept++] = rows[i];
	}
	if (q->max_rows && kept > (size_t)q->max_rows) {
		add_error(rd, q->key, QE_TOO_MANY, q->max_rows);
		return;
	}
	for (size_t i = 0; i < kept; i++)
		for (size_t k = 0; k < q->nfields; k++) {
			const struct question *f = &q->fields[k];
			const char *name =
				arena_printf(rd->ar, "%s.%s.%ld", q->key, f->key, rows[i]);
			const char *errkey = arena_printf(rd->ar, "%s.%s.%zu", q->key, f->key, i);
			const char *value = NULL;
			if (read_value(rd, f, field_value(rd, name), errkey, &value) == G_OK)
				answers_add(rd->out, arena_printf(rd->ar, "%s.%s", q->key, f->key),
					    (int)i, value);
		}
}

/* Rows of a group in a set of answers: one past the highest position of its fields. */
static size_t
group_rows(const struct answers *a, const struct question *q)
{
	size_t rows = 0;
	for (size_t i = 0; i < a->n; i++) {
		const char *k = a->rows[i].key;
		size_t klen = strlen(q->key);
		if (strncmp(k, q->key, klen) == 0 && k[klen] == '.' && a->rows[i].position >= 0 &&
		    (size_t)a->rows[i].position + 1 > rows)
			rows = (size_t)a->rows[i].position + 1;
	}
	return rows;
}

/* What a visible question still lacks: required answers, too few ticks or rows. */
static void
check_question(struct reader *rd, const struct question *q, const struct answers *a)
{
	switch (q->type) {
	case Q_GROUP: {
		/* min_rows is what "answered" means for a group; required alone asks for one row.
		 */
		size_t rows = group_rows(a, q);
		size_t need = (size_t)q->min_rows;
		if (q->required && need == 0)
			need = 1;
		if (rows < need)
			add_error(rd, q->key, QE_REQUIRED, q->min_rows);
		for (size_t r = 0; r < rows; r++)
			for (size_t k = 0; k < q->nfields; k++) {
				const struct question *f = &q->fields[k];
				const char *akey = arena_printf(rd->ar, "%s.%s", q->key, f->key);
				if (f->required && answers_get(a, akey, (int)r) == NULL)
					add_error(rd, arena_printf(rd->ar, "%s.%zu", akey, r),
						  QE_REQUIRED, 0);
			}
		return;
	}
	case Q_MULTI: {
		size_t n = answers_count(a, q->key);
		if (q->required && n == 0)
			add_error(rd, q->key, QE_REQUIRED, 0);
		else if (n > 0 && q->min && n < (size_t)q->min)
			add_error(rd, q->key, QE_TOO_FEW, q->min);
		for (size_t i = 0; i < q->noptions; i++) {
			if (!answers_has(a, q->key, q->options[i].code))
				continue;
			for (size_t k = 0; k < q->nfields; k++) {
				const char *name =
					arena_printf(rd->ar, "%s.%s.%s", q->key, q->options[i].code,
						     q->fields[k].key);
				if (q->fields[k].required && answers_get(a, name, 0) == NULL)
					add_error(rd, name, QE_REQUIRED, 0);
			}
		}
		return;
	}
	case Q_CONSENT:
		if (q->required && !answers_has(a, q->key, "yes"))
			add_error(rd, q->key, QE_REQUIRED, 0);
		return;
	default:
		if (q->required && answers_count(a, q->key) == 0)
			add_error(rd, q->key, QE_REQUIRED, 0);
		return;
	}
}

/* A reader over answers a; out stays NULL until a page is read into it. */
static void
reader_init(struct reader *rd, const struct qdef *d, const struct answers *a, unsigned char *stack)
{
	memset(rd, 0, sizeof(*rd));
	rd->d = d;
	rd->ar = a->arena;
	vis_init(&rd->vis, d, a, stack);
}

/* Reads section s from form fields into out; returns the number of errors. */
size_t
qdef_read_section(const struct qdef *d, size_t s, const struct http_field *fields, size_t nfields,
		  bool check_required, struct answers *out, struct qerror **errors)
{
	unsigned char stack[MEMO_STACK];
	struct reader rd;
	reader_init(&rd, d, out, stack);
	rd.out = out;
	rd.f = fields;
	rd.nf = nfields;
	if (errors)
		*errors = NULL;
	if (s >= d->nsections)
		return 0;
	const struct qsection *sec = &d->sections[s];
	/* What was saved, to give back the answer of a question the page got wrong. */
	answers_init(&rd.prev, out->arena);
	for (size_t i = 0; i < out->n; i++)
		answers_add(&rd.prev, out->rows[i].key, out->rows[i].position, out->rows[i].value);
	/* The page replaces what this section held. */
	for (size_t i = 0; i < sec->nquestions; i++)
		answers_remove_question(out, sec->questions[i].key);
	if (!section_shown(&rd.vis, s))
		return 0;
	/* In order: a question's condition may depend on an answer given just above it. */
	for (size_t i = 0; i < sec->nquestions; i++) {
		const struct question *q = &sec->questions[i];
		if (!question_shown(&rd.vis, q))
			continue;
		size_t before = rd.nerrs;
		switch (q->type) {
		case Q_MULTI:
		case Q_COUNTRIES:
		case Q_PICK: read_list(&rd, q); break;
		case Q_GROUP: read_group(&rd, q); break;
		default: read_one(&rd, q); break;
		}
		if (rd.nerrs > before) {
			/* A refused answer replaces nothing: the question keeps, whole, the answer
			 * saved before (the page shows what was typed, to be corrected). */
			answers_remove_question(out, q->key);
			answers_copy_question(out, &rd.prev, q->key);
		}
		if (check_required)
			check_question(&rd, q, out);
	}
	if (errors)
		*errors = rd.errs;
	return rd.nerrs;
}

/* The value of a form field as typed, or NULL. */
static const char *
form_value(const struct http_field *f, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].name, name) == 0)
			return f[i].value;
	return NULL;
}

/* Adds to out what the form holds for question q, unchecked, laid out as its answers would
 * be (group rows numbered as the reader numbers them): for showing a page back as typed. */
void
qdef_typed_question(const struct question *q, const struct http_field *f, size_t n,
		    struct answers *out)
{
	struct arena *ar = out->arena;
	if (q->type != Q_GROUP) {
		int pos = 0;
		size_t klen = strlen(q->key);
		for (size_t i = 0; i < n; i++) {
			if (strcmp(f[i].name, q->key) == 0) {
				if (f[i].value_len || q->type != Q_MULTI)
					answers_add(out, q->key, pos++, f[i].value);
			} else if (strncmp(f[i].name, q->key, klen) == 0 &&
				   f[i].name[klen] == '.') {
				answers_add(out, f[i].name, 0, f[i].value);
			}
		}
		return;
	}
	long *rows = arena_alloc(ar, (n ? n : 1) * sizeof(*rows));
	size_t nrows = 0;
	for (size_t i = 0; i < n; i++) {
		long r = group_row(q, f[i].name, f[i].name_len);
		if (r >= 0)
			rows[nrows++] = r;
	}
	qsort(rows, nrows, sizeof(*rows), cmp_long);
	int at = 0;
	for (size_t i = 0; i < nrows; i++) {
		if (i > 0 && rows[i] == rows[i - 1])
			continue;
		bool any = false;
		for (size_t k = 0; k < q->nfields; k++) {
			const char *v = form_value(
				f, n,
				arena_printf(ar, "%s.%s.%ld", q->key, q->fields[k].key, rows[i]));
			if (v && trimmed(ar, v)) {
				answers_add(out,
					    arena_printf(ar, "%s.%s", q->key, q->fields[k].key), at,
					    v);
				any = true;
			}
		}
		at += any;
	}
}

/* Lists what a response lacks before it can be submitted; returns the count. */
size_t
qdef_check_complete(const struct qdef *d, const struct answers *a, struct qerror **errors)
{
	unsigned char stack[MEMO_STACK];
	struct reader rd;
	reader_init(&rd, d, a, stack);
	for (size_t s = 0; s < d->nsections; s++) {
		if (!section_shown(&rd.vis, s))
			continue;
		for (size_t i = 0; i < d->sections[s].nquestions; i++) {
			const struct question *q = &d->sections[s].questions[i];
			if (question_shown(&rd.vis, q))
				check_question(&rd, q, a);
		}
	}
	if (errors)
		*errors = rd.errs;
	return rd.nerrs;
}
