/* stats.c - outcome of a case, Fisher's exact test, odds ratios and Benjamini–Hochberg q-values. */
#include "insight.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

/* 97.5th percentile of the standard normal distribution, as R's qnorm(0.975) gives it. */
#define Z975 1.959963984540054

/* R's fisher.test counts a table as extreme as the observed one when its probability is at most
 * the observed one times 1 + 1e-7, so that tables of equal probability computed with rounding
 * errors are not left out. */
#define FISHER_REL_TOL 1e-7

void
insight_options_default(struct insight_options *o)
{
	o->fold_partly_into_success = false;
	o->include_running = false;
	o->min_group = 5;
	o->min_support = 5;
	o->max_itemset = 3;
}

static bool
eq(const char *s, const char *code)
{
	return s != NULL && strcmp(s, code) == 0;
}

/* The outcome told by an achievement code alone: UNKNOWN when there is none or it is not one of
 * the five codes. */
static enum outcome
outcome_of_achievement(const char *achievement)
{
	if (eq(achievement, "met") || eq(achievement, "exceeded"))
		return OUTCOME_SUCCESS;
	if (eq(achievement, "abandoned") || eq(achievement, "not_met"))
		return OUTCOME_FAILURE;
	if (eq(achievement, "partly_met"))
		return OUTCOME_PARTLY;
	return OUTCOME_UNKNOWN;
}

/* A partnership still running or in its pilot is RUNNING whatever its achievement says: its
 * answer is a forecast, not a result. One scaling up has proved itself enough to be judged by
 * its achievement, and is RUNNING only when it has none. */
enum outcome
insight_outcome(const char *achievement, const char *stage)
{
	if (eq(stage, "running") || eq(stage, "pilot"))
		return OUTCOME_RUNNING;
	enum outcome o = outcome_of_achievement(achievement);
	if (o == OUTCOME_UNKNOWN && eq(stage, "scaling"))
		return OUTCOME_RUNNING;
	return o;
}

/* With o->include_running, a running or pilot case with an achievement answer is judged by it;
 * otherwise the same as insight_outcome(). The cases given to the analyses carry this outcome,
 * so that they need not know the achievement. */
enum outcome
insight_case_outcome(const char *achievement, const char *stage, const struct insight_options *o)
{
	enum outcome r = insight_outcome(achievement, stage);
	if (r == OUTCOME_RUNNING && o != NULL && o->include_running) {
		enum outcome by_achievement = outcome_of_achievement(achievement);
		if (by_achievement != OUTCOME_UNKNOWN)
			return by_achievement;
	}
	return r;
}

/* ---- Fisher's exact test ----
 *
 * With the margins fixed, the top-left cell x of the table follows the hypergeometric law on
 * [lo, hi]. The two-sided p-value sums the probabilities of the x whose probability is at most
 * the observed one. The law is log-concave, so these x form two tails, one on each side of the
 * mode: each tail is found from its inner end and summed outwards with the ratio of consecutive
 * probabilities, which only multiplies and stops once what is left cannot change the sum. A
 * table of 100,000 cases thus costs a few thousand steps and a handful of lgamma calls. */

struct hyper {
	double r1, c1, n; /* first row and first column totals, grand total */
	long lo, hi;      /* support of x */
};

/* ln P(x) up to a constant, from log-factorials. lgamma_r, not lgamma: lgamma writes the
 * global signgam, a data race between the server's worker threads. */
static double
hyper_log(const struct hyper *h, long x)
{
	int sign;
	double xd = (double)x;
	return -(lgamma_r(xd + 1, &sign) + lgamma_r(h->r1 - xd + 1, &sign) +
		 lgamma_r(h->c1 - xd + 1, &sign) + lgamma_r(h->n - h->r1 - h->c1 + xd + 1, &sign));
}

/* P(x + 1) / P(x). */
static double
hyper_up(const struct hyper *h, long x)
{
	double xd = (double)x;
	return (h->r1 - xd) * (h->c1 - xd) / ((xd + 1) * (h->n - h->r1 - h->c1 + xd + 1));
}

/* P(x - 1) / P(x). */
static double
hyper_down(const struct hyper *h, long x)
{
	double xd = (double)x;
	return xd * (h->n - h->r1 - h->c1 + xd) / ((h->r1 - xd + 1) * (h->c1 - xd + 1));
}

/* Sum of P(y) / P(x) for y from x outwards in direction dir (away from the mode), x included.
 * Going away from the mode the ratios only decrease, so once the ratio r is below 1 what is
 * left is at most term * r / (1 - r); the walk stops when that is below the last bits of the
 * sum. */
static double
hyper_tail(const struct hyper *h, long x, int dir)
{
	double term = 1, sum = 1;
	long end = dir > 0 ? h->hi : h->lo;
	while (x != end) {
		double r = dir > 0 ? hyper_up(h, x) : hyper_down(h, x);
		term *= r;
		x += dir;
		sum += term;
		if (term == 0 || (r < 1 && term * r < 1e-17 * sum * (1 - r)))
			break;
	}
	return sum;
}

/* Lexicographic order of two tables. */
static int
table_cmp(const long *x, const long *y)
{
	for (int i = 0; i < 4; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

double
insight_fisher(long a, long b, long c, long d)
{
	if (a < 0 || b < 0 || c < 0 || d < 0)
		return NAN;
	/* p is the same for the 8 tables that swap rows, columns or transpose; computing it on one
	 * of them makes the 8 equal to the last bit, so that an item and its complement, say, get
	 * the same q and rank by their other keys. */
	const long sym[8][4] = {{a, b, c, d}, {c, d, a, b}, {b, a, d, c}, {d, c, b, a},
				{a, c, b, d}, {b, d, a, c}, {c, a, d, b}, {d, b, c, a}};
	size_t k = 0;
	for (size_t i = 1; i < 8; i++)
		if (table_cmp(sym[i], sym[k]) < 0)
			k = i;
	a = sym[k][0];
	b = sym[k][1];
	c = sym[k][2];
	d = sym[k][3];
	long r1 = a + b, c1 = a + c, n = a + b + c + d;
	struct hyper h = {(double)r1, (double)c1, (double)n, 0, 0};
	h.lo = r1 + c1 - n > 0 ? r1 + c1 - n : 0;
	h.hi = r1 < c1 ? r1 : c1;
	if (h.lo >= h.hi)
		return 1; /* one table only: a margin is 0 or the table is determined */
	long mode = (long)floor(((double)r1 + 1) * ((double)c1 + 1) / ((double)n + 2));
	if (mode < h.lo)
		mode = h.lo;
	if (mode > h.hi)
		mode = h.hi;

	double lmode = hyper_log(&h, mode);
	double total = hyper_tail(&h, mode, 1) + hyper_tail(&h, mode, -1) - 1; /* in P(mode) */

	/* The observed side: every x beyond a, and those between a and the mode whose probability
	 * is within the tolerance of a's (equal in exact arithmetic). */
	long x = a;
	int out = a <= mode ? -1 : 1; /* away from the mode on a's side */
	double rel = 1;               /* P(x) / P(a) */
	while (x != mode) {
		double r = out < 0 ? hyper_up(&h, x) : hyper_down(&h, x);
		if (rel * r > 1 + FISHER_REL_TOL)
			break;
		rel *= r;
		x -= out;
	}
	double lobs = hyper_log(&h, a);
	double sum = exp(lobs - lmode) * rel * hyper_tail(&h, x, out);

	/* The other side: the x at most as probable as a. There P decreases away from the mode, so
	 * they are those from the first one found by bisection to the end of the support. */
	double limit = lobs + log1p(FISHER_REL_TOL);
	long in = mode - out, far = out < 0 ? h.hi : h.lo;
	if (in >= h.lo && in <= h.hi && hyper_log(&h, far) <= limit) {
		long t_lo = 0, t_hi = labs(far - in); /* steps from in; t_hi always qualifies */
		while (t_lo < t_hi) {
			long t = t_lo + (t_hi - t_lo) / 2;
			if (hyper_log(&h, in - out * t) <= limit)
				t_hi = t;
			else
				t_lo = t + 1;
		}
		long y = in - out * t_hi;
		sum += exp(hyper_log(&h, y) - lmode) * hyper_tail(&h, y, -out);
	}
	double p = sum / total;
	return p > 1 ? 1 : p;
}

void
insight_odds_ratio(long a, long b, long c, long d, double *or_, double *lo, double *hi)
{
	if (a < 0 || b < 0 || c < 0 || d < 0) {
		*or_ = *lo = *hi = NAN;
		return;
	}
	double x = (double)a, y = (double)b, z = (double)c, w = (double)d;
	if (a == 0 || b == 0 || c == 0 || d == 0) {
		/* Haldane: without it one zero cell makes the ratio 0 or infinite and the interval
		 * meaningless. */
		x += 0.5;
		y += 0.5;
		z += 0.5;
		w += 0.5;
	}
	double lor = log(x * w / (y * z));
	double se = sqrt(1 / x + 1 / y + 1 / z + 1 / w);
	*or_ = exp(lor);
	*lo = exp(lor - Z975 * se);
	*hi = exp(lor + Z975 * se);
}

struct ranked_p {
	double p;
	size_t i;
};

static int
ranked_p_cmp(const void *x, const void *y)
{
	const struct ranked_p *u = x, *v = y;
	if (u->p < v->p)
		return -1;
	if (u->p > v->p)
		return 1;
	return u->i < v->i ? -1 : u->i > v->i;
}

/* NaN p-values (tests that could not be made) get a NaN q and do not count among the tests, as
 * in R's p.adjust. */
void
insight_bh(const double *p, double *q, size_t n)
{
	if (n == 0)
		return;
	struct ranked_p *r = malloc(n * sizeof(*r));
	if (r == NULL)
		die("insight_bh: out of memory (%zu p-values)", n);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(p[i]))
			q[i] = NAN;
		else
			r[m++] = (struct ranked_p){p[i], i};
	}
	qsort(r, m, sizeof(*r), ranked_p_cmp);
	/* Step-up: q of the k-th smallest is min over j >= k of p_(j) * m / j. */
	double run = 1;
	for (size_t k = m; k > 0; k--) {
		double v = r[k - 1].p * (double)m / (double)k;
		if (v < run)
			run = v;
		q[r[k - 1].i] = run;
	}
	free(r);
}
