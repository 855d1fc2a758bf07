/* test_insight_stats.c - the outcome of a case, Fisher's exact test, odds ratios, BH q-values,
 * the factor analysis (on hand-made cases and on generated ones with planted effects) and the
 * sentences that tell its figures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "insight/insight.h"

/* |got - want| within rel of want (and exact zeros equal). */
static void
assert_close(double got, long double want, double rel, const char *what)
{
	long double err = fabsl((long double)got - want);
	if (!(err <= rel * fabsl(want)) && !(want == 0 && got == 0)) {
		print_error("%s: got %.17g, want %.17Lg (relative error %.3Lg)\n", what, got, want,
			    want != 0 ? err / fabsl(want) : err);
		fail();
	}
}

/* ---- outcome ---- */

static void
outcome_from_achievement_and_stage(void **state)
{
	(void)state;
	assert_int_equal(insight_outcome("met", "completed"), OUTCOME_SUCCESS);
	assert_int_equal(insight_outcome("exceeded", NULL), OUTCOME_SUCCESS);
	assert_int_equal(insight_outcome("abandoned", "stopped_early"), OUTCOME_FAILURE);
	assert_int_equal(insight_outcome("not_met", "completed"), OUTCOME_FAILURE);
	assert_int_equal(insight_outcome("partly_met", "completed"), OUTCOME_PARTLY);
	assert_int_equal(insight_outcome(NULL, "completed"), OUTCOME_UNKNOWN);
	assert_int_equal(insight_outcome("", NULL), OUTCOME_UNKNOWN);
	assert_int_equal(insight_outcome("perhaps", "completed"), OUTCOME_UNKNOWN);
	/* Running or pilot: running whatever the answer; scaling: judged by its answer. */
	assert_int_equal(insight_outcome("met", "running"), OUTCOME_RUNNING);
	assert_int_equal(insight_outcome("not_met", "pilot"), OUTCOME_RUNNING);
	assert_int_equal(insight_outcome(NULL, "running"), OUTCOME_RUNNING);
	assert_int_equal(insight_outcome("exceeded", "scaling"), OUTCOME_SUCCESS);
	assert_int_equal(insight_outcome("partly_met", "scaling"), OUTCOME_PARTLY);
	assert_int_equal(insight_outcome(NULL, "scaling"), OUTCOME_RUNNING);

	struct insight_options o;
	insight_options_default(&o);
	assert_false(o.fold_partly_into_success);
	assert_false(o.include_running);
	assert_int_equal(o.min_group, 5);
	assert_int_equal(o.min_support, 5);
	assert_int_equal(o.max_itemset, 3);
	assert_int_equal(insight_case_outcome("met", "running", &o), OUTCOME_RUNNING);
	o.include_running = true;
	assert_int_equal(insight_case_outcome("met", "running", &o), OUTCOME_SUCCESS);
	assert_int_equal(insight_case_outcome("not_met", "pilot", &o), OUTCOME_FAILURE);
	assert_int_equal(insight_case_outcome(NULL, "running", &o), OUTCOME_RUNNING);
	assert_int_equal(insight_case_outcome("met", "completed", &o), OUTCOME_SUCCESS);
}

/* ---- Fisher ---- */

/* Two-sided p-values computed outside this code, in exact rational arithmetic (Python integers:
 * every hypergeometric term as an exact integer, summed where at most the observed one), the
 * first three also published: Fisher's tea-tasting table 0.4857142857; [[1, 9], [11, 3]]
 * 0.002759456 (Wikipedia, "Fisher's exact test"); [[0, 5], [5, 0]] 2/252 = 0.007936508. */
static const struct {
	long a, b, c, d;
	long double p;
} fisher_refs[] = {
	{3, 1, 1, 3, 4.85714285714285714e-1L},
	{1, 9, 11, 3, 2.75945618522008346e-3L},
	{0, 5, 5, 0, 7.93650793650793651e-3L},
	{10, 0, 0, 10, 1.08250882244690294e-5L}, /* 2 / C(20, 10) */
	{2, 7, 8, 2, 2.30141375652211566e-2L},
	{20, 10, 5, 15, 8.57850815046912203e-3L},
	{12, 5, 3, 14, 4.89579257292175027e-3L},
	{100, 80, 60, 90, 5.69259893998926262e-3L},
	{500, 300, 350, 420, 1.44319076672968858e-11L},
	{1000, 900, 950, 1100, 7.86285016110590199e-5L},
	{7, 0, 0, 0, 1.0L},
	{1, 0, 0, 0, 1.0L},
	{0, 3, 0, 4, 1.0L},
	{30, 1, 2, 40, 5.26416664903709709e-17L},
	{0, 12, 9, 0, 3.40217058483312353e-6L},
	{4, 0, 0, 1, 2.00000000000000000e-1L},
	{1, 2, 3, 4, 1.0L},
	{25, 25, 25, 25, 1.0L},
	{10, 50, 40, 20, 3.79912464536198377e-8L},
	{30000, 20000, 25000, 25000, 5.76687563704171816e-222L},
	{20100, 29900, 19900, 30100, 1.98952976309072351e-1L},
	{60, 40000, 100, 59840, 5.19766529299055140e-1L},
	{3, 49997, 15, 49985, 7.53270656165145079e-3L},
};

static void
fisher_matches_reference_values(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fisher_refs) / sizeof(fisher_refs[0]); i++) {
		char what[80];
		snprintf(what, sizeof(what), "fisher(%ld, %ld, %ld, %ld)", fisher_refs[i].a,
			 fisher_refs[i].b, fisher_refs[i].c, fisher_refs[i].d);
		assert_close(insight_fisher(fisher_refs[i].a, fisher_refs[i].b, fisher_refs[i].c,
					    fisher_refs[i].d),
			     fisher_refs[i].p, 1e-6, what);
	}
	/* The published values to the digits published. */
	assert_true(fabs(insight_fisher(3, 1, 1, 3) - 0.4857142857) < 1e-10);
	assert_true(fabs(insight_fisher(1, 9, 11, 3) - 0.002759456) < 1e-9);
	assert_true(fabs(insight_fisher(0, 5, 5, 0) - 0.007936508) < 1e-9);
}

static void
fisher_edge_cases(void **state)
{
	(void)state;
	assert_true(insight_fisher(0, 0, 0, 0) == 1); /* no case */
	assert_true(insight_fisher(1, 0, 0, 0) == 1); /* n = 1 */
	assert_true(insight_fisher(0, 0, 0, 1) == 1);
	assert_true(insight_fisher(5, 7, 0, 0) == 1);  /* a 0 row margin */
	assert_true(insight_fisher(0, 9, 0, 4) == 1);  /* a 0 column margin */
	assert_true(insight_fisher(12, 0, 0, 0) == 1); /* everything in one cell */
	assert_true(insight_fisher(0, 1, 1, 0) == 1);  /* the two tables of n = 2, equal */
	/* Symmetries: transposing, swapping rows or columns leaves p unchanged. */
	double p = insight_fisher(7, 2, 3, 9);
	assert_true(insight_fisher(7, 3, 2, 9) == p); /* transposed */
	assert_true(insight_fisher(3, 9, 7, 2) == p); /* rows swapped */
	assert_true(insight_fisher(2, 7, 9, 3) == p); /* columns swapped */
	assert_true(insight_fisher(9, 3, 2, 7) == p); /* both, transposed */
	assert_true(isnan(insight_fisher(-1, 2, 3, 4)));
	/* Extreme tables: far beyond double range, 0 or the smallest numbers, never NaN. */
	double tiny = insight_fisher(50000, 0, 0, 50000);
	assert_true(tiny >= 0 && tiny < 1e-300);
	assert_true(insight_fisher(100000, 0, 0, 0) == 1);
}

/* An independent implementation: every table of the margins enumerated, with exact integer
 * hypergeometric terms (Pascal's triangle, n <= 60 so they fit in 64 bits) and R's rule for
 * near-ties made exact in 128-bit integers. */
#define EXACT_N 61
static uint64_t binom[EXACT_N][EXACT_N];

static void
binom_fill(void)
{
	for (int n = 0; n < EXACT_N; n++) {
		binom[n][0] = binom[n][n] = 1;
		for (int k = 1; k < n; k++)
			binom[n][k] = binom[n - 1][k - 1] + binom[n - 1][k];
	}
}

static long double
fisher_exact_int(long a, long b, long c, long d)
{
	long r1 = a + b, c1 = a + c, n = a + b + c + d;
	long lo = r1 + c1 - n > 0 ? r1 + c1 - n : 0, hi = r1 < c1 ? r1 : c1;
	unsigned __int128 obs = (unsigned __int128)binom[r1][a] * binom[n - r1][c1 - a];
	unsigned __int128 sum = 0, total = binom[n][c1];
	for (long x = lo; x <= hi; x++) {
		unsigned __int128 t = (unsigned __int128)binom[r1][x] * binom[n - r1][c1 - x];
		if (t * 10000000u <= obs * 10000001u)
			sum += t;
	}
	return (long double)sum / (long double)total;
}

/* Another, for large tables: all terms from lgammal in long double, summed. */
static long double
fisher_enumerated(long a, long b, long c, long d)
{
	long r1 = a + b, c1 = a + c, n = a + b + c + d;
	long lo = r1 + c1 - n > 0 ? r1 + c1 - n : 0, hi = r1 < c1 ? r1 : c1;
	long double *l = malloc((size_t)(hi - lo + 1) * sizeof(*l));
	assert_non_null(l);
	long double top = -INFINITY;
	for (long x = lo; x <= hi; x++) {
		l[x - lo] = -(lgammal(x + 1.0L) + lgammal(r1 - x + 1.0L) + lgammal(c1 - x + 1.0L) +
			      lgammal(n - r1 - c1 + x + 1.0L));
		if (l[x - lo] > top)
			top = l[x - lo];
	}
	long double lim = l[a - lo] + log1pl(1e-7L), sum = 0, total = 0;
	for (long x = lo; x <= hi; x++) {
		long double t = expl(l[x - lo] - top);
		total += t;
		if (l[x - lo] <= lim)
			sum += t;
	}
	free(l);
	return sum / total;
}

static uint64_t rng_state;

static uint64_t
rng_next(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static double
rng_unit(void)
{
	return (double)(rng_next() >> 11) / 9007199254740992.0;
}

static long
rng_below(long n)
{
	return (long)(rng_next() % (uint64_t)n);
}

static void
fisher_agrees_with_exact_enumeration(void **state)
{
	(void)state;
	binom_fill();
	char what[80];
	/* Every table of up to 16 cases. */
	for (long n = 0; n <= 16; n++)
		for (long a = 0; a <= n; a++)
			for (long b = 0; a + b <= n; b++)
				for (long c = 0; a + b + c <= n; c++) {
					long d = n - a - b - c;
					snprintf(what, sizeof(what), "fisher(%ld, %ld, %ld, %ld)",
						 a, b, c, d);
					assert_close(insight_fisher(a, b, c, d),
						     fisher_exact_int(a, b, c, d), 1e-9, what);
				}
	/* Random tables of up to 60 cases. */
	rng_state = 20260101;
	for (int i = 0; i < 3000; i++) {
		long n = 17 + rng_below(44), a = rng_below(n + 1), b = rng_below(n - a + 1),
		     c = rng_below(n - a - b + 1), d = n - a - b - c;
		snprintf(what, sizeof(what), "fisher(%ld, %ld, %ld, %ld)", a, b, c, d);
		assert_close(insight_fisher(a, b, c, d), fisher_exact_int(a, b, c, d), 1e-9, what);
	}
}

static void
fisher_agrees_on_large_tables(void **state)
{
	(void)state;
	rng_state = 424242;
	char what[80];
	for (int i = 0; i < 40; i++) {
		/* Near-independent tables of up to 100,000 cases, so that p spans (0, 1]. */
		long n = 1000 + rng_below(99001);
		double pr = 0.05 + 0.9 * rng_unit(), pc = 0.05 + 0.9 * rng_unit();
		double shift = (rng_unit() - 0.5) * 6 * sqrt(n * pr * pc * (1 - pr) * (1 - pc));
		long r1 = (long)(n * pr), c1 = (long)(n * pc);
		long a = (long)(r1 * pc + shift);
		long lo = r1 + c1 - n > 0 ? r1 + c1 - n : 0, hi = r1 < c1 ? r1 : c1;
		a = a < lo ? lo : a > hi ? hi : a;
		long b = r1 - a, c = c1 - a, d = n - r1 - c;
		snprintf(what, sizeof(what), "fisher(%ld, %ld, %ld, %ld)", a, b, c, d);
		assert_close(insight_fisher(a, b, c, d), fisher_enumerated(a, b, c, d), 1e-6, what);
	}
}

/* ---- odds ratios ---- */

static void
odds_ratio_and_woolf_interval(void **state)
{
	(void)state;
	double or_, lo, hi;
	insight_odds_ratio(20, 10, 5, 15, &or_, &lo, &hi);
	double se = sqrt(1.0 / 20 + 1.0 / 10 + 1.0 / 5 + 1.0 / 15);
	assert_close(or_, 6, 1e-12, "OR");
	assert_close(lo, exp(log(6) - 1.959963984540054 * se), 1e-12, "low");
	assert_close(hi, exp(log(6) + 1.959963984540054 * se), 1e-12, "high");
	assert_close(lo, 1.6931795592741454, 1e-9, "low by hand");
	assert_close(hi, 21.261773332199304, 1e-9, "high by hand");

	insight_odds_ratio(40, 2, 10, 8, &or_, &lo, &hi);
	assert_close(or_, 16, 1e-12, "OR 40 2 10 8");
	assert_close(lo, 2.9306086186251616, 1e-9, "low 40 2 10 8");
	assert_close(hi, 87.353868535368434, 1e-9, "high 40 2 10 8");

	insight_odds_ratio(1, 1, 1, 1, &or_, &lo, &hi);
	assert_close(or_, 1, 1e-12, "OR 1");
	assert_close(lo * hi, 1, 1e-12, "symmetric interval");

	/* Haldane: +0.5 on every cell as soon as one is 0. */
	insight_odds_ratio(0, 5, 5, 0, &or_, &lo, &hi);
	assert_close(or_, 0.25 / 30.25, 1e-12, "Haldane OR");
	assert_close(lo, 0.00013775665763196866, 1e-9, "Haldane low");
	assert_close(hi, 0.49581157608353987, 1e-9, "Haldane high");
	insight_odds_ratio(10, 0, 3, 7, &or_, &lo, &hi);
	assert_close(or_, 10.5 * 7.5 / (0.5 * 3.5), 1e-12, "Haldane OR 45");
	assert_close(lo, 2.0114296268110081, 1e-9, "Haldane low 45");
	assert_close(hi, 1006.7466308580263, 1e-9, "Haldane high 45");
	insight_odds_ratio(7, 3, 0, 0, &or_, &lo, &hi);
	assert_close(or_, 7.5 * 0.5 / (3.5 * 0.5), 1e-12, "Haldane empty row");
	assert_true(isfinite(lo) && isfinite(hi) && lo < or_ && or_ < hi);
	insight_odds_ratio(0, 0, 0, 0, &or_, &lo, &hi);
	assert_close(or_, 1, 1e-12, "no case");
}

/* ---- Benjamini–Hochberg ---- */

static void
bh_worked_examples(void **state)
{
	(void)state;
	const double p[] = {0.01, 0.04, 0.03, 0.005};
	double q[4];
	insight_bh(p, q, 4);
	const double want[] = {0.02, 0.04, 0.04, 0.02};
	for (int i = 0; i < 4; i++)
		assert_close(q[i], want[i], 1e-12, "BH");

	/* Step-up: a larger p lowers the q of the smaller ones. */
	const double p2[] = {0.05, 0.04, 0.03, 0.02, 0.01};
	double q2[5];
	insight_bh(p2, q2, 5);
	for (int i = 0; i < 5; i++)
		assert_close(q2[i], 0.05, 1e-12, "BH step-up");

	/* Never above 1, never below p, monotone in p, ties equal. */
	const double p3[] = {0.9, 0.5, 1.0, 0.5, 0.0};
	double q3[5];
	insight_bh(p3, q3, 5);
	assert_close(q3[0], 1.0, 1e-12, "q 0.9");
	assert_close(q3[1], 0.5 * 5 / 3, 1e-12, "q 0.5");
	assert_close(q3[3], 0.5 * 5 / 3, 1e-12, "q 0.5 tie");
	assert_close(q3[2], 1.0, 1e-12, "q 1");
	assert_true(q3[4] == 0);

	/* NaN: not a test; the others are adjusted over the remaining ones. */
	const double p4[] = {0.01, NAN, 0.02};
	double q4[3];
	insight_bh(p4, q4, 3);
	assert_close(q4[0], 0.02, 1e-12, "q with NaN");
	assert_true(isnan(q4[1]));
	assert_close(q4[2], 0.02, 1e-12, "q with NaN 2");
	insight_bh(p4, q4, 0); /* nothing to do */
}

/* ---- factors ---- */

#define MAXI 24

struct test_case {
	struct icase c;
	const char *items[MAXI];
};

static void
set_case(struct test_case *t, long long id, enum outcome oc, const char *const *items)
{
	memset(t, 0, sizeof(*t));
	t->c.id = id;
	t->c.outcome = oc;
	size_t k = 0;
	for (; items[k] != NULL; k++)
		t->items[k] = items[k];
	t->c.items = t->items;
	t->c.nitems = k;
}

static const struct ifactor *
find_row(const struct ifactors *f, const char *item)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->rows[i].item, item) == 0)
			return &f->rows[i];
	return NULL;
}

static void
assert_ranked(const struct ifactors *f)
{
	for (size_t i = 1; i < f->n; i++) {
		const struct ifactor *u = &f->rows[i - 1], *v = &f->rows[i];
		double lu = fabs(log(u->odds_ratio)), lv = fabs(log(v->odds_ratio));
		assert_true(
			u->q < v->q ||
			(u->q == v->q && (lu > lv || (lu == lv && strcmp(u->item, v->item) < 0))));
	}
}

#define ITEMS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NO_ITEMS   ((const char *const[]){NULL})

enum { NSMALL = 12 };

static void
small_cases(struct test_case *t)
{
	const char *trust = "factor:trust", *champion = "factor:champion",
		   *turnover = "obstacle:turnover";
	set_case(&t[0], 1, OUTCOME_SUCCESS, ITEMS(trust, champion));
	set_case(&t[1], 2, OUTCOME_SUCCESS, ITEMS(trust, "factor:trust")); /* twice: once */
	set_case(&t[2], 3, OUTCOME_SUCCESS, ITEMS(trust));
	set_case(&t[3], 4, OUTCOME_SUCCESS, ITEMS(champion));
	set_case(&t[4], 5, OUTCOME_FAILURE, ITEMS(turnover));
	set_case(&t[5], 6, OUTCOME_FAILURE, ITEMS(trust, turnover));
	set_case(&t[6], 7, OUTCOME_FAILURE, NO_ITEMS);
	set_case(&t[7], 8, OUTCOME_PARTLY, ITEMS(trust));
	set_case(&t[8], 9, OUTCOME_RUNNING, ITEMS(trust, "factor:running_only"));
	set_case(&t[9], 10, OUTCOME_UNKNOWN, ITEMS(champion));
	set_case(&t[10], 11, OUTCOME_SUCCESS, ITEMS(turnover));
	set_case(&t[11], 12, OUTCOME_FAILURE, ITEMS(champion));
}

static void
check_row(const struct ifactors *f, const char *item, long ws, long wf, int min_group)
{
	const struct ifactor *r = find_row(f, item);
	assert_non_null(r);
	assert_int_equal(r->with_success, ws);
	assert_int_equal(r->with_failure, wf);
	assert_int_equal(r->success, f->success);
	assert_int_equal(r->failure, f->failure);
	long ns = f->success - ws, nf = f->failure - wf;
	assert_close(r->share_success, (double)ws / (double)f->success, 1e-15, "share success");
	assert_close(r->share_failure, (double)wf / (double)f->failure, 1e-15, "share failure");
	assert_close(r->p, insight_fisher(ws, wf, ns, nf), 1e-15, "p");
	double or_, lo, hi;
	insight_odds_ratio(ws, wf, ns, nf, &or_, &lo, &hi);
	assert_close(r->odds_ratio, or_, 1e-15, "OR");
	assert_close(r->ci_low, lo, 1e-15, "CI low");
	assert_close(r->ci_high, hi, 1e-15, "CI high");
	assert_int_equal(r->too_few, ws + wf < min_group || ns + nf < min_group ||
					     f->success < min_group || f->failure < min_group);
}

static void
factors_count_hand_made_cases(void **state)
{
	(void)state;
	struct test_case t[NSMALL];
	struct icase cases[NSMALL];
	small_cases(t);
	for (int i = 0; i < NSMALL; i++)
		cases[i] = t[i].c;
	struct arena a;
	arena_init(&a, 0);
	struct insight_options o;
	insight_options_default(&o);
	struct ifactors f;
	insight_factors(cases, NSMALL, &o, &a, &f);

	/* Partly met counts as failure; running and unknown are left out, and so are the items
	 * only they hold. */
	assert_int_equal(f.success, 5);
	assert_int_equal(f.failure, 5);
	assert_int_equal(f.left_out, 2);
	assert_int_equal(f.n, 3);
	assert_null(find_row(&f, "factor:running_only"));
	check_row(&f, "factor:trust", 3, 2, 5);
	check_row(&f, "factor:champion", 2, 1, 5);
	check_row(&f, "obstacle:turnover", 1, 2, 5);
	/* trust: 5 with, 5 without, 5 successful, 5 not: no group under 5. */
	assert_false(find_row(&f, "factor:trust")->too_few);
	assert_true(find_row(&f, "factor:champion")->too_few); /* 3 cases with it */
	/* q: BH over the three items. */
	double p[3], q[3];
	for (int i = 0; i < 3; i++)
		p[i] = f.rows[i].p;
	insight_bh(p, q, 3);
	for (int i = 0; i < 3; i++)
		assert_close(f.rows[i].q, q[i], 1e-15, "q");
	assert_ranked(&f);

	/* Partly met folded into success. */
	o.fold_partly_into_success = true;
	insight_factors(cases, NSMALL, &o, &a, &f);
	assert_int_equal(f.success, 6);
	assert_int_equal(f.failure, 4);
	assert_int_equal(f.left_out, 2);
	check_row(&f, "factor:trust", 4, 1, 5);
	check_row(&f, "factor:champion", 2, 1, 5);
	assert_true(find_row(&f, "factor:trust")->too_few); /* 4 failures */
	o.min_group = 2;
	insight_factors(cases, NSMALL, &o, &a, &f);
	check_row(&f, "factor:trust", 4, 1, 2);
	assert_false(find_row(&f, "factor:champion")->too_few);

	/* No case counted: no row. */
	insight_factors(cases + 8, 2, &o, &a, &f);
	assert_int_equal(f.n, 0);
	assert_int_equal(f.left_out, 2);

	/* The cases behind a figure. */
	long long ids[16];
	size_t k = insight_cases_with(cases, NSMALL, "factor:trust", -1, ids, 16);
	assert_int_equal(k, 6);
	const long long all[] = {1, 2, 3, 6, 8, 9};
	for (size_t i = 0; i < k; i++)
		assert_int_equal(ids[i], all[i]);
	k = insight_cases_with(cases, NSMALL, "factor:trust", OUTCOME_SUCCESS, ids, 16);
	assert_int_equal(k, 3);
	assert_int_equal(ids[2], 3);
	assert_int_equal(insight_cases_with(cases, NSMALL, "factor:trust", -1, ids, 2), 2);
	assert_int_equal(insight_cases_with(cases, NSMALL, "factor:none", -1, ids, 16), 0);
	arena_free(&a);
}

static void
factors_ranking_breaks_ties_by_name(void **state)
{
	(void)state;
	/* x:yes and x:no split the cases in two complementary halves: same p, opposite ln OR of
	 * the same size, hence equal q and |ln OR|, ranked by name. a:one and a:two are held by the
	 * same cases. */
	enum { N = 20 };
	struct test_case t[N];
	struct icase cases[N];
	for (int i = 0; i < N; i++) {
		bool s = i % 2 == 0, yes = i < 8 || (i >= 10 && i % 4 == 0);
		const char *split = yes ? "x:yes" : "x:no";
		if (i % 3 == 0)
			set_case(&t[i], i + 1, s ? OUTCOME_SUCCESS : OUTCOME_FAILURE,
				 ITEMS(split, "a:two", "a:one"));
		else
			set_case(&t[i], i + 1, s ? OUTCOME_SUCCESS : OUTCOME_FAILURE, ITEMS(split));
		cases[i] = t[i].c;
	}
	struct arena a;
	arena_init(&a, 0);
	struct ifactors f;
	insight_factors(cases, N, NULL, &a, &f);
	assert_int_equal(f.n, 4);
	assert_ranked(&f);
	size_t yes = 0, no = 0, one = 0, two = 0;
	for (size_t i = 0; i < f.n; i++) {
		if (strcmp(f.rows[i].item, "x:yes") == 0)
			yes = i;
		else if (strcmp(f.rows[i].item, "x:no") == 0)
			no = i;
		else if (strcmp(f.rows[i].item, "a:one") == 0)
			one = i;
		else
			two = i;
	}
	assert_true(f.rows[yes].q == f.rows[no].q);
	assert_int_equal(yes, no + 1);
	assert_int_equal(two, one + 1);
	arena_free(&a);
}

/* The model of docs/demo-data.md: log-odds of success -0.4 + 1.4 agreement + 1.2 champion
 * - 1.3 turnover; a written agreement is a contract or a letter half each and brings
 * clear_roles; nine other factors at 35 %, four other obstacles at 30 %, sector and type at
 * random, none of them related to success; 15 % still running. */
static const char *const null_factors[] = {
	"factor:shared_objectives",    "factor:mission_fit",  "factor:mutual_value",
	"factor:complementary_skills", "factor:trust",        "factor:communication",
	"factor:local_anchoring",      "factor:adaptability", "factor:joint_learning"};
static const char *const null_obstacles[] = {"obstacle:lack_of_time", "obstacle:cultural_gap",
					     "obstacle:hard_to_measure", "obstacle:field_context"};
static const char *const sectors[] = {"sector:health",      "sector:energy",    "sector:water",
				      "sector:agriculture", "sector:education", "sector:digital"};
static const char *const types[] = {"type:giving", "type:responsible_practices",
				    "type:economic_cooperation", "type:societal_innovation"};

static void
planted_case(struct test_case *t, long long id)
{
	memset(t, 0, sizeof(*t));
	size_t k = 0;
	bool agreement = rng_unit() < 0.5, champion = rng_unit() < 0.45,
	     turnover = rng_unit() < 0.35;
	double logit = -0.4 + 1.4 * agreement + 1.2 * champion - 1.3 * turnover;
	bool success = rng_unit() < 1 / (1 + exp(-logit));
	t->items[k++] = agreement
				? (rng_unit() < 0.5 ? "agreement:contract" : "agreement:letter_mou")
				: "agreement:none";
	if (champion)
		t->items[k++] = "factor:champion";
	if (agreement)
		t->items[k++] = "factor:clear_roles";
	for (int i = 0; i < 9; i++)
		if (rng_unit() < 0.35)
			t->items[k++] = null_factors[i];
	if (turnover)
		t->items[k++] = "obstacle:turnover";
	for (int i = 0; i < 4; i++)
		if (rng_unit() < 0.3)
			t->items[k++] = null_obstacles[i];
	t->items[k++] = sectors[rng_below(6)];
	t->items[k++] = types[rng_below(4)];
	t->c.id = id;
	t->c.items = t->items;
	t->c.nitems = k;
	if (rng_unit() < 0.15)
		t->c.outcome = OUTCOME_RUNNING;
	else if (success)
		t->c.outcome = OUTCOME_SUCCESS;
	else
		t->c.outcome = rng_unit() < 0.5 ? OUTCOME_PARTLY : OUTCOME_FAILURE;
}

static void
factors_recover_planted_effects(void **state)
{
	(void)state;
	enum { N = 5000 };
	struct test_case *t = calloc(N, sizeof(*t));
	struct icase *cases = calloc(N, sizeof(*cases));
	assert_non_null(t);
	assert_non_null(cases);
	rng_state = 2026;
	for (int i = 0; i < N; i++) {
		planted_case(&t[i], i + 1);
		cases[i] = t[i].c;
	}
	struct arena a;
	arena_init(&a, 0);
	struct ifactors f;
	insight_factors(cases, N, NULL, &a, &f);
	assert_int_equal(f.success + f.failure + f.left_out, N);
	assert_true(f.left_out > 600 && f.left_out < 900);
	assert_ranked(&f);

	const char *up[] = {"factor:champion", "agreement:contract", "agreement:letter_mou",
			    "factor:clear_roles"};
	for (size_t i = 0; i < 4; i++) {
		const struct ifactor *r = find_row(&f, up[i]);
		assert_non_null(r);
		print_message("%-28s OR %.2f [%.2f, %.2f] q %.3g\n", r->item, r->odds_ratio,
			      r->ci_low, r->ci_high, r->q);
		assert_true(r->odds_ratio > 1 && r->ci_low > 1);
		assert_true(r->q < 0.05);
		assert_false(r->too_few);
	}
	const struct ifactor *r = find_row(&f, "obstacle:turnover");
	print_message("%-28s OR %.2f [%.2f, %.2f] q %.3g\n", r->item, r->odds_ratio, r->ci_low,
		      r->ci_high, r->q);
	assert_true(r->odds_ratio < 1 && r->ci_high < 1);
	assert_true(r->q < 0.05);
	r = find_row(&f, "agreement:none");
	assert_true(r->odds_ratio < 1 && r->q < 0.05);
	for (size_t i = 0; i < 9; i++) {
		r = find_row(&f, null_factors[i]);
		assert_non_null(r);
		print_message("%-28s OR %.2f [%.2f, %.2f] q %.3g\n", r->item, r->odds_ratio,
			      r->ci_low, r->ci_high, r->q);
		assert_true(r->q >= 0.05);
	}
	/* The planted items come first. */
	for (size_t i = 0; i < 6; i++) {
		const char *it = f.rows[i].item;
		assert_true(strncmp(it, "agreement:", 10) == 0 ||
			    strcmp(it, "factor:champion") == 0 ||
			    strcmp(it, "factor:clear_roles") == 0 ||
			    strcmp(it, "obstacle:turnover") == 0);
	}
	arena_free(&a);
	free(cases);
	free(t);
}

/* ---- sentences ---- */

static struct ifactor
factor_of(long ws, long wf, long ns, long nf, bool too_few)
{
	struct ifactor f = {0};
	f.item = "agreement:contract";
	f.with_success = ws;
	f.with_failure = wf;
	f.success = ws + ns;
	f.failure = wf + nf;
	f.too_few = too_few;
	return f;
}

static void
sentence_tells_the_figures(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	/* 32 of 41 = 78.05 %, 10 of 22 = 45.45 %. */
	struct ifactor f = factor_of(32, 9, 10, 12, false);
	const char *en = insight_sentence(&f, "a written agreement", "en", &a);
	assert_string_equal(en, "Partnerships with a written agreement succeeded in 78% of cases "
				"(n = 41) against 45% without (n = 22).");
	const char *fr = insight_sentence(&f, "un accord écrit", "fr", &a);
	assert_string_equal(fr, "Les partenariats avec un accord écrit ont réussi dans "
				"78\u202f% des cas (n = 41), contre 45\u202f% sans (n = 22).");

	/* Parsed back, the numbers are the figures, for many tables; half up. */
	rng_state = 77;
	for (int i = 0; i < 500; i++) {
		long ws = rng_below(60), wf = rng_below(60), ns = rng_below(60), nf = rng_below(60);
		if (ws + wf == 0 || ns + nf == 0)
			continue;
		f = factor_of(ws, wf, ns, nf, false);
		int pw, pwo, nw, nwo, end = 0;
		en = insight_sentence(&f, "X", "en", &a);
		assert_int_equal(sscanf(en,
					"Partnerships with X succeeded in %d%% of cases (n = %d) "
					"against %d%% without (n = %d).%n",
					&pw, &nw, &pwo, &nwo, &end),
				 4);
		assert_int_equal(end, (int)strlen(en));
		assert_int_equal(nw, ws + wf);
		assert_int_equal(nwo, ns + nf);
		/* Half up: 100 k / n + 1/2, floored; checked against exact rationals. */
		assert_true(2 * (100 * ws) >= (2 * pw - 1) * (ws + wf) &&
			    2 * (100 * ws) < (2 * pw + 1) * (ws + wf));
		assert_true(2 * (100 * ns) >= (2 * pwo - 1) * (ns + nf) &&
			    2 * (100 * ns) < (2 * pwo + 1) * (ns + nf));
		int fpw, fpwo, fnw, fnwo;
		end = 0;
		fr = insight_sentence(&f, "X", "fr", &a);
		assert_int_equal(
			sscanf(fr,
			       "Les partenariats avec X ont réussi dans %d\u202f%% des cas "
			       "(n = %d), contre %d\u202f%% sans (n = %d).%n",
			       &fpw, &fnw, &fpwo, &fnwo, &end),
			4);
		assert_int_equal(end, (int)strlen(fr));
		assert_true(fpw == pw && fnw == nw && fpwo == pwo && fnwo == nwo);
	}
	/* Exact halves round up: 1/8 = 12.5 %, 3/8 = 37.5 %, 29/200 = 14.5 %. */
	f = factor_of(1, 7, 3, 5, false);
	assert_string_equal(insight_sentence(&f, "X", "en", &a),
			    "Partnerships with X succeeded in 13% of cases (n = 8) against 38% "
			    "without (n = 8).");
	f = factor_of(29, 171, 1, 1, false);
	assert_string_equal(insight_sentence(&f, "X", "en", &a),
			    "Partnerships with X succeeded in 15% of cases (n = 200) against 50% "
			    "without (n = 2).");

	/* Too few cases: said. */
	f = factor_of(3, 1, 10, 12, true);
	assert_string_equal(insight_sentence(&f, "X", "en", &a),
			    "Partnerships with X succeeded in 75% of cases (n = 4) against 45% "
			    "without (n = 22) (too few cases to conclude).");
	assert_string_equal(insight_sentence(&f, "X", "fr", &a),
			    "Les partenariats avec X ont réussi dans 75\u202f% des cas (n = 4), "
			    "contre 45\u202f% sans (n = 22) (trop peu de cas pour conclure).");

	/* An empty group: no percentage of nothing. */
	f = factor_of(6, 2, 0, 0, true);
	en = insight_sentence(&f, "X", "en", &a);
	assert_non_null(strstr(en, "75% of cases (n = 8)"));
	assert_non_null(strstr(en, "no case without"));
	f = factor_of(0, 0, 5, 5, true);
	fr = insight_sentence(&f, "X", "fr", &a);
	assert_non_null(strstr(fr, "aucun cas"));
	assert_non_null(strstr(fr, "50\u202f% des cas (n = 10)"));
	/* Another language: English; no label: the item. */
	f = factor_of(1, 1, 1, 1, false);
	assert_non_null(strstr(insight_sentence(&f, NULL, "de", &a),
			       "Partnerships with "
			       "agreement:contract succeeded"));
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(outcome_from_achievement_and_stage),
		cmocka_unit_test(fisher_matches_reference_values),
		cmocka_unit_test(fisher_edge_cases),
		cmocka_unit_test(fisher_agrees_with_exact_enumeration),
		cmocka_unit_test(fisher_agrees_on_large_tables),
		cmocka_unit_test(odds_ratio_and_woolf_interval),
		cmocka_unit_test(bh_worked_examples),
		cmocka_unit_test(factors_count_hand_made_cases),
		cmocka_unit_test(factors_ranking_breaks_ties_by_name),
		cmocka_unit_test(factors_recover_planted_effects),
		cmocka_unit_test(sentence_tells_the_figures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
