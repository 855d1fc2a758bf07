/* insight_report.c - the analysis report's words, labels and numbers, and its XLSX workbook
 * (the PDF is drawn in insight_report_pdf.c). */
#include "insight_report.h"
#include "view/xlsx_file.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/utf8.h"
#include "insight/insight.h"
#include "insight_report_priv.h"
#include "db/db.h"
#include "view/dates.h"

/* ---- words, labels, numbers ---- */

static const char *const words_fr[RW__MAX] = {
#define RW_FR(k, fr, en) [k] = (fr),
	REPORT_WORDS(RW_FR)
#undef RW_FR
};
static const char *const words_en[RW__MAX] = {
#define RW_EN(k, fr, en) [k] = (en),
	REPORT_WORDS(RW_EN)
#undef RW_EN
};

bool
report_fr(const struct insight_report *r)
{
	return r->lang == NULL || strcmp(r->lang, "en") != 0;
}

const char *
report_word(const struct insight_report *r, enum report_word w)
{
	return (report_fr(r) ? words_fr : words_en)[w];
}

const char *
report_label(const struct insight_report *r, const char *item)
{
	if (item == NULL)
		return "";
	const char *l = r->label ? r->label(r->label_ctx, item) : NULL;
	return l ? l : item;
}

const char *
report_caveat(const struct insight_report *r)
{
	if (r->caveat)
		return r->caveat;
	return report_fr(r)
		       ? "Ces chiffres viennent de ce que les répondants ont déclaré, sur les cas "
			 "qu’ils ont choisi de décrire : ils montrent ce qui va avec la réussite, "
			 "pas "
			 "ce qui la cause. Les lignes marquées « trop peu de cas » ne permettent "
			 "pas "
			 "de conclure."
		       : "These figures come from what respondents reported, on the cases they "
			 "chose "
			 "to describe: they show what goes with success, not what causes it. Rows "
			 "marked \u201ctoo few cases\u201d do not allow a conclusion.";
}

const char *
report_join(const struct insight_report *r, const char *const *items, size_t n, struct arena *a)
{
	struct buf b;
	buf_init(&b, a);
	buf_puts(&b, "");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(&b, " + ");
		buf_puts(&b, report_label(r, items[i]));
	}
	return b.data ? b.data : "";
}

void
report_rates(const struct ifactor *f, double *with, long *nwith, double *without, long *nwithout)
{
	long w = f->with_success + f->with_failure;
	long wo = (f->success - f->with_success) + (f->failure - f->with_failure);
	*nwith = w;
	*nwithout = wo;
	*with = w > 0 ? (double)f->with_success / (double)w : NAN;
	*without = wo > 0 ? (double)(f->success - f->with_success) / (double)wo : NAN;
}

const char *
report_num(const struct insight_report *r, double v, int decimals, struct arena *a)
{
	if (!isfinite(v))
		return isinf(v) ? (v > 0 ? "∞" : "−∞") : "–";
	char *s = arena_printf(a, "%.*f", decimals, fabs(v));
	if (report_fr(r))
		for (char *c = s; *c; c++)
			if (*c == '.')
				*c = ',';
	/* A true minus sign, as wide as the plus, not a hyphen; none for a figure rounded to 0. */
	bool zero = strspn(s, "0.,") == strlen(s);
	return v < 0 && !zero ? arena_printf(a, "−%s", s) : s;
}

const char *
report_pct(const struct insight_report *r, double share, struct arena *a)
{
	if (!isfinite(share))
		return "–";
	/* French puts a no-break space before the sign. */
	return arena_printf(a, report_fr(r) ? "%.0f\u00a0%%" : "%.0f%%", share * 100.0);
}

const char *
report_date(const struct insight_report *r, struct arena *a)
{
	return date_of(a, report_fr(r) ? LANG_FR : LANG_EN, time(NULL));
}

/* ---- XLSX ---- */

#define XLSX_STR_MAX 32767 /* bytes a cell holds */

struct xw {
	const struct insight_report *r;
	lxw_workbook *wb;
	lxw_format *bold, *pct, *dec2, *dec4;
	struct arena *ar;
	lxw_error error; /* the first one */
};

static void
xw_check(struct xw *x, lxw_error e)
{
	if (e != LXW_NO_ERROR && x->error == LXW_NO_ERROR)
		x->error = e;
}

/* A text cell. Invalid UTF-8 would make the whole workbook unreadable, so such bytes become
 * '?'; texts longer than a cell holds are cut at a character boundary. */
static void
xw_str(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s, lxw_format *f)
{
	if (s == NULL || *s == '\0')
		return;
	size_t n = strlen(s);
	if (!utf8_valid_text(s, n) || n > XLSX_STR_MAX) {
		if (n > XLSX_STR_MAX) {
			n = XLSX_STR_MAX;
			while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
				n--;
		}
		char *c = arena_strndup(x->ar, s, n);
		if (!utf8_valid_text(c, n))
			for (size_t i = 0; i < n; i++)
				if ((unsigned char)c[i] >= 0x80 || (unsigned char)c[i] < 0x20)
					c[i] = '?';
		s = c;
	}
	xw_check(x, worksheet_write_string(ws, row, col, s, f));
}

/* A number cell; a figure that is not a number (no case) stays empty rather than holding
 * text a spreadsheet cannot sum. */
static void
xw_num(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v, lxw_format *f)
{
	if (isfinite(v))
		xw_check(x, worksheet_write_number(ws, row, col, v, f));
}

/* A sheet with its bold header row, frozen so that it stays in view while scrolling. */
static lxw_worksheet *
xw_sheet(struct xw *x, const char *name, const enum report_word *head, size_t n,
	 const double *widths)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	if (ws == NULL) {
		xw_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return NULL;
	}
	for (size_t c = 0; c < n; c++) {
		xw_str(x, ws, 0, (lxw_col_t)c, report_word(x->r, head[c]), x->bold);
		xw_check(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL));
	}
	worksheet_freeze_panes(ws, 1, 0);
	return ws;
}

static void
xlsx_factors(struct xw *x)
{
	static const enum report_word head[] = {RW_CODE,
						RW_FACTOR,
						RW_SUCCESSFUL_WITH,
						RW_SUCCESSFUL,
						RW_UNSUCCESSFUL_WITH,
						RW_UNSUCCESSFUL,
						RW_SHARE_SUCCESS,
						RW_SHARE_FAILURE,
						RW_SUCCESS_WITH,
						RW_SUCCESS_WITHOUT,
						RW_OR,
						RW_CI_LOW,
						RW_CI_HIGH,
						RW_P,
						RW_Q,
						RW_TOO_FEW};
	static const double width[] = {24, 40, 12, 10, 14, 12, 14, 14,
				       12, 12, 12, 10, 10, 10, 10, 12};
	lxw_worksheet *ws = xw_sheet(x, "factors", head, sizeof head / sizeof head[0], width);
	const struct ifactors *fs = x->r->factors;
	if (ws == NULL || fs == NULL)
		return;
	for (size_t i = 0; i < fs->n; i++) {
		const struct ifactor *f = &fs->rows[i];
		lxw_row_t row = (lxw_row_t)(i + 1);
		double with, without;
		long nwith, nwithout;
		report_rates(f, &with, &nwith, &without, &nwithout);
		xw_str(x, ws, row, 0, f->item, NULL);
		xw_str(x, ws, row, 1, report_label(x->r, f->item), NULL);
		xw_num(x, ws, row, 2, (double)f->with_success, NULL);
		xw_num(x, ws, row, 3, (double)f->success, NULL);
		xw_num(x, ws, row, 4, (double)f->with_failure, NULL);
		xw_num(x, ws, row, 5, (double)f->failure, NULL);
		xw_num(x, ws, row, 6, f->share_success, x->pct);
		xw_num(x, ws, row, 7, f->share_failure, x->pct);
		xw_num(x, ws, row, 8, with, x->pct);
		xw_num(x, ws, row, 9, without, x->pct);
		xw_num(x, ws, row, 10, f->odds_ratio, x->dec2);
		xw_num(x, ws, row, 11, f->ci_low, x->dec2);
		xw_num(x, ws, row, 12, f->ci_high, x->dec2);
		xw_num(x, ws, row, 13, f->p, x->dec4);
		xw_num(x, ws, row, 14, f->q, x->dec4);
		xw_check(x, worksheet_write_boolean(ws, row, 15, f->too_few, NULL));
	}
}

static lxw_row_t
xlsx_itemset_rows(struct xw *x, lxw_worksheet *ws, lxw_row_t row, const struct iitemset *sets,
		  size_t n, enum report_word list)
{
	for (size_t i = 0; i < n; i++, row++) {
		const struct iitemset *s = &sets[i];
		struct buf codes;
		buf_init(&codes, x->ar);
		buf_puts(&codes, "");
		for (size_t k = 0; k < s->nitems; k++) {
			if (k)
				buf_puts(&codes, " + ");
			buf_puts(&codes, s->items[k] ? s->items[k] : "");
		}
		xw_str(x, ws, row, 0, report_word(x->r, list), NULL);
		xw_str(x, ws, row, 1, report_join(x->r, s->items, s->nitems, x->ar), NULL);
		xw_str(x, ws, row, 2, codes.data, NULL);
		xw_num(x, ws, row, 3, (double)s->nitems, NULL);
		xw_num(x, ws, row, 4, (double)s->support_success, NULL);
		xw_num(x, ws, row, 5, (double)s->support_failure, NULL);
		xw_num(x, ws, row, 6, s->share_success, x->pct);
		xw_num(x, ws, row, 7, s->share_failure, x->pct);
		xw_num(x, ws, row, 8, s->confidence, x->pct);
		xw_num(x, ws, row, 9, s->lift, x->dec2);
		xw_num(x, ws, row, 10, s->p, x->dec4);
		xw_num(x, ws, row, 11, s->q, x->dec4);
	}
	return row;
}

static void
xlsx_itemsets(struct xw *x)
{
	static const enum report_word head[] = {RW_LIST,
						RW_COMBINATION,
						RW_CODE,
						RW_SIZE,
						RW_SUCCESSFUL_WITH,
						RW_UNSUCCESSFUL_WITH,
						RW_SHARE_SUCCESS,
						RW_SHARE_FAILURE,
						RW_SUCCESS_RATE,
						RW_LIFT,
						RW_P,
						RW_Q};
	static const double width[] = {22, 60, 50, 8, 14, 16, 14, 14, 14, 8, 10, 10};
	lxw_worksheet *ws = xw_sheet(x, "combinations", head, sizeof head / sizeof head[0], width);
	const struct iitemsets *is = x->r->itemsets;
	if (ws == NULL || is == NULL)
		return;
	lxw_row_t row = xlsx_itemset_rows(x, ws, 1, is->rows, is->n, RW_FREQUENT);
	xlsx_itemset_rows(x, ws, row, is->separating, is->nseparating, RW_SEPARATING);
}

static void
xlsx_obstacles(struct xw *x)
{
	static const enum report_word head[] = {RW_CODE,           RW_OBSTACLE, RW_MET,
						RW_OVERCOME,       RW_PARTLY,   RW_NOT_OVERCOME,
						RW_SHARE_OVERCOME, RW_COMMON};
	static const double width[] = {24, 40, 10, 10, 10, 12, 14, 70};
	lxw_worksheet *ws = xw_sheet(x, "obstacles", head, sizeof head / sizeof head[0], width);
	const struct iobstacles *os = x->r->obstacles;
	if (ws == NULL || os == NULL)
		return;
	for (size_t i = 0; i < os->n; i++) {
		const struct iobstacle *o = &os->rows[i];
		lxw_row_t row = (lxw_row_t)(i + 1);
		xw_str(x, ws, row, 0, o->obstacle, NULL);
		xw_str(x, ws, row, 1, report_label(x->r, o->obstacle), NULL);
		xw_num(x, ws, row, 2, (double)o->met, NULL);
		xw_num(x, ws, row, 3, (double)o->overcome, NULL);
		xw_num(x, ws, row, 4, (double)o->partly, NULL);
		xw_num(x, ws, row, 5, (double)o->not_overcome, NULL);
		xw_num(x, ws, row, 6, o->met > 0 ? (double)o->overcome / (double)o->met : NAN,
		       x->pct);
		struct buf common;
		buf_init(&common, x->ar);
		buf_puts(&common, "");
		for (size_t k = 0; k < o->ncommon; k++) {
			if (k)
				buf_puts(&common, " ; ");
			buf_puts(&common, report_label(x->r, o->common[k]));
			if (o->common_share)
				buf_printf(&common, " (%s)",
					   report_pct(x->r, o->common_share[k], x->ar));
		}
		xw_str(x, ws, row, 7, common.data, NULL);
	}
}

static lxw_row_t
xlsx_term_rows(struct xw *x, lxw_worksheet *ws, lxw_row_t row, const struct iterm *t, size_t n,
	       enum report_word side)
{
	for (size_t i = 0; i < n; i++, row++) {
		xw_str(x, ws, row, 0, report_word(x->r, side), NULL);
		xw_str(x, ws, row, 1, t[i].word ? t[i].word : t[i].stem, NULL);
		xw_str(x, ws, row, 2, t[i].stem, NULL);
		xw_num(x, ws, row, 3, t[i].z, x->dec2);
		xw_num(x, ws, row, 4, (double)t[i].n_success, NULL);
		xw_num(x, ws, row, 5, (double)t[i].n_failure, NULL);
		xw_num(x, ws, row, 6, (double)t[i].ncases, NULL);
	}
	return row;
}

static void
xlsx_words(struct xw *x)
{
	static const enum report_word head[] = {RW_SIDE,       RW_WORD,         RW_STEM, RW_Z,
						RW_SUCCESSFUL, RW_UNSUCCESSFUL, RW_CASES};
	static const double width[] = {20, 22, 18, 8, 10, 12, 8};
	lxw_worksheet *ws = xw_sheet(x, "words", head, sizeof head / sizeof head[0], width);
	const struct iterms *t = x->r->terms;
	if (ws == NULL || t == NULL)
		return;
	lxw_row_t row = xlsx_term_rows(x, ws, 1, t->success, t->nsuccess, RW_WORDS_SUCCESS);
	xlsx_term_rows(x, ws, row, t->failure, t->nfailure, RW_WORDS_FAILURE);
}

static void
xlsx_partners(struct xw *x)
{
	static const enum report_word head[] = {
		RW_CODE, RW_ITEM, RW_BOTH, RW_ONLY_NGO, RW_ONLY_COMPANY, RW_NEITHER, RW_AGREEMENT};
	static const double width[] = {24, 40, 10, 12, 16, 14, 10};
	lxw_worksheet *ws = xw_sheet(x, "partners", head, sizeof head / sizeof head[0], width);
	const struct ipairs *p = x->r->pairs;
	if (ws == NULL || p == NULL)
		return;
	lxw_row_t row = 1;
	for (size_t i = 0; i < p->n; i++, row++) {
		const struct ipair_factor *f = &p->rows[i];
		xw_str(x, ws, row, 0, f->item, NULL);
		xw_str(x, ws, row, 1, report_label(x->r, f->item), NULL);
		xw_num(x, ws, row, 2, (double)f->both, NULL);
		xw_num(x, ws, row, 3, (double)f->only_ngo, NULL);
		xw_num(x, ws, row, 4, (double)f->only_company, NULL);
		xw_num(x, ws, row, 5, (double)f->neither, NULL);
		xw_num(x, ws, row, 6, f->agreement, x->pct);
	}
	/* The totals below the table, after a blank row, so that sorting the table leaves them. */
	row++;
	xw_str(x, ws, row, 1, report_word(x->r, RW_PAIRS), x->bold);
	xw_num(x, ws, row, 2, (double)p->pairs, NULL);
	row++;
	xw_str(x, ws, row, 1, report_word(x->r, RW_SAME_OUTCOME), x->bold);
	xw_num(x, ws, row, 2, (double)p->outcome_agree, NULL);
	xw_num(x, ws, row, 6, p->pairs > 0 ? (double)p->outcome_agree / (double)p->pairs : NAN,
	       x->pct);
}

/* What the figures are and how far they go, for whoever receives the file alone. */
static void
xlsx_about(struct xw *x)
{
	static const enum report_word head[] = {RW_FIELD, RW_VALUE};
	static const double width[] = {40, 100};
	lxw_worksheet *ws = xw_sheet(x, "about", head, 2, width);
	if (ws == NULL)
		return;
	const struct insight_report *r = x->r;
	xw_str(x, ws, 1, 0, report_word(r, RW_TITLE), NULL);
	xw_str(x, ws, 1, 1, r->title, NULL);
	xw_str(x, ws, 2, 0, report_word(r, RW_DATE), NULL);
	xw_str(x, ws, 2, 1, report_date(r, x->ar), NULL);
	xw_str(x, ws, 3, 0, report_word(r, RW_CASES_ANALYSED), NULL);
	xw_num(x, ws, 3, 1, (double)r->ncases, NULL);
	xw_str(x, ws, 4, 0, report_word(r, RW_SUCCESSFUL), NULL);
	xw_num(x, ws, 4, 1, (double)r->nsuccess, NULL);
	xw_str(x, ws, 5, 0, report_word(r, RW_UNSUCCESSFUL), NULL);
	xw_num(x, ws, 5, 1, (double)r->nfailure, NULL);
	xw_str(x, ws, 6, 0, report_word(r, RW_LEFT_OUT), NULL);
	xw_num(x, ws, 6, 1, (double)r->left_out, NULL);
	xw_str(x, ws, 7, 0, report_word(r, RW_CAVEAT), NULL);
	xw_str(x, ws, 7, 1, report_caveat(r), NULL);
}

static int
xlsx_write(const struct insight_report *r, const char *path, struct arena *ar, char *err,
	   size_t errlen)
{
	lxw_workbook *wb = workbook_new(path);
	if (wb == NULL) {
		snprintf(err, errlen, "cannot create the workbook");
		return -1;
	}
	struct xw x = {.r = r, .wb = wb, .ar = ar};
	x.bold = workbook_add_format(wb);
	format_set_bold(x.bold);
	x.pct = workbook_add_format(wb);
	format_set_num_format(x.pct, "0.0%");
	x.dec2 = workbook_add_format(wb);
	format_set_num_format(x.dec2, "0.00");
	x.dec4 = workbook_add_format(wb);
	format_set_num_format(x.dec4, "0.0000");
	lxw_doc_properties props = {.title = arena_strdup(ar, r->title ? r->title : ""),
				    .author = arena_strdup(ar, "COEXIST")};
	workbook_set_properties(wb, &props);
	xlsx_factors(&x);
	xlsx_itemsets(&x);
	xlsx_obstacles(&x);
	xlsx_words(&x);
	xlsx_partners(&x);
	xlsx_about(&x);
	lxw_error closed = workbook_close(wb);
	if (x.error != LXW_NO_ERROR || closed != LXW_NO_ERROR) {
		snprintf(err, errlen, "workbook: %s",
			 lxw_strerror(x.error != LXW_NO_ERROR ? x.error : closed));
		return -1;
	}
	return 0;
}

/* Appends the report as an XLSX workbook to out. 0, or -1 with err. */
struct report_args {
	const struct insight_report *r;
	struct arena *ar;
};

static int
write_report(const char *path, void *ctx, char *err, size_t errlen)
{
	struct report_args *w = ctx;
	return xlsx_write(w->r, path, w->ar, err, errlen);
}

/* Appends the report as an XLSX workbook to out. 0, or -1 with err. */
int
insight_report_xlsx(const struct insight_report *r, struct buf *out, char *err, size_t errlen)
{
	struct arena ar;
	arena_init(&ar, 8192);
	struct report_args args = {r, &ar};
	db_slow_work("xlsx"); /* a workbook takes long: never while holding the write lock */
	int rc = xlsx_to_buf(write_report, &args, out, err, errlen);
	arena_free(&ar);
	return rc;
}
