/* insight_report_pdf.c - the analysis report as an A4 PDF: a cover block, the factors with a
 * forest plot, the common combinations, the obstacles, the words of the lessons and the
 * agreement of partners. The page machinery is pdf.c's. */
#include "insight_report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "insight/insight.h"
#include "insight_report_priv.h"
#include "view/pdf.h"
#include "db/db.h"

#define FOREST_ROWS  20 /* factors on the plot; the table has them all */
#define ITEMSET_ROWS 10
#define WORD_ROWS    15
#define PAIR_ROWS    15
#define COMMON_SHOWN 3

#define MARGIN    PDF_MARGIN
#define CONTENT_W PDF_CONTENT_W
#define PAD       PDF_CELL_PAD

struct report {
	struct pdf pdf;
	const struct insight_report *r;
};

static const char *
tr(const struct report *p, enum report_word w)
{
	return report_word(p->r, w);
}

/* ---- cover ---- */

static void
key_figure(struct report *p, double x, double w, double h, long v, const char *caption)
{
	struct pdf *d = &p->pdf;
	pdf_rect(d, x, d->y, w, h, PDF_TINT);
	pdf_colour(d, PDF_PRIMARY_DARK);
	pdf_font(d, 20, PDF_BOLD);
	pdf_show(d, arena_printf(&d->ar, "%ld", v), x + 8, d->y + 26, false);
	pdf_font(d, 8, PDF_REGULAR);
	pdf_colour(d, PDF_INK);
	int n;
	const char *lines = pdf_wrap(d, caption, w - 16, 2, &n);
	pdf_show_lines(d, lines, x + 8, d->y + 40, 10, w - 16, false);
}

static void
cover(struct report *p)
{
	struct pdf *d = &p->pdf;
	const struct insight_report *r = p->r;
	pdf_rect(d, 0, 0, PDF_PAGE_W, 30, PDF_PRIMARY_DARK);
	pdf_font(d, 9, PDF_BOLD);
	pdf_colour(d, PDF_WHITE);
	pdf_show(d, "COEXIST", MARGIN, 19, false);
	pdf_font(d, 9, PDF_REGULAR);
	pdf_show(d, arena_printf(&d->ar, "%s %s", tr(p, RW_PRODUCED_ON), report_date(r, &d->ar)),
		 PDF_PAGE_W - MARGIN, 19, true);
	d->y = 58;

	pdf_font(d, 22, PDF_BOLD);
	pdf_colour(d, PDF_PRIMARY_DARK);
	int n;
	const char *lines = pdf_wrap(d, r->title, CONTENT_W, 3, &n);
	pdf_show_lines(d, lines, MARGIN, d->y + 22, 27, CONTENT_W, false);
	pdf_outline(d, r->title);
	d->y += 27 * n + 6;
	if (r->subtitle)
		pdf_paragraph(d, r->subtitle, 12, PDF_REGULAR, PDF_MUTED);
	d->y += 8;

	/* Key figures: how many cases, and how they split. */
	const long v[4] = {r->ncases, r->nsuccess, r->nfailure, r->left_out};
	const enum report_word cap[4] = {RW_CASES_ANALYSED, RW_SUCCESSFUL, RW_UNSUCCESSFUL,
					 RW_LEFT_OUT};
	double gap = 8, w = (CONTENT_W - 3 * gap) / 4;
	for (int i = 0; i < 4; i++)
		key_figure(p, MARGIN + i * (w + gap), w, 62, v[i], tr(p, cap[i]));
	d->y += 62 + 14;

	/* The caveat, in a box of its own so that no one quotes a figure without it. */
	pdf_font(d, 9, PDF_REGULAR);
	lines = pdf_wrap(d, report_caveat(r), CONTENT_W - 24, 12, &n);
	double h = 14 + 13 + n * 12.5 + 6;
	pdf_rect(d, MARGIN, d->y, CONTENT_W, h, PDF_SAND);
	pdf_rect(d, MARGIN, d->y, 3, h, PDF_ACCENT);
	pdf_font(d, 9.5, PDF_BOLD);
	pdf_colour(d, PDF_ACCENT_INK);
	pdf_show(d, tr(p, RW_CAVEAT), MARGIN + 12, d->y + 18, false);
	pdf_font(d, 9, PDF_REGULAR);
	pdf_colour(d, PDF_INK);
	pdf_show_lines(d, lines, MARGIN + 12, d->y + 32, 12.5, CONTENT_W - 24, false);
	d->y += h + 6;
}

/* ---- factors ---- */

static const double tick_value[] = {0.1, 0.25, 0.5, 1, 2, 4, 10};
#define NTICKS (sizeof tick_value / sizeof tick_value[0])

static bool
ratio_ok(double v)
{
	return isfinite(v) && v > 0;
}

struct axis {
	double lo, hi, x0, span;
};

static double
axis_x(const struct axis *a, double v)
{
	v = v < a->lo ? a->lo : v > a->hi ? a->hi : v;
	return a->x0 + (log(v) - log(a->lo)) / (log(a->hi) - log(a->lo)) * a->span;
}

/* The same axis as the web's plot: ticks from 1/10 to 10, kept to what the figures need. */
static void
axis_domain(const struct ifactor *rows, size_t n, struct axis *a)
{
	double lo = 1, hi = 1;
	for (size_t i = 0; i < n; i++) {
		const double v[3] = {rows[i].odds_ratio, rows[i].ci_low, rows[i].ci_high};
		for (int k = 0; k < 3; k++)
			if (ratio_ok(v[k])) {
				lo = v[k] < lo ? v[k] : lo;
				hi = v[k] > hi ? v[k] : hi;
			}
	}
	a->lo = tick_value[0];
	for (size_t t = 0; t < NTICKS; t++)
		if (tick_value[t] <= lo * (1 + 1e-9))
			a->lo = tick_value[t];
	a->hi = tick_value[NTICKS - 1];
	for (size_t t = NTICKS; t-- > 0;)
		if (tick_value[t] >= hi * (1 - 1e-9))
			a->hi = tick_value[t];
	if (a->lo >= a->hi) {
		a->lo = 0.5;
		a->hi = 2;
	}
}

/* An end of a whisker: a cap, or an arrowhead (dir -1 left, +1 right) when the interval goes
 * on beyond the axis. */
static void
whisker_end(struct report *p, double x, double y, bool open, int dir)
{
	struct pdf *d = &p->pdf;
	if (!open) {
		pdf_line(d, x, y - 3, x, y + 3, 1);
		return;
	}
	cairo_set_line_width(d->cr, 1);
	cairo_move_to(d->cr, x - dir * 4, y - 3);
	cairo_line_to(d->cr, x, y);
	cairo_line_to(d->cr, x - dir * 4, y + 3);
	cairo_stroke(d->cr);
}

static void
forest_row(struct report *p, const struct ifactor *f, const struct axis *a, double y, double lw)
{
	struct pdf *d = &p->pdf;
	const char *label = report_label(p->r, f->item);
	pdf_font(d, 8.5, f->too_few ? PDF_ITALIC : PDF_REGULAR);
	pdf_colour(d, f->too_few ? PDF_MUTED : PDF_INK);
	int n;
	const char *l =
		pdf_wrap(d, f->too_few ? arena_printf(&d->ar, "%s †", label) : label, lw, 1, &n);
	pdf_show_lines(d, l, MARGIN, y + 3, 0, 0, false);
	if (!ratio_ok(f->odds_ratio))
		return;
	bool up = f->odds_ratio >= 1;
	enum pdf_colour c = up ? PDF_PRIMARY : PDF_ACCENT_INK,
			soft = up ? PDF_PRIMARY_SOFT : PDF_ACCENT_SOFT;
	if (f->too_few) {
		static const double dash[] = {2.5, 2};
		cairo_set_dash(d->cr, dash, 2, 0);
	}
	if (ratio_ok(f->ci_low) && ratio_ok(f->ci_high)) {
		double x1 = axis_x(a, f->ci_low), x2 = axis_x(a, f->ci_high);
		pdf_colour(d, c);
		pdf_line(d, x1, y, x2, y, 1.2);
		cairo_set_dash(d->cr, NULL, 0, 0);
		/* Caps, or open ends when the interval goes on beyond the axis. */
		whisker_end(p, x1, y, f->ci_low < a->lo, -1);
		whisker_end(p, x2, y, f->ci_high > a->hi, +1);
	}
	cairo_set_dash(d->cr, NULL, 0, 0);
	cairo_new_path(d->cr);
	cairo_arc(d->cr, axis_x(a, f->odds_ratio), y, 3.4, 0, 2 * M_PI);
	pdf_colour(d, f->too_few ? soft : c);
	cairo_fill_preserve(d->cr);
	pdf_colour(d, c);
	cairo_set_line_width(d->cr, 1);
	cairo_stroke(d->cr);
}

/* The forest plot of the first factors, drawn natively so that it prints sharp. */
static void
forest(struct report *p, const struct ifactors *fs)
{
	struct pdf *d = &p->pdf;
	size_t n = fs->n < FOREST_ROWS ? fs->n : FOREST_ROWS;
	const double row_h = 15, lw = 185;
	struct axis a;
	axis_domain(fs->rows, n, &a);
	a.x0 = MARGIN + lw + 16;
	a.span = MARGIN + CONTENT_W - 12 - a.x0;
	double rows = (double)n;
	double h = rows * row_h + 44;
	pdf_need(d, h);
	double top = d->y, axis_y = top + rows * row_h + 4;

	pdf_font(d, 7.5, PDF_REGULAR);
	for (size_t t = 0; t < NTICKS; t++) {
		if (tick_value[t] < a.lo || tick_value[t] > a.hi)
			continue;
		double x = axis_x(&a, tick_value[t]);
		pdf_colour(d, PDF_GRID);
		pdf_line(d, x, top, x, axis_y + 3, 0.5);
		pdf_colour(d, PDF_MUTED);
		int decimals = tick_value[t] >= 1 ? 0 : tick_value[t] == 0.25 ? 2 : 1;
		const char *s = report_num(p->r, tick_value[t], decimals, &d->ar);
		double w = pdf_advance(d, s);
		pdf_show(d, s, x - w / 2, axis_y + 13, false);
	}
	pdf_colour(d, PDF_MUTED);
	pdf_line(d, a.x0, axis_y, a.x0 + a.span, axis_y, 0.6);
	pdf_colour(d, PDF_INK);
	pdf_line(d, axis_x(&a, 1), top, axis_x(&a, 1), axis_y, 1);
	for (size_t i = 0; i < n; i++)
		forest_row(p, &fs->rows[i], &a, top + (double)i * row_h + row_h / 2, lw);

	pdf_font(d, 7.5, PDF_REGULAR);
	pdf_colour(d, PDF_MUTED);
	pdf_show(d, arena_printf(&d->ar, "← %s", tr(p, RW_LESS)), a.x0, axis_y + 26, false);
	pdf_show(d, arena_printf(&d->ar, "%s →", tr(p, RW_MORE)), a.x0 + a.span, axis_y + 26, true);
	d->y = top + h;
}

static const char *
rate_cell(struct report *p, double rate, long n)
{
	struct pdf *d = &p->pdf;
	return arena_printf(&d->ar, "%s (%ld)", report_pct(p->r, rate, &d->ar), n);
}

static const char *
q_cell(struct report *p, double q)
{
	struct pdf *d = &p->pdf;
	if (isfinite(q) && q < 0.001)
		return arena_printf(&d->ar, "< %s", report_num(p->r, 0.001, 3, &d->ar));
	return report_num(p->r, q, 3, &d->ar);
}

static void
factors(struct report *p, const struct ifactors *fs)
{
	struct pdf *d = &p->pdf;
	pdf_heading(d, tr(p, RW_H_FACTORS), 80);
	if (fs->n == 0) {
		pdf_paragraph(d, tr(p, RW_NO_DATA), 9.5, PDF_REGULAR, PDF_INK);
		return;
	}
	pdf_paragraph(d, tr(p, RW_FOREST_NOTE), 9, PDF_REGULAR, PDF_INK);
	if (fs->n > FOREST_ROWS)
		pdf_paragraph(d, tr(p, RW_FOREST_TOP), 9, PDF_ITALIC, PDF_MUTED);
	forest(p, fs);
	d->y += 10;

	const struct pdf_col cols[] = {
		{tr(p, RW_FACTOR), 195, false},        {tr(p, RW_SUCCESS_WITH), 72, true},
		{tr(p, RW_SUCCESS_WITHOUT), 72, true}, {tr(p, RW_OR_CI), 106, true},
		{tr(p, RW_Q), CONTENT_W - 445, true},
	};
	const struct pdf_table t = {cols, sizeof cols / sizeof cols[0], 8.5, 2};
	pdf_need(d, 50);
	pdf_table_head(d, &t);
	for (size_t i = 0; i < fs->n; i++) {
		const struct ifactor *f = &fs->rows[i];
		double with, without;
		long nwith, nwithout;
		report_rates(f, &with, &nwith, &without, &nwithout);
		const char *label = report_label(p->r, f->item);
		const char *cells[5] = {
			f->too_few ? arena_printf(&d->ar, "%s †", label) : label,
			rate_cell(p, with, nwith),
			rate_cell(p, without, nwithout),
			arena_printf(&d->ar, "%s [%s–%s]",
				     report_num(p->r, f->odds_ratio, 2, &d->ar),
				     report_num(p->r, f->ci_low, 2, &d->ar),
				     report_num(p->r, f->ci_high, 2, &d->ar)),
			q_cell(p, f->q),
		};
		pdf_table_row(d, &t, cells, f->too_few);
	}
	d->y += 6;
	pdf_paragraph(d, tr(p, RW_TOO_FEW_NOTE), 7.5, PDF_REGULAR, PDF_MUTED);
}

/* ---- combinations ---- */

static const char *
support_cell(struct report *p, long n, double share)
{
	struct pdf *d = &p->pdf;
	return arena_printf(&d->ar, "%ld (%s)", n, report_pct(p->r, share, &d->ar));
}

static void
itemsets(struct report *p, const struct iitemsets *is)
{
	struct pdf *d = &p->pdf;
	pdf_heading(d, tr(p, RW_H_ITEMSETS), 80);
	if (is->n == 0) {
		pdf_paragraph(d, tr(p, RW_NO_DATA), 9.5, PDF_REGULAR, PDF_INK);
		return;
	}
	pdf_paragraph(d, tr(p, RW_ITEMSETS_NOTE), 9, PDF_REGULAR, PDF_INK);
	const struct pdf_col cols[] = {
		{tr(p, RW_COMBINATION), 235, false},     {tr(p, RW_SUCCESSFUL_WITH), 75, true},
		{tr(p, RW_UNSUCCESSFUL_WITH), 75, true}, {tr(p, RW_SUCCESS_RATE), 60, true},
		{tr(p, RW_LIFT), CONTENT_W - 445, true},
	};
	const struct pdf_table t = {cols, sizeof cols / sizeof cols[0], 8.5, 4};
	pdf_need(d, 50);
	pdf_table_head(d, &t);
	size_t n = is->n < ITEMSET_ROWS ? is->n : ITEMSET_ROWS;
	for (size_t i = 0; i < n; i++) {
		const struct iitemset *s = &is->rows[i];
		const char *cells[5] = {
			report_join(p->r, s->items, s->nitems, &d->ar),
			support_cell(p, s->support_success, s->share_success),
			support_cell(p, s->support_failure, s->share_failure),
			report_pct(p->r, s->confidence, &d->ar),
			report_num(p->r, s->lift, 2, &d->ar),
		};
		pdf_table_row(d, &t, cells, false);
	}
}

/* ---- obstacles ---- */

/* A small stacked bar: overcome, partly, not overcome, as shares of the cases that met it. */
static void
obstacle_bar(struct report *p, const struct iobstacle *o, double x, double w, struct pdf_box b)
{
	struct pdf *d = &p->pdf;
	const long part[3] = {o->overcome, o->partly, o->not_overcome};
	const enum pdf_colour fill[3] = {PDF_PRIMARY, PDF_PARTLY, PDF_ACCENT};
	long total = part[0] + part[1] + part[2];
	if (total <= 0)
		return;
	double y = b.y + PAD + 1;
	for (int k = 0; k < 3; k++) {
		double len = w * (double)part[k] / (double)total;
		pdf_rect(d, x, y, len, 8, fill[k]);
		x += len;
	}
}

static void
obstacles(struct report *p, const struct iobstacles *os)
{
	struct pdf *d = &p->pdf;
	pdf_heading(d, tr(p, RW_H_OBSTACLES), 80);
	if (os->n == 0) {
		pdf_paragraph(d, tr(p, RW_NO_DATA), 9.5, PDF_REGULAR, PDF_INK);
		return;
	}
	const double bar_w = CONTENT_W - 415;
	const struct pdf_col cols[] = {
		{tr(p, RW_OBSTACLE), 170, false},   {tr(p, RW_MET), 58, true},
		{tr(p, RW_OVERCOME), 62, true},     {tr(p, RW_PARTLY), 55, true},
		{tr(p, RW_NOT_OVERCOME), 70, true}, {"", bar_w, false},
	};
	const struct pdf_table t = {cols, sizeof cols / sizeof cols[0], 8.5, 6};
	pdf_need(d, 50);
	pdf_table_head(d, &t);
	for (size_t i = 0; i < os->n; i++) {
		const struct iobstacle *o = &os->rows[i];
		struct buf label;
		buf_init(&label, &d->ar);
		buf_puts(&label, report_label(p->r, o->obstacle));
		size_t shown = o->ncommon < COMMON_SHOWN ? o->ncommon : COMMON_SHOWN;
		for (size_t k = 0; k < shown; k++) {
			buf_puts(&label, k ? ", " : "\n");
			if (k == 0) {
				buf_puts(&label, tr(p, RW_SHARED_BY));
				buf_putc(&label, ' ');
			}
			buf_puts(&label, report_label(p->r, o->common[k]));
			if (o->common_share)
				buf_printf(&label, " (%s)",
					   report_pct(p->r, o->common_share[k], &d->ar));
		}
		const char *cells[6] = {
			label.data,
			arena_printf(&d->ar, "%ld", o->met),
			arena_printf(&d->ar, "%ld", o->overcome),
			arena_printf(&d->ar, "%ld", o->partly),
			arena_printf(&d->ar, "%ld", o->not_overcome),
			"",
		};
		struct pdf_box b = pdf_table_row(d, &t, cells, false);
		obstacle_bar(p, o, MARGIN + 415 + PAD, bar_w - 2 * PAD, b);
	}
	/* The bar's legend, once. */
	d->y += 6;
	pdf_need(d, 14);
	const enum pdf_colour fill[3] = {PDF_PRIMARY, PDF_PARTLY, PDF_ACCENT};
	const enum report_word name[3] = {RW_OVERCOME, RW_PARTLY, RW_NOT_OVERCOME};
	double x = MARGIN;
	pdf_font(d, 7.5, PDF_REGULAR);
	for (int k = 0; k < 3; k++) {
		pdf_rect(d, x, d->y + 1, 8, 8, fill[k]);
		pdf_colour(d, PDF_MUTED);
		pdf_show(d, tr(p, name[k]), x + 11, d->y + 8, false);
		x += 11 + pdf_advance(d, tr(p, name[k])) + 14;
	}
	d->y += 14;
}

/* ---- words ---- */

static void
word_cells(struct report *p, const struct iterm *t, size_t n, size_t i, const char **cells)
{
	struct pdf *d = &p->pdf;
	if (i >= n) {
		cells[0] = cells[1] = cells[2] = "";
		return;
	}
	cells[0] = t[i].word ? t[i].word : t[i].stem;
	cells[1] = report_num(p->r, t[i].z, 1, &d->ar);
	cells[2] = arena_printf(&d->ar, "%zu", t[i].ncases);
}

static void
words(struct report *p, const struct iterms *tm)
{
	struct pdf *d = &p->pdf;
	pdf_heading(d, tr(p, RW_H_WORDS), 80);
	if (tm->nsuccess == 0 && tm->nfailure == 0) {
		pdf_paragraph(d, tr(p, RW_NO_DATA), 9.5, PDF_REGULAR, PDF_INK);
		return;
	}
	pdf_paragraph(d, tr(p, RW_WORDS_NOTE), 9, PDF_REGULAR, PDF_INK);
	const double half = CONTENT_W / 2;
	const struct pdf_col cols[] = {
		{tr(p, RW_WORDS_SUCCESS), half - 90, false},
		{tr(p, RW_Z), 40, true},
		{tr(p, RW_CASES), 50, true},
		{tr(p, RW_WORDS_FAILURE), half - 90, false},
		{tr(p, RW_Z), 40, true},
		{tr(p, RW_CASES), 50, true},
	};
	const struct pdf_table t = {cols, sizeof cols / sizeof cols[0], 8.5, 1};
	pdf_need(d, 50);
	pdf_table_head(d, &t);
	size_t n = tm->nsuccess > tm->nfailure ? tm->nsuccess : tm->nfailure;
	n = n < WORD_ROWS ? n : WORD_ROWS;
	for (size_t i = 0; i < n; i++) {
		const char *cells[6];
		word_cells(p, tm->success, tm->nsuccess, i, cells);
		word_cells(p, tm->failure, tm->nfailure, i, cells + 3);
		pdf_table_row(d, &t, cells, false);
	}
}

/* ---- partners ---- */

static void
partners(struct report *p, const struct ipairs *ps)
{
	struct pdf *d = &p->pdf;
	pdf_heading(d, tr(p, RW_H_PAIRS), 80);
	if (ps->pairs == 0) {
		pdf_paragraph(d, tr(p, RW_NO_DATA), 9.5, PDF_REGULAR, PDF_INK);
		return;
	}
	const char *share = report_pct(p->r, (double)ps->outcome_agree / (double)ps->pairs, &d->ar);
	const char *s =
		report_fr(p->r)
			? arena_printf(&d->ar,
				       "%ld partenariats décrits par l’ONG et par l’entreprise ; "
				       "les deux donnent le même résultat dans %ld cas (%s).",
				       ps->pairs, ps->outcome_agree, share)
			: arena_printf(
				  &d->ar,
				  "%ld partnerships described by both the NGO and the company; "
				  "both give the same outcome in %ld of them (%s).",
				  ps->pairs, ps->outcome_agree, share);
	pdf_paragraph(d, s, 9.5, PDF_REGULAR, PDF_INK);
	if (ps->n == 0)
		return;
	pdf_paragraph(d, tr(p, RW_PAIRS_NOTE), 9, PDF_REGULAR, PDF_INK);
	const struct pdf_col cols[] = {
		{tr(p, RW_ITEM), 195, false},   {tr(p, RW_BOTH), 60, true},
		{tr(p, RW_ONLY_NGO), 60, true}, {tr(p, RW_ONLY_COMPANY), 65, true},
		{tr(p, RW_NEITHER), 55, true},  {tr(p, RW_AGREEMENT), CONTENT_W - 435, true},
	};
	const struct pdf_table t = {cols, sizeof cols / sizeof cols[0], 8.5, 2};
	pdf_need(d, 50);
	pdf_table_head(d, &t);
	size_t n = ps->n < PAIR_ROWS ? ps->n : PAIR_ROWS;
	for (size_t i = 0; i < n; i++) {
		const struct ipair_factor *f = &ps->rows[i];
		const char *cells[6] = {
			report_label(p->r, f->item),
			arena_printf(&d->ar, "%ld", f->both),
			arena_printf(&d->ar, "%ld", f->only_ngo),
			arena_printf(&d->ar, "%ld", f->only_company),
			arena_printf(&d->ar, "%ld", f->neither),
			report_pct(p->r, f->agreement, &d->ar),
		};
		pdf_table_row(d, &t, cells, false);
	}
}

/* ---- the document ---- */

/* Appends the report as an A4 PDF to out. 0, or -1 with err (out is then left as it was). */
int
insight_report_pdf(const struct insight_report *r, struct buf *out, char *err, size_t errlen)
{
	struct report p = {.r = r};
	db_slow_work("pdf"); /* a document takes long: never while holding the write lock */
	if (pdf_open(&p.pdf, out, r->title, r->title, report_word(r, RW_PAGE), err, errlen) != 0)
		return -1;
	cover(&p);
	if (r->factors)
		factors(&p, r->factors);
	if (r->itemsets)
		itemsets(&p, r->itemsets);
	if (r->obstacles)
		obstacles(&p, r->obstacles);
	if (r->terms)
		words(&p, r->terms);
	if (r->pairs)
		partners(&p, r->pairs);
	return pdf_close(&p.pdf, err, errlen);
}
