/* test_insight_mining.c - common points (itemsets), obstacles overcome, words of the lessons and
 * the two partner views, on small sets whose answers were worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "insight/insight.h"

#define N(x) (sizeof(x) / sizeof(*(x)))
#define CASE(id_, outcome_, items_)                                                                \
	{                                                                                          \
		.id = (id_), .outcome = (outcome_), .items = (items_), .nitems = N(items_),        \
		.lang = "fr"                                                                       \
	}

/* ---- itemsets ---- */

/* Items a, b (factors), c (resource), d (type); cases 1-6 successful, 7-10 not.
 *   1 a b c   2 a b c   3 a b   4 a b d   5 a c   6 b   |   7 a d   8 b c d   9 d   10 a b
 * With min_support 2: a 5/2, b 5/2, c 3/1, ab 4/1, ac 3/0, bc 2/1, abc 2/0 (d: 1 success). */
static const char *const s1[] = {"factor:a", "factor:b", "resource:c", "sector:health"};
static const char *const s2[] = {"resource:c", "factor:b", "factor:a"};
static const char *const s3[] = {"factor:a", "factor:b", "factor:a"};
static const char *const s4[] = {"factor:a", "factor:b", "type:d"};
static const char *const s5[] = {"factor:a", "resource:c", "obstacle:turnover"};
static const char *const s6[] = {"factor:b"};
static const char *const f7[] = {"factor:a", "type:d"};
static const char *const f8[] = {"factor:b", "resource:c", "type:d"};
static const char *const f9[] = {"type:d"};
static const char *const f10[] = {"factor:a", "factor:b"};
static const char *const r11[] = {"factor:a", "factor:b", "resource:c", "type:d"};
static const char *const p12[] = {"factor:a", "factor:b", "resource:c"};

static const struct icase mining_cases[] = {
	CASE(1, OUTCOME_SUCCESS, s1),   CASE(2, OUTCOME_SUCCESS, s2),
	CASE(3, OUTCOME_SUCCESS, s3),   CASE(4, OUTCOME_SUCCESS, s4),
	CASE(5, OUTCOME_SUCCESS, s5),   CASE(6, OUTCOME_SUCCESS, s6),
	CASE(7, OUTCOME_FAILURE, f7),   CASE(8, OUTCOME_FAILURE, f8),
	CASE(9, OUTCOME_FAILURE, f9),   CASE(10, OUTCOME_FAILURE, f10),
	CASE(11, OUTCOME_RUNNING, r11), CASE(12, OUTCOME_UNKNOWN, r11),
};

static const struct iitemset *
find_set(const struct iitemset *rows, size_t n, const char *a, const char *b, const char *c)
{
	size_t k = c ? 3 : b ? 2 : 1;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].nitems != k || strcmp(rows[i].items[0], a) != 0)
			continue;
		if (b && strcmp(rows[i].items[1], b) != 0)
			continue;
		if (c && strcmp(rows[i].items[2], c) != 0)
			continue;
		return &rows[i];
	}
	return NULL;
}

static void
itemsets_exact_supports_confidence_lift(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct insight_options o;
	insight_options_default(&o);
	o.min_support = 2;
	o.max_itemset = 3;
	struct iitemsets out;
	insight_itemsets(mining_cases, N(mining_cases), &o, &a, &out);

	/* Ranked by support in successful cases, then larger first, then items. */
	assert_int_equal(out.n, 7);
	const char *order[7][3] = {
		{"factor:a"},
		{"factor:b"},
		{"factor:a", "factor:b"},
		{"factor:a", "resource:c"},
		{"resource:c"},
		{"factor:a", "factor:b", "resource:c"},
		{"factor:b", "resource:c"},
	};
	for (size_t i = 0; i < 7; i++)
		for (size_t k = 0; k < out.rows[i].nitems; k++)
			assert_string_equal(out.rows[i].items[k], order[i][k]);

	const struct iitemset *ab = find_set(out.rows, out.n, "factor:a", "factor:b", NULL);
	assert_non_null(ab);
	assert_int_equal(ab->support_success, 4);
	assert_int_equal(ab->support_failure, 1);
	assert_float_equal(ab->share_success, 4.0 / 6, 1e-12);
	assert_float_equal(ab->share_failure, 1.0 / 4, 1e-12);
	assert_float_equal(ab->confidence, 0.8, 1e-12);
	assert_float_equal(ab->lift, 0.8 / 0.6, 1e-12);

	const struct iitemset *abc =
		find_set(out.rows, out.n, "factor:a", "factor:b", "resource:c");
	assert_non_null(abc);
	assert_int_equal(abc->support_success, 2);
	assert_int_equal(abc->support_failure, 0);
	assert_float_equal(abc->confidence, 1.0, 1e-12);
	assert_float_equal(abc->lift, 1 / 0.6, 1e-12);
	/* [[2, 0], [4, 4]]: P(2) + P(0) = (15 + 6) / 45. */
	assert_float_equal(abc->p, 21.0 / 45, 1e-9);
	assert_true(abc->q >= abc->p);

	const struct iitemset *one = find_set(out.rows, out.n, "factor:a", NULL, NULL);
	assert_int_equal(one->support_success, 5);
	assert_int_equal(one->support_failure, 2);
	assert_float_equal(one->lift, (5.0 / 7) / 0.6, 1e-12);

	/* type:d is in one successful case only; sector: and obstacle: items are not mined. */
	for (size_t i = 0; i < out.n; i++)
		for (size_t k = 0; k < out.rows[i].nitems; k++) {
			assert_string_not_equal(out.rows[i].items[k], "type:d");
			assert_string_not_equal(out.rows[i].items[k], "sector:health");
			assert_string_not_equal(out.rows[i].items[k], "obstacle:turnover");
		}

	/* Nothing here comes near q < 0.25 on ten cases. */
	for (size_t i = 0; i < out.nseparating; i++)
		assert_true(out.separating[i].q < 0.25);

	/* Up to pairs only. */
	o.max_itemset = 2;
	insight_itemsets(mining_cases, N(mining_cases), &o, &a, &out);
	assert_int_equal(out.n, 6);
	arena_free(&a);
}

static void
itemsets_partly_folds_on_request(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct icase cases[N(mining_cases) + 1];
	memcpy(cases, mining_cases, sizeof(mining_cases));
	cases[N(mining_cases)] = (struct icase)CASE(13, OUTCOME_PARTLY, p12);
	struct insight_options o;
	insight_options_default(&o);
	o.min_support = 2;

	struct iitemsets out;
	insight_itemsets(cases, N(cases), &o, &a, &out); /* partly as failure */
	const struct iitemset *abc =
		find_set(out.rows, out.n, "factor:a", "factor:b", "resource:c");
	assert_int_equal(abc->support_success, 2);
	assert_int_equal(abc->support_failure, 1);
	assert_float_equal(abc->lift, (2.0 / 3) / (6.0 / 11), 1e-12);

	o.fold_partly_into_success = true;
	insight_itemsets(cases, N(cases), &o, &a, &out);
	abc = find_set(out.rows, out.n, "factor:a", "factor:b", "resource:c");
	assert_int_equal(abc->support_success, 3);
	assert_int_equal(abc->support_failure, 0);
	assert_float_equal(abc->share_success, 3.0 / 7, 1e-12);
	arena_free(&a);
}

/* A planted combination separates: x and y together in 30 of 40 successful cases and 2 of 40
 * others, each alone everywhere. */
static void
itemsets_separating_finds_a_planted_pair(void **state)
{
	(void)state;
	static const char *const both[] = {"factor:x", "factor:y"};
	static const char *const onlyx[] = {"factor:x"};
	static const char *const onlyy[] = {"factor:y"};
	struct icase cases[80];
	for (int i = 0; i < 80; i++) {
		bool success = i < 40;
		int k = success ? i : i - 40;
		bool has_both = success ? k < 30 : k < 2;
		const char *const *items = has_both ? both : (k % 2 ? onlyx : onlyy);
		size_t ni = has_both ? 2 : 1;
		cases[i] = (struct icase){.id = i + 1,
					  .outcome = success ? OUTCOME_SUCCESS : OUTCOME_FAILURE,
					  .items = items,
					  .nitems = ni};
	}
	struct arena a;
	arena_init(&a, 0);
	struct insight_options o;
	insight_options_default(&o);
	struct iitemsets out;
	insight_itemsets(cases, 80, &o, &a, &out);
	assert_true(out.nseparating >= 1);
	assert_true(out.nseparating <= 20);
	const struct iitemset *s = &out.separating[0];
	assert_true(s->q < 0.001);
	assert_true(s->lift > 1.5);
	assert_int_equal(s->support_success, 30);
	assert_int_equal(s->support_failure, 2);
	assert_string_equal(s->items[0], "factor:x");
	assert_string_equal(s->items[1], "factor:y");
	for (size_t i = 1; i < out.nseparating; i++)
		assert_true(out.separating[i - 1].q <= out.separating[i].q);
	arena_free(&a);
}

/* ---- obstacles ---- */

static void
obstacles_counts_common_items_and_how_order(void **state)
{
	(void)state;
	static const char *const i1[] = {"factor:trust", "factor:champion", "obstacle:turnover",
					 "obstacle:lack_of_time"};
	static const char *const o1[] = {"turnover", "lack_of_time"};
	static const char *const v1[] = {"yes", "no"};
	static const char *const h1[] = {"Un binôme par site", "Rien"};
	static const char *const i2[] = {"factor:trust", "obstacle:turnover"};
	static const char *const o2[] = {"turnover"};
	static const char *const v2[] = {"partly"};
	static const char *const h2[] = {"Des relais"};
	static const char *const i3[] = {"factor:champion", "obstacle:turnover"};
	static const char *const v3[] = {"no"};
	static const char *const h3[] = {"On n'a pas pu"};
	static const char *const i4[] = {"factor:trust", "factor:champion", "agreement:contract",
					 "obstacle:turnover"};
	static const char *const v4[] = {"yes"};
	static const char *const h4[] = {"Documenter"};
	static const char *const i5[] = {"factor:communication", "obstacle:lack_of_time"};
	static const char *const o5[] = {"lack_of_time"};
	static const char *const v5[] = {"yes"};
	static const char *const h5[] = {NULL};
	const struct icase cases[] = {
		{.id = 1,
		 .outcome = OUTCOME_SUCCESS,
		 .items = i1,
		 .nitems = 4,
		 .obstacles = o1,
		 .overcome = v1,
		 .how = h1,
		 .nobstacles = 2},
		{.id = 2,
		 .outcome = OUTCOME_FAILURE,
		 .items = i2,
		 .nitems = 2,
		 .obstacles = o2,
		 .overcome = v2,
		 .how = h2,
		 .nobstacles = 1},
		{.id = 3,
		 .outcome = OUTCOME_FAILURE,
		 .items = i3,
		 .nitems = 2,
		 .obstacles = o2,
		 .overcome = v3,
		 .how = h3,
		 .nobstacles = 1},
		/* Running: it still tells how an obstacle was overcome. */
		{.id = 4,
		 .outcome = OUTCOME_RUNNING,
		 .items = i4,
		 .nitems = 4,
		 .obstacles = o2,
		 .overcome = v4,
		 .how = h4,
		 .nobstacles = 1},
		{.id = 5,
		 .outcome = OUTCOME_SUCCESS,
		 .items = i5,
		 .nitems = 2,
		 .obstacles = o5,
		 .overcome = v5,
		 .how = h5,
		 .nobstacles = 1},
	};
	struct arena a;
	arena_init(&a, 0);
	struct insight_options o;
	insight_options_default(&o);
	struct iobstacles out;
	insight_obstacles(cases, N(cases), &o, &a, &out);
	assert_int_equal(out.n, 2);

	const struct iobstacle *t = &out.rows[0];
	assert_string_equal(t->obstacle, "turnover");
	assert_int_equal(t->met, 4);
	assert_int_equal(t->overcome, 2);
	assert_int_equal(t->partly, 1);
	assert_int_equal(t->not_overcome, 1);
	/* Among cases 1, 2, 4: trust 3/3, champion 2/3, then the 1/3 ties by name. */
	assert_int_equal(t->ncommon, 4);
	assert_string_equal(t->common[0], "factor:trust");
	assert_float_equal(t->common_share[0], 1.0, 1e-12);
	assert_string_equal(t->common[1], "factor:champion");
	assert_float_equal(t->common_share[1], 2.0 / 3, 1e-12);
	assert_string_equal(t->common[2], "agreement:contract");
	assert_string_equal(t->common[3], "obstacle:lack_of_time");
	assert_float_equal(t->common_share[3], 1.0 / 3, 1e-12);
	/* Overcome first (in input order), then partly, then not. */
	assert_int_equal(t->nhow, 4);
	assert_string_equal(t->how[0], "Un binôme par site");
	assert_int_equal(t->how_case[0], 1);
	assert_string_equal(t->how[1], "Documenter");
	assert_int_equal(t->how_case[1], 4);
	assert_string_equal(t->how[2], "Des relais");
	assert_int_equal(t->how_case[2], 2);
	assert_string_equal(t->how[3], "On n'a pas pu");
	assert_int_equal(t->how_case[3], 3);

	const struct iobstacle *l = &out.rows[1];
	assert_string_equal(l->obstacle, "lack_of_time");
	assert_int_equal(l->met, 2);
	assert_int_equal(l->overcome, 1);
	assert_int_equal(l->partly, 0);
	assert_int_equal(l->not_overcome, 1);
	assert_int_equal(l->ncommon, 1); /* the obstacle itself is left out */
	assert_string_equal(l->common[0], "factor:communication");
	assert_int_equal(l->nhow, 1); /* case 5 gave no text */
	assert_string_equal(l->how[0], "Rien");
	assert_int_equal(l->how_case[0], 1);
	arena_free(&a);
}

/* ---- words ---- */

static const struct iterm *
find_term(const struct iterm *rows, size_t n, const char *stem)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].stem, stem) == 0)
			return &rows[i];
	return NULL;
}

static void
words_stem_fold_and_compare(void **state)
{
	(void)state;
	const struct icase cases[] = {
		{.id = 11,
		 .outcome = OUTCOME_SUCCESS,
		 .lang = "fr",
		 .lessons = "Les formations ont renforcé l’énergie de l'équipe.",
		 .advice = "Prévoir des formations et garder l'ÉNERGIE !"},
		{.id = 12,
		 .outcome = OUTCOME_SUCCESS,
		 .lang = "fr",
		 .lessons = "La formation continue donne de l'energie."},
		{.id = 13,
		 .outcome = OUTCOME_FAILURE,
		 .lang = "fr",
		 .lessons = "Le manque de temps a tué le projet."},
		{.id = 14,
		 .outcome = OUTCOME_PARTLY,
		 .lang = "fr",
		 .advice = "Trop de réunions, pas assez de temps pour le projet en 2024."},
		{.id = 15,
		 .outcome = OUTCOME_RUNNING,
		 .lang = "fr",
		 .lessons = "formations formations"},
		{.id = 16,
		 .outcome = OUTCOME_SUCCESS,
		 .lang = "en",
		 .lessons = "Trust, and trusting the partners."},
		/* Malformed UTF-8 and decomposed accents must not upset the scanner. */
		{.id = 17,
		 .outcome = OUTCOME_FAILURE,
		 .lang = "fr",
		 .lessons = "\xC3 \xFF\xFE projet\xE2\x80 Re\xCC\x81unions",
		 .advice = ""},
	};
	struct arena a;
	arena_init(&a, 0);
	struct insight_options o;
	insight_options_default(&o);
	struct iterms out;
	insight_words(cases, N(cases), &o, 50, &a, &out);

	/* «formations» and «formation» are one term, only in successful cases. */
	const struct iterm *f = find_term(out.success, out.nsuccess, "format");
	assert_non_null(f);
	assert_string_equal(f->word, "formations");
	assert_true(f->z > 0);
	assert_int_equal(f->n_success, 2);
	assert_int_equal(f->n_failure, 0);
	assert_int_equal(f->ncases, 2);
	assert_int_equal(f->cases[0], 11);
	assert_int_equal(f->cases[1], 12); /* the running case 15 is left out */

	/* «énergie», «ÉNERGIE» and «energie» are one term, shown with its accent. */
	const struct iterm *e = find_term(out.success, out.nsuccess, "energ");
	assert_non_null(e);
	assert_string_equal(e->word, "énergie");
	assert_int_equal(e->n_success, 2);
	assert_int_equal(e->ncases, 2);

	/* English stemming for an English case: trust and trusting, one case. */
	const struct iterm *tr = find_term(out.success, out.nsuccess, "trust");
	assert_non_null(tr);
	assert_int_equal(tr->n_success, 1);
	assert_int_equal(tr->ncases, 1);
	assert_int_equal(tr->cases[0], 16);

	/* «temps» and «projet» belong to the cases that did not succeed (partly counts as not). */
	const struct iterm *t = find_term(out.failure, out.nfailure, "temp");
	assert_non_null(t);
	assert_true(t->z < 0);
	assert_int_equal(t->n_failure, 2);
	assert_int_equal(t->cases[0], 13);
	assert_int_equal(t->cases[1], 14);
	const struct iterm *p = find_term(out.failure, out.nfailure, "projet");
	assert_non_null(p);
	assert_int_equal(p->ncases, 3);
	assert_int_equal(p->cases[2], 17);
	const struct iterm *r = find_term(out.failure, out.nfailure, "reunion");
	assert_non_null(r);
	assert_int_equal(r->n_failure, 2); /* «réunions» and «re + ◌́ + unions» */

	/* Stop words, short words and numbers are gone. */
	const char *gone[] = {"les", "des", "pour", "pas", "trop", "the", "and", "2024", "de", "l"};
	for (size_t i = 0; i < N(gone); i++) {
		assert_null(find_term(out.success, out.nsuccess, gone[i]));
		assert_null(find_term(out.failure, out.nfailure, gone[i]));
	}
	/* Sides are sorted by strength. */
	for (size_t i = 1; i < out.nsuccess; i++)
		assert_true(out.success[i - 1].z >= out.success[i].z);
	for (size_t i = 1; i < out.nfailure; i++)
		assert_true(out.failure[i - 1].z <= out.failure[i].z);

	/* top limits each side. */
	insight_words(cases, N(cases), &o, 1, &a, &out);
	assert_int_equal(out.nsuccess, 1);
	assert_int_equal(out.nfailure, 1);
	arena_free(&a);
}

/* ---- partners ---- */

static void
partners_agreement_per_factor(void **state)
{
	(void)state;
	static const char *const a_ngo[] = {"factor:trust", "factor:communication",
					    "factor:champion", "sector:health"};
	static const char *const a_co[] = {"factor:champion"};
	static const char *const b_ngo[] = {"factor:trust", "factor:communication"};
	static const char *const b_co[] = {"factor:communication", "factor:trust"};
	static const char *const c_5[] = {"factor:communication"};
	static const char *const c_6[] = {"factor:trust", "factor:mission_fit"};
	const struct icase cases[] = {
		/* A: the NGO view says so. */
		{.id = 1, .outcome = OUTCOME_SUCCESS, .items = a_ngo, .nitems = 4, .ngo = true},
		{.id = 2, .outcome = OUTCOME_SUCCESS, .items = a_co, .nitems = 1, .partner_of = 1},
		/* B: both point to each other; outcomes differ. */
		{.id = 3,
		 .outcome = OUTCOME_SUCCESS,
		 .items = b_ngo,
		 .nitems = 2,
		 .ngo = true,
		 .partner_of = 4},
		{.id = 4, .outcome = OUTCOME_PARTLY, .items = b_co, .nitems = 2, .partner_of = 3},
		/* C: no NGO flag: the view pointed to is the NGO's. */
		{.id = 6, .outcome = OUTCOME_FAILURE, .items = c_6, .nitems = 2, .partner_of = 5},
		{.id = 5, .outcome = OUTCOME_FAILURE, .items = c_5, .nitems = 1},
		/* Its partner is not in the set. */
		{.id = 7, .outcome = OUTCOME_FAILURE, .items = c_6, .nitems = 2, .partner_of = 99},
	};
	struct arena a;
	arena_init(&a, 0);
	struct ipairs out;
	insight_partners(cases, N(cases), &a, &out);
	assert_int_equal(out.pairs, 3);
	assert_int_equal(out.outcome_agree, 2);
	assert_int_equal(out.n, 4);

	/* communication 1/3, trust 1/3 (by name), mission_fit 2/3, champion 3/3. */
	const struct ipair_factor *r = out.rows;
	assert_string_equal(r[0].item, "factor:communication");
	assert_int_equal(r[0].both, 1);
	assert_int_equal(r[0].only_ngo, 2);
	assert_int_equal(r[0].only_company, 0);
	assert_int_equal(r[0].neither, 0);
	assert_float_equal(r[0].agreement, 1.0 / 3, 1e-12);
	assert_string_equal(r[1].item, "factor:trust");
	assert_int_equal(r[1].both, 1);
	assert_int_equal(r[1].only_ngo, 1);
	assert_int_equal(r[1].only_company, 1);
	assert_int_equal(r[1].neither, 0);
	assert_string_equal(r[2].item, "factor:mission_fit");
	assert_int_equal(r[2].only_company, 1);
	assert_int_equal(r[2].neither, 2);
	assert_float_equal(r[2].agreement, 2.0 / 3, 1e-12);
	assert_string_equal(r[3].item, "factor:champion");
	assert_int_equal(r[3].both, 1);
	assert_int_equal(r[3].neither, 2);
	assert_float_equal(r[3].agreement, 1.0, 1e-12);

	/* No pairs: nothing to show. */
	insight_partners(cases + 6, 1, &a, &out);
	assert_int_equal(out.pairs, 0);
	assert_int_equal(out.n, 0);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(itemsets_exact_supports_confidence_lift),
		cmocka_unit_test(itemsets_partly_folds_on_request),
		cmocka_unit_test(itemsets_separating_finds_a_planted_pair),
		cmocka_unit_test(obstacles_counts_common_items_and_how_order),
		cmocka_unit_test(words_stem_fold_and_compare),
		cmocka_unit_test(partners_agreement_per_factor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
