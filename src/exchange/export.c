/* export.c - every response of a questionnaire as one table: CSV, JSON, or XLSX with a codebook.
 * The columns are those of docs/exports.md; the import (import.c) reads the same CSV back. */
#include "export.h"
#include "view/xlsx_file.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <xlsxwriter.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/csv.h"
#include "base/num.h"
#include "export_priv.h"
#include "db/db.h"

#define XLSX_STR_MAX 32767 /* bytes a cell holds in a workbook */

static const struct {
	const char *name, *fr, *en, *type;
} meta_cols[XM__MAX] = {
	[XM_ID] = {"id", "Numéro de la réponse", "Response number", "integer"},
	[XM_CAMPAIGN] = {"campaign", "Campagne (identifiant)", "Campaign (slug)", "text"},
	[XM_STATUS] = {"status", "État : draft (brouillon) ou submitted (envoyée)",
		       "Status: draft or submitted", "text"},
	[XM_LOCKED] = {"locked", "Verrouillée : 1 oui, 0 non", "Locked: 1 yes, 0 no", "integer"},
	[XM_CREATED] = {"created_at", "Commencée le (UTC)", "Started at (UTC)", "datetime"},
	[XM_UPDATED] = {"updated_at", "Modifiée le (UTC)", "Last changed at (UTC)", "datetime"},
	[XM_SUBMITTED] = {"submitted_at", "Envoyée le (UTC)", "Submitted at (UTC)", "datetime"},
	[XM_PARTNER] = {"partner_of", "Vue du partenaire de la réponse n°",
			"Partner's view of response number", "integer"},
};

static const char *const type_names[] = {
	[Q_SINGLE] = "single",     [Q_MULTI] = "multi",     [Q_TEXT] = "text",
	[Q_LONGTEXT] = "longtext", [Q_INTEGER] = "integer", [Q_YEAR] = "year",
	[Q_SCALE] = "scale",       [Q_EMAIL] = "email",     [Q_COUNTRIES] = "countries",
	[Q_GROUP] = "group",       [Q_PICK] = "pick",       [Q_CONSENT] = "consent",
};

const char *
export_type_name(enum qtype t)
{
	return (size_t)t < sizeof(type_names) / sizeof(type_names[0]) ? type_names[t] : "?";
}

/* ---- columns ---- */

struct builder {
	struct arena *ar;
	struct export_col *v;
	size_t n, cap;
};

static struct export_col *
add_col(struct builder *b, enum export_kind kind, const struct question *q, const char *name,
	const char *akey)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 64;
		struct export_col *v = arena_alloc(b->ar, cap * sizeof(*v));
		if (b->n)
			memcpy(v, b->v, b->n * sizeof(*v));
		b->v = v;
		b->cap = cap;
	}
	struct export_col *c = &b->v[b->n++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->q = q;
	c->name = name;
	c->akey = akey;
	return c;
}

static void
multi_cols(struct builder *b, const struct question *q)
{
	for (size_t i = 0; i < q->noptions; i++) {
		const struct qoption *o = &q->options[i];
		struct export_col *c = add_col(
			b, XC_TICK, q, arena_printf(b->ar, "%s__%s", q->key, o->code), q->key);
		c->opt = o;
		c->code = o->code;
	}
	if (q->other) {
		struct export_col *c =
			add_col(b, XC_TICK, q, arena_printf(b->ar, "%s__other", q->key), q->key);
		c->code = "other";
		add_col(b, XC_OTHER, q, arena_printf(b->ar, "%s__other_text", q->key),
			arena_printf(b->ar, "%s.other", q->key));
	}
	for (size_t i = 0; i < q->noptions; i++)
		for (size_t k = 0; k < q->nfields; k++) {
			const struct qoption *o = &q->options[i];
			const struct question *dq = &q->fields[k];
			struct export_col *c =
				add_col(b, XC_DETAIL, q,
					arena_printf(b->ar, "%s__%s__%s", q->key, o->code, dq->key),
					arena_printf(b->ar, "%s.%s.%s", q->key, o->code, dq->key));
			c->sub = dq;
			c->opt = o;
			c->code = o->code;
		}
}

static void
question_cols(struct builder *b, const struct question *q)
{
	switch (q->type) {
	case Q_SINGLE:
		add_col(b, XC_VALUE, q, q->key, q->key);
		if (q->other)
			add_col(b, XC_OTHER, q, arena_printf(b->ar, "%s__other_text", q->key),
				arena_printf(b->ar, "%s.other", q->key));
		break;
	case Q_MULTI: multi_cols(b, q); break;
	case Q_COUNTRIES:
	case Q_PICK: add_col(b, XC_LIST, q, q->key, q->key); break;
	case Q_GROUP:
		/* Row by row, so that a person reads one partner after the other. */
		for (long r = 0; r < q->max_rows; r++)
			for (size_t k = 0; k < q->nfields; k++) {
				const struct question *f = &q->fields[k];
				struct export_col *c = add_col(
					b, XC_CELL, q,
					arena_printf(b->ar, "%s__%s__%ld", q->key, f->key, r + 1),
					arena_printf(b->ar, "%s.%s", q->key, f->key));
				c->sub = f;
				c->row = (int)r;
			}
		break;
	case Q_TEXT:
	case Q_LONGTEXT:
	case Q_INTEGER:
	case Q_YEAR:
	case Q_SCALE:
	case Q_EMAIL:
	case Q_CONSENT: add_col(b, XC_VALUE, q, q->key, q->key); break;
	}
}

int
export_columns(const struct qdef *d, struct arena *ar, struct export_table *t, char *err,
	       size_t errlen)
{
	struct builder b = {.ar = ar};
	for (int m = 0; m < XM__MAX; m++)
		add_col(&b, XC_META, NULL, meta_cols[m].name, NULL)->meta = (enum export_meta)m;
	for (size_t s = 0; s < d->nsections; s++)
		for (size_t i = 0; i < d->sections[s].nquestions; i++)
			question_cols(&b, &d->sections[s].questions[i]);
	/* Keys and codes may hold "_": "a" with option "b__c" and a question "a__b" with option
	 * "c" would both make "a__b__c". Rare, but an import could not tell them apart. */
	for (size_t i = 0; i < b.n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(b.v[i].name, b.v[j].name) == 0) {
				snprintf(err, errlen, "%s: two columns would be named %s", d->key,
					 b.v[i].name);
				return -1;
			}
	t->cols = b.v;
	t->n = b.n;
	return 0;
}

/* ---- values ---- */

/* The first row of key in a, whose rows are sorted by key and position (as the store gives
 * them), or a->n. */
static size_t
first_of(const struct answers *a, const char *key)
{
	size_t lo = 0, hi = a->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(a->rows[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const char *
value_at(const struct answers *a, const char *key, int position)
{
	for (size_t i = first_of(a, key); i < a->n && strcmp(a->rows[i].key, key) == 0; i++)
		if (a->rows[i].position == position)
			return a->rows[i].value;
	return NULL;
}

/* 1 when key has value, 0 when it has other values, -1 when it has none at all. */
static int
ticked(const struct answers *a, const char *key, const char *value)
{
	size_t i = first_of(a, key);
	if (i == a->n || strcmp(a->rows[i].key, key) != 0)
		return -1;
	for (; i < a->n && strcmp(a->rows[i].key, key) == 0; i++)
		if (strcmp(a->rows[i].value, value) == 0)
			return 1;
	return 0;
}

/* The text of a column for one response, "" when unanswered; valid until the next call. */
static const char *
cell_text(const struct export_col *c, const struct export_response *r, const struct answers *a,
	  struct buf *scratch)
{
	buf_reset(scratch);
	const char *v;
	switch (c->kind) {
	case XC_META:
		switch (c->meta) {
		case XM_ID: buf_printf(scratch, "%lld", r->id); break;
		case XM_CAMPAIGN: return r->campaign;
		case XM_STATUS: return r->submitted ? "submitted" : "draft";
		case XM_LOCKED: return r->locked ? "1" : "0";
		case XM_CREATED: return r->created_at;
		case XM_UPDATED: return r->updated_at;
		case XM_SUBMITTED: return r->submitted_at;
		case XM_PARTNER:
			if (r->partner_of)
				buf_printf(scratch, "%lld", r->partner_of);
			break;
		case XM__MAX: break;
		}
		return buf_str(scratch);
	case XC_TICK:
		/* Empty when nothing of the question is ticked: "not answered" is not "no". */
		switch (ticked(a, c->akey, c->code)) {
		case 1: return "1";
		case 0: return "0";
		default: return "";
		}
	case XC_LIST:
		for (size_t i = first_of(a, c->akey);
		     i < a->n && strcmp(a->rows[i].key, c->akey) == 0; i++) {
			if (scratch->len)
				buf_putc(scratch, ';');
			buf_puts(scratch, a->rows[i].value);
		}
		return buf_str(scratch);
	case XC_CELL: v = value_at(a, c->akey, c->row); return v ? v : "";
	case XC_VALUE:
	case XC_OTHER:
	case XC_DETAIL: v = value_at(a, c->akey, 0); return v ? v : "";
	}
	return "";
}

/* ---- CSV ---- */

struct csv_ctx {
	const struct export_table *t;
	struct buf *out, scratch;
};

static int
csv_row(void *p, const struct export_response *r, const struct answers *a)
{
	struct csv_ctx *x = p;
	for (size_t i = 0; i < x->t->n; i++)
		csv_cell(x->out, cell_text(&x->t->cols[i], r, a, &x->scratch));
	csv_end_row(x->out);
	return 0;
}

static int
export_csv(struct db *db, const struct qdef *d, const struct export_table *t, struct buf *out,
	   char *err, size_t errlen)
{
	struct csv_ctx x = {.t = t, .out = out};
	buf_init(&x.scratch, NULL);
	csv_bom(out);
	for (size_t i = 0; i < t->n; i++)
		csv_cell(out, t->cols[i].name);
	csv_end_row(out);
	long n = export_store_each(db, d->key, d->version, csv_row, &x);
	buf_free(&x.scratch);
	if (n < 0) {
		snprintf(err, errlen, "database error");
		return -1;
	}
	return 0;
}

/* ---- JSON ---- */

/* A JSON string of stored text; text that is not UTF-8 (never written by the site, which
 * checks every form) is kept readable with '?' for its non-ASCII bytes rather than lost. */
static json_t *
jstr(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	char *copy = strdup(s);
	if (copy == NULL)
		abort();
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j ? j : json_string("");
}

/* Keys whose answers always come as a list: multi, countries, pick, and group fields. */
static bool
list_key(const struct qdef *d, const char *key)
{
	const struct question *q = qdef_find(d, key);
	if (q)
		return q->type == Q_MULTI || q->type == Q_COUNTRIES || q->type == Q_PICK;
	const char *dot = strchr(key, '.');
	if (dot == NULL || strchr(dot + 1, '.'))
		return false;
	char top[128];
	snprintf(top, sizeof(top), "%.*s", (int)(dot - key), key);
	q = qdef_find(d, top);
	return q && q->type == Q_GROUP;
}

struct json_ctx {
	const struct qdef *d;
	struct buf *out;
	long n;
};

static int
json_out(const char *s, size_t n, void *p)
{
	buf_add(p, s, n);
	return 0;
}

/* Answers as {key: value or [values]}: a list keeps positions (a missing row of a group is
 * null), so that the stored rows can be rebuilt exactly. */
static json_t *
json_answers(const struct qdef *d, const struct answers *a)
{
	json_t *o = json_object();
	for (size_t i = 0; i < a->n;) {
		size_t j = i;
		while (j < a->n && strcmp(a->rows[j].key, a->rows[i].key) == 0)
			j++;
		json_t *v;
		if (j - i == 1 && a->rows[i].position == 0 && !list_key(d, a->rows[i].key)) {
			v = jstr(a->rows[i].value);
		} else {
			v = json_array();
			for (size_t k = i; k < j; k++) {
				while (json_array_size(v) < (size_t)a->rows[k].position)
					json_array_append_new(v, json_null());
				json_array_append_new(v, jstr(a->rows[k].value));
			}
		}
		json_object_set_new(o, a->rows[i].key, v);
		i = j;
	}
	return o;
}

static int
json_row(void *p, const struct export_response *r, const struct answers *a)
{
	struct json_ctx *x = p;
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "campaign", jstr(r->campaign));
	json_object_set_new(o, "status", json_string(r->submitted ? "submitted" : "draft"));
	json_object_set_new(o, "locked", json_boolean(r->locked));
	json_object_set_new(o, "created_at", jstr(r->created_at));
	json_object_set_new(o, "updated_at", jstr(r->updated_at));
	json_object_set_new(o, "submitted_at",
			    r->submitted_at[0] ? jstr(r->submitted_at) : json_null());
	json_object_set_new(o, "partner_of",
			    r->partner_of ? json_integer(r->partner_of) : json_null());
	json_object_set_new(o, "answers", json_answers(x->d, a));
	if (x->n++)
		buf_putc(x->out, ',');
	buf_putc(x->out, '\n');
	int rc = json_dump_callback(o, json_out, x->out, JSON_COMPACT);
	json_decref(o);
	return rc;
}

static int
export_json(struct db *db, const struct qdef *d, struct buf *out, char *err, size_t errlen)
{
	/* Written a response at a time, so that memory does not hold every response twice. */
	json_t *head = json_string(d->key);
	buf_puts(out, "{\"questionnaire\":");
	json_dump_callback(head, json_out, out, JSON_ENCODE_ANY);
	json_decref(head);
	buf_printf(out, ",\"version\":%d,\"responses\":[", d->version);
	struct json_ctx x = {.d = d, .out = out};
	if (export_store_each(db, d->key, d->version, json_row, &x) < 0) {
		snprintf(err, errlen, "database error");
		return -1;
	}
	buf_puts(out, "\n]}\n");
	return 0;
}

/* ---- XLSX ---- */

struct xlsx_ctx {
	const struct export_table *t;
	lxw_worksheet *ws;
	lxw_row_t row;
	struct buf scratch;
	lxw_error error; /* the first one */
};

static void
xlsx_check(struct xlsx_ctx *x, lxw_error e)
{
	if (e != LXW_NO_ERROR && x->error == LXW_NO_ERROR)
		x->error = e;
}

/* A string cell; longer texts than a workbook holds are cut at a character boundary. */
static void
xlsx_string(struct xlsx_ctx *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
	    lxw_format *f)
{
	if (*s == '\0')
		return;
	size_t n = strlen(s);
	if (n > XLSX_STR_MAX) {
		n = XLSX_STR_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		char *cut = strndup(s, n);
		if (cut == NULL)
			abort();
		xlsx_check(x, worksheet_write_string(ws, row, col, cut, f));
		free(cut);
		return;
	}
	xlsx_check(x, worksheet_write_string(ws, row, col, s, f));
}

/* Whether a column holds numbers, so that a spreadsheet can sum and sort them. */
static bool
numeric(const struct export_col *c)
{
	const struct question *q = c->sub ? c->sub : c->q;
	switch (c->kind) {
	case XC_META: return c->meta == XM_ID || c->meta == XM_LOCKED || c->meta == XM_PARTNER;
	case XC_TICK: return true;
	case XC_VALUE:
	case XC_CELL: return q->type == Q_INTEGER || q->type == Q_YEAR || q->type == Q_SCALE;
	case XC_OTHER:
	case XC_DETAIL:
	case XC_LIST: return false;
	}
	return false;
}

static int
xlsx_row(void *p, const struct export_response *r, const struct answers *a)
{
	struct xlsx_ctx *x = p;
	if (++x->row >= LXW_ROW_MAX) {
		x->error = LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
		return -1;
	}
	for (size_t i = 0; i < x->t->n; i++) {
		const struct export_col *c = &x->t->cols[i];
		const char *s = cell_text(c, r, a, &x->scratch);
		long long v;
		if (numeric(c) && num_parse(s, LLONG_MIN, LLONG_MAX, &v))
			xlsx_check(x, worksheet_write_number(x->ws, x->row, (lxw_col_t)i, (double)v,
							     NULL));
		else
			xlsx_string(x, x->ws, x->row, (lxw_col_t)i, s, NULL);
	}
	return x->error == LXW_NO_ERROR ? 0 : -1;
}

static void
codebook_row(struct xlsx_ctx *x, lxw_worksheet *ws, lxw_row_t row, const char *const cells[8])
{
	for (lxw_col_t c = 0; c < 8; c++)
		xlsx_string(x, ws, row, c, cells[c] ? cells[c] : "", NULL);
}

/* One line a column: what it holds, in both languages, and its option when it has one. */
static void
write_codebook(struct xlsx_ctx *x, lxw_worksheet *ws, lxw_format *bold, struct arena *ar)
{
	static const char *const head[8] = {"column", "question", "label_fr",  "label_en",
					    "type",   "option",   "option_fr", "option_en"};
	for (lxw_col_t c = 0; c < 8; c++)
		xlsx_string(x, ws, 0, c, head[c], bold);
	worksheet_freeze_panes(ws, 1, 0);
	for (size_t i = 0; i < x->t->n; i++) {
		const struct export_col *c = &x->t->cols[i];
		const char *cells[8] = {c->name, c->akey};
		if (c->kind == XC_META) {
			cells[2] = meta_cols[c->meta].fr;
			cells[3] = meta_cols[c->meta].en;
			cells[4] = meta_cols[c->meta].type;
		} else if (c->sub) {
			cells[2] = arena_printf(ar, "%s — %s", c->q->label.fr, c->sub->label.fr);
			cells[3] = arena_printf(ar, "%s — %s", c->q->label.en, c->sub->label.en);
			cells[4] = export_type_name(c->sub->type);
		} else {
			cells[2] = c->q->label.fr;
			cells[3] = c->q->label.en;
			cells[4] = c->kind == XC_OTHER ? "text" : export_type_name(c->q->type);
		}
		if (c->opt) {
			cells[5] = c->opt->code;
			cells[6] = c->opt->label.fr;
			cells[7] = c->opt->label.en;
		} else if (c->kind == XC_TICK || c->kind == XC_OTHER) {
			cells[5] = "other";
			cells[6] = "Autre (précisez)";
			cells[7] = "Other (please say)";
		}
		codebook_row(x, ws, (lxw_row_t)(i + 1), cells);
	}
}

static void
options_of(struct xlsx_ctx *x, lxw_worksheet *ws, lxw_row_t *row, const char *akey,
	   const struct question *q)
{
	for (size_t i = 0; i < q->noptions; i++) {
		const char *cells[8] = {akey, q->options[i].code, q->options[i].label.fr,
					q->options[i].label.en};
		codebook_row(x, ws, ++*row, cells);
	}
	if (q->other) {
		const char *cells[8] = {akey, "other", "Autre (précisez)", "Other (please say)"};
		codebook_row(x, ws, ++*row, cells);
	}
}

/* The codes of single-choice answers (multi options have their own columns; countries are
 * ISO 3166-1 codes). */
static void
write_options(struct xlsx_ctx *x, lxw_worksheet *ws, lxw_format *bold, const struct qdef *d,
	      struct arena *ar)
{
	static const char *const head[4] = {"question", "code", "label_fr", "label_en"};
	for (lxw_col_t c = 0; c < 4; c++)
		xlsx_string(x, ws, 0, c, head[c], bold);
	worksheet_freeze_panes(ws, 1, 0);
	lxw_row_t row = 0;
	for (size_t s = 0; s < d->nsections; s++)
		for (size_t i = 0; i < d->sections[s].nquestions; i++) {
			const struct question *q = &d->sections[s].questions[i];
			if (q->type == Q_SINGLE)
				options_of(x, ws, &row, q->key, q);
			for (size_t k = 0; k < q->nfields; k++) {
				const struct question *f = &q->fields[k];
				if (f->type != Q_SINGLE)
					continue;
				if (q->type == Q_GROUP)
					options_of(x, ws, &row,
						   arena_printf(ar, "%s.%s", q->key, f->key), f);
				else /* a detail, the same for every option */
					options_of(x, ws, &row,
						   arena_printf(ar, "%s.CODE.%s", q->key, f->key),
						   f);
			}
		}
}

/* Reads the whole file behind fd into out. 0 or -1. */
/* Writes the workbook into the file at path. 0, or -1 with err. */
static int
write_workbook(const char *path, struct db *db, const struct qdef *d, const struct export_table *t,
	       struct arena *ar, char *err, size_t errlen)
{
	/* Rows go to disk as they are written: memory stays small for large exports. */
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	if (wb == NULL) {
		snprintf(err, errlen, "cannot create the workbook");
		return -1;
	}
	struct xlsx_ctx x = {.t = t};
	buf_init(&x.scratch, NULL);
	x.ws = workbook_add_worksheet(wb, "responses");
	lxw_worksheet *cb = workbook_add_worksheet(wb, "codebook");
	lxw_worksheet *ob = workbook_add_worksheet(wb, "options");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	worksheet_freeze_panes(x.ws, 1, 0);
	for (size_t i = 0; i < t->n; i++)
		xlsx_string(&x, x.ws, 0, (lxw_col_t)i, t->cols[i].name, bold);
	long n = export_store_each(db, d->key, d->version, xlsx_row, &x);
	buf_free(&x.scratch);
	write_codebook(&x, cb, bold, ar);
	write_options(&x, ob, bold, d, ar);
	lxw_error closed = workbook_close(wb);
	if (n < 0 && x.error == LXW_NO_ERROR) {
		snprintf(err, errlen, "database error");
		return -1;
	}
	if (x.error != LXW_NO_ERROR || closed != LXW_NO_ERROR) {
		snprintf(err, errlen, "workbook: %s",
			 lxw_strerror(x.error != LXW_NO_ERROR ? x.error : closed));
		return -1;
	}
	return 0;
}

struct workbook_args {
	struct db *db;
	const struct qdef *d;
	const struct export_table *t;
	struct arena *ar;
};

static int
write_workbook_cb(const char *path, void *ctx, char *err, size_t errlen)
{
	struct workbook_args *w = ctx;
	return write_workbook(path, w->db, w->d, w->t, w->ar, err, errlen);
}

static int
export_xlsx(struct db *db, const struct qdef *d, const struct export_table *t, struct arena *ar,
	    struct buf *out, char *err, size_t errlen)
{
	if (t->n > LXW_COL_MAX) {
		snprintf(err, errlen, "%zu columns: more than a worksheet holds", t->n);
		return -1;
	}
	struct workbook_args args = {db, d, t, ar};
	db_slow_work("xlsx"); /* a workbook takes long: never while holding the write lock */
	return xlsx_to_buf(write_workbook_cb, &args, out, err, errlen);
}

int
export_responses(struct db *db, const struct qdef *d, const struct vocab_set *v,
		 enum export_format format, struct buf *out, char *err, size_t errlen)
{
	(void)v; /* the definition carries its own copy of the lists it uses */
	struct arena ar;
	arena_init(&ar, 16384);
	struct export_table t;
	int rc = export_columns(d, &ar, &t, err, errlen);
	if (rc == 0) {
		switch (format) {
		case EXPORT_CSV: rc = export_csv(db, d, &t, out, err, errlen); break;
		case EXPORT_JSON: rc = export_json(db, d, out, err, errlen); break;
		case EXPORT_XLSX: rc = export_xlsx(db, d, &t, &ar, out, err, errlen); break;
		default: snprintf(err, errlen, "unknown format"); rc = -1;
		}
	}
	arena_free(&ar);
	return rc;
}
