/* import.c - responses collected elsewhere, from a CSV laid out as the CSV export: read, checked
 * as a whole with the questionnaire's own rules, then stored together in one transaction. */
#include "export.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/csv.h"
#include "base/utf8.h"
#include "db/db.h"
#include "export_priv.h"
#include "http/parse.h"
#include "survey/survey.h"

#define SHOW_MAX 40 /* characters of a cell repeated in a message */

/* ---- reading CSV (RFC 4180; CRLF, LF or CR line ends; an optional byte-order mark; cells
 * separated by commas, or by semicolons as French spreadsheets write them) ---- */

struct csv_in {
	const char *p, *end;
	long line; /* the line p is on, from 1 */
	char sep;  /* ',' or ';' */
	struct buf cell;
};

/* The separator of cells: ';' when the header line has some and no comma, as spreadsheets
 * set up for French write "CSV"; ',' otherwise. Column names hold neither. */
static char
csv_separator(const char *p, const char *end)
{
	bool semicolon = false;
	for (; p < end && *p != '\n' && *p != '\r'; p++) {
		if (*p == ',')
			return ',';
		if (*p == ';')
			semicolon = true;
	}
	return semicolon ? ';' : ',';
}

struct csv_rec {
	char **cells;
	size_t *lens; /* a cell may hold a NUL byte: its length tells (and it is refused) */
	size_t n, cap;
	long line;  /* where the record starts */
	bool blank; /* no cell holds anything */
};

static void
rec_push(struct csv_rec *rec, struct arena *ar, const struct buf *cell)
{
	if (rec->n == rec->cap) {
		size_t cap = rec->cap ? 2 * rec->cap : 64;
		char **cells = arena_alloc(ar, cap * sizeof(*cells));
		size_t *lens = arena_alloc(ar, cap * sizeof(*lens));
		if (rec->n) {
			memcpy(cells, rec->cells, rec->n * sizeof(*cells));
			memcpy(lens, rec->lens, rec->n * sizeof(*lens));
		}
		rec->cells = cells;
		rec->lens = lens;
		rec->cap = cap;
	}
	rec->cells[rec->n] = arena_strndup(ar, cell->len ? cell->data : "", cell->len);
	rec->lens[rec->n++] = cell->len;
	if (cell->len)
		rec->blank = false;
}

/* Reads the next record into rec (cells in ar). 1 when there is one, 0 at the end, -1 when
 * the text is not CSV (*why says how; in->line is where). */
static int
csv_next(struct csv_in *in, struct arena *ar, struct csv_rec *rec, const char **why)
{
	if (in->p >= in->end)
		return 0;
	memset(rec, 0, sizeof(*rec));
	rec->line = in->line;
	rec->blank = true;
	for (;;) {
		buf_reset(&in->cell);
		if (in->p < in->end && *in->p == '"') {
			in->p++;
			for (;;) {
				if (in->p >= in->end) {
					*why = "a quoted cell is never closed";
					in->line = rec->line;
					return -1;
				}
				char c = *in->p++;
				if (c == '"') {
					if (in->p < in->end && *in->p == '"') {
						buf_putc(&in->cell, '"');
						in->p++;
						continue;
					}
					break;
				}
				if (c == '\n' ||
				    (c == '\r' && (in->p == in->end || *in->p != '\n')))
					in->line++;
				buf_putc(&in->cell, c);
			}
			if (in->p < in->end && *in->p != in->sep && *in->p != '\r' &&
			    *in->p != '\n') {
				*why = "text after the closing quote of a cell";
				return -1;
			}
		} else {
			while (in->p < in->end && *in->p != in->sep && *in->p != '\r' &&
			       *in->p != '\n') {
				if (*in->p == '"') {
					*why = "a quote inside a cell that does not start with one";
					return -1;
				}
				buf_putc(&in->cell, *in->p++);
			}
		}
		rec_push(rec, ar, &in->cell);
		if (in->p < in->end && *in->p == in->sep) {
			in->p++;
			continue;
		}
		if (in->p < in->end) {
			if (*in->p == '\r')
				in->p++;
			if (in->p < in->end && *in->p == '\n')
				in->p++;
			in->line++;
		}
		return 1;
	}
}

/* ---- the import ---- */

struct import {
	const struct qdef *d;
	struct export_table t;
	size_t *block, *block_end; /* per model column: its question's first and past-last column */
	long *where;               /* per model column: its column in the file, or -1 */
	long *map;                 /* per file column: its model column, or -1 */
	char **header;
	size_t nfile;
	struct buf *errors;
	long nerrors;
};

struct problem {
	long col; /* in the file, from 1; LONG_MAX when the file has no such column */
	long seq;
	char *text;
};

/* One record being read: its cells by model column, and the form fields made of them. */
struct row {
	const struct csv_rec *rec;
	struct arena *ar;
	const char **cell; /* the value, neutralised formula restored; NULL when empty */
	const char **form; /* the form field name that carries it, when there is one */
	int *kept;         /* XC_CELL: the row number among the rows kept, or -1 */
	bool *erred;       /* a problem was reported for it */
	struct http_field *f;
	size_t nf, capf;
	bool submitted;
	struct problem *probs;
	size_t nprobs, capprobs;
};

/* Text from the file as a message may repeat it: short, on one line, quoted when asked. */
static const char *
shown(struct arena *ar, const char *s, bool quoted)
{
	struct buf b;
	buf_init(&b, ar);
	if (quoted)
		buf_putc(&b, '"');
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) != 0x80 && chars++ == SHOW_MAX) {
			buf_puts(&b, "…");
			break;
		}
		buf_putc(&b, (char)(*p < 0x20 || *p == 0x7f ? ' ' : *p));
	}
	if (quoted)
		buf_putc(&b, '"');
	return buf_str(&b);
}

static const char *
show(struct arena *ar, const char *s)
{
	return shown(ar, s, true);
}

/* Keeps a problem of this line; col orders the problems of a line. */
static void
note(struct row *rw, long col, char *text)
{
	if (rw->nprobs == rw->capprobs) {
		size_t cap = rw->capprobs ? 2 * rw->capprobs : 16;
		struct problem *v = arena_alloc(rw->ar, cap * sizeof(*v));
		if (rw->nprobs)
			memcpy(v, rw->probs, rw->nprobs * sizeof(*v));
		rw->probs = v;
		rw->capprobs = cap;
	}
	rw->probs[rw->nprobs] = (struct problem){col, (long)rw->nprobs, text};
	rw->nprobs++;
}

static void problem(struct row *rw, const struct import *im, size_t k, const char *name,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Notes a problem of model column k (SIZE_MAX: of the whole line): "line L, column C (NAME):
 * reason", NAME being the header unless name is given. */
static void
problem(struct row *rw, const struct import *im, size_t k, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct buf why;
	buf_init(&why, rw->ar);
	buf_vprintf(&why, fmt, ap);
	va_end(ap);
	long line = rw->rec->line;
	if (k == SIZE_MAX) {
		note(rw, 0, arena_printf(rw->ar, "line %ld: %s", line, buf_str(&why)));
		return;
	}
	rw->erred[k] = true;
	if (im->where[k] >= 0)
		note(rw, im->where[k] + 1,
		     arena_printf(rw->ar, "line %ld, column %ld (%s): %s", line, im->where[k] + 1,
				  name ? name : im->header[im->where[k]], buf_str(&why)));
	else /* the file lacks the column */
		note(rw, LONG_MAX,
		     arena_printf(rw->ar, "line %ld, no column (%s): %s", line,
				  name ? name : im->t.cols[k].name, buf_str(&why)));
}

static int
cmp_problem(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Writes the problems of a line in the order of its columns. */
static void
flush_problems(struct import *im, struct row *rw)
{
	if (rw->nprobs > 1)
		qsort(rw->probs, rw->nprobs, sizeof(*rw->probs), cmp_problem);
	for (size_t i = 0; i < rw->nprobs; i++) {
		buf_puts(im->errors, rw->probs[i].text);
		buf_putc(im->errors, '\n');
	}
	im->nerrors += (long)rw->nprobs;
}

static void
add_field(struct row *rw, const char *name, const char *value)
{
	if (rw->nf == rw->capf) {
		size_t cap = rw->capf ? 2 * rw->capf : 64;
		struct http_field *v = arena_alloc(rw->ar, cap * sizeof(*v));
		if (rw->nf)
			memcpy(v, rw->f, rw->nf * sizeof(*v));
		rw->f = v;
		rw->capf = cap;
	}
	rw->f[rw->nf++] = (struct http_field){
		.name = name, .value = value, .name_len = strlen(name), .value_len = strlen(value)};
}

static bool
blank_text(const char *s)
{
	for (; *s; s++)
		if (!strchr(" \t\r\n", *s))
			return false;
	return true;
}

static const char *
trim(struct arena *ar, const char *s)
{
	while (*s && strchr(" \t\r\n", *s))
		s++;
	size_t n = strlen(s);
	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	return arena_strndup(ar, s, n);
}

/* The model column a problem of form field key belongs to (*name: what to call it when it
 * is a whole question rather than one cell), or SIZE_MAX. */
static size_t
column_of(const struct import *im, const struct row *rw, const char *key, const char **name)
{
	*name = NULL;
	for (size_t k = 0; k < im->t.n; k++)
		if (rw->form[k] && strcmp(rw->form[k], key) == 0)
			return k;
	const struct question *q = qdef_find(im->d, key);
	if (q == NULL)
		return SIZE_MAX;
	*name = q->key;
	size_t first = SIZE_MAX;
	for (size_t k = 0; k < im->t.n; k++)
		if (im->t.cols[k].q == q) {
			if (im->where[k] >= 0)
				return k;
			if (first == SIZE_MAX)
				first = k;
		}
	return first;
}

/* Why an answer is refused, in words; c is its column (or NULL), cell what it holds. */
static const char *
reason(struct arena *ar, const struct qerror *e, const struct export_col *c, const char *cell)
{
	const struct question *q = c ? (c->sub ? c->sub : c->q) : NULL;
	bool group = c && c->q && c->q->type == Q_GROUP && c->sub == NULL;
	const char *v = show(ar, cell ? cell : "");
	switch (e->code) {
	case QE_REQUIRED:
		if (group && e->limit > 1)
			return arena_printf(ar, "at least %ld rows are needed", e->limit);
		return "an answer is needed";
	case QE_TOO_LONG: return arena_printf(ar, "longer than %ld characters", e->limit);
	case QE_NOT_INTEGER: return arena_printf(ar, "%s is not a whole number", v);
	case QE_OUT_OF_RANGE:
		if (q && c->kind != XC_OTHER)
			return arena_printf(ar, "%s is not between %ld and %ld", v, q->min, q->max);
		return arena_printf(ar, "%s is out of range", v);
	case QE_UNKNOWN_OPTION:
		if (q && q->type == Q_CONSENT)
			return arena_printf(ar, "%s: only \"yes\" (or nothing)", v);
		return arena_printf(ar, "unknown code %s", v);
	case QE_TOO_MANY:
		return arena_printf(ar, group ? "more than %ld rows" : "more than %ld chosen",
				    e->limit);
	case QE_TOO_FEW:
		return arena_printf(ar, group ? "fewer than %ld rows" : "fewer than %ld chosen",
				    e->limit);
	case QE_BAD_EMAIL: return arena_printf(ar, "%s is not an e-mail address", v);
	case QE_NOT_TICKED_BEFORE:
		return arena_printf(ar, "a choice not ticked in %s",
				    c && c->q && c->q->from ? c->q->from->key : "the list before");
	case QE_OTHER_MISSING: return "\"other\" is chosen but says nothing";
	}
	return "refused";
}

/* Group rows: the rows of the file with anything in them, numbered again from 0 (as the
 * survey pages do), so that a partner left out in the middle leaves no hole. */
static void
group_forms(struct import *im, struct row *rw, size_t start, size_t end)
{
	const struct question *q = im->t.cols[start].q;
	long rows = q->max_rows > 0 ? q->max_rows : 0;
	bool *filled = arena_zalloc(rw->ar, (size_t)rows + 1);
	for (size_t k = start; k < end; k++)
		if (rw->cell[k] && im->t.cols[k].row < rows)
			filled[im->t.cols[k].row] = true;
	int *renum = arena_alloc(rw->ar, ((size_t)rows + 1) * sizeof(*renum));
	int next = 0;
	for (long r = 0; r < rows; r++)
		renum[r] = filled[r] ? next++ : -1;
	for (size_t k = start; k < end; k++) {
		const struct export_col *c = &im->t.cols[k];
		rw->kept[k] = renum[c->row];
		if (rw->kept[k] < 0)
			continue;
		rw->form[k] = arena_printf(rw->ar, "%s.%d", c->akey, rw->kept[k]);
		if (rw->cell[k])
			add_field(rw, rw->form[k], rw->cell[k]);
	}
}

/* The codes of a countries or pick cell, "SN;ML" (blanks around codes allowed). */
static void
list_fields(struct import *im, struct row *rw, size_t k)
{
	const struct question *q = im->t.cols[k].q;
	const struct question *src = q->type == Q_PICK ? q->from : q;
	char *copy = arena_strdup(rw->ar, rw->cell[k]);
	char *save = NULL;
	for (char *tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		const char *code = trim(rw->ar, tok);
		if (*code == '\0')
			continue;
		if (!vocab_option(src->options, src->noptions, code) &&
		    !(src->other && strcmp(code, "other") == 0)) {
			if (!rw->erred[k])
				problem(rw, im, k, NULL, "unknown code %s", show(rw->ar, code));
			continue;
		}
		add_field(rw, q->key, code);
	}
}

/* Form fields from the cells, as the survey pages would send them. */
static void
make_fields(struct import *im, struct row *rw)
{
	for (size_t k = 0; k < im->t.n; k++) {
		const struct export_col *c = &im->t.cols[k];
		const char *v = rw->cell[k];
		switch (c->kind) {
		case XC_META: break;
		case XC_VALUE:
		case XC_OTHER:
		case XC_DETAIL:
			rw->form[k] = c->akey;
			if (v)
				add_field(rw, c->akey, v);
			break;
		case XC_LIST:
			rw->form[k] = c->akey;
			if (v)
				list_fields(im, rw, k);
			break;
		case XC_TICK:
			if (v == NULL)
				break;
			v = trim(rw->ar, v);
			if (strcmp(v, "1") == 0)
				add_field(rw, c->akey, c->code);
			else if (strcmp(v, "0") != 0)
				problem(rw, im, k, NULL, "%s: 1 (ticked), 0 or nothing",
					show(rw->ar, v));
			break;
		case XC_CELL:
			if (k == im->block[k])
				group_forms(im, rw, k, im->block_end[k]);
			break;
		}
	}
}

/* Whether the answer of a non-empty cell was kept by the questionnaire's reading. */
static bool
kept_answer(const struct export_col *c, const struct row *rw, size_t k, const struct answers *a)
{
	switch (c->kind) {
	case XC_META: return true;
	case XC_VALUE:
	case XC_LIST: return answers_count(a, c->akey) > 0;
	case XC_OTHER:
	case XC_DETAIL: return answers_get(a, c->akey, 0) != NULL;
	case XC_TICK:
		return strcmp(trim(rw->ar, rw->cell[k]), "1") != 0 ||
		       answers_has(a, c->akey, c->code);
	case XC_CELL: return rw->kept[k] >= 0 && answers_get(a, c->akey, rw->kept[k]) != NULL;
	}
	return true;
}

static bool
block_erred(const struct import *im, const struct row *rw, size_t k)
{
	for (size_t i = im->block[k]; i < im->block_end[k]; i++)
		if (rw->erred[i])
			return true;
	return false;
}

/* Answers the file gives that the survey would not keep: a question hidden by its condition,
 * a detail of an option not ticked, an "other" text without "other". Said, never dropped. */
static void
check_dropped(struct import *im, struct row *rw, const struct answers *a)
{
	const struct qdef *d = im->d;
	for (size_t k = 0; k < im->t.n; k++) {
		const struct export_col *c = &im->t.cols[k];
		if (rw->cell[k] == NULL || c->kind == XC_META || block_erred(im, rw, k) ||
		    kept_answer(c, rw, k, a))
			continue;
		if (!qdef_question_visible(d, c->q, a)) {
			const struct qcond *cond = &c->q->show_if;
			if (!qdef_section_visible(d, c->q->section, a))
				cond = &d->sections[c->q->section].show_if;
			problem(rw, im, k, NULL, "not asked of this response (it depends on %s)",
				cond->question ? cond->question : "an earlier answer");
		} else if (c->kind == XC_OTHER) {
			problem(rw, im, k, NULL, "\"other\" is not chosen in %s", c->q->key);
		} else if (c->kind == XC_DETAIL) {
			problem(rw, im, k, NULL, "option %s is not ticked", c->code);
		} else {
			problem(rw, im, k, NULL, "this answer cannot be kept");
		}
	}
}

/* Reads one record into answers a (in rw->ar) with the questionnaire's rules; problems are
 * noted in rw. */
static void
read_row(struct import *im, struct row *rw, struct answers *a)
{
	const struct csv_rec *rec = rw->rec;
	size_t n = im->t.n;
	rw->cell = arena_zalloc(rw->ar, n * sizeof(*rw->cell));
	rw->form = arena_zalloc(rw->ar, n * sizeof(*rw->form));
	rw->kept = arena_zalloc(rw->ar, n * sizeof(*rw->kept));
	rw->erred = arena_zalloc(rw->ar, n);
	if (rec->n != im->nfile) {
		problem(rw, im, SIZE_MAX, NULL, "%zu cells, but the header has %zu", rec->n,
			im->nfile);
		return;
	}
	for (size_t j = 0; j < rec->n; j++) {
		long k = im->map[j];
		if (k < 0)
			continue;
		if (!utf8_valid_text(rec->cells[j], rec->lens[j])) {
			problem(rw, im, (size_t)k, NULL,
				"not UTF-8 text (save the file as \"CSV UTF-8\")");
			continue;
		}
		/* The export guards a cell a spreadsheet would run as a formula with an apostrophe
		 * (csv_cell); it is not part of the answer. */
		const char *v = csv_unguard(rec->cells[j]);
		rw->cell[k] = blank_text(v) ? NULL : v;
	}
	for (size_t k = 0; k < n; k++) {
		if (im->t.cols[k].kind != XC_META || im->t.cols[k].meta != XM_STATUS ||
		    !rw->cell[k])
			continue;
		const char *st = trim(rw->ar, rw->cell[k]);
		if (strcmp(st, "submitted") == 0)
			rw->submitted = true;
		else if (strcmp(st, "draft") != 0)
			problem(rw, im, k, NULL, "%s: draft, submitted or nothing",
				show(rw->ar, st));
	}
	make_fields(im, rw);
	/* Section by section, as a person would fill them: conditions look at what came before.
	 * Required answers are only required of submitted responses. */
	for (size_t s = 0; s < im->d->nsections; s++) {
		struct qerror *errs = NULL;
		size_t ne = qdef_read_section(im->d, s, rw->f, rw->nf, rw->submitted, a, &errs);
		for (size_t i = 0; i < ne; i++) {
			const char *name;
			size_t k = column_of(im, rw, errs[i].key, &name);
			if (k != SIZE_MAX && rw->erred[k])
				continue; /* one problem a cell is enough */
			const struct export_col *c = k != SIZE_MAX ? &im->t.cols[k] : NULL;
			const char *why =
				reason(rw->ar, &errs[i], c, k != SIZE_MAX ? rw->cell[k] : NULL);
			if (k == SIZE_MAX)
				problem(rw, im, SIZE_MAX, NULL, "%s: %s", errs[i].key, why);
			else
				problem(rw, im, k, name, "%s", why);
		}
	}
	check_dropped(im, rw, a);
}

/* The header: every name a column of the export, none twice. */
static void
read_header(struct import *im, struct row *rw, struct arena *ar)
{
	const struct csv_rec *rec = rw->rec;
	im->nfile = rec->n;
	im->header = arena_alloc(ar, (rec->n + 1) * sizeof(*im->header));
	im->map = arena_alloc(ar, (rec->n + 1) * sizeof(*im->map));
	rw->erred = arena_zalloc(rw->ar, im->t.n);
	for (size_t j = 0; j < rec->n; j++) {
		im->map[j] = -1;
		im->header[j] = (char *)trim(ar, rec->cells[j]);
		size_t k = 0;
		while (k < im->t.n && strcmp(im->t.cols[k].name, im->header[j]) != 0)
			k++;
		if (k == im->t.n) {
			note(rw, (long)j + 1,
			     arena_printf(rw->ar, "line %ld, column %zu (%s): unknown column",
					  rec->line, j + 1, shown(rw->ar, im->header[j], false)));
		} else if (im->where[k] >= 0) {
			note(rw, (long)j + 1,
			     arena_printf(rw->ar,
					  "line %ld, column %zu (%s): the same as column %ld",
					  rec->line, j + 1, im->header[j], im->where[k] + 1));
		} else {
			im->where[k] = (long)j;
			im->map[j] = (long)k;
		}
	}
}

/* Reads every line; with db, stores each response (the caller holds the transaction). Returns
 * the number of responses read or stored, or -1 (database). */
static long
each_row(struct import *im, const char *csv, size_t len, struct arena *ar, struct db *db,
	 long long campaign_id)
{
	struct csv_in in = {.p = csv, .end = csv + len, .line = 1};
	if (len >= 3 && memcmp(csv, "\xEF\xBB\xBF", 3) == 0)
		in.p += 3;
	in.sep = csv_separator(in.p, in.end);
	buf_init(&in.cell, NULL);
	struct arena scratch;
	arena_init(&scratch, 65536);
	struct csv_rec rec;
	const char *why = NULL;
	long count = 0;
	int rc = csv_next(&in, ar, &rec, &why);
	if (rc == 0) {
		buf_printf(im->errors, "line 1: the file is empty\n");
		im->nerrors++;
	} else if (rc > 0) {
		struct row rw = {.rec = &rec, .ar = &scratch};
		read_header(im, &rw, ar);
		flush_problems(im, &rw);
	}
	while (rc > 0 && (rc = csv_next(&in, &scratch, &rec, &why)) > 0) {
		if (rec.blank) {
			arena_free(&scratch);
			continue;
		}
		struct row rw = {.rec = &rec, .ar = &scratch};
		struct answers a;
		answers_init(&a, &scratch);
		read_row(im, &rw, &a);
		flush_problems(im, &rw);
		if (db && rw.nprobs == 0) {
			long long id =
				survey_store_response_create(db, campaign_id, "fr", 0, "import");
			if (id <= 0 || survey_store_answers_save(db, id, 0, &a, 0) <= 0 ||
			    (rw.submitted && survey_store_submit(db, id, &a) != 0)) {
				count = -1;
				break;
			}
			/* Consents are recorded as when a person submits (survey_submit). */
			for (size_t s = 0; rw.submitted && s < im->d->nsections; s++)
				for (size_t i = 0; i < im->d->sections[s].nquestions; i++) {
					const struct question *q = &im->d->sections[s].questions[i];
					if (q->type != Q_CONSENT)
						continue;
					bool given = answers_has(&a, q->key, "yes") &&
						     qdef_question_visible(im->d, q, &a);
					if (survey_store_consent(db, id, q->key, given,
								 q->notice_version
									 ? q->notice_version
									 : "") != 0)
						count = -1;
				}
			if (count < 0)
				break;
		}
		count++;
		arena_free(&scratch);
	}
	if (rc < 0) {
		buf_printf(im->errors, "line %ld: not CSV: %s\n", in.line, why);
		im->nerrors++;
	}
	arena_free(&scratch);
	buf_free(&in.cell);
	return count;
}

long
import_responses(struct db *db, const struct qdef *d, const struct vocab_set *v, const char *slug,
		 const char *csv, size_t len, struct buf *errors)
{
	(void)v; /* the definition carries its own copy of the lists it uses */
	struct arena ar;
	arena_init(&ar, 16384);
	struct campaign c;
	int found = survey_store_campaign_by_slug(db, slug, &ar, &c);
	if (found <= 0) {
		buf_printf(errors, found < 0 ? "database error\n" : "no campaign named %s\n", slug);
		arena_free(&ar);
		return -1;
	}
	if (strcmp(c.questionnaire, d->key) != 0 || c.version != d->version) {
		buf_printf(errors, "campaign %s collects questionnaire %s v%d, not %s v%d\n",
			   c.slug, c.questionnaire, c.version, d->key, d->version);
		arena_free(&ar);
		return -1;
	}
	struct import im = {.d = d, .errors = errors};
	char err[256];
	if (export_columns(d, &ar, &im.t, err, sizeof(err)) != 0) {
		buf_printf(errors, "%s\n", err);
		arena_free(&ar);
		return -1;
	}
	size_t n = im.t.n;
	im.block = arena_alloc(&ar, n * sizeof(*im.block));
	im.block_end = arena_alloc(&ar, n * sizeof(*im.block_end));
	im.where = arena_alloc(&ar, n * sizeof(*im.where));
	for (size_t k = 0; k < n; k++) {
		im.where[k] = -1;
		im.block[k] = k > 0 && im.t.cols[k].q && im.t.cols[k].q == im.t.cols[k - 1].q
				      ? im.block[k - 1]
				      : k;
	}
	for (size_t k = n; k-- > 0;)
		im.block_end[k] =
			k + 1 < n && im.block[k + 1] == im.block[k] ? im.block_end[k + 1] : k + 1;
	/* First every line is checked; only a file without a single problem is stored. */
	long count = each_row(&im, csv, len, &ar, NULL, 0);
	if (im.nerrors == 0 && count > 0) {
		for (size_t k = 0; k < n; k++)
			im.where[k] = -1; /* the header is read again */
		if (db_begin(db) != 0) {
			count = -1;
		} else {
			count = each_row(&im, csv, len, &ar, db, c.id);
			if (count < 0 || im.nerrors > 0)
				db_rollback(db);
			else if (db_commit(db) != 0)
				count = -1;
		}
		if (count < 0 && im.nerrors == 0)
			buf_puts(errors, "database error: nothing was imported\n");
	}
	arena_free(&ar);
	return im.nerrors > 0 ? -1 : count;
}
