/* factors.c - each item of the cases (factor, obstacle, resource...) tested against the outcome. */
#include "insight.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/log.h"

/* Which cases count, and as what. SUCCESS and FAILURE count as such; PARTLY counts as a failure,
 * or as a success with o->fold_partly_into_success. RUNNING and UNKNOWN cases are left out and
 * counted in left_out. o->include_running does not act here: a case carries no achievement, so
 * the rule is applied when its outcome is made (insight_case_outcome() gives a running case
 * with an achievement answer the outcome of that answer); a case still RUNNING here has none.
 * The rule itself is insight_side() (itemsets.c), shared by every analysis. */

/* ---- the distinct items: open addressing on a hash of the string, in the arena ---- */

struct slot {
	const char *key; /* NULL when free */
	uint64_t hash;
	long with_success, with_failure;
	size_t last_case; /* 1 + the index of the last case counted, so an item repeated in one
			   * case counts once */
};

struct item_table {
	struct slot *slots;
	size_t cap, used; /* cap is a power of two */
	struct arena *a;
};

/* FNV-1a, 64 bits: short keys, no attacker (the items come from fixed code lists). */
static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211u;
	}
	return h;
}

static void
table_init(struct item_table *t, struct arena *a, size_t cap)
{
	t->cap = cap;
	t->used = 0;
	t->a = a;
	t->slots = arena_zalloc(a, cap * sizeof(*t->slots));
}

/* Doubles the table; the old slots stay in the arena until it is freed. */
static void
table_grow(struct item_table *t)
{
	struct slot *old = t->slots;
	size_t oldcap = t->cap;
	table_init(t, t->a, oldcap * 2);
	for (size_t i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		size_t j = (size_t)old[i].hash & (t->cap - 1);
		while (t->slots[j].key != NULL)
			j = (j + 1) & (t->cap - 1);
		t->slots[j] = old[i];
		t->used++;
	}
}

/* The slot of key, added when new. The key is not copied: the caller's strings outlive the
 * table, and only the rows returned get copies. */
static struct slot *
table_get(struct item_table *t, const char *key)
{
	uint64_t h = hash_str(key);
	size_t j = (size_t)h & (t->cap - 1);
	for (;;) {
		struct slot *s = &t->slots[j];
		if (s->key == NULL)
			break;
		if (s->hash == h && (s->key == key || strcmp(s->key, key) == 0))
			return s;
		j = (j + 1) & (t->cap - 1);
	}
	if (2 * (t->used + 1) > t->cap) {
		table_grow(t);
		return table_get(t, key);
	}
	struct slot *s = &t->slots[j];
	s->key = key;
	s->hash = h;
	t->used++;
	return s;
}

/* ---- ranking ---- */

static int
factor_cmp(const void *x, const void *y)
{
	const struct ifactor *u = x, *v = y;
	if (u->q != v->q)
		return u->q < v->q ? -1 : 1;
	double lu = fabs(log(u->odds_ratio)), lv = fabs(log(v->odds_ratio));
	if (lu != lv)
		return lu > lv ? -1 : 1;
	return strcmp(u->item, v->item);
}

/* too_few: the comparison rests on four groups of cases, those with the item, those without it,
 * the successful ones and the others (the margins of the 2x2 table); when any has fewer than
 * o->min_group cases the figures are shown but flagged. Small cells inside large margins are
 * not flagged: the exact test already accounts for them. */
void
insight_factors(const struct icase *cases, size_t n, const struct insight_options *o,
		struct arena *a, struct ifactors *out)
{
	struct insight_options defaults;
	if (o == NULL) {
		insight_options_default(&defaults);
		o = &defaults;
	}
	memset(out, 0, sizeof(*out));

	struct arena scratch;
	arena_init(&scratch, 1 << 16);
	struct item_table t;
	table_init(&t, &scratch, 256);
	for (size_t i = 0; i < n; i++) {
		int s = insight_side(&cases[i], o);
		if (s < 0) {
			out->left_out++;
			continue;
		}
		if (s)
			out->success++;
		else
			out->failure++;
		for (size_t k = 0; k < cases[i].nitems; k++) {
			if (cases[i].items[k] == NULL)
				continue;
			struct slot *e = table_get(&t, cases[i].items[k]);
			if (e->last_case == i + 1)
				continue;
			e->last_case = i + 1;
			if (s)
				e->with_success++;
			else
				e->with_failure++;
		}
	}

	out->n = t.used;
	out->rows = arena_alloc(a, (t.used ? t.used : 1) * sizeof(*out->rows));
	size_t r = 0;
	for (size_t j = 0; j < t.cap; j++) {
		const struct slot *e = &t.slots[j];
		if (e->key == NULL)
			continue;
		struct ifactor *f = &out->rows[r++];
		long ws = e->with_success, wf = e->with_failure;
		long ns = out->success - ws, nf = out->failure - wf; /* without the item */
		f->item = arena_strdup(a, e->key);
		f->with_success = ws;
		f->success = out->success;
		f->with_failure = wf;
		f->failure = out->failure;
		f->share_success = out->success ? (double)ws / (double)out->success : 0;
		f->share_failure = out->failure ? (double)wf / (double)out->failure : 0;
		insight_odds_ratio(ws, wf, ns, nf, &f->odds_ratio, &f->ci_low, &f->ci_high);
		f->p = insight_fisher(ws, wf, ns, nf);
		long min = o->min_group;
		f->too_few =
			ws + wf < min || ns + nf < min || out->success < min || out->failure < min;
	}
	arena_free(&scratch);

	if (out->n > 0) {
		double *p = malloc(2 * out->n * sizeof(*p));
		if (p == NULL)
			die("insight_factors: out of memory (%zu items)", out->n);
		double *q = p + out->n;
		for (size_t j = 0; j < out->n; j++)
			p[j] = out->rows[j].p;
		insight_bh(p, q, out->n);
		for (size_t j = 0; j < out->n; j++)
			out->rows[j].q = q[j];
		free(p);
	}
	qsort(out->rows, out->n, sizeof(*out->rows), factor_cmp);
}

/* An item counts once per case even when listed twice. */
size_t
insight_cases_with(const struct icase *cases, size_t n, const char *item, int outcome_filter,
		   long long *ids, size_t max)
{
	size_t w = 0;
	for (size_t i = 0; i < n && w < max; i++) {
		if (outcome_filter >= 0 && (int)cases[i].outcome != outcome_filter)
			continue;
		for (size_t k = 0; k < cases[i].nitems; k++) {
			if (cases[i].items[k] != NULL && strcmp(cases[i].items[k], item) == 0) {
				ids[w++] = cases[i].id;
				break;
			}
		}
	}
	return w;
}
