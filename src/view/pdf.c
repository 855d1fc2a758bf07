/* pdf.c - A4 documents drawn with cairo: flowing text, headings, tables across pages.
 *
 * Text goes through cairo's "toy" font API with DejaVu Sans (Debian fonts-dejavu-core): no
 * shaping, which Latin scripts do not need, and every character of French typography (accents,
 * « », ’, –, →) is in the font. Pango would add a dozen libraries for nothing the reports use. */
#include "pdf.h"

#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>

#include "base/utf8.h"

#define FONT_FACE "DejaVu Sans"

#define RGB(hex)                                                                                   \
	{                                                                                          \
		((hex) >> 16 & 0xFF) / 255.0, ((hex) >> 8 & 0xFF) / 255.0, ((hex)&0xFF) / 255.0    \
	}
static const double palette[PDF_COLOUR__MAX][3] = {
	[PDF_INK] = RGB(0x1c2a31),          [PDF_MUTED] = RGB(0x4d5d65),
	[PDF_PRIMARY] = RGB(0x0b5c69),      [PDF_PRIMARY_DARK] = RGB(0x0b4650),
	[PDF_PRIMARY_SOFT] = RGB(0xc9dfe2), [PDF_PARTLY] = RGB(0x8fbcc2),
	[PDF_ACCENT] = RGB(0xc2571a),       [PDF_ACCENT_INK] = RGB(0x9c430f),
	[PDF_ACCENT_SOFT] = RGB(0xf0d6c6),  [PDF_TINT] = RGB(0xe7f0f0),
	[PDF_SAND] = RGB(0xf3efe6),         [PDF_GRID] = RGB(0xd3dadb),
	[PDF_WHITE] = RGB(0xffffff),
};

/* ---- text ---- */

void
pdf_colour(struct pdf *p, enum pdf_colour c)
{
	cairo_set_source_rgb(p->cr, palette[c][0], palette[c][1], palette[c][2]);
}

void
pdf_font(struct pdf *p, double size, enum pdf_face f)
{
	cairo_select_font_face(p->cr, FONT_FACE,
			       f == PDF_ITALIC ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
			       f == PDF_BOLD ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(p->cr, size);
}

/* Invalid UTF-8 would put the whole drawing in an error state: the document would be lost for
 * one bad byte. */
const char *
pdf_clean(struct pdf *p, const char *s)
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

/* Width of s[0..n) (valid UTF-8) at the current font. */
static double
advance(struct pdf *p, const char *s, size_t n)
{
	cairo_text_extents_t e;
	cairo_text_extents(p->cr, piece(p, s, n), &e);
	return e.x_advance;
}

static void
show(struct pdf *p, const char *s, size_t n, double x, double y, bool right)
{
	if (right)
		x -= advance(p, s, n);
	cairo_move_to(p->cr, x, y);
	cairo_show_text(p->cr, piece(p, s, n));
}

double
pdf_advance(struct pdf *p, const char *s)
{
	s = pdf_clean(p, s);
	return advance(p, s, strlen(s));
}

void
pdf_show(struct pdf *p, const char *s, double x, double y, bool right)
{
	s = pdf_clean(p, s);
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

/* Cuts s[i..end) back until it and an ellipsis fit in width; returns the new end. */
static size_t
fit_with_ellipsis(struct pdf *p, const char *s, size_t i, size_t end, double width)
{
	double ell = advance(p, "…", strlen("…"));
	while (end > i && advance(p, s + i, end - i) + ell > width) {
		end--;
		while (end > i && ((unsigned char)s[end] & 0xC0) == 0x80)
			end--;
	}
	while (end > i && s[end - 1] == ' ')
		end--;
	return end;
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
			end = fit_with_ellipsis(p, s, i, end, width);
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

/* Ends the last of the lines in out with an ellipsis, cut to fit: the text went on in a
 * paragraph that had no line left. */
static void
ellipsis_last(struct pdf *p, struct buf *out, double width)
{
	size_t end = out->len - 1, start = end; /* out ends with '\n' */
	while (start > 0 && out->data[start - 1] != '\n')
		start--;
	const char *line = arena_strndup(&p->ar, out->data + start, end - start);
	size_t n = fit_with_ellipsis(p, line, 0, end - start, width);
	out->len = start;
	buf_add(out, line, n);
	buf_puts(out, "…\n");
}

const char *
pdf_wrap(struct pdf *p, const char *s, double width, int max, int *count)
{
	struct buf out;
	buf_init(&out, &p->ar);
	buf_puts(&out, "");
	s = pdf_clean(p, s);
	int lines = 0;
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		int got = wrap_para(p, s, n, width, max - lines, &out);
		lines += got;
		if (nl == NULL)
			break;
		if (lines >= max) { /* no line left: say so if the text goes on */
			bool cut = out.len >= 4 && memcmp(out.data + out.len - 4, "…\n", 4) == 0;
			if (!cut && out.len > 0 && nl[1 + strspn(nl + 1, " \n")] != '\0')
				ellipsis_last(p, &out, width);
			break;
		}
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

void
pdf_show_lines(struct pdf *p, const char *lines, double x, double y, double line_h, double width,
	       bool right)
{
	for (const char *l = lines; *l;) {
		size_t n = strcspn(l, "\n");
		show(p, l, n, right ? x + width : x, y, right);
		y += line_h;
		l += n + (l[n] ? 1 : 0);
	}
}

void
pdf_line(struct pdf *p, double x1, double y1, double x2, double y2, double width)
{
	cairo_set_line_width(p->cr, width);
	cairo_move_to(p->cr, x1, y1);
	cairo_line_to(p->cr, x2, y2);
	cairo_stroke(p->cr);
}

void
pdf_rect(struct pdf *p, double x, double y, double w, double h, enum pdf_colour c)
{
	pdf_colour(p, c);
	cairo_rectangle(p->cr, x, y, w, h);
	cairo_fill(p->cr);
}

/* ---- pages ---- */

static void
footer(struct pdf *p)
{
	cairo_save(p->cr);
	pdf_font(p, 7.5, PDF_REGULAR);
	pdf_colour(p, PDF_MUTED);
	pdf_line(p, PDF_MARGIN, PDF_PAGE_H - 40, PDF_PAGE_W - PDF_MARGIN, PDF_PAGE_H - 40, 0.5);
	int n;
	const char *t = pdf_wrap(p, p->footer, PDF_CONTENT_W - 80, 1, &n);
	pdf_show_lines(p, t, PDF_MARGIN, PDF_PAGE_H - 28, 0, 0, false);
	if (p->page_word) /* NULL: a one-page document, no number */
		pdf_show(p, arena_printf(&p->ar, "%s %d", p->page_word, p->page),
			 PDF_PAGE_W - PDF_MARGIN, PDF_PAGE_H - 28, true);
	cairo_restore(p->cr);
}

bool
pdf_need(struct pdf *p, double h)
{
	if (p->y + h <= PDF_BOTTOM)
		return false;
	footer(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = PDF_MARGIN;
	return true;
}

void
pdf_paragraph(struct pdf *p, const char *s, double size, enum pdf_face f, enum pdf_colour c)
{
	double line_h = size * 1.4;
	pdf_font(p, size, f);
	int n;
	const char *lines = pdf_wrap(p, s, PDF_CONTENT_W, 1000, &n);
	for (const char *l = lines; *l;) {
		size_t len = strcspn(l, "\n");
		pdf_need(p, line_h);
		pdf_font(p, size, f);
		pdf_colour(p, c);
		show(p, l, len, PDF_MARGIN, p->y + size, false);
		p->y += line_h;
		l += len + (l[len] ? 1 : 0);
	}
	p->y += size * 0.5;
}

void
pdf_outline(struct pdf *p, const char *s)
{
	char dest[64];
	snprintf(dest, sizeof dest, "page=%d pos=[%d %d]", p->page, (int)PDF_MARGIN, (int)p->y);
	cairo_pdf_surface_add_outline(p->surface, CAIRO_PDF_OUTLINE_ROOT, pdf_clean(p, s), dest, 0);
}

void
pdf_heading(struct pdf *p, const char *s, double keep)
{
	p->y += 12;
	pdf_need(p, 30 + keep);
	pdf_font(p, 14, PDF_BOLD);
	pdf_colour(p, PDF_PRIMARY_DARK);
	int n;
	const char *lines = pdf_wrap(p, s, PDF_CONTENT_W, 2, &n);
	pdf_show_lines(p, lines, PDF_MARGIN, p->y + 14, 17, PDF_CONTENT_W, false);
	pdf_outline(p, s);
	p->y += 17 * n + 2;
	pdf_rect(p, PDF_MARGIN, p->y, 28, 2.5, PDF_ACCENT);
	p->y += 10;
}

/* ---- tables ---- */

/* Height of a row of texts (heads or cells) at the current font. */
static double
row_height(struct pdf *p, const struct pdf_table *t, const char *const *texts, int max)
{
	int most = 1;
	for (size_t c = 0; c < t->n; c++) {
		int k;
		pdf_wrap(p, texts[c], t->cols[c].width - 2 * PDF_CELL_PAD, max, &k);
		most = k > most ? k : most;
	}
	return most * t->size * 1.3 + 2 * PDF_CELL_PAD;
}

static void
row_texts(struct pdf *p, const struct pdf_table *t, const char *const *texts, int max)
{
	double x = PDF_MARGIN;
	for (size_t c = 0; c < t->n; c++) {
		int k;
		double w = t->cols[c].width - 2 * PDF_CELL_PAD;
		const char *lines = pdf_wrap(p, texts[c], w, max, &k);
		pdf_show_lines(p, lines, x + PDF_CELL_PAD, p->y + PDF_CELL_PAD + t->size,
			       t->size * 1.3, w, t->cols[c].right);
		x += t->cols[c].width;
	}
}

void
pdf_table_head(struct pdf *p, const struct pdf_table *t)
{
	const char **heads = arena_alloc(&p->ar, sizeof *heads * (t->n ? t->n : 1));
	for (size_t c = 0; c < t->n; c++)
		heads[c] = t->cols[c].head;
	pdf_font(p, t->size, PDF_BOLD);
	double h = row_height(p, t, heads, 2) + 2;
	pdf_rect(p, PDF_MARGIN, p->y, PDF_CONTENT_W, h, PDF_TINT);
	pdf_colour(p, PDF_PRIMARY_DARK);
	row_texts(p, t, heads, 2);
	p->y += h;
}

struct pdf_box
pdf_table_row(struct pdf *p, const struct pdf_table *t, const char *const *cells, bool muted)
{
	enum pdf_face f = muted ? PDF_ITALIC : PDF_REGULAR;
	pdf_font(p, t->size, f);
	double h = row_height(p, t, cells, t->max_lines);
	if (pdf_need(p, h)) {
		pdf_table_head(p, t);
		pdf_font(p, t->size, f);
	}
	pdf_colour(p, muted ? PDF_MUTED : PDF_INK);
	row_texts(p, t, cells, t->max_lines);
	pdf_colour(p, PDF_GRID);
	pdf_line(p, PDF_MARGIN, p->y + h, PDF_MARGIN + PDF_CONTENT_W, p->y + h, 0.5);
	struct pdf_box box = {p->y, h};
	p->y += h;
	return box;
}

/* ---- the document ---- */

static cairo_status_t
write_out(void *closure, const unsigned char *data, unsigned int length)
{
	buf_add(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

int
pdf_open(struct pdf *p, struct buf *out, const char *title, const char *footer_text,
	 const char *page_word, char *err, size_t errlen)
{
	memset(p, 0, sizeof *p);
	p->out = out;
	p->start = out->len;
	p->page = 1;
	p->y = PDF_MARGIN;
	p->footer = footer_text ? footer_text : "";
	p->page_word = page_word;
	p->surface = cairo_pdf_surface_create_for_stream(write_out, out, PDF_PAGE_W, PDF_PAGE_H);
	cairo_status_t st = cairo_surface_status(p->surface);
	if (st != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "pdf: %s", cairo_status_to_string(st));
		cairo_surface_destroy(p->surface);
		return -1;
	}
	arena_init(&p->ar, 16384);
	buf_init(&p->scratch, NULL);
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, pdf_clean(p, title));
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "COEXIST");
	p->cr = cairo_create(p->surface);
	return 0;
}

int
pdf_close(struct pdf *p, char *err, size_t errlen)
{
	footer(p);
	cairo_status_t st = cairo_status(p->cr);
	cairo_destroy(p->cr);
	cairo_surface_finish(p->surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(p->surface);
	cairo_surface_destroy(p->surface);
	buf_free(&p->scratch);
	arena_free(&p->ar);
	if (st != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "pdf: %s", cairo_status_to_string(st));
		p->out->len = p->start;
		if (p->out->data)
			p->out->data[p->start] = '\0';
		return -1;
	}
	return 0;
}
