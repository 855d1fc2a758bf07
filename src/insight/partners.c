/* partners.c - the two views of one partnership: on which success factors the NGO and the
 * company agree, and whether they tell the same outcome. */
#include "insight/insight.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

struct id_index {
	long long id;
	size_t i;
};

static int
cmp_id(const void *pa, const void *pb)
{
	const struct id_index *x = pa, *y = pb;
	return (x->id > y->id) - (x->id < y->id);
}

struct pair {
	size_t ngo, company; /* case indexes */
};

static int
cmp_pair(const void *pa, const void *pb)
{
	const struct pair *x = pa, *y = pb;
	if (x->ngo != y->ngo)
		return x->ngo < y->ngo ? -1 : 1;
	return (x->company > y->company) - (x->company < y->company);
}

/* Agreement ascending (most disagreement first), then item. */
static int
cmp_agreement(const void *pa, const void *pb)
{
	const struct ipair_factor *x = pa, *y = pb;
	if (x->agreement != y->agreement)
		return x->agreement < y->agreement ? -1 : 1;
	return strcmp(x->item, y->item);
}

/* Which of two linked cases is the NGO's view: the one answered by an NGO when exactly one
 * was; otherwise the one the other points to (a partner view links to the original answer);
 * when both point to each other, the older answer (lower id). Returns true when i is. */
static bool
i_is_ngo(const struct icase *ci, const struct icase *cj)
{
	if (ci->ngo != cj->ngo)
		return ci->ngo;
	bool i_to_j = ci->partner_of == cj->id, j_to_i = cj->partner_of == ci->id;
	if (i_to_j != j_to_i)
		return j_to_i;
	return ci->id < cj->id;
}

static bool
is_factor(const char *item)
{
	return item && strncmp(item, "factor:", 7) == 0;
}

void
insight_partners(const struct icase *cases, size_t n, struct arena *a, struct ipairs *out)
{
	memset(out, 0, sizeof(*out));
	if (n == 0)
		return;

	/* The pairs: a case whose partner_of is another case of the set; each pair once, whether
	 * one or both views point to the other. */
	struct id_index *ids = arena_alloc(a, n * sizeof(*ids));
	for (size_t i = 0; i < n; i++)
		ids[i] = (struct id_index){cases[i].id, i};
	qsort(ids, n, sizeof(*ids), cmp_id);
	struct pair *pairs = arena_alloc(a, n * sizeof(*pairs));
	size_t np = 0;
	for (size_t i = 0; i < n; i++) {
		if (cases[i].partner_of == 0)
			continue;
		struct id_index key = {cases[i].partner_of, 0};
		const struct id_index *hit = bsearch(&key, ids, n, sizeof(*ids), cmp_id);
		if (hit == NULL || hit->i == i)
			continue;
		size_t j = hit->i;
		pairs[np++] =
			i_is_ngo(&cases[i], &cases[j]) ? (struct pair){i, j} : (struct pair){j, i};
	}
	qsort(pairs, np, sizeof(*pairs), cmp_pair);
	size_t u = 0;
	for (size_t k = 0; k < np; k++)
		if (u == 0 || cmp_pair(&pairs[u - 1], &pairs[k]) != 0)
			pairs[u++] = pairs[k];
	np = u;
	out->pairs = (long)np;
	if (np == 0)
		return;

	/* The factors either view ticked. */
	struct insight_strtab t;
	insight_strtab_init(&t, a);
	for (size_t k = 0; k < np; k++) {
		const struct icase *v[2] = {&cases[pairs[k].ngo], &cases[pairs[k].company]};
		for (int s = 0; s < 2; s++)
			for (size_t m = 0; m < v[s]->nitems; m++)
				if (is_factor(v[s]->items[m]))
					insight_strtab_add(&t, v[s]->items[m],
							   strlen(v[s]->items[m]));
	}
	size_t nf = t.n;
	struct ipair_factor *rows = arena_zalloc(a, (nf ? nf : 1) * sizeof(*rows));
	size_t *by_ngo = arena_zalloc(a, (nf ? nf : 1) * sizeof(*by_ngo)); /* last pair + 1 */
	size_t *by_co = arena_zalloc(a, (nf ? nf : 1) * sizeof(*by_co));
	for (size_t k = 0; k < np; k++) {
		const struct icase *ngo = &cases[pairs[k].ngo], *co = &cases[pairs[k].company];
		if (ngo->outcome == co->outcome)
			out->outcome_agree++;
		for (size_t m = 0; m < ngo->nitems; m++)
			if (is_factor(ngo->items[m]))
				by_ngo[insight_strtab_find(&t, ngo->items[m],
							   strlen(ngo->items[m]))] = k + 1;
		for (size_t m = 0; m < co->nitems; m++)
			if (is_factor(co->items[m]))
				by_co[insight_strtab_find(&t, co->items[m], strlen(co->items[m]))] =
					k + 1;
		for (size_t x = 0; x < nf; x++) {
			bool g = by_ngo[x] == k + 1, c = by_co[x] == k + 1;
			if (g && c)
				rows[x].both++;
			else if (g)
				rows[x].only_ngo++;
			else if (c)
				rows[x].only_company++;
			else
				rows[x].neither++;
		}
	}
	for (size_t x = 0; x < nf; x++) {
		rows[x].item = t.keys[x];
		rows[x].agreement = (double)(rows[x].both + rows[x].neither) / (double)np;
	}
	qsort(rows, nf, sizeof(*rows), cmp_agreement);
	out->rows = rows;
	out->n = nf;
}
