/* case_pdf.c - a case as one A4 sheet: a header band, the title, the two parties and what each
 * brought, then the story, results and lessons beside the key facts, success factors and
 * obstacles. A sheet is always exactly one page, because that is what goes on an event table or
 * a wall: texts too long for it are first set smaller, then the longest ones are cut (with "…")
 * before any short one is. The booklet puts a cover and the contents before the sheets. The
 * page machinery (text layout, colours, footers) is pdf.c's. */
#include "case_pdf.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/num.h"
#include "base/buf.h"
#include "cases/cases.h"
#include "view/pdf.h"
#include "db/db.h"
#include "view/dates.h"

#define MARGIN    PDF_MARGIN
#define CONTENT_W PDF_CONTENT_W
#define BAND_H    50.0 /* the header band of a sheet */
#define BODY_W    300.0
#define COL_GAP   16.0
#define SIDE_X    (MARGIN + BODY_W + COL_GAP)
#define SIDE_W    (CONTENT_W - BODY_W - COL_GAP)
#define SIDE_PAD  9.0
#define PARTY_GAP 24.0
#define PARTY_PAD 8.0
#define NO_LIMIT  100000 /* lines: a text's whole length */

/* ---- words ---- */

/* Each fixed text of a sheet and a booklet, French then English, side by side so that they stay
 * in step. */
#define CASE_WORDS(X)                                                                              \
	X(W_BRAND, "COEXIST — partenariats ONG–entreprises", "COEXIST — NGO–company partnerships") \
	X(W_CLUSTER,                                                                               \
	  "Cluster transfrontalier de solidarité internationale · France, aux portes de Genève",   \
	  "Cross-border international solidarity cluster · France, on the doorstep of Geneva")     \
	X(W_CASE_NO, "Cas n°", "Case no.")                                                         \
	X(W_STORY, "L’histoire", "The story")                                                      \
	X(W_RESULTS, "Les résultats", "What came of it")                                           \
	X(W_LESSONS, "Les leçons", "Lessons learnt")                                               \
	X(W_BROUGHT, "A apporté :", "Brought:")                                                    \
	X(W_ORGANISATION, "Organisation", "Organisation")                                          \
	X(W_NO_PARTY, "Partenaire non précisé", "Partner not given")                               \
	X(W_FACTS, "En bref", "Key facts")                                                         \
	X(W_SECTORS, "Secteurs", "Sectors")                                                        \
	X(W_COUNTRIES, "Pays", "Countries")                                                        \
	X(W_TYPE, "Type de partenariat", "Type of partnership")                                    \
	X(W_STAGE, "Stade", "Stage")                                                               \
	X(W_OUTCOME, "Résultat", "Outcome")                                                        \
	X(W_SINCE, "Depuis", "Since")                                                              \
	X(W_SDGS, "Objectifs de développement durable", "Sustainable Development Goals")           \
	X(W_RESOURCES, "Ressources mobilisées", "Resources brought")                               \
	X(W_FACTORS, "Ce qui a aidé", "What helped")                                               \
	X(W_OBSTACLES, "Obstacles rencontrés", "Obstacles met")                                    \
	X(W_CONTACT, "Les partenaires acceptent d’être mis en relation par le cluster.",           \
	  "The partners agree to be put in touch through the cluster.")                            \
	X(W_PUBLISHED, "Publié le", "Published on")                                                \
	X(W_NOT_ONLINE, "pas encore publié en ligne", "not yet published online")                  \
	X(W_UNTITLED, "Cas sans titre", "Untitled case")                                           \
	X(W_PAGE, "page", "page")                                                                  \
	X(W_CONTENTS, "Sommaire", "Contents")                                                      \
	X(W_BOOKLET, "Partenariats ONG–entreprises", "NGO–company partnerships")                   \
	X(W_BOOKLET_SUB, "Fiches de partenariats non financiers entre ONG et entreprises",         \
	  "Sheets of non-financial partnerships between NGOs and companies")                       \
	X(W_PARTNERSHIP, "partenariat présenté", "partnership presented")                          \
	X(W_PARTNERSHIPS, "partenariats présentés", "partnerships presented")                      \
	X(W_PRODUCED_ON, "Établi le", "Produced on")

enum word {
#define W_ENUM(k, fr, en) k,
	CASE_WORDS(W_ENUM)
#undef W_ENUM
		W__MAX
};

static const char *const words[W__MAX][2] = {
#define W_TEXT(k, fr, en) [k] = {fr, en},
	CASE_WORDS(W_TEXT)
#undef W_TEXT
};

struct sheet {
	struct pdf pdf;
	int lang; /* 0 French, 1 English: the index into words[] */
	case_label_fn label;
	void *ctx;
};

static const char *
tr(const struct sheet *s, enum word w)
{
	return words[w][s->lang];
}

static const char *
str(const char *s)
{
	return s ? s : "";
}

/* "12 mars 2025" from "2025-03-12…" (how the database writes times), "" when it is not one. */
static const char *
iso_date(struct sheet *s, const char *iso)
{
	return date_text(&s->pdf.ar, s->lang ? LANG_EN : LANG_FR, iso);
}

static const char *
today(struct sheet *s)
{
	return date_of(&s->pdf.ar, s->lang ? LANG_EN : LANG_FR, time(NULL));
}

/* ---- labels ---- */

static const char *
label_of(struct sheet *s, const char *kind, const char *code)
{
	const char *l = s->label && *code ? s->label(s->ctx, kind, code) : NULL;
	return l && *l ? l : code;
}

#define CODE_SEP " \t\r\n"
/* Between the labels of a list: a line may break after the dot, never before it. */
#define LIST_SEP "\u00a0· "

/* The labels of a space-separated list of codes, joined by sep; "" when there is none. */
static const char *
labels(struct sheet *s, const char *kind, const char *codes, const char *sep)
{
	struct buf b;
	buf_init(&b, &s->pdf.ar);
	buf_puts(&b, "");
	for (const char *p = str(codes);;) {
		p += strspn(p, CODE_SEP);
		size_t n = strcspn(p, CODE_SEP);
		if (n == 0)
			break;
		if (b.len)
			buf_puts(&b, sep);
		buf_puts(&b, label_of(s, kind, arena_strndup(&s->pdf.ar, p, n)));
		p += n;
	}
	return b.data;
}

/* "ONG ou association (Burkina Faso)": a party as the anonymised consent shows it. */
static const char *
kind_country(struct sheet *s, const char *kind, const char *country)
{
	const char *k = *str(kind) ? label_of(s, "kind", kind) : "";
	const char *c = *str(country) ? label_of(s, "country", country) : "";
	if (*k && *c)
		return arena_printf(&s->pdf.ar, "%s (%s)", k, c);
	if (*c)
		return arena_printf(&s->pdf.ar, "%s (%s)", tr(s, W_ORGANISATION), c);
	return *k ? k : tr(s, W_NO_PARTY);
}

/* ---- columns of blocks that fit their height ---- */

/* One piece of a column: a heading, a label or a paragraph. */
struct block {
	const char *text;
	double size, lead; /* font size at full scale, and line height as a multiple of it */
	enum pdf_face face;
	enum pdf_colour colour;
	double indent;        /* from the column's left edge */
	double before, after; /* space above and below, in points */
	int max;              /* lines it may ever take */
	bool squeeze;         /* running text: set smaller and cut when the column is too long */
	bool bullet;          /* a bullet in the indent */
	bool rule;            /* an accent rule under it (headings) */
	bool bar;             /* an accent bar along its left (quotations) */
	int need, lines;      /* lines it wants at the column's scale, and lines it gets */
};

#define MAX_BLOCKS 160

struct column {
	double x, w;
	double scale; /* of the squeezed blocks' font sizes */
	bool cut;     /* column_fit() had to cut texts or leave blocks out */
	struct block b[MAX_BLOCKS];
	size_t n;
};

static struct block *
add(struct column *c, const char *text, double size, enum pdf_face face, enum pdf_colour colour)
{
	if (c->n == MAX_BLOCKS || text == NULL || *text == '\0')
		return NULL;
	struct block *b = &c->b[c->n++];
	*b = (struct block){.text = text,
			    .size = size,
			    .lead = 1.3,
			    .face = face,
			    .colour = colour,
			    .max = NO_LIMIT};
	return b;
}

static double
block_size(const struct column *c, const struct block *b)
{
	return b->squeeze ? b->size * c->scale : b->size;
}

static double
block_height(const struct column *c, const struct block *b)
{
	if (b->lines == 0)
		return 0;
	return b->before + b->lines * block_size(c, b) * b->lead + b->after;
}

static double
column_height(const struct column *c)
{
	double h = 0;
	for (size_t i = 0; i < c->n; i++)
		h += block_height(c, &c->b[i]);
	return h;
}

/* Lays every block out at the column's scale, giving each all it needs; returns the most lines
 * a squeezed block wants. */
static int
column_measure(struct pdf *d, struct column *c)
{
	int most = 1;
	for (size_t i = 0; i < c->n; i++) {
		struct block *b = &c->b[i];
		pdf_font(d, block_size(c, b), b->face);
		pdf_wrap(d, b->text, c->w - b->indent, b->max, &b->need);
		b->lines = b->need;
		if (b->squeeze && b->need > most)
			most = b->need;
	}
	return most;
}

/* Gives the first kept blocks what they need, squeezed ones at most cap lines; the others
 * nothing. */
static void
column_cap(struct column *c, int cap, size_t kept)
{
	for (size_t i = 0; i < c->n; i++) {
		struct block *b = &c->b[i];
		b->lines = i >= kept ? 0 : b->squeeze && b->need > cap ? cap : b->need;
	}
}

/* Makes the column fit in avail points: smaller type first, then every squeezed block cut to
 * the same number of lines, as many as fit (a long text gives up lines before a short one
 * loses any); as a last resort, for lists of hundreds of codes, the blocks at the end are left
 * out first. Returns the height it takes. */
static double
column_fit(struct pdf *d, struct column *c, double avail)
{
	static const double scales[] = {1.0, 0.94, 0.88, 0.82};
	int most = 1;
	c->cut = false;
	for (size_t i = 0; i < sizeof scales / sizeof scales[0]; i++) {
		c->scale = scales[i];
		most = column_measure(d, c);
		if (column_height(c) <= avail)
			return column_height(c);
	}
	c->cut = true;
	size_t kept = c->n;
	for (;;) {
		column_cap(c, 1, kept);
		if (kept == 0 || column_height(c) <= avail)
			break;
		kept--;
	}
	while (kept > 0 && !c->b[kept - 1].squeeze) /* no heading or label without its text */
		kept--;
	int lo = 1, hi = most; /* the most lines that fit */
	while (lo < hi) {
		int mid = lo + (hi - lo + 1) / 2;
		column_cap(c, mid, kept);
		if (column_height(c) <= avail)
			lo = mid;
		else
			hi = mid - 1;
	}
	column_cap(c, lo, kept);
	return column_height(c);
}

static void
column_draw(struct pdf *d, const struct column *c, double y)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct block *b = &c->b[i];
		if (b->lines == 0)
			continue;
		double size = block_size(c, b), line_h = size * b->lead, x = c->x + b->indent;
		y += b->before;
		pdf_font(d, size, b->face);
		int n;
		const char *lines = pdf_wrap(d, b->text, c->w - b->indent, b->lines, &n);
		if (b->bullet) {
			pdf_colour(d, PDF_ACCENT);
			pdf_show(d, "•", c->x + 1, y + size, false);
		}
		if (b->bar)
			pdf_rect(d, c->x, y + 1, 2, n * line_h - 1, PDF_ACCENT);
		pdf_colour(d, b->colour);
		pdf_show_lines(d, lines, x, y + size, line_h, c->w - b->indent, false);
		y += n * line_h;
		if (b->rule)
			pdf_rect(d, c->x, y + 2, 24, 2, PDF_ACCENT);
		y += b->after;
	}
}

/* ---- the sheet ---- */

static void
band(struct sheet *s, const struct case_public *c)
{
	struct pdf *d = &s->pdf;
	pdf_rect(d, 0, 0, PDF_PAGE_W, BAND_H, PDF_PRIMARY_DARK);
	pdf_rect(d, 0, BAND_H, PDF_PAGE_W, 3, PDF_ACCENT);
	const char *no = arena_printf(&d->ar, "%s %lld", tr(s, W_CASE_NO), c->id);
	pdf_font(d, 9, PDF_BOLD);
	double no_w = pdf_advance(d, no);
	pdf_colour(d, PDF_WHITE);
	pdf_show(d, no, PDF_PAGE_W - MARGIN, 22, true);
	pdf_font(d, 10.5, PDF_BOLD);
	int n;
	const char *l = pdf_wrap(d, tr(s, W_BRAND), CONTENT_W - no_w - 16, 1, &n);
	pdf_show_lines(d, l, MARGIN, 22, 0, 0, false);
	pdf_font(d, 7.5, PDF_REGULAR);
	pdf_colour(d, PDF_PRIMARY_SOFT);
	l = pdf_wrap(d, tr(s, W_CLUSTER), CONTENT_W, 1, &n);
	pdf_show_lines(d, l, MARGIN, 37, 0, 0, false);
}

/* The title: large on up to two lines, a little smaller when it needs three. */
static void
title(struct sheet *s, const char *t)
{
	struct pdf *d = &s->pdf;
	double size = 17;
	int n;
	pdf_font(d, size, PDF_BOLD);
	pdf_wrap(d, t, CONTENT_W, 3, &n);
	if (n > 2)
		size = 14;
	pdf_font(d, size, PDF_BOLD);
	const char *lines = pdf_wrap(d, t, CONTENT_W, 3, &n);
	pdf_colour(d, PDF_PRIMARY_DARK);
	pdf_show_lines(d, lines, MARGIN, d->y + size, size * 1.2, CONTENT_W, false);
	pdf_outline(d, t);
	d->y += n * size * 1.2 + 2;
	pdf_rect(d, MARGIN, d->y, 28, 2.5, PDF_ACCENT);
	d->y += 12;
}

struct party {
	const char *who, *what, *brought; /* identity, kind and country when named, resources */
	const char *lines[3];
	int n[3];
};

static const double party_size[3] = {10.5, 8, 8.5};
static const enum pdf_face party_face[3] = {PDF_BOLD, PDF_REGULAR, PDF_REGULAR};
static const int party_max[3] = {2, 1, 4};

/* Lays a party's box out; returns its height. */
static double
party_layout(struct sheet *s, struct party *p, double w)
{
	struct pdf *d = &s->pdf;
	const char *text[3] = {p->who, p->what, p->brought};
	double h = 2 * PARTY_PAD;
	for (int k = 0; k < 3; k++) {
		p->n[k] = 0;
		if (*text[k] == '\0')
			continue;
		pdf_font(d, party_size[k], party_face[k]);
		p->lines[k] = pdf_wrap(d, text[k], w, party_max[k], &p->n[k]);
		h += p->n[k] * party_size[k] * 1.3 + (k == 2 ? 12 : 0);
	}
	return h;
}

static void
party_draw(struct sheet *s, const struct party *p, double x, double w, double h)
{
	struct pdf *d = &s->pdf;
	pdf_rect(d, x, d->y, w, h, PDF_SAND);
	pdf_rect(d, x, d->y, 3, h, PDF_PRIMARY);
	double y = d->y + PARTY_PAD, tx = x + 3 + PARTY_PAD, tw = w - 3 - 2 * PARTY_PAD;
	for (int k = 0; k < 3; k++) {
		if (p->n[k] == 0)
			continue;
		double line_h = party_size[k] * 1.3;
		if (k == 2) {
			y += 3;
			pdf_font(d, 7, PDF_BOLD);
			pdf_colour(d, PDF_MUTED);
			pdf_show(d, tr(s, W_BROUGHT), tx, y + 7, false);
			y += 9;
		}
		pdf_font(d, party_size[k], party_face[k]);
		pdf_colour(d, k == 1 ? PDF_MUTED : PDF_INK);
		pdf_show_lines(d, p->lines[k], tx, y + party_size[k], line_h, tw, false);
		y += p->n[k] * line_h;
	}
}

/* The two parties side by side: their names only with the named consent, otherwise the kind
 * and country of each; and what each brought. */
static void
parties(struct sheet *s, const struct case_public *c)
{
	struct pdf *d = &s->pdf;
	struct party p[2] = {
		{.brought = labels(s, "resource", c->org_brought, LIST_SEP)},
		{.brought = labels(s, "resource", c->partner_brought, LIST_SEP)},
	};
	const char *name[2] = {str(c->org), str(c->partner)};
	const char *kind[2] = {c->org_kind, c->partner_kind};
	const char *country[2] = {c->org_country, c->partner_country};
	double w = (CONTENT_W - PARTY_GAP) / 2, h = 0;
	for (int i = 0; i < 2; i++) {
		if (c->named && *name[i]) {
			p[i].who = name[i];
			const char *k = *str(kind[i]) ? label_of(s, "kind", kind[i]) : "";
			const char *ct = *str(country[i]) ? label_of(s, "country", country[i]) : "";
			p[i].what =
				arena_printf(&d->ar, "%s%s%s", k, *k && *ct ? LIST_SEP : "", ct);
		} else {
			/* Never the name here, even if the projection let one through. */
			p[i].who = kind_country(s, kind[i], country[i]);
			p[i].what = "";
		}
		double hi = party_layout(s, &p[i], w - 3 - 2 * PARTY_PAD);
		h = hi > h ? hi : h;
	}
	party_draw(s, &p[0], MARGIN, w, h);
	party_draw(s, &p[1], MARGIN + w + PARTY_GAP, w, h);
	pdf_font(d, 14, PDF_BOLD);
	pdf_colour(d, PDF_PRIMARY);
	double arrow = pdf_advance(d, "↔");
	pdf_show(d, "↔", MARGIN + w + (PARTY_GAP - arrow) / 2, d->y + h / 2 + 5, false);
	d->y += h + 16;
}

static struct block *
heading(struct column *col, const char *text, double size, double before)
{
	struct block *b = add(col, text, size, PDF_BOLD, PDF_PRIMARY_DARK);
	if (b) {
		b->lead = 1.2;
		b->max = 2;
		b->before = before;
		b->after = 9;
		b->rule = true;
	}
	return b;
}

static struct block *
paragraph(struct column *col, const char *text, enum pdf_face face)
{
	struct block *b = add(col, text, 9.5, face, PDF_INK);
	if (b) {
		b->lead = 1.42;
		b->squeeze = true;
	}
	return b;
}

static void
fact(struct sheet *s, struct column *col, enum word label, const char *value, int max)
{
	if (value == NULL || *value == '\0')
		return;
	struct block *b = add(col, tr(s, label), 7, PDF_BOLD, PDF_MUTED);
	if (b) {
		b->max = 1;
		b->before = 5;
		b->after = 1;
	}
	b = add(col, value, 8.5, PDF_REGULAR, PDF_INK);
	if (b) {
		b->max = max;
		b->squeeze = true;
	}
}

/* A heading and one bulleted block per code, when there is any; size is the heading's, the
 * items are a point and a half smaller. */
static void
list(struct sheet *s, struct column *col, enum word head, const char *kind, const char *codes,
     double size)
{
	const char *all = labels(s, kind, codes, "\n");
	if (*all == '\0')
		return;
	heading(col, tr(s, head), size, col->n ? 14 : 0);
	for (const char *p = all; *p;) {
		size_t n = strcspn(p, "\n");
		struct block *b =
			add(col, arena_strndup(&s->pdf.ar, p, n), size - 1.5, PDF_REGULAR, PDF_INK);
		if (b) {
			b->max = 3;
			b->squeeze = true;
			b->bullet = true;
			b->indent = 9;
			b->before = 2;
		}
		p += n + (p[n] ? 1 : 0);
	}
}

/* Lists from..to-1 of the two: 0 the success factors, 1 the obstacles. */
static void
lists(struct sheet *s, const struct case_public *c, struct column *col, int from, int to,
      double size)
{
	if (from <= 0 && to > 0)
		list(s, col, W_FACTORS, "factor", c->factors, size);
	if (from <= 1 && to > 1)
		list(s, col, W_OBSTACLES, "obstacle", c->obstacles, size);
}

/* The story, what came of it and the lessons; then the lists that did not fit beside them
 * (aside: how many did). */
static void
body_column(struct sheet *s, const struct case_public *c, struct column *col, int aside)
{
	const char *text[3] = {str(c->summary), str(c->results), str(c->lessons)};
	const enum word head[3] = {W_STORY, W_RESULTS, W_LESSONS};
	for (int k = 0; k < 3; k++) {
		if (*text[k] == '\0')
			continue;
		heading(col, tr(s, head[k]), 11, col->n ? 12 : 0);
		struct block *b = paragraph(col, text[k], k == 2 ? PDF_ITALIC : PDF_REGULAR);
		if (b && k == 2) { /* the lessons, in the words of those who lived it */
			b->bar = true;
			b->indent = 9;
		}
	}
	lists(s, c, col, aside, 2, 10);
}

/* The goals as their labels one a line, or, when there are many, as "ODD 3 · ODD 7 · …" (the
 * label up to its dash). */
static const char *
sdgs(struct sheet *s, const char *codes)
{
	const char *all = labels(s, "sdg", codes, "\n");
	size_t count = 0;
	for (const char *p = all; *p; p++)
		count += *p == '\n';
	if (count < 3)
		return all;
	struct buf b;
	buf_init(&b, &s->pdf.ar);
	buf_puts(&b, "");
	for (const char *p = all; *p;) {
		size_t n = strcspn(p, "\n");
		const char *one = arena_strndup(&s->pdf.ar, p, n), *dash = strstr(one, " — ");
		if (b.len)
			buf_puts(&b, LIST_SEP);
		buf_add(&b, one, dash ? (size_t)(dash - one) : n);
		p += n + (p[n] ? 1 : 0);
	}
	return b.data;
}

/* Key facts, and the first lists (aside: 0, 1 or 2 of them). */
static void
side_column(struct sheet *s, const struct case_public *c, struct column *col, int aside)
{
	struct pdf *d = &s->pdf;
	heading(col, tr(s, W_FACTS), 10, 0);
	fact(s, col, W_SECTORS, labels(s, "sector", c->sectors, LIST_SEP), 6);
	fact(s, col, W_COUNTRIES, labels(s, "country", c->countries, LIST_SEP), 6);
	fact(s, col, W_TYPE, labels(s, "type", c->type, LIST_SEP), 6);
	fact(s, col, W_STAGE, labels(s, "stage", c->stage, LIST_SEP), 6);
	fact(s, col, W_OUTCOME, labels(s, "outcome", c->outcome, LIST_SEP), 6);
	if (c->start_year > 0)
		fact(s, col, W_SINCE, arena_printf(&d->ar, "%d", c->start_year), 6);
	if (*str(c->org_brought) == '\0' && *str(c->partner_brought) == '\0')
		fact(s, col, W_RESOURCES, labels(s, "resource", c->resources, LIST_SEP), 6);
	fact(s, col, W_SDGS, sdgs(s, c->sdgs), 6);
	if (col->n == 1) /* no fact at all: no heading */
		col->n = 0;
	lists(s, c, col, 0, aside, 10);
	if (c->may_contact) {
		struct block *b = add(col, tr(s, W_CONTACT), 7.5, PDF_ITALIC, PDF_PRIMARY_DARK);
		if (b) {
			b->before = 12;
			b->max = 3;
			b->squeeze = true;
		}
	}
}

/* Draws the case on the current page, from its top; the page's footer is set to the case's. */
static void
sheet(struct sheet *s, const struct case_public *c)
{
	struct pdf *d = &s->pdf;
	band(s, c);
	d->y = BAND_H + 22;
	title(s, *str(c->title) ? c->title : tr(s, W_UNTITLED));
	parties(s, c);

	double top = d->y, avail = PDF_BOTTOM - 8 - top;
	/* In the arena: two columns of blocks would take 30 KB of a server thread's stack. */
	struct column *body = arena_alloc(&d->ar, sizeof *body);
	struct column *side = arena_alloc(&d->ar, sizeof *side);
	*body = (struct column){.x = MARGIN, .w = BODY_W};
	*side = (struct column){.x = SIDE_X + SIDE_PAD, .w = SIDE_W - 2 * SIDE_PAD};
	/* The factors and obstacles go beside the story, unless they do not fit there whole: then
	 * the obstacles, and if need be the factors too, follow it, on the wider column and in
	 * step with its texts. */
	int aside = 2;
	double side_h;
	for (;;) {
		side->n = 0;
		side_column(s, c, side, aside);
		side_h = column_fit(d, side, avail - 2 * SIDE_PAD);
		if (!side->cut || aside == 0)
			break;
		aside--;
	}
	body_column(s, c, body, aside);
	column_fit(d, body, avail);
	if (side->n > 0)
		pdf_rect(d, SIDE_X, top, SIDE_W, side_h + 2 * SIDE_PAD, PDF_TINT);
	column_draw(d, body, top);
	column_draw(d, side, top + SIDE_PAD);

	const char *date = iso_date(s, c->published_at);
	d->footer =
		*date ? arena_printf(&d->ar, "%s %s · /cases/%lld", tr(s, W_PUBLISHED), date, c->id)
		      : arena_printf(&d->ar, "%s %lld · %s", tr(s, W_CASE_NO), c->id,
				     tr(s, W_NOT_ONLINE));
	d->y = PDF_BOTTOM;
}

static int
lang_index(const char *lang)
{
	return lang && strcmp(lang, "en") == 0 ? 1 : 0;
}

int
case_sheet_pdf(const struct case_public *c, const char *lang, case_label_fn label, void *ctx,
	       struct buf *out, char *err, size_t errlen)
{
	if (c == NULL) {
		snprintf(err, errlen, "no case");
		return -1;
	}
	struct sheet s = {.lang = lang_index(lang), .label = label, .ctx = ctx};
	const char *t = *str(c->title) ? c->title : tr(&s, W_UNTITLED);
	db_slow_work("pdf"); /* a document takes long: never while holding the write lock */
	if (pdf_open(&s.pdf, out, t, "", NULL, err, errlen) != 0)
		return -1;
	sheet(&s, c);
	return pdf_close(&s.pdf, err, errlen);
}

/* ---- the booklet ---- */

#define TOC_TOP   (MARGIN + 48) /* the first entry on the first page of the contents */
#define TOC_ROW_H 34.0

static size_t
toc_fits(double top)
{
	return (size_t)((PDF_BOTTOM - top) / TOC_ROW_H);
}

static int
toc_pages(size_t n)
{
	size_t first = toc_fits(TOC_TOP), next = toc_fits(MARGIN);
	if (n <= first)
		return 1;
	return 1 + (int)((n - first + next - 1) / next);
}

static void
cover(struct sheet *s, const char *t, size_t n)
{
	struct pdf *d = &s->pdf;
	const double band_h = 330;
	pdf_rect(d, 0, 0, PDF_PAGE_W, band_h, PDF_PRIMARY_DARK);
	pdf_rect(d, 0, band_h, PDF_PAGE_W, 4, PDF_ACCENT);
	pdf_font(d, 11, PDF_BOLD);
	pdf_colour(d, PDF_WHITE);
	pdf_show(d, tr(s, W_BRAND), MARGIN, 64, false);
	pdf_font(d, 8.5, PDF_REGULAR);
	pdf_colour(d, PDF_PRIMARY_SOFT);
	int lines;
	const char *l = pdf_wrap(d, tr(s, W_CLUSTER), CONTENT_W, 2, &lines);
	pdf_show_lines(d, l, MARGIN, 80, 11, CONTENT_W, false);

	/* The title sits on the bottom of the band, however many lines it takes. */
	pdf_font(d, 28, PDF_BOLD);
	l = pdf_wrap(d, t, CONTENT_W, 4, &lines);
	pdf_colour(d, PDF_WHITE);
	pdf_show_lines(d, l, MARGIN, band_h - 40 - (lines - 1) * 34, 34, CONTENT_W, false);
	pdf_rect(d, MARGIN, band_h - 26, 40, 3, PDF_ACCENT);
	pdf_outline(d, t);

	d->y = band_h + 50;
	pdf_paragraph(d, tr(s, W_BOOKLET_SUB), 14, PDF_REGULAR, PDF_PRIMARY_DARK);
	d->y += 16;
	pdf_rect(d, MARGIN, d->y, 170, 70, PDF_TINT);
	pdf_rect(d, MARGIN, d->y, 3, 70, PDF_PRIMARY);
	pdf_font(d, 30, PDF_BOLD);
	pdf_colour(d, PDF_PRIMARY_DARK);
	pdf_show(d, arena_printf(&d->ar, "%zu", n), MARGIN + 16, d->y + 38, false);
	pdf_font(d, 9.5, PDF_REGULAR);
	pdf_colour(d, PDF_INK);
	pdf_show(d, tr(s, n == 1 ? W_PARTNERSHIP : W_PARTNERSHIPS), MARGIN + 16, d->y + 56, false);
	d->y += 70 + 24;
	const char *date = today(s);
	if (*date)
		pdf_paragraph(d, arena_printf(&d->ar, "%s %s", tr(s, W_PRODUCED_ON), date), 10,
			      PDF_REGULAR, PDF_MUTED);
	d->footer = tr(s, W_BRAND);
}

/* One line of the contents: number, title, sectors and countries, page (a link to it). */
static void
toc_entry(struct sheet *s, const struct case_public *c, size_t i, int page)
{
	struct pdf *d = &s->pdf;
	const char *num = arena_printf(&d->ar, "%d", page);
	pdf_font(d, 10.5, PDF_BOLD);
	double num_w = pdf_advance(d, num), tx = MARGIN + 26, tw = CONTENT_W - 26 - num_w - 24;
	double base = d->y + 14;

	/* A named destination: cairo resolves those at the end, links to later pages by number
	 * it would leave empty. */
	cairo_tag_begin(d->cr, CAIRO_TAG_LINK, arena_printf(&d->ar, "dest='case-%zu'", i + 1));
	pdf_colour(d, PDF_ACCENT_INK);
	pdf_show(d, arena_printf(&d->ar, "%zu", i + 1), MARGIN, base, false);
	pdf_colour(d, PDF_INK);
	int n;
	const char *l = pdf_wrap(d, *str(c->title) ? c->title : tr(s, W_UNTITLED), tw, 1, &n);
	pdf_show_lines(d, l, tx, base, 0, tw, false);
	double end = tx + pdf_advance(d, arena_strndup(&d->ar, l, strcspn(l, "\n")));
	pdf_colour(d, PDF_PRIMARY_DARK);
	pdf_show(d, num, MARGIN + CONTENT_W, base, true);
	cairo_tag_end(d->cr, CAIRO_TAG_LINK);

	/* Dotted leaders from the title to its page. */
	static const double dots[] = {0.8, 3};
	cairo_set_dash(d->cr, dots, 2, 0);
	cairo_set_line_cap(d->cr, CAIRO_LINE_CAP_ROUND);
	pdf_colour(d, PDF_PARTLY);
	if (MARGIN + CONTENT_W - num_w - 6 > end + 6)
		pdf_line(d, end + 6, base, MARGIN + CONTENT_W - num_w - 6, base, 0.9);
	cairo_set_dash(d->cr, NULL, 0, 0);
	cairo_set_line_cap(d->cr, CAIRO_LINE_CAP_BUTT);

	const char *sectors = labels(s, "sector", c->sectors, LIST_SEP);
	const char *countries = labels(s, "country", c->countries, LIST_SEP);
	const char *about = arena_printf(&d->ar, "%s%s%s", sectors,
					 *sectors && *countries ? " — " : "", countries);
	pdf_font(d, 8, PDF_REGULAR);
	pdf_colour(d, PDF_MUTED);
	l = pdf_wrap(d, about, tw, 1, &n);
	pdf_show_lines(d, l, tx, base + 12.5, 0, tw, false);
	d->y += TOC_ROW_H;
}

static void
contents(struct sheet *s, const char *t, const struct case_public *const *cases, size_t n,
	 int first_page)
{
	struct pdf *d = &s->pdf;
	d->footer = t;
	pdf_heading(d, tr(s, W_CONTENTS), 40);
	d->y = TOC_TOP;
	for (size_t i = 0; i < n; i++) {
		pdf_need(d, TOC_ROW_H);
		toc_entry(s, cases[i], i, first_page + (int)i);
	}
}

int
case_booklet_pdf(const struct case_public *const *cases, size_t n, const char *lang,
		 const char *title_text, case_label_fn label, void *ctx, struct buf *out, char *err,
		 size_t errlen)
{
	if (cases == NULL || n == 0) {
		snprintf(err, errlen, "no case in the booklet");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (cases[i] == NULL) {
			snprintf(err, errlen, "case %zu of the booklet is missing", i + 1);
			return -1;
		}
	struct sheet s = {.lang = lang_index(lang), .label = label, .ctx = ctx};
	const char *t = title_text && *title_text ? title_text : tr(&s, W_BOOKLET);
	db_slow_work("pdf");
	if (pdf_open(&s.pdf, out, t, "", tr(&s, W_PAGE), err, errlen) != 0)
		return -1;
	cover(&s, t, n);
	pdf_need(&s.pdf, PDF_PAGE_H); /* a page of its own */
	contents(&s, t, cases, n, 1 + toc_pages(n) + 1);
	for (size_t i = 0; i < n; i++) {
		pdf_need(&s.pdf, PDF_PAGE_H);
		const char *dest = arena_printf(&s.pdf.ar, "name='case-%zu' x=0 y=0", i + 1);
		cairo_tag_begin(s.pdf.cr, CAIRO_TAG_DEST, dest);
		cairo_tag_end(s.pdf.cr, CAIRO_TAG_DEST);
		sheet(&s, cases[i]);
	}
	return pdf_close(&s.pdf, err, errlen);
}
