/* insight_report_pdf.c - the analysis report as an A4 PDF drawn with cairo: a cover block, the
 * factors with a forest plot, the common combinations, the obstacles, the words of the lessons
 * and the agreement of partners. Text flows from page to page; tables repeat their header. */
#include "insight_report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/utf8.h"
#include "insight/insight.h"
#include "insight_report_priv.h"

/* A4 in points, and the frame of the text. */
#define PAGE_W    595.276
#define PAGE_H    841.890
#define MARGIN    50.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define BOTTOM    (PAGE_H - 58) /* nothing is drawn below, but the footer */
#define FONT_FACE "DejaVu Sans" /* Debian fonts-dejavu-core: accents, « », ’, –, ←, → */

#define FOREST_ROWS  20 /* factors on the plot; the table has them all */
#define ITEMSET_ROWS 10
#define WORD_ROWS    15
#define PAIR_ROWS    15
#define COMMON_SHOWN 3

struct rgb {
	double r, g, b;
};

/* The site's palette (static/app.css). */
#define RGB(hex)                                                                                   \
	{                                                                                          \
		((hex) >> 16 & 0xFF) / 255.0, ((hex) >> 8 & 0xFF) / 255.0, ((hex)&0xFF) / 255.0    \
	}
static const struct rgb INK = RGB(0x1c2a31), MUTED = RGB(0x4d5d65), PRIMARY = RGB(0x0b5c69),
			PRIMARY_DARK = RGB(0x0b4650), PRIMARY_SOFT = RGB(0xc9dfe2),
			PARTLY = RGB(0x8fbcc2), ACCENT = RGB(0xc2571a), ACCENT_INK = RGB(0x9c430f),
			ACCENT_SOFT = RGB(0xf0d6c6), TINT = RGB(0xe7f0f0), SAND = RGB(0xf3efe6),
			GRID = RGB(0xd3dadb), WHITE = RGB(0xffffff);

enum face { REGULAR, BOLD, ITALIC };

struct pdf {
	const struct insight_report *r;
	cairo_surface_t *surface;
	cairo_t *cr;
	struct arena ar;    /* every string made while drawing */
	struct buf scratch; /* a NUL-terminated copy of a piece of text, to measure or show */
	double y;           /* top of the next thing to draw */
	int page;
};

static const char *
tr(const struct pdf *p, enum report_word w)
{
	return report_word(p->r, w);
}

/* ---- text ---- */

static void
colour(struct pdf *p, struct rgb c)
{
	cairo_set_source_rgb(p->cr, c.r, c.g, c.b);
}

static void
font(struct pdf *p, double size, enum face f)
{
	cairo_select_font_face(p->cr, FONT_FACE,
			       f == ITALIC ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
			       f == BOLD ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(p->cr, size);
}

/* Text that cairo accepts: invalid UTF-8 would put the whole drawing in an error state, so such
 * bytes (there should be none: input is validated) become '?'. */
static const char *
clean(struct pdf *p, const char *s)
{
	if (s == NULL)
		return "";
	size_t n = strlen(s);
	if (utf8_valid(s, n))
		return s;
	char *c = arena_strndup(&p->ar, s, n);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)c[i] >= 0x80)
			c[i] = '?';
	return c;
}

static const char *
piece(struct pdf *p, const char *s, size_t n)
{
	buf_reset(&p->scratch);
	buf_add(&p->scratch, s, n);
	return buf_str(&p->scratch);
}

/* Width of s[0..n) at the current font. */
static double
advance(struct pdf *p, const char *s, size_t n)
{
	cairo_text_extents_t e;
	cairo_text_extents(p->cr, piece(p, s, n), &e);
	return e.x_advance;
}

/* Shows s[0..n) with its baseline at y, from x or (right) ending at x. */
static void
show(struct pdf *p, const char *s, size_t n, double x, double y, bool right)
{
	if (right)
		x -= advance(p, s, n);
	cairo_move_to(p->cr, x, y);
	cairo_show_text(p->cr, piece(p, s, n));
}

static void
show_str(struct pdf *p, const char *s, double x, double y, bool right)
{
	s = clean(p, s);
	show(p, s, strlen(s), x, y, right);
}

static size_t
next_char(const char *s, size_t n, size_t i)
{
	i++;
	while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
		i++;
	return i;
}

/* Whether a line may end at the space s[i]: not just inside « or before », nor before : ; ! ?
 * (French puts a space there that belongs with the word). */
static bool
breakable(const char *s, size_t n, size_t i)
{
	const unsigned char *u = (const unsigned char *)s;
	if (i >= 2 && u[i - 2] == 0xC2 && u[i - 1] == 0xAB)
		return false;
	if (i + 2 < n && u[i + 1] == 0xC2 && u[i + 2] == 0xBB)
		return false;
	return !(i + 1 < n && s[i + 1] != '\0' && strchr(":;!?", s[i + 1]));
}

/* Lays out one paragraph s[0..n) (no '\n') in lines no wider than width; appends them to out,
 * each ended by '\n', at most max of them, the last with an ellipsis when the text goes on.
 * Returns how many lines were added. */
static int
wrap_para(struct pdf *p, const char *s, size_t n, double width, int max, struct buf *out)
{
	int lines = 0;
	size_t i = 0;
	while (lines < max) {
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n)
			break;
		size_t end = i;
		for (;;) { /* the longest run of whole words that fits */
			size_t next = end;
			while (next < n && s[next] == ' ')
				next++;
			while (next < n && (s[next] != ' ' || !breakable(s, n, next)))
				next++;
			if (next == end || advance(p, s + i, next - i) > width)
				break;
			end = next;
		}
		if (end == i) { /* a word wider than the line: cut it where it has to be */
			end = next_char(s, n, i);
			for (size_t k = end; k < n; k = next_char(s, n, k)) {
				size_t k2 = next_char(s, n, k);
				if (advance(p, s + i, k2 - i) > width)
					break;
				end = k2;
			}
		}
		size_t rest = end;
		while (rest < n && s[rest] == ' ')
			rest++;
		if (lines == max - 1 && rest < n) {
			double ell = advance(p, "…", strlen("…"));
			while (end > i && advance(p, s + i, end - i) + ell > width) {
				end--;
				while (end > i && ((unsigned char)s[end] & 0xC0) == 0x80)
					end--;
			}
			while (end > i && s[end - 1] == ' ')
				end--;
			buf_add(out, s + i, end - i);
			buf_puts(out, "…\n");
			return lines + 1;
		}
		buf_add(out, s + i, end - i);
		buf_putc(out, '\n');
		lines++;
		i = end;
	}
	return lines;
}

/* Lays s out at the current font in lines no wider than width, at most max; a '\n' in s starts
 * a new line. Returns the lines, each ended by '\n', in the arena; *count gets their number. */
static const char *
wrap(struct pdf *p, const char *s, double width, int max, int *count)
{
	struct buf out;
	buf_init(&out, &p->ar);
	buf_puts(&out, "");
	s = clean(p, s);
	int lines = 0;
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		int got = wrap_para(p, s, n, width, max - lines, &out);
		lines += got;
		if (nl == NULL || lines >= max)
			break;
		if (got == 0) { /* an empty paragraph still takes its line */
			buf_putc(&out, '\n');
			lines++;
		}
		s = nl + 1;
	}
	if (lines == 0) {
		buf_putc(&out, '\n');
		lines = 1;
	}
	*count = lines;
	return out.data;
}

/* Shows laid-out lines, the first baseline at y. */
static void
show_lines(struct pdf *p, const char *lines, double x, double y, double line_h, double width,
	   bool right)
{
	for (const char *l = lines; *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		show(p, l, n, right ? x + width : x, y, right);
		y += line_h;
		l += n + (nl ? 1 : 0);
	}
}

/* ---- pages ---- */

static void
footer(struct pdf *p)
{
	cairo_save(p->cr);
	font(p, 7.5, REGULAR);
	colour(p, MUTED);
	cairo_set_line_width(p->cr, 0.5);
	cairo_move_to(p->cr, MARGIN, PAGE_H - 40);
	cairo_line_to(p->cr, PAGE_W - MARGIN, PAGE_H - 40);
	cairo_stroke(p->cr);
	int n;
	const char *t = wrap(p, p->r->title, CONTENT_W - 80, 1, &n);
	show(p, t, strcspn(t, "\n"), MARGIN, PAGE_H - 28, false);
	const char *pg = arena_printf(&p->ar, "%s %d", tr(p, RW_PAGE), p->page);
	show_str(p, pg, PAGE_W - MARGIN, PAGE_H - 28, true);
	cairo_restore(p->cr);
}

static void
page_break(struct pdf *p)
{
	footer(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = MARGIN;
}

/* Starts a new page unless h more points fit on this one. Returns true when it did. */
static bool
need(struct pdf *p, double h)
{
	if (p->y + h <= BOTTOM)
		return false;
	page_break(p);
	return true;
}

/* Running text, which may flow onto the next pages. */
static void
paragraph(struct pdf *p, const char *s, double size, enum face f, struct rgb c)
{
	double line_h = size * 1.4;
	font(p, size, f);
	int n;
	const char *lines = wrap(p, s, CONTENT_W, 1000, &n);
	for (const char *l = lines; *l;) {
		size_t len = strcspn(l, "\n");
		need(p, line_h);
		font(p, size, f);
		colour(p, c);
		show(p, l, len, MARGIN, p->y + size, false);
		p->y += line_h;
		l += len + (l[len] ? 1 : 0);
	}
	p->y += size * 0.5;
}

/* A section title, kept with at least `keep` points of what follows, and in the outline. */
static void
heading(struct pdf *p, const char *s, double keep)
{
	p->y += 12;
	need(p, 30 + keep);
	font(p, 14, BOLD);
	colour(p, PRIMARY_DARK);
	int n;
	const char *lines = wrap(p, s, CONTENT_W, 2, &n);
	show_lines(p, lines, MARGIN, p->y + 14, 17, CONTENT_W, false);
	char dest[64];
	snprintf(dest, sizeof dest, "page=%d pos=[%d %d]", p->page, (int)MARGIN, (int)p->y);
	cairo_pdf_surface_add_outline(p->surface, CAIRO_PDF_OUTLINE_ROOT, clean(p, s), dest, 0);
	p->y += 17 * n + 2;
	colour(p, ACCENT);
	cairo_rectangle(p->cr, MARGIN, p->y, 28, 2.5);
	cairo_fill(p->cr);
	p->y += 10;
}

/* ---- tables ---- */

struct col {
	const char *head;
	double width;
	bool right; /* figures, aligned right */
};

struct table {
	const struct col *cols;
	size_t n;
	double size;   /* font size */
	int max_lines; /* per cell */
};

#define PAD 3.0

static void
table_head(struct pdf *p, const struct table *t)
{
	double line_h = t->size * 1.3;
	font(p, t->size, BOLD);
	int most = 1;
	for (size_t c = 0; c < t->n; c++) {
		int k;
		wrap(p, t->cols[c].head, t->cols[c].width - 2 * PAD, 2, &k);
		most = k > most ? k : most;
	}
	double h = most * line_h + 2 * PAD + 2;
	colour(p, TINT);
	cairo_rectangle(p->cr, MARGIN, p->y, CONTENT_W, h);
	cairo_fill(p->cr);
	colour(p, PRIMARY_DARK);
	double x = MARGIN;
	for (size_t c = 0; c < t->n; c++) {
		int k;
		const char *lines = wrap(p, t->cols[c].head, t->cols[c].width - 2 * PAD, 2, &k);
		show_lines(p, lines, x + PAD, p->y + PAD + t->size, line_h,
			   t->cols[c].width - 2 * PAD, t->cols[c].right);
		x += t->cols[c].width;
	}
	p->y += h;
}

/* Where a row was drawn, for what a caller adds into it. */
struct row_box {
	double y, h;
};

/* One row; a page break before it repeats the header. Muted rows are grey and italic. */
static struct row_box
table_row(struct pdf *p, const struct table *t, const char *const *cells, bool muted)
{
	double line_h = t->size * 1.3;
	enum face f = muted ? ITALIC : REGULAR;
	font(p, t->size, f);
	int most = 1;
	for (size_t c = 0; c < t->n; c++) {
		int k;
		wrap(p, cells[c], t->cols[c].width - 2 * PAD, t->max_lines, &k);
		most = k > most ? k : most;
	}
	double h = most * line_h + 2 * PAD;
	if (need(p, h)) {
		table_head(p, t);
		font(p, t->size, f);
	}
	colour(p, muted ? MUTED : INK);
	double x = MARGIN;
	for (size_t c = 0; c < t->n; c++) {
		int k;
		const char *lines = wrap(p, cells[c], t->cols[c].width - 2 * PAD, t->max_lines, &k);
		show_lines(p, lines, x + PAD, p->y + PAD + t->size, line_h,
			   t->cols[c].width - 2 * PAD, t->cols[c].right);
		x += t->cols[c].width;
	}
	colour(p, GRID);
	cairo_set_line_width(p->cr, 0.5);
	cairo_move_to(p->cr, MARGIN, p->y + h);
	cairo_line_to(p->cr, MARGIN + CONTENT_W, p->y + h);
	cairo_stroke(p->cr);
	struct row_box box = {p->y, h};
	p->y += h;
	return box;
}

/* ---- cover ---- */

static void
key_figure(struct pdf *p, double x, double w, double h, long v, const char *caption)
{
	colour(p, TINT);
	cairo_rectangle(p->cr, x, p->y, w, h);
	cairo_fill(p->cr);
	colour(p, PRIMARY_DARK);
	font(p, 20, BOLD);
	show_str(p, arena_printf(&p->ar, "%ld", v), x + 8, p->y + 26, false);
	font(p, 8, REGULAR);
	colour(p, INK);
	int n;
	const char *lines = wrap(p, caption, w - 16, 2, &n);
	show_lines(p, lines, x + 8, p->y + 40, 10, w - 16, false);
}

static void
cover(struct pdf *p)
{
	const struct insight_report *r = p->r;
	colour(p, PRIMARY_DARK);
	cairo_rectangle(p->cr, 0, 0, PAGE_W, 30);
	cairo_fill(p->cr);
	font(p, 9, BOLD);
	colour(p, WHITE);
	show_str(p, "COEXIST", MARGIN, 19, false);
	font(p, 9, REGULAR);
	show_str(p, arena_printf(&p->ar, "%s %s", tr(p, RW_PRODUCED_ON), report_date(r, &p->ar)),
		 PAGE_W - MARGIN, 19, true);
	p->y = 58;

	font(p, 22, BOLD);
	colour(p, PRIMARY_DARK);
	int n;
	const char *lines = wrap(p, r->title, CONTENT_W, 3, &n);
	show_lines(p, lines, MARGIN, p->y + 22, 27, CONTENT_W, false);
	cairo_pdf_surface_add_outline(p->surface, CAIRO_PDF_OUTLINE_ROOT, clean(p, r->title),
				      "page=1 pos=[50 50]", 0);
	p->y += 27 * n + 6;
	if (r->subtitle)
		paragraph(p, r->subtitle, 12, REGULAR, MUTED);
	p->y += 8;

	/* Key figures: how many cases, and how they split. */
	const long v[4] = {r->ncases, r->nsuccess, r->nfailure, r->left_out};
	const enum report_word cap[4] = {RW_CASES_ANALYSED, RW_SUCCESSFUL, RW_UNSUCCESSFUL,
					 RW_LEFT_OUT};
	double gap = 8, w = (CONTENT_W - 3 * gap) / 4;
	for (int i = 0; i < 4; i++)
		key_figure(p, MARGIN + i * (w + gap), w, 62, v[i], tr(p, cap[i]));
	p->y += 62 + 14;

	/* The caveat, in a box of its own so that no one quotes a figure without it. */
	font(p, 9, REGULAR);
	lines = wrap(p, report_caveat(r), CONTENT_W - 24, 12, &n);
	double h = 14 + 13 + n * 12.5 + 6;
	colour(p, SAND);
	cairo_rectangle(p->cr, MARGIN, p->y, CONTENT_W, h);
	cairo_fill(p->cr);
	colour(p, ACCENT);
	cairo_rectangle(p->cr, MARGIN, p->y, 3, h);
	cairo_fill(p->cr);
	font(p, 9.5, BOLD);
	colour(p, ACCENT_INK);
	show_str(p, tr(p, RW_CAVEAT), MARGIN + 12, p->y + 18, false);
	font(p, 9, REGULAR);
	colour(p, INK);
	show_lines(p, lines, MARGIN + 12, p->y + 32, 12.5, CONTENT_W - 24, false);
	p->y += h + 6;
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

static void
line(struct pdf *p, double x1, double y1, double x2, double y2, double width)
{
	cairo_set_line_width(p->cr, width);
	cairo_move_to(p->cr, x1, y1);
	cairo_line_to(p->cr, x2, y2);
	cairo_stroke(p->cr);
}

/* An end of a whisker: a cap, or an arrowhead (dir -1 left, +1 right) when the interval goes
 * on beyond the axis. */
static void
whisker_end(struct pdf *p, double x, double y, bool open, int dir)
{
	if (!open) {
		line(p, x, y - 3, x, y + 3, 1);
		return;
	}
	cairo_set_line_width(p->cr, 1);
	cairo_move_to(p->cr, x - dir * 4, y - 3);
	cairo_line_to(p->cr, x, y);
	cairo_line_to(p->cr, x - dir * 4, y + 3);
	cairo_stroke(p->cr);
}

static void
forest_row(struct pdf *p, const struct ifactor *f, const struct axis *a, double y, double lw)
{
	const char *label = report_label(p->r, f->item);
	font(p, 8.5, f->too_few ? ITALIC : REGULAR);
	colour(p, f->too_few ? MUTED : INK);
	int n;
	const char *l =
		wrap(p, f->too_few ? arena_printf(&p->ar, "%s †", label) : label, lw, 1, &n);
	show(p, l, strcspn(l, "\n"), MARGIN, y + 3, false);
	if (!ratio_ok(f->odds_ratio))
		return;
	bool up = f->odds_ratio >= 1;
	struct rgb c = up ? PRIMARY : ACCENT_INK, soft = up ? PRIMARY_SOFT : ACCENT_SOFT;
	if (f->too_few) {
		static const double dash[] = {2.5, 2};
		cairo_set_dash(p->cr, dash, 2, 0);
	}
	colour(p, f->too_few ? soft : c);
	if (ratio_ok(f->ci_low) && ratio_ok(f->ci_high)) {
		double x1 = axis_x(a, f->ci_low), x2 = axis_x(a, f->ci_high);
		colour(p, c);
		line(p, x1, y, x2, y, 1.2);
		cairo_set_dash(p->cr, NULL, 0, 0);
		/* Caps, or open ends when the interval goes on beyond the axis. */
		whisker_end(p, x1, y, f->ci_low < a->lo, -1);
		whisker_end(p, x2, y, f->ci_high > a->hi, +1);
	}
	cairo_set_dash(p->cr, NULL, 0, 0);
	cairo_new_path(p->cr);
	cairo_arc(p->cr, axis_x(a, f->odds_ratio), y, 3.4, 0, 2 * M_PI);
	colour(p, f->too_few ? soft : c);
	cairo_fill_preserve(p->cr);
	colour(p, c);
	cairo_set_line_width(p->cr, 1);
	cairo_stroke(p->cr);
}

/* The forest plot of the first factors, drawn natively so that it prints sharp. */
static void
forest(struct pdf *p, const struct ifactors *fs)
{
	size_t n = fs->n < FOREST_ROWS ? fs->n : FOREST_ROWS;
	const double row_h = 15, lw = 185;
	struct axis a;
	axis_domain(fs->rows, n, &a);
	a.x0 = MARGIN + lw + 16;
	a.span = MARGIN + CONTENT_W - 12 - a.x0;
	double h = n * row_h + 44;
	need(p, h);
	double top = p->y, axis_y = top + n * row_h + 4;

	colour(p, GRID);
	font(p, 7.5, REGULAR);
	for (size_t t = 0; t < NTICKS; t++) {
		if (tick_value[t] < a.lo || tick_value[t] > a.hi)
			continue;
		double x = axis_x(&a, tick_value[t]);
		colour(p, GRID);
		line(p, x, top, x, axis_y + 3, 0.5);
		colour(p, MUTED);
		int decimals = tick_value[t] >= 1 ? 0 : tick_value[t] == 0.25 ? 2 : 1;
		const char *s = report_num(p->r, tick_value[t], decimals, &p->ar);
		double w = advance(p, s, strlen(s));
		show_str(p, s, x - w / 2, axis_y + 13, false);
	}
	colour(p, MUTED);
	line(p, a.x0, axis_y, a.x0 + a.span, axis_y, 0.6);
	colour(p, INK);
	line(p, axis_x(&a, 1), top, axis_x(&a, 1), axis_y, 1);
	for (size_t i = 0; i < n; i++)
		forest_row(p, &fs->rows[i], &a, top + i * row_h + row_h / 2, lw);

	font(p, 7.5, REGULAR);
	colour(p, MUTED);
	show_str(p, arena_printf(&p->ar, "← %s", tr(p, RW_LESS)), a.x0, axis_y + 26, false);
	show_str(p, arena_printf(&p->ar, "%s →", tr(p, RW_MORE)), a.x0 + a.span, axis_y + 26, true);
	p->y = top + h;
}

static const char *
rate_cell(struct pdf *p, double rate, long n)
{
	return arena_printf(&p->ar, "%s (%ld)", report_pct(p->r, rate, &p->ar), n);
}

static const char *
q_cell(struct pdf *p, double q)
{
	if (isfinite(q) && q < 0.001)
		return arena_printf(&p->ar, "< %s", report_num(p->r, 0.001, 3, &p->ar));
	return report_num(p->r, q, 3, &p->ar);
}

static void
factors(struct pdf *p, const struct ifactors *fs)
{
	heading(p, tr(p, RW_H_FACTORS), 80);
	if (fs->n == 0) {
		paragraph(p, tr(p, RW_NO_DATA), 9.5, REGULAR, INK);
		return;
	}
	paragraph(p, tr(p, RW_FOREST_NOTE), 9, REGULAR, INK);
	if (fs->n > FOREST_ROWS)
		paragraph(p, tr(p, RW_FOREST_TOP), 9, ITALIC, MUTED);
	forest(p, fs);
	p->y += 10;

	const struct col cols[] = {
		{tr(p, RW_FACTOR), 195, false},        {tr(p, RW_SUCCESS_WITH), 72, true},
		{tr(p, RW_SUCCESS_WITHOUT), 72, true}, {tr(p, RW_OR_CI), 106, true},
		{tr(p, RW_Q), CONTENT_W - 445, true},
	};
	const struct table t = {cols, sizeof cols / sizeof cols[0], 8.5, 2};
	need(p, 50);
	table_head(p, &t);
	for (size_t i = 0; i < fs->n; i++) {
		const struct ifactor *f = &fs->rows[i];
		double with, without;
		long nwith, nwithout;
		report_rates(f, &with, &nwith, &without, &nwithout);
		const char *label = report_label(p->r, f->item);
		const char *cells[5] = {
			f->too_few ? arena_printf(&p->ar, "%s †", label) : label,
			rate_cell(p, with, nwith),
			rate_cell(p, without, nwithout),
			arena_printf(&p->ar, "%s [%s–%s]",
				     report_num(p->r, f->odds_ratio, 2, &p->ar),
				     report_num(p->r, f->ci_low, 2, &p->ar),
				     report_num(p->r, f->ci_high, 2, &p->ar)),
			q_cell(p, f->q),
		};
		table_row(p, &t, cells, f->too_few);
	}
	p->y += 6;
	paragraph(p, tr(p, RW_TOO_FEW_NOTE), 7.5, REGULAR, MUTED);
}

/* ---- combinations ---- */

static const char *
support_cell(struct pdf *p, long n, double share)
{
	return arena_printf(&p->ar, "%ld (%s)", n, report_pct(p->r, share, &p->ar));
}

static void
itemsets(struct pdf *p, const struct iitemsets *is)
{
	heading(p, tr(p, RW_H_ITEMSETS), 80);
	if (is->n == 0) {
		paragraph(p, tr(p, RW_NO_DATA), 9.5, REGULAR, INK);
		return;
	}
	paragraph(p, tr(p, RW_ITEMSETS_NOTE), 9, REGULAR, INK);
	const struct col cols[] = {
		{tr(p, RW_COMBINATION), 235, false},     {tr(p, RW_SUCCESSFUL_WITH), 75, true},
		{tr(p, RW_UNSUCCESSFUL_WITH), 75, true}, {tr(p, RW_SUCCESS_RATE), 60, true},
		{tr(p, RW_LIFT), CONTENT_W - 445, true},
	};
	const struct table t = {cols, sizeof cols / sizeof cols[0], 8.5, 4};
	need(p, 50);
	table_head(p, &t);
	size_t n = is->n < ITEMSET_ROWS ? is->n : ITEMSET_ROWS;
	for (size_t i = 0; i < n; i++) {
		const struct iitemset *s = &is->rows[i];
		const char *cells[5] = {
			report_join(p->r, s->items, s->nitems, &p->ar),
			support_cell(p, s->support_success, s->share_success),
			support_cell(p, s->support_failure, s->share_failure),
			report_pct(p->r, s->confidence, &p->ar),
			report_num(p->r, s->lift, 2, &p->ar),
		};
		table_row(p, &t, cells, false);
	}
}

/* ---- obstacles ---- */

/* A small stacked bar: overcome, partly, not overcome, as shares of the cases that met it. */
static void
obstacle_bar(struct pdf *p, const struct iobstacle *o, double x, double w, struct row_box b)
{
	const long part[3] = {o->overcome, o->partly, o->not_overcome};
	const struct rgb fill[3] = {PRIMARY, PARTLY, ACCENT};
	long total = part[0] + part[1] + part[2];
	if (total <= 0)
		return;
	double y = b.y + PAD + 1;
	for (int k = 0; k < 3; k++) {
		double len = w * (double)part[k] / (double)total;
		colour(p, fill[k]);
		cairo_rectangle(p->cr, x, y, len, 8);
		cairo_fill(p->cr);
		x += len;
	}
}

static void
obstacles(struct pdf *p, const struct iobstacles *os)
{
	heading(p, tr(p, RW_H_OBSTACLES), 80);
	if (os->n == 0) {
		paragraph(p, tr(p, RW_NO_DATA), 9.5, REGULAR, INK);
		return;
	}
	const double bar_w = CONTENT_W - 415;
	const struct col cols[] = {
		{tr(p, RW_OBSTACLE), 170, false},   {tr(p, RW_MET), 58, true},
		{tr(p, RW_OVERCOME), 62, true},     {tr(p, RW_PARTLY), 55, true},
		{tr(p, RW_NOT_OVERCOME), 70, true}, {"", bar_w, false},
	};
	const struct table t = {cols, sizeof cols / sizeof cols[0], 8.5, 4};
	need(p, 50);
	table_head(p, &t);
	for (size_t i = 0; i < os->n; i++) {
		const struct iobstacle *o = &os->rows[i];
		struct buf label;
		buf_init(&label, &p->ar);
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
					   report_pct(p->r, o->common_share[k], &p->ar));
		}
		const char *cells[6] = {
			label.data,
			arena_printf(&p->ar, "%ld", o->met),
			arena_printf(&p->ar, "%ld", o->overcome),
			arena_printf(&p->ar, "%ld", o->partly),
			arena_printf(&p->ar, "%ld", o->not_overcome),
			"",
		};
		struct row_box b = table_row(p, &t, cells, false);
		obstacle_bar(p, o, MARGIN + 415 + PAD, bar_w - 2 * PAD, b);
	}
	/* The bar's legend, once. */
	p->y += 6;
	need(p, 14);
	const struct rgb fill[3] = {PRIMARY, PARTLY, ACCENT};
	const enum report_word name[3] = {RW_OVERCOME, RW_PARTLY, RW_NOT_OVERCOME};
	double x = MARGIN;
	font(p, 7.5, REGULAR);
	for (int k = 0; k < 3; k++) {
		colour(p, fill[k]);
		cairo_rectangle(p->cr, x, p->y + 1, 8, 8);
		cairo_fill(p->cr);
		colour(p, MUTED);
		show_str(p, tr(p, name[k]), x + 11, p->y + 8, false);
		x += 11 + advance(p, tr(p, name[k]), strlen(tr(p, name[k]))) + 14;
	}
	p->y += 14;
}

/* ---- words ---- */

static void
word_cells(struct pdf *p, const struct iterm *t, size_t n, size_t i, const char **cells)
{
	if (i >= n) {
		cells[0] = cells[1] = cells[2] = "";
		return;
	}
	cells[0] = t[i].word ? t[i].word : t[i].stem;
	cells[1] = report_num(p->r, t[i].z, 1, &p->ar);
	cells[2] = arena_printf(&p->ar, "%zu", t[i].ncases);
}

static void
words(struct pdf *p, const struct iterms *tm)
{
	heading(p, tr(p, RW_H_WORDS), 80);
	if (tm->nsuccess == 0 && tm->nfailure == 0) {
		paragraph(p, tr(p, RW_NO_DATA), 9.5, REGULAR, INK);
		return;
	}
	paragraph(p, tr(p, RW_WORDS_NOTE), 9, REGULAR, INK);
	const double half = CONTENT_W / 2;
	const struct col cols[] = {
		{tr(p, RW_WORDS_SUCCESS), half - 90, false},
		{tr(p, RW_Z), 40, true},
		{tr(p, RW_CASES), 50, true},
		{tr(p, RW_WORDS_FAILURE), half - 90, false},
		{tr(p, RW_Z), 40, true},
		{tr(p, RW_CASES), 50, true},
	};
	const struct table t = {cols, sizeof cols / sizeof cols[0], 8.5, 1};
	need(p, 50);
	table_head(p, &t);
	size_t n = tm->nsuccess > tm->nfailure ? tm->nsuccess : tm->nfailure;
	n = n < WORD_ROWS ? n : WORD_ROWS;
	for (size_t i = 0; i < n; i++) {
		const char *cells[6];
		word_cells(p, tm->success, tm->nsuccess, i, cells);
		word_cells(p, tm->failure, tm->nfailure, i, cells + 3);
		table_row(p, &t, cells, false);
	}
}

/* ---- partners ---- */

static void
partners(struct pdf *p, const struct ipairs *ps)
{
	heading(p, tr(p, RW_H_PAIRS), 80);
	if (ps->pairs == 0) {
		paragraph(p, tr(p, RW_NO_DATA), 9.5, REGULAR, INK);
		return;
	}
	const char *share = report_pct(p->r, (double)ps->outcome_agree / (double)ps->pairs, &p->ar);
	const char *s =
		report_fr(p->r)
			? arena_printf(&p->ar,
				       "%ld partenariats décrits par l’ONG et par l’entreprise ; "
				       "les deux donnent le même résultat dans %ld cas (%s).",
				       ps->pairs, ps->outcome_agree, share)
			: arena_printf(
				  &p->ar,
				  "%ld partnerships described by both the NGO and the company; "
				  "both give the same outcome in %ld of them (%s).",
				  ps->pairs, ps->outcome_agree, share);
	paragraph(p, s, 9.5, REGULAR, INK);
	if (ps->n == 0)
		return;
	paragraph(p, tr(p, RW_PAIRS_NOTE), 9, REGULAR, INK);
	const struct col cols[] = {
		{tr(p, RW_ITEM), 195, false},   {tr(p, RW_BOTH), 60, true},
		{tr(p, RW_ONLY_NGO), 60, true}, {tr(p, RW_ONLY_COMPANY), 65, true},
		{tr(p, RW_NEITHER), 55, true},  {tr(p, RW_AGREEMENT), CONTENT_W - 435, true},
	};
	const struct table t = {cols, sizeof cols / sizeof cols[0], 8.5, 2};
	need(p, 50);
	table_head(p, &t);
	size_t n = ps->n < PAIR_ROWS ? ps->n : PAIR_ROWS;
	for (size_t i = 0; i < n; i++) {
		const struct ipair_factor *f = &ps->rows[i];
		const char *cells[6] = {
			report_label(p->r, f->item),
			arena_printf(&p->ar, "%ld", f->both),
			arena_printf(&p->ar, "%ld", f->only_ngo),
			arena_printf(&p->ar, "%ld", f->only_company),
			arena_printf(&p->ar, "%ld", f->neither),
			report_pct(p->r, f->agreement, &p->ar),
		};
		table_row(p, &t, cells, false);
	}
}

/* ---- the document ---- */

static cairo_status_t
write_out(void *closure, const unsigned char *data, unsigned int length)
{
	buf_add(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

/* Appends the report as an A4 PDF to out. 0, or -1 with err (out is then left as it was). */
int
insight_report_pdf(const struct insight_report *r, struct buf *out, char *err, size_t errlen)
{
	size_t start = out->len;
	struct pdf p = {.r = r, .page = 1};
	p.surface = cairo_pdf_surface_create_for_stream(write_out, out, PAGE_W, PAGE_H);
	if (cairo_surface_status(p.surface) != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "pdf: %s",
			 cairo_status_to_string(cairo_surface_status(p.surface)));
		cairo_surface_destroy(p.surface);
		return -1;
	}
	arena_init(&p.ar, 16384);
	buf_init(&p.scratch, NULL);
	cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE, clean(&p, r->title));
	cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR, "COEXIST");
	p.cr = cairo_create(p.surface);

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
	footer(&p);

	cairo_status_t st = cairo_status(p.cr);
	cairo_destroy(p.cr);
	cairo_surface_finish(p.surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(p.surface);
	cairo_surface_destroy(p.surface);
	buf_free(&p.scratch);
	arena_free(&p.ar);
	if (st != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "pdf: %s", cairo_status_to_string(st));
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		return -1;
	}
	return 0;
}
