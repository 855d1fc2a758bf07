/* insight.h - why partnerships succeed or fail, and what successful ones share: statistics over
 * cases. Pure: plain structs in, plain structs out; no SQL, no HTTP. */
#ifndef COEXIST_INSIGHT_H
#define COEXIST_INSIGHT_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* ---- cases ---- */

enum outcome {
	OUTCOME_SUCCESS, /* achievement met or exceeded (the threshold is configuration) */
	OUTCOME_FAILURE, /* abandoned or not met */
	OUTCOME_PARTLY,  /* partly met: its own group, folded either way on request */
	OUTCOME_RUNNING, /* still running: left out of outcome analysis unless asked */
	OUTCOME_UNKNOWN, /* no achievement answer */
};

/* One partnership as the engine sees it: pseudonymous, no names. Items are "kind:code" strings,
 * e.g. "factor:trust", "obstacle:turnover", "resource:skills_probono", "type:giving",
 * "sector:health", "agreement:contract", "governance:focal_persons". */
struct icase {
	long long id; /* the response's id, for links to the cases behind a figure */
	enum outcome outcome;
	const char *sector; /* first sector code, or NULL */
	const char *region; /* UN M49 region of the first country, or NULL */
	const char *type;   /* partnership type code, or NULL */
	int year;           /* start year, 0 when unknown */
	const char *const *items;
	size_t nitems;
	/* Obstacles met and how far each was overcome: "turnover" with "yes", "partly" or "no",
	 * and the free-text "how" (NULL when none). */
	const char *const *obstacles;
	const char *const *overcome;
	const char *const *how;
	size_t nobstacles;
	const char *lessons, *advice; /* free texts, NULL when none */
	const char *lang;             /* "fr" or "en": the language of the texts */
	long long partner_of;         /* the other view of the same partnership, 0 when none */
	bool ngo;                     /* answered by an NGO (not a company) */
};

struct insight_options {
	bool fold_partly_into_success; /* partly met counts as success (default: as failure) */
	bool include_running;          /* running cases with an achievement answer count too */
	int min_group;                 /* groups smaller than this are flagged (default 5) */
	int min_support;    /* itemsets: minimum number of successful cases (default 5) */
	size_t max_itemset; /* itemsets: largest combination (default 3) */
};

void insight_options_default(struct insight_options *o);
/* The outcome of a case from its achievement and stage codes (abandoned, not_met, partly_met,
 * met, exceeded; stage running/pilot/scaling counts as running when no end). */
enum outcome insight_outcome(const char *achievement, const char *stage);
/* The outcome a case is given for the analyses: as insight_outcome(), except that with
 * o->include_running a running or pilot case with an achievement answer is judged by that
 * answer. The analyses leave out every case still RUNNING or UNKNOWN. */
enum outcome insight_case_outcome(const char *achievement, const char *stage,
				  const struct insight_options *o);

/* ---- statistics (stats.c) ---- */

/* Two-sided Fisher exact test p-value of the 2x2 table [[a, b], [c, d]]. */
double insight_fisher(long a, long b, long c, long d);
/* Odds ratio (a*d)/(b*c) with the Haldane correction (+0.5 to every cell) when a cell is 0, and
 * its 95% confidence interval (Woolf: exp(ln OR ± 1.959964 * sqrt(1/a+1/b+1/c+1/d))). */
void insight_odds_ratio(long a, long b, long c, long d, double *or_, double *lo, double *hi);
/* Benjamini–Hochberg adjusted p-values (q) of n p-values, in place order kept. */
void insight_bh(const double *p, double *q, size_t n);

/* ---- factors against outcome (factors.c) ---- */

struct ifactor {
	const char *item;                    /* "factor:trust" */
	long with_success, success;          /* successful cases with the item, successful cases */
	long with_failure, failure;          /* same for not successful */
	double share_success, share_failure; /* with / total, 0..1 */
	double odds_ratio, ci_low, ci_high;
	double p, q;
	bool too_few; /* a group (with/without, success/failure) under min_group */
};

struct ifactors {
	struct ifactor *rows; /* ranked: q, then |ln OR| descending */
	size_t n;
	long success, failure, left_out; /* cases counted, and those left out (running, unknown) */
};

/* Tests every item present in the cases against the outcome. Allocates in the arena. */
void insight_factors(const struct icase *cases, size_t n, const struct insight_options *o,
		     struct arena *a, struct ifactors *out);
/* The cases behind a figure: ids of cases having item (and of outcome when outcome_filter >=
 * 0). Returns how many were written to ids (at most max). */
size_t insight_cases_with(const struct icase *cases, size_t n, const char *item, int outcome_filter,
			  long long *ids, size_t max);

/* ---- helpers shared by the engine (itemsets.c) ---- */

/* The side of the outcome a case counts on: 1 successful, 0 not successful, -1 left out
 * (running, unknown). Partly met goes with success when o->fold_partly_into_success. */
int insight_side(const struct icase *c, const struct insight_options *o);

/* Distinct strings numbered 0, 1, 2... in the order they were first added: an open-addressing
 * hash table in an arena. Keys are copied into the arena, so they outlive their source. */
struct insight_strtab {
	const char **keys; /* keys[i]: string number i, NUL-terminated, in the arena */
	size_t *lens;
	size_t n, nkeys_cap;
	size_t *slots; /* number + 1, 0 when empty */
	size_t cap;    /* slots: a power of two, at most half full */
	struct arena *a;
};

/* Prepares an empty table allocating in a. */
void insight_strtab_init(struct insight_strtab *t, struct arena *a);
/* Returns the number of the len bytes at s, adding them when new. */
size_t insight_strtab_add(struct insight_strtab *t, const char *s, size_t len);
/* Returns the number of the len bytes at s, or -1 when absent. */
long insight_strtab_find(const struct insight_strtab *t, const char *s, size_t len);

/* ---- common points (itemsets.c) ---- */

struct iitemset {
	const char **items; /* sorted */
	size_t nitems;
	long support_success; /* successful cases holding all items */
	long support_failure;
	double share_success, share_failure;
	double lift;       /* for the rule items -> success: confidence / P(success) */
	double confidence; /* P(success | items) */
	double p, q;       /* Fisher test of the combination against outcome (BH over all) */
};

struct iitemsets {
	struct iitemset *rows; /* ranked by support in successful cases, then size */
	size_t n;
	/* Combinations that separate success from failure: the 20 best of rows by q, then lift
	 * descending, among those with q < 0.25 (a lenient cut: these are leads to read, not
	 * findings; q is shown beside each). */
	struct iitemset *separating;
	size_t nseparating;
};

/* Frequent combinations (up to o->max_itemset items, at least o->min_support successful cases)
 * of factor:, resource: and type: items in successful cases. */
void insight_itemsets(const struct icase *cases, size_t n, const struct insight_options *o,
		      struct arena *a, struct iitemsets *out);

/* ---- obstacles overcome (obstacles.c) ---- */

struct iobstacle {
	const char *obstacle;
	long met, overcome, partly, not_overcome;
	const char **common;  /* items most shared by the cases that overcame it (up to 5) */
	double *common_share; /* their share among those cases */
	size_t ncommon;
	const char **how;    /* the "how" texts, grouped: those that overcame first */
	long long *how_case; /* the case of each text */
	size_t nhow;
};

struct iobstacles {
	struct iobstacle *rows; /* by number of cases that met it */
	size_t n;
};

void insight_obstacles(const struct icase *cases, size_t n, const struct insight_options *o,
		       struct arena *a, struct iobstacles *out);

/* ---- words of the lessons (words.c) ---- */

struct iterm {
	const char *stem; /* stemmed form */
	const char *word; /* the most frequent surface form, to show */
	double z;         /* log-odds z-score: > 0 successful, < 0 not successful */
	long n_success, n_failure;
	long long *cases; /* the cases whose lessons or advice hold it */
	size_t ncases;
};

struct iterms {
	struct iterm *success; /* most distinctive of successful cases, by z */
	size_t nsuccess;
	struct iterm *failure;
	size_t nfailure;
};

/* Log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008) over stemmed words of
 * lessons and advice (Snowball French or English by each case's language; stop words removed),
 * top `top` of each side. */
void insight_words(const struct icase *cases, size_t n, const struct insight_options *o, size_t top,
		   struct arena *a, struct iterms *out);

/* ---- partner views (partners.c) ---- */

struct ipair_factor {
	const char *item;
	long both, only_ngo, only_company, neither;
	double agreement; /* (both + neither) / pairs */
};

struct ipairs {
	long pairs;
	long outcome_agree;        /* pairs whose two outcomes are the same */
	struct ipair_factor *rows; /* by agreement, lowest first */
	size_t n;
};

void insight_partners(const struct icase *cases, size_t n, struct arena *a, struct ipairs *out);

/* ---- sentences (sentence.c) ---- */

/* A plain-language sentence about a factor, e.g. «Partnerships with a written agreement
 * succeeded in 78% of cases (n = 41) against 45% without (n = 22).», in lang ("fr"/"en"), with
 * the item's label given. The numbers are the figures of f. In the arena. */
const char *insight_sentence(const struct ifactor *f, const char *label, const char *lang,
			     struct arena *a);

#endif
