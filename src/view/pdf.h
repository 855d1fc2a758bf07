/* pdf.h - A4 documents drawn with cairo: text that flows from page to page, headings in the
 * outline, tables whose header comes back after a page break, the site's colours. Knows nothing
 * of what the document is about: the analysis report is drawn on top of it. */
#ifndef COEXIST_PDF_H
#define COEXIST_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>

#include "base/arena.h"
#include "base/buf.h"

/* A4 in points, and the frame of the text. */
#define PDF_PAGE_W    595.276
#define PDF_PAGE_H    841.890
#define PDF_MARGIN    50.0
#define PDF_CONTENT_W (PDF_PAGE_W - 2 * PDF_MARGIN)
#define PDF_BOTTOM    (PDF_PAGE_H - 58) /* nothing is drawn below but the footer */

/* The site's palette (static/app.css). */
enum pdf_colour {
	PDF_INK,          /* --ink */
	PDF_MUTED,        /* --muted */
	PDF_PRIMARY,      /* --primary */
	PDF_PRIMARY_DARK, /* --primary-dark: headings */
	PDF_PRIMARY_SOFT, /* --primary, lightened */
	PDF_PARTLY,       /* between primary and its soft tint */
	PDF_ACCENT,       /* --accent */
	PDF_ACCENT_INK,   /* --accent-ink */
	PDF_ACCENT_SOFT,  /* --accent, lightened */
	PDF_TINT,         /* --tint: table headers */
	PDF_SAND,         /* --sand: boxes */
	PDF_GRID,         /* --border */
	PDF_WHITE,
	PDF_COLOUR__MAX
};

enum pdf_face { PDF_REGULAR, PDF_BOLD, PDF_ITALIC };

struct pdf {
	cairo_surface_t *surface;
	cairo_t *cr;           /* draw with it directly for anything but text and tables */
	struct arena ar;       /* strings made while drawing; freed by pdf_close() */
	struct buf scratch;    /* a NUL-terminated copy of a piece of text, to measure or show */
	double y;              /* top of the next thing to draw, from the top of the page */
	int page;              /* from 1 */
	const char *footer;    /* left of every page's footer */
	const char *page_word; /* "page": right of the footer, before the number; NULL: no number */
	struct buf *out;
	size_t start; /* out's length before the document */
};

void pdf_colour(struct pdf *p, enum pdf_colour c);
void pdf_font(struct pdf *p, double size, enum pdf_face f);
/* Text that cairo accepts: bytes of invalid UTF-8 (there should be none) become '?'. */
const char *pdf_clean(struct pdf *p, const char *s);
/* Width of s at the current font. */
double pdf_advance(struct pdf *p, const char *s);
/* Shows s with its baseline at y, from x, or ending at x when right. */
void pdf_show(struct pdf *p, const char *s, double x, double y, bool right);
/* Lays s out at the current font in lines no wider than width, at most max, the last ending
 * with "…" when the text goes on; '\n' starts a new line. Returns the lines, each ended by
 * '\n', in the arena; *count gets how many. */
const char *pdf_wrap(struct pdf *p, const char *s, double width, int max, int *count);
/* Shows laid-out lines, the first baseline at y, aligned left at x or right at x + width. */
void pdf_show_lines(struct pdf *p, const char *lines, double x, double y, double line_h,
		    double width, bool right);
/* A straight line of a width, in the current colour. */
void pdf_line(struct pdf *p, double x1, double y1, double x2, double y2, double width);
/* A filled rectangle. */
void pdf_rect(struct pdf *p, double x, double y, double w, double h, enum pdf_colour c);

/* Starts a new page unless h more points fit on this one. Returns true when it did. */
bool pdf_need(struct pdf *p, double h);
/* Running text across the frame, flowing onto the next pages. */
void pdf_paragraph(struct pdf *p, const char *s, double size, enum pdf_face f, enum pdf_colour c);
/* Adds an outline entry (the reader's table of contents) pointing at the current position. */
void pdf_outline(struct pdf *p, const char *s);
/* A section title, kept on one page with at least `keep` points of what follows. */
void pdf_heading(struct pdf *p, const char *s, double keep);

struct pdf_col {
	const char *head;
	double width;
	bool right; /* figures, aligned right */
};

struct pdf_table {
	const struct pdf_col *cols;
	size_t n;
	double size;   /* font size */
	int max_lines; /* per cell */
};

/* Where a row was drawn, for what a caller adds into it. */
struct pdf_box {
	double y, h;
};

#define PDF_CELL_PAD 3.0

void pdf_table_head(struct pdf *p, const struct pdf_table *t);
/* One row of cells; a page break before it repeats the header. Muted rows are grey italics. */
struct pdf_box pdf_table_row(struct pdf *p, const struct pdf_table *t, const char *const *cells,
			     bool muted);
/* Starts a document appended to out, with its title in the metadata and footer left of each
 * page's footer, page_word and the number right of it (no number when page_word is NULL). 0, or
 * -1 with err. */
int pdf_open(struct pdf *p, struct buf *out, const char *title, const char *footer,
	     const char *page_word, char *err, size_t errlen);
/* Ends the last page and the document and releases everything. 0, or -1 with err (out is then
 * left as it was before pdf_open()). */
int pdf_close(struct pdf *p, char *err, size_t errlen);

#endif
