/* svg.c - accessible SVG charts drawn by the server: bars, forest plots, stacked bars.
 *
 * The charts go inline into HTML pages served under a Content-Security-Policy that forbids
 * inline styles, so every look is a presentation attribute (fill, stroke, font-size, ...) and
 * never a style attribute or element. Every text from the caller is escaped; links are kept
 * only when they are site-relative paths. The drawing is laid out in a 400-unit-wide viewBox
 * that the page scales to its width: at 360 px the text is still about 11 px. The table that
 * gives the same figures to screen readers and to the curious is the page's job. */
#include "svg.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "base/buf.h"
#include "html.h"

/* Geometry, in viewBox units. */
#define W       400.0 /* viewBox width */
#define FONT    13.0  /* labels */
#define SMALL   11.0  /* figures under labels, ticks, captions, legend */
#define CHAR_EM 0.53  /* average advance of a sans-serif character, in em: a safe estimate */
#define LINE    15.0  /* distance between two label lines */
#define BAR_H   16.0  /* thickness of a bar */
#define GAP     8.0   /* between the label column and the plot */
#define TOP     6.0   /* above the first row */
#define MIN_ROW 26.0  /* a row is at least this tall: a touch target of about 23 px at 360 px */

/* The site's palette (static/app.css :root). */
#define INK          "#1c2a31" /* --ink */
#define INK_MUTED    "#4d5d65" /* --muted */
#define PRIMARY      "#0b5c69" /* --primary */
#define PRIMARY_SOFT "#c9dfe2" /* --primary, lightened: rows with too few cases */
#define PARTLY       "#8fbcc2" /* between primary and its soft tint */
#define ACCENT       "#9c430f" /* --accent-ink: white on it reads at 6.2:1 */
#define ACCENT_SOFT  "#f0d6c6" /* --accent, lightened */
#define GRID         "#d3dadb" /* --border */

/* ---- small writers ---- */

static void
esc(struct buf *out, const char *s)
{
	if (s)
		html_text(out, s, strlen(s));
}

/* A coordinate with one decimal, written without printf so that no locale can turn the point
 * into a comma. */
static void
num(struct buf *out, double v)
{
	if (!isfinite(v))
		v = 0;
	long t = lround(v * 10.0);
	if (t < 0) {
		buf_putc(out, '-');
		t = -t;
	}
	buf_printf(out, "%ld", t / 10);
	if (t % 10)
		buf_printf(out, ".%ld", t % 10);
}

/* name="v" with a leading space. */
static void
attr_num(struct buf *out, const char *name, double v)
{
	buf_putc(out, ' ');
	buf_puts(out, name);
	buf_puts(out, "=\"");
	num(out, v);
	buf_putc(out, '"');
}

/* Only site-relative paths may be linked from a chart: "/cases?item=x". A protocol-relative
 * "//host" or "/\host" (which browsers read as "//host") leaves the site, so it is refused
 * like any scheme. */
static bool
href_ok(const char *h)
{
	if (h == NULL || h[0] != '/' || h[1] == '/' || h[1] == '\\')
		return false;
	return html_url_safe(h, strlen(h));
}

/* Opens a row: a link to the cases behind it when it has a good href, a group otherwise. */
static void
row_open(struct buf *out, const char *href, const char *cls)
{
	if (href_ok(href)) {
		buf_puts(out, "<a href=\"");
		html_attr(out, href, strlen(href));
		buf_puts(out, "\" class=\"");
	} else {
		buf_puts(out, "<g class=\"");
	}
	buf_puts(out, cls);
	buf_puts(out, "\">");
}

static void
row_close(struct buf *out, const char *href)
{
	buf_puts(out, href_ok(href) ? "</a>\n" : "</g>\n");
}

/* A transparent rectangle over the whole row, so that a link is easy to hit with a finger. */
static void
hit_area(struct buf *out, const char *href, double y, double h)
{
	if (!href_ok(href))
		return;
	buf_puts(out, "<rect x=\"0\"");
	attr_num(out, "y", y);
	attr_num(out, "width", W);
	attr_num(out, "height", h);
	buf_puts(out, " fill=\"#fff\" fill-opacity=\"0\"/>");
}

static void
svg_open(struct buf *out, const char *id, const char *kind, const char *title, const char *desc,
	 double height)
{
	if (id == NULL || *id == '\0')
		id = "chart";
	buf_puts(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg chart-");
	buf_puts(out, kind);
	buf_puts(out, "\" role=\"img\" aria-labelledby=\"");
	html_attr(out, id, strlen(id));
	buf_puts(out, "-title ");
	html_attr(out, id, strlen(id));
	buf_puts(out, "-desc\" viewBox=\"0 0 ");
	num(out, W);
	buf_putc(out, ' ');
	num(out, ceil(height));
	buf_puts(out, "\" width=\"100%\" font-family=\"system-ui, sans-serif\" font-size=\"13\" "
		      "fill=\"" INK "\">\n<title id=\"");
	html_attr(out, id, strlen(id));
	buf_puts(out, "-title\">");
	esc(out, title);
	buf_puts(out, "</title>\n<desc id=\"");
	html_attr(out, id, strlen(id));
	buf_puts(out, "-desc\">");
	esc(out, desc);
	buf_puts(out, "</desc>\n");
}

/* A chart with nothing to draw still says what it is, and that there is no data. The contract
 * has no language, so the words come in both of the site's languages. */
static void
svg_empty(struct buf *out, const char *id, const char *kind, const char *title, const char *desc)
{
	svg_open(out, id, kind, title, desc, 40);
	buf_puts(out, "<text x=\"200\" y=\"25\" text-anchor=\"middle\" fill=\"" INK_MUTED
		      "\"><tspan lang=\"fr\">Aucune donnée</tspan> · <tspan lang=\"en\">No "
		      "data</tspan></text>\n</svg>\n");
}

/* ---- text measure and wrapping ---- */

static size_t
chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* Estimated width of a text at a font size: enough to keep texts from running into bars. */
static double
text_width(const char *s, double size)
{
	return s ? (double)chars(s, strlen(s)) * CHAR_EM * size : 0;
}

/* Byte offset after the first `count` characters of s[0..n). */
static size_t
skip_chars(const char *s, size_t n, size_t count)
{
	size_t i = 0;
	while (i < n && count > 0) {
		i++;
		while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		count--;
	}
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

/* Where to end a line of at most max characters of s[0..n): after the last word that fits,
 * or in the middle of a word too long for any line. */
static size_t
break_at(const char *s, size_t n, size_t max)
{
	size_t end = skip_chars(s, n, max);
	if (end >= n)
		return n;
	for (size_t i = end; i > 0; i--)
		if (s[i] == ' ' && breakable(s, n, i))
			return i;
	return end;
}

/* A label laid out on one or two lines; cut means the second line ends with an ellipsis and
 * the full label goes into a <title> child. */
struct wrapped {
	const char *l1, *l2;
	size_t n1, n2;
	bool cut;
	int lines;
};

static void
wrap(const char *s, size_t max, struct wrapped *w)
{
	if (s == NULL)
		s = "";
	if (max < 4)
		max = 4;
	size_t n = strlen(s);
	memset(w, 0, sizeof *w);
	w->l1 = s;
	w->lines = 1;
	if (chars(s, n) <= max) {
		w->n1 = n;
		return;
	}
	w->n1 = break_at(s, n, max);
	size_t i = w->n1;
	while (i < n && s[i] == ' ')
		i++;
	w->l2 = s + i;
	w->n2 = n - i;
	w->lines = 2;
	if (chars(w->l2, w->n2) > max) {
		w->n2 = break_at(w->l2, w->n2, max - 1);
		while (w->n2 > 0 && w->l2[w->n2 - 1] == ' ')
			w->n2--;
		w->cut = true;
	}
	while (w->n1 > 0 && s[w->n1 - 1] == ' ')
		w->n1--;
}

/* Writes a wrapped label as one <text> whose first baseline is y. */
static void
label_text(struct buf *out, const struct wrapped *w, const char *full, double x, double y,
	   const char *anchor)
{
	buf_puts(out, "<text");
	attr_num(out, "x", x);
	attr_num(out, "y", y);
	if (anchor) {
		buf_puts(out, " text-anchor=\"");
		buf_puts(out, anchor);
		buf_putc(out, '"');
	}
	buf_putc(out, '>');
	if (w->cut) {
		buf_puts(out, "<title>");
		esc(out, full);
		buf_puts(out, "</title>");
	}
	html_text(out, w->l1, w->n1);
	if (w->lines == 2) {
		buf_puts(out, "<tspan");
		attr_num(out, "x", x);
		attr_num(out, "dy", LINE);
		buf_putc(out, '>');
		html_text(out, w->l2, w->n2);
		if (w->cut)
			buf_puts(out, "…");
		buf_puts(out, "</tspan>");
	}
	buf_puts(out, "</text>");
}

/* Width of the label column: as wide as the longest label, within limits that leave the plot
 * at least half of the chart. */
static double
label_column(double widest)
{
	if (widest < 60)
		return 60;
	return widest > W * 0.42 ? W * 0.42 : widest;
}

static size_t
chars_per_line(double width, double size)
{
	return (size_t)(width / (CHAR_EM * size) + 1e-6); /* a column made for n chars holds n */
}

static double
row_height(int lines)
{
	double h = lines * LINE + 10;
	return h < MIN_ROW ? MIN_ROW : h;
}

/* The first baseline that centres `lines` lines of text on cy. */
static double
first_baseline(double cy, int lines, double size)
{
	return cy - (lines - 1) * LINE / 2 + size * 0.35;
}

static double
clamp01(double v)
{
	if (!isfinite(v) || v < 0)
		return 0;
	return v > 1 ? 1 : v;
}

/* ---- bars ---- */

/* Horizontal bars, each as long as its value against max (the largest value when max is not
 * positive), with its text at its end. */
void
svg_bars(struct buf *out, const char *id, const char *title, const char *desc,
	 const struct svg_bar *bars, size_t n, double max)
{
	if (n == 0 || bars == NULL) {
		svg_empty(out, id, "bars", title, desc);
		return;
	}
	double widest = 0, text_w = 0, top = 0;
	for (size_t i = 0; i < n; i++) {
		double lw = text_width(bars[i].label, FONT);
		double tw = text_width(bars[i].text, SMALL);
		widest = lw > widest ? lw : widest;
		text_w = tw > text_w ? tw : text_w;
		if (isfinite(bars[i].value) && bars[i].value > top)
			top = bars[i].value;
	}
	if (!(max > 0) || !isfinite(max))
		max = top;
	double lw = label_column(widest);
	size_t per_line = chars_per_line(lw, FONT);
	if (text_w > W * 0.3)
		text_w = W * 0.3;
	double x0 = lw + GAP, span = W - x0 - text_w - 6;

	double height = TOP * 2;
	for (size_t i = 0; i < n; i++) {
		struct wrapped w;
		wrap(bars[i].label, per_line, &w);
		height += row_height(w.lines);
	}
	svg_open(out, id, "bars", title, desc, height);

	double y = TOP;
	for (size_t i = 0; i < n; i++) {
		const struct svg_bar *b = &bars[i];
		struct wrapped w;
		wrap(b->label, per_line, &w);
		double h = row_height(w.lines), cy = y + h / 2;
		double len = max > 0 ? clamp01(b->value / max) * span : 0;
		row_open(out, b->href, b->muted ? "row muted" : "row");
		hit_area(out, b->href, y, h);
		label_text(out, &w, b->label, 0, first_baseline(cy, w.lines, FONT), NULL);
		buf_puts(out, "<rect class=\"bar\"");
		attr_num(out, "x", x0);
		attr_num(out, "y", cy - BAR_H / 2);
		attr_num(out, "width", len);
		attr_num(out, "height", BAR_H);
		if (b->muted)
			buf_puts(out, " fill=\"" PRIMARY_SOFT "\" stroke=\"" PRIMARY
				      "\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>");
		else
			buf_puts(out, " fill=\"" PRIMARY "\"/>");
		if (b->text) {
			buf_puts(out, "<text font-size=\"11\"");
			attr_num(out, "x", x0 + len + 5);
			attr_num(out, "y", cy + SMALL * 0.35);
			if (b->muted)
				buf_puts(out, " fill=\"" INK_MUTED "\"");
			buf_putc(out, '>');
			esc(out, b->text);
			buf_puts(out, "</text>");
		}
		row_close(out, b->href);
		y += h;
	}
	/* The zero line, so that a bar of length 0 still reads as "none". */
	buf_puts(out, "<line");
	attr_num(out, "x1", x0);
	attr_num(out, "x2", x0);
	attr_num(out, "y1", TOP);
	attr_num(out, "y2", y);
	buf_puts(out, " stroke=\"" INK_MUTED "\" stroke-width=\"1\"/>\n</svg>\n");
}

/* ---- forest plot ---- */

/* Ticks of an odds-ratio axis and how each is written: fractions read the same in French and
 * English and say what a ratio under 1 means ("a quarter of the odds"). */
static const double tick_value[] = {0.1, 0.25, 0.5, 1, 2, 4, 10};
static const char *const tick_text[] = {"1/10", "1/4", "1/2", "1", "2", "4", "10"};
#define NTICKS (sizeof tick_value / sizeof tick_value[0])

struct axis {
	double lo, hi;   /* domain, two ticks */
	double x0, span; /* where it is drawn */
};

static double
axis_x(const struct axis *a, double v)
{
	if (!(v > 0) || !isfinite(v))
		v = a->lo;
	if (v < a->lo)
		v = a->lo;
	if (v > a->hi)
		v = a->hi;
	return a->x0 + (log(v) - log(a->lo)) / (log(a->hi) - log(a->lo)) * a->span;
}

static bool
ratio_ok(double v)
{
	return isfinite(v) && v > 0;
}

/* The domain: from the tick at or below the smallest figure to the tick at or above the
 * largest, always holding 1, never wider than 1/10..10 (wider intervals are drawn open). */
static void
axis_domain(const struct svg_interval *rows, size_t n, struct axis *a)
{
	double lo = 1, hi = 1;
	for (size_t i = 0; i < n; i++) {
		const double v[3] = {rows[i].estimate, rows[i].low, rows[i].high};
		for (int k = 0; k < 3; k++) {
			if (!ratio_ok(v[k]))
				continue;
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
	if (a->lo >= a->hi) { /* every figure is exactly 1 */
		a->lo = 0.5;
		a->hi = 2;
	}
}

/* An end of a whisker: a short upright cap, or an arrowhead when the interval goes on beyond
 * the axis. dir is -1 at the low end, +1 at the high end. */
static void
whisker_end(struct buf *out, double x, double cy, bool open, int dir, const char *colour)
{
	if (open) {
		buf_puts(out, "<path d=\"M");
		num(out, x);
		buf_putc(out, ' ');
		num(out, cy - 4);
		buf_puts(out, "L");
		num(out, x + dir * 6);
		buf_putc(out, ' ');
		num(out, cy);
		buf_puts(out, "L");
		num(out, x);
		buf_putc(out, ' ');
		num(out, cy + 4);
		buf_puts(out, "Z\" fill=\"");
	} else {
		buf_puts(out, "<line");
		attr_num(out, "x1", x);
		attr_num(out, "x2", x);
		attr_num(out, "y1", cy - 4);
		attr_num(out, "y2", cy + 4);
		buf_puts(out, " stroke-width=\"1.5\" stroke=\"");
	}
	buf_puts(out, colour);
	buf_puts(out, "\"/>");
}

static void
vline(struct buf *out, const char *cls, double x, double y1, double y2, const char *colour,
      const char *width)
{
	buf_puts(out, "<line class=\"");
	buf_puts(out, cls);
	buf_putc(out, '"');
	attr_num(out, "x1", x);
	attr_num(out, "x2", x);
	attr_num(out, "y1", y1);
	attr_num(out, "y2", y2);
	buf_puts(out, " stroke=\"");
	buf_puts(out, colour);
	buf_puts(out, "\" stroke-width=\"");
	buf_puts(out, width);
	buf_puts(out, "\"/>");
}

/* A small horizontal arrow from x1 to x2 (its head) on y. */
static void
arrow(struct buf *out, double x1, double x2, double y)
{
	int dir = x2 > x1 ? 1 : -1;
	buf_puts(out, "<path d=\"M");
	num(out, x1);
	buf_putc(out, ' ');
	num(out, y);
	buf_puts(out, "H");
	num(out, x2);
	buf_puts(out, "M");
	num(out, x2 - dir * 4);
	buf_putc(out, ' ');
	num(out, y - 3);
	buf_puts(out, "L");
	num(out, x2);
	buf_putc(out, ' ');
	num(out, y);
	buf_puts(out, "L");
	num(out, x2 - dir * 4);
	buf_putc(out, ' ');
	num(out, y + 3);
	buf_puts(out, "\" fill=\"none\" stroke=\"" INK_MUTED "\" stroke-width=\"1.2\"/>");
}

/* One row of the forest plot: its label and figures on the left, its interval on the axis. */
static void
forest_row(struct buf *out, const struct svg_interval *r, const struct axis *a, size_t per_line,
	   double y, double h)
{
	struct wrapped w;
	wrap(r->label, per_line, &w);
	int lines = w.lines + (r->text ? 1 : 0);
	double cy = y + h / 2, base = first_baseline(cy, lines, FONT);
	/* Above 1 the factor goes with success: the site's teal; below, its terracotta. */
	bool up = ratio_ok(r->estimate) && r->estimate >= 1;
	const char *colour = up ? PRIMARY : ACCENT;
	const char *soft = up ? PRIMARY_SOFT : ACCENT_SOFT;

	row_open(out, r->href, r->muted ? "row muted" : "row");
	hit_area(out, r->href, y, h);
	label_text(out, &w, r->label, 0, base, NULL);
	if (r->text) {
		buf_puts(out, "<text font-size=\"11\" fill=\"" INK_MUTED "\" x=\"0\"");
		attr_num(out, "y", base + w.lines * LINE);
		buf_putc(out, '>');
		esc(out, r->text);
		buf_puts(out, "</text>");
	}
	if (ratio_ok(r->low) && ratio_ok(r->high) && r->low <= r->high) {
		double x1 = axis_x(a, r->low), x2 = axis_x(a, r->high);
		buf_puts(out, "<line class=\"ci\"");
		attr_num(out, "x1", x1);
		attr_num(out, "x2", x2);
		attr_num(out, "y1", cy);
		attr_num(out, "y2", cy);
		buf_puts(out, " stroke-width=\"2\" stroke=\"");
		buf_puts(out, colour);
		buf_puts(out, r->muted ? "\" stroke-dasharray=\"4 3\"/>" : "\"/>");
		whisker_end(out, x1, cy, r->low < a->lo, -1, colour);
		whisker_end(out, x2, cy, r->high > a->hi, +1, colour);
	}
	if (ratio_ok(r->estimate)) {
		buf_puts(out, "<circle class=\"est\"");
		attr_num(out, "cx", axis_x(a, r->estimate));
		attr_num(out, "cy", cy);
		buf_puts(out, " r=\"5\" stroke-width=\"1.5\" stroke=\"");
		buf_puts(out, colour);
		buf_puts(out, "\" fill=\"");
		buf_puts(out, r->muted ? soft : colour);
		buf_puts(out, r->muted ? "\" stroke-dasharray=\"2 1.5\"/>" : "\"/>");
	}
	row_close(out, r->href);
}

/* Forest plot of odds ratios on a log scale, with a reference line at 1 and a caption on each
 * side of it saying what the direction means. */
void
svg_forest(struct buf *out, const char *id, const char *title, const char *desc,
	   const struct svg_interval *rows, size_t n, const char *left_label,
	   const char *right_label)
{
	if (n == 0 || rows == NULL) {
		svg_empty(out, id, "forest", title, desc);
		return;
	}
	double widest = 0;
	for (size_t i = 0; i < n; i++) {
		double lw = text_width(rows[i].label, FONT), tw = text_width(rows[i].text, SMALL);
		widest = lw > widest ? lw : widest;
		widest = tw > widest ? tw : widest;
	}
	double lw = label_column(widest);
	size_t per_line = chars_per_line(lw, FONT);
	struct axis a;
	axis_domain(rows, n, &a);
	a.x0 = lw + GAP + 8; /* room for an arrowhead at the left end */
	a.span = W - 10 - a.x0;

	/* Captions share the width of the plot, each at most one half, on two lines at most. */
	size_t cap_chars = chars_per_line(a.span / 2 - 24, SMALL);
	struct wrapped lc, rc;
	wrap(left_label, cap_chars, &lc);
	wrap(right_label, cap_chars, &rc);
	int cap_lines = lc.lines > rc.lines ? lc.lines : rc.lines;
	if (left_label == NULL && right_label == NULL)
		cap_lines = 0;

	double rows_h = 0;
	for (size_t i = 0; i < n; i++) {
		struct wrapped w;
		wrap(rows[i].label, per_line, &w);
		rows_h += row_height(w.lines + (rows[i].text ? 1 : 0));
	}
	double axis_y = TOP + rows_h;
	double height = axis_y + 18 + cap_lines * 13 + TOP;
	svg_open(out, id, "forest", title, desc, height);

	/* Grid, axis and reference line first, so that the intervals are drawn over them. */
	for (size_t t = 0; t < NTICKS; t++) {
		if (tick_value[t] < a.lo || tick_value[t] > a.hi)
			continue;
		double x = axis_x(&a, tick_value[t]);
		vline(out, "tick", x, TOP, axis_y + 3, GRID, "1");
		buf_puts(out,
			 "<text font-size=\"11\" text-anchor=\"middle\" fill=\"" INK_MUTED "\"");
		attr_num(out, "x", x);
		attr_num(out, "y", axis_y + 14);
		buf_putc(out, '>');
		buf_puts(out, tick_text[t]);
		buf_puts(out, "</text>");
	}
	buf_puts(out, "<line");
	attr_num(out, "x1", a.x0);
	attr_num(out, "x2", a.x0 + a.span);
	attr_num(out, "y1", axis_y);
	attr_num(out, "y2", axis_y);
	buf_puts(out, " stroke=\"" INK_MUTED "\" stroke-width=\"1\"/>");
	vline(out, "ref", axis_x(&a, 1), TOP, axis_y, INK, "1.5");
	buf_putc(out, '\n');

	double y = TOP;
	for (size_t i = 0; i < n; i++) {
		struct wrapped w;
		wrap(rows[i].label, per_line, &w);
		double h = row_height(w.lines + (rows[i].text ? 1 : 0));
		forest_row(out, &rows[i], &a, per_line, y, h);
		y += h;
	}
	if (cap_lines) {
		/* The arrows are drawn, not typed, so that the captions stay the caller's words. */
		double cy = axis_y + 28, x1 = a.x0 + a.span;
		if (left_label) {
			arrow(out, a.x0 + 14, a.x0, cy - 4);
			buf_puts(out, "<g font-size=\"11\" class=\"caption-left\">");
			label_text(out, &lc, left_label, a.x0 + 18, cy, NULL);
			buf_puts(out, "</g>");
		}
		if (right_label) {
			arrow(out, x1 - 14, x1, cy - 4);
			buf_puts(out, "<g font-size=\"11\" class=\"caption-right\">");
			label_text(out, &rc, right_label, x1 - 18, cy, "end");
			buf_puts(out, "</g>");
		}
	}
	buf_puts(out, "\n</svg>\n");
}

/* ---- stacked bars ---- */

static const char *const part_fill[3] = {PRIMARY, PARTLY, ACCENT};
static const char *const part_ink[3] = {"#fff", INK, "#fff"};

static double
part(const struct svg_stack *s, int k)
{
	double v = s->parts[k];
	return isfinite(v) && v > 0 ? v : 0;
}

/* Writes a count with no decimals when it is whole. */
static void
count_text(struct buf *out, double v)
{
	if (fabs(v - round(v)) < 1e-9)
		buf_printf(out, "%ld", lround(v));
	else
		num(out, v);
}

/* The legend, in as many lines as the width needs; returns its height. */
static double
legend(struct buf *out, const char *const labels[3], double y, bool draw)
{
	double x = 0, lines = 1;
	for (int k = 0; k < 3; k++) {
		const char *l = labels && labels[k] ? labels[k] : "";
		double w = 16 + text_width(l, SMALL) + 14;
		if (x > 0 && x + w > W) {
			x = 0;
			lines++;
		}
		if (draw) {
			double ly = y + (lines - 1) * 16;
			buf_puts(out, "<rect width=\"11\" height=\"11\"");
			attr_num(out, "x", x);
			attr_num(out, "y", ly);
			buf_puts(out, " fill=\"");
			buf_puts(out, part_fill[k]);
			buf_puts(out, "\"/><text font-size=\"11\"");
			attr_num(out, "x", x + 16);
			attr_num(out, "y", ly + 9.5);
			buf_putc(out, '>');
			esc(out, l);
			buf_puts(out, "</text>");
		}
		x += w;
	}
	return lines * 16 + 4;
}

/* Stacked horizontal bars, as long as each row's total against the largest total, with each
 * part's count inside it when it fits, the total at the end and a legend above. */
void
svg_stacked(struct buf *out, const char *id, const char *title, const char *desc,
	    const char *const part_labels[3], const struct svg_stack *rows, size_t n)
{
	if (n == 0 || rows == NULL) {
		svg_empty(out, id, "stacked", title, desc);
		return;
	}
	double widest = 0, top = 0;
	for (size_t i = 0; i < n; i++) {
		double lw = text_width(rows[i].label, FONT);
		widest = lw > widest ? lw : widest;
		double t = part(&rows[i], 0) + part(&rows[i], 1) + part(&rows[i], 2);
		top = t > top ? t : top;
	}
	double lw = label_column(widest);
	size_t per_line = chars_per_line(lw, FONT);
	double x0 = lw + GAP, span = W - x0 - 34;

	double legend_h = legend(out, part_labels, 0, false);
	double height = TOP * 2 + legend_h;
	for (size_t i = 0; i < n; i++) {
		struct wrapped w;
		wrap(rows[i].label, per_line, &w);
		height += row_height(w.lines);
	}
	svg_open(out, id, "stacked", title, desc, height);
	buf_puts(out, "<g class=\"legend\">");
	legend(out, part_labels, TOP, true);
	buf_puts(out, "</g>\n");

	double y = TOP + legend_h;
	for (size_t i = 0; i < n; i++) {
		const struct svg_stack *s = &rows[i];
		struct wrapped w;
		wrap(s->label, per_line, &w);
		double h = row_height(w.lines), cy = y + h / 2, x = x0, total = 0;
		row_open(out, s->href, "row");
		hit_area(out, s->href, y, h);
		label_text(out, &w, s->label, 0, first_baseline(cy, w.lines, FONT), NULL);
		for (int k = 0; k < 3; k++) {
			double v = part(s, k), len = top > 0 ? v / top * span : 0;
			total += v;
			if (len <= 0)
				continue;
			buf_puts(out, "<rect class=\"part\"");
			attr_num(out, "x", x);
			attr_num(out, "y", cy - BAR_H / 2);
			attr_num(out, "width", len);
			attr_num(out, "height", BAR_H);
			buf_puts(out, " fill=\"");
			buf_puts(out, part_fill[k]);
			buf_puts(out, "\"/>");
			if (len >= 20) {
				buf_puts(out,
					 "<text font-size=\"11\" text-anchor=\"middle\" fill=\"");
				buf_puts(out, part_ink[k]);
				buf_putc(out, '"');
				attr_num(out, "x", x + len / 2);
				attr_num(out, "y", cy + SMALL * 0.35);
				buf_putc(out, '>');
				count_text(out, v);
				buf_puts(out, "</text>");
			}
			x += len;
		}
		buf_puts(out, "<text font-size=\"11\" font-weight=\"bold\"");
		attr_num(out, "x", x + 5);
		attr_num(out, "y", cy + SMALL * 0.35);
		buf_putc(out, '>');
		count_text(out, total);
		buf_puts(out, "</text>");
		row_close(out, s->href);
		y += h;
	}
	buf_puts(out, "</svg>\n");
}
