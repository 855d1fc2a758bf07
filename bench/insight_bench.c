/* insight_bench.c - time of each analysis of the insight engine on 200 and 100,000 generated
 * cases, on one core. Prints a table in milliseconds. Run with `make bench-insight`. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "insight/insight.h"

/* ---- cases like the demonstration data (docs/demo-data.md), with texts and partner views ---- */

static uint64_t rng_state = 2026;

static uint64_t
rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u); /* splitmix64 */
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static double
unit(void)
{
	return (double)(rng_next() >> 11) / 9007199254740992.0;
}

static size_t
below(size_t n)
{
	return (size_t)(rng_next() % n);
}

static const char *const factors[] = {
	"factor:shared_objectives",    "factor:mission_fit",  "factor:mutual_value",
	"factor:complementary_skills", "factor:trust",        "factor:communication",
	"factor:local_anchoring",      "factor:adaptability", "factor:joint_learning"};
static const char *const resources[] = {"resource:skills_probono",    "resource:products_equipment",
					"resource:field_knowledge",   "resource:community_access",
					"resource:last_mile",         "resource:training_capacity",
					"resource:technology_ip_data"};
static const char *const obstacles[] = {"lack_of_time", "cultural_gap", "hard_to_measure",
					"field_context"};
static const char *const sectors[] = {"sector:health",      "sector:energy",    "sector:water",
				      "sector:agriculture", "sector:education", "sector:digital"};
static const char *const types[] = {"type:giving", "type:responsible_practices",
				    "type:economic_cooperation", "type:societal_innovation"};
static const char *const depths[] = {"depth:philanthropic", "depth:transactional",
				     "depth:integrative", "depth:transformational"};
static const char *const regions[] = {"region:011", "region:155", "region:017", "region:014"};
static const char *const countries[] = {"country:SN", "country:BF", "country:ML", "country:CI",
					"country:NE", "country:TG", "country:BJ", "country:GN",
					"country:FR", "country:CH", "country:MG", "country:CM"};
static const char *const how[] = {"Un nouveau référent a été nommé et formé.",
				  "Nous avons fixé un point mensuel entre les équipes.",
				  "A steering committee met every quarter.", NULL};
static const char *const lessons_fr[] = {
	"Des objectifs écrits et un référent de chaque côté ont tout facilité.",
	"Nous aurions dû clarifier les rôles et prévoir les départs.",
	"La confiance s'est construite sur le terrain, avec les équipes locales.",
	"Le départ de notre interlocuteur a tout ralenti pendant six mois.",
	"Mesurer l'impact dès le début aurait aidé à convaincre la direction."};
static const char *const lessons_en[] = {
	"A written agreement and a sponsor on each side made everything easier.",
	"We should have clarified roles and planned for staff leaving.",
	"Trust was built in the field, with the local teams.",
	"Measuring impact from the start would have convinced the board."};

enum { MAX_ITEMS = 64, MAX_OBST = 5 };

struct gen_case {
	const char *items[MAX_ITEMS];
	const char *obst[MAX_OBST], *overcome[MAX_OBST], *how[MAX_OBST];
};

/* Every string is a copy of its own in the arena, as the store would give them: the engine
 * cannot count on equal pointers. */
static void
generate(struct icase *cases, struct gen_case *g, size_t n, struct arena *a)
{
	for (size_t i = 0; i < n; i++) {
		struct icase *c = &cases[i];
		struct gen_case *s = &g[i];
		memset(c, 0, sizeof(*c));
		bool agreement = unit() < 0.5, champion = unit() < 0.45, turnover = unit() < 0.35;
		double logit = -0.4 + 1.4 * agreement + 1.2 * champion - 1.3 * turnover;
		bool success = unit() < 1 / (1 + exp(-logit));
		size_t k = 0, o = 0;
#define ADD(str) (s->items[k++] = arena_strdup(a, (str)))
		ADD(agreement ? (unit() < 0.5 ? "agreement:contract" : "agreement:letter_mou")
			      : "agreement:none");
		if (champion)
			ADD("factor:champion");
		if (agreement)
			ADD("factor:clear_roles");
		for (size_t j = 0; j < 9; j++)
			if (unit() < 0.35)
				ADD(factors[j]);
		for (size_t j = 0; j < 7; j++)
			if (unit() < 0.4)
				ADD(resources[j]);
		size_t sector = k;
		ADD(sectors[below(6)]);
		ADD(types[below(4)]);
		ADD(depths[below(4)]);
		ADD(regions[below(4)]);
		ADD(unit() < 0.5 ? "governance:focal_persons" : "governance:steering_committee");
		ADD(unit() < 0.6 ? "financial:none" : "financial:minor");
		/* The other answers the store turns into items, to reach about 30 a case. */
		ADD(unit() < 0.8 ? "org_kind:ngo" : "org_kind:foundation");
		ADD(unit() < 0.7 ? "role:lead" : "role:field_partner");
		ADD(unit() < 0.5 ? "partner_kind:company_sme" : "partner_kind:company_large");
		ADD(unit() < 0.5 ? "initiative:ngo" : "initiative:company");
		ADD(unit() < 0.5 ? "evidence:self_assessed" : "evidence:indicators");
		ADD(countries[below(12)]);
		for (size_t j = 0, top = 0; j < k && top < 3; j++)
			if (strncmp(s->items[j], "factor:", 7) == 0) {
				char buf[64];
				snprintf(buf, sizeof(buf), "top_factor:%s", s->items[j] + 7);
				ADD(buf);
				top++;
			}
		for (size_t j = 0, nres = k; j < nres; j++)
			if (strncmp(s->items[j], "resource:", 9) == 0) {
				char buf[96];
				snprintf(buf, sizeof(buf), "direction:%s:%s", s->items[j] + 9,
					 unit() < 0.5 ? "company_to_ngo" : "both");
				ADD(buf);
			}
		if (turnover) {
			ADD("obstacle:turnover");
			s->obst[o] = arena_strdup(a, "turnover");
			s->overcome[o] = success ? "partly" : "no";
			s->how[o++] = how[0];
		}
		for (size_t j = 0; j < 4; j++)
			if (unit() < 0.3) {
				char buf[64];
				snprintf(buf, sizeof(buf), "obstacle:%s", obstacles[j]);
				ADD(buf);
				s->obst[o] = arena_strdup(a, obstacles[j]);
				s->overcome[o] = unit() < 0.5 ? "yes" : "partly";
				s->how[o++] = how[1 + below(3)];
			}
#undef ADD
		c->id = (long long)i + 1;
		c->items = s->items;
		c->nitems = k;
		c->obstacles = s->obst;
		c->overcome = s->overcome;
		c->how = s->how;
		c->nobstacles = o;
		c->sector = s->items[sector] + strlen("sector:");
		c->type = s->items[sector + 1] + strlen("type:");
		c->year = 2014 + (int)below(11);
		c->ngo = true;
		if (unit() < 0.8) {
			c->lang = "fr";
			c->lessons = arena_strdup(a, lessons_fr[below(5)]);
			c->advice = unit() < 0.5 ? arena_strdup(a, lessons_fr[below(5)]) : NULL;
		} else {
			c->lang = "en";
			c->lessons = arena_strdup(a, lessons_en[below(4)]);
		}
		if (unit() < 0.15)
			c->outcome = OUTCOME_RUNNING;
		else if (success)
			c->outcome = OUTCOME_SUCCESS;
		else
			c->outcome = unit() < 0.5 ? OUTCOME_PARTLY : OUTCOME_FAILURE;
	}
	/* One case in eight is the company's view of the case before it. */
	for (size_t i = 1; i < n; i += 8) {
		cases[i].partner_of = cases[i - 1].id;
		cases[i].ngo = false;
		cases[i].outcome = cases[i - 1].outcome;
	}
}

/* ---- timing ---- */

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

enum analysis { A_FACTORS, A_ITEMSETS, A_OBSTACLES, A_WORDS, A_PARTNERS, A__MAX };
static const char *const names[A__MAX] = {"factors", "itemsets", "obstacles", "words", "partners"};

static void
run(enum analysis w, const struct icase *cases, size_t n, const struct insight_options *o,
    struct arena *a)
{
	switch (w) {
	case A_FACTORS: {
		struct ifactors f;
		insight_factors(cases, n, o, a, &f);
		break;
	}
	case A_ITEMSETS: {
		struct iitemsets f;
		insight_itemsets(cases, n, o, a, &f);
		break;
	}
	case A_OBSTACLES: {
		struct iobstacles f;
		insight_obstacles(cases, n, o, a, &f);
		break;
	}
	case A_WORDS: {
		struct iterms f;
		insight_words(cases, n, o, 20, a, &f);
		break;
	}
	case A_PARTNERS: {
		struct ipairs f;
		insight_partners(cases, n, a, &f);
		break;
	}
	case A__MAX: break;
	}
}

static int
dbl_cmp(const void *x, const void *y)
{
	double u = *(const double *)x, v = *(const double *)y;
	return u < v ? -1 : u > v;
}

/* Median of reps runs, each with a fresh arena (freed outside the timing). */
static double
time_ms(enum analysis w, const struct icase *cases, size_t n, const struct insight_options *o,
	int reps)
{
	double t[64];
	for (int r = 0; r < reps; r++) {
		struct arena a;
		arena_init(&a, 0);
		double t0 = now_ms();
		run(w, cases, n, o, &a);
		t[r] = now_ms() - t0;
		arena_free(&a);
	}
	qsort(t, (size_t)reps, sizeof(t[0]), dbl_cmp);
	return t[reps / 2];
}

int
main(void)
{
	const size_t sizes[] = {200, 100000};
	const int reps[] = {41, 5};
	struct insight_options o;
	insight_options_default(&o);
	printf("%-10s %10s %12s\n", "analysis", "cases", "ms (median)");
	for (size_t s = 0; s < 2; s++) {
		size_t n = sizes[s];
		struct arena data;
		arena_init(&data, 1 << 20);
		struct icase *cases = calloc(n, sizeof(*cases));
		struct gen_case *g = calloc(n, sizeof(*g));
		if (cases == NULL || g == NULL) {
			fprintf(stderr, "insight_bench: out of memory\n");
			return 1;
		}
		generate(cases, g, n, &data);
		size_t nitems = 0;
		for (size_t i = 0; i < n; i++)
			nitems += cases[i].nitems;
		printf("# %zu cases, %.1f items a case\n", n, (double)nitems / (double)n);
		double total = 0;
		for (enum analysis w = 0; w < A__MAX; w++) {
			double ms = time_ms(w, cases, n, &o, reps[s]);
			total += ms;
			printf("%-10s %10zu %12.3f\n", names[w], n, ms);
			fflush(stdout);
		}
		printf("%-10s %10zu %12.3f\n", "all", n, total);
		free(g);
		free(cases);
		arena_free(&data);
	}
	return 0;
}
