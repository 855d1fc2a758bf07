/* obstacles.c - obstacles overcome: how often each was met and overcome, what the cases that
 * overcame it had in common, and how they say they did it. */
#include "insight/insight.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

#define COMMON_MAX 5

/* 0 overcome, 1 partly, 2 not overcome, 3 no answer: the order the "how" texts are shown in. */
static int
overcome_rank(const char *v)
{
	if (v == NULL)
		return 3;
	if (strcmp(v, "yes") == 0)
		return 0;
	if (strcmp(v, "partly") == 0)
		return 1;
	if (strcmp(v, "no") == 0)
		return 2;
	return 3;
}

/* The obstacle's code without an "obstacle:" prefix, whichever form the caller used. */
static const char *
bare(const char *obstacle)
{
	return strncmp(obstacle, "obstacle:", 9) == 0 ? obstacle + 9 : obstacle;
}

/* Whether item is the obstacle itself ("obstacle:turnover" for "turnover"). */
static bool
is_itself(const char *item, const char *obstacle)
{
	return strncmp(item, "obstacle:", 9) == 0 && strcmp(item + 9, bare(obstacle)) == 0;
}

struct how_entry {
	size_t obstacle;
	int rank;
	size_t seq; /* the input order, kept within a rank */
	const char *text;
	long long case_id;
};

static int
cmp_how(const void *pa, const void *pb)
{
	const struct how_entry *x = pa, *y = pb;
	if (x->obstacle != y->obstacle)
		return x->obstacle < y->obstacle ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

struct common_entry {
	const char *item;
	long count;
};

/* Share descending, then item. */
static int
cmp_common(const void *pa, const void *pb)
{
	const struct common_entry *x = pa, *y = pb;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->item, y->item);
}

/* Cases that met it descending, then obstacle. */
static int
cmp_met(const void *pa, const void *pb)
{
	const struct iobstacle *x = pa, *y = pb;
	if (x->met != y->met)
		return x->met > y->met ? -1 : 1;
	return strcmp(x->obstacle, y->obstacle);
}

/* Every case counts, whatever its outcome or stage: overcoming an obstacle is told by the
 * respondent independently of the partnership's end, and running partnerships have much to
 * say about it. The options are accepted for symmetry with the other analyses. */
void
insight_obstacles(const struct icase *cases, size_t n, const struct insight_options *o,
		  struct arena *a, struct iobstacles *out)
{
	(void)o;
	memset(out, 0, sizeof(*out));

	/* Pass 1: number the obstacles and the items, count the "how" texts. */
	struct insight_strtab obst, items;
	insight_strtab_init(&obst, a);
	insight_strtab_init(&items, a);
	size_t nhow = 0;
	for (size_t i = 0; i < n; i++) {
		const struct icase *c = &cases[i];
		for (size_t k = 0; k < c->nobstacles; k++) {
			if (c->obstacles[k] == NULL)
				continue;
			const char *b = bare(c->obstacles[k]);
			insight_strtab_add(&obst, b, strlen(b));
			if (c->how && c->how[k] && c->how[k][0])
				nhow++;
		}
		for (size_t k = 0; k < c->nitems; k++)
			if (c->items[k])
				insight_strtab_add(&items, c->items[k], strlen(c->items[k]));
	}
	size_t no = obst.n, ni = items.n;
	if (no == 0)
		return;

	/* Pass 2: the counts, the items of the cases that overcame each obstacle (yes or partly),
	 * and the "how" texts. A case counts once per obstacle and once per item. */
	struct iobstacle *rows = arena_zalloc(a, no * sizeof(*rows));
	long *overcame = arena_zalloc(a, no * sizeof(*overcame));
	long *counts = arena_zalloc(a, (ni ? no * ni : 1) * sizeof(*counts));
	size_t *seen_obst = arena_zalloc(a, no * sizeof(*seen_obst)); /* last case + 1 */
	size_t *seen_item = arena_zalloc(a, (ni ? ni : 1) * sizeof(*seen_item));
	size_t *case_items = arena_alloc(a, (ni ? ni : 1) * sizeof(*case_items));
	struct how_entry *hows = arena_alloc(a, (nhow ? nhow : 1) * sizeof(*hows));
	size_t h = 0;
	for (size_t i = 0; i < n; i++) {
		const struct icase *c = &cases[i];
		size_t nci = 0;
		for (size_t k = 0; k < c->nitems; k++) {
			if (c->items[k] == NULL)
				continue;
			size_t x = (size_t)insight_strtab_find(&items, c->items[k],
							       strlen(c->items[k]));
			if (seen_item[x] != i + 1) {
				seen_item[x] = i + 1;
				case_items[nci++] = x;
			}
		}
		for (size_t k = 0; k < c->nobstacles; k++) {
			if (c->obstacles[k] == NULL)
				continue;
			const char *b = bare(c->obstacles[k]);
			size_t ob = (size_t)insight_strtab_find(&obst, b, strlen(b));
			int rank = overcome_rank(c->overcome ? c->overcome[k] : NULL);
			if (c->how && c->how[k] && c->how[k][0]) {
				hows[h] = (struct how_entry){ob, rank, h, c->how[k], c->id};
				h++;
			}
			if (seen_obst[ob] == i + 1)
				continue;
			seen_obst[ob] = i + 1;
			rows[ob].met++;
			if (rank == 0)
				rows[ob].overcome++;
			else if (rank == 1)
				rows[ob].partly++;
			else if (rank == 2)
				rows[ob].not_overcome++;
			if (rank > 1)
				continue;
			overcame[ob]++;
			for (size_t j = 0; j < nci; j++)
				counts[ob * ni + case_items[j]]++;
		}
	}

	/* Per obstacle: the common items and the grouped texts. */
	qsort(hows, h, sizeof(*hows), cmp_how);
	struct common_entry *ce = arena_alloc(a, (ni ? ni : 1) * sizeof(*ce));
	size_t hpos = 0;
	for (size_t ob = 0; ob < no; ob++) {
		struct iobstacle *r = &rows[ob];
		r->obstacle = obst.keys[ob];
		size_t nce = 0;
		for (size_t x = 0; x < ni; x++)
			if (counts[ob * ni + x] > 0 && !is_itself(items.keys[x], r->obstacle))
				ce[nce++] =
					(struct common_entry){items.keys[x], counts[ob * ni + x]};
		qsort(ce, nce, sizeof(*ce), cmp_common);
		r->ncommon = nce < COMMON_MAX ? nce : COMMON_MAX;
		r->common = arena_alloc(a, (r->ncommon ? r->ncommon : 1) * sizeof(*r->common));
		r->common_share = arena_alloc(a, (r->ncommon ? r->ncommon : 1) * sizeof(double));
		for (size_t j = 0; j < r->ncommon; j++) {
			r->common[j] = ce[j].item;
			r->common_share[j] = (double)ce[j].count / (double)overcame[ob];
		}
		size_t first = hpos;
		while (hpos < h && hows[hpos].obstacle == ob)
			hpos++;
		r->nhow = hpos - first;
		r->how = arena_alloc(a, (r->nhow ? r->nhow : 1) * sizeof(*r->how));
		r->how_case = arena_alloc(a, (r->nhow ? r->nhow : 1) * sizeof(*r->how_case));
		for (size_t j = 0; j < r->nhow; j++) {
			r->how[j] = arena_strdup(a, hows[first + j].text);
			r->how_case[j] = hows[first + j].case_id;
		}
	}
	qsort(rows, no, sizeof(*rows), cmp_met);
	out->rows = rows;
	out->n = no;
}
