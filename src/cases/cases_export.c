/* cases_export.c - `coexist export cases`: published cases, at their consent level, as CSV,
 * XLSX or JSON. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/csv.h"
#include "cases_priv.h"
#include "db/db.h"
#include "view/xlsx_file.h"

#define NCOLS 18

static const char *const head[NCOLS] = {"id",
					"title",
					"summary",
					"results",
					"lessons",
					"organisation",
					"organisation_kind",
					"organisation_countries",
					"partner",
					"partner_kind",
					"partner_countries",
					"sectors",
					"countries",
					"type",
					"stage",
					"outcome",
					"start_year",
					"published_at"};

struct export_ctx {
	struct arena *a;
	struct case_public *rows;
	size_t n, cap;
};

static void
collect(void *p, const struct case_row *c)
{
	struct export_ctx *x = p;
	struct case_public pub;
	if (!case_public_view(c, "fr", &pub))
		return; /* the store's filter and the rule agree; this is the second lock */
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 64;
		struct case_public *rows = arena_alloc(x->a, cap * sizeof(*rows));
		if (x->n)
			memcpy(rows, x->rows, x->n * sizeof(*rows));
		x->rows = rows;
		x->cap = cap;
	}
	x->rows[x->n++] = pub;
}

static void
cells(struct arena *a, const struct case_public *p, const char *out[NCOLS])
{
	const char *v[NCOLS] = {arena_printf(a, "%lld", p->id),
				p->title,
				p->summary,
				p->results,
				p->lessons,
				p->org,
				p->org_kind,
				p->org_country,
				p->partner,
				p->partner_kind,
				p->partner_country,
				p->sectors,
				p->countries,
				p->type,
				p->stage,
				p->outcome,
				arena_printf(a, "%d", p->start_year),
				p->published_at};
	memcpy(out, v, sizeof(v));
}

struct book_args {
	struct arena *a;
	const struct export_ctx *x;
};

/* The cases as one worksheet with a bold, frozen header row. */
static int
write_book(const char *path, void *ctx, char *err, size_t errlen)
{
	struct book_args *w = ctx;
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "cases") : NULL;
	if (ws == NULL) {
		snprintf(err, errlen, "cannot create the workbook");
		if (wb)
			workbook_close(wb);
		return -1;
	}
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	for (int c = 0; c < NCOLS; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], bold);
	worksheet_freeze_panes(ws, 1, 0);
	for (size_t i = 0; i < w->x->n; i++) {
		const char *v_[NCOLS];
		cells(w->a, &w->x->rows[i], v_);
		for (int c = 0; c < NCOLS; c++)
			worksheet_write_string(ws, (lxw_row_t)(i + 1), (lxw_col_t)c, v_[c], NULL);
	}
	if (workbook_close(wb) != LXW_NO_ERROR) {
		snprintf(err, errlen, "cannot write the workbook");
		return -1;
	}
	return 0;
}

int
cases_export(struct db *db, const struct vocab_set *v, const char *format, FILE *out)
{
	(void)v;
	struct arena a;
	arena_init(&a, 65536);
	struct export_ctx x = {&a, NULL, 0, 0};
	struct case_filter f = {0};
	char date[32] = "";
	long long after = 0;
	int n;
	do { /* every published case, a page at a time by key */
		size_t before = x.n;
		n = cases_store_list_public(db, &f, date[0] ? date : NULL, after, 500, &a, collect,
					    &x);
		if (n < 0) {
			arena_free(&a);
			return 1;
		}
		if (x.n > before) {
			snprintf(date, sizeof(date), "%s", x.rows[x.n - 1].published_at);
			after = x.rows[x.n - 1].id;
		}
	} while (n == 500);
	int rc = 0;
	if (strcmp(format, "json") == 0) {
		json_t *arr = json_array();
		for (size_t i = 0; i < x.n; i++)
			json_array_append_new(arr, case_json(&x.rows[i]));
		json_t *root = json_pack("{s:o}", "cases", arr);
		if (root == NULL || json_dumpf(root, out, JSON_INDENT(1)) != 0)
			rc = 1;
		json_decref(root);
		fputc('\n', out);
	} else if (strcmp(format, "csv") == 0) {
		struct buf b;
		buf_init(&b, &a);
		csv_bom(&b);
		for (int c = 0; c < NCOLS; c++)
			csv_cell(&b, head[c]);
		csv_end_row(&b);
		for (size_t i = 0; i < x.n; i++) {
			const char *v_[NCOLS];
			cells(&a, &x.rows[i], v_);
			for (int c = 0; c < NCOLS; c++)
				csv_cell(&b, v_[c]);
			csv_end_row(&b);
		}
		rc = fwrite(b.data, 1, b.len, out) == b.len ? 0 : 1;
	} else {
		struct book_args args = {&a, &x};
		struct buf b;
		buf_init(&b, &a);
		char err[256];
		db_slow_work("xlsx"); /* never while holding the write lock */
		rc = xlsx_to_buf(write_book, &args, &b, err, sizeof(err)) == 0 &&
				     fwrite(b.data, 1, b.len, out) == b.len
			     ? 0
			     : 1;
	}
	arena_free(&a);
	return rc;
}
