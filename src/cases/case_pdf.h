/* case_pdf.h - a partnership case as one printed A4 sheet, and event booklets of such sheets
 * (cover, contents, one sheet per case), in French or English. Draws only what a public
 * projection of the case (struct case_public) holds. */
#ifndef COEXIST_CASE_PDF_H
#define COEXIST_CASE_PDF_H

#include <stddef.h>

struct buf;
struct case_public;

/* The label of a code in the document's language. kind is one of "sector", "type", "stage",
 * "outcome", "resource", "factor", "obstacle", "sdg", "kind" (of organisation) and "country".
 * A NULL answer (or a NULL function) shows the code itself. */
typedef const char *(*case_label_fn)(void *ctx, const char *kind, const char *code);

/* Appends the case as a PDF of exactly one A4 page to out, whatever the lengths of its texts
 * (they are set smaller, then cut with an ellipsis). lang is "fr" (the default) or "en".
 * Organisation names are printed only when c->named. 0, or -1 with a message in err (out is
 * then left as it was). */
int case_sheet_pdf(const struct case_public *c, const char *lang, case_label_fn label, void *ctx,
		   struct buf *out, char *err, size_t errlen);

/* Appends an event booklet to out: a cover (title, date, number of cases), the contents (titles
 * and page numbers), then the sheet of each case, as case_sheet_pdf() draws it, one a page.
 * The caller passes only cases case_events_view() accepted. 0, or -1 with a message in err
 * (no case, a NULL case, or cairo failing; out is then left as it was). */
int case_booklet_pdf(const struct case_public *const *cases, size_t n, const char *lang,
		     const char *title, case_label_fn label, void *ctx, struct buf *out, char *err,
		     size_t errlen);

#endif
