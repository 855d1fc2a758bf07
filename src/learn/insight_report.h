/* insight_report.h - the analysis of why partnerships succeed, as a PDF to read and print and
 * as an XLSX workbook to work the figures further. */
#ifndef COEXIST_INSIGHT_REPORT_H
#define COEXIST_INSIGHT_REPORT_H

#include <stddef.h>

struct buf;
struct ifactors;
struct iitemsets;
struct iobstacles;
struct iterms;
struct ipairs;

/* What a report shows. Any of the result pointers may be NULL: its part is left out. */
struct insight_report {
	const char *title, *subtitle; /* subtitle may be NULL */
	const char *lang;             /* "fr" (the default) or "en": the report's own words */
	long ncases, nsuccess, nfailure, left_out;
	const struct ifactors *factors;
	const struct iitemsets *itemsets;
	const struct iobstacles *obstacles;
	const struct iterms *terms;
	const struct ipairs *pairs;
	/* The label of an item ("factor:trust") in lang; NULL or a NULL answer shows the code. */
	const char *(*label)(void *ctx, const char *item);
	void *label_ctx;
	const char *caveat; /* e.g. the data are self-reported; NULL: a default sentence */
};

/* Appends the report as an A4 PDF to out. 0, or -1 with a message in err. */
int insight_report_pdf(const struct insight_report *r, struct buf *out, char *err, size_t errlen);
/* Appends the report as an XLSX workbook to out: sheets factors, combinations, obstacles,
 * words, partners and about. 0, or -1 with a message in err. */
int insight_report_xlsx(const struct insight_report *r, struct buf *out, char *err, size_t errlen);

#endif
