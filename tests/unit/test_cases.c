/* test_cases.c - the rule of publication is held once, by the view public_cases, and the C rule
 * that projects a case for the public (case_public_view) agrees with it: on every demonstration
 * case, and on every state, consent and review a case can have. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "cases/cases_demo.h"
#include "cases/cases_priv.h"
#include "cases/search.h"
#include "db/db.h"
#include "db/migrate.h"
#include "db_query.h"
#include "survey/survey_demo.h"
#include "vocab/vocab.h"

static struct db *db;
static struct vocab_set *vocab;

static int
setup(void **state)
{
	(void)state;
	char err[512] = "";
	search_init();
	db = db_open(":memory:", 1000, err, sizeof(err));
	assert_non_null(db);
	assert_true(migrate_apply(db, db_migrations, db_migrations_count, err, sizeof(err)) > 0);
	vocab = vocab_load("data", err, sizeof(err));
	if (vocab == NULL)
		fail_msg("%s", err);
	FILE *out = fopen("/dev/null", "w");
	assert_non_null(out);
	assert_int_equal(db_begin(db), 0);
	if (survey_demo_load(db, out, err, sizeof(err)) != 0 ||
	    cases_demo_load(db, vocab, out, err, sizeof(err)) != 0)
		fail_msg("demo: %s", err);
	assert_int_equal(db_commit(db), 0);
	fclose(out);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	vocab_free(vocab);
	db_close(db);
	return 0;
}

/* What the view says of a case: 1 when the public may see it. */
static int
in_view(long long id)
{
	return (int)query_int_arg(db, "SELECT count(*) FROM public_cases WHERE id = ?1", id);
}

/* What case_public_view says of the case as stored. */
static int
by_c_rule(long long id)
{
	struct arena a;
	arena_init(&a, 4096);
	struct case_row c;
	assert_int_equal(cases_store_get(db, id, &a, &c), 1);
	struct case_public pub;
	int shown = case_public_view(&c, "fr", &pub);
	arena_free(&a);
	return shown;
}

static void
the_view_and_the_c_rule_agree_on_every_demo_case(void **state)
{
	(void)state;
	long long n = query_int(db, "SELECT count(*) FROM cases");
	assert_true(n > 10);
	int shown = 0, hidden = 0;
	for (long long id = 1; id <= n; id++) {
		assert_int_equal(query_int_arg(db, "SELECT count(*) FROM cases WHERE id = ?1", id),
				 1);
		int view = in_view(id), rule = by_c_rule(id);
		if (view != rule)
			fail_msg("case %lld: the view says %d, case_public_view %d", id, view,
				 rule);
		shown += rule;
		hidden += !rule;
	}
	/* Both kinds are there, so the comparison means something. */
	assert_true(shown > 0 && hidden > 0);
	/* The catalogue counts what the page would show. */
	struct case_filter any = {0};
	assert_int_equal(cases_store_count_public(db, &any), shown);
}

static void
the_view_and_the_c_rule_agree_on_every_state_and_consent(void **state)
{
	(void)state;
	const long long id = 1;
	int seen[2] = {0, 0};
	for (int s = CASE_DRAFT; s <= CASE_ARCHIVED; s++)
		for (int w = WEB_NONE; w <= WEB_NAMED; w++)
			for (int reviewed = 0; reviewed <= 1; reviewed++) {
				assert_int_equal(cases_store_set_state(db, id, (enum case_state)s),
						 0);
				assert_int_equal(cases_store_set_consent(db, id,
									 (enum web_consent)w, true,
									 true, true),
						 0);
				assert_int_equal(cases_store_set_reviewed(db, id, reviewed), 0);
				int view = in_view(id), rule = by_c_rule(id);
				if (view != rule)
					fail_msg("state %d, consent %d, reviewed %d: the view says "
						 "%d, case_public_view %d",
						 s, w, reviewed, view, rule);
				seen[rule]++;
			}
	/* Published and named (texts read or not), or published, anonymised and read: 3 of 24. */
	assert_int_equal(seen[1], 3);
	assert_int_equal(seen[0], 21);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_view_and_the_c_rule_agree_on_every_demo_case),
		cmocka_unit_test(the_view_and_the_c_rule_agree_on_every_state_and_consent),
	};
	return cmocka_run_group_tests_name("cases", tests, setup, teardown);
}
