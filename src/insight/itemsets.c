/* itemsets.c - common points: frequent combinations of factors, resources and partnership type
 * in successful cases (Eclat on bitsets of cases), each tested against the outcome. Also the
 * helpers the other insight files share: the side of a case, and a table of distinct strings. */
#include "insight/insight.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

/* ---- helpers ---- */

int
insight_side(const struct icase *c, const struct insight_options *o)
{
	switch (c->outcome) {
	case OUTCOME_SUCCESS: return 1;
	case OUTCOME_FAILURE: return 0;
	case OUTCOME_PARTLY: return o->fold_partly_into_success ? 1 : 0;
	case OUTCOME_RUNNING:
	case OUTCOME_UNKNOWN: break;
	}
	return -1;
}

/* FNV-1a: short keys, few of them; good enough and branch-free. */
static size_t
hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211u;
	}
	return (size_t)(h ^ (h >> 29));
}

void
insight_strtab_init(struct insight_strtab *t, struct arena *a)
{
	memset(t, 0, sizeof(*t));
	t->a = a;
}

/* The slot holding s, or the empty slot where it would go. */
static size_t
strtab_slot(const struct insight_strtab *t, const char *s, size_t len)
{
	size_t mask = t->cap - 1;
	size_t i = hash(s, len) & mask;
	while (t->slots[i]) {
		size_t k = t->slots[i] - 1;
		/* A slot holds k + 1 only once keys and lens have room for k (see _add). */
		/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
		if (t->lens[k] == len && memcmp(t->keys[k], s, len) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

static void
strtab_grow(struct insight_strtab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64;
	t->slots = arena_zalloc(t->a, cap * sizeof(*t->slots));
	t->cap = cap;
	for (size_t k = 0; k < t->n; k++)
		t->slots[strtab_slot(t, t->keys[k], t->lens[k])] = k + 1;
}

size_t
insight_strtab_add(struct insight_strtab *t, const char *s, size_t len)
{
	if (t->cap == 0 || 2 * (t->n + 1) > t->cap)
		strtab_grow(t);
	size_t i = strtab_slot(t, s, len);
	if (t->slots[i])
		return t->slots[i] - 1;
	if (t->n == t->nkeys_cap) {
		size_t ncap = t->nkeys_cap ? 2 * t->nkeys_cap : 32;
		const char **keys = arena_alloc(t->a, ncap * sizeof(*keys));
		size_t *lens = arena_alloc(t->a, ncap * sizeof(*lens));
		if (t->n) {
			memcpy(keys, t->keys, t->n * sizeof(*keys));
			memcpy(lens, t->lens, t->n * sizeof(*lens));
		}
		t->keys = keys;
		t->lens = lens;
		t->nkeys_cap = ncap;
	}
	t->keys[t->n] = arena_strndup(t->a, s, len);
	t->lens[t->n] = len;
	t->slots[i] = ++t->n;
	return t->n - 1;
}

long
insight_strtab_find(const struct insight_strtab *t, const char *s, size_t len)
{
	if (t->cap == 0)
		return -1;
	size_t i = strtab_slot(t, s, len);
	return t->slots[i] ? (long)t->slots[i] - 1 : -1;
}

/* ---- frequent itemsets ---- */

/* Deeper combinations than this are not asked for in practice and would explode in number. */
#define MAX_DEPTH 8

static bool
mined_kind(const char *item)
{
	return strncmp(item, "factor:", 7) == 0 || strncmp(item, "resource:", 9) == 0 ||
	       strncmp(item, "type:", 5) == 0;
}

/* One frequent itemset while mining: its items as numbers of the frequent singletons. */
struct found {
	uint16_t idx[MAX_DEPTH];
	uint8_t k;
	long ss, sf;
};

struct miner {
	size_t nfreq, ws, wf;    /* frequent singletons; 64-bit words of success, failure sets */
	uint64_t **bs, **bf;     /* per frequent item: its successful and other cases */
	uint64_t *xs[MAX_DEPTH]; /* the running intersection at each depth */
	uint64_t *xf[MAX_DEPTH];
	uint16_t idx[MAX_DEPTH];
	size_t maxk;
	long min_support;
	struct found *found;
	size_t nfound, capfound;
	struct arena *a;
};

/* dst = x & y over n words; returns the number of bits set. */
static long
and_count(uint64_t *dst, const uint64_t *x, const uint64_t *y, size_t n)
{
	long c = 0;
	for (size_t i = 0; i < n; i++) {
		dst[i] = x[i] & y[i];
		c += __builtin_popcountll(dst[i]);
	}
	return c;
}

static long
count(const uint64_t *x, size_t n)
{
	long c = 0;
	for (size_t i = 0; i < n; i++)
		c += __builtin_popcountll(x[i]);
	return c;
}

static void
record(struct miner *m, size_t k, long ss, long sf)
{
	if (m->nfound == m->capfound) {
		size_t ncap = m->capfound ? 2 * m->capfound : 256;
		struct found *f = arena_alloc(m->a, ncap * sizeof(*f));
		if (m->nfound)
			memcpy(f, m->found, m->nfound * sizeof(*f));
		m->found = f;
		m->capfound = ncap;
	}
	struct found *f = &m->found[m->nfound++];
	memcpy(f->idx, m->idx, k * sizeof(*f->idx));
	f->k = (uint8_t)k;
	f->ss = ss;
	f->sf = sf;
}

/* Depth-first (Eclat): extends the combination of depth k with each later frequent item, keeps
 * it when enough successful cases hold it, and goes deeper. Subsets of a rare combination are
 * never visited, since support only falls as items are added. */
static void
mine(struct miner *m, size_t k, size_t start)
{
	for (size_t j = start; j < m->nfreq; j++) {
		long ss, sf;
		m->idx[k] = (uint16_t)j;
		if (k == 0) {
			ss = count(m->bs[j], m->ws);
			if (ss < m->min_support)
				continue;
			sf = count(m->bf[j], m->wf);
			memcpy(m->xs[0], m->bs[j], m->ws * sizeof(uint64_t));
			memcpy(m->xf[0], m->bf[j], m->wf * sizeof(uint64_t));
		} else {
			ss = and_count(m->xs[k], m->xs[k - 1], m->bs[j], m->ws);
			if (ss < m->min_support)
				continue;
			sf = and_count(m->xf[k], m->xf[k - 1], m->bf[j], m->wf);
		}
		record(m, k + 1, ss, sf);
		if (k + 1 < m->maxk)
			mine(m, k + 1, j + 1);
	}
}

static int
cmp_items(const struct iitemset *x, const struct iitemset *y)
{
	for (size_t i = 0; i < x->nitems && i < y->nitems; i++) {
		int c = strcmp(x->items[i], y->items[i]);
		if (c)
			return c;
	}
	return (x->nitems > y->nitems) - (x->nitems < y->nitems);
}

/* Support in successful cases descending, then larger combinations, then items. */
static int
cmp_support(const void *pa, const void *pb)
{
	const struct iitemset *x = pa, *y = pb;
	if (x->support_success != y->support_success)
		return x->support_success > y->support_success ? -1 : 1;
	if (x->nitems != y->nitems)
		return x->nitems > y->nitems ? -1 : 1;
	return cmp_items(x, y);
}

/* q ascending, then lift descending, then the support order. */
static int
cmp_separating(const void *pa, const void *pb)
{
	const struct iitemset *x = pa, *y = pb;
	if (x->q != y->q)
		return x->q < y->q ? -1 : 1;
	if (x->lift != y->lift)
		return x->lift > y->lift ? -1 : 1;
	return cmp_support(pa, pb);
}

static int
cmp_str(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

#define SEPARATING_MAX 20
#define SEPARATING_Q   0.25

void
insight_itemsets(const struct icase *cases, size_t n, const struct insight_options *o,
		 struct arena *a, struct iitemsets *out)
{
	memset(out, 0, sizeof(*out));
	long min_support = o->min_support > 0 ? o->min_support : 1;
	size_t maxk = o->max_itemset < MAX_DEPTH ? o->max_itemset : MAX_DEPTH;
	if (maxk == 0)
		return;

	/* Pass 1: the items of the mined kinds, and their support in successful cases (each case
	 * counts once per item, whatever repeats in its list). */
	struct insight_strtab t;
	insight_strtab_init(&t, a);
	size_t cap = 64, *sup = arena_zalloc(a, cap * sizeof(*sup));
	size_t *last = arena_zalloc(a, cap * sizeof(*last)); /* last case (+1) seen with it */
	long success = 0, failure = 0;
	for (size_t i = 0; i < n; i++) {
		int side = insight_side(&cases[i], o);
		if (side < 0)
			continue;
		if (side)
			success++;
		else
			failure++;
		for (size_t k = 0; k < cases[i].nitems; k++) {
			const char *it = cases[i].items[k];
			if (it == NULL || !mined_kind(it))
				continue;
			size_t x = insight_strtab_add(&t, it, strlen(it));
			if (t.n > cap) {
				size_t ncap = 2 * cap;
				size_t *s2 = arena_zalloc(a, ncap * sizeof(*s2));
				size_t *l2 = arena_zalloc(a, ncap * sizeof(*l2));
				memcpy(s2, sup, cap * sizeof(*sup));
				memcpy(l2, last, cap * sizeof(*last));
				sup = s2, last = l2, cap = ncap;
			}
			if (last[x] != i + 1) {
				last[x] = i + 1;
				sup[x] += (size_t)side;
			}
		}
	}

	/* The frequent singletons, in alphabetical order so that every combination found lists its
	 * items sorted. */
	const char **freq = arena_alloc(a, (t.n ? t.n : 1) * sizeof(*freq));
	size_t nfreq = 0;
	for (size_t x = 0; x < t.n; x++)
		if ((long)sup[x] >= min_support)
			freq[nfreq++] = t.keys[x];
	if (nfreq == 0 || success == 0)
		return;
	qsort(freq, nfreq, sizeof(*freq), cmp_str);
	if (nfreq > UINT16_MAX)
		nfreq = UINT16_MAX; /* idx is 16-bit; these vocabularies hold a few dozen items */
	long *rank = arena_alloc(a, t.n * sizeof(*rank)); /* table number -> frequent number */
	for (size_t x = 0; x < t.n; x++)
		rank[x] = -1;
	for (size_t f = 0; f < nfreq; f++)
		rank[insight_strtab_find(&t, freq[f], strlen(freq[f]))] = (long)f;

	/* Pass 2: the bitsets. Successful cases are numbered apart from the others so that the two
	 * supports come from two plain AND-and-count loops. */
	struct miner m = {0};
	m.nfreq = nfreq;
	m.ws = ((size_t)success + 63) / 64;
	m.wf = ((size_t)failure + 63) / 64;
	if (m.wf == 0)
		m.wf = 1;
	m.bs = arena_alloc(a, nfreq * sizeof(*m.bs));
	m.bf = arena_alloc(a, nfreq * sizeof(*m.bf));
	for (size_t f = 0; f < nfreq; f++) {
		m.bs[f] = arena_zalloc(a, m.ws * sizeof(uint64_t));
		m.bf[f] = arena_zalloc(a, m.wf * sizeof(uint64_t));
	}
	for (size_t d = 0; d < maxk; d++) {
		m.xs[d] = arena_alloc(a, m.ws * sizeof(uint64_t));
		m.xf[d] = arena_alloc(a, m.wf * sizeof(uint64_t));
	}
	size_t ns = 0, nf = 0;
	for (size_t i = 0; i < n; i++) {
		int side = insight_side(&cases[i], o);
		if (side < 0)
			continue;
		size_t bit = side ? ns++ : nf++;
		for (size_t k = 0; k < cases[i].nitems; k++) {
			const char *it = cases[i].items[k];
			if (it == NULL || !mined_kind(it))
				continue;
			long x = insight_strtab_find(&t, it, strlen(it));
			long f = x < 0 ? -1 : rank[x];
			if (f < 0)
				continue;
			uint64_t *set = side ? m.bs[f] : m.bf[f];
			set[bit / 64] |= (uint64_t)1 << (bit % 64);
		}
	}
	m.maxk = maxk;
	m.min_support = min_support;
	m.a = a;
	mine(&m, 0, 0);

	/* The rows, their test against the outcome, and BH over all of them. */
	double ps = (double)success / (double)(success + failure);
	out->n = m.nfound;
	out->rows = arena_zalloc(a, (m.nfound ? m.nfound : 1) * sizeof(*out->rows));
	double *p = arena_alloc(a, (m.nfound ? m.nfound : 1) * sizeof(*p));
	for (size_t r = 0; r < m.nfound; r++) {
		const struct found *f = &m.found[r];
		struct iitemset *row = &out->rows[r];
		row->items = arena_alloc(a, f->k * sizeof(*row->items));
		for (size_t k = 0; k < f->k; k++)
			row->items[k] = freq[f->idx[k]];
		row->nitems = f->k;
		row->support_success = f->ss;
		row->support_failure = f->sf;
		row->share_success = (double)f->ss / (double)success;
		row->share_failure = failure ? (double)f->sf / (double)failure : 0;
		row->confidence = (double)f->ss / (double)(f->ss + f->sf);
		row->lift = row->confidence / ps;
		row->p = p[r] = insight_fisher(f->ss, f->sf, success - f->ss, failure - f->sf);
	}
	double *q = arena_alloc(a, (m.nfound ? m.nfound : 1) * sizeof(*q));
	insight_bh(p, q, m.nfound);
	for (size_t r = 0; r < m.nfound; r++)
		out->rows[r].q = q[r];
	qsort(out->rows, out->n, sizeof(*out->rows), cmp_support);

	/* The separating ones: a sorted copy, cut at q and count. */
	struct iitemset *sep = arena_alloc(a, (out->n ? out->n : 1) * sizeof(*sep));
	if (out->n)
		memcpy(sep, out->rows, out->n * sizeof(*sep));
	qsort(sep, out->n, sizeof(*sep), cmp_separating);
	size_t nsep = 0;
	while (nsep < out->n && nsep < SEPARATING_MAX && sep[nsep].q < SEPARATING_Q)
		nsep++;
	out->separating = sep;
	out->nseparating = nsep;
}
