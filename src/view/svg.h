/* svg.h - accessible SVG charts drawn by the server: bars, forest plots, stacked bars. */
#ifndef COEXIST_SVG_H
#define COEXIST_SVG_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

struct svg_bar {
	const char *label; /* shown left of the bar (escaped) */
	double value;      /* 0..max */
	const char *text;  /* shown at the end of the bar, e.g. "78 % (n = 41)" (escaped) */
	const char *href;  /* the bar links there when not NULL (the cases behind it) */
	bool muted;        /* drawn lighter: too few cases to conclude */
};

struct svg_interval {
	const char *label;
	double estimate, low, high; /* odds ratio and its interval (> 0) */
	const char *text;           /* e.g. "OR 2.4 [1.3–4.5]" */
	const char *href;
	bool muted;
};

struct svg_stack {
	const char *label;
	double parts[3]; /* e.g. overcome, partly, not overcome (counts) */
	const char *href;
};

/* Horizontal bars. title and desc become <title> and <desc> (role="img", aria-labelledby). */
void svg_bars(struct buf *out, const char *id, const char *title, const char *desc,
	      const struct svg_bar *bars, size_t n, double max);
/* Forest plot of odds ratios on a log scale, with a reference line at 1. */
void svg_forest(struct buf *out, const char *id, const char *title, const char *desc,
		const struct svg_interval *rows, size_t n, const char *left_label,
		const char *right_label);
/* Stacked horizontal bars with a legend of the three parts. */
void svg_stacked(struct buf *out, const char *id, const char *title, const char *desc,
		 const char *const part_labels[3], const struct svg_stack *rows, size_t n);

#endif
